//! Log signals: lines in any text that say what killed or stopped a process, and multi-line
//! stack traces (Java, Python, Go, Node, Rust) grouped as one signal.
//!
//! [`LogScanner`] reads a log as a stream of byte chunks and keeps only the current partial
//! line and the open stack trace, so a 100 MB log never sits in memory twice; [`scan`] runs the
//! same scanner over a slice of a paste, so both give the same signals.

use crate::facts::{LogSignal, LogSignalKind};
use crate::span::Span;

/// The longest text kept for one stack trace.
const TRACE_TEXT_CAP: usize = 4096;
/// Lines of a stack trace after which it is closed anyway.
const TRACE_LINE_CAP: usize = 2000;

/// Classify one line, most specific signal first.
pub fn classify(line: &str) -> Option<LogSignalKind> {
    let body = &line[strip_prefix(line)..];
    classify_lower(body, &body.to_ascii_lowercase())
}

/// The log level a structured line declares: klog `E0102 …`, JSON `"level":"error"`.
fn declared_level(body: &str, lower: &str) -> Option<LogSignalKind> {
    if let Some(level) = body.split_once(' ').and_then(|(w, _)| klog_level(w)) {
        return match level {
            b'E' => Some(LogSignalKind::Error),
            b'F' => Some(LogSignalKind::Fatal),
            _ => None,
        };
    }
    if lower.starts_with('{') {
        for &key in &["\"level\":\"", "\"severity\":\"", "\"lvl\":\""] {
            if let Some(p) = lower.find(key) {
                let rest = lower.get(p + key.len()..).unwrap_or("");
                let lvl = rest.split('"').next().unwrap_or("");
                return match lvl {
                    "error" | "err" => Some(LogSignalKind::Error),
                    "fatal" | "critical" | "crit" | "panic" | "dpanic" | "emergency" | "alert" => {
                        Some(LogSignalKind::Fatal)
                    }
                    _ => None,
                };
            }
        }
    }
    None
}

/// The level letter (`I`, `W`, `E` or `F`) of a klog header word: `E0102` (level, month, day).
pub fn klog_level(word: &str) -> Option<u8> {
    match word.as_bytes() {
        &[level @ (b'I' | b'W' | b'E' | b'F'), ref date @ ..]
            if date.len() == 4 && date.iter().all(u8::is_ascii_digit) =>
        {
            Some(level)
        }
        _ => None,
    }
}

fn is_structured(body: &str) -> bool {
    body.split_once(' ')
        .is_some_and(|(w, _)| klog_level(w).is_some())
        || (body.starts_with('{')
            && (body.contains("\"level\":") || body.contains("\"severity\":")))
}

/// Could this lower-cased line hold any signal? One pass over its bytes looking for the first
/// three bytes of every pattern below, so that the many lines without one cost a single scan.
fn may_signal(lower: &[u8]) -> bool {
    lower.windows(3).any(|w| {
        let &[a, b, c] = w else { return false };
        matches!(
            (a, b, c),
            (b'o', b'o', b'm')
                | (b'o', b'u', b't')
                | (b'm', b'e', b'm')
                | (b'c', b'a', b'n')
                | (b'j', b'a', b'v')
                | (b'e', b'x', b'e')
                | (b'c', b'o', b'm')
                | (b':', b' ', b'n')
                | (b'n', b'o', b' ')
                | (b'p', b'e', b'r')
                | (b'p', b'a', b'n')
                | (b'f', b'a', b't')
                | (b't', b'h', b'r')
                | (b't', b'r', b'a')
                | (b'e', b'x', b'c')
                | (b'k', b'i', b'l')
                | (b'e', b'r', b'r')
        )
    })
}

fn classify_lower(body: &str, lower: &str) -> Option<LogSignalKind> {
    if !may_signal(lower.as_bytes()) {
        return if is_structured(body) {
            declared_level(body, lower)
        } else {
            None
        };
    }
    if lower.contains("oomkilled")
        || lower.contains("oomkilling")
        || lower.contains("out of memory")
        || lower.contains("outofmemoryerror")
        || lower.contains("memoryerror")
        || lower.contains("cannot allocate memory")
        || lower.contains("javascript heap out of memory")
        // The kernel's own OOM report: cgroup v1 names the cgroup whose limit was hit
        // (`Task in /kubepods/… killed as a result of limit of /kubepods/…`).
        || lower.contains("killed as a result of limit of")
        || lower.contains("invoked oom-killer")
    {
        return Some(LogSignalKind::OutOfMemory);
    }
    if lower.contains("executable file not found")
        || lower.contains("command not found")
        || lower.contains(": not found")
        || lower.contains("no such file or directory") && lower.contains("exec")
    {
        return Some(LogSignalKind::CommandNotFound);
    }
    if lower.contains("permission denied") {
        return Some(LogSignalKind::PermissionDenied);
    }
    if lower.starts_with("panic:")
        || lower.starts_with("fatal error:")
        || (lower.contains("thread '") && lower.contains("panicked at"))
    {
        return Some(LogSignalKind::Panic);
    }
    if lower.starts_with("traceback (most recent call last)")
        || lower.starts_with("exception in thread")
    {
        return Some(LogSignalKind::StackTrace);
    }
    // Structured lines say their level; their words (`"msg":"no errors"`) do not.
    if is_structured(body) {
        return declared_level(body, lower);
    }
    if lower.contains("fatal") {
        return Some(LogSignalKind::Fatal);
    }
    let t = lower.trim();
    if t == "killed"
        || t.ends_with(" killed")
        || t.contains(" killed ")
            && t.split_whitespace()
                .any(|w| w.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(LogSignalKind::Killed);
    }
    if lower.contains("error") {
        return Some(LogSignalKind::Error);
    }
    None
}

