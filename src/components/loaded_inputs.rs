//! The echo of what was loaded in this page: name, size, recognised format, and a way back into
//! each analysed input.

use yew::prelude::*;

use crate::intake::{Intake, describe_size};

/// Properties of [`LoadedInputs`].
#[derive(Properties, PartialEq)]
pub struct LoadedInputsProps {
    /// Everything loaded so far.
    pub intake: Intake,
    /// Called with an input's id when the user reopens it.
    pub on_open: Callback<usize>,
}

/// A table of the loaded inputs, newest first, and the ones that could not be read.
#[function_component]
pub fn LoadedInputs(props: &LoadedInputsProps) -> Html {
    let intake = &props.intake;
    if intake.loaded.is_empty() && intake.failed.is_empty() {
        return html! {};
    }
    html! {
        <section class="loaded" aria-live="polite" aria-label="Loaded inputs">
            <h2>{ "Loaded in this page" }</h2>
            if !intake.loaded.is_empty() {
                <table class="loaded-inputs">
                    <thead>
                        <tr>
                            <th>{ "Name" }</th>
                            <th>{ "Size" }</th>
                            <th>{ "Detected format" }</th>
                            <th>{ "Sessions" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for intake.loaded.iter().map(|input| {
                            let id = input.id;
                            let open = props.on_open.reform(move |_: MouseEvent| id);
                            html! {
                                <tr class="loaded-input" data-format={input.format.short_name()}>
                                    <td class="name">{ &input.name }</td>
                                    <td class="size">{ describe_size(input.size) }</td>
                                    <td class="format">{ input.format.to_string() }</td>
                                    <td class="open">
                                        if let Some(capture) = &input.capture {
                                            <button class="button" onclick={open}>
                                                { format!("Open ({})", capture.sessions.len()) }
                                            </button>
                                        } else {
                                            <span class="note">{ "decoding…" }</span>
                                        }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                <p class="note">
                    { "The format is recognised from the content, not the file name. \
                       These inputs are kept only while this page is open." }
                </p>
            }
            { for intake.failed.iter().map(|failure| html! {
                <p class="error" role="alert">
                    <strong>{ &failure.name }</strong>{ ": " }{ &failure.reason }
                </p>
            }) }
        </section>
    }
}
