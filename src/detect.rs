//! Detection: split one paste into typed segments (describe output, YAML, event tables, logs…).
//!
//! Real pastes mix a shell prompt, a `kubectl get pods` table, half a `describe pod`, prose, a
//! fenced YAML block and a log tail. Each line is classified, then runs of lines are grouped
//! into segments. Markdown fences and prompts always end a segment.

use crate::span::{lines, Span};
use serde::Serialize;

macro_rules! kinds {
    ($($variant:ident => $slug:literal;)*) => {
        /// What a piece of a paste is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SegmentKind { $($variant,)* }
        impl SegmentKind {
            pub fn slug(self) -> &'static str {
                match self { $(SegmentKind::$variant => $slug,)* }
            }
        }
    };
}

kinds! {
    DescribePod => "describe-pod";
    DescribeJob => "describe-job";
    DescribeCronJob => "describe-cronjob";
    Events => "events";
    Table => "table";
    Yaml => "yaml";
    Json => "json";
    Command => "command";
    Logs => "logs";
    Prose => "prose";
}

impl Serialize for SegmentKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub kind: SegmentKind,
    #[serde(flatten)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Blank,
    Fence,
    Prompt,
    YamlStart,
    DocSep,
    DescribeStart,
    DescribeKey,
    EventsHeader,
    TableHeader,
    Indented,
    JsonStart,
    Other,
}

const DESCRIBE_KEYS: &[&str] = &[
    "Namespace:",
    "Priority:",
    "Service Account:",
    "Node:",
    "Start Time:",
    "Labels:",
    "Annotations:",
    "Status:",
    "IP:",
    "IPs:",
    "Controlled By:",
    "Containers:",
    "Init Containers:",
    "Conditions:",
    "Volumes:",
    "QoS Class:",
    "Node-Selectors:",
    "Tolerations:",
    "Events:",
    "Selector:",
    "Parallelism:",
    "Completions:",
    "Completion Mode:",
    "Suspend:",
    "Backoff Limit:",
    "Pods Statuses:",
    "Pod Template:",
    "Schedule:",
    "Concurrency Policy:",
    "Last State:",
    "State:",
    "Reason:",
    "Message:",
    "Exit Code:",
];

fn classify(line: &str) -> Line {
    let t = line.trim();
    if t.is_empty() {
        return Line::Blank;
    }
    if t.starts_with("```") || t.starts_with("~~~") {
        return Line::Fence;
    }
    if t.starts_with("$ ")
        || t.starts_with("# kubectl")
        || t.starts_with("> kubectl")
        || t.starts_with("kubectl ")
        || t.contains("$ kubectl ")
    {
        return Line::Prompt;
    }
    if t == "---" || t.starts_with("--- ") {
        return Line::DocSep;
    }
    let indented = line.starts_with(' ') || line.starts_with('\t');
    if !indented && (t.starts_with("apiVersion:") || t.starts_with("kind:")) {
        return Line::YamlStart;
    }
    if !indented && (t.starts_with('{') || t == "[") {
        return Line::JsonStart;
    }
    if !indented && t.starts_with("Name:") && t.len() > 5 && t[5..].starts_with([' ', '\t']) {
        return Line::DescribeStart;
    }
    let words: Vec<&str> = t.split_whitespace().take(6).collect();
    if (words.first() == Some(&"Type") && words.get(1) == Some(&"Reason"))
        || (words.windows(2).any(|w| w == ["LAST", "SEEN"]) && t.contains("REASON"))
    {
        return Line::EventsHeader;
    }
    let header_words = |w: &&str| {
        w.chars()
            .all(|c| c.is_ascii_uppercase() || "-()/".contains(c))
    };
    if matches!(words.first(), Some(&"NAME" | &"NAMESPACE"))
        && words.len() >= 2
        && words.iter().skip(1).all(header_words)
    {
        return Line::TableHeader;
    }
    if DESCRIBE_KEYS.iter().any(|k| t.starts_with(k)) {
        return Line::DescribeKey;
    }
    if indented {
        return Line::Indented;
    }
    Line::Other
}

