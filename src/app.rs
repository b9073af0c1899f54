//! The root component: header, the ways in, and what has been loaded.

use gloo::events::EventListener;
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
            let listener = EventListener::new(&gloo::utils::document(), "paste", move |event| {
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
                    <img class="logo" src="favicon.svg" alt="" width="28" height="28" />
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
                    <span class="privacy-icon" aria-hidden="true">{ "🔒" }</span>
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
