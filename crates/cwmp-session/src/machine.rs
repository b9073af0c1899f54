//! The CWMP session state machine, sans IO: emulators drive it message by message, and analysis
//! runs it over every captured session (the order rules of the linter come from it).
//!
//! Time is always a parameter (nanoseconds since the Unix epoch, as in captures); the machine
//! never reads a clock. Rule violations queue up and are taken with
//! [`SessionMachine::poll_violation`].
//!
//! The states follow the message order of TR-069 §3.7.1 and §3.4 (notes §2.4 and §2.5):
//! Inform and InformResponse first, then the CPE's own requests up to its empty POST, then the
//! ACS's requests, each answered by the CPE, up to the ACS's empty HTTP response.

use std::collections::VecDeque;

use serde::Serialize;

use crate::model::{Direction, Message, MessageKind, Session};

/// How long a session may stay silent when the CPE gave no `SessionTimeout` header: 30 s.
pub const DEFAULT_SESSION_TIMEOUT_NS: i64 = 30_000_000_000;

/// Where a session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Nothing yet: the CPE opens the session with Inform in its first POST (TR-069 §3.7.1.1).
    AwaitingInform,
    /// The CPE sent Inform; the ACS answers InformResponse (or a 401 challenge, after which the
    /// CPE sends Inform again) before any request of its own (§3.7.1.1, notes §2.1).
    AwaitingInformResponse,
    /// The CPE sends its own requests (TransferComplete, GetRPCMethods, …), one per POST, each
    /// answered by the ACS, unless HoldRequests is in force; then its empty POST (§3.7.1.3,
    /// notes §2.4).
    CpeRequests,
    /// After the CPE's empty POST: the ACS sends requests in its HTTP responses and the CPE
    /// answers each in its next POST, until the ACS sends an empty response (§3.4, notes §2.4).
    AcsRequests,
    /// The ACS sent its empty HTTP response (204 No Content), or the Inform was refused by a
    /// fault (§3.7.1.6, notes §2.5).
    Ended,
    /// The ACS refused the CPE's last POST with 401 Unauthorized (HTTP authentication, §3.4.4):
    /// the CPE sends it again with credentials answering the challenge, then the session goes
    /// on from where it stood before the refused POST.
    Unauthorized,
}

impl State {
    /// The kebab-case name, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingInform => "awaiting-inform",
            Self::AwaitingInformResponse => "awaiting-inform-response",
            Self::CpeRequests => "cpe-requests",
            Self::AcsRequests => "acs-requests",
            Self::Ended => "ended",
            Self::Unauthorized => "unauthorized",
        }
    }
}

/// A rule broken by a message, or by silence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule id, as in [`crate::RULES`].
    pub rule: &'static str,
    /// A sentence for the user.
    pub message: String,
    /// How many messages the machine had handled before this one (the index of the message in
    /// the session, when every message is fed).
    pub message_index: usize,
}

/// What each side may send next, in words, for the replay view and for emulators.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Expected {
    /// What the CPE may send next (empty while it waits for the ACS).
    pub cpe_may_send: Vec<String>,
    /// What the ACS may send next (empty while it waits for the CPE).
    pub acs_may_send: Vec<String>,
}

/// One CWMP message as the machine sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Observed<'a> {
    /// The body element's local name (`Inform`, `GetParameterValuesResponse`, `Fault`, `Empty`).
    pub rpc: &'a str,
    /// Request, response, fault, empty or other.
    pub kind: MessageKind,
    /// The `cwmp:ID` header.
    pub cwmp_id: Option<&'a str>,
    /// The `cwmp:HoldRequests` header.
    pub hold_requests: Option<bool>,
    /// The `cwmp:SessionTimeout` header, in seconds.
    pub session_timeout: Option<u32>,
    /// The HTTP status, for ACS messages.
    pub http_status: Option<u16>,
    /// The credentials a CPE message carries (its `Authorization` header).
    pub authorization: Option<&'a str>,
    /// The challenge of an ACS 401 (its `WWW-Authenticate` header).
    pub challenge: Option<&'a str>,
}

impl<'a> Observed<'a> {
    /// The machine's view of a decoded session message.
    pub fn from_message(m: &'a Message) -> Self {
        let session_timeout = m
            .envelope
            .as_ref()
            .and_then(|e| e.header.as_ref())
            .and_then(|h| h.session_timeout.as_ref())
            .and_then(|t| t.value.value);
        Self {
            rpc: &m.rpc,
            kind: m.kind,
            cwmp_id: m.cwmp_id.as_deref(),
            hold_requests: m.summary.hold_requests,
            session_timeout,
            http_status: m.http_status,
            authorization: m.summary.authorization.as_deref(),
            challenge: m.summary.challenge.as_deref(),
        }
    }
}

