//! Small text helpers: times, short RPC names, labels, meanings, and the XML indenter.

use cwmp_codec::reference::{EventCode, classify_fault, fault_info};
use cwmp_session::{Message, MessageKind, Severity};

/// The time of day of an RFC 3339 UTC time, to the millisecond: `16:11:42.630`.
pub fn clock(time: &str) -> &str {
    let Some((_, rest)) = time.split_once('T') else {
        return time;
    };
    let rest = rest.trim_end_matches('Z');
    rest.get(..12).unwrap_or(rest)
}

/// The date of an RFC 3339 time: `2022-04-25`.
pub fn date(time: &str) -> &str {
    time.split_once('T').map_or(time, |(day, _)| day)
}

/// Seconds from `start` to `time` (both in ns), as the ladder's gutter shows them: `+0.082`.
#[allow(
    clippy::cast_precision_loss,
    reason = "offsets are shown to the millisecond"
)]
pub fn offset(start_ns: i64, time_ns: i64) -> String {
    let seconds = (time_ns - start_ns) as f64 / 1e9;
    format!("+{seconds:.3}")
}

/// `text` lower-cased as [`str::to_lowercase`] would: non-ASCII text goes through the browser's
/// `toLowerCase`, so the page carries no copy of Unicode's case tables (~4 KB of its budget).
pub fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// The short form of an RPC name for session rows, as engineers abbreviate them.
pub fn short_rpc(rpc: &str) -> &str {
    match rpc {
        "GetParameterValues" => "GPV",
        "SetParameterValues" => "SPV",
        "GetParameterNames" => "GPN",
        "GetParameterAttributes" => "GPA",
        "SetParameterAttributes" => "SPA",
        "GetRPCMethods" => "GetRPC",
        "TransferComplete" => "TC",
        "AutonomousTransferComplete" => "ATC",
        "DUStateChangeComplete" => "DUSCC",
        "AutonomousDUStateChangeComplete" => "ADUSCC",
        "GetQueuedTransfers" | "GetAllQueuedTransfers" => "GQT",
        other => other,
    }
}

