//! The centre pane: the selected session as a ladder diagram (inline SVG, one arrow per message)
//! and the session's findings.

use std::fmt::Write as _;
use std::rc::Rc;

use cwmp_session::{Capture, Direction, MessageKind, Session, SessionEnd, Severity};
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use yew::prelude::*;

use super::Select;
use super::filter::FilterResult;
use super::format::{
    arrow_detail, arrow_label, clock, count, date, event_meaning, fault_meaning, http_label,
    offset, severity_icon,
};
use crate::intake::SharedCapture;

/// Sessions with more messages than this draw only the arrows near the view, and the selected
/// and replayed ones: drawing thousands would make every click and replay step redraw them all.
const VIRTUAL_ABOVE: usize = 300;

/// Arrows drawn beyond each edge of the view in a long session, so that scrolling shows no gap.
const OVERSCAN: usize = 25;

/// Width of the drawing, in SVG units.
const WIDTH: i32 = 480;
/// The CPE's lifeline.
const CPE_X: i32 = 106;
/// The ACS's lifeline.
const ACS_X: i32 = 418;
/// Where the finding markers stand, in the gutter.
const MARK_X: i32 = 64;
/// Height of the lifeline heads.
const HEAD: i32 = 48;
/// Height of one arrow's row.
const ROW: i32 = 40;

/// Properties of [`Ladder`].
#[derive(Properties, PartialEq)]
pub struct LadderProps {
    /// The capture.
    pub capture: SharedCapture,
    /// The session drawn (its id).
    pub session: usize,
    /// The selected message.
    pub selected: Option<usize>,
    /// The replay cursor, while replaying: later arrows are dimmed.
    #[prop_or_default]
    pub cursor: Option<usize>,
    /// The active filter, whose matching arrows are highlighted.
    #[prop_or_default]
    pub filter: Option<Rc<FilterResult>>,
    /// Receives [`Select::Message`] when an arrow is clicked.
    pub on_select: Callback<Select>,
    /// Shown under the session's header, above the drawing (the replay controls).
    #[prop_or_default]
    pub children: Html,
}

