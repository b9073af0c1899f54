//! The traffic next to CWMP sessions: TR-069 Annex G UDP connection requests, STUN (RFC 5389,
//! RFC 3489, TR-111 Part 2) and TLS detection, on payloads built by hand with known decodings.
// Lengths in these tests are small and known.
#![allow(clippy::cast_possible_truncation)]

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use cwmp_capture::{
    MAGIC_COOKIE, StunAttribute, StunClass, TR111_BINDING_VALUE, TlsHelloKind,
    UdpConnectionRequest, decode_stun, decode_udp_connection_request, detect_tls,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// TR-069 Annex G UDP connection requests
// ---------------------------------------------------------------------------------------------

/// The example of TR-069 Annex G.
const ANNEX_G: &str = "GET http://10.1.1.1:5060?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=3545F7B5820D76A3DF45A3A509DA8D8C38F70E4B HTTP/1.1\r\nHost: 10.1.1.1:5060\r\n\r\n";

const SIG: &str = "3545F7B5820D76A3DF45A3A509DA8D8C38F70E4B";

/// A request with the given query, with a Host header.
fn request(query: &str) -> Vec<u8> {
    format!("GET http://10.1.1.1:5060?{query} HTTP/1.1\r\nHost: 10.1.1.1:5060\r\n\r\n").into_bytes()
}

fn problems(payload: &[u8]) -> Vec<String> {
    decode_udp_connection_request(payload).unwrap().problems
}

#[test]
fn annex_g_example() {
    let request = decode_udp_connection_request(ANNEX_G.as_bytes()).unwrap();
    assert_eq!(
        request.target,
        format!(
            "http://10.1.1.1:5060?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig={SIG}"
        )
    );
    assert_eq!(request.host.as_deref(), Some("10.1.1.1:5060"));
    assert_eq!(request.ts, Some(1_120_673_700));
    assert_eq!(request.id.as_deref(), Some("1234"));
    assert_eq!(request.username.as_deref(), Some("CPE57689"));
    assert_eq!(request.cnonce.as_deref(), Some("XTGRWIPC6D3IPXS3"));
    assert_eq!(request.signature.as_deref(), Some(SIG));
    assert_eq!(request.problems, Vec::<String>::new());
    assert_eq!(
        request.signed_text().as_deref(),
        Some("11206737001234CPE57689XTGRWIPC6D3IPXS3")
    );
}

#[test]
fn the_signature_is_replaced_in_the_target_and_nothing_else() {
    let replace =
        |target: &str| UdpConnectionRequest::target_with_signature_replaced(target, "[redacted]");
    let request = decode_udp_connection_request(ANNEX_G.as_bytes()).unwrap();
    assert_eq!(
        replace(&request.target),
        "http://10.1.1.1:5060?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=[redacted]"
    );
    // Every `sig`, an encoded key too; `cn` may hold the same text and stays; the fragment stays.
    assert_eq!(
        replace(&format!("/?sig={SIG}&cn={SIG}&%73ig=x&&sig#f&sig=y")),
        format!("/?sig=[redacted]&cn={SIG}&%73ig=[redacted]&&sig#f&sig=y")
    );
    assert_eq!(replace("/no-query"), "/no-query");
}

#[test]
fn percent_encoded_values_are_decoded() {
    let payload = request(&format!(
        "ts=0112&id=a%2Fb&un=CPE%2057689+x&cn=c%26n%3D1&sig={}",
        SIG.to_lowercase()
    ));
    let request = decode_udp_connection_request(&payload).unwrap();
    assert_eq!(request.ts, Some(112));
    assert_eq!(request.id.as_deref(), Some("a/b"));
    // `+` is not a space in a URI query component.
    assert_eq!(request.username.as_deref(), Some("CPE 57689+x"));
    assert_eq!(request.cnonce.as_deref(), Some("c&n=1"));
    assert_eq!(request.problems, Vec::<String>::new());
    // The signed text keeps `ts` as sent, leading zero included.
    assert_eq!(
        request.signed_text().as_deref(),
        Some("0112a/bCPE 57689+xc&n=1")
    );
}

#[test]
fn each_missing_field_is_named() {
    let fields = [
        ("ts", "1120673700"),
        ("id", "1234"),
        ("un", "CPE57689"),
        ("cn", "XTGRWIPC6D3IPXS3"),
        ("sig", SIG),
    ];
    for (skip, _) in fields {
        let query: Vec<String> = fields
            .iter()
            .filter(|(name, _)| *name != skip)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let request = decode_udp_connection_request(&request(&query.join("&"))).unwrap();
        assert_eq!(
            request.problems,
            [format!("missing `{skip}`")],
            "without {skip}"
        );
        // Only `sig` is outside the signed text.
        assert_eq!(
            request.signed_text().is_some(),
            skip == "sig",
            "without {skip}"
        );
    }
    let bare = b"GET http://10.1.1.1:5060 HTTP/1.1\r\nHost: 10.1.1.1:5060\r\n\r\n";
    assert_eq!(
        problems(bare),
        [
            "missing `ts`",
            "missing `id`",
            "missing `un`",
            "missing `cn`",
            "missing `sig`"
        ]
    );
}

#[test]
fn invalid_fields_are_named() {
    let cases: [(String, &str); 6] = [
        (
            format!("ts=abc&id=1&un=u&cn=c&sig={SIG}"),
            "`ts` is not a number: \"abc\"",
        ),
        (
            format!("ts=-5&id=1&un=u&cn=c&sig={SIG}"),
            "`ts` is not a number: \"-5\"",
        ),
        (
            "ts=1&id=1&un=u&cn=c&sig=3545F7B5".to_owned(),
            "`sig` is not 40 hex digits: \"3545F7B5\"",
        ),
        (
            format!("ts=1&id=1&un=u&cn=c&sig={}", SIG.replace('F', "G")),
            "`sig` is not 40 hex digits: \"3545G7B5820D76A3DG45A3A509DA8D8C38G70E4B\"",
        ),
        (format!("ts=1&id=1&un=&cn=c&sig={SIG}"), "`un` is empty"),
        (
            format!("ts=1&id=1&un=u&cn=c%zz&sig={SIG}"),
            "`cn` has a malformed percent escape or is not UTF-8 once decoded",
        ),
    ];
    for (query, problem) in cases {
        assert_eq!(problems(&request(&query)), [problem], "{query}");
    }
    let twice = request(&format!("ts=1&ts=2&id=1&un=u&cn=c&sig={SIG}"));
    let request = decode_udp_connection_request(&twice).unwrap();
    assert_eq!(
        request.problems,
        ["`ts` appears 2 times; the first is used"]
    );
    assert_eq!(request.ts, Some(1));
}

#[test]
fn request_line_and_headers_are_checked() {
    let query = format!("ts=1&id=1&un=u&cn=c&sig={SIG}");
    let post = format!("POST http://10.1.1.1:5060?{query} HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_eq!(
        problems(post.as_bytes()),
        ["method is POST, Annex G requires GET"]
    );
    let old = format!("GET http://10.1.1.1:5060?{query} HTTP/1.0\r\nHost: h\r\n\r\n");
    assert_eq!(
        problems(old.as_bytes()),
        ["request is HTTP/1.0, Annex G requires HTTP/1.1"]
    );
    let hostless = format!("GET http://10.1.1.1:5060?{query} HTTP/1.1\r\n\r\n");
    assert_eq!(problems(hostless.as_bytes()), ["missing Host header"]);
    let body = format!("GET http://10.1.1.1:5060?{query} HTTP/1.1\r\nHost: h\r\n\r\nxyz");
    assert_eq!(
        problems(body.as_bytes()),
        ["3 bytes follow the headers; Annex G requests have no body"]
    );
    let cut = format!("GET http://10.1.1.1:5060?{query} HTTP/1.1\r\nHost: h\r\n");
    assert_eq!(
        problems(cut.as_bytes()),
        ["the request is cut before the empty line that ends the headers"]
    );
}

#[test]
fn non_http_payloads_are_not_connection_requests() {
    for payload in [
        &b""[..],
        b"hello",
        b"\x00\x01\x00\x00\x21\x12\xa4\x42",
        b"\x16\x03\x01\x00\x05\x01",
        b"HTTP/1.1 200 OK\r\n\r\n",
        b"GET",
    ] {
        assert_eq!(decode_udp_connection_request(payload), None, "{payload:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// STUN
// ---------------------------------------------------------------------------------------------

/// An attribute with its value padded to 4 bytes.
fn attribute(kind: u16, value: &[u8]) -> Vec<u8> {
    let mut bytes = kind.to_be_bytes().to_vec();
    bytes.extend_from_slice(&(value.len() as u16).to_be_bytes());
    bytes.extend_from_slice(value);
    bytes.resize(bytes.len().next_multiple_of(4), 0);
    bytes
}

/// A message of type `kind` after `id` (cookie and 96-bit id, or a classic 128-bit id).
fn stun(kind: u16, id: &[u8; 16], attributes: &[Vec<u8>]) -> Vec<u8> {
    let body = attributes.concat();
    let mut bytes = kind.to_be_bytes().to_vec();
    bytes.extend_from_slice(&(body.len() as u16).to_be_bytes());
    bytes.extend_from_slice(id);
    bytes.extend_from_slice(&body);
    bytes
}

const CLASSIC_ID: [u8; 16] = *b"\x5a\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f";

/// A TR-111 binding announcement as a classic RFC 3489 Binding Request.
fn tr111_request() -> Vec<u8> {
    stun(
        0x0001,
        &CLASSIC_ID,
        &[
            attribute(0x0006, b"CPE57689"),
            attribute(0xC001, TR111_BINDING_VALUE.as_bytes()),
            attribute(0xC002, b""),
        ],
    )
}

/// RFC 5769 §2.2, "Sample IPv4 Response", byte for byte.
const RFC5769_IPV4: &str = "0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
    8022000b 74657374 20766563 746f7220
    00200008 0001a147 e112a643
    00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
    80280004 c07d4c96";

/// RFC 5769 §2.3, "Sample IPv6 Response", byte for byte.
const RFC5769_IPV6: &str = "01010048 2112a442 b7e7a701 bc34d686 fa87dfae
    8022000b 74657374 20766563 746f7220
    00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
    00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
    80280004 c8fb0b4c";

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

#[test]
fn classic_tr111_binding_request() {
    let message = decode_stun(&tr111_request()).unwrap();
    assert!(message.classic);
    assert_eq!((message.class, message.method), (StunClass::Request, 0x001));
    assert_eq!(message.transaction_id, CLASSIC_ID);
    assert_eq!(
        message.attributes,
        [
            StunAttribute::Username("CPE57689".into()),
            StunAttribute::ConnectionRequestBinding("dslforum.org/TR-111 ".into()),
            StunAttribute::BindingChange,
        ]
    );
    assert_eq!(message.problems, Vec::<String>::new());
    assert!(message.is_tr111_binding());
}

#[test]
fn rfc5769_ipv4_response() {
    let message = decode_stun(&hex(RFC5769_IPV4)).unwrap();
    assert!(!message.classic);
    assert_eq!(
        (message.class, message.method),
        (StunClass::SuccessResponse, 0x001)
    );
    assert_eq!(message.transaction_id, hex("b7e7a701 bc34d686 fa87dfae"));
    let mapped = SocketAddr::new(Ipv4Addr::new(192, 0, 2, 1).into(), 32853);
    let integrity: [u8; 20] = hex("2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7")
        .try_into()
        .unwrap();
    assert_eq!(
        message.attributes,
        [
            StunAttribute::Software("test vector".into()),
            StunAttribute::XorMappedAddress(mapped),
            StunAttribute::MessageIntegrity(integrity),
            StunAttribute::Fingerprint(0xc07d_4c96),
        ]
    );
    assert_eq!(message.problems, Vec::<String>::new());
    assert_eq!(message.mapped_address(), Some(mapped));
    assert!(!message.is_tr111_binding());
}

#[test]
fn rfc5769_ipv6_response() {
    let message = decode_stun(&hex(RFC5769_IPV6)).unwrap();
    let ip = Ipv6Addr::new(0x2001, 0xdb8, 0x1234, 0x5678, 0x11, 0x2233, 0x4455, 0x6677);
    let mapped = SocketAddr::new(ip.into(), 32853);
    assert_eq!(
        message.attributes[1],
        StunAttribute::XorMappedAddress(mapped)
    );
    assert_eq!(
        message.attributes[3],
        StunAttribute::Fingerprint(0xc8fb_0b4c)
    );
    assert_eq!(message.attributes[1].name(), Some("XOR-MAPPED-ADDRESS"));
    assert_eq!(message.problems, Vec::<String>::new());
}

#[test]
fn xor_mapped_address_matches_independent_computation() {
    // Encode a mapped address by XOR with the cookie and transaction id, as RFC 5389 §15.2
    // describes, and check that decoding gives it back.
    let id: [u8; 12] = *b"\x01\x23\x45\x67\x89\xab\xcd\xef\xfe\xdc\xba\x98";
    let ip = Ipv6Addr::new(0xfe80, 0, 0, 0, 0x1, 0x2, 0x3, 0x4);
    let mut key = MAGIC_COOKIE.to_be_bytes().to_vec();
    key.extend_from_slice(&id);
    let port: u16 = 7547;
    let mut value = vec![0, 2];
    value.extend_from_slice(&(port ^ 0x2112).to_be_bytes());
    value.extend(ip.octets().iter().zip(&key).map(|(a, b)| a ^ b));
    let mut header = key.clone();
    header.truncate(16);
    let message = decode_stun(&stun(
        0x0101,
        &header.try_into().unwrap(),
        &[attribute(0x0020, &value)],
    ))
    .unwrap();
    assert_eq!(
        message.mapped_address(),
        Some(SocketAddr::new(ip.into(), port))
    );
}

#[test]
fn classic_response_addresses_and_errors() {
    let address = |port: u16, ip: [u8; 4]| {
        let mut value = vec![0, 1];
        value.extend_from_slice(&port.to_be_bytes());
        value.extend_from_slice(&ip);
        value
    };
    let message = decode_stun(&stun(
        0x0101,
        &CLASSIC_ID,
        &[
            attribute(0x0001, &address(1024, [203, 0, 113, 5])),
            attribute(0x0004, &address(3478, [198, 51, 100, 1])),
            attribute(0x0005, &address(3479, [198, 51, 100, 2])),
        ],
    ))
    .unwrap();
    let at = |port, ip: [u8; 4]| SocketAddr::new(Ipv4Addr::from(ip).into(), port);
    assert_eq!(
        message.attributes,
        [
            StunAttribute::MappedAddress(at(1024, [203, 0, 113, 5])),
            StunAttribute::SourceAddress(at(3478, [198, 51, 100, 1])),
            StunAttribute::ChangedAddress(at(3479, [198, 51, 100, 2])),
        ]
    );
    assert_eq!(message.mapped_address(), Some(at(1024, [203, 0, 113, 5])));

    let request = decode_stun(&stun(
        0x0001,
        &CLASSIC_ID,
        &[
            attribute(0x0003, &[0, 0, 0, 6]),
            attribute(0x0002, &address(5000, [10, 0, 0, 1])),
        ],
    ))
    .unwrap();
    assert_eq!(
        request.attributes,
        [
            StunAttribute::ChangeRequest {
                change_ip: true,
                change_port: true
            },
            StunAttribute::ResponseAddress(at(5000, [10, 0, 0, 1])),
        ]
    );

    let error = decode_stun(&stun(
        0x0111,
        &CLASSIC_ID,
        &[
            attribute(0x0009, b"\0\0\x04\x20Unknown Attribute"),
            attribute(0x000A, &[0x7f, 0x31, 0xc0, 0x03]),
        ],
    ))
    .unwrap();
    assert_eq!(error.class, StunClass::ErrorResponse);
    assert_eq!(
        error.attributes,
        [
            StunAttribute::ErrorCode {
                code: 432,
                reason: "Unknown Attribute".into()
            },
            StunAttribute::UnknownAttributes(vec![0x7f31, 0xc003]),
        ]
    );
    // "Unknown Attribute" is 17 bytes, not a multiple of 4 as RFC 3489 wants.
    assert_eq!(
        error.problems,
        [
            "ERROR-CODE (0x0009) at byte offset 20 is 21 bytes long, not a multiple of 4 as RFC 3489 \
          requires; padding was assumed"
        ]
    );
}

#[test]
fn tr111_departures_are_named() {
    let message = decode_stun(&stun(
        0x0001,
        &CLASSIC_ID,
        &[
            attribute(0xC001, b"dslforum.org/TR-111x"),
            attribute(0xC002, b"\0\0\0\0"),
        ],
    ))
    .unwrap();
    assert!(message.is_tr111_binding());
    assert_eq!(
        message.problems,
        [
            "CONNECTION-REQUEST-BINDING (0xC001) at byte offset 20: value is \
             \"dslforum.org/TR-111x\", TR-111 requires \"dslforum.org/TR-111 \"",
            "BINDING-CHANGE (0xC002) at byte offset 44: has a 4-byte value, TR-111 defines it empty",
        ]
    );
}

#[test]
fn garbled_attributes_keep_what_came_before() {
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
    // An address of family 3, then an attribute announcing more bytes than there are.
    let mut bytes = stun(
        0x0101,
        &id,
        &[
            attribute(0x8022, b"acs"),
            attribute(0x0020, &[0, 3, 0, 0, 0, 0, 0, 0]),
            vec![0x00, 0x06, 0x00, 0xC8, b'a', b'b', b'c', b'd'],
        ],
    );
    let message = decode_stun(&bytes).unwrap();
    assert_eq!(
        message.attributes,
        [
            StunAttribute::Software("acs".into()),
            StunAttribute::Malformed {
                kind: 0x0020,
                value: vec![0, 3, 0, 0, 0, 0, 0, 0]
            },
        ]
    );
    assert_eq!(
        message.problems,
        [
            "XOR-MAPPED-ADDRESS (0x0020) at byte offset 28: unknown address family 3",
            "USERNAME (0x0006) at byte offset 40 announces 200 bytes of value, only 4 are present",
        ]
    );

    // A cut attribute header.
    bytes.truncate(42);
    bytes[3] = 24;
    let message = decode_stun(&bytes).unwrap();
    assert_eq!(message.attributes.len(), 2);
    assert_eq!(
        message.problems.last().map(String::as_str),
        Some("attribute header at byte offset 40 is cut after 2 bytes")
    );
}

#[test]
fn truncation_at_every_length_keeps_earlier_attributes() {
    for full in [hex(RFC5769_IPV4), hex(RFC5769_IPV6), tr111_request()] {
        let whole = decode_stun(&full).unwrap();
        // Where each attribute ends, padding included.
        let mut ends = Vec::new();
        let mut at = 20;
        while at < full.len() {
            let len = usize::from(u16::from_be_bytes([full[at + 2], full[at + 3]]));
            at += 4 + len.next_multiple_of(4);
            ends.push(at);
        }
        for cut in 0..full.len() {
            let Some(message) = decode_stun(&full[..cut]) else {
                assert!(cut < 20, "cut at {cut}");
                continue;
            };
            assert!(cut >= 20, "cut at {cut}");
            let complete = ends.iter().filter(|&&end| end <= cut).count();
            assert!(message.attributes.len() >= complete, "cut at {cut}");
            assert!(
                whole.attributes.starts_with(&message.attributes),
                "cut at {cut}: {:?}",
                message.attributes
            );
            assert!(
                message.problems[0].starts_with("message is cut: its header announces"),
                "cut at {cut}: {:?}",
                message.problems
            );
        }
    }
}

#[test]
fn non_stun_payloads_are_refused() {
    let valid = hex(RFC5769_IPV4);
    let mut high_bits = valid.clone();
    high_bits[0] |= 0x40;
    let mut longer = valid.clone();
    longer.extend_from_slice(&[0; 4]);
    let mut odd_length = valid.clone();
    odd_length[3] = 0x3d;
    // Without the cookie, only the RFC 3489 types are taken for STUN.
    let classic_unknown = stun(0x0003, &CLASSIC_ID, &[]);
    for payload in [
        &valid[..19],
        &high_bits,
        &longer,
        &odd_length,
        &classic_unknown,
        ANNEX_G.as_bytes(),
    ] {
        assert_eq!(decode_stun(payload), None, "{payload:?}");
    }
    // With the cookie, an indication of an unknown method is still STUN.
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
    let indication = decode_stun(&stun(0x0013, &id, &[])).unwrap();
    assert_eq!(
        (indication.class, indication.method),
        (StunClass::Indication, 0x003)
    );
}

// ---------------------------------------------------------------------------------------------
// TLS
// ---------------------------------------------------------------------------------------------

fn u24(len: usize) -> [u8; 3] {
    let bytes = (len as u32).to_be_bytes();
    [bytes[1], bytes[2], bytes[3]]
}

fn with_u16_len(body: &[u8]) -> Vec<u8> {
    let mut bytes = (body.len() as u16).to_be_bytes().to_vec();
    bytes.extend_from_slice(body);
    bytes
}

/// A handshake record of `record_version` holding one message of `kind`.
fn record(record_version: u16, kind: u8, body: &[u8]) -> Vec<u8> {
    let mut handshake = vec![kind];
    handshake.extend_from_slice(&u24(body.len()));
    handshake.extend_from_slice(body);
    let mut bytes = vec![0x16];
    bytes.extend_from_slice(&record_version.to_be_bytes());
    bytes.extend_from_slice(&with_u16_len(&handshake));
    bytes
}

fn extension(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut bytes = kind.to_be_bytes().to_vec();
    bytes.extend_from_slice(&with_u16_len(data));
    bytes
}

/// A ClientHello as a browser-like client sends it, with GREASE, SNI and supported_versions.
fn client_hello(record_version: u16, versions: &[u16]) -> Vec<u8> {
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0x42; 32]); // random
    body.push(32);
    body.extend_from_slice(&[0x17; 32]); // session id
    body.extend_from_slice(&with_u16_len(&[
        0x8a, 0x8a, 0x13, 0x01, 0x13, 0x02, 0xc0, 0x2f,
    ]));
    body.extend_from_slice(&[1, 0]); // null compression
    let host = b"acs.example.com";
    let mut entry = vec![0];
    entry.extend_from_slice(&with_u16_len(host));
    let mut extensions = extension(0x2a2a, b"");
    extensions.extend(extension(0, &with_u16_len(&entry)));
    if !versions.is_empty() {
        let mut list = vec![(versions.len() * 2) as u8];
        list.extend(versions.iter().flat_map(|v| v.to_be_bytes()));
        extensions.extend(extension(43, &list));
    }
    extensions.extend(extension(13, &with_u16_len(&[0x04, 0x03, 0x08, 0x04])));
    body.extend_from_slice(&with_u16_len(&extensions));
    record(record_version, 1, &body)
}

fn server_hello() -> Vec<u8> {
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0x24; 32]);
    body.push(32);
    body.extend_from_slice(&[0x17; 32]);
    body.extend_from_slice(&[0x13, 0x01, 0]);
    let mut extensions = extension(43, &[0x03, 0x04]);
    extensions.extend(extension(51, &[0x00, 0x1d, 0x00, 0x02, 0xaa, 0xbb]));
    body.extend_from_slice(&with_u16_len(&extensions));
    record(0x0303, 2, &body)
}

