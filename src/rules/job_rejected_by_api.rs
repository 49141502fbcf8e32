use super::common::{finding, strings};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::findings::{EvidenceList, Finding};
use crate::fix::job::{find_job, restart_policy_never};
use crate::fix::validate::validate_detailed;
use crate::span::Span;

crate::declare_rule! {
    /// ## What it does
    /// Reads the API server's validation error as kubectl, Helm, Terraform or Pulumi print
    /// it: `The Job "x" is invalid: spec.template.spec.restartPolicy: Unsupported value:
    /// "Always"`, `Job.batch "x" is invalid: …` (also inside a JSON Status body, its quotes
    /// escaped), with one or several field errors (`* field: …` lines or a `[…, …]` list), and
    /// explains each field. Also decoding rejections
    /// (`strict decoding error: unknown field`, `cannot unmarshal`), kubectl's client-side
    /// `ValidationError(…)` (and the `[field … for v1.JobSpec is required, found invalid field
    /// …]` list of kubectl before 1.9), a file kubectl cannot parse (`error converting YAML
    /// to JSON`) and a built-in kind in a version the cluster does not serve (`no matches for
    /// kind "Job" in version "apps/v1"`, `couldn't find type: v1.Job`).
    ///
    /// ## Why is this bad?
    /// The object was never created: there are no pods, no events and no logs to look at, only
    /// this message.
    ///
    /// ## Evidence
    /// The error line (primary) and each field error.
    ///
    /// ## Example
    /// ```text
    /// The Job "pi" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"
    /// ```
    ///
    /// ## Use instead
    /// Correct the named field in the manifest (`restartPolicy: Never` in this example) and
    /// create the Job again.
    ///
    /// ## Fix safety
    /// When the manifest is pasted too, the manifest rules (`PM101`–`PM105`) report and fix it;
    /// this rule then stays silent for the fields they cover.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/workloads/controllers/job/#writing-a-job-spec
    /// - https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
    pub static META = {
        code: "PM106",
        name: "job-rejected-by-api",
        cause: Cause::ManifestInvalid,
        needs: &[Need::Logs, Need::Manifest],
    }
}

pub struct JobRejectedByApi;

/// One `<Kind> "<name>" is invalid: …` error found in a paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiInvalid {
    pub kind: String,
    pub name: String,
    pub span: Span,
    /// Each field error, with its span.
    pub errors: Vec<(String, Span)>,
}

