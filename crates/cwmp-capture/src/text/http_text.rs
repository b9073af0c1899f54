//! HTTP transcripts: messages of both directions as text, CRLF or LF line endings.
//!
//! The text is cut at every line that is a complete HTTP/1.x start line (`METHOD target
//! HTTP/1.x` or `HTTP/1.x NNN`), and each piece is read alone. Cutting first is what makes pasted
//! text work: an editor or a log that turned CRLF into LF makes each body shorter than its
//! `Content-Length`, and reading by length would swallow the next message's head. When the
//! length disagrees with the body present, the body is taken up to the next start line and the
//! difference is reported.

use crate::http::{
    BodyFraming, ByteStream, HttpError, HttpErrorKind, HttpMessage, ParsedStream, Role,
    looks_like_request_line, looks_like_status_line, parse_stream,
};
use crate::import::{Import, ImportError};

use super::{Lines, finish, line_ranges, pair_in_order};

pub(crate) use crate::sniff::is_start_line;

pub(crate) fn starts_with_start_line(text: &[u8]) -> bool {
    line_ranges(text)
        .next()
        .and_then(|r| text.get(r))
        .is_some_and(is_start_line)
}

pub(crate) fn has_start_line(text: &[u8]) -> bool {
    line_ranges(text).any(|r| text.get(r).is_some_and(is_start_line))
}

pub(crate) fn import(input: &[u8]) -> Import {
    let lines = Lines::new(input);
    let mut out = Import::default();
    let starts: Vec<usize> = line_ranges(input)
        .filter(|r| input.get(r.clone()).is_some_and(is_start_line))
        .map(|r| r.start)
        .collect();
    let first = starts.first().copied().unwrap_or(input.len());
    let preamble = input.get(..first).unwrap_or_default();
    if !preamble.trim_ascii().is_empty() {
        out.summary.skipped_bytes += first as u64;
        out.errors.push(ImportError {
            location: lines.at(0),
            message: format!("skipped {first} bytes before the first HTTP start line"),
        });
    }
    let mut messages = Vec::new();
    let mut unattached = 0;
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(input.len());
        let Some(piece) = input.get(start..end) else {
            continue;
        };
        let mut parsed = parse_stream(
            &ByteStream::from_pieces(start as u64, piece, start, None),
            Role::Any,
            &[],
        );
        if let Some(fixed) = parsed
            .messages
            .first()
            .and_then(|m| length_mismatch(m, piece, start))
        {
            parsed = fixed;
        }
        out.summary.skipped_bytes += parsed.skipped_bytes;
        let stream_errors = parsed.errors;
        // Each message is a record; a piece that yields none is one unread record.
        out.summary.records += parsed.messages.len().max(1) as u64;
        if parsed.messages.is_empty() {
            out.summary.records_unread += 1;
        }
        messages.extend(parsed.messages);
        for e in stream_errors {
            unattached += 1;
            out.errors.push(ImportError {
                location: lines.at(usize::try_from(e.offset).unwrap_or(usize::MAX)),
                message: e.message,
            });
        }
    }
    out.exchanges = pair_in_order(messages);
    finish(&mut out, unattached, &|_, e| {
        lines.at(usize::try_from(e.offset).unwrap_or(usize::MAX))
    });
    out
}

/// When `Content-Length` disagrees with the body present before the next start line, reads
/// the piece again with the body taken up to that line, and says why.
fn length_mismatch(m: &HttpMessage, piece: &[u8], start: usize) -> Option<ParsedStream> {
    let BodyFraming::ContentLength(announced) = m.framing else {
        return None;
    };
    let head_len = head_len(piece)?;
    let rest = piece.get(head_len..)?;
    // Blank lines between messages belong to no message.
    let present = rest.len()
        - rest
            .iter()
            .rev()
            .take_while(|&&b| matches!(b, b'\r' | b'\n'))
            .count();
    let present_body = rest.get(..present)?;
    let announced_usize = usize::try_from(announced).unwrap_or(usize::MAX);
    // The length is right when only line breaks follow, or the next message starts right there
    // (wire bytes pasted without a line break between messages).
    if let Some(after) = rest.get(announced_usize..) {
        let next = after.trim_ascii_start();
        if next.is_empty() || looks_like_request_line(next) || looks_like_status_line(next) {
            return None;
        }
    }
    let bare_lf = present_body
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' && (i == 0 || present_body.get(i - 1) != Some(&b'\r')))
        .count();
    let hint = if bare_lf > 0 && present + bare_lf == announced_usize {
        " (it matches once its LF line endings are counted as CRLF: the text's line endings \
         were converted)"
    } else {
        ""
    };
    // The head alone: the parser then reports only the missing body, which is replaced below.
    let mut parsed = parse_stream(
        &ByteStream::from_pieces(start as u64, piece.get(..head_len)?, start, None),
        Role::Any,
        &[],
    );
    let body_offset = start + head_len;
    let m = parsed.messages.first_mut()?;
    m.errors.retain(|e| e.kind != HttpErrorKind::Truncated);
    m.errors.push(HttpError {
        kind: HttpErrorKind::BadLength,
        offset: body_offset as u64,
        message: format!(
            "Content-Length announces {announced} bytes but {present} bytes of body come before \
             the next message{hint}; the body is taken up to the next start line"
        ),
    });
    m.body = present_body.to_vec();
    m.wire_body_len = present as u64;
    m.complete = false;
    m.stream_range = m.stream_range.start..(body_offset + present) as u64;
    let span = start..body_offset + present;
    m.spans = vec![span];
    Some(parsed)
}

/// Length of the head in `piece`, empty line included (CRLF or LF).
fn head_len(piece: &[u8]) -> Option<usize> {
    let mut pos = 0;
    loop {
        let nl = piece.get(pos..)?.iter().position(|&b| b == b'\n')?;
        let line = piece.get(pos..pos + nl)?;
        pos += nl + 1;
        if line.is_empty() || line == b"\r" {
            return Some(pos);
        }
    }
}
