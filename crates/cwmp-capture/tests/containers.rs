//! pcap and pcapng containers, built with the writer in `common`.
// Lengths in these tests are small and known.
#![allow(clippy::cast_possible_truncation)]

mod common;

use common::{Ng, Rec, ipv4_tcp, pcap};
use cwmp_capture::{CaptureError, Container, LinkType, Timestamp, read_frames};

fn pkt(n: u8) -> Vec<u8> {
    ipv4_tcp(
        [10, 0, 0, 1],
        [10, 0, 0, 2],
        1000 + u16::from(n),
        80,
        1,
        &[n; 5],
    )
}

#[test]
fn pcap_all_byte_orders_and_resolutions() {
    let a = pkt(1);
    let b = pkt(2);
    for big in [false, true] {
        for nanos in [false, true] {
            let sub = if nanos { 123_456_789 } else { 123_456 };
            let recs = [
                Rec {
                    sec: 1_700_000_000,
                    sub,
                    orig: a.len() as u32,
                    data: &a,
                },
                Rec {
                    sec: 1_700_000_001,
                    sub: 0,
                    orig: b.len() as u32,
                    data: &b,
                },
            ];
            let file = pcap(big, nanos, 101, 65535, &recs);
            let f = read_frames(&file);
            assert_eq!(f.error, None, "big={big} nanos={nanos}");
            assert_eq!(f.container, Some(Container::Pcap));
            assert_eq!(f.frames.len(), 2);
            let want = if nanos {
                1_700_000_000_123_456_789
            } else {
                1_700_000_000_123_456_000
            };
            assert_eq!(f.frames[0].timestamp, Some(Timestamp(want)));
            assert_eq!(
                f.frames[1].timestamp,
                Some(Timestamp(1_700_000_001_000_000_000))
            );
            assert_eq!(f.frames[0].link_type, LinkType::RAW);
            assert_eq!(f.frames[0].data, &a[..]);
            assert_eq!(f.frames[1].data, &b[..]);
            assert_eq!(f.frames[0].span, 40..40 + a.len());
            assert_eq!(f.frames[1].number, 2);
        }
    }
}

#[test]
fn pcap_snaplen_truncation_is_flagged() {
    let a = pkt(1);
    let file = pcap(
        false,
        false,
        101,
        30,
        &[Rec {
            sec: 1,
            sub: 0,
            orig: a.len() as u32,
            data: &a[..30],
        }],
    );
    let f = read_frames(&file);
    assert_eq!(f.error, None);
    assert!(f.frames[0].truncated());
    assert_eq!(f.frames[0].captured_len, 30);
    assert_eq!(f.frames[0].original_len, a.len() as u32);
}

