//! The filter box: a query such as `serial:QRTB rpc:AddObject fault:9005` parsed into terms, and
//! its result over a capture — which sessions it leaves and which of their messages match.
//!
//! Terms (case-insensitive):
//! - `serial:…` (or `sn:…`) — the device's SerialNumber contains it;
//! - `rpc:…` — the message's RPC name contains it, or its short form is it (`rpc:SPV`);
//! - `fault:…` — the message's fault code starts with it (`fault:9005`, `fault:90`), or its
//!   fault string contains it; `fault:` alone — the message is a fault;
//! - `param:…` — a parameter name or path the message lists contains it;
//! - `rule:…` — a finding on the message has a rule id starting with it (`rule:codec.`);
//! - anything else — free text: the device (id, serial, manufacturer, product class), the
//!   session's or message's event codes, the RPC name, the fault code and string, or any text
//!   of the message's body (parameter names and values among them) contains it.
//!
//! A word `key:value` whose key is letters but no known key is an error, shown in the box, and
//! is left out of the filter; words such as MAC addresses (`00:11:22:…`) and URLs are free text.
//!
//! Terms combine per session: a session is shown when each term matches one of its messages,
//! not necessarily the same (`rpc:AddObject fault:9005` finds the session where an AddObject
//! was answered by a 9005). Its matching messages are those that match every term, or when
//! none does, those that match any.

use std::collections::HashSet;

use cwmp_session::{Capture, Message, Session};

use super::decoded::Decoded;
use super::format::{lowercase, short_rpc};

/// One term of a filter, its value lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// `serial:…`
    Serial(String),
    /// `rpc:…`
    Rpc(String),
    /// `fault:…`; empty: any fault.
    Fault(String),
    /// `param:…`
    Param(String),
    /// `rule:…`
    Rule(String),
    /// Free text.
    Text(String),
}

/// A parsed filter: every term must match within a session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    terms: Vec<Term>,
    errors: Vec<String>,
}

/// What a filter leaves of a capture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterResult {
    /// Whether the filter has any term (an empty filter matches everything).
    pub active: bool,
    /// For each session (by id), the indices of its matching messages.
    pub matches: Vec<Vec<usize>>,
    /// Ids of the sessions with at least one matching message, in capture order.
    pub visible: Vec<usize>,
}

impl FilterResult {
    /// The matching messages of a session (empty when none, or when the id is unknown).
    pub fn session_matches(&self, session: usize) -> &[usize] {
        self.matches.get(session).map_or(&[], Vec::as_slice)
    }

    /// Whether a session has a matching message.
    pub fn shows(&self, session: usize) -> bool {
        !self.active || !self.session_matches(session).is_empty()
    }
}

/// The keys a term may have, as typed.
const KEYS: &str = "serial:, rpc:, fault:, param:, rule:";

impl Filter {
    /// Parses a query: whitespace separates terms; `key:value` with a known key is that term
    /// (a known key with an empty value is ignored while the user types it, but `fault:` means
    /// any fault); a letters-only unknown key is an error; anything else is free text.
    pub fn parse(query: &str) -> Self {
        let mut filter = Self::default();
        for word in query.split_whitespace() {
            let lower = lowercase(word);
            let Some((key, value)) = lower.split_once(':') else {
                filter.terms.push(Term::Text(lower));
                continue;
            };
            let make: fn(String) -> Term = match key {
                "serial" | "sn" => Term::Serial,
                "rpc" => Term::Rpc,
                "fault" => Term::Fault,
                "param" => Term::Param,
                "rule" => Term::Rule,
                _ if !key.is_empty()
                    && key.bytes().all(|b| b.is_ascii_alphabetic())
                    && !value.starts_with("//") =>
                {
                    filter.errors.push(format!("unknown key “{key}:” ({KEYS})"));
                    continue;
                }
                _ => {
                    filter.terms.push(Term::Text(lower.clone()));
                    continue;
                }
            };
            if !value.is_empty() || key == "fault" {
                filter.terms.push(make(value.to_owned()));
            }
        }
        filter
    }

