//! The binary report form (`report::wire`): every corpus case, hold-out paste and web example
//! decodes to a report that renders the same (JSON, Markdown, text) and equals the original
//! but for the fix-stage fields it does not carry; inputs round-trip; corrupt, truncated and
//! mutated bytes give an error, never a panic.

use podmortem::report::wire::{self, decode, decode_inputs, encode, encode_inputs};
use podmortem::report::{json, markdown, text};
use podmortem::{diagnose, Input, Report};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    v.sort();
    v
}

/// The corpus cases' inputs, as `tests/corpus_e2e.rs` reads them (`input_files` of case.toml).
fn corpus() -> Vec<(String, Vec<Input>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    sorted_dir(&root)
        .into_iter()
        .filter(|d| d.join("case.toml").exists())
        .map(|dir| {
            let toml = read(&dir.join("case.toml"));
            let line = toml
                .lines()
                .find(|l| l.trim_start().starts_with("input_files"))
                .unwrap_or_else(|| panic!("{}: no input_files", dir.display()));
            let files: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
            assert!(!files.is_empty(), "{}: empty input_files", dir.display());
            let inputs = files
                .iter()
                .map(|f| Input::new(*f, read(&dir.join(f))))
                .collect();
            (dir.display().to_string(), inputs)
        })
        .collect()
}

/// One-paste cases from a directory of pastes (hold-out set, web examples).
fn pastes(dir: &str) -> Vec<(String, Vec<Input>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    sorted_dir(&root)
        .into_iter()
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "EXPECTED.tsv"))
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (p.display().to_string(), vec![Input::new(name, read(&p))])
        })
        .collect()
}

/// The report as decoded: the fix-stage fields are not carried.
fn without_fix_stage(r: &Report) -> Report {
    let mut r = r.clone();
    for f in &mut r.findings {
        if let Some(x) = f.fix.as_mut() {
            x.edits.clear();
            x.expect.clear();
        }
    }
    r
}

