//! Capture containers: classic pcap and pcapng, read from bytes in memory.

use std::ops::Range;

use pcap_parser::LegacyPcapBlock;
use pcap_parser::pcapng::Block;

/// Largest block or record length accepted before the input is declared broken (16 MiB).
pub const MAX_BLOCK_LEN: u32 = 16 * 1024 * 1024;

/// A point in time, in nanoseconds since the Unix epoch (UTC), as recorded by the capture.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Timestamp(pub i64);

/// A link-layer header type (LINKTYPE_* value, as in pcap and pcapng files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LinkType(pub u32);

impl LinkType {
    /// BSD loopback: a 4-byte address family in the host byte order of the capturing machine.
    pub const NULL: Self = Self(0);
    /// Ethernet II (with optional 802.1Q/QinQ tags).
    pub const ETHERNET: Self = Self(1);
    /// DLT_RAW as some BSDs number it: raw IPv4 or IPv6.
    pub const RAW_12: Self = Self(12);
    /// DLT_RAW as OpenBSD numbers it: raw IPv4 or IPv6.
    pub const RAW_14: Self = Self(14);
    /// LINKTYPE_RAW: raw IPv4 or IPv6.
    pub const RAW: Self = Self(101);
    /// OpenBSD loopback: a 4-byte address family in network byte order.
    pub const LOOP: Self = Self(108);
    /// Linux "cooked" capture, version 1.
    pub const LINUX_SLL: Self = Self(113);
    /// Raw IPv4.
    pub const IPV4: Self = Self(228);
    /// Raw IPv6.
    pub const IPV6: Self = Self(229);
    /// Linux "cooked" capture, version 2.
    pub const LINUX_SLL2: Self = Self(276);
}

/// The container an input was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// Classic libpcap.
    Pcap,
    /// pcapng.
    PcapNg,
}

/// One captured frame, borrowing its bytes from the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// 1-based frame number, as Wireshark's `frame.number`.
    pub number: u64,
    /// When the frame was captured; `None` for a pcapng Simple Packet Block, which has no time.
    pub timestamp: Option<Timestamp>,
    /// Interface index: always 0 in classic pcap, the index within its section in pcapng.
    pub interface: u32,
    /// 0-based pcapng section the frame is in (always 0 for classic pcap).
    pub section: u32,
    /// Link type of the interface the frame was captured on.
    pub link_type: LinkType,
    /// Bytes present in the capture.
    pub captured_len: u32,
    /// Bytes the frame had on the wire.
    pub original_len: u32,
    /// Byte span of the packet data within the input.
    pub span: Range<usize>,
    /// The packet data (`captured_len` bytes).
    pub data: &'a [u8],
}

impl Frame<'_> {
    /// True when the frame was cut by the snaplen (fewer bytes captured than were on the wire).
    pub fn truncated(&self) -> bool {
        self.captured_len < self.original_len
    }
}

/// Why reading a capture stopped early.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    /// The input starts with neither a pcap nor a pcapng magic number.
    #[error("not a pcap or pcapng file: unknown magic number at byte 0")]
    BadMagic,
    /// The input ends inside the file header.
    #[error("capture cut in its file header ({len} bytes)")]
    HeaderCut {
        /// Length of the input.
        len: usize,
    },
    /// A record or block announces a length that cannot be right.
    #[error("frame {frame}: absurd length {length} at byte {offset}")]
    AbsurdLength {
        /// Number the next frame would have had.
        frame: u64,
        /// Offset of the record or block in the input.
        offset: usize,
        /// The announced length.
        length: u64,
    },
    /// The input ends in the middle of a record or block.
    #[error(
        "frame {frame}: capture cut at byte {len}, in the record or block starting at byte {offset}"
    )]
    Cut {
        /// Number the next frame would have had.
        frame: u64,
        /// Offset of the incomplete record or block.
        offset: usize,
        /// Length of the input.
        len: usize,
    },
    /// A pcapng block could not be parsed.
    #[error("frame {frame}: malformed pcapng block at byte {offset}")]
    Malformed {
        /// Number the next frame would have had.
        frame: u64,
        /// Offset of the block in the input.
        offset: usize,
    },
    /// A packet block refers to an interface that no Interface Description Block declared.
    #[error("frame {frame}: unknown interface {interface} at byte {offset}")]
    UnknownInterface {
        /// Number of the frame.
        frame: u64,
        /// Offset of the block in the input.
        offset: usize,
        /// The interface index.
        interface: u32,
    },
}

