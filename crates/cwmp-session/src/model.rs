//! The `Capture` model: devices, sessions, messages, connection requests, findings and the import
//! summary. It serialises to the JSON that `cwmpi decode --json` prints; that JSON is a contract
//! (see [`FORMAT`] and [`VERSION`]), documented field by field here.
//!
//! Fields marked `#[serde(skip)]` carry the full decoded data for in-process users (the app, the
//! linter) and are not part of the JSON.

use cwmp_capture::{ConnectionRequest, ConnectionRequestOutcome, HttpExchange, Timestamp};
use cwmp_codec::{Diagnostic, Envelope};
use serde::{Deserialize, Serialize};

/// The `format` field of the JSON: identifies the document.
pub const FORMAT: &str = "cwmp-inspector-capture";
/// The `version` field of the JSON. It changes only when a field is removed or changes meaning;
/// new fields may appear without a change.
pub const VERSION: u32 = 1;

/// Who sent a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// From the CPE to the ACS (an HTTP request, in CWMP over HTTP).
    #[serde(rename = "cpe-to-acs")]
    CpeToAcs,
    /// From the ACS to the CPE (an HTTP response).
    #[serde(rename = "acs-to-cpe")]
    AcsToCpe,
}

impl Direction {
    /// `cpe-to-acs` or `acs-to-cpe`, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CpeToAcs => "cpe-to-acs",
            Self::AcsToCpe => "acs-to-cpe",
        }
    }

    /// The other side.
    #[must_use]
    pub fn reverse(self) -> Self {
        match self {
            Self::CpeToAcs => Self::AcsToCpe,
            Self::AcsToCpe => Self::CpeToAcs,
        }
    }
}

/// What role a message plays in the CWMP exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageKind {
    /// An RPC request (Inform, GetParameterValues, …).
    Request,
    /// An RPC response (InformResponse, GetParameterValuesResponse, …).
    Response,
    /// A SOAP Fault answering a request.
    Fault,
    /// An empty HTTP body: the CPE's empty POST, or the ACS's empty response.
    Empty,
    /// A body that is not a CWMP message (an HTML error page, a body that does not decode).
    Other,
}

/// Key fields of a message, for one-line displays and filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSummary {
    /// Inform: the event codes, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    /// Number of parameters (names, values or attributes) the message lists, when it lists any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<usize>,
    /// A Fault's FaultCode, or a TransferComplete's FaultStruct code when not 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault_code: Option<u32>,
    /// The matching FaultString.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault_string: Option<String>,
    /// The CommandKey, for RPCs that carry one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_key: Option<String>,
    /// Inform: RetryCount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_count: Option<u32>,
    /// The `cwmp:HoldRequests` header value, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold_requests: Option<bool>,
    /// The RPC's key argument, for one-line displays: the object path of AddObject and
    /// DeleteObject, the parameter of a one-parameter Get/SetParameterValues, a Download's file
    /// type and host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argument: Option<String>,
    /// An ACS answer's HTTP authentication challenge (its first `WWW-Authenticate` header) as
    /// `Digest realm="acs" qop="auth"`: the scheme, then `realm`, `qop` and `stale=true` when
    /// sent (no nonce or opaque).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// The credentials a CPE request carries (its `Authorization` header), without secrets: the
    /// scheme, then `realm` and `qop` when sent (`Digest realm="acs" qop="auth"`, `Basic`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
}

/// A codec diagnostic on a message: a tolerated deviation (vendor quirk).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDiagnostic {
    /// Stable code, such as `lowercase-oui`.
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// A sentence for the user.
    pub message: String,
}

