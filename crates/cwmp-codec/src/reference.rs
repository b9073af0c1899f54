//! Reference knowledge: event codes, fault codes, file types and notification values, each with
//! its meaning and the protocol version that introduced it.
//!
//! Codes, names and versions come from the Broadband Forum schemas `cwmp-1-0.xsd` to
//! `cwmp-1-4.xsd` (the fault strings verbatim, typos included). What the schemas do not say (the
//! SOAP `faultcode` of each fault, whether an event is single or cumulative, "14 HEARTBEAT",
//! "6 Stored Firmware Image") comes from the TR-069 text as relayed by secondary sources and from
//! implementations; such entries say "(unverified)". Meanings are paraphrased.

use serde::Serialize;

use crate::CwmpVersion;
use Allowed::{Both, Du, Neither, Transfer};
use CwmpVersion::{V1_0, V1_1, V1_2, V1_4};
use SoapFaultCode::{Client, Server};

/// Whether `text` is an OUI as CWMP writes it: six upper-case hex digits (`00D09E`).
pub fn is_oui(text: &str) -> bool {
    text.len() == 6
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'A'..=b'F').contains(&byte))
}

/// Splits a vendor form `X <OUI> <name>` into its OUI and name. The schemas of 1.2 and later
/// also allow any non-blank identifier instead of the OUI (`X \S+ .+`), so the OUI is returned
/// as written; check it with [`is_oui`].
fn vendor_form(text: &str) -> Option<(&str, &str)> {
    let (oui, name) = text.strip_prefix("X ")?.split_once(' ')?;
    (!oui.is_empty() && !name.is_empty()).then_some((oui, name))
}

// ---------------------------------------------------------------------------------------------
// Event codes

/// A numbered event code of the Inform `EventStruct` (TR-069 §3.7.1.5, Table 7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardEvent {
    /// The whole code as sent, `4 VALUE CHANGE`.
    pub code: &'static str,
    /// The number, `4`.
    pub number: u8,
    /// The name after the number, `VALUE CHANGE`.
    pub name: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// The protocol version whose schema first lists it.
    pub since: CwmpVersion,
    /// Single (at most one in an Inform however often it happened) rather than cumulative
    /// (one per triggering request, each with its `CommandKey`).
    pub single: bool,
}

/// Builds a [`StandardEvent`]; `code` must be `"<number> <name>"` (a unit test checks it).
const fn standard(
    code: &'static str,
    number: u8,
    name: &'static str,
    since: CwmpVersion,
    meaning: &'static str,
) -> StandardEvent {
    StandardEvent {
        code,
        number,
        name,
        meaning,
        since,
        // Every numbered event is single (the M events are the cumulative ones); for 12 to 14
        // this is (unverified).
        single: true,
    }
}

/// The numbered event codes `0 BOOTSTRAP` to `14 HEARTBEAT`, in order.
///
/// 0–13 are in the schemas (13 from `cwmp-1-4.xsd`). `14 HEARTBEAT` (Annex O heartbeat sessions)
/// is in no schema: it is from TR-069 Amendment 6 Corrigendum 1 as cited by a third-party note,
/// so its presence and version (1.4) are (unverified). "Single" is from implementations and is
/// (unverified) for 12, 13 and 14.
pub const STANDARD_EVENTS: &[StandardEvent] = &[
    standard(
        "0 BOOTSTRAP",
        0,
        "BOOTSTRAP",
        CwmpVersion::V1_0,
        "First contact with this ACS since installation or a factory reset, or since the ACS URL \
         changed.",
    ),
    standard(
        "1 BOOT",
        1,
        "BOOT",
        CwmpVersion::V1_0,
        "The CPE powered up or rebooted, for any reason including a Reboot RPC (not a wake-up \
         from standby).",
    ),
    standard(
        "2 PERIODIC",
        2,
        "PERIODIC",
        CwmpVersion::V1_0,
        "The periodic inform interval elapsed.",
    ),
    standard(
        "3 SCHEDULED",
        3,
        "SCHEDULED",
        CwmpVersion::V1_0,
        "The time asked for by an earlier ScheduleInform was reached; comes with \
         \"M ScheduleInform\".",
    ),
    standard(
        "4 VALUE CHANGE",
        4,
        "VALUE CHANGE",
        CwmpVersion::V1_0,
        "Parameters with notification turned on changed since the last successful Inform.",
    ),
    standard(
        "5 KICKED",
        5,
        "KICKED",
        CwmpVersion::V1_0,
        "The session was started to call Kicked, for a web identity (deprecated).",
    ),
    standard(
        "6 CONNECTION REQUEST",
        6,
        "CONNECTION REQUEST",
        CwmpVersion::V1_0,
        "The ACS asked for this session with a Connection Request; never retried.",
    ),
    standard(
        "7 TRANSFER COMPLETE",
        7,
        "TRANSFER COMPLETE",
        CwmpVersion::V1_0,
        "An earlier Download, ScheduleDownload or Upload ended, successfully or not; a \
         TransferComplete follows, with the matching M event.",
    ),
    standard(
        "8 DIAGNOSTICS COMPLETE",
        8,
        "DIAGNOSTICS COMPLETE",
        CwmpVersion::V1_0,
        "A diagnostic test started by the ACS has finished.",
    ),
    standard(
        "9 REQUEST DOWNLOAD",
        9,
        "REQUEST DOWNLOAD",
        CwmpVersion::V1_0,
        "The CPE opened the session to call RequestDownload.",
    ),
    standard(
        "10 AUTONOMOUS TRANSFER COMPLETE",
        10,
        "AUTONOMOUS TRANSFER COMPLETE",
        CwmpVersion::V1_1,
        "A file transfer the ACS did not ask for has ended; an AutonomousTransferComplete \
         follows.",
    ),
    standard(
        "11 DU STATE CHANGE COMPLETE",
        11,
        "DU STATE CHANGE COMPLETE",
        CwmpVersion::V1_2,
        "An earlier ChangeDUState has ended; a DUStateChangeComplete follows, with \
         \"M ChangeDUState\".",
    ),
    standard(
        "12 AUTONOMOUS DU STATE CHANGE COMPLETE",
        12,
        "AUTONOMOUS DU STATE CHANGE COMPLETE",
        CwmpVersion::V1_2,
        "A deployment unit change the ACS did not ask for has ended; an \
         AutonomousDUStateChangeComplete follows.",
    ),
    standard(
        "13 WAKEUP",
        13,
        "WAKEUP",
        CwmpVersion::V1_4,
        "The CPE woke up from standby (Annex L).",
    ),
    standard(
        "14 HEARTBEAT",
        14,
        "HEARTBEAT",
        CwmpVersion::V1_4,
        "A heartbeat session (Annex O, Heartbeat Policy). In no schema; from TR-069 Amendment 6 \
         Corrigendum 1 (unverified).",
    ),
];

