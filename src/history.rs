//! Recent captures kept in this browser's IndexedDB, so that a capture loaded yesterday opens
//! again without finding the file: its name, when it was loaded, its size, its recognised format
//! and its bytes.
//!
//! Two object stores share one key per capture: `meta` (small records, listed on the start
//! screen) and `bytes` (the capture itself, read only when it is opened), so listing never reads
//! megabytes. Each capture is kept only up to [`MAX_ENTRY_BYTES`], and all of them up to
//! [`MAX_TOTAL_BYTES`]: the oldest are removed first. Uses web-sys's `Idb*` API directly: a
//! crate would add wasm for the few calls needed.

use std::cell::Cell;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    EventTarget, IdbDatabase, IdbFactory, IdbObjectStoreParameters, IdbRequest, IdbTransaction,
    IdbTransactionMode,
};

/// The database's name.
pub const DATABASE: &str = "cwmp-inspector";
/// The store of small records, one per capture.
pub const META_STORE: &str = "meta";
/// The store of the captures' bytes, under the same keys.
pub const BYTES_STORE: &str = "bytes";
/// The largest capture kept: 50 MB.
pub const MAX_ENTRY_BYTES: usize = 50 * 1000 * 1000;
/// The most kept in all: 200 MB.
pub const MAX_TOTAL_BYTES: usize = 200 * 1000 * 1000;

/// A kept capture, without its bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// Its key in both stores.
    pub key: f64,
    /// The file name, or "pasted text".
    pub name: String,
    /// When it was loaded, in milliseconds since the Unix epoch.
    pub date: f64,
    /// Its size in bytes.
    pub size: usize,
    /// The format recognised when it was loaded, in words.
    pub format: String,
}

/// What [`save`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Kept; this many older captures were removed to stay under [`MAX_TOTAL_BYTES`].
    Kept {
        /// How many were removed.
        evicted: usize,
    },
    /// Larger than [`MAX_ENTRY_BYTES`]: not kept.
    TooLarge,
}

thread_local! {
    // Keeps keys unique when several files are saved in the same millisecond.
    static COUNTER: Cell<u32> = const { Cell::new(0) };
}

/// Keeps `bytes` under `name`; a capture with the same name and size replaces the older one.
///
/// # Errors
///
/// Why IndexedDB refused, in words (no IndexedDB in this browser, storage full…).
pub async fn save(name: &str, format: &str, bytes: &Uint8Array) -> Result<Saved, String> {
    if bytes.length() as usize > MAX_ENTRY_BYTES {
        return Ok(Saved::TooLarge);
    }
    let database = open().await?;
    let saved = save_in(&database, name, format, bytes).await;
    // Closed on every path: an open connection would block a later upgrade.
    database.close();
    saved
}

async fn save_in(
    database: &IdbDatabase,
    name: &str,
    format: &str,
    bytes: &Uint8Array,
) -> Result<Saved, String> {
    let mut entries = list_in(database).await?;
    let date = js_sys::Date::now();
    let serial = COUNTER.with(|counter| {
        let serial = counter.get();
        counter.set(serial.wrapping_add(1));
        serial % 1000
    });
    let key = date * 1000.0 + f64::from(serial);

    let (remove, evicted) =
        plan_removals(&mut entries, name, bytes.length() as usize, MAX_TOTAL_BYTES);

    let transaction = write_transaction(database)?;
    let meta = store(&transaction, META_STORE)?;
    let stored_bytes = store(&transaction, BYTES_STORE)?;
    for key in remove {
        let key = JsValue::from_f64(key);
        meta.delete(&key).map_err(describe)?;
        stored_bytes.delete(&key).map_err(describe)?;
    }
    let record = Object::new();
    for (field, value) in [
        ("name", JsValue::from_str(name)),
        ("date", JsValue::from_f64(date)),
        (
            "size",
            JsValue::from_f64(size_as_f64(bytes.length() as usize)),
        ),
        ("format", JsValue::from_str(format)),
    ] {
        Reflect::set(&record, &JsValue::from_str(field), &value).map_err(describe)?;
    }
    let key_value = JsValue::from_f64(key);
    meta.put_with_key(&record, &key_value).map_err(describe)?;
    stored_bytes
        .put_with_key(bytes, &key_value)
        .map_err(describe)?;
    completed(&transaction).await?;
    Ok(Saved::Kept { evicted })
}

/// The kept captures, newest first.
///
/// # Errors
///
/// Why IndexedDB refused, in words.
pub async fn list() -> Result<Vec<HistoryEntry>, String> {
    let database = open().await?;
    let entries = list_in(&database).await;
    database.close();
    entries
}

