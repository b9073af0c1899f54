//! A tiny pcap/pcapng writer and packet builders, so that test vectors have outputs known by
//! construction.
#![allow(dead_code, clippy::cast_possible_truncation)]

use etherparse::{IpFragOffset, IpNumber, Ipv4Header, PacketBuilder};

mod acs;
#[allow(unused_imports)] // only the throughput example uses them
pub use acs::{ACS_HTTP_PORTS, acs_capture};

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

/// Sets the TCP flags given as `cwmp_capture::TcpFlags` bits (FIN, SYN, RST, PSH, ACK).
fn with_flags(
    mut b: etherparse::PacketBuilderStep<etherparse::TcpHeader>,
    flags: u8,
    ack: u32,
) -> etherparse::PacketBuilderStep<etherparse::TcpHeader> {
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
    b
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
    let b = with_flags(
        PacketBuilder::ipv4(src, dst, 64).tcp(sport, dport, seq, 1000),
        flags,
        ack,
    );
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

/// Ethernet header fields for [`TcpConv`] frames.
const MACS: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/// A classic pcap (µs, little-endian, Ethernet) written record by record, so that a large
/// capture is built in one buffer rather than as a list of packets copied at the end.
pub struct PcapOut {
    pub buf: Vec<u8>,
    pub frames: u64,
}

impl PcapOut {
    pub fn with_capacity(bytes: usize) -> Self {
        let mut w = W::new(false);
        w.buf.reserve(bytes);
        w.u32(0xa1b2_c3d4)
            .u16(2)
            .u16(4)
            .u32(0)
            .u32(0)
            .u32(65535)
            .u32(1);
        Self {
            buf: w.buf,
            frames: 0,
        }
    }

    /// Appends one frame captured at `micros` µs after the epoch.
    pub fn push(&mut self, micros: u64, data: &[u8]) {
        let len = data.len() as u32;
        for v in [
            (micros / 1_000_000) as u32,
            (micros % 1_000_000) as u32,
            len,
            len,
        ] {
            self.buf.extend_from_slice(&v.to_le_bytes());
        }
        self.buf.extend_from_slice(data);
        self.frames += 1;
    }

    /// Appends frames one millisecond apart, starting at second 1 (frame numbers continue).
    pub fn push_all(&mut self, frames: &[Vec<u8>]) {
        for f in frames {
            self.push(1_000_000 + self.frames * 1000, f);
        }
    }
}

/// One TCP connection, writing Ethernet frames (802.1Q-tagged when `vlans` is not empty) over
/// IPv4 or IPv6 and keeping each side's next sequence number.
#[derive(Clone, Debug)]
pub struct TcpConv {
    pub client: std::net::SocketAddr,
    pub server: std::net::SocketAddr,
    pub vlans: Vec<u16>,
    pub client_seq: u32,
    pub server_seq: u32,
}

impl TcpConv {
    pub fn new(client: std::net::SocketAddr, server: std::net::SocketAddr) -> Self {
        Self {
            client,
            server,
            vlans: Vec::new(),
            client_seq: 1000,
            server_seq: 50_000,
        }
    }

    /// One frame with explicit sequence number; the ack is the peer's next sequence number.
    pub fn frame(&self, from_client: bool, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
        use std::net::IpAddr;
        let (src, dst, ack) = if from_client {
            (self.client, self.server, self.server_seq)
        } else {
            (self.server, self.client, self.client_seq)
        };
        let ip = match (src.ip(), dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => PacketBuilder::ipv4(s.octets(), d.octets(), 64),
            (IpAddr::V6(s), IpAddr::V6(d)) => PacketBuilder::ipv6(s.octets(), d.octets(), 64),
            _ => panic!("mixed IPv4 and IPv6 endpoints"),
        };
        let b = with_flags(ip.tcp(src.port(), dst.port(), seq, 64240), flags, ack);
        let mut v = Vec::with_capacity(18 + 4 * self.vlans.len() + b.size(payload.len()));
        v.extend_from_slice(&MACS);
        for id in &self.vlans {
            v.extend_from_slice(&0x8100u16.to_be_bytes());
            v.extend_from_slice(&id.to_be_bytes());
        }
        let et: u16 = if src.is_ipv6() { 0x86dd } else { 0x0800 };
        v.extend_from_slice(&et.to_be_bytes());
        b.write(&mut v, payload).unwrap();
        v
    }

    /// SYN, SYN-ACK, ACK.
    pub fn handshake(&mut self) -> Vec<Vec<u8>> {
        let syn = self.frame(true, self.client_seq, 0x02, &[]);
        self.client_seq = self.client_seq.wrapping_add(1);
        let syn_ack = self.frame(false, self.server_seq, 0x12, &[]);
        self.server_seq = self.server_seq.wrapping_add(1);
        vec![syn, syn_ack, self.ack(true)]
    }

    /// `data` in segments of at most `mss` bytes (ACK, and PSH on the last one).
    pub fn send(&mut self, from_client: bool, data: &[u8], mss: usize) -> Vec<Vec<u8>> {
        let mut out = Vec::with_capacity(data.len().div_ceil(mss));
        for (i, piece) in data.chunks(mss).enumerate() {
            let last = (i + 1) * mss >= data.len();
            let seq = if from_client {
                self.client_seq
            } else {
                self.server_seq
            };
            out.push(self.frame(from_client, seq, if last { 0x18 } else { 0x10 }, piece));
            let next = seq.wrapping_add(piece.len() as u32);
            if from_client {
                self.client_seq = next;
            } else {
                self.server_seq = next;
            }
        }
        out
    }

    /// A pure ACK.
    pub fn ack(&self, from_client: bool) -> Vec<u8> {
        let seq = if from_client {
            self.client_seq
        } else {
            self.server_seq
        };
        self.frame(from_client, seq, 0x10, &[])
    }

    /// FIN from the client, FIN-ACK from the server, last ACK.
    pub fn close(&mut self) -> Vec<Vec<u8>> {
        let fin = self.frame(true, self.client_seq, 0x11, &[]);
        self.client_seq = self.client_seq.wrapping_add(1);
        let fin_ack = self.frame(false, self.server_seq, 0x11, &[]);
        self.server_seq = self.server_seq.wrapping_add(1);
        vec![fin, fin_ack, self.ack(true)]
    }
}

/// A small deterministic generator (xorshift64*), so that generated captures are the same on
/// every run without a rand dependency.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value in `lo..hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }
}

