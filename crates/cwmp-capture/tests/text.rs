//! Text imports: each format with a known expected output, broken inputs, and no panics.

use cwmp_capture::{
    HttpExchange, HttpMessage, Import, Location, StartLine, TextFormat, Timestamp, detect_text,
    import_capture, import_text, parse_rfc3339,
};
use proptest::prelude::*;

const PCAP: &[u8] = include_bytes!("vectors/magma_baicells_qrtb_enodebd_tr069.pcap");

fn vector(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/vectors/text/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Request method, response status, request body length and response body length.
type Shape = (Option<String>, Option<u16>, usize, Option<usize>);

/// The shape of each exchange.
fn shape(exchanges: &[HttpExchange]) -> Vec<Shape> {
    exchanges
        .iter()
        .map(|x| {
            (
                x.request
                    .as_ref()
                    .and_then(|m| m.method().map(str::to_owned)),
                x.response.as_ref().and_then(HttpMessage::status),
                x.request.as_ref().map_or(0, |m| m.body.len()),
                x.response.as_ref().map(|m| m.body.len()),
            )
        })
        .collect()
}

fn capture_stream(stream: u64) -> Vec<HttpExchange> {
    import_capture(PCAP)
        .exchanges
        .into_iter()
        .filter(|x| x.stream == Some(stream))
        .collect()
}

fn bodies(exchanges: &[HttpExchange]) -> Vec<Vec<u8>> {
    exchanges
        .iter()
        .flat_map(|x| x.request.iter().chain(&x.response))
        .map(|m| m.body.clone())
        .collect()
}

/// Whether `text` is `wire` with some bytes replaced by `.`, as tshark's ascii mode prints
/// non-printable bytes.
fn same_but_dots(text: &[u8], wire: &[u8]) -> bool {
    text.len() == wire.len() && text.iter().zip(wire).all(|(t, w)| t == w || *t == b'.')
}

fn no_errors(import: &Import) {
    assert!(import.errors.is_empty(), "{:#?}", import.errors);
}

#[test]
fn detects_every_vector() {
    for s in 0..3 {
        assert_eq!(
            detect_text(&vector(&format!("baicells_follow_ascii_{s}.txt"))),
            TextFormat::FollowTcp
        );
        assert_eq!(
            detect_text(&vector(&format!("baicells_follow_raw_{s}.txt"))),
            TextFormat::FollowTcp
        );
        assert_eq!(
            detect_text(&vector(&format!("genieacs_2012_huawei_{s}.json"))),
            TextFormat::GenieAcs2012
        );
    }
    assert_eq!(
        detect_text(&vector("baicells_stream0_wireshark_hexdump.txt")),
        TextFormat::HexDump
    );
    assert_eq!(
        detect_text(&vector("baicells_stream2_tcpdump_x.txt")),
        TextFormat::HexDump
    );
    assert_eq!(
        detect_text(&vector("baicells_stream2_tcpdump_xx.txt")),
        TextFormat::HexDump
    );
    assert_eq!(
        detect_text(&vector("genieacs_debug.jsonl")),
        TextFormat::GenieAcsJson
    );
    assert_eq!(
        detect_text(&vector("genieacs_debug.yaml")),
        TextFormat::GenieAcsYaml
    );
}

// ---- HTTP transcripts ----

const INFORM: &str = "<soap:Envelope><soap:Body><cwmp:Inform/></soap:Body></soap:Envelope>";

#[test]
fn http_transcript_with_crlf_pairs_in_order_and_spans_point_into_the_text() {
    let text = format!(
        "POST /acs HTTP/1.1\r\nContent-Length: {}\r\n\r\n{INFORM}\
         HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n\
         POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n\
         HTTP/1.1 204 No Content\r\n\r\n",
        INFORM.len()
    );
    let out = import_text(text.as_bytes());
    no_errors(&out);
    assert_eq!(
        shape(&out.exchanges),
        vec![
            (Some("POST".into()), Some(200), INFORM.len(), Some(0)),
            (Some("POST".into()), Some(204), 0, Some(0)),
        ]
    );
    assert_eq!(out.summary.records, 4);
    assert_eq!(out.summary.http_messages, 4);
    let req = out.exchanges[0].request.as_ref().unwrap();
    let spans: Vec<u8> = req
        .spans
        .iter()
        .flat_map(|r| text.as_bytes()[r.clone()].to_vec())
        .collect();
    assert!(spans.starts_with(b"POST /acs") && spans.ends_with(INFORM.as_bytes()));
}

#[test]
fn http_transcript_with_lf_line_endings_reports_the_length_and_keeps_the_body() {
    // Content-Length counts CRLF; the pasted text has LF only.
    let body_crlf = "<a>\r\n<b/>\r\n</a>";
    let body_lf = "<a>\n<b/>\n</a>";
    let text = format!(
        "POST /acs HTTP/1.1\nContent-Length: {}\n\n{body_lf}\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok\n",
        body_crlf.len()
    );
    let out = import_text(text.as_bytes());
    assert_eq!(out.exchanges.len(), 1);
    let req = out.exchanges[0].request.as_ref().unwrap();
    assert_eq!(req.body, body_lf.as_bytes());
    assert_eq!(out.exchanges[0].response.as_ref().unwrap().body, b"ok");
    assert_eq!(out.errors.len(), 1, "{:#?}", out.errors);
    assert_eq!(out.errors[0].location, Location::Line(4));
    assert!(
        out.errors[0].message.contains("announces 15 bytes but 13"),
        "{}",
        out.errors[0]
    );
    assert!(
        out.errors[0].message.contains("counted as CRLF"),
        "{}",
        out.errors[0]
    );
}

#[test]
fn http_transcript_preamble_and_a_bad_head_are_located() {
    let text = "Captured by hand:\nPOST /acs HTTP/1.1\nContent-Length: 5\n\nhello\n";
    let out = import_text(text.as_bytes());
    assert_eq!(out.exchanges.len(), 1);
    assert_eq!(out.errors[0].location, Location::Line(1));
    assert_eq!(out.summary.skipped_bytes, 18);
    // A body cut short by the end of the text.
    let out = import_text(b"POST /acs HTTP/1.1\r\nContent-Length: 50\r\n\r\nabc");
    assert_eq!(out.exchanges.len(), 1);
    assert_eq!(out.exchanges[0].request.as_ref().unwrap().body, b"abc");
    assert_eq!(out.errors.len(), 1);
}

// ---- Follow TCP Stream ----

#[test]
fn follow_ascii_gives_the_exchanges_of_the_capture() {
    for stream in 0..3 {
        let text = vector(&format!("baicells_follow_ascii_{stream}.txt"));
        let out = import_text(&text);
        no_errors(&out);
        let want = capture_stream(stream);
        assert!(!want.is_empty());
        assert_eq!(shape(&out.exchanges), shape(&want), "stream {stream}");
        for (got, wire) in bodies(&out.exchanges).iter().zip(bodies(&want)) {
            // tshark keeps CR; only non-printable bytes become dots.
            assert!(same_but_dots(got, &wire), "stream {stream}");
        }
        for (a, b) in out.exchanges.iter().zip(&want) {
            assert_eq!(
                (a.client, a.server, a.stream),
                (b.client, b.server, b.stream)
            );
            // The spans cover the body literally.
            let m = a.request.as_ref().unwrap();
            let literal: Vec<u8> = m
                .spans
                .iter()
                .flat_map(|r| text[r.clone()].to_vec())
                .collect();
            assert!(literal.ends_with(&m.body));
        }
    }
}

#[test]
fn follow_raw_gives_the_same_bytes_as_the_capture() {
    for stream in 0..3 {
        let out = import_text(&vector(&format!("baicells_follow_raw_{stream}.txt")));
        no_errors(&out);
        let want = capture_stream(stream);
        assert_eq!(shape(&out.exchanges), shape(&want));
        assert_eq!(bodies(&out.exchanges), bodies(&want));
        assert!(out.exchanges.iter().all(|x| x.client == want[0].client));
    }
}

#[test]
fn follow_with_a_damaged_block_reports_it_and_keeps_the_rest() {
    let text = "\n===================================================================\n\
        Follow: tcp,ascii\nFilter: tcp.stream eq 7\nNode 0: 10.0.0.2:50000\nNode 1: 10.0.0.1:7547\n\
        38\nPOST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n\nbogus\n\t21\nHTTP/1.1 204 None\r\n\r\n\n\
        ===================================================================\n";
    let out = import_text(text.as_bytes());
    assert_eq!(out.exchanges.len(), 1);
    let x = &out.exchanges[0];
    assert_eq!(x.stream, Some(7));
    assert_eq!(x.client, Some("10.0.0.2:50000".parse().unwrap()));
    assert_eq!(x.response.as_ref().and_then(HttpMessage::status), Some(204));
    assert_eq!(out.errors.len(), 1, "{:#?}", out.errors);
    assert_eq!(out.errors[0].location, Location::Line(12));
    assert_eq!(out.summary.records_unread, 1);
}

// ---- raw SOAP ----

fn envelope(body: &str) -> String {
    format!(
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\
         <soapenv:Header/><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
}

#[test]
fn soap_envelopes_pair_as_a_session_alternates() {
    let docs = [
        envelope("<cwmp:Inform><DeviceId/></cwmp:Inform>"),
        envelope("<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>"),
        envelope("<cwmp:GetParameterValues/>"),
        envelope("<cwmp:GetParameterValuesResponse/>"),
    ];
    let text = format!(
        "<?xml version=\"1.0\"?>\n{}\n\n{}\n{}{}\n",
        docs[0], docs[1], docs[2], docs[3]
    );
    let out = import_text(text.as_bytes());
    no_errors(&out);
    assert_eq!(out.summary.records, 4);
    let x = &out.exchanges;
    assert_eq!(x.len(), 3);
    // Inform → InformResponse.
    let req = x[0].request.as_ref().unwrap();
    assert_eq!(
        req.start,
        StartLine::Request {
            method: "POST".into(),
            target: String::new(),
            minor_version: 1
        }
    );
    assert!(req.body.starts_with(b"<?xml version"));
    assert_eq!(&text.as_bytes()[req.spans[0].clone()], &req.body[..]);
    assert_eq!(x[0].response.as_ref().unwrap().body, docs[1].as_bytes());
    // GetParameterValues answers the (missing) empty POST.
    assert!(x[1].request.is_none());
    assert_eq!(x[1].response.as_ref().unwrap().body, docs[2].as_bytes());
    assert_eq!(x[2].request.as_ref().unwrap().body, docs[3].as_bytes());
    assert!(x[2].response.is_none());
}

#[test]
fn soap_bare_fragment_and_unclosed_envelope() {
    let out = import_text(b"  <cwmp:TransferComplete><CommandKey/></cwmp:TransferComplete>\n");
    no_errors(&out);
    assert_eq!(out.exchanges.len(), 1);
    assert_eq!(
        out.exchanges[0].request.as_ref().unwrap().body,
        b"<cwmp:TransferComplete><CommandKey/></cwmp:TransferComplete>"
    );

    let env = envelope("<cwmp:Reboot/>");
    let text = format!("{env}\nnoise\n{}", &env[..env.len() - 10]);
    let out = import_text(text.as_bytes());
    assert_eq!(out.summary.records, 2);
    assert_eq!(out.errors.len(), 2, "{:#?}", out.errors);
    assert_eq!(out.errors[0].location, Location::Line(2));
    assert!(out.errors[1].message.contains("not closed"));
}

// ---- hex dumps ----

#[test]
fn wireshark_hex_dump_rebuilds_the_capture() {
    let out = import_text(&vector("baicells_stream0_wireshark_hexdump.txt"));
    no_errors(&out);
    let want = capture_stream(0);
    assert_eq!(out.summary.records, 49);
    assert_eq!(shape(&out.exchanges), shape(&want));
    assert_eq!(bodies(&out.exchanges), bodies(&want));
    assert!(
        out.exchanges
            .iter()
            .flat_map(|x| x.request.iter())
            .all(|m| m.spans.is_empty())
    );
}

#[test]
fn tcpdump_hex_with_and_without_link_layer() {
    let want = capture_stream(2);
    for name in [
        "baicells_stream2_tcpdump_xx.txt",
        "baicells_stream2_tcpdump_x.txt",
    ] {
        let out = import_text(&vector(name));
        no_errors(&out);
        assert_eq!(out.summary.records, 53);
        assert_eq!(shape(&out.exchanges), shape(&want), "{name}");
        assert_eq!(bodies(&out.exchanges), bodies(&want), "{name}");
        // Time of day only: the date is 1970-01-01.
        let t = out.exchanges[0].first_time().unwrap().0;
        let w = want[0].first_time().unwrap().0;
        assert_eq!(t, w.rem_euclid(86_400_000_000_000), "{name}");
    }
}

#[test]
fn hex_dump_with_a_bad_line_drops_only_its_packet() {
    let text = String::from_utf8(vector("baicells_stream2_tcpdump_x.txt")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    // Line 3 is the second hex line of the first packet (the SYN).
    lines[2] = "\t0x0010:  c058 638e zzzz";
    let damaged = lines.join("\n");
    let out = import_text(damaged.as_bytes());
    assert_eq!(out.summary.records, 53);
    assert_eq!(out.summary.records_unread, 1);
    assert_eq!(out.errors.len(), 2, "{:#?}", out.errors);
    assert_eq!(out.errors[0].location, Location::Line(3));
    assert_eq!(out.errors[1].location, Location::Line(4));
    // The SYN was lost, yet the HTTP is still there.
    assert_eq!(shape(&out.exchanges), shape(&capture_stream(2)));
}

#[test]
fn wireshark_derived_data_sources_are_skipped_and_reported() {
    let text = "Frame (20 bytes):\n0000  45 00 00 14 00 00 00 00 40 06 00 00 0a 00 00 01   E.......@.......\n\
                0010  0a 00 00 02                                       ....\n\
                Reassembled TCP (2 bytes):\n0000  4f 4b                                            OK\n";
    let out = import_text(text.as_bytes());
    assert_eq!(out.summary.records, 1);
    assert_eq!(out.errors.len(), 1, "{:#?}", out.errors);
    assert_eq!(out.errors[0].location, Location::Line(4));
}

// ---- HAR ----

const HAR: &str = r#"{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[
 {"startedDateTime":"2024-03-01T11:00:00.500+01:00","time":25.5,"serverIPAddress":"192.0.2.1",
  "request":{"method":"POST","url":"http://acs.example:7547/acs","httpVersion":"HTTP/1.1",
   "headers":[{"name":"Content-Type","value":"text/xml"},{"name":"X-Dup","value":"1"},{"name":"X-Dup","value":"2"}],
   "postData":{"mimeType":"text/xml","text":"<Inform/>"}},
  "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[],
   "content":{"size":5,"mimeType":"text/xml","text":"PGEvPgo=","encoding":"base64"}}},
 {"startedDateTime":"2024-03-01T10:00:01Z","time":1,"request":{"method":"POST","url":"https://acs.example/acs","httpVersion":"HTTP/1.0","headers":[]},
  "response":{"status":204,"statusText":"No Content","httpVersion":"HTTP/1.1","headers":[],"content":{"size":0,"text":""}}},
 {"startedDateTime":"2024-03-01T10:00:02Z","response":{"status":200}},
 {"startedDateTime":"2024-03-01T10:00:03Z","request":{"method":"GET","url":"http://x/"},"response":{"status":0}}
]}}"#;

