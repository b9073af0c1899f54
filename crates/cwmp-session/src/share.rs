//! Sharing a capture as a link: the secrets and identifiers it holds ([`find_redactions`]), the
//! capture written back as HAR 1.2 with the chosen ones replaced ([`export`]), and the link's
//! fragment ([`link_fragment`], [`parse_fragment`]).
//!
//! The HAR is what `cwmp-capture` reads back (see its `text::har`): per exchange the request's
//! method, URL, version, headers and `postData.text`, the response's status, reason, version,
//! headers and `content.text` (base64 when the body is not UTF-8), `startedDateTime`, `time` and
//! `serverIPAddress`. Entries are written session by session, each session's exchanges
//! together: a HAR has no TCP connections, so the importer groups by Inform, cookie and order,
//! and contiguous sessions come back as they were even when they overlapped in time.
//!
//! Redactions are found once per distinct secret: turning one occurrence of a password off while
//! the same password stays elsewhere would protect nothing. Each lists every place it covers.
//! Parameter values are replaced through the codec's byte spans, so that a short value such as
//! `1` is replaced where it is the password and nowhere else.

use std::fmt::{self, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use cwmp_capture::{HttpExchange, HttpMessage, StartLine};
use cwmp_codec::model::ParameterValueStruct;
use cwmp_codec::{Body, Envelope, Rpc, Text};

use crate::model::{Capture, Direction, rfc3339};

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// What a redaction hides.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum RedactionKind {
    /// The credentials of an `Authorization` header (Basic, Bearer, any scheme but Digest).
    AuthorizationHeader,
    /// The `response` hash of a Digest `Authorization` header (it allows an offline guess of the
    /// password).
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
            Self::DigestResponse => "Digest responses",
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
    write_har(capture, redactions, &entry_order(capture))
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
}

