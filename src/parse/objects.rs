//! Typed facts from YAML/JSON objects: the same `Pod`, `Job`, `Event` and `Hpa` facts that
//! `kubectl describe` gives, read from `kubectl get … -o yaml/json` (spec and status), plus
//! kubeconfig files. `kind: List` (and any object with `items`) is read item by item.

use super::quantity::Quantity;
use super::yaml::{Node, NodeKind};
use crate::facts::{
    Container, ContainerState, EnvRef, Event, Facts, Hpa, Job, JobCondition, KubeCluster,
    KubeConfig, KubeContext, Pod, Resource, S,
};
use crate::span::{Span, Spanned};
use crate::wording::phrases;

struct R {
    input: usize,
}

impl R {
    fn span(&self, n: &Node) -> Span {
        Span::new(self.input, n.start, n.end)
    }

    /// A scalar (any plain value, numbers included) at `path`.
    fn s(&self, n: &Node, path: &str) -> Option<S> {
        let v = n.at(path)?;
        let text = v.as_str()?;
        Some(Spanned::new(text.to_string(), self.span(v)))
    }

    /// `*slot = self.s(n, path)`, out of line: written out, each assignment also drops the
    /// old value and copies the new one.
    #[inline(never)]
    fn set(&self, n: &Node, path: &str, slot: &mut Option<S>) {
        *slot = self.s(n, path);
    }

    fn num<T: std::str::FromStr>(&self, n: &Node, path: &str) -> Option<Spanned<T>> {
        let v = self.s(n, path)?;
        Some(Spanned::new(v.value.parse().ok()?, v.span))
    }
}

/// Read the typed facts of one document (already shifted to offsets in the input).
pub fn read_object(root: &Node, input: usize, facts: &mut Facts) {
    read_object_depth(root, input, facts, 0);
}

fn read_object_depth(root: &Node, input: usize, facts: &mut Facts, depth: usize) {
    if depth > 4 {
        return;
    }
    let r = R { input };
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
    if let Some(items) = root.get("items") {
        for item in items.items() {
            read_object_depth(item, input, facts, depth + 1);
        }
    }
    // A list of objects without its `kind: List` wrapper (`- apiVersion: v1` …).
    for item in root.items().iter().filter(|n| n.get("kind").is_some()) {
        read_object_depth(item, input, facts, depth + 1);
    }
    match kind {
        "Pod" => facts.pods.push(read_pod(&r, root)),
        "Job" => facts.jobs.push(read_job(&r, root, root.get("spec"))),
        "CronJob" => {
            let spec = root.at(phrases!["spec", "jobTemplate", "spec"]);
            let mut job = read_job(&r, root, spec);
            r.set(root, phrases!["spec", "schedule"], &mut job.schedule);
            r.set(root, phrases!["spec", "suspend"], &mut job.suspend);
            facts.jobs.push(job);
        }
        "Event" => {
            if let Some(ev) = read_event(&r, root) {
                facts.events.push(ev);
            }
        }
        "HorizontalPodAutoscaler" => facts.hpas.push(read_hpa(&r, root)),
        // A pasted pod status without its object: `status:` with container statuses, or the
        // status object itself (`-o jsonpath='{.status}'`).
        "" if has_container_statuses(root) => facts.pods.push(read_pod_with(&r, root, Some(root))),
        "" if root.get("status").is_some_and(has_container_statuses) => {
            facts.pods.push(read_pod(&r, root))
        }
        // One container's status on its own (`… | jq '.status.containerStatuses[0]'`).
        "" if root.get("name").is_some() && is_bare_status(root) => {
            let mut pod = Pod {
                span: r.span(root),
                ..Pod::default()
            };
            apply_statuses(&r, Some(root), &mut pod.containers, false);
            facts.pods.push(pod);
        }
        // `… -o yaml | yq .status.containerStatuses`: the list on its own.
        "" if is_container_status_list(root) => {
            let mut pod = Pod {
                span: r.span(root),
                ..Pod::default()
            };
            apply_statuses(&r, Some(root), &mut pod.containers, false);
            facts.pods.push(pod);
        }
        "Config" if root.get("clusters").is_some() || root.get("contexts").is_some() => {
            facts.kubeconfigs.push(read_kubeconfig(&r, root))
        }
        "" if root.get("clusters").is_some() && root.get("contexts").is_some() => {
            facts.kubeconfigs.push(read_kubeconfig(&r, root))
        }
        // An event printed without its `kind` (event exporters, client-go watches).
        "" if root.get("reason").is_some()
            && (root.get("involvedObject").or_else(|| root.get("regarding")))
                .is_some_and(Node::is_map) =>
        {
            facts.events.extend(read_event(&r, root))
        }
        // A watch or exporter wrapper: `{"type": "ADDED", "object": {…}}`, `{"verb": …, "event": {…}}`.
        "" => ["object", "event"]
            .iter()
            .filter_map(|k| root.get(k).filter(|n| n.is_map()))
            .for_each(|n| read_object_depth(n, input, facts, depth + 1)),
        _ => {}
    }
}

