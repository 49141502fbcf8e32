#!/bin/sh
# Build the wasm benchmark and run it under node.
set -e
cd "$(dirname "$0")"
cargo build --release --target wasm32-unknown-unknown
node run.mjs target/wasm32-unknown-unknown/release/podmortem_bench_wasm.wasm
