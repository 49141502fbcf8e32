//! Detect + parse throughput on a generated 100 MB container log and a 5 MB mixed paste,
//! with `grep -c -i -E` of the same signal patterns over the same files as the reference.
//!
//! `cargo bench --bench throughput` (files are written to /tmp). Prints medians of several runs.

use podmortem::parse::logs::LogScanner;
use podmortem::parse::parse_text;
use std::io::Read;
use std::time::{Duration, Instant};

const RUNS: usize = 5;
const GREP_PATTERN: &str = "oomkilled|oomkilling|out of memory|executable file not found|command not found|: not found|permission denied|panic:|fatal error:|panicked at|traceback \\(most recent call last\\)|exception in thread|fatal|killed|error";

fn log_line(i: usize, out: &mut String) {
    use std::fmt::Write;
    let ts = format!(
        "2024-01-04T17:{:02}:{:02}.{:09}Z",
        (i / 60_000) % 60,
        (i / 1000) % 60,
        i % 1_000_000_000
    );
    let _ = match i % 1000 {
        0 => writeln!(out, "{ts} stderr F ERROR failed to upload batch {i}: connection reset by peer"),
        1 => writeln!(out, "{ts} stdout F {{\"level\":\"error\",\"msg\":\"retrying\",\"attempt\":{i}}}"),
        2 => writeln!(out, "{ts} stderr F Traceback (most recent call last):\n{ts} stderr F   File \"/app/x.py\", line 3, in <module>\n{ts} stderr F ValueError: bad row {i}"),
        3 if i % 10_000 == 3 => writeln!(out, "{ts} stderr F /bin/sh: line 1:   {i} Killed   python train.py"),
        _ => writeln!(
            out,
            "{ts} stdout F {{\"level\":\"info\",\"msg\":\"processed record\",\"id\":{i},\"took_ms\":{}}}",
            i % 97
        ),
    };
}

fn generate_log(path: &str, bytes: usize) -> std::io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() as usize >= bytes) {
        return Ok(());
    }
    let mut text = String::with_capacity(bytes + 4096);
    let mut i = 0;
    while text.len() < bytes {
        log_line(i, &mut text);
        i += 1;
    }
    std::fs::write(path, text)
}

fn generate_mixed(path: &str, bytes: usize) -> std::io::Result<()> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let mut pieces = Vec::new();
    for sub in ["corpus", "fixtures"] {
        let mut dirs: Vec<_> = std::fs::read_dir(format!("{dir}/{sub}"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for d in dirs {
            let mut files: Vec<_> = std::fs::read_dir(&d)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("input"))
                })
                .collect();
            files.sort();
            for f in files {
                pieces.push(std::fs::read_to_string(f)?);
            }
        }
    }
    let mut text = String::with_capacity(bytes + 65536);
    let mut k = 0;
    while text.len() < bytes {
        if let Some(p) = pieces.get(k % pieces.len().max(1)) {
            text.push_str(p);
            text.push_str("\nHere is the next thing I tried, still failing.\n\n");
        }
        k += 1;
    }
    std::fs::write(path, text)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

fn grep(path: &str) -> Option<(Duration, String)> {
    let mut times = Vec::new();
    let mut count = String::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = std::process::Command::new("grep")
            .args(["-c", "-i", "-E", GREP_PATTERN, path])
            .output()
            .ok()?;
        times.push(t.elapsed());
        count = String::from_utf8_lossy(&out.stdout).trim().to_string();
    }
    Some((median(times), count))
}

fn bench(label: &str, path: &str) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let n = text.len();
    let mut times = Vec::new();
    let mut summary = String::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let (segments, facts) = parse_text(0, &text);
        times.push(t.elapsed());
        summary = format!(
            "{} segments, {} log signals, {} pods, {} events, {} manifests",
            segments.len(),
            facts.log_signals.len(),
            facts.pods.len(),
            facts.events.len(),
            facts.manifests.len()
        );
        std::hint::black_box(&facts);
    }
    let parse = median(times);
    println!(
        "{label}: {:.1} MB, detect+parse median {:.3} s = {:.1} MB/s ({summary})",
        n as f64 / 1e6,
        parse.as_secs_f64(),
        mbps(n, parse)
    );
    // Streaming: 1 MiB chunks from the file, nothing held but the chunk and a partial line.
    let mut times = Vec::new();
    let mut signals = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let mut f = std::fs::File::open(path)?;
        let mut buf = vec![0u8; 1 << 20];
        let mut sc = LogScanner::new(0);
        signals = 0;
        loop {
            let k = f.read(&mut buf)?;
            if k == 0 {
                break;
            }
            signals += sc.feed(buf.get(..k).unwrap_or(&[])).len();
        }
        signals += sc.finish().len();
        times.push(t.elapsed());
    }
    let stream = median(times);
    println!(
        "{label}: streaming LogScanner median {:.3} s = {:.1} MB/s ({signals} signals)",
        stream.as_secs_f64(),
        mbps(n, stream)
    );
    if let Some((g, count)) = grep(path) {
        println!(
            "{label}: grep -c -i -E median {:.3} s = {:.1} MB/s ({count} lines); detect+parse is {:.2}x grep's time, streaming scan {:.2}x",
            g.as_secs_f64(),
            mbps(n, g),
            parse.as_secs_f64() / g.as_secs_f64().max(1e-9),
            stream.as_secs_f64() / g.as_secs_f64().max(1e-9)
        );
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    // `cargo test --benches` runs this binary too: keep that quick.
    if std::env::args().any(|a| a == "--bench") {
        let log = "/tmp/podmortem-bench-100mb.log";
        let mixed = "/tmp/podmortem-bench-5mb-mixed.txt";
        // `cargo bench --bench throughput -- mixed` (or `log`) runs one of the two.
        let only = std::env::args().find(|a| a == "mixed" || a == "log");
        if only.as_deref() != Some("mixed") {
            generate_log(log, 100_000_000)?;
            bench("100 MB log", log)?;
        }
        if only.as_deref() != Some("log") {
            generate_mixed(mixed, 5_000_000)?;
            bench("5 MB mixed paste", mixed)?;
        }
    }
    Ok(())
}
