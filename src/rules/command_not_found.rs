use super::common::{
    after_last_colon, container_in_line, distinct, exit_code_findings, finding, real, rows_with,
    set_name, span_text, steps, sub_span, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Finds containers whose command cannot be found or started as a program: `executable
    /// file not found in $PATH`, `stat /bin/sh: no such file or directory`, `sh: foo: not
    /// found`, exit code 127. It tells apart a missing binary, flags placed in `command`
    /// (`exec: "--config"`), an image without a shell (`scratch`, distroless) and a whole shell
    /// line passed as one argv element (`exec: "python app.py"`).
    ///
    /// ## Why is this bad?
    /// The container never runs its work. The kubelet restarts it (`CrashLoopBackOff`,
    /// `RunContainerError`) or the Job burns its retries; each attempt fails identically, so
    /// retrying or raising `backoffLimit` cannot help.
    ///
    /// ## Evidence
    /// The runtime's error line (primary), the container's `Command:` lines, and the
    /// `CrashLoopBackOff` / `Back-off restarting failed container` lines that show the loop.
    ///
    /// ## Example
    /// ```text
    /// starting container process caused "exec: \"--config\": executable file not found in $PATH"
    /// Warning  BackOff  Back-off restarting failed docker container
    /// ```
    ///
    /// ## Use instead
    /// Put flags in `args` and keep the image's entrypoint (or name the binary first in
    /// `command`); split a shell line into `["sh", "-c", "…"]`; use an image that contains the
    /// binary or the shell; use an absolute path such as `/bin/sh`.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: the right binary and path depend on the image.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
    /// - https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/
    /// - https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts
    pub static META = {
        code: "PM003",
        name: "command-not-found",
        cause: Cause::CommandNotFound,
        needs: &[Need::PodStatus, Need::Logs, Need::Events],
    }
}

pub struct CommandNotFound;

/// The program name in `exec: "X"`, `exec: \"X\"`, `stat X:` or `sh: 1: X: not found`.
fn program(line: &str) -> Option<String> {
    let l = line.replace('\\', "");
    for &p in &["exec: \"", "exec \"", "exec: '"] {
        if let Some(i) = l.find(p) {
            let rest = &l[i + p.len()..];
            let end = rest.find(['"', '\''])?;
            return Some(rest[..end].to_string());
        }
    }
    // `exec /app/run: no such file or directory` (newer runc wording, no quotes).
    if let Some(i) = l.find("exec /") {
        let rest = &l[i + 5..];
        let end = rest.find(':')?;
        return Some(rest[..end].to_string());
    }
    if let Some(i) = l.find("stat ") {
        let rest = &l[i + 5..];
        let end = rest.find(':')?;
        return Some(rest[..end].to_string());
    }
    // `sh: 1: foo: not found`, `/bin/sh: foo: not found`, `bash: foo: command not found`
    let lower = l.to_ascii_lowercase();
    let cut = lower
        .find(": not found")
        .or_else(|| lower.find(": command not found"))?;
    let head = &l[..cut];
    let name = after_last_colon(head).trim();
    (!name.is_empty() && !name.chars().all(|c| c.is_ascii_digit())).then(|| name.to_string())
}

/// The program name on the signal line, or across a terminal wrap: when the line starts
/// mid-word (`tat /bin/sh: no such file…` under `…exec: \"/bin/sh\": s`), the line above is
/// the start of the same message.
fn program_at(ctx: &Context, line: crate::span::Span) -> Option<String> {
    let text = span_text(ctx, &line);
    program(text).or_else(|| {
        let (_, head) = crate::span::line_before(ctx.text(line.input), line.start)?;
        let mid_word = head.ends_with(|c: char| c.is_ascii_alphanumeric())
            && text.starts_with(|c: char| c.is_ascii_lowercase());
        mid_word
            .then(|| program(&format!("{head}{text}")))
            .flatten()
    })
}

/// The runtime's report of a command started in a running container (`kubectl exec`,
/// `oc rsh`, a console terminal), not of the container's own start.
fn is_exec_failure(line: &str) -> bool {
    crate::wording::any_in(
        &line.to_ascii_lowercase(),
        crate::wording::phrases![
            "runtime exec failed",
            "oci runtime error: exec failed",
            "failed to exec in container",
            "error executing command in container",
            "error executing in docker container",
        ],
    )
}

