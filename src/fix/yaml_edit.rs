//! Locating paths in the span-aware YAML tree and turning changes into minimal text edits.

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

pub fn keys(path: &[&str]) -> Vec<Step> {
    path.iter().map(|k| Step::key(k)).collect()
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
    pos - text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// The line terminator the document uses.
pub fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// End of the line holding `pos`, before its terminator.
fn line_end(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    let end = text[pos..]
        .find('\n')
        .map(|i| pos + i)
        .unwrap_or(text.len());
    if end > pos && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
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
        Style::Plain => value.to_string(),
        Style::SingleQuoted => format!("'{}'", value.replace('\'', "''")),
        Style::DoubleQuoted => format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")),
        Style::Literal | Style::Folded => return Err("the value is a block scalar".into()),
    };
    Ok(Edit {
        start: node.start,
        end: node.end,
        replacement,
    })
}

/// Indentation step used below `map` (2 when nothing shows it).
fn indent_step(text: &str, map: &Node) -> usize {
    for (k, v) in map.entries() {
        if v.is_map() && !v.is_flow() {
            if let Some((ck, _)) = v.entries().first() {
                let step = column(text, ck.start).saturating_sub(column(text, k.start));
                if step > 0 {
                    return step;
                }
            }
        }
    }
    2
}

/// A small tree of keys to write: leaves hold values.
#[derive(Debug, Default)]
struct KeyTree<'a> {
    children: Vec<(&'a str, KeyTree<'a>)>,
    value: Option<&'a str>,
}

impl<'a> KeyTree<'a> {
    fn build(pairs: &[(&[&'a str], &'a str)]) -> KeyTree<'a> {
        let mut t = KeyTree::default();
        for (keys, value) in pairs {
            let mut node = &mut t;
            for k in keys.iter() {
                let pos = match node.children.iter().position(|(n, _)| n == k) {
                    Some(p) => p,
                    None => {
                        node.children.push((k, KeyTree::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[pos].1;
            }
            node.value = Some(value);
        }
        t
    }

    /// Block lines for this tree's children at `indent`, each line preceded by `nl`.
    fn render(&self, indent: usize, step: usize, nl: &str, out: &mut String) {
        for (k, child) in &self.children {
            out.push_str(nl);
            out.push_str(&" ".repeat(indent));
            out.push_str(k);
            out.push(':');
            match child.value {
                Some(v) => {
                    out.push(' ');
                    out.push_str(v);
                }
                None => child.render(indent + step, step, nl, out),
            }
        }
    }
}

/// Set each path of mapping keys below `map` to its plain scalar value, creating missing
/// mappings as block lines after the last sibling. `map` must be a block mapping; one
/// insertion is made per missing subtree, so the edits never overlap.
pub fn set_paths(text: &str, map: &Node, pairs: &[(&[&str], &str)]) -> Result<Vec<Edit>, String> {
    let tree = KeyTree::build(pairs);
    let mut edits = Vec::new();
    apply_tree(text, map, &tree, &mut edits)?;
    Ok(edits)
}

/// Set one path (see [`set_paths`]).
pub fn set_path(text: &str, map: &Node, keys: &[&str], value: &str) -> Result<Vec<Edit>, String> {
    set_paths(text, map, &[(keys, value)])
}

fn apply_tree(text: &str, map: &Node, tree: &KeyTree, edits: &mut Vec<Edit>) -> Result<(), String> {
    if map.anchored {
        return Err("the mapping carries a YAML anchor".into());
    }
    let nl = newline(text);
    let step = indent_step(text, map);
    let mut missing = KeyTree::default();
    for (k, child) in &tree.children {
        match map.entry(k) {
            Some((_, v)) if child.value.is_some() => {
                edits.push(set_scalar(v, child.value.unwrap_or_default())?)
            }
            Some((_, v)) if v.is_map() && !v.is_flow() && !v.entries().is_empty() => {
                apply_tree(text, v, child, edits)?
            }
            Some((key, v)) if v.is_map() && v.is_flow() && v.entries().is_empty() => {
                // `resources: {}` → a block mapping in place of the empty flow mapping.
                let mut replacement = String::new();
                child.render(column(text, key.start) + step, step, nl, &mut replacement);
                let start = v.start
                    - text[..v.start]
                        .len()
                        .saturating_sub(text[..v.start].trim_end_matches(' ').len());
                edits.push(Edit {
                    start,
                    end: v.end,
                    replacement,
                });
            }
            Some((_, v)) if v.is_flow() => return Err(format!("`{k}` is written in flow style")),
            Some(_) => return Err(format!("`{k}` is not a mapping")),
            None => missing.children.push((
                k,
                KeyTree {
                    children: child
                        .children
                        .iter()
                        .map(|(a, b)| (*a, b.clone_tree()))
                        .collect(),
                    value: child.value,
                },
            )),
        }
    }
    if missing.children.is_empty() {
        return Ok(());
    }
    if map.is_flow() {
        return Err("the mapping is written in flow style".into());
    }
    let (last_k, last_v) = map.entries().last().ok_or("the mapping is empty")?;
    let indent = column(text, last_k.start);
    let mut block = String::new();
    missing.render(indent, step, nl, &mut block);
    // After the last entry: at the end of its last line (a block scalar already ends with
    // its newline).
    let end = last_v.end.max(last_k.end);
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        let body = block.strip_prefix(nl).unwrap_or(&block);
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
            replacement: block,
        });
    }
    Ok(())
}

impl KeyTree<'_> {
    fn clone_tree(&self) -> Self {
        KeyTree {
            children: self
                .children
                .iter()
                .map(|(a, b)| (*a, b.clone_tree()))
                .collect(),
            value: self.value,
        }
    }
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
        | "ReplicationController"
        | "PodTemplate" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "Pod" => &["spec"],
        _ => return None,
    };
    let mut steps = keys(path);
    if kind == "PodTemplate" {
        steps = keys(&["template", "spec"]);
    }
    Some(steps)
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn replaces_keeping_quotes_and_comments() {
        let t = "r:\n  limits:\n    memory: \"128Mi\" # keep\n    cpu: 1\n";
        assert_eq!(
            edit(t, &["r"], &["limits", "memory"], "192Mi").as_deref(),
            Ok("r:\n  limits:\n    memory: \"192Mi\" # keep\n    cpu: 1\n")
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
    }

    #[test]
    fn crlf_is_kept() {
        let t = "c:\r\n  name: x\r\n";
        assert_eq!(
            edit(t, &["c"], &["image"], "y").as_deref(),
            Ok("c:\r\n  name: x\r\n  image: y\r\n")
        );
    }

    #[test]
    fn flow_mapping_insertion_is_refused() {
        let t = "c: {name: x}\n";
        assert!(edit(t, &["c"], &["image"], "y").is_err());
    }
}