/// The bytes of the capture kept under `key`; `None` when it is no longer there.
///
/// # Errors
///
/// Why IndexedDB refused, in words.
pub async fn load(key: f64) -> Result<Option<Uint8Array>, String> {
    let database = open().await?;
    let bytes = load_in(&database, key).await;
    database.close();
    bytes
}

async fn load_in(database: &IdbDatabase, key: f64) -> Result<Option<Uint8Array>, String> {
    let transaction = database
        .transaction_with_str(BYTES_STORE)
        .map_err(describe)?;
    let request = store(&transaction, BYTES_STORE)?
        .get(&JsValue::from_f64(key))
        .map_err(describe)?;
    let value = finished(&request).await?;
    Ok(value.dyn_into::<Uint8Array>().ok())
}

/// Forgets the capture kept under `key`.
///
/// # Errors
///
/// Why IndexedDB refused, in words.
pub async fn delete(key: f64) -> Result<(), String> {
    let database = open().await?;
    let deleted = delete_in(&database, key).await;
    database.close();
    deleted
}

async fn delete_in(database: &IdbDatabase, key: f64) -> Result<(), String> {
    let transaction = write_transaction(database)?;
    let key = JsValue::from_f64(key);
    store(&transaction, META_STORE)?
        .delete(&key)
        .map_err(describe)?;
    store(&transaction, BYTES_STORE)?
        .delete(&key)
        .map_err(describe)?;
    completed(&transaction).await?;
    Ok(())
}

/// Which kept captures to remove before keeping `size` more bytes under `name`: an older copy of
/// the same capture (same name and size), then the oldest until everything fits in `budget`.
/// `entries` is newest first; returns the keys and how many of them were evicted for room.
fn plan_removals(
    entries: &mut Vec<HistoryEntry>,
    name: &str,
    size: usize,
    budget: usize,
) -> (Vec<f64>, usize) {
    let mut remove: Vec<f64> = entries
        .iter()
        .filter(|entry| entry.name == name && entry.size == size)
        .map(|entry| entry.key)
        .collect();
    entries.retain(|entry| !remove.contains(&entry.key));
    let replaced = remove.len();
    let mut total: usize = entries.iter().map(|entry| entry.size).sum::<usize>() + size;
    while total > budget {
        let Some(oldest) = entries.pop() else { break };
        total -= oldest.size;
        remove.push(oldest.key);
    }
    let evicted = remove.len() - replaced;
    (remove, evicted)
}

#[expect(clippy::cast_precision_loss, reason = "sizes are far below 2^53")]
fn size_as_f64(size: usize) -> f64 {
    size as f64
}

/// Opens the database, creating its stores on first use.
async fn open() -> Result<IdbDatabase, String> {
    let factory = gloo::utils::window()
        .indexed_db()
        .map_err(describe)?
        .ok_or_else(|| "this browser offers no IndexedDB (a private window?)".to_owned())?;
    let database = open_version(&factory, None).await?;
    let names = database.object_store_names();
    if names.contains(META_STORE) && names.contains(BYTES_STORE) {
        return Ok(database);
    }
    // Made by something else without the stores: a newer version lets them be created.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "IndexedDB versions are small positive integers"
    )]
    let next = database.version() as u32 + 1;
    database.close();
    open_version(&factory, Some(next)).await
}

