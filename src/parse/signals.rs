//! Signals: lines anywhere in a paste that name a failure class by their wording, whatever
//! block they sit in (a kubectl error, a controller log, an old tab-separated events table, a
//! CI log, prose), and the rows of `kubectl get pods` tables.
//!
//! Real pastes are cut, re-wrapped and mixed; the structured parsers read what has a layout,
//! and this scanner makes sure a telling line is never lost because its block was not
//! recognised. Each signal keeps the whole (trimmed) line and the matched phrase as spans.

use crate::facts::{PodRow, Signal, SignalKind, S};
use crate::span::{lines, Span, Spanned};
use crate::wording::{any_in, phrases};

/// Phrases (lower case) per kind, most specific kinds first: a line yields at most one signal
/// per kind.
const PATTERNS: &[(SignalKind, &str)] = &[
    (
        SignalKind::ServerRefused,
        phrases![
            "the connection to the server ",
            "connect: connection refused",
        ],
    ),
    (
        SignalKind::ServerUnreachable,
        phrases![
            "unable to connect to the server",
            "couldn't get current server api group list",
            // kubectl 1.0/1.1's wrapper of the same failure.
            "couldn't read version from server",
            "http2: client connection lost",
            "http2: server sent goaway",
            "net/http: tls handshake timeout",
        ],
    ),
    (
        SignalKind::KubeconfigError,
        phrases![
            "no configuration has been provided",
            "invalid configuration:",
            "error in configuration:",
            "error loading config file",
            // Other clients' wording (kubie, client libraries).
            "error loading kubeconfig",
            "context was not found for specified context",
            "no context chosen",
            "cluster has no server defined",
            "no server found for cluster",
            "unable to read certificate-authority",
            "unable to read client-cert",
            "unable to read client-key",
            "client-key-data or client-key must be specified",
            "more than one authentication method found",
            "was not found for context",
            "was not specified for context",
            "to use exec authentication plugin",
            "authprovider cannot be provided in combination with an exec plugin",
            "invalid interactivemode for",
            "empty context name for",
            "does not conform to the kubernetes dns_label rules",
            "without impersonating a user",
            "invalid 'proxy-url'",
            "are both specified for",
            "kubeconfig: no such file",
            ".kube/config: no such file",
            "x509: certificate signed by unknown authority",
            "x509: certificate is valid for",
            "you must be logged in to the server",
            "exec plugin:",
            "getting credentials: exec",
            "getting credentials:",
            "no context exists with the name",
            "does not exist",
            "no such file or directory",
        ],
    ),
    (
        SignalKind::EtcdClusterIdMismatch,
        phrases!["cluster id mismatch"],
    ),
    (
        SignalKind::EtcdElection,
        phrases!["became candidate at term", "is starting a new election"],
    ),
    (
        SignalKind::SwapOn,
        phrases![
            "[error swap]",
            "running with swap on is not supported",
            // What survives of the kubelet's line when a terminal wraps it mid-word.
            "please disable swap",
            "swap is enabled; production deployments",
            "[warning swap]",
        ],
    ),
    (
        SignalKind::HpaMissingRequest,
        phrases!["missing request", "do not have request for"],
    ),
    (
        SignalKind::HpaMetricsUnavailable,
        phrases![
            "failedgetresourcemetric",
            "failed to get cpu utilization",
            "failedcomputemetricsreplicas",
        ],
    ),
    (
        SignalKind::ImagePull,
        phrases![
            "errimagepull",
            "imagepullbackoff",
            "failed to pull image",
            "pull access denied",
            "manifest unknown",
            "invalidimagename",
            "errimageneverpull",
            "back-off pulling image",
            "toomanyrequests",
            "is not present with pull policy of never",
            "invalid reference format",
            "couldn't parse image reference",
            // `kubectl logs` of a container that never started.
            "trying and failing to pull image",
            "image can't be pulled",
            // The kubelet's own log of a failed pull (`remote_image.go] PullImage "x" from image
            // service failed: …`, structured: `"PullImage from image service failed" … image="x"`).
            "pullimage \"",
            "pullimage from image service failed",
            // containerd's own resolution of the image reference, quoted without the kubelet's
            // wrapper (`failed to resolve reference "r/x:1": failed to authorize: … 401`).
            "failed to resolve reference \"",
            // dockershim's wording (`failed pulling image "k8s.gcr.io/pause:3.1": …`).
            "failed pulling image \"",
            // An image with no build for the node's platform (`no matching manifest for
            // windows/amd64 10.0.18362 in the manifest list entries`; containerd: `no match for
            // platform in manifest`).
            "no matching manifest for",
            "no match for platform in manifest",
        ],
    ),
    (
        SignalKind::ConfigRefMissing,
        phrases![
            "createcontainerconfigerror",
            "configmap \"",
            "configmaps \"",
            "secret \"",
            "secrets \"",
            "couldn't find key ",
            "references non-existent config key",
            "references non-existent secret key",
        ],
    ),
    (
        SignalKind::Deadline,
        phrases![
            "deadlineexceeded",
            "active longer than specified deadline",
            "active on the node longer than the specified deadline",
            "active on the node longer than specified deadline",
        ],
    ),
    (
        SignalKind::PodFailurePolicy,
        phrases!["matching failjob rule", "reason: podfailurepolicy"],
    ),
    (
        SignalKind::FailedIndexes,
        phrases![
            "failedindexes",
            "maxfailedindexesexceeded",
            "job has failed indexes",
            "failed indexes",
            "matching failindex rule",
        ],
    ),
    (
        SignalKind::Evicted,
        phrases![
            "the node was low on resource",
            "the node had condition",
            "reason:         evicted",
            "evicted",
            "exceeded its local ephemeral storage limit",
            "pod ephemeral local storage usage exceeds",
        ],
    ),
    (
        SignalKind::Scheduling,
        phrases![
            "failedscheduling",
            "nodes are available",
            "no nodes available to schedule",
            "reason: unschedulable",
            "\"reason\": \"unschedulable\"",
        ],
    ),
    (
        SignalKind::BackoffLimit,
        phrases![
            "backofflimitexceeded",
            "has reached the specified backoff limit",
        ],
    ),
    (
        SignalKind::CrashLoop,
        phrases!["crashloopbackoff", "back-off restarting failed"],
    ),
    (
        SignalKind::TerminatedWithError,
        // `kubectl run --rm`/`attach` ends with `pod NS/NAME terminated (Error)`.
        phrases![
            "terminated with an error",
            "failed with exit code",
            "terminated (error)",
            // Tekton's step condition: `"step-build" exited with code 1 (image: …)`.
            "\" exited with code",
            // Jenkins' Kubernetes agent: `Container jnlp was terminated (Exit Code: 1, Reason: Error)`.
            "was terminated (exit code",
            // Tekton's CLI after a step's log: `container step-deploy has failed  : [{…}]`.
            "container step-",
        ],
    ),
    (
        SignalKind::NodeOom,
        phrases![
            "oomkilling",
            "systemoom",
            "system oom encountered",
            // The same report scoped to the container's cgroup (`CgroupOOM` events).
            "cgroup oom encountered",
            "memory cgroup out of memory",
            // The kubelet's record of a kernel OOM kill it saw in a container's cgroup
            // (`manager.go:1126] Created an OOM event in container "/…" at …`).
            "created an oom event",
            // The OOM killer's own record, also on its own line in `dmesg`: `Killed process
            // 115 (restic) total-vm:158136kB, anon-rss:119456kB, …`.
            "anon-rss:",
        ],
    ),
    (
        SignalKind::ExecNotFound,
        phrases![
            "executable file not found",
            "command not found",
            "no such file or directory",
            ": not found",
        ],
    ),
    (
        SignalKind::PermissionDenied,
        phrases![
            "permission denied",
            // The file is there but is no program for this platform (bash exits 126 too).
            "exec format error",
            "cannot execute binary file",
        ],
    ),
    (
        SignalKind::StartError,
        phrases![
            "starterror",
            "containercannotrun",
            "runcontainererror",
            "oci runtime create failed",
            "oci runtime error",
            "failed to create containerd task",
            "error during container init",
        ],
    ),
    (
        SignalKind::ServiceFailed,
        phrases!["active: failed", "status=203/exec", "(code=exited, status="],
    ),
];

