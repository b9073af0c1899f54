//! The model and the encoder against the Broadband Forum CWMP schemas (`tests/fixtures/xsd/`).
//!
//! - Inventory: every element the schemas declare (header entries, RPCs, and every child of
//!   every complex type) appears, in its place, in the encoding of the fully populated samples of
//!   [`common::every_message`]; every RPC the model knows is declared by some schema version.
//! - Validation: every sample, encoded in `cwmp-1-0`, `cwmp-1-1` and `cwmp-1-2`, is valid
//!   against the schema of its version (`cwmp-1-2` also against `cwmp-1-4`), checked by
//!   `xmllint` offline through `catalog.xml`, with the Body and Header content validated
//!   strictly; `mustUnderstand` values, which xmllint does not check against the schemas'
//!   `fixed`, are checked here.
//! - Negative controls show the validation refuses what it should.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{HEADER_NAMES, every_message};
use cwmp_codec::model::{Body, Header, Rpc};
use cwmp_codec::{CwmpNamespace, EncodeOptions, Message, encode};
use quick_xml::events::{BytesStart, Event};

/// Where the schemas, the SOAP stand-ins, the wrappers and the catalog are.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xsd")
}

/// A schema version to check the samples against.
struct Version {
    /// The schema file, which pulls in the files it includes.
    schema: &'static str,
    /// The wrapper that validates a whole envelope against it.
    wrapper: &'static str,
    /// The namespace the samples are encoded in for it.
    namespace: CwmpNamespace,
}

const CWMP_1_0: Version = Version {
    schema: "cwmp-1-0.xsd",
    wrapper: "envelope-cwmp-1-0.xsd",
    namespace: CwmpNamespace::Cwmp1_0,
};
const CWMP_1_1: Version = Version {
    schema: "cwmp-1-1.xsd",
    wrapper: "envelope-cwmp-1-1.xsd",
    namespace: CwmpNamespace::Cwmp1_1,
};
const CWMP_1_2: Version = Version {
    schema: "cwmp-1-2.xsd",
    wrapper: "envelope-cwmp-1-2.xsd",
    namespace: CwmpNamespace::Cwmp1_2,
};
/// Protocol 1.4: `cwmp-1-4.xsd` redefines `cwmp-1-3.xsd`, which includes `cwmp-1-2.xsd`; all in
/// the `cwmp-1-2` namespace.
const CWMP_1_4: Version = Version {
    schema: "cwmp-1-4.xsd",
    wrapper: "envelope-cwmp-1-4.xsd",
    namespace: CwmpNamespace::Cwmp1_2,
};

const VERSIONS: [&Version; 4] = [&CWMP_1_0, &CWMP_1_1, &CWMP_1_2, &CWMP_1_4];

// ---------------------------------------------------------------------------------------------
// A small element tree, for schemas and encoded messages

/// An element: its qualified and local name, attributes by qualified name, and child elements.
/// Text is not kept; `xs:annotation` subtrees are dropped.
#[derive(Clone, Debug)]
struct Node {
    name: String,
    local: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Node>,
}

impl Node {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    fn child(&self, local: &str) -> Option<&Node> {
        self.children.iter().find(|child| child.local == local)
    }
}

fn node(start: &BytesStart<'_>) -> Node {
    let attributes = start
        .attributes()
        .map(|attribute| {
            let attribute = attribute.expect("well-formed attribute");
            let key: &str = attribute.key.as_ref();
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("well-formed attribute value");
            (key.to_owned(), value.into_owned())
        })
        .collect();
    let name = start.name();
    let local = start.local_name();
    Node {
        name: AsRef::<str>::as_ref(&name).to_owned(),
        local: AsRef::<str>::as_ref(&local).to_owned(),
        attributes,
        children: Vec::new(),
    }
}

