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

mod labelled;

use labelled::{assert_all_listed, class_table, run_case};
use std::path::Path;

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
    assert_all_listed(&dir, &expected, "EXPECTED.tsv");
    assert!(
        outcomes.len() >= 60,
        "the hold-out set has ~3 pastes per class"
    );
    let out = class_table(&outcomes);
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
