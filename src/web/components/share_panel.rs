use super::copy_button::copy_button;
use super::rich::{button, el, el1, markup, text, with_attrs};
use crate::web::redact::{self, Options, Redaction};
use crate::web::{dom, share};
use crate::Input;
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::Static as S;
use yew::virtual_dom::Attributes;

/// Links longer than this are refused: browsers and chat tools cut them.
const MAX_LINK: usize = 1 << 20;

/// What the share panel shows for some inputs and mask options, made once per change of
/// either (the app keeps it in a memo): each non-empty input with what is masked in it, and
/// the link.
pub struct Preview {
    /// Whether the inputs are too large to share as a link.
    too_long: bool,
    data: Vec<(String, String, Vec<Redaction>)>,
    link: String,
}

impl Preview {
    pub fn new(inputs: &[Input], opts: Options) -> Self {
        let size: usize = inputs.iter().map(|i| i.text.len()).sum();
        let data: Vec<_> = if size > share::MAX_LINK_INPUT {
            Vec::new()
        } else {
            inputs
                .iter()
                .filter(|i| !i.text.is_empty())
                .map(|i| {
                    let found = redact::find(&i.text, opts);
                    (i.name.clone(), i.text.clone(), found)
                })
                .collect()
        };
        let pairs: Vec<(String, String)> = data
            .iter()
            .map(|(n, t, f)| (n.clone(), redact::apply(t, f)))
            .collect();
        let link = format!("{}#{}", dom::page_url(), share::encode(&pairs));
        Self {
            too_long: link.len() > MAX_LINK || size > share::MAX_LINK_INPUT,
            data,
            link,
        }
    }
}

/// The share dialog: a preview of what the link carries with every masked value marked, the
/// options to mask IPs and host names too, and the link itself (fragment only: never sent).
/// A plain function of the app, not a component: its options are app state (reset when the
/// panel closes) and its preview a memo of the app.
pub fn share_panel(
    opts: Options,
    preview: &Preview,
    on_mask: Callback<Options>,
    close: Callback<MouseEvent>,
) -> Html {
    let Preview {
        too_long,
        data,
        link,
    } = preview;
    let total: usize = data.iter().map(|d| d.2.len()).sum();
    let toggle = |ips: bool| {
        let on_mask = on_mask.clone();
        Callback::from(move |_: Event| {
            let mut o = opts;
            if ips {
                o.ips = !o.ips;
            } else {
                o.hosts = !o.hosts;
            }
            on_mask.emit(o);
        })
    };
    let mask_option = |id: &'static str, checked: bool, ips: bool, label: &'static str| {
        el(
            "label",
            &[],
            vec![
                html! { <input {id} type="checkbox" {checked} onchange={toggle(ips)} /> },
                text(label),
            ],
        )
    };
    let controls = Html::from_iter([
        el(
            "header",
            &[],
            vec![
                markup(r#"<h2 id="share-title">Share a link</h2>"#),
                button(
                    Attributes::Static(&[
                        ("type", S("button")),
                        ("aria-label", S("Close the share panel")),
                        ("class", S("link")),
                    ]),
                    close,
                    text("Close"),
                ),
            ],
        ),
        markup("<p>The link carries your inputs, compressed, after the <code>#</code>: browsers never send that part to any server. Check what it contains first.</p>"),
        el(
            "fieldset",
            &[("class", S("options"))],
            vec![
                markup(r#"<legend>Mask</legend><label><input type="checkbox" checked disabled> tokens, passwords, keys, certificates (always)</label>"#),
                mask_option("mask-ips", opts.ips, true, " IP addresses"),
                mask_option("mask-hosts", opts.hosts, false, " host names"),
            ],
        ),
    ]);
    let count = el1(
        "p",
        &[("id", S("redaction-count")), ("role", S("status"))],
        format!("{total} value{} masked", if total == 1 { "" } else { "s" }).into(),
    );
    let preview = el(
        "div",
        &[
            ("id", S("redaction-preview")),
            ("aria-label", S("What the link contains")),
            ("class", S("preview")),
        ],
        data.iter()
            .map(|(name, text, found)| {
                let mut pieces = Vec::new();
                let mut pos = 0;
                for r in found {
                    if r.start < pos {
                        continue;
                    }
                    pieces.push(text.get(pos..r.start).unwrap_or("").into());
                    pieces.push(with_attrs(
                        el1("mark", &[], self::text(r.kind.mask())),
                        &["title", "class"],
                        Box::new([Some(S(r.kind.label())), Some(S("redacted"))]),
                    ));
                    pos = r.end;
                }
                pieces.push(text.get(pos..).unwrap_or("").into());
                Html::from_iter([
                    el1("h3", &[], name.into()),
                    el("pre", &[("class", S("code"))], pieces),
                ])
            })
            .collect(),
    );
    let link = if *too_long {
        markup(
            r#"<p class="error">These inputs are too large for a link: share the Markdown report or the files instead.</p>"#,
        )
    } else {
        Html::from_iter([
            el1(
                "label",
                &[("for", S("share-link"))],
                format!("Link ({} characters)", link.len()).into(),
            ),
            html! {
                <div class="toolbar">
                    <input id="share-link" type="text" readonly=true value={link.clone()} />
                    { copy_button(Some("copy-link"), AttrValue::from(link.clone()), AttrValue::Static("share link"), "Copy link") }
                </div>
            },
        ])
    };
    el(
        "section",
        &[
            ("id", S("share-panel")),
            ("role", S("dialog")),
            ("aria-modal", S("false")),
            ("aria-labelledby", S("share-title")),
            ("class", S("panel")),
        ],
        vec![controls, count, preview, link],
    )
}
