//! Wireshark as an oracle: for each capture, tshark's HTTP messages (frame, `tcp.stream`,
//! method, status, Content-Length) must be ours.
//!
//! tshark reports a message reassembled over several segments at the frame holding its last
//! byte, which is `HttpMessage::frames.end - 1`; several messages ending in one frame share one
//! output line, their fields joined by commas. So both sides are compared as one row per frame
//! that ends at least one message.
//!
//! tshark is required: `cargo xtask test` installs it. Without it these tests fail, rather than
//! pass without having compared anything.
// Lengths and counts in these captures are small and known.
#![allow(clippy::cast_possible_truncation)]

mod common;

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use common::{PcapOut, TcpConv};
use cwmp_capture::{HttpMessage, import_capture};

const BAICELLS: &[u8] = include_bytes!("vectors/magma_baicells_qrtb_enodebd_tr069.pcap");

/// The frames that end at least one HTTP message, with those messages' fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Row {
    frame: u64,
    stream: u64,
    methods: Vec<String>,
    codes: Vec<u16>,
    content_lengths: Vec<u64>,
}

/// Runs tshark on `file` and reads its rows. Reassembly of headers, bodies and out-of-order
/// segments is switched on explicitly (the last is off by default in tshark 4.0), and the ports
/// used here that Wireshark does not know as HTTP are decoded as HTTP.
fn tshark(file: &std::path::Path) -> Vec<Row> {
    let output = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(file)
        .args([
            "-o",
            "tcp.desegment_tcp_streams:TRUE",
            "-o",
            "tcp.reassemble_out_of_order:TRUE",
            "-o",
            "http.desegment_headers:TRUE",
            "-o",
            "http.desegment_body:TRUE",
            "-o",
            "http.dechunk_body:TRUE",
            "-d",
            "tcp.port==7547,http",
            "-d",
            "tcp.port==8443,http",
            "-Y",
            "http",
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "tcp.stream",
            "-e",
            "http.request.method",
            "-e",
            "http.response.code",
            "-e",
            "http.content_length",
        ])
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run tshark ({error}): these tests compare our HTTP exchanges with \
                 Wireshark's and need it installed; `cargo xtask test` installs it (Debian: \
                 `apt-get install tshark`)"
            )
        });
    assert!(
        output.status.success(),
        "tshark failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let list = |i: usize| -> Vec<&str> {
                f.get(i)
                    .map(|v| v.split(',').filter(|s| !s.is_empty()).collect())
                    .unwrap_or_default()
            };
            Row {
                frame: f[0].parse().unwrap(),
                stream: f[1].parse().unwrap(),
                methods: list(2).into_iter().map(str::to_owned).collect(),
                codes: list(3).into_iter().map(|c| c.parse().unwrap()).collect(),
                content_lengths: list(4).into_iter().map(|c| c.parse().unwrap()).collect(),
            }
        })
        .collect()
}

/// Our messages as tshark would print them.
fn ours(capture: &[u8]) -> Vec<Row> {
    let import = import_capture(capture);
    let mut messages: Vec<&HttpMessage> = import
        .exchanges
        .iter()
        .flat_map(|x| x.request.iter().chain(&x.interim).chain(&x.response))
        .collect();
    let last = |m: &HttpMessage| m.frames.as_ref().expect("a capture message has frames").end - 1;
    messages.sort_by_key(|m| (last(m), m.stream, m.stream_range.start));
    let mut rows: Vec<Row> = Vec::new();
    for m in messages {
        let frame = last(m);
        if rows.last().is_none_or(|r| r.frame != frame) {
            rows.push(Row {
                frame,
                stream: m.stream.expect("a capture message has a stream"),
                ..Row::default()
            });
        }
        let row = rows.last_mut().unwrap();
        row.methods.extend(m.method().map(str::to_owned));
        row.codes.extend(m.status());
        row.content_lengths.extend(
            m.header("content-length")
                .map(|v| v.parse::<u64>().unwrap()),
        );
    }
    rows
}

/// Writes `capture` where tshark can read it.
fn write(name: &str, capture: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tshark-oracle");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.pcap"));
    std::fs::write(&path, capture).unwrap();
    path
}

/// Asserts that tshark and we agree on `capture`; returns our rows.
fn agree(name: &str, capture: &[u8]) -> Vec<Row> {
    let path = write(name, capture);
    let (theirs, ours) = (tshark(&path), ours(capture));
    assert_eq!(
        ours, theirs,
        "{name}: ours (left) differ from tshark's (right)"
    );
    assert!(!ours.is_empty(), "{name}: no HTTP at all");
    ours
}

