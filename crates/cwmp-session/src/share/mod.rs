//! Sharing a capture as a link: the secrets and identifiers it holds ([`find_redactions`]), the
//! capture written back as HAR 1.2 with the chosen ones replaced ([`export`]), and the link's
//! fragment ([`link_fragment`], [`parse_fragment`]).
//!
//! The HAR is what `cwmp-capture` reads back (see its `text::har`): per exchange the request's
//! method, URL, version, headers and `postData.text`, the response's status, reason, version,
//! headers and `content.text` (base64 when the body is not UTF-8), `startedDateTime`, `time` and
//! `serverIPAddress`, and in `_`-prefixed custom fields what HAR has no place for: the TCP
//! connection, the client, the frames, the UDP connection requests, the connections that closed
//! and the file name (see `har.rs`). Entries are in the capture's order, so that the recipient's
//! analysis groups them into the same sessions as the sender's.
//!
//! Redactions are found once per distinct secret: turning one occurrence of a password off while
//! the same password stays elsewhere would protect nothing. Each lists every place it covers.
//! Parameter values are replaced through the codec's byte spans, so that a short value such as
//! `1` is replaced where it is the password and nowhere else.
//!
//! A UDP connection request's `sig` (TR-069 Annex G: HMAC-SHA1 keyed with the connection request
//! password) allows the same offline guess of the password as a Digest `response`, so it is
//! redacted with those, by default.

use std::fmt;

use cwmp_capture::{HttpExchange, HttpMessage};

use crate::model::{Capture, Direction};

mod har;
mod link;
mod redact;

pub use link::{
    FRAGMENT_PREFIX, LinkError, SharedLink, base64_decode, base64_encode, check_har, link_fragment,
    parse_fragment, shared_file_name,
};
pub use redact::is_secret_parameter;

use har::write_har;
use redact::{At, Found};

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// What a redaction hides.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum RedactionKind {
    /// The credentials of an `Authorization` header (Basic, Bearer, any scheme but Digest).
    AuthorizationHeader,
    /// The `response` hash of a Digest `Authorization` header, and the `sig` of a UDP connection
    /// request (TR-069 Annex G): each allows an offline guess of the password.
    DigestResponse,
    /// A password: a parameter value whose name says it is one (see [`is_secret_parameter`]), a
    /// transfer's Password (Download, Upload, ScheduleDownload), the password of a URL written
    /// in a body (`http://user:password@host/`), a header whose name contains "password".
    Password,
    /// A CPE serial number (DeviceId), everywhere it appears.
    SerialNumber,
    /// An IP address, everywhere it appears.
    IpAddress,
}

impl RedactionKind {
    /// Every kind, in the order the dialog lists them.
    pub const ALL: [Self; 5] = [
        Self::AuthorizationHeader,
        Self::DigestResponse,
        Self::Password,
        Self::SerialNumber,
        Self::IpAddress,
    ];

    /// A stable name: `authorization`, `digest`, `password`, `serial`, `ip`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationHeader => "authorization",
            Self::DigestResponse => "digest",
            Self::Password => "password",
            Self::SerialNumber => "serial",
            Self::IpAddress => "ip",
        }
    }

    /// A heading for the group.
    pub fn title(self) -> &'static str {
        match self {
            Self::AuthorizationHeader => "Authorization headers",
            Self::DigestResponse => "Digest responses and UDP signatures",
            Self::Password => "Passwords",
            Self::SerialNumber => "Serial numbers",
            Self::IpAddress => "IP addresses",
        }
    }

    /// Secrets are redacted unless the user says otherwise; identifiers only when asked, since
    /// they are often what the person receiving the link needs to see.
    pub fn on_by_default(self) -> bool {
        matches!(
            self,
            Self::AuthorizationHeader | Self::DigestResponse | Self::Password
        )
    }
}

/// The request or the response of an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The HTTP request (from the CPE, in CWMP).
    Request,
    /// The HTTP response (from the ACS).
    Response,
}

impl Side {
    fn of(direction: Direction) -> Self {
        match direction {
            Direction::CpeToAcs => Self::Request,
            Direction::AcsToCpe => Self::Response,
        }
    }
}

