//! From HTTP exchanges to sessions: decoding each body, grouping by connection, cookie and
//! Inform, pairing requests with responses, and identifying devices.
//!
//! Grouping rules, in order:
//!
//! 1. An Inform starts a session, except the retry of an Inform that was answered 401 (the HTTP
//!    authentication handshake), which continues it.
//! 2. Any other CPE message joins the open session on its TCP connection; failing that, the open
//!    session whose cookies it returns (a session that moved to a new connection); failing that,
//!    for inputs without connections (text imports), the last open session.
//! 3. A session ends at the ACS's empty response (204, or 200 without body). A new Inform on the
//!    same connection leaves the previous session unfinished.
//!
//! CWMP requests are paired with the other side's next response or fault, by `cwmp:ID` when one
//! matches and by position otherwise (MaxEnvelopes is 1, so at most one request is outstanding
//! per side, but a capture may show otherwise and the pairing must not break).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};

use cwmp_capture::{AuthParams, HttpExchange, HttpMessage, Import};
use cwmp_codec::{Body, Envelope, Message as CodecMessage, Rpc};

use crate::model::{
    Capture, Device, Direction, FORMAT, ImportProblem, ImportSummaryView, Message,
    MessageDiagnostic, MessageKind, MessageSummary, OtherHttpView, Session, SessionEnd, Source,
    TlsConnectionView, VERSION, rfc3339,
};

/// Imports and analyses an input of any supported format.
pub fn analyse(input: &[u8], name: Option<&str>) -> Capture {
    analyse_import(cwmp_capture::import(input), name)
}

/// What analysis keeps besides what the JSON contract needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnalyseOptions {
    /// Keep the HTTP bodies in [`Capture::exchanges`]. The app shows the raw XML from them; the
    /// command line drops each once it is decoded, which lowers peak memory by their size.
    pub keep_http_bodies: bool,
    /// Keep the parameter lists of the CPE's answers (GetParameterValuesResponse,
    /// GetParameterNamesResponse, GetParameterAttributesResponse) in the decoded envelopes. The
    /// app shows them; no rule and no command-line output reads them (their count is in the
    /// summary), and they are most of a capture's decoded size, so the command line drops them.
    pub keep_answer_parameters: bool,
}

impl Default for AnalyseOptions {
    fn default() -> Self {
        Self {
            keep_http_bodies: true,
            keep_answer_parameters: true,
        }
    }
}

/// Analyses an import: sessions, devices, connection requests and findings.
pub fn analyse_import(import: Import, name: Option<&str>) -> Capture {
    analyse_import_with(import, name, AnalyseOptions::default())
}

/// [`analyse_import`] with options.
pub fn analyse_import_with(import: Import, name: Option<&str>, options: AnalyseOptions) -> Capture {
    let mut import = import;
    let decoded = decode_exchanges(&mut import.exchanges, 0, options);
    analyse_decoded_with(import, decoded, name)
}

/// What an HTTP exchange carries, as far as CWMP goes. CWMP is SOAP over HTTP POST; an ACS
/// host's capture also holds its REST API (JSON), web UI and file server, which are not CWMP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Carries {
    /// A SOAP body (or a response without its request whose body may be one): read as CWMP.
    Soap,
    /// A POST without body: CWMP's empty POST when its connection or its client carries CWMP.
    EmptyPost,
    /// Another method (a GET: a connection request, a download, a page), or a body that is not
    /// SOAP (JSON, a form).
    Other,
}

