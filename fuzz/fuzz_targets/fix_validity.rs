//! Fix validity: whatever the input, a fix the engine offers must be valid and converge.
//!
//! The input is split at the first NUL: the text after it is a manifest (or any paste), the
//! bytes before it choose changes for the editor. Checked:
//! - `set_all` either refuses with a reason or yields edits that apply, re-parse, read back
//!   as the values written, and produce no edit when applied again;
//! - `diagnose` never panics, and its corrected manifest re-parses, adds no validation
//!   problem, and diagnosing the corrected paste does not propose the same fixes again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podmortem::fix::yaml_edit::{locate, parse_path, set_all, Step, Value};
use podmortem::fix::{apply, expectations, validate};
use podmortem::parse::yaml::{parse_documents, Node};
use podmortem::{diagnose, Input};

fn change(selector: u8, n: u8) -> (Vec<Step>, Value) {
    let p = |s: &str| parse_path(s).unwrap_or_default();
    match selector % 8 {
        0 => (p("spec.template.spec.restartPolicy"), Value::str("Never")),
        1 => (p("spec.backoffLimit"), Value::Int(i64::from(n))),
        2 => (p("spec.template.spec.containers[0].resources.limits.memory"), Value::str(format!("{}Mi", u16::from(n) + 1))),
        3 => (p("spec.template.spec.containers[name=main].resources.requests.cpu"), Value::str(format!("{}m", u16::from(n) + 1))),
        4 => (p("spec.ttlSecondsAfterFinished"), Value::Int(i64::from(n))),
        5 => (p("metadata.labels.fuzz"), Value::str(if n % 2 == 0 { "yes" } else { "a: b # c" })),
        6 => (p("spec.jobTemplate.spec.template.spec.restartPolicy"), Value::str("Never")),
        _ => (
            p("spec.podFailurePolicy"),
            Value::map([(
                "rules",
                Value::Seq(vec![Value::map([
                    ("action", Value::str("FailJob")),
                    ("onExitCodes", Value::map([("operator", Value::str("In")), ("values", Value::Seq(vec![Value::Int(i64::from(n) + 1)]))])),
                ])]),
            )]),
        ),
    }
}

fn editor(text: &str, picks: &[u8]) {
    let (docs, err) = parse_documents(text);
    if err.is_some() {
        return;
    }
    for (d, doc) in docs.iter().enumerate() {
        let mut changes: Vec<(Vec<Step>, Value)> = Vec::new();
        for pair in picks.chunks(2) {
            let (p, v) = change(pair[0], pair.get(1).copied().unwrap_or(0));
            changes.retain(|(q, _)| !q.starts_with(&p) && !p.starts_with(q));
            changes.push((p, v));
        }
        let Ok(edits) = set_all(text, &doc.root, &changes) else {
            continue;
        };
        let out = apply(text, &edits).expect("edits from set_all overlap");
        let (new_docs, err) = parse_documents(&out);
        assert!(err.is_none(), "edited text does not parse: {err:?}\n--- before\n{text}\n--- after\n{out}");
        assert_eq!(new_docs.len(), docs.len(), "documents appeared or vanished\n{out}");
        let root = &new_docs[d].root;
        for (p, v) in &changes {
            let mut exp = Vec::new();
            expectations(d, p.clone(), v, &mut exp);
            for e in exp {
                assert_eq!(
                    locate(root, &e.path).and_then(Node::as_str),
                    Some(e.value.as_str()),
                    "value not read back\n{out}"
                );
            }
        }
        let again = set_all(&out, root, &changes).expect("second application refused");
        assert!(again.is_empty(), "not idempotent: {again:?}\n{out}");
    }
}

fn pipeline(text: &str) {
    let inputs = [Input::new("paste", text)];
    let report = diagnose(&inputs);
    let Some(m) = report.corrected_manifest else {
        return;
    };
    let (docs, err) = parse_documents(&m.text);
    assert!(err.is_none(), "corrected manifest does not parse\n{}", m.text);
    if m.reconstructed {
        // Rebuilt from describe output: its region is in the rebuilt text, not in the paste.
        return;
    }
    let before = text.get(m.region.start..m.region.end).unwrap_or("");
    let (old_docs, _) = parse_documents(before);
    for (i, d) in docs.iter().enumerate() {
        let old = old_docs.get(i).map(|d| validate::validate(&d.root)).unwrap_or_default();
        for p in validate::validate(&d.root) {
            assert!(old.contains(&p), "fix added a validation problem: {p}\n{}", m.text);
        }
    }
    let again = format!("{}{}{}", &text[..m.region.start], m.text, &text[m.region.end..]);
    let second = diagnose(&[Input::new("paste", again)]);
    // The same manifest piece (it starts where it did) must not get the same fix again; another
    // piece with the same problem may get it on the second run (one piece is corrected per run).
    if let Some(m2) = second.corrected_manifest.filter(|m2| m2.input == m.input && m2.region.start == m.region.start) {
        for (t, _) in &m2.applied {
            assert!(!m.applied.iter().any(|(t1, _)| t1 == t), "fix proposed again: {t}\n{}", m.text);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (picks, rest) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if text.len() > 20_000 {
        return;
    }
    editor(text, &picks[..picks.len().min(8)]);
    pipeline(text);
});
