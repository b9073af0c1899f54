//! The rules, run over every session. Each has a stable id, a severity and the TR-069 section
//! that says so ([`RULES`]); rules whose source is marked (unverified) in the project's TR-069
//! notes are warnings at most. The order rules come from [`crate::machine::SessionMachine`], so
//! analysis and the emulators share them.

use std::collections::BTreeMap;

use cwmp_codec::reference::{
    EventCode, allowed_in_du_state_change_complete, allowed_in_transfer_complete, fault_info,
};
use cwmp_codec::{Body, CwmpNamespace, CwmpVersion, Envelope, Header, Rpc};

use crate::machine::{SessionMachine, feed};
use crate::model::{
    Capture, Direction, Finding, Message, MessageKind, MessageRef, Session, SessionEnd, Severity,
};

/// A rule the linter checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id, such as `session.inform-first`. `codec.*` stands for every `codec.<code>`
    /// rule, one per codec diagnostic code.
    pub id: &'static str,
    /// The severity of its findings (for `codec.*`, the diagnostic's own).
    pub severity: Severity,
    /// What it checks, in one line.
    pub title: &'static str,
    /// The spec reference.
    pub spec: &'static str,
}

const fn rule(
    id: &'static str,
    severity: Severity,
    title: &'static str,
    spec: &'static str,
) -> RuleInfo {
    RuleInfo {
        id,
        severity,
        title,
        spec,
    }
}

use Severity::{Error, Info, Warning};

