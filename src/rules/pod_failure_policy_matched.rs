use super::common::{distinct, finding, real, set_name, span_text, steps, value_after, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::{Manifest, SignalKind};
use crate::findings::{EvidenceList, Finding};
use crate::parse::yaml::Node;
use crate::span::Span;
use crate::wording::phrases;

crate::declare_rule! {
    /// ## What it does
    /// Finds Jobs failed early by a `podFailurePolicy` rule (`reason: PodFailurePolicy`,
    /// `Container main for pod ns/x failed with exit code 42 matching FailJob rule at index 0`)
    /// and points at the rule in the manifest and at the command behind the exit code.
    ///
    /// ## Why is this bad?
    /// The policy did its job: the exit code was declared non-retriable, so the Job failed at
    /// once without using `backoffLimit`. The cause is whatever makes the container exit with
    /// that code; raising `backoffLimit` changes nothing, since it is not consulted for it.
    ///
    /// ## Evidence
    /// The `matching FailJob rule` message (primary), the rule's `action: FailJob` and the
    /// place in the command that produces the exit code.
    ///
    /// ## Example
    /// ```text
    /// Container main for pod default/job-x-8ckj8 failed with exit code 42 matching FailJob rule at index 0
    /// ```
    ///
    /// ## Use instead
    /// Fix what makes the container exit with that code (read its logs). Change the policy only
    /// if the code is in fact retriable.
    ///
    /// ## Fix safety
    /// No manifest change is proposed.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/job/pod-failure-policy/
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
    pub static META = {
        code: "PM016",
        name: "pod-failure-policy-matched",
        cause: Cause::PodFailurePolicy,
        needs: &[Need::Events, Need::Manifest],
    }
}

pub struct PodFailurePolicyMatched;

/// `podFailurePolicy.rules[*]` of a Job manifest.
pub fn policy_rules(m: &Manifest) -> &[Node] {
    m.root
        .at(phrases!["spec", "podFailurePolicy", "rules"])
        .map(|r| r.items())
        .unwrap_or(&[])
}

/// Spans in the manifest text where the containers' commands produce `exit N` / `exit(N)`.
pub fn exit_sites(ctx: &Context, m: &Manifest, code: Option<i32>) -> Vec<Span> {
    exit_sites_in(ctx, m.span, code)
}

/// `exit N` / `exit(N)` (N ≠ 0, or N = `code`) inside `within`.
pub fn exit_sites_in(ctx: &Context, within: Span, code: Option<i32>) -> Vec<Span> {
    let text = ctx.text(within.input);
    let Some(doc) = text.get(within.start..within.end) else {
        return Vec::new();
    };
    let m = within;
    let mut out = Vec::new();
    for pat in ["exit ", "exit("] {
        for (i, _) in doc.match_indices(pat) {
            let rest = &doc[i + pat.len()..];
            let d: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            let Ok(n) = d.parse::<i32>() else { continue };
            if n == 0 || code.is_some_and(|c| c != n) {
                continue;
            }
            let mut s = m.start + i;
            if doc[..i].ends_with("sys.") {
                s -= 4;
            }
            out.push(Span::new(
                m.input,
                s,
                m.start + i + pat.len() + d.len() + usize::from(pat == "exit("),
            ));
        }
    }
    out
}

impl Rule for PodFailurePolicyMatched {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs: Vec<_> = distinct(ctx, SignalKind::PodFailurePolicy);
        let Some(first) = sigs.first() else {
            return Vec::new();
        };
        // The message line (`… failed with exit code N matching FailJob rule at index I`)
        // carries the details; a `reason: PodFailurePolicy` line may come first.
        let line = sigs
            .iter()
            .map(|s| span_text(ctx, &s.line))
            .find(|l| l.contains("matching FailJob"))
            .unwrap_or_else(|| span_text(ctx, &first.line));
        let code: Option<i32> = value_after(line, "exit code ").and_then(|c| c.parse().ok());
        let index: Option<usize> = value_after(line, "rule at index ").and_then(|c| c.parse().ok());
        let container = value_after(line, "Container ")
            .and_then(real)
            .map(str::to_string);
        let mut t = Target::guess(ctx);
        if let Some(p) = value_after(line, "for pod ") {
            match p.split_once('/') {
                Some((ns, pod)) => {
                    set_name(&mut t.namespace, real(ns));
                    set_name(&mut t.pod, real(pod));
                }
                None => t.pod = real(p).map(str::to_string),
            }
        }
        if container.is_some() {
            t.container = container;
        }
        let mut evidence = Vec::new();
        evidence.primary(&first.line, "the Job was failed by its podFailurePolicy");
        for s in sigs.iter().skip(1).take(3) {
            evidence.context(&s.line, "policy match");
        }
        for m in &ctx.facts.manifests {
            let rules = policy_rules(m);
            if rules.is_empty() {
                continue;
            }
            if t.job.is_none() {
                t.job = m
                    .name
                    .as_ref()
                    .and_then(|n| real(&n.value))
                    .map(str::to_string);
            }
            let rule = index.and_then(|i| rules.get(i)).or_else(|| {
                rules
                    .iter()
                    .find(|r| r.get("action").and_then(|a| a.as_str()) == Some("FailJob"))
            });
            if let Some((k, v)) = rule.and_then(|r| r.entry("action")) {
                evidence.context(
                    &Span::new(m.span.input, k.start, v.end),
                    "the rule that matched",
                );
            }
            for s in exit_sites(ctx, m, code) {
                evidence.context(&s, "the command exits with this code");
            }
        }
        // A policy the YAML reader could not read (flow style cut short, a fragment): find its
        // `action: FailJob` and the exit in the text.
        if !evidence.iter().any(|e| e.label == "the rule that matched") {
            for (input, inp) in ctx.inputs.iter().enumerate() {
                if !inp.text.contains("podFailurePolicy") {
                    continue;
                }
                for (s, e) in crate::span::lines(&inp.text) {
                    let line = inp.text.get(s..e).unwrap_or("");
                    if line.contains("action:") && line.contains("FailJob") {
                        let lead = line.len() - line.trim_start().len();
                        evidence.context(&Span::new(input, s + lead, e), "the rule that matched");
                    }
                }
                for s in exit_sites_in(ctx, Span::new(input, 0, inp.text.len()), code) {
                    if !evidence.iter().any(|e| e.span == s) {
                        evidence.context(&s, "the command exits with this code");
                    }
                }
            }
        }
        let code_s = code
            .map(|c| format!(" with exit code {c}"))
            .unwrap_or_default();
        vec![finding(
            &META,
            94,
            format!("the Job was failed by its `podFailurePolicy`: {} exited{code_s}, which matches a `FailJob` rule", t.container_label()),
            "the exit code was declared non-retriable, so the Job failed at once; `backoffLimit` is not consulted for it and raising it does not help. \
             fix what makes the container exit with this code (its logs say why)".into(),
            evidence,
            steps([t.describe_job(), t.job_pods(), t.logs(), t.describe_pod()]),
            t.chain(&[&code.map(|c| format!("exit {c}")).unwrap_or_else(|| "exit".into()), "FailJob", "PodFailurePolicy"]),
        )]
    }
}
