use super::common::finding;
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::{Container, LogSignalKind, Pod};
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::fix::memory::raise_memory_limit;
use crate::parse::logs::exit_code_in;
use crate::span::{Joined, Span};

crate::declare_rule! {
    /// ## What it does
    /// Finds containers and init containers that the kernel killed for exceeding their memory
    /// limit: `Reason: OOMKilled` in a container's State or Last State, an `OOMKilled` reason in
    /// a log or controller message, or a node `OOMKilling` event.
    ///
    /// ## Why is this bad?
    /// The process used more memory than its cgroup allows and was killed with SIGKILL (exit code
    /// 137, although some runtimes report others). A Job retries the pod until `backoffLimit` is
    /// used up and then fails with `BackoffLimitExceeded`; retrying more does not help while the
    /// limit stays the same. Exit code 137 on its own is not proof of OOM: a liveness probe,
    /// preemption or eviction also sends SIGKILL, so this rule needs the `OOMKilled` reason.
    ///
    /// ## Evidence
    /// The `Reason: OOMKilled` line (primary), the `Exit Code:` line and the container's memory
    /// limit from `Limits:` or the manifest.
    ///
    /// ## Example
    /// ```text
    ///     Last State:     Terminated
    ///       Reason:       OOMKilled
    ///       Exit Code:    137
    ///     Limits:
    ///       memory:  256Mi
    /// ```
    ///
    /// ## Use instead
    /// Raise `resources.limits.memory` above the peak the workload needs (and keep
    /// `requests.memory` at or below it), or make the workload use less memory (smaller batches,
    /// a heap cap such as `-XX:MaxRAMPercentage` below the limit).
    ///
    /// ## Fix safety
    /// The corrected manifest raises the observed limit by ×1.5 (×2 after repeated kills),
    /// rounded up to a whole `Mi`/`M`. It cannot tell a real leak from a workload that needs more:
    /// if the usage grows without bound, a higher limit only delays the kill. The new limit must
    /// still fit the node's allocatable memory, or the pod will not schedule.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    /// - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#handling-pod-and-container-failures
    pub static META = {
        code: "PM001",
        name: "container-oom-killed",
        cause: Cause::OomKilled,
        needs: &[Need::PodStatus, Need::Logs, Need::Events],
    }
}

pub struct ContainerOomKilled;

impl Rule for ContainerOomKilled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut covered: Vec<Span> = Vec::new();
        for pod in &ctx.facts.pods {
            for c in pod.all_containers() {
                if let Some(f) = from_container(ctx, pod, c) {
                    covered.push(c.span);
                    out.push(f);
                }
            }
        }
        // `kubectl get pods` rows whose status is `OOMKilled` / `Init:OOMKilled`.
        for row in &ctx.facts.pod_rows {
            if !row.status.value.ends_with("OOMKilled") {
                continue;
            }
            covered.push(row.line);
            let text = row.line.text(ctx.text(row.line.input)).to_string();
            out.push(from_log_line(ctx, &row.line, &text));
        }
        let mut kernel_headers = Vec::new();
        for sig in &ctx.facts.log_signals {
            if sig.kind != LogSignalKind::OutOfMemory
                || covered.iter().any(|c| {
                    c.input == sig.span.input && c.start <= sig.span.start && sig.span.end <= c.end
                })
            {
                continue;
            }
            let lower = sig.text.to_ascii_lowercase();
            if crate::wording::any_in(
                &lower,
                crate::wording::phrases!["killed as a result of limit of", "invoked oom-killer"],
            ) {
                // The kernel report's header; its `Killed process` line, when pasted, says more.
                kernel_headers.push(sig);
                continue;
            }
            // The killer's notice that its victim is already exiting kills nothing.
            if !(crate::wording::any_in(
                &lower,
                crate::wording::phrases!["oomkill", "memory cgroup out of memory"],
            )) || lower.contains("skip killing")
            {
                continue;
            }
            covered.push(sig.span);
            out.push(from_log_line(ctx, &sig.span, &sig.text));
        }
        if out.is_empty() {
            if let Some(sig) = kernel_headers.first() {
                covered.push(sig.span);
                out.push(from_log_line(ctx, &sig.span, &sig.text));
            }
        }
        // Node events in tables (`OOMKilling`, `SystemOOM … victim process`), which are not
        // scanned as logs, or in a JSON/YAML event's message (a manifest's own text is not).
        for sig in ctx
            .facts
            .signals
            .iter()
            .filter(|s| s.kind == crate::facts::SignalKind::NodeOom)
        {
            let event = ctx.facts.events.iter().find(|e| {
                let m = e.message.span;
                m.input == sig.at.input && m.start <= sig.at.start && sig.at.end <= m.end
            });
            let overlaps = covered.iter().any(|c| {
                c.input == sig.line.input && c.start < sig.line.end && sig.line.start < c.end
            });
            if overlaps || !out.is_empty() || (sig.in_manifest && event.is_none()) {
                continue;
            }
            covered.push(sig.line);
            let mut text = sig.line.text(ctx.text(sig.line.input)).to_string();
            if let Some(o) = event.and_then(|e| e.object.as_ref()) {
                text = format!("{} {text}", o.value);
            }
            out.push(from_log_line(ctx, &sig.line, &text));
        }
        out
    }
}