/// Where in a message a redacted text stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// A header, by name.
    Header(String),
    /// A parameter's value, by the parameter's name.
    Parameter(String),
    /// An element of an RPC, such as Download's `Password` or DeviceId's `SerialNumber`.
    Element(String),
    /// The request's URL.
    Url,
    /// Text in the body not attached to a known field.
    Body,
    /// The server's address.
    Server,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header(name) => write!(f, "{name} header"),
            Self::Parameter(name) | Self::Element(name) => f.write_str(name),
            Self::Url => f.write_str("URL"),
            Self::Body => f.write_str("body"),
            Self::Server => f.write_str("server address"),
        }
    }
}

/// One place a redaction covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Index of the exchange in [`Capture::exchanges`].
    pub exchange: usize,
    /// Its request or its response.
    pub side: Side,
    /// Where in it.
    pub field: Field,
}

/// A change [`export`] makes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Edit {
    /// Replace the value of the header at `index`.
    Header {
        exchange: usize,
        side: Side,
        index: usize,
        value: String,
    },
    /// Replace `start..end` of the body.
    Span {
        exchange: usize,
        side: Side,
        start: usize,
        end: usize,
        text: String,
    },
    /// Replace every whole-token occurrence of `from`, in headers, URLs, addresses and bodies.
    Token { from: String, to: String },
    /// Replace the `sig` of the UDP connection request at this index, wherever the datagram's
    /// fields show it.
    UdpSignature(usize),
}

/// One secret or identifier found in a capture, and what replaces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redaction {
    /// What it hides.
    pub kind: RedactionKind,
    /// A line for the user naming it without showing the secret, such as
    /// `Device.ManagementServer.ConnectionRequestPassword (SetParameterValues)`.
    pub label: String,
    /// The text hidden (for a group of Digest headers, the first one's response).
    pub original: String,
    /// What it becomes.
    pub replacement: String,
    /// Whether the dialog starts with it on.
    pub on_by_default: bool,
    /// Every place it covers.
    pub places: Vec<Place>,
    /// Every UDP connection request whose `sig` it covers, by index in
    /// [`Capture::udp_connection_requests`] (datagrams are not exchanges, so not [`Place`]s).
    pub udp_requests: Vec<usize>,
    edits: Vec<Edit>,
}

/// The RPCs whose arguments [`Found::message`] reads: those with parameter values, passwords or
/// a DeviceId.
const MAY_CARRY_SECRETS: &[&str] = &[
    "Inform",
    "SetParameterValues",
    "GetParameterValuesResponse",
    "Download",
    "Upload",
    "ScheduleDownload",
];

/// Every secret and identifier in `capture`, by kind (in [`RedactionKind::ALL`] order), then in
/// the order first met.
pub fn find_redactions(capture: &Capture) -> Vec<Redaction> {
    let mut found = Found::default();
    for (i, x) in capture.exchanges.iter().enumerate() {
        for (side, m) in sides(x) {
            found.headers(i, side, m);
        }
    }
    let mut serials: Vec<String> = Vec::new();
    for session in &capture.sessions {
        for message in &session.messages {
            let side = Side::of(message.direction);
            let body = capture
                .exchanges
                .get(message.exchange)
                .and_then(|x| side_message(x, side))
                .map_or(&[][..], |m| m.body.as_slice());
            // A capture read back from JSON (the page's, from the worker) has no envelopes:
            // decode the bodies of the RPCs that can carry a secret or a serial number.
            let decoded;
            let envelope = match &message.envelope {
                Some(envelope) => envelope,
                None if MAY_CARRY_SECRETS.contains(&message.rpc.as_str()) => {
                    decoded = match cwmp_codec::decode(body).map(|d| d.message) {
                        Ok(cwmp_codec::Message::Envelope(envelope)) => envelope,
                        _ => continue,
                    };
                    &decoded
                }
                None => continue,
            };
            let at = At {
                exchange: message.exchange,
                side,
                body,
                rpc: &message.rpc,
            };
            found.message(&at, envelope, &mut serials);
        }
    }
    for device in &capture.devices {
        if !device.serial_number.is_empty() && !serials.contains(&device.serial_number) {
            serials.push(device.serial_number.clone());
        }
    }
    for (i, x) in capture.exchanges.iter().enumerate() {
        for (side, m) in sides(x) {
            found.url_passwords(i, side, &m.body);
        }
    }
    found.udp_signatures(capture);
    found.serials(capture, &serials);
    found.addresses(capture);
    // By kind, each kind in the order met (no sort: it would add code to the page).
    let mut list = Vec::with_capacity(found.list.len());
    for kind in RedactionKind::ALL {
        list.extend(found.list.iter().filter(|r| r.kind == kind).cloned());
    }
    list
}