/// What kind of mistake the program name points at.
fn diagnose(prog: &str, line: &str) -> (String, String) {
    let lower = line.to_ascii_lowercase();
    if prog.is_empty() {
        // runc names no file when the entrypoint, or the interpreter on a script's `#!` line,
        // is missing.
        if lower.contains("exec user process caused") {
            (
                "its entrypoint, or the `#!` interpreter of an entrypoint script, does not exist in the image".into(),
                "check the entrypoint's path, that a script's `#!` interpreter is in the image (alpine has no `/bin/bash`) and that the script has Unix line endings".into(),
            )
        } else {
            (
                "the program it runs does not exist in the image or is not on its `PATH`".into(),
                "check the spelling and the image tag, use the absolute path of the binary, or install it in the image".into(),
            )
        }
    } else if prog.starts_with('-') {
        (
            format!("the flag `{prog}` was run as the program: flags were placed in `command`"),
            "`command` replaces the image's entrypoint, so its first element must be the binary. move the flags to `args` (keeping the entrypoint), or put the binary name first in `command`".into(),
        )
    } else if prog.contains(' ') {
        (
            format!("the whole line `{prog}` was passed as one program name"),
            "each element of `command`/`args` is one argv word and no shell splits it. split the line into separate elements, or run it through a shell: `[\"sh\", \"-c\", \"…\"]`".into(),
        )
    } else if crate::wording::any_eq(
        prog,
        crate::wording::phrases!["sh", "bash", "/bin/sh", "/bin/bash", "/bin/ash"],
    ) && (crate::wording::any_in(
        &lower,
        crate::wording::phrases!["no such file", "not found"],
    )) {
        (
            format!("the shell `{prog}` does not exist in the image or is not on its `PATH`"),
            "`scratch` and distroless images have no shell, and some runtimes do not resolve a relative `sh`. use an absolute path (`/bin/sh`), an image with a shell, or exec the binary directly without a shell".into(),
        )
    } else {
        (
            format!("the program `{prog}` does not exist in the image or is not on its `PATH`"),
            "check the spelling and the image tag, use the absolute path of the binary, or install it in the image".into(),
        )
    }
}

/// The image of container `name` (or of the only container) in the described pods, the
/// described Job's template, or a pasted manifest.
fn image_of(ctx: &Context, name: Option<&str>) -> Option<String> {
    let pick = |cs: &mut dyn Iterator<Item = &crate::facts::Container>| -> Option<String> {
        let all: Vec<&crate::facts::Container> = cs.collect();
        let c = match name {
            Some(n) => all.iter().find(|c| c.name.value == n).copied(),
            None if all.len() == 1 => all.first().copied(),
            None => None,
        }?;
        c.image
            .as_ref()
            .map(|i| i.value.clone())
            .and_then(|i| real_image(&i))
    };
    for pod in &ctx.facts.pods {
        if let Some(i) = pick(&mut pod.all_containers()) {
            return Some(i);
        }
    }
    for job in &ctx.facts.jobs {
        if let Some(i) = pick(&mut job.init_containers.iter().chain(job.containers.iter())) {
            return Some(i);
        }
    }
    let c = crate::fix::memory::find_container(ctx, name)?;
    c.node
        .get("image")
        .and_then(crate::parse::yaml::Node::as_str)
        .and_then(real_image)
}

/// An image reference as written, or `None` for elisions and placeholders.
fn real_image(i: &str) -> Option<String> {
    let i = i.trim();
    (!i.is_empty() && !i.starts_with('<') && !i.contains(' ') && !i.contains("..."))
        .then(|| i.to_string())
}

