//! Connection requests: a GET to the CPE, its Digest challenge and the retry become one record.

use cwmp_capture::{
    AuthParams, Chunk, ClientRule, Connection, HalfStream, HttpExchange, StreamItem, Timestamp,
    connection_requests, parse_connection,
};

fn half(frame: u64, data: &[u8]) -> HalfStream {
    let mut h = HalfStream::default();
    h.items.push(StreamItem::Data(Chunk {
        offset: 0,
        data: data.to_vec(),
        frame,
        span: None,
        timestamp: Some(Timestamp(i64::try_from(frame).unwrap() * 1_000_000_000)),
    }));
    h.bytes = data.len() as u64;
    h
}

fn exchange(index: u64, client_port: u16, frame: u64, req: &str, resp: &str) -> Vec<HttpExchange> {
    parse_connection(&Connection {
        index,
        client: format!("192.0.2.10:{client_port}").parse().unwrap(),
        server: "198.51.100.7:7547".parse().unwrap(),
        rule: ClientRule::Syn,
        first_frame: frame,
        client_to_server: half(frame, req.as_bytes()),
        server_to_client: half(frame + 1, resp.as_bytes()),
    })
    .exchanges
}

const CHALLENGE: &str = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"IGD Authentication\", qop=\"auth,auth-int\", nonce=\"4c9a, with comma\", opaque=\"5ccc\"\r\nContent-Length: 0\r\n\r\n";
const RETRY: &str = "GET /cr HTTP/1.1\r\nHost: 198.51.100.7:7547\r\nAuthorization: Digest username=\"acs\", realm=\"IGD Authentication\", nonce=\"4c9a, with comma\", uri=\"/cr\", algorithm=MD5, response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc\", qop=auth, nc=00000001, cnonce=\"0a4f113b\"\r\n\r\n";

#[test]
fn challenge_and_retry_on_a_new_connection_make_one_record() {
    let mut xs = exchange(
        0,
        40001,
        1,
        "GET /cr HTTP/1.1\r\nHost: 198.51.100.7:7547\r\n\r\n",
        CHALLENGE,
    );
    xs.extend(exchange(
        1,
        40002,
        5,
        RETRY,
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    ));
    let crs = connection_requests(&xs);
    assert_eq!(crs.len(), 1);
    let cr = &crs[0];
    assert_eq!(cr.acs, Some("192.0.2.10:40001".parse().unwrap()));
    assert_eq!(cr.cpe, Some("198.51.100.7:7547".parse().unwrap()));
    assert_eq!(cr.target, "/cr");
    assert_eq!(cr.time, Some(Timestamp(1_000_000_000)));
    assert_eq!(cr.attempts.len(), 2);
    assert_eq!(cr.attempts[0].status, Some(401));
    assert_eq!(cr.attempts[1].stream, Some(1));
    assert_eq!(cr.scheme.as_deref(), Some("Digest"));
    assert_eq!(cr.realm.as_deref(), Some("IGD Authentication"));
    assert_eq!(cr.nonce.as_deref(), Some("4c9a, with comma"));
    assert_eq!(cr.uri.as_deref(), Some("/cr"));
    assert_eq!(cr.qop.as_deref(), Some("auth"));
    assert_eq!(
        cr.response.as_deref(),
        Some("6629fae49393a05397450978507c4ef1")
    );
    assert_eq!(cr.username.as_deref(), Some("acs"));
    assert_eq!(cr.result, Some(200));
    assert!(cr.accepted());
}

#[test]
fn a_refused_request_stays_refused_and_a_later_one_is_separate() {
    let mut xs = exchange(0, 40001, 1, "GET / HTTP/1.1\r\n\r\n", CHALLENGE);
    xs.extend(exchange(1, 40002, 2, RETRY, CHALLENGE));
    // Ten minutes later: a new connection request, not a retry.
    xs.extend(exchange(
        2,
        40003,
        600,
        "GET / HTTP/1.1\r\n\r\n",
        "HTTP/1.1 204 No Content\r\n\r\n",
    ));
    let crs = connection_requests(&xs);
    assert_eq!(crs.len(), 3, "{crs:#?}");
    assert_eq!(crs[0].result, Some(401));
    assert!(!crs[0].accepted());
    assert_eq!(crs[2].result, Some(204));
    assert_eq!(crs[2].scheme, None);
}

#[test]
fn downloads_and_soap_are_not_connection_requests() {
    let body = "x".repeat(4096);
    let mut xs = exchange(
        0,
        40001,
        1,
        "GET /firmware.bin HTTP/1.1\r\n\r\n",
        &format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    xs.extend(exchange(
        1,
        40002,
        3,
        "GET /x HTTP/1.1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n<soap/>",
    ));
    xs.extend(exchange(
        2,
        40003,
        5,
        "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 204 No Content\r\n\r\n",
    ));
    assert!(connection_requests(&xs).is_empty());
}

#[test]
fn auth_params_parse_quoted_escaped_and_basic() {
    let a = AuthParams::parse(r#"Digest realm="a\"b", qop="auth,auth-int" , nonce=abc"#).unwrap();
    assert_eq!(a.scheme, "Digest");
    assert_eq!(a.get("realm"), Some("a\"b"));
    assert_eq!(a.get("QOP"), Some("auth,auth-int"));
    assert_eq!(a.get("nonce"), Some("abc"));
    let b = AuthParams::parse("Basic YWNzOnNlY3JldA==").unwrap();
    assert_eq!(b.get("token"), Some("YWNzOnNlY3JldA=="));
    assert_eq!(AuthParams::parse("  "), None);
    assert_eq!(AuthParams::parse("Digest").unwrap().params, vec![]);
}
