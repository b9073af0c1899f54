//! TCP reassembly: captures whose expected streams are known by construction, and the real
//! Baicells capture.
// Lengths in these tests are small and known.
#![allow(clippy::cast_possible_truncation)]

mod common;

use std::net::SocketAddr;

use common::{ipv4_tcp_flags, raw_pcap};
use cwmp_capture::{
    ClientRule, FlowDirection, GapReason, StreamItem, TcpError, TcpEventKind, TcpFlags, TcpLimits,
    TcpStreams, Timestamp, decode_capture, reassemble_tcp, reassemble_tcp_with,
};
use proptest::prelude::*;

const CLIENT: [u8; 4] = [10, 0, 0, 1];
const SERVER: [u8; 4] = [10, 0, 0, 2];
const CPORT: u16 = 40000;
const SPORT: u16 = 7547;

const SYN: u8 = TcpFlags::SYN;
const ACK: u8 = TcpFlags::ACK;
const FIN: u8 = TcpFlags::FIN | TcpFlags::ACK;
const RST: u8 = TcpFlags::RST;
const PSH: u8 = TcpFlags::PSH | TcpFlags::ACK;

/// One segment: from the client or not, seq, flags, data.
type S<'a> = (bool, u32, u8, &'a [u8]);

fn packet(s: &S<'_>) -> Vec<u8> {
    let (c, seq, flags, data) = *s;
    if c {
        ipv4_tcp_flags(CLIENT, SERVER, CPORT, SPORT, seq, 1, flags, data)
    } else {
        ipv4_tcp_flags(SERVER, CLIENT, SPORT, CPORT, seq, 1, flags, data)
    }
}

