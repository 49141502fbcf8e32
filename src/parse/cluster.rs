//! Client and cluster output: kubectl / client-go errors, kubeadm preflight checks, etcd
//! cluster ID mismatches, HPA metric errors, journal lines.
//!
//! Every reader here looks at one line at a time, so the same code serves pasted logs of any
//! size. Values keep the byte span they were read from.

use crate::facts::{
    ClientError, ClientErrorKind, EtcdMismatch, Event, Facts, HpaMetricError, KubeadmCheck, S,
};
use crate::span::{lines, Span, Spanned};
use crate::wording::{any_in, phrases};

/// The kind of client error a line reports, if it is one.
pub fn client_error_kind(line: &str) -> Option<ClientErrorKind> {
    client_error_kind_lower(&line.to_ascii_lowercase())
}

/// Words one of which every client error line holds (a cheap first filter).
const CLIENT_HINTS: &[&str] = &[
    "config", "refused", "goaway", "http2", "server", "dial tcp", "tls", "x509", "invalid",
];

/// Does this (lower-case) line name the API server as the target of a connection? `dial tcp …`
/// alone is any program's failure (a database, a probe): it is the client's only when the API
/// server is the target. A kubelet probe failure is never about the API server.
pub fn api_target(l: &str) -> bool {
    any_in(
        l,
        phrases![
            "/api",
            ":6443",
            "unable to connect to the server",
            "memcache.go",
            "server api group list",
            "kubectl",
        ],
    ) && !any_in(l, phrases!["probe failed", "probe error"])
}

fn client_error_kind_lower(l: &str) -> Option<ClientErrorKind> {
    if !CLIENT_HINTS.iter().any(|h| l.contains(h)) {
        return None;
    }
    if crate::wording::any_in(
        l,
        crate::wording::phrases!["error loading config file", "error loading kubeconfig"],
    ) {
        return Some(ClientErrorKind::ConfigLoad);
    }
    if crate::wording::any_in(
        l,
        crate::wording::phrases![
            "invalid configuration:",
            "no configuration has been provided"
        ],
    ) {
        return Some(ClientErrorKind::InvalidConfiguration);
    }
    let api_target = api_target(l);
    if (l.contains("the connection to the server") && l.contains("was refused"))
        || (l.contains("connect: connection refused") && api_target)
    {
        return Some(ClientErrorKind::ConnectionRefused);
    }
    if l.contains("http2:")
        && (crate::wording::any_in(l, crate::wording::phrases!["goaway", "connection lost"]))
        || l.contains("server sent goaway")
    {
        return Some(ClientErrorKind::Http2);
    }
    if any_in(
        l,
        phrases![
            "couldn't get current server api group list",
            "couldn't read version from server",
            "unable to connect to the server",
        ],
    ) || (l.contains("dial tcp")
        && api_target
        && any_in(
            l,
            phrases!["i/o timeout", "no route to host", "no such host"],
        ))
        || (l.contains("tls handshake timeout") && api_target)
    {
        return if l.contains("couldn't get current server api group list") {
            Some(ClientErrorKind::Discovery)
        } else {
            Some(ClientErrorKind::Network)
        };
    }
    if any_in(
        l,
        phrases![
            "you must be logged in to the server",
            "x509: certificate",
            "error from server (forbidden)",
            "error from server (unauthorized)",
        ],
    ) {
        return Some(ClientErrorKind::Auth);
    }
    if l.contains(" is invalid: ") {
        return Some(ClientErrorKind::Invalid);
    }
    None
}

/// `Jul 25 11:35:56 node1 kube-apiserver[1300]: …` (syslog / journalctl short format).
pub fn is_journal_line(t: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut w = t.split_whitespace();
    let (Some(mon), Some(day), Some(time), Some(_host), Some(proc_)) =
        (w.next(), w.next(), w.next(), w.next(), w.next())
    else {
        return false;
    };
    MONTHS.contains(&mon)
        && day.len() <= 2
        && day.bytes().all(|b| b.is_ascii_digit())
        && time.len() == 8
        && time.bytes().filter(|&b| b == b':').count() == 2
        && proc_.ends_with(':')
}