impl From<&Redaction> for RedactionView {
    fn from(redaction: &Redaction) -> Self {
        Self {
            kind: redaction.kind,
            label: redaction.label.clone(),
            replacement: redaction.replacement.clone(),
            on_by_default: redaction.on_by_default,
            exchanges: redaction.places.iter().map(|p| p.exchange).collect(),
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

/// Messages a link cannot carry: those whose exchange has no request (a capture that starts
/// mid-exchange, an ACS message pasted alone), since a HAR entry is a request first.
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
                .is_none_or(|x| x.request.is_none())
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

fn write_har(capture: &Capture, redactions: &[&Redaction], order: &[usize]) -> String {
    // Sorted vectors rather than maps: the page has no other use for a BTreeMap of these.
    let mut header_edits: HeaderEdits<'_> = Vec::new();
    let mut span_edits: SpanEdits<'_> = Vec::new();
    let mut tokens: Vec<(&str, &str)> = Vec::new();
    for edit in redactions.iter().flat_map(|r| &r.edits) {
        match edit {
            Edit::Header {
                exchange,
                side,
                index,
                value,
            } => {
                let key = (*exchange, *side, *index);
                match header_edits.binary_search_by_key(&key, |(k, _)| *k) {
                    Ok(at) => header_edits[at].1 = value,
                    Err(at) => header_edits.insert(at, (key, value)),
                }
            }
            Edit::Span {
                exchange,
                side,
                start,
                end,
                text,
            } => {
                // Kept in order as they come: sorting would add a sort's code to the page.
                let key = (*exchange, *side);
                let at = match span_edits.binary_search_by_key(&key, |(k, _)| *k) {
                    Ok(at) => at,
                    Err(at) => {
                        span_edits.insert(at, (key, Vec::new()));
                        at
                    }
                };
                let edits = &mut span_edits[at].1;
                let edit = (*start, *end, text.as_str());
                if let Err(at) = edits.binary_search(&edit) {
                    edits.insert(at, edit);
                }
            }
            Edit::Token { from, to } => {
                // Longer first, so that an address is never replaced by a shorter one in it.
                let at = tokens
                    .iter()
                    .position(|(known, _)| known.len() < from.len())
                    .unwrap_or(tokens.len());
                tokens.insert(at, (from, to));
            }
        }
    }
    let apply = Apply {
        headers: &header_edits,
        spans: &span_edits,
        tokens: &tokens,
    };
    let mut out = Json::default();
    out.open('{');
    out.key("log").open('{');
    out.key("version").string("1.2");
    out.key("creator").open('{');
    out.key("name").string("cwmp-inspector");
    out.key("version").string(env!("CARGO_PKG_VERSION"));
    out.close('}');
    out.key("entries").open('[');
    for &i in order {
        if let Some(x) = capture.exchanges.get(i)
            && x.request.is_some()
        {
            out.item();
            apply.entry(&mut out, i, x);
        }
    }
    out.close(']');
    out.close('}');
    out.close('}');
    out.text
}

/// A small JSON writer: the page has `serde_json`'s reader but not its writer, and a HAR is a
/// fixed shape.
#[derive(Default)]
struct Json {
    text: String,
    /// Whether the innermost object or array has a member yet.
    started: Vec<bool>,
}

impl Json {
    fn open(&mut self, bracket: char) -> &mut Self {
        self.text.push(bracket);
        self.started.push(false);
        self
    }

    fn close(&mut self, bracket: char) -> &mut Self {
        self.text.push(bracket);
        self.started.pop();
        self
    }

    /// A comma when the container already has a member.
    fn item(&mut self) -> &mut Self {
        if let Some(started) = self.started.last_mut() {
            if *started {
                self.text.push(',');
            }
            *started = true;
        }
        self
    }

    fn key(&mut self, key: &str) -> &mut Self {
        self.item().string(key);
        self.text.push(':');
        self
    }

    fn raw(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn string(&mut self, value: &str) -> &mut Self {
        let out = &mut self.text;
        out.reserve(value.len() + 2);
        out.push('"');
        for c in value.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if u32::from(c) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        self
    }
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

/// Exchanges in the order the HAR lists them: each session's together, sessions in order, then
/// the exchanges no session holds.
fn entry_order(capture: &Capture) -> Vec<usize> {
    let mut seen = vec![false; capture.exchanges.len()];
    let mut order = Vec::with_capacity(capture.exchanges.len());
    let in_sessions = capture
        .sessions
        .iter()
        .flat_map(|s| s.messages.iter().map(|m| m.exchange));
    for i in in_sessions.chain(0..capture.exchanges.len()) {
        if let Some(seen) = seen.get_mut(i)
            && !*seen
        {
            *seen = true;
            order.push(i);
        }
    }
    order
}

/// The message being searched.
struct At<'a> {
    exchange: usize,
    side: Side,
    body: &'a [u8],
    rpc: &'a str,
}

/// Redactions being collected, merged by kind and original text.
#[derive(Default)]
struct Found {
    list: Vec<Redaction>,
    /// What each of `list` was merged by: (kind, key), in the same order. Few enough for a
    /// linear search.
    keys: Vec<(RedactionKind, String)>,
}

impl Found {
    /// The redaction for `key`, made by `make` when new.
    fn entry(
        &mut self,
        kind: RedactionKind,
        key: &str,
        make: impl FnOnce() -> (String, String, String),
    ) -> &mut Redaction {
        let known = self
            .keys
            .iter()
            .position(|(k, text)| *k == kind && text == key);
        let i = known.unwrap_or_else(|| {
            let (label, original, replacement) = make();
            self.keys.push((kind, key.to_owned()));
            self.list.push(Redaction {
                kind,
                label,
                original,
                replacement,
                on_by_default: kind.on_by_default(),
                places: Vec::new(),
                edits: Vec::new(),
            });
            self.list.len() - 1
        });
        &mut self.list[i]
    }

    fn headers(&mut self, exchange: usize, side: Side, m: &HttpMessage) {
        for (index, h) in m.headers.iter().enumerate() {
            let name = h.name.as_str();
            let value = h.value.trim();
            if value.is_empty() {
                continue;
            }
            let place = Place {
                exchange,
                side,
                field: Field::Header(name.to_owned()),
            };
            let lower = name.to_ascii_lowercase();
            if lower == "authorization" || lower == "proxy-authorization" {
                let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
                if scheme.eq_ignore_ascii_case("digest") {
                    let Some(response) = digest_response(value) else {
                        continue;
                    };
                    let username = auth_param(credentials, "username").unwrap_or_default();
                    let realm = auth_param(credentials, "realm").unwrap_or_default();
                    let redacted = format!(
                        "{}{REDACTED}{}",
                        &value[..response.start],
                        &value[response.end..]
                    );
                    let original = value[response].to_owned();
                    let r = self.entry(
                        RedactionKind::DigestResponse,
                        &format!("{name}\0{username}\0{realm}"),
                        || {
                            (
                                format!(
                                    "{name}: Digest response of user “{username}”, realm “{realm}”"
                                ),
                                original,
                                REDACTED.to_owned(),
                            )
                        },
                    );
                    r.places.push(place);
                    r.edits.push(Edit::Header {
                        exchange,
                        side,
                        index,
                        value: redacted,
                    });
                } else if !credentials.trim().is_empty() {
                    let user = scheme
                        .eq_ignore_ascii_case("basic")
                        .then(|| base64_decode(credentials.trim(), false))
                        .flatten()
                        .and_then(|bytes| {
                            let text = String::from_utf8_lossy(&bytes).into_owned();
                            text.split_once(':').map(|(user, _)| user.to_owned())
                        });
                    let label = match user {
                        Some(user) => format!("{name}: {scheme}, user “{user}”"),
                        None => format!("{name}: {scheme}"),
                    };
                    let redacted = format!("{scheme} {REDACTED}");
                    let r = self.entry(RedactionKind::AuthorizationHeader, value, || {
                        (label, credentials.trim().to_owned(), redacted.clone())
                    });
                    r.places.push(place);
                    r.edits.push(Edit::Header {
                        exchange,
                        side,
                        index,
                        value: redacted,
                    });
                }
            } else if is_secret_header(&lower) {
                let r = self.entry(RedactionKind::Password, value, || {
                    (
                        format!("{name} header"),
                        value.to_owned(),
                        REDACTED.to_owned(),
                    )
                });
                if !r.label.contains(&format!("{name} header")) {
                    let _ = write!(r.label, ", {name} header");
                }
                r.places.push(place);
                r.edits.push(Edit::Header {
                    exchange,
                    side,
                    index,
                    value: REDACTED.to_owned(),
                });
            }
        }
    }

    fn message(&mut self, at: &At<'_>, envelope: &Envelope, serials: &mut Vec<String>) {
        let Body::Rpc(rpc) = &envelope.body else {
            return;
        };
        let parameters: &[ParameterValueStruct] = match rpc {
            Rpc::Inform(inform) => {
                if let Some(serial) = inform
                    .device_id
                    .as_ref()
                    .and_then(|d| d.serial_number.as_ref())
                    .map(|t| t.value.trim())
                    .filter(|s| !s.is_empty())
                    && !serials.iter().any(|s| s == serial)
                {
                    serials.push(serial.to_owned());
                }
                inform.parameter_list.as_deref().unwrap_or_default()
            }
            Rpc::SetParameterValues(spv) => spv.parameter_list.as_deref().unwrap_or_default(),
            Rpc::GetParameterValuesResponse(gpv) => {
                gpv.parameter_list.as_deref().unwrap_or_default()
            }
            Rpc::Download(d) => return self.element_password(at, d.password.as_ref()),
            Rpc::Upload(u) => return self.element_password(at, u.password.as_ref()),
            Rpc::ScheduleDownload(d) => return self.element_password(at, d.password.as_ref()),
            _ => return,
        };
        for p in parameters {
            let (Some(name), Some(value)) = (&p.name, &p.value) else {
                continue;
            };
            if value.raw.is_empty() || !is_secret_parameter(&name.value) {
                continue;
            }
            let field = Field::Parameter(name.value.clone());
            self.password(at, field, &value.raw, value.span);
        }
    }

    fn element_password(&mut self, at: &At<'_>, password: Option<&Text>) {
        if let Some(text) = password.filter(|t| !t.value.is_empty()) {
            self.password(
                at,
                Field::Element("Password".into()),
                &text.value,
                text.span,
            );
        }
    }

    /// A password value at `span` of the body.
    fn password(&mut self, at: &At<'_>, field: Field, value: &str, span: cwmp_codec::Span) {
        let what = field.to_string();
        let rpc = at.rpc;
        let r = self.entry(RedactionKind::Password, value, || {
            (
                format!("{what} ({rpc})"),
                value.to_owned(),
                REDACTED.to_owned(),
            )
        });
        if !r.label.contains(&what) {
            let _ = write!(r.label, ", {what}");
        }
        for (start, end) in value_ranges(at.body, value, span) {
            r.edits.push(Edit::Span {
                exchange: at.exchange,
                side: at.side,
                start,
                end,
                text: REDACTED.to_owned(),
            });
        }
        r.places.push(Place {
            exchange: at.exchange,
            side: at.side,
            field,
        });
    }

    /// Passwords in URLs written in a body (`http://user:password@host/`), as a Download URL
    /// or a ManagementServer.URL value may carry them.
    fn url_passwords(&mut self, exchange: usize, side: Side, body: &[u8]) {
        let mut from = 0;
        while let Some(k) = body
            .get(from..)
            .and_then(|rest| rest.windows(3).position(|w| w == b"://"))
        {
            let start = from + k + 3;
            let end = body[start..]
                .iter()
                .position(|c| b"/?#<>\"' \t\r\n".contains(c))
                .map_or(body.len(), |p| start + p);
            from = end.max(start);
            let authority = &body[start..end];
            let Some(at) = authority.iter().rposition(|&c| c == b'@') else {
                continue;
            };
            let Some(colon) = authority[..at].iter().position(|&c| c == b':') else {
                continue;
            };
            let (Ok(user), Ok(password)) = (
                std::str::from_utf8(&authority[..colon]),
                std::str::from_utf8(&authority[colon + 1..at]),
            ) else {
                continue;
            };
            if password.is_empty() {
                continue;
            }
            let r = self.entry(RedactionKind::Password, password, || {
                (
                    format!("Password in a URL, user “{user}”"),
                    password.to_owned(),
                    REDACTED.to_owned(),
                )
            });
            if !r.label.contains("in a URL") {
                r.label.push_str(", in a URL");
            }
            r.places.push(Place {
                exchange,
                side,
                field: Field::Body,
            });
            r.edits.push(Edit::Span {
                exchange,
                side,
                start: start + colon + 1,
                end: start + at,
                text: REDACTED.to_owned(),
            });
        }
    }

    fn serials(&mut self, capture: &Capture, serials: &[String]) {
        for (n, serial) in serials.iter().enumerate() {
            let replacement = format!("SN-REDACTED-{}", n + 1);
            let places = occurrences(capture, serial, TokenClass::Word);
            let r = self.entry(RedactionKind::SerialNumber, serial, || {
                (
                    format!("Serial number “{serial}”"),
                    serial.clone(),
                    replacement.clone(),
                )
            });
            r.places = places;
            r.edits.push(Edit::Token {
                from: serial.clone(),
                to: replacement,
            });
        }
    }

    fn addresses(&mut self, capture: &Capture) {
        // Each address with the ways it is written (IPv6 has several).
        let mut seen: Vec<(IpAddr, Vec<String>)> = Vec::new();
        let mut note = |ip: IpAddr, written: &str| {
            if !worth_hiding(ip) {
                return;
            }
            match seen.iter_mut().find(|(known, _)| *known == ip) {
                Some((_, forms)) if !forms.iter().any(|f| f == written) => {
                    forms.push(written.to_owned());
                }
                Some(_) => {}
                None => seen.push((ip, vec![written.to_owned()])),
            }
        };
        for x in &capture.exchanges {
            for ip in [x.client, x.server].into_iter().flatten() {
                note(ip.ip(), &ip.ip().to_string());
            }
            for (_, m) in sides(x) {
                if let StartLine::Request { target, .. } = &m.start {
                    addresses_in(target.as_bytes(), &mut note);
                }
                for h in &m.headers {
                    addresses_in(h.value.as_bytes(), &mut note);
                }
                addresses_in(&m.body, &mut note);
            }
        }
        let (mut v4, mut v6) = (0_u32, 0_u32);
        for (ip, forms) in seen {
            let (replacement, class) = match ip {
                IpAddr::V4(_) => {
                    v4 += 1;
                    (documentation_v4(v4), TokenClass::Ipv4)
                }
                IpAddr::V6(_) => {
                    v6 += 1;
                    (format!("2001:db8::{v6:x}"), TokenClass::Ipv6)
                }
            };
            let original = forms[0].clone();
            let mut places: Vec<Place> = forms
                .iter()
                .flat_map(|form| occurrences(capture, form, class))
                .collect();
            for (i, x) in capture.exchanges.iter().enumerate() {
                if x.server.is_some_and(|s| s.ip() == ip) {
                    places.push(Place {
                        exchange: i,
                        side: Side::Request,
                        field: Field::Server,
                    });
                }
            }
            let role = address_role(capture, ip);
            let r = self.entry(RedactionKind::IpAddress, &original, || {
                (
                    format!("{original}{role}"),
                    original.clone(),
                    replacement.clone(),
                )
            });
            r.places = places;
            for form in forms {
                r.edits.push(Edit::Token {
                    from: form,
                    to: replacement.clone(),
                });
            }
        }
    }
}

/// ` (CPE)`, ` (ACS)` or nothing, from the exchanges' endpoints.
fn address_role(capture: &Capture, ip: IpAddr) -> &'static str {
    let client = capture
        .exchanges
        .iter()
        .any(|x| x.client.is_some_and(|c| c.ip() == ip));
    let server = capture
        .exchanges
        .iter()
        .any(|x| x.server.is_some_and(|s| s.ip() == ip));
    match (client, server) {
        (true, false) => " (CPE)",
        (false, true) => " (ACS)",
        (true, true) => " (CPE and ACS)",
        (false, false) => "",
    }
}

/// Addresses that say something about a network: not unspecified, loopback, broadcast, netmasks.
fn worth_hiding(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_unspecified() || v4.is_loopback() || v4.is_broadcast() || v4.octets()[0] == 255)
        }
        IpAddr::V6(v6) => !(v6.is_unspecified() || v6.is_loopback()),
    }
}

