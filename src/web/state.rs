//! The app's state in one reducer: pure, tested natively.

use super::examples::EXAMPLES;
use super::redact::Options;
use crate::{Input, Report};
use std::rc::Rc;
use yew::Reducible;

/// One input tab: a paste or a dropped file.
#[derive(Debug, Clone, Eq)]
pub struct Tab {
    pub name: String,
    /// Shared, not copied: a dropped 50 MB log is one allocation however often the state is
    /// cloned (every action clones it) or the tabs are handed to a component.
    pub text: Rc<str>,
}

/// Texts are compared by address first: the state and the props holding tabs are compared on
/// every render, and comparing a 50 MB text with itself would hold the page each time.
/// (`Rc<str>`'s own `==` compares the contents.)
impl PartialEq for Tab {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && (Rc::ptr_eq(&self.text, &other.text) || self.text == other.text)
    }
}

impl Tab {
    fn new(name: impl Into<String>, text: impl Into<Rc<str>>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Never empty.
    pub tabs: Vec<Tab>,
    /// Index of the tab shown in the textarea.
    pub active: usize,
    /// The finding selected in the results (index into the ranked findings).
    pub selected: Option<usize>,
    /// The example last loaded, if the inputs still hold it.
    pub example: Option<usize>,
    /// Bumped on every change that should be diagnosed at once, without the typing debounce
    /// (examples, files, tab changes, Ctrl+Enter).
    pub generation: u64,
    /// The popover or panel open over the page.
    pub panel: Panel,
    /// The places (indexes) of the finding cards whose rule documentation was opened: it is
    /// built from then on, not for every closed card on every render. Never cleared: a card
    /// made again starts closed, and documentation built for a closed card only is unseen.
    pub docs_open: Vec<usize>,
    /// What the share link masks besides secrets; back to the defaults when the share panel
    /// closes.
    pub mask: Options,
    /// The page is shown inside another one (`?embed`): no tagline, a link to the full page.
    pub embed: bool,
    /// The colour theme in effect: "light" or "dark".
    pub theme: &'static str,
    /// The file being read, with the percentage read so far.
    pub progress: Option<(String, u32)>,
    /// Why the share link in the address cannot be read.
    pub share_error: Option<String>,
    /// The inputs the report is computed from: the tabs after a pause in typing, at once for
    /// examples, files, tab changes and Ctrl+Enter.
    pub committed: Rc<Vec<Input>>,
    /// The last reply of the background diagnosis: a report, or the error for those inputs.
    pub background: Option<BackgroundReply>,
    /// Files are being dragged over the input pane.
    pub dragging: bool,
    /// The corrected manifest's diff is shown side by side (else unified).
    pub split: bool,
}

/// What the background diagnosis gave: a report, or an error for the inputs it was sent.
pub type BackgroundReply = Result<Diagnosis, (Rc<Vec<Input>>, String)>;

/// A report and what it was made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    pub report: Rc<Report>,
    pub inputs: Rc<Vec<Input>>,
    /// How long the diagnosis took.
    pub millis: f64,
}

/// At most one of these is open at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Panel {
    #[default]
    None,
    Help,
    Share,
}

