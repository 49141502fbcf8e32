//! The rule catalogue. One rule per file, each with a stable code, a kebab-case name that reads
//! as the problem, its documentation as data, the inputs it needs, a detection, the wording, and
//! an optional fix builder. [`ALL`] registers them; there is no central dispatcher.

// `Evidence::primary`/`context` take `impl Borrow<Span>` and the rules pass `&span`: clippy
// calls the borrow needless, but a span passed by value is copied before every call.
#![allow(clippy::needless_borrows_for_generic_args)]

use crate::cause::Cause;
use crate::facts::Facts;
use crate::findings::Finding;
use crate::Input;

mod apiserver_unreachable;
mod app_error_exit;
mod cause_not_determined;
mod command_not_found;
mod common;
mod config_ref_missing;
mod container_cannot_start;
mod container_crashed_by_signal;
mod container_killed_not_oom;
mod container_oom_killed;
mod crashloop_backoff;
mod crashloop_exit_zero;
mod etcd_cluster_id_mismatch;
mod hpa_missing_cpu_request;
mod image_pull_failed;
mod init_container_failed;
mod job_deadline_exceeded;
mod job_failed_indexes;
mod job_per_index_without_indexed;
mod job_pod_failure_policy_invalid;
pub mod job_rejected_by_api;
mod job_restart_policy_invalid;
mod job_spec_invalid;
mod kubeadm_swap_enabled;
mod kubeconfig_invalid;
pub mod manifest_problems;
mod permission_denied;
mod pod_evicted;
mod pod_failure_policy_matched;
mod pod_template_without_containers;
mod pod_unschedulable;

/// What a rule reads. The app uses this to say which paste would let more rules run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `kubectl describe pod` or a pod's status YAML.
    PodStatus,
    /// Container or component logs.
    Logs,
    /// A Job (or other workload) manifest.
    Manifest,
    /// Events.
    Events,
    /// Output of kubectl, kubeadm, etcd or another cluster component (errors, logs).
    ClusterOutput,
}

impl Need {
    pub fn describe(self) -> &'static str {
        match self {
            Need::PodStatus => "`kubectl describe pod` output",
            Need::Logs => "container logs (`kubectl logs --previous`)",
            Need::Manifest => "the Job manifest (YAML)",
            Need::Events => "events (`kubectl get events`)",
            Need::ClusterOutput => "kubectl, kubeadm or cluster component output",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub cause: Cause,
    /// Any one of these inputs lets the rule run.
    pub needs: &'static [Need],
    /// Markdown with the sections What it does / Why is this bad? / Evidence / Example /
    /// Use instead / Fix safety / References.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The documentation section under `## <title>`, trimmed.
    pub fn section(&self, title: &str) -> Option<&'static str> {
        let marker = format!("## {title}\n");
        let start = self.docs.find(&marker)? + marker.len();
        let rest = &self.docs[start..];
        // Doc comments keep the space after `///`, so headings read ` ## …` in `docs`.
        let end = [rest.find("\n## "), rest.find("\n ## ")]
            .into_iter()
            .flatten()
            .min()
            .map(|e| e + 1)
            .unwrap_or(rest.len());
        Some(rest[..end].trim())
    }
}

/// What a rule sees.
pub struct Context<'a> {
    pub inputs: &'a [Input],
    pub facts: &'a Facts,
    /// The API server's `<Kind> "<name>" is invalid: …` rejections in each input, read once:
    /// the job-rejected-by-api rule reports them and the manifest rules cite them as evidence.
    api_invalid: Vec<Vec<job_rejected_by_api::ApiInvalid>>,
}

impl<'a> Context<'a> {
    pub fn new(inputs: &'a [Input], facts: &'a Facts) -> Self {
        let api_invalid = inputs
            .iter()
            .enumerate()
            .map(|(n, i)| job_rejected_by_api::find_api_invalid(&i.text, n))
            .collect();
        Context {
            inputs,
            facts,
            api_invalid,
        }
    }
}

impl Context<'_> {
    pub fn text(&self, input: usize) -> &str {
        self.inputs
            .get(input)
            .map(|i| i.text.as_str())
            .unwrap_or("")
    }
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context) -> Vec<Finding>;
}

/// Declare a rule's metadata with its documentation written as doc comments.
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* $vis:vis static $ident:ident = { code: $code:literal, name: $name:literal, cause: $cause:expr, needs: $needs:expr $(,)? }) => {
        $vis static $ident: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            cause: $cause,
            needs: $needs,
            docs: concat!($($doc, "\n"),*),
        };
    };
}

