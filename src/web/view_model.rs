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
    let index = LineIndex::new(text);
    let mut numbers: Vec<usize> = evidence
        .iter()
        .filter(|e| e.span.input == input)
        .map(|e| index.line(e.span.start))
        .collect();
    numbers.sort_unstable();
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
            marks.sort_by_key(|e| e.span.start);
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
}
