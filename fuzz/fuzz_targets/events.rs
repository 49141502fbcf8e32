//! Events tables and `kubectl get` tables on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podmortem::parse::{events::parse_events_with_notes, table::parse_table};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (events, _) = parse_events_with_notes(text, 0, 0, text.len());
    for e in &events {
        for sp in [e.span, e.reason.span, e.message.span] {
            assert!(text.get(sp.start..sp.end).is_some(), "{sp:?}");
        }
    }
    let (rows, _) = parse_table(text, 0, 0, text.len());
    for r in &rows {
        for c in &r.cells {
            assert!(text.get(c.span.start..c.span.end).is_some());
        }
    }
});
