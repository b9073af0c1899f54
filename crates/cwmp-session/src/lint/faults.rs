//! Fault codes.

use super::{
    Direction, Finding, Message, MessageKind, Rpc, Session, allowed_in_du_state_change_complete,
    allowed_in_transfer_complete, push, rpc,
};

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