/// The `n`th (from 1) IPv4 documentation address: 192.0.2.1…254, then 198.51.100.x, then
/// 203.0.113.x, then the benchmarking range 198.18.0.0/15.
fn documentation_v4(n: u32) -> String {
    let (block, host) = ((n - 1) / 254, (n - 1) % 254 + 1);
    match block {
        0 => format!("192.0.2.{host}"),
        1 => format!("198.51.100.{host}"),
        2 => format!("203.0.113.{host}"),
        _ => {
            let m = n - 763;
            format!(
                "198.{}.{}.{}",
                18 + ((m >> 16) & 1),
                (m >> 8) & 255,
                m & 255
            )
        }
    }
}

/// Calls `note` with each IP address written in `text`: a whole run of digits and dots that
/// reads as IPv4, or of hex digits, colons and dots that reads as IPv6. In bodies an IPv4 run
/// must not touch a letter or `_`, so that `BaiBS_2.8.15.1` is not read as an address.
fn addresses_in(text: &[u8], note: &mut impl FnMut(IpAddr, &str)) {
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if !(c.is_ascii_hexdigit() || c == b':') {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && (text[i].is_ascii_hexdigit() || matches!(text[i], b':' | b'.')) {
            i += 1;
        }
        let run = &text[start..i];
        let before = start.checked_sub(1).map(|b| text[b]);
        let after = text.get(i).copied();
        let touches_word =
            |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
        let Ok(run) = std::str::from_utf8(run) else {
            continue;
        };
        let run = run.trim_end_matches(['.', ':']);
        if run.matches(':').count() >= 2
            && let Ok(v6) = run.parse::<Ipv6Addr>()
        {
            note(IpAddr::V6(v6), run);
            continue;
        }
        // `10.0.0.1:7547`: each piece between colons may be an IPv4 address.
        let pieces: Vec<&str> = run.split(':').collect();
        let last = pieces.len() - 1;
        for (k, piece) in pieces.iter().enumerate() {
            if (k == 0 && touches_word(before)) || (k == last && touches_word(after)) {
                continue;
            }
            if piece.matches('.').count() == 3
                && let Ok(v4) = piece.parse::<Ipv4Addr>()
            {
                note(IpAddr::V4(v4), piece);
            }
        }
    }
}

