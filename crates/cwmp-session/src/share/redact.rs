//! Finding the secrets and identifiers a capture holds, and what replaces each.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use cwmp_capture::{HttpMessage, StartLine};
use cwmp_codec::model::ParameterValueStruct;
use cwmp_codec::{Body, Envelope, Rpc, Text};

use super::{Edit, Field, Place, REDACTED, Redaction, RedactionKind, Side, base64_decode, sides};
use crate::model::Capture;

/// The message being searched.
pub(super) struct At<'a> {
    pub(super) exchange: usize,
    pub(super) side: Side,
    pub(super) body: &'a [u8],
    pub(super) rpc: &'a str,
}

/// Redactions being collected, merged by kind and original text.
#[derive(Default)]
pub(super) struct Found {
    pub(super) list: Vec<Redaction>,
    /// What each of `list` was merged by: (kind, key), in the same order. Few enough for a
    /// linear search.
    keys: Vec<(RedactionKind, String)>,
}

impl Found {
    /// The redaction for `key`, made by `make` when new.
    pub(super) fn entry(
        &mut self,
        kind: RedactionKind,
        key: &str,
        make: impl FnOnce() -> (String, String, String),
    ) -> &mut Redaction {
        let known = self
            .keys
            .iter()
            .position(|(k, text)| *k == kind && text == key);
        let i = known.unwrap_or_else(|| {
            let (label, original, replacement) = make();
            self.keys.push((kind, key.to_owned()));
            self.list.push(Redaction {
                kind,
                label,
                original,
                replacement,
                on_by_default: kind.on_by_default(),
                places: Vec::new(),
                udp_requests: Vec::new(),
                edits: Vec::new(),
            });
            self.list.len() - 1
        });
        &mut self.list[i]
    }

    pub(super) fn headers(&mut self, exchange: usize, side: Side, m: &HttpMessage) {
        for (index, h) in m.headers.iter().enumerate() {
            let name = h.name.as_str();
            let value = h.value.trim();
            if value.is_empty() {
                continue;
            }
            let place = Place {
                exchange,
                side,
                field: Field::Header(name.to_owned()),
            };
            let lower = name.to_ascii_lowercase();
            if lower == "authorization" || lower == "proxy-authorization" {
                let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
                if scheme.eq_ignore_ascii_case("digest") {
                    let Some(response) = digest_response(value) else {
                        continue;
                    };
                    let username = auth_param(credentials, "username").unwrap_or_default();
                    let realm = auth_param(credentials, "realm").unwrap_or_default();
                    let redacted = format!(
                        "{}{REDACTED}{}",
                        &value[..response.start],
                        &value[response.end..]
                    );
                    let original = value[response].to_owned();
                    let r = self.entry(
                        RedactionKind::DigestResponse,
                        &format!("{name}\0{username}\0{realm}"),
                        || {
                            (
                                format!(
                                    "{name}: Digest response of user “{username}”, realm “{realm}”"
                                ),
                                original,
                                REDACTED.to_owned(),
                            )
                        },
                    );
                    r.places.push(place);
                    r.edits.push(Edit::Header {
                        exchange,
                        side,
                        index,
                        value: redacted,
                    });
                } else if !credentials.trim().is_empty() {
                    let user = scheme
                        .eq_ignore_ascii_case("basic")
                        .then(|| base64_decode(credentials.trim(), false))
                        .flatten()
                        .and_then(|bytes| {
                            let text = String::from_utf8_lossy(&bytes).into_owned();
                            text.split_once(':').map(|(user, _)| user.to_owned())
                        });
                    let label = match user {
                        Some(user) => format!("{name}: {scheme}, user “{user}”"),
                        None => format!("{name}: {scheme}"),
                    };
                    let redacted = format!("{scheme} {REDACTED}");
                    let r = self.entry(RedactionKind::AuthorizationHeader, value, || {
                        (label, credentials.trim().to_owned(), redacted.clone())
                    });
                    r.places.push(place);
                    r.edits.push(Edit::Header {
                        exchange,
                        side,
                        index,
                        value: redacted,
                    });
                }
            } else if is_secret_header(&lower) {
                let r = self.entry(RedactionKind::Password, value, || {
                    (
                        format!("{name} header"),
                        value.to_owned(),
                        REDACTED.to_owned(),
                    )
                });
                if !r.label.contains(&format!("{name} header")) {
                    let _ = write!(r.label, ", {name} header");
                }
                r.places.push(place);
                r.edits.push(Edit::Header {
                    exchange,
                    side,
                    index,
                    value: REDACTED.to_owned(),
                });
            }
        }
    }

