use super::common::{
    crashlooping, distinct, ended, finding, job_context, last_app_error, rows_with, set_name,
    span_text, steps, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::{Container, SignalKind, S};
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::wording::{any_in, phrases};

crate::declare_rule! {
    /// ## What it does
    /// Finds the workload's own process exiting non-zero (`Reason: Error` with an exit code
    /// such as 1 or 2, `terminated with an error (Reason: Error, ExitCode: 1)`, a Job pod in
    /// `Error` when the logs, a command that can only fail or a `Completed` sibling pod show the
    /// program itself ran), and points at the last meaningful error line of the logs: the
    /// FATAL/ERROR line, panic or traceback just before the exit, not the noise around it. An
    /// `Error` row alone is not enough: exit 127 and 126 look the same.
    ///
    /// ## Why is this bad?
    /// Kubernetes did what it was asked; the program failed. A Job retries it until
    /// `backoffLimit` and ends with `BackoffLimitExceeded`, which is only the symptom. For a
    /// deterministic failure (bad input, a bug, `exit 1` in the command) more retries only
    /// waste time: fix the cause, and consider a `podFailurePolicy` `FailJob` rule on that exit
    /// code. Only transient errors (network, a dependency not up yet, rate limits) justify more
    /// retries.
    ///
    /// ## Evidence
    /// The exit code or `Error` status (primary), the last error line of the logs, a command
    /// that always fails (`exit 1`), and the Job's `BackoffLimitExceeded` or `Pods Statuses`.
    ///
    /// ## Example
    /// ```text
    /// Reason: BackoffLimitExceeded, Message: Job has reached the specified backoff limit
    /// Container job of pod job-x terminated with an error (Reason: Error, ExitCode: 1):
    /// Error: rendered manifests contain a resource that already exists.
    /// ```
    ///
    /// ## Use instead
    /// Fix what the error line says; for failures that can never succeed on retry, add a
    /// `podFailurePolicy` rule with `action: FailJob` on that exit code so the Job stops at once.
    ///
    /// ## Fix safety
    /// The fix is in the program or its input. With the Job manifest pasted and an exit code
    /// that every retry repeats, a `podFailurePolicy` rule with `action: FailJob` on that code
    /// is proposed, so the Job stops at the first such failure; none for a transient error or
    /// a dependency that did not answer, which a retry can outlive.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#handling-pod-and-container-failures
    /// - https://kubernetes.io/docs/tasks/job/pod-failure-policy/
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/
    pub static META = {
        code: "PM007",
        name: "app-error-exit",
        cause: Cause::AppError,
        needs: &[Need::PodStatus, Need::Logs, Need::Events],
    }
}

pub struct AppErrorExit;

/// Lines that name a Kubernetes or cluster failure: a log line beside them is not the
/// application's own crash.
fn has_cluster_signal(ctx: &Context) -> bool {
    use SignalKind as K;
    ctx.facts.signals.iter().any(|s| {
        matches!(
            s.kind,
            K::ServerRefused
                | K::ServerUnreachable
                | K::KubeconfigError
                | K::EtcdClusterIdMismatch
                | K::SwapOn
                | K::HpaMissingRequest
                | K::ServiceFailed
        )
    })
}

/// Words of an error that a retry may outlive; `503` as a number of its own, not digits of a
/// timestamp (`10:02:52.587503`).
pub fn transient(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    crate::wording::each(crate::wording::phrases![
        "timeout",
        "timed out",
        "temporarily unavailable",
        "connection reset",
        "connection refused",
        "no route to host",
        "too many requests",
        "rate limit",
        "503",
        "try again",
    ])
    .any(|p| {
        l.match_indices(p).any(|(i, _)| {
            let digit = |j: Option<&u8>| j.is_some_and(u8::is_ascii_digit);
            let b = l.as_bytes();
            !(digit(i.checked_sub(1).and_then(|j| b.get(j))) || digit(b.get(i + p.len())))
        })
    })
}

/// Is `span` the output of a program the poster ran on their own machine: the nearest shell
/// prompt above it runs a local script or deploy tool (`./deploy.py`, `python3 x.py`,
/// `helm upgrade`), not `kubectl logs`? Its crash is that tool's, not the workload's.
fn run_locally(ctx: &Context, span: crate::span::Span) -> bool {
    let text = ctx.text(span.input);
    let Some(above) = text.get(..span.start) else {
        return false;
    };
    let Some((at, command)) = crate::detect::prompt_above(above, false) else {
        return false;
    };
    // `helm test` prints each test pod's own log under `POD LOGS: <pod>`.
    let relayed = above
        .get(at..)
        .unwrap_or("")
        .lines()
        .any(|l| l.trim_start().starts_with("POD LOGS:"));
    if relayed {
        return false;
    }
    let first = command.split_whitespace().next().unwrap_or("");
    first.starts_with("./")
        || first.ends_with(".py")
        || crate::wording::any_eq(
            first,
            crate::wording::phrases![
                "python",
                "python3",
                "node",
                "go",
                "helm",
                "terraform",
                "ansible-playbook",
                "make",
            ],
        )
}

/// A command-line program's last words, `pg_dumpall: error: …`, `prog: error: …` (the
/// convention of libpq's tools, argparse, compilers), printed as it gives up.
fn cli_error(line: &str) -> bool {
    let line = line.trim_start();
    // curl's `curl: (22) The requested URL returned error: 500`; wget's `ERROR 500: Internal
    // Server Error.` after its timestamp.
    let status = |r: &str| {
        let b = r.as_bytes();
        b.len() > 4 && b[..3].iter().all(u8::is_ascii_digit) && b[3] == b':'
    };
    if line
        .strip_prefix("curl: (")
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        || line.split_once("ERROR ").is_some_and(|(_, r)| status(r))
    {
        return true;
    }
    line.split_once(": error: ").is_some_and(|(prog, _)| {
        !prog.is_empty()
            && prog
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
    })
}

/// A client in the logs that cannot reach its own dependency (`dial tcp db:26257: connect:
/// connection refused`, a port no API server listens on), with the line after it when that
/// is the client's verdict (`Failed running "sql"`). kubectl's own dial errors are
/// `apiserver-unreachable`'s.
fn dependency_down(ctx: &Context) -> Option<crate::span::Span> {
    ctx.inputs.iter().enumerate().find_map(|(input, inp)| {
        let text = inp.text.as_str();
        // Most inputs have no dial error: one pass over the bytes that stops only at a `d`,
        // not a lower-cased copy of every line (this runs on each error the rule reports).
        let (b, dial) = (text.as_bytes(), b"dial tcp ");
        if !(0..(b.len() + 1).saturating_sub(dial.len()))
            .any(|i| (b[i] | 0x20) == b'd' && b[i..i + dial.len()].eq_ignore_ascii_case(dial))
        {
            return None;
        }
        crate::span::lines(text).find_map(|(s, e)| {
            let l = text.get(s..e)?.to_ascii_lowercase();
            let addr = l.split("dial tcp ").nth(1)?.split(": ").next()?;
            let port = addr.rsplit(':').next()?;
            let refused = any_in(
                &l,
                phrases!["connection refused", "i/o timeout", "no such host"],
            );
            (refused && !matches!(port, "443" | "6443" | "8443" | "8080")).then_some(())?;
            let verdict = crate::span::next_line(text, e)
                .filter(|n| n.trim_start().to_ascii_lowercase().starts_with("failed"));
            let lead = l.len() - l.trim_start().len();
            Some(crate::span::Span::new(
                input,
                s + lead,
                verdict.map_or(e, |n| e + 1 + n.len()),
            ))
        })
    })
}

/// A shell script's own report, `/scripts/backup.sh: line 12: …`.
fn shell_report(line: &str) -> bool {
    line.split_once(": line ").is_some_and(|(_, r)| {
        let d = r.bytes().take_while(u8::is_ascii_digit).count();
        d > 0 && r[d..].starts_with(": ")
    })
}

/// Were the logs above `span` read from a Job (`kubectl logs job/x`, `k logs job.batch/x`)?
fn job_logs(ctx: &Context, span: crate::span::Span) -> bool {
    let above = ctx.text(span.input).get(..span.start).unwrap_or("");
    above.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.contains(" logs ") && any_in(&l, phrases![" job/", " job.batch/", " jobs/"])
    })
}

