//! Versions: the cwmp namespace negotiated and the elements each version allows.

use super::{
    CwmpNamespace, CwmpVersion, EventCode, Finding, MessageKind, Session, envelope, fault_info,
    header, inform, push,
};

/// RPCs newer than 1.0, with the version whose schema first declares them.
const RPC_SINCE: &[(&str, CwmpVersion)] = &[
    ("AutonomousTransferComplete", CwmpVersion::V1_1),
    ("GetAllQueuedTransfers", CwmpVersion::V1_1),
    ("ScheduleDownload", CwmpVersion::V1_2),
    ("CancelTransfer", CwmpVersion::V1_2),
    ("ChangeDUState", CwmpVersion::V1_2),
    ("DUStateChangeComplete", CwmpVersion::V1_2),
    ("AutonomousDUStateChangeComplete", CwmpVersion::V1_2),
];

fn xsd(v: CwmpVersion) -> &'static str {
    match v {
        CwmpVersion::V1_0 => "cwmp-1-0.xsd",
        CwmpVersion::V1_1 => "cwmp-1-1.xsd",
        CwmpVersion::V1_2 => "cwmp-1-2.xsd",
        CwmpVersion::V1_3 => "cwmp-1-3.xsd",
        CwmpVersion::V1_4 => "cwmp-1-4.xsd",
    }
}

fn parse_version(text: &str) -> Option<CwmpVersion> {
    CwmpVersion::ALL
        .into_iter()
        .find(|v| v.as_str() == text.trim())
}

/// The CWMP version of a session, as far as the messages tell.
struct Negotiated {
    ns: CwmpNamespace,
    /// The CPE's SupportedCWMPVersions (message, value).
    supported: Option<(usize, String)>,
    /// The ACS's UseCWMPVersion (message, value).
    used: Option<(usize, String)>,
    /// UseCWMPVersion, else the newest version the namespace carries.
    version: CwmpVersion,
    /// How the version was found, for messages.
    label: String,
}

pub(super) fn versions(s: &Session, out: &mut Vec<Finding>) {
    let Some(ns) = s
        .messages
        .iter()
        .find_map(|m| envelope(m).and_then(|e| e.namespace))
    else {
        return;
    };
    let supported = s.messages.iter().find_map(|m| {
        let h = header(m)?.supported_cwmp_versions.as_ref()?;
        Some((m.index, h.value.raw.clone()))
    });
    let used = s.messages.iter().find_map(|m| {
        let h = header(m)?.use_cwmp_version.as_ref()?;
        Some((m.index, h.value.raw.trim().to_owned()))
    });
    let version = used
        .as_ref()
        .and_then(|u| parse_version(&u.1))
        .unwrap_or(ns.max_version());
    let label = match &used {
        Some(u) => format!("UseCWMPVersion {}", u.1),
        None => format!("namespace {}", ns.uri()),
    };
    if !ns.is_official() {
        let first = s
            .messages
            .iter()
            .find(|m| envelope(m).and_then(|e| e.namespace) == Some(ns))
            .map_or(0, |m| m.index);
        push(
            out,
            s,
            "version.unofficial-namespace",
            &[first],
            format!(
                "the session uses {}, which was never published; versions 1.3 and 1.4 keep \
             urn:dslforum-org:cwmp-1-2",
                ns.uri()
            ),
        );
    }
    let n = Negotiated {
        ns,
        supported,
        used,
        version,
        label,
    };
    version_elements(s, &n, out);
    version_headers(s, &n, out);
}

/// RPCs, events and faults newer than the session's version.
fn version_elements(s: &Session, n: &Negotiated, out: &mut Vec<Finding>) {
    let Negotiated {
        supported,
        used,
        version,
        label,
        ..
    } = n;
    let version = *version;
    let mut reported = Vec::new();
    for m in &s.messages {
        if m.kind == MessageKind::Request || m.kind == MessageKind::Response {
            let base = m.rpc.strip_suffix("Response").unwrap_or(&m.rpc);
            if let Some(&(_, since)) = RPC_SINCE.iter().find(|(n, _)| *n == base)
                && since > version
                && !reported.contains(&base)
            {
                reported.push(base);
                push(
                    out,
                    s,
                    "version.rpc",
                    &[m.index],
                    format!(
                        "{} first appears in CWMP {since} ({}), but this session is {label}",
                        m.rpc,
                        xsd(since)
                    ),
                );
            }
        }
    }
    if let Some(inform) = inform(s) {
        for e in &inform.summary.events {
            let code = EventCode::parse(e);
            let since = match &code {
                EventCode::Standard(std) => Some(std.since),
                _ => code.method_event().map(|m| m.since),
            };
            if let Some(since) = since.filter(|&v| v > version) {
                push(
                    out,
                    s,
                    "version.event",
                    &[inform.index],
                    format!(
                        "event \"{e}\" first appears in CWMP {since} ({}), but this session is {label}",
                        xsd(since)
                    ),
                );
            }
        }
    }
    for m in &s.messages {
        let Some(code) = m.summary.fault_code else {
            continue;
        };
        let Some(info) = fault_info(code) else {
            continue;
        };
        // 8006 answers SupportedCWMPVersions: without it the CPE is older than 1.4.
        let limit = if code == 8006 && supported.is_none() && used.is_none() {
            version.min(CwmpVersion::V1_3)
        } else {
            version
        };
        if info.since > limit {
            push(
                out,
                s,
                "version.fault",
                &[m.index],
                format!(
                    "fault {code} first appears in CWMP {} ({}), but this session is {label}{}",
                    info.since,
                    xsd(info.since),
                    if limit < version {
                        " and the CPE sent no SupportedCWMPVersions"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
}

/// SupportedCWMPVersions and UseCWMPVersion.
fn version_headers(s: &Session, n: &Negotiated, out: &mut Vec<Finding>) {
    let Negotiated {
        ns,
        supported,
        used,
        ..
    } = n;
    if let (Some((si, list)), Some((ui, u))) = (&supported, &used)
        && !list.split(',').any(|v| v.trim() == u)
    {
        push(
            out,
            s,
            "version.use-not-supported",
            &[*si, *ui],
            format!(
                "the ACS chose UseCWMPVersion {u}, which is not among the CPE's \
             SupportedCWMPVersions \"{list}\""
            ),
        );
    }
    if let Some((si, _)) = &supported
        && used.is_none()
        && let Some(r) = s.messages.iter().find(|m| m.rpc == "InformResponse")
    {
        push(
            out,
            s,
            "version.supported-ignored",
            &[*si, r.index],
            "the CPE sent SupportedCWMPVersions but the ACS answered without UseCWMPVersion"
                .to_owned(),
        );
    }
    if ns.max_version() < CwmpVersion::V1_4 {
        let refs: Vec<usize> = [&supported, &used]
            .into_iter()
            .filter_map(|x| x.as_ref().map(|x| x.0))
            .collect();
        if !refs.is_empty() {
            push(
                out,
                s,
                "version.header-before-1-4",
                &refs,
                format!(
                    "SupportedCWMPVersions/UseCWMPVersion belong to CWMP 1.4, but the session uses \
                 {}",
                    ns.uri()
                ),
            );
        }
    }
}
