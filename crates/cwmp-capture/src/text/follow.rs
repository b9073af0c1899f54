//! Wireshark/tshark "Follow TCP Stream" output, as `tshark -q -z follow,tcp,ascii,N` or
//! `-z follow,tcp,raw,N` print it (several `-z` options give several sections):
//!
//! ```text
//! ===================================================================
//! Follow: tcp,ascii
//! Filter: tcp.stream eq 0
//! Node 0: 192.88.99.142:8443
//! Node 1: 10.0.2.243:49639
//! <TAB>1000
//! POST / HTTP/1.1␍
//! …1000 bytes, then a line break…
//! 17
//! HTTP/1.1 200 OK␍
//! ===================================================================
//! ```
//!
//! Each block is the data of one segment: in `ascii` mode a line with its byte count, then
//! exactly that many bytes (tshark keeps CR, LF and TAB and prints every other non-printable
//! byte as `.`, one for one), then a line break; in `raw` mode one line of hex. Node 1's blocks
//! are indented with a TAB. Node 0 is whichever end sent the first packet tshark saw, not
//! necessarily the client, so the client is the node whose data starts with a request line
//! (node 0 when neither does). In ascii mode bodies keep their length but not their non-printable
//! bytes; the `hex` mode (a hex dump per block) and the GUI's save-as formats without byte counts
//! are not read.

use std::net::SocketAddr;
use std::ops::Range;

use crate::http::{ByteStream, parse_halves};
use crate::import::{Import, ImportError, Location};
use crate::tcp::{Chunk, HalfStream, StreamItem};

use super::{Lines, finish, line_ranges};

pub(crate) fn detect(text: &[u8]) -> bool {
    let mut lines = line_ranges(text).filter_map(|r| text.get(r));
    let first = lines.next().unwrap_or_default();
    let second = if is_separator(first) {
        lines.next().unwrap_or_default()
    } else {
        first
    };
    second.starts_with(b"Follow: tcp,") || second.starts_with(b"Follow: tls,")
}

fn is_separator(line: &[u8]) -> bool {
    line.len() >= 10 && line.iter().all(|&b| b == b'=')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ascii,
    Raw,
}

/// One direction's blocks: the stream and, per block, where its bytes are in the input.
#[derive(Default)]
struct Side {
    half: HalfStream,
    /// (stream offset, input offset, literal): literal blocks map byte for byte.
    places: Vec<(u64, usize, bool)>,
}

impl Side {
    fn push(&mut self, data: Vec<u8>, block: u64, input_at: usize, literal: bool) {
        let offset = self.half.bytes;
        self.places.push((offset, input_at, literal));
        self.half.bytes += data.len() as u64;
        let span = literal.then(|| input_at..input_at + data.len());
        self.half.items.push(StreamItem::Data(Chunk {
            offset,
            data,
            frame: block,
            span,
            timestamp: None,
        }));
    }

    /// The input offset of stream offset `offset`.
    fn input_offset(&self, offset: u64) -> Option<usize> {
        let i = self
            .places
            .partition_point(|p| p.0 <= offset)
            .checked_sub(1)?;
        let &(start, at, literal) = self.places.get(i)?;
        if literal {
            usize::try_from(offset - start).ok().map(|d| at + d)
        } else {
            Some(at)
        }
    }
}

struct Section {
    mode: Mode,
    stream: Option<u64>,
    nodes: [Option<SocketAddr>; 2],
    sides: [Side; 2],
}