fn is_oom(reason: &str) -> bool {
    reason.trim().eq_ignore_ascii_case("OOMKilled") || reason.trim() == "Init:OOMKilled"
}

fn from_container(ctx: &Context, pod: &Pod, c: &Container) -> Option<Finding> {
    // The newest state wins: State first, then Last State.
    let state = c
        .states()
        .find(|s| s.reason.as_ref().is_some_and(|r| is_oom(&r.value)))?;
    let reason = state.reason.as_ref()?;
    let mut evidence = Vec::new();
    evidence.primary(
        &reason.span,
        "the kernel killed this container for exceeding its memory limit",
    );
    if let Some(code) = &state.exit_code {
        evidence.context(
            &code.span,
            if code.value == 137 {
                "exit code 137 = 128 + SIGKILL (9)".to_string()
            } else {
                format!(
                    "exit code {}: the runtime reported the OOM kill with this code",
                    code.value
                )
            },
        );
    }
    let limit = c.limit("memory");
    if let Some(l) = limit {
        evidence.context(&l.value.span, format!("memory limit {}", l.value.value));
    }
    let restarts = c.restart_count.as_ref().map(|r| r.value).unwrap_or(0);
    let name = display_name(&c.name.value);
    let kind = if c.init {
        "init container"
    } else {
        "container"
    };
    let mut message = format!("{kind} {name} was OOM-killed");
    let mut details = Vec::new();
    if let Some(code) = &state.exit_code {
        details.push(format!("exit code {}", code.value));
    }
    if let Some(l) = limit {
        details.push(format!("memory limit {}", l.value.value));
    }
    if restarts > 0 {
        details.push(format!("{restarts} restarts"));
    }
    if !details.is_empty() {
        message.push_str(&format!(" ({})", details.joined(", ")));
    }
    let mut help = String::from(
        "the process used more memory than its limit allows and the kernel killed it with SIGKILL. \
         retrying does not help while the limit stays the same: raise `resources.limits.memory` \
         (keeping `requests.memory` at or below it) or reduce the workload's memory use",
    );
    if limit.is_none() {
        help.push_str(". no memory limit is shown for this container: the node itself may have run out of memory, or the limit comes from a LimitRange; check `kubectl describe node`");
    }
    let pod_name = pod.name.as_ref().map(|n| n.value.as_str());
    let ns = pod
        .namespace
        .as_ref()
        .map(|n| n.value.as_str())
        .or(ctx.facts.namespace());
    let container = real_name(&c.name.value);
    let mut chain = Vec::new();
    if let Some(job) = pod.job_name().or(ctx.facts.job_name()) {
        chain.push(format!("job/{job}"));
    }
    if let Some(p) = pod_name {
        chain.push(format!("pod/{p}"));
    }
    chain.push(format!(
        "{}/{}",
        if c.init {
            "init-container"
        } else {
            "container"
        },
        c.name.value
    ));
    chain.push(reason.value.clone());
    if let Some(code) = &state.exit_code {
        chain.push(format!("exit {}", code.value));
    }
    let observed = limit.and_then(|l| l.quantity.map(|q| (q, l.value.value.clone())));
    let fix = raise_memory_limit(ctx, container, observed, restarts);
    let mut f = finding(
        &META,
        95,
        message,
        help,
        evidence,
        next_steps(
            ctx,
            pod_name,
            ns,
            container,
            pod.node.as_ref().map(|n| n.value.as_str()),
        ),
        chain,
    );
    f.fix = fix;
    Some(f)
}