fn find_phrase(lower: &str, grams: &Grams, phrases: &[&str]) -> Option<(usize, usize)> {
    phrases
        .iter()
        .filter(|p| grams.may_contain(p.as_bytes()))
        .filter_map(|p| lower.find(p).map(|i| (i, i + p.len())))
        .min_by_key(|&(i, _)| i)
}

/// The 4-byte substrings of a line, hashed into 4096 bits: a phrase whose first four bytes are
/// not there cannot be in the line, so most phrases are ruled out by one bit test instead of a
/// substring search (exact: no phrase present is ever ruled out).
struct Grams([u64; 64]);

impl Grams {
    fn hash(w: [u8; 4]) -> usize {
        (u32::from_le_bytes(w).wrapping_mul(0x9E37_79B1) >> 20) as usize
    }

    fn of(line: &[u8]) -> Self {
        let mut bits = [0u64; 64];
        for w in line.windows(4) {
            if let &[a, b, c, d] = w {
                let h = Self::hash([a, b, c, d]);
                if let Some(word) = bits.get_mut(h / 64) {
                    *word |= 1 << (h % 64);
                }
            }
        }
        Grams(bits)
    }

    fn may_contain(&self, phrase: &[u8]) -> bool {
        let &[a, b, c, d, ..] = phrase else {
            return true;
        };
        let h = Self::hash([a, b, c, d]);
        self.0.get(h / 64).is_some_and(|w| w & (1 << (h % 64)) != 0)
    }
}

