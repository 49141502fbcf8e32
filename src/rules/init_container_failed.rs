use super::common::{
    exit_class, finding, real, set_name, steps, terminated, waiting_reason, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::span::Span;
use crate::wording::{any_in, phrases};

crate::declare_rule! {
    /// ## What it does
    /// Finds init containers that fail (`Init:Error`, a non-zero exit code), crash-loop
    /// (`Init:CrashLoopBackOff`) or block forever (`Running` while the pod stays `Pending`,
    /// `Init:0/1` for a long time), so the main containers never start.
    ///
    /// ## Why is this bad?
    /// Init containers run in order and each must exit 0 before the next one, and before the
    /// app containers. With `restartPolicy: Never` one failure fails the pod; otherwise the
    /// kubelet retries the init container with back-off. A wait loop (waiting for a database or
    /// a Service) that never succeeds keeps the pod `Pending` without any error.
    ///
    /// ## Evidence
    /// The init container's `Exit Code:` or `Reason:` line, or the `Init:…` pod status
    /// (primary); its command; the pod's `restartPolicy`.
    ///
    /// ## Example
    /// ```text
    /// pod-x   0/1     Init:Error   0          26s
    /// ```
    ///
    /// ## Use instead
    /// Read the init container's own logs (`kubectl logs POD -c INIT`) and fix its command or
    /// the dependency it waits for; give wait loops a timeout so they fail visibly.
    ///
    /// ## Fix safety
    /// No manifest change is proposed.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/debug-init-containers/
    pub static META = {
        code: "PM012",
        name: "init-container-failed",
        cause: Cause::InitContainerFailed,
        needs: &[Need::PodStatus, Need::Manifest],
    }
}

pub struct InitContainerFailed;

fn node_span(input: usize, n: &crate::parse::yaml::Node) -> Span {
    Span::new(input, n.start, n.end)
}

impl Rule for InitContainerFailed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        for pod in &ctx.facts.pods {
            let pending = pod.status.as_ref().is_some_and(|s| s.value == "Pending");
            for c in &pod.init_containers {
                let t = Target::from_pod(ctx, pod, Some(c));
                let mut evidence = Vec::new();
                let mut what = String::new();
                let mut tail = Vec::new();
                if let Some(w) = waiting_reason(c).filter(|w| w.value.contains("CrashLoopBackOff"))
                {
                    evidence.primary(&w.span, "the init container is crash-looping");
                    what = "keeps failing and is restarted with back-off".into();
                    tail.push("CrashLoopBackOff".to_string());
                }
                if let Some(s) = terminated(c).next() {
                    let class = exit_class(s);
                    if matches!(class, Exit::Oom | Exit::Zero | Exit::Unknown) {
                        if evidence.is_empty() {
                            continue;
                        }
                    } else if let Some(ec) = &s.exit_code {
                        evidence.primary_if_first(
                            &ec.span,
                            format!("the init container exited with {}", ec.value),
                        );
                        if what.is_empty() {
                            what = format!("exited with code {}", ec.value);
                        }
                        tail.push(format!("exit {}", ec.value));
                    } else if let Some(r) = &s.reason {
                        // `Reason: Error` with the exit code cut from the paste: it failed all
                        // the same, and its `Message:` (when there is one) says why.
                        evidence.primary_if_first(
                            &r.span,
                            format!("the init container ended in `{}`", r.value),
                        );
                        if let Some(m) = &s.message {
                            evidence.context(&m.span, "its message");
                        }
                        if what.is_empty() {
                            what = format!("ended in `{}` (the exit code is not shown)", r.value);
                        }
                        tail.push(r.value.clone());
                    }
                }
                if evidence.is_empty()
                    && pending
                    && c.state.as_ref().is_some_and(|s| s.kind.value == "Running")
                {
                    if let Some(s) = &c.state {
                        evidence.primary(&s.kind.span, "still running while the pod waits");
                    }
                    if let Some(st) = &pod.status {
                        evidence.context(&st.span, "the pod stays Pending");
                    }
                    what = "never finishes, so the app containers never start (a wait loop that never succeeds?)".into();
                    tail.push("Running (blocking)".into());
                }
                if evidence.is_empty() {
                    continue;
                }
                if c.name.span.end > c.name.span.start {
                    evidence.context(&c.name.span, "listed under the pod's init containers");
                }
                if let Some(first) = c.command.first() {
                    evidence.context(&first.span, "its command");
                }
                out.push(self.make(ctx, &t, &what, evidence, tail));
            }
        }
        if !out.is_empty() {
            return out;
        }
        // `kubectl get pods` rows: `Init:Error`, `Init:CrashLoopBackOff`, `Init:0/1`.
        let init_rows: Vec<_> = ctx
            .facts
            .pod_rows
            .iter()
            .filter(|r| {
                r.status.value.strip_prefix("Init:").is_some_and(|rest| {
                    !any_in(
                        rest,
                        phrases!["OOMKilled", "ImagePull", "ErrImage", "ConfigError"],
                    )
                })
            })
            .collect();
        for (i, r) in init_rows.iter().enumerate() {
            let st = r.status.value.as_str();
            let rest = st.get("Init:".len()..).unwrap_or("");
            // `kubectl get pods` run twice (or `-w`) lists the same pod again: one finding per
            // pod, on its latest row, with the earlier rows as context.
            if init_rows[i + 1..]
                .iter()
                .any(|later| later.name.value == r.name.value)
            {
                continue;
            }
            let stuck = rest.contains('/');
            let mut t = Target::from_row(ctx, r);
            let mut evidence = Vec::new();
            evidence.primary(&r.line, format!("pod status `{st}`"));
            for earlier in init_rows[..i]
                .iter()
                .filter(|e| e.name.value == r.name.value && e.status.value != r.status.value)
            {
                evidence.context(
                    &earlier.line,
                    format!("earlier: pod status `{}`", earlier.status.value),
                );
            }
            // The pod's manifest, when pasted: its init containers and restart policy.
            for m in &ctx.facts.manifests {
                let spec = match m.kind.as_ref().map(|k| k.value.as_str()) {
                    Some("Pod") => m.root.get("spec"),
                    Some("Job") => m.root.at(phrases!["spec", "template", "spec"]),
                    _ => None,
                };
                let Some(spec) = spec else { continue };
                let Some(inits) = spec.get("initContainers") else {
                    continue;
                };
                if m.name
                    .as_ref()
                    .is_some_and(|n| n.value != r.name.value && !r.name.value.starts_with(&n.value))
                {
                    continue;
                }
                if let [only] = inits.items() {
                    if let Some(n) = only.get("name").and_then(|n| n.as_str()).and_then(real) {
                        set_name(&mut t.container, Some(n));
                        t.init = true;
                    }
                }
                for ic in inits.items() {
                    if let Some(cmd) = ic.get("command") {
                        evidence.context(
                            &node_span(m.span.input, cmd),
                            "the init container's command",
                        );
                    }
                }
                if let Some((k, v)) = spec.entry("restartPolicy") {
                    evidence.context(
                        &Span::new(m.span.input, k.start, v.end),
                        format!(
                            "restartPolicy {}: {}",
                            v.as_str().unwrap_or(""),
                            if v.as_str() == Some("Never") {
                                "the failure is final"
                            } else {
                                "the kubelet retries it"
                            }
                        ),
                    );
                }
            }
            t.init = true;
            let what = if stuck {
                "has not finished, so the app containers have not started".to_string()
            } else if rest.contains("CrashLoopBackOff") {
                "keeps failing and is restarted with back-off".to_string()
            } else {
                "failed, so the app containers never started".to_string()
            };
            let tail = vec![st.to_string()];
            let mut f = self.make(ctx, &t, &what, evidence, tail);
            if stuck {
                f.confidence = 55;
            }
            out.push(f);
        }
        if out.is_empty() {
            out.extend(stated_status(self, ctx));
        }
        if out.is_empty() {
            out.extend(dns_wait_loop(self, ctx));
        }
        if out.is_empty() {
            out.extend(held_at_pod_initializing(self, ctx));
        }
        if out.is_empty() {
            out.extend(kubelet_backing_off_an_init_container(self, ctx));
        }
        if out.is_empty() {
            out.extend(init_container_log(self, ctx));
        }
        out
    }
}

