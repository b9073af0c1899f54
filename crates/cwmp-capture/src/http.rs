//! HTTP/1.1 messages from reassembled byte streams, and their pairing into exchanges.
//!
//! Heads are parsed by `httparse`; this module adds what a capture needs on top of it:
//!
//! - **Framing** (RFC 9112 §6): `Transfer-Encoding: chunked` wins over `Content-Length`; a request
//!   without either has no body; a response to HEAD, a 1xx, 204 or 304 has none; any other
//!   response without either is read until the connection closes.
//! - **Gaps**: a gap inside a `Content-Length` body costs only the missing bytes, because the end
//!   of the body is still known. A gap anywhere else ends the message there, and parsing resumes at
//!   the next line that starts a message (a request line, or `HTTP/1.x NNN`).
//! - **Bodies** are de-chunked and, for `Content-Encoding: gzip`, `x-gzip` or `deflate` (zlib or
//!   raw, as servers disagree), inflated by `flate2`'s pure-Rust backend. A body that does not
//!   inflate is kept as received, with an error.
//! - **Pairing**: responses answer requests in order (which is also what pipelining requires);
//!   1xx responses are interim and do not consume the request.
//!
//! Nothing is dropped: bytes that are not part of a message are counted and reported as an
//! [`HttpError`] with their stream offset.

use std::fmt;
use std::io::Read;
use std::net::SocketAddr;
use std::ops::Range;

use crate::frames::Timestamp;
use crate::tcp::{Connection, HalfStream, StreamItem};

/// The most header fields accepted in one message head.
pub const MAX_HEADERS: usize = 256;
/// The largest decompressed body produced from one message (64 MiB); beyond it the body is kept
/// compressed, so that a small "zip bomb" cannot exhaust memory.
pub const MAX_INFLATED_BODY: usize = 64 * 1024 * 1024;

/// The first line of a message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StartLine {
    /// `METHOD target HTTP/1.x`.
    Request {
        /// The method, such as `POST`.
        method: String,
        /// The request target, as sent.
        target: String,
        /// The minor version: 1 for HTTP/1.1.
        minor_version: u8,
    },
    /// `HTTP/1.x status reason`.
    Response {
        /// The minor version: 1 for HTTP/1.1.
        minor_version: u8,
        /// The status code.
        status: u16,
        /// The reason phrase, as sent.
        reason: String,
    },
}

/// One header field, in wire order; duplicates are kept as separate fields.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeaderField {
    /// The name, as sent.
    pub name: String,
    /// The value without surrounding whitespace (lossy UTF-8 of the wire bytes).
    pub value: String,
}

/// How the end of a message body was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BodyFraming {
    /// The message has no body by rule (a request without length, HEAD, 1xx, 204, 304).
    None,
    /// `Content-Length`.
    ContentLength(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Read until the connection closed.
    UntilClose,
}

/// What went wrong while reading a stream as HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum HttpErrorKind {
    /// The head is not valid HTTP.
    BadHead,
    /// Bytes that are not part of any message were skipped to reach the next message boundary.
    Skipped,
    /// A gap in the capture cut the message.
    Gap,
    /// The stream ended before the message did.
    Truncated,
    /// `Content-Length` is not a number, or several disagree.
    BadLength,
    /// A chunk size line is not valid.
    BadChunk,
    /// The body could not be decompressed as its `Content-Encoding` says.
    Decompress,
    /// A response with no request left to answer.
    Unpaired,
}

/// A problem found while reading HTTP, located by stream offset.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HttpError {
    /// What kind of problem.
    pub kind: HttpErrorKind,
    /// Offset in the stream (or text) where it was found.
    pub offset: u64,
    /// A sentence for the user.
    pub message: String,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

/// One HTTP message, with everything needed to locate it in the input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HttpMessage {
    /// The start line.
    pub start: StartLine,
    /// Header fields in wire order.
    pub headers: Vec<HeaderField>,
    /// The body after de-chunking and decompression.
    pub body: Vec<u8>,
    /// How the body's end was found.
    pub framing: BodyFraming,
    /// The content coding that was removed from `body`, if any.
    pub decoded_encoding: Option<String>,
    /// Body bytes on the wire (after de-chunking, before decompression), gaps excluded.
    pub wire_body_len: u64,
    /// Capture time of the message's first byte.
    pub first_time: Option<Timestamp>,
    /// Capture time of the message's last byte.
    pub last_time: Option<Timestamp>,
    /// Frames holding the first and the last byte.
    pub frames: Option<Range<u64>>,
    /// TCP connection number (`tcp.stream`), for captures.
    pub stream: Option<u64>,
    /// Sender.
    pub src: Option<SocketAddr>,
    /// Receiver.
    pub dst: Option<SocketAddr>,
    /// The message's range of stream (or text) offsets.
    pub stream_range: Range<u64>,
    /// The message's bytes in the input, as byte ranges in stream order.
    pub spans: Vec<Range<usize>>,
    /// Problems that concern this message.
    pub errors: Vec<HttpError>,
    /// Whether the message was read to its end without losing bytes.
    pub complete: bool,
}

