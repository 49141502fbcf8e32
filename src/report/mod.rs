//! The report: findings ranked, the primary cause chosen, the fixes checked and combined into
//! one corrected manifest, and renderers for text, JSON and Markdown.

pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::cause::Cause;
use crate::detect::Segment;
use crate::findings::{Finding, Severity};
use crate::fix::{self, diff, Withheld};
use crate::parse::{parse, Parsed};
use crate::rules::{self, Context};
use crate::span::Span;
use crate::Input;

/// The corrected manifest: the user's YAML piece with the checked fixes applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectedManifest {
    pub input: usize,
    /// The manifest piece of the input that was corrected.
    pub region: Span,
    pub text: String,
    pub diff: String,
    /// True when the manifest was rebuilt from describe output rather than pasted.
    pub reconstructed: bool,
    /// The fixes applied, each with its reasoning.
    pub applied: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub inputs: Vec<InputSummary>,
    /// Ranked: the first finding names the primary cause.
    pub findings: Vec<Finding>,
    pub primary_cause: Cause,
    pub summary: String,
    pub corrected_manifest: Option<CorrectedManifest>,
    pub withheld: Vec<Withheld>,
    pub notes: Vec<crate::facts::ParseNote>,
    /// Why the primary finding was ranked above the others, one sentence each.
    pub ranking: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSummary {
    pub name: String,
    pub segments: Vec<Segment>,
}

/// Run the whole pipeline on the pasted inputs.
pub fn diagnose(inputs: &[Input]) -> Report {
    let Parsed { segments, facts } = parse(inputs);
    let ctx = Context {
        inputs,
        facts: &facts,
    };
    let mut findings = rules::run(&ctx);
    let ranking = rank(&mut findings);
    let primary_cause = findings.first().map(|f| f.cause).unwrap_or(Cause::Unknown);
    let summary = match findings.first() {
        Some(f) => format!("{}: {}", primary_cause.title(), f.message),
        None if facts.pods.is_empty() && facts.jobs.is_empty() && facts.manifests.is_empty() && facts.events.is_empty() => {
            "nothing in the paste says why it failed: paste `kubectl describe pod`, `kubectl logs --previous` or the events".to_string()
        }
        None => "no problem found in what was pasted".to_string(),
    };
    let (corrected_manifest, withheld) = correct(inputs, &findings);
    Report {
        inputs: inputs
            .iter()
            .zip(segments)
            .map(|(i, s)| InputSummary {
                name: i.name.clone(),
                segments: s,
            })
            .collect(),
        findings,
        primary_cause,
        summary,
        corrected_manifest,
        withheld,
        notes: facts.notes,
        ranking,
    }
}

/// How strongly a cause explains a failure when several findings compete, with the reason
/// shown in the report. Higher wins.
///
/// - cluster-level errors stop everything else (nothing else could even be observed);
/// - a Job ended by its own policy (failed indexes, `podFailurePolicy`) is the outcome the
///   user asked for, with the exit code beneath it;
/// - a specific failure mechanism (OOM kill, missing command, image pull, missing ConfigMap,
///   eviction, scheduling) beats exit codes and loops, which are its symptoms;
/// - an init container failure beats the main containers that never started;
/// - a deadline comes next: the time ran out, often because of one of the above;
/// - then the application's own exit, then a SIGKILL/SIGTERM from outside, then a bare loop;
/// - `unknown` is last, and is dropped when anything else explains the failure;
/// - a finding unsure of itself (confidence below 50: an old event superseded by a newer state,
///   a hypothetical) never outranks a confident one.
pub fn priority(cause: Cause) -> (u8, &'static str) {
    match cause {
        Cause::ApiserverUnreachable
        | Cause::EtcdClusterIdMismatch
        | Cause::SwapEnabled
        | Cause::HpaMissingCpuRequest => (90, "a cluster-level error"),
        Cause::KubeconfigInvalid => (88, "a client configuration error"),
        Cause::ManifestInvalid => (85, "a manifest the API server rejects"),
        Cause::FailedIndexes => (82, "the Job's per-index failure outcome"),
        Cause::PodFailurePolicy => (80, "the Job's own podFailurePolicy decision"),
        Cause::OomKilled
        | Cause::CommandNotFound
        | Cause::PermissionDenied
        | Cause::ImagePull
        | Cause::ConfigErrorMissingRef
        | Cause::Evicted
        | Cause::Unschedulable => (70, "a specific failure mechanism"),
        Cause::InitContainerFailed => (62, "an init container failure"),
        Cause::DeadlineExceeded => (58, "a deadline that ran out"),
        Cause::AppError => (50, "the application's own exit"),
        Cause::Crashloop => (40, "a restart loop"),
        Cause::Unknown => (20, "a symptom without a proven cause"),
    }
}

