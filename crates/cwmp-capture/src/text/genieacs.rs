//! `GenieACS` logs: the `DEBUG_FILE` written by `lib/debug.ts` (JSON lines, or YAML documents
//! each after a `---` line), and the 2012 test sessions (`[{headers}, "body"]`).
//!
//! Debug records are paired per socket: `connection` is the date the socket was first used,
//! and each socket gets a connection number (`stream`) in order of first appearance, as a
//! capture numbers its TCP connections, so that sessions split and join as they would in a
//! capture of the same run. The log records no FIN: a socket is closed when a message on it
//! says `Connection: close`, or when the same device opens a new connection to the ACS.
//! "incoming HTTP request" + "outgoing HTTP response" are the CPE's sessions (the CPE is the
//! client); "outgoing HTTP request" + "incoming HTTP response" are connection requests (the ACS
//! is the client). Requests on one socket are
//! answered in order. The log gives the CPE's address but not its port in sessions, so only a
//! connection request's server (`remoteAddress`:`remotePort`) becomes a `SocketAddr`. Status
//! lines have no reason phrase: the log does not record one. "outgoing UDP message" (a UDP
//! connection request) and "client error" records are not HTTP: they are counted as records and
//! reported in `errors` with their text, so that nothing of the log is hidden.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use yaml_rust2::Yaml;

use crate::http::{HeaderField, HttpError, HttpErrorKind, HttpExchange, HttpMessage, StartLine};
use crate::import::{Import, ImportError, Location};

use super::json::{self, Value};

mod layout;
use super::{finish, line_ranges, parse_rfc3339, synthetic_message};

/// Whether `text` is a YAML debug log: `---` then an `event:` key.
pub(crate) fn detect_yaml(text: &[u8]) -> bool {
    let mut lines = line_ranges(text).filter_map(|r| text.get(r));
    let first = lines.next().unwrap_or_default();
    let key = if first == b"---" {
        lines.next().unwrap_or_default()
    } else {
        first
    };
    key.starts_with(b"event: ")
}

pub(crate) fn import_json_lines(input: &[u8]) -> Import {
    let mut records = Vec::new();
    for (i, r) in line_ranges(input).enumerate() {
        let line_no = i + 1;
        let text = input.get(r).unwrap_or_default();
        if text.trim_ascii().is_empty() {
            continue;
        }
        records.push((
            Location::Line(line_no),
            json::parse(text).map_err(|e| format!("not a JSON record: {e}")),
        ));
    }
    import_records(records)
}

pub(crate) fn import_yaml(input: &[u8]) -> Import {
    // Each document: the line number of its first line, and its lines.
    let mut docs: Vec<(usize, Vec<&[u8]>)> = vec![(1, Vec::new())];
    for (i, r) in line_ranges(input).enumerate() {
        let text = input.get(r).unwrap_or_default();
        if text == b"---" {
            docs.push((i + 2, Vec::new()));
        } else if let Some((_, lines)) = docs.last_mut() {
            lines.push(text);
        }
    }
    docs.retain(|(_, lines)| lines.iter().any(|l| !l.trim_ascii().is_empty()));
    let records = docs
        .into_iter()
        .map(|(first_line, lines)| {
            let lines: Vec<String> = lines
                .iter()
                .map(|l| String::from_utf8_lossy(l).into_owned())
                .collect();
            let line_refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            // The writer's own layout first: it reads what GenieACS meant (`*/*` is a string,
            // `0x1F` is not a number); a YAML parser reads what was edited outside it.
            match layout::read(&line_refs) {
                Ok(value) => (Location::Line(first_line), Ok(value)),
                Err(layout_error) => {
                    let at = first_line + layout_error.line;
                    let value = if too_deep_for_yaml(&line_refs) {
                        Err(format!(
                            "the record is not read: nested deeper than a YAML parser can \
                             safely follow, and not in the layout GenieACS writes (line {at}: {})",
                            layout_error.message
                        ))
                    } else {
                        match yaml_rust2::YamlLoader::load_from_str(&lines.join("\n")) {
                        Ok(mut d) if d.len() == 1 => Ok(from_yaml(d.remove(0))),
                        Ok(d) => Err(format!("{} YAML documents where one was expected", d.len())),
                        Err(e) => Err(format!(
                            "the record is not read: not YAML ({e}), nor in the layout GenieACS \
                             writes (line {at}: {})",
                            layout_error.message
                        )),
                        }
                    };
                    (Location::Line(at), value)
                }
            }
        })
        .collect();
    import_records(records)
}

/// Whether a document nests deep enough (by indentation or flow brackets) that the YAML parser,
/// which recurses per level, could exhaust the stack. GenieACS's records nest two deep.
fn too_deep_for_yaml(lines: &[&str]) -> bool {
    const LIMIT: usize = 64;
    let brackets: usize = lines
        .iter()
        .map(|l| l.bytes().filter(|b| matches!(b, b'[' | b'{')).count())
        .sum();
    brackets > LIMIT || lines.iter().any(|l| l.len() - l.trim_start().len() > LIMIT)
}