impl Default for State {
    fn default() -> Self {
        Self {
            tabs: vec![Tab::new("paste 1", "")],
            active: 0,
            selected: None,
            example: None,
            generation: 0,
            panel: Panel::None,
            docs_open: Vec::new(),
            mask: Options::default(),
            embed: false,
            theme: "light",
            progress: None,
            share_error: None,
            committed: Rc::default(),
            background: None,
            dragging: false,
            split: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The active tab's text changed (typing).
    SetInput(String),
    LoadExample(usize),
    /// Remove every tab and every selection.
    Clear,
    Select(usize),
    Deselect,
    AddTab,
    RemoveTab(usize),
    RenameTab(usize, String),
    ActivateTab(usize),
    /// A file was read: it fills the active tab when that is empty, else a new tab.
    AddFile {
        name: String,
        text: String,
    },
    /// Inputs from a share link replace everything.
    Restore(Vec<(String, String)>),
    /// Diagnose now (Ctrl+Enter).
    Commit,
    /// Open a panel, or close it when it is open.
    Toggle(Panel),
    /// Esc: close panels, then unselect.
    Escape,
    SetTheme(&'static str),
    /// A file is being read: its name and the percentage read.
    Progress(String, u32),
    /// The share link in the address cannot be read.
    ShareError(String),
    /// Diagnose these inputs (the tabs, once typing paused).
    Committed(Rc<Vec<Input>>),
    /// A reply of the background diagnosis.
    Background(BackgroundReply),
    /// The share panel's mask options changed.
    Mask(Options),
    /// The rule documentation of the finding card at this place was opened (`true`) or closed.
    Docs(usize, bool),
    /// Files are dragged over the input pane (`true`), or no longer.
    Drag(bool),
    /// Show the manifest diff side by side (`true`) or unified.
    Split(bool),
}

impl State {
    /// The text of the active tab.
    pub fn input(&self) -> &str {
        self.tabs.get(self.active).map_or("", |t| &t.text)
    }

    /// What the engine gets: every tab, in order, so evidence spans index tabs directly.
    pub fn inputs(&self) -> Vec<Input> {
        self.tabs
            .iter()
            .map(|t| Input::new(t.name.clone(), t.text.to_string()))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.tabs.iter().all(|t| t.text.trim().is_empty())
    }

    /// New tabs, nothing selected, no panel open; the theme, a file being read and the
    /// diagnosis in progress stay.
    fn reset_inputs(&mut self, tabs: Vec<Tab>) {
        self.tabs = tabs;
        self.active = 0;
        self.selected = None;
        self.example = None;
        self.set_panel(Panel::None);
    }

    /// Open `panel` (or none); the share panel's options last as long as it is open.
    fn set_panel(&mut self, panel: Panel) {
        if panel != Panel::Share {
            self.mask = Options::default();
        }
        self.panel = panel;
    }

    fn next_name(&self) -> String {
        (1..)
            .map(|n| format!("paste {n}"))
            .find(|n| !self.tabs.iter().any(|t| &t.name == n))
            .unwrap_or_default()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetInput(text) => {
                if next
                    .example
                    .is_some_and(|i| EXAMPLES.get(i).is_none_or(|e| e.text != text.as_str()))
                {
                    next.example = None;
                }
                if let Some(tab) = next.tabs.get_mut(next.active) {
                    tab.text = text.into();
                }
                next.selected = None;
                return Rc::new(next);
            }
            Action::LoadExample(i) => {
                let Some(e) = EXAMPLES.get(i) else {
                    return self;
                };
                next.tabs = vec![Tab::new(e.id, e.text)];
                next.active = 0;
                next.example = Some(i);
                next.selected = None;
            }
            Action::Clear => next.reset_inputs(vec![Tab::new("paste 1", "")]),
            Action::Select(i) => {
                next.selected = if next.selected == Some(i) {
                    None
                } else {
                    Some(i)
                };
                return Rc::new(next);
            }
            Action::Deselect => {
                if next.selected.is_none() {
                    return self;
                }
                next.selected = None;
                return Rc::new(next);
            }
            Action::AddTab => {
                let name = next.next_name();
                next.tabs.push(Tab::new(name, ""));
                next.active = next.tabs.len() - 1;
                next.selected = None;
            }
            Action::RemoveTab(i) => {
                if i >= next.tabs.len() {
                    return self;
                }
                next.tabs.remove(i);
                if next.tabs.is_empty() {
                    next.tabs.push(Tab::new("paste 1", ""));
                }
                if next.active > i || next.active >= next.tabs.len() {
                    next.active = next.active.saturating_sub(1);
                }
                next.selected = None;
                next.example = None;
            }
            Action::RenameTab(i, name) => {
                let name = name.trim();
                match next.tabs.get_mut(i) {
                    Some(tab) if !name.is_empty() => tab.name = name.to_string(),
                    _ => return self,
                }
            }
            Action::ActivateTab(i) => {
                if i >= next.tabs.len() || i == next.active {
                    return self;
                }
                next.active = i;
                return Rc::new(next);
            }
            Action::AddFile { name, text } => {
                if next.input().is_empty() {
                    if let Some(tab) = next.tabs.get_mut(next.active) {
                        *tab = Tab::new(name, text);
                    }
                } else {
                    next.tabs.push(Tab::new(name, text));
                    next.active = next.tabs.len() - 1;
                }
                next.example = None;
                next.selected = None;
                next.progress = None;
            }
            Action::Restore(inputs) => {
                let tabs: Vec<Tab> = inputs
                    .into_iter()
                    .map(|(name, text)| Tab::new(name, text))
                    .collect();
                if tabs.is_empty() {
                    // A link that could be read, even with nothing in it, clears the error.
                    if next.share_error.take().is_none() {
                        return self;
                    }
                    return Rc::new(next);
                }
                next.reset_inputs(tabs);
                next.share_error = None;
            }
            Action::Commit => {}
            Action::Toggle(p) => {
                next.set_panel(if next.panel == p { Panel::None } else { p });
                return Rc::new(next);
            }
            Action::Escape => {
                if next.panel != Panel::None {
                    next.set_panel(Panel::None);
                } else if next.selected.is_some() {
                    next.selected = None;
                } else {
                    return self;
                }
                return Rc::new(next);
            }
            Action::SetTheme(theme) => {
                next.theme = theme;
                return Rc::new(next);
            }
            Action::Drag(on) => {
                if next.dragging == on {
                    return self;
                }
                next.dragging = on;
                return Rc::new(next);
            }
            Action::Split(on) => {
                if next.split == on {
                    return self;
                }
                next.split = on;
                return Rc::new(next);
            }
            Action::Progress(name, pct) => {
                next.progress = Some((name, pct));
                return Rc::new(next);
            }
            Action::ShareError(e) => {
                next.share_error = Some(e);
                return Rc::new(next);
            }
            Action::Committed(inputs) => {
                next.committed = inputs;
                return Rc::new(next);
            }
            Action::Background(reply) => {
                next.background = Some(reply);
                return Rc::new(next);
            }
            Action::Mask(opts) => {
                next.mask = opts;
                return Rc::new(next);
            }
            Action::Docs(i, open) => {
                if next.docs_open.contains(&i) == open {
                    return self;
                }
                if open {
                    next.docs_open.push(i);
                } else {
                    next.docs_open.retain(|&j| j != i);
                }
                return Rc::new(next);
            }
        }
        next.generation += 1;
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tabs_compare_by_address_then_by_content() {
        let a = Tab::new("a", "x".repeat(10));
        assert_eq!(a, a.clone());
        assert_eq!(
            a,
            Tab::new("a", "x".repeat(10)),
            "same text in another allocation"
        );
        assert_ne!(a, Tab::new("a", "y".repeat(10)));
        assert_ne!(a, Tab::new("b", "x".repeat(10)));
    }

    use super::*;

    fn apply(s: State, a: Action) -> State {
        (*Rc::new(s).reduce(a)).clone()
    }

    #[test]
    fn loading_an_example_fills_the_input() {
        let s = apply(State::default(), Action::LoadExample(0));
        assert_eq!(s.input(), EXAMPLES[0].text);
        assert_eq!(s.example, Some(0));
        assert_eq!(s.generation, 1, "examples are diagnosed at once");
        let s = apply(s, Action::SetInput("x".into()));
        assert_eq!(s.example, None);
        assert_eq!(s.generation, 1, "typing waits for the debounce");
        let cleared = apply(s, Action::Clear);
        assert_eq!(cleared.tabs, State::default().tabs);
        assert!(cleared.is_empty());
    }

    #[test]
    fn drag_and_diff_layout_flags_change_only_when_they_differ() {
        let s = Rc::new(State::default());
        let dragged = s.clone().reduce(Action::Drag(true));
        assert!(dragged.dragging);
        // The same value again: the same state, so no render of the page.
        assert!(Rc::ptr_eq(
            &dragged,
            &dragged.clone().reduce(Action::Drag(true))
        ));
        assert!(!dragged.reduce(Action::Drag(false)).dragging);
        let split = s.clone().reduce(Action::Split(true));
        assert!(split.split);
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Split(false))));
        assert!(!split.reduce(Action::Split(false)).split);
    }

