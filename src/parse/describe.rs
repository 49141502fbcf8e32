//! `kubectl describe` output: a line tree by indentation, then pods and jobs read from it.
//!
//! kubectl's describer writes `<indent><Key>:\t<value>` through a tabwriter (2 spaces a level);
//! we parse by key and relative indentation, never by column, so hand-indented excerpts (4 or 8
//! spaces a level) read the same.

use super::events::parse_events_table;
use super::quantity::Quantity;
use crate::facts::{Container, ContainerState, EnvRef, Event, Hpa, Job, Pod, Resource, S};
use crate::span::{lines, Span, Spanned};

/// One line of describe output.
#[derive(Debug, Clone)]
pub struct DLine {
    /// Leading whitespace width (a tab counts as 8).
    pub indent: usize,
    /// The key, without the colon, when the line is `Key: value` or `Key:`.
    pub key: Option<(usize, usize)>,
    /// The value (or the whole trimmed text when there is no key).
    pub value: (usize, usize),
    /// The whole line without its terminator.
    pub line: (usize, usize),
}

/// Split `text[start..end]` into describe lines (blank lines are dropped).
pub fn line_tree(text: &str, start: usize, end: usize) -> Vec<DLine> {
    let Some(region) = text.get(start..end) else {
        return Vec::new();
    };
    let mut out: Vec<DLine> = Vec::new();
    // A container's multi-line `Message:` goes on over lines at or left of the object's own
    // indentation; they are kept as keyless lines inside the message.
    let mut message: Option<usize> = None;
    let mut base: Option<usize> = None;
    for (ls, le) in lines(region) {
        let (ls, le) = (ls + start, le + start);
        let Some(line) = text.get(ls..le) else {
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut indent = 0;
        let mut body = 0;
        for (i, c) in line.char_indices() {
            match c {
                ' ' => indent += 1,
                '\t' => indent += 8,
                _ => {
                    body = i;
                    break;
                }
            }
        }
        let content = &line[body..];
        let content_end = ls + body + content.trim_end().len();
        let base_indent = *base.get_or_insert(indent);
        if let Some(m) = message {
            if indent <= base_indent && !is_object_key(content) {
                out.push(DLine {
                    indent: m + 2,
                    key: None,
                    value: (ls + body, content_end),
                    line: (ls, le),
                });
                continue;
            }
            message = None;
        }
        if indent > base_indent && content.starts_with("Message:") {
            message = Some(indent);
        }
        let (key, value) = match split_key(content) {
            Some((k_len, v_off)) => {
                let v_start = (ls + body + v_off).min(content_end);
                (Some((ls + body, ls + body + k_len)), (v_start, content_end))
            }
            None => (None, (ls + body, content_end)),
        };
        out.push(DLine {
            indent,
            key,
            value,
            line: (ls, le),
        });
    }
    out
}

/// Keys kubectl prints at an object's own level (they end a multi-line container message).
fn is_object_key(content: &str) -> bool {
    const KEYS: &str = crate::wording::phrases![
        "Name:",
        "Namespace:",
        "Containers:",
        "Init Containers:",
        "Conditions:",
        "Volumes:",
        "QoS Class:",
        "Node-Selectors:",
        "Tolerations:",
        "Events:",
        "Status:",
        "Labels:",
        "Annotations:",
        "Controlled By:",
        "Pod Template:",
        "Ephemeral Containers:",
    ];
    crate::wording::any_prefix(content, KEYS)
}

/// `Key: value` → (key length, value offset). A key has no tab, no run of two spaces, and the
/// colon is followed by whitespace or the end of the line.
fn split_key(content: &str) -> Option<(usize, usize)> {
    let bytes = content.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b':' => {
                if i == 0 {
                    return None;
                }
                let next = bytes.get(i + 1);
                if next.is_none() || matches!(next, Some(b' ' | b'\t')) {
                    let mut v = i + 1;
                    while v < bytes.len() && matches!(bytes[v], b' ' | b'\t') {
                        v += 1;
                    }
                    return Some((i, v));
                }
                return None;
            }
            b'\t' => return None,
            b' ' if bytes.get(i + 1) == Some(&b' ') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// A view over a slice of describe lines with helpers to walk children.
pub struct Tree<'a> {
    pub text: &'a str,
    pub input: usize,
    pub lines: &'a [DLine],
}

impl<'a> Tree<'a> {
    pub fn key(&self, i: usize) -> &'a str {
        self.lines
            .get(i)
            .and_then(|l| l.key)
            .and_then(|(s, e)| self.text.get(s..e))
            .unwrap_or("")
    }

    pub fn value(&self, i: usize) -> &'a str {
        self.lines
            .get(i)
            .and_then(|l| self.text.get(l.value.0..l.value.1))
            .unwrap_or("")
    }

    pub fn spanned_value(&self, i: usize) -> Option<S> {
        let l = self.lines.get(i)?;
        let v = self.text.get(l.value.0..l.value.1)?;
        if v.is_empty() {
            return None;
        }
        Some(Spanned::new(
            v.to_string(),
            Span::new(self.input, l.value.0, l.value.1),
        ))
    }

    /// `*slot = self.spanned_value(i)`, kept out of line: the readers fill many fields this
    /// way, and each assignment written out also drops the old value and copies the new one.
    #[inline(never)]
    pub fn set(&self, i: usize, slot: &mut Option<S>) {
        *slot = self.spanned_value(i);
    }

    /// The value of line `i` parsed as a number, with its span.
    pub fn number<T: std::str::FromStr>(&self, i: usize) -> Option<Spanned<T>> {
        let v = self.spanned_value(i)?;
        Some(Spanned::new(v.value.parse().ok()?, v.span))
    }

    pub fn line_span(&self, i: usize) -> Span {
        self.lines
            .get(i)
            .map(|l| Span::new(self.input, l.line.0, l.line.1))
            .unwrap_or_default()
    }

    /// Index one past the last descendant of line `i` (lines indented deeper than it).
    pub fn block_end(&self, i: usize) -> usize {
        let Some(base) = self.lines.get(i).map(|l| l.indent) else {
            return i;
        };
        let mut j = i + 1;
        while j < self.lines.len() && self.lines[j].indent > base {
            j += 1;
        }
        j
    }

    /// Direct children of line `i`: lines in its block at the shallowest deeper indent.
    pub fn children(&self, i: usize) -> Vec<usize> {
        let end = self.block_end(i);
        let mut out = Vec::new();
        let mut level = usize::MAX;
        for j in i + 1..end {
            let ind = self.lines[j].indent;
            if ind < level {
                level = ind;
                out.clear();
            }
            if ind == level {
                out.push(j);
            }
        }
        out
    }

    /// First child of `i` (or first line in `range` when `i` is None) with the key.
    pub fn child(&self, kids: &[usize], key: &str) -> Option<usize> {
        kids.iter()
            .copied()
            .find(|&j| self.key(j).eq_ignore_ascii_case(key))
    }
}

