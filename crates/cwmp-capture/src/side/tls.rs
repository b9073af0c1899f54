//! Recognising a TLS handshake at the start of a TCP half-stream.

use super::be16;

/// Largest record body a TLS 1.2/1.3 peer may send for a plaintext record, such as the hellos
/// (RFC 8446 §5.1).
const MAX_RECORD_LEN: usize = 1 << 14;

/// Extension type of server_name (RFC 6066 §3).
const SERVER_NAME: u16 = 0;

/// Extension type of supported_versions (RFC 8446 §4.2.1).
const SUPPORTED_VERSIONS: u16 = 43;

/// Which hello opens the half-stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TlsHelloKind {
    /// A ClientHello in a TLS record: the CPE (or ACS, for a connection request) opening TLS.
    ClientHello,
    /// A ServerHello: the answering side of the same handshake.
    ServerHello,
    /// A ClientHello in the SSL 2.0 record format that old clients used to reach SSLv3/TLS
    /// servers (RFC 5246 Appendix E.2).
    Sslv2ClientHello,
}

/// A TLS handshake recognised from the first bytes of a TCP half-stream.
///
/// Fields other than [`kind`](Self::kind) and [`record_version`](Self::record_version) are
/// filled from the hello body as far as the bytes go: a record cut short still yields what it
/// holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsHandshake {
    /// The hello that was seen.
    pub kind: TlsHelloKind,
    /// The record layer's legacy version, such as `0x0301` for TLS 1.0; `0x0002` for the SSL 2.0
    /// record format.
    pub record_version: u16,
    /// The (legacy) version in the hello body, when the bytes are present.
    pub hello_version: Option<u16>,
    /// The host name from the ClientHello's server_name extension (RFC 6066 §3), when present and
    /// printable ASCII.
    pub server_name: Option<String>,
    /// From the supported_versions extension (RFC 8446 §4.2.1): the versions a ClientHello offers
    /// in its order, without GREASE values, or the single version a ServerHello selects.
    pub supported_versions: Vec<u16>,
}

impl TlsHandshake {
    /// The text shown to the user, for example `encrypted: TLS handshake seen; CWMP cannot be
    /// read without keys (ClientHello, TLS 1.2 record, SNI acs.example.com)`.
    ///
    /// The hello version is listed only when it differs from the record version; the
    /// supported versions as `offers TLS 1.3/TLS 1.2` or `selects TLS 1.3`.
    pub fn message(&self) -> String {
        let mut details = vec![
            match self.kind {
                TlsHelloKind::ClientHello => "ClientHello".to_owned(),
                TlsHelloKind::ServerHello => "ServerHello".to_owned(),
                TlsHelloKind::Sslv2ClientHello => "SSLv2-compatible ClientHello".to_owned(),
            },
            format!("{} record", version_name(self.record_version)),
        ];
        if let Some(version) = self.hello_version
            && version != self.record_version
        {
            details.push(format!("{} hello", version_name(version)));
        }
        if let Some(name) = &self.server_name {
            details.push(format!("SNI {name}"));
        }
        if !self.supported_versions.is_empty() {
            let versions: Vec<String> = self
                .supported_versions
                .iter()
                .map(|&version| version_name(version))
                .collect();
            let verb = match self.kind {
                TlsHelloKind::ServerHello => "selects",
                _ => "offers",
            };
            details.push(format!("{verb} {}", versions.join("/")));
        }
        format!(
            "encrypted: TLS handshake seen; CWMP cannot be read without keys ({})",
            details.join(", ")
        )
    }
}

impl TlsHandshake {
    /// The protocol version this hello settles on (a ServerHello: supported_versions, else its
    /// hello version) or the highest it offers (a ClientHello), such as `TLS 1.3`.
    pub fn version(&self) -> String {
        let listed = match self.kind {
            TlsHelloKind::ServerHello => self.supported_versions.first().copied(),
            _ => self.supported_versions.iter().copied().max(),
        };
        version_name(listed.or(self.hello_version).unwrap_or(self.record_version))
    }
}

/// Recognises a TLS ClientHello or ServerHello at the start of a TCP half-stream.
///
/// A TLS record is recognised from its 5-byte header (content type 22, handshake; version 3.0
/// to 3.4; a plausible length) and the handshake type after it, so a record cut after 6 bytes
/// is still detected. The SSL 2.0-format ClientHello is recognised from its 5 first bytes.
/// Returns `None` for anything else, such as plain HTTP.
pub fn detect_tls(first_bytes: &[u8]) -> Option<TlsHandshake> {
    match *first_bytes.first()? {
        0x16 => detect_record(first_bytes),
        byte if byte & 0x80 != 0 => detect_sslv2(first_bytes),
        _ => None,
    }
}

/// A TLS handshake record carrying a ClientHello or ServerHello.
fn detect_record(bytes: &[u8]) -> Option<TlsHandshake> {
    let record_version = be16(bytes, 1)?;
    let record_len = usize::from(be16(bytes, 3)?);
    if !(0x0300..=0x0304).contains(&record_version) || !(4..=MAX_RECORD_LEN).contains(&record_len) {
        return None;
    }
    let kind = match bytes.get(5)? {
        1 => TlsHelloKind::ClientHello,
        2 => TlsHelloKind::ServerHello,
        _ => return None,
    };
    let mut handshake = TlsHandshake {
        kind,
        record_version,
        hello_version: None,
        server_name: None,
        supported_versions: Vec::new(),
    };
    // The hello is read only within this record, and as far as the bytes go.
    let record = bytes.get(5..).unwrap_or_default();
    let record = record.get(..record_len).unwrap_or(record);
    read_hello(record, &mut handshake);
    Some(handshake)
}

