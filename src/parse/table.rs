//! `kubectl get` tables: a header of upper-case words, then rows aligned under it.
//!
//! kubectl pads columns with spaces (tabwriter), so a row is cut at the header's column starts
//! when every cut falls on a space; otherwise (tabs, hand-edited rows) it is split on runs of
//! two spaces. Either way each cell keeps its span.

use super::events::cells;
use crate::facts::{ParseNote, TableRow};
use crate::span::{lines, Span, Spanned};

/// What a table lists, from its header words.
pub fn table_kind(columns: &[String]) -> &'static str {
    let has = |c: &str| columns.iter().any(|x| x == c);
    if has("READY") && has("STATUS") && has("RESTARTS") {
        "pods"
    } else if has("COMPLETIONS") || (has("SUCCEEDED") && has("DESIRED")) {
        "jobs"
    } else if has("REFERENCE") && has("TARGETS") {
        "hpa"
    } else if has("SCHEDULE") && has("SUSPEND") {
        "cronjobs"
    } else if has("ROLES") || (has("STATUS") && has("VERSION")) {
        "nodes"
    } else if has("LAST SEEN") || has("REASON") {
        "events"
    } else if has("UP-TO-DATE") && has("AVAILABLE") {
        "deployments"
    } else {
        "other"
    }
}

/// Rows of the table in `text[start..end]` (its first non-blank line is the header).
pub fn parse_table(
    text: &str,
    input: usize,
    start: usize,
    end: usize,
) -> (Vec<TableRow>, Vec<ParseNote>) {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let Some(region) = text.get(start..end) else {
        return (rows, notes);
    };
    let mut header: Option<(Vec<String>, Vec<usize>, &'static str)> = None;
    for (s, e) in lines(region) {
        let (ls, le) = (start + s, start + e);
        let Some(line) = text.get(ls..le) else {
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let cs = cells(line, 64);
        let Some((columns, cols, kind)) = &header else {
            let columns: Vec<String> = cs
                .iter()
                .filter_map(|&(a, b)| line.get(a..b))
                .map(str::to_string)
                .collect();
            let kind = table_kind(&columns);
            header = Some((columns, cs.iter().map(|c| c.0).collect(), kind));
            continue;
        };
        let content_end = line.trim_end().len();
        // Every cut must fall just after a space (kubectl pads with spaces); a row shifted by
        // colour codes or typed by hand is split on runs of spaces instead.
        let aligned = !line.contains('\t')
            && cols
                .iter()
                .all(|&c| c == 0 || c >= content_end || line.as_bytes().get(c - 1) == Some(&b' '));
        let ranges: Vec<(usize, usize)> = if aligned {
            cols.iter()
                .enumerate()
                .map(|(k, &c)| {
                    let next = cols.get(k + 1).copied().unwrap_or(content_end);
                    (c.min(content_end), next.min(content_end))
                })
                .collect()
        } else {
            cs.clone()
        };
        if !aligned && cs.len() != columns.len() && notes.is_empty() {
            notes.push(ParseNote {
                span: Span::new(input, ls, le),
                message: format!(
                    "a table row has {} cells under a header of {} columns; cells were read left to right",
                    cs.len(),
                    columns.len()
                ),
            });
        }
        let row_cells = ranges
            .iter()
            .map(|&(a, b)| {
                let raw = line.get(a..b).unwrap_or("");
                let lead = raw.len() - raw.trim_start().len();
                let v = raw.trim();
                Spanned::new(
                    v.to_string(),
                    Span::new(input, ls + a + lead, ls + a + lead + v.len()),
                )
            })
            .collect();
        rows.push(TableRow {
            span: Span::new(input, ls, le),
            table: (*kind).to_string(),
            columns: columns.clone(),
            cells: row_cells,
        });
    }
    (rows, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_with_restarts_ago_and_init_status() {
        let t = "NAME                 READY   STATUS                  RESTARTS      AGE\nweb-1                0/1     Init:CrashLoopBackOff   5 (3m ago)    10m\nbatch-x              0/1     OOMKilled               0             1m\n";
        let (rows, notes) = parse_table(t, 0, 0, t.len());
        assert!(notes.is_empty());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].table, "pods");
        assert_eq!(
            rows[0].get("STATUS").map(|c| c.span.text(t)),
            Some("Init:CrashLoopBackOff")
        );
        assert_eq!(rows[0].restarts(), Some(5));
        assert_eq!(
            rows[0].get("restarts").map(|c| c.value.as_str()),
            Some("5 (3m ago)")
        );
        assert_eq!(
            rows[1].get("STATUS").map(|c| c.value.as_str()),
            Some("OOMKilled")
        );
    }

    #[test]
    fn hpa_with_unknown_target() {
        let t = "NAME   REFERENCE        TARGETS         MINPODS   MAXPODS   REPLICAS   AGE\nweb    Deployment/web   <unknown>/50%   1         10        1          5m\n";
        let (rows, _) = parse_table(t, 0, 0, t.len());
        assert_eq!(rows[0].table, "hpa");
        assert_eq!(
            rows[0].get("TARGETS").map(|c| c.value.as_str()),
            Some("<unknown>/50%")
        );
    }

    #[test]
    fn empty_cells_stay_in_their_column() {
        let t = "NAME      COMPLETIONS   DURATION   AGE\npi        0/1                      5s\n";
        let (rows, _) = parse_table(t, 0, 0, t.len());
        assert_eq!(rows[0].table, "jobs");
        assert_eq!(rows[0].get("DURATION").map(|c| c.value.as_str()), Some(""));
        assert_eq!(rows[0].get("AGE").map(|c| c.value.as_str()), Some("5s"));
    }
}
