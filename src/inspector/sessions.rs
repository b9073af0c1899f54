//! The left pane: devices, each with its sessions in time order and the connection requests
//! between them.

use std::rc::Rc;

use cwmp_session::{
    Capture, ConnectionRequestView, Device, Direction, MessageKind, Session, SessionEnd, Severity,
    UdpConnectionRequestView,
};
use gloo::events::EventListener;
use yew::prelude::*;

use super::filter::FilterResult;
use super::format::{
    clock, date, event_meaning, fault_badge, fault_meaning, refusal, rpc_outline, severity_icon,
};
use super::{RequestId, Select};
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
    /// The selected connection request, when one is open instead of a session.
    #[prop_or_default]
    pub selected_request: Option<RequestId>,
    /// The active filter: sessions without a matching message are hidden.
    #[prop_or_default]
    pub filter: Option<Rc<FilterResult>>,
    /// Receives [`Select::Session`] when a row is clicked, [`Select::ConnectionRequest`] for a
    /// connection request.
    pub on_select: Callback<Select>,
}

/// One row of the list, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    /// A device's header (index into `Capture::devices`).
    Device(usize),
    /// The header of the sessions no Inform identifies.
    Unidentified,
    /// The header of connection requests no session followed.
    LoneRequests,
    /// A connection request.
    Request(RequestId),
    /// A session (id).
    Session(usize),
}

impl Row {
    /// The row's height in the virtualised list, in CSS pixels. Rows there have fixed heights
    /// (their content is clipped; app.css sets the same numbers on `.row-*`) so that the position
    /// of any row is known without measuring.
    fn height(self) -> f64 {
        match self {
            Self::Device(_) | Self::Unidentified | Self::LoneRequests => 52.0,
            Self::Request(_) => 30.0,
            Self::Session(_) => 84.0,
        }
    }
}

/// Lists with more rows than this are virtualised: only the rows near the viewport are in the
/// document. Below it every row is rendered with its natural height.
const VIRTUAL_FROM: usize = 200;
/// How far beyond the viewport rows are still rendered, in CSS pixels, so that fast scrolling
/// does not show blank space before the next render.
const OVERSCAN_PX: f64 = 800.0;

/// The rows the list shows, with the filter applied.
fn list_rows(capture: &Capture, filter: Option<&FilterResult>) -> Vec<Row> {
    let shows = |id: usize| filter.is_none_or(|f| f.shows(id));
    let mut rows = Vec::new();
    let push_session = |rows: &mut Vec<Row>, session: &Session| {
        if let Some(request) = session.connection_request
            && request < capture.connection_requests.len()
        {
            rows.push(Row::Request(RequestId::Http(request)));
        }
        if let Some(request) = session.udp_connection_request
            && request < capture.udp_connection_requests.len()
        {
            rows.push(Row::Request(RequestId::Udp(request)));
        }
        rows.push(Row::Session(session.id));
    };
    for (index, device) in capture.devices.iter().enumerate() {
        let sessions: Vec<&Session> = device
            .sessions
            .iter()
            .filter(|&&id| shows(id))
            .filter_map(|&id| capture.sessions.get(id))
            .collect();
        if sessions.is_empty() && filter.is_some() {
            continue;
        }
        rows.push(Row::Device(index));
        for session in sessions {
            push_session(&mut rows, session);
        }
    }
    let anonymous: Vec<&Session> = capture
        .sessions
        .iter()
        .filter(|session| session.device.is_none() && shows(session.id))
        .collect();
    if !anonymous.is_empty() {
        rows.push(Row::Unidentified);
        for session in anonymous {
            push_session(&mut rows, session);
        }
    }
    if filter.is_none() {
        let lone: Vec<RequestId> = capture
            .connection_requests
            .iter()
            .filter(|request| request.session.is_none())
            .map(|request| RequestId::Http(request.id))
            .chain(
                capture
                    .udp_connection_requests
                    .iter()
                    .filter(|request| request.session.is_none())
                    .map(|request| RequestId::Udp(request.id)),
            )
            .collect();
        if !lone.is_empty() {
            rows.push(Row::LoneRequests);
            rows.extend(lone.into_iter().map(Row::Request));
        }
    }
    rows
}

