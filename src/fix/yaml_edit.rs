//! Locating paths in the span-aware YAML tree and turning changes into minimal text edits.
//!
//! An edit never re-serialises a document: a scalar is overwritten in place (keeping its
//! quotes and any comment after it), a missing key is inserted as new block lines after its
//! last sibling, an entry is removed with its whole lines. New lines copy the document's own
//! layout: the indentation step of its nested mappings, whether sequence items (`- name:`)
//! are indented under their key or written at the key's column, the quoting of sibling
//! strings and the line terminator (LF or CRLF).
//!
//! Paths are written as in the Kubernetes docs:
//! `spec.template.spec.containers[name=worker].resources.limits.memory` ([`parse_path`]).
//!
//! # Limitations
//! - A document (or the edited mapping) that uses anchors (`&a`) or aliases (`*a`) is not
//!   edited: an edit under an anchor would silently change every alias too.
//! - Flow collections (`{a: 1}`, `[1, 2]`) are not edited, except that a scalar inside one may
//!   be overwritten and an empty `{}` / `[]` may be replaced by block lines. Inserting into a
//!   non-empty flow collection, or into JSON, is refused with the reason.
//! - Block scalars (`|`, `>`) are never overwritten.
//! - Replacing a whole collection with another is refused (only scalars are overwritten;
//!   collections are created where missing, or appended to).
//! - Comments on lines that are removed go with them; a comment placed between the last entry
//!   of a mapping and the next key at a lower indentation stays after the inserted lines.
//! - Tabs used for indentation are not YAML; such documents do not parse and are not edited.
//! - A comment on an edited line is kept as written, even when it described the old value.
//! - Block scalars are located by the parser's span, which runs over the next line's
//!   indentation; insertions are cut back to the scalar's final newline.
//! - Moving an entry ([`indent_entry`]) refuses multi-line flow collections and block scalars.

use super::Edit;
use crate::parse::yaml::{Node, NodeKind, Style};

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    /// The item of a sequence of mappings whose `name` is this.
    Named(String),
    Index(usize),
}

impl Step {
    pub fn key(k: &str) -> Step {
        Step::Key(k.to_string())
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Key(k) => write!(f, ".{k}"),
            Step::Named(n) => write!(f, "[name={n}]"),
            Step::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// A path as text: `spec.template.spec.containers[name=worker]`.
pub fn path_string(path: &[Step]) -> String {
    let s: String = path.iter().map(Step::to_string).collect();
    s.strip_prefix('.').unwrap_or(&s).to_string()
}

pub fn keys(path: &[&str]) -> Vec<Step> {
    path.iter().map(|k| Step::key(k)).collect()
}

/// Parse `a.b[name=x].c[0]` into steps. Keys may not contain `.`, `[` or `]`.
pub fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(Step::key(key));
        } else if rest.is_empty() {
            return Err(format!("empty key in path `{path}`"));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let close = r
                .find(']')
                .ok_or_else(|| format!("unclosed `[` in `{path}`"))?;
            let inner = &r[..close];
            if let Some(name) = inner.strip_prefix("name=") {
                steps.push(Step::Named(name.to_string()));
            } else {
                let i = inner
                    .parse()
                    .map_err(|_| format!("`[{inner}]` is neither an index nor `name=…`"))?;
                steps.push(Step::Index(i));
            }
            rest = &r[close + 1..];
        }
        if !rest.is_empty() {
            return Err(format!("unexpected `{rest}` in path `{path}`"));
        }
    }
    Ok(steps)
}

pub fn locate<'a>(root: &'a Node, path: &[Step]) -> Option<&'a Node> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(k) => node.get(k),
        Step::Named(n) => node
            .items()
            .iter()
            .find(|i| i.get("name").and_then(Node::as_str) == Some(n.as_str())),
        Step::Index(i) => node.items().get(*i),
    })
}

/// Byte column of `pos` in its line.
pub fn column(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    let before = text.get(..pos).unwrap_or("");
    pos - before.rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// The line terminator the document uses.
pub fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Start of the line holding `pos`.
fn line_start(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text.get(..pos)
        .and_then(|b| b.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// End of the line holding `pos`, before its terminator.
fn line_end(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    let end = text
        .get(pos..)
        .and_then(|r| r.find('\n'))
        .map(|i| pos + i)
        .unwrap_or(text.len());
    if end > pos && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// A value to write. Collections are written as block YAML in the document's layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string; quoted when plain text would read as something else.
    Str(String),
    /// An integer, written plain.
    Int(i64),
    Map(Vec<(String, Value)>),
    Seq(Vec<Value>),
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The text a scalar reads as after parsing (what [`crate::fix::Expectation`] compares).
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            _ => None,
        }
    }
}

/// How the document lays out what we add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    /// Indentation step of nested mappings.
    step: usize,
    /// Indentation of `- ` items relative to their key (0 for `key:\n- a`).
    seq_indent: usize,
    /// Quoting the document uses for string values, when all its quoted-or-not choices agree
    /// on quotes.
    quote: Option<Style>,
}

impl Layout {
    fn of(text: &str, root: &Node) -> Layout {
        let mut step = None;
        let mut seq = None;
        let (mut plain, mut single, mut double) = (0usize, 0usize, 0usize);
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            for (k, v) in n.entries() {
                if v.is_flow() {
                    continue;
                }
                if step.is_none() && v.is_map() {
                    if let Some((ck, _)) = v.entries().first() {
                        let s = column(text, ck.start).saturating_sub(column(text, k.start));
                        if s > 0
                            && text
                                .get(line_start(text, ck.start)..ck.start)
                                .is_some_and(|p| p.trim().is_empty())
                        {
                            step = Some(s);
                        }
                    }
                }
                if seq.is_none() {
                    if let Some(first) = v.items().first() {
                        if let Some(dash) = dash_before(text, first.start) {
                            seq = Some(column(text, dash).saturating_sub(column(text, k.start)));
                        }
                    }
                }
                if let NodeKind::Scalar { style, value } = &v.kind {
                    if !parses_as_f64(value) && !value.is_empty() {
                        match style {
                            Style::Plain => plain += 1,
                            Style::SingleQuoted => single += 1,
                            Style::DoubleQuoted => double += 1,
                            _ => {}
                        }
                    }
                }
                stack.push(v);
            }
            stack.extend(n.items().iter());
        }
        let quote = if plain == 0 && double > 0 && single == 0 {
            Some(Style::DoubleQuoted)
        } else if plain == 0 && single > 0 && double == 0 {
            Some(Style::SingleQuoted)
        } else {
            None
        };
        Layout {
            step: step.unwrap_or(2),
            seq_indent: seq.unwrap_or(0),
            quote,
        }
    }
}