fn conv(server_port: u16) -> TcpConv {
    TcpConv::new(
        SocketAddr::from(([10, 0, 0, 1], 40000)),
        SocketAddr::from(([10, 0, 0, 2], server_port)),
    )
}

fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = PcapOut::with_capacity(0);
    out.push_all(frames);
    out.buf
}

fn request(method: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!(
        "{method} /acs HTTP/1.1\r\nHost: acs\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    m.extend_from_slice(body);
    m
}

fn response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    m.extend_from_slice(body);
    m
}

fn body(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| b'a' + (i as u8 ^ seed) % 26).collect()
}

/// A connection with `exchanges` request/response pairs, bodies spread over several segments.
fn keep_alive(mut c: TcpConv, exchanges: usize) -> Vec<Vec<u8>> {
    let mut f = c.handshake();
    for i in 0..exchanges {
        f.extend(c.send(true, &request("POST", &body(300 + 700 * i, i as u8)), 536));
        f.push(c.ack(false));
        f.extend(c.send(false, &response("200 OK", &body(900 * i, 7)), 536));
    }
    f.extend(c.close());
    f
}

#[test]
fn real_capture() {
    let rows = agree("baicells", BAICELLS);
    assert_eq!(rows.len(), 34);
}

#[test]
fn keep_alive_several_exchanges() {
    let rows = agree("keep-alive", &pcap(&keep_alive(conv(7547), 4)));
    assert_eq!(rows.len(), 8);
}

#[test]
fn port_80() {
    agree("port-80", &pcap(&keep_alive(conv(80), 2)));
}

#[test]
fn pipelined_requests() {
    let mut c = conv(80);
    let mut f = c.handshake();
    let mut both = request("GET", b"");
    both.extend(request("POST", b"<x/>"));
    both.extend(request("GET", b""));
    f.extend(c.send(true, &both, 1448));
    let mut answers = response("200 OK", b"first");
    answers.extend(response("200 OK", &body(2000, 3)));
    answers.extend(response("404 Not Found", b""));
    f.extend(c.send(false, &answers, 1448));
    f.extend(c.close());
    let rows = agree("pipelined", &pcap(&f));
    assert_eq!(rows[0].methods, ["GET", "POST", "GET"]);
}

#[test]
fn chunked_response() {
    let mut c = conv(7547);
    let mut f = c.handshake();
    f.extend(c.send(true, &request("POST", b"<Inform/>"), 1448));
    let mut chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for len in [700, 1500, 30] {
        write!(chunked, "{len:x}\r\n").unwrap();
        chunked.extend(body(len, 1));
        chunked.extend(b"\r\n");
    }
    chunked.extend(b"0\r\n\r\n");
    f.extend(c.send(false, &chunked, 600));
    f.extend(c.send(true, &request("POST", b""), 1448));
    f.extend(c.send(false, &response("204 No Content", b""), 1448));
    f.extend(c.close());
    let rows = agree("chunked", &pcap(&f));
    assert_eq!(rows[1].content_lengths, Vec::<u64>::new());
}

#[test]
fn gzip_response() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Varied enough not to compress into a single segment.
    let plain: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    gz.write_all(&plain).unwrap();
    let compressed = gz.finish().unwrap();
    let mut c = conv(80);
    let mut f = c.handshake();
    f.extend(c.send(true, &request("GET", b""), 1448));
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        compressed.len()
    )
    .into_bytes();
    answer.extend(&compressed);
    f.extend(c.send(false, &answer, 1448));
    f.extend(c.close());
    agree("gzip", &pcap(&f));
    let import = import_capture(&pcap(&f));
    assert_eq!(import.exchanges[0].response.as_ref().unwrap().body, plain);
}

