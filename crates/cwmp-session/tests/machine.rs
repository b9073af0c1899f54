//! The session state machine driven directly, as the emulators drive it, and through `replay`.

use cwmp_session::machine::{DEFAULT_SESSION_TIMEOUT_NS, SessionMachine};
use cwmp_session::{Expected, MessageKind, Observed, State, analyse, replay};

const S: i64 = 1_000_000_000;

fn msg<'a>(rpc: &'a str, kind: MessageKind, id: Option<&'static str>) -> Observed<'a> {
    Observed {
        rpc,
        kind,
        cwmp_id: id,
        hold_requests: None,
        session_timeout: None,
        http_status: None,
        authorization: None,
        challenge: None,
    }
}

fn req<'a>(rpc: &'a str, id: &'static str) -> Observed<'a> {
    msg(rpc, MessageKind::Request, Some(id))
}

fn resp<'a>(rpc: &'a str, id: &'static str) -> Observed<'a> {
    msg(rpc, MessageKind::Response, Some(id))
}

fn empty(status: Option<u16>) -> Observed<'static> {
    Observed {
        http_status: status,
        ..msg("Empty", MessageKind::Empty, None)
    }
}

fn violations(m: &mut SessionMachine) -> Vec<&'static str> {
    std::iter::from_fn(|| m.poll_violation())
        .map(|v| v.rule)
        .collect()
}

#[test]
fn a_complete_session_walks_every_state() {
    let mut m = SessionMachine::new();
    assert_eq!(m.state(), State::AwaitingInform);
    assert_eq!(m.expected().cpe_may_send, ["Inform"]);
    m.handle_cpe(Some(0), &req("Inform", "1"));
    assert_eq!(m.state(), State::AwaitingInformResponse);
    assert!(m.expected().cpe_may_send.is_empty());
    m.handle_acs(Some(S), &resp("InformResponse", "1"));
    assert_eq!(m.state(), State::CpeRequests);
    assert!(m.expected().cpe_may_send.iter().any(|e| e == "empty POST"));
    m.handle_cpe(Some(2 * S), &req("TransferComplete", "c1"));
    assert_eq!(
        m.expected().acs_may_send[0],
        "TransferCompleteResponse (cwmp:ID c1)"
    );
    m.handle_acs(Some(3 * S), &resp("TransferCompleteResponse", "c1"));
    m.handle_cpe(Some(4 * S), &empty(None));
    assert_eq!(m.state(), State::AcsRequests);
    m.handle_acs(Some(5 * S), &req("GetParameterValues", "3"));
    assert_eq!(
        m.expected().cpe_may_send[0],
        "GetParameterValuesResponse (cwmp:ID 3)"
    );
    m.handle_cpe(Some(6 * S), &resp("GetParameterValuesResponse", "3"));
    m.handle_acs(Some(7 * S), &empty(Some(204)));
    assert_eq!(m.state(), State::Ended);
    assert_eq!(m.expected(), Expected::default());
    m.handle_connection_closed(Some(8 * S));
    assert!(violations(&mut m).is_empty());
}

#[test]
fn order_violations_carry_rule_ids() {
    let mut m = SessionMachine::new();
    m.handle_cpe(None, &req("GetRPCMethods", "1"));
    assert_eq!(violations(&mut m), ["session.inform-first"]);

    let mut m = SessionMachine::new();
    m.handle_cpe(None, &req("Inform", "1"));
    m.handle_acs(None, &req("Reboot", "2"));
    assert_eq!(violations(&mut m), ["session.inform-response-first"]);
    assert_eq!(m.state(), State::AcsRequests);

    let mut m = SessionMachine::new();
    m.handle_cpe(None, &req("Inform", "1"));
    m.handle_acs(None, &resp("InformResponse", "9"));
    assert_eq!(violations(&mut m), ["session.response-id"]);
    m.handle_cpe(None, &empty(None));
    m.handle_acs(None, &req("GetParameterValues", "2"));
    m.handle_cpe(None, &resp("SetParameterValuesResponse", "2"));
    assert_eq!(violations(&mut m), ["session.response-type"]);
    m.handle_cpe(None, &req("GetRPCMethods", "c"));
    assert_eq!(violations(&mut m), ["session.cpe-request-after-empty-post"]);
    m.handle_acs(None, &resp("GetRPCMethodsResponse", "c"));
    m.handle_cpe(None, &empty(None));
    m.handle_acs(None, &empty(Some(200)));
    assert_eq!(violations(&mut m), ["session.empty-200"]);
}

