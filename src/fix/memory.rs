//! The OOM fix: raise a container's `resources.limits.memory` from the observed limit.

use super::yaml_edit::{locate, pod_spec_path, set_paths, Step};
use super::{Expectation, Fix};
use crate::facts::Manifest;
use crate::parse::quantity::{Format, Quantity};
use crate::parse::yaml::Node;
use crate::rules::Context;
use crate::wording::phrases;

/// A container found in a pasted workload manifest.
pub struct ContainerInManifest<'a> {
    pub manifest: &'a Manifest,
    pub node: &'a Node,
    /// Path from the document root to the container.
    pub path: Vec<Step>,
    pub name: String,
}

/// Find the container named `name` (or the only container when the name is unknown) in the
/// pasted workload manifests (Job, CronJob, Pod, Deployment, StatefulSet, …).
pub fn find_container<'a>(
    ctx: &Context<'a>,
    name: Option<&str>,
) -> Option<ContainerInManifest<'a>> {
    let facts: &'a crate::facts::Facts = ctx.facts;
    for m in &facts.manifests {
        let Some(spec_path) = pod_spec_path(&m.root) else {
            continue;
        };
        let Some(spec) = locate(&m.root, &spec_path) else {
            continue;
        };
        for list in ["containers", "initContainers"] {
            let items = spec.get(list).map(Node::items).unwrap_or(&[]);
            let found = match name {
                Some(n) => items
                    .iter()
                    .find(|c| c.get("name").and_then(Node::as_str) == Some(n)),
                None if items.len() == 1 && list == "containers" => items.first(),
                None => None,
            };
            let Some(node) = found else { continue };
            let cname = node
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string();
            let mut path = spec_path.clone();
            path.push(Step::key(list));
            path.push(Step::Named(cname.clone()));
            return Some(ContainerInManifest {
                manifest: m,
                node,
                path,
                name: cname,
            });
        }
    }
    None
}

/// Propose a higher memory limit for `container`, from the `observed` limit (describe output),
/// else from the manifest's own value. Returns `None` when no manifest holds the container or
/// no limit is known anywhere: a fix never invents a value.
pub fn raise_memory_limit(
    ctx: &Context,
    container: Option<&str>,
    observed: Option<(Quantity, String)>,
    restarts: u32,
) -> Option<Fix> {
    let target = find_container(ctx, container)?;
    let c = target.node;
    let text = ctx.text(target.manifest.segment.input);
    let current = c
        .at(phrases!["resources", "limits", "memory"])
        .and_then(Node::as_str)
        .and_then(|v| Quantity::parse(v).ok().map(|q| (q, v.to_string())));
    let (base, base_text, source) = match (&observed, &current) {
        (Some((q, t)), _) => (*q, t.clone(), "the limit shown in the pod description"),
        (None, Some((q, t))) => (*q, t.clone(), "the limit in the manifest"),
        (None, None) => return None,
    };
    let (num, den, why) = if restarts >= 2 {
        (2, 1, "×2 because the container was killed repeatedly")
    } else {
        (3, 2, "×1.5 for a single kill")
    };
    let new = base.scale_up(num, den);
    let mut reasoning = vec![format!(
        "the container was killed at its memory limit of {base_text} ({source})"
    )];
    if let Some((cur, _)) = &current {
        if observed.is_some() && cur.nanos >= new.nanos {
            // The manifest already asks for at least the raised limit: it is not the one that
            // was killed (already corrected, or the pod ran an older version). Raising again
            // would be a guess, and a second run on the corrected manifest must not change it.
            return None;
        }
    }
    let new_text = new.canonical();
    let unit = if new.format == Format::BinarySI {
        "Mi"
    } else {
        "M"
    };
    reasoning.push(format!(
        "new limit {new_text}: {why}, rounded up to a whole {unit}"
    ));
    let mut pairs: Vec<(&[&str], String)> =
        vec![(&["resources", "limits", "memory"], new_text.clone())];
    let request = c.at(phrases!["resources", "requests", "memory"]);
    match request.and_then(Node::as_str).map(Quantity::parse) {
        Some(Ok(rq)) if rq.nanos > new.nanos => {
            pairs.push((&["resources", "requests", "memory"], new_text.clone()));
            reasoning.push(format!(
                "`requests.memory` lowered to {new_text} so it stays at or below the limit"
            ));
        }
        Some(_) => {}
        None => {
            pairs.push((&["resources", "requests", "memory"], base_text.clone()));
            reasoning.push(format!(
                "`requests.memory` added at {base_text}: the container needs at least what it was killed at, so the scheduler should reserve it"
            ));
        }
    }
    reasoning.push(
        "if the memory use grows without bound (a leak), a higher limit only delays the next kill"
            .into(),
    );
    reasoning.push(
        "the new limit must fit the node's allocatable memory (`kubectl describe node`)".into(),
    );
    let borrowed: Vec<(&[&str], &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (edits, refused) = match set_paths(text, c, &borrowed) {
        Ok(e) => (e, None),
        Err(reason) => (Vec::new(), Some(reason)),
    };
    let expect = pairs
        .iter()
        .map(|(keys, v)| {
            let mut path = target.path.clone();
            path.extend(keys.iter().map(|k| Step::key(k)));
            Expectation {
                document: target.manifest.document,
                path,
                value: v.clone(),
            }
        })
        .collect();
    let who = if target.name.is_empty() {
        String::new()
    } else {
        format!(" of `{}`", target.name)
    };
    Some(Fix {
        title: format!("raise `limits.memory`{who} to {new_text}"),
        reasoning,
        region: target.manifest.segment,
        expect: if refused.is_some() {
            Vec::new()
        } else {
            expect
        },
        edits,
        snippets: Vec::new(),
        refused,
    })
}
