//! A small element tree over the input, built with quick-xml's `NsReader`: every element with its
//! resolved namespace, attributes, direct text and byte span. Decoding maps this tree to the CWMP
//! model; unknown parts stay available as raw elements.
//!
//! The tree is built under explicit limits, refuses DTDs (so no entity can expand), and keeps
//! spans in the caller's input even when the input had to be transcoded from ISO-8859-1.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use serde::Serialize;

use crate::error::DecodeError;
use crate::namespace::{CwmpNamespace, SOAP_ENC, SOAP_ENV, SOAP12_ENV, XSD, XSI};
use crate::{Diagnostic, DiagnosticCode, Span};

/// Limits that keep a hostile or broken input from exhausting memory or time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_input_bytes: usize,
    /// Deepest element nesting accepted (at most [`MAX_DEPTH_CEILING`]).
    pub max_depth: usize,
    /// Most elements accepted in one message.
    pub max_elements: usize,
    /// Most attributes accepted on one element.
    pub max_attributes: usize,
}

impl Default for Limits {
    /// 64 MiB, depth 64, four million elements, 64 attributes: far beyond any real CWMP message
    /// (the largest real GetParameterNamesResponse seen is about 0.3 MiB and depth 8).
    fn default() -> Self {
        Self {
            max_input_bytes: 64 << 20,
            max_depth: 64,
            max_elements: 4_000_000,
            max_attributes: 64,
        }
    }
}

/// The deepest nesting accepted whatever the limits say: copying and dropping raw elements
/// recurses, and real CWMP nests about ten levels.
pub const MAX_DEPTH_CEILING: usize = 1024;

/// The namespace an element or attribute name resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ns {
    /// No namespace (no prefix and no default namespace).
    None,
    /// SOAP 1.1 envelope.
    SoapEnv,
    /// SOAP 1.2 envelope.
    Soap12Env,
    /// SOAP 1.1 encoding.
    SoapEnc,
    /// A CWMP namespace.
    Cwmp(CwmpNamespace),
    /// XML Schema instance.
    Xsi,
    /// XML Schema.
    Xsd,
    /// Any other namespace URI.
    Other(String),
    /// A prefix that no `xmlns` declaration binds.
    UndeclaredPrefix(String),
}

impl Ns {
    fn from_uri(uri: &str) -> Self {
        match uri {
            SOAP_ENV => Self::SoapEnv,
            SOAP12_ENV => Self::Soap12Env,
            SOAP_ENC => Self::SoapEnc,
            XSI => Self::Xsi,
            XSD => Self::Xsd,
            _ => CwmpNamespace::from_uri(uri.as_bytes())
                .map_or_else(|| Self::Other(uri.to_owned()), Self::Cwmp),
        }
    }

    fn resolve(result: ResolveResult<'_>) -> Self {
        match result {
            ResolveResult::Unbound => Self::None,
            ResolveResult::Bound(namespace) => {
                // The resolver hands over the declaration's text as written: references
                // unresolved, and characters XML forbids unreplaced.
                let uri = if namespace.0.contains('&') {
                    quick_xml::escape::unescape(namespace.0).unwrap_or(Cow::Borrowed(namespace.0))
                } else {
                    Cow::Borrowed(namespace.0)
                };
                Self::from_uri(&replace_non_xml_characters(uri).0)
            }
            ResolveResult::Unknown(prefix) => Self::UndeclaredPrefix(prefix),
        }
    }
}

/// One attribute, namespace-resolved, value unescaped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct XmlAttribute {
    /// Its namespace.
    pub ns: Ns,
    /// The name as written, prefix included.
    pub name: String,
    /// The local name.
    pub local: String,
    /// The unescaped value.
    pub value: String,
}

/// One element of the tree. Names and (usually) text borrow from the input; children are linked
/// by index so that building the tree allocates little.
#[derive(Clone, Debug)]
pub(crate) struct Node<'t> {
    pub ns: Ns,
    pub name: &'t str,
    pub local: &'t str,
    pub attributes: Vec<Attr<'t>>,
    pub text: Cow<'t, str>,
    pub text_span: Option<Span>,
    pub span: Span,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
}

