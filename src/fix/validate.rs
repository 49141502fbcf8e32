//! The Job API validation rules (the checks the API server applies to `batch/v1` Jobs and the
//! pod templates of workloads), run on a span-aware YAML tree. Each problem is worded as the
//! API server words it: `<field>: <type>: <detail>` (`kubernetes-facts.md` §4).
//!
//! The same checks serve two ends: the `manifest-invalid` rules report them with the span of
//! the offending node, and [`super::check`] refuses a fix that would add one.

use super::yaml_edit::{locate, pod_spec_path};
use crate::parse::quantity::Quantity;
use crate::parse::yaml::Node;
use crate::wording::phrases;

/// Which group of checks a problem belongs to (one rule reports each group).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `restartPolicy` missing, `Always`, or not `Never` with a pod failure policy.
    RestartPolicy,
    /// The rules of `podFailurePolicy` and `podReplacementPolicy`.
    PodFailurePolicy,
    /// `backoffLimitPerIndex` / `maxFailedIndexes` / `successPolicy` without Indexed mode.
    PerIndex,
    /// No containers, or a container without name or image.
    Containers,
    /// Everything else: numbers, Indexed limits, selector, quantities, requests above limits.
    Other,
}

/// One validation problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub check: Check,
    /// The field path as the API server prints it, e.g. `spec.template.spec.restartPolicy`.
    pub field: String,
    /// The whole message: `<field>: <type>: <detail>`.
    pub message: String,
    /// Byte range of the node the problem is about (the value, or the key of the mapping
    /// where a required field is missing), in the text the tree was parsed from.
    pub at: (usize, usize),
    /// Supporting spans with their labels (e.g. the `kind`, the fields beside a missing one).
    pub context: Vec<((usize, usize), String)>,
}

fn int(node: Option<&Node>) -> Option<i64> {
    node.and_then(Node::as_str)
        .and_then(|s| s.trim().parse().ok())
}

fn span(n: &Node) -> (usize, usize) {
    (n.start, n.end)
}

/// The span of `key`'s key node in `map`, else of the map.
fn key_span(map: &Node, key: &str) -> (usize, usize) {
    map.entry(key).map(|(k, _)| span(k)).unwrap_or(span(map))
}

/// The value node's span for `key`, else the map's.
fn value_span(map: &Node, key: &str) -> (usize, usize) {
    map.get(key).map(span).unwrap_or(span(map))
}

struct Out(Vec<Problem>);

impl Out {
    fn push(&mut self, check: Check, field: String, detail: String, at: (usize, usize)) {
        let message = format!("{field}: {detail}");
        self.0.push(Problem {
            check,
            field,
            message,
            at,
            context: Vec::new(),
        });
    }

    /// A problem with the field `{base}.{name}`.
    fn field(
        &mut self,
        check: Check,
        base: &str,
        name: &str,
        detail: impl Into<String>,
        at: (usize, usize),
    ) {
        self.push(check, format!("{base}.{name}"), detail.into(), at);
    }

    /// Add a supporting span to the last problem.
    fn context(&mut self, at: (usize, usize), label: impl Into<String>) {
        if let Some(p) = self.0.last_mut() {
            p.context.push((at, label.into()));
        }
    }
}

/// Problems with one document; empty when it passes (or is not a workload).
pub fn validate(root: &Node) -> Vec<String> {
    validate_detailed(root)
        .into_iter()
        .map(|p| p.message)
        .collect()
}

