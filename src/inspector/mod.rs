//! The inspector: a capture analysed by `cwmp_session`, in three panes — devices and their
//! sessions on the left, the selected session's ladder in the centre, the selected message on the
//! right. Everything captured is rendered as text nodes, never parsed as HTML.

mod connreq;
mod datamodel;
mod decoded;
mod encrypted;
mod filter;
mod format;
mod ladder;
mod message;
mod replay;
mod sessions;
mod shortcuts;
pub mod tree;

use std::rc::Rc;

use cwmp_session::{Capture, MessageRef};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast as _;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

pub use decoded::{Decoded, DecodedCache};
pub use filter::{Filter, FilterResult, Term};
pub use format::{XmlLine, arrow_label, clock, offset, pretty_xml, pretty_xml_lines};
pub use ladder::{Ladder, LadderProps};
pub use replay::{Speed, counter, state_name};
pub use sessions::{SessionList, SessionListProps};

use crate::app::{TopBar, targets_text_field};
use crate::intake::{SharedCapture, describe_size};
use message::MessagePane;

/// The tabs of the message pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// Key fields, events, faults and the parameter table.
    Decoded,
    /// The body as sent, indented.
    Xml,
    /// Start line and headers.
    Http,
    /// The findings that concern the message.
    Findings,
}

/// What is selected: a session, a message in it, and the message pane's tab.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// Session ids in the order the session list shows them (by device, then time).
    order: Rc<[usize]>,
    /// Message count of each session, by id.
    lengths: Rc<[usize]>,
    /// The selected session.
    pub session: Option<usize>,
    /// The selected message, in the selected session.
    pub message: Option<usize>,
    /// The message pane's tab.
    pub tab: Tab,
    /// The sessions the filter leaves, in list order: ↑/↓ move among these.
    visible: Rc<[usize]>,
    /// Whether the replay view is on: the selected message is the cursor, later arrows dimmed.
    pub replaying: bool,
    /// Whether autoplay runs.
    pub playing: bool,
    /// The connection request open in the right pane instead of a message.
    pub connection_request: Option<RequestId>,
    /// The session each HTTP connection request started, by request id.
    request_sessions: Rc<[Option<usize>]>,
    /// The session each UDP connection request started, by request id.
    udp_request_sessions: Rc<[Option<usize>]>,
}

impl Selection {
    /// The first session (in list order) and its first message.
    pub fn new(capture: &Capture) -> Self {
        Self::starting_at(capture, None)
    }

    /// `start` (session id, message index) when the capture has it, else the first session (in
    /// list order) and its first message. A link to a capture names where it was looked at.
    pub fn starting_at(capture: &Capture, start: Option<(usize, usize)>) -> Self {
        let order: Rc<[usize]> = sessions::list_order(capture).into();
        let lengths: Rc<[usize]> = capture.sessions.iter().map(|s| s.messages.len()).collect();
        let start = start.filter(|&(session, _)| order.contains(&session));
        let session = start
            .map(|(session, _)| session)
            .or_else(|| order.first().copied());
        let mut selection = Self {
            visible: order.clone(),
            order,
            lengths,
            session: None,
            message: None,
            tab: Tab::Decoded,
            replaying: false,
            playing: false,
            connection_request: None,
            request_sessions: capture
                .connection_requests
                .iter()
                .map(|request| request.session)
                .collect(),
            udp_request_sessions: capture
                .udp_connection_requests
                .iter()
                .map(|request| request.session)
                .collect(),
        };
        if let Some(session) = session {
            selection.select_session(session);
        }
        if let Some((_, message)) = start
            && message < selection.length()
        {
            selection.message = Some(message);
        }
        selection
    }

    fn select_session(&mut self, session: usize) {
        self.session = Some(session);
        self.message = (self.lengths.get(session).copied().unwrap_or(0) > 0).then_some(0);
        self.replaying = false;
        self.playing = false;
        self.connection_request = None;
    }

    /// Messages in the selected session.
    fn length(&self) -> usize {
        self.session
            .and_then(|s| self.lengths.get(s).copied())
            .unwrap_or(0)
    }

