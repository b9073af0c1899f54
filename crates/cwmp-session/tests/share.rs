//! Share links: the redactions found in real and built captures, the HAR export (no secret left,
//! and the same sessions when it is read back), and the link's fragment.

use std::fmt::Write as _;
use std::path::Path;

use cwmp_session::auth::check_udp_signature;
use cwmp_session::share::{
    LinkError, REDACTED, Redaction, RedactionKind, RedactionView, base64_decode, base64_encode,
    export, export_enabled, export_session, find_redactions, is_secret_parameter, link_fragment,
    parse_fragment,
};
use cwmp_session::{Capture, analyse};
use proptest::prelude::*;

const BAICELLS: &[u8] =
    include_bytes!("../../cwmp-capture/tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap");

/// A UDP connection request (TR-069 Annex G) signed for [`UDP_PASSWORD`], and the session it
/// triggered (see tests/e2e/vectors/PROVENANCE.md).
const UDP_CR: &[u8] = include_bytes!("../../../tests/e2e/vectors/udp-connection-request.pcap");
const UDP_PASSWORD: &str = "udp-s3cret";

/// The secret of the Baicells capture's `Authorization: Basic` header (`cpe:cpe`).
const BAICELLS_BASIC: &str = "Y3BlOmNwZQ==";

const DIGEST_RESPONSE: &str = "6629fae49393a05397450978507c4ef1";
const SPV_PASSWORD: &str = "s3cr3t-Pass!";
const INFORM_PASSWORD: &str = "hunter2-inform";
const SERIAL: &str = "SN0011223344";
const CPE_IP: &str = "10.1.2.3";
const URL_PASSWORD: &str = "acs-url-pass";
const DOWNLOAD_PASSWORD: &str = "dl-pass-123";

fn envelope(id: &str, body: &str) -> String {
    format!(
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\
         <soap:Header><cwmp:ID soap:mustUnderstand=\"1\">{id}</cwmp:ID></soap:Header>\
         <soap:Body>{body}</soap:Body></soap:Envelope>"
    )
}

fn param(name: &str, ty: &str, value: &str) -> String {
    format!(
        "<ParameterValueStruct><Name>{name}</Name>\
         <Value xsi:type=\"xsd:{ty}\">{value}</Value></ParameterValueStruct>"
    )
}

fn inform() -> String {
    let params = [
        param(
            "Device.ManagementServer.ConnectionRequestURL",
            "string",
            &format!("http://{CPE_IP}:7547/cr"),
        ),
        param(
            "Device.ManagementServer.ConnectionRequestPassword",
            "string",
            INFORM_PASSWORD,
        ),
        param("Device.DeviceInfo.SerialNumber", "string", SERIAL),
        param(
            "Device.ManagementServer.URL",
            "string",
            &format!("https://acsuser:{URL_PASSWORD}@acs.example.com/cwmp"),
        ),
        param(
            "Device.DeviceInfo.SoftwareVersion",
            "string",
            "BaiBS_2.8.15.1",
        ),
    ]
    .concat();
    envelope(
        "inform-1",
        &format!(
            "<cwmp:Inform><DeviceId><Manufacturer>Acme</Manufacturer><OUI>00D09E</OUI>\
             <ProductClass>Router</ProductClass><SerialNumber>{SERIAL}</SerialNumber></DeviceId>\
             <Event soap-enc:arrayType=\"cwmp:EventStruct[1]\" \
             xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\"><EventStruct>\
             <EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event>\
             <MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-05-01T12:00:00Z</CurrentTime>\
             <RetryCount>0</RetryCount><ParameterList>{params}</ParameterList></cwmp:Inform>"
        ),
    )
}

fn spv() -> String {
    let params = [
        param(
            "Device.ManagementServer.ConnectionRequestPassword",
            "string",
            SPV_PASSWORD,
        ),
        // A one-character passphrase: replaced here, and not in the Channel below.
        param(
            "Device.WiFi.AccessPoint.1.Security.KeyPassphrase",
            "string",
            "1",
        ),
        param("Device.WiFi.Radio.1.Channel", "unsignedInt", "1"),
        param("Device.UserInterface.PasswordRequired", "boolean", "1"),
        // A secret with a secret inside: the whole value goes.
        param(
            "Device.X_ACME_BackupSecret",
            "string",
            "ftp://bk:bk-inner-secret@backup.example.com/",
        ),
    ]
    .concat();
    envelope(
        "spv-1",
        &format!(
            "<cwmp:SetParameterValues><ParameterList>{params}</ParameterList>\
             <ParameterKey>k1</ParameterKey></cwmp:SetParameterValues>"
        ),
    )
}

