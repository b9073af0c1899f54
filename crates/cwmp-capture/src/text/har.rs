//! HAR 1.2 (HTTP Archive) exports from browsers and proxies.
//!
//! Each entry becomes an exchange: `request` (method, url, httpVersion, headers, postData.text)
//! and `response` (status, statusText, httpVersion, headers, content.text, base64 when
//! `content.encoding` says so). `startedDateTime` dates the request; the response is dated
//! `time` milliseconds later. The server is `serverIPAddress` with the URL's explicit port (no
//! port is guessed from the scheme). A response with status 0 (a browser's aborted request) is
//! left out. Bodies are unescaped JSON strings, so messages have no spans into the input.
//!
//! When the JSON is cut or broken, the entries before the damage are still read, one by one.
//!
//! The custom fields that cwmp-inspector's share links write (HAR allows `_`-prefixed ones) are
//! read back, so that a shared capture groups and shows as the original did: per entry
//! `_stream` (the TCP connection), `_clientIPAddress` and `_clientPort` (the client),
//! `_serverPort` (the server's port, when the URL does not say it); per request `_target` (the
//! request line's target) and `_absent` (no request was captured: the exchange is the response
//! alone); per request and response `_frames` (first and last frame); in `log`,
//! `_udpConnectionRequests` (decoded Annex G datagrams), `_closedStreams`, `_resetStreams` (a
//! connection request's GET reset unanswered), `_failedConnections` (connections the CPE never
//! accepted) and `_redacted` (what the sender hid, each listed among the import's problems).

use std::net::{IpAddr, SocketAddr};

use crate::frames::Timestamp;
use crate::http::{HeaderField, HttpError, HttpErrorKind, HttpExchange, HttpMessage, StartLine};
use crate::import::{Datagram, FailedConnection, Import, ImportError, Location};
use crate::side::UdpConnectionRequest;

use super::json::{self, Value};
use super::{Lines, finish, parse_rfc3339, synthetic_message};

pub(crate) fn import(input: &[u8]) -> Import {
    let lines = Lines::new(input);
    let mut out = Import::default();
    let entries: Vec<Value> = match json::parse(input) {
        Ok(doc) => {
            if let Some(Value::Array(entries)) = doc.get("log").and_then(|l| l.get("entries")) {
                entries.clone()
            } else {
                out.summary.records = 1;
                out.summary.records_unread = 1;
                out.errors.push(ImportError {
                    location: Location::Input,
                    message: "the JSON has no log.entries array: not a HAR file".into(),
                });
                Vec::new()
            }
        }
        Err(e) => {
            let (entries, error) = salvage(input);
            // The damaged rest of the file is one unread record.
            out.summary.records = 1;
            out.summary.records_unread = 1;
            out.errors.push(ImportError {
                location: Location::Line(e.line()),
                message: format!(
                    "the HAR file is not valid JSON ({e}); {} entries before the damage were read",
                    entries.len()
                ),
            });
            if let Some(at) = error {
                out.errors.push(ImportError {
                    location: lines.at(at),
                    message: format!("entry {} is cut or broken here", entries.len()),
                });
            }
            entries
        }
    };
    if let Ok(doc) = json::parse(input)
        && let Some(log) = doc.get("log")
    {
        read_log_extras(log, &mut out);
    }
    for (i, entry) in entries.iter().enumerate() {
        out.summary.records += 1;
        match read_entry(entry) {
            Ok(x) => out.exchanges.push(x),
            Err(message) => {
                out.summary.records_unread += 1;
                out.errors.push(ImportError {
                    location: Location::Entry(i),
                    message,
                });
            }
        }
    }
    finish(&mut out, 0, &|_, _| Location::Input);
    out
}

/// Reads the entries of a damaged file one by one, up to the first that does not parse.
/// Returns them and the input offset where reading stopped, if it stopped on an error.
fn salvage(input: &[u8]) -> (Vec<Value>, Option<usize>) {
    let key = b"\"entries\"";
    let Some(k) = input.windows(key.len()).position(|w| w == key) else {
        return (Vec::new(), None);
    };
    let mut pos = k + key.len();
    let skip_ws = |pos: &mut usize| {
        while input.get(*pos).is_some_and(u8::is_ascii_whitespace) {
            *pos += 1;
        }
    };
    skip_ws(&mut pos);
    if input.get(pos) != Some(&b':') {
        return (Vec::new(), Some(pos));
    }
    pos += 1;
    skip_ws(&mut pos);
    if input.get(pos) != Some(&b'[') {
        return (Vec::new(), Some(pos));
    }
    pos += 1;
    let mut entries = Vec::new();
    loop {
        skip_ws(&mut pos);
        match input.get(pos) {
            Some(b']') => return (entries, None),
            None => return (entries, Some(pos)),
            Some(b',') => {
                pos += 1;
                continue;
            }
            Some(_) => {}
        }
        let rest = input.get(pos..).unwrap_or_default();
        let mut values = serde_json::Deserializer::from_slice(rest).into_iter::<Value>();
        match values.next() {
            Some(Ok(v)) => {
                entries.push(v);
                pos += values.byte_offset();
            }
            _ => return (entries, Some(pos)),
        }
    }
}

