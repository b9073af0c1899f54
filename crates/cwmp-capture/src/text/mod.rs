//! Text and structured imports: what an engineer pastes or exports instead of a capture.
//!
//! [`detect_text`] recognises the format; [`import_text`](crate::import_text) dispatches to one
//! importer per format. Every importer yields the same [`HttpExchange`] model as captures and
//! accounts for every part of the input it did not understand, as a located [`ImportError`] and
//! in [`ImportSummary::records_unread`](crate::ImportSummary) or `skipped_bytes`.

mod follow;
mod genieacs;
mod har;
mod hexdump;
mod http_text;
mod json;
mod soap;

use std::fmt;
use std::ops::Range;

use crate::frames::Timestamp;
use crate::http::{HeaderField, HttpError, HttpExchange, HttpMessage, StartLine};
use crate::import::{Import, ImportError, Location};

/// The text format of an input, as recognised by [`detect_text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextFormat {
    /// Wireshark/tshark "Follow TCP Stream" output (`-z follow,tcp,ascii|raw,N`).
    FollowTcp,
    /// A HAR 1.2 export (`{"log": {"entries": [...]}}`).
    Har,
    /// A `GenieACS` `DEBUG_FILE` in JSON form: one record per line.
    GenieAcsJson,
    /// A `GenieACS` `DEBUG_FILE` in YAML form: `---` then one record per document.
    GenieAcsYaml,
    /// The 2012 `GenieACS` test format: `[{request headers}, "body"]`.
    GenieAcs2012,
    /// HTTP/1.x messages as text.
    HttpText,
    /// Hex dumps of packets (od/text2pcap, Wireshark "Copy as Hex Dump", `tcpdump -x`/`-xx`).
    HexDump,
    /// SOAP envelopes or a bare CWMP body element.
    Soap,
    /// None of the above.
    Unknown,
}

impl fmt::Display for TextFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::FollowTcp => "Follow TCP Stream",
            Self::Har => "HAR",
            Self::GenieAcsJson => "GenieACS debug log (JSON)",
            Self::GenieAcsYaml => "GenieACS debug log (YAML)",
            Self::GenieAcs2012 => "GenieACS 2012 test session",
            Self::HttpText => "HTTP text",
            Self::HexDump => "hex dump",
            Self::Soap => "SOAP",
            Self::Unknown => "unknown",
        })
    }
}

/// Recognises the text format of `input`.
///
/// The order matters: formats with an unmistakable header (Follow TCP Stream, JSON shapes,
/// `GenieACS` YAML) come first; an HTTP start line on the first line beats hex dumps and SOAP
/// because transcripts carry SOAP bodies; a hex dump beats SOAP; then SOAP anywhere, then an
/// HTTP start line anywhere (a transcript with a preamble).
pub fn detect_text(input: &[u8]) -> TextFormat {
    let text = trim_start(input);
    if follow::detect(text) {
        return TextFormat::FollowTcp;
    }
    if matches!(text.first(), Some(b'{' | b'[')) {
        return json::detect(text);
    }
    if genieacs::detect_yaml(text) {
        return TextFormat::GenieAcsYaml;
    }
    if http_text::starts_with_start_line(text) {
        return TextFormat::HttpText;
    }
    if hexdump::detect(text) {
        return TextFormat::HexDump;
    }
    if http_text::has_start_line(text) {
        return TextFormat::HttpText;
    }
    if soap::detect(text) {
        return TextFormat::Soap;
    }
    TextFormat::Unknown
}

/// Imports a text input of any format [`detect_text`] recognises.
pub(crate) fn import(input: &[u8]) -> Import {
    let mut out = match detect_text(input) {
        TextFormat::FollowTcp => follow::import(input),
        TextFormat::Har => har::import(input),
        TextFormat::GenieAcsJson => genieacs::import_json_lines(input),
        TextFormat::GenieAcsYaml => genieacs::import_yaml(input),
        TextFormat::GenieAcs2012 => genieacs::import_2012(input),
        TextFormat::HttpText => http_text::import(input),
        TextFormat::HexDump => hexdump::import(input),
        TextFormat::Soap => soap::import(input),
        TextFormat::Unknown => unknown(input),
    };
    out.summary.input_bytes = input.len() as u64;
    out
}

