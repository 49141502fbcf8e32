//! The wire format between the page and its diagnosis worker: decoding any bytes never panics
//! and never allocates beyond what the bytes can hold; what decodes encodes to bytes that decode
//! to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podmortem::report::wire;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = wire::decode(data) {
        let again = wire::decode(&wire::encode(&report)).ok();
        assert!(again.as_ref() == Some(&report), "a decoded report does not survive a round trip");
    }
    if let Ok(inputs) = wire::decode_inputs(data) {
        let again = wire::decode_inputs(&wire::encode_inputs(&inputs)).ok();
        assert!(again.as_ref() == Some(&inputs), "decoded inputs do not survive a round trip");
    }
});