/// An OOM reported in a log or controller line (`container_reason: OOMKilled, exit_code: 137`).
fn from_log_line(ctx: &Context, span: &Span, text: &str) -> Finding {
    let mut evidence = Vec::new();
    evidence.primary(span, "OOMKilled reported here");
    let line_text = span.text(ctx.text(span.input));
    let mut code = None;
    if let Some((c, s, e)) = exit_code_in(line_text) {
        code = Some(c);
        evidence.context(
            &Span::new(span.input, span.start + s, span.start + e),
            format!("exit code {c} = 128 + SIGKILL (9)"),
        );
    } else if let Some((c, ev)) = exit_code_nearby(ctx, *span) {
        code = Some(c);
        evidence.push(ev);
    }
    let container = name_after(
        text,
        crate::wording::phrases![
            "container_name: ",
            "in container ",
            "container \"",
            "container ",
        ],
    );
    let mut pod = name_after(text, crate::wording::phrases!["in pod ", "pod \"", "pod/"]);
    let mut row_ns = None;
    // A `kubectl get pods` row with status `OOMKilled`.
    if let Some(row) = ctx.facts.pod_rows.iter().find(|r| r.line == *span) {
        pod = Some(row.name.value.clone());
        row_ns = row.namespace.as_ref().map(|n| n.value.clone());
    }
    let (ns, pod) = match pod.as_deref().and_then(|p| p.split_once('/')) {
        Some((ns, p)) => (Some(ns.to_string()), Some(p.to_string())),
        None => (row_ns.or(ctx.facts.namespace().map(str::to_string)), pod),
    };
    // A node event (`OOMKilling` from node-problem-detector, `SystemOOM` from the kubelet).
    let node = name_after(text, "node/");
    let process = text
        .find("process ")
        .and_then(|i| text.get(i..))
        .and_then(|r| r.split_once('(').map(|(_, x)| x))
        .and_then(|r| r.split_once(')').map(|(p, _)| p.to_string()))
        .or_else(|| name_after(text, "victim process: "));
    // Only the restart loop may be visible beside the kill.
    for s in ctx
        .facts
        .signals
        .iter()
        .filter(|s| s.kind == crate::facts::SignalKind::CrashLoop)
        .take(2)
    {
        evidence.context(&s.line, "the restart loop that follows the kills");
    }
    if let (Some(n), None) = (&node, &container) {
        let what = match &process {
            Some(p) => format!("the kernel OOM killer on node `{n}` killed process `{p}`"),
            None => format!("the kernel OOM killer ran on node `{n}`"),
        };
        let mut steps = vec![format!("kubectl describe node {n}")];
        steps.extend(next_steps(ctx, pod.as_deref(), ns.as_deref(), None, None));
        return finding(
            &META,
            80,
            what,
            "a process on the node reached its container's memory limit (or the node ran out of memory) and the kernel killed it. \
             find the pod whose container restarted at that time (`kubectl describe node` lists the pods and their limits), then raise that container's memory limit or reduce its memory use"
                .into(),
            evidence,
            steps,
            vec![format!("node/{n}"), "OOMKilling".into()],
        );
    }
    let message = match (&container, code, &pod) {
        (Some(c), Some(code), _) => format!("container `{c}` was OOM-killed (exit code {code})"),
        (Some(c), None, _) => format!("container `{c}` was OOM-killed"),
        (None, Some(code), _) => format!("a container was OOM-killed (exit code {code})"),
        (None, None, Some(p)) => format!("a container of pod `{p}` was OOM-killed"),
        (None, None, None) => "a container was OOM-killed".to_string(),
    };
    let mut chain = Vec::new();
    if let Some(p) = &pod {
        chain.push(format!("pod/{p}"));
    }
    if let Some(c) = &container {
        chain.push(format!("container/{c}"));
    }
    chain.push("OOMKilled".into());
    if let Some(code) = code {
        chain.push(format!("exit {code}"));
    }
    let fix = raise_memory_limit(ctx, container.as_deref(), None, 0);
    let mut f = finding(
        &META,
        85,
        message,
        "the kernel OOM killer stopped the container because it reached its memory limit (the cgroup limit, \
         or the node's memory when no limit is set). raise the memory limit of that container, or reduce its \
         memory use; retrying without a change fails the same way"
            .into(),
        evidence,
        next_steps(ctx, pod.as_deref(), ns.as_deref(), container.as_deref(), None),
        chain,
    );
    f.fix = fix;
    f
}

/// An `Exit Code:` or `exit_code:` within the two lines after `span`.
fn exit_code_nearby(ctx: &Context, span: Span) -> Option<(i32, Evidence)> {
    let text = ctx.text(span.input);
    let mut pos = span.end;
    for _ in 0..2 {
        let rest = text.get(pos..)?;
        let nl = rest.find('\n')?;
        let start = pos + nl + 1;
        let line_end = crate::span::line_end(text, start);
        let line = text.get(start..line_end)?;
        if let Some((c, s, e)) = exit_code_in(line) {
            return Some((
                c,
                Evidence::context(
                    &Span::new(span.input, start + s, start + e),
                    format!("exit code {c}"),
                ),
            ));
        }
        pos = line_end;
    }
    None
}

