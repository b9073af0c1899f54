//! The left pane: devices, each with its sessions in time order and the connection requests
//! between them.

use std::rc::Rc;

use cwmp_session::{
    Capture, ConnectionRequestView, Device, MessageKind, Session, SessionEnd, Severity,
};
use yew::prelude::*;

use super::Select;
use super::filter::FilterResult;
use super::format::{
    clock, date, event_meaning, fault_badge, fault_meaning, rpc_outline, severity_icon,
};
use crate::intake::SharedCapture;

/// Session ids in the order the list shows them: by device (in order of first appearance), then
/// the sessions no Inform identifies. ↑/↓ follow this order.
pub fn list_order(capture: &Capture) -> Vec<usize> {
    let mut order: Vec<usize> = capture
        .devices
        .iter()
        .flat_map(|device| device.sessions.iter().copied())
        .collect();
    order.extend(
        capture
            .sessions
            .iter()
            .filter(|session| session.device.is_none())
            .map(|session| session.id),
    );
    order
}

/// Properties of [`SessionList`].
#[derive(Properties, PartialEq)]
pub struct SessionListProps {
    /// The capture.
    pub capture: SharedCapture,
    /// The selected session.
    pub selected: Option<usize>,
    /// The active filter: sessions without a matching message are hidden.
    #[prop_or_default]
    pub filter: Option<Rc<FilterResult>>,
    /// Receives [`Select::Session`] when a row is clicked.
    pub on_select: Callback<Select>,
}

/// Devices and their sessions, with connection requests on the same timeline.
#[function_component]
pub fn SessionList(props: &SessionListProps) -> Html {
    let capture = &props.capture;
    let shows = |id: usize| props.filter.as_ref().is_none_or(|f| f.shows(id));
    let groups = capture.devices.iter().filter_map(|device| {
        let sessions: Vec<&Session> = device
            .sessions
            .iter()
            .filter(|&&id| shows(id))
            .filter_map(|&id| capture.sessions.get(id))
            .collect();
        if sessions.is_empty() && props.filter.is_some() {
            return None;
        }
        Some(html! {
            <section class="device" aria-label={format!("Device {}", device.id)}>
                <DeviceHeader device={device.clone()} />
                <ol class="timeline">
                    { for sessions.into_iter().map(|session| timeline_entry(capture, session, props)) }
                </ol>
            </section>
        })
    });
    let anonymous: Vec<&Session> = capture
        .sessions
        .iter()
        .filter(|session| session.device.is_none() && shows(session.id))
        .collect();
    let lone_requests: Vec<&ConnectionRequestView> = capture
        .connection_requests
        .iter()
        .filter(|request| request.session.is_none() && props.filter.is_none())
        .collect();
    let nothing_matches = props.filter.as_ref().is_some_and(|f| f.visible.is_empty());
    html! {
        <>
            <h2 class="pane-title">{ format!("Devices ({})", capture.devices.len()) }</h2>
            if nothing_matches {
                <p class="empty-pane" data-testid="no-match">
                    { "No message matches the filter. Esc in the filter box clears it." }
                </p>
            }
            { for groups }
            if !anonymous.is_empty() {
                <section class="device" aria-label="Sessions without an Inform">
                    <header class="device-header">
                        <span class="device-name">{ "Unidentified device" }</span>
                        <span class="device-id">{ "no Inform identifies these sessions" }</span>
                    </header>
                    <ol class="timeline">
                        { for anonymous.into_iter().map(|session| timeline_entry(capture, session, props)) }
                    </ol>
                </section>
            }
            if !lone_requests.is_empty() {
                <section class="device" aria-label="Connection requests without a session">
                    <header class="device-header">
                        <span class="device-name">{ "Connection requests" }</span>
                        <span class="device-id">{ "no session followed these" }</span>
                    </header>
                    <ol class="timeline">
                        { for lone_requests.into_iter().map(connection_request_row) }
                    </ol>
                </section>
            }
            if capture.sessions.is_empty() && capture.connection_requests.is_empty() {
                <p class="empty-pane">{ "No CWMP sessions or connection requests were found." }</p>
            }
        </>
    }
}

