//! The right pane: the selected message, in tabs — Decoded, XML, HTTP, Findings.

use std::rc::Rc;

use cwmp_codec::XmlElement;
use cwmp_session::{Capture, Direction, Finding, Message, rule_info};
use yew::prelude::*;

use super::datamodel::{self, Lookup};
use super::decoded::DecodedCache;
use super::format::{
    XmlLine, clock, date, event_meaning, fault_meaning, http_label, pretty_xml_lines, refusal,
    severity_icon,
};
use super::tree::{self, BodySpan, Details};
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
    let cache = use_context::<DecodedCache>().unwrap_or_default();
    let selected = capture
        .sessions
        .get(props.session)
        .and_then(|s| s.messages.get(props.message));
    // Read now, on the page: the worker does not send envelopes.
    let tree = selected.and_then(|m| cache.0.tree(capture, m));
    let paths: Rc<[String]> =
        selected.map_or_else(|| Rc::from([]), |m| cache.0.parameter_names(capture, m));
    use_effect_with(paths, move |paths| {
        let on_loaded = Callback::from(move |()| rerender.force_update());
        datamodel::ensure(paths.iter().map(String::as_str), &on_loaded);
    });
    // The span "show in XML" asked for, with the message it belongs to.
    let xml_focus = use_state(|| None::<(usize, usize, BodySpan)>);
    let focus = (*xml_focus)
        .filter(|&(session, message, _)| session == props.session && message == props.message)
        .map(|(_, _, span)| span);
    let show_in_xml = {
        let xml_focus = xml_focus.clone();
        let on_select = props.on_select.clone();
        let (session, message) = (props.session, props.message);
        ShowInXml(Callback::from(move |span: BodySpan| {
            xml_focus.set(Some((session, message, span)));
            on_select.emit(Select::Tab(Tab::Xml));
        }))
    };
    // Bring the highlighted lines into view when the XML tab opens on them.
    use_effect_with((props.tab, focus), |&(tab, focus)| {
        if tab == Tab::Xml
            && focus.is_some()
            && let Ok(Some(line)) = gloo::utils::document().query_selector("[data-testid=xml] .hl")
        {
            line.scroll_into_view();
        }
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
                data-tab={format!("{tab:?}").to_ascii_lowercase()}
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
        <ContextProvider<ShowInXml> context={show_in_xml}>
            <header class={classes!("message-header", message.direction.as_str())}>
                <h2 class="pane-title">
                    <span class="direction">{ direction }</span>
                    { " " }
                    { refusal(message).unwrap_or_else(|| message.rpc.clone()) }
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
                    Tab::Decoded => decoded(message, tree.as_deref()),
                    Tab::Xml => xml(capture, message, focus),
                    Tab::Http => http(capture, message),
                    Tab::Findings => findings_list(&findings),
                } }
            </div>
        </ContextProvider<ShowInXml>>
    }
}

