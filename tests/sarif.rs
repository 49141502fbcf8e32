//! `podmortem diagnose --format sarif`: a minimal valid SARIF 2.1.0 log whose rules are the
//! catalogue and whose result regions point at the same text as the JSON evidence spans.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_podmortem"))
        .args(args)
        .output()
        .expect("run podmortem");
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn sarif_log_is_minimal_valid_and_points_at_the_evidence() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/027-run-pod-pull-access-denied-events/input.txt");
    let path = case.to_str().expect("path");
    let text = std::fs::read_to_string(&case).expect("input");
    let sarif = run(&["diagnose", "--format", "sarif", path]);
    let json = run(&["diagnose", "--format", "json", path]);

    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), podmortem::rules::ALL.len());
    for (r, meta) in rules.iter().zip(podmortem::rules::ALL) {
        assert_eq!(r["id"], meta.meta().code);
        assert!(r["shortDescription"]["text"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
        assert!(r["helpUri"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://")));
    }
    let results = run0["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        json["findings"].as_array().map(Vec::len).unwrap_or(0)
    );
    assert!(!results.is_empty());
    for (res, finding) in results
        .iter()
        .zip(json["findings"].as_array().into_iter().flatten())
    {
        assert_eq!(res["ruleId"], finding["code"]);
        let idx = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        assert!(matches!(
            res["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(res["message"]["text"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
        let primary: Vec<&Value> = finding["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["primary"] == true)
            .collect();
        let locs = res["locations"].as_array().expect("locations");
        assert_eq!(locs.len(), primary.len());
        for (loc, ev) in locs.iter().zip(primary) {
            let pl = &loc["physicalLocation"];
            assert!(pl["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("input.txt")));
            let reg = &pl["region"];
            let off = reg["charOffset"].as_u64().expect("charOffset") as usize;
            let len = reg["charLength"].as_u64().expect("charLength") as usize;
            let by_chars: String = text.chars().skip(off).take(len).collect();
            let s = ev["start"].as_u64().expect("start") as usize;
            let e = ev["end"].as_u64().expect("end") as usize;
            assert_eq!(by_chars, text[s..e]);
            assert_eq!(reg["startLine"], ev["line"]);
            assert!(reg["endLine"].as_u64() >= reg["startLine"].as_u64());
        }
    }
    assert_eq!(run0["properties"]["primaryCause"], json["primary_cause"]);
}

#[test]
fn rules_and_explain_cover_the_whole_catalogue() {
    let out = Command::new(env!("CARGO_BIN_EXE_podmortem"))
        .arg("rules")
        .output()
        .expect("rules");
    let list = String::from_utf8_lossy(&out.stdout);
    for r in podmortem::rules::ALL {
        let m = r.meta();
        assert!(
            list.contains(m.code) && list.contains(m.name),
            "{} missing from `podmortem rules`",
            m.code
        );
        let out = Command::new(env!("CARGO_BIN_EXE_podmortem"))
            .args(["explain", m.name])
            .output()
            .expect("explain");
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("## Use instead"),
            "{}",
            m.code
        );
    }
}
