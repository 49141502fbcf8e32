use super::common::{
    distinct, finding, last_app_error, rows_with, span_text, steps, strings, value_after, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::fix::advice::ns_flag;
use crate::parse::cluster::json_str;
use crate::parse::logs::klog_level;
use crate::span::{lines, Span};
use crate::wording::phrases;

crate::declare_rule! {
    /// ## What it does
    /// Reports symptoms without a provable cause: a Job's `BackoffLimitExceeded`, `Pods
    /// Statuses: … Failed`, or pods listed as `CrashLoopBackOff`/`Error`/`Failed` with nothing
    /// that says why. It answers `unknown` on purpose and asks for the specific output that
    /// would show the cause, with the real names from the paste. When the paste holds an error
    /// line no rule reads (a kubeadm preflight `[ERROR …]`, a program's error, kubectl's `Error
    /// from server (…)`, a component's klog line saying something failed, a warning event whose
    /// reason reports a failure such as `FailedMount` or `FailedAttachVolume`), it quotes that line
    /// (a JSON log line by its `msg` and `error`) instead of saying that nothing shows why: the
    /// cause is still not named. A controller's `FailedCreate` event (`Error creating: …`) is
    /// such a line: the Job's pods were never created. When the line is the API server refusing
    /// a request for a reason outside the cause vocabulary (a ResourceQuota or LimitRange, the
    /// namespace's Pod Security level, an admission webhook, a missing service account, RBAC),
    /// it says which, and the next steps show what refused it (`kubectl describe
    /// resourcequota`, `kubectl auth can-i <verb> <resource> --as=<user>`), with the names from
    /// the message.
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
        if let Some((span, line)) = quote {
            if let Some((what, help, cmds)) = refusal(span_text(ctx, &span), &t) {
                // The refusal is the evidence; the event line it came from says nothing more.
                evidence.retain(|e| {
                    e.primary || e.span.input != span.input || e.span.cover(span) != e.span
                });
                evidence[0].label = "the API server refused the request".into();
                return vec![finding(
                    &META,
                    30,
                    format!("{what}: `{line}`"),
                    help.to_string(),
                    evidence,
                    cmds,
                    t.chain(&["request refused"]),
                )];
            }
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
        // Only an HPA's metric warnings: its pods are not what failed, its metrics source is.
        let hpa = ctx.facts.events.iter().any(|e| hpa_metric(&e.reason.value));
        if hpa && rows.is_empty() && ctx.facts.pods.is_empty() && ctx.facts.jobs.is_empty() {
            return vec![finding(
                &META,
                30,
                "the HPA cannot read its metric, and the paste does not say why".into(),
                "cpu and memory come from metrics-server (check its APIService and `kubectl top pods`); other metrics come from an adapter \
                 (prometheus-adapter, KEDA) whose rules must serve this metric for this target. the pods are not what failed"
                    .into(),
                evidence,
                strings(&[
                    "kubectl get apiservice v1beta1.metrics.k8s.io",
                    "kubectl top pods",
                    "kubectl get --raw /apis/custom.metrics.k8s.io/v1beta1",
                ]),
                strings(&["HPA", "metric not available"]),
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
    let span = kubeadm
        .map(|k| k.span)
        .or_else(|| failed_create(ctx))
        .or_else(|| {
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
                .or_else(|| forbidden(ctx))
                .or_else(|| failure_event(ctx))
        })?;
    let line = span_text(ctx, &span).trim();
    // A structured log line (etcd's zap JSON) is quoted by its message, and its error if any:
    // the words people search for, not the timestamps and ids around them.
    let field = |key| json_str(line, key).and_then(|(a, b)| line.get(a..b));
    let text = match (
        line.starts_with('{'),
        field("msg").or_else(|| field("message")),
    ) {
        (true, Some(msg)) => match field("error") {
            Some(e) => format!("{msg}: {e}"),
            None => msg.to_string(),
        }
        .replace("\\\"", "\""),
        _ => line.to_string(),
    }
    .replace('`', "'");
    let quote = match text.char_indices().nth(QUOTE_MAX) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or("")),
        None => text,
    };
    Some((span, quote))
}

/// A controller's `FailedCreate` event (`Error creating: pods "x" is forbidden: …`): the API
/// server refused to create the Job's pods, so none ran. Its message is the error.
fn failed_create(ctx: &Context) -> Option<Span> {
    let e = ctx
        .facts
        .all_events()
        .find(|e| e.reason.value == "FailedCreate" && e.message.value.contains("Error creating"))?;
    // Without a header row the message may still hold the age and source columns.
    let m = e.message.span;
    let at = span_text(ctx, &m).find("Error creating")?;
    trimmed(ctx, Span::new(m.input, m.start + at, m.end))
}

/// A line holding the API's `… is forbidden: …` (a client's error, an API `Status` object as
/// JSON) that no other error line above holds.
fn forbidden(ctx: &Context) -> Option<Span> {
    ctx.inputs.iter().enumerate().find_map(|(i, input)| {
        let (a, b) = lines(&input.text).find(|&(a, b)| {
            input
                .text
                .get(a..b)
                .is_some_and(|l| l.contains(" is forbidden: "))
        })?;
        trimmed(ctx, Span::new(i, a, b))
    })
}

/// A warning event whose reason reports a failure (`FailedMount`, `FailedAttachVolume`,
/// `FailedCreatePodSandBox`, `ProvisioningFailed`, …): its message says what failed, where
/// the symptoms alone (`BackOff`, `BackoffLimitExceeded`) do not.
fn failure_event(ctx: &Context) -> Option<Span> {
    let e = ctx.facts.all_events().find(|e| {
        let r = e.reason.value.as_str();
        e.type_.as_ref().is_some_and(|t| t.value == "Warning")
            && (r.starts_with("Failed") || r.ends_with("Failed") || r == "NetworkNotReady")
            // An HPA's metric warnings are answered below by where its metrics come from.
            && !hpa_metric(r)
            && e.message.value.split_whitespace().nth(2).is_some()
    })?;
    let m = e.message.span;
    let skip = leading_columns(span_text(ctx, &m));
    trimmed(ctx, Span::new(m.input, m.start + skip, m.end))
}

/// An HPA's warning that it cannot read or use a metric.
fn hpa_metric(reason: &str) -> bool {
    reason == "FailedComputeMetricsReplicas"
        || (reason.starts_with("FailedGet") && reason.ends_with("Metric"))
}

/// The length of the age (`2m`, `(x38 over 42m)`) and source (`kubelet`, `{kubelet node-1}`,
/// `job-controller`) columns at the start of an event's message, which a row read without
/// its header keeps: the quote starts after them.
fn leading_columns(text: &str) -> usize {
    let mut end = 0;
    let mut in_braces = false;
    for (at, word) in text
        .split_ascii_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
    {
        let age = word.trim_start_matches("(x").trim_end_matches(')');
        let column = in_braces
            || word.starts_with('{')
            || word == "over"
            || word == "<unknown>"
            || word == "kubelet"
            || age.starts_with(|c: char| c.is_ascii_digit())
                && age
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"smhdy".contains(&b))
            || crate::wording::any_in(
                word,
                crate::wording::phrases!["-controller", "-scheduler", "-autoscaler"],
            );
        if !column {
            break;
        }
        in_braces = (in_braces || word.starts_with('{')) && !word.ends_with('}');
        end = at + word.len();
    }
    end
}

/// Refusals of the API server for reasons outside the cause vocabulary, as rows of
/// [`crate::wording::text_rows!`]: what refused the request, what to change, and the commands
/// that show what refused it (separated by `\u{4}`; `{ns}` is the namespace flag, `{namespace}`
/// the namespace object, `{sa}` the service account the message names).
const REFUSALS: &str = crate::wording::text_rows![
    (
        phrases!["exceeded quota"],
        "",
        "a ResourceQuota in the namespace refused the request\u{3}the namespace's quota has no room left for it (the message shows requested, used and limited): lower the requests or limits, or raise the quota\u{3}kubectl describe resourcequota{ns}"
    ),
    (
        phrases!["failed quota"],
        "must specify",
        "a ResourceQuota requires requests or limits that the pod does not set\u{3}set the ones the message names on every container, init containers too, or give the namespace a LimitRange with defaults\u{3}kubectl describe resourcequota{ns}\u{4}kubectl describe limitrange{ns}"
    ),
    (
        phrases!["usage per Container is", "usage per Pod is", "LimitRange"],
        "",
        "a LimitRange in the namespace refused the pod's resources\u{3}fit the requests and limits into the range the message names, or change the LimitRange\u{3}kubectl describe limitrange{ns}"
    ),
    (
        phrases!["violates PodSecurity"],
        "",
        "the namespace's Pod Security level refused the pod\u{3}the namespace enforces a Pod Security Standard (its `pod-security.kubernetes.io/enforce` label): set what the message lists in the pod's and its containers' `securityContext`\u{3}kubectl get {namespace} --show-labels"
    ),
    (
        phrases!["denied the request"],
        "admission webhook",
        "an admission webhook refused the request\u{3}a policy webhook denied it; the text after `denied the request:` is the policy's reason. meet the policy, or ask its owners for an exception\u{3}kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations"
    ),
    (
        phrases!["failed calling webhook"],
        "",
        "an admission webhook could not be called, so the request failed\u{3}the API server could not reach a webhook that must see the request (no ready endpoints, a timeout, a certificate error): fix the webhook's pods, or its `failurePolicy`\u{3}kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations"
    ),
    (
        phrases!["serviceaccount \""],
        "not found",
        "the pod's service account does not exist\u{3}create it in the pod's namespace, or fix `serviceAccountName` in the pod template\u{3}kubectl get serviceaccount {sa}{ns}\u{4}kubectl get serviceaccounts{ns}"
    ),
];

/// A refusal of the API server that the error names, though no cause of the vocabulary fits
/// it (a row of [`REFUSALS`], or RBAC): what refused the request, what to change, and the
/// commands that show what refused it, with the names from the message.
fn refusal(text: &str, t: &Target) -> Option<(&'static str, &'static str, Vec<String>)> {
    let row = crate::wording::first_text(text, REFUSALS, "");
    if row.is_empty() {
        return rbac(text);
    }
    let mut fields = row.split('\u{3}');
    let (what, help, cmds) = (fields.next()?, fields.next()?, fields.next()?);
    // `error looking up service account ns/name` names the namespace when the paste does not.
    let named = text
        .split_once("service account ")
        .and_then(|(_, r)| r.split_once('/'))
        .map(|(n, _)| n)
        .filter(|n| plain(n));
    let (ns, namespace) = match t.namespace.as_deref().or(named) {
        Some(n) => (ns_flag(Some(n)), format!("namespace {n}")),
        None => (String::new(), "namespaces".to_string()),
    };
    let sa = value_after(text, "serviceaccount \"").filter(|n| plain(n));
    let cmds = cmds
        .split('\u{4}')
        .filter(|c| sa.is_some() || !c.contains("{sa}"))
        .map(|c| {
            c.replace("{ns}", &ns)
                .replace("{namespace}", &namespace)
                .replace("{sa}", sa.unwrap_or(""))
        })
        .collect();
    Some((what, help, cmds))
}

/// A name that can go into a command as it is: no blanks, quotes or shell characters.
fn plain(w: &str) -> bool {
    !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/@".contains(&b))
}

/// RBAC's `User "u" cannot list resource "pods" in API group "" in the namespace "ns"` (or `at
/// the cluster scope`): the `kubectl auth can-i` check for that user, verb and resource
/// (`jobs.batch` for a named group, `--subresource` for `pods/exec`) in that namespace.
fn rbac(text: &str) -> Option<(&'static str, &'static str, Vec<String>)> {
    let user = value_after(text, "User \"")?;
    let after = text.split_once("\" cannot ")?.1;
    let verb = after.split_whitespace().next()?;
    let resource = value_after(after, "resource \"")?;
    let group = value_after(after, "API group \"").unwrap_or("");
    let ns = value_after(after, "in the namespace \"");
    if !(plain(user) && plain(verb) && plain(resource))
        || !(group.is_empty() || plain(group))
        || ns.is_some_and(|n| !plain(n))
    {
        return None;
    }
    let (kind, sub) = match resource.split_once('/') {
        Some((r, s)) => (r, format!(" --subresource={s}")),
        None => (resource, String::new()),
    };
    let group = if group.is_empty() {
        String::new()
    } else {
        format!(".{group}")
    };
    let ns = ns_flag(ns);
    Some((
        "RBAC does not allow this user to do this",
        "no Role or ClusterRole bound to this user allows the verb on the resource: bind one that does, or run as an identity that has it",
        vec![
            format!("kubectl auth can-i {verb} {kind}{group}{sub}{ns} --as={user}"),
            format!(
                "kubectl get rolebindings,clusterrolebindings -A -o wide | grep {}",
                user.rsplit(':').next().unwrap_or(user)
            ),
        ],
    ))
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
    fn an_hpa_without_its_metrics_points_at_the_metrics_source() {
        let events = "Events:\n  Type     Reason                        Age                 From                       Message\n  ----     ------                        ----                ----                       -------\n  Warning  FailedGetResourceMetric       2m (x12 over 5m)    horizontal-pod-autoscaler  unable to get metrics for resource cpu: no metrics returned from resource metrics API\n  Warning  FailedComputeMetricsReplicas  2m (x12 over 5m)    horizontal-pod-autoscaler  invalid metrics (1 invalid out of 1), first error is: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API\n";
        let (f, _) = unknown(events);
        assert!(
            f.message.starts_with("the HPA cannot read its metric"),
            "{}",
            f.message
        );
        assert!(!f.help.contains("backoffLimit"), "{}", f.help);
        // A Job's failed pods beside it are still the symptom to explain.
        let (f, _) = unknown(&format!(
            "{events}NAME          READY   STATUS   RESTARTS   AGE\nbatch-x7k2p   0/1     Error    0          3m\n"
        ));
        assert!(!f.message.contains("HPA"), "{}", f.message);
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

    /// The finding for a refusal: its message starts with `what`, its primary evidence is
    /// `line`, and its next steps are `cmds`.
    fn refused(text: &str, line: &str, what: &str, cmds: &[&str]) {
        let (f, covered) = unknown(text);
        assert!(
            f.message.starts_with(&format!("{what}: `")),
            "{}",
            f.message
        );
        assert_eq!(covered, line);
        assert_eq!(f.next_steps, cmds, "{text}");
        assert_eq!(
            f.evidence
                .iter()
                .filter(|e| e.span == f.evidence[0].span)
                .count(),
            1
        );
    }

    fn job_events(message: &str) -> String {
        format!(
            "Name:           nightly\nNamespace:      batch\nSelector:       batch.kubernetes.io/controller-uid=5d1c\nParallelism:    1\nCompletions:    1\nPods Statuses:  0 Active (0 Ready) / 0 Succeeded / 0 Failed\nEvents:\n  Type     Reason        Age                From            Message\n  ----     ------        ----               ----            -------\n  Warning  FailedCreate  15s (x3 over 40s)  job-controller  {message}\n"
        )
    }

    #[test]
    fn a_pod_the_api_server_refused_to_create_is_quoted_with_what_refused_it() {
        let quota = "Error creating: pods \"nightly-x7\" is forbidden: exceeded quota: compute, requested: limits.memory=2Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi";
        refused(
            &job_events(quota),
            quota,
            "a ResourceQuota in the namespace refused the request",
            &["kubectl describe resourcequota -n batch"],
        );
        let must = "Error creating: pods \"nightly-x7\" is forbidden: failed quota: compute: must specify limits.cpu,limits.memory";
        refused(
            &job_events(must),
            must,
            "a ResourceQuota requires requests or limits that the pod does not set",
            &[
                "kubectl describe resourcequota -n batch",
                "kubectl describe limitrange -n batch",
            ],
        );
        let range = "Error creating: pods \"nightly-x7\" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi";
        refused(
            &job_events(range),
            range,
            "a LimitRange in the namespace refused the pod's resources",
            &["kubectl describe limitrange -n batch"],
        );
        let psa = "Error creating: pods \"nightly-x7\" is forbidden: violates PodSecurity \"restricted:latest\": runAsNonRoot != true";
        refused(
            &job_events(psa),
            psa,
            "the namespace's Pod Security level refused the pod",
            &["kubectl get namespace batch --show-labels"],
        );
        let sa = "Error creating: pods \"nightly-x7\" is forbidden: error looking up service account batch/builder: serviceaccount \"builder\" not found";
        refused(
            &job_events(sa),
            sa,
            "the pod's service account does not exist",
            &[
                "kubectl get serviceaccount builder -n batch",
                "kubectl get serviceaccounts -n batch",
            ],
        );
        // Without a namespace in the paste, the service account's lookup names it.
        let (f, _) = unknown(&format!(
            "E1127 08:01:02.1 1 job_controller.go:556] {}\n",
            &sa[16..]
        ));
        assert_eq!(
            f.next_steps[0],
            "kubectl get serviceaccount builder -n batch"
        );
        // An API `Status` as JSON is quoted by its message.
        let (f, _) = unknown("{\"kind\":\"Status\",\"message\":\"pods \\\"x\\\" is forbidden: exceeded quota: q, requested: limits.cpu=2, used: limits.cpu=31, limited: limits.cpu=32\"}\n");
        assert!(
            f.message
                .starts_with("a ResourceQuota in the namespace refused the request: `pods"),
            "{}",
            f.message
        );
        // The same refusal without a header row: the quote starts at the message.
        let (f, covered) = unknown(&format!(
            "Warning  FailedCreate  2m  job-controller  {quota}\n"
        ));
        assert_eq!(covered, quota);
        assert_eq!(f.next_steps, ["kubectl describe resourcequota"]);
    }

    #[test]
    fn a_failure_events_message_is_quoted_without_the_columns_before_it() {
        let msg = "Multi-Attach error for volume \"pvc-3f2a\" Volume is already exclusively attached to one node and can't be attached to another";
        for row in [
            format!("Events:\n  Type     Reason              Age   From                     Message\n  ----     ------              ----  ----                     -------\n  Warning  FailedAttachVolume  2m    attachdetach-controller  {msg}\n"),
            format!("Warning  FailedAttachVolume  2m (x3 over 9m)  attachdetach-controller  {msg}\n"),
            format!("1h  1m  37  web-1  Pod  Warning  FailedAttachVolume  {{kubelet gke-pool-4399eaa3-os4v}}  {msg}\n"),
        ] {
            let (f, covered) = unknown(&row);
            assert_eq!(covered, msg, "{row}");
            assert!(f.message.contains("no rule for: `Multi-Attach error"), "{}", f.message);
        }
        assert_eq!(
            super::leading_columns("2m (x38 over 42m)   horizontal-pod-autoscaler  unable to get"),
            45
        );
        assert_eq!(super::leading_columns("Unable to mount volumes"), 0);
        // A symptom's event is no error line.
        let (f, _) = unknown(
            "Warning  BackOff  2m (x9 over 9m)  kubelet  Back-off restarting failed container\n",
        );
        assert_eq!(
            f.message,
            "the paste shows that something failed but not why"
        );
    }

    #[test]
    fn admission_webhooks_that_deny_or_cannot_be_called_are_told_apart() {
        let webhooks = "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations";
        let denied = "Error from server (Forbidden): error when creating \"job.yaml\": admission webhook \"validation.gatekeeper.sh\" denied the request: [must-have-owner] you must provide labels: {\"owner\"}";
        refused(
            &format!("$ kubectl apply -f job.yaml\n{denied}\n"),
            denied,
            "an admission webhook refused the request",
            &[webhooks],
        );
        let down = "Error from server (InternalError): error when creating \"job.yaml\": Internal error occurred: failed calling webhook \"policy.example.com\": context deadline exceeded";
        refused(
            &format!("$ kubectl apply -f job.yaml\n{down}\n"),
            down,
            "an admission webhook could not be called, so the request failed",
            &[webhooks],
        );
    }

    #[test]
    fn an_rbac_refusal_names_the_can_i_check_for_its_user_verb_and_resource() {
        let line = "Error from server (Forbidden): pods \"web-1\" is forbidden: User \"system:serviceaccount:ci:runner\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"dev\"";
        refused(
            &format!("$ kubectl exec -it web-1 -- sh\n{line}\n"),
            line,
            "RBAC does not allow this user to do this",
            &[
                "kubectl auth can-i create pods --subresource=exec -n dev --as=system:serviceaccount:ci:runner",
                "kubectl get rolebindings,clusterrolebindings -A -o wide | grep runner",
            ],
        );
        let cluster = "Error from server (Forbidden): jobs.batch is forbidden: User \"jane@example.com\" cannot list resource \"jobs\" in API group \"batch\" at the cluster scope";
        refused(
            &format!("$ kubectl get jobs -A\n{cluster}\n"),
            cluster,
            "RBAC does not allow this user to do this",
            &[
                "kubectl auth can-i list jobs.batch --as=jane@example.com",
                "kubectl get rolebindings,clusterrolebindings -A -o wide | grep jane@example.com",
            ],
        );
        // A name that is not a plain word is never put into a command: the error is quoted as one
        // no rule reads.
        let odd = "Error from server (Forbidden): pods is forbidden: User \"x; rm -rf /\" cannot list resource \"pods\" in API group \"\" in the namespace \"dev\"";
        quotes(&format!("$ kubectl get pods\n{odd}\n"), odd);
    }
}
