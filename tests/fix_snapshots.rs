//! Fix fixtures end to end: real manifests (the corpus cases that carry one) and manifests
//! with comments and unusual layouts, through `diagnose` and through each fix builder. Each
//! case is a snapshot under `tests/snapshots/fix/` holding the fixes, their reasoning, the
//! unified diff and the corrected manifest; every corrected manifest is also checked by a
//! second YAML parser, by the Job validation, and for convergence (fixing again changes
//! nothing).

mod fix_support;

use fix_support::{lookup, second_parser_documents, snapshot};
use podmortem::fix::{self, advice, job, memory, resources, Fix};
use podmortem::parse::parse;
use podmortem::parse::quantity::Quantity;
use podmortem::rules::Context;
use podmortem::{diagnose, Input};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Input {
    let path = root().join("tests/fix_fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{}", path.display()));
    Input::new(name, text)
}

fn corpus_inputs(dir: &Path) -> Vec<Input> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("case dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("input"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("input");
            Input::new(name, std::fs::read_to_string(p).expect("input"))
        })
        .collect()
}

/// The fix part of a report, as reviewed in the snapshot.
fn render_report(inputs: &[Input]) -> String {
    let report = diagnose(inputs);
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!("finding {} {}: {}\n", f.code, f.name, f.message));
        if let Some(x) = &f.fix {
            out.push_str(&format!("  fix: {}\n", x.title));
        }
    }
    if let Some(m) = &report.corrected_manifest {
        out.push_str(&format!(
            "\ncorrected manifest (input {}, reconstructed: {}):\n",
            m.input, m.reconstructed
        ));
        for (t, reasons) in &m.applied {
            out.push_str(&format!("  applied: {t}\n"));
            for r in reasons {
                out.push_str(&format!("    - {r}\n"));
            }
        }
        for u in &m.unrecovered {
            out.push_str(&format!("  not recovered: {u}\n"));
        }
        out.push_str("\n--- diff\n");
        out.push_str(&m.diff);
        out.push_str("--- after\n");
        out.push_str(&m.text.replace('\r', "\\r"));
        check_corrected(&m.text);
        // Converged: diagnosing the corrected paste proposes no further change.
        if !m.reconstructed {
            let mut again = inputs.to_vec();
            let i = &mut again[m.input];
            i.text = format!(
                "{}{}{}",
                &i.text[..m.region.start],
                m.text,
                &i.text[m.region.end..]
            );
            let second = diagnose(&again);
            assert!(
                second.corrected_manifest.is_none(),
                "fixing the corrected manifest changes it again:\n{:?}",
                second.corrected_manifest.map(|m| m.diff)
            );
        }
    } else {
        out.push_str("\nno corrected manifest\n");
    }
    for w in &report.withheld {
        out.push_str(&format!("withheld: {} ({})\n", w.title, w.reason));
    }
    for a in &report.advice {
        out.push_str(&format!("advice: {}\n", a.title));
        for s in &a.snippets {
            out.push_str(&format!("  [{}] {}\n{}\n", s.language, s.title, s.text));
        }
    }
    out
}

/// Independent checks on a corrected manifest.
fn check_corrected(text: &str) {
    let docs = second_parser_documents(text);
    let (ours, err) = podmortem::parse::yaml::parse_documents(text);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(
        docs.len(),
        ours.len(),
        "both parsers see the same documents"
    );
    for (d, v) in ours.iter().zip(&docs) {
        // The restart policy both parsers read is the same.
        if let Some(p) = podmortem::fix::yaml_edit::pod_spec_path(&d.root) {
            let path = podmortem::fix::yaml_edit::path_string(&p) + ".restartPolicy";
            let a = podmortem::fix::yaml_edit::locate(
                &d.root,
                &podmortem::fix::yaml_edit::parse_path(&path).unwrap_or_default(),
            )
            .and_then(|n| n.as_str());
            let b = lookup(v, &path).and_then(|x| x.as_str());
            assert_eq!(a, b, "{path}");
        }
    }
}

#[test]
fn corpus_cases_with_manifests() {
    let dir = root().join("tests/corpus");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.toml").exists())
        // The cases that carry a manifest (or a kubeconfig / API error about one).
        .filter(|p| {
            corpus_inputs(p).iter().any(|i| {
                i.text.contains("apiVersion:")
                    || i.text.contains("apiVersion\":")
                    || i.text.contains("\" is invalid: ")
            })
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "{cases:?}");
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("case");
        let inputs = corpus_inputs(&case);
        snapshot(&format!("fix/corpus-{name}.txt"), &render_report(&inputs));
    }
}

