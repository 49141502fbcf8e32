//! A Markdown report, ready for a ticket or a chat.

use super::Report;
use crate::span::{Joined, LineIndex};
use crate::Input;

pub fn render(report: &Report, inputs: &[Input]) -> String {
    let indexes: Vec<LineIndex> = inputs.iter().map(|i| LineIndex::new(&i.text)).collect();
    let mut out = format!(
        "## podmortem: {}\n\n**Primary cause:** `{}`: {}\n",
        report.primary_cause.title(),
        report.primary_cause.slug(),
        report.summary
    );
    if !report.ranking.is_empty() {
        out.push_str("\n**Ranking:**\n\n");
        for r in &report.ranking {
            out.push_str(&format!("- {r}\n"));
        }
    }
    for f in &report.findings {
        out.push_str(&format!(
            "\n### {} `{}` ({})\n\n{}\n\n",
            f.code,
            f.name,
            f.severity.as_str(),
            f.message
        ));
        if !f.chain.is_empty() {
            out.push_str(&format!(
                "Chain: {}\n\n",
                f.chain
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .joined(" → ")
            ));
        }
        if !f.evidence.is_empty() {
            out.push_str("Evidence:\n\n");
            for e in &f.evidence {
                let (Some(input), Some(index)) =
                    (inputs.get(e.span.input), indexes.get(e.span.input))
                else {
                    continue;
                };
                let n = index.line(e.span.start);
                let ls = index.line_start(n);
                let le = input
                    .text
                    .get(ls..)
                    .and_then(|r| r.find('\n'))
                    .map(|x| ls + x)
                    .unwrap_or(input.text.len());
                let line = input.text.get(ls..le).unwrap_or("").trim();
                out.push_str(&format!(
                    "- {} line {}: `{}` ({})\n",
                    input.name,
                    n,
                    line.replace('`', "'"),
                    e.label
                ));
            }
            out.push('\n');
        }
        out.push_str(&format!("{}\n", f.help));
        if !f.next_steps.is_empty() {
            out.push_str("\nNext steps:\n\n```sh\n");
            for s in &f.next_steps {
                out.push_str(s);
                out.push('\n');
            }
            out.push_str("```\n");
        }
    }
    if let Some(m) = &report.corrected_manifest {
        out.push_str("\n### Corrected manifest\n\n");
        for (title, reasons) in &m.applied {
            out.push_str(&format!("- **{title}**\n"));
            for r in reasons {
                out.push_str(&format!("  - {r}\n"));
            }
        }
        if m.reconstructed {
            out.push_str("\nReconstructed from the describe output. Not recovered:\n\n");
            for u in &m.unrecovered {
                out.push_str(&format!("- {u}\n"));
            }
            out.push_str(&format!("\n```yaml\n{}```\n", m.text));
        } else {
            out.push_str(&format!("\n```diff\n{}```\n", m.diff));
        }
    }
    for a in &report.advice {
        out.push_str(&format!("\n### {}\n\n", a.title));
        for r in &a.reasoning {
            out.push_str(&format!("- {r}\n"));
        }
        for sn in &a.snippets {
            out.push_str(&format!(
                "\n{}:\n\n```{}\n{}\n```\n",
                sn.title,
                sn.language,
                sn.text.trim_end()
            ));
        }
    }
    for w in &report.withheld {
        out.push_str(&format!("\n> fix withheld: {} ({})\n", w.title, w.reason));
    }
    out
}
