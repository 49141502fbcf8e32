//! Detection: split one paste into typed segments (describe output, YAML, event tables, logs…).
//!
//! Real pastes mix a shell prompt, a `kubectl get pods` table, half a `describe pod`, prose, a
//! fenced YAML block and a log tail. Each line is classified, then runs of lines are grouped
//! into segments. Markdown fences and prompts always end a segment.
//!
//! ANSI colour escapes are blanked to spaces of the same byte length ([`strip_ansi`]) before
//! anything is classified, so every span still points into the original paste.
//!
//! # Limitations
//! - A colour escape at the start of a line shifts that line's indentation (the escape becomes
//!   spaces); output coloured key by key (`kubecolor describe`) is therefore not read as
//!   describe output. Coloured `kubectl get` tables fall back to splitting on runs of spaces.
//! - A hard-wrapped line is joined back only where the layout shows it (a describe value, an
//!   event message, a kubeadm check); elsewhere it stays two lines.
//! - Quoted pastes (`> ` at every line start) are not unquoted.

use crate::span::{lines, Span};
use crate::wording::{any_eq, any_in, any_prefix, phrases};
use serde::Serialize;

macro_rules! kinds {
    ($($(#[$m:meta])* $variant:ident => $slug:literal;)*) => {
        /// What a piece of a paste is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SegmentKind { $($(#[$m])* $variant,)* }
        impl SegmentKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [SegmentKind] = &[$(SegmentKind::$variant,)*];

            /// Picked from one literal by the variant's position (declared without values).
            pub fn slug(self) -> &'static str {
                crate::wording::nth(crate::wording::phrases![$($slug),*], self as usize)
            }
        }
    };
}

kinds! {
    DescribePod => "describe-pod";
    DescribeJob => "describe-job";
    DescribeCronJob => "describe-cronjob";
    DescribeHpa => "describe-hpa";
    /// `kubectl describe` of another kind (node, deployment, …).
    DescribeOther => "describe-other";
    Events => "events";
    Table => "table";
    Yaml => "yaml";
    Json => "json";
    Command => "command";
    Logs => "logs";
    /// kubectl / client-go error output (connection refused, bad kubeconfig, memcache.go lines).
    ClientError => "client-error";
    /// kubeadm output with `[preflight]` / `[ERROR …]` lines.
    Kubeadm => "kubeadm";
    /// etcd server logs (text or JSON).
    EtcdLog => "etcd-log";
    /// systemd unit status and journal lines.
    Journal => "journal";
    Prose => "prose";
}

impl Serialize for SegmentKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