#[test]
fn har_entries_become_exchanges() {
    let out = import_text(HAR.as_bytes());
    assert_eq!(out.summary.records, 4);
    assert_eq!(out.summary.records_unread, 1);
    assert_eq!(out.errors.len(), 1, "{:#?}", out.errors);
    assert_eq!(out.errors[0].location, Location::Entry(2));
    let x = &out.exchanges;
    assert_eq!(x.len(), 3);
    let req = x[0].request.as_ref().unwrap();
    assert_eq!(req.body, b"<Inform/>");
    assert_eq!(req.headers_named("x-dup").collect::<Vec<_>>(), ["1", "2"]);
    assert_eq!(req.first_time, parse_rfc3339("2024-03-01T10:00:00.5Z"));
    assert_eq!(x[0].server, Some("192.0.2.1:7547".parse().unwrap()));
    let resp = x[0].response.as_ref().unwrap();
    assert_eq!(resp.body, b"<a/>\n");
    assert_eq!(resp.first_time, parse_rfc3339("2024-03-01T10:00:00.5255Z"));
    assert_eq!(
        x[1].response.as_ref().and_then(HttpMessage::status),
        Some(204)
    );
    assert!(matches!(
        x[1].request.as_ref().unwrap().start,
        StartLine::Request {
            minor_version: 0,
            ..
        }
    ));
    // No port in the URL: no server address is made up.
    assert_eq!(x[1].server, None);
    // Status 0: the browser got no response.
    assert!(x[2].response.is_none());
}

