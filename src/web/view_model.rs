//! Formatting for the page, kept out of the components: evidence spans → highlighted lines,
//! unified diff → classified lines. Pure and tested natively.

use crate::findings::Evidence;
use crate::span::LineIndex;

/// A piece of a line: plain text, or text covered by evidence (with its label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Mark {
        text: String,
        label: String,
        primary: bool,
    },
}

/// One line of an input shown with its evidence highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetLine {
    pub number: usize,
    pub pieces: Vec<Piece>,
}

/// The lines of `text` that hold any of `evidence` (for input `input`), each split into
/// plain and marked pieces. Spans are byte offsets; lines are cut on char boundaries.
pub fn evidence_lines(text: &str, input: usize, evidence: &[Evidence]) -> Vec<SnippetLine> {
    if !evidence.iter().any(|e| e.span.input == input) {
        return Vec::new();
    }
    evidence_lines_in(text, &LineIndex::new(text), input, evidence)
}

/// [`evidence_lines`] with the text's line index made once by the caller (a 50 MB log is not
/// scanned again for every finding).
pub fn evidence_lines_in(
    text: &str,
    index: &LineIndex,
    input: usize,
    evidence: &[Evidence],
) -> Vec<SnippetLine> {
    let mut numbers: Vec<usize> = evidence
        .iter()
        .filter(|e| e.span.input == input)
        .map(|e| index.line(e.span.start))
        .collect();
    crate::order::sort_by_key(&mut numbers, |n| *n);
    numbers.dedup();
    numbers
        .into_iter()
        .map(|n| {
            let start = index.line_start(n);
            let end = text
                .get(start..)
                .and_then(|r| r.find('\n'))
                .map(|e| start + e)
                .unwrap_or(text.len());
            let line_end =
                if text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
                    end - 1
                } else {
                    end
                };
            let mut marks: Vec<&Evidence> = evidence
                .iter()
                .filter(|e| {
                    e.span.input == input
                        && e.span.start >= start
                        && e.span.start < line_end.max(start + 1)
                })
                .collect();
            crate::order::sort_by_key(&mut marks, |e| e.span.start);
            let mut pieces = Vec::new();
            let mut pos = start;
            for m in marks {
                let ms = m.span.start.max(pos);
                let me = m.span.end.min(line_end).max(ms);
                if !text.is_char_boundary(ms) || !text.is_char_boundary(me) {
                    continue;
                }
                if ms > pos {
                    pieces.push(Piece::Text(text.get(pos..ms).unwrap_or("").to_string()));
                }
                pieces.push(Piece::Mark {
                    text: text.get(ms..me).unwrap_or("").to_string(),
                    label: m.label.clone(),
                    primary: m.primary,
                });
                pos = me;
            }
            if line_end > pos {
                pieces.push(Piece::Text(
                    text.get(pos..line_end).unwrap_or("").to_string(),
                ));
            }
            SnippetLine { number: n, pieces }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    Header,
    Hunk,
    Add,
    Del,
    Context,
}

/// Classify the lines of a unified diff for colouring.
pub fn diff_lines(diff: &str) -> Vec<(DiffKind, &str)> {
    diff.lines()
        .map(|l| {
            let kind = if l.starts_with("+++") || l.starts_with("---") {
                DiffKind::Header
            } else if l.starts_with("@@") {
                DiffKind::Hunk
            } else if l.starts_with('+') {
                DiffKind::Add
            } else if l.starts_with('-') {
                DiffKind::Del
            } else {
                DiffKind::Context
            };
            (kind, l)
        })
        .collect()
}

/// Byte offset in `text` → offset in UTF-16 code units (what `setSelectionRange` takes).
/// Offsets inside a character or past the end are clamped.
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text.get(..byte)
        .map_or(0, |t| t.encode_utf16().count() as u32)
}

/// The 1-based first and last line a byte range covers (an empty range covers its start line).
pub fn line_range(index: &LineIndex, start: usize, end: usize) -> (usize, usize) {
    let a = index.line(start);
    let b = index.line(end.saturating_sub(1).max(start));
    (a, b.max(a))
}

/// Where the input view should take the user for a finding: its first primary evidence span
/// (or its first span) as `(input, start, end)` bytes.
pub fn focus_span(evidence: &[Evidence]) -> Option<(usize, usize, usize)> {
    evidence
        .iter()
        .find(|e| e.primary)
        .or_else(|| evidence.first())
        .map(|e| (e.span.input, e.span.start, e.span.end))
}

