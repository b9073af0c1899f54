//! HTTP/1.1 over reassembled streams: framing, keep-alive, pipelining, codings, quirks and gaps,
//! on streams built by hand so that every expected value is known.

use std::io::Write;
use std::net::SocketAddr;

use cwmp_capture::{
    BodyFraming, ByteStream, Chunk, ClientRule, Connection, Gap, GapReason, HalfStream,
    HttpErrorKind, HttpExchange, Role, StartLine, StreamItem, Timestamp, parse_connection,
    parse_stream,
};

/// Where frame `n`'s bytes are said to be in the input: 10,000 bytes per frame.
fn span_of(frame: u64) -> usize {
    usize::try_from(frame).unwrap() * 10_000
}

/// A half-stream from pieces: `Ok(bytes)` arrives, `Err(n)` is a gap of `n` bytes. Each piece is
/// its own frame, numbered from `first_frame`, one second apart.
fn half(first_frame: u64, pieces: &[Result<&[u8], u64>]) -> HalfStream {
    let mut h = HalfStream::default();
    let mut offset = 0;
    for (i, p) in pieces.iter().enumerate() {
        let frame = first_frame + i as u64;
        match p {
            Ok(data) => {
                h.items.push(StreamItem::Data(Chunk {
                    offset,
                    data: data.to_vec(),
                    frame,
                    span: Some(span_of(frame)..span_of(frame) + data.len()),
                    timestamp: Some(Timestamp(i64::try_from(frame).unwrap() * 1_000_000_000)),
                }));
                offset += data.len() as u64;
                h.bytes += data.len() as u64;
            }
            Err(n) => {
                h.items.push(StreamItem::Gap(Gap {
                    offset,
                    len: *n,
                    seq: 0..0,
                    timestamp: None,
                    reason: GapReason::Missing,
                }));
                offset += n;
                h.gap_bytes += n;
            }
        }
    }
    h
}

fn conn(client: HalfStream, server: HalfStream) -> Connection {
    Connection {
        index: 7,
        client: "10.0.0.2:50000".parse().unwrap(),
        server: "10.0.0.1:7547".parse().unwrap(),
        rule: ClientRule::Syn,
        first_frame: 1,
        client_to_server: client,
        server_to_client: server,
    }
}

fn one(text: &[u8], role: Role) -> cwmp_capture::ParsedStream {
    parse_stream(&ByteStream::from_text(text, 0), role, &[])
}

/// (method or status, body) per exchange, for compact assertions.
fn outline(xs: &[HttpExchange]) -> Vec<(String, String, String, String)> {
    xs.iter()
        .map(|x| {
            let req = x.request.as_ref();
            let resp = x.response.as_ref();
            (
                req.and_then(|m| m.method()).unwrap_or("-").to_owned(),
                req.map_or("-".into(), |m| {
                    String::from_utf8_lossy(&m.body).into_owned()
                }),
                resp.and_then(cwmp_capture::HttpMessage::status)
                    .map_or("-".into(), |s| s.to_string()),
                resp.map_or("-".into(), |m| {
                    String::from_utf8_lossy(&m.body).into_owned()
                }),
            )
        })
        .collect()
}

fn o(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
    (a.into(), b.into(), c.into(), d.into())
}

