//! The report: findings ranked, the primary cause chosen, the fixes checked and combined into
//! one corrected manifest, and renderers for text, JSON and Markdown.

pub mod json;
pub mod markdown;
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

#[derive(Debug, Clone)]
pub struct Report {
    pub inputs: Vec<InputSummary>,
    /// Ranked: the first finding names the primary cause.
    pub findings: Vec<Finding>,
    pub primary_cause: Cause,
    pub summary: String,
    pub corrected_manifest: Option<CorrectedManifest>,
    pub withheld: Vec<Withheld>,
    pub notes: Vec<crate::facts::ParseNote>,
}

#[derive(Debug, Clone)]
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
    rank(&mut findings);
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
    }
}

/// Severity first, then confidence; stable otherwise (rule order).
fn rank(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.confidence.cmp(&a.confidence))
    });
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
        snippets: Vec::new(),
        refused: None,
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
