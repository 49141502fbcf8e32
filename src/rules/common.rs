//! Helpers the rules share: the object a finding is about (job, pod, container, namespace,
//! node, all read from the paste), the next-step commands built from it, the chain, and small
//! text helpers over signals and lines.

use super::Context;
use crate::facts::{Container, ContainerState, Pod, PodRow, Signal, SignalKind};
use crate::findings::{Evidence, EvidenceList};
use crate::span::Span;
use crate::wording::phrases;

/// `<name>` placeholders and `...` from elided pastes are not real names.
pub fn real(name: &str) -> Option<&str> {
    let n = name.trim();
    (!n.is_empty()
        && !n.starts_with('<')
        && !n.contains("...")
        && n != "<none>"
        && n != "None"
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
    .then_some(n)
}

/// `*slot = name` as an owned string, out of line: the rules fill a [`Target`]'s names in
/// many places, and each assignment written out also drops the old name and copies the new.
#[inline(never)]
pub fn set_name(slot: &mut Option<String>, name: Option<&str>) {
    *slot = name.map(str::to_string);
}

/// The container of the described Jobs' templates, when there is exactly one.
fn only_template_container<'a>(ctx: &Context<'a>) -> Option<&'a Container> {
    let mut only = None;
    for c in ctx.facts.jobs.iter().flat_map(|j| &j.containers) {
        if only.replace(c).is_some() {
            return None;
        }
    }
    only
}

/// What a finding is about, with only names that appear in the paste.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub job: Option<String>,
    pub pod: Option<String>,
    pub namespace: Option<String>,
    pub container: Option<String>,
    pub init: bool,
    pub node: Option<String>,
}

impl Target {
    pub fn from_ctx(ctx: &Context) -> Self {
        Target {
            job: ctx.facts.job_name().and_then(real).map(str::to_string),
            pod: None,
            namespace: ctx.facts.namespace().and_then(real).map(str::to_string),
            container: None,
            init: false,
            node: None,
        }
    }

    pub fn from_pod(ctx: &Context, pod: &Pod, container: Option<&Container>) -> Self {
        let mut t = Self::from_ctx(ctx);
        if let Some(j) = pod.job_name().and_then(real) {
            set_name(&mut t.job, Some(j));
        }
        t.pod = pod
            .name
            .as_ref()
            .and_then(|n| real(&n.value))
            .map(str::to_string);
        if let Some(ns) = pod.namespace.as_ref().and_then(|n| real(&n.value)) {
            set_name(&mut t.namespace, Some(ns));
        }
        t.node = pod
            .node
            .as_ref()
            .and_then(|n| n.value.split('/').next())
            .and_then(real)
            .map(str::to_string);
        if let Some(c) = container {
            set_name(&mut t.container, real(&c.name.value));
            t.init = c.init;
        }
        t
    }

    pub fn from_row(ctx: &Context, row: &PodRow) -> Self {
        let mut t = Self::from_ctx(ctx);
        set_name(&mut t.pod, real(&row.name.value));
        if let Some(ns) = row.namespace.as_ref().and_then(|n| real(&n.value)) {
            set_name(&mut t.namespace, Some(ns));
        }
        // A Job's pod: its template's only container is the one that ran.
        if let Some(only) = only_template_container(ctx) {
            set_name(&mut t.container, real(&only.name.value));
        }
        t
    }

    /// The first pod the paste describes or lists, for findings read from a loose line.
    pub fn guess(ctx: &Context) -> Self {
        let mut t = Self::guess_inner(ctx);
        // `kubectl logs POD` / `kubectl describe pod POD` typed in the paste name the pod.
        if t.pod.is_none() {
            for c in &ctx.facts.commands {
                let w: Vec<&str> = c
                    .words
                    .iter()
                    .map(String::as_str)
                    .filter(|w| !w.starts_with('-'))
                    .collect();
                let named = match w.as_slice() {
                    ["logs", pod, ..] => Some(*pod),
                    ["describe", "pod" | "pods" | "po", pod, ..] => Some(*pod),
                    ["describe", p, ..] if p.starts_with("pod/") => p.strip_prefix("pod/"),
                    _ => None,
                };
                if let Some(p) = named.and_then(real) {
                    // `-n ns` is filtered out above with its dash; its value must not be taken as the pod.
                    if c.namespace.as_deref() != Some(p) {
                        set_name(&mut t.pod, Some(p));
                        if let Some(ns) = c.namespace.as_deref().and_then(real) {
                            set_name(&mut t.namespace, Some(ns));
                        }
                        break;
                    }
                }
            }
        }
        // The Job controller's `Created pod: x` names the newest pod.
        if t.pod.is_none() {
            let mut events: Vec<&crate::facts::Event> = Vec::new();
            for j in &ctx.facts.jobs {
                events.extend(&j.events);
            }
            events.extend(&ctx.facts.events);
            let gone = |p: &str| {
                events.iter().any(|e| {
                    e.message.value.strip_prefix("Deleted pod: ").map(str::trim) == Some(p)
                })
            };
            if let Some(p) = events
                .iter()
                .filter_map(|e| e.message.value.strip_prefix("Created pod: "))
                .filter_map(|p| real(p.trim()))
                .rfind(|p| !gone(p))
            {
                set_name(&mut t.pod, Some(p));
            }
        }
        // A Job's template with one container: that container ran.
        if t.container.is_none() {
            if let Some(only) = only_template_container(ctx) {
                set_name(&mut t.container, real(&only.name.value));
            }
        }
        // `Successfully assigned ns/pod to node` names the pod of an events-only paste.
        if t.pod.is_none() {
            for e in &ctx.facts.events {
                let Some(rest) = e.message.value.strip_prefix("Successfully assigned ") else {
                    continue;
                };
                let Some((obj, node)) = rest.split_once(" to ") else {
                    continue;
                };
                let (ns, pod) = obj.split_once('/').unwrap_or(("", obj));
                set_name(&mut t.pod, real(pod));
                if t.namespace.is_none() {
                    set_name(&mut t.namespace, real(ns));
                }
                set_name(&mut t.node, real(node.trim()));
                break;
            }
        }
        t
    }

