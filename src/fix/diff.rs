//! Unified diffs built from the edits themselves (no line matching): linear in the text size.

use super::Edit;

/// Line start offsets of `text`.
fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    if v.last() == Some(&text.len()) && !text.is_empty() {
        v.pop();
    }
    v
}

fn line_of(starts: &[usize], offset: usize) -> usize {
    match starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    }
}

fn split_lines(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split_inclusive('\n').collect()
}

/// An insertion of new lines at the end of a line is shown as lines added after it, not as
/// a change of that line: move it past the line terminator.
fn normalise(old: &str, e: &Edit) -> Edit {
    if e.start == e.end {
        for nl in ["\r\n", "\n"] {
            let at_line_end = old.get(e.start..).is_some_and(|r| r.starts_with(nl));
            if at_line_end {
                if let Some(body) = e.replacement.strip_prefix(nl) {
                    return Edit {
                        start: e.start + nl.len(),
                        end: e.start + nl.len(),
                        replacement: format!("{body}{nl}"),
                    };
                }
            }
        }
    }
    e.clone()
}

/// A unified diff between `old` and the result of applying `edits` to it.
pub fn unified(old: &str, edits: &[Edit], old_name: &str, new_name: &str) -> String {
    const CONTEXT: usize = 3;
    let normalised: Vec<Edit> = super::ordered(edits)
        .into_iter()
        .map(|e| normalise(old, e))
        .collect();
    let starts = line_starts(old);
    let old_lines = split_lines(old);
    // Blocks of changed old lines [first, last] (last < first for a pure insertion before
    // line `first`), with their new text.
    struct Block {
        first: usize,
        last: Option<usize>,
        new_lines: Vec<String>,
    }
    let mut blocks: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for e in &normalised {
        let first = line_of(&starts, e.start);
        // Whole new lines inserted at a line start (or at the end) leave the old lines alone;
        // text inserted at the start of a line changes that line.
        let insertion_at_line_start = e.start == e.end
            && (starts.binary_search(&e.start).is_ok() || e.start == old.len())
            && (e.replacement.ends_with('\n') || e.start == old.len());
        let (first, last) = if insertion_at_line_start {
            let first = if e.start == old.len() && !old.is_empty() && !old.ends_with('\n') {
                first
            } else if e.start == old.len() {
                old_lines.len()
            } else {
                first
            };
            if e.start == old.len() && !old.is_empty() && !old.ends_with('\n') {
                (first, first as isize)
            } else {
                (first, first as isize - 1)
            }
        } else {
            let last = line_of(
                &starts,
                e.end
                    .saturating_sub(usize::from(e.end > e.start))
                    .max(e.start),
            );
            (first, last as isize)
        };
        let last = last.max(first as isize - 1) as usize + 1; // exclusive end
        match blocks.last_mut() {
            Some(b) if first < b.1 || (first == b.1 && b.1 > b.0 && last > first) => {
                b.1 = b.1.max(last);
                b.2.push(e);
            }
            Some(b) if first == b.0 && b.1 == b.0 && last == first => b.2.push(e),
            _ => blocks.push((first, last, vec![e])),
        }
    }
    let blocks: Vec<Block> = blocks
        .into_iter()
        .map(|(first, end, group)| {
            let seg_start = starts.get(first).copied().unwrap_or(old.len());
            let seg_end = starts.get(end).copied().unwrap_or(old.len());
            let mut new_seg = String::new();
            let mut pos = seg_start;
            for e in &group {
                new_seg.push_str(old.get(pos..e.start).unwrap_or(""));
                new_seg.push_str(&e.replacement);
                pos = e.end.max(pos);
            }
            new_seg.push_str(old.get(pos..seg_end).unwrap_or(""));
            Block {
                first,
                last: end.checked_sub(1).filter(|l| *l >= first),
                new_lines: split_lines(&new_seg)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect();
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let mut delta: isize = 0;
    let mut i = 0;
    let push = |out: &mut String, prefix: char, line: &str| {
        out.push(prefix);
        out.push_str(line.trim_end_matches(['\n', '\r']));
        out.push('\n');
        if !line.ends_with('\n') {
            out.push_str("\\ No newline at end of file\n");
        }
    };
    while i < blocks.len() {
        // A hunk: blocks whose gaps are at most 2 × CONTEXT lines.
        let mut j = i;
        while j + 1 < blocks.len() {
            let end = blocks[j].last.map_or(blocks[j].first, |l| l + 1);
            if blocks[j + 1].first <= end + 2 * CONTEXT {
                j += 1;
            } else {
                break;
            }
        }
        let first = blocks[i].first;
        let end = blocks[j].last.map_or(blocks[j].first, |l| l + 1);
        let ctx_start = first.saturating_sub(CONTEXT);
        let ctx_end = (end + CONTEXT).min(old_lines.len());
        let mut body = String::new();
        let (mut old_count, mut new_count) = (0usize, 0usize);
        let mut line = ctx_start;
        for b in &blocks[i..=j] {
            for l in old_lines.get(line..b.first).unwrap_or(&[]) {
                push(&mut body, ' ', l);
                old_count += 1;
                new_count += 1;
            }
            let b_end = b.last.map_or(b.first, |l| l + 1);
            for l in old_lines.get(b.first..b_end).unwrap_or(&[]) {
                push(&mut body, '-', l);
                old_count += 1;
            }
            for l in &b.new_lines {
                push(&mut body, '+', l);
                new_count += 1;
            }
            line = b_end;
        }
        for l in old_lines.get(line..ctx_end).unwrap_or(&[]) {
            push(&mut body, ' ', l);
            old_count += 1;
            new_count += 1;
        }
        let new_start = ctx_start as isize + delta;
        let range = |start: isize, count: usize| {
            if count == 0 {
                format!("{},0", start)
            } else {
                format!("{},{}", start + 1, count)
            }
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(ctx_start as isize, old_count),
            range(new_start, new_count)
        ));
        out.push_str(&body);
        delta += new_count as isize - old_count as isize;
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_one_line() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let e = Edit {
            start: 8,
            end: 9,
            replacement: "X".into(),
        };
        let d = unified(old, &[e], "a/job.yaml", "b/job.yaml");
        assert_eq!(
            d,
            "--- a/job.yaml\n+++ b/job.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+X\n f\n g\n h\n"
        );
    }

    #[test]
    fn insertion_adds_lines() {
        let old = "a\nb\n";
        let e = Edit {
            start: 1,
            end: 1,
            replacement: "\nz".into(),
        };
        let d = unified(old, &[e], "a", "b");
        assert_eq!(d, "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n+z\n b\n");
    }

    #[test]
    fn lines_between_edits_are_context() {
        let old = "a\nb\nc\nd\n";
        let edits = [
            Edit {
                start: 0,
                end: 2,
                replacement: String::new(),
            },
            Edit {
                start: 4,
                end: 6,
                replacement: String::new(),
            },
        ];
        let d = unified(old, &edits, "a", "b");
        assert_eq!(d, "--- a\n+++ b\n@@ -1,4 +1,2 @@\n-a\n b\n-c\n d\n");
    }

    #[test]
    fn text_inserted_at_line_starts_changes_those_lines() {
        let old = "a\nb\nc\n";
        let ins = |at: usize| Edit {
            start: at,
            end: at,
            replacement: "  ".into(),
        };
        let d = unified(old, &[ins(2), ins(4)], "a", "b");
        assert_eq!(d, "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n-c\n+  b\n+  c\n");
    }

    #[test]
    fn insertion_at_end_without_newline() {
        let old = "a\nb";
        let e = Edit {
            start: 3,
            end: 3,
            replacement: "\nc".into(),
        };
        let d = unified(old, &[e], "a", "b");
        assert_eq!(d, "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline at end of file\n");
    }
}
