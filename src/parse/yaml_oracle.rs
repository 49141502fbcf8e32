//! The reference reader for tests: `saphyr-parser`'s events folded by the same tree builder,
//! so the project's own reader can be compared with it node for node.

use crate::parse::yaml::{self, build, parse_documents_with, Document, Ev, Node, Style, YamlError};
use saphyr_parser::{Event, Parser, ScalarStyle};

/// Converts the parser's character indices to byte offsets.
struct Offsets {
    /// Byte offset of every char, only for non-ASCII text.
    table: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            None
        } else {
            Some(text.char_indices().map(|(i, _)| i).collect())
        };
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

fn inner(text: &str) -> (Vec<Document>, Option<YamlError>, Option<String>) {
    let offsets = Offsets::new(text);
    let events = Parser::new_from_str(text).filter_map(|item| match item {
        Err(e) => {
            let m = e.marker();
            Some(Err(YamlError {
                offset: offsets.byte(m.index()),
                line: m.line(),
                message: e.info().to_string(),
            }))
        }
        Ok((event, span)) => {
            let start = offsets.byte(span.start.index());
            let end = offsets.byte(span.end.index());
            let ev = match event {
                Event::DocumentStart(_) => Ev::DocStart,
                Event::DocumentEnd => Ev::DocEnd,
                Event::StreamStart | Event::StreamEnd | Event::Nothing => return None,
                Event::MappingStart(a, _) => Ev::MapStart { anchored: a > 0 },
                Event::SequenceStart(a, _) => Ev::SeqStart { anchored: a > 0 },
                Event::MappingEnd => Ev::MapEnd,
                Event::SequenceEnd => Ev::SeqEnd,
                Event::Alias(_) => Ev::Alias,
                Event::Scalar(value, style, a, _) => Ev::Scalar {
                    value: value.into_owned(),
                    style: match style {
                        ScalarStyle::SingleQuoted => Style::SingleQuoted,
                        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                        ScalarStyle::Literal => Style::Literal,
                        ScalarStyle::Folded => Style::Folded,
                        _ => Style::Plain,
                    },
                    anchored: a > 0,
                },
            };
            Some(Ok((ev, start, end)))
        }
    });
    build(text, events)
}

/// What `parse_documents` returns when `saphyr-parser` does the reading.
pub fn parse_documents(text: &str) -> (Vec<Document>, Option<YamlError>) {
    parse_documents_with(text, inner)
}

/// A refusal's message, and whether an error at this offset of this text is of its class.
pub type Refusal = (&'static str, fn(&str, usize) -> bool);

/// Texts the reader refuses although the reference reads them: each is syntax that no
/// Kubernetes manifest plausibly holds, and the reader refuses it with its own message (the
/// message names the class, and the test says where such an error may stand, so the
/// comparison accepts exactly these refusals and no other).
pub const REFUSALS: &[Refusal] = &[
    // Block collections nested past the reader's bound (recursion stays off the stack).
    ("block nesting too deep", |_, _| true),
    // A byte order mark after the start of the text, outside quoted scalars. The reference
    // refuses one inside a document too, but skips one at the start of a line where no
    // node starts: between documents (after `...`, before `---`) or on a last, otherwise
    // empty line, e.g. "a\n...\n\u{feff}---\nb", "a: 1\n\u{feff}\n"; the reader refuses
    // them all (kubectl writes none; a concatenation of files saved with one could).
    (
        "a byte order mark after the start of the text",
        |text, at| {
            let line = text
                .get(..at)
                .map_or("", |t| t.rsplit_once(['\n', '\r']).map_or(t, |(_, l)| l));
            text.get(at..).is_some_and(|t| t.starts_with('\u{feff}'))
                && line.chars().all(|c| c == '\u{feff}')
        },
    ),
];

/// The reference counts the bytes, not the characters, of a reserved directive's line
/// (`%NAME ...`, neither `%YAML` nor `%TAG`), so every position after one holding non-ASCII
/// text is off. Both readers skip such a line: the reference is given the text with that
/// line's non-ASCII characters replaced by as many `x` as they have bytes. A byte order mark
/// stays: the reference refuses one on such a line, wherever it stands.
fn reserved_directives_ascii(text: &str) -> std::borrow::Cow<'_, str> {
    // Directives stand between documents: at the start, or after `...`.
    let mut between = true;
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    // (A lone CR breaks a line too.)
    for l in text.split_inclusive(['\n', '\r']) {
        let mut body = l.trim_end_matches(['\n', '\r']);
        if out.is_empty() {
            // Byte order marks opening the text are skipped by both.
            body = body.trim_start_matches('\u{feff}');
        }
        // (The name runs to the first blank: `%TAGx` is a reserved directive.)
        let name = body
            .get(1..)
            .and_then(|b| b.split([' ', '\t']).next())
            .unwrap_or("");
        let reserved = between && body.starts_with('%') && name != "YAML" && name != "TAG";
        if reserved && !body.is_ascii() {
            changed = true;
            for c in l.chars() {
                if c.is_ascii() || c == '\u{feff}' {
                    out.push(c);
                } else {
                    (0..c.len_utf8()).for_each(|_| out.push('x'));
                }
            }
            continue;
        }
        out.push_str(l);
        // Blanks are spaces and tabs only (a form feed is text); a comment may be indented.
        let text_start = body.trim_start_matches([' ', '\t']);
        if body
            .strip_prefix("...")
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        {
            between = true;
        } else if !(text_start.is_empty() || text_start.starts_with('#') || body.starts_with('%')) {
            between = false;
        }
    }
    if changed {
        out.into()
    } else {
        text.into()
    }
}

