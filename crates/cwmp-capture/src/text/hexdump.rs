//! Hex dumps of packets, rebuilt into an in-memory pcap and read like a capture.
//!
//! Lines read:
//!
//! - `0000  00 11 22 …  ascii` — od/`hexdump -C`/text2pcap input and Wireshark's "Copy as Hex
//!   Dump": a hex offset, then up to 16 two-digit bytes, then an optional text column;
//! - `\t0x0000:  4500 003c …` — `tcpdump -x`/`-xx`/`-X`/`-XX`: groups of four digits;
//! - tcpdump's summary line before each packet (`12:34:56.789012 IP …`, `-tttt`'s
//!   `2024-01-02 12:34:56.789012 …` or `-tt`'s `1650885102.123456 …`) gives its time.
//!
//! An offset of 0 starts a packet. Where the next line's offset says a line has fewer bytes
//! than read, the surplus was the text column and is dropped; where it has more, bytes are
//! missing and the packet is dropped, with an error. Packets whose bytes 12–13 are an Ethernet
//! type are Ethernet (`-xx`, Wireshark); otherwise they start at IP (`-x`). The link type of the
//! first packet is used for the whole dump.
//!
//! Times: tcpdump's default summary line has only the time of day, so such packets are dated
//! 1970-01-01; packets with no summary line get synthetic times 1 µs after the previous one.
//! Since the messages' byte spans would point into the synthetic pcap rather than the text,
//! they are cleared; `frames` are packet numbers in the dump (1-based).

use crate::import::{Import, ImportError, Location, import_capture};

use super::{Lines, days_from_civil, line_ranges};

/// What a line of the dump is.
enum Line {
    Data {
        offset: usize,
        bytes: Vec<u8>,
    },
    Time(Option<i64>),
    /// Wireshark's header of a data source: `Frame (74 bytes):` or a derived one such as
    /// `Reassembled TCP (3716 bytes):`, whose hex lines are not a frame.
    Source {
        frame: bool,
    },
    Blank,
    Other,
}

fn classify(line: &[u8]) -> Line {
    let trimmed = line.trim_ascii();
    if trimmed.is_empty() {
        return Line::Blank;
    }
    if trimmed.ends_with(b" bytes):") && trimmed.first().is_some_and(u8::is_ascii_alphabetic) {
        return Line::Source {
            frame: trimmed.starts_with(b"Frame ("),
        };
    }
    if let Some(rest) = trimmed.strip_prefix(b"0x") {
        // tcpdump: `0x0000:  4500 003c ...  text`
        let Some(colon) = rest.iter().position(|&b| b == b':') else {
            return Line::Other;
        };
        let Some(offset) = hex_number(rest.get(..colon).unwrap_or_default()) else {
            return Line::Other;
        };
        let body = rest.get(colon + 1..).unwrap_or_default().trim_ascii_start();
        let hex_part = body
            .windows(2)
            .position(|w| w == b"  ")
            .map_or(body, |p| body.get(..p).unwrap_or_default());
        let mut bytes = Vec::new();
        for group in hex_part
            .split(u8::is_ascii_whitespace)
            .filter(|g| !g.is_empty())
        {
            match super::follow::decode_hex(group) {
                Some(b) if matches!(group.len(), 2 | 4) => bytes.extend(b),
                _ => return Line::Other,
            }
        }
        return Line::Data { offset, bytes };
    }
    if line.first().is_some_and(u8::is_ascii_hexdigit) {
        let mut tokens = line
            .split(u8::is_ascii_whitespace)
            .filter(|t| !t.is_empty());
        let first = tokens.next().unwrap_or_default();
        let first = first.strip_suffix(b":").unwrap_or(first);
        if let Some(offset) = (first.len() >= 4 && first.iter().all(u8::is_ascii_hexdigit))
            .then(|| hex_number(first))
            .flatten()
        {
            let bytes: Vec<u8> = tokens
                .map_while(|t| {
                    if t.len() == 2 {
                        super::follow::decode_hex(t)?.first().copied()
                    } else {
                        None
                    }
                })
                .take(16)
                .collect();
            if !bytes.is_empty() {
                return Line::Data { offset, bytes };
            }
        }
        if let Some(t) = summary_time(trimmed) {
            return Line::Time(Some(t));
        }
    }
    Line::Other
}

