//! The app's state in one reducer: pure, tested natively.

use super::examples::EXAMPLES;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// What is in the textarea.
    pub input: String,
    /// The finding selected in the results (index into the ranked findings).
    pub selected: Option<usize>,
    /// The example last loaded, if the input still holds it.
    pub example: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetInput(String),
    LoadExample(usize),
    Clear,
    Select(usize),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetInput(text) => {
                if next
                    .example
                    .is_some_and(|i| EXAMPLES.get(i).is_none_or(|e| e.text != text))
                {
                    next.example = None;
                }
                next.input = text;
                next.selected = None;
            }
            Action::LoadExample(i) => {
                if let Some(e) = EXAMPLES.get(i) {
                    next.input = e.text.to_string();
                    next.example = Some(i);
                    next.selected = None;
                }
            }
            Action::Clear => next = State::default(),
            Action::Select(i) => {
                next.selected = if next.selected == Some(i) {
                    None
                } else {
                    Some(i)
                }
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(s: State, a: Action) -> State {
        (*Rc::new(s).reduce(a)).clone()
    }

    #[test]
    fn loading_an_example_fills_the_input() {
        let s = apply(State::default(), Action::LoadExample(0));
        assert_eq!(s.input, EXAMPLES[0].text);
        assert_eq!(s.example, Some(0));
        let s = apply(s, Action::SetInput("x".into()));
        assert_eq!(s.example, None);
        assert_eq!(apply(s, Action::Clear), State::default());
    }

    #[test]
    fn selecting_twice_unselects() {
        let s = apply(State::default(), Action::Select(1));
        assert_eq!(s.selected, Some(1));
        assert_eq!(apply(s, Action::Select(1)).selected, None);
    }

    #[test]
    fn unknown_example_is_ignored() {
        let s = apply(State::default(), Action::LoadExample(usize::MAX));
        assert_eq!(s, State::default());
    }
}
