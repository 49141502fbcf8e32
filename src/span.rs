//! Byte spans into the pasted inputs, and line numbers computed at the edge.

use serde::Serialize;

/// A byte range `start..end` inside input number `input`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub input: usize,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(input: usize, start: usize, end: usize) -> Self {
        Self {
            input,
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The text this span covers, or "" when it does not fit `text`.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// The smallest span covering both (same input assumed).
    pub fn cover(&self, other: Span) -> Span {
        Span::new(
            self.input,
            self.start.min(other.start),
            self.end.max(other.end),
        )
    }
}

/// A value together with the span it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// Line starts of one text, for turning byte offsets into 1-based line numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            starts,
            len: text.len(),
        }
    }

    /// 1-based line of a byte offset (clamped to the text).
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Byte offset where 1-based `line` starts (clamped).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.len)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Iterate over the lines of `text` as `(start, end)` byte ranges, without the line terminator
/// (`\n` or `\r\n`).
pub fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let rest = &text[pos..];
        let (line_len, advance) = match rest.find('\n') {
            Some(i) => (i, i + 1),
            None => (rest.len(), rest.len()),
        };
        let mut end = pos + line_len;
        if text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > pos {
            end -= 1;
        }
        let start = pos;
        pos += advance;
        Some((start, end))
    })
}

/// Where the line holding byte `pos` starts: just after the `\n` before it, or 0.
pub fn line_start(text: &str, pos: usize) -> usize {
    text.get(..pos)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Where the line holding byte `pos` ends: at its `\n`, or at the end of the text.
pub fn line_end(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|a| a.find('\n'))
        .map_or(text.len(), |i| pos + i)
}

/// The line after the `\n` at byte `end`, without its line terminator; `None` when no `\n` is
/// there.
pub fn next_line(text: &str, end: usize) -> Option<&str> {
    let rest = text.get(end..)?.strip_prefix('\n')?;
    Some(rest.split('\n').next().unwrap_or("").trim_end_matches('\r'))
}

/// The line before the one starting at byte `start`, with its own start, without its line
/// terminator; `None` when no `\n` ends right before `start`.
pub fn line_before(text: &str, start: usize) -> Option<(usize, &str)> {
    let before = text.get(..start)?.strip_suffix('\n')?;
    let before = before.strip_suffix('\r').unwrap_or(before);
    let s = line_start(before, before.len());
    Some((s, before.get(s..)?))
}

/// The number of `char`s in `s`, as `s.chars().count()` gives (the bytes that do not continue
/// a UTF-8 sequence), without the standard library's vectorised counter in the web bundle.
pub fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

/// `parts.join(sep)` for owned strings, written once here: the standard `join` is compiled
/// again for each element type, and the web bundle otherwise carries a second copy for
/// `[String]`.
pub trait Joined {
    fn joined(&self, sep: &str) -> String;
}

impl Joined for [String] {
    fn joined(&self, sep: &str) -> String {
        let mut out = String::new();
        for (i, p) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_as_join() {
        for parts in [vec![], vec!["a"], vec!["a", ""], vec!["", "b", "c"]] {
            let parts: Vec<String> = parts.into_iter().map(String::from).collect();
            assert_eq!(parts.joined(", "), parts.join(", "));
        }
    }

    #[test]
    fn char_count_as_chars_count() {
        for s in [
            "",
            "a",
            "ünïcödé",
            "日本語 text",
            "🚀x\u{301}",
            "\0\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}",
        ] {
            assert_eq!(char_count(s), s.chars().count(), "{s:?}");
        }
    }

    #[test]
    fn line_numbers_are_one_based() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        assert_eq!(idx.line(100), 4);
        assert_eq!(idx.line_start(2), 2);
    }

    #[test]
    fn lines_strip_crlf() {
        let text = "a\r\nb\nc";
        let v: Vec<&str> = lines(text).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(v, ["a", "b", "c"]);
    }

    #[test]
    fn line_walks() {
        let text = "ab\r\ncd\nef";
        // "cd" is bytes 4..6.
        assert_eq!((line_start(text, 5), line_end(text, 5)), (4, 6));
        assert_eq!((line_start(text, 1), line_end(text, 8)), (0, 9));
        assert_eq!(next_line(text, 3), Some("cd"));
        assert_eq!(next_line(text, 6), Some("ef"));
        assert_eq!(next_line(text, 5), None);
        assert_eq!(line_before(text, 4), Some((0, "ab")));
        assert_eq!(line_before(text, 7), Some((4, "cd")));
        assert_eq!(line_before(text, 0), None);
        // Offsets past the end or inside a character do not panic.
        assert_eq!((line_start(text, 99), line_end(text, 99)), (0, 9));
        assert_eq!(line_end("é\nx", 1), 4);
    }
}
