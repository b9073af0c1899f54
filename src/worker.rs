//! Decoding off the main thread: a dedicated Web Worker (the `worker` binary, `src/bin/worker.rs`)
//! imports, decodes and analyses an input while the page stays responsive.
//!
//! The protocol, all plain `postMessage` objects:
//!
//! 1. The worker starts and posts `{kind: "ready"}` (messages posted to it before its wasm is
//!    running would be lost, so the page waits for this).
//! 2. The page posts `{name, bytes}`, transferring `bytes` (an `ArrayBuffer` that never entered
//!    the page's wasm memory).
//! 3. The worker reads the input into HTTP exchanges and at once posts
//!    `{kind: "bodies", bodies, lengths}` (every body end to end, and each one's length) and
//!    then `{kind: "exchanges", data}` messages, each [`PARTS`] exchanges in bincode without
//!    their bodies and input spans, all transferred; the page parses them and puts the bodies
//!    back while the worker decodes. Then it decodes and analyses, posting
//!    `{kind: "progress", stage, done, total}` as it goes, posts the sessions as
//!    `{kind: "sessions", data}` messages ([`SESSION_PARTS`] sessions as JSON bytes each; the
//!    page parses each while the worker encodes the next), and ends with
//!    `{kind: "done", model, input}`: the [`Capture`] as JSON without its sessions, exchanges and
//!    `#[serde(skip)]` parts, and the input handed back (transferred). If encoding fails it
//!    posts `{kind: "failed", message}`; a panic surfaces as the worker's `error` event.
//! 4. The page rebuilds the [`Capture`]. It carries no decoded envelopes: the page decodes a
//!    message's body when its detail is opened (`inspector::Decoded`), which costs less than
//!    sending every envelope across.
//!
//! Cancelling terminates the worker.
//!
//! The worker also answers one-off questions that need code the page does not carry (see
//! [`ask`]): the page posts `{kind, ...}` after `ready`, and the worker answers
//! `{kind: "answer", text}` or `{kind: "failed", message}`. Kinds: `auth` (the auth debugger),
//! `share-scan` and `share-export` (the share link's redactions and its HAR).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use cwmp_capture::HttpExchange;
use cwmp_session::Capture;
use js_sys::{Array, Object, Reflect, Uint8Array, Uint32Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker};
use yew::Callback;
use yew::platform::spawn_local;

/// The script the page starts the worker from: trunk's loader shim for the `worker` binary
/// (`data-loader-shim` in index.html), next to the page.
pub const WORKER_SCRIPT: &str = "./worker_loader.js";

/// Exchanges decoded between two progress reports.
const CHUNK: usize = 500;

/// Exchanges per part of the worker's answer.
const PARTS: usize = 500;

/// Sessions per JSON part: small, so that the page has little left to parse once the worker has
/// encoded the last.
const SESSION_PARTS: usize = 100;

/// A step of decoding, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The worker is loading.
    Starting,
    /// Reading the input into HTTP exchanges (one step: `done` is 0 or 1).
    Reading,
    /// Decoding CWMP bodies (`done` of `total` exchanges).
    Decoding,
    /// Building sessions and checking the rules.
    Analysing,
    /// The worker encodes its results and sends them.
    Sending,
    /// The page receives the results.
    Receiving,
}

impl Stage {
    const ALL: [Self; 6] = [
        Self::Starting,
        Self::Reading,
        Self::Decoding,
        Self::Analysing,
        Self::Sending,
        Self::Receiving,
    ];

    /// The name in the protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Starting => "starting",
            Self::Reading => "reading",
            Self::Decoding => "decoding",
            Self::Analysing => "analysing",
            Self::Sending => "sending",
            Self::Receiving => "receiving",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|stage| stage.as_str() == name)
    }

    /// What the user reads.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Starting => "Starting the decoder",
            Self::Reading => "Reading the capture",
            Self::Decoding => "Decoding messages",
            Self::Analysing => "Building sessions and checking rules",
            Self::Sending => "Sending the results to the page",
            Self::Receiving => "Receiving the results",
        }
    }

    /// Where the stage starts and ends on the overall bar (rough shares of the time taken).
    fn span(self) -> (f64, f64) {
        match self {
            Self::Starting => (0.0, 0.02),
            Self::Reading => (0.02, 0.25),
            Self::Decoding => (0.25, 0.70),
            Self::Analysing => (0.70, 0.75),
            Self::Sending => (0.75, 0.85),
            Self::Receiving => (0.85, 1.0),
        }
    }
}

