use super::copy_button::copy_button;
use super::rich::{aria, button, classed, el, el1, markup, on_download, rich, text, with_attrs};
use crate::report::CorrectedManifest;
use crate::web::view_model::{diff_lines, side_by_side, DiffKind, SideKind};
use yew::prelude::*;
use yew::virtual_dom::AttributeOrProperty::Static as S;
use yew::virtual_dom::Attributes;

/// The corrected manifest `m`, offered for download as `file_name`; `split` shows the diff side
/// by side. A plain function, not a component (each component type costs its own copy of the
/// framework's lifecycle code): `split` is the app's, back to unified whenever no manifest is
/// shown.
pub fn manifest_view(
    m: &CorrectedManifest,
    file_name: String,
    split: bool,
    on_split: &Callback<bool>,
) -> Html {
    let on = split;
    let set_split = |v: bool| {
        let on_split = on_split.clone();
        Callback::from(move |_: MouseEvent| on_split.emit(v))
    };
    let yaml = AttrValue::from(m.text.clone());
    let download = on_download(
        AttrValue::from(file_name.clone()),
        "application/yaml",
        yaml.clone(),
    );
    let li_rich =
        |items: &[String]| -> Vec<Html> { items.iter().map(|r| el1("li", &[], rich(r))).collect() };
    let reconstructed = if m.reconstructed {
        let unrecovered = if m.unrecovered.is_empty() {
            Html::default()
        } else {
            el(
                "details",
                &[("id", S("unrecovered")), ("class", S("note"))],
                vec![
                    el1(
                        "summary",
                        &[],
                        format!(
                            "{} things the describe output does not show",
                            m.unrecovered.len()
                        )
                        .into(),
                    ),
                    el("ul", &[], li_rich(&m.unrecovered)),
                ],
            )
        };
        Html::from_iter([
            markup(
                r#"<p class="note">Rebuilt from the describe output, not from your YAML: compare it with the real manifest before applying.</p>"#,
            ),
            unrecovered,
        ])
    } else {
        Html::default()
    };
    let title = el(
        "h2",
        &[("id", S("manifest-title"))],
        vec![
            text("Corrected manifest"),
            if m.reconstructed {
                markup(
                    r#"<span id="reconstructed" class="badge sev-warning" title="No manifest was pasted: this one is rebuilt from the describe output and may lack fields">reconstructed from describe output</span>"#,
                )
            } else {
                Html::default()
            },
        ],
    );
    let fixes = el(
        "ul",
        &[("class", S("fixes"))],
        m.applied
            .iter()
            .map(|(title, reasons)| {
                el(
                    "li",
                    &[],
                    vec![
                        el1("strong", &[], rich(title)),
                        el("ul", &[], li_rich(reasons)),
                    ],
                )
            })
            .collect(),
    );
    let toolbar = el(
        "div",
        &[("class", S("toolbar"))],
        vec![
            el(
                "span",
                &[
                    ("role", S("group")),
                    ("aria-label", S("Diff layout")),
                    ("class", S("segmented")),
                ],
                vec![
                    button(
                        Attributes::Dynamic {
                            keys: &["type", "id", "aria-pressed"],
                            values: Box::new([
                                Some(S("button")),
                                Some(S("diff-unified")),
                                Some(S(aria(!on))),
                            ]),
                        },
                        set_split(false),
                        text("Unified"),
                    ),
                    button(
                        Attributes::Dynamic {
                            keys: &["type", "id", "aria-pressed"],
                            values: Box::new([
                                Some(S("button")),
                                Some(S("diff-split")),
                                Some(S(aria(on))),
                            ]),
                        },
                        set_split(true),
                        text("Side by side"),
                    ),
                ],
            ),
            copy_button(
                Some("copy-manifest"),
                yaml,
                AttrValue::Static("corrected manifest"),
                "Copy YAML",
            ),
            button(
                Attributes::Static(&[("type", S("button")), ("id", S("download-manifest"))]),
                download,
                format!("Download {file_name}").into(),
            ),
        ],
    );
    let split_view = if on {
        el(
            "div",
            &[
                ("id", S("manifest-split")),
                ("role", S("table")),
                ("aria-label", S("Side-by-side diff")),
                ("class", S("split-diff")),
            ],
            side_by_side(&m.diff)
                .into_iter()
                .map(|row| {
                    let class = match row.kind {
                        SideKind::Context => "row ctx",
                        SideKind::Changed => "row chg",
                        SideKind::Hunk => "row hunk",
                    };
                    // (class, class of a blank cell)
                    let cell = |c: Option<(usize, String)>, side: (&'static str, &'static str)| {
                        let (n, t, class) = match c {
                            Some((n, t)) => (n.into(), t.into(), side.0),
                            None => (Html::default(), Html::default(), side.1),
                        };
                        Html::from_iter([
                            el1("span", &[("class", S("ln"))], n),
                            classed(el1("code", &[], t), Some(class)),
                        ])
                    };
                    with_attrs(
                        el(
                            "div",
                            &[],
                            vec![
                                cell(row.left, ("old", "old blank")),
                                cell(row.right, ("new", "new blank")),
                            ],
                        ),
                        &["role", "class"],
                        Box::new([Some(S("row")), Some(S(class))]),
                    )
                })
                .collect(),
        )
    } else {
        Html::default()
    };
    let unified = with_attrs(
        el(
            "pre",
            &[],
            diff_lines(&m.diff)
                .into_iter()
                .map(|(kind, line)| {
                    let class = match kind {
                        DiffKind::Header => "hdr",
                        DiffKind::Hunk => "hunk",
                        DiffKind::Add => "add",
                        DiffKind::Del => "del",
                        DiffKind::Context => "ctx",
                    };
                    classed(el1("span", &[], format!("{line}\n").into()), Some(class))
                })
                .collect(),
        ),
        &["id", "hidden", "class"],
        Box::new([
            Some(S("manifest-diff")),
            on.then_some(S("hidden")),
            Some(S("code diff")),
        ]),
    );
    let whole = el(
        "details",
        &[],
        vec![
            markup("<summary>Whole corrected manifest</summary>"),
            el1(
                "pre",
                &[("id", S("corrected-manifest")), ("class", S("code"))],
                (&m.text).into(),
            ),
        ],
    );
    el(
        "section",
        &[
            ("aria-labelledby", S("manifest-title")),
            ("class", S("manifest")),
        ],
        vec![
            title,
            reconstructed,
            fixes,
            toolbar,
            split_view,
            unified,
            whole,
        ],
    )
}
