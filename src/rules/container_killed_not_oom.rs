use super::common::{ended, finding, signal_exit_evidence, signal_name, steps, Exit, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Finds containers that ended with exit code 137 (SIGKILL) or 143 (SIGTERM) while their
    /// reason is not `OOMKilled`, and says that something outside the process stopped it.
    ///
    /// ## Why is this bad?
    /// 137 is read as "out of memory" far too often. Without the `OOMKilled` reason the kill
    /// came from elsewhere: a failing liveness probe, preemption, eviction, a node shutdown,
    /// `kubectl delete`, a Job deadline or a grace period that ran out after SIGTERM. Raising
    /// the memory limit does not help with any of these, and neither does raising `backoffLimit`.
    ///
    /// ## Evidence
    /// The `Exit Code: 137` (or 143) line (primary) and its `Reason:` line; `Unhealthy`
    /// (liveness probe), `Killing`, `Preempted` or eviction events when present.
    ///
    /// ## Example
    /// ```text
    ///     Last State:     Terminated
    ///       Reason:       Error
    ///       Exit Code:    137
    /// ```
    ///
    /// ## Use instead
    /// Find who sent the signal: check the pod's events for `Unhealthy` (liveness probe) and
    /// `Killing`, the node's events for preemption or shutdown, and the Job for
    /// `activeDeadlineSeconds`. Fix the probe thresholds or the shutdown handling accordingly.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: the paste does not show which component sent the signal.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
    /// - https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
    pub static META = {
        code: "PM002",
        name: "container-killed-not-oom",
        cause: Cause::Unknown,
        needs: &[Need::PodStatus],
    }
}

pub struct ContainerKilledNotOom;

impl Rule for ContainerKilledNotOom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        // Any OOM evidence in the paste belongs to `container-oom-killed`.
        if ctx
            .facts
            .signals
            .iter()
            .any(|s| s.kind == SignalKind::NodeOom)
            || ctx
                .facts
                .log_signals
                .iter()
                .any(|s| s.text.to_ascii_lowercase().contains("oomkilled"))
        {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (pod, c, state, class) in ended(ctx, true) {
            let Exit::KilledFromOutside(code) = class else {
                continue;
            };
            let t = Target::from_pod(ctx, pod, Some(c));
            let sig = signal_name(code - 128);
            let mut evidence: Vec<Evidence> =
                signal_exit_evidence(state, code).into_iter().collect();
            if let Some(r) = &state.reason {
                evidence.context(&r.span, format!("reason `{}`, not `OOMKilled`", r.value));
            }
            let mut hints = Vec::new();
            for e in pod.events.iter().chain(ctx.facts.events.iter()) {
                let r = e.reason.value.as_str();
                if crate::wording::any_eq(
                    r,
                    crate::wording::phrases![
                        "Unhealthy",
                        "Killing",
                        "Preempted",
                        "Evicted",
                        "Preempting"
                    ],
                ) {
                    evidence.context(
                        &e.span,
                        format!("`{r}` event: a possible sender of the signal"),
                    );
                    hints.push(r.to_string());
                }
            }
            let who = if hints.iter().any(|h| h == "Unhealthy") {
                "the events show a failing probe: the kubelet kills a container whose liveness probe fails"
            } else if code == 143 {
                "SIGTERM is sent when the pod is deleted, preempted, evicted, or its Job is suspended or past its deadline"
            } else {
                "the usual senders are a failing liveness probe, preemption, eviction, a node shutdown or a grace period that ran out after SIGTERM"
            };
            out.push(finding(
                &META,
                70,
                format!(
                    "{} was stopped by {sig} (exit code {code}) from outside the process, not by the OOM killer",
                    t.container_label()
                ),
                format!(
                    "exit code {code} without the `OOMKilled` reason is not an out-of-memory kill: {who}. \
                     raising the memory limit or `backoffLimit` does not help; find the sender in the pod and node events"
                ),
                evidence,
                steps([
                    t.describe_pod(),
                    Some(t.events()),
                    t.logs_previous(),
                    t.describe_node(),
                    t.describe_job(),
                ]),
                t.chain(&[
                    state
                        .reason
                        .as_ref()
                        .map_or("Terminated", |r| r.value.as_str()),
                    &format!("exit {code}"),
                ]),
            ));
        }
        out
    }
}