fn check(label: &str, inputs: &[Input]) -> usize {
    let r = diagnose(inputs);
    let bytes = encode(&r);
    let d = decode(&bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(
        json::render(&d, inputs),
        json::render(&r, inputs),
        "{label}: JSON"
    );
    assert_eq!(
        markdown::render(&d, inputs),
        markdown::render(&r, inputs),
        "{label}: Markdown"
    );
    assert_eq!(
        text::render(&d, inputs),
        text::render(&r, inputs),
        "{label}: text"
    );
    assert_eq!(d, without_fix_stage(&r), "{label}: report");
    // Encoding is deterministic and the decoded report encodes to the same bytes.
    assert_eq!(encode(&d), bytes, "{label}: re-encoding");
    bytes.len()
}

#[test]
fn every_corpus_case_round_trips() {
    let cases = corpus();
    assert!(cases.len() >= 20, "corpus cases: {}", cases.len());
    // (encoded, pretty JSON, compact JSON, case) of the largest report.
    let mut largest = (0, 0, 0, String::new());
    let mut with_fix = 0;
    for (label, inputs) in &cases {
        let n = check(label, inputs);
        let r = diagnose(inputs);
        with_fix += r.findings.iter().filter(|f| f.fix.is_some()).count();
        let text = json::render(&r, inputs);
        let pretty = text.len();
        if pretty > largest.1 {
            let value: serde_json::Value =
                serde_json::from_str(&text).expect("the JSON report parses");
            let compact = value.to_string().len();
            largest = (n, pretty, compact, label.clone());
        }
    }
    // The corpus exercises fixes, so the fix fields are part of what was compared.
    assert!(with_fix > 0);
    println!(
        "largest report: {} — {} bytes encoded, JSON {} bytes pretty, {} compact",
        largest.3, largest.0, largest.1, largest.2
    );
}

#[test]
fn every_holdout_paste_round_trips() {
    let cases = pastes("tests/holdout");
    assert!(cases.len() >= 50, "hold-out pastes: {}", cases.len());
    for (label, inputs) in &cases {
        check(label, inputs);
    }
}

#[test]
fn every_web_example_round_trips() {
    let cases = pastes("src/web/examples");
    assert!(!cases.is_empty());
    for (label, inputs) in &cases {
        check(label, inputs);
    }
}

#[test]
fn several_inputs_and_no_input_round_trip() {
    let mut many: Vec<Input> = corpus()
        .into_iter()
        .filter(|(_, i)| i.len() > 1)
        .flat_map(|(_, i)| i)
        .collect();
    many.extend(
        pastes("tests/holdout")
            .into_iter()
            .take(3)
            .flat_map(|(_, i)| i),
    );
    assert!(many.len() >= 5);
    check("several inputs", &many);
    check("no input", &[]);
    check("an empty paste", &[Input::new("paste 1", "")]);
}

#[test]
fn a_wrong_magic_or_version_is_refused() {
    let inputs = vec![Input::new("paste 1", "Reason: OOMKilled\nExit Code: 137\n")];
    let bytes = encode(&diagnose(&inputs));
    assert_eq!(&bytes[..4], &wire::REPORT_MAGIC);
    assert!(decode(&bytes).is_ok());

    let mut other = bytes.clone();
    other[0] = b'X';
    let err = decode(&other).expect_err("an error");
    assert_eq!(err.offset, 0);
    assert!(err.to_string().contains("not a podmortem payload"), "{err}");

    let mut version = bytes.clone();
    version[3] = b'2';
    let err = decode(&version).expect_err("an error");
    assert_eq!(err.offset, 3);
    assert!(err.to_string().contains("version"), "{err}");

    // Inputs are not a report, nor the other way round.
    assert!(decode(&encode_inputs(&inputs)).is_err());
    assert!(decode_inputs(&bytes).is_err());
    assert!(decode(b"PMR").is_err());
    assert!(decode(b"").is_err());

    let mut trailing = bytes;
    trailing.push(0);
    assert_eq!(
        decode(&trailing).expect_err("an error").what,
        "trailing bytes"
    );
}

#[test]
fn an_unknown_rule_code_is_refused() {
    let inputs = vec![Input::new("paste 1", "Reason: OOMKilled\nExit Code: 137\n")];
    let r = diagnose(&inputs);
    let code = r.findings.first().expect("a finding").code;
    let mut bytes = encode(&r);
    let at = bytes
        .windows(code.len())
        .position(|w| w == code.as_bytes())
        .expect("the code in the bytes");
    bytes[at + 2] = b'9';
    bytes[at + 3] = b'9';
    bytes[at + 4] = b'9';
    let err = decode(&bytes).expect_err("an error");
    assert_eq!(err.what, "unknown rule code");
    assert_eq!(err.offset, at - 1);
}

fn sample() -> (Vec<u8>, Vec<u8>) {
    // A report with findings, a fix, advice and a corrected manifest.
    let case = corpus()
        .into_iter()
        .map(|(_, i)| i)
        .find(|i| {
            let r = diagnose(i);
            (r.corrected_manifest.is_some() && !r.advice.is_empty()) || r.findings.len() > 2
        })
        .expect("a rich corpus case");
    (encode(&diagnose(&case)), encode_inputs(&case))
}

#[test]
fn every_truncation_is_an_error() {
    let (report, inputs) = sample();
    for n in 0..report.len() {
        assert!(decode(&report[..n]).is_err(), "report cut at {n}");
    }
    for n in 0..inputs.len() {
        assert!(decode_inputs(&inputs[..n]).is_err(), "inputs cut at {n}");
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9 :\\-\n]{0,40}",
        any::<String>(),
        "[é☃日本🦀\u{0}\r\n\t ]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn inputs_round_trip(v in prop::collection::vec((text(), text()), 0..6)) {
        let inputs: Vec<Input> = v.into_iter().map(|(n, t)| Input::new(n, t)).collect();
        prop_assert_eq!(decode_inputs(&encode_inputs(&inputs)), Ok(inputs));
    }

    #[test]
    fn arbitrary_bytes_never_panic(tail in prop::collection::vec(any::<u8>(), 0..300), head in 0usize..3) {
        // Some with a valid header, so the decoders get past it.
        let mut bytes = match head {
            0 => wire::REPORT_MAGIC.to_vec(),
            1 => wire::INPUTS_MAGIC.to_vec(),
            _ => Vec::new(),
        };
        bytes.extend(tail);
        let _ = decode(&bytes);
        let _ = decode_inputs(&bytes);
    }

    #[test]
    fn single_byte_mutations_never_panic(at in any::<prop::sample::Index>(), value in any::<u8>()) {
        let (report, inputs) = SAMPLE.with(|s| s.clone());
        let mut r = report.clone();
        let i = at.index(r.len());
        r[i] = value;
        let _ = decode(&r);
        let mut p = inputs.clone();
        let i = at.index(p.len());
        p[i] = value;
        let _ = decode_inputs(&p);
    }
}

thread_local! {
    static SAMPLE: (Vec<u8>, Vec<u8>) = sample();
}

#[test]
fn every_single_byte_mutation_of_a_header_and_lengths_never_panics() {
    // Exhaustive over positions with a few values that turn lengths and tags into nonsense.
    let (report, inputs) = sample();
    for (bytes, is_report) in [(report, true), (inputs, false)] {
        for i in 0..bytes.len() {
            for v in [0x00, 0x01, 0x7f, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] = v;
                if is_report {
                    let _ = decode(&b);
                } else {
                    let _ = decode_inputs(&b);
                }
            }
        }
    }
}
