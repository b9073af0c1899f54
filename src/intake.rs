//! What the user has loaded so far, as a reducer: each input arrives whole (a file read or a
//! paste), is recognised by `cwmp_capture::sniff`, then analysed in a Web Worker
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
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// It could not be read.
    Failed(FailedInput),
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
}

impl LoadedInput {
    /// Recognises `bytes` and remembers them under `name`.
    pub fn recognise(name: impl Into<String>, bytes: &[u8]) -> Self {
        Self {
            id: 0,
            name: name.into(),
            size: bytes.len(),
            format: cwmp_capture::sniff(bytes),
            capture: None,
        }
    }
}

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
            IntakeAction::Analysed { id, capture } => {
                if let Some(input) = next.loaded.iter_mut().find(|input| input.id == id) {
                    input.capture = Some(capture);
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
