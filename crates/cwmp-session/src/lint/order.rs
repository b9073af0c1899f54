//! Order rules, from the state machine.

use super::{Direction, Finding, Session, SessionEnd, SessionMachine, feed, push};

pub(super) fn machine_rules(s: &Session, out: &mut Vec<Finding>) {
    let mut machine = SessionMachine::new();
    let mut seen = Vec::<&str>::new();
    let mut drain = |machine: &mut SessionMachine, out: &mut Vec<Finding>, last: usize| {
        while let Some(v) = machine.poll_violation() {
            // One finding per rule and session (three for mismatched answers) keeps a broken
            // session readable.
            let limit = if v.rule == "session.response-type" {
                3
            } else {
                1
            };
            if seen.iter().filter(|&&r| r == v.rule).count() >= limit {
                continue;
            }
            seen.push(v.rule);
            let m = v.message_index.min(last);
            push(out, s, v.rule, &[m], v.message);
        }
    };
    let last = s.messages.len().saturating_sub(1);
    // With one side missing from the capture, every answer looks unasked: order rules would
    // only report the capture's gap.
    let both_sides = s
        .messages
        .iter()
        .any(|m| m.direction == Direction::CpeToAcs)
        && s.messages
            .iter()
            .any(|m| m.direction == Direction::AcsToCpe);
    if !both_sides {
        if s.ended != SessionEnd::Completed && !s.messages.is_empty() {
            push(
                out,
                s,
                "session.not-terminated",
                &[last],
                format!(
                    "only the {} side of the session was captured, and it has no end",
                    if s.messages[0].direction == Direction::CpeToAcs {
                        "CPE"
                    } else {
                        "ACS"
                    }
                ),
            );
        }
        return;
    }
    for m in &s.messages {
        feed(&mut machine, m);
        drain(&mut machine, out, last);
    }
    if s.ended != SessionEnd::Completed && !s.messages.is_empty() {
        machine.handle_connection_closed(None);
        let refused = s
            .messages
            .last()
            .and_then(|m| m.http_status)
            .filter(|&st| st >= 300);
        let why = match (refused, s.ended) {
            (Some(st), _) => format!("the ACS refused the last POST with HTTP {st}"),
            (None, SessionEnd::ConnectionClosed) => "the connection closed".to_owned(),
            (None, _) => "the capture ends".to_owned(),
        };
        while let Some(v) = machine.poll_violation() {
            let text = if v.rule == "session.not-terminated" {
                format!("{} ({why})", v.message)
            } else {
                v.message
            };
            push(out, s, v.rule, &[last], text);
        }
    }
}
