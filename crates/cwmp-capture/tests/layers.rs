//! Link types, VLANs, IPv6, truncation and IPv4 fragment reassembly.
// Lengths in these tests are small and known.
#![allow(clippy::cast_possible_truncation)]

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use common::{Ng, Rec, ether, ipv4_fragment, ipv4_tcp, ipv6_udp, null, pcap, sll, sll2};
use cwmp_capture::{
    FragmentError, FragmentLimits, TcpFlags, Transport, decode_capture, decode_capture_with,
};

const SRC: [u8; 4] = [192, 168, 1, 10];
const DST: [u8; 4] = [192, 168, 1, 20];

fn one(link: u32, frame: &[u8]) -> Vec<u8> {
    pcap(
        false,
        false,
        link,
        65535,
        &[Rec {
            sec: 1,
            sub: 0,
            orig: frame.len() as u32,
            data: frame,
        }],
    )
}

fn assert_tcp(file: &[u8], vlans: &[u16]) {
    let d = decode_capture(file);
    assert_eq!(d.error(), None);
    assert_eq!(d.summary.not_ip, 0, "{:?}", d.not_ip);
    assert_eq!(d.packets.len(), 1);
    let p = &d.packets[0];
    assert_eq!(p.vlans, vlans);
    assert_eq!(p.src_endpoint(), Some(SocketAddr::from((SRC, 40000))));
    assert_eq!(p.dst_endpoint(), Some(SocketAddr::from((DST, 7547))));
    let Transport::Tcp {
        seq, ack, flags, ..
    } = p.transport
    else {
        panic!("not TCP: {p:?}")
    };
    assert_eq!((seq, ack), (1234, 7));
    assert!(flags.has(TcpFlags::ACK | TcpFlags::PSH));
    assert!(!flags.has(TcpFlags::SYN));
    assert_eq!(&*p.payload, b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(
        &file[p.payload_span.clone().unwrap()],
        b"GET / HTTP/1.1\r\n\r\n"
    );
    assert_eq!(p.stop, None);
}

fn ip() -> Vec<u8> {
    ipv4_tcp(SRC, DST, 40000, 7547, 1234, b"GET / HTTP/1.1\r\n\r\n")
}

#[test]
fn ethernet_plain_vlan_and_qinq() {
    assert_tcp(&one(1, &ether(&[], &ip())), &[]);
    assert_tcp(&one(1, &ether(&[100], &ip())), &[100]);
    assert_tcp(&one(1, &ether(&[200, 300], &ip())), &[200, 300]);
}

#[test]
fn linux_sll_and_sll2() {
    assert_tcp(&one(113, &sll(&ip())), &[]);
    assert_tcp(&one(276, &sll2(&ip())), &[]);
}

#[test]
fn raw_ip_variants() {
    for link in [101, 12, 14, 228] {
        assert_tcp(&one(link, &ip()), &[]);
    }
}

#[test]
fn null_and_loop() {
    assert_tcp(&one(0, &null(&ip(), false)), &[]);
    assert_tcp(&one(0, &null(&ip(), true)), &[]);
    assert_tcp(&one(108, &null(&ip(), true)), &[]);
}

#[test]
fn ipv6_udp_over_every_link() {
    let s6 = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
    let d6 = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);
    let v6 = ipv6_udp(s6.octets(), d6.octets(), 3478, 5000, b"stun");
    for (link, frame) in [
        (1, ether(&[], &v6)),
        (1, ether(&[5], &v6)),
        (113, sll(&v6)),
        (276, sll2(&v6)),
        (101, v6.clone()),
        (229, v6.clone()),
        (0, null(&v6, false)),
        (108, null(&v6, true)),
    ] {
        let file = one(link, &frame);
        let d = decode_capture(&file);
        assert_eq!(d.packets.len(), 1, "link {link}");
        let p = &d.packets[0];
        assert_eq!(p.src, IpAddr::V6(s6));
        assert_eq!(
            p.dst_endpoint(),
            Some(SocketAddr::new(IpAddr::V6(d6), 5000))
        );
        assert!(matches!(
            p.transport,
            Transport::Udp {
                src_port: 3478,
                dst_port: 5000
            }
        ));
        assert_eq!(&*p.payload, b"stun");
    }
}

/// A little-endian µs Ethernet pcap of `frame` captured with a snaplen of `cut` bytes.
fn cut_by_snaplen(frame: &[u8], cut: usize) -> Vec<u8> {
    pcap(
        false,
        false,
        1,
        cut as u32,
        &[Rec {
            sec: 1,
            sub: 0,
            orig: frame.len() as u32,
            data: &frame[..cut],
        }],
    )
}

#[test]
fn snaplen_cut_yields_what_can_be_read() {
    let frame = ether(&[], &ip());
    // Cut inside the TCP payload: headers are read, the payload is short.
    let cut = frame.len() - 8;
    let file = cut_by_snaplen(&frame, cut);
    let d = decode_capture(&file);
    assert_eq!(d.summary.truncated, 1);
    let p = &d.packets[0];
    assert!(p.truncated);
    assert!(matches!(p.transport, Transport::Tcp { .. }));
    assert_eq!(&*p.payload, b"GET / HTTP");
    // Cut inside the TCP header: IP is read, the transport is not, and the stop says so.
    let cut = 14 + 20 + 10;
    let file = cut_by_snaplen(&frame, cut);
    let d = decode_capture(&file);
    let p = &d.packets[0];
    assert!(matches!(p.transport, Transport::Other { protocol: 6 }));
    assert!(p.stop.is_some());
    assert_eq!(d.summary.not_tcp_udp, 1);
    // Cut inside the Ethernet header: not IP.
    let file = cut_by_snaplen(&frame, 10);
    let d = decode_capture(&file);
    assert_eq!(d.summary.not_ip, 1);
    assert!(d.packets.is_empty());
}

