//! The web shell: a Yew single-page app over the engine. Components lay out data; everything
//! that can be computed without the DOM (state transitions, highlighted lines, diff lines) lives
//! in [`state`] and [`view_model`] and is tested natively.

pub mod background;
pub mod components;
pub mod dom;
pub mod examples;
pub mod redact;
pub mod share;
pub mod state;
pub mod view_model;

/// Mount the app into `<body>`. A panic shows a message instead of a dead page; the user's
/// input stays in the textarea.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    // The diagnosis worker runs this same module: no window there, nothing to mount.
    if web_sys::window().is_none() {
        return;
    }
    // Yew's renderer installs its own panic hook unless one is registered through it. The
    // release build (panic=immediate-abort) never runs a hook: a panic traps and static/boot.js
    // shows the same banner, so it has none of this code; builds that unwind to a hook (tests,
    // a plain release) show this one.
    #[cfg(not(panic = "immediate-abort"))]
    yew::set_custom_panic_hook(Box::new(|info| {
        let msg = format!("podmortem hit an internal error and stopped updating: {info}");
        gloo::console::error!(msg.clone());
        if let Some(el) = gloo::utils::document().get_element_by_id("fatal") {
            el.set_text_content(Some(&format!(
                "{msg}\nYour input is still in the editor: copy it before you reload the page."
            )));
            let _ = el.remove_attribute("hidden");
        }
    }));
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .unwrap_or_else(|| gloo::utils::body().into());
    yew::Renderer::<components::app::App>::with_root(root).render();
}

/// Native builds of the web feature (tests, clippy) have no DOM to mount into.
#[cfg(not(target_arch = "wasm32"))]
pub fn start() {}
