// Precompressed copies of the release files, for static hosts that serve them as they are
// (nginx `gzip_static on` / `brotli_static on`, Caddy `file_server { precompressed br gzip }`,
// scripts/static-server.mjs): next to each .html, .js, .css and .wasm file, `NAME.gz` (zopfli:
// gzip format that any client reads, about 4 % smaller than gzip -9) and `NAME.br` (brotli 11).
// A host that compresses on the fly sends gzip -9 or less instead; `make size` reports both.
// Run by scripts/pack.mjs after a release build, or by hand:  node scripts/precompress.mjs [dist]
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { gzip as zopfliGzip } from '@gfx/zopfli';

export const KINDS = ['html', 'js', 'css', 'wasm'];
export const SUFFIXES = ['.gz', '.br'];

/** gzip-format bytes of `data` made by zopfli; they decompress with any gzip reader. */
export function zopfli(data) {
  return new Promise((resolve, reject) =>
    zopfliGzip(data, { numiterations: 15 }, (err, out) => (err ? reject(err) : resolve(Buffer.from(out)))),
  );
}

export function brotli(data) {
  return zlib.brotliCompressSync(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

async function* walk(dir) {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * Writes NAME.gz and NAME.br next to every html/js/css/wasm file under `dir`, each checked by
 * decompressing it again, and removes copies whose file is gone. Returns [{ file, raw, gz, br }].
 */
export async function precompress(dir) {
  const done = [];
  for await (const file of walk(dir)) {
    const suffix = SUFFIXES.find((s) => file.endsWith(s));
    if (suffix) {
      // a copy left from an earlier build whose file is gone, or was renamed by its hash
      const original = file.slice(0, -suffix.length);
      if (!(await fs.stat(original).catch(() => null))) await fs.rm(file);
      continue;
    }
    if (!KINDS.includes(path.extname(file).slice(1))) continue;
    const data = await fs.readFile(file);
    const gz = await zopfli(data);
    const br = brotli(data);
    if (!zlib.gunzipSync(gz).equals(data) || !zlib.brotliDecompressSync(br).equals(data)) {
      throw new Error(`precompress: ${file}: a compressed copy does not give the file back`);
    }
    await fs.writeFile(`${file}.gz`, gz);
    await fs.writeFile(`${file}.br`, br);
    done.push({ file: path.relative(dir, file), raw: data.length, gz: gz.length, br: br.length });
  }
  return done;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = path.resolve(process.argv[2] ?? 'dist');
  const done = await precompress(dir).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
  const sum = (k) => done.reduce((n, f) => n + f[k], 0);
  console.log(`precompress: ${done.length} files, ${sum('raw')} B → .gz ${sum('gz')} B, .br ${sum('br')} B`);
}