/// Find validation errors in `text` (input number `input`).
pub fn find_api_invalid(text: &str, input: usize) -> Vec<ApiInvalid> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(rel) = text.get(search..).and_then(|t| {
        t.find("\" is invalid: ")
            .or_else(|| t.find("\" is invalid:\n"))
            .or_else(|| t.find("\" is invalid:\r\n"))
    }) {
        let quote_end = search + rel;
        search = quote_end + 1;
        let line_start = crate::span::line_start(text, quote_end);
        let Some(head) = text.get(line_start..quote_end) else {
            continue;
        };
        let Some(q) = head.rfind('"') else { continue };
        // A client that prints the API's Status body (`"message":"Job.batch \"x\" is invalid:
        // …"`) escapes the quotes: `esc` backslashes stand before each one.
        let esc = head.len() - head.trim_end_matches('\\').len();
        let name = head[q + 1..].trim_end_matches('\\');
        let before = head[..q].trim_end_matches('\\').trim_end();
        let kind_word = before.rsplit([' ', ':', '\t', '"']).next().unwrap_or("");
        let kind_start = before.len() - kind_word.len();
        let kind = kind_word.split('.').next().unwrap_or("").to_string();
        // The name may be empty: Helm and clients print `Deployment.apps "" is invalid: …` for
        // an object whose name was not set yet.
        if kind.is_empty() || !kind.starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let after = quote_end + "\" is invalid:".len();
        let mut line_end = crate::span::line_end(text, after);
        if esc > 0 {
            // The message ends where its JSON string does: a quote with fewer backslashes.
            let bytes = text.as_bytes();
            let slashes = |i: usize| bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
            if let Some(i) = (after..line_end).find(|&i| bytes[i] == b'"' && slashes(i) < esc) {
                line_end = i - slashes(i);
            }
        }
        let mut errors = Vec::new();
        let rest = text.get(after..line_end).unwrap_or("");
        let trimmed = rest.trim().trim_end_matches('\r');
        if !trimmed.is_empty() {
            let off = after + (rest.len() - rest.trim_start().len());
            let body = trimmed.strip_prefix('[').and_then(|b| b.strip_suffix(']'));
            let (body, off) = match body {
                Some(b) => (b, off + 1),
                None => (trimmed, off),
            };
            // Split `a: x, spec.b: y` at field boundaries.
            let mut start = 0;
            let bounds: Vec<usize> = body
                .match_indices(", ")
                .filter(|(i, _)| {
                    let next = &body[i + 2..];
                    crate::wording::any_prefix(next, crate::wording::phrases!["spec.", "metadata."])
                })
                .map(|(i, _)| i)
                .collect();
            for b in bounds.into_iter().chain(std::iter::once(body.len())) {
                let e = body.get(start..b).unwrap_or("").trim();
                if !e.is_empty() {
                    let mut e = e.to_string();
                    while esc > 0 && e.contains("\\\"") {
                        e = e.replace("\\\"", "\"");
                    }
                    errors.push((e, Span::new(input, off + start, off + b)));
                }
                start = b + 2;
            }
        }
        // `* field: …` lines below.
        let mut pos = line_end + 1;
        while let Some(line) = text.get(pos..).map(|r| r.split('\n').next().unwrap_or("")) {
            let t = line.trim_start();
            let Some(e) = t.strip_prefix("* ") else { break };
            let s = pos + (line.len() - t.len()) + 2;
            errors.push((
                e.trim_end().to_string(),
                Span::new(input, s, s + e.trim_end().len()),
            ));
            pos += line.len() + 1;
            if pos > text.len() {
                break;
            }
        }
        if errors.is_empty() {
            continue;
        }
        out.push(ApiInvalid {
            kind,
            name: name.to_string(),
            span: Span::new(input, line_start + kind_start, line_end),
            errors,
        });
    }
    out
}

/// Decoding and schema errors: `Job in version "v1" cannot be handled as a Job: strict
/// decoding error: unknown field "…"` (server-side field validation, also `json: cannot
/// unmarshal …` for a wrongly typed field) and the older client-side `error validating data:
/// ValidationError(Job.spec…): unknown field "…"`. The object's name is not in these lines.
/// The `kind` of an [`ApiInvalid`] that is a file kubectl could not parse.
pub const YAML: &str = "YAML";
/// The kind of an object known only as the patch `kubectl apply` sent.
const PATCH: &str = "patch";

pub fn find_decode_errors(text: &str, input: usize) -> Vec<ApiInvalid> {
    let mut out = Vec::new();
    for (s, e) in crate::span::lines(text) {
        let Some(line) = text.get(s..e) else { continue };
        let (kind, at) = if let Some(i) = line.find(" cannot be handled as a ") {
            let rest = &line[i + " cannot be handled as a ".len()..];
            let Some(colon) = rest.find(": ") else {
                continue;
            };
            let at = i + " cannot be handled as a ".len() + colon + 2;
            (rest[..colon].to_string(), at)
        } else if let Some(i) = line.find("error converting YAML to JSON: ") {
            // kubectl could not read the file: nothing reached the API server.
            (
                YAML.to_string(),
                i + "error converting YAML to JSON: ".len(),
            )
        } else if let Some(i) = line
            .find("error validating data: ValidationError(")
            .or_else(|| line.find("error validating data: [ValidationError("))
        {
            // One error, or kubectl's bracketed list of several.
            let at = i + "error validating data: ".len();
            let rest = line[at..].trim_start_matches('[');
            let rest = &rest["ValidationError(".len()..];
            (rest.split(['.', ')']).next().unwrap_or("").to_string(), at)
        } else if let Some(i) = line.find("error validating data: ") {
            // kubectl before 1.9: `error validating data: [field spec.template for v1.JobSpec
            // is required, found invalid field containers for v1.JobSpec]`.
            let at = i + "error validating data: ".len();
            let rest = &line[at..];
            let Some(f) = rest.find(" for ") else {
                continue;
            };
            let schema = rest[f + " for ".len()..]
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | ';'))
                .next()
                .unwrap_or("");
            let Some(ty) = schema.rsplit('.').next().filter(|_| schema.contains('.')) else {
                continue;
            };
            let kind = ty.strip_suffix("Spec").unwrap_or(ty);
            if !crate::wording::any_prefix(
                rest,
                crate::wording::phrases!["[field ", "[found ", "field ", "found "],
            ) {
                continue;
            }
            (kind.to_string(), at)
        } else if let Some(i) = line.find("strict decoding error: ") {
            // The apply-patch form names no kind: `The request is invalid: patch: Invalid
            // value: "map[…]": strict decoding error: unknown field "spec.volumes"`.
            (PATCH.to_string(), i + "strict decoding error: ".len())
        } else {
            continue;
        };
        if kind.is_empty() || !(kind == PATCH || kind.starts_with(|c: char| c.is_ascii_uppercase()))
        {
            continue;
        }
        let detail = line[at..]
            .split("; if you choose to ignore these errors")
            .next()
            .unwrap_or("")
            .trim_end();
        if detail.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        out.push(ApiInvalid {
            kind,
            name: String::new(),
            span: Span::new(input, s + lead, s + line.trim_end().len()),
            errors: list_items(detail)
                .into_iter()
                .map(|(a, b)| {
                    (
                        detail[a..b].to_string(),
                        Span::new(input, s + at + a, s + at + b),
                    )
                })
                .collect(),
        });
    }
    out
}