/// `kubectl logs <pod> -c <init-…>` echoed in the paste, then an error line from that container
/// before the next command: the init container's own failure (`chown: … Permission denied`).
fn init_container_log(rule: &InitContainerFailed, ctx: &Context) -> Option<Finding> {
    for (input, i) in ctx.inputs.iter().enumerate() {
        let text = i.text.as_str();
        // Only a paste that names a container to `logs` is read line by line (a 50 MB log
        // without one is skipped in one pass).
        if !text.contains(" -c ") && !text.contains("--container") {
            continue;
        }
        let mut at = 0;
        let mut current: Option<(String, Span)> = None;
        for line in text.split_inclusive('\n') {
            let body = line.trim();
            let start = at + (line.len() - line.trim_start().len());
            at += line.len();
            if body.is_empty() {
                continue;
            }
            let command = crate::detect::prompt_command(body).or_else(|| {
                (crate::wording::any_prefix(body, crate::wording::phrases!["kubectl ", "oc "]))
                    .then_some(body)
            });
            if let Some(command) = command {
                let words: Vec<&str> = command.split_whitespace().collect();
                current = words
                    .iter()
                    .position(|w| *w == "logs")
                    .and_then(|_| {
                        words.windows(2).find_map(|w| match w {
                            [flag, name] if *flag == "-c" || *flag == "--container" => Some(*name),
                            _ => None,
                        })
                    })
                    .or_else(|| words.iter().find_map(|w| w.strip_prefix("--container=")))
                    .filter(|name| names_init_container(&name.to_ascii_lowercase()))
                    .map(|name| {
                        (
                            name.to_string(),
                            Span::new(input, start, start + body.len()),
                        )
                    });
                continue;
            }
            let Some((name, cmd)) = &current else {
                continue;
            };
            let lower = body.to_ascii_lowercase();
            if crate::wording::any_in(
                &lower,
                phrases!["error", "denied", "fail", "not found", "no such", "fatal"],
            ) {
                let mut t = Target::guess(ctx);
                t.container = real(name).map(str::to_string);
                t.init = true;
                let mut evidence = Vec::new();
                evidence.primary(
                    &Span::new(input, start, start + body.len()),
                    "the init container's own error",
                );
                evidence.context(cmd, "its log, as read");
                let mut f = rule.make(
                    ctx,
                    &t,
                    "fails, so the app containers never start",
                    evidence,
                    vec!["Init:Error".to_string()],
                );
                f.confidence = 70;
                return Some(f);
            }
        }
    }
    None
}

