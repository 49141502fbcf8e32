use super::input_pane::{input_pane, on_change, shown, InputPaneProps, GUTTER_MAX_LINES};
use super::report_view::{report_view, Derived};
use super::rich::{aria, classed, el, el1, markup, Out};
use super::share_panel::{share_panel, Preview};
use crate::web::background::{self, Reply};
use crate::web::redact::Options;
use crate::web::state::{Action, Diagnosis, Panel, State, Tab};
use crate::web::view_model::{fixed, focus_span, gutter_html, marked_lines, utf16_offset};
use crate::web::{dom, share};
use crate::{diagnose, report, Input, Report};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{FileReader, HtmlTextAreaElement};
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::Static as S;

/// How long typing must pause before the diagnosis runs again (longer for big inputs).
const DEBOUNCE_MS: u32 = 150;
const DEBOUNCE_BIG_MS: u32 = 600;
const BIG_INPUT: usize = 1 << 20;

/// The help popover: the keyboard shortcuts.
const HELP: &str = concat!(
    r#"<section id="help" class="panel popover" role="dialog" aria-labelledby="help-title">"#,
    r#"<h2 id="help-title">Keyboard shortcuts</h2><dl>"#,
    "<dt><kbd>Ctrl+Enter</kbd></dt><dd>diagnose now</dd>",
    "<dt><kbd>Alt+E</kbd></dt><dd>examples menu</dd>",
    "<dt><kbd>Alt+N</kbd></dt><dd>add an input</dd>",
    "<dt><kbd>Alt+S</kbd></dt><dd>share a link</dd>",
    "<dt><kbd>Esc</kbd></dt><dd>close a panel, then clear the selection</dd>",
    "<dt><kbd>?</kbd></dt><dd>this help</dd>",
    "</dl></section>",
);

/// A diagnosis in the worker: its id, the inputs it is for, when it was posted.
struct Job {
    id: u32,
    inputs: Rc<Vec<Input>>,
    started: f64,
}

