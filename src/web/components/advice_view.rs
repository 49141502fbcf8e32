use super::copy_button::copy_button;
use super::rich::{el, el1, markup, rich, text, with_attrs};
use crate::report::Advice;
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::Static as S;

/// Fixes that are commands or configuration snippets rather than manifest edits (pull secrets,
/// missing ConfigMaps, swap, kubeconfig fields), each snippet with a copy button.
///
/// A plain function, not a component: it has no state of its own, and each component type
/// costs its own copy of the framework's lifecycle code in the page's wasm.
pub fn advice_view(advice: &[Advice]) -> Html {
    let items = advice.iter().map(|a| {
        let reasoning = if a.reasoning.is_empty() {
            Html::default()
        } else {
            el(
                "ul",
                &[],
                a.reasoning
                    .iter()
                    .map(|r| el1("li", &[], rich(r)))
                    .collect(),
            )
        };
        let mut children = vec![el1("h3", &[], rich(&a.title)), reasoning];
        children.extend(a.snippets.iter().map(|s| {
            el(
                "div",
                &[("class", S("snippet"))],
                vec![
                    el(
                        "div",
                        &[("class", S("toolbar"))],
                        vec![
                            el1("span", &[("class", S("badge"))], text(s.language)),
                            el1("span", &[("class", S("snippet-title"))], (&s.title).into()),
                            copy_button(
                                None,
                                AttrValue::from(s.text.clone()),
                                AttrValue::from(s.title.clone()),
                                "Copy",
                            ),
                        ],
                    ),
                    el1(
                        "pre",
                        &[("class", S("code"))],
                        el1("code", &[], (&s.text).into()),
                    ),
                ],
            )
        }));
        with_attrs(
            el("article", &[], children),
            &["data-code", "class"],
            Box::new([Some(S(a.code)), Some(S("advice-item"))]),
        )
    });
    let mut children = vec![markup("<h2>Commands and snippets</h2>")];
    children.extend(items);
    el(
        "section",
        &[
            ("id", S("advice")),
            ("aria-label", S("Commands and snippets")),
            ("class", S("advice")),
        ],
        children,
    )
}
