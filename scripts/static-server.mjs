// A tiny static file server for dist/ (no dependencies). Used by `make serve` and the e2e test.
// It sends the release build's precompressed copies (NAME.br, NAME.gz) to clients that accept them.
//   node scripts/static-server.mjs [dir=dist] [port=8080] [host=127.0.0.1]
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', // needed by WebAssembly.instantiateStreaming
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `dir` on host:port (port 0 = a free one). With `prefix` (e.g. "/sub/path/") the files are
 * served only under that path, to check that the app works from a sub-path.
 * Resolves to { server, url } where url is the base URL, ending in "/".
 */
export async function startStaticServer({ dir, host = '127.0.0.1', port = 0, prefix = '/' } = {}) {
  const root = path.resolve(dir);
  const server = http.createServer(async (req, res) => {
    try {
      let pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!pathname.startsWith(prefix)) return send(res, 404, 'not found');
      pathname = '/' + pathname.slice(prefix.length);
      if (pathname.endsWith('/')) pathname += 'index.html';
      const file = path.join(root, path.normalize(pathname));
      if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, 'forbidden');
      const { body, encoding } = await readPrecompressed(file, req.headers['accept-encoding']);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        ...(encoding && { 'content-encoding': encoding }),
        vary: 'accept-encoding',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      send(res, err.code === 'ENOENT' || err.code === 'EISDIR' ? 404 : 500, String(err.code ?? err));
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const { port: actual } = server.address();
  return { server, url: `http://${host}:${actual}${prefix}` };
}

// The release build ships NAME.br and NAME.gz next to its files (scripts/precompress.mjs). They
// are sent as they are when the client accepts that encoding, as nginx's gzip_static and
// brotli_static do; otherwise, or when there is no copy, the file itself.
const ENCODINGS = [['br', '.br'], ['gzip', '.gz']];

/** Whether an Accept-Encoding header allows `encoding` (named, or by `*`; `;q=0` refuses). */
export function accepts(header, encoding) {
  const q = new Map();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name) q.set(name, weight ? Number(weight.slice(2)) : 1);
  }
  const w = q.get(encoding) ?? q.get('*') ?? 0;
  return w > 0;
}

async function readPrecompressed(file, acceptEncoding) {
  for (const [encoding, suffix] of ENCODINGS) {
    if (!accepts(acceptEncoding, encoding)) continue;
    const body = await fs.readFile(file + suffix).catch(() => null);
    if (body) return { body, encoding };
  }
  return { body: await fs.readFile(file), encoding: null };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const [dir = path.join(here, '..', 'dist'), port = '8080', host = '127.0.0.1'] = process.argv.slice(2);
  await fs.access(path.join(dir, 'index.html')).catch(() => {
    console.error(`${dir}/index.html not found: build first (make build)`);
    process.exit(1);
  });
  const { url } = await startStaticServer({ dir, port: Number(port), host });
  console.log(`podmortem: serving ${path.resolve(dir)} at ${url}  (Ctrl-C to stop)`);
}