/// One CWMP message: an HTTP body, decoded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Position in the session, from 0.
    pub index: usize,
    /// Who sent it.
    pub direction: Direction,
    /// The body element's local name (`Inform`, `GetParameterValuesResponse`, `Fault`), `Empty`
    /// for an empty HTTP body, or `Unknown` when the body is not CWMP.
    pub rpc: String,
    /// Request, response, fault, empty or other.
    pub kind: MessageKind,
    /// The `cwmp:ID` header.
    pub cwmp_id: Option<String>,
    /// The HTTP method, for CPE-to-ACS messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_method: Option<String>,
    /// The HTTP status, for ACS-to-CPE messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Capture time of the message's first byte, RFC 3339 in UTC.
    pub time: Option<String>,
    /// The same time in nanoseconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ns: Option<i64>,
    /// The message answering this one, or answered by it (index in the session).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<usize>,
    /// Index of the HTTP exchange in the import that carried it.
    pub exchange: usize,
    /// TCP connection (`tcp.stream`), for captures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<u64>,
    /// Frames holding the first and last byte (first, last), for captures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frames: Option<(u64, u64)>,
    /// Size of the HTTP body, decoded.
    pub body_bytes: usize,
    /// Key fields.
    pub summary: MessageSummary,
    /// Codec diagnostics (vendor quirks), in input order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<MessageDiagnostic>,
    /// Why the body could not be decoded, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decode_error: Option<String>,
    /// The decoded envelope (not in the JSON).
    #[serde(skip)]
    pub envelope: Option<Box<Envelope>>,
    /// The codec's diagnostics as decoded, with spans (not in the JSON).
    #[serde(skip)]
    pub codec_diagnostics: Vec<Diagnostic>,
}

impl Message {
    /// The parameter names or paths the message lists (from its decoded envelope), for search
    /// and rules; empty when it lists none.
    pub fn parameter_names(&self) -> Vec<&str> {
        match self.envelope.as_deref() {
            Some(Envelope {
                body: cwmp_codec::Body::Rpc(rpc),
                ..
            }) => rpc_parameter_names(rpc).unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// The parameter names or paths an RPC lists, when it is one that lists them.
pub fn rpc_parameter_names(rpc: &cwmp_codec::Rpc) -> Option<Vec<&str>> {
    use cwmp_codec::Rpc;
    fn text(t: Option<&cwmp_codec::Text>) -> &str {
        t.map_or("", |t| t.value.as_str())
    }
    Some(match rpc {
        Rpc::Inform(i) => i
            .parameter_list
            .iter()
            .flatten()
            .map(|p| text(p.name.as_ref()))
            .collect(),
        Rpc::GetParameterValues(g) => g
            .parameter_names
            .iter()
            .flatten()
            .map(|n| n.value.as_str())
            .collect(),
        Rpc::GetParameterValuesResponse(g) => g
            .parameter_list
            .iter()
            .flatten()
            .map(|p| text(p.name.as_ref()))
            .collect(),
        Rpc::SetParameterValues(p) => p
            .parameter_list
            .iter()
            .flatten()
            .map(|p| text(p.name.as_ref()))
            .collect(),
        Rpc::GetParameterNames(g) => g.parameter_path.iter().map(|p| p.value.as_str()).collect(),
        Rpc::GetParameterNamesResponse(g) => g
            .parameter_list
            .iter()
            .flatten()
            .map(|p| text(p.name.as_ref()))
            .collect(),
        Rpc::GetParameterAttributes(g) => g
            .parameter_names
            .iter()
            .flatten()
            .map(|n| n.value.as_str())
            .collect(),
        Rpc::GetParameterAttributesResponse(g) => g
            .parameter_list
            .iter()
            .flatten()
            .map(|p| text(p.name.as_ref()))
            .collect(),
        Rpc::SetParameterAttributes(g) => g
            .parameter_list
            .iter()
            .flatten()
            .map(|p| text(p.name.as_ref()))
            .collect(),
        Rpc::AddObject(a) => a.object_name.iter().map(|n| n.value.as_str()).collect(),
        Rpc::DeleteObject(d) => d.object_name.iter().map(|n| n.value.as_str()).collect(),
        _ => return None,
    })
}

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionEnd {
    /// The ACS sent its empty response (204, or 200 without body).
    Completed,
    /// The connection closed (FIN or RST) before the empty response.
    ConnectionClosed,
    /// The capture ends before the session does.
    Unfinished,
}

/// A CWMP session: from an Inform to the ACS's empty response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Position in the capture, from 0, in time order.
    pub id: usize,
    /// Index of the device in [`Capture::devices`], when known.
    pub device: Option<usize>,
    /// Time of the first message, RFC 3339.
    pub start: Option<String>,
    /// Time of the last message, RFC 3339.
    pub end: Option<String>,
    /// How it ended.
    pub ended: SessionEnd,
    /// The Inform's event codes.
    pub events: Vec<String>,
    /// The CPE side (IP and port of its first connection), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// The ACS side, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acs: Option<String>,
    /// TCP connections the session used, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streams: Vec<u64>,
    /// The CWMP namespace of its first CWMP message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The connection request that triggered it (index in [`Capture::connection_requests`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_request: Option<usize>,
    /// The UDP connection request that triggered it (index in
    /// [`Capture::udp_connection_requests`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udp_connection_request: Option<usize>,
    /// Messages in wire order.
    pub messages: Vec<Message>,
    /// Indices of its findings in [`Capture::findings`].
    pub findings: Vec<usize>,
}

/// A CPE, identified by its Inform's DeviceId.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// `OUI-ProductClass-SerialNumber` (the ProductClass part is left out when empty), as in the
    /// TR-069 HTTP username convention.
    pub id: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// OUI.
    pub oui: String,
    /// ProductClass.
    pub product_class: String,
    /// SerialNumber.
    pub serial_number: String,
    /// Its sessions (indices in [`Capture::sessions`]).
    pub sessions: Vec<usize>,
}

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; not wrong.
    Info,
    /// Probably wrong, or tolerated by most peers.
    Warning,
    /// Breaks the protocol: a peer may fail on it.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl From<cwmp_codec::Severity> for Severity {
    fn from(s: cwmp_codec::Severity) -> Self {
        match s {
            cwmp_codec::Severity::Error => Self::Error,
            cwmp_codec::Severity::Warning => Self::Warning,
            cwmp_codec::Severity::Info => Self::Info,
        }
    }
}

