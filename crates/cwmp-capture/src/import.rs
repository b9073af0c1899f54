//! The whole import: any supported input to HTTP exchanges, side channels and a summary.

use std::fmt;
use std::net::SocketAddr;

use crate::connreq::{ConnectionRequest, connection_requests, mark_resets};
use crate::frames::Timestamp;
use crate::http::{self, HttpError, HttpExchange};
use crate::layers::{Transport, decode_capture};
use crate::side::{
    StunMessage, UdpConnectionRequest, decode_stun, decode_udp_connection_request, detect_tls,
};
use crate::sniff::{InputFormat, sniff};
use crate::tcp::{FlowDirection, TcpError, TcpEventKind, reassemble_tcp};
use crate::text::{TextFormat, detect_text};

/// Where in the input a problem was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The input as a whole.
    Input,
    /// A byte offset in the input.
    Byte(usize),
    /// A frame of a capture (1-based, as Wireshark numbers them).
    Frame(u64),
    /// A byte offset in one direction of a TCP connection.
    Stream {
        /// The connection number (`tcp.stream`).
        stream: u64,
        /// Which direction.
        direction: FlowDirection,
        /// Offset in that direction's byte stream.
        offset: u64,
    },
    /// A line of a text input (1-based).
    Line(usize),
    /// An entry of a structured input, such as a HAR entry or a log record (0-based).
    Entry(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input => f.write_str("input"),
            Self::Byte(b) => write!(f, "byte {b}"),
            Self::Frame(n) => write!(f, "frame {n}"),
            Self::Stream {
                stream,
                direction,
                offset,
            } => {
                let dir = match direction {
                    FlowDirection::ClientToServer => "client→server",
                    FlowDirection::ServerToClient => "server→client",
                };
                write!(f, "tcp.stream {stream} {dir} byte {offset}")
            }
            Self::Line(n) => write!(f, "line {n}"),
            Self::Entry(n) => write!(f, "entry {n}"),
        }
    }
}

/// A problem found while importing, with where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// Where.
    pub location: Location,
    /// A sentence for the user.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// A UDP datagram's decoded message, with where and when it was captured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Datagram<T> {
    /// The frame (1-based).
    pub frame: u64,
    /// Capture time.
    pub time: Option<Timestamp>,
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// The decoded message.
    pub message: T,
}

/// A TCP connection that carries TLS, so its HTTP cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptedStream {
    /// The connection number (`tcp.stream`).
    pub stream: u64,
    /// The client.
    pub client: SocketAddr,
    /// The server.
    pub server: SocketAddr,
    /// When the connection was first seen.
    pub first_time: Option<Timestamp>,
    /// What the user is told, such as "encrypted: TLS handshake seen; CWMP cannot be read
    /// without keys".
    pub message: String,
    /// The host name the client asked for (its ClientHello's SNI), when seen.
    pub server_name: Option<String>,
    /// The version the server chose (its ServerHello), such as `TLS 1.2`, when seen.
    pub version: Option<String>,
    /// The highest version the client offered (its ClientHello), when seen.
    pub offered: Option<String>,
}

/// A TCP connection with bytes that are not HTTP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpaqueStream {
    /// The connection number (`tcp.stream`).
    pub stream: u64,
    /// The client.
    pub client: SocketAddr,
    /// The server.
    pub server: SocketAddr,
    /// Bytes in both directions.
    pub bytes: u64,
    /// The first bytes the client sent (up to 32), to help recognise the protocol.
    pub preview: Vec<u8>,
}

/// A TCP connection the server never accepted: its SYN was answered by a reset, or not at all
/// (a closed port, a firewall, a NAT without forwarding). No HTTP went over it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedConnection {
    /// The connection number (`tcp.stream`).
    pub stream: u64,
    /// The client (who sent the SYN).
    pub client: SocketAddr,
    /// The server it tried.
    pub server: SocketAddr,
    /// When the first SYN was sent.
    pub time: Option<Timestamp>,
    /// The frame of the first SYN.
    pub frame: u64,
    /// The server answered with a reset (otherwise nothing came back).
    pub reset: bool,
}

