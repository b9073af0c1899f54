//! Checks on decoded values that need CWMP knowledge: OUIs, MaxEnvelopes, event and fault codes.

use crate::DiagnosticCode;
use crate::fields::Cx;
use crate::model::{Rpc, SoapFault};
use crate::reference::{EventCode, FaultClass, classify_fault};

pub(crate) fn check_rpc(cx: &mut Cx<'_>, rpc: &Rpc) {
    match rpc {
        Rpc::Inform(inform) => {
            if let Some(oui) = inform.device_id.as_ref().and_then(|id| id.oui.as_ref()) {
                let text = oui.value.trim();
                if text.len() != 6 || !text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                    cx.report(
                        DiagnosticCode::InvalidOui,
                        format!("OUI {text:?} is not six hexadecimal digits"),
                        oui.span,
                    );
                } else if text.bytes().any(|byte| byte.is_ascii_lowercase()) {
                    cx.report(
                        DiagnosticCode::LowercaseOui,
                        format!(
                            "OUI {text:?} is lowercase; the schema wants {:?}",
                            text.to_ascii_uppercase()
                        ),
                        oui.span,
                    );
                }
            }
            check_max_envelopes(cx, inform.max_envelopes.as_ref());
            for event in inform.event.iter().flatten() {
                if let Some(code) = &event.event_code {
                    check_event_code(cx, code);
                }
            }
        }
        Rpc::InformResponse(response) => check_max_envelopes(cx, response.max_envelopes.as_ref()),
        _ => {}
    }
}

fn check_max_envelopes(cx: &mut Cx<'_>, max_envelopes: Option<&crate::fields::Scalar<u32>>) {
    if let Some(max) = max_envelopes
        && let Some(value) = max.value.filter(|&value| value != 1)
    {
        cx.report(
            DiagnosticCode::MaxEnvelopesNotOne,
            format!("MaxEnvelopes is {value}; CWMP allows one envelope per message, so it should be 1 (receivers ignore it)"),
            max.span,
        );
    }
}

fn check_event_code(cx: &mut Cx<'_>, code: &crate::Text) {
    let parsed = EventCode::parse(&code.value);
    if !matches!(parsed, EventCode::Unknown(_)) {
        return;
    }
    let message = match parsed.standard_ignoring_case() {
        Some(standard) => format!(
            "event code {:?} is not spelled as the schema has it; it looks like {:?}",
            code.value, standard.code
        ),
        None => format!(
            "event code {:?} is neither a standard code (0 BOOTSTRAP … 14 HEARTBEAT), \
             an \"M <method>\" code nor a vendor \"X <OUI> <event>\" code",
            code.value
        ),
    };
    cx.report(DiagnosticCode::UnknownEventCode, message, code.span);
}

pub(crate) fn check_fault(cx: &mut Cx<'_>, fault: &SoapFault) {
    let Some(detail) = &fault.detail else {
        return;
    };
    let codes = detail.fault_code.iter().chain(
        detail
            .set_parameter_values_faults
            .iter()
            .filter_map(|entry| entry.fault_code.as_ref()),
    );
    for code in codes {
        let Some(value) = code.value else {
            continue;
        };
        let problem = match classify_fault(value) {
            FaultClass::Unknown => Some(format!(
                "fault code {value} is outside every range CWMP defines (8000–8999 from the ACS, 9000–9999 from the CPE)"
            )),
            FaultClass::NoFault => Some(
                "fault code 0 means success; a SOAP Fault should carry a real fault code"
                    .to_owned(),
            ),
            _ => None,
        };
        if let Some(message) = problem {
            cx.report(DiagnosticCode::UnknownFaultCode, message, code.span);
        }
    }
}
