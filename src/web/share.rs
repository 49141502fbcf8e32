//! Share links without a server: the inputs travel in the URL fragment (`#v1=…`), which
//! browsers never send in requests. The payload (length-prefixed names and texts) is compressed
//! in two stages written here (no dependency, a few KB of wasm), then encoded as base64url:
//!
//! 1. LZ77 ([`lz_compress`]): a varint with the decompressed length, then groups of one flag byte
//!    and up to eight items; flag bit `i` (LSB first) set means item `i` is a match
//!    (`varint(length - MIN_MATCH)`, `varint(distance - 1)`), clear means one literal byte.
//! 2. An adaptive binary range coder (LZMA's) over the bytes of stage 1, each byte coded as 8
//!    bits in a tree whose probabilities depend on the top two bits of the previous byte:
//!    `varint(stage-1 length)` then the coder's output.
//!
//! Decoding never panics: malformed or truncated data, distances before the start and declared
//! lengths over [`MAX_DECODED`] are errors.

/// The fragment prefix of a share link, versioned so the format can change.
pub const PREFIX: &str = "v1=";
/// Inputs larger than this (bytes, all tabs) are not put into links: the link would be too
/// long for browsers and chat tools anyway.
pub const MAX_LINK_INPUT: usize = 2 << 20;
/// Refuse to inflate more than this (a link is user input too).
pub const MAX_DECODED: usize = 16 << 20;

const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 1 << 16;
const WINDOW: usize = 1 << 16;
const HASH_BITS: u32 = 15;
/// How many earlier positions with the same hash are tried per match: speed against ratio.
const CHAIN: usize = 48;

fn hash(b: &[u8]) -> usize {
    let v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(data: &[u8], pos: &mut usize) -> Result<usize, String> {
    let mut v: usize = 0;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*pos).ok_or("truncated number")?;
        *pos += 1;
        v |= usize::from(b & 0x7f)
            .checked_shl(shift)
            .ok_or("number too large")?;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("number too large".into())
}

/// LZ77 with hash chains over a 64 KiB window.
pub fn lz_compress(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 3 + 16);
    put_varint(&mut out, data.len());
    let mut head = vec![usize::MAX; 1 << HASH_BITS];
    let mut prev = vec![usize::MAX; data.len()];
    let mut flag_pos = usize::MAX;
    let mut item = 8;
    let mut i = 0;
    let insert = |head: &mut Vec<usize>, prev: &mut Vec<usize>, p: usize| {
        if let Some(w) = data.get(p..p + MIN_MATCH) {
            let h = hash(w);
            prev[p] = head[h];
            head[h] = p;
        }
    };
    while i < data.len() {
        if item == 8 {
            flag_pos = out.len();
            out.push(0);
            item = 0;
        }
        let (mut best_len, mut best_dist) = (0, 0);
        if let Some(w) = data.get(i..i + MIN_MATCH) {
            let mut cand = head[hash(w)];
            let mut tries = CHAIN;
            let max = (data.len() - i).min(MAX_MATCH);
            while cand != usize::MAX && i - cand <= WINDOW && tries > 0 {
                let len = data[cand..]
                    .iter()
                    .zip(&data[i..i + max])
                    .take_while(|(a, b)| a == b)
                    .count();
                if len > best_len {
                    best_len = len;
                    best_dist = i - cand;
                    if len == max {
                        break;
                    }
                }
                cand = prev[cand];
                tries -= 1;
            }
        }
        if best_len >= MIN_MATCH {
            out[flag_pos] |= 1 << item;
            put_varint(&mut out, best_len - MIN_MATCH);
            put_varint(&mut out, best_dist - 1);
            for p in i..i + best_len {
                insert(&mut head, &mut prev, p);
            }
            i += best_len;
        } else {
            out.push(data[i]);
            insert(&mut head, &mut prev, i);
            i += 1;
        }
        item += 1;
    }
    out
}