/// Is this segment a pod, a job or a cronjob? (by the keys kubectl prints for each)
pub fn describe_kind(text: &str) -> Option<&'static str> {
    let has = |k: &str| text.lines().any(|l| l.trim_start().starts_with(k));
    if has("Schedule:")
        && (has("Concurrency Policy:")
            || has("Starting Deadline Seconds:")
            || has("Last Schedule Time:"))
    {
        return Some("describe-cronjob");
    }
    if has("Reference:") && (has("Min replicas:") || has("Max replicas:") || has("Metrics:")) {
        return Some("describe-hpa");
    }
    if has("Pods Statuses:")
        || (has("Pod Template:") && (has("Completions:") || has("Parallelism:")))
    {
        return Some("describe-job");
    }
    if has("Containers:")
        || has("Init Containers:")
        || (has("Node:") && (has("Start Time:") || has("Service Account:")))
        || has("QoS Class:")
        || has("State:")
        || has("Last State:")
        || has("Exit Code:")
    {
        return Some("describe-pod");
    }
    None
}

/// Read every pod from a describe-pod segment (several pods may follow one another).
pub fn parse_pods(text: &str, input: usize, start: usize, end: usize) -> Vec<Pod> {
    let lines = line_tree(text, start, end);
    let tree = Tree {
        text,
        input,
        lines: &lines,
    };
    // Split on top-level `Name:` lines.
    let mut starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| l.indent == min_indent(&lines) && tree.key(*i) == "Name")
        .map(|(i, _)| i)
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let mut pods = Vec::new();
    for (n, &s) in starts.iter().enumerate() {
        let e = starts.get(n + 1).copied().unwrap_or(lines.len());
        if s >= e {
            continue;
        }
        let slice = &lines[s..e];
        let t = Tree {
            text,
            input,
            lines: slice,
        };
        if let Some(pod) = read_pod(&t) {
            pods.push(pod);
        }
    }
    pods
}

