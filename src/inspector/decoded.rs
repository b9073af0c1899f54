//! Message bodies read on demand. The worker's answer carries what the lists, the ladder and the
//! findings need, not the decoded envelopes (sending them would cost more than reading again):
//! the page reads a message's body as a generic tree (`cwmp_codec::parse_tree`) when its detail
//! is opened, and the parameter names of every message only when a `param:` filter asks for
//! them. The names are kept for the capture's lifetime, the trees in a small cache.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use cwmp_codec::XmlElement;
use cwmp_session::{Capture, Direction, Message};

use super::tree;

/// How many trees are kept: the detail pane revisits recent messages, and a
/// GetParameterValuesResponse can hold megabytes.
const TREES_KEPT: usize = 32;

/// A message's key: its exchange and which half of it.
type Key = (usize, bool);

fn key(message: &Message) -> Key {
    (message.exchange, message.direction == Direction::CpeToAcs)
}

/// The last [`TREES_KEPT`] trees read (`None`: empty or not XML), and in which order.
type Recent = (HashMap<Key, Option<Rc<XmlElement>>>, VecDeque<Key>);

/// The page's cache of bodies read, for one capture. Share it with [`DecodedCache`].
#[derive(Default)]
pub struct Decoded {
    trees: RefCell<Recent>,
    names: RefCell<HashMap<Key, Rc<[String]>>>,
    texts: RefCell<HashMap<Key, Rc<str>>>,
}

impl Decoded {
    /// The message's body as an element tree; `None` for an empty body or one that is not
    /// well-formed XML (the analysis says why).
    pub fn tree(&self, capture: &Capture, message: &Message) -> Option<Rc<XmlElement>> {
        let key = key(message);
        if let Some(tree) = self.trees.borrow().0.get(&key) {
            return tree.clone();
        }
        let tree = read(capture, message).map(Rc::new);
        let (map, order) = &mut *self.trees.borrow_mut();
        if order.len() >= TREES_KEPT
            && let Some(oldest) = order.pop_front()
        {
            map.remove(&oldest);
        }
        map.insert(key, tree.clone());
        order.push_back(key);
        tree
    }

    /// The parameter names or paths the message's RPC lists (empty when it lists none).
    pub fn parameter_names(&self, capture: &Capture, message: &Message) -> Rc<[String]> {
        let key = key(message);
        if let Some(names) = self.names.borrow().get(&key) {
            return Rc::clone(names);
        }
        let names: Rc<[String]> = read(capture, message)
            .map_or_else(|| Rc::from([]), |tree| tree::parameter_names(&tree).into());
        self.names.borrow_mut().insert(key, Rc::clone(&names));
        names
    }
}

impl Decoded {
    /// The text of the message's body, lower-cased, for the filter's free text: every run of
    /// characters between tags (parameter names and values, fault codes and strings, event
    /// codes…), one per line. Read straight from the bytes, without building a tree.
    pub fn text(&self, capture: &Capture, message: &Message) -> Rc<str> {
        let key = key(message);
        if let Some(text) = self.texts.borrow().get(&key) {
            return Rc::clone(text);
        }
        let text: Rc<str> =
            body(capture, message).map_or_else(|| Rc::from(""), |b| text_of(b).into());
        self.texts.borrow_mut().insert(key, Rc::clone(&text));
        text
    }
}

/// The runs of text between the tags of an XML body, lower-cased, one per line.
fn text_of(body: &[u8]) -> String {
    let mut out = String::new();
    for piece in body.split(|&b| b == b'<') {
        let Some(end) = piece.iter().position(|&b| b == b'>') else {
            continue;
        };
        let run = String::from_utf8_lossy(&piece[end + 1..]);
        let run = run.trim();
        if !run.is_empty() {
            out.push_str(&super::format::lowercase(run));
            out.push('\n');
        }
    }
    out
}

/// A message's body bytes, from the capture's HTTP exchanges.
fn body<'c>(capture: &'c Capture, message: &Message) -> Option<&'c [u8]> {
    let exchange = capture.exchanges.get(message.exchange)?;
    let http = match message.direction {
        Direction::CpeToAcs => exchange.request.as_ref(),
        Direction::AcsToCpe => exchange.response.as_ref(),
    }?;
    Some(&http.body)
}

/// Reads a message's body from the capture's HTTP exchanges.
fn read(capture: &Capture, message: &Message) -> Option<XmlElement> {
    cwmp_codec::parse_tree(body(capture, message)?)
        .ok()
        .flatten()
}

/// [`Decoded`] shared through the component tree (a context): equal only to itself.
#[derive(Clone, Default)]
pub struct DecodedCache(pub Rc<Decoded>);

impl PartialEq for DecodedCache {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
