//! Event tables: the `Events:` section of describe output and `kubectl get events`.

use crate::facts::{Event, ParseNote, S};
use crate::span::{lines, Span, Spanned};

/// Split a table row into cells separated by two or more spaces or a tab; at most `max` cells,
/// the last one takes the rest of the line. Returns byte ranges relative to `row`.
pub fn cells(row: &str, max: usize) -> Vec<(usize, usize)> {
    let bytes = row.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    while i < bytes.len() {
        let start = i;
        if out.len() + 1 == max {
            out.push((start, row.trim_end().len().max(start)));
            break;
        }
        while i < bytes.len() {
            if bytes[i] == b'\t'
                || (bytes[i] == b' ' && bytes.get(i + 1).is_some_and(|b| matches!(b, b' ' | b'\t')))
            {
                break;
            }
            i += 1;
        }
        out.push((start, i));
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
    }
    out
}

fn age_count(age: &str) -> u32 {
    // `12m (x3 over 20m)`
    age.split_once("(x")
        .and_then(|(_, r)| r.split_whitespace().next())
        .and_then(|n| n.trim_end_matches(')').parse().ok())
        .unwrap_or(1)
}

/// A header column, normalised: upper case without spaces (`LASTSEEN`, `SUBOBJECTPATH`).
///
/// Names are only compared with ASCII column names, so only the letters whose upper case is
/// ASCII are mapped: the ASCII ones and the ten others below (`ß` is `SS`). Any other letter
/// keeps the name from matching, as its Unicode upper case would; this leaves the full
/// Unicode case tables out of the web bundle. A test checks the equivalence on every char.
fn column_name(cell: &str) -> String {
    let mut out = String::new();
    for c in cell.chars().filter(|c| !c.is_whitespace()) {
        out.push_str(match c {
            'ß' => "SS",
            'ı' => "I",
            'ſ' => "S",
            'ﬀ' => "FF",
            'ﬁ' => "FI",
            'ﬂ' => "FL",
            'ﬃ' => "FFI",
            'ﬄ' => "FFL",
            'ﬅ' | 'ﬆ' => "ST",
            c => {
                out.push(c.to_ascii_uppercase());
                continue;
            }
        });
    }
    out
}

/// Is this line an events table header (`Type Reason Age From Message`, `LAST SEEN TYPE …`,
/// `FirstSeen LastSeen Count …`, or just `Reason Message`)?
pub fn is_header(trimmed: &str) -> bool {
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let has = |w: &str| words.iter().any(|x| x.eq_ignore_ascii_case(w));
    (words.first() == Some(&"Type") && words.get(1) == Some(&"Reason"))
        || (words.windows(2).any(|w| w == ["LAST", "SEEN"]) && has("REASON"))
        || (has("reason") && has("message") && words.len() <= 14)
}

fn is_dashes(trimmed: &str) -> bool {
    !trimmed.is_empty() && trimmed.chars().all(|c| c == '-' || c == ' ' || c == '\t')
}

/// The 1.35+ message prefix `spec.containers{x}: ` → its length (without the `: `).
fn field_path_prefix(msg: &str) -> Option<usize> {
    if !msg.starts_with("spec.") {
        return None;
    }
    let close = msg.find("}: ")?;
    let path = msg.get(..close + 1)?;
    (path.contains('{') && !path.contains(' ')).then_some(close + 1)
}

struct Header {
    names: Vec<String>,
    /// Start column of each header cell (from the dashes row when there is one).
    cols: Vec<usize>,
    has_tabs: bool,
}

/// Parse rows of an events table between `start` and `end`: a `Type Reason Age From Message`
/// header (describe) or `LAST SEEN TYPE REASON OBJECT MESSAGE` (`kubectl get events`).
pub fn parse_events_table(text: &str, input: usize, start: usize, end: usize) -> Vec<Event> {
    parse_events_with_notes(text, input, start, end).0
}

