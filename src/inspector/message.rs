//! The right pane: the selected message, in tabs — Decoded, XML, HTTP, Findings.

use cwmp_codec::model::{ParameterValueStruct, TransferFault};
use cwmp_codec::{Body, Envelope, Rpc, Text};
use cwmp_session::{Capture, Direction, Finding, Message, rule_info};
use yew::prelude::*;

use super::datamodel::{self, Lookup};
use super::format::{
    clock, date, event_meaning, fault_meaning, http_label, pretty_xml, severity_icon,
};
use super::{Select, Tab};
use crate::intake::{SharedCapture, describe_size};

/// Properties of [`MessagePane`].
#[derive(Properties, PartialEq)]
pub struct MessagePaneProps {
    /// The capture.
    pub capture: SharedCapture,
    /// The session (its id).
    pub session: usize,
    /// The message (its index in the session).
    pub message: usize,
    /// The tab shown.
    pub tab: Tab,
    /// Receives [`Select::Tab`].
    pub on_select: Callback<Select>,
}

/// The message pane.
#[function_component]
pub fn MessagePane(props: &MessagePaneProps) -> Html {
    let capture = &props.capture;
    // The data models arrive after the first render; each one that lands renders again.
    let rerender = use_force_update();
    let paths: Vec<String> = capture
        .sessions
        .get(props.session)
        .and_then(|s| s.messages.get(props.message))
        .map(|m| m.parameter_names().into_iter().map(str::to_owned).collect())
        .unwrap_or_default();
    use_effect_with(paths, move |paths| {
        let on_loaded = Callback::from(move |()| rerender.force_update());
        datamodel::ensure(paths.iter().map(String::as_str), &on_loaded);
    });
    let Some(message) = capture
        .sessions
        .get(props.session)
        .and_then(|s| s.messages.get(props.message))
    else {
        return html! {};
    };
    let findings: Vec<&Finding> = capture
        .findings
        .iter()
        .filter(|f| {
            f.messages
                .iter()
                .any(|at| at.session == props.session && at.message == props.message)
        })
        .collect();
    let tab_button = |tab: Tab, label: String| {
        let selected = props.tab == tab;
        html! {
            <button
                class={classes!("tab", selected.then_some("selected"))}
                role="tab"
                data-tab={format!("{tab:?}").to_lowercase()}
                aria-selected={selected.to_string()}
                onclick={props.on_select.reform(move |_: MouseEvent| Select::Tab(tab))}
            >
                { label }
            </button>
        }
    };
    let direction = match message.direction {
        Direction::CpeToAcs => "CPE → ACS",
        Direction::AcsToCpe => "ACS → CPE",
    };
    html! {
        <>
            <header class={classes!("message-header", message.direction.as_str())}>
                <h2 class="pane-title">
                    <span class="direction">{ direction }</span>
                    { " " }
                    { &message.rpc }
                </h2>
                <p class="muted">
                    { format!("#{} in session #{} · {}", message.index, props.session, http_label(message)) }
                    if let Some(id) = &message.cwmp_id {
                        { format!(" · cwmp:ID {id}") }
                    }
                </p>
            </header>
            <div class="tabs" role="tablist">
                { tab_button(Tab::Decoded, "Decoded".to_owned()) }
                { tab_button(Tab::Xml, "XML".to_owned()) }
                { tab_button(Tab::Http, "HTTP".to_owned()) }
                { tab_button(Tab::Findings, format!("Findings ({})", findings.len())) }
            </div>
            <div class="tab-panel" role="tabpanel" data-testid="message-detail">
                { match props.tab {
                    Tab::Decoded => decoded(message),
                    Tab::Xml => xml(capture, message),
                    Tab::Http => http(capture, message),
                    Tab::Findings => findings_list(&findings),
                } }
            </div>
        </>
    }
}