fn min_indent(lines: &[DLine]) -> usize {
    lines.iter().map(|l| l.indent).min().unwrap_or(0)
}

fn read_pod(t: &Tree) -> Option<Pod> {
    let first = t.lines.first()?;
    let last = t.lines.last()?;
    let mut pod = Pod {
        span: Span::new(t.input, first.line.0, last.line.1),
        ..Pod::default()
    };
    // Sections such as `Containers:` may appear at the top level of a fragment or nested.
    for i in 0..t.lines.len() {
        let key = match t.key(i) {
            // A paste cut at its first byte: `ame:` / `me:` for `Name:`.
            "ame" | "me" if i == 0 => "Name",
            k => k,
        };
        match key {
            "Name" if pod.name.is_none() && t.lines[i].indent == min_indent(t.lines) => {
                t.set(i, &mut pod.name)
            }
            "Namespace" if pod.namespace.is_none() => t.set(i, &mut pod.namespace),
            "Node" if pod.node.is_none() => t.set(i, &mut pod.node),
            "Status" if pod.status.is_none() && t.lines[i].indent == min_indent(t.lines) => {
                t.set(i, &mut pod.status)
            }
            "Reason" if pod.reason.is_none() && t.lines[i].indent == min_indent(t.lines) => {
                t.set(i, &mut pod.reason)
            }
            "Message" if pod.message.is_none() && t.lines[i].indent == min_indent(t.lines) => {
                pod.message = with_wrapped(t, i)
            }
            "Conditions" if t.lines[i].indent == min_indent(t.lines) => {
                pod.conditions = read_conditions(t, i)
            }
            "Controlled By" => t.set(i, &mut pod.controlled_by),
            "QoS Class" => t.set(i, &mut pod.qos_class),
            "Labels" if t.lines[i].indent == min_indent(t.lines) => {
                pod.labels.extend(t.spanned_value(i));
                let mut j = i + 1;
                while j < t.lines.len()
                    && t.lines[j].key.is_none()
                    && t.lines[j].indent > t.lines[i].indent
                {
                    pod.labels.extend(t.spanned_value(j));
                    j += 1;
                }
            }
            "Containers" => pod.containers.extend(read_containers(t, i, false)),
            "Init Containers" => pod.init_containers.extend(read_containers(t, i, true)),
            "Events" => pod.events.extend(read_events(t, i)),
            _ => {}
        }
    }
    // A bare `State:`/`Last State:` fragment with no `Containers:` header, or a paste cut inside
    // a container: its `State:` comes before the first `Containers:`/`Init Containers:` header.
    let first_state = (0..t.lines.len()).find(|&i| matches!(t.key(i), "State" | "Last State"));
    let first_header =
        (0..t.lines.len()).find(|&i| matches!(t.key(i), "Containers" | "Init Containers"));
    let headless = pod.containers.is_empty() && pod.init_containers.is_empty();
    let cut_inside = matches!((first_state, first_header), (Some(s), Some(h)) if s < h);
    if headless || cut_inside {
        // The container's keys are the lines at the indent of its first `State:` line, up to
        // a shallower line (an `Events:` section or the next `Containers:` header).
        let tops: Vec<usize> = match first_state {
            Some(f) => {
                let indent = t.lines[f].indent;
                let from = (0..f)
                    .rev()
                    .take_while(|&i| t.lines[i].indent >= indent)
                    .last()
                    .unwrap_or(f);
                (from..t.lines.len())
                    .take_while(|&i| t.lines[i].indent >= indent)
                    .filter(|&i| t.lines[i].indent == indent)
                    .collect()
            }
            None => Vec::new(),
        };
        if !tops.is_empty() {
            let mut c = Container {
                span: pod.span,
                ..Container::default()
            };
            fill_container(t, &tops, &mut c);
            // `kubectl describe pod` prints `Init Containers:` before `Containers:`, so a
            // container cut off above a `Containers:` header is an init container.
            let above_main = first_header.is_some_and(|h| t.key(h) == "Containers");
            if cut_inside && above_main {
                c.init = true;
                pod.init_containers.insert(0, c);
            } else {
                pod.containers.insert(0, c);
            }
        }
    }
    let useful = pod.name.is_some()
        || !pod.containers.is_empty()
        || !pod.init_containers.is_empty()
        || !pod.events.is_empty();
    useful.then_some(pod)
}

