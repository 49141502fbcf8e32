// Starts the wasm app. It lives in its own file (not trunk's inline loader) so that the page's
// Content-Security-Policy allows scripts from 'self' only. Trunk fills in the data-js / data-wasm
// attributes of the <script> tag that loads this file (Trunk.toml: pattern_script).
// The saved theme is applied first, so a dark page does not flash light while wasm loads.
try {
  const theme = localStorage.getItem('podmortem.theme');
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
} catch { /* storage blocked: the system preference applies */ }
const tag = document.querySelector('script[data-js][data-wasm]');
const { default: init } = await import(new URL(tag.dataset.js, document.baseURI).href);
const wasm = await init({ module_or_path: new URL(tag.dataset.wasm, document.baseURI) });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
