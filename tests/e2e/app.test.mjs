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

const SAVE_DOCS_SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1'; // rewrite docs/screenshot.png
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
  for (const s of servers) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(s.url).origin });
  }
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

  // The rule's documentation, section by section, with its references as links that send nothing.
  const about = page.locator('.finding[data-code="PM001"] .explanation').first();
  await about.locator('summary').click();
  await about.locator('h4').first().waitFor(); // the sections are built when the card opens
  const aboutText = await about.textContent();
  for (const heading of ['Why this matters', 'What the rule looks for', 'Use instead', 'How far to trust the fix', 'References']) {
    assert.ok(aboutText.includes(heading), `the rule docs show "${heading}"`);
  }
  const link = about.locator('a[href^="https://kubernetes.io/"]').first();
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await link.getAttribute('target'), '_blank');

  // the same result in the dark colour scheme, for a look at static/style.css: the page follows
  // the system setting as it changes (no theme was chosen with the toggle)
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.screenshot({ path: path.join(ARTIFACTS, 'oom-result-dark.png'), fullPage: true });
});

test('built-in example from a sub-path', async () => {
  await open(servers[1].url);
  // The examples menu must stay the same element: a <select> written again counts as a changed
  // selection for the browser's form autofill, whose task lays the page out before the next frame.
  await page.evaluate(() => { document.getElementById('examples').dataset.kept = '1'; });
  await page.locator('#load-example').click();
  await page.locator('.finding').first().waitFor({ state: 'visible' });
  assert.equal(await page.locator('#examples').getAttribute('data-kept'), '1', 'the examples menu is kept across renders');
});

// --- helpers ------------------------------------------------------------------------------------

const fixture = () => fs.readFile(FIXTURE, 'utf8');
const cause = () => page.locator('#primary-cause').getAttribute('data-cause');
const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

async function download(selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: await fs.readFile(file, 'utf8') };
}

// --- the page -----------------------------------------------------------------------------------

test('every built-in example names its cause', async () => {
  await open(servers[0].url);
  const options = await page.locator('#examples option[data-cause]').evaluateAll((os) =>
    os.map((o) => ({ value: o.value, cause: o.dataset.cause, title: o.textContent })));
  assert.ok(options.length >= 1, 'the examples menu lists examples');
  for (const o of options) {
    await page.locator('#examples').selectOption(o.value);
    await page.locator(`#primary-cause[data-cause="${o.cause}"]`).waitFor();
    assert.ok((await page.locator('.finding').count()) > 0, `${o.title}: findings shown`);
    assert.equal(await page.locator('#examples').inputValue(), '', 'the menu resets after loading');
  }
});

test('fixes that are commands are shown as snippets with copy buttons (swap, missing secret)', async () => {
  await open(servers[0].url);
  const options = await page.locator('#examples option[data-cause]').evaluateAll((os) =>
    os.map((o) => ({ value: o.value, cause: o.dataset.cause })));
  for (const cause of ['swap-enabled', 'config-error-missing-ref']) {
    const o = options.find((x) => x.cause === cause);
    assert.ok(o, `an example for ${cause}`);
    await page.locator('#examples').selectOption(o.value);
    await page.locator(`#primary-cause[data-cause="${cause}"]`).waitFor();
    await page.locator('#advice .snippet pre').first().waitFor();
    const text = await page.locator('#advice').textContent();
    if (cause === 'swap-enabled') {
      assert.match(text, /swapoff -a/, 'disable swap is one choice');
      assert.match(text, /failSwapOn: false/, 'a KubeletConfiguration is the other');
    } else {
      assert.match(text, /kubectl create (secret|configmap)/, `the create command: ${text}`);
    }
    assert.ok((await page.locator('#advice button.copy').count()) > 0, 'snippets have copy buttons');
  }
});