#[test]
fn truncated_har_keeps_the_entries_before_the_cut() {
    let cut = &HAR[..HAR.find("\"response\":{\"status\":204").unwrap()];
    let out = import_text(cut.as_bytes());
    assert_eq!(out.exchanges.len(), 1);
    assert_eq!(out.summary.records_unread, 1);
    assert_eq!(out.errors.len(), 2, "{:#?}", out.errors);
    assert!(matches!(out.errors[0].location, Location::Line(9)));
    assert_eq!(out.errors[1].location, Location::Line(8));
}

// ---- GenieACS ----

fn check_genieacs(out: &Import) {
    no_errors(out);
    assert_eq!(out.summary.records, 10);
    assert_eq!(
        shape(&out.exchanges),
        vec![
            (Some("POST".into()), Some(200), 689, Some(333)),
            (Some("POST".into()), Some(200), 0, Some(410)),
            (Some("POST".into()), Some(204), 488, Some(0)),
            (Some("GET".into()), Some(401), 0, Some(0)),
            (Some("GET".into()), Some(200), 0, Some(0)),
        ]
    );
    let x = &out.exchanges;
    let inform = x[0].request.as_ref().unwrap();
    assert!(inform.body.starts_with(b"<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:cwmp"));
    assert!(inform.body.ends_with(b"</soap-env:Envelope>"));
    assert_eq!(inform.header("content-length"), Some("689"));
    assert_eq!(inform.first_time, parse_rfc3339("2024-03-01T10:00:00.123Z"));
    assert_eq!(
        x[0].response.as_ref().unwrap().header("set-cookie"),
        Some("session=5f0c3a; Path=/")
    );
    assert_eq!(x[0].client, None);
    assert_eq!(x[3].server, Some("192.0.2.10:7547".parse().unwrap()));
    assert!(
        x[3].response
            .as_ref()
            .unwrap()
            .header("www-authenticate")
            .unwrap()
            .starts_with("Digest realm=")
    );
    assert_eq!(
        x[4].response.as_ref().unwrap().first_time,
        Some(Timestamp(1_709_287_500_090_000_000))
    );
}