/// Opens the database at `version` (`None`: whichever it has, or 1 when new), creating the
/// missing stores when that is an upgrade.
async fn open_version(factory: &IdbFactory, version: Option<u32>) -> Result<IdbDatabase, String> {
    let request = match version {
        Some(version) => factory.open_with_u32(DATABASE, version),
        None => factory.open(DATABASE),
    }
    .map_err(describe)?;
    let upgrade = Closure::once_into_js(move |event: web_sys::Event| {
        let database = event
            .target()
            .and_then(|target| target.dyn_into::<IdbRequest>().ok())
            .and_then(|request| request.result().ok())
            .and_then(|result| result.dyn_into::<IdbDatabase>().ok());
        if let Some(database) = database {
            let names = database.object_store_names();
            for name in [META_STORE, BYTES_STORE] {
                if !names.contains(name) {
                    // Keys are given on each put (out of line), the same key in both stores.
                    let _ = database.create_object_store_with_optional_parameters(
                        name,
                        &IdbObjectStoreParameters::new(),
                    );
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let database = finished(&request).await?;
    database
        .dyn_into::<IdbDatabase>()
        .map_err(|_| "IndexedDB did not open the database".to_owned())
}

/// The kept captures in an open database, newest first.
async fn list_in(database: &IdbDatabase) -> Result<Vec<HistoryEntry>, String> {
    let transaction = database
        .transaction_with_str(META_STORE)
        .map_err(describe)?;
    let meta = store(&transaction, META_STORE)?;
    let keys = finished(&meta.get_all_keys().map_err(describe)?).await?;
    let values = finished(&meta.get_all().map_err(describe)?).await?;
    let keys = Array::from(&keys);
    let values = Array::from(&values);
    let field = |record: &JsValue, name: &str| {
        Reflect::get(record, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let mut entries: Vec<HistoryEntry> = keys
        .iter()
        .zip(values.iter())
        .filter_map(|(key, record)| {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a byte count this app stored"
            )]
            let size = field(&record, "size").as_f64()? as usize;
            Some(HistoryEntry {
                key: key.as_f64()?,
                name: field(&record, "name").as_string()?,
                date: field(&record, "date").as_f64()?,
                size,
                format: field(&record, "format").as_string().unwrap_or_default(),
            })
        })
        .collect();
    entries.sort_by(|a, b| b.key.total_cmp(&a.key));
    Ok(entries)
}

fn write_transaction(database: &IdbDatabase) -> Result<IdbTransaction, String> {
    let stores = Array::of2(
        &JsValue::from_str(META_STORE),
        &JsValue::from_str(BYTES_STORE),
    );
    database
        .transaction_with_str_sequence_and_mode(&stores, IdbTransactionMode::Readwrite)
        .map_err(describe)
}

fn store(transaction: &IdbTransaction, name: &str) -> Result<web_sys::IdbObjectStore, String> {
    transaction.object_store(name).map_err(describe)
}

/// Waits for `request` and returns its result.
async fn finished(request: &IdbRequest) -> Result<JsValue, String> {
    if fired(request, "success", &["error"]).await {
        request.result().map_err(describe)
    } else {
        Err(request_error(request))
    }
}

/// Waits until `transaction` has written everything.
async fn completed(transaction: &IdbTransaction) -> Result<(), String> {
    if fired(transaction, "complete", &["error", "abort"]).await {
        Ok(())
    } else {
        Err(transaction
            .error()
            .map_or_else(|| "IndexedDB gave up writing".to_owned(), |e| e.message()))
    }
}

/// Whether `target` fires `done` before any of `failed`. The promise's own resolve and reject
/// are the listeners: no Rust closure is needed.
async fn fired(target: &EventTarget, done: &str, failed: &[&str]) -> bool {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let _ = target.add_event_listener_with_callback(done, &resolve);
        for name in failed {
            let _ = target.add_event_listener_with_callback(name, &reject);
        }
    });
    JsFuture::from(promise).await.is_ok()
}

fn request_error(request: &IdbRequest) -> String {
    request
        .error()
        .ok()
        .flatten()
        .map_or_else(|| "IndexedDB failed".to_owned(), |error| error.message())
}

/// A thrown JavaScript value, in words.
#[expect(
    clippy::needless_pass_by_value,
    reason = "takes the value so that it reads `.map_err(describe)`"
)]
fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "IndexedDB failed".to_owned())
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::{HistoryEntry, plan_removals};

    wasm_bindgen_test_configure!(run_in_browser);

    fn entry(key: f64, name: &str, size: usize) -> HistoryEntry {
        HistoryEntry {
            key,
            name: name.to_owned(),
            date: key,
            size,
            format: String::new(),
        }
    }

    #[wasm_bindgen_test]
    fn the_oldest_go_first_until_the_new_capture_fits() {
        // Newest first, 100 bytes of budget.
        let mut entries = vec![
            entry(3.0, "c", 40),
            entry(2.0, "b", 30),
            entry(1.0, "a", 20),
        ];
        assert_eq!(
            plan_removals(&mut entries, "d", 50, 100),
            (vec![1.0, 2.0], 2)
        );
        let mut entries = vec![entry(3.0, "c", 40), entry(2.0, "b", 30)];
        assert_eq!(plan_removals(&mut entries, "d", 30, 100), (vec![], 0));
    }

    #[wasm_bindgen_test]
    fn the_same_capture_again_replaces_its_older_copy() {
        let mut entries = vec![entry(2.0, "x.pcap", 10), entry(1.0, "y.pcap", 10)];
        assert_eq!(
            plan_removals(&mut entries, "x.pcap", 10, 100),
            (vec![2.0], 0)
        );
        // Same name, other size: another capture.
        let mut entries = vec![entry(2.0, "x.pcap", 10)];
        assert_eq!(plan_removals(&mut entries, "x.pcap", 11, 100), (vec![], 0));
    }
}
