//! Built-in examples, written for the project (not copied from any real paste).

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub text: &'static str,
}

pub static EXAMPLES: &[Example] = &[Example {
    id: "oom",
    title: "Job pod OOM-killed (describe pod + Job YAML)",
    text: include_str!("examples/oom-describe-and-job.txt"),
}];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diagnose, Input};

    #[test]
    fn every_example_is_diagnosed() {
        for e in EXAMPLES {
            let r = diagnose(&[Input::new(e.id, e.text)]);
            assert!(!r.findings.is_empty(), "example {} finds nothing", e.id);
        }
        let oom = diagnose(&[Input::new("oom", EXAMPLES[0].text)]);
        assert_eq!(oom.primary_cause.slug(), "oom-killed");
        assert!(oom.corrected_manifest.is_some());
    }
}
