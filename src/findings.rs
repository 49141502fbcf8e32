//! What the rules report: findings with labelled evidence spans.

use crate::cause::Cause;
use crate::fix::Fix;
use crate::span::Span;
use serde::Serialize;
use std::borrow::Borrow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One labelled span: the primary label points at the proof, others at what supports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub span: Span,
    pub label: String,
    pub primary: bool,
}

impl Evidence {
    /// The span is taken by reference (a `Span` value works too): the rules point at spans
    /// of facts they borrow, and a span passed by value is copied at each of the many call
    /// sites first.
    pub fn primary(span: impl Borrow<Span>, label: impl Into<String>) -> Self {
        Self::new(span.borrow(), label.into(), true)
    }
    pub fn context(span: impl Borrow<Span>, label: impl Into<String>) -> Self {
        Self::new(span.borrow(), label.into(), false)
    }
    /// Out of line: the rules build evidence in many places.
    #[inline(never)]
    fn new(span: &Span, label: String, primary: bool) -> Self {
        Self {
            span: *span,
            label,
            primary,
        }
    }
}

/// Appending evidence in one call: the rules add labelled spans in many places, and building
/// the value and pushing it were two calls at each of them.
pub trait EvidenceList {
    fn primary(&mut self, span: &Span, label: impl Into<String>);
    fn context(&mut self, span: &Span, label: impl Into<String>);
    /// Primary when it is the first entry of the list, context otherwise.
    fn primary_if_first(&mut self, span: &Span, label: impl Into<String>);
}

impl EvidenceList for Vec<Evidence> {
    fn primary(&mut self, span: &Span, label: impl Into<String>) {
        push_evidence(self, span, label.into(), true);
    }
    fn context(&mut self, span: &Span, label: impl Into<String>) {
        push_evidence(self, span, label.into(), false);
    }
    fn primary_if_first(&mut self, span: &Span, label: impl Into<String>) {
        let first = self.is_empty();
        push_evidence(self, span, label.into(), first);
    }
}

#[inline(never)]
fn push_evidence(list: &mut Vec<Evidence>, span: &Span, label: String, primary: bool) {
    list.push(Evidence::new(span, label, primary));
}

/// One problem found in the pastes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule code, e.g. `PM001`.
    pub code: &'static str,
    /// Kebab-case rule name, e.g. `container-oom-killed`.
    pub name: &'static str,
    pub cause: Cause,
    pub severity: Severity,
    /// How sure the rule is, 0–100; used to rank findings of the same severity.
    pub confidence: u8,
    /// What happened, matter-of-fact, lower case, no trailing period.
    pub message: String,
    /// Why it happened and what to do.
    pub help: String,
    pub evidence: Vec<Evidence>,
    /// Commands to run next, with the real names from the paste.
    pub next_steps: Vec<String>,
    /// The chain from symptom to cause, e.g. `["job/x", "pod/x-abc", "container/worker", "OOMKilled", "exit 137"]`.
    pub chain: Vec<String>,
    /// A proposed change to a manifest, if the evidence supports one.
    #[serde(skip)]
    pub fix: Option<Fix>,
}