fn unknown(input: &[u8]) -> Import {
    let mut out = Import::default();
    if !input.trim_ascii().is_empty() {
        out.summary.skipped_bytes = input.len() as u64;
        out.summary.records_unread = 1;
        out.errors.push(ImportError {
            location: Location::Line(1),
            message: format!(
                "the text ({} bytes) is in no known format: not HTTP, SOAP, a hex dump, \
                 Follow TCP Stream, HAR or a GenieACS log",
                input.len()
            ),
        });
    }
    out
}

/// `input` without a UTF-8 byte-order mark and leading whitespace.
fn trim_start(input: &[u8]) -> &[u8] {
    input
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(input)
        .trim_ascii_start()
}

/// Maps byte offsets of a text to 1-based line numbers.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(input: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            input
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    pub(crate) fn at(&self, offset: usize) -> Location {
        Location::Line(self.line(offset))
    }
}

/// Lines of `input` with their byte range (without the line break).
pub(crate) fn line_ranges(input: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= input.len() {
            return None;
        }
        let start = pos;
        let end = input
            .get(pos..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
            .map_or(input.len(), |n| pos + n);
        pos = end + 1;
        let trimmed = if end > start && input.get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        Some(start..trimmed)
    })
}

/// A message built from structured data (HAR, logs, SOAP), not parsed from wire bytes.
pub(crate) fn synthetic_message(
    start: StartLine,
    headers: Vec<HeaderField>,
    body: Vec<u8>,
    time: Option<Timestamp>,
) -> HttpMessage {
    HttpMessage::synthetic(start, headers, body, time)
}

/// Counts messages and exchanges, and lists each message error once in `errors`, located by
/// `locate` (from whether the message is the client's, and the error's offset).
pub(crate) fn finish(
    out: &mut Import,
    unattached_errors: u64,
    locate: &dyn Fn(bool, &HttpError) -> Location,
) {
    let mut http_errors = unattached_errors;
    let mut located = Vec::new();
    for x in &out.exchanges {
        let from_client = x.request.iter().map(|m| (true, m));
        let from_server = x.interim.iter().chain(&x.response).map(|m| (false, m));
        for (client, m) in from_client.chain(from_server) {
            out.summary.http_messages += 1;
            for e in &m.errors {
                http_errors += 1;
                located.push(ImportError {
                    location: locate(client, e),
                    message: format!("{}: {}", first_line(m), e.message),
                });
            }
        }
    }
    out.summary.http_exchanges = out.exchanges.len() as u64;
    out.summary.http_errors = http_errors;
    out.errors.extend(located);
}

fn first_line(m: &HttpMessage) -> String {
    match &m.start {
        StartLine::Request { method, target, .. } => format!("{method} {target}"),
        StartLine::Response { status, reason, .. } => format!("HTTP {status} {reason}"),
    }
}

/// Groups messages read in order from a transcript into exchanges: a request opens an exchange,
/// responses answer the open requests in order (pipelining included).
pub(crate) fn pair_in_order(messages: Vec<HttpMessage>) -> Vec<HttpExchange> {
    let (mut requests, mut responses) = (Vec::new(), Vec::new());
    let mut exchanges = Vec::new();
    for m in messages {
        if m.method().is_some() {
            if !responses.is_empty() {
                exchanges.extend(crate::http::pair(
                    std::mem::take(&mut requests),
                    std::mem::take(&mut responses),
                ));
            }
            requests.push(m);
        } else {
            responses.push(m);
        }
    }
    exchanges.extend(crate::http::pair(requests, responses));
    exchanges
}

