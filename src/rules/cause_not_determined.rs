use super::common::{distinct, finding, last_app_error, rows_with, span_text, steps, Target};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::parse::cluster::json_str;
use crate::parse::logs::klog_level;
use crate::span::{lines, Span};

crate::declare_rule! {
    /// ## What it does
    /// Reports symptoms without a provable cause: a Job's `BackoffLimitExceeded`, `Pods
    /// Statuses: … Failed`, or pods listed as `CrashLoopBackOff`/`Error`/`Failed` with nothing
    /// that says why. It answers `unknown` on purpose and asks for the specific output that
    /// would show the cause, with the real names from the paste. When the paste holds an error
    /// line no rule reads (a kubeadm preflight `[ERROR …]`, a program's error, kubectl's `Error
    /// from server (…)`, a component's klog line saying something failed), it quotes that line
    /// (a JSON log line by its `msg` and `error`) instead of saying that nothing shows why: the
    /// cause is still not named.
    ///
    /// ## Why is this bad?
    /// `BackoffLimitExceeded` and `CrashLoopBackOff` say that something failed repeatedly, not
    /// what. Guessing (more memory, a higher `backoffLimit`) wastes time and can hide the real
    /// problem; the container's last state, exit code, logs and events name it.
    ///
    /// ## Evidence
    /// The quoted error line, else the symptom line (primary).
    ///
    /// ## Example
    /// ```text
    /// NAME          READY   STATUS             RESTARTS   AGE
    /// web-7c9d-x2   0/1     CrashLoopBackOff   445        1d
    /// ```
    ///
    /// ## Use instead
    /// Paste `kubectl describe pod` (its `Last State`, `Exit Code` and events) and `kubectl logs
    /// --previous` for a failed pod.
    ///
    /// ## Fix safety
    /// No change is proposed: the cause is not known.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-backoff-failure-policy
    pub static META = {
        code: "PM023",
        name: "cause-not-determined",
        cause: Cause::Unknown,
        needs: &[Need::PodStatus, Need::Logs, Need::Events],
    }
}

pub struct CauseNotDetermined;

