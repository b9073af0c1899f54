//! The native side of cwmp-inspector: `cwmpi serve` serves the built browser app (and, later, the
//! WebSocket relay to real devices and ACSs); `decode` and `lint` work on captures from the
//! command line.
//!
//! This is the only crate besides the app that does IO: sockets, files and the clock. The CWMP
//! logic it uses lives in the sans-IO crates.

pub mod csp;
pub mod decode;
pub mod serve;