impl HttpMessage {
    /// A message built from structured data (a HAR entry, a log line, a debugger's question),
    /// not read from wire bytes: framed by its body's length, located nowhere, complete.
    pub fn synthetic(
        start: StartLine,
        headers: Vec<HeaderField>,
        body: Vec<u8>,
        time: Option<Timestamp>,
    ) -> Self {
        let len = body.len() as u64;
        Self {
            start,
            headers,
            framing: if body.is_empty() {
                BodyFraming::None
            } else {
                BodyFraming::ContentLength(len)
            },
            wire_body_len: len,
            body,
            decoded_encoding: None,
            first_time: time,
            last_time: time,
            frames: None,
            stream: None,
            src: None,
            dst: None,
            stream_range: 0..0,
            spans: Vec::new(),
            errors: Vec::new(),
            complete: true,
        }
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// Every header with this name (case-insensitive), in wire order.
    pub fn headers_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// The cookies sent in `Cookie` headers, in order. Accepts `;` or `,` between pairs (devices
    /// join duplicate headers with commas) and leaves out RFC 2965 attributes such as `$Version`.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.headers_named("cookie")
            .flat_map(|v| v.split([';', ',']))
            .filter_map(|pair| {
                let pair = pair.trim();
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let name = name.trim();
                (!name.is_empty() && !name.starts_with('$'))
                    .then(|| (name.to_owned(), value.trim().trim_matches('"').to_owned()))
            })
            .collect()
    }

    /// The method, for a request.
    pub fn method(&self) -> Option<&str> {
        match &self.start {
            StartLine::Request { method, .. } => Some(method),
            StartLine::Response { .. } => None,
        }
    }

    /// The status code, for a response.
    pub fn status(&self) -> Option<u16> {
        match &self.start {
            StartLine::Response { status, .. } => Some(*status),
            StartLine::Request { .. } => None,
        }
    }
}

/// A request and what answered it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HttpExchange {
    /// TCP connection number (`tcp.stream`), for captures.
    pub stream: Option<u64>,
    /// The client (the sender of the request).
    pub client: Option<SocketAddr>,
    /// The server.
    pub server: Option<SocketAddr>,
    /// The request; `None` for a response whose request was not captured.
    pub request: Option<HttpMessage>,
    /// Interim 1xx responses, such as `100 Continue`.
    pub interim: Vec<HttpMessage>,
    /// The final response; `None` when it was not captured.
    pub response: Option<HttpMessage>,
}

impl HttpExchange {
    /// The time of the exchange's first byte.
    pub fn first_time(&self) -> Option<Timestamp> {
        self.request
            .as_ref()
            .or(self.response.as_ref())
            .and_then(|m| m.first_time)
    }
}

/// Which side of a conversation a stream carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Requests only (the client's half).
    Requests,
    /// Responses only (the server's half).
    Responses,
    /// Either, message by message (a text transcript of both sides).
    Any,
}

/// Where a piece of stream came from in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Piece {
    offset: u64,
    len: usize,
    frame: Option<u64>,
    span: Option<usize>,
    time: Option<Timestamp>,
}

/// Contiguous stream bytes between gaps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Segment {
    start: u64,
    data: Vec<u8>,
    pieces: Vec<Piece>,
}

impl Segment {
    fn end(&self) -> u64 {
        self.start + self.data.len() as u64
    }

    fn piece_at(&self, offset: u64) -> Option<&Piece> {
        let i = self
            .pieces
            .partition_point(|p| p.offset + p.len as u64 <= offset);
        self.pieces.get(i)
    }
}

/// A byte stream with holes, ready to be read as HTTP.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ByteStream {
    segments: Vec<Segment>,
}

impl ByteStream {
    /// A stream made of one block of text, whose offset 0 is input byte `input_offset`.
    pub fn from_text(text: &[u8], input_offset: usize) -> Self {
        Self::from_pieces(0, text, input_offset, None)
    }

    /// A stream of one block of bytes at stream offset `start`, found at input offset `span`,
    /// captured at `time`.
    pub fn from_pieces(start: u64, bytes: &[u8], span: usize, time: Option<Timestamp>) -> Self {
        Self {
            segments: vec![Segment {
                start,
                data: bytes.to_vec(),
                pieces: vec![Piece {
                    offset: start,
                    len: bytes.len(),
                    frame: None,
                    span: Some(span),
                    time,
                }],
            }],
        }
    }

