//! The YAML reader: an indentation-driven recursive descent over the text's bytes, with a
//! small flow (`{}`/`[]`) parser inside. It emits [`Ev`] events with byte spans; `yaml.rs`
//! folds them into the tree. It reads the YAML that kubectl and people write (block and flow
//! collections, the five scalar styles, comments, documents, directives, tags, anchors and
//! aliases, explicit keys) and reports an error, never a guess, for text outside that.

use super::yaml::{Ev, Style};

/// Deepest nesting of flow collections (the reference reader's limit).
const MAX_DEPTH: usize = 255;
/// Deepest nesting of block collections: keeps the recursion within the stack. (The reference
/// reader has no such limit; no real manifest comes near it.)
const MAX_BLOCK_DEPTH: usize = 400;

/// An error: byte offset and message.
pub(crate) type Fail = (usize, &'static str);
type R<T> = Result<T, Fail>;

/// Where a block node sits: this decides what its absence looks like and whether a block
/// sequence may start at the parent's own column.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Root,
    MapValue,
    SeqItem,
    Key,
    /// After an explicit entry's `: ` (or a `: ` with no key): compact collections and an
    /// indentless sequence may follow.
    Explicit,
    /// After `? `: as `Explicit`, with the reference's own indentation rules.
    QKey,
}

struct Reader<'a> {
    /// Anchor names defined so far (an alias must name one).
    anchors: Vec<&'a [u8]>,
    t: &'a str,
    b: &'a [u8],
    pos: usize,
    depth: usize,
    block_depth: usize,
    /// Length of a quoted scalar's value that trailing-blank trimming must keep.
    protected: usize,
    /// End of the last properties read (an empty node with properties spans them).
    prop_end: usize,
    /// Length of a leading byte order mark: the first line's columns start after it.
    bom: usize,
    /// The tag handles the current document's `%TAG` directives declare.
    handles: Vec<&'a [u8]>,
    /// Flow and quoted text continued on a later line must sit right of these columns.
    flow_limit: i64,
    quote_limit: i64,
    /// Where the quoted scalar being read opened (its errors point there).
    quote_open: usize,
    out: Vec<(Ev, usize, usize)>,
    /// The tab limit on the line after properties written on a line of their own.
    own_line_limit: i64,
    /// A plain scalar was read in the current outermost flow collection.
    flow_plain: bool,
    /// The index of the outermost flow collection's first event.
    flow_root: usize,
    /// Where each quoted scalar's text lies, its quotes included.
    quoted_spans: Vec<(usize, usize)>,
    /// Where a flow pair's `:` may stand right before its value (`"a":b`, `[a]:[b]`): the
    /// next token after a quoted scalar, or after a nested flow collection on its line.
    adjacent_at: usize,
}

