//! Container states that batch tools print in their own logs. spark-submit's pod watcher ends
//! with a block per container:
//!
//! ```text
//! Container final statuses:
//!          container name: spark-kubernetes-driver
//!          container image: bitnami/spark:3
//!          container state: terminated
//!          exit code: 127
//!          termination reason: Error
//! ```
//!
//! Each block becomes a pod with that one container, so the exit-code rules read it like a
//! described container.

use crate::facts::{Container, ContainerState, Pod};
use crate::span::{Span, Spanned};

/// The containers described in `text[start..end]` by such blocks.
pub fn scan(text: &str, input: usize, start: usize, end: usize) -> Vec<Pod> {
    let Some(region) = text
        .get(start..end)
        .filter(|r| r.contains("container name:"))
    else {
        return Vec::new();
    };
    let lines: Vec<(usize, &str)> = crate::span::lines(region)
        .filter_map(|(a, b)| Some((start + a, region.get(a..b)?)))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&(at, line)) = lines.get(i) {
        i += 1;
        let Some((name, name_span)) = field(at, line, "container name:") else {
            continue;
        };
        let mut c = Container {
            span: Span::new(input, name_span.0, name_span.1),
            name: Spanned::new(name.to_string(), Span::new(input, name_span.0, name_span.1)),
            ..Container::default()
        };
        let mut state = ContainerState::default();
        let mut last = name_span.1;
        // The block's other fields follow on the next lines, in any order.
        while let Some(&(at, line)) = lines.get(i) {
            let spanned = |(v, (a, b)): (&str, (usize, usize))| {
                Spanned::new(v.to_string(), Span::new(input, a, b))
            };
            if let Some(v) = field(at, line, "container state:") {
                state.kind = spanned(v);
                state.kind.value = capitalised(&state.kind.value);
            } else if let Some(v) = field(at, line, "termination reason:") {
                state.reason = Some(spanned(v));
            } else if let Some((v, (a, b))) = field(at, line, "exit code:") {
                state.exit_code = v
                    .parse()
                    .ok()
                    .map(|n| Spanned::new(n, Span::new(input, a, b)));
            } else if let Some(v) = field(at, line, "container image:") {
                c.image = Some(spanned(v));
            } else if field(at, line, "container started at:").is_none()
                && field(at, line, "container finished at:").is_none()
                && field(at, line, "container message:").is_none()
            {
                break;
            }
            last = at + line.trim_end().len();
            i += 1;
        }
        if state.kind.value == "Terminated" {
            state.span = Span::new(input, c.span.start, last);
            c.span = state.span;
            c.state = Some(state);
            out.push(Pod {
                span: c.span,
                containers: vec![c],
                ..Pod::default()
            });
        }
    }
    out
}

/// The value after `key` on `line` (which starts at byte `at`), with its byte range.
fn field<'a>(at: usize, line: &'a str, key: &str) -> Option<(&'a str, (usize, usize))> {
    let lead = line.len() - line.trim_start().len();
    let rest = line.trim_start().strip_prefix(key)?;
    let value = rest.trim();
    if value.is_empty() {
        return None;
    }
    let from = at + lead + key.len() + (rest.len() - rest.trim_start().len());
    Some((value, (from, from + value.len())))
}

/// `terminated` → `Terminated`, the form describe and the API print.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spark_submits_final_statuses() {
        let t = "21/12/11 INFO LoggingPodStatusWatcherImpl: Container final statuses:\n         container name: spark-kubernetes-driver\n         container image: bitnami/spark:3\n         container state: terminated\n         container started at: 2021-12-11T16:39:29Z\n         exit code: 127\n         termination reason: Error\n21/12/11 INFO done\n";
        let pods = scan(t, 0, 0, t.len());
        assert_eq!(pods.len(), 1);
        let c = &pods[0].containers[0];
        assert_eq!(c.name.value, "spark-kubernetes-driver");
        let s = c.state.as_ref().expect("a state");
        assert_eq!(s.kind.value, "Terminated");
        assert_eq!(s.exit_code.as_ref().map(|e| e.value), Some(127));
        let e = s.exit_code.as_ref().map(|e| e.span).unwrap_or_default();
        assert_eq!(&t[e.start..e.end], "127");
        assert_eq!(s.reason.as_ref().map(|r| r.value.as_str()), Some("Error"));
        // A running container, or prose naming a container, is no ended state.
        let running = t.replace("state: terminated", "state: running");
        assert!(scan(&running, 0, 0, running.len()).is_empty());
        assert!(scan("the container name: web is fine\n", 0, 0, 31).is_empty());
    }

    #[test]
    fn no_panic_on_cut_blocks() {
        for t in [
            "container name: x\n",
            "container name:",
            "  container name: x\n  exit code: 99999999999\n",
            "container name: é\ncontainer state: terminated",
        ] {
            let _ = scan(t, 0, 0, t.len());
        }
    }
}
