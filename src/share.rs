//! Share links in the browser: the capture, written as HAR by [`cwmp_session::share`], compressed
//! with the browser's own `CompressionStream("deflate-raw")` (no compression code in the page's
//! wasm) and carried in the URL's fragment, which browsers never send to a server.
//!
//! A link is `PAGE#share=v1.<base64url of the deflated HAR>&session=<id>&step=<message index>`.

use cwmp_session::share::{self as logic, LinkError};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair};
use yew::Callback;
use yew::platform::spawn_local;

/// The name a shared link's capture is shown under.
pub const SHARED_LINK: &str = "shared link";

/// The most a link may inflate to, in bytes: far above what fits in a URL honestly made, low
/// enough that a crafted link cannot fill the tab's memory.
pub const MAX_INFLATED: usize = 256 * 1024 * 1024;

/// Chrome's limit on the length of a URL it opens, in characters.
pub const CHROME_URL_LIMIT: usize = 2 * 1024 * 1024;

/// Above this many characters a link is long: chat tools and mail clients often cut such links.
pub const LONG_LINK: usize = 64 * 1024;

#[wasm_bindgen]
extern "C" {
    // web-sys offers these only behind its unstable-API flag; the constructors are all we need.
    #[wasm_bindgen(js_name = CompressionStream)]
    type Compression;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<Compression, JsValue>;

    #[wasm_bindgen(js_name = DecompressionStream)]
    type Decompression;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Decompression, JsValue>;
}

/// Raw DEFLATE (RFC 1951) of `bytes`, by the browser.
///
/// # Errors
///
/// A sentence when the browser has no `CompressionStream` or the stream fails.
pub async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let transform = Compression::new("deflate-raw")
        .map_err(|_| "this browser cannot compress (it has no CompressionStream)".to_owned())?;
    let stream = source(bytes)?.pipe_through(transform.unchecked_ref::<ReadableWritablePair>());
    read_all(&stream, usize::MAX).await
}

/// Inflates raw DEFLATE, up to `limit` bytes.
///
/// # Errors
///
/// [`LinkError::Inflate`] when the data is not raw DEFLATE (or the browser cannot inflate),
/// [`LinkError::TooLarge`] past `limit`.
pub async fn inflate(bytes: &[u8], limit: usize) -> Result<Vec<u8>, LinkError> {
    let transform = Decompression::new("deflate-raw").map_err(|_| LinkError::Inflate)?;
    let stream = source(bytes)
        .map_err(|_| LinkError::Inflate)?
        .pipe_through(transform.unchecked_ref::<ReadableWritablePair>());
    read_all(&stream, limit).await.map_err(|reason| {
        if reason == TOO_LARGE {
            LinkError::TooLarge(limit)
        } else {
            LinkError::Inflate
        }
    })
}

const TOO_LARGE: &str = "too large";

/// A stream of `bytes`.
fn source(bytes: &[u8]) -> Result<ReadableStream, String> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    Blob::new_with_u8_array_sequence(&parts)
        .map(|blob| blob.stream())
        .map_err(|_| "the browser could not hold the data".to_owned())
}

/// Every chunk of `stream`, concatenated; stops (cancelling the stream) past `limit` bytes.
async fn read_all(stream: &ReadableStream, limit: usize) -> Result<Vec<u8>, String> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let result = JsFuture::from(reader.read())
            .await
            .map_err(|e| e.as_string().unwrap_or_else(|| "the stream failed".into()))?;
        let done = Reflect::get(&result, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(out);
        }
        let chunk: Uint8Array = Reflect::get(&result, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or("the stream gave something other than bytes")?;
        let length = chunk.length() as usize;
        if out.len().saturating_add(length) > limit {
            drop(reader.cancel());
            return Err(TOO_LARGE.into());
        }
        let start = out.len();
        out.resize(start + length, 0);
        chunk.copy_to(&mut out[start..]);
    }
}

/// The page's address without query or fragment: where a share link points.
pub fn page_address() -> String {
    let location = gloo::utils::window().location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    format!("{origin}{path}")
}

/// A link to `har` (as [`logic::export`] wrote it) opened at `at` (session, message).
///
/// # Errors
///
/// A sentence when the browser cannot compress.
pub async fn make_link(har: &str, at: Option<(usize, usize)>) -> Result<String, String> {
    let compressed = deflate(har.as_bytes()).await?;
    Ok(format!(
        "{}#{}",
        page_address(),
        logic::link_fragment(&compressed, at)
    ))
}

/// A shared capture, read from a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// The name to show: the sender's file name, marked as coming through a link.
    pub name: String,
    /// The HAR.
    pub bytes: Vec<u8>,
    /// Where to open: (session id, message index).
    pub start_at: Option<(usize, usize)>,
}

/// When the page's fragment is a share link, reads it and reports to `on_result`: the capture,
/// or a sentence saying why it cannot be opened. Does nothing for any other fragment.
pub fn open_location(on_result: Callback<Result<Opened, String>>) {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    let Some(link) = logic::parse_fragment(&hash) else {
        return;
    };
    spawn_local(async move {
        let opened = async {
            let link = link?;
            let bytes = inflate(&link.compressed, MAX_INFLATED).await?;
            logic::check_har(&bytes)?;
            let name = logic::shared_file_name(&bytes).map_or_else(
                || SHARED_LINK.to_owned(),
                |file| {
                    let file = file.strip_suffix(" (shared link)").unwrap_or(&file);
                    format!("{file} ({SHARED_LINK})")
                },
            );
            Ok::<_, LinkError>(Opened {
                name,
                bytes,
                start_at: link.start_at(),
            })
        }
        .await;
        on_result.emit(opened.map_err(|e| format!("This shared link cannot be opened: {e}.")));
    });
}

/// The link's length for people: characters and a size, with a warning when it is too long to
/// travel well. Returns the text and whether it is a warning.
pub fn describe_length(length: usize) -> (String, bool) {
    let size = crate::intake::describe_size(length);
    if length > CHROME_URL_LIMIT {
        (
            format!(
                "The link is {size} long: too long for Chrome, which opens links up to 2 MB. \
                 Share the capture file instead."
            ),
            true,
        )
    } else if length > LONG_LINK {
        (
            format!(
                "The link is {size} long: browsers open it, but chat tools and mail clients \
                 may cut it. If it arrives broken, share the capture file instead."
            ),
            true,
        )
    } else {
        (format!("The link is {size} long."), false)
    }
}
