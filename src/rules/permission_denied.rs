use super::common::{
    after_last_colon, distinct, exit_code_findings, finding, span_text, steps, Exit, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, Finding};
use crate::wording::{any_in, phrases};

crate::declare_rule! {
    /// ## What it does
    /// Finds an entrypoint or script that exists but cannot be executed: `exec: "…":
    /// permission denied`, `/bin/sh: 1: /x.sh: Permission denied` (or a script's `/run.sh:
    /// line 9: /x: Permission denied`, also quoted in prose), `exec user process caused
    /// "permission denied"`, `exec format error` (a binary for another CPU architecture), or
    /// exit code 126.
    ///
    /// ## Why is this bad?
    /// The file is there but lacks the execute bit, sits on a `noexec` mount, or is not a
    /// program for this platform. Every restart fails the same way; raising `backoffLimit`
    /// only repeats the failure.
    ///
    /// ## Evidence
    /// The `Permission denied` line (primary) or the `Exit Code: 126` line.
    ///
    /// ## Example
    /// ```text
    /// /bin/sh: 1: /updater.sh: Permission denied
    /// ```
    ///
    /// ## Use instead
    /// `chmod +x` the file in the image (`RUN chmod +x /updater.sh`), or run it through the
    /// interpreter (`command: ["sh", "/updater.sh"]`); for a ConfigMap-mounted script set
    /// `defaultMode: 0755` on the volume.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: the fix is usually in the image.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
    /// - https://kubernetes.io/docs/concepts/storage/volumes/#configmap
    pub static META = {
        code: "PM004",
        name: "permission-denied",
        cause: Cause::PermissionDenied,
        needs: &[Need::Logs, Need::PodStatus, Need::Events],
    }
}

pub struct PermissionDenied;

/// The path before `: Permission denied` or inside `exec: "…"`.
fn path_in(line: &str) -> Option<String> {
    let l = line.replace('\\', "");
    if let Some(i) = l.find("exec: \"") {
        let rest = &l[i + 7..];
        return rest.find('"').map(|e| rest[..e].to_string());
    }
    let lower = l.to_ascii_lowercase();
    // `exec /app: exec format error` (the runtime's own wording).
    if let Some(rest) = l.strip_prefix("exec ") {
        if let Some((path, _)) = rest.split_once(": ") {
            if path.starts_with('/') && !path.contains(' ') {
                return Some(path.to_string());
            }
        }
    }
    let cut = lower
        .find(": permission denied")
        .or_else(|| lower.find(": cannot execute binary file"))?;
    let name = after_last_colon(&l[..cut]).trim();
    (name.starts_with('/') || name.starts_with("./")).then(|| name.to_string())
}