/// How the reader's result compares with the reference's, under the project's policy:
/// `Ok(None)` the same documents (and an error on both sides or on neither), `Ok(Some(class))`
/// a documented refusal (see [`REFUSALS`]), `Err` any other difference: different documents
/// (values, styles, spans, anchors), or a text read that the reference refuses.
pub fn compare(text: &str) -> Result<Option<&'static str>, String> {
    let (want, want_err) = parse_documents(&reserved_directives_ascii(text));
    let (got, got_err) = yaml::parse_documents(text);
    let refusal = got_err.as_ref().and_then(|e| {
        REFUSALS
            .iter()
            .find(|(m, at)| *m == e.message && at(text, e.offset))
            .map(|(m, _)| *m)
    });
    match (&want_err, &got_err) {
        (Some(_), None) => return Err(format!("read what the reference refuses: {want_err:?}")),
        (None, Some(_)) if refusal.is_none() => {
            return Err(format!("refused what the reference reads: {got_err:?}"))
        }
        _ => {}
    }
    if want == got {
        return Ok(if want_err.is_none() { refusal } else { None });
    }
    // A documented refusal keeps the documents read before it.
    if let Some(class) = refusal {
        if got.len() <= want.len() && want.iter().zip(&got).all(|(a, b)| a == b) {
            return Ok(Some(class));
        }
    }
    Err(first_difference(&want, &got, text))
}