test('paste → diagnosis → corrected manifest: copy, download, side by side, exports', async () => {
  await open(servers[0].url);
  await page.locator('#input').fill(await fixture());
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();

  // headline with the chain job → pod → container → reason
  const chain = await page.locator('#primary-cause .chain li').allInnerTexts();
  assert.ok(chain.length >= 3, `a chain from the Job to the cause, got ${JSON.stringify(chain)}`);
  assert.ok(chain.some((c) => c.includes('backup-28391-x7k2p')), `the pod is in the chain: ${chain}`);

  // detected pieces with line ranges
  const pieces = await page.locator('#pieces li').allTextContents();
  assert.ok(pieces.length >= 2 && pieces.every((p) => /lines \d+–\d+/.test(p)), `pieces: ${pieces}`);

  // a next step copied with its button
  await page.locator('.next-steps button.copy').first().click();
  assert.match(await clipboard(), /^kubectl /);

  // the corrected manifest: copy and download
  await page.locator('#copy-manifest').click();
  const copied = await clipboard();
  assert.ok(copied.includes('memory: 512Mi') && copied.includes('kind: Job'), copied);
  const yaml = await download('#download-manifest');
  assert.equal(yaml.name, 'manifest.fixed.yaml');
  assert.equal(yaml.text, copied);

  // side by side
  await page.locator('#diff-split').click();
  await page.locator('#manifest-split').waitFor();
  assert.ok(await page.locator('#manifest-diff').isHidden());
  const rows = await page.locator('#manifest-split .row.chg').allInnerTexts();
  assert.ok(rows.some((r) => r.includes('512Mi')), `changed rows: ${rows}`);
  await page.locator('#diff-unified').click();
  await page.locator('#manifest-diff').waitFor();

  // exports: Markdown and the CLI JSON contract
  const md = await download('#download-markdown');
  assert.equal(md.name, 'podmortem-report.md');
  assert.match(md.text, /oom/i);
  const json = await download('#download-json');
  const parsed = JSON.parse(json.text);
  assert.equal(parsed.version, 1);
  assert.equal(parsed.primary_cause, 'oom-killed');
  await page.locator('#copy-json').click();
  assert.deepEqual(JSON.parse(await clipboard()), parsed);
});

test('selecting a finding selects its evidence in the input', async () => {
  await open(servers[0].url);
  await page.locator('#load-example').click();
  await page.locator('.finding .show-evidence').first().click();
  const sel = await page.locator('#input').evaluate((ta) => ({
    text: ta.value.slice(ta.selectionStart, ta.selectionEnd),
    focused: document.activeElement === ta,
    scrolled: ta.scrollTop,
  }));
  assert.ok(sel.text.length > 0, 'a non-empty selection');
  assert.ok(sel.focused, 'the textarea has focus so the selection shows');
  assert.ok((await page.locator('.gutter span.sel').count()) > 0, 'the gutter marks the selected lines');
  assert.ok((await page.locator('.gutter span.ev').count()) > 0, 'the gutter marks evidence lines');
  await page.keyboard.press('Escape');
  await page.locator('.gutter span.sel').first().waitFor({ state: 'detached' });
});

test('several inputs: tabs, a picked file with progress, clear all', async () => {
  await open(servers[0].url);
  const text = await fixture();
  const cut = text.indexOf('apiVersion: batch/v1');
  assert.ok(cut > 0, 'the fixture holds a Job manifest');
  await page.locator('#input').fill(text.slice(0, cut));
  await page.locator('#add-tab').click();
  assert.equal(await page.locator('.tab').count(), 2);
  await page.locator('#input').fill(text.slice(cut));
  await page.locator('#tab-name').fill('job.yaml');
  await page.locator('#tab-name').press('Enter');
  await page.locator('.tab button[role="tab"]', { hasText: 'job.yaml' }).waitFor();
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
  await page.locator('#corrected-manifest').waitFor({ state: 'attached' });
  assert.ok((await page.locator('#corrected-manifest').textContent()).includes('512Mi'));
  assert.equal((await download('#download-manifest')).name, 'job.fixed.yaml');

  await page.locator('#clear').click();
  assert.equal(await page.locator('.tab').count(), 1);
  assert.equal(await page.locator('#input').inputValue(), '');
  await page.locator('.finding').first().waitFor({ state: 'detached' });

  await page.locator('#file-pick').setInputFiles(FIXTURE);
  await page.locator('.tab button[role="tab"]', { hasText: 'oom-describe-and-job.txt' }).waitFor();
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
});

