//! Inputs that must be refused: each gives a precise [`DecodeError`] naming what is wrong and at
//! which byte, and none may panic, hang or exhaust the stack.

use std::fmt::Write as _;
use std::path::Path;

use cwmp_codec::{DecodeError, DiagnosticCode, Limits, Message, decode, decode_with_limits};
use proptest::prelude::*;

/// A real Inform (ZyXEL P-2601HN-F1) from the test vectors.
fn inform() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/soap/fullrate-cwmp_ex/samples-inform/2601.xml");
    std::fs::read(path).unwrap()
}

/// The byte offset just after the first occurrence of `needle`.
fn end_of(input: &[u8], needle: &str) -> usize {
    let start = input
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
        .unwrap_or_else(|| panic!("{needle:?} not in the input"));
    start + needle.len()
}

const SOAP_OPEN: &str = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">"#;
const SOAP_CLOSE: &str = "</soap:Envelope>";

/// A minimal valid envelope whose Body holds `body`.
fn envelope(body: &str) -> String {
    format!(
        "{SOAP_OPEN}<soap:Header><cwmp:ID soap:mustUnderstand=\"1\">1</cwmp:ID></soap:Header>\
         <soap:Body>{body}</soap:Body>{SOAP_CLOSE}"
    )
}

#[test]
fn truncated_input_at_every_prefix_is_refused_without_panicking() {
    let input = inform();
    let envelope_end = end_of(&input, SOAP_CLOSE.replace("soap", "SOAP-ENV").as_str());
    let root_start_tag_end = end_of(&input, ">");
    for length in 0..=input.len() {
        let prefix = &input[..length];
        match decode(prefix) {
            Ok(decoded) => assert!(
                length == 0 && decoded.message == Message::Empty || length >= envelope_end,
                "a {length}-byte prefix decoded"
            ),
            Err(error) => {
                assert!(
                    length < envelope_end,
                    "the whole envelope was refused: {error}"
                );
                let offset = error.offset();
                match &error {
                    // Wherever the cut falls once the Envelope is open: the end of input.
                    DecodeError::Truncated { .. } => assert_eq!(offset, length, "{error}"),
                    // Cut inside the Envelope's own start tag: no element is open yet.
                    DecodeError::NotXml { offset: 0, .. } => {
                        assert!(length < root_start_tag_end, "{length}: {error}");
                    }
                    _ => panic!("a {length}-byte prefix gave {error:?}"),
                }
            }
        }
    }
}

#[test]
fn truncated_between_elements_reports_the_end_of_input_and_the_open_element() {
    let input = inform();
    for (after, open) in [
        ("<DeviceId>", "DeviceId"),
        ("</OUI>", "DeviceId"),
        ("<Manufacturer>Zy", "Manufacturer"),
        ("<CommandKey></CommandKey>", "EventStruct"),
        ("</SOAP-ENV:Header>", "SOAP-ENV:Envelope"),
        ("</cwmp:Inform>", "SOAP-ENV:Body"),
    ] {
        let length = end_of(&input, after);
        let error = decode(&input[..length]).unwrap_err();
        assert_eq!(
            error,
            DecodeError::Truncated {
                offset: length,
                open_element: open.to_owned(),
            },
            "cut after {after:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("the message is cut short at byte {length}: <{open}> is never closed")
        );
    }
}