/// How a token is delimited.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TokenClass {
    /// Letters and digits: a serial number.
    Word,
    /// Digits and dots.
    Ipv4,
    /// Hex digits, colons and dots.
    Ipv6,
}

impl TokenClass {
    fn continues(self, c: u8) -> bool {
        match self {
            Self::Word => c.is_ascii_alphanumeric(),
            Self::Ipv4 => c.is_ascii_digit() || c == b'.',
            Self::Ipv6 => c.is_ascii_hexdigit() || c == b':' || c == b'.',
        }
    }

    fn of(token: &str) -> Self {
        if token.contains(':') {
            Self::Ipv6
        } else if token.parse::<Ipv4Addr>().is_ok() {
            Self::Ipv4
        } else {
            Self::Word
        }
    }
}

/// Offsets of whole-token occurrences of `token` in `text`.
fn token_matches(text: &[u8], token: &[u8], class: TokenClass) -> Vec<usize> {
    let mut found = Vec::new();
    if token.is_empty() || text.len() < token.len() {
        return found;
    }
    let mut i = 0;
    while i + token.len() <= text.len() {
        if &text[i..i + token.len()] == token {
            let before = i.checked_sub(1).map(|b| text[b]);
            let after = text.get(i + token.len()).copied();
            // A dot after an IPv4 address ends a sentence unless a digit follows it.
            let after_ok = match after {
                Some(b'.') if class == TokenClass::Ipv4 => !text
                    .get(i + token.len() + 1)
                    .is_some_and(u8::is_ascii_digit),
                Some(c) => !class.continues(c),
                None => true,
            };
            if before.is_none_or(|c| !class.continues(c)) && after_ok {
                found.push(i);
                i += token.len();
                continue;
            }
        }
        i += 1;
    }
    found
}

