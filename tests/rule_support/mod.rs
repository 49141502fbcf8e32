//! Helpers shared by the integration tests: snapshot comparison and a compact, reviewable
//! rendering of findings.

#![allow(dead_code)]

use podmortem::findings::Finding;
use podmortem::{Input, Report};
use std::path::Path;

/// Compare `actual` with the file at `path`; `UPDATE_SNAPSHOTS=1` rewrites it.
pub fn snapshot(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}: run with UPDATE_SNAPSHOTS=1 and review it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "snapshot {} differs (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

/// One finding as text: message, evidence excerpts with labels, chain, next steps.
pub fn render_finding(f: &Finding, inputs: &[Input]) -> String {
    let mut out = format!(
        "[{}] {} ({}, {}%)\n  {}\n",
        f.code,
        f.name,
        f.cause.slug(),
        f.confidence,
        f.message
    );
    out.push_str(&format!("  help: {}\n", f.help));
    out.push_str(&format!("  chain: {}\n", f.chain.join(" → ")));
    for e in &f.evidence {
        let text = inputs
            .get(e.span.input)
            .map(|i| e.span.text(&i.text))
            .unwrap_or("");
        let text: String = text.chars().take(100).collect();
        out.push_str(&format!(
            "  {} `{}` — {}\n",
            if e.primary { "evidence*" } else { "evidence " },
            text.replace('\n', "⏎"),
            e.label
        ));
    }
    for s in &f.next_steps {
        out.push_str(&format!("  $ {s}\n"));
    }
    out
}

pub fn render_report(r: &Report, inputs: &[Input]) -> String {
    let mut out = format!("primary: {}\n", r.primary_cause.slug());
    for n in &r.ranking {
        out.push_str(&format!("ranking: {n}\n"));
    }
    for f in &r.findings {
        out.push_str(&render_finding(f, inputs));
    }
    out
}

/// Sentences of a finding's advice that tell the user to raise `backoffLimit` or memory
/// without a negation.
pub fn raising_advice(text: &str, what: &str) -> Vec<String> {
    text.split(['.', ';'])
        .filter(|s| {
            let l = s.to_ascii_lowercase();
            l.contains(what)
                && ["raise", "increase", "higher", "more "]
                    .iter()
                    .any(|w| l.contains(w))
                && !["not", "only", "without", "no "]
                    .iter()
                    .any(|w| l.contains(w))
        })
        .map(|s| s.trim().to_string())
        .collect()
}
