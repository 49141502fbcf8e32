use crate::findings::Finding;
use crate::rules;
use crate::web::view_model::{evidence_lines, Piece};
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
    let why = rules::find(f.code)
        .and_then(|r| r.meta().section("Why is this bad?"))
        .unwrap_or("");
    let snippets = props
        .inputs
        .iter()
        .enumerate()
        .flat_map(|(n, input)| evidence_lines(&input.text, n, &f.evidence));
    html! {
        <article class={classes!("finding", format!("sev-{}", f.severity.as_str()), props.selected.then_some("selected"))} data-code={f.code}>
            <header>
                <span class="badge">{ f.severity.as_str() }</span>
                <code class="rule">{ format!("{} {}", f.code, f.name) }</code>
                <button type="button" class="link" {onclick} aria-expanded={props.selected.to_string()}>{ if props.selected { "less" } else { "why?" } }</button>
            </header>
            <p class="message">{ &f.message }</p>
            <div class="evidence" aria-label="Evidence">
                { for snippets.map(|l| html! {
                    <div class="evidence-line">
                        <span class="ln">{ l.number }</span>
                        <code>{ for l.pieces.iter().map(|p| match p {
                            Piece::Text(t) => html! { { t.clone() } },
                            Piece::Mark { text, label, primary } => html! {
                                <mark class={classes!(primary.then_some("primary"))} title={label.clone()}>{ text.clone() }</mark>
                            },
                        }) }</code>
                    </div>
                }) }
                <ul class="labels">{ for f.evidence.iter().map(|e| html! { <li>{ &e.label }</li> }) }</ul>
            </div>
            <p class="help">{ &f.help }</p>
            if props.selected && !why.is_empty() {
                <div class="explanation"><p>{ why }</p></div>
            }
            if !f.next_steps.is_empty() {
                <div class="next-steps">
                    <h3>{ "Next steps" }</h3>
                    <pre class="code">{ for f.next_steps.iter().map(|s| html! { <code>{ format!("{s}\n") }</code> }) }</pre>
                </div>
            }
        </article>
    }
}
