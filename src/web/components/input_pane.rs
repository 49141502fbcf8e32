use super::rich::{aria, button, classed, el, el1, markup, on_click_emit, text, with_attrs};
use crate::web::examples::EXAMPLES;
use crate::web::state::Tab;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::{self, Attribute, Static as S};
use yew::virtual_dom::Attributes;

/// The gutter stops numbering past this many lines (a 50 MB log is still diagnosed).
pub const GUTTER_MAX_LINES: usize = 20_000;
/// Inputs larger than this are diagnosed in full but shown read-only, cut to [`PREVIEW`]: a
/// browser textarea holding tens of MB freezes the page for many seconds on every update.
const EDIT_MAX: usize = 2 << 20;
const PREVIEW: usize = 256 << 10;

/// What the textarea shows for `text`, and whether it is a read-only preview.
pub fn shown(text: &str) -> (String, bool) {
    if text.len() <= EDIT_MAX {
        return (text.to_string(), false);
    }
    let mut cut = PREVIEW;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = text.get(..cut).unwrap_or("");
    let head = head.rfind('\n').map_or(head, |n| &head[..=n]);
    (
        format!(
            "{head}… {} MB more not shown: the whole input is diagnosed. Remove this tab to paste again.\n",
            crate::web::view_model::fixed((text.len() - head.len()) as f64 / 1e6, 1)
        ),
        true,
    )
}

/// What the input pane shows. The pane is a plain function of the app, not a component: the
/// app re-renders it on every change anyway (its callbacks are new each time), and a component
/// type costs its own copy of the framework's lifecycle code. Its two hooks live in the app.
pub struct InputPaneProps<'a> {
    pub tabs: &'a [Tab],
    pub active: usize,
    /// What the textarea shows ([`shown`]) and its number of lines.
    pub shown: &'a (String, bool),
    pub line_count: usize,
    /// File reading progress: (file name, percent).
    pub progress: Option<(String, u32)>,
    pub textarea: NodeRef,
    pub on_input: Callback<String>,
    pub on_example: Callback<usize>,
    pub on_clear: Callback<MouseEvent>,
    /// Loads the first example (the OOM one).
    pub on_load_first: Callback<MouseEvent>,
    pub on_files: Callback<web_sys::FileList>,
    pub on_tab: Callback<usize>,
    pub on_add_tab: Callback<MouseEvent>,
    pub on_remove_tab: Callback<usize>,
    pub on_rename_tab: Callback<(usize, String)>,
    /// The line-number gutter, scrolled with the textarea.
    pub gutter: NodeRef,
    /// Files are being dragged over the pane.
    pub dragging: bool,
    /// Files started (`true`) or stopped being dragged over the pane.
    pub on_drag: Callback<bool>,
}