/// The `-` of the block sequence item starting at `item_start`, if it is on the same line.
fn dash_before(text: &str, item_start: usize) -> Option<usize> {
    let ls = line_start(text, item_start);
    let before = text.get(ls..item_start)?;
    let trimmed = before.trim_end();
    trimmed
        .strip_suffix('-')
        .filter(|p| p.trim().is_empty() || p.trim_end().ends_with('-'))
        .map(|p| ls + p.len())
}

/// True when `s` can be written as a plain scalar and reads back as the same string.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let indicator_ok =
        matches!(first, '-' | '?' | ':') && s.chars().nth(1).is_some_and(|c| !c.is_whitespace());
    if ("-?:,[]{}#&*!|>'\"%@` \t".contains(first) && !indicator_ok)
        || s.ends_with(' ')
        || s.ends_with(':')
        || crate::wording::any_in(s, crate::wording::phrases![": ", " #"])
        || s.chars().any(|c| c.is_control())
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if crate::wording::any_eq(
        lower.as_str(),
        crate::wording::phrases!["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"],
    ) {
        return false;
    }
    // Numbers would read back as numbers (fine for the API, but the text changes type).
    let numeric = parses_as_f64(s)
        || crate::wording::any_prefix(s, crate::wording::phrases!["0x", "0o"])
        || s.chars()
            .all(|c| c.is_ascii_digit() || c == '_' || c == '.');
    !numeric
}

fn quote_double(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn render_scalar(v: &Value, layout: &Layout) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Str(s) => match layout.quote {
            Some(Style::DoubleQuoted) => quote_double(s),
            Some(Style::SingleQuoted) if !s.chars().any(|c| c.is_control()) => {
                format!("'{}'", s.replace('\'', "''"))
            }
            _ if plain_ok(s) => s.clone(),
            _ => quote_double(s),
        },
        Value::Map(m) if m.is_empty() => "{}".into(),
        Value::Seq(s) if s.is_empty() => "[]".into(),
        _ => String::new(),
    }
}

fn is_collection(v: &Value) -> bool {
    matches!(v, Value::Map(m) if !m.is_empty()) || matches!(v, Value::Seq(s) if !s.is_empty())
}

/// Text following `key:` for `v` written at `indent` (the key's column): ` scalar`, or block
/// lines each preceded by `nl`.
fn render_after_key(v: &Value, indent: usize, layout: &Layout, nl: &str, out: &mut String) {
    match v {
        Value::Map(m) if !m.is_empty() => render_entries(m, indent + layout.step, layout, nl, out),
        Value::Seq(items) if !items.is_empty() => {
            render_items(items, indent + layout.seq_indent, layout, nl, out)
        }
        _ => {
            out.push(' ');
            out.push_str(&render_scalar(v, layout));
        }
    }
}

/// Mapping entries at `indent`, each line preceded by `nl`.
fn render_entries(
    m: &[(String, Value)],
    indent: usize,
    layout: &Layout,
    nl: &str,
    out: &mut String,
) {
    for (k, v) in m {
        out.push_str(nl);
        out.push_str(&" ".repeat(indent));
        out.push_str(k);
        out.push(':');
        render_after_key(v, indent, layout, nl, out);
    }
}

/// Sequence items with their `-` at `indent`; a mapping item starts on the dash line.
fn render_items(items: &[Value], indent: usize, layout: &Layout, nl: &str, out: &mut String) {
    for item in items {
        out.push_str(nl);
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Value::Map(m) if !m.is_empty() => {
                let mut inner = String::new();
                render_entries(m, indent + 2, layout, nl, &mut inner);
                let lead = format!("{nl}{}", " ".repeat(indent + 2));
                out.push(' ');
                out.push_str(inner.strip_prefix(&lead).unwrap_or(&inner));
            }
            Value::Seq(s) if !s.is_empty() => {
                let mut inner = String::new();
                render_items(s, indent + 2, layout, nl, &mut inner);
                let lead = format!("{nl}{}", " ".repeat(indent + 2));
                out.push(' ');
                out.push_str(inner.strip_prefix(&lead).unwrap_or(&inner));
            }
            v => {
                out.push(' ');
                out.push_str(&render_scalar(v, layout));
            }
        }
    }
}

/// A whole new document in block style (2-space indentation, sequence items at their key's
/// column, LF), for manifests built rather than edited.
pub fn render_document(entries: &[(String, Value)]) -> String {
    let layout = Layout {
        step: 2,
        seq_indent: 0,
        quote: None,
    };
    let mut out = String::new();
    render_entries(entries, 0, &layout, "\n", &mut out);
    let mut s = out.strip_prefix('\n').unwrap_or(&out).to_string();
    s.push('\n');
    s
}

/// Write `value` over a scalar node, keeping its quoting style.
pub fn set_scalar(node: &Node, value: &str) -> Result<Edit, String> {
    let NodeKind::Scalar { style, .. } = &node.kind else {
        return Err("the value to change is not a scalar".into());
    };
    if node.anchored {
        return Err("the value carries a YAML anchor".into());
    }
    let replacement = match style {
        Style::Plain if plain_ok(value) || value.parse::<i64>().is_ok() => value.to_string(),
        Style::Plain => quote_double(value),
        Style::SingleQuoted if !value.chars().any(|c| c.is_control()) => {
            format!("'{}'", value.replace('\'', "''"))
        }
        Style::SingleQuoted | Style::DoubleQuoted => quote_double(value),
        Style::Literal | Style::Folded => return Err("the value is a block scalar".into()),
    };
    Ok(Edit {
        start: node.start,
        end: node.end,
        replacement,
    })
}