const NO_NODE: u32 = u32::MAX;

impl<'t> Node<'t> {
    /// The attribute with this local name in `ns` (or unqualified when `ns` is `None`).
    pub fn attribute<'s>(&'s self, ns: &Ns, local: &str) -> Option<&'s Attr<'t>> {
        self.attributes
            .iter()
            .find(|attribute| attribute.local() == local && attribute.ns == *ns)
    }

    /// The span of the text, or of the element when it has no text.
    pub fn value_span(&self) -> Span {
        self.text_span.unwrap_or(self.span)
    }
}

/// An attribute of the tree, borrowing from the input where it can.
#[derive(Clone, Debug)]
pub(crate) struct Attr<'t> {
    pub ns: Ns,
    pub name: Cow<'t, str>,
    pub value: Cow<'t, str>,
}

impl Attr<'_> {
    pub fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    fn to_owned_attribute(&self) -> XmlAttribute {
        let (ns, name) = match &self.ns {
            Ns::UndeclaredPrefix(_) => (Ns::None, self.local().to_owned()),
            ns => (ns.clone(), self.name.to_string()),
        };
        XmlAttribute {
            ns,
            name,
            local: self.local().to_owned(),
            value: self.value.to_string(),
        }
    }
}

/// `part` as a slice of `text` when it lies inside it, so that it can outlive the event that
/// produced it. Address arithmetic only; nothing is dereferenced.
fn borrow_from<'t>(text: &'t str, part: &str) -> Cow<'t, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    match text.get(start..start.wrapping_add(part.len())) {
        Some(slice) if slice.as_ptr() == part.as_ptr() => Cow::Borrowed(slice),
        _ => Cow::Owned(part.to_owned()),
    }
}

/// An element kept as written because the model has no place for it: a vendor RPC, an unknown
/// header or an unexpected child.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct XmlElement {
    /// Its namespace.
    pub ns: Ns,
    /// The name as written, prefix included.
    pub name: String,
    /// The local name.
    pub local: String,
    /// Its attributes, `xmlns` declarations excluded.
    pub attributes: Vec<XmlAttribute>,
    /// Its direct text content, unescaped; whitespace-only runs after a child element (the
    /// indentation between elements) are left out.
    pub text: String,
    /// Its child elements.
    pub children: Vec<XmlElement>,
    /// Where it stands in the input.
    pub span: Span,
}

/// The parsed document: element tree and root.
pub(crate) struct Document<'t> {
    pub nodes: Vec<Node<'t>>,
    pub root: usize,
}

impl<'t> Document<'t> {
    pub fn node(&self, index: usize) -> &Node<'t> {
        &self.nodes[index]
    }

    /// The child elements of `index`, in document order.
    pub fn children(&self, index: usize) -> Children<'_, 't> {
        Children {
            document: self,
            next: self.nodes[index].first_child,
        }
    }

    /// Copies an element and its subtree out of the document. A name whose prefix nothing
    /// declares is kept as its local part in no namespace (the `undeclared-prefix` diagnostic
    /// and the span keep what was written): no output could declare it faithfully.
    pub fn to_element(&self, index: usize) -> XmlElement {
        let node = self.node(index);
        let (ns, name) = match &node.ns {
            Ns::UndeclaredPrefix(_) => (Ns::None, node.local.to_owned()),
            ns => (ns.clone(), node.name.to_owned()),
        };
        XmlElement {
            ns,
            name,
            local: node.local.to_owned(),
            attributes: node
                .attributes
                .iter()
                .map(Attr::to_owned_attribute)
                .collect(),
            text: node.text.clone().into_owned(),
            children: self
                .children(index)
                .map(|child| self.to_element(child))
                .collect(),
            span: node.span,
        }
    }
}

/// Iterator over an element's children.
pub(crate) struct Children<'d, 't> {
    document: &'d Document<'t>,
    next: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.next == NO_NODE {
            return None;
        }
        let index = self.next as usize;
        self.next = self.document.nodes[index].next_sibling;
        Some(index)
    }
}