/// Bytes to skip at the start of a line: a container runtime prefix
/// (`2024-01-04T17:52:29.123Z stdout F `) or a `--timestamps` RFC 3339 stamp.
pub fn strip_prefix(line: &str) -> usize {
    let k = source_prefix(line);
    k + strip_stamp(line.get(k..).unwrap_or(""))
}

/// The pod (and container) a multi-pod log viewer puts first: `kubectl logs --prefix`
/// (`[pod/web-7d9c5-x2k4q/app] `) or stern (`web-7d9c5-x2k4q app `, recognised by the random
/// suffix Kubernetes gives pod names, drawn from consonants and digits without 0, 1 and 3).
fn source_prefix(line: &str) -> usize {
    if let Some(rest) = line.strip_prefix("[pod/") {
        return rest
            .find("] ")
            .filter(|&i| !rest[..i].contains(' '))
            .map_or(0, |i| "[pod/".len() + i + 2);
    }
    // Words separated by any run of blanks (ANSI colours are blanked to spaces before this).
    let word = |from: usize| -> Option<(usize, &str)> {
        let rest = line.get(from..)?;
        let start = from + (rest.len() - rest.trim_start().len());
        let w = line.get(start..)?.split_whitespace().next()?;
        Some((start, w))
    };
    let Some((p_at, pod)) = word(0) else { return 0 };
    let Some((c_at, container)) = word(p_at + pod.len()) else {
        return 0;
    };
    let Some((next, _)) = word(c_at + container.len()) else {
        return 0;
    };
    let suffix = pod.rsplit('-').next().unwrap_or("");
    let generated = pod.contains('-')
        && suffix.len() == 5
        && suffix
            .bytes()
            .all(|c| b"bcdfghjklmnpqrstvwxz2456789".contains(&c))
        && pod
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.');
    let name = container.len() <= 63
        && container
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    if generated && name {
        next
    } else {
        0
    }
}

fn strip_stamp(line: &str) -> usize {
    let b = line.as_bytes();
    let is_stamp = b.len() > 20
        && b.get(..4).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.get(10) == Some(&b'T');
    if !is_stamp {
        return 0;
    }
    let Some(sp) = line.find(' ') else {
        return 0;
    };
    let rest = line.get(sp + 1..).unwrap_or("");
    for stream in ["stdout ", "stderr "] {
        if let Some(r) = rest.strip_prefix(stream) {
            if r.starts_with("F ") || r.starts_with("P ") {
                return sp + 1 + stream.len() + 2;
            }
        }
    }
    sp + 1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Python,
    Java,
    Go,
    Rust,
    Node,
    Ruby,
}

#[derive(Debug)]
struct Trace {
    mode: Mode,
    kind: LogSignalKind,
    start: usize,
    end: usize,
    text: String,
    lines: usize,
    /// Python: indented frames seen, the next flush-left line is the exception.
    frames: bool,
    /// Rust: the message line after `panicked at …:` is still to come.
    want_message: bool,
    /// Go: a blank line that belongs to the trace only if the trace goes on after it.
    pending_blank: bool,
}

impl Trace {
    fn push(&mut self, end: usize, body: &str) {
        self.end = end;
        self.lines += 1;
        if self.text.len() < TRACE_TEXT_CAP {
            self.text.push('\n');
            let room = TRACE_TEXT_CAP - self.text.len();
            let mut cut = body.len().min(room);
            while !body.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.push_str(body.get(..cut).unwrap_or(""));
        }
    }
}

/// A streaming log scanner: feed chunks, get signals with byte offsets into the whole stream.
#[derive(Debug)]
pub struct LogScanner {
    input: usize,
    /// Offset of `carry[0]` in the stream.
    offset: usize,
    /// The partial line left over from the last chunk.
    carry: Vec<u8>,
    trace: Option<Trace>,
    /// The previous line (start, end, body), for traces recognised by their second line.
    prev: Option<(usize, usize, String)>,
    /// Index in `out` of the signal read from the previous line, if any.
    prev_signal: Option<usize>,
    /// The last few non-blank lines since a blank line (start, end, body): a Java or Node
    /// exception line may sit a few lines above the first frame (multi-line messages).
    recent: Vec<(usize, usize, String)>,
    out: Vec<LogSignal>,
    lower: String,
}