impl Rule for PermissionDenied {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        for sig in distinct(ctx, SignalKind::PermissionDenied) {
            let line = span_text(ctx, &sig.line);
            let lower = line.to_ascii_lowercase();
            // Only an execution refused: a shell, exec or runtime wording. `open x: permission
            // denied` is the application failing to read a file.
            // `exec` as the runtime's or the shell's verb (`exec: "x"`, `exec /x:`, `exec user
            // process`), not a word in a message (`failed to exec query: … permission denied
            // for table`).
            let exec = any_in(
                &lower,
                phrases![
                    "exec: ",
                    "exec /",
                    "exec user process",
                    "exec format error",
                    "cannot execute binary file",
                    "starting container process",
                    // The runtime's own refusal, also when the poster cut the middle (`OCI
                    // runtime create failed: ... permission denied`).
                    "oci runtime create failed",
                ],
            ) || crate::parse::signals::shell_message(&lower);
            // Database and SSH refusals: `permission denied for table x`, `(publickey)`.
            let not_a_file = any_in(
                &lower,
                phrases!["permission denied for ", "permission denied (publickey"],
            );
            if !exec || not_a_file || sig.in_manifest {
                continue;
            }
            let path = path_in(line);
            // The shell says the same of a file it cannot write (`line 12: /backup/x.state:
            // Permission denied` for `> /backup/x.state`): a data file is no program.
            let data_file = path.as_deref().is_some_and(|p| {
                crate::wording::each(crate::wording::phrases![
                    ".state", ".log", ".sql", ".gz", ".json", ".lock", ".pid", ".txt", ".csv",
                    ".tar", ".bak", ".dump", ".db",
                ])
                .any(|e| p.ends_with(e))
            });
            if data_file {
                continue;
            }
            let t = Target::guess(ctx);
            let format = crate::wording::any_in(
                &lower,
                crate::wording::phrases!["exec format error", "cannot execute binary file"],
            );
            let what = match (&path, format) {
                (Some(p), false) => format!("`{p}` exists but cannot be executed"),
                (None, false) => "the entrypoint exists but cannot be executed".to_string(),
                (Some(p), true) => format!("`{p}` is not a program for this platform"),
                (None, true) => "the entrypoint is not a program for this platform".to_string(),
            };
            let code = if format { "" } else { ", shell exit code 126" };
            let (why, help, label) = if format {
                (
                    "exec format error",
                    "the kernel cannot run the file: the image was built for another CPU architecture (an arm64 image on amd64 nodes, or the reverse), or a script lacks its `#!` line. build the image for the nodes' platform (`docker buildx build --platform linux/amd64`, or a multi-arch image) or add the shebang. every retry fails the same way: do not raise `backoffLimit`",
                    "execution refused: not an executable for this platform",
                )
            } else {
                (
                    "permission denied",
                    "the file lacks the execute bit, sits on a `noexec` mount or is not a program. add `chmod +x` in the Dockerfile, run it through the interpreter (`sh /path/script.sh`), or set `defaultMode: 0755` on a ConfigMap volume. every retry fails the same way: do not raise `backoffLimit`",
                    "execution refused: permission denied",
                )
            };
            out.push(finding(
                &META,
                90,
                match &t.container {
                    Some(c) => format!("container `{c}`: {what} ({why}{code})"),
                    None => format!("{what} ({why}{code})"),
                },
                help.into(),
                vec![Evidence::primary(&sig.line, label)],
                steps([
                    t.logs_previous(),
                    t.describe_pod(),
                    t.fallback(),
                    t.reapply(ctx),
                ]),
                t.chain(&[why, if format { "exec failed" } else { "exit 126" }]),
            ));
            break;
        }
        if out.is_empty() {
            out = exit_code_findings(
                ctx,
                &META,
                Exit::NotExecutable,
                "exit code 126: found but not executable",
                "exited with 126: its command was found but cannot be executed",
                "exit code 126 means the file exists but is not executable (missing execute bit, `noexec` mount, wrong file type). the previous logs name the file; fix its mode in the image. do not raise `backoffLimit`",
                "exit 126",
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths() {
        assert_eq!(
            super::path_in("/bin/sh: 1: /updater.sh: Permission denied").as_deref(),
            Some("/updater.sh")
        );
        assert_eq!(
            super::path_in(r#"exec: \"/app/run\": permission denied"#).as_deref(),
            Some("/app/run")
        );
        assert_eq!(
            super::path_in("exec /usr/local/bin/api: exec format error").as_deref(),
            Some("/usr/local/bin/api")
        );
        assert_eq!(
            super::path_in("bash: ./tool: cannot execute binary file: Exec format error")
                .as_deref(),
            Some("./tool")
        );
    }

    #[test]
    fn the_runtimes_refusal_with_its_middle_cut() {
        let cut = "Last State:     Terminated\n  Reason:       ContainerCannotRun\n  Exit Code:    126\n  Message:      OCI runtime create failed: ... permission denied\n";
        assert_eq!(
            crate::rules::primary_of(cut),
            crate::cause::Cause::PermissionDenied
        );
        // An application that cannot read a file is no refused execution.
        let app = "Last State:     Terminated\n  Reason:       Error\n  Exit Code:    1\n  Message:      open /data/db.sqlite: permission denied\n";
        assert_ne!(
            crate::rules::primary_of(app),
            crate::cause::Cause::PermissionDenied
        );
    }

    #[test]
    fn a_data_file_the_shell_cannot_write_is_no_program() {
        let write = "/scripts/backup.sh: line 12: /backup/20251006.state: Permission denied\n";
        assert_ne!(
            crate::rules::primary_of(write),
            crate::cause::Cause::PermissionDenied
        );
        let exec = "/bin/sh: line 1: /scripts/backup.sh: Permission denied\n";
        assert_eq!(
            crate::rules::primary_of(exec),
            crate::cause::Cause::PermissionDenied
        );
    }
}
