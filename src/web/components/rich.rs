//! Engine text on the page: messages, help, fix reasoning and rule docs mark code with
//! backticks (`limits.memory`) and may hold bare `https://` references.

use crate::web::view_model::{inlines, Inline};
use yew::prelude::*;

/// `text` with its backtick spans as `<code>` and its URLs as links (opened in a new tab,
/// without a referrer). Everything else stays text: nothing in it is read as HTML.
pub fn rich(text: &str) -> Html {
    parts(&inlines(text))
}

pub fn parts(parts: &[Inline]) -> Html {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Code(c) => html! { <code>{ c.clone() }</code> },
            Inline::Link(url) => html! {
                <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ url.clone() }</a>
            },
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
