//! podmortem: a post-mortem for failed Kubernetes Jobs and Pods, from pasted text.
//!
//! The engine is one pure pipeline, visible in the modules:
//!
//! ```text
//! paste(s) ─► detect ─► parse ─► Facts ─► rules ─► Findings ─► fix ─► corrected manifest
//!                                                      └──────────► report (text, json, markdown)
//! ```
//!
//! Nothing here touches the DOM, the file system or the network: the web app (`web`, behind the
//! `web` feature) and the CLI (`src/bin/podmortem.rs`) are thin shells that feed text in and
//! render the [`report::Report`] out.

pub mod cause;
pub mod detect;
pub mod facts;
pub mod findings;
pub mod fix;
mod order;
pub mod parse;
pub mod report;
pub mod rules;
pub mod span;
mod wording;

#[cfg(feature = "web")]
pub mod web;

pub use report::{diagnose, Report};

/// One pasted text, as the user gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// A display name: a file name, or `paste 1`.
    pub name: String,
    pub text: String,
}

impl Input {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}
