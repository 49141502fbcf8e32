// Measures a large log file dropped on the page (file picker): time until the diagnosis is on
// screen and the longest main-thread stall (gap between requestAnimationFrame ticks) meanwhile.
// Inputs this big are diagnosed in the worker (src/web/background.rs); the stall left is reading the
// file into the page and rendering the result.
//   node scripts/large-input.mjs [MB=50] [DIST=dist]        (after make build)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from './static-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = Number(process.argv[2] ?? 50);
const file = path.join(os.tmpdir(), `podmortem-${MB}mb.log`);
const head = await fs.readFile(path.join(ROOT, 'src/web/examples/oom-kernel-log.txt'), 'utf8');
const lines = [];
let size = 0;
for (let i = 0; size < MB * 1e6; i++) {
  const l = `2026-11-27T01:${String(i % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z INFO worker batch=${i} rows=${1000 + (i % 777)} elapsed_ms=${(i * 37) % 900} msg="processed batch"\n`;
  lines.push(l);
  size += l.length;
}
await fs.writeFile(file, lines.join('') + head);

const { server, url } = await startStaticServer({ dir: path.resolve(ROOT, process.argv[3] ?? 'dist') });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.goto(url);
await page.locator('#input').waitFor();
await page.evaluate(() => {
  window.__gaps = [];
  let last = performance.now();
  const tick = (t) => { window.__gaps.push(t - last); last = t; window.__raf = requestAnimationFrame(tick); };
  window.__raf = requestAnimationFrame(tick);
  window.__t0 = performance.now();
});
await page.locator('#file-pick').setInputFiles(file);
await page.locator('#primary-cause').waitFor({ timeout: 600_000 });
const r = await page.evaluate(() => { cancelAnimationFrame(window.__raf); return { total: performance.now() - window.__t0, maxGap: Math.max(...window.__gaps), ms: document.querySelector('.report')?.dataset.diagnoseMs, cause: document.querySelector('#primary-cause').dataset.cause }; });
console.log(`${MB} MB log file: diagnosis on screen after ${r.total.toFixed(0)} ms (diagnose() ${Number(r.ms).toFixed(0)} ms), cause ${r.cause}, longest main-thread stall ${r.maxGap.toFixed(0)} ms`);
await browser.close();
server.close();
await fs.rm(file);