    /// The terms, in the order typed.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// What in the query could not be understood, one sentence each.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// Whether the filter has no term.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Which messages of which sessions match. `param:` terms decode each message's parameter
    /// names through `decoded`, and free text reads the bodies' text, once per capture.
    pub fn apply(&self, capture: &Capture, decoded: &Decoded) -> FilterResult {
        if self.is_empty() {
            return FilterResult {
                active: false,
                matches: capture
                    .sessions
                    .iter()
                    .map(|s| (0..s.messages.len()).collect())
                    .collect(),
                visible: capture.sessions.iter().map(|s| s.id).collect(),
            };
        }
        let rules: Vec<RuleHits> = self
            .terms
            .iter()
            .filter_map(|term| match term {
                Term::Rule(prefix) => Some(RuleHits::new(capture, prefix)),
                _ => None,
            })
            .collect();
        let matches: Vec<Vec<usize>> = capture
            .sessions
            .iter()
            .map(|session| self.session_matches(capture, decoded, session, &rules))
            .collect();
        let visible = matches
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.is_empty())
            .map(|(id, _)| id)
            .collect();
        FilterResult {
            active: true,
            matches,
            visible,
        }
    }

    /// The matching messages of one session: empty unless every term matches one of them.
    fn session_matches(
        &self,
        capture: &Capture,
        decoded: &Decoded,
        session: &Session,
        rules: &[RuleHits],
    ) -> Vec<usize> {
        let device = session.device.and_then(|d| capture.devices.get(d));
        let mut rules = rules.iter();
        // Per term, which messages it matches.
        let mut hits: Vec<Vec<bool>> = Vec::with_capacity(self.terms.len());
        for term in &self.terms {
            let rule = match term {
                Term::Rule(_) => rules.next(),
                _ => None,
            };
            let session_wide = match term {
                Term::Serial(value) => Some(
                    device.is_some_and(|d| lowercase(&d.serial_number).contains(value.as_str())),
                ),
                Term::Text(value) => {
                    let contains = |s: &str| lowercase(s).contains(value.as_str());
                    let wide = device.is_some_and(|d| {
                        contains(&d.id)
                            || contains(&d.serial_number)
                            || contains(&d.manufacturer)
                            || contains(&d.product_class)
                    }) || session.events.iter().any(|e| contains(e));
                    wide.then_some(true)
                }
                _ => None,
            };
            let term_hits: Vec<bool> = match session_wide {
                Some(all) => vec![all; session.messages.len()],
                None => session
                    .messages
                    .iter()
                    .map(|message| message_matches(term, rule, capture, decoded, session, message))
                    .collect(),
            };
            if !term_hits.contains(&true) {
                return Vec::new();
            }
            hits.push(term_hits);
        }
        let indices = |keep: &dyn Fn(usize) -> bool| -> Vec<usize> {
            session
                .messages
                .iter()
                .enumerate()
                .filter(|&(at, _)| keep(at))
                .map(|(_, message)| message.index)
                .collect()
        };
        let every = indices(&|at| hits.iter().all(|h| h[at]));
        if every.is_empty() {
            indices(&|at| hits.iter().any(|h| h[at]))
        } else {
            every
        }
    }
}

/// Whether one message matches a term that is not already settled for its whole session.
fn message_matches(
    term: &Term,
    rule: Option<&RuleHits>,
    capture: &Capture,
    decoded: &Decoded,
    session: &Session,
    message: &Message,
) -> bool {
    let summary = &message.summary;
    let fault_string = || lowercase(summary.fault_string.as_deref().unwrap_or_default());
    match term {
        Term::Serial(_) => false,
        Term::Rpc(value) => {
            lowercase(&message.rpc).contains(value.as_str())
                || short_rpc(&message.rpc).eq_ignore_ascii_case(value)
        }
        Term::Fault(value) => summary.fault_code.is_some_and(|code| {
            code.to_string().starts_with(value.as_str()) || fault_string().contains(value.as_str())
        }),
        Term::Param(value) => decoded
            .parameter_names(capture, message)
            .iter()
            .any(|name| lowercase(name).contains(value.as_str())),
        Term::Rule(_) => rule.is_some_and(|hits| hits.concerns(session.id, message.index)),
        Term::Text(value) => {
            lowercase(&message.rpc).contains(value.as_str())
                || summary
                    .events
                    .iter()
                    .any(|e| lowercase(e).contains(value.as_str()))
                || summary
                    .fault_code
                    .is_some_and(|code| code.to_string().contains(value.as_str()))
                || fault_string().contains(value.as_str())
                || decoded.text(capture, message).contains(value.as_str())
        }
    }
}

/// The messages (and whole sessions) that findings of one rule prefix concern.
struct RuleHits {
    messages: HashSet<(usize, usize)>,
    /// Sessions with a matching finding that names no message: all their messages match.
    sessions: HashSet<usize>,
}

impl RuleHits {
    fn new(capture: &Capture, prefix: &str) -> Self {
        let mut hits = Self {
            messages: HashSet::new(),
            sessions: HashSet::new(),
        };
        for finding in capture
            .findings
            .iter()
            .filter(|f| lowercase(&f.rule).starts_with(prefix))
        {
            if finding.messages.is_empty() {
                hits.sessions.extend(finding.session);
            }
            hits.messages
                .extend(finding.messages.iter().map(|at| (at.session, at.message)));
        }
        hits
    }

    fn concerns(&self, session: usize, message: usize) -> bool {
        self.sessions.contains(&session) || self.messages.contains(&(session, message))
    }
}
