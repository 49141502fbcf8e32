// Single-file build: dist/ (a trunk release build) → dist-single/podmortem.html, one HTML file with
// the stylesheet, the wasm-bindgen JS glue and the wasm (gzip, then base64; the browser's own
// DecompressionStream unpacks it) inlined. It works opened from
// file:// (air-gapped machines, attachments to runbooks): nothing is fetched at all.
//   node scripts/single-file.mjs [dist] [dist-single/podmortem.html]      (make single-file)
//
// The Content-Security-Policy stays strict. The served build allows scripts and styles from
// 'self'; a file:// page has no usable 'self' and inline code is all there is, so the single file
// allows exactly its own inline <script> and <style> by SHA-256 hash (no 'unsafe-inline'),
// connect-src becomes 'none' because it fetches nothing, and worker-src allows only the blob: the
// page itself makes for the diagnosis worker.
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(process.argv[2] ?? 'dist');
const out = path.resolve(process.argv[3] ?? 'dist-single/podmortem.html');

const fail = (msg) => { console.error(`single-file: ${msg}`); process.exit(1); };
const read = (rel, enc) => fs.readFile(path.join(dist, rel), enc).catch(() => fail(`${dist}/${rel} missing: run make build first`));

let html = await read('index.html', 'utf8');

// The loader tag trunk emits (Trunk.toml pattern_script): names the glue and the wasm.
const tagRe = /<script type="module" src="[^"]*boot\.js" data-js="([^"]+)" data-wasm="([^"]+)"><\/script>/;
const m = html.match(tagRe);
if (!m) fail('boot.js loader tag not found in index.html');
const [tag, jsRel, wasmRel] = m;
const glue = await read(jsRel, 'utf8');
const wasm = await read(wasmRel);
if (/^\s*import\s/m.test(glue)) fail(`${jsRel} imports other files (snippets): inline them first`);

// Turn the ES module glue into plain top-level declarations of one inline module script. The
// release glue is minified (scripts/pack.mjs), so exports are found anywhere on a line.
let code = glue
  .replace(/(^|[;}\s])export\s*\{[^}]*\};?/g, '$1')
  .replace(/(^|[;}\s])export\s+(default\s+)?(async function|function|class|const|let|var)\b/g, '$1$3');
if (/(^|[;}\s])export\b/.test(code)) fail('unexpected export form in the glue');
if (!/\b__wbg_init\b/.test(code)) fail('__wbg_init not found in the glue');

// boot.js and worker.js come from static/, their sources: the copies in a release dist/ are
// minified (scripts/pack.mjs) and no longer hold the markers read below.
const staticDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'static');
const readStatic = (name) => fs.readFile(path.join(staticDir, name), 'utf8').catch(() => fail(`${staticDir}/${name} missing`));
const boot = await readStatic('boot.js');
const themePrelude = boot.match(/try \{[\s\S]*?\} catch \{[^}]*\}/)?.[0] ?? '';
// The handler that shows the error banner when the wasm traps (a panic in the release build).
const fatalHandler = boot.match(/\/\/ @fatal-begin[\s\S]*?\/\/ @fatal-end/)?.[0];
if (!fatalHandler) fail('boot.js: @fatal-begin/@fatal-end markers not found');

// The diagnosis worker (static/worker.js) cannot be loaded from a file:// URL: it is started from
// a blob holding the glue and the worker code, and gets the page's compiled module by message.
// Chromium refuses module workers from blobs of a file:// page, so it is a classic worker: no
// import/export, and import.meta (only the glue's default wasm path, never used here) is replaced.
const workerJs = await readStatic('worker.js');
const loadRe = /\/\/ @load-begin[\s\S]*?\/\/ @load-end/;
if (!loadRe.test(workerJs)) fail('worker.js: @load-begin/@load-end markers not found');
if (!/\bdiagnose_wire\b/.test(code)) fail('diagnose_wire not exported by the glue');
if (/^\s*import\b|\bimport\(/m.test(code)) fail('the glue imports: a classic worker cannot load it');
const workerSource = `${code.replace(/\bimport\.meta\.url\b/g, 'self.location.href')}
${workerJs.replace(loadRe, () => `async function load({ module }) {
  await __wbg_init({ module_or_path: module });
  return { diagnose_wire };
}`)}`;

const script = `${themePrelude}
${fatalHandler}
${code}
const __podmortemWasmGzip = Uint8Array.from(atob("${zlib.gzipSync(wasm, { level: 9 }).toString('base64')}"), (c) => c.charCodeAt(0));
const __podmortemWasmBytes = await new Response(new Blob([__podmortemWasmGzip]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
const __podmortemModule = await WebAssembly.compile(__podmortemWasmBytes);
const __podmortemWorkerSource = ${JSON.stringify(workerSource).replace(/<\/(script)/gi, '<\\/$1')};
globalThis.podmortemStartWorker = () => {
  const url = URL.createObjectURL(new Blob([__podmortemWorkerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  worker.postMessage({ module: __podmortemModule });
  return worker;
};
const __podmortemInstance = await __wbg_init({ module_or_path: __podmortemModule });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: __podmortemInstance } }));
`;

// Stylesheets trunk linked: inline them.
let styles = '';
html = await replaceAsync(html, /<link rel="stylesheet" href="([^"]+)"[^>]*>/g, async (_, href) => {
  styles += await read(href, 'utf8');
  return '';
});
// Preload hints for files that no longer exist.
html = html.replace(/<link rel="(modulepreload|preload)"[^>]*>\s*/g, '');

const hash = (s) => `'sha256-${crypto.createHash('sha256').update(s, 'utf8').digest('base64')}'`;
const cspRe = /(<meta http-equiv="Content-Security-Policy" content=")([^"]+)(")/;
if (!cspRe.test(html)) fail('Content-Security-Policy meta tag not found');
html = html.replace(cspRe, (_, a, csp, z) => {
  const next = csp
    .replace(/script-src [^;]+/, `script-src ${hash(script)} 'wasm-unsafe-eval'`)
    .replace(/style-src [^;]+/, `style-src ${hash(styles)}`)
    .replace(/connect-src [^;]+/, "connect-src 'none'")
    .replace(/worker-src [^;]+/, 'worker-src blob:');
  return a + next + z;
});
html = html.replace(tag, () => '');
html = html.replace('</head>', () => `<style>${styles}</style>\n<script type="module">${script}</script>\n</head>`);

await fs.mkdir(path.dirname(out), { recursive: true });
await fs.writeFile(out, html);
console.log(`single-file: ${path.relative(process.cwd(), out)} (${(html.length / 1024).toFixed(0)} KiB; wasm ${(wasm.length / 1024).toFixed(0)} KiB, inlined gzip-compressed)`);

async function replaceAsync(s, re, fn) {
  const parts = [];
  let last = 0;
  for (const match of s.matchAll(re)) {
    parts.push(s.slice(last, match.index), await fn(...match));
    last = match.index + match[0].length;
  }
  parts.push(s.slice(last));
  return parts.join('');
}