/// The kubelet's sync error `failed to "StartContainer" for "init" with CrashLoopBackOff` for
/// a container that the paste's events place under `spec.initContainers{init}`.
fn kubelet_backing_off_an_init_container(
    rule: &InitContainerFailed,
    ctx: &Context,
) -> Option<Finding> {
    const HEAD: &str = "failed to \"StartContainer\" for \"";
    for (input, i) in ctx.inputs.iter().enumerate() {
        let text = i.text.as_str();
        // The sync error names `CrashLoopBackOff`: its line is a back-off signal.
        let Some(at) = super::common::signals(ctx, crate::facts::SignalKind::CrashLoop)
            .filter(|s| s.line.input == input)
            .find_map(|s| Some(s.line.start + s.line.text(text).find(HEAD)?))
        else {
            continue;
        };
        let rest = text.get(at + HEAD.len()..).unwrap_or("");
        let Some(q) = rest.find('"') else { continue };
        let name = rest.get(..q).unwrap_or("");
        if name.is_empty()
            || !rest
                .get(q..)
                .is_some_and(|r| r.starts_with("\" with CrashLoopBackOff"))
        {
            continue;
        }
        let path = format!("spec.initContainers{{{name}}}");
        let Some(p) = text.find(&path) else { continue };
        let line = |pos: usize| {
            let s = crate::span::line_start(text, pos);
            let e = crate::span::line_end(text, pos);
            let body = text.get(s..e).unwrap_or("");
            let lead = body.len() - body.trim_start().len();
            Span::new(input, s + lead, s + body.trim_end().len())
        };
        let mut t = Target::guess(ctx);
        t.container = real(name).map(str::to_string);
        t.init = true;
        let evidence = vec![
            Evidence::primary(
                line(at),
                "the kubelet is backing off the container's restarts",
            ),
            Evidence::context(line(p), "an init container"),
        ];
        return Some(rule.make(
            ctx,
            &t,
            "keeps failing and is restarted with back-off",
            evidence,
            vec!["Init:CrashLoopBackOff".to_string()],
        ));
    }
    None
}

