//! STUN messages (RFC 5389, classic RFC 3489) with the TR-111 Part 2 attributes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::{be16, be32};

/// The fixed value in bytes 4–7 of every RFC 5389 message; a classic RFC 3489 message has
/// transaction id bytes there instead (RFC 5389 §6).
pub const MAGIC_COOKIE: u32 = 0x2112_A442;

/// The value TR-111 Part 2 §2.2 requires in CONNECTION-REQUEST-BINDING (note the trailing
/// space, which pads it to 20 bytes).
pub const TR111_BINDING_VALUE: &str = "dslforum.org/TR-111 ";

/// Length of the STUN header.
const HEADER_LEN: usize = 20;

/// Message types RFC 3489 defines (Binding and Shared Secret requests and responses); a message
/// without the magic cookie is only taken for STUN with one of these.
const CLASSIC_TYPES: [u16; 6] = [0x0001, 0x0101, 0x0111, 0x0002, 0x0102, 0x0112];

/// The class of a STUN message, from bits C1 and C0 of its type (RFC 5389 §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StunClass {
    /// A request, such as the Binding Request (type `0x0001`).
    Request,
    /// An indication (type `0x0011` for Binding), which expects no response.
    Indication,
    /// A success response (type `0x0101` for Binding).
    SuccessResponse,
    /// An error response (type `0x0111` for Binding).
    ErrorResponse,
}

/// One decoded STUN message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StunMessage {
    /// The message class.
    pub class: StunClass,
    /// The method, with the class bits removed: `0x001` is Binding, `0x002` the classic Shared
    /// Secret; other values are kept as numbers.
    pub method: u16,
    /// True for a classic RFC 3489 message, which lacks the magic cookie.
    pub classic: bool,
    /// The transaction id: 12 bytes (96 bits) after the magic cookie, or 16 bytes (128 bits) for
    /// a classic message.
    pub transaction_id: Vec<u8>,
    /// The attributes in message order, including those that did not decode.
    pub attributes: Vec<StunAttribute>,
    /// Human-readable problems (truncation, malformed attributes, TR-111 departures), each with
    /// the byte offset in the payload where it applies; empty for a well-formed message.
    pub problems: Vec<String>,
}

/// One STUN attribute (RFC 5389 §15, RFC 3489 §11.2, TR-111 Part 2 §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StunAttribute {
    /// MAPPED-ADDRESS (`0x0001`): the source address the server saw.
    MappedAddress(SocketAddr),
    /// RESPONSE-ADDRESS (`0x0002`, RFC 3489 only): where the response should be sent.
    ResponseAddress(SocketAddr),
    /// CHANGE-REQUEST (`0x0003`, RFC 3489 only): asks the server to answer from another IP
    /// and/or port. TR-111 CPEs use it to discover the binding timeout.
    ChangeRequest {
        /// The "change IP" flag.
        change_ip: bool,
        /// The "change port" flag.
        change_port: bool,
    },
    /// SOURCE-ADDRESS (`0x0004`, RFC 3489 only): the address the response was sent from.
    SourceAddress(SocketAddr),
    /// CHANGED-ADDRESS (`0x0005`, RFC 3489 only): the address a CHANGE-REQUEST answer comes from.
    ChangedAddress(SocketAddr),
    /// USERNAME (`0x0006`). A TR-111 CPE sends its STUNUsername here so that the ACS can tie the
    /// binding to the device.
    Username(String),
    /// MESSAGE-INTEGRITY (`0x0008`): an HMAC-SHA1, decoded but not verified.
    MessageIntegrity([u8; 20]),
    /// ERROR-CODE (`0x0009`): class × 100 + number, and the reason phrase.
    ErrorCode {
        /// The error code, for example 401.
        code: u16,
        /// The reason phrase.
        reason: String,
    },
    /// UNKNOWN-ATTRIBUTES (`0x000A`): the attribute types a server did not understand.
    UnknownAttributes(Vec<u16>),
    /// XOR-MAPPED-ADDRESS (`0x0020`, and `0x8020` used by pre-RFC 5389 drafts), with the XOR
    /// already undone.
    XorMappedAddress(SocketAddr),
    /// SOFTWARE (`0x8022`): the agent's name and version.
    Software(String),
    /// FINGERPRINT (`0x8028`): CRC-32 of the message XOR `0x5354554E`, decoded but not verified.
    Fingerprint(u32),
    /// CONNECTION-REQUEST-BINDING (`0xC001`, TR-111 Part 2 §2.2): marks a Binding Request that
    /// announces the CPE's binding for UDP connection requests. The value should equal
    /// [`TR111_BINDING_VALUE`].
    ConnectionRequestBinding(String),
    /// BINDING-CHANGE (`0xC002`, TR-111 Part 2 §2.2): the binding changed since the last
    /// announcement.
    BindingChange,
    /// A known attribute whose value did not decode; the reason is in
    /// [`StunMessage::problems`].
    Malformed {
        /// The attribute type.
        kind: u16,
        /// The raw value, without padding.
        value: Vec<u8>,
    },
    /// An attribute this decoder does not know.
    Unknown {
        /// The attribute type.
        kind: u16,
        /// The raw value, without padding.
        value: Vec<u8>,
    },
}