    #[test]
    fn selecting_twice_unselects() {
        let s = apply(State::default(), Action::Select(1));
        assert_eq!(s.selected, Some(1));
        assert_eq!(apply(s.clone(), Action::Select(1)).selected, None);
        assert_eq!(apply(s, Action::Deselect).selected, None);
    }

    #[test]
    fn unknown_example_is_ignored() {
        let s = apply(State::default(), Action::LoadExample(usize::MAX));
        assert_eq!(s, State::default());
    }

    #[test]
    fn escape_closes_panels_then_unselects() {
        let s = apply(State::default(), Action::Select(0));
        let s = apply(s, Action::Toggle(Panel::Help));
        assert_eq!(s.panel, Panel::Help);
        let s = apply(s, Action::Toggle(Panel::Share));
        assert_eq!(s.panel, Panel::Share, "one panel at a time");
        let s = apply(s, Action::Escape);
        assert_eq!((s.panel, s.selected), (Panel::None, Some(0)));
        let s = apply(s, Action::Escape);
        assert_eq!(s.selected, None);
        assert_eq!(apply(s.clone(), Action::Escape), s);
    }

    #[test]
    fn tabs_add_rename_remove() {
        let s = apply(State::default(), Action::SetInput("one".into()));
        let s = apply(s, Action::AddTab);
        assert_eq!(s.tabs.len(), 2);
        assert_eq!(s.active, 1);
        assert_eq!(s.tabs[1].name, "paste 2");
        assert_eq!(s.input(), "");
        let s = apply(s, Action::SetInput("two".into()));
        let s = apply(s, Action::RenameTab(1, "  job.yaml ".into()));
        assert_eq!(s.tabs[1].name, "job.yaml");
        assert_eq!(apply(s.clone(), Action::RenameTab(1, " ".into())), s);
        let names: Vec<_> = s.inputs().into_iter().map(|i| i.text).collect();
        assert_eq!(names, ["one", "two"]);
        let s = apply(s, Action::RemoveTab(0));
        assert_eq!(s.active, 0);
        assert_eq!(s.input(), "two");
        let s = apply(s, Action::RemoveTab(0));
        assert_eq!(s.tabs.len(), 1, "there is always one tab");
        assert_eq!(s.input(), "");
        assert_eq!(apply(s.clone(), Action::RemoveTab(5)), s);
    }

