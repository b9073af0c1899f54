//! HTTP authentication (TR-069 §3.4.4, and §3.2.2 for connection requests): why it failed, said
//! as what it is (another scheme, another realm, a stale nonce, a wrong `uri`, a `qop` that was
//! not offered, no answer at all), the password only when everything else matches; and what it
//! exposes (Basic over plain HTTP, a connection request accepted without authentication).
//!
//! A client's requests form a chain while the server answers them 401; a chain whose last
//! request is refused failed, and is diagnosed from its last request that carried credentials,
//! against the challenge that request answers.

use cwmp_capture::{AuthParams, HttpExchange, HttpMessage, StartLine};

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{Capture, Direction, Finding, MessageRef, Session, at, finding};

/// A request later than this after a refusal is a new try rather than the answer to its
/// challenge (the CPE's first session retry waits 5 to 10 s, TR-069 §3.2.1.1).
const ANSWER_WINDOW_NS: i64 = 30_000_000_000;

/// One request and the answer to it.
struct Attempt<'a> {
    request: &'a HttpMessage,
    /// The answer's status; `None` when it was not captured.
    status: Option<u16>,
    /// Every `WWW-Authenticate` challenge of the answer.
    challenges: Vec<AuthParams>,
    /// The request's `Authorization`, as a server reads it (the last one).
    authorization: Option<AuthParams>,
    /// The messages to point at: the request and its answer, when they are in a session.
    refs: Vec<MessageRef>,
}

impl<'a> Attempt<'a> {
    fn new(x: &'a HttpExchange, refs: Vec<MessageRef>) -> Option<Self> {
        let request = x.request.as_ref()?;
        let response = x.response.as_ref();
        Some(Self {
            request,
            status: response.and_then(HttpMessage::status),
            challenges: response
                .map(|r| {
                    r.headers_named("www-authenticate")
                        .filter_map(AuthParams::parse)
                        .collect()
                })
                .unwrap_or_default(),
            authorization: request
                .headers_named("authorization")
                .last()
                .and_then(AuthParams::parse),
            refs,
        })
    }

    fn refused(&self) -> bool {
        self.status == Some(401)
    }

    fn target(&self) -> &str {
        match &self.request.start {
            StartLine::Request { target, .. } => target,
            StartLine::Response { .. } => "",
        }
    }
}

/// Who authenticates, and where findings go.
#[derive(Clone, Copy)]
struct Place {
    /// `CPE` (to the ACS, in sessions) or `ACS` (to the CPE, in connection requests).
    client: &'static str,
    server: &'static str,
    session: Option<usize>,
    connection_request: Option<usize>,
}

impl Place {
    fn push(self, out: &mut Vec<Finding>, rule: &'static str, refs: Vec<MessageRef>, text: String) {
        let mut f = finding(rule, self.session, refs, text);
        f.connection_request = self.connection_request;
        out.push(f);
    }
}

/// Runs the authentication rules over every device's sessions and every connection request.
pub(super) fn auth(capture: &Capture, out: &mut Vec<Finding>) {
    for sessions in device_groups(capture) {
        cpe_to_acs(capture, &sessions, out);
    }
    for (id, cr) in capture.connection_requests.iter().enumerate() {
        let place = Place {
            client: "ACS",
            server: "CPE",
            session: cr.session,
            connection_request: Some(id),
        };
        let chain: Vec<Attempt<'_>> = cr
            .record
            .attempts
            .iter()
            .filter_map(|a| Attempt::new(capture.exchanges.get(a.exchange)?, Vec::new()))
            .collect();
        let accepted = chain
            .last()
            .and_then(|a| a.status)
            .is_some_and(|s| (200..300).contains(&s));
        if accepted && chain.iter().all(|a| a.authorization.is_none()) {
            place.push(
                out,
                "auth.connection-request-unauthenticated",
                Vec::new(),
                format!(
                    "the CPE accepted the connection request to {} without authenticating the \
                     ACS: it must answer an unauthenticated GET with a Digest challenge (401), or \
                     anyone who reaches it can make it call the ACS",
                    cr.target
                ),
            );
        }
        if chain.iter().any(|a| is_basic(a.authorization.as_ref())) {
            place.push(
                out,
                "auth.basic-over-http",
                Vec::new(),
                format!(
                    "the ACS sent Basic credentials in the connection request to {}: connection \
                     requests travel over plain HTTP and authenticate with Digest, so the \
                     password crossed the network readable",
                    cr.target
                ),
            );
        }
        if chain.last().is_some_and(Attempt::refused) {
            diagnose(&chain, &[], place, out);
        }
    }
}

