//! Raw SOAP: envelopes pasted one after another, or one bare CWMP body element.
//!
//! Each envelope becomes one message whose body is the envelope (with an `<?xml?>` declaration
//! right before it). Text has no HTTP heads, so the direction is guessed from the first element
//! of `Body`:
//!
//! - CPE→ACS, a synthetic `POST` request (empty target, no headers): Inform, TransferComplete,
//!   AutonomousTransferComplete, RequestDownload, Kicked, DUStateChangeComplete,
//!   AutonomousDUStateChangeComplete, and every other `…Response` (answers to ACS methods);
//! - ACS→CPE, a synthetic `200 OK` response: the responses to the CPE methods above
//!   (InformResponse, TransferCompleteResponse, …) and every other method;
//! - ambiguous (GetRPCMethods, GetRPCMethodsResponse, Fault, an empty Body): the opposite of the
//!   previous message, as a session alternates; GetRPCMethods first in the text is the CPE's.
//!
//! Pairing follows the session: a CPE message opens an exchange (its HTTP POST), the next ACS
//! message is its response. An ACS message with no open request becomes a response-only
//! exchange (the CPE's empty POST was not pasted).

use std::ops::Range;

use crate::http::{HttpExchange, HttpMessage, StartLine};
use crate::import::{Import, ImportError};

use super::{Lines, finish, synthetic_message};

/// Methods the CPE calls on the ACS.
const CPE_METHODS: [&str; 7] = [
    "Inform",
    "TransferComplete",
    "AutonomousTransferComplete",
    "RequestDownload",
    "Kicked",
    "DUStateChangeComplete",
    "AutonomousDUStateChangeComplete",
];

pub(crate) fn detect(text: &[u8]) -> bool {
    find_envelope(text, 0).is_some() || bare_element(text).is_some()
}