/// The TCP payload size generated sessions use (Ethernet MTU 1500 with TCP timestamps).
pub const MSS: usize = 1448;

/// The ACS every generated session talks to.
pub const ACS: ([u8; 4], u16) = ([192, 0, 2, 10], 7547);

const SOAP_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soap-env:Envelope \
    xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" \
    xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\" \
    xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
    xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">\n";

/// A SOAP envelope whose body is `rpc`, padded with ParameterValueStructs in `list` (when
/// given) until it is about `size` bytes.
fn envelope(id: u64, rpc: &str, before: &str, list: Option<&str>, size: usize) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(size + 1024);
    s.push_str(SOAP_HEAD);
    write!(
        s,
        "<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">{id}</cwmp:ID>\
         </soap-env:Header>\n<soap-env:Body>\n<cwmp:{rpc}>\n{before}"
    )
    .unwrap();
    if let Some(list) = list {
        writeln!(
            s,
            "<{list} soap-enc:arrayType=\"cwmp:ParameterValueStruct[]\">"
        )
        .unwrap();
        let mut i = 0;
        while s.len() + 200 < size {
            writeln!(
                s,
                "<ParameterValueStruct><Name>Device.Services.FAPService.1.CellConfig.LTE.RAN.\
                 Param{i}</Name><Value xsi:type=\"xsd:string\">value-{id}-{i}</Value>\
                 </ParameterValueStruct>"
            )
            .unwrap();
            i += 1;
        }
        writeln!(s, "</{list}>").unwrap();
    }
    writeln!(s, "</cwmp:{rpc}>\n</soap-env:Body>\n</soap-env:Envelope>").unwrap();
    s
}

fn post(body: &str, cookie: bool) -> Vec<u8> {
    let mut m = format!(
        "POST /acs HTTP/1.1\r\nHost: acs.example.net:7547\r\nUser-Agent: cpe-agent/1.0\r\n\
         Content-Type: text/xml; charset=\"utf-8\"\r\nSOAPAction: \"\"\r\n{}Content-Length: {}\r\n\r\n",
        if cookie { "Cookie: session=abc123\r\n" } else { "" },
        body.len()
    )
    .into_bytes();
    m.extend_from_slice(body.as_bytes());
    m
}