/// kubectl's "this cluster serves no such kind in that version" errors for a built-in kind:
/// `unable to recognize "j.yaml": no matches for kind "Job" in version "apps/v1"` (also after
/// `resource mapping not found for name: …`), the older `no matches for batch/, Kind=CronJob`
/// and `error validating data: couldn't find type: v1.Job`. A kind from an API group that is
/// not Kubernetes' own (`cert-manager.io/v1`) is a CustomResourceDefinition not installed, not
/// a wrong manifest, and is left out.
pub fn find_unknown_kinds(text: &str, input: usize) -> Vec<ApiInvalid> {
    let mut out = Vec::new();
    for (s, e) in crate::span::lines(text) {
        let Some(line) = text.get(s..e) else { continue };
        let found = if let Some(i) = line.find("no matches for kind \"") {
            let rest = &line[i + "no matches for kind \"".len()..];
            let kind = rest.split('"').next().unwrap_or("");
            let version = rest
                .split_once("in version \"")
                .and_then(|(_, v)| v.split('"').next())
                .unwrap_or("");
            let end = rest
                .find("in version \"")
                .and_then(|v| {
                    let from = v + "in version \"".len();
                    rest[from..].find('"').map(|q| from + q + 1)
                })
                .unwrap_or(kind.len() + 1);
            Some((kind, version, i, i + "no matches for kind \"".len() + end))
        } else if let Some(i) = line.find("no matches for ") {
            let rest = &line[i + "no matches for ".len()..];
            rest.split_once(", Kind=").map(|(group, k)| {
                let kind = k
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or("");
                let end = i + "no matches for ".len() + group.len() + ", Kind=".len() + kind.len();
                (kind, group, i, end)
            })
        } else if let Some(i) = line.find("couldn't find type: ") {
            let rest = &line[i + "couldn't find type: ".len()..];
            let ty = rest
                .split(|c: char| c.is_whitespace() || c == ';')
                .next()
                .unwrap_or("");
            let kind = ty.rsplit('.').next().unwrap_or("");
            Some((kind, "", i, i + "couldn't find type: ".len() + ty.len()))
        } else {
            None
        };
        let Some((kind, version, from, to)) = found else {
            continue;
        };
        let group = version.split('/').next().unwrap_or("");
        let builtin = !group.contains('.') || group.ends_with(".k8s.io");
        if !builtin || kind.is_empty() || !kind.starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let Some(detail) = line.get(from..to) else {
            continue;
        };
        let lead = line.len() - line.trim_start().len();
        out.push(ApiInvalid {
            kind: kind.to_string(),
            name: String::new(),
            span: Span::new(input, s + lead, s + line.trim_end().len()),
            errors: vec![(detail.to_string(), Span::new(input, s + from, s + to))],
        });
    }
    out
}