#[test]
fn non_ip_frames_are_counted() {
    let mut arp = vec![0xff; 12];
    arp.extend_from_slice(&[0x08, 0x06]);
    arp.extend_from_slice(&[
        0, 1, 8, 0, 6, 4, 0, 1, 1, 2, 3, 4, 5, 6, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
    ]);
    let file = one(1, &arp);
    let d = decode_capture(&file);
    assert_eq!(d.summary.not_ip, 1);
    let file = one(147, &ip());
    let d = decode_capture(&file);
    assert_eq!(d.summary.not_ip, 1);
    assert!(d.not_ip[0].1.contains("147"));
}

/// A UDP datagram of 8 + 40 bytes, split in fragments.
fn udp_datagram() -> Vec<u8> {
    let mut v = vec![0x13, 0x88, 0x1f, 0x90, 0, 48, 0, 0];
    v.extend((0..40u8).map(|i| b'a' + i % 26));
    v
}

#[test]
fn ipv4_fragments_out_of_order_and_overlapping() {
    let dg = udp_datagram();
    let f0 = ipv4_fragment(7, 17, 0, true, &dg[..16]);
    let f1 = ipv4_fragment(7, 17, 16, true, &dg[16..32]);
    // Overlaps f1 with different bytes: first wins, so f1's bytes are kept.
    let mut bogus = dg[24..40].to_vec();
    bogus.fill(b'X');
    let f_overlap = ipv4_fragment(7, 17, 24, true, &bogus);
    let f2 = ipv4_fragment(7, 17, 32, false, &dg[32..]);
    // Another datagram that never completes.
    let lone = ipv4_fragment(8, 17, 0, true, &dg[..16]);
    let frames = [&f2, &f1, &f_overlap, &lone, &f0];
    let recs: Vec<Rec> = frames
        .iter()
        .map(|f| Rec {
            sec: 1,
            sub: 0,
            orig: f.len() as u32,
            data: f,
        })
        .collect();
    let file = pcap(false, false, 101, 65535, &recs);
    let d = decode_capture(&file);
    assert_eq!(d.summary.fragments, 5);
    assert_eq!(d.summary.reassembled, 1);
    assert_eq!(d.summary.incomplete_datagrams, 1);
    assert_eq!(d.packets.len(), 1);
    let p = &d.packets[0];
    assert_eq!(p.frame, 5);
    assert_eq!(p.fragments, [1, 2, 3, 5]);
    assert_eq!(p.src, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
    assert!(matches!(
        p.transport,
        Transport::Udp {
            src_port: 5000,
            dst_port: 8080
        }
    ));
    assert_eq!(&*p.payload, &dg[8..]);
    assert_eq!(p.payload_span, None);
}

#[test]
fn ipv4_fragment_limits_are_reported() {
    let dg = udp_datagram();
    let frags: Vec<Vec<u8>> = (0..4)
        .map(|id| ipv4_fragment(id, 17, 0, true, &dg[..16]))
        .collect();
    let recs: Vec<Rec> = frags
        .iter()
        .map(|f| Rec {
            sec: 1,
            sub: 0,
            orig: f.len() as u32,
            data: f,
        })
        .collect();
    let file = pcap(false, false, 101, 65535, &recs);
    let d = decode_capture_with(
        &file,
        FragmentLimits {
            max_datagrams: 2,
            max_buffered_bytes: 1 << 20,
        },
    );
    assert_eq!(d.summary.fragments_dropped, 2);
    assert_eq!(d.summary.errors, 2);
    assert_eq!(
        d.fragment_errors[0],
        FragmentError::TooManyDatagrams { frame: 3, limit: 2 }
    );
    let d = decode_capture_with(
        &file,
        FragmentLimits {
            max_datagrams: 10,
            max_buffered_bytes: 40,
        },
    );
    assert_eq!(
        d.fragment_errors[0],
        FragmentError::TooManyBytes {
            frame: 3,
            limit: 40
        }
    );
}

#[test]
fn pcapng_mixed_link_types() {
    let mut ng = Ng::new();
    ng.shb(false).idb(1, 0, None).idb(113, 0, None);
    ng.epb(0, 1, 0, &ether(&[9], &ip()))
        .epb(1, 2, 0, &sll(&ip()));
    let file = ng.finish();
    let d = decode_capture(&file);
    assert_eq!(d.packets.len(), 2);
    assert_eq!(d.packets[0].vlans, [9]);
    assert!(
        d.packets
            .iter()
            .all(|p| p.dst_endpoint() == Some(SocketAddr::from((DST, 7547))))
    );
}

#[test]
fn cut_fragment_is_not_reassembled() {
    let dg = udp_datagram();
    let f0 = ipv4_fragment(9, 17, 0, true, &dg[..16]);
    let f1 = ipv4_fragment(9, 17, 16, false, &dg[16..]);
    let recs = [
        Rec {
            sec: 1,
            sub: 0,
            orig: f0.len() as u32,
            data: &f0[..f0.len() - 4],
        },
        Rec {
            sec: 1,
            sub: 0,
            orig: f1.len() as u32,
            data: &f1,
        },
    ];
    let file = pcap(false, false, 101, 65535, &recs);
    let d = decode_capture(&file);
    assert_eq!(d.summary.reassembled, 0);
    assert_eq!(d.summary.fragments, 1);
    assert_eq!(d.summary.incomplete_datagrams, 1);
    assert_eq!(d.packets.len(), 1);
    assert!(
        d.packets[0]
            .stop
            .as_ref()
            .unwrap()
            .reason
            .contains("cut short")
    );
}