    /// Moves the cursor `step` messages, within the session.
    fn step_message(&mut self, step: isize) {
        let length = self.length();
        if length > 0 {
            let current = self.message.unwrap_or(0);
            self.message = Some(current.saturating_add_signed(step).min(length - 1));
        }
    }

    fn replay(&mut self, action: ReplayAction) {
        let last = self.length().checked_sub(1);
        match action {
            ReplayAction::Step(step) => {
                self.replaying = true;
                self.playing = false;
                self.step_message(step);
            }
            ReplayAction::TogglePlay if self.playing => self.playing = false,
            ReplayAction::TogglePlay => {
                if let Some(last) = last {
                    self.replaying = true;
                    self.playing = true;
                    // At the end, play starts over.
                    if self.message.is_none_or(|m| m >= last) {
                        self.message = Some(0);
                    }
                }
            }
            ReplayAction::Tick => {
                if self.playing {
                    self.step_message(1);
                }
                if self.message >= last {
                    self.playing = false;
                }
            }
            ReplayAction::Exit => {
                self.replaying = false;
                self.playing = false;
            }
        }
    }
}

/// A replay control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayAction {
    /// Move the cursor this many messages (negative: back); stops autoplay.
    Step(isize),
    /// Start autoplay (from the start when at the end), or pause it.
    TogglePlay,
    /// Autoplay's timer: one step forward, and stop at the end.
    Tick,
    /// Leave the replay view.
    Exit,
}

/// A connection request of either kind, by its id in its list of the capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestId {
    /// In `Capture::connection_requests` (HTTP, TR-069 §3.2.2).
    Http(usize),
    /// In `Capture::udp_connection_requests` (UDP, TR-069 Annex G).
    Udp(usize),
}

impl RequestId {
    /// The id within its list.
    pub fn index(self) -> usize {
        match self {
            Self::Http(id) | Self::Udp(id) => id,
        }
    }
}

/// A change of selection.
#[derive(Clone, Debug)]
pub enum Select {
    /// This session.
    Session(usize),
    /// The session this many rows down (negative: up) the list.
    StepSession(isize),
    /// This message of the selected session.
    Message(usize),
    /// The message this many arrows down (negative: up) the ladder.
    StepMessage(isize),
    /// This tab.
    Tab(Tab),
    /// A finding's message: its session, the message, and the Findings tab.
    Finding(MessageRef),
    /// A replay control.
    Replay(ReplayAction),
    /// This connection request, in the right pane; the session it started, if any, in the
    /// centre.
    ConnectionRequest(RequestId),
    /// The filter changed: the sessions it leaves (in list order), and the first matching
    /// message, selected when the selected session is no longer shown.
    Filter(Rc<[usize]>, Option<MessageRef>),
}

impl Reducible for Selection {
    type Action = Select;

    fn reduce(self: Rc<Self>, action: Select) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Select::Session(id) => next.select_session(id),
            Select::StepSession(step) => {
                let order = next.visible.clone();
                let position = next
                    .session
                    .and_then(|id| order.iter().position(|&s| s == id));
                let target = match position {
                    Some(p) => p
                        .saturating_add_signed(step)
                        .min(order.len().saturating_sub(1)),
                    None => 0,
                };
                if let Some(&id) = order.get(target)
                    && Some(id) != next.session
                {
                    next.select_session(id);
                }
            }
            Select::Message(index) => {
                next.message = Some(index);
                next.playing = false;
                next.connection_request = None;
            }
            // ←/→ are the replay's step keys.
            Select::StepMessage(step) => next.replay(ReplayAction::Step(step)),
            Select::Tab(tab) => next.tab = tab,
            Select::Finding(at) => {
                if next.session != Some(at.session) {
                    next.select_session(at.session);
                }
                next.message = Some(at.message);
                next.tab = Tab::Findings;
                next.playing = false;
            }
            Select::Replay(action) => next.replay(action),
            Select::ConnectionRequest(id) => {
                let sessions = match id {
                    RequestId::Http(_) => &next.request_sessions,
                    RequestId::Udp(_) => &next.udp_request_sessions,
                };
                if let Some(session) = sessions.get(id.index()).copied().flatten()
                    && next.session != Some(session)
                {
                    next.select_session(session);
                }
                next.connection_request = Some(id);
                next.playing = false;
            }
            Select::Filter(visible, first) => {
                let hidden = next.session.is_none_or(|id| !visible.contains(&id));
                next.visible = visible;
                if hidden && let Some(first) = first {
                    next.select_session(first.session);
                    next.message = Some(first.message);
                }
            }
        }
        Rc::new(next)
    }
}

