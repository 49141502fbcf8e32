use super::apiserver_unreachable::{address, is_default_8080};
use super::common::{distinct, finding, span_text, strings};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};
use crate::span::{lines, Span};
use crate::wording::phrases;

crate::declare_rule! {
    /// ## What it does
    /// Finds kubectl configuration problems: the clientcmd errors (`no configuration has been
    /// provided`, `invalid configuration: …`, `context was not found for specified context`,
    /// `cluster has no server defined`, `unable to read client-cert …`, `Error loading config
    /// file …: yaml: line N: …`), a refused `localhost:8080` (kubectl's default when no
    /// kubeconfig was loaded), and a pasted kubeconfig checked locally: contexts that name
    /// clusters or users that do not exist, a `current-context` that does not exist, `server:`
    /// values that are not URLs, template placeholders such as `<https://…>`, client
    /// certificates without a key, and `*-data` fields that are not base64. Secrets in the paste
    /// are never repeated. TLS (`x509`) and 401 answers point at the kubeconfig too.
    ///
    /// ## Why is this bad?
    /// kubectl cannot build a client configuration, so every command fails before it reaches the
    /// cluster, or it silently talks to `localhost:8080`.
    ///
    /// ## Evidence
    /// The error line (primary) and the offending kubeconfig lines.
    ///
    /// ## Example
    /// ```text
    /// Error loading config file "/home/me/.kube/config": yaml: line 15: could not find expected ':'
    ///     server: <https://ABC.yl4.us-east-2.eks.amazonaws.com>
    /// ```
    ///
    /// ## Use instead
    /// Regenerate the kubeconfig with the provider's tool (`aws eks update-kubeconfig`, `gcloud
    /// container clusters get-credentials`, `az aks get-credentials`, kubeadm's `admin.conf`),
    /// or fix the named entry; check with `kubectl config view`.
    ///
    /// ## Fix safety
    /// No change is proposed: kubeconfigs hold credentials and are not rewritten.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
    /// - https://kubernetes.io/docs/tasks/access-application-cluster/configure-access-multiple-clusters/
    /// - https://kubernetes.io/docs/reference/kubectl/generated/kubectl_config/
    pub static META = {
        code: "PM020",
        name: "kubeconfig-invalid",
        cause: Cause::KubeconfigInvalid,
        needs: &[Need::ClusterOutput, Need::Manifest],
    }
}

pub struct KubeconfigInvalid;

/// `line` and up to `max` lines under it that carry on its message inside a tool's diagnostic
/// box (Terraform's `│ `): the same prefix, text after it, and a line above that did not end
/// its sentence. Lines without such a prefix (log lines) are never joined.
fn wrapped(ctx: &Context, line: Span, max: usize) -> Span {
    let text = ctx.text(line.input);
    fn prefix(l: &str) -> &str {
        let n = l
            .find(|c: char| c.is_alphanumeric() || c == '"' || c == '/')
            .unwrap_or(l.len());
        l.get(..n).unwrap_or("")
    }
    let first = text.get(line.start..line.end).unwrap_or("");
    let line_start = crate::span::line_start(text, line.start);
    let own = prefix(text.get(line_start..line.end).unwrap_or(""));
    if own.trim().is_empty() || first.trim_end().ends_with('.') {
        return line;
    }
    let mut end = line.end;
    for _ in 0..max {
        let Some(body) = crate::span::next_line(text, end) else {
            break;
        };
        if prefix(body) != own || body.get(own.len()..).is_none_or(|b| b.trim().is_empty()) {
            break;
        }
        end += 1 + body.len();
        if body.trim_end().ends_with('.') {
            break;
        }
    }
    Span::new(line.input, line.start, end)
}

