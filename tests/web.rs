//! The app in a real browser (headless Chromium through wasm-bindgen-test-runner): the first
//! screen renders, a paste is decoded and echoed with its detected format, and the inspector
//! draws the session list and the ladder of a capture.

use std::time::Duration;

use std::rc::Rc;

use cwmp_inspector::App;
use cwmp_inspector::inspector::{Inspector, InspectorProps, clock, offset, pretty_xml};
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
    settle().await;
    root
}

/// Lets Yew render what the last event scheduled.
async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(0)).await;
}

/// Waits (up to about two seconds) until `selector` matches inside `root`.
async fn wait_for(root: &Element, selector: &str) {
    for _ in 0..100 {
        if root.query_selector(selector).unwrap().is_some() {
            return;
        }
        gloo::timers::future::sleep(Duration::from_millis(20)).await;
    }
    panic!("{selector} never appeared");
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
    settle().await;
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
    settle().await;
    let about: Element = find(&root, "#about");
    let text = about.text_content().unwrap();
    assert!(
        text.contains(&format!("Version {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    find::<HtmlElement>(&root, "#about-close").click();
    settle().await;
    assert!(root.query_selector("#about").unwrap().is_none());
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
    let input = LoadedInput::recognise("capture.xml", b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00");
    assert_eq!(input.format.short_name(), "pcap");
    assert_eq!(input.size, 8);
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
    let get = envelope(
        "2",
        "<cwmp:GetParameterValues><ParameterNames><string>Device.DeviceInfo.UpTime</string>\
         </ParameterNames></cwmp:GetParameterValues>",
    );
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
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let capture = cwmp_session::analyse(bytes, Some("test"));
    let props = InspectorProps {
        name: "test".into(),
        format: "HTTP text".into(),
        size: bytes.len(),
        capture: SharedCapture(Rc::new(capture)),
        on_back: yew::Callback::noop(),
        on_about: yew::Callback::noop(),
    };
    yew::Renderer::<Inspector>::with_root_and_props(root.clone(), props).render();
    settle().await;
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
    assert!(text.contains("fault 9005"), "{text}");
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
    assert_eq!(fault_label.text_content().unwrap(), "Fault · fault 9005");
    assert!(has_class(&arrows[4], "fault"));
    // The Inform's findings (missing arrayType) put a marker on its arrow.
    assert!(arrows[0].query_selector(".marker").unwrap().is_some());

    click(&arrows[4]);
    settle().await;
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
    // The listener is attached by an effect, which runs a turn after the first render.
    settle().await;
    settle().await;
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowDown");
    init.set_bubbles(true);
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    gloo::utils::document().dispatch_event(&key).unwrap();
    wait_for(&root, "[data-testid=session][data-session-id='1'].selected").await;
    assert_eq!(all(&root, "[data-testid=message]").len(), 14);
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
