//! Fixes that are not manifest edits: the exact commands or configuration, with the real
//! names from the paste. Secrets are never printed in full ([`mask_secret`]).

use super::{Fix, Snippet};

/// ` -n <namespace>` for a kubectl command, or nothing without a namespace.
pub fn ns_flag(namespace: Option<&str>) -> String {
    namespace.map(|n| format!(" -n {n}")).unwrap_or_default()
}

/// The node runs with swap on (kubeadm `[ERROR Swap]`, kubelet `running with swap on is not
/// supported`): both choices, disable swap, or keep it and configure the kubelet.
pub fn swap(node: Option<&str>) -> Fix {
    let on = node.map(|n| format!(" on `{n}`")).unwrap_or_default();
    Fix::advice(
        format!("disable swap{on}, or configure the kubelet to run with it"),
        vec![
            "the kubelet refuses to start while swap is on unless `failSwapOn: false`; kubeadm's preflight check stops for the same reason".into(),
            "disabling swap is the usual choice: `swapoff -a` now, and the swap line in `/etc/fstab` commented out so it stays off after a reboot".into(),
            "keeping swap needs cgroup v2 and the `NodeSwap` feature (beta, on by default since 1.30): `NoSwap` keeps workloads out of swap, `LimitedSwap` lets them swap in proportion to their memory request".into(),
        ],
        vec![
            Snippet::sh(
                "disable swap now and at boot",
                "sudo swapoff -a\nsudo sed -i.bak '/\\sswap\\s/ s/^\\([^#]\\)/#\\1/' /etc/fstab",
            ),
            Snippet::yaml(
                "or keep swap: KubeletConfiguration (kubeadm: a `---` document in the config passed to `kubeadm init --config`)",
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfailSwapOn: false\nmemorySwap:\n  swapBehavior: NoSwap # or LimitedSwap\n",
            ),
        ],
    )
}

/// Show a secret's shape without its content: the first 6 characters and the length.
pub fn mask_secret(value: &str) -> String {
    let n = crate::span::char_count(value);
    if n <= 8 {
        return "…(hidden)".to_string();
    }
    let head: String = value.chars().take(6).collect();
    format!("{head}…({n} characters hidden)")
}

/// Keys of a kubeconfig whose values are secrets.
pub fn is_secret_key(key: &str) -> bool {
    crate::wording::any_eq(
        key,
        crate::wording::phrases![
            "certificate-authority-data",
            "client-certificate-data",
            "client-key-data",
            "token",
            "password",
            "id-token",
            "refresh-token",
            "access-token",
            "client-secret"
        ],
    )
}

/// A kubeconfig field to correct: `section` is `cluster`, `user` or `context`, `name` the
/// entry's name, `field` the key, `value` the corrected value (masked when the key holds a
/// secret). Shows the corrected field in place and the `kubectl config` command that writes it.
pub fn kubeconfig_field(section: &str, name: &str, field: &str, value: &str, why: &str) -> Fix {
    let shown = if is_secret_key(field) {
        mask_secret(value)
    } else {
        value.to_string()
    };
    let plural = format!("{section}s");
    let snippet = format!("{plural}:\n- name: {name}\n  {section}:\n    {field}: {shown}\n");
    let mut snippets = vec![Snippet::yaml(
        format!("the corrected `{field}` of {section} `{name}`"),
        snippet,
    )];
    let command = match (section, field) {
        ("cluster", "server") => Some(format!(
            "kubectl config set-cluster {name} --server={value}"
        )),
        ("context", "cluster") => Some(format!(
            "kubectl config set-context {name} --cluster={value}"
        )),
        ("context", "user") => Some(format!("kubectl config set-context {name} --user={value}")),
        ("context", "namespace") => Some(format!(
            "kubectl config set-context {name} --namespace={value}"
        )),
        _ => None,
    };
    if let Some(c) = command {
        snippets.push(Snippet::sh(format!("write `{field}` with kubectl"), c));
    }
    Fix::advice(
        format!("set `{field}` of {section} `{name}` in the kubeconfig"),
        vec![why.to_string()],
        snippets,
    )
}

/// Kubeconfig keys whose values are checked by [`kubeconfig_placeholders`].
const KUBECONFIG_KEYS: &str = crate::wording::phrases![
    "server",
    "certificate-authority",
    "certificate-authority-data",
    "client-certificate",
    "client-certificate-data",
    "client-key",
    "client-key-data",
    "token",
    "cluster",
    "user",
    "namespace",
    "current-context",
    "proxy-url",
];

