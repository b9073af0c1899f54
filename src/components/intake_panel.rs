//! The ways in: a drop zone with a file picker, and a paste box.

use wasm_bindgen::JsCast as _;
use web_sys::{FileList, HtmlInputElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::PASTED_TEXT;
use crate::intake::{Arrival, FailedInput};

/// Properties of [`IntakePanel`].
#[derive(Properties, PartialEq)]
pub struct IntakePanelProps {
    /// Receives every input as it is read, or the reason it could not be.
    pub on_input: Callback<Arrival>,
}

/// Drop zone, "Open file…" and the paste box, equally visible.
#[function_component]
pub fn IntakePanel(props: &IntakePanelProps) -> Html {
    let dragging = use_state(|| false);
    let paste_box = use_node_ref();

    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |event: DragEvent| {
            // Without this the browser opens the file instead of handing it to the page.
            event.prevent_default();
            dragging.set(true);
        })
    };
    let zone = use_node_ref();
    let on_drag_leave = {
        let dragging = dragging.clone();
        let zone = zone.clone();
        Callback::from(move |event: DragEvent| {
            // Moving over the zone's own button or text fires `dragleave` too: only leaving
            // the zone itself ends the highlight.
            // Not `current_target`: yew delegates events from the root.
            let zone = zone.cast::<web_sys::Node>();
            let entered = event
                .related_target()
                .and_then(|target| target.dyn_into::<web_sys::Node>().ok());
            if let (Some(zone), Some(entered)) = (zone, entered)
                && zone.contains(Some(&entered))
            {
                return;
            }
            dragging.set(false);
        })
    };
    let on_drop = {
        let dragging = dragging.clone();
        let on_input = props.on_input.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            dragging.set(false);
            if let Some(files) = event.data_transfer().and_then(|transfer| transfer.files()) {
                read_files(&files, &on_input);
            }
        })
    };
    let on_file_chosen = {
        let on_input = props.on_input.clone();
        Callback::from(move |event: Event| {
            let picker: HtmlInputElement = event.target_unchecked_into();
            if let Some(files) = picker.files() {
                read_files(&files, &on_input);
            }
            // Choosing the same file again must fire `change` again.
            picker.set_value("");
        })
    };
    let on_load_paste = {
        let on_input = props.on_input.clone();
        let paste_box = paste_box.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(text_area) = paste_box.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = text_area.value();
            if !text.trim().is_empty() {
                on_input.emit(Arrival::Read {
                    name: PASTED_TEXT.to_owned(),
                    bytes: js_sys::Uint8Array::from(text.as_bytes()),
                });
            }
        })
    };

    let drop_zone_class = classes!("drop-zone", dragging.then_some("dragging"));
    html! {
        <section class="intake" aria-label="Load a capture">
            <div
                id="drop-zone"
                ref={zone}
                class={drop_zone_class}
                ondragover={on_drag_over}
                ondragleave={on_drag_leave}
                ondrop={on_drop}
            >
                <p class="drop-title">{ "Drop a capture here" }</p>
                <p class="formats">
                    { "pcap · pcapng · raw HTTP · SOAP XML · HAR · ACS debug log" }
                </p>
                <label class="button primary" for="file-input">{ "Open file…" }</label>
                <input
                    id="file-input"
                    data-testid="capture-input"
                    class="visually-hidden"
                    type="file"
                    multiple=true
                    onchange={on_file_chosen}
                />
            </div>
            <div class="paste">
                <label for="paste-box">{ "Paste" }</label>
                <textarea
                    id="paste-box"
                    ref={paste_box}
                    spellcheck="false"
                    placeholder="Paste raw HTTP, a SOAP envelope, a HAR file or an ACS log here — or press Ctrl+V anywhere on the page."
                />
                <button id="paste-load" class="button" onclick={on_load_paste}>
                    { "Load pasted text" }
                </button>
            </div>
        </section>
    }
}

/// Reads every file in `files` in the background and reports each as it completes.
pub fn read_files(files: &FileList, on_input: &Callback<Arrival>) {
    for index in 0..files.length() {
        let Some(file) = files.get(index) else {
            continue;
        };
        let file = gloo::file::File::from(file);
        let on_input = on_input.clone();
        spawn_local(async move {
            let action = match gloo::file::futures::read_as_array_buffer(&file).await {
                Ok(buffer) => Arrival::Read {
                    name: file.name(),
                    bytes: js_sys::Uint8Array::new(&buffer),
                },
                Err(error) => Arrival::Failed(FailedInput {
                    name: file.name(),
                    reason: format!("the browser could not read it: {error}"),
                }),
            };
            on_input.emit(action);
        });
    }
}
