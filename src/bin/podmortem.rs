//! The podmortem CLI: a thin shell over the engine.
//!
//! ```text
//! podmortem diagnose [--format text|json|markdown|sarif] [--fix-out FILE] [INPUT ...]
//! podmortem rules [--markdown]
//! podmortem explain CODE
//! ```

use podmortem::report::{json, markdown, sarif, text};
use podmortem::{diagnose, rules, Input};
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  podmortem diagnose [--format text|json|markdown|sarif] [--fix-out FILE] [INPUT ...]
      INPUT is a file, or - for standard input (the default when none is given).
      exit status: 0 nothing wrong, 1 problems found, 2 usage error or unreadable input
  podmortem rules [--markdown]      list the rule catalogue
  podmortem explain CODE|NAME       print a rule's documentation
";

fn fail(msg: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "podmortem: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("diagnose") => cmd_diagnose(&args[1..]),
        Some("rules") => {
            if args.get(1).map(String::as_str) == Some("--markdown") {
                print!("{}", rules::catalogue_markdown());
            } else {
                for r in rules::ALL {
                    let m = r.meta();
                    println!("{}  {:<32} {}", m.code, m.name, m.cause.slug());
                }
            }
            ExitCode::SUCCESS
        }
        Some("explain") => match args.get(1).and_then(|c| rules::find(c)) {
            Some(r) => {
                let m = r.meta();
                println!("{} {} (cause: {})\n", m.code, m.name, m.cause.slug());
                for line in m.docs.lines() {
                    println!("{}", line.strip_prefix(' ').unwrap_or(line));
                }
                ExitCode::SUCCESS
            }
            None => fail(&format!(
                "no rule named {:?}; `podmortem rules` lists them",
                args.get(1).map(String::as_str).unwrap_or("")
            )),
        },
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("podmortem {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        _ => {
            let _ = write!(std::io::stderr(), "{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn cmd_diagnose(args: &[String]) -> ExitCode {
    let mut format = "text".to_string();
    let mut fix_out: Option<String> = None;
    let mut files: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" | "-f" => match it.next() {
                Some(v) => format = v.clone(),
                None => return fail("--format needs a value: text, json, markdown or sarif"),
            },
            "--fix-out" | "-o" => match it.next() {
                Some(v) => fix_out = Some(v.clone()),
                None => return fail("--fix-out needs a file name"),
            },
            s if s.starts_with("--format=") => format = s["--format=".len()..].to_string(),
            s if s.starts_with("--fix-out=") => fix_out = Some(s["--fix-out=".len()..].to_string()),
            "-" => files.push("-".into()),
            s if s.starts_with('-') => return fail(&format!("unknown option {s}\n{USAGE}")),
            s => files.push(s.to_string()),
        }
    }
    if !matches!(format.as_str(), "text" | "json" | "markdown" | "sarif") {
        return fail(&format!(
            "unknown format {format:?}: use text, json, markdown or sarif"
        ));
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let mut inputs = Vec::new();
    for f in &files {
        let bytes = if f == "-" {
            let mut b = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut b) {
                return fail(&format!("cannot read standard input: {e}"));
            }
            b
        } else {
            match std::fs::read(f) {
                Ok(b) => b,
                Err(e) => return fail(&format!("cannot read {f}: {e}")),
            }
        };
        // Pastes are text; invalid UTF-8 bytes are replaced rather than refused.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        inputs.push(Input::new(
            if f == "-" {
                "stdin".to_string()
            } else {
                f.clone()
            },
            text,
        ));
    }
    let report = diagnose(&inputs);
    let out = match format.as_str() {
        "json" => json::render(&report, &inputs),
        "markdown" => markdown::render(&report, &inputs),
        "sarif" => sarif::render(&report, &inputs),
        _ => text::render(&report, &inputs),
    };
    if std::io::stdout().write_all(out.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    if let Some(path) = fix_out {
        match &report.corrected_manifest {
            Some(m) => {
                if let Err(e) = std::fs::write(&path, &m.text) {
                    return fail(&format!("cannot write {path}: {e}"));
                }
            }
            None => {
                let _ = writeln!(
                    std::io::stderr(),
                    "podmortem: no corrected manifest to write to {path}"
                );
            }
        }
    }
    ExitCode::from(report.exit_code() as u8)
}