    /// `kubectl get pods` (namespace-wide) when no pod is named, so a finding always has a
    /// command to run.
    pub fn fallback(&self) -> Option<String> {
        self.pod.is_none().then(|| self.get_pods())
    }

    fn guess_inner(ctx: &Context) -> Self {
        if let Some(p) = ctx.facts.pods.iter().find(|p| p.name.is_some()) {
            return Self::from_pod(ctx, p, None);
        }
        // A row in trouble before a healthy one.
        let healthy = |r: &&PodRow| {
            crate::wording::any_eq(
                r.status.value.as_str(),
                crate::wording::phrases!["Running", "Completed", "Succeeded"],
            )
        };
        if let Some(r) = ctx
            .facts
            .pod_rows
            .iter()
            .find(|r| !healthy(r))
            .or(ctx.facts.pod_rows.first())
        {
            return Self::from_row(ctx, r);
        }
        Self::from_ctx(ctx)
    }

    pub fn ns(&self) -> String {
        crate::fix::advice::ns_flag(self.namespace.as_deref())
    }

    pub fn describe_pod(&self) -> Option<String> {
        Some(format!(
            "kubectl describe pod {}{}",
            self.pod.as_ref()?,
            self.ns()
        ))
    }

    pub fn logs_previous(&self) -> Option<String> {
        let pod = self.pod.as_ref()?;
        Some(match &self.container {
            Some(c) => format!("kubectl logs {pod} -c {c} --previous{}", self.ns()),
            None => format!("kubectl logs {pod} --previous{}", self.ns()),
        })
    }

    pub fn logs(&self) -> Option<String> {
        let pod = self.pod.as_ref()?;
        Some(match &self.container {
            Some(c) => format!("kubectl logs {pod} -c {c}{}", self.ns()),
            None => format!("kubectl logs {pod}{}", self.ns()),
        })
    }

    pub fn describe_job(&self) -> Option<String> {
        Some(format!(
            "kubectl describe job {}{}",
            self.job.as_ref()?,
            self.ns()
        ))
    }

    pub fn job_pods(&self) -> Option<String> {
        Some(format!(
            "kubectl get pods -l job-name={}{}",
            self.job.as_ref()?,
            self.ns()
        ))
    }

    pub fn describe_node(&self) -> Option<String> {
        Some(format!("kubectl describe node {}", self.node.as_ref()?))
    }

    pub fn top_pod(&self) -> Option<String> {
        Some(format!(
            "kubectl top pod {} --containers{}",
            self.pod.as_ref()?,
            self.ns()
        ))
    }

    pub fn events(&self) -> String {
        match (&self.pod, &self.namespace) {
            (Some(p), _) => format!(
                "kubectl get events{} --field-selector involvedObject.name={p}",
                self.ns()
            ),
            (None, Some(_)) => format!("kubectl get events{} --sort-by=.lastTimestamp", self.ns()),
            (None, None) => "kubectl get events -A --sort-by=.lastTimestamp".to_string(),
        }
    }

    pub fn get_pods(&self) -> String {
        match &self.namespace {
            Some(_) => format!("kubectl get pods{} -o wide", self.ns()),
            None => "kubectl get pods -A -o wide".to_string(),
        }
    }