/// Lines of input `input` covered by any of `evidence`, sorted, deduplicated.
pub fn marked_lines(text: &str, input: usize, evidence: &[&Evidence]) -> Vec<usize> {
    if !evidence.iter().any(|e| e.span.input == input) {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut lines: Vec<usize> = evidence
        .iter()
        .filter(|e| e.span.input == input)
        .flat_map(|e| {
            let (a, b) = line_range(&index, e.span.start, e.span.end);
            a..=b
        })
        .collect();
    crate::order::sort_by_key(&mut lines, |n| *n);
    lines.dedup();
    lines
}

/// One row of a side-by-side diff: the old line on the left, the new on the right, each with
/// its 1-based line number; `None` leaves that side blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideRow {
    pub left: Option<(usize, String)>,
    pub right: Option<(usize, String)>,
    pub kind: SideKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideKind {
    Context,
    Changed,
    Hunk,
}

/// A unified diff as side-by-side rows: runs of removed lines are paired with the added lines
/// that follow them.
pub fn side_by_side(diff: &str) -> Vec<SideRow> {
    let mut rows = Vec::new();
    let (mut old, mut new) = (0usize, 0usize);
    let mut dels: Vec<String> = Vec::new();
    let mut adds: Vec<String> = Vec::new();
    let flush = |rows: &mut Vec<SideRow>,
                 dels: &mut Vec<String>,
                 adds: &mut Vec<String>,
                 old: &mut usize,
                 new: &mut usize| {
        let n = dels.len().max(adds.len());
        let (mut d, mut a) = (dels.drain(..), adds.drain(..));
        for _ in 0..n {
            let left = d.next().map(|t| {
                *old += 1;
                (*old, t)
            });
            let right = a.next().map(|t| {
                *new += 1;
                (*new, t)
            });
            rows.push(SideRow {
                left,
                right,
                kind: SideKind::Changed,
            });
        }
    };
    for (kind, line) in diff_lines(diff) {
        match kind {
            DiffKind::Header => {}
            DiffKind::Del => dels.push(line.get(1..).unwrap_or("").to_string()),
            DiffKind::Add => adds.push(line.get(1..).unwrap_or("").to_string()),
            DiffKind::Hunk | DiffKind::Context => {
                flush(&mut rows, &mut dels, &mut adds, &mut old, &mut new);
                if kind == DiffKind::Hunk {
                    // @@ -a,b +c,d @@
                    let mut nums = line
                        .split(' ')
                        .filter_map(|p| p.strip_prefix(['-', '+']))
                        .map(|p| {
                            p.split(',')
                                .next()
                                .and_then(|n| n.parse::<usize>().ok())
                                .unwrap_or(1)
                        });
                    old = nums.next().unwrap_or(1).saturating_sub(1);
                    new = nums.next().unwrap_or(1).saturating_sub(1);
                    rows.push(SideRow {
                        left: None,
                        right: None,
                        kind: SideKind::Hunk,
                    });
                } else {
                    let t = line.get(1..).unwrap_or("").to_string();
                    old += 1;
                    new += 1;
                    rows.push(SideRow {
                        left: Some((old, t.clone())),
                        right: Some((new, t)),
                        kind: SideKind::Context,
                    });
                }
            }
        }
    }
    flush(&mut rows, &mut dels, &mut adds, &mut old, &mut new);
    rows
}

/// A file name for downloads: the input's base name (or `manifest`) with `.fixed.yaml`.
pub fn download_name(input_name: &str) -> String {
    let base = input_name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base
        .strip_suffix(".yaml")
        .or_else(|| base.strip_suffix(".yml"))
        .or_else(|| base.strip_suffix(".txt"))
        .unwrap_or(base);
    let stem: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    // tabs are named `paste 1`, `paste 2`… unless they hold a file
    let stem = if stem.is_empty() || stem.starts_with("paste") {
        "manifest".to_string()
    } else {
        stem
    };
    format!("{stem}.fixed.yaml")
}

/// A `## <title>` section of a rule's docs. The docs are the rule's `///` lines joined, so each
/// line may start with the space after `///`: headings are matched and lines de-indented with
/// that in mind (`RuleMeta::section` misses the end of a section in that layout).
pub fn doc_section(docs: &str, title: &str) -> Option<String> {
    let mut lines = docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l));
    lines.find(|l| l.trim_end() == format!("## {title}"))?;
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
    let text = reflow(&body).trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// The sections of a rule's docs the page shows, in order: (title in the docs, heading shown).