/// Problems with one document, with their check group and the span they are about.
pub fn validate_detailed(root: &Node) -> Vec<Problem> {
    let mut out = Out(Vec::new());
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
    let (job_spec, prefix) = match kind {
        "Job" => (root.get("spec"), "spec"),
        "CronJob" => (
            root.at(phrases!["spec", "jobTemplate", "spec"]),
            "spec.jobTemplate.spec",
        ),
        _ => (None, ""),
    };
    if let Some(spec) = job_spec {
        let name = match kind {
            "Job" => root.at(phrases!["metadata", "name"]).and_then(Node::as_str),
            _ => None,
        };
        let before = out.0.len();
        validate_job_spec(spec, prefix, name, &mut out);
        // Job rules apply because of the kind.
        if let Some(k) = root.get("kind") {
            for p in out.0.iter_mut().skip(before) {
                p.context
                    .insert(0, (span(k), format!("a {kind}: the Job API rules apply")));
            }
        }
    }
    if let Some(path) = pod_spec_path(root) {
        if let Some(pod) = locate(root, &path) {
            let field = match kind {
                "CronJob" => "spec.jobTemplate.spec.template.spec",
                "Pod" => "spec",
                "PodTemplate" => "template.spec",
                _ => "spec.template.spec",
            };
            let before = out.0.len();
            validate_pod_spec(pod, field, &mut out);
            // `containers:` one level too far left, beside the pod spec instead of in it.
            let parent = locate(root, &path[..path.len().saturating_sub(1)]);
            if let Some((k, _)) = parent.and_then(|t| t.entry("containers")) {
                for p in out.0.iter_mut().skip(before) {
                    if p.field.ends_with(".containers") {
                        p.context.push((
                            span(k),
                            "`containers` is here, one level too far left: it belongs inside the pod spec".into(),
                        ));
                    }
                }
            }
        } else if job_spec.is_some() || kind == "Pod" {
            let at = job_spec.map(span).unwrap_or(span(root));
            let field = match kind {
                "CronJob" => "spec.jobTemplate.spec.template.spec.containers",
                "Pod" => "spec.containers",
                _ => "spec.template.spec.containers",
            };
            out.push(Check::Containers, field.into(), "Required value".into(), at);
        }
    }
    out.0
}