#[test]
fn plain_text_is_not_xml() {
    let error = decode(b"HTTP/1.1 200 OK, but this body is plain text").unwrap_err();
    assert!(
        matches!(&error, DecodeError::NotXml { offset: 0, reason } if reason == "no XML element found"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "not well-formed XML at byte 0: no XML element found"
    );
}

#[test]
fn binary_garbage_is_not_xml() {
    let error = decode(&[0x00, 0x9f, 0x92, 0x96, 0x00, 0x01, 0xff, 0xfe]).unwrap_err();
    assert!(
        matches!(error, DecodeError::NotXml { offset: 0, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("not well-formed XML at byte 0")
    );
}

#[test]
fn binary_garbage_with_markup_bytes_is_refused_without_panicking() {
    // A gzip header followed by bytes that look like tags: nothing here is a SOAP envelope.
    let garbage = b"\x1f\x8b\x08\x00<\x80\x81>\x00&\xff;</\x80>]]><!\x00";
    let error = decode(garbage).unwrap_err();
    assert!(error.offset() <= garbage.len(), "{error:?}");
}

#[test]
fn xhtml_page_is_not_soap() {
    let page = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                <html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>502 Bad Gateway</title>\
                </head><body><h1>Bad Gateway</h1></body></html>";
    let root = page.find("<html").unwrap();
    let error = decode(page.as_bytes()).unwrap_err();
    assert_eq!(
        error,
        DecodeError::NotSoap {
            offset: root,
            found: "html".to_owned(),
        }
    );
    assert_eq!(
        error.to_string(),
        format!("not a SOAP message: expected a SOAP Envelope at byte {root}, found <html>")
    );
}

#[test]
fn envelope_in_a_foreign_namespace_is_read_by_name_with_a_diagnostic() {
    // Tolerant by design: an Envelope in the wrong namespace is still an envelope, but it says so.
    let input = r#"<Envelope xmlns="http://example.com/soap"><Body><Reboot xmlns="urn:dslforum-org:cwmp-1-0"><CommandKey>k</CommandKey></Reboot></Body></Envelope>"#;
    let decoded = decode(input.as_bytes()).unwrap();
    let first = &decoded.diagnostics[0];
    assert_eq!(first.code, DiagnosticCode::UnqualifiedElement);
    assert_eq!((first.span.start, first.span.end), (0, input.len()));
    assert!(
        first
            .message
            .contains("not in the SOAP 1.1 envelope namespace"),
        "{}",
        first.message
    );
}

#[test]
fn entity_bomb_with_a_doctype_is_refused_before_any_expansion() {
    // "Billion laughs": 10^9 copies of "lol" if a parser expanded it. Refusing the DOCTYPE itself
    // means nothing is ever expanded, so this returns at once.
    let mut bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for level in 1..=9 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        let expansion = format!("&{previous};").repeat(10);
        writeln!(bomb, " <!ENTITY lol{level} \"{expansion}\">").unwrap();
    }
    bomb.push_str("]>\n");
    bomb.push_str(&envelope(
        "<cwmp:Reboot><CommandKey>&lol9;</CommandKey></cwmp:Reboot>",
    ));
    let doctype = bomb.find("<!DOCTYPE").unwrap();
    let error = decode(bomb.as_bytes()).unwrap_err();
    assert_eq!(error, DecodeError::Doctype { offset: doctype });
    assert_eq!(
        error.to_string(),
        format!(
            "a DOCTYPE at byte {doctype}: SOAP messages must not have one, and none is processed"
        )
    );
}

#[test]
fn undefined_entity_reference_is_refused_where_it_stands() {
    let input = envelope("<cwmp:Reboot><CommandKey>a&nbsp;b</CommandKey></cwmp:Reboot>");
    let at = input.find("&nbsp;").unwrap();
    let error = decode(input.as_bytes()).unwrap_err();
    assert_eq!(error, DecodeError::UnknownEntity { offset: at });
    assert!(
        error
            .to_string()
            .starts_with(&format!("an undefined entity reference at byte {at}:")),
        "{error}"
    );
}

#[test]
fn nesting_100k_deep_is_refused_at_the_depth_limit_without_overflowing_the_stack() {
    let depth = 100_000;
    let mut input = String::from(SOAP_OPEN);
    input.push_str(&"<x>".repeat(depth));
    input.push_str(&"</x>".repeat(depth));
    input.push_str(SOAP_CLOSE);
    let limit = Limits::default().max_depth;
    // The Envelope is level 1, so the first element past the limit is the `limit`-th <x>.
    let offset = SOAP_OPEN.len() + 3 * (limit - 1);
    let error = decode(input.as_bytes()).unwrap_err();
    assert_eq!(error, DecodeError::TooDeep { offset, limit });
    assert_eq!(
        error.to_string(),
        format!("elements nest deeper than {limit} levels at byte {offset}")
    );
}

#[test]
fn message_over_the_size_limit_is_refused_before_parsing() {
    let input = inform();
    let limits = Limits {
        max_input_bytes: 1024,
        ..Limits::default()
    };
    let error = decode_with_limits(&input, &limits).unwrap_err();
    assert_eq!(
        error,
        DecodeError::TooLarge {
            size: input.len(),
            limit: 1024,
        }
    );
    assert_eq!(error.offset(), 0);
    assert_eq!(
        error.to_string(),
        format!(
            "the message is {} bytes, more than the limit of 1024 bytes",
            input.len()
        )
    );
    // The same input at exactly its own size is accepted.
    let exact = Limits {
        max_input_bytes: input.len(),
        ..Limits::default()
    };
    assert!(decode_with_limits(&input, &exact).is_ok());
}

#[test]
fn too_many_elements_are_refused_at_the_first_one_over_the_limit() {
    let items = 2_000;
    let input = envelope(&format!(
        "<cwmp:GetRPCMethods>{}</cwmp:GetRPCMethods>",
        "<x/>".repeat(items)
    ));
    let limit = 1_000;
    let limits = Limits {
        max_elements: limit,
        ..Limits::default()
    };
    // Envelope, Header, ID, Body and GetRPCMethods come first; then the <x/>s, four bytes each.
    let first_x = input.find("<x/>").unwrap();
    let offset = first_x + 4 * (limit - 5);
    let error = decode_with_limits(input.as_bytes(), &limits).unwrap_err();
    assert_eq!(error, DecodeError::TooManyElements { offset, limit });
    assert_eq!(
        error.to_string(),
        format!("more than {limit} elements; the limit is reached at byte {offset}")
    );
}

#[test]
fn too_many_attributes_on_one_element_are_refused() {
    let attributes: Vec<String> = (0..100).map(|i| format!("a{i}=\"1\"")).collect();
    let input = envelope(&format!("<cwmp:GetRPCMethods {}/>", attributes.join(" ")));
    let at = input.find("<cwmp:GetRPCMethods").unwrap();
    let limit = Limits::default().max_attributes;
    let error = decode(input.as_bytes()).unwrap_err();
    assert_eq!(error, DecodeError::TooManyAttributes { offset: at, limit });
    assert_eq!(
        error.to_string(),
        format!("an element at byte {at} has more than {limit} attributes")
    );
}

#[test]
fn mismatched_end_tag_is_not_xml() {
    let input = envelope("<cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Rebot>");
    let at = input.find("</cwmp:Rebot>").unwrap();
    let error = decode(input.as_bytes()).unwrap_err();
    assert!(
        matches!(&error, DecodeError::NotXml { offset, reason }
            if *offset == at && reason.contains("</cwmp:Reboot>") && reason.contains("</cwmp:Rebot>")),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with(&format!("not well-formed XML at byte {at}:")),
        "{error}"
    );
}

#[test]
fn envelope_without_a_body_is_refused() {
    let input = format!(
        "{SOAP_OPEN}<soap:Header><cwmp:ID soap:mustUnderstand=\"1\">1</cwmp:ID></soap:Header>{SOAP_CLOSE}"
    );
    let error = decode(input.as_bytes()).unwrap_err();
    assert_eq!(error, DecodeError::MissingBody { offset: 0 });
    assert_eq!(error.to_string(), "the SOAP Envelope at byte 0 has no Body");
}

#[test]
fn self_closing_element_after_the_envelope_is_trailing_content() {
    let message = envelope("<cwmp:GetRPCMethods/>");
    let input = format!("{message}<x/>");
    // An empty element has no end tag: skipping it must not wait for one.
    let decoded = decode(input.as_bytes()).unwrap();
    let trailing = &decoded.diagnostics.last().unwrap();
    assert_eq!(trailing.code, DiagnosticCode::TrailingContent);
    assert_eq!(trailing.span.start, message.len());
}

#[test]
fn invalid_markup_inside_the_message_is_not_xml_rather_than_truncated() {
    let input = envelope("<!x><cwmp:GetRPCMethods/>");
    let at = input.find("<!x>").unwrap();
    // Bad markup in the middle is not a cut: only the end of input makes a message truncated.
    let error = decode(input.as_bytes()).unwrap_err();
    assert!(
        matches!(error, DecodeError::NotXml { offset, .. } if offset == at),
        "{error:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Arbitrary bytes give a message or an error whose offset lies inside the input.
    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Err(error) = decode(&input) {
            prop_assert!(error.offset() <= input.len(), "{error:?}");
        }
    }

    /// A real Inform with one byte replaced: the nearest inputs to valid ones.
    #[test]
    fn inform_with_one_byte_changed_never_panics(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut input = inform();
        let at = position.index(input.len());
        input[at] = byte;
        if let Err(error) = decode(&input) {
            prop_assert!(error.offset() <= input.len(), "{error:?}");
        }
    }
}
