//! A hold-out set of pastes written apart from the corpus (`tests/holdout/*.txt`), one or more
//! per root-cause class, to check that the rules generalise past the corpus wording: varied
//! kubectl versions and layouts, events only, status YAML/JSON, logs with runtime prefixes,
//! Markdown and prose around the output, CRLF, ANSI colours, hard-wrapped and truncated text,
//! and negatives (exit 137 without `OOMKilled`, a Job that succeeded, …).
//!
//! `tests/holdout/EXPECTED.tsv` holds, per file, the expected primary cause slug and a substring
//! of the paste that the primary finding's evidence spans must cover (`-` for none, as for
//! `unknown`). Every listed case must be right; the per-class table is printed with
//! `cargo test --test holdout -- --nocapture`.

use podmortem::cause::Cause;
use podmortem::{diagnose, Input};
use std::collections::BTreeMap;
use std::path::Path;

struct Outcome {
    class: String,
    correct: bool,
    covered: bool,
    detail: String,
}

fn run_case(dir: &Path, file: &str, class: &str, evidence: &str) -> Outcome {
    let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let inputs = vec![Input::new(file.to_string(), text.clone())];
    let report = diagnose(&inputs);
    let want = Cause::from_slug(class).unwrap_or_else(|| panic!("{file}: unknown slug {class}"));
    // Advice follows the evidence: more memory only for memory causes, a higher
    // `backoffLimit` only for transient errors.
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
                    "{file}: {} suggests a higher backoffLimit: {sentence}",
                    f.code
                );
                assert!(
                    !sentence.contains("memory")
                        || matches!(f.cause, Cause::OomKilled | Cause::Evicted),
                    "{file}: {} suggests more memory: {sentence}",
                    f.code
                );
            }
        }
    }
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
        detail,
    }
}

#[test]
fn holdout_primary_cause_and_evidence() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/holdout");
    let expected = std::fs::read_to_string(dir.join("EXPECTED.tsv")).expect("EXPECTED.tsv");
    let mut outcomes = Vec::new();
    for line in expected
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, class, evidence] = cols[..] else {
            panic!("EXPECTED.tsv: want three tab-separated columns: {line:?}");
        };
        outcomes.push(run_case(&dir, file, class, evidence));
    }
    // Every paste in the folder is listed, so none is dropped silently.
    let listed: Vec<&str> = expected
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    for entry in std::fs::read_dir(&dir).expect("tests/holdout") {
        let name = entry.expect("dir entry").file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".txt") {
            assert!(
                listed.contains(&name.as_ref()),
                "{name} is not in EXPECTED.tsv"
            );
        }
    }
    assert!(
        outcomes.len() >= 60,
        "the hold-out set has ~3 pastes per class"
    );
    let mut table: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for o in &outcomes {
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
    println!("{out}");
    let failures: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.covered)
        .map(|o| o.detail.as_str())
        .collect();
    assert!(
        failures.is_empty(),
        "hold-out cases wrong:\n{}",
        failures.join("\n")
    );
}