fn request(headers: &[&str], body: &str) -> String {
    let mut text = "POST /acs HTTP/1.1\r\nHost: 192.0.2.200:7547\r\n".to_owned();
    for h in headers {
        text.push_str(h);
        text.push_str("\r\n");
    }
    let _ = write!(
        text,
        "Content-Type: text/xml\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    text
}

fn response(status: &str, headers: &[&str], body: &str) -> String {
    let mut text = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        text.push_str(h);
        text.push_str("\r\n");
    }
    let _ = write!(text, "Content-Length: {}\r\n\r\n{body}", body.len());
    text
}

/// A CPE that authenticates with Digest and is sent a password by SetParameterValues, as an
/// HTTP transcript.
fn digest_capture() -> Vec<u8> {
    let authorization = format!(
        "Authorization: Digest username=\"00D09E-Router-{SERIAL}\", realm=\"acs\", \
         nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/acs\", qop=auth, nc=00000001, \
         cnonce=\"0a4f113b\", response=\"{DIGEST_RESPONSE}\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""
    );
    let inform = inform();
    let informr = envelope(
        "inform-1",
        "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>",
    );
    let spvr = envelope(
        "spv-1",
        "<cwmp:SetParameterValuesResponse><Status>0</Status></cwmp:SetParameterValuesResponse>",
    );
    let download = envelope(
        "dl-1",
        &format!(
            "<cwmp:Download><CommandKey>fw</CommandKey><FileType>1 Firmware Upgrade Image</FileType>\
             <URL>http://files.example.com/fw.bin</URL><Username>fw</Username>\
             <Password>{DOWNLOAD_PASSWORD}</Password><FileSize>0</FileSize>\
             <TargetFileName></TargetFileName><DelaySeconds>0</DelaySeconds>\
             <SuccessURL></SuccessURL><FailureURL></FailureURL></cwmp:Download>"
        ),
    );
    let downloadr = envelope(
        "dl-1",
        "<cwmp:DownloadResponse><Status>1</Status><StartTime>0001-01-01T00:00:00Z</StartTime>\
         <CompleteTime>0001-01-01T00:00:00Z</CompleteTime></cwmp:DownloadResponse>",
    );
    [
        request(&[], &inform),
        response(
            "401 Unauthorized",
            &["WWW-Authenticate: Digest realm=\"acs\", qop=\"auth\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\""],
            "",
        ),
        request(&[&authorization], &inform),
        response("200 OK", &["Set-Cookie: session=abc"], &informr),
        request(&["Cookie: session=abc"], ""),
        response("200 OK", &[], &spv()),
        request(&["Cookie: session=abc"], &spvr),
        response("200 OK", &[], &download),
        request(&["Cookie: session=abc"], &downloadr),
        response("204 No Content", &[], ""),
    ]
    .concat()
    .into_bytes()
}

/// Sessions as (device, RPC sequence, message count), to compare two analyses.
fn shape(capture: &Capture) -> Vec<(Option<String>, Vec<String>, usize)> {
    capture
        .sessions
        .iter()
        .map(|s| {
            (
                s.device
                    .and_then(|d| capture.devices.get(d))
                    .map(|d| format!("{}-{}", d.oui, d.product_class)),
                s.messages.iter().map(|m| m.rpc.clone()).collect(),
                s.messages.len(),
            )
        })
        .collect()
}

fn on_by_default(list: &[Redaction]) -> Vec<&Redaction> {
    list.iter().filter(|r| r.on_by_default).collect()
}

fn of_kind(list: &[Redaction], kind: RedactionKind) -> Vec<&Redaction> {
    list.iter().filter(|r| r.kind == kind).collect()
}

/// The HAR's header values named `name` (any case).
fn har_headers(har: &str, name: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(har).expect("the export is JSON");
    let mut values = Vec::new();
    for entry in doc["log"]["entries"].as_array().expect("entries") {
        for side in ["request", "response"] {
            for h in entry[side]["headers"].as_array().into_iter().flatten() {
                if h["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                {
                    values.push(h["value"].as_str().unwrap_or_default().to_owned());
                }
            }
        }
    }
    values
}

