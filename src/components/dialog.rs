//! What every modal dialog does with the keyboard.

use gloo::events::EventListener;
use wasm_bindgen::JsCast as _;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

/// On mount, moves the focus to `focus` (keyboard users land in the dialog, not behind it);
/// while mounted, Escape calls `on_close`.
#[hook]
pub fn use_dialog_keys(on_close: Callback<()>, focus: NodeRef) {
    use_effect_with((), move |()| {
        if let Some(element) = focus.cast::<HtmlElement>() {
            let _ = element.focus();
        }
        let listener = EventListener::new(&gloo::utils::document(), "keydown", move |event| {
            if event
                .dyn_ref::<KeyboardEvent>()
                .is_some_and(|key| key.key() == "Escape")
            {
                on_close.emit(());
            }
        });
        move || drop(listener)
    });
}
