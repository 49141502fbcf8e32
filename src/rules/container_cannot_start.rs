use super::common::{
    exit_class, finding, signals, steps, terminated, waiting_reason, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{EvidenceList, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Finds containers the runtime could not start: reason `StartError` or
    /// `ContainerCannotRun` with exit code 128, or waiting in `RunContainerError`, when the
    /// paste does not name a missing program (then `command-not-found` reports it) or a
    /// permission problem (`permission-denied`).
    ///
    /// ## Why is this bad?
    /// The process never ran: the runtime failed to exec the entrypoint (a bad path, a missing
    /// binary, a working directory or mount that does not exist, a wrong architecture).
    /// Retrying gives the same result.
    ///
    /// ## Evidence
    /// The `Reason: StartError` / `ContainerCannotRun` line (primary), the `Exit Code: 128`
    /// line and the runtime's `Message:`.
    ///
    /// ## Example
    /// ```text
    ///     Last State:     Terminated
    ///       Reason:       StartError
    ///       Message:      failed to create containerd task: ... no such file or directory
    ///       Exit Code:    128
    /// ```
    ///
    /// ## Use instead
    /// Read the runtime message in full (`kubectl describe pod`), check the image's entrypoint
    /// (`docker inspect`), `workingDir`, `command` and volume mounts.
    ///
    /// ## Fix safety
    /// No manifest change is proposed.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/
    pub static META = {
        code: "PM006",
        name: "container-cannot-start",
        cause: Cause::CommandNotFound,
        needs: &[Need::PodStatus],
    }
}

pub struct ContainerCannotStart;

impl Rule for ContainerCannotStart {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        if signals(ctx, SignalKind::ExecNotFound).next().is_some()
            || signals(ctx, SignalKind::PermissionDenied).next().is_some()
        {
            return Vec::new();
        }
        let mut out = Vec::new();
        for pod in &ctx.facts.pods {
            for c in pod.all_containers() {
                // The runtime failing to set the container up (its shim or task, a cancelled
                // context) names no command of the user's: that start error is not this cause.
                let state = terminated(c).find(|s| {
                    exit_class(s) == Exit::StartFailed
                        && !s.message.as_ref().is_some_and(|m| runtime_setup(&m.value))
                });
                let waiting = waiting_reason(c).filter(|r| r.value == "RunContainerError");
                let t = Target::from_pod(ctx, pod, Some(c));
                let mut evidence = Vec::new();
                let mut detail = String::new();
                if let Some(s) = state {
                    if let Some(r) = &s.reason {
                        evidence.primary(&r.span, "the runtime could not start the process");
                    }
                    if let Some(ec) = &s.exit_code {
                        evidence.context(&ec.span, "exit code 128: start failed");
                    }
                    if let Some(m) = &s.message {
                        evidence.context(&m.span, "the runtime's error");
                        let m: String = m.value.trim().chars().take(160).collect();
                        detail = format!(": {m}");
                    }
                } else if let Some(w) = waiting {
                    evidence.primary(&w.span, "the runtime could not start the container");
                } else {
                    continue;
                }
                out.push(finding(
                    &META,
                    80,
                    format!("the runtime could not start {}{detail}", t.container_label()),
                    "exit code 128 with `StartError`/`ContainerCannotRun` means the process was never executed: check the entrypoint path, `command`, `workingDir` and the mounts the runtime message names. retrying does not help".into(),
                    evidence,
                    steps([t.describe_pod(), Some(t.events())]),
                    t.chain(&["StartError", "exit 128"]),
                ));
            }
        }
        out
    }
}

/// A runtime message about the runtime's own plumbing rather than the process it was to start:
/// a call to containerd cancelled or timed out before any OCI runtime ran (`failed to create
/// shim: context canceled`). An OCI runtime's error (`runc create failed: …`) is about the
/// container's own command or mounts.
fn runtime_setup(message: &str) -> bool {
    let l = message.to_ascii_lowercase();
    !l.contains("oci runtime")
        && !l.contains("runc")
        && (crate::wording::any_in(
            &l,
            crate::wording::phrases!["context canceled", "context deadline exceeded"],
        ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_runtimes_own_setup_failure_names_no_command() {
        let shim = "    State:          Terminated\n      Reason:       StartError\n      Message:      failed to create containerd task: failed to create shim: context canceled: unknown\n      Exit Code:    128\n";
        assert_ne!(
            crate::rules::primary_of(shim),
            crate::cause::Cause::CommandNotFound
        );
        let exec = shim.replace(
            "failed to create shim: context canceled: unknown",
            "OCI runtime create failed: runc create failed: unable to start container process: exec: \"/app/run\": stat /app/run: no such file or directory: unknown",
        );
        assert_eq!(
            crate::rules::primary_of(&exec),
            crate::cause::Cause::CommandNotFound
        );
    }
}
