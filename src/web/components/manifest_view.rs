use crate::report::CorrectedManifest;
use crate::web::view_model::{diff_lines, DiffKind};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ManifestViewProps {
    pub manifest: Rc<CorrectedManifest>,
}

#[component]
pub fn ManifestView(props: &ManifestViewProps) -> Html {
    let m = &props.manifest;
    html! {
        <section class="manifest" aria-label="Corrected manifest">
            <h2>{ if m.reconstructed { "Corrected manifest (reconstructed from the describe output)" } else { "Corrected manifest" } }</h2>
            <ul class="fixes">
                { for m.applied.iter().map(|(title, reasons)| html! {
                    <li><strong>{ title }</strong>
                        <ul>{ for reasons.iter().map(|r| html! { <li>{ r }</li> }) }</ul>
                    </li>
                }) }
            </ul>
            <pre id="manifest-diff" class="code diff">
                { for diff_lines(&m.diff).into_iter().map(|(kind, line)| {
                    let class = match kind {
                        DiffKind::Header => "hdr",
                        DiffKind::Hunk => "hunk",
                        DiffKind::Add => "add",
                        DiffKind::Del => "del",
                        DiffKind::Context => "ctx",
                    };
                    html! { <span class={class}>{ format!("{line}\n") }</span> }
                }) }
            </pre>
            <details>
                <summary>{ "Whole corrected manifest" }</summary>
                <pre id="corrected-manifest" class="code">{ &m.text }</pre>
            </details>
        </section>
    }
}
