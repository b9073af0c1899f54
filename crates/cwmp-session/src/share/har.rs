//! The capture written as HAR 1.2, with the chosen redactions applied.
//!
//! Besides what HAR 1.2 defines, the writer keeps what the analysis needs to group and show the
//! traffic as the sender saw it, in custom fields (HAR allows fields that start with `_`), which
//! `cwmp-capture`'s HAR reader reads back: `log._fileName` (first, so that the page can name the
//! capture without reading the whole HAR), `log._udpConnectionRequests` (TR-069 Annex G
//! datagrams, decoded; a redacted `sig` is `[redacted]` in `sig`, `target` and `problems`), `log._closedStreams` (connections whose FIN or RST ended a session), `log._redacted` (what
//! the sender hid: kind, label and replacement of each redaction applied), `log._resetStreams`
//! (connections reset before a connection request's GET was answered) and
//! `log._failedConnections` (connections to a CPE's connection request URL that it never
//! accepted: `src`, `dst`, `time`, and `reset` when it refused the SYN with a RST), both only
//! when there are some;
//! per entry `_stream` (the TCP connection), `_clientIPAddress`, `_clientPort` and `_serverPort`;
//! per request `_target` (the request line's target, when `url` had to be made absolute); per
//! request and response `_frames` (first and last frame, 1-based); `_absent` on the empty
//! request of an entry whose request was not captured.

use std::fmt::Write as _;

use cwmp_capture::{
    ConnectionRequestOutcome, HttpExchange, HttpMessage, StartLine, UdpConnectionRequest,
};

use super::redact::{replace_tokens, replace_tokens_str};
use super::{Edit, REDACTED, Redaction, Side, base64_decode, base64_encode};
use crate::model::{Capture, SessionEnd, rfc3339};

pub(super) fn write_har(capture: &Capture, redactions: &[&Redaction], order: &[usize]) -> String {
    // Sorted vectors rather than maps: the page has no other use for a BTreeMap of these.
    let mut header_edits: HeaderEdits<'_> = Vec::new();
    let mut span_edits: SpanEdits<'_> = Vec::new();
    let mut tokens: Vec<(&str, &str)> = Vec::new();
    let mut udp_signatures: Vec<usize> = Vec::new();
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
            Edit::UdpSignature(request) => udp_signatures.push(*request),
        }
    }
    let apply = Apply {
        headers: &header_edits,
        spans: &span_edits,
        tokens: &tokens,
        udp_signatures: &udp_signatures,
    };
    let mut out = Json::default();
    out.open('{');
    out.key("log").open('{');
    if let Some(name) = &capture.source.name {
        out.key("_fileName")
            .string(&replace_tokens_str(name, apply.tokens));
    }
    out.key("version").string("1.2");
    out.key("creator").open('{');
    out.key("name").string("cwmp-inspector");
    out.key("version").string(env!("CARGO_PKG_VERSION"));
    out.close('}');
    out.key("entries").open('[');
    for &i in order {
        if let Some(x) = capture.exchanges.get(i) {
            out.item();
            if x.request.is_some() {
                apply.entry(&mut out, i, x);
            } else {
                apply.response_only_entry(&mut out, i, x);
            }
        }
    }
    out.close(']');
    apply.udp_connection_requests(&mut out, capture);
    redacted_list(&mut out, redactions, apply.tokens);
    out.key("_closedStreams").open('[');
    for s in &capture.sessions {
        if s.ended == SessionEnd::ConnectionClosed
            && let Some(stream) = s.streams.last()
        {
            out.item().raw(&stream.to_string());
        }
    }
    out.close(']');
    apply.connection_failures(&mut out, capture);
    out.close('}');
    out.close('}');
    out.text
}

/// `log._redacted`: what the sender hid, so that the recipient's page can say the capture is
/// not whole.
fn redacted_list(out: &mut Json, redactions: &[&Redaction], tokens: &[(&str, &str)]) {
    out.key("_redacted").open('[');
    for r in redactions {
        out.item().open('{');
        out.key("kind").string(r.kind.as_str());
        out.key("label")
            .string(&replace_tokens_str(&r.label, tokens));
        out.key("replacement").string(&r.replacement);
        out.close('}');
    }
    out.close(']');
}

