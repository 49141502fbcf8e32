//! The project's YAML reader against the reference (`saphyr-parser` folded by the same tree
//! builder): the same documents whenever the reference reads the text, an error whenever it
//! does not.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podmortem::parse::yaml::parse_documents;

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
    // Known difference: a byte order mark past the start, which the reference skips in some
    // places and refuses in others.
    if text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .contains('\u{feff}')
    {
        return;
    }
    let (want, want_err) = oracle::parse_documents(text);
    let (got, got_err) = parse_documents(text);
    // The one designed difference: block nesting is bounded to keep recursion off the stack.
    if got_err
        .as_ref()
        .is_some_and(|e| e.message == "block nesting too deep")
    {
        return;
    }
    if want_err.is_some() {
        assert!(got_err.is_some(), "{text:?}: {want_err:?} / none");
    } else {
        assert!(got_err.is_none(), "{text:?}: none / {got_err:?}");
        assert_eq!(want, got, "{text:?}");
    }
});