/// Whether a body may be a SOAP envelope: markup (after a BOM and blanks) that names an
/// `Envelope` near its start. A broken envelope still does; JSON, forms and pages do not.
fn looks_like_soap(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let Some(start) = body.iter().position(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    let head = &body[start..body.len().min(start + 4096)];
    head.first() == Some(&b'<') && head.windows(8).any(|w| w == b"Envelope")
}

fn carries(x: &HttpExchange) -> Carries {
    match &x.request {
        Some(r) if r.method() != Some("POST") => Carries::Other,
        Some(r) if r.body.is_empty() => Carries::EmptyPost,
        Some(r) if looks_like_soap(&r.body) => Carries::Soap,
        Some(_) => Carries::Other,
        None => match &x.response {
            Some(r) if !r.body.is_empty() && !looks_like_soap(&r.body) => Carries::Other,
            _ => Carries::Soap,
        },
    }
}

/// The messages of one HTTP exchange, decoded: what the CPE sent (the request) and what the ACS
/// sent (the response).
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedExchange {
    // Boxed: a message is large, and the list of decoded exchanges lives until every message
    // has moved into its session; boxed, each frees its memory as it moves.
    cpe: Option<Box<Message>>,
    acs: Option<Box<Message>>,
    carries: Carries,
}

/// Decodes the bodies of `exchanges`, the first of which is exchange `first_index` of the
/// import, and drops each body once decoded unless `options` keep them. Decoding is independent
/// per exchange, so callers with threads may decode disjoint ranges at once and concatenate the
/// results in order for [`analyse_decoded_with`].
pub fn decode_exchanges(
    exchanges: &mut [HttpExchange],
    first_index: usize,
    options: AnalyseOptions,
) -> Vec<DecodedExchange> {
    exchanges
        .iter_mut()
        .enumerate()
        .map(|(i, x)| {
            let index = first_index + i;
            let carries = carries(x);
            if carries == Carries::Other {
                return DecodedExchange {
                    cpe: None,
                    acs: None,
                    carries,
                };
            }
            let decoded = DecodedExchange {
                cpe: x.request.as_ref().map(|r| {
                    let mut m = message(index, r, Direction::CpeToAcs);
                    if !options.keep_answer_parameters {
                        drop_answer_parameters(&mut m);
                    }
                    Box::new(m)
                }),
                acs: x
                    .response
                    .as_ref()
                    .map(|r| Box::new(message(index, r, Direction::AcsToCpe))),
                carries,
            };
            if !options.keep_http_bodies {
                for m in x.request.iter_mut().chain(x.response.iter_mut()) {
                    m.body = Vec::new();
                }
            }
            decoded
        })
        .collect()
}

/// Drops the parameter list of a CPE's answer, once counted in the summary.
fn drop_answer_parameters(m: &mut Message) {
    let Some(Envelope {
        body: Body::Rpc(rpc),
        ..
    }) = m.envelope.as_deref_mut()
    else {
        return;
    };
    match rpc {
        Rpc::GetParameterValuesResponse(r) => r.parameter_list = None,
        Rpc::GetParameterNamesResponse(r) => r.parameter_list = None,
        Rpc::GetParameterAttributesResponse(r) => r.parameter_list = None,
        _ => {}
    }
}

/// Decides which empty POSTs are CWMP (those on a connection, or from a client, that carries a
/// SOAP message; every one in inputs without connections) and lists the exchanges that are not
/// CWMP, connection requests aside.
fn other_http(import: &Import, decoded: &mut [DecodedExchange]) -> OtherHttpView {
    let soap = |d: &DecodedExchange| {
        d.carries == Carries::Soap
            && [&d.cpe, &d.acs]
                .into_iter()
                .flatten()
                .any(|m| m.envelope.is_some())
    };
    let mut streams = HashSet::new();
    let mut clients = HashSet::new();
    for (x, d) in import.exchanges.iter().zip(decoded.iter()) {
        if soap(d) {
            streams.extend(x.stream);
            clients.extend(x.client.map(|a| a.ip()));
        }
    }
    let mut connection_request = vec![false; import.exchanges.len()];
    for a in import
        .connection_requests
        .iter()
        .flat_map(|cr| &cr.attempts)
    {
        if let Some(c) = connection_request.get_mut(a.exchange) {
            *c = true;
        }
    }
    let mut out = OtherHttpView::default();
    for (i, (x, d)) in import.exchanges.iter().zip(decoded.iter_mut()).enumerate() {
        if d.carries == Carries::EmptyPost
            && x.stream.is_some()
            && !x.stream.is_some_and(|s| streams.contains(&s))
            && !x.client.is_some_and(|a| clients.contains(&a.ip()))
        {
            d.carries = Carries::Other;
            d.cpe = None;
            d.acs = None;
        }
        if d.carries == Carries::Other && !connection_request[i] {
            out.add(x);
        }
    }
    out
}

/// Analyses an import whose exchanges were decoded by [`decode_exchanges`] (one entry per
/// exchange, in order).
pub fn analyse_decoded_with(
    import: Import,
    decoded: Vec<DecodedExchange>,
    name: Option<&str>,
) -> Capture {
    let format = match (import.text_format, import.format) {
        (Some(text), _) => text.to_string(),
        (None, Some(format)) => format.to_string(),
        (None, None) => "unknown".to_owned(),
    };
    let mut decoded = decoded;
    let other_http = other_http(&import, &mut decoded);
    let mut builder = Builder::default();
    // What is not CWMP (connection requests, other HTTP) is left out.
    for (x, d) in import.exchanges.iter().zip(decoded) {
        builder.exchange(x, d);
    }
    let mut sessions = builder.finish(&import.closed_streams);
    sessions.sort_by_key(|s| s.messages.first().and_then(|m| m.time_ns));
    for (id, s) in sessions.iter_mut().enumerate() {
        s.id = id;
    }
    let devices = devices(&mut sessions);
    let (connection_requests, udp_connection_requests) =
        crate::link::connection_requests(&import, &mut sessions, devices.len());
    let bodies_not_cwmp = sessions
        .iter()
        .flat_map(|s| &s.messages)
        .filter(|m| m.decode_error.is_some())
        .count() as u64;
    let mut capture = Capture {
        format: FORMAT,
        version: VERSION,
        source: Source {
            name: name.map(str::to_owned),
            format,
            bytes: import.summary.input_bytes,
        },
        devices,
        sessions,
        connection_requests,
        udp_connection_requests,
        findings: Vec::new(),
        import_summary: ImportSummaryView {
            import: import.summary,
            bodies_not_cwmp,
            other_http,
        },
        import_problems: import
            .errors
            .iter()
            .map(|e| ImportProblem {
                location: e.location.to_string(),
                message: e.message.clone(),
            })
            .chain(import.encrypted.iter().map(|e| ImportProblem {
                location: format!("tcp.stream {}", e.stream),
                message: format!("{} → {}: {}", e.client, e.server, e.message),
            }))
            .collect(),
        tls_connections: import
            .encrypted
            .iter()
            .map(|e| TlsConnectionView {
                stream: e.stream,
                client: e.client.to_string(),
                server: e.server.to_string(),
                server_name: e.server_name.clone(),
                version: e.version.clone(),
                offered: e.offered.clone(),
            })
            .collect(),
        exchanges: import.exchanges,
    };
    let mut findings = crate::lint::lint(&capture);
    findings.sort_by_key(|f| {
        (
            f.session.unwrap_or(usize::MAX),
            f.messages.first().map(|m| m.message),
        )
    });
    for (i, f) in findings.iter().enumerate() {
        if let Some(s) = f.session.and_then(|s| capture.sessions.get_mut(s)) {
            s.findings.push(i);
        }
    }
    capture.findings = findings;
    capture
}

/// A session being built.
struct Open {
    session: Session,
    cpe_ip: Option<IpAddr>,
    /// `name=value` cookies the ACS set or the CPE returned.
    cookies: Vec<String>,
    /// Only Informs so far, each answered 401: the next Inform is the authenticated retry.
    auth_pending: bool,
    /// Outstanding CWMP requests per direction (message indices).
    outstanding: [Vec<usize>; 2],
    ended: bool,
}

#[derive(Default)]
struct Builder {
    open: Vec<Open>,
    /// Indices in `open` of the sessions not yet ended, oldest first: the only candidates for
    /// new messages, kept short so that grouping stays linear in the number of exchanges.
    live: Vec<usize>,
}

impl Builder {
    fn exchange(&mut self, x: &HttpExchange, decoded: DecodedExchange) {
        let open = &self.open;
        self.live.retain(|&i| !open[i].ended);
        let DecodedExchange {
            cpe: cpe_msg,
            acs: acs_msg,
            carries,
        } = decoded;
        if carries == Carries::Other {
            return;
        }
        let request = x.request.as_ref();
        let response = x.response.as_ref();
        if cpe_msg.is_none()
            && acs_msg
                .as_ref()
                .is_none_or(|m| m.kind == MessageKind::Other)
        {
            return;
        }
        let cookies = request.map(cookie_strings).unwrap_or_default();
        let cpe_ip = x.client.map(|a| a.ip());
        let is_inform = cpe_msg.as_ref().is_some_and(|m| m.rpc == "Inform");
        let target = self.target(x, is_inform, &cookies, cpe_ip);
        let open = if let Some(i) = target {
            &mut self.open[i]
        } else {
            if is_inform {
                // A new Inform on a connection leaves its previous session behind.
                for &i in &self.live {
                    if same_stream(&self.open[i], x.stream) {
                        self.open[i].ended = true;
                    }
                }
            }
            self.open.push(Open {
                session: Session {
                    id: 0,
                    device: None,
                    start: None,
                    end: None,
                    ended: SessionEnd::Unfinished,
                    events: Vec::new(),
                    cpe: x.client.map(|a| a.to_string()),
                    acs: x.server.map(|a| a.to_string()),
                    streams: Vec::new(),
                    namespace: None,
                    connection_request: None,
                    udp_connection_request: None,
                    messages: Vec::new(),
                    findings: Vec::new(),
                },
                cpe_ip,
                cookies: Vec::new(),
                auth_pending: false,
                outstanding: [Vec::new(), Vec::new()],
                ended: false,
            });
            self.live.push(self.open.len() - 1);
            self.open.last_mut().expect("just pushed")
        };
        if let Some(stream) = x.stream
            && !open.session.streams.contains(&stream)
        {
            open.session.streams.push(stream);
        }
        for c in cookies {
            if !open.cookies.contains(&c) {
                open.cookies.push(c);
            }
        }
        if let Some(r) = response {
            for c in set_cookie_strings(r) {
                if !open.cookies.contains(&c) {
                    open.cookies.push(c);
                }
            }
        }
        let status = acs_msg.as_ref().and_then(|m| m.http_status);
        open.auth_pending = is_inform
            && status == Some(401)
            && (open.session.messages.is_empty() || open.auth_pending);
        let refused = acs_msg
            .as_ref()
            .is_some_and(|m| m.http_status.is_some_and(|st| st >= 300));
        let cpe_index = cpe_msg.as_ref().map(|_| open.session.messages.len());
        for m in cpe_msg.into_iter().chain(acs_msg) {
            let m = *m;
            push(open, m);
        }
        if refused && let Some(i) = cpe_index {
            // Refused at the HTTP level (401, 500…): the ACS never read it as CWMP, so nothing
            // answers it; the retry is what gets the answer.
            open.outstanding[0].retain(|&r| r != i);
        }
    }

    /// The open session an exchange belongs to, if any.
    fn target(
        &self,
        x: &HttpExchange,
        is_inform: bool,
        cookies: &[String],
        cpe_ip: Option<IpAddr>,
    ) -> Option<usize> {
        let live = || self.live.iter().rev().map(|&i| (i, &self.open[i]));
        let on_stream = live()
            .find(|(_, o)| x.stream.is_some() && same_stream(o, x.stream))
            .map(|(i, _)| i);
        if is_inform {
            if x.stream.is_none() {
                // Without connections (text imports), the retry follows its 401 directly.
                return live()
                    .find(|(_, o)| o.auth_pending && o.session.streams.is_empty())
                    .map(|(i, _)| i);
            }
            return on_stream.filter(|&i| self.open[i].auth_pending);
        }
        if on_stream.is_some() {
            return on_stream;
        }
        let by_cookie = live()
            .find(|(_, o)| {
                (o.cpe_ip.is_none() || cpe_ip.is_none() || o.cpe_ip == cpe_ip)
                    && cookies.iter().any(|c| o.cookies.contains(c))
            })
            .map(|(i, _)| i);
        if by_cookie.is_some() {
            return by_cookie;
        }
        if x.stream.is_none() {
            return live()
                .find(|(_, o)| o.session.streams.is_empty())
                .map(|(i, _)| i);
        }
        None
    }

    fn finish(self, closed: &[u64]) -> Vec<Session> {
        let closed: std::collections::HashSet<u64> = closed.iter().copied().collect();
        self.open
            .into_iter()
            .map(|mut o| {
                if o.session.ended != SessionEnd::Completed
                    && o.session.streams.last().is_some_and(|s| closed.contains(s))
                {
                    o.session.ended = SessionEnd::ConnectionClosed;
                }
                o.session
            })
            .collect()
    }
}

fn same_stream(o: &Open, stream: Option<u64>) -> bool {
    stream.is_some_and(|s| o.session.streams.last() == Some(&s))
}

/// Appends a message: pairing, session times, events and the end of the session.
fn push(open: &mut Open, mut m: Message) {
    let s = &mut open.session;
    m.index = s.messages.len();
    let side = usize::from(m.direction == Direction::AcsToCpe);
    match m.kind {
        MessageKind::Request => open.outstanding[side].push(m.index),
        MessageKind::Response | MessageKind::Fault => {
            let waiting = &mut open.outstanding[1 - side];
            let by_id = waiting
                .iter()
                .position(|&i| m.cwmp_id.is_some() && s.messages[i].cwmp_id == m.cwmp_id);
            if let Some(pos) = by_id.or((!waiting.is_empty()).then_some(0)) {
                let req = waiting.remove(pos);
                m.pair = Some(req);
                s.messages[req].pair = Some(m.index);
            }
        }
        MessageKind::Empty | MessageKind::Other => {}
    }
    if s.namespace.is_none() {
        s.namespace = m
            .envelope
            .as_ref()
            .and_then(|e| e.namespace)
            .map(|n| n.uri().to_owned());
    }
    if m.rpc == "Inform" && s.events.is_empty() {
        s.events.clone_from(&m.summary.events);
    }
    if s.start.is_none() {
        s.start.clone_from(&m.time);
    }
    if m.time.is_some() {
        s.end.clone_from(&m.time);
    }
    if m.direction == Direction::AcsToCpe
        && m.kind == MessageKind::Empty
        && m.http_status.is_none_or(|st| st == 200 || st == 204)
    {
        s.ended = SessionEnd::Completed;
        open.ended = true;
    }
    s.messages.push(m);
}

fn cookie_strings(m: &HttpMessage) -> Vec<String> {
    m.cookies()
        .into_iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect()
}

fn set_cookie_strings(m: &HttpMessage) -> Vec<String> {
    m.headers_named("set-cookie")
        .filter_map(|v| v.split(';').next())
        .map(|pair| pair.trim().to_owned())
        .filter(|pair| pair.contains('='))
        .collect()
}

/// Decodes one HTTP message's body into a session message.
fn message(exchange: usize, http: &HttpMessage, direction: Direction) -> Message {
    let time_ns = http.first_time.map(|t| t.0);
    let mut m = Message {
        index: 0,
        direction,
        rpc: "Empty".to_owned(),
        kind: MessageKind::Empty,
        cwmp_id: None,
        http_method: http.method().map(str::to_owned),
        http_status: http.status(),
        time: http.first_time.map(rfc3339),
        time_ns,
        pair: None,
        exchange,
        stream: http.stream,
        frames: http
            .frames
            .as_ref()
            .map(|f| (f.start, f.end.saturating_sub(1))),
        body_bytes: http.body.len(),
        summary: MessageSummary::default(),
        diagnostics: Vec::new(),
        decode_error: None,
        envelope: None,
        codec_diagnostics: Vec::new(),
    };
    m.summary.challenge = http_auth(http, "www-authenticate");
    m.summary.authorization = http_auth(http, "authorization");
    if refusal_page(http) {
        // A 401 (or other refusal) carries an HTML page or nothing: an HTTP answer, not a CWMP
        // message that failed to decode.
        "Unknown".clone_into(&mut m.rpc);
        m.kind = MessageKind::Other;
        return m;
    }
    match cwmp_codec::decode(&http.body) {
        Ok(decoded) => {
            m.diagnostics = decoded
                .diagnostics
                .iter()
                .map(|d| MessageDiagnostic {
                    code: d.code.as_str().to_owned(),
                    severity: d.severity.into(),
                    message: d.message.clone(),
                })
                .collect();
            m.codec_diagnostics = decoded.diagnostics;
            if let CodecMessage::Envelope(envelope) = decoded.message {
                describe(&mut m, &envelope);
                m.envelope = Some(Box::new(envelope));
            }
        }
        Err(e) => {
            "Unknown".clone_into(&mut m.rpc);
            m.kind = MessageKind::Other;
            m.decode_error = Some(e.to_string());
        }
    }
    m
}

/// Whether `http` is an HTTP refusal (status 300 or above) whose body is not a SOAP envelope:
/// an error page, or nothing, that the codec must not read. A SOAP Fault sent with 500 still
/// decodes.
fn refusal_page(http: &HttpMessage) -> bool {
    http.status().is_some_and(|s| s >= 300)
        && !http.body.is_empty()
        && !http
            .body
            .windows(8)
            .any(|w| w.eq_ignore_ascii_case(b"envelope"))
}

/// The first `header` (`WWW-Authenticate` or `Authorization`) of `http`, without its secrets:
/// `Digest realm="acs" qop="auth"` (see [`MessageSummary::challenge`]).
fn http_auth(http: &HttpMessage, header: &str) -> Option<String> {
    let params = http
        .headers_named(header)
        .next()
        .and_then(AuthParams::parse)?;
    let mut out = params.scheme.clone();
    for name in ["realm", "qop"] {
        if let Some(value) = params.get(name) {
            let _ = write!(out, " {name}=\"{value}\"");
        }
    }
    if params
        .get("stale")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        out.push_str(" stale=true");
    }
    Some(out)
}

