//! Quantities: parsing never panics, and what parses prints and re-parses to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use podmortem::parse::quantity::Quantity;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(q) = Quantity::parse(text) {
        let printed = q.to_string();
        let again = Quantity::parse(&printed);
        assert!(again.is_ok(), "{text:?} printed as {printed:?} does not parse");
    }
});