/// The primary cause podmortem gives for one pasted text: the rules' tests check it.
#[cfg(test)]
pub(crate) fn primary_of(text: &str) -> Cause {
    crate::diagnose(&[Input::new("paste".to_string(), text.to_string())]).primary_cause
}

/// Every rule, in code order.
pub static ALL: &[&dyn Rule] = &[
    &container_oom_killed::ContainerOomKilled,
    &container_killed_not_oom::ContainerKilledNotOom,
    &command_not_found::CommandNotFound,
    &permission_denied::PermissionDenied,
    &container_crashed_by_signal::ContainerCrashedBySignal,
    &container_cannot_start::ContainerCannotStart,
    &app_error_exit::AppErrorExit,
    &crashloop_exit_zero::CrashloopExitZero,
    &crashloop_backoff::CrashloopBackoff,
    &image_pull_failed::ImagePullFailed,
    &job_deadline_exceeded::JobDeadlineExceeded,
    &init_container_failed::InitContainerFailed,
    &config_ref_missing::ConfigRefMissing,
    &pod_evicted::PodEvicted,
    &pod_unschedulable::PodUnschedulable,
    &pod_failure_policy_matched::PodFailurePolicyMatched,
    &job_failed_indexes::JobFailedIndexes,
    &apiserver_unreachable::ApiserverUnreachable,
    &hpa_missing_cpu_request::HpaMissingCpuRequest,
    &kubeconfig_invalid::KubeconfigInvalid,
    &etcd_cluster_id_mismatch::EtcdClusterIdMismatch,
    &kubeadm_swap_enabled::KubeadmSwapEnabled,
    &cause_not_determined::CauseNotDetermined,
    &job_restart_policy_invalid::JobRestartPolicyInvalid,
    &job_pod_failure_policy_invalid::JobPodFailurePolicyInvalid,
    &job_per_index_without_indexed::JobPerIndexWithoutIndexed,
    &pod_template_without_containers::PodTemplateWithoutContainers,
    &job_spec_invalid::JobSpecInvalid,
    &job_rejected_by_api::JobRejectedByApi,
];

pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code_or_name) || r.meta().name == code_or_name)
}

/// Run every rule.
pub fn run(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in ALL {
        out.extend(r.check(ctx));
    }
    out
}

/// The catalogue as Markdown (`docs/rules.md`).
pub fn catalogue_markdown() -> String {
    let mut out = String::from("# podmortem rules\n\n<!-- generated by `cargo run -- rules --markdown`; a test checks it is current -->\n\n| code | name | cause | needs |\n| --- | --- | --- | --- |\n");
    for r in ALL {
        let m = r.meta();
        let needs: Vec<&str> = m.needs.iter().map(|n| n.describe()).collect();
        out.push_str(&format!(
            "| {} | `{}` | `{}` | {} |\n",
            m.code,
            m.name,
            m.cause.slug(),
            needs.join(", ")
        ));
    }
    for r in ALL {
        let m = r.meta();
        out.push_str(&format!("\n## {} `{}`\n\n", m.code, m.name));
        // Demote the rule's own section headings one level.
        for line in m.docs.lines() {
            let line = line.strip_prefix(' ').unwrap_or(line);
            if let Some(h) = line.strip_prefix("## ") {
                out.push_str(&format!("### {h}\n"));
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_ends_at_the_next_heading() {
        let why = container_oom_killed::META
            .section("Why is this bad?")
            .unwrap_or("");
        assert!(why.starts_with("The process used more memory"), "{why}");
        assert!(!why.contains("## Evidence"), "{why}");
    }

    #[test]
    fn every_rule_is_documented() {
        let mut codes = std::collections::HashSet::new();
        for r in ALL {
            let m = r.meta();
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(
                m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                m.name
            );
            for s in [
                "What it does",
                "Why is this bad?",
                "Evidence",
                "Example",
                "Use instead",
                "Fix safety",
                "References",
            ] {
                let body = m.section(s).unwrap_or("");
                assert!(!body.is_empty(), "{} has no `{s}` section", m.code);
            }
            assert!(
                m.section("References")
                    .unwrap_or("")
                    .contains("kubernetes.io"),
                "{} has no kubernetes.io reference",
                m.code
            );
            assert!(!m.needs.is_empty(), "{} declares no inputs", m.code);
        }
    }
}