/// The capture as HAR 1.2 JSON with `redactions` applied (pass only the ones switched on).
pub fn export(capture: &Capture, redactions: &[&Redaction]) -> String {
    // In the capture's order: with the connections, clients and times that travel with them,
    // the recipient's analysis groups them exactly as the sender's did.
    let order: Vec<usize> = (0..capture.exchanges.len()).collect();
    write_har(capture, redactions, &order)
}

/// What the page shows of a [`Redaction`]: the page asks a worker for these (the finder and the
/// HAR writer stay out of its wasm), then names the ones switched on by their index in the list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RedactionView {
    /// What it hides.
    pub kind: RedactionKind,
    /// The line naming it, without the secret.
    pub label: String,
    /// What it becomes.
    pub replacement: String,
    /// Whether the dialog starts with it on.
    pub on_by_default: bool,
    /// The exchange of each place it covers.
    pub exchanges: Vec<usize>,
    /// How many UDP connection requests it covers (each travels in every link).
    #[serde(default)]
    pub udp_requests: usize,
}

impl From<&Redaction> for RedactionView {
    fn from(redaction: &Redaction) -> Self {
        Self {
            kind: redaction.kind,
            label: redaction.label.clone(),
            replacement: redaction.replacement.clone(),
            on_by_default: redaction.on_by_default,
            exchanges: redaction.places.iter().map(|p| p.exchange).collect(),
            udp_requests: redaction.udp_requests.len(),
        }
    }
}

/// [`export`] (or [`export_session`] when `session` is given) with the redactions of
/// [`find_redactions`] whose indices are in `enabled`; indices past the list are ignored.
pub fn export_enabled(capture: &Capture, enabled: &[usize], session: Option<usize>) -> String {
    let found = find_redactions(capture);
    let chosen: Vec<&Redaction> = enabled.iter().filter_map(|&i| found.get(i)).collect();
    match session {
        Some(session) => export_session(capture, &chosen, session),
        None => export(capture, &chosen),
    }
}

/// [`export`] of one session: only its exchanges, for a shorter link. Read back, it is the
/// capture's only session, id 0.
pub fn export_session(capture: &Capture, redactions: &[&Redaction], session: usize) -> String {
    write_har(capture, redactions, &session_exchanges(capture, session))
}

/// The exchanges that carry a session's messages, in order.
pub fn session_exchanges(capture: &Capture, session: usize) -> Vec<usize> {
    let mut exchanges: Vec<usize> = Vec::new();
    for m in capture
        .sessions
        .get(session)
        .map(|s| s.messages.as_slice())
        .unwrap_or_default()
    {
        if !exchanges.contains(&m.exchange) {
            exchanges.push(m.exchange);
        }
    }
    exchanges
}

/// Messages a link cannot carry: those whose exchange holds neither a request nor a response
/// (none from an import). A response without its request travels in an entry whose request is
/// marked absent.
pub fn unshareable_messages(capture: &Capture, exchanges: Option<&[usize]>) -> usize {
    capture
        .sessions
        .iter()
        .flat_map(|s| &s.messages)
        .filter(|m| exchanges.is_none_or(|list| list.contains(&m.exchange)))
        .filter(|m| {
            capture
                .exchanges
                .get(m.exchange)
                .is_none_or(|x| x.request.is_none() && x.response.is_none())
        })
        .count()
}

/// About how many bytes the HAR of these exchanges takes, before compression: bodies and
/// headers. It tells whether a link can be made at all before making it.
pub fn estimated_size(capture: &Capture, exchanges: &[usize]) -> usize {
    exchanges
        .iter()
        .filter_map(|&i| capture.exchanges.get(i))
        .flat_map(sides)
        .map(|(_, m)| {
            let headers: usize = m
                .headers
                .iter()
                .map(|h| h.name.len() + h.value.len() + 24)
                .sum();
            m.body.len() + headers + 200
        })
        .sum()
}

/// The request and the response of an exchange, when captured.
fn sides(x: &HttpExchange) -> impl Iterator<Item = (Side, &HttpMessage)> {
    x.request
        .iter()
        .map(|m| (Side::Request, m))
        .chain(x.response.iter().map(|m| (Side::Response, m)))
}

fn side_message(x: &HttpExchange, side: Side) -> Option<&HttpMessage> {
    match side {
        Side::Request => x.request.as_ref(),
        Side::Response => x.response.as_ref(),
    }
}