/// `text` with every whole-token occurrence of each `(from, to)` replaced.
fn replace_tokens(text: &[u8], tokens: &[(&str, &str)]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for (from, to) in tokens {
        let current = out.as_deref().unwrap_or(text);
        let at = token_matches(current, from.as_bytes(), TokenClass::of(from));
        if at.is_empty() {
            continue;
        }
        let mut next = Vec::with_capacity(current.len());
        let mut last = 0;
        for start in at {
            next.extend_from_slice(&current[last..start]);
            next.extend_from_slice(to.as_bytes());
            last = start + from.len();
        }
        next.extend_from_slice(&current[last..]);
        out = Some(next);
    }
    out
}

fn replace_tokens_str(text: &str, tokens: &[(&str, &str)]) -> String {
    match replace_tokens(text.as_bytes(), tokens) {
        Some(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        None => text.to_owned(),
    }
}

/// Every place `token` appears as a whole token: URLs, headers, bodies.
fn occurrences(capture: &Capture, token: &str, class: TokenClass) -> Vec<Place> {
    let mut places = Vec::new();
    let bytes = token.as_bytes();
    for (i, x) in capture.exchanges.iter().enumerate() {
        for (side, m) in sides(x) {
            let mut push = |field: Field| {
                places.push(Place {
                    exchange: i,
                    side,
                    field,
                });
            };
            if let StartLine::Request { target, .. } = &m.start
                && !token_matches(target.as_bytes(), bytes, class).is_empty()
            {
                push(Field::Url);
            }
            for h in &m.headers {
                if !token_matches(h.value.as_bytes(), bytes, class).is_empty() {
                    push(Field::Header(h.name.clone()));
                }
            }
            if !token_matches(&m.body, bytes, class).is_empty() {
                push(Field::Body);
            }
        }
    }
    places
}

/// The byte ranges of a value in `body`: its span when the span holds it (as written, perhaps
/// escaped), else each element whose whole text is the value escaped.
fn value_ranges(body: &[u8], value: &str, span: cwmp_codec::Span) -> Vec<(usize, usize)> {
    if let Some(slice) = span.slice(body).filter(|s| !s.is_empty())
        && let Ok(text) = std::str::from_utf8(slice)
        && (text == value || text.contains('&') || text.contains("<![CDATA["))
    {
        return vec![(span.start, span.end)];
    }
    let escaped = escape_xml(value);
    let needle = format!(">{escaped}<");
    let needle = needle.as_bytes();
    let mut ranges = Vec::new();
    let mut i = 0;
    while i + needle.len() <= body.len() {
        if &body[i..i + needle.len()] == needle {
            ranges.push((i + 1, i + needle.len() - 1));
            i += needle.len();
        } else {
            i += 1;
        }
    }
    ranges
}

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Endings of secret parameter names, lowercase (see [`is_secret_parameter`]).
const SECRET_ENDINGS: [&str; 8] = [
    "password",
    "passwd",
    "passphrase",
    "presharedkey",
    "psk",
    "wepkey",
    "secret",
    "privatekey",
];

/// Whether a parameter's value is a secret, from the last segment of its name (any case, any
/// vendor prefix, trailing digits and `_` ignored). It is when the segment ends with:
///
/// - `Password` or `Passwd`: ConnectionRequestPassword, STUNPassword, Users.User.{i}.Password,
///   X_VENDOR_AdminPassword (not `PasswordRequired` and the like, which are settings);
/// - `Passphrase`: WiFi KeyPassphrase, SAEPassphrase;
/// - `PreSharedKey` or `PSK`: WiFi pre-shared keys;
/// - `WEPKey`;
/// - `Secret`: RadiusSecret, SecondaryRadiusSecret, SharedSecret;
/// - `PrivateKey`;
///
/// or is exactly `PIN` (WPS.PIN, a SIM's PIN). A bare `Key` is left out: it names identifiers as
/// often as secrets.
pub fn is_secret_parameter(name: &str) -> bool {
    let last = name
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .unwrap_or(name)
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '_')
        .to_ascii_lowercase();
    last == "pin" || SECRET_ENDINGS.iter().any(|e| last.ends_with(e))
}

