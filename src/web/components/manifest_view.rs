use super::rich::{aria, Out};
use crate::report::CorrectedManifest;
use crate::web::view_model::{diff_lines, side_by_side, DiffKind, SideKind};

/// The corrected manifest `m` as markup, in the parts a render replaces separately: what does
/// not change with the diff layout (the title, the fixes; the whole manifest), and the diff
/// with its toolbar, unified (`[0]`) and side by side (`[1]`). A details element the user
/// opened stays open while the layout changes. Offered for download as `file_name`.
pub struct ManifestParts {
    pub head: String,
    pub diff: [String; 2],
    pub whole: String,
}

pub fn manifest_parts(m: &CorrectedManifest, file_name: &str) -> ManifestParts {
    let mut o = Out::default();
    o.raw(r#"<h2 id="manifest-title">Corrected manifest"#);
    if m.reconstructed {
        o.raw(r#"<span id="reconstructed" class="badge sev-warning" title="No manifest was pasted: this one is rebuilt from the describe output and may lack fields">reconstructed from describe output</span></h2><p class="note">Rebuilt from the describe output, not from your YAML: compare it with the real manifest before applying.</p>"#);
        if !m.unrecovered.is_empty() {
            o.raw(r#"<details id="unrecovered" class="note"><summary>"#);
            o.num(m.unrecovered.len())
                .raw(" things the describe output does not show</summary>");
            li_rich(&mut o, &m.unrecovered);
            o.raw("</details>");
        }
    } else {
        o.raw("</h2>");
    }
    o.raw(r#"<ul class="fixes">"#);
    for (title, reasons) in &m.applied {
        o.raw("<li><strong>").rich(title).raw("</strong>");
        li_rich(&mut o, reasons);
        o.raw("</li>");
    }
    o.raw("</ul>");
    let head = o.0;
    let diff = [false, true].map(|on| {
        let mut o = Out::default();
        o.raw(r#"<div class="toolbar"><span role="group" aria-label="Diff layout" class="segmented"><button type="button" id="diff-unified" aria-pressed=""#);
        o.raw(aria(!on)).raw(r#"">Unified</button><button type="button" id="diff-split" aria-pressed=""#);
        o.raw(aria(on)).raw(r#"">Side by side</button></span>"#);
        o.copy_button(r#" id="copy-manifest""#, "corrected manifest", None, "Copy YAML");
        o.raw(r#"<button type="button" id="download-manifest">Download "#);
        o.text(file_name).raw("</button></div>");
        if on {
            o.raw(r#"<div id="manifest-split" role="table" aria-label="Side-by-side diff" class="split-diff">"#);
            for row in side_by_side(&m.diff) {
                o.raw(match row.kind {
                    SideKind::Context => r#"<div role="row" class="row ctx">"#,
                    SideKind::Changed => r#"<div role="row" class="row chg">"#,
                    SideKind::Hunk => r#"<div role="row" class="row hunk">"#,
                });
                for (cell, side) in [(row.left, "old"), (row.right, "new")] {
                    o.raw(r#"<span class="ln">"#);
                    let (n, t) = cell.map_or((None, None), |(n, t)| (Some(n), Some(t)));
                    if let Some(n) = n {
                        o.num(n);
                    }
                    o.raw(r#"</span><code class=""#).raw(side);
                    o.raw(if t.is_some() { r#"">"# } else { r#" blank">"# });
                    o.text(t.as_deref().unwrap_or("")).raw("</code>");
                }
                o.raw("</div>");
            }
            o.raw("</div>");
        }
        o.raw(if on {
            r#"<pre id="manifest-diff" hidden class="code diff">"#
        } else {
            r#"<pre id="manifest-diff" class="code diff">"#
        });
        for (kind, line) in diff_lines(&m.diff) {
            o.raw(match kind {
                DiffKind::Header => r#"<span class="hdr">"#,
                DiffKind::Hunk => r#"<span class="hunk">"#,
                DiffKind::Add => r#"<span class="add">"#,
                DiffKind::Del => r#"<span class="del">"#,
                DiffKind::Context => r#"<span class="ctx">"#,
            });
            o.text(line).raw("\n</span>");
        }
        o.raw("</pre>");
        o.0
    });
    let mut o = Out::default();
    // The parser drops a line feed right after <pre>: this one, not the manifest's own.
    o.raw("<details><summary>Whole corrected manifest</summary><pre id=\"corrected-manifest\" class=\"code\">\n");
    o.text(&m.text).raw("</pre></details>");
    ManifestParts {
        head,
        diff,
        whole: o.0,
    }
}

/// `<ul>` of rich-text items.
fn li_rich(o: &mut Out, items: &[String]) {
    o.raw("<ul>");
    for r in items {
        o.raw("<li>").rich(r).raw("</li>");
    }
    o.raw("</ul>");
}
