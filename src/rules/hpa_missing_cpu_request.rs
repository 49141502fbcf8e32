use super::common::{distinct, finding, real, span_text, steps, value_after, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, Finding};
use crate::span::Span;

crate::declare_rule! {
    /// ## What it does
    /// Finds a CPU-utilization HorizontalPodAutoscaler that cannot compute utilization because a
    /// container of the target pods has no CPU request (`failed to get cpu utilization: missing
    /// request for cpu in container X of Pod Y`), and names the container and pod when the
    /// message does.
    ///
    /// ## Why is this bad?
    /// Utilization is a percentage of the request: without one there is nothing to divide by,
    /// so the HPA shows `<unknown>/N%` and never scales. Every container counts, sidecars
    /// included. Earlier `no metrics returned` events are only metrics-server warming up.
    ///
    /// ## Evidence
    /// The `missing request for cpu` event (primary) and the `FailedComputeMetricsReplicas`
    /// line that repeats it.
    ///
    /// ## Example
    /// ```text
    /// Warning  FailedGetResourceMetric  horizontal-pod-autoscaler  failed to get cpu utilization: missing request for cpu
    /// ```
    ///
    /// ## Use instead
    /// Set `resources.requests.cpu` on every container (and restartable init container) of the
    /// target workload, or scale on an absolute `AverageValue` target instead.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: the workload manifest is usually not in the paste.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/
    /// - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale-walkthrough/
    /// - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    pub static META = {
        code: "PM019",
        name: "hpa-missing-cpu-request",
        cause: Cause::HpaMissingCpuRequest,
        needs: &[Need::Events, Need::ClusterOutput],
    }
}

pub struct HpaMissingCpuRequest;

impl Rule for HpaMissingCpuRequest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs = distinct(ctx, SignalKind::HpaMissingRequest);
        let Some(first) = sigs.first() else {
            return Vec::new();
        };
        let mut t = Target::from_ctx(ctx);
        let mut evidence = vec![Evidence::primary(
            first.line,
            "the HPA cannot compute cpu utilization",
        )];
        for s in sigs.iter().skip(1).take(3) {
            evidence.push(Evidence::context(
                s.line,
                "the same error from the replica calculation",
            ));
        }
        for s in distinct(ctx, SignalKind::HpaMetricsUnavailable) {
            let l = span_text(ctx, s.line).to_ascii_lowercase();
            if l.contains("no metrics returned") && evidence.len() < 6 {
                evidence.push(Evidence::context(
                    s.line,
                    "earlier: metrics-server was not ready yet (not the cause)",
                ));
            }
        }
        for s in &sigs {
            let line = span_text(ctx, s.line);
            if let Some(c) = value_after(line, " in container ").and_then(real) {
                t.container = Some(c.to_string());
            }
            if let Some(p) = value_after(line, " of Pod ").and_then(real) {
                t.pod = Some(p.to_string());
            }
        }
        // A pasted workload manifest: its containers without a cpu request.
        if t.container.is_none() {
            let mut missing = Vec::new();
            for m in &ctx.facts.manifests {
                let spec = match m.kind.as_ref().map(|k| k.value.as_str()) {
                    Some("Pod") => m.root.get("spec"),
                    Some("Deployment" | "StatefulSet" | "ReplicaSet" | "DaemonSet") => {
                        m.root.path(&["spec", "template", "spec"])
                    }
                    _ => None,
                };
                let Some(spec) = spec else { continue };
                let containers = spec.get("containers").map(|c| c.items()).unwrap_or(&[]);
                for c in containers {
                    if c.path(&["resources", "requests", "cpu"]).is_some() {
                        continue;
                    }
                    if let Some(n) = c.get("name") {
                        evidence.push(Evidence::context(
                            Span::new(m.span.input, n.start, n.end),
                            "this container sets no `resources.requests.cpu`",
                        ));
                        if let Some(name) = n.as_str().and_then(real) {
                            missing.push(name.to_string());
                        }
                    }
                }
            }
            if let [only] = missing.as_slice() {
                t.container = Some(only.clone());
            }
        }
        let who = match (&t.container, &t.pod) {
            (Some(c), Some(p)) => format!("container `{c}` of pod `{p}` has no cpu request"),
            (Some(c), None) => format!("container `{c}` has no cpu request"),
            _ => "a container of the target pods has no cpu request".to_string(),
        };
        let ns = t
            .namespace
            .as_deref()
            .map(|n| format!(" -n {n}"))
            .unwrap_or_default();
        let mut f = finding(
            &META,
            93,
            format!("the HPA cannot scale on cpu utilization: {who}"),
            "utilization is measured against `resources.requests.cpu`, so every container of the target pods (sidecars included) needs one. \
             set it in the Deployment's pod template; the HPA recovers on its next sync".into(),
            evidence,
            steps([
                Some(format!("kubectl describe hpa{ns}")),
                t.pod.as_ref().map(|p| format!("kubectl get pod {p}{ns} -o jsonpath='{{range .spec.containers[*]}}{{.name}}: {{.resources.requests.cpu}}{{\"\\n\"}}{{end}}'")),
                Some(format!("kubectl top pods{ns}")),
            ]),
            t.chain(&["HPA".into(), "FailedGetResourceMetric".into(), "missing request for cpu".into()]),
        );
        // With the Deployment pasted: the request on the named container (from its cpu limit),
        // or the command to measure it.
        f.fix = crate::fix::resources::add_cpu_request(
            ctx,
            t.container.as_deref(),
            None,
            t.namespace.as_deref(),
        );
        vec![f]
    }
}
