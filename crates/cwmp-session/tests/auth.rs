//! The auth debugger against independently computed values.
//!
//! Expected hex values were computed with Python's hashlib/hmac; the one-liners are beside them.
//! `H(alg, s)` below means `hashlib.new(alg, s.encode()).hexdigest()`.

use cwmp_capture::{
    AuthParams, HeaderField, HttpExchange, HttpMessage, StartLine, UdpConnectionRequest,
    connection_requests, decode_udp_connection_request,
};
use cwmp_session::auth::{
    AuthMismatch, AuthScheme, AuthVerdict, check_connection_request, check_http_auth,
    check_udp_signature,
};
use proptest::prelude::*;

fn message(start: StartLine, headers: &[(&str, &str)], body: &[u8]) -> HttpMessage {
    let headers = headers
        .iter()
        .map(|(name, value)| HeaderField {
            name: (*name).to_owned(),
            value: (*value).to_owned(),
        })
        .collect();
    HttpMessage::synthetic(start, headers, body.to_vec(), None)
}

fn request(method: &str, target: &str, authorization: Option<&str>, body: &[u8]) -> HttpMessage {
    let start = StartLine::Request {
        method: method.to_owned(),
        target: target.to_owned(),
        minor_version: 1,
    };
    let mut headers = vec![("Host", "cpe")];
    headers.extend(authorization.map(|a| ("Authorization", a)));
    message(start, &headers, body)
}

fn response(status: u16, www_authenticate: Option<&str>) -> HttpMessage {
    let start = StartLine::Response {
        minor_version: 1,
        status,
        reason: String::new(),
    };
    let headers: Vec<(&str, &str)> = www_authenticate
        .map(|a| vec![("WWW-Authenticate", a)])
        .unwrap_or_default();
    message(start, &headers, b"")
}

fn params(value: &str) -> AuthParams {
    AuthParams::parse(value).expect("a header value")
}

fn fields(verdict: &AuthVerdict) -> Vec<&str> {
    verdict
        .mismatches
        .iter()
        .map(|m| m.field.as_str())
        .collect()
}

fn only(verdict: &AuthVerdict, field: &str) -> AuthMismatch {
    assert!(!verdict.ok, "{verdict:#?}");
    assert_eq!(fields(verdict), [field], "{verdict:#?}");
    verdict.mismatches[0].clone()
}

fn step<'v>(verdict: &'v AuthVerdict, name: &str) -> &'v str {
    verdict.steps.iter().find(|s| s.name == name).map_or_else(
        || panic!("no step {name}: {verdict:#?}"),
        |s| s.value.as_str(),
    )
}

// --- RFC 2617 §3.5 --------------------------------------------------------------------------

const RFC2617_CHALLENGE: &str = r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;

/// The RFC 2617 §3.5 Authorization, with `response` and the other fields replaceable.
fn rfc2617(replace: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("username", "\"Mufasa\""),
        ("realm", "\"testrealm@host.com\""),
        ("nonce", "\"dcd98b7102dd2f0e8b11d0f600bfb0c093\""),
        ("uri", "\"/dir/index.html\""),
        ("qop", "auth"),
        ("nc", "00000001"),
        ("cnonce", "\"0a4f113b\""),
        ("response", "\"6629fae49393a05397450978507c4ef1\""),
        ("opaque", "\"5ccc069c403ebaf9f0171e9517f40e41\""),
    ];
    for (name, value) in replace {
        if let Some(slot) = fields.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        } else {
            fields.push((name, value));
        }
    }
    let fields: Vec<String> = fields
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(n, v)| format!("{n}={v}"))
        .collect();
    format!("Digest {}", fields.join(", "))
}

#[test]
fn rfc2617_example() {
    let req = request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let verdict = check_http_auth(&req, Some(&params(RFC2617_CHALLENGE)), "Circle Of Life");
    assert!(verdict.ok, "{verdict:#?}");
    assert_eq!(verdict.scheme, AuthScheme::Digest);
    // H('md5', 'Mufasa:testrealm@host.com:Circle Of Life')
    assert_eq!(step(&verdict, "HA1"), "939e7578ed9e3c518a452acee763bce9");
    // H('md5', 'GET:/dir/index.html')
    assert_eq!(step(&verdict, "HA2"), "39aff3a2bab6126f332b942af96d3366");
    assert_eq!(
        step(&verdict, "response"),
        "6629fae49393a05397450978507c4ef1"
    );
    assert_eq!(verdict.steps[0].input, "Mufasa:testrealm@host.com:***");
    assert_eq!(
        verdict.steps[2].input,
        "939e7578ed9e3c518a452acee763bce9:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:39aff3a2bab6126f332b942af96d3366"
    );
    assert!(!format!("{verdict:?}").contains("Circle Of Life"));
}