fn hex_number(text: &[u8]) -> Option<usize> {
    usize::from_str_radix(std::str::from_utf8(text).ok()?, 16).ok()
}

/// The time at the start of a tcpdump summary line, in nanoseconds since the epoch.
fn summary_time(line: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(line).ok()?;
    let mut words = text.split_ascii_whitespace();
    let first = words.next()?;
    let (date, time) = if first.len() == 10 && first.as_bytes().get(4) == Some(&b'-') {
        (Some(first), words.next()?)
    } else {
        (None, first)
    };
    let (whole, frac) = time.split_once('.').unwrap_or((time, ""));
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
        return None;
    }
    let nanos: i64 = format!("{frac:0<9}").parse().ok()?;
    let secs = if whole.contains(':') {
        let mut hms = whole.split(':').map(|p| p.parse::<i64>().ok());
        let (Some(Some(hour)), Some(Some(minute)), Some(Some(second)), None) =
            (hms.next(), hms.next(), hms.next(), hms.next())
        else {
            return None;
        };
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let day = match date {
            Some(ymd_text) => {
                let mut ymd = ymd_text.split('-').map(|p| p.parse::<i64>().ok());
                let (Some(Some(y)), Some(Some(mo)), Some(Some(da))) =
                    (ymd.next(), ymd.next(), ymd.next())
                else {
                    return None;
                };
                days_from_civil(y, mo, da)
            }
            None => 0,
        };
        day * 86_400 + hour * 3600 + minute * 60 + second
    } else if date.is_none() && whole.len() >= 9 && !frac.is_empty() {
        whole.parse().ok()?
    } else {
        return None;
    };
    secs.checked_mul(1_000_000_000)?.checked_add(nanos)
}

pub(crate) fn detect(text: &[u8]) -> bool {
    let mut data = 0;
    let mut other = 0;
    for r in line_ranges(text).take(40) {
        match classify(text.get(r).unwrap_or_default()) {
            Line::Data { .. } => data += 1,
            Line::Other => other += 1,
            Line::Time(_) | Line::Blank | Line::Source { .. } => {}
        }
    }
    data > 0 && data >= other
}

/// A packet being rebuilt: its lines' offsets and bytes.
struct Packet {
    first_line: usize,
    time: Option<i64>,
    lines: Vec<(usize, usize, Vec<u8>)>,
}

pub(crate) fn import(input: &[u8]) -> Import {
    let lines = Lines::new(input);
    let mut errors = Vec::new();
    let mut skipped = 0u64;
    let mut packets: Vec<Packet> = Vec::new();
    let mut pending_time = None;
    // A derived data source being skipped: its header line and bytes.
    let mut derived: Option<(usize, u64)> = None;
    let end_derived =
        |derived: &mut Option<(usize, u64)>, errors: &mut Vec<ImportError>, skipped: &mut u64| {
            if let Some((line_no, n)) = derived.take() {
                *skipped += n;
                errors.push(ImportError {
                location: Location::Line(line_no),
                message: format!(
                    "skipped a derived data source ({n} bytes of text): Wireshark's reassembled \
                     or decoded bytes, not a frame; the frames are read instead"
                ),
            });
            }
        };
    for r in line_ranges(input) {
        let line_no = lines.line(r.start);
        let text = input.get(r.clone()).unwrap_or_default();
        let line = classify(text);
        if let Some((_, n)) = derived.as_mut() {
            if matches!(line, Line::Data { .. }) {
                *n += text.len() as u64 + 1;
                continue;
            }
            end_derived(&mut derived, &mut errors, &mut skipped);
        }
        match line {
            Line::Blank | Line::Source { frame: true } => {}
            Line::Source { frame: false } => derived = Some((line_no, text.len() as u64 + 1)),
            Line::Time(t) => pending_time = t,
            Line::Other => {
                skipped += text.len() as u64;
                errors.push(ImportError {
                    location: Location::Line(line_no),
                    message: format!(
                        "not a line of a hex dump: {:?}",
                        String::from_utf8_lossy(text.get(..text.len().min(60)).unwrap_or_default())
                    ),
                });
            }
            Line::Data { offset, bytes } => {
                if offset == 0 || packets.is_empty() {
                    packets.push(Packet {
                        first_line: line_no,
                        time: pending_time.take(),
                        lines: Vec::new(),
                    });
                }
                if let Some(p) = packets.last_mut() {
                    p.lines.push((line_no, offset, bytes));
                }
            }
        }
    }
    end_derived(&mut derived, &mut errors, &mut skipped);
    let mut frames: Vec<(i64, Vec<u8>)> = Vec::new();
    let mut unread = 0;
    let mut last_time = 0i64;
    for p in &packets {
        match assemble(p) {
            Ok(bytes) => {
                let t = p.time.unwrap_or(last_time + 1000);
                last_time = t;
                frames.push((t, bytes));
            }
            Err(e) => {
                unread += 1;
                errors.push(e);
            }
        }
    }
    let link_type = frames.first().map_or(1, |(_, f)| link_type(f));
    let mut out = import_capture(&write_pcap(link_type, &frames));
    for x in &mut out.exchanges {
        for m in x
            .request
            .iter_mut()
            .chain(&mut x.interim)
            .chain(&mut x.response)
        {
            m.spans.clear();
        }
    }
    out.summary.records = packets.len() as u64;
    out.summary.records_unread = unread;
    out.summary.skipped_bytes += skipped;
    out.errors.extend(errors);
    out
}