/// The value of line `i` joined with hard-wrapped continuation lines: following lines at the
/// same or lower indent that have no key (a terminal wrapped a long `Message:`).
fn with_wrapped(t: &Tree, i: usize) -> Option<S> {
    let mut v = t.spanned_value(i)?;
    let base = t.lines.get(i)?.indent;
    let mut j = i + 1;
    while let Some(l) = t.lines.get(j) {
        if l.key.is_some() || l.indent > base {
            break;
        }
        let Some(more) = t.text.get(l.value.0..l.value.1) else {
            break;
        };
        // A wrap at the terminal's width splits a word: join without a space.
        let prev_len = t.lines.get(j - 1).map(|p| p.line.1 - p.line.0).unwrap_or(0);
        let sep = if prev_len >= 70 { "" } else { " " };
        v.value = format!("{}{sep}{more}", v.value);
        v.span.end = l.value.1;
        j += 1;
    }
    Some(v)
}

/// The value of line `i` and the keyless lines of its block (a multi-line message), joined by
/// newlines; the span covers them all.
fn with_block(t: &Tree, i: usize) -> Option<S> {
    let mut v = t.spanned_value(i);
    for j in i + 1..t.block_end(i) {
        let Some(l) = t.lines.get(j) else { break };
        if l.key.is_some() {
            break;
        }
        let Some(more) = t.text.get(l.value.0..l.value.1) else {
            break;
        };
        match v.as_mut() {
            Some(v) => {
                v.value.push('\n');
                v.value.push_str(more);
                v.span.end = l.value.1;
            }
            None => {
                v = Some(Spanned::new(
                    more.to_string(),
                    Span::new(t.input, l.value.0, l.value.1),
                ))
            }
        }
    }
    v
}

/// `Conditions:` with a `Type  Status` header: (type, status) pairs.
fn read_conditions(t: &Tree, i: usize) -> Vec<(S, S)> {
    let mut out = Vec::new();
    for j in i + 1..t.block_end(i) {
        let Some(l) = t.lines.get(j) else { break };
        let Some(line) = t.text.get(l.line.0..l.line.1) else {
            continue;
        };
        let cs = super::events::cells(line, 8);
        let (Some(&(a, b)), Some(&(c, d))) = (cs.first(), cs.get(1)) else {
            continue;
        };
        let (Some(ty), Some(st)) = (line.get(a..b), line.get(c..d)) else {
            continue;
        };
        if ty == "Type" || ty.starts_with("--") {
            continue;
        }
        let base = l.line.0;
        out.push((
            Spanned::new(ty.to_string(), Span::new(t.input, base + a, base + b)),
            Spanned::new(st.to_string(), Span::new(t.input, base + c, base + d)),
        ));
    }
    out
}

fn read_events(t: &Tree, i: usize) -> Vec<Event> {
    let Some(l) = t.lines.get(i) else {
        return Vec::new();
    };
    if t.value(i) == "<none>" {
        return Vec::new();
    }
    let end = t.block_end(i);
    let last = t
        .lines
        .get(end.saturating_sub(1))
        .map(|l| l.line.1)
        .unwrap_or(l.line.1);
    parse_events_table(t.text, t.input, l.line.1, last)
}