#[test]
fn response_hex_is_case_insensitive() {
    let authz = rfc2617(&[("response", "\"6629FAE49393A05397450978507C4EF1\"")]);
    let req = request("GET", "/dir/index.html", Some(&authz), b"");
    assert!(check_http_auth(&req, None, "Circle Of Life").ok);
}

// --- RFC 7616 §3.9.1 ------------------------------------------------------------------------

const RFC7616_NONCE: &str = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
const RFC7616_OPAQUE: &str = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

fn rfc7616(algorithm: &str, response: &str) -> (HttpMessage, AuthParams) {
    let challenge = format!(
        r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, nonce="{RFC7616_NONCE}", opaque="{RFC7616_OPAQUE}""#
    );
    let authz = format!(
        r#"Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm={algorithm}, nonce="{RFC7616_NONCE}", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="{response}", opaque="{RFC7616_OPAQUE}""#
    );
    (
        request("GET", "/dir/index.html", Some(&authz), b""),
        params(&challenge),
    )
}

#[test]
fn rfc7616_md5() {
    let (req, challenge) = rfc7616("MD5", "8ca523f5e9506fed4657c9700eebdbec");
    let verdict = check_http_auth(&req, Some(&challenge), "Circle of Life");
    assert!(verdict.ok, "{verdict:#?}");
    assert_eq!(
        step(&verdict, "response"),
        "8ca523f5e9506fed4657c9700eebdbec"
    );
}

#[test]
fn rfc7616_sha256() {
    let (req, challenge) = rfc7616(
        "SHA-256",
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
    );
    let verdict = check_http_auth(&req, Some(&challenge), "Circle of Life");
    assert!(verdict.ok, "{verdict:#?}");
    assert_eq!(
        step(&verdict, "response"),
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
    );
}

#[test]
fn rfc7616_sha256_wrong_password() {
    let (req, challenge) = rfc7616(
        "SHA-256",
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
    );
    let verdict = check_http_auth(&req, Some(&challenge), "Circle Of Life");
    let m = only(&verdict, "response");
    assert!(
        m.explanation.contains("password (or username) is wrong"),
        "{m:?}"
    );
}

// --- qop auth-int, -sess, RFC 2069 ------------------------------------------------------------