    pub(super) fn message(&mut self, at: &At<'_>, envelope: &Envelope, serials: &mut Vec<String>) {
        let Body::Rpc(rpc) = &envelope.body else {
            return;
        };
        let parameters: &[ParameterValueStruct] = match rpc {
            Rpc::Inform(inform) => {
                if let Some(serial) = inform
                    .device_id
                    .as_ref()
                    .and_then(|d| d.serial_number.as_ref())
                    .map(|t| t.value.trim())
                    .filter(|s| !s.is_empty())
                    && !serials.iter().any(|s| s == serial)
                {
                    serials.push(serial.to_owned());
                }
                inform.parameter_list.as_deref().unwrap_or_default()
            }
            Rpc::SetParameterValues(spv) => spv.parameter_list.as_deref().unwrap_or_default(),
            Rpc::GetParameterValuesResponse(gpv) => {
                gpv.parameter_list.as_deref().unwrap_or_default()
            }
            Rpc::Download(d) => return self.element_password(at, d.password.as_ref()),
            Rpc::Upload(u) => return self.element_password(at, u.password.as_ref()),
            Rpc::ScheduleDownload(d) => return self.element_password(at, d.password.as_ref()),
            _ => return,
        };
        for p in parameters {
            let (Some(name), Some(value)) = (&p.name, &p.value) else {
                continue;
            };
            if value.raw.is_empty() || !is_secret_parameter(&name.value) {
                continue;
            }
            let field = Field::Parameter(name.value.clone());
            self.password(at, field, &value.raw, value.span);
        }
    }

    pub(super) fn element_password(&mut self, at: &At<'_>, password: Option<&Text>) {
        if let Some(text) = password.filter(|t| !t.value.is_empty()) {
            self.password(
                at,
                Field::Element("Password".into()),
                &text.value,
                text.span,
            );
        }
    }

    /// A password value at `span` of the body.
    pub(super) fn password(
        &mut self,
        at: &At<'_>,
        field: Field,
        value: &str,
        span: cwmp_codec::Span,
    ) {
        let what = field.to_string();
        let rpc = at.rpc;
        let r = self.entry(RedactionKind::Password, value, || {
            (
                format!("{what} ({rpc})"),
                value.to_owned(),
                REDACTED.to_owned(),
            )
        });
        if !r.label.contains(&what) {
            let _ = write!(r.label, ", {what}");
        }
        for (start, end) in value_ranges(at.body, value, span) {
            r.edits.push(Edit::Span {
                exchange: at.exchange,
                side: at.side,
                start,
                end,
                text: REDACTED.to_owned(),
            });
        }
        r.places.push(Place {
            exchange: at.exchange,
            side: at.side,
            field,
        });
    }

