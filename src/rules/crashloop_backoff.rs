use super::common::{
    crashlooping, exit_class, finding, job_context, last_app_error, steps, terminated,
    waiting_reason, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::{Container, Event, Pod};
use crate::findings::{Evidence, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Reports a container in `CrashLoopBackOff` whose last run ended with a plain non-zero
    /// exit code (1–125) when the paste holds nothing more specific: no log error line, no OOM,
    /// no missing command, and no Job around it. Also a loop of kills by a failing liveness
    /// probe (exit 137/143 with the kubelet's `failed liveness probe, will be restarted`).
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
                let code = match exit_class(state) {
                    Exit::App(code) => code,
                    Exit::KilledFromOutside(code) => {
                        if crashlooping(ctx, c) {
                            out.extend(liveness_loop(ctx, pod, c, code));
                        }
                        continue;
                    }
                    _ => continue,
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
                // A fragment without `Restart Count:` does not say how often it ran.
                let restarts = c
                    .restart_count
                    .as_ref()
                    .map(|r| format!(" ({} restarts)", r.value))
                    .unwrap_or_default();
                out.push(finding(
                    &META,
                    60,
                    format!("{} keeps exiting with code {code}{restarts}", t.container_label()),
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

/// The kubelet's own events that it killed `c` because its liveness probe failed.
fn liveness_kills<'a>(ctx: &'a Context, pod: &'a Pod, c: &'a Container) -> Vec<&'a Event> {
    pod.events
        .iter()
        .chain(ctx.facts.events.iter())
        .filter(|e| {
            let m = e.message.value.to_ascii_lowercase();
            // `Container web failed liveness probe, will be restarted` names the container.
            let named = c.name.value.is_empty()
                || m.contains(&format!("container {} ", c.name.value.to_ascii_lowercase()));
            (e.reason.value == "Killing" && m.contains("failed liveness probe") && named)
                || (e.reason.value == "Unhealthy" && m.starts_with("liveness probe failed"))
        })
        .collect()
}

/// A container killed by its failing liveness probe over and over: the kill is proven, so the
/// loop is the cause to report, not an unexplained signal.
fn liveness_loop(ctx: &Context, pod: &Pod, c: &Container, code: i32) -> Option<Finding> {
    let kills = liveness_kills(ctx, pod, c);
    let killing = kills.iter().find(|e| e.reason.value == "Killing")?;
    let t = Target::from_pod(ctx, pod, Some(c));
    let mut evidence = vec![Evidence::primary(
        killing.span,
        "the kubelet killed the container because its liveness probe failed",
    )];
    for e in kills
        .iter()
        .filter(|e| e.reason.value == "Unhealthy")
        .take(1)
    {
        evidence.push(Evidence::context(e.span, "the failing probe"));
    }
    if let Some(w) = waiting_reason(c) {
        evidence.push(Evidence::context(
            w.span,
            "the kubelet is backing off restarts",
        ));
    }
    if let Some(ec) = terminated(c).next().and_then(|s| s.exit_code.as_ref()) {
        evidence.push(Evidence::context(
            ec.span,
            format!("exit {code}: the kill, not an out-of-memory"),
        ));
    }
    let restarts = c
        .restart_count
        .as_ref()
        .map(|r| format!(" ({} restarts)", r.value))
        .unwrap_or_default();
    Some(finding(
        &META,
        65,
        format!(
            "{} is killed by its failing liveness probe and restarted with back-off{restarts}",
            t.container_label()
        ),
        "the liveness probe fails (the app does not answer in time, or the probe starts before the app is up), so the kubelet kills and restarts the container. \
         check why the probe endpoint fails or times out, and give the probe a `startupProbe`, a larger `timeoutSeconds` or `failureThreshold` if the app is only slow; more memory does not help".into(),
        evidence,
        steps([t.logs_previous(), t.describe_pod(), Some(t.events())]),
        t.chain(&["liveness probe failed".into(), format!("exit {code}"), "CrashLoopBackOff".into()]),
    ))
}
