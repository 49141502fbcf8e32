// Release packing of a trunk build: the same code in fewer bytes on the wire. Run by trunk after
// every release build (Trunk.toml, post_build hook, on its staging directory) or by hand:
//   node scripts/pack.mjs [dist]
//
// - wasm-bindgen names the wasm's imports and exports after Rust paths with crate hashes
//   (`__wbg_addEventListener_8d3235978b9c69a8`, closure shims of 200 characters). The hashes are
//   random text that gzip cannot shrink, and each name is written twice: in the wasm and in the
//   glue JS. They become short names, the same in both files.
// - The wasm's custom sections (`producers`, `target_features`) are dropped: browsers ignore them.
// - The glue, boot.js and worker.js are minified (terser); the stylesheet loses its comments and
//   the blanks around braces, semicolons and commas (never inside a string). The export names the other files use
//   stay: the glue's `default`, `initSync` and `diagnose_wire`, its `__wbg_init` (read by
//   scripts/single-file.mjs), and the wasm's own `diagnose_wire`.
// - index.html's integrity (SRI) hashes are computed again for the files that changed.
// Before anything is written, the packed glue instantiates the packed wasm in node and calls
// diagnose_wire; any mismatch between the two files fails the build.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { minify } from 'terser';

const fail = (msg) => { console.error(`pack: ${msg}`); process.exit(1); };

const profile = process.env.TRUNK_PROFILE;
if (profile && profile !== 'release') process.exit(0); // debug builds stay readable
const dir = path.resolve(process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist');
const file = (rel) => path.join(dir, rel);

const html = await fs.readFile(file('index.html'), 'utf8').catch(() => fail(`${dir}/index.html missing`));
const tag = html.match(/data-js="(?:\.\/)?([^"]+)" data-wasm="(?:\.\/)?([^"]+)"/);
if (!tag) fail('the boot.js loader tag (data-js, data-wasm) is not in index.html');
const [, jsRel, wasmRel] = tag;
const glue = await fs.readFile(file(jsRel), 'utf8');
const wasm = await fs.readFile(file(wasmRel));

// ---- names ----------------------------------------------------------------------------------
const RESERVED = new Set(['do', 'if', 'in']);
function namer(prefix = '') {
  let n = 0;
  return () => {
    for (;;) {
      let k = n++;
      let s = '';
      do {
        s += 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[k % 52];
        k = Math.floor(k / 52);
      } while (k > 0);
      if (!RESERVED.has(prefix + s)) return prefix + s;
    }
  };
}
// Exports the other files call by name.
const KEEP_EXPORTS = new Set(['diagnose_wire']);

// ---- wasm: rewrite the import and export sections, drop custom sections ---------------------
function reader(buf, pos) {
  const r = {
    pos,
    byte() {
      if (r.pos >= buf.length) fail('wasm: unexpected end');
      return buf[r.pos++];
    },
    u32() {
      let v = 0;
      let shift = 0;
      for (;;) {
        const b = r.byte();
        v += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return v;
        shift += 7;
        if (shift > 35) fail('wasm: bad LEB128');
      }
    },
    name() {
      const len = r.u32();
      const s = buf.subarray(r.pos, r.pos + len).toString('utf8');
      r.pos += len;
      return s;
    },
    limits() {
      const flags = r.byte();
      if (flags & ~0x03) fail(`wasm: limits flags ${flags} not handled`);
      r.u32();
      if (flags & 1) r.u32();
    },
  };
  return r;
}
const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
};
const nameBytes = (s) => Buffer.concat([leb(Buffer.byteLength(s)), Buffer.from(s, 'utf8')]);
const section = (id, body) => Buffer.concat([Buffer.from([id]), leb(body.length), body]);

if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) fail(`${wasmRel} is not a wasm module`);
const moduleNames = new Map(); // import module → short name
const importNames = new Map(); // import field → short name
const exportNames = new Map(); // export → short name
const nextModule = namer();
const nextImport = namer();
const nextExport = namer('_');
const parts = [wasm.subarray(0, 8)];
let dropped = 0;
for (let r = reader(wasm, 8); r.pos < wasm.length;) {
  const start = r.pos;
  const id = r.byte();
  const size = r.u32();
  const bodyStart = r.pos;
  const end = bodyStart + size;
  if (id === 0) {
    dropped += end - start;
  } else if (id === 2) {
    const count = r.u32();
    const body = [leb(count)];
    for (let i = 0; i < count; i++) {
      const mod = r.name();
      const field = r.name();
      const desc = r.pos;
      const kind = r.byte();
      if (kind === 0) r.u32();
      else if (kind === 1) { r.byte(); r.limits(); }
      else if (kind === 2) r.limits();
      else if (kind === 3) { r.byte(); r.byte(); }
      else fail(`wasm: import kind ${kind} not handled`);
      if (!moduleNames.has(mod)) moduleNames.set(mod, nextModule());
      if (!importNames.has(field)) importNames.set(field, nextImport());
      body.push(nameBytes(moduleNames.get(mod)), nameBytes(importNames.get(field)), wasm.subarray(desc, r.pos));
    }
    if (r.pos !== end) fail('wasm: import section size mismatch');
    parts.push(section(2, Buffer.concat(body)));
  } else if (id === 7) {
    const count = r.u32();
    const body = [leb(count)];
    for (let i = 0; i < count; i++) {
      const name = r.name();
      const desc = r.pos;
      r.byte();
      r.u32();
      const short = KEEP_EXPORTS.has(name) ? name : nextExport();
      exportNames.set(name, short);
      body.push(nameBytes(short), wasm.subarray(desc, r.pos));
    }
    if (r.pos !== end) fail('wasm: export section size mismatch');
    parts.push(section(7, Buffer.concat(body)));
  } else {
    parts.push(wasm.subarray(start, end));
  }
  r.pos = end;
}
const packedWasm = Buffer.concat(parts);

