//! A compact binary form of a [`Report`] and of the pasted [`Input`]s, so that a diagnosis run
//! in a Web Worker (the same wasm module) can hand its report to the page as bytes.
//!
//! # Format
//!
//! A payload starts with four bytes: three naming what follows (`PMR` a report, `PMI` a list of
//! inputs) and the format version (`1`). Then, field by field in declaration order:
//!
//! - unsigned integers (`usize`) as LEB128 varints, `u8` as one byte;
//! - strings as a varint byte length and the UTF-8 bytes (checked on decoding);
//! - `bool` as one byte, 0 or 1;
//! - `Option` as a tag byte (0 none, 1 some) and the value;
//! - lists as a varint count and the items; pairs as the two values;
//! - [`Cause`], [`SegmentKind`] and [`Severity`] by their slug;
//! - a finding's or an advice's rule code by the code, decoded by looking it up in the rule
//!   catalogue ([`rules::ALL`]); the finding's name is the catalogue's name for that code;
//! - a snippet's language by its name, one of [`fix::LANGUAGES`].
//!
//! Nothing may follow the last field.
//!
//! # What is not carried
//!
//! A finding's [`Fix`] keeps what the renderers and the page show: title, reasoning, region,
//! snippets and the reason it was refused. Its `edits` and `expect` serve the fix stage only
//! (checking and combining fixes into the corrected manifest, which is carried whole) and
//! decode empty.
//!
//! # Corrupt input
//!
//! Decoding never panics: every read is checked against the bytes left, and a length or count
//! larger than the bytes left is an error before anything is allocated for it.

use super::{Advice, CorrectedManifest, InputSummary, Report};
use crate::cause::Cause;
use crate::detect::{Segment, SegmentKind};
use crate::facts::ParseNote;
use crate::findings::{Evidence, Finding, Severity};
use crate::fix::{self, Fix, Snippet, Withheld};
use crate::rules;
use crate::span::Span;
use crate::Input;
use std::fmt;

/// The magic of an encoded report: `PMR` and the format version.
pub const REPORT_MAGIC: [u8; 4] = *b"PMR1";
/// The magic of encoded inputs: `PMI` and the format version.
pub const INPUTS_MAGIC: [u8; 4] = *b"PMI1";

/// Why bytes could not be decoded: what was wrong, at which byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    pub offset: usize,
    pub what: &'static str,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.offset)
    }
}

impl std::error::Error for WireError {}

/// A cursor over the bytes being decoded.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    fn error<T>(&self, at: usize, what: &'static str) -> Result<T, WireError> {
        Err(WireError { offset: at, what })
    }

    fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn byte(&mut self) -> Result<u8, WireError> {
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => self.error(self.pos, "unexpected end of data"),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if n > self.left() {
            return self.error(self.pos, "length beyond the end of data");
        }
        let s = self.bytes.get(self.pos..self.pos + n).unwrap_or_default();
        self.pos += n;
        Ok(s)
    }

    fn varint(&mut self) -> Result<u64, WireError> {
        let at = self.pos;
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return self.error(at, "integer too large");
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.error(at, "integer too long")
    }

    fn usize(&mut self) -> Result<usize, WireError> {
        let at = self.pos;
        usize::try_from(self.varint()?).or_else(|_| self.error(at, "integer too large"))
    }

    /// A length or count: each unit takes at least one byte, so it cannot exceed what is left.
    fn len(&mut self) -> Result<usize, WireError> {
        let at = self.pos;
        let n = self.usize()?;
        if n > self.left() {
            return self.error(at, "length beyond the end of data");
        }
        Ok(n)
    }

    fn str(&mut self) -> Result<&'a str, WireError> {
        let n = self.len()?;
        let at = self.pos;
        std::str::from_utf8(self.take(n)?).or_else(|_| self.error(at, "invalid UTF-8"))
    }

    /// A name from a fixed set, e.g. a slug: `find` maps it to its value.
    fn named<T>(
        &mut self,
        what: &'static str,
        find: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, WireError> {
        let at = self.pos;
        let s = self.str()?;
        find(s).map_or_else(|| self.error(at, what), Ok)
    }

    fn magic(&mut self, magic: &[u8; 4]) -> Result<(), WireError> {
        let head = self
            .take(4)
            .or_else(|_| self.error(0, "too short for a header"))?;
        if head[..3] != magic[..3] {
            return self.error(0, "not a podmortem payload of this kind");
        }
        if head[3] != magic[3] {
            return self.error(3, "unsupported format version");
        }
        Ok(())
    }

    fn end(&self) -> Result<(), WireError> {
        if self.left() > 0 {
            return self.error(self.pos, "trailing bytes");
        }
        Ok(())
    }
}