/// Start of the next `<prefix:Envelope` (or `<Envelope`) tag at or after `from`, with the prefix.
fn find_envelope(text: &[u8], from: usize) -> Option<(usize, &[u8])> {
    let mut pos = from;
    loop {
        let rel = text.get(pos..)?.windows(8).position(|w| w == b"Envelope")?;
        let at = pos + rel;
        pos = at + 8;
        if !text
            .get(pos)
            .is_some_and(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
        {
            continue;
        }
        // Walk back over the prefix to the '<'.
        let mut s = at;
        let colon = at.checked_sub(1).and_then(|i| text.get(i)) == Some(&b':');
        if colon {
            s -= 1;
            while s > 0 && text.get(s - 1).is_some_and(|&b| is_name_byte(b)) {
                s -= 1;
            }
        }
        if s > 0 && text.get(s - 1) == Some(&b'<') {
            let prefix = if colon {
                text.get(s..at - 1)?
            } else {
                &b""[..]
            };
            return Some((s - 1, prefix));
        }
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// A bare body element: text starting (after an optional XML declaration) with `<name`.
fn bare_element(text: &[u8]) -> Option<usize> {
    let t = text.trim_ascii_start();
    let lead = text.len() - t.len();
    let (t, lead) = if t.starts_with(b"<?") {
        let end = t.windows(2).position(|w| w == b"?>")? + 2;
        let rest = t.get(end..)?;
        let trimmed = rest.trim_ascii_start();
        (trimmed, lead + end + (rest.len() - trimmed.len()))
    } else {
        (t, lead)
    };
    (t.first() == Some(&b'<') && t.get(1).is_some_and(u8::is_ascii_alphabetic)).then_some(lead)
}

/// The local name of the first element after `<prefix:Body…>` in `envelope`.
fn body_method(envelope: &[u8], prefix: &[u8]) -> Option<String> {
    let mut tag = b"<".to_vec();
    if !prefix.is_empty() {
        tag.extend_from_slice(prefix);
        tag.push(b':');
    }
    tag.extend_from_slice(b"Body");
    let mut pos = envelope
        .windows(tag.len())
        .position(|w| w == tag.as_slice())?
        + tag.len();
    let gt = envelope.get(pos..)?.iter().position(|&b| b == b'>')?;
    if envelope.get(pos + gt - 1) == Some(&b'/') && gt > 0 {
        return None;
    }
    pos += gt + 1;
    first_element(envelope.get(pos..)?)
}

/// Local name of the first element in `xml`, skipping comments; `None` at a closing tag.
fn first_element(xml: &[u8]) -> Option<String> {
    let mut pos = 0;
    loop {
        let lt = xml.get(pos..)?.iter().position(|&b| b == b'<')?;
        pos += lt + 1;
        match xml.get(pos) {
            Some(b'!' | b'?') => {
                let end = xml.get(pos..)?.iter().position(|&b| b == b'>')?;
                pos += end;
            }
            Some(b'/') | None => return None,
            Some(_) => {
                let name: Vec<u8> = xml
                    .get(pos..)?
                    .iter()
                    .copied()
                    .take_while(|&b| is_name_byte(b) || b == b':')
                    .collect();
                let local = name.rsplit(|&b| b == b':').next().unwrap_or(&name);
                return Some(String::from_utf8_lossy(local).into_owned());
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    CpeToAcs,
    AcsToCpe,
}

/// The direction of a message, from its method and the previous message's direction.
fn direction(method: Option<&str>, previous: Option<Direction>) -> Direction {
    let opposite = match previous {
        Some(Direction::CpeToAcs) => Direction::AcsToCpe,
        Some(Direction::AcsToCpe) | None => Direction::CpeToAcs,
    };
    let Some(method) = method else {
        return opposite;
    };
    if matches!(method, "GetRPCMethods" | "GetRPCMethodsResponse" | "Fault") {
        return opposite;
    }
    if CPE_METHODS.contains(&method) {
        return Direction::CpeToAcs;
    }
    if let Some(called) = method.strip_suffix("Response") {
        return if CPE_METHODS.contains(&called) {
            Direction::AcsToCpe
        } else {
            Direction::CpeToAcs
        };
    }
    Direction::AcsToCpe
}

pub(crate) fn import(input: &[u8]) -> Import {
    let lines = Lines::new(input);
    let mut out = Import::default();
    // (range, method) of each document.
    let mut docs: Vec<(Range<usize>, Option<String>)> = Vec::new();
    let mut pos = 0;
    while let Some((start, prefix)) = find_envelope(input, pos) {
        let mut closing = b"</".to_vec();
        if !prefix.is_empty() {
            closing.extend_from_slice(prefix);
            closing.push(b':');
        }
        closing.extend_from_slice(b"Envelope");
        let end = input
            .get(start..)
            .and_then(|rest| {
                rest.windows(closing.len())
                    .position(|w| w == closing.as_slice())
            })
            .and_then(|rel| {
                let after = start + rel + closing.len();
                input
                    .get(after..)?
                    .iter()
                    .position(|&b| b == b'>')
                    .map(|gt| after + gt + 1)
            });
        let doc_start = xml_declaration_before(input, pos, start);
        skipped(&mut out, &lines, input, pos, doc_start);
        out.summary.records += 1;
        let end = end.unwrap_or_else(|| {
            out.errors.push(ImportError {
                location: lines.at(start),
                message: format!(
                    "the envelope is not closed (no {}>); it is taken to the end of the text",
                    String::from_utf8_lossy(&closing)
                ),
            });
            input.len()
        });
        let method = input
            .get(start..end)
            .and_then(|env| body_method(env, prefix));
        docs.push((doc_start..end, method));
        pos = end;
    }
    if docs.is_empty()
        && let Some(lead) = bare_element(input)
    {
        let end = input.trim_ascii_end().len();
        out.summary.records += 1;
        let method = input.get(lead..).and_then(first_element);
        docs.push((lead..end.max(lead), method));
        pos = input.len();
    }
    skipped(&mut out, &lines, input, pos, input.len());
    out.exchanges = pair_session(input, docs);
    finish(&mut out, 0, &|_, e| {
        lines.at(usize::try_from(e.offset).unwrap_or(usize::MAX))
    });
    out
}

/// Makes messages of the documents and pairs them as a session alternates.
fn pair_session(input: &[u8], docs: Vec<(Range<usize>, Option<String>)>) -> Vec<HttpExchange> {
    let mut previous = None;
    let mut exchanges: Vec<HttpExchange> = Vec::new();
    for (range, method) in docs {
        let dir = direction(method.as_deref(), previous);
        previous = Some(dir);
        let start = match dir {
            Direction::CpeToAcs => StartLine::Request {
                method: "POST".into(),
                target: String::new(),
                minor_version: 1,
            },
            Direction::AcsToCpe => StartLine::Response {
                minor_version: 1,
                status: 200,
                reason: "OK".into(),
            },
        };
        let body = input.get(range.clone()).unwrap_or_default().to_vec();
        let mut m: HttpMessage = synthetic_message(start, Vec::new(), body, None);
        m.stream_range = range.start as u64..range.end as u64;
        m.spans = vec![range];
        match dir {
            Direction::CpeToAcs => exchanges.push(HttpExchange {
                stream: None,
                client: None,
                server: None,
                request: Some(m),
                interim: Vec::new(),
                response: None,
            }),
            Direction::AcsToCpe => match exchanges.last_mut() {
                Some(x) if x.response.is_none() => x.response = Some(m),
                _ => exchanges.push(HttpExchange {
                    stream: None,
                    client: None,
                    server: None,
                    request: None,
                    interim: Vec::new(),
                    response: Some(m),
                }),
            },
        }
    }
    exchanges
}

/// Where the document starting at `start` begins: at an `<?xml …?>` declaration right before it.
fn xml_declaration_before(input: &[u8], from: usize, start: usize) -> usize {
    let Some(before) = input.get(from..start) else {
        return start;
    };
    let trimmed = before.trim_ascii_end();
    if !trimmed.ends_with(b"?>") {
        return start;
    }
    trimmed
        .windows(5)
        .rposition(|w| w == b"<?xml")
        .map_or(start, |p| from + p)
}

/// Reports text between documents that is not whitespace.
fn skipped(out: &mut Import, lines: &Lines, input: &[u8], from: usize, to: usize) {
    let Some(gap) = input.get(from..to) else {
        return;
    };
    if gap.trim_ascii().is_empty() {
        return;
    }
    let lead = gap.len() - gap.trim_ascii_start().len();
    let n = gap.trim_ascii().len();
    out.summary.skipped_bytes += n as u64;
    out.errors.push(ImportError {
        location: lines.at(from + lead),
        message: format!("skipped {n} bytes that are not part of a SOAP envelope"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions() {
        assert!(direction(Some("Inform"), None) == Direction::CpeToAcs);
        assert!(direction(Some("InformResponse"), None) == Direction::AcsToCpe);
        assert!(direction(Some("GetParameterValues"), None) == Direction::AcsToCpe);
        assert!(direction(Some("GetParameterValuesResponse"), None) == Direction::CpeToAcs);
        assert!(direction(Some("GetRPCMethods"), None) == Direction::CpeToAcs);
        assert!(direction(Some("GetRPCMethods"), Some(Direction::CpeToAcs)) == Direction::AcsToCpe);
        assert!(direction(Some("Fault"), Some(Direction::AcsToCpe)) == Direction::CpeToAcs);
    }

    #[test]
    fn method_names() {
        let env = b"<s:Envelope><s:Header/><s:Body><!-- x --><cwmp:Inform>";
        assert_eq!(body_method(env, b"s").as_deref(), Some("Inform"));
        assert_eq!(body_method(b"<Envelope><Body/></Envelope>", b""), None);
        assert_eq!(body_method(b"<e:Envelope><e:Body></e:Body>", b"e"), None);
    }
}
