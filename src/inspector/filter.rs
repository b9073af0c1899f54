//! The filter box: a query such as `serial:QRTB rpc:SetParameterValues fault:9005` parsed into
//! terms that must all hold, and its result over a capture — which messages of which sessions
//! match.
//!
//! Terms (case-insensitive):
//! - `serial:…` — the device's SerialNumber contains it;
//! - `rpc:…` — the message's RPC name contains it, or its short form is it (`rpc:SPV`);
//! - `fault:…` — the message's fault code starts with it (`fault:9005`, `fault:90`);
//! - `param:…` — a parameter name or path the message lists contains it;
//! - `rule:…` — a finding on the message has a rule id starting with it (`rule:codec.`);
//! - anything else — free text: the device (id, serial, manufacturer, product class), the
//!   session's or message's event codes, or the RPC name contains it.

use std::collections::HashSet;

use cwmp_session::{Capture, Message, Session};

use super::decoded::Decoded;
use super::format::short_rpc;

/// One term of a filter, its value lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// `serial:…`
    Serial(String),
    /// `rpc:…`
    Rpc(String),
    /// `fault:…`
    Fault(String),
    /// `param:…`
    Param(String),
    /// `rule:…`
    Rule(String),
    /// Free text.
    Text(String),
}

/// A parsed filter: every term must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    terms: Vec<Term>,
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

impl Filter {
    /// Parses a query: whitespace separates terms; `key:value` with a known key is that term,
    /// a known key with an empty value is ignored (the user is still typing), anything else is
    /// free text.
    pub fn parse(query: &str) -> Self {
        let terms = query
            .split_whitespace()
            .filter_map(|word| {
                let lower = word.to_lowercase();
                let Some((key, value)) = lower.split_once(':') else {
                    return Some(Term::Text(lower));
                };
                let make: fn(String) -> Term = match key {
                    "serial" | "sn" => Term::Serial,
                    "rpc" => Term::Rpc,
                    "fault" => Term::Fault,
                    "param" => Term::Param,
                    "rule" => Term::Rule,
                    _ => return Some(Term::Text(lower.clone())),
                };
                (!value.is_empty()).then(|| make(value.to_owned()))
            })
            .collect();
        Self { terms }
    }

    /// The terms, in the order typed.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Whether the filter has no term.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Which messages of which sessions match. `param:` terms decode each message's parameter
    /// names through `decoded`, once per capture.
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
            .map(|session| {
                session
                    .messages
                    .iter()
                    .filter(|message| self.matches(capture, decoded, session, message, &rules))
                    .map(|message| message.index)
                    .collect()
            })
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

    fn matches(
        &self,
        capture: &Capture,
        decoded: &Decoded,
        session: &Session,
        message: &Message,
        rules: &[RuleHits],
    ) -> bool {
        let device = session.device.and_then(|d| capture.devices.get(d));
        let mut rules = rules.iter();
        self.terms.iter().all(|term| match term {
            Term::Serial(value) => {
                device.is_some_and(|d| d.serial_number.to_lowercase().contains(value.as_str()))
            }
            Term::Rpc(value) => {
                message.rpc.to_lowercase().contains(value.as_str())
                    || short_rpc(&message.rpc).eq_ignore_ascii_case(value)
            }
            Term::Fault(value) => message
                .summary
                .fault_code
                .is_some_and(|code| code.to_string().starts_with(value.as_str())),
            Term::Param(value) => decoded
                .parameter_names(capture, message)
                .iter()
                .any(|name| name.to_lowercase().contains(value.as_str())),
            Term::Rule(_) => rules
                .next()
                .is_some_and(|hits| hits.concerns(session.id, message.index)),
            Term::Text(value) => {
                let contains = |s: &str| s.to_lowercase().contains(value.as_str());
                device.is_some_and(|d| {
                    contains(&d.id)
                        || contains(&d.serial_number)
                        || contains(&d.manufacturer)
                        || contains(&d.product_class)
                }) || session.events.iter().any(|e| contains(e))
                    || message.summary.events.iter().any(|e| contains(e))
                    || contains(&message.rpc)
            }
        })
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
            .filter(|f| f.rule.to_lowercase().starts_with(prefix))
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
