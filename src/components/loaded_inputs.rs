//! The echo of what was loaded: name, size and recognised format.

use yew::prelude::*;

use crate::intake::{Intake, describe_size};

/// Properties of [`LoadedInputs`].
#[derive(Properties, PartialEq)]
pub struct LoadedInputsProps {
    /// Everything loaded so far.
    pub intake: Intake,
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
            <h2>{ "Loaded" }</h2>
            if !intake.loaded.is_empty() {
                <table class="loaded-inputs">
                    <thead>
                        <tr><th>{ "Name" }</th><th>{ "Size" }</th><th>{ "Detected format" }</th></tr>
                    </thead>
                    <tbody>
                        { for intake.loaded.iter().map(|input| html! {
                            <tr class="loaded-input" data-format={input.format.short_name()}>
                                <td class="name">{ &input.name }</td>
                                <td class="size">{ describe_size(input.size) }</td>
                                <td class="format">{ input.format.to_string() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <p class="note">
                    { "The format is recognised from the content, not the file name. \
                       Decoding into CWMP sessions is not in this build yet." }
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