/// How far decoding has got.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// The current step.
    pub stage: Stage,
    /// Units of the step done.
    pub done: f64,
    /// Units in the step (0 when unknown).
    pub total: f64,
}

impl Progress {
    /// The start of `stage`.
    pub fn start(stage: Stage) -> Self {
        Self {
            stage,
            done: 0.0,
            total: 0.0,
        }
    }

    /// The share of the whole job done, from 0 to 1.
    pub fn fraction(&self) -> f64 {
        let (from, to) = self.stage.span();
        let within = if self.total > 0.0 {
            (self.done / self.total).clamp(0.0, 1.0)
        } else {
            0.0
        };
        from + (to - from) * within
    }
}

/// What a [`DecodeJob`] reports.
#[derive(Debug)]
pub enum JobEvent {
    /// It advanced.
    Progress(Progress),
    /// It finished: the capture, and the input's bytes handed back (kept for share links).
    Done(Box<Capture>, Option<Uint8Array>),
    /// The worker failed while decoding.
    Failed(String),
    /// The worker could not be started (no worker script, for example); the caller decodes the
    /// bytes it gets back itself.
    Unavailable(Uint8Array),
}

/// One input being decoded by a worker. Dropping it (or [`DecodeJob::cancel`]) stops the worker.
pub struct DecodeJob {
    state: Rc<JobState>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// What the page keeps of a job while its worker runs.
struct JobState {
    worker: Worker,
    cancelled: Cell<bool>,
    received: RefCell<Received>,
    on_event: Callback<JobEvent>,
}

impl JobState {
    fn stop(&self) {
        self.cancelled.set(true);
        self.worker.terminate();
    }

    fn fail(&self, message: String) {
        if self.cancelled.get() {
            return;
        }
        self.stop();
        self.on_event.emit(JobEvent::Failed(message));
    }