    /// Passwords in URLs written in a body (`http://user:password@host/`), as a Download URL
    /// or a ManagementServer.URL value may carry them.
    pub(super) fn url_passwords(&mut self, exchange: usize, side: Side, body: &[u8]) {
        let mut from = 0;
        while let Some(k) = body
            .get(from..)
            .and_then(|rest| rest.windows(3).position(|w| w == b"://"))
        {
            let start = from + k + 3;
            let end = body[start..]
                .iter()
                .position(|c| b"/?#<>\"' \t\r\n".contains(c))
                .map_or(body.len(), |p| start + p);
            from = end.max(start);
            let authority = &body[start..end];
            let Some(at) = authority.iter().rposition(|&c| c == b'@') else {
                continue;
            };
            let Some(colon) = authority[..at].iter().position(|&c| c == b':') else {
                continue;
            };
            let (Ok(user), Ok(password)) = (
                std::str::from_utf8(&authority[..colon]),
                std::str::from_utf8(&authority[colon + 1..at]),
            ) else {
                continue;
            };
            if password.is_empty() {
                continue;
            }
            let r = self.entry(RedactionKind::Password, password, || {
                (
                    format!("Password in a URL, user “{user}”"),
                    password.to_owned(),
                    REDACTED.to_owned(),
                )
            });
            if !r.label.contains("in a URL") {
                r.label.push_str(", in a URL");
            }
            r.places.push(Place {
                exchange,
                side,
                field: Field::Body,
            });
            r.edits.push(Edit::Span {
                exchange,
                side,
                start: start + colon + 1,
                end: start + at,
                text: REDACTED.to_owned(),
            });
        }
    }

    /// The `sig` of each UDP connection request, one redaction per username: the requests to
    /// one CPE are signed with one password, so hiding some of them would protect nothing.
    pub(super) fn udp_signatures(&mut self, capture: &Capture) {
        for (index, request) in capture.udp_connection_requests.iter().enumerate() {
            let Some(sig) = request.signature.as_deref().filter(|s| !s.is_empty()) else {
                continue;
            };
            let user = request.username.as_deref().unwrap_or_default();
            // A NUL first: no Authorization header's key (see `headers`) starts with one.
            let r = self.entry(
                RedactionKind::DigestResponse,
                &format!("\0udp\0{user}"),
                || {
                    (
                        format!("UDP connection request sig of user “{user}”"),
                        sig.to_owned(),
                        REDACTED.to_owned(),
                    )
                },
            );
            r.udp_requests.push(index);
            r.edits.push(Edit::UdpSignature(index));
        }
    }

    pub(super) fn serials(&mut self, capture: &Capture, serials: &[String]) {
        for (n, serial) in serials.iter().enumerate() {
            let replacement = format!("SN-REDACTED-{}", n + 1);
            let places = occurrences(capture, serial, TokenClass::Word);
            let r = self.entry(RedactionKind::SerialNumber, serial, || {
                (
                    format!("Serial number “{serial}”"),
                    serial.clone(),
                    replacement.clone(),
                )
            });
            r.places = places;
            r.edits.push(Edit::Token {
                from: serial.clone(),
                to: replacement,
            });
        }
    }

    pub(super) fn addresses(&mut self, capture: &Capture) {
        // Each address with the ways it is written (IPv6 has several).
        let mut seen: Vec<(IpAddr, Vec<String>)> = Vec::new();
        let mut note = |ip: IpAddr, written: &str| {
            if !worth_hiding(ip) {
                return;
            }
            match seen.iter_mut().find(|(known, _)| *known == ip) {
                Some((_, forms)) if !forms.iter().any(|f| f == written) => {
                    forms.push(written.to_owned());
                }
                Some(_) => {}
                None => seen.push((ip, vec![written.to_owned()])),
            }
        };
        for x in &capture.exchanges {
            for ip in [x.client, x.server].into_iter().flatten() {
                note(ip.ip(), &ip.ip().to_string());
            }
            for (_, m) in sides(x) {
                if let StartLine::Request { target, .. } = &m.start {
                    addresses_in(target.as_bytes(), &mut note);
                }
                for h in &m.headers {
                    addresses_in(h.value.as_bytes(), &mut note);
                }
                addresses_in(&m.body, &mut note);
            }
        }
        let (mut v4, mut v6) = (0_u32, 0_u32);
        for (ip, forms) in seen {
            let (replacement, class) = match ip {
                IpAddr::V4(_) => {
                    v4 += 1;
                    (documentation_v4(v4), TokenClass::Ipv4)
                }
                IpAddr::V6(_) => {
                    v6 += 1;
                    (format!("2001:db8::{v6:x}"), TokenClass::Ipv6)
                }
            };
            let original = forms[0].clone();
            let mut places: Vec<Place> = forms
                .iter()
                .flat_map(|form| occurrences(capture, form, class))
                .collect();
            for (i, x) in capture.exchanges.iter().enumerate() {
                if x.server.is_some_and(|s| s.ip() == ip) {
                    places.push(Place {
                        exchange: i,
                        side: Side::Request,
                        field: Field::Server,
                    });
                }
            }
            let role = address_role(capture, ip);
            let r = self.entry(RedactionKind::IpAddress, &original, || {
                (
                    format!("{original}{role}"),
                    original.clone(),
                    replacement.clone(),
                )
            });
            r.places = places;
            for form in forms {
                r.edits.push(Edit::Token {
                    from: form,
                    to: replacement.clone(),
                });
            }
        }
    }
}