/// What was read and what was not. Every input byte that did not become part of an HTTP message
/// is counted in one of these fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportSummary {
    /// Size of the input.
    pub input_bytes: u64,
    /// Frames read (captures only).
    pub frames: u64,
    /// Frames cut short by the snaplen.
    pub truncated_frames: u64,
    /// Frames that carry no IP packet.
    pub frames_not_ip: u64,
    /// IP packets that are neither TCP nor UDP.
    pub packets_not_tcp_udp: u64,
    /// IPv4 fragments dropped, or datagrams never completed.
    pub fragments_lost: u64,
    /// TCP connections.
    pub tcp_connections: u64,
    /// TCP payload bytes, both directions, retransmissions excluded.
    pub tcp_bytes: u64,
    /// Bytes seen again in retransmitted or overlapping segments.
    pub retransmitted_bytes: u64,
    /// Gaps in TCP streams.
    pub gaps: u64,
    /// Bytes lost in gaps.
    pub gap_bytes: u64,
    /// Packets dropped because the connection limit was reached.
    pub packets_over_flow_limit: u64,
    /// TCP connections carrying TLS.
    pub tls_streams: u64,
    /// TCP connections with data that is not HTTP.
    pub streams_not_http: u64,
    /// HTTP messages read.
    pub http_messages: u64,
    /// Exchanges (a request with its response, or either alone).
    pub http_exchanges: u64,
    /// HTTP parse errors (bad heads, cut bodies, bad chunks, failed decompression).
    pub http_errors: u64,
    /// Bytes skipped to reach an HTTP message boundary.
    pub skipped_bytes: u64,
    /// UDP datagrams.
    pub udp_datagrams: u64,
    /// UDP connection requests (TR-069 Annex G).
    pub udp_connection_requests: u64,
    /// STUN messages.
    pub stun_messages: u64,
    /// UDP datagrams that are neither a connection request nor STUN.
    pub udp_unrecognised: u64,
    /// Records of a text or structured input (HAR entries, log records, transcript messages).
    pub records: u64,
    /// Records that could not be read.
    pub records_unread: u64,
}

/// Everything imported from one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Import {
    /// The recognised format.
    pub format: Option<InputFormat>,
    /// For text inputs, the text format that was recognised.
    pub text_format: Option<TextFormat>,
    /// HTTP exchanges, in time order (input order where there is no time).
    pub exchanges: Vec<HttpExchange>,
    /// Connection requests (ACS → CPE GETs), gathered from `exchanges`.
    pub connection_requests: Vec<ConnectionRequest>,
    /// UDP connection requests (TR-069 Annex G).
    pub udp_connection_requests: Vec<Datagram<UdpConnectionRequest>>,
    /// STUN messages (TR-111 Part 2).
    pub stun: Vec<Datagram<StunMessage>>,
    /// TCP connections carrying TLS.
    pub encrypted: Vec<EncryptedStream>,
    /// TCP connections that are not HTTP.
    pub opaque: Vec<OpaqueStream>,
    /// TCP connections (`tcp.stream`) on which a FIN or RST was seen, in order.
    pub closed_streams: Vec<u64>,
    /// TCP connections (`tcp.stream`) on which an RST was seen, in order.
    pub reset_streams: Vec<u64>,
    /// TCP connections the server never accepted (SYN reset or unanswered), in order.
    pub failed_connections: Vec<FailedConnection>,
    /// Every problem, located.
    pub errors: Vec<ImportError>,
    /// Counts.
    pub summary: ImportSummary,
}

/// Imports any supported input: the format is recognised by [`sniff`].
pub fn import(input: &[u8]) -> Import {
    let format = sniff(input);
    let mut out = match format {
        // A capture's connection requests are gathered by `import_capture`, with its resets.
        InputFormat::Pcap { .. } | InputFormat::PcapNg { .. } => import_capture(input),
        _ => {
            let mut out = import_text(input);
            out.connection_requests = connection_requests(&out.exchanges);
            // A share link's HAR lists the resets its exchanges cannot show.
            mark_resets(&mut out.connection_requests, &out.reset_streams);
            out
        }
    };
    out.format = Some(format);
    out.summary.input_bytes = input.len() as u64;
    out
}