/// The ladder of one session: CPE and ACS lifelines, an arrow per message labelled with its RPC
/// and key argument, the time from the session's start in the gutter, and a marker on each arrow
/// that has findings.
#[function_component]
pub fn Ladder(props: &LadderProps) -> Html {
    let scroll_ref = use_node_ref();
    let header_ref = use_node_ref();
    let svg_ref = use_node_ref();
    let message_count = props
        .capture
        .sessions
        .get(props.session)
        .map_or(0, |s| s.messages.len());
    let long = message_count > VIRTUAL_ABOVE;
    // The rows near the view, for long sessions; followed while the pane or the page scrolls.
    let near = use_state_eq(|| 0..2 * OVERSCAN);
    {
        let near = near.clone();
        let svg_ref = svg_ref.clone();
        use_effect_with((props.session, long), move |&(_, long)| {
            let listeners = long.then(|| {
                let update = move || {
                    if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                        near.set(rows_in_view(&svg, message_count));
                    }
                };
                update();
                let update = std::rc::Rc::new(update);
                let on_scroll = {
                    let update = std::rc::Rc::clone(&update);
                    // Scroll events do not bubble: listen in the capture phase for any scroller.
                    let options = EventListenerOptions {
                        phase: EventListenerPhase::Capture,
                        passive: true,
                    };
                    EventListener::new_with_options(
                        &gloo::utils::document(),
                        "scroll",
                        options,
                        move |_| update(),
                    )
                };
                let on_resize =
                    EventListener::new(&gloo::utils::window(), "resize", move |_| update());
                (on_scroll, on_resize)
            });
            move || drop(listeners)
        });
    }
    let Some(session) = props.capture.sessions.get(props.session) else {
        return html! {};
    };
    let drawn = |index: usize| {
        !long
            || near.contains(&index)
            || props.selected == Some(index)
            || props.cursor == Some(index)
    };
    let capture = &props.capture;
    let rows = i32::try_from(session.messages.len()).unwrap_or(i32::MAX / ROW - HEAD);
    let height = HEAD + rows * ROW + 16;
    let start_ns = session.messages.iter().find_map(|m| m.time_ns);
    let worst = worst_findings(capture, session);
    let matches = props
        .filter
        .as_ref()
        .map(|filter| filter.session_matches(session.id));
    html! {
        <>
            <FollowCursor cursor={props.cursor} scroll={scroll_ref.clone()} header={header_ref.clone()} svg={svg_ref.clone()} />
            <div class="ladder-header" ref={header_ref}>
                <SessionHeader capture={capture.clone()} session={session.id} />
                { props.children.clone() }
            </div>
            <div class="ladder-scroll" ref={scroll_ref}>
                <svg
                    ref={svg_ref}
                    class="ladder"
                    data-testid="ladder"
                    viewBox={format!("0 0 {WIDTH} {height}")}
                    width={WIDTH.to_string()}
                    preserveAspectRatio="xMidYMin meet"
                    role="group"
                    aria-label={format!("Ladder of session {}", session.id)}
                >
                    { lifeline(CPE_X, "CPE", session.cpe.as_deref(), height) }
                    { lifeline(ACS_X, "ACS", session.acs.as_deref(), height) }
                    <text class="gutter-head" x="4" y={(HEAD - 8).to_string()}>{ "Δt (s)" }</text>
                    { for session.messages.iter().enumerate().filter(|&(index, _)| drawn(index)).map(|(index, message)| {
                        let y = HEAD + i32::try_from(index).unwrap_or(0) * ROW;
                        let line_y = y + 24;
                        let (from, to) = match message.direction {
                            Direction::CpeToAcs => (CPE_X, ACS_X),
                            Direction::AcsToCpe => (ACS_X, CPE_X),
                        };
                        let head = if to > from {
                            format!("{to},{line_y} {},{} {},{}", to - 10, line_y - 5, to - 10, line_y + 5)
                        } else {
                            format!("{to},{line_y} {},{} {},{}", to + 10, line_y - 5, to + 10, line_y + 5)
                        };
                        let http_x = if to > from { from + 8 } else { from - 8 };
                        let http_anchor = if to > from { "start" } else { "end" };
                        let selected = props.selected == Some(index);
                        let later = props.cursor.is_some_and(|cursor| index > cursor);
                        let matching = matches.is_some_and(|m| m.binary_search(&index).is_ok());
                        let faulty = message.kind == MessageKind::Fault
                            || message.summary.fault_code.is_some_and(|c| c != 0);
                        let class = classes!(
                            "arrow",
                            message.direction.as_str(),
                            selected.then_some("selected"),
                            (selected && props.cursor.is_some()).then_some("cursor"),
                            later.then_some("later"),
                            matching.then_some("match"),
                            faulty.then_some("fault"),
                            (message.kind == MessageKind::Empty).then_some("empty"),
                        );
                        let onclick = props.on_select.reform(move |_: MouseEvent| Select::Message(index));
                        let onkeydown = props.on_select.reform(move |_: KeyboardEvent| Select::Message(index));
                        let onkeydown = Callback::from(move |event: KeyboardEvent| {
                            if event.key() == "Enter" || event.key() == " " {
                                event.prevent_default();
                                onkeydown.emit(event);
                            }
                        });
                        let label = arrow_label(message);
                        let time = match (start_ns, message.time_ns) {
                            (Some(start), Some(at)) => offset(start, at),
                            _ => String::new(),
                        };
                        let mut title = format!(
                            "#{index} {} {} {}",
                            if message.direction == Direction::CpeToAcs { "CPE → ACS" } else { "ACS → CPE" },
                            http_label(message),
                            label,
                        );
                        if let Some(code) = message.summary.fault_code {
                            let _ = write!(title, "\nFault {code}: {}", fault_meaning(code));
                        }
                        for code in &message.summary.events {
                            let _ = write!(title, "\nEvent {code}: {}", event_meaning(code));
                        }
                        if matching {
                            title.push_str("\nMatches the filter");
                        }
                        if let Some(t) = &message.time {
                            let _ = write!(title, "\n{} {} UTC", date(t), clock(t));
                        }
                        html! {
                            <g
                                key={index}
                                class={class}
                                data-testid="message"
                                data-rpc={message.rpc.clone()}
                                data-direction={message.direction.as_str()}
                                data-index={index.to_string()}
                                role="button"
                                tabindex="0"
                                aria-label={title.clone()}
                                aria-current={selected.then_some("true")}
                                onclick={onclick}
                                onkeydown={onkeydown}
                            >
                                <title>{ title }</title>
                                <rect class="hit" x="0" y={y.to_string()} width={WIDTH.to_string()} height={ROW.to_string()} rx="4" />
                                if matching {
                                    <rect class="match-bar" x="0" y={(y + 3).to_string()} width="4" height={(ROW - 6).to_string()} rx="2" />
                                }
                                <text class="offset" x="4" y={(line_y + 4).to_string()}>{ time }</text>
                                if let Some(severity) = worst.get(index).copied().flatten() {
                                    <g class={classes!("marker", severity.as_str())}>
                                        <circle cx={MARK_X.to_string()} cy={line_y.to_string()} r="8" />
                                        <text x={MARK_X.to_string()} y={(line_y + 4).to_string()} text-anchor="middle">
                                            { marker_glyph(severity) }
                                        </text>
                                    </g>
                                }
                                <line class="shaft" x1={from.to_string()} y1={line_y.to_string()} x2={to.to_string()} y2={line_y.to_string()} />
                                <polygon class="head" points={head} />
                                <text class="label" x={i32::midpoint(CPE_X, ACS_X).to_string()} y={(line_y - 7).to_string()} text-anchor="middle">
                                    { label }
                                </text>
                                <text class="http" x={http_x.to_string()} y={(line_y + 14).to_string()} text-anchor={http_anchor}>
                                    { arrow_detail(message) }
                                </text>
                            </g>
                        }
                    }) }
                </svg>
            </div>
        </>
    }
}

