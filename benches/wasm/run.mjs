// node benches/wasm/run.mjs <path to podmortem_bench_wasm.wasm>
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const wasm = readFileSync(process.argv[2]);
const { instance } = await WebAssembly.instantiate(wasm, {});
const x = instance.exports;
const RUNS = 5;
const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];

function bench(label, gen, bytes) {
  const n = gen(bytes);
  for (const [name, f] of [["detect+parse", x.parse], ["streaming scan", x.scan]]) {
    const times = [];
    let out = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      out = f();
      times.push((performance.now() - t) / 1000);
    }
    const m = median(times);
    console.log(`wasm ${label}: ${(n / 1e6).toFixed(1)} MB, ${name} median ${m.toFixed(3)} s = ${(n / 1e6 / m).toFixed(1)} MB/s (${out} signals)`);
  }
}

bench("100 MB log", x.gen_log, 100_000_000);
bench("5 MB mixed paste", x.gen_mixed, 5_000_000);
