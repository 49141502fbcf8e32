//! wasm32 exports for the throughput benchmark: node generates nothing, it asks this module to
//! generate the same inputs as the native bench and times `detect+parse` and the streaming scan.

use podmortem::parse::logs::LogScanner;
use podmortem::parse::parse_text;
use std::cell::RefCell;
use std::fmt::Write;

thread_local! {
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

const PIECES: &[&str] = &[
    include_str!("../../../tests/corpus/002-describe-job-onfailure-exit1/input.txt"),
    include_str!("../../../tests/corpus/015-cronjob-args-as-command-not-found/input.txt"),
    include_str!("../../../tests/corpus/024-describe-pod-errimagepull-typo/input.txt"),
    include_str!("../../../tests/corpus/027-run-pod-pull-access-denied-events/input.txt"),
    include_str!("../../../tests/corpus/038-evicted-node-memory-pressure-describe/input.txt"),
    include_str!("../../../tests/corpus/049-docs-podfailurepolicy-failjob-exit42/input-job.yaml"),
    include_str!("../../../tests/corpus/051-docs-failindex-exit42-pods/input-job.yaml"),
    include_str!("../../../tests/corpus/065-etcd2-streaming-cluster-id-mismatch/input.txt"),
    include_str!("../../../tests/corpus/074-memcache-6443-connection-refused/input.txt"),
    include_str!("../../../tests/fixtures/describe-pods-in-a-row-crlf/input.txt"),
    include_str!("../../../tests/fixtures/status-yaml-and-json/input.txt"),
    include_str!("../../../tests/fixtures/logs-runtime-json-traces/input.txt"),
    include_str!("../../../tests/fixtures/get-events-default-and-wide/input.txt"),
    include_str!("../../../tests/fixtures/describe-pod-1.30-crashloop-probes/input.txt"),
];

fn log_line(i: usize, out: &mut String) {
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

/// Generate the container log (same lines as the native bench); returns its length.
#[no_mangle]
pub extern "C" fn gen_log(bytes: u32) -> u32 {
    TEXT.with(|t| {
        let mut t = t.borrow_mut();
        t.clear();
        t.reserve(bytes as usize + 4096);
        let mut i = 0;
        while t.len() < bytes as usize {
            log_line(i, &mut t);
            i += 1;
        }
        t.len() as u32
    })
}

/// Generate a mixed paste from real fragments; returns its length.
#[no_mangle]
pub extern "C" fn gen_mixed(bytes: u32) -> u32 {
    TEXT.with(|t| {
        let mut t = t.borrow_mut();
        t.clear();
        let mut k = 0;
        while t.len() < bytes as usize {
            t.push_str(PIECES[k % PIECES.len()]);
            t.push_str("\nHere is the next thing I tried, still failing.\n\n");
            k += 1;
        }
        t.len() as u32
    })
}

/// detect + parse of the generated text; returns the number of log signals.
#[no_mangle]
pub extern "C" fn parse() -> u32 {
    TEXT.with(|t| {
        let t = t.borrow();
        let (_segments, facts) = parse_text(0, &t);
        facts.log_signals.len() as u32
    })
}

/// The streaming scanner over the generated text in 1 MiB chunks; returns the signal count.
#[no_mangle]
pub extern "C" fn scan() -> u32 {
    TEXT.with(|t| {
        let t = t.borrow();
        let mut sc = LogScanner::new(0);
        let mut n = 0;
        for chunk in t.as_bytes().chunks(1 << 20) {
            n += sc.feed(chunk).len();
        }
        (n + sc.finish().len()) as u32
    })
}

/// Detection alone (for finding where time goes); returns the segment count.
#[no_mangle]
pub extern "C" fn detect_only() -> u32 {
    TEXT.with(|t| podmortem::detect::detect(0, &t.borrow()).len() as u32)
}

/// The paste-slice scan (`logs::scan`, UTF-8 already checked) alone; returns the signal count.
#[no_mangle]
pub extern "C" fn scan_str() -> u32 {
    TEXT.with(|t| {
        let t = t.borrow();
        podmortem::parse::logs::scan(&t, 0, 0, t.len()).len() as u32
    })
}

/// The cluster line scan alone; returns the client error count.
#[no_mangle]
pub extern "C" fn cluster_only() -> u32 {
    TEXT.with(|t| {
        let t = t.borrow();
        let mut f = podmortem::facts::Facts::default();
        podmortem::parse::cluster::scan(&t, 0, 0, t.len(), true, &mut f);
        f.client_errors.len() as u32
    })
}

/// Cleaning (ANSI, quotes) alone; returns the length.
#[no_mangle]
pub extern "C" fn clean_only() -> u32 {
    TEXT.with(|t| podmortem::detect::clean(&t.borrow()).len() as u32)
}

/// The three stages of `parse` on a log, one after the other in one call.
#[no_mangle]
pub extern "C" fn stages() -> u32 {
    detect_only() + scan_str() + cluster_only()
}
