//! Built-in examples, written for the project (not copied from any real paste). Each names the
//! cause the engine must find in it; `every_example_is_diagnosed` holds the engine to that.

use crate::cause::Cause;

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    /// The primary cause the diagnosis must name.
    pub expected_cause: Cause,
}

/// The first example is the one the "Try the OOM example" button loads. Only causes the engine
/// diagnoses today are here; each new rule should bring its example.
pub static EXAMPLES: &[Example] = &[
    Example {
        id: "oom",
        title: "Job pod OOM-killed (describe pod + Job YAML)",
        text: include_str!("examples/oom-describe-and-job.txt"),
        expected_cause: Cause::OomKilled,
    },
    Example {
        id: "oom-get-pods",
        title: "CronJob run OOM-killed (get pods + events)",
        text: include_str!("examples/oom-get-pods-and-events.txt"),
        expected_cause: Cause::OomKilled,
    },
    Example {
        id: "oom-kernel",
        title: "Memory cgroup OOM in the node's kernel log (logs + journalctl)",
        text: include_str!("examples/oom-kernel-log.txt"),
        expected_cause: Cause::OomKilled,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diagnose, Input};

    #[test]
    fn every_example_is_diagnosed() {
        for e in EXAMPLES {
            let r = diagnose(&[Input::new(e.id, e.text)]);
            assert!(!r.findings.is_empty(), "example {} finds nothing", e.id);
            assert_eq!(
                r.primary_cause, e.expected_cause,
                "example {}: {}",
                e.id, r.summary
            );
        }
        let oom = diagnose(&[Input::new("oom", EXAMPLES[0].text)]);
        assert!(oom.corrected_manifest.is_some());
    }

    #[test]
    fn example_ids_are_unique() {
        for (i, e) in EXAMPLES.iter().enumerate() {
            assert!(EXAMPLES[..i].iter().all(|o| o.id != e.id), "{}", e.id);
        }
    }
}