/// What the app's effects keep between renders, in one cell, and what each effect last ran
/// for: one effect after every render runs each part whose inputs changed (each hook is its
/// own copy of Yew's hook code in the wasm).
#[derive(Default)]
struct Kept {
    /// The textarea, and the line-number gutter beside it.
    textarea: NodeRef,
    gutter: NodeRef,
    /// The page-wide listeners, for the app's lifetime.
    page: Option<PageListeners>,
    /// The generation of the last commit (a new one commits without the typing pause).
    last_generation: Option<u64>,
    /// The pending commit after a pause in typing (dropped: cancelled).
    timer: Option<gloo::timers::callback::Timeout>,
    /// The worker, once a big input needed it.
    client: Option<background::Client>,
    /// The job in the worker, if its reply is still awaited.
    pending: Option<Job>,
    /// The worker must be restarted before the next job (the last one failed).
    restart: bool,
    // What the memos were last made for, with what they made.
    inputs_memo: Option<(Vec<Tab>, Rc<Vec<Input>>)>,
    local_memo: Option<Memo<Rc<Vec<Input>>, Option<Diagnosis>>>,
    preview_memo: Option<Memo<PreviewFor, Option<Preview>>>,
    derived_memo: Option<Memo<ReportFor, Option<Derived>>>,
    marks_memo: Option<Memo<MarksFor, Marks>>,
    link_memo: Option<Memo<Option<Rc<Vec<Input>>>, String>>,
    shown_memo: Option<Memo<Rc<str>, (AttrValue, bool, usize)>>,
    // What each effect last ran for.
    commit_for: Option<(Rc<Vec<Input>>, u64)>,
    worker_for: Option<Rc<Vec<Input>>>,
    theme_for: Option<(&'static str, bool)>,
    gutter_for: Option<GutterFor>,
    focus_for: Option<FocusFor>,
}

/// The gutter's line count, evidence lines and selected lines.
type GutterFor = (usize, Rc<Vec<usize>>, Rc<Vec<usize>>);
/// The evidence to select (input, start, end) and the active tab.
type FocusFor = (Option<(usize, usize, usize)>, usize);

type PageListeners = (
    Option<gloo::events::EventListener>,
    gloo::events::EventListener,
    gloo::events::EventListener,
);

/// A memo's inputs and what was made from them.
type Memo<D, T> = (D, Rc<T>);
/// The inputs while the share panel is open, and the mask options.
type PreviewFor = (Option<Rc<Vec<Input>>>, Options);
/// The report shown and its inputs.
type ReportFor = Option<(Same<Report>, Rc<Vec<Input>>)>;
/// The report, the selected finding, the active tab, whether the report is for the text shown.
type MarksFor = (ReportFor, Option<usize>, usize, bool);
/// The evidence lines of the active tab, and those of the selected finding.
type Marks = (Rc<Vec<usize>>, Rc<Vec<usize>>);

/// `f(deps)`, made again only when `deps` differ from those it was last made for (as
/// `use_memo` would, without a copy of the hook code for each memo).
fn memo<D: PartialEq, T>(slot: &mut Option<Memo<D, T>>, deps: D, f: impl FnOnce(&D) -> T) -> Rc<T> {
    match slot {
        Some((seen, value)) if *seen == deps => value.clone(),
        _ => {
            let value = Rc::new(f(&deps));
            *slot = Some((deps, value.clone()));
            value
        }
    }
}

/// Whether `now` differs from what `seen` holds; if so, `seen` takes it.
fn changed<D: PartialEq>(seen: &mut Option<D>, now: D) -> bool {
    if seen.as_ref() == Some(&now) {
        return false;
    }
    *seen = Some(now);
    true
}

/// What this render's effects work with.
struct Now {
    /// The control that held the focus before the render (see `run_effects`).
    focus: Option<Focus>,
    dispatcher: UseReducerDispatcher<State>,
    inputs: Rc<Vec<Input>>,
    generation: u64,
    committed: Rc<Vec<Input>>,
    theme: &'static str,
    manifest_shown: bool,
    split: bool,
    gutter: NodeRef,
    lines: usize,
    marked: Rc<Vec<usize>>,
    selected_lines: Rc<Vec<usize>>,
    textarea: NodeRef,
    target: Option<(usize, usize, usize)>,
    active: usize,
}

/// An `Rc` compared by address: the memo key for a report, which is replaced, never changed in
/// place (comparing two reports field by field on every render would take time, and its code a
/// place in the wasm).
#[derive(Clone)]
struct Same<T>(Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State {
        theme: dom::current_theme(),
        embed: dom::location_search()
            .trim_start_matches('?')
            .split('&')
            .any(|kv| kv == "embed=1" || kv == "embed"),
        ..State::default()
    });
    // One look-up of the state for the many reads below (each deref of the handle is a call).
    let st: &State = &state;
    let embed = st.embed;

    // The inputs the report is computed from (committed by `run_effects`).
    let committed = st.committed.clone();
    let kept = use_mut_ref(Kept::default);
    let mut k = kept.borrow_mut();
    let (textarea, gutter) = (k.textarea.clone(), k.gutter.clone());
    // What the engine gets, made once per change of the tabs (the tab texts are shared, so the
    // comparison is by address unless a text changed).
    let inputs = memo(&mut k.inputs_memo, st.tabs.clone(), |_| st.inputs());
    // Small inputs are diagnosed here, at once; big ones in the worker (background.rs), whose
    // reply lands in `background_result`. A diagnosis is shown only for the inputs it was made
    // from (`Rc::ptr_eq`: no comparison of megabytes of text).
    let in_worker = background::wants_worker(&committed);
    let local = memo(&mut k.local_memo, committed.clone(), |inputs| {
        if background::wants_worker(inputs) || inputs.iter().all(|i| i.text.trim().is_empty()) {
            return None;
        }
        let t0 = dom::now_ms();
        let report = diagnose(inputs);
        let millis = dom::now_ms() - t0;
        Some(Diagnosis {
            report: Rc::new(report),
            inputs: inputs.clone(),
            millis,
        })
    });
    let current = committed.clone();
    let (diagnosis, status) = if in_worker {
        match &st.background {
            Some(Ok(d)) if Rc::ptr_eq(&d.inputs, &current) => (Some(d.clone()), None),
            Some(Err((i, e))) if Rc::ptr_eq(i, &current) => (None, Some(Err(e.clone()))),
            _ => (
                None,
                Some(Ok(current.iter().map(|i| i.text.len()).sum::<usize>())),
            ),
        }
    } else {
        ((*local).clone(), None)
    };
    let diagnosis = Rc::new(diagnosis);
    // What the share panel shows, while it is open.
    let share_preview = memo(
        &mut k.preview_memo,
        ((st.panel == Panel::Share).then(|| inputs.clone()), st.mask),
        |(inputs, mask)| inputs.as_ref().map(|i| Preview::new(i, *mask)),
    );
    // What the report view derives from the diagnosis (line indexes, exports), once per
    // diagnosis.
    let derived = memo(
        &mut k.derived_memo,
        diagnosis
            .as_ref()
            .as_ref()
            .map(|d| (Same(d.report.clone()), d.inputs.clone())),
        |d| d.as_ref().map(|(r, i)| Derived::new(&r.0, i)),
    );