pub(crate) fn import(input: &[u8]) -> Import {
    let lines = Lines::new(input);
    let mut out = Import::default();
    let sections = read_sections(input, &lines, &mut out);
    let mut unattached = 0;
    let mut sides_by_section = Vec::new();
    for section in sections {
        let first = out.exchanges.len();
        let (client_side, server_side) =
            section_exchanges(section, &lines, &mut out, &mut unattached);
        sides_by_section.push((first, client_side, server_side));
    }
    out.summary.tcp_connections = sides_by_section.len() as u64;
    let locate_in = |x: usize, from_client: bool, offset: u64| -> Location {
        let section = sides_by_section.iter().rev().find(|s| s.0 <= x);
        section
            .and_then(|(_, c, s)| if from_client { c } else { s }.input_offset(offset))
            .map_or(Location::Input, |o| lines.at(o))
    };
    // `finish` does not say which exchange an error is in; locate by the exchange holding it.
    let mut located = Vec::new();
    for (xi, x) in out.exchanges.iter().enumerate() {
        let from_client = x.request.iter().map(|m| (true, m));
        let from_server = x.interim.iter().chain(&x.response).map(|m| (false, m));
        for (client, m) in from_client.chain(from_server) {
            for e in &m.errors {
                located.push(locate_in(xi, client, e.offset));
            }
        }
    }
    let before = out.errors.len();
    finish(&mut out, unattached, &|_, _| Location::Input);
    for (e, loc) in out
        .errors
        .get_mut(before..)
        .unwrap_or_default()
        .iter_mut()
        .zip(located)
    {
        e.location = loc;
    }
    out
}

/// Reads the sections' headers and blocks.
fn read_sections(input: &[u8], lines: &Lines, out: &mut Import) -> Vec<Section> {
    let ranges: Vec<Range<usize>> = line_ranges(input).collect();
    let line_of = |i: usize| -> &[u8] {
        ranges
            .get(i)
            .and_then(|r| input.get(r.clone()))
            .unwrap_or_default()
    };
    let mut sections: Vec<Section> = Vec::new();
    let mut i = 0;
    let mut current: Option<Section> = None;
    let mut block = 0u64;
    while let Some(range) = ranges.get(i).cloned() {
        let line = line_of(i);
        i += 1;
        if let Some(mode) = line.strip_prefix(b"Follow: ") {
            sections.extend(current.take());
            let mode = match mode {
                b"tcp,ascii" | b"tls,ascii" => Mode::Ascii,
                b"tcp,raw" | b"tls,raw" => Mode::Raw,
                other => {
                    out.errors.push(ImportError {
                        location: Location::Line(i),
                        message: format!(
                            "Follow mode {:?} is not read (only ascii and raw); its section is \
                             skipped",
                            String::from_utf8_lossy(other)
                        ),
                    });
                    while ranges.get(i).is_some() && !is_separator(line_of(i)) {
                        i += 1;
                    }
                    let end = ranges.get(i).map_or(input.len(), |r| r.start);
                    out.summary.skipped_bytes += (end - range.start) as u64;
                    out.summary.records_unread += 1;
                    continue;
                }
            };
            current = Some(Section {
                mode,
                stream: None,
                nodes: [None, None],
                sides: [Side::default(), Side::default()],
            });
            continue;
        }
        if is_separator(line) || line.trim_ascii().is_empty() {
            continue;
        }
        let Some(section) = current.as_mut() else {
            skip_line(out, i, line, "outside any Follow section");
            continue;
        };
        if let Some(filter) = line.strip_prefix(b"Filter: ") {
            section.stream = std::str::from_utf8(filter)
                .ok()
                .and_then(|f| f.trim().strip_prefix("tcp.stream eq "))
                .and_then(|n| n.trim().parse().ok());
            continue;
        }
        if let Some(rest) = line.strip_prefix(b"Node ") {
            match rest {
                [n @ (b'0' | b'1'), b':', b' ', addr @ ..] => {
                    section.nodes[usize::from(n - b'0')] = parse_addr(addr);
                }
                _ => skip_line(out, i, line, "an unknown Node line"),
            }
            continue;
        }
        let (node, content) = match line.strip_prefix(b"\t") {
            Some(rest) => (1, rest),
            None => (0, line),
        };
        block += 1;
        out.summary.records += 1;
        let data = match section.mode {
            Mode::Ascii => {
                let data_start = ranges.get(i).map_or(input.len(), |r| r.start);
                read_ascii_block(input, content, data_start, lines, out).map(|data| {
                    // Resume at the line after the block's data and its line break.
                    let resume = data_start + data.len() + 1;
                    while ranges.get(i).is_some_and(|r| r.start < resume) {
                        i += 1;
                    }
                    (data.to_vec(), data_start, true)
                })
            }
            Mode::Raw => decode_hex(content).map(|data| (data, range.start, false)),
        };
        if let Some((data, at, literal)) = data {
            section.sides[node].push(data, block, at, literal);
        } else {
            out.summary.records_unread += 1;
            let why = match section.mode {
                Mode::Ascii => "not a byte-count line",
                Mode::Raw => "not a line of hex",
            };
            skip_line(out, i, line, why);
        }
    }
    sections.extend(current);
    sections
}

