use super::finding_card::FindingCard;
use super::manifest_view::ManifestView;
use crate::report::Report;
use crate::span::LineIndex;
use crate::Input;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub report: Rc<Report>,
    pub inputs: Rc<Vec<Input>>,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
}

#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let r = &props.report;
    let chain = r
        .findings
        .first()
        .map(|f| f.chain.clone())
        .unwrap_or_default();
    let segments = r.inputs.iter().enumerate().flat_map(|(n, i)| {
        let index = props.inputs.get(n).map(|x| LineIndex::new(&x.text));
        i.segments.iter().map(move |s| {
            let (a, b) = match &index {
                Some(ix) => (ix.line(s.span.start), ix.line(s.span.end.saturating_sub(1).max(s.span.start))),
                None => (0, 0),
            };
            html! { <li class="badge" data-kind={s.kind.slug()}>{ format!("{} · lines {a}–{b}", s.kind.slug()) }</li> }
        }).collect::<Vec<_>>()
    });
    html! {
        <div class="report">
            <div id="primary-cause" class="headline" data-cause={r.primary_cause.slug()}>
                <span class="cause-slug">{ r.primary_cause.slug() }</span>
                <p class="summary">{ &r.summary }</p>
                if !chain.is_empty() {
                    <ol class="chain" aria-label="From symptom to cause">
                        { for chain.iter().map(|c| html! { <li>{ c }</li> }) }
                    </ol>
                }
            </div>
            <details class="segments">
                <summary>{ "What was detected" }</summary>
                <ul>{ for segments }</ul>
                if !r.notes.is_empty() {
                    <ul class="notes">{ for r.notes.iter().map(|n| html! { <li>{ &n.message }</li> }) }</ul>
                }
            </details>
            <div class="findings">
                { for r.findings.iter().enumerate().map(|(i, f)| html! {
                    <FindingCard
                        finding={Rc::new(f.clone())}
                        inputs={props.inputs.clone()}
                        index={i}
                        selected={props.selected == Some(i)}
                        on_select={props.on_select.clone()}
                    />
                }) }
            </div>
            if let Some(m) = &r.corrected_manifest {
                <ManifestView manifest={Rc::new(m.clone())} />
            }
            if !r.withheld.is_empty() {
                <div class="withheld">
                    { for r.withheld.iter().map(|w| html! { <p>{ format!("fix withheld: {} ({})", w.title, w.reason) }</p> }) }
                </div>
            }
        </div>
    }
}