/// Read `text` into events; on an error, the events read before it and the error.
pub(crate) fn read(text: &str) -> (Vec<(Ev, usize, usize)>, Option<Fail>) {
    // A lone CR breaks a line too: read it as LF (same length, so every offset stays put).
    let lone_cr = text
        .bytes()
        .enumerate()
        .any(|(i, c)| c == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
    let normalized;
    let text = if lone_cr {
        let b = text.as_bytes();
        normalized = text
            .char_indices()
            .map(|(i, c)| {
                if c == '\r' && b.get(i + 1) != Some(&b'\n') {
                    '\n'
                } else {
                    c
                }
            })
            .collect::<String>();
        normalized.as_str()
    } else {
        text
    };
    // The reference stops at a NUL: read what stands before it, keep the documents that
    // were closed by a marker, and report the NUL.
    let nul = text.find('\0');
    let text = nul.and_then(|p| text.get(..p)).unwrap_or(text);
    let mut r = Reader {
        anchors: Vec::new(),
        t: text,
        b: text.as_bytes(),
        pos: 0,
        depth: 0,
        block_depth: 0,
        protected: 0,
        prop_end: 0,
        handles: Vec::new(),
        bom: 0,
        flow_limit: -1,
        quote_limit: -1,
        quote_open: 0,
        out: Vec::new(),
        quoted_spans: Vec::new(),
        flow_plain: false,
        flow_root: 0,
        own_line_limit: -1,
        adjacent_at: usize::MAX,
    };
    // Byte order marks may open the stream.
    let mut lead = 0;
    while text.get(lead..).is_some_and(|t| t.starts_with('\u{feff}')) {
        lead += 3;
    }
    r.pos = lead;
    r.bom = lead;
    let res = r.stream();
    let mut out = r.out;
    let quoted = r.quoted_spans;
    // Any later byte order mark outside a quoted scalar is refused, where the reader got
    // past it (the reference refuses it inside a document and skips it between documents).
    let bom = text
        .get(lead..)
        .into_iter()
        .flat_map(|t| t.match_indices('\u{feff}'))
        .map(|(i, _)| i + lead)
        .find(|&p| !quoted.iter().any(|&(s, e)| s < p && p < e));
    let stop = match (&res, bom, nul) {
        (Err((at, _)), Some(p), _) if p <= *at => Some((p, BOM_PAST_START)),
        (Err(e), _, _) => return (out, Some(*e)),
        (Ok(()), Some(p), _) => Some((p, BOM_PAST_START)),
        (Ok(()), None, Some(p)) => Some((p, "found unprintable character")),
        (Ok(()), None, None) => None,
    };
    match stop {
        None => (out, None),
        Some((p, message)) => {
            // Keep the documents that were closed by a marker before it.
            let keep = out
                .iter()
                .rposition(|(e, s, _)| *e == Ev::DocEnd && *s < p)
                .map_or(0, |i| i + 1);
            out.truncate(keep);
            (out, Some((p, message)))
        }
    }
}

/// The error for a byte order mark after the start of the text, outside quoted scalars.
pub(crate) const BOM_PAST_START: &str = "a byte order mark after the start of the text";

/// A URI character of a tag (`%` starts an escape).
fn is_uri(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-#;/?:@&=+$,_.!~*'()[]%".contains(&c)
}

/// A character of a tag's shorthand: a URI character, but no flow indicator and no `!`.
fn is_tag_char(c: u8) -> bool {
    is_uri(c) && !is_flow_ind(c) && c != b'!'
}

/// A character of a named tag handle's word (`!word!`).
fn is_handle_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn is_ws(c: Option<u8>) -> bool {
    matches!(c, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

fn is_flow_ind(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'a> Reader<'a> {
    fn at(&self, p: usize) -> Option<u8> {
        self.b.get(p).copied()
    }

    fn cur(&self) -> Option<u8> {
        self.at(self.pos)
    }

    fn line_start(&self, p: usize) -> usize {
        self.b
            .get(..p)
            .and_then(|s| s.iter().rposition(|&c| c == b'\n'))
            .map_or(self.bom, |i| i + 1)
    }

    fn col(&self, p: usize) -> i64 {
        p.saturating_sub(self.line_start(p)) as i64
    }

    /// `---` or `...` at column 0, followed by a blank.
    fn marker_at(&self, p: usize) -> Option<u8> {
        let m = self.b.get(p..p + 3)?;
        let ok = (m == b"---" || m == b"...") && is_ws(self.at(p + 3)) && self.col(p) == 0;
        ok.then_some(m[0])
    }

    /// Column of the content at `pos`, -1 at a document marker or the end (nothing nests).
    fn content_col(&self) -> i64 {
        if self.cur().is_none() || self.marker_at(self.pos).is_some() {
            -1
        } else {
            self.col(self.pos)
        }
    }

    /// Skip blanks, comments and line breaks; true when a line break was passed.
    fn skip_space(&mut self) -> bool {
        let mut crossed = false;
        while let Some(c) = self.cur() {
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    crossed = true;
                }
                b'#' if self.pos == self.bom || is_ws(self.at(self.pos - 1)) => self.skip_line(),
                _ => break,
            }
        }
        crossed
    }

    /// Skip blanks and a comment, staying on the line.
    fn skip_blanks_and_comment(&mut self) {
        while matches!(self.cur(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        if self.cur() == Some(b'#') {
            self.skip_line();
        }
    }

    /// Move `q` to the line break (or the end).
    fn skip_line_from(&self, q: &mut usize) {
        while !matches!(self.at(*q), None | Some(b'\n')) {
            *q += 1;
        }
    }

    /// Move to the line break (or the end).
    fn skip_line(&mut self) {
        while !matches!(self.cur(), None | Some(b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Only blanks stand before `p` on its line.
    fn line_indent_only(&self, p: usize) -> bool {
        let ls = self.line_start(p);
        self.b
            .get(ls..p)
            .is_some_and(|s| s.iter().all(|&c| c == b' ' || c == b'\t'))
    }

    /// Blocks are indented with spaces only.
    fn check_tab_indent(&self, parent: i64) -> R<()> {
        let ls = self.line_start(self.pos);
        let tab = self
            .b
            .get(ls..self.pos)
            .and_then(|s| s.iter().position(|&c| c == b'\t'));
        // A tab may separate, once the indentation is past the parent's column.
        if tab.is_some_and(|t| (t as i64) <= parent) {
            return Err((
                self.pos,
                "tabs disallowed within this context (block indentation)",
            ));
        }
        Ok(())
    }

    fn push(&mut self, ev: Ev, s: usize, e: usize) {
        self.out.push((ev, s, e));
    }

    fn empty(&mut self, at: usize, anchored: bool) {
        self.empty_over(at, at, anchored);
    }

    /// An empty plain scalar over `start..end`: the width of the token it is placed on.
    fn empty_over(&mut self, start: usize, end: usize, anchored: bool) {
        self.push(
            Ev::Scalar {
                value: String::new(),
                style: Style::Plain,
                anchored,
            },
            start,
            end,
        );
    }

    /// An empty node placed on the next token, as the reference places an absent explicit
    /// key or value.
    fn next_token_empty(&mut self, col: i64) {
        let p = self.pos;
        // An indicator token has a width; a key's start does not.
        // (A token of an enclosing block is preceded by the end of this one: no width.)
        let indicator = matches!(self.cur(), Some(b'?' | b'-'))
            && is_ws(self.at(p + 1))
            && self.content_col() >= col;
        let mut e = if indicator { p + 1 } else { p };
        if indicator && self.cur() == Some(b'?') {
            // (The reference's `?` token runs on over the spaces, line breaks and comments
            // after it; the tree cuts the span back at a ` #` and trailing blanks.)
            loop {
                match self.at(e) {
                    Some(b' ' | b'\n' | b'\r') => e += 1,
                    Some(b'#') => self.skip_line_from(&mut e),
                    _ => break,
                }
            }
        } else if indicator && matches!(self.at(p + 1), Some(b'\n' | b'\r')) {
            // (An indicator alone on its line: the reference's span runs on over the comment
            // lines right below it that start at column 0.)
            let mut q = p + 1;
            loop {
                // (Empty lines between the comment lines are passed over.)
                let mut r = q;
                while matches!(self.at(r), Some(b'\r' | b'\n')) {
                    r += 1;
                }
                if r == q || self.at(r) != Some(b'#') || self.at(r - 1) != Some(b'\n') {
                    break;
                }
                q = r;
                self.skip_line_from(&mut q);
                if self.at(q.wrapping_sub(1)) == Some(b'\r') {
                    q -= 1;
                }
                e = q;
            }
        }
        self.empty_over(p, e, false);
    }

    /// An empty node after properties `from..prop_end`.
    fn empty_props(&mut self, from: usize, anchored: bool) {
        let e = self.prop_end.max(from);
        self.empty_over(from, e, anchored);
    }

    fn enter_block(&mut self, at: usize) -> R<()> {
        self.block_depth += 1;
        if self.block_depth > MAX_BLOCK_DEPTH {
            return Err((at, "block nesting too deep"));
        }
        Ok(())
    }

    fn enter(&mut self, at: usize) -> R<()> {
        if self.depth == 0 {
            self.flow_plain = false;
            self.flow_root = self.out.len();
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err((at, "recursion limit exceeded"));
        }
        Ok(())
    }

    fn stream(&mut self) -> R<()> {
        loop {
            self.skip_space();
            let mut directive = false;
            let mut version = false;
            // `%TAG` handles hold for the document after them only.
            self.handles.clear();
            while self.cur() == Some(b'%') && self.col(self.pos) == 0 {
                directive = true;
                self.directive(&mut version)?;
                self.skip_space();
            }
            if self.cur().is_none() {
                if directive {
                    return Err((self.pos, "did not find expected <document start>"));
                }
                return Ok(());
            }
            let start = self.pos;
            match self.marker_at(self.pos) {
                Some(b'-') => self.pos += 3,
                Some(_) if !directive => {
                    self.pos += 3;
                    self.after_doc_end()?;
                    continue;
                }
                _ if directive => {
                    return Err((self.pos, "did not find expected <document start>"));
                }
                _ => {}
            }
            self.push(Ev::DocStart, start, start);
            let save = self.pos;
            self.skip_blanks_and_comment();
            let same_line = !matches!(self.cur(), None | Some(b'\n' | b'\r'));
            self.pos = save;
            if same_line && start < self.pos {
                // After `---` on its line: no block collection.
                self.node(-1, Ctx::MapValue, start)?;
            } else {
                let idx = self.out.len();
                let block_scalar = matches!(self.cur(), Some(b'|' | b'>'));
                self.node(-1, Ctx::Root, start)?;
                if block_scalar && start == save {
                    // The reference starts such a document at the scalar's text.
                    let s = self.out.get(idx).map(|e| e.1);
                    if let Some(s) =
                        s.filter(|&s| !matches!(self.at(s), None | Some(b'\n' | b'\r')))
                    {
                        if let Some(d) = self.out.get_mut(idx - 1) {
                            d.1 = s;
                            d.2 = s;
                        }
                    }
                }
            }
            self.skip_space();
            match self.marker_at(self.pos) {
                Some(b'.') => {
                    let at = self.pos;
                    self.pos += 3;
                    self.after_doc_end()?;
                    self.push(Ev::DocEnd, at, at + 3);
                }
                Some(_) => self.push(Ev::DocEnd, self.pos, self.pos + 3),
                None if self.cur().is_none() => {
                    let n = self.b.len();
                    self.push(Ev::DocEnd, n, n);
                }
                None => return Err((self.pos, "did not find expected <document start>")),
            }
        }
    }

    /// A tag after its `!`: `!<uri>`, `!handle!suffix`, `!suffix` or `!`, then a blank.
    fn tag(&mut self, from: usize) -> R<()> {
        if self.cur() == Some(b'<') {
            // A verbatim tag holds URI characters only, up to its `>`.
            self.pos += 1;
            self.uri_run(is_uri, from)?;
            if self.cur() != Some(b'>') {
                return Err((
                    from,
                    "while scanning a verbatim tag, did not find the expected '>'",
                ));
            }
            self.pos += 1;
        } else {
            // A named handle: word characters closed by a second `!`.
            let mut p = self.pos;
            while self.at(p).is_some_and(is_handle_char) {
                p += 1;
            }
            if self.at(p) == Some(b'!') {
                // `!!` is built in; other handles must be declared by this document's `%TAG`.
                let handle = self.b.get(from..=p).unwrap_or_default();
                if p > self.pos && !self.handles.contains(&handle) {
                    return Err((from, "the handle wasn't declared"));
                }
                self.pos = p + 1;
            }
            let handle_end = self.pos;
            self.uri_run(is_tag_char, from)?;
            // After a handle (`!!`, `!name!`) a suffix must follow.
            if handle_end > from + 1 && self.pos == handle_end {
                return Err((from, "while parsing a tag, did not find expected tag URI"));
            }
        }
        // (In a flow collection a flow indicator may follow a tag directly.)
        let flow = self.depth > 0 && self.cur().is_some_and(is_flow_ind);
        if !is_ws(self.cur()) && !flow {
            return Err((
                from,
                "while scanning a tag, did not find expected whitespace or line break",
            ));
        }
        Ok(())
    }

    /// Characters of a tag's URI while `ok` holds; `%` escapes are checked (errors point at
    /// `at`).
    fn uri_run(&mut self, ok: fn(u8) -> bool, at: usize) -> R<()> {
        while let Some(c) = self.cur().filter(|&c| ok(c)) {
            if c == b'%' {
                self.escaped_char(at)?;
            } else {
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// One character written as `%` escapes: a leading byte and its continuation bytes.
    /// The reference joins the bytes into one number and takes that as the code point, so
    /// only one- and two-byte sequences outside the surrogate range are characters to it.
    fn escaped_char(&mut self, at: usize) -> R<()> {
        let byte = |r: &Self| {
            let hex = r.t.get(r.pos + 1..r.pos + 3)?;
            let ok = r.cur() == Some(b'%') && hex.bytes().all(|h| h.is_ascii_hexdigit());
            ok.then(|| u8::from_str_radix(hex, 16).ok()).flatten()
        };
        let invalid = (at, "while parsing a tag, found an invalid escape sequence");
        let lead = byte(self).ok_or(invalid)?;
        let width = match lead {
            0..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => {
                return Err((
                    at,
                    "while parsing a tag, found an incorrect leading UTF-8 byte",
                ))
            }
        };
        self.pos += 3;
        for _ in 1..width {
            if byte(self).ok_or(invalid)? & 0xc0 != 0x80 {
                return Err((
                    at,
                    "while parsing a tag, found an incorrect trailing UTF-8 byte",
                ));
            }
            self.pos += 3;
        }
        if width > 2 || (0xd8..=0xdf).contains(&lead) {
            return Err((at, "while parsing a tag, found an invalid UTF-8 codepoint"));
        }
        Ok(())
    }

    /// A `%YAML` or `%TAG` directive is checked; others are skipped.
    fn directive(&mut self, version: &mut bool) -> R<()> {
        let at = self.pos;
        self.pos += 1;
        let name_start = self.pos;
        while !is_ws(self.cur()) {
            self.pos += 1;
        }
        let name = self.b.get(name_start..self.pos).unwrap_or_default();
        if name.is_empty() {
            return Err((
                self.pos,
                "while scanning a directive, could not find expected directive name",
            ));
        }
        let blanks = |r: &mut Self| {
            while matches!(r.cur(), Some(b' ' | b'\t')) {
                r.pos += 1;
            }
        };
        match name {
            b"YAML" => {
                if *version {
                    return Err((at, "duplicate version directive"));
                }
                *version = true;
                blanks(self);
                // (The reference takes at most nine digits on each side of the dot.)
                let digits = |r: &mut Self| {
                    let from = r.pos;
                    while r.cur().is_some_and(|c| c.is_ascii_digit()) {
                        r.pos += 1;
                    }
                    r.pos > from && r.pos - from <= 9
                };
                if !(digits(self) && self.cur() == Some(b'.') && {
                    self.pos += 1;
                    digits(self)
                }) {
                    return Err((
                        at,
                        "while scanning a YAML directive, did not find expected version number",
                    ));
                }
                if self.cur() == Some(b'#') {
                    return Err((
                        self.pos,
                        "comments must be separated from other tokens by whitespace",
                    ));
                }
            }
            b"TAG" => {
                blanks(self);
                // The handle: `!`, `!!` or `!word!`, declared once per document.
                let hs = self.pos;
                if self.cur() != Some(b'!') {
                    return Err((at, "while scanning a tag, did not find expected '!'"));
                }
                self.pos += 1;
                while self.cur().is_some_and(is_handle_char) {
                    self.pos += 1;
                }
                if self.cur() == Some(b'!') {
                    self.pos += 1;
                } else if self.pos > hs + 1 {
                    return Err((
                        at,
                        "while parsing a tag directive, did not find expected '!'",
                    ));
                }
                let b: &'a [u8] = self.b;
                let handle = b.get(hs..self.pos).unwrap_or_default();
                if self.handles.contains(&handle) {
                    return Err((
                        at,
                        "the TAG directive must only be given at most once per handle in the same document",
                    ));
                }
                self.handles.push(handle);
                // (No blank needs to separate the prefix from a handle closed by `!`.)
                blanks(self);
                // The prefix: a local `!...` or a global tag character first, then URI
                // characters.
                match self.cur() {
                    Some(b'!') => self.pos += 1,
                    Some(b'%') => self.escaped_char(at)?,
                    Some(c) if is_tag_char(c) => self.pos += 1,
                    _ => return Err((at, "invalid global tag character")),
                }
                self.uri_run(is_uri, at)?;
                if !is_ws(self.cur()) {
                    return Err((
                        at,
                        "while scanning TAG, did not find expected whitespace or line break",
                    ));
                }
            }
            _ => {
                self.skip_line();
                return Ok(());
            }
        }
        blanks(self);
        if self.cur() == Some(b'#') {
            self.skip_line();
        }
        match self.cur() {
            None | Some(b'\n' | b'\r') => Ok(()),
            Some(_) => Err((
                at,
                "while scanning a directive, did not find expected comment or line break",
            )),
        }
    }

    /// Only blanks and a comment may follow `...` on its line.
    fn after_doc_end(&mut self) -> R<()> {
        let from = self.pos;
        self.skip_blanks_and_comment();
        // (The reference ends the comment at a byte order mark and refuses it there, before
        // the marker closes the document.)
        if let Some(i) = self
            .b
            .get(from..self.pos)
            .and_then(|s| s.windows(3).position(|w| w == "\u{feff}".as_bytes()))
        {
            return Err((from + i, BOM_PAST_START));
        }
        match self.cur() {
            None | Some(b'\n' | b'\r') => Ok(()),
            Some(_) => Err((self.pos, "invalid content after document end marker")),
        }
    }

    /// Anchor (`&a`) and tag (`!t`) properties: true when an anchor was read.
    fn props(&mut self) -> R<(Option<usize>, bool)> {
        self.props_seen(&mut [false; 2])
    }

    /// Properties, at most one anchor and one tag (`seen` carries them across lines).
    fn props_seen(&mut self, seen: &mut [bool; 2]) -> R<(Option<usize>, bool)> {
        let mut start = None;
        self.prop_end = self.pos;
        let mut anchored = false;
        while let Some(c @ (b'&' | b'!')) = self.cur() {
            let kind = usize::from(c == b'!');
            if seen[kind] {
                break;
            }
            seen[kind] = true;
            start.get_or_insert(self.pos);
            let from = self.pos;
            self.pos += 1;
            if c == b'!' {
                self.tag(from)?;
            }
            while c == b'&' && !(is_ws(self.cur()) || self.cur().is_some_and(is_flow_ind)) {
                self.pos += 1;
            }
            if c == b'&' {
                let b: &'a [u8] = self.b;
                if let Some(name) = b.get(from + 1..self.pos) {
                    self.anchors.push(name);
                }
                if self.pos == from + 1 {
                    return Err((from, "while scanning an anchor, did not find expected alphabetic or numeric character"));
                }
                anchored = true;
            }
            self.prop_end = self.pos;
            while matches!(self.cur(), Some(b' ' | b'\t')) {
                self.pos += 1;
            }
        }
        Ok((start, anchored))
    }

    /// A block node whose parent sits at column `parent`; `empty_at` is where an absent
    /// node is placed.
    fn node(&mut self, parent: i64, ctx: Ctx, empty_at: usize) -> R<()> {
        let mut crossed = self.skip_space();
        let mut col = self.content_col();
        let indentless = |r: &Self, col: i64| {
            matches!(ctx, Ctx::MapValue | Ctx::Explicit | Ctx::QKey)
                && col == parent
                && r.cur() == Some(b'-')
                && is_ws(r.at(r.pos + 1))
        };
        if col < 0 || (crossed && col <= parent && !indentless(self, col)) {
            if ctx == Ctx::Root {
                // An empty document's node lies on the next token: a marker, or the end.
                let p = self.pos;
                let e = if self.marker_at(p).is_some() {
                    p + 3
                } else {
                    p
                };
                self.empty_over(p, e, false);
            } else {
                self.empty(empty_at, false);
            }
            return Ok(());
        }
        if crossed && parent >= 0 {
            let limit = if ctx == Ctx::QKey { i64::MAX } else { parent };
            self.check_tab_indent(limit)?;
        }
        let mut seen = [false; 2];
        let (pstart, mut anchored) = self.props_seen(&mut seen)?;
        if pstart.is_some() && matches!(self.cur(), None | Some(b'\n' | b'\r' | b'#')) {
            self.own_line_limit = Self::own_line_tab_limit(parent, ctx, crossed);
            let next_line = self.skip_space();
            crossed |= next_line;
            col = self.content_col();
            // The content on a later line may not be indented by a tab at or left of the
            // parent's column (an entry's or a key's: one column left).
            if next_line && parent >= 0 && col > parent {
                self.check_tab_indent(self.own_line_limit)?;
            }
            // More properties may follow on the next lines.
            let mut inline = None;
            let mut conflict = false;
            while col > parent && matches!(self.cur(), Some(b'&' | b'!')) {
                let at = self.pos;
                let (more, a) = self.props_seen(&mut seen)?;
                if more.is_none() {
                    // A second anchor or tag: the key's own, if a key follows.
                    let (_, a) = self.props()?;
                    inline = Some((at, a));
                    conflict = true;
                    break;
                }
                if !matches!(self.cur(), None | Some(b'\n' | b'\r' | b'#')) {
                    inline = Some((at, a));
                    break;
                }
                anchored |= a;
                self.skip_space();
                col = self.content_col();
            }
            if col < 0 || col <= parent && !indentless(self, col) {
                let at = pstart.unwrap_or(empty_at);
                self.empty_props(at, anchored);
                return Ok(());
            }
            // Properties on their own line belong to the collection below.
            let start = pstart.unwrap_or(self.pos);
            let keyed = self.content(parent, ctx, crossed, col, start, anchored, Some(inline))?;
            if conflict && !keyed {
                return Err((self.pos, "did not find expected <document start>"));
            }
            return Ok(());
        }
        let start = pstart.unwrap_or(self.pos);
        self.content(parent, ctx, crossed, col, start, anchored, None)
            .map(|_| ())
    }

    /// The last column a tab may not take in the indentation of the line after a node's
    /// properties written on a line of their own. Under a `?` it is left of the key's
    /// column, the reference's indentation there; a `-` that ends its line adds a column
    /// to that indentation, so there the entry's own column is refused too.
    fn own_line_tab_limit(parent: i64, ctx: Ctx, props_on_next_line: bool) -> i64 {
        match ctx {
            Ctx::SeqItem if props_on_next_line => parent,
            Ctx::SeqItem | Ctx::QKey => parent - 1,
            _ => parent,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn content(
        &mut self,
        parent: i64,
        ctx: Ctx,
        crossed: bool,
        col: i64,
        start: usize,
        anchored: bool,
        // Properties on lines of their own, and then any on the content's line.
        own_line: Option<Option<(usize, bool)>>,
    ) -> R<bool> {
        let c = self.cur();
        let next_ws = is_ws(self.at(self.pos + 1));
        // Properties on the indicator's own line forbid a block collection there.
        let inline_props = match own_line {
            None => start < self.pos,
            Some(inline) => inline.is_some(),
        };
        let block_ok = crossed
            || matches!(ctx, Ctx::SeqItem | Ctx::Root | Ctx::Explicit | Ctx::QKey)
            || own_line.is_some();
        let indicator_ok = block_ok && !inline_props;
        // Tabs may indent a scalar, not a block collection.
        let tab_check = |r: &Self| {
            if (crossed || own_line.is_some()) && parent >= 0 {
                let limit = match own_line {
                    Some(_) => r.own_line_limit,
                    None => parent,
                };
                r.check_tab_indent(limit)
            } else {
                Ok(())
            }
        };
        match c {
            Some(b'-') if next_ws => {
                if !indicator_ok {
                    return Err((
                        self.pos,
                        "block sequence entries are not allowed in this context",
                    ));
                }
                tab_check(self)?;
                let indentless =
                    matches!(ctx, Ctx::MapValue | Ctx::Explicit | Ctx::QKey) && col == parent;
                self.block_seq(col, start, anchored, indentless)?;
                Ok(false)
            }
            Some(b'?') if next_ws => {
                if !indicator_ok {
                    return Err((self.pos, "mapping keys are not allowed in this context"));
                }
                tab_check(self)?;
                self.enter_block(self.pos)?;
                self.push(Ev::MapStart { anchored }, start, start);
                self.block_map(col, true)?;
                Ok(false)
            }
            Some(b'|' | b'>') => {
                let all = anchored || own_line.flatten().is_some_and(|i| i.1);
                self.block_scalar(parent, start, all)?;
                Ok(false)
            }
            _ => {
                // A scalar, alias or flow collection; followed by `:` it is a map's first key.
                let idx = self.out.len();
                let line = self.line_start(self.pos);
                let key_start = self.pos;
                let tabbed = tab_check(self);
                let (kstart, kanch) = match own_line {
                    Some(inline) => inline.unwrap_or((self.pos, false)),
                    None => (start, anchored),
                };
                if self.cur() == Some(b':') && next_ws {
                    // An empty key.
                    if kanch || kstart < self.pos {
                        self.empty_props(kstart, kanch);
                    } else {
                        self.empty(kstart, false);
                    }
                } else {
                    self.flow_limit = parent;
                    // (A quoted key's, or an entry's on the `-` line, next lines may start at
                    // the indicator's column.)
                    self.quote_limit =
                        parent - i64::from(ctx == Ctx::QKey || (ctx == Ctx::SeqItem && !crossed));
                    // Read as the node itself (every property its own); a key gets only
                    // the properties on its line, below.
                    let all = anchored || own_line.flatten().is_some_and(|i| i.1);
                    // (Properties on lines of their own may be a mapping's whose first key is
                    // an alias; an alias's own properties are refused.)
                    let s = if self.cur() == Some(b'*') {
                        kstart
                    } else {
                        start
                    };
                    self.inline_node(parent, s, all, false)?;
                }
                let save = self.pos;
                while matches!(self.cur(), Some(b' ' | b'\t')) {
                    self.pos += 1;
                }
                if self.cur() == Some(b':') && is_ws(self.at(self.pos + 1)) {
                    if ctx == Ctx::Key || (!block_ok && ctx != Ctx::Key) {
                        return Err((self.pos, "mapping values are not allowed in this context"));
                    }
                    if self.line_start(self.pos) != line || self.key_too_long(kstart) {
                        return Err((self.pos, "mapping values are not allowed in this context"));
                    }
                    tabbed?;
                    if let Some((
                        Ev::Scalar { anchored: a, .. }
                        | Ev::MapStart { anchored: a }
                        | Ev::SeqStart { anchored: a },
                        s,
                        _,
                    )) = self.out.get_mut(idx)
                    {
                        *a = kanch;
                        *s = kstart;
                    }
                    let empty_key = self.pos == key_start && kstart == key_start;
                    self.enter_block(key_start)?;
                    // The mapping starts where its first key's properties do, as the
                    // reference reports it (it is a block one, also when the key is `{`).
                    let (ms, ma) = match own_line {
                        Some(_) => (start, anchored),
                        None => (kstart, false),
                    };
                    self.out
                        .insert(idx, (Ev::MapStart { anchored: ma }, ms, ms));
                    // A `:` with no key before it acts like an explicit entry's.
                    self.map_value(
                        col,
                        if empty_key {
                            Ctx::Explicit
                        } else {
                            Ctx::MapValue
                        },
                    )?;
                    self.block_map(col, false)?;
                    Ok(true)
                } else {
                    if own_line.is_some()
                        && matches!(self.out.get(idx), Some((Ev::Alias, _, _)))
                        && start < key_start
                    {
                        return Err((key_start, "did not find expected <document start>"));
                    }
                    self.pos = save;
                    Ok(false)
                }
            }
        }
    }

    /// A node written on one line in block context, or spanning lines as a flow
    /// collection, quoted or plain scalar.
    fn inline_node(&mut self, parent: i64, start: usize, anchored: bool, flow: bool) -> R<()> {
        match self.cur() {
            Some(b'[') => self.flow_seq(start, anchored),
            Some(b'{') => self.flow_map(start, anchored),
            Some(q @ (b'"' | b'\'')) => self.quoted(q, start, anchored),
            Some(b'*') => {
                let from = self.pos;
                if start < from {
                    // (An alias takes no properties.)
                    return Err((from, "did not find expected <document start>"));
                }
                self.pos += 1;
                while !is_ws(self.cur()) && !self.cur().is_some_and(is_flow_ind) {
                    self.pos += 1;
                }
                if self.pos == from + 1 {
                    return Err((from, "while scanning an alias, did not find expected alphabetic or numeric character"));
                }
                let name = self.b.get(from + 1..self.pos).unwrap_or_default();
                if !self.anchors.contains(&name) {
                    return Err((from, "while parsing node, found unknown anchor"));
                }
                self.push(Ev::Alias, from, self.pos);
                Ok(())
            }
            _ => self.plain(parent, start, anchored, flow),
        }
    }

    /// After a key: the `:` and the value.
    fn map_value(&mut self, col: i64, ctx: Ctx) -> R<()> {
        let colon = self.pos;
        self.pos += 1;
        self.colon_tab()?;
        self.node(col, ctx, colon)
    }

    /// After a value's `:`: tabs alone may not separate it from a letter, digit, `_` or `-`
    /// (the reference's rule; any other character may follow them).
    fn colon_tab(&self) -> R<()> {
        let mut p = self.pos;
        while self.at(p) == Some(b'\t') {
            p += 1;
        }
        match self.at(p) {
            Some(c) if p > self.pos && (c.is_ascii_alphanumeric() || c == b'_' || c == b'-') => {
                Err((p, "':' must be followed by a valid YAML whitespace"))
            }
            _ => Ok(()),
        }
    }

    /// The rest of a block map at column `col`, its first entry read.
    fn block_map(&mut self, col: i64, mut first_explicit: bool) -> R<()> {
        loop {
            if first_explicit {
                first_explicit = false;
                self.pos += 1;
                if self.cur().is_none() {
                    return Err((self.pos, "expected whitespace"));
                }
                self.key_tabs()?;
                self.skip_blanks_and_comment();
                let at = self.pos;
                let crossed = self.skip_space();
                let c = self.content_col();
                let dash = self.cur() == Some(b'-') && is_ws(self.at(self.pos + 1));
                if self.cur().is_none() || (crossed && (c < col || c == col && !dash)) {
                    // No key: the reference places it on the next token.
                    self.next_token_empty(col);
                } else {
                    self.pos = at;
                    self.node(col, Ctx::QKey, at)?;
                }
                self.skip_space();
                if self.content_col() == col
                    && self.cur() == Some(b':')
                    && is_ws(self.at(self.pos + 1))
                {
                    self.check_tab_indent(i64::MAX)?;
                    self.map_value(col, Ctx::Explicit)?;
                } else {
                    self.next_token_empty(col);
                }
            }
            self.end_of_line()?;
            self.skip_space();
            let c = self.content_col();
            if c < col {
                break;
            }
            self.check_tab_indent(i64::MAX)?;
            if c > col {
                return Err((
                    self.colon_or_here(),
                    "mapping values are not allowed in this context",
                ));
            }
            if self.cur() == Some(b'?') && is_ws(self.at(self.pos + 1)) {
                first_explicit = true;
                continue;
            }
            if self.cur() == Some(b'-') && is_ws(self.at(self.pos + 1)) {
                return Err((
                    self.pos,
                    "while parsing a block mapping, did not find expected key",
                ));
            }
            let (ps, anch) = self.props()?;
            let ks = ps.unwrap_or(self.pos);
            let line = self.line_start(self.pos);
            let empty_key = self.cur() == Some(b':') && is_ws(self.at(self.pos + 1));
            if empty_key {
                if ps.is_some() {
                    self.empty_props(ks, anch);
                } else {
                    self.empty(ks, false);
                }
            } else {
                self.flow_limit = col;
                self.quote_limit = col;
                self.inline_node(col, ks, anch, false)?;
            }
            while matches!(self.cur(), Some(b' ' | b'\t')) {
                self.pos += 1;
            }
            if self.cur() == Some(b':')
                && is_ws(self.at(self.pos + 1))
                && self.line_start(self.pos) == line
                && !self.key_too_long(ks)
            {
                self.map_value(
                    col,
                    if empty_key && ps.is_none() {
                        Ctx::Explicit
                    } else {
                        Ctx::MapValue
                    },
                )?;
            } else {
                return Err((
                    self.pos,
                    "while scanning a simple key, could not find expected ':'",
                ));
            }
        }
        self.block_depth -= 1;
        let p = self.pos;
        self.push(Ev::MapEnd, p, p);
        Ok(())
    }

    /// A block mapping's implicit key, from `from` to the `:` at the current position, is
    /// longer than the reference looks back for one (1024 characters).
    fn key_too_long(&self, from: usize) -> bool {
        self.t
            .get(from..self.pos)
            .is_some_and(|k| k.len() > 1024 && k.chars().count() > 1024)
    }

    /// Where "mapping values are not allowed" points: the line's `: `, else its content.
    fn colon_or_here(&self) -> usize {
        let mut p = self.pos;
        while let Some(c) = self.at(p) {
            if c == b'\n' {
                break;
            }
            if c == b':' && is_ws(self.at(p + 1)) {
                return p;
            }
            p += 1;
        }
        self.pos
    }

    /// After a node: only blanks and a comment may follow on its line.
    fn end_of_line(&mut self) -> R<()> {
        let save = self.pos;
        while matches!(self.cur(), Some(b' ' | b'\t' | b'\r')) {
            self.pos += 1;
        }
        let at = self.pos;
        self.pos = save;
        let ls = self.line_start(save);
        let fine = match self.at(at) {
            None | Some(b'\n') => true,
            Some(b'#') => at > save || (save > 0 && is_ws(self.at(save - 1))),
            Some(_) => {
                // A nested block ends at the next line's content: that is no trailing text.
                self.b
                    .get(ls..save)
                    .is_some_and(|s| s.iter().all(|&c| c == b' ' || c == b'\t'))
            }
        };
        if fine {
            Ok(())
        } else {
            Err((at, "did not find expected key"))
        }
    }

    fn block_seq(&mut self, col: i64, start: usize, anchored: bool, indentless: bool) -> R<()> {
        self.enter_block(self.pos)?;
        let idx = self.out.len();
        self.push(Ev::SeqStart { anchored }, start, start);
        // Properties (before the first `-`) start the sequence, indentless or not.
        let props = start < self.pos;
        let mut first = true;
        loop {
            self.pos += 1;
            // A tab may not separate two entries' `-` on one line.
            let mut q = self.pos;
            while matches!(self.at(q), Some(b' ' | b'\t')) {
                q += 1;
            }
            if self.at(q) == Some(b'-')
                && is_ws(self.at(q + 1))
                && self.b.get(self.pos..q).is_some_and(|s| s.contains(&b'\t'))
            {
                return Err((self.pos, "'-' must be followed by a valid YAML whitespace"));
            }
            self.skip_blanks_and_comment();
            let at = self.pos;
            self.node(col, Ctx::SeqItem, at)?;
            if first && indentless && !props {
                // An indentless sequence starts where its first item's text does.
                let empty = matches!(self.out.get(idx + 1), Some((Ev::Scalar { value, style: Style::Plain, .. }, s, e)) if value.is_empty() && s == e);
                if let Some(s) =
                    self.out
                        .get(idx + 1)
                        .map(|e| if empty { e.1 } else { at.max(e.1.min(at)) })
                {
                    if let Some(ev) = self.out.get_mut(idx) {
                        ev.1 = s;
                        ev.2 = s;
                    }
                }
            }
            first = false;
            self.end_of_line()?;
            self.skip_space();
            let c = self.content_col();
            if c < col {
                break;
            }
            self.check_tab_indent(i64::MAX)?;
            let dash = self.cur() == Some(b'-') && is_ws(self.at(self.pos + 1));
            if c == col && dash {
                continue;
            }
            if c == col && indentless {
                break;
            }
            if c > col {
                return Err((
                    self.colon_or_here(),
                    "mapping values are not allowed in this context",
                ));
            }
            return Err((
                self.pos,
                "while parsing a block collection, did not find expected '-' indicator",
            ));
        }
        self.block_depth -= 1;
        let p = self.pos;
        self.push(Ev::SeqEnd, p, p);
        Ok(())
    }

    fn block_scalar(&mut self, parent: i64, start: usize, anchored: bool) -> R<()> {
        let literal = self.cur() == Some(b'|');
        let indicator = self.pos;
        self.pos += 1;
        let mut chomp = 0i8;
        let mut explicit: Option<i64> = None;
        for _ in 0..2 {
            match self.cur() {
                Some(b'+') if chomp == 0 => chomp = 1,
                Some(b'-') if chomp == 0 => chomp = -1,
                Some(d @ b'1'..=b'9') if explicit.is_none() => explicit = Some(i64::from(d - b'0')),
                _ => break,
            }
            self.pos += 1;
        }
        while matches!(self.cur(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        if self.cur() == Some(b'#') && is_ws(self.at(self.pos - 1)) {
            self.skip_line();
        }
        if self.cur() == Some(b'\r') {
            self.pos += 1;
        }
        match self.cur() {
            None => {}
            Some(b'\n') => self.pos += 1,
            Some(_) => {
                return Err((
                    self.pos,
                    "while scanning a block scalar, did not find expected comment or line break",
                ))
            }
        }
        let base = parent.max(0);
        let mut indent = explicit.map(|d| base + d);
        let mut value = String::new();
        let mut first_content: Option<usize> = None;
        let mut pending = 0usize;
        // The most spaces on an empty line before the first content line.
        let mut lead_max = 0i64;
        let mut prev_normal = false;
        let end;
        loop {
            let ls = self.pos;
            if ls >= self.b.len() {
                end = self.b.len();
                break;
            }
            let mut sp = ls;
            while self.at(sp) == Some(b' ') {
                sp += 1;
            }
            let le = self
                .b
                .get(ls..)
                .and_then(|s| s.iter().position(|&c| c == b'\n'))
                .map_or(self.b.len(), |i| ls + i);
            let body_end = if le > ls && self.at(le - 1) == Some(b'\r') {
                le - 1
            } else {
                le
            };
            let spaces = (sp - ls) as i64;
            let blank = sp >= body_end;
            let ind = match indent {
                Some(_)
                    if explicit.is_some()
                        && first_content.is_none()
                        && pending == 0
                        && self.at(sp) == Some(b'\t')
                        && spaces == 0 =>
                {
                    return Err((indicator, "a block scalar content cannot start with a tab"));
                }
                Some(i) => i,
                None if blank => {
                    self.pos = le + 1;
                    // (An unterminated last line of blanks counts as a break only when no
                    // empty line came before it, as in the reference.)
                    if !(le >= self.b.len() && pending > 0) {
                        pending += 1;
                    }
                    lead_max = lead_max.max(spaces);
                    if le >= self.b.len() {
                        self.pos = le;
                        end = le;
                        break;
                    }
                    continue;
                }
                None => {
                    if pending == 0 && self.at(sp) == Some(b'\t') && spaces == 0 {
                        return Err((indicator, "a block scalar content cannot start with a tab"));
                    }
                    let i = spaces.max(parent + 1);
                    if spaces <= parent || spaces < 1 && parent >= 0 {
                        // No content: the scalar is empty.
                        end = ls + (spaces.min(i) as usize);
                        break;
                    }
                    if lead_max > i {
                        return Err((sp, "wrongly indented line in block scalar"));
                    }
                    indent = Some(i);
                    i
                }
            };
            let doc_marker = self.marker_at(ls).is_some();
            // (The reference reads a last, unterminated line of exactly the indentation
            // after content as an empty content line; with clipping the empty lines before
            // it are dropped, with stripping it is only blank.)
            let eof_line = le >= self.b.len()
                && blank
                && spaces == ind
                && ind > 0
                && first_content.is_some()
                && chomp >= 0;
            if eof_line && chomp == 0 {
                pending = 0;
            }
            if blank && spaces <= ind && !eof_line {
                if !(le >= self.b.len() && (pending > 0 || first_content.is_some())) {
                    pending += 1;
                }
                if le >= self.b.len() {
                    self.pos = le;
                    end = le;
                    break;
                }
                self.pos = le + 1;
                continue;
            }
            if explicit.is_some()
                && first_content.is_none()
                && !blank
                && spaces < ind
                && spaces > parent
            {
                return Err((sp, "wrongly indented line in block scalar"));
            }
            if spaces < ind || doc_marker {
                end = ls + (spaces.min(ind) as usize);
                break;
            }
            let cs = ls + ind as usize;
            first_content.get_or_insert(cs);
            let text = self.t.get(cs..body_end).unwrap_or("");
            let normal = !text.is_empty() && !text.starts_with([' ', '\t']);
            if !value.is_empty() || first_content != Some(cs) {
                if literal || !(prev_normal && normal) {
                    value.push('\n');
                    (0..pending).for_each(|_| value.push('\n'));
                } else if pending == 0 {
                    value.push(' ');
                } else {
                    (0..pending).for_each(|_| value.push('\n'));
                }
            } else {
                (0..pending).for_each(|_| value.push('\n'));
            }
            value.push_str(text);
            pending = 0;
            prev_normal = normal;
            if le >= self.b.len() {
                self.pos = le;
                end = le;
                break;
            }
            self.pos = le + 1;
        }
        match chomp {
            -1 => {}
            0 => {
                if first_content.is_some() {
                    value.push('\n');
                }
            }
            _ => {
                if first_content.is_some() {
                    value.push('\n');
                }
                (0..pending).for_each(|_| value.push('\n'));
            }
        }
        self.pos = end;
        // Properties start the span; else the first content, or the indicator when empty.
        let s = if start != indicator {
            start
        } else {
            first_content.unwrap_or(if end < self.b.len() { end } else { start })
        };
        let style = if literal {
            Style::Literal
        } else {
            Style::Folded
        };
        self.push(
            Ev::Scalar {
                value,
                style,
                anchored,
            },
            s,
            end.max(s),
        );
        Ok(())
    }

    fn quoted(&mut self, q: u8, start: usize, anchored: bool) -> R<()> {
        let open = self.pos;
        self.quote_open = open;
        self.pos += 1;
        let mut v = String::new();
        loop {
            let Some(c) = self.cur() else {
                return Err((
                    open,
                    "while scanning a quoted scalar, found unexpected end of stream",
                ));
            };
            match c {
                b'\'' if q == b'\'' => {
                    if self.at(self.pos + 1) == Some(b'\'') {
                        v.push('\'');
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                        break;
                    }
                }
                b'"' if q == b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' if q == b'"' => {
                    let e = self.at(self.pos + 1);
                    self.pos += 2;
                    let ch = match e {
                        Some(b'0') => '\0',
                        Some(b'a') => '\x07',
                        Some(b'b') => '\x08',
                        Some(b't' | b'\t') => '\t',
                        Some(b'n') => '\n',
                        Some(b'v') => '\x0b',
                        Some(b'f') => '\x0c',
                        Some(b'r') => '\r',
                        Some(b'e') => '\x1b',
                        Some(b' ') => ' ',
                        Some(b'"') => '"',
                        Some(b'/') => '/',
                        Some(b'\\') => '\\',
                        Some(b'N') => '\u{85}',
                        Some(b'_') => '\u{a0}',
                        Some(b'L') => '\u{2028}',
                        Some(b'P') => '\u{2029}',
                        Some(x @ (b'x' | b'u' | b'U')) => {
                            let n = match x {
                                b'x' => 2,
                                b'u' => 4,
                                _ => 8,
                            };
                            let hex = self.t.get(self.pos..self.pos + n).unwrap_or("");
                            let code = (hex.len() == n
                                && hex.bytes().all(|h| h.is_ascii_hexdigit()))
                            .then(|| u32::from_str_radix(hex, 16).ok())
                            .flatten()
                            .and_then(char::from_u32);
                            match code {
                                Some(ch) => {
                                    self.pos += n;
                                    ch
                                }
                                None => return Err((
                                    self.pos - 2,
                                    "while parsing a quoted scalar, found unknown escape character",
                                )),
                            }
                        }
                        Some(b'\r' | b'\n') => {
                            if e == Some(b'\r') && self.cur() == Some(b'\n') {
                                self.pos += 1;
                            }
                            // An escaped line break joins the lines with nothing between.
                            self.fold_lines(&mut v, true)?;
                            continue;
                        }
                        _ => {
                            return Err((
                                self.pos - 2,
                                "while parsing a quoted scalar, found unknown escape character",
                            ))
                        }
                    };
                    v.push(ch);
                }
                b'\r' | b'\n' => {
                    let trimmed = v.trim_end_matches([' ', '\t']).len();
                    v.truncate(trimmed.max(self.protected));
                    if c == b'\r' && self.at(self.pos + 1) == Some(b'\n') {
                        self.pos += 1;
                    }
                    self.pos += 1;
                    self.fold_lines(&mut v, false)?;
                }
                _ => {
                    let ch_len = self
                        .t
                        .get(self.pos..)
                        .and_then(|s| s.chars().next())
                        .map_or(1, char::len_utf8);
                    v.push_str(self.t.get(self.pos..self.pos + ch_len).unwrap_or(""));
                    self.pos += ch_len;
                    if c == b'\\' || !matches!(c, b' ' | b'\t') {
                        self.protected = v.len();
                    }
                    continue;
                }
            }
            self.protected = v.len();
        }
        self.protected = 0;
        let style = if q == b'"' {
            Style::DoubleQuoted
        } else {
            Style::SingleQuoted
        };
        self.quoted_spans.push((open, self.pos));
        self.adjacent_at = self.next_token_at(self.pos);
        // The span runs on over blanks and a comment (the tree trims it back to the quote).
        let end = self.run_over(self.pos);
        self.push(
            Ev::Scalar {
                value: v,
                style,
                anchored,
            },
            start,
            end,
        );
        Ok(())
    }

    /// Where the next token starts: past blanks, line breaks and comments (a `#` needs no
    /// blank before it here, as the reference skips it after a quoted scalar).
    fn next_token_at(&self, mut p: usize) -> usize {
        loop {
            match self.at(p) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => p += 1,
                Some(b'#') => self.skip_line_from(&mut p),
                _ => return p,
            }
        }
    }

    /// The end of a token's span as the reference reports it: on over the blanks and a
    /// comment after it.
    fn run_over(&self, mut end: usize) -> usize {
        while matches!(self.at(end), Some(b' ' | b'\t')) {
            end += 1;
        }
        if self.at(end) == Some(b'#') {
            while !matches!(self.at(end), None | Some(b'\n' | b'\r')) {
                end += 1;
            }
        }
        end
    }

    /// After a line break inside a quoted scalar: skip the next lines' indentation, and
    /// fold (one break: a space; n empty lines: n newlines).
    fn fold_lines(&mut self, v: &mut String, escaped: bool) -> R<()> {
        let mut empties = 0;
        // (Once a plain scalar was read in the outermost flow collection, the reference lets
        // a quoted scalar's next lines start one column further left.)
        let limit = self.quote_limit - i64::from(self.depth > 0 && self.flow_plain);
        loop {
            if self.marker_at(self.pos).is_some() {
                return Err((
                    self.pos,
                    "while scanning a quoted scalar, found unexpected document indicator",
                ));
            }
            while matches!(self.cur(), Some(b' ' | b'\t')) {
                if self.cur() == Some(b'\t') && self.col(self.pos) <= limit {
                    return Err((self.pos, "tab cannot be used as indentation"));
                }
                self.pos += 1;
            }
            if !matches!(self.cur(), None | Some(b'\r' | b'\n')) && self.col(self.pos) <= limit {
                return Err((self.quote_open, "invalid indentation in quoted scalar"));
            }
            match self.cur() {
                Some(b'\r') if self.at(self.pos + 1) == Some(b'\n') => {
                    self.pos += 2;
                    empties += 1;
                }
                Some(b'\n') => {
                    self.pos += 1;
                    empties += 1;
                }
                _ => break,
            }
        }
        if empties == 0 && !escaped {
            v.push(' ');
        }
        (0..empties).for_each(|_| v.push('\n'));
        self.protected = v.len();
        Ok(())
    }

    /// A plain scalar. Continuation lines must sit deeper than `parent`; in flow context
    /// `,[]{}` end it too.
    fn plain(&mut self, parent: i64, start: usize, anchored: bool, flow: bool) -> R<()> {
        let first = self.cur();
        let next = self.at(self.pos + 1);
        let bad_start = match first {
            None => true,
            Some(c @ (b'-' | b'?' | b':')) => {
                is_ws(next) || (flow && c != b'?' && next.is_some_and(is_flow_ind))
            }
            // (In flow context `|` and `>` start plain text.)
            Some(c) => {
                is_flow_ind(c) || b"#&*!'\"%@`".contains(&c) || (!flow && matches!(c, b'|' | b'>'))
            }
        };
        if bad_start {
            if first.is_some_and(|c| matches!(c, b'%' | b'@' | b'`')) {
                return Err((self.pos, "while scanning for the next token, found character that cannot start any token"));
            }
            return Err((
                self.pos,
                "while parsing a node, did not find expected node content",
            ));
        }
        if flow && self.line_indent_only(self.pos) && self.col(self.pos) <= self.flow_limit {
            // Plain text in a flow collection sits right of the enclosing block.
            return Err((self.pos, "invalid indentation in flow construct"));
        }
        let start_pos = self.pos;
        self.flow_plain |= flow;
        let mut value = String::new();
        let mut end = self.pos;
        let mut breaks = 0usize;
        loop {
            // One line's text.
            let from = self.pos;
            let mut p = self.pos;
            let last_end = end;
            end = p;
            while let Some(c) = self.at(p) {
                match c {
                    b'\n' | b'\r' => break,
                    b':' if is_ws(self.at(p + 1))
                        || (flow && self.at(p + 1).is_some_and(is_flow_ind)) =>
                    {
                        break
                    }
                    b'#' if p > from && is_ws(self.at(p - 1)) => break,
                    c if flow && is_flow_ind(c) => break,
                    // (In flow context the reference checks each word after a blank as the
                    // start of a scalar.)
                    b'-' if flow
                        && p > from
                        && matches!(self.at(p - 1), Some(b' ' | b'\t'))
                        && self.at(p + 1).is_some_and(is_flow_ind) =>
                    {
                        return Err((p, "plain scalar cannot start with '-' followed by ,[]{}"));
                    }
                    b' ' | b'\t' => p += 1,
                    _ => {
                        p += 1;
                        end = p;
                    }
                }
            }
            if end > from {
                if !value.is_empty() || breaks > 0 {
                    if breaks == 1 {
                        value.push(' ');
                    } else {
                        (1..breaks).for_each(|_| value.push('\n'));
                    }
                }
                value.push_str(self.t.get(from..end).unwrap_or(""));
                self.pos = end;
            } else {
                // A line with no text of its own (say `: x`) is not the scalar's: it stops
                // at the end of the last line's text.
                if value.is_empty() && breaks == 0 {
                    end = from;
                } else {
                    end = last_end;
                }
                self.pos = end;
                break;
            }
            // Stop at anything but a line break followed by a deeper continuation line.
            let mut q = end;
            while matches!(self.at(q), Some(b' ' | b'\t' | b'\r')) {
                q += 1;
            }
            if self.at(q) != Some(b'\n') {
                break;
            }
            let mut n = 0;
            let cont = loop {
                if self.at(q) != Some(b'\n') {
                    break None;
                }
                q += 1;
                n += 1;
                let ls = q;
                while matches!(self.at(q), Some(b' ' | b'\t')) {
                    q += 1;
                }
                match self.at(q) {
                    None => break None,
                    Some(b'\r' | b'\n') => {
                        if self.at(q) == Some(b'\r') {
                            q += 1;
                        }
                        continue;
                    }
                    // (The reference reads a comment line that starts with a tab as an
                    // empty line of the scalar.)
                    Some(b'#') if self.at(ls) == Some(b'\t') && parent >= 0 => {
                        self.skip_line_from(&mut q);
                        continue;
                    }
                    Some(b'#') => break None,
                    Some(_) => {
                        let spaces = self
                            .b
                            .get(ls..q)
                            .map_or(0, |s| s.iter().take_while(|&&c| c == b' ').count());
                        let limit = parent;
                        let lim = if flow { self.flow_limit } else { parent };
                        let tab = self
                            .b
                            .get(ls..q)
                            .and_then(|s| s.iter().position(|&c| c == b'\t'));
                        if tab.is_some_and(|t| (t as i64) <= lim) {
                            return Err((start_pos, "while scanning a plain scalar, found a tab"));
                        }
                        // (In a flow collection the reference lets a scalar's later lines
                        // sit at any column, but checks their start as a new scalar's, and
                        // the token after the scalar, below.)
                        if flow
                            && self.at(q) == Some(b'-')
                            && self.at(q + 1).is_some_and(is_flow_ind)
                        {
                            return Err((
                                q,
                                "plain scalar cannot start with '-' followed by ,[]{}",
                            ));
                        }
                        if self.marker_at(ls).is_some() || (!flow && (spaces as i64) <= limit) {
                            break None;
                        }
                        break Some(q);
                    }
                }
            };
            match cont {
                Some(q) => {
                    breaks = n;
                    self.pos = q;
                }
                None => break,
            }
        }
        self.pos = end;
        if flow && self.line_start(end) > start_pos {
            // The token after a scalar that spans lines sits right of the enclosing block,
            // as one at the start of a line does.
            let mut q = end;
            while matches!(self.at(q), Some(b' ' | b'\t')) {
                q += 1;
            }
            // (Columns count characters here: text may precede the token on its line.)
            let ls = self.line_start(q);
            let col = self.t.get(ls..q).map_or(0, |s| s.chars().count()) as i64;
            if !matches!(self.at(q), None | Some(b'\n' | b'\r' | b'#')) && col < self.flow_limit {
                return Err((q, "invalid indentation"));
            }
        }
        self.push(
            Ev::Scalar {
                value,
                style: Style::Plain,
                anchored,
            },
            start,
            end,
        );
        Ok(())
    }

    /// The column a token in the flow collection may not start left of. The reference
    /// indents a flow collection in a block one column right of the block, until the first
    /// plain scalar in it takes that column back.
    fn flow_indent(&self) -> i64 {
        self.flow_limit + i64::from(!self.flow_plain)
    }

    /// Skip blanks, breaks and comments inside a flow collection.
    fn flow_space(&mut self) -> R<()> {
        let crossed = self.skip_space();
        if crossed && self.marker_at(self.pos).is_some() {
            return Err((
                self.pos,
                "while parsing a node, did not find expected node content",
            ));
        }
        if crossed && self.cur().is_some() && self.col(self.pos) < self.flow_indent() {
            return Err((self.pos, "invalid indentation"));
        }
        // A tab left of the enclosing block's column is block indentation.
        if crossed && self.cur().is_some() && self.line_indent_only(self.pos) {
            let ls = self.line_start(self.pos);
            if let Some(t) = self
                .b
                .get(ls..self.pos)
                .and_then(|s| s.iter().position(|&c| c == b'\t'))
            {
                if (t as i64) < self.flow_indent() {
                    return Err((
                        ls + t,
                        "tabs disallowed within this context (block indentation)",
                    ));
                }
            }
        }
        Ok(())
    }

    /// One flow node: properties, then a collection, scalar or alias.
    fn flow_node(&mut self, empty_at: usize) -> R<()> {
        self.flow_space()?;
        let mut seen = [false; 2];
        let (ps, mut anchored) = self.props_seen(&mut seen)?;
        self.flow_space()?;
        // The other property may stand on a later line.
        while ps.is_some() && matches!(self.cur(), Some(b'&' | b'!')) {
            let end = self.prop_end;
            let (more, a) = self.props_seen(&mut seen)?;
            if more.is_none() {
                self.prop_end = end;
                break;
            }
            anchored |= a;
            self.flow_space()?;
        }
        let colon = self.cur() == Some(b':')
            && (is_ws(self.at(self.pos + 1)) || self.at(self.pos + 1).is_some_and(is_flow_ind));
        if self.cur().is_none_or(|c| matches!(c, b',' | b']' | b'}')) || (colon && ps.is_some()) {
            if ps.is_some() {
                self.empty_props(ps.unwrap_or(empty_at), anchored);
                return Ok(());
            }
            if self.cur().is_none() {
                return Err((
                    self.pos,
                    "while parsing a node, did not find expected node content",
                ));
            }
            return Err((
                self.pos,
                "while parsing a node, did not find expected node content",
            ));
        }
        let start = ps.unwrap_or(self.pos);
        self.inline_node(-1, start, anchored, true)
    }

    /// `: value` after a flow key, or the empty value placed on the next token.
    fn flow_pair_value(&mut self) -> R<()> {
        self.flow_pair_value_in(false)
    }

    /// As [`Self::flow_pair_value`]; after an explicit key (`? `) in a flow sequence the
    /// reference places an empty value written as `:` on the token after it, too.
    fn flow_pair_value_in(&mut self, explicit_in_seq: bool) -> R<()> {
        self.flow_space()?;
        let adjacent = self.adjacent();
        if self.cur() == Some(b':')
            && (adjacent
                || is_ws(self.at(self.pos + 1))
                || self.at(self.pos + 1).is_some_and(is_flow_ind))
        {
            if !adjacent {
                self.colon_bracket()?;
            }
            let colon = self.pos;
            self.pos += 1;
            self.colon_tab()?;
            // (The reference reads a `#` right after the `:` as a comment.)
            if self.cur() == Some(b'#') {
                self.skip_line();
            }
            self.flow_space()?;
            if self.cur().is_some_and(|c| matches!(c, b',' | b']' | b'}')) {
                if explicit_in_seq {
                    let p = self.pos;
                    let e = self.run_over(p + 1);
                    self.empty_over(p, e, false);
                } else {
                    self.empty(colon, false);
                }
                return Ok(());
            }
            return self.flow_node(colon);
        }
        let p = self.pos;
        // (A flow indicator's token runs on over the blanks and a comment after it.)
        let e = match self.cur() {
            Some(b',' | b']' | b'}') => self.run_over(p + 1),
            Some(_) => p + 1,
            None => p,
        };
        self.empty_over(p, e, false);
        Ok(())
    }

    /// A `:` written right before `[` or `{` needs a quoted or bracketed key before it.
    fn colon_bracket(&self) -> R<()> {
        if matches!(self.at(self.pos + 1), Some(b'[' | b'{')) {
            return Err((self.pos, "':' may not precede any of `[{` in flow mapping"));
        }
        Ok(())
    }

    /// After `?`: the reference wants a space after it, and no tab before the key (nor on
    /// the blank and comment lines before it).
    fn key_tabs(&mut self) -> R<()> {
        if self.depth > 0 && self.cur().is_none() {
            // A flow `?` that ends the text: the reference stops before reporting anything
            // of the outermost flow collection, unless that is a mapping on a `---` line.
            let on_marker_line = match self.out.get(self.flow_root) {
                Some((Ev::MapStart { .. }, s, _)) => {
                    let ls = self.line_start(*s);
                    self.marker_at(ls) == Some(b'-') && *s > ls + 3
                }
                _ => false,
            };
            if !on_marker_line {
                self.out.truncate(self.flow_root);
            }
            return Err((self.pos, "expected whitespace"));
        }
        if self.cur() == Some(b'\t') {
            return Err((self.pos, "expected whitespace"));
        }
        let mut p = self.pos;
        loop {
            match self.at(p) {
                Some(b' ' | b'\n' | b'\r') => p += 1,
                Some(b'#') => self.skip_line_from(&mut p),
                Some(b'\t') => return Err((p, "tabs disallowed in this context")),
                _ => return Ok(()),
            }
        }
    }

    /// A single-pair map inside `[]` is still open when the text ends after it.
    fn pair_end(&mut self) -> R<()> {
        self.flow_space()?;
        if self.cur().is_none() {
            return Err((
                self.pos,
                "while parsing a flow mapping, did not find expected ',' or '}'",
            ));
        }
        Ok(())
    }

    /// After a nested flow collection's closing bracket, a `:` on its line (past blanks)
    /// may stand right before the value.
    fn closed_in_flow(&mut self) {
        if self.depth > 1 {
            let mut p = self.pos;
            while matches!(self.at(p), Some(b' ' | b'\t')) {
                p += 1;
            }
            self.adjacent_at = p;
        }
    }

    /// The `:` at the current position may stand right before its value.
    fn adjacent(&self) -> bool {
        self.pos == self.adjacent_at
    }

    fn flow_seq(&mut self, start: usize, anchored: bool) -> R<()> {
        self.enter(self.pos)?;
        self.push(Ev::SeqStart { anchored }, start, start);
        self.pos += 1;
        let mut comma = false;
        let mut any = false;
        // After an explicit (`? `) pair the reference lets a later pair's key span lines,
        // and closes a pair cut off by the end of the text before its error.
        let mut explicit = false;
        loop {
            self.flow_space()?;
            match self.cur() {
                Some(b']') => {
                    let e = self.run_over(self.pos + 1);
                    self.push(Ev::SeqEnd, self.pos, e);
                    self.pos += 1;
                    self.closed_in_flow();
                    break;
                }
                None if comma || !any => {
                    return Err((
                        self.pos,
                        "while parsing a node, did not find expected node content",
                    ));
                }
                None => {
                    return Err((
                        self.pos,
                        "while parsing a flow sequence, expected ',' or ']'",
                    ))
                }
                Some(_) if any && !comma => {
                    return Err((
                        self.pos,
                        "while parsing a flow sequence, expected ',' or ']'",
                    ));
                }
                Some(b'?') if is_ws(self.at(self.pos + 1)) => {
                    let s = self.pos;
                    self.enter(s)?;
                    self.push(Ev::MapStart { anchored: false }, s, s);
                    self.pos += 1;
                    self.key_tabs()?;
                    self.flow_space()?;
                    let p = self.pos;
                    let colon = self.cur() == Some(b':')
                        && (is_ws(self.at(p + 1)) || self.at(p + 1).is_some_and(is_flow_ind));
                    if self.cur() == Some(b']') {
                        // (The reference would take the `]` as the empty key's token, closing
                        // the sequence for its scanner but not for its parser: no later
                        // token can end the sequence.)
                        return Err((p, "while parsing a flow sequence, expected ',' or ']'"));
                    }
                    if colon || self.cur() == Some(b',') {
                        // No key: the reference places the empty key on the next token and
                        // goes past that token (a `,` too); the value follows.
                        if colon {
                            self.colon_bracket()?;
                        }
                        let e = if colon { p } else { self.run_over(p + 1) };
                        self.empty_over(p, e, false);
                        self.pos += 1;
                    } else {
                        self.flow_node(p)?;
                    }
                    self.flow_pair_value_in(true)?;
                    explicit = true;
                    self.depth -= 1;
                    self.push(Ev::MapEnd, self.pos, self.pos);
                }
                Some(b':')
                    if is_ws(self.at(self.pos + 1))
                        || self.at(self.pos + 1).is_some_and(is_flow_ind) =>
                {
                    self.colon_bracket()?;
                    if explicit {
                        // (After an explicit pair the reference reads pairs as explicit ones
                        // without `?`: a `:` with no key before it starts no node.)
                        return Err((
                            self.pos,
                            "while parsing a node, did not find expected node content",
                        ));
                    }
                    let s = self.pos;
                    self.enter(s)?;
                    self.push(Ev::MapStart { anchored: false }, s, s);
                    self.empty(s, false);
                    self.flow_pair_value()?;
                    self.pair_end()?;
                    self.depth -= 1;
                    self.push(Ev::MapEnd, self.pos, self.pos);
                }
                Some(_) => {
                    let idx = self.out.len();
                    self.flow_node(self.pos)?;
                    let save = self.pos;
                    self.flow_space()?;
                    if self.cur() == Some(b':')
                        && (self.adjacent()
                            || is_ws(self.at(self.pos + 1))
                            || self.at(self.pos + 1).is_some_and(is_flow_ind))
                    {
                        let s = self.out.get(idx).map_or(self.pos, |e| e.1);
                        if !explicit && self.line_start(s) != self.line_start(self.pos) {
                            // A pair's key sits on one line.
                            return Err((self.pos, "illegal placement of ':' indicator"));
                        }
                        self.enter(s)?;
                        self.out
                            .insert(idx, (Ev::MapStart { anchored: false }, s, s));
                        // (After an explicit pair an empty value lies on the next token.)
                        self.flow_pair_value_in(explicit)?;
                        if !explicit {
                            self.pair_end()?;
                        }
                        self.depth -= 1;
                        self.push(Ev::MapEnd, self.pos, self.pos);
                    } else {
                        self.pos = save;
                    }
                }
            }
            any = true;
            comma = false;
            self.flow_space()?;
            if self.cur() == Some(b',') {
                comma = true;
                self.pos += 1;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn flow_map(&mut self, start: usize, anchored: bool) -> R<()> {
        self.enter(self.pos)?;
        self.push(Ev::MapStart { anchored }, start, start);
        self.pos += 1;
        let mut comma: Option<usize> = None;
        let mut any = false;
        loop {
            self.flow_space()?;
            match self.cur() {
                Some(b'}') => {
                    // The reference ends a map closed after a trailing comma at that comma.
                    let e = match comma {
                        Some(c) if any => self.run_over(c + 1),
                        _ => self.run_over(self.pos + 1),
                    };
                    self.push(Ev::MapEnd, e - 1, e);
                    self.pos += 1;
                    self.closed_in_flow();
                    break;
                }
                None if comma.is_some() || !any => {
                    return Err((
                        self.pos,
                        "while parsing a node, did not find expected node content",
                    ));
                }
                None => {
                    return Err((
                        self.pos,
                        "while parsing a flow mapping, did not find expected ',' or '}'",
                    ))
                }
                Some(_) if any && comma.is_none() => {
                    return Err((
                        self.pos,
                        "while parsing a flow mapping, did not find expected ',' or '}'",
                    ));
                }
                Some(b':')
                    if is_ws(self.at(self.pos + 1))
                        || self.at(self.pos + 1).is_some_and(is_flow_ind) =>
                {
                    // An empty key.
                    self.colon_bracket()?;
                    self.empty(self.pos, false);
                    self.flow_pair_value()?;
                }
                Some(c) => {
                    let next = self.at(self.pos + 1);
                    if c == b'?' && is_ws(next) {
                        self.pos += 1;
                        self.key_tabs()?;
                        self.flow_space()?;
                        let colon = self.cur() == Some(b':')
                            && (is_ws(self.at(self.pos + 1))
                                || self.at(self.pos + 1).is_some_and(is_flow_ind));
                        if colon || matches!(self.cur(), Some(b',' | b'}')) {
                            // An explicit entry with no key: it lies on the next token.
                            let p = self.pos;
                            let e = if self.cur() == Some(b':') {
                                p
                            } else {
                                self.run_over(p + 1)
                            };
                            self.empty_over(p, e, false);
                            self.flow_pair_value()?;
                            any = true;
                            comma = None;
                            self.flow_space()?;
                            if self.cur() == Some(b',') {
                                comma = Some(self.pos);
                                self.pos += 1;
                            }
                            continue;
                        }
                    }
                    self.flow_node(self.pos)?;
                    self.flow_pair_value()?;
                }
            }
            any = true;
            comma = None;
            self.flow_space()?;
            if self.cur() == Some(b',') {
                comma = Some(self.pos);
                self.pos += 1;
            }
        }
        self.depth -= 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalars(text: &str) -> Vec<(String, Style, usize, usize)> {
        let (events, err) = read(text);
        assert!(err.is_none(), "{err:?}");
        events
            .into_iter()
            .filter_map(|(e, s, end)| match e {
                Ev::Scalar { value, style, .. } => Some((value, style, s, end)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn scalar_values_fold_and_unescape() {
        let v: Vec<String> = scalars(
            "a: x\n  y\n\n  z\nb: \"q\\t\\u00e9\n  r\"\nc: 'it''s'\nd: |-\n  l1\n  l2\ne: >\n  f1\n  f2\n\n  f3\n",
        )
        .into_iter()
        .map(|s| s.0)
        .collect();
        assert_eq!(
            v,
            [
                "a",
                "x y\nz",
                "b",
                "q\t\u{e9} r",
                "c",
                "it's",
                "d",
                "l1\nl2",
                "e",
                "f1 f2\nf3\n"
            ]
        );
    }

    #[test]
    fn spans_cover_the_written_text() {
        let text = "k: \"v\"\nl: [1, {m: n}]\n";
        let s = scalars(text);
        let v = s.iter().find(|x| x.0 == "v").expect("v");
        assert_eq!(text.get(v.2..v.3), Some("\"v\""));
        let n = s.iter().find(|x| x.0 == "n").expect("n");
        assert_eq!(text.get(n.2..n.3), Some("n"));
    }

    #[test]
    fn broken_text_is_an_error_not_a_guess() {
        for t in [
            "a: \"x",
            "a: b: c",
            "- a\nb: 1",
            "[1, 2",
            "a:\n\tb: 1",
            "*nowhere",
            "%YAML\n---",
        ] {
            assert!(read(t).1.is_some(), "{t:?}");
        }
    }

    #[test]
    fn tags_follow_the_uri_and_handle_rules() {
        for t in [
            "!<a]> x",
            "[!<a]>]",
            "!<a%C3%A9> x",
            "a: !b%C0%80 x",
            "%TAG !a_b! tag:x\n--- !a_b!c x",
            "%TAG !a!tag:x\n--- !a!c x",
            "%TAG !e! tag:x\n--- !e!a m\n...\n%TAG !e! tag:y\n--- !e!b n",
            "%YAML 123456789.1\n--- x",
        ] {
            assert!(read(t).1.is_none(), "{t:?}: {:?}", read(t).1);
        }
        for t in [
            "!<a}> x",
            "!<a b> x",
            "a: !b%E2%82%AC x",
            "a: !b%D8%80 x",
            "a: !t]",
            "!a_b!c x",
            "%TAG !a! tag:x\n--- !b!c x",
            "%TAG !e! tag:x\n--- !e!a m\n...\n--- !e!b n",
            "%TAG !a! tag:x\n%TAG !a! tag:y\n--- x",
            "%TAG !a tag:x\n--- x",
            "%TAG ! [x\n--- x",
            "%YAML 1234567890.1\n--- x",
        ] {
            assert!(read(t).1.is_some(), "{t:?}");
        }
    }

    #[test]
    fn a_flow_collection_sits_right_of_its_block_until_a_plain_scalar() {
        for (t, ok) in [
            ("k: {\n  \"a\"\n}", false),
            ("k: {\n  a\n}", true),
            ("k: {\n  \"a\": 1\n}", true),
            ("k: [ \"a\",\n\t\"b\"]", false),
            ("k: [ a,\n\t\"b\"]", true),
            ("{\n\"a\"\n}", true),
        ] {
            assert_eq!(read(t).1.is_none(), ok, "{t:?}: {:?}", read(t).1);
        }
    }

    #[test]
    fn an_implicit_key_ends_within_1024_characters() {
        assert!(read(&format!("{}: v", "a".repeat(1024))).1.is_none());
        assert!(read(&format!("{}: v", "a".repeat(1025))).1.is_some());
        assert!(read(&format!("{}: v", "\u{e9}".repeat(1024))).1.is_none());
        assert!(read(&format!("[{}: v]", "a".repeat(1025))).1.is_none());
    }

    #[test]
    fn a_colon_before_a_bracket_follows_a_quoted_key_or_a_closed_collection() {
        for (t, ok) in [
            ("{\"a\":[x]}", true),
            ("{\"a\"\n:[x]}", true),
            ("[[a]:[x]]", true),
            ("{[a]\n:{x}}", false),
            ("{? :{a}}", false),
            ("{a:[x]}", false),
        ] {
            assert_eq!(read(t).1.is_none(), ok, "{t:?}: {:?}", read(t).1);
        }
    }

    #[test]
    fn a_dash_before_a_flow_indicator_ends_no_flow_word() {
        assert!(read("[a -]").1.is_some());
        assert!(read("{a -, b}").1.is_some());
        assert!(read("[a-, b]").1.is_none());
        assert!(read("[a -b]").1.is_none());
        assert!(read("k: a -]").1.is_none());
    }

    #[test]
    fn a_byte_order_mark_in_a_document_end_comment_leaves_the_document_open() {
        let (events, err) = read("a\n... #\u{feff}\n");
        assert!(err.is_some());
        assert!(events.is_empty(), "{events:?}");
        let (events, err) = read("a\n...\n#\u{feff}\n");
        assert!(err.is_some());
        assert!(events.iter().any(|e| e.0 == Ev::DocEnd));
    }

    #[test]
    fn an_empty_node_on_a_question_mark_spans_the_comments_below_it() {
        let s = scalars("?\n? \n#c");
        assert_eq!(s.get(1).map(|x| (x.2, x.3)), Some((2, 7)), "{s:?}");
    }

    #[test]
    fn an_empty_node_on_a_flow_indicator_spans_its_blanks_and_comment() {
        let s = scalars("{a,\t#c\n}");
        assert_eq!(s.get(1).map(|x| (x.2, x.3)), Some((2, 6)), "{s:?}");
        let s = scalars("{? }\t#c");
        assert_eq!(s.first().map(|x| (x.2, x.3)), Some((3, 7)), "{s:?}");
    }

    #[test]
    fn an_explicit_pair_without_key_in_a_flow_sequence_takes_the_next_token() {
        assert!(read("[? : ,]").1.is_none());
        assert!(read("[? , : x]").1.is_none());
        assert!(read("[? : : x]").1.is_none());
        assert!(read("[? : x]").1.is_some());
        assert!(read("[? ]]").1.is_some());
    }

    #[test]
    fn after_an_explicit_pair_in_a_flow_sequence_pairs_read_as_explicit_ones() {
        let s = scalars("[? t, a:]");
        assert_eq!(s.last().map(|x| (x.2, x.3)), Some((8, 9)), "{s:?}");
        let s = scalars("[t, a:]");
        assert_eq!(s.last().map(|x| (x.2, x.3)), Some((5, 5)), "{s:?}");
        assert!(read("[? t,:]").1.is_some());
        assert!(read("[t,:]").1.is_none());
    }

    #[test]
    fn a_flow_question_mark_ending_the_text_keeps_a_mapping_on_a_marker_line() {
        let (events, err) = read("--- {?");
        assert!(err.is_some());
        assert!(events.iter().any(|e| matches!(e.0, Ev::MapStart { .. })));
        let (events, err) = read("---\n{?");
        assert!(err.is_some());
        assert!(!events.iter().any(|e| matches!(e.0, Ev::MapStart { .. })));
    }

    #[test]
    fn an_alias_takes_no_properties() {
        assert!(read("k: &A x\nj: &B *A").1.is_some());
        assert!(read("k: &A x\nj:\n  &B\n  *A").1.is_some());
        assert!(read("k: &A x\nj:\n  &B\n  *A : c").1.is_none());
        assert!(read("k: &A x\nj: *A").1.is_none());
    }

    #[test]
    fn nesting_is_bounded_and_crlf_reads_like_lf() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(read(&deep).1.map(|e| e.1), Some("recursion limit exceeded"));
        assert!(read(&"[".repeat(MAX_DEPTH))
            .1
            .is_some_and(|e| e.1 != "recursion limit exceeded"));
        let block = |n: usize| format!("{}x", "- ".repeat(n));
        assert!(read(&block(MAX_BLOCK_DEPTH)).1.is_none());
        assert_eq!(
            read(&block(MAX_BLOCK_DEPTH + 1)).1.map(|e| e.1),
            Some("block nesting too deep")
        );
        let lf = scalars("a: 1\nb: |\n  x\n  y\n");
        let crlf = scalars("a: 1\r\nb: |\r\n  x\r\n  y\r\n");
        let values =
            |v: &[(String, Style, usize, usize)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
        assert_eq!(values(&lf), values(&crlf));
    }
}
