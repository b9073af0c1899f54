//! TR-069 Annex G UDP connection requests.

/// An HTTP-formatted connection request received over UDP, as an ACS sends it to a CPE behind
/// NAT (TR-069 Annex G, "UDP Connection Request").
///
/// The request is a `GET` whose target carries the query parameters `ts`, `id`, `un`, `cn` and
/// `sig`. Values are percent-decoded; a parameter that is absent is `None` and is named in
/// [`problems`](Self::problems), as is anything else that departs from Annex G.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UdpConnectionRequest {
    /// The request target exactly as sent, for example
    /// `http://10.1.1.1:5060?ts=1120673700&id=1234&…`.
    pub target: String,
    /// The value of the `Host` header, if there is one.
    pub host: Option<String>,
    /// `ts`: the ACS's timestamp, in seconds since the Unix epoch, when it is a number.
    pub ts: Option<u64>,
    /// `id`: the message identifier, which the CPE uses to discard repeated datagrams.
    pub id: Option<String>,
    /// `un`: the connection request username configured on the CPE.
    pub username: Option<String>,
    /// `cn`: the cnonce chosen by the ACS.
    pub cnonce: Option<String>,
    /// `sig`: the HMAC-SHA1 signature, normally 40 hex digits (not verified here).
    pub signature: Option<String>,
    /// Human-readable departures from Annex G, in the order found; empty for a well-formed request.
    pub problems: Vec<String>,
}

/// Headers read at most; an Annex G request has one or two.
const MAX_HEADERS: usize = 32;

/// The query parameters Annex G defines, in the order the signature covers them, then `sig`.
const PARAMS: [&str; 5] = ["ts", "id", "un", "cn", "sig"];

impl UdpConnectionRequest {
    /// The text the signature covers: the values of `ts`, `id`, `un` and `cn` concatenated in that
    /// order (TR-069 Annex G), for an authentication debugger to compute
    /// HMAC-SHA1(password, text) and compare with [`signature`](Self::signature).
    ///
    /// The values are taken from [`target`](Self::target) as sent (percent-decoded, first
    /// occurrence), so a `ts` such as `0123` keeps its leading zero. `None` when one of the four
    /// is missing.
    pub fn signed_text(&self) -> Option<String> {
        let mut text = String::new();
        for name in &PARAMS[..4] {
            let (value, _) = query_value(&self.target, name)?;
            text.push_str(&value);
        }
        Some(text)
    }

    /// `target` with the value of every `sig` parameter of its query replaced by `replacement`
    /// (the rest as sent), so that a shared capture can hide the signature: with the values it
    /// covers, it allows an offline guess of the password.
    pub fn target_with_signature_replaced(target: &str, replacement: &str) -> String {
        let Some(query_start) = target.find('?').map(|q| q + 1) else {
            return target.to_owned();
        };
        let query_end = target[query_start..]
            .find('#')
            .map_or(target.len(), |f| query_start + f);
        let mut out = String::with_capacity(target.len());
        out.push_str(&target[..query_start]);
        for (n, pair) in target[query_start..query_end].split('&').enumerate() {
            if n > 0 {
                out.push('&');
            }
            match pair.split_once('=') {
                Some((key, _)) if decode(key).0 == PARAMS[4] => {
                    out.push_str(key);
                    out.push('=');
                    out.push_str(replacement);
                }
                _ => out.push_str(pair),
            }
        }
        out.push_str(&target[query_end..]);
        out
    }
}

