// Budget figures for the release build in headless Chromium (make perf, after make build):
//   - load → interactive (the app mounted: #input in the DOM), from the Performance API's time origin
//   - first diagnosis of the built-in OOM example: click → headline on screen, and the engine's own
//     time (the page's data-diagnose-ms, measured with performance.now() around diagnose())
//   - diagnosis of a ~20 KB paste in wasm (data-diagnose-ms)
// Each figure is the median of RUNS fresh page loads (default 7). Writes test-artifacts/perf.json.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from './static-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RUNS ?? 7);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x) => `${x.toFixed(1)} ms`;

const { server, url } = await startStaticServer({ dir: path.resolve(ROOT, process.argv[2] ?? 'dist') });
const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podmortem-perf-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS,
});
// Records when the app has mounted (#input exists).
await context.addInitScript(() => {
  new MutationObserver((_, obs) => {
    if (document.getElementById('input')) { window.__mounted = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
});

const fixture = await fs.readFile(path.join(ROOT, 'tests/e2e/fixtures/oom-describe-and-job.txt'), 'utf8');
// ~20 KB: the describe + Job fixture followed by application log lines.
let paste = fixture + '\n';
for (let i = 0; paste.length < 20_000; i++) {
  paste += `2026-11-27T03:${String(10 + (i % 50)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z INFO worker batch=${i} rows=${1000 + i * 7} elapsed_ms=${(i * 37) % 900} msg="processed batch"\n`;
}

const results = { mounted: [], exampleClickToResult: [], exampleDiagnose: [], paste20kDiagnose: [], paste20kBytes: paste.length };
for (let run = 0; run < RUNS; run++) {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__mounted !== undefined);
  results.mounted.push(await page.evaluate(() => window.__mounted));
  const click = await page.evaluate(() => new Promise((resolve) => {
    const t0 = performance.now();
    document.getElementById('load-example').click();
    const check = () => document.querySelector('#primary-cause[data-cause="oom-killed"]')
      ? resolve(performance.now() - t0) : requestAnimationFrame(check);
    check();
  }));
  results.exampleClickToResult.push(click);
  results.exampleDiagnose.push(Number(await page.locator('.report').getAttribute('data-diagnose-ms')));

  await page.locator('#input').fill(paste + `# run ${run}\n`);
  await page.locator('#input').press('Control+Enter');
  await page.waitForFunction((n) => document.querySelector('.report') && document.getElementById('input').value.endsWith(`# run ${n}\n`), run);
  await page.waitForTimeout(300);
  results.paste20kDiagnose.push(Number(await page.locator('.report').getAttribute('data-diagnose-ms')));
  await page.close();
}
await context.close();
server.close();
await fs.rm(userDataDir, { recursive: true, force: true });

const summary = Object.fromEntries(Object.entries(results).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, { median: median(v), runs: v }]));
console.log(`podmortem perf (median of ${RUNS} runs, headless Chromium, localhost)`);
console.log(`  load → interactive (app mounted):        ${fmt(summary.mounted.median)}`);
console.log(`  OOM example: click → headline on screen:  ${fmt(summary.exampleClickToResult.median)}`);
console.log(`  OOM example: diagnose() in wasm:          ${fmt(summary.exampleDiagnose.median)}`);
console.log(`  ${results.paste20kBytes} B paste: diagnose() in wasm:      ${fmt(summary.paste20kDiagnose.median)}`);
await fs.mkdir(path.join(ROOT, 'test-artifacts'), { recursive: true });
await fs.writeFile(path.join(ROOT, 'test-artifacts', 'perf.json'), JSON.stringify({ runs: RUNS, paste20kBytes: results.paste20kBytes, ...summary }, null, 2));
