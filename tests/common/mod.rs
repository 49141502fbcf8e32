//! Shared helpers for the reading-layer tests: a compact, reviewable dump of what was detected
//! and read from pastes, and snapshot comparison with `UPDATE_SNAPSHOTS=1`.

#![allow(dead_code)]

use podmortem::facts::{Container, ContainerState, Event, Facts};
use podmortem::parse::parse;
use podmortem::span::{LineIndex, Span, Spanned};
use podmortem::Input;
use std::fmt::Write;
use std::path::Path;

fn short(s: &str, n: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n {
        one
    } else {
        let mut out: String = one.chars().take(n).collect();
        out.push('…');
        out
    }
}

fn o(v: &Option<Spanned<String>>) -> &str {
    v.as_ref().map(|s| s.value.as_str()).unwrap_or("-")
}

struct Lines<'a> {
    idx: Vec<LineIndex>,
    inputs: &'a [Input],
}

impl Lines<'_> {
    fn at(&self, span: Span) -> String {
        let Some(idx) = self.idx.get(span.input) else {
            return "?".into();
        };
        let a = idx.line(span.start);
        let b = idx.line(span.end.saturating_sub(1).max(span.start));
        let prefix = if self.inputs.len() > 1 {
            format!("{}:", span.input)
        } else {
            String::new()
        };
        if a == b {
            format!("{prefix}L{a}")
        } else {
            format!("{prefix}L{a}-{b}")
        }
    }
}

fn state(s: &Option<ContainerState>) -> String {
    let Some(s) = s else { return "-".into() };
    let mut out = s.kind.value.clone();
    let mut inner = Vec::new();
    if let Some(r) = &s.reason {
        inner.push(r.value.clone());
    }
    if let Some(e) = &s.exit_code {
        inner.push(format!("exit {}", e.value));
    }
    if let Some(e) = &s.signal {
        inner.push(format!("signal {}", e.value));
    }
    if let Some(m) = &s.message {
        inner.push(format!("msg {:?}", short(&m.value, 60)));
    }
    if !inner.is_empty() {
        let _ = write!(out, "({})", inner.join(", "));
    }
    out
}