#[test]
fn a_fault_answers_any_request() {
    let mut m = SessionMachine::new();
    m.handle_cpe(None, &req("Inform", "1"));
    m.handle_acs(None, &resp("InformResponse", "1"));
    m.handle_cpe(None, &empty(None));
    m.handle_acs(None, &req("SetParameterValues", "2"));
    m.handle_cpe(None, &msg("Fault", MessageKind::Fault, Some("2")));
    m.handle_acs(None, &empty(Some(204)));
    assert!(violations(&mut m).is_empty());
    assert_eq!(m.state(), State::Ended);
}

#[test]
fn hold_requests_blocks_cpe_requests_per_message() {
    let mut m = SessionMachine::new();
    m.handle_cpe(None, &req("Inform", "1"));
    let held = Observed {
        hold_requests: Some(true),
        ..resp("InformResponse", "1")
    };
    m.handle_acs(None, &held);
    assert!(m.held());
    assert_eq!(m.expected().cpe_may_send, ["empty POST"]);
    m.handle_cpe(None, &req("TransferComplete", "c1"));
    assert_eq!(violations(&mut m), ["session.cpe-request-while-held"]);
    // The answer has no HoldRequests header: requests are allowed again.
    m.handle_acs(None, &resp("TransferCompleteResponse", "c1"));
    assert!(!m.held());
    m.handle_cpe(None, &req("GetRPCMethods", "c2"));
    assert!(violations(&mut m).is_empty());
}

#[test]
fn a_401_rolls_back_the_refused_post() {
    let mut m = SessionMachine::new();
    m.handle_cpe(None, &req("Inform", "1"));
    m.handle_acs(None, &empty(Some(401)));
    assert_eq!(m.unauthorized_streak(), 1);
    assert_eq!(m.state(), State::Unauthorized);
    m.handle_cpe(None, &req("Inform", "1"));
    m.handle_acs(None, &resp("InformResponse", "1"));
    assert_eq!(m.unauthorized_streak(), 0);
    assert_eq!(m.state(), State::CpeRequests);
    assert!(violations(&mut m).is_empty());
}

#[test]
fn timeout_is_checked_against_the_time_given() {
    let mut m = SessionMachine::new();
    assert_eq!(m.poll_timeout(), None);
    m.handle_cpe(Some(0), &req("Inform", "1"));
    assert_eq!(m.poll_timeout(), Some(DEFAULT_SESSION_TIMEOUT_NS));
    assert!(!m.handle_timeout(DEFAULT_SESSION_TIMEOUT_NS));
    assert!(m.handle_timeout(DEFAULT_SESSION_TIMEOUT_NS + 1));
    assert_eq!(violations(&mut m), ["session.timeout"]);
    // Reported once.
    assert!(m.handle_timeout(DEFAULT_SESSION_TIMEOUT_NS * 2));
    assert!(violations(&mut m).is_empty());

    let mut m = SessionMachine::new();
    let inform = Observed {
        session_timeout: Some(120),
        ..req("Inform", "1")
    };
    m.handle_cpe(Some(0), &inform);
    assert_eq!(m.timeout_ns(), 120 * S);
    m.handle_acs(Some(100 * S), &resp("InformResponse", "1"));
    assert!(violations(&mut m).is_empty());
}

#[test]
fn connection_closed_mid_session_is_reported() {
    let mut m = SessionMachine::new();
    m.handle_cpe(None, &req("Inform", "1"));
    m.handle_acs(None, &resp("InformResponse", "1"));
    m.handle_connection_closed(None);
    assert_eq!(violations(&mut m), ["session.not-terminated"]);
    assert_eq!(m.state(), State::Ended);
}

