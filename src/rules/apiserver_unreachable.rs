use super::common::{distinct, finding, span_text, strings, value_after};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, EvidenceList, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Finds kubectl or a client that cannot reach the API server: `The connection to the
    /// server host:port was refused`, `dial tcp …:6443: connect: connection refused`, `Unable
    /// to connect to the server`, `couldn't get current server API group list`, and the HTTP/2
    /// variants (`http2: client connection lost`, `server sent GOAWAY`). It reads the address:
    /// `localhost:8080` means no kubeconfig was loaded at all; a refused `:6443` means the API
    /// server is down or not listening; a refused `:2379` in the API server's log means etcd is
    /// down, so the API server cannot serve.
    ///
    /// ## Why is this bad?
    /// Nothing can be read or changed in the cluster. For `localhost:8080` kubectl fell back to
    /// its built-in default because it found no configuration; for a real address the
    /// kube-apiserver process (or the node, or the load balancer in front) is not serving.
    ///
    /// ## Evidence
    /// The refusal line (primary), the client-go discovery lines, and a failed
    /// `kube-apiserver` service when pasted.
    ///
    /// ## Example
    /// ```text
    /// The connection to the server 172.17.8.101:6443 was refused - did you specify the right host or port?
    /// ```
    ///
    /// ## Use instead
    /// For `localhost:8080`: point kubectl at a kubeconfig (`export KUBECONFIG=…`, or copy
    /// `/etc/kubernetes/admin.conf` to `~/.kube/config`). For `:6443`: start or repair the API
    /// server (`systemctl status kube-apiserver`, `crictl ps -a`, its logs) and its
    /// dependencies (etcd, certificates).
    ///
    /// ## Fix safety
    /// No manifest change is proposed.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/debug/debug-cluster/
    /// - https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
    /// - https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
    pub static META = {
        code: "PM018",
        name: "apiserver-unreachable",
        cause: Cause::ApiserverUnreachable,
        needs: &[Need::ClusterOutput],
    }
}

pub struct ApiserverUnreachable;

/// `host:port` from the line.
pub fn address(line: &str) -> Option<String> {
    let l = line.replace("\\\"", "\"");
    value_after(&l, "to the server ")
        .filter(|a| a.contains(':') || a.contains('.'))
        .or_else(|| value_after(&l, "dial tcp "))
        .or_else(|| value_after(&l, "Get \"").and_then(|u| u.split('/').nth(2)))
        .map(|a| a.trim_end_matches(':').to_string())
}

pub fn is_default_8080(addr: &str) -> bool {
    crate::wording::any_eq(
        addr,
        crate::wording::phrases!["localhost:8080", "127.0.0.1:8080"],
    ) || addr.ends_with("//localhost:8080")
}

