//! The CWMP (TR-069) message model: SOAP envelopes, headers and every RPC of `cwmp-1-0` to
//! `cwmp-1-4`, with lossless, tolerant decoding and canonical encoding.
//!
//! Pure Rust without IO: it builds unchanged for `wasm32-unknown-unknown` and the host.
//! Everything else in the product reads CWMP through this crate. Decoding matches elements on
//! namespace URI plus local name, never on prefixes; every decoded node keeps its byte span into
//! the input, and what cannot be modelled is kept raw rather than dropped.
