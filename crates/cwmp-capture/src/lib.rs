//! Turns what a support engineer has — a capture file or pasted text — into HTTP exchanges.
//!
//! This crate knows containers (pcap, pcapng), the network layers and HTTP/1.1, but not CWMP:
//! `cwmp-session` reads the bodies through `cwmp-codec`. It does no IO and never reads a clock,
//! so the same code runs in the browser and in the native `cwmpi` binary.
//!
//! The first step of every import is [`sniff`], which recognises the input's format from its
//! first bytes so that the right importer can be chosen without asking the user.

mod sniff;

pub use sniff::{ByteOrder, InputFormat, TimestampResolution, sniff};