/// Header names (lowercase) whose values are secrets, besides Authorization: any that contains
/// `password`, `passwd` or `secret` (the Baicells CPE sends `Password: …`).
fn is_secret_header(lower: &str) -> bool {
    ["password", "passwd", "secret"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The byte range of the `response` value in a Digest `Authorization` header.
fn digest_response(value: &str) -> Option<std::ops::Range<usize>> {
    auth_params(value)
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("response"))
        .map(|(_, range)| range)
        .filter(|r| !r.is_empty())
}

/// A Digest parameter's value, unquoted.
fn auth_param(credentials: &str, wanted: &str) -> Option<String> {
    auth_params(credentials)
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
        .map(|(_, range)| credentials[range].replace("\\\"", "\""))
}

/// The `name=value` parameters of an auth header (after the scheme), each with the byte range
/// of its value inside the quotes.
fn auth_params(value: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let bytes = value.as_bytes();
    let mut params = Vec::new();
    // Skip the scheme when it is there.
    let mut i = match value.find(' ') {
        Some(space) if !value[..space].contains('=') => space + 1,
        _ => 0,
    };
    while i < bytes.len() {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b',') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b',' | b' ') {
            i += 1;
        }
        let name = value[name_start..i].to_owned();
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let range = if bytes.get(i) == Some(&b'"') {
            i += 1;
            let start = i;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            let end = i.min(bytes.len());
            i = end + 1;
            start..end
        } else {
            let start = i;
            while i < bytes.len() && bytes[i] != b',' {
                i += 1;
            }
            start..value[start..i].trim_end().len() + start
        };
        if !name.is_empty() {
            params.push((name, range));
        }
    }
    params
}

/// Body edits by message: (start, end, replacement).
type SpanEdits<'a> = Vec<((usize, Side), Vec<(usize, usize, &'a str)>)>;

/// Header edits by (exchange, side, header index): the new value.
type HeaderEdits<'a> = Vec<((usize, Side, usize), &'a str)>;

/// Applies the chosen edits while writing entries.
struct Apply<'a> {
    headers: &'a HeaderEdits<'a>,
    spans: &'a SpanEdits<'a>,
    tokens: &'a [(&'a str, &'a str)],
}