/// As [`parse_events_table`], with notes for rows that had to be read without a header.
pub fn parse_events_with_notes(
    text: &str,
    input: usize,
    start: usize,
    end: usize,
) -> (Vec<Event>, Vec<ParseNote>) {
    let mut notes = Vec::new();
    let Some(region) = text.get(start..end) else {
        return (Vec::new(), notes);
    };
    let mut header: Option<Header> = None;
    let mut out: Vec<Event> = Vec::new();
    let mut headerless_noted = false;
    for (ls, le) in lines(region) {
        let (ls, le) = (ls + start, le + start);
        let Some(line) = text.get(ls..le) else {
            continue;
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed == "Events:" || trimmed == "<none>" {
            continue;
        }
        if is_dashes(trimmed) {
            // Column positions from the dashes row, which is aligned with the rows.
            if let Some(h) = header.as_mut() {
                let cols: Vec<usize> = cells(line, 64).iter().map(|c| c.0).collect();
                if cols.len() == h.names.len() {
                    h.cols = cols;
                }
            }
            continue;
        }
        if is_header(trimmed) {
            let cs = cells(line, 64);
            header = Some(Header {
                names: cs
                    .iter()
                    .filter_map(|&(s, e)| line.get(s..e))
                    .map(column_name)
                    .collect(),
                cols: cs.iter().map(|c| c.0).collect(),
                has_tabs: line.contains('\t'),
            });
            continue;
        }
        let ev = match &header {
            Some(h) => read_row(text, input, ls, le, h),
            None => {
                let ev = read_headerless(text, input, ls, le);
                if ev.is_some() && !headerless_noted {
                    headerless_noted = true;
                    notes.push(ParseNote {
                        span: Span::new(input, ls, le),
                        message: "the events table has no header: columns were read from the `Normal`/`Warning` type cell".into(),
                    });
                }
                ev
            }
        };
        match ev {
            Some(ev) => out.push(ev),
            None => {
                // A hard-wrapped continuation of the previous message.
                if let Some(prev) = out.last_mut() {
                    if prev.message.span.end <= ls {
                        let sep = if line.starts_with([' ', '\t']) {
                            " "
                        } else {
                            ""
                        };
                        prev.message.value = format!("{}{sep}{trimmed}", prev.message.value);
                        prev.message.span.end = ls + line.trim_end().len();
                        prev.span.end = le;
                    }
                }
            }
        }
    }
    (out, notes)
}

fn set(ev: &mut Event, name: &str, sp: S) {
    match name {
        "TYPE" => ev.type_ = Some(sp),
        "REASON" => ev.reason = sp,
        "AGE" | "LASTSEEN" => {
            ev.count = ev.count.max(age_count(&sp.value));
            ev.age = Some(sp);
        }
        "FROM" | "SOURCE" => ev.from = Some(sp),
        "OBJECT" | "NAME" if ev.object.is_none() => ev.object = Some(sp),
        "SUBOBJECTPATH" | "SUBOBJECT" => ev.field_path = Some(sp),
        "MESSAGE" => ev.message = sp,
        "COUNT" => ev.count = sp.value.parse().unwrap_or(1),
        _ => {}
    }
}

fn finish(mut ev: Event, input: usize) -> Option<Event> {
    if ev.reason.value.is_empty() {
        return None;
    }
    if let Some(n) = field_path_prefix(&ev.message.value) {
        let s = ev.message.span.start;
        let path = ev.message.value.get(..n).unwrap_or("").to_string();
        let rest = ev.message.value.get(n + 2..).unwrap_or("").to_string();
        ev.field_path = Some(Spanned::new(path, Span::new(input, s, s + n)));
        ev.message = Spanned::new(rest, Span::new(input, s + n + 2, ev.message.span.end));
    }
    Some(ev)
}

fn is_type(v: &str) -> bool {
    matches!(v, "Normal" | "Warning")
}

fn read_row(text: &str, input: usize, ls: usize, le: usize, h: &Header) -> Option<Event> {
    let line = text.get(ls..le)?;
    let content_end = line.trim_end().len();
    let mut ev = Event {
        span: Span::new(input, ls, le),
        count: 1,
        ..Event::default()
    };
    let sp = |s: usize, e: usize| -> Option<S> {
        let v = line.get(s..e)?.trim();
        if v.is_empty() {
            return None;
        }
        let off = s + (line.get(s..e)?.len() - line.get(s..e)?.trim_start().len());
        Some(Spanned::new(
            v.to_string(),
            Span::new(input, ls + off, ls + off + v.len()),
        ))
    };
    let type_col = h.names.iter().position(|n| n == "TYPE");
    // Space-aligned tables: cut at the header's columns when every cut falls on a space.
    let aligned = !h.has_tabs
        && !line.contains('\t')
        && h.cols
            .iter()
            .skip(1)
            .all(|&c| c >= content_end || line.as_bytes().get(c.wrapping_sub(1)) == Some(&b' '))
        && type_col.is_none_or(|t| {
            h.cols.get(t).and_then(|&c| line.get(c..)).is_some_and(|r| {
                crate::wording::any_prefix(r, crate::wording::phrases!["Normal", "Warning"])
            })
        });
    if aligned {
        for (k, name) in h.names.iter().enumerate() {
            let Some(&c) = h.cols.get(k) else { continue };
            let next = if name == "MESSAGE" && k + 1 == h.names.len() {
                content_end
            } else {
                h.cols
                    .get(k + 1)
                    .copied()
                    .unwrap_or(content_end)
                    .min(content_end)
            };
            if c >= next {
                continue;
            }
            if let Some(v) = sp(c, next) {
                set(&mut ev, name, v);
            }
        }
        return finish(ev, input);
    }
    // Otherwise anchor on the `Normal`/`Warning` cell (tab-separated and hand-edited tables).
    let cs = cells(line, 64);
    match type_col {
        Some(tc) => {
            let ti = cs
                .iter()
                .position(|&(s, e)| line.get(s..e).is_some_and(is_type))?;
            for (k, &(s, e)) in cs.iter().enumerate().take(ti) {
                if let (Some(name), Some(v)) = (h.names.get(k), sp(s, e)) {
                    if k < tc {
                        set(&mut ev, name, v);
                    }
                }
            }
            if let Some(v) = cs.get(ti).and_then(|&(s, e)| sp(s, e)) {
                set(&mut ev, "TYPE", v);
            }
            let after: Vec<&String> = h.names.iter().skip(tc + 1).collect();
            for (k, name) in (ti + 1..).zip(after) {
                let Some(&(s, e)) = cs.get(k) else { break };
                if name == "MESSAGE" {
                    if let Some(v) = sp(s, content_end) {
                        set(&mut ev, name, v);
                    }
                    break;
                }
                if let Some(v) = sp(s, e) {
                    set(&mut ev, name, v);
                }
            }
        }
        None => {
            if cs.len() < h.names.len().min(2) {
                return None;
            }
            for (k, name) in h.names.iter().enumerate() {
                let Some(&(s, e)) = cs.get(k) else { break };
                let e = if k + 1 == h.names.len() {
                    content_end
                } else {
                    e
                };
                if let Some(v) = sp(s, e) {
                    set(&mut ev, name, v);
                }
            }
        }
    }
    finish(ev, input)
}

/// An event row with no header: `Warning  FailedScheduling  …` anchored on the type cell; the
/// cells before it are ages, a count, the source and a field path, told apart by their look.
fn read_headerless(text: &str, input: usize, ls: usize, le: usize) -> Option<Event> {
    let line = text.get(ls..le)?;
    let content_end = line.trim_end().len();
    let cs = cells(line, 64);
    let ti = cs
        .iter()
        .position(|&(s, e)| line.get(s..e).is_some_and(is_type))?;
    let &(rs, re) = cs.get(ti + 1)?;
    let reason = line.get(rs..re)?;
    if !reason.starts_with(|c: char| c.is_ascii_uppercase())
        || !reason.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let sp = |s: usize, e: usize| {
        Spanned::new(
            line.get(s..e).unwrap_or("").to_string(),
            Span::new(input, ls + s, ls + e),
        )
    };
    let mut ev = Event {
        span: Span::new(input, ls, le),
        count: 1,
        type_: cs.get(ti).map(|&(s, e)| sp(s, e)),
        reason: sp(rs, re),
        ..Event::default()
    };
    if let Some(&(ms, _)) = cs.get(ti + 2) {
        ev.message = sp(ms, content_end);
    }
    for (k, &(s, e)) in cs.iter().enumerate().take(ti) {
        let v = line.get(s..e).unwrap_or("");
        if v.contains('{') {
            ev.field_path = Some(sp(s, e));
        } else if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) && k > 0 {
            ev.count = v.parse().unwrap_or(1);
        } else if k == 0 {
            ev.count = ev.count.max(age_count(v));
            ev.age = Some(sp(s, e));
        } else if crate::wording::any_in(
            v,
            crate::wording::phrases!["kubelet", "scheduler", "controller"],
        ) || v.contains(',')
            || v.contains('-')
        {
            ev.from = Some(sp(s, e));
        }
    }
    finish(ev, input)
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_names_match_ascii_names_as_unicode_upper_case_does() {
        // A name equals an ASCII column name exactly when every char's full upper case is
        // ASCII; for those chars the mapping must be the same, for the rest non-ASCII.
        for c in (0..=0x10_ffffu32).filter_map(char::from_u32) {
            if c.is_whitespace() {
                continue;
            }
            let unicode: String = c.to_uppercase().collect();
            let ours = column_name(c.encode_utf8(&mut [0; 4]));
            if unicode.is_ascii() {
                assert_eq!(ours, unicode, "{c:?}");
            } else {
                assert!(!ours.is_ascii(), "{c:?}");
            }
        }
        assert_eq!(column_name("Last Seen"), "LASTSEEN");
        assert_eq!(column_name("ſub object paß"), "SUBOBJECTPASS");
    }

    use super::*;

    #[test]
    fn describe_events() {
        let t = "  Type     Reason   Age                From     Message\n  ----     ------   ----               ----     -------\n  Warning  BackOff  12m (x3 over 20m)  kubelet  Back-off restarting failed container worker in pod x\n";
        let ev = parse_events_table(t, 0, 0, t.len());
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].reason.value, "BackOff");
        assert_eq!(ev[0].count, 3);
        assert_eq!(
            ev[0].message.span.text(t),
            "Back-off restarting failed container worker in pod x"
        );
    }

    #[test]
    fn get_events() {
        let t = "LAST SEEN   TYPE      REASON      OBJECT        MESSAGE\n5m          Warning   Failed      pod/x-1       Error: ImagePullBackOff\n";
        let ev = parse_events_table(t, 0, 0, t.len());
        assert_eq!(ev.len(), 1);
        assert_eq!(
            ev[0].object.as_ref().map(|o| o.value.as_str()),
            Some("pod/x-1")
        );
        assert_eq!(ev[0].message.value, "Error: ImagePullBackOff");
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn old_tab_separated_events_with_empty_columns() {
        let t = "Events:\n  FirstSeen\tLastSeen\tCount\tFrom\t\t\tSubObjectPath\tType\t\tReason\t\tMessage\n  ---------\t--------\t-----\t----\t\t\t-------------\t--------\t------\t\t-------\n  1h\t\t2m\t\t22\tkubelet, master2\t\t\tWarning\t\tFailedSync\tError syncing pod\n  1h\t2m\t21\tkubelet, master2\tspec.containers{curator}\tNormal\tPulled\t\tContainer image already present\n";
        let ev = parse_events_table(t, 0, 0, t.len());
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].reason.value, "FailedSync");
        assert_eq!(ev[0].count, 22);
        assert_eq!(
            ev[0].from.as_ref().map(|f| f.value.as_str()),
            Some("kubelet, master2")
        );
        assert_eq!(ev[0].message.value, "Error syncing pod");
        assert_eq!(
            ev[1].field_path.as_ref().map(|f| f.span.text(t)),
            Some("spec.containers{curator}")
        );
        assert_eq!(ev[1].count, 21);
    }

    #[test]
    fn field_path_prefix_is_split_off() {
        let t = "  Type     Reason   Age   From     Message\n  ----     ------   ----  ----     -------\n  Warning  BackOff  5s    kubelet  spec.containers{app}: Back-off restarting failed container app in pod x\n";
        let ev = parse_events_table(t, 0, 0, t.len());
        assert_eq!(ev.len(), 1);
        assert_eq!(
            ev[0].field_path.as_ref().map(|f| f.span.text(t)),
            Some("spec.containers{app}")
        );
        assert_eq!(
            ev[0].message.span.text(t),
            "Back-off restarting failed container app in pod x"
        );
    }

    #[test]
    fn headerless_rows_get_a_note() {
        let t = "  2h\t\t48m\t\t7\tdefault-scheduler\t\t\tWarning\t\tFailedScheduling\tNo nodes are available: Insufficient cpu (9).\n";
        let (ev, notes) = parse_events_with_notes(t, 0, 0, t.len());
        assert_eq!(ev.len(), 1);
        assert_eq!(notes.len(), 1);
        assert_eq!(ev[0].reason.value, "FailedScheduling");
        assert_eq!(ev[0].count, 7);
        assert_eq!(
            ev[0].message.span.text(t),
            "No nodes are available: Insufficient cpu (9)."
        );
    }

    #[test]
    fn wide_events_cut_at_columns() {
        let t = "LAST SEEN   TYPE      REASON    OBJECT      SUBOBJECT                SOURCE    MESSAGE                 FIRST SEEN   COUNT   NAME\n5m          Warning   BackOff   pod/x-1     spec.containers{main}    kubelet   Back-off restarting     10m          7       x-1.17a\n2m          Normal    Pulled    pod/x-2                              kubelet   Pulled image            2m           1       x-2.17b\n";
        let ev = parse_events_table(t, 0, 0, t.len());
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].count, 7);
        assert_eq!(ev[0].message.value, "Back-off restarting");
        assert_eq!(ev[1].field_path, None);
        assert_eq!(
            ev[1].from.as_ref().map(|f| f.value.as_str()),
            Some("kubelet")
        );
        assert_eq!(
            ev[1].object.as_ref().map(|f| f.value.as_str()),
            Some("pod/x-2")
        );
    }

    #[test]
    fn reason_message_only() {
        let t = "Events:\n  Reason                        Message\n  ------                        -------\n  FailedScheduling      No nodes are available that match all of the following predicates:: Insufficient cpu (3).\n";
        let ev = parse_events_table(t, 0, 0, t.len());
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].reason.value, "FailedScheduling");
        assert!(ev[0].message.value.ends_with("Insufficient cpu (3)."));
    }
}