/// Every rule, documented.
pub const RULES: &[RuleInfo] = &[
    rule(
        "session.inform-first",
        Error,
        "The CPE opens the session with Inform in its first POST",
        "TR-069 §3.7.1.1",
    ),
    rule(
        "session.inform-response-first",
        Warning,
        "InformResponse comes before any other request of either side (unverified)",
        "TR-069 §3.7.1.1",
    ),
    rule(
        "session.cpe-request-after-empty-post",
        Warning,
        "The CPE sends its requests before its empty POST (unverified)",
        "TR-069 §3.7.1.3, §3.4",
    ),
    rule(
        "session.cpe-request-while-held",
        Warning,
        "No new CPE request while the ACS's HoldRequests is true (unverified)",
        "TR-069 §3.7.1.3, §3.4 (HoldRequests header)",
    ),
    rule(
        "session.response-type",
        Error,
        "Each response matches the outstanding request's type (XResponse or a Fault answers X)",
        "TR-069 §3.5, Annex A",
    ),
    rule(
        "session.response-id",
        Warning,
        "A response echoes its request's cwmp:ID (unverified)",
        "TR-069 §3.5 (cwmp:ID header)",
    ),
    rule(
        "session.empty-200",
        Warning,
        "The ACS ends the session with an empty 204 No Content, not an empty 200",
        "TR-069 §3.4.6",
    ),
    rule(
        "session.not-terminated",
        Warning,
        "The session ends with the ACS's empty response, not a closed connection or silence",
        "TR-069 §3.7.1.6",
    ),
    rule(
        "session.timeout",
        Warning,
        "No silence longer than the CPE's SessionTimeout (30 s by default) (unverified)",
        "TR-069 §3.7.1.6; SessionTimeout header (cwmp-1-3.xsd)",
    ),
    rule(
        "http.auth-loop",
        Warning,
        "HTTP authentication succeeds: no more than 2 consecutive 401s, no 401 after credentials",
        "TR-069 §3.4.4",
    ),
    rule(
        "http.cookie-not-returned",
        Warning,
        "The CPE returns the ACS's session cookies for the rest of the session (unverified)",
        "TR-069 §3.4.2",
    ),
    rule(
        "event.reboot-without-boot",
        Error,
        "\"M Reboot\" comes with \"1 BOOT\" in the same Inform",
        "TR-069 §3.7.1.5, A.3.2.9",
    ),
    rule(
        "event.transfer-complete-event-missing",
        Error,
        "\"M Download\", \"M ScheduleDownload\" or \"M Upload\" comes with \"7 TRANSFER COMPLETE\"",
        "TR-069 §3.7.1.5, A.3.3.2",
    ),
    rule(
        "event.transfer-complete-missing",
        Error,
        "A session announcing a finished transfer carries a TransferComplete",
        "TR-069 §3.7.1.5, A.3.3.2",
    ),
    rule(
        "event.transfer-complete-unannounced",
        Error,
        "TransferComplete only in a session whose Inform has \"7 TRANSFER COMPLETE\"",
        "TR-069 §3.7.1.5, A.3.3.2",
    ),
    rule(
        "event.bootstrap-repeated",
        Warning,
        "\"0 BOOTSTRAP\" only on first contact, after a factory reset or an ACS URL change",
        "TR-069 §3.7.1.5, A.4.1.6",
    ),
    rule(
        "event.bootstrap-without-boot",
        Info,
        "\"0 BOOTSTRAP\" without \"1 BOOT\": a changed ACS URL rather than a first boot",
        "TR-069 §3.7.1.5",
    ),
    rule(
        "event.connection-request-unmatched",
        Info,
        "A \"6 CONNECTION REQUEST\" session follows a connection request in the capture",
        "TR-069 §3.2.2, §3.7.1.5",
    ),
    rule(
        "event.connection-request-no-session",
        Warning,
        "An accepted connection request is followed by a \"6 CONNECTION REQUEST\" session",
        "TR-069 §3.2.2",
    ),
    rule(
        "retry.count",
        Info,
        "RetryCount above 0: earlier tries of the session failed",
        "TR-069 §3.2.1.1, A.3.3.1",
    ),
    rule(
        "retry.count-not-reset",
        Warning,
        "RetryCount resets to 0 after a successful session",
        "TR-069 §3.2.1.1, A.3.3.1",
    ),
    rule(
        "retry.too-fast",
        Warning,
        "Retries wait at least the Table 3 minimum (5 s × 2^(n−1) with default settings)",
        "TR-069 §3.2.1.1, Table 3",
    ),
    rule(
        "fault.transfer-complete-code",
        Error,
        "TransferComplete FaultStruct codes are in the TransferComplete subset",
        "TR-069 A.3.3.2 (TransferCompleteCPEFaultCodeType, cwmp-1-2.xsd)",
    ),
    rule(
        "fault.du-code",
        Error,
        "DUStateChangeComplete and ChangeDUState fault codes are in the deployment-unit subset",
        "TR-069 Annex A (DeploymentUnitCPEFaultCodeType, cwmp-1-2.xsd)",
    ),
    rule(
        "version.rpc",
        Error,
        "Every RPC exists in the session's CWMP version",
        "TR-069 Annex A; cwmp-1-N.xsd",
    ),
    rule(
        "version.event",
        Error,
        "Every event code exists in the session's CWMP version",
        "TR-069 §3.7.1.5; cwmp-1-N.xsd",
    ),
    rule(
        "version.fault",
        Error,
        "Every fault code exists in the session's CWMP version",
        "TR-069 §3.5; cwmp-1-N.xsd",
    ),
    rule(
        "version.unofficial-namespace",
        Info,
        "The cwmp-1-3 and cwmp-1-4 namespaces were never published (1.3 and 1.4 use cwmp-1-2)",
        "TR-069 §3.7.4; cwmp-1-3.xsd, cwmp-1-4.xsd",
    ),
    rule(
        "version.use-not-supported",
        Error,
        "UseCWMPVersion is one of the CPE's SupportedCWMPVersions",
        "TR-069 §3.7.4",
    ),
    rule(
        "version.supported-ignored",
        Info,
        "The ACS answers SupportedCWMPVersions with UseCWMPVersion",
        "TR-069 §3.7.4",
    ),
    rule(
        "version.header-before-1-4",
        Info,
        "SupportedCWMPVersions and UseCWMPVersion belong to 1.4 (namespace cwmp-1-2)",
        "TR-069 §3.7.4; cwmp-1-4.xsd",
    ),
    rule(
        "codec.*",
        Info,
        "Codec diagnostics (vendor quirks), grouped per session and code; severity as diagnosed",
        "TR-069 Annex A; cwmp-1-N.xsd",
    ),
];

/// The documentation of a rule id (`codec.<code>` ids give `codec.*`).
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    let key = if id.starts_with("codec.") {
        "codec.*"
    } else {
        id
    };
    RULES.iter().find(|r| r.id == key)
}

/// Runs every rule over a capture.
pub fn lint(capture: &Capture) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &capture.sessions {
        machine_rules(s, &mut out);
        cookies(capture, s, &mut out);
        events(s, &mut out);
        faults(s, &mut out);
        versions(s, &mut out);
        codec(s, &mut out);
    }
    auth_loop(capture, &mut out);
    connection_requests(capture, &mut out);
    bootstrap(capture, &mut out);
    retries(capture, &mut out);
    out
}