    /// The reassembled half of a TCP connection.
    pub fn from_half_stream(half: &HalfStream) -> Self {
        let mut segments: Vec<Segment> = Vec::new();
        for item in &half.items {
            let StreamItem::Data(chunk) = item else {
                continue;
            };
            let piece = Piece {
                offset: chunk.offset,
                len: chunk.data.len(),
                frame: Some(chunk.frame),
                span: chunk.span.as_ref().map(|s| s.start),
                time: chunk.timestamp,
            };
            match segments.last_mut() {
                Some(seg) if seg.end() == chunk.offset => {
                    seg.data.extend_from_slice(&chunk.data);
                    seg.pieces.push(piece);
                }
                _ => segments.push(Segment {
                    start: chunk.offset,
                    data: chunk.data.clone(),
                    pieces: vec![piece],
                }),
            }
        }
        Self { segments }
    }

    /// Total bytes present (gaps excluded).
    pub fn len(&self) -> u64 {
        self.segments.iter().map(|s| s.data.len() as u64).sum()
    }

    /// Whether no bytes are present.
    pub fn is_empty(&self) -> bool {
        self.segments.iter().all(|s| s.data.is_empty())
    }

    /// The first bytes of the stream, up to the first gap.
    pub fn head(&self) -> &[u8] {
        self.segments.first().map_or(&[], |s| &s.data)
    }

    fn locate(&self, offset: u64) -> Option<&Piece> {
        let i = self.segments.partition_point(|s| s.end() <= offset);
        self.segments.get(i).and_then(|s| s.piece_at(offset))
    }

    /// Input byte ranges covering stream offsets `range`, merged where adjacent.
    fn spans(&self, range: &Range<u64>) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for seg in &self.segments {
            if seg.end() <= range.start || seg.start >= range.end {
                continue;
            }
            let first = seg
                .pieces
                .partition_point(|p| p.offset + p.len as u64 <= range.start);
            for p in &seg.pieces[first..] {
                if p.offset >= range.end {
                    break;
                }
                let Some(span) = p.span else { continue };
                let lo = range.start.max(p.offset) - p.offset;
                let hi = range.end.min(p.offset + p.len as u64) - p.offset;
                let (Ok(lo), Ok(hi)) = (usize::try_from(lo), usize::try_from(hi)) else {
                    continue;
                };
                let r = span + lo..span + hi;
                match out.last_mut() {
                    Some(last) if last.end == r.start => last.end = r.end,
                    _ => out.push(r),
                }
            }
        }
        out
    }
}

/// Where the parser is: a segment and an offset within it.
#[derive(Clone, Copy, Debug)]
struct Cursor {
    seg: usize,
    pos: usize,
}

/// The result of reading one stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedStream {
    /// The messages, in stream order.
    pub messages: Vec<HttpMessage>,
    /// Problems not tied to one message (skipped bytes, heads that do not parse).
    pub errors: Vec<HttpError>,
    /// Bytes that belong to no message.
    pub skipped_bytes: u64,
}

/// Reads a stream as HTTP messages.
///
/// For [`Role::Responses`], `request_methods` lists the methods of the requests being answered,
/// in order, so that responses to HEAD are known to have no body.
pub fn parse_stream(stream: &ByteStream, role: Role, request_methods: &[&str]) -> ParsedStream {
    let mut parser = Parser {
        stream,
        role,
        methods: request_methods,
        answered: 0,
        open_head_request: false,
        out: ParsedStream::default(),
    };
    parser.run();
    parser.out
}

struct Parser<'s> {
    stream: &'s ByteStream,
    role: Role,
    methods: &'s [&'s str],
    answered: usize,
    /// In a transcript ([`Role::Any`]): the last request was HEAD and is not answered yet.
    open_head_request: bool,
    out: ParsedStream,
}

/// How a message head ended.
enum HeadOutcome {
    Message(Box<HttpMessage>, Cursor),
    /// Cannot continue in this segment; resume at the next one.
    NextSegment,
    /// Not a message here; skip to the next boundary after this position.
    Resync(Cursor),
}

