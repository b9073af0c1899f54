//! The root component: the start screen (the ways in and what has been loaded), the decoding
//! state, and the inspector once a capture is analysed.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast as _;
use web_sys::{ClipboardEvent, HtmlElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::{AboutDialog, IntakePanel, LoadedInputs};
use crate::inspector::Inspector;
use crate::intake::{Arrival, Intake, IntakeAction, LoadedInput, SharedCapture};

/// The name a paste is shown under.
pub const PASTED_TEXT: &str = "pasted text";

/// The whole app.
#[function_component]
pub fn App() -> Html {
    let intake = use_reducer(Intake::default);
    let about_open = use_state(|| false);
    // Ids for inputs; a Cell so that callbacks made on earlier renders number from the same count.
    let next_id = use_memo((), |()| Rc::new(Cell::new(1_usize)));

    let on_input = {
        let intake = intake.dispatcher();
        let next_id = Rc::clone(&next_id);
        Callback::from(move |arrival: Arrival| match arrival {
            Arrival::Failed(failure) => intake.dispatch(IntakeAction::Failed(failure)),
            Arrival::Read { name, bytes } => {
                let id = next_id.get();
                next_id.set(id + 1);
                let mut input = LoadedInput::recognise(name.clone(), &bytes);
                input.id = id;
                intake.dispatch(IntakeAction::Loaded(input));
                let intake = intake.clone();
                spawn_local(async move {
                    // Give the browser one turn to paint "Decoding…" before the analysis holds
                    // the main thread. A Web Worker (with progress and cancel) replaces this in a
                    // later slice; until then a large capture freezes the page while it decodes.
                    gloo::timers::future::TimeoutFuture::new(0).await;
                    let capture = cwmp_session::analyse(&bytes, Some(&name));
                    intake.dispatch(IntakeAction::Analysed {
                        id,
                        capture: SharedCapture(Rc::new(capture)),
                    });
                });
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
                <main class="decoding" role="status" aria-live="polite">
                    <div class="spinner" aria-hidden="true" />
                    <p>{ "Decoding " }<strong>{ &input.name }</strong>{ "…" }</p>
                    <p class="note">{ "Everything is decoded in this browser." }</p>
                </main>
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