/// `kubectl logs` refusing an app container because it `is waiting to start: PodInitializing`:
/// the pod's init containers have not all exited 0, the state an `Init:0/1` row shows.
fn held_at_pod_initializing(rule: &InitContainerFailed, ctx: &Context) -> Option<Finding> {
    const REFUSAL: &str = "is waiting to start: PodInitializing";
    for (input, i) in ctx.inputs.iter().enumerate() {
        let text = i.text.as_str();
        if !text.contains(REFUSAL) {
            continue;
        }
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim();
            if body.ends_with(REFUSAL) {
                let start = at + (line.len() - line.trim_start().len());
                let mut t = Target::guess(ctx);
                if let Some(p) = super::common::value_after(body, " in pod \"") {
                    t.pod = real(p).map(str::to_string);
                }
                t.container = None;
                t.init = true;
                let mut evidence = vec![Evidence::primary(
                    Span::new(input, start, start + body.len()),
                    "the app container waits for the init containers",
                )];
                // `kubectl logs --all-containers` prints the init container's output first:
                // its error lines just above the refusal say why it did not finish.
                let above = text.get(..at).unwrap_or("");
                let mut end = above.trim_end_matches(['\n', '\r']).len();
                for _ in 0..3 {
                    let line_start = crate::span::line_start(above, end);
                    let prev = above.get(line_start..end).unwrap_or("");
                    let p = prev.trim().trim_matches('`');
                    let lower = p.to_ascii_lowercase();
                    if p.is_empty()
                        || lower.starts_with("error from server")
                        || crate::detect::prompt_command(p).is_some()
                        || lower.starts_with("kubectl ")
                    {
                        break;
                    }
                    if crate::wording::any_in(
                        &lower,
                        phrases![
                            "error",
                            "fail",
                            "denied",
                            "read-only",
                            "no such",
                            "not found",
                        ],
                    ) {
                        let lead = prev.len() - prev.trim_start().len();
                        evidence.push(Evidence::context(
                            Span::new(input, line_start + lead, line_start + prev.trim_end().len()),
                            "the init container's output before it",
                        ));
                    }
                    if line_start == 0 {
                        break;
                    }
                    end = line_start - 1;
                }
                let mut f = rule.make(
                    ctx,
                    &t,
                    "has not finished, so the app containers have not started",
                    evidence,
                    vec!["PodInitializing".to_string()],
                );
                f.confidence = 55;
                return Some(f);
            }
            at += line.len();
        }
    }
    None
}