fn first_difference(want: &[Document], got: &[Document], text: &str) -> String {
    fn walk(a: &Node, b: &Node, text: &str) -> Option<String> {
        let kids_a: Vec<&Node> = a
            .entries()
            .iter()
            .flat_map(|(k, v)| [k, v])
            .chain(a.items())
            .collect();
        let kids_b: Vec<&Node> = b
            .entries()
            .iter()
            .flat_map(|(k, v)| [k, v])
            .chain(b.items())
            .collect();
        if kids_a.len() == kids_b.len() {
            if let Some(d) = kids_a
                .iter()
                .zip(&kids_b)
                .find_map(|(x, y)| walk(x, y, text))
            {
                return Some(d);
            }
        }
        if a == b {
            return None;
        }
        let shallow = |n: &Node| match &n.kind {
            yaml::NodeKind::Scalar { value, style } => format!("{style:?} {value:?}"),
            k => format!("{:?}", std::mem::discriminant(k)),
        };
        Some(format!(
            "want {} {}..{} {:?} anchored={} / got {} {}..{} {:?} anchored={}",
            shallow(a),
            a.start,
            a.end,
            text.get(a.start..a.end),
            a.anchored,
            shallow(b),
            b.start,
            b.end,
            text.get(b.start..b.end),
            b.anchored,
        ))
    }
    if want.len() != got.len() {
        return format!("{} documents, got {}", want.len(), got.len());
    }
    for (a, b) in want.iter().zip(got) {
        if (a.start, a.end) != (b.start, b.end) {
            return format!(
                "document {}..{}, got {}..{}",
                a.start, a.end, b.start, b.end
            );
        }
        if let Some(d) = walk(&a.root, &b.root, text) {
            return d;
        }
    }
    "?".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{clean, detect, SegmentKind};
    use proptest::prelude::*;

    /// Every text reads the same in both readers (or is a refusal both share).
    fn assert_all_match(cases: &[&str]) {
        let bad: Vec<String> = cases
            .iter()
            .filter_map(|t| match compare(t) {
                Ok(None) => None,
                r => Some(format!("{t:?}: {r:?}")),
            })
            .collect();
        assert!(bad.is_empty(), "{} differ:\n{}", bad.len(), bad.join("\n"));
    }

    /// Every text in the repository, and the YAML pieces the engine cuts out of each.
    fn repo_texts() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs: Vec<std::path::PathBuf> = [
            "tests/fixtures",
            "tests/fix_fixtures",
            "tests/corpus",
            "tests/holdout",
            "tests/realworld",
            "tests/snapshots",
            "tests/rules",
            "tests/e2e",
            "src/web/examples",
        ]
        .iter()
        .map(|d| root.join(d))
        .collect();
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if let Ok(t) = std::fs::read_to_string(&p) {
                    files.push((p.display().to_string(), t));
                }
            }
        }
        files.sort();
        let mut out = Vec::new();
        for (name, t) in files {
            let text = clean(&t).into_owned();
            for seg in detect(0, &text) {
                if matches!(seg.kind, SegmentKind::Yaml | SegmentKind::Json) {
                    if let Some(region) = text.get(seg.span.start..seg.span.end) {
                        let piece = crate::parse::blank_elisions(region).into_owned();
                        out.push((format!("{name} @{}", seg.span.start), piece));
                    }
                }
            }
            out.push((name, t));
        }
        out
    }

    #[test]
    fn the_reader_matches_the_reference_on_every_repository_text() {
        let texts = repo_texts();
        assert!(texts.len() > 800, "{} texts", texts.len());
        let bad: Vec<String> = texts
            .iter()
            .filter_map(|(name, t)| match compare(t) {
                Ok(None) => None,
                Ok(Some(class)) => Some(format!("{name}: refused ({class})")),
                Err(e) => Some(format!("{name}: {e}")),
            })
            .collect();
        assert!(
            bad.is_empty(),
            "{} of {} differ:\n{}",
            bad.len(),
            texts.len(),
            bad.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
        );
    }

    fn env_number(name: &str) -> Option<u64> {
        std::env::var(name).ok()?.parse().ok()
    }

    /// Lines built from YAML's pieces: valid and broken texts alike.
    fn line_soup() -> impl Strategy<Value = String> {
        let indent = prop::sample::select(vec!["", "", " ", "  ", "  ", "    ", "      ", "\t"]);
        let prefix = prop::sample::select(vec![
            "",
            "",
            "- ",
            "- ",
            "key: ",
            "k2: ",
            "key: ",
            "- key: ",
            "- - ",
            "? ",
            ": ",
            "-",
            "\"q\": ",
            "'s': ",
            "&a ",
            "!!str ",
            "---",
            "--- ",
            "...",
            "%YAML 1.2",
            "key:",
            "a b: ",
            "-\t",
            "? \t",
            "\u{feff}---",
        ]);
        let value = prop::sample::select(vec![
            "",
            "",
            "x",
            "plain words",
            "1",
            "-1",
            "x:y",
            "x #c",
            "# comment",
            "\"dq\"",
            "\"d\\\"q\\n\\u00e9\"",
            "\"open",
            "'sq''s'",
            "'open",
            "|",
            "|-",
            ">",
            ">+",
            "|2",
            "{a: 1, b: [x, y]}",
            "[1, 2, 3]",
            "{}",
            "[]",
            "{\"a\": 1,",
            "[1,",
            "]",
            "}",
            "&x v",
            "*x",
            "!t v",
            "é ü",
            "a: b",
            "{a, b: }",
            "[a: 1, b]",
            "k: v  # c",
            "\"multi",
            "line\"",
            "x ",
            "  ",
            "\ttab",
            "%",
            "@x",
            "`x",
            "{ \"a\" : [ { \"b\" : null } ] }",
            ": x",
            "? x",
            "- x",
            "--- x",
            "key: |",
            "x\r",
            // Pieces of the differences found so far.
            "a:\tb",
            ":\t\"q\"",
            "\t",
            "-\t- x",
            "{k:[a]}",
            "[? x: ]",
            "\u{feff}",
            "\u{feff}x",
            "!!str",
            "&a",
            "|2",
            "%YAML 1.2#c",
        ]);
        let line = (indent, prefix, value).prop_map(|(i, p, v)| format!("{i}{p}{v}"));
        (
            prop::collection::vec(line, 1..10),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(lines, nl, crlf)| {
                let sep = if crlf { "\r\n" } else { "\n" };
                let mut t = lines.join(sep);
                if nl {
                    t.push_str(sep);
                }
                t
            })
    }

    proptest! {
        // A fixed seed keeps the run reproducible; the yaml_oracle fuzz target explores, and
        // YAML_ORACLE_SEED / YAML_ORACLE_CASES run other seeds by hand.
        #![proptest_config(ProptestConfig {
            cases: env_number("YAML_ORACLE_CASES").map_or(10000, |n| n as u32),
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(
                env_number("YAML_ORACLE_SEED").unwrap_or(0x79616d6c),
            ),
            ..ProptestConfig::default()
        })]
        #[test]
        fn the_reader_matches_the_reference_on_generated_texts(t in line_soup()) {
            prop_assert!(compare(&t).is_ok(), "{:?}: {:?}", t, compare(&t));
        }
    }

    /// Inputs on which the generated texts and the `yaml_oracle` fuzz target found the two
    /// readers apart, each fixed in the reader; they stay as tests.
    #[test]
    fn the_reader_matches_the_reference_on_found_differences() {
        let cases = [
            // A plain scalar in a flow collection continues at any column...
            "\t- {\"a\": 1,\n  ---&x v\nx\n- }",
            "- {a: v\nx}",
            "k: {a: v\nx}",
            "k:\n  - [v\n x]",
            "  - [b\nc]",
            " - [b\nc]",
            "k:\n  j: {a: b\nc}",
            "k:\n  j: {a: b\n c}",
            "  - k: {a: b\n-c}",
            // The token after a flow scalar that spans lines sits right of the enclosing
            // block (columns in characters).
            "- k: {a: b\n-c}",
            "- k: {a: b\nc}",
            " - k: {a: b\n-c}",
            "k:\n    j: [b\n  -c]",
            "k:\n    j: [b\n  c]",
            "k:\n    j: [b\n  \u{e9}]",
            "k:\n    j: [b\n  \"c\"]",
            // ...but a `-` before a flow indicator cannot start its next line,
            "{\"a\": 1,\nkey: |\n-}",
            "[a\n-]",
            "{a: b\n -}",
            // and a line with no text of its own is not the scalar's.
            " - {\"a\": 1,\n  |\n: x\n- - }",
            // An explicit key in a flow sequence: an empty value lies on the next token.
            "[1,\n? \nkey: ]",
            "[? key: , x]",
            "[? \n key:\n ]",
            // A flow node's anchor and tag on separate lines.
            "{\"a\": 1,\n!!str \n&a ",
            "[!!str \n&a x]",
            "{&a\n!!str x}",
            "{a: &x\n!!str y}",
            // A last, unterminated line of blanks in a block scalar.
            " - |2\n   ",
            "|2\n  ",
            "k: |2+\n\n  ",
            "k: |\n  x\n\n  ",
            "k: |-\n  x\n  ",
            "k: |+\n  x\n\n ",
            "k: |+\n\n  ",
            "k: |+\n\n\n ",
            "key: |\r\n  x\r\r\n  x",
            "k: >\n  x\n  y\n\n  ",
            // Properties before an indentless sequence start it.
            "key: # comment\n &a   \n- key: ",
            "key: &a\n- x",
            "key: !t\n- x",
            "key:\n &a\n-\n- x",
            // Tabs after a flow `?`, at a block scalar's first line, left of the block.
            "{\"a\": 1,\n? \ttab\n",
            "\"q\": [1,\n? \ttab\n]",
            "[? \ta]",
            "{?\ta}",
            "[? #c\n\ta]",
            "- |2\n\t",
            " - |2\n \t",
            " - |\n \t",
            "  - |2\n  \t",
            " - [1,\n\t: ]",
            "k:\n  - [1,\n \t: ]",
            " - [1,\n\t#c\n  2]",
            " - {a: 1,\n\t}",
            // A quoted scalar's next lines in a flow collection, before and after a plain one.
            "axxx:\n \n [        con       \", \"pods\", \"\r-field-selector=status.phase=\u{12}Succeeded\"]\n",
            "a: [x, \"\nf\"]",
            "a: [\"a\", \"\nf\"]",
            "a:\n    b: [x, \"\n   f\"]",
            "a:\n    b: [x, \"\n    f\"]",
            "c:\n  b: [x, {\"\n  f\": 1}]",
            "c:\n  a: [x]\n  b: [\"\n  f\"]",
            "c:\n  b: [x]\n  d: \"\n  f\"",
            // An empty node on a `?` alone on its line, with comment lines below it.
            "?\n?\n#\r\n?\n\r\r",
            "? a\n?\n# c\n# d\n? b",
            "? a\n?\r\n# c\r\n? b",
            "? a\n?\n  # c\n? b",
            "?\n?\n### ?\n\n### ?\n",
            "? a\n?\n# c\n\n? b",
            // ...also after blanks on the `?` line: the span of the `?` runs on over spaces,
            // line breaks and comments.
            "?\n\n\n? \n#\u{8}",
            "?\n? \n#c",
            "?\n?  \n\n#c\n",
            "?\n? #c\n#d\n",
            "? a\n? \n#c\n: b",
            // A comment right after a flow pair's `:`.
            "{\"apiVersioame\":# klo$ou\", :",
            "{\"a\":#c\n}",
            "[\"a\":#c\n]",
            "{\"a\":#c, \"b\": 1}",
            "{a:#c}",
            // After an explicit pair in a flow sequence, a pair cut off by the end of the
            // text is closed before the error (the cut sequence is then completed).
            "[?\no, e: n",
            "[? o, e:\nn",
            "### DesailurePolicy:    - 2\n     [?\r\n onExitCode 0/1       \n:ilure-policy-letions: 8,Name:\t\t\t\u{f}mysql\nnamespacr  Saw sql\nnamespace:s ",
            "[o, e:\nn",
            "[e, ? h,\n\u{17}L\nta: e",
            "[? h, a\nb: e",
            "[? h, a\nb: e]",
            "[h, a\nb: e]",
            // A flow key after `?` may start with `:` before a letter.
            "{\n?\n:sssssssssssssssssssssssssssssssssss\n?\n\n,\n{\n:  \n",
            "{? :s}",
            "{? : s}",
            "{? :}",
            // A flow `?` that ends the text: nothing of the flow collection is read.
            "\r{\n?",
            "{\"a\": 1, ?",
            "k: {a,\n?",
            "{a,\n?}",
            // ...but a flow mapping on a `---` line is reported up to the `?`.
            "\n3-\n---\t\n\n---\t\n3-\n---\t{?",
            "a\n--- {?",
            "--- {?",
            "--- &a {?",
            "--- {a, ?",
            "--- {[?",
            "a\n--- [?",
            "--- [{?",
            "a\n---\n{?",
            "--- # c\n{?",
            // A reserved directive holding non-ASCII text (the reference's positions after
            // it are off; the comparison gives it the line in ASCII), and a %TAG prefix.
            "%( [turn edS[i{Cfnt cpu (\t\t46m\t\t9\tn edScheduling\tNo default-sdcehuler\t\t\tWng\t\u{f9796}\u{f9796}raemt %tCh all of thecheduling\tNo nodes ard  [i{Cfnt cpu (\t\t47\t\t  \u{1}r\u{1}\t:\u{3}xw\n---\t\t\t\tm\t\t9\tn edScheduling\tNo default-sdcethe fol\n",
            "%X \u{e9}\n--- m",
            "{\n  \"ve''''\n#\n%xt ''\u{451}y  \n%xt \u{451}y  \u{451}y  hee''rb\": \"ADDErD%\u{451}y  hee%s\"",
            "a\n...\n%X \u{e9}\n--- m",
            "%TAG ! tag:\u{e9}\n--- m",
            "%TAG ! tag:x%C3%A9\n--- m",
            "%TAG !e! tag:x,2000:\n--- !e!a m",
            // A tag's escaped bytes spell UTF-8.
            ": Job\nmetaapiVersion: batc`/v1\nki*nd: Job1\nmetadata:\n  name: etl\nspec:\n  !b---o%fdster-0:~$ k",
            "a: !b%C3%A9 x",
            "a: !b%C3x y",
            "a: !b%E2%82 y",
            // A tag right before a bracket in a flow collection.
            "[!t{b}]",
            "{a: !t[b]}",
            "[!{b}]",
            "[!<x>{b}]",
            "a: !t[b]",
            "a: !{b}",
            // A tag's characters and escapes, and `%TAG` handles, by the reference's rules: a
            // verbatim tag holds URI characters only (`]` but not `}`); escapes spell one- or
            // two-byte characters outside the surrogates; a named handle is declared by its
            // own document's `%TAG`, once, and needs no blank before the prefix.
            "!<]]]]]]]]]]]]}]]]]]]]]]]]]]]]]]]]]]>\ne]]]]PP\u{14}",
            "!<x]> a",
            "!<x}> a",
            "[!<x]>]",
            "!<a!,[]> x",
            "!<a%C3%A9> x",
            "!<a%E2%82%AC> x",
            "a: !b%E2%82%AC x",
            "a: !b%C0%80 x",
            "a: !b%D8%80 x",
            "a: !b%F0%9F%98%80 x",
            "a: !t]",
            "[!t}]",
            "!a_b!c x",
            "%TAG !a! tag:x\n--- !b!c x",
            "%TAG !a!tag:x\n--- !a!c x",
            "%TAG !a! tag:x\n--- !a!c x\n...\n--- !a!d y",
            "%TAG !a! tag:x\n%TAG !a! tag:y\n--- x",
            "%TAG !a tag:x\n--- x",
            "%TAG ! [x\n--- x",
            "%TAG ! tag:%E2%82%AC\n--- x",
            "%TAG !a_b! tag:x\n--- !a_b!c x",
            "%YAML 1234567890.1\n--- x",
            "%YAML 123456789.1\n--- x",
            // A flow collection in a block sits one column right of the block until its first
            // plain scalar: a token (or a tab) on a later line at the block's column is refused
            // before it, read after it.
            "\"status\": {\n    \"lastProbeTal   ... essfulCrt\"\n}\n",
            "\"status\": {\n    \"a\"\n}\n",
            "status: {\n    \"a\",\n}\n",
            "\"s\": {\"a\"\n}\n",
            "\"s\": {a\n}\n",
            "\"s\": {\"a\": 1\n}\n",
            "- [\n \"a\"\n ]",
            "k:\n- [\n\"a\"\n]",
            "k: [[\n\"a\"]\n]",
            "k: [[a]\n, \"b\"\n]",
            "k: [ \"a\",\n\t\"b\"]",
            "k: [ a,\n\t\"b\"]",
            "a:\n  k: {\n  \"a\"\n  }",
            // A flow pair's `:` right before `[`/`{` or its value: only as the next token
            // after a quoted scalar, or after a nested flow collection on its line; not after
            // `?` with no key.
            "{\n? :{\n? :   v0\",  u",
            "{? :{? : v}",
            "{? :{a}}",
            "{? :[? :x]}",
            "{? :x",
            "{[a]\n:{x}}",
            "{[a]\n:x}",
            "{[a] :x}",
            "[[a]\n:x]",
            "{\"a\"#c\n: x}",
            "{\"a\" #c\n:x}",
            "[\"a\"\n:x]",
            "[{a: b} :[x]]",
            "[? \"a\":{x}]",
            // In flow context each word of a plain scalar after a blank is checked as a
            // scalar's start: `-` before a flow indicator is refused there.
            "{\u{1a} -,--... 0    ",
            "{a -,b",
            "{a -}",
            "[a -]",
            "[a\t-,",
            "[a -b, c]",
            "{a-, b}",
            "k: a -,",
            // A byte order mark in the comment on a `...` line: the reference refuses it before
            // the marker closes the document.
            "apiVersion: baSch/v0\nkind: Job\n... ### Under wh\u{feff}i,hlled\n    - main\n\0= 1:\n",
            "a\n... #\u{feff}\n",
            "--- a\n... # \u{feff} c\n--- b\n",
            "a\n...\n#\u{feff}\n",
            "a\n--- #\u{feff}\nb",
            // An empty node lying on a flow indicator spans the indicator's token: on over the
            // blanks and a comment after it (a tab before `#` is no " #" the tree cuts at).
            "{-- --;,\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t# each shard may retry twice\n  templ\t\t\t\t\t\t\t\n-\u{289} \t\t\t",
            "{a,\t#c\n}",
            "{a }\t#c",
            "{a}\t#c",
            "[? a,\t#c\n]",
            "[? a :,\t#c\n]",
            "[? a: ,\t#c\n]",
            "{? ,\t#c\n}",
            "{? }\t#c",
            "{\"a\",\t#c\n}",
            // An explicit pair in a flow sequence with no key: the reference takes the next
            // token (`:` or `,`) as the empty key's and goes past it; after a `]` there no
            // token can end the sequence.
            "[? : ,\t#c\n]",
            "[? ,]",
            "[? , , a]",
            "[? : : x]",
            "[? , : x]",
            "[? :]",
            "[? ,\n : x, y]",
            "[? , ]\t#c",
            "[? :{x}]",
            "[? ]",
            "[? ]]",
            "[? ] ,]",
            // A reserved directive whose name starts with `TAG` or `YAML`.
            "%TAG{\"a\":\"\u{2502}\"}\n---          P\n",
            "%YAMLx \u{e9}\n--- m",
            "%TAGS \u{e9}\n--- m",
            // A reserved directive after a byte order mark opening the text.
            "\u{feff}%v1.8.7`) \u{8c03}\u{9ad8}\u{4e86} ?\n\n---\n\n...       \0\0_\n}\n",
            "\u{feff}%X \u{e9}\n--- m",
            // A byte order mark on a reserved directive's line: both refuse it.
            "\n%4\u{feff}4\u{feff}?\n%5-?\n---\na5-?\n",
            "%X \u{e9}\u{feff}\n--- m",
            "%X \u{e9} #\u{feff}\n--- m",
            "a\n...\n%X\u{feff}\n--- m",
            // Only spaces and tabs are blanks: a line holding a form feed is text, and a `%`
            // line after it continues a scalar; an indented comment, a lone CR and `...`
            // before a tab keep the place between documents.
            "\u{c}\n%\u{501}\u{1}:\u{501}\u{501}\"",
            "\u{c}\n%X \u{e9}",
            "  # c\n%X \u{e9}\n--- m",
            "\t\n%X \u{e9}\n--- m",
            "%X \u{e9}\r--- \u{e9}",
            "a\n...\t# c\n%X \u{e9}\n--- m",
            "a\n...\r%X \u{e9}\r--- m",
            // After an explicit pair in a flow sequence, later pairs are read as explicit ones:
            // an empty value lies on the next token, and a `:` with no key is refused.
            "[[[[ ?\r \r  ttttttt\ners%on: ,\n    par\r\r\r\rtatus:\n !ocnditn\r\r42\",\n\r\r\rtttttttt:]    ",
            "[? t,:]",
            "[? t, : ,\t#c\n]",
            "[? t, a:]",
            "[? t, a: ,b]",
            "[? t, a:\t#c\n]",
            "[? t, \"a\":]",
            "[? t, [a]:]",
            "[? t, a:, b: c]",
            "[{? t}, a:]",
            // An alias takes no properties, on its line or on lines of their own (those may
            // be a mapping's whose first key is an alias).
            "!@\n&A\n*A",
            "&A x\n---\n&B *A",
            "k: &A x\nj: &B *A",
            "k: &A x\nj: !t *A",
            "k: &A x\nj:\n  &B\n  *A",
            "k: &A x\nj: &B\n  *A: c",
            "k: &A x\nj:\n  &B\n  *A : c",
            "k: &A x\n&B *A : c",
            "k: &A x\nj: [&B *A]",
            "- &A x\n- &B\n  *A",
            "k: &A x\nj: {&B *A : c}",
            "k: &A x\n? &B *A\n: c",
            // Properties on a line of their own, then a tab before the content.
            "key: !!str\n\tx",
            "key: !!str\n\t---",
            "  key: !!str\n  \ttab",
            "  key: !!str\n   \ttab",
            "- !!str\n\tx",
            "- !!str\n\t- x",
            "- - !!str\n\t- x",
            "? !!str\n\t- ",
            "-\t!!str\n\ta b: |",
            "- # comment\n &a   \n\tkey: line\"\n key: ",
            "-\n &a\n\tx",
            "- &a\n\tkey: x",
            // Under a `?` that ends its line, a tab may indent the line after the properties
            // from the key's column on (a `?` adds no column as a `-` does).
            "?\r !\n\t\t-",
            "?\n !\n\t- x",
            "?\n &a\n\tx",
            "? \n !t\n\tk: v",
            "? # c\n &a\n\t[x]",
            "  ?\n   !t\n \tx",
            "  ?\n   !t\n  \tx",
            "- ?\n   &a\n\tx",
            "- ?\n   &a\n  \tx",
            "k:\n  ?\n   !t\n\t- x",
            // A block mapping whose first key is a flow mapping with properties starts at
            // the properties (it is no flow mapping).
            "&){}:",
            "&a {}: x",
            "!t {}: x",
            "- &a {}: x\n  &b {}: y",
            "k:\n  &a {a: b}: c",
            "? x\n&a {}: y",
            // A comment right after a version directive's number.
            "%YAML 1.2# comment\n--- ",
            "%YAML 1.2\t#c\n---",
            "%TAG ! tag:x#c\n---",
            // Tabs on the lines between `?` and its key.
            "? # comment\n\t",
            "? #c\n \t",
            "? \tx",
            "? x\n\t",
            // A quoted scalar on the line after `-`: its next lines sit right of the `-`.
            "- - # comment\n    \"multi\n  'sq''s'\n  line\"",
            "- -\n    'm\n  l'",
            "-\n \"m\nl\"",
            "- - \"m\n  l\"",
            "?\n \"m\nl\"",
            // A tab between two entries' `-` on one line.
            "-\t-\tb",
            "- \t- b",
            "-\t-",
            "-\t-b",
            "-\tk: v",
            // Tabs after a value's `:`.
            "Prints `standard_init_linux.go:178:\t exec user process caused \"permission denied\"`\n",
            "Name:\t\t\t\u{f}mysql\nnamespace:[ql:\n MT',\n    kube-apiservblx others\n",
            "a:\t b",
            "a:\t\"q\"",
            "a:\t.",
            "a:\t-1",
            "a:\t\n  b",
            "- a:\t\"q\"",
            "{a:\tb}",
            "{\"a\":\tb}",
            "? a\n:\tb",
            ":\tb",
            // `:` right before `[` or `{` after a plain key in a flow collection.
            "{\"a\": 1,\nkey:{a: 1, b: [x, y]}",
            "{k:[a]}",
            "[k :[a]]",
            "{:[a]}",
            "{'k':[a]}",
            "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{:{{{{{{{n\u{13}\n;tq ",
            // Byte order marks: several at the start; inside a document (both refuse); in
            // quoted scalars (both read).
            "\u{feff}\u{feff}a",
            "a: 1\n\u{feff}b: 2",
            "a: x\u{feff}y",
            "# \u{feff}\na: 1",
            "a\n...\n  \u{feff}---\nb",
            "\"a\u{feff}\": 1\n\"\u{feff}\": [\"\u{feff}x\"]",
            "a: 'x\u{feff}'",
            "a: \"x\"   # e\u{feff}3\n",
            "a: \"x\"   # \"e\u{feff}3\"\n",
        ];
        assert_all_match(&cases);
    }

    /// A block mapping's implicit key is read up to 1024 characters before its `:` (found by
    /// the fuzz target on a pasted line of that length).
    #[test]
    fn the_reader_matches_the_reference_on_long_keys() {
        let mut bad = Vec::new();
        for n in [1022, 1023, 1024, 1025] {
            let a = "a".repeat(n);
            let e = "\u{e9}".repeat(n);
            for t in [
                format!("{a}: v\n"),
                format!("{a} : v\n"),
                format!("{e}: v\n"),
                format!("&x {a}: v\n"),
                format!("- \"{a}\": v\n"),
                format!("[ {a}: v ]\n"),
                format!("x: 1\n{a}: v\n"),
            ] {
                if compare(&t) != Ok(None) {
                    bad.push(format!("{n}: {:?}", t.get(..12)));
                }
            }
        }
        assert!(bad.is_empty(), "{bad:?}");
    }

    /// The documented refusals, each where the reference reads the text.
    #[test]
    fn the_documented_refusals_are_accepted_and_nothing_else() {
        let deep = "- ".repeat(500) + "x";
        for (t, class) in [
            ("a\n...\n\u{feff}---\nb", REFUSALS[1].0),
            ("a\n\u{feff}---\nb", REFUSALS[1].0),
            ("a: 1\n\u{feff}\n", REFUSALS[1].0),
            ("x\n\r;\r\u{feff}\r", REFUSALS[1].0),
            ("    OR[ERR Sw`p]: a b \n\u{feff}", REFUSALS[1].0),
            ("a\n...\n\u{feff}\u{feff}# c\n---\nb", REFUSALS[1].0),
            (deep.as_str(), REFUSALS[0].0),
        ] {
            assert_eq!(compare(t), Ok(Some(class)), "{t:?}");
        }
        assert_eq!(
            REFUSALS[1].0,
            crate::parse::yaml_read::BOM_PAST_START,
            "the oracle names the reader's message"
        );
        // The class is a mark at the start of a line: one inside a line is outside it.
        assert!((REFUSALS[1].1)("a\n\u{feff}---", 2));
        assert!(!(REFUSALS[1].1)("a: x\u{feff}y", 4));
    }

    #[test]
    fn the_reader_matches_the_reference_on_small_cases() {
        let cases = [
            "a: 1\nb:\nc: x\n",
            "- a\n- \n",
            "k: |\n  x\n  y\n\nz: 1",
            "k: >-\n  x\n  y\n",
            "k: |+\n  x\n\n",
            "--- a\n...\n",
            "  a: 1\n  b: 2\n",
            "- - x\n  - y\n- k: v\n  j: w\n",
            "a: &x\n  b: 1\nc: *x\n",
            "a: !!str &q\n  - 1\n",
            "{a: 1, b: [x, y], c}",
            "[a, b: c, {d}]",
            "? x\n: y\n",
            "a:\n- 1\n- 2\nb: 3",
            "%YAML 1.2\n---\na: 1\n",
            "# c\n\na: 1  # d\n",
            "",
            "---\n",
            "a: \"x\n  y\\\n z\"",
            "a: 'it''s\n\n  b'",
            "a: x\n  y\n\n  z\n",
            "b:\n  \nc: x",
            "b:   # x\nc: 1",
            "b:",
            "a:\n  b:\nc: 1",
            "- \n- x",
            "-\n- x",
            "- a:\n  b: 1",
            "a: &x {x: 1}",
            "a: &x [1]",
            "a: &x 1",
            "- &x\n  a: 1",
            "a: 1\n---\nb: 2\n",
            "a: 1\n...\n---\nb: 2\n",
            "{a: , b: 1}",
            "[a, , b]",
            "{a: 1,}",
            "{\"a\":1, \"b\" : [1,2]}",
            "a:\n  k: |\n    x\n  z: 1",
            "k: |2\n   x\n",
            "k: >\n  a\n  b\n\n  c\n   d\n  e\n",
            "? a\n? b\n: c",
            "a: [1,\n  2]\n",
            "a:\n  - b\n  -\n",
            "x: \t1",
            "a:\tb",
            "a:\n\tb: 1",
            "k: |\n\n  x\nz: 1",
            "k: |\nz: 1",
            "k: |\n  x\n  # c\n",
            "k: |\n  x\n# c\n",
            "a: 1\n# c\n",
            "a: &x \"q\"  # c\n",
            "{\"a\": [1,",
            "a: \"x",
            "a: b: c",
            "a:\n  b\n c: 1",
            "[1, 2",
            "key: [a, b]]",
            "- a\nb: 1",
            "a: 1\n  b: 2",
            "\"a\": 1\n\"b\":\n  - x",
            "a: 1\r\nb: |\r\n  x\r\n  y\r\n",
            "a: \"\\u00e9\\x41\\t\"",
            "\u{feff}a: 1\n",
            "\u{feff}#",
            "\u{feff}a: 1\nb: 2\n",
            "\u{feff}  a: 1\n  b: [1,\n   2]\n",
            "a: 1\n---\nb: 2\0",
            "# c\0\na: 1",
            "a: 1\n...\n\0",
            "a: b # c\n  d: e",
            "- [a, {b: c}]\n- {d: [e]}",
        ];
        assert_all_match(&cases);
    }

    /// Compare the readers on the texts of the files named in `YAML_PROBE` (one per line).
    #[test]
    #[ignore]
    fn probe() {
        let list = std::env::var("YAML_PROBE").unwrap_or_default();
        for name in list.lines().filter(|l| !l.is_empty()) {
            let t = std::fs::read_to_string(name).unwrap_or_default();
            let r = compare(&t);
            println!("{name}: {t:?}\n  {r:?}");
            if r.is_err() || std::env::var("YAML_PROBE_ALL").is_ok() {
                let (w, we) = parse_documents(&t);
                let (g, ge) = yaml::parse_documents(&t);
                println!("  want {we:?}\n  got  {ge:?}");
                if std::env::var("YAML_PROBE_ALL").is_ok() {
                    println!("  want {w:?}");
                }
                if w != g {
                    println!("  want {w:?}\n  got  {g:?}");
                }
            }
        }
    }
}
