//! The CWMP (TR-069) message model: SOAP envelopes, headers and every RPC of `cwmp-1-0` to
//! `cwmp-1-4`, with lossless, tolerant decoding and canonical encoding.
//!
//! Pure Rust without IO: it builds unchanged for `wasm32-unknown-unknown` and the host.
//! Everything else in the product reads CWMP through this crate. Decoding matches elements on
//! namespace URI plus local name, never on prefixes; every decoded node keeps its byte span into
//! the input, and what cannot be modelled is kept raw rather than dropped.
//!
//! ```
//! use cwmp_codec::{Body, EncodeOptions, Message, Rpc, decode, encode};
//!
//! let input = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"
//!     xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><s:Header>
//!     <cwmp:ID s:mustUnderstand="true">null</cwmp:ID></s:Header>
//!     <s:Body><cwmp:Reboot><CommandKey>maintenance</CommandKey></cwmp:Reboot></s:Body>
//!     </s:Envelope>"#;
//! let decoded = decode(input)?;
//! // Tolerated quirks come back as diagnostics with stable codes and byte spans.
//! let codes: Vec<&str> = decoded.diagnostics.iter().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, ["must-understand-spelling", "null-id"]);
//! let Message::Envelope(envelope) = &decoded.message else { unreachable!() };
//! let Body::Rpc(Rpc::Reboot(reboot)) = &envelope.body else { unreachable!() };
//! let key = reboot.command_key.as_ref().unwrap();
//! assert_eq!(&input[key.span.start..key.span.end], b"maintenance");
//! // Canonical encoding, here in the 1.2-1.4 namespace.
//! let xml = encode(&decoded.message, &EncodeOptions::default());
//! assert!(xml.contains("<cwmp:Reboot><CommandKey>maintenance</CommandKey></cwmp:Reboot>"));
//! # Ok::<(), cwmp_codec::DecodeError>(())
//! ```

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

pub use decode::{Decoded, decode, decode_with_limits, parse_tree};
pub use diagnostic::{Diagnostic, DiagnosticCode, Severity};
pub use encode::{EncodeOptions, Encoder, encode, encode_envelope};
pub use error::DecodeError;
pub use fields::{ParameterValue, Scalar, ScalarValue, Text};
pub use model::{Body, Envelope, Header, HeaderField, Message, Rpc};
pub use namespace::{CwmpNamespace, CwmpVersion, SOAP_ENC, SOAP_ENV, SOAP12_ENV, XSD, XSI};
pub use span::Span;
pub use xml::{Limits, Ns, XmlAttribute, XmlElement};
