//! The visible corpus end to end: each case in `tests/corpus/<name>/` (inputs + `case.toml`)
//! is diagnosed; its `root_cause` must be the report's primary cause and the primary finding's
//! evidence spans must cover every `evidence` string of the case (located by substring in the
//! inputs). A per-class table is printed (`cargo test --test corpus_e2e -- --nocapture`).
//!
//! A case whose root cause no registered rule can produce yet is listed as such and not failed,
//! so the table tells which classes are still missing; every other case must be right.

mod labelled;

use labelled::assert_advice_follows_evidence;
use podmortem::cause::Cause;
use podmortem::{diagnose, rules, Input};
use std::collections::BTreeMap;
use std::path::Path;

/// A TOML basic string starting at `s` (just after the opening quote): its value and the rest.
fn basic_string(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                'u' => {
                    let hex: String = (0..4).filter_map(|_| chars.next().map(|x| x.1)).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// `key = "value"` or `key = ["a", "b"]` (possibly over several lines) from a case.toml.
fn strings(toml: &str, key: &str) -> Vec<String> {
    let Some(at) = toml
        .lines()
        .scan(0usize, |pos, l| {
            let here = *pos;
            *pos += l.len() + 1;
            Some((here, l))
        })
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(p, _)| p)
    else {
        return Vec::new();
    };
    let rest = &toml[at..];
    let rest = rest[rest.find('=').map(|i| i + 1).unwrap_or(0)..].trim_start();
    if let Some(r) = rest.strip_prefix('"') {
        return basic_string(r).map(|(v, _)| vec![v]).unwrap_or_default();
    }
    let Some(mut r) = rest.strip_prefix('[') else {
        return Vec::new();
    };
    let mut out = Vec::new();
    loop {
        r = r.trim_start_matches([' ', '\n', '\r', '\t', ',']);
        if let Some(x) = r.strip_prefix('"') {
            let Some((v, next)) = basic_string(x) else {
                break;
            };
            out.push(v);
            r = next;
        } else {
            break;
        }
    }
    out
}

struct Outcome {
    class: String,
    correct: bool,
    covered: bool,
    has_rule: bool,
    detail: String,
}

fn run_case(dir: &Path) -> Outcome {
    let toml = std::fs::read_to_string(dir.join("case.toml")).expect("case.toml");
    let class = strings(&toml, "root_cause").pop().expect("root_cause");
    let files = strings(&toml, "input_files");
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(f)).expect("input file");
            Input::new(f.clone(), String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect();
    let report = diagnose(&inputs);
    let want = Cause::from_slug(&class).expect("a vocabulary slug");
    let has_rule = want == Cause::Unknown || rules::ALL.iter().any(|r| r.meta().cause == want);
    let correct = report.primary_cause == want;
    // Retry advice follows the evidence on real pastes too.
    assert_advice_follows_evidence(&dir.display().to_string(), &report);
    let mut missing = Vec::new();
    if let Some(primary) = report.findings.first().filter(|_| correct) {
        for ev in strings(&toml, "evidence") {
            let hit = inputs.iter().enumerate().any(|(n, inp)| {
                inp.text.match_indices(ev.as_str()).any(|(at, _)| {
                    primary.evidence.iter().any(|e| {
                        e.span.input == n && e.span.start < at + ev.len() && at < e.span.end
                    })
                })
            });
            if !hit {
                missing.push(ev);
            }
        }
    }
    let secondary: Vec<String> = strings(&toml, "secondary_causes")
        .into_iter()
        .filter(|s| !report.findings.iter().skip(1).any(|f| f.cause.slug() == s))
        .collect();
    let detail = format!(
        "{}: primary `{}` (want `{class}`){}{}",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or(""),
        report.primary_cause.slug(),
        if secondary.is_empty() {
            String::new()
        } else {
            format!(", secondary causes not among the findings: {secondary:?}")
        },
        if missing.is_empty() {
            String::new()
        } else {
            format!(", evidence not covered: {missing:?}")
        }
    );
    Outcome {
        class,
        correct,
        covered: correct && missing.is_empty() && secondary.is_empty(),
        has_rule,
        detail,
    }
}

#[test]
fn the_toml_reader_handles_escapes_and_arrays() {
    let t = "root_cause = \"app-error\"\nevidence = [\n  \"a \\\"q\\\" \\\\ b\",\n  \"c\"\n]\ninput_files = [\"input.txt\"]\n";
    assert_eq!(strings(t, "root_cause"), ["app-error"]);
    assert_eq!(strings(t, "evidence"), ["a \"q\" \\ b", "c"]);
    assert_eq!(strings(t, "input_files"), ["input.txt"]);
    assert!(strings(t, "nothing").is_empty());
}

#[test]
fn corpus_primary_cause_and_evidence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.toml").exists())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 28,
        "the visible corpus is copied into tests/corpus"
    );
    let outcomes: Vec<Outcome> = dirs.iter().map(|d| run_case(d)).collect();
    let mut table: BTreeMap<&str, (usize, usize, usize, bool)> = BTreeMap::new();
    for o in &outcomes {
        let row = table
            .entry(o.class.as_str())
            .or_insert((0, 0, 0, o.has_rule));
        row.0 += 1;
        row.1 += usize::from(o.correct);
        row.2 += usize::from(o.covered);
    }
    let mut out =
        String::from("| class | cases | correct | evidence covered |\n| --- | --- | --- | --- |\n");
    let (mut n, mut c, mut e) = (0, 0, 0);
    for (class, (cases, correct, covered, has_rule)) in &table {
        let note = if *has_rule {
            ""
        } else {
            " (no rule on this branch)"
        };
        out.push_str(&format!(
            "| {class}{note} | {cases} | {correct} | {covered} |\n"
        ));
        n += cases;
        c += correct;
        e += covered;
    }
    out.push_str(&format!("| **all** | {n} | {c} | {e} |\n"));
    println!("{out}");
    let failures: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.has_rule && !o.covered)
        .map(|o| o.detail.as_str())
        .collect();
    for o in outcomes.iter().filter(|o| !o.has_rule) {
        println!("not checked (no rule for the class yet): {}", o.detail);
    }
    for o in outcomes
        .iter()
        .filter(|o| o.has_rule && o.detail.contains("secondary"))
    {
        println!("note: {}", o.detail);
    }
    assert!(
        failures.is_empty(),
        "corpus cases wrong:\n{}",
        failures.join("\n")
    );
}