test('share link: redaction preview, then the link restores the redacted inputs', async () => {
  await open(servers[1].url);
  const secret = 'token: s3cr3t-t0ken-value\n  client-key-data: LS0tLS1CRUdJTiBQUklWQVRF\n-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\nNode: worker-3/10.20.30.40\n';
  await page.locator('#input').fill((await fixture()) + '\n' + secret);
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
  await page.locator('#share-button').click();
  const preview = page.locator('#redaction-preview');
  await preview.waitFor();
  let shown = await preview.innerText();
  for (const s of ['s3cr3t-t0ken-value', 'LS0tLS1CRUdJTiBQUklWQVRF', 'MIIBszCCAVmgAwIBAgIUQ']) {
    assert.ok(!shown.includes(s), `${s} is masked in the preview`);
  }
  assert.ok(shown.includes('10.20.30.40'), 'IPs are kept unless asked');
  await page.locator('#mask-ips').check();
  await page.locator('#redaction-preview mark[title="IP address"]').first().waitFor();
  shown = await preview.innerText();
  assert.ok(!shown.includes('10.20.30.40'));
  const link = await page.locator('#share-link').inputValue();
  assert.match(link, /\/some\/sub\/path\/(index\.html)?#v1=[A-Za-z0-9_-]+$/);
  assert.ok(!link.includes('s3cr3t'));
  await page.locator('#copy-link').click();
  assert.equal(await clipboard(), link);
  await page.keyboard.press('Escape');
  await page.locator('#share-panel').waitFor({ state: 'detached' });

  // a fresh page from the link
  const requests = [];
  const other = await context.newPage();
  other.on('request', (r) => requests.push(r.url()));
  other.on('console', (m) => { if (m.type() === 'error') problems.push(`console error (shared page): ${m.text()}`); });
  await other.goto(link);
  await other.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
  const restored = await other.locator('#input').inputValue();
  assert.ok(restored.includes('OOMKilled') && restored.includes('[redacted]') && restored.includes('[ip]'));
  assert.ok(!restored.includes('s3cr3t-t0ken-value') && !restored.includes('10.20.30.40'));
  assert.ok(requests.length > 0 && requests.every((u) => !u.includes('v1=')), 'the fragment is never sent');
  await other.screenshot({ path: path.join(ARTIFACTS, 'share-link-restored.png'), fullPage: true });
  await other.close();
});

test('embed mode: compact chrome, works from a sub-path', async () => {
  await open(servers[1].url + '?embed=1');
  assert.equal(await page.locator('.app.embed').count(), 1);
  assert.equal(await page.locator('.tagline').count(), 0);
  await page.locator('#load-example').click();
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
  const href = await page.locator('#open-full').getAttribute('href');
  assert.match(href, /^\.\/#v1=/, 'the full-page link is relative and carries the inputs');
});

test('dark mode: system preference, toggle, persisted', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await open(servers[0].url);
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await bg(), 'rgb(21, 22, 26)');
  await page.locator('#load-example').click();
  await page.locator('.finding').first().waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'dark-mode.png'), fullPage: true });
  await page.locator('#theme-toggle').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  assert.equal(await bg(), 'rgb(247, 247, 248)');
  await page.reload();
  await page.locator('#input').waitFor();
  assert.equal(await bg(), 'rgb(247, 247, 248)', 'the choice survives a reload');
  await page.locator('#theme-toggle').click();
  assert.equal(await bg(), 'rgb(21, 22, 26)');
  await page.evaluate(() => localStorage.clear());
});