/// The items of an old kubectl's `[a, b, c]` validation list as byte ranges of `detail`; any
/// other detail is one item.
fn list_items(detail: &str) -> Vec<(usize, usize)> {
    let Some(inner) = detail.strip_prefix('[').and_then(|d| d.strip_suffix(']')) else {
        return vec![(0, detail.len())];
    };
    // `[ValidationError(Job.spec): …, ValidationError(Job.spec.template): …]`: an item's own
    // message may hold `, `, so items are cut only where the next one starts.
    if inner.starts_with("ValidationError(") {
        let starts: Vec<usize> = inner
            .match_indices("ValidationError(")
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || inner[..i].ends_with(", "))
            .collect();
        return starts
            .iter()
            .enumerate()
            .map(|(n, &a)| {
                let b = starts.get(n + 1).map_or(inner.len(), |&b| b - ", ".len());
                (1 + a, 1 + b)
            })
            .collect();
    }
    if !(crate::wording::any_prefix(inner, crate::wording::phrases!["field ", "found "])) {
        return vec![(0, detail.len())];
    }
    let mut out = Vec::new();
    let mut from = 1;
    for part in inner.split(", ") {
        if !part.is_empty() {
            out.push((from, from + part.len()));
        }
        from += part.len() + ", ".len();
    }
    out
}

fn field_help(error: &str) -> &'static str {
    let field = error.split(": ").next().unwrap_or("");
    if crate::wording::any_prefix(
        error,
        crate::wording::phrases!["no matches for", "couldn't find type"],
    ) {
        "this cluster serves no such kind in that `apiVersion`: a Job and a CronJob are `batch/v1` (CronJob since 1.21; `batch/v1beta1` was removed in 1.25, `apps/v1` never had them); check `kubectl api-resources` for the served version"
    } else if error.starts_with("yaml: ") {
        "the file is not valid YAML at the named line: check the indentation (spaces, not tabs), a missing `:`, or an unquoted value holding `: ` or ` #`"
    } else if crate::wording::any_in(
        error,
        crate::wording::phrases!["unknown field", "found invalid field"],
    ) {
        "the manifest has a field the API does not know: a misspelt key or one indented under the wrong parent"
    } else if error.contains("cannot unmarshal") {
        "a field has the wrong type, for example `command` or `args` written as a string instead of a list"
    } else if field.ends_with("restartPolicy") {
        if error.contains("podFailurePolicy") {
            "a `podFailurePolicy` requires `restartPolicy: Never` in the pod template"
        } else {
            "a Job's pod template must set `restartPolicy: Never` or `OnFailure`; a pod template without it defaults to `Always`, which Jobs reject (SDK helpers that build a Pod spec often leave the default)"
        }
    } else if field.contains("podFailurePolicy") {
        "every `podFailurePolicy` rule needs an `action` and exactly one of `onExitCodes` (ascending, unique, non-zero for `In`) or `onPodConditions`"
    } else if field.ends_with("backoffLimitPerIndex")
        || field.ends_with("maxFailedIndexes")
        || field.contains("successPolicy")
    {
        "per-index limits and `successPolicy` need `completionMode: Indexed` with `completions`"
    } else if error.contains("selector") {
        "the manifest carries the generated `selector`/`controller-uid` labels of an earlier Job: remove them, or set `manualSelector: true`"
    } else if error.contains("field is immutable") {
        "a Job's pod template and most of its spec cannot change after creation: delete the Job and create it again (or use a new name)"
    } else if field.ends_with("containers") || error.starts_with("field spec.template for") {
        "the pod template needs a `containers` list (check the indentation)"
    } else {
        "correct the named field and create the object again"
    }
}

