use super::copy_button::copy_button;
use super::rich::markup;
use crate::web::redact::{self, Options};
use crate::web::{dom, share};
use crate::Input;
use std::rc::Rc;
use yew::prelude::*;

/// Links longer than this are refused: browsers and chat tools cut them.
const MAX_LINK: usize = 1 << 20;

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    pub inputs: Rc<Vec<Input>>,
    pub on_close: Callback<()>,
}

/// The share dialog: a preview of what the link carries with every masked value marked, the
/// options to mask IPs and host names too, and the link itself (fragment only: never sent).
#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    // Two boolean states rather than one of `Options`: every other component's flags are
    // `use_state::<bool>` too, and each state type is its own copy of the hook's code.
    let ips = use_state(bool::default);
    let hosts = use_state(bool::default);
    let opts = Options {
        ips: *ips,
        hosts: *hosts,
    };
    let size: usize = props.inputs.iter().map(|i| i.text.len()).sum();
    let data = use_memo((props.inputs.clone(), opts), |(inputs, opts)| {
        if inputs.iter().map(|i| i.text.len()).sum::<usize>() > share::MAX_LINK_INPUT {
            return Vec::new();
        }
        inputs
            .iter()
            .filter(|i| !i.text.is_empty())
            .map(|i| {
                let found = redact::find(&i.text, *opts);
                (i.name.clone(), i.text.clone(), found)
            })
            .collect::<Vec<_>>()
    });
    let link = use_memo(data.clone(), |data| {
        let pairs: Vec<(String, String)> = data
            .iter()
            .map(|(n, t, f)| (n.clone(), redact::apply(t, f)))
            .collect();
        format!("{}#{}", dom::page_url(), share::encode(&pairs))
    });
    let total: usize = data.iter().map(|d| d.2.len()).sum();
    let toggle = |flag: &UseStateHandle<bool>| {
        let flag = flag.clone();
        Callback::from(move |_: Event| flag.set(!*flag))
    };
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let too_long = link.len() > MAX_LINK || size > share::MAX_LINK_INPUT;
    html! {
        <section id="share-panel" class="panel" role="dialog" aria-modal="false" aria-labelledby="share-title">
            <header>
                <h2 id="share-title">{ "Share a link" }</h2>
                <button type="button" class="link" onclick={close} aria-label="Close the share panel">{ "Close" }</button>
            </header>
            { markup("<p>The link carries your inputs, compressed, after the <code>#</code>: browsers never send that part to any server. Check what it contains first.</p>") }
            <fieldset class="options">
                { markup(r#"<legend>Mask</legend><label><input type="checkbox" checked disabled> tokens, passwords, keys, certificates (always)</label>"#) }
                <label><input id="mask-ips" type="checkbox" checked={opts.ips} onchange={toggle(&ips)} />{ " IP addresses" }</label>
                <label><input id="mask-hosts" type="checkbox" checked={opts.hosts} onchange={toggle(&hosts)} />{ " host names" }</label>
            </fieldset>
            <p id="redaction-count" role="status">{ format!("{total} value{} masked", if total == 1 { "" } else { "s" }) }</p>
            <div id="redaction-preview" class="preview" aria-label="What the link contains">
                { for data.iter().map(|(name, text, found)| {
                    let mut pieces = Vec::new();
                    let mut pos = 0;
                    for r in found {
                        if r.start < pos { continue; }
                        pieces.push(html! { { text.get(pos..r.start).unwrap_or("").to_string() } });
                        pieces.push(html! { <mark class="redacted" title={r.kind.label()}>{ r.kind.mask() }</mark> });
                        pos = r.end;
                    }
                    pieces.push(html! { { text.get(pos..).unwrap_or("").to_string() } });
                    html! { <><h3>{ name }</h3><pre class="code">{ for pieces }</pre></> }
                }) }
            </div>
            if too_long {
                <p class="error">{ "These inputs are too large for a link: share the Markdown report or the files instead." }</p>
            } else {
                <label for="share-link">{ format!("Link ({} characters)", link.len()) }</label>
                <div class="toolbar">
                    <input id="share-link" type="text" readonly=true value={(*link).clone()} />
                    { copy_button(Some("copy-link"), AttrValue::from((*link).clone()), AttrValue::Static("share link"), "Copy link") }
                </div>
            }
        </section>
    }
}