/// Properties of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The input's name, as loaded.
    pub name: AttrValue,
    /// The recognised format, in words.
    pub format: AttrValue,
    /// Its size in bytes.
    pub size: usize,
    /// The analysis.
    pub capture: SharedCapture,
    /// Back to the start screen.
    #[prop_or_default]
    pub on_back: Callback<()>,
    /// Opens "About".
    #[prop_or_default]
    pub on_about: Callback<()>,
    /// Where to open: (session id, message index), e.g. from a shared link; `None`, or a place
    /// the capture does not have, opens at the first session.
    #[prop_or_default]
    pub start_at: Option<(usize, usize)>,
    /// Embed mode (`?embed=1`, in an iframe): only the ladder and the message pane; the top bar,
    /// the filter and the session list are left out.
    #[prop_or_default]
    pub embed: bool,
    /// The input's bytes, for "Copy link" (analysed again in a worker to make the link).
    #[prop_or_default]
    pub input: Option<crate::intake::InputBytes>,
}

/// The whole inspector screen for one capture. Key it by the input, so that a new capture starts
/// with a fresh selection.
#[function_component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let capture = &props.capture;
    let selection = {
        let capture = capture.clone();
        let start_at = props.start_at;
        use_reducer(move || Selection::starting_at(&capture, start_at))
    };
    let problems_open = use_state(|| false);
    let share_open = use_state(|| false);
    let query = use_state(String::new);
    let speed = use_state(Speed::default);
    let filter_input = use_node_ref();
    // Bodies decoded on demand, for this capture (the inspector is keyed by input).
    let decoded = use_memo((), |()| DecodedCache::default());
    let filtered = {
        let capture = capture.clone();
        let decoded = (*decoded).clone();
        use_memo((*query).clone(), move |query| {
            Filter::parse(query).apply(&capture, &decoded.0)
        })
    };

    // A new filter: ↑/↓ move among the sessions it leaves, and when it hides the selected
    // session, its first match is selected.
    {
        let dispatcher = selection.dispatcher();
        let order = selection.order.clone();
        use_effect_with(filtered.clone(), move |filtered| {
            let visible: Rc<[usize]> = order
                .iter()
                .copied()
                .filter(|&id| filtered.shows(id))
                .collect();
            let first = visible.first().and_then(|&session| {
                filtered
                    .session_matches(session)
                    .first()
                    .map(|&message| MessageRef { session, message })
            });
            dispatcher.dispatch(Select::Filter(visible, first));
        });
    }

    // Autoplay: one step every `speed`; stopped by pausing, by the end of the session, by a
    // change of session (the reducer clears `playing`) and by unmounting (the effect's cleanup).
    {
        let dispatcher = selection.dispatcher();
        use_effect_with((selection.playing, *speed), move |&(playing, speed)| {
            let interval = playing.then(|| {
                Interval::new(speed.step_ms(), move || {
                    dispatcher.dispatch(Select::Replay(ReplayAction::Tick));
                })
            });
            move || drop(interval)
        });
    }

    // ↑/↓ move between sessions and ←/→ step the replay, unless a text field has the focus;
    // `/` focuses the filter and Esc leaves the replay; `p` plays, 1–4 pick a tab, `?` lists
    // them all (see `shortcuts::SHORTCUTS`).
    let shortcuts_open = use_state(|| false);
    {
        let dispatcher = selection.dispatcher();
        let filter_input = filter_input.clone();
        let open_shortcuts = shortcuts_open.setter();
        use_effect_with((), move |()| {
            let options = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(
                &gloo::utils::document(),
                "keydown",
                options,
                move |event| {
                    let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if key.alt_key()
                        || key.ctrl_key()
                        || key.meta_key()
                        || targets_text_field(event)
                    {
                        return;
                    }
                    let action = match key.key().as_str() {
                        "ArrowDown" => Select::StepSession(1),
                        "ArrowUp" => Select::StepSession(-1),
                        "ArrowRight" => Select::StepMessage(1),
                        "ArrowLeft" => Select::StepMessage(-1),
                        "Escape" => Select::Replay(ReplayAction::Exit),
                        "p" => Select::Replay(ReplayAction::TogglePlay),
                        "1" => Select::Tab(Tab::Decoded),
                        "2" => Select::Tab(Tab::Xml),
                        "3" => Select::Tab(Tab::Http),
                        "4" => Select::Tab(Tab::Findings),
                        "?" => {
                            event.prevent_default();
                            open_shortcuts.set(true);
                            return;
                        }
                        "/" => {
                            if let Some(input) = filter_input.cast::<HtmlInputElement>() {
                                event.prevent_default();
                                let _ = input.focus();
                                input.select();
                            }
                            return;
                        }
                        _ => return,
                    };
                    event.prevent_default();
                    dispatcher.dispatch(action);
                },
            );
            move || drop(listener)
        });
    }

    let on_select = {
        let dispatcher = selection.dispatcher();
        Callback::from(move |action: Select| dispatcher.dispatch(action))
    };
    let toggle_problems = {
        let problems_open = problems_open.clone();
        Callback::from(move |_: MouseEvent| problems_open.set(!*problems_open))
    };

    let session = selection.session.and_then(|id| capture.sessions.get(id));
    let message = session.and_then(|s| selection.message.and_then(|m| s.messages.get(m)));
    let on_query = {
        let query = query.clone();
        Callback::from(move |text: String| query.set(text))
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |value: Speed| speed.set(value))
    };
    let active_filter = filtered.active.then(|| filtered.clone());

    html! {
      <ContextProvider<DecodedCache> context={(*decoded).clone()}>
        <div class={classes!("inspector-screen", props.embed.then_some("embedded"))}>
          if !props.embed {
            <TopBar on_about={props.on_about.clone()}>
                <button id="new-capture" class="button" onclick={props.on_back.reform(|_| ())}>
                    { "← New capture" }
                </button>
                <div class="capture-name" title={format!("{} · {}", props.format, describe_size(props.size))}>
                    <span class="name">{ &props.name }</span>
                    <span class="format">{ &props.format }</span>
                </div>
                <button
                    class={classes!("chip", "import-chip", has_problems(capture).then_some("has-problems"))}
                    data-testid="import-summary"
                    aria-expanded={problems_open.to_string()}
                    onclick={toggle_problems}
                    title="What the import read, and what it could not"
                >
                    { import_summary_text(capture) }
                </button>
                <button
                    class="button share-open"
                    data-testid="share-open"
                    title="A link that carries this capture, with secrets redacted; nothing is uploaded"
                    onclick={
                        let share_open = share_open.clone();
                        Callback::from(move |_: MouseEvent| share_open.set(true))
                    }
                >
                    { "Copy link" }
                </button>
                <button
                    class="quiet shortcuts-button"
                    data-testid="shortcuts-open"
                    title="Keyboard shortcuts (?)"
                    aria-label="Keyboard shortcuts"
                    onclick={
                        let shortcuts_open = shortcuts_open.clone();
                        Callback::from(move |_: MouseEvent| shortcuts_open.set(true))
                    }
                >
                    { "?" }
                </button>
            </TopBar>
            if *problems_open {
                <ImportProblems capture={capture.clone()} />
            }
            if *share_open {
                <crate::components::ShareDialog
                    capture={capture.clone()}
                    name={props.name.clone()}
                    input={props.input.clone()}
                    at={selection.session.map(|s| (s, selection.message.unwrap_or(0)))}
                    on_close={
                        let share_open = share_open.clone();
                        Callback::from(move |()| share_open.set(false))
                    }
                />
            }
            if *shortcuts_open {
                <shortcuts::ShortcutsDialog on_close={
                    let shortcuts_open = shortcuts_open.clone();
                    Callback::from(move |()| shortcuts_open.set(false))
                } />
            }
            <FilterBox
                query={(*query).clone()}
                shown={filtered.visible.len()}
                total={capture.sessions.len()}
                input={filter_input}
                on_query={on_query}
            />
          }
            <main class="inspector">
              if !props.embed {
                <nav class="pane sessions-pane" aria-label="Devices and sessions">
                    <SessionList
                        capture={capture.clone()}
                        selected={selection.session}
                        selected_request={selection.connection_request}
                        filter={active_filter.clone()}
                        on_select={on_select.clone()}
                    />
                </nav>
              }
                <section class="pane ladder-pane" aria-label="Session ladder">
                    if let Some(session) = session {
                        <Ladder
                            capture={capture.clone()}
                            session={session.id}
                            selected={selection.message}
                            cursor={selection.replaying.then_some(selection.message).flatten()}
                            filter={active_filter}
                            on_select={on_select.clone()}
                        >
                            <replay::ReplayControls
                                capture={capture.clone()}
                                session={session.id}
                                cursor={selection.message}
                                replaying={selection.replaying}
                                playing={selection.playing}
                                speed={*speed}
                                on_select={on_select.clone()}
                                on_speed={on_speed}
                            />
                        </Ladder>
                        <ladder::SessionFindings
                            capture={capture.clone()}
                            session={session.id}
                            on_select={on_select.clone()}
                        />
                    } else if !capture.tls_connections.is_empty() {
                        <encrypted::EncryptedNote capture={capture.clone()} />
                    } else {
                        <p class="empty-pane">
                            { "No CWMP session in this input. The import summary above says what \
                               was read." }
                        </p>
                    }
                </section>
                <section class="pane message-pane" aria-label="Message">
                    if let Some(RequestId::Http(request)) = selection.connection_request {
                        <connreq::ConnectionRequestPane
                            key={format!("cr-{request}")}
                            capture={capture.clone()}
                            request={request}
                        />
                    } else if let Some(RequestId::Udp(request)) = selection.connection_request {
                        <connreq::UdpConnectionRequestPane
                            key={format!("udp-cr-{request}")}
                            capture={capture.clone()}
                            request={request}
                        />
                    } else if let (Some(session), Some(message)) = (session, message) {
                        <MessagePane
                            capture={capture.clone()}
                            session={session.id}
                            message={message.index}
                            tab={selection.tab}
                            on_select={on_select}
                        />
                    } else {
                        <p class="empty-pane">{ "Select a message in the ladder." }</p>
                    }
                </section>
            </main>
        </div>
      </ContextProvider<DecodedCache>>
    }
}