/// A session, preceded by the connection request that triggered it, if any.
fn timeline_entry(capture: &Capture, session: &Session, props: &SessionListProps) -> Html {
    let request = session
        .connection_request
        .and_then(|id| capture.connection_requests.get(id));
    html! {
        <>
            if let Some(request) = request {
                { connection_request_row(request) }
            }
            { session_row(capture, session, props) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DeviceHeaderProps {
    device: Device,
}

#[function_component]
fn DeviceHeader(props: &DeviceHeaderProps) -> Html {
    let device = &props.device;
    let name = [device.manufacturer.as_str(), device.product_class.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <header class="device-header" title={format!("DeviceId {}", device.id)}>
            <span class="device-name">{ if name.is_empty() { "Device".to_owned() } else { name } }</span>
            <span class="device-id">{ format!("SN {} · OUI {}", device.serial_number, device.oui) }</span>
        </header>
    }
}

fn session_row(capture: &Capture, session: &Session, props: &SessionListProps) -> Html {
    let id = session.id;
    let selected = props.selected == Some(id);
    let onclick = props
        .on_select
        .reform(move |_: MouseEvent| Select::Session(id));
    let mut severities = [0_usize; 3];
    for finding in session
        .findings
        .iter()
        .filter_map(|&f| capture.findings.get(f))
    {
        severities[finding.severity as usize] += 1;
    }
    let mut faults: Vec<u32> = session
        .messages
        .iter()
        .filter(|m| m.kind == MessageKind::Fault || m.summary.fault_code.is_some())
        .filter_map(|m| m.summary.fault_code)
        .collect();
    faults.sort_unstable();
    faults.dedup();
    let matching = props.filter.as_ref().map(|f| f.session_matches(id).len());
    let time = session.start.as_deref();
    let events = if session.events.is_empty() {
        "no Inform".to_owned()
    } else {
        session.events.join(", ")
    };
    let events_title = session
        .events
        .iter()
        .map(|code| format!("{code}: {}", event_meaning(code)))
        .collect::<Vec<_>>()
        .join("\n");
    let (ended, ended_title) = match session.ended {
        SessionEnd::Completed => (None, ""),
        SessionEnd::ConnectionClosed => (
            Some("not terminated"),
            "The connection closed before the ACS's empty response ended the session.",
        ),
        SessionEnd::Unfinished => (
            Some("not terminated"),
            "The capture ends before the session does.",
        ),
    };
    html! {
        <li>
            <button
                class={classes!("session-row", selected.then_some("selected"))}
                data-testid="session"
                data-session-id={id.to_string()}
                aria-current={selected.then_some("true")}
                onclick={onclick}
            >
                <span class="row-top">
                    <span class="time" title={time.map(|t| format!("{t} (UTC)"))}>
                        { time.map_or("no capture time", clock) }
                    </span>
                    <span class="session-number">{ format!("#{id}") }</span>
                    <span class="events" title={events_title}>{ events }</span>
                </span>
                <span class="rpcs">{ rpc_outline(&session.messages) }</span>
                <span class="badges">
                    if let Some(matching) = matching {
                        <span
                            class="badge match"
                            data-testid="match-count"
                            title={format!("{matching} of {} messages match the filter", session.messages.len())}
                        >
                            { format!("◆ {matching} of {}", session.messages.len()) }
                        </span>
                    }
                    { for faults.iter().map(|&code| html! {
                        <span class="badge fault" title={format!("Fault {code}: {}", fault_meaning(code))}>{ fault_badge(code) }</span>
                    }) }
                    { for [Severity::Error, Severity::Warning, Severity::Info].into_iter().filter(|s| severities[*s as usize] > 0).map(|severity| html! {
                        <span
                            class={classes!("badge", severity.as_str())}
                            title={format!("{} {} finding(s)", severities[severity as usize], severity.as_str())}
                        >
                            { format!("{} {}", severity_icon(severity), severities[severity as usize]) }
                        </span>
                    }) }
                    if let Some(ended) = ended {
                        <span class="badge unterminated" title={ended_title}>{ format!("⏸ {ended}") }</span>
                    }
                </span>
            </button>
        </li>
    }
}

fn connection_request_row(request: &ConnectionRequestView) -> Html {
    let result = match request.result {
        Some(status @ (200 | 204)) => format!("{status} accepted"),
        Some(status) => format!("{status} refused"),
        None => "no answer".to_owned(),
    };
    let accepted = matches!(request.result, Some(200 | 204));
    let time = request.time.as_deref();
    html! {
        <li
            class={classes!("connection-request", (!accepted).then_some("refused"))}
            data-testid="connection-request"
            title={format!(
                "Connection request {} to {}{}",
                request.target,
                request.cpe.as_deref().unwrap_or("the CPE"),
                time.map(|t| format!(" at {} {} UTC", date(t), clock(t))).unwrap_or_default(),
            )}
        >
            <span class="time">{ time.map_or("", clock) }</span>
            <span>{ "⇢ Connection request" }</span>
            <span class="result">{ format!("{result} · {} attempt(s)", request.attempts.len()) }</span>
        </li>
    }
}
