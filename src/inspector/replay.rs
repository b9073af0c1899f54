//! Replay: step through a session message by message (or let it play), with the session state
//! machine's view after each message — its state, what each side may send next, and the rules
//! the message broke.

use cwmp_session::{State, Step, replay};
use yew::prelude::*;

use super::{ReplayAction, Select};
use crate::intake::SharedCapture;

/// How fast autoplay goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Speed {
    /// 0.5×: 1.4 s a step.
    Half,
    /// 1×: 700 ms a step.
    #[default]
    Normal,
    /// 2×: 350 ms a step.
    Double,
    /// 4×: 175 ms a step.
    Quadruple,
}

/// The time one step takes at 1×.
pub const BASE_STEP_MS: u32 = 700;

impl Speed {
    /// Every speed, slowest first.
    pub const ALL: [Self; 4] = [Self::Half, Self::Normal, Self::Double, Self::Quadruple];

    /// Milliseconds between two steps.
    pub fn step_ms(self) -> u32 {
        match self {
            Self::Half => BASE_STEP_MS * 2,
            Self::Normal => BASE_STEP_MS,
            Self::Double => BASE_STEP_MS / 2,
            Self::Quadruple => BASE_STEP_MS / 4,
        }
    }

    /// `0.5×`, `1×`, `2×`, `4×`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Half => "0.5×",
            Self::Normal => "1×",
            Self::Double => "2×",
            Self::Quadruple => "4×",
        }
    }
}

/// A state's name for people.
pub fn state_name(state: State) -> &'static str {
    match state {
        State::AwaitingInform => "Waiting for the Inform",
        State::AwaitingInformResponse => "Waiting for the InformResponse",
        State::CpeRequests => "CPE's requests",
        State::AcsRequests => "ACS's requests",
        State::Ended => "Session ended",
        State::Unauthorized => "Refused by the ACS: 401 Unauthorized",
    }
}

/// What a state means, in a sentence.
pub fn state_explanation(state: State) -> &'static str {
    match state {
        State::AwaitingInform => "The CPE opens the session with Inform in its first POST.",
        State::AwaitingInformResponse => {
            "The CPE sent Inform; the ACS answers it before sending any request of its own."
        }
        State::CpeRequests => {
            "The CPE sends its own requests, one per POST, then an empty POST to hand over."
        }
        State::AcsRequests => {
            "The ACS sends requests in its HTTP responses; the CPE answers each in its next POST, \
             until the ACS sends an empty response."
        }
        State::Ended => "The ACS sent its empty response (or refused the Inform): nothing follows.",
        State::Unauthorized => {
            "The ACS refused the CPE's POST with 401 Unauthorized: the CPE sends it again with an \
             Authorization header answering the challenge (TR-069 §3.4.4), and the session goes \
             on from there."
        }
    }
}

/// The counter's text: `3 / 14` (the cursor is 0-based), `0 / 0` for an empty session.
pub fn counter(cursor: Option<usize>, len: usize) -> String {
    match cursor {
        Some(at) if len > 0 => format!("{} / {len}", at.min(len - 1) + 1),
        _ => format!("0 / {len}"),
    }
}

/// Properties of [`ReplayControls`].
#[derive(Properties, PartialEq)]
pub struct ReplayProps {
    /// The capture.
    pub capture: SharedCapture,
    /// The session (its id).
    pub session: usize,
    /// The cursor: the selected message.
    pub cursor: Option<usize>,
    /// Whether the replay view is on (arrows after the cursor dimmed).
    pub replaying: bool,
    /// Whether autoplay runs.
    pub playing: bool,
    /// Autoplay's speed.
    pub speed: Speed,
    /// Receives [`Select::Replay`].
    pub on_select: Callback<Select>,
    /// Receives a new speed.
    pub on_speed: Callback<Speed>,
}