fn from_yaml(y: Yaml) -> Value {
    match y {
        Yaml::Real(s) => s.parse().map_or(Value::String(s), Value::Number),
        #[allow(clippy::cast_precision_loss)] // Ports and status codes.
        Yaml::Integer(i) => Value::Number(i as f64),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(a) => Value::Array(a.into_iter().map(from_yaml).collect()),
        Yaml::Hash(h) => Value::Object(
            h.into_iter()
                .map(|(k, v)| {
                    let key = match from_yaml(k) {
                        Value::String(s) => s,
                        other => other.to_text().unwrap_or_default(),
                    };
                    (key, from_yaml(v))
                })
                .collect(),
        ),
        Yaml::Null | Yaml::Alias(_) | Yaml::BadValue => Value::Null,
    }
}

/// Which side opened the socket a record belongs to.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Socket {
    /// The CPE's session to the ACS.
    Cpe(String),
    /// The ACS's connection request to the CPE.
    Acs(String),
}

fn import_records(records: Vec<(Location, Result<Value, String>)>) -> Import {
    let mut log = Log::default();
    for (i, (location, record)) in records.into_iter().enumerate() {
        log.out.summary.records += 1;
        match record {
            Ok(r @ Value::Object(_)) => log.record(i, location, &r),
            Ok(other) => unread(
                &mut log.out,
                location,
                format!("the record is {}, not an object", other.kind()),
            ),
            Err(e) => unread(&mut log.out, location, e),
        }
    }
    let mut out = log.out;
    out.closed_streams.sort_unstable();
    out.closed_streams.dedup();
    // Message errors say where they come from in their text; records have no byte offsets.
    finish(&mut out, log.unattached, &|_, _| Location::Input);
    out
}

/// The import so far, and the requests still waiting for their response, per socket.
#[derive(Default)]
struct Log {
    out: Import,
    open: HashMap<Socket, Vec<usize>>,
    unattached: u64,
    /// The connection number given to each socket, in order of first appearance (as a capture
    /// numbers its TCP connections).
    streams: HashMap<Socket, u64>,
    /// The CPE's connections to the ACS so far, per device (`deviceId`, else its address).
    device_streams: HashMap<String, Vec<u64>>,
}

impl Log {
    fn record(&mut self, i: usize, location: Location, record: &Value) {
        let text = |k: &str| record.get(k).and_then(Value::as_str).unwrap_or_default();
        // A socket logged as `null` (a failed connection request) is keyed by its record.
        let connection = record
            .get("connection")
            .and_then(Value::as_str)
            .map_or_else(|| format!("record {i}"), str::to_owned);
        let remote = text("remoteAddress");
        let device = record
            .get("deviceId")
            .and_then(Value::as_str)
            .unwrap_or(remote);
        match text("event") {
            "incoming HTTP request" => {
                let socket = Socket::Cpe(connection);
                if !self.streams.contains_key(&socket) {
                    // A CPE holds one session at a time (TR-069 §3.7.2.1): once it opens a new
                    // connection, its earlier ones are over, as a capture would show by their FIN.
                    let stream = self.stream(&socket);
                    let earlier = self.device_streams.entry(device.to_owned()).or_default();
                    self.out.closed_streams.extend(earlier.iter().copied());
                    earlier.push(stream);
                }
                self.request(record, socket, location);
            }
            "outgoing HTTP request" => self.request(record, Socket::Acs(connection), location),
            "outgoing HTTP response" => self.response(record, &Socket::Cpe(connection), &location),
            "incoming HTTP response" => self.response(record, &Socket::Acs(connection), &location),
            "outgoing UDP message" => {
                self.out.summary.udp_datagrams += 1;
                let port = record
                    .get("remotePort")
                    .and_then(Value::to_text)
                    .unwrap_or_default();
                self.out.errors.push(ImportError {
                    location,
                    message: format!(
                        "UDP connection request to {remote}:{port} (not HTTP, not shown as an \
                         exchange): {:?}",
                        text("body")
                    ),
                });
            }
            "client error" => self.out.errors.push(ImportError {
                location,
                message: format!("GenieACS client error from {remote}: {}", text("error")),
            }),
            other => unread(
                &mut self.out,
                location,
                format!("unknown event {other:?}: the record is not read"),
            ),
        }
    }

    /// The connection number of `socket`, a new one on its first use.
    fn stream(&mut self, socket: &Socket) -> u64 {
        let next = self.streams.len() as u64;
        *self.streams.entry(socket.clone()).or_insert(next)
    }

