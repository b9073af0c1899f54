//! TCP reassembly, per connection and direction.
//!
//! Policy, stated once:
//!
//! - **Connections** are keyed by their 4-tuple and numbered in order of first appearance, as
//!   Wireshark's `tcp.stream`. The client is the side that sent the SYN (or received the
//!   SYN-ACK), judged on the connection's first packet. Without either (a capture that starts mid-connection), the side with the higher
//!   port is the client; with equal ports, the first sender is. [`ClientRule`] says which rule
//!   applied. A SYN with a new initial sequence number on a 4-tuple already seen starts a new
//!   connection (port reuse); a retransmitted SYN does not.
//! - **Stream offsets** start at the SYN's sequence number plus one, or, without a SYN, at the
//!   sequence number of the first segment that carries data in that direction; a later segment
//!   that starts up to 1 MiB before it is put in front (offsets move up, and any hole between
//!   becomes a gap). Sequence numbers wrap at 2^32;
//!   offsets are 64-bit and do not. Data before the start is discarded as retransmitted.
//! - **Overlaps: first copy wins** (Wireshark's default). Bytes already delivered or already
//!   buffered are never replaced; the later copy's bytes count as retransmitted.
//! - **Missing segments** leave a [`Gap`] in the stream, recorded when the capture ends (or when
//!   the buffered-bytes limit forces the stream on), after which delivery continues with the
//!   next bytes that did arrive.
//! - **Limits** ([`TcpLimits`]): out-of-order bytes buffered per direction, and the number of
//!   connections. Going over the first records a [`TcpError::BufferLimit`] (once per direction)
//!   and skips the hole as a gap; going over the second drops the packets of new connections, counted in
//!   [`TcpSummary`] and reported once as a [`TcpError::FlowLimit`].

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::ops::Range;

use crate::frames::Timestamp;
use crate::layers::{Packet, TcpFlags, Transport};

/// Limits that keep reassembly's memory bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpLimits {
    /// Most out-of-order bytes buffered per direction, waiting for a hole to be filled.
    pub max_buffered_bytes: usize,
    /// Most connections tracked; packets of further connections are dropped and counted.
    pub max_flows: usize,
}

impl Default for TcpLimits {
    fn default() -> Self {
        Self {
            max_buffered_bytes: 16 * 1024 * 1024,
            max_flows: 100_000,
        }
    }
}

/// How the client side of a connection was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientRule {
    /// The client sent a SYN.
    Syn,
    /// The server sent a SYN-ACK (the client's SYN was not captured).
    SynAck,
    /// No SYN seen: the side with the lower port is the server.
    LowerPort,
    /// No SYN seen and equal ports: the first sender is the client.
    FirstSender,
}

/// A direction within a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowDirection {
    /// From the client to the server.
    ClientToServer,
    /// From the server to the client.
    ServerToClient,
}

/// Why a stream has a gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapReason {
    /// The bytes were never captured.
    Missing,
    /// The buffered-bytes limit forced the stream past the hole before it could be filled.
    BufferLimit,
}

/// Bytes missing from a reassembled stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// Stream offset of the first missing byte.
    pub offset: u64,
    /// Number of missing bytes.
    pub len: u64,
    /// TCP sequence numbers of the missing bytes (may wrap: `end < start`).
    pub seq: Range<u32>,
    /// Capture time of the first segment after the gap.
    pub timestamp: Option<Timestamp>,
    /// Why the bytes are missing.
    pub reason: GapReason,
}

/// Contiguous stream bytes that came from one TCP segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Stream offset of the first byte.
    pub offset: u64,
    /// The bytes.
    pub data: Vec<u8>,
    /// Frame the segment was captured in.
    pub frame: u64,
    /// Byte span of `data` in the capture, when the segment's payload is contiguous there.
    pub span: Option<Range<usize>>,
    /// Capture time of the segment.
    pub timestamp: Option<Timestamp>,
}

/// One item of a reassembled stream, in stream order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamItem {
    /// Bytes.
    Data(Chunk),
    /// Missing bytes; a consumer should resume at the next message boundary after it.
    Gap(Gap),
}

/// Kind of a TCP control event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpEventKind {
    /// SYN (with or without ACK).
    Syn,
    /// FIN.
    Fin,
    /// RST.
    Rst,
}

/// A SYN, FIN or RST seen in one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpEvent {
    /// Which flag.
    pub kind: TcpEventKind,
    /// Frame it was seen in.
    pub frame: u64,
    /// Capture time.
    pub timestamp: Option<Timestamp>,
    /// Sequence number of the segment.
    pub seq: u32,
}