    #[test]
    fn files_fill_an_empty_tab_then_open_new_ones() {
        let s = apply(
            State::default(),
            Action::AddFile {
                name: "describe.txt".into(),
                text: "a".into(),
            },
        );
        assert_eq!(s.tabs.len(), 1);
        assert_eq!(s.tabs[0].name, "describe.txt");
        let s = apply(
            s,
            Action::AddFile {
                name: "job.yaml".into(),
                text: "b".into(),
            },
        );
        assert_eq!(s.tabs.len(), 2);
        assert_eq!(s.active, 1);
    }

    #[test]
    fn restore_replaces_all_inputs() {
        let s = apply(State::default(), Action::LoadExample(0));
        let s = apply(
            s,
            Action::Restore(vec![("a".into(), "x".into()), ("b".into(), "y".into())]),
        );
        assert_eq!(s.tabs.len(), 2);
        assert_eq!(s.example, None);
        assert_eq!(s.input(), "x");
        assert_eq!(apply(s.clone(), Action::Restore(vec![])), s);
    }

    #[test]
    fn theme_progress_and_link_errors_are_kept_apart_from_the_inputs() {
        let s = apply(State::default(), Action::SetTheme("dark"));
        let s = apply(s, Action::Progress("big.log".into(), 40));
        let s = apply(s, Action::ShareError("not base64".into()));
        assert_eq!(s.generation, 0, "none of them is a change to diagnose");
        assert_eq!(s.progress, Some(("big.log".into(), 40)));
        let s = apply(s, Action::Clear);
        assert_eq!(s.theme, "dark", "clearing the inputs keeps the theme");
        assert_eq!(
            s.progress,
            Some(("big.log".into(), 40)),
            "and the file being read"
        );
        assert_eq!(s.share_error.as_deref(), Some("not base64"));
        let s = apply(
            s,
            Action::AddFile {
                name: "big.log".into(),
                text: "x".into(),
            },
        );
        assert_eq!(s.progress, None, "the file was read");
        let restored = apply(s.clone(), Action::Restore(vec![("a".into(), "y".into())]));
        assert_eq!(
            restored.share_error, None,
            "a link that reads clears the error"
        );
        assert_eq!(restored.theme, "dark");
        let empty = apply(s, Action::Restore(vec![]));
        assert_eq!(empty.share_error, None);
        assert_eq!(empty.input(), "x", "an empty link keeps the inputs");
    }

