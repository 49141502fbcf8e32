//! `docs/rules.md` is generated from the catalogue (`podmortem rules --markdown`); this test
//! fails when it drifts. `UPDATE_SNAPSHOTS=1 cargo test --test docs` rewrites it.

use std::path::Path;

#[test]
fn rules_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let actual = podmortem::rules::catalogue_markdown();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).expect("write docs/rules.md");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "docs/rules.md is out of date: run `cargo run -- rules --markdown > docs/rules.md` (or UPDATE_SNAPSHOTS=1 cargo test --test docs)"
    );
}

#[test]
fn every_rule_is_in_the_catalogue_page() {
    let md = podmortem::rules::catalogue_markdown();
    for r in podmortem::rules::ALL {
        let m = r.meta();
        assert!(
            md.contains(&format!("## {} `{}`", m.code, m.name)),
            "{}",
            m.code
        );
    }
}