    /// Handles one message of the worker.
    fn heard(self: &Rc<Self>, data: JsValue, send: &dyn Fn()) {
        match get_string(&data, "kind").as_deref() {
            Some("ready") => send(),
            Some("progress") => {
                let stage = get_string(&data, "stage").and_then(|s| Stage::parse(&s));
                if let Some(stage) = stage {
                    self.on_event.emit(JobEvent::Progress(Progress {
                        stage,
                        done: get_number(&data, "done"),
                        total: get_number(&data, "total"),
                    }));
                }
            }
            Some(kind @ ("bodies" | "exchanges" | "sessions")) => {
                let read = self.received.borrow_mut().read(kind, &data);
                if let Err(message) = read {
                    self.fail(message);
                }
            }
            Some("done") => {
                self.worker.terminate();
                let received = std::mem::take(&mut *self.received.borrow_mut());
                self.on_event
                    .emit(JobEvent::Progress(Progress::start(Stage::Receiving)));
                let state = Rc::clone(self);
                spawn_local(async move {
                    // Let the bar show the last step before the capture is put together.
                    yield_now().await;
                    if state.cancelled.get() {
                        return;
                    }
                    match received.finish(&data) {
                        Ok((capture, input)) => {
                            state.cancelled.set(true);
                            state
                                .on_event
                                .emit(JobEvent::Done(Box::new(capture), input));
                        }
                        Err(message) => state.fail(message),
                    }
                });
            }
            Some("failed") => self.fail(get_string(&data, "message").unwrap_or_default()),
            _ => {}
        }
    }
}

impl DecodeJob {
    /// Starts a worker for `bytes`; `on_event` hears how it goes.
    ///
    /// # Errors
    ///
    /// When the browser refuses to create the worker at all, with the bytes handed back.
    pub fn start(
        name: String,
        bytes: Uint8Array,
        on_event: Callback<JobEvent>,
    ) -> Result<Self, Uint8Array> {
        let (worker, ready) = match take_spare() {
            Some(spare) => spare,
            None => match Worker::new(WORKER_SCRIPT) {
                Ok(worker) => (worker, false),
                Err(_) => return Err(bytes),
            },
        };
        let state = Rc::new(JobState {
            worker: worker.clone(),
            cancelled: Cell::new(false),
            received: RefCell::new(Received::default()),
            on_event,
        });
        // The bytes stay here until the worker is ready, so that they can be decoded on the page
        // instead if it never is.
        let pending = Rc::new(RefCell::new(Some(bytes)));
        let send = sender(Rc::clone(&state), Rc::clone(&pending), name);
        if ready {
            send();
        }
        let on_message = {
            let state = Rc::clone(&state);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if !state.cancelled.get() {
                    state.heard(event.data(), &send);
                }
            })
        };
        let on_error = {
            let state = Rc::clone(&state);
            Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                event.prevent_default();
                if state.cancelled.get() {
                    return;
                }
                if let Some(bytes) = pending.borrow_mut().take() {
                    state.stop();
                    state.on_event.emit(JobEvent::Unavailable(bytes));
                    return;
                }
                let message = event.dyn_ref::<web_sys::ErrorEvent>().map_or_else(
                    || "the decoder stopped".to_owned(),
                    web_sys::ErrorEvent::message,
                );
                state.fail(message);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            state,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Stops the worker, and the page's part of the job; nothing more is reported.
    pub fn cancel(&self) {
        self.state.stop();
    }
}

impl Drop for DecodeJob {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Posts the pending input to a ready worker, once, transferring its buffer.
fn sender(
    state: Rc<JobState>,
    pending: Rc<RefCell<Option<Uint8Array>>>,
    name: String,
) -> impl Fn() {
    move || {
        let Some(bytes) = pending.borrow_mut().take() else {
            return;
        };
        let buffer = bytes.buffer();
        // Only a whole buffer can be transferred; a view into a larger one is copied first.
        let whole = bytes.byte_offset() == 0 && bytes.byte_length() == buffer.byte_length();
        let buffer = if whole {
            buffer
        } else {
            bytes.slice(0, bytes.length()).buffer()
        };
        let message = Object::new();
        set(&message, "name", &JsValue::from_str(&name));
        set(&message, "bytes", &buffer);
        let transfer = Array::of1(&buffer);
        if let Err(error) = state.worker.post_message_with_transfer(&message, &transfer) {
            state.fail(describe_js(&error));
        }
    }
}

/// A worker started before it is needed (see [`prewarm`]).
struct Spare {
    worker: Worker,
    /// It has said `ready`: its wasm is running.
    ready: Rc<Cell<bool>>,
    /// It failed to start (no worker script, for example).
    failed: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static SPARE: RefCell<Option<Spare>> = const { RefCell::new(None) };
}

/// Starts a worker ahead of need, so that the next decode does not wait for the worker's script
/// and wasm to load and start (about 0.2 s on a fast machine, more on a slow one), and has it
/// warm its code up (see [`WARM_UP`]). Does nothing when one is already waiting.
pub fn prewarm() {
    SPARE.with(|spare| {
        if spare.borrow().is_some() {
            return;
        }
        let Ok(worker) = Worker::new(WORKER_SCRIPT) else {
            return;
        };
        let ready = Rc::new(Cell::new(false));
        let failed = Rc::new(Cell::new(false));
        let on_message = {
            let ready = Rc::clone(&ready);
            let worker = worker.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                match get_string(&data, "kind").as_deref() {
                    Some("ready") => {
                        ready.set(true);
                        let warm_up = Object::new();
                        set(&warm_up, "kind", &WARM_UP.into());
                        let _ = worker.post_message(&warm_up);
                    }
                    // For `cargo xtask bench-browser`, which reports the warm-up's cost.
                    Some("warmed") => mark("cwmpi-decoder-warmed", &data),
                    _ => {}
                }
            })
        };
        let on_error = {
            let failed = Rc::clone(&failed);
            Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                event.prevent_default();
                failed.set(true);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *spare.borrow_mut() = Some(Spare {
            worker,
            ready,
            failed,
            _on_message: on_message,
            _on_error: on_error,
        });
    });
}

/// What a spare worker is asked once ready: to run its decoder on a small capture shipped
/// with it, so that the browser optimises the decoder's code while the user is still choosing
/// a file. Browsers first run WebAssembly through a quick baseline compiler and optimise a
/// function only once it has run a while; without this, a large capture spends its first
/// second in baseline code (a 100 MB capture decoded about 10% slower).
const WARM_UP: &str = "warm-up";

/// The capture the warm-up decodes: the real Baicells capture of the examples (88 KB), whose
/// pcap, TCP, HTTP and CWMP paths are those a capture takes.
const WARM_UP_CAPTURE: &[u8] = include_bytes!("../static/examples/magma-baicells-enodebd.pcap");

/// How many times the warm-up decodes it.
const WARM_UP_RUNS: usize = 20;

/// Runs the warm-up (see [`WARM_UP`]) and says how long it took.
fn warm_up(scope: &DedicatedWorkerGlobalScope) {
    let start = js_sys::Date::now();
    for _ in 0..WARM_UP_RUNS {
        let capture = cwmp_session::analyse(WARM_UP_CAPTURE, Some("warm-up"));
        // Sending the results is part of every decode too.
        let _ = serde_json::to_vec(&capture.sessions);
        let mut exchanges = capture.exchanges;
        let _ = concatenated_bodies(&mut exchanges);
        let _ = bincode::serialize(&exchanges);
    }
    let message = Object::new();
    set(&message, "kind", &"warmed".into());
    set(&message, "ms", &(js_sys::Date::now() - start).into());
    let _ = scope.post_message(&message);
}

/// A `performance` mark named `name` whose detail is `detail`, for measurements.
fn mark(name: &str, detail: &JsValue) {
    let performance = Reflect::get(&js_sys::global(), &"performance".into()).unwrap_or_default();
    let options = Object::new();
    set(&options, "detail", detail);
    let mark = Reflect::get(&performance, &"mark".into())
        .ok()
        .and_then(|mark| mark.dyn_into::<js_sys::Function>().ok());
    if let Some(mark) = mark {
        let _ = mark.call2(&performance, &name.into(), &options);
    }
}

/// A spare worker, with whether it is ready, unless there is none or it failed.
fn take_spare() -> Option<(Worker, bool)> {
    let spare = SPARE.with(|spare| spare.borrow_mut().take())?;
    spare.worker.set_onmessage(None);
    spare.worker.set_onerror(None);
    if spare.failed.get() {
        spare.worker.terminate();
        return None;
    }
    Some((spare.worker.clone(), spare.ready.get()))
}

/// The parts of the worker's results received so far, parsed as they arrive (while the worker
/// is still decoding, for the exchanges).
#[derive(Default)]
struct Received {
    exchanges: Vec<HttpExchange>,
    sessions: Vec<cwmp_session::Session>,
    /// Every body, end to end, and each one's length, in exchange order.
    bodies: Option<(Uint8Array, Vec<u32>)>,
    /// Bodies put back so far, and where the next one starts.
    bodies_read: usize,
    bodies_offset: u32,
}

impl Received {
    /// Reads one `bodies`, `exchanges` or `sessions` message.
    fn read(&mut self, kind: &str, data: &JsValue) -> Result<(), String> {
        let field = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
        let encoded = || {
            field("data")
                .and_then(|v| v.dyn_into::<Uint8Array>().ok())
                .map(|array| array.to_vec())
                .ok_or(format!("no {kind} in the decoder's answer"))
        };
        match kind {
            "bodies" => {
                let lengths = field("lengths")
                    .and_then(|v| v.dyn_into::<Uint32Array>().ok())
                    .ok_or("no body lengths in the decoder's answer")?
                    .to_vec();
                let bodies = field("bodies")
                    .and_then(|v| v.dyn_into::<Uint8Array>().ok())
                    .ok_or("no bodies in the decoder's answer")?;
                self.bodies = Some((bodies, lengths));
            }
            "exchanges" => {
                let mut part: Vec<HttpExchange> = bincode::deserialize(&encoded()?)
                    .map_err(|error| format!("unreadable exchanges: {error}"))?;
                self.fill_bodies(&mut part);
                self.exchanges.extend(part);
            }
            _ => {
                // As text: the page already parses JSON text elsewhere, and a second (byte)
                // reader would add its code to the page.
                let text = String::from_utf8(encoded()?)
                    .map_err(|error| format!("unreadable sessions: {error}"))?;
                let part: Vec<cwmp_session::Session> = serde_json::from_str(&text)
                    .map_err(|error| format!("unreadable sessions: {error}"))?;
                self.sessions.extend(part);
            }
        }
        Ok(())
    }