fn set_value_scalar(node: &Node, v: &Value) -> Result<Edit, String> {
    match v {
        Value::Int(i) => {
            let mut e = set_scalar(node, &i.to_string())?;
            // An integer stays an integer: drop the quotes the old value may have had.
            if matches!(
                &node.kind,
                NodeKind::Scalar {
                    style: Style::Plain,
                    ..
                }
            ) {
                return Ok(e);
            }
            e.replacement = i.to_string();
            Ok(e)
        }
        Value::Str(s) => set_scalar(node, s),
        _ => Err("a collection cannot replace an existing value".into()),
    }
}

/// True when the node is a null value written as nothing, `~` or `null`.
fn is_null(node: &Node) -> bool {
    matches!(&node.kind, NodeKind::Scalar { style: Style::Plain, value } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
}

/// Set `keys` (mapping keys below `map`) to `value`, creating missing mappings as block lines
/// after the last sibling. Layout is taken from `style_root` (the document root, or `map`).
fn set_in_map(
    text: &str,
    style_root: &Node,
    map: &Node,
    keys: &[&str],
    value: &Value,
    edits: &mut Vec<Edit>,
) -> Result<(), String> {
    let layout = Layout::of(text, style_root);
    let nl = newline(text);
    let Some((first, rest)) = keys.split_first() else {
        return Err("empty path".into());
    };
    // The value to write under `first` when it is missing.
    let nested = rest
        .iter()
        .rev()
        .fold(value.clone(), |v, k| Value::Map(vec![(k.to_string(), v)]));
    match map.entry(first) {
        Some((_, v)) if rest.is_empty() && !is_collection(value) && !is_null(v) => {
            if let (Some(old), Some(new)) = (v.as_str(), value.scalar_text()) {
                if old == new {
                    return Ok(());
                }
            }
            edits.push(set_value_scalar(v, value)?);
            Ok(())
        }
        Some((_, v)) if !rest.is_empty() && v.is_map() && !v.entries().is_empty() => {
            if v.anchored {
                return Err(format!("`{first}` carries a YAML anchor"));
            }
            set_in_map(text, style_root, v, rest, value, edits)
        }
        Some((key, v))
            if is_null(v)
                || (v.is_flow()
                    && v.entries().is_empty()
                    && v.items().is_empty()
                    && !matches!(v.kind, NodeKind::Scalar { .. })) =>
        {
            // `resources: {}` / `resources:` / `args: []` → block lines in their place.
            let mut block = String::new();
            let indent = column(text, key.start);
            render_after_key(&nested, indent, &layout, nl, &mut block);
            if is_null(v) && v.start == v.end {
                // A scalar goes right after the colon (a comment may follow on the line);
                // block lines go after the line.
                let colon = text
                    .get(key.end..)
                    .and_then(|r| r.find(':'))
                    .map(|i| key.end + i + 1);
                let at = match colon {
                    Some(c) if !is_collection(&nested) => c,
                    _ => line_end(text, key.end),
                };
                edits.push(Edit {
                    start: at,
                    end: at,
                    replacement: block,
                });
            } else {
                // Remove the spaces before the old value too (`key: {}` → `key:` + lines).
                let before = text.get(..v.start).unwrap_or("");
                let start = before.trim_end_matches(' ').len();
                let after_key = text.get(key.end..start).unwrap_or("");
                let start = if after_key.trim() == ":" || after_key.is_empty() {
                    start
                } else {
                    v.start
                };
                if !is_collection(&nested) {
                    edits.push(Edit {
                        start: v.start,
                        end: v.end,
                        replacement: block.trim_start().to_string(),
                    });
                } else {
                    edits.push(Edit {
                        start,
                        end: v.end,
                        replacement: block,
                    });
                }
            }
            Ok(())
        }
        Some((_, v)) if v.is_flow() => Err(format!("`{first}` is written in flow style")),
        Some(_) if rest.is_empty() => Err(format!("`{first}` is already set to a collection")),
        Some(_) => Err(format!("`{first}` is not a mapping")),
        None => {
            if map.is_flow() {
                return Err("the mapping is written in flow style".into());
            }
            if map.anchored {
                return Err("the mapping carries a YAML anchor".into());
            }
            let (last_k, last_v) = map.entries().last().ok_or("the mapping is empty")?;
            // New lines copy the last key's column: only safe when every key is a scalar that
            // starts its line (or follows the `-` of a sequence item), not `? complex` keys.
            let simple = |k: &Node| {
                k.as_str().is_some()
                    && text
                        .get(line_start(text, k.start)..k.start)
                        .is_some_and(|p| p.chars().all(|c| c == ' ' || c == '-'))
            };
            if !map.entries().iter().all(|(k, _)| simple(k)) {
                return Err(
                    "the mapping uses complex keys or keys that do not start their line".into(),
                );
            }
            let indent = column(text, last_k.start);
            let mut block = String::new();
            render_entries(
                &[(first.to_string(), nested)],
                indent,
                &layout,
                nl,
                &mut block,
            );
            let seq_value = matches!(last_v.kind, NodeKind::Seq { flow: false, .. });
            let end = entry_end(text, last_k.end.max(last_v.end), indent, seq_value);
            insert_after(text, end, &block, nl, edits);
            Ok(())
        }
    }
}

/// The end of a node's text: the parser's span of a block scalar (`|`, `>`) runs past its
/// final newline over the next line's indentation; cut that back to the newline.
fn content_end(text: &str, end: usize) -> usize {
    let before = text.get(..end).unwrap_or(text);
    let trimmed = before.trim_end_matches([' ', '\t']);
    if trimmed.len() < before.len() && trimmed.ends_with('\n') {
        trimmed.len()
    } else {
        end
    }
}

/// The end of the last line that belongs to an entry whose key is at column `indent` and
/// whose parsed text ends at `end`: following lines indented deeper (or `- ` items at the
/// key's column, for a sequence value) are part of it even when the parser's span stops
/// earlier (a multi-line plain scalar after a comment, for one).
fn entry_end(text: &str, end: usize, indent: usize, seq_value: bool) -> usize {
    let end = content_end(text, end);
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        return end;
    }
    let mut last = line_end(text, end);
    loop {
        let Some(next_start) = text
            .get(last..)
            .and_then(|r| r.find('\n'))
            .map(|i| last + i + 1)
        else {
            return last;
        };
        let le = line_end(text, next_start);
        let line = text.get(next_start..le).unwrap_or("");
        let body = line.trim_start_matches(' ');
        let col = line.len() - body.len();
        let belongs = !body.is_empty()
            && !body.starts_with('#')
            && (col > indent
                || (seq_value && col == indent && (body == "-" || body.starts_with("- "))));
        if !belongs {
            return last;
        }
        last = le;
    }
}