/// Fills the RPC name, kind, cwmp:ID and summary from a decoded envelope.
fn describe(m: &mut Message, envelope: &cwmp_codec::Envelope) {
    let header = envelope.header.as_ref();
    m.cwmp_id = header
        .and_then(|h| h.id.as_ref())
        .map(|id| id.value.raw.trim().to_owned());
    m.summary.hold_requests = header
        .and_then(|h| h.hold_requests.as_ref())
        .and_then(|h| h.value.value);
    match &envelope.body {
        Body::Rpc(rpc) => {
            rpc.name().clone_into(&mut m.rpc);
            m.kind = if m.rpc.ends_with("Response") {
                MessageKind::Response
            } else {
                MessageKind::Request
            };
            summarise(&mut m.summary, rpc);
        }
        Body::Fault(fault) => {
            "Fault".clone_into(&mut m.rpc);
            m.kind = MessageKind::Fault;
            if let Some(detail) = &fault.detail {
                m.summary.fault_code = detail.fault_code.as_ref().and_then(|c| c.value);
                m.summary.fault_string = detail.fault_string.as_ref().map(|s| s.value.clone());
            }
        }
        Body::Empty => {
            "Empty".clone_into(&mut m.rpc);
            m.kind = MessageKind::Empty;
        }
    }
}

