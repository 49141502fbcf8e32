use super::{manifest_problems, Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::Finding;
use crate::fix::validate::Check;

crate::declare_rule! {
    /// ## What it does
    /// Checks the `podFailurePolicy` (and `podReplacementPolicy`) of Job and CronJob manifests
    /// against the Job API: each rule needs an `action` (`Count`, `FailIndex`, `FailJob`,
    /// `Ignore`) and exactly one of `onExitCodes` / `onPodConditions`; exit codes are 1–255
    /// ascending unique values, `0` is not allowed with `In`; `containerName` names a container
    /// of the template; `FailIndex` needs `backoffLimitPerIndex`; at most 20 rules.
    ///
    /// ## Why is this bad?
    /// The API server rejects the whole Job, so nothing runs; the error names only the field.
    ///
    /// ## Evidence
    /// The offending rule or value in the manifest.
    ///
    /// ## Example
    /// ```yaml
    ///   podFailurePolicy:
    ///     rules:
    ///     - action: FailJob
    ///       onExitCodes:
    ///         operator: In
    ///         values: [0, 42]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     - action: FailJob
    ///       onExitCodes:
    ///         containerName: main
    ///         operator: In
    ///         values: [42]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which exit codes mean "do not retry" is the workload's decision.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
    /// - https://kubernetes.io/docs/tasks/job/pod-failure-policy/
    pub static META = {
        code: "PM102",
        name: "job-pod-failure-policy-invalid",
        cause: Cause::ManifestInvalid,
        needs: &[Need::Manifest],
    }
}

pub struct JobPodFailurePolicyInvalid;

impl Rule for JobPodFailurePolicyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        manifest_problems::findings(
            ctx,
            &META,
            Check::PodFailurePolicy,
            &|_| {
                "the API server rejects the Job until every `podFailurePolicy` rule has an `action` and exactly one of `onExitCodes` (ascending, unique, non-zero values for `In`) or `onPodConditions`".into()
            },
            &|_, _| None,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Input};

    #[test]
    fn zero_exit_code_with_in() {
        let text = "apiVersion: batch/v1\nkind: Job\nspec:\n  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        operator: In\n        values: [0]\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n";
        let r = diagnose(&[Input::new("job.yaml", text)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM102")
            .expect("finding");
        assert!(
            f.message.contains("must not be 0 for the In operator"),
            "{}",
            f.message
        );
        let e = &f.evidence[0];
        assert_eq!(&text[e.span.start..e.span.end], "[0]");
    }
}
