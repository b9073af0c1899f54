//! The auth debugger: given the password, recomputes an HTTP Digest or Basic answer (RFC 7616,
//! RFC 2617, RFC 2069, RFC 7617) or a UDP connection request signature (TR-069 Annex G) step by
//! step, and names exactly which field does not match.
//!
//! The password never appears in the output: hashed inputs show it as `***`, and comparisons of
//! passwords show masked values.

use std::fmt::Write as _;

use cwmp_capture::{
    AuthParams, ConnectionRequest, HttpExchange, HttpMessage, StartLine, UdpConnectionRequest,
};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

/// What stands for the password in the hashed inputs shown.
const MASK: &str = "***";
/// The body shown in the `H(entity-body)` step is cut after this many bytes.
const MAX_BODY_SHOWN: usize = 256;
/// Methods tried when the response only matches with another method than the request's.
const METHODS: [&str; 7] = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT"];

/// The authentication scheme checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthScheme {
    /// HTTP Basic (RFC 7617).
    Basic,
    /// HTTP Digest (RFC 7616, RFC 2617, RFC 2069).
    Digest,
    /// The HMAC-SHA1 signature of a UDP connection request (TR-069 Annex G).
    UdpHmacSha1,
    /// The request carries no `Authorization` header.
    Missing,
    /// An `Authorization` scheme this debugger does not check, as sent (such as `Bearer`).
    Unsupported(String),
}

/// One computation step: what was hashed and what came out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthStep {
    /// What the step computes: `HA1`, `HA2`, `H(entity-body)`, `response`, `HMAC-SHA1`, or
    /// `credentials` for the decoded Basic token.
    pub name: String,
    /// The exact string hashed, with the password replaced by `***` (for the entity body, the
    /// body shown as text, cut when long; for Basic, the size of the token).
    pub input: String,
    /// The result: lowercase hex for a hash; for Basic, the decoded `user:***`.
    pub value: String,
}

/// One field that does not match what it should be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthMismatch {
    /// The field at fault: a Digest parameter (`realm`, `nonce`, `uri`, `qop`, `response`...),
    /// `method`, `password`, `scheme`, or a UDP parameter (`ts`, `id`, `un`, `cn`, `sig`).
    pub field: String,
    /// What the field should be (`(present)` for a missing field; masked for a password).
    pub expected: String,
    /// What was sent (`(missing)` when absent; masked for a password).
    pub found: String,
    /// Why it matters, with the RFC or TR-069 section.
    pub explanation: String,
}

/// The outcome of checking one authentication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthVerdict {
    /// The scheme checked.
    pub scheme: AuthScheme,
    /// Whether everything matches: `mismatches` is empty.
    pub ok: bool,
    /// The computation as sent, step by step.
    pub steps: Vec<AuthStep>,
    /// Every field that does not match, most useful first.
    pub mismatches: Vec<AuthMismatch>,
    /// Remarks that do not make the authentication fail, such as a `uri` in absolute-form that
    /// names the same resource as an origin-form request target.
    pub notes: Vec<String>,
}

