use super::{manifest_problems, Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::Finding;
use crate::fix::job::fix_per_index_mode;
use crate::fix::validate::Check;

crate::declare_rule! {
    /// ## What it does
    /// Finds Jobs that set `backoffLimitPerIndex`, `maxFailedIndexes` or `successPolicy`
    /// without `completionMode: Indexed`, `maxFailedIndexes` without `backoffLimitPerIndex`,
    /// and per-index limits above what the API allows.
    ///
    /// ## Why is this bad?
    /// These fields only mean something when each pod works on one index; the API server
    /// rejects the Job otherwise (`requires indexed completion mode`).
    ///
    /// ## Evidence
    /// The per-index field in the manifest.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   completions: 4
    ///   backoffLimitPerIndex: 1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   completions: 4
    ///   completionMode: Indexed
    ///   backoffLimitPerIndex: 1
    /// ```
    ///
    /// ## Fix safety
    /// `completionMode: Indexed` is added only when the template reads `JOB_COMPLETION_INDEX`
    /// and `completions` is set; otherwise the per-index fields are removed and `backoffLimit`
    /// applies. Either way the Job's behaviour changes from what was written: review it.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#backoff-limit-per-index
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
    pub static META = {
        code: "PM103",
        name: "job-per-index-without-indexed",
        cause: Cause::ManifestInvalid,
        needs: &[Need::Manifest],
    }
}

pub struct JobPerIndexWithoutIndexed;

impl Rule for JobPerIndexWithoutIndexed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        manifest_problems::findings(
            ctx,
            &META,
            Check::PerIndex,
            &|_| {
                "per-index retry limits, `maxFailedIndexes` and `successPolicy` need `completionMode: Indexed` (with `completions`); without it the API server rejects the Job".into()
            },
            &fix_per_index_mode,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Input};

    #[test]
    fn per_index_on_non_indexed_job() {
        let text = "apiVersion: batch/v1\nkind: Job\nspec:\n  backoffLimitPerIndex: 1\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n";
        let r = diagnose(&[Input::new("job.yaml", text)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM103")
            .expect("finding");
        assert!(f.message.contains("requires indexed completion mode"));
        let m = r.corrected_manifest.expect("corrected");
        assert!(!m.text.contains("backoffLimitPerIndex"));
    }
}
