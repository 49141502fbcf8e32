use super::advice_view::advice_view;
use super::copy_button::copy_button;
use super::finding_card::{finding_card, CardProps};
use super::manifest_view::manifest_view;
use super::rich::{button, el, el1, markup, on_download, rich, text, with_attrs};
use crate::report::{self, Report};
use crate::span::LineIndex;
use crate::web::state::Diagnosis;
use crate::web::view_model::{download_name, fixed, line_range};
use crate::Input;
use std::rc::Rc;
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::{Attribute, Static as S};
use yew::virtual_dom::Attributes;

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
    pub split: bool,
    /// Show the diff side by side (`true`) or unified.
    pub on_split: Callback<bool>,
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
        i.segments
            .iter()
            .map(move |s| {
                let (a, b) = index.map_or((0, 0), |ix| line_range(ix, s.span.start, s.span.end));
                let place = if several {
                    format!(" · {name}: lines {a}–{b}")
                } else {
                    format!(" · lines {a}–{b}")
                };
                with_attrs(
                    el(
                        "li",
                        &[],
                        vec![el1("code", &[], text(s.kind.slug())), place.into()],
                    ),
                    &["data-kind", "class"],
                    Box::new([Some(S(s.kind.slug())), Some(S("piece"))]),
                )
            })
            .collect::<Vec<_>>()
    });
    let (markdown, json) = (&derived.markdown, &derived.json);
    let manifest_name = r
        .corrected_manifest
        .as_ref()
        .and_then(|m| d.inputs.get(m.input))
        .map_or_else(|| download_name(""), |i| download_name(&i.name));
    let attr = |v: String| Some(Attribute(AttrValue::from(v)));
    let chain = if chain.is_empty() {
        Html::default()
    } else {
        el(
            "ol",
            &[
                ("aria-label", S("From the Job to the cause")),
                ("class", S("chain")),
            ],
            chain.iter().map(|c| el1("li", &[], c.into())).collect(),
        )
    };
    let headline = with_attrs(
        el(
            "div",
            &[],
            vec![
                el1(
                    "span",
                    &[("class", S("cause-slug"))],
                    text(r.primary_cause.title()),
                ),
                el1(
                    "p",
                    &[("class", S("summary"))],
                    rich(
                        r.summary
                            .strip_prefix(&format!("{}: ", r.primary_cause.title()))
                            .unwrap_or(&r.summary),
                    ),
                ),
                chain,
            ],
        ),
        &["id", "data-cause", "class"],
        Box::new([
            Some(S("primary-cause")),
            Some(S(r.primary_cause.slug())),
            Some(S("headline")),
        ]),
    );
    let notes = if r.notes.is_empty() {
        Html::default()
    } else {
        el(
            "ul",
            &[("class", S("notes"))],
            r.notes
                .iter()
                .map(|n| el1("li", &[], (&n.message).into()))
                .collect(),
        )
    };
    let detected = with_attrs(
        el(
            "details",
            &[],
            vec![
                el1("summary", &[], detected_summary(r).into()),
                el("ul", &[("id", S("pieces"))], segments.collect()),
                notes,
            ],
        ),
        &["open", "class"],
        Box::new([
            r.findings.is_empty().then_some(S("open")),
            Some(S("segments")),
        ]),
    );
    let findings = el(
        "div",
        &[("class", S("findings"))],
        r.findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                finding_card(
                    f,
                    &CardProps {
                        inputs: &d.inputs,
                        lines,
                        index: i,
                        selected: ui.selected == Some(i),
                        on_select: &ui.on_select,
                        docs_open: ui.docs_open.contains(&i),
                        on_docs: &ui.on_docs,
                    },
                )
            })
            .collect(),
    );
    let manifest = match &r.corrected_manifest {
        Some(m) => manifest_view(m, manifest_name, ui.split, &ui.on_split),
        None => Html::default(),
    };
    let advice = if r.advice.is_empty() {
        Html::default()
    } else {
        advice_view(&r.advice)
    };
    let withheld = if r.withheld.is_empty() {
        Html::default()
    } else {
        el(
            "div",
            &[("class", S("withheld"))],
            r.withheld
                .iter()
                .map(|w| {
                    el1(
                        "p",
                        &[],
                        format!("fix withheld: {} ({})", w.title, w.reason).into(),
                    )
                })
                .collect(),
        )
    };
    let export = el(
        "section",
        &[("aria-label", S("Export")), ("class", S("export"))],
        vec![
            markup("<h2>Export</h2>"),
            el(
                "div",
                &[("class", S("toolbar"))],
                vec![
                    copy_button(
                        Some("copy-markdown"),
                        markdown.clone(),
                        AttrValue::Static("Markdown report"),
                        "Copy Markdown",
                    ),
                    button(
                        Attributes::Static(&[
                            ("type", S("button")),
                            ("id", S("download-markdown")),
                        ]),
                        on_download(
                            AttrValue::Static("podmortem-report.md"),
                            "text/markdown",
                            markdown.clone(),
                        ),
                        text("Download .md"),
                    ),
                    copy_button(
                        Some("copy-json"),
                        json.clone(),
                        AttrValue::Static("JSON report"),
                        "Copy JSON",
                    ),
                    button(
                        Attributes::Static(&[("type", S("button")), ("id", S("download-json"))]),
                        on_download(
                            AttrValue::Static("podmortem-report.json"),
                            "application/json",
                            json.clone(),
                        ),
                        text("Download .json"),
                    ),
                ],
            ),
            el1(
                "p",
                &[("class", S("timing"))],
                format!("diagnosed in {} ms", fixed(d.millis, 1)).into(),
            ),
        ],
    );
    with_attrs(
        el(
            "div",
            &[],
            vec![
                headline, detected, findings, manifest, advice, withheld, export,
            ],
        ),
        &["data-diagnose-ms", "class"],
        Box::new([attr(fixed(d.millis, 2)), Some(S("report"))]),
    )
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
