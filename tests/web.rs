//! The app in a real browser (headless Chromium through wasm-bindgen-test-runner): the first
//! screen renders, a paste is decoded and echoed with its detected format, and the inspector
//! draws the session list and the ladder of a capture.

use std::time::Duration;

use std::rc::Rc;

use cwmp_session::State;
use yew::Reducible;

use cwmp_inspector::App;
use cwmp_inspector::inspector::{
    Decoded, Filter, Inspector, InspectorProps, ReplayAction, Select, Selection, Speed, Term,
    clock, counter, offset, pretty_xml, pretty_xml_lines, state_name,
};
use cwmp_inspector::intake::{LoadedInput, SharedCapture, describe_size};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh App in its own element and returns that element.
async fn mount_app() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#drop-zone").await;
    root
}

/// How long a test waits for the page to reach a state. Generous: on a loaded CI machine what
/// takes milliseconds may take seconds, and a passing test never waits this long.
const DEADLINE: Duration = Duration::from_secs(15);

/// Polls `condition` every few milliseconds until it holds; false when `deadline` passes first.
/// Tests wait for what they will assert, never for a number of ticks: rendering takes as many
/// browser turns as it takes.
async fn poll_until(mut condition: impl FnMut() -> bool, deadline: Duration) -> bool {
    let started = js_sys::Date::now();
    loop {
        if condition() {
            return true;
        }
        if js_sys::Date::now() - started > deadline.as_secs_f64() * 1000.0 {
            return false;
        }
        gloo::timers::future::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until `condition` holds, and fails the test saying `what` it waited for when
/// `deadline` passes first.
async fn wait_until(condition: impl FnMut() -> bool, deadline: Duration, what: &str) {
    assert!(
        poll_until(condition, deadline).await,
        "waited {deadline:?} for {what}, in vain"
    );
}

/// Waits until `selector` matches inside `root`.
async fn wait_for(root: &Element, selector: &str) {
    wait_until(
        || root.query_selector(selector).unwrap().is_some(),
        DEADLINE,
        &format!("{selector} to appear"),
    )
    .await;
}

/// Waits until `selector` no longer matches inside `root`.
async fn wait_gone(root: &Element, selector: &str) {
    wait_until(
        || root.query_selector(selector).unwrap().is_none(),
        DEADLINE,
        &format!("{selector} to go"),
    )
    .await;
}

/// Waits until `selector` matches exactly `count` elements inside `root`.
async fn wait_count(root: &Element, selector: &str, count: usize) {
    let seen = std::cell::Cell::new(0);
    let reached = poll_until(
        || {
            seen.set(root.query_selector_all(selector).unwrap().length() as usize);
            seen.get() == count
        },
        DEADLINE,
    )
    .await;
    assert!(
        reached,
        "waited {DEADLINE:?} for {count} of {selector}, still {}",
        seen.get()
    );
}

/// Waits until the inspector in `root` listens to the keyboard (its listener is attached by an
/// effect after the first render): `?` opens the shortcuts sheet once it does; then closes it.
async fn wait_for_keyboard(root: &Element) {
    wait_until(
        || {
            let open = root
                .query_selector("[data-testid=shortcuts]")
                .unwrap()
                .is_some();
            if !open {
                press("?");
            }
            open
        },
        DEADLINE,
        "the inspector to answer the ? key",
    )
    .await;
    click(&find::<Element>(root, "[data-testid=shortcuts] button"));
    wait_gone(root, "[data-testid=shortcuts]").await;
}

fn find<T: JsCast>(root: &Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is not on the page"))
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn first_screen_offers_every_way_in() {
    let root = mount_app().await;
    let text = root.text_content().unwrap();
    assert!(text.contains("cwmp-inspector"), "{text}");
    assert!(text.contains("Drop a capture here"), "{text}");
    assert!(text.contains("Open file…"), "{text}");
    assert!(text.contains("Nothing is uploaded"), "{text}");
    let picker: web_sys::HtmlInputElement = find(&root, "#file-input");
    assert_eq!(picker.type_(), "file");
    assert!(root.query_selector(".loaded-input").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn pasted_soap_is_echoed_as_xml() {
    let root = mount_app().await;
    let paste_box: HtmlTextAreaElement = find(&root, "#paste-box");
    let envelope = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>";
    paste_box.set_value(envelope);
    find::<HtmlElement>(&root, "#paste-load").click();
    // The analysis runs one browser turn after the click, then the inspector shows.
    wait_for(&root, ".inspector").await;
    find::<HtmlElement>(&root, "#new-capture").click();
    wait_for(&root, ".loaded-input").await;
    let row: Element = find(&root, ".loaded-input");
    assert_eq!(row.get_attribute("data-format").as_deref(), Some("XML"));
    let text = row.text_content().unwrap();
    assert!(text.contains("pasted text"), "{text}");
    assert!(
        text.contains(&format!("{} bytes", envelope.len())),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn about_shows_the_version_and_closes() {
    let root = mount_app().await;
    find::<HtmlElement>(&root, "#about-open").click();
    wait_for(&root, "#about").await;
    let about: Element = find(&root, "#about");
    let text = about.text_content().unwrap();
    assert!(
        text.contains(&format!("Version {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    find::<HtmlElement>(&root, "#about-close").click();
    wait_gone(&root, "#about").await;
}

#[wasm_bindgen_test]
fn sizes_read_as_engineers_expect() {
    assert_eq!(describe_size(0), "0 bytes");
    assert_eq!(describe_size(1), "1 byte");
    assert_eq!(describe_size(1023), "1,023 bytes");
    assert_eq!(describe_size(88_103), "88,103 bytes (86.0 KiB)");
    assert_eq!(describe_size(5 * 1024 * 1024), "5,242,880 bytes (5.0 MiB)");
}

#[wasm_bindgen_test]
fn recognising_uses_content_not_name() {
    let bytes = js_sys::Uint8Array::from(&b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00"[..]);
    let input = LoadedInput::recognise("capture.xml", &bytes);
    assert_eq!(input.format.short_name(), "pcap");
    assert_eq!(input.size, 8);
}

#[wasm_bindgen_test]
fn recognising_a_large_input_keeps_its_whole_size() {
    // Only the start is read for the format; the size is the whole input's.
    let mut text = b"{\"log\": {\"entries\": [".to_vec();
    text.resize(200 * 1024, b' ');
    text.extend_from_slice(b"]}}");
    let input = LoadedInput::recognise("big.har", &js_sys::Uint8Array::from(text.as_slice()));
    assert_eq!(input.format.short_name(), "JSON");
    assert_eq!(input.size, 200 * 1024 + 3);
}

/// A SOAP envelope with a cwmp:ID header around `body`.
fn envelope(id: &str, body: &str) -> String {
    format!(
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\
         <soap:Header><cwmp:ID soap:mustUnderstand=\"1\">{id}</cwmp:ID></soap:Header>\
         <soap:Body>{body}</soap:Body></soap:Envelope>"
    )
}

/// One session as an HTTP transcript: Inform, InformResponse, empty POST, GetParameterValues,
/// a 9005 Fault, and the ACS's 204.
fn transcript() -> String {
    transcript_asking(
        "<cwmp:GetParameterValues><ParameterNames><string>Device.DeviceInfo.UpTime</string>\
         </ParameterNames></cwmp:GetParameterValues>",
    )
}

/// [`transcript`] with another request of the ACS, which the CPE answers with a 9005 Fault.
fn transcript_asking(request_body: &str) -> String {
    let inform = envelope(
        "1",
        "<cwmp:Inform><DeviceId><Manufacturer>Acme</Manufacturer><OUI>001122</OUI>\
         <ProductClass>Router</ProductClass><SerialNumber>SN1</SerialNumber></DeviceId>\
         <Event><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct>\
         </Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-01-01T00:00:00Z</CurrentTime>\
         <RetryCount>0</RetryCount><ParameterList><ParameterValueStruct>\
         <Name>Device.DeviceInfo.SoftwareVersion</Name><Value xsi:type=\"xsd:string\">1.0</Value>\
         </ParameterValueStruct></ParameterList></cwmp:Inform>",
    );
    let inform_response = envelope(
        "1",
        "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>",
    );
    let get = envelope("2", request_body);
    let fault = envelope(
        "2",
        "<soap:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail>\
         <cwmp:Fault><FaultCode>9005</FaultCode><FaultString>Invalid parameter name</FaultString>\
         </cwmp:Fault></detail></soap:Fault>",
    );
    let request = |body: &str, cookie: bool| {
        let cookie = if cookie { "Cookie: s=1\r\n" } else { "" };
        format!(
            "POST /acs HTTP/1.1\r\nHost: acs.example\r\n{cookie}Content-Length: {}\r\n\r\n{body}\r\n",
            body.len()
        )
    };
    let response = |body: &str, status: &str| {
        format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\n\r\n{body}\r\n",
            body.len()
        )
    };
    [
        request(&inform, false),
        response(&inform_response, "200 OK"),
        request("", true),
        response(&get, "200 OK"),
        request(&fault, true),
        response("", "204 No Content"),
    ]
    .concat()
}

/// Mounts an Inspector for `bytes`, analysed as the app does.
async fn mount_inspector(bytes: &[u8]) -> Element {
    mount_analysed(cwmp_session::analyse(bytes, Some("test")), bytes.len()).await
}

/// Mounts an Inspector for a capture already analysed.
async fn mount_analysed(capture: cwmp_session::Capture, size: usize) -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let bytes_len = size;
    let props = InspectorProps {
        name: "test".into(),
        format: "HTTP text".into(),
        size: bytes_len,
        capture: SharedCapture(Rc::new(capture)),
        on_back: yew::Callback::noop(),
        on_about: yew::Callback::noop(),
        start_at: None,
        embed: false,
        input: None,
    };
    yew::Renderer::<Inspector>::with_root_and_props(root.clone(), props).render();
    wait_for(&root, "main.inspector").await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into().unwrap())
        .collect()
}

fn has_class(element: &Element, class: &str) -> bool {
    element
        .get_attribute("class")
        .is_some_and(|classes| classes.split_whitespace().any(|c| c == class))
}

fn click(element: &Element) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("click", &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn an_encrypted_capture_says_so_and_what_would_open_it() {
    // Made by tests/e2e/vectors/gen.py: two TLS connections of a CPE to its ACS, on 7547 and 443.
    let root = mount_inspector(include_bytes!(
        "../crates/cwmp-capture/tests/vectors/tls/tls-only.pcap"
    ))
    .await;
    wait_for(&root, "[data-testid=encrypted-note]").await;
    let note = text_of(&root, "[data-testid=encrypted-note]");
    assert!(note.contains("2 TLS connections"), "{note}");
    assert!(note.contains("TLS key log"), "{note}");
    assert!(note.contains("from the ACS or the CPE"), "{note}");
    let rows: Vec<String> = all(&root, "[data-testid=tls-connection]")
        .iter()
        .map(|row| row.text_content().unwrap())
        .collect();
    assert_eq!(
        rows,
        [
            "198.51.100.7:49300 → 192.0.2.10:7547 · SNI acs.example.net · TLS 1.2",
            "198.51.100.7:49301 → 192.0.2.10:443 · SNI acs.example.net · TLS 1.3",
        ]
    );
    assert!(
        !root
            .text_content()
            .unwrap()
            .contains("No CWMP session in this input")
    );
}

#[wasm_bindgen_test]
async fn session_list_shows_events_rpcs_and_badges() {
    let root = mount_inspector(transcript().as_bytes()).await;
    let sessions = all(&root, "[data-testid=session]");
    assert_eq!(sessions.len(), 1);
    let row = &sessions[0];
    assert_eq!(row.get_attribute("data-session-id").as_deref(), Some("0"));
    assert!(has_class(row, "selected"));
    let text = row.text_content().unwrap();
    assert!(text.contains("1 BOOT"), "{text}");
    assert!(text.contains("Inform · GPV"), "{text}");
    assert!(text.contains("9005 Invalid parameter name"), "{text}");
    let device = find::<Element>(&root, ".device-header")
        .text_content()
        .unwrap();
    assert!(device.contains("Acme Router"), "{device}");
    assert!(device.contains("SN1"), "{device}");
    let chip = find::<Element>(&root, "[data-testid=import-summary]")
        .text_content()
        .unwrap();
    assert!(chip.contains("6 HTTP messages"), "{chip}");
    assert!(chip.contains("1 session"), "{chip}");
}

#[wasm_bindgen_test]
async fn ladder_draws_one_arrow_per_message_and_selects_on_click() {
    let root = mount_inspector(transcript().as_bytes()).await;
    let arrows = all(&root, "[data-testid=message]");
    let rpcs: Vec<String> = arrows
        .iter()
        .map(|a| a.get_attribute("data-rpc").unwrap())
        .collect();
    assert_eq!(
        rpcs,
        [
            "Inform",
            "InformResponse",
            "Empty",
            "GetParameterValues",
            "Fault",
            "Empty"
        ]
    );
    let directions: Vec<String> = arrows
        .iter()
        .map(|a| a.get_attribute("data-direction").unwrap())
        .collect();
    assert_eq!(directions[0], "cpe-to-acs");
    assert_eq!(directions[1], "acs-to-cpe");
    assert!(has_class(&arrows[0], "selected"));
    let fault_label = arrows[4].query_selector(".label").unwrap().unwrap();
    assert_eq!(
        fault_label.text_content().unwrap(),
        "Fault · 9005 Invalid parameter name"
    );
    assert!(has_class(&arrows[4], "fault"));
    // The Inform's findings (missing arrayType) put a marker on its arrow.
    assert!(arrows[0].query_selector(".marker").unwrap().is_some());

    click(&arrows[4]);
    wait_for(&root, "[data-testid=message][data-index='4'].selected").await;
    let arrows = all(&root, "[data-testid=message]");
    assert!(has_class(&arrows[4], "selected"));
    assert!(!has_class(&arrows[0], "selected"));
    let detail = find::<Element>(&root, "[data-testid=message-detail]")
        .text_content()
        .unwrap();
    assert!(detail.contains("Fault 9005"), "{detail}");
    assert!(detail.contains("Invalid parameter name"), "{detail}");
}

#[wasm_bindgen_test]
async fn arrow_keys_move_between_sessions() {
    let pcap = include_bytes!(
        "../crates/cwmp-capture/tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap"
    );
    let root = mount_inspector(pcap).await;
    assert_eq!(all(&root, "[data-testid=session]").len(), 3);
    assert_eq!(all(&root, "[data-testid=message]").len(), 10);
    wait_for_keyboard(&root).await;
    press("ArrowDown");
    wait_for(&root, "[data-testid=session][data-session-id='1'].selected").await;
    wait_count(&root, "[data-testid=message]", 14).await;
}

#[wasm_bindgen_test]
fn xml_is_indented_with_text_kept_inline() {
    let xml = "<?xml version=\"1.0\"?><a x=\"1>2\"><b>text</b><c/><d></d><!-- hi --></a>";
    assert_eq!(
        pretty_xml(xml),
        "<?xml version=\"1.0\"?>\n<a x=\"1>2\">\n  <b>text</b>\n  <c/>\n  <d></d>\n  <!-- hi -->\n</a>"
    );
    assert_eq!(
        pretty_xml("<a>\n    <b>1</b>\n</a>\n"),
        "<a>\n  <b>1</b>\n</a>"
    );
}

#[wasm_bindgen_test]
fn times_read_to_the_millisecond() {
    assert_eq!(clock("2022-04-25T16:11:42.630372Z"), "16:11:42.630");
    assert_eq!(clock("2022-04-25T16:11:42Z"), "16:11:42");
    assert_eq!(offset(1_000_000_000, 1_082_343_000), "+0.082");
}

const BAICELLS: &[u8] =
    include_bytes!("../crates/cwmp-capture/tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap");

/// Non-ASCII text is lower-cased by the browser (the page carries no Unicode case tables), with
/// the same result as `str::to_lowercase`.
#[wasm_bindgen_test]
fn filter_lower_cases_non_ascii_text() {
    let filter = Filter::parse("Ünïcode serial:ÉTAT-Ω");
    assert_eq!(
        filter.terms(),
        [
            Term::Text("Ünïcode".to_lowercase()),
            Term::Serial("ÉTAT-Ω".to_lowercase()),
        ]
    );
}

#[wasm_bindgen_test]
fn filter_terms_parse_by_key_and_lower_case() {
    let filter =
        Filter::parse("  rpc:SPV serial:QRTB fault:9005 param:Locked rule:codec. Acme rpc: x:y ");
    assert_eq!(
        filter.terms(),
        [
            Term::Rpc("spv".into()),
            Term::Serial("qrtb".into()),
            Term::Fault("9005".into()),
            Term::Param("locked".into()),
            Term::Rule("codec.".into()),
            Term::Text("acme".into()),
            // `rpc:` alone is still being typed; an unknown key is an error.
        ]
    );
    assert!(Filter::parse("   ").is_empty());
    let unknown = Filter::parse("x:y Acme");
    assert_eq!(unknown.terms(), [Term::Text("acme".into())]);
    assert_eq!(unknown.errors().len(), 1);
    assert!(
        unknown.errors()[0].contains("“x:”"),
        "{:?}",
        unknown.errors()
    );
    // `fault:` alone is any fault; a MAC address and a URL are free text.
    let filter = Filter::parse("fault: 00:11:22:AA:BB:CC http://acs.example:7547/");
    assert_eq!(
        filter.terms(),
        [
            Term::Fault(String::new()),
            Term::Text("00:11:22:aa:bb:cc".into()),
            Term::Text("http://acs.example:7547/".into()),
        ]
    );
    assert!(filter.errors().is_empty());
}

#[wasm_bindgen_test]
fn filter_terms_match_messages_and_combine_with_and() {
    let capture = cwmp_session::analyse(transcript().as_bytes(), Some("test"));
    let matches = |query: &str| {
        Filter::parse(query)
            .apply(&capture, &Decoded::default())
            .matches[0]
            .clone()
    };
    assert_eq!(matches("rpc:GetParameterValues"), [3]);
    assert_eq!(matches("rpc:gpv"), [3]);
    assert_eq!(matches("fault:9005"), [4]);
    assert_eq!(matches("fault:90"), [4]);
    // Terms combine per session: each must match one of its messages, not the same one; the
    // matches are the messages that match any when none matches all.
    assert_eq!(matches("fault:9005 rpc:Inform"), [0, 1, 4]);
    assert_eq!(matches("fault:9003 rpc:Inform"), Vec::<usize>::new());
    assert_eq!(matches("param:UpTime"), [3]);
    assert_eq!(matches("param:softwareversion rpc:inform"), [0]);
    // Free text: the device matches every message of its sessions, an RPC name only its own.
    assert_eq!(matches("acme").len(), 6);
    assert_eq!(matches("informresponse"), [1]);
    assert_eq!(matches("serial:SN1").len(), 6);
    assert_eq!(matches("serial:SN2"), Vec::<usize>::new());
    let result = Filter::parse("serial:nobody").apply(&capture, &Decoded::default());
    assert!(result.active && result.visible.is_empty() && !result.shows(0));
    let everything = Filter::parse("").apply(&capture, &Decoded::default());
    assert!(!everything.active && everything.shows(0));

    let capture = cwmp_session::analyse(BAICELLS, Some("baicells"));
    let visible = |query: &str| {
        Filter::parse(query)
            .apply(&capture, &Decoded::default())
            .visible
    };
    assert_eq!(visible("rpc:SetParameterValues"), [1]);
    assert_eq!(visible("rule:codec.missing-element"), [1]);
    assert!(!visible("param:LockedLatitude").is_empty());
}

#[wasm_bindgen_test]
fn free_text_searches_names_values_faults_events_and_serials() {
    let capture = cwmp_session::analyse(transcript().as_bytes(), Some("test"));
    let matches = |query: &str| {
        let result = Filter::parse(query).apply(&capture, &Decoded::default());
        (result.visible.clone(), result.matches[0].clone())
    };
    // A parameter name the GetParameterValues asks for; a value the Inform reports.
    assert_eq!(matches("UpTime"), (vec![0], vec![3]));
    assert_eq!(matches("1.0"), (vec![0], vec![0]));
    assert_eq!(matches("DeviceInfo.SoftwareVersion"), (vec![0], vec![0]));
    // A fault code and words of its fault string.
    assert_eq!(matches("9005"), (vec![0], vec![4]));
    assert_eq!(matches("invalid"), (vec![0], vec![4]));
    assert_eq!(matches("fault:invalid"), (vec![0], vec![4]));
    // `fault:` alone: any fault.
    assert_eq!(matches("fault:"), (vec![0], vec![4]));
    // An event code and the serial number concern the whole session.
    assert_eq!(matches("boot").1.len(), 6);
    assert_eq!(matches("sn1").1.len(), 6);
    assert_eq!(matches("sn1 uptime"), (vec![0], vec![3]));
    assert_eq!(matches("nowhere"), (vec![], vec![]));
}

#[wasm_bindgen_test]
fn terms_combine_per_session() {
    // The ACS asks for an AddObject; the CPE answers 9005.
    let bytes = transcript_asking(
        "<cwmp:AddObject><ObjectName>Device.NAT.PortMapping.</ObjectName>\
         <ParameterKey>k</ParameterKey></cwmp:AddObject>",
    );
    let capture = cwmp_session::analyse(bytes.as_bytes(), Some("test"));
    let result = Filter::parse("rpc:AddObject fault:9005").apply(&capture, &Decoded::default());
    assert_eq!(result.visible, [0]);
    assert_eq!(result.matches[0], [3, 4]);
    let result = Filter::parse("rpc:AddObject fault:9002").apply(&capture, &Decoded::default());
    assert!(result.visible.is_empty());
    let result =
        Filter::parse("rpc:GetParameterValues fault:9005").apply(&capture, &Decoded::default());
    assert!(result.visible.is_empty(), "no GetParameterValues here");
    // Both terms on one message: only that message.
    let result = Filter::parse("rpc:AddObject portmapping").apply(&capture, &Decoded::default());
    assert_eq!(result.matches[0], [3]);
}

#[wasm_bindgen_test]
async fn an_unknown_key_is_an_error_in_the_box() {
    let root = mount_inspector(transcript().as_bytes()).await;
    let input: web_sys::HtmlInputElement = find(&root, "[data-testid=filter]");
    input.set_value("bogus:1 acme");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    wait_for(&root, "[data-testid=filter-error]").await;
    let error = text_of(&root, "[data-testid=filter-error]");
    assert!(error.contains("bogus:"), "{error}");
    // The rest of the query still filters.
    wait_text(&root, "[data-testid=filter-count]", "1 of 1 sessions").await;
}

#[wasm_bindgen_test]
fn replay_steps_plays_and_stops() {
    let capture = cwmp_session::analyse(transcript().as_bytes(), Some("test"));
    let reduce =
        |selection: Rc<Selection>, action: ReplayAction| selection.reduce(Select::Replay(action));
    let start = Rc::new(Selection::new(&capture));
    assert_eq!((start.message, start.replaying), (Some(0), false));
    let back = reduce(start.clone(), ReplayAction::Step(-1));
    assert_eq!((back.message, back.replaying), (Some(0), true));
    let mut at = start.clone();
    for _ in 0..9 {
        at = reduce(at, ReplayAction::Step(1));
    }
    assert_eq!(at.message, Some(5), "stepping stops at the last message");
    // Play at the end starts over; ticks advance and stop at the end.
    let mut at = reduce(at, ReplayAction::TogglePlay);
    assert_eq!((at.message, at.playing), (Some(0), true));
    for expected in 1..=5 {
        at = reduce(at, ReplayAction::Tick);
        assert_eq!(at.message, Some(expected));
    }
    assert!(!at.playing, "autoplay stops at the last message");
    let at = reduce(at, ReplayAction::Tick);
    assert_eq!(at.message, Some(5));
    // Pausing, stepping and leaving stop autoplay.
    let playing = reduce(
        reduce(start.clone(), ReplayAction::Step(1)),
        ReplayAction::TogglePlay,
    );
    assert!(playing.playing);
    assert!(!reduce(playing.clone(), ReplayAction::TogglePlay).playing);
    assert!(!reduce(playing.clone(), ReplayAction::Step(1)).playing);
    let left = reduce(playing.clone(), ReplayAction::Exit);
    assert!(!left.playing && !left.replaying);
    let other = playing.reduce(Select::Session(0));
    assert!(!other.playing && !other.replaying);

    assert_eq!(counter(Some(2), 14), "3 / 14");
    assert_eq!(counter(None, 0), "0 / 0");
    assert_eq!(Speed::Normal.step_ms(), 700);
    assert_eq!(Speed::Half.step_ms(), 1400);
    assert_eq!(Speed::Quadruple.step_ms(), 175);
    assert_eq!(state_name(State::AcsRequests), "ACS's requests");
}

fn press(key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    gloo::utils::document().dispatch_event(&event).unwrap();
}

fn text_of(root: &Element, selector: &str) -> String {
    find::<Element>(root, selector).text_content().unwrap()
}

/// Waits until the text of `selector` is `expected`.
async fn wait_text(root: &Element, selector: &str, expected: &str) {
    let text = |root: &Element| {
        root.query_selector(selector)
            .unwrap()
            .and_then(|element| element.text_content())
    };
    let reached = poll_until(|| text(root).as_deref() == Some(expected), DEADLINE).await;
    assert!(
        reached,
        "waited {DEADLINE:?} for {selector} to read {expected:?}; it reads {:?}",
        text(root)
    );
}

#[wasm_bindgen_test]
async fn typing_a_filter_hides_sessions_and_highlights_arrows() {
    let root = mount_inspector(BAICELLS).await;
    assert_eq!(all(&root, "[data-testid=session]").len(), 3);
    let input: web_sys::HtmlInputElement = find(&root, "[data-testid=filter]");
    input.set_value("rpc:SetParameterValues");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    wait_count(&root, "[data-testid=session]", 1).await;
    wait_text(&root, "[data-testid=filter-count]", "1 of 3 sessions").await;
    // The hidden selected session gives way to the first match.
    wait_for(&root, "[data-testid=message].match").await;
    let sessions = all(&root, "[data-testid=session]");
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].get_attribute("data-session-id").as_deref(),
        Some("1")
    );
    assert_eq!(
        text_of(&root, "[data-testid=filter-count]"),
        "1 of 3 sessions"
    );
    // The hidden selected session gives way to the first match.
    let matching = all(&root, "[data-testid=message].match");
    assert!(!matching.is_empty());
    assert!(matching.iter().all(|m| {
        m.get_attribute("data-rpc")
            .unwrap()
            .starts_with("SetParameterValues")
    }));
    assert!(text_of(&root, "[data-testid=match-count]").starts_with("◆ "));

    click(&find::<Element>(&root, "[data-testid=filter-clear]"));
    wait_count(&root, "[data-testid=session]", 3).await;
    wait_gone(&root, "[data-testid=filter-count]").await;
    assert!(all(&root, "[data-testid=message].match").is_empty());
    assert!(
        root.query_selector("[data-testid=filter-count]")
            .unwrap()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn arrow_keys_step_the_replay_and_the_state_panel_follows() {
    let root = mount_inspector(transcript().as_bytes()).await;
    wait_for_keyboard(&root).await;
    assert_eq!(text_of(&root, "[data-testid=replay-counter]"), "1 / 6");
    let state = find::<Element>(&root, "[data-testid=machine-state]");
    assert_eq!(
        state.get_attribute("data-state").as_deref(),
        Some("awaiting-inform-response")
    );
    assert!(
        all(&root, "[data-testid=message].later").is_empty(),
        "not replaying yet"
    );

    press("ArrowRight");
    press("ArrowRight");
    press("ArrowRight");
    wait_text(&root, "[data-testid=replay-counter]", "4 / 6").await;
    let arrows = all(&root, "[data-testid=message]");
    assert!(has_class(&arrows[3], "cursor") && has_class(&arrows[3], "selected"));
    assert!(!has_class(&arrows[2], "later"));
    assert!(has_class(&arrows[4], "later") && has_class(&arrows[5], "later"));
    let state = text_of(&root, "[data-testid=machine-state]");
    assert!(state.contains("State after #3"), "{state}");
    assert!(state.contains("ACS's requests"), "{state}");
    assert!(state.contains("GetParameterValuesResponse"), "{state}");
    assert!(text_of(&root, "[data-testid=message-detail]").contains("Device.DeviceInfo.UpTime"));

    press("ArrowLeft");
    wait_text(&root, "[data-testid=replay-counter]", "3 / 6").await;
    press("Escape");
    wait_for(&root, "[data-testid=replay]:not(.on)").await;
    assert!(all(&root, "[data-testid=message].later").is_empty());
}

#[wasm_bindgen_test]
async fn autoplay_advances_and_stops_at_the_end() {
    let root = mount_inspector(transcript().as_bytes()).await;
    let fastest = all(&root, "[data-testid=replay] .speed");
    click(fastest.last().unwrap());
    click(&find::<Element>(&root, "[data-testid=replay-play]"));
    wait_for(&root, "[data-testid=replay-play][aria-pressed=true]").await;
    wait_until(
        || text_of(&root, "[data-testid=replay-counter]") != "1 / 6",
        DEADLINE,
        "autoplay to advance",
    )
    .await;
    wait_text(&root, "[data-testid=replay-counter]", "6 / 6").await;
    wait_for(&root, "[data-testid=replay-play][aria-pressed=false]").await;
    assert_eq!(
        find::<Element>(&root, "[data-testid=replay-play]")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("false")
    );
    let state = find::<Element>(&root, "[data-testid=machine-state]");
    assert_eq!(state.get_attribute("data-state").as_deref(), Some("ended"));
}

#[wasm_bindgen_test]
async fn message_detail_is_decoded_on_demand_as_from_the_worker() {
    // The worker's answer carries no envelopes: the detail pane and `param:` decode the bodies.
    let bytes = transcript();
    let mut capture = cwmp_session::analyse(bytes.as_bytes(), Some("test"));
    for message in capture
        .sessions
        .iter_mut()
        .flat_map(|s| s.messages.iter_mut())
    {
        message.envelope = None;
    }
    let decoded = Decoded::default();
    let matches = Filter::parse("param:uptime")
        .apply(&capture, &decoded)
        .matches[0]
        .clone();
    assert_eq!(
        matches,
        vec![3],
        "the GetParameterValues names Device.DeviceInfo.UpTime"
    );
    let root = mount_analysed(capture, bytes.len()).await;
    wait_for(&root, "[data-testid=parameters]").await;
    let table = find::<Element>(&root, "[data-testid=parameters]")
        .text_content()
        .unwrap();
    assert!(
        table.contains("Device.DeviceInfo.SoftwareVersion"),
        "{table}"
    );
    assert!(table.contains("1.0"), "{table}");
}

#[wasm_bindgen_test]
async fn show_in_xml_highlights_the_element_and_headers_sort() {
    let root = mount_inspector(transcript().as_bytes()).await;
    wait_for(&root, "[data-testid=show-xml]").await;
    click(&find::<Element>(&root, "[data-testid=show-xml]"));
    wait_for(&root, "[data-testid=xml] .hl").await;
    let highlighted: Vec<String> = all(&root, "[data-testid=xml] .hl")
        .iter()
        .map(|line| line.text_content().unwrap())
        .collect();
    let joined = highlighted.join("");
    assert!(joined.contains("<ParameterValueStruct>"), "{joined}");
    assert!(
        joined.contains("<Name>Device.DeviceInfo.SoftwareVersion</Name>"),
        "{joined}"
    );
    assert!(
        !joined.contains("DeviceId"),
        "only the element's lines: {joined}"
    );
    // Tags and text are told apart, as text nodes.
    assert!(!all(&root, "[data-testid=xml] .x-tag").is_empty());
}

#[wasm_bindgen_test]
fn pretty_lines_know_where_they_came_from() {
    let xml = "<a>\n  <b>one</b>\n  <c><d/></c>\n</a>";
    let lines = pretty_xml_lines(xml);
    let shown: Vec<String> = lines.iter().map(|l| l.pieces.concat()).collect();
    assert_eq!(shown, ["<a>", "<b>one</b>", "<c>", "<d/>", "</c>", "</a>"]);
    let b = &lines[1];
    assert_eq!(&xml[b.start..b.end], "<b>one</b>");
    let c = xml.find("<c>").unwrap();
    let c_end = xml.find("</c>").unwrap() + 4;
    let inside: Vec<&str> = lines
        .iter()
        .filter(|l| l.overlaps(c, c_end))
        .map(|l| l.pieces[0])
        .collect();
    assert_eq!(inside, ["<c>", "<d/>", "</c>"]);
}

#[wasm_bindgen_test]
fn any_rpc_reads_as_arguments_groups_and_tables() {
    use cwmp_inspector::inspector::tree;
    let fault = envelope(
        "7",
        "<soap:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail>\
         <cwmp:Fault><FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString>\
         <SetParameterValuesFault><ParameterName>Device.A</ParameterName><FaultCode>9007</FaultCode>\
         <FaultString>bad</FaultString></SetParameterValuesFault>\
         <SetParameterValuesFault><ParameterName>Device.B</ParameterName><FaultCode>9008</FaultCode>\
         <FaultString>read-only</FaultString></SetParameterValuesFault></cwmp:Fault></detail></soap:Fault>",
    );
    let tree_of = |xml: &str| cwmp_codec::parse_tree(xml.as_bytes()).unwrap().unwrap();
    let details = tree::details(&tree_of(&fault));
    assert_eq!(details.rpc, "Fault");
    assert_eq!(
        details.arguments,
        [
            ("FaultCode".to_owned(), "9003".to_owned()),
            ("FaultString".to_owned(), "Invalid arguments".to_owned())
        ]
    );
    assert_eq!(details.tables.len(), 1, "the repeated faults are one table");
    let table = &details.tables[0];
    assert_eq!(table.columns, ["ParameterName", "FaultCode", "FaultString"]);
    assert_eq!(table.rows[1].0, ["Device.B", "9008", "read-only"]);

    // An Inform: single values, the DeviceId group, and the parameter list with its types.
    let inform = transcript();
    let body = &inform
        [inform.find("<soap:Envelope").unwrap()..inform.find("</soap:Envelope>").unwrap() + 16];
    let details = tree::details(&tree_of(body));
    assert_eq!(details.rpc, "Inform");
    assert!(
        details
            .arguments
            .iter()
            .any(|(name, value)| name == "RetryCount" && value == "0")
    );
    assert_eq!(details.groups[0].0, "DeviceId");
    assert!(
        details.groups[0]
            .1
            .contains(&("SerialNumber".to_owned(), "SN1".to_owned()))
    );
    let list = &details.tables[0];
    assert_eq!(list.columns, ["Name", "Type", "Value"]);
    assert_eq!(
        list.rows[0].0,
        ["Device.DeviceInfo.SoftwareVersion", "xsd:string", "1.0"]
    );
    assert_eq!(
        tree::parameter_names(&tree_of(body)),
        ["Device.DeviceInfo.SoftwareVersion"]
    );
}

const AUTH_REFUSED: &[u8] = include_bytes!("e2e/vectors/auth-refused.http");

#[wasm_bindgen_test]
async fn a_401_reads_as_unauthorized_with_its_challenge_not_as_broken_cwmp() {
    let root = mount_inspector(AUTH_REFUSED).await;
    wait_for(&root, "[data-testid=message]").await;
    let arrows = all(&root, "[data-testid=message]");
    assert_eq!(arrows.len(), 4);
    let label = arrows[1].query_selector(".label").unwrap().unwrap();
    assert_eq!(label.text_content().unwrap(), "401 Unauthorized · Digest");
    let under = arrows[1].query_selector(".http").unwrap().unwrap();
    assert_eq!(
        under.text_content().unwrap(),
        "realm=\"acs.example.net\" qop=\"auth\""
    );
    let ladder = find::<Element>(&root, "svg").text_content().unwrap();
    assert!(!ladder.contains("not CWMP"), "{ladder}");

    let row = text_of(&root, "[data-testid=session]");
    assert!(
        row.contains("401 Unauthorized · Digest realm=\"acs.example.net\" qop=\"auth\""),
        "{row}"
    );

    click(&arrows[1]);
    wait_for(&root, "[data-testid=refusal]").await;
    let pane = text_of(&root, "[data-testid=message-detail]");
    assert!(pane.contains("401 Unauthorized"), "{pane}");
    assert!(
        pane.contains("Challenge: Digest realm=\"acs.example.net\" qop=\"auth\""),
        "{pane}"
    );
    assert!(!pane.contains("Not decoded as CWMP"), "{pane}");
    assert!(
        text_of(&root, ".message-header").contains("401 Unauthorized"),
        "the pane's title names the refusal"
    );
    // The replay after the refused Inform: the CPE must retry with credentials.
    wait_for(
        &root,
        "[data-testid=machine-state][data-state=unauthorized]",
    )
    .await;
    let state = text_of(&root, "[data-testid=machine-state]");
    assert!(state.contains("401 Unauthorized"), "{state}");
    assert!(
        state.contains("Inform again, with an Authorization header"),
        "{state}"
    );
}

#[wasm_bindgen_test]
async fn arrows_carry_the_object_path_of_add_object() {
    let bytes =
        include_bytes!("../crates/cwmp-session/tests/vectors/lint/session.repeated-fault.pos.http");
    let root = mount_inspector(bytes).await;
    wait_for(&root, "[data-testid=message][data-rpc=AddObject]").await;
    let add = find::<Element>(&root, "[data-testid=message][data-rpc=AddObject] .label");
    assert_eq!(
        add.text_content().unwrap(),
        "AddObject · Device.NAT.PortMapping."
    );
}
