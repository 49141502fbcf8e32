use super::common::{distinct, finding, rows_with, steps, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Reports symptoms without a provable cause: a Job's `BackoffLimitExceeded`, `Pods
    /// Statuses: … Failed`, or pods listed as `CrashLoopBackOff`/`Error`/`Failed` with nothing
    /// that says why. It answers `unknown` on purpose and asks for the specific output that
    /// would show the cause, with the real names from the paste.
    ///
    /// ## Why is this bad?
    /// `BackoffLimitExceeded` and `CrashLoopBackOff` say that something failed repeatedly, not
    /// what. Guessing (more memory, a higher `backoffLimit`) wastes time and can hide the real
    /// problem; the container's last state, exit code, logs and events name it.
    ///
    /// ## Evidence
    /// The symptom line (primary).
    ///
    /// ## Example
    /// ```text
    /// NAME          READY   STATUS             RESTARTS   AGE
    /// web-7c9d-x2   0/1     CrashLoopBackOff   445        1d
    /// ```
    ///
    /// ## Use instead
    /// Paste `kubectl describe pod` (its `Last State`, `Exit Code` and events) and `kubectl logs
    /// --previous` for a failed pod.
    ///
    /// ## Fix safety
    /// No change is proposed: the cause is not known.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-backoff-failure-policy
    pub static META = {
        code: "PM023",
        name: "cause-not-determined",
        cause: Cause::Unknown,
        needs: &[Need::PodStatus, Need::Logs, Need::Events],
    }
}

pub struct CauseNotDetermined;

impl Rule for CauseNotDetermined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut evidence = Vec::new();
        let mut t = Target::guess(ctx);
        for s in distinct(ctx, SignalKind::BackoffLimit).into_iter().take(2) {
            evidence.push(Evidence::context(
                s.line,
                "the Job gave up: a symptom, not a cause",
            ));
        }
        for j in &ctx.facts.jobs {
            if let Some(ps) = j.pods_statuses.as_ref().filter(|p| p.value.2 > 0) {
                evidence.push(Evidence::context(
                    ps.span,
                    format!("{} failed pods, reason not shown", ps.value.2),
                ));
            }
        }
        let rows: Vec<_> = rows_with(
            ctx,
            &[
                "CrashLoopBackOff",
                "Error",
                "Failed",
                "Init:Error",
                "Init:CrashLoopBackOff",
            ],
        );
        if let Some(r) = rows.first() {
            t = Target::from_row(ctx, r);
        }
        for r in rows.iter().take(3) {
            evidence.push(Evidence::context(
                r.line,
                format!(
                    "pod `{}` is `{}`; the reason is not shown",
                    r.name.value, r.status.value
                ),
            ));
        }
        // Described pods in trouble whose reason no rule could read.
        for pod in &ctx.facts.pods {
            let troubled = pod
                .status
                .as_ref()
                .is_some_and(|st| matches!(st.value.as_str(), "Failed" | "Pending" | "Unknown"));
            for c in pod.all_containers() {
                let reason = c
                    .state
                    .as_ref()
                    .and_then(|s| s.reason.as_ref())
                    .filter(|r| {
                        !matches!(
                            r.value.as_str(),
                            "Completed" | "ContainerCreating" | "PodInitializing"
                        )
                    });
                if let Some(r) = reason {
                    if evidence.len() < 4 {
                        evidence.push(Evidence::context(
                            r.span,
                            format!("`{}`: the paste does not say why", r.value),
                        ));
                        if t.container.is_none() {
                            t = Target::from_pod(ctx, pod, Some(c));
                        }
                    }
                }
            }
            if troubled && evidence.is_empty() {
                if let Some(st) = &pod.status {
                    evidence.push(Evidence::context(
                        st.span,
                        format!("pod `{}`, reason not shown", st.value),
                    ));
                    t = Target::from_pod(ctx, pod, None);
                }
            }
        }
        // Warning events whose reason no rule could read.
        for e in ctx
            .facts
            .events
            .iter()
            .filter(|e| e.type_.as_ref().is_some_and(|t| t.value == "Warning"))
            .take(2)
        {
            if evidence.len() < 4 {
                evidence.push(Evidence::context(
                    e.span,
                    format!("warning `{}`", e.reason.value),
                ));
            }
        }
        let Some(first) = evidence.first_mut() else {
            return Vec::new();
        };
        first.primary = true;
        let mut asks = Vec::new();
        if t.pod.is_none() {
            asks.push(t.job_pods());
        }
        asks.extend([
            t.describe_pod(),
            t.logs_previous(),
            Some(t.events()),
            t.describe_job(),
        ]);
        if t.pod.is_none() && t.job.is_none() {
            asks.push(Some(t.get_pods()));
        }
        vec![finding(
            &META,
            30,
            "the paste shows that something failed but not why".into(),
            if ctx.facts.pods.is_empty() {
                "a restart loop or `BackoffLimitExceeded` is a symptom. paste `kubectl describe pod` for a failed pod (its Last State, exit code and events) \
                 and `kubectl logs --previous`; do not raise `backoffLimit` or memory before the cause is known"
                    .to_string()
            } else {
                "the pod's state does not say why. paste its events (the end of `kubectl describe pod`, or `kubectl get events`) and `kubectl logs --previous`; \
                 do not raise `backoffLimit` or memory before the cause is known"
                    .to_string()
            },
            evidence,
            steps(asks),
            t.chain(&["cause not shown".into()]),
        )]
    }
}
