//! The link's fragment: the compressed HAR, and where the link opens.

use std::fmt::{self, Write as _};

/// What starts the fragment of a share link, after `#`.
pub const FRAGMENT_PREFIX: &str = "share=v1.";

/// A share link, read from its fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedLink {
    /// The HAR, compressed with raw DEFLATE (RFC 1951).
    pub compressed: Vec<u8>,
    /// The session that was on screen, by id.
    pub session: Option<usize>,
    /// The message that was selected, by index in the session.
    pub step: Option<usize>,
}

impl SharedLink {
    /// Where to open: (session, message), when the link names a session.
    pub fn start_at(&self) -> Option<(usize, usize)> {
        self.session.map(|s| (s, self.step.unwrap_or(0)))
    }
}

/// Why a share link cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// `share=` is followed by a version this app does not know.
    Version(String),
    /// The data is not base64url.
    Base64,
    /// The data is empty.
    Empty,
    /// The data does not inflate (it is not raw DEFLATE, or it is cut).
    Inflate,
    /// It inflates to more than the page accepts (the limit, in bytes).
    TooLarge(usize),
    /// It inflates, but not to a HAR capture.
    NotHar,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Version(v) => write!(
                f,
                "the link was made by another version of cwmp-inspector (format “{v}”)"
            ),
            Self::Base64 => f.write_str(
                "the link is damaged: its data is not valid base64url (it may have been cut \
                 or re-encoded when it was copied)",
            ),
            Self::Empty => f.write_str("the link holds no capture"),
            Self::Inflate => f.write_str(
                "the link is damaged: its data does not decompress (it may have been cut when \
                 it was copied)",
            ),
            Self::TooLarge(limit) => write!(
                f,
                "the link's capture decompresses to more than {} MB, more than this page accepts",
                limit / 1_000_000
            ),
            Self::NotHar => f.write_str("the link's data is not a capture (a HAR file)"),
        }
    }
}

impl std::error::Error for LinkError {}

/// The fragment (without `#`) of a link to `compressed` opened at `at` (session, message).
pub fn link_fragment(compressed: &[u8], at: Option<(usize, usize)>) -> String {
    let mut fragment = format!("{FRAGMENT_PREFIX}{}", base64_encode(compressed, true));
    if let Some((session, step)) = at {
        let _ = write!(fragment, "&session={session}&step={step}");
    }
    fragment
}

/// Reads a fragment (with or without its `#`). `None` when it is not a share link at all;
/// otherwise the link, or why it is broken.
pub fn parse_fragment(fragment: &str) -> Option<Result<SharedLink, LinkError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut data = None;
    let (mut session, mut step) = (None, None);
    for part in fragment.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key {
            "share" => data = Some(value),
            "session" => session = value.parse().ok(),
            "step" => step = value.parse().ok(),
            _ => {}
        }
    }
    let data = data?;
    Some((|| {
        let Some(encoded) = data.strip_prefix("v1.") else {
            let version = data.split('.').next().unwrap_or_default();
            return Err(LinkError::Version(version.chars().take(20).collect()));
        };
        if encoded.is_empty() {
            return Err(LinkError::Empty);
        }
        let compressed = base64_decode(encoded, true).ok_or(LinkError::Base64)?;
        Ok(SharedLink {
            compressed,
            session,
            step,
        })
    })())
}

/// Checks that inflated link data is a HAR capture as [`export`] writes it.
///
/// # Errors
///
/// [`LinkError::NotHar`] when it is not.
pub fn check_har(bytes: &[u8]) -> Result<(), LinkError> {
    let start = bytes.trim_ascii_start();
    let head = start.get(..start.len().min(64)).unwrap_or_default();
    let compact: Vec<u8> = head
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if compact.starts_with(b"{\"log\":") {
        Ok(())
    } else {
        Err(LinkError::NotHar)
    }
}

/// Base64 (RFC 4648): `url` picks the URL-safe alphabet without padding (§5, for link
/// fragments), else the standard one, padded (§4). Built on the codec's `xsd:base64Binary`
/// coder, whose alphabet is the standard one.
pub fn base64_encode(bytes: &[u8], url: bool) -> String {
    let text = cwmp_codec::value::encode_base64(bytes);
    if !url {
        return text;
    }
    text.trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect()
}

/// Decodes [`base64_encode`]'s output, padded or not, in the alphabet `url` picks. `None` for
/// anything else, whitespace included (in a header token or a link it means a damaged value).
pub fn base64_decode(text: &str, url: bool) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let foreign = |c: u8| {
        c.is_ascii_whitespace()
            || c == b'='
            || if url {
                matches!(c, b'+' | b'/')
            } else {
                matches!(c, b'-' | b'_')
            }
    };
    if text.bytes().any(foreign) {
        return None;
    }
    let missing = (4 - text.len() % 4) % 4;
    if missing == 3 {
        // One leftover character carries less than a byte.
        return None;
    }
    let standard: String = text
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .chain(std::iter::repeat_n('=', missing))
        .collect();
    cwmp_codec::value::decode_base64(&standard).ok()
}

/// The file name a shared HAR carries (`log._fileName`, which the writer puts first), read
/// from the head of the HAR only, so that the page can name the capture before it is analysed.
pub fn shared_file_name(har: &[u8]) -> Option<String> {
    let key = b"\"_fileName\":";
    let head = har.get(..har.len().min(4096))?;
    let at = head.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = har.get(at..)?;
    let mut values = serde_json::Deserializer::from_slice(rest).into_iter::<String>();
    values.next()?.ok()
}