pub const DOC_SECTIONS: &[(&str, &str)] = &[
    ("Why is this bad?", "Why this matters"),
    ("What it does", "What the rule looks for"),
    ("Evidence", "Evidence it points at"),
    ("Example", "Example"),
    ("Use instead", "Use instead"),
    ("Fix safety", "How far to trust the fix"),
    ("References", "References"),
];

/// A run of text in a rule's docs: plain, `code`, or a link (a bare `https://` URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Link(String),
}

/// A block of a rule's docs section, for the page (the docs are Markdown of a small, fixed shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocBlock {
    Para(Vec<Inline>),
    Item(Vec<Inline>),
    Code(String),
}

/// The blocks of a section as [`doc_section`] returns it: paragraphs (one line each after
/// reflow), `- ` list items, and fenced code.
pub fn doc_blocks(section: &str) -> Vec<DocBlock> {
    let mut blocks = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    for line in section.lines() {
        let t = line.trim_start();
        if t.starts_with("```") {
            match code.take() {
                Some(lines) => blocks.push(DocBlock::Code(lines.join("\n"))),
                None => code = Some(Vec::new()),
            }
        } else if let Some(lines) = code.as_mut() {
            lines.push(line);
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            blocks.push(DocBlock::Item(inlines(item)));
        } else if !t.is_empty() {
            blocks.push(DocBlock::Para(inlines(t)));
        }
    }
    if let Some(lines) = code {
        blocks.push(DocBlock::Code(lines.join("\n")));
    }
    blocks
}

/// Backticks delimit code; bare `https://` URLs outside code become links.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for (n, part) in text.split('`').enumerate() {
        if part.is_empty() {
            continue;
        }
        if n % 2 == 1 {
            out.push(Inline::Code(part.to_string()));
            continue;
        }
        let mut rest = part;
        while let Some(at) = rest.find("https://") {
            let len = rest[at..]
                .find(char::is_whitespace)
                .unwrap_or(rest.len() - at);
            let url = rest[at..at + len].trim_end_matches(['.', ',', ';', ':', ')']);
            if at > 0 {
                out.push(Inline::Text(rest[..at].to_string()));
            }
            out.push(Inline::Link(url.to_string()));
            rest = &rest[at + url.len()..];
        }
        if !rest.is_empty() {
            out.push(Inline::Text(rest.to_string()));
        }
    }
    out
}

/// Join the hard-wrapped lines of each paragraph; keep blank lines, list items and fenced code.
fn reflow(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut fenced = false;
    let mut prev_prose = false;
    for l in lines {
        let t = l.trim_start();
        if t.starts_with("```") {
            fenced = !fenced;
        }
        let prose = !fenced
            && !t.starts_with("```")
            && !t.is_empty()
            && !t.starts_with("- ")
            && !t.starts_with("* ")
            && !l.starts_with("  ");
        if prose && prev_prose {
            out.push(' ');
            out.push_str(t);
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(l);
        }
        prev_prose = prose || (!fenced && (t.starts_with("- ") || t.starts_with("* ")));
    }
    out
}

/// `v` with `decimals` digits after the point, exactly as `format!("{v:.decimals$}")` prints
/// it (the exact binary value rounded half to even), without pulling the float formatting
/// machinery into the bundle. For `decimals` ≤ 3 and magnitudes below 2^53, the timings and
/// sizes the page shows.
pub fn fixed(v: f64, decimals: u32) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if v.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    // v = m · 2^e exactly.
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    let p = 10u64.pow(decimals);
    let scaled = m.saturating_mul(p);
    let n = if e >= 0 {
        let e = e as u32;
        if e < scaled.leading_zeros() {
            scaled << e
        } else {
            u64::MAX
        }
    } else {
        let s = (-e) as u32;
        if s >= 64 {
            // scaled < 2^63, so less than half a unit remains.
            0
        } else {
            let q = scaled >> s;
            let r = scaled - (q << s);
            let half = 1u64 << (s - 1);
            if r > half || (r == half && q % 2 == 1) {
                q + 1
            } else {
                q
            }
        }
    };
    if decimals == 0 {
        return format!("{sign}{n}");
    }
    let (int, rest) = (n / p, n % p);
    let mut digits = rest.to_string();
    while digits.len() < decimals as usize {
        digits.insert(0, '0');
    }
    format!("{sign}{int}.{digits}")
}