// ---- glue: the same renames, then minify ----------------------------------------------------
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let js = glue;
// Each import is one key of the import object (`name: function…`); each module one quoted key.
for (const [old, short] of importNames) {
  const re = new RegExp(`(?<![\\w$])${escape(old)}(?=\\s*:)`, 'g');
  const hits = js.match(re)?.length ?? 0;
  if (hits !== 1) fail(`glue: import ${old} appears ${hits} times as a key, expected once`);
  js = js.replace(re, short);
}
for (const [old, short] of moduleNames) {
  const re = new RegExp(`(["'])${escape(old)}\\1(?=\\s*:)`, 'g');
  const hits = js.match(re)?.length ?? 0;
  if (hits !== 1) fail(`glue: import module ${old} appears ${hits} times as a key, expected once`);
  js = js.replace(re, JSON.stringify(short));
}
// The glue reaches the exports as `wasm.name` only.
if (/\bwasm\s*\[/.test(js)) fail('glue: computed access to the wasm exports');
for (const [old, short] of exportNames) {
  js = js.replace(new RegExp(`(?<![\\w$.])wasm\\.${escape(old)}(?![\\w$])`, 'g'), `wasm.${short}`);
}
const left = [...exportNames.keys()].filter((n) => !KEEP_EXPORTS.has(n) && new RegExp(`\\bwasm\\.${escape(n)}(?![\\w$])`).test(js));
if (left.length) fail(`glue: exports not renamed: ${left.join(', ')}`);

const terse = async (code, reserved = []) => {
  const out = await minify(code, {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: { reserved },
    format: { comments: false },
  });
  if (!out.code) fail('terser produced no code');
  return out.code;
};
const packedGlue = await terse(js, ['__wbg_init', 'initSync', 'diagnose_wire']);

// ---- smoke test: the packed pair loads and runs in node --------------------------------------
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'podmortem-pack-'));
try {
  const tmpGlue = path.join(tmp, 'glue.mjs');
  await fs.writeFile(tmpGlue, packedGlue);
  const g = await import(pathToFileURL(tmpGlue).href);
  g.initSync({ module: new WebAssembly.Module(packedWasm) });
  let answer;
  try {
    answer = g.diagnose_wire(new Uint8Array([0x70, 0x6d]));
  } catch (e) {
    answer = e;
  }
  // Bytes that are not the wire format come back as the engine's own error message.
  if (typeof answer !== 'string' || !answer) fail(`smoke test: diagnose_wire answered ${String(answer)}`);
} finally {
  await fs.rm(tmp, { recursive: true, force: true });
}

// ---- write --------------------------------------------------------------------------------
const changed = new Map([[jsRel, packedGlue], [wasmRel, packedWasm]]);
for (const rel of ['boot.js', 'worker.js']) {
  const src = await fs.readFile(file(rel), 'utf8').catch(() => null);
  if (src !== null) changed.set(rel, await terse(src));
}
for (const [, rel] of html.matchAll(/<link rel="stylesheet" href="(?:\.\/)?([^"]+)"/g)) {
  changed.set(rel, minifyCss(await fs.readFile(file(rel), 'utf8')));
}
const report = [];
for (const [rel, data] of changed) {
  const before = (await fs.stat(file(rel))).size;
  await fs.writeFile(file(rel), data);
  report.push(`${rel} ${before} → ${Buffer.byteLength(data)} B`);
}
// Subresource integrity of the files that changed.
const sri = (data) => `sha384-${crypto.createHash('sha384').update(data).digest('base64')}`;
const packedHtml = html.replace(/<link\b[^>]*>/g, (link) => {
  const href = link.match(/\shref="(?:\.\/)?([^"]+)"/)?.[1];
  if (!href || !changed.has(href) || !/\sintegrity="/.test(link)) return link;
  return link.replace(/(\sintegrity=")[^"]*(")/, (_, a, z) => a + sri(changed.get(href)) + z);
});
await fs.writeFile(file('index.html'), packedHtml);
console.log(`pack: ${report.join('; ')}; ${dropped} B of custom sections dropped`);

// Comments go, blank runs become one space, and blanks next to `{ } ; ,` go; strings are copied
// as they are. Blanks elsewhere (`a :hover`, `calc(1px + 2px)`) can carry meaning and stay.
function minifyCss(css) {
  let out = '';
  let plain = '';
  const flush = () => {
    out += plain.replace(/\s+/g, ' ').replace(/ ?([{};,]) ?/g, '$1');
    plain = '';
  };
  for (let i = 0; i < css.length;) {
    if (css.startsWith('/*', i)) {
      const end = css.indexOf('*/', i + 2);
      if (end < 0) fail('stylesheet: unclosed comment');
      i = end + 2;
      plain += ' ';
    } else if (css[i] === '"' || css[i] === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== css[i]) j += css[j] === '\\' ? 2 : 1;
      if (j >= css.length) fail('stylesheet: unclosed string');
      flush();
      out += css.slice(i, j + 1);
      i = j + 1;
    } else {
      plain += css[i++];
    }
  }
  flush();
  return out.replace(/;}/g, '}').trim();
}
