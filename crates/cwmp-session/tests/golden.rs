//! Golden end-to-end tests: real inputs → `analyse` → the JSON contract, snapshotted whole
//! (`tests/snapshots/golden__*.snap`), with the key facts also asserted here so that the test
//! reads without the snapshots. The Baicells capture is also checked against tshark's HTTP view.
//!
//! Update the snapshots after an intended change with
//! `INSTA_UPDATE=always cargo test -p cwmp-session --test golden`, then review the diff.
//!
//! Inputs (`tests/vectors/golden/`, see its PROVENANCE.md):
//!
//! - the Baicells QRTB capture of cwmp-capture's vectors (pcap, both sides);
//! - the 2012 GenieACS Huawei BM632w session: 49 files `[{request headers}, "body"]`, the CPE's
//!   side only. The importer of that format reads one file, so the test joins them into one HTTP
//!   transcript of 49 `POST /` requests (the recorded headers, `Content-Length` recomputed). The
//!   ACS side was never recorded, so the session shows CPE messages only;
//! - the FreeACS ordered sessions: numbered `N_*.xml` files, one HTTP body each, turned into one
//!   HTTP transcript per directory (see [`freeacs_transcript`] for which side each file is).

use std::path::{Path, PathBuf};
use std::process::Command;

use cwmp_session::{Capture, Direction, MessageKind, SessionEnd, analyse};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/golden")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn baicells_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cwmp-capture/tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap")
}

/// `direction rpc` per message, per session.
fn outline(c: &Capture) -> Vec<Vec<String>> {
    c.sessions
        .iter()
        .map(|s| {
            s.messages
                .iter()
                .map(|m| format!("{} {}", m.direction.as_str(), m.rpc))
                .collect()
        })
        .collect()
}

fn snapshot(name: &str, capture: &Capture) {
    insta::with_settings!({ prepend_module_to_snapshot => true, omit_expression => true }, {
        insta::assert_snapshot!(name, capture.to_json());
    });
}

#[test]
fn baicells_pcap() {
    let c = analyse(
        &read(&baicells_path()),
        Some("magma_baicells_qrtb_enodebd_tr069.pcap"),
    );
    assert_eq!(c.sessions.len(), 3);
    assert_eq!(c.devices.len(), 1);
    assert_eq!(
        c.devices[0].id,
        "48BF74-FAP/pBS31010/CA-1202000291213VB0009"
    );
    assert_eq!(
        outline(&c)[0][..4],
        [
            "cpe-to-acs Inform",
            "acs-to-cpe InformResponse",
            "cpe-to-acs Empty",
            "acs-to-cpe GetParameterValues",
        ]
    );
    let lengths: Vec<usize> = c.sessions.iter().map(|s| s.messages.len()).collect();
    assert_eq!(lengths, [10, 14, 10]);
    assert!(c.sessions.iter().all(|s| s.ended == SessionEnd::Completed));
    assert_eq!(c.sessions[2].events, ["2 PERIODIC", "4 VALUE CHANGE"]);
    assert!(c.import_problems.is_empty());
    snapshot("baicells", &c);
}

/// The 49 GenieACS 2012 files as one HTTP transcript of the CPE's requests, in order.
fn genieacs_2012_transcript() -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..49 {
        let path = root().join(format!("genieacs_2012_huawei/{i}.json"));
        let value: serde_json::Value = serde_json::from_slice(&read(&path)).unwrap();
        let [headers, body] = value.as_array().unwrap().as_slice() else {
            panic!("{}: not [headers, body]", path.display());
        };
        let body = body.as_str().unwrap();
        out.extend_from_slice(b"POST / HTTP/1.1\r\n");
        for (name, value) in headers.as_object().unwrap() {
            if name != "content-length" {
                out.extend_from_slice(
                    format!("{name}: {}\r\n", value.as_str().unwrap()).as_bytes(),
                );
            }
        }
        out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
        out.extend_from_slice(body.as_bytes());
    }
    out
}

#[test]
fn genieacs_2012_huawei_session() {
    let c = analyse(
        &genieacs_2012_transcript(),
        Some("genieacs_2012_huawei.http"),
    );
    assert_eq!(c.source.format, "HTTP text");
    assert_eq!(c.sessions.len(), 1, "{:#?}", outline(&c));
    let s = &c.sessions[0];
    assert_eq!(s.messages.len(), 49);
    assert!(
        s.messages
            .iter()
            .all(|m| m.direction == Direction::CpeToAcs)
    );
    assert_eq!(s.messages[0].rpc, "Inform");
    assert_eq!(s.messages[0].cwmp_id.as_deref(), Some("37"));
    assert_eq!(s.messages[1].kind, MessageKind::Empty);
    assert_eq!(s.messages[2].rpc, "GetParameterNamesResponse");
    assert!(
        s.messages[3..]
            .iter()
            .all(|m| m.rpc == "GetParameterValuesResponse")
    );
    // No ACS side: the session never sees the ACS's empty response.
    assert_eq!(s.ended, SessionEnd::Unfinished);
    assert_eq!(c.devices.len(), 1);
    assert_eq!(c.devices[0].id, "202BC1-BM632w-8KA8WA1151100043");
    assert!(c.import_problems.is_empty(), "{:#?}", c.import_problems);
    snapshot("genieacs_2012_huawei", &c);
}