/// A DNS-1123 label: lower-case alphanumerics and `-`, starting and ending alphanumeric, ≤ 63.
fn dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn validate_job_spec(spec: &Node, p: &str, name: Option<&str>, out: &mut Out) {
    for field in crate::wording::each(crate::wording::phrases![
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ]) {
        if let Some(v) = int(spec.get(field)) {
            if v < 0 {
                out.field(
                    Check::Other,
                    p,
                    field,
                    format!("Invalid value: {v}: must be greater than or equal to 0"),
                    value_span(spec, field),
                );
            }
        }
    }
    let mode = spec
        .get("completionMode")
        .and_then(Node::as_str)
        .unwrap_or("NonIndexed");
    if !matches!(mode, "NonIndexed" | "Indexed") {
        out.field(
            Check::Other,
            p,
            "completionMode",
            format!("Unsupported value: \"{mode}\": supported values: \"NonIndexed\", \"Indexed\""),
            value_span(spec, "completionMode"),
        );
    }
    let indexed = mode == "Indexed";
    let completions = int(spec.get("completions"));
    let parallelism = int(spec.get("parallelism"));
    if indexed {
        if spec.get("completions").is_none() {
            out.field(
                Check::Other,
                p,
                "completions",
                "Required value: when completion mode is Indexed",
                key_span(spec, "completionMode"),
            );
        }
        if parallelism.is_some_and(|v| v > 100_000) {
            out.field(Check::Other, p, "parallelism",
                format!(
                    "Invalid value: {}: must be less than or equal to 100000 when completion mode is Indexed",
                    parallelism.unwrap_or(0)
                ),
                value_span(spec, "parallelism"),
            );
        }
        if let Some(m) = int(spec.get("maxFailedIndexes")) {
            if completions.is_some_and(|c| m > c) {
                out.field(
                    Check::PerIndex,
                    p,
                    "maxFailedIndexes",
                    format!("Invalid value: {m}: must be less than or equal to completions"),
                    value_span(spec, "maxFailedIndexes"),
                );
            } else if m > 100_000 {
                out.field(
                    Check::PerIndex,
                    p,
                    "maxFailedIndexes",
                    format!("Invalid value: {m}: must be less than or equal to 100000"),
                    value_span(spec, "maxFailedIndexes"),
                );
            }
        }
        if completions.is_some_and(|c| c > 100_000) && spec.get("backoffLimitPerIndex").is_some() {
            match int(spec.get("maxFailedIndexes")) {
                None => out.field(Check::PerIndex, p, "maxFailedIndexes",
                    "Required value: must be specified when completions is above 100000",
                    key_span(spec, "backoffLimitPerIndex"),
                ),
                Some(m) if m > 10_000 => out.field(Check::PerIndex, p, "maxFailedIndexes",
                    format!("Invalid value: {m}: must be less than or equal to 10000 when completions is above 100000"),
                    value_span(spec, "maxFailedIndexes"),
                ),
                Some(_) => {}
            }
            if parallelism.is_some_and(|v| v > 10_000) {
                out.field(Check::PerIndex, p, "parallelism",
                    "Invalid value: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index",
                    value_span(spec, "parallelism"),
                );
            }
        }
        if let (Some(n), Some(c)) = (name, completions) {
            let pod_host = format!("{n}-{}", (c - 1).max(0));
            if !dns_label(&pod_host) {
                out.push(
                    Check::Other,
                    "metadata.name".into(),
                    format!("Invalid value: \"{n}\": will not able to create pod with invalid DNS label: {pod_host}"),
                    key_span(spec, "completions"),
                );
            }
        }
    }
    for field in ["backoffLimitPerIndex", "maxFailedIndexes"] {
        if spec.get(field).is_some() && !indexed {
            out.field(
                Check::PerIndex,
                p,
                field,
                format!(
                    "Invalid value: {}: requires indexed completion mode",
                    int(spec.get(field)).unwrap_or(0)
                ),
                key_span(spec, field),
            );
        }
    }
    if spec.get("maxFailedIndexes").is_some() && spec.get("backoffLimitPerIndex").is_none() {
        out.field(
            Check::PerIndex,
            p,
            "backoffLimitPerIndex",
            "Required value: when maxFailedIndexes is specified",
            key_span(spec, "maxFailedIndexes"),
        );
    }
    if let Some(sp) = spec.get("successPolicy") {
        validate_success_policy(sp, spec, p, indexed, completions, out);
    }
    validate_selector(spec, p, out);
    let template_spec = spec.at(phrases!["template", "spec"]);
    let restart = template_spec
        .and_then(|t| t.get("restartPolicy"))
        .and_then(Node::as_str);
    let restart_at = template_spec
        .and_then(|t| t.get("restartPolicy"))
        .map(span)
        .or_else(|| spec.get("template").map(|t| key_span(t, "spec")))
        .unwrap_or(span(spec));
    match restart {
        None => {
            out.field(
                Check::RestartPolicy,
                p,
                "template.spec.restartPolicy",
                "Required value: valid values: \"OnFailure\", \"Never\"",
                restart_at,
            );
            // The fields the pod template does set: `restartPolicy` belongs beside them.
            if let Some(t) = template_spec {
                let entries = t.entries();
                if let Some((k, _)) = entries.first() {
                    out.context(
                        span(k),
                        "the pod template's fields start here; `restartPolicy` is not among them",
                    );
                }
                if let Some((k, v)) = entries.last().filter(|_| entries.len() > 1) {
                    out.context(
                        (k.start, v.end.max(k.end)),
                        "the last field of the pod template: `restartPolicy` would go after it",
                    );
                }
            }
        }
        Some("OnFailure" | "Never") => {}
        Some(other) => out.field(
            Check::RestartPolicy,
            p,
            "template.spec.restartPolicy",
            format!("Unsupported value: \"{other}\": supported values: \"OnFailure\", \"Never\""),
            restart_at,
        ),
    }
    if let Some(rp) = spec.get("podReplacementPolicy") {
        let v = rp.as_str().unwrap_or("");
        if !matches!(v, "TerminatingOrFailed" | "Failed") {
            out.field(Check::PodFailurePolicy, p, "podReplacementPolicy",
                format!("Unsupported value: \"{v}\": supported values: \"Failed\", \"TerminatingOrFailed\""),
                span(rp),
            );
        } else if v != "Failed" && spec.get("podFailurePolicy").is_some() {
            out.field(
                Check::PodFailurePolicy,
                p,
                "podReplacementPolicy",
                format!("Not supported: \"{v}\": supported values: \"Failed\""),
                span(rp),
            );
        }
    }
    if let Some(pfp) = spec.get("podFailurePolicy") {
        if let Some(r) = restart.filter(|r| *r != "Never" && matches!(*r, "OnFailure")) {
            out.field(Check::RestartPolicy, p, "template.spec.restartPolicy",
                format!("Invalid value: \"{r}\": only \"Never\" is supported when podFailurePolicy is specified"),
                restart_at,
            );
        }
        validate_pod_failure_policy(pfp, spec, p, out);
    }
}