#[test]
fn keep_alive_exchanges_pair_in_order_with_times_frames_and_endpoints() {
    let c = half(
        10,
        &[
            Ok(b"POST /acs HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"),
            Ok(b"POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
        ],
    );
    let s = half(
        20,
        &[
            Ok(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"),
            Ok(b"HTTP/1.1 204 No Content\r\n\r\n"),
        ],
    );
    let http = parse_connection(&conn(c, s));
    assert_eq!(
        outline(&http.exchanges),
        vec![o("POST", "hello", "200", "hi"), o("POST", "", "204", "")]
    );
    let x = &http.exchanges[0];
    let req = x.request.as_ref().unwrap();
    assert_eq!(req.frames, Some(10..11));
    assert_eq!(req.first_time, Some(Timestamp(10_000_000_000)));
    assert_eq!(req.stream, Some(7));
    assert_eq!(
        req.src,
        Some("10.0.0.2:50000".parse::<SocketAddr>().unwrap())
    );
    assert_eq!(
        req.dst,
        Some("10.0.0.1:7547".parse::<SocketAddr>().unwrap())
    );
    assert_eq!(req.stream_range, 0..46);
    assert_eq!(req.spans, vec![100_000..100_046]);
    assert!(req.complete && req.errors.is_empty());
    assert_eq!(x.stream, Some(7));
    let resp = x.response.as_ref().unwrap();
    assert_eq!(resp.frames, Some(20..21));
    assert_eq!(resp.framing, BodyFraming::ContentLength(2));
}

#[test]
fn a_message_split_over_frames_keeps_every_span_and_its_last_frame() {
    let c = half(
        1,
        &[
            Ok(b"POST / HTTP/1.1\r\nContent-"),
            Ok(b"Length: 4\r\n\r\nab"),
            Ok(b"cd"),
        ],
    );
    let p = parse_stream(&ByteStream::from_half_stream(&c), Role::Requests, &[]);
    let m = &p.messages[0];
    assert_eq!(m.body, b"abcd");
    assert_eq!(m.frames, Some(1..4));
    assert_eq!(m.first_time, Some(Timestamp(1_000_000_000)));
    assert_eq!(m.last_time, Some(Timestamp(3_000_000_000)));
    assert_eq!(
        m.spans,
        vec![10_000..10_025, 20_000..20_015, 30_000..30_002]
    );
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let c = half(
        1,
        &[Ok(
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nHEAD /c HTTP/1.1\r\n\r\n",
        )],
    );
    let s = half(
        2,
        &[Ok(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nBHTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n",
        )],
    );
    let http = parse_connection(&conn(c, s));
    assert_eq!(
        outline(&http.exchanges),
        vec![
            o("GET", "", "200", "A"),
            o("GET", "", "404", "B"),
            // A response to HEAD has no body, whatever Content-Length says.
            o("HEAD", "", "200", ""),
        ]
    );
    assert!(http.errors.is_empty(), "{:?}", http.errors);
}

#[test]
fn chunked_bodies_with_extensions_and_trailers() {
    let p = one(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
        Role::Responses,
    );
    assert_eq!(p.messages.len(), 2);
    assert_eq!(p.messages[0].body, b"hello world");
    assert_eq!(p.messages[0].framing, BodyFraming::Chunked);
    assert_eq!(p.messages[0].wire_body_len, 11);
    assert!(p.messages[0].complete);
    assert_eq!(p.messages[1].status(), Some(204));
}

#[test]
fn chunked_wins_over_content_length_and_says_so() {
    let p = one(
        b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
        Role::Requests,
    );
    let m = &p.messages[0];
    assert_eq!(m.body, b"ab");
    assert_eq!(m.errors[0].kind, HttpErrorKind::BadLength);
}

#[test]
fn bad_chunk_size_is_reported_with_its_offset() {
    let p = one(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
        Role::Responses,
    );
    let e = &p.messages[0].errors[0];
    assert_eq!(e.kind, HttpErrorKind::BadChunk);
    assert_eq!(e.offset, 47);
    assert!(e.message.contains("\"zz\""), "{}", e.message);
}

#[test]
fn response_without_length_reads_to_close() {
    let p = one(
        b"HTTP/1.0 200 OK\r\nServer: old\r\n\r\n<xml/>\nmore",
        Role::Responses,
    );
    assert_eq!(p.messages[0].framing, BodyFraming::UntilClose);
    assert_eq!(p.messages[0].body, b"<xml/>\nmore");
    assert!(p.messages[0].complete);
}

#[test]
fn expect_100_continue_is_interim_and_does_not_consume_the_request() {
    let c = half(
        1,
        &[
            Ok(b"POST /acs HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"),
            Ok(b"body"),
        ],
    );
    let s = half(
        5,
        &[Ok(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        )],
    );
    let http = parse_connection(&conn(c, s));
    assert_eq!(
        outline(&http.exchanges),
        vec![o("POST", "body", "200", "ok")]
    );
    assert_eq!(http.exchanges[0].interim.len(), 1);
    assert_eq!(http.exchanges[0].interim[0].status(), Some(100));
}

#[test]
fn no_body_for_204_and_304_even_with_content_length() {
    let p = one(
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nZ",
        Role::Responses,
    );
    let statuses: Vec<_> = p.messages.iter().map(|m| m.status().unwrap()).collect();
    assert_eq!(statuses, vec![304, 204, 200]);
    assert_eq!(p.messages[2].body, b"Z");
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn with_body(head: &str, body: &[u8]) -> Vec<u8> {
    let mut v = format!("{head}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    v.extend_from_slice(body);
    v
}

#[test]
fn gzip_and_both_deflate_forms_are_inflated() {
    let xml = b"<soap:Envelope>gzip me</soap:Envelope>".repeat(20);
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(&xml).unwrap();
    let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    raw.write_all(&xml).unwrap();
    for (coding, body) in [
        ("gzip", gzip(&xml)),
        ("x-gzip", gzip(&xml)),
        ("deflate", zlib.finish().unwrap()),
        ("deflate", raw.finish().unwrap()),
    ] {
        let text = with_body(
            &format!("HTTP/1.1 200 OK\r\nContent-Encoding: {coding}\r\n"),
            &body,
        );
        let p = one(&text, Role::Responses);
        let m = &p.messages[0];
        assert_eq!(m.body, xml, "{coding}");
        assert_eq!(m.decoded_encoding.as_deref(), Some(coding));
        assert_eq!(m.wire_body_len, body.len() as u64);
        assert!(m.complete && m.errors.is_empty(), "{:?}", m.errors);
    }
}

#[test]
fn a_body_that_does_not_inflate_is_kept_as_received_with_an_error() {
    let text = with_body(
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n",
        b"definitely not gzip",
    );
    let p = one(&text, Role::Responses);
    let m = &p.messages[0];
    assert_eq!(m.body, b"definitely not gzip");
    assert_eq!(m.decoded_encoding, None);
    assert_eq!(m.errors[0].kind, HttpErrorKind::Decompress);
    assert!(!m.complete);
    let p = one(
        &with_body("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n", b"xx"),
        Role::Responses,
    );
    assert!(p.messages[0].errors[0].message.contains("\"br\""));
}

#[test]
fn header_quirks_of_real_devices() {
    let p = one(
        b"POST /acs HTTP/1.1\r\nContent-Type:text/xml; charset=\"utf-8\"\r\nSOAPAction:\r\nX-Dup: 1\r\nX-Dup: 2\r\nCookie: $Version=\"1\"; session=abc; $Path=\"/\"\r\nCookie: ID=37, DeviceId=202BC1-BM632w\r\nContent-Length: 0\r\n\r\n",
        Role::Requests,
    );
    let m = &p.messages[0];
    assert_eq!(
        m.header("content-type"),
        Some("text/xml; charset=\"utf-8\"")
    );
    assert_eq!(m.header("SOAPAction"), Some(""));
    assert_eq!(m.headers_named("x-dup").collect::<Vec<_>>(), vec!["1", "2"]);
    assert_eq!(
        m.cookies(),
        vec![
            ("session".into(), "abc".into()),
            ("ID".into(), "37".into()),
            ("DeviceId".into(), "202BC1-BM632w".into()),
        ]
    );
}

#[test]
fn a_gap_inside_a_content_length_body_costs_only_its_bytes() {
    let c = half(
        1,
        &[
            Ok(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab"),
            Err(5),
            Ok(b"hij"),
            Ok(b"POST /next HTTP/1.1\r\nContent-Length: 1\r\n\r\nZ"),
        ],
    );
    let p = parse_stream(&ByteStream::from_half_stream(&c), Role::Requests, &[]);
    assert_eq!(p.messages.len(), 2);
    let m = &p.messages[0];
    assert_eq!(m.body, b"abhij");
    assert!(!m.complete);
    assert_eq!(m.errors[0].kind, HttpErrorKind::Gap);
    assert_eq!(m.errors[0].offset, 41);
    assert!(m.errors[0].message.starts_with("5 bytes of the body"));
    assert_eq!(p.messages[1].body, b"Z");
    assert!(p.messages[1].complete);
    assert_eq!(p.skipped_bytes, 0);
}

#[test]
fn after_a_gap_in_a_head_parsing_resumes_at_the_next_message() {
    let c = half(
        1,
        &[
            Ok(b"POST / HTTP/1.1\r\nContent-Le"),
            Err(30),
            Ok(b"ength: 3\r\n\r\nabc"),
            Ok(b"POST /next HTTP/1.1\r\nContent-Length: 1\r\n\r\nZ"),
        ],
    );
    let p = parse_stream(&ByteStream::from_half_stream(&c), Role::Requests, &[]);
    assert_eq!(p.messages.len(), 1);
    assert_eq!(
        p.messages[0].start,
        StartLine::Request {
            method: "POST".into(),
            target: "/next".into(),
            minor_version: 1
        }
    );
    let kinds: Vec<_> = p.errors.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![HttpErrorKind::Gap, HttpErrorKind::Skipped]);
    assert_eq!(p.errors[1].offset, 57);
    assert_eq!(p.skipped_bytes, 27 + 15);
}

#[test]
fn a_capture_that_starts_mid_message_skips_to_the_first_boundary() {
    let p = one(
        b"tail of a body</Envelope>\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        Role::Responses,
    );
    assert_eq!(p.messages.len(), 1);
    assert_eq!(p.messages[0].stream_range.start, 27);
    assert_eq!(p.errors[0].kind, HttpErrorKind::Skipped);
    assert_eq!(p.errors[0].offset, 0);
    assert_eq!(p.skipped_bytes, 27);
}

#[test]
fn a_stream_cut_inside_a_body_or_head_says_so() {
    let p = one(
        b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
        Role::Requests,
    );
    let e = &p.messages[0].errors[0];
    assert_eq!(e.kind, HttpErrorKind::Truncated);
    assert_eq!(e.message, "the stream ends 3 bytes into a 10-byte body");
    let p = one(b"POST / HTTP/1.1\r\nHost: x", Role::Requests);
    assert!(p.messages.is_empty());
    assert_eq!(p.errors[0].kind, HttpErrorKind::Truncated);
    assert_eq!(p.skipped_bytes, 24);
}

#[test]
fn disagreeing_or_bad_content_length_is_an_error() {
    let p = one(
        b"POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab",
        Role::Requests,
    );
    assert_eq!(p.messages[0].body, b"ab");
    assert_eq!(p.messages[0].errors[0].kind, HttpErrorKind::BadLength);
    let p = one(
        b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
        Role::Requests,
    );
    assert!(p.messages[0].errors[0].message.contains("not a number"));
}

#[test]
fn lf_only_transcripts_parse() {
    let p = one(
        b"POST /acs HTTP/1.1\nContent-Length: 2\n\nhiHTTP/1.1 200 OK\nContent-Length: 0\n\n",
        Role::Any,
    );
    assert_eq!(p.messages.len(), 2);
    assert_eq!(p.messages[0].body, b"hi");
    assert_eq!(p.messages[1].status(), Some(200));
}

#[test]
fn text_spans_are_offsets_into_the_input() {
    let text = b"xx POST / HTTP/1.1\r\n\r\n";
    let p = parse_stream(&ByteStream::from_text(&text[3..], 3), Role::Requests, &[]);
    assert_eq!(p.messages[0].spans, vec![3..text.len()]);
}

#[test]
fn garbage_head_is_an_error_and_the_next_message_is_still_read() {
    let p = one(
        b"POST / HTTP/1.1\r\nBad Header Line\x01\r\n\r\nPOST /ok HTTP/1.1\r\n\r\n",
        Role::Requests,
    );
    assert!(p.messages.iter().any(|m| m.start
        == StartLine::Request {
            method: "POST".into(),
            target: "/ok".into(),
            minor_version: 1
        }));
}

#[test]
fn a_response_nobody_asked_for_is_kept_and_flagged() {
    let s = half(1, &[Ok(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")]);
    let http = parse_connection(&conn(HalfStream::default(), s));
    assert_eq!(http.exchanges.len(), 1);
    let resp = http.exchanges[0].response.as_ref().unwrap();
    assert_eq!(resp.errors[0].kind, HttpErrorKind::Unpaired);
    assert!(http.exchanges[0].request.is_none());
}

#[test]
fn a_zip_bomb_is_not_inflated_past_the_limit() {
    let big = vec![0u8; cwmp_capture::MAX_INFLATED_BODY + 1];
    let body = gzip(&big);
    let p = one(
        &with_body("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n", &body),
        Role::Responses,
    );
    let m = &p.messages[0];
    assert_eq!(m.body, body);
    assert_eq!(m.errors[0].kind, HttpErrorKind::Decompress);
}

#[test]
fn content_length_is_digits_only() {
    let p = one(
        b"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello",
        Role::Requests,
    );
    assert!(p.messages[0].errors[0].message.contains("not a number"));
    assert_eq!(p.messages[0].framing, BodyFraming::None);
}

#[test]
fn a_status_code_has_three_digits() {
    assert!(cwmp_capture::looks_like_status_line(b"HTTP/1.1 200 OK"));
    assert!(cwmp_capture::looks_like_status_line(b"HTTP/1.1 204\r\n"));
    assert!(!cwmp_capture::looks_like_status_line(b"HTTP/1.1 2000 OK"));
}

#[test]
fn in_a_transcript_the_answer_to_head_has_no_body() {
    let p = one(
        b"HEAD / HTTP/1.1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nGET / HTTP/1.1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
        Role::Any,
    );
    assert_eq!(p.messages.len(), 4);
    assert!(p.messages[1].body.is_empty());
    assert_eq!(p.messages[3].body, b"x");
}

#[test]
fn a_list_of_codings_is_undone_last_first() {
    let xml = b"<Envelope/>".repeat(10);
    let twice = gzip(&gzip(&xml));
    let p = one(
        &with_body(
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip, identity\r\nContent-Encoding: gzip\r\n",
            &twice,
        ),
        Role::Responses,
    );
    let m = &p.messages[0];
    assert_eq!(m.body, xml);
    assert_eq!(m.decoded_encoding.as_deref(), Some("gzip, gzip"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const CONVERSATION: &[u8] = b"POST /acs HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloPOST /acs HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nPOST /acs HTTP/1.1\r\n\r\n";

    proptest! {
        /// However the bytes are cut into segments, the messages are the same.
        #[test]
        fn segmentation_does_not_change_messages(cuts in proptest::collection::btree_set(1..CONVERSATION.len(), 0..12)) {
            let mut pieces: Vec<Result<&[u8], u64>> = Vec::new();
            let mut last = 0;
            for &c in cuts.iter().chain(std::iter::once(&CONVERSATION.len())) {
                pieces.push(Ok(&CONVERSATION[last..c]));
                last = c;
            }
            let h = half(1, &pieces);
            let p = parse_stream(&ByteStream::from_half_stream(&h), Role::Requests, &[]);
            let bodies: Vec<&[u8]> = p.messages.iter().map(|m| &m.body[..]).collect();
            prop_assert_eq!(bodies, vec![&b"hello"[..], b"abc", b""]);
            prop_assert!(p.errors.is_empty());
            let covered: usize = p.messages.iter().flat_map(|m| m.spans.iter()).map(|s| s.end - s.start).sum();
            prop_assert_eq!(covered, CONVERSATION.len());
        }

        /// Arbitrary bytes, cut anywhere and with gaps, never panic and never lose count of bytes.
        #[test]
        fn arbitrary_streams_do_not_panic(data in proptest::collection::vec(any::<u8>(), 0..400), gap in 0u64..50, at in 0usize..400) {
            let at = at.min(data.len());
            let h = half(1, &[Ok(&data[..at]), Err(gap), Ok(&data[at..])]);
            let stream = ByteStream::from_half_stream(&h);
            for role in [Role::Requests, Role::Responses, Role::Any] {
                let p = parse_stream(&stream, role, &["HEAD"]);
                for m in &p.messages {
                    prop_assert!(m.stream_range.start <= m.stream_range.end);
                }
            }
        }

        /// Arbitrary text starting with a plausible head never panics.
        #[test]
        fn arbitrary_heads_do_not_panic(tail in "[ -~\r\n]{0,200}") {
            for start in ["POST / HTTP/1.1\r\n", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"] {
                let text = format!("{start}{tail}");
                let _ = one(text.as_bytes(), Role::Any);
            }
        }
    }
}