impl AuthVerdict {
    fn new(scheme: AuthScheme) -> Self {
        Self {
            scheme,
            ok: false,
            steps: Vec::new(),
            mismatches: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn mismatch(&mut self, field: &str, expected: &str, found: &str, explanation: String) {
        self.mismatches.push(AuthMismatch {
            field: field.to_owned(),
            expected: expected.to_owned(),
            found: found.to_owned(),
            explanation,
        });
    }

    fn missing(&mut self, field: &str, explanation: String) {
        self.mismatch(field, "(present)", "(missing)", explanation);
    }

    fn finish(mut self) -> Self {
        self.ok = self.mismatches.is_empty();
        self
    }
}

/// Checks the `Authorization` header of `request` (the last one, as a server reads it) against
/// `password` and, when given, the `WWW-Authenticate` challenge it answers.
///
/// Digest (RFC 7616 §3.4, RFC 2617 §3.2.2): algorithms MD5 (the default), SHA-256 and
/// SHA-512-256, each also `-sess`; `qop` `auth`, `auth-int` or absent (RFC 2069). Basic
/// (RFC 7617 §2): the decoded password is compared. When the response does not match, the
/// debugger tries changing one field at a time (method, uri, algorithm, qop, body, whitespace
/// around the password) to say which one the client got wrong; when none explains it and every
/// other field matches, the password (or username) is wrong.
pub fn check_http_auth(
    request: &HttpMessage,
    challenge: Option<&AuthParams>,
    password: &str,
) -> AuthVerdict {
    let Some(authz) = request
        .headers_named("authorization")
        .last()
        .and_then(AuthParams::parse)
    else {
        let mut verdict = AuthVerdict::new(AuthScheme::Missing);
        verdict.missing(
            "Authorization",
            "the request carries no credentials (RFC 7235 §4.2)".to_owned(),
        );
        return verdict.finish();
    };
    if authz.scheme.eq_ignore_ascii_case("digest") {
        check_digest(request, &authz, challenge, password)
    } else if authz.scheme.eq_ignore_ascii_case("basic") {
        check_basic(&authz, challenge, password)
    } else {
        let mut verdict = AuthVerdict::new(AuthScheme::Unsupported(authz.scheme.clone()));
        verdict.mismatch(
            "scheme",
            "Digest or Basic",
            &authz.scheme,
            format!(
                "the {} scheme is not checked by this debugger; TR-069 §3.4.4 uses Digest or Basic",
                authz.scheme
            ),
        );
        verdict.finish()
    }
}

/// Checks the HMAC-SHA1 signature of a UDP connection request (TR-069 Annex G): keyed with the
/// connection request password, over `ts`, `id`, `un` and `cn` concatenated, compared with `sig`
/// as hex (case-insensitive).
///
/// A `sig` that a share link redacted ([`crate::share::REDACTED`]) cannot be compared: its
/// mismatch says so instead of calling the password wrong (the step still shows the HMAC-SHA1
/// that the password gives).
pub fn check_udp_signature(request: &UdpConnectionRequest, password: &str) -> AuthVerdict {
    let mut verdict = AuthVerdict::new(AuthScheme::UdpHmacSha1);
    let Some(text) = request.signed_text() else {
        for name in ["ts", "id", "un", "cn"] {
            if !query_has(&request.target, name) {
                verdict.missing(
                    name,
                    format!(
                        "`{name}` is one of the values the signature covers (TR-069 Annex G); \
                         without it the signature cannot be checked"
                    ),
                );
            }
        }
        return verdict.finish();
    };
    let computed = hmac_sha1_hex(password.as_bytes(), text.as_bytes());
    verdict.steps.push(AuthStep {
        name: "HMAC-SHA1".to_owned(),
        input: text.clone(),
        value: computed.clone(),
    });
    let Some(sig) = request.signature.as_deref().filter(|s| !s.is_empty()) else {
        verdict.mismatch(
            "sig",
            &computed,
            "(missing)",
            "a UDP connection request must carry `sig`, HMAC-SHA1 over ts‖id‖un‖cn \
             (TR-069 Annex G)"
                .to_owned(),
        );
        return verdict.finish();
    };
    if sig == crate::share::REDACTED {
        verdict.mismatch(
            "sig",
            &computed,
            sig,
            "the sender of the share link redacted `sig`, so it cannot be checked: compare \
             the HMAC-SHA1 above with the original"
                .to_owned(),
        );
        return verdict.finish();
    }
    if !sig.trim().eq_ignore_ascii_case(&computed) {
        let trimmed = password.trim();
        let explanation = if trimmed != password
            && hmac_sha1_hex(trimmed.as_bytes(), text.as_bytes()).eq_ignore_ascii_case(sig.trim())
        {
            "the signature matches the password without its leading or trailing whitespace: \
             the password supplied has extra spaces"
                .to_owned()
        } else {
            format!(
                "HMAC-SHA1(password, \"{text}\") differs: the password is wrong, or ts, id, un \
                 or cn were changed after signing (TR-069 Annex G)"
            )
        };
        verdict.mismatch("sig", &computed, sig, explanation);
    }
    verdict.finish()
}

/// Checks the last attempt of a connection request (TR-069 §3.2.2) that carries an
/// `Authorization` header, against the challenge of the nearest attempt before it (the 401) if
/// any. `exchanges` is what [`ConnectionRequestAttempt::exchange`] indexes.
///
/// `None` when no attempt carries credentials or its request is not in `exchanges`.
///
/// [`ConnectionRequestAttempt::exchange`]: cwmp_capture::ConnectionRequestAttempt::exchange
pub fn check_connection_request(
    cr: &ConnectionRequest,
    exchanges: &[HttpExchange],
    password: &str,
) -> Option<AuthVerdict> {
    let at = cr
        .attempts
        .iter()
        .rposition(|a| a.authorization.is_some())?;
    let request = exchanges.get(cr.attempts[at].exchange)?.request.as_ref()?;
    let challenge = cr.attempts[..at]
        .iter()
        .rev()
        .find_map(|a| a.challenge.as_ref());
    Some(check_http_auth(request, challenge, password))
}

// ---------------------------------------------------------------------------------------------
// Basic

/// RFC 7617 §2: the token is base64 of `user-id ":" password`.
fn check_basic(authz: &AuthParams, challenge: Option<&AuthParams>, password: &str) -> AuthVerdict {
    let mut verdict = AuthVerdict::new(AuthScheme::Basic);
    if let Some(c) = challenge
        && !c.scheme.eq_ignore_ascii_case("basic")
    {
        verdict.mismatch(
            "scheme",
            &c.scheme,
            &authz.scheme,
            format!(
                "the challenge asks for {} but the client answered with Basic (RFC 7235 §2.1)",
                c.scheme
            ),
        );
    }
    let Some(token) = authz.get("token") else {
        verdict.missing(
            "credentials",
            "Basic needs the base64 of user:password after the scheme (RFC 7617 §2)".to_owned(),
        );
        return verdict.finish();
    };
    let Some(decoded) = base64_decode(token.trim()) else {
        verdict.mismatch(
            "credentials",
            "base64",
            &format!("{} characters that are not base64", token.len()),
            "the Basic token must be base64 (RFC 7617 §2, RFC 4648 §4)".to_owned(),
        );
        return verdict.finish();
    };
    let Some(colon) = decoded.iter().position(|&b| b == b':') else {
        verdict.mismatch(
            "credentials",
            "user:password",
            "no colon",
            "the decoded Basic token has no colon between user-id and password (RFC 7617 §2)"
                .to_owned(),
        );
        return verdict.finish();
    };
    let user = String::from_utf8_lossy(&decoded[..colon]);
    let sent = &decoded[colon + 1..];
    verdict.steps.push(AuthStep {
        name: "credentials".to_owned(),
        input: format!("base64 token of {} characters", token.trim().len()),
        value: format!("{user}:{MASK}"),
    });
    if sent != password.as_bytes() {
        let sent_text = String::from_utf8_lossy(sent);
        let hint = if sent_text.trim() == password.trim() {
            "they differ only by leading or trailing whitespace"
        } else if sent_text.eq_ignore_ascii_case(password) {
            "they differ only by letter case"
        } else {
            "the password (or the account it belongs to) is wrong"
        };
        verdict.mismatch(
            "password",
            &mask(password),
            &mask(&sent_text),
            format!(
                "the password sent for user {user:?} ({} characters) is not the one supplied \
                 ({} characters): {hint} (RFC 7617 §2)",
                sent_text.chars().count(),
                password.chars().count()
            ),
        );
    }
    verdict.finish()
}

/// Shows a secret's length and, when long enough to keep most of it hidden, its first and last
/// character, to spot a typo without echoing it.
fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    match chars.as_slice() {
        [first, middle @ .., last] if middle.len() >= 6 => {
            format!("{first}{}{last}", "*".repeat(middle.len()))
        }
        _ => "*".repeat(chars.len()),
    }
}

/// Standard base64 (RFC 4648 §4), padded or not, whitespace refused: inside a Basic token
/// whitespace means a malformed header, not formatting.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    crate::share::base64_decode(text, false)
}

