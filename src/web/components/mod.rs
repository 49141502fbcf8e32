//! One view per file: the two components (`App`, and the input gutter, which re-renders only
//! when its lines change), the rest plain functions the app calls, with their state kept by
//! the app (each component type costs its own copy of Yew's lifecycle code in the wasm). Props `<Name>Props`, callbacks `on_<event>`.

pub mod advice_view;
pub mod app;
pub mod copy_button;
pub mod finding_card;
pub mod input_pane;
pub mod manifest_view;
pub mod report_view;
pub mod rich;
pub mod share_panel;
