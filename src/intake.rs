//! What the user has loaded so far, as a reducer: each input arrives whole (a file read, a
//! paste, a fetch of `?src=` or of an example, or a capture kept in history), is recognised by
//! `cwmp_capture::sniff`, then analysed in a Web Worker
//! ([`crate::worker`]), or by `cwmp_session::analyse` on the page when no worker can start.

use std::ops::Deref;
use std::rc::Rc;

use cwmp_capture::InputFormat;
use cwmp_session::Capture;
use yew::Reducible;

/// An analysed capture, shared between components without copying. Two are equal only when they
/// are the same analysis: comparing the models field by field on every render would cost as much
/// as the capture is large.
#[derive(Clone, Debug)]
pub struct SharedCapture(pub Rc<Capture>);

impl PartialEq for SharedCapture {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for SharedCapture {
    type Target = Capture;

    fn deref(&self) -> &Capture {
        &self.0
    }
}

/// An input as it arrives from a way in, before anything is made of it.
#[derive(Clone, Debug)]
pub enum Arrival {
    /// The whole input was read.
    Read {
        /// The file name, or "pasted text".
        name: String,
        /// Its bytes, in the browser's memory: they go to the decoder without passing through
        /// the page's wasm memory, which would keep their size for good.
        bytes: js_sys::Uint8Array,
    },
    /// It could not be read.
    Failed(FailedInput),
    /// An input the app fetched or kept rather than one the user just handed over: from a
    /// `?src=` link, an example, or this browser's history.
    Opened {
        /// The name it is shown under (a file name, or the last part of its URL).
        name: String,
        /// Its bytes, in the browser's memory.
        bytes: js_sys::Uint8Array,
        /// Where it came from.
        origin: Origin,
    },
}

/// Where an [`Arrival::Opened`] input came from; it decides whether the input is kept in history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Fetched from the page's `?src=` URL; opens at `start_at` (session id, message index).
    Link {
        /// Where the link asks the inspector to open.
        start_at: Option<(usize, usize)>,
    },
    /// One of the example captures shipped with the app.
    Example,
    /// Reopened from this browser's history.
    History,
}

/// One input the user gave the app.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedInput {
    /// Identifies it in this page (0 until [`Intake`] numbers it).
    pub id: usize,
    /// The file name, or "pasted text".
    pub name: String,
    /// Its size in bytes.
    pub size: usize,
    /// The format recognised from its content (not from its name).
    pub format: InputFormat,
    /// The analysis, once done.
    pub capture: Option<SharedCapture>,
    /// Where the inspector opens (session id, message index), when a link asked for a place.
    pub start_at: Option<(usize, usize)>,
    /// Its bytes once analysed, kept in the browser's memory (not the wasm's) for share links.
    pub bytes: Option<InputBytes>,
}

/// An input's bytes in the browser's memory, outside the wasm's; equal only to the same buffer.
#[derive(Clone, Debug)]
pub struct InputBytes(pub js_sys::Uint8Array);

impl PartialEq for InputBytes {
    fn eq(&self, other: &Self) -> bool {
        let (this, that): (&wasm_bindgen::JsValue, &wasm_bindgen::JsValue) =
            (self.0.as_ref(), other.0.as_ref());
        this == that
    }
}

impl LoadedInput {
    /// Recognises `bytes` from their start and remembers them under `name`.
    pub fn recognise(name: impl Into<String>, bytes: &js_sys::Uint8Array) -> Self {
        let size = bytes.length();
        // The format shows in a magic number or the first non-blank text: the start suffices,
        // and the input is not copied into the page's memory.
        let start = bytes.subarray(0, size.min(SNIFFED_BYTES)).to_vec();
        Self {
            id: 0,
            name: name.into(),
            size: size as usize,
            format: cwmp_capture::sniff(&start),
            capture: None,
            start_at: None,
            bytes: None,
        }
    }
}

/// How much of an input's start [`LoadedInput::recognise`] looks at.
const SNIFFED_BYTES: u32 = 64 * 1024;

