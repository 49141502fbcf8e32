use super::rich::{el, el1, markup, Out};
use crate::web::redact::{self, Options, Redaction};
use crate::web::{dom, share};
use crate::Input;
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::Static as S;

/// Links longer than this are refused: browsers and chat tools cut them.
const MAX_LINK: usize = 1 << 20;

/// What the share panel shows for some inputs and mask options, made once per change of
/// either (the app keeps it in a memo): each non-empty input with what is masked in it, and
/// the link.
pub struct Preview {
    /// How many values are masked.
    total: usize,
    /// What the panel shows of it ([`preview_markup`]), written once, not on every render
    /// while the panel is open.
    markup: AttrValue,
}

/// What a [`Preview`] is made of.
struct Parts {
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
        let parts = Parts {
            too_long: link.len() > MAX_LINK || size > share::MAX_LINK_INPUT,
            data,
            link,
        };
        Self {
            total: parts.data.iter().map(|d| d.2.len()).sum(),
            markup: AttrValue::from(preview_markup(&parts).0),
        }
    }
}

/// The share dialog: a preview of what the link carries with every masked value marked, the
/// options to mask IPs and host names too, and the link itself (fragment only: never sent).
/// A plain function of the app, not a component: its options are app state (reset when the
/// panel closes) and its preview a memo of the app.
///
/// Markup, in two parts: the controls, which never change while the panel is open (the
/// options start unmasked each time it opens, and only their checkboxes change them), and what
/// the options change. Its controls are handled by the page's click and change handlers.
pub fn share_panel(preview: &Preview) -> Html {
    let total = preview.total;
    // An element of its own, kept across renders: a live region announces changes of its
    // text, not a new region.
    let count = el1(
        "p",
        &[("id", S("redaction-count")), ("role", S("status"))],
        format!("{total} value{} masked", if total == 1 { "" } else { "s" }).into(),
    );
    el(
        "section",
        &[
            ("id", S("share-panel")),
            ("role", S("dialog")),
            ("aria-modal", S("false")),
            ("aria-labelledby", S("share-title")),
            ("class", S("panel")),
        ],
        vec![
            markup(CONTROLS),
            count,
            Html::from_html_unchecked(preview.markup.clone()),
        ],
    )
}

/// What the link carries, each masked value marked, and the link (or why there is none), as
/// markup: the inputs' text escaped.
fn preview_markup(parts: &Parts) -> Out {
    let Parts {
        too_long,
        data,
        link,
    } = parts;
    let mut o = Out::default();
    o.raw(r#"<div id="redaction-preview" aria-label="What the link contains" class="preview">"#);
    for (name, text, found) in data {
        o.raw("<h3>").text(name);
        // The parser drops a line feed right after <pre>: this one, not the input's own.
        o.raw("</h3><pre class=\"code\">\n");
        let mut pos = 0;
        for r in found {
            if r.start < pos {
                continue;
            }
            o.text(text.get(pos..r.start).unwrap_or(""));
            o.raw(r#"<mark title=""#).raw(r.kind.label());
            o.raw(r#"" class="redacted">"#)
                .raw(r.kind.mask())
                .raw("</mark>");
            pos = r.end;
        }
        o.text(text.get(pos..).unwrap_or("")).raw("</pre>");
    }
    o.raw("</div>");
    if *too_long {
        o.raw(r#"<p class="error">These inputs are too large for a link: share the Markdown report or the files instead.</p>"#);
    } else {
        o.raw(r#"<label for="share-link">Link ("#).num(link.len());
        o.raw(r#" characters)</label><div class="toolbar"><input id="share-link" type="text" readonly value=""#);
        o.text(link).raw(r#"">"#);
        o.copy_button(r#" id="copy-link""#, "share link", None, "Copy link");
        o.raw("</div>");
    }
    o
}

/// The panel's controls (see [`share_panel`]).
const CONTROLS: &str = concat!(
    r#"<header><h2 id="share-title">Share a link</h2>"#,
    r#"<button type="button" aria-label="Close the share panel" class="link">Close</button></header>"#,
    "<p>The link carries your inputs, compressed, after the <code>#</code>: browsers never send that part to any server. Check what it contains first.</p>",
    r#"<fieldset class="options"><legend>Mask</legend><label><input type="checkbox" checked disabled> tokens, passwords, keys, certificates (always)</label>"#,
    r#"<label><input id="mask-ips" type="checkbox"> IP addresses</label>"#,
    r#"<label><input id="mask-hosts" type="checkbox"> host names</label></fieldset>"#,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_shows_pasted_markup_as_text_and_masks_secrets() {
        let text = "token: s3cr3t\n<script>window.__xss=2</script>\n";
        // As `Preview::new` makes it, with a link of its own (no page here to take the URL of).
        let parts = Parts {
            too_long: false,
            data: vec![(
                "<b>paste</b>".to_string(),
                text.to_string(),
                redact::find(text, Options::default()),
            )],
            link: "https://example.test/#v1=\"<x>".to_string(),
        };
        let p = preview_markup(&parts).0;
        assert!(
            p.contains(r#"value="https://example.test/#v1=&quot;&lt;x&gt;""#),
            "{p}"
        );
        assert!(
            p.contains("&lt;script&gt;window.__xss=2&lt;/script&gt;")
                && p.contains("&lt;b&gt;paste"),
            "{p}"
        );
        assert!(
            !p.contains("<script") && !p.contains("<b>") && !p.contains("s3cr3t"),
            "{p}"
        );
        assert!(
            p.contains(r#"<mark title="secret value" class="redacted">[redacted]</mark>"#),
            "{p}"
        );
    }
}
