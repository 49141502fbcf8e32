// The release dist/ is packed (scripts/pack.mjs, run by trunk after a release build): short
// wasm-bindgen names in both the wasm and the glue, minified JS, and SRI hashes that match the
// files as written. The app's own tests (app.test.mjs) show that the packed pair runs.
//   node --test tests/e2e/          (after `trunk build --release`)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.resolve(ROOT, process.env.DIST_DIR ?? 'dist');

const html = await fs.readFile(path.join(DIST, 'index.html'), 'utf8');
const [, jsRel, wasmRel] = html.match(/data-js="(?:\.\/)?([^"]+)" data-wasm="(?:\.\/)?([^"]+)"/) ?? [];

test('index.html names the glue and the wasm', () => {
  assert.ok(jsRel && wasmRel, 'boot.js loader tag with data-js and data-wasm');
});

test('every integrity hash in index.html matches the file it names', async () => {
  const links = [...html.matchAll(/<link\b[^>]*\sintegrity="([^"]+)"[^>]*>/g)];
  assert.ok(links.length >= 3, 'the stylesheet, the glue and the wasm carry integrity hashes');
  for (const [link, integrity] of links) {
    const href = link.match(/\shref="(?:\.\/)?([^"]+)"/)[1];
    const [algo, digest] = integrity.split('-', 2);
    const data = await fs.readFile(path.join(DIST, href));
    assert.equal(crypto.createHash(algo).update(data).digest('base64'), digest, href);
  }
});

test('the wasm imports and exports short names, and the glue provides each import', async () => {
  const module = new WebAssembly.Module(await fs.readFile(path.join(DIST, wasmRel)));
  const glue = await fs.readFile(path.join(DIST, jsRel), 'utf8');
  const imports = WebAssembly.Module.imports(module);
  assert.ok(imports.length > 50, `${imports.length} imports`);
  for (const { module: mod, name } of imports) {
    assert.ok(mod.length <= 2 && name.length <= 3, `import ${mod}.${name}`);
    assert.match(glue, new RegExp(`[{,]${name}(:|\\()`), `the glue defines import ${name}`);
  }
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  assert.ok(exports.includes('diagnose_wire'), 'diagnose_wire keeps its name');
  assert.ok(exports.every((n) => n === 'diagnose_wire' || n.length <= 4), exports.join(' '));
  assert.ok(!WebAssembly.Module.customSections(module, 'producers').length, 'no producers section');
});

test('the glue, boot.js and worker.js are minified, and the glue keeps the names single-file needs', async () => {
  const glue = await fs.readFile(path.join(DIST, jsRel), 'utf8');
  assert.doesNotMatch(glue, /__wbg_\w+_[0-9a-f]{16}/, 'no hashed wasm-bindgen names');
  assert.match(glue, /\b__wbg_init\b/);
  assert.match(glue, /export function diagnose_wire\(/);
  for (const rel of [jsRel, 'boot.js', 'worker.js']) {
    const text = await fs.readFile(path.join(DIST, rel), 'utf8');
    assert.doesNotMatch(text, /^\s*\/\//m, `${rel}: no comment lines`);
    assert.ok(text.split('\n').length <= 3, `${rel}: ${text.split('\n').length} lines`);
  }
});

test('the stylesheet lost its comments and keeps its strings', async () => {
  const rel = html.match(/<link rel="stylesheet" href="(?:\.\/)?([^"]+)"/)[1];
  const css = await fs.readFile(path.join(DIST, rel), 'utf8');
  const source = await fs.readFile(path.join(ROOT, 'static', 'style.css'), 'utf8');
  assert.doesNotMatch(css, /\/\*/);
  assert.ok(css.length < source.length * 0.95, `${css.length} of ${source.length} B`);
  for (const s of source.replace(/\/\*[\s\S]*?\*\//g, '').match(/"[^"]*"/g)) assert.ok(css.includes(s), s);
});
