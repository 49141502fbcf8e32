//! The CLI JSON contract (`version: 1`), documented in the README.

use super::Report;
use crate::span::LineIndex;
use crate::Input;
use serde_json::{json, Value};

pub fn to_value(report: &Report, inputs: &[Input]) -> Value {
    let indexes: Vec<LineIndex> = inputs.iter().map(|i| LineIndex::new(&i.text)).collect();
    let line =
        |input: usize, offset: usize| indexes.get(input).map(|ix| ix.line(offset)).unwrap_or(1);
    json!({
        "version": 1,
        "primary_cause": report.primary_cause.slug(),
        "summary": report.summary,
        "ranking": report.ranking,
        "inputs": report.inputs.iter().map(|i| json!({
            "name": i.name,
            "segments": i.segments.iter().map(|s| json!({
                "kind": s.kind.slug(),
                "start": s.span.start,
                "end": s.span.end,
                "start_line": line(s.span.input, s.span.start),
                "end_line": line(s.span.input, s.span.end.saturating_sub(1).max(s.span.start)),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "findings": report.findings.iter().map(|f| json!({
            "code": f.code,
            "name": f.name,
            "cause": f.cause.slug(),
            "severity": f.severity.as_str(),
            "confidence": f.confidence,
            "message": f.message,
            "help": f.help,
            "chain": f.chain,
            "evidence": f.evidence.iter().map(|e| json!({
                "input": e.span.input,
                "start": e.span.start,
                "end": e.span.end,
                "line": line(e.span.input, e.span.start),
                "label": e.label,
                "primary": e.primary,
            })).collect::<Vec<_>>(),
            "next_steps": f.next_steps,
            "fix": f.fix.as_ref().map(|x| json!({ "title": x.title, "reasoning": x.reasoning, "refused": x.refused })),
        })).collect::<Vec<_>>(),
        "corrected_manifest": report.corrected_manifest.as_ref().map(|m| json!({
            "input": m.input,
            "start": m.region.start,
            "end": m.region.end,
            "text": m.text,
            "diff": m.diff,
            "reconstructed": m.reconstructed,
            "unrecovered": m.unrecovered,
            "fixes": m.applied.iter().map(|(t, r)| json!({ "title": t, "reasoning": r })).collect::<Vec<_>>(),
        })),
        "advice": report.advice.iter().map(|a| json!({
            "code": a.code,
            "title": a.title,
            "reasoning": a.reasoning,
            "snippets": a.snippets.iter().map(|s| json!({ "title": s.title, "language": s.language, "text": s.text })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "withheld_fixes": report.withheld.iter().map(|w| json!({ "title": w.title, "reason": w.reason })).collect::<Vec<_>>(),
        "notes": report.notes.iter().map(|n| json!({
            "input": n.span.input, "start": n.span.start, "end": n.span.end,
            "line": line(n.span.input, n.span.start), "message": n.message,
        })).collect::<Vec<_>>(),
    })
}

pub fn render(report: &Report, inputs: &[Input]) -> String {
    let mut s =
        serde_json::to_string_pretty(&to_value(report, inputs)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
