//! The project's YAML reader against the reference (`saphyr-parser` folded by the same tree
//! builder), under the policy of `compare` in `src/parse/yaml_oracle.rs`.
#![no_main]
use libfuzzer_sys::fuzz_target;

/// The oracle module names `crate::parse::yaml`.
mod parse {
    pub use podmortem::parse::yaml;
}

#[path = "../../src/parse/yaml_oracle.rs"]
mod oracle;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The project's policy (`compare` in yaml_oracle.rs): the same documents, or one of the
    // documented refusals; a different reading, or reading what the reference refuses, fails.
    if let Err(e) = oracle::compare(text) {
        panic!("{text:?}: {e}");
    }
});