/// One direction of a connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HalfStream {
    /// The reassembled stream: data chunks and gaps, in offset order.
    pub items: Vec<StreamItem>,
    /// SYN, FIN and RST, in capture order.
    pub events: Vec<TcpEvent>,
    /// Sequence number of stream offset 0, once known.
    pub base_seq: Option<u32>,
    /// Bytes delivered.
    pub bytes: u64,
    /// Bytes received again (retransmissions and overlaps; the first copy was kept).
    pub retransmitted: u64,
    /// Bytes lost in gaps.
    pub gap_bytes: u64,
    /// The buffered-bytes limit was exceeded at least once.
    pub over_limit: bool,
}

impl HalfStream {
    /// The gaps, in stream order.
    pub fn gaps(&self) -> impl Iterator<Item = &Gap> {
        self.items.iter().filter_map(|i| match i {
            StreamItem::Gap(g) => Some(g),
            StreamItem::Data(_) => None,
        })
    }

    /// The data chunks, in stream order.
    pub fn chunks(&self) -> impl Iterator<Item = &Chunk> {
        self.items.iter().filter_map(|i| match i {
            StreamItem::Data(c) => Some(c),
            StreamItem::Gap(_) => None,
        })
    }

    /// All delivered bytes concatenated (gaps are skipped, not filled).
    pub fn bytes_concat(&self) -> Vec<u8> {
        self.chunks().flat_map(|c| c.data.iter().copied()).collect()
    }
}

/// A TCP connection with both directions reassembled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    /// Index in order of first appearance, from 0 (as Wireshark's `tcp.stream`).
    pub index: u64,
    /// The client endpoint.
    pub client: SocketAddr,
    /// The server endpoint.
    pub server: SocketAddr,
    /// How the client was chosen.
    pub rule: ClientRule,
    /// First frame of the connection.
    pub first_frame: u64,
    /// Client to server.
    pub client_to_server: HalfStream,
    /// Server to client.
    pub server_to_client: HalfStream,
}

impl Connection {
    /// The half-stream of `dir`.
    pub fn half(&self, dir: FlowDirection) -> &HalfStream {
        match dir {
            FlowDirection::ClientToServer => &self.client_to_server,
            FlowDirection::ServerToClient => &self.server_to_client,
        }
    }
}

/// A limit that was exceeded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TcpError {
    /// Too many out-of-order bytes waited for a hole in one direction.
    #[error(
        "TCP stream {stream} {direction:?}: more than {max} out-of-order bytes buffered at frame {frame}; the hole was skipped as a gap"
    )]
    BufferLimit {
        /// Connection index.
        stream: u64,
        /// Direction.
        direction: FlowDirection,
        /// Frame that went over the limit.
        frame: u64,
        /// The limit.
        max: usize,
    },
    /// More connections than the limit: packets of new connections are dropped from here on.
    #[error(
        "more than {max} TCP connections: from frame {frame} on, packets of new connections are dropped"
    )]
    FlowLimit {
        /// First frame dropped.
        frame: u64,
        /// The limit.
        max: usize,
    },
}

/// Counts over all connections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpSummary {
    /// Connections tracked.
    pub connections: u64,
    /// TCP segments read (including those dropped by the flow limit).
    pub segments: u64,
    /// Bytes delivered in reassembled streams.
    pub bytes: u64,
    /// Bytes received more than once (retransmissions and overlaps).
    pub retransmitted: u64,
    /// Gaps.
    pub gaps: u64,
    /// Bytes lost in gaps.
    pub gap_bytes: u64,
    /// Directions that went over the buffered-bytes limit.
    pub flows_over_buffer_limit: u64,
    /// Packets dropped because the flow limit was reached.
    pub packets_over_flow_limit: u64,
}

/// The reassembled connections of a capture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TcpStreams {
    /// Connections, by index.
    pub connections: Vec<Connection>,
    /// Limits exceeded.
    pub errors: Vec<TcpError>,
    /// Counts.
    pub summary: TcpSummary,
}

