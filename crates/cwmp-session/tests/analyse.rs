//! Sessions built from real captures and imports.

use std::fmt::Write as _;
use std::path::Path;

use cwmp_session::{Direction, MessageKind, SessionEnd, analyse};

fn vector(path: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn baicells_capture_has_three_sessions_of_one_device() {
    let c = analyse(
        &vector("cwmp-capture/tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap"),
        Some("baicells.pcap"),
    );
    let outline: Vec<Vec<String>> = c
        .sessions
        .iter()
        .map(|s| {
            s.messages
                .iter()
                .map(|m| format!("{} {}", m.direction.as_str(), m.rpc))
                .collect()
        })
        .collect();
    eprintln!("{outline:#?}");
    eprintln!("{}", c.to_json().chars().take(3000).collect::<String>());
    assert_eq!(c.sessions.len(), 3);
    assert_eq!(c.devices.len(), 1);
    assert_eq!(
        c.devices[0].id,
        "48BF74-FAP/pBS31010/CA-1202000291213VB0009"
    );
    let s = &c.sessions[0];
    assert_eq!(s.messages[0].rpc, "Inform");
    assert_eq!(s.messages[0].direction, Direction::CpeToAcs);
    assert_eq!(s.messages[1].rpc, "InformResponse");
    assert_eq!(s.messages[1].pair, Some(0));
    assert_eq!(s.messages[2].kind, MessageKind::Empty);
    assert_eq!(s.events, vec!["2 PERIODIC"]);
    assert_eq!(s.ended, SessionEnd::Completed);
}

mod built {
    //! Sessions from connections built by hand, so that each grouping rule is tested alone.

    use cwmp_capture::{
        Chunk, ClientRule, Connection, HalfStream, Import, StreamItem, Timestamp,
        connection_requests, parse_connection,
    };
    use cwmp_session::{MessageKind, SessionEnd, analyse_import};

    const NS: &str = "urn:dslforum-org:cwmp-1-0";

    fn envelope(id: &str, body: &str) -> String {
        format!(
            "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:cwmp=\"{NS}\"><soap:Header><cwmp:ID soap:mustUnderstand=\"1\">{id}</cwmp:ID></soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>"
        )
    }

    fn inform(serial: &str, event: &str) -> String {
        envelope(
            "1",
            &format!(
                "<cwmp:Inform><DeviceId><Manufacturer>M</Manufacturer><OUI>00D09E</OUI><ProductClass>PC</ProductClass><SerialNumber>{serial}</SerialNumber></DeviceId><Event><EventStruct><EventCode>{event}</EventCode><CommandKey></CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount><ParameterList></ParameterList></cwmp:Inform>"
            ),
        )
    }

    fn post(body: &str, extra: &str) -> String {
        format!(
            "POST /acs HTTP/1.1\r\nHost: acs\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
    }

    fn reply(status: &str, body: &str, extra: &str) -> String {
        format!(
            "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
    }

    fn half(t0: i64, parts: &[String]) -> HalfStream {
        let mut h = HalfStream::default();
        let mut offset = 0;
        for (i, p) in parts.iter().enumerate() {
            h.items.push(StreamItem::Data(Chunk {
                offset,
                data: p.as_bytes().to_vec(),
                frame: 1,
                span: None,
                timestamp: Some(Timestamp(
                    (t0 + 2 * i64::try_from(i).unwrap()) * 1_000_000_000,
                )),
            }));
            offset += p.len() as u64;
        }
        h.bytes = offset;
        h
    }

    /// A connection whose exchanges start at second `t0`, two seconds apart.
    fn conn(index: u64, port: u16, t0: i64, exchanges: &[(String, String)]) -> Connection {
        let (reqs, resps): (Vec<String>, Vec<String>) = exchanges.iter().cloned().unzip();
        Connection {
            index,
            client: format!("192.0.2.7:{port}").parse().unwrap(),
            server: "198.51.100.1:7547".parse().unwrap(),
            rule: ClientRule::Syn,
            first_frame: 1,
            client_to_server: half(t0, &reqs),
            server_to_client: half(t0 + 1, &resps),
        }
    }

    fn import(conns: &[Connection]) -> Import {
        let mut exchanges: Vec<_> = conns
            .iter()
            .flat_map(|c| parse_connection(c).exchanges)
            .collect();
        exchanges.sort_by_key(cwmp_capture::HttpExchange::first_time);
        Import {
            connection_requests: connection_requests(&exchanges),
            exchanges,
            ..Import::default()
        }
    }

    fn informed() -> (String, String) {
        (
            post(&inform("S1", "2 PERIODIC"), ""),
            reply(
                "200 OK",
                &envelope(
                    "1",
                    "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>",
                ),
                "Set-Cookie: session=abc; Path=/\r\n",
            ),
        )
    }

    #[test]
    fn a_session_that_moves_to_a_new_connection_is_joined_by_its_cookie() {
        let c0 = conn(0, 40000, 0, &[informed()]);
        let c1 = conn(
            1,
            40001,
            10,
            &[
                (
                    post("", "Cookie: session=abc\r\n"),
                    reply(
                        "200 OK",
                        &envelope(
                            "7",
                            "<cwmp:GetParameterValues><ParameterNames><string>Device.</string></ParameterNames></cwmp:GetParameterValues>",
                        ),
                        "",
                    ),
                ),
                (
                    post(
                        &envelope(
                            "7",
                            "<cwmp:GetParameterValuesResponse><ParameterList></ParameterList></cwmp:GetParameterValuesResponse>",
                        ),
                        "Cookie: session=abc\r\n",
                    ),
                    reply("204 No Content", "", ""),
                ),
            ],
        );
        let c = analyse_import(import(&[c0, c1]), None);
        assert_eq!(c.sessions.len(), 1, "{:#?}", c.sessions);
        let s = &c.sessions[0];
        assert_eq!(s.streams, vec![0, 1]);
        assert_eq!(s.messages.len(), 6);
        assert_eq!(s.messages[4].pair, Some(3));
        assert_eq!(s.ended, SessionEnd::Completed);
    }

    #[test]
    fn two_sessions_on_one_keep_alive_connection_are_split() {
        let c0 = conn(
            0,
            40000,
            0,
            &[
                informed(),
                (post("", ""), reply("204 No Content", "", "")),
                informed(),
                (post("", ""), reply("204 No Content", "", "")),
            ],
        );
        let c = analyse_import(import(&[c0]), None);
        assert_eq!(c.sessions.len(), 2);
        assert!(
            c.sessions
                .iter()
                .all(|s| s.messages.len() == 4 && s.ended == SessionEnd::Completed)
        );
        assert_eq!(c.devices.len(), 1);
        assert_eq!(c.devices[0].sessions, vec![0, 1]);
    }

    #[test]
    fn an_inform_retried_after_401_stays_in_its_session() {
        let (req, resp) = informed();
        let c0 = conn(
            0,
            40000,
            0,
            &[
                (
                    req.clone(),
                    reply(
                        "401 Unauthorized",
                        "",
                        "WWW-Authenticate: Digest realm=\"acs\", nonce=\"n\", qop=\"auth\"\r\n",
                    ),
                ),
                (
                    req.replace(
                        "Host: acs\r\n",
                        "Host: acs\r\nAuthorization: Digest username=\"u\"\r\n",
                    ),
                    resp,
                ),
                (post("", ""), reply("204 No Content", "", "")),
            ],
        );
        let c = analyse_import(import(&[c0]), None);
        assert_eq!(c.sessions.len(), 1);
        let rpcs: Vec<(&str, Option<u16>)> = c.sessions[0]
            .messages
            .iter()
            .map(|m| (m.rpc.as_str(), m.http_status))
            .collect();
        assert_eq!(
            rpcs,
            vec![
                ("Inform", None),
                ("Empty", Some(401)),
                ("Inform", None),
                ("InformResponse", Some(200)),
                ("Empty", None),
                ("Empty", Some(204))
            ]
        );
        // The 401 ends nothing: only an empty 200/204 does.
        assert_eq!(c.sessions[0].ended, SessionEnd::Completed);
        assert_eq!(c.sessions[0].messages[3].pair, Some(2));
    }

    #[test]
    fn a_connection_request_is_attached_to_the_session_it_triggered() {
        let cr = Connection {
            index: 0,
            client: "198.51.100.1:50000".parse().unwrap(),
            server: "192.0.2.7:7547".parse().unwrap(),
            rule: ClientRule::Syn,
            first_frame: 1,
            client_to_server: half(0, &["GET /cr HTTP/1.1\r\nHost: cpe\r\n\r\n".to_owned()]),
            server_to_client: half(0, &[reply("204 No Content", "", "")]),
        };
        let session = conn(
            1,
            40000,
            5,
            &[
                (
                    post(&inform("S1", "6 CONNECTION REQUEST"), ""),
                    informed().1,
                ),
                (post("", ""), reply("204 No Content", "", "")),
            ],
        );
        let c = analyse_import(import(&[cr, session]), None);
        assert_eq!(c.connection_requests.len(), 1);
        assert_eq!(c.connection_requests[0].session, Some(0));
        assert_eq!(c.sessions[0].connection_request, Some(0));
        assert_eq!(c.sessions[0].events, vec!["6 CONNECTION REQUEST"]);
        // The GET is not a session message.
        assert_eq!(c.sessions[0].messages[0].rpc, "Inform");
    }

    #[test]
    fn responses_pair_by_cwmp_id_and_faults_answer_requests() {
        let c0 = conn(
            0,
            40000,
            0,
            &[
                informed(),
                (
                    post("", ""),
                    reply(
                        "200 OK",
                        &envelope("A", "<cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot>"),
                        "",
                    ),
                ),
                (
                    post(
                        &envelope(
                            "A",
                            "<soap:Fault><faultcode>Server</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault><FaultCode>9002</FaultCode><FaultString>Internal error</FaultString></cwmp:Fault></detail></soap:Fault>",
                        ),
                        "",
                    ),
                    reply("204 No Content", "", ""),
                ),
            ],
        );
        let c = analyse_import(import(&[c0]), None);
        let m = &c.sessions[0].messages;
        assert_eq!(m[3].summary.command_key.as_deref(), Some("k"));
        assert_eq!(m[4].kind, MessageKind::Fault);
        assert_eq!(m[4].pair, Some(3));
        assert_eq!(m[4].summary.fault_code, Some(9002));
        assert_eq!(m[4].cwmp_id.as_deref(), Some("A"));
    }

    #[test]
    fn a_session_cut_by_the_capture_is_unfinished() {
        let c = analyse_import(import(&[conn(0, 40000, 0, &[informed()])]), None);
        assert_eq!(c.sessions[0].ended, SessionEnd::Unfinished);
    }
}

/// A UDP connection request (TR-069 Annex G) signed for `udp-s3cret`, then the session it
/// triggered over TCP (tests/e2e/vectors/gen.py).
const UDP_CONNECTION_REQUEST: &[u8] =
    include_bytes!("../../../tests/e2e/vectors/udp-connection-request.pcap");

#[test]
fn a_udp_connection_request_is_listed_with_its_fields_and_linked_to_the_session_it_triggered() {
    let capture = cwmp_session::analyse(UDP_CONNECTION_REQUEST, Some("udp.pcap"));
    assert_eq!(capture.udp_connection_requests.len(), 1);
    let request = &capture.udp_connection_requests[0];
    assert_eq!(request.frame, 1);
    assert_eq!(request.acs, "192.0.2.10:40000");
    assert_eq!(request.cpe, "198.51.100.7:7547");
    assert_eq!(request.ts, Some(1_764_000_000));
    assert_eq!(request.message_id.as_deref(), Some("7001"));
    assert_eq!(request.username.as_deref(), Some("cpe-user"));
    assert_eq!(request.cnonce.as_deref(), Some("XTGU9"));
    assert!(request.problems.is_empty(), "{:?}", request.problems);
    assert_eq!(request.session, Some(0));
    assert_eq!(capture.sessions[0].udp_connection_request, Some(0));
    assert_eq!(capture.sessions[0].connection_request, None);
    // The UDP request explains the session's "6 CONNECTION REQUEST".
    assert!(
        !capture
            .findings
            .iter()
            .any(|f| f.rule == "event.connection-request-unmatched"),
        "{:?}",
        capture.findings
    );

    // In the JSON, and read back the same.
    let json = serde_json::to_value(&capture).unwrap();
    assert_eq!(json["udp_connection_requests"][0]["cnonce"], "XTGU9");
    assert_eq!(json["sessions"][0]["udp_connection_request"], 0);
    let read: cwmp_session::Capture = serde_json::from_value(json).unwrap();
    assert_eq!(
        read.udp_connection_requests,
        capture.udp_connection_requests
    );
}

#[test]
fn captures_without_udp_connection_requests_keep_their_json_unchanged() {
    let capture = cwmp_session::analyse(
        include_bytes!("../../../tests/e2e/vectors/connection-request-digest.http"),
        None,
    );
    let json = serde_json::to_value(&capture).unwrap();
    assert!(json.get("udp_connection_requests").is_none());
    assert!(json["sessions"][0].get("udp_connection_request").is_none());
}

/// SOAP bodies, one per message, as a raw SOAP input reads them (CPE and ACS alternating is not
/// needed: only each message's summary is looked at).
fn soap(body: &str) -> cwmp_session::Capture {
    let envelope = format!(
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><soap:Header><cwmp:ID \
         soap:mustUnderstand=\"1\">1</cwmp:ID></soap:Header><soap:Body>{body}</soap:Body>\
         </soap:Envelope>"
    );
    analyse(envelope.as_bytes(), None)
}

fn argument(body: &str) -> Option<String> {
    let c = soap(body);
    c.sessions[0].messages[0].summary.argument.clone()
}

#[test]
fn the_key_argument_names_what_the_request_acts_on() {
    assert_eq!(
        argument(
            "<cwmp:AddObject><ObjectName>Device.NAT.PortMapping.</ObjectName>\
             <ParameterKey></ParameterKey></cwmp:AddObject>"
        )
        .as_deref(),
        Some("Device.NAT.PortMapping.")
    );
    assert_eq!(
        argument(
            "<cwmp:DeleteObject><ObjectName>Device.NAT.PortMapping.3.</ObjectName>\
             <ParameterKey></ParameterKey></cwmp:DeleteObject>"
        )
        .as_deref(),
        Some("Device.NAT.PortMapping.3.")
    );
    let spv = |n: usize| {
        let mut items = String::new();
        for i in 0..n {
            let _ = write!(
                items,
                "<ParameterValueStruct><Name>Device.X.{i}</Name><Value>1</Value>\
                 </ParameterValueStruct>"
            );
        }
        format!(
            "<cwmp:SetParameterValues><ParameterList>{items}</ParameterList>\
             <ParameterKey></ParameterKey></cwmp:SetParameterValues>"
        )
    };
    assert_eq!(argument(&spv(1)).as_deref(), Some("Device.X.0"));
    // Several parameters: the count says it (summary.parameters), not one of them.
    assert_eq!(argument(&spv(3)), None);
    assert_eq!(
        argument(
            "<cwmp:GetParameterValues><ParameterNames><string>Device.DeviceInfo.UpTime</string>\
             </ParameterNames></cwmp:GetParameterValues>"
        )
        .as_deref(),
        Some("Device.DeviceInfo.UpTime")
    );
    assert_eq!(
        argument(
            "<cwmp:Download><CommandKey>k</CommandKey><FileType>1 Firmware Upgrade Image\
             </FileType><URL>http://user@fw.example.com:8080/img.bin</URL><Username></Username>\
             <Password></Password><FileSize>0</FileSize><TargetFileName></TargetFileName>\
             <DelaySeconds>0</DelaySeconds><SuccessURL></SuccessURL><FailureURL></FailureURL>\
             </cwmp:Download>"
        )
        .as_deref(),
        Some("1 Firmware Upgrade Image from fw.example.com")
    );
    assert_eq!(
        argument(
            "<cwmp:Download><CommandKey>k</CommandKey><FileType>1 Firmware Upgrade Image\
             </FileType><URL>https://[2001:db8::5]/img.bin</URL></cwmp:Download>"
        )
        .as_deref(),
        Some("1 Firmware Upgrade Image from 2001:db8::5")
    );
    assert_eq!(
        argument("<cwmp:Reboot><CommandKey>r</CommandKey></cwmp:Reboot>"),
        None
    );
}

#[test]
fn basic_credentials_in_a_real_cleartext_capture_are_a_finding_per_session() {
    // The Baicells eNodeB authenticates to the ACS with Basic, and a pcap shows plain HTTP.
    let c = analyse(
        &vector("cwmp-capture/tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap"),
        Some("baicells.pcap"),
    );
    let found: Vec<_> = c
        .findings
        .iter()
        .filter(|f| f.rule == "auth.basic-over-http")
        .collect();
    assert_eq!(found.len(), c.sessions.len());
    assert!(
        found[0].message.contains("plain HTTP"),
        "{}",
        found[0].message
    );
    assert!(found.iter().all(|f| f.spec.contains("RFC 7617")));
    // The CPE's messages say which credentials they carry, without the credentials.
    let inform = &c.sessions[0].messages[0];
    assert_eq!(inform.summary.authorization.as_deref(), Some("Basic"));
    assert!(
        !c.to_json().contains("Basic Y"),
        "no credentials in the JSON"
    );
}
