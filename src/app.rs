//! The root component: header, the ways in, and what has been loaded.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast as _;
use web_sys::{ClipboardEvent, HtmlElement};
use yew::prelude::*;

use crate::components::{AboutDialog, IntakePanel, LoadedInputs};
use crate::intake::{Intake, IntakeAction, LoadedInput};

/// The name a paste is shown under.
pub const PASTED_TEXT: &str = "pasted text";

/// The whole app.
#[function_component]
pub fn App() -> Html {
    let intake = use_reducer(Intake::default);
    let about_open = use_state(|| false);

    let on_input = {
        let intake = intake.dispatcher();
        Callback::from(move |action: IntakeAction| intake.dispatch(action))
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
                    on_input.emit(IntakeAction::Loaded(LoadedInput::recognise(
                        PASTED_TEXT,
                        text.as_bytes(),
                    )));
                });
            move || drop(listener)
        });
    }

    let open_about = {
        let about_open = about_open.clone();
        Callback::from(move |_: MouseEvent| about_open.set(true))
    };
    let close_about = {
        let about_open = about_open.clone();
        Callback::from(move |()| about_open.set(false))
    };

    html! {
        <>
            <header class="topbar">
                <div class="brand">
                    <Logo />
                    <h1>{ "cwmp-inspector" }</h1>
                </div>
                <button id="about-open" class="quiet" onclick={open_about}>{ "About" }</button>
            </header>
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
                <LoadedInputs intake={(*intake).clone()} />
            </main>
            if *about_open {
                <AboutDialog on_close={close_about} />
            }
        </>
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

/// Whether a paste event is aimed at a text field, which handles it itself.
fn targets_text_field(event: &ClipboardEvent) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<HtmlElement>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "TEXTAREA" | "INPUT")
                || element.is_content_editable()
        })
}