fn text(t: Option<&cwmp_codec::Text>) -> &str {
    t.map_or("", |t| t.value.as_str())
}

/// Key fields per RPC.
fn summarise(s: &mut MessageSummary, rpc: &Rpc) {
    let names = crate::model::rpc_parameter_names(rpc);
    s.parameters = names.as_ref().map(Vec::len);
    s.argument = argument(rpc, names.as_deref());
    match rpc {
        Rpc::Inform(i) => {
            s.events = i
                .event
                .iter()
                .flatten()
                .map(|e| text(e.event_code.as_ref()).to_owned())
                .collect();
            s.retry_count = i.retry_count.as_ref().and_then(|r| r.value);
        }
        Rpc::TransferComplete(t) => {
            s.command_key = t.command_key.as_ref().map(|k| k.value.clone());
            if let Some(f) = &t.fault_struct {
                s.fault_code = f
                    .fault_code
                    .as_ref()
                    .and_then(|c| c.value)
                    .filter(|&c| c != 0);
                if s.fault_code.is_some() {
                    s.fault_string = f.fault_string.as_ref().map(|x| x.value.clone());
                }
            }
        }
        Rpc::Reboot(r) => s.command_key = r.command_key.as_ref().map(|k| k.value.clone()),
        Rpc::Download(d) => s.command_key = d.command_key.as_ref().map(|k| k.value.clone()),
        Rpc::Upload(u) => s.command_key = u.command_key.as_ref().map(|k| k.value.clone()),
        Rpc::ScheduleInform(x) => {
            s.command_key = x.command_key.as_ref().map(|k| k.value.clone());
        }
        _ => {}
    }
}

