//! The Broadband Forum data models (TR-181, TR-098, TR-196, TR-104, TR-106) as a compact index:
//! for a parameter path seen in a capture, its type, access and description.
//!
//! The index is derived once from the BBF "full" XML ([`build_index`], run by `cargo xtask
//! datamodel`), committed under `static/datamodel/`, and loaded lazily by the app
//! ([`Index::parse`]). One line per object or parameter, tab-separated:
//!
//! ```text
//! path \t type \t access \t version \t description
//! ```
//!
//! `path` is the BBF form with `{i}` for instance numbers; `access` is `R` or `W`; the
//! description is its first paragraph, with BBF markup (`{{param|X}}`, `{{bibref|Y}}`…) reduced
//! to text. Sans-IO: both directions work on strings in memory.

use std::collections::HashMap;
use std::fmt;

use quick_xml::events::Event;

/// One object or parameter of a data model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The path in BBF form, such as `Device.IP.Interface.{i}.Enable`; objects end with `.`.
    pub path: String,
    /// The type: `string`, `unsignedInt`, `boolean`, `dateTime`, a named data type such as
    /// `IPAddress`, `list of string`, or `object`.
    pub kind: String,
    /// Whether the ACS may write it.
    pub writable: bool,
    /// The model version that added it, such as `2.8`.
    pub version: String,
    /// The first paragraph of its description, as plain text.
    pub description: String,
}

/// Why BBF XML could not be indexed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    /// Byte offset in the XML.
    pub offset: u64,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for BuildError {}

/// The longest description kept, in characters; the rest is cut at a word boundary.
const MAX_DESCRIPTION: usize = 320;

const TYPES: &[&str] = &[
    "string",
    "unsignedInt",
    "int",
    "unsignedLong",
    "long",
    "boolean",
    "dateTime",
    "base64",
    "hexBinary",
    "decimal",
];