const ENCRYPTED: &str = "encrypted: TLS handshake seen; CWMP cannot be read without keys";

#[test]
fn client_hello_with_sni() {
    let hello = detect_tls(&client_hello(0x0303, &[])).unwrap();
    assert_eq!(hello.kind, TlsHelloKind::ClientHello);
    assert_eq!(hello.record_version, 0x0303);
    assert_eq!(hello.hello_version, Some(0x0303));
    assert_eq!(hello.server_name.as_deref(), Some("acs.example.com"));
    assert_eq!(
        hello.message(),
        format!("{ENCRYPTED} (ClientHello, TLS 1.2 record, SNI acs.example.com)")
    );

    let modern = detect_tls(&client_hello(0x0301, &[0x7a7a, 0x0304, 0x0303])).unwrap();
    assert_eq!(modern.supported_versions, [0x0304, 0x0303]);
    assert_eq!(
        modern.message(),
        format!(
            "{ENCRYPTED} (ClientHello, TLS 1.0 record, TLS 1.2 hello, SNI acs.example.com, \
             offers TLS 1.3/TLS 1.2)"
        )
    );
}

#[test]
fn server_hello_selects_a_version() {
    let hello = detect_tls(&server_hello()).unwrap();
    assert_eq!(hello.kind, TlsHelloKind::ServerHello);
    assert_eq!(hello.server_name, None);
    assert_eq!(hello.supported_versions, [0x0304]);
    assert_eq!(
        hello.message(),
        format!("{ENCRYPTED} (ServerHello, TLS 1.2 record, selects TLS 1.3)")
    );
}

