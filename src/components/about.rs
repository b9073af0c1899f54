//! "About": what this is and which version.

use yew::prelude::*;

use super::use_dialog_keys;

use crate::VERSION;

/// Properties of [`AboutDialog`].
#[derive(Properties, PartialEq)]
pub struct AboutDialogProps {
    /// Called when the user closes the dialog (button, Escape or a click outside).
    pub on_close: Callback<()>,
}

/// A modal with the product name, version and what it does with the user's data.
#[function_component]
pub fn AboutDialog(props: &AboutDialogProps) -> Html {
    let close_ref = use_node_ref();
    use_dialog_keys(props.on_close.clone(), close_ref.clone());
    let close = props.on_close.reform(|_: MouseEvent| ());
    let close_from_backdrop = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="backdrop" onclick={close_from_backdrop}>
            <div
                id="about"
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="about-title"
                onclick={Callback::from(|event: MouseEvent| event.stop_propagation())}
            >
                <h2 id="about-title">{ "cwmp-inspector" }</h2>
                <p class="version">{ format!("Version {VERSION}") }</p>
                <p>
                    { "A TR-069 (CWMP) protocol inspector for support engineers: it decodes \
                       captures, groups messages into sessions and checks them against the \
                       CWMP rules." }
                </p>
                <p>{ "It runs entirely in your browser; nothing you load is uploaded." }</p>
                <button id="about-close" ref={close_ref} class="button" onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