/// Properties of [`FilterBox`].
#[derive(Properties, PartialEq)]
struct FilterBoxProps {
    query: String,
    /// Sessions the filter leaves.
    shown: usize,
    /// Sessions in the capture.
    total: usize,
    input: NodeRef,
    on_query: Callback<String>,
}

/// The filter box, its "N of M sessions" and its clear button. Esc in the box clears it.
#[function_component]
fn FilterBox(props: &FilterBoxProps) -> Html {
    let oninput = props
        .on_query
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
    let onkeydown = {
        let on_query = props.on_query.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.prevent_default();
                on_query.emit(String::new());
            }
        })
    };
    let clear = {
        let on_query = props.on_query.clone();
        let input = props.input.clone();
        Callback::from(move |_: MouseEvent| {
            on_query.emit(String::new());
            if let Some(input) = input.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        })
    };
    let parsed = Filter::parse(&props.query);
    let active = !parsed.is_empty();
    let error = parsed.errors().join(" · ");
    html! {
        <div class={classes!("filter", active.then_some("active"))} role="search">
            <label class="filter-label" for="filter-input">{ "Filter" }</label>
            <input
                id="filter-input"
                ref={props.input.clone()}
                type="search"
                class="filter-input"
                data-testid="filter"
                placeholder="serial:…  rpc:…  fault:9005  param:…  rule:…  or any text"
                aria-label="Filter sessions and messages"
                title="serial:…  rpc:…  fault:9005  param:…  rule:…  or free text; terms combine per session. / focuses, Esc clears."
                spellcheck="false"
                autocomplete="off"
                value={props.query.clone()}
                oninput={oninput}
                onkeydown={onkeydown}
            />
            if !error.is_empty() {
                <span id="filter-error" class="error" role="alert" data-testid="filter-error">{ error }</span>
            }
            if active {
                <span class="filter-count" data-testid="filter-count">
                    { format!("{} of {} sessions", props.shown, props.total) }
                </span>
            }
            if !active {
                <span class="filter-hint muted">{ "Terms combine per session · / to focus · Esc clears" }</span>
            }
            if !props.query.is_empty() {
                <button class="quiet clear-filter" data-testid="filter-clear" title="Clear the filter (Esc)" onclick={clear}>
                    { "✕ Clear" }
                </button>
            }
        </div>
    }
}