/// Which side sent a FreeACS file, from the RPC in its name (`N_<rpc>.xml`, any case):
///
/// - `Empty` answers the other side: the opposite of the previous file (the CPE's empty POST
///   after the InformResponse, the ACS's empty response ending the session);
/// - `Inform`, and every `…Response` except the answers to CPE methods (InformResponse,
///   TransferCompleteResponse, …), are the CPE's;
/// - every other name is an ACS method (GetParameterValues, SetParameterValues, …) or an answer
///   to a CPE method, so the ACS's.
fn side(rpc: &str, previous: Option<Direction>) -> Direction {
    const ACS_RESPONSES: &[&str] = &[
        "informresponse",
        "transfercompleteresponse",
        "autonomoustransfercompleteresponse",
        "requestdownloadresponse",
        "kickedresponse",
        "dustatechangecompleteresponse",
        "autonomousdustatechangecompleteresponse",
    ];
    let rpc = rpc.to_ascii_lowercase();
    if rpc == "empty" {
        return previous.map_or(Direction::CpeToAcs, Direction::reverse);
    }
    if rpc == "inform" || (rpc.ends_with("response") && !ACS_RESPONSES.contains(&rpc.as_str())) {
        Direction::CpeToAcs
    } else {
        Direction::AcsToCpe
    }
}