// ---------------------------------------------------------------------------------------------
// Digest

/// The hash function of a Digest `algorithm` (RFC 7616 §3.2, §6.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hash {
    Md5,
    Sha256,
    Sha512_256,
}

impl Hash {
    fn hex(self, data: &[u8]) -> String {
        match self {
            Self::Md5 => hex(&md5::Md5::digest(data)),
            Self::Sha256 => hex(&sha2::Sha256::digest(data)),
            Self::Sha512_256 => hex(&sha2::Sha512_256::digest(data)),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha256 => "SHA-256",
            Self::Sha512_256 => "SHA-512-256",
        }
    }
}

/// `(hash, sess)` of an `algorithm` value, case-insensitive.
fn parse_algorithm(name: &str) -> Option<(Hash, bool)> {
    let lower = name.to_ascii_lowercase();
    let (base, sess) = lower
        .strip_suffix("-sess")
        .map_or((lower.as_str(), false), |b| (b, true));
    let hash = match base {
        "md5" => Hash::Md5,
        "sha-256" => Hash::Sha256,
        "sha-512-256" => Hash::Sha512_256,
        _ => return None,
    };
    Some((hash, sess))
}

fn algorithm_name(hash: Hash, sess: bool) -> String {
    format!("{}{}", hash.name(), if sess { "-sess" } else { "" })
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Everything the Digest response depends on.
#[derive(Clone, Debug)]
struct DigestInput<'a> {
    hash: Hash,
    sess: bool,
    username: &'a str,
    realm: &'a str,
    password: &'a str,
    nonce: &'a str,
    cnonce: &'a str,
    nc: &'a str,
    qop: Option<&'a str>,
    method: &'a str,
    uri: &'a str,
    body: &'a [u8],
}