/// What a kubeconfig error line means, by its wording: the first row whose phrases (any of
/// them, and its second phrase when one is given) are in the line wins.
const EXPLANATIONS: &str = crate::wording::text_rows![
    (
        phrases!["no configuration has been provided"],
        "",
        "kubectl found no kubeconfig at all: `~/.kube/config` is missing and `KUBECONFIG` is unset",
    ),
    (
        phrases!["error loading config file"], "yaml", "the kubeconfig file is not valid YAML"),
    (
        phrases!["error loading kubeconfig"],
        "missing field",
        "the kubeconfig file lacks a section every kubeconfig has",
    ),
    (
        phrases!["error loading config file", "error loading kubeconfig"],
        "",
        "the kubeconfig file cannot be read",
    ),
    (
        phrases!["context was not found", "no context chosen", "no context exists"],
        "",
        "the selected context does not exist in the kubeconfig",
    ),
    (
        phrases!["context \""],
        "does not exist",
        "the selected context does not exist in the kubeconfig",
    ),
    (
        phrases!["no server defined", "no server found"],
        "",
        "the cluster entry has no `server:` URL",
    ),
    (
        phrases!["unable to read certificate-authority"],
        "",
        "the `certificate-authority` file cannot be read",
    ),
    (
        phrases!["unable to read client-cert", "unable to read client-key"],
        "",
        "the client certificate or key file cannot be read",
    ),
    (
        phrases!["client-key-data or client-key must be specified"],
        "",
        "the user has a client certificate but no key",
    ),
    (
        phrases!["more than one authentication method"],
        "",
        "the user entry mixes several authentication methods",
    ),
    (
        phrases!["was not found for context", "was not specified for context"],
        "",
        "a context names a cluster or user that does not exist",
    ),
    (
        phrases!["authprovider cannot be provided in combination"],
        "",
        "the user entry has both an `auth-provider` and an `exec` plugin",
    ),
    (
        phrases!["invalid interactivemode"],
        "",
        "the exec plugin's `interactiveMode` is not `Never`, `IfAvailable` or `Always`",
    ),
    (
        phrases!["empty context name"], "", "a context has an empty name"),
    (
        phrases!["dns_label rules"], "", "a context's namespace is not a valid DNS label"),
    (
        phrases!["without impersonating a user"],
        "",
        "impersonation of groups, uid or extras is set without a user to impersonate",
    ),
    (
        phrases!["invalid 'proxy-url'"], "", "the cluster's `proxy-url` is not a valid URL"),
    (
        phrases!["are both specified for"],
        "",
        "a field and its `-data` twin are both set (the `-data` value wins)",
    ),
    (
        phrases!["exec plugin: invalid apiversion"],
        "",
        "the kubeconfig's exec credential plugin asks for an API version this kubectl no longer accepts (regenerate it, e.g. `aws eks update-kubeconfig` with a current CLI, or set `client.authentication.k8s.io/v1beta1`)",
    ),
    (
        phrases!["getting credentials"],
        "not found",
        "the kubeconfig's exec credential plugin is not installed or not on `PATH`",
    ),
    (
        phrases!["getting credentials", "exec plugin:"],
        "",
        "the kubeconfig's exec credential plugin failed",
    ),
    (
        phrases!["exec authentication plugin"],
        "",
        "the exec credential plugin entry is incomplete",
    ),
    (
        phrases!["x509: certificate signed by unknown authority"],
        "",
        "the kubeconfig's `certificate-authority-data` does not match the API server's certificate (a kubeconfig from an older or another cluster)",
    ),
    (
        phrases!["x509: certificate is valid for"],
        "",
        "the kubeconfig's `server` address is not a name in the API server's certificate",
    ),
    (
        phrases!["you must be logged in to the server"],
        "",
        "the API server rejected the kubeconfig's credentials (an expired token or certificate, or the wrong user)",
    ),
    (
        phrases!["no such file"],
        "",
        "the kubeconfig file named by `KUBECONFIG` or `--kubeconfig` does not exist",
    ),
];

/// What a clientcmd message means.
fn explain(line: &str) -> &'static str {
    crate::wording::first_text(
        &line.to_ascii_lowercase(),
        EXPLANATIONS,
        "the kubeconfig is invalid",
    )
}

