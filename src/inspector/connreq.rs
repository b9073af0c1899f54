//! The right pane for a connection request (TR-069 §3.2.2): its attempts, the Digest or Basic
//! parameters exchanged, and the auth debugger — the user types the password the CPE expects
//! and gets a verdict, step by step. The hashing runs in a worker (`worker::ask_auth`): the
//! page does not carry the hash functions, and the password never leaves the browser.

use cwmp_capture::{HttpMessage, StartLine};
use cwmp_session::auth::AuthVerdict;
use cwmp_session::share::REDACTED;
use cwmp_session::{Capture, ConnectionRequestView};
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::format::{clock, date};
use crate::intake::SharedCapture;
use crate::worker::{AuthQuestion, ask_auth, ask_udp_auth};

/// Properties of [`ConnectionRequestPane`].
#[derive(Properties, PartialEq)]
pub struct ConnectionRequestPaneProps {
    /// The capture.
    pub capture: SharedCapture,
    /// The connection request's id.
    pub request: usize,
}

/// The request that carried credentials (the last one), and the challenge it answered (the
/// nearest 401 before it), from the capture's HTTP exchanges.
fn credentials<'c>(
    capture: &'c Capture,
    view: &ConnectionRequestView,
) -> Option<(&'c HttpMessage, Option<&'c str>)> {
    let at = view.attempts.iter().rposition(|a| a.authorized)?;
    let request = capture
        .exchanges
        .get(view.attempts[at].exchange)?
        .request
        .as_ref()?;
    let challenge = view.attempts[..at].iter().rev().find_map(|attempt| {
        capture
            .exchanges
            .get(attempt.exchange)?
            .response
            .as_ref()?
            .headers_named("www-authenticate")
            .last()
    });
    Some((request, challenge))
}

/// Checks `password` against the credentials of `view`.
async fn check(
    capture: SharedCapture,
    view: ConnectionRequestView,
    password: String,
) -> Result<AuthVerdict, String> {
    let (request, challenge) = credentials(&capture, &view)
        .ok_or("the request with credentials is not in the capture, so it cannot be checked")?;
    let (method, target) = match &request.start {
        StartLine::Request { method, target, .. } => (method.as_str(), target.as_str()),
        StartLine::Response { .. } => ("GET", ""),
    };
    let question = AuthQuestion {
        method,
        target,
        authorization: request.headers_named("authorization").last().unwrap_or(""),
        challenge,
        body: &request.body,
        password: &password,
    };
    ask_auth(&question).await
}

