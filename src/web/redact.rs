//! Redaction before sharing: find tokens, passwords, bearer tokens, JWTs, PEM bodies
//! (certificates and keys), kubeconfig `*-data:` blobs and, on request, IPv4 addresses and host
//! names. Pure; the share panel previews [`find`]'s spans and links the [`apply`]'d text.
//!
//! Values that kubectl itself already hides (`<set to the key 'password' in secret 'db'>`) are
//! kept: they name the Secret, which the diagnosis needs.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub ips: bool,
    pub hosts: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The value of a `token:` / `password=` / `client-key-data:` … key.
    Secret,
    /// The body of a `-----BEGIN …-----` block.
    Pem,
    /// A bearer token or a JWT anywhere in the text.
    Token,
    Ip,
    Host,
}

impl Kind {
    pub fn mask(self) -> &'static str {
        match self {
            Kind::Secret | Kind::Token => "[redacted]",
            Kind::Pem => "[redacted]\n",
            Kind::Ip => "[ip]",
            Kind::Host => "[host]",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Secret => "secret value",
            Kind::Pem => "certificate or key",
            Kind::Token => "token",
            Kind::Ip => "IP address",
            Kind::Host => "host name",
        }
    }
}

/// One byte range of the text to mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redaction {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Keys whose values are secrets, compared after lower-casing and turning `-` and `.` into `_`;
/// a key matches when it equals one of these or ends with `_` + one of these.
const SECRET_KEYS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "pwd",
    "secret",
    "apikey",
    "api_key",
    "client_key_data",
    "client_certificate_data",
    "certificate_authority_data",
    "private_key",
    "secret_key",
    "access_key",
    "credentials",
    "authorization",
];

fn is_secret_key(key: &str) -> bool {
    let k: String = key
        .trim_matches(|c| c == '"' || c == '\'' || c == '-')
        .chars()
        .map(|c| match c {
            '-' | '.' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    SECRET_KEYS.iter().any(|s| {
        k == *s
            || k.strip_suffix(s)
                .is_some_and(|p| p.ends_with('_') || p.ends_with("auth"))
    })
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_-.".contains(&b)
}

/// All redactions in `text`, sorted and not overlapping.
pub fn find(text: &str, opts: Options) -> Vec<Redaction> {
    let mut out = Vec::new();
    let mut pem_body: Option<usize> = None;
    // (indent of the key, start of the block) while inside `password: |` style block scalars
    let mut block: Option<(usize, usize)> = None;
    for (ls, le) in crate::span::lines(text) {
        let line = text.get(ls..le).unwrap_or("");
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((key_indent, start)) = block {
            if trimmed.is_empty() || indent > key_indent {
                continue;
            }
            out.push(Redaction {
                kind: Kind::Secret,
                start,
                end: ls.saturating_sub(1).max(start),
            });
            block = None;
        }
        if let Some(start) = pem_body {
            if line.contains("-----END ") {
                out.push(Redaction {
                    kind: Kind::Pem,
                    start,
                    end: ls,
                });
                pem_body = None;
            }
            continue;
        }
        if line.contains("-----BEGIN ") {
            pem_body = Some((le + 1).min(text.len()));
            continue;
        }
        if let Some(start) = key_values(text, ls, le, &mut out) {
            block = Some((indent, start));
        }
        tokens(text, ls, le, &mut out);
        if opts.ips {
            ips(text, ls, le, &mut out);
        }
        if opts.hosts {
            hosts(text, ls, le, &mut out);
        }
    }
    if let Some(start) = pem_body {
        out.push(Redaction {
            kind: Kind::Pem,
            start,
            end: text.len(),
        });
    }
    if let Some((_, start)) = block {
        out.push(Redaction {
            kind: Kind::Secret,
            start,
            end: text.len(),
        });
    }
    out.retain(|r| r.start < r.end);
    crate::order::sort_by_key(&mut out, |r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Redaction> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last() {
            Some(last) if r.start < last.end => {}
            _ => merged.push(r),
        }
    }
    merged
}

/// `key: value`, `key=value`, `"key": "value"` on one line. Returns the start of a block
/// scalar's body when the value is `|` or `>` (the caller masks the indented lines below).
fn key_values(text: &str, ls: usize, le: usize, out: &mut Vec<Redaction>) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = ls;
    while i < le {
        let c = b[i];
        if c != b':' && c != b'=' {
            i += 1;
            continue;
        }
        let mut ks = i;
        let mut ke = i;
        if ks > ls && (b[ks - 1] == b'"' || b[ks - 1] == b'\'') {
            ke -= 1;
            ks -= 1;
        }
        while ks > ls && is_key_char(b[ks - 1]) {
            ks -= 1;
        }
        let key = text.get(ks..ke).unwrap_or("");
        if key.is_empty() || !is_secret_key(key) {
            i += 1;
            continue;
        }
        // `:` must be followed by a space or the line end (not `http://` or `a:b` in a value)
        if c == b':' && i + 1 < le && b[i + 1] != b' ' && b[i + 1] != b'\t' {
            i += 1;
            continue;
        }
        let mut vs = i + 1;
        while vs < le && (b[vs] == b' ' || b[vs] == b'\t') {
            vs += 1;
        }
        let rest = text.get(vs..le).unwrap_or("");
        if rest.is_empty() {
            return None;
        }
        if matches!(rest.trim_end(), "|" | "|-" | "|+" | ">" | ">-" | ">+") {
            return Some((le + 1).min(text.len()));
        }
        if rest.starts_with('<') || rest.starts_with('{') || rest.starts_with('[') {
            i += 1;
            continue;
        }
        let ve = if let Some(q) = rest.chars().next().filter(|q| *q == '"' || *q == '\'') {
            // quoted: mask inside the quotes
            let body = vs + 1;
            let end = text
                .get(body..le)
                .and_then(|r| r.find(q))
                .map_or(le, |e| body + e);
            out.push(Redaction {
                kind: Kind::Secret,
                start: body,
                end,
            });
            i = end + 1;
            continue;
        } else if c == b'=' {
            rest.find(|ch: char| ch.is_whitespace() || "&;,\"'".contains(ch))
                .map_or(le, |e| vs + e)
        } else {
            vs + rest.trim_end().trim_end_matches([',', '}']).len()
        };
        out.push(Redaction {
            kind: Kind::Secret,
            start: vs,
            end: ve,
        });
        i = ve.max(i + 1);
    }
    None
}

fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b)
}

