//! A tiny pcap/pcapng writer and packet builders, so that test vectors have outputs known by
//! construction.
#![allow(dead_code, clippy::cast_possible_truncation)]

use etherparse::{IpFragOffset, IpNumber, Ipv4Header, PacketBuilder};

/// Pushes a u16/u32 in the chosen byte order.
pub struct W {
    pub big: bool,
    pub buf: Vec<u8>,
}

impl W {
    pub fn new(big: bool) -> Self {
        Self {
            big,
            buf: Vec::new(),
        }
    }
    fn ordered<const N: usize>(&mut self, big: [u8; N], little: [u8; N]) -> &mut Self {
        self.buf
            .extend_from_slice(if self.big { &big } else { &little });
        self
    }
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.ordered(v.to_be_bytes(), v.to_le_bytes())
    }
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.ordered(v.to_be_bytes(), v.to_le_bytes())
    }
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(b);
        self
    }
    fn pad4(&mut self) {
        while !self.buf.len().is_multiple_of(4) {
            self.buf.push(0);
        }
    }
}

/// One classic pcap record: seconds, sub-second units, original length, data.
pub struct Rec<'a> {
    pub sec: u32,
    pub sub: u32,
    pub orig: u32,
    pub data: &'a [u8],
}

/// A classic pcap file.
pub fn pcap(big: bool, nanos: bool, link: u32, snaplen: u32, recs: &[Rec<'_>]) -> Vec<u8> {
    let mut w = W::new(big);
    w.u32(if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 })
        .u16(2)
        .u16(4)
        .u32(0)
        .u32(0)
        .u32(snaplen)
        .u32(link);
    for r in recs {
        w.u32(r.sec)
            .u32(r.sub)
            .u32(r.data.len() as u32)
            .u32(r.orig)
            .bytes(r.data);
    }
    w.buf
}

/// A pcapng writer.
pub struct Ng {
    pub w: W,
}

impl Ng {
    pub fn new() -> Self {
        Self { w: W::new(false) }
    }
    fn block(&mut self, ty: u32, body: &[u8]) {
        let len = 12 + body.len().div_ceil(4) * 4;
        self.w.u32(ty).u32(len as u32).bytes(body);
        self.w.pad4();
        self.w.u32(len as u32);
    }
    /// A section header; switches the byte order for this section.
    pub fn shb(&mut self, big: bool) -> &mut Self {
        self.w.big = big;
        let mut b = W::new(big);
        b.u32(0x1a2b_3c4d)
            .u16(1)
            .u16(0)
            .u32(0xffff_ffff)
            .u32(0xffff_ffff);
        self.block(0x0a0d_0d0a, &b.buf);
        self
    }
    /// An interface description, with an optional if_tsresol option.
    pub fn idb(&mut self, link: u16, snaplen: u32, tsresol: Option<u8>) -> &mut Self {
        let mut b = W::new(self.w.big);
        b.u16(link).u16(0).u32(snaplen);
        if let Some(r) = tsresol {
            b.u16(9).u16(1).bytes(&[r, 0, 0, 0]);
            b.u16(0).u16(0);
        }
        self.block(1, &b.buf);
        self
    }
    /// An enhanced packet block.
    pub fn epb(&mut self, iface: u32, ts: u64, orig: u32, data: &[u8]) -> &mut Self {
        let mut b = W::new(self.w.big);
        b.u32(iface)
            .u32((ts >> 32) as u32)
            .u32(ts as u32)
            .u32(data.len() as u32)
            .u32(orig)
            .bytes(data);
        b.pad4();
        self.block(6, &b.buf);
        self
    }
    /// A simple packet block.
    pub fn spb(&mut self, orig: u32, data: &[u8]) -> &mut Self {
        let mut b = W::new(self.w.big);
        b.u32(orig).bytes(data);
        b.pad4();
        self.block(3, &b.buf);
        self
    }
    /// An obsolete packet block.
    pub fn opb(&mut self, iface: u16, ts: u64, orig: u32, data: &[u8]) -> &mut Self {
        let mut b = W::new(self.w.big);
        b.u16(iface)
            .u16(0)
            .u32((ts >> 32) as u32)
            .u32(ts as u32)
            .u32(data.len() as u32)
            .u32(orig)
            .bytes(data);
        b.pad4();
        self.block(2, &b.buf);
        self
    }
    pub fn finish(&self) -> Vec<u8> {
        self.w.buf.clone()
    }
}

