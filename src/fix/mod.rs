//! Fixes: minimal text edits on the user's manifest, located through the span-aware YAML tree,
//! never a re-serialised document. Every fix is checked before it is shown: the result
//! re-parses, passes the Job validation rules, and holds the values the fix meant to write.
//!
//! Fixes that are not manifest edits (creating a Secret, disabling swap on a node, checking
//! an image) are [`Snippet`]s: exact commands or configuration with the real names from the
//! paste.
//!
//! The builders rules call:
//! - [`memory::raise_memory_limit`] (OOM),
//! - [`resources::add_cpu_request`] (HPA without a cpu request),
//! - [`job::restart_policy_never`], [`job::fail_job_on_exit_code`],
//!   [`job::raise_backoff_limit`], [`job::backoff_limit_per_index`],
//!   [`job::extend_active_deadline`], [`job::add_ttl_after_finished`] (Job spec),
//! - [`advice`]: [`advice::swap`], [`advice::kubeconfig_field`],
//!   [`advice::kubeconfig_placeholders`], [`advice::image_pull_secret`],
//!   [`advice::missing_config_ref`], [`advice::command_not_found`] (commands and snippets).
//!
//! # Limitations
//! See [`yaml_edit`] for what the editor refuses (anchors, aliases, non-empty flow
//! collections, block scalars); such a fix is withheld with the reason.

pub mod advice;
pub mod diff;
pub mod job;
pub mod memory;
pub mod resources;
pub mod validate;
pub mod yaml_edit;

use crate::parse::yaml;
use crate::span::Joined;
use serde::Serialize;

/// Replace `start..end` of one input with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A value the fix promises to leave at a path in the manifest (checked after applying).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// Index of the YAML document in the manifest text.
    pub document: usize,
    pub path: Vec<yaml_edit::Step>,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Imperative: "raise `limits.memory` of `worker` to 768Mi".
    pub title: String,
    /// Why these values, one sentence a line.
    pub reasoning: Vec<String>,
    /// The manifest text the edits apply to (a YAML piece of one input).
    pub region: crate::span::Span,
    pub edits: Vec<Edit>,
    pub expect: Vec<Expectation>,
    /// Commands or configuration to use instead of (or besides) a manifest edit.
    pub snippets: Vec<Snippet>,
    /// Why the manifest edit cannot be made (the style of the YAML, a value the evidence does
    /// not give). A refused fix is reported as withheld; its snippets are still shown.
    pub refused: Option<String>,
}

/// Every [`Snippet::language`] the fixes use.
pub const LANGUAGES: &[&str] = &["sh", "yaml"];

/// A command or a configuration piece, shown as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// What it does, imperative: "disable swap on the node".
    pub title: String,
    /// `sh` or `yaml` (one of [`LANGUAGES`]).
    pub language: &'static str,
    pub text: String,
}

impl Snippet {
    pub fn sh(title: impl Into<String>, text: impl Into<String>) -> Snippet {
        Snippet::new(title.into(), "sh", text.into())
    }
    pub fn yaml(title: impl Into<String>, text: impl Into<String>) -> Snippet {
        Snippet::new(title.into(), "yaml", text.into())
    }
    #[inline(never)]
    fn new(title: String, language: &'static str, text: String) -> Snippet {
        Snippet {
            title,
            language,
            text,
        }
    }
}

/// Apply non-overlapping edits (sorted by position; later duplicates of the same edit are
/// dropped). Returns `None` when edits overlap or fall outside the text.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let sorted = ordered(edits);
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in sorted {
        if e.start < pos
            || e.end < e.start
            || !text.is_char_boundary(e.start)
            || !text.is_char_boundary(e.end)
        {
            return None;
        }
        out.push_str(text.get(pos..e.start)?);
        out.push_str(&e.replacement);
        pos = e.end;
    }
    out.push_str(text.get(pos..)?);
    Some(out)
}

/// Edits in the order they apply: by position; insertions at the same point deepest first
/// (new lines of an inner mapping must come before those of its parent); duplicates dropped.
pub fn ordered(edits: &[Edit]) -> Vec<&Edit> {
    fn indent(e: &Edit) -> usize {
        let r = e.replacement.trim_start_matches(['\r', '\n']);
        r.len() - r.trim_start_matches(' ').len()
    }
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    crate::order::sort_by_key(&mut sorted, |e| {
        (e.start, e.end, std::cmp::Reverse(indent(e)))
    });
    sorted.dedup_by(|a, b| a == b);
    sorted
}

/// Why a fix was not offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    pub title: String,
    pub reason: String,
}

impl Fix {
    /// A fix that is advice only: commands or configuration, no manifest edit.
    pub fn advice(title: impl Into<String>, reasoning: Vec<String>, snippets: Vec<Snippet>) -> Fix {
        Fix::advice_titled(title.into(), reasoning, snippets)
    }

