//! "Copy link": the redactions to apply, grouped by kind with a switch each, and the link that
//! carries the capture in its fragment. Finding the redactions and writing the HAR happen in a
//! worker, from the input's bytes (`worker::ask_redactions`, `worker::ask_export`): that code
//! stays out of the page's wasm.

use std::cell::Cell;
use std::rc::Rc;

use cwmp_session::share::{
    RedactionKind, RedactionView, estimated_size, session_exchanges, unshareable_messages,
};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::use_dialog_keys;
use crate::intake::{InputBytes, SharedCapture};
use crate::share::{describe_length, make_link};
use crate::worker::{ask_export, ask_redactions};

/// Properties of [`ShareDialog`].
#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    /// The capture to share.
    pub capture: SharedCapture,
    /// Its name, as loaded.
    pub name: AttrValue,
    /// Its bytes, which the worker analyses again to find the redactions and write the HAR.
    pub input: Option<InputBytes>,
    /// What is on screen: (session id, message index); the link opens there.
    pub at: Option<(usize, usize)>,
    /// Closes the dialog (button, Escape, a click outside).
    pub on_close: Callback<()>,
}

/// Past this many bytes of HAR, no link is made: it would compress to more than Chrome opens
/// (2 MB of link is about 1.5 MB deflated, which XML reaches from 15 to 30 MB), and writing it
/// would hold the page.
const MAX_HAR: usize = 40 * 1024 * 1024;

/// The link being made.
#[derive(Clone, Debug, PartialEq)]
enum LinkState {
    Making,
    Ready(Rc<str>),
    Failed(String),
}

/// What Copy did.
#[derive(Clone, Debug, PartialEq)]
enum Copied {
    Not,
    Done,
    Failed,
}