/// A request waiting for its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outstanding {
    rpc: String,
    id: Option<String>,
}

/// What a refused POST (401, 500…) rolls back: the ACS never read it as CWMP.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Core {
    state: State,
    /// A CPE request waiting for the ACS's answer.
    cpe_outstanding: Option<Outstanding>,
    /// ACS requests waiting for the CPE's answer (one with MaxEnvelopes 1, but be tolerant).
    acs_outstanding: Vec<Outstanding>,
    /// HoldRequests in force from the ACS's last message.
    held: bool,
}

/// A POST the ACS refused with 401, while the CPE has not sent it again.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Refusal {
    /// The refused message (`Inform`, or `an empty POST`…).
    rpc: String,
    /// Whether it carried credentials (then they were refused).
    had_credentials: bool,
    /// The challenge, described.
    challenge: Option<String>,
    /// The state the retry resumes from.
    resume: State,
}

/// The session state machine: feed it each message in wire order.
#[derive(Clone, Debug)]
pub struct SessionMachine {
    core: Core,
    before_cpe: Option<Core>,
    /// The last CPE message: its name and whether it carried credentials.
    last_cpe: Option<(String, bool)>,
    refusal: Option<Refusal>,
    timeout_ns: i64,
    last_activity_ns: Option<i64>,
    timed_out: bool,
    handled: usize,
    unauthorized_streak: usize,
    violations: VecDeque<Violation>,
}

impl Default for SessionMachine {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionMachine {
    /// A machine before the Inform.
    pub fn new() -> Self {
        Self {
            core: Core {
                state: State::AwaitingInform,
                cpe_outstanding: None,
                acs_outstanding: Vec::new(),
                held: false,
            },
            before_cpe: None,
            last_cpe: None,
            refusal: None,
            timeout_ns: DEFAULT_SESSION_TIMEOUT_NS,
            last_activity_ns: None,
            timed_out: false,
            handled: 0,
            unauthorized_streak: 0,
            violations: VecDeque::new(),
        }
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.core.state
    }

    /// The session timeout in force: the CPE's `SessionTimeout`, or 30 s.
    pub fn timeout_ns(&self) -> i64 {
        self.timeout_ns
    }

    /// Whether HoldRequests is in force (the ACS's last message set it true).
    pub fn held(&self) -> bool {
        self.core.held
    }

    /// The next queued rule violation.
    pub fn poll_violation(&mut self) -> Option<Violation> {
        self.violations.pop_front()
    }

    /// When the session times out if nothing more is sent, once a message has been seen.
    pub fn poll_timeout(&self) -> Option<i64> {
        if self.core.state == State::Ended {
            return None;
        }
        self.last_activity_ns
            .map(|t| t.saturating_add(self.timeout_ns))
    }

    /// Checks the session timeout at `now_ns`; queues a `session.timeout` violation (once) when
    /// the session has been silent longer than allowed. Returns whether it has timed out.
    pub fn handle_timeout(&mut self, now_ns: i64) -> bool {
        let Some(deadline) = self.poll_timeout() else {
            return false;
        };
        if now_ns > deadline && !self.timed_out {
            self.timed_out = true;
            let silent = now_ns.saturating_sub(deadline.saturating_sub(self.timeout_ns));
            self.violate(
                "session.timeout",
                format!(
                    "{:.1} s without a message, longer than the session timeout of {} s",
                    ns_to_s(silent),
                    self.timeout_ns / 1_000_000_000
                ),
            );
        }
        self.timed_out
    }

    fn violate(&mut self, rule: &'static str, message: String) {
        self.violations.push_back(Violation {
            rule,
            message,
            message_index: self.handled,
        });
    }

    fn touch(&mut self, now_ns: Option<i64>) {
        if let Some(now) = now_ns {
            self.handle_timeout(now);
            self.last_activity_ns = Some(now);
        }
    }