#[test]
fn replay_gives_a_step_per_message() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/lint/session.response-type.pos.http"
    );
    let bytes = std::fs::read(path).expect("vector");
    let capture = analyse(&bytes, None);
    let session = &capture.sessions[0];
    let steps = replay(session);
    assert_eq!(steps.len(), session.messages.len());
    let states: Vec<State> = steps.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            State::AwaitingInformResponse,
            State::CpeRequests,
            State::AcsRequests,
            State::AcsRequests,
            State::AcsRequests,
            State::Ended,
        ]
    );
    assert_eq!(steps[4].violations[0].rule, "session.response-type");
    assert_eq!(steps[4].violations[0].message_index, 4);
    assert!(steps[5].expected.cpe_may_send.is_empty());
}

#[test]
fn never_panics_on_odd_orders() {
    let kinds = [
        MessageKind::Request,
        MessageKind::Response,
        MessageKind::Fault,
        MessageKind::Empty,
        MessageKind::Other,
    ];
    let statuses = [None, Some(200), Some(204), Some(401), Some(500)];
    for seed in 0u32..500 {
        let mut m = SessionMachine::new();
        let mut x = seed;
        for step in 0..12 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let k = kinds[(x >> 8) as usize % kinds.len()];
            let st = statuses[(x >> 16) as usize % statuses.len()];
            let o = Observed {
                http_status: st,
                ..msg(if x % 3 == 0 { "Inform" } else { "Reboot" }, k, Some("1"))
            };
            if (x >> 4) % 2 == 0 {
                m.handle_cpe(Some(i64::from(step) * S), &o);
            } else {
                m.handle_acs(Some(i64::MAX - 1), &o);
            }
            let _ = m.expected();
        }
        m.handle_connection_closed(Some(i64::MIN));
        while m.poll_violation().is_some() {}
    }
}

#[test]
fn a_refused_inform_says_so_and_what_the_cpe_does_next() {
    let challenge = "Digest realm=\"acs\" qop=\"auth\"";
    let credentials = "Digest realm=\"acs\" qop=\"auth\"";
    let mut m = SessionMachine::new();
    m.handle_cpe(None, &req("Inform", "1"));
    m.handle_acs(
        None,
        &Observed {
            challenge: Some(challenge),
            ..empty(Some(401))
        },
    );
    assert_eq!(m.state(), State::Unauthorized);
    assert_eq!(m.state().as_str(), "unauthorized");
    let next = m.expected();
    assert!(next.acs_may_send.is_empty());
    assert_eq!(
        next.cpe_may_send,
        [
            "Inform again, with an Authorization header answering the challenge \
          (Digest realm=\"acs\" qop=\"auth\")"
        ]
    );
    // The retry carries credentials and is refused again: they were wrong.
    m.handle_cpe(
        None,
        &Observed {
            authorization: Some(credentials),
            ..req("Inform", "1")
        },
    );
    assert_eq!(m.state(), State::AwaitingInformResponse);
    m.handle_acs(
        None,
        &Observed {
            challenge: Some(challenge),
            ..empty(Some(401))
        },
    );
    assert_eq!(m.state(), State::Unauthorized);
    assert!(m.expected().cpe_may_send[0].contains("it refused those sent"));
    assert!(violations(&mut m).is_empty());
}

#[test]
fn replay_of_a_refused_inform_is_not_waiting_for_the_inform_response() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/lint/auth.credentials-refused.pos.http"
    );
    let capture = analyse(&std::fs::read(path).expect("vector"), None);
    let steps = replay(&capture.sessions[0]);
    let states: Vec<State> = steps.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            State::AwaitingInformResponse,
            State::Unauthorized,
            State::AwaitingInformResponse,
            State::Unauthorized,
        ]
    );
    assert!(steps[1].expected.cpe_may_send[0].starts_with("Inform again, with an Authorization"));
    assert!(steps[1].expected.cpe_may_send[0].contains("Digest realm=\"acs\""));
}
