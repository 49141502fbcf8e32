//! Parsing: typed, spanned facts from detected segments. Parsers never fail: what cannot be
//! read becomes a [`ParseNote`].

pub mod describe;
pub mod events;
pub mod logs;
pub mod quantity;
pub mod signals;
pub mod yaml;

use crate::detect::{detect, Segment, SegmentKind};
use crate::facts::{CommandLine, Facts, Manifest, ParseNote};
use crate::span::{Span, Spanned};
use crate::Input;

/// What was read from all inputs: the segments of each input and the facts.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub segments: Vec<Vec<Segment>>,
    pub facts: Facts,
}

pub fn parse(inputs: &[Input]) -> Parsed {
    let mut parsed = Parsed::default();
    for (n, input) in inputs.iter().enumerate() {
        let segments = detect(n, &input.text);
        for seg in &segments {
            parse_segment(&input.text, seg, &mut parsed.facts);
        }
        parsed.segments.push(segments);
    }
    parsed
}

fn parse_segment(text: &str, seg: &Segment, facts: &mut Facts) {
    let Span { input, start, end } = seg.span;
    match seg.kind {
        SegmentKind::DescribePod => facts
            .pods
            .extend(describe::parse_pods(text, input, start, end)),
        SegmentKind::DescribeJob | SegmentKind::DescribeCronJob => facts
            .jobs
            .extend(describe::parse_job(text, input, start, end)),
        SegmentKind::Events => facts
            .events
            .extend(events::parse_events_table(text, input, start, end)),
        SegmentKind::Yaml | SegmentKind::Json => read_manifests(text, seg.span, facts),
        SegmentKind::Command => facts.commands.extend(read_command(text, seg.span)),
        SegmentKind::Logs | SegmentKind::Prose | SegmentKind::Table => {}
    }
    // Log signals are looked for everywhere but inside manifests: an OOM line can sit in a
    // describe message, a scheduler log or a CI job log.
    let manifest = matches!(seg.kind, SegmentKind::Yaml | SegmentKind::Json);
    if !manifest {
        facts
            .log_signals
            .extend(logs::scan(text, input, start, end));
        facts
            .pod_rows
            .extend(signals::pod_rows(text, input, start, end));
    }
    facts
        .signals
        .extend(signals::scan(text, input, start, end, manifest));
}

fn read_manifests(text: &str, span: Span, facts: &mut Facts) {
    let Some(region) = text.get(span.start..span.end) else {
        return;
    };
    let (docs, err) = yaml::parse_documents(region);
    for (document, doc) in docs.into_iter().enumerate() {
        let root = shift(doc.root, span.start);
        let get = |path: &[&str]| {
            root.path(path).and_then(|n| {
                n.as_str()
                    .map(|v| Spanned::new(v.to_string(), Span::new(span.input, n.start, n.end)))
            })
        };
        facts.manifests.push(Manifest {
            span: Span::new(span.input, doc.start + span.start, doc.end + span.start),
            segment: span,
            document,
            kind: get(&["kind"]),
            api_version: get(&["apiVersion"]),
            name: get(&["metadata", "name"]),
            namespace: get(&["metadata", "namespace"]),
            root: root.clone(),
        });
    }
    if let Some(e) = err {
        let at = span.start + e.offset;
        facts.notes.push(ParseNote {
            span: Span::new(span.input, at, at.min(span.end)),
            message: format!(
                "the YAML block could not be read past line {}: {}",
                e.line, e.message
            ),
        });
    }
}

/// Move a tree parsed from a sub-slice to offsets into the whole input.
fn shift(mut node: yaml::Node, by: usize) -> yaml::Node {
    node.start += by;
    node.end += by;
    node.kind = match node.kind {
        yaml::NodeKind::Map { entries, flow } => yaml::NodeKind::Map {
            entries: entries
                .into_iter()
                .map(|(k, v)| (shift(k, by), shift(v, by)))
                .collect(),
            flow,
        },
        yaml::NodeKind::Seq { items, flow } => yaml::NodeKind::Seq {
            items: items.into_iter().map(|n| shift(n, by)).collect(),
            flow,
        },
        other => other,
    };
    node
}

fn read_command(text: &str, span: Span) -> Option<CommandLine> {
    let line = span.text(text);
    let at = line.find("kubectl ")?;
    let words: Vec<String> = line[at + "kubectl ".len()..]
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let namespace = words.iter().enumerate().find_map(|(i, w)| {
        if w == "-n" || w == "--namespace" {
            words.get(i + 1).cloned()
        } else {
            w.strip_prefix("--namespace=")
                .or_else(|| w.strip_prefix("-n="))
                .map(str::to_string)
        }
    });
    Some(CommandLine {
        span,
        words,
        namespace,
    })
}