#[test]
fn pcapng_sections_interfaces_tsresol_and_block_kinds() {
    let a = pkt(1);
    let b = pkt(2);
    let mut ng = Ng::new();
    // Section 0, little-endian: interface 0 (Ethernet-less raw, µs default), interface 1 (ns).
    ng.shb(false).idb(101, 65535, None).idb(228, 100, Some(9));
    ng.epb(0, 1_700_000_000_000_001, a.len() as u32, &a);
    ng.epb(1, 1_700_000_000_000_000_002, 1500, &b);
    // Section 1, big-endian: interface 0 with 2^-20 s units, then SPB and OPB.
    ng.shb(true).idb(229, 40, Some(0x94) /* 2^-20 s */);
    ng.epb(0, 3 << 20, b.len() as u32, &b);
    ng.spb(a.len() as u32, &a[..40]);
    ng.opb(0, (5 << 20) + (1 << 19), a.len() as u32, &a);
    let file = ng.finish();
    let f = read_frames(&file);
    assert_eq!(f.error, None);
    assert_eq!(f.container, Some(Container::PcapNg));
    let fr = &f.frames;
    assert_eq!(fr.len(), 5);
    assert_eq!(
        fr.iter().map(|x| x.number).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(
        fr.iter().map(|x| x.section).collect::<Vec<_>>(),
        [0, 0, 1, 1, 1]
    );
    assert_eq!(
        fr.iter().map(|x| x.interface).collect::<Vec<_>>(),
        [0, 1, 0, 0, 0]
    );
    assert_eq!(fr[0].timestamp, Some(Timestamp(1_700_000_000_000_001_000)));
    assert_eq!(fr[0].link_type, LinkType::RAW);
    assert_eq!(fr[1].timestamp, Some(Timestamp(1_700_000_000_000_000_002)));
    assert_eq!(fr[1].link_type, LinkType::IPV4);
    assert!(fr[1].truncated());
    assert_eq!(fr[2].timestamp, Some(Timestamp(3_000_000_000)));
    assert_eq!(fr[2].link_type, LinkType::IPV6);
    // SPB: no timestamp, data cut to the interface's snaplen (40).
    assert_eq!(fr[3].timestamp, None);
    assert_eq!(fr[3].data, &a[..40]);
    assert!(fr[3].truncated());
    // OPB: 5.5 s in 2^-20 units.
    assert_eq!(fr[4].timestamp, Some(Timestamp(5_500_000_000)));
    assert_eq!(fr[4].data, &a[..]);
    for x in fr {
        assert_eq!(&file[x.span.clone()], x.data);
    }
}

#[test]
fn pcapng_unknown_interface() {
    let a = pkt(1);
    let mut ng = Ng::new();
    ng.shb(false)
        .idb(101, 0, None)
        .epb(0, 1, 60, &a)
        .epb(3, 1, 60, &a);
    let file = ng.finish();
    let f = read_frames(&file);
    assert_eq!(f.frames.len(), 1);
    assert!(matches!(
        f.error,
        Some(CaptureError::UnknownInterface {
            frame: 2,
            interface: 3,
            ..
        })
    ));
}

#[test]
fn pcapng_other_blocks_are_skipped_even_when_damaged() {
    let a = pkt(1);
    let mut ng = Ng::new();
    ng.shb(false).idb(101, 0, None);
    // A "name resolution block" whose body is garbage, then a custom block.
    let nrb = [
        4u32.to_le_bytes(),
        16u32.to_le_bytes(),
        [0xff; 4],
        16u32.to_le_bytes(),
    ]
    .concat();
    ng.w.bytes(&nrb);
    let cb = [
        0x0000_0bad_u32.to_le_bytes(),
        12u32.to_le_bytes(),
        12u32.to_le_bytes(),
    ]
    .concat();
    ng.w.bytes(&cb);
    ng.epb(0, 1, a.len() as u32, &a);
    let file = ng.finish();
    let f = read_frames(&file);
    assert_eq!(f.error, None);
    assert_eq!(f.frames.len(), 1);
    assert_eq!(f.frames[0].data, &a[..]);
}

#[test]
fn pcapng_mismatched_trailing_length() {
    let a = pkt(1);
    let mut ng = Ng::new();
    ng.shb(false).idb(101, 0, None);
    let at = ng.w.buf.len();
    ng.epb(0, 1, a.len() as u32, &a);
    let mut file = ng.finish();
    let last = file.len() - 4;
    file[last] ^= 4;
    let f = read_frames(&file);
    assert!(f.frames.is_empty());
    assert_eq!(
        f.error,
        Some(CaptureError::Malformed {
            frame: 1,
            offset: at
        })
    );
    assert_eq!(
        f.error.unwrap().to_string(),
        format!("frame 1: malformed pcapng block at byte {at}")
    );
}

#[test]
fn modified_pcap_with_24_byte_record_headers() {
    // Kuznetzov's format, written by old Red Hat tcpdump: magic 0xa1b2cd34, and each record
    // header carries ifindex (4), protocol (2), packet type (1) and padding (1) after the lengths.
    let a = pkt(1);
    let b = pkt(2);
    let mut file = Vec::new();
    file.extend(0xa1b2_cd34u32.to_le_bytes());
    file.extend(2u16.to_le_bytes());
    file.extend(4u16.to_le_bytes());
    file.extend([0u8; 8]);
    file.extend(65535u32.to_le_bytes());
    file.extend(101u32.to_le_bytes());
    for (i, p) in [&a, &b].into_iter().enumerate() {
        file.extend((1_700_000_000 + i as u32).to_le_bytes());
        file.extend(250_000u32.to_le_bytes());
        file.extend((p.len() as u32).to_le_bytes());
        file.extend((p.len() as u32).to_le_bytes());
        file.extend([2, 0, 0, 0, 0x08, 0x00, 0, 0]);
        file.extend(p.iter());
    }
    assert_eq!(
        cwmp_capture::sniff(&file).to_string(),
        "pcap (little-endian, microsecond timestamps)"
    );
    let f = read_frames(&file);
    assert_eq!(f.error, None);
    assert_eq!(f.frames.len(), 2);
    assert_eq!(f.frames[1].data, &b[..]);
    assert_eq!(
        f.frames[1].timestamp,
        Some(Timestamp(1_700_000_001_250_000_000))
    );
    // Cut inside the second record header: the first frame survives, the error says where.
    let cut = read_frames(&file[..24 + 24 + a.len() + 20]);
    assert_eq!(cut.frames.len(), 1);
    assert!(matches!(
        cut.error,
        Some(CaptureError::Cut { frame: 2, .. })
    ));
}
