//! Property tests for the format-preserving editor: on Job manifests generated in many
//! layouts (indent 2/3/4, sequences indented or not under their key, plain/single/double
//! quotes, comments, CRLF, neighbouring documents, missing final newline), random sets of
//! changes must
//! - touch nothing outside the edits (untouched lines survive in order, byte-identical
//!   prefix and suffix),
//! - read back as the values written, with our parser and with serde_yaml_ng,
//! - leave every other value as it was,
//! - be idempotent (the same changes on the output produce no edit),
//! - and an empty change set returns the input unchanged.

mod fix_support;

use fix_support::{lookup, second_parser_documents};
use podmortem::fix::apply;
use podmortem::fix::yaml_edit::{locate, parse_path, set_all, Step, Value};
use podmortem::parse::yaml::{parse_documents, Node};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Shape {
    step: usize,
    seq_indent: bool,
    quote: u8,
    crlf: bool,
    comments: bool,
    before: bool,
    after: bool,
    final_newline: bool,
    backoff: Option<u8>,
    restart: Option<&'static str>,
    /// Per container: 0 no resources, 1 `resources: {}`, 2 limits block, 3 a command ending
    /// in a literal block scalar.
    containers: Vec<u8>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        (
            2usize..=4,
            any::<bool>(),
            0u8..3,
            any::<bool>(),
            any::<bool>(),
        ),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        proptest::option::of(0u8..10),
        proptest::option::of(prop_oneof![
            Just("Never"),
            Just("OnFailure"),
            Just("Always")
        ]),
        proptest::collection::vec(0u8..4, 1..4),
    )
        .prop_map(
            |(
                (step, seq_indent, quote, crlf, comments),
                (before, after, final_newline),
                backoff,
                restart,
                containers,
            )| Shape {
                step,
                seq_indent,
                quote,
                crlf,
                comments,
                before,
                after,
                final_newline,
                backoff,
                restart,
                containers,
            },
        )
}

fn q(s: &str, quote: u8) -> String {
    match quote {
        1 => format!("'{s}'"),
        2 => format!("\"{s}\""),
        _ => s.to_string(),
    }
}

/// The manifest text, and the index of the Job document.
fn render(s: &Shape) -> (String, usize) {
    let i = |n: usize| " ".repeat(n * s.step);
    let c = |t: &str| {
        if s.comments {
            format!("  # {t}")
        } else {
            String::new()
        }
    };
    let mut lines: Vec<String> = Vec::new();
    let mut doc = 0;
    if s.before {
        lines.extend([
            "apiVersion: v1".into(),
            "kind: ConfigMap".into(),
            "metadata:".into(),
            format!("{}name: cfg", i(1)),
            "---".into(),
        ]);
        doc = 1;
    }
    if s.comments {
        lines.push("# a job".into());
    }
    lines.push("apiVersion: batch/v1".into());
    lines.push(format!("kind: Job{}", c("kind")));
    lines.push("metadata:".into());
    lines.push(format!("{}name: {}{}", i(1), q("work", s.quote), c("name")));
    lines.push("spec:".into());
    if let Some(b) = s.backoff {
        lines.push(format!("{}backoffLimit: {b}{}", i(1), c("retries")));
    }
    lines.push(format!("{}template:", i(1)));
    lines.push(format!("{}spec:", i(2)));
    if let Some(r) = s.restart {
        lines.push(format!(
            "{}restartPolicy: {}{}",
            i(3),
            q(r, s.quote),
            c("policy")
        ));
    }
    lines.push(format!("{}containers:", i(3)));
    let dash = if s.seq_indent { i(4) } else { i(3) };
    for (n, res) in s.containers.iter().enumerate() {
        lines.push(format!(
            "{dash}- name: {}{}",
            q(&format!("c{n}"), s.quote),
            c("container")
        ));
        lines.push(format!("{dash}  image: {}", q("busybox:1.36", s.quote)));
        match res {
            1 => lines.push(format!("{dash}  resources: {{}}")),
            2 => {
                lines.push(format!("{dash}  resources:"));
                lines.push(format!("{dash}  {}limits:", i(1)));
                lines.push(format!(
                    "{dash}  {}memory: {}{}",
                    i(2),
                    q("128Mi", s.quote),
                    c("mem")
                ));
            }
            3 => {
                lines.push(format!("{dash}  command:"));
                lines.push(format!("{dash}  - sh"));
                lines.push(format!("{dash}  - -c"));
                lines.push(format!("{dash}  - |"));
                lines.push(format!("{dash}    echo start"));
                lines.push(format!("{dash}    exit 3"));
            }
            _ => {}
        }
    }
    if s.after {
        lines.extend([
            "---".into(),
            "kind: Service".into(),
            "metadata:".into(),
            format!("{}name: svc", i(1)),
        ]);
    }
    let nl = if s.crlf { "\r\n" } else { "\n" };
    let mut text = lines.join(nl);
    if s.final_newline {
        text.push_str(nl);
    }
    (text, doc)
}