/// Insert `block` (lines each preceded by `nl`) after the line holding `end`.
fn insert_after(text: &str, end: usize, block: &str, nl: &str, edits: &mut Vec<Edit>) {
    let end = content_end(text, end);
    // A block scalar already ends with its newline.
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        let body = block.strip_prefix(nl).unwrap_or(block);
        edits.push(Edit {
            start: end,
            end,
            replacement: format!("{body}{nl}"),
        });
    } else {
        let at = line_end(text, end);
        edits.push(Edit {
            start: at,
            end: at,
            replacement: block.to_string(),
        });
    }
}

/// Set each path of mapping keys below `map` to its plain scalar value, creating missing
/// mappings as block lines after the last sibling. Paths sharing a missing parent are written
/// as one insertion, so the edits never overlap.
pub fn set_paths(text: &str, map: &Node, pairs: &[(&[&str], &str)]) -> Result<Vec<Edit>, String> {
    if map.has_anchors_or_aliases() {
        return Err("the mapping uses YAML anchors or aliases".into());
    }
    let values: Vec<(Vec<String>, Value)> = pairs
        .iter()
        .map(|(k, v)| (k.iter().map(|s| s.to_string()).collect(), Value::str(*v)))
        .collect();
    set_many_in_map(text, map, map, &values)
}

/// Set one path (see [`set_paths`]).
pub fn set_path(text: &str, map: &Node, keys: &[&str], value: &str) -> Result<Vec<Edit>, String> {
    set_paths(text, map, &[(keys, value)])
}

/// Several key paths below `map`, merged by their first missing key so one insertion carries
/// everything new under it.
fn set_many_in_map(
    text: &str,
    style_root: &Node,
    map: &Node,
    values: &[(Vec<String>, Value)],
) -> Result<Vec<Edit>, String> {
    // Group by first key, keeping order.
    let mut groups: Vec<(String, Vec<KeyedValue>)> = Vec::new();
    for (keys, v) in values {
        let Some((first, rest)) = keys.split_first() else {
            return Err("empty path".into());
        };
        match groups.iter_mut().find(|(k, _)| k == first) {
            Some((_, g)) => g.push((rest.to_vec(), v.clone())),
            None => groups.push((first.clone(), vec![(rest.to_vec(), v.clone())])),
        }
    }
    let mut edits = Vec::new();
    for (first, group) in groups {
        let existing = map.get(&first);
        let descend = group.iter().all(|(rest, _)| !rest.is_empty())
            && existing.is_some_and(|v| v.is_map() && !v.entries().is_empty() && !v.is_flow());
        if let (true, Some(child)) = (descend, existing) {
            if child.anchored {
                return Err(format!("`{first}` carries a YAML anchor"));
            }
            edits.extend(set_many_in_map(text, style_root, child, &group)?);
            continue;
        }
        if group.len() == 1 {
            let (rest, v) = &group[0];
            let mut keys: Vec<&str> = vec![first.as_str()];
            keys.extend(rest.iter().map(String::as_str));
            set_in_map(text, style_root, map, &keys, v, &mut edits)?;
            continue;
        }
        // Several values under a key that is missing (or empty): build one mapping.
        let mut merged = Value::Map(Vec::new());
        for (rest, v) in &group {
            merge_into(&mut merged, rest, v.clone())?;
        }
        set_in_map(
            text,
            style_root,
            map,
            &[first.as_str()],
            &merged,
            &mut edits,
        )?;
    }
    Ok(edits)
}

fn merge_into(target: &mut Value, keys: &[String], v: Value) -> Result<(), String> {
    let Value::Map(entries) = target else {
        return Err("conflicting values for one path".into());
    };
    let Some((first, rest)) = keys.split_first() else {
        return Err("conflicting values for one path".into());
    };
    if rest.is_empty() {
        entries.push((first.clone(), v));
        return Ok(());
    }
    let pos = match entries.iter().position(|(k, _)| k == first) {
        Some(p) => p,
        None => {
            entries.push((first.clone(), Value::Map(Vec::new())));
            entries.len() - 1
        }
    };
    merge_into(&mut entries[pos].1, rest, v)
}

/// A value with the mapping keys leading to it.
type KeyedValue = (Vec<String>, Value);

/// Split `path` into the longest prefix that exists in `root` and the missing rest. The
/// missing rest may hold only mapping keys.
fn split_existing<'a, 'p>(
    root: &'a Node,
    path: &'p [Step],
) -> Result<(&'a Node, &'p [Step]), String> {
    let mut node = root;
    for (i, step) in path.iter().enumerate() {
        let next = locate(node, std::slice::from_ref(step));
        let empty = |n: &Node| {
            is_null(n) || (n.is_flow() && n.entries().is_empty() && n.items().is_empty())
        };
        match (next, step) {
            // `resources: {}` / `resources:` with more keys to go: write from its parent, which
            // replaces the empty value with block lines.
            (Some(n), Step::Key(_)) if empty(n) && i + 1 < path.len() && node.is_map() => {
                let rest = &path[i..];
                if rest.iter().any(|s| !matches!(s, Step::Key(_))) {
                    return Err(format!("`{}` is empty", path_string(&path[..=i])));
                }
                return Ok((node, rest));
            }
            (Some(n), _) => node = n,
            (None, Step::Key(_)) => {
                let rest = &path[i..];
                if rest.iter().any(|s| !matches!(s, Step::Key(_))) {
                    return Err(format!(
                        "`{}` is not in the manifest",
                        path_string(&path[..=i])
                    ));
                }
                return Ok((node, rest));
            }
            (None, _) => {
                return Err(format!(
                    "`{}` is not in the manifest",
                    path_string(&path[..=i])
                ));
            }
        }
    }
    Ok((node, &[]))
}

