use super::common::{
    distinct, finding, real, rows_with, span_text, steps, value_after, waiting_reason, Target,
};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::wording::phrases;

crate::declare_rule! {
    /// ## What it does
    /// Finds containers stuck in `CreateContainerConfigError` because a referenced ConfigMap,
    /// Secret or key does not exist (`configmap "x" not found`, `secret "x" not found`,
    /// `couldn't find key k in ConfigMap ns/x`), and names the missing object.
    ///
    /// ## Why is this bad?
    /// The kubelet cannot build the container's environment or files, so it never creates the
    /// container. It keeps retrying; the pod starts on its own once the object exists in the
    /// pod's namespace, and not before.
    ///
    /// ## Evidence
    /// The `Error: configmap "x" not found` event (primary), the `CreateContainerConfigError`
    /// status, and the container's `Environment` reference when pasted.
    ///
    /// ## Example
    /// ```text
    /// Warning  Failed  kubelet  Error: configmap "app-config" not found
    /// ```
    ///
    /// ## Use instead
    /// Create the ConfigMap or Secret in the same namespace as the pod (apply the manifest that
    /// was forgotten), fix the name or key in the reference, or mark the reference
    /// `optional: true` if the container can run without it.
    ///
    /// ## Fix safety
    /// No manifest change is proposed: creating the object is usually the fix.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/configmap/
    /// - https://kubernetes.io/docs/concepts/configuration/secret/
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/
    pub static META = {
        code: "PM013",
        name: "config-ref-missing",
        cause: Cause::ConfigErrorMissingRef,
        needs: &[Need::Events, Need::PodStatus],
    }
}

pub struct ConfigRefMissing;

/// (kind, name, key) from the kubelet's message.
fn missing(line: &str) -> Option<(&'static str, String, Option<String>)> {
    let l = line.replace("\\\"", "\"");
    if let Some(k) = value_after(&l, "couldn't find key ") {
        let kind = if l.contains("in Secret ") {
            "secret"
        } else {
            "configmap"
        };
        let obj = value_after(
            &l,
            if kind == "secret" {
                "in Secret "
            } else {
                "in ConfigMap "
            },
        )?;
        let name = obj.rsplit('/').next()?.to_string();
        return Some((kind, name, Some(k.to_string())));
    }
    // A volume's `items` naming a key the object lacks: `MountVolume.SetUp failed for volume
    // "scripts" : configmap references non-existent config key: REPLICAS` (the object's own
    // name is not in the message).
    for (p, kind) in [
        ("references non-existent config key: ", "configmap"),
        ("references non-existent secret key: ", "secret"),
    ] {
        if let Some(k) = value_after(&l, p) {
            return Some((kind, String::new(), Some(k.to_string())));
        }
    }
    // Kubernetes 1.5–1.7 named no key: `… with: references non-existent config key.` (an
    // empty key stands for the unnamed one).
    for (p, kind) in [
        ("references non-existent config key", "configmap"),
        ("references non-existent secret key", "secret"),
    ] {
        if l.contains(p) {
            return Some((kind, String::new(), Some(String::new())));
        }
    }
    for (p, kind) in [
        ("configmaps \"", "configmap"),
        ("configmap \"", "configmap"),
        ("secrets \"", "secret"),
        ("secret \"", "secret"),
    ] {
        if let Some(n) = value_after(&l, p) {
            return Some((kind, n.to_string(), None));
        }
    }
    None
}

/// The kubelet's report of a volume it cannot set up (`MountVolume.SetUp failed for volume …`).
fn is_volume_mount(line: &str) -> bool {
    crate::wording::any_in(
        &line.to_ascii_lowercase(),
        phrases!["mountvolume.setup failed", "failedmount"],
    )
}

/// A kubelet `Failed` event whose `Error: …` is not about a missing ConfigMap, Secret or key, nor
/// an image or the status itself.
fn other_config_error(ctx: &Context) -> bool {
    ctx.facts.pod_events().iter().any(|e| {
        let m = e.message.value.as_str();
        e.reason.value == "Failed"
            && m.starts_with("Error: ")
            && missing(m).is_none()
            && !crate::wording::any_in(
                m,
                phrases![
                    "Image",
                    "CreateContainerConfigError",
                    "CreateContainerError",
                    "RunContainerError",
                    "not found",
                ],
            )
    })
}

