use super::common::{
    ended, finding, last_app_error, signal_exit_evidence, signal_name, steps, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::{Evidence, EvidenceList, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Finds containers that died from a signal raised by the process itself or its runtime:
    /// exit 134 (SIGABRT: `abort()`, a failed assertion, a C++ exception, a JVM crash), 139
    /// (SIGSEGV: a segmentation fault) and other 128+n codes except 137/143, which
    /// `container-killed-not-oom` covers.
    ///
    /// ## Why is this bad?
    /// The program crashed: a bug, a corrupt input, an incompatible native library or CPU
    /// architecture. It fails the same way on every retry, so more retries do not help.
    ///
    /// ## Evidence
    /// The `Exit Code:` line (primary), the `Reason:` line, and the last error line of the logs.
    ///
    /// ## Example
    /// ```text
    ///     Last State:     Terminated
    ///       Reason:       Error
    ///       Exit Code:    139
    /// ```
    ///
    /// ## Use instead
    /// Read `kubectl logs --previous` for the crash site; check that the image matches the node's
    /// architecture and that native libraries match the base image; reproduce with the same input.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: the fix is in the program or the image.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states
    pub static META = {
        code: "PM005",
        name: "container-crashed-by-signal",
        cause: Cause::AppError,
        needs: &[Need::PodStatus],
    }
}

pub struct ContainerCrashedBySignal;

impl Rule for ContainerCrashedBySignal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        for (pod, c, state, class) in ended(ctx, true) {
            let Exit::Signal(code) = class else {
                continue;
            };
            let t = Target::from_pod(ctx, pod, Some(c));
            let sig = signal_name(code - 128);
            let what = match code {
                134 => "aborted (SIGABRT: abort(), a failed assertion or an unhandled native exception)",
                139 => "crashed with a segmentation fault (SIGSEGV)",
                _ => "was ended by a signal",
            };
            let mut evidence: Vec<Evidence> =
                signal_exit_evidence(state, code).into_iter().collect();
            if let Some(r) = &state.reason {
                evidence.context(&r.span, format!("reason `{}`", r.value));
            }
            if let Some(l) = last_app_error(ctx) {
                evidence.context(&l.span, "the last error before the crash");
            }
            out.push(finding(
                &META,
                80,
                format!("{} {what}, exit code {code}", t.container_label()),
                format!(
                    "the process itself crashed with {sig}: a bug, a corrupt input, or a native library or image built for another CPU architecture. \
                     it fails the same way on every retry: do not raise `backoffLimit` or memory; read the previous logs for the crash site"
                ),
                evidence,
                steps([t.logs_previous(), t.describe_pod(), t.describe_job()]),
                t.chain(&[&format!("exit {code}"), sig]),
            ));
        }
        out
    }
}