/// The pod's `Init:…` status written in the poster's own words (`the pod is stuck in
/// "Init:0/1"`) when no `kubectl get pods` row or describe shows it: the status is the
/// evidence, with less confidence than a listed row.
fn stated_status(rule: &InitContainerFailed, ctx: &Context) -> Option<Finding> {
    for (input, i) in ctx.inputs.iter().enumerate() {
        let text = i.text.as_str();
        for (at, _) in text.match_indices("Init:") {
            let boundary = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            let word: &str = text[at + 5..]
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '/'))
                .next()
                .unwrap_or("");
            let stuck = word.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
            });
            if !boundary || !(stuck || matches!(word, "Error" | "CrashLoopBackOff")) {
                continue;
            }
            let st = format!("Init:{word}");
            let mut t = Target::guess(ctx);
            t.init = true;
            let what = if stuck {
                "has not finished, so the app containers have not started"
            } else if word == "CrashLoopBackOff" {
                "keeps failing and is restarted with back-off"
            } else {
                "failed, so the app containers never started"
            };
            let mut evidence = Vec::new();
            evidence.primary(
                &Span::new(input, at, at + st.len()),
                format!("pod status `{st}`, as stated"),
            );
            let mut f = rule.make(ctx, &t, what, evidence, vec![st]);
            f.confidence = 50;
            return Some(f);
        }
    }
    None
}

/// A failed name lookup's first words (busybox `nslookup`, `bind-tools`).
const LOOKUP_FAILED: &str =
    crate::wording::phrases!["nslookup: can't resolve", "** server can't find"];

/// An init container's wait loop seen only in its logs: a `waiting for X` line next to a failed
/// name lookup (`nslookup: can't resolve 'svc'`, `** server can't find svc: NXDOMAIN`), in a
/// paste that names an init container (`init-…`, `init container`, `initContainers`). The usual
/// `until nslookup svc; do echo waiting for svc; sleep 2; done` never ends while the Service (or
/// its DNS name) is missing, so the pod stays in `Init:0/N`.
fn dns_wait_loop(rule: &InitContainerFailed, ctx: &Context) -> Option<Finding> {
    for (input, i) in ctx.inputs.iter().enumerate() {
        let text = i.text.as_str();
        let lower = text.to_ascii_lowercase();
        // The failed lookup first: one search of the text, where most pastes stop.
        if !crate::wording::any_in(&lower, LOOKUP_FAILED) || !names_init_container(&lower) {
            continue;
        }
        let mut lookup: Option<(usize, usize)> = None;
        let mut wait: Option<(usize, usize)> = None;
        let mut at = 0;
        for line in lower.split_inclusive('\n') {
            let body = line.trim();
            let start = at + (line.len() - line.trim_start().len());
            let span = (start, start + body.len());
            if lookup.is_none() && crate::wording::any_prefix(body, LOOKUP_FAILED) {
                lookup = Some(span);
            }
            if wait.is_none() && body.starts_with("waiting for ") {
                wait = Some(span);
            }
            at += line.len();
        }
        let (Some(l), Some(w)) = (lookup, wait) else {
            continue;
        };
        let mut t = Target::guess(ctx);
        t.init = true;
        let evidence = vec![
            Evidence::primary(
                &Span::new(input, w.0, w.1),
                "the init container's wait loop, still waiting".to_string(),
            ),
            Evidence::context(
                &Span::new(input, l.0, l.1),
                "the name it waits for does not resolve".to_string(),
            ),
        ];
        let mut f = rule.make(
            ctx,
            &t,
            "is stuck in a wait loop on a name that does not resolve, so the app containers have not started",
            evidence,
            vec![text[l.0..l.1].to_string()],
        );
        f.confidence = 45;
        return Some(f);
    }
    None
}

/// Whether lower-cased text names an init container: `init container(s)`, `initcontainers`,
/// `(init)` as kubectl prints it, or a container name starting `init-`/`init_` (not inside a
/// word such as `standard_init_linux.go`).
fn names_init_container(lower: &str) -> bool {
    if crate::wording::any_in(lower, phrases!["init container", "initcontainer", "(init)"]) {
        return true;
    }
    lower.match_indices("init").any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + 4..].chars().next();
        before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
            && matches!(after, Some('-' | '_'))
    })
}

