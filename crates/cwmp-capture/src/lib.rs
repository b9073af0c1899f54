//! Turns what a support engineer has — a capture file or pasted text — into HTTP exchanges.
//!
//! This crate knows containers (pcap, pcapng), the network layers and HTTP/1.1, but not CWMP:
//! `cwmp-session` reads the bodies through `cwmp-codec`. It does no IO and never reads a clock,
//! so the same code runs in the browser and in the native `cwmpi` binary.
//!
//! Most callers want one function: [`import`] recognises the input's format with [`sniff`] and
//! returns an [`Import`]: HTTP exchanges in time order, connection requests, UDP connection
//! requests and STUN, TLS and other non-HTTP streams, every problem located, and an
//! [`ImportSummary`] that counts everything that was and was not read.
//!
//! Captures go through these steps, all on bytes already in memory:
//!
//! - [`read_frames`] reads a classic pcap (µs or ns, either byte order, and the "modified"
//!   format of old Red Hat tcpdump) or pcapng (several
//!   sections and interfaces; EPB, SPB and the obsolete OPB; `if_tsresol` in both its forms)
//!   into [`Frame`]s, each with its number, [`Timestamp`], interface, [`LinkType`], lengths and
//!   byte span. A broken file yields every frame before the damage plus a [`CaptureError`].
//! - [`decode_capture`] decodes each frame's link layer (Ethernet with 802.1Q/QinQ, Linux SLL
//!   and SLL2, raw IP, BSD NULL/LOOP), IPv4/IPv6, and TCP/UDP into [`Packet`]s, reassembles
//!   IPv4 fragments (first wins on overlap, bounded by [`FragmentLimits`]) and counts what was
//!   and was not read in a [`Summary`].
//! - [`reassemble_tcp`] groups the TCP packets into [`Connection`]s (numbered as Wireshark's
//!   `tcp.stream`) and reassembles each direction into ordered [`Chunk`]s and [`Gap`]s, first
//!   copy winning on overlap, bounded by [`TcpLimits`], counted in a [`TcpSummary`].
//! - [`parse_connection`] reads each connection's two halves as HTTP/1.1 ([`parse_stream`] over
//!   a [`ByteStream`]) and pairs requests with responses into [`HttpExchange`]s; gaps cost only
//!   the bytes they hide where the framing allows, and parsing resumes at the next message.
//! - [`connection_requests`] gathers the ACS's GETs to the CPE, challenge and retry, into
//!   [`ConnectionRequest`]s; UDP datagrams are tried as Annex G connection requests
//!   ([`decode_udp_connection_request`]) and STUN ([`decode_stun`]); [`detect_tls`] reports
//!   encrypted connections instead of skipping them.

mod connreq;
mod defrag;
mod frames;
mod http;
mod import;
mod layers;
mod side;
mod sniff;
mod tcp;
mod text;

pub use connreq::{
    AuthParams, ConnectionRequest, ConnectionRequestAttempt, ConnectionRequestOutcome,
    connection_requests, mark_resets,
};
pub use defrag::{Defragmenter, Fragment, FragmentError, FragmentLimits, Reassembled};
pub use frames::{
    CaptureError, Container, Frame, Frames, LinkType, MAX_BLOCK_LEN, Timestamp, read_frames,
};
pub use http::{
    BodyFraming, ByteStream, ConnectionHttp, HeaderField, HttpError, HttpErrorKind, HttpExchange,
    HttpMessage, MAX_HEADERS, MAX_INFLATED_BODY, ParsedStream, Role, StartLine,
    looks_like_request_line, looks_like_status_line, pair, parse_connection, parse_halves,
    parse_stream,
};
pub use import::{
    Datagram, EncryptedStream, FailedConnection, Import, ImportError, ImportSummary, Location,
    OpaqueStream, import, import_capture, import_owned, import_text,
};
pub use layers::{
    Decoded, FrameLayers, LayerStop, Packet, Summary, TcpFlags, Transport, decode_capture,
    decode_capture_with, decode_frame,
};
pub use side::{
    MAGIC_COOKIE, StunAttribute, StunClass, StunMessage, TR111_BINDING_VALUE, TlsHandshake,
    TlsHelloKind, UdpConnectionRequest, decode_stun, decode_udp_connection_request, detect_tls,
};
pub use sniff::{ByteOrder, InputFormat, TimestampResolution, sniff};
pub use tcp::{
    Chunk, ClientRule, Connection, FlowDirection, Gap, GapReason, HalfStream, StreamItem, TcpError,
    TcpEvent, TcpEventKind, TcpLimits, TcpReassembler, TcpStreams, TcpSummary, reassemble_tcp,
    reassemble_tcp_with,
};
pub use text::{TextFormat, detect_text, parse_rfc3339};