/// A message a finding points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MessageRef {
    /// The session.
    pub session: usize,
    /// The message's index in it.
    pub message: usize,
}

/// A rule broken, with where and the section of TR-069 that says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, such as `session.inform-first`.
    pub rule: String,
    /// How much it matters.
    pub severity: Severity,
    /// A sentence for the user.
    pub message: String,
    /// The spec reference, such as `TR-069 §3.7.1.1`.
    pub spec: String,
    /// The session concerned, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<usize>,
    /// The messages concerned.
    pub messages: Vec<MessageRef>,
    /// The connection request concerned, if one (index in [`Capture::connection_requests`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_request: Option<usize>,
}

/// One attempt of a connection request, for the JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionRequestAttemptView {
    /// When the GET was sent, RFC 3339.
    pub time: Option<String>,
    /// The response status.
    pub status: Option<u16>,
    /// Whether the GET carried an Authorization header.
    pub authorized: bool,
    /// The HTTP exchange (index in the import).
    pub exchange: usize,
    /// The connection was reset (TCP RST) without an answer to this GET.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
}

/// A UDP connection request (TR-069 Annex G, for CPEs behind NAT), for the JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UdpConnectionRequestView {
    /// Position in the capture, from 0.
    pub id: usize,
    /// The datagram's frame (1-based).
    pub frame: u64,
    /// When it was sent, RFC 3339.
    pub time: Option<String>,
    /// The sender (the ACS, or a relay).
    pub acs: String,
    /// The receiver (the CPE's STUN-discovered address).
    pub cpe: String,
    /// The request target as sent, with its query.
    pub target: String,
    /// `ts`: the ACS's timestamp, in seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts: Option<u64>,
    /// `id`: the message identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// `un`: the connection request username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `cn`: the cnonce.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cnonce: Option<String>,
    /// `sig`: the HMAC-SHA1 signature, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Departures from Annex G, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// The session it triggered (index in [`Capture::sessions`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<usize>,
}

/// A connection request (TR-069 §3.2.2), for the JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionRequestView {
    /// Position in the capture, from 0.
    pub id: usize,
    /// When the first GET was sent, RFC 3339.
    pub time: Option<String>,
    /// The ACS side.
    pub acs: Option<String>,
    /// The CPE side.
    pub cpe: Option<String>,
    /// The request target.
    pub target: String,
    /// `Digest`, `Basic`, or null without authentication.
    pub scheme: Option<String>,
    /// Digest realm.
    pub realm: Option<String>,
    /// Digest nonce.
    pub nonce: Option<String>,
    /// Digest uri.
    pub uri: Option<String>,
    /// Digest qop.
    pub qop: Option<String>,
    /// Digest response.
    pub response: Option<String>,
    /// The username.
    pub username: Option<String>,
    /// Final status.
    pub result: Option<u16>,
    /// How it ended: `accepted`, `refused`, `auth-failed`, `not-authenticated`, `reset` or
    /// `no-answer` (absent only in documents written before the field existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ConnectionRequestOutcome>,
    /// The device it was sent to (index in [`Capture::devices`]), from the
    /// `ConnectionRequestURL` a device reported, else from the session it triggered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<usize>,
    /// The session it triggered (index in [`Capture::sessions`]).
    pub session: Option<usize>,
    /// The GETs.
    pub attempts: Vec<ConnectionRequestAttemptView>,
    /// The record as imported (not in the JSON; empty when read back from it).
    #[serde(skip)]
    pub record: ConnectionRequest,
}