impl Rule for CommandNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut loop_lines: Vec<Evidence> = Vec::new();
        for s in distinct(ctx, SignalKind::CrashLoop).into_iter().take(2) {
            loop_lines.context(&s.line, "the kubelet keeps restarting the container");
        }
        for r in rows_with(
            ctx,
            crate::wording::phrases![
                "CrashLoopBackOff",
                "Init:CrashLoopBackOff",
                "RunContainerError",
                "StartError",
                "ContainerCannotRun",
                "Init:RunContainerError",
            ],
        ) {
            loop_lines.context(&r.line, format!("pod status `{}`", r.status.value));
        }
        // Runtime/shell messages, one finding per program name.
        let mut seen: Vec<String> = Vec::new();
        for sig in distinct(ctx, SignalKind::ExecNotFound) {
            let line = span_text(ctx, &sig.line);
            if answers_a_typed_command(ctx, sig.line) {
                continue;
            }
            let prog = program_at(ctx, sig.line).unwrap_or_default();
            if seen.contains(&prog) {
                continue;
            }
            seen.push(prog.clone());
            let mut t = Target::guess(ctx);
            // The container named in the paste, and whether it is an init container.
            let named = container_in_line(line).or_else(|| {
                ctx.facts
                    .signals
                    .iter()
                    .filter(|s| {
                        s.kind == SignalKind::ExecNotFound || s.kind == SignalKind::StartError
                    })
                    .find_map(|s| container_in_line(span_text(ctx, &s.line)))
            });
            let mut evidence = Vec::new();
            evidence.primary(
                &sig.line,
                if prog.is_empty() {
                    "the runtime cannot find the program".to_string()
                } else {
                    format!("`{prog}` cannot be found")
                },
            );
            let runs = |c: &crate::facts::Container| {
                !prog.is_empty() && c.command.first().is_some_and(|w| w.value.trim() == prog)
            };
            let mut matched = false;
            for pod in &ctx.facts.pods {
                for c in pod.all_containers() {
                    let matches_name = named.as_deref().is_some_and(|n| n == c.name.value);
                    if matches_name || runs(c) {
                        matched = true;
                        t = Target::from_pod(ctx, pod, Some(c));
                        if let Some(first) = c.command.first() {
                            evidence.context(&first.span, "the configured command");
                        }
                    }
                }
            }
            // A Job's template whose container (init or not) runs that program names it, before
            // the guess that the template's only regular container is the one that failed.
            let template = ctx.facts.jobs.iter().find_map(|j| {
                j.init_containers
                    .iter()
                    .chain(j.containers.iter())
                    .find(|c| runs(c))
            });
            if let (Some(c), false) = (template, matched) {
                set_name(&mut t.container, real(&c.name.value));
                t.init = c.init;
                if let Some(first) = c.command.first() {
                    evidence.context(&first.span, "the configured command");
                }
            }
            if t.container.is_none() {
                t.container = named.clone();
            }
            if ctx.facts.pod_rows.iter().any(|r| {
                r.status.value.starts_with("Init:")
                    && t.pod.as_deref().is_none_or(|p| p == r.name.value)
            }) && t.container.is_none()
            {
                t.init = true;
            }
            // A bare `Command:` block in prose (not parsed as a pod): point at its first word.
            if evidence.len() == 1 {
                if let Some(span) = sub_span(ctx, ctx_whole(ctx, sig.line.input), "Command:") {
                    evidence.context(&span, "the command as configured");
                }
            }
            evidence.extend(loop_lines.iter().cloned());
            let (what, fix) = diagnose(&prog, line);
            let exit_note =
                if line.contains("128") || line.to_ascii_lowercase().contains("starterror") {
                    " (exit code 128: the runtime could not start it)"
                } else {
                    ""
                };
            // An exec'd command failing leaves the container running: no restart, no retry.
            let exec = is_exec_failure(line);
            let (message, help) = if exec {
                let inside = match &t.container {
                    Some(c) => format!("container `{c}`"),
                    None => "the container".to_string(),
                };
                (
                    format!("a command executed in {inside} cannot start: {what}"),
                    format!(
                        "{fix}. the container itself keeps running; exec a program its image has"
                    ),
                )
            } else {
                (
                    format!("{} cannot start: {what}{exit_note}", t.container_label()),
                    format!(
                        "{fix}. every restart fails the same way, so retrying or raising `backoffLimit` does not help"
                    ),
                )
            };
            out.push(finding(
                &META,
                92,
                message,
                help,
                evidence,
                steps([
                    t.describe_pod(),
                    t.logs_previous(),
                    t.fallback(),
                    Some(t.events()),
                    t.reapply(ctx),
                    t.job.as_ref().map(|j| {
                        format!(
                            "kubectl get job {j} -o yaml{}",
                            crate::fix::advice::ns_flag(t.namespace.as_deref())
                        )
                    }),
                ]),
                t.chain(&[
                    if exec {
                        "exec in the running container"
                    } else {
                        "cannot start"
                    },
                    &if prog.is_empty() {
                        "executable not found".into()
                    } else {
                        format!("exec `{prog}`: not found")
                    },
                ]),
            ));
            // Look inside the image instead of guessing an edit.
            if let (Some(f), false, Some(image)) = (
                out.last_mut(),
                prog.is_empty(),
                image_of(ctx, t.container.as_deref()),
            ) {
                f.fix = Some(crate::fix::advice::command_not_found(&image, &prog));
            }
            // What the paste also shows, as secondary findings under this cause: the manifest
            // mistake behind a flag run as the program, and the restart loop it causes.
            if prog.starts_with('-') {
                // Below 50: a detail of the cause above, never the headline.
                let mut f = finding(
                    &META,
                    45,
                    format!("the container's `command` starts with the flag `{prog}`: flags belong in `args`"),
                    "`command` replaces the image's entrypoint and its first element must be a program; put the flags in `args` so the entrypoint receives them".into(),
                    vec![Evidence::primary(&sig.line, format!("`{prog}` was run as the program"))],
                    Vec::new(),
                    t.chain(&["spec: flags in `command`"]),
                );
                f.cause = crate::cause::Cause::ManifestInvalid;
                f.severity = crate::findings::Severity::Warning;
                out.push(f);
            }
            if let Some((first, rest)) = loop_lines.split_first() {
                let mut evidence = Vec::new();
                evidence.primary(&first.span, first.label.clone());
                evidence.extend(rest.iter().cloned());
                let mut f = finding(
                    &META,
                    40,
                    format!("{} is in a restart loop (CrashLoopBackOff) because it cannot start", t.container_label()),
                    "the loop is the symptom: the kubelet restarts the container with growing back-off and every start fails the same way until the command is fixed".into(),
                    evidence,
                    Vec::new(),
                    t.chain(&["CrashLoopBackOff"]),
                );
                f.cause = crate::cause::Cause::Crashloop;
                f.severity = crate::findings::Severity::Info;
                out.push(f);
            }
        }
        // Pods that cannot run beside a manifest whose `command` is a whole shell line in one
        // element (`command: ["exit 1"]`): no runtime message is needed to name the mistake.
        if out.is_empty() {
            out.extend(whole_line_as_program(ctx));
        }
        // Exit 127 from a described container with no runtime message pasted.
        if out.is_empty() {
            out = exit_code_findings(
                ctx,
                &META,
                Exit::NotFound,
                "exit code 127: command not found",
                "exited with 127: its command or a program it calls was not found",
                "exit code 127 is the shell's \"command not found\". check that the binary exists in the image and that flags are in `args`, not `command`; the previous logs name the missing program. raising `backoffLimit` does not help",
                "exit 127",
            );
        }
        out
    }
}

