//! Input format recognition from the first bytes of an input.

use std::fmt;

/// The container or text format an input is in, as recognised by [`sniff`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// A classic libpcap file.
    Pcap {
        /// Byte order the file was written in.
        byte_order: ByteOrder,
        /// Resolution of the per-packet timestamps.
        resolution: TimestampResolution,
    },
    /// A pcapng file (its first block is a Section Header Block).
    PcapNg {
        /// Byte order of the first section, when the input is long enough to tell.
        byte_order: Option<ByteOrder>,
    },
    /// XML text, such as a SOAP envelope.
    Xml,
    /// HTTP/1.x messages as text, starting with a request or status line.
    HttpText,
    /// JSON text, such as a HAR export or a `GenieACS` log in JSON form.
    Json,
    /// Nothing above: the input is shown raw.
    Unknown,
}

/// Byte order of a binary capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// Least significant byte first.
    Little,
    /// Most significant byte first.
    Big,
}

/// Resolution of the timestamps in a classic pcap file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampResolution {
    /// Microseconds (magic `0xa1b2c3d4`).
    Micro,
    /// Nanoseconds (magic `0xa1b23c4d`).
    Nano,
}

impl InputFormat {
    /// A short name for the format, as users know it: `pcap`, `pcapng`, `XML`, `HTTP text`,
    /// `JSON` or `unknown`.
    pub fn short_name(self) -> &'static str {
        match self {
            Self::Pcap { .. } => "pcap",
            Self::PcapNg { .. } => "pcapng",
            Self::Xml => "XML",
            Self::HttpText => "HTTP text",
            Self::Json => "JSON",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for InputFormat {
    /// The short name followed by the container details an engineer may care about, for example
    /// `pcap (little-endian, microsecond timestamps)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short_name())?;
        match self {
            Self::Pcap {
                byte_order,
                resolution,
            } => write!(f, " ({byte_order}, {resolution} timestamps)"),
            Self::PcapNg {
                byte_order: Some(byte_order),
            } => write!(f, " ({byte_order})"),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for ByteOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Little => "little-endian",
            Self::Big => "big-endian",
        })
    }
}

impl fmt::Display for TimestampResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Micro => "microsecond",
            Self::Nano => "nanosecond",
        })
    }
}

const PCAPNG_SECTION_HEADER: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
const PCAPNG_BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;
const PCAP_MICRO_MAGIC: u32 = 0xa1b2_c3d4;
const PCAP_NANO_MAGIC: u32 = 0xa1b2_3c4d;
/// Alexey Kuznetzov's "modified" pcap (old Red Hat tcpdump): µs, 24-byte record headers.
const PCAP_MODIFIED_MAGIC: u32 = 0xa1b2_cd34;
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Recognises the format of `input` from its first bytes.
///
/// Binary containers are recognised by their magic numbers. Text is recognised after an optional
/// UTF-8 byte-order mark and leading whitespace, which pasted text often carries. Anything else
/// is [`InputFormat::Unknown`]; sniffing never fails.
pub fn sniff(input: &[u8]) -> InputFormat {
    if let Some(format) = sniff_binary(input) {
        return format;
    }
    let text = input.strip_prefix(UTF8_BOM).unwrap_or(input);
    let text = text.trim_ascii_start();
    match text.first() {
        Some(b'<') => InputFormat::Xml,
        Some(b'{' | b'[') => InputFormat::Json,
        Some(_) if starts_with_http_start_line(text) => InputFormat::HttpText,
        _ => InputFormat::Unknown,
    }
}

fn sniff_binary(input: &[u8]) -> Option<InputFormat> {
    let magic: [u8; 4] = input.get(..4)?.try_into().ok()?;
    if magic == PCAPNG_SECTION_HEADER {
        let byte_order = input
            .get(8..12)
            .and_then(|bytes| <[u8; 4]>::try_from(bytes).ok())
            .and_then(|bytes| {
                if u32::from_le_bytes(bytes) == PCAPNG_BYTE_ORDER_MAGIC {
                    Some(ByteOrder::Little)
                } else if u32::from_be_bytes(bytes) == PCAPNG_BYTE_ORDER_MAGIC {
                    Some(ByteOrder::Big)
                } else {
                    None
                }
            });
        return Some(InputFormat::PcapNg { byte_order });
    }
    let (byte_order, value) = if matches!(
        u32::from_le_bytes(magic),
        PCAP_MICRO_MAGIC | PCAP_NANO_MAGIC | PCAP_MODIFIED_MAGIC
    ) {
        (ByteOrder::Little, u32::from_le_bytes(magic))
    } else {
        (ByteOrder::Big, u32::from_be_bytes(magic))
    };
    let resolution = match value {
        PCAP_MICRO_MAGIC | PCAP_MODIFIED_MAGIC => TimestampResolution::Micro,
        PCAP_NANO_MAGIC => TimestampResolution::Nano,
        _ => return None,
    };
    Some(InputFormat::Pcap {
        byte_order,
        resolution,
    })
}

