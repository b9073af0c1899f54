//! Reference knowledge: event codes, fault codes, file types and notification values, each with
//! its meaning and the protocol version that introduced it.