/// Parses XML into its element tree.
fn parse_tree(xml: &str, what: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|error| panic!("{what} is not well-formed XML: {error}"));
        let finished = match event {
            Event::Start(start) => {
                stack.push(node(&start));
                None
            }
            Event::Empty(start) => Some(node(&start)),
            Event::End(_) => stack.pop(),
            Event::Eof => break,
            _ => None,
        };
        if let Some(finished) = finished {
            if finished.local == "annotation" {
                continue;
            }
            match stack.last_mut() {
                Some(parent) => parent.children.push(finished),
                None => root = Some(finished),
            }
        }
    }
    root.unwrap_or_else(|| panic!("{what} has no element"))
}

// ---------------------------------------------------------------------------------------------
// Schemas: which elements are declared where

/// The part of a `type`, `base` or `ref` value after its prefix.
fn unprefixed(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// What a schema version declares: global elements and, for every complex type (named or
/// anonymous), its child elements with the complex type of each (`None` for simple content).
#[derive(Default)]
struct Declarations {
    /// Global element name → its complex type's label, if it has element content.
    globals: BTreeMap<String, Option<String>>,
    /// Complex type label → child element name → the child's complex type label.
    types: BTreeMap<String, BTreeMap<String, Option<String>>>,
    /// Header entry → whether `mustUnderstand` is required, and its fixed value if any.
    must_understand: BTreeMap<String, (bool, Option<String>)>,
}

impl Declarations {
    /// Every `(type label, child name)` pair.
    fn pairs(&self) -> BTreeSet<(String, String)> {
        self.types
            .iter()
            .flat_map(|(label, children)| {
                children
                    .keys()
                    .map(move |child| (label.clone(), child.clone()))
            })
            .collect()
    }
}

/// Reads a schema and the schemas it includes or redefines (by the file name of their URL,
/// from the fixtures), and collects its declarations.
fn declarations(schema: &str) -> Declarations {
    let mut top_level = Vec::new();
    let mut loaded = BTreeSet::new();
    load_schema(schema, &mut loaded, &mut top_level);
    let named_types: BTreeMap<String, Node> = top_level
        .iter()
        .filter(|node| node.local == "complexType")
        .map(|node| {
            let name = node
                .attribute("name")
                .expect("a global complexType has a name");
            (name.to_owned(), node.clone())
        })
        .collect();
    let mut collector = Collector {
        named_types: &named_types,
        declarations: Declarations::default(),
    };
    for name in named_types.keys() {
        collector.named_type(name);
    }
    for element in top_level.iter().filter(|node| node.local == "element") {
        let name = element
            .attribute("name")
            .expect("a global element has a name");
        let ty = collector.element_type(element, &format!("element {name}"));
        collector.declarations.globals.insert(name.to_owned(), ty);
        if let Some(attribute) = must_understand_attribute(element) {
            let required = attribute.attribute("use") == Some("required");
            let fixed = attribute.attribute("fixed").map(str::to_owned);
            collector
                .declarations
                .must_understand
                .insert(name.to_owned(), (required, fixed));
        }
    }
    collector.declarations
}

/// The `soapenv:mustUnderstand` attribute use declared somewhere inside `node`.
fn must_understand_attribute(node: &Node) -> Option<&Node> {
    node.children.iter().find_map(|child| {
        if child.local == "attribute"
            && child.attribute("ref").map(unprefixed) == Some("mustUnderstand")
        {
            Some(child)
        } else {
            must_understand_attribute(child)
        }
    })
}

fn load_schema(file: &str, loaded: &mut BTreeSet<String>, top_level: &mut Vec<Node>) {
    if !loaded.insert(file.to_owned()) {
        return;
    }
    let path = fixtures().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let schema = parse_tree(&text, file);
    for child in schema.children {
        match child.local.as_str() {
            "include" | "redefine" => {
                let location = child.attribute("schemaLocation").expect("schemaLocation");
                let included = location.rsplit('/').next().unwrap_or(location).to_owned();
                load_schema(&included, loaded, top_level);
            }
            _ => top_level.push(child),
        }
    }
}

struct Collector<'s> {
    named_types: &'s BTreeMap<String, Node>,
    declarations: Declarations,
}

