//! Generated ACS-side captures (`tests/vectors/traffic/`, see its `gen.py`): connection requests
//! linked to their sessions across address families and NAT, failed requests, and HTTP traffic
//! that is not CWMP.

use std::path::Path;

use cwmp_capture::ConnectionRequestOutcome;
use cwmp_session::{Capture, analyse};

fn capture(name: &str) -> Capture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/traffic")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    analyse(&bytes, Some(name))
}

fn rules(c: &Capture) -> Vec<&str> {
    c.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn an_ipv6_connection_request_is_linked_to_the_ipv4_session_it_triggered() {
    let c = capture("cr-dual-stack.pcap");
    assert_eq!(c.sessions.len(), 1);
    let cr = &c.connection_requests[0];
    assert_eq!(cr.cpe.as_deref(), Some("[2001:db8::7]:7548"));
    assert!(
        c.sessions[0]
            .cpe
            .as_deref()
            .is_some_and(|a| a.starts_with("192.0.2.7:"))
    );
    assert_eq!(cr.session, Some(0));
    assert_eq!(cr.device, Some(0));
    assert_eq!(cr.outcome, Some(ConnectionRequestOutcome::Accepted));
    assert_eq!(c.sessions[0].connection_request, Some(0));
    let rules = rules(&c);
    assert!(
        !rules.contains(&"event.connection-request-unmatched"),
        "{rules:?}"
    );
    assert!(
        !rules.contains(&"event.connection-request-no-session"),
        "{rules:?}"
    );
}

#[test]
fn behind_nat_the_reported_url_links_the_request_to_its_device_not_to_the_first_session() {
    let c = capture("cr-nat.pcap");
    assert_eq!(c.sessions.len(), 2);
    let nat = c
        .sessions
        .iter()
        .position(|s| {
            s.cpe
                .as_deref()
                .is_some_and(|a| a.starts_with("198.51.100.20:"))
        })
        .expect("the NAT'd session");
    let cr = &c.connection_requests[0];
    assert_eq!(cr.cpe.as_deref(), Some("203.0.113.7:7547"));
    assert_eq!(cr.session, Some(nat));
    assert_eq!(
        c.devices[cr.device.expect("device")].serial_number,
        "NAT0001"
    );
    // The other CPE's session, which started first, keeps its own (absent) request.
    let other = 1 - nat;
    assert_eq!(c.sessions[other].connection_request, None);
    assert!(
        c.findings
            .iter()
            .any(|f| f.rule == "event.connection-request-unmatched" && f.session == Some(other)),
        "{:?}",
        rules(&c)
    );
}

#[test]
fn a_request_answered_by_a_tcp_reset_says_so() {
    let c = capture("cr-reset.pcap");
    let cr = &c.connection_requests[0];
    assert_eq!(cr.outcome, Some(ConnectionRequestOutcome::Reset));
    assert!(cr.attempts[0].reset);
    assert_eq!(
        cr.outcome_text(),
        "failed: reset by the CPE (TCP RST), no answer"
    );
    assert!(c.to_json().contains("\"outcome\": \"reset\""));
}

#[test]
fn a_request_never_answered_says_so() {
    let c = capture("cr-no-answer.pcap");
    let cr = &c.connection_requests[0];
    assert_eq!(cr.outcome, Some(ConnectionRequestOutcome::NoAnswer));
    assert!(!cr.attempts[0].reset);
    assert_eq!(cr.outcome_text(), "failed: no answer from the CPE");
}

#[test]
fn a_request_still_refused_after_its_credentials_is_an_auth_failure() {
    let c = capture("cr-auth-loop.pcap");
    let cr = &c.connection_requests[0];
    assert_eq!(cr.attempts.len(), 3);
    assert_eq!(cr.outcome, Some(ConnectionRequestOutcome::AuthFailed));
    assert_eq!(
        cr.outcome_text(),
        "failed: still 401 after 2 authenticated attempts"
    );
    assert_eq!(cr.session, None);
}

#[test]
fn http_that_is_not_cwmp_makes_no_session_and_no_finding_but_is_listed() {
    let c = capture("other-http.pcap");
    // Only the CWMP session: the chunked JSON POST to the NBI, the web page and the firmware
    // download are not sessions.
    assert_eq!(c.sessions.len(), 1, "{:#?}", c.sessions);
    assert_eq!(c.sessions[0].events, vec!["6 CONNECTION REQUEST"]);
    assert_eq!(c.sessions[0].connection_request, Some(0));
    assert!(!c.has_errors(), "{:?}", rules(&c));
    assert!(
        c.findings.iter().all(|f| f.session == Some(0)),
        "{:?}",
        rules(&c)
    );
    assert_eq!(c.import_summary.bodies_not_cwmp, 0);
    let other = &c.import_summary.other_http;
    assert_eq!(other.exchanges, 4);
    assert_eq!(other.methods.get("POST"), Some(&1));
    assert_eq!(other.methods.get("GET"), Some(&3));
    // The small JSON answer to an API GET is not taken for a connection request.
    assert_eq!(c.connection_requests.len(), 1);
    assert_eq!(
        other.hosts,
        [
            "acs.example.net:3000",
            "acs.example.net:7557",
            "acs.example.net:7567"
        ]
    );
    assert_eq!(other.ports, [3000, 7557, 7567]);
    let json = c.to_json();
    assert!(json.contains("\"other_http\""), "{json}");
}

#[test]
fn captures_without_other_http_keep_their_summary_json_unchanged() {
    let c = capture("cr-dual-stack.pcap");
    assert!(c.import_summary.other_http.is_empty());
    assert!(!c.to_json().contains("other_http"));
}

#[test]
fn a_connection_to_a_reported_url_that_never_opened_is_a_failed_request() {
    let c = capture("cr-syn-refused.pcap");
    assert_eq!(c.connection_requests.len(), 2);
    let (refused, silent) = (&c.connection_requests[0], &c.connection_requests[1]);
    assert_eq!(refused.cpe.as_deref(), Some("192.0.2.60:7547"));
    assert_eq!(refused.target, "/cr/refused");
    assert_eq!(refused.outcome, Some(ConnectionRequestOutcome::Reset));
    assert!(refused.attempts.is_empty());
    assert_eq!(
        refused.outcome_text(),
        "failed: the CPE refused the connection (TCP RST)"
    );
    assert_eq!(
        c.devices[refused.device.expect("device")].serial_number,
        "SYN0001"
    );
    assert_eq!(silent.outcome, Some(ConnectionRequestOutcome::NoAnswer));
    assert_eq!(
        silent.outcome_text(),
        "failed: the CPE never answered the connection (SYN unanswered)"
    );
    assert_eq!((refused.id, silent.id), (0, 1));
    assert!(c.sessions.iter().all(|s| s.connection_request.is_none()));
}