fn decoded(message: &Message, tree: Option<&XmlElement>) -> Html {
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
    if let Some(authorization) = &summary.authorization {
        fields.push(("Authorization", authorization.clone()));
    }
    // CommandKey and RetryCount are among the RPC's arguments, read from the body.
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
    let details = tree.map(tree::details);
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
            if let Some(status) = refusal(message) {
                <p class="fault-box" role="note" data-testid="refusal">
                    { refusal_text(&status, summary.challenge.as_ref()) }
                </p>
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
            if let Some(details) = &details {
                { rpc_view(details) }
            }
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

/// What an HTTP refusal says: its status, its challenge and what the CPE does next.
fn refusal_text(status: &str, challenge: Option<&String>) -> String {
    format!(
        "✖ {status}. Challenge: {}. The ACS refused the POST at the HTTP level: the CPE sends it \
         again with an Authorization header answering the challenge (TR-069 §3.4.4; RFC 7616 \
         for Digest, RFC 7617 for Basic).",
        challenge.map_or("none", String::as_str)
    )
}

/// The RPC as read from the body: its arguments, its groups and its lists.
fn rpc_view(details: &Details) -> Html {
    let dl = |fields: &[(String, String)]| {
        html! {
            <dl class="fields">
                { for fields.iter().map(|(name, value)| {
                    // A fault code reads with its meaning, as everywhere else.
                    let meaning = (name == "FaultCode")
                        .then(|| value.trim().parse::<u32>().ok())
                        .flatten()
                        .map(|code| format!(" — {}", fault_meaning(code)))
                        .unwrap_or_default();
                    html! { <><dt>{ name }</dt><dd class="value">{ value }{ meaning }</dd></> }
                }) }
            </dl>
        }
    };
    html! {
        <>
            if !details.arguments.is_empty() {
                <h3>{ format!("{} arguments", details.rpc) }</h3>
                { dl(&details.arguments) }
            }
            { for details.groups.iter().map(|(name, fields)| html! {
                <>
                    <h3>{ name }</h3>
                    { dl(fields) }
                </>
            }) }
            { for details.tables.iter().map(fault_meanings).map(|t| table(t.title, t.columns, t.rows)) }
        </>
    }
}

/// A table with a FaultCode column gains a Meaning column after it.
fn fault_meanings(table: &tree::Table) -> tree::Table {
    let mut table = table.clone();
    if let Some(at) = table.columns.iter().position(|c| c == "FaultCode") {
        table.columns.insert(at + 1, "Meaning".to_owned());
        for (cells, _) in &mut table.rows {
            let meaning = cells
                .get(at)
                .and_then(|code| code.trim().parse::<u32>().ok())
                .map(fault_meaning)
                .unwrap_or_default();
            cells.insert(at + 1, meaning);
        }
    }
    table
}

/// "Show in XML": the message pane switches to the XML tab with this span highlighted. Tables
/// deep in the Decoded tab reach it through a context rather than through every function.
#[derive(Clone, PartialEq)]
struct ShowInXml(Callback<BodySpan>);

/// One row of a parameter table: its cells, and where it stands in the body.
#[derive(Clone, Debug, PartialEq)]
struct ParamRow {
    cells: Vec<String>,
    span: Option<BodySpan>,
}

fn table(title: String, columns: Vec<String>, rows: Vec<(Vec<String>, Option<BodySpan>)>) -> Html {
    let rows: Vec<ParamRow> = rows
        .into_iter()
        .map(|(cells, span)| ParamRow { cells, span })
        .collect();
    html! { <ParamTable title={title} columns={Rc::new(columns)} rows={Rc::new(rows)} /> }
}

#[derive(Properties, PartialEq)]
struct ParamTableProps {
    title: AttrValue,
    columns: Rc<Vec<String>>,
    rows: Rc<Vec<ParamRow>>,
}

/// How a table is sorted: by a column, ascending or not; `None` keeps the message's order.
type SortOrder = Option<(usize, bool)>;

/// Compares cells as integers when both are, else as text (case-insensitive).
fn compare_cells(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => super::format::lowercase(a)
            .cmp(&super::format::lowercase(b))
            .then_with(|| a.cmp(b)),
    }
}

/// A parameter table whose column headers sort it (click: ascending, again: descending, a third
/// time: the message's order), with a "show in XML" link on each row that has a span.
#[function_component]
fn ParamTable(props: &ParamTableProps) -> Html {
    let sort = use_state(|| None::<(usize, bool)>);
    let show = use_context::<ShowInXml>();
    let mut order: Vec<(usize, &ParamRow)> = props.rows.iter().enumerate().collect();
    if let Some((column, ascending)) = *sort {
        // Unstable sort with the message's order as the tie-break: as stable, and less code.
        order.sort_unstable_by(|(i, a), (j, b)| {
            let a = a.cells.get(column).map_or("", String::as_str);
            let b = b.cells.get(column).map_or("", String::as_str);
            let ordering = compare_cells(a, b);
            if ascending {
                ordering
            } else {
                ordering.reverse()
            }
            .then(i.cmp(j))
        });
    }
    let header = |index: usize, name: &str| {
        let current: SortOrder = *sort;
        let onclick = {
            let sort = sort.clone();
            Callback::from(move |_: MouseEvent| {
                sort.set(match current {
                    Some((c, true)) if c == index => Some((index, false)),
                    Some((c, false)) if c == index => None,
                    _ => Some((index, true)),
                });
            })
        };
        let (mark, aria) = match current {
            Some((c, true)) if c == index => (" ▲", "ascending"),
            Some((c, false)) if c == index => (" ▼", "descending"),
            _ => ("", "none"),
        };
        html! {
            <th aria-sort={aria}>
                <button class="sort" data-testid="sort" onclick={onclick} title={format!("Sort by {name}")}>
                    { name }{ mark }
                </button>
            </th>
        }
    };
    let last = props.columns.len().saturating_sub(1);
    html! {
        <>
            <h3>{ format!("{} ({})", props.title, props.rows.len()) }</h3>
            <table class="params" data-testid="parameters">
                <thead>
                    <tr>{ for props.columns.iter().enumerate().map(|(i, c)| header(i, c)) }</tr>
                </thead>
                <tbody>
                    { for order.into_iter().map(|(_, row)| {
                        let span = row.span;
                        html! {
                        <tr>
                            { for row.cells.iter().enumerate().map(|(i, cell)| {
                                let class = if i == 0 { "param-name" } else if i == last { "param-value" } else { "param-type" };
                                if i == 0 {
                                    html! {
                                        <td class={class} title={cell.clone()}>
                                            { breakable_path(cell) }
                                            if let (Some(span), Some(show)) = (span, &show) {
                                                <button
                                                    class="quiet show-xml"
                                                    data-testid="show-xml"
                                                    title="Show this element in the XML"
                                                    onclick={show.0.reform(move |_: MouseEvent| span)}
                                                >
                                                    { "</>" }
                                                </button>
                                            }
                                            { model_note(cell) }
                                        </td>
                                    }
                                } else {
                                    html! { <td class={class}>{ cell.clone() }</td> }
                                }
                            }) }
                        </tr>
                    }}) }
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

/// Bodies with more lines than this are shown without syntax colouring: one text node per line
/// is cheap, five per line is not.
const COLOURED_LINES: usize = 4000;

fn xml(capture: &Capture, message: &Message, focus: Option<BodySpan>) -> Html {
    let Some(http) = http_message(capture, message) else {
        return html! { <p class="note">{ "The HTTP message is not in the capture." }</p> };
    };
    if http.body.is_empty() {
        return html! { <p class="note">{ "Empty body." }</p> };
    }
    let body = String::from_utf8_lossy(&http.body);
    let lines = pretty_xml_lines(&body);
    let coloured = lines.len() <= COLOURED_LINES;
    // Text nodes only: the browser shows markup in them as characters, never as elements.
    html! {
        <>
            if focus.is_some() {
                <p class="note xml-focus-note">{ "Highlighted: the element chosen in the Decoded tab." }</p>
            }
            <pre class={classes!("code", "xml", coloured.then_some("coloured"))} data-testid="xml">
                { for lines.iter().map(|line| xml_line(line, focus, coloured)) }
            </pre>
        </>
    }
}

fn xml_line(line: &XmlLine<'_>, focus: Option<BodySpan>, coloured: bool) -> Html {
    let highlighted = focus.is_some_and(|(start, end)| line.overlaps(start, end));
    let class = classes!("xml-line", highlighted.then_some("hl"));
    if !coloured {
        return html! { <span class={class}>{ format!("{}{}\n", line.indent(), line.pieces.concat()) }</span> };
    }
    html! {
        <span class={class}>
            { line.indent() }
            { for line.pieces.iter().map(|piece| {
                let kind = if piece.starts_with("<!--") {
                    "x-comment"
                } else if piece.starts_with('<') {
                    "x-tag"
                } else {
                    "x-text"
                };
                html! { <span class={kind}>{ *piece }</span> }
            }) }
            { "\n" }
        </span>
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