/// The rows of a ladder of `rows` arrows that are in the viewport, with [`OVERSCAN`] more on each
/// side, from where the drawing (`svg`) lies on screen: this holds whether the ladder's pane
/// scrolls or, on narrow screens, the page does.
fn rows_in_view(svg: &web_sys::Element, rows: usize) -> std::ops::Range<usize> {
    let drawing = svg.get_bounding_client_rect();
    let scale = drawing.width() / f64::from(WIDTH);
    if scale <= 0.0 {
        return 0..(2 * OVERSCAN).min(rows);
    }
    let viewport = gloo::utils::window()
        .inner_height()
        .ok()
        .and_then(|height| height.as_f64())
        .unwrap_or(800.0);
    let top = (-drawing.top()).max(0.0);
    let bottom = (viewport - drawing.top()).clamp(0.0, drawing.height());
    let row_at = |pixels: f64| (pixels / scale - f64::from(HEAD)) / f64::from(ROW);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 0 and far below usize::MAX"
    )]
    let (first, last) = (
        row_at(top).floor().max(0.0) as usize,
        row_at(bottom).ceil().max(0.0) as usize + 1,
    );
    first.saturating_sub(OVERSCAN)..(last + OVERSCAN).min(rows)
}

#[derive(Properties, PartialEq)]
struct FollowCursorProps {
    cursor: Option<usize>,
    scroll: NodeRef,
    header: NodeRef,
    svg: NodeRef,
}

/// Keeps the replay cursor's arrow in view in the ladder pane (below its sticky header) as the
/// replay moves, scrolling only when the arrow is out of view.
#[function_component]
fn FollowCursor(props: &FollowCursorProps) -> Html {
    let refs = (
        props.scroll.clone(),
        props.header.clone(),
        props.svg.clone(),
    );
    use_effect_with(props.cursor, move |&cursor| {
        if let Some(cursor) = cursor {
            scroll_to_arrow(cursor, &refs.0, &refs.1, &refs.2);
        }
    });
    html! {}
}

fn scroll_to_arrow(cursor: usize, scroll: &NodeRef, header: &NodeRef, svg: &NodeRef) {
    let (Some(scroll), Some(svg)) = (
        scroll.cast::<web_sys::HtmlElement>(),
        svg.cast::<web_sys::Element>(),
    ) else {
        return;
    };
    let Some(pane) = scroll
        .closest(".ladder-pane")
        .ok()
        .flatten()
        .and_then(|pane| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(pane).ok())
    else {
        return;
    };
    // On narrow screens the pane does not scroll (the page does): leave it.
    if pane.scroll_height() <= pane.client_height() || svg.client_width() == 0 {
        return;
    }
    let header = header
        .cast::<web_sys::HtmlElement>()
        .map_or(0, |h| h.offset_height());
    let scale = f64::from(svg.client_width()) / f64::from(WIDTH);
    let row = i32::try_from(cursor).unwrap_or(0);
    let (top, bottom) = (
        f64::from(HEAD + row * ROW) * scale,
        f64::from(HEAD + (row + 1) * ROW) * scale,
    );
    let origin = f64::from(scroll.offset_top() - pane.offset_top());
    let (top, bottom) = (origin + top, origin + bottom);
    let view_top = f64::from(pane.scroll_top() + header);
    let view_bottom = f64::from(pane.scroll_top() + pane.client_height());
    let margin = f64::from(ROW) * scale;
    #[allow(
        clippy::cast_possible_truncation,
        reason = "pixel offsets are far inside i32"
    )]
    if top < view_top {
        pane.set_scroll_top((top - margin - f64::from(header)).max(0.0) as i32);
    } else if bottom > view_bottom {
        pane.set_scroll_top((bottom + margin - f64::from(pane.client_height())) as i32);
    }
}

