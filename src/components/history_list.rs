//! "Recent captures in this browser": what [`crate::history`] keeps, each with Open and Delete.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::history::{self, HistoryEntry, MAX_ENTRY_BYTES, MAX_TOTAL_BYTES};
use crate::intake::{Arrival, FailedInput, Origin, describe_size};

/// Properties of [`HistoryList`].
#[derive(Properties, PartialEq)]
pub struct HistoryListProps {
    /// Receives a capture reopened from history (or why it could not be).
    pub on_input: Callback<Arrival>,
    /// Changes whenever the app has saved something: the list is read again.
    #[prop_or_default]
    pub revision: u32,
}

/// The kept captures, newest first.
#[function_component]
pub fn HistoryList(props: &HistoryListProps) -> Html {
    // `None` while the list is read.
    let entries = use_state(|| None::<Result<Vec<HistoryEntry>, String>>);
    let reloads = use_state(|| 0_u32);
    {
        let entries = entries.clone();
        use_effect_with((props.revision, *reloads), move |_| {
            spawn_local(async move { entries.set(Some(history::list().await)) });
        });
    }

    let list = match &*entries {
        None => return html! {},
        Some(Err(reason)) => {
            return html! {
                <section class="history" aria-labelledby="history-title">
                    <h2 id="history-title">{ "Recent captures in this browser" }</h2>
                    <p class="note" data-testid="history-error">
                        { format!("History is unavailable here: {reason}.") }
                    </p>
                </section>
            };
        }
        Some(Ok(list)) => list,
    };

    let rows = list.iter().map(|entry| {
        let open = {
            let on_input = props.on_input.clone();
            let entry = entry.clone();
            Callback::from(move |_: MouseEvent| {
                let on_input = on_input.clone();
                let entry = entry.clone();
                spawn_local(async move {
                    let arrival = match history::load(entry.key).await {
                        Ok(Some(bytes)) => Arrival::Opened {
                            name: entry.name,
                            bytes,
                            origin: Origin::History,
                        },
                        Ok(None) => Arrival::Failed(FailedInput {
                            name: entry.name,
                            reason: "it is no longer in this browser's history".to_owned(),
                        }),
                        Err(reason) => Arrival::Failed(FailedInput {
                            name: entry.name,
                            reason: format!("could not be read from history: {reason}"),
                        }),
                    };
                    on_input.emit(arrival);
                });
            })
        };
        let delete = {
            let reloads = reloads.clone();
            let key = entry.key;
            Callback::from(move |_: MouseEvent| {
                let reloads = reloads.clone();
                spawn_local(async move {
                    // A failed delete leaves the row; reading the list again shows the truth.
                    let _ = history::delete(key).await;
                    reloads.set(reloads.wrapping_add(1));
                });
            })
        };
        html! {
            <tr class="history-entry" data-testid="history-entry">
                <td class="name">{ &entry.name }</td>
                <td class="date">{ describe_date(entry.date) }</td>
                <td class="size">{ describe_size(entry.size) }</td>
                <td class="format">{ &entry.format }</td>
                <td class="actions">
                    <button class="button" data-testid="history-open" onclick={open}>{ "Open" }</button>
                    <button
                        class="quiet"
                        data-testid="history-delete"
                        aria-label={format!("Delete {} from history", entry.name)}
                        onclick={delete}
                    >
                        { "Delete" }
                    </button>
                </td>
            </tr>
        }
    });

    html! {
        <section class="history" aria-labelledby="history-title" data-testid="history">
            <h2 id="history-title">{ "Recent captures in this browser" }</h2>
            if list.is_empty() {
                <p class="note">{ "Captures you load are kept here, in this browser only, to open again later." }</p>
            } else {
                <table class="loaded-inputs history-table">
                    <thead>
                        <tr>
                            <th>{ "Name" }</th>
                            <th>{ "Loaded" }</th>
                            <th>{ "Size" }</th>
                            <th>{ "Format" }</th>
                            <th><span class="visually-hidden">{ "Actions" }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            <p class="note">
                { format!(
                    "Kept in this browser's storage (IndexedDB), never uploaded: up to {} MB per \
                     capture and {} MB in all; the oldest are removed first.",
                    MAX_ENTRY_BYTES / 1_000_000,
                    MAX_TOTAL_BYTES / 1_000_000,
                ) }
            </p>
        </section>
    }
}

/// A stored date as local `YYYY-MM-DD HH:MM`.
fn describe_date(millis: f64) -> String {
    let date = js_sys::Date::new(&millis.into());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}