impl DigestInput<'_> {
    /// RFC 7616 §3.4.1–§3.4.3 (RFC 2617 §3.2.2.1–§3.2.2.3; RFC 2069 §2.1.2 without `qop`).
    fn steps(&self) -> Vec<AuthStep> {
        let mut steps = Vec::new();
        let h = |s: &str| self.hash.hex(s.as_bytes());
        let secret = format!("{}:{}:{}", self.username, self.realm, self.password);
        let shown = format!("{}:{}:{MASK}", self.username, self.realm);
        let ha1 = if self.sess {
            let inner = h(&secret);
            steps.push(AuthStep {
                name: "H(username:realm:password)".to_owned(),
                input: shown,
                value: inner.clone(),
            });
            let input = format!("{inner}:{}:{}", self.nonce, self.cnonce);
            let value = h(&input);
            steps.push(AuthStep {
                name: "HA1".to_owned(),
                input,
                value: value.clone(),
            });
            value
        } else {
            let value = h(&secret);
            steps.push(AuthStep {
                name: "HA1".to_owned(),
                input: shown,
                value: value.clone(),
            });
            value
        };
        let a2 = if self.qop.is_some_and(|q| q.eq_ignore_ascii_case("auth-int")) {
            let body_hash = self.hash.hex(self.body);
            steps.push(AuthStep {
                name: "H(entity-body)".to_owned(),
                input: show_body(self.body),
                value: body_hash.clone(),
            });
            format!("{}:{}:{body_hash}", self.method, self.uri)
        } else {
            format!("{}:{}", self.method, self.uri)
        };
        let ha2 = h(&a2);
        steps.push(AuthStep {
            name: "HA2".to_owned(),
            input: a2,
            value: ha2.clone(),
        });
        let input = match self.qop {
            Some(qop) => format!(
                "{ha1}:{}:{}:{}:{qop}:{ha2}",
                self.nonce, self.nc, self.cnonce
            ),
            None => format!("{ha1}:{}:{ha2}", self.nonce),
        };
        let value = h(&input);
        steps.push(AuthStep {
            name: "response".to_owned(),
            input,
            value,
        });
        steps
    }

    fn response(&self) -> String {
        self.steps().pop().map(|s| s.value).unwrap_or_default()
    }
}

