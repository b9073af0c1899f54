//! Checks on decoded values that need CWMP knowledge: OUIs, MaxEnvelopes, event and fault codes.

use crate::DiagnosticCode;
use crate::fields::Cx;
use crate::model::{Rpc, SoapFault};

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

pub(crate) fn check_fault(_cx: &mut Cx<'_>, _fault: &SoapFault) {}
