//! One view per file: one component (`App`), the rest plain functions the app calls, with their
//! state kept by the app (each component type costs its own copy of Yew's lifecycle code in the
//! wasm). Most of the page is markup written by [`rich::Out`] (text escaped), its controls
//! handled by the app's click and change handlers on the page, by `id`, class or `data-*`;
//! elements stay elements where the app sets a value (the editor) or listens itself (the drop
//! zone). Props `<Name>Props`, callbacks `on_<event>`.

pub mod advice_view;
pub mod app;
pub mod finding_card;
pub mod input_pane;
pub mod manifest_view;
pub mod report_view;
pub mod rich;
pub mod share_panel;