/// Set `path` (from the document root) to `value`: overwrite a scalar, or insert what is
/// missing. Refuses documents with anchors or aliases.
pub fn set(text: &str, root: &Node, path: &[Step], value: &Value) -> Result<Vec<Edit>, String> {
    set_all(text, root, &[(path.to_vec(), value.clone())])
}

/// Several [`set`]s on one document, merged so that values under one missing key become one
/// insertion.
pub fn set_all(
    text: &str,
    root: &Node,
    changes: &[(Vec<Step>, Value)],
) -> Result<Vec<Edit>, String> {
    if root.has_anchors_or_aliases() {
        return Err(
            "the document uses YAML anchors or aliases, which cannot be edited safely".into(),
        );
    }
    let mut edits = Vec::new();
    // Group by the deepest existing mapping (by its position) so merged insertions happen.
    let mut groups: Vec<(&Node, Vec<KeyedValue>)> = Vec::new();
    for (path, value) in changes {
        let (node, rest) = split_existing(root, path)?;
        if rest.is_empty() {
            // The full path exists.
            if is_collection(value) {
                if holds(node, value) {
                    continue;
                }
                return Err(format!("`{}` is already set", path_string(path)));
            }
            let (parent_path, last) = path.split_at(path.len().saturating_sub(1));
            match (last.first(), locate(root, parent_path)) {
                (Some(Step::Key(k)), Some(parent)) => {
                    set_in_map(text, root, parent, &[k.as_str()], value, &mut edits)?
                }
                _ => edits.push(set_value_scalar(node, value)?),
            }
            continue;
        }
        if !node.is_map() {
            if is_null(node) {
                return Err(format!("`{}` is empty", path_string(path)));
            }
            return Err(format!(
                "`{}` is not a mapping",
                path_string(&path[..path.len() - rest.len()])
            ));
        }
        let keys: Vec<String> = rest
            .iter()
            .filter_map(|s| match s {
                Step::Key(k) => Some(k.clone()),
                _ => None,
            })
            .collect();
        match groups.iter_mut().find(|(n, _)| std::ptr::eq(*n, node)) {
            Some((_, g)) => g.push((keys, value.clone())),
            None => groups.push((node, vec![(keys, value.clone())])),
        }
    }
    for (node, values) in groups {
        edits.extend(set_many_in_map(text, root, node, &values)?);
    }
    Ok(edits)
}

/// True when `node` already holds `value` (every key of a mapping value, every item of a
/// sequence value, in order), so writing it again changes nothing.
pub fn holds(node: &Node, value: &Value) -> bool {
    match value {
        Value::Map(m) => {
            node.is_map()
                && m.iter()
                    .all(|(k, v)| node.get(k).is_some_and(|n| holds(n, v)))
        }
        Value::Seq(items) => {
            let have = node.items();
            matches!(node.kind, NodeKind::Seq { .. })
                && have.len() == items.len()
                && have.iter().zip(items).all(|(n, v)| holds(n, v))
        }
        v => node.as_str().map(str::to_string) == v.scalar_text(),
    }
}

/// Append `item` to the block sequence at `path`, in the layout of its existing items.
pub fn append(text: &str, root: &Node, path: &[Step], item: &Value) -> Result<Vec<Edit>, String> {
    append_items(text, root, path, std::slice::from_ref(item))
}

/// Append several items to the block sequence at `path` (one insertion).
pub fn append_items(
    text: &str,
    root: &Node,
    path: &[Step],
    new_items: &[Value],
) -> Result<Vec<Edit>, String> {
    if root.has_anchors_or_aliases() {
        return Err(
            "the document uses YAML anchors or aliases, which cannot be edited safely".into(),
        );
    }
    let seq = locate(root, path)
        .ok_or_else(|| format!("`{}` is not in the manifest", path_string(path)))?;
    let NodeKind::Seq { items, flow } = &seq.kind else {
        return Err(format!("`{}` is not a sequence", path_string(path)));
    };
    if *flow {
        return Err(format!("`{}` is written in flow style", path_string(path)));
    }
    let last = items.last().ok_or("the sequence is empty")?;
    let dash = dash_before(text, items.first().map(|i| i.start).unwrap_or(last.start))
        .ok_or("the sequence items are not laid out one per line")?;
    let layout = Layout::of(text, root);
    let nl = newline(text);
    let mut block = String::new();
    render_items(new_items, column(text, dash), &layout, nl, &mut block);
    let mut edits = Vec::new();
    insert_after(text, last.end, &block, nl, &mut edits);
    Ok(edits)
}

/// The block-mapping entry at `path` for an edit that works on whole lines: its parent
/// mapping, key text, key node and value node. Refuses documents with anchors or aliases, paths
/// that do not end in a key, and flow-style parents. `verb` words the refusal
/// ("only mapping entries can be removed").
fn block_entry<'a>(
    root: &'a Node,
    path: &'a [Step],
    verb: &str,
) -> Result<(&'a Node, &'a str, &'a Node, &'a Node), String> {
    if root.has_anchors_or_aliases() {
        return Err(
            "the document uses YAML anchors or aliases, which cannot be edited safely".into(),
        );
    }
    let (parent_path, last) = path.split_at(path.len().saturating_sub(1));
    let Some(Step::Key(k)) = last.first() else {
        return Err(format!("only mapping entries can be {verb}"));
    };
    let parent = locate(root, parent_path).ok_or("the parent is not in the manifest")?;
    if parent.is_flow() {
        return Err("the mapping is written in flow style".into());
    }
    let (key, value) = parent
        .entry(k)
        .ok_or_else(|| format!("`{}` is not in the manifest", path_string(path)))?;
    Ok((parent, k.as_str(), key, value))
}

