//! Link, network and transport layers of each frame, decoded with etherparse.

use std::borrow::Cow;
use std::net::{IpAddr, SocketAddr};
use std::ops::Range;

use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket, TransportSlice};

use crate::defrag::{Defragmenter, Fragment, FragmentError, FragmentLimits};
use crate::frames::{CaptureError, Frame, Frames, LinkType, Timestamp, read_frames};

/// TCP header flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TcpFlags(pub u8);

impl TcpFlags {
    /// FIN.
    pub const FIN: u8 = 0x01;
    /// SYN.
    pub const SYN: u8 = 0x02;
    /// RST.
    pub const RST: u8 = 0x04;
    /// PSH.
    pub const PSH: u8 = 0x08;
    /// ACK.
    pub const ACK: u8 = 0x10;
    /// URG.
    pub const URG: u8 = 0x20;

    /// True when every bit of `flag` is set.
    pub fn has(self, flag: u8) -> bool {
        self.0 & flag == flag
    }
}

/// The transport layer of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// A TCP segment.
    Tcp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
        /// Sequence number.
        seq: u32,
        /// Acknowledgment number.
        ack: u32,
        /// Flags.
        flags: TcpFlags,
    },
    /// A UDP datagram.
    Udp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
    },
    /// Another IP protocol, or a TCP/UDP header that could not be read (see [`Packet::stop`]).
    Other {
        /// IP protocol number (the next header, for IPv6).
        protocol: u8,
    },
}

/// How far decoding of a frame got, when it did not reach the transport payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerStop {
    /// The layer that could not be read.
    pub layer: String,
    /// Why.
    pub reason: String,
}

/// An IP packet read from one frame, or rebuilt from IPv4 fragments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet<'a> {
    /// Frame number (for a reassembled datagram, the frame that completed it).
    pub frame: u64,
    /// Frames of the fragments of a reassembled datagram, in arrival order; empty otherwise.
    pub fragments: Vec<u64>,
    /// Capture time of `frame`.
    pub timestamp: Option<Timestamp>,
    /// 802.1Q VLAN ids, outermost first.
    pub vlans: Vec<u16>,
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Transport header.
    pub transport: Transport,
    /// Transport payload (TCP/UDP data; the IP payload for other protocols).
    pub payload: Cow<'a, [u8]>,
    /// Byte span of `payload` in the input, when it is contiguous there (not reassembled).
    pub payload_span: Option<Range<usize>>,
    /// The frame was cut by the snaplen, so `payload` may be short.
    pub truncated: bool,
    /// Where decoding stopped early, if it did.
    pub stop: Option<LayerStop>,
}

impl Packet<'_> {
    /// Source endpoint, for TCP and UDP.
    pub fn src_endpoint(&self) -> Option<SocketAddr> {
        match self.transport {
            Transport::Tcp { src_port, .. } | Transport::Udp { src_port, .. } => {
                Some(SocketAddr::new(self.src, src_port))
            }
            Transport::Other { .. } => None,
        }
    }

    /// Destination endpoint, for TCP and UDP.
    pub fn dst_endpoint(&self) -> Option<SocketAddr> {
        match self.transport {
            Transport::Tcp { dst_port, .. } | Transport::Udp { dst_port, .. } => {
                Some(SocketAddr::new(self.dst, dst_port))
            }
            Transport::Other { .. } => None,
        }
    }
}

/// What was read and what was not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Frames read from the container.
    pub frames: u64,
    /// Frames cut by the snaplen.
    pub truncated: u64,
    /// Frames that carry no IP packet (ARP, unknown link types, unreadable link headers).
    pub not_ip: u64,
    /// IP packets that are neither TCP nor UDP, or whose TCP/UDP header could not be read.
    pub not_tcp_udp: u64,
    /// IPv4 fragments received.
    pub fragments: u64,
    /// Datagrams rebuilt from fragments.
    pub reassembled: u64,
    /// Fragments dropped (limits or inconsistencies).
    pub fragments_dropped: u64,
    /// Datagrams whose fragments never all arrived.
    pub incomplete_datagrams: u64,
    /// Errors: the container error, if any, plus dropped fragments.
    pub errors: u64,
}