/// Keys of a container's own fields (never container names).
const CONTAINER_FIELDS: &str = crate::wording::phrases![
    "Container ID",
    "Image",
    "Image ID",
    "Port",
    "Ports",
    "Host Port",
    "Host Ports",
    "Command",
    "Args",
    "State",
    "Last State",
    "Ready",
    "Restart Count",
    "Limits",
    "Requests",
    "Environment",
    "Environment Variables from",
    "Mounts",
    "Liveness",
    "Readiness",
    "Startup",
];

/// Containers under a `Containers:`/`Init Containers:` line.
pub(crate) fn read_containers(t: &Tree, section: usize, init: bool) -> Vec<Container> {
    let mut out: Vec<Container> = Vec::new();
    let kids = t.children(section);
    for &c in &kids {
        let name = t.key(c);
        // A hand-indented excerpt puts the fields at the container name's level
        // (`<name>:` / `...` / `Last State: Terminated`): they belong to the container above.
        if crate::wording::any_eq(name, CONTAINER_FIELDS) {
            if let Some(last) = out.last_mut() {
                fill_container(t, &[c], last);
                last.span = last
                    .span
                    .cover(t.line_span(t.block_end(c).saturating_sub(1)));
            }
            continue;
        }
        if name.is_empty() || !t.value(c).is_empty() {
            continue;
        }
        let Some((ks, ke)) = t.lines[c].key else {
            continue;
        };
        let end = t.block_end(c);
        let span = Span::new(
            t.input,
            t.lines[c].line.0,
            t.lines
                .get(end.saturating_sub(1))
                .map(|l| l.line.1)
                .unwrap_or(0),
        );
        let mut container = Container {
            span,
            name: Spanned::new(name.to_string(), Span::new(t.input, ks, ke)),
            init,
            ..Container::default()
        };
        let kids = t.children(c);
        fill_container(t, &kids, &mut container);
        out.push(container);
    }
    out
}

fn fill_container(t: &Tree, kids: &[usize], c: &mut Container) {
    for &k in kids {
        match t.key(k) {
            "Image" => t.set(k, &mut c.image),
            "Command" => c.command = item_lines(t, k),
            "Args" => c.args = item_lines(t, k),
            "State" => c.state = read_state(t, k),
            "Last State" => c.last_state = read_state(t, k),
            "Ready" => t.set(k, &mut c.ready),
            "Restart Count" => c.restart_count = t.number(k),
            "Limits" => c.limits = read_resources(t, k),
            "Requests" => c.requests = read_resources(t, k),
            "Environment" => c.env_refs.extend(read_env_refs(t, k)),
            "Environment Variables from" => c.env_refs.extend(read_env_from(t, k)),
            _ => {}
        }
    }
}

fn item_lines(t: &Tree, k: usize) -> Vec<S> {
    let mut out: Vec<S> = t.spanned_value(k).into_iter().collect();
    for j in k + 1..t.block_end(k) {
        if t.lines[j].key.is_none() {
            let l = &t.lines[j];
            if let Some(v) = t.text.get(l.value.0..l.value.1) {
                out.push(Spanned::new(
                    v.to_string(),
                    Span::new(t.input, l.value.0, l.value.1),
                ));
            }
        }
    }
    out
}

/// The keys a `State:`/`Last State:` block holds.
const STATE_FIELDS: &str = crate::wording::phrases![
    "Reason",
    "Message",
    "Exit Code",
    "Signal",
    "Started",
    "Finished",
];

/// The field lines of the state on line `k`: its children, or, when the paste lost the
/// indentation (a renderer that strips leading blanks), the lines right below it at its own
/// indent whose keys are state keys (`Last State: Terminated` / `Reason: Error` /
/// `Exit Code: 1`), up to the first other key.
fn state_fields(t: &Tree, k: usize) -> Vec<usize> {
    let kids = t.children(k);
    if !kids.is_empty() {
        return kids;
    }
    let indent = t.lines[k].indent;
    (k + 1..t.lines.len())
        .take_while(|&j| {
            t.lines[j].indent == indent && crate::wording::any_eq(t.key(j), STATE_FIELDS)
        })
        .collect()
}

