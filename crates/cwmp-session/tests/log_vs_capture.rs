//! An ACS debug log tells the same story as a capture of the same run, session for session.
//!
//! `vectors/log_vs_capture/` holds one GenieACS run written twice by `make.py`: as GenieACS's
//! YAML debug log (with the unquoted `accept: */*` that YAML parsers refuse) and as a pcap.

use std::path::Path;

use cwmp_session::{Capture, analyse};

fn vector(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/log_vs_capture")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// What a session shows: device, events, messages (direction, RPC, HTTP status), how it ended,
/// its connections, its times and its connection request.
fn outline(c: &Capture) -> Vec<String> {
    c.sessions
        .iter()
        .map(|s| {
            let device = s.device.and_then(|d| c.devices.get(d)).map(|d| &d.id);
            let messages: Vec<String> = s
                .messages
                .iter()
                .map(|m| {
                    format!(
                        "{} {} {:?} {:?}",
                        m.direction.as_str(),
                        m.rpc,
                        m.http_status,
                        m.time
                    )
                })
                .collect();
            format!(
                "device {device:?} events {:?} ended {:?} streams {:?} from {:?} to {:?} \
                 cr {:?}\n  {}",
                s.events,
                s.ended,
                s.streams,
                s.start,
                s.end,
                s.connection_request,
                messages.join("\n  ")
            )
        })
        .collect()
}

#[test]
fn genieacs_yaml_log_and_capture_of_one_run_show_the_same_sessions() {
    let log = analyse(&vector("genieacs_run.yaml"), Some("genieacs_run.yaml"));
    let pcap = analyse(&vector("genieacs_run.pcap"), Some("genieacs_run.pcap"));
    assert!(
        log.import_problems.is_empty(),
        "every record is read: {:#?}",
        log.import_problems
    );
    assert_eq!(log.import_summary.import.records, 18);
    let (log_outline, pcap_outline) = (outline(&log), outline(&pcap));
    assert_eq!(
        log_outline,
        pcap_outline,
        "log:\n{}\n\ncapture:\n{}",
        log_outline.join("\n"),
        pcap_outline.join("\n")
    );
    // Three refused attempts, the authenticated session, the one the connection request started.
    assert_eq!(log.sessions.len(), 5);
    assert_eq!(log.devices.len(), 1);
    assert_eq!(
        log.connection_requests.len(),
        pcap.connection_requests.len()
    );
    let cr = |c: &Capture| -> Vec<(String, Option<usize>)> {
        c.connection_requests
            .iter()
            .map(|r| (r.time.clone().unwrap_or_default(), r.session))
            .collect()
    };
    assert_eq!(cr(&log), cr(&pcap));
    let rules = |c: &Capture| -> Vec<(String, Option<usize>)> {
        c.findings
            .iter()
            .map(|f| (f.rule.clone(), f.session))
            .collect()
    };
    assert_eq!(rules(&log), rules(&pcap));
}

#[test]
fn genieacs_json_lines_log_of_the_run_shows_the_same_sessions_too() {
    let json = analyse(&vector("genieacs_run.jsonl"), Some("genieacs_run.jsonl"));
    let pcap = analyse(&vector("genieacs_run.pcap"), Some("genieacs_run.pcap"));
    assert!(
        json.import_problems.is_empty(),
        "{:#?}",
        json.import_problems
    );
    assert_eq!(outline(&json), outline(&pcap));
}