fn spanned(text: &str, input: usize, s: usize, e: usize) -> Option<S> {
    let v = text.get(s..e)?;
    (!v.is_empty()).then(|| Spanned::new(v.to_string(), Span::new(input, s, e)))
}

/// The `host:port` at the start of `s` (IPv6 in brackets allowed): (host range, port range)
/// relative to `s`.
type HostPort = ((usize, usize), Option<(usize, usize)>);

fn host_port(s: &str) -> Option<HostPort> {
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '/' | '"' | '\\' | ',' | ')'))
        .unwrap_or(s.len());
    let addr = s.get(..end)?.trim_end_matches(':');
    if addr.is_empty() {
        return None;
    }
    if let Some(rest) = addr.strip_prefix('[') {
        let close = rest.find(']')? + 1;
        let port = addr.get(close + 1..).and_then(|p| p.strip_prefix(':'));
        let port = port
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .map(|p| (close + 2, close + 2 + p.len()));
        return Some(((0, close + 1), port));
    }
    match addr.rfind(':') {
        Some(c)
            if addr
                .get(c + 1..)
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Some(((0, c), Some((c + 1, addr.len()))))
        }
        _ => Some(((0, addr.len()), None)),
    }
}

/// Server and port named in a client error line.
fn server_in(line: &str) -> Option<HostPort> {
    for marker in ["dial tcp ", "the connection to the server ", "://"] {
        let lower = line.to_ascii_lowercase();
        if let Some(p) = lower.find(marker) {
            let at = p + marker.len();
            let rest = line.get(at..)?;
            let ((hs, he), port) = host_port(rest)?;
            return Some(((at + hs, at + he), port.map(|(a, b)| (at + a, at + b))));
        }
    }
    None
}

/// Read a client error from one line (`ls..le` in `text`).
pub fn client_error(text: &str, input: usize, ls: usize, le: usize) -> Option<ClientError> {
    let line = text.get(ls..le)?;
    let kind = client_error_kind(line)?;
    read_client_error(text, input, ls, le, kind)
}

fn read_client_error(
    text: &str,
    input: usize,
    ls: usize,
    le: usize,
    kind: ClientErrorKind,
) -> Option<ClientError> {
    let line = text.get(ls..le)?;
    let lead = line.len() - line.trim_start().len();
    let trimmed_end = ls + line.trim_end().len();
    let message = spanned(text, input, ls + lead, trimmed_end)?;
    let (mut server, mut port) = (None, None);
    if let Some(((hs, he), p)) = server_in(line) {
        server = spanned(text, input, ls + hs, ls + he);
        port = p.and_then(|(a, b)| {
            let v: u16 = line.get(a..b)?.parse().ok()?;
            Some(Spanned::new(v, Span::new(input, ls + a, ls + b)))
        });
    }
    let subject = match kind {
        ClientErrorKind::ConfigLoad => {
            let lower = line.to_ascii_lowercase();
            let p = lower.find("error loading config file")? + "error loading config file".len();
            let rest = line.get(p..)?;
            let q = rest.find('"')?;
            let close = rest.get(q + 1..)?.find('"')?;
            spanned(text, input, ls + p + q + 1, ls + p + q + 1 + close)
        }
        ClientErrorKind::Invalid => {
            let p = line.find(" is invalid: ")? + " is invalid: ".len();
            let rest = line.get(p..)?;
            let end = rest.find(": ").unwrap_or(rest.len());
            let path = rest.get(..end)?;
            (!path.contains(' ')).then_some(())?;
            spanned(text, input, ls + p, ls + p + end)
        }
        _ => None,
    };
    Some(ClientError {
        span: Span::new(input, ls + lead, trimmed_end),
        kind,
        server,
        port,
        subject,
        message,
    })
}