/// A raw IPv4/TCP packet.
pub fn ipv4_tcp(
    src: [u8; 4],
    dst: [u8; 4],
    sport: u16,
    dport: u16,
    seq: u32,
    payload: &[u8],
) -> Vec<u8> {
    let b = PacketBuilder::ipv4(src, dst, 64)
        .tcp(sport, dport, seq, 1000)
        .ack(7)
        .psh();
    let mut v = Vec::new();
    b.write(&mut v, payload).unwrap();
    v
}

/// A raw IPv6/UDP packet.
pub fn ipv6_udp(src: [u8; 16], dst: [u8; 16], sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let b = PacketBuilder::ipv6(src, dst, 64).udp(sport, dport);
    let mut v = Vec::new();
    b.write(&mut v, payload).unwrap();
    v
}

/// An Ethernet frame around an IP packet, with 802.1Q tags (outermost first; 0x88a8 for the
/// outer tag when there are two).
pub fn ether(vlans: &[u16], ip: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    for (i, id) in vlans.iter().enumerate() {
        let tpid: u16 = if vlans.len() > 1 && i == 0 {
            0x88a8
        } else {
            0x8100
        };
        v.extend_from_slice(&tpid.to_be_bytes());
        v.extend_from_slice(&id.to_be_bytes());
    }
    let et: u16 = if ip[0] >> 4 == 6 { 0x86dd } else { 0x0800 };
    v.extend_from_slice(&et.to_be_bytes());
    v.extend_from_slice(ip);
    v
}

/// Linux SLL (v1) around an IP packet.
pub fn sll(ip: &[u8]) -> Vec<u8> {
    let et: u16 = if ip[0] >> 4 == 6 { 0x86dd } else { 0x0800 };
    let mut v = vec![0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0];
    v.extend_from_slice(&et.to_be_bytes());
    v.extend_from_slice(ip);
    v
}

/// Linux SLL2 around an IP packet.
pub fn sll2(ip: &[u8]) -> Vec<u8> {
    let et: u16 = if ip[0] >> 4 == 6 { 0x86dd } else { 0x0800 };
    let mut v = et.to_be_bytes().to_vec();
    v.extend_from_slice(&[0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0]);
    v.extend_from_slice(ip);
    v
}

/// BSD NULL (host order, little-endian here) or LOOP (network order) around an IP packet.
pub fn null(ip: &[u8], big: bool) -> Vec<u8> {
    let fam: u32 = if ip[0] >> 4 == 6 { 30 } else { 2 };
    let mut v = if big {
        fam.to_be_bytes().to_vec()
    } else {
        fam.to_le_bytes().to_vec()
    };
    v.extend_from_slice(ip);
    v
}

/// One IPv4 fragment: `payload` is the slice of the datagram's IP payload at `offset` bytes.
pub fn ipv4_fragment(id: u16, proto: u8, offset: usize, more: bool, payload: &[u8]) -> Vec<u8> {
    let mut h = Ipv4Header::new(
        payload.len() as u16,
        64,
        IpNumber(proto),
        [10, 0, 0, 1],
        [10, 0, 0, 2],
    )
    .unwrap();
    h.identification = id;
    h.more_fragments = more;
    h.fragment_offset = IpFragOffset::try_new((offset / 8) as u16).unwrap();
    h.header_checksum = h.calc_header_checksum();
    let mut v = h.to_bytes().to_vec();
    v.extend_from_slice(payload);
    v
}

/// A raw IPv4/TCP packet with the given flags (`cwmp_capture::TcpFlags` bits) and ack number.
#[allow(clippy::too_many_arguments)]
pub fn ipv4_tcp_flags(
    src: [u8; 4],
    dst: [u8; 4],
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    flags: u8,
    payload: &[u8],
) -> Vec<u8> {
    let mut b = PacketBuilder::ipv4(src, dst, 64).tcp(sport, dport, seq, 1000);
    if flags & 0x01 != 0 {
        b = b.fin();
    }
    if flags & 0x02 != 0 {
        b = b.syn();
    }
    if flags & 0x04 != 0 {
        b = b.rst();
    }
    if flags & 0x08 != 0 {
        b = b.psh();
    }
    if flags & 0x10 != 0 {
        b = b.ack(ack);
    }
    let mut v = Vec::new();
    b.write(&mut v, payload).unwrap();
    v
}

/// A classic pcap (µs, little-endian, LINKTYPE_RAW) of raw IP packets; packet `i` is captured at
/// second `i + 1`.
pub fn raw_pcap(packets: &[Vec<u8>]) -> Vec<u8> {
    let recs: Vec<Rec<'_>> = packets
        .iter()
        .enumerate()
        .map(|(i, p)| Rec {
            sec: i as u32 + 1,
            sub: 0,
            orig: p.len() as u32,
            data: p,
        })
        .collect();
    pcap(false, false, 101, 65535, &recs)
}
