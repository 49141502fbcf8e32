use super::common::{distinct, finding, set_name, span_text, steps, value_after, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::span::Joined;

crate::declare_rule! {
    /// ## What it does
    /// Finds pods the kubelet evicted under node pressure (`Reason: Evicted`, `The node was low
    /// on resource: memory`, `ephemeral-storage`, `The node had condition: [DiskPressure]`) and
    /// names the resource, the container and its usage against its request.
    ///
    /// ## Why is this bad?
    /// The node ran short and the kubelet killed pods to recover, starting with those that use
    /// the most above their requests (`BestEffort` pods first). The pod is not restarted in
    /// place; its controller creates a new one, which may be evicted again on a busy node.
    ///
    /// ## Evidence
    /// The `Reason: Evicted` line (primary), the eviction `Message:` with the resource and
    /// usage, and the pod's `QoS Class:`.
    ///
    /// ## Example
    /// ```text
    /// Status:  Failed
    /// Reason:  Evicted
    /// Message: The node was low on resource: memory. Container app was using 1275700Ki, which exceeds its request of 0.
    /// ```
    ///
    /// ## Use instead
    /// Set requests that reflect real usage (memory or `ephemeral-storage`), and limits; write
    /// large temporary data to a volume with a `sizeLimit` or a PVC; add node capacity.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: the right request comes from measured usage.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
    /// - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage
    pub static META = {
        code: "PM014",
        name: "pod-evicted",
        cause: Cause::Evicted,
        needs: &[Need::PodStatus, Need::Events],
    }
}

pub struct PodEvicted;

impl Rule for PodEvicted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut evidence = Vec::new();
        let mut t = Target::guess(ctx);
        let mut qos = None;
        for pod in &ctx.facts.pods {
            if let Some(r) = pod.reason.as_ref().filter(|r| r.value == "Evicted") {
                t = Target::from_pod(ctx, pod, None);
                evidence.primary(&r.span, "the kubelet evicted this pod");
                if let Some(m) = &pod.message {
                    evidence.context(&m.span, "why: the resource that ran short");
                }
                if let Some(q) = &pod.qos_class {
                    qos = Some(q.value.clone());
                    evidence.context(&q.span, format!("QoS class {}", q.value));
                }
            }
        }
        let sigs: Vec<_> = distinct(ctx, SignalKind::Evicted);
        for s in &sigs {
            if evidence
                .iter()
                .any(|e: &Evidence| s.line.start <= e.span.start && e.span.end <= s.line.end)
            {
                continue;
            }
            evidence.primary_if_first(&s.line, "eviction");
        }
        if evidence.is_empty() {
            return Vec::new();
        }
        // The message may be hard-wrapped: read it with the following line joined, unless the
        // line ends the kubelet's sentence (the next line is another row or statement).
        let msg: String = evidence
            .iter()
            .map(|e| {
                let text = ctx.text(e.span.input);
                let end = if span_text(ctx, &e.span).trim_end().ends_with('.') {
                    e.span.end
                } else {
                    // The end of the line after (of the text when there is none).
                    crate::span::line_end(text, crate::span::line_end(text, e.span.end) + 1)
                };
                text.get(e.span.start..end).unwrap_or("").replace('\n', "")
            })
            .collect::<Vec<_>>()
            .joined(" ");
        let resource = value_after(&msg, "low on resource: ")
            .or_else(|| value_after(&msg, "had condition: "))
            .map(|r| r.trim_matches(['[', ']']).to_string());
        let resource = resource.or_else(|| {
            msg.to_ascii_lowercase()
                .contains("ephemeral")
                .then(|| "ephemeral-storage".to_string())
        });
        let container =
            value_after(&msg, "Container ").filter(|c| super::common::real(c).is_some());
        let usage = value_after(&msg, "was using ");
        let request = value_after(&msg, "request of ").or_else(|| value_after(&msg, "request is "));
        let mut message = match &resource {
            Some(r) => format!("the node ran low on {r} and the kubelet evicted the pod"),
            None => "the kubelet evicted the pod under node pressure (the resource is not shown)"
                .to_string(),
        };
        if let (Some(c), Some(u)) = (container, usage) {
            message.push_str(&format!("; container `{c}` was using {u}"));
            if let Some(rq) = request {
                message.push_str(&format!(" against a request of {rq}"));
            }
        }
        if let Some(c) = container {
            set_name(&mut t.container, Some(c));
        }
        let mut help = String::from("the kubelet evicts the pods that use most above their requests first. set requests that match real usage");
        if qos.as_deref() == Some("BestEffort") || request == Some("0") {
            help.push_str(" (this pod has no request, so it is first in line)");
        }
        match resource.as_deref() {
            Some(r) if crate::wording::any_in(r, crate::wording::phrases!["ephemeral", "Disk"]) => help.push_str("; for disk, write large temporary data to an `emptyDir` with `sizeLimit` or a PVC and set `requests.ephemeral-storage`"),
            Some(r) if crate::wording::any_in(r, crate::wording::phrases!["memory", "Memory"]) => help.push_str("; set `requests.memory` near the observed usage and a matching limit, or add node memory"),
            _ => {}
        }
        help.push_str(". retrying on the same busy node can be evicted again");
        let _ = span_text;
        let low = resource.map(|r| format!("node low on {r}"));
        let mut tail = vec!["Evicted"];
        tail.extend(low.as_deref());
        vec![finding(
            &META,
            90,
            message,
            help,
            evidence,
            steps([
                t.describe_pod(),
                t.describe_node(),
                Some("kubectl top nodes".into()),
                t.top_pod(),
                Some(t.events()),
            ]),
            t.chain(&tail),
        )]
    }
}
