//! The CLI JSON contract (`version: 1`), documented in the README.
//!
//! Written directly rather than through `serde_json::Value`: the web bundle carries this
//! renderer, and a direct writer is a fraction of the size. The output is exactly what
//! `serde_json::to_string_pretty` gives for the same object (keys in sorted order, two-space
//! indent); a test compares the two.

use super::Report;
use crate::span::LineIndex;
use crate::Input;

/// A pretty JSON writer with serde_json's layout.
struct Writer {
    out: String,
    depth: usize,
    /// A container was just opened and has no member yet.
    fresh: bool,
}

impl Writer {
    fn open(&mut self, c: char) {
        self.out.push(c);
        self.depth += 1;
        self.fresh = true;
    }

    fn close(&mut self, c: char) {
        self.depth -= 1;
        if !self.fresh {
            self.newline();
        }
        self.out.push(c);
        self.fresh = false;
    }

    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    /// Before an array element or an object key.
    fn item(&mut self) {
        if !self.fresh {
            self.out.push(',');
        }
        self.newline();
        self.fresh = false;
    }

    fn key(&mut self, k: &str) {
        self.item();
        self.string(k);
        self.out.push_str(": ");
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let b = c as usize;
                    self.out.push_str("\\u00");
                    self.out.push(char::from(HEX[b >> 4]));
                    self.out.push(char::from(HEX[b & 0xf]));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn key_str(&mut self, k: &str, v: &str) {
        self.key(k);
        self.string(v);
    }

    fn key_num(&mut self, k: &str, n: usize) {
        self.key(k);
        self.out.push_str(&n.to_string());
    }

    fn key_bool(&mut self, k: &str, b: bool) {
        self.key(k);
        self.out.push_str(if b { "true" } else { "false" });
    }

    fn key_strs(&mut self, k: &str, v: &[String]) {
        self.key(k);
        self.open('[');
        for s in v {
            self.item();
            self.string(s);
        }
        self.close(']');
    }
}

pub fn render(report: &Report, inputs: &[Input]) -> String {
    let indexes: Vec<LineIndex> = inputs.iter().map(|i| LineIndex::new(&i.text)).collect();
    let line =
        |input: usize, offset: usize| indexes.get(input).map(|ix| ix.line(offset)).unwrap_or(1);
    let mut w = Writer {
        out: String::new(),
        depth: 0,
        fresh: false,
    };
    // Keys in each object are written in sorted order, as serde_json's map keeps them.
    w.open('{');
    w.key("advice");
    w.open('[');
    for a in &report.advice {
        w.item();
        w.open('{');
        w.key_str("code", a.code);
        w.key_strs("reasoning", &a.reasoning);
        w.key("snippets");
        w.open('[');
        for s in &a.snippets {
            w.item();
            w.open('{');
            w.key_str("language", s.language);
            w.key_str("text", &s.text);
            w.key_str("title", &s.title);
            w.close('}');
        }
        w.close(']');
        w.key_str("title", &a.title);
        w.close('}');
    }
    w.close(']');
    w.key("corrected_manifest");
    match &report.corrected_manifest {
        None => w.out.push_str("null"),
        Some(m) => {
            w.open('{');
            w.key_str("diff", &m.diff);
            w.key_num("end", m.region.end);
            w.key("fixes");
            w.open('[');
            for (t, r) in &m.applied {
                w.item();
                w.open('{');
                w.key_strs("reasoning", r);
                w.key_str("title", t);
                w.close('}');
            }
            w.close(']');
            w.key_num("input", m.input);
            w.key_bool("reconstructed", m.reconstructed);
            w.key_num("start", m.region.start);
            w.key_str("text", &m.text);
            w.key_strs("unrecovered", &m.unrecovered);
            w.close('}');
        }
    }
    w.key("findings");
    w.open('[');
    for f in &report.findings {
        w.item();
        w.open('{');
        w.key_str("cause", f.cause.slug());
        w.key_strs("chain", &f.chain);
        w.key_str("code", f.code);
        w.key_num("confidence", usize::from(f.confidence));
        w.key("evidence");
        w.open('[');
        for e in &f.evidence {
            w.item();
            w.open('{');
            w.key_num("end", e.span.end);
            w.key_num("input", e.span.input);
            w.key_str("label", &e.label);
            w.key_num("line", line(e.span.input, e.span.start));
            w.key_bool("primary", e.primary);
            w.key_num("start", e.span.start);
            w.close('}');
        }
        w.close(']');
        w.key("fix");
        match &f.fix {
            None => w.out.push_str("null"),
            Some(x) => {
                w.open('{');
                w.key_strs("reasoning", &x.reasoning);
                w.key("refused");
                match &x.refused {
                    None => w.out.push_str("null"),
                    Some(r) => w.string(r),
                }
                w.key_str("title", &x.title);
                w.close('}');
            }
        }
        w.key_str("help", &f.help);
        w.key_str("message", &f.message);
        w.key_str("name", f.name);
        w.key_strs("next_steps", &f.next_steps);
        w.key_str("severity", f.severity.as_str());
        w.close('}');
    }
    w.close(']');
    w.key("inputs");
    w.open('[');
    for i in &report.inputs {
        w.item();
        w.open('{');
        w.key_str("name", &i.name);
        w.key("segments");
        w.open('[');
        for s in &i.segments {
            w.item();
            w.open('{');
            w.key_num("end", s.span.end);
            w.key_num(
                "end_line",
                line(s.span.input, s.span.end.saturating_sub(1).max(s.span.start)),
            );
            w.key_str("kind", s.kind.slug());
            w.key_num("start", s.span.start);
            w.key_num("start_line", line(s.span.input, s.span.start));
            w.close('}');
        }
        w.close(']');
        w.close('}');
    }
    w.close(']');
    w.key("notes");
    w.open('[');
    for n in &report.notes {
        w.item();
        w.open('{');
        w.key_num("end", n.span.end);
        w.key_num("input", n.span.input);
        w.key_num("line", line(n.span.input, n.span.start));
        w.key_str("message", &n.message);
        w.key_num("start", n.span.start);
        w.close('}');
    }
    w.close(']');
    w.key_str("primary_cause", report.primary_cause.slug());
    w.key_strs("ranking", &report.ranking);
    w.key_str("summary", &report.summary);
    w.key_num("version", 1);
    w.key("withheld_fixes");
    w.open('[');
    for x in &report.withheld {
        w.item();
        w.open('{');
        w.key_str("reason", &x.reason);
        w.key_str("title", &x.title);
        w.close('}');
    }
    w.close(']');
    w.close('}');
    w.out.push('\n');
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The contract as a `serde_json::Value`, the way it was first written: the direct
    /// writer must print exactly what serde_json prints for it.
    fn to_value(report: &Report, inputs: &[Input]) -> Value {
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

    fn same(inputs: &[Input]) {
        let report = super::super::diagnose(inputs);
        let mut expected =
            serde_json::to_string_pretty(&to_value(&report, inputs)).expect("serialise");
        expected.push('\n');
        assert_eq!(render(&report, inputs), expected);
    }

    fn fixtures(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                fixtures(&p, out);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("txt" | "yaml" | "yml" | "log")
            ) {
                out.push(p);
            }
        }
    }