/// A lifeline with its head: the side's name and address.
fn lifeline(x: i32, name: &'static str, address: Option<&str>, height: i32) -> Html {
    html! {
        <g class="lifeline">
            <rect class="lifeline-head" x={(x - 60).to_string()} y="2" width="120" height="34" rx="6" />
            <text class="lifeline-name" x={x.to_string()} y={if address.is_some() { "17" } else { "24" }} text-anchor="middle">{ name }</text>
            if let Some(address) = address {
                <text class="lifeline-address" x={x.to_string()} y="31" text-anchor="middle">{ address.to_owned() }</text>
            }
            <line class="lifeline-line" x1={x.to_string()} y1="36" x2={x.to_string()} y2={height.to_string()} />
        </g>
    }
}

fn marker_glyph(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✖",
        Severity::Warning => "!",
        Severity::Info => "i",
    }
}

/// The most severe finding on each message of the session.
fn worst_findings(capture: &Capture, session: &Session) -> Vec<Option<Severity>> {
    let mut worst = vec![None; session.messages.len()];
    for finding in session
        .findings
        .iter()
        .filter_map(|&f| capture.findings.get(f))
    {
        for at in finding
            .messages
            .iter()
            .filter(|at| at.session == session.id)
        {
            if let Some(slot) = worst.get_mut(at.message) {
                *slot = (*slot).max(Some(finding.severity));
            }
        }
    }
    worst
}

#[derive(Properties, PartialEq)]
struct SessionHeaderProps {
    capture: SharedCapture,
    session: usize,
}

/// One line on the session: when, how long, how it ended.
#[function_component]
fn SessionHeader(props: &SessionHeaderProps) -> Html {
    let Some(session) = props.capture.sessions.get(props.session) else {
        return html! {};
    };
    let ended = match session.ended {
        SessionEnd::Completed => "completed",
        SessionEnd::ConnectionClosed => "not terminated: connection closed",
        SessionEnd::Unfinished => "not terminated: capture ends first",
    };
    let duration = match (
        session.messages.iter().find_map(|m| m.time_ns),
        session.messages.iter().rev().find_map(|m| m.time_ns),
    ) {
        (Some(first), Some(last)) => {
            format!(" · {} s", offset(first, last).trim_start_matches('+'))
        }
        _ => String::new(),
    };
    html! {
        <header class="session-header">
            <h2 class="pane-title">
                { format!("Session #{}", session.id) }
                if let Some(start) = &session.start {
                    <span class="muted">{ format!(" · {} {} UTC", date(start), clock(start)) }</span>
                }
            </h2>
            <p class="session-facts">
                { format!("{}{duration} · {ended}", count(session.messages.len(), "message", "messages")) }
                <span class="legend">
                    <span class="legend-cpe">{ "→ CPE to ACS" }</span>
                    <span class="legend-acs">{ "← ACS to CPE" }</span>
                </span>
            </p>
        </header>
    }
}

/// Properties of [`SessionFindings`].
#[derive(Properties, PartialEq)]
pub struct SessionFindingsProps {
    /// The capture.
    pub capture: SharedCapture,
    /// The session (its id).
    pub session: usize,
    /// Receives [`Select::Finding`] when a finding is clicked.
    pub on_select: Callback<Select>,
}

/// The session's findings, worst first; clicking one selects the first message it concerns.
#[function_component]
pub fn SessionFindings(props: &SessionFindingsProps) -> Html {
    let Some(session) = props.capture.sessions.get(props.session) else {
        return html! {};
    };
    let mut findings: Vec<_> = session
        .findings
        .iter()
        .filter_map(|&f| props.capture.findings.get(f))
        .collect();
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    html! {
        <section class="session-findings" aria-label="Findings of this session">
            <h3>{ format!("Findings ({})", findings.len()) }</h3>
            if findings.is_empty() {
                <p class="note">{ "No rule is broken in this session." }</p>
            }
            <ul>
                { for findings.into_iter().map(|finding| {
                    let first = finding.messages.first().copied();
                    let onclick = {
                        let on_select = props.on_select.clone();
                        Callback::from(move |_: MouseEvent| {
                            if let Some(at) = first {
                                on_select.emit(Select::Finding(at));
                            }
                        })
                    };
                    let at = first.map(|at| format!("#{}", at.message));
                    let more = finding.messages.len().saturating_sub(1);
                    html! {
                        <li>
                            <button
                                class={classes!("finding", finding.severity.as_str())}
                                data-testid="finding"
                                data-rule={finding.rule.clone()}
                                data-severity={finding.severity.as_str()}
                                onclick={onclick}
                            >
                                <span class="severity">
                                    { format!("{} {}", severity_icon(finding.severity), finding.severity.as_str()) }
                                </span>
                                <span class="rule">{ &finding.rule }</span>
                                <span class="where">
                                    { at.unwrap_or_default() }
                                    if more > 0 { { format!(" +{more}") } }
                                </span>
                                <span class="finding-message">{ &finding.message }</span>
                                <span class="spec">{ &finding.spec }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
