//! One component (or stateless view function) per file; props `<Name>Props`, callbacks
//! `on_<event>`.

pub mod advice_view;
pub mod app;
pub mod copy_button;
pub mod finding_card;
pub mod input_pane;
pub mod manifest_view;
pub mod report_view;
pub mod rich;
pub mod share_panel;
