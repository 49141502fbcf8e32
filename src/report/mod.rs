//! The report: findings ranked, the primary cause chosen, the fixes checked and combined into
//! one corrected manifest, and renderers for text, JSON and Markdown.

pub mod json;
pub mod markdown;
pub mod reconstruct;
pub mod sarif;
pub mod text;
pub mod wire;

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
    /// For a reconstructed manifest: what the describe output did not show.
    pub unrecovered: Vec<String>,
}

/// Commands or configuration to use (fixes that are not manifest edits, and the commands
/// that come with a withheld edit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// The finding's rule code.
    pub code: &'static str,
    pub title: String,
    pub reasoning: Vec<String>,
    pub snippets: Vec<fix::Snippet>,
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
    /// Commands and configuration snippets, with real names from the paste.
    pub advice: Vec<Advice>,
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
    let ctx = Context::new(inputs, &facts);
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
    // No manifest pasted: rebuild one from the describe output and take the fixes the rules
    // propose on it (the findings themselves come from what was pasted).
    let mut all_inputs = inputs.to_vec();
    let mut unrecovered = Vec::new();
    if let Some(rec) = reconstruct::reconstruct(&facts, inputs) {
        let mut with = inputs.to_vec();
        with.push(Input::new(reconstruct::INPUT_NAME, rec.text));
        let again = parse(&with).facts;
        let ctx2 = Context::new(&with, &again);
        let proposals = rules::run(&ctx2);
        let mut used = false;
        for f in findings.iter_mut().filter(|f| f.fix.is_none()) {
            let found = proposals.iter().find(|g| {
                g.code == f.code
                    && g.message == f.message
                    && g.fix
                        .as_ref()
                        .is_some_and(|x| x.region.input == inputs.len())
            });
            if let Some(g) = found {
                f.fix = g.fix.clone();
                used = true;
            }
        }
        if used {
            all_inputs = with;
            unrecovered = rec.unrecovered;
        }
    }
    let (mut corrected_manifest, withheld, advice) = correct(&all_inputs, &findings);
    if let Some(m) = corrected_manifest.as_mut() {
        if m.input >= inputs.len() {
            m.reconstructed = true;
            m.unrecovered = unrecovered;
        }
    }
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
        advice,
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
    crate::order::sort_by(findings, |a, b| {
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

/// The inputs with `region` replaced by `text`.
fn replaced(inputs: &[Input], region: Span, text: &str) -> Vec<Input> {
    let mut out = inputs.to_vec();
    if let Some(i) = out.get_mut(region.input) {
        let mut t = String::with_capacity(i.text.len() + text.len());
        t.push_str(i.text.get(..region.start).unwrap_or(""));
        t.push_str(text);
        t.push_str(i.text.get(region.end..).unwrap_or(""));
        i.text = t;
    }
    out
}

/// Run the rules again on the corrected manifest and return the findings (by index into
/// `applied`) whose problem is still reported from the manifest, or whose fix proposes the
/// same change again: those fixes did not fix what they claim. (A fix whose value starts from
/// the manifest, e.g. an OOM seen only in logs, may propose a further change on a second run;
/// that is not taken as a failure here, the builders document it.)
fn not_converged(
    inputs: &[Input],
    region: Span,
    corrected: &str,
    applied: &[&Finding],
) -> Vec<usize> {
    let new_inputs = replaced(inputs, region, corrected);
    let new_region = Span::new(region.input, region.start, region.start + corrected.len());
    let facts = parse(&new_inputs).facts;
    let ctx = Context::new(&new_inputs, &facts);
    let again = rules::run(&ctx);
    let inside = |s: &Span| {
        s.input == new_region.input && s.start >= new_region.start && s.end <= new_region.end
    };
    applied
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            again.iter().any(|g| {
                g.code == f.code
                    && ((g.message == f.message
                        && !g.evidence.is_empty()
                        && g.evidence.iter().all(|e| inside(&e.span)))
                        || g.fix.as_ref().is_some_and(|x| {
                            // The same change proposed again: the edit did not take.
                            x.region == new_region
                                && !x.edits.is_empty()
                                && f.fix.as_ref().is_some_and(|o| o.title == x.title)
                        }))
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Check each fix alone, then apply all that pass on the same manifest piece together, check
/// the result again, and re-run the diagnosis on it: a fix whose problem is still reported is
/// withheld. Fixes without manifest edits become advice.
fn correct(
    inputs: &[Input],
    findings: &[Finding],
) -> (Option<CorrectedManifest>, Vec<Withheld>, Vec<Advice>) {
    let mut withheld = Vec::new();
    let mut advice: Vec<Advice> = Vec::new();
    let mut accepted: Vec<&Finding> = Vec::new();
    for f in findings {
        let Some(fx) = &f.fix else { continue };
        if !fx.snippets.is_empty() && !advice.iter().any(|a| a.title == fx.title) {
            advice.push(Advice {
                code: f.code,
                title: fx.title.clone(),
                reasoning: if fx.edits_manifest() {
                    Vec::new()
                } else {
                    fx.reasoning.clone()
                },
                snippets: fx.snippets.clone(),
            });
        }
        if !fx.edits_manifest() && fx.refused.is_none() {
            continue;
        }
        let Some(input) = inputs.get(fx.region.input) else {
            continue;
        };
        match fix::check(&input.text, fx) {
            Ok(_) => {
                let same_region = accepted
                    .first()
                    .and_then(|a| a.fix.as_ref())
                    .is_none_or(|a| a.region == fx.region);
                let duplicate = accepted
                    .iter()
                    .any(|a| a.fix.as_ref().is_some_and(|a| a.title == fx.title));
                if duplicate {
                    continue;
                }
                if same_region {
                    accepted.push(f);
                } else {
                    withheld.push(Withheld {
                        title: fx.title.clone(),
                        reason: "it applies to another manifest than the one corrected".into(),
                    });
                }
            }
            Err(reason) => withheld.push(Withheld {
                title: fx.title.clone(),
                reason,
            }),
        }
    }
    // Combine, check, re-diagnose; drop what does not converge and try again.
    loop {
        let fixes: Vec<&fix::Fix> = accepted.iter().filter_map(|f| f.fix.as_ref()).collect();
        let Some(first) = fixes.first() else {
            return (None, withheld, advice);
        };
        let region = first.region;
        let Some(input) = inputs.get(region.input) else {
            return (None, withheld, advice);
        };
        let combined = fix::Fix {
            title: fixes
                .iter()
                .map(|f| f.title.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            reasoning: Vec::new(),
            region,
            edits: fixes.iter().fold(Vec::new(), |mut all, f| {
                all.extend_from_slice(&f.edits);
                all
            }),
            expect: fixes.iter().fold(Vec::new(), |mut all, f| {
                all.extend_from_slice(&f.expect);
                all
            }),
            snippets: Vec::new(),
            refused: None,
        };
        let text = match fix::check(&input.text, &combined) {
            Ok(text) => text,
            Err(reason) => {
                withheld.push(Withheld {
                    title: combined.title,
                    reason,
                });
                return (None, withheld, advice);
            }
        };
        let stuck = not_converged(inputs, region, &text, &accepted);
        if !stuck.is_empty() {
            for i in stuck.iter().rev() {
                let f = accepted.remove(*i);
                withheld.push(Withheld {
                    title: f.fix.as_ref().map(|x| x.title.clone()).unwrap_or_default(),
                    reason: format!(
                        "after the change the diagnosis still reports `{}`: {}",
                        f.name, f.message
                    ),
                });
            }
            continue;
        }
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
            applied: fixes
                .iter()
                .map(|f| (f.title.clone(), f.reasoning.clone()))
                .collect(),
            unrecovered: Vec::new(),
        };
        return (Some(cm), withheld, advice);
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
