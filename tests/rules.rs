//! Per-rule fixtures: `tests/rules/<CODE>-<name>/pos*.{txt,yaml,yml,json}` must produce a
//! finding of that rule (snapshot in `<file>.expected`), `neg*` must not. Every registered rule
//! needs both.

mod rule_support;
use rule_support as common;

use podmortem::{diagnose, rules, Input};
use std::path::{Path, PathBuf};

fn dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/rules")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.starts_with(prefix)
                && [".txt", ".yaml", ".yml", ".json"]
                    .iter()
                    .any(|ext| n.ends_with(ext))
        })
        .collect();
    v.sort();
    v
}

fn input(path: &Path) -> Vec<Input> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("fixture");
    vec![Input::new(
        name,
        std::fs::read_to_string(path).expect("fixture"),
    )]
}

#[test]
fn every_rule_has_docs_and_positive_and_negative_fixtures() {
    let dirs = dirs();
    for r in rules::ALL {
        let m = r.meta();
        let dir = dirs
            .iter()
            .find(|d| {
                d.file_name().and_then(|n| n.to_str()) == Some(&format!("{}-{}", m.code, m.name))
            })
            .unwrap_or_else(|| {
                panic!(
                    "{} {} has no tests/rules/{}-{} directory",
                    m.code, m.name, m.code, m.name
                )
            });
        assert!(
            !files(dir, "pos").is_empty(),
            "{} has no positive fixture",
            m.code
        );
        assert!(
            !files(dir, "neg").is_empty(),
            "{} has no negative fixture",
            m.code
        );
        for s in [
            "What it does",
            "Why is this bad?",
            "Evidence",
            "Example",
            "Use instead",
            "Fix safety",
            "References",
        ] {
            assert!(
                m.section(s).is_some_and(|b| !b.is_empty()),
                "{} has no `{s}` docs",
                m.code
            );
        }
    }
    // And no fixture directory for a rule that does not exist.
    for d in &dirs {
        let n = d.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(
            rules::ALL
                .iter()
                .any(|r| n == format!("{}-{}", r.meta().code, r.meta().name)),
            "{n} names no registered rule"
        );
    }
}

#[test]
fn positive_fixtures_fire_and_match_their_snapshots() {
    for d in dirs() {
        let code = d
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .split('-')
            .next()
            .unwrap_or("")
            .to_string();
        for f in files(&d, "pos") {
            let inputs = input(&f);
            let report = diagnose(&inputs);
            let mine: Vec<_> = report.findings.iter().filter(|x| x.code == code).collect();
            assert!(
                !mine.is_empty(),
                "{} did not fire on {}:\n{}",
                code,
                f.display(),
                common::render_report(&report, &inputs)
            );
            for x in &mine {
                assert!(
                    x.evidence.iter().any(|e| e.primary),
                    "{code} on {} has no primary evidence",
                    f.display()
                );
                assert!(
                    !x.next_steps
                        .iter()
                        .any(|s| s.contains('<') && s.contains('>')),
                    "{code}: placeholder in next steps"
                );
                assert!(
                    !x.message.ends_with('.'),
                    "{code}: message ends with a period"
                );
                assert!(
                    !x.next_steps.is_empty(),
                    "{code} on {}: no next step",
                    f.display()
                );
            }
            let mut expected = f.clone().into_os_string();
            expected.push(".expected");
            common::snapshot(
                Path::new(&expected),
                &common::render_report(&report, &inputs),
            );
        }
    }
}

#[test]
fn negative_fixtures_do_not_fire() {
    for d in dirs() {
        let code = d
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .split('-')
            .next()
            .unwrap_or("")
            .to_string();
        for f in files(&d, "neg") {
            let inputs = input(&f);
            let report = diagnose(&inputs);
            assert!(
                !report.findings.iter().any(|x| x.code == code),
                "{code} fired on negative fixture {}:\n{}",
                f.display(),
                common::render_report(&report, &inputs)
            );
        }
    }
}

/// Retry advice follows the evidence: only transient causes may suggest a higher
/// `backoffLimit`, only memory causes may suggest more memory.
#[test]
fn no_rule_suggests_raising_backoff_limit_or_memory_against_the_evidence() {
    let mut checked = 0;
    for d in dirs() {
        for f in files(&d, "") {
            let inputs = input(&f);
            for x in diagnose(&inputs).findings {
                checked += 1;
                let advice = format!("{}. {}", x.help, x.next_steps.join(". "));
                let backoff = common::raising_advice(&advice, "backofflimit");
                let transient = x.help.contains("transient");
                assert!(backoff.is_empty() || transient, "{} ({}) suggests raising backoffLimit for a deterministic failure: {backoff:?}", x.code, f.display());
                let memory = common::raising_advice(&advice, "memory");
                let memory_cause = matches!(
                    x.cause,
                    podmortem::cause::Cause::OomKilled | podmortem::cause::Cause::Evicted
                );
                assert!(
                    memory.is_empty() || memory_cause,
                    "{} ({}) suggests more memory for a non-memory cause: {memory:?}",
                    x.code,
                    f.display()
                );
            }
        }
    }
    assert!(checked > 20);
}
