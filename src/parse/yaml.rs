//! A span-aware YAML tree, built from the events of the project's own reader
//! (`yaml_read.rs`).
//!
//! Typed reading and format-preserving edits both walk this tree: every node knows the byte
//! range it came from, so a fix can replace exactly a scalar, or insert a key after its
//! siblings, and leave every other byte alone. JSON is read by the same parser (it is YAML's
//! flow style).

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar {
        value: String,
        style: Style,
    },
    /// Key/value pairs in document order.
    Map {
        entries: Vec<(Node, Node)>,
        flow: bool,
    },
    Seq {
        items: Vec<Node>,
        flow: bool,
    },
    Alias,
}

/// A node and the byte range of its text (for collections: from the first to the last byte of
/// their content).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub start: usize,
    pub end: usize,
    /// Carries an anchor (`&name`): edits around such nodes are not safe.
    pub anchored: bool,
}

impl Default for Node {
    fn default() -> Self {
        Node {
            kind: NodeKind::Map {
                entries: Vec::new(),
                flow: false,
            },
            start: 0,
            end: 0,
            anchored: false,
        }
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node under `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Map { entries, .. } => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.kind {
            NodeKind::Map { entries, .. } => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq { items, .. } => items,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.kind, NodeKind::Map { .. })
    }

    pub fn is_flow(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Map { flow: true, .. } | NodeKind::Seq { flow: true, .. }
        )
    }

    /// Follow a dotted path of mapping keys.
    /// The node at `path`, a list of keys made by [`crate::wording::phrases!`]: one string
    /// literal per path where an array of keys would store a pointer and length per key.
    pub fn at(&self, path: &str) -> Option<&Node> {
        crate::wording::each(path).try_fold(self, |node, key| node.get(key))
    }

    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// True when this node or anything below it uses anchors or aliases.
    pub fn has_anchors_or_aliases(&self) -> bool {
        self.anchored
            || matches!(self.kind, NodeKind::Alias)
            || self
                .entries()
                .iter()
                .any(|(k, v)| k.has_anchors_or_aliases() || v.has_anchors_or_aliases())
            || self.items().iter().any(Node::has_anchors_or_aliases)
    }
}

/// One YAML document: its root node and the byte range of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub offset: usize,
    pub line: usize,
    pub message: String,
}

enum Frame {
    Map {
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        start: usize,
        anchored: bool,
        flow: bool,
    },
    Seq {
        items: Vec<Node>,
        start: usize,
        anchored: bool,
        flow: bool,
    },
}

/// Parse every document in `text`. Errors carry a byte offset; documents read before the error
/// are returned with it. JSON cut short at the end of a paste (only `{`/`[` left open) is read
/// as far as it goes, and the error is still returned.
pub fn parse_documents(text: &str) -> (Vec<Document>, Option<YamlError>) {
    parse_documents_with(text, parse_inner)
}

/// [`parse_documents`] over any reader (tests compare readers through it).
#[doc(hidden)]
pub fn parse_documents_with(
    text: &str,
    parse_inner: impl Fn(&str) -> (Vec<Document>, Option<YamlError>, Option<String>),
) -> (Vec<Document>, Option<YamlError>) {
    let (docs, err, closers) = parse_inner(text);
    if let (Some(e), Some(closers)) = (&err, closers) {
        if !closers.is_empty() && text.get(e.offset..).is_some_and(|r| r.trim().is_empty()) {
            if let (mut more, None, _) = parse_inner(&format!("{text}\n{closers}")) {
                more.iter_mut().for_each(|d| {
                    d.end = d.end.min(text.len());
                    clamp(&mut d.root, text.len());
                });
                return (more, err);
            }
        }
    }
    (docs, err)
}

fn clamp(n: &mut Node, len: usize) {
    n.start = n.start.min(len);
    n.end = n.end.min(len);
    match &mut n.kind {
        NodeKind::Map { entries, .. } => entries.iter_mut().for_each(|(k, v)| {
            clamp(k, len);
            clamp(v, len);
        }),
        NodeKind::Seq { items, .. } => items.iter_mut().for_each(|i| clamp(i, len)),
        _ => {}
    }
}

/// One reader event with what the tree needs of it.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub enum Ev {
    DocStart,
    DocEnd,
    MapStart {
        anchored: bool,
    },
    MapEnd,
    SeqStart {
        anchored: bool,
    },
    SeqEnd,
    Scalar {
        value: String,
        style: Style,
        anchored: bool,
    },
    Alias,
}

/// The documents, the error, and on an error the closers of the collections left open when
/// all of them are flow (`{`/`[`) ones.
fn parse_inner(text: &str) -> (Vec<Document>, Option<YamlError>, Option<String>) {
    let (events, fail) = super::yaml_read::read(text);
    let err = fail.map(|(offset, message)| YamlError {
        offset: offset.min(text.len()),
        line: text
            .get(..offset.min(text.len()))
            .map_or(0, |t| t.matches('\n').count())
            + 1,
        message: message.to_string(),
    });
    build(text, events.into_iter().map(Ok).chain(err.map(Err)))
}

/// Fold events (byte spans) into documents; an `Err` item stops the reading.
#[doc(hidden)]
pub fn build(
    text: &str,
    events: impl IntoIterator<Item = Result<(Ev, usize, usize), YamlError>>,
) -> (Vec<Document>, Option<YamlError>, Option<String>) {
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut doc_start = 0;
    let bytes = text.as_bytes();
    for item in events {
        let (event, start, end) = match item {
            Ok(x) => x,
            Err(e) => {
                let closers = stack
                    .iter()
                    .rev()
                    .map(|f| match f {
                        Frame::Map { flow: true, .. } => Some('}'),
                        Frame::Seq { flow: true, .. } => Some(']'),
                        _ => None,
                    })
                    .collect();
                return (docs, Some(e), closers);
            }
        };
        let end = end.max(start);
        let node = match event {
            Ev::DocStart => {
                doc_start = start;
                root = None;
                continue;
            }
            Ev::DocEnd => {
                if let Some(r) = root.take() {
                    docs.push(Document {
                        start: doc_start.min(r.start),
                        end: r.end.max(end),
                        root: r,
                    });
                }
                continue;
            }
            Ev::MapStart { anchored } => {
                let flow = bytes.get(start) == Some(&b'{');
                stack.push(Frame::Map {
                    entries: Vec::new(),
                    pending_key: None,
                    start,
                    anchored,
                    flow,
                });
                continue;
            }
            Ev::SeqStart { anchored } => {
                let flow = bytes.get(start) == Some(&b'[');
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    start,
                    anchored,
                    flow,
                });
                continue;
            }
            Ev::MapEnd => match stack.pop() {
                Some(Frame::Map {
                    entries,
                    start: s,
                    anchored,
                    flow,
                    ..
                }) => {
                    let content_end = entries.last().map(|(_, v)| v.end).unwrap_or(s);
                    let end = if flow {
                        end.max(content_end)
                    } else {
                        content_end
                    };
                    let first = entries.first().map(|(k, _)| k.start).unwrap_or(s);
                    Node {
                        kind: NodeKind::Map { entries, flow },
                        start: if flow { s } else { first.min(s.max(first)) },
                        end,
                        anchored,
                    }
                }
                _ => continue,
            },
            Ev::SeqEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    start: s,
                    anchored,
                    flow,
                }) => {
                    let content_end = items.last().map(|v| v.end).unwrap_or(s);
                    let end = if flow {
                        end.max(content_end)
                    } else {
                        content_end
                    };
                    Node {
                        kind: NodeKind::Seq { items, flow },
                        start: s,
                        end,
                        anchored,
                    }
                }
                _ => continue,
            },
            Ev::Scalar {
                value,
                style,
                anchored,
            } => {
                let end = scalar_end(text, start, end, style);
                Node {
                    kind: NodeKind::Scalar { value, style },
                    start,
                    end,
                    anchored,
                }
            }
            Ev::Alias => Node {
                kind: NodeKind::Alias,
                start,
                end,
                anchored: false,
            },
        };
        match stack.last_mut() {
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                Some(k) => entries.push((k, node)),
                None => *pending_key = Some(node),
            },
            Some(Frame::Seq { items, .. }) => items.push(node),
            None => root = Some(node),
        }
    }
    (docs, None, None)
}

/// The true end of a scalar's text: the parser's span of a quoted scalar can run past the
/// closing quote (over spaces and a comment), and a plain scalar's over trailing blanks.
fn scalar_end(text: &str, start: usize, end: usize, style: Style) -> usize {
    let bytes = text.as_bytes();
    match style {
        Style::DoubleQuoted if bytes.get(start) == Some(&b'"') => {
            let mut i = start + 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            end
        }
        Style::SingleQuoted if bytes.get(start) == Some(&b'\'') => {
            let mut i = start + 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            end
        }
        Style::Plain => {
            let slice = text.get(start..end).unwrap_or("");
            let cut = slice.find(" #").unwrap_or(slice.len());
            start + slice[..cut].trim_end().len()
        }
        _ => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_scalars() {
        let text = "a: 1\nb:\n  c: \"x y\"\n  d: [1, 2]\n";
        let (docs, err) = parse_documents(text);
        assert!(err.is_none());
        let root = &docs[0].root;
        let c = root.path(&["b", "c"]).expect("c");
        let (docs2, _) = parse_documents("m: \"1\" # c\nn: 'a''b'  # d\no: plain # e\n");
        let r = &docs2[0].root;
        assert_eq!(r.get("m").map(|n| (n.start, n.end)), Some((3, 6)));
        assert_eq!(r.get("n").map(|n| (n.start, n.end)), Some((14, 20)));
        assert_eq!(r.get("o").map(|n| (n.start, n.end)), Some((29, 34)));
        assert_eq!(&text[c.start..c.end], "\"x y\"");
        assert_eq!(c.as_str(), Some("x y"));
        let d = root.path(&["b", "d"]).expect("d");
        assert!(d.is_flow());
        assert_eq!(&text[d.start..d.end], "[1, 2]");
    }

    #[test]
    fn multi_document_and_non_ascii() {
        let text = "# é\na: ü\n---\nb: 2\n";
        let (docs, err) = parse_documents(text);
        assert!(err.is_none());
        assert_eq!(docs.len(), 2);
        let b = docs[1].root.get("b").expect("b");
        assert_eq!(&text[b.start..b.end], "2");
        let a = docs[0].root.get("a").expect("a");
        assert_eq!(&text[a.start..a.end], "ü");
    }

    #[test]
    fn json_cut_at_the_end_is_read_as_far_as_it_goes() {
        let text = "{\n  \"a\": {\n    \"b\": [1, 2],\n    \"c\": \"x\"\n";
        let (docs, err) = parse_documents(text);
        assert!(err.is_some());
        let c = docs[0].root.path(&["a", "c"]).expect("c");
        assert_eq!(&text[c.start..c.end], "\"x\"");
        assert!(docs[0].end <= text.len() && docs[0].root.end <= text.len());
        // Cut inside a string, or broken before the end, is not guessed at.
        assert!(parse_documents("{\"a\": \"x").0.is_empty());
        assert!(parse_documents("{\"a\": 1 \"b\": 2}\n").0.is_empty());
        // Block YAML left open is not closed with brackets.
        assert!(parse_documents("a:\n  - [1, 2\n").0.is_empty());
    }

    #[test]
    fn errors_have_offsets() {
        let (_, err) = parse_documents("a: [1, 2\nb: 3\n");
        assert!(err.is_some());
    }
}