    // The corrected manifest's diff layout (`State::split`) goes back to unified whenever no
    // manifest is shown (see `run_effects`).
    let manifest_shown = derived.is_some()
        && diagnosis
            .as_ref()
            .as_ref()
            .is_some_and(|d| d.report.corrected_manifest.is_some());
    // Evidence lines of the active tab for the gutter (only while the report matches the text).
    let (marked, selected_lines) = {
        let active = st.active;
        let d = (*diagnosis).clone();
        let sel = st.selected;
        // By address first: comparing a 50 MB text on every render holds the page.
        let fresh = d.as_ref().is_some_and(|d| {
            Rc::ptr_eq(&d.inputs, &inputs)
                || d.inputs.get(active).is_some_and(|i| i.text == st.input())
        });
        let marks = memo(
            &mut k.marks_memo,
            (d.map(|d| (Same(d.report), d.inputs)), sel, active, fresh),
            move |(d, sel, active, fresh)| {
                let Some((r, inputs)) = d.as_ref().filter(|_| *fresh) else {
                    return (Rc::new(Vec::new()), Rc::new(Vec::new()));
                };
                let text = inputs.get(*active).map_or("", |i| i.text.as_str());
                let r = &r.0;
                let all: Vec<_> = r.findings.iter().flat_map(|f| f.evidence.iter()).collect();
                let chosen: Vec<_> = sel
                    .and_then(|i| r.findings.get(i))
                    .map(|f| f.evidence.iter().collect())
                    .unwrap_or_default();
                (
                    Rc::new(marked_lines(text, *active, &all)),
                    Rc::new(marked_lines(text, *active, &chosen)),
                )
            },
        );
        (marks.0.clone(), marks.1.clone())
    };

    // What the textarea shows, and the gutter beside it (filled by `run_effects`): looked at
    // again only when the text changed, not on renders for anything else.
    let text = st
        .tabs
        .get(st.active)
        .map_or_else(|| Rc::from(""), |t| t.text.clone());
    let shown = memo(&mut k.shown_memo, text, shown);
    // Embedded, the link to the full page carries the inputs: encoded once per change of them.
    let full_page = memo(&mut k.link_memo, embed.then(|| inputs.clone()), |inputs| {
        let Some(inputs) = inputs else {
            return String::new();
        };
        let size: usize = inputs.iter().map(|i| i.text.len()).sum();
        if size == 0 || size > share::MAX_LINK_INPUT {
            return "./".to_string();
        }
        let pairs: Vec<(String, String)> = inputs
            .iter()
            .filter(|i| !i.text.is_empty())
            .map(|i| (i.name.clone(), i.text.clone()))
            .collect();
        format!("./#{}", share::encode(&pairs))
    });
    drop(k);

    let line_count = shown.2;
    // The evidence to take the input to when a finding is selected.
    let target = st.selected.and_then(|i| {
        diagnosis
            .as_ref()
            .as_ref()
            .and_then(|d| d.report.findings.get(i))
            .and_then(|f| focus_span(&f.evidence))
    });
    {
        let now = Now {
            focus: focused_control(),
            dispatcher: state.dispatcher(),
            inputs: inputs.clone(),
            generation: st.generation,
            committed,
            theme: st.theme,
            manifest_shown,
            split: st.split,
            gutter: gutter.clone(),
            lines: line_count,
            marked,
            selected_lines,
            textarea: textarea.clone(),
            target,
            active: st.active,
        };
        let kept = kept.clone();
        use_effect(move || run_effects(&kept, now));
    }