/// `[ERROR Swap]: running with swap on is not supported. Please disable swap`.
pub fn kubeadm_check(text: &str, input: usize, ls: usize, le: usize) -> Option<KubeadmCheck> {
    let line = text.get(ls..le)?;
    let lead = line.len() - line.trim_start().len();
    let t = line.trim();
    let (level, rest) = if let Some(r) = t.strip_prefix("[ERROR ") {
        ("ERROR", r)
    } else if let Some(r) = t.strip_prefix("[WARNING ") {
        ("WARNING", r)
    } else {
        return None;
    };
    let close = rest.find(']')?;
    let name = rest.get(..close)?;
    if name.is_empty() || name.contains(' ') {
        return None;
    }
    let level_start = ls + lead + 1;
    let name_start = ls + lead + 1 + level.len() + 1;
    let after = rest.get(close + 1..)?;
    let msg_off = after.len() - after.trim_start_matches([':', ' ', '\t']).len();
    let msg_start = name_start + close + 1 + msg_off;
    let msg_end = ls + lead + t.len();
    let raw = text.get(msg_start..msg_end).unwrap_or("");
    Some(KubeadmCheck {
        span: Span::new(input, ls + lead, msg_end),
        level: Spanned::new(
            level.to_string(),
            Span::new(input, level_start, level_start + level.len()),
        ),
        check: Spanned::new(
            name.to_string(),
            Span::new(input, name_start, name_start + close),
        ),
        message: Spanned::new(
            unwrap_gaps(raw),
            Span::new(input, msg_start, msg_end.max(msg_start)),
        ),
    })
}

/// Remove hard-wrap gaps: a terminal that wrapped a long line pads with spaces, so
/// `disable swa                 p` reads `disable swap`.
pub fn unwrap_gaps(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut spaces = 0;
    for c in s.chars() {
        if c == ' ' {
            spaces += 1;
            continue;
        }
        if spaces > 0 && spaces < 4 {
            out.extend(std::iter::repeat_n(' ', spaces));
        }
        spaces = 0;
        out.push(c);
    }
    out
}

/// The string value of `"key":"value"` in a JSON log line, as a range into `line`.
pub(crate) fn json_str(line: &str, key: &str) -> Option<(usize, usize)> {
    let pat = format!("\"{key}\":\"");
    let p = line.find(&pat)? + pat.len();
    // The closing quote is the first one no backslash escapes.
    let mut escaped = false;
    let close = line.get(p..)?.bytes().position(|b| {
        let end = b == b'"' && !escaped;
        escaped = b == b'\\' && !escaped;
        end
    })?;
    Some((p, p + close))
}

/// etcd `cluster ID mismatch`: text (`got X want Y`) or JSON zap lines.
pub fn etcd_mismatch(text: &str, input: usize, ls: usize, le: usize) -> Option<EtcdMismatch> {
    let line = text.get(ls..le)?;
    let lower = line.to_ascii_lowercase();
    if !lower.contains("cluster id mismatch") && !lower.contains("cluster-id mismatch") {
        return None;
    }
    let lead = line.len() - line.trim_start().len();
    let word_after = |pat: &str| -> Option<S> {
        let p = line.find(pat)? + pat.len();
        let rest = line.get(p..)?;
        let len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        spanned(text, input, ls + p, ls + p + len)
    };
    let json =
        |key: &str| json_str(line, key).and_then(|(a, b)| spanned(text, input, ls + a, ls + b));
    let got = word_after("got ").or_else(|| json("remote-peer-cluster-id"));
    let want = word_after("want ").or_else(|| json("local-member-cluster-id"));
    Some(EtcdMismatch {
        span: Span::new(input, ls + lead, ls + line.trim_end().len()),
        got,
        want,
        repeats: 0,
    })
}

