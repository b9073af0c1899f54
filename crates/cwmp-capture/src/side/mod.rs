//! The traffic around CWMP sessions that is not CWMP itself: what a support engineer sees next to
//! the HTTP exchanges and needs named.
//!
//! - [`decode_udp_connection_request`] reads the HTTP-over-UDP connection request an ACS sends to
//!   a CPE behind NAT (TR-069 Annex G).
//! - [`decode_stun`] reads the STUN messages (RFC 5389 and classic RFC 3489) with which that CPE
//!   keeps its NAT binding open and announces it (TR-111 Part 2 §2.2).
//! - [`detect_tls`] recognises a TLS handshake at the start of a TCP half-stream, so the user is
//!   told that the session is encrypted rather than shown noise.
//!
//! All three take payload bytes already extracted from UDP or TCP and never panic on any input.
//! For a UDP payload, try [`decode_udp_connection_request`] first: it returns `None` on anything
//! that is not an HTTP request, and [`decode_stun`] can then be tried.

mod stun;
mod tls;
mod udp_connreq;

pub use stun::{
    MAGIC_COOKIE, StunAttribute, StunClass, StunMessage, TR111_BINDING_VALUE, decode_stun,
};
pub use tls::{TlsHandshake, TlsHelloKind, detect_tls};
pub use udp_connreq::{UdpConnectionRequest, decode_udp_connection_request};

/// The big-endian `u16` at `at`, if the bytes are there.
fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    let pair: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_be_bytes(pair))
}

/// The big-endian `u32` at `at`, if the bytes are there.
fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let quad: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(quad))
}