/// An input that could not be read at all (a file the browser refused, for example).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedInput {
    /// The file name.
    pub name: String,
    /// What went wrong, in words.
    pub reason: String,
}

/// The inputs loaded in this page, newest first, and which one is open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Intake {
    /// Inputs read and recognised.
    pub loaded: Vec<LoadedInput>,
    /// Inputs that could not be read.
    pub failed: Vec<FailedInput>,
    /// The id of the input on screen (being decoded, or in the inspector); `None` on the start
    /// screen.
    pub open: Option<usize>,
    /// A note for the start screen, such as "Decoding cancelled".
    pub note: Option<String>,
}

impl Intake {
    /// The input on screen, if any.
    pub fn open_input(&self) -> Option<&LoadedInput> {
        let id = self.open?;
        self.loaded.iter().find(|input| input.id == id)
    }
}

/// Something that happened to an input.
#[derive(Clone, Debug)]
pub enum IntakeAction {
    /// An input was read; its `id` must be new. It is opened (the newest input wins).
    Loaded(LoadedInput),
    /// An input could not be read.
    Failed(FailedInput),
    /// The input with this id was analysed.
    Analysed {
        /// Which input.
        id: usize,
        /// What the analysis found.
        capture: SharedCapture,
        /// The input's bytes, in the browser's memory (a share link analyses them again in a
        /// worker).
        input: Option<InputBytes>,
    },
    /// The user cancelled decoding the input with this id: it is forgotten.
    Cancelled(usize),
    /// Decoding the input with this id failed.
    DecodeFailed {
        /// Which input.
        id: usize,
        /// What went wrong, in words.
        reason: String,
    },
    /// Show the input with this id.
    Open(usize),
    /// Back to the start screen.
    Close,
    /// Replace the start screen's note (`None` removes it).
    Note(Option<String>),
}

impl Reducible for Intake {
    type Action = IntakeAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            IntakeAction::Loaded(input) => {
                next.open = Some(input.id);
                next.note = None;
                next.loaded.insert(0, input);
            }
            IntakeAction::Failed(failure) => next.failed.insert(0, failure),
            IntakeAction::Analysed {
                id,
                capture,
                input: bytes,
            } => {
                if let Some(input) = next.loaded.iter_mut().find(|input| input.id == id) {
                    input.capture = Some(capture);
                    input.bytes = bytes;
                }
            }
            IntakeAction::Cancelled(id) => {
                next.loaded.retain(|input| input.id != id);
                if next.open == Some(id) {
                    next.open = None;
                }
                next.note = Some("Decoding cancelled".to_owned());
            }
            IntakeAction::DecodeFailed { id, reason } => {
                if let Some(at) = next.loaded.iter().position(|input| input.id == id) {
                    let input = next.loaded.remove(at);
                    next.failed.insert(
                        0,
                        FailedInput {
                            name: input.name,
                            reason: format!("decoding failed: {reason}"),
                        },
                    );
                }
                if next.open == Some(id) {
                    next.open = None;
                }
            }
            IntakeAction::Open(id) => next.open = Some(id),
            IntakeAction::Close => next.open = None,
            IntakeAction::Note(note) => next.note = note,
        }
        Rc::new(next)
    }
}

/// A byte count as engineers read it: exact bytes, and a binary-prefixed size when that helps,
/// for example `88,103 bytes (86.0 KiB)`.
#[expect(
    clippy::cast_precision_loss,
    reason = "the scaled size is shown to one decimal place"
)]
pub fn describe_size(bytes: usize) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    let exact = group_thousands(bytes);
    let unit = if bytes == 1 { "byte" } else { "bytes" };
    let mut scaled = bytes as f64;
    let mut prefix = None;
    for name in UNITS {
        if scaled < 1024.0 {
            break;
        }
        scaled /= 1024.0;
        prefix = Some(name);
    }
    match prefix {
        Some(prefix) => format!("{exact} {unit} ({scaled:.1} {prefix})"),
        None => format!("{exact} {unit}"),
    }
}