#[test]
fn auth_int_with_body() {
    // resp('md5','acs','cwmp','secret','abc123','/cwmp',method='POST',qop='auth-int',
    //      nc='00000002',cnonce='c0ffee',body=b'<soap:Envelope/>') with resp() as in the
    // module doc: H(HA1:nonce:nc:cnonce:qop:H(POST:/cwmp:H(body)))
    let authz = r#"Digest username="acs", realm="cwmp", nonce="abc123", uri="/cwmp", qop=auth-int, nc=00000002, cnonce="c0ffee", response="5aca2f4189b58011e943e6869e5f70e5""#;
    let req = request("POST", "/cwmp", Some(authz), b"<soap:Envelope/>");
    let challenge = params(r#"Digest realm="cwmp", nonce="abc123", qop="auth-int""#);
    let verdict = check_http_auth(&req, Some(&challenge), "secret");
    assert!(verdict.ok, "{verdict:#?}");
    // H('md5', '<soap:Envelope/>')
    assert_eq!(
        step(&verdict, "H(entity-body)"),
        "da278482b4a869bad06a16bcb5328647"
    );
    let ha2 = verdict.steps.iter().find(|s| s.name == "HA2").unwrap();
    assert_eq!(ha2.input, "POST:/cwmp:da278482b4a869bad06a16bcb5328647");

    // Another body: the client hashed an empty one.
    let wrong_body = request("POST", "/cwmp", Some(authz), b"<soap:Envelope/> ");
    let verdict = check_http_auth(&wrong_body, Some(&challenge), "secret");
    assert_eq!(only(&verdict, "response").field, "response");
}

#[test]
fn md5_sess() {
    // ha1 = H('md5', H('md5','acs:cwmp:secret') + ':abc123:c0ffee');
    // H('md5', ha1 + ':abc123:00000001:c0ffee:auth:' + H('md5','GET:/cr'))
    let authz = r#"Digest username="acs", realm="cwmp", nonce="abc123", uri="/cr", algorithm=MD5-sess, qop=auth, nc=00000001, cnonce="c0ffee", response="7e6a0d7cecb41c31043af50462422d74""#;
    let req = request("GET", "/cr", Some(authz), b"");
    let verdict = check_http_auth(&req, None, "secret");
    assert!(verdict.ok, "{verdict:#?}");
    assert!(
        verdict
            .steps
            .iter()
            .any(|s| s.name == "H(username:realm:password)" && s.input == "acs:cwmp:***")
    );
}

#[test]
fn sha256_sess() {
    // Same as md5_sess with hashlib.new('sha256', ...).
    let authz = r#"Digest username="acs", realm="cwmp", nonce="abc123", uri="/cr", algorithm=SHA-256-sess, qop=auth, nc=00000001, cnonce="c0ffee", response="039ee892a183bdb26763e0530117e1f01c63851e0decf31c3c1f523a970ba3a8""#;
    let req = request("GET", "/cr", Some(authz), b"");
    assert!(check_http_auth(&req, None, "secret").ok);
}

#[test]
fn no_qop_rfc2069() {
    // H('md5', H('md5','acs:cwmp:secret') + ':abc123:' + H('md5','GET:/cr'))
    let authz = r#"Digest username="acs", realm="cwmp", nonce="abc123", uri="/cr", response="2183d6fc533f5197841e08575792529b""#;
    let req = request("GET", "/cr", Some(authz), b"");
    let challenge = params(r#"Digest realm="cwmp", nonce="abc123""#);
    let verdict = check_http_auth(&req, Some(&challenge), "secret");
    assert!(verdict.ok, "{verdict:#?}");
    assert!(verdict.steps.iter().all(|s| s.name != "H(entity-body)"));
}

// --- Each kind of mismatch ---------------------------------------------------------------------

#[test]
fn wrong_password() {
    let req = request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let verdict = check_http_auth(&req, Some(&params(RFC2617_CHALLENGE)), "Circle of Life");
    let m = only(&verdict, "response");
    assert_eq!(m.found, "6629fae49393a05397450978507c4ef1");
    assert!(
        m.explanation
            .contains("the password (or username) is wrong"),
        "{m:?}"
    );
}

#[test]
fn password_with_trailing_newline() {
    let req = request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let verdict = check_http_auth(&req, None, "Circle Of Life\n");
    let m = only(&verdict, "password");
    assert!(
        !m.expected.contains("Circle") && !m.found.contains("Circle"),
        "{m:?}"
    );
}

#[test]
fn wrong_realm_against_challenge() {
    let challenge = params(&RFC2617_CHALLENGE.replace("testrealm@host.com", "cpe@example.net"));
    let req = request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let m = only(
        &check_http_auth(&req, Some(&challenge), "Circle Of Life"),
        "realm",
    );
    assert_eq!(m.expected, "cpe@example.net");
    assert_eq!(m.found, "testrealm@host.com");
}

#[test]
fn stale_nonce() {
    let challenge =
        params(&RFC2617_CHALLENGE.replace("dcd98b7102dd2f0e8b11d0f600bfb0c093", "fresh"));
    let req = request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let m = only(
        &check_http_auth(&req, Some(&challenge), "Circle Of Life"),
        "nonce",
    );
    assert_eq!(m.expected, "fresh");
    assert!(m.explanation.contains("stale"), "{m:?}");
}

#[test]
fn wrong_password_with_other_mismatch_does_not_blame_password() {
    let challenge =
        params(&RFC2617_CHALLENGE.replace("dcd98b7102dd2f0e8b11d0f600bfb0c093", "fresh"));
    let req = request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let verdict = check_http_auth(&req, Some(&challenge), "nope");
    assert_eq!(fields(&verdict), ["nonce", "response"]);
    assert!(
        !verdict.mismatches[1]
            .explanation
            .starts_with("the password")
    );
}

#[test]
fn uri_differs_from_request_target() {
    let req = request("GET", "/other", Some(&rfc2617(&[])), b"");
    let m = only(&check_http_auth(&req, None, "Circle Of Life"), "uri");
    assert_eq!(m.expected, "/other");
    assert_eq!(m.found, "/dir/index.html");
}

#[test]
fn absolute_form_target_is_a_note() {
    let req = request(
        "GET",
        "http://host.com/dir/index.html",
        Some(&rfc2617(&[])),
        b"",
    );
    let verdict = check_http_auth(&req, None, "Circle Of Life");
    assert!(verdict.ok, "{verdict:#?}");
    assert!(
        verdict
            .notes
            .iter()
            .any(|n| n.contains("absolute-form") && n.contains("origin-form")),
        "{verdict:#?}"
    );
}

#[test]
fn client_hashed_request_target_not_uri() {
    // The client sent uri=/x but hashed /dir/index.html, the request target.
    let authz = rfc2617(&[("uri", "\"/x\"")]);
    let req = request("GET", "/dir/index.html", Some(&authz), b"");
    let verdict = check_http_auth(&req, None, "Circle Of Life");
    assert_eq!(fields(&verdict), ["uri", "uri"], "{verdict:#?}");
    assert!(
        verdict.mismatches[1]
            .explanation
            .contains("computed over uri")
    );
}

#[test]
fn method_other_than_the_request() {
    // The RFC 2617 response is for GET; the request is a POST.
    let req = request("POST", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let m = only(&check_http_auth(&req, None, "Circle Of Life"), "method");
    assert_eq!((m.expected.as_str(), m.found.as_str()), ("POST", "GET"));
}

#[test]
fn qop_not_offered() {
    let challenge = params(&RFC2617_CHALLENGE.replace("auth,auth-int", "auth-int"));
    let req = request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let m = only(
        &check_http_auth(&req, Some(&challenge), "Circle Of Life"),
        "qop",
    );
    assert_eq!(
        (m.expected.as_str(), m.found.as_str()),
        ("auth-int", "auth")
    );
}

#[test]
fn missing_cnonce() {
    let req = request(
        "GET",
        "/dir/index.html",
        Some(&rfc2617(&[("cnonce", "")])),
        b"",
    );
    let verdict = check_http_auth(&req, None, "Circle Of Life");
    let m = only(&verdict, "cnonce");
    assert_eq!(m.found, "(missing)");
    assert!(verdict.steps.is_empty());
}

#[test]
fn missing_required_fields_are_all_named() {
    let req = request("GET", "/", Some("Digest qop=auth"), b"");
    let verdict = check_http_auth(&req, None, "x");
    assert_eq!(
        fields(&verdict),
        [
            "username", "realm", "nonce", "uri", "response", "cnonce", "nc"
        ]
    );
}

#[test]
fn opaque_not_returned() {
    let req = request(
        "GET",
        "/dir/index.html",
        Some(&rfc2617(&[("opaque", "")])),
        b"",
    );
    let m = only(
        &check_http_auth(&req, Some(&params(RFC2617_CHALLENGE)), "Circle Of Life"),
        "opaque",
    );
    assert_eq!(m.found, "(missing)");
}

#[test]
fn algorithm_other_than_challenge() {
    let challenge = params(&format!("{RFC2617_CHALLENGE}, algorithm=SHA-256"));
    let req = request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"");
    let m = only(
        &check_http_auth(&req, Some(&challenge), "Circle Of Life"),
        "algorithm",
    );
    assert_eq!((m.expected.as_str(), m.found.as_str()), ("SHA-256", "MD5"));
}

#[test]
fn algorithm_param_differs_from_hash_used() {
    // The RFC 2617 response is MD5 but the header claims SHA-256.
    let req = request(
        "GET",
        "/dir/index.html",
        Some(&rfc2617(&[("algorithm", "SHA-256")])),
        b"",
    );
    let m = only(&check_http_auth(&req, None, "Circle Of Life"), "algorithm");
    assert_eq!((m.expected.as_str(), m.found.as_str()), ("SHA-256", "MD5"));
}

#[test]
fn userhash_and_unknown_algorithm_are_reported() {
    let req = request(
        "GET",
        "/dir/index.html",
        Some(&rfc2617(&[("userhash", "true")])),
        b"",
    );
    assert_eq!(
        fields(&check_http_auth(&req, None, "Circle Of Life")),
        ["userhash"]
    );
    let req = request(
        "GET",
        "/dir/index.html",
        Some(&rfc2617(&[("algorithm", "SHA-1")])),
        b"",
    );
    assert_eq!(
        fields(&check_http_auth(&req, None, "Circle Of Life")),
        ["algorithm"]
    );
}

#[test]
fn no_authorization_header() {
    let verdict = check_http_auth(&request("GET", "/", None, b""), None, "x");
    assert_eq!(verdict.scheme, AuthScheme::Missing);
    assert_eq!(fields(&verdict), ["Authorization"]);
}

#[test]
fn other_scheme_is_unsupported() {
    let verdict = check_http_auth(&request("GET", "/", Some("Bearer abc"), b""), None, "x");
    assert_eq!(verdict.scheme, AuthScheme::Unsupported("Bearer".to_owned()));
    assert!(!verdict.ok);
}

// --- Basic -----------------------------------------------------------------------------------

#[test]
fn basic_right_and_wrong() {
    // base64.b64encode(b'acs:secret')
    let req = request("GET", "/", Some("Basic YWNzOnNlY3JldA=="), b"");
    let challenge = params(r#"Basic realm="cpe""#);
    let verdict = check_http_auth(&req, Some(&challenge), "secret");
    assert!(verdict.ok, "{verdict:#?}");
    assert_eq!(verdict.scheme, AuthScheme::Basic);
    assert_eq!(step(&verdict, "credentials"), "acs:***");

    // base64.b64encode(b'acs:hunter2')
    let req = request("GET", "/", Some("Basic YWNzOmh1bnRlcjI="), b"");
    let verdict = check_http_auth(&req, Some(&challenge), "secret-password");
    let m = only(&verdict, "password");
    let shown = format!("{verdict:?}");
    assert!(
        !shown.contains("secret-password") && !shown.contains("hunter2"),
        "{shown}"
    );
    assert_eq!(m.expected, "s*************d");
}

#[test]
fn basic_answering_a_digest_challenge() {
    let req = request("GET", "/", Some("Basic YWNzOnNlY3JldA=="), b"");
    let verdict = check_http_auth(&req, Some(&params(RFC2617_CHALLENGE)), "secret");
    assert_eq!(fields(&verdict), ["scheme"]);
}

#[test]
fn basic_not_base64() {
    let req = request("GET", "/", Some("Basic !!!"), b"");
    assert_eq!(fields(&check_http_auth(&req, None, "x")), ["credentials"]);
}

// --- UDP (TR-069 Annex G) -------------------------------------------------------------------

// hmac.new(b'pw', b'1120673700' + b'1234' + b'CPE57689' + b'XTGRWIPC6D3IPXS3',
//          hashlib.sha1).hexdigest()
const UDP_SIG: &str = "715d51cae3d872cea6c45c1d8b9d25af830d7360";

fn udp(query: &str) -> UdpConnectionRequest {
    let payload =
        format!("GET http://10.1.1.1:5060?{query} HTTP/1.1\r\nHost: 10.1.1.1:5060\r\n\r\n");
    decode_udp_connection_request(payload.as_bytes()).expect("an HTTP request")
}

#[test]
fn udp_signature() {
    let cr = udp(&format!(
        "ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig={}",
        UDP_SIG.to_uppercase()
    ));
    let verdict = check_udp_signature(&cr, "pw");
    assert!(verdict.ok, "{verdict:#?}");
    assert_eq!(verdict.scheme, AuthScheme::UdpHmacSha1);
    assert_eq!(
        verdict.steps[0].input,
        "11206737001234CPE57689XTGRWIPC6D3IPXS3"
    );
    assert_eq!(verdict.steps[0].value, UDP_SIG);

    let m = only(&check_udp_signature(&cr, "px"), "sig");
    assert_eq!(m.found, UDP_SIG.to_uppercase());
}

#[test]
fn udp_missing_fields() {
    let cr = udp(&format!("ts=1120673700&un=CPE57689&sig={UDP_SIG}"));
    let verdict = check_udp_signature(&cr, "pw");
    assert_eq!(fields(&verdict), ["id", "cn"]);
    let cr = udp("ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3");
    assert_eq!(fields(&check_udp_signature(&cr, "pw")), ["sig"]);
}

#[test]
fn a_redacted_udp_signature_is_not_called_a_wrong_password() {
    // As a share link's recipient has it: the worker gets the target and the sig.
    let cr = UdpConnectionRequest {
        target: "http://10.1.1.1:5060?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3\
                 &sig=[redacted]"
            .to_owned(),
        signature: Some(cwmp_session::share::REDACTED.to_owned()),
        ..UdpConnectionRequest::default()
    };
    let m = only(&check_udp_signature(&cr, "pw"), "sig");
    assert_eq!(m.expected, UDP_SIG, "the HMAC the password gives");
    assert_eq!(m.found, "[redacted]");
    assert!(m.explanation.contains("cannot be checked"), "{m:#?}");
    assert!(!m.explanation.contains("password is wrong"), "{m:#?}");
}

// --- Connection requests --------------------------------------------------------------------

#[test]
fn connection_request_uses_the_401_challenge() {
    let exchanges = vec![
        HttpExchange {
            stream: Some(0),
            client: None,
            server: None,
            request: Some(request("GET", "/dir/index.html", None, b"")),
            interim: Vec::new(),
            response: Some(response(401, Some(RFC2617_CHALLENGE))),
        },
        HttpExchange {
            stream: Some(1),
            client: None,
            server: None,
            request: Some(request("GET", "/dir/index.html", Some(&rfc2617(&[])), b"")),
            interim: Vec::new(),
            response: Some(response(200, None)),
        },
    ];
    let crs = connection_requests(&exchanges);
    assert_eq!(crs.len(), 1);
    assert_eq!(crs[0].attempts.len(), 2);
    let verdict = check_connection_request(&crs[0], &exchanges, "Circle Of Life").unwrap();
    assert!(verdict.ok, "{verdict:#?}");

    // The challenge is taken into account: a different nonce in the 401 is found.
    let mut stale = exchanges.clone();
    stale[0].response = Some(response(
        401,
        Some(&RFC2617_CHALLENGE.replace("dcd98", "00000")),
    ));
    let crs = connection_requests(&stale);
    let verdict = check_connection_request(&crs[0], &stale, "Circle Of Life").unwrap();
    assert_eq!(fields(&verdict), ["nonce"]);

    // No credentials at all, or an index out of range: nothing to check.
    let crs = connection_requests(&exchanges[..1]);
    assert_eq!(check_connection_request(&crs[0], &exchanges, "x"), None);
    let crs = connection_requests(&exchanges);
    assert_eq!(check_connection_request(&crs[0], &[], "x"), None);
}

// --- Robustness -----------------------------------------------------------------------------

proptest! {
    #[test]
    fn never_panics(
        authz in "(Digest|Basic|digest|X)? ?[ -~é\u{0}]{0,120}",
        challenge in proptest::option::of("(Digest|Basic)? ?[ -~é]{0,80}"),
        method in "[A-Z]{0,6}",
        target in "[ -~é]{0,40}",
        body in proptest::collection::vec(any::<u8>(), 0..300),
        password in "[ -~é]{0,20}",
    ) {
        let req = request(&method, &target, Some(&authz), &body);
        let challenge = challenge.as_deref().and_then(AuthParams::parse);
        let verdict = check_http_auth(&req, challenge.as_ref(), &password);
        prop_assert_eq!(verdict.ok, verdict.mismatches.is_empty());
    }

    #[test]
    fn digest_fields_never_panic(
        values in proptest::collection::vec("[ -!#-~é]{0,12}", 10),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let names = ["username", "realm", "nonce", "uri", "qop", "nc", "cnonce", "response",
            "algorithm", "opaque"];
        let authz: Vec<String> = names
            .iter()
            .zip(&values)
            .map(|(n, v)| format!("{n}=\"{v}\""))
            .collect();
        let req = request("POST", "/cwmp", Some(&format!("Digest {}", authz.join(", "))), &body);
        let challenge = params(&format!("Digest {}", authz.join(", ")));
        let _ = check_http_auth(&req, Some(&challenge), "pw");
    }

    #[test]
    fn udp_never_panics(target in "[ -~é]{0,120}", sig in proptest::option::of("[ -~]{0,50}")) {
        let cr = UdpConnectionRequest { target, signature: sig, ..UdpConnectionRequest::default() };
        let verdict = check_udp_signature(&cr, "pw");
        prop_assert_eq!(verdict.ok, verdict.mismatches.is_empty());
    }
}