/// Imports a text input, whose format is recognised by [`detect_text`]: HTTP transcripts,
/// Follow TCP Stream output, SOAP, hex dumps, HAR and GenieACS debug logs.
pub fn import_text(input: &[u8]) -> Import {
    let mut out = crate::text::import(input);
    out.text_format = Some(detect_text(input));
    out
}

/// Imports a pcap or pcapng capture.
pub fn import_capture(input: &[u8]) -> Import {
    let (out, streams) = read_streams(input);
    read_http(out, streams)
}

/// [`import`] for an input the caller gives away: a capture's bytes are freed as soon as its TCP
/// streams are reassembled (they own their bytes), before HTTP is read, the stage where memory
/// peaks; so the input and the messages are never in memory together.
pub fn import_owned(input: Vec<u8>) -> Import {
    let format = sniff(&input);
    if !matches!(
        format,
        InputFormat::Pcap { .. } | InputFormat::PcapNg { .. }
    ) {
        return import(&input);
    }
    let input_bytes = input.len() as u64;
    let (out, streams) = read_streams(&input);
    drop(input);
    let mut out = read_http(out, streams);
    out.format = Some(format);
    out.summary.input_bytes = input_bytes;
    out
}

/// A capture's frames, datagrams and reassembled TCP streams: everything that needs the input.
fn read_streams(input: &[u8]) -> (Import, crate::tcp::TcpStreams) {
    let decoded = decode_capture(input);
    let mut out = Import::default();
    let s = decoded.summary;
    out.summary.frames = s.frames;
    out.summary.truncated_frames = s.truncated;
    out.summary.frames_not_ip = s.not_ip;
    out.summary.packets_not_tcp_udp = s.not_tcp_udp;
    out.summary.fragments_lost = s.fragments_dropped + s.incomplete_datagrams;
    if let Some(e) = decoded.error() {
        out.errors.push(ImportError {
            location: Location::Input,
            message: e.to_string(),
        });
    }
    for e in &decoded.fragment_errors {
        out.errors.push(ImportError {
            location: Location::Input,
            message: e.to_string(),
        });
    }
    for p in &decoded.packets {
        import_datagram(p, &mut out);
    }
    let streams = reassemble_tcp(&decoded.packets);
    let t = streams.summary;
    out.summary.tcp_connections = t.connections;
    out.summary.tcp_bytes = t.bytes;
    out.summary.retransmitted_bytes = t.retransmitted;
    out.summary.gaps = t.gaps;
    out.summary.gap_bytes = t.gap_bytes;
    out.summary.packets_over_flow_limit = t.packets_over_flow_limit;
    for e in &streams.errors {
        out.errors.push(tcp_error(e));
    }
    (out, streams)
}

/// Reads the HTTP of reassembled streams, and gathers the connection requests.
fn read_http(mut out: Import, streams: crate::tcp::TcpStreams) -> Import {
    // Each connection's reassembled bytes are freed as soon as its HTTP is read, so that the
    // streams and the messages are never all in memory at once.
    let http_errors = streams
        .connections
        .into_iter()
        .map(|conn| import_connection(&conn, &mut out))
        .sum();
    sort_exchanges(&mut out.exchanges);
    finish(&mut out, http_errors);
    out.connection_requests = connection_requests(&out.exchanges);
    out.reset_streams.sort_unstable();
    mark_resets(&mut out.connection_requests, &out.reset_streams);
    out
}