/// A method event code, `M <method>`: the session reports on an earlier request of that method,
/// whose `CommandKey` the event carries. These are cumulative: one per request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodEvent {
    /// The whole code as sent, `M Download`.
    pub code: &'static str,
    /// The RPC it reports on, `Download`.
    pub method: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// The protocol version whose schema first lists it.
    pub since: CwmpVersion,
}

/// The method event codes the schemas list. Vendor methods (`M X_…`) are allowed besides.
pub const METHOD_EVENTS: &[MethodEvent] = &[
    MethodEvent {
        code: "M Reboot",
        method: "Reboot",
        meaning: "Carries the CommandKey of the Reboot RPC that caused this reboot (with 1 BOOT).",
        since: CwmpVersion::V1_0,
    },
    MethodEvent {
        code: "M ScheduleInform",
        method: "ScheduleInform",
        meaning: "Carries the CommandKey of the ScheduleInform whose time was reached (with \
                  3 SCHEDULED).",
        since: CwmpVersion::V1_0,
    },
    MethodEvent {
        code: "M Download",
        method: "Download",
        meaning: "Carries the CommandKey of the Download whose end this session reports (with \
                  7 TRANSFER COMPLETE).",
        since: CwmpVersion::V1_0,
    },
    MethodEvent {
        code: "M ScheduleDownload",
        method: "ScheduleDownload",
        meaning: "Carries the CommandKey of the ScheduleDownload whose end this session reports \
                  (with 7 TRANSFER COMPLETE).",
        since: CwmpVersion::V1_2,
    },
    MethodEvent {
        code: "M Upload",
        method: "Upload",
        meaning: "Carries the CommandKey of the Upload whose end this session reports (with \
                  7 TRANSFER COMPLETE).",
        since: CwmpVersion::V1_0,
    },
    MethodEvent {
        code: "M ChangeDUState",
        method: "ChangeDUState",
        meaning: "Carries the CommandKey of the ChangeDUState whose end this session reports \
                  (with 11 DU STATE CHANGE COMPLETE).",
        since: CwmpVersion::V1_2,
    },
];

/// An `EventCode` of an Inform, read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum EventCode {
    /// A numbered code written exactly as the schema has it (`1 BOOT`).
    Standard(&'static StandardEvent),
    /// `M <method>`: a listed method event (`M Download`), a vendor one (`M X_…`), or another
    /// method name, which the 1.2 schema's `M \S+` pattern also allows.
    Method {
        /// The method name after `M `.
        method: String,
    },
    /// `X <OUI> <name>`: a vendor event. The OUI is as written; see [`is_oui`].
    Vendor {
        /// The OUI (or, as 1.2 allows, another identifier without spaces).
        oui: String,
        /// The event name after the OUI.
        name: String,
    },
    /// Anything else (trimmed), including a standard code in the wrong case or with a number
    /// the schemas do not list.
    Unknown(String),
}

impl EventCode {
    /// Reads an event code. Surrounding whitespace is ignored; everything else is exact, case
    /// included, since the schema patterns are (see [`Self::standard_ignoring_case`]).
    pub fn parse(raw: &str) -> Self {
        let text = raw.trim();
        if let Some(event) = STANDARD_EVENTS.iter().find(|event| event.code == text) {
            return Self::Standard(event);
        }
        if let Some(method) = text.strip_prefix("M ")
            && !method.is_empty()
            && !method.contains(char::is_whitespace)
        {
            return Self::Method {
                method: method.to_owned(),
            };
        }
        if let Some((oui, name)) = vendor_form(text) {
            return Self::Vendor {
                oui: oui.to_owned(),
                name: name.to_owned(),
            };
        }
        Self::Unknown(text.to_owned())
    }

    /// For an [`EventCode::Unknown`] that is a standard code in another case or with other
    /// spacing (`1 boot`, `4  VALUE CHANGE`), that code: worth telling the sender about.
    pub fn standard_ignoring_case(&self) -> Option<&'static StandardEvent> {
        let Self::Unknown(text) = self else {
            return None;
        };
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        STANDARD_EVENTS
            .iter()
            .find(|event| event.code.eq_ignore_ascii_case(&words))
    }

    /// For a method event, the listed one it is, if any.
    pub fn method_event(&self) -> Option<&'static MethodEvent> {
        match self {
            Self::Method { method } => METHOD_EVENTS.iter().find(|event| event.method == method),
            _ => None,
        }
    }

    /// A one-line explanation, for any event code.
    pub fn meaning(&self) -> String {
        match self {
            Self::Standard(event) => event.meaning.to_owned(),
            Self::Method { method } => match self.method_event() {
                Some(event) => event.meaning.to_owned(),
                None if method.starts_with("X_") => format!(
                    "Vendor method event: carries the CommandKey of the vendor RPC {method}."
                ),
                None => format!(
                    "Carries the CommandKey of a {method} request; {method} has no method event \
                     in any CWMP schema."
                ),
            },
            Self::Vendor { oui, name } if is_oui(oui) => {
                format!("Vendor event {name:?} defined by the organisation with OUI {oui}.")
            }
            Self::Vendor { oui, name } => format!(
                "Vendor event {name:?} defined by {oui:?} (not a six-hex-digit OUI, which CWMP \
                 1.0 and 1.1 require)."
            ),
            Self::Unknown(text) => match self.standard_ignoring_case() {
                Some(event) => format!(
                    "Not a CWMP event code, but probably {:?} in the wrong case or spacing: {}",
                    event.code, event.meaning
                ),
                None if text.is_empty() => "An empty event code, which CWMP does not allow.".into(),
                None if is_numbered_form(text) => {
                    "A numbered event code no CWMP version defines (from 1.1 the schemas let any \
                     through)."
                        .to_owned()
                }
                None => "Not an event code of any CWMP schema.".to_owned(),
            },
        }
    }
}