/// Parses an RFC 3339 date-time (`2024-05-01T12:00:00.123+02:00`, `Z`, a space or `t` as the
/// separator, up to nanosecond fractions) into a [`Timestamp`].
pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    let b = text.trim().as_bytes();
    let num = |r: Range<usize>| -> Option<i64> {
        let digits = b.get(r)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0i64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
        })
    };
    let year = num(0..4)?;
    let month = num(5..7)?;
    let day = num(8..10)?;
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let hour = num(11..13)?;
    let minute = num(14..16)?;
    let second = num(17..19)?;
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut pos = 19;
    let mut nanos = 0i64;
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            if pos - start < 9 {
                nanos = nanos * 10 + i64::from(b[pos] - b'0');
            }
            pos += 1;
        }
        if pos == start {
            return None;
        }
        for _ in (pos - start)..9 {
            nanos *= 10;
        }
    }
    let offset = match b.get(pos..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), ..] if b.len() == pos + 6 && b.get(pos + 3) == Some(&b':') => {
            let h = num(pos + 1..pos + 3)?;
            let m = num(pos + 4..pos + 6)?;
            if h > 23 || m > 59 {
                return None;
            }
            let s = (h * 60 + m) * 60;
            if *sign == b'-' { -s } else { s }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    secs.checked_mul(1_000_000_000)?
        .checked_add(nanos)
        .map(Timestamp)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Decodes standard base64 (with or without padding, whitespace ignored).
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    let mut padding = false;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padding = true;
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        if padding {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(Timestamp(0)));
        assert_eq!(
            parse_rfc3339("2024-02-29T12:34:56.789Z"),
            Some(Timestamp(1_709_210_096_789_000_000))
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T14:34:56.789+02:00"),
            parse_rfc3339("2024-02-29T12:34:56.789Z")
        );
        assert_eq!(
            parse_rfc3339("1969-12-31T23:59:59.000000001-00:00"),
            Some(Timestamp(-999_999_999))
        );
        assert_eq!(
            parse_rfc3339("2022-04-25 11:11:42.1234567891Z"),
            Some(Timestamp(1_650_885_102_123_456_789))
        );
        for bad in [
            "",
            "2023-02-29T00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-13-01T00:00:00Z",
            "x",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode(""), Some(Vec::new()));
        assert_eq!(base64_decode("a*"), None);
    }

    #[test]
    fn lines() {
        let l = Lines::new(b"a\nbc\n\nd");
        assert_eq!(l.line(0), 1);
        assert_eq!(l.line(2), 2);
        assert_eq!(l.line(5), 3);
        assert_eq!(l.line(6), 4);
        let r: Vec<_> = line_ranges(b"a\r\nbc\n\nd").collect();
        assert_eq!(r, vec![0..1, 3..5, 6..6, 7..8]);
    }

    #[test]
    fn detection() {
        let cases: [(&[u8], TextFormat); 14] = [
            (b"POST /acs HTTP/1.1\nHost: a\n\n", TextFormat::HttpText),
            (b"\n===================================================================\nFollow: tcp,ascii\nFilter: tcp.stream eq 0\n", TextFormat::FollowTcp),
            (b"{\"log\":{\"version\":\"1.2\",\"entries\":[]}}", TextFormat::Har),
            (b"{\"log\":{\"entries\":[{\"req", TextFormat::Har),
            (b"{\"event\":\"incoming HTTP request\",\"timestamp\":\"x\"}\n", TextFormat::GenieAcsJson),
            (b"---\nevent: incoming HTTP request\ntimestamp: 2020-01-01T00:00:00.000Z\n", TextFormat::GenieAcsYaml),
            (b"[{\"host\":\"a\"},\"<x/>\"]", TextFormat::GenieAcs2012),
            (b"0000  00 11 22 33 44 55 66 77 88 99 aa bb 08 00 45 00  ..\"3DUfw......E.\n", TextFormat::HexDump),
            (b"12:00:00.000000 IP 1.2.3.4.1 > 5.6.7.8.2: Flags [S]\n\t0x0000:  4500 003c 0000 4000 4006 0000 0102 0304\n", TextFormat::HexDump),
            (b"<?xml version=\"1.0\"?>\n<soap:Envelope xmlns:soap=\"x\"><soap:Body/></soap:Envelope>", TextFormat::Soap),
            (b"<cwmp:Inform><DeviceId/></cwmp:Inform>", TextFormat::Soap),
            (b"Request:\nPOST /acs HTTP/1.1\nContent-Length: 0\n\n", TextFormat::HttpText),
            (b"hello", TextFormat::Unknown),
            (b"", TextFormat::Unknown),
        ];
        for (input, want) in cases {
            assert_eq!(
                detect_text(input),
                want,
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }
}