/// The rows and, when virtualised, where each starts (one more entry: the total height).
struct Layout {
    rows: Vec<Row>,
    offsets: Option<Vec<f64>>,
}

impl Layout {
    fn new(rows: Vec<Row>) -> Self {
        let offsets = (rows.len() > VIRTUAL_FROM).then(|| {
            let mut offsets = Vec::with_capacity(rows.len() + 1);
            let mut top = 0.0;
            offsets.push(top);
            for row in &rows {
                top += row.height();
                offsets.push(top);
            }
            offsets
        });
        Self { rows, offsets }
    }

    /// The rows to render for a viewport: all of them, or those within [`OVERSCAN_PX`] of it.
    fn window(&self, scroll_top: f64, viewport: f64) -> std::ops::Range<usize> {
        let Some(offsets) = &self.offsets else {
            return 0..self.rows.len();
        };
        let from = scroll_top - OVERSCAN_PX;
        let to = scroll_top + viewport.max(400.0) + OVERSCAN_PX;
        // offsets[i + 1] is where row i ends.
        let first = offsets[1..].partition_point(|&end| end < from);
        let last = offsets[..offsets.len() - 1].partition_point(|&start| start < to);
        first.min(self.rows.len())..last.max(first).min(self.rows.len())
    }
}

/// The scroll container's position and height, as last seen.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Viewport {
    top: f64,
    height: f64,
}