/// The frames of a capture: all frames read, and the error that stopped reading, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frames<'a> {
    /// The container the input was read as, when its magic number was recognised.
    pub container: Option<Container>,
    /// Every frame read before the end or the error.
    pub frames: Vec<Frame<'a>>,
    /// Why reading stopped early; `None` when the whole input was read.
    pub error: Option<CaptureError>,
}

/// Reads every frame of a classic pcap or pcapng capture held in memory.
///
/// Never panics: on broken input, the frames before the damage are returned together with an
/// error giving the next frame number and the byte offset where reading stopped.
///
/// ```
/// // An empty little-endian, microsecond pcap with Ethernet frames.
/// let pcap = [
///     0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
/// ];
/// let read = cwmp_capture::read_frames(&pcap);
/// assert!(read.frames.is_empty());
/// assert_eq!(read.error, None);
/// // The same file cut in its first record header.
/// let mut cut = pcap.to_vec();
/// cut.extend_from_slice(&[0; 10]);
/// let read = cwmp_capture::read_frames(&cut);
/// assert_eq!(
///     read.error.unwrap().to_string(),
///     "frame 1: capture cut at byte 34, in the record or block starting at byte 24"
/// );
/// ```
pub fn read_frames(input: &[u8]) -> Frames<'_> {
    let mut out = Frames {
        container: None,
        frames: Vec::new(),
        error: None,
    };
    if input.len() < 4 {
        out.error = Some(if input.is_empty() {
            CaptureError::HeaderCut { len: 0 }
        } else {
            CaptureError::BadMagic
        });
        return out;
    }
    match input[..4] {
        [0x0a, 0x0d, 0x0d, 0x0a] => {
            out.container = Some(Container::PcapNg);
            out.error = read_pcapng(input, &mut out.frames).err();
        }
        [0xd4, 0xc3, 0xb2, 0xa1]
        | [0x4d, 0x3c, 0xb2, 0xa1]
        | [0xa1, 0xb2, 0xc3, 0xd4]
        | [0xa1, 0xb2, 0x3c, 0x4d]
        | [0x34, 0xcd, 0xb2, 0xa1] => {
            out.container = Some(Container::Pcap);
            out.error = read_pcap(input, &mut out.frames).err();
        }
        _ => out.error = Some(CaptureError::BadMagic),
    }
    out
}

fn offset_in(input: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize).saturating_sub(input.as_ptr() as usize)
}

fn read_pcap<'a>(input: &'a [u8], frames: &mut Vec<Frame<'a>>) -> Result<(), CaptureError> {
    let Ok((mut rest, header)) = pcap_parser::parse_pcap_header(input) else {
        return Err(CaptureError::HeaderCut { len: input.len() });
    };
    let big = header.is_bigendian();
    let nanos = header.is_nanosecond_precision();
    // The "modified" format adds ifindex, protocol and packet type to each record header.
    let modified = header.is_modified_format();
    let record_header = if modified { 24 } else { 16 };
    let link_type = LinkType(u32::from_ne_bytes(header.network.0.to_ne_bytes()) & 0xffff);
    while !rest.is_empty() {
        let offset = offset_in(input, rest);
        let frame = frames.len() as u64 + 1;
        if rest.len() < record_header {
            return Err(CaptureError::Cut {
                frame,
                offset,
                len: input.len(),
            });
        }
        let caplen_bytes = [rest[8], rest[9], rest[10], rest[11]];
        let caplen = if big {
            u32::from_be_bytes(caplen_bytes)
        } else {
            u32::from_le_bytes(caplen_bytes)
        };
        if caplen > MAX_BLOCK_LEN {
            return Err(CaptureError::AbsurdLength {
                frame,
                offset,
                length: u64::from(caplen),
            });
        }
        let parsed = if modified {
            pcap_parser::parse_pcap_frame_modified(rest)
        } else if big {
            pcap_parser::parse_pcap_frame_be(rest)
        } else {
            pcap_parser::parse_pcap_frame(rest)
        };
        let (next, block): (&[u8], LegacyPcapBlock) = match parsed {
            Ok(v) => v,
            Err(_) => {
                return Err(CaptureError::Cut {
                    frame,
                    offset,
                    len: input.len(),
                });
            }
        };
        let sub = if nanos {
            i64::from(block.ts_usec)
        } else {
            i64::from(block.ts_usec) * 1000
        };
        let start = offset_in(input, block.data);
        frames.push(Frame {
            number: frame,
            timestamp: Some(Timestamp(i64::from(block.ts_sec) * 1_000_000_000 + sub)),
            interface: 0,
            section: 0,
            link_type,
            captured_len: block.caplen,
            original_len: block.origlen,
            span: start..start + block.data.len(),
            data: block.data,
        });
        rest = next;
    }
    Ok(())
}