impl<'s> Parser<'s> {
    fn seg(&self, c: Cursor) -> &'s Segment {
        &self.stream.segments[c.seg]
    }

    fn offset(&self, c: Cursor) -> u64 {
        self.seg(c).start + c.pos as u64
    }

    fn error(&mut self, kind: HttpErrorKind, offset: u64, message: String) {
        self.out.errors.push(HttpError {
            kind,
            offset,
            message,
        });
    }

    fn run(&mut self) {
        let mut c = Cursor { seg: 0, pos: 0 };
        let mut first = true;
        while c.seg < self.stream.segments.len() {
            let data = &self.seg(c).data;
            // RFC 9112 §2.2: empty lines before a request line are ignored.
            while c.pos < data.len() && matches!(data[c.pos], b'\r' | b'\n') {
                c.pos += 1;
            }
            if c.pos >= data.len() {
                c = Cursor {
                    seg: c.seg + 1,
                    pos: 0,
                };
                continue;
            }
            let at_segment_start = c.pos == 0 && c.seg > 0;
            if (first || at_segment_start) && !self.starts_message(&data[c.pos..]) {
                // A capture that starts mid-message, or the bytes right after a gap.
                c = self.resync(c, false);
                first = false;
                continue;
            }
            first = false;
            match self.read_message(c) {
                HeadOutcome::Message(m, next) => {
                    self.out.messages.push(*m);
                    c = next;
                }
                HeadOutcome::NextSegment => {
                    c = Cursor {
                        seg: c.seg + 1,
                        pos: 0,
                    };
                }
                HeadOutcome::Resync(at) => c = self.resync(at, true),
            }
        }
    }

    /// Whether `bytes` begin with something that looks like a start line for this role.
    fn starts_message(&self, bytes: &[u8]) -> bool {
        match self.role {
            Role::Requests => looks_like_request_line(bytes),
            Role::Responses => looks_like_status_line(bytes),
            Role::Any => looks_like_request_line(bytes) || looks_like_status_line(bytes),
        }
    }

    /// Skips to the next message start in this segment, recording what was skipped.
    /// With `past_here`, a message start at `from` itself is not accepted (it failed to parse).
    fn resync(&mut self, from: Cursor, past_here: bool) -> Cursor {
        let seg = self.seg(from);
        let data = &seg.data;
        let found = find_boundary(data, from.pos + usize::from(past_here), self.role);
        let end = found.unwrap_or(data.len());
        let skipped = (end - from.pos) as u64;
        if skipped > 0 {
            let offset = self.offset(from);
            let what = if found.is_some() {
                "to reach the next HTTP message"
            } else if from.seg + 1 < self.stream.segments.len() {
                "up to the next gap: no HTTP message starts in them"
            } else {
                "to the end of the stream: no HTTP message starts in them"
            };
            self.out.skipped_bytes += skipped;
            self.error(
                HttpErrorKind::Skipped,
                offset,
                format!("skipped {skipped} bytes {what}"),
            );
        }
        match found {
            Some(pos) => Cursor { seg: from.seg, pos },
            None => Cursor {
                seg: from.seg + 1,
                pos: 0,
            },
        }
    }

    fn read_message(&mut self, c: Cursor) -> HeadOutcome {
        let start_offset = self.offset(c);
        let is_last_segment = c.seg + 1 == self.stream.segments.len();
        let data = &self.seg(c).data[c.pos..];
        let head = match parse_head(data) {
            Ok(Some(head)) => head,
            Ok(None) => {
                let (kind, why) = if is_last_segment {
                    (HttpErrorKind::Truncated, "the stream ends")
                } else {
                    (HttpErrorKind::Gap, "a gap in the capture follows")
                };
                self.out.skipped_bytes += data.len() as u64;
                self.error(
                    kind,
                    start_offset,
                    format!(
                        "incomplete HTTP head ({} bytes): {why} before its empty line",
                        data.len()
                    ),
                );
                return HeadOutcome::NextSegment;
            }
            Err(e) => {
                self.error(
                    HttpErrorKind::BadHead,
                    start_offset,
                    format!("not a valid HTTP head: {e}"),
                );
                return HeadOutcome::Resync(Cursor {
                    seg: c.seg,
                    pos: c.pos,
                });
            }
        };
        let mut errors = Vec::new();
        let framing = self.framing(&head, start_offset, &mut errors);
        match &head.start {
            StartLine::Response { status, .. } if !(100..200).contains(status) => {
                self.answered += 1;
                self.open_head_request = false;
            }
            StartLine::Response { .. } => {}
            StartLine::Request { method, .. } => {
                self.open_head_request = method.eq_ignore_ascii_case("HEAD");
            }
        }
        let body_start = Cursor {
            seg: c.seg,
            pos: c.pos + head.len,
        };
        let (wire_body, end, complete) = match framing {
            BodyFraming::None => (Vec::new(), body_start, true),
            BodyFraming::ContentLength(n) => self.read_length(body_start, n, &mut errors),
            BodyFraming::Chunked => self.read_chunked(body_start, &mut errors),
            BodyFraming::UntilClose => self.read_to_close(body_start, &mut errors),
        };
        let wire_body_len = wire_body.len() as u64;
        let (body, decoded_encoding) = decode_content(&head.headers, wire_body, |msg| {
            errors.push(HttpError {
                kind: HttpErrorKind::Decompress,
                offset: start_offset,
                message: msg,
            });
        });
        let end_offset = if end.seg < self.stream.segments.len() {
            self.offset(end)
        } else {
            self.stream.segments.last().map_or(0, Segment::end)
        };
        let range = start_offset..end_offset;
        let first = self.stream.locate(start_offset);
        let last = self
            .stream
            .locate(end_offset.saturating_sub(1).max(start_offset));
        let message = HttpMessage {
            start: head.start,
            headers: head.headers,
            body,
            framing,
            decoded_encoding,
            wire_body_len,
            first_time: first.and_then(|p| p.time),
            last_time: last.and_then(|p| p.time),
            frames: first
                .and_then(|p| p.frame)
                .zip(last.and_then(|p| p.frame))
                .map(|(a, b)| a..b + 1),
            stream: None,
            src: None,
            dst: None,
            spans: self.stream.spans(&range),
            stream_range: range,
            complete: complete && errors.iter().all(|e| e.kind != HttpErrorKind::Decompress),
            errors,
        };
        HeadOutcome::Message(Box::new(message), end)
    }

    fn framing(&self, head: &Head, offset: u64, errors: &mut Vec<HttpError>) -> BodyFraming {
        let status = match &head.start {
            StartLine::Response { status, .. } => Some(*status),
            StartLine::Request { .. } => None,
        };
        if let Some(status) = status {
            let answering_head = self.open_head_request
                || self
                    .methods
                    .get(self.answered)
                    .is_some_and(|m| m.eq_ignore_ascii_case("HEAD"));
            if (100..200).contains(&status) || status == 204 || status == 304 || answering_head {
                return BodyFraming::None;
            }
        }
        let chunked = head
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("transfer-encoding"))
            .flat_map(|h| h.value.split(','))
            .any(|v| v.trim().eq_ignore_ascii_case("chunked"));
        let lengths: Vec<&str> = head
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("content-length"))
            .flat_map(|h| h.value.split(','))
            .map(str::trim)
            .collect();
        if chunked {
            if !lengths.is_empty() {
                errors.push(HttpError {
                    kind: HttpErrorKind::BadLength,
                    offset,
                    message: "both Transfer-Encoding: chunked and Content-Length are present; \
                              chunked wins (RFC 9112 §6.3)"
                        .into(),
                });
            }
            return BodyFraming::Chunked;
        }
        if let Some(first) = lengths.first() {
            // RFC 9112 §6.3: digits only (`parse` would also take a leading `+`).
            let digits = !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit());
            match first.parse::<u64>().ok().filter(|_| digits) {
                Some(n) => {
                    if lengths.iter().any(|l| l != first) {
                        errors.push(HttpError {
                            kind: HttpErrorKind::BadLength,
                            offset,
                            message: format!(
                                "Content-Length values disagree ({}); the first is used",
                                lengths.join(", ")
                            ),
                        });
                    }
                    return BodyFraming::ContentLength(n);
                }
                None => errors.push(HttpError {
                    kind: HttpErrorKind::BadLength,
                    offset,
                    message: format!("Content-Length is not a number: {first:?}"),
                }),
            }
        }
        if status.is_some() {
            BodyFraming::UntilClose
        } else {
            BodyFraming::None
        }
    }

    /// Reads `n` body bytes; a gap inside costs only the missing bytes.
    fn read_length(
        &self,
        mut c: Cursor,
        n: u64,
        errors: &mut Vec<HttpError>,
    ) -> (Vec<u8>, Cursor, bool) {
        let segments = &self.stream.segments;
        let body_start = self.offset(c);
        let body_end = body_start.saturating_add(n);
        let mut body = Vec::with_capacity(usize::try_from(n.min(1 << 24)).unwrap_or(0));
        let mut complete = true;
        loop {
            let seg = &segments[c.seg];
            let here = seg.start + c.pos as u64;
            let take = usize::try_from((body_end - here).min((seg.data.len() - c.pos) as u64))
                .unwrap_or(0);
            body.extend_from_slice(&seg.data[c.pos..c.pos + take]);
            c.pos += take;
            if seg.start + c.pos as u64 == body_end {
                return (body, c, complete);
            }
            let Some(next) = segments.get(c.seg + 1) else {
                errors.push(HttpError {
                    kind: HttpErrorKind::Truncated,
                    offset: seg.end(),
                    message: format!(
                        "the stream ends {} bytes into a {n}-byte body",
                        seg.end() - body_start
                    ),
                });
                return (body, c, false);
            };
            complete = false;
            let missing = next.start.min(body_end) - seg.end();
            errors.push(HttpError {
                kind: HttpErrorKind::Gap,
                offset: seg.end(),
                message: format!("{missing} bytes of the body were not captured"),
            });
            if next.start >= body_end {
                // The body ends inside the gap; the next segment starts mid-stream.
                return (
                    body,
                    Cursor {
                        seg: c.seg + 1,
                        pos: 0,
                    },
                    false,
                );
            }
            c = Cursor {
                seg: c.seg + 1,
                pos: 0,
            };
        }
    }

    fn read_chunked(&self, mut c: Cursor, errors: &mut Vec<HttpError>) -> (Vec<u8>, Cursor, bool) {
        let seg = &self.stream.segments[c.seg];
        let data = &seg.data;
        let is_last = c.seg + 1 == self.stream.segments.len();
        let mut body = Vec::new();
        let cut = |errors: &mut Vec<HttpError>, at: usize, what: &str| {
            errors.push(HttpError {
                kind: if is_last {
                    HttpErrorKind::Truncated
                } else {
                    HttpErrorKind::Gap
                },
                offset: seg.start + at as u64,
                message: format!(
                    "{} {what}",
                    if is_last {
                        "the stream ends in"
                    } else {
                        "a gap in the capture cuts"
                    }
                ),
            });
        };
        loop {
            match httparse::parse_chunk_size(&data[c.pos..]) {
                Ok(httparse::Status::Complete((used, size))) => {
                    c.pos += used;
                    if size == 0 {
                        // Trailer fields, then the final empty line.
                        loop {
                            let rest = &data[c.pos..];
                            let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
                                cut(errors, c.pos, "the chunked trailer");
                                return (body, after_segment(c), false);
                            };
                            let line_empty = rest[..nl].iter().all(|&b| b == b'\r');
                            c.pos += nl + 1;
                            if line_empty {
                                return (body, c, true);
                            }
                        }
                    }
                    let avail = (data.len() - c.pos) as u64;
                    if size > avail {
                        body.extend_from_slice(&data[c.pos..]);
                        cut(errors, data.len(), &format!("a {size}-byte chunk"));
                        return (body, after_segment(c), false);
                    }
                    let size = usize::try_from(size).unwrap_or(usize::MAX);
                    body.extend_from_slice(&data[c.pos..c.pos + size]);
                    c.pos += size;
                    // The CRLF after the chunk data.
                    let rest = &data[c.pos..];
                    if rest.starts_with(b"\r\n") {
                        c.pos += 2;
                    } else if rest.starts_with(b"\n") {
                        c.pos += 1;
                    } else if rest.is_empty() || rest == b"\r" {
                        cut(errors, c.pos, "the chunked body");
                        return (body, after_segment(c), false);
                    } else {
                        errors.push(HttpError {
                            kind: HttpErrorKind::BadChunk,
                            offset: seg.start + c.pos as u64,
                            message: "chunk data is not followed by CRLF".into(),
                        });
                        return (body, c, false);
                    }
                }
                Ok(httparse::Status::Partial) => {
                    cut(errors, c.pos, "a chunk size line");
                    return (body, after_segment(c), false);
                }
                Err(_) => {
                    let line: String =
                        String::from_utf8_lossy(&data[c.pos..data.len().min(c.pos + 24)])
                            .chars()
                            .take_while(|&ch| ch != '\r' && ch != '\n')
                            .collect();
                    errors.push(HttpError {
                        kind: HttpErrorKind::BadChunk,
                        offset: seg.start + c.pos as u64,
                        message: format!("not a chunk size line: {line:?}"),
                    });
                    return (body, c, false);
                }
            }
        }
    }

    /// Reads everything to the end of the stream; gaps cost their bytes.
    fn read_to_close(&self, c: Cursor, errors: &mut Vec<HttpError>) -> (Vec<u8>, Cursor, bool) {
        let segments = &self.stream.segments;
        let mut body = segments[c.seg].data[c.pos..].to_vec();
        let mut complete = true;
        for pair in segments[c.seg..].windows(2) {
            complete = false;
            errors.push(HttpError {
                kind: HttpErrorKind::Gap,
                offset: pair[0].end(),
                message: format!(
                    "{} bytes of the body were not captured",
                    pair[1].start - pair[0].end()
                ),
            });
            body.extend_from_slice(&pair[1].data);
        }
        (
            body,
            Cursor {
                seg: segments.len(),
                pos: 0,
            },
            complete,
        )
    }
}

