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

use crate::components::{AboutDialog, IntakePanel, LoadedInputs};
use crate::inspector::Inspector;
use crate::intake::{Arrival, Intake, IntakeAction, LoadedInput, SharedCapture};
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

    let on_input = {
        let intake = intake.dispatcher();
        let progress = progress.dispatcher();
        let jobs = Rc::clone(&jobs);
        let next_id = Rc::clone(&next_id);
        Callback::from(move |arrival: Arrival| match arrival {
            Arrival::Failed(failure) => intake.dispatch(IntakeAction::Failed(failure)),
            Arrival::Read { name, bytes } => {
                let id = next_id.get();
                next_id.set(id + 1);
                let mut input = LoadedInput::recognise(name.clone(), &bytes);
                input.id = id;
                intake.dispatch(IntakeAction::Loaded(input));
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
                        progress.dispatch(ProgressAction::Remove(id));
                        match event {
                            JobEvent::Progress(_) => {}
                            JobEvent::Done(capture) => intake.dispatch(IntakeAction::Analysed {
                                id,
                                capture: SharedCapture(Rc::new(*capture)),
                            }),
                            JobEvent::Failed(reason) => {
                                intake.dispatch(IntakeAction::DecodeFailed { id, reason });
                            }
                            JobEvent::Unavailable(bytes) => {
                                analyse_here(id, name.clone(), bytes, intake.clone());
                            }
                        }
                    })
                };
                match DecodeJob::start(name.clone(), bytes, on_event) {
                    Ok(job) => {
                        jobs.borrow_mut().insert(id, job);
                    }
                    Err(bytes) => analyse_here(id, name, bytes, intake.clone()),
                }
            }
        })
    };

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
                        bytes: text.into_bytes(),
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

    let about = html! {
        if *about_open {
            <AboutDialog on_close={close_about} />
        }
    };

    if let Some(input) = intake.open_input() {
        if let Some(capture) = &input.capture {
            return html! {
                <>
                    <Inspector
                        key={input.id}
                        name={input.name.clone()}
                        format={input.format.to_string()}
                        size={input.size}
                        capture={capture.clone()}
                        on_back={on_back}
                        on_about={open_about}
                    />
                    { about }
                </>
            };
        }
        return html! {
            <>
                <TopBar on_about={open_about}>
                    <button id="new-capture" class="button" onclick={on_back.reform(|_| ())}>
                        { "← New capture" }
                    </button>
                </TopBar>
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

    html! {
        <>
            <TopBar on_about={open_about} />
            <main class="start">
                <p class="lead">
                    { "Decode TR-069 (CWMP) traffic between CPEs and an ACS: load a capture or \
                       paste a message to see every session, RPC, fault and event." }
                </p>
                if let Some(note) = &intake.note {
                    <p class="note" data-testid="note" role="status">{ note }</p>
                }
                <IntakePanel on_input={on_input} />
                <p class="privacy">
                    <svg class="privacy-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                        <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
                        <path d="M5 7V5a3 3 0 0 1 6 0v2" stroke="currentColor" stroke-width="1.6" fill="none" />
                    </svg>
                    { "Nothing is uploaded: everything you load is decoded in this browser." }
                </p>
                <LoadedInputs intake={(*intake).clone()} on_open={on_open} />
            </main>
            { about }
        </>
    }
}

/// Decodes `bytes` on the page, for when no worker could start: the wasm tests' runner serves
/// no worker script. The page cannot respond while it runs.
///
/// Only debug builds (the tests, `trunk serve`) carry this: in a release build it would keep the
/// whole import and analysis in the page's wasm, which the worker exists to move out (about 400
/// KB of the 1 MB). A release build reports the failure instead; it always ships the worker.
fn analyse_here(id: usize, name: String, bytes: Vec<u8>, intake: UseReducerDispatcher<Intake>) {
    #[cfg(debug_assertions)]
    spawn_local(async move {
        // Give the browser one turn to paint before the analysis holds the thread.
        gloo::timers::future::TimeoutFuture::new(0).await;
        let capture = cwmp_session::analyse(&bytes, Some(&name));
        intake.dispatch(IntakeAction::Analysed {
            id,
            capture: SharedCapture(Rc::new(capture)),
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
        Stage::Preparing if progress.total > 0.0 => format!(
            " ({} of {} messages)",
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