fn read_entry(entry: &Value) -> Result<HttpExchange, String> {
    let Some(request) = entry.get("request") else {
        return Err(format!("the entry has no request (it is {})", entry.kind()));
    };
    let started = entry
        .get("startedDateTime")
        .and_then(Value::as_str)
        .and_then(parse_rfc3339);
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .ok_or("the request has no method")?;
    let url = request
        .get("url")
        .and_then(Value::as_str)
        .ok_or("the request has no url")?;
    let body = request
        .get("postData")
        .and_then(|p| p.get("text"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let target = request
        .get("_target")
        .and_then(Value::as_str)
        .unwrap_or(url);
    let req = synthetic_message(
        StartLine::Request {
            method: method.to_owned(),
            target: target.to_owned(),
            minor_version: minor_version(request),
        },
        headers(request),
        body.as_bytes().to_vec(),
        started,
    );
    let server = entry
        .get("serverIPAddress")
        .and_then(Value::as_str)
        .and_then(|ip| ip.trim_matches(['[', ']']).parse::<IpAddr>().ok())
        .zip(
            entry
                .get("_serverPort")
                .and_then(Value::as_u16)
                .or_else(|| url_port(url)),
        )
        .map(|(ip, port)| SocketAddr::new(ip, port));
    let client = entry
        .get("_clientIPAddress")
        .and_then(Value::as_str)
        .and_then(|ip| ip.trim_matches(['[', ']']).parse::<IpAddr>().ok())
        .zip(entry.get("_clientPort").and_then(Value::as_u16))
        .map(|(ip, port)| SocketAddr::new(ip, port));
    let stream = entry.get("_stream").and_then(whole);
    let response = entry
        .get("response")
        .and_then(|resp| read_response(entry, resp, started));
    let mut req = req;
    req.dst = server;
    req.src = client;
    req.stream = stream;
    req.frames = frames(request);
    let response = response.map(|mut r| {
        r.src = server;
        r.dst = client;
        r.stream = stream;
        r.frames = entry.get("response").and_then(frames);
        r
    });
    // A share link's entry for a response whose request was not captured.
    let absent = matches!(request.get("_absent"), Some(Value::Bool(true)));
    Ok(HttpExchange {
        stream,
        client,
        server,
        request: Some(req),
        interim: Vec::new(),
        response,
    })
    .map(|mut x| {
        if absent {
            x.request = None;
        }
        x
    })
}

/// The response, unless its status is 0 (the browser got none).
fn read_response(entry: &Value, resp: &Value, started: Option<Timestamp>) -> Option<HttpMessage> {
    let status = resp.get("status").and_then(Value::as_u16).unwrap_or(0);
    if status == 0 {
        return None;
    }
    let content = resp.get("content");
    let text = content
        .and_then(|c| c.get("text"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let base64 = content
        .and_then(|c| c.get("encoding"))
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
    let decoded = if base64 {
        super::base64_decode(text)
    } else {
        Some(text.as_bytes().to_vec())
    };
    #[allow(clippy::cast_possible_truncation)] // Milliseconds of an HTTP exchange.
    let elapsed = entry
        .get("time")
        .and_then(Value::as_f64)
        .filter(|t| t.is_finite() && *t >= 0.0 && *t < 1e12)
        .map_or(0, |t| (t * 1e6) as i64);
    let mut m = synthetic_message(
        StartLine::Response {
            minor_version: minor_version(resp),
            status,
            reason: resp
                .get("statusText")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        },
        headers(resp),
        decoded.clone().unwrap_or_else(|| text.as_bytes().to_vec()),
        started.map(|t| Timestamp(t.0.saturating_add(elapsed))),
    );
    if decoded.is_none() {
        m.errors.push(HttpError {
            kind: HttpErrorKind::Decompress,
            offset: 0,
            message: "content.text is not valid base64; it is kept as text".into(),
        });
        m.complete = false;
    }
    Some(m)
}

fn minor_version(message: &Value) -> u8 {
    match message.get("httpVersion").and_then(Value::as_str) {
        Some(v) if v.eq_ignore_ascii_case("HTTP/1.0") => 0,
        _ => 1,
    }
}

fn headers(message: &Value) -> Vec<HeaderField> {
    let Some(Value::Array(list)) = message.get("headers") else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|h| {
            Some(HeaderField {
                name: h.get("name")?.as_str()?.to_owned(),
                value: h.get("value")?.to_text()?.trim().to_owned(),
            })
        })
        .collect()
}

/// The explicit port of an absolute URL.
fn url_port(url: &str) -> Option<u16> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let (host, port) = host_port.rsplit_once(':')?;
    if host.starts_with('[') && !host.ends_with(']') {
        return None;
    }
    port.parse().ok()
}

/// A whole number that fits, from a JSON number.
fn whole(value: &Value) -> Option<u64> {
    let n = value.as_f64()?;
    // Checked: a non-negative integer below 2^53.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = n as u64;
    (n.fract() == 0.0 && (0.0..9.0e15).contains(&n)).then_some(whole)
}

/// `_frames`: `[first, last]`.
fn frames(message: &Value) -> Option<std::ops::Range<u64>> {
    match message.get("_frames")? {
        Value::Array(pair) => match pair.as_slice() {
            [first, last] => Some(whole(first)?..whole(last)?),
            _ => None,
        },
        _ => None,
    }
}

/// `log._closedStreams`, `log._resetStreams`, `log._failedConnections`, `log._redacted` (each a
/// located note, so that the page says what is not as captured) and
/// `log._udpConnectionRequests`, as a share link writes them.
fn read_log_extras(log: &Value, out: &mut Import) {
    if let Some(Value::Array(streams)) = log.get("_closedStreams") {
        out.closed_streams.extend(streams.iter().filter_map(whole));
    }
    if let Some(Value::Array(streams)) = log.get("_resetStreams") {
        out.reset_streams.extend(streams.iter().filter_map(whole));
        out.reset_streams.sort_unstable();
    }
    if let Some(Value::Array(failed)) = log.get("_failedConnections") {
        read_failed_connections(failed, out);
    }
    if let Some(Value::Array(redacted)) = log.get("_redacted") {
        for r in redacted {
            let text = |key: &str| r.get(key).and_then(Value::as_str).unwrap_or_default();
            out.errors.push(ImportError {
                location: Location::Input,
                message: format!(
                    "redacted by the sender of the link: {} (shown as {:?})",
                    text("label"),
                    text("replacement")
                ),
            });
        }
    }
    let Some(Value::Array(datagrams)) = log.get("_udpConnectionRequests") else {
        return;
    };
    for (i, d) in datagrams.iter().enumerate() {
        let text = |key: &str| d.get(key).and_then(Value::as_str).map(str::to_owned);
        let address = |key: &str| {
            d.get(key)
                .and_then(Value::as_str)
                .and_then(|a| a.parse::<SocketAddr>().ok())
        };
        let (Some(src), Some(dst)) = (address("src"), address("dst")) else {
            out.errors.push(ImportError {
                location: Location::Input,
                message: format!(
                    "log._udpConnectionRequests[{i}] has no usable src and dst addresses"
                ),
            });
            continue;
        };
        let problems: Vec<String> = match d.get("problems") {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let frame = d.get("frame").and_then(whole).unwrap_or(0);
        for problem in &problems {
            out.errors.push(ImportError {
                location: Location::Frame(frame),
                message: format!("UDP connection request: {problem}"),
            });
        }
        out.summary.udp_connection_requests += 1;
        out.udp_connection_requests.push(Datagram {
            frame,
            time: text("time").as_deref().and_then(parse_rfc3339),
            src,
            dst,
            message: UdpConnectionRequest {
                target: text("target").unwrap_or_default(),
                host: text("host"),
                ts: d.get("ts").and_then(whole),
                id: text("id"),
                username: text("un"),
                cnonce: text("cn"),
                signature: text("sig"),
                problems,
            },
        });
    }
}

/// `log._failedConnections`: connections the CPE never accepted. A HAR has no frames or TCP
/// connection numbers for them, so both are 0.
fn read_failed_connections(failed: &[Value], out: &mut Import) {
    for (i, f) in failed.iter().enumerate() {
        let address = |key: &str| {
            f.get(key)
                .and_then(Value::as_str)
                .and_then(|a| a.parse::<SocketAddr>().ok())
        };
        let (Some(client), Some(server)) = (address("src"), address("dst")) else {
            out.errors.push(ImportError {
                location: Location::Input,
                message: format!("log._failedConnections[{i}] has no usable src and dst addresses"),
            });
            continue;
        };
        out.failed_connections.push(FailedConnection {
            stream: 0,
            client,
            server,
            time: f
                .get("time")
                .and_then(Value::as_str)
                .and_then(parse_rfc3339),
            frame: 0,
            reset: matches!(f.get("reset"), Some(Value::Bool(true))),
        });
    }
}