#[test]
fn diagnose_fixtures() {
    let cases: &[(&str, &[&str])] = &[
        (
            "oom-crlf-quoted",
            &["oom-describe.txt", "job-crlf-quoted.yaml"],
        ),
        ("oom-reconstructed", &["oom-describe.txt"]),
        (
            "cronjob-multidoc-restart-always",
            &["cronjob-multidoc.yaml"],
        ),
        ("fetched-selector", &["job-fetched.yaml"]),
        ("flow-json-withheld", &["job-flow.json"]),
        ("anchors-withheld", &["job-anchors.yaml"]),
        // Fixes wired into the runtime-evidence rules.
        (
            "wired-app-error-fail-job",
            &["app-error-describe-and-job.txt"],
        ),
        (
            "wired-deadline-from-progress",
            &["deadline-describe-job-and-manifest.txt"],
        ),
        ("wired-hpa-cpu-request", &["hpa-events-and-deployment.txt"]),
        ("wired-image-pull-secret", &["image-pull-auth.txt"]),
        ("wired-configmap-missing", &["configmap-missing.txt"]),
        ("wired-swap", &["swap-kubeadm.txt"]),
    ];
    for (name, files) in cases {
        let inputs: Vec<Input> = files.iter().map(|f| fixture(f)).collect();
        snapshot(&format!("fix/{name}.txt"), &render_report(&inputs));
    }
}

type Builder = fn(&Context) -> Option<Fix>;

fn render_fix(inputs: &[Input], build: Builder) -> String {
    let parsed = parse(inputs);
    let ctx = Context::new(inputs, &parsed.facts);
    let Some(fx) = build(&ctx) else {
        return "no fix\n".into();
    };
    let mut out = format!("title: {}\n", fx.title);
    for r in &fx.reasoning {
        out.push_str(&format!("  - {r}\n"));
    }
    for s in &fx.snippets {
        out.push_str(&format!("[{}] {}\n{}\n", s.language, s.title, s.text));
    }
    if !fx.edits_manifest() {
        if let Some(r) = &fx.refused {
            out.push_str(&format!("refused: {r}\n"));
        }
        return out;
    }
    let input = &inputs[fx.region.input];
    match fix::check(&input.text, &fx) {
        Ok(text) => {
            check_corrected(&text);
            let before = fx.region.text(&input.text);
            let old_problems: usize = podmortem::parse::yaml::parse_documents(before)
                .0
                .iter()
                .map(|d| fix::validate::validate(&d.root).len())
                .sum();
            let new_problems: usize = podmortem::parse::yaml::parse_documents(&text)
                .0
                .iter()
                .map(|d| fix::validate::validate(&d.root).len())
                .sum();
            assert!(
                new_problems <= old_problems,
                "the fix adds validation problems"
            );
            out.push_str("--- diff\n");
            out.push_str(&fix::diff::unified(before, &fx.local_edits(), "a", "b"));
            out.push_str("--- after\n");
            out.push_str(&text.replace('\r', "\\r"));
            // Idempotent: building the fix again on the corrected text proposes nothing.
            let mut again = inputs.to_vec();
            again[fx.region.input].text = format!(
                "{}{}{}",
                &input.text[..fx.region.start],
                text,
                &input.text[fx.region.end..]
            );
            let parsed = parse(&again);
            let ctx = Context::new(&again, &parsed.facts);
            if let Some(second) = build(&ctx) {
                assert!(
                    second.edits.is_empty(),
                    "the fix changes its own output again: {}",
                    second.title
                );
            }
        }
        Err(reason) => out.push_str(&format!("withheld: {reason}\n")),
    }
    out
}

