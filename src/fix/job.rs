//! Fixes on the Job spec: restart policy, pod failure policy, retry budgets, deadline, TTL.
//!
//! Every builder finds the Job (or CronJob) manifest in the paste itself and returns `None`
//! when there is none, or when the evidence does not support a value: a fix never invents one.
//! When the manifest exists but cannot be edited safely, the returned fix carries the reason
//! in [`Fix::refused`] and is reported as withheld.

use super::yaml_edit::{job_spec_path, locate, pod_spec_path, Step, Value};
use super::Fix;
use crate::facts::Manifest;
use crate::parse::yaml::Node;
use crate::rules::Context;
use crate::span::Joined;
use crate::wording::phrases;

/// The pasted Job or CronJob manifest named `name` (or the only one when `name` is `None`).
pub fn find_job<'a>(ctx: &Context<'a>, name: Option<&str>) -> Option<&'a Manifest> {
    let facts: &'a crate::facts::Facts = ctx.facts;
    let jobs: Vec<&Manifest> = facts
        .manifests
        .iter()
        .filter(|m| job_spec_path(&m.root).is_some())
        .collect();
    match name {
        Some(n) => jobs
            .iter()
            .copied()
            .find(|m| m.name.as_ref().is_some_and(|s| s.value == n))
            .or_else(|| (jobs.len() == 1).then(|| jobs.first().copied()).flatten()),
        None if jobs.len() == 1 => jobs.first().copied(),
        None => None,
    }
}

/// Paths of a Job manifest.
struct JobPaths {
    spec: Vec<Step>,
    pod: Vec<Step>,
}

impl JobPaths {
    fn of(m: &Manifest) -> Option<JobPaths> {
        Some(JobPaths {
            spec: job_spec_path(&m.root)?,
            pod: pod_spec_path(&m.root)?,
        })
    }
    fn spec_key(&self, k: &str) -> Vec<Step> {
        let mut p = self.spec.clone();
        p.push(Step::key(k));
        p
    }
    fn pod_key(&self, k: &str) -> Vec<Step> {
        let mut p = self.pod.clone();
        p.push(Step::key(k));
        p
    }
}

fn int_at(root: &Node, path: &[Step]) -> Option<i64> {
    locate(root, path)
        .and_then(Node::as_str)
        .and_then(|s| s.trim().parse().ok())
}

fn str_at<'a>(root: &'a Node, path: &[Step]) -> Option<&'a str> {
    locate(root, path).and_then(Node::as_str)
}

/// The names of the template's containers and init containers.
fn container_names(root: &Node, pod: &[Step]) -> Vec<String> {
    let Some(spec) = locate(root, pod) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for list in ["containers", "initContainers"] {
        for c in spec.get(list).map(Node::items).unwrap_or(&[]) {
            names.extend(c.get("name").and_then(Node::as_str).map(str::to_string));
        }
    }
    names
}

const NEVER_WHY: &str = "`Never` keeps each failed pod, so its logs stay readable, and the Job controller counts every failure against `backoffLimit`";
const ON_FAILURE_WHY: &str = "`OnFailure` is the alternative: the kubelet restarts the container in place (faster, keeps node-local state), but when the Job gives up the pod is deleted with its logs";

/// Set the pod template's `restartPolicy` of the Job to `Never` (missing, `Always` or any
/// value the Job API rejects; also `OnFailure` when a `podFailurePolicy` requires `Never`).
/// Returns `None` when it is already `Never`.
pub fn restart_policy_never(ctx: &Context, job: &Manifest) -> Option<Fix> {
    let paths = JobPaths::of(job)?;
    let path = paths.pod_key("restartPolicy");
    let current = str_at(&job.root, &path);
    if current == Some("Never") {
        return None;
    }
    let has_pfp = locate(&job.root, &paths.spec_key("podFailurePolicy")).is_some();
    let mut reasoning = vec![match current {
        None => "the pod template sets no `restartPolicy`, so it defaults to `Always`, which the Job API rejects (`Required value: valid values: \"OnFailure\", \"Never\"`)".to_string(),
        Some("OnFailure") if has_pfp => "`podFailurePolicy` only works with `restartPolicy: Never`; with `OnFailure` the API rejects the Job".to_string(),
        Some(v) => format!("`restartPolicy: {v}` is not allowed in a Job (only `OnFailure` or `Never`)"),
    }];
    reasoning.push(NEVER_WHY.into());
    if !has_pfp {
        reasoning.push(ON_FAILURE_WHY.into());
    }
    Some(Fix::on_manifest(
        ctx.text(job.segment.input),
        job,
        "set `restartPolicy: Never` in the Job's pod template",
        reasoning,
        &[(path, Value::str("Never"))],
    ))
}

