//! The whole reading layer: detect + parse of one paste, then every span checked.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podmortem::parse::parse_text;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (segments, facts) = parse_text(0, text);
    for s in &segments {
        assert!(s.span.start <= s.span.end && s.span.end <= text.len());
        assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
    }
    let json = serde_json::to_value(&facts).unwrap_or_default();
    podmortem_fuzz_check(&json, text);
});

/// Every `{input, start, end}` object in the serialised facts is a valid span of `text`.
fn podmortem_fuzz_check(v: &serde_json::Value, text: &str) {
    match v {
        serde_json::Value::Object(m) => {
            if let (Some(s), Some(e)) = (m.get("start"), m.get("end")) {
                if let (Some(s), Some(e)) = (s.as_u64(), e.as_u64()) {
                    let (s, e) = (s as usize, e as usize);
                    assert!(s <= e && e <= text.len(), "span {s}..{e} of {}", text.len());
                    assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
                }
            }
            m.values().for_each(|x| podmortem_fuzz_check(x, text));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| podmortem_fuzz_check(x, text)),
        _ => {}
    }
}
