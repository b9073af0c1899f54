//! Decoding off the main thread: a dedicated Web Worker (the `worker` binary, `src/bin/worker.rs`)
//! imports, decodes and analyses an input while the page stays responsive.
//!
//! The protocol, all plain `postMessage` objects:
//!
//! 1. The worker starts and posts `{kind: "ready"}` (messages posted to it before its wasm is
//!    running would be lost, so the page waits for this).
//! 2. The page posts `{name, bytes}`, transferring `bytes` (an `ArrayBuffer`).
//! 3. The worker posts `{kind: "progress", stage, done, total}` as it goes, then
//!    `{kind: "done", model, sessions, exchanges, lengths, bodies}`: the [`Capture`] as JSON
//!    without its sessions and its `#[serde(skip)]` parts, the sessions as an array of JSON
//!    strings (each a JSON array of up to [`PARTS`] sessions), the HTTP exchanges likewise
//!    without their bodies, the body lengths (`Uint32Array`) and every body concatenated
//!    (`Uint8Array`), both transferred. The page parses the parts between paints, so that no
//!    single parse holds it for long. If encoding fails it posts `{kind: "failed", message}`; a
//!    panic surfaces as the worker's `error` event.
//! 4. The page rebuilds the [`Capture`] and decodes each message's envelope again for the detail
//!    pane, in slices between which the browser paints (see [`DecodeJob`]).
//!
//! Cancelling terminates the worker.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use cwmp_capture::HttpExchange;
use cwmp_session::{Capture, Direction};
use js_sys::{Array, Object, Reflect, Uint8Array, Uint32Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast as _, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker};
use yew::Callback;
use yew::platform::spawn_local;

/// The script the page starts the worker from: trunk's loader shim for the `worker` binary
/// (`data-loader-shim` in index.html), next to the page.
pub const WORKER_SCRIPT: &str = "./worker_loader.js";

/// Exchanges decoded between two progress reports.
const CHUNK: usize = 500;

/// Sessions, or exchanges, per JSON part of the worker's answer.
const PARTS: usize = 500;

/// How long the page decodes envelopes before it lets the browser paint and handle input, in
/// milliseconds.
const SLICE_MS: f64 = 12.0;

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
    /// The page prepares each message's details (`done` of `total` messages).
    Preparing,
}