#[test]
fn baicells_redactions_are_found_and_on_for_secrets() {
    let capture = analyse(BAICELLS, Some("baicells.pcap"));
    let list = find_redactions(&capture);
    let auth = of_kind(&list, RedactionKind::AuthorizationHeader);
    assert_eq!(auth.len(), 1, "one distinct Basic credential: {list:#?}");
    assert_eq!(auth[0].original, BAICELLS_BASIC);
    assert_eq!(auth[0].replacement, "Basic [redacted]");
    assert!(auth[0].on_by_default);
    assert!(auth[0].label.contains("user “cpe”"), "{}", auth[0].label);
    assert_eq!(auth[0].places.len(), 17, "one per request");

    let passwords = of_kind(&list, RedactionKind::Password);
    assert_eq!(passwords.len(), 1, "the Password: header");
    assert!(passwords[0].on_by_default);
    assert!(passwords[0].label.contains("Password header"));
    assert_eq!(passwords[0].places.len(), 17);

    let serials = of_kind(&list, RedactionKind::SerialNumber);
    assert_eq!(serials.len(), 1);
    assert_eq!(serials[0].original, "1202000291213VB0009");
    assert!(!serials[0].on_by_default);

    let ips: Vec<&str> = of_kind(&list, RedactionKind::IpAddress)
        .iter()
        .map(|r| r.original.as_str())
        .collect();
    for ip in ["10.0.2.243", "192.88.99.142", "10.0.2.1"] {
        assert!(ips.contains(&ip), "{ip} in {ips:?}");
    }
    assert!(
        of_kind(&list, RedactionKind::IpAddress)
            .iter()
            .all(|r| !r.on_by_default)
    );
    // Versions such as BaiBS_QRTB_2.8.15_Helium are not addresses.
    assert!(ips.iter().all(|ip| ip.parse::<std::net::IpAddr>().is_ok()));
}

#[test]
fn baicells_export_has_no_secret_and_reads_back_the_same() {
    let capture = analyse(BAICELLS, Some("baicells.pcap"));
    let list = find_redactions(&capture);
    let har = export(&capture, &on_by_default(&list));
    assert!(
        !har.contains(BAICELLS_BASIC),
        "the Basic credentials leaked"
    );
    let authorization = har_headers(&har, "authorization");
    assert_eq!(authorization.len(), 17);
    assert!(authorization.iter().all(|v| v == "Basic [redacted]"));
    let password = har_headers(&har, "password");
    assert_eq!(password.len(), 17);
    assert!(password.iter().all(|v| v == "[redacted]"), "{password:?}");
    // Identifiers stay unless asked for.
    assert!(har.contains("1202000291213VB0009"));
    assert!(har.contains("192.88.99.142"));

    let back = analyse(har.as_bytes(), Some("shared link"));
    assert_eq!(back.source.format, "HAR");
    assert_eq!(shape(&back), shape(&capture));
    assert_eq!(back.sessions.len(), 3);
    let times = |c: &Capture| -> Vec<Option<i64>> {
        c.sessions
            .iter()
            .flat_map(|s| s.messages.iter().map(|m| m.time_ns))
            .collect()
    };
    assert_eq!(
        times(&back),
        times(&capture),
        "times survive to the nanosecond"
    );
    // The only notes: what the sender hid, one per redaction applied.
    let notes: Vec<&str> = back
        .import_problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(notes.len(), on_by_default(&list).len(), "{notes:?}");
    assert!(
        notes
            .iter()
            .all(|n| n.starts_with("redacted by the sender of the link: ")),
        "{notes:?}"
    );
}

#[test]
fn baicells_export_with_everything_hides_serials_and_addresses() {
    let capture = analyse(BAICELLS, Some("baicells.pcap"));
    let list = find_redactions(&capture);
    let all: Vec<&Redaction> = list.iter().collect();
    let har = export(&capture, &all);
    for secret in [
        BAICELLS_BASIC,
        "1202000291213VB0009",
        "10.0.2.243",
        "192.88.99.142",
        "10.0.2.1:",
    ] {
        assert!(!har.contains(secret), "{secret} leaked");
    }
    assert!(har.contains("SN-REDACTED-1"));
    assert!(har.contains("192.0.2."));
    let back = analyse(har.as_bytes(), None);
    assert_eq!(back.sessions.len(), 3);
    assert_eq!(back.devices.len(), 1);
    assert_eq!(back.devices[0].serial_number, "SN-REDACTED-1");
    // The server address is the replacement, consistently.
    let servers: Vec<&str> = back
        .sessions
        .iter()
        .filter_map(|s| s.acs.as_deref())
        .collect();
    assert_eq!(servers.len(), 3);
    assert!(
        servers
            .iter()
            .all(|s| *s == servers[0] && s.starts_with("192.0.2."))
    );
}

