use super::advice_view::advice_view;
use super::finding_card::{finding_card, CardProps};
use super::manifest_view::manifest_parts;
use super::rich::{el, with_attrs, Out};
use crate::report::Report;
use crate::span::LineIndex;
use crate::web::state::Diagnosis;
use crate::web::view_model::{download_name, fixed, line_range};
use crate::Input;
use std::rc::Rc;
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::{Attribute, Static as S};

/// What the report view derives from a diagnosis, made once per diagnosis (the app keeps it
/// in a memo): a line index per input, shared by the cards, and the markup of every part that
/// changes only with the diagnosis. The exported reports are written when asked for.
pub struct Derived {
    pub lines: Rc<Vec<LineIndex>>,
    /// The corrected manifest: its file name and text.
    pub manifest: Option<(String, String)>,
    /// The headline and what was detected.
    head: AttrValue,
    /// The corrected manifest's parts: the head, the diff unified and side by side, the
    /// whole manifest.
    manifest_parts: Option<[AttrValue; 4]>,
    /// Advice and withheld fixes.
    tail: AttrValue,
}

impl Derived {
    pub fn new(report: &Report, inputs: &[Input]) -> Self {
        let lines: Vec<LineIndex> = inputs.iter().map(|i| LineIndex::new(&i.text)).collect();
        let manifest = report.corrected_manifest.as_ref().map(|m| {
            let name = inputs.get(m.input).map_or("", |i| &i.name);
            (m, download_name(name))
        });
        let manifest_parts = manifest.as_ref().map(|(m, name)| {
            let p = manifest_parts(m, name);
            let [unified, split] = p.diff;
            [p.head, unified, split, p.whole].map(AttrValue::from)
        });
        let mut tail = Out::default();
        if !report.advice.is_empty() {
            advice_view(&mut tail, &report.advice);
        }
        if !report.withheld.is_empty() {
            tail.raw(r#"<div class="withheld">"#);
            for w in &report.withheld {
                tail.raw("<p>fix withheld: ").text(&w.title).raw(" (");
                tail.text(&w.reason).raw(")</p>");
            }
            tail.raw("</div>");
        }
        Self {
            head: AttrValue::from(head(report, inputs.len() > 1, &lines)),
            lines: Rc::new(lines),
            manifest: manifest.map(|(m, name)| (name, m.text.clone())),
            manifest_parts,
            tail: AttrValue::from(tail.0),
        }
    }
}

/// The headline (cause, summary, the chain from the Job to the cause) and what was detected.
fn head(r: &Report, several: bool, lines: &[LineIndex]) -> String {
    let mut o = Out::default();
    o.raw(r#"<div id="primary-cause" data-cause=""#)
        .raw(r.primary_cause.slug());
    o.raw(r#"" class="headline"><span class="cause-slug">"#);
    o.raw(r.primary_cause.title())
        .raw(r#"</span><p class="summary">"#);
    let summary = r
        .summary
        .strip_prefix(&format!("{}: ", r.primary_cause.title()))
        .unwrap_or(&r.summary);
    o.rich(summary).raw("</p>");
    let chain = r.findings.first().map_or(&[][..], |f| &f.chain[..]);
    if !chain.is_empty() {
        o.raw(r#"<ol aria-label="From the Job to the cause" class="chain">"#);
        for c in chain {
            o.raw("<li>").text(c).raw("</li>");
        }
        o.raw("</ol>");
    }
    o.raw(if r.findings.is_empty() {
        r#"</div><details open class="segments"><summary>"#
    } else {
        r#"</div><details class="segments"><summary>"#
    });
    o.text(&detected_summary(r))
        .raw(r#"</summary><ul id="pieces">"#);
    for (n, i) in r.inputs.iter().enumerate() {
        for s in &i.segments {
            let (a, b) = lines
                .get(n)
                .map_or((0, 0), |ix| line_range(ix, s.span.start, s.span.end));
            let kind = s.kind.slug();
            o.raw(r#"<li data-kind=""#)
                .raw(kind)
                .raw(r#"" class="piece"><code>"#);
            o.raw(kind).raw("</code> · ");
            if several {
                o.text(&i.name).raw(": ");
            }
            o.raw("lines ").num(a).raw("–").num(b).raw("</li>");
        }
    }
    o.raw("</ul>");
    if !r.notes.is_empty() {
        o.raw(r#"<ul class="notes">"#);
        for n in &r.notes {
            o.raw("<li>").text(&n.message).raw("</li>");
        }
        o.raw("</ul>");
    }
    o.raw("</details>");
    o.0
}

/// The report of diagnosis `d`: the finding `selected` selected, the documentation of the
/// cards at `docs_open` opened, the manifest diff side by side when `split`. Its controls are
/// handled by the results' click handler (the app's `on_report`). Each part is one raw node,
/// replaced only when its markup changes: a details element the user opened stays open.
pub fn report_view(
    d: &Diagnosis,
    derived: &Derived,
    selected: Option<usize>,
    docs_open: &[usize],
    split: bool,
) -> Html {
    let r = &d.report;
    let raw = |v: &AttrValue| Html::from_html_unchecked(v.clone());
    let cards = r
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut o = Out::default();
            finding_card(
                &mut o,
                f,
                &CardProps {
                    inputs: &d.inputs,
                    lines: &derived.lines,
                    index: i,
                    selected: selected == Some(i),
                    docs_open: docs_open.contains(&i),
                },
            );
            o.node()
        })
        .collect();
    let manifest = match &derived.manifest_parts {
        Some([head, unified, side, whole]) => el(
            "section",
            &[
                ("aria-labelledby", S("manifest-title")),
                ("class", S("manifest")),
            ],
            vec![
                raw(head),
                raw(if split { side } else { unified }),
                raw(whole),
            ],
        ),
        None => Html::default(),
    };
    let mut export = Out::default();
    export
        .raw(r#"<section aria-label="Export" class="export"><h2>Export</h2><div class="toolbar">"#);
    export.copy_button(
        r#" id="copy-markdown""#,
        "Markdown report",
        None,
        "Copy Markdown",
    );
    export.raw(r#"<button type="button" id="download-markdown">Download .md</button>"#);
    export.copy_button(r#" id="copy-json""#, "JSON report", None, "Copy JSON");
    export.raw(r#"<button type="button" id="download-json">Download .json</button></div><p class="timing">diagnosed in "#);
    export.text(&fixed(d.millis, 1));
    export.raw(" ms</p></section>");
    with_attrs(
        el(
            "div",
            &[],
            vec![
                raw(&derived.head),
                el("div", &[("class", S("findings"))], cards),
                manifest,
                raw(&derived.tail),
                export.node(),
            ],
        ),
        &["data-diagnose-ms", "class"],
        Box::new([
            Some(Attribute(AttrValue::from(fixed(d.millis, 2)))),
            Some(S("report")),
        ]),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose;

    /// The report is markup: text from the paste must come out escaped everywhere it shows.
    #[test]
    fn pasted_markup_in_the_report_stays_text() {
        let text = "Containers:\n  <img src=x onerror=\"window.__xss=1\">:\n    Last State:  Terminated\n      Reason:    OOMKilled\n      Exit Code: 137\n";
        let inputs = vec![Input::new("<b>paste</b>", text)];
        let report = diagnose(&inputs);
        assert!(!report.findings.is_empty());
        let derived = Derived::new(&report, &inputs);
        let mut all = vec![derived.head.to_string(), derived.tail.to_string()];
        for (i, f) in report.findings.iter().enumerate() {
            let mut o = Out::default();
            let props = CardProps {
                inputs: &inputs,
                lines: &derived.lines,
                index: i,
                selected: true,
                docs_open: true,
            };
            finding_card(&mut o, f, &props);
            all.push(o.0);
        }
        all.extend(
            derived
                .manifest_parts
                .iter()
                .flatten()
                .map(|p| p.to_string()),
        );
        let all = all.join("\n");
        assert!(all.contains("&lt;img src=x onerror=&quot;"), "{all}");
        assert!(!all.contains("<img") && !all.contains("<b>"), "{all}");
    }

    #[test]
    fn the_whole_manifest_keeps_its_first_line_feed() {
        let inputs = vec![Input::new(
            "paste 1",
            crate::web::examples::EXAMPLES[0].text,
        )];
        let report = diagnose(&inputs);
        let derived = Derived::new(&report, &inputs);
        let [.., whole] = derived
            .manifest_parts
            .as_ref()
            .expect("a corrected manifest");
        let m = &report.corrected_manifest.as_ref().expect("manifest").text;
        // The line feed after <pre> is the one the parser drops.
        let start = whole.find("class=\"code\">\n").expect("the pre") + 14;
        assert!(whole[start..].starts_with(&m[..20]), "{whole}");
    }
}