impl StunAttribute {
    /// The attribute type as on the wire; `0x0020` for either XOR-MAPPED-ADDRESS.
    pub fn kind(&self) -> u16 {
        match self {
            Self::MappedAddress(_) => 0x0001,
            Self::ResponseAddress(_) => 0x0002,
            Self::ChangeRequest { .. } => 0x0003,
            Self::SourceAddress(_) => 0x0004,
            Self::ChangedAddress(_) => 0x0005,
            Self::Username(_) => 0x0006,
            Self::MessageIntegrity(_) => 0x0008,
            Self::ErrorCode { .. } => 0x0009,
            Self::UnknownAttributes(_) => 0x000A,
            Self::XorMappedAddress(_) => 0x0020,
            Self::Software(_) => 0x8022,
            Self::Fingerprint(_) => 0x8028,
            Self::ConnectionRequestBinding(_) => 0xC001,
            Self::BindingChange => 0xC002,
            Self::Malformed { kind, .. } | Self::Unknown { kind, .. } => *kind,
        }
    }

    /// The attribute's name as the RFCs spell it, such as `XOR-MAPPED-ADDRESS`, or `None` for an
    /// unknown type.
    pub fn name(&self) -> Option<&'static str> {
        attribute_name(self.kind())
    }
}

impl StunMessage {
    /// True for a TR-111 binding announcement: a Binding Request carrying
    /// CONNECTION-REQUEST-BINDING (TR-111 Part 2 §2.2), which tells the ACS the address to send
    /// UDP connection requests to.
    pub fn is_tr111_binding(&self) -> bool {
        self.class == StunClass::Request
            && self.method == 0x001
            && self
                .attributes
                .iter()
                .any(|attribute| matches!(attribute, StunAttribute::ConnectionRequestBinding(_)))
    }

    /// The reflexive address a response reports: XOR-MAPPED-ADDRESS when present, else
    /// MAPPED-ADDRESS.
    pub fn mapped_address(&self) -> Option<SocketAddr> {
        let find = |xor: bool| {
            self.attributes
                .iter()
                .find_map(|attribute| match attribute {
                    StunAttribute::XorMappedAddress(address) if xor => Some(*address),
                    StunAttribute::MappedAddress(address) if !xor => Some(*address),
                    _ => None,
                })
        };
        find(true).or_else(|| find(false))
    }
}