/// A shell's own error message (`sh: 1: foo: not found`) or a script's (`/run.sh: line 9: x:
/// Permission denied`, dash's `/run.sh: 9: x: not found`), at the start of the line or quoted:
/// the message field of a shipped log record (`"textPayload": "/bin/sh: 1: foo: not found"`) or
/// inline code in prose (`` `/bin/sh: 1: /x.sh: Permission denied` ``).
pub fn shell_message(lower: &str) -> bool {
    std::iter::once(lower)
        .chain(
            lower
                .match_indices(['"', '`'])
                .map(|(i, _)| &lower[i + 1..]),
        )
        .any(|s| {
            ["sh:", "/bin/sh:", "bash:", "/bin/bash:"]
                .iter()
                .any(|p| s.starts_with(p))
                || script_line(s)
        })
}

/// `<script>: line <n>: ` (bash) or `<script>: <n>: ` (dash): a shell reporting a line of the
/// script at `<script>`, a path without spaces.
fn script_line(s: &str) -> bool {
    let Some((path, rest)) = s.split_once(": ") else {
        return false;
    };
    let rest = rest.strip_prefix("line ").unwrap_or(rest);
    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
    (path.starts_with('/') || path.starts_with("./"))
        && !path.contains(' ')
        && n > 0
        && rest[n..].starts_with(": ")
}

/// kubeadm's own words around its failed checks, not a program's output: the heading of the
/// check list (`[preflight] Some fatal errors occurred:`, the checks themselves are read as
/// `kubeadm_checks`) and its advice on flags (`you can make a check non-fatal with
/// `--ignore-preflight-errors=...``, `To see the stack trace of this error execute with --v=5 or
/// higher`).
pub fn tool_hint(lower: &str) -> bool {
    any_in(
        lower,
        phrases![
            "--ignore-preflight-errors",
            "to see the stack trace of this error",
            "execute with --v=",
            "some fatal errors occurred",
        ],
    )
}