/// Whether `text` has the shape the schemas from 1.1 allow for numbered codes, `\d+( \S+)+`.
fn is_numbered_form(text: &str) -> bool {
    let mut words = text.split(' ');
    words
        .next()
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        && text.contains(' ')
        && words.all(|word| !word.is_empty() && !word.contains(char::is_whitespace))
}

impl std::fmt::Display for EventCode {
    /// The event code as it is written in an Inform.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Standard(event) => f.write_str(event.code),
            Self::Method { method } => write!(f, "M {method}"),
            Self::Vendor { oui, name } => write!(f, "X {oui} {name}"),
            Self::Unknown(text) => f.write_str(text),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fault codes

/// Who raises a fault: CPE faults are 9xxx, ACS faults 8xxx.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultSource {
    /// The CPE, answering an ACS request.
    Cpe,
    /// The ACS, answering a CPE request.
    Acs,
}

/// The SOAP `faultcode` a fault is sent with: who was at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SoapFaultCode {
    /// The requester.
    Client,
    /// The responder.
    Server,
}

impl SoapFaultCode {
    /// `Client` or `Server`, as written (without the envelope prefix).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Client => "Client",
            Self::Server => "Server",
        }
    }
}

/// A fault code of TR-069 Annex A (`cwmp:Fault`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultInfo {
    /// The code, 8000–8006 or 9000–9032.
    pub code: u32,
    /// Who raises it.
    pub source: FaultSource,
    /// The fault string as the schema documents it (verbatim, typos included).
    pub name: &'static str,
    /// The SOAP `faultcode` it goes with.
    pub soap_faultcode: SoapFaultCode,
    /// Whether `soap_faultcode` is (unverified): the sources disagree or only one gives it, so a
    /// linter should only warn about a different one.
    pub soap_faultcode_unverified: bool,
    /// The protocol version whose schema first lists it.
    pub since: CwmpVersion,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// Allowed in the FaultStruct of TransferComplete and AutonomousTransferComplete
    /// (`TransferCompleteCPEFaultCodeType`, 1.2).
    pub in_transfer_complete: bool,
    /// Allowed in the FaultStruct of DUStateChangeComplete and AutonomousDUStateChangeComplete
    /// (`DeploymentUnitCPEFaultCodeType`, 1.2).
    pub in_du_state_change_complete: bool,
}

/// Flags for [`fault`]: where a CPE fault may also appear.
#[derive(Clone, Copy)]
enum Allowed {
    Neither,
    Transfer,
    Du,
    Both,
}

/// Builds a [`FaultInfo`]; codes below 9000 are ACS faults.
const fn fault(
    code: u32,
    name: &'static str,
    soap_faultcode: SoapFaultCode,
    soap_faultcode_unverified: bool,
    since: CwmpVersion,
    allowed: Allowed,
    meaning: &'static str,
) -> FaultInfo {
    FaultInfo {
        code,
        source: if code < 9000 {
            FaultSource::Acs
        } else {
            FaultSource::Cpe
        },
        name,
        soap_faultcode,
        soap_faultcode_unverified,
        since,
        meaning,
        in_transfer_complete: matches!(allowed, Allowed::Transfer | Allowed::Both),
        in_du_state_change_complete: matches!(allowed, Allowed::Du | Allowed::Both),
    }
}