/// Step back and forward, play or pause at a speed, the step counter, and the state machine's
/// view after the cursor's message.
#[function_component]
pub fn ReplayControls(props: &ReplayProps) -> Html {
    let steps = {
        let capture = props.capture.clone();
        use_memo(props.session, move |&id| {
            capture.sessions.get(id).map(replay).unwrap_or_default()
        })
    };
    let len = steps.len();
    let at = props.cursor.filter(|&c| c < len);
    let action = |action: ReplayAction| {
        props
            .on_select
            .reform(move |_: MouseEvent| Select::Replay(action))
    };
    let at_start = at.is_none_or(|a| a == 0);
    let at_end = at.is_none_or(|a| a + 1 >= len);
    html! {
        <>
            <div
                class={classes!("replay", props.replaying.then_some("on"))}
                data-testid="replay"
                role="toolbar"
                aria-label="Replay"
            >
                <span class="replay-title">{ "Replay" }</span>
                <button
                    class="icon"
                    data-testid="replay-back"
                    title="Step back (←)"
                    aria-label="Step back"
                    disabled={at_start || len == 0}
                    onclick={action(ReplayAction::Step(-1))}
                >
                    { "◀" }
                </button>
                <button
                    class={classes!("icon", "play", props.playing.then_some("playing"))}
                    data-testid="replay-play"
                    title={if props.playing { "Pause" } else { "Play the session step by step" }}
                    aria-label={if props.playing { "Pause" } else { "Play" }}
                    aria-pressed={props.playing.to_string()}
                    disabled={len == 0}
                    onclick={action(ReplayAction::TogglePlay)}
                >
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
                <button
                    class="icon"
                    data-testid="replay-forward"
                    title="Step forward (→)"
                    aria-label="Step forward"
                    disabled={at_end}
                    onclick={action(ReplayAction::Step(1))}
                >
                    { "▶" }
                </button>
                <span class="replay-counter" data-testid="replay-counter" title="Message at the cursor / messages in the session">
                    { counter(at, len) }
                </span>
                <span class="speeds" role="group" aria-label="Autoplay speed">
                    { for Speed::ALL.into_iter().map(|speed| {
                        let selected = speed == props.speed;
                        html! {
                            <button
                                class={classes!("speed", selected.then_some("selected"))}
                                aria-pressed={selected.to_string()}
                                title={format!("{} s a step", f64::from(speed.step_ms()) / 1000.0)}
                                onclick={props.on_speed.reform(move |_: MouseEvent| speed)}
                            >
                                { speed.label() }
                            </button>
                        }
                    }) }
                </span>
            </div>
            { machine_state(
                at.and_then(|a| steps.get(a)),
                props.replaying.then(|| html! {
                    <button
                        class="quiet exit-replay"
                        data-testid="replay-exit"
                        title="Leave the replay: show every arrow again (Esc)"
                        onclick={action(ReplayAction::Exit)}
                    >
                        { "✕ Exit replay" }
                    </button>
                }),
            ) }
        </>
    }
}

/// The state panel: where the session stands after the cursor's message.
/// `exit` is the button that leaves the replay, while replaying.
fn machine_state(step: Option<&Step>, exit: Option<Html>) -> Html {
    let replaying = exit.is_some();
    let Some(step) = step else {
        return html! {};
    };
    let may_send = |side: &'static str, what: &[String]| {
        html! {
            <>
                <dt>{ format!("{side} may send") }</dt>
                <dd>
                    if what.is_empty() {
                        <span class="muted">{ "nothing: it waits for the other side" }</span>
                    } else {
                        { what.join(" · ") }
                    }
                </dd>
            </>
        }
    };
    let ended = step.state == State::Ended;
    html! {
        <section
            class={classes!("machine-state", replaying.then_some("on"), (!step.violations.is_empty()).then_some("violated"))}
            data-testid="machine-state"
            data-state={step.state.as_str()}
            aria-live="polite"
            aria-label="Session state machine"
        >
            if let Some(exit) = exit {
                { exit }
            }
            <p class="state-line" title={state_explanation(step.state)}>
                <span class="muted">{ format!("State after #{}: ", step.message) }</span>
                <strong class="state-name">{ state_name(step.state) }</strong>
            </p>
            if !ended {
                <dl class="expected">
                    { may_send("CPE", &step.expected.cpe_may_send) }
                    { may_send("ACS", &step.expected.acs_may_send) }
                </dl>
            }
            if !step.violations.is_empty() {
                <ul class="violations">
                    { for step.violations.iter().map(|v| html! {
                        <li>
                            <span class="rule">{ format!("✖ {}", v.rule) }</span>
                            { " " }
                            { &v.message }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