    let (theme_label, theme_text) = if st.theme == "dark" {
        ("Switch to the light theme", "Light")
    } else {
        ("Switch to the dark theme", "Dark")
    };
    // Markup: its buttons are handled by the page's click handler, by their ids.
    let mut h = Out::default();
    h.raw("<h1>podmortem</h1>");
    if !embed {
        h.raw(r#"<p class="tagline">Why did my Kubernetes Job fail? Paste describe output, events, logs or a manifest. Nothing leaves this page.</p>"#);
    }
    h.raw(r#"<nav aria-label="Page" class="actions"><button type="button" id="share-button" aria-expanded=""#);
    h.raw(aria(st.panel == Panel::Share))
        .raw(r#"" title="Alt+S""#);
    if st.is_empty() {
        h.raw(" disabled");
    }
    h.raw(r#">Share</button><button type="button" id="theme-toggle" aria-label=""#);
    h.raw(theme_label).raw(r#"">"#).raw(theme_text);
    h.raw(r#"</button><button type="button" id="help-button" aria-expanded=""#);
    h.raw(aria(st.panel == Panel::Help));
    h.raw(r#"" aria-label="Keyboard shortcuts">?</button>"#);
    if embed {
        h.raw(r#"<a id="open-full" href=""#).text(&full_page);
        h.raw(r#"" target="_blank" rel="noopener">Open full page</a>"#);
    }
    h.raw("</nav>");
    let header = el1("header", &[("class", S("top"))], h.node());
    let share_error = match &st.share_error {
        Some(e) => el1(
            "p",
            &[
                ("id", S("share-error")),
                ("role", S("alert")),
                ("class", S("error")),
            ],
            format!("This share link cannot be read: {e}").into(),
        ),
        None => Html::default(),
    };
    let popover = match (st.panel, &*share_preview) {
        (Panel::Help, _) => markup(HELP),
        (Panel::Share, Some(preview)) => share_panel(preview),
        _ => Html::default(),
    };
    let results = match (&*diagnosis, status) {
        (_, Some(Ok(bytes))) => el(
            "div",
            &[
                ("id", S("busy")),
                ("role", S("status")),
                ("class", S("busy")),
            ],
            vec![
                markup(r#"<span class="spinner" aria-hidden="true"></span>"#),
                format!(
                    "Diagnosing {} MB in the background. The page stays usable; the result appears here.",
                    fixed(bytes as f64 / 1e6, 1)
                )
                .into(),
            ],
        ),
        (_, Some(Err(e))) => el1(
            "p",
            &[
                ("id", S("diagnosis-error")),
                ("role", S("alert")),
                ("class", S("error")),
            ],
            format!("The diagnosis stopped: {e}. Your input is unchanged.").into(),
        ),
        (Some(d), None) => match &*derived {
            Some(x) => report_view(d, x, st.selected, &st.docs_open, st.split),
            None => Html::default(),
        },
        (None, None) => markup(concat!(
            r#"<div class="empty"><p>Paste the output of <code>kubectl describe pod</code>, "#,
            "<code>kubectl describe job</code>, the events, the container logs or the Job YAML. ",
            "Several pieces in one paste are fine; so are several tabs or dropped files.</p>",
            "<p>Or try a built-in example from the menu.</p></div>",
        )),
    };
    let main = el(
        "main",
        &[],
        vec![
            input_pane(&InputPaneProps {
                tabs: &st.tabs,
                active: st.active,
                shown: &shown,
                progress: st.progress.clone(),
                textarea: textarea.clone(),
                gutter,
                dragging: st.dragging,
                dispatcher: state.dispatcher(),
            }),
            el1(
                "section",
                &[
                    ("aria-live", S("polite")),
                    ("aria-label", S("Diagnosis")),
                    ("class", S("results")),
                ],
                results,
            ),
        ],
    );
    let children = [
        header,
        markup(r#"<pre id="fatal" class="fatal" role="alert" hidden></pre>"#),
        share_error,
        popover,
        main,
    ];
    let onclick = on_click(state.dispatcher(), diagnosis, derived.clone(), st.theme);
    let onchange = on_change(state.dispatcher(), st.active, st.mask);
    let page = html! { <div {onclick} {onchange}>{ for children }</div> };
    classed(page, Some(if embed { "app embed" } else { "app" }))
}

/// The controls written as markup (the header's, the input pane's, the report's, the share
/// panel's), all handled here, by their `id`, their card's `data-i` or their `data-copy`.
fn on_click(
    dispatcher: UseReducerDispatcher<State>,
    diagnosis: Rc<Option<Diagnosis>>,
    derived: Rc<Option<Derived>>,
    theme: &'static str,
) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        let target: web_sys::Element = e.target_unchecked_into();
        let closest = |sel: &str| target.closest(sel).ok().flatten();
        let card = closest(".finding")
            .and_then(|c| c.get_attribute("data-i"))
            .and_then(|i| i.parse::<usize>().ok());
        let Some(control) = closest("button, summary") else {
            return;
        };
        let id = control.id();
        let action = match (card, id.as_str()) {
            // A card's documentation is written once it is opened (the click comes before
            // the toggle, so `open` is still the state before it).
            (Some(i), _) if control.tag_name() == "SUMMARY" => Some(Action::Docs(
                i,
                !control
                    .parent_element()
                    .is_some_and(|d| d.has_attribute("open")),
            )),
            (Some(i), _) if control.class_name() == "show-evidence" => Some(Action::Select(i)),
            (_, "load-example") => Some(Action::LoadExample(0)),
            (_, "clear") => Some(Action::Clear),
            (_, "add-tab") => Some(Action::AddTab),
            (_, "share-button") => Some(Action::Toggle(Panel::Share)),
            (_, "help-button") => Some(Action::Toggle(Panel::Help)),
            (_, "theme-toggle") => {
                let next = if theme == "dark" { "light" } else { "dark" };
                dom::storage_set(dom::THEME_KEY, next);
                Some(Action::SetTheme(next))
            }
            (_, "diff-unified") => Some(Action::Split(false)),
            (_, "diff-split") => Some(Action::Split(true)),
            // The share panel's.
            (_, "copy-link") => {
                if let Some(i) = dom::by_id::<web_sys::HtmlInputElement>("share-link") {
                    dom::copy_text(&i.value());
                    copied(&control);
                }
                return;
            }
            _ if control.class_name() == "link" => Some(Action::Escape),
            // The tabs: select one, or remove it.
            _ => control
                .get_attribute("data-i")
                .and_then(|i| i.parse::<usize>().ok())
                .map(|i| {
                    if control.class_name() == "tab-close" {
                        Action::RemoveTab(i)
                    } else {
                        Action::ActivateTab(i)
                    }
                }),
        };
        if let Some(action) = action {
            return dispatcher.dispatch(action);
        }
        let (Some(d), Some(x)) = (diagnosis.as_ref(), derived.as_ref()) else {
            return;
        };
        // The exports are written when asked for, not with every diagnosis.
        let markdown = || report::markdown::render(&d.report, &d.inputs);
        let json = || report::json::render(&d.report, &d.inputs);
        let manifest = x.manifest.as_ref().map_or(("", ""), |(n, t)| (n, t));
        let copy = match id.as_str() {
            "download-markdown" => {
                return dom::download("podmortem-report.md", "text/markdown", &markdown())
            }
            "download-json" => {
                return dom::download("podmortem-report.json", "application/json", &json())
            }
            "download-manifest" => {
                return dom::download(manifest.0, "application/yaml", manifest.1)
            }
            "copy-markdown" => markdown(),
            "copy-json" => json(),
            "copy-manifest" => manifest.1.to_string(),
            _ => match control.get_attribute("data-copy") {
                Some(text) => text,
                None => return,
            },
        };
        dom::copy_text(&copy);
        copied(&control);
    })
}

/// The controls a render may replace (in raw markup) and give the focus back to.
const CONTROLS: &str = "button, summary, input, select, textarea, a[href]";

/// The control holding the focus: its place among the page's controls from the start and from
/// the end (a tab added or removed moves those after it, or those before it), its kind (tag,
/// id, class) to recognise its replacement by, and its id.
type Focus = (u32, u32, String, String);

fn focused_control() -> Option<Focus> {
    let doc = gloo::utils::document();
    let active = doc.active_element()?;
    // The editor is never replaced (and typing renders on every key): no look-up.
    if active.id() == "input" {
        return None;
    }
    let all = doc.query_selector_all(CONTROLS).ok()?;
    let n = (0..all.length()).find(|&n| all.get(n).as_ref() == Some(active.as_ref()))?;
    Some((n, all.length() - n, kind(&active), active.id()))
}

fn kind(el: &web_sys::Element) -> String {
    [el.tag_name(), el.id(), el.class_name()].join(" ")
}

/// A copy button says "Copied" for a moment, then its label again.
fn copied(button: &web_sys::Element) {
    let Some(node) = button.first_child() else {
        return;
    };
    let label = node.node_value().unwrap_or_default();
    if label == "Copied" {
        // Clicked again meanwhile: the first click puts the label back.
        return;
    }
    node.set_node_value(Some("Copied"));
    gloo::timers::callback::Timeout::new(1500, move || {
        // Unless a render gave this place another label meanwhile.
        if node.node_value().as_deref() == Some("Copied") {
            node.set_node_value(Some(&label));
        }
    })
    .forget();
}

/// The page-wide listeners: the system's colour scheme, share links in the address, keyboard
/// shortcuts.
fn page_listeners(dispatcher: UseReducerDispatcher<State>) -> PageListeners {
    // Follow the system's light/dark setting while it changes, unless a choice was
    // saved with the toggle.
    let system_theme = {
        let dispatcher = dispatcher.clone();
        dom::window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .map(|q| {
                gloo::events::EventListener::new(&q, "change", move |_| {
                    dispatcher.dispatch(Action::SetTheme(dom::current_theme()));
                })
            })
    };

    // Inputs from a share link (#v1=…): on load and when the fragment changes.
    let share_link = {
        let dispatcher = dispatcher.clone();
        let restore = move || match share::decode(&dom::location_hash()) {
            Some(Ok(inputs)) => dispatcher.dispatch(Action::Restore(inputs)),
            Some(Err(e)) => dispatcher.dispatch(Action::ShareError(e)),
            None => {}
        };
        restore();
        gloo::events::EventListener::new(&dom::window(), "hashchange", move |_| restore())
    };

    // Keyboard shortcuts.
    let keys = gloo::events::EventListener::new_with_options(
        &gloo::utils::document(),
        "keydown",
        gloo::events::EventListenerOptions::enable_prevent_default(),
        move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                });
            let action = match (e.key().as_str(), e.code().as_str()) {
                ("Enter", _) if e.ctrl_key() || e.meta_key() => Some(Action::Commit),
                (_, "KeyE") if e.alt_key() => {
                    if let Some(sel) = dom::by_id::<web_sys::HtmlElement>("examples") {
                        let _ = sel.focus();
                    }
                    None
                }
                (_, "KeyN") if e.alt_key() => Some(Action::AddTab),
                (_, "KeyS") if e.alt_key() => Some(Action::Toggle(Panel::Share)),
                ("Escape", _) => Some(Action::Escape),
                ("?", _) if !typing => Some(Action::Toggle(Panel::Help)),
                _ => return,
            };
            e.prevent_default();
            if let Some(a) = action {
                dispatcher.dispatch(a);
            }
        },
    );
    (system_theme, share_link, keys)
}
/// The app's effects, after every render, in the order they were written: each part runs when
/// what it depends on changed since it last ran (as `use_effect_with` would).
fn run_effects(kept: &Rc<std::cell::RefCell<Kept>>, now: Now) {
    let Now {
        focus,
        dispatcher,
        inputs,
        generation,
        committed,
        theme,
        manifest_shown,
        split,
        gutter,
        lines,
        marked,
        selected_lines,
        textarea,
        target,
        active,
    } = now;
    if kept.borrow().page.is_none() {
        let page = page_listeners(dispatcher.clone());
        kept.borrow_mut().page = Some(page);
    }

    // The inputs the report is computed from: follow the tabs after a pause in typing, at once
    // for examples, files, tab changes and Ctrl+Enter.
    let commit = {
        let mut k = kept.borrow_mut();
        changed(&mut k.commit_for, (inputs.clone(), generation)).then(|| {
            // The pause of the previous inputs is over.
            k.timer = None;
            k.last_generation.replace(generation) != Some(generation)
        })
    };
    if let Some(immediate) = commit {
        // Switching tabs or pressing Ctrl+Enter without an edit keeps the diagnosis (a big
        // input is not sent to the worker again).
        // `Rc` equality: by address first, by content only when the addresses differ.
        if committed != inputs {
            let size: usize = inputs.iter().map(|i| i.text.len()).sum();
            if immediate || size == 0 {
                dispatcher.dispatch(Action::Committed(inputs));
            } else {
                let ms = if size > BIG_INPUT {
                    DEBOUNCE_BIG_MS
                } else {
                    DEBOUNCE_MS
                };
                let dispatcher = dispatcher.clone();
                kept.borrow_mut().timer =
                    Some(gloo::timers::callback::Timeout::new(ms, move || {
                        dispatcher.dispatch(Action::Committed(inputs))
                    }));
            }
        }
    }

    // Big inputs are diagnosed in the worker (background.rs), whose reply lands in the state.
    if changed(&mut kept.borrow_mut().worker_for, committed.clone()) {
        post_to_worker(kept, &dispatcher, &committed);
    }

    // The theme on <html>; the diff layout back to unified whenever no manifest is shown.
    if changed(&mut kept.borrow_mut().theme_for, (theme, manifest_shown)) {
        dom::apply_theme(theme);
        if !manifest_shown && split {
            dispatcher.dispatch(Action::Split(false));
        }
    }

    // The gutter's line numbers and marks, set as markup (numbers and fixed class names only)
    // when they change, instead of a component of up to 20,000 elements. The browser keeps its
    // scroll position (where the textarea put it) across the new markup: reading or setting it
    // here would lay the page out at once, only for the next frame to do it again.
    if changed(
        &mut kept.borrow_mut().gutter_for,
        (lines, marked.clone(), selected_lines.clone()),
    ) {
        if let Some(g) = gutter.cast::<web_sys::Element>() {
            g.set_inner_html(&gutter_html(
                lines,
                GUTTER_MAX_LINES,
                &marked,
                &selected_lines,
            ));
        }
    }

    // Most of the page is markup: a render that replaced the part holding the focus dropped
    // it to the page. It goes back to the control with the same id, else to the one now at its
    // place if it is of the same kind (the same button, its label or state changed); not when
    // the control is gone (a panel closed). Before the selection below, which moves it on.
    let doc = gloo::utils::document();
    let lost = doc.active_element().is_none_or(|a| a.tag_name() == "BODY");
    if let (Some((n, from_end, was, id)), true) = (focus, lost) {
        let all = doc.query_selector_all(CONTROLS).ok();
        let at = |n: u32| {
            all.as_ref()
                .and_then(|all| all.get(n))
                .and_then(|el| el.dyn_into::<web_sys::Element>().ok())
                .filter(|el| kind(el) == was)
        };
        let len = all.as_ref().map_or(0, |all| all.length());
        if let Some(el) = doc
            .get_element_by_id(&id)
            .filter(|_| !id.is_empty())
            .or_else(|| at(n))
            .or_else(|| at(len.wrapping_sub(from_end)))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }

    // Selecting a finding takes the input to its evidence: switch tab, select, scroll.
    if changed(&mut kept.borrow_mut().focus_for, (target, active)) {
        if let Some((input, start, end)) = target {
            if input != active {
                dispatcher.dispatch(Action::ActivateTab(input));
            } else if let Some(el) = textarea.cast::<HtmlTextAreaElement>() {
                let text = el.value();
                let (s, e) = (utf16_offset(&text, start), utf16_offset(&text, end));
                let _ = el.focus();
                let _ = el.set_selection_range(s, e);
                let line = text.get(..start).map_or(0, |t| t.matches('\n').count());
                let lines = text.matches('\n').count() + 1;
                let lh = f64::from(el.scroll_height()) / lines as f64;
                let top = (line as f64 * lh - f64::from(el.client_height()) / 3.0).max(0.0);
                el.set_scroll_top(top as i32);
            }
        }
    }
}

/// Send `inputs` to the worker when they are big enough for it; on a page where no worker can
/// start, diagnose them here. Small inputs: drop the reply still on its way, if any.
fn post_to_worker(
    kept: &Rc<std::cell::RefCell<Kept>>,
    dispatcher: &UseReducerDispatcher<State>,
    inputs: &Rc<Vec<Input>>,
) {
    let mut k = kept.borrow_mut();
    if !background::wants_worker(inputs) {
        // A reply still on its way is for inputs that are gone.
        k.pending = None;
        return;
    }
    let restart = std::mem::take(&mut k.restart);
    let must_restart = k.pending.is_some() || restart;
    let client = k.client.get_or_insert_with(|| {
        let dispatcher = dispatcher.clone();
        // Weak: the worker's handler must not keep the app's state alive.
        let kept = Rc::downgrade(kept);
        background::Client::new(move |reply| {
            let Some(kept) = kept.upgrade() else {
                return;
            };
            let id = match &reply {
                Reply::Report { id, .. } | Reply::Failed { id, .. } | Reply::Unavailable { id } => {
                    *id
                }
            };
            let Some(job) = kept.borrow_mut().pending.take_if(|j| j.id == id) else {
                return;
            };
            let millis = dom::now_ms() - job.started;
            dispatcher.dispatch(Action::Background(match reply {
                Reply::Report { report, .. } => Ok(Diagnosis {
                    report: Rc::new(*report),
                    inputs: job.inputs,
                    millis,
                }),
                Reply::Failed { error, .. } => {
                    kept.borrow_mut().restart = true;
                    Err((job.inputs, error))
                }
                Reply::Unavailable { .. } => {
                    kept.borrow_mut().restart = true;
                    let started = dom::now_ms();
                    let report = diagnose(&job.inputs);
                    Ok(Diagnosis {
                        report: Rc::new(report),
                        inputs: job.inputs,
                        millis: dom::now_ms() - started,
                    })
                }
            }));
        })
    });
    let started = dom::now_ms();
    k.pending = client.post(inputs, must_restart).map(|id| Job {
        id,
        inputs: inputs.clone(),
        started,
    });
    if k.pending.is_none() {
        // No worker here (workers blocked, or the page loaded without boot.js).
        drop(k);
        let report = diagnose(inputs);
        dispatcher.dispatch(Action::Background(Ok(Diagnosis {
            report: Rc::new(report),
            inputs: inputs.clone(),
            millis: dom::now_ms() - started,
        })));
    }
}

/// Read a dropped or picked file as text with progress; the text lands in a tab.
/// Each of `files` read into a tab of its own (dropped or picked).
pub(super) fn read_files(files: &web_sys::FileList, dispatcher: &UseReducerDispatcher<State>) {
    for i in 0..files.length() {
        if let Some(file) = files.get(i) {
            read_file(file, dispatcher.clone());
        }
    }
}

pub(super) fn read_file(file: web_sys::File, dispatcher: UseReducerDispatcher<State>) {
    let Ok(reader) = FileReader::new() else {
        return;
    };
    let name = file.name();
    dispatcher.dispatch(Action::Progress(name.clone(), 0));
    let last = Rc::new(Cell::new(0u32));
    let on_progress = {
        let dispatcher = dispatcher.clone();
        let name = name.clone();
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                let pct = (e.loaded() / e.total() * 100.0) as u32;
                if pct != last.get() {
                    last.set(pct);
                    dispatcher.dispatch(Action::Progress(name.clone(), pct));
                }
            }
        })
    };
    let on_load = {
        let reader = reader.clone();
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |_| {
            // Bytes, not a JS string: a 50 MB log is copied once and checked as UTF-8 here
            // (invalid bytes become U+FFFD, as a text read would), no UTF-16 round trip.
            let bytes = reader
                .result()
                .ok()
                .map(|v| js_sys::Uint8Array::new(&v).to_vec())
                .unwrap_or_default();
            let mut text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            };
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            dispatcher.dispatch(Action::AddFile {
                name: name.clone(),
                text,
            });
        })
    };
    reader.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    reader.set_onloadend(Some(on_load.as_ref().unchecked_ref()));
    // The reader keeps its handlers for its lifetime; the closures live as long as the page.
    on_progress.forget();
    on_load.forget();
    let _ = reader.read_as_array_buffer(&file);
}