/// The requests of a session in short form, consecutive repeats folded: `Inform · GPV ×3 · SPV`.
pub fn rpc_outline(messages: &[Message]) -> String {
    let mut parts: Vec<(&str, usize)> = Vec::new();
    for message in messages.iter().filter(|m| m.kind == MessageKind::Request) {
        let name = short_rpc(&message.rpc);
        match parts.last_mut() {
            Some((last, count)) if *last == name => *count += 1,
            _ => parts.push((name, 1)),
        }
    }
    parts
        .iter()
        .map(|(name, count)| {
            if *count > 1 {
                format!("{name} ×{count}")
            } else {
                (*name).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The key argument of a message, for its arrow: parameter count, fault code, or what an empty
/// message means.
pub fn key_argument(message: &Message) -> Option<String> {
    let summary = &message.summary;
    if let Some(code) = summary.fault_code {
        return Some(match fault_name(code) {
            Some(name) => format!("{code} {name}"),
            None => format!("fault {code}"),
        });
    }
    if let Some(argument) = &summary.argument {
        return Some(argument.clone());
    }
    if let Some(challenge) = &summary.challenge {
        // The arrow names the scheme; its realm and qop go under it ([`arrow_detail`]).
        return Some(challenge.split(' ').next().unwrap_or_default().to_owned());
    }
    if let Some(count) = summary.parameters {
        return Some(if count == 1 {
            "1 param".to_owned()
        } else {
            format!("{count} params")
        });
    }
    if let Some(first) = summary.events.first() {
        let more = summary.events.len() - 1;
        return Some(if more > 0 {
            format!("{first} +{more}")
        } else {
            first.clone()
        });
    }
    None
}

/// The longest arrow label, in characters.
const LABEL_MAX: usize = 44;

/// The label of a message's arrow: the RPC and its key argument. An HTTP refusal reads as
/// what it is: `401 Unauthorized · Digest realm="acs" qop="auth"`.
pub fn arrow_label(message: &Message) -> String {
    let refusal = refusal(message);
    let name = match (&refusal, message.kind) {
        (Some(status), _) => status.as_str(),
        (None, MessageKind::Empty) => "(empty)",
        (None, MessageKind::Other) => "not CWMP",
        (None, _) => message.rpc.as_str(),
    };
    let Some(argument) = key_argument(message) else {
        return cut_end(name.to_owned());
    };
    // The label sits between the lifelines: about 44 characters fit. A path keeps its end, where
    // it says what it is.
    let room = LABEL_MAX.saturating_sub(name.chars().count() + 3);
    let argument_chars = argument.chars().count();
    if message.summary.argument.as_ref() == Some(&argument) && argument_chars > room && room > 8 {
        let tail: String = argument.chars().skip(argument_chars - (room - 1)).collect();
        return format!("{name} · …{tail}");
    }
    cut_end(format!("{name} · {argument}"))
}

/// `label`, cut to [`LABEL_MAX`] characters with an ellipsis.
fn cut_end(label: String) -> String {
    if label.chars().count() > LABEL_MAX {
        let mut cut: String = label.chars().take(LABEL_MAX - 1).collect();
        cut.truncate(cut.trim_end().len());
        cut.push('…');
        cut
    } else {
        label
    }
}

/// An ACS answer refusing the POST at the HTTP level, as `401 Unauthorized`; `None` otherwise
/// (CWMP answers travel with 200, and a SOAP Fault may come with 500).
pub fn refusal(message: &Message) -> Option<String> {
    let status = message.http_status.filter(|&s| s >= 300)?;
    if matches!(
        message.kind,
        MessageKind::Request | MessageKind::Response | MessageKind::Fault
    ) {
        return None;
    }
    Some(match status {
        401 => "401 Unauthorized".to_owned(),
        status => format!("HTTP {status}"),
    })
}

/// The text under an arrow: the HTTP part ([`http_label`]), or for a refusal with a challenge,
/// which already names its status above, the challenge's realm and qop.
pub fn arrow_detail(message: &Message) -> String {
    match (&message.summary.challenge, refusal(message)) {
        (Some(challenge), Some(_)) => challenge
            .split_once(' ')
            .map_or_else(String::new, |(_, rest)| rest.to_owned()),
        _ => http_label(message),
    }
}

/// The HTTP part of a message: `POST` for the CPE's requests, the status for the ACS's answers.
pub fn http_label(message: &Message) -> String {
    match (message.http_status, &message.http_method) {
        (Some(status), _) => status.to_string(),
        (None, Some(method)) => method.clone(),
        (None, None) => String::new(),
    }
}

/// What an event code means, in a sentence.
pub fn event_meaning(code: &str) -> String {
    EventCode::parse(code).meaning()
}

/// The short name of a standard fault code (`Invalid parameter name`), or of its range
/// (`vendor fault`).
pub fn fault_name(code: u32) -> Option<&'static str> {
    if let Some(info) = fault_info(code) {
        return Some(info.name);
    }
    match code {
        8800..=8899 | 9800..=9899 => Some("vendor fault"),
        _ => None,
    }
}

/// A fault badge: the code and its short name, `✖ 9005 Invalid parameter name`.
pub fn fault_badge(code: u32) -> String {
    match fault_name(code) {
        Some(name) => format!("✖ {code} {name}"),
        None => format!("✖ fault {code}"),
    }
}

/// What a fault code means, in a sentence.
pub fn fault_meaning(code: u32) -> String {
    classify_fault(code).meaning()
}

/// The icon shown with a severity, so that it reads without colour.
pub fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✖",
        Severity::Warning => "▲",
        Severity::Info => "ℹ",
    }
}

/// `1 param` / `2 params`: a count with its noun, plural when needed.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    let noun = if n == 1 { singular } else { plural };
    format!("{n} {noun}")
}

