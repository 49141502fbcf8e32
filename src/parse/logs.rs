//! Log signals: lines in any text that say what killed or stopped a process.
//!
//! Logs are scanned line by line and never held twice: [`scan`] walks the text once.

use crate::facts::{LogSignal, LogSignalKind};
use crate::span::{lines, Span};

/// Classify one line, most specific signal first.
pub fn classify(line: &str) -> Option<LogSignalKind> {
    let lower = line.to_ascii_lowercase();
    if lower.contains("oomkilled")
        || lower.contains("oomkilling")
        || lower.contains("memory cgroup out of memory")
        || lower.contains("out of memory")
    {
        return Some(LogSignalKind::OutOfMemory);
    }
    if lower.contains("executable file not found")
        || lower.contains("command not found")
        || lower.contains(": not found")
    {
        return Some(LogSignalKind::CommandNotFound);
    }
    if lower.contains("permission denied") {
        return Some(LogSignalKind::PermissionDenied);
    }
    if lower.starts_with("panic:") || lower.contains("thread '") && lower.contains("panicked at") {
        return Some(LogSignalKind::Panic);
    }
    if lower.starts_with("traceback (most recent call last)")
        || lower.starts_with("exception in thread")
    {
        return Some(LogSignalKind::StackTrace);
    }
    if lower.contains("fatal") {
        return Some(LogSignalKind::Fatal);
    }
    if lower.trim() == "killed" || lower.ends_with(" killed") {
        return Some(LogSignalKind::Killed);
    }
    if lower.contains("error") {
        return Some(LogSignalKind::Error);
    }
    None
}

pub fn scan(text: &str, input: usize, start: usize, end: usize) -> Vec<LogSignal> {
    let Some(region) = text.get(start..end) else {
        return Vec::new();
    };
    lines(region)
        .filter_map(|(s, e)| {
            let line = region.get(s..e)?;
            let kind = classify(line)?;
            let trimmed = line.trim();
            let lead = line.len() - line.trim_start().len();
            let s = start + s + lead;
            Some(LogSignal {
                span: Span::new(input, s, s + trimmed.len()),
                kind,
                text: trimmed.to_string(),
            })
        })
        .collect()
}

/// An exit code written next to a signal in log text: `exit code: 137`, `exit_code: 137`,
/// `exitCode: 137`, `Exit Code:    137`. Returns the code and its byte range inside `line`.
pub fn exit_code_in(line: &str) -> Option<(i32, usize, usize)> {
    let lower = line.to_ascii_lowercase();
    for pat in ["exit code", "exit_code", "exitcode", "exit status"] {
        if let Some(p) = lower.find(pat) {
            let rest = &line[p + pat.len()..];
            let skip = rest.len() - rest.trim_start_matches([':', ' ', '\t', '=', '"']).len();
            let digits: usize = rest[skip..].bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                let s = p + pat.len() + skip;
                let code = line[s..s + digits].parse().ok()?;
                return Some((code, s, s + digits));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals() {
        assert_eq!(
            classify("container_reason: OOMKilled, exit_code: 137"),
            Some(LogSignalKind::OutOfMemory)
        );
        assert_eq!(classify("all good"), None);
        assert_eq!(
            exit_code_in("exit code: 137, reason: 'OOMKilled'"),
            Some((137, 11, 14))
        );
        assert_eq!(exit_code_in("exit_code: 137").map(|x| x.0), Some(137));
    }
}