/// Per device, across its sessions (a retry after a 401 on a new connection starts a new
/// session), then each session without device on its own.
pub(super) fn device_groups(capture: &Capture) -> Vec<Vec<&Session>> {
    let mut groups: Vec<Vec<&Session>> = capture
        .devices
        .iter()
        .map(|d| {
            d.sessions
                .iter()
                .filter_map(|&i| capture.sessions.get(i))
                .collect()
        })
        .collect();
    groups.extend(
        capture
            .sessions
            .iter()
            .filter(|s| s.device.is_none())
            .map(|s| vec![s]),
    );
    groups
}

/// The CPE's POSTs of one device, in order, cut into chains at each answer that is not a 401.
fn cpe_to_acs(capture: &Capture, sessions: &[&Session], out: &mut Vec<Finding>) {
    let mut chain: Vec<Attempt<'_>> = Vec::new();
    let mut chain_session = None;
    // Nonces the ACS issued to this device so far, to tell an old nonce from an invented one.
    let mut issued: Vec<String> = Vec::new();
    for s in sessions {
        let mut basic_in_clear = Vec::new();
        // The ACS answer of each exchange, to point at it (one pass: sessions can be long).
        let answers: HashMap<usize, usize> = s
            .messages
            .iter()
            .filter(|a| a.direction == Direction::AcsToCpe)
            .map(|a| (a.exchange, a.index))
            .collect();
        for m in s
            .messages
            .iter()
            .filter(|m| m.direction == Direction::CpeToAcs)
        {
            let Some(x) = capture.exchanges.get(m.exchange) else {
                continue;
            };
            let mut refs = vec![at(s, m.index)];
            refs.extend(answers.get(&m.exchange).map(|&a| at(s, a)));
            let Some(attempt) = Attempt::new(x, refs) else {
                continue;
            };
            if is_basic(attempt.authorization.as_ref()) && plain_http(x) {
                basic_in_clear.push(at(s, m.index));
            }
            // A request long after the last refusal is a new try, not an answer to it.
            let late = match (
                chain.last().and_then(|a| a.request.first_time),
                attempt.request.first_time,
            ) {
                (Some(a), Some(b)) => b.0 - a.0 > ANSWER_WINDOW_NS,
                _ => false,
            };
            if late {
                if chain.last().is_some_and(Attempt::refused) {
                    let session = chain_session.unwrap_or_default();
                    diagnose(&chain, &issued, cpe_place(session), out);
                }
                chain.clear();
            }
            let refused = attempt.refused();
            chain.push(attempt);
            chain_session = Some(s.id);
            if !refused {
                chain.clear();
            }
            for c in chain.last().map_or(&[][..], |a| a.challenges.as_slice()) {
                if let Some(nonce) = c.get("nonce")
                    && !issued.iter().any(|n| n == nonce)
                {
                    issued.push(nonce.to_owned());
                }
            }
        }
        if let Some(&first) = basic_in_clear.first() {
            let times = if basic_in_clear.len() > 1 {
                format!(" ({} times in this session)", basic_in_clear.len())
            } else {
                String::new()
            };
            let place = cpe_place(first.session);
            place.push(
                out,
                "auth.basic-over-http",
                basic_in_clear,
                format!(
                    "the CPE sent Basic credentials over plain HTTP{times}: its user name and \
                     password cross the network readable (base64 is no encryption); without \
                     TLS the ACS should challenge with Digest"
                ),
            );
        }
    }
    if chain.last().is_some_and(Attempt::refused) {
        diagnose(
            &chain,
            &issued,
            cpe_place(chain_session.unwrap_or_default()),
            out,
        );
    }
}

fn cpe_place(session: usize) -> Place {
    Place {
        client: "CPE",
        server: "ACS",
        session: Some(session),
        connection_request: None,
    }
}