impl Stage {
    const ALL: [Self; 7] = [
        Self::Starting,
        Self::Reading,
        Self::Decoding,
        Self::Analysing,
        Self::Sending,
        Self::Receiving,
        Self::Preparing,
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
            Self::Preparing => "preparing",
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
            Self::Preparing => "Preparing message details",
        }
    }

    /// Where the stage starts and ends on the overall bar (rough shares of the time taken).
    fn span(self) -> (f64, f64) {
        match self {
            Self::Starting => (0.0, 0.02),
            Self::Reading => (0.02, 0.25),
            Self::Decoding => (0.25, 0.70),
            Self::Analysing => (0.70, 0.75),
            Self::Sending => (0.75, 0.80),
            Self::Receiving => (0.80, 0.85),
            Self::Preparing => (0.85, 1.0),
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
    /// It finished.
    Done(Box<Capture>),
    /// The worker failed while decoding.
    Failed(String),
    /// The worker could not be started (no worker script, for example); the caller decodes the
    /// bytes it gets back itself.
    Unavailable(Vec<u8>),
}

/// One input being decoded by a worker. Dropping it (or [`DecodeJob::cancel`]) stops the worker.
pub struct DecodeJob {
    worker: Worker,
    cancelled: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl DecodeJob {
    /// Starts a worker for `bytes`; `on_event` hears how it goes.
    ///
    /// # Errors
    ///
    /// When the browser refuses to create the worker at all, with the bytes handed back.
    pub fn start(
        name: String,
        bytes: Vec<u8>,
        on_event: Callback<JobEvent>,
    ) -> Result<Self, Vec<u8>> {
        let Ok(worker) = Worker::new(WORKER_SCRIPT) else {
            return Err(bytes);
        };
        let cancelled = Rc::new(Cell::new(false));
        // The bytes stay here until the worker is ready, so that they can be decoded on this
        // thread instead if it never is.
        let pending = Rc::new(RefCell::new(Some(bytes)));

        let on_message = {
            let worker = worker.clone();
            let pending = Rc::clone(&pending);
            let cancelled = Rc::clone(&cancelled);
            let on_event = on_event.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if cancelled.get() {
                    return;
                }
                let data = event.data();
                match get_string(&data, "kind").as_deref() {
                    Some("ready") => {
                        let Some(bytes) = pending.borrow_mut().take() else {
                            return;
                        };
                        let array = Uint8Array::from(bytes.as_slice());
                        drop(bytes);
                        let message = Object::new();
                        set(&message, "name", &JsValue::from_str(&name));
                        set(&message, "bytes", &array.buffer());
                        let transfer = Array::of1(&array.buffer());
                        if let Err(error) = worker.post_message_with_transfer(&message, &transfer) {
                            on_event.emit(JobEvent::Failed(describe_js(&error)));
                        }
                    }
                    Some("progress") => {
                        let stage = get_string(&data, "stage").and_then(|s| Stage::parse(&s));
                        if let Some(stage) = stage {
                            on_event.emit(JobEvent::Progress(Progress {
                                stage,
                                done: get_number(&data, "done"),
                                total: get_number(&data, "total"),
                            }));
                        }
                    }
                    Some("done") => {
                        worker.terminate();
                        let result = WorkerResult::read(&data);
                        let cancelled = Rc::clone(&cancelled);
                        let on_event = on_event.clone();
                        spawn_local(async move {
                            match result {
                                Ok(result) => {
                                    if let Some(capture) =
                                        result.into_capture(&cancelled, &on_event).await
                                    {
                                        on_event.emit(JobEvent::Done(Box::new(capture)));
                                    }
                                }
                                Err(message) => on_event.emit(JobEvent::Failed(message)),
                            }
                        });
                    }
                    Some("failed") => {
                        worker.terminate();
                        let message = get_string(&data, "message").unwrap_or_default();
                        on_event.emit(JobEvent::Failed(message));
                    }
                    _ => {}
                }
            })
        };
        let on_error = {
            let worker = worker.clone();
            let cancelled = Rc::clone(&cancelled);
            Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                event.prevent_default();
                worker.terminate();
                if cancelled.replace(true) {
                    return;
                }
                if let Some(bytes) = pending.borrow_mut().take() {
                    on_event.emit(JobEvent::Unavailable(bytes));
                } else {
                    let message = event.dyn_ref::<web_sys::ErrorEvent>().map_or_else(
                        || "the decoder stopped".to_owned(),
                        web_sys::ErrorEvent::message,
                    );
                    on_event.emit(JobEvent::Failed(message));
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            cancelled,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Stops the worker, and the page's part of the job; nothing more is reported.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        self.worker.terminate();
    }
}

impl Drop for DecodeJob {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// The worker's `done` message, read.
struct WorkerResult {
    model: String,
    sessions: Vec<String>,
    exchanges: Vec<String>,
    lengths: Vec<u32>,
    bodies: Vec<u8>,
}

impl WorkerResult {
    fn read(data: &JsValue) -> Result<Self, String> {
        let field = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
        let strings = |name: &str| -> Option<Vec<String>> {
            let array = field(name)?.dyn_into::<Array>().ok()?;
            array.iter().map(|part| part.as_string()).collect()
        };
        let model = get_string(data, "model").ok_or("no model in the decoder's answer")?;
        let sessions = strings("sessions").ok_or("no sessions in the answer")?;
        let exchanges = strings("exchanges").ok_or("no exchanges in the answer")?;
        let lengths = field("lengths")
            .and_then(|v| v.dyn_into::<Uint32Array>().ok())
            .ok_or("no body lengths in the answer")?
            .to_vec();
        let bodies = field("bodies")
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .ok_or("no bodies in the answer")?
            .to_vec();
        Ok(Self {
            model,
            sessions,
            exchanges,
            lengths,
            bodies,
        })
    }

    /// Rebuilds the capture, then decodes each message's envelope again (the detail pane shows
    /// them), yielding to the browser every [`SLICE_MS`]. `None` when cancelled meanwhile.
    async fn into_capture(
        self,
        cancelled: &Cell<bool>,
        on_event: &Callback<JobEvent>,
    ) -> Option<Capture> {
        let parts = self.sessions.len() + self.exchanges.len();
        #[expect(clippy::cast_precision_loss, reason = "a progress bar")]
        let receiving = |done: usize| {
            on_event.emit(JobEvent::Progress(Progress {
                stage: Stage::Receiving,
                done: done as f64,
                total: parts as f64,
            }));
        };
        let failed = |what: &str, error: &serde_json::Error| {
            on_event.emit(JobEvent::Failed(format!("unreadable {what}: {error}")));
        };
        receiving(0);
        yield_now().await;
        let mut capture: Capture = match serde_json::from_str(&self.model) {
            Ok(capture) => capture,
            Err(error) => {
                failed("results", &error);
                return None;
            }
        };
        let mut done = 0;
        for part in self.sessions {
            match serde_json::from_str::<Vec<cwmp_session::Session>>(&part) {
                Ok(sessions) => capture.sessions.extend(sessions),
                Err(error) => {
                    failed("sessions", &error);
                    return None;
                }
            }
            done += 1;
            receiving(done);
            yield_now().await;
            if cancelled.get() {
                return None;
            }
        }
        let mut exchanges: Vec<HttpExchange> = Vec::new();
        for part in self.exchanges {
            match serde_json::from_str::<Vec<HttpExchange>>(&part) {
                Ok(part) => exchanges.extend(part),
                Err(error) => {
                    failed("exchanges", &error);
                    return None;
                }
            }
            done += 1;
            receiving(done);
            yield_now().await;
            if cancelled.get() {
                return None;
            }
        }
        fill_bodies(&mut exchanges, &self.lengths, &self.bodies);
        drop(self.bodies);
        capture.exchanges = exchanges;

        prepare_envelopes(&mut capture, cancelled, on_event)
            .await
            .then_some(capture)
    }
}

/// Decodes each message's envelope again from its HTTP body (the detail pane shows them),
/// yielding to the browser every [`SLICE_MS`]. False when cancelled meanwhile.
async fn prepare_envelopes(
    capture: &mut Capture,
    cancelled: &Cell<bool>,
    on_event: &Callback<JobEvent>,
) -> bool {
    let total: usize = capture.sessions.iter().map(|s| s.messages.len()).sum();
    let report = |done: usize| {
        #[expect(clippy::cast_precision_loss, reason = "a progress bar")]
        on_event.emit(JobEvent::Progress(Progress {
            stage: Stage::Preparing,
            done: done as f64,
            total: total as f64,
        }));
    };
    report(0);
    yield_now().await;
    if cancelled.get() {
        return false;
    }
    let mut done = 0;
    let mut slice_start = now();
    let Capture {
        sessions,
        exchanges,
        ..
    } = capture;
    for message in sessions.iter_mut().flat_map(|s| s.messages.iter_mut()) {
        let http = exchanges
            .get(message.exchange)
            .and_then(|x| match message.direction {
                Direction::CpeToAcs => x.request.as_ref(),
                Direction::AcsToCpe => x.response.as_ref(),
            });
        if let Some(http) = http
            && let Ok(decoded) = cwmp_codec::decode(&http.body)
        {
            message.codec_diagnostics = decoded.diagnostics;
            if let cwmp_codec::Message::Envelope(envelope) = decoded.message {
                message.envelope = Some(envelope);
            }
        }
        done += 1;
        if now() - slice_start > SLICE_MS {
            report(done);
            yield_now().await;
            if cancelled.get() {
                return false;
            }
            slice_start = now();
        }
    }
    report(total);
    true
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

/// Puts back the bodies the worker sent apart.
fn fill_bodies(exchanges: &mut [HttpExchange], lengths: &[u32], bodies: &[u8]) {
    let mut lengths = lengths.iter();
    let mut offset = 0;
    for message in exchanges.iter_mut().flat_map(messages_mut) {
        let Some(&length) = lengths.next() else {
            return;
        };
        let end = (offset + length as usize).min(bodies.len());
        message.body = bodies[offset..end].to_vec();
        offset = end;
    }
}

/// Takes the bodies out of `exchanges`: their lengths in order, and all of them end to end.
fn take_bodies(exchanges: &mut [HttpExchange]) -> (Vec<u32>, Vec<u8>) {
    let total = exchanges
        .iter_mut()
        .flat_map(messages_mut)
        .map(|m| m.body.len())
        .sum();
    let mut bodies = Vec::with_capacity(total);
    let mut lengths = Vec::new();
    for message in exchanges.iter_mut().flat_map(messages_mut) {
        lengths.push(u32::try_from(message.body.len()).unwrap_or(u32::MAX));
        bodies.append(&mut message.body);
    }
    (lengths, bodies)
}

/// Imports, decodes and analyses `bytes`, reporting progress as it goes.
pub fn analyse_with_progress(bytes: &[u8], name: &str, report: &dyn Fn(Progress)) -> Capture {
    #[expect(clippy::cast_precision_loss, reason = "a progress bar")]
    let step = |stage, done: usize, total: usize| Progress {
        stage,
        done: done as f64,
        total: total as f64,
    };
    report(step(Stage::Reading, 0, 1));
    let mut import = cwmp_capture::import(bytes);
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

/// The worker's side: answers the page's `{name, bytes}` (see the module docs). Called once by
/// the `worker` binary's `main`.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = {
        let scope = scope.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let name = get_string(&data, "name").unwrap_or_default();
            let bytes = Reflect::get(&data, &JsValue::from_str("bytes"))
                .map(|buffer| Uint8Array::new(&buffer).to_vec())
                .unwrap_or_default();
            let post_progress = |progress: Progress| {
                let message = Object::new();
                set(&message, "kind", &"progress".into());
                set(&message, "stage", &progress.stage.as_str().into());
                set(&message, "done", &progress.done.into());
                set(&message, "total", &progress.total.into());
                let _ = scope.post_message(&message);
            };
            let mut capture = analyse_with_progress(&bytes, &name, &post_progress);
            drop(bytes);
            post_progress(Progress::start(Stage::Sending));
            let mut exchanges = std::mem::take(&mut capture.exchanges);
            let sessions = std::mem::take(&mut capture.sessions);
            let (lengths, bodies) = take_bodies(&mut exchanges);
            let message = Object::new();
            let encoded = serde_json::to_string(&capture)
                .and_then(|model| Ok((model, json_parts(&sessions)?, json_parts(&exchanges)?)));
            let (model, sessions, exchanges) = match encoded {
                Ok(encoded) => encoded,
                Err(error) => {
                    set(&message, "kind", &"failed".into());
                    set(&message, "message", &error.to_string().into());
                    let _ = scope.post_message(&message);
                    return;
                }
            };
            let lengths = Uint32Array::from(lengths.as_slice());
            let bodies = Uint8Array::from(bodies.as_slice());
            set(&message, "kind", &"done".into());
            set(&message, "model", &model.into());
            set(&message, "sessions", &sessions);
            set(&message, "exchanges", &exchanges);
            set(&message, "lengths", &lengths);
            set(&message, "bodies", &bodies);
            let transfer = Array::of2(&lengths.buffer(), &bodies.buffer());
            let _ = scope.post_message_with_transfer(&message, &transfer);
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = Object::new();
    set(&ready, "kind", &"ready".into());
    let _ = scope.post_message(&ready);
}

/// `items` as JSON, [`PARTS`] at a time: an array of strings.
fn json_parts<T: serde::Serialize>(items: &[T]) -> Result<Array, serde_json::Error> {
    let parts = Array::new();
    for chunk in items.chunks(PARTS) {
        parts.push(&JsValue::from_str(&serde_json::to_string(chunk)?));
    }
    Ok(parts)
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

/// Milliseconds, for slicing work.
fn now() -> f64 {
    js_sys::Date::now()
}

/// Lets the browser paint and handle input before going on.
async fn yield_now() {
    gloo::timers::future::TimeoutFuture::new(0).await;
}