fn show_body(body: &[u8]) -> String {
    if body.len() > MAX_BODY_SHOWN {
        format!(
            "{}… ({} bytes in all)",
            String::from_utf8_lossy(&body[..MAX_BODY_SHOWN]),
            body.len()
        )
    } else {
        String::from_utf8_lossy(body).into_owned()
    }
}

/// The path and query of an absolute-form target (RFC 7230 §5.3.2), or the target itself.
fn origin_form(target: &str) -> &str {
    let lower = target.get(..8).unwrap_or(target).to_ascii_lowercase();
    let rest = if lower.starts_with("http://") {
        &target[7..]
    } else if lower.starts_with("https://") {
        &target[8..]
    } else {
        return target;
    };
    match rest.find(['/', '?']) {
        Some(at) if rest[at..].starts_with('/') => &rest[at..],
        // `http://host?x` or `http://host`: the path is empty, which means `/`.
        _ => "/",
    }
}

fn is_absolute(target: &str) -> bool {
    origin_form(target).len() != target.len() || !target.starts_with(['/', '*'])
}

#[allow(clippy::too_many_lines)] // One pass over the fields in RFC order reads best as one.
fn check_digest(
    request: &HttpMessage,
    authz: &AuthParams,
    challenge: Option<&AuthParams>,
    password: &str,
) -> AuthVerdict {
    let mut verdict = AuthVerdict::new(AuthScheme::Digest);
    let (method, target) = match &request.start {
        StartLine::Request { method, target, .. } => (method.as_str(), target.as_str()),
        StartLine::Response { .. } => {
            verdict.mismatch(
                "method",
                "a request",
                "a response",
                "only a request carries Authorization".to_owned(),
            );
            return verdict.finish();
        }
    };

    // Required fields (RFC 7616 §3.4; cnonce and nc only with qop, §3.4 and RFC 2617 §3.2.2).
    let qop = authz.get("qop");
    let mut required = vec!["username", "realm", "nonce", "uri", "response"];
    if qop.is_some() {
        required.extend(["cnonce", "nc"]);
    }
    let complete = required.iter().all(|name| authz.get(name).is_some());
    for name in required {
        if authz.get(name).is_none() {
            let why = match name {
                "username" if authz.get("username*").is_some() => {
                    "only `username*` (RFC 7616 §3.4.4) was sent, which this debugger does not \
                     decode"
                        .to_owned()
                }
                "cnonce" | "nc" => format!(
                    "`{name}` is required when qop is sent (RFC 7616 §3.4, RFC 2617 §3.2.2)"
                ),
                _ => format!("`{name}` is required in a Digest Authorization (RFC 7616 §3.4)"),
            };
            verdict.missing(name, why);
        }
    }
    if qop.is_none() {
        for name in ["cnonce", "nc"] {
            if authz.get(name).is_some() {
                verdict.notes.push(format!(
                    "`{name}` is sent without qop; it is ignored (RFC 7616 §3.4)"
                ));
            }
        }
    }
    if let Some(nc) = authz.get("nc")
        && !(nc.len() == 8 && nc.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        verdict.notes.push(format!(
            "nc {nc:?} is not 8 hex digits (RFC 7616 §3.4); it is hashed as sent"
        ));
    }

    // Algorithm (RFC 7616 §3.4: absent means MD5).
    let algorithm = authz.get("algorithm");
    let parsed = parse_algorithm(algorithm.unwrap_or("MD5"));
    if parsed.is_none() {
        verdict.mismatch(
            "algorithm",
            "MD5, SHA-256 or SHA-512-256 (optionally -sess)",
            algorithm.unwrap_or_default(),
            "unknown algorithm: the response cannot be computed (RFC 7616 §6.1)".to_owned(),
        );
    }
    let userhash = authz
        .get("userhash")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if userhash {
        verdict.mismatch(
            "userhash",
            "false",
            "true",
            "the username is hashed (RFC 7616 §3.4.4) and this debugger does not know the \
             clear one: the response was not checked"
                .to_owned(),
        );
    }

    // Against the challenge (RFC 7616 §3.3, §3.4).
    if let Some(c) = challenge {
        check_against_challenge(&mut verdict, authz, c);
    }

    // uri against the request target (RFC 7616 §3.4.6, RFC 2617 §3.2.2.5).
    if let Some(uri) = authz.get("uri")
        && uri != target
    {
        if origin_form(uri) == origin_form(target) {
            verdict.notes.push(format!(
                "uri {uri:?} is in {} while the request target {target:?} is in {}; both name \
                 the same resource, which RFC 7616 §3.4.6 accepts, though a strict server \
                 compares the strings",
                form(uri),
                form(target)
            ));
        } else {
            verdict.mismatch(
                "uri",
                target,
                uri,
                format!(
                    "uri must name the resource of the request target (RFC 7616 §3.4.6); \
                     uri is in {}, the request target in {}",
                    form(uri),
                    form(target)
                ),
            );
        }
    }

    // The response itself.
    let fields = (
        authz.get("username"),
        authz.get("realm"),
        authz.get("nonce"),
        authz.get("uri"),
        authz.get("response"),
    );
    let (Some(username), Some(realm), Some(nonce), Some(uri), Some(sent), Some((hash, sess))) =
        (fields.0, fields.1, fields.2, fields.3, fields.4, parsed)
    else {
        return verdict.finish();
    };
    if userhash || !complete {
        return verdict.finish();
    }
    if qop.is_some_and(|q| !q.eq_ignore_ascii_case("auth") && !q.eq_ignore_ascii_case("auth-int")) {
        verdict.mismatch(
            "qop",
            "auth or auth-int",
            qop.unwrap_or_default(),
            "qop must be one token, auth or auth-int (RFC 7616 §3.4); it is hashed as sent"
                .to_owned(),
        );
    }
    let input = DigestInput {
        hash,
        sess,
        username,
        realm,
        password,
        nonce,
        cnonce: authz.get("cnonce").unwrap_or_default(),
        nc: authz.get("nc").unwrap_or_default(),
        qop,
        method,
        uri,
        body: &request.body,
    };
    verdict.steps = input.steps();
    let computed = input.response();
    if sent.trim().eq_ignore_ascii_case(&computed) {
        return verdict.finish();
    }
    if let Some(found) = explain(&input, sent.trim(), target) {
        verdict.mismatches.push(found);
    } else {
        let explanation = if verdict.mismatches.is_empty() {
            let unchecked = if challenge.is_none() {
                " (no challenge was given, so realm and nonce were not checked)"
            } else {
                ""
            };
            format!(
                "the password (or username) is wrong: every other field matches, so H(A1) \
                 differs (RFC 7616 §3.4.2){unchecked}"
            )
        } else {
            "the response does not match with the password given; the mismatches above may \
             explain it, or else the password (or username) is wrong (RFC 7616 §3.4.1)"
                .to_owned()
        };
        verdict.mismatch("response", &computed, sent, explanation);
    }
    verdict.finish()
}

