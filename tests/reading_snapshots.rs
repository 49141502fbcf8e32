//! Snapshot tests of the reading layer: for every corpus case (`tests/corpus/*`) and every
//! constructed fixture (`tests/fixtures/*`), the detected segments (kind and line range) and a
//! compact dump of the facts. Review a changed snapshot before accepting it with
//! `UPDATE_SNAPSHOTS=1 cargo test --test reading_snapshots`.

mod common;

use std::path::Path;

fn run(dir: &str, snapshots: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<_> = std::fs::read_dir(root.join(dir))
        .expect("case directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases under {dir}");
    let mut failures = Vec::new();
    for case in &cases {
        let inputs = common::case_inputs(case);
        assert!(!inputs.is_empty(), "{} has no input files", case.display());
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let actual = common::dump(&inputs);
        let path = root.join(snapshots).join(format!("{name}.txt"));
        if let Err(e) = common::check_snapshot(&path, &actual) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_cases() {
    run("tests/corpus", "tests/snapshots/corpus");
}

#[test]
fn constructed_fixtures() {
    run("tests/fixtures", "tests/snapshots/fixtures");
}