#[test]
fn genieacs_json_lines_and_yaml_give_the_same_session() {
    let json = import_text(&vector("genieacs_debug.jsonl"));
    let yaml = import_text(&vector("genieacs_debug.yaml"));
    check_genieacs(&json);
    check_genieacs(&yaml);
    assert_eq!(json.exchanges, yaml.exchanges);
}

#[test]
fn genieacs_records_that_are_not_http_are_reported() {
    let text = concat!(
        r#"{"event":"outgoing UDP message","timestamp":"2024-03-01T10:00:00.000Z","remoteAddress":"192.0.2.10","deviceId":"d","remotePort":7547,"body":"GET http://192.0.2.10:7547?ts=1&id=2 HTTP/1.1\r\n\r\n"}"#,
        "\n",
        r#"{"event":"client error","timestamp":"2024-03-01T10:00:00.000Z","remoteAddress":"192.0.2.11","error":"Parse Error"}"#,
        "\n",
        r#"{"event":"outgoing HTTP request","timestamp":"2024-03-01T10:00:00.000Z","remoteAddress":"192.0.2.12","deviceId":"d","connection":null,"remotePort":"7547","method":"GET","url":"/","headers":{},"error":"connect ECONNREFUSED"}"#,
        "\n{\"event\":\"incoming HTTP re\n",
        r#"{"event":"outgoing HTTP response","timestamp":"2024-03-01T10:00:00.000Z","connection":"c","statusCode":200,"headers":{},"body":""}"#,
        "\n"
    );
    let out = import_text(text.as_bytes());
    assert_eq!(out.summary.records, 5);
    assert_eq!(out.summary.records_unread, 1);
    assert_eq!(out.summary.udp_datagrams, 1);
    assert_eq!(out.exchanges.len(), 2);
    let locations: Vec<&Location> = out.errors.iter().map(|e| &e.location).collect();
    assert_eq!(
        locations,
        [
            &Location::Line(1),
            &Location::Line(2),
            &Location::Line(3),
            &Location::Line(4),
            &Location::Input
        ]
    );
    assert!(out.errors[0].message.contains("ts=1&id=2"));
    assert!(out.errors[2].message.contains("ECONNREFUSED"));
}