/// Whether `text` opens with an HTTP/1.x request line (`POST /acs HTTP/1.1`) or status line
/// (`HTTP/1.1 200 OK`).
fn starts_with_http_start_line(text: &[u8]) -> bool {
    let line_end = text
        .iter()
        .position(|&byte| byte == b'\n')
        .unwrap_or(text.len());
    is_start_line(text[..line_end].trim_ascii_end())
}

/// Whether `line` (without its line break) is a full HTTP/1.x start line: a status line
/// (version digit, a space, a three-digit status), or `METHOD target HTTP/1.x`.
pub(crate) fn is_start_line(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if let Some(rest) = line.strip_prefix(b"HTTP/1.") {
        return matches!(rest, [b'0' | b'1', b' ', a, b, c, ..]
            if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit());
    }
    let mut parts = line.split(|&b| b == b' ').filter(|p| !p.is_empty());
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !method.is_empty()
        && method.iter().all(u8::is_ascii_uppercase)
        && !target.is_empty()
        && matches!(version, b"HTTP/1.0" | b"HTTP/1.1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcap_in_every_byte_order_and_resolution() {
        let cases = [
            (
                [0xd4, 0xc3, 0xb2, 0xa1],
                ByteOrder::Little,
                TimestampResolution::Micro,
            ),
            (
                [0xa1, 0xb2, 0xc3, 0xd4],
                ByteOrder::Big,
                TimestampResolution::Micro,
            ),
            (
                [0x4d, 0x3c, 0xb2, 0xa1],
                ByteOrder::Little,
                TimestampResolution::Nano,
            ),
            (
                [0xa1, 0xb2, 0x3c, 0x4d],
                ByteOrder::Big,
                TimestampResolution::Nano,
            ),
        ];
        for (magic, byte_order, resolution) in cases {
            let mut file = magic.to_vec();
            file.extend_from_slice(&[0; 20]);
            assert_eq!(
                sniff(&file),
                InputFormat::Pcap {
                    byte_order,
                    resolution
                },
                "magic {magic:02x?}"
            );
        }
    }

    #[test]
    fn pcapng_with_and_without_byte_order_magic() {
        let little = [
            0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a,
        ];
        let big = [
            0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d,
        ];
        assert_eq!(
            sniff(&little),
            InputFormat::PcapNg {
                byte_order: Some(ByteOrder::Little)
            }
        );
        assert_eq!(
            sniff(&big),
            InputFormat::PcapNg {
                byte_order: Some(ByteOrder::Big)
            }
        );
        assert_eq!(
            sniff(&little[..6]),
            InputFormat::PcapNg { byte_order: None }
        );
    }

    #[test]
    fn text_formats_after_bom_and_whitespace() {
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><a/>"), InputFormat::Xml);
        assert_eq!(
            sniff(b"\xef\xbb\xbf\r\n  <soap:Envelope/>"),
            InputFormat::Xml
        );
        assert_eq!(
            sniff(b"POST /acs HTTP/1.1\r\nHost: acs\r\n\r\n"),
            InputFormat::HttpText
        );
        assert_eq!(
            sniff(b"\nHTTP/1.1 204 No Content\n\n"),
            InputFormat::HttpText
        );
        assert_eq!(sniff(b"GET /cr?x=1 HTTP/1.0\r\n"), InputFormat::HttpText);
        assert_eq!(sniff(b" {\"log\": {}}"), InputFormat::Json);
        assert_eq!(sniff(b"[1, 2]"), InputFormat::Json);
    }

    #[test]
    fn anything_else_is_unknown() {
        for input in [
            &b""[..],
            b"   ",
            b"\xd4\xc3",
            b"hello world",
            b"post /acs HTTP/1.1",
            b"POST /acs HTTP/2",
            b"HTTP/1.1 abc",
            b"\x1f\x8b\x08\x00",
        ] {
            assert_eq!(sniff(input), InputFormat::Unknown, "{input:?}");
        }
    }

    #[test]
    fn display_names_the_details() {
        let pcap = InputFormat::Pcap {
            byte_order: ByteOrder::Little,
            resolution: TimestampResolution::Nano,
        };
        assert_eq!(
            pcap.to_string(),
            "pcap (little-endian, nanosecond timestamps)"
        );
        assert_eq!(InputFormat::Xml.to_string(), "XML");
        assert_eq!(
            InputFormat::PcapNg { byte_order: None }.to_string(),
            "pcapng"
        );
    }
}