fn rule_fail_job(container: Option<&str>, code: i64) -> Value {
    let mut on = Vec::new();
    if let Some(c) = container {
        on.push(("containerName".to_string(), Value::str(c)));
    }
    on.push(("operator".into(), Value::str("In")));
    on.push(("values".into(), Value::Seq(vec![Value::Int(code)])));
    Value::map([
        ("action", Value::str("FailJob")),
        ("onExitCodes", Value::Map(on)),
    ])
}

fn rule_ignore_disruption() -> Value {
    Value::map([
        ("action", Value::str("Ignore")),
        (
            "onPodConditions",
            Value::Seq(vec![Value::map([("type", Value::str("DisruptionTarget"))])]),
        ),
    ])
}

/// A deterministic failure (the same non-zero exit code every time, e.g. a bug or a bad
/// argument): add a `podFailurePolicy` that fails the Job at once on `exit_code` from
/// `container`, and ignores disruptions (preemption, eviction, node drain) so they do not use
/// up `backoffLimit`. Also sets `restartPolicy: Never`, which the policy requires.
///
/// `container` is checked against the template (`None` picks the only container). Returns
/// `None` for exit code 0 (not allowed with `In`), for codes above 128 (a signal — OOM kill,
/// SIGTERM — is not the program's verdict), or when the policy already covers the code.
pub fn fail_job_on_exit_code(
    ctx: &Context,
    container: Option<&str>,
    exit_code: i32,
) -> Option<Fix> {
    if !(1..=128).contains(&exit_code) {
        return None;
    }
    let job = find_job(ctx, None)?;
    let paths = JobPaths::of(job)?;
    let names = container_names(&job.root, &paths.pod);
    let container = match container {
        Some(c) if names.iter().any(|n| n == c) => Some(c.to_string()),
        Some(_) => return None,
        None if names.len() == 1 => names.first().cloned(),
        None => None,
    };
    let code = i64::from(exit_code);
    let text = ctx.text(job.segment.input);
    let pfp_path = paths.spec_key("podFailurePolicy");
    let mut rules_path = pfp_path.clone();
    rules_path.push(Step::key("rules"));
    let existing = locate(&job.root, &rules_path)
        .map(Node::items)
        .unwrap_or(&[]);
    let covers = |r: &Node, action: &str| r.get("action").and_then(Node::as_str) == Some(action);
    if existing.iter().any(|r| {
        covers(r, "FailJob")
            && r.at(phrases!["onExitCodes", "values"])
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .any(|v| v.as_str() == Some(&code.to_string()))
    }) {
        return None;
    }
    let has_ignore = existing.iter().any(|r| {
        covers(r, "Ignore")
            && r.get("onPodConditions")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .any(|c| c.get("type").and_then(Node::as_str) == Some("DisruptionTarget"))
    });
    let who = container
        .as_deref()
        .map(|c| format!(" of `{c}`"))
        .unwrap_or_default();
    let mut reasoning = vec![
        format!("{} exited with code {exit_code}; a retry runs the same code on the same input and fails the same way", container.as_deref().map(|c| format!("container `{c}`")).unwrap_or("the container".into())),
        format!("a `FailJob` rule on exit code {exit_code} ends the Job at the first such failure instead of after `backoffLimit` retries"),
    ];
    if !has_ignore {
        reasoning.push("the `Ignore` rule for the `DisruptionTarget` condition keeps preemptions, evictions and node drains from using up `backoffLimit`".into());
    }
    let mut rules = vec![rule_fail_job(container.as_deref(), code)];
    if !has_ignore {
        rules.push(rule_ignore_disruption());
    }
    let restart_path = paths.pod_key("restartPolicy");
    let restart = str_at(&job.root, &restart_path);
    let mut fix = if existing.is_empty() {
        let mut changes = vec![(
            pfp_path.clone(),
            Value::map([("rules", Value::Seq(rules.clone()))]),
        )];
        if restart != Some("Never") {
            changes.push((restart_path.clone(), Value::str("Never")));
        }
        Fix::on_manifest(text, job, String::new(), Vec::new(), &changes)
    } else {
        // Append to the user's rules: theirs are evaluated first.
        let mut fix = Fix::advice(String::new(), Vec::new(), Vec::new());
        fix.region = job.segment;
        let appended = super::yaml_edit::append_items(text, &job.root, &rules_path, &rules);
        let restart_edit = if restart == Some("Never") {
            Ok(Vec::new())
        } else {
            super::yaml_edit::set(text, &job.root, &restart_path, &Value::str("Never"))
        };
        match (appended, restart_edit) {
            (Ok(mut a), Ok(r)) => {
                a.extend(r);
                fix.edits = a;
                let mut p = rules_path.clone();
                p.push(Step::Index(existing.len()));
                p.push(Step::key("action"));
                fix.expect.push(super::Expectation {
                    document: job.document,
                    path: p,
                    value: "FailJob".into(),
                });
            }
            (Err(e), _) | (_, Err(e)) => fix.refused = Some(e),
        }
        fix
    };
    if restart != Some("Never") {
        reasoning.push(format!(
            "`restartPolicy` set to `Never`: a pod failure policy requires it (it was {})",
            restart.map(|r| format!("`{r}`")).unwrap_or("unset".into())
        ));
        if fix.refused.is_none() && !existing.is_empty() {
            fix.expect.push(super::Expectation {
                document: job.document,
                path: restart_path,
                value: "Never".into(),
            });
        }
    }
    fix.title =
        format!("fail the Job at once on exit code {exit_code}{who} with a `podFailurePolicy`");
    fix.reasoning = reasoning;
    Some(fix)
}

