//! The CWMP (TR-069) message model: SOAP envelopes, headers and every RPC of `cwmp-1-0` to
//! `cwmp-1-4`, with lossless, tolerant decoding and canonical encoding.
//!
//! Pure Rust without IO: it builds unchanged for `wasm32-unknown-unknown` and the host.
//! Everything else in the product reads CWMP through this crate. Decoding matches elements on
//! namespace URI plus local name, never on prefixes; every decoded node keeps its byte span into
//! the input, and what cannot be modelled is kept raw rather than dropped.

mod checks;
mod decode;
mod diagnostic;
mod encode;
mod error;
mod fields;
pub mod model;
mod namespace;
pub mod reference;
mod span;
pub mod value;
mod xml;

pub use decode::{Decoded, decode, decode_with_limits};
pub use diagnostic::{Diagnostic, DiagnosticCode, Severity};
pub use encode::{EncodeOptions, Encoder, encode, encode_envelope};
pub use error::DecodeError;
pub use fields::{ParameterValue, Scalar, ScalarValue, Text};
pub use model::{Body, Envelope, Header, HeaderField, Message, Rpc};
pub use namespace::{CwmpNamespace, CwmpVersion, SOAP_ENC, SOAP_ENV, SOAP12_ENV, XSD, XSI};
pub use span::Span;
pub use xml::{Limits, Ns, XmlAttribute, XmlElement};
