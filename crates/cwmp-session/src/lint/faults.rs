//! Fault codes.

use super::{
    Direction, Finding, Message, MessageKind, Rpc, Session, allowed_in_du_state_change_complete,
    allowed_in_transfer_complete, fault_info, push, rpc,
};

/// The same request answered with the same fault this many times in one session is a loop.
const REPEATED_FAULT: usize = 3;

/// A request as the loop check tells them apart: who sent it, its RPC, its arguments, the fault.
type FailedRequest<'a> = (Direction, &'a str, String, u32);

/// The same request (RPC and arguments) failing with the same fault again and again in one
/// session: the requester retries without changing anything (an ACS retry loop).
pub(super) fn repeated_faults(s: &Session, out: &mut Vec<Finding>) {
    // (direction, rpc, arguments, code) → (request name, fault indices)
    let mut seen: Vec<(FailedRequest<'_>, Vec<usize>)> = Vec::new();
    for m in s.messages.iter().filter(|m| m.kind == MessageKind::Fault) {
        let (Some(code), Some(request)) =
            (m.summary.fault_code, m.pair.and_then(|p| s.messages.get(p)))
        else {
            continue;
        };
        let arguments = request
            .summary
            .argument
            .clone()
            .unwrap_or_else(|| request.parameter_names().join(", "));
        let key = (request.direction, request.rpc.as_str(), arguments, code);
        match seen.iter_mut().find(|(k, _)| *k == key) {
            Some((_, faults)) => faults.push(m.index),
            None => seen.push((key, vec![m.index])),
        }
    }
    for ((_, rpc, arguments, code), faults) in seen {
        if faults.len() < REPEATED_FAULT {
            continue;
        }
        let what = if arguments.is_empty() {
            rpc.to_owned()
        } else {
            format!("{rpc} {arguments}")
        };
        let name = fault_info(code).map_or(String::new(), |i| format!(" ({})", i.name));
        push(
            out,
            s,
            "session.repeated-fault",
            &faults,
            format!(
                "{what} failed with fault {code}{name} {} times in this session: the same request \
                 is sent again unchanged and fails the same way (a retry loop)",
                faults.len()
            ),
        );
    }
}

pub(super) fn faults(s: &Session, out: &mut Vec<Finding>) {
    for m in &s.messages {
        match rpc(m) {
            Some(Rpc::TransferComplete(t)) => {
                let code = t.fault_struct.as_ref().and_then(|f| f.fault_code.as_ref());
                check_tc_code(out, s, m, code.and_then(|c| c.value));
            }
            Some(Rpc::AutonomousTransferComplete(t)) => {
                let code = t.fault_struct.as_ref().and_then(|f| f.fault_code.as_ref());
                check_tc_code(out, s, m, code.and_then(|c| c.value));
            }
            Some(Rpc::DuStateChangeComplete(d)) => {
                let codes = d
                    .results
                    .iter()
                    .filter_map(|r| r.fault.as_ref()?.fault_code.as_ref()?.value);
                check_du_codes(out, s, m, codes);
            }
            Some(Rpc::AutonomousDuStateChangeComplete(d)) => {
                let codes = d
                    .results
                    .iter()
                    .filter_map(|r| r.fault.as_ref()?.fault_code.as_ref()?.value);
                check_du_codes(out, s, m, codes);
            }
            _ => {}
        }
        if m.kind == MessageKind::Fault
            && m.direction == Direction::CpeToAcs
            && let Some(code) = m.summary.fault_code
            && m.pair
                .and_then(|p| s.messages.get(p))
                .is_some_and(|r| r.rpc == "ChangeDUState")
            && !(allowed_in_du_state_change_complete(code) || (9000..=9004).contains(&code))
        {
            push(
                out,
                s,
                "fault.du-code",
                &[m.index],
                format!(
                    "fault {code} answering ChangeDUState is outside the deployment-unit fault codes"
                ),
            );
        }
    }
}

fn check_tc_code(out: &mut Vec<Finding>, s: &Session, m: &Message, code: Option<u32>) {
    if let Some(code) = code
        && !allowed_in_transfer_complete(code)
    {
        push(
            out,
            s,
            "fault.transfer-complete-code",
            &[m.index],
            format!(
                "{} reports fault {code}, which is not among the codes TransferComplete allows",
                m.rpc
            ),
        );
    }
}

fn check_du_codes(
    out: &mut Vec<Finding>,
    s: &Session,
    m: &Message,
    codes: impl Iterator<Item = u32>,
) {
    let bad: Vec<String> = codes
        .filter(|&c| !allowed_in_du_state_change_complete(c))
        .map(|c| c.to_string())
        .collect();
    if !bad.is_empty() {
        push(
            out,
            s,
            "fault.du-code",
            &[m.index],
            format!(
                "{} reports fault {}, outside the deployment-unit fault codes",
                m.rpc,
                bad.join(", ")
            ),
        );
    }
}