/// Reads one TCP connection: TLS, HTTP, or something else, counted. Returns the HTTP errors
/// not tied to a message.
fn import_connection(conn: &crate::tcp::Connection, out: &mut Import) -> u64 {
    let closes = |h: &crate::tcp::HalfStream| {
        h.events
            .iter()
            .any(|e| matches!(e.kind, TcpEventKind::Fin | TcpEventKind::Rst))
    };
    if closes(&conn.client_to_server) || closes(&conn.server_to_client) {
        out.closed_streams.push(conn.index);
    }
    let resets = |h: &crate::tcp::HalfStream| h.events.iter().any(|e| e.kind == TcpEventKind::Rst);
    if resets(&conn.client_to_server) || resets(&conn.server_to_client) {
        out.reset_streams.push(conn.index);
    }
    let client_head = conn.client_to_server.items.iter().find_map(|i| match i {
        crate::tcp::StreamItem::Data(c) => Some(&c.data[..]),
        crate::tcp::StreamItem::Gap(_) => None,
    });
    if conn.client_to_server.bytes + conn.server_to_client.bytes == 0 {
        let events =
            |h: &crate::tcp::HalfStream, kind| h.events.iter().find(|e| e.kind == kind).copied();
        let accepted = events(&conn.server_to_client, TcpEventKind::Syn).is_some();
        if let (false, Some(syn)) = (accepted, events(&conn.client_to_server, TcpEventKind::Syn)) {
            out.failed_connections.push(FailedConnection {
                stream: conn.index,
                client: conn.client,
                server: conn.server,
                time: syn.timestamp,
                frame: syn.frame,
                reset: events(&conn.server_to_client, TcpEventKind::Rst).is_some(),
            });
        }
        return 0;
    }
    let client_hello = client_head.and_then(detect_tls);
    let server_hello = server_head(conn).and_then(detect_tls);
    if let Some(hello) = client_hello.as_ref().or(server_hello.as_ref()) {
        out.summary.tls_streams += 1;
        out.encrypted.push(EncryptedStream {
            stream: conn.index,
            client: conn.client,
            server: conn.server,
            first_time: conn
                .client_to_server
                .chunks()
                .chain(conn.server_to_client.chunks())
                .filter_map(|c| c.timestamp)
                .min(),
            message: hello.message(),
            server_name: client_hello.as_ref().and_then(|h| h.server_name.clone()),
            version: server_hello
                .as_ref()
                .filter(|h| h.kind == crate::TlsHelloKind::ServerHello)
                .map(crate::TlsHandshake::version),
            offered: client_hello
                .as_ref()
                .filter(|h| h.kind != crate::TlsHelloKind::ServerHello)
                .map(crate::TlsHandshake::version),
        });
        return 0;
    }
    let parsed = http::parse_connection(conn);
    if parsed.exchanges.is_empty() {
        out.summary.streams_not_http += 1;
        out.opaque.push(crate::import::OpaqueStream {
            stream: conn.index,
            client: conn.client,
            server: conn.server,
            bytes: conn.client_to_server.bytes + conn.server_to_client.bytes,
            preview: client_head.map_or_else(Vec::new, |h| h[..h.len().min(32)].to_vec()),
        });
        out.errors.push(ImportError {
            location: Location::Frame(conn.first_frame),
            message: format!(
                "tcp.stream {} ({} → {}) carries {} bytes that are not HTTP",
                conn.index,
                conn.client,
                conn.server,
                conn.client_to_server.bytes + conn.server_to_client.bytes
            ),
        });
        return 0;
    }
    out.summary.skipped_bytes += parsed.skipped_bytes;
    for (from_client, e) in &parsed.errors {
        out.errors
            .push(stream_error(conn.index, *from_client, e, ""));
    }
    out.exchanges.extend(parsed.exchanges);
    parsed.errors.len() as u64
}

fn server_head(conn: &crate::tcp::Connection) -> Option<&[u8]> {
    conn.server_to_client.chunks().next().map(|c| &c.data[..])
}

fn at<T>(
    p: &crate::layers::Packet<'_>,
    src: SocketAddr,
    dst: SocketAddr,
    message: T,
) -> Datagram<T> {
    Datagram {
        frame: p.frame,
        time: p.timestamp,
        src,
        dst,
        message,
    }
}

