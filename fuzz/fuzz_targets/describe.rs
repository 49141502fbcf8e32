//! `kubectl describe` readers (pod, job, hpa) on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podmortem::parse::describe::{describe_kind, parse_hpa, parse_job, parse_pods};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = describe_kind(text);
    for p in parse_pods(text, 0, 0, text.len()) {
        assert!(p.span.end <= text.len());
        for c in p.all_containers() {
            assert!(text.get(c.name.span.start..c.name.span.end).is_some());
        }
    }
    if let Some(j) = parse_job(text, 0, 0, text.len()) {
        assert!(j.span.end <= text.len());
    }
    let _ = parse_hpa(text, 0, 0, text.len());
});