    /// Puts back the bodies of the next `exchanges`, each copied straight from the browser's
    /// memory.
    fn fill_bodies(&mut self, exchanges: &mut [HttpExchange]) {
        let Some((bodies, lengths)) = &self.bodies else {
            return;
        };
        for message in exchanges.iter_mut().flat_map(messages_mut) {
            let Some(&length) = lengths.get(self.bodies_read) else {
                return;
            };
            let start = self.bodies_offset;
            let end = start.saturating_add(length).min(bodies.length());
            message.body = bodies.subarray(start, end).to_vec();
            self.bodies_read += 1;
            self.bodies_offset = end;
        }
    }

    /// The capture, from the parts and the `done` message (`data`), with the input handed back.
    fn finish(self, data: &JsValue) -> Result<(Capture, Option<Uint8Array>), String> {
        let model = get_string(data, "model").ok_or("no model in the decoder's answer")?;
        let input = Reflect::get(data, &JsValue::from_str("input"))
            .ok()
            .filter(JsCast::is_instance_of::<js_sys::ArrayBuffer>)
            .map(|buffer| Uint8Array::new(&buffer));
        let mut capture: Capture =
            serde_json::from_str(&model).map_err(|error| format!("unreadable results: {error}"))?;
        capture.exchanges = self.exchanges;
        capture.sessions = self.sessions;
        Ok((capture, input))
    }
}

/// Every HTTP message of an exchange, in the order the worker concatenates their bodies.
fn messages_mut(
    exchange: &mut HttpExchange,
) -> impl Iterator<Item = &mut cwmp_capture::HttpMessage> {
    exchange
        .request
        .iter_mut()
        .chain(exchange.interim.iter_mut())
        .chain(exchange.response.iter_mut())
}

/// Every body of `exchanges`, end to end in the browser's memory (copied once), and each one's
/// length.
fn concatenated_bodies(exchanges: &mut [HttpExchange]) -> (Uint8Array, Uint32Array) {
    let total: usize = exchanges
        .iter_mut()
        .flat_map(messages_mut)
        .map(|m| m.body.len())
        .sum();
    let bodies = Uint8Array::new_with_length(u32::try_from(total).unwrap_or(u32::MAX));
    let mut lengths = Vec::new();
    let mut offset: u32 = 0;
    for message in exchanges.iter_mut().flat_map(messages_mut) {
        let length = u32::try_from(message.body.len()).unwrap_or(u32::MAX);
        let end = offset.saturating_add(length).min(bodies.length());
        bodies
            .subarray(offset, end)
            .copy_from(&message.body[..(end - offset) as usize]);
        lengths.push(end - offset);
        offset = end;
    }
    (bodies, Uint32Array::from(lengths.as_slice()))
}

/// Imports, decodes and analyses `bytes`, reporting progress as it goes. `imported` gets the
/// exchanges as soon as they are read, before they are decoded.
pub fn analyse_with_progress(
    bytes: Vec<u8>,
    name: &str,
    report: &dyn Fn(Progress),
    imported: &mut dyn FnMut(&mut [HttpExchange]),
) -> Capture {
    #[expect(clippy::cast_precision_loss, reason = "a progress bar")]
    let step = |stage, done: usize, total: usize| Progress {
        stage,
        done: done as f64,
        total: total as f64,
    };
    report(step(Stage::Reading, 0, 1));
    let mut import = cwmp_capture::import(&bytes);
    // The exchanges own their bodies: the input is not needed any more.
    drop(bytes);
    imported(&mut import.exchanges);
    report(step(Stage::Reading, 1, 1));
    let total = import.exchanges.len();
    let mut decoded = Vec::with_capacity(total);
    report(step(Stage::Decoding, 0, total));
    for start in (0..total).step_by(CHUNK) {
        let end = (start + CHUNK).min(total);
        decoded.extend(cwmp_session::decode_exchanges(
            &mut import.exchanges[start..end],
            start,
            cwmp_session::AnalyseOptions::default(),
        ));
        report(step(Stage::Decoding, end, total));
    }
    report(step(Stage::Analysing, 0, 1));
    cwmp_session::analyse_decoded_with(import, decoded, Some(name))
}

/// The worker's side: answers the page's `{name, bytes}` or `{kind, ...}` (see the module
/// docs). Called once by the `worker` binary's `main`.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = {
        let scope = scope.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if let Some(kind) = get_string(&data, "kind") {
                if kind == WARM_UP {
                    warm_up(&scope);
                    return;
                }
                let message = Object::new();
                match answer(&kind, &data) {
                    Ok(text) => {
                        set(&message, "kind", &"answer".into());
                        set(&message, "text", &text.into());
                    }
                    Err(error) => {
                        set(&message, "kind", &"failed".into());
                        set(&message, "message", &error.into());
                    }
                }
                let _ = scope.post_message(&message);
                return;
            }
            if let Err(error) = decode_for_page(&scope, &data) {
                let message = Object::new();
                set(&message, "kind", &"failed".into());
                set(&message, "message", &error.into());
                let _ = scope.post_message(&message);
            }
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = Object::new();
    set(&ready, "kind", &"ready".into());
    let _ = scope.post_message(&ready);
}

