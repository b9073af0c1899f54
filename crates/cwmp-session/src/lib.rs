//! CWMP sessions from HTTP exchanges: grouping by connection, cookie and Inform, pairing of each
//! request with its response, and rule checks that yield findings with their TR-069 section.
//!
//! Sans-IO: time is always a parameter, so analysis of a capture runs on capture time. Valid CWMP
//! that breaks a session rule is a finding, never an error.
//!
//! [`analyse`] takes any input `cwmp-capture` reads and returns a [`Capture`]: devices, sessions
//! with their messages in wire order, connection requests, findings and the import summary. Its
//! JSON form ([`Capture::to_json`]) is the contract `cwmpi decode --json` prints.

mod analyse;
pub mod auth;
mod link;
mod lint;
pub mod machine;
pub mod model;
pub mod share;

pub use analyse::{
    AnalyseOptions, DecodedExchange, analyse, analyse_decoded_with, analyse_import,
    analyse_import_with, decode_exchanges,
};
pub use auth::{
    AuthMismatch, AuthScheme, AuthStep, AuthVerdict, check_connection_request, check_http_auth,
    check_udp_signature,
};
pub use lint::{RULES, RuleInfo, lint, rule_info};
pub use machine::{Expected, Observed, SessionMachine, State, Step, Violation, replay};
pub use model::{
    Capture, ConnectionRequestView, Device, Direction, FORMAT, Finding, Message, MessageKind,
    MessageRef, MessageSummary, Session, SessionEnd, Severity, TlsConnectionView,
    UdpConnectionRequestView, VERSION, rfc3339,
};