/// `Bearer <token>` and JWTs (`eyJ….….…`).
fn tokens(text: &str, ls: usize, le: usize, out: &mut Vec<Redaction>) {
    let line = text.get(ls..le).unwrap_or("");
    let lower = line.to_ascii_lowercase();
    for (p, _) in lower.match_indices("bearer ") {
        let start = ls + p + "bearer ".len();
        let len = line
            .as_bytes()
            .get(p + "bearer ".len()..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&b| is_token_char(b))
            .count();
        if len >= 8 {
            out.push(Redaction {
                kind: Kind::Token,
                start,
                end: start + len,
            });
        }
    }
    for (p, _) in line.match_indices("eyJ") {
        let bytes = line.as_bytes();
        if p > 0 && is_token_char(bytes[p - 1]) {
            continue;
        }
        let run: &[u8] = &bytes[p..];
        let len = run
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            .count();
        let jwt = &run[..len];
        if jwt.iter().filter(|&&b| b == b'.').count() >= 2 && len >= 20 {
            out.push(Redaction {
                kind: Kind::Token,
                start: ls + p,
                end: ls + p + len,
            });
        }
    }
}

/// Dotted-quad IPv4 addresses.
fn ips(text: &str, ls: usize, le: usize, out: &mut Vec<Redaction>) {
    let b = text.as_bytes();
    let mut i = ls;
    while i < le {
        if !b[i].is_ascii_digit()
            || (i > ls && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'))
        {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut parts = 0;
        let mut ok = true;
        loop {
            let ds = j;
            while j < le && b[j].is_ascii_digit() {
                j += 1;
            }
            let n = text.get(ds..j).and_then(|d| d.parse::<u16>().ok());
            if j == ds || j - ds > 3 || n.is_none_or(|n| n > 255) {
                ok = false;
                break;
            }
            parts += 1;
            if parts == 4
                || j >= le
                || b[j] != b'.'
                || !b.get(j + 1).is_some_and(u8::is_ascii_digit)
            {
                break;
            }
            j += 1;
        }
        let clean_end = j >= le
            || !(b[j].is_ascii_alphanumeric()
                || (b[j] == b'.' && b.get(j + 1).is_some_and(u8::is_ascii_digit)));
        if ok && parts == 4 && clean_end {
            out.push(Redaction {
                kind: Kind::Ip,
                start: i,
                end: j,
            });
        }
        i = j.max(i + 1);
    }
}

/// Host names: three or more dot-separated lower-case labels ending in an alphabetic TLD.
/// Kubernetes' own API groups and label prefixes (`*.k8s.io`, `*.kubernetes.io`) are kept,
/// and so are file names (`app.config.yaml`).
fn hosts(text: &str, ls: usize, le: usize, out: &mut Vec<Redaction>) {
    let b = text.as_bytes();
    let host_char = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.';
    let mut i = ls;
    while i < le {
        if !host_char(b[i])
            || (i > ls
                && (host_char(b[i - 1]) || b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < le && host_char(b[j]) {
            j += 1;
        }
        let next_is_word = j < le && (b[j].is_ascii_alphanumeric() || b[j] == b'_');
        let cand = text.get(i..j).unwrap_or("").trim_end_matches('.');
        let labels: Vec<&str> = cand.split('.').collect();
        let tld = labels.last().copied().unwrap_or("");
        let keep = cand.ends_with("k8s.io")
            || cand.ends_with("kubernetes.io")
            || matches!(
                tld,
                "yaml"
                    | "yml"
                    | "json"
                    | "txt"
                    | "log"
                    | "py"
                    | "go"
                    | "java"
                    | "js"
                    | "sh"
                    | "conf"
                    | "cfg"
                    | "tar"
                    | "gz"
                    | "zip"
                    | "jar"
            );
        if !next_is_word
            && labels.len() >= 3
            && labels
                .iter()
                .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
            && (2..=24).contains(&tld.len())
            && tld.bytes().all(|c| c.is_ascii_lowercase())
            && !keep
        {
            out.push(Redaction {
                kind: Kind::Host,
                start: i,
                end: i + cand.len(),
            });
        }
        i = j.max(i + 1);
    }
}

/// `text` with every redaction replaced by its mask.
pub fn apply(text: &str, redactions: &[Redaction]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for r in redactions {
        if r.start < pos || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(text.get(pos..r.start).unwrap_or(""));
        out.push_str(r.kind.mask());
        pos = r.end;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    out
}

/// Convenience: find and apply.
pub fn redact(text: &str, opts: Options) -> String {
    apply(text, &find(text, opts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(text: &str) -> String {
        redact(text, Options::default())
    }

    #[test]
    fn masks_key_values() {
        assert_eq!(r("token: abc.def.ghi\n"), "token: [redacted]\n");
        assert_eq!(
            r("    password:   hunter2  \n"),
            "    password:   [redacted]  \n"
        );
        assert_eq!(
            r("DB_PASSWORD=s3cr3t ./run\n"),
            "DB_PASSWORD=[redacted] ./run\n"
        );
        assert_eq!(r("--token=abcdef123 --v=2"), "--token=[redacted] --v=2");
        assert_eq!(
            r(r#"{"apiKey": "k-123", "x": 1}"#),
            r#"{"apiKey": "[redacted]", "x": 1}"#
        );
        assert_eq!(
            r("    client-key-data: LS0tLS1CRUdJTi\n    client-certificate-data: LS0tQ\n"),
            "    client-key-data: [redacted]\n    client-certificate-data: [redacted]\n"
        );
        assert_eq!(r("  GITHUB_TOKEN: ghp_x\n"), "  GITHUB_TOKEN: [redacted]\n");
    }

    #[test]
    fn keeps_what_the_diagnosis_needs() {
        for keep in [
            "      DB_PASSWORD:  <set to the key 'password' in secret 'db-creds'>  Optional: false\n",
            "    secretName: db-creds\n",
            "  - secretKeyRef:\n      name: db\n      key: password\n",
            "  Type:       Secret (a volume populated by a Secret)\n",
            "tokens_used: 3\n",
            "image: registry.example.com/app:1.2\n",
            "url: http://token:8080/\n",
        ] {
            assert_eq!(r(keep), keep);
        }
    }

    #[test]
    fn masks_pem_bodies_and_block_scalars() {
        let t = "ca: |\n  -----BEGIN CERTIFICATE-----\n  MIIBszCCAVmg\n  AwIBAgI=\n  -----END CERTIFICATE-----\nnext: 1\n";
        assert_eq!(
            r(t),
            "ca: |\n  -----BEGIN CERTIFICATE-----\n[redacted]\n  -----END CERTIFICATE-----\nnext: 1\n"
        );
        let t = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nxyz";
        assert_eq!(r(t), "-----BEGIN RSA PRIVATE KEY-----\n[redacted]\n");
        let t = "data:\n  password: |\n    line1\n    line2\n  user: bob\n";
        assert_eq!(r(t), "data:\n  password: |\n[redacted]\n  user: bob\n");
    }

    #[test]
    fn masks_bearer_tokens_and_jwts() {
        assert_eq!(
            r("Authorization: Bearer abcdefghij12345\n"),
            "Authorization: [redacted]\n"
        );
        assert_eq!(
            r("curl -H 'x: Bearer abcdefghij12345' host\n"),
            "curl -H 'x: Bearer [redacted]' host\n"
        );
        assert_eq!(
            r("got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here"),
            "got [redacted] here"
        );
    }

    #[test]
    fn ips_and_hosts_only_on_request() {
        let t = "Node:  worker-3/10.0.4.17\nIP: 10.244.1.5, bad 1.2.3.4.5 999.1.1.1\ndial tcp api.prod.example.com:443\nlabel batch.kubernetes.io/job-name=x file app.config.yaml\n";
        assert_eq!(r(t), t);
        let both = redact(
            t,
            Options {
                ips: true,
                hosts: true,
            },
        );
        assert_eq!(
            both,
            "Node:  worker-3/[ip]\nIP: [ip], bad 1.2.3.4.5 999.1.1.1\ndial tcp [host]:443\nlabel batch.kubernetes.io/job-name=x file app.config.yaml\n"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_are_ordered(text in "[ -~\n\té]{0,300}", ips: bool, hosts: bool) {
            let rs = find(&text, Options { ips, hosts });
            for w in rs.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
            let _ = apply(&text, &rs);
        }
    }
}