/// `exit N` (N ≠ 0) or `sys.exit(N)` in a command or argument, or a shell line whose last
/// statement is `false` (`sleep 5; false`), which exits 1 whatever came before.
fn always_exits(words: &[S]) -> Option<&S> {
    words.iter().find(|w| {
        let l = w.value.to_ascii_lowercase();
        ["exit ", "exit(", "exit("].iter().any(|p| {
            l.match_indices(p).any(|(i, _)| {
                let rest = &l[i + p.len()..];
                let d: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                d.parse::<u32>().is_ok_and(|n| n != 0)
            })
        }) || ends_with_false(&l)
    })
}

/// A shell line of several statements whose last one is `false` (a lone `false` word may be a
/// flag's value, so a statement separator is required).
fn ends_with_false(line: &str) -> bool {
    let t = line.trim().trim_end_matches(';').trim_end();
    let Some(cut) = t.rfind([';', '\n', '&']) else {
        return false;
    };
    matches!(t[cut + 1..].trim(), "false" | "/bin/false")
}

/// The command that always fails, and the code it exits with.
fn command_evidence(containers: &[&Container]) -> Option<(Evidence, Option<i32>)> {
    containers.iter().find_map(|c| {
        // The first word of `command` is the program itself: `["exit 1"]` is no shell running
        // `exit 1` but a program of that name (which never starts).
        let w =
            always_exits(c.command.get(1..).unwrap_or(&[])).or_else(|| always_exits(&c.args))?;
        let l = w.value.to_ascii_lowercase();
        if ends_with_false(&l) {
            return Some((
                Evidence::context(&w.span, "the command always exits non-zero"),
                Some(1),
            ));
        }
        let code = l.find("exit").and_then(|i| {
            let d: String = l[i + 4..]
                .trim_start_matches([' ', '('])
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            d.parse().ok()
        });
        Some((
            Evidence::context(&w.span, "the command always exits non-zero"),
            code,
        ))
    })
}