#[test]
fn genieacs_yaml_broken_document_is_located() {
    let text = "---\nevent: incoming HTTP request\nconnection: c\nmethod: POST\nurl: /\nheaders: {}\nbody: \"\"\n---\nevent: [\n---\nevent: outgoing HTTP response\nconnection: c\nstatusCode: 204\nbody: \"\"\n";
    let out = import_text(text.as_bytes());
    assert_eq!(out.summary.records, 3);
    assert_eq!(out.summary.records_unread, 1);
    assert_eq!(out.errors.len(), 1, "{:#?}", out.errors);
    assert_eq!(out.errors[0].location, Location::Line(9));
    assert_eq!(
        shape(&out.exchanges),
        vec![(Some("POST".into()), Some(204), 0, Some(0))]
    );
}

#[test]
fn genieacs_2012_files_are_one_request_each() {
    let out = import_text(&vector("genieacs_2012_huawei_0.json"));
    no_errors(&out);
    assert_eq!(out.exchanges.len(), 1);
    let m = out.exchanges[0].request.as_ref().unwrap();
    assert_eq!(m.method(), Some("POST"));
    assert_eq!(m.headers.first().map(|h| h.name.as_str()), Some("host"));
    assert_eq!(m.header("user-agent"), Some("HW_ATP_HTTP"));
    assert!(m.body.windows(11).any(|w| w == b"cwmp:Inform"));
    assert_eq!(
        m.header("content-length"),
        Some(m.body.len().to_string().as_str())
    );
    let out = import_text(&vector("genieacs_2012_huawei_1.json"));
    let m = out.exchanges[0].request.as_ref().unwrap();
    assert!(m.body.is_empty());
    assert_eq!(
        m.header("cookie"),
        Some("ID=37, DeviceId=202BC1-BM632w-8KA8WA1151100043")
    );
    let out = import_text(&vector("genieacs_2012_huawei_2.json"));
    no_errors(&out);
    let m = out.exchanges[0].request.as_ref().unwrap();
    assert!(
        m.body
            .windows(25)
            .any(|w| w == b"GetParameterNamesResponse")
    );
}