/// Reassembles the TCP packets among `packets` with default limits.
pub fn reassemble_tcp(packets: &[Packet<'_>]) -> TcpStreams {
    reassemble_tcp_with(packets, TcpLimits::default())
}

/// Reassembles the TCP packets among `packets` with the given limits.
pub fn reassemble_tcp_with(packets: &[Packet<'_>], limits: TcpLimits) -> TcpStreams {
    let mut r = TcpReassembler::new(limits);
    for p in packets {
        r.push(p);
    }
    r.finish()
}

/// A segment waiting for a hole before it.
#[derive(Clone, Debug)]
struct Pending {
    data: Vec<u8>,
    frame: u64,
    span: Option<Range<usize>>,
    timestamp: Option<Timestamp>,
}

#[derive(Debug, Default)]
struct HalfState {
    out: HalfStream,
    /// Stream offset of the next byte expected.
    next: u64,
    /// Out-of-order pieces, by offset, never overlapping.
    pending: BTreeMap<u64, Pending>,
    buffered: usize,
    /// Offset 0 was set by a SYN; otherwise by the first data segment, and may move back.
    from_syn: bool,
}

/// How far before the first captured byte an out-of-order segment may start and still be put in
/// front of the stream (a capture that starts mid-connection with reordered segments).
const REBASE_WINDOW: i128 = 1 << 20;

/// A TCP segment, as given to [`HalfState::segment`].
struct Seg<'p> {
    seq: u32,
    flags: TcpFlags,
    data: &'p [u8],
    frame: u64,
    span: Option<Range<usize>>,
    timestamp: Option<Timestamp>,
}

impl HalfState {
    fn seq_at(&self, offset: u64) -> u32 {
        #[allow(clippy::cast_possible_truncation)]
        let low = offset as u32;
        self.out.base_seq.unwrap_or(0).wrapping_add(low)
    }

    /// Stream offset of `seq`, taken as the nearest to the next expected byte.
    fn offset_of(&self, seq: u32) -> i128 {
        #[allow(clippy::cast_possible_wrap)]
        let diff = seq.wrapping_sub(self.seq_at(self.next)) as i32;
        i128::from(self.next) + i128::from(diff)
    }

    /// Returns true when the buffered-bytes limit was exceeded.
    fn segment(&mut self, s: &Seg<'_>, max_buffered: usize) -> bool {
        let syn = s.flags.has(TcpFlags::SYN);
        for (bit, kind) in [
            (TcpFlags::SYN, TcpEventKind::Syn),
            (TcpFlags::FIN, TcpEventKind::Fin),
            (TcpFlags::RST, TcpEventKind::Rst),
        ] {
            if s.flags.has(bit) {
                self.out.events.push(TcpEvent {
                    kind,
                    frame: s.frame,
                    timestamp: s.timestamp,
                    seq: s.seq,
                });
            }
        }
        let data_seq = if syn { s.seq.wrapping_add(1) } else { s.seq };
        if self.out.base_seq.is_none() {
            if s.data.is_empty() && !syn {
                // A bare ACK/FIN/RST sets no base: its seq may be stale or ahead.
                return false;
            }
            self.out.base_seq = Some(data_seq);
            self.from_syn = syn;
        }
        if s.data.is_empty() {
            return false;
        }
        let start = self.offset_of(data_seq);
        let len = s.data.len() as u64;
        if start < 0 && !self.from_syn && -start <= REBASE_WINDOW {
            let take = self.prepend(data_seq, start, s);
            let Some(rest) = s.data.get(take..).filter(|r| !r.is_empty()) else {
                return false;
            };
            // The rest starts where the stream used to start: read it as any other segment.
            #[allow(clippy::cast_possible_truncation)]
            let rest = Seg {
                seq: data_seq.wrapping_add(take as u32),
                flags: TcpFlags(TcpFlags::ACK),
                data: rest,
                frame: s.frame,
                span: s.span.as_ref().map(|r| r.start + take..r.end),
                timestamp: s.timestamp,
            };
            return self.segment(&rest, max_buffered);
        }
        let end = start + i128::from(len);
        let next = i128::from(self.next);
        if end <= next {
            self.out.retransmitted += len;
            return false;
        }
        // `end > next`, so fewer than `len` bytes are skipped and `from` >= `self.next`.
        let from = start.max(next);
        let skip = usize::try_from(from - start).unwrap_or(0);
        let Some(fresh) = s.data.get(skip..) else {
            return false;
        };
        self.out.retransmitted += skip as u64;
        let from = u64::try_from(from).unwrap_or(self.next);
        if from == self.next && self.pending.is_empty() {
            // In order, nothing waiting: the common case skips the buffer.
            let len = fresh.len() as u64;
            self.out.items.push(StreamItem::Data(Chunk {
                offset: from,
                data: fresh.to_vec(),
                frame: s.frame,
                span: s.span.as_ref().map(|r| r.start + skip..r.end),
                timestamp: s.timestamp,
            }));
            self.out.bytes += len;
            self.next += len;
            return false;
        }
        self.insert(
            from,
            fresh,
            s.frame,
            s.span.as_ref().map(|r| r.start + skip),
            s.timestamp,
        );
        self.drain();
        if self.buffered > max_buffered {
            self.out.over_limit = true;
            while self.buffered > max_buffered {
                self.skip_hole(GapReason::BufferLimit);
            }
            return true;
        }
        false
    }

    /// Puts the part of a segment that lies before offset 0 in front of the stream: offsets move
    /// up so that it starts at 0, and the bytes between it and the old start become a gap.
    /// Returns how many of the segment's bytes were used.
    fn prepend(&mut self, data_seq: u32, start: i128, s: &Seg<'_>) -> usize {
        let Ok(shift) = u64::try_from(-start) else {
            return 0;
        };
        for item in &mut self.out.items {
            match item {
                StreamItem::Data(c) => c.offset += shift,
                StreamItem::Gap(g) => g.offset += shift,
            }
        }
        self.pending = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(k, v)| (k + shift, v))
            .collect();
        self.next += shift;
        self.out.base_seq = Some(data_seq);
        let take = usize::try_from(shift).map_or(s.data.len(), |sh| sh.min(s.data.len()));
        let mut front = vec![StreamItem::Data(Chunk {
            offset: 0,
            data: s.data[..take].to_vec(),
            frame: s.frame,
            span: s.span.as_ref().map(|r| r.start..r.start + take),
            timestamp: s.timestamp,
        })];
        let taken = take as u64;
        if taken < shift {
            front.push(StreamItem::Gap(Gap {
                offset: taken,
                len: shift - taken,
                seq: self.seq_at(taken)..self.seq_at(shift),
                timestamp: s.timestamp,
                reason: GapReason::Missing,
            }));
            self.out.gap_bytes += shift - taken;
        }
        self.out.items.splice(0..0, front);
        self.out.bytes += taken;
        take
    }

    /// Inserts the bytes of `data` at `from` that are not already buffered (first wins).
    fn insert(
        &mut self,
        from: u64,
        data: &[u8],
        frame: u64,
        span_start: Option<usize>,
        timestamp: Option<Timestamp>,
    ) {
        let end = from + data.len() as u64;
        let mut pieces: Vec<Range<u64>> = Vec::new();
        let mut cursor = from;
        let before = self
            .pending
            .range(..from)
            .next_back()
            .map(|(a, p)| (*a, p.data.len() as u64));
        let within = self
            .pending
            .range(from..end)
            .map(|(a, p)| (*a, p.data.len() as u64));
        for (a, l) in before.into_iter().chain(within) {
            if a > cursor {
                pieces.push(cursor..a);
            }
            cursor = cursor.max(a + l);
        }
        if cursor < end {
            pieces.push(cursor..end);
        }
        let mut kept = 0u64;
        for piece in pieces {
            // Offsets are within `data`, whose length fits in usize.
            let lo = usize::try_from(piece.start - from).unwrap_or(0);
            let hi = usize::try_from(piece.end - from).unwrap_or(0);
            kept += piece.end - piece.start;
            self.buffered += hi - lo;
            self.pending.insert(
                piece.start,
                Pending {
                    data: data[lo..hi].to_vec(),
                    frame,
                    span: span_start.map(|at| at + lo..at + hi),
                    timestamp,
                },
            );
        }
        self.out.retransmitted += data.len() as u64 - kept;
    }

    /// Delivers the buffered pieces that start at the next expected byte.
    fn drain(&mut self) {
        while let Some(entry) = self.pending.first_entry() {
            if *entry.key() != self.next {
                break;
            }
            let p = entry.remove();
            self.buffered -= p.data.len();
            let len = p.data.len() as u64;
            self.out.items.push(StreamItem::Data(Chunk {
                offset: self.next,
                data: p.data,
                frame: p.frame,
                span: p.span,
                timestamp: p.timestamp,
            }));
            self.out.bytes += len;
            self.next += len;
        }
    }

    /// Records a gap up to the first buffered piece and delivers from there.
    fn skip_hole(&mut self, reason: GapReason) {
        let Some((&at, p)) = self.pending.first_key_value() else {
            return;
        };
        let len = at - self.next;
        self.out.items.push(StreamItem::Gap(Gap {
            offset: self.next,
            len,
            seq: self.seq_at(self.next)..self.seq_at(at),
            timestamp: p.timestamp,
            reason,
        }));
        self.out.gap_bytes += len;
        self.next = at;
        self.drain();
    }

    fn finish(mut self) -> HalfStream {
        while !self.pending.is_empty() {
            self.skip_hole(GapReason::Missing);
        }
        self.out
    }
}