fn after_segment(c: Cursor) -> Cursor {
    Cursor {
        seg: c.seg + 1,
        pos: 0,
    }
}

struct Head {
    start: StartLine,
    headers: Vec<HeaderField>,
    len: usize,
}

/// Why a head did not parse.
#[derive(Debug)]
struct HeadError(String);

impl fmt::Display for HeadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_head(data: &[u8]) -> Result<Option<Head>, HeadError> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    // Real devices send header lines that strict parsing would refuse; being lenient here is
    // what lets the user see the message (the quirks are for a linter to report, not to hide).
    let mut config = httparse::ParserConfig::default();
    config
        .allow_spaces_after_header_name_in_responses(true)
        .allow_obsolete_multiline_headers_in_responses(true)
        .allow_multiple_spaces_in_request_line_delimiters(true)
        .allow_multiple_spaces_in_response_status_delimiters(true)
        .ignore_invalid_headers_in_responses(true)
        .ignore_invalid_headers_in_requests(true);
    if looks_like_status_line(data) {
        let mut resp = httparse::Response::new(&mut fields);
        return match config.parse_response(&mut resp, data) {
            Ok(httparse::Status::Complete(len)) => Ok(Some(Head {
                start: StartLine::Response {
                    minor_version: resp.version.unwrap_or(1),
                    status: resp.code.unwrap_or(0),
                    reason: resp.reason.unwrap_or("").to_owned(),
                },
                headers: collect_headers(resp.headers),
                len,
            })),
            Ok(httparse::Status::Partial) => Ok(None),
            Err(e) => Err(HeadError(format!("{e} in the response head"))),
        };
    }
    let mut req = httparse::Request::new(&mut fields);
    match config.parse_request(&mut req, data) {
        Ok(httparse::Status::Complete(len)) => Ok(Some(Head {
            start: StartLine::Request {
                method: req.method.unwrap_or("").to_owned(),
                target: req.path.unwrap_or("").to_owned(),
                minor_version: req.version.unwrap_or(1),
            },
            headers: collect_headers(req.headers),
            len,
        })),
        Ok(httparse::Status::Partial) => Ok(None),
        Err(e) => Err(HeadError(format!("{e} in the request head"))),
    }
}

