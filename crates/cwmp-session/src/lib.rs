//! CWMP sessions from HTTP exchanges: grouping by connection, cookie and Inform, pairing of each
//! request with its response, and rule checks that yield findings with their TR-069 section.
//!
//! Sans-IO: time is always a parameter, so analysis of a capture runs on capture time. Valid CWMP
//! that breaks a session rule is a finding, never an error.