test('XSS probe: pasted markup is shown as text', async () => {
  await open(servers[0].url);
  const probe = 'Containers:\n  <img src=x onerror="window.__xss=1">:\n    Last State:  Terminated\n      Reason:    OOMKilled\n      Exit Code: 137\n<script>window.__xss=2</script>\n';
  await page.locator('#input').fill(probe);
  await page.locator('.finding').first().waitFor();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('img').count(), 0, 'no element made from the paste');
  assert.equal(await page.locator('body script:not([src])').count(), 0);
  assert.equal(await page.locator('#input').inputValue(), probe, 'the input keeps the markup as text');
  await page.locator('#share-button').click();
  assert.ok((await page.locator('#redaction-preview').innerText()).includes('<script>window.__xss=2</script>'));
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

test('an internal error (a wasm trap) shows the error banner and keeps the input', async () => {
  // A panic in the release build is a wasm trap (panic=immediate-abort). This raises a real one:
  // the raw export reads its input at an address beyond the module's memory.
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => {
    window.__podmortemExports = e.detail.wasm;
  }));
  await open(servers[0].url);
  const text = 'Containers:\n  app:\n    Last State:  Terminated\n      Reason:    OOMKilled\n      Exit Code: 137\n';
  await page.locator('#input').fill(text);
  await page.locator('.finding').first().waitFor();
  assert.equal(await page.locator('#fatal').isVisible(), false);
  await page.evaluate(() => setTimeout(() => window.__podmortemExports.diagnose_wire(0xfffffff0, 16)));
  const fatal = page.locator('#fatal');
  await fatal.waitFor({ state: 'visible' });
  assert.match(await fatal.innerText(), /internal error and stopped updating: .+\nYour input is still in the editor/);
  assert.equal(await page.locator('#input').inputValue(), text, 'the input is kept');
  // The trap is the one uncaught exception this test causes.
  const traps = problems.filter((p) => p.startsWith('uncaught exception: RuntimeError'));
  assert.equal(traps.length, 1, problems.join('\n'));
  problems = problems.filter((p) => !traps.includes(p));
});

test('keyboard: help, examples, new input, Ctrl+Enter, Esc', async () => {
  await open(servers[0].url);
  await page.locator('body').press('?');
  await page.locator('#help').waitFor();
  assert.match(await page.locator('#help').innerText(), /Ctrl\+Enter/);
  await page.keyboard.press('Escape');
  await page.locator('#help').waitFor({ state: 'detached' });
  await page.keyboard.press('Alt+KeyE');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'examples');
  await page.keyboard.press('Alt+KeyN');
  assert.equal(await page.locator('.tab').count(), 2);
  await page.locator('#input').fill('Containers:\n  w:\n    State:  Terminated\n      Reason:  OOMKilled\n');
  await page.locator('#input').press('Control+Enter');
  await page.locator('.finding').first().waitFor();
});

