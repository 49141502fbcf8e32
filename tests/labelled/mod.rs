//! Shared by the labelled paste sets (`holdout`, `realworld`) and the corpus test: diagnose a
//! paste, check it against its label, check the advice, tabulate per class.

#![allow(dead_code)]

use podmortem::cause::Cause;
use podmortem::{diagnose, Input, Report};
use std::collections::BTreeMap;
use std::path::Path;

/// What one labelled paste came to.
pub struct Outcome {
    pub class: String,
    pub correct: bool,
    pub covered: bool,
    /// Listed as a known miss: reported, not failed.
    pub known_miss: bool,
    pub detail: String,
}

/// Diagnose `dir/file` and check it against its label: the primary cause `class`, and the
/// primary finding's evidence covering `evidence` (`-` for none).
pub fn run_case(dir: &Path, file: &str, class: &str, evidence: &str) -> Outcome {
    let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let inputs = vec![Input::new(file.to_string(), text.clone())];
    let report = diagnose(&inputs);
    let want = Cause::from_slug(class).unwrap_or_else(|| panic!("{file}: unknown slug {class}"));
    assert_advice_follows_evidence(file, &report);
    let correct = report.primary_cause == want;
    let covered = correct
        && (evidence == "-"
            || report.findings.first().is_some_and(|primary| {
                text.match_indices(evidence).any(|(at, _)| {
                    primary.evidence.iter().any(|e| {
                        e.span.input == 0 && e.span.start < at + evidence.len() && at < e.span.end
                    })
                })
            }));
    assert!(
        evidence == "-" || text.contains(evidence),
        "{file}: the expected evidence {evidence:?} is not in the paste"
    );
    let detail = format!(
        "{file}: primary `{}` (want `{class}`){}; findings: {}",
        report.primary_cause.slug(),
        if correct && !covered {
            format!(", evidence {evidence:?} not covered")
        } else {
            String::new()
        },
        report
            .findings
            .iter()
            .map(|f| format!("{} {}", f.code, f.cause.slug()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Outcome {
        class: class.to_string(),
        correct,
        covered,
        known_miss: false,
        detail,
    }
}

/// Retry advice follows the evidence: more memory only for memory causes, a higher
/// `backoffLimit` only for transient errors.
pub fn assert_advice_follows_evidence(label: &str, report: &Report) {
    for f in &report.findings {
        let help = f.help.to_ascii_lowercase();
        for sentence in help.split(['.', ';']) {
            let raises = ["raise", "increase", "higher"]
                .iter()
                .any(|w| sentence.contains(w));
            let negated = ["not", "only", "without"]
                .iter()
                .any(|w| sentence.contains(w));
            if raises && !negated {
                assert!(
                    !sentence.contains("backofflimit") || help.contains("transient"),
                    "{label}: {} suggests a higher backoffLimit: {sentence}",
                    f.code
                );
                assert!(
                    !sentence.contains("memory")
                        || matches!(f.cause, Cause::OomKilled | Cause::Evicted),
                    "{label}: {} suggests more memory: {sentence}",
                    f.code
                );
            }
        }
    }
}

/// Every `.txt` paste in `dir` is listed in `list` (first column of `list_name`), so none is
/// dropped silently.
pub fn assert_all_listed(dir: &Path, list: &str, list_name: &str) {
    let listed: Vec<&str> = list.lines().filter_map(|l| l.split('\t').next()).collect();
    for entry in std::fs::read_dir(dir).expect("the pastes folder") {
        let name = entry.expect("dir entry").file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".txt") {
            assert!(
                listed.contains(&name.as_ref()),
                "{name} is not in {list_name}"
            );
        }
    }
}

/// The per-class table (cases, correct, evidence covered), Markdown.
pub fn class_table(outcomes: &[Outcome]) -> String {
    let mut table: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let row = table.entry(o.class.as_str()).or_default();
        row.0 += 1;
        row.1 += usize::from(o.correct);
        row.2 += usize::from(o.covered);
    }
    let mut out =
        String::from("| class | cases | correct | evidence covered |\n| --- | --- | --- | --- |\n");
    let (mut n, mut c, mut e) = (0, 0, 0);
    for (class, (cases, correct, covered)) in &table {
        out.push_str(&format!("| {class} | {cases} | {correct} | {covered} |\n"));
        n += cases;
        c += correct;
        e += covered;
    }
    out.push_str(&format!("| **all** | {n} | {c} | {e} |\n"));
    out
}