/// The standard fault codes: ACS 8000–8006, then CPE 9000–9032.
///
/// Names and versions are from the schemas. The SOAP `faultcode`: 9000–9019 agree across the
/// TR-069 table as relayed and implementations (icwmp, RDK-B, Broadcom); 8000–8005 agree between
/// the relayed table and RDK-B. The rest is marked unverified: 9020 (Server per icwmp and the
/// relayed table, Client per RDK-B and Broadcom), 9021 (Client in all three, but only relayed),
/// 9022–9032 (the relayed table says Client, every implementation Server; Server is used) and
/// 8006 (only relayed).
#[rustfmt::skip]
pub const FAULTS: &[FaultInfo] = &[
    fault(8000, "Method not supported", Server, false, V1_0, Neither,
        "The ACS does not support the method the CPE called."),
    fault(8001, "Request denied (no reason specified)", Server, false, V1_0, Neither,
        "The ACS refused the request without saying why."),
    fault(8002, "Internal error", Server, false, V1_0, Neither,
        "The ACS failed internally while handling the request."),
    fault(8003, "Invalid arguments", Client, false, V1_0, Neither,
        "The CPE's request had missing or malformed arguments."),
    fault(8004, "Resources exceeded", Server, false, V1_0, Neither,
        "The ACS lacks the resources (memory, capacity) to handle the request."),
    fault(8005, "Retry request", Server, false, V1_0, Neither,
        "The ACS asks the CPE to send the same request again later (used for Inform)."),
    fault(8006, "ACS version incompatible with CPE", Server, true, V1_4, Neither,
        "The ACS cannot use any CWMP version the CPE offered in SupportedCWMPVersions."),
    fault(9000, "Method not supported", Server, false, V1_0, Neither,
        "The CPE does not support the method the ACS called."),
    fault(9001, "Request denied (no reason specified)", Server, false, V1_0, Both,
        "The CPE refused the request without saying why."),
    fault(9002, "Internal error", Server, false, V1_0, Transfer,
        "The CPE failed internally while handling the request."),
    fault(9003, "Invalid arguments", Client, false, V1_0, Du,
        "The ACS's request had missing or malformed arguments."),
    fault(9004, "Resources exceeded", Server, false, V1_0, Neither,
        "The CPE lacks the resources (memory, capacity) to handle the request; not for single \
         bad parameters."),
    fault(9005, "Invalid parameter name", Client, false, V1_0, Neither,
        "A parameter or object name does not exist on the CPE or is malformed."),
    fault(9006, "Invalid parameter type", Client, false, V1_0, Neither,
        "The xsi:type given for a parameter value is not the parameter's type."),
    fault(9007, "Invalid parameter value", Client, false, V1_0, Neither,
        "A parameter value is out of range, malformed or not one of the allowed values."),
    fault(9008, "Attempt to set a non-writable parameter", Client, false, V1_0, Neither,
        "SetParameterValues named a read-only parameter."),
    fault(9009, "Notification request rejected", Server, false, V1_0, Neither,
        "The CPE refused the notification setting asked for (for example active notification \
         on a parameter that changes too often)."),
    fault(9010, "File transfer failure", Server, false, V1_0, Transfer,
        "The download or transfer failed (named \"Download failure\" before 1.2)."),
    fault(9011, "Upload failure", Server, false, V1_0, Transfer,
        "The upload failed."),
    fault(9012, "File transfer server authentication failure", Server, false, V1_0, Both,
        "The file server refused the credentials given for the transfer."),
    fault(9013, "Unsupported protocol for file transfer", Server, false, V1_0, Du,
        "The CPE does not support the URL scheme of the transfer."),
    fault(9014, "File transfer failure: unable to join multicast group", Server, false, V1_1,
        Transfer,
        "The CPE could not join the multicast group of a multicast download (\"Download \
         failure: …\" before 1.2)."),
    fault(9015, "File transfer failure: unable to contact file server", Server, false, V1_1, Both,
        "The CPE could not reach the file server (\"Download failure: …\" before 1.2)."),
    fault(9016, "File transfer failure: unable to access file", Server, false, V1_1, Both,
        "The file server was reached but the file could not be read (\"Download failure: …\" \
         before 1.2)."),
    fault(9017, "File transfer failure: unable to complete download", Server, false, V1_1, Both,
        "The transfer started but did not finish (\"Download failure: …\" before 1.2)."),
    fault(9018, "File transfer failure: file corrupted", Server, false, V1_1, Both,
        "The file arrived but is corrupted or unusable (\"Download failure: …\" before 1.2)."),
    fault(9019, "File transfer failure: file authentication failure", Server, false, V1_1,
        Transfer,
        "The file failed its signature or authenticity check (\"Download failure: …\" before \
         1.2)."),
    fault(9020,
        "File transfer failure: unable to complete download within specified time windows",
        Server, true, V1_2, Transfer,
        "A ScheduleDownload could not be completed within any of its time windows."),
    fault(9021, "Cancelation of file transfer not permitted in current transfer state", Client,
        true, V1_2, Neither,
        "CancelTransfer named a transfer that can no longer be cancelled."),
    fault(9022, "Invalid UUID Format", Server, true, V1_2, Du,
        "A deployment unit UUID in ChangeDUState is not a valid UUID."),
    fault(9023, "Unknown Execution Environment", Server, true, V1_2, Du,
        "ChangeDUState named an execution environment the CPE does not have."),
    fault(9024, "Disabled Execution Environment", Server, true, V1_2, Du,
        "The execution environment named is disabled."),
    fault(9025, "Deployment Unit to Execution Environment Mismatch", Server, true, V1_2, Du,
        "The deployment unit cannot run in the execution environment named."),
    fault(9026, "Duplicate Deployment Unit", Server, true, V1_2, Du,
        "The deployment unit is already installed."),
    fault(9027, "System Resources Exceeded", Server, true, V1_2, Du,
        "The CPE lacks the resources to install or run the deployment unit."),
    fault(9028, "Unknown Deployment Unit", Server, true, V1_2, Du,
        "ChangeDUState named a deployment unit the CPE does not have."),
    fault(9029, "Invalid Deployment Unit State", Server, true, V1_2, Du,
        "The deployment unit is not in a state that allows the operation."),
    fault(9030, "Invalid Deployement Unit Update – Downgrade not permitted", Server, true, V1_2,
        Du,
        "The update would install an older version, which the CPE does not allow."),
    fault(9031, "Invalid Deployement Unit Update – Version not specified", Server, true, V1_2,
        Du,
        "The update did not say which version to update to, and the CPE needs it."),
    fault(9032, "Invalid Deployment Unit Update – Version already exists", Server, true, V1_2,
        Du,
        "The version the update would install is already installed."),
];

/// What a fault code is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum FaultClass {
    /// `0`: no fault, as in the FaultStruct of TransferComplete and DUStateChangeComplete.
    NoFault,
    /// A standard code.
    Known(&'static FaultInfo),
    /// 8800–8899: vendor-specific ACS faults.
    VendorAcs,
    /// 9800–9899: vendor-specific CPE faults.
    VendorCpe,
    /// Reserved for future standard codes, not yet assigned: CPE 9033–9799
    /// (`CPEExtensionFaultCodeType`) and ACS 8007–8799 (the rest of `ACSFaultCodeType`).
    Extension(FaultSource),
    /// Outside every range the schemas define.
    Unknown,
}

/// The standard fault with this code, if there is one.
pub fn fault_info(code: u32) -> Option<&'static FaultInfo> {
    FAULTS.iter().find(|fault| fault.code == code)
}

/// Says what a fault code is.
pub fn classify_fault(code: u32) -> FaultClass {
    if let Some(fault) = fault_info(code) {
        return FaultClass::Known(fault);
    }
    match code {
        0 => FaultClass::NoFault,
        8007..=8799 => FaultClass::Extension(FaultSource::Acs),
        8800..=8899 => FaultClass::VendorAcs,
        9033..=9799 => FaultClass::Extension(FaultSource::Cpe),
        9800..=9899 => FaultClass::VendorCpe,
        _ => FaultClass::Unknown,
    }
}

impl FaultClass {
    /// A one-line explanation of a fault code of this class.
    pub fn meaning(&self) -> String {
        match self {
            Self::NoFault => "No fault: the operation succeeded.".to_owned(),
            Self::Known(fault) => format!("{}: {}", fault.name, fault.meaning),
            Self::VendorAcs => "Vendor-specific ACS fault (8800–8899); see the ACS vendor's \
                                documentation."
                .to_owned(),
            Self::VendorCpe => "Vendor-specific CPE fault (9800–9899); see the CPE vendor's \
                                documentation."
                .to_owned(),
            Self::Extension(FaultSource::Cpe) => {
                "Reserved CPE fault code (9033–9799) with no standard meaning yet.".to_owned()
            }
            Self::Extension(FaultSource::Acs) => {
                "Reserved ACS fault code (8007–8799) with no standard meaning yet.".to_owned()
            }
            Self::Unknown => {
                "Not a CWMP fault code: CPE faults are 9000–9899, ACS faults 8000–8899.".to_owned()
            }
        }
    }
}