/// Split input number `input` into segments, in order. Prose between pieces becomes `prose`
/// segments; lines that look like program output become `logs`.
pub fn detect(input: usize, text: &str) -> Vec<Segment> {
    let all: Vec<(usize, usize, Line)> = lines(text)
        .map(|(s, e)| (s, e, classify(&text[s..e])))
        .collect();
    let mut out: Vec<Segment> = Vec::new();
    let mut i = 0;
    let push = |out: &mut Vec<Segment>, kind: SegmentKind, s: usize, e: usize| {
        if e > s {
            // Merge with a preceding segment of the same kind (e.g. split by a blank line).
            if let Some(last) = out.last_mut() {
                if last.kind == kind && matches!(kind, SegmentKind::Logs | SegmentKind::Prose) {
                    last.span.end = e;
                    return;
                }
            }
            out.push(Segment {
                kind,
                span: Span::new(input, s, e),
            });
        }
    };
    while i < all.len() {
        let (s, e, class) = all[i];
        match class {
            Line::Blank | Line::Fence => {
                i += 1;
            }
            Line::Prompt => {
                push(&mut out, SegmentKind::Command, s, with_terminator(text, e));
                i += 1;
            }
            Line::YamlStart | Line::DocSep | Line::JsonStart => {
                let json = class == Line::JsonStart;
                let mut j = i + 1;
                while j < all.len() {
                    let c = all[j].2;
                    if matches!(
                        c,
                        Line::Fence
                            | Line::Prompt
                            | Line::DescribeStart
                            | Line::EventsHeader
                            | Line::TableHeader
                    ) {
                        break;
                    }
                    if json
                        && c == Line::Other
                        && text[all[j].0..all[j].1].trim_start().starts_with('}')
                    {
                        j += 1;
                        break;
                    }
                    if !json && c == Line::Other && !yamlish(&text[all[j].0..all[j].1]) {
                        break;
                    }
                    j += 1;
                }
                let end = last_nonblank(text, &all, i, j);
                push(
                    &mut out,
                    if json {
                        SegmentKind::Json
                    } else {
                        SegmentKind::Yaml
                    },
                    s,
                    end,
                );
                i = j;
            }
            Line::DescribeStart | Line::DescribeKey => {
                let mut j = i + 1;
                while j < all.len() {
                    let c = all[j].2;
                    if matches!(
                        c,
                        Line::Fence | Line::Prompt | Line::YamlStart | Line::TableHeader
                    ) {
                        break;
                    }
                    if c == Line::Other && !describe_like(&text[all[j].0..all[j].1]) {
                        break;
                    }
                    if c == Line::Blank {
                        // A blank line ends the object unless another object or key follows.
                        let next = all[j + 1..]
                            .iter()
                            .find(|l| l.2 != Line::Blank)
                            .map(|l| l.2);
                        if !matches!(
                            next,
                            Some(Line::DescribeStart | Line::DescribeKey | Line::Indented)
                        ) {
                            break;
                        }
                    }
                    j += 1;
                }
                let end = last_nonblank(text, &all, i, j);
                let seg_text = &text[s..end];
                let kind = match crate::parse::describe::describe_kind(seg_text) {
                    Some("describe-job") => SegmentKind::DescribeJob,
                    Some("describe-cronjob") => SegmentKind::DescribeCronJob,
                    Some(_) => SegmentKind::DescribePod,
                    None if class == Line::DescribeKey
                        && seg_text.trim_start().starts_with("Events:") =>
                    {
                        SegmentKind::Events
                    }
                    None => SegmentKind::DescribePod,
                };
                push(&mut out, kind, s, end);
                i = j;
            }
            Line::EventsHeader | Line::TableHeader => {
                let mut j = i + 1;
                while j < all.len()
                    && !matches!(
                        all[j].2,
                        Line::Blank
                            | Line::Fence
                            | Line::Prompt
                            | Line::YamlStart
                            | Line::DescribeStart
                    )
                {
                    j += 1;
                }
                let kind = if class == Line::EventsHeader {
                    SegmentKind::Events
                } else {
                    SegmentKind::Table
                };
                push(&mut out, kind, s, with_terminator(text, all[j - 1].1));
                i = j;
            }
            Line::Indented | Line::Other => {
                let mut j = i + 1;
                while j < all.len() && matches!(all[j].2, Line::Indented | Line::Other) {
                    j += 1;
                }
                let end = with_terminator(text, all[j - 1].1);
                let kind = if looks_like_prose(&text[s..end]) {
                    SegmentKind::Prose
                } else {
                    SegmentKind::Logs
                };
                push(&mut out, kind, s, end);
                i = j;
            }
        }
    }
    out
}

/// End of the last non-blank line in `from..to`, including its line terminator.
fn last_nonblank(text: &str, all: &[(usize, usize, Line)], from: usize, to: usize) -> usize {
    let end = all[from..to]
        .iter()
        .rev()
        .find(|l| l.2 != Line::Blank)
        .map(|l| l.1)
        .unwrap_or(all[from].1);
    with_terminator(text, end)
}

fn with_terminator(text: &str, end: usize) -> usize {
    let rest = &text.as_bytes()[end.min(text.len())..];
    match rest {
        [b'\r', b'\n', ..] => end + 2,
        [b'\n', ..] => end + 1,
        _ => end,
    }
}

fn yamlish(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('#') || t.starts_with("- ") || t == "-" || t.contains(": ") || t.ends_with(':')
}

fn describe_like(line: &str) -> bool {
    let t = line.trim();
    t.ends_with(':') || t.contains(":  ") || t.contains(":\t") || t.contains('=')
}

/// Sentences: mostly words, ending in punctuation, few digits and symbols.
fn looks_like_prose(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let signals = [
        "error",
        "fatal",
        "exception",
        "traceback",
        "panic",
        "killed",
        "exit code",
        "exit_code",
        "oomkilled",
        "failed",
        "refused",
        "denied",
        "not found",
    ];
    if signals.iter().any(|s| lower.contains(s)) {
        return false;
    }
    let words = text.split_whitespace().count();
    let letters = text
        .chars()
        .filter(|c| c.is_alphabetic() || c.is_whitespace())
        .count();
    words >= 3 && letters * 10 >= text.chars().count() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        detect(0, text).iter().map(|s| s.kind.slug()).collect()
    }

    #[test]
    fn pod_then_yaml() {
        let text = "$ kubectl describe pod x\nName:         x\nNamespace:    default\nContainers:\n  c:\n    State:  Running\n\n```yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\n```\n";
        assert_eq!(kinds(text), ["command", "describe-pod", "yaml"]);
    }

    #[test]
    fn fragment_is_a_pod() {
        let text = "Containers:\n    <name>:\n    ...\n    Last State:     Terminated\n        Reason:       OOMKilled\n";
        assert_eq!(kinds(text), ["describe-pod"]);
    }
}
