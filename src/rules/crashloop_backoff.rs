use super::common::{
    crashlooping, exit_class, finding, job_context, last_app_error, steps, terminated,
    waiting_reason, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::{Evidence, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Reports a container in `CrashLoopBackOff` whose last run ended with a plain non-zero
    /// exit code (1–125) when the paste holds nothing more specific: no log error line, no OOM,
    /// no missing command, and no Job around it.
    ///
    /// ## Why is this bad?
    /// The container keeps exiting and the kubelet restarts it with a back-off of up to five
    /// minutes, so the workload is mostly down. The loop is what is visible; the reason is in
    /// the container's previous logs, which were not pasted.
    ///
    /// ## Evidence
    /// The `Reason: CrashLoopBackOff` line (primary), the last `Exit Code:` and `Restart Count:`.
    ///
    /// ## Example
    /// ```text
    ///     State:          Waiting
    ///       Reason:       CrashLoopBackOff
    ///     Last State:     Terminated
    ///       Reason:       Error
    ///       Exit Code:    1
    /// ```
    ///
    /// ## Use instead
    /// Read `kubectl logs --previous` for the error that ends the process and fix it.
    ///
    /// ## Fix safety
    /// No manifest change is proposed.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/
    pub static META = {
        code: "PM009",
        name: "crashloop-backoff",
        cause: Cause::Crashloop,
        needs: &[Need::PodStatus],
    }
}

pub struct CrashloopBackoff;

impl Rule for CrashloopBackoff {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        if last_app_error(ctx).is_some() {
            return out;
        }
        for pod in &ctx.facts.pods {
            if job_context(ctx, Some(pod)) {
                continue;
            }
            for c in &pod.containers {
                let Some(state) = terminated(c).next() else {
                    continue;
                };
                let Exit::App(code) = exit_class(state) else {
                    continue;
                };
                if !crashlooping(ctx, c) {
                    continue;
                }
                let t = Target::from_pod(ctx, pod, Some(c));
                let mut evidence = Vec::new();
                if let Some(w) = waiting_reason(c) {
                    evidence.push(Evidence::primary(
                        w.span,
                        "the kubelet is backing off restarts",
                    ));
                }
                if let Some(ec) = &state.exit_code {
                    let ev = if evidence.is_empty() {
                        Evidence::primary
                    } else {
                        Evidence::context
                    };
                    evidence.push(ev(ec.span, format!("each run exits with {code}")));
                }
                if let Some(r) = &c.restart_count {
                    evidence.push(Evidence::context(r.span, format!("{} restarts", r.value)));
                }
                let restarts = c.restart_count.as_ref().map(|r| r.value).unwrap_or(0);
                out.push(finding(
                    &META,
                    60,
                    format!("{} keeps exiting with code {code} ({restarts} restarts)", t.container_label()),
                    "the container exits and the kubelet restarts it with back-off. the exit code alone does not say why: \
                     the previous run's logs do. the failure repeats on every restart, so more memory or retries do not help until the error is fixed".into(),
                    evidence,
                    steps([t.logs_previous(), t.describe_pod()]),
                    t.chain(&["CrashLoopBackOff".into(), format!("exit {code}")]),
                ));
            }
        }
        out
    }
}