impl LogScanner {
    pub fn new(input: usize) -> Self {
        Self::at(input, 0)
    }

    /// A scanner whose first byte is at `offset` of input `input`.
    pub fn at(input: usize, offset: usize) -> Self {
        LogScanner {
            input,
            offset,
            carry: Vec::new(),
            trace: None,
            prev: None,
            prev_signal: None,
            recent: Vec::new(),
            out: Vec::new(),
            lower: String::new(),
        }
    }

    /// Feed the next chunk; returns the signals completed so far (a stack trace is returned
    /// once it ends). Lines may be split anywhere, even inside a UTF-8 character.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<LogSignal> {
        let mut rest = chunk;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            let (head, tail) = rest.split_at(nl);
            let start = self.offset;
            let len;
            if self.carry.is_empty() {
                len = head.len();
                let line = String::from_utf8_lossy(head);
                self.line(start, &line, len);
            } else {
                self.carry.extend_from_slice(head);
                len = self.carry.len();
                let carry = std::mem::take(&mut self.carry);
                let line = String::from_utf8_lossy(&carry);
                self.line(start, &line, len);
                self.carry = carry;
                self.carry.clear();
            }
            self.offset = start + len + 1;
            rest = tail.get(1..).unwrap_or(&[]);
        }
        self.carry.extend_from_slice(rest);
        self.drain()
    }

    /// Feed text already known to be UTF-8 (a paste): same as [`LogScanner::feed`] without
    /// re-validating each line.
    pub fn feed_str(&mut self, chunk: &str) -> Vec<LogSignal> {
        if !self.carry.is_empty() {
            return self.feed(chunk.as_bytes());
        }
        let mut rest = chunk;
        while let Some(nl) = rest.find('\n') {
            let head = rest.get(..nl).unwrap_or("");
            let start = self.offset;
            self.line(start, head, head.len());
            self.offset = start + nl + 1;
            rest = rest.get(nl + 1..).unwrap_or("");
        }
        self.carry.extend_from_slice(rest.as_bytes());
        self.drain()
    }

    /// End of stream: the last line (without a newline) and any open trace.
    pub fn finish(mut self) -> Vec<LogSignal> {
        if !self.carry.is_empty() {
            let carry = std::mem::take(&mut self.carry);
            let line = String::from_utf8_lossy(&carry);
            self.line(self.offset, &line, carry.len());
        }
        self.close_trace();
        std::mem::take(&mut self.out)
    }

    /// Signals that can no longer change (everything before an open trace or the previous line).
    fn drain(&mut self) -> Vec<LogSignal> {
        let keep_from = match self.prev_signal {
            Some(i) => i,
            None => self.out.len(),
        };
        let done: Vec<LogSignal> = self.out.drain(..keep_from).collect();
        self.prev_signal = self.prev_signal.map(|i| i - keep_from);
        done
    }

    fn close_trace(&mut self) {
        if let Some(t) = self.trace.take() {
            self.out.push(LogSignal {
                span: Span::new(self.input, t.start, t.end),
                kind: t.kind,
                text: t.text,
            });
        }
    }

    /// One line starting at stream offset `start`, `raw_len` bytes long (without `\n`).
    fn line(&mut self, start: usize, line: &str, raw_len: usize) {
        // `line` may be a lossy copy of invalid UTF-8 (longer than the raw bytes): offsets are
        // taken from its ASCII prefix (runtime prefix, indentation) and the end is clamped to
        // the raw line.
        let had_cr = line.ends_with('\r');
        let line = line.strip_suffix('\r').unwrap_or(line);
        let end_raw = (start + raw_len)
            .saturating_sub(usize::from(had_cr))
            .max(start);
        let skip = strip_prefix(line);
        let body_full = line.get(skip..).unwrap_or("");
        let body = body_full.trim_end();
        let lead = body.len() - body.trim_start().len();
        let content_start = start + skip + lead;
        let content_end = (start + skip + body.len()).min(end_raw);
        self.lower.clear();
        self.lower.push_str(body);
        self.lower.make_ascii_lowercase();
        let lower = std::mem::take(&mut self.lower);

        let prev_signal = self.prev_signal.take();
        let mut consumed = false;
        if self.trace.is_some() {
            if self.continue_trace(content_end, body, &lower) {
                consumed = true;
            } else {
                self.close_trace();
            }
        }
        if !consumed {
            let trimmed = body.trim_start();
            let ruby = is_ruby_frame(body)
                && self
                    .prev
                    .as_ref()
                    .is_some_and(|p| p.2.contains("Error") || p.2.contains("Exception"));
            let frame = is_frame(body) || ruby;
            if frame && self.trace.is_none() {
                // A trace recognised by its first frame: start it at the previous line.
                if let Some((mut ps, pe, mut ptext)) = self.prev.take() {
                    // The exception line a few lines up opens the trace when the line just
                    // above the frame is the tail of its message.
                    let header = self
                        .recent
                        .iter()
                        .rposition(|(_, _, t)| is_exception_header(t));
                    let mut header_lines = 1;
                    if let Some(k) = header.filter(|&k| k + 1 < self.recent.len()) {
                        if let Some(rest) = self.recent.get(k..) {
                            ps = rest.first().map_or(ps, |r| r.0);
                            ptext = rest
                                .iter()
                                .map(|r| r.2.as_str())
                                .collect::<Vec<_>>()
                                .join("\n");
                            header_lines = rest.len();
                        }
                    }
                    let mode = if ruby {
                        Mode::Ruby
                    } else if body.trim_start().starts_with("at ") && ptext.contains("Exception")
                        || ptext.contains("java.")
                    {
                        Mode::Java
                    } else {
                        Mode::Node
                    };
                    // The previous line's own signal becomes the trace, unless it is one the
                    // rules read on its own (an OOM line stays).
                    let mut kind = LogSignalKind::StackTrace;
                    if let Some(i) = prev_signal {
                        if let Some(sig) = self.out.get(i) {
                            if sig.span.start >= ps && !keeps_own_signal(sig.kind) {
                                kind = match sig.kind {
                                    LogSignalKind::Panic => LogSignalKind::Panic,
                                    _ => LogSignalKind::StackTrace,
                                };
                                self.out.remove(i);
                            }
                        }
                    }
                    let mut t = Trace {
                        mode,
                        kind,
                        start: ps,
                        end: pe,
                        text: ptext,
                        lines: header_lines,
                        frames: true,
                        want_message: false,
                        pending_blank: false,
                    };
                    t.push(content_end, trimmed);
                    self.trace = Some(t);
                    consumed = true;
                }
            }
        }
        if !consumed && !body.trim().is_empty() {
            if let Some(mode) = trace_start(&lower, body) {
                let kind = match mode {
                    Mode::Go | Mode::Rust => LogSignalKind::Panic,
                    _ => LogSignalKind::StackTrace,
                };
                // An OOM or similar line that opens a trace also stands on its own.
                if let Some(k) = classify_lower(body, &lower).filter(|k| keeps_own_signal(*k)) {
                    self.out.push(LogSignal {
                        span: Span::new(self.input, content_start, content_end),
                        kind: k,
                        text: body.trim().to_string(),
                    });
                }
                self.trace = Some(Trace {
                    mode,
                    kind,
                    start: content_start,
                    end: content_end,
                    text: body.trim().to_string(),
                    lines: 1,
                    frames: false,
                    want_message: mode == Mode::Rust && body.ends_with(':'),
                    pending_blank: false,
                });
                consumed = true;
            }
        }
        if !consumed {
            if let Some(kind) = classify_lower(body, &lower) {
                self.out.push(LogSignal {
                    span: Span::new(self.input, content_start, content_end),
                    kind,
                    text: body.trim().to_string(),
                });
                self.prev_signal = Some(self.out.len() - 1);
            }
        } else if self.trace.is_some() {
            // Specific signals inside a trace (an OOM error line) are kept on their own too.
            if let Some(k) = classify_lower(body, &lower).filter(|k| keeps_own_signal(*k)) {
                let dup = self
                    .out
                    .last()
                    .is_some_and(|s| s.span.start == content_start);
                if !dup {
                    self.out.push(LogSignal {
                        span: Span::new(self.input, content_start, content_end),
                        kind: k,
                        text: body.trim().to_string(),
                    });
                }
            }
        }
        self.lower = lower;
        if body.trim().is_empty() || self.trace.is_some() {
            self.recent.clear();
        } else if body.len() <= 1024 {
            if self.recent.len() >= RECENT_CAP {
                self.recent.remove(0);
            }
            self.recent
                .push((content_start, content_end, body.trim().to_string()));
        }
        // Remember this line for traces recognised by their first frame (short lines only).
        if !body.trim().is_empty() && self.trace.is_none() && body.len() <= 1024 {
            let mut text = self.prev.take().map(|p| p.2).unwrap_or_default();
            text.clear();
            text.push_str(body.trim());
            self.prev = Some((content_start, content_end, text));
        } else {
            self.prev = None;
        }
    }

    /// Does this line continue the open trace? Extends it when it does.
    fn continue_trace(&mut self, end: usize, body: &str, lower: &str) -> bool {
        let Some(t) = self.trace.as_mut() else {
            return false;
        };
        if t.lines >= TRACE_LINE_CAP {
            return false;
        }
        let trimmed = body.trim();
        if trimmed.is_empty() {
            if t.mode == Mode::Go || t.mode == Mode::Node {
                t.pending_blank = true;
                return true;
            }
            return false;
        }
        let indented = body.starts_with([' ', '\t']);
        let goes_on = match t.mode {
            Mode::Python => {
                if indented {
                    t.frames = true;
                    true
                } else if lower.starts_with("traceback (most recent call last)")
                    || lower.starts_with("during handling of the above exception")
                    || lower.starts_with("the above exception was the direct cause")
                {
                    t.frames = false;
                    true
                } else if t.frames {
                    // The exception line closes the trace (kept).
                    t.frames = false;
                    t.push(end, trimmed);
                    let done = self.trace.take();
                    if let Some(d) = done {
                        self.out.push(LogSignal {
                            span: Span::new(self.input, d.start, d.end),
                            kind: d.kind,
                            text: d.text,
                        });
                    }
                    return true;
                } else {
                    false
                }
            }
            Mode::Java | Mode::Node => {
                let l = lower.trim_start();
                (indented && (l.starts_with("at ") || l.starts_with("... ")))
                    || l.starts_with("caused by:")
                    || l.starts_with("suppressed:")
                    || (t.mode == Mode::Node && node_error_property(&t.text, body))
            }
            Mode::Go => {
                (body.starts_with('\t') || trimmed.contains(".go:"))
                    || lower.starts_with("goroutine ")
                    || lower.starts_with("[signal ")
                    || lower.starts_with("created by ")
                    || lower.starts_with("exit status ")
                    || lower.starts_with("[recovered]")
                    || (trimmed.ends_with(')') && trimmed.contains('('))
                    || (trimmed.contains(".go:") && trimmed.starts_with('/'))
            }
            Mode::Ruby => is_ruby_frame(body) || lower.trim_start().starts_with("... "),
            Mode::Rust => {
                let msg = t.want_message;
                t.want_message = false;
                msg || indented
                    || lower.starts_with("note: ")
                    || lower.starts_with("stack backtrace:")
                    || lower.starts_with("error: process didn't exit successfully")
            }
        };
        if goes_on {
            t.pending_blank = false;
            t.push(end, trimmed);
        }
        goes_on
    }
}