/// A kubeconfig pasted with values still wrapped in `<…>` (copied from a template or a doc):
/// YAML reads `server: <https://…>` as text with the brackets, and a quoted `"<…"` cut short
/// breaks the file (`yaml: line N: could not find expected ':'`). Shows each field corrected,
/// brackets and quotes removed, secrets masked. Values that are only a description
/// (`<your-token>`) are listed as still to fill in. `None` when no such value is found.
pub fn kubeconfig_placeholders(text: &str) -> Option<Fix> {
    let mut corrected = String::new();
    let mut reasoning = Vec::new();
    let mut to_fill = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if !crate::wording::any_eq(key, KUBECONFIG_KEYS) {
            continue;
        }
        let raw = value.trim();
        let unquoted = raw.trim_matches(|c| c == '"' || c == '\'');
        let Some(inner) = unquoted.strip_prefix('<') else {
            continue;
        };
        let (inner, closed) = match inner.strip_suffix('>') {
            Some(i) => (i.trim(), true),
            None => (inner.trim(), false),
        };
        let real = inner.contains("://")
            || (inner.len() >= 20
                && inner.bytes().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'+' | b'/' | b'=' | b'.' | b'-' | b'_')
                }));
        if !real {
            to_fill.push(format!(
                "`{key}` holds the placeholder `<{inner}>`: put the real value there"
            ));
            continue;
        }
        let shown = if is_secret_key(key) {
            mask_secret(inner)
        } else {
            inner.to_string()
        };
        let indent = &line[..line.len() - line.trim_start().len()];
        corrected.push_str(&format!("{indent}{key}: {shown}\n"));
        if !closed {
            reasoning.push(format!("`{key}` opens `<` but the closing `>` is missing: the value was cut or is incomplete; copy it again in full"));
        }
    }
    if corrected.is_empty() && to_fill.is_empty() {
        return None;
    }
    reasoning.insert(0, "values in the kubeconfig are wrapped in `<…>`: kubectl reads the brackets as part of the value (a server URL that does not parse, base64 that does not decode), and a quoted value left open breaks the YAML".into());
    reasoning.extend(to_fill);
    reasoning.push("regenerating the file with the provider's command (`aws eks update-kubeconfig`, `gcloud container clusters get-credentials`, `az aks get-credentials`) avoids hand edits".into());
    let mut snippets = Vec::new();
    if !corrected.is_empty() {
        snippets.push(Snippet::yaml(
            "the fields without the brackets (secrets shortened here: keep your full values)",
            corrected,
        ));
    }
    snippets.push(Snippet::sh(
        "check the file parses and reaches the cluster",
        "kubectl config view --minify >/dev/null && kubectl cluster-info",
    ));
    Some(Fix::advice(
        "remove the `<…>` placeholder brackets from the kubeconfig values",
        reasoning,
        snippets,
    ))
}

/// The registry an image is pulled from, as `--docker-server` wants it.
pub fn registry_of(image: &str) -> String {
    let first = image.split('/').next().unwrap_or("");
    let has_registry =
        image.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_registry {
        first.to_string()
    } else {
        "https://index.docker.io/v1/".to_string()
    }
}

/// `pull access denied` / `unauthorized` / `401` for `image`: create a docker-registry Secret
/// for the image's registry and reference it from the pod (or the service account). The
/// credentials are read from shell variables the user sets; nothing is guessed.
/// `secret_name` is the Secret the pod already references in `imagePullSecrets`, if any.
pub fn image_pull_secret(
    image: &str,
    secret_name: Option<&str>,
    namespace: Option<&str>,
    service_account: Option<&str>,
) -> Fix {
    let server = registry_of(image);
    let secret = secret_name.unwrap_or("regcred");
    let ns = ns_flag(namespace);
    let mut snippets = vec![Snippet::sh(
        format!("create the pull secret for {server}"),
        format!("kubectl create secret docker-registry {secret}{ns} \\\n  --docker-server={server} \\\n  --docker-username=\"$REGISTRY_USER\" \\\n  --docker-password=\"$REGISTRY_TOKEN\""),
    )];
    let mut reasoning = vec![format!(
        "the registry {server} refused to serve `{image}` without credentials (or the image name is wrong: check it first)"
    )];
    if secret_name.is_some() {
        reasoning.push(format!("the pod already references `{secret}` in `imagePullSecrets`: the Secret must exist in the pod's namespace and hold credentials for {server}"));
    } else {
        let sa = service_account.unwrap_or("default");
        snippets.push(Snippet::sh(
            format!("let pods of service account `{sa}` use it"),
            format!("kubectl patch serviceaccount {sa}{ns} -p '{{\"imagePullSecrets\": [{{\"name\": \"{secret}\"}}]}}'"),
        ));
        reasoning.push(format!("the pod references no pull secret: attach `{secret}` to its service account (or list it under `imagePullSecrets` in the pod template)"));
    }
    snippets.push(Snippet::sh(
        "check the credentials outside the cluster",
        format!(
            "docker login {} && docker pull {image}",
            if server.starts_with("https://index.docker.io") {
                ""
            } else {
                server.as_str()
            }
        )
        .replace("login  &&", "login &&"),
    ));
    Fix::advice(
        format!("give the pod credentials for {server}"),
        reasoning,
        snippets,
    )
}

