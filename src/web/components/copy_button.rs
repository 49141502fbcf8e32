use super::rich::{self, button};
use crate::web::dom;
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::{Attribute, Static as S};
use yew::virtual_dom::Attributes;

/// A button that copies `text` and says so for a moment: "Copied", then `label` again. `what`
/// names what is copied, for screen readers ("Copy <what>"). A plain function, not a component
/// (a component type costs its own copy of the framework's lifecycle code): the moment's text
/// is written into the button's own text node, which a render of the app leaves as it is while
/// the button's label stays the same.
#[inline(never)]
pub fn copy_button(
    id: Option<&'static str>,
    text: AttrValue,
    what: AttrValue,
    label: &'static str,
) -> Html {
    let onclick = Callback::from(move |e: MouseEvent| {
        dom::copy_text(&text);
        let button: web_sys::Node = e.target_unchecked_into();
        let Some(node) = button.first_child() else {
            return;
        };
        node.set_node_value(Some("Copied"));
        gloo::timers::callback::Timeout::new(1500, move || {
            // Unless a render gave this place another label meanwhile.
            if node.node_value().as_deref() == Some("Copied") {
                node.set_node_value(Some(label));
            }
        })
        .forget();
    });
    button(
        Attributes::Dynamic {
            keys: &["type", "id", "aria-label", "class"],
            values: Box::new([
                Some(S("button")),
                id.map(S),
                Some(Attribute(AttrValue::from(format!("Copy {what}")))),
                Some(S("copy")),
            ]),
        },
        onclick,
        rich::text(label),
    )
}