fn form(target: &str) -> &'static str {
    if target == "*" {
        "asterisk-form"
    } else if is_absolute(target) {
        "absolute-form"
    } else {
        "origin-form"
    }
}

/// Realm, nonce, opaque, algorithm and qop against the challenge (RFC 7616 §3.3, §3.4).
fn check_against_challenge(verdict: &mut AuthVerdict, authz: &AuthParams, c: &AuthParams) {
    if !c.scheme.eq_ignore_ascii_case("digest") {
        verdict.mismatch(
            "scheme",
            &c.scheme,
            &authz.scheme,
            format!(
                "the challenge asks for {} but the client answered with Digest (RFC 7235 §2.1)",
                c.scheme
            ),
        );
        return;
    }
    if c.get("stale")
        .is_some_and(|s| s.eq_ignore_ascii_case("true"))
    {
        verdict.notes.push(
            "the challenge says stale=true: the previous nonce had expired and the client should \
             retry with the new one without asking for the password (RFC 7616 §3.3)"
                .to_owned(),
        );
    }
    for (name, why) in [
        (
            "realm",
            "the realm must be the challenge's: it is part of HA1 (RFC 7616 §3.3, §3.4.2)",
        ),
        (
            "nonce",
            "stale or foreign nonce: the client answered a nonce that is not the challenge's, \
             from an earlier challenge or a replay (RFC 7616 §3.3, §5.5)",
        ),
        (
            "opaque",
            "opaque must be returned unchanged (RFC 7616 §3.3, §3.4)",
        ),
    ] {
        match (c.get(name), authz.get(name)) {
            (Some(want), Some(got)) if want != got => {
                verdict.mismatch(name, want, got, why.to_owned());
            }
            (Some(want), None) if name == "opaque" => {
                verdict.mismatch(name, want, "(missing)", why.to_owned());
            }
            _ => {}
        }
    }
    let want_alg = c.get("algorithm").unwrap_or("MD5");
    let got_alg = authz.get("algorithm").unwrap_or("MD5");
    if !want_alg.eq_ignore_ascii_case(got_alg) {
        verdict.mismatch(
            "algorithm",
            want_alg,
            got_alg,
            "the algorithm must be the challenge's (absent means MD5) (RFC 7616 §3.3, §3.4)"
                .to_owned(),
        );
    }
    let offered: Vec<&str> = c
        .get("qop")
        .map(|q| {
            q.split(',')
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .collect()
        })
        .unwrap_or_default();
    match authz.get("qop") {
        Some(chosen) if offered.is_empty() => verdict.mismatch(
            "qop",
            "(absent)",
            chosen,
            "the challenge offered no qop, so the client must not send one (RFC 2617 §3.2.2)"
                .to_owned(),
        ),
        Some(chosen) if !offered.iter().any(|o| o.eq_ignore_ascii_case(chosen)) => verdict
            .mismatch(
                "qop",
                &offered.join(","),
                chosen,
                "the chosen qop was not offered by the challenge (RFC 7616 §3.3, §3.4)".to_owned(),
            ),
        None if !offered.is_empty() => verdict.mismatch(
            "qop",
            &offered.join(","),
            "(missing)",
            "the challenge offered qop, so the client must choose one (RFC 7616 §3.4, RFC 2617 \
             §3.2.2)"
                .to_owned(),
        ),
        _ => {}
    }
}