impl Rule for CauseNotDetermined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut evidence = Vec::new();
        let mut t = Target::guess(ctx);
        for s in distinct(ctx, SignalKind::BackoffLimit).into_iter().take(2) {
            evidence.context(&s.line, "the Job gave up: a symptom, not a cause");
        }
        for j in &ctx.facts.jobs {
            if let Some(ps) = j.pods_statuses.as_ref().filter(|p| p.value.2 > 0) {
                evidence.context(
                    &ps.span,
                    format!("{} failed pods, reason not shown", ps.value.2),
                );
            }
        }
        let rows: Vec<_> = rows_with(
            ctx,
            crate::wording::phrases![
                "CrashLoopBackOff",
                "Error",
                "Failed",
                "Init:Error",
                "Init:CrashLoopBackOff",
            ],
        );
        if let Some(r) = rows.first() {
            t = Target::from_row(ctx, r);
        }
        for r in rows.iter().take(3) {
            evidence.context(
                &r.line,
                format!(
                    "pod `{}` is `{}`; the reason is not shown",
                    r.name.value, r.status.value
                ),
            );
        }
        // Described pods in trouble whose reason no rule could read.
        for pod in &ctx.facts.pods {
            let troubled = pod.status.as_ref().is_some_and(|st| {
                crate::wording::any_eq(
                    st.value.as_str(),
                    crate::wording::phrases!["Failed", "Pending", "Unknown"],
                )
            });
            for c in pod.all_containers() {
                let reason = c
                    .state
                    .as_ref()
                    .and_then(|s| s.reason.as_ref())
                    .filter(|r| {
                        !crate::wording::any_eq(
                            r.value.as_str(),
                            crate::wording::phrases![
                                "Completed",
                                "ContainerCreating",
                                "PodInitializing"
                            ],
                        )
                    });
                if let Some(r) = reason {
                    if evidence.len() < 4 {
                        evidence.context(
                            &r.span,
                            format!("`{}`: the paste does not say why", r.value),
                        );
                        if t.container.is_none() {
                            t = Target::from_pod(ctx, pod, Some(c));
                        }
                    }
                }
            }
            if troubled && evidence.is_empty() {
                if let Some(st) = &pod.status {
                    evidence.context(&st.span, format!("pod `{}`, reason not shown", st.value));
                    t = Target::from_pod(ctx, pod, None);
                }
            }
        }
        // Warning events whose reason no rule could read.
        for e in ctx
            .facts
            .events
            .iter()
            .filter(|e| e.type_.as_ref().is_some_and(|t| t.value == "Warning"))
            .take(2)
        {
            if evidence.len() < 4 {
                evidence.context(&e.span, format!("warning `{}`", e.reason.value));
            }
        }
        let quote = error_line(ctx);
        if let Some((span, _)) = &quote {
            evidence.insert(0, Evidence::context(span, "no rule reads this error"));
        }
        let Some(first) = evidence.first_mut() else {
            return Vec::new();
        };
        first.primary = true;
        let mut asks = Vec::new();
        if let Some((_, line)) = quote {
            let symptoms = evidence.len() > 1;
            let help = format!(
                "podmortem names no cause it cannot prove: search for this exact message and read the documentation and logs of the component that printed it{}",
                if symptoms { "; then paste `kubectl describe pod` and `kubectl logs --previous` for a failed pod" } else { "" }
            );
            if symptoms {
                asks.extend([t.describe_pod(), t.logs_previous()]);
            }
            return vec![finding(
                &META,
                30,
                format!("the paste shows an error podmortem has no rule for: `{line}`"),
                help,
                evidence,
                steps(asks),
                t.chain(&["error without a rule"]),
            )];
        }
        if t.pod.is_none() {
            asks.push(t.job_pods());
        }
        asks.extend([
            t.describe_pod(),
            t.logs_previous(),
            Some(t.events()),
            t.describe_job(),
        ]);
        if t.pod.is_none() && t.job.is_none() {
            asks.push(Some(t.get_pods()));
        }
        vec![finding(
            &META,
            30,
            "the paste shows that something failed but not why".into(),
            if ctx.facts.pods.is_empty() {
                "a restart loop or `BackoffLimitExceeded` is a symptom. paste `kubectl describe pod` for a failed pod (its Last State, exit code and events) \
                 and `kubectl logs --previous`; do not raise `backoffLimit` or memory before the cause is known"
                    .to_string()
            } else {
                "the pod's state does not say why. paste its events (the end of `kubectl describe pod`, or `kubectl get events`) and `kubectl logs --previous`; \
                 do not raise `backoffLimit` or memory before the cause is known"
                    .to_string()
            },
            evidence,
            steps(asks),
            t.chain(&["cause not shown"]),
        )]
    }
}

/// The longest quote of an error line in the message, in characters.
const QUOTE_MAX: usize = 160;

/// A line that is a program's or component's own error report (its trimmed span, and the text
/// to quote, bounded): a kubeadm preflight `[ERROR …]`, the last error line of the logs, kubectl's
/// `Error from server (…)`, or a component's klog line saying something failed.
fn error_line(ctx: &Context) -> Option<(Span, String)> {
    let kubeadm = ctx
        .facts
        .kubeadm_checks
        .iter()
        .find(|k| k.level.value == "ERROR");
    let span = kubeadm.map(|k| k.span).or_else(|| {
        let app = last_app_error(ctx).filter(|a| {
            let l = a.text.to_ascii_lowercase();
            // A program prints its error; a poster's sentence only mentions one.
            // A lone heading (`Errors:`) introduces a list, it reports nothing.
            a.trace
                || !l.ends_with('?')
                    && l.trim_end_matches(':').contains(' ')
                    && (l.contains(": ") || l.starts_with(['[', '{', 'e', 'f', 'p']))
        });
        app.map(|a| a.span)
            .or_else(|| kubectl_error(ctx))
            .or_else(|| klog_failure(ctx))
    })?;
    let line = span_text(ctx, &span).trim();
    // A structured log line (etcd's zap JSON) is quoted by its message, and its error if any:
    // the words people search for, not the timestamps and ids around them.
    let field = |key| json_str(line, key).and_then(|(a, b)| line.get(a..b));
    let text = match (line.starts_with('{'), field("msg")) {
        (true, Some(msg)) => match field("error") {
            Some(e) => format!("{msg}: {e}"),
            None => msg.to_string(),
        },
        _ => line.to_string(),
    }
    .replace('`', "'");
    let quote = match text.char_indices().nth(QUOTE_MAX) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or("")),
        None => text,
    };
    Some((span, quote))
}