impl ConnectionRequestView {
    /// The outcome in words, for a row or a pane: `accepted (200)`, `failed: reset by the CPE
    /// (TCP RST), no answer`, `failed: still 401 after 3 authenticated attempts`…
    pub fn outcome_text(&self) -> String {
        let status = self.result.unwrap_or_default();
        let authorized = self.attempts.iter().filter(|a| a.authorized).count();
        match self.outcome {
            None => self
                .result
                .map_or_else(|| "no answer".to_owned(), |s| s.to_string()),
            Some(ConnectionRequestOutcome::Accepted) => format!("accepted ({status})"),
            Some(ConnectionRequestOutcome::Refused) => format!("failed: refused ({status})"),
            Some(ConnectionRequestOutcome::AuthFailed) => format!(
                "failed: still 401 after {authorized} authenticated attempt{}",
                if authorized == 1 { "" } else { "s" }
            ),
            Some(ConnectionRequestOutcome::NotAuthenticated) => {
                "failed: challenged (401), the ACS never sent credentials".to_owned()
            }
            // Without attempts, the TCP connection itself failed: no GET was ever sent.
            Some(ConnectionRequestOutcome::Reset) if self.attempts.is_empty() => {
                "failed: the CPE refused the connection (TCP RST)".to_owned()
            }
            Some(ConnectionRequestOutcome::NoAnswer) if self.attempts.is_empty() => {
                "failed: the CPE never answered the connection (SYN unanswered)".to_owned()
            }
            Some(ConnectionRequestOutcome::Reset) => {
                "failed: reset by the CPE (TCP RST), no answer".to_owned()
            }
            Some(ConnectionRequestOutcome::NoAnswer) => "failed: no answer from the CPE".to_owned(),
        }
    }
}

/// A TCP connection that carries TLS: its CWMP cannot be read without the session keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsConnectionView {
    /// The connection number (`tcp.stream`).
    pub stream: u64,
    /// The client, `ip:port` (`[ip]:port` for IPv6).
    pub client: String,
    /// The server, `ip:port`.
    pub server: String,
    /// The host name the client asked for (SNI), when its ClientHello was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    /// The version the server chose, such as `TLS 1.2`, when its ServerHello was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The highest version the client offered, when its ClientHello was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered: Option<String>,
}

/// A located import problem, for the JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// Where, such as `frame 12` or `tcp.stream 3 client→server byte 1460`.
    pub location: String,
    /// What.
    pub message: String,
}

/// Where the capture came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The file name, when known.
    pub name: Option<String>,
    /// The recognised format, such as `pcap (little-endian, microsecond timestamps)` or `HAR`.
    pub format: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// Everything the inspector knows about one input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capture {
    /// Always [`FORMAT`].
    #[serde(skip_deserializing, default = "format_field")]
    pub format: &'static str,
    /// Always [`VERSION`].
    pub version: u32,
    /// Where it came from.
    pub source: Source,
    /// Devices, in order of first appearance.
    pub devices: Vec<Device>,
    /// Sessions, in time order.
    pub sessions: Vec<Session>,
    /// Connection requests, in time order.
    pub connection_requests: Vec<ConnectionRequestView>,
    /// UDP connection requests (TR-069 Annex G), in time order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub udp_connection_requests: Vec<UdpConnectionRequestView>,
    /// Findings, grouped by session in session order.
    pub findings: Vec<Finding>,
    /// What the import read and did not read.
    pub import_summary: ImportSummaryView,
    /// Located problems from the import.
    pub import_problems: Vec<ImportProblem>,
    /// TCP connections that carry TLS, in connection order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls_connections: Vec<TlsConnectionView>,
    /// The HTTP exchanges the sessions were built from (not in the JSON); without their bodies
    /// when [`crate::AnalyseOptions::keep_http_bodies`] is off.
    #[serde(skip)]
    pub exchanges: Vec<HttpExchange>,
}

/// [`Capture::format`] read back: the document is always [`FORMAT`].
fn format_field() -> &'static str {
    FORMAT
}