/// Tries changing one field at a time; the first change that makes the response match names
/// the field the client got wrong.
#[allow(clippy::too_many_lines)] // One hypothesis per field, in order; splitting scatters them.
fn explain(input: &DigestInput<'_>, sent: &str, target: &str) -> Option<AuthMismatch> {
    let matches = |alt: &DigestInput<'_>| alt.response().eq_ignore_ascii_case(sent);
    let found = |field: &str, expected: &str, found: &str, explanation: String| {
        Some(AuthMismatch {
            field: field.to_owned(),
            expected: expected.to_owned(),
            found: found.to_owned(),
            explanation,
        })
    };

    // Whitespace around the password supplied (a paste with a newline, for instance).
    let trimmed = input.password.trim();
    if trimmed != input.password
        && matches(&DigestInput {
            password: trimmed,
            ..input.clone()
        })
    {
        return found(
            "password",
            &mask(trimmed),
            &mask(input.password),
            "the response matches the password without its leading or trailing whitespace: \
             the password supplied has extra spaces"
                .to_owned(),
        );
    }
    for method in METHODS {
        if method != input.method
            && matches(&DigestInput {
                method,
                ..input.clone()
            })
        {
            return found(
                "method",
                input.method,
                method,
                format!(
                    "the response was computed with method {method}, but the request is {} \
                     (A2 = method:uri, RFC 7616 §3.4.3)",
                    input.method
                ),
            );
        }
    }
    let mut uris = vec![target, origin_form(target), origin_form(input.uri)];
    uris.dedup();
    for uri in uris {
        if uri != input.uri
            && matches(&DigestInput {
                uri,
                ..input.clone()
            })
        {
            return found(
                "uri",
                input.uri,
                uri,
                format!(
                    "the response was computed over uri {uri:?} but the uri parameter sent is \
                     {:?}; the uri parameter is what must be hashed (RFC 7616 §3.4.3)",
                    input.uri
                ),
            );
        }
    }
    for hash in [Hash::Md5, Hash::Sha256, Hash::Sha512_256] {
        for sess in [false, true] {
            if (hash, sess) != (input.hash, input.sess)
                && matches(&DigestInput {
                    hash,
                    sess,
                    ..input.clone()
                })
            {
                let used = algorithm_name(hash, sess);
                let named = algorithm_name(input.hash, input.sess);
                return found(
                    "algorithm",
                    &named,
                    &used,
                    format!(
                        "the response was computed with {used} but the algorithm parameter \
                         says {named} (RFC 7616 §3.4.2, §6.1)"
                    ),
                );
            }
        }
    }
    let qops: [Option<&str>; 3] = [None, Some("auth"), Some("auth-int")];
    for qop in qops {
        let differs = match (qop, input.qop) {
            (Some(a), Some(b)) => !a.eq_ignore_ascii_case(b),
            (a, b) => a.is_some() != b.is_some(),
        };
        if differs
            && matches(&DigestInput {
                qop,
                ..input.clone()
            })
        {
            let used = qop.unwrap_or("(none, RFC 2069)");
            let named = input.qop.unwrap_or("(absent)");
            return found(
                "qop",
                named,
                used,
                format!(
                    "the response was computed as for qop {used} but the qop parameter is \
                     {named} (RFC 7616 §3.4.1)"
                ),
            );
        }
    }
    if input
        .qop
        .is_some_and(|q| q.eq_ignore_ascii_case("auth-int"))
        && !input.body.is_empty()
        && matches(&DigestInput {
            body: &[],
            ..input.clone()
        })
    {
        return found(
            "H(entity-body)",
            &input.hash.hex(input.body),
            &input.hash.hex(&[]),
            format!(
                "with qop auth-int the response was computed over an empty body, but the request \
                 has {} bytes (RFC 7616 §3.4.3)",
                input.body.len()
            ),
        );
    }
    None
}