fn read_state(t: &Tree, k: usize) -> Option<ContainerState> {
    let kind = t.spanned_value(k)?;
    let fields = state_fields(t, k);
    let end = fields
        .last()
        .map_or_else(|| t.block_end(k), |&j| t.block_end(j).max(j + 1));
    let mut st = ContainerState {
        span: Span::new(
            t.input,
            t.lines[k].line.0,
            t.lines
                .get(end.saturating_sub(1))
                .map(|l| l.line.1)
                .unwrap_or(0),
        ),
        kind,
        ..ContainerState::default()
    };
    for j in fields {
        match t.key(j) {
            "Reason" => t.set(j, &mut st.reason),
            "Message" => st.message = with_block(t, j),
            "Exit Code" => st.exit_code = t.number(j),
            "Signal" => st.signal = t.number(j),
            "Started" => t.set(j, &mut st.started),
            "Finished" => t.set(j, &mut st.finished),
            _ => {}
        }
    }
    Some(st)
}

fn read_resources(t: &Tree, k: usize) -> Vec<Resource> {
    t.children(k)
        .into_iter()
        .filter_map(|j| {
            let (ks, ke) = t.lines[j].key?;
            let value = t.spanned_value(j)?;
            Some(Resource {
                name: Spanned::new(t.key(j).to_string(), Span::new(t.input, ks, ke)),
                quantity: Quantity::parse(&value.value).ok(),
                value,
            })
        })
        .collect()
}

/// `NAME:  <set to the key 'k' of config map 'cm'>  Optional: false` and the Secret variant.
fn read_env_refs(t: &Tree, k: usize) -> Vec<EnvRef> {
    let mut out = Vec::new();
    for j in k + 1..t.block_end(k) {
        let l = &t.lines[j];
        let Some(line) = t.text.get(l.line.0..l.line.1) else {
            continue;
        };
        let Some(p) = line.find("<set to the key '") else {
            continue;
        };
        let rest = &line[p + "<set to the key '".len()..];
        let Some((key, rest)) = rest.split_once('\'') else {
            continue;
        };
        let (kind, rest) = if let Some(r) = rest.strip_prefix(" of config map '") {
            ("configmap", r)
        } else if let Some(r) = rest.strip_prefix(" in secret '") {
            ("secret", r)
        } else if let Some(r) = rest.strip_prefix(" of secret '") {
            ("secret", r)
        } else {
            continue;
        };
        let Some((name, rest)) = rest.split_once('\'') else {
            continue;
        };
        out.push(EnvRef {
            span: Span::new(t.input, l.line.0, l.line.1),
            kind: kind.into(),
            name: name.into(),
            key: Some(key.into()),
            optional: rest.contains("Optional: true"),
        });
    }
    out
}

/// `Environment Variables from:` lines: `  cm-name  ConfigMap  Optional: false`.
fn read_env_from(t: &Tree, k: usize) -> Vec<EnvRef> {
    let mut out = Vec::new();
    for j in k + 1..t.block_end(k) {
        let l = &t.lines[j];
        let Some(line) = t.text.get(l.line.0..l.line.1) else {
            continue;
        };
        let words: Vec<&str> = line.split_whitespace().collect();
        let (Some(name), Some(kind)) = (words.first(), words.get(1)) else {
            continue;
        };
        let kind = match *kind {
            "ConfigMap" => "configmap",
            "Secret" => "secret",
            _ => continue,
        };
        out.push(EnvRef {
            span: Span::new(t.input, l.line.0, l.line.1),
            kind: kind.into(),
            name: (*name).into(),
            key: None,
            optional: line.contains("Optional: true"),
        });
    }
    out
}

