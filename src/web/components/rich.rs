//! The small builders the views share: elements built out of line, fixed markup, ARIA
//! booleans, attributes set after `html!`; and [`Out`], the page's parts written as markup.

use crate::web::view_model::{inlines, Inline};
use std::rc::Rc;
use yew::prelude::*;
use yew::virtual_dom::{AttributeOrProperty, Attributes, Listeners, VList, VNode, VTag};

/// Fixed attributes of an element built by [`el`], in the order `html!` would set them (its
/// `class` last).
pub type Attrs = &'static [(&'static str, AttributeOrProperty)];

/// `<tag attrs…>children</tag>`, built out of line. The same element as `html!` makes, but
/// `html!` writes the element's construction out at every use; here the page's many plain
/// elements share one copy.
#[inline(never)]
pub fn el(tag: &'static str, attrs: Attrs, children: Vec<Html>) -> Html {
    VNode::VTag(Rc::new(VTag::__new_other(
        AttrValue::Static(tag),
        NodeRef::default(),
        None,
        Attributes::Static(attrs),
        Listeners::None,
        VNode::VList(Rc::new(VList::with_children(children, None))),
    )))
}

/// [`el`] with one child.
#[inline(never)]
pub fn el1(tag: &'static str, attrs: Attrs, child: Html) -> Html {
    el(tag, attrs, vec![child])
}

/// Fixed markup (headings, hints, labels that never change) from its HTML source: one string
/// in the wasm instead of the code that builds each element. Only for literals written here,
/// never for text from the user or the engine.
pub fn markup(html: &'static str) -> Html {
    Html::from_html_unchecked(AttrValue::Static(html))
}

/// `"true"` or `"false"` for `aria-expanded`, `aria-pressed`, `aria-selected`: a static string,
/// no allocation.
pub fn aria(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// `node`, an element written without attributes, with `keys` set to `values` (`None`: left
/// out). For classes chosen at run time: `class={…}` in `html!` builds a `Classes` set for the
/// element, hashing each name; here a class is a plain value. `html!` puts `class` after the
/// other attributes: so do the callers.
pub fn with_attrs(
    node: Html,
    keys: &'static [&'static str],
    values: Box<[Option<AttributeOrProperty>]>,
) -> Html {
    set_attrs(node, Attributes::Dynamic { keys, values })
}

/// `node`, an element written without attributes, with `attrs`.
#[inline(never)]
pub fn set_attrs(mut node: Html, attrs: Attributes) -> Html {
    // Just built, so not shared: no copy is made.
    if let Some(tag) = match &mut node {
        VNode::VTag(tag) => Rc::get_mut(tag),
        _ => None,
    } {
        tag.set_attributes(attrs);
    }
    node
}

/// `node`, an element written without attributes, with class `class` (none for `None`).
#[inline(never)]
pub fn classed(node: Html, class: Option<&'static str>) -> Html {
    with_attrs(
        node,
        &["class"],
        Box::new([class.map(AttributeOrProperty::Static)]),
    )
}

/// Markup written as a string: the page's parts (the header, the input pane's controls, the
/// report, the share panel), their controls handled by the app's listeners on the page, by
/// their `id`, class or `data-*`. One raw node per part instead of the code that builds each
/// element; the app gives the focus back when a render replaces the control holding it. Fixed markup comes only from string
/// literals ([`Out::raw`] takes nothing else); every text from the user or the engine goes
/// through [`Out::text`], escaped.
#[derive(Default)]
pub struct Out(pub String);

impl Out {
    /// Fixed markup written in the views. Out of line, as are the other writers: a call per
    /// piece of markup, not a copy of `push_str` at each.
    #[inline(never)]
    pub fn raw(&mut self, s: &'static str) -> &mut Self {
        self.0.push_str(s);
        self
    }

