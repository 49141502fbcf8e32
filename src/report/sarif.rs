//! SARIF 2.1.0 output (`--format sarif`): the catalogue as `tool.driver.rules`, each finding as a
//! result located at its primary evidence (context evidence as related locations), so code
//! scanning UIs and CI annotations can show a post-mortem next to the pasted files.

use super::Report;
use crate::findings::Severity;
use crate::rules;
use crate::span::{LineIndex, Span};
use crate::Input;
use serde_json::{json, Value};

/// A URI reference for an input name: relative paths stay readable, unsafe bytes are escaped.
fn uri(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                out.push(b as char)
            }
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(text: &str, index: &LineIndex, span: Span) -> Value {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    // SARIF counts characters, the engine counts bytes.
    let chars = |a: usize, b: usize| text.get(a..b).map(|s| s.chars().count()).unwrap_or(0);
    let start_line = index.line(start);
    let end_line = index.line(end.saturating_sub(1).max(start));
    let line_start = index.line_start(start_line);
    json!({
        "startLine": start_line,
        "endLine": end_line,
        "startColumn": chars(line_start, start) + 1,
        "charOffset": chars(0, start),
        "charLength": chars(start, end),
    })
}

pub fn to_value(report: &Report, inputs: &[Input]) -> Value {
    let indexes: Vec<LineIndex> = inputs.iter().map(|i| LineIndex::new(&i.text)).collect();
    let location = |span: Span, label: Option<&str>| -> Option<Value> {
        let input = inputs.get(span.input)?;
        let index = indexes.get(span.input)?;
        let mut loc = json!({
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&input.name), "index": span.input },
                "region": region(&input.text, index, span),
            }
        });
        if let Some(l) = label {
            loc["message"] = json!({ "text": l });
        }
        Some(loc)
    };
    let catalogue: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            let help_uri = m
                .section("References")
                .and_then(|refs| refs.split_whitespace().find(|w| w.starts_with("https://")))
                .unwrap_or("https://kubernetes.io/docs/tasks/debug/");
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.cause.title() },
                "fullDescription": { "text": m.section("What it does").unwrap_or("") },
                "help": {
                    "text": m.section("Use instead").unwrap_or(""),
                    "markdown": m.docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n"),
                },
                "helpUri": help_uri,
                "properties": { "cause": m.cause.slug() },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .enumerate()
        .map(|(rank, f)| {
            let primary: Vec<Value> = f
                .evidence
                .iter()
                .filter(|e| e.primary)
                .filter_map(|e| location(e.span, None))
                .collect();
            let related: Vec<Value> = f
                .evidence
                .iter()
                .filter(|e| !e.primary)
                .enumerate()
                .filter_map(|(i, e)| {
                    let mut l = location(e.span, Some(&e.label))?;
                    l["id"] = json!(i);
                    Some(l)
                })
                .collect();
            let mut r = json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": { "text": format!("{}. {}", f.message, f.help) },
                "locations": primary,
                "properties": {
                    "cause": f.cause.slug(),
                    "confidence": f.confidence,
                    "primary": rank == 0,
                    "chain": f.chain,
                    "nextSteps": f.next_steps,
                },
            });
            if let Some(i) = rules::ALL.iter().position(|x| x.meta().code == f.code) {
                r["ruleIndex"] = json!(i);
            }
            if !related.is_empty() {
                r["relatedLocations"] = json!(related);
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "podmortem",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://kubernetes.io/docs/tasks/debug/debug-application/",
                "rules": catalogue,
            }},
            "artifacts": inputs.iter().map(|i| json!({ "location": { "uri": uri(&i.name) } })).collect::<Vec<_>>(),
            "results": results,
            "properties": {
                "primaryCause": report.primary_cause.slug(),
                "summary": report.summary,
                "ranking": report.ranking,
            },
        }],
    })
}

pub fn render(report: &Report, inputs: &[Input]) -> String {
    let mut s =
        serde_json::to_string_pretty(&to_value(report, inputs)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_regions() {
        assert_eq!(uri("paste 1"), "paste%201");
        assert_eq!(uri("dir\\a.txt"), "dir/a.txt");
        let t = "ab\nçd\n";
        let ix = LineIndex::new(t);
        let r = region(t, &ix, Span::new(0, 5, 6));
        assert_eq!(r["startLine"], 2);
        assert_eq!(r["startColumn"], 2);
        assert_eq!(r["charOffset"], 4);
        assert_eq!(r["charLength"], 1);
    }
}