#[test]
fn digest_and_set_parameter_values_passwords_are_redacted() {
    let capture = analyse(&digest_capture(), Some("digest.txt"));
    assert_eq!(capture.sessions.len(), 1, "{:#?}", shape(&capture));
    let list = find_redactions(&capture);

    let digest = of_kind(&list, RedactionKind::DigestResponse);
    assert_eq!(digest.len(), 1, "{list:#?}");
    assert_eq!(digest[0].original, DIGEST_RESPONSE);
    assert!(digest[0].on_by_default);
    assert!(digest[0].label.contains("realm “acs”"));

    let passwords: Vec<&str> = of_kind(&list, RedactionKind::Password)
        .iter()
        .map(|r| r.original.as_str())
        .collect();
    assert_eq!(passwords.len(), 7, "{passwords:?}");
    for secret in [
        INFORM_PASSWORD,
        SPV_PASSWORD,
        "1",
        URL_PASSWORD,
        DOWNLOAD_PASSWORD,
    ] {
        assert!(passwords.contains(&secret), "{secret} in {passwords:?}");
    }
    let inform_password = list
        .iter()
        .find(|r| r.original == INFORM_PASSWORD)
        .expect("found");
    // The Inform is sent twice (before and after the 401).
    assert_eq!(inform_password.places.len(), 2);
    assert!(
        inform_password
            .label
            .contains("Device.ManagementServer.ConnectionRequestPassword (Inform)")
    );

    let har = export(&capture, &on_by_default(&list));
    for secret in [
        DIGEST_RESPONSE,
        INFORM_PASSWORD,
        SPV_PASSWORD,
        URL_PASSWORD,
        DOWNLOAD_PASSWORD,
        "bk-inner-secret",
        "backup.example.com",
    ] {
        assert!(!har.contains(secret), "{secret} leaked");
    }
    let authorization = har_headers(&har, "authorization");
    assert_eq!(authorization.len(), 1);
    let expected = format!(
        "Digest username=\"00D09E-Router-{SERIAL}\", realm=\"acs\", \
         nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/acs\", qop=auth, nc=00000001, \
         cnonce=\"0a4f113b\", response=\"[redacted]\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""
    );
    assert_eq!(authorization[0], expected);

    assert!(har.contains("https://acsuser:[redacted]@acs.example.com/cwmp"));
    assert!(har.contains("<Password>[redacted]</Password>"));
    assert!(
        list.iter()
            .any(|r| r.original == URL_PASSWORD && r.label == "Password in a URL, user “acsuser”")
    );
    // Identifiers stay.
    assert!(har.contains(SERIAL));
    assert!(har.contains(CPE_IP));
    assert!(har.contains("BaiBS_2.8.15.1"));
}

#[test]
fn set_parameter_values_passwords_are_replaced_where_they_stand() {
    let capture = analyse(&digest_capture(), Some("digest.txt"));
    let list = find_redactions(&capture);
    let har = export(&capture, &on_by_default(&list));
    let back = analyse(har.as_bytes(), None);
    assert_eq!(shape(&back), shape(&capture));
    let values = |c: &Capture| -> Vec<(String, String)> {
        let spv = c.sessions[0]
            .messages
            .iter()
            .find(|m| m.rpc == "SetParameterValues")
            .and_then(|m| m.envelope.as_ref())
            .expect("the SPV");
        let cwmp_codec::Body::Rpc(cwmp_codec::Rpc::SetParameterValues(spv)) = &spv.body else {
            panic!("not an SPV");
        };
        spv.parameter_list
            .iter()
            .flatten()
            .map(|p| {
                (
                    p.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
                    p.value.as_ref().map(|v| v.raw.clone()).unwrap_or_default(),
                )
            })
            .collect()
    };
    assert_eq!(
        values(&back),
        [
            (
                "Device.ManagementServer.ConnectionRequestPassword".to_owned(),
                "[redacted]".to_owned()
            ),
            (
                "Device.WiFi.AccessPoint.1.Security.KeyPassphrase".to_owned(),
                "[redacted]".to_owned()
            ),
            // The same "1" as the passphrase, left alone: spans, not text search.
            ("Device.WiFi.Radio.1.Channel".to_owned(), "1".to_owned()),
            (
                "Device.UserInterface.PasswordRequired".to_owned(),
                "1".to_owned()
            ),
            (
                "Device.X_ACME_BackupSecret".to_owned(),
                "[redacted]".to_owned()
            ),
        ]
    );
}

