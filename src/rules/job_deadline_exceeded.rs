use super::common::{distinct, finding, span_text, steps, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::wording::phrases;

crate::declare_rule! {
    /// ## What it does
    /// Finds Jobs ended by `activeDeadlineSeconds` (`reason: DeadlineExceeded`, `Job was active
    /// longer than specified deadline`) and pods ended by their own pod-level deadline (`Pod was
    /// active on the node longer than the specified deadline`), and tells them apart.
    ///
    /// ## Why is this bad?
    /// The controller terminated running pods and failed the Job, whatever `backoffLimit` says.
    /// Either the work is slower than the deadline allows, or the pods never got going (an image
    /// that cannot be pulled, a pod stuck `Pending`) and the deadline ran out while waiting.
    ///
    /// ## Evidence
    /// The `DeadlineExceeded` line (primary) and the Job's `Active Deadline Seconds` or
    /// `activeDeadlineSeconds` when pasted.
    ///
    /// ## Example
    /// ```text
    /// Warning  DeadlineExceeded  job-controller  Job was active longer than specified deadline
    /// ```
    ///
    /// ## Use instead
    /// Find what took the time (`kubectl get pods -l job-name=…`, their events): fix a pull or
    /// scheduling problem first; raise `activeDeadlineSeconds` only when the work legitimately
    /// needs longer.
    ///
    /// ## Fix safety
    /// No manifest change is proposed here: a longer deadline is right only for slow work.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-termination-and-cleanup
    /// - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/
    pub static META = {
        code: "PM011",
        name: "job-deadline-exceeded",
        cause: Cause::DeadlineExceeded,
        needs: &[Need::Events, Need::PodStatus, Need::Logs],
    }
}

pub struct JobDeadlineExceeded;

impl Rule for JobDeadlineExceeded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs: Vec<_> = distinct(ctx, SignalKind::Deadline);
        let pod_level = ctx.facts.pods.iter().find(|p| {
            p.reason
                .as_ref()
                .is_some_and(|r| r.value == "DeadlineExceeded")
        });
        if sigs.is_empty() && pod_level.is_none() {
            return Vec::new();
        }
        let text: String = sigs
            .iter()
            .map(|s| span_text(ctx, &s.line))
            .collect::<Vec<_>>()
            .join("\n")
            .to_ascii_lowercase();
        let is_pod = text.contains("pod was active on the node")
            || (pod_level.is_some() && !text.contains("job was active"));
        let mut t = match pod_level {
            Some(p) => Target::from_pod(ctx, p, None),
            None => Target::guess(ctx),
        };
        if t.job.is_none() {
            // `Bundle unpacking failed` and similar controller messages name no Job; keep none.
            t.job = ctx
                .facts
                .job_name()
                .and_then(super::common::real)
                .map(str::to_string);
        }
        let mut evidence: Vec<Evidence> = Vec::new();
        for s in &sigs {
            evidence.primary_if_first(
                &s.line,
                if is_pod {
                    "the pod's own deadline ran out"
                } else {
                    "the Job's activeDeadlineSeconds ran out"
                },
            );
        }
        if let Some(p) = pod_level {
            if let Some(r) = &p.reason {
                evidence.primary_if_first(&r.span, "pod reason `DeadlineExceeded`");
            }
        }
        let mut limit = None;
        if let Some(ads) = ctx
            .facts
            .jobs
            .iter()
            .find_map(|j| j.active_deadline_seconds.as_ref())
        {
            evidence.context(&ads.span, format!("activeDeadlineSeconds: {}", ads.value));
            limit = Some(ads.value);
        }
        for m in &ctx.facts.manifests {
            if let Some(n) = m.root.at(phrases!["spec", "activeDeadlineSeconds"]) {
                evidence.context(
                    &crate::span::Span::new(m.span.input, n.start, n.end),
                    "the deadline in the manifest",
                );
                if limit.is_none() {
                    limit = n.as_str().and_then(|v| v.parse().ok());
                }
            }
        }
        let (subject, message) = if is_pod {
            ("pod", "the pod ran longer than its own `activeDeadlineSeconds` and the kubelet stopped it".to_string())
        } else {
            let lim = limit.map(|l| format!(" ({l}s)")).unwrap_or_default();
            ("job", format!("the Job ran longer than its `activeDeadlineSeconds`{lim} and was failed with `DeadlineExceeded`"))
        };
        let message = match (subject, &t.job) {
            ("job", Some(j)) => format!("job `{j}`: {message}"),
            _ => message,
        };
        // The deadline the failed Job ran with (from its description, not the manifest, so a
        // second run on the corrected manifest computes the same value) and how far it got.
        let observed = ctx
            .facts
            .jobs
            .iter()
            .find_map(|j| j.active_deadline_seconds.as_ref().map(|d| d.value));
        let progress = ctx.facts.jobs.iter().find_map(|j| {
            let (_, succeeded, _) = j.pods_statuses.as_ref()?.value;
            let completions: u32 = j.completions.as_ref()?.value.trim().parse().ok()?;
            (succeeded > 0 && completions > succeeded).then_some((succeeded, completions))
        });
        let fix = match (is_pod, observed, progress) {
            // Only when the Job was making progress: a stuck Job needs a cause, not more time.
            (false, Some(secs), Some(p)) => {
                crate::fix::job::extend_active_deadline(ctx, secs, Some(p))
            }
            _ => None,
        };
        let mut f = finding(
            &META,
            88,
            message,
            if is_pod {
                "the pod's own `activeDeadlineSeconds` counts from the pod's start on the node, and the kubelet kills it when it runs out. \
                 check why the work took that long (its logs); raise the pod's deadline only when the work legitimately needs longer. \
                 raising `backoffLimit` does not help"
                    .to_string()
            } else {
                "the deadline counts from the Job's start, including time spent pulling images and waiting to be scheduled. \
                 check whether the pods were slow or never started (a pull or scheduling problem shows in their events); \
                 raise `activeDeadlineSeconds` only when the work legitimately needs longer, and raising `backoffLimit` does not help"
                    .to_string()
            },
            evidence,
            steps([
                t.describe_job(),
                t.job_pods(),
                t.describe_pod(),
                (t.job.is_none() && !is_pod).then(|| "kubectl get jobs -A".to_string()),
                Some(t.events()),
            ]),
            t.chain(&["DeadlineExceeded"]),
        );
        f.fix = fix;
        vec![f]
    }
}
