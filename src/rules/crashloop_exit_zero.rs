use super::common::{crashlooping, ended, finding, steps, waiting_reason, Exit, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::{Evidence, EvidenceList, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Finds containers in a restart loop whose last run ended with exit code 0 (`Reason:
    /// Completed`): the process finished successfully, and the kubelet restarted it because
    /// the pod's `restartPolicy` is `Always`. Also a `kubectl get pods --watch` listing the same
    /// pod both as `Completed` and as `CrashLoopBackOff`.
    ///
    /// ## Why is this bad?
    /// A Deployment, ReplicaSet or DaemonSet expects a process that keeps running. An image
    /// whose default command ends at once (`centos`, `busybox`, `ubuntu` run `bash`/`sh` without
    /// a terminal), or a one-shot script, exits 0 and the kubelet restarts it with growing
    /// back-off: `CrashLoopBackOff` without any error. More memory or retries do not change it.
    ///
    /// ## Evidence
    /// The `Reason: CrashLoopBackOff` line (primary), `Reason: Completed`, `Exit Code: 0`,
    /// `Restart Count:` and the container's `Image:`.
    ///
    /// ## Example
    /// ```text
    ///     Image:          centos
    ///     State:          Waiting
    ///       Reason:       CrashLoopBackOff
    ///     Last State:     Terminated
    ///       Reason:       Completed
    ///       Exit Code:    0
    ///     Restart Count:  6
    /// ```
    ///
    /// ## Use instead
    /// Give the container a long-running command (the server it should run), or, if the work is
    /// meant to finish, run it as a Job (`restartPolicy: Never` or `OnFailure`).
    ///
    /// ## Fix safety
    /// No manifest change is proposed: only the owner knows which command should run.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/
    pub static META = {
        code: "PM008",
        name: "crashloop-exit-zero",
        cause: Cause::Crashloop,
        needs: &[Need::PodStatus],
    }
}

pub struct CrashloopExitZero;

impl Rule for CrashloopExitZero {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        for (pod, c, state, class) in ended(ctx, false) {
            if class != Exit::Zero {
                continue;
            }
            let restarts = c.restart_count.as_ref().map(|r| r.value).unwrap_or(0);
            // A last state exists only once the container was restarted: after a clean exit,
            // only `restartPolicy: Always` does that.
            let last = c
                .last_state
                .as_ref()
                .filter(|l| std::ptr::eq(*l, state) && c.restart_count.is_none());
            if !crashlooping(ctx, c) && restarts == 0 && last.is_none() {
                continue;
            }
            let t = Target::from_pod(ctx, pod, Some(c));
            let mut evidence = Vec::new();
            match waiting_reason(c) {
                Some(w) => evidence.primary(&w.span, "the kubelet is backing off restarts"),
                None => {
                    if let Some(r) = &c.restart_count {
                        evidence.primary(&r.span, "restarted again and again");
                    } else if let Some(l) = last {
                        evidence.primary(&l.kind.span, "a last state: the container was restarted");
                    }
                }
            }
            if let Some(r) = &state.reason {
                evidence.context(&r.span, "the last run finished normally");
            }
            if let Some(ec) = &state.exit_code {
                evidence.context(&ec.span, "exit code 0: success, not a crash");
            }
            if let Some(r) = &c.restart_count {
                if !evidence.iter().any(|e| e.span == r.span) {
                    evidence.context(&r.span, format!("{} restarts", r.value));
                }
            }
            let mut image_note = String::new();
            if let Some(img) = &c.image {
                evidence.context(&img.span, "the image's default command runs here");
                if c.command.is_empty() && c.args.is_empty() {
                    image_note = format!(
                        " no `command` is set, so the default command of `{}` ran and ended.",
                        img.value
                    );
                }
            }
            out.push(finding(
                &META,
                85,
                match last {
                    Some(_) => format!(
                        "{} exits with code 0 and is restarted",
                        t.container_label()
                    ),
                    None => format!(
                        "{} exits with code 0 and is restarted in a loop ({restarts} restarts)",
                        t.container_label()
                    ),
                },
                format!(
                    "the process completes instead of staying up, and `restartPolicy: Always` restarts it with growing back-off.{image_note} \
                     give it a long-running command, or run one-shot work as a Job; more memory or retries do not help"
                ),
                evidence,
                steps([t.logs_previous(), t.describe_pod()]),
                t.chain(&[
                    if last.is_some() { "restarted" } else { "CrashLoopBackOff" },
                    "Completed",
                    "exit 0",
                ]),
            ));
        }
        if out.is_empty() {
            out.extend(watched_rows(ctx));
        }
        if out.is_empty() {
            out.extend(one_line_status(ctx));
        }
        out
    }
}