struct ConnState {
    index: u64,
    client: SocketAddr,
    server: SocketAddr,
    rule: ClientRule,
    first_frame: u64,
    c2s: HalfState,
    s2c: HalfState,
}

/// Incremental TCP reassembler: push packets in capture order, then [`finish`](Self::finish).
#[derive(Default)]
pub struct TcpReassembler {
    limits: TcpLimits,
    by_key: HashMap<(SocketAddr, SocketAddr), usize>,
    conns: Vec<ConnState>,
    errors: Vec<TcpError>,
    summary: TcpSummary,
}

impl std::fmt::Debug for TcpReassembler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpReassembler")
            .field("limits", &self.limits)
            .field("connections", &self.conns.len())
            .finish_non_exhaustive()
    }
}

impl TcpReassembler {
    /// A reassembler with the given limits.
    pub fn new(limits: TcpLimits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Adds one packet; packets that are not TCP are ignored.
    pub fn push(&mut self, p: &Packet<'_>) {
        let Transport::Tcp {
            src_port,
            dst_port,
            seq,
            flags,
            ..
        } = p.transport
        else {
            return;
        };
        self.summary.segments += 1;
        let src = SocketAddr::new(p.src, src_port);
        let dst = SocketAddr::new(p.dst, dst_port);
        let key = if src <= dst { (src, dst) } else { (dst, src) };
        let syn_only = flags.has(TcpFlags::SYN) && !flags.has(TcpFlags::ACK);
        let reused = |c: &ConnState| {
            // A SYN with a new initial sequence number is a new connection on a reused port
            // pair, as in Wireshark; a retransmitted SYN keeps its number.
            syn_only
                && c.c2s.out.base_seq.is_some()
                && (src != c.client || c.c2s.out.base_seq != Some(seq.wrapping_add(1)))
        };
        let known = self
            .by_key
            .get(&key)
            .copied()
            .filter(|&i| !reused(&self.conns[i]));
        let idx = if let Some(i) = known {
            i
        } else {
            if self.conns.len() >= self.limits.max_flows {
                if self.summary.packets_over_flow_limit == 0 {
                    self.errors.push(TcpError::FlowLimit {
                        frame: p.frame,
                        max: self.limits.max_flows,
                    });
                }
                self.summary.packets_over_flow_limit += 1;
                return;
            }
            let (client, server, rule) = if flags.has(TcpFlags::SYN) && !flags.has(TcpFlags::ACK) {
                (src, dst, ClientRule::Syn)
            } else if flags.has(TcpFlags::SYN) {
                (dst, src, ClientRule::SynAck)
            } else if src_port > dst_port {
                (src, dst, ClientRule::LowerPort)
            } else if src_port < dst_port {
                (dst, src, ClientRule::LowerPort)
            } else {
                (src, dst, ClientRule::FirstSender)
            };
            let i = self.conns.len();
            self.conns.push(ConnState {
                index: i as u64,
                client,
                server,
                rule,
                first_frame: p.frame,
                c2s: HalfState::default(),
                s2c: HalfState::default(),
            });
            self.by_key.insert(key, i);
            i
        };
        let conn = &mut self.conns[idx];
        let (half, direction) = if src == conn.client {
            (&mut conn.c2s, FlowDirection::ClientToServer)
        } else {
            (&mut conn.s2c, FlowDirection::ServerToClient)
        };
        let seg = Seg {
            seq,
            flags,
            data: &p.payload,
            frame: p.frame,
            span: p.payload_span.clone(),
            timestamp: p.timestamp,
        };
        let was_over = half.out.over_limit;
        if half.segment(&seg, self.limits.max_buffered_bytes) && !was_over {
            self.summary.flows_over_buffer_limit += 1;
            self.errors.push(TcpError::BufferLimit {
                stream: conn.index,
                direction,
                frame: p.frame,
                max: self.limits.max_buffered_bytes,
            });
        }
    }

    /// Ends the capture: remaining holes become gaps, and the streams are returned.
    pub fn finish(self) -> TcpStreams {
        let mut summary = self.summary;
        let connections: Vec<Connection> = self
            .conns
            .into_iter()
            .map(|c| Connection {
                index: c.index,
                client: c.client,
                server: c.server,
                rule: c.rule,
                first_frame: c.first_frame,
                client_to_server: c.c2s.finish(),
                server_to_client: c.s2c.finish(),
            })
            .collect();
        summary.connections = connections.len() as u64;
        for h in connections
            .iter()
            .flat_map(|c| [&c.client_to_server, &c.server_to_client])
        {
            summary.bytes += h.bytes;
            summary.retransmitted += h.retransmitted;
            summary.gap_bytes += h.gap_bytes;
            summary.gaps += h.gaps().count() as u64;
        }
        TcpStreams {
            connections,
            errors: self.errors,
            summary,
        }
    }
}