pub fn lz_decompress(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut pos = 0;
    let len = get_varint(data, &mut pos)?;
    if len > MAX_DECODED {
        return Err(format!("declared size {len} is over the limit"));
    }
    let mut out = Vec::with_capacity(len.min(1 << 20));
    while out.len() < len {
        let flags = *data.get(pos).ok_or("truncated data")?;
        pos += 1;
        for bit in 0..8 {
            if out.len() >= len {
                break;
            }
            if flags & (1 << bit) == 0 {
                out.push(*data.get(pos).ok_or("truncated data")?);
                pos += 1;
            } else {
                let mlen = get_varint(data, &mut pos)?
                    .checked_add(MIN_MATCH)
                    .ok_or("bad match")?;
                let dist = get_varint(data, &mut pos)?
                    .checked_add(1)
                    .ok_or("bad match")?;
                if dist > out.len() || out.len() + mlen > len {
                    return Err("match outside the data".into());
                }
                let from = out.len() - dist;
                for k in 0..mlen {
                    let b = out[from + k];
                    out.push(b);
                }
            }
        }
    }
    if pos != data.len() {
        return Err("trailing bytes".into());
    }
    Ok(out)
}

/// Both stages: LZ77, then the range coder.
pub fn compress(data: &[u8]) -> Vec<u8> {
    let lz = lz_compress(data);
    let mut out = Vec::with_capacity(lz.len() / 2 + 8);
    put_varint(&mut out, lz.len());
    out.extend(range_encode(&lz));
    out
}

pub fn decompress(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut pos = 0;
    let n = get_varint(data, &mut pos)?;
    if n > MAX_DECODED + MAX_DECODED / 8 + 16 {
        return Err("declared size is over the limit".into());
    }
    lz_decompress(&range_decode(data.get(pos..).unwrap_or(&[]), n)?)
}

const PROB_BITS: u32 = 11;
const PROB_INIT: u16 = 1 << (PROB_BITS - 1);
const MOVE_BITS: u32 = 5;
const TOP: u32 = 1 << 24;
/// How many high bits of the previous byte select the probability set.
const CTX_SHIFT: usize = 6;

/// Probabilities of the 255 tree nodes of a byte, for each previous byte.
fn models() -> Vec<u16> {
    vec![PROB_INIT; (256 >> CTX_SHIFT).max(1) * 256]
}

struct Encoder {
    low: u64,
    range: u32,
    cache: u8,
    cache_size: u64,
    out: Vec<u8>,
}

impl Encoder {
    fn bit(&mut self, prob: &mut u16, bit: bool) {
        let bound = (self.range >> PROB_BITS) * u32::from(*prob);
        if bit {
            self.low += u64::from(bound);
            self.range -= bound;
            *prob -= *prob >> MOVE_BITS;
        } else {
            self.range = bound;
            *prob += ((1 << PROB_BITS) - *prob) >> MOVE_BITS;
        }
        while self.range < TOP {
            self.range <<= 8;
            self.shift_low();
        }
    }

    fn shift_low(&mut self) {
        if self.low < 0xFF00_0000 || self.low >> 32 != 0 {
            let carry = (self.low >> 32) as u8;
            let mut temp = self.cache;
            loop {
                self.out.push(temp.wrapping_add(carry));
                temp = 0xFF;
                self.cache_size -= 1;
                if self.cache_size == 0 {
                    break;
                }
            }
            self.cache = (self.low >> 24) as u8;
        }
        self.cache_size += 1;
        self.low = (self.low & 0x00FF_FFFF) << 8;
    }
}

fn range_encode(data: &[u8]) -> Vec<u8> {
    let mut probs = models();
    let mut e = Encoder {
        low: 0,
        range: u32::MAX,
        cache: 0,
        cache_size: 1,
        out: Vec::with_capacity(data.len() / 2 + 8),
    };
    let mut prev = 0usize;
    for &byte in data {
        let ctx = (prev >> CTX_SHIFT) << 8;
        let mut node = 1usize;
        for i in (0..8).rev() {
            let bit = (byte >> i) & 1 == 1;
            e.bit(&mut probs[ctx + node], bit);
            node = (node << 1) | usize::from(bit);
        }
        prev = usize::from(byte);
    }
    for _ in 0..5 {
        e.shift_low();
    }
    e.out
}