    /// A message from the CPE (an HTTP POST body), at `now_ns` when known.
    pub fn handle_cpe(&mut self, now_ns: Option<i64>, msg: &Observed<'_>) {
        self.touch(now_ns);
        self.resume();
        self.last_cpe = Some((describe(msg), msg.authorization.is_some()));
        self.before_cpe = Some(self.core.clone());
        if let Some(secs) = msg.session_timeout.filter(|&s| s > 0) {
            self.timeout_ns = i64::from(secs).saturating_mul(1_000_000_000);
        }
        let state = self.core.state;
        match (state, msg.kind) {
            (State::AwaitingInform, _) if msg.rpc == "Inform" => {
                self.core.state = State::AwaitingInformResponse;
                self.core.cpe_outstanding = Some(outstanding(msg));
            }
            (State::AwaitingInform, _) => {
                self.violate(
                    "session.inform-first",
                    format!("the session opens with {} instead of Inform", describe(msg)),
                );
                // Carry on as if the Inform had been missed, to check the rest.
                self.core.state = State::CpeRequests;
                self.cpe_message(msg);
            }
            (State::AwaitingInformResponse, _) if msg.rpc == "Inform" => {
                // The retry after a 401 challenge, or a repeat: either way it waits again.
                self.core.cpe_outstanding = Some(outstanding(msg));
            }
            (State::AwaitingInformResponse, _) => {
                self.violate(
                    "session.inform-response-first",
                    format!(
                        "the CPE sent {} before the ACS's InformResponse",
                        describe(msg)
                    ),
                );
                self.cpe_message(msg);
            }
            (State::Ended, _) => self.violate(
                "session.not-terminated",
                format!("the CPE sent {} after the session ended", describe(msg)),
            ),
            _ => self.cpe_message(msg),
        }
        self.handled += 1;
    }

    /// Leaves [`State::Unauthorized`] for the state the refused POST left, as the retry (or
    /// anything else) arrives.
    fn resume(&mut self) {
        if let Some(refusal) = self.refusal.take()
            && self.core.state == State::Unauthorized
        {
            self.core.state = refusal.resume;
        }
    }

    fn cpe_message(&mut self, msg: &Observed<'_>) {
        match msg.kind {
            MessageKind::Request => {
                if self.core.held {
                    self.violate(
                        "session.cpe-request-while-held",
                        format!(
                            "the CPE sent {} while the ACS held its requests (HoldRequests true)",
                            msg.rpc
                        ),
                    );
                } else if self.core.state == State::AcsRequests {
                    self.violate(
                        "session.cpe-request-after-empty-post",
                        format!(
                            "the CPE sent {} after its empty POST; its requests go before it",
                            msg.rpc
                        ),
                    );
                }
                if let Some(prev) = &self.core.cpe_outstanding {
                    let text = format!(
                        "the CPE sent {} while its {} was still unanswered",
                        msg.rpc, prev.rpc
                    );
                    self.violate("session.response-type", text);
                }
                self.core.cpe_outstanding = Some(outstanding(msg));
            }
            MessageKind::Response | MessageKind::Fault => {
                if self.core.acs_outstanding.is_empty() {
                    self.violate(
                        "session.response-type",
                        format!("the CPE sent {} but no ACS request is waiting", msg.rpc),
                    );
                } else {
                    let request = take_matching(&mut self.core.acs_outstanding, msg.cwmp_id);
                    self.check_answer(&request, msg, "CPE");
                }
            }
            MessageKind::Empty => {
                if let Some(request) = self.core.acs_outstanding.first() {
                    let text = format!(
                        "the CPE sent an empty POST while the ACS's {} is unanswered",
                        request.rpc
                    );
                    self.violate("session.response-type", text);
                }
                self.core.state = State::AcsRequests;
            }
            MessageKind::Other => {}
        }
    }

    /// A message from the ACS (an HTTP response), at `now_ns` when known.
    pub fn handle_acs(&mut self, now_ns: Option<i64>, msg: &Observed<'_>) {
        self.touch(now_ns);
        self.resume();
        let refused = msg.http_status.is_some_and(|s| s >= 300);
        if refused {
            // The ACS did not read the POST as CWMP: the CPE sends it again.
            if let Some(before) = self.before_cpe.take() {
                self.core = before;
                if self.core.state == State::AwaitingInform {
                    // The refused message was the Inform: the retry is still the session's first.
                    self.core.state = State::AwaitingInformResponse;
                }
                if msg.http_status == Some(401) {
                    let (rpc, had_credentials) = self.last_cpe.clone().unwrap_or_default();
                    self.refusal = Some(Refusal {
                        rpc,
                        had_credentials,
                        challenge: msg.challenge.map(str::to_owned),
                        resume: self.core.state,
                    });
                    self.core.state = State::Unauthorized;
                }
            }
            self.unauthorized_streak = if msg.http_status == Some(401) {
                self.unauthorized_streak + 1
            } else {
                0
            };
            self.handled += 1;
            return;
        }
        self.unauthorized_streak = 0;
        if let Some(hold) = msg.hold_requests {
            self.core.held = hold;
        } else if msg.kind != MessageKind::Other {
            // HoldRequests applies per message: absent means false.
            self.core.held = false;
        }
        match self.core.state {
            State::AwaitingInform => {
                self.violate(
                    "session.inform-first",
                    format!("the ACS sent {} before any Inform", describe(msg)),
                );
            }
            State::AwaitingInformResponse => self.acs_before_inform_response(msg),
            State::Ended => self.violate(
                "session.not-terminated",
                format!("the ACS sent {} after the session ended", describe(msg)),
            ),
            State::CpeRequests | State::AcsRequests | State::Unauthorized => self.acs_message(msg),
        }
        self.handled += 1;
    }