impl Rule for JobRejectedByApi {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        // Fields the pasted manifests already show as invalid are reported (and fixed) by the
        // manifest rules.
        let mut covered: Vec<String> = Vec::new();
        for m in &ctx.facts.manifests {
            for p in validate_detailed(&m.root) {
                covered.push(p.field);
            }
        }
        let mut out = Vec::new();
        for (n, input) in ctx.inputs.iter().enumerate() {
            let decode = find_decode_errors(&input.text, n);
            let kinds = find_unknown_kinds(&input.text, n);
            let mut all: Vec<&ApiInvalid> = Vec::new();
            if let Some(found) = ctx.api_invalid.get(n) {
                all.extend(found);
            }
            all.extend(&decode);
            all.extend(&kinds);
            // A field under the wrong parent explains a `Required value` for it elsewhere
            // (`found invalid field spec for v1.ObjectMeta`, then `spec.containers: Required
            // value` once validation is off): the misplaced field is reported first.
            crate::order::sort_by_key(&mut all, |e| {
                !e.errors.iter().any(|(m, _)| {
                    crate::wording::any_in(
                        m,
                        crate::wording::phrases!["unknown field", "found invalid field"],
                    )
                })
            });
            for err in all {
                let errors: Vec<&(String, Span)> = err
                    .errors
                    .iter()
                    .filter(|(e, _)| !covered.iter().any(|f| e.starts_with(&format!("{f}:"))))
                    .collect();
                let Some((first, _)) = errors.first() else {
                    continue;
                };
                let parse = err.kind == YAML;
                let unmapped = crate::wording::any_prefix(
                    first,
                    crate::wording::phrases!["no matches for", "couldn't find type"],
                );
                let mut evidence = Vec::new();
                evidence.primary(
                    &err.span,
                    if parse {
                        "kubectl could not parse the file: nothing was sent to the API server"
                    } else if unmapped {
                        "kubectl found no API for this kind and version on the cluster: nothing was created"
                    } else {
                        "the API server rejected the object: it was never created"
                    },
                );
                for (e, s) in &errors {
                    evidence.context(s, field_help(e));
                }
                let object = if err.name.is_empty() {
                    format!("the {}", err.kind)
                } else {
                    format!("{} `{}`", err.kind, err.name)
                };
                let message = if parse {
                    format!("kubectl could not read the manifest: `{first}`")
                } else if unmapped {
                    format!("the cluster does not serve {object} in that apiVersion: `{first}`")
                } else if errors.len() == 1 {
                    format!("the API server rejected {object}: `{first}`")
                } else {
                    format!(
                        "the API server rejected {object}: `{first}` and {} more",
                        errors.len() - 1
                    )
                };
                let help = format!(
                    "{}; nothing ran, so there are no pods or logs to look at",
                    field_help(first)
                );
                let fix = if first
                    .split(": ")
                    .next()
                    .unwrap_or("")
                    .ends_with("restartPolicy")
                {
                    find_job(ctx, Some(&err.name)).and_then(|m| restart_policy_never(ctx, m))
                } else {
                    None
                };
                let mut f = finding(
                    &META,
                    95,
                    message,
                    help,
                    evidence,
                    strings(&["kubectl apply --dry-run=server -f job.yaml"]),
                    if parse {
                        strings(&["manifest file", "YAML parse error"])
                    } else {
                        vec![
                            if err.name.is_empty() {
                                err.kind.to_ascii_lowercase()
                            } else {
                                format!("{}/{}", err.kind.to_ascii_lowercase(), err.name)
                            },
                            first.split(": ").next().unwrap_or("").to_string(),
                        ]
                    },
                );
                f.fix = fix;
                out.push(f);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diagnose, Input};

    #[test]
    fn reads_single_and_bulleted_errors() {
        let t = "error: resource x was not successfully created by the Kubernetes API server : Job.batch \"create-user\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"\n";
        let found = find_api_invalid(t, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "Job");
        assert_eq!(found[0].name, "create-user");
        assert_eq!(found[0].errors[0].0, "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
        let s = found[0].errors[0].1;
        assert_eq!(&t[s.start..s.end], found[0].errors[0].0);
        let t = "The Job \"pi\" is invalid: \n* spec.template.spec.containers: Required value\n* spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"\n";
        let found = find_api_invalid(t, 0);
        assert_eq!(found[0].errors.len(), 2);
        let t = "The Job \"pi\" is invalid: [spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0, spec.completions: Invalid value: -2: must be greater than or equal to 0]";
        assert_eq!(find_api_invalid(t, 0)[0].errors.len(), 2);
        assert!(find_api_invalid("this job is invalid: because", 0).is_empty());
        // An object without a name yet (Helm's rendering of a chart).
        let t = "Error: release failed: Deployment.apps \"\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"\n";
        let found = find_api_invalid(t, 0);
        assert_eq!(
            (found[0].kind.as_str(), found[0].name.as_str()),
            ("Deployment", "")
        );
        assert!(found[0].errors[0]
            .0
            .starts_with("spec.template.spec.restartPolicy:"));
        assert!(find_api_invalid("the value \"\" is invalid: empty", 0).is_empty());
    }

    #[test]
    fn reads_the_message_of_a_status_body_with_escaped_quotes() {
        let t = r#"HTTP response body: {"kind":"Status","status":"Failure","message":"Job.batch \"test-job\" is invalid: [spec.template.spec.containers: Required value, spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: OnFailure, Never]","reason":"Invalid","code":422}"#;
        let found = find_api_invalid(t, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].kind.as_str(), found[0].name.as_str()),
            ("Job", "test-job")
        );
        let errors: Vec<&str> = found[0].errors.iter().map(|(e, _)| e.as_str()).collect();
        assert_eq!(
            errors,
            [
                "spec.template.spec.containers: Required value",
                "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: OnFailure, Never"
            ]
        );
        // The evidence ends with the JSON string, not with the line.
        assert!(t[found[0].span.start..found[0].span.end].ends_with("OnFailure, Never]"));
        // A message escaped twice (JSON inside a JSON string, as Ansible prints it).
        let t = r#"{"msg": "Failed to patch object: b'{\"message\":\"Job.batch \\\"migrate\\\" is invalid: spec.template: Invalid value: core.PodTemplateSpec{}: field is immutable\",\"code\":422}'"}"#;
        let found = find_api_invalid(t, 0);
        assert_eq!(found[0].name, "migrate");
        assert_eq!(found[0].errors.len(), 1);
        assert!(found[0].errors[0].0.ends_with("field is immutable"));
        // A quoted name that is no object's: no kind before it.
        assert!(find_api_invalid(r#"{"msg":"\"x\" is invalid: y"}"#, 0).is_empty());
        assert!(find_api_invalid(r#"echo \"job\" is invalid: y"#, 0).is_empty());
    }

    #[test]
    fn reads_decoding_and_schema_errors() {
        let t = "Error from server (BadRequest): error when creating \"j.yaml\": Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.template.spec.containers[0].cmd\"\n";
        let found = find_decode_errors(t, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "Job");
        let (e, s) = &found[0].errors[0];
        assert_eq!(&t[s.start..s.end], e);
        assert!(e.starts_with("strict decoding error: unknown field"));
        let t = "error: error validating \"cj.yaml\": error validating data: ValidationError(CronJob.spec.jobTemplate.spec.template.spec.containers[0]): unknown field \"cmd\" in io.k8s.api.core.v1.Container; if you choose to ignore these errors, turn validation off with --validate=false\n";
        let found = find_decode_errors(t, 0);
        assert_eq!(found[0].kind, "CronJob");
        assert!(found[0].errors[0]
            .0
            .ends_with("in io.k8s.api.core.v1.Container"));
        let r = diagnose(&[Input::new("paste", t)]);
        assert_eq!(r.findings[0].code, "PM106");
        assert!(r.findings[0]
            .message
            .starts_with("the API server rejected the CronJob"));
        assert!(find_decode_errors("it cannot be handled as a favour", 0).is_empty());
        let t = "error: error parsing j.yaml: error converting YAML to JSON: yaml: line 3: did not find expected key\n";
        let r = diagnose(&[Input::new("paste", t)]);
        assert_eq!(r.findings[0].code, "PM106");
        assert_eq!(
            r.findings[0].message,
            "kubectl could not read the manifest: `yaml: line 3: did not find expected key`"
        );
    }

    /// The errors of the one Job rejection `find_decode_errors` reads in `t`, each checked to be
    /// the text under its span.
    fn job_errors(t: &str) -> Vec<String> {
        let found = find_decode_errors(t, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "Job");
        for (e, s) in &found[0].errors {
            assert_eq!(&t[s.start..s.end], e);
        }
        found[0].errors.iter().map(|(e, _)| e.clone()).collect()
    }

    #[test]
    fn reads_old_kubectl_validation_lists() {
        let t = "error: error validating \"b.yaml\": error validating data: [field spec.template for v1.JobSpec is required, found invalid field containers for v1.JobSpec]; if you choose to ignore these errors, turn validation off with --validate=false\n";
        assert_eq!(
            job_errors(t),
            [
                "field spec.template for v1.JobSpec is required",
                "found invalid field containers for v1.JobSpec"
            ]
        );
        // A validation message of another shape is not read as a schema error.
        assert!(find_decode_errors("error validating data: the server is busy\n", 0).is_empty());
    }

    #[test]
    fn finding_without_manifest() {
        let t = "kubectl apply -f pi.yaml\nThe Job \"pi\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"\n";
        let r = diagnose(&[Input::new("paste", t)]);
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "PM106")
            .expect("finding");
        assert!(f.message.starts_with("the API server rejected Job `pi`"));
        assert!(f.help.contains("restartPolicy: Never"));
    }

    #[test]
    fn reads_unknown_kind_errors_for_builtin_kinds_only() {
        let t = "error: unable to recognize \"STDIN\": no matches for kind \"Job\" in version \"apps/v1\"\n\
                 error: resource mapping not found for name: \"c\" namespace: \"\" from \"c.yaml\": no matches for kind \"CronJob\" in version \"batch/v1beta1\"\n\
                 unable to recognize \"j.yaml\": no matches for batch/, Kind=CronJob\n\
                 error validating \"j.yaml\": error validating data: couldn't find type: v1.Job; if you choose to ignore these errors, turn validation off with --validate=false\n";
        let found = find_unknown_kinds(t, 0);
        let kinds: Vec<&str> = found.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["Job", "CronJob", "CronJob", "Job"]);
        assert_eq!(
            found[0].errors[0].0,
            "no matches for kind \"Job\" in version \"apps/v1\""
        );
        assert_eq!(found[3].errors[0].0, "couldn't find type: v1.Job");
        let r = diagnose(&[Input::new("paste", t)]);
        assert_eq!(r.primary_cause, Cause::ManifestInvalid);
        // A custom resource whose CRD is missing is not a wrong manifest.
        let crd = "error: resource mapping not found for name: \"web\" namespace: \"\" from \"c.yaml\": no matches for kind \"Certificate\" in version \"cert-manager.io/v1\"\nensure CRDs are installed first\n";
        assert!(find_unknown_kinds(crd, 0).is_empty());
        assert!(find_unknown_kinds("no matches found for pod web\n", 0).is_empty());
    }

    #[test]
    fn kubectls_bracketed_list_and_the_apply_patch_form() {
        let t = "error: error validating \"j.yaml\": error validating data: [ValidationError(Job.spec): invalid type for io.k8s.api.batch.v1.JobSpec.backoffLimit: got \"string\", expected \"integer\", ValidationError(Job.spec.template.spec): unknown field \"bogus\" in io.k8s.api.core.v1.PodSpec]; if you choose to ignore these errors, turn validation off with --validate=false\n";
        assert_eq!(
            job_errors(t),
            [
                "ValidationError(Job.spec): invalid type for io.k8s.api.batch.v1.JobSpec.backoffLimit: got \"string\", expected \"integer\"",
                "ValidationError(Job.spec.template.spec): unknown field \"bogus\" in io.k8s.api.core.v1.PodSpec",
            ]
        );
        let patch = "The request is invalid: patch: Invalid value: \"map[spec:map[]]\": strict decoding error: unknown field \"spec.volumes\"\n";
        let found = find_decode_errors(patch, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].errors[0].0, "unknown field \"spec.volumes\"");
    }

    #[test]
    fn a_misplaced_field_outranks_the_missing_field_it_caused() {
        let t = "error: error validating \"p.yaml\": error validating data: found invalid field spec for v1.ObjectMeta; if you choose to ignore these errors, turn validation off with --validate=false\nThe Pod \"kuard\" is invalid: spec.containers: Required value\n";
        let r = crate::diagnose(&[crate::Input::new("paste", t)]);
        let first = r.findings.first().map(|f| f.message.as_str()).unwrap_or("");
        assert!(first.contains("found invalid field spec"), "{first}");
    }
}