#[test]
fn unknown_text_is_counted() {
    let out = import_text(b"hello world\n");
    assert!(out.exchanges.is_empty());
    assert_eq!(out.summary.records_unread, 1);
    assert_eq!(out.errors[0].location, Location::Line(1));
    assert!(import_text(b"").errors.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = import_text(&input);
    }

    #[test]
    fn arbitrary_lines_never_panic(
        lines in proptest::collection::vec(
            prop_oneof![
                "[ -~\t]{0,40}",
                Just("POST /acs HTTP/1.1".to_owned()),
                Just("HTTP/1.1 200 OK".to_owned()),
                Just("Content-Length: 9".to_owned()),
                Just("Transfer-Encoding: chunked".to_owned()),
                Just("===================================================================".to_owned()),
                Just("Follow: tcp,ascii".to_owned()),
                Just("Follow: tcp,raw".to_owned()),
                Just("\t12".to_owned()),
                "0x00[0-9]0:  4500 [0-9a-f]{4}",
                "00[0-9]0  45 00 [0-9a-f]{2}",
                Just("---".to_owned()),
                Just("event: incoming HTTP request".to_owned()),
                Just("<soap:Envelope><soap:Body><cwmp:Inform/>".to_owned()),
                Just("</soap:Envelope>".to_owned()),
                Just("{\"log\":{\"entries\":[{\"request\":{".to_owned()),
                Just("{\"event\":\"outgoing HTTP response\",\"connection\":\"c\"}".to_owned()),
            ],
            0..30,
        ),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let _ = import_text(text.as_bytes());
    }
}

/// GenieACS's writer leaves `*/*` unquoted: YAML reads an alias there and refuses the record.
const STAR_RECORD: &str = "---\nevent: incoming HTTP request\ntimestamp: 2024-03-01T10:00:00.123Z\n\
remoteAddress: 192.0.2.10\ndeviceId: d\nconnection: 2024-03-01T10:00:00.100Z\nlocalPort: 7547\n\
method: POST\nurl: /\nheaders: \n  host: acs.example.net:7547\n  accept: */*\n  content-length: \"4\"\n\
body: <a/>\n";

