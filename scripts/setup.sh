#!/usr/bin/env bash
# Installs everything podmortem's build and tests need, pinned, idempotently.
# Fast (a few seconds) when everything is already present.
#
#   scripts/setup.sh            # install what is missing, write .tools/env.sh and .tools/wasm-env.sh
#
# What it sets up:
#   - Debian packages: chromium + chromium-driver (browser tests) and Debian's
#     rustc-web/cargo-web/rust-web-src/lld-22, which build std for wasm32 from source (build-std):
#     the release build (dist/) rebuilds std for size with them, and wasm tests use them when the
#     rustup wasm32 target is unavailable.
#   - trunk and wasm-bindgen-cli (same version as wasm-bindgen in Cargo.lock) in .tools/bin.
#   - npm ci: binaryen (wasm-opt), terser (scripts/pack.mjs) and playwright-core; no browser is ever downloaded.
#   - every crate the native and wasm builds need (cargo fetch), so wasm builds run offline.
#
# Environment knobs: TRUNK_VERSION (default below), PODMORTEM_WASM_MODE=rustup|debian (skip detection),
# PODMORTEM_RELEASE_MODE=size|plain (plain: the release build uses the wasm test toolchain as it is,
# for machines without Debian's packages; the bundle is then ~23 KB gzip larger).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
mkdir -p "$TOOLS/bin"

# --- pins --------------------------------------------------------------------------------------
# trunk 0.22.x needs rustc >= 1.96.1 with --locked; 0.21.14 installs with --locked on rustc 1.95.
TRUNK_VERSION=${TRUNK_VERSION:-0.21.14}
APT_BROWSER=(chromium chromium-driver)
APT_DEBIAN_RUST=(rustc-web cargo-web rust-web-src lld-22)
BUILD_STD_ENV=(RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort)
# The release build rebuilds std for size (release profile: opt-level z) and drops what only panics
# and `{:?}` need: a panic traps at once (static/boot.js shows the error banner), panic locations
# and Debug formatting are compiled out. Measured on the release bundle, gzip -9 of the wasm:
# build-std -3.8 KB, optimize_for_size -3.2 KB, immediate-abort -12.7 KB, the two -Z -3.3 KB.
# RUSTFLAGS reach only the wasm32 units (cargo keeps them off build scripts and proc macros when
# --target is given, as trunk does).
RELEASE_STD_ENV=(CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  "RUSTFLAGS=-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none")

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }
t0=$(date +%s)

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs), stable toolchain."
command -v node >/dev/null && command -v npm >/dev/null || die "node/npm not found: install Node.js >= 20 with npm."

# --- 1. wasm toolchain: rustup target first, Debian rustc-web + build-std as fallback ------------
wasm_mode=${PODMORTEM_WASM_MODE:-}
if [[ -z $wasm_mode ]]; then
  if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    wasm_mode=rustup
  elif command -v rustup >/dev/null && [[ ! -e $TOOLS/.rustup-target-add-failed ]]; then
    log "trying: rustup target add wasm32-unknown-unknown (20 s timeout)"
    if timeout 20 rustup target add wasm32-unknown-unknown >&2; then
      wasm_mode=rustup
    else
      log "rustup cannot fetch the wasm32 target here; using Debian's rustc-web with build-std"
      touch "$TOOLS/.rustup-target-add-failed"   # don't wait 20 s again on every run
      wasm_mode=debian
    fi
  else
    wasm_mode=debian
  fi
fi
[[ $wasm_mode == rustup || $wasm_mode == debian ]] || die "PODMORTEM_WASM_MODE must be rustup or debian"
release_mode=${PODMORTEM_RELEASE_MODE:-size}
[[ $release_mode == size || $release_mode == plain ]] || die "PODMORTEM_RELEASE_MODE must be size or plain"

# --- 2. system packages ----------------------------------------------------------------------
want=("${APT_BROWSER[@]}")
if [[ $wasm_mode == debian || $release_mode == size ]]; then want+=("${APT_DEBIAN_RUST[@]}"); fi
missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
else
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
  if [[ $wasm_mode == debian || $release_mode == size ]] && [[ ! -x /usr/bin/rustc || ! -d /usr/lib/rustlib/src ]]; then
    missing+=("${APT_DEBIAN_RUST[@]}")
  fi
