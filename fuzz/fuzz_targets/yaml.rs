//! The span-aware YAML reader: every node span in bounds and on a char boundary.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podmortem::parse::yaml::{parse_documents, Node};

fn check(n: &Node, text: &str) {
    assert!(n.start <= n.end && n.end <= text.len());
    assert!(text.is_char_boundary(n.start) && text.is_char_boundary(n.end));
    for (k, v) in n.entries() {
        check(k, text);
        check(v, text);
    }
    n.items().iter().for_each(|i| check(i, text));
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (docs, err) = parse_documents(text);
    for d in &docs {
        check(&d.root, text);
    }
    if let Some(e) = err {
        assert!(e.offset <= text.len());
    }
});