/// Lines kept to find an exception line above the first frame.
const RECENT_CAP: usize = 8;

/// A line that names an exception: `java.lang.IllegalStateException: …`, `Caused by: …`,
/// `Exception in thread …`, `TypeError: …`, `Error: Cannot find module …`.
pub fn is_exception_header(line: &str) -> bool {
    let t = line.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("caused by:") || lower.starts_with("exception in thread") {
        return true;
    }
    let name = t.split(": ").next().unwrap_or("");
    let name = name.strip_prefix("Uncaught ").unwrap_or(name);
    !name.is_empty()
        && !name.contains(char::is_whitespace)
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '$' | '_'))
        && ["Exception", "Error", "Throwable"]
            .iter()
            .any(|e| name.ends_with(e))
}

/// Signals that rules read line by line, kept even when the line is part of a trace.
fn keeps_own_signal(kind: LogSignalKind) -> bool {
    matches!(
        kind,
        LogSignalKind::OutOfMemory
            | LogSignalKind::CommandNotFound
            | LogSignalKind::PermissionDenied
    )
}

/// Node prints the properties of an uncaught error after its header or last frame, between
/// `{` and `}` (`  code: 'ERR_UNHANDLED_REJECTION'`): they belong to the report once a `{` is open.
fn node_error_property(trace_text: &str, body: &str) -> bool {
    let opened = trace_text.lines().any(|l| l.trim_end().ends_with('{'));
    let closed = trace_text.lines().any(|l| l.trim() == "}");
    if !opened || closed {
        return false;
    }
    let t = body.trim();
    if t == "}" {
        return true;
    }
    body.starts_with([' ', '\t'])
        && t.split_once(": ").is_some_and(|(key, _)| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '\'' | '"'))
        })
}