/// The "Copy link" dialog.
#[function_component]
pub fn ShareDialog(props: &ShareDialogProps) -> Html {
    // `None` while the worker looks for them.
    let found = use_state(|| None::<Result<Rc<Vec<RedactionView>>, String>>);
    let enabled = use_state(Vec::<bool>::new);
    {
        let found = found.clone();
        let enabled = enabled.clone();
        let input = props.input.clone();
        let name = props.name.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                let result = match &input {
                    Some(input) => ask_redactions(&input.0, &name).await.map(Rc::new),
                    None => Err("the capture's bytes are not kept in this page".to_owned()),
                };
                if let Ok(list) = &result {
                    enabled.set(list.iter().map(|r| r.on_by_default).collect());
                }
                found.set(Some(result));
            });
        });
    }
    let redactions: Rc<Vec<RedactionView>> = match &*found {
        Some(Ok(list)) => list.clone(),
        _ => Rc::default(),
    };
    let link = use_state(|| LinkState::Making);
    // Only the session on screen: a shorter link.
    let only_session = use_state(|| false);
    let dialog = use_node_ref();
    let copied = use_state(|| Copied::Not);
    // Only the newest request's link is shown: switching fast must not leave an older one.
    let generation = use_memo((), |()| Rc::new(Cell::new(0_u64)));

    use_dialog_keys(props.on_close.clone(), dialog.clone());

    // The exchanges a one-session link carries; `None` for the whole capture.
    let scope: Option<Rc<[usize]>> = match (*only_session, props.at) {
        (true, Some((session, _))) => Some(session_exchanges(&props.capture, session).into()),
        _ => None,
    };
    {
        let link = link.clone();
        let copied = copied.clone();
        let capture = props.capture.clone();
        let input = props.input.clone();
        let name = props.name.clone();
        let generation = generation.clone();
        let at = props.at;
        let only = *only_session;
        let loaded = found.as_ref().map(Result::is_ok);
        // Also remade when the selection behind the dialog moves (arrow keys), so that the link
        // opens where the user now is.
        use_effect_with(
            ((*enabled).clone(), only, at, loaded),
            move |(enabled, only, _, loaded)| {
                let enabled: Vec<usize> = enabled
                    .iter()
                    .enumerate()
                    .filter_map(|(i, on)| on.then_some(i))
                    .collect();
                let only = *only;
                let loaded = *loaded;
                let current = generation.get() + 1;
                generation.set(current);
                link.set(LinkState::Making);
                copied.set(Copied::Not);
                spawn_local(async move {
                    match loaded {
                        Some(true) => {}
                        // The redactions are not known yet, or could not be found: no link.
                        None => return,
                        Some(false) => {
                            link.set(LinkState::Failed(
                                "the capture could not be read again".into(),
                            ));
                            return;
                        }
                    }
                    let Some(input) = input else {
                        return;
                    };
                    let one = at.filter(|_| only);
                    let exchanges = match one {
                        Some((session, _)) => session_exchanges(&capture, session),
                        None => (0..capture.exchanges.len()).collect(),
                    };
                    let size = estimated_size(&capture, &exchanges);
                    let made = if size > MAX_HAR {
                        Err(format!(
                            "{} is too much to carry in a link; share the capture file instead",
                            crate::intake::describe_size(size)
                        ))
                    } else {
                        match ask_export(&input.0, &name, &enabled, one.map(|(session, _)| session))
                            .await
                        {
                            // Read back, the one session is session 0.
                            Ok(har) => {
                                make_link(&har, one.map_or(at, |(_, step)| Some((0, step)))).await
                            }
                            Err(reason) => Err(reason),
                        }
                    };
                    if generation.get() == current {
                        link.set(match made {
                            Ok(url) => LinkState::Ready(url.into()),
                            Err(reason) => LinkState::Failed(reason),
                        });
                    }
                });
            },
        );
    }

    let toggle = {
        let enabled = enabled.clone();
        Callback::from(move |index: usize| {
            let mut next = (*enabled).clone();
            if let Some(on) = next.get_mut(index) {
                *on = !*on;
            }
            enabled.set(next);
        })
    };
    let toggle_kind = {
        let enabled = enabled.clone();
        let redactions = redactions.clone();
        Callback::from(move |kind: RedactionKind| {
            let mut next = (*enabled).clone();
            let of_kind = || {
                redactions
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.kind == kind)
                    .map(|(i, _)| i)
            };
            let all_on = of_kind().all(|i| next.get(i).copied().unwrap_or(false));
            for i in of_kind() {
                if let Some(on) = next.get_mut(i) {
                    *on = !all_on;
                }
            }
            enabled.set(next);
        })
    };
    let field = use_node_ref();
    let copy = {
        let link = link.clone();
        let copied = copied.clone();
        let field = field.clone();
        Callback::from(move |_: MouseEvent| {
            let LinkState::Ready(url) = &*link else {
                return;
            };
            let url = url.clone();
            let copied = copied.clone();
            let field = field.clone();
            spawn_local(async move {
                // `navigator.clipboard` exists only in secure contexts (https, localhost).
                let navigator = gloo::utils::window().navigator();
                let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
                    .ok()
                    .filter(|c| !c.is_undefined() && !c.is_null())
                    .map(wasm_bindgen::JsCast::unchecked_into::<web_sys::Clipboard>);
                let done = match clipboard {
                    Some(clipboard) => JsFuture::from(clipboard.write_text(&url)).await.is_ok(),
                    None => false,
                };
                if !done && let Some(input) = field.cast::<HtmlInputElement>() {
                    // Selected, ready for Ctrl+C.
                    let _ = input.focus();
                    input.select();
                }
                copied.set(if done { Copied::Done } else { Copied::Failed });
            });
        })
    };
    let select_all = Callback::from(|event: FocusEvent| {
        if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
            input.select();
        }
    });

    let groups = RedactionKind::ALL.iter().filter_map(|&kind| {
        let members: Vec<(usize, &RedactionView, usize)> = redactions
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == kind)
            .map(|(i, r)| (i, r, places_in(r, scope.as_deref())))
            .filter(|&(_, _, n)| n > 0)
            .collect();
        if members.is_empty() {
            return None;
        }
        let on = members
            .iter()
            .filter(|(i, _, _)| enabled.get(*i).copied().unwrap_or(false))
            .count();
        let heading_id = format!("redaction-kind-{}", kind.as_str());
        Some(html! {
            <fieldset class="redaction-group" data-kind={kind.as_str()} aria-labelledby={heading_id.clone()}>
                <label class="redaction-kind" id={heading_id}>
                    <input
                        type="checkbox"
                        data-testid="redaction-kind"
                        data-kind={kind.as_str()}
                        checked={on == members.len()}
                        onchange={toggle_kind.reform(move |_| kind)}
                    />
                    <span class="title">{ kind.title() }</span>
                    <span class="muted">
                        { format!(" · {on} of {} redacted{}", members.len(),
                            if kind.on_by_default() { "" } else { " (off unless you choose)" }) }
                    </span>
                </label>
                <ul class="redactions">
                    { for members.iter().map(|&(i, r, n)| {
                        let on = enabled.get(i).copied().unwrap_or(false);
                        html! {
                            <li
                                class={classes!("redaction", on.then_some("on"))}
                                data-testid="redaction"
                                data-kind={kind.as_str()}
                            >
                                <label>
                                    <input
                                        type="checkbox"
                                        checked={on}
                                        onchange={toggle.reform(move |_| i)}
                                    />
                                    <span class="redaction-label">{ &r.label }</span>
                                    <span class="redaction-detail muted">
                                        { format!("{} · becomes ", places(n)) }
                                        <code>{ &r.replacement }</code>
                                    </span>
                                </label>
                            </li>
                        }
                    }) }
                </ul>
            </fieldset>
        })
    });

    let (value, status) = match &*link {
        LinkState::Making => (
            String::new(),
            html! { <p class="share-size muted" data-testid="share-size">{ "Making the link…" }</p> },
        ),
        LinkState::Ready(url) => {
            let (text, warn) = describe_length(url.len());
            (
                url.to_string(),
                html! {
                    <p class={classes!("share-size", warn.then_some("warning"))} data-testid="share-size">
                        { text }
                    </p>
                },
            )
        }
        LinkState::Failed(reason) => (
            String::new(),
            html! { <p class="share-size error" data-testid="share-size">{ format!("No link: {reason}.") }</p> },
        ),
    };
    let copied_text = match *copied {
        Copied::Not => "",
        Copied::Done => "Copied to the clipboard.",
        Copied::Failed => {
            "The browser did not allow copying: the link is selected above, press Ctrl+C (⌘C)."
        }
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let close_from_backdrop = props.on_close.reform(|_: MouseEvent| ());
    let empty = matches!(&*found, Some(Ok(list)) if list.is_empty());
    let left_out = unshareable_messages(&props.capture, scope.as_deref());

    html! {
        <div class="backdrop" onclick={close_from_backdrop}>
            <div
                class="dialog share-dialog"
                data-testid="share-dialog"
                ref={dialog}
                tabindex="-1"
                role="dialog"
                aria-modal="true"
                aria-labelledby="share-title"
                onclick={Callback::from(|event: MouseEvent| event.stop_propagation())}
            >
                <h2 id="share-title">{ "Copy link" }</h2>
                <p class="share-explain">
                    { "The capture travels inside the link, compressed, after the #: browsers \
                       never send that part to a server, so nothing is uploaded. Anyone with \
                       the link can read the capture, so choose what to hide." }
                </p>
                if let Some((session, _)) = props.at.filter(|_| props.capture.sessions.len() > 1) {
                    <label class="share-only-session">
                        <input
                            type="checkbox"
                            data-testid="share-only-session"
                            checked={*only_session}
                            onchange={
                                let only_session = only_session.clone();
                                Callback::from(move |_: Event| only_session.set(!*only_session))
                            }
                        />
                        { format!(" Only session #{session}, for a shorter link") }
                    </label>
                }
                { match &*found {
                    None => html! {
                        <p class="muted" data-testid="share-scanning">{ "Looking for passwords, credentials, serial numbers and addresses…" }</p>
                    },
                    Some(Err(reason)) => html! {
                        <p class="error">{ format!("The redactions could not be found: {reason}. No link is made without them.") }</p>
                    },
                    Some(Ok(_)) if empty => html! {
                        <p class="muted">{ "No password, credential, serial number or IP address was found in this capture." }</p>
                    },
                    Some(Ok(_)) => html! { <div class="redaction-groups">{ for groups }</div> },
                } }
                <div class="share-link-row">
                    <input
                        type="text"
                        readonly=true
                        class="share-link"
                        data-testid="share-link"
                        ref={field}
                        aria-label="The link"
                        value={value}
                        onfocus={select_all}
                    />
                    <button
                        class="button primary"
                        data-testid="share-copy"
                        disabled={!matches!(*link, LinkState::Ready(_))}
                        onclick={copy}
                    >
                        { "Copy" }
                    </button>
                </div>
                { status }
                if left_out > 0 {
                    <p class="share-size warning" data-testid="share-left-out">
                        { format!(
                            "{left_out} {} cannot travel in the link: {} no request, which a link \
                             (a HAR file) needs. (An ACS message pasted alone, or a capture that \
                             starts mid-exchange.)",
                            if left_out == 1 { "message" } else { "messages" },
                            if left_out == 1 { "its HTTP exchange has" } else { "their HTTP exchanges have" },
                        ) }
                    </p>
                }
                <p class="share-copied" role="status" data-testid="share-copied">{ copied_text }</p>
                <div class="dialog-actions">
                    <button class="button" data-testid="share-close" onclick={close}>{ "Close" }</button>
                </div>
            </div>
        </div>
    }
}

/// How many of a redaction's places lie in `scope` (every place when `None`).
fn places_in(redaction: &RedactionView, scope: Option<&[usize]>) -> usize {
    // UDP connection requests travel in every link, one session's too.
    redaction.udp_requests
        + match scope {
            Some(exchanges) => redaction
                .exchanges
                .iter()
                .filter(|exchange| exchanges.contains(exchange))
                .count(),
            None => redaction.exchanges.len(),
        }
}

/// `1 place`, `17 places`.
fn places(n: usize) -> String {
    if n == 1 {
        "1 place".to_owned()
    } else {
        format!("{n} places")
    }
}