/// The gutter's content for `lines` lines (at most `max`): one `<span>` per line number, class
/// `ev` on lines in `marked`, `ev sel` on those in `selected` (both sorted). Line numbers and
/// these fixed class names are all it holds: no text from the input.
pub fn gutter_html(lines: usize, max: usize, marked: &[usize], selected: &[usize]) -> String {
    let n = lines.min(max);
    let mut out = String::with_capacity(n * 16);
    for l in 1..=n {
        let sel = selected.binary_search(&l).is_ok();
        out.push_str(if sel {
            r#"<span class="ev sel">"#
        } else if marked.binary_search(&l).is_ok() {
            r#"<span class="ev">"#
        } else {
            "<span>"
        });
        out.push_str(&l.to_string());
        out.push_str("</span>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn marks_split_lines() {
        let text = "a\n  Reason: OOMKilled\nb\n";
        let ev = [Evidence::primary(Span::new(0, 12, 21), "oom")];
        let lines = evidence_lines(text, 0, &ev);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].number, 2);
        assert_eq!(
            lines[0].pieces,
            vec![
                Piece::Text("  Reason: ".into()),
                Piece::Mark {
                    text: "OOMKilled".into(),
                    label: "oom".into(),
                    primary: true
                }
            ]
        );
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let ev = [
            Evidence::primary(Span::new(0, 100, 200), "x"),
            Evidence::context(Span::new(0, 1, 2), "é"),
        ];
        let _ = evidence_lines("é\nx", 0, &ev);
    }

    #[test]
    fn doc_blocks_split_paragraphs_items_code_and_links() {
        let section = "Raise `limits.memory` above the peak.\n- see https://kubernetes.io/docs/x/.\n```text\n  Reason: OOMKilled\n```";
        assert_eq!(
            doc_blocks(section),
            vec![
                DocBlock::Para(vec![
                    Inline::Text("Raise ".into()),
                    Inline::Code("limits.memory".into()),
                    Inline::Text(" above the peak.".into()),
                ]),
                DocBlock::Item(vec![
                    Inline::Text("see ".into()),
                    Inline::Link("https://kubernetes.io/docs/x/".into()),
                    Inline::Text(".".into()),
                ]),
                DocBlock::Code("  Reason: OOMKilled".into()),
            ]
        );
        // An unclosed fence still shows its lines as code.
        assert_eq!(doc_blocks("```\nx"), vec![DocBlock::Code("x".into())]);
    }

    #[test]
    fn every_rule_documents_every_section_the_page_shows() {
        for rule in crate::rules::ALL {
            let meta = rule.meta();
            for (title, _) in DOC_SECTIONS {
                let section = doc_section(meta.docs, title)
                    .unwrap_or_else(|| panic!("{}: no section {title}", meta.code));
                assert!(!doc_blocks(&section).is_empty(), "{} {title}", meta.code);
            }
            let refs = doc_section(meta.docs, "References").unwrap_or_default();
            assert!(
                doc_blocks(&refs).iter().any(|b| matches!(b, DocBlock::Item(i) if i.iter().any(|x| matches!(x, Inline::Link(_))))),
                "{}: references are links",
                meta.code
            );
        }
    }

    #[test]
    fn diff_kinds() {
        let d = diff_lines("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n z");
        let kinds: Vec<DiffKind> = d.iter().map(|x| x.0).collect();
        assert_eq!(
            kinds,
            [
                DiffKind::Header,
                DiffKind::Header,
                DiffKind::Hunk,
                DiffKind::Del,
                DiffKind::Add,
                DiffKind::Context
            ]
        );
    }

    #[test]
    fn utf16_offsets() {
        let t = "é😀x";
        assert_eq!(utf16_offset(t, 0), 0);
        assert_eq!(utf16_offset(t, 2), 1);
        assert_eq!(utf16_offset(t, 6), 3);
        assert_eq!(utf16_offset(t, 3), 1, "inside a char: clamped back");
        assert_eq!(utf16_offset(t, 99), 4);
    }

    #[test]
    fn marked_lines_cover_multi_line_spans() {
        let t = "a\nb\nc\nd\n";
        let e1 = Evidence::primary(Span::new(0, 2, 5), "x");
        let e2 = Evidence::context(Span::new(1, 0, 1), "other input");
        assert_eq!(marked_lines(t, 0, &[&e1, &e2]), vec![2, 3]);
        assert_eq!(focus_span(&[e2.clone(), e1.clone()]), Some((0, 2, 5)));
        assert_eq!(focus_span(&[]), None);
    }

    #[test]
    fn side_by_side_pairs_changes() {
        let d = "--- a/x\n+++ b/x\n@@ -3,3 +3,4 @@\n a\n-b\n+B\n+C\n c\n";
        let rows = side_by_side(d);
        assert_eq!(rows[0].kind, SideKind::Hunk);
        assert_eq!(rows[1].left, Some((3, "a".into())));
        assert_eq!(rows[2].left, Some((4, "b".into())));
        assert_eq!(rows[2].right, Some((4, "B".into())));
        assert_eq!(rows[3].left, None);
        assert_eq!(rows[3].right, Some((5, "C".into())));
        assert_eq!(rows[4].left, Some((5, "c".into())));
        assert_eq!(rows[4].right, Some((6, "c".into())));
        assert_eq!(rows.len(), 5);
    }

    #[test]
    fn download_names() {
        assert_eq!(download_name("deploy/job.yaml"), "job.fixed.yaml");
        assert_eq!(download_name("paste"), "manifest.fixed.yaml");
        assert_eq!(download_name("paste 2"), "manifest.fixed.yaml");
        assert_eq!(download_name("<b>"), "b.fixed.yaml");
        assert_eq!(download_name(""), "manifest.fixed.yaml");
    }

    #[test]
    fn doc_sections_from_doc_comment_lines() {
        let docs = " ## What it does\n Finds x.\n\n ## Why is this bad?\n Because\n   `y`.\n ## Example\n ```text\n a\n ```\n";
        assert_eq!(
            doc_section(docs, "Why is this bad?").as_deref(),
            Some("Because\n  `y`.")
        );
        assert_eq!(
            doc_section(docs, "Example").as_deref(),
            Some("```text\na\n```")
        );
        assert_eq!(doc_section(docs, "Missing"), None);
        let rule = crate::rules::find("PM001").expect("PM001");
        let why = doc_section(rule.meta().docs, "Why is this bad?").expect("section");
        assert!(!why.contains("## "), "{why}");
    }

    #[test]
    fn fixed_prints_what_format_prints() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.25,
            0.125,
            0.375,
            0.05,
            0.15,
            0.35,
            1.005,
            2.675,
            0.045,
            9.995,
            99.95,
            0.001,
            -0.01,
            -1.25,
            1e-300,
            5e-324,
            123456.789,
            1e15,
            f64::MAX / 1e300,
            3.0,
            10.0,
            0.95,
            0.049999,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Ties at every binary fraction with a few bits, and sizes in MB as the page shows them.
        for k in 0..4096u32 {
            values.push(f64::from(k) / 64.0);
            values.push(f64::from(k) / 1000.0);
        }
        for n in (0..3_000_000usize).step_by(4999) {
            values.push(n as f64 / 1e6);
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> 11) as f64 / (1u64 << 40) as f64);
        }
        for v in values {
            for d in 0..=3 {
                assert_eq!(fixed(v, d), format!("{v:.*}", d as usize), "{v:e} with {d}");
            }
        }
    }

    #[test]
    fn the_gutter_numbers_lines_and_marks_evidence() {
        assert_eq!(
            gutter_html(4, 100, &[2, 3], &[3]),
            r#"<span>1</span><span class="ev">2</span><span class="ev sel">3</span><span>4</span>"#
        );
        // A selected line is marked even when the other list misses it; numbering stops at max.
        assert_eq!(
            gutter_html(5, 2, &[], &[1]),
            r#"<span class="ev sel">1</span><span>2</span>"#
        );
        assert_eq!(gutter_html(1, 100, &[], &[]), "<span>1</span>");
    }
}