fi
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    cat >&2 <<EOF
[setup] error: this machine has no apt-get. Install by hand, then re-run scripts/setup.sh:
  - Chromium and its matching ChromeDriver at /usr/bin/chromium and /usr/bin/chromedriver
    (Debian packages: ${APT_BROWSER[*]})
  - the wasm32 target: rustup target add wasm32-unknown-unknown
    (or Debian's ${APT_DEBIAN_RUST[*]} for a build-std toolchain)
  - for the size-optimised release build, Debian's ${APT_DEBIAN_RUST[*]}
    (or build with PODMORTEM_RELEASE_MODE=plain: a larger bundle)
Missing: ${missing[*]}
EOF
    exit 1
  fi
  SUDO=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install: ${missing[*]}"
    SUDO=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q >&2
  "${SUDO[@]}" apt-get install -y -q "${missing[@]}" >&2
fi
if [[ $wasm_mode == debian || $release_mode == size ]]; then
  [[ -x /usr/bin/rustc && -x /usr/bin/cargo ]] || die "/usr/bin/rustc or /usr/bin/cargo missing after installing rustc-web/cargo-web"
  # rust-lld is a link to lld-22: check that it resolves.
  for l in /usr/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld /usr/bin/rust-lld; do
    if [[ -L $l && ! -e $l ]]; then die "$l dangles: install lld-22"; fi
  done
fi

# --- 3. Cargo.lock and the wasm-bindgen version ----------------------------------------------
if [[ ! -f Cargo.lock ]]; then
  log "no Cargo.lock yet: cargo generate-lockfile"
  cargo generate-lockfile >&2
fi
WB_VERSION=$(awk '/^\[\[package\]\]/{n=""} /^name = /{n=$3} /^version = / && n=="\"wasm-bindgen\""{gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
[[ -n $WB_VERSION ]] || die "wasm-bindgen not found in Cargo.lock (is it a dependency of the web feature?)"

# --- 4. trunk and wasm-bindgen-cli into .tools (native rustup cargo) ---------------------------
cargo_install() { # crate version check-string
  local crate=$1 version=$2 t=$(date +%s)
  log "cargo install --locked $crate $version (several minutes on 2 cores)"
  # own target dir per crate, removed afterwards (it is ~1 GB); plain `cargo` = rustup stable.
  # trunk's release profile asks for fat LTO with one codegen unit: minutes of single-threaded work
  # for a dev tool whose speed does not matter here, so both are overridden.
  CARGO_TARGET_DIR=$TOOLS/build/$crate CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --force "$crate" --version "=$version" --root "$TOOLS" >&2
  rm -rf "$TOOLS/build/$crate"
  log "$crate $version installed in $(( $(date +%s) - t )) s"
}
if [[ "$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $WB_VERSION" ||
      "$("$TOOLS/bin/wasm-bindgen-test-runner" --version 2>/dev/null)" != *" $WB_VERSION"* ]]; then
  cargo_install wasm-bindgen-cli "$WB_VERSION"
fi
if [[ "$("$TOOLS/bin/trunk" --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  cargo_install trunk "$TRUNK_VERSION"
fi

# --- 5. npm: wasm-opt (binaryen), terser and playwright-core, from the committed lock ----------
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -x node_modules/.bin/wasm-opt || ! -d node_modules/terser || ! -d node_modules/playwright-core || "$(cat "$TOOLS/.npm-lock.sha256" 2>/dev/null)" != "$lock_sum" ]]; then
  log "npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_sum" >"$TOOLS/.npm-lock.sha256"
fi

# --- 6. the environment files ----------------------------------------------------------------
CARGO_BIN=
if [[ -x ${CARGO_HOME:-$HOME/.cargo}/bin/rustup ]]; then CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin:"; fi
cat >"$TOOLS/env.sh" <<EOF
# Generated by scripts/setup.sh: do not edit. Safe for native builds: source it in any shell.
export PODMORTEM_ROOT="$ROOT"
export PODMORTEM_WASM_MODE=$wasm_mode
# .tools/bin (trunk, wasm-bindgen), node_modules/.bin (wasm-opt), then rustup's cargo before any /usr/bin/cargo
case ":\$PATH:" in *":$TOOLS/bin:"*) ;; *) export PATH="$TOOLS/bin:$ROOT/node_modules/.bin:$CARGO_BIN\$PATH" ;; esac
# trunk: no update check, no downloads (wasm-bindgen/wasm-opt come from PATH; it passes --offline to cargo)
export TRUNK_SKIP_VERSION_CHECK=true
export TRUNK_OFFLINE=true
export TRUNK_TOOLS_WASM_BINDGEN=$WB_VERSION
export TRUNK_TOOLS_WASM_OPT=version_132
# browser tests: Debian's chromium/chromedriver, never a downloaded browser
export CHROMEDRIVER=/usr/bin/chromedriver
export CHROMIUM=/usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
EOF
{
  echo "# Generated by scripts/setup.sh: do not edit. ONLY for wasm32 builds (trunk, cargo --target wasm32-unknown-unknown)."
  echo "source \"$TOOLS/env.sh\""
  echo "export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner"
  echo "export WASM_BINDGEN_TEST_TIMEOUT=120"
  if [[ $wasm_mode == debian ]]; then
    echo "# Debian's rustc-web builds std for wasm32 from rust-web-src: /usr/bin first (after the tools), build-std on."
    echo "export PATH=\"$TOOLS/bin:$ROOT/node_modules/.bin:/usr/bin:\$PATH\""
    for kv in "${BUILD_STD_ENV[@]}"; do echo "export $kv"; done
  fi
} >"$TOOLS/wasm-env.sh"
{
  echo "# Generated by scripts/setup.sh: do not edit. ONLY for the release build (trunk build --release: dist/)."
  if [[ $release_mode == size ]]; then
    echo "source \"$TOOLS/env.sh\""
    echo "# Debian's rustc-web rebuilds std for size (build-std); its own target dir, so that switching"
    echo "# between this and the test toolchain rebuilds nothing."
    echo "export PATH=\"$TOOLS/bin:$ROOT/node_modules/.bin:/usr/bin:\$PATH\""
    for kv in "${BUILD_STD_ENV[@]}" "${RELEASE_STD_ENV[@]}"; do printf 'export %q\n' "$kv"; done
    echo "export CARGO_TARGET_DIR=\"$ROOT/target/release-size\""
  else
    echo "source \"$TOOLS/wasm-env.sh\""
  fi
  echo "export PODMORTEM_RELEASE_MODE=$release_mode"
} >"$TOOLS/release-env.sh"

# --- 7. fetch every crate, std's own dependencies too (build-std), so builds can run offline ----
cargo fetch --quiet >&2
if [[ $wasm_mode == debian ]]; then
  (source "$TOOLS/wasm-env.sh" && cargo fetch --quiet >&2)
fi
if [[ $release_mode == size ]]; then
  (source "$TOOLS/release-env.sh" && cargo fetch --quiet >&2)
fi

log "ready in $(( $(date +%s) - t0 )) s (wasm toolchain: $wasm_mode, release build: $release_mode, wasm-bindgen $WB_VERSION, trunk $TRUNK_VERSION)"