fn change(kind: u8, n: u16, containers: usize) -> (Vec<Step>, Value) {
    let c = format!("c{}", usize::from(n) % containers);
    let p = |s: &str| parse_path(s).unwrap_or_default();
    match kind {
        0 => (p("spec.template.spec.restartPolicy"), Value::str("Never")),
        1 => (p("spec.backoffLimit"), Value::Int(i64::from(n % 20))),
        2 => (
            p(&format!(
                "spec.template.spec.containers[name={c}].resources.limits.memory"
            )),
            Value::str(format!("{}Mi", 64 + n)),
        ),
        3 => (
            p(&format!(
                "spec.template.spec.containers[name={c}].resources.requests.cpu"
            )),
            Value::str(format!("{}m", 100 + n)),
        ),
        4 => (p("spec.ttlSecondsAfterFinished"), Value::Int(i64::from(n))),
        5 => (p("metadata.labels.team"), Value::str("data")),
        _ => (
            p("spec.podFailurePolicy"),
            Value::map([(
                "rules",
                Value::Seq(vec![Value::map([
                    ("action", Value::str("FailJob")),
                    (
                        "onExitCodes",
                        Value::map([
                            ("containerName", Value::str(c)),
                            ("operator", Value::str("In")),
                            (
                                "values",
                                Value::Seq(vec![Value::Int(i64::from(1 + n % 100))]),
                            ),
                        ]),
                    ),
                ])]),
            )]),
        ),
    }
}

/// Every scalar leaf as (path, value).
fn leaves(node: &Node, path: String, out: &mut Vec<(String, String)>) {
    if let Some(v) = node.as_str() {
        out.push((path, v.to_string()));
        return;
    }
    for (k, v) in node.entries() {
        let key = k.as_str().unwrap_or("?");
        leaves(
            v,
            if path.is_empty() {
                key.to_string()
            } else {
                format!("{path}.{key}")
            },
            out,
        );
    }
    for (i, v) in node.items().iter().enumerate() {
        // Named items as the changes address them.
        let step = match v.get("name").and_then(Node::as_str) {
            Some(n) => format!("[name={n}]"),
            None => format!("[{i}]"),
        };
        leaves(v, format!("{path}{step}"), out);
    }
}

