//! Event tables: the `Events:` section of describe output and `kubectl get events`.

use crate::facts::Event;
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

/// Parse rows of an events table between `start` and `end`: a `Type Reason Age From Message`
/// header (describe) or `LAST SEEN TYPE REASON OBJECT MESSAGE` (`kubectl get events`).
pub fn parse_events_table(text: &str, input: usize, start: usize, end: usize) -> Vec<Event> {
    let Some(region) = text.get(start..end) else {
        return Vec::new();
    };
    let mut header: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for (ls, le) in lines(region) {
        let (ls, le) = (ls + start, le + start);
        let Some(line) = text.get(ls..le) else {
            continue;
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.chars().all(|c| c == '-' || c == ' ' || c == '\t') {
            continue;
        }
        let hdr_words: Vec<&str> = trimmed.split_whitespace().collect();
        let is_header = (hdr_words.first() == Some(&"Type") && hdr_words.get(1) == Some(&"Reason"))
            || hdr_words.windows(2).any(|w| w == ["LAST", "SEEN"])
            || (hdr_words.contains(&"REASON") && hdr_words.contains(&"MESSAGE"));
        if is_header {
            header = Some(
                cells(line, 32)
                    .iter()
                    .filter_map(|&(s, e)| line.get(s..e))
                    .map(|s| s.to_ascii_uppercase())
                    .collect(),
            );
            continue;
        }
        let Some(h) = &header else { continue };
        let cs = cells(line, h.len().max(1));
        if cs.len() < h.len().min(4) {
            // A hard-wrapped continuation of the previous message.
            if let Some(prev) = out.last_mut() {
                let prev: &mut Event = prev;
                let new_end = le;
                prev.message.span.end = new_end;
                prev.message.value = text
                    .get(prev.message.span.start..new_end)
                    .unwrap_or("")
                    .to_string();
                prev.span.end = new_end;
            }
            continue;
        }
        let mut ev = Event {
            span: Span::new(input, ls, le),
            count: 1,
            ..Event::default()
        };
        for (name, &(s, e)) in h.iter().zip(cs.iter()) {
            let Some(v) = line.get(s..e) else { continue };
            let sp = Spanned::new(v.to_string(), Span::new(input, ls + s, ls + e));
            match name.as_str() {
                "TYPE" => ev.type_ = Some(sp),
                "REASON" => ev.reason = sp,
                "AGE" | "LAST SEEN" => {
                    ev.count = age_count(v);
                    ev.age = Some(sp);
                }
                "FROM" | "SOURCE" => ev.from = Some(sp),
                "OBJECT" => ev.object = Some(sp),
                "MESSAGE" => ev.message = sp,
                "COUNT" => ev.count = v.parse().unwrap_or(1),
                _ => {}
            }
        }
        if !ev.reason.value.is_empty() {
            out.push(ev);
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
