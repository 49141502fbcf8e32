//! The CLI contract: formats, exit status, `--fix-out`, standard input, and the OOM corpus
//! cases end to end through the binary.

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const OOM: &str = include_str!("../src/web/examples/oom-describe-and-job.txt");

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podmortem"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("podmortem runs");
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.unwrap_or("").as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("podmortem finishes")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

#[test]
fn json_contract_for_the_oom_paste() {
    let out = run(&["diagnose", "--format", "json"], Some(OOM));
    assert_eq!(out.status.code(), Some(1), "problems found → exit 1");
    let v = json(&out);
    assert_eq!(v["version"], 1);
    assert_eq!(v["primary_cause"], "oom-killed");
    assert!(v["summary"].as_str().is_some_and(|s| s.contains("render")));
    let kinds: Vec<&str> = v["inputs"][0]["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .filter_map(|s| s["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["command", "describe-pod", "prose", "yaml"]);
    let f = &v["findings"][0];
    assert_eq!(f["code"], "PM001");
    assert_eq!(f["name"], "container-oom-killed");
    assert_eq!(f["cause"], "oom-killed");
    assert_eq!(f["severity"], "error");
    // Evidence: the newest OOMKilled reason, its exit code, and the memory limit.
    let lines: Vec<u64> = f["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .filter_map(|e| e["line"].as_u64())
        .collect();
    assert_eq!(lines, [24, 25, 37]);
    for e in f["evidence"].as_array().expect("evidence") {
        let (s, en) = (
            e["start"].as_u64().expect("start") as usize,
            e["end"].as_u64().expect("end") as usize,
        );
        let text = &OOM[s..en];
        assert!(
            ["OOMKilled", "137", "384Mi"].contains(&text),
            "evidence span covers {text:?}"
        );
    }
    let steps: Vec<&str> = f["next_steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        steps.contains(&"kubectl logs report-gen-29173-8kq2w -c render --previous -n analytics"),
        "{steps:?}"
    );
    assert!(
        steps.contains(&"kubectl get pods -l job-name=report-gen-29173 -n analytics"),
        "{steps:?}"
    );
    let m = &v["corrected_manifest"];
    assert_eq!(m["reconstructed"], false);
    let text = m["text"].as_str().expect("text");
    assert!(text.contains("              memory: 768Mi\n"));
    assert!(
        text.contains("memory: 256Mi   # sized for September's data"),
        "comments and spacing kept"
    );
    let diff = m["diff"].as_str().expect("diff");
    assert!(
        diff.contains("\n-              memory: 384Mi\n+              memory: 768Mi\n"),
        "{diff}"
    );
    // Everything but the edited value is byte-identical to the pasted YAML.
    let (s, e) = (
        m["start"].as_u64().expect("start") as usize,
        m["end"].as_u64().expect("end") as usize,
    );
    assert_eq!(
        OOM[s..e].replacen("memory: 384Mi", "memory: 768Mi", 1),
        text
    );
}

#[test]
fn text_and_markdown_formats() {
    let out = run(&["diagnose"], Some(OOM));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[PM001] container-oom-killed: container `render` was OOM-killed"));
    assert!(
        text.contains("      Reason:       OOMKilled\n"),
        "annotated snippet shows the line"
    );
    let out = run(&["diagnose", "--format", "markdown", "-"], Some(OOM));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("## podmortem: out of memory"));
    assert!(md.contains("```diff"));
}

#[test]
fn exit_status_and_usage_errors() {
    let ok = run(&["diagnose"], Some("all pods are running fine today\n"));
    assert_eq!(ok.status.code(), Some(0));
    let missing = run(&["diagnose", "/nonexistent/podmortem-input.txt"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr)
        .contains("cannot read /nonexistent/podmortem-input.txt"));
    assert_eq!(
        run(&["diagnose", "--format", "xml"], None).status.code(),
        Some(2)
    );
    assert_eq!(run(&["diagnose", "--bogus"], None).status.code(), Some(2));
    assert_eq!(run(&[], None).status.code(), Some(2));
    let bin = run(&["diagnose"], Some("\u{0}\u{1}\u{fffd}garbage"));
    assert_eq!(
        bin.status.code(),
        Some(0),
        "binary-looking input is read, not refused"
    );
}

#[test]
fn fix_out_writes_the_corrected_manifest() {
    let dir = std::env::temp_dir().join(format!("podmortem-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join("paste.txt");
    std::fs::write(&input, OOM).expect("write input");
    let out_path = dir.join("fixed.yaml");
    let out = run(
        &[
            "diagnose",
            "--fix-out",
            out_path.to_str().expect("utf-8 path"),
            input.to_str().expect("utf-8 path"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let fixed = std::fs::read_to_string(&out_path).expect("fix written");
    assert!(fixed.starts_with("apiVersion: batch/v1\nkind: Job\n"));
    assert!(fixed.contains("memory: 768Mi"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_and_explain() {
    let out = run(&["rules"], None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("PM001  container-oom-killed"));
    let out = run(&["explain", "PM001"], None);
    let doc = String::from_utf8_lossy(&out.stdout);
    assert!(doc.contains("## Why is this bad?"));
    assert_eq!(run(&["explain", "PM999"], None).status.code(), Some(2));
}

/// `evidence = [ "…", … ]` from a corpus case.toml (the strings the cause must point at).
fn case_evidence(toml: &str) -> Vec<String> {
    let Some(start) = toml.find("evidence = [") else {
        return Vec::new();
    };
    let body = &toml[start + "evidence = [".len()..];
    let body = &body[..body.find("\n]").unwrap_or(body.len())];
    body.lines()
        .filter_map(|l| {
            let l = l.trim().trim_end_matches(',');
            let inner = l.strip_prefix('"')?.strip_suffix('"')?;
            Some(inner.replace("\\\"", "\"").replace("\\\\", "\\"))
        })
        .collect()
}

fn case_value<'a>(toml: &'a str, key: &str) -> Option<&'a str> {
    toml.lines().find_map(|l| {
        l.strip_prefix(key)?
            .trim_start()
            .strip_prefix('=')?
            .trim()
            .strip_prefix('"')?
            .strip_suffix('"')
    })
}

#[test]
fn oom_corpus_cases_end_to_end() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/corpus") {
        let case = entry.expect("entry").path();
        let toml = std::fs::read_to_string(case.join("case.toml")).expect("case.toml");
        if case_value(&toml, "root_cause") != Some("oom-killed") {
            continue;
        }
        let input_path = case.join("input.txt");
        let input = std::fs::read_to_string(&input_path).expect("input");
        let out = run(
            &[
                "diagnose",
                "--format",
                "json",
                input_path.to_str().expect("path"),
            ],
            None,
        );
        let v = json(&out);
        assert_eq!(v["primary_cause"], "oom-killed", "{}", case.display());
        let evidence = v["findings"][0]["evidence"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for want in case_evidence(&toml) {
            let at = input
                .find(&want)
                .unwrap_or_else(|| panic!("{}: evidence {want:?} not in input", case.display()));
            let covered = evidence.iter().any(|e| {
                let s = e["start"].as_u64().unwrap_or(u64::MAX) as usize;
                let en = e["end"].as_u64().unwrap_or(0) as usize;
                s < at + want.len() && at < en
            });
            assert!(covered, "{}: no evidence span on {want:?}", case.display());
        }
        checked += 1;
    }
    assert!(checked >= 3, "the oom-killed corpus cases are present");
}
