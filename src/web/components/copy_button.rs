use crate::web::dom;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    /// What is copied, for screen readers: "Copy <what>".
    pub what: AttrValue,
    pub id: Option<&'static str>,
    /// The button's text.
    pub label: &'static str,
}

/// A button that copies `text` and says so for a moment.
#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let copied = use_state(bool::default);
    let onclick = {
        let text = props.text.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            dom::copy_text(&text);
            copied.set(true);
            let copied = copied.clone();
            gloo::timers::callback::Timeout::new(1500, move || copied.set(false)).forget();
        })
    };
    html! {
        <button type="button" class="copy" id={props.id} aria-label={format!("Copy {}", props.what)} {onclick}>
            { if *copied { "Copied" } else { props.label } }
        </button>
    }
}

/// A [`CopyButton`], built in one place: each `<CopyButton … />` written out in a view is its
/// own copy of the code that builds the props.
#[inline(never)]
pub fn copy_button(
    id: Option<&'static str>,
    text: AttrValue,
    what: AttrValue,
    label: &'static str,
) -> Html {
    html! { <CopyButton {id} {text} {what} {label} /> }
}