/// A count with thousands separators, such as `12,000`.
pub fn describe_count(value: usize) -> String {
    group_thousands(value)
}

fn group_thousands(value: usize) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// What the page's URL asks for: `?src=URL&session=N&step=M&embed=1`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageParams {
    /// The capture to fetch, made absolute against the page's address.
    pub src: Option<String>,
    /// The session id to open at.
    pub session: Option<usize>,
    /// The message index, in that session, to open at.
    pub step: Option<usize>,
    /// Embed mode: minimal chrome for an iframe, and nothing kept in history.
    pub embed: bool,
}

impl PageParams {
    /// Reads the parameters from `search` (a URL's query, with or without its `?`), resolving
    /// `src` against `base` (the page's address).
    pub fn parse(search: &str, base: &str) -> Self {
        let Ok(query) = web_sys::UrlSearchParams::new_with_str(search) else {
            return Self::default();
        };
        let number = |key: &str| query.get(key).and_then(|value| value.trim().parse().ok());
        let src = query
            .get("src")
            .filter(|src| !src.trim().is_empty())
            .map(|src| {
                // An unparsable URL is kept as given: fetching it then fails with its name.
                web_sys::Url::new_with_base(src.trim(), base).map_or(src, |url| url.href())
            });
        Self {
            src,
            session: number("session"),
            step: number("step"),
            embed: query
                .get("embed")
                .is_some_and(|value| !matches!(value.as_str(), "0" | "false")),
        }
    }

    /// The parameters of the page being shown.
    pub fn from_location() -> Self {
        let location = gloo::utils::window().location();
        let search = location.search().unwrap_or_default();
        let base = location.href().unwrap_or_default();
        Self::parse(&search, &base)
    }

    /// Where the link asks the inspector to open: the session, at `step` (default its first).
    pub fn start_at(&self) -> Option<(usize, usize)> {
        self.session
            .map(|session| (session, self.step.unwrap_or(0)))
    }

    /// The full app (not embedded) showing the same capture at the same place: `base` is the
    /// app's address without its query.
    pub fn full_app_link(&self, base: &str) -> String {
        let Ok(query) = web_sys::UrlSearchParams::new() else {
            return base.to_owned();
        };
        if let Some(src) = &self.src {
            query.append("src", src);
        }
        if let Some(session) = self.session {
            query.append("session", &session.to_string());
        }
        if let Some(step) = self.step {
            query.append("step", &step.to_string());
        }
        let query = String::from(query.to_string());
        if query.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{query}")
        }
    }
}

/// The name a fetched input is shown under: the last segment of its URL's path, or the URL.
pub fn name_from_url(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.is_empty() {
        return url.to_owned();
    }
    js_sys::decode_uri_component(last).map_or_else(|_| last.to_owned(), String::from)
}

/// Fetches `url` whole; on failure, a sentence saying why (the HTTP status, or a network or
/// CORS failure) for [`FailedInput::reason`].
///
/// # Errors
///
/// The reason, in words, when the request fails or the server does not answer 2xx.
pub async fn fetch_bytes(url: &str) -> Result<js_sys::Uint8Array, String> {
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen_futures::JsFuture;

    let network = "could not be fetched: the request failed before any answer (the server is \
                   unreachable, or it does not let other sites read the file: CORS)";
    let response = JsFuture::from(gloo::utils::window().fetch_with_str(url))
        .await
        .map_err(|_| network.to_owned())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| network.to_owned())?;
    if !response.ok() {
        let status = response.status();
        let text = response.status_text();
        return Err(if text.is_empty() {
            format!("could not be fetched: the server answered HTTP {status}")
        } else {
            format!("could not be fetched: the server answered HTTP {status} {text}")
        });
    }
    let body = response
        .array_buffer()
        .map_err(|_| "could not be fetched: its body could not be read".to_owned())?;
    let body = JsFuture::from(body)
        .await
        .map_err(|_| "could not be fetched: the download broke off".to_owned())?;
    Ok(js_sys::Uint8Array::new(&body))
}