    /// After a fix to the pod template: Jobs and bare pods are immutable there, so delete and
    /// re-apply, with the file name the paste itself applied (never a made-up one).
    pub fn reapply(&self, ctx: &Context) -> Option<String> {
        let file = ctx.facts.commands.iter().find_map(|c| {
            let w = &c.words;
            let verb = w.first().map(String::as_str)?;
            if !crate::wording::any_eq(verb, crate::wording::phrases!["apply", "create", "replace"])
            {
                return None;
            }
            let i = w.iter().position(|x| {
                crate::wording::any_eq(x, crate::wording::phrases!["-f", "--filename"])
            })?;
            w.get(i + 1)
                .filter(|f| !f.starts_with('<') && !f.starts_with('-'))
                .cloned()
        })?;
        let ns = self.ns();
        match (&self.job, &self.pod) {
            (Some(j), _) => Some(format!(
                "kubectl delete job {j}{ns} && kubectl apply -f {file}"
            )),
            (None, Some(p)) => Some(format!(
                "kubectl delete pod {p}{ns} && kubectl apply -f {file}"
            )),
            _ => None,
        }
    }

    /// `job/x → pod/y → container/z` then `tail`.
    pub fn chain(&self, tail: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(j) = &self.job {
            out.push(format!("job/{j}"));
        }
        if let Some(p) = &self.pod {
            out.push(format!("pod/{p}"));
        }
        if let Some(c) = &self.container {
            out.push(format!(
                "{}/{c}",
                if self.init {
                    "init-container"
                } else {
                    "container"
                }
            ));
        }
        out.extend(tail.iter().map(|s| s.to_string()));
        out
    }

    /// The container in backticks, or a generic word.
    pub fn container_label(&self) -> String {
        let kind = if self.init {
            "init container"
        } else {
            "container"
        };
        match &self.container {
            Some(c) => format!("{kind} `{c}`"),
            None => kind.to_string(),
        }
    }
}

/// Owned copies of literal commands or chain links.
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Collect the `Some` commands, keeping order and dropping duplicates.
pub fn steps(items: impl IntoIterator<Item = Option<String>>) -> Vec<String> {
    steps_from(&mut items.into_iter())
}

/// The body of [`steps`], compiled once rather than once per caller's array length.
fn steps_from(items: &mut dyn Iterator<Item = Option<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in items.flatten() {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

pub fn signals<'a>(ctx: &'a Context, kind: SignalKind) -> impl Iterator<Item = &'a Signal> + 'a {
    ctx.facts.signals.iter().filter(move |s| s.kind == kind)
}

/// Signals of `kind` with identical line text counted once (pastes repeat the same error).
pub fn distinct<'a>(ctx: &'a Context, kind: SignalKind) -> Vec<&'a Signal> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for s in signals(ctx, kind) {
        let t = span_text(ctx, &s.line);
        if !seen.contains(&t) {
            seen.push(t);
            out.push(s);
        }
    }
    out
}

/// What follows the last `": "` in `s` (all of `s` without one): `s.rsplit(": ").next()`,
/// found searching forwards, which the rest of the engine already compiles (the separator
/// cannot overlap itself, so the last match is the same either way).
pub fn after_last_colon(s: &str) -> &str {
    let mut rest = s;
    while let Some(i) = rest.find(": ") {
        rest = &rest[i + 2..];
    }
    rest
}

pub fn span_text<'a>(ctx: &'a Context, span: &Span) -> &'a str {
    span.text(ctx.text(span.input))
}

/// The value after `prefix` up to the next `"` (prefix ends with the opening quote), or up to
/// whitespace/punctuation otherwise.
pub fn value_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let lower = text.to_ascii_lowercase();
    let i = lower.find(&prefix.to_ascii_lowercase())? + prefix.len();
    let rest = text.get(i..)?;
    let rest = rest.trim_start_matches(['\\']);
    let end = if prefix.ends_with('"') {
        rest.find(['"', '\\'])?
    } else {
        rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | '"' | '\'' | ')' | '(' | ';'))
            .unwrap_or(rest.len())
    };
    let v = rest.get(..end)?.trim_end_matches(['.', ':']);
    (!v.is_empty()).then_some(v)
}

/// The span of the first occurrence of `needle` (case-insensitive) inside `within`.
pub fn sub_span(ctx: &Context, within: Span, needle: &str) -> Option<Span> {
    let t = span_text(ctx, &within).to_ascii_lowercase();
    let i = t.find(&needle.to_ascii_lowercase())?;
    Some(Span::new(
        within.input,
        within.start + i,
        within.start + i + needle.len(),
    ))
}

/// Terminated states of a container, newest first.
pub fn terminated(c: &Container) -> impl Iterator<Item = &ContainerState> {
    c.states().filter(|s| s.kind.value == "Terminated")
}

/// The containers of the described pods that terminated, each with its pod, its last
/// terminated state and how that ended; init containers first when `init` is set.
pub fn ended<'a>(
    ctx: &Context<'a>,
    init: bool,
) -> Vec<(&'a Pod, &'a Container, &'a ContainerState, Exit)> {
    let mut out = Vec::new();
    for pod in &ctx.facts.pods {
        let inits = if init { &pod.init_containers[..] } else { &[] };
        for c in inits.iter().chain(&pod.containers) {
            if let Some(state) = terminated(c).next() {
                out.push((pod, c, state, exit_class(state)));
            }
        }
    }
    out
}

