// Single-file build: dist/ (a trunk release build) → dist-single/podmortem.html, one HTML file with
// the stylesheet, the wasm-bindgen JS glue and the wasm (base64) inlined. It works opened from
// file:// (air-gapped machines, attachments to runbooks): nothing is fetched at all.
//   node scripts/single-file.mjs [dist] [dist-single/podmortem.html]      (make single-file)
//
// The Content-Security-Policy stays strict. The served build allows scripts and styles from
// 'self'; a file:// page has no usable 'self' and inline code is all there is, so the single file
// allows exactly its own inline <script> and <style> by SHA-256 hash (no 'unsafe-inline'), and
// connect-src becomes 'none' because it fetches nothing.
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';

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

// Turn the ES module glue into plain top-level declarations of one inline module script.
let code = glue
  .replace(/^export\s*\{[^}]*\};?\s*$/gm, '')
  .replace(/^export (default )?(async function|function|class|const|let|var) /gm, '$2 ');
if (/^export\b/m.test(code)) fail('unexpected export form in the glue');
if (!/\b__wbg_init\b/.test(code)) fail('__wbg_init not found in the glue');

const boot = await read('boot.js', 'utf8');
const themePrelude = boot.match(/try \{[\s\S]*?\} catch \{[^}]*\}/)?.[0] ?? '';

const script = `${themePrelude}
${code}
const __podmortemWasmBytes = Uint8Array.from(atob("${wasm.toString('base64')}"), (c) => c.charCodeAt(0));
const __podmortemInstance = await __wbg_init({ module_or_path: __podmortemWasmBytes });
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
    .replace(/connect-src [^;]+/, "connect-src 'none'");
  return a + next + z;
});
html = html.replace(tag, () => '');
html = html.replace('</head>', () => `<style>${styles}</style>\n<script type="module">${script}</script>\n</head>`);

await fs.mkdir(path.dirname(out), { recursive: true });
await fs.writeFile(out, html);
console.log(`single-file: ${path.relative(process.cwd(), out)} (${(html.length / 1024).toFixed(0)} KiB; wasm ${(wasm.length / 1024).toFixed(0)} KiB inlined)`);

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