/// HPA metric errors in a message or log line.
pub fn hpa_metric_error(
    text: &str,
    input: usize,
    s: usize,
    e: usize,
    reason: Option<S>,
) -> Option<HpaMetricError> {
    let msg = text.get(s..e)?;
    let lower = msg.to_ascii_lowercase();
    // Before 1.6 the HPA controller said `some pods do not have request for cpu`.
    let hpa_like = any_in(
        &lower,
        phrases![
            "missing request for",
            "do not have request for",
            "failed to get cpu utilization",
            "failed to get memory utilization",
            "unable to get metrics for resource",
            "no metrics returned from resource metrics api",
            "did not receive metrics for targeted pods",
        ],
    );
    if !hpa_like {
        return None;
    }
    let word_after = |pat: &str| -> Option<S> {
        let p = lower.find(pat)? + pat.len();
        let rest = msg.get(p..)?;
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ')' | '"'))
            .unwrap_or(rest.len());
        let v = rest.get(..len)?;
        (!v.is_empty()).then(|| Spanned::new(v.to_string(), Span::new(input, s + p, s + p + len)))
    };
    let missing_request = crate::wording::any_in(
        &lower,
        crate::wording::phrases!["missing request for", "do not have request for"],
    );
    let resource = word_after("missing request for ")
        .or_else(|| word_after("do not have request for "))
        .or_else(|| word_after("metrics for resource "))
        .or_else(|| word_after("failed to get "))
        .map(|mut r| {
            r.value = r.value.to_ascii_lowercase();
            r
        });
    let container = word_after(" in container ");
    let pod = word_after(" of pod ");
    Some(HpaMetricError {
        span: Span::new(input, s, e),
        reason,
        resource,
        missing_request,
        container,
        pod,
        message: Spanned::new(msg.to_string(), Span::new(input, s, e)),
    })
}

/// HPA errors carried by events.
pub fn hpa_errors_from_events(text: &str, events: &[Event]) -> Vec<HpaMetricError> {
    events
        .iter()
        .filter(|ev| {
            crate::wording::any_eq(
                ev.reason.value.as_str(),
                crate::wording::phrases![
                    "FailedGetResourceMetric",
                    "FailedComputeMetricsReplicas",
                    "FailedGetPodsMetric",
                    "FailedGetExternalMetric",
                    "FailedGetObjectMetric",
                    "FailedGetContainerResourceMetric"
                ],
            )
        })
        .filter_map(|ev| {
            hpa_metric_error(
                text,
                ev.message.span.input,
                ev.message.span.start,
                ev.message.span.end,
                Some(ev.reason.clone()),
            )
        })
        .collect()
}

/// Could this lower-cased line be read by [`scan`]? (the first bytes of every hint it looks for)
fn may_matter(lower: &[u8]) -> bool {
    lower.trim_ascii_start().starts_with(b"[")
        || lower.windows(3).any(|w| {
            let &[a, b, c] = w else { return false };
            matches!(
                (a, b, c),
                (b'c', b'o', b'n')
                    | (b'r', b'e', b'f')
                    | (b'g', b'o', b'a')
                    | (b'h', b't', b't')
                    | (b's', b'e', b'r')
                    | (b'd', b'i', b'a')
                    | (b't', b'l', b's')
                    | (b'x', b'5', b'0')
                    | (b'i', b'n', b'v')
                    | (b'm', b'i', b's')
                    | (b'm', b'e', b't')
                    | (b'r', b'e', b'q')
                    | (b'u', b'n', b'a')
                    | (b'y', b'o', b'u')
                    | (b'e', b'r', b'r')
                    | (b'f', b'a', b'i')
                    | (b'n', b'o', b' ')
                    | (b'd', b'i', b'd')
            )
        })
}

