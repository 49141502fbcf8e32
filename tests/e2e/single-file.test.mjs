// The single-file build (make single-file → dist-single/podmortem.html) opened from file://:
// the app mounts, diagnoses the built-in example, and nothing is requested beyond the file.
//   Env: SINGLE_FILE (default dist-single/podmortem.html), CHROMIUM, ARTIFACTS_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILE = path.resolve(ROOT, process.env.SINGLE_FILE ?? 'dist-single/podmortem.html');
const ARTIFACTS = path.resolve(ROOT, process.env.ARTIFACTS_DIR ?? 'test-artifacts');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let context;
let userDataDir;

before(async () => {
  await fs.access(FILE).catch(() => { throw new Error(`${FILE} missing: run make single-file first`); });
  await fs.mkdir(ARTIFACTS, { recursive: true });
  userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podmortem-single-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) await fs.rm(userDataDir, { recursive: true, force: true });
});

test('single-file build works from file:// with its CSP and no other request', async () => {
  const html = await fs.readFile(FILE, 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external script');
  assert.doesNotMatch(html, /<link[^>]+rel="stylesheet"/, 'no external stylesheet');
  assert.doesNotMatch(html, /unsafe-inline/, 'the CSP allows inline code by hash only');

  const url = pathToFileURL(FILE).href;
  const problems = [];
  const page = await context.newPage();
  page.on('request', (r) => {
    const u = r.url();
    if (u !== url && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request: ${u}`);
  });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e}`));
  await page.goto(url);
  await page.locator('#input').waitFor({ timeout: 30_000 });
  await page.locator('#load-example').click();
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
  assert.ok((await page.locator('#corrected-manifest').textContent()).includes('memory:'));
  // A big input goes to the diagnosis worker, started from a blob (no worker file from file://).
  const tail = await fs.readFile(path.join(ROOT, 'src/web/examples/oom-kernel-log.txt'), 'utf8');
  await page.evaluate((tail) => {
    const line = 'I1127 01:02:03.000000       1 worker.go:88] processed batch rows=1000 elapsed_ms=420\n';
    const dt = new DataTransfer();
    dt.items.add(new File([line.repeat(40_000) + tail], 'big.log', { type: 'text/plain' }));
    document.querySelector('#clear').click();
    const zone = document.querySelector('.input-pane');
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, tail);
  await page.locator('#busy').waitFor({ timeout: 30_000 });
  await page.locator('.tab button[role="tab"]', { hasText: 'big.log' }).waitFor();
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'single-file.png'), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});
