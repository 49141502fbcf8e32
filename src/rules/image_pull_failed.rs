use super::common::{
    distinct, finding, rows_with, span_text, steps, value_after, waiting_reason, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::span::Span;
use crate::wording::phrases;

crate::declare_rule! {
    /// ## What it does
    /// Finds images the kubelet cannot pull (`ErrImagePull`, `ImagePullBackOff`,
    /// `InvalidImageName`, `ErrImageNeverPull`) and names the class from the registry's answer:
    /// the repository does not exist or needs credentials (`pull access denied`), the tag or
    /// manifest is missing (`manifest unknown`, `not found`), the credentials are wrong
    /// (`unauthorized`, `401`), the registry rate-limits (`toomanyrequests`), the reference is
    /// malformed, the image has no build for the node's platform (`no matching manifest for
    /// windows/amd64`), or `imagePullPolicy: Never` with the image absent.
    ///
    /// ## Why is this bad?
    /// The container never starts. The kubelet retries with back-off; except for rate limits and
    /// network errors the pull fails the same way each time, and a Job waits until its deadline.
    ///
    /// ## Evidence
    /// The `Failed to pull image` event or the `Reason: ErrImagePull` line (primary), the
    /// container's `Image:` line and the `ImagePullBackOff` pod status.
    ///
    /// ## Example
    /// ```text
    /// Warning  Failed  kubelet  Failed to pull image "someone/app:1.0": ... pull access denied, repository does not exist or may require authorization
    /// ```
    ///
    /// ## Use instead
    /// Correct the image name or tag; for a private registry create a `docker-registry` Secret
    /// and reference it in `imagePullSecrets` (or on the ServiceAccount); for rate limits
    /// authenticate or use a mirror.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: the right image reference is not in the paste.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/containers/images/
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
    /// - https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff
    pub static META = {
        code: "PM010",
        name: "image-pull-failed",
        cause: Cause::ImagePull,
        needs: &[Need::Events, Need::PodStatus],
    }
}

pub struct ImagePullFailed;

/// (class, explanation, transient).
type PullClass = (&'static str, &'static str, bool);

/// The class by the pull lines' wording: the first row with any of its phrases wins.
const CLASSES: &[(&str, &str, PullClass)] = &[
    (
        phrases!["toomanyrequests", "rate limit"],
        "",
        ("the registry is rate-limiting pulls", "authenticate pulls (an `imagePullSecrets` entry with an account) or use a mirror; this is transient", true),
    ),
    (
        phrases!["invalidimagename", "invalid reference format", "couldn't parse image reference"],
        "",
        ("the image reference is not a valid name", "fix the image string: lower-case repository, `name:tag` or `name@sha256:…`, no spaces or `https://`", false),
    ),
    (
        phrases!["errimageneverpull", "pull policy of never"],
        "",
        ("`imagePullPolicy: Never` but the image is not on the node", "load the image onto the node (kind/minikube: `kind load docker-image` / `minikube image load`) or set `imagePullPolicy: IfNotPresent`", false),
    ),
    (
        phrases!["pull access denied", "repository does not exist", "insufficient_scope"],
        "",
        ("the repository does not exist or needs credentials", "check the repository name for typos; if it is private, create a `docker-registry` Secret and list it in `imagePullSecrets`", false),
    ),
    (
        phrases!["unauthorized", "401", "authentication required", "no basic auth credentials", "denied"],
        "",
        ("the registry refused the credentials", "the image is private: add or fix the `imagePullSecrets` entry (a `docker-registry` Secret in the pod's namespace)", false),
    ),
    (
        phrases!["no matching manifest for", "no match for platform"],
        "",
        ("the image has no build for the node's operating system or architecture", "use an image (or tag) published for the node's platform, multi-arch or matching the Windows build; or schedule the pod onto nodes of the image's platform with a `kubernetes.io/os` / `kubernetes.io/arch` nodeSelector. a pod sandbox (`pause`) image comes from the kubelet's or the runtime's sandbox image setting, not from the pod", false),
    ),
    (
        phrases!["manifest unknown", ": not found", "not found: manifest", "not found in repository"],
        "",
        (
            "the tag or manifest does not exist",
            "check the tag (or digest) exists in the registry and matches the node's platform",
            false,
        ),
    ),
    (
        phrases!["i/o timeout", "no such host", "connection refused", "tls handshake"],
        "",
        ("the registry cannot be reached from the node", "check the node's DNS, proxy and firewall to the registry; the error is transient if the network recovers", true),
    ),
];

/// (class, explanation, transient) from the pull lines' wording.
fn classify(text: &str) -> PullClass {
    crate::wording::first_row(
        &text.to_ascii_lowercase(),
        CLASSES,
        ("the pull fails", "the registry's answer is in the pod's events (`Failed to pull image …`): a missing repository or tag, or missing credentials (`imagePullSecrets`)", false),
    )
}

impl Rule for ImagePullFailed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs: Vec<_> = distinct(ctx, SignalKind::ImagePull);
        let mut evidence: Vec<Evidence> = Vec::new();
        let mut t = Target::guess(ctx);
        let mut image: Option<String> = None;
        // Described containers waiting on a pull.
        for pod in &ctx.facts.pods {
            for c in pod.all_containers() {
                let Some(w) = waiting_reason(c) else { continue };
                if !crate::wording::any_eq(
                    w.value.as_str(),
                    crate::wording::phrases![
                        "ErrImagePull",
                        "ImagePullBackOff",
                        "InvalidImageName",
                        "ErrImageNeverPull",
                        "Init:ErrImagePull",
                        "Init:ImagePullBackOff"
                    ],
                ) {
                    continue;
                }
                t = Target::from_pod(ctx, pod, Some(c));
                evidence.primary(&w.span, format!("waiting: `{}`", w.value));
                if let Some(img) = &c.image {
                    evidence.context(&img.span, "the image the kubelet tries to pull");
                    image = Some(img.value.clone());
                }
            }
        }
        // The registry's answer: the most telling pull line first.
        let detail = sigs
            .iter()
            .find(|s| {
                let l = span_text(ctx, &s.line).to_ascii_lowercase();
                crate::wording::any_in(
                    &l,
                    crate::wording::phrases![
                        "failed to pull image",
                        "pull access denied",
                        "manifest unknown",
                        "toomanyrequests"
                    ],
                )
            })
            .or_else(|| sigs.first())
            .copied();
        let rows: Vec<_> = rows_with(
            ctx,
            crate::wording::phrases![
                "ErrImagePull",
                "ImagePullBackOff",
                "InvalidImageName",
                "ErrImageNeverPull",
                "Init:ErrImagePull",
                "Init:ImagePullBackOff",
            ],
        );
        if evidence.is_empty() && detail.is_none() && rows.is_empty() {
            return Vec::new();
        }
        if let Some(d) = detail {
            let line = span_text(ctx, &d.line);
            if image.is_none() {
                image = value_after(line, "image \"")
                    .or_else(|| value_after(line, "image \\\""))
                    .or_else(|| value_after(line, " image=\""))
                    .or_else(|| value_after(line, "resolve reference \""))
                    .map(str::to_string);
            }
            // An event's message folded over several lines (`-o yaml`): all of it.
            let whole = ctx
                .facts
                .events
                .iter()
                .map(|e| e.message.span)
                .find(|m| m.input == d.line.input && m.start <= d.line.end && m.end > d.line.end)
                .map_or(d.line, |m| Span::new(d.line.input, d.line.start, m.end));
            let label = "the registry's answer";
            if evidence.iter().any(|e| e.primary) {
                evidence.context(&whole, label);
            } else {
                evidence.primary(&whole, label);
            }
        }
        for s in &sigs {
            if detail.is_some_and(|d| d.line == s.line) {
                continue;
            }
            if evidence.len() < 8 {
                evidence.context(&s.line, "pull failure");
            }
        }
        let described = evidence.iter().any(|e| e.primary);
        for r in &rows {
            if !described
                && !t
                    .pod
                    .as_ref()
                    .is_some_and(|p| rows.iter().any(|x| &x.name.value == p))
            {
                t = Target::from_row(ctx, r);
            }
            let label = format!("pod status `{}`", r.status.value);
            if evidence.iter().any(|e| e.primary) {
                evidence.context(&r.line, label);
            } else {
                evidence.primary(&r.line, label);
            }
        }
        let mut parts: Vec<&str> = Vec::new();
        for s in &sigs {
            parts.push(span_text(ctx, &s.line));
        }
        for r in &rows {
            parts.push(&r.status.value);
        }
        for e in &evidence {
            parts.push(span_text(ctx, &e.span));
        }
        let all = parts.join("\n");
        let (class, what_to_do, transient) = classify(&all);
        let image = image.filter(|i| !i.is_empty() && !i.starts_with('<') && !i.contains(' '));
        let img = image
            .as_deref()
            .map(|i| format!("image `{i}`"))
            .unwrap_or_else(|| "the image".into());
        let retry = if transient {
            "retrying can succeed once the cause clears"
        } else {
            "retrying does not help until the reference or the credentials are fixed"
        };
        // The newest state wins: containers that run now were pulled after those events.
        let history = rows.is_empty() && super::common::all_started(ctx);
        let mut message = match (&t.container, image.is_some() || class != "the pull fails") {
            (Some(c), true) => format!("{img} for container `{c}`: {class}"),
            (None, true) => format!("{img}: {class}"),
            // Nothing but the failure itself (a `kubectl logs` answer, a status).
            (Some(c), false) => format!(
                "container `{c}`: the pull failed and the paste does not show the registry's answer"
            ),
            (None, false) => {
                "the pull failed and the paste does not show the registry's answer".to_string()
            }
        };
        if history {
            message = format!(
                "earlier pull failures are history, the containers have started since: {message}"
            );
        }
        let mut f = finding(
            &META,
            if history {
                40
            } else if detail.is_some() {
                92
            } else {
                85
            },
            message,
            format!("{what_to_do}; {retry}"),
            evidence,
            steps([t.describe_pod(), Some(t.events()), t.fallback()]),
            t.chain(&["ErrImagePull", class]),
        );
        // Credentials: the exact commands for the image's registry (not for a name typo, a
        // missing tag or the network, where a secret would not help).
        let needs_credentials = matches!(
            class,
            "the registry refused the credentials"
                | "the repository does not exist or needs credentials"
        );
        if let (true, Some(i)) = (needs_credentials && !history, image.as_deref()) {
            f.fix = Some(crate::fix::advice::image_pull_secret(
                i,
                None,
                t.namespace.as_deref(),
                None,
            ));
        }
        vec![f]
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn classes() {
        assert!(
            super::classify("pull access denied, repository does not exist")
                .0
                .contains("does not exist")
        );
        assert!(
            super::classify("manifest for x:1 not found: manifest unknown")
                .0
                .contains("tag")
        );
        assert!(super::classify("toomanyrequests: You have reached your pull rate limit").2);
        assert!(super::classify("Error: InvalidImageName")
            .0
            .contains("valid"));
        let platform = super::classify("failed pulling image \"k8s.gcr.io/pause:3.1\": no matching manifest for windows/amd64 10.0.18362 in the manifest list entries");
        assert!(platform.0.contains("operating system or architecture"));
        assert!(!platform.2, "the same pull fails again");
    }

    #[test]
    fn a_sandbox_image_without_the_nodes_platform_in_the_kubelet_log() {
        use crate::cause::Cause;
        let log = "E1001 14:29:03.759095    8072 remote_runtime.go:105] RunPodSandbox from runtime service failed: rpc error: code = Unknown desc = failed pulling image \"k8s.gcr.io/pause:3.1\": no matching manifest for windows/amd64 10.0.18362 in the manifest list entries\n";
        assert_eq!(crate::rules::primary_of(log), Cause::ImagePull);
        // The same words outside a pull are no pull failure.
        assert_ne!(
            crate::rules::primary_of("docker manifest inspect: no such manifest: r/x:1\n"),
            Cause::ImagePull
        );
    }
}