/// Rancher's one-line pod state: `CrashLoopBackOff (back-off 5m0s restarting failed
/// container=c pod=p_ns(uid)) | Last state: Terminated with : Completed, started: …`.
fn one_line_status(ctx: &Context) -> Option<Finding> {
    let sig = crate::rules::common::distinct(ctx, crate::facts::SignalKind::CrashLoop)
        .into_iter()
        .find(|s| {
            crate::rules::common::span_text(ctx, &s.line)
                .to_ascii_lowercase()
                .contains("last state: terminated with : completed")
        })?;
    let line = crate::rules::common::span_text(ctx, &sig.line);
    let mut t = Target::guess(ctx);
    if let Some(c) = crate::rules::common::value_after(line, "container=") {
        t.container = crate::rules::common::real(c).map(str::to_string);
    }
    if let Some(p) = crate::rules::common::value_after(line, " pod=") {
        // `name_namespace(uid)`
        let p = p.split('(').next().unwrap_or(p);
        if let Some((name, ns)) = p.rsplit_once('_') {
            t.pod = crate::rules::common::real(name).map(str::to_string);
            t.namespace = crate::rules::common::real(ns).map(str::to_string);
        }
    }
    Some(finding(
        &META,
        80,
        format!("{} exits with code 0 and is restarted in a loop", t.container_label()),
        "its last run ended `Completed` (exit 0) and the kubelet is backing off restarts: the process completes instead of staying up, and `restartPolicy: Always` restarts it. \
         give it a long-running command, or run one-shot work as a Job; more memory or retries do not help".into(),
        vec![Evidence::primary(
            sig.line,
            "backing off restarts; the last run `Completed`",
        )],
        steps([t.logs_previous(), t.describe_pod()]),
        t.chain(&["CrashLoopBackOff", "Completed", "exit 0"]),
    ))
}

/// `kubectl get pods --watch` (or lists taken one after another) showing one pod going from
/// `Completed` to `CrashLoopBackOff`: its container ended with exit 0 and was restarted, which
/// only `restartPolicy: Always` does. The rows are the whole evidence; no describe is needed.
fn watched_rows(ctx: &Context) -> Option<Finding> {
    let rows = &ctx.facts.pod_rows;
    let looping = rows.iter().find(|r| {
        r.status.value == "CrashLoopBackOff" && {
            let name = &r.name.value;
            rows.iter()
                .any(|o| o.name.value == *name && o.status.value == "Completed")
        }
    })?;
    let completed = rows
        .iter()
        .find(|o| o.name.value == looping.name.value && o.status.value == "Completed")?;
    let t = Target::from_row(ctx, looping);
    let restarts = looping.restarts.as_ref().map(|r| r.value).unwrap_or(0);
    Some(finding(
        &META,
        70,
        format!(
            "pod {} finishes (`Completed`) and is restarted in a loop ({restarts} restarts)",
            looping.name.value
        ),
        "the same pod is listed both as `Completed` and as `CrashLoopBackOff`: its container ends with exit 0 and `restartPolicy: Always` restarts it with growing back-off. \
         give it a long-running command, or run one-shot work as a Job; more memory or retries do not help".into(),
        vec![
            Evidence::primary(&looping.line, "the kubelet is backing off restarts"),
            Evidence::context(&completed.line, "the run before ended normally (exit 0)"),
        ],
        steps([t.logs_previous(), t.describe_pod()]),
        t.chain(&["CrashLoopBackOff", "Completed", "exit 0"]),
    ))
}

#[cfg(test)]
mod tests {
    use crate::cause::Cause;

    use crate::rules::primary_of as primary;

    #[test]
    fn watched_pod_completed_then_backing_off() {
        let watch = "NAME    READY   STATUS             RESTARTS   AGE\nweb     0/1     CrashLoopBackOff   12         43m\nweb     1/1     Running            13         44m\nweb     0/1     Completed          13         44m\n";
        assert_eq!(primary(watch), Cause::Crashloop);
        // Backing off alone says nothing about how the container ended.
        let alone = "NAME    READY   STATUS             RESTARTS   AGE\nweb     0/1     CrashLoopBackOff   12         43m\n";
        assert_eq!(primary(alone), Cause::Unknown);
        // A Job's pod that completed next to another pod backing off is no exit-0 loop.
        let two = "NAME    READY   STATUS             RESTARTS   AGE\nweb     0/1     CrashLoopBackOff   12         43m\nbatch   0/1     Completed          0          44m\n";
        assert_ne!(primary(two), Cause::Crashloop);
    }

    #[test]
    fn a_last_state_after_a_clean_exit_is_a_restart() {
        // A last state exists only after a restart; after exit 0 only `Always` restarts.
        let fragment = "    Last State:     Terminated\n      Reason:       Completed\n      Exit Code:    0\n";
        assert_eq!(primary(fragment), Cause::Crashloop);
        // A finished run with no last state is a success, not a loop.
        let done = "    State:          Terminated\n      Reason:       Completed\n      Exit Code:    0\n";
        assert_ne!(primary(done), Cause::Crashloop);
        // A last state after a failure is that failure, not an exit-0 loop.
        let failed =
            "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n";
        assert_ne!(primary(failed), Cause::Crashloop);
    }

    #[test]
    fn rancher_one_line_state() {
        let line = "CrashLoopBackOff (back-off 5m0s restarting failed container=container-0 pod=web-577587b9bf-jbl8k_default(6a514d22-c7a7-405a-a2f7-2f57b6e39358)) | Last state: Terminated with : Completed, started: Thu, Dec 28 2023 9:48:26 am, finished: Thu, Dec 28 2023 9:48:26 am\n";
        assert_eq!(primary(line), Cause::Crashloop);
        // The same loop after an error exit is not an exit-0 loop.
        let error = line.replace(": Completed,", ": Error,");
        assert_ne!(
            crate::rules::primary_of(&error),
            Cause::Crashloop,
            "an Error exit names no exit-0 loop"
        );
    }
}
