// Starts the wasm app. It lives in its own file (not trunk's inline loader) so that the page's
// Content-Security-Policy allows scripts from 'self' only. Trunk fills in the data-js / data-wasm
// attributes of the <script> tag that loads this file (Trunk.toml: pattern_script).
// The saved theme is applied first, so a dark page does not flash light while wasm loads.
try {
  const theme = localStorage.getItem('podmortem.theme');
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
} catch { /* storage blocked: the system preference applies */ }
// @fatal-begin (scripts/single-file.mjs copies this block into the single file)
// The release build stops at a Rust panic with a wasm trap, without running a panic hook
// (scripts/setup.sh: panic=immediate-abort). A trap reaches the page as an uncaught
// WebAssembly.RuntimeError: show the error banner; the page and the user's input stay as they are.
const fatal = (err) => {
  if (!(err instanceof WebAssembly.RuntimeError)) return;
  let el = document.getElementById('fatal');
  if (!el) {
    el = document.createElement('pre');
    el.id = 'fatal';
    el.className = 'fatal';
    el.setAttribute('role', 'alert');
    document.body.prepend(el);
  } else if (!el.hidden) {
    return; // a panic hook (builds that have one) already said more
  }
  el.textContent = `podmortem hit an internal error and stopped updating: ${err.message}\n`
    + 'Your input is still in the editor: copy it before you reload the page.';
  el.hidden = false;
};
addEventListener('error', (e) => fatal(e.error));
addEventListener('unhandledrejection', (e) => fatal(e.reason));
// @fatal-end
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