    #[test]
    fn the_diagnosis_in_progress_outlives_a_clear_and_bumps_nothing() {
        let inputs = Rc::new(vec![Input::new("a".to_string(), "x".to_string())]);
        let s = apply(State::default(), Action::Committed(inputs.clone()));
        let s = apply(
            s,
            Action::Background(Err((inputs.clone(), "worker stopped".into()))),
        );
        assert_eq!(s.generation, 0, "neither is a change to diagnose");
        assert!(Rc::ptr_eq(&s.committed, &inputs));
        let s = apply(s, Action::Toggle(Panel::Help));
        let s = apply(s, Action::Clear);
        assert_eq!(s.panel, Panel::None, "clearing closes the panel");
        assert_eq!(s.tabs, State::default().tabs);
        assert!(
            Rc::ptr_eq(&s.committed, &inputs),
            "the report follows the inputs after the debounce, not at once"
        );
        assert_eq!(s.background, Some(Err((inputs, "worker stopped".into()))));
    }

    #[test]
    fn share_mask_options_last_while_the_share_panel_is_open() {
        let ips = Options {
            ips: true,
            hosts: false,
        };
        let s = apply(State::default(), Action::Toggle(Panel::Share));
        let s = apply(s, Action::Mask(ips));
        assert_eq!(s.mask, ips);
        assert_eq!(s.generation, 0, "masking is no change to diagnose");
        let reopened = apply(
            apply(s.clone(), Action::Toggle(Panel::Share)),
            Action::Toggle(Panel::Share),
        );
        assert_eq!(reopened.mask, Options::default(), "closing resets them");
        let escaped = apply(s.clone(), Action::Escape);
        assert_eq!(escaped.mask, Options::default());
        let help = apply(s, Action::Toggle(Panel::Help));
        assert_eq!(help.mask, Options::default(), "another panel replaces it");
    }

    #[test]
    fn opened_rule_docs_are_remembered_by_card_place() {
        let s = apply(State::default(), Action::Docs(2, true));
        let s = apply(s, Action::Docs(0, true));
        assert_eq!(s.docs_open, [2, 0]);
        assert_eq!(s.generation, 0);
        assert_eq!(apply(s.clone(), Action::Docs(2, true)), s, "no duplicates");
        let s = apply(s, Action::Docs(2, false));
        assert_eq!(s.docs_open, [0]);
    }
}