fn collect_headers(fields: &[httparse::Header<'_>]) -> Vec<HeaderField> {
    fields
        .iter()
        .filter(|h| !h.name.is_empty())
        .map(|h| HeaderField {
            name: h.name.to_owned(),
            value: String::from_utf8_lossy(h.value).trim().to_owned(),
        })
        .collect()
}

const METHODS: [&[u8]; 9] = [
    b"GET ",
    b"POST ",
    b"HEAD ",
    b"PUT ",
    b"DELETE ",
    b"OPTIONS ",
    b"CONNECT ",
    b"TRACE ",
    b"PATCH ",
];

/// Whether `bytes` start with a request line of a standard method.
pub fn looks_like_request_line(bytes: &[u8]) -> bool {
    METHODS.iter().any(|m| bytes.starts_with(m))
}

/// Whether `bytes` start with `HTTP/1.x NNN`.
pub fn looks_like_status_line(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && bytes.starts_with(b"HTTP/1.")
        && bytes[7].is_ascii_digit()
        && bytes[8] == b' '
        && bytes[9..12].iter().all(u8::is_ascii_digit)
        && bytes
            .get(12)
            .is_none_or(|b| matches!(b, b' ' | b'\r' | b'\n'))
}

/// The position of the first message start at or after `from`: a status line for responses,
/// a request line (`METHOD target HTTP/1.x` and an end of line) for requests. Message starts are
/// found anywhere, not only at line starts, because a body without a final newline runs straight
/// into the next message.
fn find_boundary(data: &[u8], from: usize, role: Role) -> Option<usize> {
    const VERSION: &[u8] = b"HTTP/1.";
    let mut i = from;
    while i + VERSION.len() <= data.len() {
        let rel = data[i..]
            .windows(VERSION.len())
            .position(|w| w == VERSION)?;
        let at = i + rel;
        if role != Role::Requests && looks_like_status_line(&data[at..]) {
            return Some(at);
        }
        if role != Role::Responses
            && let Some(start) = request_line_start(data, at)
            && start >= from
        {
            return Some(start);
        }
        i = at + 1;
    }
    None
}

/// Where the request line ending in the `HTTP/1.` at `version_at` starts, if it is one.
fn request_line_start(data: &[u8], version_at: usize) -> Option<usize> {
    let after = data.get(version_at + 7..)?;
    let line_ends = after.first().is_some_and(u8::is_ascii_digit)
        && (after[1..].starts_with(b"\r\n") || after[1..].starts_with(b"\n"));
    if !line_ends || version_at < 2 || data[version_at - 1] != b' ' {
        return None;
    }
    let target_start = data[..version_at - 1]
        .iter()
        .rposition(|&b| b == b' ' || b == b'\n')?
        + 1;
    if target_start < 2 || data[target_start - 1] != b' ' || target_start == version_at - 1 {
        return None;
    }
    let token = &data[..target_start];
    METHODS
        .iter()
        .find(|m| token.ends_with(m))
        .map(|m| target_start - m.len())
}

/// Removes the content codings named by `Content-Encoding` (last applied first), reporting
/// failures through `fail`.
fn decode_content(
    headers: &[HeaderField],
    body: Vec<u8>,
    mut fail: impl FnMut(String),
) -> (Vec<u8>, Option<String>) {
    let codings: Vec<String> = headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("content-encoding"))
        .flat_map(|h| h.value.split(','))
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    if body.is_empty() || codings.is_empty() {
        return (body, None);
    }
    let mut decoded: Option<Vec<u8>> = None;
    for coding in codings.iter().rev() {
        let input = decoded.as_deref().unwrap_or(&body);
        let inflated = match coding.as_str() {
            "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(input)),
            "deflate" => inflate(flate2::read::ZlibDecoder::new(input))
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(input))),
            other => Err(std::io::Error::other(format!(
                "Content-Encoding {other:?} is not supported"
            ))),
        };
        match inflated {
            Ok(next) => decoded = Some(next),
            Err(e) => {
                fail(format!(
                    "the body does not decode as {}: {e}; it is shown as received",
                    codings.join(", ")
                ));
                return (body, None);
            }
        }
    }
    (decoded.unwrap_or(body), Some(codings.join(", ")))
}