    /// The body of [`Fix::advice`], out of line: many rules build advice.
    #[inline(never)]
    fn advice_titled(title: String, reasoning: Vec<String>, snippets: Vec<Snippet>) -> Fix {
        Fix {
            title,
            reasoning,
            region: crate::span::Span::default(),
            edits: Vec::new(),
            expect: Vec::new(),
            snippets,
            refused: None,
        }
    }

    /// A fix that changes `manifest`: each change sets a path (from the document root) to a
    /// value. When the editor refuses (anchors, flow style …) the fix carries the reason in
    /// [`Fix::refused`] and no edits.
    pub fn on_manifest(
        input_text: &str,
        manifest: &crate::facts::Manifest,
        title: impl Into<String>,
        reasoning: Vec<String>,
        changes: &[(Vec<yaml_edit::Step>, yaml_edit::Value)],
    ) -> Fix {
        Fix::on_manifest_titled(input_text, manifest, title.into(), reasoning, changes)
    }

    /// The body of [`Fix::on_manifest`], compiled once for every kind of title.
    fn on_manifest_titled(
        input_text: &str,
        manifest: &crate::facts::Manifest,
        title: String,
        reasoning: Vec<String>,
        changes: &[(Vec<yaml_edit::Step>, yaml_edit::Value)],
    ) -> Fix {
        let mut fix = Fix::advice(title, reasoning, Vec::new());
        fix.region = manifest.segment;
        match yaml_edit::set_all(input_text, &manifest.root, changes) {
            Ok(edits) => {
                fix.edits = edits;
                for (path, value) in changes {
                    expectations(manifest.document, path.clone(), value, &mut fix.expect);
                }
            }
            Err(reason) => fix.refused = Some(reason),
        }
        fix
    }

    /// True when the fix edits a manifest (rather than only giving commands).
    pub fn edits_manifest(&self) -> bool {
        !self.edits.is_empty() || !self.expect.is_empty()
    }

    /// The edits with offsets relative to [`Fix::region`].
    pub fn local_edits(&self) -> Vec<Edit> {
        self.edits
            .iter()
            .map(|e| Edit {
                start: e.start.saturating_sub(self.region.start),
                end: e.end.saturating_sub(self.region.start),
                replacement: e.replacement.clone(),
            })
            .collect()
    }
}

/// The scalar leaves of `value` written at `path`, as expectations.
pub fn expectations(
    document: usize,
    path: Vec<yaml_edit::Step>,
    value: &yaml_edit::Value,
    out: &mut Vec<Expectation>,
) {
    use yaml_edit::{Step, Value};
    match value {
        Value::Map(m) => {
            for (k, v) in m {
                let mut p = path.clone();
                p.push(Step::key(k));
                expectations(document, p, v, out);
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                let mut p = path.clone();
                p.push(Step::Index(i));
                expectations(document, p, v, out);
            }
        }
        v => {
            if let Some(value) = v.scalar_text() {
                out.push(Expectation {
                    document,
                    path,
                    value,
                });
            }
        }
    }
}

/// Apply and check a fix against the input text holding its manifest. On success returns the
/// corrected manifest (the region's text with the edits).
pub fn check(input_text: &str, fix: &Fix) -> Result<String, String> {
    if let Some(reason) = &fix.refused {
        return Err(reason.clone());
    }
    let text = fix.region.text(input_text);
    let fixed = apply(text, &fix.local_edits()).ok_or("the edits overlap")?;
    let (docs, err) = yaml::parse_documents(&fixed);
    if let Some(e) = err {
        return Err(format!(
            "the corrected manifest does not parse (line {}: {})",
            e.line, e.message
        ));
    }
    for exp in &fix.expect {
        let doc = docs
            .get(exp.document)
            .ok_or("the edited document is gone")?;
        let node = yaml_edit::locate(&doc.root, &exp.path)
            .ok_or("the edited value cannot be found again")?;
        if node.as_str() != Some(exp.value.as_str()) {
            return Err(format!(
                "the edited value reads `{}`, not `{}`",
                node.as_str().unwrap_or(""),
                exp.value
            ));
        }
    }
    // The fix must not add a validation problem (problems the manifest already had are
    // findings of their own, with their own fixes).
    let (before, _) = yaml::parse_documents(text);
    for (i, doc) in docs.iter().enumerate() {
        let old = before
            .get(i)
            .map(|d| validate::validate(&d.root))
            .unwrap_or_default();
        let new: Vec<String> = validate::validate(&doc.root)
            .into_iter()
            .filter(|p| !old.contains(p))
            .collect();
        if !new.is_empty() {
            return Err(format!(
                "document {} fails validation: {}",
                i + 1,
                new.joined("; ")
            ));
        }
    }
    Ok(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_edit_set_is_identity() {
        assert_eq!(apply("a: 1\n", &[]), Some("a: 1\n".to_string()));
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let e = |s, e| Edit {
            start: s,
            end: e,
            replacement: "x".into(),
        };
        assert_eq!(apply("abcdef", &[e(0, 3), e(2, 4)]), None);
        assert_eq!(
            apply("abcdef", &[e(0, 1), e(0, 1)]),
            Some("xbcdef".to_string())
        );
    }
}
