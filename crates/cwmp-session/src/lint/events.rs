//! Event rules: Inform events, connection requests, bootstrap.

use super::{Capture, Direction, Finding, Session, SessionEnd, finding, has_event, inform, push};

const TRANSFER_EVENTS: [&str; 3] = ["M Download", "M ScheduleDownload", "M Upload"];

pub(super) fn events(s: &Session, out: &mut Vec<Finding>) {
    let Some(inform) = inform(s) else { return };
    let i = inform.index;
    if has_event(s, "M Reboot") && !has_event(s, "1 BOOT") {
        push(
            out,
            s,
            "event.reboot-without-boot",
            &[i],
            "the Inform has \"M Reboot\" but not \"1 BOOT\"".to_owned(),
        );
    }
    let transfer = TRANSFER_EVENTS.iter().find(|e| has_event(s, e));
    let seven = has_event(s, "7 TRANSFER COMPLETE");
    if let Some(e) = transfer
        && !seven
    {
        push(
            out,
            s,
            "event.transfer-complete-event-missing",
            &[i],
            format!("the Inform has \"{e}\" but not \"7 TRANSFER COMPLETE\""),
        );
    }
    let tcs: Vec<usize> = s
        .messages
        .iter()
        .filter(|m| m.direction == Direction::CpeToAcs && m.rpc == "TransferComplete")
        .map(|m| m.index)
        .collect();
    if (transfer.is_some() || seven) && tcs.is_empty() && s.ended == SessionEnd::Completed {
        let what = transfer.copied().unwrap_or("7 TRANSFER COMPLETE");
        push(
            out,
            s,
            "event.transfer-complete-missing",
            &[i],
            format!(
                "the Inform announces a finished transfer (\"{what}\") but the CPE sent no \
                     TransferComplete in the session"
            ),
        );
    }
    if !seven && !tcs.is_empty() {
        push(
            out,
            s,
            "event.transfer-complete-unannounced",
            &tcs,
            "TransferComplete in a session whose Inform lacks \"7 TRANSFER COMPLETE\"".to_owned(),
        );
    }
    if has_event(s, "0 BOOTSTRAP") && !has_event(s, "1 BOOT") {
        push(
            out,
            s,
            "event.bootstrap-without-boot",
            &[i],
            "\"0 BOOTSTRAP\" without \"1 BOOT\": the ACS URL changed, or the CPE did not reboot"
                .to_owned(),
        );
    }
    // Either kind of connection request explains the event: HTTP, or UDP (Annex G).
    if has_event(s, "6 CONNECTION REQUEST")
        && s.connection_request.is_none()
        && s.udp_connection_request.is_none()
    {
        push(
            out,
            s,
            "event.connection-request-unmatched",
            &[i],
            "\"6 CONNECTION REQUEST\" session with no connection request in the capture".to_owned(),
        );
    }
}

pub(super) fn connection_requests(capture: &Capture, out: &mut Vec<Finding>) {
    for cr in &capture.connection_requests {
        if cr.record.accepted() && cr.session.is_none() {
            let mut f = finding(
                "event.connection-request-no-session",
                None,
                Vec::new(),
                format!(
                    "connection request {} to {} was accepted ({}) but no \"6 CONNECTION REQUEST\" \
                 session follows",
                    cr.id,
                    cr.target,
                    cr.result.unwrap_or_default()
                ),
            );
            f.connection_request = Some(cr.id);
            out.push(f);
        }
    }
}

/// Whether a session resets the bootstrap state: a FactoryReset, or a new ACS URL set.
fn resets_bootstrap(s: &Session) -> bool {
    s.messages.iter().any(|m| {
        m.direction == Direction::AcsToCpe
            && (m.rpc == "FactoryReset"
                || m.rpc == "SetParameterValues"
                    && m.parameter_names()
                        .iter()
                        .any(|n| n.ends_with("ManagementServer.URL")))
    })
}

pub(super) fn delivered(s: &Session) -> bool {
    s.ended == SessionEnd::Completed && s.messages.iter().any(|m| m.rpc == "InformResponse")
}

pub(super) fn bootstrap(capture: &Capture, out: &mut Vec<Finding>) {
    for d in &capture.devices {
        let mut known = false;
        for s in d.sessions.iter().filter_map(|&i| capture.sessions.get(i)) {
            if has_event(s, "0 BOOTSTRAP")
                && known
                && let Some(m) = inform(s)
            {
                push(
                    out,
                    s,
                    "event.bootstrap-repeated",
                    &[m.index],
                    format!(
                        "\"0 BOOTSTRAP\" from {}, which already completed a session in this capture \
                     with no factory reset or ACS URL change since",
                        d.id
                    ),
                );
            }
            if resets_bootstrap(s) {
                known = false;
            } else if delivered(s) {
                known = true;
            }
        }
    }
}
