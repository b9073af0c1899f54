//! The `?` sheet: every keyboard shortcut of the inspector, in one place.

use yew::prelude::*;

use crate::components::use_dialog_keys;

/// The shortcuts, as (keys, what they do). The inspector's keydown handler implements them.
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "↑ ↓",
        "previous / next session (among those the filter leaves)",
    ),
    ("← →", "replay: previous / next message of the session"),
    ("p", "replay: play or pause"),
    (
        "Esc",
        "leave the replay, close a dialog, or clear the filter box",
    ),
    ("/", "focus the filter box"),
    ("1 2 3 4", "message tabs: Decoded, XML, HTTP, Findings"),
    ("?", "show this list"),
    ("Tab", "move between controls; Enter or Space activates"),
    (
        "Ctrl+V",
        "load the clipboard as a new capture (outside text fields)",
    ),
];

/// Properties of [`ShortcutsDialog`].
#[derive(Properties, PartialEq)]
pub struct ShortcutsDialogProps {
    /// Closes the dialog (button, Escape or a click outside).
    pub on_close: Callback<()>,
}

/// A modal listing [`SHORTCUTS`].
#[function_component]
pub fn ShortcutsDialog(props: &ShortcutsDialogProps) -> Html {
    let close_ref = use_node_ref();
    use_dialog_keys(props.on_close.clone(), close_ref.clone());
    html! {
        <div class="backdrop" onclick={props.on_close.reform(|_: MouseEvent| ())}>
            <div
                class="dialog shortcuts"
                role="dialog"
                aria-modal="true"
                aria-labelledby="shortcuts-title"
                data-testid="shortcuts"
                onclick={Callback::from(|event: MouseEvent| event.stop_propagation())}
            >
                <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
                <dl class="shortcut-list">
                    { for SHORTCUTS.iter().map(|(keys, what)| html! {
                        <>
                            <dt>{ for keys.split(' ').map(|key| html! { <kbd>{ key }</kbd> }) }</dt>
                            <dd>{ *what }</dd>
                        </>
                    }) }
                </dl>
                <button ref={close_ref} class="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>
                    { "Close" }
                </button>
            </div>
        </div>
    }
}