test('accessibility: every control has a name, and Tab walks the page in reading order', async () => {
  await open(servers[0].url);
  await page.locator('#load-example').click();
  await page.locator('.finding').first().waitFor();
  await page.locator('#share-button').click();
  await page.locator('#share-panel').waitFor();
  // An accessible name for every control: aria-label, aria-labelledby, a <label>, or its text.
  const unnamed = await page.evaluate(() => {
    const name = (el) => {
      if (el.getAttribute('aria-label')?.trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\s+/).some((id) => document.getElementById(id)?.textContent.trim())) return true;
      if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return true;
      if (el.tagName !== 'INPUT' && el.tagName !== 'TEXTAREA' && el.textContent.trim()) return true;
      return false;
    };
    return [...document.querySelectorAll('button, input, select, textarea, a[href], summary, [role="tab"]')]
      .filter((el) => !name(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
  assert.deepEqual(unnamed, [], 'controls without an accessible name');
  await page.keyboard.press('Escape');

  // Focus order follows the document: Tab from the top reaches the toolbar, the tabs, the editor
  // and the results in that order, never jumping backwards.
  await page.evaluate(() => document.activeElement?.blur());
  const order = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const all = [...document.querySelectorAll('*')];
      return { id: el.id, index: all.indexOf(el), tag: el.tagName };
    }));
  }
  const seen = order.filter(Boolean);
  for (const id of ['load-example', 'examples', 'clear', 'add-tab', 'input']) {
    assert.ok(seen.some((f) => f.id === id), `Tab reaches #${id}: ${seen.map((f) => f.id || f.tag).join(' ')}`);
  }
  const editor = seen.findIndex((f) => f.id === 'input');
  const first = seen.slice(0, editor + 1);
  for (let i = 1; i < first.length; i++) {
    assert.ok(first[i].index > first[i - 1].index, `focus goes back from ${first[i - 1].id || first[i - 1].tag} to ${first[i].id || first[i].tag}`);
  }
  assert.ok(seen.slice(editor + 1).some((f) => f.tag === 'BUTTON' || f.tag === 'SUMMARY'), 'Tab continues into the results');
});

test('phone width: no horizontal scrolling', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(servers[0].url);
  await page.locator('#load-example').click();
  await page.locator('.finding').first().waitFor();
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
  assert.ok(scroll <= width + 1, `page scrolls sideways: ${scroll} > ${width}`);
});

test('main state screenshot (docs/screenshot.png with UPDATE_SCREENSHOT=1)', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(servers[0].url);
  await page.locator('#load-example').click();
  await page.locator('.finding .show-evidence').first().click();
  await page.locator('.gutter span.sel').first().waitFor();
  const shot = path.join(ARTIFACTS, 'main-state.png');
  await page.screenshot({ path: shot });
  if (SAVE_DOCS_SCREENSHOT) await fs.copyFile(shot, path.join(ROOT, 'docs', 'screenshot.png'));
});

// A 50 MB log dropped on the page: read with progress, diagnosed in the worker while the page keeps
// answering. The page runs a 50 ms heartbeat and the test clicks the theme toggle while the
// diagnosis runs; the longest main-thread stall and the click latency are written to
// test-artifacts/large-file.json (the note quotes them) and bounded here.
const LARGE_MB = 50;
const MAX_STALL_MS = 1000; // no single main-thread task this long at any time
const MAX_CLICK_MS = 500; // a click during the diagnosis is answered this fast