pub fn input_pane(props: &InputPaneProps) -> Html {
    let gutter = &props.gutter;
    let dragging = props.dragging;
    let oninput = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(el.value());
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<web_sys::HtmlElement>() {
                g.set_scroll_top(el.scroll_top());
            }
        })
    };
    let on_pick = {
        let cb = props.on_example.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = el.value().parse::<usize>() {
                cb.emit(i);
            }
            el.set_value("");
        })
    };
    let on_file_input = {
        let cb = props.on_files.clone();
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = el.files() {
                cb.emit(files);
            }
            el.set_value("");
        })
    };
    let ondragover = {
        let on_drag = props.on_drag.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            // `dragover` repeats while the pointer moves: set the flag once, not a render of
            // the whole app each time.
            if !dragging {
                on_drag.emit(true);
            }
        })
    };
    let ondragleave = {
        let on_drag = props.on_drag.clone();
        Callback::from(move |_: DragEvent| {
            if dragging {
                on_drag.emit(false);
            }
        })
    };
    let ondrop = {
        let cb = props.on_files.clone();
        let on_drag = props.on_drag.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            on_drag.emit(false);
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                if files.length() > 0 {
                    cb.emit(files);
                }
            }
        })
    };
    let rename = {
        let cb = props.on_rename_tab.clone();
        let active = props.active;
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            cb.emit((active, el.value()));
        })
    };
    let (value, preview) = (AttrValue::from(props.shown.0.as_str()), props.shown.1);
    let line_count = props.line_count;
    let all_empty = props.tabs.iter().all(|t| t.text.is_empty()) && props.tabs.len() == 1;
    let active_name = props
        .tabs
        .get(props.active)
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let toolbar = el(
        "div",
        &[("class", S("toolbar"))],
        vec![
            button(
                Attributes::Static(&[("id", S("load-example")), ("type", S("button"))]),
                props.on_load_first.clone(),
                text("Try the OOM example"),
            ),
            html! {
                <select id="examples" onchange={on_pick} aria-label="Load a built-in example (Alt+E)" title="Alt+E">
                    { markup(r#"<option value="" selected>Examples…</option>"#) }
                    // Each example with the cause it must produce (`data-cause`, read by the e2e test).
                    { for EXAMPLES.iter().enumerate().map(|(i, e)| with_attrs(
                        el1("option", &[], text(e.title)),
                        &["data-cause", "value"],
                        Box::new([
                            Some(S(e.expected_cause.slug())),
                            Some(Attribute(AttrValue::from(i.to_string()))),
                        ]),
                    )) }
                </select>
            },
            markup(r#"<label class="button" for="file-pick">Open files…</label>"#),
            html! { <input id="file-pick" class="sr-only" type="file" multiple=true onchange={on_file_input} /> },
            button(
                Attributes::Dynamic {
                    keys: &["id", "type", "disabled"],
                    values: Box::new([
                        Some(S("clear")),
                        Some(S("button")),
                        all_empty.then_some(S("disabled")),
                    ]),
                },
                props.on_clear.clone(),
                text("Clear all"),
            ),
        ],
    );
    let mut tabs: Vec<Html> = props
        .tabs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let active = i == props.active;
            classed(
                el(
                    "span",
                    &[],
                    vec![
                        button(
                            Attributes::Dynamic {
                                keys: &["type", "role", "aria-selected", "aria-controls"],
                                values: Box::new([
                                    Some(S("button")),
                                    Some(S("tab")),
                                    Some(S(aria(active))),
                                    Some(S("input")),
                                ]),
                            },
                            on_click_emit(&props.on_tab, i),
                            (&t.name).into(),
                        ),
                        button(
                            Attributes::Dynamic {
                                keys: &["type", "aria-label", "class"],
                                values: Box::new([
                                    Some(S("button")),
                                    Some(Attribute(AttrValue::from(format!(
                                        "Remove input {}",
                                        t.name
                                    )))),
                                    Some(S("tab-close")),
                                ]),
                            },
                            on_click_emit(&props.on_remove_tab, i),
                            text("×"),
                        ),
                    ],
                ),
                Some(if active { "tab active" } else { "tab" }),
            )
        })
        .collect();
    tabs.push(button(
        Attributes::Static(&[
            ("id", S("add-tab")),
            ("type", S("button")),
            ("aria-label", S("Add an input (Alt+N)")),
            ("title", S("Add an input (Alt+N)")),
            ("class", S("tab-add")),
        ]),
        props.on_add_tab.clone(),
        text("+"),
    ));
    tabs.push(el(
        "label",
        &[("class", S("tab-name"))],
        vec![
            markup(r#"<span class="sr-only">Name of this input</span>"#),
            html! { <input id="tab-name" type="text" value={active_name} onchange={rename} aria-label="Name of this input" /> },
        ],
    ));
    let progress = match &props.progress {
        Some((name, pct)) => el(
            "div",
            &[("role", S("status")), ("class", S("progress"))],
            vec![
                el1(
                    "label",
                    &[("for", S("file-progress"))],
                    format!("Reading {name}… {pct}%").into(),
                ),
                with_attrs(
                    el("progress", &[], Vec::new()),
                    &["id", "max", "value"],
                    Box::new([
                        Some(S("file-progress")),
                        Some(S("100")),
                        Some(Attribute(AttrValue::from(pct.to_string()))),
                    ]),
                ),
            ],
        ),
        None => Html::default(),
    };
    let editor = el(
        "div",
        &[("class", S("editor"))],
        vec![
            html! {
                // Filled by the app once its lines or marks change (`gutter_html`): not a diff
                // of up to 20,000 elements on every render.
                <div class="gutter" aria-hidden="true" ref={gutter.clone()}></div>
            },
            html! {
            <textarea
                id="input"
                ref={props.textarea.clone()}
                aria-label="Paste kubectl output, events, logs or a manifest"
                placeholder="$ kubectl describe pod my-job-abc12 -n my-namespace&#10;Name:         my-job-abc12&#10;…&#10;&#10;Or drop files here."
                spellcheck="false"
                autocomplete="off"
                wrap="off"
                readonly={preview}
                value={value}
                {oninput}
                {onscroll}
            />
            },
        ],
    );
    let hint = el1(
        "p",
        &[("class", S("hint"))],
        if preview {
            format!("read-only preview of a large input ({line_count} lines shown) · the whole input is diagnosed")
        } else {
            format!("{line_count} lines · drop files here · Ctrl+Enter diagnoses now · nothing leaves this page")
        }
        .into(),
    );
    let children = vec![
        toolbar,
        el(
            "div",
            &[
                ("role", S("tablist")),
                ("aria-label", S("Inputs")),
                ("class", S("tabs")),
            ],
            tabs,
        ),
        progress,
        editor,
        hint,
    ];
    let pane = html! {
        <section {ondragover} {ondragleave} {ondrop}>{ for children }</section>
    };
    with_attrs(
        pane,
        &["aria-label", "class"],
        Box::new([
            Some(AttributeOrProperty::Static("Input")),
            Some(AttributeOrProperty::Static(if dragging {
                "input-pane dragging"
            } else {
                "input-pane"
            })),
        ]),
    )
}
