//! Shared by the `manifest-invalid` rules: run the Job API validation ([`crate::fix::validate`])
//! on every pasted manifest and word one finding per problem of a check group.

use super::common::finding;
use super::{Context, RuleMeta};
use crate::facts::Manifest;
use crate::findings::{Evidence, EvidenceList, Finding, Severity};
use crate::fix::validate::{validate_detailed, Check, Problem};
use crate::fix::Fix;
use crate::span::Span;

/// `kind/name` of a manifest for messages, e.g. "Job `netpol`".
pub fn display(m: &Manifest) -> String {
    let kind = m
        .kind
        .as_ref()
        .map(|k| k.value.as_str())
        .unwrap_or("manifest");
    match &m.name {
        Some(n) => format!("{kind} `{}`", n.value),
        None => kind.to_string(),
    }
}

/// True when the manifest was read back from the cluster (`kubectl get -o yaml`): it has a
/// `status`, a `uid` or a `creationTimestamp`. Such an object passed validation when it was
/// created; its problems matter only if it is created again from this text.
pub fn fetched(m: &Manifest) -> bool {
    m.root.get("status").is_some()
        || m.root.path(&["metadata", "uid"]).is_some()
        || m.root.path(&["metadata", "creationTimestamp"]).is_some()
}

/// The problems of `check` in each pasted manifest.
pub fn problems<'a>(ctx: &Context<'a>, check: Check) -> Vec<(&'a Manifest, Vec<Problem>)> {
    let facts: &'a crate::facts::Facts = ctx.facts;
    facts
        .manifests
        .iter()
        .filter_map(|m| {
            let found: Vec<Problem> = validate_detailed(&m.root)
                .into_iter()
                .filter(|p| p.check == check)
                .collect();
            (!found.is_empty()).then_some((m, found))
        })
        .collect()
}

/// One finding per manifest with problems of `check`: the first problem is the primary
/// evidence, the others context. `fix` builds the manifest's fix, if any.
pub fn findings(
    ctx: &Context,
    meta: &'static RuleMeta,
    check: Check,
    help: &dyn Fn(&Problem) -> String,
    fix: &dyn Fn(&Context, &Manifest) -> Option<Fix>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (m, found) in problems(ctx, check) {
        let Some(first) = found.first() else { continue };
        let input = m.segment.input;
        let mut evidence: Vec<Evidence> = Vec::new();
        for p in &found {
            let span = Span::new(input, p.at.0, p.at.1);
            evidence.primary_if_first(&span, p.message.clone());
        }
        for p in &found {
            for (at, label) in &p.context {
                let span = Span::new(input, at.0, at.1);
                if !evidence.iter().any(|e| e.span == span) {
                    evidence.context(&span, label.clone());
                }
            }
        }
        let what = display(m);
        let was_fetched = fetched(m);
        let message = if found.len() == 1 {
            format!("{what} is invalid: `{}`", first.message)
        } else {
            format!(
                "{what} is invalid: `{}` and {} more",
                first.message,
                found.len() - 1
            )
        };
        let ns = m
            .namespace
            .as_ref()
            .map(|n| format!(" -n {}", n.value))
            .unwrap_or_default();
        let mut chain = Vec::new();
        if let (Some(k), Some(n)) = (&m.kind, &m.name) {
            chain.push(format!("{}/{}", k.value.to_ascii_lowercase(), n.value));
        }
        chain.push(first.field.clone());
        let (severity, confidence, message, help) = if was_fetched {
            (
                Severity::Info,
                30,
                format!("{message} if created again from this output"),
                format!("{}; this object was read back from the cluster, so it was accepted when created: this only matters when creating it again from the pasted text", help(first)),
            )
        } else {
            (Severity::Error, 90, message, help(first))
        };
        let mut f = finding(
            meta,
            confidence,
            message,
            help,
            evidence,
            vec![format!("kubectl apply --dry-run=server -f job.yaml{ns}")],
            chain,
        );
        f.severity = severity;
        f.fix = fix(ctx, m);
        out.push(f);
    }
    out
}