fn validate_success_policy(
    sp: &Node,
    spec: &Node,
    p: &str,
    indexed: bool,
    completions: Option<i64>,
    out: &mut Out,
) {
    if !indexed {
        out.field(
            Check::PerIndex,
            p,
            "successPolicy",
            "Invalid value: requires indexed completion mode",
            key_span(spec, "successPolicy"),
        );
        return;
    }
    let rules = sp.get("rules").map(Node::items).unwrap_or(&[]);
    if rules.is_empty() || rules.len() > 20 {
        out.field(
            Check::Other,
            p,
            "successPolicy.rules",
            format!(
                "Invalid value: {}: must have between 1 and 20 items",
                rules.len()
            ),
            value_span(sp, "rules"),
        );
    }
    for (i, r) in rules.iter().enumerate() {
        let rp = format!("{p}.successPolicy.rules[{i}]");
        let count = int(r.get("succeededCount"));
        let indexes = r.get("succeededIndexes").and_then(Node::as_str);
        if count.is_none() && indexes.is_none() {
            out.push(
                Check::Other,
                rp.clone(),
                "Required value: at least one of succeededCount or succeededIndexes must be specified".into(),
                span(r),
            );
        }
        if let (Some(c), Some(total)) = (count, completions) {
            if c > total {
                out.field(Check::Other, &rp, "succeededCount",
                    format!("Invalid value: {c}: must be less than or equal to {total} (the number of specified completions)"),
                    value_span(r, "succeededCount"),
                );
            }
        }
        if let Some(ix) = indexes {
            if let Some(bad) = bad_interval(ix, completions) {
                out.field(
                    Check::Other,
                    &rp,
                    "succeededIndexes",
                    format!("Invalid value: \"{ix}\": {bad}"),
                    value_span(r, "succeededIndexes"),
                );
            }
        }
    }
}

/// What is wrong with an index list such as `1,3-5,7`, if anything.
fn bad_interval(list: &str, completions: Option<i64>) -> Option<String> {
    let mut last: Option<i64> = None;
    for part in list.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?),
            None => {
                let Ok(v) = part.trim().parse::<i64>() else {
                    return Some(format!(
                        "error parsing succeededIndexes: cannot convert \"{part}\" to an integer"
                    ));
                };
                (v, v)
            }
        };
        if a > b || last.is_some_and(|l| a <= l) {
            return Some(
                "error parsing succeededIndexes: intervals must be ordered and not overlap".into(),
            );
        }
        if completions.is_some_and(|c| b >= c) {
            return Some(format!(
                "error parsing succeededIndexes: too large index: {b}"
            ));
        }
        last = Some(b);
    }
    None
}