#[test]
fn cut_records_still_detect() {
    let full = client_hello(0x0301, &[0x0304]);
    let whole = detect_tls(&full).unwrap();
    for cut in 0..full.len() {
        let detected = detect_tls(&full[..cut]);
        if cut < 6 {
            assert_eq!(detected, None, "cut at {cut}");
            continue;
        }
        let hello = detected.unwrap();
        assert_eq!(hello.kind, TlsHelloKind::ClientHello, "cut at {cut}");
        assert_eq!(hello.record_version, 0x0301);
        assert_eq!(hello.hello_version.is_some(), cut >= 11, "cut at {cut}");
        // What is found is what the whole hello holds.
        if let Some(name) = &hello.server_name {
            assert_eq!(Some(name), whole.server_name.as_ref());
        }
    }
    let header_only = detect_tls(&full[..6]).unwrap();
    assert_eq!(
        header_only.message(),
        format!("{ENCRYPTED} (ClientHello, TLS 1.0 record)")
    );
}

#[test]
fn sslv2_client_hello() {
    let bytes = [
        0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10,
    ];
    let hello = detect_tls(&bytes).unwrap();
    assert_eq!(hello.kind, TlsHelloKind::Sslv2ClientHello);
    assert_eq!(hello.hello_version, Some(0x0301));
    assert_eq!(
        hello.message(),
        format!("{ENCRYPTED} (SSLv2-compatible ClientHello, SSL 2.0 record, TLS 1.0 hello)")
    );
}