/// Transient failures (evictions, node loss, a dependency that was briefly down) used up the
/// retry budget: raise `backoffLimit` by the number of such failures observed, so the same
/// run would have kept the budget it had for real failures. `transient_failures` must come
/// from the evidence (counted failed pods); `observed_limit` is the limit the failed Job ran
/// with (`Backoff Limit:` of `kubectl describe job`, or the `BackoffLimitExceeded` message).
/// Without it the manifest's value (or the default 6) is the base, and a second run on the
/// corrected manifest would raise it again. Returns `None` when `transient_failures` is 0,
/// when the manifest already allows that many, or when the Job uses `backoffLimitPerIndex`
/// (which replaces `backoffLimit`).
pub fn raise_backoff_limit(
    ctx: &Context,
    observed_limit: Option<u32>,
    transient_failures: u32,
) -> Option<Fix> {
    if transient_failures == 0 {
        return None;
    }
    let job = find_job(ctx, None)?;
    let paths = JobPaths::of(job)?;
    if locate(&job.root, &paths.spec_key("backoffLimitPerIndex")).is_some() {
        return None;
    }
    let path = paths.spec_key("backoffLimit");
    let current = int_at(&job.root, &path);
    let base = observed_limit
        .map(i64::from)
        .or(current)
        .unwrap_or(6)
        .max(0);
    let new = base + i64::from(transient_failures);
    if current.is_some_and(|c| c >= new) {
        return None;
    }
    let delay = total_backoff_seconds(new as u32);
    let reasoning = vec![
        format!(
            "{transient_failures} of the failures were transient (not caused by the workload) and counted against `backoffLimit` {}",
            observed_limit
                .map(i64::from)
                .or(current)
                .map(|c| format!("{c}"))
                .unwrap_or("6 (the default)".into())
        ),
        format!("{base} + {transient_failures} = {new} keeps the original budget for real failures"),
        format!("with {new} retries the Job can spend up to {} waiting between them (10s doubling, capped at 10m)", human_duration(delay)),
        "transient failures caused by disruptions are better ignored by a `podFailurePolicy` rule on the `DisruptionTarget` condition".into(),
    ];
    Some(Fix::on_manifest(
        ctx.text(job.segment.input),
        job,
        format!("raise `backoffLimit` to {new}"),
        reasoning,
        &[(path, Value::Int(new))],
    ))
}

/// Seconds the Job controller waits in total before `n` retries (10 s doubling, capped at
/// 10 min per retry).
pub fn total_backoff_seconds(n: u32) -> u64 {
    (0..n).map(|i| (10u64 << i.min(10)).min(600)).sum()
}

