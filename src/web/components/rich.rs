//! Engine text on the page: messages, help, fix reasoning and rule docs mark code with
//! backticks (`limits.memory`) and may hold bare `https://` references. Also the small
//! builders the views share: fixed markup, ARIA booleans, attributes set after `html!`.

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

/// Fixed text.
pub fn text(t: &'static str) -> Html {
    VNode::VText(yew::virtual_dom::VText::new(t))
}

/// `text` with its backtick spans as `<code>` and its URLs as links (opened in a new tab,
/// without a referrer). Everything else stays text: nothing in it is read as HTML.
pub fn rich(text: &str) -> Html {
    parts(&inlines(text))
}

pub fn parts(parts: &[Inline]) -> Html {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => Html::from(t),
            Inline::Code(c) => el1("code", &[], c.into()),
            Inline::Link(url) => with_attrs(
                el1("a", &[], url.into()),
                &["href", "target", "rel"],
                Box::new([
                    Some(AttributeOrProperty::Attribute(AttrValue::from(url.clone()))),
                    Some(AttributeOrProperty::Static("_blank")),
                    Some(AttributeOrProperty::Static("noopener noreferrer")),
                ]),
            ),
        })
        .collect()
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

/// `<button attrs…>label</button>` that calls `onclick`: one copy of the code that builds a
/// button with a listener for all the page's buttons. `attrs` in `html!`'s order: the written
/// ones, then booleans (`disabled`), then `class`.
#[inline(never)]
pub fn button(attrs: Attributes, onclick: Callback<MouseEvent>, label: Html) -> Html {
    set_attrs(html! { <button {onclick}>{ label }</button> }, attrs)
}

/// A click that offers `text` as a file download named `name`, of type `mime`: one closure
/// type for every download button.
pub fn on_download(name: AttrValue, mime: &'static str, text: AttrValue) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| crate::web::dom::download(&name, mime, &text))
}

/// A click that emits `i` to `cb`: one closure type for the tab buttons and the cards.
pub fn on_click_emit(cb: &Callback<usize>, i: usize) -> Callback<MouseEvent> {
    let cb = cb.clone();
    Callback::from(move |_: MouseEvent| cb.emit(i))
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