/// A stack frame that can open a trace started by the line before it: `\tat …` (Java/Node).
fn is_frame(body: &str) -> bool {
    let t = body.trim_start();
    body.starts_with([' ', '\t'])
        && t.starts_with("at ")
        && (t.contains('(') || t.contains(".js:") || t.contains(".ts:") || t.contains(':'))
}

/// A Go stack frame naming a function (`github.com/golang/glog.Fatalf(...)`,
/// `main.run(0xc000…)`): where a trace passed, not the error.
pub(crate) fn is_go_frame(line: &str) -> bool {
    line.trim_end().ends_with("(...)") || line.contains("(0x")
}

/// A Ruby backtrace line: `/app/lib/job.rb:12:in 'run'` (backquote before Ruby 3.4), after
/// `from ` in an uncaught exception's report or after a logger's prefix. The first line of an
/// uncaught report (`…:in 'run': message (NoMethodError)`) is its header, not a frame.
pub(crate) fn is_ruby_frame(body: &str) -> bool {
    let t = body.trim();
    let Some(at) = t.find(".rb:") else {
        return false;
    };
    let rest = &t[at + ".rb:".len()..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && rest[digits..].starts_with(":in ")
        && rest[digits + ":in ".len()..].starts_with(['`', '\''])
        && !is_ruby_uncaught_header(t)
}

/// `/app/job.rb:12:in 'run': undefined method 'x' for nil (NoMethodError)`: how Ruby reports an
/// exception that ended the program, before its `from …` frames.
fn is_ruby_uncaught_header(t: &str) -> bool {
    t.contains(".rb:")
        && t.contains(":in ")
        && t.strip_suffix(')')
            .and_then(|x| x.rsplit_once(" ("))
            .is_some_and(|(_, class)| {
                !class.is_empty()
                    && class
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b':')
                    && (class.ends_with("Error") || class.ends_with("Exception"))
            })
}

