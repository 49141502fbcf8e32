// End-to-end test of the built web app (dist/) in Debian's headless Chromium, driven by playwright-core.
//   node --test tests/e2e/          (after `trunk build --release`; `make test` does both)
// Env: DIST_DIR (default dist), CHROMIUM (default /usr/bin/chromium), ARTIFACTS_DIR (default test-artifacts).
// The DOM contract used here (#input, #load-example, .finding[data-code], #primary-cause[data-cause],
// .next-steps, #corrected-manifest, #manifest-diff) is implemented by src/web/. Text is read with
// textContent: #corrected-manifest may sit in a closed <details>.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../scripts/static-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.resolve(ROOT, process.env.DIST_DIR ?? 'dist');
const ARTIFACTS = path.resolve(ROOT, process.env.ARTIFACTS_DIR ?? 'test-artifacts');
const FIXTURE = path.join(ROOT, 'tests', 'e2e', 'fixtures', 'oom-describe-and-job.txt');
const TIMEOUT = 30_000;
// Chromium as root on a machine with a closed network: quiet and sandbox-less.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let servers = [];
let context;
let userDataDir;
let page;
let origin; // the origin of the page under test: every request must stay on it
let problems; // requests outside the origin, failed requests, console errors, page errors

before(async () => {
  await fs.access(path.join(DIST, 'index.html')).catch(() => {
    throw new Error(`${DIST}/index.html missing: run \`trunk build --release\` first (make build)`);
  });
  await fs.mkdir(ARTIFACTS, { recursive: true });
  // Served at the root and under a sub-path: the build uses relative URLs (Trunk.toml public_url = "./").
  servers.push(await startStaticServer({ dir: DIST }));
  servers.push(await startStaticServer({ dir: DIST, prefix: '/some/sub/path/' }));
  userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'podmortem-e2e-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
});

after(async () => {
  await context?.close();
  await Promise.all(servers.map(({ server }) => new Promise((r) => server.close(r))));
  if (userDataDir) await fs.rm(userDataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  problems = [];
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return; // never leave the browser
    if (url.origin !== origin) {
      problems.push(`request outside the page's origin: ${req.method()} ${req.url()}`);
    }
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.stack ?? err}`));
});

afterEach(async (t) => {
  await page?.screenshot({ path: path.join(ARTIFACTS, `${slug(t.name)}.png`), fullPage: true }).catch(() => {});
  await page?.close();
  assert.deepEqual(problems, [], 'no outside requests, failed requests, console errors or exceptions');
});

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

async function open(base) {
  origin = new URL(base).origin;
  await page.goto(base, { waitUntil: 'load' });
  await page.locator('#input').waitFor({ state: 'visible' }); // the wasm app has mounted
}

test('pasted OOMKilled describe + Job manifest: cause, next steps, corrected manifest, diff', async () => {
  await open(servers[0].url);
  const fixture = await fs.readFile(FIXTURE, 'utf8');
  await page.locator('#input').fill(fixture);

  const finding = page.locator('.finding[data-code="PM001"]');
  await finding.first().waitFor({ state: 'visible' });
  assert.equal(await page.locator('#primary-cause').getAttribute('data-cause'), 'oom-killed');
  assert.match(await finding.first().textContent(), /\bdump\b/, 'the finding names container "dump"');

  const nextSteps = (await page.locator('.next-steps').allTextContents()).join('\n');
  assert.ok(
    nextSteps.includes('kubectl logs backup-28391-x7k2p -c dump --previous -n data'),
    `next steps give the kubectl logs command, got:\n${nextSteps}`,
  );

  const corrected = await page.locator('#corrected-manifest').textContent();
  assert.ok(corrected.includes('memory: 512Mi'), `limit doubled after repeated OOM kills, got:\n${corrected}`);

  const diff = await page.locator('#manifest-diff').textContent();
  assert.match(diff, /^-.*memory:/m, `diff removes the old memory line, got:\n${diff}`);
  assert.match(diff, /^\+.*memory: 512Mi/m, `diff adds the new memory line, got:\n${diff}`);

  // the same result in the dark colour scheme, for a look at static/style.css
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(ARTIFACTS, 'oom-result-dark.png'), fullPage: true });
});

test('built-in example from a sub-path', async () => {
  await open(servers[1].url);
  await page.locator('#load-example').click();
  await page.locator('.finding').first().waitFor({ state: 'visible' });
});
