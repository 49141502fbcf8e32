use super::common::{
    crashlooping, exit_class, finding, job_context, last_app_error, steps, terminated,
    waiting_reason, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::{Container, Event, Pod};
use crate::findings::{EvidenceList, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Reports a container in `CrashLoopBackOff` whose last run ended with a plain non-zero
    /// exit code (1–125) when the paste holds nothing more specific: no log error line, no OOM,
    /// no missing command, and no Job around it. Also a loop of kills by a failing liveness
    /// probe (exit 137/143 with the kubelet's `failed liveness probe, will be restarted`), which
    /// events alone prove too: that `Killing` event, or `Liveness probe failed` next to
    /// `Back-off restarting failed container`.
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
        // Events only (no container status): the kubelet's own liveness kills prove the loop.
        let pods = &ctx.facts.pods;
        if !pods
            .iter()
            .any(|p| p.containers.iter().any(|c| terminated(c).next().is_some()))
            && !job_context(ctx, pods.first())
        {
            out.extend(liveness_loop(ctx, pods.first(), None, None));
        }
        for pod in pods {
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
                            out.extend(liveness_loop(ctx, Some(pod), Some(c), Some(code)));
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
                    evidence.primary(&w.span, "the kubelet is backing off restarts");
                }
                if let Some(ec) = &state.exit_code {
                    evidence.primary_if_first(&ec.span, format!("each run exits with {code}"));
                }
                if let Some(r) = &c.restart_count {
                    evidence.context(&r.span, format!("{} restarts", r.value));
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
                    t.chain(&["CrashLoopBackOff", &format!("exit {code}")]),
                ));
            }
        }
        out
    }
}

/// The kubelet's own events that it killed `c` (any container when `None`) because its liveness
/// probe failed, and its `Back-off restarting failed container` events.
fn liveness_kills<'a>(
    ctx: &'a Context,
    pod: Option<&'a Pod>,
    c: Option<&Container>,
) -> Vec<&'a Event> {
    let pod_events = pod.map_or(&[][..], |p| &p.events[..]);
    pod_events
        .iter()
        .chain(&ctx.facts.events)
        .filter(|e| {
            let m = e.message.value.to_ascii_lowercase();
            // `Container web failed liveness probe, will be restarted` names the container.
            let named = c.is_none_or(|c| {
                c.name.value.is_empty()
                    || m.contains(&format!("container {} ", c.name.value.to_ascii_lowercase()))
            });
            (e.reason.value == "Killing" && m.contains("failed liveness probe") && named)
                || (e.reason.value == "Unhealthy" && m.starts_with("liveness probe failed"))
                || (e.reason.value == "BackOff" && m.starts_with("back-off restarting failed"))
        })
        .collect()
}

/// A container killed by its failing liveness probe over and over: the kill is proven, so the
/// loop is the cause to report, not an unexplained signal. Without a container status (events
/// only) a failing liveness probe next to the kubelet's restart back-off proves it as well.
fn liveness_loop(
    ctx: &Context,
    pod: Option<&Pod>,
    c: Option<&Container>,
    code: Option<i32>,
) -> Option<Finding> {
    let kills = liveness_kills(ctx, pod, c);
    let by = |r: &str| kills.iter().find(|e| e.reason.value == r);
    let (killing, probe) = match (by("Killing"), by("Unhealthy"), by("BackOff")) {
        (Some(k), p, _) => (k, p),
        (None, Some(p), Some(_)) if c.is_none() => (p, None),
        _ => return None,
    };
    let t = match pod {
        Some(p) => Target::from_pod(ctx, p, c),
        None => Target::guess(ctx),
    };
    let mut evidence = Vec::new();
    evidence.primary(
        &killing.span,
        if killing.reason.value == "Killing" {
            "the kubelet killed the container because its liveness probe failed"
        } else {
            "the liveness probe keeps failing, and the kubelet restarts the container"
        },
    );
    if let Some(e) = probe {
        evidence.context(&e.span, "the failing probe");
    }
    if let Some(e) = by("BackOff") {
        evidence.context(&e.span, "the kubelet is backing off restarts");
    }
    if let Some(w) = c.and_then(waiting_reason) {
        evidence.context(&w.span, "the kubelet is backing off restarts");
    }
    if let Some((ec, code)) = c
        .and_then(|c| terminated(c).next())
        .and_then(|s| s.exit_code.as_ref())
        .zip(code)
    {
        evidence.context(
            &ec.span,
            format!("exit {code}: the kill, not an out-of-memory"),
        );
    }
    let restarts = c
        .and_then(|c| c.restart_count.as_ref())
        .map(|r| format!(" ({} restarts)", r.value))
        .unwrap_or_default();
    let exit = code.map(|code| format!("exit {code}"));
    let mut chain = vec!["liveness probe failed"];
    chain.extend(exit.as_deref());
    chain.push("CrashLoopBackOff");
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
        t.chain(&chain),
    ))
}