fn whole_line_as_program(ctx: &Context) -> Option<Finding> {
    let rows = rows_with(
        ctx,
        crate::wording::phrases!["ContainerCannotRun", "StartError", "RunContainerError"],
    );
    let described = ctx
        .facts
        .pods
        .iter()
        .flat_map(|p| p.all_containers())
        .any(|c| {
            c.states()
                .any(|s| super::common::exit_class(s) == Exit::StartFailed)
        });
    if rows.is_empty() && !described {
        return None;
    }
    let c = ctx
        .facts
        .jobs
        .iter()
        .flat_map(|j| j.init_containers.iter().chain(j.containers.iter()))
        .chain(ctx.facts.pods.iter().flat_map(|p| p.all_containers()))
        .find(|c| {
            c.command
                .first()
                .is_some_and(|w| w.value.trim().contains(' '))
        })?;
    let first = c.command.first()?;
    let prog = first.value.trim();
    let mut t = Target::guess(ctx);
    t.container = real(&c.name.value).map(str::to_string);
    t.init = c.init;
    let (what, fix) = diagnose(prog, "");
    let mut evidence = vec![Evidence::primary(
        first.span,
        "one `command` element: the program's name",
    )];
    for r in rows.iter().take(3) {
        evidence.push(Evidence::context(
            r.line,
            format!("pod status `{}`: the container never ran", r.status.value),
        ));
    }
    Some(finding(
        &META,
        85,
        format!("{} cannot start: {what}", t.container_label()),
        format!("{fix}. every start fails the same way, so retrying or raising `backoffLimit` does not help"),
        evidence,
        steps([t.describe_pod(), Some(t.events()), t.reapply(ctx)]),
        t.chain(&["cannot start", &format!("exec `{prog}`: not found")]),
    ))
}

