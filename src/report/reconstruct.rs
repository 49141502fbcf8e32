//! A Job manifest rebuilt from `kubectl describe job` / `kubectl describe pod` when no
//! manifest was pasted, so that fixes have something to apply to. What describe does not show
//! is listed, never invented.

use crate::facts::{Container, Facts, Job, Pod};
use crate::fix::yaml_edit::{render_document, Value};
use crate::Input;

/// The rebuilt manifest text and what could not be recovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconstructed {
    pub text: String,
    pub unrecovered: Vec<String>,
}

/// The name of the input that holds the rebuilt manifest.
pub const INPUT_NAME: &str = "reconstructed-job.yaml";

/// Labels the Job controller adds itself: not part of the user's manifest.
fn generated_label(key: &str) -> bool {
    crate::wording::any_eq(key, crate::wording::phrases!["controller-uid", "job-name"])
        || key.starts_with("batch.kubernetes.io/")
        || key == "pod-template-hash"
}

fn container_value(
    c: &Container,
    inputs: &[Input],
    unrecovered: &mut Vec<String>,
) -> Option<Value> {
    let name = c.name.value.trim();
    if name.is_empty() || name.starts_with('<') {
        return None;
    }
    let mut m: Vec<(String, Value)> = vec![("name".into(), Value::str(name))];
    match &c.image {
        Some(i) if !i.value.is_empty() => m.push(("image".into(), Value::str(&i.value))),
        _ => unrecovered.push(format!("the image of container `{name}`")),
    }
    if !c.command.is_empty() {
        m.push((
            "command".into(),
            Value::Seq(c.command.iter().map(|w| Value::str(&w.value)).collect()),
        ));
    }
    if !c.args.is_empty() {
        m.push((
            "args".into(),
            Value::Seq(c.args.iter().map(|w| Value::str(&w.value)).collect()),
        ));
    }
    let env: Vec<Value> = c
        .env_refs
        .iter()
        .filter(|e| e.key.is_some())
        .filter_map(|e| {
            // describe prints `NAME: <set to the key 'k' of config map 'c'>`; the variable's
            // name is the text before the colon of that line.
            let var = env_var_name(e, inputs)?;
            let (ref_kind, name_key) = if e.kind == "secret" {
                ("secretKeyRef", "name")
            } else {
                ("configMapKeyRef", "name")
            };
            let mut r = vec![
                (name_key.to_string(), Value::str(&e.name)),
                ("key".into(), Value::str(e.key.as_deref().unwrap_or(""))),
            ];
            if e.optional {
                r.push(("optional".into(), Value::str("true")));
            }
            Some(Value::map([
                ("name", Value::str(var)),
                (
                    "valueFrom",
                    Value::Map(vec![(ref_kind.into(), Value::Map(r))]),
                ),
            ]))
        })
        .collect();
    let env_from: Vec<Value> = c
        .env_refs
        .iter()
        .filter(|e| e.key.is_none())
        .map(|e| {
            let k = if e.kind == "secret" {
                "secretRef"
            } else {
                "configMapRef"
            };
            Value::Map(vec![(
                k.into(),
                Value::map([("name", Value::str(&e.name))]),
            )])
        })
        .collect();
    if !env.is_empty() {
        m.push(("env".into(), Value::Seq(env)));
    }
    if !env_from.is_empty() {
        m.push(("envFrom".into(), Value::Seq(env_from)));
    }
    let mut resources = Vec::new();
    for (key, list) in [("limits", &c.limits), ("requests", &c.requests)] {
        let vals: Vec<(String, Value)> = list
            .iter()
            .map(|r| (r.name.value.clone(), Value::str(&r.value.value)))
            .collect();
        if !vals.is_empty() {
            resources.push((key.to_string(), Value::Map(vals)));
        }
    }
    if !resources.is_empty() {
        m.push(("resources".into(), Value::Map(resources)));
    }
    Some(Value::Map(m))
}