fn human_duration(secs: u64) -> String {
    match secs {
        s if s >= 3600 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s >= 3600 => format!("{}h{}m", s / 3600, (s % 3600).div_ceil(60)),
        s if s >= 60 && s % 60 == 0 => format!("{}m", s / 60),
        s if s >= 60 => format!("{}m{}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}

/// True when the Job's template reads its completion index (so it is meant to be Indexed).
fn reads_completion_index(job: &Manifest, paths: &JobPaths) -> bool {
    fn any_scalar(n: &Node, f: &dyn Fn(&str) -> bool) -> bool {
        n.as_str().is_some_and(f)
            || n.entries()
                .iter()
                .any(|(k, v)| any_scalar(k, f) || any_scalar(v, f))
            || n.items().iter().any(|i| any_scalar(i, f))
    }
    locate(&job.root, &paths.pod).is_some_and(|pod| {
        any_scalar(pod, &|s| {
            crate::wording::any_in(
                s,
                crate::wording::phrases!["JOB_COMPLETION_INDEX", "job-completion-index"],
            )
        })
    })
}

/// An Indexed Job where one index's failures end the whole Job (or use up the shared
/// `backoffLimit`): give each index its own budget with `backoffLimitPerIndex`, and
/// optionally stop early with `maxFailedIndexes`.
///
/// `per_index` is the most failures an index was seen to need before it succeeded (from the
/// pods listed), so that index would have passed; `max_failed` is set only when given.
/// `completionMode: Indexed` is added only when the Job is indexed: it reads
/// `JOB_COMPLETION_INDEX` and sets `completions`. Returns `None` otherwise, and when
/// `backoffLimitPerIndex` is already set.
pub fn backoff_limit_per_index(
    ctx: &Context,
    per_index: u32,
    max_failed: Option<u32>,
) -> Option<Fix> {
    let job = find_job(ctx, None)?;
    let paths = JobPaths::of(job)?;
    if locate(&job.root, &paths.spec_key("backoffLimitPerIndex")).is_some() {
        return None;
    }
    let mode = str_at(&job.root, &paths.spec_key("completionMode"));
    let completions = int_at(&job.root, &paths.spec_key("completions"));
    let mut changes = Vec::new();
    let mut reasoning = Vec::new();
    match mode {
        Some("Indexed") => {}
        _ if completions.is_some() && reads_completion_index(job, &paths) => {
            changes.push((paths.spec_key("completionMode"), Value::str("Indexed")));
            reasoning.push("the template reads `JOB_COMPLETION_INDEX`, so the Job is meant to be Indexed: `completionMode: Indexed` is added, which per-index limits require".into());
        }
        _ => return None,
    }
    changes.push((
        paths.spec_key("backoffLimitPerIndex"),
        Value::Int(i64::from(per_index)),
    ));
    reasoning.push(format!("each index gets its own retry budget of {per_index}: the most failures an index needed before it succeeded"));
    reasoning.push("a failing index no longer ends the other indexes' work; the Job fails with `FailedIndexes` at the end, listing them".into());
    if let Some(m) = max_failed {
        if completions.is_some_and(|c| i64::from(m) <= c) {
            changes.push((paths.spec_key("maxFailedIndexes"), Value::Int(i64::from(m))));
            reasoning.push(format!("`maxFailedIndexes: {m}` stops the Job early once more indexes than that have failed"));
        }
    }
    let restart_path = paths.pod_key("restartPolicy");
    if str_at(&job.root, &restart_path) != Some("Never") {
        changes.push((restart_path, Value::str("Never")));
        reasoning.push("`restartPolicy: Never`: per-index limits count failed pods, which `OnFailure` does not produce".into());
    }
    Some(Fix::on_manifest(
        ctx.text(job.segment.input),
        job,
        format!("give each index its own retry budget (`backoffLimitPerIndex: {per_index}`)"),
        reasoning,
        &changes,
    ))
}

/// The Job hit `activeDeadlineSeconds` while it was still making progress: raise the deadline
/// from the observed run. `elapsed_secs` is how long it ran (start to the `DeadlineExceeded`
/// condition, or the deadline itself); `progress` is `(succeeded, completions)` when the paste
/// shows it. With progress the new deadline is the time the remaining completions need at the
/// observed rate, plus 20 %; without, twice the run. Rounded up to whole minutes.
pub fn extend_active_deadline(
    ctx: &Context,
    elapsed_secs: u64,
    progress: Option<(u32, u32)>,
) -> Option<Fix> {
    if elapsed_secs == 0 {
        return None;
    }
    let job = find_job(ctx, None)?;
    let paths = JobPaths::of(job)?;
    let path = paths.spec_key("activeDeadlineSeconds");
    let current = int_at(&job.root, &path).and_then(|c| u64::try_from(c).ok());
    // The observed run, not the manifest's value: a second run on the corrected manifest
    // computes the same deadline and changes nothing.
    let ran = elapsed_secs;
    let mut reasoning = vec![format!(
        "the Job ran {} and was stopped at its deadline{}",
        human_duration(ran),
        current.map(|c| format!(" of {c}s")).unwrap_or_default()
    )];
    let needed = match progress {
        Some((done, total)) if done > 0 && total > done => {
            let n = (ran as u128 * u128::from(total)).div_ceil(u128::from(done));
            let n = u64::try_from(n * 6 / 5).unwrap_or(u64::MAX);
            reasoning.push(format!(
                "{done} of {total} completions finished in that time: all {total} need about {} at that rate; 20 % added for variance",
                human_duration(n * 5 / 6)
            ));
            n
        }
        _ => {
            reasoning
                .push("the paste does not show how far it got, so the deadline is doubled".into());
            ran.saturating_mul(2)
        }
    };
    let new = needed.div_ceil(60) * 60;
    if current.is_some_and(|c| c >= new) {
        return None;
    }
    reasoning.push(format!(
        "rounded up to whole minutes: {new}s ({})",
        human_duration(new)
    ));
    reasoning.push("if the work was stuck rather than slow, a longer deadline only delays the failure: check the logs first".into());
    Some(Fix::on_manifest(
        ctx.text(job.segment.input),
        job,
        format!("raise `activeDeadlineSeconds` to {new}"),
        reasoning,
        &[(path, Value::Int(i64::try_from(new).unwrap_or(i64::MAX)))],
    ))
}

/// One day, in seconds: how long a finished Job and its pods are kept by
/// [`add_ttl_after_finished`].
pub const TTL_KEEP_SECONDS: i64 = 86_400;

/// The Job has no `ttlSecondsAfterFinished`: finished Jobs and their pods pile up until
/// someone deletes them. Adds one that keeps them a day ([`TTL_KEEP_SECONDS`]): long enough to
/// read the failed pods' logs for a post-mortem like this one. `None` when already set.
pub fn add_ttl_after_finished(ctx: &Context) -> Option<Fix> {
    let job = find_job(ctx, None)?;
    let paths = JobPaths::of(job)?;
    let path = paths.spec_key("ttlSecondsAfterFinished");
    if locate(&job.root, &path).is_some() {
        return None;
    }
    Some(Fix::on_manifest(
        ctx.text(job.segment.input),
        job,
        format!("delete the finished Job after a day (`ttlSecondsAfterFinished: {TTL_KEEP_SECONDS}`)"),
        vec![
            "without `ttlSecondsAfterFinished` a finished Job and its pods stay until deleted by hand".into(),
            "one day keeps the failed pods and their logs long enough for a post-mortem; a shorter TTL deletes the evidence".into(),
        ],
        &[(path, Value::Int(TTL_KEEP_SECONDS))],
    ))
}

/// `containers:` written one level too far left: beside the pod template's `spec` (right after
/// it) instead of inside it. Moves the block one indentation step right, into the pod spec.
/// `None` when the template has no misplaced `containers` directly after `spec`, or the pod
/// spec already has containers.
pub fn move_containers_into_pod_spec(ctx: &Context, manifest: &Manifest) -> Option<Fix> {
    let pod = pod_spec_path(&manifest.root)?;
    let (template_path, _) = pod.split_at(pod.len().checked_sub(1)?);
    let template = locate(&manifest.root, template_path)?;
    if locate(&manifest.root, &pod)?.get("containers").is_some() {
        return None;
    }
    let entries = template.entries();
    let spec_at = entries
        .iter()
        .position(|(k, _)| k.as_str() == Some("spec"))?;
    let (next_key, _) = entries.get(spec_at + 1)?;
    if next_key.as_str() != Some("containers") {
        return None;
    }
    let text = ctx.text(manifest.segment.input);
    let spec_key = &entries.get(spec_at)?.0;
    let step = super::yaml_edit::column(text, locate(&manifest.root, &pod)?.start)
        .checked_sub(super::yaml_edit::column(text, spec_key.start))
        .filter(|s| *s > 0)
        .unwrap_or_else(|| super::yaml_edit::indent_step(text, &manifest.root));
    let mut from = template_path.to_vec();
    from.push(Step::key("containers"));
    let mut fix = Fix::advice(
        "move `containers` into the pod template's `spec`",
        vec![
            "`containers:` sits beside the pod template's `spec:` instead of inside it, so the pod spec has no containers and the API rejects the object".into(),
            format!("the block is moved {step} columns right, the indentation of the other pod spec fields"),
        ],
        Vec::new(),
    );
    fix.region = manifest.segment;
    match super::yaml_edit::indent_entry(text, &manifest.root, &from, step) {
        Ok(edits) => {
            fix.edits = edits;
            let mut p = pod.clone();
            p.push(Step::key("containers"));
            p.push(Step::Index(0));
            p.push(Step::key("name"));
            if let Some(name) = locate(&manifest.root, &from)
                .and_then(|c| c.items().first())
                .and_then(|c| c.get("name"))
                .and_then(Node::as_str)
            {
                fix.expect.push(super::Expectation {
                    document: manifest.document,
                    path: p,
                    value: name.to_string(),
                });
            }
        }
        Err(reason) => fix.refused = Some(reason),
    }
    Some(fix)
}

/// `backoffLimitPerIndex` / `maxFailedIndexes` / `successPolicy` on a Job that is not Indexed.
/// When the template reads `JOB_COMPLETION_INDEX` and `completions` is set, the Job is meant to
/// be Indexed: add `completionMode: Indexed`. Otherwise the per-index fields cannot apply:
/// remove them (`backoffLimit` still limits retries). `None` when the Job is Indexed already.
pub fn fix_per_index_mode(ctx: &Context, job: &Manifest) -> Option<Fix> {
    let paths = JobPaths::of(job)?;
    if str_at(&job.root, &paths.spec_key("completionMode")) == Some("Indexed") {
        return None;
    }
    let text = ctx.text(job.segment.input);
    let fields: Vec<&str> = ["backoffLimitPerIndex", "maxFailedIndexes", "successPolicy"]
        .into_iter()
        .filter(|f| locate(&job.root, &paths.spec_key(f)).is_some())
        .collect();
    if fields.is_empty() {
        return None;
    }
    let listed = fields
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .joined(", ");
    let completions = int_at(&job.root, &paths.spec_key("completions"));
    if completions.is_some() && reads_completion_index(job, &paths) {
        return Some(Fix::on_manifest(
            text,
            job,
            "set `completionMode: Indexed`",
            vec![
                format!("{listed} only apply to Indexed Jobs, and the API rejects them otherwise (`requires indexed completion mode`)"),
                "the template reads `JOB_COMPLETION_INDEX` and `completions` is set, so the Job is meant to be Indexed".into(),
            ],
            &[(paths.spec_key("completionMode"), Value::str("Indexed"))],
        ));
    }
    let mut fix = Fix::advice(
        format!("remove {listed} from the non-Indexed Job"),
        vec![
            format!("{listed} only apply to Indexed Jobs, and the API rejects them otherwise (`requires indexed completion mode`)"),
            "nothing in the template reads `JOB_COMPLETION_INDEX`, so the Job is not meant to be Indexed: the fields are removed and `backoffLimit` limits the retries".into(),
            "if the pods should each process one index, set `completionMode: Indexed` and `completions` instead".into(),
        ],
        Vec::new(),
    );
    fix.region = job.segment;
    for f in fields {
        match super::yaml_edit::remove(text, &job.root, &paths.spec_key(f)) {
            Ok(e) => fix.edits.push(e),
            Err(reason) => {
                fix.refused = Some(reason);
                fix.edits.clear();
                break;
            }
        }
    }
    Some(fix)
}

/// A Job manifest fetched from a cluster (`kubectl get job -o yaml`) keeps the generated
/// `spec.selector` and `controller-uid` labels, which the API rejects on create (`selector`
/// not auto-generated): remove them so the new Job gets its own. `None` when the Job sets
/// `manualSelector: true` or has no selector.
pub fn drop_generated_selector(ctx: &Context, job: &Manifest) -> Option<Fix> {
    let paths = JobPaths::of(job)?;
    locate(&job.root, &paths.spec_key("selector"))?;
    if str_at(&job.root, &paths.spec_key("manualSelector")) == Some("true") {
        return None;
    }
    let text = ctx.text(job.segment.input);
    let mut fix = Fix::advice(
        "remove the generated `selector` and `controller-uid` labels",
        vec![
            "the Job controller generates `spec.selector` and the `controller-uid` labels for each new Job; a manifest that carries the old ones is rejected (`selector` not auto-generated)".into(),
            "these fields come from a Job read back from the cluster: without them the new Job gets its own".into(),
        ],
        Vec::new(),
    );
    fix.region = job.segment;
    let mut edits = vec![super::yaml_edit::remove(
        text,
        &job.root,
        &paths.spec_key("selector"),
    )];
    // Fields the API server writes: a Job created from this text must not carry them.
    let server_fields: Vec<Vec<Step>> = [
        &["status"][..],
        &["metadata", "uid"],
        &["metadata", "resourceVersion"],
        &["metadata", "creationTimestamp"],
        &["metadata", "generation"],
        &["metadata", "managedFields"],
        &["metadata", "selfLink"],
    ]
    .iter()
    .map(|p| super::yaml_edit::keys(p))
    .filter(|p| locate(&job.root, p).is_some())
    .collect();
    if !server_fields.is_empty() {
        let names: Vec<String> = server_fields
            .iter()
            .map(|p| format!("`{}`", super::yaml_edit::path_string(p)))
            .collect();
        fix.reasoning.push(format!(
            "{} are written by the API server and removed too",
            names.joined(", ")
        ));
        for p in &server_fields {
            edits.push(super::yaml_edit::remove(text, &job.root, p));
        }
    }
    let mut labels_path = paths.spec.clone();
    labels_path.extend([
        Step::key("template"),
        Step::key("metadata"),
        Step::key("labels"),
    ]);
    if let Some(labels) = locate(&job.root, &labels_path) {
        let generated: Vec<&str> = labels
            .entries()
            .iter()
            .filter_map(|(k, _)| k.as_str())
            .filter(|k| matches!(*k, "controller-uid" | "batch.kubernetes.io/controller-uid"))
            .collect();
        if !generated.is_empty() && generated.len() == labels.entries().len() {
            let mut meta = labels_path.clone();
            meta.pop();
            let only_labels = locate(&job.root, &meta).is_some_and(|m| m.entries().len() == 1);
            let target = if only_labels {
                let mut t = meta.clone();
                t.pop();
                t.push(Step::key("metadata"));
                t
            } else {
                labels_path.clone()
            };
            edits.push(super::yaml_edit::remove(text, &job.root, &target));
        } else {
            for k in generated {
                let mut p = labels_path.clone();
                p.push(Step::key(k));
                edits.push(super::yaml_edit::remove(text, &job.root, &p));
            }
        }
    }
    match edits.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(e) => fix.edits = e,
        Err(reason) => fix.refused = Some(reason),
    }
    Some(fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::Input;

    fn fixed(text: &str, build: impl Fn(&Context) -> Option<Fix>) -> Option<(Fix, String)> {
        let inputs = vec![Input::new("job.yaml", text)];
        let parsed = parse(&inputs);
        let ctx = Context::new(&inputs, &parsed.facts);
        let fix = build(&ctx)?;
        let out = crate::fix::check(text, &fix);
        Some((fix.clone(), out.unwrap_or_else(|e| format!("ERR {e}"))))
    }

    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  backoffLimit: 2\n  template:\n    spec:\n      containers:\n      - name: main\n        image: busybox\n        command: [\"sh\", \"-c\", \"exit 3\"]\n";

    #[test]
    fn restart_policy_missing_becomes_never() {
        let (fix, out) =
            fixed(JOB, |ctx| restart_policy_never(ctx, find_job(ctx, None)?)).expect("fix");
        assert_eq!(out, format!("{JOB}      restartPolicy: Never\n"));
        assert!(fix.reasoning.iter().any(|r| r.contains("OnFailure")));
        let never = format!("{JOB}      restartPolicy: Never\n");
        assert!(fixed(&never, |ctx| restart_policy_never(
            ctx,
            find_job(ctx, None)?
        ))
        .is_none());
    }

    #[test]
    fn fail_job_policy_with_restart_never() {
        let (fix, out) =
            fixed(JOB, |ctx| fail_job_on_exit_code(ctx, Some("main"), 3)).expect("fix");
        assert!(out.contains("  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        containerName: main\n        operator: In\n        values:\n        - 3\n    - action: Ignore\n      onPodConditions:\n      - type: DisruptionTarget\n"), "{out}");
        assert!(out.contains("      command: [\"sh\", \"-c\", \"exit 3\"]\n      restartPolicy: Never\n  podFailurePolicy:\n"), "{out}");
        assert_eq!(fix.expect.iter().filter(|e| e.value == "Never").count(), 1);
        assert!(fix.title.contains("exit code 3"));
        assert!(fixed(JOB, |ctx| fail_job_on_exit_code(ctx, Some("main"), 137)).is_none());
        assert!(fixed(JOB, |ctx| fail_job_on_exit_code(ctx, Some("other"), 3)).is_none());
        // Applying on the corrected output changes nothing more.
        assert!(fixed(&out, |ctx| fail_job_on_exit_code(ctx, Some("main"), 3)).is_none());
    }

    #[test]
    fn fail_job_appends_to_existing_rules() {
        let t = format!("{JOB}      restartPolicy: Never\n  podFailurePolicy:\n    rules:\n    - action: Count\n      onExitCodes:\n        operator: In\n        values: [1]\n");
        let (_, out) = fixed(&t, |ctx| fail_job_on_exit_code(ctx, None, 3)).expect("fix");
        assert!(out.ends_with("        values: [1]\n    - action: FailJob\n      onExitCodes:\n        containerName: main\n        operator: In\n        values:\n        - 3\n    - action: Ignore\n      onPodConditions:\n      - type: DisruptionTarget\n"), "{out}");
    }

    #[test]
    fn backoff_limit_from_transient_failures() {
        let (fix, out) = fixed(JOB, |ctx| raise_backoff_limit(ctx, Some(2), 3)).expect("fix");
        assert!(out.contains("  backoffLimit: 5\n"));
        assert_eq!(fix.title, "raise `backoffLimit` to 5");
        assert!(fixed(JOB, |ctx| raise_backoff_limit(ctx, None, 0)).is_none());
        assert_eq!(total_backoff_seconds(3), 70);
        assert_eq!(
            total_backoff_seconds(12),
            10 + 20 + 40 + 80 + 160 + 320 + 600 * 6
        );
    }

    #[test]
    fn per_index_only_for_indexed_jobs() {
        assert!(fixed(JOB, |ctx| backoff_limit_per_index(ctx, 2, None)).is_none());
        let t = JOB
            .replace(
                "  backoffLimit: 2\n",
                "  completions: 4\n  backoffLimit: 2\n",
            )
            .replace("exit 3", "work $JOB_COMPLETION_INDEX");
        let (_, out) = fixed(&t, |ctx| backoff_limit_per_index(ctx, 2, Some(1))).expect("fix");
        assert!(
            out.contains(
                "  completionMode: Indexed\n  backoffLimitPerIndex: 2\n  maxFailedIndexes: 1\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn deadline_from_progress() {
        let t = JOB.replace("  backoffLimit: 2\n", "  activeDeadlineSeconds: 600\n");
        let (fix, out) =
            fixed(&t, |ctx| extend_active_deadline(ctx, 600, Some((3, 8)))).expect("fix");
        // 600 × 8 / 3 = 1600, +20 % = 1920 → 1920 (already whole minutes).
        assert!(out.contains("  activeDeadlineSeconds: 1920\n"), "{out}");
        assert!(fix.reasoning.iter().any(|r| r.contains("3 of 8")));
        let (_, out) = fixed(&t, |ctx| extend_active_deadline(ctx, 600, None)).expect("fix");
        assert!(out.contains("  activeDeadlineSeconds: 1200\n"));
    }

    #[test]
    fn ttl_where_missing() {
        let (_, out) = fixed(JOB, add_ttl_after_finished).expect("fix");
        assert!(out.contains("  ttlSecondsAfterFinished: 86400\n"));
        assert!(fixed(&out, add_ttl_after_finished).is_none());
    }

    #[test]
    fn per_index_fields_on_a_non_indexed_job() {
        let t = JOB.replace(
            "  backoffLimit: 2\n",
            "  backoffLimit: 2\n  backoffLimitPerIndex: 1 # per index\n",
        );
        let (fix, out) =
            fixed(&t, |ctx| fix_per_index_mode(ctx, find_job(ctx, None)?)).expect("fix");
        assert_eq!(out, JOB);
        assert!(fix.title.starts_with("remove `backoffLimitPerIndex`"));
        let t = t
            .replace("  backoffLimit: 2\n", "  completions: 3\n")
            .replace("exit 3", "run $JOB_COMPLETION_INDEX");
        let (_, out) = fixed(&t, |ctx| fix_per_index_mode(ctx, find_job(ctx, None)?)).expect("fix");
        assert!(
            out.contains("  backoffLimitPerIndex: 1 # per index\n  template:"),
            "{out}"
        );
        assert!(out.contains("  completionMode: Indexed\n"), "{out}");
    }

    #[test]
    fn misplaced_containers_are_moved() {
        let t = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n    containers: # here\n    - name: b\n      image: restic\n\n      args: [x]\n";
        let (_, out) = fixed(t, |ctx| {
            move_containers_into_pod_spec(ctx, find_job(ctx, None)?)
        })
        .expect("fix");
        assert_eq!(out, "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: # here\n      - name: b\n        image: restic\n\n        args: [x]\n");
        assert!(fixed(&out, |ctx| move_containers_into_pod_spec(
            ctx,
            find_job(ctx, None)?
        ))
        .is_none());
    }

    #[test]
    fn generated_selector_is_dropped() {
        let t = JOB.replace("  backoffLimit: 2\n  template:\n", "  backoffLimit: 2\n  selector:\n    matchLabels:\n      controller-uid: 1a2b\n  template:\n    metadata:\n      labels:\n        controller-uid: 1a2b\n        app: x\n");
        let (_, out) =
            fixed(&t, |ctx| drop_generated_selector(ctx, find_job(ctx, None)?)).expect("fix");
        assert_eq!(
            out,
            JOB.replace(
                "  template:\n",
                "  template:\n    metadata:\n      labels:\n        app: x\n"
            )
        );
    }

    #[test]
    fn cronjob_edits_the_job_template() {
        let t = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: main\n            image: busybox\n";
        let (_, out) = fixed(t, |ctx| fail_job_on_exit_code(ctx, None, 2)).expect("fix");
        assert!(out.contains("          restartPolicy: Never\n"), "{out}");
        assert!(
            out.contains("\n      podFailurePolicy:\n        rules:\n        - action: FailJob\n"),
            "{out}"
        );
    }
}
