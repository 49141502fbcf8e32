//! The streaming log scanner: any bytes, any chunking, gives the same signals as one pass.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podmortem::parse::logs::LogScanner;

fuzz_target!(|data: &[u8]| {
    let Some((&split, body)) = data.split_first() else {
        return;
    };
    let mut whole = LogScanner::new(0);
    let mut a = whole.feed(body);
    a.extend(whole.finish());
    let size = usize::from(split).max(1);
    let mut chunked = LogScanner::new(0);
    let mut b = Vec::new();
    for c in body.chunks(size) {
        b.extend(chunked.feed(c));
    }
    b.extend(chunked.finish());
    let key = |v: &[podmortem::facts::LogSignal]| {
        v.iter().map(|s| (s.span, s.kind, s.text.clone())).collect::<Vec<_>>()
    };
    assert_eq!(key(&a), key(&b));
    for s in &a {
        assert!(s.span.start <= s.span.end && s.span.end <= body.len());
    }
});
