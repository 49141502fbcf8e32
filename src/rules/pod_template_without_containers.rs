use super::{manifest_problems, Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::Finding;
use crate::fix::validate::Check;

crate::declare_rule! {
    /// ## What it does
    /// Finds workload manifests (Job, CronJob, Pod, Deployment …) whose pod template has no
    /// `containers`, or a container without `name` or `image`. A common cause is an
    /// indentation slip that puts `containers:` under the wrong key.
    ///
    /// ## Why is this bad?
    /// The API server rejects the object (`spec.template.spec.containers: Required value`).
    ///
    /// ## Evidence
    /// The pod spec (or the container) missing the field.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///     containers:        # one level too far left
    ///     - name: main
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: main
    ///         image: busybox
    /// ```
    ///
    /// ## Fix safety
    /// When `containers:` sits right after the template's `spec:` one level too far left, the
    /// block is moved into the pod spec (indentation only). Otherwise no automatic fix: the
    /// image and the command cannot be guessed.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates
    /// - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Container
    pub static META = {
        code: "PM104",
        name: "pod-template-without-containers",
        cause: Cause::ManifestInvalid,
        needs: &[Need::Manifest],
    }
}

pub struct PodTemplateWithoutContainers;

impl Rule for PodTemplateWithoutContainers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        manifest_problems::findings(
            ctx,
            &META,
            Check::Containers,
            &|p| {
                if p.field.ends_with(".containers") {
                    "the pod template needs a `containers` list with at least one container (check the indentation: `containers:` belongs under the template's `spec:`)".into()
                } else {
                    "every container needs a `name` and an `image`".into()
                }
            },
            &|ctx, m| crate::fix::job::move_containers_into_pod_spec(ctx, m),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::{diagnose, Input};

    #[test]
    fn misindented_containers() {
        let text = "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n    containers:\n    - name: c\n      image: busybox\n";
        let r = diagnose(&[Input::new("job.yaml", text)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM104")
            .expect("finding");
        assert!(f
            .message
            .contains("spec.template.spec.containers: Required value"));
    }
}