/// One finding per described container whose exit code alone is of class `exit` (126, 127),
/// for when no runtime message was pasted: `what` follows the container's label in the
/// message, `label` marks the exit code and `code` ends the chain.
pub fn exit_code_findings(
    ctx: &Context,
    meta: &'static super::RuleMeta,
    exit: Exit,
    label: &str,
    what: &str,
    help: &str,
    code: &str,
) -> Vec<crate::findings::Finding> {
    let mut out = Vec::new();
    for (pod, c, state, class) in ended(ctx, true) {
        if class != exit {
            continue;
        }
        let t = Target::from_pod(ctx, pod, Some(c));
        let mut evidence = Vec::new();
        if let Some(ec) = &state.exit_code {
            evidence.primary(&ec.span, label);
        }
        if let Some(first) = c.command.first() {
            evidence.context(&first.span, "the configured command");
        }
        out.push(finding(
            meta,
            85,
            format!("{} {what}", t.container_label()),
            help.into(),
            evidence,
            steps([t.logs_previous(), t.describe_pod()]),
            t.chain(&["Terminated", code]),
        ));
    }
    out
}

/// Whether the state's reason is one of `reasons` (a [`crate::wording::phrases!`] list),
/// ignoring ASCII case.
pub fn reason_is(s: &ContainerState, reasons: &str) -> bool {
    s.reason.as_ref().is_some_and(|r| {
        crate::wording::each(reasons).any(|x| r.value.trim().eq_ignore_ascii_case(x))
    })
}

pub fn waiting_reason(c: &Container) -> Option<&crate::facts::S> {
    c.state
        .as_ref()
        .filter(|s| s.kind.value == "Waiting")
        .and_then(|s| s.reason.as_ref())
}

/// Pod rows whose status matches one of `statuses` (exactly, case-insensitive).
/// The `kubectl get pods` rows whose status is one of `statuses` (a
/// [`crate::wording::phrases!`] list), ignoring ASCII case.
pub fn rows_with<'a>(ctx: &Context<'a>, statuses: &str) -> Vec<&'a PodRow> {
    ctx.facts
        .pod_rows
        .iter()
        .filter(|r| crate::wording::each(statuses).any(|s| r.status.value.eq_ignore_ascii_case(s)))
        .collect()
}

