//! "Load example": small captures shipped next to the app (`static/examples/`, see its
//! PROVENANCE.md), fetched only when the user asks for one.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::intake::{Arrival, FailedInput, Origin, describe_size, fetch_bytes};

/// One shipped example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// The file under `examples/`.
    pub file: &'static str,
    /// What it is called.
    pub title: &'static str,
    /// What it shows, in one line.
    pub shows: &'static str,
    /// Its size in bytes (checked against the file by the end-to-end tests).
    pub size: usize,
    /// Where it comes from and its licence, in a few words.
    pub provenance: &'static str,
}

/// The examples, in the order shown.
pub const EXAMPLES: &[Example] = &[
    Example {
        file: "magma-baicells-enodebd.pcap",
        title: "Baicells eNodeB and magma enodebd",
        shows: "A real LTE small cell provisioned over TR-069: 3 sessions in a 170-packet pcap.",
        size: 88_103,
        provenance: "Real capture from the magma project, BSD-3-Clause",
    },
    Example {
        file: "fault-digest-401.http",
        title: "Fault, Digest auth and a connection request",
        shows: "A 401 Digest challenge and retry, a SetParameterValues refused with fault 9003/9007, \
                and a connection request (401, then 200) starting a second session.",
        size: 9_529,
        provenance: "Made by this project",
    },
    Example {
        file: "freeacs-digest-session.http",
        title: "FreeACS session",
        shows: "One complete session: BOOTSTRAP Inform, GetParameterValues, SetParameterValues.",
        size: 8_385,
        provenance: "FreeACS test data, MIT",
    },
    Example {
        file: "genieacs-debug-log.jsonl",
        title: "GenieACS debug log",
        shows: "An ACS-side JSON debug log: a session and a connection request answered 401 then 200.",
        size: 5_339,
        provenance: "Made by this project in GenieACS's log format",
    },
];

/// The URL of an example, relative to the app.
pub fn example_url(example: &Example) -> String {
    format!("examples/{}", example.file)
}

/// Properties of [`Examples`].
#[derive(Properties, PartialEq)]
pub struct ExamplesProps {
    /// Receives the example once fetched, or why it could not be.
    pub on_input: Callback<Arrival>,
}

/// The list of examples, each with "Load example".
#[function_component]
pub fn Examples(props: &ExamplesProps) -> Html {
    let loading = use_state(|| None::<&'static str>);
    html! {
        <section class="examples" aria-labelledby="examples-title">
            <h2 id="examples-title">{ "No capture at hand? Load an example" }</h2>
            <ul class="example-list">
                { for EXAMPLES.iter().map(|example| {
                    let onclick = {
                        let on_input = props.on_input.clone();
                        let loading = loading.clone();
                        let example = *example;
                        Callback::from(move |_: MouseEvent| {
                            let on_input = on_input.clone();
                            let loading = loading.clone();
                            loading.set(Some(example.file));
                            spawn_local(async move {
                                let url = example_url(&example);
                                let arrival = match fetch_bytes(&url).await {
                                    Ok(bytes) => Arrival::Opened {
                                        name: example.file.to_owned(),
                                        bytes,
                                        origin: Origin::Example,
                                    },
                                    Err(reason) => Arrival::Failed(FailedInput {
                                        name: url,
                                        reason,
                                    }),
                                };
                                loading.set(None);
                                on_input.emit(arrival);
                            });
                        })
                    };
                    let busy = *loading == Some(example.file);
                    html! {
                        <li class="example" data-testid="example" data-file={example.file}>
                            <div class="example-text">
                                <strong class="example-title">{ example.title }</strong>
                                <span class="example-shows">{ example.shows }</span>
                                <span class="example-meta note">
                                    { format!("{} · {} · ", example.file, describe_size(example.size)) }
                                    <span class="example-provenance">{ example.provenance }</span>
                                </span>
                            </div>
                            <button
                                class="button"
                                data-testid="load-example"
                                disabled={busy}
                                onclick={onclick}
                            >
                                { if busy { "Loading…" } else { "Load example" } }
                            </button>
                        </li>
                    }
                }) }
            </ul>
            <p class="note">
                { "Examples are fetched from this site only when you load one. Where they come from: " }
                <a href="examples/PROVENANCE.md" target="_blank" rel="noopener">{ "PROVENANCE.md" }</a>
                { "." }
            </p>
        </section>
    }
}