/// Extra checks that keep a phrase from matching where it means something else.
fn accept(kind: SignalKind, lower: &str, line: &str) -> bool {
    match kind {
        // Tekton names its steps' containers `step-…` in many messages; only tkn's line after
        // a failed step's log says it failed.
        SignalKind::TerminatedWithError if lower.starts_with("container step-") => {
            lower.contains(" has failed")
        }
        // `connection refused` is about the API server only when a dial or server is named.
        SignalKind::ServerRefused => {
            lower.contains("the connection to the server") && lower.contains("was refused")
                || lower.contains("dial tcp") && super::cluster::api_target(lower)
                // kube-apiserver's etcd client: without etcd the API server does not serve.
                || lower.contains(":2379: connect: connection refused") && !lower.contains("probe")
        }
        // `no such file or directory` and `: not found` name a missing program only in an exec context.
        // A pull failure's `…: not found` is the image's (`…-executor:v1: not found`).
        SignalKind::ExecNotFound => {
            !(crate::wording::any_in(
                lower,
                crate::wording::phrases!["failed to pull", "failed to resolve reference"],
            )) && (crate::wording::any_in(
                lower,
                crate::wording::phrases!["executable file not found", "command not found"],
            ) || (lower.contains("no such file or directory")
                && (crate::wording::any_in(lower, crate::wording::phrases!["exec", "stat /bin/"])))
                || (lower.contains(": not found")
                    && (shell_message(lower) || lower.contains("exec"))))
        }
        SignalKind::ConfigRefMissing => {
            any_in(
                lower,
                phrases![
                    "createcontainerconfigerror",
                    "couldn't find key ",
                    "references non-existent config key",
                    "references non-existent secret key",
                ],
            ) || (any_in(
                lower,
                phrases!["configmap \"", "configmaps \"", "secret \"", "secrets \""],
            ) && any_in(
                lower,
                phrases!["not found", "error: configmap", "error: secret"],
            ))
        }
        // `evicted` alone is too common a word; take it as a reason or a status.
        SignalKind::Evicted => {
            any_in(
                lower,
                phrases!["the node was low on resource", "the node had condition", "ephemeral"],
            ) || lower.contains("reason:") && lower.contains("evicted")
                // The `Evicted` reason or status as a word of its own, after an event type or a
                // `READY` cell (a log's "cache: Evicted 1200 keys" is not).
                || line
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| {
                        w[1] == "Evicted"
                            && (matches!(w[0], "Warning" | "Normal")
                                || w[0].split_once('/').is_some_and(|(a, b)| {
                                    !a.is_empty()
                                        && !b.is_empty()
                                        && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
                                }))
                    })
        }
        SignalKind::Scheduling => {
            any_in(
                lower,
                phrases![
                    "failedscheduling",
                    "no nodes available to schedule",
                    "unschedulable",
                ],
            ) || (lower.contains("nodes are available")
                // The scheduler's own count: `0/3 nodes are available: …`.
                && any_in(
                    lower,
                    phrases!["0/", "insufficient", "taint", "selector", "affinity", "predicates"],
                ))
        }
        // A missing file or context is kubectl's only when the file is a kubeconfig or the
        // thing missing is a context (`error: context "prod" does not exist`).
        SignalKind::KubeconfigError => {
            const GENERIC: [&str; 2] = ["no such file or directory", "does not exist"];
            // A certificate error while pulling an image is the registry's, not kubectl's.
            let image_pull = any_in(
                lower,
                phrases!["pull", "/v2/", "failed to resolve reference"],
            );
            let specific = PATTERNS
                .iter()
                .filter(|(k, _)| *k == SignalKind::KubeconfigError)
                .flat_map(|(_, p)| crate::wording::each(p))
                .any(|p| {
                    !GENERIC.contains(&p)
                        && lower.contains(p)
                        && !(p.starts_with("x509:") && image_pull)
                });
            specific
                || (lower.contains("no such file or directory")
                    && any_in(
                        lower,
                        phrases![
                            "/.kube/",
                            "\\.kube\\",
                            "kubeconfig",
                            "admin.conf",
                            "kubelet.conf",
                        ],
                    ))
                || (lower.contains("does not exist") && lower.contains("context \""))
        }
        // gRPC's `code = DeadlineExceeded` and Go's `context deadline exceeded` are an
        // application's timeouts, not a Job or pod deadline.
        // Helm quotes a hook Job's failure reason after gRPC's `desc = `.
        SignalKind::Deadline => {
            crate::wording::any_in(
                lower,
                crate::wording::phrases!["longer than", "job failed: deadlineexceeded"],
            ) || !any_in(
                lower,
                phrases![
                    "code = deadlineexceeded",
                    "codes.deadlineexceeded",
                    "context deadline exceeded",
                    "desc = ",
                ],
            )
        }
        SignalKind::HpaMissingRequest => lower.contains("cpu"),
        // A TLS or credential rejection reached the server: it is not unreachable.
        SignalKind::ServerUnreachable => {
            !lower.contains("x509:") && !lower.contains("getting credentials")
        }
        SignalKind::PermissionDenied => !lower.contains("forbidden"),
        // The OOM killer's notice that its victim is already exiting kills nothing.
        SignalKind::NodeOom => !lower.contains("skip killing"),
        _ => true,
    }
}