/// Maps offsets in a transcoded buffer back to the caller's input.
struct OffsetMap {
    /// Bytes skipped at the start (a byte-order mark).
    base: usize,
    /// Offsets in the transcoded text where a one-byte ISO-8859-1 character became two bytes:
    /// the second byte of each, in increasing order.
    widened: Vec<usize>,
}

impl OffsetMap {
    fn original(&self, offset: usize) -> usize {
        let widened_before = self.widened.partition_point(|&position| position < offset);
        self.base + offset - widened_before
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.original(start), self.original(end))
    }
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// The input as UTF-8 text, with the way back to the caller's byte offsets.
pub(crate) struct Prepared<'i> {
    text: Cow<'i, str>,
    /// Whether the input has any byte that may start a character XML forbids; almost no real
    /// message does, and then no text needs checking.
    may_hold_non_xml_characters: bool,
    map: OffsetMap,
    input_len: usize,
}

/// Checks the size, skips a byte-order mark and, for input that is not UTF-8, reads it as
/// ISO-8859-1 (what devices that declare it send), keeping spans in the original input.
pub(crate) fn prepare<'i>(
    input: &'i [u8],
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Prepared<'i>, DecodeError> {
    if input.len() > limits.max_input_bytes {
        return Err(DecodeError::TooLarge {
            size: input.len(),
            limit: limits.max_input_bytes,
        });
    }
    let mut base = 0;
    if input.starts_with(UTF8_BOM) {
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::ByteOrderMark,
            "the message starts with a UTF-8 byte-order mark",
            Span::new(0, UTF8_BOM.len()),
        ));
        base = UTF8_BOM.len();
    }
    let body = &input[base..];
    let (text, widened) = if let Ok(text) = std::str::from_utf8(body) {
        (Cow::Borrowed(text), Vec::new())
    } else {
        let mut widened = Vec::new();
        let mut text = String::with_capacity(body.len() + body.len() / 8);
        for &byte in body {
            text.push(char::from(byte));
            if byte >= 0x80 {
                widened.push(text.len() - 1);
            }
        }
        (Cow::Owned(text), widened)
    };
    let may_hold_non_xml_characters = may_hold_non_xml_characters(text.as_bytes());
    Ok(Prepared {
        text,
        may_hold_non_xml_characters,
        map: OffsetMap { base, widened },
        input_len: input.len(),
    })
}

/// Parses prepared input into a tree, recording tolerated deviations in `diagnostics`.
pub(crate) fn parse<'t>(
    prepared: &'t Prepared<'_>,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Document<'t>, DecodeError> {
    Builder {
        reader: NsReader::from_str(&prepared.text),
        text: &prepared.text,
        map: &prepared.map,
        limits,
        diagnostics,
        // Real CWMP averages one element per 40–60 bytes; reserving avoids regrowing copies.
        nodes: Vec::with_capacity(prepared.text.len() / 48),
        stack: Vec::new(),
        root: None,
        transcoded: !prepared.map.widened.is_empty(),
        check_characters: prepared.may_hold_non_xml_characters,
        input_len: prepared.input_len,
    }
    .run()
}

struct Builder<'a, 't> {
    reader: NsReader<&'t [u8]>,
    text: &'t str,
    map: &'a OffsetMap,
    limits: &'a Limits,
    diagnostics: &'a mut Vec<Diagnostic>,
    nodes: Vec<Node<'t>>,
    stack: Vec<usize>,
    root: Option<usize>,
    transcoded: bool,
    check_characters: bool,
    input_len: usize,
}