fn validate_selector(spec: &Node, p: &str, out: &mut Out) {
    let Some(selector) = spec.get("selector") else {
        return;
    };
    let manual = spec.get("manualSelector").and_then(Node::as_str) == Some("true");
    if !manual {
        out.field(
            Check::Other,
            p,
            "selector",
            "Invalid value: `selector` not auto-generated",
            key_span(spec, "selector"),
        );
        return;
    }
    let labels = spec.at(phrases!["template", "metadata", "labels"]);
    for (k, v) in selector
        .get("matchLabels")
        .map(Node::entries)
        .unwrap_or(&[])
    {
        let key = k.as_str().unwrap_or("");
        if labels.and_then(|l| l.get(key)).and_then(Node::as_str) != v.as_str() {
            out.field(
                Check::Other,
                p,
                "template.metadata.labels",
                "Invalid value: `selector` does not match template `labels`",
                span(k),
            );
            return;
        }
    }
}

fn validate_pod_failure_policy(pfp: &Node, spec: &Node, p: &str, out: &mut Out) {
    let rules = pfp.get("rules").map(Node::items).unwrap_or(&[]);
    let c = Check::PodFailurePolicy;
    if rules.len() > 20 {
        out.field(
            c,
            p,
            "podFailurePolicy.rules",
            format!("Too many: {}: must have at most 20 items", rules.len()),
            value_span(pfp, "rules"),
        );
    }
    for (i, rule) in rules.iter().enumerate() {
        let rp = format!("{p}.podFailurePolicy.rules[{i}]");
        match rule.get("action").and_then(Node::as_str) {
            Some("Count" | "FailJob" | "Ignore") => {}
            Some("FailIndex") if spec.get("backoffLimitPerIndex").is_none() => out.field(c, &rp, "action",
                "Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
                value_span(rule, "action"),
            ),
            Some("FailIndex") => {}
            Some(a) => out.field(c, &rp, "action",
                format!("Unsupported value: \"{a}\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\""),
                value_span(rule, "action"),
            ),
            None => out.field(c, &rp, "action", "Required value", span(rule)),
        }
        match (rule.get("onExitCodes"), rule.get("onPodConditions")) {
            (None, None) => out.push(
                c,
                rp.clone(),
                "Invalid value: specifying one of OnExitCodes and OnPodConditions is required"
                    .into(),
                span(rule),
            ),
            (Some(_), Some(_)) => out.push(
                c,
                rp.clone(),
                "Invalid value: specifying both OnExitCodes and OnPodConditions is not supported"
                    .into(),
                span(rule),
            ),
            (Some(codes), None) => validate_exit_codes(codes, spec, &rp, out),
            (None, Some(conds)) => {
                let items = conds.items();
                if items.len() > 20 {
                    out.field(
                        c,
                        &rp,
                        "onPodConditions",
                        format!("Too many: {}: must have at most 20 items", items.len()),
                        span(conds),
                    );
                }
                for (j, cond) in items.iter().enumerate() {
                    let cp = format!("{rp}.onPodConditions[{j}]");
                    if cond
                        .get("type")
                        .and_then(Node::as_str)
                        .is_none_or(str::is_empty)
                    {
                        out.field(c, &cp, "type", "Required value", span(cond));
                    }
                    if let Some(s) = cond.get("status").and_then(Node::as_str) {
                        if !crate::wording::any_eq(
                            s,
                            crate::wording::phrases!["True", "False", "Unknown"],
                        ) {
                            out.field(c, &cp, "status",
                                format!("Unsupported value: \"{s}\": supported values: \"True\", \"False\", \"Unknown\""),
                                value_span(cond, "status"),
                            );
                        }
                    }
                }
            }
        }
    }
}