impl Apply<'_> {
    /// Writes the HAR entry of exchange `i` to `out`; nothing for an exchange without request
    /// (a HAR entry needs one).
    fn entry(&self, out: &mut Json, i: usize, x: &HttpExchange) {
        let Some(request) = x.request.as_ref() else {
            return;
        };
        let StartLine::Request {
            method,
            target,
            minor_version,
        } = &request.start
        else {
            return;
        };
        let server = x.server.or(request.dst);
        let url = if target.contains("://") {
            target.clone()
        } else {
            let authority = server.map_or_else(
                || {
                    request
                        .header("host")
                        .map_or_else(|| "cwmp.invalid".to_owned(), str::to_owned)
                },
                |s| s.to_string(),
            );
            let slash = if target.starts_with('/') { "" } else { "/" };
            format!("http://{authority}{slash}{target}")
        };
        let started = request
            .first_time
            .or(x.response.as_ref().and_then(|r| r.first_time));
        let elapsed = match (started, x.response.as_ref().and_then(|r| r.first_time)) {
            (Some(a), Some(b)) if b.0 >= a.0 => b.0 - a.0,
            _ => 0,
        };
        // Milliseconds with the nanoseconds exact, plus half a nanosecond: the reader truncates
        // `time × 10⁶` to nanoseconds, and binary fractions would otherwise land one below.
        let time = format!("{}.{:06}5", elapsed / 1_000_000, elapsed % 1_000_000);
        out.open('{');
        if let Some(t) = started {
            out.key("startedDateTime").string(&rfc3339(t));
        }
        out.key("time").raw(&time);
        let body = self.body(i, Side::Request, request);
        out.key("request").open('{');
        out.key("method").string(method);
        out.key("url")
            .string(&replace_tokens_str(&url, self.tokens));
        out.key("httpVersion")
            .string(&format!("HTTP/1.{minor_version}"));
        out.key("cookies").raw("[]");
        self.headers(out, i, Side::Request, request);
        out.key("queryString").raw("[]");
        out.key("headersSize").raw("-1");
        out.key("bodySize").raw(&body.len().to_string());
        if !body.is_empty() {
            out.key("postData").open('{');
            out.key("mimeType")
                .string(request.header("content-type").unwrap_or("text/xml"));
            out.key("text").string(&String::from_utf8_lossy(&body));
            out.close('}');
        }
        out.close('}');
        out.key("response");
        self.response(out, i, x.response.as_ref());
        out.key("cache").raw("{}");
        out.key("timings").open('{');
        out.key("send").raw("0");
        out.key("wait").raw(&time);
        out.key("receive").raw("0");
        out.close('}');
        if let Some(server) = server {
            let ip = replace_tokens_str(&server.ip().to_string(), self.tokens);
            out.key("serverIPAddress").string(&ip);
        }
        if let Some(stream) = x.stream {
            out.key("connection").string(&stream.to_string());
        }
        out.close('}');
    }

    fn response(&self, out: &mut Json, i: usize, response: Option<&HttpMessage>) {
        out.open('{');
        let Some(response) = response else {
            // Status 0: no response, as browsers write it.
            out.key("status").raw("0");
            out.key("statusText").string("");
            out.key("httpVersion").string("");
            out.key("cookies").raw("[]");
            out.key("headers").raw("[]");
            out.key("content").raw(r#"{"size":0,"mimeType":""}"#);
            out.key("redirectURL").string("");
            out.key("headersSize").raw("-1");
            out.key("bodySize").raw("-1");
            out.close('}');
            return;
        };
        let (status, reason, minor) = match &response.start {
            StartLine::Response {
                status,
                reason,
                minor_version,
            } => (*status, reason.as_str(), *minor_version),
            StartLine::Request { .. } => (0, "", 1),
        };
        let body = self.body(i, Side::Response, response);
        out.key("status").raw(&status.to_string());
        out.key("statusText").string(reason);
        out.key("httpVersion").string(&format!("HTTP/1.{minor}"));
        out.key("cookies").raw("[]");
        self.headers(out, i, Side::Response, response);
        out.key("content").open('{');
        out.key("size").raw(&body.len().to_string());
        out.key("mimeType")
            .string(response.header("content-type").unwrap_or(""));
        if !body.is_empty() {
            if let Ok(text) = std::str::from_utf8(&body) {
                out.key("text").string(text);
            } else {
                out.key("text").string(&base64_encode(&body, false));
                out.key("encoding").string("base64");
            }
        }
        out.close('}');
        out.key("redirectURL").string("");
        out.key("headersSize").raw("-1");
        out.key("bodySize").raw(&body.len().to_string());
        out.close('}');
    }

    fn headers(&self, out: &mut Json, i: usize, side: Side, m: &HttpMessage) {
        out.key("headers").open('[');
        for (index, h) in m.headers.iter().enumerate() {
            let edit = self
                .headers
                .binary_search_by_key(&(i, side, index), |(k, _)| *k)
                .ok()
                .map(|at| self.headers[at].1);
            let value = match edit {
                Some(value) => value.to_owned(),
                None => self.basic_tokens(&h.name, &h.value),
            };
            out.item().open('{');
            out.key("name").string(&h.name);
            out.key("value")
                .string(&replace_tokens_str(&value, self.tokens));
            out.close('}');
        }
        out.close(']');
    }

    /// Basic credentials left in place still get serials and addresses replaced inside them.
    fn basic_tokens(&self, name: &str, value: &str) -> String {
        let lower = name.to_ascii_lowercase();
        if self.tokens.is_empty() || !(lower == "authorization" || lower == "proxy-authorization") {
            return value.to_owned();
        }
        let Some((scheme, credentials)) = value.split_once(' ') else {
            return value.to_owned();
        };
        if !scheme.eq_ignore_ascii_case("basic") {
            return value.to_owned();
        }
        match base64_decode(credentials.trim(), false)
            .and_then(|decoded| replace_tokens(&decoded, self.tokens))
        {
            Some(changed) => format!("{scheme} {}", base64_encode(&changed, false)),
            None => value.to_owned(),
        }
    }

    fn body(&self, i: usize, side: Side, m: &HttpMessage) -> Vec<u8> {
        let mut body = m.body.clone();
        if let Ok(at) = self.spans.binary_search_by_key(&(i, side), |(k, _)| *k) {
            // Sorted by start (see `write_har`); edits that overlap become one, covering both,
            // so that a secret inside another (a URL's password in a password value) never
            // leaves part of the outer one in place.
            let mut merged: Vec<(usize, usize, &str)> = Vec::new();
            for &(start, end, text) in &self.spans[at].1 {
                if start > end || end > body.len() {
                    continue;
                }
                match merged.last_mut() {
                    Some(last) if start < last.1 => last.1 = last.1.max(end),
                    _ => merged.push((start, end, text)),
                }
            }
            // From the end, so that earlier offsets stay valid.
            for &(start, end, text) in merged.iter().rev() {
                body.splice(start..end, text.bytes());
            }
        }
        replace_tokens(&body, self.tokens).unwrap_or(body)
    }
}

