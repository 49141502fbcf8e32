use super::copy_button::CopyButton;
use super::rich::rich;
use crate::report::Advice;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AdviceViewProps {
    pub advice: Rc<Vec<Advice>>,
}

/// Fixes that are commands or configuration snippets rather than manifest edits (pull secrets,
/// missing ConfigMaps, swap, kubeconfig fields), each snippet with a copy button.
#[component]
pub fn AdviceView(props: &AdviceViewProps) -> Html {
    html! {
        <section id="advice" class="advice" aria-label="Commands and snippets">
            <h2>{ "Commands and snippets" }</h2>
            { for props.advice.iter().map(|a| html! {
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
                                <CopyButton text={AttrValue::from(s.text.clone())} what={AttrValue::from(s.title.clone())} />
                            </div>
                            <pre class="code"><code>{ &s.text }</code></pre>
                        </div>
                    }) }
                </article>
            }) }
        </section>
    }
}
