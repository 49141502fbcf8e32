//! Property tests of the reading layer: arbitrary text and arbitrary mixes of real fragments
//! never panic, every span is in bounds and on a char boundary, and the streaming log scanner
//! gives the same signals however the stream is chunked.

use podmortem::parse::logs::{scan, LogScanner};
use podmortem::parse::parse_text;
use proptest::prelude::*;

/// Every `{start, end}` object in the serialised facts is a valid span of `text`.
fn check_spans(v: &serde_json::Value, text: &str) -> Result<(), String> {
    match v {
        serde_json::Value::Object(m) => {
            if let (Some(s), Some(e)) = (
                m.get("start").and_then(|x| x.as_u64()),
                m.get("end").and_then(|x| x.as_u64()),
            ) {
                let (s, e) = (s as usize, e as usize);
                if s > e || e > text.len() {
                    return Err(format!("span {s}..{e} outside 0..{}", text.len()));
                }
                if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
                    return Err(format!("span {s}..{e} not on a char boundary"));
                }
            }
            m.values().try_for_each(|x| check_spans(x, text))
        }
        serde_json::Value::Array(a) => a.iter().try_for_each(|x| check_spans(x, text)),
        _ => Ok(()),
    }
}

fn check_all(text: &str) -> Result<(), TestCaseError> {
    let (segments, facts) = parse_text(0, text);
    for s in &segments {
        prop_assert!(s.span.start <= s.span.end && s.span.end <= text.len());
        prop_assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
    }
    let json = serde_json::to_value(&facts).map_err(|e| TestCaseError::fail(e.to_string()))?;
    check_spans(&json, text).map_err(TestCaseError::fail)?;
    Ok(())
}

const FRAGMENTS: &[&str] = &[
    include_str!("corpus/002-describe-job-onfailure-exit1/input.txt"),
    include_str!("corpus/015-cronjob-args-as-command-not-found/input.txt"),
    include_str!("corpus/024-describe-pod-errimagepull-typo/input.txt"),
    include_str!("corpus/027-run-pod-pull-access-denied-events/input.txt"),
    include_str!("corpus/038-evicted-node-memory-pressure-describe/input.txt"),
    include_str!("corpus/042-workflow-pods-insufficient-cpu-memory-old-events/input.txt"),
    include_str!("corpus/049-docs-podfailurepolicy-failjob-exit42/input-job.yaml"),
    include_str!("corpus/051-docs-failindex-exit42-pods/input-job.yaml"),
    include_str!("corpus/061-kubeconfig-yaml-parse-error-placeholders/input.txt"),
    include_str!("corpus/068-kubeadm-init-swap-ci-script/input.txt"),
    include_str!("corpus/074-memcache-6443-connection-refused/input.txt"),
    include_str!("fixtures/describe-job-kubectl-1.35-indexed/input.txt"),
    include_str!("fixtures/describe-pods-in-a-row-crlf/input.txt"),
    include_str!("fixtures/get-tables-ansi/input.txt"),
    include_str!("fixtures/status-yaml-and-json/input.txt"),
    include_str!("fixtures/logs-runtime-json-traces/input.txt"),
    include_str!("fixtures/describe-hpa-missing-request/input.txt"),
    include_str!("fixtures/kubeadm-and-etcd-json/input.txt"),
    "```yaml\n",
    "```\n",
    "Danke! 这个不行。\n",
    "\u{1b}[31m",
    "\r\n",
    "...\n",
];

/// A fragment, optionally cut at a char boundary (a truncated paste).
fn piece() -> impl Strategy<Value = String> {
    (0..FRAGMENTS.len(), any::<u16>(), any::<bool>()).prop_map(|(i, cut, truncate)| {
        let f = FRAGMENTS.get(i).copied().unwrap_or("");
        if !truncate || f.is_empty() {
            return f.to_string();
        }
        let mut at = usize::from(cut) % f.len();
        while !f.is_char_boundary(at) {
            at -= 1;
        }
        f.get(..at).unwrap_or("").to_string()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_reads_safely(text in "\\PC*") {
        check_all(&text)?;
    }

    #[test]
    fn arbitrary_line_soup_reads_safely(
        lines in prop::collection::vec(
            prop_oneof![
                Just("Name:  x".to_string()),
                Just("Events:".to_string()),
                Just("  Type  Reason  Age  From  Message".to_string()),
                Just("  Warning  BackOff  1m  kubelet  spec.containers{a}: x".to_string()),
                Just("Containers:".to_string()),
                Just("    State:  Terminated".to_string()),
                Just("      Exit Code:  137".to_string()),
                Just("NAME  READY  STATUS".to_string()),
                Just("{".to_string()),
                Just("}".to_string()),
                Just("apiVersion: v1".to_string()),
                Just("---".to_string()),
                Just("Traceback (most recent call last):".to_string()),
                Just("\tat x(Y.java:1)".to_string()),
                Just("panic: x".to_string()),
                Just("[ERROR Swap]: x".to_string()),
                Just("$ kubectl get pods -n".to_string()),
                "[ -~\\t\u{1b}é中]{0,40}",
            ],
            0..40,
        ),
        crlf in any::<bool>(),
    ) {
        let sep = if crlf { "\r\n" } else { "\n" };
        check_all(&lines.join(sep))?;
    }

    #[test]
    fn mixes_of_real_fragments_read_safely(
        pieces in prop::collection::vec(piece(), 1..6),
        crlf in any::<bool>(),
    ) {
        let mut text = pieces.join("\nsome words between pieces\n");
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        check_all(&text)?;
    }

    #[test]
    fn chunked_log_scan_equals_whole(
        pieces in prop::collection::vec(piece(), 1..4),
        sizes in prop::collection::vec(1usize..64, 1..16),
    ) {
        let text = pieces.concat();
        let whole = scan(&text, 0, 0, text.len());
        let mut sc = LogScanner::new(0);
        let mut got = Vec::new();
        let bytes = text.as_bytes();
        let mut pos = 0;
        let mut k = 0;
        while pos < bytes.len() {
            let n = sizes.get(k % sizes.len()).copied().unwrap_or(1);
            let end = (pos + n).min(bytes.len());
            got.extend(sc.feed(bytes.get(pos..end).unwrap_or(&[])));
            pos = end;
            k += 1;
        }
        got.extend(sc.finish());
        let key = |v: &[podmortem::facts::LogSignal]| {
            v.iter().map(|s| (s.span, s.kind, s.text.clone())).collect::<Vec<_>>()
        };
        prop_assert_eq!(key(&whole), key(&got));
    }
}