impl SegmentKind {
    /// Line-oriented output (logs and their subkinds): scanned for log signals and cluster errors.
    pub fn is_log_like(self) -> bool {
        matches!(
            self,
            SegmentKind::Logs
                | SegmentKind::ClientError
                | SegmentKind::Kubeadm
                | SegmentKind::EtcdLog
                | SegmentKind::Journal
        )
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
    /// An event row without a header above it (`Warning  FailedScheduling  …`).
    EventRow,
    TableHeader,
    /// `...` or `…`: an elided part of a paste.
    Elided,
    Indented,
    JsonStart,
    Other,
}

const DESCRIBE_KEYS: &[&str] = &[
    "Namespace:",
    "Priority:",
    "Priority Class Name:",
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
    "Restart Count:",
    "Reference:",
    "Min replicas:",
    "Max replicas:",
];

/// Top-level keys that start a Kubernetes object or kubeconfig written as YAML.
const YAML_KEYS: &[&str] = &[
    "apiVersion:",
    "kind:",
    "metadata:",
    "spec:",
    "status:",
    "items:",
    "clusters:",
    "contexts:",
    "users:",
    "current-context:",
    "preferences:",
    "data:",
    // Parts of a pod status cut out with `yq`/`jq -r` or `-o jsonpath`.
    "containerStatuses:",
    "initContainerStatuses:",
    "- containerID:",
    // A list of objects printed as YAML (`kubectl get events -o yaml` through a filter).
    "- apiVersion:",
    "- kind:",
];

/// Commands people run in front of pasted output.
const COMMANDS: &str = phrases![
    "kubectl",
    "k",
    "kubeadm",
    "helm",
    "docker",
    "crictl",
    "systemctl",
    "journalctl",
    "cat",
    "kind",
    "minikube",
    "sudo",
    "etcdctl",
    "oc",
    "ctr",
    "nerdctl",
    "curl",
    "kubens",
    "kubectx",
    "stern",
    "k9s",
    "echo",
    "export",
    "vagrant",
    "swapoff",
    "free",
    "ls",
    "tail",
    "microk8s",
    "watch",
];

/// Replace ANSI escape sequences (CSI, OSC and two-byte escapes) with spaces of the same byte
/// length, so that classification and parsing see clean text while every byte offset still
/// points into the original paste.
pub fn strip_ansi(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\u{1b}') {
        return std::borrow::Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != 0x1b {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        match bytes.get(j) {
            Some(b'[') => {
                j += 1;
                while j < bytes.len() && (0x20..0x40).contains(&bytes[j]) {
                    j += 1;
                }
                if j < bytes.len() && (0x40..0x7f).contains(&bytes[j]) {
                    j += 1;
                }
            }
            Some(b']') => {
                j += 1;
                while j < bytes.len() && bytes[j] != 0x07 && bytes[j] != b'\n' {
                    if bytes[j] == 0x1b && bytes.get(j + 1) == Some(&b'\\') {
                        j += 1;
                        break;
                    }
                    j += 1;
                }
                if j < bytes.len() && bytes[j] != b'\n' {
                    j += 1;
                }
            }
            Some(b) if (0x40..0x60).contains(b) => j += 1,
            _ => {}
        }
        // Never stop inside a multi-byte character.
        while j < bytes.len() && !text.is_char_boundary(j) {
            j += 1;
        }
        for b in out.iter_mut().take(j).skip(start) {
            *b = b' ';
        }
        i = j.max(start + 1);
    }
    match String::from_utf8(out) {
        Ok(s) => std::borrow::Cow::Owned(s),
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

/// The backtick runs that wrap one line as Markdown code rather than open or close a fenced
/// block: ``` ``` FailedScheduling: 0/8 nodes are available … ``` ``` (a fence marker with text
/// after it on the same line) and `` `/bin/sh: 1: /x.sh: Permission denied` `` (a whole line
/// in inline code). Returned as byte ranges of the line `l`, which starts at `at`. A fence
/// proper (```` ``` ```` alone or with an info string such as `yaml`) is left as it is.
fn code_wrappers(l: &str, at: usize) -> Vec<(usize, usize)> {
    let lead = l.len() - l.trim_start().len();
    let t = l.trim();
    let open = t.len() - t.trim_start_matches('`').len();
    if open == 0 {
        return Vec::new();
    }
    let inner = t[open..].trim_end_matches('`');
    let close = t.len() - open - inner.len();
    if inner.trim().is_empty() {
        return Vec::new();
    }
    let wraps = if open >= 3 {
        // Text with spaces after a fence marker is content, not an info string.
        inner.trim().contains(char::is_whitespace)
    } else {
        // Inline code around the whole line, with nothing after the closing run.
        close == open && !inner.contains('`')
    };
    if !wraps {
        return Vec::new();
    }
    let start = at + lead;
    let end = start + t.len();
    let mut out = vec![(start, start + open)];
    if close > 0 {
        out.push((end - close, end));
    }
    out
}

/// Blank what is not content but decoration, keeping every byte offset: ANSI escapes
/// ([`strip_ansi`]), the `> ` markers of a quoted block (two or more lines in a row starting
/// with `>`, as in a quoted e-mail or issue comment), which then reads as an indented block,
/// and the backticks that wrap a single line as Markdown code ([`code_wrappers`]).
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let text = strip_ansi(text);
    let quoted =
        |l: &str| l.starts_with('>') && !l.starts_with(">>") && !l.starts_with("> kubectl");
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut prev_quoted = false;
    let mut pending: Option<(usize, usize)> = None;
    for (s, e) in lines(&text) {
        let l = text.get(s..e).unwrap_or("");
        if l.trim_start().starts_with('`') {
            runs.extend(code_wrappers(l, s));
        }
        if quoted(l) {
            if prev_quoted {
                if let Some(p) = pending.take() {
                    runs.push(p);
                }
                runs.push((s, s + 1));
            } else {
                pending = Some((s, s + 1));
            }
            prev_quoted = true;
        } else {
            pending = None;
            prev_quoted = false;
        }
    }
    if runs.is_empty() {
        return text;
    }
    let mut out = text.into_owned();
    for (s, e) in runs {
        // `>` and backticks are one ASCII byte each: the replacement keeps every offset.
        if let Some(marks) = out
            .get(s..e)
            .filter(|m| m.bytes().all(|b| b == b'>' || b == b'`'))
        {
            let blank = " ".repeat(marks.len());
            out.replace_range(s..e, &blank);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A shell prompt line: `$ kubectl …`, `# kubectl …`, `[root@host ~]# kubectl …`,
/// `user@host:~$ helm …`, `PS C:\> kubectl …`, or a bare `kubectl …`.
fn is_prompt(t: &str) -> bool {
    prompt_command(t).is_some()
}

/// The command of a shell prompt line (see [`is_prompt`]): `kubectl logs x` in
/// `[root@host ~]# kubectl logs x`.
pub(crate) fn prompt_command(t: &str) -> Option<&str> {
    if !t.contains("$ ")
        && !t.contains("# ")
        && !t.contains("> ")
        && !t.contains("% ")
        && !t.contains("$\t")
        && !t.starts_with("kube")
    {
        return None;
    }
    let first = |rest: &str| {
        let w = rest.split_whitespace().next().unwrap_or("");
        any_eq(w, COMMANDS) || w.starts_with("./") || w.ends_with(".sh")
    };
    if crate::wording::any_prefix(t, crate::wording::phrases!["kubectl ", "kubeadm "]) {
        return Some(t);
    }
    if let Some(rest) = t.strip_prefix("$ ").or_else(|| t.strip_prefix("$\t")) {
        return (!rest.trim().is_empty()).then(|| rest.trim());
    }
    for &marker in &["$ ", "# ", "> ", "% "] {
        let mut from = 0;
        while let Some(p) = t.get(from..).and_then(|r| r.find(marker)) {
            let at = from + p;
            let before = &t[..at];
            let after = &t[at + marker.len()..];
            let prompt_like = before.is_empty()
                || before.ends_with(']')
                || before.ends_with('~')
                || before.ends_with(')')
                || before.ends_with(':')
                || (before.contains('@') && !before.contains(' '))
                // `(venv) user@host:~/dir$ …`
                || before
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| w.contains('@') && w.contains(':'))
                // zsh's `user@host dir % …`
                || (before.split_whitespace().count() == 2
                    && before.split_whitespace().next().is_some_and(|w| w.contains('@')))
                || before.ends_with("PS C:\\")
                || before.ends_with('\\');
            if prompt_like && first(after.trim_start()) {
                return Some(after.trim());
            }
            from = at + marker.len();
        }
    }
    None
}

/// The command of the shell prompt line above the end of `above`, with where that line starts:
/// the nearest prompt line at any distance, or with `nearest_only` the nearest non-blank line
/// when it is a prompt.
pub(crate) fn prompt_above(above: &str, nearest_only: bool) -> Option<(usize, &str)> {
    for l in above.lines().rev() {
        if nearest_only && l.trim().is_empty() {
            continue;
        }
        let command = prompt_command(l.trim());
        if command.is_some() || nearest_only {
            // `l` is a piece of `above`: its offset is the distance between the two starts.
            return command.map(|c| (l.as_ptr() as usize - above.as_ptr() as usize, c));
        }
    }
    None
}

/// Cells split on tabs or runs of two spaces.
fn row_words(t: &str) -> Vec<&str> {
    crate::parse::events::cells(t, 64)
        .into_iter()
        .filter_map(|(s, e)| t.get(s..e))
        .collect()
}

/// `Warning  FailedScheduling  …` without a header: a `Normal`/`Warning` cell followed by a
/// CamelCase reason.
pub(crate) fn is_event_row(t: &str) -> bool {
    let cells = row_words(t);
    cells.windows(2).take(8).any(|w| {
        matches!(w[0], "Normal" | "Warning")
            && w[1].len() >= 3
            && w[1].starts_with(|c: char| c.is_ascii_uppercase())
            && w[1].chars().all(|c| c.is_ascii_alphanumeric())
    })
}

fn is_events_header(words: &[&str]) -> bool {
    let has = |w: &str| words.iter().any(|x| x.eq_ignore_ascii_case(w));
    (words.first() == Some(&"Type") && words.get(1) == Some(&"Reason"))
        || (words.windows(2).any(|w| w == ["LAST", "SEEN"]) && has("REASON"))
        || (has("reason") && has("message") && words.len() <= 12)
}

fn classify(line: &str) -> Line {
    let t = line.trim();
    if t.is_empty() {
        return Line::Blank;
    }
    if t.starts_with("```") || t.starts_with("~~~") {
        return Line::Fence;
    }
    if matches!(t, "..." | "…" | "[...]" | "(...)" | "<snip>" | "[snip]") {
        return Line::Elided;
    }
    if is_prompt(t) {
        return Line::Prompt;
    }
    if t == "---" || t.starts_with("--- ") {
        return Line::DocSep;
    }
    let indented = line.starts_with(' ') || line.starts_with('\t');
    if !indented && YAML_KEYS.iter().any(|k| t.starts_with(k)) {
        return Line::YamlStart;
    }
    if !indented && (t.starts_with('{') || t == "[" || t.starts_with("[{")) {
        // A one-line JSON record without `kind`/`apiVersion` is a structured log line.
        let one_line_log = t.starts_with('{')
            && t.ends_with('}')
            && !t.contains("\"apiVersion\"")
            && !t.contains("\"kind\"");
        if !one_line_log {
            return Line::JsonStart;
        }
    }
    if !indented {
        // `Name:` and a truncated first line of a paste (`ame:`, `me:`).
        for &k in &["Name:", "ame:", "me:"] {
            if let Some(rest) = t.strip_prefix(k) {
                if rest.starts_with([' ', '\t']) && !rest.trim().is_empty() {
                    return Line::DescribeStart;
                }
            }
        }
    }
    // Headers name a `Reason`/`REASON` column or start with `NAME`/`NAMESPACE`.
    if t.contains("eason") || t.contains("EASON") || t.starts_with("NAME") {
        let words: Vec<&str> = t.split_whitespace().take(12).collect();
        if is_events_header(&words) {
            return Line::EventsHeader;
        }
        let header_words = |w: &&str| {
            w.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "-()/%_".contains(c))
        };
        if matches!(words.first(), Some(&"NAME" | &"NAMESPACE"))
            && words.len() >= 2
            && words.iter().skip(1).all(header_words)
        {
            return Line::TableHeader;
        }
    }
    if DESCRIBE_KEYS.iter().any(|k| t.starts_with(k)) {
        return Line::DescribeKey;
    }
    if (t.contains("Normal") || t.contains("Warning")) && is_event_row(t) {
        return Line::EventRow;
    }
    if indented {
        return Line::Indented;
    }
    Line::Other
}

/// Split input number `input` into segments, in order. Prose between pieces becomes `prose`
/// segments; lines that look like program output become `logs` (or a more specific kind).
///
/// `text` should already have ANSI escapes blanked out ([`strip_ansi`]); spans are byte
/// offsets into it, which equal offsets into the original paste.
pub fn detect(input: usize, text: &str) -> Vec<Segment> {
    let mut all: Vec<(usize, usize, Line)> = lines(text)
        .map(|(s, e)| (s, e, classify(text.get(s..e).unwrap_or(""))))
        .collect();
    promote_indented_starts(text, &mut all);
    let line_text =
        |j: usize| -> &str { all.get(j).and_then(|l| text.get(l.0..l.1)).unwrap_or("") };
    let mut out: Vec<Segment> = Vec::new();
    let mut i = 0;
    let push = |out: &mut Vec<Segment>, kind: SegmentKind, s: usize, e: usize| {
        if e > s {
            // Merge with a preceding segment of the same kind (e.g. split by a blank line).
            if let Some(last) = out.last_mut() {
                if last.kind == kind && (kind.is_log_like() || kind == SegmentKind::Prose) {
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
    while let Some(&(s, e, class)) = all.get(i) {
        match class {
            Line::Blank | Line::Fence | Line::Elided => {
                i += 1;
            }
            Line::Prompt => {
                push(&mut out, SegmentKind::Command, s, with_terminator(text, e));
                i += 1;
            }
            Line::JsonStart => {
                let j = json_end(&all, text, i);
                let end = last_nonblank(text, &all, i, j);
                push(&mut out, SegmentKind::Json, s, end);
                i = j;
            }
            Line::DocSep
                if all
                    .get(i + 1..)
                    .and_then(|r| r.iter().find(|l| l.2 != Line::Blank))
                    .is_some_and(|l| l.2 == Line::JsonStart) =>
            {
                // `---` followed by a JSON object: one JSON piece from the separator.
                let Some(k) = (i + 1..all.len()).find(|&k| all[k].2 == Line::JsonStart) else {
                    i += 1;
                    continue;
                };
                let j = json_end(&all, text, k);
                let end = last_nonblank(text, &all, i, j);
                push(&mut out, SegmentKind::Json, s, end);
                i = j;
            }
            Line::YamlStart | Line::DocSep => {
                let first = text.get(s..e).unwrap_or("");
                let base = first.len() - first.trim_start_matches([' ', '\t']).len();
                let mut j = i + 1;
                while let Some(&(ls, le, c)) = all.get(j) {
                    let lt = text.get(ls..le).unwrap_or("");
                    // An indented block ends at the first line left of it.
                    if base > 0
                        && c != Line::Blank
                        && lt.len() - lt.trim_start_matches([' ', '\t']).len() < base
                    {
                        break;
                    }
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
                    let lt = text.get(ls..le).unwrap_or("");
                    if matches!(c, Line::Other | Line::JsonStart | Line::DescribeKey)
                        && !yamlish(lt)
                    {
                        break;
                    }
                    j += 1;
                }
                let end = last_nonblank(text, &all, i, j);
                push(&mut out, SegmentKind::Yaml, s, end);
                i = j;
            }
            Line::DescribeStart | Line::DescribeKey => {
                let base = indent_of(line_text(i));
                // Inside a container's multi-line `Message:` (a termination message is printed
                // as is: flush-left lines, blank lines) until the container's next key.
                let mut in_message = false;
                let mut j = i + 1;
                while let Some(&(_, _, c)) = all.get(j) {
                    if matches!(
                        c,
                        Line::Fence | Line::Prompt | Line::YamlStart | Line::TableHeader
                    ) {
                        break;
                    }
                    let lt = line_text(j);
                    if c != Line::Blank && indent_of(lt) > base && lt.contains(':') {
                        in_message = lt.trim_start().starts_with("Message:");
                    }
                    if in_message
                        && matches!(
                            c,
                            Line::Blank | Line::Other | Line::Indented | Line::JsonStart
                        )
                        && message_goes_on(text, &all, j, base)
                    {
                        j += 1;
                        continue;
                    }
                    if c == Line::Other && !describe_like(line_text(j)) {
                        // A hard-wrapped value (`…which e` / `xceeds its request`) sits between
                        // describe lines; anything else ends the object.
                        let next = all.get(j + 1).map(|l| l.2);
                        let prev_long = line_text(j.saturating_sub(1)).len() >= 80;
                        let wrapped = line_text(j).len() < 100
                            && (prev_long
                                || matches!(
                                    next,
                                    Some(Line::DescribeKey | Line::Indented | Line::DescribeStart)
                                ));
                        if !wrapped {
                            break;
                        }
                    }
                    if matches!(c, Line::Blank | Line::Elided) {
                        // A gap ends the object unless another object, key or row follows.
                        let next = all
                            .get(j + 1..)
                            .and_then(|r| {
                                r.iter()
                                    .find(|l| !matches!(l.2, Line::Blank | Line::Elided))
                            })
                            .map(|l| l.2);
                        if !matches!(
                            next,
                            Some(
                                Line::DescribeStart
                                    | Line::DescribeKey
                                    | Line::Indented
                                    | Line::EventRow
                                    | Line::EventsHeader
                            )
                        ) {
                            break;
                        }
                    }
                    j += 1;
                }
                let end = last_nonblank(text, &all, i, j);
                let seg_text = text.get(s..end).unwrap_or("");
                let kind = match crate::parse::describe::describe_kind(seg_text) {
                    Some("describe-job") => SegmentKind::DescribeJob,
                    Some("describe-cronjob") => SegmentKind::DescribeCronJob,
                    Some("describe-hpa") => SegmentKind::DescribeHpa,
                    Some(_) => SegmentKind::DescribePod,
                    None if seg_text.trim_start().starts_with("Events:") => SegmentKind::Events,
                    None if class == Line::DescribeStart => SegmentKind::DescribeOther,
                    None => SegmentKind::DescribePod,
                };
                push(&mut out, kind, s, end);
                i = j;
            }
            Line::EventsHeader | Line::TableHeader | Line::EventRow => {
                let mut j = i + 1;
                while all.get(j).is_some_and(|l| {
                    !matches!(
                        l.2,
                        Line::Blank
                            | Line::Fence
                            | Line::Prompt
                            | Line::YamlStart
                            | Line::DescribeStart
                            | Line::JsonStart
                            | Line::TableHeader
                    ) && (class != Line::TableHeader || l.2 != Line::EventsHeader)
                }) {
                    j += 1;
                }
                let kind = if class == Line::TableHeader {
                    SegmentKind::Table
                } else {
                    SegmentKind::Events
                };
                let last = all.get(j.saturating_sub(1)).map(|l| l.1).unwrap_or(e);
                push(&mut out, kind, s, with_terminator(text, last));
                i = j;
            }
            Line::Indented | Line::Other => {
                let mut j = i + 1;
                while all
                    .get(j)
                    .is_some_and(|l| matches!(l.2, Line::Indented | Line::Other))
                {
                    j += 1;
                }
                let last = all.get(j.saturating_sub(1)).map(|l| l.1).unwrap_or(e);
                let end = with_terminator(text, last);
                let body = text.get(s..end).unwrap_or("");
                let kind = if looks_like_prose(body) {
                    SegmentKind::Prose
                } else {
                    log_kind(body)
                };
                push(&mut out, kind, s, end);
                i = j;
            }
        }
    }
    out
}

/// A whole piece indented as a block (a Stack Overflow code block, a quoted excerpt): an
/// indented `Name:` or `apiVersion:`/`kind:` line followed by lines of the same kind at the
/// same indentation starts a describe or YAML piece all the same.
fn promote_indented_starts(text: &str, all: &mut [(usize, usize, Line)]) {
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    for i in 0..all.len() {
        let Some(&(s, e, class)) = all.get(i) else {
            break;
        };
        if class != Line::Indented {
            continue;
        }
        let line = text.get(s..e).unwrap_or("");
        let t = line.trim_start();
        let ind = indent(line);
        let next = all
            .get(i + 1..)
            .and_then(|r| r.iter().find(|l| l.2 != Line::Blank))
            .map(|&(ns, ne, c)| (c, text.get(ns..ne).unwrap_or("")));
        let Some((next_class, next_line)) = next else {
            continue;
        };
        let name_value = t
            .strip_prefix("Name:")
            .is_some_and(|r| r.starts_with([' ', '\t']) && !r.trim().is_empty());
        if name_value && next_class == Line::DescribeKey && indent(next_line) == ind {
            if let Some(l) = all.get_mut(i) {
                l.2 = Line::DescribeStart;
            }
        } else if ((t.starts_with("apiVersion:") || t.starts_with("kind:"))
            && indent(next_line) >= ind
            && yamlish(next_line)
            || matches!(t, "containerStatuses:" | "initContainerStatuses:")
                && indent(next_line) >= ind
                && next_line.trim_start().starts_with("- "))
            && !under_a_key(text, all, i, ind)
        {
            if let Some(l) = all.get_mut(i) {
                l.2 = Line::YamlStart;
            }
        }
    }
}

/// Is line `i` (indented by `ind`) the first line under a YAML key written just above it with
/// less indentation (`involvedObject:`, `- ownerReferences:`)? Then it is a nested object's
/// `apiVersion`/`kind`, not the start of a piece.
fn under_a_key(text: &str, all: &[(usize, usize, Line)], i: usize, ind: usize) -> bool {
    let Some(&(s, e, _)) = all
        .get(..i)
        .and_then(|r| r.iter().rev().find(|l| l.2 != Line::Blank))
    else {
        return false;
    };
    let line = text.get(s..e).unwrap_or("");
    let t = line.trim();
    let key = t.strip_prefix("- ").unwrap_or(t);
    indent_of(line) < ind
        && key
            .strip_suffix(':')
            .is_some_and(|k| !k.is_empty() && !k.contains(char::is_whitespace))
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Does a describe key deeper than `base` follow line `j` within a few lines (so that line `j`
/// is part of a multi-line container message)?
fn message_goes_on(text: &str, all: &[(usize, usize, Line)], j: usize, base: usize) -> bool {
    for &(s, e, c) in all.get(j + 1..).unwrap_or(&[]).iter().take(60) {
        if matches!(
            c,
            Line::Fence | Line::Prompt | Line::YamlStart | Line::TableHeader | Line::DescribeStart
        ) {
            return false;
        }
        let lt = text.get(s..e).unwrap_or("");
        if c == Line::DescribeKey && indent_of(lt) > base {
            return true;
        }
    }
    false
}

/// One past the line where the JSON value starting at line `from` closes (brackets balanced
/// outside strings), or where another piece clearly starts.
fn json_end(all: &[(usize, usize, Line)], text: &str, from: usize) -> usize {
    let mut depth: i64 = 0;
    let mut in_str = false;
    let mut escaped = false;
    let mut j = from;
    while let Some(&(s, e, c)) = all.get(j) {
        if j > from && matches!(c, Line::Fence | Line::Prompt) {
            return j;
        }
        for b in text.as_bytes().get(s..e).unwrap_or(&[]) {
            if in_str {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
        }
        // A string never spans lines in JSON: a stray quote must not swallow the paste.
        in_str = false;
        escaped = false;
        j += 1;
        if depth <= 0 {
            return j;
        }
    }
    j
}

/// What kind of line-oriented output a run of lines is, by its most telling lines.
fn log_kind(body: &str) -> SegmentKind {
    let mut client = 0;
    let mut kubeadm = 0;
    let mut etcd = 0;
    let mut journal = 0;
    let mut total = 0;
    for line in body.lines().take(400) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        total += 1;
        if crate::parse::cluster::client_error_kind(t).is_some() {
            client += 1;
        }
        if any_prefix(
            t,
            phrases![
                "[preflight]",
                "[ERROR ",
                "[WARNING ",
                "[init]",
                "[kubelet-start]",
                "[certs]",
            ],
        ) || t.contains("error execution phase")
        {
            kubeadm += 1;
        }
        if any_in(
            t,
            phrases![
                "rafthttp",
                "raft:",
                "etcdserver",
                "\"caller\":\"etcd",
                "cluster ID mismatch",
                "cluster-id",
            ],
        ) {
            etcd += 1;
        }
        if any_prefix(
            t,
            phrases![
                "●",
                "Loaded: ",
                "Active: ",
                "Main PID:",
                "-- Logs begin",
                "-- Journal begins",
            ],
        ) || crate::parse::cluster::is_journal_line(t)
        {
            journal += 1;
        }
    }
    let best = [
        (kubeadm, SegmentKind::Kubeadm),
        (etcd, SegmentKind::EtcdLog),
        (client, SegmentKind::ClientError),
        (journal, SegmentKind::Journal),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .max_by_key(|(n, _)| *n);
    match best {
        Some((n, kind)) if n * 4 >= total || kind == SegmentKind::Kubeadm => kind,
        _ => SegmentKind::Logs,
    }
}

/// End of the last non-blank line in `from..to`, including its line terminator.
fn last_nonblank(text: &str, all: &[(usize, usize, Line)], from: usize, to: usize) -> usize {
    let end = all
        .get(from..to.min(all.len()))
        .unwrap_or(&[])
        .iter()
        .rev()
        .find(|l| !matches!(l.2, Line::Blank | Line::Elided))
        .map(|l| l.1)
        .or_else(|| all.get(from).map(|l| l.1))
        .unwrap_or(0);
    with_terminator(text, end)
}

fn with_terminator(text: &str, end: usize) -> usize {
    let rest = text.as_bytes().get(end.min(text.len())..).unwrap_or(&[]);
    match rest {
        [b'\r', b'\n', ..] => end + 2,
        [b'\n', ..] => end + 1,
        _ => end,
    }
}

fn yamlish(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('#')
        || t.starts_with("- ")
        || t == "-"
        || t.contains(": ")
        || t.ends_with(':')
        || t.starts_with('}')
        || t.starts_with(']')
}

fn describe_like(line: &str) -> bool {
    let t = line.trim();
    t.ends_with(':') || t.contains(":  ") || t.contains(":\t") || t.contains('=')
}

/// Sentences: mostly words, ending in punctuation, few digits and symbols.
fn looks_like_prose(text: &str) -> bool {
    // Prose between pieces is a few sentences; a long run of lines is output.
    if text.len() > 16 * 1024 {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let signals = crate::wording::phrases![
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
        "[preflight]",
        "mismatch",
    ];
    if crate::wording::any_in(&lower, signals) {
        return false;
    }
    let words = text.split_whitespace().count();
    let letters = text
        .chars()
        .filter(|c| c.is_alphabetic() || c.is_whitespace())
        .count();
    words >= 3 && letters * 10 >= crate::span::char_count(text) * 8
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
    fn one_line_code_wrappers_are_blanked_and_fences_kept() {
        let text = "reason:\n``` FailedScheduling: 0/8 nodes are available: 8 Insufficient cpu ```\n`/bin/sh: 1: /x.sh: Permission denied`\n```yaml\n```\nsee `kubectl logs` here\n";
        let cleaned = clean(text);
        assert_eq!(cleaned.len(), text.len());
        assert!(cleaned
            .contains("\n    FailedScheduling: 0/8 nodes are available: 8 Insufficient cpu    \n"));
        assert!(cleaned.contains("\n /bin/sh: 1: /x.sh: Permission denied \n"));
        // A fence with an info string, a bare fence and inline code inside prose stay.
        assert!(cleaned.contains("\n```yaml\n```\nsee `kubectl logs` here\n"));
    }

    #[test]
    fn fragment_is_a_pod() {
        let text = "Containers:\n    <name>:\n    ...\n    Last State:     Terminated\n        Reason:       OOMKilled\n";
        assert_eq!(kinds(text), ["describe-pod"]);
    }

    #[test]
    fn a_list_of_objects_and_nested_object_references() {
        // `- apiVersion:` starts a YAML list of objects; the `apiVersion:` of the
        // `involvedObject` inside it starts no piece of its own.
        let text = "- apiVersion: v1\n  count: 3\n  involvedObject:\n    apiVersion: v1\n    kind: Pod\n    name: p\n  kind: Event\n  reason: Failed\n";
        assert_eq!(kinds(text), ["yaml"]);
        // A whole manifest indented as a block after prose still starts a piece.
        let block =
            "My job:\n\n    apiVersion: batch/v1\n    kind: Job\n    metadata:\n      name: x\n";
        assert_eq!(kinds(block).last(), Some(&"yaml"));
        assert_eq!(kinds(block).iter().filter(|k| **k == "yaml").count(), 1);
    }

    #[test]
    fn an_indented_container_status_list_is_yaml() {
        let text = "Example Pod:\n  containerStatuses:\n  - name: test\n    restartCount: 2\n";
        assert_eq!(kinds(text).last(), Some(&"yaml"));
    }

    #[test]
    fn prompts_name_their_command() {
        assert_eq!(
            prompt_command("(.venv) me@host:~/deploy$ ./run.py --env prod"),
            Some("./run.py --env prod")
        );
        assert_eq!(
            prompt_command("[root@worker ~]# kubectl logs x"),
            Some("kubectl logs x")
        );
        assert_eq!(
            prompt_command("me@laptop app % ./test.sh"),
            Some("./test.sh")
        );
        // An address in prose is no prompt.
        assert_eq!(prompt_command("mail me@host: $ 5 is the fee"), None);
    }

    #[test]
    fn the_prompt_above_a_line() {
        let above = "$ ./deploy.sh\nstarting\n\n";
        assert_eq!(prompt_above(above, false), Some((0, "./deploy.sh")));
        // Only the nearest non-blank line counts with `nearest_only`.
        assert_eq!(prompt_above(above, true), None);
        assert_eq!(prompt_above("x\n$ ./a.sh\n\n", true), Some((2, "./a.sh")));
        assert_eq!(prompt_above("no prompt here\n", false), None);
    }
}