fn key(f: &Finding) -> (u8, u8, Severity) {
    // A finding that is itself unsure (e.g. an old event superseded by a newer state) does not
    // get its cause's full weight.
    let (p, _) = priority(f.cause);
    let p = if f.confidence < 50 { 15 } else { p };
    (p, f.confidence, f.severity)
}

/// Choose the primary finding by cause priority (then confidence), order the rest by severity
/// and confidence, drop `unknown` placeholders when a cause is known, and say why.
fn rank(findings: &mut Vec<Finding>) -> Vec<String> {
    let known = findings.iter().any(|f| f.cause != Cause::Unknown);
    if known {
        findings.retain(|f| !(f.cause == Cause::Unknown && f.code == "PM023"));
    }
    let Some(best) = (0..findings.len()).max_by(|&a, &b| {
        key(&findings[a])
            .cmp(&key(&findings[b]))
            // Equal keys: the earlier rule wins.
            .then(b.cmp(&a))
    }) else {
        return Vec::new();
    };
    let primary = findings.remove(best);
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.confidence.cmp(&a.confidence))
            .then(priority(b.cause).0.cmp(&priority(a.cause).0))
    });
    let mut notes = Vec::new();
    let (_, why) = priority(primary.cause);
    let mut seen = Vec::new();
    for f in findings.iter() {
        if f.cause == primary.cause || seen.contains(&f.cause) {
            continue;
        }
        seen.push(f.cause);
        let (_, other) = priority(f.cause);
        let reason = if f.confidence < 50 {
            format!(
                "the other is older or weaker evidence ({}%): the newest state and the proven cause win",
                f.confidence
            )
        } else if priority(f.cause).0 == priority(primary.cause).0 {
            format!(
                "its evidence is stronger ({}% against {}%)",
                primary.confidence, f.confidence
            )
        } else {
            format!("{why} outranks {other}")
        };
        notes.push(format!(
            "`{}` ({}) ranked above `{}` ({}): {reason}",
            primary.cause.slug(),
            primary.code,
            f.cause.slug(),
            f.code
        ));
    }
    findings.insert(0, primary);
    notes
}