impl Rule for ConfigRefMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs: Vec<_> = distinct(ctx, SignalKind::ConfigRefMissing);
        let mut evidence = Vec::new();
        let mut t = Target::guess(ctx);
        let mut what: Option<(&'static str, String, Option<String>)> = None;
        let mut volume = false;
        for s in &sigs {
            if let Some(m) = missing(span_text(ctx, &s.line)) {
                if what.is_none() {
                    let label = match &m.2 {
                        Some(k) if m.1.is_empty() && k.is_empty() => {
                            format!("a key is missing from the {} a volume mounts", m.0)
                        }
                        Some(k) if m.1.is_empty() => {
                            format!("key `{k}` is missing from the {} a volume mounts", m.0)
                        }
                        Some(k) => format!("key `{k}` is missing from {} `{}`", m.0, m.1),
                        None => format!("{} `{}` does not exist", m.0, m.1),
                    };
                    evidence.insert(0, Evidence::primary(&s.line, label));
                    volume = is_volume_mount(span_text(ctx, &s.line));
                    what = Some(m);
                    continue;
                }
            }
            evidence.context(&s.line, "the container cannot be created");
        }
        for pod in &ctx.facts.pods {
            for c in pod.all_containers() {
                if let Some(w) =
                    waiting_reason(c).filter(|w| w.value == "CreateContainerConfigError")
                {
                    t = Target::from_pod(ctx, pod, Some(c));
                    evidence.context(&w.span, "waiting: `CreateContainerConfigError`");
                    if let Some((_, name, _)) = &what {
                        for r in c.env_refs.iter().filter(|r| &r.name == name) {
                            evidence.context(&r.span, "the reference to it");
                        }
                    }
                }
            }
        }
        let described = t.container.is_some();
        for (i, r) in rows_with(ctx, crate::wording::phrases!["CreateContainerConfigError"])
            .into_iter()
            .enumerate()
        {
            if i == 0 && !described {
                t = Target::from_row(ctx, r);
            }
            evidence.context(&r.line, "pod status `CreateContainerConfigError`");
        }
        // `CreateContainerConfigError` has other causes the kubelet names itself
        // (`container has runAsNonRoot and image will run as root`, a bad `subPath`): without
        // a missing object or key, such a message is the cause, not a missing reference.
        if evidence.is_empty() || (what.is_none() && other_config_error(ctx)) {
            return Vec::new();
        }
        if !evidence.iter().any(|e| e.primary) {
            if let Some(first) = evidence.first_mut() {
                first.primary = true;
            }
        }
        let ns = crate::fix::advice::ns_flag(t.namespace.as_deref());
        let in_ns = t
            .namespace
            .as_deref()
            .map(|n| format!(" in namespace `{n}`"))
            .unwrap_or_default();
        let (message, get) = match &what {
            Some((kind, name, Some(key))) if name.is_empty() && key.is_empty() => (
                format!("{} cannot start: a key a volume names is missing from the {kind} it mounts{in_ns}", t.container_label()),
                None,
            ),
            Some((kind, name, Some(key))) if name.is_empty() => (
                format!("{} cannot start: key `{key}` is missing from the {kind} a volume mounts{in_ns}", t.container_label()),
                None,
            ),
            Some((kind, name, Some(key))) => (
                format!("{} cannot be created: key `{key}` is missing from {kind} `{name}`{in_ns}", t.container_label()),
                real(name).map(|n| format!("kubectl get {kind} {n}{ns} -o yaml")),
            ),
            Some((kind, name, None)) => (
                format!("{} cannot be created: {kind} `{name}` does not exist{in_ns}", t.container_label()),
                real(name).map(|n| format!("kubectl get {kind} {n}{ns}")),
            ),
            None => (
                format!("{} cannot be created (`CreateContainerConfigError`): a referenced ConfigMap, Secret or key is missing", t.container_label()),
                None,
            ),
        };
        let list = Some(format!("kubectl get configmaps,secrets{ns}"));
        // The newest state wins: a container running now got its config after those events.
        let history = !evidence.iter().any(|e| e.label.starts_with("waiting"))
            && !evidence.iter().any(|e| e.label.starts_with("pod status"))
            && super::common::all_started(ctx);
        let message = if history {
            format!("earlier, {message}; the containers have started since")
        } else {
            message
        };
        // The exact command with the real names (none for history: it was created since).
        let fix = what
            .as_ref()
            .filter(|_| !history)
            .and_then(|(kind, name, key)| {
                let n = real(name)?;
                Some(match key {
                    Some(k) => {
                        crate::fix::advice::missing_config_key(kind, n, k, t.namespace.as_deref())
                    }
                    None => crate::fix::advice::missing_config_ref(
                        kind,
                        n,
                        None,
                        t.namespace.as_deref(),
                    ),
                })
            });
        let missing = what.as_ref().map(|(k, n, key)| match key {
            Some(key) if n.is_empty() && key.is_empty() => format!("{k} key not found"),
            Some(key) if n.is_empty() => format!("{k} key {key} not found"),
            Some(key) if !key.is_empty() => format!("{k}/{n} has no key {key}"),
            _ => format!("{k}/{n} not found"),
        });
        // A volume that cannot be mounted leaves the pod in ContainerCreating, not in
        // `CreateContainerConfigError` (that one is for env and envFrom references).
        let mut tail = vec![if volume {
            "FailedMount"
        } else {
            "CreateContainerConfigError"
        }];
        tail.extend(missing.as_deref());
        let mut f = finding(
            &META,
            if history {
                40
            } else if what.is_some() {
                93
            } else {
                75
            },
            message,
            "create the object in the pod's namespace (or fix the name or key in the reference); the kubelet retries and starts the container once it exists. \
             mark the reference `optional: true` only if the container can run without it. retrying the Job does not help".into(),
            evidence,
            steps([get, list, t.describe_pod(), t.fallback()]),
            t.chain(&tail),
        );
        f.fix = fix;
        vec![f]
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert_eq!(
            super::missing("Error: configmap \"autotune-config-key\" not"),
            Some(("configmap", "autotune-config-key".into(), None))
        );
        assert_eq!(
            super::missing("Error: couldn't find key db-password in Secret prod/db"),
            Some(("secret", "db".into(), Some("db-password".into())))
        );
    }

    #[test]
    fn volume_item_key_missing() {
        use crate::cause::Cause;
        use crate::{diagnose, Input};
        assert_eq!(
            super::missing("MountVolume.SetUp failed for volume \"scripts\" : configmap references non-existent config key: REPLICAS"),
            Some(("configmap", String::new(), Some("REPLICAS".into())))
        );
        assert_eq!(
            super::missing("secret references non-existent secret key: tls.crt"),
            Some(("secret", String::new(), Some("tls.crt".into())))
        );
        let t = "Events:\n  Type     Reason       Age   From     Message\n  ----     ------       ----  ----     -------\n  Warning  FailedMount  3m    kubelet  MountVolume.SetUp failed for volume \"scripts\" : configmap references non-existent config key: REPLICAS\n";
        let r = diagnose(&[Input::new("paste", t)]);
        assert_eq!(r.primary_cause, Cause::ConfigErrorMissingRef);
        assert!(r.findings[0].message.contains("key `REPLICAS`"));
        assert!(r.findings[0].chain.contains(&"FailedMount".to_string()));
        assert!(!r.findings[0]
            .chain
            .contains(&"CreateContainerConfigError".to_string()));
        // Kubernetes 1.7 named no key.
        let old = "MountVolume.SetUp failed for volume \"kubernetes.io/configmap/b6-config\" (spec.Name: \"config\") pod \"b6\" (UID: \"b6\") with: references non-existent config key.\n";
        assert_eq!(
            super::missing(old),
            Some(("configmap", String::new(), Some(String::new())))
        );
        let r = diagnose(&[Input::new("paste", old)]);
        assert_eq!(r.primary_cause, Cause::ConfigErrorMissingRef);
        assert!(
            r.findings[0]
                .message
                .contains("a key a volume names is missing from the configmap"),
            "{}",
            r.findings[0].message
        );
        assert!(!r.findings[0].message.contains("``"));
        // An env reference is a container-config error, not a mount.
        let env = "  Warning  Failed  2m (x8 over 3m)  kubelet  Error: couldn't find key logs.region in ConfigMap amazon-cloudwatch/cluster-info\n";
        let r = diagnose(&[Input::new("paste", env)]);
        assert!(r.findings[0]
            .chain
            .contains(&"CreateContainerConfigError".to_string()));
        assert!(!r.findings[0].chain.contains(&"FailedMount".to_string()));
        // A mount that only timed out names no missing object.
        let t = "Events:\n  Type     Reason       Age   From     Message\n  ----     ------       ----  ----     -------\n  Warning  FailedMount  3m    kubelet  Unable to attach or mount volumes: unmounted volumes=[data]: timed out waiting for the condition\n";
        let r = diagnose(&[Input::new("paste", t)]);
        assert_ne!(r.primary_cause, Cause::ConfigErrorMissingRef);
    }
}