/// Decodes a UDP payload as a STUN message.
///
/// Returns `None` when the payload is clearly not STUN: shorter than the 20-byte header, with
/// either of the first two bits set, a length that is not a multiple of 4 or shorter than the
/// datagram, or — without the magic cookie — a type RFC 3489 does not define. A datagram shorter
/// than its header announces is decoded up to the cut, with the truncation in
/// [`problems`](StunMessage::problems); so are garbled attributes, keeping those before them.
pub fn decode_stun(payload: &[u8]) -> Option<StunMessage> {
    let header = payload.get(..HEADER_LEN)?;
    let kind = be16(header, 0)?;
    let declared = usize::from(be16(header, 2)?);
    let classic = be32(header, 4)? != MAGIC_COOKIE;
    let present = payload.len() - HEADER_LEN;
    if kind & 0xC000 != 0
        || !declared.is_multiple_of(4)
        || present > declared
        || (classic && !CLASSIC_TYPES.contains(&kind))
    {
        return None;
    }
    let class = match kind & 0x0110 {
        0x0000 => StunClass::Request,
        0x0010 => StunClass::Indication,
        0x0100 => StunClass::SuccessResponse,
        _ => StunClass::ErrorResponse,
    };
    // The class bits C0 and C1 sit between the method's bits (RFC 5389 §6, figure 3).
    let method = (kind & 0x000F) | ((kind & 0x00E0) >> 1) | ((kind & 0x3E00) >> 2);
    let transaction_id = header.get(if classic { 4 } else { 8 }..)?.to_vec();
    let mut message = StunMessage {
        class,
        method,
        classic,
        transaction_id,
        attributes: Vec::new(),
        problems: Vec::new(),
    };
    if present < declared {
        message.problems.push(format!(
            "message is cut: its header announces {declared} bytes of attributes, only {present} \
             are present"
        ));
    }
    // Bytes 4–19 are the XOR key: cookie then transaction id in RFC 5389, and the 128-bit
    // transaction id of the pre-RFC 5389 drafts that introduced 0x8020.
    let xor_key: [u8; 16] = header.get(4..)?.try_into().ok()?;
    decode_attributes(payload, &xor_key, &mut message);
    Some(message)
}

/// Decodes the attributes after the header into `message`, stopping at the first one that is cut.
fn decode_attributes(payload: &[u8], xor_key: &[u8; 16], message: &mut StunMessage) {
    let mut offset = HEADER_LEN;
    let mut seen_integrity = false;
    let mut seen_fingerprint = false;
    while offset < payload.len() {
        let (Some(kind), Some(len)) = (be16(payload, offset), be16(payload, offset + 2)) else {
            message.problems.push(format!(
                "attribute header at byte offset {offset} is cut after {} bytes",
                payload.len() - offset
            ));
            return;
        };
        let len = usize::from(len);
        let start = offset + 4;
        let Some(value) = payload.get(start..start + len) else {
            message.problems.push(format!(
                "{} at byte offset {offset} announces {len} bytes of value, only {} are present",
                describe(kind),
                payload.len() - start
            ));
            return;
        };
        if message.classic && !len.is_multiple_of(4) {
            message.problems.push(format!(
                "{} at byte offset {offset} is {len} bytes long, not a multiple of 4 as RFC 3489 \
                 requires; padding was assumed",
                describe(kind)
            ));
        }
        if seen_fingerprint {
            message.problems.push(format!(
                "{} at byte offset {offset} follows FINGERPRINT, which must be last (RFC 5389 \
                 §15.5)",
                describe(kind)
            ));
        } else if seen_integrity && kind != 0x8028 {
            message.problems.push(format!(
                "{} at byte offset {offset} follows MESSAGE-INTEGRITY, so receivers ignore it \
                 (RFC 5389 §15.4)",
                describe(kind)
            ));
        }
        seen_integrity |= kind == 0x0008;
        seen_fingerprint |= kind == 0x8028;
        let attribute = match decode_attribute(kind, value, xor_key) {
            Ok((attribute, None)) => attribute,
            Ok((attribute, Some(problem))) => {
                message.problems.push(format!(
                    "{} at byte offset {offset}: {problem}",
                    describe(kind)
                ));
                attribute
            }
            Err(problem) => {
                message.problems.push(format!(
                    "{} at byte offset {offset}: {problem}",
                    describe(kind)
                ));
                StunAttribute::Malformed {
                    kind,
                    value: value.to_vec(),
                }
            }
        };
        message.attributes.push(attribute);
        // Padding past the end can only mean the datagram is cut, which is already reported.
        offset = start + len.next_multiple_of(4);
    }
}

