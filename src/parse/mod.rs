//! Parsing: typed, spanned facts from detected segments. Parsers never fail: what cannot be
//! read becomes a [`ParseNote`].

pub mod cluster;
pub mod describe;
pub mod events;
pub mod logs;
pub mod objects;
pub mod quantity;
pub mod signals;
pub mod statuses;
pub mod table;
pub mod yaml;
#[cfg(test)]
mod yaml_oracle;
mod yaml_read;

use crate::detect::{clean, detect, Segment, SegmentKind};
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
    let patterns = signals::Patterns::default();
    for (n, input) in inputs.iter().enumerate() {
        let segments = read(n, &input.text, &patterns, &mut parsed.facts);
        parsed.segments.push(segments);
    }
    parsed
}

/// Parse one text as input number `input` (detect + parse), for callers holding a single paste.
pub fn parse_text(input: usize, text: &str) -> (Vec<Segment>, Facts) {
    let mut facts = Facts::default();
    let segments = read(input, text, &signals::Patterns::default(), &mut facts);
    (segments, facts)
}

/// Detect the segments of input `input` and read each into `facts`.
fn read(input: usize, text: &str, patterns: &signals::Patterns, facts: &mut Facts) -> Vec<Segment> {
    // ANSI colour escapes and quote markers are blanked to spaces of the same length:
    // offsets into the cleaned text are offsets into the paste.
    let text = clean(text);
    let segments = detect(input, &text);
    let lines = Lines::new();
    for seg in &segments {
        parse_segment(&text, &lines, seg, patterns, facts);
    }
    segments
}

fn parse_segment(
    text: &str,
    lines: &Lines,
    seg: &Segment,
    patterns: &signals::Patterns,
    facts: &mut Facts,
) {
    let Span { input, start, end } = seg.span;
    match seg.kind {
        SegmentKind::DescribePod => {
            let pods = describe::parse_pods(text, input, start, end);
            if pods.is_empty() {
                facts.notes.push(ParseNote {
                    span: seg.span,
                    message: format!(
                        "the describe output at line {} names no pod, container or event that could be read",
                        line_of(text, lines, start)
                    ),
                });
            }
            for p in &pods {
                facts
                    .hpa_metric_errors
                    .extend(cluster::hpa_errors_from_events(text, &p.events));
            }
            facts.pods.extend(pods);
        }
        SegmentKind::DescribeJob | SegmentKind::DescribeCronJob => facts
            .jobs
            .extend(describe::parse_job(text, input, start, end)),
        SegmentKind::DescribeHpa => {
            if let Some(h) = describe::parse_hpa(text, input, start, end) {
                facts
                    .hpa_metric_errors
                    .extend(cluster::hpa_errors_from_events(text, &h.events));
                facts.hpas.push(h);
            }
        }
        SegmentKind::Events => {
            let (events, notes) = events::parse_events_with_notes(text, input, start, end);
            if events.is_empty() && !is_empty_events(text, seg.span) {
                facts.notes.push(ParseNote {
                    span: seg.span,
                    message: format!(
                        "the events table at line {} has no row that could be read",
                        line_of(text, lines, start)
                    ),
                });
            }
            facts
                .hpa_metric_errors
                .extend(cluster::hpa_errors_from_events(text, &events));
            facts.events.extend(events);
            facts.notes.extend(notes);
        }
        SegmentKind::Table => {
            let (rows, notes) = table::parse_table(text, input, start, end);
            facts.table_rows.extend(rows);
            facts.notes.extend(notes);
        }
        SegmentKind::Yaml | SegmentKind::Json => read_manifests(text, lines, seg.span, facts),
        SegmentKind::Command => facts.commands.extend(read_command(text, seg.span)),
        SegmentKind::DescribeOther
        | SegmentKind::Logs
        | SegmentKind::ClientError
        | SegmentKind::Kubeadm
        | SegmentKind::EtcdLog
        | SegmentKind::Journal
        | SegmentKind::Prose => {}
    }
    // Log signals are looked for everywhere but inside manifests and tables: an OOM line can
    // sit in a describe message, a scheduler log or a CI job log.
    let manifest = matches!(seg.kind, SegmentKind::Yaml | SegmentKind::Json);
    if !manifest && seg.kind != SegmentKind::Table {
        facts
            .log_signals
            .extend(logs::scan(text, input, start, end));
        let hpa_lines = seg.kind.is_log_like() || seg.kind == SegmentKind::Prose;
        cluster::scan(text, input, start, end, hpa_lines, facts);
        facts.pods.extend(statuses::scan(text, input, start, end));
    }
    if !manifest {
        facts
            .pod_rows
            .extend(signals::pod_rows(text, input, start, end));
    }
    facts.signals.extend(signals::scan_with(
        text, input, start, end, manifest, patterns,
    ));
}