/// Devices and their sessions, with connection requests on the same timeline. Long lists are
/// virtualised: the pane scrolls through a list as tall as every row, of which only the rows
/// near the viewport exist, so that 100,000 sessions cost no more to draw than 30.
#[function_component]
pub fn SessionList(props: &SessionListProps) -> Html {
    let capture = &props.capture;
    let layout = {
        let filter = props.filter.clone();
        let filter_key = props.filter.as_ref().map(|f| Rc::as_ptr(f) as usize);
        use_memo((capture.clone(), filter_key), move |(capture, _)| {
            Layout::new(list_rows(capture, filter.as_deref()))
        })
    };
    let list_ref = use_node_ref();
    let above_ref = use_node_ref();
    let below_ref = use_node_ref();
    let viewport = use_state(Viewport::default);
    let virtualised = layout.offsets.is_some();

    // Follow the scrolling pane (the list's parent) while the list is virtualised.
    {
        let list_ref = list_ref.clone();
        let viewport = viewport.clone();
        use_effect_with(virtualised, move |&virtualised| {
            let list = list_ref.cast::<web_sys::HtmlElement>();
            let pane = list.as_ref().and_then(|list| list.parent_element());
            let listeners = virtualised
                .then_some(pane.zip(list))
                .flatten()
                .map(|(pane, list)| {
                    let measure = {
                        let pane = pane.clone();
                        // Scrolled past the list's own top (the pane's title sits above it).
                        move || Viewport {
                            top: f64::from(pane.scroll_top() - list.offset_top()),
                            height: f64::from(pane.client_height()),
                        }
                    };
                    viewport.set(measure());
                    let on_scroll = {
                        let viewport = viewport.clone();
                        let measure = measure.clone();
                        EventListener::new(&pane, "scroll", move |_| viewport.set(measure()))
                    };
                    let on_resize =
                        EventListener::new(&gloo::utils::window(), "resize", move |_| {
                            viewport.set(measure());
                        });
                    (on_scroll, on_resize)
                });
            move || drop(listeners)
        });
    }

    // Keep the selected row in view when the keyboard moves the selection.
    {
        let list_ref = list_ref.clone();
        let layout = layout.clone();
        use_effect_with(
            (props.selected, props.selected_request),
            move |&(selected, request)| {
                let target = match (request, selected) {
                    (Some(request), _) => Some(Row::Request(request)),
                    (None, Some(session)) => Some(Row::Session(session)),
                    (None, None) => None,
                };
                if let (Some(target), Some(offsets)) = (target, &layout.offsets)
                    && let Some(index) = layout.rows.iter().position(|&row| row == target)
                    && let Some(list) = list_ref.cast::<web_sys::HtmlElement>()
                    && let Some(pane) = list.parent_element()
                {
                    // In the pane's scroll coordinates: the list starts below the pane's title.
                    let start = f64::from(list.offset_top());
                    let top = start + offsets[index];
                    let bottom = start + offsets[index + 1];
                    let seen = f64::from(pane.scroll_top());
                    let height = f64::from(pane.client_height());
                    #[expect(
                        clippy::cast_possible_truncation,
                        reason = "a pixel offset well within i32"
                    )]
                    if top < seen {
                        pane.set_scroll_top(top as i32);
                    } else if bottom > seen + height {
                        pane.set_scroll_top((bottom - height) as i32);
                    }
                }
            },
        );
    }

    let nothing_matches = props.filter.as_ref().is_some_and(|f| f.visible.is_empty());
    let window = layout.window(viewport.top, viewport.height);
    let rows = layout.rows[window.clone()]
        .iter()
        .map(|&row| render_row(capture, row, props));
    let (above, below) = match &layout.offsets {
        Some(offsets) => (
            offsets[window.start],
            offsets[layout.rows.len()] - offsets[window.end],
        ),
        None => (0.0, 0.0),
    };
    // The spacers stand for the rows not rendered. Their heights are set through the CSSOM:
    // the page's Content-Security-Policy (`style-src 'self'`) ignores inline style attributes.
    {
        let above_ref = above_ref.clone();
        let below_ref = below_ref.clone();
        use_effect_with((above.to_bits(), below.to_bits()), move |_| {
            for (spacer, height) in [(above_ref, above), (below_ref, below)] {
                if let Some(spacer) = spacer.cast::<web_sys::HtmlElement>() {
                    // Whole pixels: every row height is one, and integer formatting is far
                    // smaller code than a float's.
                    #[expect(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "a list's height in pixels"
                    )]
                    let pixels = height.max(0.0) as u32;
                    let _ = spacer
                        .style()
                        .set_property("height", &format!("{pixels}px"));
                }
            }
        });
    }
    html! {
        <>
            <h2 class="pane-title">{ format!("Devices ({})", capture.devices.len()) }</h2>
            if nothing_matches {
                <p class="empty-pane" data-testid="no-match">
                    { "No message matches the filter. Esc in the filter box clears it." }
                </p>
            }
            <div
                ref={list_ref}
                class={classes!("session-list", virtualised.then_some("virtual"))}
                role="list"
                data-rows={layout.rows.len().to_string()}
            >
                if virtualised {
                    <div ref={above_ref} class="spacer" aria-hidden="true" />
                }
                { for rows }
                if virtualised {
                    <div ref={below_ref} class="spacer" aria-hidden="true" />
                }
            </div>
            if capture.sessions.is_empty()
                && capture.connection_requests.is_empty()
                && capture.udp_connection_requests.is_empty()
            {
                <p class="empty-pane">{ "No CWMP sessions or connection requests were found." }</p>
            }
        </>
    }
}