impl Rule for ApiserverUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let refused = distinct(ctx, SignalKind::ServerRefused);
        let other = distinct(ctx, SignalKind::ServerUnreachable);
        if refused.is_empty() && other.is_empty() {
            return Vec::new();
        }
        // The kubectl summary line is the clearest proof; then dial errors; then the rest.
        let mut ordered: Vec<_> = refused.iter().chain(other.iter()).copied().collect();
        let mut seen = Vec::new();
        ordered.retain(|s| {
            let fresh = !seen.contains(&s.line);
            seen.push(s.line);
            fresh
        });
        crate::order::sort_by_key(&mut ordered, |s| {
            let l = span_text(ctx, &s.line).to_ascii_lowercase();
            (
                !l.contains("the connection to the server"),
                !l.contains("refused"),
                s.line.start,
            )
        });
        let addr = ordered
            .iter()
            .find_map(|s| address(span_text(ctx, &s.line)));
        let etcd = addr.as_deref().is_some_and(|a| a.ends_with(":2379"));
        let mut evidence: Vec<Evidence> = Vec::new();
        for (i, s) in ordered.iter().enumerate().take(4) {
            if i == 0 {
                evidence.primary(
                    &s.line,
                    if etcd {
                        "the API server cannot reach etcd"
                    } else {
                        "the client cannot reach the API server"
                    },
                );
            } else {
                evidence.context(&s.line, "same failure from the client library");
            }
        }
        for s in distinct(ctx, SignalKind::ServiceFailed).into_iter().take(3) {
            evidence.context(&s.line, "the API server's service is not running");
        }
        let text: String = ordered
            .iter()
            .map(|s| span_text(ctx, &s.line))
            .collect::<Vec<_>>()
            .join("\n")
            .to_ascii_lowercase();
        let port = addr
            .as_deref()
            .and_then(|a| a.rsplit(':').next())
            .unwrap_or("");
        let a = addr.clone().unwrap_or_else(|| "the API server".into());
        // Without an address in the paste the message names none (not `the API server`
        // quoted as if it were one).
        let at = addr
            .as_deref()
            .map(|a| format!(" at `{a}`"))
            .unwrap_or_default();
        let (message, help, next): (String, String, &[&str]) = if addr
            .as_deref()
            .is_some_and(is_default_8080)
        {
            (
                format!("kubectl connected to `{a}`, its built-in default: no kubeconfig was loaded"),
                "kubectl falls back to `localhost:8080` when it finds no configuration: `~/.kube/config` is missing or empty, `KUBECONFIG` points to a wrong file, \
                 or kubectl runs as another user (with sudo, in a container, in CI). set `KUBECONFIG` or copy the admin kubeconfig (kubeadm: `/etc/kubernetes/admin.conf`) to `~/.kube/config`".to_string(),
                &["kubectl config view", "echo $KUBECONFIG", "ls -l ~/.kube/config"],
            )
        } else if crate::wording::any_in(&text, crate::wording::phrases!["http2", "goaway"]) {
            (
                format!("the connection to the API server{at} was lost (HTTP/2): it restarted or a load balancer closed the connection"),
                "this is usually transient: retry the command; if it repeats, check the API server's restarts and the load balancer's idle timeout".to_string(),
                &["kubectl get --raw /readyz?verbose"],
            )
        } else if etcd {
            (
                format!("etcd{at} refuses connections: the API server cannot reach its storage, so it does not serve"),
                "the API server needs etcd to answer any request. check the etcd process (static pod or systemd unit) and why it stopped: its logs, its data directory, its certificates and its peers".to_string(),
                &["crictl ps -a --name etcd", "crictl logs $(crictl ps -a -q --name etcd | head -1)"],
            )
        } else if text.contains("refused") {
            (
                format!("the API server{at} refuses connections: it is down or not listening"),
                format!(
                    "nothing listens on {}. check the kube-apiserver process (systemd unit or static pod) and why it stopped (its logs; often etcd, certificates or a bad flag); kubectl works again once it serves",
                    if port.is_empty() { "that address".to_string() } else { format!("port {port}") }
                ),
                &[
                    "systemctl status kube-apiserver kubelet",
                    "journalctl -u kube-apiserver -u kubelet --since \"1 hour ago\"",
                    "crictl ps -a --name kube-apiserver",
                ],
            )
        } else {
            (
                format!("the API server{at} cannot be reached"),
                "check the address in the kubeconfig, the network path (VPN, firewall, DNS) and whether the API server is running".to_string(),
                &["kubectl config view --minify", "kubectl cluster-info"],
            )
        };
        vec![finding(
            &META,
            92,
            message,
            help,
            evidence,
            strings(next),
            vec![
                format!("{} → {a}", if etcd { "kube-apiserver" } else { "kubectl" }),
                "connection failed".into(),
            ],
        )]
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses() {
        assert_eq!(
            super::address("The connection to the server 172.17.8.101:6443 was refused - did you")
                .as_deref(),
            Some("172.17.8.101:6443")
        );
        assert_eq!(super::address(r#"Get \"https://127.0.0.1:6443/api?timeout=32s\": dial tcp 127.0.0.1:6443: connect: connection refused"#).as_deref(), Some("127.0.0.1:6443"));
        assert!(super::is_default_8080("localhost:8080"));
    }

    #[test]
    fn no_address_in_the_paste_names_none() {
        let headline = |t: &str| {
            crate::diagnose(&[crate::Input::new("paste", t)])
                .findings
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_default()
        };
        let m = headline("Unable to connect to the server: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)\n");
        assert_eq!(m, "the API server cannot be reached");
        let m = headline("Unable to connect to the server: dial tcp 10.0.3.7:443: i/o timeout\n");
        assert_eq!(m, "the API server at `10.0.3.7:443` cannot be reached");
    }
}