/// Check each fix alone, then apply all that pass on the same manifest piece together and
/// check the result again.
fn correct(inputs: &[Input], findings: &[Finding]) -> (Option<CorrectedManifest>, Vec<Withheld>) {
    let mut withheld = Vec::new();
    let mut accepted: Vec<&fix::Fix> = Vec::new();
    for f in findings {
        let Some(fx) = &f.fix else { continue };
        let Some(input) = inputs.get(fx.region.input) else {
            continue;
        };
        match fix::check(&input.text, fx) {
            Ok(_) => {
                // Only fixes on the same manifest piece as the first accepted one are combined.
                if accepted.first().is_none_or(|a| a.region == fx.region)
                    && !accepted.iter().any(|a| a.title == fx.title)
                {
                    accepted.push(fx);
                }
            }
            Err(reason) => withheld.push(Withheld {
                title: fx.title.clone(),
                reason,
            }),
        }
    }
    let Some(first) = accepted.first() else {
        return (None, withheld);
    };
    let region = first.region;
    let Some(input) = inputs.get(region.input) else {
        return (None, withheld);
    };
    let combined = fix::Fix {
        title: accepted
            .iter()
            .map(|f| f.title.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        reasoning: Vec::new(),
        region,
        edits: accepted
            .iter()
            .flat_map(|f| f.edits.iter().cloned())
            .collect(),
        expect: accepted
            .iter()
            .flat_map(|f| f.expect.iter().cloned())
            .collect(),
    };
    match fix::check(&input.text, &combined) {
        Ok(text) => {
            let name = input
                .name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("manifest.yaml");
            let diff = diff::unified(
                region.text(&input.text),
                &combined.local_edits(),
                &format!("a/{name}"),
                &format!("b/{name}"),
            );
            let cm = CorrectedManifest {
                input: region.input,
                region,
                text,
                diff,
                reconstructed: false,
                applied: accepted
                    .iter()
                    .map(|f| (f.title.clone(), f.reasoning.clone()))
                    .collect(),
            };
            (Some(cm), withheld)
        }
        Err(reason) => {
            withheld.push(Withheld {
                title: combined.title,
                reason,
            });
            (None, withheld)
        }
    }
}

impl Report {
    /// 0 when nothing is wrong, 1 when problems were found (the CLI's exit status).
    pub fn exit_code(&self) -> i32 {
        i32::from(
            self.findings
                .iter()
                .any(|f| f.severity >= Severity::Warning),
        )
    }
}

#[cfg(test)]
mod ranking_tests {
    use super::*;

    fn f(code: &'static str, cause: Cause, severity: Severity, confidence: u8) -> Finding {
        Finding {
            code,
            name: "test",
            cause,
            severity,
            confidence,
            message: String::new(),
            help: String::new(),
            evidence: Vec::new(),
            next_steps: Vec::new(),
            chain: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn a_specific_cause_beats_exit_codes_loops_and_symptoms() {
        let mut v = vec![
            f("PM023", Cause::Unknown, Severity::Warning, 30),
            f("PM009", Cause::Crashloop, Severity::Error, 60),
            f("PM007", Cause::AppError, Severity::Error, 85),
            f("PM001", Cause::OomKilled, Severity::Error, 70),
        ];
        let notes = rank(&mut v);
        assert_eq!(v[0].cause, Cause::OomKilled);
        // `unknown` is dropped once a cause is known; the rest by severity and confidence.
        assert!(!v.iter().any(|x| x.code == "PM023"));
        assert_eq!(v[1].code, "PM007");
        assert_eq!(v[2].code, "PM009");
        assert!(notes
            .iter()
            .any(|n| n.contains("`oom-killed` (PM001) ranked above `app-error`")));
    }

    #[test]
    fn old_evidence_loses_to_the_newest_state() {
        let mut v = vec![
            f("PM015", Cause::Unschedulable, Severity::Error, 45),
            f("PM007", Cause::AppError, Severity::Error, 70),
        ];
        let notes = rank(&mut v);
        assert_eq!(v[0].cause, Cause::AppError);
        assert!(notes.iter().any(|n| n.contains("older or weaker")));
    }

    #[test]
    fn job_outcomes_and_cluster_errors_come_first() {
        let mut v = vec![
            f("PM007", Cause::AppError, Severity::Error, 90),
            f("PM016", Cause::PodFailurePolicy, Severity::Error, 80),
            f("PM017", Cause::FailedIndexes, Severity::Error, 80),
        ];
        rank(&mut v);
        assert_eq!(v[0].cause, Cause::FailedIndexes);
        let mut v = vec![
            f("PM020", Cause::KubeconfigInvalid, Severity::Error, 70),
            f("PM018", Cause::ApiserverUnreachable, Severity::Error, 92),
        ];
        rank(&mut v);
        assert_eq!(v[0].cause, Cause::ApiserverUnreachable);
    }

    #[test]
    fn only_unknown_stays_unknown() {
        let mut v = vec![f("PM023", Cause::Unknown, Severity::Warning, 30)];
        assert!(rank(&mut v).is_empty());
        assert_eq!(v[0].code, "PM023");
        let mut none: Vec<Finding> = Vec::new();
        assert!(rank(&mut none).is_empty());
    }
}
