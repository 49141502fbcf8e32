use super::rich::{aria, Out};
use crate::findings::Finding;
use crate::rules;
use crate::span::LineIndex;
use crate::web::view_model::{
    doc_blocks, doc_section, evidence_lines_in, DocBlock, Piece, DOC_SECTIONS,
};
use crate::Input;

/// What a finding card shows beside the finding itself.
pub struct CardProps<'a> {
    pub inputs: &'a [Input],
    /// The line index of each input (made once per diagnosis).
    pub lines: &'a [LineIndex],
    pub index: usize,
    pub selected: bool,
    /// Whether the rule's documentation was opened on the card at this place.
    pub docs_open: bool,
}

/// One finding, as markup. Its controls are handled by the results' click handler: the
/// "show in input" button and the documentation's summary by the card's `data-i`, the copy
/// buttons by their `data-copy`.
pub fn finding_card(o: &mut Out, f: &Finding, props: &CardProps) {
    let sev = f.severity.as_str();
    o.raw(r#"<article data-code=""#).raw(f.code);
    o.raw(r#"" aria-label=""#).raw(sev).raw(" ").raw(f.name);
    o.raw(r#"" class="finding sev-"#).raw(sev);
    if props.selected {
        o.raw(" selected");
    }
    o.raw(r#"" data-i=""#)
        .num(props.index)
        .raw(r#""><header><span class="badge">"#);
    o.raw(sev)
        .raw(r#"</span><code class="rule">"#)
        .raw(f.code)
        .raw(" ");
    o.raw(f.name)
        .raw(r#"</code><button type="button" aria-pressed=""#);
    o.raw(aria(props.selected))
        .raw(r#"" title="Select the evidence in the input" class="show-evidence">"#);
    o.raw(if props.selected {
        "unselect"
    } else {
        "show in input"
    });
    o.raw(r#"</button></header><p class="message">"#)
        .rich(&f.message);
    o.raw(r#"</p><div aria-label="Evidence" class="evidence">"#);
    let several = props.inputs.len() > 1;
    for (n, input) in props.inputs.iter().enumerate() {
        let lines = match props.lines.get(n) {
            Some(index) if f.evidence.iter().any(|e| e.span.input == n) => {
                evidence_lines_in(&input.text, index, n, &f.evidence)
            }
            _ => Vec::new(),
        };
        for l in lines {
            o.raw(r#"<div class="evidence-line"><span class="ln">"#);
            if several {
                o.text(&input.name).raw(":");
            }
            o.num(l.number).raw("</span><code>");
            for p in &l.pieces {
                match p {
                    Piece::Text(t) => o.text(t),
                    Piece::Mark {
                        text,
                        label,
                        primary,
                    } => {
                        o.raw(r#"<mark title=""#).text(label);
                        if *primary {
                            o.raw(r#"" class="primary"#);
                        }
                        o.raw(r#"">"#).text(text).raw("</mark>")
                    }
                };
            }
            o.raw("</code></div>");
        }
    }
    o.raw(r#"<ul class="labels">"#);
    for e in &f.evidence {
        o.raw(if e.primary {
            r#"<li class="primary">"#
        } else {
            "<li>"
        });
        o.text(&e.label).raw("</li>");
    }
    o.raw(r#"</ul></div><p class="help">"#)
        .rich(&f.help)
        .raw("</p>");
    // The rule's documentation, section by section (the same text as `podmortem explain`),
    // written only once its <details> was opened: closed, it would still be DOM to lay out
    // for every card on every diagnosis.
    let meta = rules::find(f.code).map(|r| r.meta());
    if let Some(m) = meta.filter(|m| doc_section(m.docs, DOC_SECTIONS[0].0).is_some()) {
        let open = props.docs_open || props.selected;
        o.raw(if open {
            r#"<details class="explanation" open><summary>"#
        } else {
            r#"<details class="explanation"><summary>"#
        });
        o.raw(DOC_SECTIONS[0].1).raw("</summary>");
        if open {
            let sections = DOC_SECTIONS.iter().filter_map(|(title, heading)| {
                doc_section(m.docs, title).map(|s| (*heading, doc_blocks(&s)))
            });
            for (n, (heading, blocks)) in sections.enumerate() {
                if n > 0 {
                    o.raw("<h4>").raw(heading).raw("</h4>");
                }
                doc_html(o, &blocks);
            }
        }
        o.raw("</details>");
    }
    if !f.next_steps.is_empty() {
        o.raw(r#"<div class="next-steps"><h3>Next steps</h3><ul>"#);
        for s in &f.next_steps {
            o.raw("<li><code>").text(s).raw("</code>");
            o.copy_button("", "command", Some(s), "Copy").raw("</li>");
        }
        o.raw("</ul></div>");
    }
    o.raw("</article>");
}

/// A docs section as markup: paragraphs, list items and code; links open in a new tab and
/// send no referrer (they are the only way off the page, and only when clicked).
fn doc_html(o: &mut Out, blocks: &[DocBlock]) {
    // Consecutive items make one list.
    let mut in_list = false;
    for b in blocks {
        let item = matches!(b, DocBlock::Item(_));
        if item != in_list {
            o.raw(if item { r#"<ul class="doc">"# } else { "</ul>" });
            in_list = item;
        }
        match b {
            DocBlock::Item(i) => o.raw("<li>").parts(i).raw("</li>"),
            DocBlock::Para(p) => o.raw(r#"<p class="doc">"#).parts(p).raw("</p>"),
            DocBlock::Code(c) => o
                .raw(r#"<pre class="doc-code"><code>"#)
                .text(c)
                .raw("</code></pre>"),
        };
    }
    if in_list {
        o.raw("</ul>");
    }
}