fn trace_start(lower: &str, body: &str) -> Option<Mode> {
    if lower.starts_with("traceback (most recent call last)") {
        Some(Mode::Python)
    } else if is_ruby_uncaught_header(body.trim()) {
        Some(Mode::Ruby)
    } else if lower.starts_with("exception in thread") {
        Some(Mode::Java)
    } else if lower.starts_with("[unhandledpromiserejection:")
        || lower.starts_with("unhandledpromiserejection:")
    {
        // Node ≥ 15 ends the process on an unhandled rejection whose reason is no `Error`
        // (`[UnhandledPromiseRejection: … rejected with the reason "x".] {`); the older
        // `(node:1) UnhandledPromiseRejectionWarning: …` lets the process run on and is no crash.
        Some(Mode::Node)
    } else if lower.starts_with("panic: ") || lower.starts_with("fatal error: ") {
        Some(Mode::Go)
    } else if lower.starts_with("thread '") && lower.contains("panicked at") {
        Some(Mode::Rust)
    } else {
        None
    }
}

/// Scan `text[start..end]` (lines of input `input`) for signals.
pub fn scan(text: &str, input: usize, start: usize, end: usize) -> Vec<LogSignal> {
    let Some(region) = text.get(start..end) else {
        return Vec::new();
    };
    let mut sc = LogScanner::at(input, start);
    let mut out = sc.feed_str(region);
    out.extend(sc.finish());
    out
}