fn range_decode(data: &[u8], n: usize) -> Result<Vec<u8>, String> {
    let mut pos = 0usize;
    let mut next = || {
        let b = data.get(pos).copied();
        pos += 1;
        b.ok_or("truncated data")
    };
    if next()? != 0 {
        return Err("bad range coder header".into());
    }
    let mut code = 0u32;
    for _ in 0..4 {
        code = (code << 8) | u32::from(next()?);
    }
    let mut range = u32::MAX;
    let mut probs = models();
    let mut out = Vec::with_capacity(n.min(1 << 20));
    let mut prev = 0usize;
    for _ in 0..n {
        let ctx = (prev >> CTX_SHIFT) << 8;
        let mut node = 1usize;
        for _ in 0..8 {
            let prob = &mut probs[ctx + node];
            let bound = (range >> PROB_BITS) * u32::from(*prob);
            let bit = if code < bound {
                range = bound;
                *prob += ((1 << PROB_BITS) - *prob) >> MOVE_BITS;
                false
            } else {
                code -= bound;
                range -= bound;
                *prob -= *prob >> MOVE_BITS;
                true
            };
            node = (node << 1) | usize::from(bit);
            while range < TOP {
                range <<= 8;
                code = (code << 8) | u32::from(next()?);
            }
        }
        let byte = (node & 0xFF) as u8;
        out.push(byte);
        prev = usize::from(byte);
    }
    Ok(out)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url_encode(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..=chunk.len() {
            s.push(char::from(B64[(n >> (18 - 6 * k)) as usize & 63]));
        }
    }
    s
}

pub fn base64url_decode(s: &str) -> Result<Vec<u8>, String> {
    let val = |c: u8| -> Result<u32, String> {
        B64.iter()
            .position(|&x| x == c)
            .map(|p| p as u32)
            .ok_or_else(|| format!("`{}` is not base64url", char::from(c)))
    };
    let bytes = s.trim_end_matches('=').as_bytes();
    if bytes.len() % 4 == 1 {
        return Err("bad base64url length".into());
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            n |= val(c)? << (18 - 6 * k);
        }
        let produced = chunk.len() - 1;
        for k in 0..produced {
            out.push((n >> (16 - 8 * k)) as u8);
        }
    }
    Ok(out)
}

/// The fragment (without `#`) that carries `inputs` as `(name, text)` pairs. The payload is
/// `varint(count)` then `varint(len) bytes` for each name and text.
pub fn encode(inputs: &[(String, String)]) -> String {
    let mut raw = Vec::new();
    put_varint(&mut raw, inputs.len());
    for (name, text) in inputs {
        for s in [name, text] {
            put_varint(&mut raw, s.len());
            raw.extend_from_slice(s.as_bytes());
        }
    }
    format!("{PREFIX}{}", base64url_encode(&compress(&raw)))
}