/// A connection request and its auth debugger. Key it by the request so that the password
/// field starts empty for each.
#[function_component]
pub fn ConnectionRequestPane(props: &ConnectionRequestPaneProps) -> Html {
    let capture = &props.capture;
    let Some(view) = capture.connection_requests.get(props.request) else {
        return html! { <p class="empty-pane">{ "This connection request is not in the capture." }</p> };
    };
    let on_check = {
        let capture = capture.clone();
        let view = view.clone();
        Callback::from(move |(password, done): (String, Callback<CheckResult>)| {
            let (capture, view) = (capture.clone(), view.clone());
            spawn_local(async move { done.emit(check(capture, view, password).await) });
        })
    };
    let result = match view.result {
        Some(status @ (200 | 204)) => format!("{status}: accepted, the CPE will open a session"),
        _ => view.outcome_text(),
    };
    let mut facts: Vec<(&str, String)> = vec![("Target", view.target.clone())];
    if let Some(time) = view.time.as_deref() {
        facts.push(("Time", format!("{} {} UTC", date(time), clock(time))));
    }
    if let Some(acs) = &view.acs {
        facts.push(("From (ACS)", acs.clone()));
    }
    if let Some(cpe) = &view.cpe {
        facts.push(("To (CPE)", cpe.clone()));
    }
    facts.push(("Result", result));
    if let Some(device) = view.device.and_then(|d| capture.devices.get(d)) {
        facts.push(("Device", device.id.clone()));
    }
    if let Some(session) = view.session {
        facts.push(("Session", format!("#{session} followed")));
    }
    let digest: Vec<(&str, &Option<String>)> = vec![
        ("Scheme", &view.scheme),
        ("Username", &view.username),
        ("Realm", &view.realm),
        ("Nonce", &view.nonce),
        ("URI", &view.uri),
        ("qop", &view.qop),
        ("Response", &view.response),
    ];
    let authorized = view.attempts.iter().any(|a| a.authorized);
    html! {
        <div class="connection-request-pane" data-testid="connection-request-detail">
            <header class="message-header">
                <h2>{ "⇢ Connection request" }</h2>
                <p class="muted">{ "ACS → CPE, HTTP GET (TR-069 §3.2.2)" }</p>
            </header>
            <dl class="fields">
                { for facts.into_iter().map(|(name, value)| html! {
                    <><dt>{ name }</dt><dd>{ value }</dd></>
                }) }
            </dl>
            <h3>{ format!("Attempts ({})", view.attempts.len()) }</h3>
            <table class="params attempts">
                <thead><tr><th>{ "#" }</th><th>{ "Time" }</th><th>{ "Credentials" }</th><th>{ "Status" }</th></tr></thead>
                <tbody>
                    { for view.attempts.iter().enumerate().map(|(n, attempt)| html! {
                        <tr>
                            <td>{ n + 1 }</td>
                            <td class="mono">{ attempt.time.as_deref().map_or("—", clock) }</td>
                            <td>{ if attempt.authorized { "Authorization sent" } else { "none" } }</td>
                            <td>{ match attempt.status {
                                Some(status) => status.to_string(),
                                None if attempt.reset => "reset (TCP RST)".to_owned(),
                                None => "no answer".to_owned(),
                            } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <h3>{ "Authentication" }</h3>
            <dl class="fields">
                { for digest.into_iter().filter_map(|(name, value)| value.as_ref().map(|value| html! {
                    <><dt>{ name }</dt><dd class="mono">{ value }</dd></>
                })) }
            </dl>
            <AuthDebugger
                explanation={"The CPE's ConnectionRequestPassword: the answer the ACS sent is \
                              recomputed with it, here in the browser. It is never stored or sent."}
                unavailable={(!authorized).then_some(AttrValue::from(
                    "No attempt carried credentials: there is nothing to check.",
                ))}
                on_check={on_check}
            />
        </div>
    }
}

/// What a password check gives: the verdict, or why there is none.
type CheckResult = Result<AuthVerdict, String>;

/// Properties of [`AuthDebugger`].
#[derive(Properties, PartialEq)]
struct AuthDebuggerProps {
    /// What the password is and what is done with it.
    explanation: AttrValue,
    /// Why nothing can be checked, when so: the form is then disabled.
    #[prop_or_default]
    unavailable: Option<AttrValue>,
    /// Checks a password and answers on the callback it is given.
    on_check: Callback<(String, Callback<CheckResult>)>,
}

/// The auth debugger's form: a password field, Check, and the verdict.
#[function_component]
fn AuthDebugger(props: &AuthDebuggerProps) -> Html {
    let password = use_state(String::new);
    let verdict = use_state(|| None::<CheckResult>);
    let checking = use_state(|| false);
    let on_password = {
        let password = password.clone();
        Callback::from(move |event: InputEvent| {
            password.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_submit = {
        let (password, verdict, checking) = (password.clone(), verdict.clone(), checking.clone());
        let on_check = props.on_check.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            checking.set(true);
            let (verdict, checking) = (verdict.clone(), checking.clone());
            let done = Callback::from(move |result: CheckResult| {
                checking.set(false);
                verdict.set(Some(result));
            });
            on_check.emit(((*password).clone(), done));
        })
    };
    let enabled = props.unavailable.is_none();
    html! {
        <>
            <form class="auth-debugger" onsubmit={on_submit}>
                <label for="auth-password">{ "Check a password" }</label>
                <p class="muted">{ props.explanation.clone() }</p>
                <div class="auth-row">
                    <input
                        id="auth-password"
                        type="password"
                        data-testid="auth-password"
                        autocomplete="off"
                        value={(*password).clone()}
                        oninput={on_password}
                        disabled={!enabled}
                    />
                    <button type="submit" class="button primary" data-testid="auth-check" disabled={!enabled || *checking}>
                        { if *checking { "Checking…" } else { "Check" } }
                    </button>
                </div>
                if let Some(reason) = &props.unavailable {
                    <p class="note">{ reason.clone() }</p>
                }
            </form>
            if let Some(outcome) = &*verdict {
                { verdict_view(outcome) }
            }
        </>
    }
}

/// Properties of [`UdpConnectionRequestPane`].
#[derive(Properties, PartialEq)]
pub struct UdpConnectionRequestPaneProps {
    /// The capture.
    pub capture: SharedCapture,
    /// The UDP connection request's id.
    pub request: usize,
}

/// A UDP connection request (TR-069 Annex G): the datagram's Annex G values, what departs from
/// Annex G, and the signature checked against a password in a worker. Key it by the request.
#[function_component]
pub fn UdpConnectionRequestPane(props: &UdpConnectionRequestPaneProps) -> Html {
    let Some(view) = props.capture.udp_connection_requests.get(props.request) else {
        return html! { <p class="empty-pane">{ "This connection request is not in the capture." }</p> };
    };
    let on_check = {
        let (target, signature) = (view.target.clone(), view.signature.clone());
        Callback::from(move |(password, done): (String, Callback<CheckResult>)| {
            let (target, signature) = (target.clone(), signature.clone());
            spawn_local(async move {
                done.emit(ask_udp_auth(&target, signature.as_deref(), &password).await);
            });
        })
    };
    let mut facts: Vec<(&str, String)> = vec![("Target", view.target.clone())];
    if let Some(time) = view.time.as_deref() {
        facts.push(("Time", format!("{} {} UTC", date(time), clock(time))));
    }
    facts.push(("From (ACS)", view.acs.clone()));
    facts.push(("To (CPE)", view.cpe.clone()));
    facts.push(("Frame", view.frame.to_string()));
    facts.push((
        "Session",
        view.session.map_or_else(
            || "none followed within two minutes".to_owned(),
            |session| format!("#{session} followed"),
        ),
    ));
    // The browser's date formatting: the page need not carry one of its own.
    #[expect(
        clippy::cast_precision_loss,
        reason = "seconds since 1970 fit an f64 exactly"
    )]
    let sent_at = view.ts.map(|ts| {
        // `ts` is whole seconds: no milliseconds to show.
        String::from(js_sys::Date::new(&(ts as f64 * 1000.0).into()).to_iso_string())
            .replace(".000Z", "Z")
    });
    let annex_g: Vec<(&str, &str, Option<String>)> = vec![
        (
            "ts",
            "timestamp",
            view.ts.map(|ts| match &sent_at {
                Some(at) => format!("{ts} ({} {} UTC)", date(at), clock(at)),
                None => ts.to_string(),
            }),
        ),
        ("id", "message id", view.message_id.clone()),
        ("un", "username", view.username.clone()),
        ("cn", "cnonce", view.cnonce.clone()),
        ("sig", "HMAC-SHA1 signature", view.signature.clone()),
    ];
    html! {
        <div class="connection-request-pane" data-testid="connection-request-detail">
            <header class="message-header">
                <h2>{ "⇢ UDP connection request" }</h2>
                <p class="muted">{ "ACS → CPE, one UDP datagram (TR-069 Annex G)" }</p>
            </header>
            <dl class="fields">
                { for facts.into_iter().map(|(name, value)| html! {
                    <><dt>{ name }</dt><dd>{ value }</dd></>
                }) }
            </dl>
            <h3>{ "Annex G values" }</h3>
            <dl class="fields">
                { for annex_g.into_iter().map(|(name, meaning, value)| html! {
                    <>
                        <dt title={meaning}>{ name }</dt>
                        <dd class="mono">{ value.unwrap_or_else(|| "missing".to_owned()) }</dd>
                    </>
                }) }
            </dl>
            if !view.problems.is_empty() {
                <ul class="mismatches" data-testid="udp-problems">
                    { for view.problems.iter().map(|problem| html! { <li>{ problem }</li> }) }
                </ul>
            }
            <AuthDebugger
                explanation={"The CPE's ConnectionRequestPassword: sig is recomputed with it \
                              (HMAC-SHA1 over ts, id, un and cn), here in the browser. It is \
                              never stored or sent."}
                unavailable={match view.signature.as_deref() {
                    None => Some(AttrValue::from("The datagram carries no sig: there is nothing to check.")),
                    Some(REDACTED) => Some(AttrValue::from(
                        "The sender of the link redacted sig: it cannot be checked here.",
                    )),
                    Some(_) => None,
                }}
                on_check={on_check}
            />
        </div>
    }
}

/// The debugger's answer: a headline, then each mismatch with its reason, then the computation.
fn verdict_view(verdict: &Result<AuthVerdict, String>) -> Html {
    let verdict = match verdict {
        Ok(verdict) => verdict,
        Err(reason) => {
            return html! {
                <p class="verdict bad" data-testid="auth-verdict" data-ok="false" role="status">
                    { format!("Not checked: {reason}.") }
                </p>
            };
        }
    };
    let headline = if verdict.ok {
        "✓ Match: the ACS's answer is right for this password.".to_owned()
    } else {
        let fields: Vec<&str> = verdict
            .mismatches
            .iter()
            .map(|m| m.field.as_str())
            .collect();
        format!("✗ No match: {}.", fields.join(", "))
    };
    html! {
        <section
            class={classes!("verdict", if verdict.ok { "good" } else { "bad" })}
            data-testid="auth-verdict"
            data-ok={verdict.ok.to_string()}
            role="status"
        >
            <p class="verdict-headline">{ headline }</p>
            if !verdict.mismatches.is_empty() {
                <ul class="mismatches">
                    { for verdict.mismatches.iter().map(|m| html! {
                        <li data-field={m.field.clone()}>
                            <strong>{ &m.field }</strong>
                            { format!(": expected {}, found {}. ", m.expected, m.found) }
                            <span class="muted">{ &m.explanation }</span>
                        </li>
                    }) }
                </ul>
            }
            { for verdict.notes.iter().map(|note| html! { <p class="note">{ note }</p> }) }
            if !verdict.steps.is_empty() {
                <table class="params auth-steps">
                    <thead><tr><th>{ "Step" }</th><th>{ "Input" }</th><th>{ "Value" }</th></tr></thead>
                    <tbody>
                        { for verdict.steps.iter().map(|step| html! {
                            <tr>
                                <td>{ &step.name }</td>
                                <td class="mono">{ &step.input }</td>
                                <td class="mono">{ &step.value }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