impl InitContainerFailed {
    fn make(
        &self,
        ctx: &Context,
        t: &Target,
        what: &str,
        evidence: Vec<Evidence>,
        tail: Vec<String>,
    ) -> Finding {
        let ns = crate::fix::advice::ns_flag(t.namespace.as_deref());
        let init_logs = match (&t.pod, &t.container) {
            (Some(p), Some(c)) => Some(format!("kubectl logs {p} -c {c}{ns}")),
            _ => None,
        };
        let init_prev = match (&t.pod, &t.container) {
            (Some(p), Some(c)) => Some(format!("kubectl logs {p} -c {c} --previous{ns}")),
            _ => None,
        };
        finding(
            &META,
            80,
            format!("{} {what}", t.container_label()),
            "init containers must each exit 0 before the app containers start. read the init container's own logs and fix its command \
             or the dependency it waits for; retrying does not help while the command itself fails".into(),
            evidence,
            steps([
                init_logs,
                init_prev,
                t.container.is_none().then_some(()).and(t.pod.as_ref()).map(|p| {
                    format!("kubectl logs {p} --all-containers --previous{ns}")
                }),
                t.describe_pod(),
                t.fallback(),
                t.reapply(ctx),
            ]),
            t.chain(&tail.iter().map(String::as_str).collect::<Vec<_>>()),
        )
    }
}

#[cfg(test)]
mod stated_tests {
    use crate::cause::Cause;
    use crate::{diagnose, Input};

    use crate::rules::primary_of as primary;

    #[test]
    fn an_init_container_ended_in_error_without_its_exit_code() {
        let describe = |reason: &str| {
            format!(
                "Name:         wf-x\nNamespace:    argo\nStatus:       Failed\nInit Containers:\n  init:\n    Image:         argoexec:v3\n    State:          Terminated\n      Reason:       {reason}\n      Message:      artifact in failed to load: file exists\n"
            )
        };
        let r = diagnose(&[Input::new("paste", describe("Error"))]);
        assert_eq!(r.primary_cause, Cause::InitContainerFailed);
        let text = describe("Error");
        let f = &r.findings[0];
        assert!(f.message.contains("ended in `Error`"), "{}", f.message);
        assert!(f
            .evidence
            .iter()
            .any(|e| e.span.text(&text).starts_with("artifact in failed")));
        // One that completed is no failure, exit code or not.
        let done = diagnose(&[Input::new("paste", describe("Completed"))]);
        assert_ne!(done.primary_cause, Cause::InitContainerFailed);
    }

    #[test]
    fn init_status_in_the_posters_words() {
        assert_eq!(
            primary(
                "The pod is stuck in \"Init:0/1\" and its init container logs:\nwaiting for db\n"
            ),
            Cause::InitContainerFailed
        );
        assert_eq!(
            primary("my pod shows Init:CrashLoopBackOff after the upgrade\n"),
            Cause::InitContainerFailed
        );
        // Not a status: a word that merely contains the prefix, or another `Init:` reason.
        assert_ne!(
            primary("ReInit:0/1 was logged\n"),
            Cause::InitContainerFailed
        );
        assert_ne!(
            primary("the pod is in Init:ImagePullBackOff\n"),
            Cause::InitContainerFailed
        );
    }

    #[test]
    fn dns_wait_loop_in_init_container_logs() {
        let logs = "waiting for mydb\nnslookup: can't resolve 'mydb'\nServer:    10.0.0.10\n";
        assert_eq!(
            primary(&format!("$ kubectl logs app -c init-mydb\n{logs}")),
            Cause::InitContainerFailed
        );
        assert_eq!(
            primary("init container output:\nwaiting for redis\n** server can't find redis.default.svc.cluster.local: NXDOMAIN\n"),
            Cause::InitContainerFailed
        );
        // No init container named: a lookup failing in an app container is not this cause.
        assert_ne!(
            primary(&format!("$ kubectl logs app\n{logs}")),
            Cause::InitContainerFailed
        );
        // `init` inside another word does not name an init container.
        assert_ne!(
            primary(&format!("standard_init_linux.go:211\n{logs}")),
            Cause::InitContainerFailed
        );
        // A failed lookup without a wait loop (a one-off `nslookup`) is not this cause.
        assert_ne!(
            primary("kubectl logs app -c init-db\nnslookup: can't resolve 'mydb'\n"),
            Cause::InitContainerFailed
        );
    }

