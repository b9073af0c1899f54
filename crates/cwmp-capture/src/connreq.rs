//! Connection requests (TR-069 §3.2.2): the ACS's HTTP GET to the CPE, its Digest challenge and
//! the retry, gathered into one record.

use std::net::SocketAddr;

use crate::frames::Timestamp;
use crate::http::{HttpExchange, HttpMessage};

/// Attempts of one connection request further apart than this are separate requests.
const SAME_REQUEST_WINDOW_NS: i64 = 30_000_000_000;
/// A connection request's response carries no content; a larger body means a download.
const MAX_RESPONSE_BODY: usize = 512;

/// The parameters of a `WWW-Authenticate` or `Authorization` header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthParams {
    /// The scheme: `Digest` or `Basic`, as sent.
    pub scheme: String,
    /// `name=value` pairs in order; quoted values are unquoted. For Basic, the single token
    /// (the base64 credentials) is kept under the name `token`.
    pub params: Vec<(String, String)>,
}

impl AuthParams {
    /// Parses `Scheme a=1, b="x, y"`; returns `None` for an empty value.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        let (scheme, rest) = value.split_once(char::is_whitespace).unwrap_or((value, ""));
        if scheme.is_empty() {
            return None;
        }
        let mut params = Vec::new();
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("basic") {
            if !rest.is_empty() {
                params.push(("token".to_owned(), rest.to_owned()));
            }
            return Some(Self {
                scheme: scheme.to_owned(),
                params,
            });
        }
        let mut chars = rest.chars().peekable();
        loop {
            while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
                chars.next();
            }
            let name: String = chars
                .by_ref()
                .take_while(|&c| c != '=')
                .collect::<String>()
                .trim()
                .to_owned();
            if name.is_empty() {
                break;
            }
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            let mut val = String::new();
            let quoted = chars.peek() == Some(&'"');
            if quoted {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => val.extend(chars.next()),
                        '"' => break,
                        c => val.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' {
                        break;
                    }
                    val.push(c);
                    chars.next();
                }
            }
            let val = if quoted { val } else { val.trim().to_owned() };
            params.push((name, val));
        }
        Some(Self {
            scheme: scheme.to_owned(),
            params,
        })
    }

    /// The value of a parameter (case-insensitive name).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One GET of a connection request and its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionRequestAttempt {
    /// Index of the exchange in [`crate::Import::exchanges`].
    pub exchange: usize,
    /// TCP connection number, for captures.
    pub stream: Option<u64>,
    /// When the GET was sent.
    pub time: Option<Timestamp>,
    /// The `Authorization` header the ACS sent, if any.
    pub authorization: Option<AuthParams>,
    /// The `WWW-Authenticate` challenge the CPE answered with, if any.
    pub challenge: Option<AuthParams>,
    /// The response status; `None` when no response was captured.
    pub status: Option<u16>,
    /// The connection was reset (a TCP RST) without an answer to this GET.
    pub reset: bool,
}

/// A connection request: the ACS asking the CPE to open a session (TR-069 §3.2.2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionRequest {
    /// The ACS side.
    pub acs: Option<SocketAddr>,
    /// The CPE side (its ConnectionRequestURL host and port).
    pub cpe: Option<SocketAddr>,
    /// The request target, such as `/` or `/cr/abc`.
    pub target: String,
    /// When the first GET was sent.
    pub time: Option<Timestamp>,
    /// The GETs, in order: typically one without credentials answered 401, then the retry.
    pub attempts: Vec<ConnectionRequestAttempt>,
    /// The auth scheme used: from the last Authorization sent, else from the last challenge.
    pub scheme: Option<String>,
    /// Digest `realm`.
    pub realm: Option<String>,
    /// Digest `nonce`.
    pub nonce: Option<String>,
    /// Digest `uri`, from the Authorization header.
    pub uri: Option<String>,
    /// Digest `qop`: the one chosen in Authorization, else the challenge's offer.
    pub qop: Option<String>,
    /// Digest `response`, from the Authorization header.
    pub response: Option<String>,
    /// The username, from the Authorization header.
    pub username: Option<String>,
    /// The final status: 200 or 204 means the CPE accepted and will connect to the ACS.
    pub result: Option<u16>,
}

/// How a connection request ended, from the CPE's last answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectionRequestOutcome {
    /// A 2xx: the CPE will open a session to the ACS.
    Accepted,
    /// Another final status (403, 503…): the CPE refused it.
    Refused,
    /// Still 401 after the ACS sent credentials: wrong credentials, or a 401 loop.
    AuthFailed,
    /// Challenged with 401 and the ACS never answered the challenge.
    NotAuthenticated,
    /// The connection was reset (TCP RST) before any answer.
    Reset,
    /// No answer was captured.
    NoAnswer,
}

impl ConnectionRequestOutcome {
    /// The JSON name, such as `auth-failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Refused => "refused",
            Self::AuthFailed => "auth-failed",
            Self::NotAuthenticated => "not-authenticated",
            Self::Reset => "reset",
            Self::NoAnswer => "no-answer",
        }
    }

    /// Whether the request failed: anything but accepted.
    pub fn failed(self) -> bool {
        self != Self::Accepted
    }
}

impl ConnectionRequest {
    /// Whether the CPE accepted the request (a 2xx final status).
    pub fn accepted(&self) -> bool {
        self.result.is_some_and(|s| (200..300).contains(&s))
    }