#[test]
fn genieacs_yaml_record_with_unquoted_star_is_read_not_dropped() {
    assert!(
        yaml_rust2::YamlLoader::load_from_str(STAR_RECORD.trim_start_matches("---\n")).is_err(),
        "a YAML parser refuses the record"
    );
    let text = format!(
        "{STAR_RECORD}---\nevent: outgoing HTTP response\ntimestamp: 2024-03-01T10:00:00.200Z\n\
         connection: 2024-03-01T10:00:00.100Z\nstatusCode: 204\nheaders: \n  accept: */*\nbody: \"\"\n"
    );
    let out = import_text(text.as_bytes());
    no_errors(&out);
    assert_eq!(out.summary.records, 2);
    assert_eq!(out.summary.records_unread, 0);
    let request = out.exchanges[0].request.as_ref().unwrap();
    assert_eq!(request.header("accept"), Some("*/*"));
    assert_eq!(request.body, b"<a/>");
    assert_eq!(
        out.exchanges[0].response.as_ref().unwrap().status(),
        Some(204)
    );
}

#[test]
fn genieacs_yaml_record_neither_yaml_nor_layout_is_counted_and_located_by_line() {
    let text =
        format!("{STAR_RECORD}---\nevent: outgoing HTTP response\nheaders: \n  a: *b\n   c: d\n");
    let out = import_text(text.as_bytes());
    assert_eq!(out.summary.records, 2);
    assert_eq!(out.summary.records_unread, 1);
    assert_eq!(out.errors.len(), 1, "{:#?}", out.errors);
    assert_eq!(out.errors[0].location, Location::Line(19));
    assert!(
        out.errors[0].message.contains("not YAML"),
        "{}",
        out.errors[0].message
    );
}