    #[test]
    fn one_finding_per_pod_across_repeated_listings() {
        let t = "$ kubectl get pods\nNAME        READY   STATUS       RESTARTS   AGE\napp-7d9-x1  0/1     Init:Error   1          6s\n$ kubectl get pods\nNAME        READY   STATUS                  RESTARTS   AGE\napp-7d9-x1  0/1     Init:CrashLoopBackOff   1          12s\nweb-5c4-y2  0/1     Init:Error              0          12s\n";
        let r = diagnose(&[Input::new("paste".to_string(), t.to_string())]);
        let pm012: Vec<_> = r.findings.iter().filter(|f| f.code == "PM012").collect();
        // Two pods, two findings; the repeated pod is reported once, on its latest row.
        assert_eq!(pm012.len(), 2);
        let app = pm012
            .iter()
            .find(|f| f.chain.iter().any(|c| c.contains("app-7d9-x1")))
            .expect("app finding");
        assert!(app.chain.iter().any(|c| c == "Init:CrashLoopBackOff"));
        assert!(app
            .evidence
            .iter()
            .any(|e| e.label.contains("earlier: pod status `Init:Error`")));
    }

    #[test]
    fn app_containers_held_at_pod_initializing() {
        let refused = "$ kubectl logs web-7f9-x -c web\nError from server (BadRequest): container \"web\" in pod \"web-7f9-x\" is waiting to start: PodInitializing\n";
        assert_eq!(primary(refused), Cause::InitContainerFailed);
        // A container still being created is no init container's doing.
        let creating = "$ kubectl logs web-7f9-x\nError from server (BadRequest): container \"web\" in pod \"web-7f9-x\" is waiting to start: ContainerCreating\n";
        assert_ne!(primary(creating), Cause::InitContainerFailed);
    }

    #[test]
    fn the_kubelet_backing_off_an_init_container() {
        let t = "failed to \"StartContainer\" for \"init\" with CrashLoopBackOff: \"Back-off 40s restarting failed container=init pod=jenkins-1-kh8n7_ci(4818)\"\n  10m   10m   1   {kubelet m3}   spec.initContainers{init}   Normal  Created\n";
        assert_eq!(primary(t), Cause::InitContainerFailed);
        // The same back-off for an app container is no init container's.
        let app = t.replace("spec.initContainers{init}", "spec.containers{init}");
        assert_ne!(primary(&app), Cause::InitContainerFailed);
    }

    #[test]
    fn the_init_containers_output_above_the_refusal() {
        let t = "$ kubectl logs es-7fc6 --all-containers=true\nsysctl: error setting key 'vm.max_map_count': Read-only file system\nError from server (BadRequest): container \"es\" in pod \"es-7fc6\" is waiting to start: PodInitializing\n";
        let r = crate::diagnose(&[crate::Input::new("paste", t)]);
        let f = r.findings.first().expect("a finding");
        assert!(f
            .evidence
            .iter()
            .any(|e| t[e.span.start..e.span.end].starts_with("sysctl: error setting key")));
        // The command line itself is no output.
        assert!(!f
            .evidence
            .iter()
            .any(|e| t[e.span.start..e.span.end].starts_with("$ kubectl")));
    }

    #[test]
    fn an_init_containers_log_read_with_dash_c() {
        let t = "kubectl logs pg-0 -c init-chmod-data\n\nchown: changing ownership of '/bitnami/postgresql/data': Permission denied\n";
        assert_eq!(primary(t), Cause::InitContainerFailed);
        // The app container's log with the same line is no init container's.
        let app = t.replace("-c init-chmod-data", "-c postgresql");
        assert_ne!(primary(&app), Cause::InitContainerFailed);
    }
}