#[test]
fn expect_100_continue() {
    let mut c = conv(7547);
    let mut f = c.handshake();
    let payload = body(3000, 9);
    let head = format!(
        "POST /acs HTTP/1.1\r\nHost: acs\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    );
    f.extend(c.send(true, head.as_bytes(), 1448));
    f.extend(c.send(false, b"HTTP/1.1 100 Continue\r\n\r\n", 1448));
    f.extend(c.send(true, &payload, 1448));
    f.extend(c.send(false, &response("200 OK", b"<done/>"), 1448));
    f.extend(c.close());
    let rows = agree("100-continue", &pcap(&f));
    let codes: Vec<&[u16]> = rows.iter().map(|r| &r.codes[..]).collect();
    assert_eq!(codes, [&[100][..], &[], &[200]]);
}

#[test]
fn head_response_has_no_body() {
    let mut c = conv(80);
    let mut f = c.handshake();
    f.extend(c.send(
        true,
        b"HEAD /firmware.bin HTTP/1.1\r\nHost: acs\r\n\r\n",
        1448,
    ));
    f.extend(c.send(
        false,
        b"HTTP/1.1 200 OK\r\nContent-Length: 123456\r\n\r\n",
        1448,
    ));
    f.extend(c.send(true, &request("GET", b""), 1448));
    f.extend(c.send(false, &response("200 OK", &body(2500, 4)), 1448));
    f.extend(c.close());
    let rows = agree("head", &pcap(&f));
    assert_eq!(rows.len(), 4);
}

#[test]
fn no_content() {
    let mut c = conv(7547);
    let mut f = c.handshake();
    f.extend(c.send(true, &request("POST", &body(2000, 2)), 1448));
    f.extend(c.send(false, b"HTTP/1.1 204 No Content\r\n\r\n", 1448));
    f.extend(c.send(true, &request("POST", b""), 1448));
    f.extend(c.send(false, &response("200 OK", b"<x/>"), 1448));
    f.extend(c.close());
    agree("204", &pcap(&f));
}

#[test]
fn ipv6() {
    let c = TcpConv::new(
        "[2001:db8::1]:40000".parse().unwrap(),
        "[2001:db8::2]:7547".parse().unwrap(),
    );
    agree("ipv6", &pcap(&keep_alive(c, 3)));
}

#[test]
fn vlan() {
    let mut c = conv(7547);
    c.vlans = vec![100];
    agree("vlan", &pcap(&keep_alive(c, 3)));
}

#[test]
fn out_of_order_and_retransmitted() {
    let mut c = conv(7547);
    let mut f = c.handshake();
    let mut req = c.send(true, &request("POST", &body(4000, 5)), 1000);
    // The second segment is overtaken by the third, and the first is sent again at the end.
    req.swap(1, 2);
    let again = req[0].clone();
    req.push(again);
    f.extend(req);
    let mut resp = c.send(false, &response("200 OK", &body(3000, 6)), 1000);
    let again = resp[1].clone();
    resp.insert(3, again);
    f.extend(resp);
    f.extend(c.send(true, &request("POST", b""), 1448));
    f.extend(c.send(false, &response("200 OK", b"<y/>"), 1448));
    f.extend(c.close());
    let rows = agree("out-of-order", &pcap(&f));
    assert_eq!(rows.len(), 4);
}

/// A segment inside a Content-Length body never arrives: we know where the body ends, so we
/// report the message (incomplete) at its last frame and read the next exchange normally.
/// tshark waits for the missing bytes forever: it reports neither the cut message nor anything
/// after it in that direction, because its reassembly cannot move past the hole. The rows
/// before the hole and those of the other direction must still agree.
#[test]
fn missing_segment_in_body() {
    let mut c = conv(7547);
    let mut f = c.handshake();
    f.extend(c.send(true, &request("POST", b"<a/>"), 1448));
    let mut resp = c.send(false, &response("200 OK", &body(4000, 8)), 1448);
    resp.remove(1);
    f.extend(resp);
    f.extend(c.send(true, &request("POST", b""), 1448));
    f.extend(c.send(false, &response("200 OK", b"<b/>"), 1448));
    f.extend(c.close());
    let capture = pcap(&f);
    let theirs = tshark(&write("missing-segment", &capture));
    let ours = ours(&capture);
    let import = import_capture(&capture);
    let cut = import.exchanges[0].response.as_ref().unwrap();
    assert!(!cut.complete, "the body lost a segment");
    assert_eq!(cut.status(), Some(200));
    // Ours: POST, 200 (cut), POST, 200. tshark: the two requests only.
    let requests: Vec<Row> = ours
        .iter()
        .filter(|r| !r.methods.is_empty())
        .cloned()
        .collect();
    assert_eq!(ours.len(), 4);
    assert_eq!(
        theirs, requests,
        "tshark reports only the client's requests"
    );
}

/// The benchmark's generator, small: 20 interleaved CWMP sessions.
#[test]
fn generated_sessions() {
    let capture = common::cwmp_sessions(20, 4, 7);
    let rows = agree("generated", &capture);
    // Six messages a session, one per row since each ends in its own frame.
    assert_eq!(rows.len(), 20 * 6);
    let import = import_capture(&capture);
    assert_eq!(import.summary.tcp_connections, 20);
    assert_eq!(import.summary.http_exchanges, 60);
    assert!(import.errors.is_empty(), "{:?}", import.errors);
}