/// Decodes a UDP payload as a TR-069 Annex G connection request.
///
/// Returns `None` when the payload is not an HTTP request at all (so that the caller can try
/// [`decode_stun`](crate::decode_stun) next). Anything that parses as an HTTP request line is
/// returned, with what does not match Annex G listed in
/// [`problems`](UdpConnectionRequest::problems).
pub fn decode_udp_connection_request(payload: &[u8]) -> Option<UdpConnectionRequest> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let mut problems = Vec::new();
    let complete = match request.parse(payload) {
        Ok(httparse::Status::Complete(used)) => {
            if used < payload.len() {
                problems.push(format!(
                    "{} bytes follow the headers; Annex G requests have no body",
                    payload.len() - used
                ));
            }
            true
        }
        Ok(httparse::Status::Partial) => {
            problems.push("the request is cut before the empty line that ends the headers".into());
            false
        }
        Err(httparse::Error::TooManyHeaders) => {
            problems.push(format!(
                "more than {MAX_HEADERS} headers; the rest were not read"
            ));
            false
        }
        Err(_) => return None,
    };
    let (Some(method), Some(target)) = (request.method, request.path) else {
        return None;
    };
    if method != "GET" {
        problems.push(format!("method is {method}, Annex G requires GET"));
    }
    if request.version == Some(0) {
        problems.push("request is HTTP/1.0, Annex G requires HTTP/1.1".into());
    }
    let host = request
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("host"))
        .map(|header| String::from_utf8_lossy(header.value).into_owned());
    if host.is_none() && complete {
        problems.push("missing Host header".into());
    }

    let mut found: [Option<String>; 5] = Default::default();
    for (slot, name) in found.iter_mut().zip(PARAMS) {
        *slot = read_param(target, name, &mut problems);
    }
    let [ts, id, username, cnonce, signature] = found;
    let ts = ts.and_then(|ts| match ts.parse::<u64>() {
        // `parse` accepts a leading `+`, which no ACS sends as part of a number.
        Ok(seconds) if ts.bytes().all(|b| b.is_ascii_digit()) => Some(seconds),
        _ => {
            if !ts.is_empty() {
                problems.push(format!("`ts` is not a number: {ts:?}"));
            }
            None
        }
    });
    if let Some(sig) = &signature
        && !sig.is_empty()
        && !(sig.len() == 40 && sig.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        problems.push(format!("`sig` is not 40 hex digits: {sig:?}"));
    }

    Some(UdpConnectionRequest {
        target: target.to_owned(),
        host,
        ts,
        id,
        username,
        cnonce,
        signature,
        problems,
    })
}

/// The first value of the parameter `name`, with its problems (missing, empty, repeated,
/// badly encoded) recorded.
fn read_param(target: &str, name: &str, problems: &mut Vec<String>) -> Option<String> {
    let Some((value, clean)) = query_value(target, name) else {
        problems.push(format!("missing `{name}`"));
        return None;
    };
    let count = query_pairs(target)
        .filter(|(key, _)| decode(key).0 == name)
        .count();
    if count > 1 {
        problems.push(format!("`{name}` appears {count} times; the first is used"));
    }
    if !clean {
        problems.push(format!(
            "`{name}` has a malformed percent escape or is not UTF-8 once decoded"
        ));
    }
    if value.is_empty() {
        problems.push(format!("`{name}` is empty"));
    }
    Some(value)
}

/// The percent-decoded first value of `name` in the target's query, and whether it decoded
/// cleanly.
fn query_value(target: &str, name: &str) -> Option<(String, bool)> {
    query_pairs(target)
        .find(|(key, _)| decode(key).0 == name)
        .map(|(_, value)| decode(value))
}

/// The `key=value` pairs of the target's query string, still encoded.
fn query_pairs(target: &str) -> impl Iterator<Item = (&str, &str)> {
    let query = target.split_once('?').map_or("", |(_, query)| query);
    let query = query.split_once('#').map_or(query, |(query, _)| query);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// Percent-decodes `text`; the flag is false when an escape was malformed (kept literally) or
/// the result was not UTF-8 (decoded lossily).
///
/// `+` is kept as is: Annex G values are URI query components (RFC 3986), not HTML form data,
/// and a username may contain a literal `+`.
fn decode(text: &str) -> (String, bool) {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut clean = true;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte == b'%' {
            let high = bytes.get(at + 1).and_then(|b| char::from(*b).to_digit(16));
            let low = bytes.get(at + 2).and_then(|b| char::from(*b).to_digit(16));
            if let (Some(high), Some(low)) = (high, low)
                && let Ok(decoded) = u8::try_from(high * 16 + low)
            {
                out.push(decoded);
                at += 3;
                continue;
            }
            clean = false;
        }
        out.push(byte);
        at += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => (decoded, clean),
        Err(error) => (
            String::from_utf8_lossy(error.as_bytes()).into_owned(),
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes() {
        assert_eq!(decode("a%20b%2Bc+d"), ("a b+c+d".to_owned(), true));
        assert_eq!(decode("100%"), ("100%".to_owned(), false));
        assert_eq!(decode("%zz"), ("%zz".to_owned(), false));
        assert_eq!(decode("%ff"), ("\u{fffd}".to_owned(), false));
    }

    #[test]
    fn not_http_is_none() {
        assert_eq!(decode_udp_connection_request(b"\x00\x01\x00\x00"), None);
        assert_eq!(decode_udp_connection_request(b""), None);
    }
}
