use super::rich::Out;
use crate::report::Advice;

/// Fixes that are commands or configuration snippets rather than manifest edits (pull secrets,
/// missing ConfigMaps, swap, kubeconfig fields), each snippet with a copy button, as markup.
pub fn advice_view(o: &mut Out, advice: &[Advice]) {
    o.raw(r#"<section id="advice" aria-label="Commands and snippets" class="advice"><h2>Commands and snippets</h2>"#);
    for a in advice {
        o.raw(r#"<article data-code=""#).raw(a.code);
        o.raw(r#"" class="advice-item"><h3>"#)
            .rich(&a.title)
            .raw("</h3>");
        if !a.reasoning.is_empty() {
            o.raw("<ul>");
            for r in &a.reasoning {
                o.raw("<li>").rich(r).raw("</li>");
            }
            o.raw("</ul>");
        }
        for s in &a.snippets {
            o.raw(r#"<div class="snippet"><div class="toolbar"><span class="badge">"#);
            o.raw(s.language)
                .raw(r#"</span><span class="snippet-title">"#);
            o.text(&s.title).raw("</span>");
            o.copy_button("", &s.title, Some(&s.text), "Copy");
            o.raw(r#"</div><pre class="code"><code>"#).text(&s.text);
            o.raw("</code></pre></div>");
        }
        o.raw("</article>");
    }
    o.raw("</section>");
}
