//! A benchmark capture that looks like one taken on a busy ACS host, rather than 10 KB exchanges
//! of one device: thousands of devices, small Informs and GetParameterValues answers, Digest
//! challenges (401) then authenticated retries, connection requests (a third of them over IPv6,
//! to the URL each device reports in its Informs, some reset by the CPE) and the sessions they
//! trigger, periodic sessions, and HTTP that is not CWMP (the ACS's REST API with chunked JSON,
//! its web UI, firmware downloads). Deterministic: the same bytes on every run.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use super::{MSS, PcapOut, TcpConv, XorShift};

/// In the cached file's name: changing the generator changes this, which regenerates the file.
pub const ACS_VERSION: u32 = 1;
/// The capture grows until it is at least this large.
pub const ACS_MIN_BYTES: usize = 44_000_000;
/// Distinct devices; most have several sessions in the capture.
pub const ACS_DEVICES: u64 = 4_000;

const ACS_V4: [u8; 4] = [192, 0, 2, 10];
const ACS_V6: [u16; 8] = [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10];
const OPERATOR: [u8; 4] = [10, 9, 0, 5];
const NBI_PORT: u16 = 7557;
const UI_PORT: u16 = 3000;
const FILES_PORT: u16 = 7567;
/// Every port that carries HTTP in this capture, for tshark's `-d tcp.port==N,http`.
pub const ACS_HTTP_PORTS: [u16; 4] = [7547, NBI_PORT, UI_PORT, FILES_PORT];

fn device_v4(d: u64) -> Ipv4Addr {
    Ipv4Addr::new(100, 64 + (d >> 16) as u8, (d >> 8) as u8, d as u8)
}

fn device_v6(d: u64) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, 0x100, 0, 0, 0, (d >> 16) as u16, d as u16)
}

/// Every third device takes connection requests on IPv6 (and opens sessions over IPv4).
fn dual_stack(d: u64) -> bool {
    d.is_multiple_of(3)
}

fn serial(d: u64) -> String {
    format!("GW{d:08}")
}

fn cr_url(d: u64) -> String {
    if dual_stack(d) {
        format!("http://[{}]:7547/cr/{d:x}", device_v6(d))
    } else {
        format!("http://{}:7547/cr/{d:x}", device_v4(d))
    }
}

const SOAP_HEAD: &str = "<soap-env:Envelope \
    xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" \
    xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\" \
    xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
    xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">";

fn envelope(id: u64, body: &str) -> String {
    format!(
        "{SOAP_HEAD}<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">{id}</cwmp:ID>\
         </soap-env:Header><soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>"
    )
}

fn values(params: &[(String, String)]) -> String {
    let mut s = format!(
        "<ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[{}]\">",
        params.len()
    );
    for (name, value) in params {
        write!(
            s,
            "<ParameterValueStruct><Name>{name}</Name><Value xsi:type=\"xsd:string\">{value}\
             </Value></ParameterValueStruct>"
        )
        .unwrap();
    }
    s.push_str("</ParameterList>");
    s
}

/// A small Inform (about 1.5 KB) with the forced parameters, the ConnectionRequestURL among them.
fn inform(d: u64, id: u64, event: &str) -> String {
    let ip = device_v4(d).to_string();
    let p = |n: &str, v: String| (format!("InternetGatewayDevice.{n}"), v);
    let params = [
        p(
            "DeviceSummary",
            "InternetGatewayDevice:1.4[](Baseline:1)".to_owned(),
        ),
        p("DeviceInfo.HardwareVersion", "HW2.0".to_owned()),
        p(
            "DeviceInfo.SoftwareVersion",
            format!("V1.{}.{}", d % 4, d % 10),
        ),
        p("DeviceInfo.ProvisioningCode", String::new()),
        p("ManagementServer.ConnectionRequestURL", cr_url(d)),
        p("ManagementServer.ParameterKey", format!("key-{}", id % 7)),
        p(
            "WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress",
            ip,
        ),
    ];
    envelope(
        id,
        &format!(
            "<cwmp:Inform><DeviceId><Manufacturer>Acme</Manufacturer><OUI>00D09E</OUI>\
             <ProductClass>HGW</ProductClass><SerialNumber>{}</SerialNumber></DeviceId>\
             <Event soap-enc:arrayType=\"cwmp:EventStruct[1]\"><EventStruct><EventCode>{event}\
             </EventCode><CommandKey></CommandKey></EventStruct></Event>\
             <MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-11-24T20:00:00Z</CurrentTime>\
             <RetryCount>0</RetryCount>{}</cwmp:Inform>",
            serial(d),
            values(&params)
        ),
    )
}