fn decoded(message: &Message) -> Html {
    let summary = &message.summary;
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    if let Some(t) = &message.time {
        fields.push(("Time", format!("{} {} UTC", date(t), clock(t))));
    }
    if let Some(method) = &message.http_method {
        fields.push(("HTTP", method.clone()));
    }
    if let Some(status) = message.http_status {
        fields.push(("HTTP status", status.to_string()));
    }
    if let Some(key) = &summary.command_key {
        fields.push(("CommandKey", key.clone()));
    }
    if let Some(retry) = summary.retry_count {
        fields.push(("RetryCount", retry.to_string()));
    }
    if let Some(hold) = summary.hold_requests {
        fields.push(("HoldRequests", hold.to_string()));
    }
    if let Some((first, last)) = message.frames {
        fields.push((
            "Frames",
            if first == last {
                first.to_string()
            } else {
                format!("{first}–{last}")
            },
        ));
    }
    if let Some(stream) = message.stream {
        fields.push(("TCP stream", stream.to_string()));
    }
    fields.push(("Body", describe_size(message.body_bytes)));
    let rpc = match &message.envelope {
        Some(Envelope {
            body: Body::Rpc(rpc),
            ..
        }) => Some(rpc),
        _ => None,
    };
    html! {
        <>
            if let Some(code) = summary.fault_code {
                <div class="fault-box" role="note">
                    <p class="fault-code">{ format!("✖ Fault {code}") }</p>
                    <p>{ fault_meaning(code) }</p>
                    if let Some(text) = &summary.fault_string {
                        <p class="muted">{ format!("FaultString: {text}") }</p>
                    }
                </div>
            }
            if let Some(error) = &message.decode_error {
                <p class="error">{ format!("Not decoded as CWMP: {error}") }</p>
            }
            if !summary.events.is_empty() {
                <h3>{ "Events" }</h3>
                <dl class="meanings">
                    { for summary.events.iter().map(|code| html! {
                        <>
                            <dt>{ code }</dt>
                            <dd>{ event_meaning(code) }</dd>
                        </>
                    }) }
                </dl>
            }
            <dl class="fields">
                { for fields.into_iter().map(|(name, value)| html! {
                    <><dt>{ name }</dt><dd>{ value }</dd></>
                }) }
            </dl>
            if let Some(rpc) = rpc {
                { rpc_details(rpc) }
            }
            { set_parameter_faults(message) }
            if !message.diagnostics.is_empty() {
                <h3>{ "Decoder notes" }</h3>
                <ul class="diagnostics">
                    { for message.diagnostics.iter().map(|d| html! {
                        <li class={d.severity.as_str()}>
                            <span class="severity">{ format!("{} {}", severity_icon(d.severity), d.code) }</span>
                            { " " }
                            { &d.message }
                        </li>
                    }) }
                </ul>
            }
        </>
    }
}

