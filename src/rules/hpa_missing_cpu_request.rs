use super::common::{distinct, finding, real, set_name, span_text, steps, value_after, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{EvidenceList, Finding};
use crate::span::Span;
use crate::wording::phrases;

crate::declare_rule! {
    /// ## What it does
    /// Finds a CPU-utilization HorizontalPodAutoscaler that cannot compute utilization because a
    /// container of the target pods has no CPU request (`failed to get cpu utilization: missing
    /// request for cpu in container X of Pod Y`), and names the container and pod when the
    /// message does. Without that message, an HPA whose cpu target reads `<unknown>/N%` (in
    /// `kubectl get hpa` or `kubectl describe hpa`) with no metrics error in the paste is
    /// reported with lower confidence: a missing request is then the usual reason.
    ///
    /// ## Why is this bad?
    /// Utilization is a percentage of the request: without one there is nothing to divide by,
    /// so the HPA shows `<unknown>/N%` and never scales. Every container counts, sidecars
    /// included. Earlier `no metrics returned` events are only metrics-server warming up.
    ///
    /// ## Evidence
    /// The `missing request for cpu` event (primary) and the `FailedComputeMetricsReplicas`
    /// line that repeats it; else the `<unknown>` cpu target.
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
            return unknown_cpu_target(ctx).into_iter().collect();
        };
        let mut t = Target::from_ctx(ctx);
        let mut evidence = Vec::new();
        evidence.primary(&first.line, "the HPA cannot compute cpu utilization");
        for s in sigs.iter().skip(1).take(3) {
            evidence.context(&s.line, "the same error from the replica calculation");
        }
        for s in distinct(ctx, SignalKind::HpaMetricsUnavailable) {
            let l = span_text(ctx, &s.line).to_ascii_lowercase();
            if l.contains("no metrics returned") && evidence.len() < 6 {
                evidence.context(
                    &s.line,
                    "earlier: metrics-server was not ready yet (not the cause)",
                );
            }
        }
        for s in &sigs {
            let line = span_text(ctx, &s.line);
            if let Some(c) = value_after(line, " in container ").and_then(real) {
                set_name(&mut t.container, Some(c));
            }
            if let Some(p) = value_after(line, " of Pod ").and_then(real) {
                set_name(&mut t.pod, Some(p));
            }
        }
        // A pasted workload manifest: its containers without a cpu request.
        if t.container.is_none() {
            let mut missing = Vec::new();
            for m in &ctx.facts.manifests {
                let spec = match m.kind.as_ref().map(|k| k.value.as_str()) {
                    Some("Pod") => m.root.get("spec"),
                    Some("Deployment" | "StatefulSet" | "ReplicaSet" | "DaemonSet") => {
                        m.root.at(phrases!["spec", "template", "spec"])
                    }
                    _ => None,
                };
                let Some(spec) = spec else { continue };
                let containers = spec.get("containers").map(|c| c.items()).unwrap_or(&[]);
                for c in containers {
                    if c.at(phrases!["resources", "requests", "cpu"]).is_some() {
                        continue;
                    }
                    if let Some(n) = c.get("name") {
                        evidence.context(
                            &Span::new(m.span.input, n.start, n.end),
                            "this container sets no `resources.requests.cpu`",
                        );
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
        let ns = crate::fix::advice::ns_flag(t.namespace.as_deref());
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
            t.chain(&["HPA", "FailedGetResourceMetric", "missing request for cpu"]),
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

/// The cpu-utilization target of an HPA shown as `<unknown>` (a `kubectl get hpa` TARGETS cell
/// `<unknown>/50%` or `cpu: <unknown>/50%`, or a `kubectl describe hpa` metric line
/// `resource cpu on pods  (as a percentage of request):  <unknown> / 50%`).
fn unknown_cpu_targets(ctx: &Context) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    for row in ctx.facts.table_rows.iter().filter(|r| r.table == "hpa") {
        let Some(cell) = row.get("TARGETS") else {
            continue;
        };
        // Several metrics are listed comma-separated; newer kubectl names each (`cpu: `,
        // `memory: `), older kubectl lists them bare (a bare one is the classic cpu target).
        // kubectl 1.7–1.8 wrote blanks around the slash (`<unknown> / 70%`).
        let unknown_cpu = cell.value.split(',').any(|part| {
            let part = part.trim();
            let part = part.strip_prefix("cpu:").map(str::trim).unwrap_or(part);
            part.strip_prefix("<unknown>")
                .and_then(|rest| rest.trim_start().strip_prefix('/'))
                .is_some_and(|target| target.trim_start().ends_with('%'))
        });
        if unknown_cpu {
            out.push((cell.span, cell.value.clone()));
        }
    }
    for hpa in &ctx.facts.hpas {
        for m in &hpa.metrics {
            let l = m.value.to_ascii_lowercase();
            if l.contains("resource cpu")
                && l.contains("percentage of request")
                && l.contains("<unknown>")
            {
                out.push((m.span, m.value.clone()));
            }
        }
    }
    out
}

/// An HPA whose cpu utilization is `<unknown>` with no metrics error in the paste. The usual
/// reason is a container without a cpu request; a missing metrics-server shows its own error
/// (`unable to get metrics`, `FailedGetResourceMetric`), which then keeps this rule silent.
fn unknown_cpu_target(ctx: &Context) -> Option<Finding> {
    if !distinct(ctx, SignalKind::HpaMetricsUnavailable).is_empty()
        || !ctx.facts.hpa_metric_errors.is_empty()
    {
        return None;
    }
    let targets = unknown_cpu_targets(ctx);
    let (first, shown) = targets.first()?;
    let mut evidence = Vec::new();
    evidence.primary(
        first,
        "the HPA has no cpu utilization to compare with its target",
    );
    for (span, _) in targets.iter().skip(1).take(3) {
        evidence.context(span, "another cpu target without a value");
    }
    let t = Target::from_ctx(ctx);
    let ns = crate::fix::advice::ns_flag(t.namespace.as_deref());
    Some(finding(
        &META,
        60,
        format!("the HPA shows cpu utilization `{}`: most likely a container of the target pods has no cpu request", shown.trim()),
        "utilization is measured against `resources.requests.cpu`; when any container of the target pods (sidecars included) has none, \
         the HPA shows `<unknown>` and never scales. set the request in the workload's pod template. \
         if every container has one, `kubectl describe hpa` shows the real error (for example a missing metrics-server)".into(),
        evidence,
        steps([
            Some(format!("kubectl describe hpa{ns}")),
            Some(format!("kubectl get deploy{ns} -o jsonpath='{{range .items[*].spec.template.spec.containers[*]}}{{.name}}: {{.resources.requests.cpu}}{{\"\\n\"}}{{end}}'")),
            Some(format!("kubectl top pods{ns}")),
        ]),
        t.chain(&["HPA", "<unknown> cpu utilization", "missing request for cpu"]),
    ))
}

#[cfg(test)]
mod tests {
    use crate::cause::Cause;

    use crate::rules::primary_of as primary;

    #[test]
    fn unknown_cpu_target_in_get_hpa() {
        let bare = "NAME   REFERENCE        TARGETS         MINPODS   MAXPODS   REPLICAS   AGE\n\
                    web    Deployment/web   <unknown>/50%   1         10        1          5m\n";
        assert_eq!(primary(bare), Cause::HpaMissingCpuRequest);
        let named = "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\n\
                     web    Deployment/web   cpu: <unknown>/50%   1         5         1          9m\n";
        assert_eq!(primary(named), Cause::HpaMissingCpuRequest);
        let spaced = "NAME   REFERENCE        TARGETS           MINPODS   MAXPODS   REPLICAS   AGE\n\
                      web    Deployment/web   <unknown> / 70%   1         10        3          9m\n";
        assert_eq!(primary(spaced), Cause::HpaMissingCpuRequest);
    }

    #[test]
    fn known_or_memory_targets_and_metrics_errors_are_not_missing_requests() {
        let fine = "NAME   REFERENCE        TARGETS   MINPODS   MAXPODS   REPLICAS   AGE\n\
                    web    Deployment/web   0%/50%    1         10        1          5m\n";
        assert_ne!(primary(fine), Cause::HpaMissingCpuRequest);
        let memory = "NAME   REFERENCE        TARGETS                 MINPODS   MAXPODS   REPLICAS   AGE\n\
                      web    Deployment/web   memory: <unknown>/60%   1         5         1          9m\n";
        assert_ne!(primary(memory), Cause::HpaMissingCpuRequest);
        let spaced_known =
            "NAME   REFERENCE        TARGETS    MINPODS   MAXPODS   REPLICAS   AGE\n\
                            web    Deployment/web   3% / 70%   1         10        3          9m\n";
        assert_ne!(primary(spaced_known), Cause::HpaMissingCpuRequest);
        let metrics_api = "NAME   REFERENCE        TARGETS         MINPODS   MAXPODS   REPLICAS   AGE\n\
            web    Deployment/web   <unknown>/80%   2         6         2          7m\n\n\
            Warning  FailedGetResourceMetric  2m (x26 over 8m)  horizontal-pod-autoscaler  failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)\n";
        assert_ne!(primary(metrics_api), Cause::HpaMissingCpuRequest);
    }
}