/// Read a `kubectl describe hpa` segment.
pub fn parse_hpa(text: &str, input: usize, start: usize, end: usize) -> Option<Hpa> {
    let lines = line_tree(text, start, end);
    let t = Tree {
        text,
        input,
        lines: &lines,
    };
    let first = lines.first()?;
    let last = lines.last()?;
    let mut hpa = Hpa {
        span: Span::new(input, first.line.0, last.line.1),
        ..Hpa::default()
    };
    let base = min_indent(&lines);
    for (i, line) in lines.iter().enumerate() {
        let top = line.indent == base;
        match t.key(i) {
            "Name" if top && hpa.name.is_none() => t.set(i, &mut hpa.name),
            "Namespace" if top => t.set(i, &mut hpa.namespace),
            "Reference" if top => t.set(i, &mut hpa.reference),
            "Min replicas" if top => t.set(i, &mut hpa.min_replicas),
            "Max replicas" if top => t.set(i, &mut hpa.max_replicas),
            "Metrics" if top => {
                for j in i + 1..t.block_end(i) {
                    let Some(l) = t.lines.get(j) else { break };
                    if let Some(v) = t.text.get(l.line.0..l.line.1) {
                        let lead = v.len() - v.trim_start().len();
                        let v = v.trim();
                        hpa.metrics.push(Spanned::new(
                            v.to_string(),
                            Span::new(input, l.line.0 + lead, l.line.0 + lead + v.len()),
                        ));
                    }
                }
            }
            "Events" if top => hpa.events.extend(read_events(&t, i)),
            _ => {}
        }
    }
    Some(hpa)
}

