//! Fixes on container resources other than the OOM limit (see [`super::memory`]).

use super::memory::find_container;
use super::yaml_edit::{Step, Value};
use super::{Fix, Snippet};
use crate::parse::yaml::Node;
use crate::rules::Context;
use crate::span::Joined;
use crate::wording::phrases;

/// The HPA cannot compute cpu utilization because `container` has no `resources.requests.cpu`
/// (`missing request for cpu in container X`): add the request to that container in the pasted
/// Deployment (or other workload).
///
/// The value must come from evidence. The only evidence a manifest carries is the container's
/// own cpu limit: the request is set to it (utilization is then measured against the limit).
/// Without a limit nothing in the paste says how much cpu the container uses, so the fix is
/// refused with that reason and carries the commands to measure it instead. `pod_selector`
/// (e.g. `app=web`) and `namespace` are used in those commands when known.
pub fn add_cpu_request(
    ctx: &Context,
    container: Option<&str>,
    pod_selector: Option<&str>,
    namespace: Option<&str>,
) -> Option<Fix> {
    let target = find_container(ctx, container)?;
    let c = target.node;
    if c.at(phrases!["resources", "requests", "cpu"]).is_some() {
        return None;
    }
    let who = if target.name.is_empty() {
        "the container".to_string()
    } else {
        format!("`{}`", target.name)
    };
    let title = format!("add `resources.requests.cpu` to {who}");
    let ns = crate::fix::advice::ns_flag(
        namespace.or_else(|| target.manifest.namespace.as_ref().map(|n| n.value.as_str())),
    );
    // The workload's own selector when the caller has none.
    let derived: Option<String> = target
        .manifest
        .root
        .at(phrases!["spec", "selector", "matchLabels"])
        .map(|m| {
            m.entries()
                .iter()
                .filter_map(|(k, v)| Some(format!("{}={}", k.as_str()?, v.as_str()?)))
                .collect::<Vec<_>>()
                .joined(",")
        })
        .filter(|s| !s.is_empty());
    let sel = pod_selector
        .map(str::to_string)
        .or(derived)
        .map(|s| format!(" -l {s}"))
        .unwrap_or_default();
    let measure = Snippet::sh(
        format!("measure the cpu {who} uses, then set its request near the typical value"),
        format!("kubectl top pod{sel}{ns} --containers"),
    );
    let mut path = target.path.clone();
    path.extend([
        Step::key("resources"),
        Step::key("requests"),
        Step::key("cpu"),
    ]);
    match c
        .at(phrases!["resources", "limits", "cpu"])
        .and_then(Node::as_str)
    {
        Some(limit) => {
            let mut fix = Fix::on_manifest(
                ctx.text(target.manifest.segment.input),
                target.manifest,
                format!("{title} ({limit}, its cpu limit)"),
                vec![
                    format!("the HPA measures cpu utilization as a percentage of the request; {who} has none, so no replica count can be computed"),
                    format!("the request is set to the container's cpu limit {limit}: the only cpu figure in the manifest, and a request may not exceed the limit"),
                    "a lower request (the typical usage from `kubectl top`) packs pods tighter and makes the HPA scale earlier".into(),
                    "every container of the pod needs a cpu request, sidecars included".into(),
                ],
                &[(path, Value::str(limit))],
            );
            fix.snippets.push(measure);
            Some(fix)
        }
        None => {
            let mut fix = Fix::advice(
                title,
                vec![
                    format!("the HPA measures cpu utilization as a percentage of the request; {who} has none, so no replica count can be computed"),
                    "nothing in the paste says how much cpu the container uses (no limit, no metrics), so no value is written".into(),
                ],
                vec![measure],
            );
            fix.region = target.manifest.segment;
            fix.refused = Some(format!("no cpu figure for {who} in the paste: measure it with `kubectl top` and set `resources.requests.cpu`"));
            Some(fix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::Input;

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          resources:\n            limits:\n              cpu: 500m # burst\n";

    fn run(text: &str) -> Option<(Fix, Result<String, String>)> {
        let inputs = vec![Input::new("d.yaml", text)];
        let parsed = parse(&inputs);
        let ctx = Context::new(&inputs, &parsed.facts);
        let fix = add_cpu_request(&ctx, Some("web"), Some("app=web"), Some("prod"))?;
        let out = crate::fix::check(text, &fix);
        Some((fix, out))
    }

    #[test]
    fn request_from_the_cpu_limit() {
        let (fix, out) = run(DEPLOY).expect("fix");
        assert_eq!(
            out.as_deref(),
            Ok(format!("{DEPLOY}            requests:\n              cpu: 500m\n").as_str())
        );
        assert!(fix.title.contains("500m"));
        assert!(run(&format!(
            "{DEPLOY}            requests:\n              cpu: 500m\n"
        ))
        .is_none());
    }

    #[test]
    fn no_figure_no_value() {
        let t = DEPLOY.replace(
            "          resources:\n            limits:\n              cpu: 500m # burst\n",
            "",
        );
        let (fix, out) = run(&t).expect("fix");
        assert!(out.is_err());
        assert_eq!(
            fix.snippets[0].text,
            "kubectl top pod -l app=web -n prod --containers"
        );
    }
}
