//! Diagnosis off the main thread. Big inputs (a dropped 50 MB log) would hold the page for
//! seconds, so they go to a Web Worker (`static/worker.js`) that runs this same wasm module:
//! the page compiles the module once and posts it to the worker (`static/boot.js`), nothing is
//! downloaded twice. Inputs and report cross the thread boundary in the engine's wire format
//! ([`crate::report::wire`]), transferred rather than copied.
//!
//! Small inputs stay on the main thread: a 20 KB paste takes milliseconds, less than a round
//! trip to the worker.

use crate::report::wire;
use crate::{diagnose, Input};

/// Inputs (all tabs together, in bytes) at least this big are diagnosed in the worker.
pub const WORKER_MIN: usize = 256 << 10;

/// Whether `inputs` go to the worker.
pub fn wants_worker(inputs: &[Input]) -> bool {
    inputs.iter().map(|i| i.text.len()).sum::<usize>() >= WORKER_MIN
}

/// The worker's entry point: inputs in wire format → the report in wire format. Exported to
/// JavaScript (`worker.js` calls it); a decoding error comes back as a message.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn diagnose_wire(inputs: &[u8]) -> Result<Vec<u8>, String> {
    let inputs = wire::decode_inputs(inputs).map_err(|e| e.to_string())?;
    Ok(wire::encode(&diagnose(&inputs)))
}

pub use client::{Client, Reply};

/// Compiles natively too (clippy, native tests of the web feature), where it is never called.
mod client {
    use crate::report::wire;
    use crate::{Input, Report};
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    /// What the worker sent back for job `id`.
    pub enum Reply {
        Report {
            id: u32,
            report: Box<Report>,
        },
        Failed {
            id: u32,
            error: String,
        },
        /// The worker could not run at all (its script failed to load or to start): the job
        /// is better done on the page, slowly, than not at all.
        Unavailable {
            id: u32,
        },
    }

    /// The page's handle on the worker. The caller keeps one job in flight and restarts the
    /// worker for a new one, so a stale 50 MB diagnosis never delays the current one.
    pub struct Client {
        worker: Option<web_sys::Worker>,
        on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
        on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
        /// The id of the last job posted (a worker error is reported against it).
        last: Rc<Cell<u32>>,
    }

    impl Client {
        /// `on_reply` gets every reply; the caller drops those for old job ids.
        pub fn new(on_reply: impl Fn(Reply) + 'static) -> Self {
            let on_reply = Rc::new(on_reply);
            let last = Rc::new(Cell::new(0));
            let on_message = {
                let on_reply = on_reply.clone();
                Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                    if let Some(reply) = read_reply(&e.data()) {
                        on_reply(reply);
                    }
                })
            };
            // The worker script failed to load or threw outside a job (a trap inside a job
            // comes back as a message).
            let on_error = {
                let last = last.clone();
                Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                    e.prevent_default();
                    on_reply(Reply::Unavailable { id: last.get() });
                })
            };
            Self {
                worker: None,
                on_message,
                on_error,
                last,
            }
        }

        /// Post a job; returns its id, or `None` when no worker can be started here (the page
        /// was loaded without `boot.js`, or workers are blocked): then diagnose on the page.
        /// `restart` first stops the worker (a job still running, or one that failed).
        pub fn post(&mut self, inputs: &[Input], restart: bool) -> Option<u32> {
            if restart {
                if let Some(w) = self.worker.take() {
                    w.terminate();
                }
            }
            if self.worker.is_none() {
                self.worker = start_worker();
                if let Some(w) = &self.worker {
                    w.set_onmessage(Some(self.on_message.as_ref().unchecked_ref()));
                    w.set_onerror(Some(self.on_error.as_ref().unchecked_ref()));
                }
            }
            let worker = self.worker.as_ref()?;
            let id = self.last.get().wrapping_add(1);
            self.last.set(id);
            let bytes = js_sys::Uint8Array::from(wire::encode_inputs(inputs).as_slice());
            let msg = js_sys::Object::new();
            js_sys::Reflect::set(&msg, &"id".into(), &JsValue::from(id)).ok()?;
            js_sys::Reflect::set(&msg, &"inputs".into(), &bytes).ok()?;
            worker
                .post_message_with_transfer(&msg, &js_sys::Array::of1(&bytes.buffer()))
                .ok()?;
            Some(id)
        }
    }

    impl Drop for Client {
        fn drop(&mut self) {
            if let Some(w) = self.worker.take() {
                w.terminate();
            }
        }
    }

    fn start_worker() -> Option<web_sys::Worker> {
        let start = js_sys::Reflect::get(&js_sys::global(), &"podmortemStartWorker".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        start
            .call0(&JsValue::NULL)
            .ok()?
            .dyn_into::<web_sys::Worker>()
            .ok()
    }

    fn read_reply(data: &JsValue) -> Option<Reply> {
        let id = js_sys::Reflect::get(data, &"id".into()).ok()?.as_f64()? as u32;
        let report = js_sys::Reflect::get(data, &"report".into()).ok()?;
        if let Some(bytes) = report.dyn_ref::<js_sys::Uint8Array>() {
            return Some(match wire::decode(&bytes.to_vec()) {
                Ok(report) => Reply::Report {
                    id,
                    report: Box::new(report),
                },
                Err(e) => Reply::Failed {
                    id,
                    error: e.to_string(),
                },
            });
        }
        let error = js_sys::Reflect::get(data, &"error".into())
            .ok()
            .and_then(|e| e.as_string())
            .unwrap_or_else(|| "no report".to_string());
        Some(Reply::Failed { id, error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_entry_point_round_trips_a_diagnosis() {
        let text = "State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n";
        let inputs = vec![Input::new("pod.txt".to_string(), text.to_string())];
        let bytes = diagnose_wire(&wire::encode_inputs(&inputs)).expect("diagnosis");
        let report = wire::decode(&bytes).expect("decodes");
        let direct = diagnose(&inputs);
        assert_eq!(report.primary_cause, direct.primary_cause);
        assert_eq!(
            crate::report::json::render(&report, &inputs),
            crate::report::json::render(&direct, &inputs)
        );
    }

    #[test]
    fn the_worker_entry_point_reports_bad_input_instead_of_panicking() {
        assert!(diagnose_wire(b"not the wire format").is_err());
        assert!(diagnose_wire(&[]).is_err());
    }

    #[test]
    fn only_big_inputs_go_to_the_worker() {
        let small = vec![Input::new("a".to_string(), "x".repeat(WORKER_MIN - 1))];
        assert!(!wants_worker(&small));
        let split = vec![
            Input::new("a".to_string(), "x".repeat(WORKER_MIN / 2)),
            Input::new("b".to_string(), "x".repeat(WORKER_MIN / 2)),
        ];
        assert!(wants_worker(&split));
    }
}