/// A Job the API server accepts and runs: its pod template's `restartPolicy` is stated and is
/// `Never` or `OnFailure`.
fn runnable(j: &crate::facts::Job) -> bool {
    !j.containers.is_empty()
        && j.restart_policy
            .as_ref()
            .is_some_and(|r| matches!(r.value.as_str(), "Never" | "OnFailure"))
}

fn advice(retry: bool) -> &'static str {
    if retry {
        "the error looks transient (network, timeout or rate limit): retries can succeed, so a higher `backoffLimit` is reasonable, but make the dependency reliable first"
    } else {
        "this failure is deterministic: every retry fails the same way, so do not raise `backoffLimit`; fix the error, and consider a `podFailurePolicy` rule with `action: FailJob` on this exit code so the Job stops at the first failure"
    }
}

impl Rule for AppErrorExit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        let detail_owned = last_app_error(ctx);
        let detail = detail_owned.as_ref();
        // A dependency that did not answer, read once (it walks every input) and only when
        // a finding needs it.
        let dependency_cell = std::cell::OnceCell::new();
        let dependency =
            || *dependency_cell.get_or_init(|| detail.and_then(|_| dependency_down(ctx)));
        // A transient error, or a dependency that did not answer: a retry can succeed, so
        // neither `FailJob` on the exit code nor the advice against retries fits.
        let retry = || detail.is_some_and(|d| transient(&d.text)) || dependency().is_some();
        let mut backoff: Vec<Evidence> = Vec::new();
        if let Some(s) = distinct(ctx, SignalKind::BackoffLimit).first() {
            backoff.context(&s.line, "the Job gave up after its retries: a symptom");
        }
        let mut job_containers: Vec<&Container> = Vec::new();
        for j in &ctx.facts.jobs {
            job_containers.extend(&j.containers);
        }
        for p in &ctx.facts.pods {
            job_containers.extend(&p.containers);
        }
        // Described containers.
        for (pod, c, state, class) in ended(ctx, false) {
            let Exit::App(code) = class else {
                continue;
            };
            if crashlooping(ctx, c) && detail.is_none() && !job_context(ctx, Some(pod)) {
                continue; // `crashloop-backoff` reports a loop without detail.
            }
            let t = Target::from_pod(ctx, pod, Some(c));
            let mut evidence = Vec::new();
            match &state.exit_code {
                Some(ec) => evidence.primary(&ec.span, format!("the process exited with {code}")),
                None => {
                    if let Some(r) = &state.reason {
                        evidence.primary(&r.span, "the process exited with an error");
                    }
                }
            }
            if let Some(d) = detail {
                evidence.context(&d.span, "the last error before the exit");
            }
            evidence.extend(command_evidence(&[c]).map(|(e, _)| e));
            evidence.extend(backoff.iter().cloned());
            out.push(self.make(
                ctx,
                &t,
                Some(code),
                evidence,
                detail.map(|d| d.text.as_str()),
                retry(),
            ));
        }
        if !out.is_empty() {
            return out;
        }
        // Loose lines: a controller's `terminated with an error`, `Error` rows of Job pods.
        let mut evidence = Vec::new();
        let mut weak = false;
        let mut code: Option<i32> = None;
        let mut t = Target::guess(ctx);
        if let Some(sig) = distinct(ctx, SignalKind::TerminatedWithError)
            .into_iter()
            .next()
        {
            let line = span_text(ctx, &sig.line);
            if let Some((c, _, _)) = crate::parse::logs::exit_code_in(line) {
                code = Some(c);
            }
            if let Some(n) = super::common::value_after(line, "ExitCode: ") {
                code = n.parse().ok().or(code);
            }
            // 126/127 (the program never ran), 128 and above (a start error, a signal) and 0
            // are no application's own failure: the exit-code rules read those.
            if code.is_some_and(|c| c == 0 || c == 126 || c == 127 || (128..255).contains(&c)) {
                return out;
            }
            if let Some(p) = super::common::value_after(line, " of pod ")
                .or_else(|| super::common::value_after(line, " for pod "))
                .or_else(|| {
                    line.trim_start()
                        .strip_prefix("pod ")
                        .and_then(|r| r.split_whitespace().next())
                })
            {
                let (ns, pod) = p.split_once('/').unwrap_or(("", p));
                set_name(&mut t.pod, super::common::real(pod));
                if let Some(ns) = super::common::real(ns) {
                    set_name(&mut t.namespace, Some(ns));
                }
            }
            if let Some(c) = super::common::value_after(line, "Container ") {
                set_name(&mut t.container, super::common::real(c));
            }
            evidence.primary(
                &sig.line,
                match code {
                    Some(c) => format!("the container exited with {c}"),
                    None => "the container failed".to_string(),
                },
            );
        }
        let rows_evidence = evidence.is_empty();
        let rows: Vec<_> = rows_with(ctx, crate::wording::phrases!["Error"]);
        let looping: Vec<_> = rows_with(ctx, crate::wording::phrases!["CrashLoopBackOff"]);
        // An `Error` row says nothing of 126 or 127 (the program never ran), unless it ran as a
        // Job or the logs hold the program's own last error: then it started and failed itself.
        let ran = detail.is_some() && !has_cluster_signal(ctx);
        if job_context(ctx, None) || !evidence.is_empty() || ran {
            for r in &rows {
                if evidence.is_empty() {
                    t = Target::from_row(ctx, r);
                    evidence.primary(&r.line, "the pod's container exited with an error");
                } else {
                    evidence.context(&r.line, "pod in `Error`");
                }
            }
        }
        if evidence.is_empty() {
            // A Job that gave up, with an application error line in its logs; or a log that
            // ends in a crash of the program itself (panic, uncaught exception, traceback,
            // fatal error), which is an application failure whatever runs it.
            let crash = detail.is_some_and(|d| {
                let l = d.text.to_ascii_lowercase();
                d.trace
                    || crate::wording::any_in(
                        &l,
                        phrases!["panic", "exception", "traceback", "fatal"],
                    )
                    || cli_error(&d.text)
                    // A Job's script reporting its own failure as its last words.
                    || (shell_report(&d.text)
                        && (job_context(ctx, None) || job_logs(ctx, d.span)))
            });
            let dependency = dependency();
            match detail {
                Some(d) if !backoff.is_empty() => {
                    evidence.primary(&d.span, "the last application error");
                }
                Some(d)
                    if (crash || dependency.is_some())
                        && !has_cluster_signal(ctx)
                        && !run_locally(ctx, d.span) =>
                {
                    evidence.primary(&d.span, "the program failed here");
                    if let Some(dep) = dependency {
                        evidence.context(&dep, "the service it needs does not answer");
                    }
                    for r in &rows {
                        evidence.context(&r.line, "pod in `Error`");
                    }
                    weak = rows.is_empty();
                }
                // A pod listed in `CrashLoopBackOff` next to its container's log ending in an
                // error line: the row shows it keeps exiting, the log says why.
                Some(d) if !looping.is_empty() && !has_cluster_signal(ctx) => {
                    t = Target::from_row(ctx, looping[0]);
                    evidence.primary(&d.span, "the last error before the container exited");
                    for r in &looping {
                        evidence.context(&r.line, "the container keeps exiting and is restarted");
                    }
                }
                // A Job that gave up and whose command can only fail (`sh -c "exit 1"`): the
                // command is the cause even without a pod's status or logs.
                None if !backoff.is_empty() => {
                    let Some((e, c)) = command_evidence(&job_containers) else {
                        return out;
                    };
                    evidence.primary(&e.span, "the command always exits non-zero");
                    code = code.or(c);
                }
                // A valid Job manifest (its `restartPolicy` is `Never` or `OnFailure`, so the
                // API server accepts it) whose command can only fail (`sh -c "...; exit 1"`),
                // pasted without its pods: the Job cannot succeed however often it retries.
                None if ctx.facts.jobs.iter().any(runnable) => {
                    let mut manifest: Vec<&Container> = Vec::new();
                    for j in ctx.facts.jobs.iter().filter(|j| runnable(j)) {
                        manifest.extend(&j.containers);
                    }
                    let Some((e, c)) = command_evidence(&manifest) else {
                        return out;
                    };
                    evidence.primary(
                        &e.span,
                        "the command always exits non-zero: the Job cannot succeed",
                    );
                    weak = true;
                    code = code.or(c);
                }
                _ => return out,
            }
        } else if let Some(d) = detail {
            evidence.context(&d.span, "the last error before the exit");
        }
        let command = command_evidence(&job_containers);
        // A Job pod listed as `Error` says only that its container exited non-zero: a missing
        // program (127), a script without its execute bit (126) or a killed process show the
        // same status. Without an exit code, an error line or a command that can only fail, the
        // cause is not shown (`cause-not-determined` asks for the pod's describe and logs);
        // unless sibling pods `Completed`: then the program exists and runs, and the failing
        // runs are the program's own exits.
        let ran_ok = !rows_with(ctx, crate::wording::phrases!["Completed"]).is_empty();
        let row_only = rows_evidence && detail.is_none() && command.is_none() && !ran_ok;
        if row_only {
            return out;
        }
        if let Some((e, c)) = command {
            if !evidence.iter().any(|x| x.span == e.span) {
                evidence.push(e);
            }
            code = code.or(c);
        }
        if let Some(ps) = ctx.facts.jobs.iter().find_map(|j| j.pods_statuses.as_ref()) {
            evidence.context(&ps.span, "the Job's pod counts");
        }
        evidence.extend(backoff.iter().cloned());
        let mut f = self.make(
            ctx,
            &t,
            code,
            evidence,
            detail.map(|d| d.text.as_str()),
            retry(),
        );
        if weak {
            f.confidence = 60;
        }
        out.push(f);
        out
    }
}

