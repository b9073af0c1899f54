//! `cwmpi decode` and `cwmpi lint`: any input the importers accept, analysed into sessions and
//! printed for people (one line per message, like tshark), as the JSON contract, or as findings.
//!
//! Every output here is a pure function of the [`Capture`], so it is deterministic: no clock,
//! no hash-map order, no paths other than the one the user gave.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::Path;

use cwmp_session::{Capture, Direction, Message, MessageSummary, Session, SessionEnd};

/// The name an input is shown under: `-` is standard input.
pub const STDIN: &str = "-";

/// Reads a whole input: the file at `path`, or all of standard input for `-`.
///
/// # Errors
///
/// The operating system's error when the file cannot be opened or read.
pub fn read_input(path: &str) -> io::Result<Vec<u8>> {
    if path == STDIN {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(Path::new(path))
    }
}

/// Imports and analyses `bytes`, dropping them as soon as the import no longer needs them:
/// the HTTP messages own their bodies, so the input need not live through the analysis.
pub fn analyse_owned(bytes: Vec<u8>, name: &str) -> Capture {
    analyse_probed(bytes, name, |_| {})
}

/// [`analyse_owned`], calling `probe` after each stage (`import`, `decode`, `analysis`)
/// so that `--stats` can say where memory goes.
pub fn analyse_probed(bytes: Vec<u8>, name: &str, mut probe: impl FnMut(&str)) -> Capture {
    // The input is freed inside the import, as soon as nothing needs it.
    let import = cwmp_capture::import_owned(bytes);
    probe("import");
    // The command line prints the decoded messages, never the raw bodies: drop each once decoded.
    let options = cwmp_session::AnalyseOptions {
        keep_http_bodies: false,
        keep_answer_parameters: false,
    };
    let mut import = import;
    let decoded = decode_on_two_threads(&mut import.exchanges, options);
    probe("decode");
    let capture = cwmp_session::analyse_decoded_with(import, decoded, Some(name));
    probe("analysis");
    capture
}

/// Decodes the first half of the exchanges on this thread and the second on another: decoding is
/// independent per exchange and is most of the analysis. The calling thread takes a half itself
/// so that its allocations reuse the heap the freed bodies return to (glibc gives each thread
/// its own heap); a pool of workers left that memory idle and raised the peak.
fn decode_on_two_threads(
    exchanges: &mut [cwmp_capture::HttpExchange],
    options: cwmp_session::AnalyseOptions,
) -> Vec<cwmp_session::DecodedExchange> {
    let middle = exchanges.len() / 2;
    let (first, second) = exchanges.split_at_mut(middle);
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || cwmp_session::decode_exchanges(second, middle, options));
        let mut decoded = cwmp_session::decode_exchanges(first, 0, options);
        match worker.join() {
            Ok(rest) => decoded.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        decoded
    })
}