/// Indents XML for reading: one element per line, text kept on its element's line. Whitespace
/// between tags is dropped; everything else is kept as written (this is for display only and
/// never parsed again). Malformed input still comes out, just less tidy.
pub fn pretty_xml(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + xml.len() / 4);
    for line in pretty_xml_lines(xml) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line.indent());
        for piece in &line.pieces {
            out.push_str(piece);
        }
    }
    out
}

/// One line of [`pretty_xml`]: its pieces (tags and text, trimmed) and the bytes of the input
/// they came from, so that a decoded node's span can be found on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlLine<'a> {
    /// Nesting depth.
    pub depth: usize,
    /// Tags (starting with `<`) and text, in order.
    pub pieces: Vec<&'a str>,
    /// Offset of the line's first byte in the input.
    pub start: usize,
    /// Offset one past the line's last byte in the input.
    pub end: usize,
}

impl XmlLine<'_> {
    /// The indentation to show before the line (capped, for pathological nesting).
    pub fn indent(&self) -> String {
        "  ".repeat(self.depth.min(40))
    }

    /// Whether the line shows any byte of `start..end`.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end.max(start + 1) && start < self.end
    }
}

/// [`pretty_xml`] as lines, each with where it came from.
pub fn pretty_xml_lines(xml: &str) -> Vec<XmlLine<'_>> {
    let tokens = tokenize(xml);
    let mut lines = Vec::new();
    let mut depth = 0_usize;
    let mut index = 0;
    while index < tokens.len() {
        let (offset, token) = tokens[index];
        let mut pieces = vec![token.trim()];
        let mut end = offset + token.len();
        let line_depth;
        match classify(token) {
            Token::Open => {
                // `<a>text</a>` and `<a></a>` stay on one line.
                let inline = match (tokens.get(index + 1), tokens.get(index + 2)) {
                    (Some(next), _) if classify(next.1) == Token::Close => Some(1),
                    (Some(text), Some(close))
                        if classify(text.1) == Token::Text && classify(close.1) == Token::Close =>
                    {
                        Some(2)
                    }
                    _ => None,
                };
                line_depth = depth;
                if let Some(extra) = inline {
                    for &(at, piece) in &tokens[index + 1..=index + extra] {
                        pieces.push(piece.trim());
                        end = at + piece.len();
                    }
                    index += extra;
                } else {
                    depth += 1;
                }
            }
            Token::Close => {
                depth = depth.saturating_sub(1);
                line_depth = depth;
            }
            Token::Other | Token::Text => line_depth = depth,
        }
        lines.push(XmlLine {
            depth: line_depth,
            pieces,
            start: offset,
            end,
        });
        index += 1;
    }
    lines
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    /// Self-closing elements, comments, processing instructions, CDATA, doctype.
    Other,
    Text,
}

fn classify(token: &str) -> Token {
    if !token.starts_with('<') {
        Token::Text
    } else if token.starts_with("</") {
        Token::Close
    } else if token.starts_with("<?") || token.starts_with("<!") || token.ends_with("/>") {
        Token::Other
    } else {
        Token::Open
    }
}

/// Splits XML into tags (comments, CDATA and PIs whole; quotes respected) and non-blank text,
/// each with its offset in `xml`.
fn tokenize(xml: &str) -> Vec<(usize, &str)> {
    let mut tokens = Vec::new();
    let mut rest = xml;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = if rest.starts_with("<!--") {
                rest.find("-->").map(|i| i + 3)
            } else if rest.starts_with("<![CDATA[") {
                rest.find("]]>").map(|i| i + 3)
            } else {
                tag_end(rest)
            };
            let end = end.unwrap_or(rest.len());
            tokens.push((xml.len() - rest.len(), &rest[..end]));
            rest = &rest[end..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if !text.trim().is_empty() {
                tokens.push((xml.len() - rest.len(), text));
            }
            rest = &rest[end..];
        }
    }
    tokens
}

/// The end of a tag (just past its `>`), skipping `>` inside quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}