fn capture(segs: &[S<'_>]) -> Vec<u8> {
    raw_pcap(&segs.iter().map(packet).collect::<Vec<_>>())
}

fn run_with(file: &[u8], limits: TcpLimits) -> TcpStreams {
    let d = decode_capture(file);
    assert_eq!(d.error(), None);
    reassemble_tcp_with(&d.packets, limits)
}

fn run(file: &[u8]) -> TcpStreams {
    run_with(file, TcpLimits::default())
}

fn ts(s: i64) -> Timestamp {
    Timestamp(s * 1_000_000_000)
}

fn client() -> SocketAddr {
    SocketAddr::from((CLIENT, CPORT))
}

fn server() -> SocketAddr {
    SocketAddr::from((SERVER, SPORT))
}

#[test]
fn in_order_stream_with_handshake() {
    let file = capture(&[
        (true, 1000, SYN, b""),
        (false, 5000, SYN | ACK, b""),
        (true, 1001, ACK, b""),
        (true, 1001, PSH, b"hello "),
        (true, 1007, PSH, b"world"),
        (false, 5001, PSH, b"HTTP/1.1 200 OK\r\n\r\n"),
        (true, 1012, FIN, b""),
        (false, 5020, FIN, b""),
    ]);
    let t = run(&file);
    assert!(t.errors.is_empty());
    assert_eq!(t.connections.len(), 1);
    let c = &t.connections[0];
    assert_eq!((c.index, c.client, c.server), (0, client(), server()));
    assert_eq!(c.rule, ClientRule::Syn);
    assert_eq!(c.first_frame, 1);
    let up = &c.client_to_server;
    assert_eq!(up.base_seq, Some(1001));
    assert_eq!(up.bytes_concat(), b"hello world");
    let chunks: Vec<_> = up.chunks().collect();
    assert_eq!(chunks.len(), 2);
    assert_eq!((chunks[0].offset, chunks[0].frame), (0, 4));
    assert_eq!((chunks[1].offset, chunks[1].frame), (6, 5));
    assert_eq!(chunks[1].timestamp, Some(ts(5)));
    for ch in &chunks {
        assert_eq!(&file[ch.span.clone().unwrap()], &ch.data[..]);
    }
    let kinds: Vec<_> = up.events.iter().map(|e| (e.kind, e.frame)).collect();
    assert_eq!(kinds, [(TcpEventKind::Syn, 1), (TcpEventKind::Fin, 7)]);
    assert_eq!(up.events[1].timestamp, Some(ts(7)));
    assert_eq!(
        c.half(FlowDirection::ServerToClient).bytes_concat(),
        b"HTTP/1.1 200 OK\r\n\r\n"
    );
    assert_eq!(t.summary.connections, 1);
    assert_eq!(t.summary.bytes, 11 + 19);
    assert_eq!(t.summary.retransmitted, 0);
    assert_eq!((t.summary.gaps, t.summary.gap_bytes), (0, 0));
}

#[test]
fn out_of_order_segments() {
    let file = capture(&[
        (true, 100, SYN, b""),
        (true, 106, PSH, b"BBBBB"),
        (true, 111, PSH, b"CCC"),
        (true, 101, PSH, b"AAAAA"),
    ]);
    let t = run(&file);
    let up = &t.connections[0].client_to_server;
    assert_eq!(up.bytes_concat(), b"AAAAABBBBBCCC");
    let offs: Vec<_> = up.chunks().map(|c| (c.offset, c.frame)).collect();
    assert_eq!(offs, [(0, 4), (5, 2), (10, 3)]);
    assert_eq!(up.gaps().count(), 0);
    assert_eq!(up.retransmitted, 0);
}

#[test]
fn retransmission_is_counted_not_repeated() {
    let file = capture(&[
        (true, 100, SYN, b""),
        (true, 101, PSH, b"abcd"),
        (true, 101, PSH, b"abcd"),
        (true, 105, PSH, b"ef"),
        (true, 105, PSH, b"ef"),
    ]);
    let t = run(&file);
    let up = &t.connections[0].client_to_server;
    assert_eq!(up.bytes_concat(), b"abcdef");
    assert_eq!(up.retransmitted, 6);
    assert_eq!(t.summary.retransmitted, 6);
    assert_eq!(up.chunks().count(), 2);
}

#[test]
fn overlaps_first_copy_wins() {
    let file = capture(&[
        (true, 100, SYN, b""),
        // Delivered first: "hello".
        (true, 101, PSH, b"hello"),
        // Overlaps the delivered bytes: only "world" is new.
        (true, 101, PSH, b"HELLOworld"),
        // Buffered out of order at offsets 14..18.
        (true, 115, PSH, b"1234"),
        // Covers 10..20: "xxxx" and "yy" are new, 14..18 stays "1234".
        (true, 111, PSH, b"xxxxZZZZyy"),
    ]);
    let t = run(&file);
    let up = &t.connections[0].client_to_server;
    assert_eq!(up.bytes_concat(), b"helloworldxxxx1234yy");
    assert_eq!(up.retransmitted, 5 + 4);
    let chunks: Vec<_> = up.chunks().map(|c| (c.offset, c.frame)).collect();
    assert_eq!(chunks, [(0, 2), (5, 3), (10, 5), (14, 4), (18, 5)]);
    for ch in up.chunks() {
        assert_eq!(&file[ch.span.clone().unwrap()], &ch.data[..]);
    }
}

#[test]
fn sequence_numbers_wrap_at_2_pow_32() {
    let isn = u32::MAX - 5;
    let s = |n: u32| isn.wrapping_add(1).wrapping_add(n);
    let file = capture(&[
        (true, isn, SYN, b""),
        (true, s(8), PSH, b"89abcdef"),
        (true, s(0), PSH, b"0123"),
        (true, s(4), PSH, b"4567"),
        (true, s(16), PSH, b"ghij"),
        (true, s(4), PSH, b"4567"),
    ]);
    let t = run(&file);
    let up = &t.connections[0].client_to_server;
    assert_eq!(up.bytes_concat(), b"0123456789abcdefghij");
    assert_eq!(up.retransmitted, 4);
    assert_eq!(up.gaps().count(), 0);
}

#[test]
fn gap_then_more_data() {
    let file = capture(&[
        (true, 100, SYN, b""),
        (true, 101, PSH, b"AAAAA"),
        // 106..111 never captured.
        (true, 111, PSH, b"CCCCC"),
        (true, 116, PSH, b"DD"),
    ]);
    let t = run(&file);
    let up = &t.connections[0].client_to_server;
    assert_eq!(up.bytes_concat(), b"AAAAACCCCCDD");
    assert_eq!(up.items.len(), 4);
    let StreamItem::Gap(g) = &up.items[1] else {
        panic!("{:?}", up.items)
    };
    assert_eq!((g.offset, g.len, g.seq.clone()), (5, 5, 106..111));
    assert_eq!(g.timestamp, Some(ts(3)));
    assert_eq!(g.reason, GapReason::Missing);
    let StreamItem::Data(after) = &up.items[2] else {
        panic!()
    };
    assert_eq!((after.offset, after.frame), (10, 3));
    assert_eq!((t.summary.gaps, t.summary.gap_bytes), (1, 5));
    assert!(t.errors.is_empty());
}

#[test]
fn capture_starting_mid_connection() {
    // The first packet is the server's data: no SYN anywhere, lower port is the server.
    let file = capture(&[
        (false, 77_777, PSH, b"HTTP/1.1 200 OK\r\n"),
        (true, 5555, PSH, b"POST / HTTP/1.1\r\n"),
        (false, 77_794, PSH, b"\r\n"),
    ]);
    let t = run(&file);
    let c = &t.connections[0];
    assert_eq!(c.rule, ClientRule::LowerPort);
    assert_eq!((c.client, c.server), (client(), server()));
    assert_eq!(c.server_to_client.base_seq, Some(77_777));
    assert_eq!(
        c.server_to_client.bytes_concat(),
        b"HTTP/1.1 200 OK\r\n\r\n"
    );
    assert_eq!(c.client_to_server.bytes_concat(), b"POST / HTTP/1.1\r\n");
    assert_eq!(t.summary.gaps, 0);
}

#[test]
fn mid_connection_segments_that_arrive_early_are_put_in_front() {
    // Mid-connection: the stream first shows 1000; later, copies reaching back to 996 and 990
    // arrive. Without a SYN, nothing says 1000 was the start, so they go in front, with a gap
    // for the bytes never seen.
    let file = capture(&[
        (true, 1000, PSH, b"BBBB"),
        (true, 996, PSH, b"AAAABBBBCC"),
        (true, 990, PSH, b"zz"),
    ]);
    let t = run(&file);
    let up = &t.connections[0].client_to_server;
    assert_eq!(up.bytes_concat(), b"zzAAAABBBBCC");
    assert_eq!(up.base_seq, Some(990));
    assert_eq!(up.retransmitted, 4);
    let gaps: Vec<_> = up
        .gaps()
        .map(|g| (g.offset, g.len, g.seq.clone()))
        .collect();
    assert_eq!(gaps, vec![(2, 4, 992..996)]);
    let offsets: Vec<_> = up
        .chunks()
        .map(|c| (c.offset, c.frame, c.data.clone()))
        .collect();
    assert_eq!(
        offsets,
        vec![
            (0, 3, b"zz".to_vec()),
            (6, 2, b"AAAA".to_vec()),
            (10, 1, b"BBBB".to_vec()),
            (14, 2, b"CC".to_vec()),
        ]
    );
    let last = up.chunks().last().unwrap();
    assert_eq!(&file[last.span.clone().unwrap()], b"CC");
}

#[test]
fn after_a_syn_earlier_bytes_are_retransmissions() {
    let file = capture(&[
        (true, 999, SYN, b""),
        (true, 1000, PSH, b"BBBB"),
        (true, 996, PSH, b"AAAABBBBCC"),
    ]);
    let up = &run(&file).connections[0].client_to_server;
    assert_eq!(up.bytes_concat(), b"BBBBCC");
    assert_eq!(up.retransmitted, 8);
}

#[test]
fn a_new_syn_on_a_reused_port_pair_starts_a_new_connection() {
    let file = capture(&[
        (true, 100, SYN, b""),
        (true, 101, PSH, b"first"),
        (true, 106, FIN, b""),
        (true, 100, SYN, b""), // retransmitted SYN of a closed connection: same connection
        (true, 5000, SYN, b""),
        (true, 5001, PSH, b"second"),
    ]);
    let t = run(&file);
    assert_eq!(t.connections.len(), 2);
    assert_eq!(t.connections[0].client_to_server.bytes_concat(), b"first");
    assert_eq!(t.connections[1].client_to_server.bytes_concat(), b"second");
    assert_eq!(t.connections[1].index, 1);
    assert_eq!(t.connections[1].first_frame, 5);
}

#[test]
fn syn_ack_first_picks_the_receiver_as_client() {
    let file = capture(&[(false, 9, SYN | ACK, b""), (true, 1, PSH, b"x")]);
    let t = run(&file);
    let c = &t.connections[0];
    assert_eq!(c.rule, ClientRule::SynAck);
    assert_eq!(c.client, client());
}

#[test]
fn fin_and_rst_are_recorded() {
    let file = capture(&[
        (true, 100, SYN, b""),
        (false, 500, SYN | ACK, b""),
        (true, 101, PSH | TcpFlags::FIN, b"bye"),
        (false, 501, RST, b""),
    ]);
    let t = run(&file);
    let c = &t.connections[0];
    assert_eq!(c.client_to_server.bytes_concat(), b"bye");
    let up: Vec<_> = c
        .client_to_server
        .events
        .iter()
        .map(|e| (e.kind, e.frame, e.seq, e.timestamp))
        .collect();
    assert_eq!(
        up,
        [
            (TcpEventKind::Syn, 1, 100, Some(ts(1))),
            (TcpEventKind::Fin, 3, 101, Some(ts(3)))
        ]
    );
    let down: Vec<_> = c
        .server_to_client
        .events
        .iter()
        .map(|e| (e.kind, e.frame))
        .collect();
    assert_eq!(down, [(TcpEventKind::Syn, 2), (TcpEventKind::Rst, 4)]);
}

#[test]
fn stream_indexes_follow_first_appearance() {
    let a = ipv4_tcp_flags(CLIENT, SERVER, 1111, 80, 1, 0, SYN, b"");
    let b = ipv4_tcp_flags(CLIENT, SERVER, 2222, 80, 1, 0, SYN, b"");
    let a2 = ipv4_tcp_flags(SERVER, CLIENT, 80, 1111, 1, 2, SYN | ACK, b"");
    let t = run(&raw_pcap(&[b, a, a2]));
    let ports: Vec<_> = t
        .connections
        .iter()
        .map(|c| (c.index, c.client.port()))
        .collect();
    assert_eq!(ports, [(0, 2222), (1, 1111)]);
}

#[test]
fn flows_over_the_limit_are_dropped_and_reported() {
    let packets: Vec<Vec<u8>> = (0..5u16)
        .flat_map(|i| {
            [
                ipv4_tcp_flags(CLIENT, SERVER, 1000 + i, 80, 1, 0, SYN, b""),
                ipv4_tcp_flags(CLIENT, SERVER, 1000 + i, 80, 2, 0, PSH, b"data"),
            ]
        })
        .collect();
    let limits = TcpLimits {
        max_flows: 3,
        ..TcpLimits::default()
    };
    let t = run_with(&raw_pcap(&packets), limits);
    assert_eq!(t.connections.len(), 3);
    assert_eq!(t.summary.connections, 3);
    assert_eq!(t.summary.segments, 10);
    assert_eq!(t.summary.packets_over_flow_limit, 4);
    assert_eq!(t.errors, [TcpError::FlowLimit { frame: 7, max: 3 }]);
    for c in &t.connections {
        assert_eq!(c.client_to_server.bytes_concat(), b"data");
    }
}

#[test]
fn buffered_bytes_over_the_limit_skip_the_hole() {
    let file = capture(&[
        (true, 100, SYN, b""),
        // 101..106 missing for now.
        (true, 106, PSH, b"BBBBB"),
        (true, 111, PSH, b"CCCCC"),
        (true, 116, PSH, b"DDDDD"),
        // Arrives after the hole was skipped: counted as retransmitted.
        (true, 101, PSH, b"AAAAA"),
    ]);
    let limits = TcpLimits {
        max_buffered_bytes: 10,
        ..TcpLimits::default()
    };
    let t = run_with(&file, limits);
    let up = &t.connections[0].client_to_server;
    assert_eq!(up.bytes_concat(), b"BBBBBCCCCCDDDDD");
    assert!(up.over_limit);
    let StreamItem::Gap(g) = &up.items[0] else {
        panic!("{:?}", up.items)
    };
    assert_eq!((g.offset, g.len, g.reason), (0, 5, GapReason::BufferLimit));
    assert_eq!(up.retransmitted, 5);
    assert_eq!(
        t.errors,
        [TcpError::BufferLimit {
            stream: 0,
            direction: FlowDirection::ClientToServer,
            frame: 4,
            max: 10
        }]
    );
    assert_eq!(t.summary.flows_over_buffer_limit, 1);
    assert_eq!((t.summary.gaps, t.summary.gap_bytes), (1, 5));
}

#[test]
fn baicells_three_connections_without_gaps() {
    const BAICELLS: &[u8] = include_bytes!("vectors/magma_baicells_qrtb_enodebd_tr069.pcap");
    let d = decode_capture(BAICELLS);
    let t = reassemble_tcp(&d.packets);
    assert!(t.errors.is_empty());
    assert_eq!(t.connections.len(), 3);
    assert_eq!(t.summary.gaps, 0);
    assert_eq!(t.summary.gap_bytes, 0);
    for c in &t.connections {
        assert_eq!(c.server.port(), 8443);
        let up = c.client_to_server.bytes_concat();
        let down = c.server_to_client.bytes_concat();
        assert!(up.starts_with(b"POST "), "stream {}", c.index);
        assert!(down.starts_with(b"HTTP/1.1 "), "stream {}", c.index);
        for h in [&c.client_to_server, &c.server_to_client] {
            assert_eq!(h.gaps().count(), 0);
            let mut at = 0;
            for ch in h.chunks() {
                assert_eq!(ch.offset, at);
                at += ch.data.len() as u64;
                assert_eq!(&BAICELLS[ch.span.clone().unwrap()], &ch.data[..]);
            }
        }
    }
    // Every payload byte is delivered once or counted as retransmitted.
    let payload: usize = d.packets.iter().map(|p| p.payload.len()).sum();
    assert_eq!(t.summary.bytes + t.summary.retransmitted, payload as u64);
    assert!(t.summary.bytes > 0);
    assert_eq!(t.connections[0].rule, ClientRule::SynAck);
    assert_eq!(t.connections[1].rule, ClientRule::Syn);
}

proptest! {
    #[test]
    fn random_segmentation_reassembles(
        data in proptest::collection::vec(any::<u8>(), 1..600),
        isn in any::<u32>(),
        cuts in proptest::collection::vec(0usize..600, 0..20),
        order in proptest::collection::vec(any::<u32>(), 0..40),
        dups in proptest::collection::vec(any::<u16>(), 0..10),
    ) {
        let mut bounds: Vec<usize> = cuts.iter().map(|c| c % data.len()).collect();
        bounds.push(0);
        bounds.push(data.len());
        bounds.sort_unstable();
        bounds.dedup();
        let mut segs: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        // Duplicates, some overlapping their neighbours (same bytes, so first-wins is moot).
        for d in &dups {
            let i = usize::from(*d) % segs.len();
            let (a, b) = segs[i];
            let b2 = (b + usize::from(*d % 7)).min(data.len());
            segs.push((a, b2));
        }
        // Shuffle deterministically with the random keys.
        let mut keyed: Vec<(u32, (usize, usize))> = segs
            .into_iter()
            .enumerate()
            .map(|(i, s)| (order.get(i).copied().unwrap_or(i as u32), s))
            .collect();
        keyed.sort_by_key(|k| k.0);
        let mut packets = vec![ipv4_tcp_flags(CLIENT, SERVER, CPORT, SPORT, isn, 0, SYN, b"")];
        for (_, (a, b)) in &keyed {
            let seq = isn.wrapping_add(1).wrapping_add(*a as u32);
            packets.push(ipv4_tcp_flags(CLIENT, SERVER, CPORT, SPORT, seq, 1, PSH, &data[*a..*b]));
        }
        let t = run(&raw_pcap(&packets));
        prop_assert_eq!(t.connections.len(), 1);
        let up = &t.connections[0].client_to_server;
        prop_assert_eq!(up.bytes_concat(), data.clone());
        prop_assert_eq!(up.gaps().count(), 0);
        prop_assert_eq!(up.bytes, data.len() as u64);
    }
}

/// A segment of an arbitrary capture: direction, seq, flags, length.
fn arb_segment() -> impl Strategy<Value = (bool, u32, u8, u8)> {
    (any::<bool>(), 0u32..64, any::<u8>(), 0u8..24)
}

proptest! {
    #[test]
    fn arbitrary_segments_never_panic_and_streams_stay_ordered(
        isn in any::<u32>(),
        segs in proptest::collection::vec(arb_segment(), 0..60),
        max_buffered in 0usize..64,
    ) {
        let packets: Vec<Vec<u8>> = segs
            .iter()
            .map(|&(c, off, flags, len)| {
                let data = vec![b'x'; usize::from(len)];
                let seq = isn.wrapping_add(off.wrapping_mul(3));
                packet(&(c, seq, flags & 0x1f, &data))
            })
            .collect();
        // SYNs with new sequence numbers start new connections (port reuse): allow them all,
        // so that every payload byte is accounted for.
        let limits = TcpLimits { max_buffered_bytes: max_buffered, max_flows: 64 };
        let t = run_with(&raw_pcap(&packets), limits);
        prop_assert_eq!(t.summary.packets_over_flow_limit, 0);
        let mut bytes = 0;
        for c in &t.connections {
            for h in [&c.client_to_server, &c.server_to_client] {
                let mut at = 0;
                for item in &h.items {
                    match item {
                        StreamItem::Data(ch) => {
                            prop_assert_eq!(ch.offset, at);
                            prop_assert!(!ch.data.is_empty());
                            at += ch.data.len() as u64;
                        }
                        StreamItem::Gap(g) => {
                            prop_assert_eq!(g.offset, at);
                            prop_assert!(g.len > 0);
                            at += g.len;
                        }
                    }
                }
                prop_assert_eq!(at, h.bytes + h.gap_bytes);
                bytes += h.bytes;
            }
        }
        prop_assert_eq!(t.summary.bytes, bytes);
        let payload: u64 = segs.iter().map(|s| u64::from(s.3)).sum();
        prop_assert_eq!(t.summary.bytes + t.summary.retransmitted, payload);
    }
}