/// The inputs carried by a fragment (with or without the leading `#`); `None` when the fragment
/// is not a share link at all, an error when it is one but cannot be read.
pub fn decode(fragment: &str) -> Option<Result<Vec<(String, String)>, String>> {
    let payload = fragment.trim_start_matches('#').strip_prefix(PREFIX)?;
    Some((|| {
        let raw = decompress(&base64url_decode(payload)?)?;
        let mut pos = 0;
        let count = get_varint(&raw, &mut pos)?;
        let mut out = Vec::new();
        let string = |pos: &mut usize| -> Result<String, String> {
            let len = get_varint(&raw, pos)?;
            let bytes = raw
                .get(*pos..pos.saturating_add(len))
                .ok_or("truncated input")?;
            *pos += len;
            String::from_utf8(bytes.to_vec()).map_err(|_| "input is not UTF-8".to_string())
        };
        for _ in 0..count {
            let name = string(&mut pos)?;
            let text = string(&mut pos)?;
            out.push((name, text));
        }
        if pos != raw.len() {
            return Err("trailing bytes in the link".into());
        }
        Ok(out)
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trips_edge_cases() {
        for s in [
            &b""[..],
            b"a",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            b"abcabcabcabcabcabcabcx",
            "é漢字\u{0}\u{1F600}".as_bytes(),
        ] {
            assert_eq!(decompress(&compress(s)).as_deref(), Ok(s));
        }
        let long: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(decompress(&compress(&long)), Ok(long));
    }

    #[test]
    fn base64url_known_vectors() {
        assert_eq!(base64url_encode(b""), "");
        assert_eq!(base64url_encode(b"f"), "Zg");
        assert_eq!(base64url_encode(b"fo"), "Zm8");
        assert_eq!(base64url_encode(b"foo"), "Zm9v");
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8"), Ok(vec![0xfb, 0xff]));
        assert_eq!(base64url_decode("Zm9vYg=="), Ok(b"foob".to_vec()));
        assert!(base64url_decode("Z").is_err());
        assert!(base64url_decode("Zm9+").is_err());
    }

    #[test]
    fn malformed_data_is_an_error_not_a_panic() {
        assert!(lz_decompress(&[]).is_err());
        assert!(lz_decompress(&[5, 0, b'a']).is_err(), "truncated");
        assert!(
            lz_decompress(&[8, 1, 0, 5]).is_err(),
            "distance before start"
        );
        assert!(
            lz_decompress(&[0xff, 0xff, 0xff, 0xff, 0x7f]).is_err(),
            "too big"
        );
        assert!(
            lz_decompress(&[1, 0, b'a', b'b']).is_err(),
            "trailing bytes"
        );
        assert!(decompress(&[]).is_err());
        assert!(
            decompress(&[0xff, 0xff, 0xff, 0xff, 0x7f]).is_err(),
            "too big"
        );
        let good = compress(b"some text some text some text");
        assert!(decompress(&good[..good.len() - 3]).is_err(), "truncated");
        assert!(decompress(&[3, 1, 2, 3, 4, 5]).is_err(), "bad header");
        assert_eq!(decode("#other"), None);
        assert!(matches!(decode("#v1=%%%"), Some(Err(_))));
        assert!(matches!(decode("#v1=AAAA"), Some(Err(_))));
    }

    #[test]
    fn links_carry_names_and_texts() {
        let inputs = vec![
            (
                "describe.txt".to_string(),
                "Name: x\n  Reason: OOMKilled\n".to_string(),
            ),
            ("job.yaml".to_string(), "kind: Job\n".to_string()),
        ];
        let frag = encode(&inputs);
        assert!(frag.starts_with("v1="));
        assert!(frag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
        assert_eq!(decode(&format!("#{frag}")), Some(Ok(inputs)));
    }

    #[test]
    fn a_realistic_paste_compresses_well() {
        let text = crate::web::examples::EXAMPLES[0].text;
        let frag = encode(&[("paste".into(), text.into())]);
        // gzip -9 of the same text is 41% of it, before base64's 4/3: the link must stay
        // under 62% of the raw paste (60.5% measured: 1525 characters for 2520 bytes).
        assert!(
            frag.len() * 100 < text.len() * 62,
            "{} bytes of link for {} bytes of paste",
            frag.len(),
            text.len()
        );
    }

    proptest! {
        #[test]
        fn compress_round_trips(data in proptest::collection::vec(any::<u8>(), 0..4000)) {
            prop_assert_eq!(decompress(&compress(&data)), Ok(data));
        }

        #[test]
        fn repetitive_text_round_trips(words in proptest::collection::vec("[a-c]{1,6}", 0..400)) {
            let text = words.join(" ");
            prop_assert_eq!(decompress(&compress(text.as_bytes())), Ok(text.into_bytes()));
        }

        #[test]
        fn range_coder_round_trips(data in proptest::collection::vec(any::<u8>(), 0..3000)) {
            prop_assert_eq!(range_decode(&range_encode(&data), data.len()), Ok(data));
        }

        #[test]
        fn base64url_round_trips(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(base64url_decode(&base64url_encode(&data)), Ok(data));
        }

        #[test]
        fn decompress_never_panics(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decompress(&data);
        }
    }
}
