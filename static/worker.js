// The diagnosis worker: big inputs are diagnosed here so the page stays responsive. It runs the
// page's own wasm module (compiled by the page and posted in the first message), so nothing is
// fetched twice. Messages in: { glue, module } once, then { id, inputs: Uint8Array } (inputs in
// podmortem's wire format). Messages out: { id, report: Uint8Array } or { id, error }.
let engine = null;

// @load-begin (scripts/single-file.mjs replaces this function: the single file has no glue URL)
async function load({ glue, module }) {
  const g = await import(glue);
  await g.default({ module_or_path: module });
  return g;
}
// @load-end

onmessage = async ({ data }) => {
  if (data.module) {
    engine = load(data);
    return;
  }
  const { id, inputs } = data;
  try {
    const g = await engine;
    const report = g.diagnose_wire(inputs);
    postMessage({ id, report }, [report.buffer]);
  } catch (e) {
    postMessage({ id, error: String(e && e.message ? e.message : e) });
  }
};