fn ok(body: &str) -> Vec<u8> {
    let mut m = format!(
        "HTTP/1.1 200 OK\r\nServer: acs/1.0\r\nSet-Cookie: session=abc123\r\n\
         Content-Type: text/xml; charset=\"utf-8\"\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    m.extend_from_slice(body.as_bytes());
    m
}

/// The frames of one CWMP session over HTTP/1.1 keep-alive: handshake; Inform (3–8 KB) and its
/// InformResponse; empty POST and GetParameterValues; GetParameterValuesResponse (10–30 KB in
/// MSS-sized segments) and 204; FIN. `index` makes the client address and the contents
/// distinct.
pub fn cwmp_session(index: u64, rng: &mut XorShift) -> Vec<Vec<u8>> {
    let client = std::net::SocketAddr::from((
        [10, (index >> 16) as u8, (index >> 8) as u8, index as u8],
        49152 + (index % 16000) as u16,
    ));
    let mut c = TcpConv::new(client, std::net::SocketAddr::from(ACS));
    c.client_seq = rng.next() as u32;
    c.server_seq = rng.next() as u32;
    let mut f = c.handshake();
    let inform = envelope(
        index,
        "Inform",
        "<DeviceId><Manufacturer>Baicells</Manufacturer><OUI>48BF74</OUI>\
         <ProductClass>FAP</ProductClass><SerialNumber>120200000000</SerialNumber></DeviceId>\n\
         <Event soap-enc:arrayType=\"cwmp:EventStruct[1]\"><EventStruct><EventCode>2 PERIODIC\
         </EventCode><CommandKey></CommandKey></EventStruct></Event>\n<MaxEnvelopes>1\
         </MaxEnvelopes><CurrentTime>2026-11-24T20:00:00Z</CurrentTime><RetryCount>0\
         </RetryCount>\n",
        Some("ParameterList"),
        rng.range(3000, 8000),
    );
    f.extend(c.send(true, &post(&inform, false), MSS));
    f.push(c.ack(false));
    let response = envelope(
        index,
        "InformResponse",
        "<MaxEnvelopes>1</MaxEnvelopes>\n",
        None,
        0,
    );
    f.extend(c.send(false, &ok(&response), MSS));
    f.extend(c.send(true, &post("", true), MSS));
    let gpv = envelope(
        index + 1,
        "GetParameterValues",
        "<ParameterNames soap-enc:arrayType=\"xsd:string[2]\"><string>Device.DeviceInfo.\
         </string><string>Device.Services.FAPService.1.CellConfig.</string></ParameterNames>\n",
        None,
        0,
    );
    f.extend(c.send(false, &ok(&gpv), MSS));
    let gpv_response = envelope(
        index + 1,
        "GetParameterValuesResponse",
        "",
        Some("ParameterList"),
        rng.range(10_000, 30_000),
    );
    // The ACS acknowledges every second segment, as delayed ACK would, and only what it has
    // received: acknowledging unseen bytes makes tshark take the rest for retransmissions.
    let mut acks = c.clone();
    let message = post(&gpv_response, true);
    for (i, segment) in c.send(true, &message, MSS).into_iter().enumerate() {
        f.push(segment);
        if i % 2 == 1 {
            let received = ((i + 1) * MSS).min(message.len());
            acks.client_seq = c.client_seq.wrapping_sub((message.len() - received) as u32);
            f.push(acks.ack(false));
        }
    }
    f.extend(c.send(
        false,
        b"HTTP/1.1 204 No Content\r\nServer: acs/1.0\r\nContent-Length: 0\r\n\r\n",
        MSS,
    ));
    f.extend(c.close());
    f
}

/// A capture of `connections` CWMP sessions (see [`cwmp_session`]), up to `concurrent` of them
/// open at once, their frames interleaved at random in small bursts as on a busy ACS.
pub fn cwmp_sessions(connections: u64, concurrent: usize, seed: u64) -> Vec<u8> {
    let mut rng = XorShift(seed | 1);
    let mut out = PcapOut::with_capacity(usize::try_from(connections).unwrap() * 32 * 1024);
    let mut open: Vec<std::collections::VecDeque<Vec<u8>>> = Vec::new();
    let mut next = 0;
    let mut micros = 1_700_000_000_000_000;
    while next < connections || !open.is_empty() {
        while open.len() < concurrent && next < connections {
            open.push(cwmp_session(next, &mut rng).into());
            next += 1;
        }
        let i = rng.range(0, open.len());
        for _ in 0..rng.range(1, 4) {
            let Some(frame) = open[i].pop_front() else {
                break;
            };
            micros += 20 + rng.next() % 200;
            out.push(micros, &frame);
        }
        if open[i].is_empty() {
            open.swap_remove(i);
        }
    }
    out.buf
}

/// The large benchmark capture: its version is in the file name, so that changing the generator
/// (and this number) regenerates the cached file.
pub const LARGE_VERSION: u32 = 2;
/// Connections in the large benchmark capture.
pub const LARGE_CONNECTIONS: u64 = 10_000;

/// `target/bench-data/cwmp-large-v{LARGE_VERSION}.pcap`, generated when missing.
pub fn large_capture() -> std::path::PathBuf {
    cached_sessions(
        &format!("cwmp-large-v{LARGE_VERSION}.pcap"),
        LARGE_CONNECTIONS,
        0x5eed,
    )
}

/// `target/bench-data/NAME`: [`cwmp_sessions`] of `connections` (16 at a time) from `seed`,
/// generated when missing.
pub fn cached_sessions(name: &str, connections: u64, seed: u64) -> std::path::PathBuf {
    let dir = bench_dir();
    let path = dir.join(name);
    if !path.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let pcap = cwmp_sessions(connections, 16, seed);
        // Written beside and renamed, so that an interrupted run leaves no half file behind.
        let partial = path.with_extension("partial");
        std::fs::write(&partial, pcap).unwrap();
        std::fs::rename(&partial, &path).unwrap();
    }
    path
}

/// `target/bench-data` (under `CARGO_TARGET_DIR` when set).
pub fn bench_dir() -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            crate_dir
                .ancestors()
                .nth(2)
                .unwrap_or(crate_dir)
                .join("target")
        },
        std::path::PathBuf::from,
    );
    target.join("bench-data")
}