/// The word after the first of `prefixes` found in `text` (up to a space, comma, quote or period at the end).
fn name_after(text: &str, prefixes: &str) -> Option<String> {
    for p in crate::wording::each(prefixes) {
        if let Some(i) = text.find(p) {
            let rest = &text[i + p.len()..];
            let word: String = rest
                .chars()
                .take_while(|c| !matches!(c, ' ' | ',' | '"' | '\'' | ':' | ')' | '('))
                .collect();
            let word = word.trim_end_matches('.').to_string();
            if !word.is_empty() && word != "None" {
                return Some(word);
            }
        }
    }
    None
}

/// `<name>` placeholders from elided pastes are not real names.
fn real_name(name: &str) -> Option<&str> {
    (!name.is_empty() && !name.starts_with('<') && name != "...").then_some(name)
}

fn display_name(name: &str) -> String {
    match real_name(name) {
        Some(n) => format!("`{n}`"),
        None => "(name not shown)".to_string(),
    }
}

fn next_steps(
    ctx: &Context,
    pod: Option<&str>,
    ns: Option<&str>,
    container: Option<&str>,
    node: Option<&str>,
) -> Vec<String> {
    let ns_flag = crate::fix::advice::ns_flag(ns);
    let mut out = Vec::new();
    if let Some(p) = pod {
        out.push(format!("kubectl describe pod {p}{ns_flag}"));
        match container {
            Some(c) => out.push(format!("kubectl logs {p} -c {c} --previous{ns_flag}")),
            None => out.push(format!("kubectl logs {p} --previous{ns_flag}")),
        }
        out.push(format!("kubectl top pod {p} --containers{ns_flag}"));
    }
    if let Some(job) = ctx.facts.job_name() {
        out.push(format!("kubectl get pods -l job-name={job}{ns_flag}"));
    }
    if let Some(n) = node
        .and_then(|n| n.split('/').next())
        .filter(|n| !n.is_empty() && *n != "<none>")
    {
        out.push(format!("kubectl describe node {n}"));
    }
    if out.is_empty() {
        out.push(format!(
            "kubectl get pods{} -o wide",
            if ns.is_some() {
                ns_flag.clone()
            } else {
                " -A".into()
            }
        ));
    }
    out
}

#[cfg(test)]
mod kernel_report_tests {
    use crate::cause::Cause;

    use crate::rules::primary_of as primary;

    #[test]
    fn cgroup_v1_kernel_report_is_an_oom_kill() {
        let t = "Jan  5 02:12:02 node1 kernel: Task in /kubepods/burstable/pod1/abc killed as a result of limit of /kubepods/burstable/pod1/abc\n\
                 Jan  5 02:12:02 node1 kernel: memory: usage 1048576kB, limit 1048576kB, failcnt 189\n";
        assert_eq!(primary(t), Cause::OomKilled);
    }

    #[test]
    fn memory_usage_lines_alone_are_not_an_oom_kill() {
        let t = "Jan  5 02:12:02 node1 kernel: memory: usage 1048576kB, limit 1048576kB, failcnt 189\n\
                 Jan  5 02:12:02 node1 kernel: memory+swap: usage 1048576kB, limit 1048576kB, failcnt 0\n";
        assert_ne!(primary(t), Cause::OomKilled);
    }
}

#[cfg(test)]
mod event_object_tests {
    use crate::cause::Cause;

    use crate::rules::primary_of as primary;

    #[test]
    fn a_node_oom_event_printed_as_json_is_an_oom_kill() {
        let ev = "{\n  \"kind\": \"Event\",\n  \"involvedObject\": {\"kind\": \"Node\", \"name\": \"n1\"},\n  \"reason\": \"OOMKilling\",\n  \"message\": \"Memory cgroup out of memory: Killed process 35 (java) total-vm:7kB\"\n}\n";
        assert_eq!(primary(ev), Cause::OomKilled);
        // Cut before its closing braces, as posted.
        let cut = ev.trim_end().trim_end_matches('}');
        assert_eq!(primary(cut), Cause::OomKilled);
    }

    #[test]
    fn oom_words_in_a_manifest_that_is_no_event_are_not_an_oom_kill() {
        // node-problem-detector's own rules name the kernel's message as a pattern.
        let cfg = "apiVersion: v1\nkind: ConfigMap\ndata:\n  rules: |\n    reason: OOMKilling\n    pattern: Memory cgroup out of memory\n";
        assert_ne!(primary(cfg), Cause::OomKilled);
    }
}