/// Remove the entry at `path` (a mapping key) with its whole lines, comments on them included.
pub fn remove(text: &str, root: &Node, path: &[Step]) -> Result<Edit, String> {
    let (parent, k, key, value) = block_entry(root, path, "removed")?;
    if parent.entries().len() < 2 {
        return Err(format!("`{k}` is the only entry of its mapping"));
    }
    let ls = line_start(text, key.start);
    if !text.get(ls..key.start).is_some_and(|p| p.trim().is_empty()) {
        return Err(format!("`{k}` does not start its line"));
    }
    let end = content_end(text, value.end.max(key.end));
    let le = if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        end
    } else {
        let e = line_end(text, end);
        // Past the terminator.
        match text.get(e..) {
            Some(r) if r.starts_with("\r\n") => e + 2,
            Some(r) if r.starts_with('\n') => e + 1,
            _ => e,
        }
    };
    // A removed last line without terminator takes the previous terminator with it.
    let (start, end) = if le == text.len() && !text.ends_with('\n') && ls > 0 {
        let prev = if text.get(..ls).is_some_and(|b| b.ends_with("\r\n")) {
            ls - 2
        } else {
            ls - 1
        };
        (prev, le)
    } else {
        (ls, le)
    };
    Ok(Edit {
        start,
        end,
        replacement: String::new(),
    })
}

/// The indentation step the document uses for nested mappings (2 when nothing shows it).
pub fn indent_step(text: &str, root: &Node) -> usize {
    Layout::of(text, root).step
}

/// Move the entry at `path` (a mapping key) `by` columns to the right, with every line of its
/// value: the fix for a key written one level too far left. Blank lines are left alone.
pub fn indent_entry(
    text: &str,
    root: &Node,
    path: &[Step],
    by: usize,
) -> Result<Vec<Edit>, String> {
    let (_, k, key, value) = block_entry(root, path, "moved")?;
    if value.is_flow() && value.end > line_end(text, key.start) {
        return Err(format!("`{k}` is a flow collection over several lines"));
    }
    if matches!(
        &value.kind,
        NodeKind::Scalar {
            style: Style::Literal | Style::Folded,
            ..
        }
    ) {
        return Err(format!("`{k}` holds a block scalar"));
    }
    let ls = line_start(text, key.start);
    if !text.get(ls..key.start).is_some_and(|p| p.trim().is_empty()) {
        return Err(format!("`{k}` does not start its line"));
    }
    let end = content_end(text, value.end.max(key.end));
    let pad = " ".repeat(by);
    let mut edits = Vec::new();
    let mut pos = ls;
    while pos < end {
        let le = line_end(text, pos);
        if text.get(pos..le).is_some_and(|l| !l.trim().is_empty()) {
            edits.push(Edit {
                start: pos,
                end: pos,
                replacement: pad.clone(),
            });
        }
        match text.get(le..).and_then(|r| r.find('\n')) {
            Some(i) => pos = le + i + 1,
            None => break,
        }
    }
    Ok(edits)
}