/// Scan the lines of `text[start..end]` for client errors, kubeadm checks and etcd mismatches
/// (and HPA errors in log lines when `hpa_lines`).
pub fn scan(
    text: &str,
    input: usize,
    start: usize,
    end: usize,
    hpa_lines: bool,
    facts: &mut Facts,
) {
    let Some(region) = text.get(start..end) else {
        return;
    };
    let mut lower = String::new();
    for (s, e) in lines(region) {
        let (ls, le) = (start + s, start + e);
        let line = text.get(ls..le).unwrap_or("");
        lower.clear();
        lower.push_str(line);
        lower.make_ascii_lowercase();
        if !may_matter(lower.as_bytes()) {
            continue;
        }
        if let Some(kind) = client_error_kind_lower(&lower) {
            facts
                .client_errors
                .extend(read_client_error(text, input, ls, le, kind));
        }
        if line.trim_start().starts_with('[') {
            facts
                .kubeadm_checks
                .extend(kubeadm_check(text, input, ls, le));
        }
        if !lower.contains("mismatch") {
            // fall through to the HPA check below
        } else if let Some(m) = etcd_mismatch(text, input, ls, le) {
            match facts.etcd_mismatches.last_mut() {
                Some(prev)
                    if prev.span.input == input
                        && prev.got.as_ref().map(|g| &g.value)
                            == m.got.as_ref().map(|g| &g.value)
                        && prev.want.as_ref().map(|g| &g.value)
                            == m.want.as_ref().map(|g| &g.value) =>
                {
                    prev.repeats += 1
                }
                _ => facts.etcd_mismatches.push(m),
            }
        }
        if hpa_lines
            && (crate::wording::any_in(&lower, crate::wording::phrases!["metric", "request for"]))
        {
            let lead = line.len() - line.trim_start().len();
            if let Some(h) =
                hpa_metric_error(text, input, ls + lead, ls + line.trim_end().len(), None)
            {
                facts.hpa_metric_errors.push(h);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_string_ends_at_its_first_unescaped_quote() {
        let line = r#"{"message":"pods \"x\" is forbidden","a\\":"b\\","c":"d"}"#;
        let (a, b) = json_str(line, "message").expect("message");
        assert_eq!(&line[a..b], r#"pods \"x\" is forbidden"#);
        let (a, b) = json_str(line, r"a\\").expect("a");
        assert_eq!(&line[a..b], r#"b\\"#);
        assert_eq!(json_str(r#"{"m":"open \"#, "m"), None);
    }

    fn one(line: &str) -> ClientError {
        client_error(line, 0, 0, line.len()).expect("client error")
    }

    #[test]
    fn connection_refused_names_server_and_port() {
        let l = "The connection to the server 172.17.8.101:6443 was refused - did you specify the right host or port?";
        let c = one(l);
        assert_eq!(c.kind, ClientErrorKind::ConnectionRefused);
        assert_eq!(c.server.map(|s| s.value).as_deref(), Some("172.17.8.101"));
        assert_eq!(c.port.map(|p| p.value), Some(6443));
        let l = r#"E0205 10:23:18.252079     957 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \"https://127.0.0.1:6443/api?timeout=32s\": dial tcp 127.0.0.1:6443: connect: connection refused""#;
        let c = one(l);
        assert_eq!(c.kind, ClientErrorKind::ConnectionRefused);
        assert_eq!(c.server.as_ref().map(|s| s.span.text(l)), Some("127.0.0.1"));
        assert_eq!(c.port.map(|p| p.value), Some(6443));
        let c = one("The connection to the server [::1]:8443 was refused - did you specify the right host or port?");
        assert_eq!(c.server.map(|s| s.value).as_deref(), Some("[::1]"));
        assert_eq!(c.port.map(|p| p.value), Some(8443));
    }

    #[test]
    fn other_client_errors() {
        let l = r#"error: error loading config file "/home/u/.kube/config": yaml: line 15: could not find expected ':'"#;
        let c = one(l);
        assert_eq!(c.kind, ClientErrorKind::ConfigLoad);
        assert_eq!(
            c.subject.map(|s| s.value).as_deref(),
            Some("/home/u/.kube/config")
        );
        assert_eq!(
            one("error: invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable").kind,
            ClientErrorKind::InvalidConfiguration
        );
        assert_eq!(
            one("Unable to connect to the server: http2: client connection lost").kind,
            ClientErrorKind::Http2
        );
        let l = r#"Job.batch "x" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#;
        let c = one(l);
        assert_eq!(c.kind, ClientErrorKind::Invalid);
        assert_eq!(
            c.subject.map(|s| s.value).as_deref(),
            Some("spec.template.spec.restartPolicy")
        );
        assert!(client_error("all fine", 0, 0, 8).is_none());
        let l = "Liveness probe failed: Get \"http://10.0.1.57:8080/healthz\": dial tcp 10.0.1.57:8080: connect: connection refused";
        assert!(client_error(l, 0, 0, l.len()).is_none());
    }

    #[test]
    fn kubeadm_swap_with_wrap_gap() {
        let l = "        [ERROR Swap]: running with swap on is not supported. Please disable swa                            p";
        let k = kubeadm_check(l, 0, 0, l.len()).expect("check");
        assert_eq!(k.level.span.text(l), "ERROR");
        assert_eq!(k.check.span.text(l), "Swap");
        assert!(k.message.value.ends_with("Please disable swap"));
        let l =
            "\t[WARNING IsDockerSystemdCheck]: detected \"cgroupfs\" as the Docker cgroup driver";
        let k = kubeadm_check(l, 0, 0, l.len()).expect("check");
        assert_eq!(k.check.value, "IsDockerSystemdCheck");
        assert_eq!(k.level.value, "WARNING");
    }

    #[test]
    fn etcd_text_and_json() {
        let l = "2015/10/16 07:51:44 rafthttp: streaming request ignored (cluster ID mismatch got 9b09b40f488fe304 want ac5f3aa02066b598)";
        let m = etcd_mismatch(l, 0, 0, l.len()).expect("mismatch");
        assert_eq!(m.got.map(|g| g.value).as_deref(), Some("9b09b40f488fe304"));
        assert_eq!(
            m.want.as_ref().map(|g| g.span.text(l)),
            Some("ac5f3aa02066b598")
        );
        let l = r#"{"level":"warn","ts":"2020-01-01T00:00:00.000Z","caller":"rafthttp/http.go:500","msg":"request cluster ID mismatch","local-member-id":"a","local-member-cluster-id":"c1","remote-peer-id":"b","remote-peer-cluster-id":"c2"}"#;
        let m = etcd_mismatch(l, 0, 0, l.len()).expect("mismatch");
        assert_eq!(m.got.map(|g| g.value).as_deref(), Some("c2"));
        assert_eq!(m.want.map(|g| g.value).as_deref(), Some("c1"));
    }

    #[test]
    fn hpa_missing_request() {
        let l = "failed to get cpu utilization: missing request for cpu in container app of Pod web-7d4b9c-x2";
        let h = hpa_metric_error(l, 0, 0, l.len(), None).expect("hpa");
        assert!(h.missing_request);
        assert_eq!(h.resource.map(|r| r.value).as_deref(), Some("cpu"));
        assert_eq!(h.container.map(|r| r.value).as_deref(), Some("app"));
        assert_eq!(
            h.pod.as_ref().map(|r| r.span.text(l)),
            Some("web-7d4b9c-x2")
        );
    }

    #[test]
    fn journal_lines() {
        assert!(is_journal_line(
            "Jul 25 11:35:56 node1 kube-apiserver[1300]: E0725 something"
        ));
        assert!(!is_journal_line("July is a month"));
    }

    #[test]
    fn the_pre_1_6_wording_of_a_missing_request() {
        let l = "failed to get CPU consumption and request: some pods do not have request for cpu";
        let e = hpa_metric_error(l, 0, 0, l.len(), None).expect("an HPA metric error");
        assert!(e.missing_request);
        assert_eq!(e.resource.map(|r| r.value).as_deref(), Some("cpu"));
        // Metrics that are merely unavailable name no missing request.
        let m = "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned";
        let e = hpa_metric_error(m, 0, 0, m.len(), None).expect("an HPA metric error");
        assert!(!e.missing_request);
    }
}