// ---------------------------------------------------------------------------------------------
// UDP

fn hmac_sha1_hex(key: &[u8], text: &[u8]) -> String {
    // HMAC accepts keys of any length (RFC 2104 §2), so `new_from_slice` cannot fail here.
    match Hmac::<sha1::Sha1>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(text);
            hex(&mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Whether the target's query has a parameter with this (unencoded) name.
fn query_has(target: &str, name: &str) -> bool {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    query
        .split('&')
        .any(|pair| pair.split_once('=').map_or(pair, |(k, _)| k) == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(
            base64_decode("QWxhZGRpbjpvcGVuIHNlc2FtZQ==").as_deref(),
            Some(&b"Aladdin:open sesame"[..])
        );
        assert_eq!(base64_decode("YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64_decode("YWI=").as_deref(), Some(&b"ab"[..]));
        assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
        assert_eq!(base64_decode("Y"), None);
        assert_eq!(base64_decode("Y Q"), None);
    }

    #[test]
    fn origin_forms() {
        assert_eq!(origin_form("http://h:80/a?b"), "/a?b");
        assert_eq!(origin_form("HTTPS://h"), "/");
        assert_eq!(origin_form("http://h?x"), "/");
        assert_eq!(origin_form("/a"), "/a");
        assert_eq!(origin_form("é"), "é");
        assert_eq!(form("http://h/"), "absolute-form");
        assert_eq!(form("/x"), "origin-form");
    }

    #[test]
    fn masks() {
        assert_eq!(mask("abc"), "***");
        assert_eq!(mask("Circle Of Life"), "C************e");
    }
}