/// The pod spec inside a workload document, by kind.
pub fn pod_spec_path(root: &Node) -> Option<Vec<Step>> {
    let kind = root.get("kind").and_then(Node::as_str)?;
    let path: &[&str] = match kind {
        "Job"
        | "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController" => &["spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "Pod" => &["spec"],
        _ => return None,
    };
    Some(keys(path))
}

/// The Job spec inside a Job or CronJob document.
pub fn job_spec_path(root: &Node) -> Option<Vec<Step>> {
    match root.get("kind").and_then(Node::as_str)? {
        "Job" => Some(keys(&["spec"])),
        "CronJob" => Some(keys(&["spec", "jobTemplate", "spec"])),
        _ => None,
    }
}

/// Whether `s.parse::<f64>()` succeeds: the grammar of Rust's float syntax, checked without
/// linking the float parser into the web bundle. Any text in that grammar parses (out-of-range
/// values become infinity), so the grammar alone decides.
fn parses_as_f64(s: &str) -> bool {
    let b = s.as_bytes();
    let b = match b.first() {
        Some(b'+' | b'-') => &b[1..],
        _ => b,
    };
    let lower = b.to_ascii_lowercase();
    if matches!(lower.as_slice(), b"inf" | b"infinity" | b"nan") {
        return true;
    }
    let digits = |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int_end = digits(0);
    let mut i = int_end;
    let mut mantissa = int_end;
    if b.get(i) == Some(&b'.') {
        let frac_end = digits(i + 1);
        mantissa += frac_end - i - 1;
        i = frac_end;
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_end = digits(i);
        if exp_end == i {
            return false;
        }
        i = exp_end;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_as_f64_agrees_with_the_float_parser() {
        let mut cases: Vec<String> = [
            "",
            "+",
            "-",
            ".",
            "e",
            "1",
            "-1",
            "+1",
            "1.",
            ".5",
            "-.5",
            "1.5",
            "1e5",
            "1E5",
            "1e+5",
            "1e-5",
            "1e",
            "1e+",
            ".e1",
            "1.e1",
            ".5e1",
            "inf",
            "-inf",
            "+Infinity",
            "NaN",
            "nan",
            "-nan",
            "infin",
            "1_000",
            "0x10",
            " 1",
            "1 ",
            "1..2",
            "1.2.3",
            "++1",
            "１",
            "1e5.5",
            "500m",
            "1Gi",
            "e5",
            "0.0000",
            "00012",
            "-0",
            "1e99999",
            "٣",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every string of up to four characters from the alphabet of the grammar.
        let alphabet = ['1', '.', 'e', 'E', '+', '-', 'i', 'n', 'a', 'x', '_'];
        let mut level = vec![String::new()];
        for _ in 0..4 {
            let next: Vec<String> = level
                .iter()
                .flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}")))
                .collect();
            cases.extend(next.iter().cloned());
            level = next;
        }
        for s in cases {
            assert_eq!(parses_as_f64(&s), s.parse::<f64>().is_ok(), "{s:?}");
        }
    }

    use super::*;
    use crate::fix::apply;
    use crate::parse::yaml::parse_documents;

    fn edit(text: &str, path: &[&str], keys: &[&str], value: &str) -> Result<String, String> {
        let (docs, _) = parse_documents(text);
        let root = &docs[0].root;
        let map = root.path(path).ok_or("no map")?;
        let edits = set_path(text, map, keys, value)?;
        apply(text, &edits).ok_or_else(|| "overlap".to_string())
    }

    fn set_at(text: &str, doc: usize, path: &str, value: Value) -> Result<String, String> {
        let (docs, err) = parse_documents(text);
        assert!(err.is_none(), "{err:?}");
        let root = &docs[doc].root;
        let edits = set(text, root, &parse_path(path)?, &value)?;
        let out = apply(text, &edits).ok_or_else(|| "overlap".to_string())?;
        let (again, err) = parse_documents(&out);
        assert!(err.is_none(), "{out}\n{err:?}");
        let node = locate(&again[doc].root, &parse_path(path)?).ok_or("gone")?;
        if let Some(s) = value.scalar_text() {
            assert_eq!(node.as_str(), Some(s.as_str()), "{out}");
        }
        Ok(out)
    }

    #[test]
    fn paths_parse() {
        assert_eq!(
            parse_path("spec.containers[name=worker].ports[0].x"),
            Ok(vec![
                Step::key("spec"),
                Step::key("containers"),
                Step::Named("worker".into()),
                Step::key("ports"),
                Step::Index(0),
                Step::key("x"),
            ])
        );
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[x]").is_err());
        assert_eq!(
            path_string(&parse_path("a.b[name=c][1]").unwrap_or_default()),
            "a.b[name=c][1]"
        );
    }

    #[test]
    fn replaces_keeping_quotes_and_comments() {
        let t = "r:\n  limits:\n    memory: \"128Mi\" # keep\n    cpu: 1\n";
        assert_eq!(
            edit(t, &["r"], &["limits", "memory"], "192Mi").as_deref(),
            Ok("r:\n  limits:\n    memory: \"192Mi\" # keep\n    cpu: 1\n")
        );
        let t = "r:\n  memory: '128Mi'   # single\n";
        assert_eq!(
            edit(t, &["r"], &["memory"], "1Gi").as_deref(),
            Ok("r:\n  memory: '1Gi'   # single\n")
        );
    }

    #[test]
    fn inserts_missing_keys_after_siblings() {
        let t = "c:\n    name: x\n    image: y # img\nnext: 1\n";
        assert_eq!(
            edit(t, &["c"], &["resources", "limits", "memory"], "1Gi").as_deref(),
            Ok("c:\n    name: x\n    image: y # img\n    resources:\n      limits:\n        memory: 1Gi\nnext: 1\n")
        );
    }

    #[test]
    fn empty_flow_map_becomes_block() {
        let t = "c:\n  name: x\n  resources: {}\n";
        assert_eq!(
            edit(t, &["c"], &["resources", "limits", "memory"], "1Gi").as_deref(),
            Ok("c:\n  name: x\n  resources:\n    limits:\n      memory: 1Gi\n")
        );
        let t = "c:\n  name: x\n  resources:\n  image: y\n";
        assert_eq!(
            edit(t, &["c"], &["resources", "limits", "memory"], "1Gi").as_deref(),
            Ok("c:\n  name: x\n  resources:\n    limits:\n      memory: 1Gi\n  image: y\n")
        );
    }

    #[test]
    fn null_value_with_comment() {
        let t = "c:\n  policy: # decide later\n  name: x\n";
        let (docs, _) = parse_documents(t);
        let edits = set(
            t,
            &docs[0].root,
            &parse_path("c.policy").unwrap_or_default(),
            &Value::str("Never"),
        )
        .unwrap_or_default();
        assert_eq!(
            apply(t, &edits).as_deref(),
            Some("c:\n  policy: Never # decide later\n  name: x\n")
        );
    }

    #[test]
    fn insertion_after_a_value_the_parser_cuts_short() {
        // A tagged plain scalar after a comment continues on the next line.
        let t = "a: ! # note\n    rest of a\n";
        let (docs, err) = parse_documents(t);
        assert!(err.is_none());
        let edits = set(
            t,
            &docs[0].root,
            &parse_path("b").unwrap_or_default(),
            &Value::Int(1),
        )
        .unwrap_or_default();
        assert_eq!(
            apply(t, &edits).as_deref(),
            Some("a: ! # note\n    rest of a\nb: 1\n")
        );
    }

    #[test]
    fn complex_keys_are_refused() {
        let t = "metadata:\n ?    name: shard\nspec: 1\n";
        let (docs, err) = parse_documents(t);
        assert!(err.is_none());
        assert!(set(
            t,
            &docs[0].root,
            &parse_path("metadata.labels.a").unwrap_or_default(),
            &Value::str("b")
        )
        .is_err());
    }

    #[test]
    fn crlf_is_kept() {
        let t = "c:\r\n  name: x\r\n";
        assert_eq!(
            edit(t, &["c"], &["image"], "img").as_deref(),
            Ok("c:\r\n  name: x\r\n  image: img\r\n")
        );
    }

    #[test]
    fn flow_mapping_insertion_is_refused() {
        let t = "c: {name: x}\n";
        assert!(edit(t, &["c"], &["image"], "y").is_err());
    }

    const JOB: &str = "apiVersion: batch/v1\nkind: Job # the job\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n      - name: worker\n        image: busybox\n        resources:\n          limits:\n            memory: 128Mi\n      - name: side\n        image: busybox\n";

    #[test]
    fn named_container_paths() {
        let out = set_at(
            JOB,
            0,
            "spec.template.spec.containers[name=worker].resources.limits.memory",
            Value::str("256Mi"),
        );
        assert_eq!(out, Ok(JOB.replace("128Mi", "256Mi")));
        let out = set_at(
            JOB,
            0,
            "spec.template.spec.containers[name=side].resources.requests.cpu",
            Value::str("250m"),
        );
        assert_eq!(
            out,
            Ok(format!(
                "{JOB}        resources:\n          requests:\n            cpu: 250m\n"
            ))
        );
        assert!(set_at(
            JOB,
            0,
            "spec.template.spec.containers[name=nope].image",
            Value::str("x")
        )
        .is_err());
    }

    #[test]
    fn inserts_sequences_in_the_document_layout() {
        let pfp = Value::map([(
            "rules",
            Value::Seq(vec![Value::map([
                ("action", Value::str("FailJob")),
                (
                    "onExitCodes",
                    Value::map([
                        ("containerName", Value::str("worker")),
                        ("operator", Value::str("In")),
                        ("values", Value::Seq(vec![Value::Int(42)])),
                    ]),
                ),
            ])]),
        )]);
        let out = set_at(JOB, 0, "spec.podFailurePolicy", pfp.clone()).unwrap_or_default();
        assert!(out.ends_with("  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        containerName: worker\n        operator: In\n        values:\n        - 42\n"), "{out}");
        // Items indented under their key in the original → indented here too.
        let indented = JOB
            .replace("      - name", "        - name")
            .replace("        image", "          image")
            .replace("        resources", "          resources")
            .replace("          limits", "            limits")
            .replace("            memory", "              memory");
        let out = set_at(&indented, 0, "spec.podFailurePolicy", pfp).unwrap_or_default();
        assert!(
            out.contains("    rules:\n      - action: FailJob\n        onExitCodes:\n"),
            "{out}"
        );
    }

    #[test]
    fn multi_document_edits_only_the_target() {
        let t = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n{JOB}---\nkind: Service\n"
        );
        let out = set_at(
            &t,
            1,
            "spec.template.spec.restartPolicy",
            Value::str("Never"),
        )
        .unwrap_or_default();
        assert!(out.starts_with("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n"));
        assert!(out.ends_with("      - name: side\n        image: busybox\n      restartPolicy: Never\n---\nkind: Service\n"), "{out}");
    }

    #[test]
    fn quotes_follow_siblings() {
        let t = "spec:\n  template:\n    spec:\n      containers:\n      - name: \"a\"\n        image: \"b\"\n";
        let out = set_at(
            t,
            0,
            "spec.template.spec.restartPolicy",
            Value::str("Never"),
        )
        .unwrap_or_default();
        assert!(out.ends_with("      restartPolicy: \"Never\"\n"), "{out}");
        // Control characters are escaped inside double quotes.
        let out = set_at("a: 1\n", 0, "b", Value::str("x\u{4}y")).unwrap_or_default();
        assert_eq!(out, "a: 1\nb: \"x\\u0004y\"\n");
        // Text that would read as a boolean is quoted.
        let out = set_at("a: 1\n", 0, "b", Value::str("yes")).unwrap_or_default();
        assert_eq!(out, "a: 1\nb: \"yes\"\n");
    }

    #[test]
    fn anchors_and_flow_are_refused() {
        let t = "base: &b\n  x: 1\nuse: *b\n";
        assert!(set_at(t, 0, "base.y", Value::Int(2)).is_err());
        let t = "spec: {template: {spec: {containers: []}}}\n";
        assert!(set_at(
            t,
            0,
            "spec.template.spec.restartPolicy",
            Value::str("Never")
        )
        .is_err());
    }

    #[test]
    fn appends_to_block_sequences() {
        let t = "rules:\n  - action: Ignore # keep\n    x: 1\nnext: 2\n";
        let (docs, _) = parse_documents(t);
        let edits = append(
            t,
            &docs[0].root,
            &parse_path("rules").unwrap_or_default(),
            &Value::map([("action", Value::str("FailJob"))]),
        )
        .unwrap_or_default();
        assert_eq!(
            apply(t, &edits).as_deref(),
            Some("rules:\n  - action: Ignore # keep\n    x: 1\n  - action: FailJob\nnext: 2\n")
        );
    }

    #[test]
    fn removes_whole_entries() {
        let t = "a: 1\nb: # gone\n  c: 2\nd: 3\n";
        let (docs, _) = parse_documents(t);
        let e = remove(t, &docs[0].root, &parse_path("b").unwrap_or_default());
        assert_eq!(
            e.ok().and_then(|e| apply(t, &[e])).as_deref(),
            Some("a: 1\nd: 3\n")
        );
        let t = "a: 1\r\nb: 2";
        let (docs, _) = parse_documents(t);
        let e = remove(t, &docs[0].root, &parse_path("b").unwrap_or_default());
        assert_eq!(e.ok().and_then(|e| apply(t, &[e])).as_deref(), Some("a: 1"));
    }

    #[test]
    fn cronjob_and_pod_spec_paths() {
        let (docs, _) = parse_documents("kind: CronJob\n");
        assert_eq!(
            pod_spec_path(&docs[0].root)
                .map(|p| path_string(&p))
                .as_deref(),
            Some("spec.jobTemplate.spec.template.spec")
        );
        assert_eq!(
            job_spec_path(&docs[0].root)
                .map(|p| path_string(&p))
                .as_deref(),
            Some("spec.jobTemplate.spec")
        );
        let (docs, _) = parse_documents("kind: Pod\n");
        assert_eq!(
            pod_spec_path(&docs[0].root)
                .map(|p| path_string(&p))
                .as_deref(),
            Some("spec")
        );
    }
}
#[cfg(test)]
mod fuzz_regressions {
    use super::*;
    use crate::fix::apply;
    use crate::parse::yaml::parse_documents;

    #[test]
    fn after_a_literal_block_scalar() {
        let t = "spec:\n  c:\n  - name: main\n    command:\n    - |\n      line\n  backoff: 6\n";
        let (docs, _) = parse_documents(t);
        let edits = set(
            t,
            &docs[0].root,
            &parse_path("spec.c[name=main].resources.requests.cpu").unwrap_or_default(),
            &Value::str("3m"),
        )
        .unwrap_or_default();
        let out = apply(t, &edits).unwrap_or_default();
        assert_eq!(out, "spec:\n  c:\n  - name: main\n    command:\n    - |\n      line\n    resources:\n      requests:\n        cpu: 3m\n  backoff: 6\n");
    }
}