/// ` (CPE)`, ` (ACS)` or nothing, from the exchanges' endpoints.
pub(super) fn address_role(capture: &Capture, ip: IpAddr) -> &'static str {
    let client = capture
        .exchanges
        .iter()
        .any(|x| x.client.is_some_and(|c| c.ip() == ip));
    let server = capture
        .exchanges
        .iter()
        .any(|x| x.server.is_some_and(|s| s.ip() == ip));
    match (client, server) {
        (true, false) => " (CPE)",
        (false, true) => " (ACS)",
        (true, true) => " (CPE and ACS)",
        (false, false) => "",
    }
}

/// Addresses that say something about a network: not unspecified, loopback, broadcast, netmasks.
pub(super) fn worth_hiding(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_unspecified() || v4.is_loopback() || v4.is_broadcast() || v4.octets()[0] == 255)
        }
        IpAddr::V6(v6) => !(v6.is_unspecified() || v6.is_loopback()),
    }
}

/// The `n`th (from 1) IPv4 documentation address: 192.0.2.1…254, then 198.51.100.x, then
/// 203.0.113.x, then the benchmarking range 198.18.0.0/15.
pub(super) fn documentation_v4(n: u32) -> String {
    let (block, host) = ((n - 1) / 254, (n - 1) % 254 + 1);
    match block {
        0 => format!("192.0.2.{host}"),
        1 => format!("198.51.100.{host}"),
        2 => format!("203.0.113.{host}"),
        _ => {
            let m = n - 763;
            format!(
                "198.{}.{}.{}",
                18 + ((m >> 16) & 1),
                (m >> 8) & 255,
                m & 255
            )
        }
    }
}

/// Calls `note` with each IP address written in `text`: a whole run of digits and dots that
/// reads as IPv4, or of hex digits, colons and dots that reads as IPv6. In bodies an IPv4 run
/// must not touch a letter or `_`, so that `BaiBS_2.8.15.1` is not read as an address.
pub(super) fn addresses_in(text: &[u8], note: &mut impl FnMut(IpAddr, &str)) {
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if !(c.is_ascii_hexdigit() || c == b':') {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && (text[i].is_ascii_hexdigit() || matches!(text[i], b':' | b'.')) {
            i += 1;
        }
        let run = &text[start..i];
        let before = start.checked_sub(1).map(|b| text[b]);
        let after = text.get(i).copied();
        let touches_word =
            |c: Option<u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
        let Ok(run) = std::str::from_utf8(run) else {
            continue;
        };
        let run = run.trim_end_matches(['.', ':']);
        if run.matches(':').count() >= 2
            && let Ok(v6) = run.parse::<Ipv6Addr>()
        {
            note(IpAddr::V6(v6), run);
            continue;
        }
        // `10.0.0.1:7547`: each piece between colons may be an IPv4 address.
        let pieces: Vec<&str> = run.split(':').collect();
        let last = pieces.len() - 1;
        for (k, piece) in pieces.iter().enumerate() {
            if (k == 0 && touches_word(before)) || (k == last && touches_word(after)) {
                continue;
            }
            if piece.matches('.').count() == 3
                && let Ok(v4) = piece.parse::<Ipv4Addr>()
            {
                note(IpAddr::V4(v4), piece);
            }
        }
    }
}

/// How a token is delimited.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenClass {
    /// Letters and digits: a serial number.
    Word,
    /// Digits and dots.
    Ipv4,
    /// Hex digits, colons and dots.
    Ipv6,
}