    /// Marks the socket closed when the message says `Connection: close`.
    fn close_if_asked(&mut self, m: &HttpMessage, stream: u64) {
        if m.headers_named("connection")
            .any(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")))
        {
            self.out.closed_streams.push(stream);
        }
    }

    fn request(&mut self, record: &Value, socket: Socket, location: Location) {
        let text = |k: &str| record.get(k).and_then(Value::as_str).unwrap_or_default();
        let stream = self.stream(&socket);
        let mut m = synthetic_message(
            StartLine::Request {
                method: text("method").to_owned(),
                target: text("url").to_owned(),
                minor_version: 1,
            },
            headers(record.get("headers")),
            text("body").as_bytes().to_vec(),
            time(record),
        );
        // Only a connection request knows the far end's port.
        let server = match socket {
            Socket::Cpe(_) => None,
            Socket::Acs(_) => text("remoteAddress")
                .parse::<IpAddr>()
                .ok()
                .zip(record.get("remotePort").and_then(Value::as_u16))
                .map(|(ip, port)| SocketAddr::new(ip, port)),
        };
        m.dst = server;
        m.stream = Some(stream);
        self.close_if_asked(&m, stream);
        if let Some(e) = record.get("error").and_then(Value::as_str) {
            self.unattached += 1;
            self.out.errors.push(ImportError {
                location,
                message: format!(
                    "the connection request to {} failed: {e}",
                    text("remoteAddress")
                ),
            });
        }
        self.open
            .entry(socket)
            .or_default()
            .push(self.out.exchanges.len());
        self.out.exchanges.push(HttpExchange {
            stream: Some(stream),
            client: None,
            server,
            request: Some(m),
            interim: Vec::new(),
            response: None,
        });
    }

    fn response(&mut self, record: &Value, socket: &Socket, location: &Location) {
        let text = |k: &str| record.get(k).and_then(Value::as_str).unwrap_or_default();
        let status = record
            .get("statusCode")
            .and_then(Value::as_u16)
            .unwrap_or(0);
        let mut m = synthetic_message(
            StartLine::Response {
                minor_version: 1,
                status,
                reason: String::new(),
            },
            headers(record.get("headers")),
            text("body").as_bytes().to_vec(),
            time(record),
        );
        let stream = self.stream(socket);
        m.stream = Some(stream);
        self.close_if_asked(&m, stream);
        let waiting = self
            .open
            .get_mut(socket)
            .filter(|q| !q.is_empty())
            .map(|q| q.remove(0));
        if let Some(x) = waiting.and_then(|x| self.out.exchanges.get_mut(x)) {
            m.src = x.server;
            x.response = Some(m);
            return;
        }
        m.errors.push(HttpError {
            kind: HttpErrorKind::Unpaired,
            offset: 0,
            message: format!(
                "a response with no request logged before it on this socket ({location})"
            ),
        });
        self.out.exchanges.push(HttpExchange {
            stream: Some(stream),
            client: None,
            server: None,
            request: None,
            interim: Vec::new(),
            response: Some(m),
        });
    }
}

fn time(record: &Value) -> Option<crate::frames::Timestamp> {
    record
        .get("timestamp")
        .and_then(Value::as_str)
        .and_then(parse_rfc3339)
}

fn unread(out: &mut Import, location: Location, message: String) {
    out.summary.records_unread += 1;
    out.errors.push(ImportError { location, message });
}

/// Header fields from a Node.js headers object (lower-cased names; arrays for repeats).
fn headers(value: Option<&Value>) -> Vec<HeaderField> {
    let Some(Value::Object(members)) = value else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, v) in members {
        let values = match v {
            Value::Array(items) => items.iter().filter_map(Value::to_text).collect(),
            other => other.to_text().into_iter().collect::<Vec<_>>(),
        };
        out.extend(values.into_iter().map(|value| HeaderField {
            name: name.clone(),
            value,
        }));
    }
    out
}

/// The 2012 test format: one file is `[{lower-cased request headers}, "body"]`, the CPE's
/// request only (the URL was not recorded, so the target is empty).
pub(crate) fn import_2012(input: &[u8]) -> Import {
    let mut out = Import::default();
    out.summary.records = 1;
    match json::parse(input) {
        Ok(Value::Array(items)) => match items.as_slice() {
            [h @ Value::Object(_), Value::String(body)] => {
                let m: HttpMessage = synthetic_message(
                    StartLine::Request {
                        method: "POST".into(),
                        target: String::new(),
                        minor_version: 1,
                    },
                    headers(Some(h)),
                    body.as_bytes().to_vec(),
                    None,
                );
                out.exchanges.push(HttpExchange {
                    stream: None,
                    client: None,
                    server: None,
                    request: Some(m),
                    interim: Vec::new(),
                    response: None,
                });
            }
            _ => unread(
                &mut out,
                Location::Input,
                "not a [headers, body] pair: the array holds something else".into(),
            ),
        },
        Ok(other) => unread(
            &mut out,
            Location::Input,
            format!("the JSON is {}, not a [headers, body] pair", other.kind()),
        ),
        Err(e) => unread(
            &mut out,
            Location::Line(e.line()),
            format!("not valid JSON: {e}"),
        ),
    }
    finish(&mut out, 0, &|_, _| Location::Input);
    out
}
