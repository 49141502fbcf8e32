use super::copy_button::copy_button;
use super::rich::{aria, classed, markup, rich, with_attrs};
use crate::report::CorrectedManifest;
use crate::web::dom;
use crate::web::view_model::{diff_lines, side_by_side, DiffKind, SideKind};
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty;

/// The corrected manifest `m`, offered for download as `file_name`; `split` shows the diff side
/// by side. A plain function, not a component (each component type costs its own copy of the
/// framework's lifecycle code): `split` is the app's, back to unified whenever no manifest is
/// shown.
pub fn manifest_view(
    m: &CorrectedManifest,
    file_name: String,
    split: &UseStateHandle<bool>,
) -> Html {
    let on = **split;
    let set_split = |v: bool| {
        let split = split.clone();
        Callback::from(move |_: MouseEvent| split.set(v))
    };
    let download = {
        let text = m.text.clone();
        let name = file_name.clone();
        Callback::from(move |_: MouseEvent| dom::download(&name, "application/yaml", &text))
    };
    html! {
        <section class="manifest" aria-labelledby="manifest-title">
            <h2 id="manifest-title">
                { "Corrected manifest" }
                if m.reconstructed {
                    { markup(r#"<span id="reconstructed" class="badge sev-warning" title="No manifest was pasted: this one is rebuilt from the describe output and may lack fields">reconstructed from describe output</span>"#) }
                }
            </h2>
            if m.reconstructed {
                { markup(r#"<p class="note">Rebuilt from the describe output, not from your YAML: compare it with the real manifest before applying.</p>"#) }
                if !m.unrecovered.is_empty() {
                    <details id="unrecovered" class="note">
                        <summary>{ format!("{} things the describe output does not show", m.unrecovered.len()) }</summary>
                        <ul>{ for m.unrecovered.iter().map(|u| html! { <li>{ rich(u) }</li> }) }</ul>
                    </details>
                }
            }
            <ul class="fixes">
                { for m.applied.iter().map(|(title, reasons)| html! {
                    <li><strong>{ rich(title) }</strong>
                        <ul>{ for reasons.iter().map(|r| html! { <li>{ rich(r) }</li> }) }</ul>
                    </li>
                }) }
            </ul>
            <div class="toolbar">
                <span class="segmented" role="group" aria-label="Diff layout">
                    <button type="button" id="diff-unified" aria-pressed={aria(!on)} onclick={set_split(false)}>{ "Unified" }</button>
                    <button type="button" id="diff-split" aria-pressed={aria(on)} onclick={set_split(true)}>{ "Side by side" }</button>
                </span>
                { copy_button(Some("copy-manifest"), AttrValue::from(m.text.clone()), AttrValue::Static("corrected manifest"), "Copy YAML") }
                <button type="button" id="download-manifest" onclick={download}>{ format!("Download {file_name}") }</button>
            </div>
            if on {
                <div id="manifest-split" class="split-diff" role="table" aria-label="Side-by-side diff">
                    { for side_by_side(&m.diff).into_iter().map(|row| {
                        let class = match row.kind { SideKind::Context => "row ctx", SideKind::Changed => "row chg", SideKind::Hunk => "row hunk" };
                        // (class, class of a blank cell)
                        let cell = |c: Option<(usize, String)>, side: (&'static str, &'static str)| match c {
                            Some((n, t)) => html! { <><span class="ln">{ n }</span>{ classed(html! { <code>{ t }</code> }, Some(side.0)) }</> },
                            None => html! { <><span class="ln"></span>{ classed(html! { <code></code> }, Some(side.1)) }</> },
                        };
                        with_attrs(
                            html! { <div>{ cell(row.left, ("old", "old blank")) }{ cell(row.right, ("new", "new blank")) }</div> },
                            &["role", "class"],
                            Box::new([Some(AttributeOrProperty::Static("row")), Some(AttributeOrProperty::Static(class))]),
                        )
                    }) }
                </div>
            }
            <pre id="manifest-diff" class="code diff" hidden={on}>
                { for diff_lines(&m.diff).into_iter().map(|(kind, line)| {
                    let class = match kind {
                        DiffKind::Header => "hdr",
                        DiffKind::Hunk => "hunk",
                        DiffKind::Add => "add",
                        DiffKind::Del => "del",
                        DiffKind::Context => "ctx",
                    };
                    classed(html! { <span>{ format!("{line}\n") }</span> }, Some(class))
                }) }
            </pre>
            <details>
                { markup("<summary>Whole corrected manifest</summary>") }
                <pre id="corrected-manifest" class="code">{ &m.text }</pre>
            </details>
        </section>
    }
}