#[test]
fn builder_fixtures() {
    let cases: Vec<(&str, &[&str], Builder)> = vec![
        ("builder-oom-crlf", &["job-crlf-quoted.yaml"], |ctx| {
            memory::raise_memory_limit(
                ctx,
                Some("worker"),
                Quantity::parse("256Mi").ok().map(|q| (q, "256Mi".into())),
                3,
            )
        }),
        ("builder-fail-job-crlf", &["job-crlf-quoted.yaml"], |ctx| {
            job::fail_job_on_exit_code(ctx, Some("worker"), 3)
        }),
        (
            "builder-fail-job-cronjob",
            &["cronjob-multidoc.yaml"],
            |ctx| job::fail_job_on_exit_code(ctx, None, 2),
        ),
        ("builder-fail-job-anchors", &["job-anchors.yaml"], |ctx| {
            job::fail_job_on_exit_code(ctx, Some("main"), 3)
        }),
        ("builder-backoff-limit", &["job-crlf-quoted.yaml"], |ctx| {
            job::raise_backoff_limit(ctx, Some(4), 2)
        }),
        ("builder-per-index", &["job-shards.yaml"], |ctx| {
            job::backoff_limit_per_index(ctx, 2, Some(2))
        }),
        ("builder-per-index-already", &["job-indexed.yaml"], |ctx| {
            job::backoff_limit_per_index(ctx, 2, None)
        }),
        ("builder-deadline", &["job-crlf-quoted.yaml"], |ctx| {
            job::extend_active_deadline(ctx, 3600, Some((3, 8)))
        }),
        (
            "builder-ttl-cronjob",
            &["cronjob-multidoc.yaml"],
            job::add_ttl_after_finished,
        ),
        (
            "builder-cpu-request-from-limit",
            &["deployment-hpa.yaml"],
            |ctx| resources::add_cpu_request(ctx, Some("web"), Some("app=web"), None),
        ),
        (
            "builder-cpu-request-no-figure",
            &["deployment-hpa.yaml"],
            |ctx| {
                resources::add_cpu_request(ctx, Some("log-shipper"), Some("app=web"), Some("shop"))
            },
        ),
        ("builder-restart-policy-flow", &["job-flow.json"], |ctx| {
            job::restart_policy_never(ctx, job::find_job(ctx, None)?)
        }),
        ("advice-swap", &[], |_| Some(advice::swap(Some("node-1")))),
        (
            "advice-kubeconfig-placeholders-061",
            &["../corpus/061-kubeconfig-yaml-parse-error-placeholders/input.txt"],
            |ctx| advice::kubeconfig_placeholders(&ctx.inputs[0].text),
        ),
        ("advice-kubeconfig", &[], |_| {
            Some(advice::kubeconfig_field(
                "user",
                "eks-admin",
                "token",
                "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbQ",
                "the token is wrapped in `<…>` placeholder brackets",
            ))
        }),
        ("advice-image-pull", &[], |_| {
            Some(advice::image_pull_secret(
                "registry.gitlab.com/acme/api:1.2",
                None,
                Some("ci"),
                None,
            ))
        }),
        ("advice-configmap", &[], |_| {
            Some(advice::missing_config_ref(
                "configmap",
                "etl-config",
                Some("url"),
                Some("data"),
            ))
        }),
        ("advice-command-not-found", &[], |_| {
            Some(advice::command_not_found(
                "bitnami/elasticsearch-curator:5.8.1",
                "--config",
            ))
        }),
    ];
    for (name, files, build) in cases {
        let inputs: Vec<Input> = files.iter().map(|f| fixture(f)).collect();
        snapshot(&format!("fix/{name}.txt"), &render_fix(&inputs, build));
    }
}

/// Inputs the `fix_validity` fuzz target once failed on: the text after the first NUL is the
/// paste. Each must diagnose without panicking, and its corrected manifest must parse with
/// both parsers and, when it edits the paste, converge.
#[test]
fn fuzz_regressions() {
    let dir = root().join("tests/fix_fuzz_regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fix_fuzz_regressions") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let rest = match bytes.iter().position(|b| *b == 0) {
            Some(i) => &bytes[i + 1..],
            None => &bytes[..],
        };
        let Ok(text) = std::str::from_utf8(rest) else {
            continue;
        };
        n += 1;
        let inputs = [Input::new("paste", text)];
        let report = diagnose(&inputs);
        if let Some(m) = &report.corrected_manifest {
            // Pastes with control characters are refused by libyaml before and after the fix;
            // what the second parser read before it must read after.
            let before = if m.reconstructed {
                ""
            } else {
                &text[m.region.start..m.region.end]
            };
            if fix_support::second_parser_accepts(before) {
                second_parser_documents(&m.text);
            }
            let (_, err) = podmortem::parse::yaml::parse_documents(&m.text);
            assert!(err.is_none(), "{}", path.display());
        }
    }
    assert!(n >= 3);
}
