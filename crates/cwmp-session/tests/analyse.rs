//! Sessions built from real captures and imports.

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