test(`a ${LARGE_MB} MB log file dropped on the page is diagnosed off the main thread`, async () => {
  await open(servers[0].url);
  const tail = await fs.readFile(path.join(ROOT, 'src/web/examples/oom-kernel-log.txt'), 'utf8');
  // Built inside the page: 50 MB never crosses the test driver's connection.
  await page.evaluate(({ mb, tail }) => {
    const line = 'I1127 01:02:03.000000       1 worker.go:88] processed batch rows=1000 elapsed_ms=420\n';
    const text = line.repeat(Math.ceil((mb * 1e6) / line.length)) + tail; // the evidence is at the very end
    window.__bigFile = new File([text], 'worker-big.log', { type: 'text/plain' });
    // Heartbeat: the gaps between ticks are main-thread stalls.
    window.__beat = { last: performance.now(), max: 0, ticks: 0 };
    // File reading shows its progress bar (however short the read).
    window.__sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('#file-progress')) window.__sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
    setInterval(() => {
      const now = performance.now();
      window.__beat.max = Math.max(window.__beat.max, now - window.__beat.last);
      window.__beat.last = now;
      window.__beat.ticks++;
    }, 50);
  }, { mb: LARGE_MB, tail });
  await page.waitForTimeout(200);
  const t0 = Date.now();
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(window.__bigFile);
    const zone = document.querySelector('.input-pane');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    window.__beat.max = 0; // measure from the drop on
  });
  await page.locator('#busy').waitFor({ timeout: 60_000 });
  // While the worker diagnoses: the page answers a click.
  const before = await page.evaluate(() => document.documentElement.dataset.theme ?? '');
  const clickMs = await page.evaluate((before) => new Promise((resolve) => {
    const t = performance.now();
    document.querySelector('#theme-toggle').click();
    const changed = () => (document.documentElement.dataset.theme ?? '') !== before;
    const poll = () => (changed() ? resolve(performance.now() - t) : requestAnimationFrame(poll));
    requestAnimationFrame(poll);
  }), before);
  assert.notEqual(await page.evaluate(() => document.documentElement.dataset.theme), before, 'the theme toggled');
  assert.ok(await page.locator('#busy').isVisible(), 'still diagnosing when the click was answered');
  await page.screenshot({ path: path.join(ARTIFACTS, 'large-file-diagnosing.png') }).catch(() => {});
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor({ timeout: 120_000 });
  const totalMs = Date.now() - t0;
  const beat = await page.evaluate(() => window.__beat);
  assert.ok(await page.evaluate(() => window.__sawProgress), 'reading the file showed its progress');
  await page.locator('.tab button[role="tab"]', { hasText: 'worker-big.log' }).waitFor();
  assert.ok(await page.locator('#input').evaluate((ta) => ta.readOnly), 'a big input is a read-only preview');
  const shown = await page.locator('#input').inputValue();
  assert.ok(shown.length < 400_000 && shown.includes('not shown: the whole input is diagnosed'));
  const evidence = (await page.locator('.finding').first().textContent());
  assert.match(evidence, /OOMKilled|oom-kill|Killed process/i, 'evidence from the end of the 50 MB file');
  // Ctrl+Enter without an edit keeps the diagnosis: the 50 MB are not sent to the worker again.
  await page.keyboard.press('Control+Enter');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#busy').count(), 0, 'no second diagnosis of unchanged inputs');
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
  const figures = { mb: LARGE_MB, total_ms: totalMs, longest_stall_ms: Math.round(beat.max), click_ms: Math.round(clickMs), ticks: beat.ticks };
  await fs.writeFile(path.join(ARTIFACTS, 'large-file.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(`large file: ${JSON.stringify(figures)}`);
  assert.ok(clickMs < MAX_CLICK_MS, `click answered in ${clickMs} ms`);
  assert.ok(beat.max < MAX_STALL_MS, `longest main-thread stall ${beat.max} ms`);
});

test('a small file dropped on the page is read into a tab and diagnosed on the page', async () => {
  await open(servers[0].url);
  const text = await fixture();
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.txt', { type: 'text/plain' }));
    const zone = document.querySelector('.input-pane');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.locator('.tab button[role="tab"]', { hasText: 'dropped.txt' }).waitFor();
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
  assert.equal(await page.locator('#busy').count(), 0, 'small inputs are not sent to the worker');
  assert.equal(await page.locator('#input').inputValue(), text);
});

test('a worker that cannot start: a big input is diagnosed on the page instead', async () => {
  let served = 0;
  await page.route('**/worker.js', (route) => {
    served++;
    return route.fulfill({
      status: 200, contentType: 'text/javascript', body: "throw new Error('worker blocked for this test');",
    });
  });
  await open(servers[0].url);
  const tail = await fs.readFile(path.join(ROOT, 'src/web/examples/oom-kernel-log.txt'), 'utf8');
  await page.evaluate((tail) => {
    const line = 'I1127 01:02:03.000000       1 worker.go:88] processed batch rows=1000 elapsed_ms=420\n';
    const dt = new DataTransfer();
    dt.items.add(new File([line.repeat(5_000) + tail], 'big.log', { type: 'text/plain' }));
    document.querySelector('.input-pane').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, tail);
  await page.locator('#primary-cause[data-cause="oom-killed"]').waitFor();
  assert.equal(await page.locator('#diagnosis-error').count(), 0);
  assert.ok(served >= 1, 'the page asked for the worker, and got the broken one');
});
