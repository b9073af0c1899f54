//! The whole import of a capture: HTTP, a connection request, TLS, another TCP protocol, UDP
//! connection requests, STUN and unknown datagrams, with every frame accounted for.

mod common;

use common::{ipv4_tcp_flags, ipv6_udp, raw_pcap};
use cwmp_capture::{Location, StunClass, Timestamp, TlsHelloKind, import, import_capture};

const ACS: [u8; 4] = [192, 0, 2, 1];
const CPE: [u8; 4] = [198, 51, 100, 7];
const SYN: u8 = 0x02;
const PSH_ACK: u8 = 0x18;

fn tcp(from_cpe: bool, sport: u16, dport: u16, seq: u32, flags: u8, data: &[u8]) -> Vec<u8> {
    let (src, dst) = if from_cpe { (CPE, ACS) } else { (ACS, CPE) };
    ipv4_tcp_flags(src, dst, sport, dport, seq, 1, flags, data)
}

fn v6(last: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = 0xb8;
    a[15] = last;
    a
}

/// A TLS 1.2 ClientHello record with no extensions: enough for detection.
fn client_hello() -> Vec<u8> {
    let mut hello = vec![0x03, 0x03];
    hello.extend([0u8; 32]); // random
    hello.push(0); // session id
    hello.extend([0x00, 0x02, 0x13, 0x01]); // one cipher suite
    hello.extend([0x01, 0x00]); // null compression
    let mut hs = vec![0x01, 0x00, 0x00, u8::try_from(hello.len()).unwrap()];
    hs.extend(hello);
    let mut rec = vec![0x16, 0x03, 0x01, 0x00, u8::try_from(hs.len()).unwrap()];
    rec.extend(hs);
    rec
}

fn stun_binding_request() -> Vec<u8> {
    let mut m = vec![0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42];
    m.extend([7u8; 12]);
    m
}

fn capture() -> Vec<u8> {
    let inform = b"POST /acs HTTP/1.1\r\nHost: acs\r\nContent-Length: 5\r\n\r\nhello";
    let reply = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    raw_pcap(&[
        // 1-3: a CWMP POST and its answer.
        tcp(true, 50000, 7547, 100, SYN, b""),
        tcp(true, 50000, 7547, 101, PSH_ACK, inform),
        tcp(false, 7547, 50000, 900, PSH_ACK, reply),
        // 4-5: a connection request answered 204.
        tcp(false, 41000, 30005, 10, PSH_ACK, b"GET /cr HTTP/1.1\r\nHost: cpe\r\n\r\n"),
        tcp(true, 30005, 41000, 20, PSH_ACK, b"HTTP/1.1 204 No Content\r\n\r\n"),
        // 6: TLS to the ACS.
        tcp(true, 50001, 443, 5, PSH_ACK, &client_hello()),
        // 7: something else on TCP.
        tcp(true, 50002, 22, 5, PSH_ACK, b"SSH-2.0-OpenSSH_9.6\r\n"),
        // 8-10: UDP connection request, STUN, and an unknown datagram.
        ipv6_udp(
            v6(1),
            v6(2),
            40000,
            7547,
            b"GET http://[2001:db8::2]:7547?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=3545F7B5820D76A3DF45A3A509DA8D8C38F70E4B HTTP/1.1\r\nHost: [2001:db8::2]:7547\r\n\r\n",
        ),
        ipv6_udp(v6(2), v6(3), 7547, 3478, &stun_binding_request()),
        ipv6_udp(v6(2), v6(3), 5353, 5353, b"\x00\x00\x84\x00"),
    ])
}

#[test]
fn every_kind_of_traffic_is_read_or_reported() {
    let file = capture();
    let imp = import(&file);
    assert_eq!(
        imp.format.map(cwmp_capture::InputFormat::short_name),
        Some("pcap")
    );
    let s = imp.summary;
    assert_eq!(s.frames, 10);
    assert_eq!(s.tcp_connections, 4);
    assert_eq!(s.http_exchanges, 2);
    assert_eq!(s.http_messages, 4);
    assert_eq!(s.tls_streams, 1);
    assert_eq!(s.streams_not_http, 1);
    assert_eq!(s.udp_datagrams, 3);
    assert_eq!(s.udp_connection_requests, 1);
    assert_eq!(s.stun_messages, 1);
    assert_eq!(s.udp_unrecognised, 1);
    assert_eq!(s.input_bytes, file.len() as u64);

    let post = imp.exchanges[0].request.as_ref().unwrap();
    assert_eq!(post.body, b"hello");
    assert_eq!(post.first_time, Some(Timestamp(2_000_000_000)));

    assert_eq!(imp.connection_requests.len(), 1);
    let cr = &imp.connection_requests[0];
    assert_eq!(cr.target, "/cr");
    assert_eq!(cr.result, Some(204));
    assert_eq!(cr.attempts[0].exchange, 1);

    assert_eq!(imp.encrypted.len(), 1);
    assert_eq!(
        imp.encrypted[0].message,
        "encrypted: TLS handshake seen; CWMP cannot be read without keys (ClientHello, TLS 1.0 record, TLS 1.2 hello)"
    );
    assert_eq!(imp.encrypted[0].server.port(), 443);
    let _ = TlsHelloKind::ClientHello;

    assert_eq!(imp.opaque.len(), 1);
    assert_eq!(imp.opaque[0].preview, b"SSH-2.0-OpenSSH_9.6\r\n");
    assert!(
        imp.errors
            .iter()
            .any(|e| e.location == Location::Frame(7) && e.message.contains("not HTTP"))
    );

    let udp = &imp.udp_connection_requests[0];
    assert_eq!(udp.frame, 8);
    assert_eq!(udp.message.username.as_deref(), Some("CPE57689"));
    assert_eq!(udp.message.ts, Some(1_120_673_700));
    assert!(udp.message.problems.is_empty());
    assert_eq!(imp.stun[0].message.class, StunClass::Request);
    assert_eq!(imp.stun[0].frame, 9);
}

#[test]
fn a_capture_cut_anywhere_still_imports_what_came_before() {
    let file = capture();
    let whole = import_capture(&file);
    for cut in (0..file.len()).step_by(7) {
        let part = import(&file[..cut]);
        assert!(part.summary.frames <= whole.summary.frames);
        assert!(part.exchanges.len() <= whole.exchanges.len());
        let frames = cwmp_capture::read_frames(&file[..cut]).frames;
        let at_record_boundary = frames.last().map_or(24, |f| f.span.end) == cut;
        if cut >= 24 && !at_record_boundary {
            assert!(
                part.errors.iter().any(|e| e.message.contains("cut")),
                "cut at {cut}: {:?}",
                part.errors
            );
        }
    }
}

#[test]
fn importing_an_owned_input_gives_the_same_import() {
    let bytes = capture();
    assert_eq!(cwmp_capture::import_owned(bytes.clone()), import(&bytes));
    let text = b"POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n".to_vec();
    assert_eq!(cwmp_capture::import_owned(text.clone()), import(&text));
}
