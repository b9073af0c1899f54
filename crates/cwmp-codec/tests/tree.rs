//! `parse_tree`: any body as a generic element tree whose spans point into the input.

use cwmp_codec::{XmlElement, parse_tree};

fn find<'a>(element: &'a XmlElement, local: &str) -> Option<&'a XmlElement> {
    if element.local == local {
        return Some(element);
    }
    element.children.iter().find_map(|child| find(child, local))
}

#[test]
fn a_real_inform_reads_as_a_tree_with_spans_into_the_input() {
    let input = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/soap/jdalberg_inform_1.xml"
    ))
    .expect("vector");
    let tree = parse_tree(&input).expect("well-formed").expect("not empty");
    assert_eq!(tree.local, "Envelope");
    let serial = find(&tree, "SerialNumber").expect("DeviceId/SerialNumber");
    assert_eq!(serial.text, "S99998888");
    let span = &input[serial.span.start..serial.span.end];
    assert_eq!(span, b"<SerialNumber>S99998888</SerialNumber>");
    let list = find(&tree, "ParameterList").expect("ParameterList");
    assert_eq!(list.children.len(), 8);
    let value = &list.children[0].children[1];
    assert_eq!(value.local, "Value");
    assert_eq!(value.attributes[0].local, "type");
    assert_eq!(value.attributes[0].value, "xsd:string");
}

#[test]
fn spans_count_the_byte_order_mark_and_latin1_bytes() {
    let mut input = b"\xef\xbb\xbf".to_vec();
    input.extend_from_slice(b"<a><b>caf\xe9</b><c>x</c></a>");
    let tree = parse_tree(&input).expect("read").expect("not empty");
    assert_eq!(tree.children[0].text, "caf\u{e9}");
    let c = &tree.children[1];
    assert_eq!(&input[c.span.start..c.span.end], b"<c>x</c>");
}

#[test]
fn empty_and_broken_bodies() {
    assert_eq!(parse_tree(b"  \r\n").expect("empty is fine"), None);
    assert!(parse_tree(b"<a><b></a>").is_err());
}