impl<'t> Builder<'_, 't> {
    fn run(mut self) -> Result<Document<'t>, DecodeError> {
        self.reader.config_mut().check_end_names = true;
        loop {
            let before = position(self.reader.buffer_position());
            let (namespace, event) = match self.reader.read_resolved_event() {
                Ok((namespace, event)) => (Ns::resolve(namespace), event),
                Err(error) => {
                    let offset = self.map.original(position(self.reader.error_position()));
                    return Err(self.syntax_error(offset, &error));
                }
            };
            let after = position(self.reader.buffer_position());
            match event {
                Event::Start(start) => {
                    let index = self.open(namespace, &start, before, after, false)?;
                    if let Some(index) = index {
                        self.stack.push(index);
                    }
                }
                Event::Empty(start) => {
                    self.open(namespace, &start, before, after, true)?;
                }
                Event::End(_) => {
                    if let Some(index) = self.stack.pop() {
                        self.nodes[index].span.end = self.map.original(after);
                    }
                }
                Event::Text(text) => self.text(text.into_inner(), before, after),
                Event::CData(data) => self.text(data.into_inner(), before, after),
                Event::GeneralRef(reference) => {
                    let resolved = resolve_reference(&reference.into_inner()).ok_or_else(|| {
                        DecodeError::UnknownEntity {
                            offset: self.map.original(before),
                        }
                    })?;
                    self.text(Cow::Owned(resolved.to_string()), before, after);
                }
                Event::DocType(_) => {
                    return Err(DecodeError::Doctype {
                        offset: self.map.original(before),
                    });
                }
                Event::Decl(declaration) => self.declaration(&declaration, before, after),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return self.finish(),
            }
        }
    }

    fn syntax_error(&self, offset: usize, error: &quick_xml::Error) -> DecodeError {
        // Every quick-xml syntax error but bad `<!` markup means the input ended inside a
        // construct: that is truncation, reported at the end of the input.
        let reached_end = match error {
            quick_xml::Error::Syntax(syntax) => {
                !matches!(syntax, quick_xml::errors::SyntaxError::InvalidBangMarkup)
            }
            _ => offset >= self.end_of_input(),
        };
        if reached_end && let Some(&open) = self.stack.last() {
            return DecodeError::Truncated {
                offset: self.end_of_input(),
                open_element: self.nodes[open].name.to_owned(),
            };
        }
        DecodeError::NotXml {
            offset,
            reason: error.to_string(),
        }
    }

    fn end_of_input(&self) -> usize {
        self.input_len
    }

    fn open(
        &mut self,
        ns: Ns,
        start: &quick_xml::events::BytesStart<'t>,
        before: usize,
        after: usize,
        empty: bool,
    ) -> Result<Option<usize>, DecodeError> {
        let offset = self.map.original(before);
        if self.stack.is_empty() && self.root.is_some() {
            self.diagnostics.push(Diagnostic::new(
                DiagnosticCode::TrailingContent,
                "another element follows the envelope; it is ignored",
                self.map.span(before, after),
            ));
            // Skip the whole element: its subtree is not part of the message.
            if !empty && let Err(error) = self.reader.read_to_end(start.name()) {
                let at = self.map.original(position(self.reader.error_position()));
                return Err(self.syntax_error(at, &error));
            }
            return Ok(None);
        }
        let max_depth = self.limits.max_depth.min(MAX_DEPTH_CEILING);
        if self.stack.len() >= max_depth {
            return Err(DecodeError::TooDeep {
                offset,
                limit: max_depth,
            });
        }
        if self.nodes.len() >= self.limits.max_elements {
            return Err(DecodeError::TooManyElements {
                offset,
                limit: self.limits.max_elements,
            });
        }
        // Borrow the name from the input: the tag starts with '<' at `before`.
        let name_length = start.name().as_ref().len();
        let name = self
            .text
            .get(before + 1..before + 1 + name_length)
            .unwrap_or_default();
        if !is_qualified_name(name) {
            return Err(DecodeError::NotXml {
                offset,
                reason: format!("<{name}> is not a valid XML element name"),
            });
        }
        let local = name.rsplit(':').next().unwrap_or(name);
        let attributes = self.attributes(start, name, before, after)?;
        if let Ns::UndeclaredPrefix(prefix) = &ns {
            let message = format!(
                "<{name}> uses the prefix {prefix:?}, which no xmlns declaration binds; \
                 it is kept raw, in no namespace"
            );
            self.diagnostics.push(Diagnostic::new(
                DiagnosticCode::UndeclaredPrefix,
                message,
                self.map.span(before, after),
            ));
        }
        let index = self.nodes.len();
        let link = u32::try_from(index).map_err(|_| DecodeError::TooManyElements {
            offset,
            limit: self.limits.max_elements,
        })?;
        self.nodes.push(Node {
            ns,
            name,
            local,
            attributes,
            text: Cow::Borrowed(""),
            text_span: None,
            span: self.map.span(before, after),
            first_child: NO_NODE,
            last_child: NO_NODE,
            next_sibling: NO_NODE,
        });
        match self.stack.last() {
            Some(&parent) => {
                let previous = self.nodes[parent].last_child;
                if previous == NO_NODE {
                    self.nodes[parent].first_child = link;
                } else {
                    self.nodes[previous as usize].next_sibling = link;
                }
                self.nodes[parent].last_child = link;
            }
            None => self.root = Some(index),
        }
        Ok(Some(index))
    }

    /// The attributes of a start tag, `xmlns` declarations left out.
    fn attributes(
        &mut self,
        start: &quick_xml::events::BytesStart<'t>,
        name: &str,
        before: usize,
        after: usize,
    ) -> Result<Vec<Attr<'t>>, DecodeError> {
        let offset = self.map.original(before);
        let mut attributes = Vec::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|error| DecodeError::NotXml {
                offset,
                reason: format!("in the attributes of <{name}>: {error}"),
            })?;
            let key = attribute.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            if !is_qualified_name(key) {
                return Err(DecodeError::NotXml {
                    offset,
                    reason: format!("{key:?} in <{name}> is not a valid XML attribute name"),
                });
            }
            if attributes.len() >= self.limits.max_attributes {
                return Err(DecodeError::TooManyAttributes {
                    offset,
                    limit: self.limits.max_attributes,
                });
            }
            let attribute_ns =
                Ns::resolve(self.reader.resolver().resolve_attribute(attribute.key).0);
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|error| DecodeError::NotXml {
                    offset,
                    reason: format!("in attribute {key} of <{name}>: {error}"),
                })?;
            let value = self.replace_non_xml_characters(
                borrow_from(self.text, &value),
                self.map.span(before, after),
            );
            attributes.push(Attr {
                ns: attribute_ns,
                name: borrow_from(self.text, key),
                value,
            });
        }
        Ok(attributes)
    }

    fn text(&mut self, content: Cow<'t, str>, before: usize, after: usize) {
        if let Some(&index) = self.stack.last() {
            // Whitespace after a child element is layout between elements, not content; keeping
            // it would make every container allocate a string of indentation.
            if self.nodes[index].first_child != NO_NODE && content.trim_ascii().is_empty() {
                return;
            }
            let span = self.map.span(before, after);
            let content = self.replace_non_xml_characters(content, span);
            let node = &mut self.nodes[index];
            if node.text.is_empty() {
                node.text = content;
            } else {
                node.text.to_mut().push_str(&content);
            }
            node.text_span = Some(match node.text_span {
                Some(existing) => Span::new(existing.start, span.end),
                None => span,
            });
        } else if !content.trim().is_empty() {
            let span = self.map.span(before, after);
            if self.root.is_some() {
                self.diagnostics.push(Diagnostic::new(
                    DiagnosticCode::TrailingContent,
                    "text follows the envelope; it is ignored",
                    span,
                ));
            }
        }
    }

    /// Characters XML 1.0 cannot carry become U+FFFD, with a diagnostic: lenient readers let
    /// them through, and no conforming writer could send them on.
    fn replace_non_xml_characters(&mut self, content: Cow<'t, str>, span: Span) -> Cow<'t, str> {
        if !self.check_characters {
            return content;
        }
        let (content, replaced) = replace_non_xml_characters(content);
        if replaced {
            self.diagnostics.push(Diagnostic::new(
                DiagnosticCode::InvalidXmlCharacter,
                "characters XML 1.0 does not allow (control characters, U+FFFE, U+FFFF) were \
                 replaced with U+FFFD",
                span,
            ));
        }
        content
    }

    fn declaration(
        &mut self,
        declaration: &quick_xml::events::BytesDecl<'_>,
        before: usize,
        after: usize,
    ) {
        let Some(Ok(encoding)) = declaration.encoding() else {
            return;
        };
        if !encoding.eq_ignore_ascii_case("utf-8") && !encoding.eq_ignore_ascii_case("utf8") {
            let how = if self.transcoded {
                "its non-ASCII bytes were read as ISO-8859-1"
            } else {
                "the content is valid UTF-8 and was read as such"
            };
            self.diagnostics.push(Diagnostic::new(
                DiagnosticCode::NonUtf8Declaration,
                format!("the XML declaration says encoding=\"{encoding}\"; {how}"),
                self.map.span(before, after),
            ));
        }
    }

    fn finish(self) -> Result<Document<'t>, DecodeError> {
        if let Some(&open) = self.stack.last() {
            return Err(DecodeError::Truncated {
                offset: self.end_of_input(),
                open_element: self.nodes[open].name.to_owned(),
            });
        }
        let root = self.root.ok_or(DecodeError::NotXml {
            offset: self.map.base,
            reason: "no XML element found".to_owned(),
        })?;
        Ok(Document {
            nodes: self.nodes,
            root,
        })
    }
}