fn put_usize(mut v: usize, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(s: &str, out: &mut Vec<u8>) {
    put_usize(s.len(), out);
    out.extend_from_slice(s.as_bytes());
}

/// A value with a binary form.
pub trait Wire {
    fn put(&self, out: &mut Vec<u8>);
    fn get(r: &mut Reader) -> Result<Self, WireError>
    where
        Self: Sized;
}

impl Wire for usize {
    fn put(&self, out: &mut Vec<u8>) {
        put_usize(*self, out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        r.usize()
    }
}

impl Wire for u8 {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        r.byte()
    }
}

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => r.error(r.pos - 1, "invalid bool"),
        }
    }
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self, out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        r.str().map(str::to_owned)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_usize(self.len(), out);
        for x in self {
            x.put(out);
        }
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        let n = r.len()?;
        // The count is bounded by the bytes left, not by the items' size in memory.
        let mut v = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            v.push(T::get(r)?);
        }
        Ok(v)
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(x) => {
                out.push(1);
                x.put(out);
            }
        }
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(None),
            1 => T::get(r).map(Some),
            _ => r.error(r.pos - 1, "invalid option tag"),
        }
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok((A::get(r)?, B::get(r)?))
    }
}

impl Wire for Cause {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self.slug(), out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        r.named("unknown cause", Cause::from_slug)
    }
}

impl Wire for SegmentKind {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self.slug(), out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        r.named("unknown segment kind", |s| {
            SegmentKind::ALL.iter().copied().find(|k| k.slug() == s)
        })
    }
}

impl Wire for Severity {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self.as_str(), out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        r.named("unknown severity", |s| {
            [Severity::Info, Severity::Warning, Severity::Error]
                .into_iter()
                .find(|v| v.as_str() == s)
        })
    }
}

/// A rule code, decoded to the catalogue's entry.
fn get_rule(r: &mut Reader) -> Result<&'static rules::RuleMeta, WireError> {
    r.named("unknown rule code", |s| {
        rules::ALL.iter().map(|x| x.meta()).find(|m| m.code == s)
    })
}

/// Structs field by field, in the order listed; fields after `;` are not carried and decode
/// to the value given.
macro_rules! wire_struct {
    ($t:ident { $($f:ident),* $(; $($skip:ident: $v:expr),*)? }) => {
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                $(self.$f.put(out);)*
            }
            fn get(r: &mut Reader) -> Result<Self, WireError> {
                Ok($t { $($f: Wire::get(r)?,)* $($($skip: $v,)*)? })
            }
        }
    };
}

wire_struct!(Span { input, start, end });
wire_struct!(Segment { kind, span });
wire_struct!(InputSummary { name, segments });
wire_struct!(Evidence {
    span,
    label,
    primary
});
wire_struct!(Fix { title, reasoning, region, snippets, refused; edits: Vec::new(), expect: Vec::new() });
wire_struct!(Withheld { title, reason });
wire_struct!(ParseNote { span, message });
wire_struct!(CorrectedManifest {
    input,
    region,
    text,
    diff,
    reconstructed,
    applied,
    unrecovered
});
wire_struct!(Input { name, text });
wire_struct!(Report {
    inputs,
    findings,
    primary_cause,
    summary,
    corrected_manifest,
    withheld,
    advice,
    notes,
    ranking
});

impl Wire for Finding {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self.code, out);
        self.cause.put(out);
        self.severity.put(out);
        self.confidence.put(out);
        self.message.put(out);
        self.help.put(out);
        self.evidence.put(out);
        self.next_steps.put(out);
        self.chain.put(out);
        self.fix.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        let meta = get_rule(r)?;
        Ok(Finding {
            code: meta.code,
            name: meta.name,
            cause: Wire::get(r)?,
            severity: Wire::get(r)?,
            confidence: Wire::get(r)?,
            message: Wire::get(r)?,
            help: Wire::get(r)?,
            evidence: Wire::get(r)?,
            next_steps: Wire::get(r)?,
            chain: Wire::get(r)?,
            fix: Wire::get(r)?,
        })
    }
}

impl Wire for Advice {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(self.code, out);
        self.title.put(out);
        self.reasoning.put(out);
        self.snippets.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(Advice {
            code: get_rule(r)?.code,
            title: Wire::get(r)?,
            reasoning: Wire::get(r)?,
            snippets: Wire::get(r)?,
        })
    }
}

impl Wire for Snippet {
    fn put(&self, out: &mut Vec<u8>) {
        self.title.put(out);
        put_str(self.language, out);
        self.text.put(out);
    }
    fn get(r: &mut Reader) -> Result<Self, WireError> {
        Ok(Snippet {
            title: Wire::get(r)?,
            language: r.named("unknown snippet language", |s| {
                fix::LANGUAGES.iter().copied().find(|l| *l == s)
            })?,
            text: Wire::get(r)?,
        })
    }
}

fn decode_with<T: Wire>(magic: &[u8; 4], bytes: &[u8]) -> Result<T, WireError> {
    let mut r = Reader::new(bytes);
    r.magic(magic)?;
    let v = T::get(&mut r)?;
    r.end()?;
    Ok(v)
}

/// The report as bytes (see the module documentation for what is carried).
pub fn encode(report: &Report) -> Vec<u8> {
    let mut out = REPORT_MAGIC.to_vec();
    report.put(&mut out);
    out
}