/// `configmap "NAME" not found` / `secret "NAME" not found`: create it (with the key the pod
/// reads, when known) or fix the reference. `kind` is `configmap` or `secret`.
pub fn missing_config_ref(
    kind: &str,
    name: &str,
    key: Option<&str>,
    namespace: Option<&str>,
) -> Fix {
    let ns = ns_flag(namespace);
    let (create, noun) = if kind.eq_ignore_ascii_case("secret") {
        (
            format!("kubectl create secret generic {name}{ns}"),
            "Secret",
        )
    } else {
        (format!("kubectl create configmap {name}{ns}"), "ConfigMap")
    };
    let data = match key {
        Some(k) => format!(" --from-literal={k}=\"$VALUE\""),
        None => " --from-env-file=\"$ENV_FILE\"".to_string(),
    };
    let mut reasoning = vec![format!(
        "the pod references {noun} `{name}`, which does not exist{}; the kubelet will not start the container until it does",
        namespace.map(|n| format!(" in namespace `{n}`")).unwrap_or_default()
    )];
    if let Some(k) = key {
        reasoning.push(format!("the pod reads key `{k}`: the {noun} must hold it"));
    }
    reasoning.push(format!("if it exists under another name or namespace, correct the reference instead (`kubectl get {} -A | grep {name}`)", kind.to_ascii_lowercase()));
    Fix::advice(
        format!("create {noun} `{name}`"),
        reasoning,
        vec![
            Snippet::sh(
                format!("look for the {noun}"),
                format!("kubectl get {}{ns}", kind.to_ascii_lowercase()),
            ),
            Snippet::sh(format!("create {noun} `{name}`"), format!("{create}{data}")),
        ],
    )
}

/// `couldn't find key K in ConfigMap NS/NAME`: the object exists, the key does not. Add the
/// key to it (a patch keeps the other keys), or fix the key in the reference.
pub fn missing_config_key(kind: &str, name: &str, key: &str, namespace: Option<&str>) -> Fix {
    let ns = ns_flag(namespace);
    let secret = kind.eq_ignore_ascii_case("secret");
    let noun = if secret { "Secret" } else { "ConfigMap" };
    let field = if secret { "stringData" } else { "data" };
    let lower = if secret { "secret" } else { "configmap" };
    Fix::advice(
        format!("add key `{key}` to {noun} `{name}`"),
        vec![
            format!("{noun} `{name}` exists but has no key `{key}`, which the pod reads"),
            "a patch adds the key and keeps the others; or correct the key name in the pod's reference".into(),
        ],
        vec![
            Snippet::sh(format!("list the keys {noun} `{name}` has"), format!("kubectl get {lower} {name}{ns} -o jsonpath='{{.data}}'")),
            Snippet::sh(
                format!("add `{key}`"),
                format!("kubectl patch {lower} {name}{ns} --type merge -p '{{\"{field}\": {{\"{key}\": \"'\"$VALUE\"'\"}}}}'"),
            ),
        ],
    )
}

