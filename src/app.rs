//! The root component: the start screen (the ways in and what has been loaded), the decoding
//! state, and the inspector once a capture is analysed.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast as _;
use web_sys::{ClipboardEvent, HtmlElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::{AboutDialog, Examples, HistoryList, IntakePanel, LoadedInputs};
use crate::inspector::Inspector;
use crate::intake::{
    Arrival, FailedInput, InputBytes, Intake, IntakeAction, LoadedInput, Origin, PageParams,
    SharedCapture, fetch_bytes, name_from_url,
};
use crate::worker::{DecodeJob, JobEvent, Progress, Stage};

/// The name a paste is shown under.
pub const PASTED_TEXT: &str = "pasted text";

/// The whole app.
#[function_component]
pub fn App() -> Html {
    let intake = use_reducer(Intake::default);
    let about_open = use_state(|| false);
    // Ids for inputs; a Cell so that callbacks made on earlier renders number from the same count.
    let next_id = use_memo((), |()| Rc::new(Cell::new(1_usize)));

    // The workers decoding inputs, by input id.
    let jobs = use_mut_ref(HashMap::<usize, DecodeJob>::new);
    let progress = use_reducer(Progresses::default);
    // `?src=`, `?session=`, `?step=`, `?embed=1`, read once.
    let params = use_memo((), |()| PageParams::from_location());
    // Bumped after each save to history, so that its list is read again.
    let history_revision = use_reducer(Revision::default);
    let fetching = use_state(|| None::<String>);

    let on_input = {
        let intake = intake.dispatcher();
        let progress = progress.dispatcher();
        let jobs = Rc::clone(&jobs);
        let next_id = Rc::clone(&next_id);
        let embed = params.embed;
        let history_revision = history_revision.dispatcher();
        Callback::from(move |arrival: Arrival| {
            // What the user hands over, or a link fetches, is kept in history (never in embed
            // mode); examples and captures reopened from history are not kept again.
            let (name, bytes, keep, start_at) = match arrival {
                Arrival::Failed(failure) => {
                    intake.dispatch(IntakeAction::Failed(failure));
                    return;
                }
                Arrival::Read { name, bytes } => (name, bytes, true, None),
                Arrival::Opened {
                    name,
                    bytes,
                    origin,
                } => match origin {
                    Origin::Link { start_at } => (name, bytes, true, start_at),
                    Origin::Example | Origin::History => (name, bytes, false, None),
                },
            };
            {
                let id = next_id.get();
                next_id.set(id + 1);
                let mut input = LoadedInput::recognise(name.clone(), &bytes);
                input.id = id;
                input.start_at = start_at;
                if keep && !embed {
                    keep_in_history(&input, &bytes, intake.clone(), history_revision.clone());
                }
                let on_event = {
                    let intake = intake.clone();
                    let progress = progress.clone();
                    let jobs = Rc::clone(&jobs);
                    let name = name.clone();
                    Callback::from(move |event: JobEvent| {
                        if let JobEvent::Progress(step) = event {
                            progress.dispatch(ProgressAction::Set(id, step));
                            return;
                        }
                        // The job may be reporting from inside its worker's handler, which must
                        // not be dropped while it runs: drop it on a later turn.
                        let job = jobs.borrow_mut().remove(&id);
                        spawn_local(async move { drop(job) });
                        // The next capture gets a started, warmed-up worker too.
                        crate::worker::prewarm();
                        progress.dispatch(ProgressAction::Remove(id));
                        match event {
                            JobEvent::Progress(_) => {}
                            JobEvent::Done(capture, input) => {
                                intake.dispatch(IntakeAction::Analysed {
                                    id,
                                    capture: SharedCapture(Rc::new(*capture)),
                                    input: input.map(InputBytes),
                                });
                            }
                            JobEvent::Failed(reason) => {
                                intake.dispatch(IntakeAction::DecodeFailed { id, reason });
                            }
                            JobEvent::Unavailable(bytes) => {
                                analyse_here(id, name.clone(), bytes, intake.clone());
                            }
                        }
                    })
                };
                // The worker starts before the page renders the progress: it need not wait.
                let job = DecodeJob::start(name.clone(), bytes, on_event);
                intake.dispatch(IntakeAction::Loaded(input));
                match job {
                    Ok(job) => {
                        jobs.borrow_mut().insert(id, job);
                    }
                    Err(bytes) => analyse_here(id, name, bytes, intake.clone()),
                }
            }
        })
    };

    // The decoder's worker (about 480 KB) is fetched and warmed up when a capture is on its way,
    // not with the page: at once for a `?src=` or share link, else as soon as the user reaches
    // for the start screen (pointer, keyboard focus) or drags something into the window. Choosing
    // a file takes longer than the worker takes to start.
    {
        let coming = params.src.is_some()
            || gloo::utils::window()
                .location()
                .hash()
                .is_ok_and(|hash| hash.starts_with("#share="));
        use_effect_with((), move |()| {
            if coming {
                crate::worker::prewarm();
            }
            let listener = EventListener::new(&gloo::utils::document(), "dragenter", |_| {
                crate::worker::prewarm();
            });
            move || drop(listener)
        });
    }
    let reaching = Callback::from(|_: web_sys::Event| crate::worker::prewarm());

    // `?src=URL`: fetch the capture once, as if it had been dropped.
    {
        let params = Rc::clone(&params);
        let on_input = on_input.clone();
        let fetching = fetching.clone();
        use_effect_with((), move |()| {
            if let Some(src) = params.src.clone() {
                fetching.set(Some(src.clone()));
                spawn_local(async move {
                    let arrival = match fetch_bytes(&src).await {
                        Ok(bytes) => Arrival::Opened {
                            name: name_from_url(&src),
                            bytes,
                            origin: Origin::Link {
                                start_at: params.start_at(),
                            },
                        },
                        Err(reason) => Arrival::Failed(FailedInput { name: src, reason }),
                    };
                    fetching.set(None);
                    on_input.emit(arrival);
                });
            }
        });
    }

    // A share link (`#share=v1.…`, src/share.rs): its capture opens at start-up, and whenever
    // the fragment changes to one (a link pasted into this tab's address bar). A broken link is
    // said on the start screen.
    {
        let on_input = on_input.clone();
        let intake = intake.dispatcher();
        use_effect_with((), move |()| {
            let open = move || {
                let on_input = on_input.clone();
                let intake = intake.clone();
                crate::share::open_location(Callback::from(move |result| match result {
                    Ok(crate::share::Opened {
                        name,
                        bytes,
                        start_at,
                    }) => {
                        on_input.emit(Arrival::Opened {
                            name,
                            bytes: js_sys::Uint8Array::from(bytes.as_slice()),
                            origin: Origin::Link { start_at },
                        });
                    }
                    Err(reason) => {
                        intake.dispatch(IntakeAction::Close);
                        intake.dispatch(IntakeAction::Note(Some(reason)));
                    }
                }));
            };
            open();
            let listener =
                EventListener::new(&gloo::utils::window(), "hashchange", move |_| open());
            move || drop(listener)
        });
    }

    // A file dropped anywhere (on an open inspector too) opens, instead of the browser
    // navigating away to it; the drop zone handles its own drops first (default prevented).
    {
        let on_input = on_input.clone();
        let embed = params.embed;
        use_effect_with((), move |()| {
            let window = gloo::utils::window();
            let options = EventListenerOptions::enable_prevent_default();
            let over = EventListener::new_with_options(&window, "dragover", options, |event| {
                event.prevent_default();
            });
            let dropped = EventListener::new_with_options(&window, "drop", options, move |event| {
                if event.default_prevented() {
                    return;
                }
                event.prevent_default();
                let files = event
                    .dyn_ref::<web_sys::DragEvent>()
                    .and_then(web_sys::DragEvent::data_transfer)
                    .and_then(|transfer| transfer.files());
                if let Some(files) = files.filter(|_| !embed) {
                    crate::components::read_files(&files, &on_input);
                }
            });
            move || drop((over, dropped))
        });
    }

    // Ctrl+V anywhere on the page loads the clipboard, except into a field that takes text itself.
    {
        let on_input = on_input.clone();
        use_effect_with((), move |()| {
            // Not passive: the page takes the paste over, so it must be able to prevent the default.
            let options = EventListenerOptions::enable_prevent_default();
            let document = gloo::utils::document();
            let listener =
                EventListener::new_with_options(&document, "paste", options, move |event| {
                    let Some(event) = event.dyn_ref::<ClipboardEvent>() else {
                        return;
                    };
                    if targets_text_field(event) {
                        return;
                    }
                    let Some(text) = event
                        .clipboard_data()
                        .and_then(|data| data.get_data("text").ok())
                        .filter(|text| !text.is_empty())
                    else {
                        return;
                    };
                    event.prevent_default();
                    on_input.emit(Arrival::Read {
                        name: PASTED_TEXT.to_owned(),
                        bytes: js_sys::Uint8Array::from(text.as_bytes()),
                    });
                });
            move || drop(listener)
        });
    }

    let open_about = {
        let about_open = about_open.clone();
        Callback::from(move |()| about_open.set(true))
    };
    let close_about = {
        let about_open = about_open.clone();
        Callback::from(move |()| about_open.set(false))
    };
    let on_back = {
        let intake = intake.dispatcher();
        Callback::from(move |()| intake.dispatch(IntakeAction::Close))
    };
    let on_cancel = {
        let intake = intake.dispatcher();
        let progress = progress.dispatcher();
        let jobs = Rc::clone(&jobs);
        Callback::from(move |id: usize| {
            if let Some(job) = jobs.borrow_mut().remove(&id) {
                job.cancel();
            }
            progress.dispatch(ProgressAction::Remove(id));
            intake.dispatch(IntakeAction::Cancelled(id));
        })
    };
    let on_open = {
        let intake = intake.dispatcher();
        Callback::from(move |id| intake.dispatch(IntakeAction::Open(id)))
    };

    // A capture opened at a place a link names: bring that message into the ladder's view.
    {
        let linked = intake
            .open_input()
            .filter(|input| input.capture.is_some() && input.start_at.is_some())
            .map(|input| input.id);
        use_effect_with(linked, |linked| {
            if linked.is_some() {
                spawn_local(async {
                    // After the inspector's first paint.
                    gloo::timers::future::TimeoutFuture::new(0).await;
                    reveal_selected_message();
                });
            }
        });
    }

    let about = html! {
        if *about_open {
            <AboutDialog on_close={close_about} />
        }
    };

    if let Some(input) = intake.open_input() {
        if let Some(capture) = &input.capture {
            let inspector = html! {
                <Inspector
                    key={input.id}
                    name={input.name.clone()}
                    format={input.format.to_string()}
                    size={input.size}
                    capture={capture.clone()}
                    on_back={on_back}
                    on_about={open_about}
                    start_at={input.start_at}
                    embed={params.embed}
                    input={input.bytes.clone()}
                />
            };
            if params.embed {
                return html! {
                    <div class="embed-screen">
                        <EmbedBar name={input.name.clone()} params={(*params).clone()} />
                        { inspector }
                    </div>
                };
            }
            return html! { <>{ inspector }{ about }</> };
        }
        return html! {
            <>
                if !params.embed {
                    <TopBar on_about={open_about}>
                        <button id="new-capture" class="button" onclick={on_back.reform(|_| ())}>
                            { "← New capture" }
                        </button>
                    </TopBar>
                }
                <DecodingProgress
                    name={input.name.clone()}
                    progress={progress.0.get(&input.id).copied()}
                    on_cancel={on_cancel.reform({
                        let id = input.id;
                        move |()| id
                    })}
                />
                { about }
            </>
        };
    }

    let fetching_note = html! {
        if let Some(url) = &*fetching {
            <p class="note fetching" data-testid="fetching" role="status">
                { "Fetching " }<span class="url">{ url }</span>{ "…" }
            </p>
        }
    };
    if params.embed {
        // Embedded: no ways in, no history; only what the link asked for, or why it failed.
        return html! {
            <main class="start embed-start">
                { fetching_note }
                if params.src.is_none() {
                    <p class="note">{ "Nothing to show: this embed needs src=URL of a capture." }</p>
                }
                if !intake.failed.is_empty() {
                    <h2>{ "cwmp-inspector could not show this capture" }</h2>
                }
                { for intake.failed.iter().map(|failure| html! {
                    <p class="error" role="alert">
                        <strong>{ &failure.name }</strong>{ ": " }{ &failure.reason }
                    </p>
                }) }
            </main>
        };
    }

    html! {
        <>
            <TopBar on_about={open_about} />
            <main
                class="start"
                onpointerover={reaching.reform(web_sys::Event::from)}
                onfocusin={reaching.reform(web_sys::Event::from)}
            >
                <p class="lead">
                    { "Decode TR-069 (CWMP) traffic between CPEs and an ACS: load a capture or \
                       paste a message to see every session, RPC, fault and event." }
                </p>
                if let Some(note) = &intake.note {
                    <p class="note" data-testid="note" role="status">{ note }</p>
                }
                { fetching_note }
                <IntakePanel on_input={on_input.clone()} />
                <p class="privacy">
                    <svg class="privacy-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                        <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
                        <path d="M5 7V5a3 3 0 0 1 6 0v2" stroke="currentColor" stroke-width="1.6" fill="none" />
                    </svg>
                    { "Nothing is uploaded: everything you load is decoded in this browser." }
                </p>
                <LoadedInputs intake={(*intake).clone()} on_open={on_open} />
                <HistoryList on_input={on_input.clone()} revision={history_revision.0} />
                <Examples on_input={on_input} />
            </main>
            { about }
        </>
    }
}

/// Keeps `input` (with its `bytes`) in this browser's history in the background; a capture too
/// large to keep, or a browser that refuses, is said in the start screen's note.
fn keep_in_history(
    input: &LoadedInput,
    bytes: &js_sys::Uint8Array,
    intake: UseReducerDispatcher<Intake>,
    revision: UseReducerDispatcher<Revision>,
) {
    let name = input.name.clone();
    let format = input.format.to_string();
    // Copied (in the browser's memory) only when it can be kept: the decoder takes the original.
    let copy = (bytes.length() as usize <= crate::history::MAX_ENTRY_BYTES)
        .then(|| bytes.slice(0, bytes.length()));
    spawn_local(async move {
        let saved = match copy {
            Some(bytes) => crate::history::save(&name, &format, &bytes).await,
            None => Ok(crate::history::Saved::TooLarge),
        };
        let note = match saved {
            Ok(crate::history::Saved::Kept { evicted: 0 }) => None,
            Ok(crate::history::Saved::Kept { evicted }) => Some(format!(
                "{name} was kept in this browser's history; the {evicted} oldest {} removed to make room.",
                if evicted == 1 {
                    "capture was"
                } else {
                    "captures were"
                }
            )),
            Ok(crate::history::Saved::TooLarge) => Some(format!(
                "{name} is larger than {} MB: it was not kept in this browser's history.",
                crate::history::MAX_ENTRY_BYTES / 1_000_000
            )),
            Err(reason) => Some(format!("{name} could not be kept in history: {reason}")),
        };
        if note.is_some() {
            intake.dispatch(IntakeAction::Note(note));
        }
        revision.dispatch(());
    });
}

/// A count of saves to history: the list is read again whenever it changes.
#[derive(Default, PartialEq)]
struct Revision(u32);

impl Reducible for Revision {
    type Action = ();

    fn reduce(self: Rc<Self>, (): ()) -> Rc<Self> {
        Rc::new(Self(self.0.wrapping_add(1)))
    }
}

/// Scrolls the ladder pane (not the page, which may be someone else's around an iframe) so that
/// the selected message is in view, a third of the way down.
fn reveal_selected_message() {
    let document = gloo::utils::document();
    let find = |selector: &str| document.query_selector(selector).ok().flatten();
    let (Some(pane), Some(selected)) =
        (find(".ladder-pane"), find("[data-testid=message].selected"))
    else {
        return;
    };
    let pane_box = pane.get_bounding_client_rect();
    let selected_box = selected.get_bounding_client_rect();
    // The ladder's header (lifelines, replay state) sticks to the pane's top and hides what
    // scrolls under it.
    let top = find(".ladder-header").map_or(pane_box.top(), |header| {
        header
            .get_bounding_client_rect()
            .bottom()
            .max(pane_box.top())
    });
    if selected_box.top() < top || selected_box.bottom() > pane_box.bottom() {
        #[expect(clippy::cast_possible_truncation, reason = "pixels")]
        let by = (selected_box.top() - top - (pane_box.bottom() - top) / 3.0) as i32;
        pane.set_scroll_top(pane.scroll_top() + by);
    }
}

/// Properties of [`EmbedBar`].
#[derive(Properties, PartialEq)]
pub struct EmbedBarProps {
    /// The capture's name.
    pub name: AttrValue,
    /// The page's parameters, for the link to the full app.
    pub params: PageParams,
}

/// Embed mode's only chrome: the capture's name and a link to the full app in a new tab.
#[function_component]
pub fn EmbedBar(props: &EmbedBarProps) -> Html {
    let location = gloo::utils::window().location();
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    html! {
        <header class="embed-bar">
            <Logo />
            <span class="embed-name" title={props.name.clone()}>{ &props.name }</span>
            <a
                class="embed-open"
                data-testid="open-full"
                href={props.params.full_app_link(&base)}
                target="_blank"
                rel="noopener"
            >
                { "Open in cwmp-inspector ↗" }
            </a>
        </header>
    }
}

/// Decodes `bytes` on the page, for when no worker could start: the wasm tests' runner serves
/// no worker script. The page cannot respond while it runs.
///
/// Only debug builds (the tests, `trunk serve`) carry this: in a release build it would keep the
/// whole import and analysis in the page's wasm, which the worker exists to move out (about 400
/// KB of the 1 MB). A release build reports the failure instead; it always ships the worker.
fn analyse_here(
    id: usize,
    name: String,
    bytes: js_sys::Uint8Array,
    intake: UseReducerDispatcher<Intake>,
) {
    #[cfg(debug_assertions)]
    spawn_local(async move {
        // Give the browser one turn to paint before the analysis holds the thread.
        gloo::timers::future::TimeoutFuture::new(0).await;
        let capture = cwmp_session::analyse(&bytes.to_vec(), Some(&name));
        intake.dispatch(IntakeAction::Analysed {
            id,
            capture: SharedCapture(Rc::new(capture)),
            input: Some(InputBytes(bytes)),
        });
    });
    #[cfg(not(debug_assertions))]
    {
        drop((name, bytes));
        let intake = intake;
        intake.dispatch(IntakeAction::DecodeFailed {
            id,
            reason: format!(
                "the decoder (a Web Worker, {}) could not start",
                crate::worker::WORKER_SCRIPT
            ),
        });
    }
}

/// How far each input's decoding has got, by input id.
#[derive(Default)]
struct Progresses(HashMap<usize, Progress>);

enum ProgressAction {
    Set(usize, Progress),
    Remove(usize),
}

impl Reducible for Progresses {
    type Action = ProgressAction;

    fn reduce(self: Rc<Self>, action: ProgressAction) -> Rc<Self> {
        let mut next = self.0.clone();
        match action {
            ProgressAction::Set(id, progress) => next.insert(id, progress),
            ProgressAction::Remove(id) => next.remove(&id),
        };
        Rc::new(Self(next))
    }
}

/// Properties of [`DecodingProgress`].
#[derive(Properties, PartialEq)]
pub struct DecodingProgressProps {
    /// The input's name.
    pub name: AttrValue,
    /// How far it has got; `None` before the worker reports.
    pub progress: Option<Progress>,
    /// Stops decoding.
    pub on_cancel: Callback<()>,
}

/// The screen while an input decodes: a progress bar, what is being done, and Cancel.
#[function_component]
pub fn DecodingProgress(props: &DecodingProgressProps) -> Html {
    let progress = props
        .progress
        .unwrap_or_else(|| Progress::start(Stage::Starting));
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a percentage from 0 to 100"
    )]
    let percent = (progress.fraction() * 100.0).round() as u32;
    let detail = match progress.stage {
        Stage::Decoding if progress.total > 0.0 => format!(
            " ({} of {} HTTP exchanges)",
            group(progress.done),
            group(progress.total)
        ),
        _ => String::new(),
    };
    html! {
        <main class="decoding">
            <div class="spinner" aria-hidden="true" />
            <p>{ "Decoding " }<strong>{ &props.name }</strong>{ "…" }</p>
            <progress
                data-testid="progress"
                data-stage={progress.stage.as_str()}
                max="100"
                value={percent.to_string()}
                aria-label="Decoding progress"
            />
            <p class="note" data-testid="progress-stage" role="status" aria-live="polite">
                { format!("{}{detail} — {percent}%", progress.stage.describe()) }
            </p>
            <p>
                <button
                    id="decode-cancel"
                    data-testid="cancel"
                    class="button"
                    onclick={props.on_cancel.reform(|_| ())}
                >
                    { "Cancel" }
                </button>
            </p>
            <p class="note">{ "Everything is decoded in this browser, in a background worker." }</p>
        </main>
    }
}