/// Everything read from a capture: frames, IP packets, and a summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The frames, and the container error that stopped reading, if any.
    pub frames: Frames<'a>,
    /// IP packets in capture order (a reassembled datagram appears at its last fragment).
    pub packets: Vec<Packet<'a>>,
    /// Frames that carry no IP packet, with the reason.
    pub not_ip: Vec<(u64, String)>,
    /// Fragments that were dropped.
    pub fragment_errors: Vec<FragmentError>,
    /// Counts.
    pub summary: Summary,
}

impl Decoded<'_> {
    /// The container error, if reading stopped early.
    pub fn error(&self) -> Option<&CaptureError> {
        self.frames.error.as_ref()
    }
}

/// Reads a capture and decodes each frame's layers, with default fragment limits.
pub fn decode_capture(input: &[u8]) -> Decoded<'_> {
    decode_capture_with(input, FragmentLimits::default())
}

/// Reads a capture and decodes each frame's layers, with the given fragment limits.
pub fn decode_capture_with(input: &[u8], limits: FragmentLimits) -> Decoded<'_> {
    let frames = read_frames(input);
    let mut out = Decoded {
        frames: Frames {
            container: frames.container,
            frames: Vec::new(),
            error: frames.error.clone(),
        },
        packets: Vec::new(),
        not_ip: Vec::new(),
        fragment_errors: Vec::new(),
        summary: Summary::default(),
    };
    let mut defrag = Defragmenter::new(limits);
    for frame in &frames.frames {
        out.summary.frames += 1;
        if frame.truncated() {
            out.summary.truncated += 1;
        }
        match decode_frame(input, frame) {
            FrameLayers::NotIp(reason) => {
                out.summary.not_ip += 1;
                out.not_ip.push((frame.number, reason));
            }
            FrameLayers::Packet(p) => {
                if !matches!(p.transport, Transport::Tcp { .. } | Transport::Udp { .. }) {
                    out.summary.not_tcp_udp += 1;
                }
                out.packets.push(p);
            }
            FrameLayers::Fragment(base, frag) => {
                out.summary.fragments += 1;
                match defrag.push(&frag) {
                    Ok(None) => {}
                    Ok(Some(r)) => {
                        out.summary.reassembled += 1;
                        let mut p = transport_from_bytes(base, frag.protocol, r.payload);
                        p.fragments = r.frames;
                        if !matches!(p.transport, Transport::Tcp { .. } | Transport::Udp { .. }) {
                            out.summary.not_tcp_udp += 1;
                        }
                        out.packets.push(p);
                    }
                    Err(e) => {
                        out.summary.fragments_dropped += 1;
                        out.fragment_errors.push(e);
                    }
                }
            }
        }
    }
    out.summary.incomplete_datagrams = defrag.incomplete() as u64;
    out.summary.errors = u64::from(out.frames.error.is_some()) + out.summary.fragments_dropped;
    out.frames.frames = frames.frames;
    out
}

/// The layers of one frame.
#[derive(Clone, Debug)]
pub enum FrameLayers<'a> {
    /// No IP packet, with the reason.
    NotIp(String),
    /// A complete (unfragmented) IP packet.
    Packet(Packet<'a>),
    /// An IPv4 fragment: the packet fields known so far, and the fragment to reassemble.
    Fragment(Packet<'a>, Fragment<'a>),
}