/// Whether `bytes` has a byte that can begin a character XML 1.0 forbids: a C0 control other
/// than tab, line feed and carriage return, or the 0xEF that starts U+FFFE and U+FFFF.
fn may_hold_non_xml_characters(bytes: &[u8]) -> bool {
    // Branch-free over fixed chunks so that the compiler vectorises it: this runs on every input.
    #[expect(
        clippy::needless_bitwise_bool,
        reason = "bitwise on purpose: no branches, so the loop vectorises"
    )]
    let suspicious = |byte: u8| {
        (byte < 0x20) & (byte != b'\t') & (byte != b'\n') & (byte != b'\r') | (byte == 0xef)
    };
    bytes.chunks(64).any(|chunk| {
        chunk
            .iter()
            .fold(false, |found, &byte| found | suspicious(byte))
    })
}

/// `content` with every character XML 1.0 cannot carry (C0 controls but tab, line feed and
/// carriage return; U+FFFE, U+FFFF) replaced by U+FFFD, and whether any was.
fn replace_non_xml_characters(content: Cow<'_, str>) -> (Cow<'_, str>, bool) {
    if !may_hold_non_xml_characters(content.as_bytes()) || content.chars().all(is_xml_char) {
        return (content, false);
    }
    let replaced = content
        .chars()
        .map(|character| {
            if is_xml_char(character) {
                character
            } else {
                '\u{FFFD}'
            }
        })
        .collect();
    (Cow::Owned(replaced), true)
}