impl Collector<'_> {
    /// Registers a named complex type; its label.
    fn named_type(&mut self, name: &str) -> String {
        let label = format!("type {name}");
        if !self.declarations.types.contains_key(&label) {
            let node = self.named_types[name].clone();
            self.complex_type(&label, &node);
        }
        label
    }

    /// Registers the children of a complex type under `label`.
    fn complex_type(&mut self, label: &str, node: &Node) {
        // Mark it first: a type that contains itself must not recurse forever.
        self.declarations
            .types
            .insert(label.to_owned(), BTreeMap::new());
        let mut children = BTreeMap::new();
        self.content(label, node, &mut children);
        self.declarations.types.insert(label.to_owned(), children);
    }

    /// Collects the element particles of a complex type's content.
    fn content(
        &mut self,
        label: &str,
        node: &Node,
        children: &mut BTreeMap<String, Option<String>>,
    ) {
        for particle in &node.children {
            match particle.local.as_str() {
                "sequence" | "choice" | "all" | "complexContent" => {
                    self.content(label, particle, children);
                }
                "extension" => {
                    let base = unprefixed(particle.attribute("base").expect("base"));
                    if self.named_types.contains_key(base) {
                        let base_label = self.named_type(base);
                        children.extend(self.declarations.types[&base_label].clone());
                    }
                    self.content(label, particle, children);
                }
                // A restriction (of soapenc:Array here) replaces the base's content.
                "restriction" => self.content(label, particle, children),
                "element" => {
                    assert!(
                        particle.attribute("ref").is_none(),
                        "{label}: element references are not handled"
                    );
                    let name = particle
                        .attribute("name")
                        .expect("a local element has a name");
                    let ty = self.element_type(particle, &format!("{label}/{name}"));
                    children.insert(name.to_owned(), ty);
                }
                // Wildcards, attributes, simple content: no element children.
                _ => {}
            }
        }
    }

    /// The complex type label of an element declaration, registering an anonymous type under
    /// `label`; `None` for simple content.
    fn element_type(&mut self, element: &Node, label: &str) -> Option<String> {
        if let Some(ty) = element.attribute("type") {
            let ty = unprefixed(ty);
            return self
                .named_types
                .contains_key(ty)
                .then(|| self.named_type(ty));
        }
        let anonymous = element.child("complexType")?;
        if anonymous.child("simpleContent").is_some() {
            return None;
        }
        self.complex_type(label, anonymous);
        Some(label.to_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// The samples, per schema version

/// The header entry names a schema declares.
fn header_for(header: &Header, globals: &BTreeMap<String, Option<String>>) -> Header {
    let declared = |name: &str| globals.contains_key(name);
    let mut header = header.clone();
    if !declared("ID") {
        header.id = None;
    }
    if !declared("HoldRequests") {
        header.hold_requests = None;
    }
    if !declared("NoMoreRequests") {
        header.no_more_requests = None;
    }
    if !declared("SessionTimeout") {
        header.session_timeout = None;
    }
    if !declared("SupportedCWMPVersions") {
        header.supported_cwmp_versions = None;
    }
    if !declared("UseCWMPVersion") {
        header.use_cwmp_version = None;
    }
    header
}

/// The samples whose RPC the version declares, with the header entries it does not declare
/// removed, each encoded in the version's namespace: `(name, encoded)`.
fn samples_for(version: &Version, declarations: &Declarations) -> Vec<(String, String)> {
    let options = EncodeOptions {
        namespace: version.namespace,
        xml_declaration: true,
    };
    every_message()
        .into_iter()
        .filter(|(name, _)| declarations.globals.contains_key(name))
        .map(|(name, mut message)| {
            if let Message::Envelope(envelope) = &mut message {
                envelope.header = envelope
                    .header
                    .as_ref()
                    .map(|header| header_for(header, &declarations.globals));
            }
            (name, encode(&message, &options))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Inventory

/// What the encoded samples of one version cover.
#[derive(Default)]
struct Coverage {
    globals: BTreeSet<String>,
    pairs: BTreeSet<(String, String)>,
    /// Elements the schema does not declare where they stand.
    undeclared: Vec<String>,
}

impl Coverage {
    fn global(&mut self, declarations: &Declarations, element: &Node, sample: &str) {
        let Some(ty) = declarations.globals.get(&element.local) else {
            self.undeclared
                .push(format!("{sample}: <{}> is no global element", element.name));
            return;
        };
        self.globals.insert(element.local.clone());
        self.children(declarations, ty.as_deref(), element, sample);
    }

    fn children(
        &mut self,
        declarations: &Declarations,
        ty: Option<&str>,
        element: &Node,
        sample: &str,
    ) {
        let Some(label) = ty else {
            if let Some(child) = element.children.first() {
                self.undeclared.push(format!(
                    "{sample}: <{}> has simple content but holds <{}>",
                    element.name, child.name
                ));
            }
            return;
        };
        let declared = &declarations.types[label];
        for child in &element.children {
            let Some(child_ty) = declared.get(&child.local) else {
                self.undeclared.push(format!(
                    "{sample}: <{}> is not declared in {label}",
                    child.name
                ));
                continue;
            };
            self.pairs.insert((label.to_owned(), child.local.clone()));
            // `xsi:type` names the type the element really has: a CWMP complex type for
            // ChangeDUState's Operations, an `xsd:` simple type for parameter values.
            let child_ty = match child.attribute("xsi:type") {
                Some(ty) if ty.starts_with("xsd:") => None,
                Some(ty) => {
                    let label = format!("type {}", unprefixed(ty));
                    if declarations.types.contains_key(&label) {
                        Some(label)
                    } else {
                        self.undeclared
                            .push(format!("{sample}: xsi:type {ty:?} is no complex type"));
                        continue;
                    }
                }
                None => child_ty.clone(),
            };
            self.children(declarations, child_ty.as_deref(), child, sample);
        }
    }

    /// Walks an encoded envelope.
    fn envelope(&mut self, declarations: &Declarations, encoded: &str, sample: &str) {
        let envelope = parse_tree(encoded, sample);
        for part in &envelope.children {
            for entry in &part.children {
                if part.local == "Body" && entry.name == "SOAP-ENV:Fault" {
                    for detail in entry.children.iter().filter(|c| c.local == "detail") {
                        for fault in &detail.children {
                            self.global(declarations, fault, sample);
                        }
                    }
                } else {
                    self.global(declarations, entry, sample);
                }
            }
        }
    }
}

/// Every element the schemas declare, in every place they declare it, is written by the encoder
/// for the samples: so the model has a field for it and the encoder writes it.
#[test]
fn every_schema_element_is_modelled_and_encoded() {
    let mut failures = Vec::new();
    for version in VERSIONS {
        let declarations = declarations(version.schema);
        let mut coverage = Coverage::default();
        for (name, encoded) in samples_for(version, &declarations) {
            coverage.envelope(&declarations, &encoded, &name);
        }
        for undeclared in &coverage.undeclared {
            failures.push(format!("{}: {undeclared}", version.schema));
        }
        for global in declarations.globals.keys() {
            if !coverage.globals.contains(global) {
                failures.push(format!(
                    "{}: global element <{global}> is in no encoded sample",
                    version.schema
                ));
            }
        }
        for (label, child) in declarations.pairs().difference(&coverage.pairs) {
            failures.push(format!(
                "{}: <{child}> of {label} is in no encoded sample",
                version.schema
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "schema elements the model or the encoder miss:\n{}",
        failures.join("\n")
    );
}

/// `mustUnderstand` on every header entry is present where the schemas require it and has the
/// value they fix. xmllint does not enforce `fixed` on these attribute uses (it accepts
/// `mustUnderstand="0"` on `cwmp:ID`), so this checks it.
#[test]
fn header_must_understand_is_as_the_schemas_fix_it() {
    let mut failures = Vec::new();
    for version in VERSIONS {
        let declarations = declarations(version.schema);
        assert!(
            declarations.must_understand.contains_key("ID"),
            "{}: no mustUnderstand found on ID",
            version.schema
        );
        for (name, encoded) in samples_for(version, &declarations) {
            let envelope = parse_tree(&encoded, &name);
            let Some(header) = envelope.child("Header") else {
                failures.push(format!("{name}: no Header"));
                continue;
            };
            for entry in &header.children {
                let Some((required, fixed)) = declarations.must_understand.get(&entry.local) else {
                    continue;
                };
                let value = entry.attribute("SOAP-ENV:mustUnderstand");
                match (value, fixed) {
                    (None, _) if *required => failures.push(format!(
                        "{} {name}: <{}> has no mustUnderstand; the schema requires it",
                        version.schema, entry.name
                    )),
                    (Some(value), Some(fixed)) if value != fixed => failures.push(format!(
                        "{} {name}: <{}> has mustUnderstand=\"{value}\"; the schema fixes \"{fixed}\"",
                        version.schema, entry.name
                    )),
                    _ => {}
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The RPC elements of the model and of the schemas are the same, and so are the header entries
/// but `NoMoreRequests`.
#[test]
fn model_and_schemas_declare_the_same_rpcs_and_headers() {
    let all: Vec<(&str, Declarations)> = VERSIONS
        .iter()
        .map(|version| (version.schema, declarations(version.schema)))
        .collect();
    let declared: BTreeSet<&str> = all
        .iter()
        .flat_map(|(_, declarations)| declarations.globals.keys().map(String::as_str))
        .collect();
    for rpc in Rpc::KNOWN {
        assert!(declared.contains(rpc), "{rpc} is in no schema");
    }
    for (schema, declarations) in &all {
        for global in declarations.globals.keys() {
            assert!(
                Rpc::KNOWN.contains(&global.as_str())
                    || HEADER_NAMES.contains(&global.as_str())
                    || global == "Fault",
                "{schema} declares <{global}>, which the model does not know"
            );
        }
    }
    // NoMoreRequests (TR-069 Issue 1, deprecated since Amendment 1) is in no schema, yet the
    // model has it and the encoder writes it.
    for header in HEADER_NAMES {
        assert_eq!(
            declared.contains(header),
            header != "NoMoreRequests",
            "header {header}"
        );
    }
    let (_, message) = &every_message()[0];
    for namespace in CwmpNamespace::ALL {
        let options = EncodeOptions {
            namespace,
            xml_declaration: false,
        };
        let encoded = encode(message, &options);
        let envelope = parse_tree(&encoded, "the encoded message");
        let header = envelope.child("Header").expect("a Header");
        assert!(
            header.child("NoMoreRequests").is_some(),
            "no NoMoreRequests in {encoded}"
        );
    }
}

/// Records in `gaps` every `null` under `path`, and every array of fewer than two items but the
/// vendor header entries.
fn walk(value: &serde_json::Value, path: &str, gaps: &mut Vec<String>) {
    match value {
        serde_json::Value::Null => gaps.push(format!("{path} is absent")),
        serde_json::Value::Array(items) => {
            if items.len() < 2 && !path.ends_with(".header.unknown") {
                gaps.push(format!("{path} has {} item(s)", items.len()));
            }
            for (index, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{index}]"), gaps);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, field) in fields {
                walk(field, &format!("{path}.{key}"), gaps);
            }
        }
        _ => {}
    }
}

/// `every_message` covers every RPC and fills every field: no absent value (JSON `null`) and
/// no list shorter than two, but for the vendor header entries, which no schema would accept.
#[test]
fn every_message_is_complete() {
    let names: Vec<String> = every_message().into_iter().map(|(name, _)| name).collect();
    let mut expected: Vec<String> = Rpc::KNOWN.iter().map(|name| (*name).to_owned()).collect();
    expected.push("Fault".to_owned());
    assert_eq!(names, expected);

    let mut gaps = Vec::new();
    for (name, message) in every_message() {
        let value = serde_json::to_value(&message).expect("messages serialize");
        walk(&value, &name, &mut gaps);
        if let Message::Envelope(envelope) = &message {
            assert!(
                matches!(envelope.body, Body::Rpc(_) | Body::Fault(_)),
                "{name}"
            );
        }
    }
    assert!(gaps.is_empty(), "incomplete samples:\n{}", gaps.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Validation with xmllint

/// A directory of its own under the system temporary directory.
fn temp_dir(label: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let dir = std::env::temp_dir().join(format!(
        "cwmp-codec-schema-{label}-{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    dir
}

/// `XML_CATALOG_FILES` naming `catalog.xml`: a space-separated list of URIs.
fn catalog_files() -> String {
    let path = fixtures().join("catalog.xml");
    format!("file://{}", path.display().to_string().replace(' ', "%20"))
}

/// Validates each `(name, document)` against `wrapper`; the names of the documents that fail,
/// with xmllint's messages about each.
fn xmllint(wrapper: &str, documents: &[(String, String)]) -> Vec<(String, String)> {
    let dir = temp_dir(wrapper.trim_end_matches(".xsd"));
    let files: Vec<PathBuf> = documents
        .iter()
        .map(|(name, document)| {
            let path = dir.join(format!("{name}.xml"));
            std::fs::write(&path, document)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            path
        })
        .collect();
    let output = Command::new("xmllint")
        .env("XML_CATALOG_FILES", catalog_files())
        .args(["--nonet", "--noout", "--schema"])
        .arg(fixtures().join(wrapper))
        .args(&files)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run xmllint ({error}): install libxml2-utils \
                 (Debian: apt-get install libxml2-utils; `cargo xtask test` installs it)"
            )
        });
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stderr.contains("failed to compile") && !stderr.contains("Skipping import"),
        "the schema {wrapper} does not load cleanly:\n{stderr}"
    );
    let mut failures = Vec::new();
    for ((name, _), path) in documents.iter().zip(&files) {
        let path = path.display().to_string();
        if stderr
            .lines()
            .any(|line| line == format!("{path} validates"))
        {
            continue;
        }
        let messages: Vec<&str> = stderr
            .lines()
            .filter(|line| line.starts_with(&path))
            .collect();
        failures.push((name.clone(), messages.join("\n")));
    }
    // Best effort: a leftover temporary directory is harmless. Failures show the documents.
    let _ = std::fs::remove_dir_all(&dir);
    if failures.is_empty() {
        assert!(output.status.success(), "xmllint failed:\n{stderr}");
    }
    failures
}

/// Encodes the samples for `version` and validates them; panics listing every failure with
/// xmllint's reason and the encoded message.
fn validate_samples(version: &Version) {
    let declarations = declarations(version.schema);
    let samples = samples_for(version, &declarations);
    let failures = xmllint(version.wrapper, &samples);
    let report: Vec<String> = failures
        .iter()
        .map(|(name, reason)| {
            let encoded = &samples
                .iter()
                .find(|(sample, _)| sample == name)
                .expect("a sample")
                .1;
            format!("--- {name}\n{reason}\n{encoded}")
        })
        .collect();
    assert!(
        report.is_empty(),
        "{} of {} samples encoded in {} are not valid against {}:\n{}",
        report.len(),
        samples.len(),
        version.namespace,
        version.schema,
        report.join("\n\n")
    );
}

#[test]
fn samples_are_valid_cwmp_1_0() {
    validate_samples(&CWMP_1_0);
}

#[test]
fn samples_are_valid_cwmp_1_1() {
    validate_samples(&CWMP_1_1);
}

#[test]
fn samples_are_valid_cwmp_1_2() {
    validate_samples(&CWMP_1_2);
}

#[test]
fn samples_are_valid_cwmp_1_4() {
    validate_samples(&CWMP_1_4);
}

/// The validation is strict: invalid messages are refused, so valid ones prove something.
#[test]
fn validation_refuses_invalid_messages() {
    let declarations = declarations(CWMP_1_2.schema);
    let samples = samples_for(&CWMP_1_2, &declarations);
    let inform = &samples
        .iter()
        .find(|(name, _)| name == "Inform")
        .expect("an Inform")
        .1;
    let broken = [
        // An RPC the schema does not declare.
        inform.replace("cwmp:Inform>", "cwmp:Informer>"),
        // A value the schema does not allow (the OUI is six uppercase hex digits).
        inform.replace("<OUI>00D09E</OUI>", "<OUI>00d09e</OUI>"),
        // A header entry the schema does not declare.
        inform.replace(
            "</SOAP-ENV:Header>",
            "<cwmp:NoMoreRequests>1</cwmp:NoMoreRequests></SOAP-ENV:Header>",
        ),
        // A misplaced element inside a vendor-free structure.
        inform.replace("<MaxEnvelopes>", "<X_Vendor>1</X_Vendor><MaxEnvelopes>"),
        // A SOAP Fault whose detail holds an undeclared element.
        inform.replace(
            "<cwmp:Inform>",
            "<SOAP-ENV:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring>\
             <detail><cwmp:Faults/></detail></SOAP-ENV:Fault><cwmp:Inform>",
        ),
    ];
    let documents: Vec<(String, String)> = broken
        .iter()
        .enumerate()
        .map(|(index, document)| {
            assert_ne!(document, inform, "broken document {index} is unchanged");
            (format!("broken-{index}"), document.clone())
        })
        .collect();
    let failures = xmllint(CWMP_1_2.wrapper, &documents);
    let refused: Vec<&str> = failures.iter().map(|(name, _)| name.as_str()).collect();
    let all: Vec<&str> = documents.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(refused, all, "{failures:#?}");
}

/// Text the model can hold but XML 1.0 cannot carry (C0 controls other than tab, line feed and
/// carriage return; U+FFFE, U+FFFF) must not make the encoder write a document no conforming
/// parser reads. The codec's own decoder is lenient and reads it back, so the round trip alone
/// does not show it.
#[test]
fn encoder_output_is_well_formed_for_any_text() {
    use cwmp_codec::Text;
    use cwmp_codec::model::{Envelope, Kicked};
    let message = Message::Envelope(Envelope {
        namespace: None,
        header: None,
        body: Body::Rpc(Rpc::Kicked(Kicked {
            command: Some(Text::new("a\u{1}b")),
            referer: Some(Text::new("\u{1f}")),
            arg: Some(Text::new("\u{fffe}")),
            ..Kicked::default()
        })),
        body_span: cwmp_codec::Span::default(),
        span: cwmp_codec::Span::default(),
    });
    let encoded = encode(&message, &EncodeOptions::default());
    let dir = temp_dir("well-formed");
    let path = dir.join("kicked.xml");
    std::fs::write(&path, &encoded).expect("temporary file");
    let output = Command::new("xmllint")
        .args(["--nonet", "--noout"])
        .arg(&path)
        .output()
        .expect("xmllint runs (install libxml2-utils)");
    // Best effort: a leftover temporary directory is harmless.
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "not well-formed XML:\n{}\n{encoded:?}",
        String::from_utf8_lossy(&output.stderr)
    );
}