/// `exec: "X": executable file not found in $PATH` / `no such file or directory` in `image`:
/// look inside the image instead of guessing an edit.
pub fn command_not_found(image: &str, command: &str) -> Fix {
    let dir = match command.rsplit_once('/') {
        Some(("", _)) => "/".to_string(),
        Some((d, _)) if command.starts_with('/') => d.to_string(),
        _ => "/usr/local/bin /usr/bin /bin".to_string(),
    };
    let mut reasoning = vec![format!(
        "`{command}` is not in image `{image}` (or not where the command says): `command` replaces the image's entrypoint, so the first word must be an executable inside the image"
    )];
    if command.starts_with('-') {
        reasoning.push(format!("`{command}` looks like a flag: it probably belongs in `args` (which keep the image's entrypoint), not in `command`"));
    }
    Fix::advice(
        format!("check what `{image}` contains before changing `command`"),
        reasoning,
        vec![
            Snippet::sh("list the directory in the image", format!("docker run --rm --entrypoint ls {image} -la {dir}")),
            Snippet::sh("show the image's own entrypoint and command", format!("docker image inspect {image} --format '{{{{.Config.Entrypoint}}}} {{{{.Config.Cmd}}}}'")),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked() {
        let s = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t";
        let m = mask_secret(s);
        assert!(!m.contains(s) && m.starts_with("LS0tLS") && m.contains("36 characters"));
        let f = kubeconfig_field(
            "user",
            "admin",
            "token",
            "abcdefghijklmnop",
            "the token expired",
        );
        assert!(f
            .snippets
            .iter()
            .all(|s| !s.text.contains("abcdefghijklmnop")));
        let f = kubeconfig_field(
            "cluster",
            "eks",
            "server",
            "https://x.example:443",
            "placeholder brackets",
        );
        assert!(f.snippets[1]
            .text
            .contains("--server=https://x.example:443"));
    }

    #[test]
    fn kubeconfig_brackets() {
        let t = "clusters:\n- cluster:\n    server: <https://ABC.yl4.us-east-2.eks.amazonaws.com>\n    certificate-authority-data: \"<LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUN5\n  name: x\nusers:\n- user:\n    token: <your-token>\n";
        let f = kubeconfig_placeholders(t).expect("fix");
        let y = &f.snippets[0].text;
        assert!(
            y.contains("    server: https://ABC.yl4.us-east-2.eks.amazonaws.com\n"),
            "{y}"
        );
        assert!(y.contains("certificate-authority-data: LS0tLS…("), "{y}");
        assert!(!y.contains("CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"));
        assert!(f
            .reasoning
            .iter()
            .any(|r| r.contains("closing `>` is missing")));
        assert!(f.reasoning.iter().any(|r| r.contains("<your-token>")));
        assert!(kubeconfig_placeholders("server: https://x\n").is_none());
    }

    #[test]
    fn registries() {
        assert_eq!(registry_of("nginx"), "https://index.docker.io/v1/");
        assert_eq!(
            registry_of("bitnami/redis:7"),
            "https://index.docker.io/v1/"
        );
        assert_eq!(registry_of("ghcr.io/org/app:1"), "ghcr.io");
        assert_eq!(registry_of("localhost:5000/app"), "localhost:5000");
        let f = image_pull_secret("ghcr.io/org/app:1", None, Some("ci"), None);
        assert!(f.snippets[0].text.contains("--docker-server=ghcr.io"));
        assert!(f.snippets[0].text.contains("-n ci"));
        assert_eq!(
            f.snippets[2].text,
            "docker login ghcr.io && docker pull ghcr.io/org/app:1"
        );
        let f = image_pull_secret("nginx", None, None, None);
        assert_eq!(f.snippets[2].text, "docker login && docker pull nginx");
    }

    #[test]
    fn commands_use_real_names() {
        let f = missing_config_ref("configmap", "app-settings", Some("LOG_LEVEL"), Some("prod"));
        assert_eq!(
            f.snippets[1].text,
            "kubectl create configmap app-settings -n prod --from-literal=LOG_LEVEL=\"$VALUE\""
        );
        let f = missing_config_key("secret", "db", "password", None);
        assert_eq!(f.snippets[1].text, "kubectl patch secret db --type merge -p '{\"stringData\": {\"password\": \"'\"$VALUE\"'\"}}'");
        let f = command_not_found("busybox:1.36", "/app/run.sh");
        assert_eq!(
            f.snippets[0].text,
            "docker run --rm --entrypoint ls busybox:1.36 -la /app"
        );
        let f = command_not_found("curator", "--config");
        assert!(f.reasoning.iter().any(|r| r.contains("args")));
        assert_eq!(swap(Some("node-1")).snippets.len(), 2);
    }
}