/// Whether `name` is a namespace-well-formed XML name: `prefix:local` or `local`, each an
/// NCName. quick-xml takes any bytes up to whitespace, `/` or `>` as a name; what it lets through
/// could not be written back.
fn is_qualified_name(name: &str) -> bool {
    fn is_nc_name(part: &str) -> bool {
        let mut characters = part.chars();
        characters.next().is_some_and(|first| {
            first.is_alphabetic() || first == '_' || (!first.is_ascii() && is_xml_char(first))
        }) && characters.all(|character| {
            character.is_alphanumeric()
                || matches!(character, '-' | '.' | '_' | '\u{B7}')
                || (!character.is_ascii() && is_xml_char(character))
        })
    }
    // Fast path for the ASCII names every real message uses.
    let bytes = name.as_bytes();
    if bytes.is_ascii() {
        let is_start = |byte: u8| byte.is_ascii_alphabetic() || byte == b'_';
        let is_rest = |byte: u8| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_');
        let mut parts = bytes.split(|&byte| byte == b':');
        let valid_part = |part: &[u8]| {
            part.first().is_some_and(|&first| is_start(first))
                && part.iter().all(|&byte| is_rest(byte))
        };
        return match (parts.next(), parts.next(), parts.next()) {
            (Some(local), None, None) => valid_part(local),
            (Some(prefix), Some(local), None) => valid_part(prefix) && valid_part(local),
            _ => false,
        };
    }
    match name.split_once(':') {
        Some((prefix, local)) => is_nc_name(prefix) && is_nc_name(local),
        None => is_nc_name(name),
    }
}

/// Whether XML 1.0 allows this character (its `Char` production).
pub(crate) fn is_xml_char(character: char) -> bool {
    matches!(character,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn position(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

/// The character a predefined entity or character reference stands for. No other entity exists
/// without a DTD, and DTDs are refused.
fn resolve_reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}