fn request(head: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("{head}\r\n{extra}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    m.extend_from_slice(body);
    m
}

fn post(body: &str, extra: &str) -> Vec<u8> {
    request(
        "POST /acs HTTP/1.1",
        &format!(
            "Host: acs.example.net:7547\r\nUser-Agent: hgw-cwmp/2.1\r\n\
             Content-Type: text/xml; charset=\"utf-8\"\r\nSOAPAction: \"\"\r\n{extra}"
        ),
        body.as_bytes(),
    )
}

fn reply(status: &str, extra: &str, body: &str) -> Vec<u8> {
    let typed = if body.is_empty() {
        ""
    } else {
        "Content-Type: text/xml; charset=\"utf-8\"\r\n"
    };
    request(
        &format!("HTTP/1.1 {status}"),
        &format!("Server: acs/1.0\r\n{typed}{extra}"),
        body.as_bytes(),
    )
}

fn challenge(nonce: u64) -> String {
    format!(
        "WWW-Authenticate: Digest realm=\"acs\", nonce=\"{nonce:016x}\", qop=\"auth\", \
         algorithm=MD5\r\n"
    )
}

fn authorization(user: &str, uri: &str, nonce: u64, rng: &mut XorShift) -> String {
    format!(
        "Authorization: Digest username=\"{user}\", realm=\"acs\", nonce=\"{nonce:016x}\", \
         uri=\"{uri}\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"{:08x}\", \
         response=\"{:016x}{:016x}\"\r\n",
        rng.next() as u32,
        rng.next(),
        rng.next()
    )
}

/// Sends `data` and has the peer acknowledge it.
fn say(c: &mut TcpConv, f: &mut Vec<Vec<u8>>, from_client: bool, data: &[u8]) {
    f.extend(c.send(from_client, data, MSS));
    f.push(c.ack(!from_client));
}

/// One CWMP session from device `d`: the Inform challenged with Digest (most sessions), the
/// authenticated retry, GetParameterValues, for connection-request sessions a
/// SetParameterValues too, and the ACS's 204.
fn session(d: u64, event: &str, rng: &mut XorShift, f: &mut Vec<Vec<u8>>) {
    let cpe = SocketAddr::from((device_v4(d), 30_000 + (rng.next() % 30_000) as u16));
    let mut c = TcpConv::new(cpe, SocketAddr::from((ACS_V4, 7547)));
    c.client_seq = rng.next() as u32;
    c.server_seq = rng.next() as u32;
    f.extend(c.handshake());
    let id = rng.next() % 100_000;
    let inform = inform(d, id, event);
    let user = format!("00D09E-HGW-{}", serial(d));
    // Four sessions in five are challenged (401) and retried with Digest credentials.
    if rng.next().is_multiple_of(5) {
        say(&mut c, f, true, &post(&inform, ""));
    } else {
        let nonce = rng.next();
        say(&mut c, f, true, &post(&inform, ""));
        say(
            &mut c,
            f,
            false,
            &reply("401 Unauthorized", &challenge(nonce), ""),
        );
        let auth = authorization(&user, "/acs", nonce, rng);
        say(&mut c, f, true, &post(&inform, &auth));
    }
    let cookie = format!("session={:016x}", rng.next());
    let response = envelope(
        id,
        "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>",
    );
    let set_cookie = format!("Set-Cookie: {cookie}; Path=/\r\n");
    say(&mut c, f, false, &reply("200 OK", &set_cookie, &response));
    let with_cookie = format!("Cookie: {cookie}\r\n");
    say(&mut c, f, true, &post("", &with_cookie));
    let names = 2 + rng.range(0, 3);
    let gpv = envelope(
        id + 1,
        &format!(
            "<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[{names}]\">\
             {}</ParameterNames></cwmp:GetParameterValues>",
            (0..names).fold(String::new(), |mut s, n| {
                let _ = write!(s, "<string>InternetGatewayDevice.Stats.Group{n}.</string>");
                s
            })
        ),
    );
    say(&mut c, f, false, &reply("200 OK", "", &gpv));
    let params: Vec<(String, String)> = (0..rng.range(8, 40))
        .map(|n| {
            (
                format!("InternetGatewayDevice.Stats.Group{}.Counter{n}", n % names),
                (rng.next() % 1_000_000).to_string(),
            )
        })
        .collect();
    let gpv_response = envelope(
        id + 1,
        &format!(
            "<cwmp:GetParameterValuesResponse>{}</cwmp:GetParameterValuesResponse>",
            values(&params)
        ),
    );
    say(&mut c, f, true, &post(&gpv_response, &with_cookie));
    if event.starts_with('6') {
        let spv = envelope(
            id + 2,
            &format!(
                "<cwmp:SetParameterValues>{}<ParameterKey>task-{id}</ParameterKey>\
                 </cwmp:SetParameterValues>",
                values(&[(
                    "InternetGatewayDevice.ManagementServer.PeriodicInformInterval".to_owned(),
                    "3600".to_owned(),
                )])
            ),
        );
        say(&mut c, f, false, &reply("200 OK", "", &spv));
        let spv_response = envelope(
            id + 2,
            "<cwmp:SetParameterValuesResponse><Status>0</Status>\
             </cwmp:SetParameterValuesResponse>",
        );
        say(&mut c, f, true, &post(&spv_response, &with_cookie));
    }
    say(&mut c, f, false, &reply("204 No Content", "", ""));
    f.extend(c.close());
}

/// The ACS's connection request to device `d` at its reported URL: Digest challenge, then the
/// authenticated retry, accepted; one in twenty is reset by the CPE instead. Returns whether it
/// was accepted.
fn connection_request(d: u64, rng: &mut XorShift, f: &mut Vec<Vec<u8>>) -> bool {
    let port = 40_000 + (rng.next() % 20_000) as u16;
    let (acs, cpe, host) = if dual_stack(d) {
        let v6 = device_v6(d);
        (
            SocketAddr::from((Ipv6Addr::from(ACS_V6), port)),
            SocketAddr::from((v6, 7547)),
            format!("[{v6}]:7547"),
        )
    } else {
        let v4 = device_v4(d);
        (
            SocketAddr::from((ACS_V4, port)),
            SocketAddr::from((v4, 7547)),
            format!("{v4}:7547"),
        )
    };
    let mut c = TcpConv::new(acs, cpe);
    c.client_seq = rng.next() as u32;
    c.server_seq = rng.next() as u32;
    f.extend(c.handshake());
    let target = format!("/cr/{d:x}");
    let get = |auth: &str| {
        request(
            &format!("GET {target} HTTP/1.1"),
            &format!("Host: {host}\r\n{auth}"),
            b"",
        )
    };
    say(&mut c, f, true, &get(""));
    if rng.next().is_multiple_of(20) {
        let rst = c.frame(false, c.server_seq, 0x14, &[]);
        f.push(rst);
        return false;
    }
    let nonce = rng.next();
    say(
        &mut c,
        f,
        false,
        &reply("401 Unauthorized", &challenge(nonce), ""),
    );
    let auth = authorization("acs", &target, nonce, rng);
    say(&mut c, f, true, &get(&auth));
    say(&mut c, f, false, &reply("200 OK", "", ""));
    f.extend(c.close());
    true
}

fn chunked(text: &str, size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 64);
    for part in text.as_bytes().chunks(size) {
        out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        out.extend_from_slice(part);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn operator(port: u16, rng: &mut XorShift) -> TcpConv {
    let client = SocketAddr::from((OPERATOR, 50_000 + (rng.next() % 10_000) as u16));
    let mut c = TcpConv::new(client, SocketAddr::from((ACS_V4, port)));
    c.client_seq = rng.next() as u32;
    c.server_seq = rng.next() as u32;
    c
}

/// The operator's script asks the NBI (GenieACS shape) for a task with a connection request.
fn nbi_task(d: u64, rng: &mut XorShift, f: &mut Vec<Vec<u8>>) {
    let mut c = operator(NBI_PORT, rng);
    f.extend(c.handshake());
    let device = format!("00D09E-HGW-{}", serial(d));
    let body = "{\"name\":\"setParameterValues\",\"parameterValues\":[[\"InternetGatewayDevice.\
                ManagementServer.PeriodicInformInterval\",3600,\"xsd:unsignedInt\"]]}";
    let mut head = format!(
        "POST /devices/{device}/tasks?timeout=3000&connection_request HTTP/1.1\r\n\
         Host: acs.example.net:{NBI_PORT}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    head.extend(chunked(body, 64));
    say(&mut c, f, true, &head);
    let answer = format!(
        "{{\"_id\":\"{:024x}\",\"name\":\"setParameterValues\",\"device\":\"{device}\",\
         \"timestamp\":\"2026-11-24T20:00:00.000Z\"}}",
        rng.next()
    );
    let mut head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                     Transfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    head.extend(chunked(&answer, 80));
    say(&mut c, f, false, &head);
    f.extend(c.close());
}

/// A page of the web UI.
fn ui_page(rng: &mut XorShift, f: &mut Vec<Vec<u8>>) {
    let mut c = operator(UI_PORT, rng);
    f.extend(c.handshake());
    let page = rng.next() % 200;
    say(
        &mut c,
        f,
        true,
        &request(
            &format!("GET /devices?page={page} HTTP/1.1"),
            &format!("Host: acs.example.net:{UI_PORT}\r\nAccept: text/html\r\n"),
            b"",
        ),
    );
    let mut html =
        String::from("<!DOCTYPE html><html><head><title>Devices</title></head><body><table>");
    for row in 0..rng.range(20, 60) {
        write!(
            html,
            "<tr><td>00D09E-HGW-GW{:08}</td><td>online</td></tr>",
            page * 100 + row as u64
        )
        .unwrap();
    }
    html.push_str("</table></body></html>");
    say(
        &mut c,
        f,
        false,
        &request(
            "HTTP/1.1 200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            html.as_bytes(),
        ),
    );
    f.extend(c.close());
}

/// Device `d` downloads a firmware image from the ACS's file server.
fn firmware(d: u64, rng: &mut XorShift, f: &mut Vec<Vec<u8>>) {
    let client = SocketAddr::from((device_v4(d), 30_000 + (rng.next() % 30_000) as u16));
    let mut c = TcpConv::new(client, SocketAddr::from((ACS_V4, FILES_PORT)));
    c.client_seq = rng.next() as u32;
    c.server_seq = rng.next() as u32;
    f.extend(c.handshake());
    say(
        &mut c,
        f,
        true,
        &request(
            "GET /firmware/hgw-2.1.bin HTTP/1.1",
            &format!("Host: acs.example.net:{FILES_PORT}\r\n"),
            b"",
        ),
    );
    let image: Vec<u8> = (0..rng.range(32_768, 65_536))
        .map(|i| (i * 7) as u8)
        .collect();
    say(
        &mut c,
        f,
        false,
        &request(
            "HTTP/1.1 200 OK",
            "Content-Type: application/octet-stream\r\n",
            &image,
        ),
    );
    f.extend(c.close());
}

/// What one step of the ACS's day adds: a periodic session, or a connection request (with,
/// half the time, the NBI call that asked for it) and the session it triggers, or a page of the
/// web UI, or a firmware download.
fn unit(n: u64, rng: &mut XorShift) -> Vec<Vec<u8>> {
    let d = (n * 7919) % ACS_DEVICES;
    let mut f = Vec::new();
    match rng.next() % 100 {
        0..=59 => session(d, "2 PERIODIC", rng, &mut f),
        60..=89 => {
            if rng.next().is_multiple_of(2) {
                nbi_task(d, rng, &mut f);
            }
            if connection_request(d, rng, &mut f) {
                session(d, "6 CONNECTION REQUEST", rng, &mut f);
            }
        }
        90..=98 => ui_page(rng, &mut f),
        _ => firmware(d, rng, &mut f),
    }
    f
}

/// The ACS-side capture: units (see [`unit`]) until it reaches [`ACS_MIN_BYTES`], up to 32 open
/// at once, their frames interleaved in small bursts.
pub fn acs_side_capture(seed: u64) -> Vec<u8> {
    let mut rng = XorShift(seed | 1);
    let mut out = PcapOut::with_capacity(ACS_MIN_BYTES + (1 << 20));
    let mut open: Vec<std::collections::VecDeque<Vec<u8>>> = Vec::new();
    let mut next = 0;
    let mut micros = 1_764_000_000_000_000;
    while out.buf.len() < ACS_MIN_BYTES || !open.is_empty() {
        while open.len() < 32 && out.buf.len() < ACS_MIN_BYTES {
            open.push(unit(next, &mut rng).into());
            next += 1;
        }
        if open.is_empty() {
            break;
        }
        let i = rng.range(0, open.len());
        for _ in 0..rng.range(1, 4) {
            let Some(frame) = open[i].pop_front() else {
                break;
            };
            micros += 100 + rng.next() % 1000;
            out.push(micros, &frame);
        }
        if open[i].is_empty() {
            open.swap_remove(i);
        }
    }
    out.buf
}

/// `target/bench-data/cwmp-acs-v{ACS_VERSION}.pcap`, generated when missing.
pub fn acs_capture() -> std::path::PathBuf {
    let dir = super::bench_dir();
    let path = dir.join(format!("cwmp-acs-v{ACS_VERSION}.pcap"));
    if !path.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let partial = path.with_extension("partial");
        std::fs::write(&partial, acs_side_capture(0xac5)).unwrap();
        std::fs::rename(&partial, &path).unwrap();
    }
    path
}