fn owner(r: &R, root: &Node) -> Option<S> {
    let refs = root.at(phrases!["metadata", "ownerReferences"])?;
    let o = refs.items().first()?;
    let kind = o.get("kind")?.as_str()?;
    let name = o.get("name")?;
    Some(Spanned::new(
        format!("{kind}/{}", name.as_str()?),
        r.span(name),
    ))
}

fn labels(r: &R, root: &Node) -> Vec<S> {
    root.at(phrases!["metadata", "labels"])
        .map(|m| {
            m.entries()
                .iter()
                .filter_map(|(k, v)| {
                    Some(Spanned::new(
                        format!("{}={}", k.as_str()?, v.as_str().unwrap_or("")),
                        Span::new(r.input, k.start, v.end.max(k.end)),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has_container_statuses(n: &Node) -> bool {
    ["containerStatuses", "initContainerStatuses"]
        .iter()
        .any(|k| {
            n.get(k)
                .is_some_and(|l| !l.items().is_empty() || is_bare_status(l))
        })
}

/// One container status whose list item was elided: a map with the status's `state`/`lastState`.
fn is_bare_status(n: &Node) -> bool {
    n.is_map() && (n.get("state").is_some() || n.get("lastState").is_some())
}

fn is_container_status_list(n: &Node) -> bool {
    let items = n.items();
    !items.is_empty()
        && items.iter().all(|c| {
            c.get("name").is_some() && (c.get("state").is_some() || c.get("lastState").is_some())
        })
}

fn read_pod(r: &R, root: &Node) -> Pod {
    read_pod_with(r, root, root.get("status"))
}

fn read_pod_with(r: &R, root: &Node, status: Option<&Node>) -> Pod {
    let spec = root.get("spec");
    let mut pod = Pod {
        span: r.span(root),
        name: r.s(root, phrases!["metadata", "name"]),
        namespace: r.s(root, phrases!["metadata", "namespace"]),
        node: spec.and_then(|s| r.s(s, phrases!["nodeName"])),
        status: status.and_then(|s| r.s(s, phrases!["phase"])),
        reason: status.and_then(|s| r.s(s, phrases!["reason"])),
        message: status.and_then(|s| r.s(s, phrases!["message"])),
        controlled_by: owner(r, root),
        labels: labels(r, root),
        qos_class: status.and_then(|s| r.s(s, phrases!["qosClass"])),
        restart_policy: spec.and_then(|s| r.s(s, phrases!["restartPolicy"])),
        ..Pod::default()
    };
    if let Some(spec) = spec {
        pod.init_containers = containers(r, spec.get("initContainers"), true);
        pod.containers = containers(r, spec.get("containers"), false);
    }
    if let Some(status) = status {
        apply_statuses(
            r,
            status.get("initContainerStatuses"),
            &mut pod.init_containers,
            true,
        );
        apply_statuses(
            r,
            status.get("containerStatuses"),
            &mut pod.containers,
            false,
        );
        if let Some(conds) = status.get("conditions") {
            for c in conds.items() {
                if let (Some(t), Some(s)) = (r.s(c, phrases!["type"]), r.s(c, phrases!["status"])) {
                    pod.conditions.push((t, s));
                }
            }
        }
    }
    pod
}

fn strings(r: &R, n: Option<&Node>) -> Vec<S> {
    n.map(|n| {
        n.items()
            .iter()
            .filter_map(|i| Some(Spanned::new(i.as_str()?.to_string(), r.span(i))))
            .collect()
    })
    .unwrap_or_default()
}

fn resources(r: &R, n: Option<&Node>) -> Vec<Resource> {
    n.map(|n| {
        n.entries()
            .iter()
            .filter_map(|(k, v)| {
                let value = v.as_str()?;
                Some(Resource {
                    name: Spanned::new(k.as_str()?.to_string(), r.span(k)),
                    value: Spanned::new(value.to_string(), r.span(v)),
                    quantity: Quantity::parse(value).ok(),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

fn env_refs(r: &R, c: &Node) -> Vec<EnvRef> {
    let mut out = Vec::new();
    for e in c.get("env").map(Node::items).unwrap_or_default() {
        for (key, kind) in [("configMapKeyRef", "configmap"), ("secretKeyRef", "secret")] {
            if let Some(k) = e.path(&["valueFrom", key]) {
                out.push(EnvRef {
                    span: r.span(e),
                    kind: kind.into(),
                    name: k.get("name").and_then(Node::as_str).unwrap_or("").into(),
                    key: k.get("key").and_then(Node::as_str).map(str::to_string),
                    optional: k.get("optional").and_then(Node::as_str) == Some("true"),
                });
            }
        }
    }
    for e in c.get("envFrom").map(Node::items).unwrap_or_default() {
        for (key, kind) in [("configMapRef", "configmap"), ("secretRef", "secret")] {
            if let Some(k) = e.get(key) {
                out.push(EnvRef {
                    span: r.span(e),
                    kind: kind.into(),
                    name: k.get("name").and_then(Node::as_str).unwrap_or("").into(),
                    key: None,
                    optional: k.get("optional").and_then(Node::as_str) == Some("true"),
                });
            }
        }
    }
    out
}

fn containers(r: &R, list: Option<&Node>, init: bool) -> Vec<Container> {
    list.map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| {
            Some(Container {
                span: r.span(c),
                name: r.s(c, phrases!["name"])?,
                init,
                image: r.s(c, phrases!["image"]),
                command: strings(r, c.get("command")),
                args: strings(r, c.get("args")),
                limits: resources(r, c.at(phrases!["resources", "limits"])),
                requests: resources(r, c.at(phrases!["resources", "requests"])),
                env_refs: env_refs(r, c),
                ..Container::default()
            })
        })
        .collect()
}

fn state(r: &R, n: Option<&Node>) -> Option<ContainerState> {
    let n = n?;
    let (key, body) = n.entries().first()?;
    let kind = match key.as_str()? {
        "running" => "Running",
        "waiting" => "Waiting",
        "terminated" => "Terminated",
        _ => return None,
    };
    Some(ContainerState {
        span: Span::new(r.input, key.start, body.end.max(key.end)),
        kind: Spanned::new(kind.to_string(), r.span(key)),
        reason: r.s(body, phrases!["reason"]),
        message: r.s(body, phrases!["message"]),
        exit_code: r.num(body, phrases!["exitCode"]),
        signal: r.num(body, phrases!["signal"]),
        started: r.s(body, phrases!["startedAt"]),
        finished: r.s(body, phrases!["finishedAt"]),
    })
}

/// Merge `containerStatuses` into the spec's containers (by name), adding containers that only
/// appear in the status.
///
/// A status whose list item was elided in the paste (`containerStatuses:`, `...`, then the
/// item's `state:` keys) is a map rather than a list: it is read as one status, of a container
/// whose name is not shown.
fn apply_statuses(r: &R, list: Option<&Node>, out: &mut Vec<Container>, init: bool) {
    let statuses: Vec<&Node> = match list {
        Some(n) if is_bare_status(n) => vec![n],
        Some(n) => n.items().iter().collect(),
        None => Vec::new(),
    };
    for st in statuses {
        let name = match r.s(st, phrases!["name"]) {
            Some(name) => name,
            None if st.get("state").is_some() || st.get("lastState").is_some() => {
                Spanned::new(String::new(), Span::new(r.input, st.start, st.start))
            }
            None => continue,
        };
        let idx = match out.iter().position(|c| c.name.value == name.value) {
            Some(i) => i,
            None => {
                out.push(Container {
                    span: r.span(st),
                    name: name.clone(),
                    init,
                    image: r.s(st, phrases!["image"]),
                    ..Container::default()
                });
                out.len() - 1
            }
        };
        let Some(c) = out.get_mut(idx) else { continue };
        c.state = state(r, st.get("state"));
        c.last_state = state(r, st.get("lastState"));
        r.set(st, phrases!["ready"], &mut c.ready);
        c.restart_count = r.num(st, phrases!["restartCount"]);
    }
}

fn read_job(r: &R, root: &Node, spec: Option<&Node>) -> Job {
    let status = root.get("status");
    let pod_spec = spec.and_then(|s| s.at(phrases!["template", "spec"]));
    let mut job = Job {
        span: r.span(root),
        name: r.s(root, phrases!["metadata", "name"]),
        namespace: r.s(root, phrases!["metadata", "namespace"]),
        controlled_by: owner(r, root),
        ..Job::default()
    };
    if let Some(spec) = spec {
        r.set(spec, phrases!["parallelism"], &mut job.parallelism);
        r.set(spec, phrases!["completions"], &mut job.completions);
        r.set(spec, phrases!["completionMode"], &mut job.completion_mode);
        job.backoff_limit = r.num(spec, phrases!["backoffLimit"]);
        job.backoff_limit_per_index = r.num(spec, phrases!["backoffLimitPerIndex"]);
        job.active_deadline_seconds = r.num(spec, phrases!["activeDeadlineSeconds"]);
        r.set(spec, phrases!["suspend"], &mut job.suspend);
    }
    if let Some(ps) = pod_spec {
        job.containers = containers(r, ps.get("containers"), false);
        job.init_containers = containers(r, ps.get("initContainers"), true);
        r.set(ps, phrases!["restartPolicy"], &mut job.restart_policy);
    }
    if let Some(status) = status {
        r.set(status, phrases!["startTime"], &mut job.start_time);
        r.set(status, phrases!["failedIndexes"], &mut job.failed_indexes);
        let count = |k: &str| r.num::<u32>(status, k);
        let (a, s, f) = (count("active"), count("succeeded"), count("failed"));
        if a.is_some() || s.is_some() || f.is_some() {
            let span = [&a, &s, &f]
                .iter()
                .filter_map(|x| x.as_ref().map(|x| x.span))
                .reduce(|x, y| x.cover(y))
                .unwrap_or_else(|| r.span(status));
            let v = |x: &Option<Spanned<u32>>| x.as_ref().map(|x| x.value).unwrap_or(0);
            job.pods_statuses = Some(Spanned::new((v(&a), v(&s), v(&f)), span));
        }
        for c in status
            .get("conditions")
            .map(Node::items)
            .unwrap_or_default()
        {
            let Some(type_) = r.s(c, phrases!["type"]) else {
                continue;
            };
            job.conditions.push(JobCondition {
                span: r.span(c),
                type_,
                status: r.s(c, phrases!["status"]),
                reason: r.s(c, phrases!["reason"]),
                message: r.s(c, phrases!["message"]),
            });
        }
    }
    job
}

fn read_event(r: &R, root: &Node) -> Option<Event> {
    let reason = r.s(root, phrases!["reason"])?;
    let object = root.get("involvedObject").or_else(|| root.get("regarding"));
    let obj = object.and_then(|o| {
        let kind = o.get("kind")?.as_str()?.to_ascii_lowercase();
        let name = o.get("name")?;
        Some(Spanned::new(
            format!("{kind}/{}", name.as_str()?),
            r.span(name),
        ))
    });
    Some(Event {
        span: r.span(root),
        type_: r.s(root, phrases!["type"]),
        reason,
        age: r
            .s(root, phrases!["lastTimestamp"])
            .or_else(|| r.s(root, phrases!["eventTime"])),
        from: r
            .s(root, phrases!["source", "component"])
            .or_else(|| r.s(root, phrases!["reportingComponent"])),
        object: obj,
        message: r
            .s(root, phrases!["message"])
            .or_else(|| r.s(root, phrases!["note"]))
            .unwrap_or_default(),
        count: r
            .num(root, phrases!["count"])
            .or_else(|| r.num(root, phrases!["series", "count"]))
            .map(|c| c.value)
            .unwrap_or(1),
        field_path: object.and_then(|o| r.s(o, phrases!["fieldPath"])),
    })
}

fn read_hpa(r: &R, root: &Node) -> Hpa {
    let spec = root.get("spec");
    let reference = spec.and_then(|s| {
        let t = s.get("scaleTargetRef")?;
        let name = t.get("name")?;
        Some(Spanned::new(
            format!(
                "{}/{}",
                t.get("kind").and_then(Node::as_str).unwrap_or(""),
                name.as_str()?
            ),
            r.span(name),
        ))
    });
    let mut metrics = Vec::new();
    if let Some(s) = spec {
        for m in s.get("metrics").map(Node::items).unwrap_or_default() {
            let name = r
                .s(m, phrases!["resource", "name"])
                .or_else(|| r.s(m, phrases!["containerResource", "name"]))
                .or_else(|| r.s(m, phrases!["type"]));
            metrics.extend(name);
        }
        if let Some(t) = r.s(s, phrases!["targetCPUUtilizationPercentage"]) {
            metrics.push(Spanned::new(format!("cpu {}%", t.value), t.span));
        }
    }
    Hpa {
        span: r.span(root),
        name: r.s(root, phrases!["metadata", "name"]),
        namespace: r.s(root, phrases!["metadata", "namespace"]),
        reference,
        metrics,
        min_replicas: spec.and_then(|s| r.s(s, phrases!["minReplicas"])),
        max_replicas: spec.and_then(|s| r.s(s, phrases!["maxReplicas"])),
        events: Vec::new(),
    }
}

fn read_kubeconfig(r: &R, root: &Node) -> KubeConfig {
    let named = |list: &str| -> Vec<(S, &Node)> {
        root.get(list)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|i| (r.s(i, phrases!["name"]).unwrap_or_default(), i))
            .collect()
    };
    KubeConfig {
        span: r.span(root),
        current_context: r.s(root, phrases!["current-context"]),
        contexts: named("contexts")
            .into_iter()
            .map(|(name, n)| KubeContext {
                name,
                cluster: r.s(n, phrases!["context", "cluster"]),
                user: r.s(n, phrases!["context", "user"]),
                namespace: r.s(n, phrases!["context", "namespace"]),
            })
            .collect(),
        clusters: named("clusters")
            .into_iter()
            .map(|(name, n)| KubeCluster {
                name,
                server: r.s(n, phrases!["cluster", "server"]),
                has_ca_data: n
                    .at(phrases!["cluster", "certificate-authority-data"])
                    .is_some(),
                insecure_skip_tls_verify: r.s(n, phrases!["cluster", "insecure-skip-tls-verify"]),
            })
            .collect(),
        users: named("users").into_iter().map(|(n, _)| n).collect(),
    }
}

/// A kubeconfig that YAML could not read (placeholders such as `<https://…>`, a pasted
/// truncated certificate): its top-level lists read line by line, so the file is still known.
pub fn kubeconfig_from_lines(
    text: &str,
    input: usize,
    start: usize,
    end: usize,
) -> Option<KubeConfig> {
    let region = text.get(start..end)?;
    let looks = region.lines().any(|l| l.starts_with("kind: Config"))
        || region.lines().any(|l| l.starts_with("clusters:"));
    if !looks {
        return None;
    }
    let mut k = KubeConfig {
        span: Span::new(input, start, end),
        ..KubeConfig::default()
    };
    let mut section = "";
    let value_of = |ls: usize, line: &str, key: &str| -> Option<S> {
        let p = line.find(key)? + key.len();
        let raw = line.get(p..)?;
        let lead = raw.len() - raw.trim_start().len();
        let v = raw.trim();
        if v.is_empty() {
            return None;
        }
        let (v, off) = match v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
            Some(inner) => (inner, 1),
            None => (v, 0),
        };
        let s = ls + p + lead + off;
        Some(Spanned::new(
            v.to_string(),
            Span::new(input, s, s + v.len()),
        ))
    };
    for (ls, le) in crate::span::lines(region) {
        let (ls, le) = (start + ls, start + le);
        let Some(line) = text.get(ls..le) else {
            continue;
        };
        if !line.starts_with([' ', '-']) {
            section = match line.split(':').next().unwrap_or("") {
                "clusters" => "clusters",
                "contexts" => "contexts",
                "users" => "users",
                _ => "",
            };
            if line.starts_with("current-context:") {
                k.current_context = value_of(ls, line, "current-context:");
            }
            continue;
        }
        // `- ` at the list's own level starts an entry; its keys may come in any order.
        if line.starts_with("- ") {
            match section {
                "clusters" => k.clusters.push(KubeCluster::default()),
                "contexts" => k.contexts.push(KubeContext::default()),
                _ => {}
            }
        }
        let t = line.trim_start().trim_start_matches("- ");
        let name_line = t.starts_with("name:") && indent_of(line) <= 2;
        match section {
            "clusters" => {
                let Some(c) = k.clusters.last_mut() else {
                    continue;
                };
                if name_line {
                    c.name = value_of(ls, line, "name:").unwrap_or_default();
                } else if t.starts_with("server:") {
                    c.server = value_of(ls, line, "server:");
                } else if t.starts_with("certificate-authority-data:") {
                    c.has_ca_data = true;
                } else if t.starts_with("insecure-skip-tls-verify:") {
                    c.insecure_skip_tls_verify = value_of(ls, line, "insecure-skip-tls-verify:");
                }
            }
            "contexts" => {
                let Some(c) = k.contexts.last_mut() else {
                    continue;
                };
                if name_line {
                    c.name = value_of(ls, line, "name:").unwrap_or_default();
                } else if t.starts_with("cluster:") {
                    c.cluster = value_of(ls, line, "cluster:");
                } else if t.starts_with("user:") {
                    c.user = value_of(ls, line, "user:");
                } else if t.starts_with("namespace:") {
                    c.namespace = value_of(ls, line, "namespace:");
                }
            }
            "users" if name_line => k.users.extend(value_of(ls, line, "name:")),
            _ => {}
        }
    }
    Some(k)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

/// Is this node a mapping with nothing in it? (used to skip empty documents)
pub fn is_empty_map(n: &Node) -> bool {
    matches!(&n.kind, NodeKind::Map { entries, .. } if entries.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml::parse_documents;

    fn facts(text: &str) -> Facts {
        let (docs, _) = parse_documents(text);
        let mut f = Facts::default();
        for d in docs {
            read_object(&d.root, 0, &mut f);
        }
        f
    }

    #[test]
    fn events_without_kind_and_in_watch_wrappers() {
        let ev = r#"{"reason": "OOMKilling", "involvedObject": {"kind": "Node", "name": "n1"}, "message": "m"}"#;
        let wrapped = format!(r#"{{"verb": "ADDED", "event": {ev}}}"#);
        for t in [
            ev.to_string(),
            wrapped,
            format!(r#"{{"type": "ADDED", "object": {ev}}}"#),
        ] {
            let f = facts(&t);
            assert_eq!(f.events.len(), 1, "{t}");
            assert_eq!(f.events[0].reason.value, "OOMKilling");
            assert_eq!(
                f.events[0].object.as_ref().map(|o| o.value.as_str()),
                Some("node/n1")
            );
        }
        // A reason beside a plain string is no event; neither is a wrapper of a scalar.
        assert!(facts(r#"{"reason": "x", "involvedObject": "n1"}"#)
            .events
            .is_empty());
        assert!(facts(r#"{"event": "ADDED", "object": "x"}"#)
            .events
            .is_empty());
    }

    #[test]
    fn a_status_whose_list_item_was_elided() {
        // `containerStatuses:` then (a `...` line, blanked before parsing) the item's keys.
        let t = "status:\n  containerStatuses:\n    state:\n      terminated:\n        exitCode: 0\n        reason: OOMKilled\n  phase: Succeeded\n";
        let (docs, _) = parse_documents(t);
        let mut facts = Facts::default();
        read_object(&docs[0].root, 0, &mut facts);
        let c = &facts.pods[0].containers[0];
        assert_eq!(c.name.value, "");
        let st = c.state.as_ref().expect("state");
        assert_eq!(
            st.reason.as_ref().map(|r| r.value.as_str()),
            Some("OOMKilled")
        );
        // A map without a state is no container status.
        let t = "status:\n  containerStatuses:\n    ready: false\n  phase: Failed\n";
        let (docs, _) = parse_documents(t);
        let mut facts = Facts::default();
        read_object(&docs[0].root, 0, &mut facts);
        assert!(facts.pods.iter().all(|p| p.containers.is_empty()));
    }

    #[test]
    fn a_bare_pod_status_is_read_as_a_pod() {
        let t = "status:\n  phase: Failed\n  containerStatuses:\n  - name: main\n    state:\n      terminated:\n        reason: OOMKilled\n        exitCode: 137\n";
        let f = facts(t);
        let st = f.pods[0].containers[0].state.as_ref().expect("state");
        assert_eq!(
            st.reason.as_ref().map(|x| x.span.text(t)),
            Some("OOMKilled")
        );
        let j = r#"{"initContainerStatuses":[{"name":"init","state":{"terminated":{"exitCode":22,"reason":"Error"}}}],"phase":"Failed"}"#;
        let f = facts(j);
        let c = &f.pods[0].init_containers[0];
        assert!(c.init);
        assert_eq!(
            c.state
                .as_ref()
                .and_then(|s| s.exit_code.as_ref())
                .map(|x| x.value),
            Some(22)
        );
        let l = "- name: main\n  restartCount: 3\n  state:\n    waiting:\n      reason: CrashLoopBackOff\n";
        assert_eq!(
            facts(l).pods[0].containers[0]
                .restart_count
                .as_ref()
                .map(|x| x.value),
            Some(3)
        );
        // A Job status (no container statuses) is not a pod.
        assert!(facts("status:\n  failed: 1\n  conditions: []\n")
            .pods
            .is_empty());
    }

    #[test]
    fn pod_status_yaml_gives_container_states() {
        let t = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\n  ownerReferences:\n  - kind: Job\n    name: j\nspec:\n  restartPolicy: Never\n  containers:\n  - name: main\n    image: busybox\n    resources:\n      limits:\n        memory: 64Mi\nstatus:\n  phase: Failed\n  containerStatuses:\n  - name: main\n    restartCount: 2\n    state:\n      terminated:\n        reason: OOMKilled\n        exitCode: 137\n    lastState:\n      terminated:\n        reason: Error\n        exitCode: 1\n";
        let f = facts(t);
        let p = &f.pods[0];
        assert_eq!(p.job_name(), Some("j"));
        let c = &p.containers[0];
        let st = c.state.as_ref().expect("state");
        assert_eq!(st.kind.value, "Terminated");
        assert_eq!(
            st.reason.as_ref().map(|x| x.span.text(t)),
            Some("OOMKilled")
        );
        assert_eq!(st.exit_code.as_ref().map(|x| x.value), Some(137));
        assert_eq!(
            c.last_state
                .as_ref()
                .and_then(|s| s.exit_code.as_ref())
                .map(|x| x.value),
            Some(1)
        );
        assert_eq!(c.restart_count.as_ref().map(|x| x.value), Some(2));
        assert_eq!(
            c.limit("memory").map(|l| l.value.span.text(t)),
            Some("64Mi")
        );
    }

    #[test]
    fn job_status_json_list() {
        let t = r#"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"spec":{"backoffLimitPerIndex":1,"completionMode":"Indexed","template":{"spec":{"containers":[{"name":"main","image":"x"}]}}},"status":{"failed":2,"failedIndexes":"0,2","conditions":[{"type":"Failed","status":"True","reason":"FailedIndexes","message":"Job has failed indexes"}]}}]}"#;
        let f = facts(t);
        let j = &f.jobs[0];
        assert_eq!(
            j.failed_indexes.as_ref().map(|x| x.value.as_str()),
            Some("0,2")
        );
        assert_eq!(j.pods_statuses.as_ref().map(|x| x.value), Some((0, 0, 2)));
        assert_eq!(
            j.conditions[0].reason.as_ref().map(|x| x.value.as_str()),
            Some("FailedIndexes")
        );
        assert_eq!(j.backoff_limit_per_index.as_ref().map(|x| x.value), Some(1));
    }

    #[test]
    fn unparseable_kubeconfig_is_read_by_lines() {
        let t = "apiVersion: v1\nclusters:\n- cluster:\n    server: <https://ABC.eks.amazonaws.com>\n    certificate-authority-data: \"<LS0t\n  name: eks\ncontexts:\n- context:\n    cluster: eks\n    user: aws\n  name: aws\ncurrent-context: aws\n";
        let k = kubeconfig_from_lines(t, 0, 0, t.len()).expect("kubeconfig");
        assert_eq!(
            k.current_context.as_ref().map(|c| c.span.text(t)),
            Some("aws")
        );
        let c = &k.clusters[0];
        assert_eq!(
            c.server.as_ref().map(|s| s.span.text(t)),
            Some("<https://ABC.eks.amazonaws.com>")
        );
        assert!(c.has_ca_data);
        assert_eq!(c.name.value, "eks");
        assert_eq!(
            k.contexts[0].user.as_ref().map(|u| u.value.as_str()),
            Some("aws")
        );
        assert!(kubeconfig_from_lines("a: 1\n", 0, 0, 5).is_none());
    }

    #[test]
    fn kubeconfig_contexts() {
        let t = "apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters:\n- name: c1\n  cluster:\n    server: https://10.0.0.1:6443\ncontexts:\n- name: dev\n  context:\n    cluster: c1\n    user: u1\nusers:\n- name: u1\n  user: {}\n";
        let f = facts(t);
        let k = &f.kubeconfigs[0];
        assert_eq!(
            k.current_context.as_ref().map(|x| x.value.as_str()),
            Some("dev")
        );
        assert_eq!(
            k.clusters[0].server.as_ref().map(|x| x.span.text(t)),
            Some("https://10.0.0.1:6443")
        );
        assert_eq!(
            k.contexts[0].user.as_ref().map(|x| x.value.as_str()),
            Some("u1")
        );
        assert_eq!(k.users[0].value, "u1");
    }

    #[test]
    fn a_list_of_objects_without_its_list_wrapper() {
        let text = "- apiVersion: v1\n  involvedObject:\n    kind: Pod\n    name: p\n  kind: Event\n  reason: Failed\n  message: 'Failed to pull image \"x:1\"'\n- kind: Pod\n  metadata:\n    name: q\n";
        let f = facts(text);
        assert_eq!(f.events.len(), 1);
        assert_eq!(f.pods.len(), 1);
        // Items without a kind are not objects.
        assert!(facts("- name: a\n  value: b\n").events.is_empty());
    }

    #[test]
    fn one_container_status_on_its_own() {
        let t = "{\n  \"name\": \"jnlp\",\n  \"state\": {\"terminated\": {\"exitCode\": 127, \"reason\": \"Error\"}},\n  \"restartCount\": 0\n}\n";
        let f = facts(t);
        assert_eq!(f.pods.len(), 1);
        let c = &f.pods[0].containers[0];
        assert_eq!(c.name.value, "jnlp");
        assert_eq!(
            c.state
                .as_ref()
                .and_then(|s| s.exit_code.as_ref())
                .map(|e| e.value),
            Some(127)
        );
        // A map with a name but no state is no container status.
        assert!(facts("{\"name\": \"x\", \"image\": \"busybox\"}\n")
            .pods
            .is_empty());
    }
}
