//! What the user has loaded so far, as a reducer: each input arrives whole (a file read or a
//! paste) and is recognised by `cwmp_capture::sniff`.

use std::rc::Rc;

use cwmp_capture::InputFormat;
use yew::Reducible;

/// One input the user gave the app.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedInput {
    /// The file name, or "pasted text".
    pub name: String,
    /// Its size in bytes.
    pub size: usize,
    /// The format recognised from its content (not from its name).
    pub format: InputFormat,
}

impl LoadedInput {
    /// Recognises `bytes` and remembers them under `name`.
    pub fn recognise(name: impl Into<String>, bytes: &[u8]) -> Self {
        Self {
            name: name.into(),
            size: bytes.len(),
            format: cwmp_capture::sniff(bytes),
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

/// The inputs loaded in this page, newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Intake {
    /// Inputs read and recognised.
    pub loaded: Vec<LoadedInput>,
    /// Inputs that could not be read.
    pub failed: Vec<FailedInput>,
}

/// Something that happened to an input.
#[derive(Clone, Debug)]
pub enum IntakeAction {
    /// An input was read.
    Loaded(LoadedInput),
    /// An input could not be read.
    Failed(FailedInput),
}

impl Reducible for Intake {
    type Action = IntakeAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            IntakeAction::Loaded(input) => next.loaded.insert(0, input),
            IntakeAction::Failed(failure) => next.failed.insert(0, failure),
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