/// Decodes the page's `{name, bytes}` and posts the results as the module docs describe.
fn decode_for_page(scope: &DedicatedWorkerGlobalScope, data: &JsValue) -> Result<(), String> {
    let name = get_string(data, "name").unwrap_or_default();
    let input = Reflect::get(data, &JsValue::from_str("bytes"))
        .ok()
        .filter(JsCast::is_instance_of::<js_sys::ArrayBuffer>);
    let bytes = input
        .as_ref()
        .map(|buffer| Uint8Array::new(buffer).to_vec())
        .unwrap_or_default();
    let post_progress = |progress: Progress| {
        let message = Object::new();
        set(&message, "kind", &"progress".into());
        set(&message, "stage", &progress.stage.as_str().into());
        set(&message, "done", &progress.done.into());
        set(&message, "total", &progress.total.into());
        let _ = scope.post_message(&message);
    };
    let mut posted = Ok(());
    let mut capture = analyse_with_progress(bytes, &name, &post_progress, &mut |exchanges| {
        posted = post_exchanges(scope, exchanges);
    });
    posted?;
    post_progress(Progress::start(Stage::Sending));
    let sessions = std::mem::take(&mut capture.sessions);
    for part in sessions.chunks(SESSION_PARTS) {
        let encoded = serde_json::to_vec(part).map_err(|error| error.to_string())?;
        post_part(scope, "sessions", &encoded);
    }
    // Freed only after `done` is posted: freeing millions of small allocations takes a tenth of
    // a second on a large capture, which the page need not wait for (it ends the worker).
    let exchanges = std::mem::take(&mut capture.exchanges);
    let model = json(&capture)?;
    let message = Object::new();
    set(&message, "kind", &"done".into());
    set(&message, "model", &model.into());
    let transfer = Array::new();
    // The input goes back untouched (transferred, not copied): the page keeps it.
    if let Some(input) = &input {
        set(&message, "input", input);
        transfer.push(input);
    }
    let _ = scope.post_message_with_transfer(&message, &transfer);
    drop((sessions, exchanges, capture));
    Ok(())
}