impl AppErrorExit {
    fn make(
        &self,
        ctx: &Context,
        t: &Target,
        code: Option<i32>,
        evidence: Vec<Evidence>,
        detail: Option<&str>,
        retry: bool,
    ) -> Finding {
        let mut message = match code {
            Some(c) => format!("{} exited with code {c}", t.container_label()),
            None => format!("{} failed", t.container_label()),
        };
        if let Some(d) = detail {
            let d: String = d.chars().take(160).collect();
            message.push_str(&format!(": `{}`", d.replace('`', "'")));
        }
        let exit = code.map(|c| format!("exit {c}"));
        let log = detail.map(|d| {
            let d: String = d.chars().take(80).collect();
            format!("log: {d}")
        });
        let mut tail = vec!["Error"];
        tail.extend(exit.as_deref());
        tail.extend(log.as_deref());
        let mut f = finding(
            &META,
            if detail.is_some() { 85 } else { 70 },
            message,
            format!(
                "the application itself failed; Kubernetes ran it as configured. {}",
                advice(retry)
            ),
            evidence,
            steps([
                t.logs_previous(),
                t.describe_pod(),
                t.describe_job(),
                t.job_pods(),
                t.fallback(),
            ]),
            t.chain(&tail),
        );
        // A deterministic exit with the Job manifest pasted: stop at the first such failure
        // with a `podFailurePolicy` (the builder refuses 0 and signal codes above 128).
        if let Some(c) = code.filter(|_| !retry) {
            f.fix = crate::fix::job::fail_job_on_exit_code(ctx, t.container.as_deref(), c);
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::primary_of as primary;

    #[test]
    fn job_pod_rows_in_error_alone_do_not_name_the_cause() {
        let status = "status:\n  conditions:\n  - message: Job has reached the specified backoff limit\n    reason: BackoffLimitExceeded\n    type: Failed\n";
        let error_row = "NAME          READY   STATUS      RESTARTS   AGE\njob-a-x1      0/1     Error       0          21s\n";
        let p = primary;
        // Only the `Error` status and the Job giving up: exit 127, 126 and 1 all look like this.
        assert_eq!(
            p(&format!("{status}{error_row}")),
            crate::cause::Cause::Unknown
        );
        // A sibling pod of the same command completed: the program runs, its failures are its own.
        let mixed = format!("{error_row}job-a-x2      0/1     Completed   0          40s\n");
        assert_eq!(p(&format!("{status}{mixed}")), Cause::AppError);
        // An exit code or an error line still names the application.
        assert_eq!(
            p(&format!("{status}{error_row}$ kubectl logs job-a-x1\nTraceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\nKeyError: 'DB_URL'\n")),
            Cause::AppError
        );
    }

    #[test]
    fn node_process_ended_by_an_unhandled_rejection() {
        let report = "node:internal/process/promises:288\n            triggerUncaughtException(err, true /* fromPromise */);\n            ^\n\n[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"boom\".] {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n\nNode.js v20.11.0\n";
        assert_eq!(primary(report), Cause::AppError);
        // The warning of older Node versions leaves the process running: no crash shown.
        let warning = "(node:1) UnhandledPromiseRejectionWarning: Unhandled promise rejection. This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). (rejection id: 1)\n";
        assert_ne!(primary(warning), Cause::AppError);
    }

    #[test]
    fn job_that_gave_up_with_a_command_that_can_only_fail() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: demo\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: busybox\n        command: [\"sh\", \"-c\", \"exit 1\"]\n      restartPolicy: Never\nstatus:\n  conditions:\n  - message: Job has reached the specified backoff limit\n    reason: BackoffLimitExceeded\n    status: \"True\"\n    type: Failed\n";
        assert_eq!(primary(job), crate::cause::Cause::AppError);
        // The same Job running a real program: the paste does not say why it failed.
        let real = job.replace("\"sh\", \"-c\", \"exit 1\"", "\"/app/run\"");
        assert_eq!(primary(&real), crate::cause::Cause::Unknown);
    }

    #[test]
    fn a_runnable_job_manifest_whose_command_can_only_fail() {
        use crate::cause::Cause;
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: fails\nspec:\n  template:\n    spec:\n      containers:\n        - name: failing\n          image: busybox\n          command:\n            - /bin/sh\n            - -c\n            - date; echo Will fail; exit 1\n      restartPolicy: Never\n";
        assert_eq!(primary(job), Cause::AppError);
        // A command that can succeed says nothing about the cause.
        assert_ne!(primary(&job.replace("exit 1", "exit 0")), Cause::AppError);
        // A Job the API server rejects (no `restartPolicy`, so `Always`) never runs its command.
        assert_ne!(
            primary(&job.replace("      restartPolicy: Never\n", "")),
            Cause::AppError
        );
    }

    #[test]
    fn shell_line_ending_in_false_always_fails() {
        assert!(ends_with_false("sleep 5; false"));
        assert!(ends_with_false("echo start && /bin/false;"));
        assert!(ends_with_false("date\nfalse"));
        // A lone `false` is likely a flag's value, and `false` before other statements or in an
        // `||` fallback does not decide the exit code.
        assert!(!ends_with_false("false"));
        assert!(!ends_with_false("false; echo done"));
        assert!(!ends_with_false("run || false_alarm"));
        assert!(!ends_with_false("--dry-run=false"));
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: demo\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: ubuntu\n        args: [\"sh\", \"-c\", \"sleep 5; false\"]\n      restartPolicy: Never\nstatus:\n  conditions:\n  - message: Job has reached the specified backoff limit\n    reason: BackoffLimitExceeded\n    status: \"True\"\n    type: Failed\n";
        assert_eq!(primary(job), crate::cause::Cause::AppError);
        let ok = job.replace("sleep 5; false", "false; sleep 5");
        assert_eq!(primary(&ok), crate::cause::Cause::Unknown);
    }

    #[test]
    fn transient_words() {
        assert!(transient("dial tcp 10.0.0.1:5432: i/o timeout"));
        assert!(transient("upstream answered 503 Service Unavailable"));
        assert!(!transient(
            "F0129 10:02:52.587503       1 mysql_options.go:144] Failed to apply migrations"
        ));
        assert!(!transient(
            "Error: rendered manifests contain a resource that already exists"
        ));
    }

    #[test]
    fn a_klog_fatal_line_is_the_programs_crash() {
        use crate::cause::Cause;
        let row = "$ kubectl get pods\nNAME            READY   STATUS   RESTARTS     AGE\nop-6c6fc9-xs79f 0/1     Error    1 (1s ago)   2s\n";
        let fatal = "$ kubectl logs op-6c6fc9-xs79f\nF0129 10:02:52.587503       1 main.go:144] Failed to apply migrations: Dirty database version 1.\n";
        assert_eq!(primary(&format!("{row}{fatal}")), Cause::AppError);
        // A component's klog error narration (`E…`) is no exit of its own.
        let narration = fatal.replace("F0129", "E0129");
        assert_ne!(primary(&format!("{row}{narration}")), Cause::AppError);
    }

    #[test]
    fn crashloop_row_with_an_error_in_the_logs() {
        use crate::cause::Cause;
        let row = "$ kubectl get pods\nNAME          READY   STATUS             RESTARTS   AGE\nworker-7f9-x  0/1     CrashLoopBackOff   4          3m\n";
        let logs = "$ kubectl logs worker-7f9-x\nERROR: DATABASE_URL is not set\n";
        assert_eq!(primary(&format!("{row}{logs}")), Cause::AppError);
        // The row alone does not say why; kubectl's own error is not the program's.
        assert_ne!(primary(row), Cause::AppError);
        assert_ne!(
            primary(&format!(
                "{row}$ kubectl logs worker-7f9-x\nError from server (BadRequest): container \"w\" in pod \"worker-7f9-x\" is waiting to start: PodInitializing\n"
            )),
            Cause::AppError
        );
    }

    #[test]
    fn an_error_row_beside_the_programs_own_error_log() {
        let row = "NAME                   READY   STATUS   RESTARTS   AGE\napi-54fd448c58-mq6hc   0/1     Error    1          48s\n";
        // Alone, outside a Job, the row cannot tell a program's exit from 126/127.
        assert_eq!(primary(row), Cause::Unknown);
        // The program's own error-level log line shows it started and failed itself.
        let log = "2021-03-19T17:16:21Z ERR pkg/api/service.go:98 > initDb error, error=\"Error 1045: Access denied\"\n";
        assert_eq!(primary(&format!("{log}\n{row}")), Cause::AppError);
    }

    #[test]
    fn kubectl_runs_closing_line_and_a_cli_programs_last_words() {
        let run = "ERROR 1045 (28000): Access denied for user: 'root'\npod \"mysql-client\" deleted\npod default/mysql-client terminated (Error)\n";
        assert_eq!(primary(run), Cause::AppError);
        // A run that ended well is no failure.
        let ok = "done\npod default/mysql-client terminated (Completed)\n";
        assert_ne!(primary(ok), Cause::AppError);
        assert!(cli_error(
            "pg_dumpall: error: connection to server at \"db\" failed: Connection refused"
        ));
        assert!(cli_error(
            "usage.py: error: the following arguments are required: --input"
        ));
        assert!(cli_error(
            "curl: (22) The requested URL returned error: 500"
        ));
        assert!(!cli_error("curl: (see the manual)"));
        // Prose with a colon is no program's name.
        assert!(!cli_error("The backup says: error: connection refused"));
        assert!(!cli_error(
            "error: the server doesn't have a resource type \"jobz\""
        ));
    }

    #[test]
    fn an_http_clients_failure_is_its_last_words_not_the_response_it_prints() {
        // `curl -f -i`: the client's verdict, then the response's status line and headers.
        let curl = "curl: (22) The requested URL returned error: 500\nHTTP/1.0 500 Internal Server Error\nServer: BaseHTTP/0.6 Python/3.10.4\nContent-Type: application/json\n";
        assert_eq!(primary(curl), Cause::AppError);
        assert!(cli_error(
            "2022-08-01 23:40:20 ERROR 500: Internal Server Error."
        ));
        assert!(!cli_error(
            "ERROR 1045 (28000): Access denied for user 'root'"
        ));
        // A server's status line alone is no client giving up.
        assert_ne!(
            primary("HTTP/1.1 500 Internal Server Error\nContent-Length: 0\n"),
            Cause::AppError
        );
    }

    #[test]
    fn a_job_scripts_own_report_of_a_file_it_cannot_write() {
        let line = "/scripts/backup.sh: line 12: /backup/20251006112511.state: Permission denied\n";
        let job = format!("$ kubectl logs job.batch/mysql-backup-29329165 -n db\nFound 2 pods, using pod/mysql-backup-29329165-grknd\n{line}");
        assert_eq!(primary(&job), Cause::AppError);
        // Without a Job around it, the line alone is no proof that anything ended.
        assert_ne!(primary(line), Cause::AppError);
        // A script the shell cannot run is the entrypoint's permission problem, Job or not.
        let exec =
            "$ kubectl logs job/backup\n/bin/sh: line 1: /scripts/backup.sh: Permission denied\n";
        assert_eq!(primary(exec), Cause::PermissionDenied);
        assert!(!shell_report("the backup says: line 12 is wrong"));
    }

    #[test]
    fn an_error_word_before_non_ascii_text_is_read_without_slicing_a_character() {
        // `ERROR ` then three bytes that end inside `é`: no status code, and no panic.
        assert!(!cli_error("ERROR aaé: x"));
        assert!(!cli_error("ERROR 5é0: x"));
        assert!(cli_error(
            "2024-01-01 10:00:00 ERROR 500: Internal Server Error."
        ));
    }

    #[test]
    fn a_transient_error_gets_no_failjob_rule_and_no_advice_against_retries() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: report\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: main\n        image: example/report:1.0\n";
        let pod = "Name:         report-x7k2p\nNamespace:    default\nContainers:\n  main:\n    Image:          example/report:1.0\n    State:          Terminated\n      Reason:       Error\n      Exit Code:    3\n";
        let run = |log: &str| {
            let inputs = [job, pod, log].map(|t| crate::Input::new("paste", t));
            let r = crate::diagnose(&inputs);
            assert_eq!(r.primary_cause, Cause::AppError, "{log}");
            (r.findings[0].help.clone(), r.findings[0].fix.is_some())
        };
        let (help, fix) = run("ERROR: column \"total\" does not exist\n");
        assert!(fix && help.contains("deterministic"), "{help}");
        for log in [
            "ERROR: upload failed: read tcp 10.1.2.3:4455->10.9.9.9:443: i/o timeout\n",
            // the program's own words, and the dependency that did not answer below them
            "ERROR: cannot dial server.\ndial tcp 10.9.9.9:26257: connect: connection refused\n",
        ] {
            let (help, fix) = run(log);
            assert!(!fix && help.contains("transient"), "{log}: {help}");
        }
    }

    #[test]
    fn a_client_that_cannot_reach_its_database() {
        let log = "ERROR: cannot dial server.\nIs the server running?\n\ndial tcp 12.34.56.78:26257: connect: connection refused\nFailed running \"sql\"\n";
        let r = crate::diagnose(&[crate::Input::new("paste", log)]);
        assert_eq!(r.primary_cause, Cause::AppError);
        let verdict = log.find("Failed running").expect("in the log");
        assert!(r.findings[0]
            .evidence
            .iter()
            .any(|e| e.span.start < verdict && verdict < e.span.end));
        // kubectl's dial errors are the API server's, not a workload's dependency.
        let kubectl = "E0301 memcache.go:265] couldn't get current server API group list: Get \"https://10.0.0.1:6443/api?timeout=32s\": dial tcp 10.0.0.1:6443: connect: connection refused\nThe connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?\n";
        assert_eq!(primary(kubectl), Cause::ApiserverUnreachable);
        // A refused connection with no error of the program's own proves no failure.
        assert_ne!(
            primary("dial tcp 10.0.0.9:5432: connect: connection refused\n"),
            Cause::AppError
        );
    }

    #[test]
    fn a_traceback_of_a_script_run_at_the_posters_prompt() {
        let trace = "Traceback (most recent call last):\n  File \"/home/me/deploy/run.py\", line 9, in <module>\n    subprocess.run(cmd, check=True)\nsubprocess.CalledProcessError: Command '['helm', 'upgrade']' returned non-zero exit status 1.\n";
        // The deploy script the poster ran locally crashed, not the workload.
        let local = format!("me@laptop:~/deploy$ ./run.py --env prod\n{trace}");
        assert_ne!(primary(&local), Cause::AppError);
        // The same traceback read from a pod's logs is the workload's.
        let logs = format!("me@laptop:~$ kubectl logs job/migrate\n{trace}");
        assert_eq!(primary(&logs), Cause::AppError);
    }

    #[test]
    fn a_ruby_exception_in_pod_logs_is_named_by_its_header() {
        let logs = "$ kubectl logs job/report-7x2\n/app/job.rb:12:in 'run': undefined method 'size' for nil (NoMethodError)\n\tfrom /app/job.rb:5:in 'block in <main>'\n\tfrom /app/job.rb:3:in '<main>'\n";
        let report = crate::diagnose(&[crate::Input::new("logs", logs)]);
        assert_eq!(report.primary_cause, Cause::AppError);
        let first = &report.findings[0];
        assert!(
            first.message.contains("(NoMethodError)"),
            "{}",
            first.message
        );
        // Frames printed by a logger under the line that names the error class: the class line.
        let logged = "2017-11-14 15:40:52 +0000 [error]: unexpected error error_class=Systemd::JournalError error=#<Systemd::JournalError: Bad message>\n  2017-11-14 15:40:52 +0000 [error]: /gems/journal.rb:284:in `enumerate_helper'\n2017-11-14 15:40:52 +0000 [info]: shutting down fluentd\n";
        let report = crate::diagnose(&[crate::Input::new("logs", logged)]);
        assert_eq!(report.primary_cause, Cause::AppError);
        assert!(report.findings[0]
            .message
            .contains("error_class=Systemd::JournalError"));
    }

    #[test]
    fn loose_exit_lines_by_their_code() {
        // Tekton's step condition names an application exit.
        let tekton = "      Message:  \"step-unit-tests\" exited with code 1 (image: \"docker.io/library/golang\"); for logs run: kubectl -n ci logs run-pod -c step-unit-tests\n";
        assert_eq!(primary(tekton), Cause::AppError);
        // Tekton's CLI closes a failed step's log with its own line.
        let tkn = "[deploy] + kubectl apply -f /work/deploy.yaml\n[deploy] error: the path \"/work/deploy.yaml\" cannot be accessed: stat /work/deploy.yaml: permission denied\n\ncontainer step-deploy has failed  : [{\"key\":\"StartedAt\",\"value\":\"2021-06-14T12:54:01.096Z\",\"type\":\"InternalTektonResult\"}]\n";
        assert_eq!(primary(tkn), Cause::AppError);
        let waiting = "[deploy] error: the path \"/work/deploy.yaml\" cannot be accessed\ncontainer step-deploy is waiting to start\n";
        assert_ne!(primary(waiting), Cause::AppError);
        // Jenkins' Kubernetes agent reports how the agent container ended.
        let jenkins = "16:25:55  jenkins/build-15-s5m9r Container jnlp was terminated (Exit Code: 1, Reason: Error)\n16:25:55  Error: Could not find or load main class hudson.remoting.jnlp.Main\n";
        assert_eq!(primary(jenkins), Cause::AppError);
        assert_ne!(
            primary("16:25:55  jenkins/build-15-s5m9r Container jnlp was terminated (Exit Code: 0, Reason: Completed)\n"),
            Cause::AppError
        );
        // 137 is a SIGKILL and 127 a missing program: neither is the application's own exit.
        assert_ne!(
            primary("This step is in Failed state with this message: failed with exit code 137\n"),
            Cause::AppError
        );
        assert_ne!(
            primary("This step is in Failed state with this message: failed with exit code 127\n"),
            Cause::AppError
        );
        assert_eq!(
            primary("This step is in Failed state with this message: failed with exit code 2\n"),
            Cause::AppError
        );
    }

    #[test]
    fn helms_report_of_a_hook_job_is_no_application_error() {
        let helm = "UPGRADE FAILED\nError: Job failed: BackoffLimitExceeded\nError: UPGRADE FAILED: Job failed: BackoffLimitEx\n";
        assert_eq!(primary(helm), Cause::Unknown);
    }

    #[test]
    fn a_test_pods_log_relayed_by_helm_test() {
        let report = "me@laptop app % ./test.sh\nNAME: rel\nSTATUS: deployed\nTEST SUITE:     rel-test-db\nPhase:          Failed\n\nPOD LOGS: rel-test-db\npsql: error: connection to server at \"db\" (10.0.0.2), port 5432 failed: Connection refused\n\nError: unable to get pod logs for rel-test-other: pods \"rel-test-other\" not found\n";
        assert_eq!(primary(report), Cause::AppError);
        // Without the relayed pod log, the local script's own output is no workload's crash.
        let local = "me@laptop app % ./test.sh\nTraceback (most recent call last):\n  File \"test.py\", line 1, in <module>\nValueError: x\n";
        assert_ne!(primary(local), Cause::AppError);
    }

    #[test]
    fn a_glog_fatal_message_and_not_the_frame_that_printed_it() {
        let log = "F1015 10:54:29.242102       1 main.go:90] Failed to create store: errno: 1054, error: Unknown column 'x' in '\nType'\n        Failed to migrate existing db; the migration transaction rolls back..\ngoroutine 1 [running]:\ngithub.com/golang/glog.stacks(0xc0001ec300, 0xc0001f6000, 0x153, 0x1a9)\n        external/com_github_golang_glog/glog.go:769 +0xb1\ngithub.com/golang/glog.Fatalf(...)\n        external/com_github_golang_glog/glog.go:1148\nmain.main()\n        server/main.go:101 +0xe0\n";
        let r = crate::diagnose(&[crate::Input::new("paste", log)]);
        assert_eq!(r.primary_cause, Cause::AppError);
        let f = &r.findings[0];
        assert!(f.message.contains("F1015"), "{}", f.message);
        let e = f
            .evidence
            .iter()
            .find(|e| e.primary)
            .map(|e| e.span)
            .unwrap_or_default();
        let covered = &log[e.start..e.end];
        assert!(
            covered.contains("Failed to migrate existing db"),
            "{covered}"
        );
        assert!(!covered.contains("goroutine"), "{covered}");
    }
}
