//! Plain-text rendering with annotated snippets pointing into the pastes (CLI and snapshots).

use super::Report;
use crate::span::LineIndex;
use crate::Input;

/// The line of `text` holding `offset`, with its 1-based number and the byte column.
fn line_at(text: &str, index: &LineIndex, offset: usize) -> (usize, usize, usize) {
    let n = index.line(offset);
    let start = index.line_start(n);
    let end = text
        .get(start..)
        .and_then(|r| r.find('\n'))
        .map(|e| start + e)
        .unwrap_or(text.len());
    (n, start, end)
}

pub fn render(report: &Report, inputs: &[Input]) -> String {
    let indexes: Vec<LineIndex> = inputs.iter().map(|i| LineIndex::new(&i.text)).collect();
    let mut out = String::new();
    out.push_str(&format!(
        "primary cause: {}\n{}\n",
        report.primary_cause.slug(),
        report.summary
    ));
    for r in &report.ranking {
        out.push_str(&format!("ranking: {r}\n"));
    }
    for f in &report.findings {
        out.push_str(&format!(
            "\n{}[{}] {}: {}\n",
            f.severity.as_str(),
            f.code,
            f.name,
            f.message
        ));
        if !f.chain.is_empty() {
            out.push_str(&format!("  chain: {}\n", f.chain.join(" → ")));
        }
        for e in &f.evidence {
            let (Some(input), Some(index)) = (inputs.get(e.span.input), indexes.get(e.span.input))
            else {
                continue;
            };
            let (n, ls, le) = line_at(&input.text, index, e.span.start);
            let line = input.text.get(ls..le).unwrap_or("").trim_end_matches('\r');
            let col = e.span.start.saturating_sub(ls);
            let width = e.span.len().clamp(1, line.len().saturating_sub(col).max(1));
            let gutter = format!("{n}");
            out.push_str(&format!("  --> {}:{}\n", input.name, n));
            out.push_str(&format!("  {gutter} | {line}\n"));
            let prefix: String = line
                .get(..col)
                .unwrap_or("")
                .chars()
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let marker = if e.primary { '^' } else { '-' };
            out.push_str(&format!(
                "  {} | {}{} {}\n",
                " ".repeat(gutter.len()),
                prefix,
                marker.to_string().repeat(width),
                e.label
            ));
        }
        out.push_str(&format!("  help: {}\n", f.help));
        if !f.next_steps.is_empty() {
            out.push_str("  next steps:\n");
            for s in &f.next_steps {
                out.push_str(&format!("    $ {s}\n"));
            }
        }
    }
    if let Some(m) = &report.corrected_manifest {
        out.push_str(&format!(
            "\ncorrected manifest{}:\n",
            if m.reconstructed {
                " (reconstructed from the describe output)"
            } else {
                ""
            }
        ));
        for (title, reasons) in &m.applied {
            out.push_str(&format!("  fix: {title}\n"));
            for r in reasons {
                out.push_str(&format!("    - {r}\n"));
            }
        }
        if m.reconstructed {
            if !m.unrecovered.is_empty() {
                out.push_str("  not recovered from the describe output:\n");
                for u in &m.unrecovered {
                    out.push_str(&format!("    - {u}\n"));
                }
            }
            out.push('\n');
            out.push_str(&m.text);
        } else {
            out.push('\n');
            out.push_str(&m.diff);
        }
    }
    for a in &report.advice {
        out.push_str(&format!("\nto do: {}\n", a.title));
        for r in &a.reasoning {
            out.push_str(&format!("    - {r}\n"));
        }
        for sn in &a.snippets {
            out.push_str(&format!("  # {}\n", sn.title));
            for line in sn.text.lines() {
                let prompt = if sn.language == "sh" { "$ " } else { "" };
                out.push_str(&format!("    {prompt}{line}\n"));
            }
        }
    }
    for w in &report.withheld {
        out.push_str(&format!("\nfix withheld: {} ({})\n", w.title, w.reason));
    }
    for n in &report.notes {
        out.push_str(&format!("\nnote: {}\n", n.message));
    }
    out
}