fn inflate(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let limit = u64::try_from(MAX_INFLATED_BODY).unwrap_or(u64::MAX);
    reader.take(limit + 1).read_to_end(&mut out)?;
    if out.len() > MAX_INFLATED_BODY {
        return Err(std::io::Error::other(format!(
            "it inflates to more than {MAX_INFLATED_BODY} bytes"
        )));
    }
    Ok(out)
}

/// The HTTP conversation on one TCP connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionHttp {
    /// Exchanges in request order.
    pub exchanges: Vec<HttpExchange>,
    /// Problems not tied to a message, with the direction they were found in.
    pub errors: Vec<(bool, HttpError)>,
    /// Bytes that belong to no message, both directions.
    pub skipped_bytes: u64,
}

/// Reads both halves of a TCP connection as HTTP and pairs requests with responses.
pub fn parse_connection(conn: &Connection) -> ConnectionHttp {
    parse_halves(
        &ByteStream::from_half_stream(&conn.client_to_server),
        &ByteStream::from_half_stream(&conn.server_to_client),
        Some(conn.index),
        Some(conn.client),
        Some(conn.server),
    )
}

/// Reads a client's and a server's byte streams as HTTP, stamps each message with the stream id
/// and its endpoints, and pairs requests with responses.
pub fn parse_halves(
    client: &ByteStream,
    server: &ByteStream,
    stream: Option<u64>,
    client_addr: Option<SocketAddr>,
    server_addr: Option<SocketAddr>,
) -> ConnectionHttp {
    let requests = parse_stream(client, Role::Requests, &[]);
    let methods: Vec<&str> = requests
        .messages
        .iter()
        .filter_map(HttpMessage::method)
        .collect();
    let responses = parse_stream(server, Role::Responses, &methods);
    let stamp = |mut m: HttpMessage, from_client: bool| {
        m.stream = stream;
        (m.src, m.dst) = if from_client {
            (client_addr, server_addr)
        } else {
            (server_addr, client_addr)
        };
        m
    };
    let mut exchanges = pair(
        requests
            .messages
            .into_iter()
            .map(|m| stamp(m, true))
            .collect(),
        responses
            .messages
            .into_iter()
            .map(|m| stamp(m, false))
            .collect(),
    );
    for x in &mut exchanges {
        x.stream = stream;
        x.client = client_addr;
        x.server = server_addr;
    }
    ConnectionHttp {
        exchanges,
        skipped_bytes: requests.skipped_bytes + responses.skipped_bytes,
        errors: requests
            .errors
            .into_iter()
            .map(|e| (true, e))
            .chain(responses.errors.into_iter().map(|e| (false, e)))
            .collect(),
    }
}

/// Pairs requests with responses in order; 1xx responses are interim.
pub fn pair(requests: Vec<HttpMessage>, responses: Vec<HttpMessage>) -> Vec<HttpExchange> {
    let mut exchanges: Vec<HttpExchange> = requests
        .into_iter()
        .map(|r| HttpExchange {
            stream: r.stream,
            client: r.src,
            server: r.dst,
            request: Some(r),
            interim: Vec::new(),
            response: None,
        })
        .collect();
    let mut next = 0;
    for mut resp in responses {
        let interim = resp.status().is_some_and(|s| (100..200).contains(&s));
        if let Some(x) = exchanges.get_mut(next) {
            if interim {
                x.interim.push(resp);
            } else {
                x.response = Some(resp);
                next += 1;
            }
            continue;
        }
        resp.errors.push(HttpError {
            kind: HttpErrorKind::Unpaired,
            offset: resp.stream_range.start,
            message: "a response with no request left to answer (the request was not captured)"
                .into(),
        });
        exchanges.push(HttpExchange {
            stream: resp.stream,
            client: resp.dst,
            server: resp.src,
            request: None,
            interim: Vec::new(),
            response: Some(resp),
        });
    }
    exchanges
}