    /// How the request ended: accepted, refused, never or wrongly authenticated, reset, or
    /// unanswered.
    pub fn outcome(&self) -> ConnectionRequestOutcome {
        let last = self.attempts.last();
        match self.result {
            Some(s) if (200..300).contains(&s) => ConnectionRequestOutcome::Accepted,
            Some(401) if self.attempts.iter().any(|a| a.authorization.is_some()) => {
                ConnectionRequestOutcome::AuthFailed
            }
            Some(401) => ConnectionRequestOutcome::NotAuthenticated,
            Some(_) => ConnectionRequestOutcome::Refused,
            None if last.is_some_and(|a| a.reset) => ConnectionRequestOutcome::Reset,
            None => ConnectionRequestOutcome::NoAnswer,
        }
    }
}

/// Whether an exchange looks like a connection request: a GET without body whose answer is a
/// challenge or carries (almost) nothing, rather than a file download or a SOAP message.
fn is_connection_request(x: &HttpExchange) -> bool {
    let Some(req) = &x.request else {
        return false;
    };
    if req.method() != Some("GET") || !req.body.is_empty() {
        return false;
    }
    match &x.response {
        None => true,
        Some(resp) => {
            resp.status() == Some(401)
                || resp.body.len() <= MAX_RESPONSE_BODY
                    && !looks_like_xml(&resp.body)
                    && !is_content(resp)
        }
    }
}

/// Whether a response carries content, as an API, a web page or a file server answers: a JSON,
/// HTML, script, style or image body. A CPE answers a connection request with nothing to show.
fn is_content(resp: &HttpMessage) -> bool {
    let typed = resp.headers_named("content-type").any(|t| {
        let t = t.to_ascii_lowercase();
        ["json", "html", "javascript", "css", "image/"]
            .iter()
            .any(|kind| t.contains(kind))
    });
    typed
        || resp
            .body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{' || b == b'[')
}

fn looks_like_xml(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

fn auth(m: Option<&HttpMessage>, header: &str) -> Option<AuthParams> {
    m?.headers_named(header).last().and_then(AuthParams::parse)
}

/// Gathers the connection requests among `exchanges` (which must be in time order).
pub fn connection_requests(exchanges: &[HttpExchange]) -> Vec<ConnectionRequest> {
    let mut out: Vec<ConnectionRequest> = Vec::new();
    for (i, x) in exchanges.iter().enumerate() {
        if !is_connection_request(x) {
            continue;
        }
        let Some(req) = &x.request else { continue };
        let target = match &req.start {
            crate::http::StartLine::Request { target, .. } => target.clone(),
            crate::http::StartLine::Response { .. } => String::new(),
        };
        let attempt = ConnectionRequestAttempt {
            exchange: i,
            stream: x.stream,
            time: req.first_time,
            authorization: auth(Some(req), "authorization"),
            challenge: auth(x.response.as_ref(), "www-authenticate"),
            status: x.response.as_ref().and_then(HttpMessage::status),
            reset: false,
        };
        let acs = x.client;
        let cpe = x.server;
        // A retry comes from the same ACS host (a new connection has a new port) to the same CPE.
        let same = |cr: &ConnectionRequest| {
            cr.cpe == cpe
                && cr.acs.map(|a| a.ip()) == acs.map(|a| a.ip())
                && cr.target == target
                && cr.result == Some(401)
                && match (cr.attempts.last().and_then(|a| a.time), attempt.time) {
                    (Some(a), Some(b)) => (b.0 - a.0).abs() <= SAME_REQUEST_WINDOW_NS,
                    _ => true,
                }
        };
        if let Some(cr) = out.iter_mut().rev().find(|cr| same(cr)) {
            cr.attempts.push(attempt);
            summarise(cr);
        } else {
            let mut cr = ConnectionRequest {
                acs,
                cpe,
                target,
                time: attempt.time,
                attempts: vec![attempt],
                ..ConnectionRequest::default()
            };
            summarise(&mut cr);
            out.push(cr);
        }
    }
    out
}

/// Fills the record's summary fields from its attempts.
fn summarise(cr: &mut ConnectionRequest) {
    let authz = cr
        .attempts
        .iter()
        .rev()
        .find_map(|a| a.authorization.as_ref());
    let challenge = cr.attempts.iter().rev().find_map(|a| a.challenge.as_ref());
    let pick = |name: &str| {
        authz
            .and_then(|a| a.get(name))
            .or_else(|| challenge.and_then(|c| c.get(name)))
            .map(str::to_owned)
    };
    cr.scheme = authz.or(challenge).map(|a| a.scheme.clone());
    cr.realm = pick("realm");
    cr.nonce = pick("nonce");
    cr.qop = pick("qop");
    cr.uri = authz.and_then(|a| a.get("uri")).map(str::to_owned);
    cr.response = authz.and_then(|a| a.get("response")).map(str::to_owned);
    cr.username = authz.and_then(|a| a.get("username")).map(str::to_owned);
    cr.result = cr.attempts.last().and_then(|a| a.status);
}

/// Marks the unanswered attempts made on a connection that was reset (`reset_streams`, sorted).
pub fn mark_resets(requests: &mut [ConnectionRequest], reset_streams: &[u64]) {
    for a in requests.iter_mut().flat_map(|cr| cr.attempts.iter_mut()) {
        a.reset = a.status.is_none()
            && a.stream
                .is_some_and(|s| reset_streams.binary_search(&s).is_ok());
    }
}