/// Is `line` the poster's own shell answering the command typed on the prompt line just above
/// it (`me@mac ~ % watch -n1 kubectl get pods` / `zsh: command not found: watch`)? Output read
/// from a container (`kubectl logs`, `docker logs`) is not.
fn answers_a_typed_command(ctx: &Context, line: crate::span::Span) -> bool {
    // The container runtime's report (`OCI runtime exec failed: … starting container process
    // caused: exec: "/bin/sh": stat /bin/sh: no such file or directory`) comes from inside the
    // image, whatever was typed above it (`kubectl exec`, `kubectl run`).
    let own = ctx.text(line.input).get(line.start..line.end).unwrap_or("");
    let own = own.to_ascii_lowercase();
    if crate::wording::any_in(
        &own,
        crate::wording::phrases!["oci runtime", "starting container process"],
    ) {
        return false;
    }
    let above = ctx.text(line.input).get(..line.start).unwrap_or("");
    crate::detect::prompt_above(above, true).is_some_and(|(_, c)| !c.contains("logs"))
}

fn ctx_whole(ctx: &Context, input: usize) -> crate::span::Span {
    crate::span::Span::new(input, 0, ctx.text(input).len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_names() {
        assert_eq!(
            program(r#"caused "exec: \"--config\": executable file not found in $PATH""#)
                .as_deref(),
            Some("--config")
        );
        assert_eq!(
            program("stat /bin/sh: no such file or directory").as_deref(),
            Some("/bin/sh")
        );
        assert_eq!(program("sh: 1: foo: not found").as_deref(), Some("foo"));
        assert_eq!(
            program("exec /app/server: no such file or directory").as_deref(),
            Some("/app/server")
        );
        assert!(diagnose("--config", "").0.contains("flags"));
        assert!(diagnose("python app.py", "").0.contains("one program name"));
        assert!(diagnose("sh", "no such file").0.contains("shell"));
    }

    fn headline_of(text: &str) -> String {
        let r = crate::diagnose(&[crate::Input::new("paste", text)]);
        r.findings
            .iter()
            .find(|f| f.code == META.code)
            .map(|f| f.message.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_message_wrapped_mid_word_keeps_its_program_name() {
        // An 80-column terminal cut `stat` in two; the name is on the line above.
        let wrapped = "rpc error: code = 2 desc = \"oci runtime error: exec failed: exec: \\\"/bin/sh\\\": s\ntat /bin/sh: no such file or directory\"Error executing command in container: Err\nor executing in Docker Container: 126\n";
        let m = headline_of(wrapped);
        assert!(m.contains("the shell `/bin/sh`"), "{m}");
        // A line above that ends a sentence is not the start of the same message.
        let apart = "the pod was created.\nstandard_init_linux.go:178: exec user process caused \"no such file or directory\"\n";
        let m = headline_of(apart);
        assert!(m.starts_with("container cannot start"), "{m}");
        assert!(!m.contains("``"), "{m}");
    }

    #[test]
    fn a_nameless_runtime_message_says_what_is_missing_without_a_name() {
        let m = headline_of(
            "$ kubectl logs web-1\nstandard_init_linux.go:178: exec user process caused \"no such file or directory\"\n",
        );
        assert!(m.contains("`#!` interpreter"), "{m}");
        assert!(!m.contains("``"), "{m}");
        assert!(diagnose("", "executable file not found in $PATH")
            .0
            .starts_with("the program it runs does not exist"));
    }

    #[test]
    fn a_command_run_with_exec_is_not_the_container_starting() {
        let exec = "OCI runtime exec failed: exec failed: container_linux.go:346: starting container process caused \"exec: \\\"bash\\\": executable file not found in $PATH\": unknown\n";
        let m = headline_of(exec);
        assert!(
            m.starts_with("a command executed in the container cannot start"),
            "{m}"
        );
        // The same runtime words from creating the container are its own start failing.
        let start = exec.replace("runtime exec failed: exec failed", "runtime create failed");
        let m = headline_of(&start);
        assert!(m.starts_with("container cannot start"), "{m}");
    }

    #[test]
    fn a_job_template_names_the_container_that_runs_the_missing_program() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: ubuntu\n        command: [\"echo\", \"hi\"]\n      initContainers:\n      - name: setup\n        image: ubuntu\n        command:\n        - /binbash\n      restartPolicy: Never\n";
        let err = "message: 'OCI runtime create failed: starting container process caused \"exec: \\\"/binbash\\\": stat /binbash: no such file or directory\": unknown'\n";
        let headline = |t: &str| {
            let r = crate::diagnose(&[crate::Input::new("paste", t)]);
            r.findings
                .iter()
                .find(|f| f.code == META.code)
                .map(|f| f.message.clone())
                .unwrap_or_default()
        };
        let m = headline(&format!("{job}```\n{err}"));
        assert!(m.starts_with("init container `setup` cannot start"), "{m}");
        // A program no template container runs: the template's only container stays the guess.
        let m = headline(&format!(
            "{job}```\n{}",
            err.replace("/binbash", "/bin/zsh")
        ));
        assert!(m.starts_with("container `main` cannot start"), "{m}");
    }

    #[test]
    fn a_whole_shell_line_as_the_program_beside_pods_that_cannot_run() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: t\nspec:\n  template:\n    spec:\n      containers:\n      - name: pi\n        image: busybox\n        command: [\"exit 1\"]\n      restartPolicy: Never\n";
        let rows = "NAME      READY   STATUS               RESTARTS   AGE\nt-2h5vp   0/1     ContainerCannotRun   0          13s\n";
        assert_eq!(
            crate::rules::primary_of(&format!("{job}{rows}")),
            crate::cause::Cause::CommandNotFound
        );
        // The manifest alone, without pods that failed to start, shows no start failure.
        assert_ne!(
            crate::rules::primary_of(job),
            crate::cause::Cause::CommandNotFound
        );
        // A shell running `exit 1` is the application's own exit.
        let shell = job.replace("[\"exit 1\"]", "[\"sh\", \"-c\", \"exit 1\"]");
        assert_eq!(
            crate::rules::primary_of(&shell),
            crate::cause::Cause::AppError
        );
    }

    #[test]
    fn the_posters_own_shell_answering_a_typed_command() {
        let local = "me@mac ~ % watch -n1 kubectl get pods\nzsh: command not found: watch\n";
        assert_ne!(
            crate::rules::primary_of(local),
            crate::cause::Cause::CommandNotFound
        );
        // Read from the container's log, the same words are the container's.
        let logs = "$ kubectl logs job/x\n/entrypoint.sh: line 3: watch: command not found\n";
        assert_eq!(
            crate::rules::primary_of(logs),
            crate::cause::Cause::CommandNotFound
        );
        // The runtime's report under `kubectl exec` comes from inside the image (a distroless
        // image without a shell), even with kubectl's own warning line in between.
        let exec = "$ kubectl exec -it web-594b8dbb9-d5pnb /bin/sh\nkubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\nOCI runtime exec failed: exec failed: container_linux.go:370: starting container process caused: exec: \"/bin/sh\": stat /bin/sh: no such file or directory: unknown\ncommand terminated with exit code 126\n";
        assert_eq!(
            crate::rules::primary_of(exec),
            crate::cause::Cause::CommandNotFound
        );
    }
}