#[test]
fn serials_and_addresses_are_replaced_consistently() {
    let capture = analyse(&digest_capture(), Some("digest.txt"));
    let list = find_redactions(&capture);
    let serial = of_kind(&list, RedactionKind::SerialNumber);
    assert_eq!(serial.len(), 1);
    assert_eq!(serial[0].original, SERIAL);
    let ips: Vec<(&str, &str)> = of_kind(&list, RedactionKind::IpAddress)
        .iter()
        .map(|r| (r.original.as_str(), r.replacement.as_str()))
        .collect();
    assert!(
        ips.iter()
            .any(|&(ip, to)| ip == CPE_IP && to.starts_with("192.0.2.")),
        "{ips:?}"
    );
    assert!(
        !ips.iter().any(|(ip, _)| ip.starts_with("2.8")),
        "a version is not an address: {ips:?}"
    );

    let chosen: Vec<&Redaction> = list
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                RedactionKind::SerialNumber | RedactionKind::IpAddress
            )
        })
        .collect();
    let har = export(&capture, &chosen);
    assert!(!har.contains(SERIAL));
    assert!(!har.contains(CPE_IP));
    // Secrets were not chosen: they stay.
    assert!(har.contains(DIGEST_RESPONSE));
    // The serial is replaced inside the Digest username too.
    assert!(har.contains("username=\\\"00D09E-Router-SN-REDACTED-1\\\""));
    let back = analyse(har.as_bytes(), None);
    assert_eq!(back.devices.len(), 1);
    assert_eq!(back.devices[0].serial_number, "SN-REDACTED-1");
    assert_eq!(shape(&back), shape(&capture));
}

#[test]
fn basic_credentials_left_in_place_still_lose_the_serial() {
    let capture = analyse(BAICELLS, None);
    let list = find_redactions(&capture);
    let mut chosen: Vec<&Redaction> = of_kind(&list, RedactionKind::SerialNumber);
    chosen.extend(of_kind(&list, RedactionKind::Password));
    let har = export(&capture, &chosen);
    // cpe:cpe has no serial in it: the header is unchanged.
    assert!(har.contains(BAICELLS_BASIC));
    assert!(!har.contains("1202000291213VB0009"));
}

#[test]
fn secret_parameter_names() {
    for name in [
        "Device.ManagementServer.ConnectionRequestPassword",
        "InternetGatewayDevice.ManagementServer.Password",
        "Device.ManagementServer.STUNPassword",
        "Device.Users.User.1.Password",
        "Device.WiFi.AccessPoint.1.Security.KeyPassphrase",
        "Device.WiFi.AccessPoint.1.Security.SAEPassphrase",
        "Device.WiFi.AccessPoint.1.Security.PreSharedKey",
        "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.PreSharedKey.1.PreSharedKey",
        "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.WEPKey.1.WEPKey",
        "Device.WiFi.AccessPoint.1.Security.RadiusSecret",
        "Device.WiFi.AccessPoint.1.Security.SecondaryRadiusSecret",
        "Device.WiFi.AccessPoint.1.WPS.PIN",
        "Device.X_ACME_AdminPassword",
        "Device.X_ACME_Web.PASSWORD_2",
    ] {
        assert!(is_secret_parameter(name), "{name}");
    }
    for name in [
        "Device.UserInterface.PasswordRequired",
        "Device.UserInterface.PasswordUserSelectable",
        "Device.WiFi.AccessPoint.1.Security.ModeEnabled",
        "Device.ManagementServer.Username",
        "Device.WiFi.AccessPoint.1.Security.RekeyingInterval",
        "Device.Services.FAPService.1.CellConfig.LTE.EPC.PLMNList.1.PLMNID",
        "Device.DeviceInfo.SerialNumber",
        "Device.WiFi.AccessPoint.1.Security.KeyPassphraseNumberOfEntries",
    ] {
        assert!(!is_secret_parameter(name), "{name}");
    }
}