    #[test]
    fn direct_writer_matches_serde_json_on_every_fixture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for d in [
            "tests/fixtures",
            "tests/corpus",
            "tests/rules",
            "src/web/examples",
        ] {
            fixtures(&root.join(d), &mut files);
        }
        assert!(files.len() > 20, "fixtures found: {}", files.len());
        // Every part of the contract is exercised by some fixture.
        let mut seen = [0usize; 6];
        for p in &files {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            let inputs = vec![Input {
                name: p.display().to_string(),
                text,
            }];
            let r = super::super::diagnose(&inputs);
            seen[0] += r.findings.len();
            seen[1] += r.findings.iter().filter(|f| f.fix.is_some()).count();
            seen[2] += usize::from(r.corrected_manifest.is_some());
            seen[3] += r.advice.len();
            seen[4] += r.withheld.len();
            seen[5] += r.notes.len();
            same(&inputs);
        }
        assert!(seen.iter().all(|&n| n > 0), "parts seen: {seen:?}");
    }

    #[test]
    fn direct_writer_escapes_like_serde_json() {
        let text = "Warning  BackOff  Back-off restarting failed container \"a\\b\"\t\u{1}\u{8}\u{c}\r\u{1f}\u{7f} é 漢 🙂\nReason: OOMKilled\nExit Code: 137\n";
        same(&[
            Input {
                name: "odd \"name\"\\\u{0}\u{1b}/\u{2028}".into(),
                text: text.into(),
            },
            Input {
                name: String::new(),
                text: String::new(),
            },
        ]);
        same(&[]);
    }
}