/// Posts the bodies of `exchanges` in one buffer, then the exchanges in parts without their
/// bodies and input spans, in bincode: encoding them as JSON took longer than decoding the
/// capture's CWMP, and the page has no other use for their text.
fn post_exchanges(
    scope: &DedicatedWorkerGlobalScope,
    exchanges: &mut [HttpExchange],
) -> Result<(), String> {
    let (bodies, lengths) = concatenated_bodies(exchanges);
    let message = Object::new();
    set(&message, "kind", &"bodies".into());
    set(&message, "bodies", &bodies);
    set(&message, "lengths", &lengths);
    let _ = scope
        .post_message_with_transfer(&message, &Array::of2(&bodies.buffer(), &lengths.buffer()));
    for part in exchanges.chunks_mut(PARTS) {
        // Taken out for the encoding and put back for decoding. The bodies crossed already; the
        // spans (where each message lies in the input) are not shown on the page, and are a
        // sixth of the JSON of a segmented capture.
        let taken: Vec<(Vec<u8>, Vec<std::ops::Range<usize>>)> = part
            .iter_mut()
            .flat_map(messages_mut)
            .map(|m| (std::mem::take(&mut m.body), std::mem::take(&mut m.spans)))
            .collect();
        let encoded = bincode::serialize(&*part);
        for (message, (body, spans)) in part.iter_mut().flat_map(messages_mut).zip(taken) {
            message.body = body;
            message.spans = spans;
        }
        post_part(
            scope,
            "exchanges",
            &encoded.map_err(|error| error.to_string())?,
        );
    }
    Ok(())
}

