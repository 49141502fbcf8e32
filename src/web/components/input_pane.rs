use super::app::read_files;
use super::rich::{aria, el, el1, with_attrs, Out};
use crate::web::examples::EXAMPLES;
use crate::web::state::{Action, State, Tab};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::{self, Static as S};

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
/// app re-renders it on every change anyway, and a component type costs its own copy of the
/// framework's lifecycle code. Its buttons, the examples menu, the file picker and the tab
/// name are markup, handled by the page's click and change handlers; the editor (whose value
/// the app sets) and the drop zone are elements with their own listeners.
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
    pub on_files: Callback<web_sys::FileList>,
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
    // Files dragged over the pane, leaving it, dropped on it (`0`, `1`, `2`): one closure
    // type for the three listeners.
    let drag = |what: u8| {
        let on_drag = props.on_drag.clone();
        let on_files = props.on_files.clone();
        Callback::from(move |e: DragEvent| {
            if what != 1 {
                e.prevent_default();
            }
            // `dragover` repeats while the pointer moves: set the flag once, not a render of
            // the whole app each time.
            if (what == 0) != dragging {
                on_drag.emit(what == 0);
            }
            if what == 2 {
                if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                    if files.length() > 0 {
                        on_files.emit(files);
                    }
                }
            }
        })
    };
    let (ondragover, ondragleave, ondrop) = (drag(0), drag(1), drag(2));
    let (value, preview) = (AttrValue::from(props.shown.0.as_str()), props.shown.1);
    let line_count = props.line_count;
    let all_empty = props.tabs.iter().all(|t| t.text.is_empty()) && props.tabs.len() == 1;
    let mut o = Out::default();
    o.raw(r#"<div class="toolbar"><button id="load-example" type="button">Try the OOM example</button><select id="examples" aria-label="Load a built-in example (Alt+E)" title="Alt+E"><option value="" selected>Examples…</option>"#);
    // Each example with the cause it must produce (`data-cause`, read by the e2e test).
    for (i, e) in EXAMPLES.iter().enumerate() {
        o.raw(r#"<option data-cause=""#)
            .raw(e.expected_cause.slug());
        o.raw(r#"" value=""#)
            .num(i)
            .raw(r#"">"#)
            .raw(e.title)
            .raw("</option>");
    }
    o.raw(r#"</select><label class="button" for="file-pick">Open files…</label><input id="file-pick" class="sr-only" type="file" multiple><button id="clear" type="button""#);
    if all_empty {
        o.raw(" disabled");
    }
    o.raw(r#">Clear all</button></div><div role="tablist" aria-label="Inputs" class="tabs">"#);
    for (i, t) in props.tabs.iter().enumerate() {
        let active = i == props.active;
        o.raw(if active {
            r#"<span class="tab active">"#
        } else {
            r#"<span class="tab">"#
        });
        o.raw(r#"<button type="button" role="tab" aria-selected=""#)
            .raw(aria(active));
        o.raw(r#"" aria-controls="input" data-i=""#)
            .num(i)
            .raw(r#"">"#);
        o.text(&t.name)
            .raw(r#"</button><button type="button" aria-label="Remove input "#);
        o.text(&t.name)
            .raw(r#"" class="tab-close" data-i=""#)
            .num(i);
        o.raw(r#"">×</button></span>"#);
    }
    o.raw(r#"<button id="add-tab" type="button" aria-label="Add an input (Alt+N)" title="Add an input (Alt+N)" class="tab-add">+</button><label class="tab-name"><span class="sr-only">Name of this input</span><input id="tab-name" type="text" aria-label="Name of this input" value=""#);
    o.text(props.tabs.get(props.active).map_or("", |t| &t.name));
    o.raw(r#""></label></div>"#);
    let tools = o.node();
    // An element of its own, kept while the file is read: a live region announces changes of
    // its text, not a new region.
    let progress = match &props.progress {
        Some((name, pct)) => {
            let mut o = Out::default();
            o.raw(r#"<label for="file-progress">Reading "#);
            o.text(name).raw("… ").num(*pct as usize);
            o.raw(r#"%</label><progress id="file-progress" max="100" value=""#);
            o.num(*pct as usize).raw(r#""></progress>"#);
            el1(
                "div",
                &[("role", S("status")), ("class", S("progress"))],
                o.node(),
            )
        }
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
    let children = [tools, progress, editor, hint];
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

/// A change in the input pane's markup: an example picked, files picked, the tab renamed
/// (the active one, `active`).
pub fn on_change(dispatcher: UseReducerDispatcher<State>, active: usize) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            if let Some(sel) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                if let Ok(i) = sel.value().parse::<usize>() {
                    dispatcher.dispatch(Action::LoadExample(i));
                }
                sel.set_value("");
            }
            return;
        };
        match el.id().as_str() {
            "file-pick" => {
                if let Some(files) = el.files() {
                    read_files(&files, &dispatcher);
                }
                el.set_value("");
            }
            "tab-name" => dispatcher.dispatch(Action::RenameTab(active, el.value())),
            _ => {}
        }
    })
}
