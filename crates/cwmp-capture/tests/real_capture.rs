//! The real Baicells eNodeB capture (see tests/vectors/PROVENANCE.md).

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use cwmp_capture::{Container, LinkType, TcpFlags, Transport, decode_capture, read_frames};

const BAICELLS: &[u8] = include_bytes!("vectors/magma_baicells_qrtb_enodebd_tr069.pcap");

#[test]
fn baicells_frames() {
    let f = read_frames(BAICELLS);
    assert_eq!(f.error, None);
    assert_eq!(f.container, Some(Container::Pcap));
    assert_eq!(f.frames.len(), 170);
    for (i, fr) in f.frames.iter().enumerate() {
        assert_eq!(fr.number, i as u64 + 1);
        assert_eq!(fr.link_type, LinkType::ETHERNET);
        assert!(!fr.truncated());
        assert_eq!(&BAICELLS[fr.span.clone()], fr.data);
    }
    let first = f.frames[0].timestamp.unwrap().0;
    let last = f.frames[169].timestamp.unwrap().0;
    assert!(
        f.frames
            .windows(2)
            .all(|w| w[0].timestamp <= w[1].timestamp)
    );
    let secs = (last - first) / 1_000_000_000;
    assert_eq!(secs, 10, "the capture lasts 10.4 s");
}

#[test]
fn baicells_layers() {
    let d = decode_capture(BAICELLS);
    assert_eq!(d.summary.frames, 170);
    assert_eq!(d.summary.not_ip, 0);
    assert_eq!(d.summary.not_tcp_udp, 0);
    assert_eq!(d.summary.errors, 0);
    assert_eq!(d.packets.len(), 170);
    let cpe = IpAddr::V4(Ipv4Addr::new(10, 0, 2, 243));
    let acs = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 88, 99, 142)), 8443);
    let mut cpe_ports = BTreeSet::new();
    let mut syns = 0;
    for p in &d.packets {
        let (s, t) = (p.src_endpoint().unwrap(), p.dst_endpoint().unwrap());
        let client = if s == acs { t } else { s };
        assert!(s == acs || t == acs, "frame {}", p.frame);
        assert_eq!(client.ip(), cpe);
        cpe_ports.insert(client.port());
        let Transport::Tcp { flags, .. } = p.transport else {
            panic!("not TCP")
        };
        if flags.has(TcpFlags::SYN) && !flags.has(TcpFlags::ACK) {
            syns += 1;
        }
        let span = p.payload_span.clone().unwrap();
        assert_eq!(&BAICELLS[span], &*p.payload);
    }
    assert_eq!(cpe_ports.len(), 3, "3 TCP streams");
    // The capture starts at the ACS's SYN-ACK of the first stream: only 2 SYNs from the CPE.
    assert_eq!(syns, 2);
    let Transport::Tcp { flags, .. } = d.packets[0].transport else {
        panic!("not TCP")
    };
    assert!(flags.has(TcpFlags::SYN | TcpFlags::ACK));
    assert_eq!(d.packets[0].src_endpoint(), Some(acs));
    let http = d
        .packets
        .iter()
        .find(|p| p.payload.starts_with(b"POST "))
        .unwrap();
    assert_eq!(http.dst_endpoint(), Some(acs));
}
