//! The Broadband Forum data models, fetched from `datamodel/*.tsv` the first time a message lists
//! a path they define, and kept for the rest of the page's life.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use cwmp_datamodel::{Entry, Index, model_file};
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use yew::Callback;
use yew::platform::spawn_local;

/// What is known of one index file.
#[derive(Clone)]
enum Model {
    Loading,
    Ready(Rc<Index>),
    Failed(String),
}

thread_local! {
    static MODELS: RefCell<HashMap<&'static str, Model>> = RefCell::new(HashMap::new());
}

/// What the data models say about one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The model's entry.
    Defined(Entry),
    /// A vendor extension (`X_…`), which no BBF model defines.
    Vendor,
    /// Not in the model that covers its root.
    Undefined,
    /// The model is being fetched.
    Loading,
    /// The model could not be fetched.
    Failed(String),
    /// No model covers this root.
    NoModel,
}

/// What the loaded models say about `path`.
pub fn lookup(path: &str) -> Lookup {
    let Some(file) = model_file(path) else {
        return Lookup::NoModel;
    };
    let model = MODELS.with(|m| m.borrow().get(file).cloned());
    match model {
        None | Some(Model::Loading) => Lookup::Loading,
        Some(Model::Failed(why)) => Lookup::Failed(why),
        Some(Model::Ready(index)) => match index.lookup(path) {
            Some(entry) => Lookup::Defined(entry.clone()),
            None if path.split('.').any(|s| s.starts_with("X_")) => Lookup::Vendor,
            None => Lookup::Undefined,
        },
    }
}

/// Starts fetching, once per file, the models these paths need; `on_loaded` runs when one
/// arrives (or fails), so that the caller can render again.
pub fn ensure<'p>(paths: impl Iterator<Item = &'p str>, on_loaded: &Callback<()>) {
    let mut wanted: Vec<&'static str> = paths.filter_map(model_file).collect();
    wanted.sort_unstable();
    wanted.dedup();
    for file in wanted {
        let started = MODELS.with(|m| {
            let mut m = m.borrow_mut();
            if m.contains_key(file) {
                false
            } else {
                m.insert(file, Model::Loading);
                true
            }
        });
        if !started {
            continue;
        }
        let on_loaded = on_loaded.clone();
        spawn_local(async move {
            let model = match fetch_text(&format!("datamodel/{file}")).await {
                Ok(text) => Model::Ready(Rc::new(Index::parse(&text))),
                Err(why) => Model::Failed(why),
            };
            MODELS.with(|m| m.borrow_mut().insert(file, model));
            on_loaded.emit(());
        });
    }
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("{url}: {e:?}"))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("{url}: not a response"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = response.text().map_err(|e| format!("{url}: {e:?}"))?;
    JsFuture::from(text)
        .await
        .map_err(|e| format!("{url}: {e:?}"))?
        .as_string()
        .ok_or_else(|| format!("{url}: not text"))
}
