use super::copy_button::CopyButton;
use crate::findings::Finding;
use crate::rules;
use crate::web::view_model::{doc_section, evidence_lines, Piece};
use crate::Input;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FindingCardProps {
    pub finding: Rc<Finding>,
    pub inputs: Rc<Vec<Input>>,
    pub index: usize,
    pub selected: bool,
    pub on_select: Callback<usize>,
}

#[component]
pub fn FindingCard(props: &FindingCardProps) -> Html {
    let f = &props.finding;
    let onclick = {
        let cb = props.on_select.clone();
        let i = props.index;
        Callback::from(move |_: MouseEvent| cb.emit(i))
    };
    let meta = rules::find(f.code).map(|r| r.meta());
    let why = meta
        .and_then(|m| doc_section(m.docs, "Why is this bad?"))
        .unwrap_or_default();
    let use_instead = meta
        .and_then(|m| doc_section(m.docs, "Use instead"))
        .unwrap_or_default();
    let several = props.inputs.len() > 1;
    let snippets = props.inputs.iter().enumerate().flat_map(|(n, input)| {
        evidence_lines(&input.text, n, &f.evidence)
            .into_iter()
            .map(move |l| (input.name.clone(), l))
    });
    html! {
        <article class={classes!("finding", format!("sev-{}", f.severity.as_str()), props.selected.then_some("selected"))} data-code={f.code} aria-label={format!("{} {}", f.severity.as_str(), f.name)}>
            <header>
                <span class="badge">{ f.severity.as_str() }</span>
                <code class="rule">{ format!("{} {}", f.code, f.name) }</code>
                <button type="button" class="show-evidence" {onclick} aria-pressed={props.selected.to_string()} title="Select the evidence in the input">
                    { if props.selected { "unselect" } else { "show in input" } }
                </button>
            </header>
            <p class="message">{ &f.message }</p>
            <div class="evidence" aria-label="Evidence">
                { for snippets.map(|(name, l)| html! {
                    <div class="evidence-line">
                        <span class="ln">{ if several { format!("{name}:{}", l.number) } else { l.number.to_string() } }</span>
                        <code>{ for l.pieces.iter().map(|p| match p {
                            Piece::Text(t) => html! { { t.clone() } },
                            Piece::Mark { text, label, primary } => html! {
                                <mark class={classes!(primary.then_some("primary"))} title={label.clone()}>{ text.clone() }</mark>
                            },
                        }) }</code>
                    </div>
                }) }
                <ul class="labels">{ for f.evidence.iter().map(|e| html! { <li class={classes!(e.primary.then_some("primary"))}>{ &e.label }</li> }) }</ul>
            </div>
            <p class="help">{ &f.help }</p>
            if !why.is_empty() {
                <details class="explanation" open={props.selected}>
                    <summary>{ "Why this matters" }</summary>
                    <p class="doc">{ why }</p>
                    if !use_instead.is_empty() {
                        <h4>{ "Use instead" }</h4>
                        <p class="doc">{ use_instead }</p>
                    }
                </details>
            }
            if !f.next_steps.is_empty() {
                <div class="next-steps">
                    <h3>{ "Next steps" }</h3>
                    <ul>
                        { for f.next_steps.iter().map(|s| html! {
                            <li><code>{ s }</code><CopyButton text={AttrValue::from(s.clone())} what="command" /></li>
                        }) }
                    </ul>
                </div>
            }
        </article>
    }
}