/// kubectl's `Error from server (NotFound): …`: the API's answer, read as a log error line.
fn kubectl_error(ctx: &Context) -> Option<Span> {
    let s = ctx.facts.log_signals.iter().find(|s| {
        s.text
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("error from server")
    })?;
    trimmed(ctx, s.span)
}

/// A component's klog line (`W1204 11:17:02.533588 1495 status_manager.go:446] Failed to …`,
/// after a journal or `kubelet[1495]:` prefix) at warning level or worse whose message says that
/// something failed, and that no symptom signal already holds: the span of its message.
fn klog_failure(ctx: &Context) -> Option<Span> {
    ctx.inputs.iter().enumerate().find_map(|(i, input)| {
        lines(&input.text).find_map(|(a, b)| {
            let line = input.text.get(a..b)?;
            let (head, msg) = line.split_once("] ")?;
            let klog = head
                .split_whitespace()
                .take(6)
                .any(|w| matches!(klog_level(w), Some(b'E' | b'W' | b'F')));
            let lower = msg.to_ascii_lowercase();
            if !klog
                || !(crate::wording::any_in(&lower, crate::wording::phrases!["failed", "error"]))
            {
                return None;
            }
            // The message without the header, so that it can be searched for.
            let span = trimmed(ctx, Span::new(i, b - msg.len(), b))?;
            let line = trimmed(ctx, Span::new(i, a, b))?;
            (!ctx.facts.signals.iter().any(|g| g.line == line)).then_some(span)
        })
    })
}

/// `span` without the blanks around its text.
fn trimmed(ctx: &Context, span: Span) -> Option<Span> {
    let text = span_text(ctx, &span);
    let lead = text.len() - text.trim_start().len();
    let len = text.trim().len();
    (len > 0).then(|| Span::new(span.input, span.start + lead, span.start + lead + len))
}

#[cfg(test)]
mod tests {
    use crate::cause::Cause;
    use crate::findings::Finding;

    /// The primary finding of `text`, and the text its primary evidence covers.
    fn unknown(text: &str) -> (Finding, String) {
        let inputs = [crate::Input::new("paste".to_string(), text.to_string())];
        let r = crate::diagnose(&inputs);
        assert_eq!(r.primary_cause, Cause::Unknown, "{text}");
        let f = r.findings.first().cloned().expect("a finding");
        assert_eq!(f.code, "PM023");
        let e = f
            .evidence
            .iter()
            .find(|e| e.primary)
            .expect("primary evidence");
        let covered = e.span.text(text).to_string();
        (f, covered)
    }

    fn quotes(text: &str, line: &str) {
        let (f, covered) = unknown(text);
        assert_eq!(
            f.message,
            format!("the paste shows an error podmortem has no rule for: `{line}`")
        );
        assert_eq!(covered, line);
        assert!(
            f.help.contains("search for this exact message"),
            "{}",
            f.help
        );
    }

    #[test]
    fn a_kubeadm_preflight_error_is_quoted() {
        let line = "[ERROR Port-6443]: Port 6443 is in use";
        quotes(&format!("$ sudo kubeadm init\n[preflight] Running pre-flight checks\nerror execution phase preflight: [preflight] Some fatal errors occurred:\n\t{line}\n[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\nTo see the stack trace of this error execute with --v=5 or higher\n"), line);
    }