/// An exit code written next to a signal in log text: `exit code: 137`, `exit_code: 137`,
/// `exitCode: 137`, `Exit Code:    137`. Returns the code and its byte range inside `line`.
pub fn exit_code_in(line: &str) -> Option<(i32, usize, usize)> {
    let lower = line.to_ascii_lowercase();
    for &pat in &[
        "exit code",
        "exit_code",
        "exitcode",
        "exit status",
        "exited with code",
    ] {
        if let Some(p) = lower.find(pat) {
            let rest = line.get(p + pat.len()..)?;
            // `exit code: 1`, `exitCode=1`, `"exitCode": 1`, `exit code (137)`.
            let skip = rest.len()
                - rest
                    .trim_start_matches([':', ' ', '\t', '=', '"', '('])
                    .len();
            let digits: usize = rest
                .get(skip..)?
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            if digits > 0 {
                let s = p + pat.len() + skip;
                let code = line.get(s..s + digits)?.parse().ok()?;
                return Some((code, s, s + digits));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klog_header_words() {
        assert_eq!(klog_level("E0102"), Some(b'E'));
        assert_eq!(klog_level("I1231"), Some(b'I'));
        for w in ["E010", "E01022", "e0102", "X0102", "E01a2", "", "Error"] {
            assert_eq!(klog_level(w), None, "{w}");
        }
    }

    #[test]
    fn signals() {
        assert_eq!(
            classify("container_reason: OOMKilled, exit_code: 137"),
            Some(LogSignalKind::OutOfMemory)
        );
        assert_eq!(classify("all good"), None);
        assert_eq!(
            classify("kernel: Task in /kubepods/pod1/abc killed as a result of limit of /kubepods/pod1/abc"),
            Some(LogSignalKind::OutOfMemory)
        );
        assert_eq!(
            classify("[ 7093.5] uwsgi invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0"),
            Some(LogSignalKind::OutOfMemory)
        );
        assert_eq!(
            classify("kernel: memory: usage 1048576kB, limit 1048576kB, failcnt 189"),
            None
        );
        assert_eq!(
            classify("request killed as a result of client timeout"),
            None
        );
        assert_eq!(
            exit_code_in("exit code: 137, reason: 'OOMKilled'"),
            Some((137, 11, 14))
        );
        assert_eq!(exit_code_in("exit_code: 137").map(|x| x.0), Some(137));
        assert_eq!(
            classify("2024-01-04T17:52:29.123Z stderr F /bin/sh: 1: foo: not found"),
            Some(LogSignalKind::CommandNotFound)
        );
        assert_eq!(classify(r#"{"level":"info","msg":"no errors"}"#), None);
        assert_eq!(
            classify(r#"{"level":"fatal","msg":"bye"}"#),
            Some(LogSignalKind::Fatal)
        );
        assert_eq!(classify("I0102 10:00:00.000 1 x.go:1] error-free"), None);
        assert_eq!(
            classify("E0102 10:00:00.000 1 x.go:1] boom"),
            Some(LogSignalKind::Error)
        );
        assert_eq!(
            classify("/bin/sh: line 1:    42 Killed    python train.py"),
            Some(LogSignalKind::Killed)
        );
        assert_eq!(classify("Killed"), Some(LogSignalKind::Killed));
    }

    fn kinds(text: &str) -> Vec<(LogSignalKind, &str)> {
        scan(text, 0, 0, text.len())
            .into_iter()
            .map(|s| (s.kind, s.span.text(text)))
            .collect()
    }

    #[test]
    fn python_trace_is_one_signal() {
        let t = "start\nTraceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    main()\nValueError: bad\nnext line\n";
        let k = kinds(t);
        assert_eq!(k.len(), 1);
        assert_eq!(k[0].0, LogSignalKind::StackTrace);
        assert!(k[0].1.ends_with("ValueError: bad"));
    }

    #[test]
    fn ruby_uncaught_exception_is_one_trace() {
        let t = "booting\n/app/job.rb:12:in 'run': undefined method 'size' for nil (NoMethodError)\n\tfrom /app/job.rb:5:in 'block in <main>'\n\tfrom /app/job.rb:3:in '<main>'\nnext\n";
        let k = kinds(t);
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, LogSignalKind::StackTrace);
        assert!(k[0].1.starts_with("/app/job.rb:12:in 'run'"));
        assert!(k[0].1.ends_with("in '<main>'"));
    }

    #[test]
    fn ruby_frames_under_a_logged_error_class_are_one_trace() {
        let t = "2017-11-14 15:40:52 +0000 [error]: unexpected error error_class=Systemd::JournalError error=#<Systemd::JournalError: Bad message>\n  2017-11-14 15:40:52 +0000 [error]: /gems/systemd/journal.rb:284:in `enumerate_helper'\n  2017-11-14 15:40:52 +0000 [error]: /gems/in_systemd.rb:70:in `run'\n2017-11-14 15:40:52 +0000 [info]: shutting down fluentd\n";
        let k = kinds(t);
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, LogSignalKind::StackTrace);
        assert!(k[0].1.contains("error_class=Systemd::JournalError"));
        assert!(k[0].1.ends_with("in `run'"));
    }

    #[test]
    fn ruby_frames_without_an_error_above_are_no_trace() {
        // A warning that names its source line, and frames under a line naming no error.
        let t = "/app/config.rb:3:in 'load': warning: constant OLD is deprecated\nloading plugins\n  /app/a.rb:1:in 'x'\n  /app/b.rb:2:in 'y'\n";
        assert!(
            kinds(t)
                .iter()
                .all(|(k, _)| *k != LogSignalKind::StackTrace),
            "{:?}",
            kinds(t)
        );
        assert!(!is_ruby_frame("see lib/app.rb: 12 lines"));
        assert!(!is_ruby_frame(
            "/app/job.rb:12:in 'run': boom (RuntimeError)"
        ));
        assert!(is_ruby_frame("\tfrom /app/job.rb:5:in `<main>'"));
    }

    #[test]
    fn java_trace_from_first_frame() {
        let t = "java.lang.IllegalStateException: boom\n\tat com.x.Main.run(Main.java:10)\n\tat com.x.Main.main(Main.java:3)\nCaused by: java.io.IOException: x\n\t... 2 more\nok\n";
        let k = kinds(t);
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, LogSignalKind::StackTrace);
        assert!(k[0].1.starts_with("java.lang.IllegalStateException"));
        assert!(k[0].1.ends_with("... 2 more"));
    }

    #[test]
    fn java_oom_trace_keeps_the_oom_line() {
        let t = "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n\tat a.b(C.java:1)\n";
        let k = kinds(t);
        assert!(k.iter().any(|s| s.0 == LogSignalKind::OutOfMemory));
        assert!(k
            .iter()
            .any(|s| s.0 == LogSignalKind::StackTrace && s.1.ends_with("(C.java:1)")));
    }

    #[test]
    fn node_unhandled_rejection_report_is_one_trace() {
        let t = "node:internal/process/promises:288\n            triggerUncaughtException(err, true /* fromPromise */);\n            ^\n\n[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"test\".] {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n\nNode.js v18.19.0\n  later: line\n";
        let k = kinds(t);
        let traces: Vec<_> = k
            .iter()
            .filter(|s| s.0 == LogSignalKind::StackTrace)
            .collect();
        assert_eq!(traces.len(), 1, "{k:?}");
        assert!(traces[0].1.starts_with("[UnhandledPromiseRejection:"));
        // The properties up to the closing brace belong to it, nothing after.
        assert!(traces[0].1.ends_with('}'), "{:?}", traces[0].1);
    }

    #[test]
    fn node_error_properties_after_frames_close_at_the_brace() {
        let t = "Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1494:16) {\n  errno: -111,\n  code: 'ECONNREFUSED',\n  port: 5432\n}\n  next: thing\n";
        let k = kinds(t);
        let trace = k
            .iter()
            .find(|s| s.0 == LogSignalKind::StackTrace)
            .map(|s| s.1);
        assert!(trace.is_some_and(|t| t.ends_with('}')), "{k:?}");
        // Without an open `{`, an indented `key: value` line is not part of a Node trace.
        let t = "Error: boom\n    at main (/app/index.js:3:9)\n  code: 'X'\n";
        let k = kinds(t);
        let trace = k
            .iter()
            .find(|s| s.0 == LogSignalKind::StackTrace)
            .map(|s| s.1);
        assert!(trace.is_some_and(|t| t.ends_with("index.js:3:9)")), "{k:?}");
    }

    #[test]
    fn node_unhandled_rejection_warning_is_no_trace() {
        // Node < 15 only warns and keeps running.
        let t = "(node:1) UnhandledPromiseRejectionWarning: Unhandled promise rejection (rejection id: 1): ReferenceError: pod is not defined\n";
        let k = kinds(t);
        assert!(k.iter().all(|s| s.0 != LogSignalKind::StackTrace), "{k:?}");
    }

    #[test]
    fn go_panic_with_blank_lines() {
        let t = "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:8 +0x1d\nexit status 2\n\nafter\n";
        let k = kinds(t);
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, LogSignalKind::Panic);
        assert!(k[0].1.ends_with("exit status 2"));
    }

    #[test]
    fn the_exception_line_above_a_multi_line_message_opens_the_trace() {
        let t = "org.acme.MigrateException: migration 7 failed\n-----\nState  : 42P07\nLocation   : db/V7.sql\n\tat org.acme.Db.migrate(Db.java:10)\n\tat org.acme.Main.main(Main.java:3)\n";
        let k = kinds(t);
        let trace = k
            .iter()
            .find(|s| s.0 == LogSignalKind::StackTrace)
            .expect("trace");
        assert!(trace.1.starts_with("org.acme.MigrateException"), "{k:?}");
        let t = "Error: Cannot find module 'x'\nRequire stack:\n- /app/a.js\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)\n";
        let k = kinds(t);
        assert!(
            k.iter().any(|s| s.0 == LogSignalKind::StackTrace
                && s.1.starts_with("Error: Cannot find module")),
            "{k:?}"
        );
        assert!(is_exception_header(
            "Caused by: java.io.IOException: closed"
        ));
        assert!(is_exception_header("TypeError: x is not a function"));
        assert!(!is_exception_header("Location   : db/V7.sql"));
        assert!(!is_exception_header("an Error: happened here"));
    }

    #[test]
    fn log_viewer_prefixes_are_skipped() {
        let l = "[pod/api-7d9c5b8f4-x2k4q/api] panic: boom";
        assert_eq!(&l[strip_prefix(l)..], "panic: boom");
        let l = "api-7d9c5b8f4-x2k4q api 2026-11-28T03:30:01.114Z panic: boom";
        assert_eq!(&l[strip_prefix(l)..], "panic: boom");
        let l = "     api-7d9c5b8f4-x2k4q      api      panic: boom";
        assert_eq!(&l[strip_prefix(l)..], "panic: boom");
        // Ordinary words are not a pod name.
        let l = "worker-ready main loop started";
        assert_eq!(strip_prefix(l), 0);
    }

    #[test]
    fn node_and_rust() {
        let t = "Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1494:16)\n";
        let k = kinds(t);
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, LogSignalKind::StackTrace);
        let t = "thread 'main' panicked at src/main.rs:2:5:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\nnext\n";
        let k = kinds(t);
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, LogSignalKind::Panic);
        assert!(k[0].1.ends_with("display a backtrace"));
    }

    #[test]
    fn invalid_utf8_keeps_spans_inside_the_line() {
        let bytes: &[u8] = b"\xff\xfe\xfd ERROR \xc3 here\r\nok\n";
        let mut sc = LogScanner::new(0);
        let mut got = sc.feed(bytes);
        got.extend(sc.finish());
        assert_eq!(got.len(), 1);
        let first_line_end = bytes.iter().position(|&b| b == b'\r').unwrap_or(0);
        assert!(got[0].span.end <= first_line_end, "{:?}", got[0].span);
        assert_eq!(got[0].kind, LogSignalKind::Error);
    }

    #[test]
    fn chunked_equals_whole() {
        let t = "a\r\nERROR x\nTraceback (most recent call last):\n  File \"é.py\"\nKeyError: 'k'\nKilled\n2024-01-04T17:52:29.123Z stdout F out of memory\npanic: x\n\ngoroutine 1 [running]:\nmain.main()\nlast line without newline error";
        let whole = scan(t, 0, 0, t.len());
        for size in 1..t.len() {
            let mut sc = LogScanner::new(0);
            let mut got = Vec::new();
            for chunk in t.as_bytes().chunks(size) {
                got.extend(sc.feed(chunk));
            }
            got.extend(sc.finish());
            let a: Vec<_> = whole
                .iter()
                .map(|s| (s.span, s.kind, s.text.clone()))
                .collect();
            let b: Vec<_> = got
                .iter()
                .map(|s| (s.span, s.kind, s.text.clone()))
                .collect();
            assert_eq!(a, b, "chunk size {size}");
        }
    }

    #[test]
    fn exit_codes_in_orchestrator_wordings() {
        assert_eq!(
            exit_code_in("\"step-build\" exited with code 1 (image: \"x\")").map(|c| c.0),
            Some(1)
        );
        assert_eq!(
            exit_code_in("terminated with exit code (137). Reason [Error]").map(|c| c.0),
            Some(137)
        );
        assert_eq!(exit_code_in("the exit was clean"), None);
    }
}
