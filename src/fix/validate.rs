//! The Job API validation rules (the checks the API server applies to `batch/v1` Jobs and the
//! pod templates of workloads), run on a span-aware YAML tree. Each problem is worded as the
//! API server words it: `<field>: <type>: <detail>`.

use super::yaml_edit::{locate, pod_spec_path};
use crate::parse::quantity::Quantity;
use crate::parse::yaml::Node;

fn int(node: Option<&Node>) -> Option<i64> {
    node.and_then(Node::as_str).and_then(|s| s.parse().ok())
}

/// Problems with one document; empty when it passes (or is not a workload).
pub fn validate(root: &Node) -> Vec<String> {
    let mut out = Vec::new();
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
    let (job_spec, prefix) = match kind {
        "Job" => (root.get("spec"), "spec"),
        "CronJob" => (
            root.path(&["spec", "jobTemplate", "spec"]),
            "spec.jobTemplate.spec",
        ),
        _ => (None, ""),
    };
    if let Some(spec) = job_spec {
        validate_job_spec(spec, prefix, &mut out);
    }
    if let Some(path) = pod_spec_path(root) {
        if let Some(pod) = locate(root, &path) {
            let field = match kind {
                "CronJob" => "spec.jobTemplate.spec.template.spec",
                "Pod" => "spec",
                _ => "spec.template.spec",
            };
            validate_pod_spec(pod, field, &mut out);
        }
    }
    out
}

fn validate_job_spec(spec: &Node, p: &str, out: &mut Vec<String>) {
    for field in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ] {
        if let Some(v) = int(spec.get(field)) {
            if v < 0 {
                out.push(format!(
                    "{p}.{field}: Invalid value: {v}: must be greater than or equal to 0"
                ));
            }
        }
    }
    let mode = spec
        .get("completionMode")
        .and_then(Node::as_str)
        .unwrap_or("NonIndexed");
    if !matches!(mode, "NonIndexed" | "Indexed") {
        out.push(format!("{p}.completionMode: Unsupported value: \"{mode}\": supported values: \"NonIndexed\", \"Indexed\""));
    }
    let indexed = mode == "Indexed";
    if indexed && spec.get("completions").is_none() {
        out.push(format!(
            "{p}.completions: Required value: when completion mode is Indexed"
        ));
    }
    for field in ["backoffLimitPerIndex", "maxFailedIndexes"] {
        if spec.get(field).is_some() && !indexed {
            out.push(format!(
                "{p}.{field}: Invalid value: {}: requires indexed completion mode",
                int(spec.get(field)).unwrap_or(0)
            ));
        }
    }
    if spec.get("maxFailedIndexes").is_some() && spec.get("backoffLimitPerIndex").is_none() {
        out.push(format!(
            "{p}.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"
        ));
    }
    let restart = spec
        .path(&["template", "spec", "restartPolicy"])
        .and_then(Node::as_str);
    match restart {
        None => out.push(format!("{p}.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"")),
        Some("OnFailure" | "Never") => {}
        Some(other) => out.push(format!("{p}.template.spec.restartPolicy: Unsupported value: \"{other}\": supported values: \"OnFailure\", \"Never\"")),
    }
    if let Some(pfp) = spec.get("podFailurePolicy") {
        if let Some(r) = restart.filter(|r| *r != "Never") {
            out.push(format!("{p}.template.spec.restartPolicy: Invalid value: \"{r}\": only \"Never\" is supported when podFailurePolicy is specified"));
        }
        let rules = pfp.get("rules").map(Node::items).unwrap_or(&[]);
        if rules.len() > 20 {
            out.push(format!(
                "{p}.podFailurePolicy.rules: Too many: {}: must have at most 20 items",
                rules.len()
            ));
        }
        for (i, rule) in rules.iter().enumerate() {
            let rp = format!("{p}.podFailurePolicy.rules[{i}]");
            match rule.get("action").and_then(Node::as_str) {
                Some("Count" | "FailJob" | "Ignore") => {}
                Some("FailIndex") if spec.get("backoffLimitPerIndex").is_none() => {
                    out.push(format!("{rp}.action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set"))
                }
                Some("FailIndex") => {}
                Some(a) => out.push(format!("{rp}.action: Unsupported value: \"{a}\"")),
                None => out.push(format!("{rp}.action: Required value")),
            }
            match (rule.get("onExitCodes"), rule.get("onPodConditions")) {
                (None, None) => out.push(format!("{rp}: Invalid value: specifying one of OnExitCodes and OnPodConditions is required")),
                (Some(_), Some(_)) => out.push(format!("{rp}: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported")),
                (Some(codes), None) => {
                    let op = codes.get("operator").and_then(Node::as_str).unwrap_or("");
                    if !matches!(op, "In" | "NotIn") {
                        out.push(format!("{rp}.onExitCodes.operator: Unsupported value: \"{op}\""));
                    }
                    let values: Vec<i64> = codes.get("values").map(Node::items).unwrap_or(&[]).iter().filter_map(|v| int(Some(v))).collect();
                    if values.is_empty() || values.len() > 255 {
                        out.push(format!("{rp}.onExitCodes.values: Invalid value: must have between 1 and 255 items"));
                    }
                    if values.windows(2).any(|w| w[0] >= w[1]) {
                        out.push(format!("{rp}.onExitCodes.values: Invalid value: must be ordered"));
                    }
                    if op == "In" && values.contains(&0) {
                        out.push(format!("{rp}.onExitCodes.values: Invalid value: 0: must not be 0 for the In operator"));
                    }
                    if let Some(name) = codes.get("containerName").and_then(Node::as_str) {
                        let tpl = spec.path(&["template", "spec"]);
                        let names = ["containers", "initContainers"].iter().flat_map(|l| tpl.and_then(|t| t.get(l)).map(Node::items).unwrap_or(&[]));
                        let mut found = false;
                        for c in names {
                            found |= c.get("name").and_then(Node::as_str) == Some(name);
                        }
                        if !found {
                            out.push(format!("{rp}.onExitCodes.containerName: Invalid value: \"{name}\": must be one of the container or initContainer names in the pod template"));
                        }
                    }
                }
                (None, Some(_)) => {}
            }
        }
    }
}

fn validate_pod_spec(pod: &Node, p: &str, out: &mut Vec<String>) {
    let containers = pod.get("containers").map(Node::items).unwrap_or(&[]);
    if containers.is_empty() {
        out.push(format!("{p}.containers: Required value"));
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
                out.push(format!("{cp}.name: Required value"));
            }
            if c.get("image")
                .and_then(Node::as_str)
                .is_none_or(str::is_empty)
            {
                out.push(format!("{cp}.image: Required value"));
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
                        out.push(format!("{cp}.resources.{kind}[{name}]: Invalid value: \"{value}\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
                    }
                }
            }
            for name in ["memory", "cpu"] {
                let lim = c
                    .path(&["resources", "limits", name])
                    .and_then(Node::as_str)
                    .and_then(|v| Quantity::parse(v).ok());
                let req = c
                    .path(&["resources", "requests", name])
                    .and_then(Node::as_str)
                    .and_then(|v| Quantity::parse(v).ok());
                if let (Some(l), Some(r)) = (lim, req) {
                    if r.nanos > l.nanos {
                        out.push(format!("{cp}.resources.requests: Invalid value: \"{r}\": must be less than or equal to {name} limit of {l}"));
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
        assert_eq!(problems(&t), ["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""]);
        let t = JOB.replace("Never", "Always");
        assert_eq!(problems(&t).len(), 1);
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
}