fn sliced(link: LinkType, data: &[u8]) -> Result<(LaxSlicedPacket<'_>, usize), String> {
    let be16 = |at: usize| {
        data.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    match link {
        LinkType::ETHERNET => LaxSlicedPacket::from_ethernet(data)
            .map(|p| (p, 0))
            .map_err(|e| format!("Ethernet: {e}")),
        LinkType::LINUX_SLL => {
            let proto = be16(14).ok_or("Linux SLL: header cut")?;
            Ok((
                LaxSlicedPacket::from_ether_type(EtherType(proto), &data[16..]),
                16,
            ))
        }
        LinkType::LINUX_SLL2 => {
            let proto = be16(0).ok_or("Linux SLL2: header cut")?;
            let rest = data.get(20..).ok_or("Linux SLL2: header cut")?;
            Ok((LaxSlicedPacket::from_ether_type(EtherType(proto), rest), 20))
        }
        LinkType::RAW | LinkType::RAW_12 | LinkType::RAW_14 | LinkType::IPV4 | LinkType::IPV6 => {
            LaxSlicedPacket::from_ip(data)
                .map(|p| (p, 0))
                .map_err(|e| format!("raw IP: {e}"))
        }
        LinkType::NULL | LinkType::LOOP => {
            let b = data.get(..4).ok_or("loopback: header cut")?;
            let le = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            let be = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            let family = if link == LinkType::LOOP || le > 0xffff {
                be
            } else {
                le
            };
            // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (BSDs, macOS).
            if !matches!(family, 2 | 10 | 24 | 28 | 30) {
                return Err(format!("loopback: address family {family} is not IP"));
            }
            LaxSlicedPacket::from_ip(&data[4..])
                .map(|p| (p, 4))
                .map_err(|e| format!("loopback IP: {e}"))
        }
        LinkType(other) => Err(format!("unsupported link type {other}")),
    }
}

fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

#[allow(clippy::too_many_lines)]
/// Decodes the layers of one frame of `input` (the whole capture, for byte spans).
pub fn decode_frame<'a>(input: &'a [u8], frame: &Frame<'a>) -> FrameLayers<'a> {
    let (sliced, _) = match sliced(frame.link_type, frame.data) {
        Ok(v) => v,
        Err(reason) => return FrameLayers::NotIp(reason),
    };
    let vlans = sliced
        .link_exts
        .iter()
        .filter_map(|e| match e {
            etherparse::LaxLinkExtSlice::Vlan(v) => Some(v.vlan_identifier().value()),
            etherparse::LaxLinkExtSlice::Macsec(_) => None,
        })
        .collect();
    let stop = sliced.stop_err.as_ref().map(|(e, layer)| LayerStop {
        layer: format!("{layer:?}"),
        reason: e.to_string(),
    });
    let (src, dst, ip_payload, frag) = match &sliced.net {
        Some(LaxNetSlice::Ipv4(v4)) => {
            let h = v4.header();
            let pl = v4.payload();
            let frag = pl.fragmented.then(|| {
                (
                    h.identification(),
                    usize::from(h.fragments_offset().value()) * 8,
                    h.more_fragments(),
                )
            });
            (
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
                pl.clone(),
                frag,
            )
        }
        Some(LaxNetSlice::Ipv6(v6)) => {
            let h = v6.header();
            (
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
                v6.payload().clone(),
                None,
            )
        }
        Some(LaxNetSlice::Arp(_)) => return FrameLayers::NotIp("ARP".into()),
        None => {
            let reason = stop.map_or_else(
                || "no IP layer".to_owned(),
                |s| format!("{}: {}", s.layer, s.reason),
            );
            return FrameLayers::NotIp(reason);
        }
    };
    let mut packet = Packet {
        frame: frame.number,
        fragments: Vec::new(),
        timestamp: frame.timestamp,
        vlans,
        src,
        dst,
        transport: Transport::Other {
            protocol: ip_payload.ip_number.0,
        },
        payload: Cow::Borrowed(ip_payload.payload),
        payload_span: Some(span(input, ip_payload.payload)),
        truncated: frame.truncated(),
        stop,
    };
    if ip_payload.fragmented {
        let why = match (frag, ip_payload.incomplete) {
            (None, _) => Some("IPv6 fragment: not reassembled"),
            (Some(_), true) => Some("IPv4 fragment cut short: not reassembled"),
            (Some(_), false) => None,
        };
        if let Some(why) = why {
            packet.stop = Some(LayerStop {
                layer: "Ip".into(),
                reason: why.into(),
            });
            return FrameLayers::Packet(packet);
        }
    }
    if let (Some((id, offset, more)), IpAddr::V4(s), IpAddr::V4(d)) = (frag, src, dst) {
        let fragment = Fragment {
            frame: frame.number,
            src: s,
            dst: d,
            protocol: ip_payload.ip_number.0,
            id,
            offset,
            more,
            data: ip_payload.payload,
        };
        return FrameLayers::Fragment(packet, fragment);
    }
    match &sliced.transport {
        Some(TransportSlice::Tcp(tcp)) => {
            packet.transport = Transport::Tcp {
                src_port: tcp.source_port(),
                dst_port: tcp.destination_port(),
                seq: tcp.sequence_number(),
                ack: tcp.acknowledgment_number(),
                flags: tcp_flags(tcp),
            };
            packet.payload = Cow::Borrowed(tcp.payload());
            packet.payload_span = Some(span(input, tcp.payload()));
        }
        Some(TransportSlice::Udp(udp)) => {
            packet.transport = Transport::Udp {
                src_port: udp.source_port(),
                dst_port: udp.destination_port(),
            };
            packet.payload = Cow::Borrowed(udp.payload());
            packet.payload_span = Some(span(input, udp.payload()));
        }
        _ => {}
    }
    FrameLayers::Packet(packet)
}

fn span(input: &[u8], part: &[u8]) -> Range<usize> {
    let start = offset_in(input, part);
    start..start + part.len()
}

fn tcp_flags(tcp: &etherparse::TcpSlice<'_>) -> TcpFlags {
    let bits = [
        (tcp.fin(), TcpFlags::FIN),
        (tcp.syn(), TcpFlags::SYN),
        (tcp.rst(), TcpFlags::RST),
        (tcp.psh(), TcpFlags::PSH),
        (tcp.ack(), TcpFlags::ACK),
        (tcp.urg(), TcpFlags::URG),
    ];
    TcpFlags(
        bits.iter()
            .filter(|(on, _)| *on)
            .fold(0, |acc, (_, b)| acc | b),
    )
}

/// Decodes TCP or UDP from a reassembled IP payload.
fn transport_from_bytes(mut base: Packet<'_>, protocol: u8, payload: Vec<u8>) -> Packet<'_> {
    base.payload_span = None;
    base.stop = None;
    base.transport = Transport::Other { protocol };
    match protocol {
        6 => match etherparse::TcpSlice::from_slice(&payload) {
            Ok(tcp) => {
                base.transport = Transport::Tcp {
                    src_port: tcp.source_port(),
                    dst_port: tcp.destination_port(),
                    seq: tcp.sequence_number(),
                    ack: tcp.acknowledgment_number(),
                    flags: tcp_flags(&tcp),
                };
                base.payload = Cow::Owned(tcp.payload().to_vec());
                return base;
            }
            Err(e) => {
                base.stop = Some(LayerStop {
                    layer: "Tcp".into(),
                    reason: e.to_string(),
                });
            }
        },
        17 => match etherparse::UdpSlice::from_slice_lax(&payload) {
            Ok(udp) => {
                base.transport = Transport::Udp {
                    src_port: udp.source_port(),
                    dst_port: udp.destination_port(),
                };
                base.payload = Cow::Owned(udp.payload().to_vec());
                return base;
            }
            Err(e) => {
                base.stop = Some(LayerStop {
                    layer: "Udp".into(),
                    reason: e.to_string(),
                });
            }
        },
        _ => {}
    }
    base.payload = Cow::Owned(payload);
    base
}