/// Decodes one attribute value: the attribute with an optional remark, or why it is malformed.
fn decode_attribute(
    kind: u16,
    value: &[u8],
    xor_key: &[u8; 16],
) -> Result<(StunAttribute, Option<String>), String> {
    let plain = |attribute| Ok((attribute, None));
    match kind {
        0x0001 => plain(StunAttribute::MappedAddress(address(value, None)?)),
        0x0002 => plain(StunAttribute::ResponseAddress(address(value, None)?)),
        0x0003 => {
            let flags = be32(value, 0)
                .filter(|_| value.len() == 4)
                .ok_or_else(|| format!("value is {} bytes, CHANGE-REQUEST has 4", value.len()))?;
            plain(StunAttribute::ChangeRequest {
                change_ip: flags & 0x4 != 0,
                change_port: flags & 0x2 != 0,
            })
        }
        0x0004 => plain(StunAttribute::SourceAddress(address(value, None)?)),
        0x0005 => plain(StunAttribute::ChangedAddress(address(value, None)?)),
        0x0006 => {
            let (name, remark) = text(value);
            Ok((StunAttribute::Username(name), remark))
        }
        0x0008 => {
            let hmac = value
                .try_into()
                .map_err(|_| format!("value is {} bytes, an HMAC-SHA1 has 20", value.len()))?;
            plain(StunAttribute::MessageIntegrity(hmac))
        }
        0x0009 => error_code(value),
        0x000A => {
            if !value.len().is_multiple_of(2) {
                return Err(format!(
                    "value is {} bytes, not a list of 16-bit types",
                    value.len()
                ));
            }
            let kinds = value
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            plain(StunAttribute::UnknownAttributes(kinds))
        }
        0x0020 | 0x8020 => plain(StunAttribute::XorMappedAddress(address(
            value,
            Some(xor_key),
        )?)),
        0x8022 => {
            let (software, remark) = text(value);
            Ok((StunAttribute::Software(software), remark))
        }
        0x8028 => {
            let crc = be32(value, 0)
                .filter(|_| value.len() == 4)
                .ok_or_else(|| format!("value is {} bytes, FINGERPRINT has 4", value.len()))?;
            plain(StunAttribute::Fingerprint(crc))
        }
        0xC001 => {
            let (binding, remark) = text(value);
            let remark = remark.or_else(|| {
                (binding != TR111_BINDING_VALUE).then(|| {
                    format!("value is {binding:?}, TR-111 requires {TR111_BINDING_VALUE:?}")
                })
            });
            Ok((StunAttribute::ConnectionRequestBinding(binding), remark))
        }
        0xC002 => {
            let remark = (!value.is_empty())
                .then(|| format!("has a {}-byte value, TR-111 defines it empty", value.len()));
            Ok((StunAttribute::BindingChange, remark))
        }
        _ => plain(StunAttribute::Unknown {
            kind,
            value: value.to_vec(),
        }),
    }
}

/// Decodes a (XOR-)MAPPED-ADDRESS-style value: reserved byte, family, port, address
/// (RFC 5389 §15.1, §15.2).
fn address(value: &[u8], xor_key: Option<&[u8; 16]>) -> Result<SocketAddr, String> {
    let (family, expected) = match value.get(1) {
        Some(1) => ("IPv4", 8),
        Some(2) => ("IPv6", 20),
        Some(family) => return Err(format!("unknown address family {family}")),
        None => {
            return Err(format!(
                "value is {} bytes, too short for an address",
                value.len()
            ));
        }
    };
    if value.len() != expected {
        return Err(format!(
            "value is {} bytes, an {family} address has {expected}",
            value.len()
        ));
    }
    let mut port = be16(value, 2).unwrap_or_default();
    let mut octets = value.get(4..).unwrap_or_default().to_vec();
    if let Some(key) = xor_key {
        port ^= u16::from_be_bytes([key[0], key[1]]);
        for (octet, k) in octets.iter_mut().zip(key) {
            *octet ^= k;
        }
    }
    let ip = if let Ok(v4) = <[u8; 4]>::try_from(octets.as_slice()) {
        IpAddr::V4(Ipv4Addr::from(v4))
    } else {
        let v6: [u8; 16] = octets.as_slice().try_into().unwrap_or_default();
        IpAddr::V6(Ipv6Addr::from(v6))
    };
    Ok(SocketAddr::new(ip, port))
}