fn is_basic(authorization: Option<&AuthParams>) -> bool {
    authorization.is_some_and(|a| a.scheme.eq_ignore_ascii_case("basic"))
}

/// Whether a request is known to have crossed the network in the clear: an `http://` URL, or
/// an exchange read from a TCP connection (the capture decodes no TLS, so HTTP it shows from
/// TCP was sent as plain text; a share link keeps the connection). A text without connections
/// (a transcript, a log) says nothing. Only a `follow,tls` text of a decrypted stream would be
/// misread, and it is rare.
fn plain_http(x: &HttpExchange) -> bool {
    let target = match x.request.as_ref().map(|r| &r.start) {
        Some(StartLine::Request { target, .. }) => target.as_str(),
        _ => "",
    };
    let scheme = target
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http") => true,
        Some(_) => false,
        None => x.stream.is_some(),
    }
}

/// Says why a failed chain (its last request refused with 401) failed.
fn diagnose(chain: &[Attempt<'_>], issued: &[String], place: Place, out: &mut Vec<Finding>) {
    let (client, server) = (place.client, place.server);
    let first_challenge = chain.iter().position(|a| !a.challenges.is_empty());
    // The last request that carried credentials in answer to (or ahead of) a challenge.
    let answered = chain.iter().rposition(|a| a.authorization.is_some());
    let Some(k) = answered else {
        let refs: Vec<MessageRef> = chain.iter().flat_map(|a| a.refs.clone()).collect();
        let offered = chain
            .iter()
            .rev()
            .find_map(|a| a.challenges.first())
            .map_or_else(|| "401 without a challenge".to_owned(), describe_challenge);
        let times = chain.iter().filter(|a| a.refused()).count();
        let text = if first_challenge.is_some() {
            format!(
                "the {server} challenged the {client} ({offered}) {} and the {client} never \
                 answered with credentials: no request carries an Authorization header",
                count(times, "time", "times")
            )
        } else {
            format!(
                "the {server} refused the {client} with 401 {} but sent no WWW-Authenticate \
                 challenge, so the {client} cannot know how to authenticate",
                count(times, "time", "times")
            )
        };
        place.push(out, "auth.challenge-unanswered", refs, text);
        return;
    };
    let attempt = &chain[k];
    let Some(authz) = &attempt.authorization else {
        return;
    };
    // The challenge it answers: the last one before it, else the one refusing it.
    let challenges = chain[..k]
        .iter()
        .rev()
        .find(|a| !a.challenges.is_empty())
        .unwrap_or(attempt)
        .challenges
        .as_slice();
    let mut refs = attempt.refs.clone();
    if challenges.is_empty() {
        return;
    }
    let Some(challenge) = challenges
        .iter()
        .find(|c| c.scheme.eq_ignore_ascii_case(&authz.scheme))
    else {
        let same: Vec<&Attempt<'_>> = chain
            .iter()
            .filter(|a| {
                a.authorization
                    .as_ref()
                    .is_some_and(|x| x.scheme.eq_ignore_ascii_case(&authz.scheme))
            })
            .collect();
        refs = same.iter().flat_map(|a| a.refs.clone()).collect();
        let offered: Vec<String> = challenges.iter().map(describe_challenge).collect();
        place.push(
            out,
            "auth.scheme-mismatch",
            refs,
            format!(
                "the {server} challenges with {} and the {client} answers with {} ({}): a \
                 scheme mismatch, not wrong credentials; the {client} must answer in the scheme \
                 offered",
                offered.join(" or "),
                authz.scheme,
                count(same.len(), "time", "times")
            ),
        );
        return;
    };
    let before = out.len();
    if authz.scheme.eq_ignore_ascii_case("digest") {
        check_digest(attempt, authz, challenge, issued, place, &refs, out);
    }
    if out.len() == before {
        // A Basic token is a secret (share links redact it): its user name is not repeated.
        let user = authz
            .get("username")
            .map(|u| format!(" for user {u:?}"))
            .unwrap_or_default();
        let fields = if authz.scheme.eq_ignore_ascii_case("digest") {
            "its scheme, realm, nonce, uri, qop and algorithm all match the challenge"
        } else {
            "it answers the Basic challenge in its scheme"
        };
        place.push(
            out,
            "auth.credentials-refused",
            refs,
            format!(
                "the {server} refused the {client}'s {} credentials{user}, and {fields}: \
                 the password (or the user name) is the likely cause",
                authz.scheme
            ),
        );
    }
}

/// The Digest fields a refused answer got wrong, each as a finding.
fn check_digest(
    attempt: &Attempt<'_>,
    authz: &AuthParams,
    challenge: &AuthParams,
    issued: &[String],
    place: Place,
    refs: &[MessageRef],
    out: &mut Vec<Finding>,
) {
    let (client, server) = (place.client, place.server);
    let push = |out: &mut Vec<Finding>, rule, text| place.push(out, rule, refs.to_vec(), text);
    let sent = |name: &str| authz.get(name).unwrap_or("(none)");
    if authz.get("realm") != challenge.get("realm") {
        push(
            out,
            "auth.realm-mismatch",
            format!(
                "the {client} answers for realm {:?} but the {server} challenged for realm {:?}: \
                 the credentials are for another protection space",
                sent("realm"),
                challenge.get("realm").unwrap_or("(none)")
            ),
        );
    }
    let stale = attempt.challenges.iter().any(|c| {
        c.get("stale")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    });
    let nonce = authz.get("nonce");
    if stale {
        push(
            out,
            "auth.stale-nonce",
            format!(
                "the {server} answered stale=true: nonce {:?} has expired; the {client} must \
                 retry at once with the new nonce of that challenge (its credentials may be right)",
                sent("nonce")
            ),
        );
    } else if nonce != challenge.get("nonce") {
        let origin = if nonce.is_some_and(|n| issued.iter().any(|i| i == n)) {
            "an earlier challenge's nonce"
        } else {
            "a nonce never issued in this capture"
        };
        push(
            out,
            "auth.stale-nonce",
            format!(
                "the {client} answers with nonce {:?}, {origin}, instead of {:?} from the \
                 challenge it answers: a stale or invented nonce",
                sent("nonce"),
                challenge.get("nonce").unwrap_or("(none)")
            ),
        );
    }
    let target = attempt.target();
    if !authz.get("uri").is_some_and(|u| same_target(u, target)) {
        push(
            out,
            "auth.uri-mismatch",
            format!(
                "the {client}'s Digest uri {:?} is not the request target {target:?}: the \
                 {server} hashes the target it received, so the response cannot match",
                sent("uri")
            ),
        );
    }
    let offered: Vec<String> = challenge
        .get("qop")
        .map(|q| {
            q.split(',')
                .map(|t| t.trim().to_ascii_lowercase())
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let chosen = authz.get("qop").map(|q| q.trim().to_ascii_lowercase());
    let qop_wrong = match &chosen {
        Some(q) => !offered.iter().any(|o| o == q),
        None => !offered.is_empty(),
    };
    if qop_wrong {
        let offered_text = if offered.is_empty() {
            "none".to_owned()
        } else {
            offered.join(", ")
        };
        push(
            out,
            "auth.qop-not-offered",
            format!(
                "the {client} answers with qop {:?} but the {server} offered {offered_text}",
                chosen.as_deref().unwrap_or("(none)")
            ),
        );
    }
    let algorithm = |a: &AuthParams| a.get("algorithm").unwrap_or("MD5").to_ascii_uppercase();
    if algorithm(authz) != algorithm(challenge) {
        push(
            out,
            "auth.algorithm-mismatch",
            format!(
                "the {client} hashes with {} but the {server} asked for {}",
                algorithm(authz),
                algorithm(challenge)
            ),
        );
    }
}

/// Whether a Digest `uri` names the request target: the same text, or an absolute URI whose
/// path and query are the target (RFC 7616 §3.4.6 lets either side use the absolute form).
fn same_target(uri: &str, target: &str) -> bool {
    fn origin_form(s: &str) -> &str {
        match s.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => s,
        }
    }
    uri == target || origin_form(uri) == origin_form(target)
}

/// `Digest realm="acs" qop="auth"` for a challenge.
fn describe_challenge(c: &AuthParams) -> String {
    let mut out = c.scheme.clone();
    for name in ["realm", "qop"] {
        if let Some(v) = c.get(name) {
            let _ = write!(out, " {name}=\"{v}\"");
        }
    }
    out
}

fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}