/// The key argument of an ACS request, for one-line displays (see [`MessageSummary::argument`]).
fn argument(rpc: &Rpc, names: Option<&[&str]>) -> Option<String> {
    let transfer = |file_type: Option<&cwmp_codec::Text>, url: Option<&cwmp_codec::Text>| {
        let host = url.and_then(|u| url_host(&u.value));
        let parts: Vec<&str> = [text(file_type).trim(), host.unwrap_or_default()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" from "))
    };
    match rpc {
        Rpc::GetParameterValues(_)
        | Rpc::SetParameterValues(_)
        | Rpc::GetParameterNames(_)
        | Rpc::GetParameterAttributes(_)
        | Rpc::SetParameterAttributes(_)
        | Rpc::AddObject(_)
        | Rpc::DeleteObject(_) => match names? {
            [one] if !one.trim().is_empty() => Some(one.trim().to_owned()),
            _ => None,
        },
        Rpc::Download(d) => transfer(d.file_type.as_ref(), d.url.as_ref()),
        Rpc::ScheduleDownload(d) => transfer(d.file_type.as_ref(), d.url.as_ref()),
        Rpc::Upload(u) => {
            transfer(u.file_type.as_ref(), u.url.as_ref()).map(|a| a.replacen(" from ", " to ", 1))
        }
        _ => None,
    }
}

