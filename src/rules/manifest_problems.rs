//! Shared by the `manifest-invalid` rules: run the Job API validation ([`crate::fix::validate`])
//! on every pasted manifest and word one finding per problem of a check group.

use super::common::finding;
use super::{Context, RuleMeta};
use crate::facts::Manifest;
use crate::findings::{Evidence, EvidenceList, Finding, Severity};
use crate::fix::validate::{validate_detailed, Check, Problem};
use crate::fix::Fix;
use crate::span::Span;
use crate::wording::phrases;

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
        || m.root.at(phrases!["metadata", "uid"]).is_some()
        || m.root
            .at(phrases!["metadata", "creationTimestamp"])
            .is_some()
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
        // The API server's own rejection of this field, when pasted beside the manifest, is
        // the evidence that it happened: it leads, the manifest's lines show where.
        let name = m.name.as_ref().map(|n| n.value.as_str());
        let field = format!("{}:", first.field);
        let answer = ctx.api_invalid.iter().find_map(|found| {
            found
                .iter()
                .filter(|a| a.name.is_empty() || Some(a.name.as_str()) == name)
                .find_map(|a| {
                    a.errors
                        .iter()
                        .find(|(e, _)| e.starts_with(&field))
                        .map(|(_, span)| *span)
                })
        });
        if let Some(span) = answer {
            for e in &mut evidence {
                e.primary = false;
            }
            evidence.insert(0, Evidence::primary(span, "the API server's rejection"));
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

#[cfg(test)]
mod tests {
    /// The text under the primary evidence of the PM101 finding for `text`.
    fn pm101_primary(text: &str) -> String {
        let r = crate::diagnose(&[crate::Input::new("paste", text)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM101")
            .expect("PM101");
        assert_eq!(f.evidence.iter().filter(|e| e.primary).count(), 1);
        let first = f
            .evidence
            .iter()
            .find(|e| e.primary)
            .map(|e| e.span)
            .unwrap_or_default();
        text[first.start..first.end].to_string()
    }

    #[test]
    fn the_servers_rejection_leads_the_evidence() {
        let answer = "The Job \"init\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: OnFailure, Never\n---\n";
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: init\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n";
        let text = format!("{answer}{job}");
        assert!(
            pm101_primary(&text).starts_with("spec.template.spec.restartPolicy: Unsupported value")
        );
        // Another Job's rejection is not this one's.
        let other = text.replace("The Job \"init\"", "The Job \"other\"");
        assert!(!pm101_primary(&other).contains("Unsupported value"));
    }
}