fn finding(
    rule: &'static str,
    session: Option<usize>,
    messages: Vec<MessageRef>,
    message: String,
) -> Finding {
    let info = rule_info(rule);
    Finding {
        rule: rule.to_owned(),
        severity: info.map_or(Warning, |i| i.severity),
        message,
        spec: info.map_or("TR-069", |i| i.spec).to_owned(),
        session,
        messages,
        connection_request: None,
    }
}

fn at(s: &Session, m: usize) -> MessageRef {
    MessageRef {
        session: s.id,
        message: m,
    }
}

fn push(out: &mut Vec<Finding>, s: &Session, rule: &'static str, msgs: &[usize], text: String) {
    let refs = msgs.iter().map(|&m| at(s, m)).collect();
    out.push(finding(rule, Some(s.id), refs, text));
}

fn envelope(m: &Message) -> Option<&Envelope> {
    m.envelope.as_ref()
}

fn header(m: &Message) -> Option<&Header> {
    envelope(m)?.header.as_ref()
}

fn rpc(m: &Message) -> Option<&Rpc> {
    match &envelope(m)?.body {
        Body::Rpc(r) => Some(r),
        _ => None,
    }
}

fn inform(s: &Session) -> Option<&Message> {
    s.messages
        .iter()
        .find(|m| m.direction == Direction::CpeToAcs && m.rpc == "Inform")
}

fn has_event(s: &Session, code: &str) -> bool {
    s.events.iter().any(|e| e.trim() == code)
}

// ---------------------------------------------------------------------------------------------
// Order rules, from the state machine

