use super::app::read_files;
use super::rich::{aria, el, el1, markup, with_attrs, Out};
use crate::web::examples::EXAMPLES;
use crate::web::redact::Options;
use crate::web::state::{Action, State, Tab};
use std::rc::Rc;
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

/// What the textarea shows for `text` (the text itself, shared, when it is small enough),
/// whether it is a read-only preview, and its number of lines.
pub fn shown(text: &Rc<str>) -> (AttrValue, bool, usize) {
    let (value, preview) = cut(text);
    let lines = value.bytes().filter(|&b| b == b'\n').count() + 1;
    (value, preview, lines)
}

fn cut(text: &Rc<str>) -> (AttrValue, bool) {
    if text.len() <= EDIT_MAX {
        return (AttrValue::Rc(text.clone()), false);
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
        )
        .into(),
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
    /// What the textarea shows and its number of lines ([`shown`]).
    pub shown: &'a (AttrValue, bool, usize),
    /// File reading progress: (file name, percent).
    pub progress: Option<(String, u32)>,
    pub textarea: NodeRef,
    /// The line-number gutter, scrolled with the textarea.
    pub gutter: NodeRef,
    /// Files are being dragged over the pane.
    pub dragging: bool,
    /// Where the editor's text, the drag flag and dropped files go.
    pub dispatcher: UseReducerDispatcher<State>,
}

pub fn input_pane(props: &InputPaneProps) -> Html {
    let gutter = &props.gutter;
    let dragging = props.dragging;
    let oninput = {
        let d = props.dispatcher.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            d.dispatch(Action::SetInput(el.value()));
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
        let d = props.dispatcher.clone();
        Callback::from(move |e: DragEvent| {
            if what != 1 {
                e.prevent_default();
            }
            // `dragover` repeats while the pointer moves: set the flag once, not a render of
            // the whole app each time.
            if (what == 0) != dragging {
                d.dispatch(Action::Drag(what == 0));
            }
            if what == 2 {
                if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                    if files.length() > 0 {
                        read_files(&files, &d);
                    }
                }
            }
        })
    };
    let (ondragover, ondragleave, ondrop) = (drag(0), drag(1), drag(2));
    let (value, preview, line_count) = props.shown.clone();
    let all_empty = props.tabs.iter().all(|t| t.text.is_empty()) && props.tabs.len() == 1;
    // The example button, the examples menu and the file picker: the same markup on every
    // render, so the page keeps these elements. A <select> parsed again counts as a changed
    // selection for the browser's form autofill, whose task then lays the page out before the
    // next frame (the first diagnosis came up to 40 ms later).
    let mut o = Out::default();
    o.raw(r#"<button id="load-example" type="button">Try the OOM example</button><select id="examples" aria-label="Load a built-in example (Alt+E)" title="Alt+E"><option value="" selected>Examples…</option>"#);
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
    o.raw(r#"</select><label class="button" for="file-pick">Open files…</label><input id="file-pick" class="sr-only" type="file" multiple>"#);
    let toolbar = el(
        "div",
        &[("class", S("toolbar"))],
        vec![
            o.node(),
            markup(if all_empty {
                r#"<button id="clear" type="button" disabled>Clear all</button>"#
            } else {
                r#"<button id="clear" type="button">Clear all</button>"#
            }),
        ],
    );
    let mut o = Out::default();
    o.raw(r#"<div role="tablist" aria-label="Inputs" class="tabs">"#);
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
    let children = [toolbar, tools, progress, editor, hint];
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

/// A change in the page's markup: an example picked, files picked, the tab renamed (the
/// active one, `active`), a share mask option (the others as in `mask`) toggled.
pub fn on_change(
    dispatcher: UseReducerDispatcher<State>,
    active: usize,
    mask: Options,
) -> Callback<Event> {
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
            id @ ("mask-ips" | "mask-hosts") => {
                let mut o = mask;
                if id == "mask-ips" {
                    o.ips = el.checked();
                } else {
                    o.hosts = el.checked();
                }
                dispatcher.dispatch(Action::Mask(o));
            }
            _ => {}
        }
    })
}