/// A SetParameterValues fault's list of the parameters that could not be set.
fn set_parameter_faults(message: &Message) -> Html {
    let Some(Envelope {
        body: Body::Fault(fault),
        ..
    }) = &message.envelope
    else {
        return html! {};
    };
    html! {
        <>
                if let Some(detail) = &fault.detail {
                    if !detail.set_parameter_values_faults.is_empty() {
                        <h3>{ "Parameters that could not be set" }</h3>
                        <table class="params">
                            <thead><tr><th>{ "Name" }</th><th>{ "Fault" }</th><th>{ "Meaning" }</th></tr></thead>
                            <tbody>
                                { for detail.set_parameter_values_faults.iter().map(|f| {
                                    let code = f.fault_code.as_ref().and_then(|c| c.value);
                                    html! {
                                        <tr>
                                            <td class="param-name">{ text(f.parameter_name.as_ref()) }</td>
                                            <td>{ f.fault_code.as_ref().map(|c| c.raw.clone()).unwrap_or_default() }</td>
                                            <td>
                                                { code.map(fault_meaning).unwrap_or_default() }
                                                if let Some(s) = &f.fault_string { { format!(" ({})", s.value) } }
                                            </td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    }
                }
        </>
    }
}

fn text(t: Option<&Text>) -> String {
    t.map(|t| t.value.clone()).unwrap_or_default()
}

/// The RPC-specific part: its arguments and parameter tables.
fn rpc_details(rpc: &Rpc) -> Html {
    match rpc {
        Rpc::Inform(inform) => html! {
            <>
                if let Some(id) = &inform.device_id {
                    <h3>{ "DeviceId" }</h3>
                    <dl class="fields">
                        <dt>{ "Manufacturer" }</dt><dd>{ text(id.manufacturer.as_ref()) }</dd>
                        <dt>{ "OUI" }</dt><dd>{ text(id.oui.as_ref()) }</dd>
                        <dt>{ "ProductClass" }</dt><dd>{ text(id.product_class.as_ref()) }</dd>
                        <dt>{ "SerialNumber" }</dt><dd>{ text(id.serial_number.as_ref()) }</dd>
                    </dl>
                }
                if let Some(time) = &inform.current_time {
                    <dl class="fields"><dt>{ "CurrentTime" }</dt><dd>{ time.raw.clone() }</dd></dl>
                }
                { value_table(inform.parameter_list.as_deref()) }
            </>
        },
        Rpc::GetParameterValuesResponse(r) => value_table(r.parameter_list.as_deref()),
        Rpc::SetParameterValues(r) => html! {
            <>
                <dl class="fields">
                    <dt>{ "ParameterKey" }</dt><dd>{ text(r.parameter_key.as_ref()) }</dd>
                </dl>
                { value_table(r.parameter_list.as_deref()) }
            </>
        },
        Rpc::GetParameterValues(r) => name_table(r.parameter_names.as_deref()),
        Rpc::GetParameterAttributes(r) => name_table(r.parameter_names.as_deref()),
        Rpc::GetParameterNames(r) => html! {
            <dl class="fields">
                <dt>{ "ParameterPath" }</dt><dd>{ text(r.parameter_path.as_ref()) }</dd>
                <dt>{ "NextLevel" }</dt>
                <dd>{ r.next_level.as_ref().map(|n| n.raw.clone()).unwrap_or_default() }</dd>
            </dl>
        },
        Rpc::GetParameterNamesResponse(r) => {
            let rows = r.parameter_list.as_deref().unwrap_or_default();
            table(
                "Parameters",
                &["Name", "Writable"],
                rows.iter().map(|p| {
                    vec![
                        text(p.name.as_ref()),
                        p.writable
                            .as_ref()
                            .map(|w| w.raw.clone())
                            .unwrap_or_default(),
                    ]
                }),
                rows.len(),
            )
        }
        Rpc::GetParameterAttributesResponse(r) => attribute_table(
            r.parameter_list
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    (
                        p.name.as_ref(),
                        p.notification.as_ref().map(|n| n.raw.clone()),
                        p.access_list.as_deref(),
                    )
                }),
        ),
        Rpc::SetParameterAttributes(r) => attribute_table(
            r.parameter_list
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    (
                        p.name.as_ref(),
                        p.notification.as_ref().map(|n| n.raw.clone()),
                        p.access_list.as_deref(),
                    )
                }),
        ),
        Rpc::AddObject(r) => object_fields(r.object_name.as_ref(), r.parameter_key.as_ref()),
        Rpc::DeleteObject(r) => object_fields(r.object_name.as_ref(), r.parameter_key.as_ref()),
        Rpc::GetRpcMethodsResponse(r) => name_table(r.method_list.as_deref()),
        Rpc::TransferComplete(r) => transfer_fault(r.fault_struct.as_ref()),
        Rpc::AutonomousTransferComplete(r) => transfer_fault(r.fault_struct.as_ref()),
        _ => html! {},
    }
}

/// Name, notification and access list of each parameter, as GetParameterAttributesResponse and
/// SetParameterAttributes list them (their structs differ only in the Set flags).
fn attribute_table<'a>(
    rows: impl ExactSizeIterator<Item = (Option<&'a Text>, Option<String>, Option<&'a [Text]>)>,
) -> Html {
    let len = rows.len();
    table(
        "Parameters",
        &["Name", "Notification", "AccessList"],
        rows.map(|(name, notification, access)| {
            vec![
                text(name),
                notification.unwrap_or_default(),
                access_list(access),
            ]
        }),
        len,
    )
}

