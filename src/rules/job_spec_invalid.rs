use super::{manifest_problems, Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::Finding;
use crate::fix::job::drop_generated_selector;
use crate::fix::validate::Check;

crate::declare_rule! {
    /// ## What it does
    /// Checks the rest of the Job API validation on Job and CronJob manifests (and the
    /// resources of any pod template): non-negative `parallelism`, `completions`,
    /// `activeDeadlineSeconds`, `backoffLimit`, `ttlSecondsAfterFinished`; `completionMode`
    /// values; Indexed Jobs need `completions`, `parallelism ≤ 100000` and a name that still
    /// makes valid pod host names; `successPolicy` rules; a `selector` copied from a Job read
    /// back from the cluster; resource quantities that do not parse; requests above limits.
    ///
    /// ## Why is this bad?
    /// The API server rejects the object and nothing runs.
    ///
    /// ## Evidence
    /// The offending value in the manifest.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       controller-uid: 58c6d945-be62-11e7-86f7-080027797e6b
    /// ```
    ///
    /// ## Use instead
    /// Leave `selector` out (the controller generates it), or set `manualSelector: true` with
    /// labels that match the template.
    ///
    /// ## Fix safety
    /// Only the generated selector is fixed automatically (removed with the `controller-uid`
    /// labels); other values are the author's choice.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#specifying-your-own-pod-selector
    /// - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/
    pub static META = {
        code: "PM105",
        name: "job-spec-invalid",
        cause: Cause::ManifestInvalid,
        needs: &[Need::Manifest],
    }
}

pub struct JobSpecInvalid;

impl Rule for JobSpecInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        manifest_problems::findings(
            ctx,
            &META,
            Check::Other,
            &|p| {
                if p.message.contains("`selector`") {
                    "the manifest carries the `selector` and `controller-uid` labels the Job controller generated for an earlier Job (it was read back with `kubectl get -o yaml`): remove them, or set `manualSelector: true`".into()
                } else if p.field.contains("resources") {
                    "resource quantities must parse (`500m`, `1Gi`) and requests may not exceed limits".into()
                } else {
                    "the API server rejects the Job until this field holds a valid value".into()
                }
            },
            &drop_generated_selector,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Input};

    #[test]
    fn fetched_selector_is_removed() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  selector:\n    matchLabels:\n      controller-uid: 58c6\n  template:\n    metadata:\n      labels:\n        controller-uid: 58c6\n        job-name: x\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n";
        let r = diagnose(&[Input::new("job.yaml", text)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM105")
            .expect("finding");
        assert!(f.message.contains("not auto-generated"));
        let m = r.corrected_manifest.expect("corrected");
        assert!(!m.text.contains("controller-uid"), "{}", m.text);
        assert!(m.text.contains("        job-name: x\n"));
    }

    #[test]
    fn negative_backoff_limit() {
        let text = "apiVersion: batch/v1\nkind: Job\nspec:\n  backoffLimit: -1\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n";
        let r = diagnose(&[Input::new("job.yaml", text)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM105")
            .expect("finding");
        assert!(f.message.contains("spec.backoffLimit: Invalid value: -1"));
    }
}

#[cfg(test)]
mod fetched_tests {
    use crate::findings::Severity;
    use crate::{diagnose, Input};

    #[test]
    fn a_job_read_back_from_the_cluster_is_only_info() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\n  uid: 58c6\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\nspec:\n  selector:\n    matchLabels:\n      controller-uid: 58c6\n  template:\n    metadata:\n      labels:\n        controller-uid: 58c6\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\nstatus:\n  failed: 1\n";
        let r = diagnose(&[Input::new("job.yaml", text)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM105")
            .expect("finding");
        assert_eq!(f.severity, Severity::Info);
        assert!(f.message.ends_with("if created again from this output"));
    }
}