#[test]
fn link_fragments_round_trip() {
    let data = b"\x00\x01\xfehello".to_vec();
    let fragment = link_fragment(&data, Some((2, 7)));
    assert!(fragment.starts_with("share=v1."));
    assert!(fragment.ends_with("&session=2&step=7"));
    let link = parse_fragment(&format!("#{fragment}"))
        .expect("a share link")
        .expect("readable");
    assert_eq!(link.compressed, data);
    assert_eq!(link.start_at(), Some((2, 7)));
    let bare = parse_fragment(&link_fragment(&data, None))
        .expect("a share link")
        .expect("readable");
    assert_eq!(bare.start_at(), None);
}

#[test]
fn broken_links_say_why() {
    assert_eq!(parse_fragment(""), None);
    assert_eq!(parse_fragment("#section-2"), None);
    assert_eq!(
        parse_fragment("#share=v1.abc$def&session=0"),
        Some(Err(LinkError::Base64))
    );
    // One leftover character is never base64.
    assert_eq!(
        parse_fragment("#share=v1.abcde"),
        Some(Err(LinkError::Base64))
    );
    assert_eq!(parse_fragment("#share=v1."), Some(Err(LinkError::Empty)));
    assert!(matches!(
        parse_fragment("#share=v9.AAAA"),
        Some(Err(LinkError::Version(v))) if v == "v9"
    ));
    let message = LinkError::Base64.to_string();
    assert!(message.contains("damaged"), "{message}");
}

#[test]
fn base64_matches_rfc_4648_vectors() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64_encode(plain.as_bytes(), false), encoded);
        assert_eq!(
            base64_encode(plain.as_bytes(), true),
            encoded.trim_end_matches('=')
        );
        assert_eq!(
            base64_decode(encoded, false).as_deref(),
            Some(plain.as_bytes())
        );
    }
    assert_eq!(base64_encode(&[0xfb, 0xff], true), "-_8");
    assert_eq!(base64_encode(&[0xfb, 0xff], false), "+/8=");
    assert_eq!(base64_decode("-_8", false), None);
}

proptest! {
    #[test]
    fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let encoded = base64_encode(&bytes, true);
        prop_assert!(encoded.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        prop_assert_eq!(base64_decode(&encoded, true), Some(bytes));
    }

    #[test]
    fn parse_fragment_never_panics(text in ".{0,200}") {
        let _ = parse_fragment(&text);
        let _ = parse_fragment(&format!("share={text}"));
    }
}

#[test]
fn one_session_exports_alone_and_reads_back_as_session_zero() {
    let capture = analyse(BAICELLS, None);
    let list = find_redactions(&capture);
    let chosen = on_by_default(&list);
    let exchanges = cwmp_session::share::session_exchanges(&capture, 1);
    assert_eq!(exchanges.len(), 7, "14 messages, two per exchange");
    let har = cwmp_session::share::export_session(&capture, &chosen, 1);
    assert!(!har.contains(BAICELLS_BASIC));
    let whole = export(&capture, &chosen);
    assert!(
        har.len() * 2 < whole.len(),
        "one session of three is smaller"
    );
    let estimate = cwmp_session::share::estimated_size(&capture, &exchanges);
    assert!(
        estimate > har.len() / 2 && estimate < har.len() * 2,
        "{estimate} for {}",
        har.len()
    );
    let back = analyse(har.as_bytes(), None);
    assert_eq!(back.sessions.len(), 1);
    assert_eq!(shape(&back)[0], shape(&capture)[1]);
}