/// A report from [`encode`]'s bytes; an error, never a panic, on anything else.
pub fn decode(bytes: &[u8]) -> Result<Report, WireError> {
    decode_with(&REPORT_MAGIC, bytes)
}

/// The pasted inputs as bytes.
pub fn encode_inputs(inputs: &[Input]) -> Vec<u8> {
    let mut out = INPUTS_MAGIC.to_vec();
    put_usize(inputs.len(), &mut out);
    for i in inputs {
        i.put(&mut out);
    }
    out
}

/// The inputs from [`encode_inputs`]'s bytes; an error, never a panic, on anything else.
pub fn decode_inputs(bytes: &[u8]) -> Result<Vec<Input>, WireError> {
    decode_with(&INPUTS_MAGIC, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip_usize(v: usize) {
        let mut out = Vec::new();
        put_usize(v, &mut out);
        let mut r = Reader::new(&out);
        assert_eq!(r.usize(), Ok(v));
        assert_eq!(r.left(), 0);
    }

    #[test]
    fn varints_round_trip_at_their_edges() {
        for v in [
            0,
            1,
            127,
            128,
            255,
            16383,
            16384,
            u32::MAX as usize,
            usize::MAX,
        ] {
            roundtrip_usize(v);
        }
        let mut out = Vec::new();
        put_usize(300, &mut out);
        assert_eq!(out, [0xac, 0x02]);
    }

    #[test]
    fn overlong_and_overflowing_varints_are_errors() {
        let eleven = [0x80u8; 11];
        assert_eq!(
            Reader::new(&eleven).varint().map_err(|e| e.what),
            Err("integer too long")
        );
        let mut too_big = [0xffu8; 10];
        too_big[9] = 0x02;
        assert_eq!(
            Reader::new(&too_big).varint().map_err(|e| e.what),
            Err("integer too large")
        );
        let mut max = [0xffu8; 10];
        max[9] = 0x01;
        assert_eq!(Reader::new(&max).varint(), Ok(u64::MAX));
    }

    #[test]
    fn a_length_past_the_end_is_refused_before_allocating() {
        // A list of a billion strings in five bytes.
        let mut bytes = Vec::new();
        put_usize(1_000_000_000, &mut bytes);
        let err = Vec::<String>::get(&mut Reader::new(&bytes)).expect_err("an error");
        assert_eq!(err.what, "length beyond the end of data");
        assert_eq!(err.offset, 0);
    }

    #[test]
    fn bad_utf8_bool_and_option_tags_are_errors_with_their_offset() {
        let err = String::get(&mut Reader::new(&[2, 0xc3, 0x28])).expect_err("an error");
        assert_eq!((err.what, err.offset), ("invalid UTF-8", 1));
        let err = bool::get(&mut Reader::new(&[2])).expect_err("an error");
        assert_eq!((err.what, err.offset), ("invalid bool", 0));
        let err = Option::<u8>::get(&mut Reader::new(&[7])).expect_err("an error");
        assert_eq!((err.what, err.offset), ("invalid option tag", 0));
        assert_eq!(err.to_string(), "invalid option tag at byte 0");
    }

    #[test]
    fn every_enum_value_and_snippet_language_round_trips() {
        fn rt<T: Wire + PartialEq + fmt::Debug>(v: T) {
            let mut out = Vec::new();
            v.put(&mut out);
            let mut r = Reader::new(&out);
            assert_eq!(T::get(&mut r).as_ref(), Ok(&v));
            assert_eq!(r.left(), 0);
        }
        for &c in Cause::ALL {
            rt(c);
        }
        for &k in SegmentKind::ALL {
            rt(k);
        }
        for s in [Severity::Info, Severity::Warning, Severity::Error] {
            rt(s);
        }
        for s in [Snippet::sh("a", "b"), Snippet::yaml("c", "d")] {
            assert!(fix::LANGUAGES.contains(&s.language));
            rt(s);
        }
        let mut bad = Vec::new();
        Snippet::sh("a", "b").put(&mut bad);
        // "sh" → "sx": not a language the fixes use.
        let at = bad.iter().position(|&b| b == b'h').unwrap_or_default();
        bad[at] = b'x';
        let err = Snippet::get(&mut Reader::new(&bad)).expect_err("an error");
        assert_eq!((err.what, err.offset), ("unknown snippet language", at - 2));
    }

    #[test]
    fn rule_codes_decode_to_the_catalogue_entry_and_unknown_codes_fail() {
        for rule in rules::ALL {
            let m = rule.meta();
            let mut out = Vec::new();
            put_str(m.code, &mut out);
            let got = get_rule(&mut Reader::new(&out)).map(|x| (x.code, x.name));
            assert_eq!(got, Ok((m.code, m.name)));
        }
        let mut out = Vec::new();
        put_str("PM999", &mut out);
        assert_eq!(
            get_rule(&mut Reader::new(&out)).map_err(|e| e.what).err(),
            Some("unknown rule code")
        );
    }
}