fn assemble(p: &Packet) -> Result<Vec<u8>, ImportError> {
    let mut bytes = Vec::new();
    for (i, (line_no, offset, data)) in p.lines.iter().enumerate() {
        if *offset != bytes.len() {
            return Err(ImportError {
                location: Location::Line(*line_no),
                message: format!(
                    "the packet starting at line {} is dropped: offset {offset:#x} where {:#x} \
                     was expected (a line is missing or damaged)",
                    p.first_line,
                    bytes.len()
                ),
            });
        }
        let room = p
            .lines
            .get(i + 1)
            .map_or(data.len(), |(_, next, _)| next.saturating_sub(*offset));
        bytes.extend_from_slice(data.get(..room.min(data.len())).unwrap_or_default());
    }
    Ok(bytes)
}

const ETHERTYPES: [[u8; 2]; 5] = [[8, 0], [0x86, 0xdd], [0x81, 0], [8, 6], [0x88, 0xa8]];

fn link_type(frame: &[u8]) -> u32 {
    let ether = frame
        .get(12..14)
        .is_some_and(|t| ETHERTYPES.iter().any(|e| e == t));
    if !ether && frame.first().is_some_and(|b| matches!(b >> 4, 4 | 6)) {
        101
    } else {
        1
    }
}

/// A classic little-endian pcap with nanosecond timestamps.
fn write_pcap(link_type: u32, frames: &[(i64, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_3c4d_u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&262_144u32.to_le_bytes());
    out.extend_from_slice(&link_type.to_le_bytes());
    for (t, data) in frames {
        let secs = u32::try_from(t.div_euclid(1_000_000_000)).unwrap_or(0);
        let nanos = u32::try_from(t.rem_euclid(1_000_000_000)).unwrap_or(0);
        let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&secs.to_le_bytes());
        out.extend_from_slice(&nanos.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(data);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert!(matches!(
            classify(b"\t0x0010:  0a00 0001 0a00  ..."),
            Line::Data { offset: 16, ref bytes } if bytes == &[10, 0, 0, 1, 10, 0]
        ));
        assert!(matches!(
            classify(b"0010   45 00 00 3c   E..<"),
            Line::Data { offset: 16, ref bytes } if bytes == &[0x45, 0, 0, 0x3c]
        ));
        assert!(matches!(
            classify(b"00:00:01.5 IP a > b"),
            Line::Time(Some(1_500_000_000))
        ));
        assert!(matches!(
            classify(b"1970-01-02 00:00:00.000001 IP a > b"),
            Line::Time(Some(86_400_000_001_000))
        ));
        assert!(matches!(classify(b"hello"), Line::Other));
    }
}
