//! One component per file; props `<Name>Props`, callbacks `on_<event>`.

pub mod app;
pub mod finding_card;
pub mod input_pane;
pub mod manifest_view;
pub mod report_view;