#[test]
fn non_tls_is_none() {
    for bytes in [
        &b"POST / HTTP/1.1\r\nHost: acs\r\n\r\n"[..],
        b"",
        b"\x16\x03",
        b"\x16\x03\x01\x00",
        // Application data, an alert, a version 3.9 record, and a Finished handshake.
        b"\x17\x03\x03\x00\x10\x01",
        b"\x15\x03\x03\x00\x02\x02",
        b"\x16\x03\x09\x00\x40\x01",
        b"\x16\x03\x03\x00\x40\x14",
    ] {
        assert_eq!(detect_tls(bytes), None, "{bytes:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// No panics on anything
// ---------------------------------------------------------------------------------------------

/// Arbitrary bytes, or arbitrary bytes after a prefix that leads deep into a decoder.
fn bytes_after(prefix: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(move |tail| {
            let mut bytes = prefix.clone();
            bytes.extend(tail);
            bytes
        }),
    ]
}

proptest! {
    #[test]
    fn udp_connection_request_never_panics(
        bytes in bytes_after(b"GET http://h?ts=".to_vec()),
        query in "[a-z=&%0-9A-F+]{0,80}",
    ) {
        let _ = decode_udp_connection_request(&bytes);
        if let Some(request) = decode_udp_connection_request(&request(&query)) {
            let _ = request.signed_text();
        }
    }

    #[test]
    fn stun_never_panics(tail in bytes_after(Vec::new()), classic in any::<bool>()) {
        let _ = decode_stun(&tail);
        // A valid header with the length of the (4-aligned) tail reaches the attribute loop.
        let mut id = CLASSIC_ID;
        if !classic {
            id[..4].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
        }
        let mut body = tail;
        body.truncate(body.len() / 4 * 4);
        let mut bytes = stun(0x0101, &id, &[]);
        bytes[2..4].copy_from_slice(&(body.len() as u16).to_be_bytes());
        bytes.extend(body);
        prop_assert!(decode_stun(&bytes).is_some());
    }

    #[test]
    fn tls_never_panics(bytes in bytes_after(client_hello(0x0301, &[0x0304])[..60].to_vec())) {
        if let Some(hello) = detect_tls(&bytes) {
            let _ = hello.message();
        }
    }
}