/// The numbered files of a FreeACS directory as one HTTP transcript: CPE files become `POST /acs`
/// requests, ACS files `200 OK` responses, an empty ACS file `204 No Content`. Returns the
/// transcript and the sides, in file order.
fn freeacs_transcript(dir: &str) -> (Vec<u8>, Vec<Direction>) {
    let dir = root().join("freeacs").join(dir);
    let mut files: Vec<(u32, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .map(|name| {
            let n = name.split('_').next().unwrap().parse().unwrap();
            (n, name)
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut sides = Vec::new();
    for (_, name) in files {
        let rpc = name.split_once('_').unwrap().1.trim_end_matches(".xml");
        let direction = side(rpc, sides.last().copied());
        let body = read(&dir.join(&name));
        let head = match (direction, body.is_empty()) {
            (Direction::CpeToAcs, false) => format!(
                "POST /acs HTTP/1.1\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ),
            (Direction::CpeToAcs, true) => "POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n".into(),
            (Direction::AcsToCpe, false) => format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
                body.len()
            ),
            (Direction::AcsToCpe, true) => "HTTP/1.1 204 No Content\r\n\r\n".into(),
        };
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&body);
        sides.push(direction);
    }
    (out, sides)
}

/// One FreeACS directory: its transcript alternates CPE/ACS as numbered and is one completed
/// session; returns the capture for the directory's own assertions.
fn freeacs(dir: &str, snapshot_name: &str, files: usize) -> Capture {
    let (transcript, sides) = freeacs_transcript(dir);
    assert_eq!(sides.len(), files);
    for (i, side) in sides.iter().enumerate() {
        let expected = if i % 2 == 0 {
            Direction::CpeToAcs
        } else {
            Direction::AcsToCpe
        };
        assert_eq!(
            *side,
            expected,
            "{dir}: file {} is on the wrong side",
            i + 1
        );
    }
    let c = analyse(&transcript, Some(&format!("freeacs-{dir}.http")));
    assert_eq!(c.source.format, "HTTP text");
    assert_eq!(c.sessions.len(), 1, "{dir}: {:#?}", outline(&c));
    let s = &c.sessions[0];
    let got: Vec<Direction> = s.messages.iter().map(|m| m.direction).collect();
    assert_eq!(got, sides, "{dir}");
    assert_eq!(s.messages[0].rpc, "Inform");
    assert_eq!(s.messages[1].rpc, "InformResponse");
    assert_eq!(s.messages[1].pair, Some(0));
    assert_eq!(s.messages[2].kind, MessageKind::Empty);
    assert_eq!(s.ended, SessionEnd::Completed, "{dir}");
    assert_eq!(s.events, ["0 BOOTSTRAP", "1 BOOT", "4 VALUE CHANGE"]);
    assert!(
        c.import_problems.is_empty(),
        "{dir}: {:#?}",
        c.import_problems
    );
    snapshot(snapshot_name, &c);
    c
}

#[test]
fn freeacs_digest() {
    let c = freeacs("digest", "freeacs_digest", 8);
    assert_eq!(
        outline(&c)[0][3..],
        [
            "acs-to-cpe GetParameterValues",
            "cpe-to-acs GetParameterValuesResponse",
            "acs-to-cpe SetParameterValues",
            "cpe-to-acs SetParameterValuesResponse",
            "acs-to-cpe Empty",
        ]
    );
}

#[test]
fn freeacs_discover() {
    let c = freeacs("discover", "freeacs_discover", 10);
    assert_eq!(c.sessions[0].messages[4].rpc, "GetParameterNamesResponse");
    assert!(c.sessions[0].messages[4].summary.parameters.unwrap() > 1000);
}

#[test]
fn freeacs_discover_ignorevendorconfigfile() {
    let c = freeacs(
        "discover_ignorevendorconfigfile",
        "freeacs_discover_ignorevendorconfigfile",
        10,
    );
    assert_eq!(c.sessions[0].messages[8].rpc, "SetParameterValuesResponse");
}

/// `provision-HEAD/cpe/` is not numbered and holds the CPE's side only: its requests, in the
/// order of a FreeACS provisioning session (Inform, GetRPCMethods, then the answers to GPN, GPV
/// and SPV). With no ACS side, the session shows CPE messages only and never completes.
#[test]
fn freeacs_provision_head_cpe_side() {
    let dir = root().join("freeacs/provision-HEAD/cpe");
    let mut transcript = Vec::new();
    let order = [
        "Inform",
        "GetRPCMethods",
        "GetParameterNamesResponse",
        "GetParameterValuesResponse",
        "SetParameterValuesResponse",
    ];
    for rpc in order {
        let body = read(&dir.join(format!("{rpc}.xml")));
        transcript.extend_from_slice(
            format!(
                "POST /acs HTTP/1.1\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        );
        transcript.extend_from_slice(&body);
    }
    let c = analyse(&transcript, Some("freeacs-provision-HEAD-cpe.http"));
    assert_eq!(c.sessions.len(), 1, "{:#?}", outline(&c));
    let s = &c.sessions[0];
    let rpcs: Vec<&str> = s.messages.iter().map(|m| m.rpc.as_str()).collect();
    assert_eq!(rpcs, order);
    assert!(
        s.messages
            .iter()
            .all(|m| m.direction == Direction::CpeToAcs)
    );
    assert_eq!(s.namespace.as_deref(), Some("urn:dslforum-org:cwmp-1-2"));
    assert!(c.import_problems.is_empty(), "{:#?}", c.import_problems);
    snapshot("freeacs_provision_head_cpe", &c);
}

/// One line of tshark's HTTP view: the frame that ends the message, its TCP stream, and the
/// request method or response status.
#[derive(Debug, PartialEq, Eq)]
struct HttpLine {
    frame: u64,
    stream: u64,
    direction: Direction,
    status: Option<u16>,
}

/// Our messages, sessions flattened in order, must be tshark's HTTP messages one for one: same
/// count, order, direction (a request is the CPE's), status and last frame.
#[test]
fn baicells_messages_match_tshark() {
    let path = baicells_path();
    let output = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(&path)
        // The ACS listens on 8443 without TLS: tell tshark it is HTTP.
        .args([
            "-d",
            "tcp.port==8443,http",
            "-o",
            "tcp.desegment_tcp_streams:TRUE",
        ])
        .args([
            "-Y",
            "http",
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "tcp.stream",
        ])
        .args(["-e", "http.request.method", "-e", "http.response.code"])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run tshark ({e}): install it (Debian: apt-get install tshark; \
                 `cargo xtask test` installs it)"
            )
        });
    assert!(
        output.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let theirs: Vec<HttpLine> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            HttpLine {
                frame: f[0].parse().unwrap(),
                stream: f[1].parse().unwrap(),
                direction: if f[2].is_empty() {
                    Direction::AcsToCpe
                } else {
                    Direction::CpeToAcs
                },
                status: f
                    .get(3)
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().unwrap()),
            }
        })
        .collect();
    let c = analyse(&read(&path), None);
    let ours: Vec<HttpLine> = c
        .sessions
        .iter()
        .flat_map(|s| &s.messages)
        .map(|m| HttpLine {
            frame: m.frames.expect("captured messages have frames").1,
            stream: m.stream.expect("captured messages have a stream"),
            direction: m.direction,
            status: m.http_status,
        })
        .collect();
    assert_eq!(ours.len(), theirs.len(), "message count: ours vs tshark");
    for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(o, t, "message {i}: ours vs tshark");
    }
}
