// Size report of a trunk build: raw, gzip -9 and brotli (quality 11) bytes per kind of file, and
// the precompressed .gz copies the release build ships (scripts/precompress.mjs, zopfli): what a
// host that serves those copies sends, where gzip -9 is what one compressing on the fly sends.
//   node scripts/size-report.mjs [dist]      (node's zlib only; the .gz copies are read, not made)
// Set SIZE_REPORT_JSON=path to also write the figures as JSON.
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = path.resolve(process.argv[2] ?? 'dist');
const KINDS = ['wasm', 'js', 'css', 'html'];

async function* walk(d) {
  for (const e of await fs.readdir(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

const sizes = (buf) => ({
  raw: buf.length,
  gzip: zlib.gzipSync(buf, { level: 9 }).length,
  brotli: zlib.brotliCompressSync(buf, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  }).length,
});

const zero = () => ({ files: 0, raw: 0, gzip: 0, shipped: 0, brotli: 0 });
const rows = Object.fromEntries([...KINDS, 'other', 'total'].map((k) => [k, zero()]));
const files = [];
let shippedCopies = 0;
try {
  for await (const file of walk(dir)) {
    if (file.endsWith('.gz') || file.endsWith('.br')) continue; // the copies, counted with their file
    const ext = path.extname(file).slice(1);
    const kind = KINDS.includes(ext) ? ext : 'other';
    const s = sizes(await fs.readFile(file));
    // without a shipped copy, the file goes out as a host compresses it: gzip -9 at best
    s.shipped = (await fs.stat(`${file}.gz`).catch(() => null))?.size ?? s.gzip;
    shippedCopies += s.shipped === s.gzip ? 0 : 1;
    files.push({ file: path.relative(dir, file), kind, ...s });
    for (const k of [kind, 'total']) {
      rows[k].files += 1;
      for (const m of ['raw', 'gzip', 'shipped', 'brotli']) rows[k][m] += s[m];
    }
  }
} catch (err) {
  console.error(`size-report: cannot read ${dir}: ${err.message} (build first: make build)`);
  process.exit(1);
}
if (!rows.wasm.files) {
  console.error(`size-report: no .wasm file in ${dir}`);
  process.exit(1);
}
if (!rows.other.files) delete rows.other;

const fmt = (n) => n.toLocaleString('en-US');
const table = [['', 'files', 'raw', 'gzip -9', '.gz shipped', 'brotli'], ...Object.entries(rows).map(([k, r]) => [k, r.files, r.raw, r.gzip, r.shipped, r.brotli].map((v, i) => (i ? fmt(v) : v)))];
const widths = table[0].map((_, c) => Math.max(...table.map((r) => String(r[c]).length)));
const line = (r) => r.map((v, c) => (c ? String(v).padStart(widths[c]) : String(v).padEnd(widths[c]))).join('  ');
console.log(`Size of ${path.relative(process.cwd(), dir) || dir} (bytes)`);
table.forEach((r, i) => {
  console.log(line(r));
  if (i === 0 || i === table.length - 2) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
});
if (!shippedCopies) console.log('(no precompressed .gz copies in this build: ".gz shipped" repeats gzip -9)');
if (process.env.SIZE_REPORT_JSON) {
  await fs.writeFile(process.env.SIZE_REPORT_JSON, JSON.stringify({ dir, totals: rows, files }, null, 2) + '\n');
}
