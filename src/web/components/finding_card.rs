use super::copy_button::copy_button;
use super::rich::{
    aria, button, classed, el, el1, markup, on_click_emit, parts, rich, text, with_attrs,
};
use crate::findings::Finding;
use crate::rules;
use crate::span::LineIndex;
use crate::web::view_model::{
    doc_blocks, doc_section, evidence_lines_in, DocBlock, Piece, DOC_SECTIONS,
};
use crate::Input;
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::{self, Attribute, Static as S};
use yew::virtual_dom::Attributes;

/// What a finding card shows beside the finding itself.
pub struct CardProps<'a> {
    pub inputs: &'a [Input],
    /// The line index of each input (made once per diagnosis).
    pub lines: &'a [LineIndex],
    pub index: usize,
    pub selected: bool,
    pub on_select: &'a Callback<usize>,
    /// Whether the rule's documentation was opened on the card at this place.
    pub docs_open: bool,
    /// The documentation of card `index` was opened (`true`) or closed.
    pub on_docs: &'a Callback<(usize, bool)>,
}

/// One finding. A plain function, not a component: the report re-renders its cards with every
/// app render anyway (the select callback is new each time), and a component type costs its
/// own copy of the framework's lifecycle code.
pub fn finding_card(f: &Finding, props: &CardProps) -> Html {
    let onclick = on_click_emit(props.on_select, props.index);
    // The rule's documentation, section by section (the same text as `podmortem explain`),
    // built only once its <details> was opened: closed, it would still be DOM to lay out for
    // every card on every diagnosis.
    let ontoggle = {
        let cb = props.on_docs.clone();
        let i = props.index;
        Callback::from(move |e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            cb.emit((i, el.has_attribute("open")));
        })
    };
    let meta = rules::find(f.code).map(|r| r.meta());
    let docs: Vec<(&str, Vec<DocBlock>)> = match meta {
        Some(m) if props.docs_open || props.selected => DOC_SECTIONS
            .iter()
            .filter_map(|(title, heading)| {
                doc_section(m.docs, title).map(|s| (*heading, doc_blocks(&s)))
            })
            .collect(),
        _ => Vec::new(),
    };
    let has_docs = meta.is_some_and(|m| doc_section(m.docs, DOC_SECTIONS[0].0).is_some());
    let several = props.inputs.len() > 1;
    let snippets = props.inputs.iter().enumerate().flat_map(|(n, input)| {
        let lines = match props.lines.get(n) {
            Some(index) if f.evidence.iter().any(|e| e.span.input == n) => {
                evidence_lines_in(&input.text, index, n, &f.evidence)
            }
            _ => Vec::new(),
        };
        lines.into_iter().map(move |l| (input.name.clone(), l))
    });
    let header = el(
        "header",
        &[],
        vec![
            el1("span", &[("class", S("badge"))], text(f.severity.as_str())),
            el1(
                "code",
                &[("class", S("rule"))],
                format!("{} {}", f.code, f.name).into(),
            ),
            button(
                Attributes::Dynamic {
                    keys: &["type", "aria-pressed", "title", "class"],
                    values: Box::new([
                        Some(S("button")),
                        Some(S(aria(props.selected))),
                        Some(S("Select the evidence in the input")),
                        Some(S("show-evidence")),
                    ]),
                },
                onclick,
                text(if props.selected {
                    "unselect"
                } else {
                    "show in input"
                }),
            ),
        ],
    );
    let mut evidence: Vec<Html> = snippets
        .map(|(name, l)| {
            let number = if several {
                format!("{name}:{}", l.number)
            } else {
                l.number.to_string()
            };
            let pieces = l
                .pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => Html::from(t),
                    Piece::Mark {
                        text,
                        label,
                        primary,
                    } => with_attrs(
                        el1("mark", &[], text.into()),
                        &["title", "class"],
                        Box::new([
                            Some(Attribute(AttrValue::from(label.clone()))),
                            primary.then_some(S("primary")),
                        ]),
                    ),
                })
                .collect();
            el(
                "div",
                &[("class", S("evidence-line"))],
                vec![
                    el1("span", &[("class", S("ln"))], number.into()),
                    el("code", &[], pieces),
                ],
            )
        })
        .collect();
    evidence.push(el(
        "ul",
        &[("class", S("labels"))],
        f.evidence
            .iter()
            .map(|e| {
                classed(
                    el1("li", &[], (&e.label).into()),
                    e.primary.then_some("primary"),
                )
            })
            .collect(),
    ));
    let docs = if has_docs {
        let mut children = vec![el1("summary", &[], text(DOC_SECTIONS[0].1))];
        children.extend(docs.iter().enumerate().map(|(n, (heading, blocks))| {
            let heading = if n > 0 {
                el1("h4", &[], text(heading))
            } else {
                Html::default()
            };
            Html::from_iter([heading, doc_html(blocks)])
        }));
        html! {
            <details class="explanation" open={props.selected} {ontoggle}>
                { for children }
            </details>
        }
    } else {
        Html::default()
    };
    let next_steps = if f.next_steps.is_empty() {
        Html::default()
    } else {
        el(
            "div",
            &[("class", S("next-steps"))],
            vec![
                markup("<h3>Next steps</h3>"),
                el(
                    "ul",
                    &[],
                    f.next_steps
                        .iter()
                        .map(|s| {
                            el(
                                "li",
                                &[],
                                vec![
                                    el1("code", &[], s.into()),
                                    copy_button(
                                        None,
                                        AttrValue::from(s.clone()),
                                        AttrValue::Static("command"),
                                        "Copy",
                                    ),
                                ],
                            )
                        })
                        .collect(),
                ),
            ],
        )
    };
    let card = el(
        "article",
        &[],
        vec![
            header,
            el1("p", &[("class", S("message"))], rich(&f.message)),
            el(
                "div",
                &[("aria-label", S("Evidence")), ("class", S("evidence"))],
                evidence,
            ),
            el1("p", &[("class", S("help"))], rich(&f.help)),
            docs,
            next_steps,
        ],
    );
    let attr = |v: String| Some(AttributeOrProperty::Attribute(AttrValue::from(v)));
    with_attrs(
        card,
        &["data-code", "aria-label", "class"],
        Box::new([
            Some(AttributeOrProperty::Static(f.code)),
            attr(format!("{} {}", f.severity.as_str(), f.name)),
            attr(format!(
                "finding sev-{}{}",
                f.severity.as_str(),
                if props.selected { " selected" } else { "" }
            )),
        ]),
    )
}

/// A docs section as HTML: paragraphs, list items and code; links open in a new tab and
/// send no referrer (they are the only way off the page, and only when clicked).
fn doc_html(blocks: &[DocBlock]) -> Html {
    // Consecutive items make one list.
    let mut out: Vec<Html> = Vec::new();
    let mut items: Vec<Html> = Vec::new();
    for b in blocks {
        if let DocBlock::Item(i) = b {
            items.push(el1("li", &[], parts(i)));
            continue;
        }
        if !items.is_empty() {
            out.push(el("ul", &[("class", S("doc"))], std::mem::take(&mut items)));
        }
        out.push(match b {
            DocBlock::Para(p) => el1("p", &[("class", S("doc"))], parts(p)),
            DocBlock::Code(c) => el1(
                "pre",
                &[("class", S("doc-code"))],
                el1("code", &[], c.into()),
            ),
            DocBlock::Item(_) => Html::default(),
        });
    }
    if !items.is_empty() {
        out.push(el("ul", &[("class", S("doc"))], items));
    }
    out.into_iter().collect()
}