/// Per-interface state of a pcapng section.
struct Interface {
    link_type: LinkType,
    snaplen: u32,
    /// Timestamp units per second, as a (base, exponent) pair: 10^e or 2^e.
    tsresol: u8,
    tsoffset: i64,
}

/// Converts a pcapng timestamp in interface units to nanoseconds since the epoch.
fn pcapng_ts(units: u64, tsresol: u8, tsoffset: i64) -> Option<Timestamp> {
    let units = u128::from(units);
    let exp = u32::from(tsresol & 0x7f);
    let ns = if tsresol & 0x80 == 0 {
        let per_sec = 10u128.checked_pow(exp)?;
        units.checked_mul(1_000_000_000)? / per_sec
    } else {
        if exp > 100 {
            return None;
        }
        (units.checked_mul(1_000_000_000)?) >> exp
    };
    let ns = i64::try_from(ns).ok()?;
    ns.checked_add(tsoffset.checked_mul(1_000_000_000)?)
        .map(Timestamp)
}

/// A packet block's fields: interface, timestamp units, captured and original length, data.
type RawPacket<'a> = (u32, Option<u64>, u32, u32, &'a [u8]);

#[allow(clippy::too_many_lines)]
fn read_pcapng<'a>(input: &'a [u8], frames: &mut Vec<Frame<'a>>) -> Result<(), CaptureError> {
    let mut offset = 0usize;
    let mut big = false;
    let mut section: Option<u32> = None;
    let mut interfaces: Vec<Interface> = Vec::new();
    while offset < input.len() {
        let frame = frames.len() as u64 + 1;
        let rest = &input[offset..];
        let cut = CaptureError::Cut {
            frame,
            offset,
            len: input.len(),
        };
        if rest.len() < 12 {
            return Err(if section.is_none() {
                CaptureError::HeaderCut { len: input.len() }
            } else {
                cut
            });
        }
        if rest[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
            big = match rest[8..12] {
                [0x4d, 0x3c, 0x2b, 0x1a] => false,
                [0x1a, 0x2b, 0x3c, 0x4d] => true,
                _ => return Err(CaptureError::Malformed { frame, offset }),
            };
        } else if section.is_none() {
            return Err(CaptureError::BadMagic);
        }
        let len_bytes = [rest[4], rest[5], rest[6], rest[7]];
        let block_len = if big {
            u32::from_be_bytes(len_bytes)
        } else {
            u32::from_le_bytes(len_bytes)
        };
        if block_len < 12 || block_len % 4 != 0 || block_len > MAX_BLOCK_LEN {
            return Err(CaptureError::AbsurdLength {
                frame,
                offset,
                length: u64::from(block_len),
            });
        }
        let block_len = block_len as usize;
        if rest.len() < block_len {
            return Err(if section.is_none() {
                CaptureError::HeaderCut { len: input.len() }
            } else {
                cut
            });
        }
        let bytes = &rest[..block_len];
        let word = |at: usize| {
            let b = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
            if big {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        if word(block_len - 4) as usize != block_len {
            return Err(CaptureError::Malformed { frame, offset });
        }
        // Blocks that carry neither packets nor what is needed to read them (name resolution,
        // statistics, decryption secrets, custom…) are skipped unparsed, so that damage in
        // one of them costs nothing.
        if !matches!(word(0), 0x0a0d_0d0a | 1 | 2 | 3 | 6) {
            offset += block_len;
            continue;
        }
        let parsed = if big {
            pcap_parser::pcapng::parse_block_be(bytes)
        } else {
            pcap_parser::pcapng::parse_block_le(bytes)
        };
        let Ok((_, block)) = parsed else {
            return Err(CaptureError::Malformed { frame, offset });
        };
        let mut packet: Option<RawPacket<'a>> = None;
        match block {
            Block::SectionHeader(_) => {
                section = Some(section.map_or(0, |s| s + 1));
                interfaces.clear();
            }
            Block::InterfaceDescription(idb) => interfaces.push(Interface {
                link_type: LinkType(u32::try_from(idb.linktype.0).unwrap_or(u32::MAX)),
                snaplen: idb.snaplen,
                tsresol: idb.if_tsresol,
                tsoffset: idb.if_tsoffset,
            }),
            Block::EnhancedPacket(epb) => {
                let data = &epb.data[..(epb.caplen as usize).min(epb.data.len())];
                let units = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                packet = Some((epb.if_id, Some(units), epb.caplen, epb.origlen, data));
            }
            Block::SimplePacket(spb) => {
                let snap = interfaces.first().map_or(u32::MAX, |i| {
                    if i.snaplen == 0 { u32::MAX } else { i.snaplen }
                });
                let caplen = spb
                    .origlen
                    .min(snap)
                    .min(u32::try_from(spb.data.len()).unwrap_or(u32::MAX));
                packet = Some((0, None, caplen, spb.origlen, &spb.data[..caplen as usize]));
            }
            // pcap-parser keeps an unknown block's type as read little-endian.
            Block::Unknown(ub)
                if (if big {
                    ub.block_type.swap_bytes()
                } else {
                    ub.block_type
                }) == 2 =>
            {
                // Obsolete Packet Block: if_id u16, drops u16, ts_high, ts_low, caplen, len, data.
                let d = ub.data;
                if d.len() < 20 {
                    return Err(CaptureError::Malformed { frame, offset });
                }
                let u16_at = |i: usize| {
                    if big {
                        u16::from_be_bytes([d[i], d[i + 1]])
                    } else {
                        u16::from_le_bytes([d[i], d[i + 1]])
                    }
                };
                let u32_at = |i: usize| {
                    let b = [d[i], d[i + 1], d[i + 2], d[i + 3]];
                    if big {
                        u32::from_be_bytes(b)
                    } else {
                        u32::from_le_bytes(b)
                    }
                };
                let caplen = u32_at(12);
                let data = &d[20..];
                if caplen as usize > data.len() {
                    return Err(CaptureError::Malformed { frame, offset });
                }
                let units = (u64::from(u32_at(4)) << 32) | u64::from(u32_at(8));
                packet = Some((
                    u32::from(u16_at(0)),
                    Some(units),
                    caplen,
                    u32_at(16),
                    &data[..caplen as usize],
                ));
            }
            _ => {}
        }
        if let Some((interface, units, captured_len, original_len, data)) = packet {
            let Some(iface) = interfaces.get(interface as usize) else {
                return Err(CaptureError::UnknownInterface {
                    frame,
                    offset,
                    interface,
                });
            };
            let start = offset_in(input, data);
            frames.push(Frame {
                number: frame,
                timestamp: units.and_then(|u| pcapng_ts(u, iface.tsresol, iface.tsoffset)),
                interface,
                section: section.unwrap_or(0),
                link_type: iface.link_type,
                captured_len,
                original_len,
                span: start..start + data.len(),
                data,
            });
        }
        offset += block_len;
    }
    Ok(())
}