/// Reads the hello body after the 4-byte handshake header, filling what the bytes allow.
fn read_hello(record: &[u8], handshake: &mut TlsHandshake) -> Option<()> {
    let mut header = Reader(record);
    header.skip(1)?; // handshake type, already read
    let length: [u8; 3] = header.take(3)?.try_into().ok()?;
    let hello_len =
        usize::try_from(u32::from_be_bytes([0, length[0], length[1], length[2]])).ok()?;
    let body = header.0;
    let mut hello = Reader(body.get(..hello_len).unwrap_or(body));
    handshake.hello_version = Some(hello.u16()?);
    hello.skip(32)?; // random
    let session_id = usize::from(hello.u8()?);
    hello.skip(session_id)?;
    if handshake.kind == TlsHelloKind::ClientHello {
        let suites = usize::from(hello.u16()?);
        hello.skip(suites)?;
        let methods = usize::from(hello.u8()?);
        hello.skip(methods)?;
    } else {
        hello.skip(3)?; // cipher suite, compression method
    }
    let extensions_len = usize::from(hello.u16()?);
    let mut extensions = Reader(hello.take(extensions_len).unwrap_or(hello.0));
    while let (Some(kind), Some(len)) = (extensions.u16(), extensions.u16()) {
        let data = extensions.take(usize::from(len))?;
        match (kind, handshake.kind) {
            (SERVER_NAME, TlsHelloKind::ClientHello) => {
                handshake.server_name = server_name(data);
            }
            (SUPPORTED_VERSIONS, TlsHelloKind::ClientHello) => {
                let mut list = Reader(data);
                let list_len = usize::from(list.u8()?);
                let mut versions = Reader(list.take(list_len)?);
                while let Some(version) = versions.u16() {
                    if !is_grease(version) {
                        handshake.supported_versions.push(version);
                    }
                }
            }
            (SUPPORTED_VERSIONS, _) => {
                handshake.supported_versions = Reader(data).u16().into_iter().collect();
            }
            _ => {}
        }
    }
    Some(())
}

/// The first host_name in a server_name extension, if it is printable ASCII.
fn server_name(data: &[u8]) -> Option<String> {
    let mut extension = Reader(data);
    let list_len = usize::from(extension.u16()?);
    let mut list = Reader(extension.take(list_len)?);
    while let Some(name_type) = list.u8() {
        let len = usize::from(list.u16()?);
        let name = list.take(len)?;
        if name_type == 0 {
            // Anything but a printable host name would be shown to the user as is; refuse it.
            return (!name.is_empty() && name.iter().all(u8::is_ascii_graphic))
                .then(|| String::from_utf8_lossy(name).into_owned());
        }
    }
    None
}

/// An SSL 2.0-format ClientHello: 2-byte length with the high bit set, message type 1, then the
/// version offered (RFC 5246 Appendix E.2).
fn detect_sslv2(bytes: &[u8]) -> Option<TlsHandshake> {
    let len = usize::from(be16(bytes, 0)? & 0x7FFF);
    let version = be16(bytes, 3)?;
    // Type, version, and the three lengths of cipher specs, session id and challenge.
    let plausible_version = version == 0x0002 || (0x0300..=0x0304).contains(&version);
    if *bytes.get(2)? != 1 || !plausible_version || len < 9 {
        return None;
    }
    Some(TlsHandshake {
        kind: TlsHelloKind::Sslv2ClientHello,
        record_version: 0x0002,
        hello_version: Some(version),
        server_name: None,
        supported_versions: Vec::new(),
    })
}

/// GREASE values (RFC 8701) are sent to keep servers tolerant and mean nothing.
fn is_grease(value: u16) -> bool {
    value & 0x0F0F == 0x0A0A && value >> 8 == value & 0xFF
}

/// A protocol version as people know it: `SSL 3.0`, `TLS 1.2`, or `version 0x7f1c`.
fn version_name(version: u16) -> String {
    match version {
        0x0002 => "SSL 2.0".to_owned(),
        0x0300 => "SSL 3.0".to_owned(),
        0x0301 => "TLS 1.0".to_owned(),
        0x0302 => "TLS 1.1".to_owned(),
        0x0303 => "TLS 1.2".to_owned(),
        0x0304 => "TLS 1.3".to_owned(),
        other => format!("version {other:#06x}"),
    }
}

/// A cursor over bytes that returns `None` instead of reading past the end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(taken)
    }

    fn skip(&mut self, len: usize) -> Option<()> {
        self.take(len).map(|_| ())
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    fn u16(&mut self) -> Option<u16> {
        be16(self.take(2)?, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grease() {
        assert!(is_grease(0x0A0A) && is_grease(0xFAFA));
        assert!(!is_grease(0x0304) && !is_grease(0x0A1A));
    }

    #[test]
    fn version_names() {
        assert_eq!(version_name(0x0303), "TLS 1.2");
        assert_eq!(version_name(0x7F1C), "version 0x7f1c");
    }
}
