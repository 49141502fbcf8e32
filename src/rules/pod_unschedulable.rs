use super::common::{distinct, finding, span_text, steps, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{EvidenceList, Finding};
use crate::span::Joined;
use crate::wording::{any_in, phrases};

crate::declare_rule! {
    /// ## What it does
    /// Finds pods the scheduler cannot place (`FailedScheduling`, `0/N nodes are available`,
    /// `No nodes are available that match all of the following predicates`) and reads the
    /// reasons from the scheduler's message: insufficient cpu, memory or GPU, untolerated taints,
    /// node selector or affinity mismatches, unschedulable nodes, unbound volumes.
    ///
    /// ## Why is this bad?
    /// The pod stays `Pending` and never runs; a Job waits (until its `activeDeadlineSeconds`,
    /// if any). Requests larger than any node's allocatable never fit, however long it waits.
    /// When the pod was scheduled later (it has a node and container states), an old
    /// `FailedScheduling` event is history, not the cause.
    ///
    /// ## Evidence
    /// The `FailedScheduling` line (primary), with each reason and its node count.
    ///
    /// ## Example
    /// ```text
    /// Warning  FailedScheduling  default-scheduler  0/3 nodes are available: 3 Insufficient cpu.
    /// ```
    ///
    /// ## Use instead
    /// Lower the requests to fit a node, add capacity (or a node pool with the right labels,
    /// taints or GPUs), or relax the `nodeSelector`, affinity or tolerations.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: the right requests depend on the cluster.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/
    /// - https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
    /// - https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/assign-cpu-resource/
    pub static META = {
        code: "PM015",
        name: "pod-unschedulable",
        cause: Cause::Unschedulable,
        needs: &[Need::Events, Need::PodStatus],
    }
}

pub struct PodUnschedulable;

/// The scheduler's reasons in plain words.
pub fn reasons(msg: &str) -> Vec<String> {
    let l = msg.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = l.get(i..).and_then(|r| r.find("insufficient ")) {
        let at = i + p + "insufficient ".len();
        let res: String = l[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-'))
            .collect();
        let res = res.trim_end_matches('.').to_string();
        if !res.is_empty() && !out.contains(&format!("insufficient {res}")) {
            out.push(format!("insufficient {res}"));
        }
        i = at;
    }
    if l.contains("taint") {
        out.push("untolerated node taints".into());
    }
    if any_in(
        &l,
        phrases![
            "matchnodeselector",
            "node affinity/selector",
            "didn't match node selector",
            "node(s) didn't match pod's node affinity",
        ],
    ) {
        out.push("node selector or affinity matches no free node".into());
    }
    if crate::wording::any_in(
        &l,
        crate::wording::phrases!["were unschedulable", "node(s) were unschedulable"],
    ) {
        out.push("nodes cordoned (unschedulable)".into());
    }
    if crate::wording::any_in(
        &l,
        crate::wording::phrases![
            "unbound immediate persistentvolumeclaims",
            "volume node affinity conflict"
        ],
    ) {
        out.push("volume binding".into());
    }
    if crate::wording::any_in(
        &l,
        crate::wording::phrases!["didn't have free ports", "podfitshostports"],
    ) {
        out.push("host port already in use".into());
    }
    if l.contains("too many pods") {
        out.push("nodes at their pod limit (`maxPods`)".into());
    }
    if l.contains("anti-affinity") {
        out.push("pod anti-affinity rules".into());
    }
    if l.contains("topology spread constraints") {
        out.push("topology spread constraints".into());
    }
    out
}

impl Rule for PodUnschedulable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs: Vec<_> = distinct(ctx, SignalKind::Scheduling);
        if sigs.is_empty() {
            return Vec::new();
        }
        let t = Target::guess(ctx);
        // The newest state wins over an old event: a pod with a node and started containers
        // was scheduled after the event.
        let scheduled_later = ctx.facts.pods.iter().any(|p| {
            p.node.as_ref().is_some_and(|n| {
                super::common::real(n.value.split('/').next().unwrap_or("")).is_some()
            }) && p.all_containers().any(|c| {
                c.state.as_ref().is_some_and(|s| {
                    crate::wording::any_eq(
                        &s.kind.value,
                        crate::wording::phrases!["Running", "Terminated"],
                    )
                })
            })
        });
        // Or the kubelet started containers after the event (`Scheduled`, `Started`, a restart
        // back-off) and every described container has run.
        let kubelet_ran = ctx.facts.pod_events().iter().any(|e| {
            matches!(e.reason.value.as_str(), "Scheduled" | "Started")
                || e.message
                    .value
                    .starts_with("Back-off restarting failed container")
        });
        let scheduled_later = scheduled_later
            || (kubelet_ran
                && (ctx
                    .facts
                    .pods
                    .iter()
                    .all(|p| p.all_containers().next().is_none())
                    || super::common::all_started(ctx)));
        let mut evidence = Vec::new();
        let mut all = Vec::new();
        for s in &sigs {
            let line = span_text(ctx, &s.line);
            for r in reasons(line) {
                if !all.contains(&r) {
                    all.push(r);
                }
            }
            if evidence.len() < 6 {
                evidence.primary_if_first(&s.line, "the scheduler found no node");
            }
        }
        let why = if all.is_empty() {
            "no node fits".to_string()
        } else {
            all.joined(", ")
        };
        let mut help = String::new();
        if all.iter().any(|r| r.starts_with("insufficient")) {
            help.push_str("the pod's requests do not fit the free allocatable capacity of any node: lower the requests, free or add capacity (requests larger than a whole node never fit). ");
        }
        if all.iter().any(|r| r.contains("taint")) {
            help.push_str("add a matching toleration or schedule onto untainted nodes. ");
        }
        if all.iter().any(|r| r.contains("selector")) {
            help.push_str("check the `nodeSelector`/affinity labels against `kubectl get nodes --show-labels`. ");
        }
        let volumes = all.iter().any(|r| r == "volume binding");
        if volumes {
            help.push_str("a PersistentVolumeClaim of the pod is not bound (no PersistentVolume matches it, there is no default StorageClass, or its provisioner fails) or its volume is in another zone: `kubectl describe pvc` shows the claim's events. ");
        }
        help.push_str("retrying or raising `backoffLimit` does not help: the pod never ran");
        // Only volumes in the way: the claims and storage classes, not the nodes, say why.
        let nodes = !volumes || all.len() > 1;
        let (confidence, message) = if scheduled_later {
            (
                45,
                format!(
                    "an earlier `FailedScheduling` ({why}) is history: the pod was scheduled later"
                ),
            )
        } else {
            (90, format!("no node can take the pod: {why}"))
        };
        let mut f = finding(
            &META,
            confidence,
            message,
            help,
            evidence,
            steps([
                t.describe_pod(),
                volumes.then(|| format!("kubectl get pvc{}", t.ns())),
                volumes.then(|| "kubectl get storageclass".into()),
                nodes.then(|| "kubectl describe nodes".into()),
                nodes.then(|| "kubectl get nodes --show-labels".into()),
                Some(t.events()),
            ]),
            t.chain(&["Pending", "FailedScheduling", &why]),
        );
        // Resolved scheduling is no cause: reported as a note, never as the answer.
        if scheduled_later {
            f.cause = Cause::Unknown;
            f.severity = crate::findings::Severity::Info;
        }
        vec![f]
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scheduler_reasons() {
        let r = super::reasons("No nodes are available that match all of the following predicates:: Insufficient cpu (9), Insufficient memory (15), MatchNodeSelector (18).");
        assert_eq!(
            r,
            [
                "insufficient cpu",
                "insufficient memory",
                "node selector or affinity matches no free node"
            ]
        );
        assert_eq!(
            super::reasons("0/3 nodes are available: 3 Too many pods."),
            ["nodes at their pod limit (`maxPods`)"]
        );
        let r = super::reasons("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient nvidia.com/gpu.");
        assert_eq!(
            r,
            ["insufficient nvidia.com/gpu", "untolerated node taints"]
        );
    }

    fn steps(event: &str) -> Vec<String> {
        let text = format!("Namespace:  etl\nEvents:\n  Type     Reason            Age   From               Message\n  ----     ------            ----  ----               -------\n  Warning  FailedScheduling  30s   default-scheduler  {event}\n");
        let r = crate::diagnose(&[crate::Input::new("paste", text)]);
        assert_eq!(r.primary_cause, crate::cause::Cause::Unschedulable);
        r.findings[0].next_steps.clone()
    }

    #[test]
    fn an_unbound_claim_asks_for_the_claims_and_not_the_nodes() {
        let only = steps("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        assert!(
            only.contains(&"kubectl get pvc -n etl".to_string()),
            "{only:?}"
        );
        assert!(only.contains(&"kubectl get storageclass".to_string()));
        assert!(!only.iter().any(|s| s.contains("nodes")), "{only:?}");
        let both = steps("0/3 nodes are available: 1 node(s) had volume node affinity conflict, 2 Insufficient cpu.");
        assert!(
            both.contains(&"kubectl get pvc -n etl".to_string()),
            "{both:?}"
        );
        assert!(both.contains(&"kubectl describe nodes".to_string()));
        let cpu = steps("0/3 nodes are available: 3 Insufficient cpu.");
        assert!(!cpu.iter().any(|s| s.contains("pvc")), "{cpu:?}");
    }
}