/// Whether `code` may appear in the FaultStruct of TransferComplete or
/// AutonomousTransferComplete: 0, the listed subset, the reserved and the vendor CPE ranges.
pub fn allowed_in_transfer_complete(code: u32) -> bool {
    match classify_fault(code) {
        FaultClass::NoFault | FaultClass::VendorCpe | FaultClass::Extension(FaultSource::Cpe) => {
            true
        }
        FaultClass::Known(fault) => fault.in_transfer_complete,
        _ => false,
    }
}

/// Whether `code` may appear in the FaultStruct of DUStateChangeComplete or
/// AutonomousDUStateChangeComplete: 0, the listed subset, the reserved and the vendor CPE
/// ranges.
pub fn allowed_in_du_state_change_complete(code: u32) -> bool {
    match classify_fault(code) {
        FaultClass::NoFault | FaultClass::VendorCpe | FaultClass::Extension(FaultSource::Cpe) => {
            true
        }
        FaultClass::Known(fault) => fault.in_du_state_change_complete,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// File types

/// A standard `FileType` of Download, Upload and related RPCs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileTypeInfo {
    /// The value as sent, without the instance number: `3 Vendor Configuration File`.
    pub value: &'static str,
    /// Whether an instance number follows (`3 Vendor Configuration File 2`): the upload types
    /// 3 and 4 name one instance of `VendorConfigFile` or `VendorLogFile`.
    pub takes_instance: bool,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// The protocol version whose schema first lists it.
    pub since: CwmpVersion,
}

/// The file types of Download, ScheduleDownload and RequestDownload.
///
/// 1–5 are in the schemas (4 and 5 from `cwmp-1-2.xsd`). `6 Stored Firmware Image` is in no
/// schema; it is from a later TR-069 amendment, so its presence and version are (unverified).
pub const DOWNLOAD_FILE_TYPES: &[FileTypeInfo] = &[
    FileTypeInfo {
        value: "1 Firmware Upgrade Image",
        takes_instance: false,
        meaning: "A firmware image to install.",
        since: V1_0,
    },
    FileTypeInfo {
        value: "2 Web Content",
        takes_instance: false,
        meaning: "Web content for the CPE's web server.",
        since: V1_0,
    },
    FileTypeInfo {
        value: "3 Vendor Configuration File",
        takes_instance: false,
        meaning: "A configuration file in the vendor's format, to apply.",
        since: V1_0,
    },
    FileTypeInfo {
        value: "4 Tone File",
        takes_instance: false,
        meaning: "A tone file for voice service (TR-104).",
        since: V1_2,
    },
    FileTypeInfo {
        value: "5 Ringer File",
        takes_instance: false,
        meaning: "A ringer file for voice service (TR-104).",
        since: V1_2,
    },
    FileTypeInfo {
        value: "6 Stored Firmware Image",
        takes_instance: false,
        meaning: "A firmware image to store in a firmware image slot without activating it (in \
                  no schema; unverified).",
        since: V1_4,
    },
];

/// The file types of Upload. 3 and 4 take an instance number (`4 Vendor Log File 1`).
pub const UPLOAD_FILE_TYPES: &[FileTypeInfo] = &[
    FileTypeInfo {
        value: "1 Vendor Configuration File",
        takes_instance: false,
        meaning: "The CPE's configuration, in the vendor's format.",
        since: V1_0,
    },
    FileTypeInfo {
        value: "2 Vendor Log File",
        takes_instance: false,
        meaning: "The CPE's log, in the vendor's format.",
        since: V1_0,
    },
    FileTypeInfo {
        value: "3 Vendor Configuration File",
        takes_instance: true,
        meaning: "One configuration file, the numbered instance of DeviceInfo.VendorConfigFile.",
        since: V1_2,
    },
    FileTypeInfo {
        value: "4 Vendor Log File",
        takes_instance: true,
        meaning: "One log file, the numbered instance of DeviceInfo.VendorLogFile.",
        since: V1_2,
    },
];

/// A `FileType`, read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum FileType {
    /// A standard download file type.
    Download(&'static FileTypeInfo),
    /// A standard upload file type, with its instance number for 3 and 4.
    Upload {
        /// Which one.
        info: &'static FileTypeInfo,
        /// The instance number (1 or more) after types 3 and 4.
        instance: Option<u32>,
    },
    /// `X <OUI> <name>`: a vendor file type. The OUI is as written; see [`is_oui`].
    Vendor {
        /// The OUI (or, as 1.2 allows, another identifier without spaces).
        oui: String,
        /// The file type name after the OUI.
        name: String,
    },
    /// Anything else (trimmed).
    Unknown(String),
}

/// Reads the `FileType` of Download, ScheduleDownload or RequestDownload. Surrounding whitespace
/// is ignored; everything else is exact, as in the schema.
pub fn parse_download_file_type(raw: &str) -> FileType {
    let text = raw.trim();
    if let Some(info) = DOWNLOAD_FILE_TYPES.iter().find(|info| info.value == text) {
        return FileType::Download(info);
    }
    vendor_or_unknown_file_type(text)
}

/// Reads the `FileType` of Upload, including the instance forms of types 3 and 4
/// (`3 Vendor Configuration File 2`; the instance is `[1-9]\d*`). Surrounding whitespace is
/// ignored; everything else is exact, as in the schema.
pub fn parse_upload_file_type(raw: &str) -> FileType {
    let text = raw.trim();
    for info in UPLOAD_FILE_TYPES {
        let Some(rest) = text.strip_prefix(info.value) else {
            continue;
        };
        if !info.takes_instance {
            if rest.is_empty() {
                return FileType::Upload {
                    info,
                    instance: None,
                };
            }
            continue;
        }
        let instance = rest
            .strip_prefix(' ')
            .filter(|digits| {
                !digits.starts_with('0') && digits.bytes().all(|byte| byte.is_ascii_digit())
            })
            .and_then(|digits| digits.parse().ok());
        if instance.is_some() {
            return FileType::Upload { info, instance };
        }
    }
    vendor_or_unknown_file_type(text)
}

/// The vendor form, or else unknown.
fn vendor_or_unknown_file_type(text: &str) -> FileType {
    match vendor_form(text) {
        Some((oui, name)) => FileType::Vendor {
            oui: oui.to_owned(),
            name: name.to_owned(),
        },
        None => FileType::Unknown(text.to_owned()),
    }
}

impl FileType {
    /// A one-line explanation.
    pub fn meaning(&self) -> String {
        match self {
            Self::Download(info) => info.meaning.to_owned(),
            Self::Upload { info, instance } => match instance {
                Some(instance) => format!("{} (instance {instance})", info.meaning),
                None => info.meaning.to_owned(),
            },
            Self::Vendor { oui, name } if is_oui(oui) => {
                format!("Vendor file type {name:?} defined by the organisation with OUI {oui}.")
            }
            Self::Vendor { oui, name } => format!(
                "Vendor file type {name:?} defined by {oui:?} (not a six-hex-digit OUI, which \
                 CWMP 1.0 and 1.1 require)."
            ),
            Self::Unknown(_) => "Not a file type of any CWMP schema for this RPC.".to_owned(),
        }
    }
}

impl std::fmt::Display for FileType {
    /// The file type as it is written in a message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Download(info)
            | Self::Upload {
                info,
                instance: None,
            } => f.write_str(info.value),
            Self::Upload {
                info,
                instance: Some(instance),
            } => write!(f, "{} {instance}", info.value),
            Self::Vendor { oui, name } => write!(f, "X {oui} {name}"),
            Self::Unknown(raw) => f.write_str(raw),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Notification values

/// A value of the `Notification` parameter attribute (`ParameterAttributeNotificationValueType`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationInfo {
    /// The value, 0–6.
    pub value: u8,
    /// A short name.
    pub name: &'static str,
    /// What the CPE does when the parameter changes.
    pub meaning: &'static str,
    /// The protocol version whose schema first lists it.
    pub since: CwmpVersion,
}

/// The notification values 0–6; 3–6 (Lightweight Notification, Annex K of Amendment 5) are from
/// `cwmp-1-4.xsd`.
pub const NOTIFICATIONS: &[NotificationInfo] = &[
    NotificationInfo {
        value: 0,
        name: "Off",
        meaning: "The CPE need not tell the ACS when the parameter changes.",
        since: V1_0,
    },
    NotificationInfo {
        value: 1,
        name: "Passive",
        meaning: "The CPE includes the new value in the next Inform, whenever that is.",
        since: V1_0,
    },
    NotificationInfo {
        value: 2,
        name: "Active",
        meaning: "The CPE starts a session at once and includes the new value in its Inform.",
        since: V1_0,
    },
    NotificationInfo {
        value: 3,
        name: "Passive lightweight",
        meaning: "The CPE includes the new value in the next Lightweight Notification (UDP).",
        since: V1_4,
    },
    NotificationInfo {
        value: 4,
        name: "Passive with passive lightweight",
        meaning: "Both 1 (passive) and 3 (passive lightweight), independently.",
        since: V1_4,
    },
    NotificationInfo {
        value: 5,
        name: "Active lightweight",
        meaning: "The CPE sends a Lightweight Notification (UDP) with the new value at once.",
        since: V1_4,
    },
    NotificationInfo {
        value: 6,
        name: "Passive with active lightweight",
        meaning: "Both 1 (passive) and 5 (active lightweight), independently.",
        since: V1_4,
    },
];

/// The notification value `value`, if it is one (0–6).
pub fn notification(value: i64) -> Option<&'static NotificationInfo> {
    NOTIFICATIONS
        .iter()
        .find(|info| i64::from(info.value) == value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAULT_CSV: &str = include_str!("../tests/vectors/codes/cwmp_fault_codes.csv");
    const EVENT_CSV: &str = include_str!("../tests/vectors/codes/cwmp_event_codes.csv");

    /// Splits CSV rows into fields; quoted fields may hold commas (no escaped quotes occur).
    fn csv(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .skip(1)
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let mut fields = vec![String::new()];
                let mut quoted = false;
                for c in line.chars() {
                    match c {
                        '"' => quoted = !quoted,
                        ',' if !quoted => fields.push(String::new()),
                        _ => fields.last_mut().expect("a field").push(c),
                    }
                }
                fields
            })
            .collect()
    }

    fn schema_version(schema: &str) -> CwmpVersion {
        match schema {
            "cwmp-1-0" => V1_0,
            "cwmp-1-1" => V1_1,
            "cwmp-1-2" => V1_2,
            "cwmp-1-4" => V1_4,
            other => panic!("unexpected schema {other}"),
        }
    }

    #[test]
    fn faults_match_the_csv_both_ways() {
        let rows = csv(FAULT_CSV);
        let mut listed = Vec::new();
        for row in &rows {
            let [code, raised_by, fault_string, first_schema, transfer, du] = row.as_slice() else {
                panic!("row {row:?} does not have 6 fields");
            };
            if let Some((low, high)) = code.split_once('-') {
                let (low, high): (u32, u32) = (low.parse().unwrap(), high.parse().unwrap());
                let expected = match low {
                    9033 => FaultClass::Extension(FaultSource::Cpe),
                    9800 => FaultClass::VendorCpe,
                    8800 => FaultClass::VendorAcs,
                    other => panic!("unexpected range starting at {other}"),
                };
                for code in [low, low + 1, u32::midpoint(low, high), high] {
                    assert_eq!(classify_fault(code), expected, "{code}");
                    if raised_by == "CPE" {
                        assert_eq!(allowed_in_transfer_complete(code), transfer == "yes");
                    }
                }
                continue;
            }
            let code: u32 = code.parse().unwrap();
            listed.push(code);
            let info = fault_info(code).unwrap_or_else(|| panic!("{code} missing from FAULTS"));
            assert_eq!(classify_fault(code), FaultClass::Known(info));
            assert_eq!(info.name, fault_string, "{code}");
            assert_eq!(info.since, schema_version(first_schema), "{code}");
            let source = match raised_by.as_str() {
                "CPE" => FaultSource::Cpe,
                "ACS" => FaultSource::Acs,
                other => panic!("raised_by {other}"),
            };
            assert_eq!(info.source, source, "{code}");
            let flag = |text: &str| match text {
                "yes" => true,
                "no" | "n/a" => false,
                other => panic!("flag {other}"),
            };
            assert_eq!(info.in_transfer_complete, flag(transfer), "{code}");
            assert_eq!(info.in_du_state_change_complete, flag(du), "{code}");
            assert_eq!(allowed_in_transfer_complete(code), flag(transfer), "{code}");
            assert_eq!(
                allowed_in_du_state_change_complete(code),
                flag(du),
                "{code}"
            );
        }
        for info in FAULTS {
            assert!(listed.contains(&info.code), "{} not in the CSV", info.code);
            assert!(!info.meaning.is_empty());
        }
        assert_eq!(FAULTS.len(), listed.len());
    }

    #[test]
    fn fault_soap_codes() {
        let code = |code| fault_info(code).map(|info| info.soap_faultcode);
        for client in [8003, 9003, 9005, 9006, 9007, 9008, 9021] {
            assert_eq!(code(client), Some(Client), "{client}");
        }
        for server in [
            8000, 8001, 8002, 8004, 8005, 8006, 9000, 9001, 9002, 9004, 9009, 9010,
        ] {
            assert_eq!(code(server), Some(Server), "{server}");
        }
        for server in 9011..=9020 {
            assert_eq!(code(server), Some(Server), "{server}");
        }
        for unverified in [8006, 9020, 9021, 9022, 9032] {
            assert!(fault_info(unverified).unwrap().soap_faultcode_unverified);
        }
        for verified in [8000, 8005, 9000, 9005, 9019] {
            assert!(!fault_info(verified).unwrap().soap_faultcode_unverified);
        }
        assert_eq!(Client.as_str(), "Client");
        assert_eq!(Server.as_str(), "Server");
    }

    #[test]
    fn fault_classes() {
        assert_eq!(classify_fault(0), FaultClass::NoFault);
        assert!(allowed_in_transfer_complete(0) && allowed_in_du_state_change_complete(0));
        assert_eq!(
            classify_fault(8007),
            FaultClass::Extension(FaultSource::Acs)
        );
        assert_eq!(
            classify_fault(8799),
            FaultClass::Extension(FaultSource::Acs)
        );
        assert_eq!(classify_fault(9800), FaultClass::VendorCpe);
        assert!(allowed_in_du_state_change_complete(9850));
        assert!(!allowed_in_transfer_complete(8850));
        assert!(!allowed_in_transfer_complete(9000));
        for unknown in [1, 7999, 8900, 8999, 9900, 9999, 10_000, u32::MAX] {
            assert_eq!(classify_fault(unknown), FaultClass::Unknown, "{unknown}");
        }
        assert!(
            classify_fault(9005)
                .meaning()
                .starts_with("Invalid parameter name: ")
        );
        for code in [0, 8000, 8007, 8850, 9040, 9850, 5] {
            assert!(!classify_fault(code).meaning().is_empty());
        }
    }

    #[test]
    fn events_match_the_csv_both_ways() {
        let mut listed = Vec::new();
        for row in csv(EVENT_CSV) {
            let [code, kind, first_schema] = row.as_slice() else {
                panic!("row {row:?} does not have 3 fields");
            };
            if code.starts_with("regex:") {
                continue;
            }
            listed.push(code.clone());
            match EventCode::parse(code) {
                EventCode::Standard(event) => {
                    assert_eq!(kind, "numbered");
                    assert_eq!(event.since, schema_version(first_schema), "{code}");
                }
                EventCode::Method { method } => {
                    assert!(kind.starts_with("method-specific"));
                    let event = METHOD_EVENTS
                        .iter()
                        .find(|event| event.method == method)
                        .unwrap_or_else(|| panic!("{code} missing from METHOD_EVENTS"));
                    assert_eq!(event.since, schema_version(first_schema), "{code}");
                }
                other => panic!("{code} read as {other:?}"),
            }
        }
        for event in STANDARD_EVENTS {
            assert_eq!(event.code, format!("{} {}", event.number, event.name));
            // 14 HEARTBEAT is in no schema, so not in the CSV.
            assert_eq!(listed.contains(&event.code.to_owned()), event.number != 14);
        }
        for event in METHOD_EVENTS {
            assert_eq!(event.code, format!("M {}", event.method));
            assert!(listed.contains(&event.code.to_owned()), "{}", event.code);
        }
        let numbers: Vec<u8> = STANDARD_EVENTS.iter().map(|event| event.number).collect();
        assert_eq!(numbers, (0..=14).collect::<Vec<u8>>());
    }

    #[test]
    fn event_codes_parse() {
        let standard = EventCode::parse(" 4 VALUE CHANGE\n");
        assert!(matches!(standard, EventCode::Standard(event) if event.number == 4));
        assert_eq!(standard.to_string(), "4 VALUE CHANGE");
        let heartbeat = EventCode::parse("14 HEARTBEAT");
        assert!(matches!(heartbeat, EventCode::Standard(e) if e.since == V1_4));

        let reboot = EventCode::parse("M Reboot");
        assert_eq!(reboot.method_event().map(|e| e.method), Some("Reboot"));
        assert!(reboot.meaning().contains("Reboot"));
        assert!(reboot.meaning().contains("CommandKey"));
        for method in [
            "ScheduleInform",
            "Download",
            "ScheduleDownload",
            "Upload",
            "ChangeDUState",
        ] {
            let event = EventCode::parse(&format!("M {method}"));
            assert!(event.meaning().contains(method), "{method}");
            assert_eq!(event.to_string(), format!("M {method}"));
        }

        let vendor_method = EventCode::parse("M X_ACME_Reset");
        assert_eq!(
            vendor_method,
            EventCode::Method {
                method: "X_ACME_Reset".into()
            }
        );
        assert!(vendor_method.method_event().is_none());
        assert!(vendor_method.meaning().contains("X_ACME_Reset"));
        assert!(vendor_method.meaning().contains("Vendor"));
        assert!(
            EventCode::parse("15 FUTURE EVENT")
                .meaning()
                .contains("no CWMP version defines")
        );
        assert!(
            !EventCode::parse("15  FUTURE")
                .meaning()
                .contains("no CWMP version defines")
        );
        let other_method = EventCode::parse("M FactoryReset");
        assert!(other_method.meaning().contains("no method event"));

        let vendor = EventCode::parse("X 00D09E Lost Sync");
        assert_eq!(
            vendor,
            EventCode::Vendor {
                oui: "00D09E".into(),
                name: "Lost Sync".into()
            }
        );
        assert_eq!(vendor.to_string(), "X 00D09E Lost Sync");
        assert!(vendor.meaning().contains("00D09E"));
        let loose_vendor = EventCode::parse("X ACME Thing");
        assert!(matches!(&loose_vendor, EventCode::Vendor { oui, .. } if oui == "ACME"));
        assert!(loose_vendor.meaning().contains("not a six-hex-digit OUI"));

        for garbage in [
            "",
            "   ",
            "1 boot",
            "1  BOOT",
            "boot",
            "15 FUTURE EVENT",
            "M",
            "M ",
            "M two words",
            "m Reboot",
            "X",
            "X 00D09E",
            "x 00D09E thing",
            "0 BOOTSTRAP!",
            "\u{0}",
        ] {
            let parsed = EventCode::parse(garbage);
            assert_eq!(
                parsed,
                EventCode::Unknown(garbage.trim().to_owned()),
                "{garbage:?}"
            );
            assert!(!parsed.meaning().is_empty());
            assert_eq!(parsed.to_string(), garbage.trim());
        }
        let lowercase = EventCode::parse("1 boot");
        assert_eq!(
            lowercase.standard_ignoring_case().map(|e| e.number),
            Some(1)
        );
        assert!(lowercase.meaning().contains("\"1 BOOT\""));
        assert_eq!(
            EventCode::parse("6  connection   request")
                .standard_ignoring_case()
                .map(|e| e.number),
            Some(6)
        );
        assert_eq!(EventCode::parse("1 BOOTS").standard_ignoring_case(), None);
        assert_eq!(EventCode::parse("1").standard_ignoring_case(), None);
        assert_eq!(EventCode::parse("1 BOOT").standard_ignoring_case(), None);
    }

    #[test]
    fn download_file_types() {
        for info in DOWNLOAD_FILE_TYPES {
            let parsed = parse_download_file_type(info.value);
            assert_eq!(parsed, FileType::Download(info));
            assert_eq!(parsed.to_string(), info.value);
            assert!(!info.takes_instance);
        }
        assert_eq!(
            parse_download_file_type(" 1 Firmware Upgrade Image "),
            FileType::Download(&DOWNLOAD_FILE_TYPES[0])
        );
        assert_eq!(
            parse_download_file_type("X 00D09E Modem Firmware"),
            FileType::Vendor {
                oui: "00D09E".into(),
                name: "Modem Firmware".into()
            }
        );
        for garbage in [
            "",
            "1 firmware upgrade image",
            "1 Firmware Upgrade Image 2",
            "2 Vendor Log File",
            "7 Something",
            "Firmware",
            "X ",
        ] {
            let parsed = parse_download_file_type(garbage);
            assert_eq!(
                parsed,
                FileType::Unknown(garbage.trim().to_owned()),
                "{garbage:?}"
            );
            assert!(!parsed.meaning().is_empty());
        }
    }

    #[test]
    fn upload_file_types() {
        assert_eq!(
            parse_upload_file_type("1 Vendor Configuration File"),
            FileType::Upload {
                info: &UPLOAD_FILE_TYPES[0],
                instance: None
            }
        );
        assert_eq!(
            parse_upload_file_type("2 Vendor Log File"),
            FileType::Upload {
                info: &UPLOAD_FILE_TYPES[1],
                instance: None
            }
        );
        let config = parse_upload_file_type("3 Vendor Configuration File 2");
        assert_eq!(
            config,
            FileType::Upload {
                info: &UPLOAD_FILE_TYPES[2],
                instance: Some(2)
            }
        );
        assert_eq!(config.to_string(), "3 Vendor Configuration File 2");
        assert!(config.meaning().contains("instance 2"));
        assert_eq!(
            parse_upload_file_type("4 Vendor Log File 17"),
            FileType::Upload {
                info: &UPLOAD_FILE_TYPES[3],
                instance: Some(17)
            }
        );
        assert!(matches!(
            parse_upload_file_type("X 00D09E Debug Dump"),
            FileType::Vendor { .. }
        ));
        for garbage in [
            "3 Vendor Configuration File",
            "3 Vendor Configuration File 0",
            "3 Vendor Configuration File 01",
            "3 Vendor Configuration File -1",
            "3 Vendor Configuration File 99999999999",
            "3 Vendor Configuration File  2",
            "4 Vendor Log File x",
            "1 Vendor Configuration File 1",
            "2 vendor log file",
            "1 Firmware Upgrade Image",
            "",
        ] {
            assert_eq!(
                parse_upload_file_type(garbage),
                FileType::Unknown(garbage.trim().to_owned()),
                "{garbage:?}"
            );
        }
    }

    #[test]
    fn notifications() {
        for (index, info) in NOTIFICATIONS.iter().enumerate() {
            assert_eq!(usize::from(info.value), index);
            assert_eq!(notification(i64::from(info.value)), Some(info));
            assert_eq!(info.since, if info.value < 3 { V1_0 } else { V1_4 });
        }
        assert_eq!(notification(2).map(|info| info.name), Some("Active"));
        for value in [-1, 7, i64::MAX, i64::MIN] {
            assert_eq!(notification(value), None);
        }
    }

    #[test]
    fn ouis() {
        assert!(is_oui("00D09E"));
        for bad in ["00d09e", "00D09", "00D09E0", "GGGGGG", "", "００D09E"] {
            assert!(!is_oui(bad), "{bad}");
        }
    }

    #[test]
    fn serializes_for_the_ui() {
        let json = |value: &dyn erased::Json| value.json();
        assert_eq!(
            json(&EventCode::parse("M Reboot")),
            r#"{"kind":"method","value":{"method":"Reboot"}}"#
        );
        assert!(json(&EventCode::parse("1 BOOT")).contains(r#""since":"1.0""#));
        assert_eq!(
            json(&EventCode::parse("nope")),
            r#"{"kind":"unknown","value":"nope"}"#
        );
        assert!(json(&classify_fault(9005)).contains(r#""soapFaultcode":"client""#));
        assert_eq!(
            json(&classify_fault(9040)),
            r#"{"kind":"extension","value":"cpe"}"#
        );
        assert!(json(&parse_upload_file_type("4 Vendor Log File 1")).contains(r#""instance":1"#));
        assert!(json(&NOTIFICATIONS[6]).contains(r#""since":"1.4""#));
    }

    /// `serde_json::to_string` behind a trait object, so the test can take any of the types.
    mod erased {
        pub trait Json {
            fn json(&self) -> String;
        }

        impl<T: serde::Serialize> Json for T {
            fn json(&self) -> String {
                serde_json::to_string(self).expect("serializable")
            }
        }
    }
}
