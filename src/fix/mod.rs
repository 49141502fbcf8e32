//! Fixes: minimal text edits on the user's manifest, located through the span-aware YAML tree,
//! never a re-serialised document. Every fix is checked before it is shown: the result
//! re-parses, passes the Job validation rules, and holds the values the fix meant to write.
//!
//! # Limitations
//! - Edits inside flow collections (`{…}`, `[…]`) replace scalars only; inserting keys into a
//!   flow mapping is refused.
//! - Documents with anchors or aliases are not edited.

pub mod diff;
pub mod memory;
pub mod validate;
pub mod yaml_edit;

use crate::parse::yaml;
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
}

/// Apply non-overlapping edits (sorted by position; later duplicates of the same edit are
/// dropped). Returns `None` when edits overlap or fall outside the text.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    sorted.dedup_by(|a, b| a == b);
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

/// Why a fix was not offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    pub title: String,
    pub reason: String,
}

impl Fix {
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

/// Apply and check a fix against the input text holding its manifest. On success returns the
/// corrected manifest (the region's text with the edits).
pub fn check(input_text: &str, fix: &Fix) -> Result<String, String> {
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
                "the edited value reads {:?}, not {:?}",
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
                new.join("; ")
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