/// Lines of a pasted kubeconfig that cannot be right: placeholders and non-URL servers.
fn pasted_kubeconfig(ctx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (input, inp) in ctx.inputs.iter().enumerate() {
        let text = inp.text.as_str();
        if !(text.contains("clusters:")
            && (crate::wording::any_in(
                text,
                crate::wording::phrases![
                    "contexts:",
                    "certificate-authority",
                    "current-context",
                    "kind: Config"
                ],
            )))
        {
            continue;
        }
        for (s, e) in lines(text) {
            let Some(line) = text.get(s..e) else { continue };
            let t = line.trim_start().trim_start_matches("- ");
            let Some((key, value)) = t.split_once(':') else {
                continue;
            };
            let value = value.trim();
            let lead = line.len() - line.trim_start().len();
            let span = Span::new(input, s + lead, e);
            let secret = key.ends_with("-data")
                || crate::wording::any_eq(key, crate::wording::phrases!["token", "password"])
                || key.contains("secret");
            let v = value.trim_matches(['"', '\'']);
            if v.starts_with('<') || v.ends_with('>') && v.contains('<') {
                out.context(
                    &span,
                    if secret {
                        format!("`{key}` holds a template placeholder wrapped in `<…>`, not the value (value not shown)")
                    } else {
                        format!("`{key}` is a template placeholder wrapped in `<…>`: remove the angle brackets")
                    },
                );
            } else if key == "server"
                && !v.is_empty()
                && !v.starts_with("https://")
                && !v.starts_with("http://")
            {
                out.context(&span, "`server` must be a URL such as `https://host:6443`");
            } else if key.ends_with("-data")
                && !v.is_empty()
                && !v
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            {
                out.context(&span, format!("`{key}` is not base64 (value not shown)"));
            }
        }
    }
    // A parsed kubeconfig: references between contexts, clusters and users.
    for m in &ctx.facts.manifests {
        if m.kind.as_ref().is_none_or(|k| k.value != "Config") {
            continue;
        }
        let names = |list: &str| -> Vec<String> {
            m.root
                .get(list)
                .map(|l| {
                    l.items()
                        .iter()
                        .filter_map(|i| i.get("name").and_then(|n| n.as_str()).map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (clusters, users, contexts) = (names("clusters"), names("users"), names("contexts"));
        if let Some(ctxs) = m.root.get("contexts") {
            for c in ctxs.items() {
                for (field, known) in [("cluster", &clusters), ("user", &users)] {
                    if let Some(v) = c.path(&["context", field]) {
                        if let Some(name) = v.as_str() {
                            if !known.iter().any(|k| k == name) {
                                out.context(
                                    &Span::new(m.span.input, v.start, v.end),
                                    format!("{field} `{name}` is not defined in `{field}s`"),
                                );
                            }
                        }
                    }
                }
            }
        }
        if let Some(us) = m.root.get("users") {
            for u in us.items() {
                let Some(user) = u.get("user") else { continue };
                let cert = user
                    .entry("client-certificate-data")
                    .or_else(|| user.entry("client-certificate"));
                let key = user
                    .entry("client-key-data")
                    .or_else(|| user.entry("client-key"));
                if let (Some((k, _)), None) = (cert, key) {
                    // The key name only: the certificate itself is not repeated.
                    out.context(
                        &Span::new(m.span.input, k.start, k.end),
                        "a client certificate without `client-key-data` or `client-key`",
                    );
                }
            }
        }
        if let Some(cc) = m.root.get("current-context") {
            if let Some(name) = cc.as_str().filter(|n| !n.is_empty()) {
                if !contexts.iter().any(|k| k == name) {
                    out.context(
                        &Span::new(m.span.input, cc.start, cc.end),
                        format!("current-context `{name}` is not defined in `contexts`"),
                    );
                }
            }
        }
    }
    out
}

impl Rule for KubeconfigInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs = distinct(ctx, SignalKind::KubeconfigError);
        let local = pasted_kubeconfig(ctx);
        let default_server = distinct(ctx, SignalKind::ServerRefused)
            .into_iter()
            .chain(distinct(ctx, SignalKind::ServerUnreachable))
            .find(|s| address(span_text(ctx, &s.line)).is_some_and(|a| is_default_8080(&a)));
        let mut evidence = Vec::new();
        let mut what = None;
        for s in sigs.iter().take(3) {
            let line = wrapped(ctx, s.line, 2);
            let ex = explain(span_text(ctx, &line));
            what.get_or_insert(ex);
            evidence.primary_if_first(&line, ex);
        }
        let mut confidence = 92;
        if let Some(d) = default_server {
            if evidence.is_empty() {
                confidence = 70;
                what = Some(
                    "kubectl used its built-in default `localhost:8080`: no kubeconfig was loaded",
                );
                evidence.primary(&d.line, "the default address: no kubeconfig in use");
            } else {
                evidence.context(&d.line, "kubectl fell back to its default address");
            }
        }
        if evidence.is_empty() && !local.is_empty() {
            what = Some("the pasted kubeconfig has entries that cannot work");
            confidence = 80;
        }
        let had_primary = evidence.iter().any(|e| e.primary);
        for (i, e) in local.into_iter().enumerate() {
            evidence.push(if !had_primary && i == 0 {
                Evidence { primary: true, ..e }
            } else {
                e
            });
        }
        let Some(what) = what else {
            return Vec::new();
        };
        let mut f = finding(
            &META,
            confidence,
            format!("kubectl's configuration is invalid: {what}"),
            "regenerate the kubeconfig with the provider's tool (`aws eks update-kubeconfig`, `gcloud container clusters get-credentials`, `az aks get-credentials`, or kubeadm's `/etc/kubernetes/admin.conf`) \
             or fix the entry named above; values must not keep template brackets such as `<…>`. check the result with `kubectl config view`".into(),
            evidence,
            strings(&[
                "kubectl config view",
                "kubectl config get-contexts",
                "echo $KUBECONFIG",
            ]),
            strings(&["kubectl", "kubeconfig", what]),
        );
        // Values pasted with `<…>` template brackets: the corrected fields, secrets masked.
        f.fix = ctx
            .inputs
            .iter()
            .find_map(|i| crate::fix::advice::kubeconfig_placeholders(&i.text));
        vec![f]
    }
}

#[cfg(test)]
mod tests {
    use super::explain;

    /// Every clientcmd validation message of kubernetes-facts §7.2 gets its own explanation.
    #[test]
    fn each_clientcmd_message_is_explained() {
        for (msg, want) in [
            ("no configuration has been provided, try setting KUBERNETES_MASTER environment variable", "no kubeconfig"),
            ("context was not found for specified context: dev", "context does not exist"),
            ("invalid configuration: no context chosen", "context does not exist"),
            ("invalid configuration: cluster has no server defined", "no `server:`"),
            ("no server found for cluster \"prod\"", "no `server:`"),
            ("unable to read certificate-authority /x/ca.crt for prod due to open /x/ca.crt: no such file", "certificate-authority"),
            ("unable to read client-cert /x.crt for admin due to open /x.crt", "client certificate"),
            ("client-key-data or client-key must be specified for admin to use the clientCert authentication method", "no key"),
            ("more than one authentication method found for admin; found [token basicAuth], only one is allowed", "several authentication"),
            ("user \"admin\" was not found for context \"dev\"", "names a cluster or user"),
            ("cluster was not specified for context \"dev\"", "names a cluster or user"),
            ("command must be specified for admin to use exec authentication plugin", "exec credential"),
            ("authProvider cannot be provided in combination with an exec plugin for admin", "auth-provider"),
            ("invalid interactiveMode for admin: \"Sometimes\"", "interactiveMode"),
            ("empty context name for {} is not allowed", "empty name"),
            ("namespace \"Prod_1\" for context \"dev\" does not conform to the kubernetes DNS_LABEL rules", "DNS label"),
            ("requesting uid, groups or user-extra for admin without impersonating a user", "impersonat"),
            ("invalid 'proxy-url' \"::\" for cluster \"prod\": parse error", "proxy-url"),
            ("client-cert-data and client-cert are both specified for admin. client-cert-data will override.", "both set"),
            ("Error loading config file \"/root/.kube/config\": yaml: line 3: mapping values are not allowed", "not valid YAML"),
        ] {
            let got = explain(msg);
            assert!(got.contains(want), "{msg} → {got}");
            // And the scanner recognises the line.
            let sigs = crate::parse::signals::scan(msg, 0, 0, msg.len(), false);
            assert!(
                sigs.iter().any(|s| s.kind == crate::facts::SignalKind::KubeconfigError),
                "not a kubeconfig signal: {msg}"
            );
        }
    }

    #[test]
    fn a_message_wrapped_in_a_diagnostic_box() {
        let boxed = "│ Error: Provider configuration: cannot load Kubernetes client config\n│ \n│ error loading config file\n│ \"/home/me/.kube/config\":\n│ yaml: line 2: mapping values are not allowed in this context\n│ \n";
        let r = crate::diagnose(&[crate::Input::new("paste", boxed)]);
        let f = r.findings.first().expect("a finding");
        assert!(f.message.contains("not valid YAML"), "{}", f.message);
        let e = f
            .evidence
            .iter()
            .find(|e| e.primary)
            .expect("primary evidence");
        assert!(boxed[e.span.start..e.span.end].ends_with("in this context"));
        // Log lines without a box are never joined to the next one.
        let logs = "E0102 kubelet error loading config file\nE0102 kubelet yaml: line 2: mapping values are not allowed in this context\n";
        let r = crate::diagnose(&[crate::Input::new("paste", logs)]);
        if let Some(e) = r
            .findings
            .first()
            .and_then(|f| f.evidence.iter().find(|e| e.primary))
        {
            assert!(!logs[e.span.start..e.span.end].contains('\n'));
        }
    }

    #[test]
    fn other_clients_words_for_an_unreadable_kubeconfig() {
        let kubie = "Error loading kubeconfig /home/me/.kube/config: missing field clusters at line 1 column 5\n";
        assert_eq!(
            crate::rules::primary_of(kubie),
            crate::cause::Cause::KubeconfigInvalid
        );
        // A program's own config file is not kubectl's.
        assert_ne!(
            crate::rules::primary_of("Error loading settings /etc/app.toml: missing field port\n"),
            crate::cause::Cause::KubeconfigInvalid
        );
    }
}