    fn acs_before_inform_response(&mut self, msg: &Observed<'_>) {
        match msg.kind {
            MessageKind::Response | MessageKind::Fault => {
                let request = self.core.cpe_outstanding.take();
                if let Some(request) = &request {
                    self.check_answer(request, msg, "ACS");
                }
                self.core.state = if msg.kind == MessageKind::Fault {
                    State::Ended
                } else {
                    State::CpeRequests
                };
            }
            MessageKind::Request => {
                self.violate(
                    "session.inform-response-first",
                    format!("the ACS sent {} before its InformResponse", msg.rpc),
                );
                self.core.cpe_outstanding = None;
                self.core.state = State::AcsRequests;
                self.core.acs_outstanding.push(outstanding(msg));
            }
            MessageKind::Empty => {
                self.violate(
                    "session.response-type",
                    "the ACS answered Inform with an empty response instead of InformResponse"
                        .to_owned(),
                );
                self.end(msg);
            }
            MessageKind::Other => {}
        }
    }

    fn acs_message(&mut self, msg: &Observed<'_>) {
        match msg.kind {
            MessageKind::Response | MessageKind::Fault => {
                if let Some(request) = self.core.cpe_outstanding.take() {
                    self.check_answer(&request, msg, "ACS");
                } else {
                    self.violate(
                        "session.response-type",
                        format!("the ACS sent {} but no CPE request is waiting", msg.rpc),
                    );
                }
            }
            MessageKind::Request => {
                if let Some(request) = self.core.cpe_outstanding.take() {
                    let text = format!(
                        "the ACS answered the CPE's {} with a request ({})",
                        request.rpc, msg.rpc
                    );
                    self.violate("session.response-type", text);
                }
                if self.core.state == State::CpeRequests {
                    // An ACS request answering a CPE response is only possible after the empty
                    // POST, but some CPEs skip it; follow the ACS.
                    self.core.state = State::AcsRequests;
                }
                self.core.acs_outstanding.push(outstanding(msg));
            }
            MessageKind::Empty => {
                if let Some(request) = self.core.cpe_outstanding.take() {
                    let text = format!(
                        "the ACS answered the CPE's {} with an empty response",
                        request.rpc
                    );
                    self.violate("session.response-type", text);
                }
                self.end(msg);
            }
            MessageKind::Other => {}
        }
    }

    fn end(&mut self, msg: &Observed<'_>) {
        if msg.http_status == Some(200) {
            self.violate(
                "session.empty-200",
                "the ACS ended the session with an empty 200 OK; 204 No Content is expected"
                    .to_owned(),
            );
        }
        self.core.state = State::Ended;
        self.core.held = false;
    }

    fn check_answer(&mut self, request: &Outstanding, msg: &Observed<'_>, side: &str) {
        if msg.kind == MessageKind::Response
            && msg.rpc.strip_suffix("Response") != Some(request.rpc.as_str())
        {
            self.violate(
                "session.response-type",
                format!(
                    "the {side} answered {} with {}; {}Response or a Fault is expected",
                    request.rpc, msg.rpc, request.rpc
                ),
            );
        }
        if let (Some(want), Some(got)) = (&request.id, msg.cwmp_id)
            && want.trim() != got.trim()
        {
            self.violate(
                "session.response-id",
                format!(
                    "the {side}'s {} has cwmp:ID {got:?}, but the {} it answers has {want:?}",
                    msg.rpc, request.rpc
                ),
            );
        }
    }

    /// The connection closed (or the capture ended) at `now_ns`: a session not yet ended was
    /// cut short.
    pub fn handle_connection_closed(&mut self, now_ns: Option<i64>) {
        if let Some(now) = now_ns {
            self.handle_timeout(now);
        }
        if self.core.state != State::Ended {
            let text = format!(
                "the session stopped in state {} without the ACS's empty response",
                self.core.state.as_str()
            );
            self.violate("session.not-terminated", text);
            self.core.state = State::Ended;
        }
    }