/// Whether the import left anything unread.
fn has_problems(capture: &Capture) -> bool {
    !unread_items(capture).is_empty()
}

/// What the import did not decode, counted, in words: `2 problems`, `1 TLS stream`…
fn unread_items(capture: &Capture) -> Vec<String> {
    let summary = &capture.import_summary;
    let import = &summary.import;
    let mut items = Vec::new();
    if !capture.import_problems.is_empty() {
        items.push(format::count(
            capture.import_problems.len(),
            "problem",
            "problems",
        ));
    }
    let counts = [
        (
            import.tls_streams,
            "TLS stream (encrypted)",
            "TLS streams (encrypted)",
        ),
        (
            import.streams_not_http,
            "stream not HTTP",
            "streams not HTTP",
        ),
        (summary.bodies_not_cwmp, "body not CWMP", "bodies not CWMP"),
        (import.records_unread, "record not read", "records not read"),
    ];
    for (n, singular, plural) in counts {
        if n > 0 {
            items.push(format::count(
                usize::try_from(n).unwrap_or(usize::MAX),
                singular,
                plural,
            ));
        }
    }
    items
}

/// The chip's text: what was read, then what was not.
fn import_summary_text(capture: &Capture) -> String {
    let import = &capture.import_summary.import;
    let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let mut parts = Vec::new();
    if import.frames > 0 {
        parts.push(format::count(to_usize(import.frames), "frame", "frames"));
    } else if import.records > 0 {
        parts.push(format::count(to_usize(import.records), "record", "records"));
    }
    parts.push(format::count(
        to_usize(import.http_messages),
        "HTTP message",
        "HTTP messages",
    ));
    parts.push(format::count(capture.sessions.len(), "session", "sessions"));
    let other = capture.import_summary.other_http.exchanges;
    if other > 0 {
        parts.push(format!("{other} other HTTP"));
    }
    let unread = unread_items(capture);
    if unread.is_empty() {
        parts.push("all read ✓".to_owned());
    } else {
        parts.push(format!("⚠ {}", unread.join(", ")));
    }
    parts.join(" · ")
}