/// The host of an absolute URL (`http://user@fw.example.com:80/x` gives `fw.example.com`).
fn url_host(url: &str) -> Option<&str> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then_some(host)
}

/// Groups sessions by their Inform's DeviceId, and gives sessions without Inform the device last
/// seen at the same CPE address.
fn devices(sessions: &mut [Session]) -> Vec<Device> {
    let mut devices: Vec<Device> = Vec::new();
    let mut by_ip: HashMap<String, usize> = HashMap::new();
    let mut by_device_id: HashMap<String, usize> = HashMap::new();
    for s in sessions.iter_mut() {
        let inform = s.messages.iter().find_map(|m| match m.envelope.as_deref() {
            Some(cwmp_codec::Envelope {
                body: Body::Rpc(Rpc::Inform(i)),
                ..
            }) => i.device_id.as_ref(),
            _ => None,
        });
        let ip = s
            .cpe
            .as_deref()
            .and_then(|a| a.parse::<SocketAddr>().ok())
            .map(|a| a.ip().to_string());
        let device = if let Some(d) = inform {
            let oui = text(d.oui.as_ref()).to_owned();
            let product_class = text(d.product_class.as_ref()).to_owned();
            let serial_number = text(d.serial_number.as_ref()).to_owned();
            let id = if product_class.is_empty() {
                format!("{oui}-{serial_number}")
            } else {
                format!("{oui}-{product_class}-{serial_number}")
            };
            // Indexed by id: a capture on an ACS holds thousands of devices.
            let index = *by_device_id.entry(id.clone()).or_insert_with(|| {
                devices.push(Device {
                    id,
                    manufacturer: text(d.manufacturer.as_ref()).to_owned(),
                    oui,
                    product_class,
                    serial_number,
                    sessions: Vec::new(),
                });
                devices.len() - 1
            });
            if let Some(ip) = &ip {
                by_ip.insert(ip.clone(), index);
            }
            Some(index)
        } else {
            ip.as_ref().and_then(|ip| by_ip.get(ip).copied())
        };
        if let Some(d) = device {
            devices[d].sessions.push(s.id);
        }
        s.device = device;
    }
    devices
}