/// One row (in a virtualised list, app.css gives it its fixed height).
fn render_row(capture: &Capture, row: Row, props: &SessionListProps) -> Html {
    let content = match row {
        Row::Device(index) => capture
            .devices
            .get(index)
            .map_or_else(Html::default, |device| {
                html! { <DeviceHeader device={device.clone()} /> }
            }),
        Row::Unidentified => html! {
            <header class="device-header">
                <span class="device-name">{ "Unidentified device" }</span>
                <span class="device-id">{ "no Inform identifies these sessions" }</span>
            </header>
        },
        Row::LoneRequests => html! {
            <header class="device-header">
                <span class="device-name">{ "Connection requests" }</span>
                <span class="device-id">{ "no session followed these" }</span>
            </header>
        },
        Row::Request(id @ RequestId::Http(index)) => capture
            .connection_requests
            .get(index)
            .map_or_else(Html::default, |request| {
                connection_request_row(
                    request,
                    props.selected_request == Some(id),
                    &props.on_select,
                )
            }),
        Row::Request(id @ RequestId::Udp(index)) => capture
            .udp_connection_requests
            .get(index)
            .map_or_else(Html::default, |request| {
                udp_connection_request_row(
                    request,
                    props.selected_request == Some(id),
                    &props.on_select,
                )
            }),
        Row::Session(id) => capture
            .sessions
            .get(id)
            .map_or_else(Html::default, |session| {
                session_row(capture, session, props)
            }),
    };
    let class = match row {
        Row::Device(_) | Row::Unidentified | Row::LoneRequests => "list-row row-group",
        Row::Request(_) => "list-row row-request",
        Row::Session(_) => "list-row row-session",
    };
    html! {
        <div class={class} role="listitem">{ content }</div>
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

/// How the ACS refused the session's last POST at the HTTP level (a 401 left unanswered, or
/// answered with credentials it refused again), with the challenge: `401 Unauthorized · Digest
/// realm="acs"`.
fn session_refusal(session: &Session) -> Option<String> {
    let last = session
        .messages
        .iter()
        .rfind(|m| m.direction == Direction::AcsToCpe)?;
    let status = refusal(last)?;
    Some(match &last.summary.challenge {
        Some(challenge) => format!("{status} · {challenge}"),
        None => status,
    })
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
    let refused = session_refusal(session);
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
                    if let Some(refused) = refused {
                        <span
                            class="badge fault refused"
                            data-testid="refused"
                            title="The ACS refused the session's last POST at the HTTP level"
                        >
                            { format!("✖ {refused}") }
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
    }
}

fn connection_request_row(
    request: &ConnectionRequestView,
    selected: bool,
    on_select: &Callback<Select>,
) -> Html {
    let accepted = request.outcome.map_or_else(
        || matches!(request.result, Some(200 | 204)),
        |outcome| !outcome.failed(),
    );
    // A failure says which (reset, no answer, 401 loop…), not only a status.
    let result = match request.result {
        Some(status) if accepted => format!("{status} accepted"),
        _ => request.outcome_text(),
    };
    let time = request.time.as_deref();
    let id = request.id;
    html! {
        <button
            class={classes!(
                "connection-request",
                (!accepted).then_some("refused"),
                selected.then_some("selected"),
            )}
            data-testid="connection-request"
            data-request-id={id.to_string()}
            aria-current={selected.then_some("true")}
            onclick={on_select.reform(move |_: MouseEvent| Select::ConnectionRequest(RequestId::Http(id)))}
            title={format!(
                "Connection request {} to {}{} — open it to check its authentication",
                request.target,
                request.cpe.as_deref().unwrap_or("the CPE"),
                time.map(|t| format!(" at {} {} UTC", date(t), clock(t))).unwrap_or_default(),
            )}
        >
            <span class="time">{ time.map_or("", clock) }</span>
            <span>{ "⇢ Connection request" }</span>
            <span class="result">{ format!("{result} · {} attempt(s)", request.attempts.len()) }</span>
        </button>
    }
}

fn udp_connection_request_row(
    request: &UdpConnectionRequestView,
    selected: bool,
    on_select: &Callback<Select>,
) -> Html {
    let time = request.time.as_deref();
    let id = request.id;
    let problems = request.problems.len();
    html! {
        <button
            class={classes!(
                "connection-request",
                (problems > 0 || request.signature.is_none()).then_some("refused"),
                selected.then_some("selected"),
            )}
            data-testid="connection-request"
            data-request-kind="udp"
            data-request-id={id.to_string()}
            aria-current={selected.then_some("true")}
            onclick={on_select.reform(move |_: MouseEvent| Select::ConnectionRequest(RequestId::Udp(id)))}
            title={format!(
                "UDP connection request (TR-069 Annex G) to {}{} — open it to check its signature",
                request.cpe,
                time.map(|t| format!(" at {} {} UTC", date(t), clock(t))).unwrap_or_default(),
            )}
        >
            <span class="time">{ time.map_or("", clock) }</span>
            <span>{ "⇢ UDP connection request" }</span>
            <span class="result">
                { match (problems, &request.signature) {
                    (0, Some(_)) => "signed datagram".to_owned(),
                    (0, None) => "no signature".to_owned(),
                    (n, _) => format!("{n} Annex G problem(s)"),
                } }
            </span>
        </button>
    }
}
