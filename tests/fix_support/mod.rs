//! Helpers shared by the fix tests: snapshots and the independent checks on corrected
//! manifests.
#![allow(dead_code)]

use std::path::PathBuf;

/// Compare `actual` with `tests/snapshots/<rel>`; `UPDATE_SNAPSHOTS=1` rewrites it.
pub fn snapshot(rel: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(rel);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("snapshot dir");
        }
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {} (run with UPDATE_SNAPSHOTS=1)",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "snapshot {} differs (run with UPDATE_SNAPSHOTS=1 to accept)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

/// Parse every document with a second, independent YAML parser (libyaml via serde_yaml_ng).
pub fn second_parser_documents(text: &str) -> Vec<serde_yaml_ng::Value> {
    use serde::Deserialize;
    serde_yaml_ng::Deserializer::from_str(text)
        .map(|d| {
            serde_yaml_ng::Value::deserialize(d).unwrap_or_else(|e| {
                panic!("the second parser rejects the corrected manifest: {e}\n{text}")
            })
        })
        .collect()
}

/// True when the second parser reads every document of `text`.
pub fn second_parser_accepts(text: &str) -> bool {
    use serde::Deserialize;
    serde_yaml_ng::Deserializer::from_str(text)
        .all(|d| serde_yaml_ng::Value::deserialize(d).is_ok())
}

/// Follow a dotted path (with `[n]` indexes) in a serde_yaml_ng value.
pub fn lookup<'a>(v: &'a serde_yaml_ng::Value, path: &str) -> Option<&'a serde_yaml_ng::Value> {
    let mut cur = v;
    for part in path.split('.') {
        let (key, idx) = match part.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        cur = cur.get(key)?;
        if let Some(i) = idx {
            cur = cur.get(i)?;
        }
    }
    Some(cur)
}