/// Builds the index of one BBF "full" data-model XML document (`<dm:document>` with one
/// `<model>`). Returns the model name (such as `Device:2.17`) and the index text.
///
/// # Errors
///
/// [`BuildError`] when the XML is not well formed or holds no model.
pub fn build_index(xml: &str) -> Result<(String, String), BuildError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut b = IndexBuilder::default();
    loop {
        let event = reader.read_event().map_err(|e| BuildError {
            offset: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) => b.start(&e, false),
            Event::Empty(e) => b.start(&e, true),
            Event::Text(t) if b.in_description => b.description.push_str(&t.into_inner()),
            Event::GeneralRef(r) if b.in_description => {
                b.description.push_str(match r.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Event::End(e) => b.end(e.local_name().as_ref()),
            Event::Eof => break,
            _ => {}
        }
    }
    let model = b.model.ok_or(BuildError {
        offset: 0,
        message: "no <model> element".to_owned(),
    })?;
    Ok((model, b.out))
}

/// What [`build_index`] tracks between events.
#[derive(Default)]
struct IndexBuilder {
    model: Option<String>,
    /// The object whose definition is being read (empty between objects).
    object: String,
    out: String,
    /// The object or parameter being read.
    current: Option<Entry>,
    in_description: bool,
    description: String,
    /// Depth inside `<syntax>`: 0 outside, 1 for its direct children, where the type is named.
    syntax_depth: usize,
    list: bool,
}

impl IndexBuilder {
    fn start(&mut self, e: &quick_xml::events::BytesStart<'_>, empty: bool) {
        let name = e.local_name();
        let name: &str = name.as_ref();
        let attr = |key: &str| {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == key)
                .map(|a| a.value.as_ref().to_owned())
        };
        if self.syntax_depth > 0 {
            if self.syntax_depth == 1
                && let Some(entry) = self.current.as_mut()
                && entry.kind.is_empty()
            {
                if name == "list" {
                    self.list = true;
                } else if TYPES.contains(&name) {
                    name.clone_into(&mut entry.kind);
                } else if name == "dataType" {
                    entry.kind = attr("ref").or_else(|| attr("base")).unwrap_or_default();
                }
            }
            if !empty {
                self.syntax_depth += 1;
            }
            return;
        }
        match name {
            "model" if self.model.is_none() => self.model = attr("name"),
            // Profiles list objects and parameters by `ref`; only definitions have a `name`.
            "object" if attr("name").is_some() => {
                self.object = attr("name").unwrap_or_default();
                self.current = Some(Entry {
                    path: self.object.clone(),
                    kind: "object".to_owned(),
                    writable: attr("access").as_deref() == Some("readWrite"),
                    version: attr("version").unwrap_or_default(),
                    description: String::new(),
                });
            }
            "parameter" if !self.object.is_empty() && attr("name").is_some() => {
                // The object's own entry is complete once its first parameter starts.
                if let Some(entry) = self.current.take() {
                    write_line(&mut self.out, &entry);
                }
                self.current = Some(Entry {
                    path: format!("{}{}", self.object, attr("name").unwrap_or_default()),
                    kind: String::new(),
                    writable: attr("access").as_deref() == Some("readWrite"),
                    version: attr("version").unwrap_or_default(),
                    description: String::new(),
                });
                self.list = false;
            }
            "description" if self.current.is_some() && !empty => {
                self.in_description = true;
                self.description.clear();
            }
            "syntax" if self.current.is_some() && !empty => self.syntax_depth = 1,
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.syntax_depth > 0 {
            self.syntax_depth -= 1;
            return;
        }
        match name {
            "description" if self.in_description => {
                self.in_description = false;
                if let Some(entry) = self.current.as_mut() {
                    entry.description = plain_text(&self.description);
                }
            }
            "parameter" | "object" => {
                if let Some(mut entry) = self.current.take() {
                    if self.list && entry.kind != "object" {
                        entry.kind = format!("list of {}", entry.kind);
                    }
                    write_line(&mut self.out, &entry);
                }
                if name == "object" {
                    self.object.clear();
                }
            }
            _ => {}
        }
    }
}

fn write_line(out: &mut String, e: &Entry) {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    out.push_str(&clean(&e.path));
    out.push('\t');
    out.push_str(&clean(&e.kind));
    out.push('\t');
    out.push(if e.writable { 'W' } else { 'R' });
    out.push('\t');
    out.push_str(&clean(&e.version));
    out.push('\t');
    out.push_str(&clean(&e.description));
    out.push('\n');
}

/// The first paragraph of a BBF description, markup reduced to text, whitespace collapsed.
fn plain_text(description: &str) -> String {
    let trimmed = description.trim();
    let first = trimmed.split("\n\n").next().unwrap_or(trimmed);
    let first = first
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(first.len());
    let mut rest = first.as_str();
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &rest[start + 2..start + len];
        let mut parts = inner.split('|');
        let name = parts.next().unwrap_or("");
        let arg = parts.next();
        if let ("bibref", Some(a)) = (name, arg) {
            out.push('[');
            out.push_str(a);
            out.push(']');
            rest = &rest[start + len + 2..];
            continue;
        }
        out.push_str(&match (name, arg) {
            ("empty", _) => "empty".to_owned(),
            ("numentries", _) => "The number of entries in the matching table.".to_owned(),
            ("units", None) => "units".to_owned(),
            ("null", _) => "null".to_owned(),
            ("true" | "false", _) => name.to_owned(),
            (_, Some(a)) => a.to_owned(),
            ("enum" | "param" | "object" | "list" | "datatype" | "reference", None) => {
                String::new()
            }
            (other, None) => other.to_owned(),
        });
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    // MediaWiki-style emphasis ('' and ''') carries no meaning in plain text.
    let out = out.replace("'''", "").replace("''", "");
    let collapsed: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= MAX_DESCRIPTION {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(MAX_DESCRIPTION).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

/// A loaded index: entries by their BBF path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    by_path: HashMap<String, Entry>,
}

impl Index {
    /// Reads index text written by [`build_index`]; malformed lines are skipped.
    pub fn parse(text: &str) -> Self {
        let mut by_path = HashMap::new();
        for line in text.lines() {
            let mut f = line.splitn(5, '\t');
            let (Some(path), Some(kind), Some(access), Some(version), Some(description)) =
                (f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            by_path.insert(
                path.to_owned(),
                Entry {
                    path: path.to_owned(),
                    kind: kind.to_owned(),
                    writable: access == "W",
                    version: version.to_owned(),
                    description: description.to_owned(),
                },
            );
        }
        Self { by_path }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// The entry for a concrete path, such as `Device.IP.Interface.3.Enable` (instance numbers
    /// become `{i}`; a service path under `Device.Services.` or `InternetGatewayDevice.Services.`
    /// is also tried from the service object, as service models are defined).
    ///
    /// A table named without an instance, as GetParameterNames lists it
    /// (`InternetGatewayDevice.LANDevice.`), is the multi-instance object the model defines as
    /// `InternetGatewayDevice.LANDevice.{i}.`.
    pub fn lookup(&self, path: &str) -> Option<&Entry> {
        let pattern = bbf_path(path);
        self.lookup_pattern(&pattern).or_else(|| {
            pattern
                .ends_with('.')
                .then(|| self.lookup_pattern(&format!("{pattern}{{i}}.")))
                .flatten()
        })
    }

    fn lookup_pattern(&self, pattern: &str) -> Option<&Entry> {
        if let Some(e) = self.by_path.get(pattern) {
            return Some(e);
        }
        ["Device.Services.", "InternetGatewayDevice.Services."]
            .iter()
            .find_map(|root| self.by_path.get(pattern.strip_prefix(root)?))
    }
}

/// The committed index file (under `static/datamodel/`) of the model that defines paths like
/// `path`: TR-196 for FAPService, TR-104 for VoiceService, TR-181 under `Device.`, TR-098 under
/// `InternetGatewayDevice.`; `None` for any other root.
pub fn model_file(path: &str) -> Option<&'static str> {
    if path.starts_with("Device.Services.FAPService.")
        || path.starts_with("InternetGatewayDevice.Services.FAPService.")
    {
        Some("tr-196-2-1-2-cwmp.tsv")
    } else if path.contains(".Services.VoiceService.") {
        Some("tr-104-2-0-2-cwmp.tsv")
    } else if path.starts_with("Device.") {
        Some("tr-181-2-17-0-cwmp.tsv")
    } else if path.starts_with("InternetGatewayDevice.") {
        Some("tr-098-1-8-0.tsv")
    } else {
        None
    }
}

/// A concrete path in BBF form: every all-digit segment becomes `{i}`.
pub fn bbf_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    for (i, segment) in path.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str("{i}");
        } else {
            out.push_str(segment);
        }
    }
    out
}