fn validate_exit_codes(codes: &Node, spec: &Node, rp: &str, out: &mut Out) {
    let c = Check::PodFailurePolicy;
    let op = codes.get("operator").and_then(Node::as_str).unwrap_or("");
    if !matches!(op, "In" | "NotIn") {
        out.field(
            c,
            rp,
            "onExitCodes.operator",
            format!("Unsupported value: \"{op}\": supported values: \"In\", \"NotIn\""),
            value_span(codes, "operator"),
        );
    }
    let at = value_span(codes, "values");
    let values: Vec<i64> = codes
        .get("values")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| int(Some(v)))
        .collect();
    if values.is_empty() || values.len() > 255 {
        out.field(
            c,
            rp,
            "onExitCodes.values",
            "Invalid value: must have between 1 and 255 items",
            at,
        );
    }
    if values.windows(2).any(|w| w[0] == w[1]) {
        out.field(
            c,
            rp,
            "onExitCodes.values",
            "Duplicate value: must be unique",
            at,
        );
    } else if values.windows(2).any(|w| w[0] > w[1]) {
        out.field(
            c,
            rp,
            "onExitCodes.values",
            "Invalid value: must be ordered",
            at,
        );
    }
    if op == "In" && values.contains(&0) {
        out.field(
            c,
            rp,
            "onExitCodes.values",
            "Invalid value: 0: must not be 0 for the In operator",
            at,
        );
    }
    if let Some(name) = codes.get("containerName").and_then(Node::as_str) {
        let tpl = spec.at(phrases!["template", "spec"]);
        let found = ["containers", "initContainers"]
            .iter()
            .flat_map(|l| tpl.and_then(|t| t.get(l)).map(Node::items).unwrap_or(&[]))
            .any(|c| c.get("name").and_then(Node::as_str) == Some(name));
        if !found {
            out.field(c, rp, "onExitCodes.containerName",
                format!("Invalid value: \"{name}\": must be one of the container or initContainer names in the pod template"),
                value_span(codes, "containerName"),
            );
        }
    }
}