    /// `s` as text (in an element or a double-quoted attribute value): nothing in it is read
    /// as markup.
    #[inline(never)]
    pub fn text(&mut self, s: &str) -> &mut Self {
        let mut rest = s;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'', '\r', '\0']) {
            let (head, tail) = rest.split_at(at);
            self.0.push_str(head);
            let mut chars = tail.chars();
            self.0.push_str(match chars.next() {
                Some('&') => "&amp;",
                Some('<') => "&lt;",
                Some('>') => "&gt;",
                Some('"') => "&quot;",
                Some('\'') => "&#39;",
                // The parser would read a bare CR as a line feed.
                Some('\r') => "&#13;",
                // … and NUL as U+FFFD, which it becomes here too, visibly.
                _ => "\u{fffd}",
            });
            rest = chars.as_str();
        }
        self.0.push_str(rest);
        self
    }

    /// A number.
    #[inline(never)]
    pub fn num(&mut self, n: usize) -> &mut Self {
        self.0.push_str(&n.to_string());
        self
    }

    /// `text` with its backtick spans as `<code>` and its bare `https://` URLs as links (opened
    /// in a new tab, without a referrer): how engine text (messages, help, fix reasoning, rule
    /// docs) marks code and references.
    #[inline(never)]
    pub fn rich(&mut self, text: &str) -> &mut Self {
        self.parts(&inlines(text))
    }

    #[inline(never)]
    pub fn parts(&mut self, parts: &[Inline]) -> &mut Self {
        for p in parts {
            match p {
                Inline::Text(t) => self.text(t),
                Inline::Code(c) => self.raw("<code>").text(c).raw("</code>"),
                Inline::Link(url) => self
                    .raw(r#"<a href=""#)
                    .text(url)
                    .raw(r#"" target="_blank" rel="noopener noreferrer">"#)
                    .text(url)
                    .raw("</a>"),
            };
        }
        self
    }

    /// `<button type="button"[ id] aria-label="Copy <what>" class="copy"[ data-copy]>label</button>`:
    /// a button that copies (see the app's click handler): `copy`, the text it copies, unless
    /// its `id` names it (`id` is the attribute as written, ` id="…"`, or empty).
    #[inline(never)]
    pub fn copy_button(
        &mut self,
        id: &'static str,
        what: &str,
        copy: Option<&str>,
        label: &'static str,
    ) -> &mut Self {
        self.raw(r#"<button type="button""#).raw(id);
        self.raw(r#" aria-label="Copy "#)
            .text(what)
            .raw(r#"" class="copy""#);
        if let Some(c) = copy {
            self.raw(r#" data-copy=""#).text(c).raw("\"");
        }
        self.raw(">").raw(label).raw("</button>")
    }

    /// The markup as a node.
    pub fn node(self) -> Html {
        Html::from_html_unchecked(AttrValue::from(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::Out;

    #[test]
    fn text_is_escaped_and_fixed_markup_is_not() {
        let mut o = Out::default();
        o.raw("<p title=\"").text("a\"b").raw("\">");
        o.text("<img src=x onerror='alert(1)'> & \r\0</p>");
        assert_eq!(
            o.0,
            "<p title=\"a&quot;b\">&lt;img src=x onerror=&#39;alert(1)&#39;&gt; &amp; &#13;\u{fffd}&lt;/p&gt;"
        );
    }

    #[test]
    fn rich_text_marks_code_and_links_and_escapes_the_rest() {
        let mut o = Out::default();
        o.rich("set `<limits>` see https://k8s.io/x\"y <b>");
        assert_eq!(
            o.0,
            concat!(
                "set <code>&lt;limits&gt;</code> see ",
                r#"<a href="https://k8s.io/x&quot;y" target="_blank" rel="noopener noreferrer">"#,
                "https://k8s.io/x&quot;y</a> &lt;b&gt;"
            )
        );
    }

    #[test]
    fn copy_buttons_carry_escaped_text() {
        let mut o = Out::default();
        o.copy_button("", "command", Some("echo \"<x>\""), "Copy");
        assert_eq!(
            o.0,
            r#"<button type="button" aria-label="Copy command" class="copy" data-copy="echo &quot;&lt;x&gt;&quot;">Copy</button>"#
        );
    }
}