fn path_text(path: &[Step]) -> String {
    podmortem::fix::yaml_edit::path_string(path)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn edits_are_minimal_valid_and_idempotent(
        s in shape(),
        picks in proptest::collection::vec((0u8..7, 0u16..500), 0..5),
    ) {
        let (text, doc) = render(&s);
        let (docs, err) = parse_documents(&text);
        prop_assert!(err.is_none(), "generated text does not parse: {:?}\n{}", err, text);
        let root = &docs[doc].root;
        // One change per path (the last pick wins), so the expectations are unambiguous.
        let mut changes: Vec<(Vec<Step>, Value)> = Vec::new();
        for (k, n) in &picks {
            let (p, v) = change(*k, *n, s.containers.len());
            changes.retain(|(q, _)| *q != p && !q.starts_with(&p) && !p.starts_with(q));
            changes.push((p, v));
        }
        let edits = set_all(&text, root, &changes).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        if changes.is_empty() {
            prop_assert!(edits.is_empty());
        }
        let out = apply(&text, &edits).ok_or_else(|| TestCaseError::fail("overlapping edits"))?;
        if edits.is_empty() {
            prop_assert_eq!(&out, &text);
        }
        // Bytes before the first edit and after the last are identical.
        if let (Some(first), Some(last)) = (edits.iter().map(|e| e.start).min(), edits.iter().map(|e| e.end).max()) {
            prop_assert_eq!(&out[..first], &text[..first]);
            prop_assert!(out.ends_with(&text[last..]));
        }
        // Untouched lines survive in order.
        let touched = |start: usize, end: usize| edits.iter().any(|e| e.start < end && start < e.end.max(e.start + 1) && !(e.start == e.end && e.start == end));
        let mut pos = 0;
        let mut out_lines = out.split_inclusive('\n');
        for line in text.split_inclusive('\n') {
            let (a, b) = (pos, pos + line.len());
            pos = b;
            if touched(a, b) {
                continue;
            }
            let body = line.trim_end_matches(['\n', '\r']);
            prop_assert!(out_lines.any(|l| l.trim_end_matches(['\n', '\r']) == body), "line lost: {:?}\n{}", body, out);
        }
        // The output parses with both parsers and reads back the values written.
        let (new_docs, err) = parse_documents(&out);
        prop_assert!(err.is_none(), "{:?}\n{}", err, out);
        prop_assert_eq!(new_docs.len(), docs.len());
        let theirs = second_parser_documents(&out);
        let new_root = &new_docs[doc].root;
        let mut written = Vec::new();
        for (p, v) in &changes {
            let mut exp = Vec::new();
            podmortem::fix::expectations(doc, p.clone(), v, &mut exp);
            for e in exp {
                let node = locate(new_root, &e.path);
                prop_assert_eq!(node.and_then(Node::as_str), Some(e.value.as_str()), "{}\n{}", path_text(&e.path), out);
                written.push(path_text(&e.path));
            }
        }
        let restart = lookup(&theirs[doc], "spec.template.spec.restartPolicy").and_then(|v| v.as_str());
        let ours = locate(new_root, &parse_path("spec.template.spec.restartPolicy").unwrap_or_default()).and_then(Node::as_str);
        prop_assert_eq!(restart, ours);
        // Every other value is unchanged.
        let mut before = Vec::new();
        leaves(root, String::new(), &mut before);
        let mut after = Vec::new();
        leaves(new_root, String::new(), &mut after);
        for (p, v) in &before {
            let changed = changes.iter().any(|(c, _)| {
                let named = path_text(c);
                p == &named || p.starts_with(&format!("{named}."))
            }) || written.iter().any(|w| w == p);
            if changed {
                continue;
            }
            prop_assert!(after.iter().any(|(q, w)| q == p && w == v), "{} = {} changed\n{}", p, v, out);
        }
        // Idempotent: the same changes on the output produce no edit.
        let again = set_all(&out, new_root, &changes).map_err(TestCaseError::fail)?;
        prop_assert!(again.is_empty(), "second application edits again: {:?}", again);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// End to end: a Job in any of the layouts, with a bad or missing `restartPolicy`, gets a
    /// corrected manifest that both parsers read as `Never`, and diagnosing the corrected
    /// paste proposes nothing more.
    #[test]
    fn diagnose_fixes_restart_policy_in_any_layout(mut s in shape()) {
        if s.restart == Some("Never") || s.restart == Some("OnFailure") {
            s.restart = None;
        }
        let (text, doc) = render(&s);
        let inputs = [podmortem::Input::new("job.yaml", text.clone())];
        let report = podmortem::diagnose(&inputs);
        let m = report.corrected_manifest.ok_or_else(|| TestCaseError::fail(format!("no fix: {:?}\n{}", report.withheld, text)))?;
        let theirs = second_parser_documents(&m.text);
        prop_assert_eq!(lookup(&theirs[doc], "spec.template.spec.restartPolicy").and_then(|v| v.as_str()), Some("Never"));
        let again = format!("{}{}{}", &text[..m.region.start], m.text, &text[m.region.end..]);
        let second = podmortem::diagnose(&[podmortem::Input::new("job.yaml", again)]);
        prop_assert!(second.corrected_manifest.is_none());
        prop_assert!(second.findings.iter().all(|f| f.code != "PM101"));
    }
}