/// The bytes of an ascii block whose count line reads `count_line`, or `None` when it is not
/// a count.
fn read_ascii_block<'i>(
    input: &'i [u8],
    count_line: &[u8],
    data_start: usize,
    lines: &Lines,
    out: &mut Import,
) -> Option<&'i [u8]> {
    let count = std::str::from_utf8(count_line)
        .ok()
        .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|c| c.parse::<usize>().ok())?;
    let take = count.min(input.len().saturating_sub(data_start));
    if take < count {
        out.errors.push(ImportError {
            location: lines.at(data_start),
            message: format!("the block announces {count} bytes but the text ends after {take}"),
        });
    } else if !matches!(input.get(data_start + take), None | Some(b'\n')) {
        out.errors.push(ImportError {
            location: lines.at(data_start + take),
            message: format!(
                "the {count}-byte block is not followed by a line break: the text was changed \
                 after tshark wrote it (line endings converted?)"
            ),
        });
    }
    input.get(data_start..data_start + take)
}

/// Reads one section's two directions as HTTP and appends its exchanges.
fn section_exchanges(
    section: Section,
    lines: &Lines,
    out: &mut Import,
    unattached: &mut u64,
) -> (Side, Side) {
    let client_node = usize::from(
        !starts_with_request(&section.sides[0].half) && starts_with_request(&section.sides[1].half),
    );
    let [side0, side1] = section.sides;
    let (client_side, server_side) = if client_node == 0 {
        (side0, side1)
    } else {
        (side1, side0)
    };
    let client = section.nodes.get(client_node).copied().flatten();
    let server = section.nodes.get(1 - client_node).copied().flatten();
    let http = parse_halves(
        &ByteStream::from_half_stream(&client_side.half),
        &ByteStream::from_half_stream(&server_side.half),
        section.stream,
        client,
        server,
    );
    for (from_client, e) in &http.errors {
        let side = if *from_client {
            &client_side
        } else {
            &server_side
        };
        *unattached += 1;
        out.errors.push(ImportError {
            location: side
                .input_offset(e.offset)
                .map_or(Location::Input, |o| lines.at(o)),
            message: e.message.clone(),
        });
    }
    out.summary.skipped_bytes += http.skipped_bytes;
    out.exchanges
        .extend(http.exchanges.into_iter().map(|mut x| {
            // Block numbers, not frames.
            for m in x
                .request
                .iter_mut()
                .chain(x.interim.iter_mut())
                .chain(x.response.iter_mut())
            {
                m.frames = None;
            }
            x
        }));
    (client_side, server_side)
}

fn starts_with_request(half: &HalfStream) -> bool {
    half.items.iter().find_map(|i| match i {
        StreamItem::Data(c) if !c.data.is_empty() => {
            Some(crate::http::looks_like_request_line(&c.data))
        }
        _ => None,
    }) == Some(true)
}

fn skip_line(out: &mut Import, line_no: usize, line: &[u8], why: &str) {
    out.summary.skipped_bytes += line.len() as u64;
    out.errors.push(ImportError {
        location: Location::Line(line_no),
        message: format!(
            "skipped line ({why}): {:?}",
            String::from_utf8_lossy(&line[..line.len().min(60)])
        ),
    });
}

/// `ip:port`, `[v6]:port` or tshark's bare `v6:port`.
fn parse_addr(text: &[u8]) -> Option<SocketAddr> {
    let text = std::str::from_utf8(text).ok()?.trim();
    text.parse().ok().or_else(|| {
        let (ip, port) = text.rsplit_once(':')?;
        Some(SocketAddr::new(ip.parse().ok()?, port.parse().ok()?))
    })
}

pub(crate) fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    let text = text.trim_ascii();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2)
        .map(|pair| {
            let hi = char::from(*pair.first()?).to_digit(16)?;
            let lo = char::from(*pair.get(1)?).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}