#[test]
fn messages_without_their_request_travel_too() {
    // An ACS message alone: the SOAP import gives it a response and no request.
    let rpc = envelope(
        "g-1",
        "<cwmp:GetParameterValues><ParameterNames><string>Device.</string></ParameterNames>\
         </cwmp:GetParameterValues>",
    );
    let alone = analyse(rpc.as_bytes(), None);
    assert_eq!(alone.sessions.len(), 1);
    assert_eq!(cwmp_session::share::unshareable_messages(&alone, None), 0);
    let har = export(&alone, &[]);
    let back = analyse(har.as_bytes(), None);
    assert_eq!(shape(&back), shape(&alone));
    assert!(back.exchanges[0].request.is_none());
    let capture = analyse(BAICELLS, None);
    assert_eq!(cwmp_session::share::unshareable_messages(&capture, None), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the headers and parameter values say, finding and exporting never panics and
    /// the chosen secrets are gone from the export.
    #[test]
    fn any_header_or_value_is_handled(
        auth in "(Digest |Basic |Bearer )?[ -~]{0,80}",
        secret in "[a-zA-Z0-9]{6,20}",
        url in "[a-z]{2,6}://[ -~]{0,40}",
    ) {
        let inform = inform().replace(INFORM_PASSWORD, &secret).replace(
            "BaiBS_2.8.15.1",
            &url.replace('&', "&amp;").replace('<', "&lt;"),
        );
        let transcript = request(&[&format!("Authorization: {auth}")], &inform)
            + &response("204 No Content", &[], "");
        let capture = analyse(transcript.as_bytes(), None);
        let list = find_redactions(&capture);
        let all: Vec<&Redaction> = list.iter().collect();
        let har = export(&capture, &all);
        prop_assert!(!har.contains(&secret));
        let back = analyse(har.as_bytes(), None);
        prop_assert_eq!(back.sessions.len(), capture.sessions.len());
    }
}

#[test]
fn passwords_are_found_in_a_capture_read_back_without_envelopes() {
    // The page's capture comes from the worker as JSON, without decoded envelopes: the
    // redactions must be the same as on the analysed capture.
    let capture = analyse(&digest_capture(), Some("digest.txt"));
    let mut read_back: Capture =
        serde_json::from_str(&serde_json::to_string(&capture).expect("encodes")).expect("decodes");
    read_back.exchanges.clone_from(&capture.exchanges);
    assert!(
        read_back
            .sessions
            .iter()
            .flat_map(|s| &s.messages)
            .all(|m| m.envelope.is_none())
    );
    let originals = |list: &[Redaction]| -> Vec<(RedactionKind, String)> {
        list.iter().map(|r| (r.kind, r.original.clone())).collect()
    };
    assert_eq!(
        originals(&find_redactions(&read_back)),
        originals(&find_redactions(&capture))
    );
}

#[test]
fn export_by_index_matches_export_of_the_chosen_redactions() {
    // The page names the redactions switched on by their index in the worker's list.
    let capture = analyse(&digest_capture(), Some("digest.txt"));
    let list = find_redactions(&capture);
    let views: Vec<RedactionView> = list.iter().map(RedactionView::from).collect();
    assert_eq!(views.len(), list.len());
    assert!(views.iter().zip(&list).all(|(v, r)| v.kind == r.kind
        && v.label == r.label
        && v.exchanges.len() == r.places.len()));
    let enabled: Vec<usize> = (0..list.len()).filter(|i| i % 2 == 0).collect();
    let chosen: Vec<&Redaction> = enabled.iter().map(|&i| &list[i]).collect();
    assert_eq!(
        export_enabled(&capture, &enabled, None),
        export(&capture, &chosen)
    );
    assert_eq!(
        export_enabled(&capture, &enabled, Some(0)),
        export_session(&capture, &chosen, 0)
    );
    // The views survive JSON, as they cross from the worker to the page.
    let json = serde_json::to_string(&views).expect("encodes");
    let back: Vec<RedactionView> = serde_json::from_str(&json).expect("decodes");
    assert_eq!(back, views);
}

/// The UDP connection request as the recipient's analysis has it, checked against the password.
fn udp_view_and_check(har: &str) -> (cwmp_session::UdpConnectionRequestView, bool, Capture) {
    let back = analyse(har.as_bytes(), Some("shared link"));
    assert_eq!(back.udp_connection_requests.len(), 1);
    let view = back.udp_connection_requests[0].clone();
    // What the page's worker gets to check: the target and the sig.
    let request = cwmp_capture::UdpConnectionRequest {
        target: view.target.clone(),
        signature: view.signature.clone(),
        ..cwmp_capture::UdpConnectionRequest::default()
    };
    let ok = check_udp_signature(&request, UDP_PASSWORD).ok;
    (view, ok, back)
}

#[test]
fn udp_connection_request_signatures_are_redacted_like_digest_responses() {
    let capture = analyse(UDP_CR, Some("udp-connection-request.pcap"));
    let original = capture.udp_connection_requests[0].clone();
    let sig = original.signature.clone().expect("the vector's sig");
    assert_eq!(sig.len(), 40, "{sig}");
    let list = find_redactions(&capture);
    let sigs: Vec<(usize, &Redaction)> = list
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.udp_requests.is_empty())
        .collect();
    assert_eq!(sigs.len(), 1, "{list:#?}");
    let (at, redaction) = sigs[0];
    assert_eq!(redaction.kind, RedactionKind::DigestResponse);
    assert!(redaction.on_by_default);
    assert_eq!(redaction.original, sig);
    assert_eq!(redaction.replacement, REDACTED);
    assert_eq!(redaction.udp_requests, [0]);
    let user = original.username.as_deref().expect("un");
    assert!(
        redaction.label.contains("UDP") && redaction.label.contains(user),
        "{}",
        redaction.label
    );
    // The dialog counts it as a place, though a datagram is not an exchange.
    assert_eq!(RedactionView::from(redaction).udp_requests, 1);

    // The default link: the sig is nowhere in it, and the recipient sees it marked.
    let default: Vec<usize> = (0..list.len()).filter(|&i| list[i].on_by_default).collect();
    let har = export_enabled(&capture, &default, None);
    for form in [sig.clone(), sig.to_lowercase(), sig.to_uppercase()] {
        assert!(!har.contains(&form), "the sig leaked");
    }
    let (view, ok, back) = udp_view_and_check(&har);
    assert_eq!(view.signature.as_deref(), Some(REDACTED));
    assert_eq!(
        view.target,
        original
            .target
            .replace(&format!("sig={sig}"), "sig=[redacted]")
    );
    assert!(!ok, "a redacted sig is never a match");
    // Everything else as the sender saw it, and read without error: the only notes say what
    // the sender hid.
    assert_eq!(
        (view.ts, &view.message_id, &view.username, &view.cnonce),
        (
            original.ts,
            &original.message_id,
            &original.username,
            &original.cnonce
        )
    );
    assert_eq!(view.problems, original.problems);
    assert_eq!(view.session, original.session);
    assert!(
        back.import_problems.iter().all(|p| p
            .message
            .starts_with("redacted by the sender of the link: ")),
        "{:#?}",
        back.import_problems
    );
    assert!(
        back.import_problems
            .iter()
            .any(|p| p.message.contains(&redaction.label)),
        "{:#?}",
        back.import_problems
    );

    // Switched off in the dialog: the sig travels and checks.
    let without: Vec<usize> = default.iter().copied().filter(|&i| i != at).collect();
    let har = export_enabled(&capture, &without, None);
    assert!(har.contains(&sig));
    let (view, ok, _) = udp_view_and_check(&har);
    assert_eq!(view.signature.as_deref(), Some(sig.as_str()));
    assert_eq!(view.target, original.target);
    assert!(ok, "the password of the vector matches");
}

