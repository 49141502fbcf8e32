use super::common::{distinct, finding, real, set_name, steps, Target};
use super::pod_failure_policy_matched::{exit_sites, policy_rules};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::span::{Joined, Span};
use crate::wording::phrases;

crate::declare_rule! {
    /// ## What it does
    /// Finds Indexed Jobs with `backoffLimitPerIndex` that failed because indexes used up their
    /// per-index retries or hit a `FailIndex` rule (`reason: FailedIndexes`, `failedIndexes:
    /// 0,1`, `MaxFailedIndexesExceeded`), and lists the failed indexes from the Job status or
    /// from the pod names (`<job>-<index>-<suffix>`).
    ///
    /// ## Why is this bad?
    /// With `backoffLimitPerIndex` each index is retried on its own; once any index fails for
    /// good the Job ends `Failed` after the other indexes finish (or at once when
    /// `maxFailedIndexes` is exceeded). The work items behind those indexes did not complete.
    ///
    /// ## Evidence
    /// The `FailedIndexes` line or the failed pods of the indexes (primary), the
    /// `backoffLimitPerIndex` and any `FailIndex` rule in the manifest, and the command's exit.
    ///
    /// ## Example
    /// ```text
    /// job-sample-0-4g4cm   0/1     Error       0          4s
    /// job-sample-1-2bgdj   0/1     Error       0          15s
    /// ```
    ///
    /// ## Use instead
    /// Fix the work items behind the failed indexes (their pods' logs); a higher
    /// `backoffLimitPerIndex` helps only with transient failures.
    ///
    /// ## Fix safety
    /// No manifest change is proposed.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#backoff-limit-per-index
    /// - https://kubernetes.io/docs/tasks/job/pod-failure-policy/
    pub static META = {
        code: "PM017",
        name: "job-failed-indexes",
        cause: Cause::FailedIndexes,
        needs: &[Need::Manifest, Need::PodStatus, Need::Events],
    }
}

pub struct JobFailedIndexes;

/// `0,2-4` → 0, 2, 3, 4 (ranges capped so a typo cannot explode).
fn indexes(list: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for part in list.split(',') {
        let part = part.trim();
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
                    out.extend((a..=b).take(1000));
                }
            }
            None => out.extend(part.parse::<u32>().ok()),
        }
    }
    out
}

/// The index in `<job>-<index>-<suffix>`.
fn index_of(job: &str, pod: &str) -> Option<u32> {
    let rest = pod.strip_prefix(job)?.strip_prefix('-')?;
    let (idx, suffix) = rest.split_once('-')?;
    (!suffix.is_empty() && !suffix.contains('-')).then_some(())?;
    idx.parse().ok()
}