impl TokenClass {
    pub(super) fn continues(self, c: u8) -> bool {
        match self {
            Self::Word => c.is_ascii_alphanumeric(),
            Self::Ipv4 => c.is_ascii_digit() || c == b'.',
            Self::Ipv6 => c.is_ascii_hexdigit() || c == b':' || c == b'.',
        }
    }

    pub(super) fn of(token: &str) -> Self {
        if token.contains(':') {
            Self::Ipv6
        } else if token.parse::<Ipv4Addr>().is_ok() {
            Self::Ipv4
        } else {
            Self::Word
        }
    }
}

/// Offsets of whole-token occurrences of `token` in `text`.
pub(super) fn token_matches(text: &[u8], token: &[u8], class: TokenClass) -> Vec<usize> {
    let mut found = Vec::new();
    if token.is_empty() || text.len() < token.len() {
        return found;
    }
    let mut i = 0;
    while i + token.len() <= text.len() {
        if &text[i..i + token.len()] == token {
            let before = i.checked_sub(1).map(|b| text[b]);
            let after = text.get(i + token.len()).copied();
            // A dot after an IPv4 address ends a sentence unless a digit follows it.
            let after_ok = match after {
                Some(b'.') if class == TokenClass::Ipv4 => !text
                    .get(i + token.len() + 1)
                    .is_some_and(u8::is_ascii_digit),
                Some(c) => !class.continues(c),
                None => true,
            };
            if before.is_none_or(|c| !class.continues(c)) && after_ok {
                found.push(i);
                i += token.len();
                continue;
            }
        }
        i += 1;
    }
    found
}

/// `text` with every whole-token occurrence of each `(from, to)` replaced, in one pass over the
/// original: a replacement is never replaced again (a capture of documentation addresses may
/// have one address's replacement among its originals). Where tokens overlap, the earlier in
/// `tokens` wins.
pub(super) fn replace_tokens(text: &[u8], tokens: &[(&str, &str)]) -> Option<Vec<u8>> {
    // (start, end, replacement), kept in order of start by inserting in place.
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    for (from, to) in tokens {
        for start in token_matches(text, from.as_bytes(), TokenClass::of(from)) {
            let end = start + from.len();
            if hits.iter().all(|&(s, e, _)| end <= s || start >= e) {
                let at = hits
                    .iter()
                    .position(|&(s, _, _)| s > start)
                    .unwrap_or(hits.len());
                hits.insert(at, (start, end, to));
            }
        }
    }
    if hits.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut last = 0;
    for (start, end, to) in hits {
        out.extend_from_slice(&text[last..start]);
        out.extend_from_slice(to.as_bytes());
        last = end;
    }
    out.extend_from_slice(&text[last..]);
    Some(out)
}