/// A count with thousands separators.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "counts of messages"
)]
fn group(count: f64) -> String {
    crate::intake::describe_count(count as usize)
}

/// Properties of [`TopBar`].
#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    /// Opens "About".
    pub on_about: Callback<()>,
    /// What sits between the brand and "About" (the capture's name, its import summary…).
    #[prop_or_default]
    pub children: Html,
}

/// The bar at the top of every screen: the brand, the screen's own controls, and "About".
#[function_component]
pub fn TopBar(props: &TopBarProps) -> Html {
    html! {
        <header class="topbar">
            <div class="brand">
                <Logo />
                <h1>{ "cwmp-inspector" }</h1>
            </div>
            <div class="topbar-main">{ props.children.clone() }</div>
            <button id="about-open" class="quiet" onclick={props.on_about.reform(|_| ())}>
                { "About" }
            </button>
        </header>
    }
}

/// The product mark: two lifelines with a request and a response between them.
#[function_component]
fn Logo() -> Html {
    html! {
        <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="#1f4e79" />
            <path d="M9 6v20M23 6v20" stroke="#fff" stroke-width="2.5" />
            <path
                d="M10 12h11l-3-3M22 20H11l3 3"
                stroke="#ffd166"
                stroke-width="2"
                fill="none"
                stroke-linecap="round"
                stroke-linejoin="round"
            />
        </svg>
    }
}

/// Whether a keyboard or clipboard event is aimed at a text field, which handles it itself.
pub fn targets_text_field(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<HtmlElement>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                || element.is_content_editable()
        })
}