impl Rule for JobFailedIndexes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut evidence = Vec::new();
        let mut t = Target::from_ctx(ctx);
        let mut failed: Vec<u32> = Vec::new();
        for s in distinct(ctx, SignalKind::FailedIndexes) {
            evidence.primary_if_first(&s.line, "indexes failed for good");
            // `failedIndexes: 0,2-4` in the Job status.
            let line = crate::rules::common::span_text(ctx, &s.line);
            if let Some(list) = line
                .split_once("failedIndexes:")
                .map(|(_, r)| r.trim().trim_matches(['"', '\'']))
            {
                failed.extend(indexes(list));
            }
        }
        let mut per_index = false;
        let mut fail_index_rules: Vec<Span> = Vec::new();
        for m in &ctx.facts.manifests {
            let Some(bl) = m.root.at(phrases!["spec", "backoffLimitPerIndex"]) else {
                continue;
            };
            per_index = true;
            let Some(job) = m.name.as_ref().and_then(|n| real(&n.value)) else {
                continue;
            };
            set_name(&mut t.job, Some(job));
            let rows: Vec<_> = ctx
                .facts
                .pod_rows
                .iter()
                .filter(|r| {
                    crate::wording::any_eq(
                        r.status.value.as_str(),
                        crate::wording::phrases![
                            "Error",
                            "Failed",
                            "OOMKilled",
                            "DeadlineExceeded"
                        ],
                    )
                })
                .filter_map(|r| Some((index_of(job, &r.name.value)?, r)))
                .collect();
            for (i, r) in &rows {
                failed.push(*i);
                evidence.primary_if_first(&r.line, format!("index {i} failed"));
            }
            if evidence.is_empty() {
                continue;
            }
            evidence.context(
                &Span::new(m.span.input, bl.start, bl.end),
                "retries per index",
            );
            for r in policy_rules(m) {
                if let Some((k, v)) = r
                    .entry("action")
                    .filter(|(_, v)| v.as_str() == Some("FailIndex"))
                {
                    let span = Span::new(m.span.input, k.start, v.end);
                    evidence.context(&span, "this rule fails an index without retry");
                    fail_index_rules.push(span);
                }
            }
            for s in exit_sites(ctx, m, None) {
                evidence.context(&s, "the command exits non-zero here");
            }
        }
        if evidence.is_empty()
            || (!per_index && failed.is_empty() && !evidence.iter().any(|e| e.primary))
        {
            return Vec::new();
        }
        crate::order::sort_by_key(&mut failed, |n| *n);
        failed.dedup();
        let list = failed
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .joined(", ");
        let message = match (&t.job, list.is_empty()) {
            (Some(j), false) => format!("indexed job `{j}` failed: indexes {list} used up their per-index retries or hit a `FailIndex` rule"),
            (Some(j), true) => format!("indexed job `{j}` failed because of failed indexes"),
            (None, false) => format!("the indexed Job failed: indexes {list} used up their per-index retries or hit a `FailIndex` rule"),
            (None, true) => "the indexed Job failed because of failed indexes".to_string(),
        };
        let mut out = vec![finding(
            &META,
            90,
            message,
            "each index is retried on its own up to `backoffLimitPerIndex`; an index that fails for good (or matches a `FailIndex` rule) marks the Job failed. \
             fix the work items behind the failed indexes; raising the per-index limit only helps with transient failures".into(),
            evidence,
            steps([t.job.is_none().then(|| "kubectl get jobs -A".to_string()),
                t.describe_job(), t.job_pods(), t.job.as_ref().map(|j| format!("kubectl get job {j}{} -o jsonpath='{{.status.failedIndexes}}'", crate::fix::advice::ns_flag(t.namespace.as_deref())))]),
            t.chain(&[format!("failed indexes {list}").trim(), "FailedIndexes"]),
        )];
        // The pod failure policy's part in it, as a secondary finding: a `FailIndex` rule
        // ends an index on its first matching failure.
        if let Some((first, rest)) = fail_index_rules.split_first() {
            let mut evidence = Vec::new();
            evidence.primary(first, "fails the index on the first matching failure");
            evidence.extend(
                rest.iter()
                    .map(|s| Evidence::context(s, "another `FailIndex` rule")),
            );
            let mut f = finding(
                &META,
                40,
                "the Job's `podFailurePolicy` has a `FailIndex` rule: a matching failure ends its index without retries".to_string(),
                "failures that match the rule do not use the per-index retries; check whether the exit codes it lists really are permanent".into(),
                evidence,
                Vec::new(),
                t.chain(&["podFailurePolicy", "FailIndex"]),
            );
            f.cause = Cause::PodFailurePolicy;
            f.severity = crate::findings::Severity::Info;
            out.push(f);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn index_lists() {
        assert_eq!(super::indexes("0,2-4"), [0, 2, 3, 4]);
        assert!(super::indexes("x").is_empty());
    }

    #[test]
    fn indexes_from_pod_names() {
        assert_eq!(super::index_of("job-a", "job-a-1-2bgdj"), Some(1));
        assert_eq!(super::index_of("job-a", "job-a-xyz12"), None);
        assert_eq!(super::index_of("job-a", "job-ab-1-x"), None);
    }
}