pub(super) fn replace_tokens_str(text: &str, tokens: &[(&str, &str)]) -> String {
    match replace_tokens(text.as_bytes(), tokens) {
        Some(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        None => text.to_owned(),
    }
}

/// Every place `token` appears as a whole token: URLs, headers, bodies.
pub(super) fn occurrences(capture: &Capture, token: &str, class: TokenClass) -> Vec<Place> {
    let mut places = Vec::new();
    let bytes = token.as_bytes();
    for (i, x) in capture.exchanges.iter().enumerate() {
        for (side, m) in sides(x) {
            let mut push = |field: Field| {
                places.push(Place {
                    exchange: i,
                    side,
                    field,
                });
            };
            if let StartLine::Request { target, .. } = &m.start
                && !token_matches(target.as_bytes(), bytes, class).is_empty()
            {
                push(Field::Url);
            }
            for h in &m.headers {
                if !token_matches(h.value.as_bytes(), bytes, class).is_empty() {
                    push(Field::Header(h.name.clone()));
                }
            }
            if !token_matches(&m.body, bytes, class).is_empty() {
                push(Field::Body);
            }
        }
    }
    places
}

/// The byte ranges of a value in `body`: its span when the span holds it (as written, perhaps
/// escaped), else each element whose whole text is the value escaped.
pub(super) fn value_ranges(
    body: &[u8],
    value: &str,
    span: cwmp_codec::Span,
) -> Vec<(usize, usize)> {
    if let Some(slice) = span.slice(body).filter(|s| !s.is_empty())
        && let Ok(text) = std::str::from_utf8(slice)
        && (text == value || text.contains('&') || text.contains("<![CDATA["))
    {
        return vec![(span.start, span.end)];
    }
    let escaped = escape_xml(value);
    let needle = format!(">{escaped}<");
    let needle = needle.as_bytes();
    let mut ranges = Vec::new();
    let mut i = 0;
    while i + needle.len() <= body.len() {
        if &body[i..i + needle.len()] == needle {
            ranges.push((i + 1, i + needle.len() - 1));
            i += needle.len();
        } else {
            i += 1;
        }
    }
    ranges
}

pub(super) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Endings of secret parameter names, lowercase (see [`is_secret_parameter`]).
const SECRET_ENDINGS: [&str; 8] = [
    "password",
    "passwd",
    "passphrase",
    "presharedkey",
    "psk",
    "wepkey",
    "secret",
    "privatekey",
];

/// Whether a parameter's value is a secret, from the last segment of its name (any case, any
/// vendor prefix, trailing digits and `_` ignored). It is when the segment ends with:
///
/// - `Password` or `Passwd`: ConnectionRequestPassword, STUNPassword, Users.User.{i}.Password,
///   X_VENDOR_AdminPassword (not `PasswordRequired` and the like, which are settings);
/// - `Passphrase`: WiFi KeyPassphrase, SAEPassphrase;
/// - `PreSharedKey` or `PSK`: WiFi pre-shared keys;
/// - `WEPKey`;
/// - `Secret`: RadiusSecret, SecondaryRadiusSecret, SharedSecret;
/// - `PrivateKey`;
///
/// or is exactly `PIN` (WPS.PIN, a SIM's PIN). A bare `Key` is left out: it names identifiers as
/// often as secrets.
pub fn is_secret_parameter(name: &str) -> bool {
    let last = name
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .unwrap_or(name)
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '_')
        .to_ascii_lowercase();
    last == "pin" || SECRET_ENDINGS.iter().any(|e| last.ends_with(e))
}

/// Header names (lowercase) whose values are secrets, besides Authorization: any that contains
/// `password`, `passwd` or `secret` (the Baicells CPE sends `Password: …`).
pub(super) fn is_secret_header(lower: &str) -> bool {
    ["password", "passwd", "secret"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The byte range of the `response` value in a Digest `Authorization` header.
pub(super) fn digest_response(value: &str) -> Option<std::ops::Range<usize>> {
    auth_params(value)
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("response"))
        .map(|(_, range)| range)
        .filter(|r| !r.is_empty())
}

/// A Digest parameter's value, unquoted.
pub(super) fn auth_param(credentials: &str, wanted: &str) -> Option<String> {
    auth_params(credentials)
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
        .map(|(_, range)| credentials[range].replace("\\\"", "\""))
}

/// The `name=value` parameters of an auth header (after the scheme), each with the byte range
/// of its value inside the quotes.
pub(super) fn auth_params(value: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let bytes = value.as_bytes();
    let mut params = Vec::new();
    // Skip the scheme when it is there.
    let mut i = match value.find(' ') {
        Some(space) if !value[..space].contains('=') => space + 1,
        _ => 0,
    };
    while i < bytes.len() {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b',') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b',' | b' ') {
            i += 1;
        }
        let name = value[name_start..i].to_owned();
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let range = if bytes.get(i) == Some(&b'"') {
            i += 1;
            let start = i;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            let end = i.min(bytes.len());
            i = end + 1;
            start..end
        } else {
            let start = i;
            while i < bytes.len() && bytes[i] != b',' {
                i += 1;
            }
            start..value[start..i].trim_end().len() + start
        };
        if !name.is_empty() {
            params.push((name, range));
        }
    }
    params
}
