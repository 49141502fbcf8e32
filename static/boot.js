// Starts the wasm app. It lives in its own file (not trunk's inline loader) so that the page's
// Content-Security-Policy allows scripts from 'self' only. Trunk fills in the data-js / data-wasm
// attributes of the <script> tag that loads this file (Trunk.toml: pattern_script).
// The saved theme is applied first, so a dark page does not flash light while wasm loads.
try {
  const theme = localStorage.getItem('podmortem.theme');
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
} catch { /* storage blocked: the system preference applies */ }
const tag = document.querySelector('script[data-js][data-wasm]');
const glue = new URL(tag.dataset.js, document.baseURI).href;
const wasmUrl = new URL(tag.dataset.wasm, document.baseURI);
const { default: init } = await import(glue);
// The module is compiled once here and handed to the diagnosis worker (worker.js), which
// instantiates the same code: the wasm is downloaded once.
const module = await WebAssembly.compileStreaming(fetch(wasmUrl))
  .catch(async () => WebAssembly.compile(await (await fetch(wasmUrl)).arrayBuffer()));
// Called by the app (src/web/background.rs) the first time an input is big enough to be
// diagnosed off the main thread.
globalThis.podmortemStartWorker = () => {
  const worker = new Worker(new URL('worker.js', document.baseURI), { type: 'module' });
  worker.postMessage({ glue, module });
  return worker;
};
const wasm = await init({ module_or_path: module });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