// ---------------------------------------------------------------------------------------------
// The link

/// What starts the fragment of a share link, after `#`.
pub const FRAGMENT_PREFIX: &str = "share=v1.";

/// A share link, read from its fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedLink {
    /// The HAR, compressed with raw DEFLATE (RFC 1951).
    pub compressed: Vec<u8>,
    /// The session that was on screen, by id.
    pub session: Option<usize>,
    /// The message that was selected, by index in the session.
    pub step: Option<usize>,
}

impl SharedLink {
    /// Where to open: (session, message), when the link names a session.
    pub fn start_at(&self) -> Option<(usize, usize)> {
        self.session.map(|s| (s, self.step.unwrap_or(0)))
    }
}

/// Why a share link cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// `share=` is followed by a version this app does not know.
    Version(String),
    /// The data is not base64url.
    Base64,
    /// The data is empty.
    Empty,
    /// The data does not inflate (it is not raw DEFLATE, or it is cut).
    Inflate,
    /// It inflates to more than the page accepts (the limit, in bytes).
    TooLarge(usize),
    /// It inflates, but not to a HAR capture.
    NotHar,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Version(v) => write!(
                f,
                "the link was made by another version of cwmp-inspector (format “{v}”)"
            ),
            Self::Base64 => f.write_str(
                "the link is damaged: its data is not valid base64url (it may have been cut \
                 or re-encoded when it was copied)",
            ),
            Self::Empty => f.write_str("the link holds no capture"),
            Self::Inflate => f.write_str(
                "the link is damaged: its data does not decompress (it may have been cut when \
                 it was copied)",
            ),
            Self::TooLarge(limit) => write!(
                f,
                "the link's capture decompresses to more than {} MB, more than this page accepts",
                limit / 1_000_000
            ),
            Self::NotHar => f.write_str("the link's data is not a capture (a HAR file)"),
        }
    }
}

impl std::error::Error for LinkError {}

/// The fragment (without `#`) of a link to `compressed` opened at `at` (session, message).
pub fn link_fragment(compressed: &[u8], at: Option<(usize, usize)>) -> String {
    let mut fragment = format!("{FRAGMENT_PREFIX}{}", base64_encode(compressed, true));
    if let Some((session, step)) = at {
        let _ = write!(fragment, "&session={session}&step={step}");
    }
    fragment
}

/// Reads a fragment (with or without its `#`). `None` when it is not a share link at all;
/// otherwise the link, or why it is broken.
pub fn parse_fragment(fragment: &str) -> Option<Result<SharedLink, LinkError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut data = None;
    let (mut session, mut step) = (None, None);
    for part in fragment.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key {
            "share" => data = Some(value),
            "session" => session = value.parse().ok(),
            "step" => step = value.parse().ok(),
            _ => {}
        }
    }
    let data = data?;
    Some((|| {
        let Some(encoded) = data.strip_prefix("v1.") else {
            let version = data.split('.').next().unwrap_or_default();
            return Err(LinkError::Version(version.chars().take(20).collect()));
        };
        if encoded.is_empty() {
            return Err(LinkError::Empty);
        }
        let compressed = base64_decode(encoded, true).ok_or(LinkError::Base64)?;
        Ok(SharedLink {
            compressed,
            session,
            step,
        })
    })())
}

/// Checks that inflated link data is a HAR capture as [`export`] writes it.
///
/// # Errors
///
/// [`LinkError::NotHar`] when it is not.
pub fn check_har(bytes: &[u8]) -> Result<(), LinkError> {
    let start = bytes.trim_ascii_start();
    let head = start.get(..start.len().min(64)).unwrap_or_default();
    let compact: Vec<u8> = head
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if compact.starts_with(b"{\"log\":") {
        Ok(())
    } else {
        Err(LinkError::NotHar)
    }
}

/// Base64 (RFC 4648): `url` picks the URL-safe alphabet without padding (§5, for link
/// fragments), else the standard one, padded (§4). Built on the codec's `xsd:base64Binary`
/// coder, whose alphabet is the standard one.
pub fn base64_encode(bytes: &[u8], url: bool) -> String {
    let text = cwmp_codec::value::encode_base64(bytes);
    if !url {
        return text;
    }
    text.trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect()
}

/// Decodes [`base64_encode`]'s output, padded or not, in the alphabet `url` picks. `None` for
/// anything else, whitespace included (in a header token or a link it means a damaged value).
pub fn base64_decode(text: &str, url: bool) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let foreign = |c: u8| {
        c.is_ascii_whitespace()
            || c == b'='
            || if url {
                matches!(c, b'+' | b'/')
            } else {
                matches!(c, b'-' | b'_')
            }
    };
    if text.bytes().any(foreign) {
        return None;
    }
    let missing = (4 - text.len() % 4) % 4;
    if missing == 3 {
        // One leftover character carries less than a byte.
        return None;
    }
    let standard: String = text
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .chain(std::iter::repeat_n('=', missing))
        .collect();
    cwmp_codec::value::decode_base64(&standard).ok()
}