/// The import summary, for the JSON: every field of [`cwmp_capture::ImportSummary`], flattened,
/// plus what session analysis adds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummaryView {
    /// What the import counted.
    #[serde(flatten)]
    pub import: cwmp_capture::ImportSummary,
    /// HTTP messages whose body is not CWMP (did not decode).
    pub bodies_not_cwmp: u64,
    /// HTTP traffic that is not CWMP (an ACS's REST API, web UI, file server), connection
    /// requests aside; absent when there is none.
    #[serde(default, skip_serializing_if = "OtherHttpView::is_empty")]
    pub other_http: OtherHttpView,
}

/// At most this many hosts, servers and ports are listed in [`OtherHttpView`].
const OTHER_HTTP_LISTED: usize = 50;

/// HTTP exchanges that are not CWMP: counted and described, never made into sessions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherHttpView {
    /// How many exchanges.
    pub exchanges: u64,
    /// Exchanges per request method (`GET`, `POST`…; `-` for a response without its request).
    pub methods: std::collections::BTreeMap<String, u64>,
    /// The `Host` headers they were sent to, sorted (at most 50).
    pub hosts: Vec<String>,
    /// The server addresses (`ip:port`), sorted (at most 50).
    pub servers: Vec<String>,
    /// The server ports, sorted (at most 50).
    pub ports: Vec<u16>,
}

impl OtherHttpView {
    /// Whether there is no other HTTP.
    pub fn is_empty(&self) -> bool {
        self.exchanges == 0
    }

    /// Counts one exchange.
    pub fn add(&mut self, x: &HttpExchange) {
        fn insert<T: Ord>(list: &mut Vec<T>, value: T) {
            if let Err(at) = list.binary_search(&value)
                && list.len() < OTHER_HTTP_LISTED
            {
                list.insert(at, value);
            }
        }
        self.exchanges += 1;
        let method = x.request.as_ref().and_then(|r| r.method()).unwrap_or("-");
        match self.methods.get_mut(method) {
            Some(n) => *n += 1,
            None => {
                self.methods.insert(method.to_owned(), 1);
            }
        }
        if let Some(host) = x
            .request
            .as_ref()
            .and_then(|r| r.headers_named("host").next())
            && self
                .hosts
                .binary_search_by(|h| h.as_str().cmp(host))
                .is_err()
        {
            insert(&mut self.hosts, host.to_owned());
        }
        if let Some(server) = x.server {
            insert(&mut self.ports, server.port());
            insert(&mut self.servers, server.to_string());
        }
    }

    /// In words: `3 exchanges (GET 2, POST 1) to acs:7557, acs:3000 (ports 3000, 7557)`.
    pub fn describe(&self) -> String {
        use std::fmt::Write as _;
        let methods: Vec<String> = self
            .methods
            .iter()
            .map(|(m, n)| format!("{m} {n}"))
            .collect();
        let mut out = format!(
            "{} exchange{} ({})",
            self.exchanges,
            if self.exchanges == 1 { "" } else { "s" },
            methods.join(", ")
        );
        let to: &[String] = if self.hosts.is_empty() {
            &self.servers
        } else {
            &self.hosts
        };
        if !to.is_empty() {
            out.push_str(" to ");
            out.push_str(&to.join(", "));
        }
        if !self.ports.is_empty() {
            let ports: Vec<String> = self.ports.iter().map(u16::to_string).collect();
            let _ = write!(
                out,
                " (port{} {})",
                if ports.len() == 1 { "" } else { "s" },
                ports.join(", ")
            );
        }
        out
    }
}

impl Capture {
    /// The JSON contract, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The message a reference points at.
    pub fn message(&self, r: MessageRef) -> Option<&Message> {
        self.sessions.get(r.session)?.messages.get(r.message)
    }

    /// Whether any finding has error severity.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Formats a capture time as RFC 3339 in UTC with the precision present (seconds, ms, µs or ns).
pub fn rfc3339(t: Timestamp) -> String {
    let secs = t.0.div_euclid(1_000_000_000);
    let nanos = t.0.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let frac = if nanos == 0 {
        String::new()
    } else if nanos % 1_000_000 == 0 {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    };
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}{frac}Z")
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_with_the_precision_present() {
        assert_eq!(rfc3339(Timestamp(0)), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(Timestamp(1_650_901_277_549_000_000)),
            "2022-04-25T15:41:17.549Z"
        );
        assert_eq!(
            rfc3339(Timestamp(951_782_400_000_001_000)),
            "2000-02-29T00:00:00.000001Z"
        );
        assert_eq!(rfc3339(Timestamp(-1)), "1969-12-31T23:59:59.999999999Z");
    }
}