/// Read a `kubectl describe job` segment.
pub fn parse_job(text: &str, input: usize, start: usize, end: usize) -> Option<Job> {
    let lines = line_tree(text, start, end);
    let t = Tree {
        text,
        input,
        lines: &lines,
    };
    let first = lines.first()?;
    let last = lines.last()?;
    let mut job = Job {
        span: Span::new(input, first.line.0, last.line.1),
        ..Job::default()
    };
    let base = min_indent(&lines);
    for (i, line) in lines.iter().enumerate() {
        let top = line.indent == base;
        match t.key(i) {
            "Name" if top && job.name.is_none() => t.set(i, &mut job.name),
            "Namespace" if top => t.set(i, &mut job.namespace),
            "Controlled By" if top => t.set(i, &mut job.controlled_by),
            "Parallelism" if top => t.set(i, &mut job.parallelism),
            "Completions" if top => t.set(i, &mut job.completions),
            "Completion Mode" if top => t.set(i, &mut job.completion_mode),
            "Backoff Limit" if top => job.backoff_limit = t.number(i),
            "Active Deadline Seconds" if top => {
                job.active_deadline_seconds = t.spanned_value(i).and_then(|v| {
                    v.value
                        .trim_end_matches('s')
                        .parse()
                        .ok()
                        .map(|n| Spanned::new(n, v.span))
                })
            }
            "Start Time" if top => t.set(i, &mut job.start_time),
            "Suspend" if top => t.set(i, &mut job.suspend),
            "Schedule" if top => t.set(i, &mut job.schedule),
            "Backoff Limit Per Index" if top => job.backoff_limit_per_index = t.number(i),
            "Failed Indexes" if top => t.set(i, &mut job.failed_indexes),
            "Pods Statuses" if top => {
                job.pods_statuses = t.spanned_value(i).and_then(|v| {
                    let nums: Vec<u32> = v
                        .value
                        .split('/')
                        .filter_map(|p| p.split_whitespace().next().and_then(|n| n.parse().ok()))
                        .collect();
                    match nums.as_slice() {
                        [a, s, f] => Some(Spanned::new((*a, *s, *f), v.span)),
                        _ => None,
                    }
                })
            }
            "Containers" => job.containers.extend(read_containers(&t, i, false)),
            "Init Containers" => job.init_containers.extend(read_containers(&t, i, true)),
            "Events" if top => job.events.extend(read_events(&t, i)),
            _ => {}
        }
    }
    Some(job)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "Name:         pi-abc\nNamespace:    batch\nStatus:       Failed\nControlled By:  Job/pi\nContainers:\n  worker:\n    Image:          busybox\n    State:          Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n    Restart Count:  0\n    Limits:\n      memory:  128Mi\n    Requests:\n      memory:     64Mi\nEvents:  <none>\n";

    #[test]
    fn reads_a_pod() {
        let pods = parse_pods(POD, 0, 0, POD.len());
        assert_eq!(pods.len(), 1);
        let p = &pods[0];
        assert_eq!(p.name.as_ref().map(|s| s.as_str()), Some("pi-abc"));
        assert_eq!(p.job_name(), Some("pi"));
        let c = &p.containers[0];
        assert_eq!(c.name.value, "worker");
        let st = c.state.as_ref().expect("state");
        assert_eq!(
            st.reason.as_ref().map(|r| r.value.as_str()),
            Some("OOMKilled")
        );
        assert_eq!(st.exit_code.as_ref().map(|e| e.value), Some(137));
        let lim = c.limit("memory").expect("limit");
        assert_eq!(lim.value.span.text(POD), "128Mi");
    }

    #[test]
    fn reads_a_state_block_that_lost_its_indentation() {
        // A renderer stripped the leading blanks: the state's keys sit at its own level.
        let t = "Last State: Terminated\nReason: Error\nExit Code: 1\nStarted: Sat, 21 Mar 2026 02:14:03 +0530\nReady: False\nRestart Count: 5\n";
        let pods = parse_pods(t, 0, 0, t.len());
        let c = &pods[0].containers[0];
        let last = c.last_state.as_ref().expect("last state");
        assert_eq!(
            last.reason.as_ref().map(|r| r.value.as_str()),
            Some("Error")
        );
        assert_eq!(last.exit_code.as_ref().map(|e| e.value), Some(1));
        assert_eq!(c.restart_count.as_ref().map(|r| r.value), Some(5));
        // An indented state keeps only its own children: the pod-level `Reason:` below a
        // container's `State: Running` is not the state's.
        let t = "State: Running\nReady: True\nReason: Evicted\n";
        let pods = parse_pods(t, 0, 0, t.len());
        let st = pods[0].containers[0].state.as_ref().expect("state");
        assert!(st.reason.is_none());
    }

    #[test]
    fn a_paste_cut_inside_an_init_container_keeps_its_state() {
        // The paste starts at the state of a container whose header was cut off; the
        // `Containers:` header below it means the cut-off container was an init container.
        let t = "    State:          Terminated\n      Reason:       Error\n      Exit Code:    126\n    Ready:          False\n    Restart Count:  0\nContainers:\n  step-echo:\n    Image:         alpine\n    State:          Waiting\n      Reason:       PodInitializing\n";
        let pods = parse_pods(t, 0, 0, t.len());
        let p = &pods[0];
        assert_eq!(p.init_containers.len(), 1);
        assert!(p.init_containers[0].init);
        let st = p.init_containers[0].state.as_ref().expect("state");
        assert_eq!(st.exit_code.as_ref().map(|e| e.value), Some(126));
        assert_eq!(p.containers.len(), 1);
        assert_eq!(p.containers[0].name.value, "step-echo");
        // Cut above an `Init Containers:` header it is a main container of another listing,
        // not an init container; a whole describe reads no extra container.
        let t2 = t.replace("Containers:\n  step-echo", "Init Containers:\n  step-echo");
        let pods = parse_pods(&t2, 0, 0, t2.len());
        assert_eq!(pods[0].containers.len(), 1);
        assert!(!pods[0].containers[0].init);
        let pods = parse_pods(POD, 0, 0, POD.len());
        assert_eq!(pods[0].containers.len(), 1);
        assert!(pods[0].init_containers.is_empty());
    }

    #[test]
    fn key_split_ignores_values_with_colons() {
        assert_eq!(split_key("Image: nginx:1.2"), Some((5, 7)));
        assert_eq!(split_key("Normal  Pulled  kubelet  Error: x"), None);
        assert_eq!(split_key("worker:"), Some((6, 7)));
        assert_eq!(split_key("http://x"), None);
    }
}