/// Decodes a UDP datagram as an Annex G connection request or STUN, or counts it as unknown.
fn import_datagram(p: &crate::layers::Packet<'_>, out: &mut Import) {
    let (Some(src), Some(dst)) = (p.src_endpoint(), p.dst_endpoint()) else {
        return;
    };
    if !matches!(p.transport, Transport::Udp { .. }) {
        return;
    }
    out.summary.udp_datagrams += 1;
    if let Some(cr) = decode_udp_connection_request(&p.payload) {
        out.summary.udp_connection_requests += 1;
        for problem in &cr.problems {
            out.errors.push(ImportError {
                location: Location::Frame(p.frame),
                message: format!("UDP connection request: {problem}"),
            });
        }
        out.udp_connection_requests.push(at(p, src, dst, cr));
    } else if let Some(stun) = decode_stun(&p.payload) {
        out.summary.stun_messages += 1;
        for problem in &stun.problems {
            out.errors.push(ImportError {
                location: Location::Frame(p.frame),
                message: format!("STUN: {problem}"),
            });
        }
        out.stun.push(at(p, src, dst, stun));
    } else {
        out.summary.udp_unrecognised += 1;
    }
}

/// Puts exchanges in time order (then connection, then offset). An exchange is a large struct:
/// sorting small keys and moving each exchange once is much cheaper than sorting the exchanges.
fn sort_exchanges(exchanges: &mut Vec<HttpExchange>) {
    let mut keys: Vec<_> = exchanges
        .iter()
        .enumerate()
        .map(|(i, x)| (x.first_time(), x.stream, first_offset(x), i))
        .collect();
    if keys.is_sorted() {
        return;
    }
    keys.sort_unstable();
    let mut slots: Vec<Option<HttpExchange>> = exchanges.drain(..).map(Some).collect();
    exchanges.extend(keys.iter().filter_map(|&(.., i)| slots[i].take()));
}

fn first_offset(x: &HttpExchange) -> u64 {
    x.request
        .as_ref()
        .or(x.response.as_ref())
        .map_or(0, |m| m.stream_range.start)
}

/// Counts messages and their errors, and lists each message error once in `errors`.
fn finish(out: &mut Import, unattached_errors: u64) {
    let mut http_errors = unattached_errors;
    let mut located = Vec::new();
    for x in &out.exchanges {
        for (from_client, m) in x
            .request
            .iter()
            .map(|m| (true, m))
            .chain(x.interim.iter().map(|m| (false, m)))
            .chain(x.response.iter().map(|m| (false, m)))
        {
            out.summary.http_messages += 1;
            for e in &m.errors {
                http_errors += 1;
                let start = first_line(m);
                located.push(match m.stream {
                    Some(stream) => stream_error(stream, from_client, e, &start),
                    None => ImportError {
                        location: Location::Byte(usize::try_from(e.offset).unwrap_or(usize::MAX)),
                        message: format!("{start}: {}", e.message),
                    },
                });
            }
        }
    }
    out.summary.http_exchanges = out.exchanges.len() as u64;
    out.summary.http_errors = http_errors;
    out.errors.extend(located);
}

fn first_line(m: &http::HttpMessage) -> String {
    match &m.start {
        http::StartLine::Request { method, target, .. } => format!("{method} {target}"),
        http::StartLine::Response { status, reason, .. } => format!("HTTP {status} {reason}"),
    }
}

fn stream_error(stream: u64, from_client: bool, e: &HttpError, context: &str) -> ImportError {
    ImportError {
        location: Location::Stream {
            stream,
            direction: if from_client {
                FlowDirection::ClientToServer
            } else {
                FlowDirection::ServerToClient
            },
            offset: e.offset,
        },
        message: if context.is_empty() {
            e.message.clone()
        } else {
            format!("{context}: {}", e.message)
        },
    }
}

fn tcp_error(e: &TcpError) -> ImportError {
    ImportError {
        location: Location::Input,
        message: e.to_string(),
    }
}