fn machine_rules(s: &Session, out: &mut Vec<Finding>) {
    let mut machine = SessionMachine::new();
    let mut seen = Vec::<&str>::new();
    let mut drain = |machine: &mut SessionMachine, out: &mut Vec<Finding>, last: usize| {
        while let Some(v) = machine.poll_violation() {
            // One finding per rule and session (three for mismatched answers) keeps a broken
            // session readable.
            let limit = if v.rule == "session.response-type" {
                3
            } else {
                1
            };
            if seen.iter().filter(|&&r| r == v.rule).count() >= limit {
                continue;
            }
            seen.push(v.rule);
            let m = v.message_index.min(last);
            push(out, s, v.rule, &[m], v.message);
        }
    };
    let last = s.messages.len().saturating_sub(1);
    // With one side missing from the capture, every answer looks unasked: order rules would
    // only report the capture's gap.
    let both_sides = s
        .messages
        .iter()
        .any(|m| m.direction == Direction::CpeToAcs)
        && s.messages
            .iter()
            .any(|m| m.direction == Direction::AcsToCpe);
    if !both_sides {
        if s.ended != SessionEnd::Completed && !s.messages.is_empty() {
            push(
                out,
                s,
                "session.not-terminated",
                &[last],
                format!(
                    "only the {} side of the session was captured, and it has no end",
                    if s.messages[0].direction == Direction::CpeToAcs {
                        "CPE"
                    } else {
                        "ACS"
                    }
                ),
            );
        }
        return;
    }
    for m in &s.messages {
        feed(&mut machine, m);
        drain(&mut machine, out, last);
    }
    if s.ended != SessionEnd::Completed && !s.messages.is_empty() {
        machine.handle_connection_closed(None);
        let refused = s
            .messages
            .last()
            .and_then(|m| m.http_status)
            .filter(|&st| st >= 300);
        let why = match (refused, s.ended) {
            (Some(st), _) => format!("the ACS refused the last POST with HTTP {st}"),
            (None, SessionEnd::ConnectionClosed) => "the connection closed".to_owned(),
            (None, _) => "the capture ends".to_owned(),
        };
        while let Some(v) = machine.poll_violation() {
            let text = if v.rule == "session.not-terminated" {
                format!("{} ({why})", v.message)
            } else {
                v.message
            };
            push(out, s, v.rule, &[last], text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP rules

/// Per device, across its sessions: without TCP connections (text imports) the Inform retried
/// after a 401 starts a new session, and the loop must still be seen.
fn auth_loop(capture: &Capture, out: &mut Vec<Finding>) {
    let mut groups: Vec<Vec<&Session>> = capture
        .devices
        .iter()
        .map(|d| {
            d.sessions
                .iter()
                .filter_map(|&i| capture.sessions.get(i))
                .collect()
        })
        .collect();
    groups.extend(
        capture
            .sessions
            .iter()
            .filter(|s| s.device.is_none())
            .map(|s| vec![s]),
    );
    for sessions in groups {
        let mut streak: Vec<MessageRef> = Vec::new();
        let mut challenged = false;
        let mut reported = false;
        let acs = sessions.iter().flat_map(|s| {
            s.messages
                .iter()
                .filter(|m| m.direction == Direction::AcsToCpe)
                .map(move |m| (*s, m))
        });
        for (s, m) in acs {
            let Some(x) = capture.exchanges.get(m.exchange) else {
                continue;
            };
            if m.http_status != Some(401) {
                streak.clear();
                challenged = false;
                reported = false;
                continue;
            }
            if reported {
                continue;
            }
            streak.push(at(s, m.index));
            let with_credentials = x
                .request
                .as_ref()
                .is_some_and(|r| r.header("authorization").is_some());
            let stale = x.response.as_ref().is_some_and(|r| {
                r.headers_named("www-authenticate").any(|v| {
                    v.to_ascii_lowercase()
                        .replace(' ', "")
                        .contains("stale=true")
                })
            });
            let text = if streak.len() > 2 {
                format!("{} consecutive 401 Unauthorized answers", streak.len())
            } else if with_credentials && challenged && !stale {
                "401 Unauthorized after the CPE answered the challenge with credentials: the \
                 credentials are wrong"
                    .to_owned()
            } else {
                challenged = true;
                continue;
            };
            out.push(finding(
                "http.auth-loop",
                Some(s.id),
                std::mem::take(&mut streak),
                text,
            ));
            // One finding per loop: wait for the next success before reporting again.
            reported = true;
        }
    }
}

fn cookies(capture: &Capture, s: &Session, out: &mut Vec<Finding>) {
    // (name, value, message that set it)
    let mut required: Vec<(String, String, usize)> = Vec::new();
    let mut reported = Vec::new();
    for m in &s.messages {
        let Some(x) = capture.exchanges.get(m.exchange) else {
            continue;
        };
        match m.direction {
            Direction::AcsToCpe => {
                let Some(r) = &x.response else { continue };
                for v in r.headers_named("set-cookie") {
                    let pair = v.split(';').next().unwrap_or_default().trim();
                    if let Some((n, val)) = pair.split_once('=') {
                        let n = n.trim().to_owned();
                        required.retain(|c| c.0 != n);
                        required.push((n, val.trim().trim_matches('"').to_owned(), m.index));
                    }
                }
            }
            Direction::CpeToAcs => {
                let Some(r) = &x.request else { continue };
                let sent = r.cookies();
                for (name, value, set_at) in &required {
                    if reported.contains(name) || sent.iter().any(|(n, v)| n == name && v == value)
                    {
                        continue;
                    }
                    reported.push(name.clone());
                    push(
                        out,
                        s,
                        "http.cookie-not-returned",
                        &[*set_at, m.index],
                        format!(
                            "the ACS set cookie {name}={value}, but the CPE's next POST ({}) does not \
                         return it",
                            m.rpc
                        ),
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Event rules

const TRANSFER_EVENTS: [&str; 3] = ["M Download", "M ScheduleDownload", "M Upload"];

fn events(s: &Session, out: &mut Vec<Finding>) {
    let Some(inform) = inform(s) else { return };
    let i = inform.index;
    if has_event(s, "M Reboot") && !has_event(s, "1 BOOT") {
        push(
            out,
            s,
            "event.reboot-without-boot",
            &[i],
            "the Inform has \"M Reboot\" but not \"1 BOOT\"".to_owned(),
        );
    }
    let transfer = TRANSFER_EVENTS.iter().find(|e| has_event(s, e));
    let seven = has_event(s, "7 TRANSFER COMPLETE");
    if let Some(e) = transfer
        && !seven
    {
        push(
            out,
            s,
            "event.transfer-complete-event-missing",
            &[i],
            format!("the Inform has \"{e}\" but not \"7 TRANSFER COMPLETE\""),
        );
    }
    let tcs: Vec<usize> = s
        .messages
        .iter()
        .filter(|m| m.direction == Direction::CpeToAcs && m.rpc == "TransferComplete")
        .map(|m| m.index)
        .collect();
    if (transfer.is_some() || seven) && tcs.is_empty() && s.ended == SessionEnd::Completed {
        let what = transfer.copied().unwrap_or("7 TRANSFER COMPLETE");
        push(
            out,
            s,
            "event.transfer-complete-missing",
            &[i],
            format!(
                "the Inform announces a finished transfer (\"{what}\") but the CPE sent no \
                     TransferComplete in the session"
            ),
        );
    }
    if !seven && !tcs.is_empty() {
        push(
            out,
            s,
            "event.transfer-complete-unannounced",
            &tcs,
            "TransferComplete in a session whose Inform lacks \"7 TRANSFER COMPLETE\"".to_owned(),
        );
    }
    if has_event(s, "0 BOOTSTRAP") && !has_event(s, "1 BOOT") {
        push(
            out,
            s,
            "event.bootstrap-without-boot",
            &[i],
            "\"0 BOOTSTRAP\" without \"1 BOOT\": the ACS URL changed, or the CPE did not reboot"
                .to_owned(),
        );
    }
    // Either kind of connection request explains the event: HTTP, or UDP (Annex G).
    if has_event(s, "6 CONNECTION REQUEST")
        && s.connection_request.is_none()
        && s.udp_connection_request.is_none()
    {
        push(
            out,
            s,
            "event.connection-request-unmatched",
            &[i],
            "\"6 CONNECTION REQUEST\" session with no connection request in the capture".to_owned(),
        );
    }
}

fn connection_requests(capture: &Capture, out: &mut Vec<Finding>) {
    for cr in &capture.connection_requests {
        if cr.record.accepted() && cr.session.is_none() {
            let mut f = finding(
                "event.connection-request-no-session",
                None,
                Vec::new(),
                format!(
                    "connection request {} to {} was accepted ({}) but no \"6 CONNECTION REQUEST\" \
                 session follows",
                    cr.id,
                    cr.target,
                    cr.result.unwrap_or_default()
                ),
            );
            f.connection_request = Some(cr.id);
            out.push(f);
        }
    }
}

/// Whether a session resets the bootstrap state: a FactoryReset, or a new ACS URL set.
fn resets_bootstrap(s: &Session) -> bool {
    s.messages.iter().any(|m| {
        m.direction == Direction::AcsToCpe
            && (m.rpc == "FactoryReset"
                || m.rpc == "SetParameterValues"
                    && m.parameter_names()
                        .iter()
                        .any(|n| n.ends_with("ManagementServer.URL")))
    })
}

fn delivered(s: &Session) -> bool {
    s.ended == SessionEnd::Completed && s.messages.iter().any(|m| m.rpc == "InformResponse")
}

fn bootstrap(capture: &Capture, out: &mut Vec<Finding>) {
    for d in &capture.devices {
        let mut known = false;
        for s in d.sessions.iter().filter_map(|&i| capture.sessions.get(i)) {
            if has_event(s, "0 BOOTSTRAP")
                && known
                && let Some(m) = inform(s)
            {
                push(
                    out,
                    s,
                    "event.bootstrap-repeated",
                    &[m.index],
                    format!(
                        "\"0 BOOTSTRAP\" from {}, which already completed a session in this capture \
                     with no factory reset or ACS URL change since",
                        d.id
                    ),
                );
            }
            if resets_bootstrap(s) {
                known = false;
            } else if delivered(s) {
                known = true;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Retries

fn retry_count(s: &Session) -> Option<(u32, usize)> {
    let m = inform(s)?;
    Some((m.summary.retry_count?, m.index))
}

fn inform_time_ns(s: &Session) -> Option<i64> {
    let m = inform(s)?;
    let Some(Rpc::Inform(i)) = rpc(m) else {
        return None;
    };
    let raw = &i.current_time.as_ref()?.raw;
    cwmp_capture::parse_rfc3339(raw).map(|t| t.0)
}

/// The wait between a failed try and its retry: capture times when present, else the Informs'
/// CurrentTime (start to start, an upper bound of the wait).
fn wait_ns(prev: &Session, s: &Session) -> Option<i64> {
    let end = prev.messages.iter().rev().find_map(|m| m.time_ns);
    let start = s.messages.iter().find_map(|m| m.time_ns);
    match (end, start) {
        (Some(a), Some(b)) => Some(b - a),
        _ => Some(inform_time_ns(s)? - inform_time_ns(prev)?),
    }
}

fn retries(capture: &Capture, out: &mut Vec<Finding>) {
    for d in &capture.devices {
        let sessions: Vec<&Session> = d
            .sessions
            .iter()
            .filter_map(|&i| capture.sessions.get(i))
            .filter(|s| inform(s).is_some())
            .collect();
        let mut run: Vec<(&Session, u32, usize)> = Vec::new();
        for (k, s) in sessions.iter().enumerate() {
            let Some((n, i)) = retry_count(s) else {
                continue;
            };
            let prev = k.checked_sub(1).and_then(|p| sessions.get(p));
            if n > 0 {
                run.push((s, n, i));
                if let Some(prev) = prev {
                    if delivered(prev) && retry_count(prev).is_some() {
                        push(
                            out,
                            s,
                            "retry.count-not-reset",
                            &[i],
                            format!(
                                "RetryCount is {n} although the previous session of {} succeeded",
                                d.id
                            ),
                        );
                    } else if let Some(wait) = wait_ns(prev, s) {
                        let exp = n.clamp(1, 10) - 1;
                        let min = 5_000_000_000_i64 << exp;
                        if wait < min {
                            push(
                                out,
                                s,
                                "retry.too-fast",
                                &[i],
                                format!(
                                    "retry {n} came {:.1} s after the failed try; TR-069 Table 3 \
                                 asks for at least {} s with default settings",
                                    ms(wait),
                                    min / 1_000_000_000
                                ),
                            );
                        }
                    }
                }
            }
            let next_continues = sessions
                .get(k + 1)
                .and_then(|x| retry_count(x))
                .is_some_and(|(n, _)| n > 0);
            if !run.is_empty() && (n == 0 || !next_continues) {
                report_run(out, &run, &d.id);
                run.clear();
            }
        }
    }
}

fn report_run(out: &mut Vec<Finding>, run: &[(&Session, u32, usize)], device: &str) {
    let Some(&(last, _, _)) = run.last() else {
        return;
    };
    let counts: Vec<String> = run.iter().map(|r| r.1.to_string()).collect();
    let refs = run.iter().map(|&(s, _, i)| at(s, i)).collect();
    out.push(finding(
        "retry.count",
        Some(last.id),
        refs,
        format!(
            "{device} retried: RetryCount {} — earlier tries of the session failed",
            counts.join(", ")
        ),
    ));
}

#[allow(clippy::cast_precision_loss)]
fn ms(ns: i64) -> f64 {
    ns as f64 / 1e9
}

// ---------------------------------------------------------------------------------------------
// Fault codes

fn faults(s: &Session, out: &mut Vec<Finding>) {
    for m in &s.messages {
        match rpc(m) {
            Some(Rpc::TransferComplete(t)) => {
                let code = t.fault_struct.as_ref().and_then(|f| f.fault_code.as_ref());
                check_tc_code(out, s, m, code.and_then(|c| c.value));
            }
            Some(Rpc::AutonomousTransferComplete(t)) => {
                let code = t.fault_struct.as_ref().and_then(|f| f.fault_code.as_ref());
                check_tc_code(out, s, m, code.and_then(|c| c.value));
            }
            Some(Rpc::DuStateChangeComplete(d)) => {
                let codes = d
                    .results
                    .iter()
                    .filter_map(|r| r.fault.as_ref()?.fault_code.as_ref()?.value);
                check_du_codes(out, s, m, codes);
            }
            Some(Rpc::AutonomousDuStateChangeComplete(d)) => {
                let codes = d
                    .results
                    .iter()
                    .filter_map(|r| r.fault.as_ref()?.fault_code.as_ref()?.value);
                check_du_codes(out, s, m, codes);
            }
            _ => {}
        }
        if m.kind == MessageKind::Fault
            && m.direction == Direction::CpeToAcs
            && let Some(code) = m.summary.fault_code
            && m.pair
                .and_then(|p| s.messages.get(p))
                .is_some_and(|r| r.rpc == "ChangeDUState")
            && !(allowed_in_du_state_change_complete(code) || (9000..=9004).contains(&code))
        {
            push(
                out,
                s,
                "fault.du-code",
                &[m.index],
                format!(
                    "fault {code} answering ChangeDUState is outside the deployment-unit fault codes"
                ),
            );
        }
    }
}

fn check_tc_code(out: &mut Vec<Finding>, s: &Session, m: &Message, code: Option<u32>) {
    if let Some(code) = code
        && !allowed_in_transfer_complete(code)
    {
        push(
            out,
            s,
            "fault.transfer-complete-code",
            &[m.index],
            format!(
                "{} reports fault {code}, which is not among the codes TransferComplete allows",
                m.rpc
            ),
        );
    }
}

fn check_du_codes(
    out: &mut Vec<Finding>,
    s: &Session,
    m: &Message,
    codes: impl Iterator<Item = u32>,
) {
    let bad: Vec<String> = codes
        .filter(|&c| !allowed_in_du_state_change_complete(c))
        .map(|c| c.to_string())
        .collect();
    if !bad.is_empty() {
        push(
            out,
            s,
            "fault.du-code",
            &[m.index],
            format!(
                "{} reports fault {}, outside the deployment-unit fault codes",
                m.rpc,
                bad.join(", ")
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Versions

/// RPCs newer than 1.0, with the version whose schema first declares them.
const RPC_SINCE: &[(&str, CwmpVersion)] = &[
    ("AutonomousTransferComplete", CwmpVersion::V1_1),
    ("GetAllQueuedTransfers", CwmpVersion::V1_1),
    ("ScheduleDownload", CwmpVersion::V1_2),
    ("CancelTransfer", CwmpVersion::V1_2),
    ("ChangeDUState", CwmpVersion::V1_2),
    ("DUStateChangeComplete", CwmpVersion::V1_2),
    ("AutonomousDUStateChangeComplete", CwmpVersion::V1_2),
];

fn xsd(v: CwmpVersion) -> &'static str {
    match v {
        CwmpVersion::V1_0 => "cwmp-1-0.xsd",
        CwmpVersion::V1_1 => "cwmp-1-1.xsd",
        CwmpVersion::V1_2 => "cwmp-1-2.xsd",
        CwmpVersion::V1_3 => "cwmp-1-3.xsd",
        CwmpVersion::V1_4 => "cwmp-1-4.xsd",
    }
}

fn parse_version(text: &str) -> Option<CwmpVersion> {
    CwmpVersion::ALL
        .into_iter()
        .find(|v| v.as_str() == text.trim())
}

/// The CWMP version of a session, as far as the messages tell.
struct Negotiated {
    ns: CwmpNamespace,
    /// The CPE's SupportedCWMPVersions (message, value).
    supported: Option<(usize, String)>,
    /// The ACS's UseCWMPVersion (message, value).
    used: Option<(usize, String)>,
    /// UseCWMPVersion, else the newest version the namespace carries.
    version: CwmpVersion,
    /// How the version was found, for messages.
    label: String,
}

fn versions(s: &Session, out: &mut Vec<Finding>) {
    let Some(ns) = s
        .messages
        .iter()
        .find_map(|m| envelope(m).and_then(|e| e.namespace))
    else {
        return;
    };
    let supported = s.messages.iter().find_map(|m| {
        let h = header(m)?.supported_cwmp_versions.as_ref()?;
        Some((m.index, h.value.raw.clone()))
    });
    let used = s.messages.iter().find_map(|m| {
        let h = header(m)?.use_cwmp_version.as_ref()?;
        Some((m.index, h.value.raw.trim().to_owned()))
    });
    let version = used
        .as_ref()
        .and_then(|u| parse_version(&u.1))
        .unwrap_or(ns.max_version());
    let label = match &used {
        Some(u) => format!("UseCWMPVersion {}", u.1),
        None => format!("namespace {}", ns.uri()),
    };
    if !ns.is_official() {
        let first = s
            .messages
            .iter()
            .find(|m| envelope(m).and_then(|e| e.namespace) == Some(ns))
            .map_or(0, |m| m.index);
        push(
            out,
            s,
            "version.unofficial-namespace",
            &[first],
            format!(
                "the session uses {}, which was never published; versions 1.3 and 1.4 keep \
             urn:dslforum-org:cwmp-1-2",
                ns.uri()
            ),
        );
    }
    let n = Negotiated {
        ns,
        supported,
        used,
        version,
        label,
    };
    version_elements(s, &n, out);
    version_headers(s, &n, out);
}

/// RPCs, events and faults newer than the session's version.
fn version_elements(s: &Session, n: &Negotiated, out: &mut Vec<Finding>) {
    let Negotiated {
        supported,
        used,
        version,
        label,
        ..
    } = n;
    let version = *version;
    let mut reported = Vec::new();
    for m in &s.messages {
        if m.kind == MessageKind::Request || m.kind == MessageKind::Response {
            let base = m.rpc.strip_suffix("Response").unwrap_or(&m.rpc);
            if let Some(&(_, since)) = RPC_SINCE.iter().find(|(n, _)| *n == base)
                && since > version
                && !reported.contains(&base)
            {
                reported.push(base);
                push(
                    out,
                    s,
                    "version.rpc",
                    &[m.index],
                    format!(
                        "{} first appears in CWMP {since} ({}), but this session is {label}",
                        m.rpc,
                        xsd(since)
                    ),
                );
            }
        }
    }
    if let Some(inform) = inform(s) {
        for e in &inform.summary.events {
            let code = EventCode::parse(e);
            let since = match &code {
                EventCode::Standard(std) => Some(std.since),
                _ => code.method_event().map(|m| m.since),
            };
            if let Some(since) = since.filter(|&v| v > version) {
                push(
                    out,
                    s,
                    "version.event",
                    &[inform.index],
                    format!(
                        "event \"{e}\" first appears in CWMP {since} ({}), but this session is {label}",
                        xsd(since)
                    ),
                );
            }
        }
    }
    for m in &s.messages {
        let Some(code) = m.summary.fault_code else {
            continue;
        };
        let Some(info) = fault_info(code) else {
            continue;
        };
        // 8006 answers SupportedCWMPVersions: without it the CPE is older than 1.4.
        let limit = if code == 8006 && supported.is_none() && used.is_none() {
            version.min(CwmpVersion::V1_3)
        } else {
            version
        };
        if info.since > limit {
            push(
                out,
                s,
                "version.fault",
                &[m.index],
                format!(
                    "fault {code} first appears in CWMP {} ({}), but this session is {label}{}",
                    info.since,
                    xsd(info.since),
                    if limit < version {
                        " and the CPE sent no SupportedCWMPVersions"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
}

/// SupportedCWMPVersions and UseCWMPVersion.
fn version_headers(s: &Session, n: &Negotiated, out: &mut Vec<Finding>) {
    let Negotiated {
        ns,
        supported,
        used,
        ..
    } = n;
    if let (Some((si, list)), Some((ui, u))) = (&supported, &used)
        && !list.split(',').any(|v| v.trim() == u)
    {
        push(
            out,
            s,
            "version.use-not-supported",
            &[*si, *ui],
            format!(
                "the ACS chose UseCWMPVersion {u}, which is not among the CPE's \
             SupportedCWMPVersions \"{list}\""
            ),
        );
    }
    if let Some((si, _)) = &supported
        && used.is_none()
        && let Some(r) = s.messages.iter().find(|m| m.rpc == "InformResponse")
    {
        push(
            out,
            s,
            "version.supported-ignored",
            &[*si, r.index],
            "the CPE sent SupportedCWMPVersions but the ACS answered without UseCWMPVersion"
                .to_owned(),
        );
    }
    if ns.max_version() < CwmpVersion::V1_4 {
        let refs: Vec<usize> = [&supported, &used]
            .into_iter()
            .filter_map(|x| x.as_ref().map(|x| x.0))
            .collect();
        if !refs.is_empty() {
            push(
                out,
                s,
                "version.header-before-1-4",
                &refs,
                format!(
                    "SupportedCWMPVersions/UseCWMPVersion belong to CWMP 1.4, but the session uses \
                 {}",
                    ns.uri()
                ),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Codec diagnostics

fn codec(s: &Session, out: &mut Vec<Finding>) {
    // code → (severity, first message text, messages)
    let mut groups: BTreeMap<&str, (Severity, &str, Vec<usize>)> = BTreeMap::new();
    for m in &s.messages {
        for d in &m.diagnostics {
            let g = groups.entry(d.code.as_str()).or_insert((
                d.severity,
                d.message.as_str(),
                Vec::new(),
            ));
            g.0 = g.0.max(d.severity);
            if !g.2.contains(&m.index) {
                g.2.push(m.index);
            }
        }
    }
    for (code, (severity, text, msgs)) in groups {
        let rule = format!("codec.{code}");
        let n = msgs.len();
        let message = if n > 1 {
            format!("{text} (and in {} more messages)", n - 1)
        } else {
            text.to_owned()
        };
        out.push(Finding {
            rule,
            severity,
            message,
            spec: "TR-069 Annex A; cwmp-1-N.xsd".to_owned(),
            session: Some(s.id),
            messages: msgs.into_iter().map(|i| at(s, i)).collect(),
            connection_request: None,
        });
    }
}