/// Decodes ERROR-CODE (RFC 5389 §15.6): 21 reserved bits, class (3 bits), number, reason.
fn error_code(value: &[u8]) -> Result<(StunAttribute, Option<String>), String> {
    let (Some(class), Some(number)) = (value.get(2), value.get(3)) else {
        return Err(format!(
            "value is {} bytes, ERROR-CODE has at least 4",
            value.len()
        ));
    };
    let code = u16::from(class & 0x07) * 100 + u16::from(*number);
    let (reason, remark) = text(value.get(4..).unwrap_or_default());
    let remark = if (3..=6).contains(&(class & 0x07)) && *number < 100 {
        remark
    } else {
        Some(format!(
            "class {} and number {number} are outside 300–699",
            class & 0x07
        ))
    };
    Ok((StunAttribute::ErrorCode { code, reason }, remark))
}

/// A text value, decoded lossily with a remark when it is not UTF-8.
fn text(value: &[u8]) -> (String, Option<String>) {
    match std::str::from_utf8(value) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => (
            String::from_utf8_lossy(value).into_owned(),
            Some("value is not UTF-8".to_owned()),
        ),
    }
}

/// The RFC or TR-111 name of an attribute type.
fn attribute_name(kind: u16) -> Option<&'static str> {
    Some(match kind {
        0x0001 => "MAPPED-ADDRESS",
        0x0002 => "RESPONSE-ADDRESS",
        0x0003 => "CHANGE-REQUEST",
        0x0004 => "SOURCE-ADDRESS",
        0x0005 => "CHANGED-ADDRESS",
        0x0006 => "USERNAME",
        0x0008 => "MESSAGE-INTEGRITY",
        0x0009 => "ERROR-CODE",
        0x000A => "UNKNOWN-ATTRIBUTES",
        0x0020 | 0x8020 => "XOR-MAPPED-ADDRESS",
        0x8022 => "SOFTWARE",
        0x8028 => "FINGERPRINT",
        0xC001 => "CONNECTION-REQUEST-BINDING",
        0xC002 => "BINDING-CHANGE",
        _ => return None,
    })
}

/// An attribute type for a problem text: `USERNAME (0x0006)` or `attribute 0x7F31`.
fn describe(kind: u16) -> String {
    match attribute_name(kind) {
        Some(name) => format!("{name} ({kind:#06X})"),
        None => format!("attribute {kind:#06X}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_and_class_bits() {
        let mut bytes = vec![0x01, 0x11, 0, 0];
        bytes.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
        bytes.extend_from_slice(&[7; 12]);
        let message = decode_stun(&bytes).unwrap();
        assert_eq!(
            (message.class, message.method),
            (StunClass::ErrorResponse, 1)
        );
        // Method 0x0FFF spreads over bits 0-3, 5-7 and 9-13.
        bytes[0] = 0x3E;
        bytes[1] = 0xEF;
        let message = decode_stun(&bytes).unwrap();
        assert_eq!(
            (message.class, message.method),
            (StunClass::Request, 0x0FFF)
        );
    }

    #[test]
    fn describes_kinds() {
        assert_eq!(describe(0x0006), "USERNAME (0x0006)");
        assert_eq!(describe(0x7F31), "attribute 0x7F31");
    }
}