/// A small JSON writer: the page has `serde_json`'s reader but not its writer, and a HAR is a
/// fixed shape.
#[derive(Default)]
pub(super) struct Json {
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

/// `_frames`: the message's first and last frame, when it came from a capture.
fn frames(out: &mut Json, m: &HttpMessage) {
    if let Some(frames) = &m.frames {
        out.key("_frames")
            .raw(&format!("[{},{}]", frames.start, frames.end));
    }
}

/// Body edits by message: (start, end, replacement).
pub(super) type SpanEdits<'a> = Vec<((usize, Side), Vec<(usize, usize, &'a str)>)>;

/// Header edits by (exchange, side, header index): the new value.
pub(super) type HeaderEdits<'a> = Vec<((usize, Side, usize), &'a str)>;

/// Applies the chosen edits while writing entries.
pub(super) struct Apply<'a> {
    headers: &'a HeaderEdits<'a>,
    spans: &'a SpanEdits<'a>,
    tokens: &'a [(&'a str, &'a str)],
    /// The UDP connection requests whose `sig` is hidden, by index.
    udp_signatures: &'a [usize],
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
        if url != *target {
            // The request line as sent (HAR's `url` is absolute).
            out.key("_target")
                .string(&replace_tokens_str(target, self.tokens));
        }
        out.key("httpVersion")
            .string(&format!("HTTP/1.{minor_version}"));
        out.key("cookies").raw("[]");
        self.headers(out, i, Side::Request, request);
        out.key("queryString").raw("[]");
        out.key("headersSize").raw("-1");
        out.key("bodySize").raw(&body.len().to_string());
        frames(out, request);
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
        self.connection_fields(out, x, server, x.client.or(request.src));
        out.close('}');
    }

    /// An entry for a response whose request was not captured (a capture that starts mid-way,
    /// an ACS message pasted alone): HAR needs a request, so it gets an empty one marked
    /// `_absent`, which the reader leaves out.
    fn response_only_entry(&self, out: &mut Json, i: usize, x: &HttpExchange) {
        out.open('{');
        if let Some(t) = x.response.as_ref().and_then(|r| r.first_time) {
            out.key("startedDateTime").string(&rfc3339(t));
        }
        out.key("time").raw("0");
        out.key("request").raw(
            r#"{"method":"","url":"","httpVersion":"","cookies":[],"headers":[],"queryString":[],"headersSize":-1,"bodySize":-1,"_absent":true}"#,
        );
        out.key("response");
        self.response(out, i, x.response.as_ref());
        out.key("cache").raw("{}");
        out.key("timings").raw(r#"{"send":0,"wait":0,"receive":0}"#);
        self.connection_fields(out, x, x.server, x.client);
        out.close('}');
    }

    /// The connection an entry travelled on: `serverIPAddress`, and the custom fields.
    fn connection_fields(
        &self,
        out: &mut Json,
        x: &HttpExchange,
        server: Option<std::net::SocketAddr>,
        client: Option<std::net::SocketAddr>,
    ) {
        if let Some(server) = server {
            let ip = replace_tokens_str(&server.ip().to_string(), self.tokens);
            out.key("serverIPAddress").string(&ip);
        }
        if let Some(stream) = x.stream {
            out.key("connection").string(&stream.to_string());
            out.key("_stream").raw(&stream.to_string());
        }
        if let Some(server) = server {
            out.key("_serverPort").raw(&server.port().to_string());
        }
        if let Some(client) = client {
            let ip = replace_tokens_str(&client.ip().to_string(), self.tokens);
            out.key("_clientIPAddress").string(&ip);
            out.key("_clientPort").raw(&client.port().to_string());
        }
    }

    /// `log._resetStreams` and `log._failedConnections`: what the exchanges cannot say of the
    /// connection requests that failed at the TCP level (a GET whose connection was reset, a
    /// connection the CPE never accepted), addresses redacted like the rest.
    fn connection_failures(&self, out: &mut Json, capture: &Capture) {
        let records = || capture.connection_requests.iter().map(|cr| &cr.record);
        let mut resets: Vec<u64> = records()
            .flat_map(|r| &r.attempts)
            .filter(|a| a.reset)
            .filter_map(|a| a.stream)
            .collect();
        resets.sort_unstable();
        resets.dedup();
        if !resets.is_empty() {
            out.key("_resetStreams").open('[');
            for stream in resets {
                out.item().raw(&stream.to_string());
            }
            out.close(']');
        }
        let mut failed = capture
            .connection_requests
            .iter()
            .filter(|cr| cr.record.attempts.is_empty())
            .peekable();
        if failed.peek().is_none() {
            return;
        }
        out.key("_failedConnections").open('[');
        for cr in failed {
            let (Some(acs), Some(cpe)) = (cr.record.acs, cr.record.cpe) else {
                continue;
            };
            out.item().open('{');
            if let Some(time) = &cr.time {
                out.key("time").string(time);
            }
            out.key("src")
                .string(&replace_tokens_str(&acs.to_string(), self.tokens));
            out.key("dst")
                .string(&replace_tokens_str(&cpe.to_string(), self.tokens));
            let reset = cr.outcome == Some(ConnectionRequestOutcome::Reset);
            out.key("reset").raw(if reset { "true" } else { "false" });
            out.close('}');
        }
        out.close(']');
    }

    /// `log._udpConnectionRequests`: each datagram as decoded, addresses redacted like the rest,
    /// and the chosen signatures wherever they are written (`sig`, the target's query, a problem
    /// that quotes a malformed one).
    fn udp_connection_requests(&self, out: &mut Json, capture: &Capture) {
        if capture.udp_connection_requests.is_empty() {
            return;
        }
        let text = |out: &mut Json, key: &str, value: &str| {
            out.key(key).string(&replace_tokens_str(value, self.tokens));
        };
        out.key("_udpConnectionRequests").open('[');
        for (index, r) in capture.udp_connection_requests.iter().enumerate() {
            let hidden = self
                .udp_signatures
                .contains(&index)
                .then_some(r.signature.as_deref())
                .flatten()
                .filter(|sig| !sig.is_empty());
            // A problem quotes a malformed sig as Rust's `{:?}` writes it; replacing only that
            // spares a short sig's text elsewhere in the problem.
            let unsigned = |problem: &str| match hidden {
                Some(sig) => problem.replace(&format!("{sig:?}"), &format!("{REDACTED:?}")),
                None => problem.to_owned(),
            };
            let target = match hidden {
                Some(_) => {
                    UdpConnectionRequest::target_with_signature_replaced(&r.target, REDACTED)
                }
                None => r.target.clone(),
            };
            out.item().open('{');
            out.key("frame").raw(&r.frame.to_string());
            if let Some(time) = &r.time {
                out.key("time").string(time);
            }
            text(out, "src", &r.acs);
            text(out, "dst", &r.cpe);
            text(out, "target", &target);
            if let Some(ts) = r.ts {
                out.key("ts").raw(&ts.to_string());
            }
            let optional = [
                ("id", r.message_id.as_deref()),
                ("un", r.username.as_deref()),
                ("cn", r.cnonce.as_deref()),
                (
                    "sig",
                    hidden.map_or(r.signature.as_deref(), |_| Some(REDACTED)),
                ),
            ];
            for (key, value) in optional {
                if let Some(value) = value {
                    text(out, key, value);
                }
            }
            out.key("problems").open('[');
            for problem in &r.problems {
                out.item();
                out.string(&replace_tokens_str(&unsigned(problem), self.tokens));
            }
            out.close(']');
            out.close('}');
        }
        out.close(']');
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
        frames(out, response);
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
