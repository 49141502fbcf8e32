use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InputPaneProps {
    pub value: String,
    pub examples: Vec<&'static str>,
    pub on_input: Callback<String>,
    pub on_example: Callback<usize>,
    pub on_clear: Callback<()>,
}

#[component]
pub fn InputPane(props: &InputPaneProps) -> Html {
    let oninput = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(el.value());
        })
    };
    let load_first = {
        let cb = props.on_example.clone();
        Callback::from(move |_: MouseEvent| cb.emit(0))
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
    let clear = {
        let cb = props.on_clear.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let lines = props.value.lines().count().max(1);
    html! {
        <section class="input-pane" aria-label="Input">
            <div class="toolbar">
                <button id="load-example" type="button" onclick={load_first}>{ "Try the OOM example" }</button>
                <label class="sr-only" for="examples">{ "Examples" }</label>
                <select id="examples" onchange={on_pick} aria-label="Load a built-in example">
                    <option value="" selected=true>{ "Examples…" }</option>
                    { for props.examples.iter().enumerate().map(|(i, t)| html! { <option value={i.to_string()}>{ *t }</option> }) }
                </select>
                <button id="clear" type="button" onclick={clear} disabled={props.value.is_empty()}>{ "Clear" }</button>
                <span class="line-count">{ format!("{lines} lines") }</span>
            </div>
            <textarea
                id="input"
                aria-label="Paste kubectl output, events, logs or a manifest"
                placeholder="$ kubectl describe pod my-job-abc12 -n my-namespace&#10;Name:         my-job-abc12&#10;…"
                spellcheck="false"
                autocomplete="off"
                value={props.value.clone()}
                {oninput}
            />
        </section>
    }
}