/// Writes the human-readable decode of one capture: a header line for the input, per session a
/// header line then one line per message, then connection requests, findings and the import
/// summary with its problems.
///
/// # Errors
///
/// Only those of `out`.
pub fn write_human(out: &mut impl Write, name: &str, capture: &Capture) -> io::Result<()> {
    writeln!(
        out,
        "{name}: {} ({} bytes): {} session{}, {} device{}",
        capture.source.format,
        capture.source.bytes,
        capture.sessions.len(),
        plural(capture.sessions.len()),
        capture.devices.len(),
        plural(capture.devices.len())
    )?;
    for session in &capture.sessions {
        writeln!(out, "{}", session_header(capture, session))?;
        let start = session.messages.iter().find_map(|m| m.time_ns);
        for m in &session.messages {
            writeln!(out, "{}", message_line(m, start))?;
        }
    }
    for cr in &capture.connection_requests {
        let mut line = format!(
            "connection request {}  {}  {} → {}  GET {}",
            cr.id,
            cr.time.as_deref().unwrap_or("-"),
            cr.acs.as_deref().unwrap_or("?"),
            cr.cpe.as_deref().unwrap_or("?"),
            cr.target
        );
        if let Some(scheme) = &cr.scheme {
            let _ = write!(line, "  {scheme}");
        }
        if let Some(user) = &cr.username {
            let _ = write!(line, " username={user:?}");
        }
        let _ = write!(
            line,
            "  {} attempt{}",
            cr.attempts.len(),
            plural(cr.attempts.len())
        );
        // The outcome names the final status, when there is one.
        let _ = write!(line, "  {}", cr.outcome_text());
        if let Some(s) = cr.session {
            let _ = write!(line, "  → session {s}");
        }
        writeln!(out, "{line}")?;
    }
    for udp in &capture.udp_connection_requests {
        let mut line = format!(
            "udp connection request {}  {}  {} → {}  frame {}",
            udp.id,
            udp.time.as_deref().unwrap_or("-"),
            udp.acs,
            udp.cpe,
            udp.frame
        );
        if let Some(user) = &udp.username {
            let _ = write!(line, "  un={user:?}");
        }
        if let Some(id) = &udp.message_id {
            let _ = write!(line, " id={id:?}");
        }
        for problem in &udp.problems {
            let _ = write!(line, "  ({problem})");
        }
        if let Some(s) = udp.session {
            let _ = write!(line, "  → session {s}");
        }
        writeln!(out, "{line}")?;
    }
    for f in &capture.findings {
        writeln!(
            out,
            "finding  {}  {}  {}  {}: {}",
            f.severity.as_str(),
            f.rule,
            f.spec,
            location(f.session, f.messages.first().map(|m| m.message)),
            f.message
        )?;
    }
    let s = &capture.import_summary.import;
    writeln!(
        out,
        "import: {} frames, {} TCP connections, {} HTTP exchanges, {} errors, {} bytes not read",
        s.frames,
        s.tcp_connections,
        s.http_exchanges,
        capture.import_problems.len(),
        s.skipped_bytes + s.gap_bytes
    )?;
    let other = &capture.import_summary.other_http;
    if !other.is_empty() {
        writeln!(out, "other HTTP (not CWMP): {}", other.describe())?;
    }
    for p in &capture.import_problems {
        writeln!(out, "  problem: {}: {}", p.location, p.message)?;
    }
    Ok(())
}

/// Writes one line per finding: `file:session:message: severity rule [spec] message`, with `-`
/// where a finding has no session or message.
///
/// # Errors
///
/// Only those of `out`.
pub fn write_findings(out: &mut impl Write, name: &str, capture: &Capture) -> io::Result<()> {
    for f in &capture.findings {
        let dash = |v: Option<usize>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
        writeln!(
            out,
            "{name}:{}:{}: {} {} [{}] {}",
            dash(f.session),
            dash(f.messages.first().map(|m| m.message)),
            f.severity.as_str(),
            f.rule,
            f.spec,
            f.message
        )?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn location(session: Option<usize>, message: Option<usize>) -> String {
    match (session, message) {
        (Some(s), Some(m)) => format!("session {s} message {m}"),
        (Some(s), None) => format!("session {s}"),
        (None, _) => "capture".to_owned(),
    }
}

fn session_header(capture: &Capture, s: &Session) -> String {
    let device = s
        .device
        .and_then(|d| capture.devices.get(d))
        .map_or("unknown device", |d| d.id.as_str());
    let events = if s.events.is_empty() {
        "no events".to_owned()
    } else {
        s.events.join(", ")
    };
    let ended = match s.ended {
        SessionEnd::Completed => "completed",
        SessionEnd::ConnectionClosed => "connection closed",
        SessionEnd::Unfinished => "unfinished",
    };
    format!(
        "session {}  {device}  {}  [{events}]  {ended}  {} messages  {} finding{}",
        s.id,
        s.start.as_deref().unwrap_or("no time"),
        s.messages.len(),
        s.findings.len(),
        plural(s.findings.len())
    )
}

/// One message: index, time since the session's first message, direction, HTTP method or
/// status, RPC, cwmp:ID, key fields, frames.
fn message_line(m: &Message, start: Option<i64>) -> String {
    let time = match (m.time_ns, start) {
        (Some(t), Some(s)) => seconds(t - s),
        _ => "-".to_owned(),
    };
    let arrow = match m.direction {
        Direction::CpeToAcs => "CPE → ACS",
        Direction::AcsToCpe => "ACS → CPE",
    };
    let http = match (m.http_status, &m.http_method) {
        (Some(status), _) => status.to_string(),
        (None, Some(method)) => method.clone(),
        (None, None) => "-".to_owned(),
    };
    let mut line = format!("  {:>3} {time:>11}  {arrow}  {http:<4}  {}", m.index, m.rpc);
    if let Some(id) = &m.cwmp_id {
        let _ = write!(line, "  id={id}");
    }
    summary(&mut line, &m.summary);
    if let Some(error) = &m.decode_error {
        let _ = write!(line, "  not CWMP: {error}");
    }
    // Codes in first-seen order, each once with its count: a quirk often repeats per element.
    let mut codes: Vec<(&str, usize)> = Vec::new();
    for d in &m.diagnostics {
        match codes.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, n)) => *n += 1,
            None => codes.push((&d.code, 1)),
        }
    }
    for (code, n) in codes {
        if n == 1 {
            let _ = write!(line, "  [{code}]");
        } else {
            let _ = write!(line, "  [{code} ×{n}]");
        }
    }
    if let Some((first, last)) = m.frames {
        if first == last {
            let _ = write!(line, "  frame {last}");
        } else {
            let _ = write!(line, "  frames {first}-{last}");
        }
    }
    line
}

