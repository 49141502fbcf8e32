use super::copy_button::copy_button;
use super::rich::{markup, rich};
use crate::report::Advice;
use yew::prelude::*;

/// Fixes that are commands or configuration snippets rather than manifest edits (pull secrets,
/// missing ConfigMaps, swap, kubeconfig fields), each snippet with a copy button.
///
/// A plain function, not a component: it has no state of its own, and each component type
/// costs its own copy of the framework's lifecycle code in the page's wasm.
pub fn advice_view(advice: &[Advice]) -> Html {
    html! {
        <section id="advice" class="advice" aria-label="Commands and snippets">
            { markup("<h2>Commands and snippets</h2>") }
            { for advice.iter().map(|a| html! {
                <article class="advice-item" data-code={a.code}>
                    <h3>{ rich(&a.title) }</h3>
                    if !a.reasoning.is_empty() {
                        <ul>{ for a.reasoning.iter().map(|r| html! { <li>{ rich(r) }</li> }) }</ul>
                    }
                    { for a.snippets.iter().map(|s| html! {
                        <div class="snippet">
                            <div class="toolbar">
                                <span class="badge">{ s.language }</span>
                                <span class="snippet-title">{ &s.title }</span>
                                { copy_button(None, AttrValue::from(s.text.clone()), AttrValue::from(s.title.clone()), "Copy") }
                            </div>
                            <pre class="code"><code>{ &s.text }</code></pre>
                        </div>
                    }) }
                </article>
            }) }
        </section>
    }
}