/// `Events:  <none>` and an empty `Events:` section are not unreadable tables.
fn is_empty_events(text: &str, span: Span) -> bool {
    span.text(text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .all(|l| {
            crate::wording::any_eq(l, crate::wording::phrases!["Events:", "<none>"])
                || l.ends_with("<none>")
        })
}

/// Line starts of one paste, built on the first note that needs a line number.
type Lines = std::cell::OnceCell<crate::span::LineIndex>;

/// 1-based line number of a byte offset.
fn line_of(text: &str, lines: &Lines, offset: usize) -> usize {
    lines
        .get_or_init(|| crate::span::LineIndex::new(text))
        .line(offset)
}

/// `region` with indented elision lines (`  ...`, `  …`), which posters put where they cut
/// keys out of an object, turned into blanks of the same length, so the YAML around them still
/// reads and every offset stays put. A `...` at column 0 is YAML's document end and stays.
pub(crate) fn blank_elisions(region: &str) -> std::borrow::Cow<'_, str> {
    let is_elision = |l: &str| {
        let t = l.trim();
        l.starts_with([' ', '\t']) && matches!(t, "..." | "…")
    };
    if !region.lines().any(is_elision) {
        return std::borrow::Cow::Borrowed(region);
    }
    let mut out = String::with_capacity(region.len());
    for l in region.split_inclusive('\n') {
        let body = l.trim_end_matches(['\n', '\r']);
        if is_elision(body) {
            out.extend(std::iter::repeat_n(' ', body.len()));
            out.push_str(&l[body.len()..]);
        } else {
            out.push_str(l);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn read_manifests(text: &str, lines: &Lines, span: Span, facts: &mut Facts) {
    let Some(region) = text.get(span.start..span.end) else {
        return;
    };
    let elided = blank_elisions(region);
    let (docs, err) = yaml::parse_documents(&elided);
    for (document, doc) in docs.into_iter().enumerate() {
        let root = shift(doc.root, span.start);
        objects::read_object(&root, span.input, facts);
        // Items of a `kind: List` are manifests of their own (same piece, same document).
        let items: Vec<yaml::Node> = root
            .get("items")
            .map(|i| i.items().iter().filter(|n| n.is_map()).cloned().collect())
            .unwrap_or_default();
        let doc_span = Span::new(span.input, doc.start + span.start, doc.end + span.start);
        facts
            .manifests
            .push(manifest(root, doc_span, span, document));
        for item in items {
            let item_span = Span::new(span.input, item.start, item.end);
            facts
                .manifests
                .push(manifest(item, item_span, span, document));
        }
    }
    if let Some(e) = err {
        if !facts.kubeconfigs.iter().any(|k| {
            k.span.input == span.input && k.span.start >= span.start && k.span.end <= span.end
        }) {
            facts.kubeconfigs.extend(objects::kubeconfig_from_lines(
                text, span.input, span.start, span.end,
            ));
        }
        let at = (span.start + e.offset).min(span.end);
        facts.notes.push(ParseNote {
            span: Span::new(span.input, at, at),
            message: format!(
                "the YAML block could not be read past line {}: {}",
                line_of(text, lines, at),
                e.message
            ),
        });
    }
}

fn manifest(root: yaml::Node, span: Span, segment: Span, document: usize) -> Manifest {
    let get = |path: &[&str]| {
        root.path(path).and_then(|n| {
            n.as_str()
                .map(|v| Spanned::new(v.to_string(), Span::new(segment.input, n.start, n.end)))
        })
    };
    Manifest {
        span,
        segment,
        document,
        kind: get(&["kind"]),
        api_version: get(&["apiVersion"]),
        name: get(&["metadata", "name"]),
        namespace: get(&["metadata", "namespace"]),
        root: root.clone(),
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
    // `kubectl …`, or the common aliases `k …` / `oc …` after a prompt.
    let (at, len) = match line.find("kubectl ") {
        Some(at) => (at, "kubectl ".len()),
        None => ["$ k ", "# k ", "$ oc ", "# oc "]
            .iter()
            .find_map(|p| line.find(p).map(|at| (at + 2, p.len() - 2)))?,
    };
    let words: Vec<String> = line
        .get(at + len..)?
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let namespace = words.iter().enumerate().find_map(|(i, w)| {
        if crate::wording::any_eq(w, crate::wording::phrases!["-n", "--namespace"]) {
            words.get(i + 1).cloned()
        } else {
            w.strip_prefix("--namespace=")
                .or_else(|| w.strip_prefix("-n="))
                .map(str::to_string)
        }
    });
    // Positional words, skipping flags and their values.
    let mut positional = Vec::new();
    let mut skip_next = false;
    for w in &words {
        if skip_next {
            skip_next = false;
            continue;
        }
        if w.starts_with('-') {
            skip_next = !w.contains('=')
                && crate::wording::any_eq(
                    w.as_str(),
                    crate::wording::phrases![
                        "-n",
                        "--namespace",
                        "-l",
                        "--selector",
                        "-o",
                        "--output",
                        "-c",
                        "--container",
                        "-f",
                        "--filename",
                        "--context",
                        "--tail",
                        "--kubeconfig",
                        "--field-selector"
                    ],
                );
            continue;
        }
        if crate::wording::any_eq(
            w.as_str(),
            crate::wording::phrases!["|", ">", "&&", ";", "2>&1"],
        ) {
            break;
        }
        positional.push(w.as_str());
    }
    let verb = positional.first().map(|v| v.to_string());
    let object = match positional.as_slice() {
        [_, ty, name, ..] if !ty.contains('/') => Some(format!("{ty}/{name}")),
        [_, obj, ..] => Some(obj.to_string()),
        _ => None,
    };
    Some(CommandLine {
        span,
        words,
        namespace,
        verb,
        object,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_elisions_are_blanked_in_place() {
        let t = "status:\n  ...\n  phase: Failed\n  …\n";
        let out = blank_elisions(t);
        assert_eq!(out.len(), t.len());
        assert!(!out.contains("..."));
        assert!(!out.contains('…'));
        let (docs, err) = yaml::parse_documents(&out);
        assert!(err.is_none());
        assert_eq!(
            docs[0]
                .root
                .path(&["status", "phase"])
                .and_then(|n| n.as_str()),
            Some("Failed")
        );
        // A document end at column 0 and a `...` inside a value are kept.
        let t = "a: 1\n...\nb: \"wait ...\"\n";
        assert_eq!(blank_elisions(t), t);
    }
}