/// Posts one encoded part of the results as bytes, transferred: as a string it would be
/// converted to UTF-16 here and back to UTF-8 on the page.
fn post_part(scope: &DedicatedWorkerGlobalScope, kind: &str, encoded: &[u8]) {
    let encoded = Uint8Array::from(encoded);
    let message = Object::new();
    set(&message, "kind", &kind.into());
    set(&message, "data", &encoded);
    let _ = scope.post_message_with_transfer(&message, &Array::of1(&encoded.buffer()));
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn get_string(source: &JsValue, key: &str) -> Option<String> {
    Reflect::get(source, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

fn get_number(source: &JsValue, key: &str) -> f64 {
    Reflect::get(source, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

fn describe_js(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Lets the browser paint and handle input before going on.
async fn yield_now() {
    gloo::timers::future::TimeoutFuture::new(0).await;
}

/// The worker's answer to a one-off question: JSON, or the HAR text for `share-export`.
fn answer(kind: &str, data: &JsValue) -> Result<String, String> {
    match kind {
        "auth" => json(&check_auth(data)),
        "auth-udp" => {
            let text = |key: &str| get_string(data, key);
            let request = cwmp_capture::UdpConnectionRequest {
                target: text("target").unwrap_or_default(),
                signature: text("signature"),
                ..cwmp_capture::UdpConnectionRequest::default()
            };
            let password = text("password").unwrap_or_default();
            json(&cwmp_session::auth::check_udp_signature(
                &request, &password,
            ))
        }
        "share-scan" => {
            let capture = analyse_input(data);
            let views: Vec<cwmp_session::share::RedactionView> =
                cwmp_session::share::find_redactions(&capture)
                    .iter()
                    .map(Into::into)
                    .collect();
            json(&views)
        }
        "share-export" => {
            let capture = analyse_input(data);
            // `[indices]` and `session id or null`, as JSON.
            let read = |key: &str| get_string(data, key).unwrap_or_default();
            let enabled: Vec<usize> = serde_json::from_str(&read("enabled"))
                .map_err(|error| format!("unreadable question: {error}"))?;
            let session: Option<usize> = serde_json::from_str(&read("session"))
                .map_err(|error| format!("unreadable question: {error}"))?;
            Ok(cwmp_session::share::export_enabled(
                &capture, &enabled, session,
            ))
        }
        other => Err(format!("the decoder does not know the question {other:?}")),
    }
}

/// An answer as JSON.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|error| error.to_string())
}

/// The capture of a question's `{bytes, name}`, analysed here again: the same code on the same
/// bytes gives the page's capture, so indices into it agree.
fn analyse_input(data: &JsValue) -> Capture {
    let name = get_string(data, "name").unwrap_or_default();
    let bytes = Reflect::get(data, &JsValue::from_str("bytes"))
        .map(|buffer| Uint8Array::new(&buffer).to_vec())
        .unwrap_or_default();
    cwmp_session::analyse(&bytes, Some(&name))
}

/// The auth debugger's computation: `{method, target, authorization, challenge, body, password}`
/// as sent by [`ask_auth`].
fn check_auth(data: &JsValue) -> cwmp_session::auth::AuthVerdict {
    let text = |key: &str| get_string(data, key).unwrap_or_default();
    let body = Reflect::get(data, &JsValue::from_str("body"))
        .ok()
        .filter(|value| !value.is_undefined())
        .map(|value| Uint8Array::new(&value).to_vec())
        .unwrap_or_default();
    let mut headers = vec![cwmp_capture::HeaderField {
        name: "Authorization".to_owned(),
        value: text("authorization"),
    }];
    headers.retain(|header| !header.value.is_empty());
    let request = cwmp_capture::HttpMessage::synthetic(
        cwmp_capture::StartLine::Request {
            method: text("method"),
            target: text("target"),
            minor_version: 1,
        },
        headers,
        body,
        None,
    );
    let challenge = get_string(data, "challenge").and_then(|c| cwmp_capture::AuthParams::parse(&c));
    cwmp_session::auth::check_http_auth(&request, challenge.as_ref(), &text("password"))
}

/// What the auth debugger checks: the request that carried credentials and the challenge it
/// answered.
pub struct AuthQuestion<'a> {
    /// The request's method.
    pub method: &'a str,
    /// The request target.
    pub target: &'a str,
    /// Its `Authorization` header value.
    pub authorization: &'a str,
    /// The `WWW-Authenticate` value of the 401 it answered, if any.
    pub challenge: Option<&'a str>,
    /// The request body (Digest `auth-int` hashes it).
    pub body: &'a [u8],
    /// The password to try.
    pub password: &'a str,
}

/// Recomputes an HTTP Basic or Digest answer in a worker, where the hash functions live.
///
/// # Errors
///
/// When no worker can start or it fails, in words.
pub async fn ask_auth(
    question: &AuthQuestion<'_>,
) -> Result<cwmp_session::auth::AuthVerdict, String> {
    let request = Object::new();
    set(&request, "kind", &"auth".into());
    set(&request, "method", &question.method.into());
    set(&request, "target", &question.target.into());
    set(&request, "authorization", &question.authorization.into());
    if let Some(challenge) = question.challenge {
        set(&request, "challenge", &challenge.into());
    }
    set(&request, "body", &Uint8Array::from(question.body));
    set(&request, "password", &question.password.into());
    let json = ask(&request).await?;
    serde_json::from_str(&json).map_err(|error| format!("unreadable answer: {error}"))
}

/// Checks a UDP connection request's `sig` (TR-069 Annex G) against `password` in a worker,
/// where HMAC-SHA1 lives: the signature covers the `ts`, `id`, `un` and `cn` of `target`.
///
/// # Errors
///
/// When no worker can start or it fails, in words.
pub async fn ask_udp_auth(
    target: &str,
    signature: Option<&str>,
    password: &str,
) -> Result<cwmp_session::auth::AuthVerdict, String> {
    let request = Object::new();
    set(&request, "kind", &"auth-udp".into());
    set(&request, "target", &target.into());
    if let Some(signature) = signature {
        set(&request, "signature", &signature.into());
    }
    set(&request, "password", &password.into());
    let json = ask(&request).await?;
    serde_json::from_str(&json).map_err(|error| format!("unreadable answer: {error}"))
}

/// The redactions a share link can apply to the capture read from `input`, found in a worker.
///
/// # Errors
///
/// When no worker can start or it fails, in words.
pub async fn ask_redactions(
    input: &Uint8Array,
    name: &str,
) -> Result<Vec<cwmp_session::share::RedactionView>, String> {
    let request = share_request("share-scan", input, name);
    let json = ask(&request).await?;
    serde_json::from_str(&json).map_err(|error| format!("unreadable answer: {error}"))
}

/// The HAR of the capture read from `input`, with the redactions at `enabled` (indices into
/// [`ask_redactions`]'s list) applied; only `session`'s exchanges when given.
///
/// # Errors
///
/// When no worker can start or it fails, in words.
pub async fn ask_export(
    input: &Uint8Array,
    name: &str,
    enabled: &[usize],
    session: Option<usize>,
) -> Result<String, String> {
    let request = share_request("share-export", input, name);
    set(&request, "enabled", &json(&enabled)?.into());
    set(&request, "session", &json(&session)?.into());
    ask(&request).await
}

/// `{kind, name, bytes}`, with a copy of the input (the page keeps its own).
fn share_request(kind: &str, input: &Uint8Array, name: &str) -> Object {
    let request = Object::new();
    set(&request, "kind", &kind.into());
    set(&request, "name", &name.into());
    set(&request, "bytes", &input.slice(0, input.length()));
    request
}

/// Asks a fresh worker one question (`{kind, ...}`) and returns its JSON answer. The worker's
/// script and wasm are cached by the browser after the first decode, so this costs an
/// instantiation, not a download.
///
/// # Errors
///
/// When the worker cannot start, fails, or answers `failed`.
pub async fn ask(request: &Object) -> Result<String, String> {
    let worker = Worker::new(WORKER_SCRIPT).map_err(|error| describe_js(&error))?;
    let settle: Rc<RefCell<Option<(js_sys::Function, js_sys::Function)>>> =
        Rc::new(RefCell::new(None));
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        *settle.borrow_mut() = Some((resolve, reject));
    });
    let finish = {
        let settle = Rc::clone(&settle);
        move |answer: Result<JsValue, JsValue>| {
            if let Some((resolve, reject)) = settle.borrow_mut().take() {
                let _ = match answer {
                    Ok(value) => resolve.call1(&JsValue::NULL, &value),
                    Err(error) => reject.call1(&JsValue::NULL, &error),
                };
            }
        }
    };
    let on_message = {
        let worker = worker.clone();
        let request = request.clone();
        let finish = finish.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            match get_string(&data, "kind").as_deref() {
                Some("ready") => {
                    if let Err(error) = worker.post_message(&request) {
                        finish(Err(error));
                    }
                }
                Some("answer") => finish(Ok(
                    Reflect::get(&data, &JsValue::from_str("text")).unwrap_or_default()
                )),
                Some("failed") => finish(Err(
                    Reflect::get(&data, &JsValue::from_str("message")).unwrap_or_default()
                )),
                _ => {}
            }
        })
    };
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.prevent_default();
        let message = event.dyn_ref::<web_sys::ErrorEvent>().map_or_else(
            || "the worker stopped".to_owned(),
            web_sys::ErrorEvent::message,
        );
        finish(Err(message.into()));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let answer = wasm_bindgen_futures::JsFuture::from(promise).await;
    worker.terminate();
    drop((on_message, on_error));
    match answer {
        Ok(json) => json
            .as_string()
            .ok_or_else(|| "the worker's answer is not text".to_owned()),
        Err(error) => Err(describe_js(&error)),
    }
}