/// The environment variable name of a `NAME: <set to the key …>` line.
fn env_var_name<'a>(e: &crate::facts::EnvRef, inputs: &'a [Input]) -> Option<&'a str> {
    let line = e.span.text(&inputs.get(e.span.input)?.text);
    let name = line.split(':').next()?.trim();
    (!name.is_empty() && !name.contains(' ')).then_some(name)
}

/// Rebuild a Job from the described Job (preferred) or a described pod owned by a Job.
/// `None` when the paste has a workload manifest already, or nothing to rebuild from.
pub fn reconstruct(facts: &Facts, inputs: &[Input]) -> Option<Reconstructed> {
    if facts
        .manifests
        .iter()
        .any(|m| crate::fix::yaml_edit::pod_spec_path(&m.root).is_some())
    {
        return None;
    }
    let job: Option<&Job> = facts.jobs.iter().find(|j| !j.containers.is_empty());
    let pod: Option<&Pod> = facts
        .pods
        .iter()
        .find(|p| p.job_name().is_some() && !p.containers.is_empty());
    let (containers, init): (&[Container], &[Container]) = match (job, pod) {
        (Some(j), _) => (&j.containers, &j.init_containers),
        (None, Some(p)) => (&p.containers, &p.init_containers),
        (None, None) => return None,
    };
    let mut unrecovered = Vec::new();
    let name = job
        .and_then(|j| j.name.as_ref().map(|n| n.value.clone()))
        .or_else(|| pod.and_then(|p| p.job_name().map(str::to_string)));
    let mut metadata = Vec::new();
    match &name {
        Some(n) => metadata.push(("name".to_string(), Value::str(n))),
        None => unrecovered.push("the Job's name".to_string()),
    }
    if let Some(ns) = job
        .and_then(|j| j.namespace.as_ref())
        .or_else(|| pod.and_then(|p| p.namespace.as_ref()))
    {
        metadata.push(("namespace".into(), Value::str(&ns.value)));
    }
    let mut spec: Vec<(String, Value)> = Vec::new();
    let int = |s: &crate::span::Spanned<String>| s.value.trim().parse::<i64>().ok();
    if let Some(j) = job {
        if let Some(v) = j.parallelism.as_ref().and_then(int) {
            spec.push(("parallelism".into(), Value::Int(v)));
        }
        if let Some(v) = j.completions.as_ref().and_then(int) {
            spec.push(("completions".into(), Value::Int(v)));
        }
        if let Some(m) = j.completion_mode.as_ref().filter(|m| m.value == "Indexed") {
            spec.push(("completionMode".into(), Value::str(&m.value)));
        }
        match &j.backoff_limit {
            Some(b) => spec.push(("backoffLimit".into(), Value::Int(i64::from(b.value)))),
            None => unrecovered.push("`backoffLimit` (not shown; the default is 6)".into()),
        }
        if let Some(d) = &j.active_deadline_seconds {
            spec.push((
                "activeDeadlineSeconds".into(),
                Value::Int(i64::try_from(d.value).unwrap_or(i64::MAX)),
            ));
        }
    } else {
        unrecovered.push(
            "`backoffLimit`, `parallelism` and `completions` (only the pod was described)".into(),
        );
    }
    let labels: Vec<(String, Value)> = pod
        .map(|p| p.labels.as_slice())
        .unwrap_or(&[])
        .iter()
        .filter_map(|l| l.value.split_once('='))
        .filter(|(k, _)| !generated_label(k))
        .map(|(k, v)| (k.to_string(), Value::str(v)))
        .collect();
    if pod.is_none() {
        unrecovered.push("the pod template's labels (describe the pod to see them)".into());
    }
    // restartPolicy is not printed by describe; a pod that restarted in place ran with
    // OnFailure, otherwise Never is written (and said so).
    let restarted = pod.is_some_and(|p| {
        p.all_containers()
            .any(|c| c.restart_count.as_ref().is_some_and(|r| r.value > 0))
    });
    let restart = if restarted {
        unrecovered.push(
            "`restartPolicy` (not shown; `OnFailure` inferred from the in-place restarts)".into(),
        );
        "OnFailure"
    } else {
        unrecovered.push("`restartPolicy` (not shown; `Never` written)".into());
        "Never"
    };
    let mut pod_spec: Vec<(String, Value)> = vec![("restartPolicy".into(), Value::str(restart))];
    let init_values: Vec<Value> = init
        .iter()
        .filter_map(|c| container_value(c, inputs, &mut unrecovered))
        .collect();
    if !init_values.is_empty() {
        pod_spec.push(("initContainers".into(), Value::Seq(init_values)));
    }
    let values: Vec<Value> = containers
        .iter()
        .filter_map(|c| container_value(c, inputs, &mut unrecovered))
        .collect();
    if values.is_empty() {
        return None;
    }
    pod_spec.push(("containers".into(), Value::Seq(values)));
    unrecovered.push("volumes, volume mounts, plain environment values, probes, node selection and the service account (describe shows them partly or not at all)".into());
    let mut template = Vec::new();
    if !labels.is_empty() {
        template.push((
            "metadata".to_string(),
            Value::map([("labels", Value::Map(labels))]),
        ));
    }
    template.push(("spec".into(), Value::Map(pod_spec)));
    spec.push(("template".into(), Value::Map(template)));
    let doc = vec![
        ("apiVersion".to_string(), Value::str("batch/v1")),
        ("kind".into(), Value::str("Job")),
        ("metadata".into(), Value::Map(metadata)),
        ("spec".into(), Value::Map(spec)),
    ];
    Some(Reconstructed {
        text: render_document(&doc),
        unrecovered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    const DESCRIBE_JOB: &str = "Name:           failed-job\nNamespace:      default\nSelector:       controller-uid=58c6d945\nLabels:         controller-uid=58c6d945\n                job-name=failed-job\nParallelism:    1\nCompletions:    1\nStart Time:     Tue, 31 Oct 2017 10:38:46 -0700\nPods Statuses:  1 Running / 0 Succeeded / 0 Failed\nPod Template:\n  Labels:  controller-uid=58c6d945\n           job-name=failed-job\n  Containers:\n   nginx:\n    Image:  nginx:1.7.9\n    Port:   <none>\n    Command:\n      bash\n      -c\n      exit 1\n    Environment:  <none>\n    Mounts:       <none>\n  Volumes:        <none>\nEvents:           <none>\n";

    #[test]
    fn from_describe_job() {
        let inputs = [Input::new("paste", DESCRIBE_JOB)];
        let facts = parse(&inputs).facts;
        let r = reconstruct(&facts, &inputs).expect("reconstructed");
        assert_eq!(
            r.text,
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: failed-job\n  namespace: default\nspec:\n  parallelism: 1\n  completions: 1\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: nginx\n        image: nginx:1.7.9\n        command:\n        - bash\n        - -c\n        - exit 1\n"
        );
        assert!(r.unrecovered.iter().any(|u| u.contains("backoffLimit")));
        assert!(r.unrecovered.iter().any(|u| u.contains("restartPolicy")));
        // The rebuilt text is a valid Job.
        let (docs, err) = crate::parse::yaml::parse_documents(&r.text);
        assert!(err.is_none());
        assert!(crate::fix::validate::validate(&docs[0].root).is_empty());
    }

    #[test]
    fn nothing_to_rebuild_when_a_manifest_is_pasted() {
        let text = format!("{DESCRIBE_JOB}\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n");
        let inputs = [Input::new("paste", text)];
        let facts = parse(&inputs).facts;
        assert!(!facts.manifests.is_empty());
        assert!(reconstruct(&facts, &inputs).is_none());
    }
}