fn access_list(list: Option<&[Text]>) -> String {
    list.unwrap_or_default()
        .iter()
        .map(|t| t.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn object_fields(name: Option<&Text>, key: Option<&Text>) -> Html {
    html! {
        <dl class="fields">
            <dt>{ "ObjectName" }</dt><dd class="param-name">{ text(name) }</dd>
            <dt>{ "ParameterKey" }</dt><dd>{ text(key) }</dd>
        </dl>
    }
}

fn transfer_fault(fault: Option<&TransferFault>) -> Html {
    let Some(fault) = fault else {
        return html! {};
    };
    let code = fault.fault_code.as_ref().and_then(|c| c.value);
    html! {
        <dl class="fields">
            <dt>{ "FaultStruct" }</dt>
            <dd>
                { code.map(|c| format!("{c}: {}", fault_meaning(c))).unwrap_or_default() }
                if let Some(s) = &fault.fault_string {
                    if !s.value.is_empty() { { format!(" ({})", s.value) } }
                }
            </dd>
        </dl>
    }
}

/// Name, type and value of each parameter, as written.
fn value_table(list: Option<&[ParameterValueStruct]>) -> Html {
    let rows = list.unwrap_or_default();
    table(
        "Parameters",
        &["Name", "Type", "Value"],
        rows.iter().map(|p| {
            let value = p.value.as_ref();
            vec![
                text(p.name.as_ref()),
                value
                    .and_then(|v| v.xsi_type.as_ref())
                    .map_or_else(|| "—".to_owned(), |t| t.raw.clone()),
                value.map(|v| v.raw.clone()).unwrap_or_default(),
            ]
        }),
        rows.len(),
    )
}

fn name_table(list: Option<&[Text]>) -> Html {
    let rows = list.unwrap_or_default();
    table(
        "Names",
        &["Name"],
        rows.iter().map(|t| vec![t.value.clone()]),
        rows.len(),
    )
}

fn table(
    title: &str,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    len: usize,
) -> Html {
    html! {
        <>
            <h3>{ format!("{title} ({len})") }</h3>
            <table class="params" data-testid="parameters">
                <thead>
                    <tr>{ for columns.iter().map(|c| html! { <th>{ *c }</th> }) }</tr>
                </thead>
                <tbody>
                    { for rows.map(|cells| html! {
                        <tr>
                            { for cells.into_iter().enumerate().map(|(i, cell)| {
                                let class = if i == 0 { "param-name" } else if i + 1 == columns.len() { "param-value" } else { "param-type" };
                                if i == 0 {
                                    html! {
                                        <td class={class} title={cell.clone()}>
                                            { breakable_path(&cell) }
                                            { model_note(&cell) }
                                        </td>
                                    }
                                } else {
                                    html! { <td class={class}>{ cell }</td> }
                                }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}

/// What the BBF data model says about a path: access, type and description, under the name.
fn model_note(path: &str) -> Html {
    let (class, text, title) = match datamodel::lookup(path) {
        Lookup::Defined(entry) => {
            let access = if entry.writable {
                "read-write"
            } else {
                "read-only"
            };
            (
                "dm",
                format!("{access} · {} — {}", entry.kind, entry.description),
                format!(
                    "{} ({access}, {})\n{}",
                    entry.path, entry.kind, entry.description
                ),
            )
        }
        Lookup::Vendor => (
            "dm vendor",
            "vendor extension, not in the BBF model".to_owned(),
            String::new(),
        ),
        Lookup::Undefined => (
            "dm vendor",
            "not in the BBF model".to_owned(),
            String::new(),
        ),
        Lookup::Loading => (
            "dm loading",
            "data model: loading…".to_owned(),
            String::new(),
        ),
        Lookup::Failed(why) => (
            "dm vendor",
            format!("data model unavailable: {why}"),
            String::new(),
        ),
        Lookup::NoModel => return html! {},
    };
    html! { <div class={class} data-testid="datamodel" title={title}>{ text }</div> }
}

/// A parameter path that wraps after its dots rather than inside a name.
fn breakable_path(path: &str) -> Html {
    let mut parts = path.split_inclusive('.').peekable();
    html! {
        { for std::iter::from_fn(move || {
            let part = parts.next()?;
            Some(if parts.peek().is_some() {
                html! { <>{ part.to_owned() }<wbr /></> }
            } else {
                html! { { part.to_owned() } }
            })
        }) }
    }
}

/// The HTTP message that carried `message`: the request for the CPE's, the response for the ACS's.
fn http_message<'a>(
    capture: &'a Capture,
    message: &Message,
) -> Option<&'a cwmp_capture::HttpMessage> {
    let exchange = capture.exchanges.get(message.exchange)?;
    match message.direction {
        Direction::CpeToAcs => exchange.request.as_ref(),
        Direction::AcsToCpe => exchange.response.as_ref(),
    }
}

fn xml(capture: &Capture, message: &Message) -> Html {
    let Some(http) = http_message(capture, message) else {
        return html! { <p class="note">{ "The HTTP message is not in the capture." }</p> };
    };
    if http.body.is_empty() {
        return html! { <p class="note">{ "Empty body." }</p> };
    }
    let body = String::from_utf8_lossy(&http.body);
    // A text node: the browser shows markup in it as characters, never as elements.
    html! {
        <pre class="code xml" data-testid="xml">{ pretty_xml(&body) }</pre>
    }
}

fn http(capture: &Capture, message: &Message) -> Html {
    let Some(http) = http_message(capture, message) else {
        return html! { <p class="note">{ "The HTTP message is not in the capture." }</p> };
    };
    let start = match &http.start {
        cwmp_capture::StartLine::Request {
            method,
            target,
            minor_version,
        } => {
            format!("{method} {target} HTTP/1.{minor_version}")
        }
        cwmp_capture::StartLine::Response {
            minor_version,
            status,
            reason,
        } => {
            format!("HTTP/1.{minor_version} {status} {reason}")
        }
    };
    let mut head = start;
    for header in &http.headers {
        head.push('\n');
        head.push_str(&header.name);
        head.push_str(": ");
        head.push_str(&header.value);
    }
    let mut facts = vec![format!("body {}", describe_size(http.body.len()))];
    if let Some(coding) = &http.decoded_encoding {
        facts.push(format!("decompressed from {coding}"));
    }
    if let (Some(src), Some(dst)) = (http.src, http.dst) {
        facts.push(format!("{src} → {dst}"));
    }
    html! {
        <>
            <pre class="code http" data-testid="http">{ head }</pre>
            <p class="note">{ facts.join(" · ") }</p>
            { for http.errors.iter().map(|e| html! { <p class="error">{ e.to_string() }</p> }) }
        </>
    }
}

fn findings_list(findings: &[&Finding]) -> Html {
    if findings.is_empty() {
        return html! { <p class="note">{ "No finding concerns this message." }</p> };
    }
    html! {
        <ul class="message-findings">
            { for findings.iter().map(|finding| {
                let title = rule_info(&finding.rule).map(|info| info.title);
                html! {
                    <li class={classes!("finding-card", finding.severity.as_str())} data-rule={finding.rule.clone()}>
                        <p class="finding-head">
                            <span class="severity">
                                { format!("{} {}", severity_icon(finding.severity), finding.severity.as_str()) }
                            </span>
                            <span class="rule">{ &finding.rule }</span>
                            <span class="spec">{ &finding.spec }</span>
                        </p>
                        if let Some(title) = title {
                            <p class="rule-title">{ title }</p>
                        }
                        <p>{ &finding.message }</p>
                    </li>
                }
            }) }
        </ul>
    }
}
