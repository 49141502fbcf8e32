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

/// A unified diff between `old` and the result of applying `edits` to it.
pub fn unified(old: &str, edits: &[Edit], old_name: &str, new_name: &str) -> String {
    const CONTEXT: usize = 3;
    let sorted = super::ordered(edits);
    let starts = line_starts(old);
    let old_lines = split_lines(old);
    // Changed line ranges [first, last] in the old text, with the edits inside them.
    let mut groups: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for e in sorted {
        let first = line_of(&starts, e.start);
        let last = line_of(
            &starts,
            e.end
                .saturating_sub(usize::from(e.end > e.start))
                .max(e.start),
        );
        match groups.last_mut() {
            Some(g) if first <= g.1 + 1 + 2 * CONTEXT => {
                g.1 = g.1.max(last);
                g.2.push(e);
            }
            _ => groups.push((first, last, vec![e])),
        }
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let mut delta: isize = 0;
    for (first, last, group) in groups {
        let ctx_start = first.saturating_sub(CONTEXT);
        let ctx_end = (last + CONTEXT).min(old_lines.len().saturating_sub(1));
        // The old text of the changed lines, and the new text after the edits.
        let seg_start = starts.get(first).copied().unwrap_or(old.len());
        let seg_end = starts.get(last + 1).copied().unwrap_or(old.len());
        let mut new_seg = String::new();
        let mut pos = seg_start;
        for e in &group {
            new_seg.push_str(old.get(pos..e.start).unwrap_or(""));
            new_seg.push_str(&e.replacement);
            pos = e.end;
        }
        new_seg.push_str(old.get(pos..seg_end).unwrap_or(""));
        let new_lines = split_lines(&new_seg);
        let old_count = ctx_end + 1 - ctx_start;
        let new_count = old_count - (last + 1 - first) + new_lines.len();
        let new_start = ctx_start as isize + delta;
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            ctx_start + 1,
            old_count,
            new_start + 1,
            new_count
        ));
        let mut push = |prefix: char, line: &str| {
            out.push(prefix);
            out.push_str(line.trim_end_matches(['\n', '\r']));
            out.push('\n');
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        };
        for l in old_lines.get(ctx_start..first).unwrap_or(&[]) {
            push(' ', l);
        }
        for l in old_lines.get(first..=last).unwrap_or(&[]) {
            push('-', l);
        }
        for l in &new_lines {
            push('+', l);
        }
        for l in old_lines.get(last + 1..=ctx_end).unwrap_or(&[]) {
            push(' ', l);
        }
        delta += new_lines.len() as isize - (last + 1 - first) as isize;
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
        assert_eq!(d, "--- a\n+++ b\n@@ -1,2 +1,3 @@\n-a\n+a\n+z\n b\n");
    }
}