/// Properties of [`ImportProblems`].
#[derive(Properties, PartialEq)]
struct ImportProblemsProps {
    capture: SharedCapture,
}

/// The list behind the import summary chip: every located problem, and the counts of what was
/// not read.
#[function_component]
fn ImportProblems(props: &ImportProblemsProps) -> Html {
    let capture = &props.capture;
    let import = &capture.import_summary.import;
    let unread = unread_items(capture);
    html! {
        <section class="import-problems" data-testid="import-problems" aria-label="Import summary">
            <p>
                { format!(
                    "Read {} of input: {} TCP connections, {} HTTP exchanges, {} connection requests.",
                    describe_size(usize::try_from(import.input_bytes).unwrap_or(usize::MAX)),
                    import.tcp_connections,
                    import.http_exchanges,
                    capture.connection_requests.len(),
                ) }
            </p>
            if !capture.import_summary.other_http.is_empty() {
                // Hosts only: the full description (`describe`) stays off the page's code.
                <p data-testid="other-http">{ format!(
                    "Other HTTP, not CWMP (no sessions, no findings): {} exchanges to {}.",
                    capture.import_summary.other_http.exchanges,
                    capture.import_summary.other_http.hosts.join(", "),
                ) }</p>
            }
            if unread.is_empty() {
                <p>{ "Everything in the input was read; nothing was left undecoded." }</p>
            } else {
                <p>{ format!("Not decoded: {}.", unread.join(", ")) }</p>
            }
            if !capture.import_problems.is_empty() {
                <ul>
                    { for capture.import_problems.iter().map(|problem| html! {
                        <li>
                            <span class="location">{ &problem.location }</span>
                            { ": " }
                            { &problem.message }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