    #[test]
    fn a_components_failure_line_is_quoted_without_its_header() {
        let msg =
            "Failed to update status for pod \"web-1\": etcdserver: mvcc: database space exceeded";
        quotes(
            &format!("kubelet[1495]: W1204 11:17:02.533588    1495 status_manager.go:446] {msg}\n"),
            msg,
        );
    }

    #[test]
    fn kubectls_error_from_server_is_quoted() {
        let line = "Error from server (InternalError): an error on the server (\"\") has prevented the request from succeeding (get jobs.batch nightly)";
        quotes(&format!("$ kubectl get job nightly\n{line}\n"), line);
        // Next to a symptom the quote comes first and the symptom stays as context.
        let row = "NAME          READY   STATUS             RESTARTS   AGE\nworker-7f9-x  0/1     CrashLoopBackOff   4          3m\n";
        let (f, _) = unknown(&format!("{row}$ kubectl logs worker-7f9-x\n{line}\n"));
        assert!(f.message.contains(line), "{}", f.message);
        assert!(f
            .evidence
            .iter()
            .any(|e| e.label.contains("CrashLoopBackOff")));
        assert!(f
            .next_steps
            .iter()
            .any(|s| s.contains("describe pod worker-7f9-x")));
    }

    #[test]
    fn a_structured_log_line_is_quoted_by_its_message() {
        let line = r#"{"level":"error","ts":"2026-11-28T02:40:01.902Z","caller":"rafthttp/http.go:413","msg":"failed to find remote peer in cluster","local-member-id":"7a1c3e5f9b2d4f6a"}"#;
        let (f, evidence) = unknown(&format!("$ crictl logs etcd\n{line}\n"));
        assert!(
            f.message
                .ends_with("no rule for: `failed to find remote peer in cluster`"),
            "{}",
            f.message
        );
        assert_eq!(evidence, line, "the evidence is the whole line");
        let with_error = r#"{"level":"error","msg":"failed to publish local member to cluster through raft","error":"etcdserver: request timed out"}"#;
        let (f, _) = unknown(&format!("$ journalctl -u etcd\n{with_error}\n"));
        assert!(
            f.message.ends_with(
                "`failed to publish local member to cluster through raft: etcdserver: request timed out`"
            ),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_long_line_is_quoted_in_part() {
        let long = format!("Error: {}", "x".repeat(400));
        let (f, covered) = unknown(&format!("{long}\n"));
        assert!(f.message.ends_with("…`"), "{}", f.message);
        assert!(f.message.chars().count() < 250);
        assert_eq!(covered, long);
    }

    #[test]
    fn without_an_error_line_the_symptom_is_reported_as_before() {
        let row = "NAME          READY   STATUS             RESTARTS   AGE\nworker-7f9-x  0/1     CrashLoopBackOff   4          3m\n";
        let (f, covered) = unknown(row);
        assert_eq!(
            f.message,
            "the paste shows that something failed but not why"
        );
        assert!(covered.contains("CrashLoopBackOff"));
    }

    #[test]
    fn prose_that_mentions_an_error_is_not_quoted() {
        for prose in [
            "When I run the job I get this error",
            "Any idea what this error means?",
            "Errors:",
            "The error happens every time the job starts.",
        ] {
            let r =
                crate::diagnose(&[crate::Input::new("paste".to_string(), format!("{prose}\n"))]);
            assert!(r.findings.is_empty(), "{prose}: {:?}", r.findings);
        }
        let event = "  Warning  BackoffLimitExceeded  21m   job-controller  Job has reached the specified backoff limit\n";
        let (f, covered) = unknown(&format!("When I run the job I get this error\n{event}"));
        assert_eq!(
            f.message,
            "the paste shows that something failed but not why"
        );
        assert!(covered.contains("BackoffLimitExceeded"));
    }
}