/// Container names from a `Back-off restarting failed container X in pod Y` or
/// `failed to "StartContainer" for "X"` line.
pub fn container_in_line(line: &str) -> Option<String> {
    for p in crate::wording::each(crate::wording::phrases![
        "for \\\"",
        "for \"",
        "failed container ",
        "container \\\"",
        "container \"",
        "in container ",
        "container ",
    ]) {
        if let Some(v) = value_after(line, p) {
            let v = v.trim_matches(['"', '\\']);
            if let Some(n) = real(v) {
                if n != "in" && n != "process" && n != "with" {
                    return Some(n.to_string());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn poster_sentences_are_not_program_errors() {
        use super::narrates_error;
        assert!(narrates_error("when i run debug i see this error"));
        assert!(narrates_error(
            "getting this error trying to access kubernetes resources using kubectl"
        ));
        assert!(narrates_error("i got the following error:"));
        assert!(!narrates_error("error: failed to connect to database"));
        assert!(!narrates_error("i/o error on /dev/sda"));
        assert!(!narrates_error(
            "we failed to open the store: permission denied"
        ));
        assert!(!narrates_error(
            "when i start, `panic: runtime error` is printed"
        ));
        // Questions and sentences pointing at an error shown elsewhere.
        assert!(narrates_error("any idea what this error means?"));
        assert!(narrates_error(
            "this error appears after we upgraded the cluster"
        ));
        assert!(narrates_error("every time the job runs i get this error"));
        assert!(narrates_error("how do i fix the error above"));
        // A program's line asking or hinting is still its own: it names the error or quotes it.
        assert!(!narrates_error(
            "nameerror: name 'prin' is not defined. did you mean: 'print'?"
        ));
        assert!(!narrates_error(
            "is the server running on host \"db\" and accepting tcp/ip connections on port 5432?"
        ));
        assert!(!narrates_error("error what went wrong?"));
        assert!(!narrates_error("2024/01/02 15:04:05 fatal: cannot open db"));
        assert!(!narrates_error(
            "fatal error: all goroutines are asleep - deadlock!"
        ));
    }

    use super::*;

    use crate::rules::primary_of as primary;

    #[test]
    fn kubeadms_own_hints_are_no_program_error() {
        use crate::cause::Cause;
        let preflight = "$ sudo kubeadm init --config kubeadm.yaml\n[init] Using Kubernetes version: v1.29.2\n[preflight] Running pre-flight checks\nerror execution phase preflight: [preflight] Some fatal errors occurred:\n\t[ERROR Port-6443]: Port 6443 is in use\n\t[ERROR FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml]: /etc/kubernetes/manifests/kube-apiserver.yaml already exists\n[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n";
        assert_eq!(primary(preflight), Cause::Unknown);
        let stack = format!(
            "{preflight}To see the stack trace of this error execute with --v=5 or higher\n"
        );
        assert_eq!(primary(&stack), Cause::Unknown);
        // A failed check quoting the runtime's `level=fatal` is kubeadm's report too.
        let cri = "$ sudo kubeadm init\n[preflight] Running pre-flight checks\nerror execution phase preflight: [preflight] Some fatal errors occurred:\n\t[ERROR CRI]: container runtime is not running: output: time=\"2024-01-02T15:04:05Z\" level=fatal msg=\"validate service connection: CRI v1 runtime API is not implemented for endpoint \\\"unix:///var/run/containerd/containerd.sock\\\": rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService\"\n, error: exit status 1\n[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n";
        assert_eq!(primary(cri), Cause::Unknown);
        assert_eq!(
            primary(&cri.replace("\n, error: exit status 1", "")),
            Cause::Unknown
        );
        for hint in [
            "[preflight] if you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`",
            "to see the stack trace of this error execute with --v=5 or higher",
        ] {
            assert!(crate::parse::signals::tool_hint(hint), "{hint}");
        }
        assert!(!crate::parse::signals::tool_hint(
            "fatal: could not read from remote repository."
        ));
    }

    #[test]
    fn a_posters_question_is_no_program_error() {
        use crate::cause::Cause;
        let job = "$ kubectl describe job data-import -n etl\nName:             data-import\nNamespace:        etl\nSelector:         batch.kubernetes.io/controller-uid=5c1f7e2a-9d7b-4c1e-8f0a-2b7d9e6c4a11\nParallelism:      1\nCompletions:      1\nStart Time:       Tue, 02 Jan 2024 15:01:10 +0000\nPods Statuses:    0 Active (0 Ready) / 0 Succeeded / 5 Failed\nPod Template:\n  Containers:\n   importer:\n    Image:      registry.example.com/etl/importer:2.4.1\n    Command:\n      /app/import\n      --source=s3://etl-inbox/daily\nEvents:\n  Type     Reason                Age    From            Message\n  ----     ------                ----   ----            -------\n  Normal   SuccessfulCreate      12m    job-controller  Created pod: data-import-7x2kq\n  Normal   SuccessfulDelete      3m     job-controller  Deleted pod: data-import-7x2kq\n  Warning  BackoffLimitExceeded  3m     job-controller  Job has reached the specified backoff limit\n";
        for prose in [
            "Any idea what this error means?",
            "I get this error every time the job runs",
            "This error appears after we upgraded the cluster",
        ] {
            assert_eq!(
                primary(&format!("{job}\n{prose}\n")),
                Cause::Unknown,
                "{prose}"
            );
            assert_eq!(
                primary(&format!("{prose}\n\n{job}")),
                Cause::Unknown,
                "{prose}"
            );
        }
        // The program's own last words next to the same question still name it.
        for (log, quoted) in [
            ("panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5b2c]\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:42 +0x2c\n", "panic: runtime error"),
            ("Traceback (most recent call last):\n  File \"/app/import.py\", line 12, in <module>\n    main()\nKeyError: 'SOURCE_BUCKET'\n", "KeyError: 'SOURCE_BUCKET'"),
            ("fatal error: all goroutines are asleep - deadlock!\n", "fatal error: all goroutines"),
            ("2024/01/02 15:04:05 fatal: cannot open db\n", "fatal: cannot open db"),
        ] {
            let paste = format!(
                "{job}\n$ kubectl logs data-import-7x2kq -n etl\n{log}\nAny idea what this error means?\n"
            );
            let r = crate::diagnose(&[crate::Input::new("paste".to_string(), paste)]);
            assert_eq!(r.primary_cause, Cause::AppError, "{log}");
            let f = r.findings.first().expect("a finding");
            assert!(f.message.contains(quoted), "{}", f.message);
        }
    }

    #[test]
    fn after_the_last_colon_as_rsplit_gives() {
        for s in [
            "",
            ": ",
            "a",
            "a: b",
            "sh: 1: foo",
            "a:: b: : c",
            "x: y: ",
            ": :  z",
        ] {
            assert_eq!(
                after_last_colon(s),
                s.rsplit(": ").next().unwrap_or(""),
                "{s:?}"
            );
        }
    }

    #[test]
    fn values_after_prefixes() {
        assert_eq!(
            value_after("Error: configmap \"app-config\" not found", "configmap \""),
            Some("app-config")
        );
        assert_eq!(
            value_after(
                "The connection to the server localhost:8080 was refused",
                "to the server "
            ),
            Some("localhost:8080")
        );
        assert_eq!(value_after("abc", "zzz"), None);
    }

    #[test]
    fn placeholders_are_not_names() {
        assert_eq!(real("<name>"), None);
        assert_eq!(real("..."), None);
        assert_eq!(real("worker-1"), Some("worker-1"));
    }

    #[test]
    fn container_names_from_lines() {
        assert_eq!(
            container_in_line("Back-off restarting failed container worker in pod x_ns(uid)"),
            Some("worker".to_string())
        );
        assert_eq!(
            container_in_line(
                "failed to \"StartContainer\" for \"curator\" with RunContainerError"
            ),
            Some("curator".to_string())
        );
    }
}

/// Build a finding for `meta` (its code, name and cause). Kept out of line: inlined, the
/// struct's fields were written out again at each of the rules' call sites.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
pub fn finding(
    meta: &'static super::RuleMeta,
    confidence: u8,
    message: String,
    help: String,
    evidence: Vec<crate::findings::Evidence>,
    next_steps: Vec<String>,
    chain: Vec<String>,
) -> crate::findings::Finding {
    crate::findings::Finding {
        code: meta.code,
        name: meta.name,
        cause: meta.cause,
        severity: if meta.cause == crate::cause::Cause::Unknown && confidence < 50 {
            crate::findings::Severity::Warning
        } else {
            crate::findings::Severity::Error
        },
        confidence,
        message,
        help,
        evidence,
        next_steps,
        chain,
        fix: None,
    }
}

/// What a terminated state says about how the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Oom,
    /// StartError / ContainerCannotRun (exit 128): the runtime could not start the process.
    StartFailed,
    Zero,
    NotExecutable,
    NotFound,
    /// 137 or 143 without `OOMKilled`.
    KilledFromOutside(i32),
    /// Other 128+n.
    Signal(i32),
    App(i32),
    Unknown,
}

pub fn exit_class(s: &ContainerState) -> Exit {
    if reason_is(s, crate::wording::phrases!["OOMKilled", "Init:OOMKilled"]) {
        return Exit::Oom;
    }
    if reason_is(
        s,
        crate::wording::phrases!["StartError", "ContainerCannotRun", "RunContainerError"],
    ) {
        return Exit::StartFailed;
    }
    match s.exit_code.as_ref().map(|c| c.value) {
        Some(0) => Exit::Zero,
        Some(126) => Exit::NotExecutable,
        Some(127) => Exit::NotFound,
        Some(128) if s.message.is_some() => Exit::StartFailed,
        Some(c @ (137 | 143)) => Exit::KilledFromOutside(c),
        Some(c) if (129..=159).contains(&c) => Exit::Signal(c),
        Some(c) => Exit::App(c),
        None if reason_is(s, crate::wording::phrases!["Completed"]) => Exit::Zero,
        None if reason_is(s, crate::wording::phrases!["Error"]) => Exit::App(1),
        None => Exit::Unknown,
    }
}

/// The exit code of a container ended by a signal, as primary evidence that reads the code:
/// `exit code 137 = 128 + SIGKILL (9)`.
pub fn signal_exit_evidence(state: &ContainerState, code: i32) -> Option<Evidence> {
    let ec = state.exit_code.as_ref()?;
    let n = code - 128;
    Some(Evidence::primary(
        &ec.span,
        format!("exit code {code} = 128 + {} ({n})", signal_name(n)),
    ))
}

/// The name of signal `n` (128+n exit codes).
pub fn signal_name(n: i32) -> &'static str {
    match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => "a signal",
    }
}

/// The container is in a restart loop: waiting in `CrashLoopBackOff`, or back-off events.
pub fn crashlooping(ctx: &Context, c: &Container) -> bool {
    waiting_reason(c).is_some_and(|r| r.value.contains("CrashLoopBackOff"))
        || signals(ctx, SignalKind::CrashLoop).any(|s| {
            let line = span_text(ctx, &s.line);
            container_in_line(line).is_none_or(|n| n == c.name.value)
        })
}

/// Something says this ran as a Job: a described Job, a job-name label or owner, a Job
/// manifest or a `BackoffLimitExceeded`.
pub fn job_context(ctx: &Context, pod: Option<&Pod>) -> bool {
    pod.is_some_and(|p| p.job_name().is_some())
        || !ctx.facts.jobs.is_empty()
        || ctx.facts.manifests.iter().any(|m| {
            m.kind.as_ref().is_some_and(|k| {
                crate::wording::any_eq(&k.value, crate::wording::phrases!["Job", "CronJob"])
            })
        })
        || signals(ctx, SignalKind::BackoffLimit).next().is_some()
}

/// The last meaningful error line of the logs.
#[derive(Debug, Clone)]
pub struct AppLine {
    pub span: Span,
    pub text: String,
    /// The line belongs to a stack trace or panic, or is logged at fatal level (`F0102 …`,
    /// `"level":"fatal"`): the program crashed, whatever its words.
    pub trace: bool,
}

/// The last meaningful error line of the logs: an error, fatal, panic or traceback line that is
/// not Kubernetes' own wording about the pod (back-off, pull, scheduling, exit codes, table rows,
/// klog lines). For a multi-line stack trace, its last line (the exception) is the one.
pub fn last_app_error(ctx: &Context) -> Option<AppLine> {
    use crate::facts::LogSignalKind as K;
    let sig = ctx
        .facts
        .log_signals
        .iter()
        .filter(|s| {
            let l = s.text.to_ascii_lowercase();
            let worded = crate::wording::any_in(
                &l,
                phrases!["error", "fatal", "panic", "exception", "traceback"],
            );
            if !(matches!(s.kind, K::Error | K::Fatal | K::Panic | K::StackTrace) || worded)
                || matches!(s.kind, K::OutOfMemory | K::Killed)
            {
                return false;
            }
            if ctx
                .facts
                .signals
                .iter()
                .any(|g| g.line == s.span && g.kind != SignalKind::PermissionDenied)
                || ctx.facts.pod_rows.iter().any(|r| r.line == s.span)
            {
                return false;
            }
            let first = l.lines().next().unwrap_or("");
            if narrates_error(first) {
                return false;
            }
            if crate::parse::logs::is_go_frame(first) {
                return false;
            }
            // kubeadm's failed checks, their heading and its advice are the tool's report.
            let raw = s.text.lines().next().unwrap_or("");
            if crate::parse::signals::tool_hint(first)
                || crate::parse::cluster::kubeadm_check(raw, 0, 0, raw.len()).is_some()
            {
                return false;
            }
            // A component's klog narration (`E0102 …`), not its fatal exit: `F0102 …` is
            // `klog.Fatal`, the program's last words before it exits 255.
            let klog = first.len() > 5
                && matches!(first.as_bytes().first(), Some(b'e' | b'w' | b'i'))
                && first
                    .as_bytes()
                    .get(1..5)
                    .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
            !klog
                && !crate::wording::any_in(
                    first,
                    phrases![
                        "backofflimitexceeded",
                        "back-off",
                        "reason: error",
                        "exitcode",
                        "exit code",
                        "failedsync",
                        "error syncing pod",
                        "crashloop",
                        "reason:",
                        "error from server",
                        // API validation and admission answers are about the manifest.
                        "is invalid:",
                        "admission webhook",
                        "is forbidden:",
                        // Helm reporting a release's or a hook Job's condition, or its own failure
                        // to fetch a test pod's logs.
                        "unable to get pod logs",
                        "upgrade failed:",
                        "installation failed:",
                        "install failed:",
                        "job failed:",
                    ],
                )
        })
        .max_by_key(|s| (s.span.input, s.span.end))?;
    // Inside a multi-line stack trace, the line that names the error: the last one with an
    // error word (Python's exception comes last, Java's and Go's first), else the first line.
    let text = ctx.text(sig.span.input);
    let body = sig.span.text(text);
    let lines: Vec<(usize, usize)> = crate::span::lines(body)
        .filter(|&(a, b)| body.get(a..b).is_some_and(|l| !l.trim().is_empty()))
        .collect();
    // A line naming the exception (`…Exception: …`, `Caused by: …`, `TypeError: …`) wins over
    // other lines of its message; the last one is the root cause (`Caused by:`, Python).
    let header = lines.iter().rev().find(|&&(a, b)| {
        body.get(a..b)
            .is_some_and(crate::parse::logs::is_exception_header)
    });
    let named = header.or_else(|| {
        lines.iter().rev().find(|&&(a, b)| {
            let l = body.get(a..b).unwrap_or("").trim().to_ascii_lowercase();
            !l.starts_with("traceback")
                && !l.starts_with("at ")
                && !l.starts_with("file \"")
                && !crate::parse::logs::is_ruby_frame(&l)
                && !crate::parse::logs::is_go_frame(&l)
                && crate::wording::any_in(
                    &l,
                    phrases!["error", "exception", "panic", "fatal", "failed"],
                )
        })
    });
    let mut chosen = named.or(lines.first())?;
    // Rust ≥ 1.73 prints the panic message on the line after `panicked at <file>:<l>:<c>:`.
    if body.get(chosen.0..chosen.1).is_some_and(|l| {
        let l = l.trim();
        l.contains("panicked at") && l.ends_with(':')
    }) {
        if let Some(next) = lines.iter().find(|&&(a, _)| a > chosen.0) {
            chosen = next;
        }
    }
    let &(start, end) = chosen;
    let line = body.get(start..end)?;
    // The message may sit past the signal's span (a paste split into pieces there).
    if line.trim().contains("panicked at")
        && line.trim().ends_with(':')
        && !lines.iter().any(|&(a, _)| a > start)
    {
        let after = sig.span.start + end;
        let next = text.get(after..).and_then(|r| {
            let skip = r.len() - r.trim_start().len();
            let l = r.trim_start().lines().next()?.trim_end();
            (!l.is_empty()).then_some((after + skip, l))
        });
        if let Some((at, l)) = next {
            return Some(AppLine {
                span: Span::new(sig.span.input, at, at + l.len()),
                text: l.to_string(),
                trace: true,
            });
        }
    }
    let lead = line.len() - line.trim_start().len();
    let abs = sig.span.start + start + lead;
    let mut until = abs + line.trim().len();
    // A klog/glog message holding newlines goes on, unprefixed, up to the next header or the
    // goroutine dump (`F1015 … main.go:90] Failed to … in '` / `Type'` / `Failed to migrate …`).
    let header = line
        .split_whitespace()
        .next()
        .and_then(crate::parse::logs::klog_level);
    if matches!(header, Some(b'F' | b'E')) {
        for _ in 0..3 {
            let Some(next) = crate::span::next_line(text, until) else {
                break;
            };
            let t = next.trim();
            if t.is_empty()
                || t.starts_with("goroutine ")
                || t.split_whitespace()
                    .next()
                    .and_then(crate::parse::logs::klog_level)
                    .is_some()
            {
                break;
            }
            until += 1 + next.trim_end().len();
        }
    }
    Some(AppLine {
        span: Span::new(sig.span.input, abs, until),
        text: line.trim().to_string(),
        trace: matches!(sig.kind, K::StackTrace | K::Panic | K::Fatal),
    })
}

/// The poster's own sentence about an error, not a line of the program's output: one that
/// introduces a paste (`When i run debug i see this error`, `Getting this error trying to access
/// …`, `I got the following error:`), asks a question (`Any idea what this error means?`) or
/// points at an error shown elsewhere (`This error appears after the upgrade`, `every time I get
/// this error`). It speaks of an error without quoting one.
pub fn narrates_error(lower_line: &str) -> bool {
    let t = lower_line
        .trim()
        .trim_start_matches(|c: char| c == '>' || c == '*' || c.is_whitespace());
    // A quoted message follows a colon inside the line; a colon at the end only announces one.
    let body = t.trim_end().trim_end_matches(':');
    if body.contains(": ") || body.contains('`') || body.contains('"') {
        return false;
    }
    let openers = crate::wording::phrases![
        "i ",
        "i'm ",
        "i am ",
        "i've ",
        "i have ",
        "we ",
        "we're ",
        "we've ",
        "when i ",
        "when we ",
        "when ",
        "getting ",
        "got ",
        "after ",
        "while ",
        "here is ",
        "here's ",
        "this is ",
        "below is ",
        "still ",
        "now i ",
        "then i ",
    ];
    if crate::wording::any_prefix(t, openers) {
        return true;
    }
    // A program's line starts with its level or error name (`error …`, `FATAL …`,
    // `KeyError …`, `[ERR] …`), a timestamp or a bracket; a sentence starts with a word.
    let lead = t.split([' ', ':', '[', '(']).next().unwrap_or("");
    let prose_start = t.starts_with(|c: char| c.is_ascii_alphabetic())
        && !crate::wording::any_in(
            lead,
            phrases![
                "err",
                "fatal",
                "panic",
                "exception",
                "warn",
                "info",
                "debug",
                "crit",
                "traceback",
            ],
        );
    if !prose_start {
        return false;
    }
    // Word boundaries: every phrase is matched after a space.
    let spaced = format!(" {body} ");
    let refers = crate::wording::phrases![
        " this error",
        " that error",
        " these errors",
        " those errors",
        " this exception",
        " the following error",
        " the same error",
        " same error",
        " the above error",
        " error above",
        " error below",
        " i get ",
        " i got ",
        " i see ",
        " i'm getting ",
        " i am getting ",
        " i keep getting ",
        " we get ",
        " we got ",
        " we see ",
        " we're getting ",
        " we keep getting ",
        " you get ",
        " gives me ",
        " giving me ",
    ];
    t.trim_end().ends_with('?') || crate::wording::any_in(&spaced, refers)
}

/// Every described container has started (running or terminated) and none waits: failure
/// events about creating or pulling it are older than this state.
pub fn all_started(ctx: &Context) -> bool {
    let mut any = false;
    for p in &ctx.facts.pods {
        for c in p.all_containers() {
            let ran = matches!(
                c.state.as_ref().map(|s| s.kind.value.as_str()),
                Some("Running" | "Terminated")
            ) || c
                .last_state
                .as_ref()
                .is_some_and(|s| s.kind.value == "Terminated")
                || waiting_reason(c).is_some_and(|r| r.value == "CrashLoopBackOff");
            if !ran {
                return false;
            }
            any = true;
        }
    }
    any
}