/// Seconds with microseconds, signed (messages are in wire order, which time order may not be).
fn seconds(ns: i64) -> String {
    let sign = if ns < 0 { "-" } else { "+" };
    let abs = ns.unsigned_abs();
    format!(
        "{sign}{}.{:06}",
        abs / 1_000_000_000,
        abs % 1_000_000_000 / 1000
    )
}

fn summary(line: &mut String, s: &MessageSummary) {
    if !s.events.is_empty() {
        let _ = write!(line, "  events=[{}]", s.events.join(", "));
    }
    if let Some(n) = s.retry_count.filter(|&n| n > 0) {
        let _ = write!(line, "  retry={n}");
    }
    if let Some(n) = s.parameters {
        let _ = write!(line, "  parameters={n}");
    }
    if let Some(code) = s.fault_code {
        let _ = write!(line, "  fault={code}");
        if let Some(text) = &s.fault_string {
            let _ = write!(line, " {text:?}");
        }
    }
    if let Some(key) = &s.command_key {
        let _ = write!(line, "  command_key={key:?}");
    }
    if s.hold_requests == Some(true) {
        line.push_str("  hold_requests");
    }
    if let Some(argument) = &s.argument {
        let _ = write!(line, "  argument={argument:?}");
    }
    if let Some(challenge) = &s.challenge {
        let _ = write!(line, "  challenge: {challenge}");
    }
    if let Some(authorization) = &s.authorization {
        let _ = write!(line, "  authorization: {authorization}");
    }
}

/// This process's peak resident set size, from `VmHWM` in `/proc/self/status` (Linux only).
pub fn peak_rss_bytes() -> Option<u64> {
    proc_status_bytes("VmHWM:")
}

/// This process's resident set size now, from `VmRSS` in `/proc/self/status` (Linux only).
pub fn rss_bytes() -> Option<u64> {
    proc_status_bytes("VmRSS:")
}

fn proc_status_bytes(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kib: u64 = line
        .trim_start_matches(key)
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_signed_with_microseconds() {
        assert_eq!(seconds(0), "+0.000000");
        assert_eq!(seconds(1_234_567_890), "+1.234567");
        assert_eq!(seconds(-5_000), "-0.000005");
    }

    #[test]
    fn peak_rss_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_bytes().is_some_and(|b| b > 0));
        }
    }
}
