use super::advice_view::advice_view;
use super::copy_button::copy_button;
use super::finding_card::{finding_card, CardProps};
use super::manifest_view::manifest_view;
use super::rich::{markup, rich};
use crate::report::{self, Report};
use crate::span::LineIndex;
use crate::web::dom;
use crate::web::state::Diagnosis;
use crate::web::view_model::{download_name, fixed, line_range};
use crate::Input;
use std::rc::Rc;
use yew::prelude::*;

/// What the report view derives from a diagnosis, made once per diagnosis (the app keeps it
/// in a memo): a line index per input, shared by the cards, and the exported reports.
pub struct Derived {
    pub lines: Rc<Vec<LineIndex>>,
    pub markdown: AttrValue,
    pub json: AttrValue,
}

impl Derived {
    pub fn new(report: &Report, inputs: &[Input]) -> Self {
        Self {
            lines: Rc::new(inputs.iter().map(|i| LineIndex::new(&i.text)).collect()),
            markdown: AttrValue::from(report::markdown::render(report, inputs)),
            json: AttrValue::from(report::json::render(report, inputs)),
        }
    }
}

/// The app's state and callbacks the report view shows and uses.
pub struct ReportUi<'a> {
    /// The finding whose evidence is selected.
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
    /// The places of the cards whose rule documentation was opened.
    pub docs_open: &'a [usize],
    pub on_docs: Callback<(usize, bool)>,
    /// Whether the manifest diff is side by side.
    pub split: &'a UseStateHandle<bool>,
}

/// The report of diagnosis `d`. A plain
/// function of the app, not a component: it re-rendered with every app render anyway (the
/// callback is new each time), and a component type costs its own copy of the framework's
/// lifecycle code.
pub fn report_view(d: &Diagnosis, derived: &Derived, ui: &ReportUi) -> Html {
    let r = &d.report;
    let chain = r
        .findings
        .first()
        .map(|f| f.chain.clone())
        .unwrap_or_default();
    let several = d.inputs.len() > 1;
    let lines = &derived.lines;
    let segments = r.inputs.iter().enumerate().flat_map(|(n, i)| {
        let index = lines.get(n);
        let name = i.name.clone();
        i.segments.iter().map(move |s| {
            let (a, b) = index.map_or((0, 0), |ix| line_range(ix, s.span.start, s.span.end));
            let place = if several { format!(" · {name}: lines {a}–{b}") } else { format!(" · lines {a}–{b}") };
            html! { <li class="piece" data-kind={s.kind.slug()}><code>{ s.kind.slug() }</code>{ place }</li> }
        }).collect::<Vec<_>>()
    });
    let (markdown, json) = (&derived.markdown, &derived.json);
    let dl = |name: &'static str, mime: &'static str, text: AttrValue| {
        Callback::from(move |_: MouseEvent| dom::download(name, mime, &text))
    };
    let manifest_name = r
        .corrected_manifest
        .as_ref()
        .and_then(|m| d.inputs.get(m.input))
        .map_or_else(|| download_name(""), |i| download_name(&i.name));
    html! {
        <div class="report" data-diagnose-ms={fixed(d.millis, 2)}>
            <div id="primary-cause" class="headline" data-cause={r.primary_cause.slug()}>
                <span class="cause-slug">{ r.primary_cause.title() }</span>
                <p class="summary">{ rich(r.summary.strip_prefix(&format!("{}: ", r.primary_cause.title())).unwrap_or(&r.summary)) }</p>
                if !chain.is_empty() {
                    <ol class="chain" aria-label="From the Job to the cause">
                        { for chain.iter().map(|c| html! { <li>{ c }</li> }) }
                    </ol>
                }
            </div>
            <details class="segments" open={r.findings.is_empty()}>
                <summary>{ detected_summary(r) }</summary>
                <ul id="pieces">{ for segments }</ul>
                if !r.notes.is_empty() {
                    <ul class="notes">{ for r.notes.iter().map(|n| html! { <li>{ &n.message }</li> }) }</ul>
                }
            </details>
            <div class="findings">
                { for r.findings.iter().enumerate().map(|(i, f)| finding_card(f, &CardProps {
                    inputs: &d.inputs,
                    lines,
                    index: i,
                    selected: ui.selected == Some(i),
                    on_select: &ui.on_select,
                    docs_open: ui.docs_open.contains(&i),
                    on_docs: &ui.on_docs,
                })) }
            </div>
            if let Some(m) = &r.corrected_manifest {
                { manifest_view(m, manifest_name, ui.split) }
            }
            if !r.advice.is_empty() {
                { advice_view(&r.advice) }
            }
            if !r.withheld.is_empty() {
                <div class="withheld">
                    { for r.withheld.iter().map(|w| html! { <p>{ format!("fix withheld: {} ({})", w.title, w.reason) }</p> }) }
                </div>
            }
            <section class="export" aria-label="Export">
                { markup("<h2>Export</h2>") }
                <div class="toolbar">
                    { copy_button(Some("copy-markdown"), markdown.clone(), AttrValue::Static("Markdown report"), "Copy Markdown") }
                    <button type="button" id="download-markdown" onclick={dl("podmortem-report.md", "text/markdown", markdown.clone())}>{ "Download .md" }</button>
                    { copy_button(Some("copy-json"), json.clone(), AttrValue::Static("JSON report"), "Copy JSON") }
                    <button type="button" id="download-json" onclick={dl("podmortem-report.json", "application/json", json.clone())}>{ "Download .json" }</button>
                </div>
                <p class="timing">{ format!("diagnosed in {} ms", fixed(d.millis, 1)) }</p>
            </section>
        </div>
    }
}

/// "What was detected (3 pieces, 1 note)".
fn detected_summary(r: &Report) -> String {
    let n: usize = r.inputs.iter().map(|i| i.segments.len()).sum();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut s = format!("What was detected ({}", plural(n, "piece", "pieces"));
    if !r.notes.is_empty() {
        s.push_str(&format!(", {}", plural(r.notes.len(), "note", "notes")));
    }
    s.push(')');
    s
}
