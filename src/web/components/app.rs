use super::input_pane::InputPane;
use super::report_view::ReportView;
use crate::web::examples::EXAMPLES;
use crate::web::state::{Action, State};
use crate::{diagnose, Input};
use yew::prelude::*;

/// How long typing must pause before the diagnosis runs again.
const DEBOUNCE_MS: u32 = 150;

#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    // The text the report is computed from: follows the input after a pause in typing.
    let committed = use_state(String::new);
    {
        let committed = committed.clone();
        let input = state.input.clone();
        let immediate = state.example.is_some() || input.is_empty();
        use_effect_with(input, move |input| {
            let input = input.clone();
            let timer = if immediate {
                committed.set(input);
                None
            } else {
                Some(gloo::timers::callback::Timeout::new(
                    DEBOUNCE_MS,
                    move || committed.set(input),
                ))
            };
            move || drop(timer)
        });
    }
    let report = use_memo((*committed).clone(), |text| {
        if text.trim().is_empty() {
            None
        } else {
            let inputs = vec![Input::new("paste", text.clone())];
            Some((diagnose(&inputs), inputs))
        }
    });

    let on_input = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::SetInput(text)))
    };
    let on_example = {
        let state = state.clone();
        Callback::from(move |i: usize| state.dispatch(Action::LoadExample(i)))
    };
    let on_clear = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Clear))
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |i: usize| state.dispatch(Action::Select(i)))
    };

    html! {
        <div class="app">
            <header>
                <h1>{ "podmortem" }</h1>
                <p class="tagline">{ "Why did my Kubernetes Job fail? Paste describe output, events, logs or a manifest. Nothing leaves this page." }</p>
            </header>
            <pre id="fatal" class="fatal" role="alert" hidden=true></pre>
            <main>
                <InputPane
                    value={state.input.clone()}
                    examples={EXAMPLES.iter().map(|e| e.title).collect::<Vec<_>>()}
                    {on_input} {on_example} {on_clear}
                />
                <section class="results" aria-live="polite" aria-label="Diagnosis">
                    {
                        match &*report {
                            Some((report, inputs)) => html! {
                                <ReportView report={std::rc::Rc::new(report.clone())} inputs={std::rc::Rc::new(inputs.clone())} selected={state.selected} {on_select} />
                            },
                            None => html! {
                                <div class="empty">
                                    <p>{ "Paste the output of " }<code>{ "kubectl describe pod" }</code>{ ", " }<code>{ "kubectl describe job" }</code>{ ", the events, the container logs or the Job YAML. Several pieces in one paste are fine." }</p>
                                    <p>{ "Or try a built-in example from the menu." }</p>
                                </div>
                            },
                        }
                    }
                </section>
            </main>
        </div>
    }
}