    /// Whether HTTP 401 answered more than two POSTs in a row.
    pub fn unauthorized_streak(&self) -> usize {
        self.unauthorized_streak
    }

    /// What each side may send next.
    pub fn expected(&self) -> Expected {
        let mut e = Expected::default();
        let c = &self.core;
        match c.state {
            State::AwaitingInform => e.cpe_may_send.push("Inform".to_owned()),
            State::AwaitingInformResponse => {
                e.acs_may_send.push("InformResponse".to_owned());
                e.acs_may_send
                    .push("a Fault (8xxx) refusing the Inform".to_owned());
                e.acs_may_send
                    .push("401 Unauthorized (then the CPE sends Inform again)".to_owned());
            }
            State::CpeRequests | State::AcsRequests => {
                if let Some(r) = &c.cpe_outstanding {
                    e.acs_may_send.push(answer(r));
                    e.acs_may_send
                        .push(format!("a Fault (8xxx) answering {}", r.rpc));
                } else if let Some(r) = c.acs_outstanding.first() {
                    e.cpe_may_send.push(answer(r));
                    e.cpe_may_send
                        .push(format!("a Fault (9xxx) answering {}", r.rpc));
                } else if c.state == State::CpeRequests {
                    if !c.held {
                        e.cpe_may_send
                            .push("a request (TransferComplete, GetRPCMethods, …)".to_owned());
                    }
                    e.cpe_may_send.push("empty POST".to_owned());
                } else {
                    e.acs_may_send.push(
                        "a request (GetParameterValues, SetParameterValues, Download, …)"
                            .to_owned(),
                    );
                    e.acs_may_send
                        .push("empty response (204 No Content), ending the session".to_owned());
                }
            }
            State::Unauthorized => {
                let refusal = self.refusal.as_ref();
                let rpc = refusal.map_or("the refused POST", |r| r.rpc.as_str());
                let next = match refusal {
                    Some(r) if r.had_credentials => format!(
                        "{rpc} again, with credentials the ACS accepts: it refused those sent"
                    ),
                    _ => {
                        format!("{rpc} again, with an Authorization header answering the challenge")
                    }
                };
                e.cpe_may_send
                    .push(match refusal.and_then(|r| r.challenge.as_deref()) {
                        Some(challenge) => format!("{next} ({challenge})"),
                        None => next,
                    });
            }
            State::Ended => {}
        }
        e
    }
}

fn outstanding(msg: &Observed<'_>) -> Outstanding {
    Outstanding {
        rpc: msg.rpc.to_owned(),
        id: msg.cwmp_id.map(str::to_owned),
    }
}

/// The outstanding request an answer goes with: by `cwmp:ID` when one matches, else the oldest.
fn take_matching(waiting: &mut Vec<Outstanding>, id: Option<&str>) -> Outstanding {
    let pos = waiting
        .iter()
        .position(|r| id.is_some() && r.id.as_deref() == id)
        .unwrap_or(0);
    waiting.remove(pos)
}

fn answer(r: &Outstanding) -> String {
    match &r.id {
        Some(id) => format!("{}Response (cwmp:ID {id})", r.rpc),
        None => format!("{}Response", r.rpc),
    }
}

fn describe(msg: &Observed<'_>) -> String {
    match msg.kind {
        MessageKind::Empty => "an empty message".to_owned(),
        _ => msg.rpc.to_owned(),
    }
}

#[allow(clippy::cast_precision_loss)]
fn ns_to_s(ns: i64) -> f64 {
    ns as f64 / 1e9
}

/// The machine's view after one message of a replay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The message's index in the session.
    pub message: usize,
    /// The state after it.
    pub state: State,
    /// What each side may send next.
    pub expected: Expected,
    /// Rules the message broke.
    pub violations: Vec<Violation>,
}

/// Runs the machine over a session: the state and what may come next after each message, for
/// the replay view.
pub fn replay(session: &Session) -> Vec<Step> {
    let mut machine = SessionMachine::new();
    session
        .messages
        .iter()
        .map(|m| {
            feed(&mut machine, m);
            Step {
                message: m.index,
                state: machine.state(),
                expected: machine.expected(),
                violations: std::iter::from_fn(|| machine.poll_violation()).collect(),
            }
        })
        .collect()
}

/// Feeds one session message to the machine, on the side that sent it.
pub fn feed(machine: &mut SessionMachine, m: &Message) {
    let observed = Observed::from_message(m);
    match m.direction {
        Direction::CpeToAcs => machine.handle_cpe(m.time_ns, &observed),
        Direction::AcsToCpe => machine.handle_acs(m.time_ns, &observed),
    }
}
