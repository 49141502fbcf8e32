use super::{manifest_problems, Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::Finding;
use crate::fix::job::restart_policy_never;
use crate::fix::validate::Check;

crate::declare_rule! {
    /// ## What it does
    /// Finds Job and CronJob manifests whose pod template has no `restartPolicy`, has
    /// `restartPolicy: Always`, or has `OnFailure` together with a `podFailurePolicy`.
    ///
    /// ## Why is this bad?
    /// A pod template without `restartPolicy` defaults to `Always`, which a Job cannot use: the
    /// API server rejects the Job (`spec.template.spec.restartPolicy: Required value` or
    /// `Unsupported value: "Always"`) and nothing runs. A `podFailurePolicy` only works with
    /// `Never` (`only "Never" is supported when podFailurePolicy is specified`).
    ///
    /// ## Evidence
    /// The `restartPolicy` value in the manifest, or the pod template's `spec` key when it is
    /// missing.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Job
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: main
    ///         image: busybox
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///       restartPolicy: Never
    /// ```
    /// `OnFailure` also passes validation: the kubelet restarts the container in place, but
    /// the pod (and its logs) is deleted when the Job gives up.
    ///
    /// ## Fix safety
    /// Safe: the Job could not be created before. `Never` creates a new pod per retry, so a
    /// workload that relies on node-local state between attempts behaves differently.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-template
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
    pub static META = {
        code: "PM101",
        name: "job-restart-policy-invalid",
        cause: Cause::ManifestInvalid,
        needs: &[Need::Manifest],
    }
}

pub struct JobRestartPolicyInvalid;

impl Rule for JobRestartPolicyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        manifest_problems::findings(
            ctx,
            &META,
            Check::RestartPolicy,
            &|p| {
                if p.message.contains("podFailurePolicy") {
                    "a `podFailurePolicy` decides on failed pods, which only `restartPolicy: Never` produces: set `restartPolicy: Never`".into()
                } else {
                    "a Job's pod template must set `restartPolicy: Never` or `OnFailure`; left out, it defaults to `Always` and the API server rejects the Job".into()
                }
            },
            &restart_policy_never,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Input};

    #[test]
    fn missing_restart_policy_is_found_and_fixed() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: netpol\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: busybox\n";
        let r = diagnose(&[Input::new("job.yaml", text)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM101")
            .expect("finding");
        assert!(f.message.starts_with(
            "Job `netpol` is invalid: `spec.template.spec.restartPolicy: Required value"
        ));
        let m = r.corrected_manifest.expect("corrected");
        assert!(
            m.text
                .ends_with("          image: busybox\n      restartPolicy: Never\n"),
            "{}",
            m.text
        );
    }

    #[test]
    fn valid_job_has_no_finding() {
        let text = "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n      - name: c\n        image: busybox\n";
        let r = diagnose(&[Input::new("job.yaml", text)]);
        assert!(r.findings.iter().all(|f| f.code != "PM101"));
    }
}