fn container(out: &mut String, c: &Container, l: &Lines) {
    let res = |v: &[podmortem::facts::Resource]| {
        v.iter()
            .map(|r| format!("{}={}", r.name.value, r.value.value))
            .collect::<Vec<_>>()
            .join(",")
    };
    let _ = writeln!(
        out,
        "    {}container {} {} image={} state={} last={} ready={} restarts={}",
        if c.init { "init-" } else { "" },
        c.name.value,
        l.at(c.span),
        o(&c.image),
        state(&c.state),
        state(&c.last_state),
        o(&c.ready),
        c.restart_count
            .as_ref()
            .map(|r| r.value.to_string())
            .unwrap_or("-".into()),
    );
    if !c.command.is_empty() || !c.args.is_empty() {
        let j = |v: &[Spanned<String>]| {
            v.iter()
                .map(|s| short(&s.value, 40))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let _ = writeln!(
            out,
            "      command=[{}] args=[{}]",
            j(&c.command),
            j(&c.args)
        );
    }
    if !c.limits.is_empty() || !c.requests.is_empty() {
        let _ = writeln!(
            out,
            "      limits={} requests={}",
            res(&c.limits),
            res(&c.requests)
        );
    }
    for e in &c.env_refs {
        let _ = writeln!(
            out,
            "      env-ref {} {} key={} optional={}",
            e.kind,
            e.name,
            e.key.as_deref().unwrap_or("-"),
            e.optional
        );
    }
}

fn event(out: &mut String, indent: &str, e: &Event, l: &Lines) {
    let _ = writeln!(
        out,
        "{indent}event {} {} {} x{} from={} object={} path={} {:?}",
        l.at(e.span),
        o(&e.type_),
        e.reason.value,
        e.count,
        o(&e.from),
        o(&e.object),
        o(&e.field_path),
        short(&e.message.value, 70)
    );
}

/// The compact dump reviewed in snapshots.
pub fn dump(inputs: &[Input]) -> String {
    let parsed = parse(inputs);
    let l = Lines {
        idx: inputs.iter().map(|i| LineIndex::new(&i.text)).collect(),
        inputs,
    };
    let mut out = String::new();
    for (n, segs) in parsed.segments.iter().enumerate() {
        let name = inputs.get(n).map(|i| i.name.as_str()).unwrap_or("?");
        let _ = writeln!(out, "input {n} {name}");
        for s in segs {
            let _ = writeln!(out, "  segment {} {}", s.kind.slug(), l.at(s.span));
        }
    }
    facts_dump(&mut out, &parsed.facts, &l);
    out
}

fn facts_dump(out: &mut String, f: &Facts, l: &Lines) {
    for p in &f.pods {
        let _ = writeln!(
            out,
            "pod {} {} ns={} node={} status={} reason={} controlled-by={} qos={} restart-policy={}",
            o(&p.name),
            l.at(p.span),
            o(&p.namespace),
            o(&p.node),
            o(&p.status),
            o(&p.reason),
            o(&p.controlled_by),
            o(&p.qos_class),
            o(&p.restart_policy),
        );
        if let Some(m) = &p.message {
            let _ = writeln!(out, "  message {:?}", short(&m.value, 100));
        }
        if !p.conditions.is_empty() {
            let c: Vec<String> = p
                .conditions
                .iter()
                .map(|(a, b)| format!("{}={}", a.value, b.value))
                .collect();
            let _ = writeln!(out, "  conditions {}", c.join(" "));
        }
        for c in p.all_containers() {
            container(out, c, l);
        }
        for e in &p.events {
            event(out, "  ", e, l);
        }
    }
    for j in &f.jobs {
        let _ = writeln!(
            out,
            "job {} {} ns={} parallelism={} completions={} mode={} backoff={} per-index={} deadline={} pods={} suspend={} schedule={} failed-indexes={} restart-policy={}",
            o(&j.name),
            l.at(j.span),
            o(&j.namespace),
            o(&j.parallelism),
            o(&j.completions),
            o(&j.completion_mode),
            j.backoff_limit.as_ref().map(|b| b.value.to_string()).unwrap_or("-".into()),
            j.backoff_limit_per_index.as_ref().map(|b| b.value.to_string()).unwrap_or("-".into()),
            j.active_deadline_seconds.as_ref().map(|b| b.value.to_string()).unwrap_or("-".into()),
            j.pods_statuses
                .as_ref()
                .map(|p| format!("{}/{}/{}", p.value.0, p.value.1, p.value.2))
                .unwrap_or("-".into()),
            o(&j.suspend),
            o(&j.schedule),
            o(&j.failed_indexes),
            o(&j.restart_policy),
        );
        for c in &j.conditions {
            let _ = writeln!(
                out,
                "  condition {}={} reason={} message={:?}",
                c.type_.value,
                o(&c.status),
                o(&c.reason),
                short(
                    c.message.as_ref().map(|m| m.value.as_str()).unwrap_or(""),
                    60
                )
            );
        }
        for c in j.init_containers.iter().chain(&j.containers) {
            container(out, c, l);
        }
        for e in &j.events {
            event(out, "  ", e, l);
        }
    }
    for h in &f.hpas {
        let _ = writeln!(
            out,
            "hpa {} {} reference={} min={} max={} metrics={:?}",
            o(&h.name),
            l.at(h.span),
            o(&h.reference),
            o(&h.min_replicas),
            o(&h.max_replicas),
            h.metrics
                .iter()
                .map(|m| short(&m.value, 60))
                .collect::<Vec<_>>()
        );
        for e in &h.events {
            event(out, "  ", e, l);
        }
    }
    for e in &f.events {
        event(out, "", e, l);
    }
    for r in &f.table_rows {
        let cells: Vec<String> = r
            .columns
            .iter()
            .zip(&r.cells)
            .map(|(c, v)| format!("{c}={}", v.value))
            .collect();
        let _ = writeln!(out, "row {} {} {}", r.table, l.at(r.span), cells.join(" "));
    }
    for m in &f.manifests {
        let _ = writeln!(
            out,
            "manifest {} doc={} kind={} apiVersion={} name={} ns={}",
            l.at(m.span),
            m.document,
            o(&m.kind),
            o(&m.api_version),
            o(&m.name),
            o(&m.namespace)
        );
    }
    for k in &f.kubeconfigs {
        let _ = writeln!(
            out,
            "kubeconfig {} current={} clusters={:?} contexts={:?} users={:?}",
            l.at(k.span),
            o(&k.current_context),
            k.clusters
                .iter()
                .map(|c| format!("{}@{}", c.name.value, o(&c.server)))
                .collect::<Vec<_>>(),
            k.contexts
                .iter()
                .map(|c| format!("{}:{}/{}", c.name.value, o(&c.cluster), o(&c.user)))
                .collect::<Vec<_>>(),
            k.users.iter().map(|u| u.value.clone()).collect::<Vec<_>>()
        );
    }
    for c in &f.commands {
        let _ = writeln!(
            out,
            "command {} verb={} object={} ns={}",
            l.at(c.span),
            c.verb.as_deref().unwrap_or("-"),
            c.object.as_deref().unwrap_or("-"),
            c.namespace.as_deref().unwrap_or("-")
        );
    }
    for s in &f.log_signals {
        let _ = writeln!(
            out,
            "signal {:?} {} {:?}",
            s.kind,
            l.at(s.span),
            short(&s.text, 80)
        );
    }
    for c in &f.client_errors {
        let _ = writeln!(
            out,
            "client-error {:?} {} server={} port={} subject={}",
            c.kind,
            l.at(c.span),
            o(&c.server),
            c.port
                .as_ref()
                .map(|p| p.value.to_string())
                .unwrap_or("-".into()),
            o(&c.subject)
        );
    }
    for k in &f.kubeadm_checks {
        let _ = writeln!(
            out,
            "kubeadm {} {} {} {:?}",
            k.level.value,
            k.check.value,
            l.at(k.span),
            short(&k.message.value, 80)
        );
    }
    for e in &f.etcd_mismatches {
        let _ = writeln!(
            out,
            "etcd-mismatch {} got={} want={} repeats={}",
            l.at(e.span),
            o(&e.got),
            o(&e.want),
            e.repeats
        );
    }
    for h in &f.hpa_metric_errors {
        let _ = writeln!(
            out,
            "hpa-metric-error {} reason={} resource={} missing-request={} container={} pod={}",
            l.at(h.span),
            o(&h.reason),
            o(&h.resource),
            h.missing_request,
            o(&h.container),
            o(&h.pod)
        );
    }
    for n in &f.notes {
        let _ = writeln!(out, "note {} {}", l.at(n.span), n.message);
    }
}

/// Compare `actual` with the snapshot file, or rewrite it when `UPDATE_SNAPSHOTS=1`.
/// Returns a description of the mismatch.
pub fn check_snapshot(path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, actual).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {e} (run with UPDATE_SNAPSHOTS=1)", path.display()))?;
    if expected == actual {
        return Ok(());
    }
    let first = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.lines().count().min(actual.lines().count()));
    Err(format!(
        "{} differs at line {}:\n  expected: {:?}\n  actual:   {:?}",
        path.display(),
        first + 1,
        expected.lines().nth(first).unwrap_or("<end>"),
        actual.lines().nth(first).unwrap_or("<end>")
    ))
}

/// The inputs of a case directory: every `input*` file, in name order.
pub fn case_inputs(dir: &Path) -> Vec<Input> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("input"))
        })
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let name = p.file_name()?.to_str()?.to_string();
            Some(Input::new(name, text))
        })
        .collect()
}
