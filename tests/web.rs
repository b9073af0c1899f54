//! The app in a real browser (headless Chromium through wasm-bindgen-test-runner): the first
//! screen renders, and a paste is echoed with its detected format.

use std::time::Duration;

use cwmp_inspector::App;
use cwmp_inspector::intake::{LoadedInput, describe_size};
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