#[test]
fn genieacs_log_connections_are_numbered_and_closed_like_a_capture() {
    let record = |event: &str, connection: &str, extra: &str| {
        format!(
            r#"{{"event":"{event}","timestamp":"2024-03-01T10:00:00.000Z","remoteAddress":"192.0.2.10","deviceId":"d","connection":"{connection}",{extra}"headers":{{}},"body":""}}"#
        ) + "\n"
    };
    let req = r#""method":"POST","url":"/","#;
    let text = [
        record("incoming HTTP request", "c1", req),
        record("outgoing HTTP response", "c1", r#""statusCode":401,"#),
        record("incoming HTTP request", "c2", req),
        record("outgoing HTTP response", "c2", r#""statusCode":401,"#)
            .replace(r#""headers":{}"#, r#""headers":{"connection":"close"}"#),
        record(
            "outgoing HTTP request",
            "c3",
            r#""remotePort":"7547","method":"GET","url":"/cr","#,
        ),
        record("incoming HTTP response", "c3", r#""statusCode":200,"#),
        record("incoming HTTP request", "c4", req),
        record("outgoing HTTP response", "c4", r#""statusCode":204,"#),
    ]
    .concat();
    let out = import_text(text.as_bytes());
    no_errors(&out);
    let streams: Vec<Option<u64>> = out.exchanges.iter().map(|x| x.stream).collect();
    assert_eq!(streams, [Some(0), Some(1), Some(2), Some(3)]);
    let x = &out.exchanges[1];
    assert_eq!(x.request.as_ref().unwrap().stream, Some(1));
    assert_eq!(x.response.as_ref().unwrap().stream, Some(1));
    // c1 ends when the device opens c2; c2 says `Connection: close`; c2 also ends at c4.
    assert_eq!(out.closed_streams, [0, 1]);
}

#[test]
fn har_custom_fields_of_a_share_link_are_read_back() {
    let har = r#"{"log":{"_fileName":"run.pcap","version":"1.2","entries":[
        {"startedDateTime":"2024-03-01T10:00:00.000Z","time":5.0,
         "request":{"method":"GET","url":"http://192.0.2.10:7547/cr","_target":"/cr","httpVersion":"HTTP/1.1",
                    "headers":[],"_frames":[4,4]},
         "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[],
                     "content":{"size":0},"_frames":[6,7]},
         "serverIPAddress":"192.0.2.10","_stream":3,"_serverPort":7547,
         "_clientIPAddress":"198.51.100.1","_clientPort":40000}],
      "_udpConnectionRequests":[{"frame":2,"time":"2024-03-01T09:59:59.500Z","src":"198.51.100.1:40001",
         "dst":"192.0.2.10:7547","target":"http://192.0.2.10:7547?ts=1&id=2","ts":1,"id":"2",
         "problems":["no un"]}],
      "_closedStreams":[3],
      "_redacted":[{"kind":"password","label":"Password header","replacement":"[redacted]"}]}}"#;
    let out = import_text(har.as_bytes());
    let x = &out.exchanges[0];
    assert_eq!(x.stream, Some(3));
    assert_eq!(x.client, Some("198.51.100.1:40000".parse().unwrap()));
    assert_eq!(x.server, Some("192.0.2.10:7547".parse().unwrap()));
    let request = x.request.as_ref().unwrap();
    assert!(matches!(&request.start, StartLine::Request { target, .. } if target == "/cr"));
    assert_eq!(request.frames, Some(4..4));
    assert_eq!(request.stream, Some(3));
    assert_eq!(x.response.as_ref().unwrap().frames, Some(6..7));
    assert_eq!(out.closed_streams, [3]);
    let udp = &out.udp_connection_requests[0];
    assert_eq!(udp.frame, 2);
    assert_eq!(udp.message.ts, Some(1));
    assert_eq!(udp.message.id.as_deref(), Some("2"));
    assert_eq!(udp.message.problems, ["no un"]);
    assert_eq!(out.summary.udp_connection_requests, 1);
    assert!(
        out.errors.iter().any(|e| e
            .message
            .contains("redacted by the sender of the link: Password header")),
        "{:#?}",
        out.errors
    );
}

#[test]
fn genieacs_yaml_deeply_nested_record_is_unread_not_a_crash() {
    let mut text = String::from("---\nevent: incoming HTTP request\nheaders: \n");
    for depth in 1..5_000 {
        text.push_str(&" ".repeat(depth * 2));
        text.push_str("k: \n");
    }
    let out = import_text(text.as_bytes());
    assert_eq!(out.summary.records, 1);
    assert_eq!(out.summary.records_unread, 1, "{:#?}", out.errors);
}

#[test]
fn genieacs_yaml_nesting_just_under_the_limit_is_left_to_the_yaml_parser_safely() {
    let flow = format!("---\nevent: {}\n", "[".repeat(64));
    let mut block = String::from("---\nevent: x\n");
    for depth in 1..=64 {
        block.push_str(&" ".repeat(depth));
        block.push_str("k:\n");
    }
    for text in [flow, block] {
        let out = import_text(text.as_bytes());
        assert_eq!(out.summary.records, 1);
    }
}

#[test]
fn har_resets_and_failed_connections_of_a_share_link_are_read_back() {
    let har = r#"{"log":{"version":"1.2","entries":[
        {"startedDateTime":"2024-03-01T10:00:00.000Z","time":0,
         "request":{"method":"GET","url":"http://192.0.2.10:7547/cr","httpVersion":"HTTP/1.1",
                    "headers":[]},
         "response":{"status":0,"statusText":"","httpVersion":"","headers":[],"content":{"size":0}},
         "serverIPAddress":"192.0.2.10","_stream":5,
         "_clientIPAddress":"198.51.100.1","_clientPort":40000}],
      "_resetStreams":[5],
      "_failedConnections":[
        {"time":"2024-03-01T10:00:01.000Z","src":"198.51.100.1:40002","dst":"192.0.2.10:7547","reset":true},
        {"src":"198.51.100.1:40003"}]}}"#;
    let out = cwmp_capture::import(har.as_bytes());
    assert_eq!(out.reset_streams, [5]);
    let attempt = &out.connection_requests[0].attempts[0];
    assert_eq!(
        (attempt.stream, attempt.status, attempt.reset),
        (Some(5), None, true)
    );
    assert_eq!(out.failed_connections.len(), 1);
    let failed = &out.failed_connections[0];
    assert_eq!(failed.server, "192.0.2.10:7547".parse().unwrap());
    assert_eq!(failed.client, "198.51.100.1:40002".parse().unwrap());
    assert!(failed.reset);
    assert!(failed.time.is_some());
    assert!(
        out.errors.iter().any(|e| e
            .message
            .contains("log._failedConnections[1] has no usable src and dst addresses")),
        "{:#?}",
        out.errors
    );
}