fn validate_pod_spec(pod: &Node, p: &str, out: &mut Out) {
    let containers = pod.get("containers").map(Node::items).unwrap_or(&[]);
    if containers.is_empty() {
        out.field(
            Check::Containers,
            p,
            "containers",
            "Required value",
            pod.entry("containers")
                .or_else(|| pod.entries().first().map(|(k, v)| (k, v)))
                .map(|(k, _)| span(k))
                .unwrap_or((pod.start, pod.end.max(pod.start + 1))),
        );
    }
    for list in ["containers", "initContainers"] {
        for (i, c) in pod
            .get(list)
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let cp = format!("{p}.{list}[{i}]");
            if c.get("name")
                .and_then(Node::as_str)
                .is_none_or(str::is_empty)
            {
                out.field(Check::Containers, &cp, "name", "Required value", span(c));
            }
            if c.get("image")
                .and_then(Node::as_str)
                .is_none_or(str::is_empty)
            {
                out.field(Check::Containers, &cp, "image", "Required value", span(c));
            }
            for kind in ["limits", "requests"] {
                for (k, v) in c
                    .path(&["resources", kind])
                    .map(Node::entries)
                    .unwrap_or(&[])
                {
                    let name = k.as_str().unwrap_or("");
                    let value = v.as_str().unwrap_or("");
                    if Quantity::parse(value).is_err() {
                        out.push(
                            Check::Other,
                            format!("{cp}.resources.{kind}[{name}]"),
                            format!("Invalid value: \"{value}\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
                            span(v),
                        );
                    }
                }
            }
            for name in ["memory", "cpu"] {
                let lim = c
                    .path(&["resources", "limits", name])
                    .and_then(Node::as_str)
                    .and_then(|v| Quantity::parse(v).ok());
                let req_node = c.path(&["resources", "requests", name]);
                let req = req_node
                    .and_then(Node::as_str)
                    .and_then(|v| Quantity::parse(v).ok());
                if let (Some(l), Some(r), Some(n)) = (lim, req, req_node) {
                    if r.nanos > l.nanos {
                        out.field(Check::Other, &cp, "resources.requests",
                            format!("Invalid value: \"{r}\": must be less than or equal to {name} limit of {l}"),
                            span(n),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml::parse_documents;

    fn problems(text: &str) -> Vec<String> {
        let (docs, _) = parse_documents(text);
        validate(&docs[0].root)
    }

    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n";

    #[test]
    fn a_valid_job_passes() {
        assert!(problems(JOB).is_empty(), "{:?}", problems(JOB));
    }

    #[test]
    fn restart_policy_is_required() {
        let t = JOB.replace("      restartPolicy: Never\n", "");
        assert_eq!(
            problems(&t),
            ["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""]
        );
        let t = JOB.replace("Never", "Always");
        assert_eq!(problems(&t).len(), 1);
        let (docs, _) = parse_documents(&t);
        let p = &validate_detailed(&docs[0].root)[0];
        assert_eq!(&t[p.at.0..p.at.1], "Always");
        assert_eq!(p.check, Check::RestartPolicy);
    }

    #[test]
    fn per_index_needs_indexed() {
        let t = JOB.replace(
            "spec:\n  template",
            "spec:\n  backoffLimitPerIndex: 1\n  template",
        );
        assert!(problems(&t)[0].contains("requires indexed completion mode"));
    }

    #[test]
    fn requests_above_limits() {
        let t = format!("{JOB}        resources:\n          limits: {{memory: 1Gi}}\n          requests: {{memory: 2Gi}}\n");
        assert!(problems(&t)[0].contains("must be less than or equal to memory limit"));
    }

    #[test]
    fn pod_failure_policy_rules() {
        let t = JOB.replace("Never", "OnFailure").replace(
            "spec:\n  template",
            "spec:\n  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        operator: In\n        values: [0, 3, 3]\n    - action: Ignore\n      onPodConditions:\n      - type: DisruptionTarget\n        status: Yes\n  template",
        );
        let p = problems(&t);
        assert!(
            p.iter()
                .any(|m| m
                    .contains("only \"Never\" is supported when podFailurePolicy is specified")),
            "{p:?}"
        );
        assert!(p
            .iter()
            .any(|m| m.contains("must not be 0 for the In operator")));
        assert!(p.iter().any(|m| m.contains("Duplicate value")));
        assert!(p
            .iter()
            .any(|m| m.contains("onPodConditions[0].status: Unsupported value: \"Yes\"")));
    }

    #[test]
    fn selector_and_indexed_limits() {
        let t = JOB.replace(
            "spec:\n  template",
            "spec:\n  selector:\n    matchLabels:\n      controller-uid: abc\n  template",
        );
        assert!(problems(&t)[0].contains("`selector` not auto-generated"));
        let t = JOB.replace(
            "spec:\n  template",
            "spec:\n  completionMode: Indexed\n  completions: 3\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 5\n  template",
        );
        assert_eq!(problems(&t), ["spec.maxFailedIndexes: Invalid value: 5: must be less than or equal to completions"]);
        let t = JOB.replace("name: x", "name: Bad_Name").replace(
            "spec:\n  template",
            "spec:\n  completionMode: Indexed\n  completions: 3\n  template",
        );
        assert!(problems(&t)[0].contains("invalid DNS label: Bad_Name-2"));
    }

    #[test]
    fn success_policy_needs_indexed() {
        let t = JOB.replace(
            "spec:\n  template",
            "spec:\n  successPolicy:\n    rules:\n    - succeededCount: 1\n  template",
        );
        assert!(problems(&t)[0]
            .contains("successPolicy: Invalid value: requires indexed completion mode"));
        let t = JOB.replace(
            "spec:\n  template",
            "spec:\n  completionMode: Indexed\n  completions: 3\n  successPolicy:\n    rules:\n    - succeededIndexes: \"0,2-4\"\n  template",
        );
        assert!(problems(&t)[0].contains("too large index: 4"));
    }

    #[test]
    fn containers_are_required() {
        let t = "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n";
        assert_eq!(
            problems(t),
            ["spec.template.spec.containers: Required value"]
        );
        let t = "apiVersion: batch/v1\nkind: Job\nspec:\n  backoffLimit: 1\n";
        assert_eq!(
            problems(t),
            [
                "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
                "spec.template.spec.containers: Required value"
            ]
        );
    }
}