#[test]
fn a_failed_connection_request_keeps_its_outcome_through_a_link_that_hides_addresses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/traffic");
    for (file, outcome) in [("cr-syn-refused.pcap", "reset"), ("cr-reset.pcap", "reset")] {
        let bytes = std::fs::read(dir.join(file)).expect("vector");
        let capture = analyse(&bytes, Some(file));
        let list = find_redactions(&capture);
        let chosen = of_kind(&list, RedactionKind::IpAddress);
        let har = export(&capture, &chosen);
        let outcomes = |c: &Capture| -> Vec<(Option<String>, Option<String>)> {
            c.connection_requests
                .iter()
                .map(|cr| {
                    let json = serde_json::to_value(cr.outcome).expect("outcome");
                    (cr.cpe.clone(), json.as_str().map(str::to_owned))
                })
                .collect()
        };
        let back = analyse(har.as_bytes(), None);
        let (original, shared) = (outcomes(&capture), outcomes(&back));
        assert_eq!(original.len(), shared.len(), "{file}: {shared:?}");
        assert!(
            shared.iter().any(|(_, o)| o.as_deref() == Some(outcome)),
            "{file}: {shared:?}"
        );
        for ((cpe, o), (cpe_back, o_back)) in original.iter().zip(&shared) {
            assert_eq!(o, o_back, "{file}");
            // The address as the link writes it: its IP replaced, its port kept.
            let address: std::net::SocketAddr = cpe.as_deref().expect("cpe").parse().expect("cpe");
            let ip = address.ip().to_string();
            let to = chosen
                .iter()
                .find(|r| r.original == ip)
                .map_or(ip.as_str(), |r| r.replacement.as_str());
            let replaced = format!("{to}:{}", address.port());
            assert_eq!(
                Some(replaced),
                cpe_back.clone(),
                "{file}: {original:?} {shared:?} {:?}",
                chosen
                    .iter()
                    .map(|r| (&r.original, &r.replacement))
                    .collect::<Vec<_>>()
            );
        }
    }
}
