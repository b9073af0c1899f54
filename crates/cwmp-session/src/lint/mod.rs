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

mod auth;
mod codec;
mod events;
mod faults;
mod http;
mod order;
mod retries;
mod versions;

use crate::model::{
    Capture, Direction, Finding, Message, MessageKind, MessageRef, Session, SessionEnd, Severity,
};
use auth::auth;
use codec::codec;
use events::{bootstrap, connection_requests, events};
use faults::{faults, repeated_faults};
use http::{auth_loop, cookies};
use order::machine_rules;
use retries::retries;
use versions::versions;

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
        "session.repeated-fault",
        Warning,
        "The same request does not fail with the same fault again and again in one session",
        "TR-069 §3.5, Annex A.5 (fault codes)",
    ),
    rule(
        "http.auth-loop",
        Warning,
        "HTTP authentication succeeds: no more than 2 consecutive 401s, no 401 after credentials",
        "TR-069 §3.4.4",
    ),
    rule(
        "auth.challenge-unanswered",
        Warning,
        "A client answers the server's 401 challenge with credentials",
        "TR-069 §3.4.4 (§3.2.2 for connection requests); RFC 7235 §3.1, RFC 7616 §3.4",
    ),
    rule(
        "auth.scheme-mismatch",
        Warning,
        "Credentials answer a challenge in the scheme it offered (Digest is not answered with Basic)",
        "TR-069 §3.4.4 (§3.2.2 for connection requests); RFC 7235 §2.1, RFC 7616 §3.4, RFC 7617 §2",
    ),
    rule(
        "auth.realm-mismatch",
        Warning,
        "A refused Digest answer names the realm of the challenge it answers",
        "TR-069 §3.4.4 (§3.2.2 for connection requests); RFC 7616 §3.3, §3.4",
    ),
    rule(
        "auth.stale-nonce",
        Warning,
        "A refused Digest answer uses the nonce of the challenge it answers, not an expired one",
        "TR-069 §3.4.4 (§3.2.2 for connection requests); RFC 7616 §3.3 (nonce, stale)",
    ),
    rule(
        "auth.uri-mismatch",
        Warning,
        "A refused Digest answer's uri is the request target",
        "TR-069 §3.4.4 (§3.2.2 for connection requests); RFC 7616 §3.4, §3.4.6",
    ),
    rule(
        "auth.qop-not-offered",
        Warning,
        "A refused Digest answer chooses a qop the challenge offered",
        "TR-069 §3.4.4 (§3.2.2 for connection requests); RFC 7616 §3.3, §3.4",
    ),
    rule(
        "auth.algorithm-mismatch",
        Warning,
        "A refused Digest answer hashes with the challenge's algorithm",
        "TR-069 §3.4.4 (§3.2.2 for connection requests); RFC 7616 §3.3, §3.4",
    ),
    rule(
        "auth.credentials-refused",
        Warning,
        "Credentials that match the challenge in every field are accepted (else: the password)",
        "TR-069 §3.4.4 (§3.2.2 for connection requests); RFC 7616 §3.4.1, RFC 7617 §2",
    ),
    rule(
        "auth.connection-request-unauthenticated",
        Error,
        "The CPE accepts a connection request only from an authenticated ACS",
        "TR-069 §3.2.2; RFC 7616",
    ),
    rule(
        "auth.basic-over-http",
        Warning,
        "No Basic credentials over plain HTTP: Digest without TLS (unverified)",
        "TR-069 §3.4.4, §3.2.2; RFC 7617 §4",
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
        repeated_faults(s, &mut out);
        versions(s, &mut out);
        codec(s, &mut out);
    }
    auth_loop(capture, &mut out);
    auth(capture, &mut out);
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
    m.envelope.as_deref()
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
