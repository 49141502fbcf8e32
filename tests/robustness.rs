//! The engine never panics on what people paste, and every evidence span it reports lies
//! inside its input on character boundaries, whatever the mix of telling phrases and noise.

use podmortem::report::{json, markdown, sarif, text};
use podmortem::{diagnose, Input};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "Reason:       OOMKilled\n",
    "Exit Code:    137\n",
    "    State:          Waiting\n      Reason:       CrashLoopBackOff\n",
    "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n",
    "Name:  x-1\nNamespace: ns\nStatus: Failed\nContainers:\n  c:\n    Image: i\n",
    "NAME  READY  STATUS  RESTARTS  AGE\n",
    "x-1   0/1    Error   4         57s\n",
    "y-2   0/1    Init:CrashLoopBackOff   3 (1m ago)   5m\n",
    "exec: \"--config\": executable file not found in $PATH\n",
    "/bin/sh: 1: /x.sh: Permission denied\n",
    "Failed to pull image \"a/b:c\": pull access denied\n",
    "Error: configmap \"cfg\" not\n",
    "The node was low on resource: memory. Container c was using 1Gi, which e\nxceeds its request of 0.\n",
    "0/3 nodes are available: 3 Insufficient cpu.\n",
    "Job was active longer than specified deadline\n",
    "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0\n",
    "failedIndexes: 0,2-3\n",
    "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n",
    "failed to get cpu utilization: missing request for cpu in container a of Pod b\n",
    "error: context was not found for specified context: dev\n",
    "rafthttp: request cluster ID mismatch (got 1 want 2)\n",
    "[ERROR Swap]: running with swap on is not supported\n",
    "Warning  BackoffLimitExceeded  1m  job-controller  Job has reached the specified backoff limit\n",
    "Traceback (most recent call last):\n  File \"a.py\", line 1\nValueError: é\n",
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  backoffLimitPerIndex: 1\n",
    "  Type  Reason  Age  From  Message\n  ----  ------  ---  ----  -------\n",
    "é漢字\t\r\n",
    "exit 1\n",
    "\"",
    "\\",
    ":",
    "\n",
];

fn paste() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            (0..PIECES.len()).prop_map(|i| PIECES[i].to_string()),
            "[ -~é\\t\\n]{0,40}",
        ],
        0..24,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn diagnose_never_panics_and_spans_are_valid(a in paste(), b in paste()) {
        let inputs = vec![Input::new("paste 1", a), Input::new("paste 2", b)];
        let report = diagnose(&inputs);
        for f in &report.findings {
            prop_assert!(f.evidence.iter().any(|e| e.primary) || f.evidence.is_empty());
            for e in &f.evidence {
                let t = &inputs[e.span.input].text;
                prop_assert!(e.span.start <= e.span.end && e.span.end <= t.len());
                prop_assert!(t.is_char_boundary(e.span.start) && t.is_char_boundary(e.span.end));
            }
        }
        let _ = text::render(&report, &inputs);
        let _ = json::render(&report, &inputs);
        let _ = markdown::render(&report, &inputs);
        let _ = sarif::render(&report, &inputs);
    }
}