/// Scan `text[start..end]` line by line.
pub fn scan(text: &str, input: usize, start: usize, end: usize, in_manifest: bool) -> Vec<Signal> {
    scan_with(text, input, start, end, in_manifest, &Patterns::default())
}

/// [`PATTERNS`] with each phrase list split, made once per parse: the lists are stored joined
/// (no pointer per phrase in the web bundle), and splitting them on every line would cost
/// more than reading the line.
pub struct Patterns(Vec<(SignalKind, Vec<&'static str>)>);

impl Default for Patterns {
    fn default() -> Self {
        Patterns(
            PATTERNS
                .iter()
                .map(|(kind, phrases)| (*kind, crate::wording::each(phrases).collect()))
                .collect(),
        )
    }
}

/// [`scan`] with the phrase lists already split.
pub fn scan_with(
    text: &str,
    input: usize,
    start: usize,
    end: usize,
    in_manifest: bool,
    patterns: &Patterns,
) -> Vec<Signal> {
    let Some(region) = text.get(start..end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (ls, le) in lines(region) {
        let Some(line) = region.get(ls..le) else {
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        let abs = start + ls + lead;
        let lower = trimmed.to_ascii_lowercase();
        let grams = Grams::of(lower.as_bytes());
        for (kind, phrases) in &patterns.0 {
            let Some((s, e)) = find_phrase(&lower, &grams, phrases) else {
                continue;
            };
            if !accept(*kind, &lower, trimmed) {
                continue;
            }
            out.push(Signal {
                kind: *kind,
                line: Span::new(input, abs, abs + trimmed.len()),
                at: Span::new(input, abs + s, abs + e),
                in_manifest,
            });
        }
    }
    out
}

fn is_ready(w: &str) -> bool {
    let Some((a, b)) = w.split_once('/') else {
        return false;
    };
    !a.is_empty()
        && !b.is_empty()
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.bytes().all(|c| c.is_ascii_digit())
}

/// Rows of `kubectl get pods` tables (`NAME READY STATUS RESTARTS AGE`, with or without a
/// leading `NAMESPACE` column), recognised by their shape wherever they are.
pub fn pod_rows(text: &str, input: usize, start: usize, end: usize) -> Vec<PodRow> {
    let Some(region) = text.get(start..end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (ls, le) in lines(region) {
        let Some(line) = region.get(ls..le) else {
            continue;
        };
        // A pods row has a `n/m` READY word: lines without a slash are not rows.
        if !line.contains('/') {
            continue;
        }
        // Words with their offsets (a word is a sub-slice of the line: its offset is the
        // distance between the two starts).
        let mut words: Vec<(usize, &str)> = Vec::new();
        for w in line.split_whitespace() {
            words.push((w.as_ptr() as usize - line.as_ptr() as usize, w));
            if words.len() >= 7 {
                break;
            }
        }
        let base = start + ls;
        let at = |k: usize| -> Option<S> {
            let (off, w) = *words.get(k)?;
            Some(Spanned::new(
                w.to_string(),
                Span::new(input, base + off, base + off + w.len()),
            ))
        };
        let (ns, first) = if words.get(1).is_some_and(|w| is_ready(w.1)) {
            (None, 0)
        } else if words.get(2).is_some_and(|w| is_ready(w.1)) {
            (at(0), 1)
        } else {
            continue;
        };
        let restarts_ok = words
            .get(first + 3)
            .is_some_and(|w| w.1.bytes().all(|c| c.is_ascii_digit()));
        let (Some(name), Some(ready), Some(status)) = (at(first), at(first + 1), at(first + 2))
        else {
            continue;
        };
        if !restarts_ok || name.value == "NAME" {
            continue;
        }
        let restarts = at(first + 3).and_then(|r| {
            let n = r.value.parse().ok()?;
            Some(Spanned::new(n, r.span))
        });
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        out.push(PodRow {
            line: Span::new(input, base + lead, base + lead + trimmed.len()),
            namespace: ns,
            name,
            ready,
            status,
            restarts,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gram_filter_never_hides_a_phrase() {
        for (_, phrases) in PATTERNS {
            for p in crate::wording::each(phrases) {
                for line in [p.to_string(), format!("x {p} y"), format!("{p}{p}")] {
                    let grams = Grams::of(line.as_bytes());
                    assert!(
                        find_phrase(&line, &grams, &[p]).is_some(),
                        "{p:?} hidden in {line:?}"
                    );
                }
            }
        }
        assert!(!Grams::of(b"all quiet").may_contain(b"refused"));
    }

    fn kinds(t: &str) -> Vec<SignalKind> {
        scan(t, 0, 0, t.len(), false)
            .into_iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn refused_and_kubeconfig() {
        assert_eq!(
            kinds("The connection to the server localhost:8080 was refused - did you specify the right host or port?"),
            [SignalKind::ServerRefused]
        );
        assert!(kinds("error: no configuration has been provided, try setting KUBERNETES_MASTER environment variable").contains(&SignalKind::KubeconfigError));
        assert!(kinds("read tcp: connection refused by policy").is_empty());
    }

    #[test]
    fn a_refused_probe_or_database_is_not_the_api_server() {
        assert!(kinds("Liveness probe failed: Get \"http://10.1.0.4:8080/api/health\": dial tcp 10.1.0.4:8080: connect: connection refused").is_empty());
        assert!(kinds("db: dial tcp 10.0.0.5:5432: connect: connection refused").is_empty());
        assert_eq!(
            kinds("dial tcp 10.0.0.1:6443: connect: connection refused"),
            [SignalKind::ServerRefused]
        );
        // The API server's etcd client refused: the API server cannot serve.
        assert_eq!(
            kinds(
                r#"W0322 19:19:08.265649 1 clientconn.go:1120] grpc: addrConn.createTransport failed to connect to {https://127.0.0.1:2379 0  <nil>}. Err :connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:2379: connect: connection refused". Reconnecting..."#
            ),
            [SignalKind::ServerRefused]
        );
        assert!(kinds("Liveness probe failed: Get \"http://127.0.0.1:2381/health\": dial tcp 127.0.0.1:2379: connect: connection refused").is_empty());
        assert!(kinds("dial tcp 10.0.0.5:23790: connect: connection refused").is_empty());
    }

    #[test]
    fn the_kubelets_oom_event_is_a_node_oom() {
        assert!(kinds("kubelet[4991]: I1010 17:41:57.858757    4991 manager.go:1126] Created an OOM event in container \"/kubepods/pod1\" at 2017-10-10 17:41:57").contains(&SignalKind::NodeOom));
        assert!(!kinds("INFO created an event in container logs").contains(&SignalKind::NodeOom));
        assert!(kinds("Warning  CgroupOOM  28s  kubelet  Cgroup OOM encountered, victim process: stress, pid: 4").contains(&SignalKind::NodeOom));
        assert!(!kinds("INFO cgroup memory encountered no limit").contains(&SignalKind::NodeOom));
    }

    #[test]
    fn application_words_are_not_kubernetes_reasons() {
        assert!(kinds("INFO cache: Evicted 1200 stale keys from LRU").is_empty());
        assert!(kinds(
            "ERROR fetch: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
        )
        .is_empty());
        assert_eq!(
            kinds("logship-7b9f8c-5tq2x        0/1     Evicted   0          2d"),
            [SignalKind::Evicted]
        );
        assert_eq!(
            kinds("3m   Warning   Evicted   pod/x   Pod ephemeral local storage usage exceeds the total limit"),
            [SignalKind::Evicted]
        );
        assert_eq!(
            kinds("Warning  DeadlineExceeded  1h  job-controller  Job was active longer than specified deadline"),
            [SignalKind::Deadline]
        );
    }

    #[test]
    fn credential_plugins_are_kubeconfig_errors() {
        assert_eq!(
            kinds(
                "error: exec plugin: invalid apiVersion \"client.authentication.k8s.io/v1alpha1\""
            ),
            [SignalKind::KubeconfigError]
        );
        assert_eq!(
            kinds("Unable to connect to the server: getting credentials: exec: executable aws not found"),
            [SignalKind::KubeconfigError]
        );
    }

    #[test]
    fn a_registry_certificate_is_not_the_kubeconfig() {
        let t = "Failed to pull image \"r.local/a:1\": failed to do request: Head \"https://r.local/v2/a/manifests/1\": tls: failed to verify certificate: x509: certificate signed by unknown authority";
        assert!(!kinds(t).contains(&SignalKind::KubeconfigError));
        assert!(kinds(t).contains(&SignalKind::ImagePull));
    }

    #[test]
    fn missing_kubeconfig_files_and_contexts() {
        for t in [
            "error: stat /root/.kube/staging.yaml: no such file or directory",
            "error: context \"dev\" does not exist",
            "error: no context exists with the name: \"dev\"",
        ] {
            assert_eq!(kinds(t), [SignalKind::KubeconfigError], "{t}");
        }
        // Other missing files and things are not about the kubeconfig.
        assert!(kinds("open /data/in.csv: no such file or directory").is_empty());
        assert!(kinds("error: bucket \"logs\" does not exist").is_empty());
    }

    #[test]
    fn evicted_needs_the_reason_not_the_word() {
        assert!(kinds("cache entry user:42 evicted after ttl").is_empty());
        assert_eq!(kinds("x-1   0/1   Evicted   0   3h"), [SignalKind::Evicted]);
    }

    #[test]
    fn exec_context_is_required() {
        assert!(kinds("open /data/in.csv: no such file or directory").is_empty());
        assert_eq!(
            kinds("exec: \"foo\": executable file not found in $PATH"),
            [SignalKind::ExecNotFound]
        );
        assert_eq!(kinds("sh: 1: foo: not found"), [SignalKind::ExecNotFound]);
        // A shell message quoted as a shipped log record's text still names a missing program.
        assert_eq!(
            kinds(r#"  "textPayload": "/bin/sh: 1: ./run.sh: not found\n","#),
            [SignalKind::ExecNotFound]
        );
        // A quoted message that is not the shell's own (`"crash: not found"`) does not.
        assert!(!kinds(r#"  "message": "trash: not found","#).contains(&SignalKind::ExecNotFound));
        assert!(
            !kinds(r#"  "message": "user bash not found","#).contains(&SignalKind::ExecNotFound)
        );
        // A script's own line report (dash), and a file that is only missing, not run.
        assert_eq!(
            kinds("/docker-entrypoint.sh: 12: gosu: not found"),
            [SignalKind::ExecNotFound]
        );
        assert!(kinds("config /etc/app.yaml: key port: not found").is_empty());
    }

    #[test]
    fn the_kubelets_own_pull_failure_log() {
        assert_eq!(
            kinds(
                r#"E0902 17:08:30.669241 5467 remote_image.go:113] PullImage "reg:8083/a:1" from image service failed: rpc error: no basic auth credentials"#
            ),
            [SignalKind::ImagePull]
        );
        assert_eq!(
            kinds(
                r#"E0902 17:08:30.669241 5467 remote_image.go:180] "PullImage from image service failed" err="rpc error: 401 Unauthorized" image="reg/a:1""#
            ),
            [SignalKind::ImagePull]
        );
        assert!(kinds(r#"  Normal  Pulling  12s  kubelet  Pulling image "reg/a:1""#).is_empty());
    }

    #[test]
    fn shell_messages_of_scripts_and_in_prose() {
        for l in [
            "sh: 1: foo: not found",
            "/opt/bin/start.sh: line 91: /opt/bin/kubectl: permission denied",
            "/run.sh: 7: /updater.sh: permission denied",
            "throwing a ```/bin/sh: 1: /updater.sh: permission denied``` error.",
            r#""textpayload": "bash: line 1: x: command not found""#,
        ] {
            assert!(shell_message(l), "{l}");
        }
        for l in [
            "open /data/in.csv: permission denied",
            "main.go:12: permission denied",
            "/var/log/app.log: 3 lines: permission denied",
            "the file /a b.sh: line 2: x: not found",
            "a `crash: 1` line",
        ] {
            assert!(!shell_message(l), "{l}");
        }
    }

    #[test]
    fn pod_rows_with_and_without_namespace() {
        let t = "NAME  READY  STATUS  RESTARTS  AGE\nx-1   0/1    Error   4         57s\nns  y-2  0/1  CrashLoopBackOff  7 (2m ago)  1d\nnot a row\n";
        let rows = pod_rows(t, 0, 0, t.len());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name.value, "x-1");
        assert_eq!(rows[0].status.value, "Error");
        assert_eq!(rows[0].restarts.as_ref().map(|r| r.value), Some(4));
        assert_eq!(
            rows[1].namespace.as_ref().map(|n| n.value.as_str()),
            Some("ns")
        );
        assert_eq!(rows[1].status.span.text(t), "CrashLoopBackOff");
    }

    #[test]
    fn never_panics_on_odd_text() {
        for t in ["", "\n\n", "é/é é 1 2", "a 1/1"] {
            let _ = scan(t, 0, 0, t.len(), false);
            let _ = pod_rows(t, 0, 0, t.len());
        }
    }

    #[test]
    fn a_hook_jobs_deadline_quoted_by_helm() {
        assert_eq!(
            kinds(
                "Helm install error: rpc error: code = Unknown desc = Job failed: DeadlineExceeded"
            ),
            [SignalKind::Deadline]
        );
        // gRPC's own deadline behind `desc =` stays an application timeout.
        assert!(kinds("rpc error: code = Unknown desc = context deadline exceeded").is_empty());
    }

    #[test]
    fn a_pull_failures_not_found_names_no_program() {
        let pull = "Failed to pull image \"org/x-executor:v1\": rpc error: code = NotFound desc = failed to resolve reference \"docker.io/org/x-executor:v1\": docker.io/org/x-executor:v1: not found";
        assert!(!kinds(pull).contains(&SignalKind::ExecNotFound));
        assert!(
            kinds("exec /app/run: no such file or directory").contains(&SignalKind::ExecNotFound)
        );
    }

    #[test]
    fn the_oom_killers_record_on_its_own() {
        assert!(kinds("[7340755.888220] Killed process 115473 (restic) total-vm:158136kB, anon-rss:119456kB, file-rss:0kB, shmem-rss:0kB").contains(&SignalKind::NodeOom));
        // A process killed by someone else is no OOM kill.
        assert!(
            !kinds("Killed process 4242 after the deploy timed out").contains(&SignalKind::NodeOom)
        );
    }

    #[test]
    fn kubectl_1_0s_wrapper_of_an_unreachable_server() {
        assert!(kinds("error: couldn't read version from server: Get https://10.0.0.1/api: dial tcp 10.0.0.1:443: i/o timeout").contains(&SignalKind::ServerUnreachable));
    }

    #[test]
    fn containerds_resolution_and_the_oom_killers_skip_notice() {
        assert!(kinds("\"r.example.com/x/busybox:1\": failed to resolve reference \"r.example.com/x/busybox:1\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized").contains(&SignalKind::ImagePull));
        assert!(!kinds("[1034895.974251] Memory cgroup out of memory: OOM victim 3085690 (httpd) is already exiting. Skip killing the task").contains(&SignalKind::NodeOom));
        assert!(kinds("[1034895.974253] Memory cgroup out of memory: Killed process 3085741 (httpd) total-vm:312132kB, anon-rss:9032kB").contains(&SignalKind::NodeOom));
    }
}
