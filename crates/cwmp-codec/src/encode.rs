//! Canonical encoding: envelopes in a chosen CWMP namespace, with the prefixes and layout of the
//! TR-069 examples, that validate against the Broadband Forum schemas.

use std::fmt::Write as _;

use crate::fields::{Field, ScalarValue};
use crate::model::{Body, Envelope, Header, HeaderField, Message, SoapFault};
use crate::xml::{Ns, XmlElement};
use crate::{CwmpNamespace, SOAP_ENC, SOAP_ENV, XSD, XSI};

/// How to encode a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    /// The CWMP namespace to write: `cwmp-1-0` for 1.0, `cwmp-1-2` for 1.2 to 1.4.
    pub namespace: CwmpNamespace,
    /// Whether to start with `<?xml version="1.0" encoding="UTF-8"?>`.
    pub xml_declaration: bool,
}

impl EncodeOptions {
    /// Options that write `message` back in the namespace it was read in (`cwmp-1-2` when it
    /// had none), with an XML declaration.
    pub fn for_message(message: &Message) -> Self {
        let namespace = match message {
            Message::Envelope(envelope) => envelope.namespace,
            Message::Empty => None,
        };
        Self {
            namespace: namespace.unwrap_or(CwmpNamespace::Cwmp1_2),
            xml_declaration: true,
        }
    }

    /// Options for a protocol version: its namespace (`cwmp-1-2` for 1.2 to 1.4), with an XML
    /// declaration.
    pub const fn for_version(version: crate::CwmpVersion) -> Self {
        Self {
            namespace: version.namespace(),
            xml_declaration: true,
        }
    }
}

impl Default for EncodeOptions {
    /// `cwmp-1-2` (protocol 1.2 to 1.4) with an XML declaration.
    fn default() -> Self {
        Self {
            namespace: CwmpNamespace::Cwmp1_2,
            xml_declaration: true,
        }
    }
}

/// Encodes a message. [`Message::Empty`] is the empty string: an empty HTTP body.
pub fn encode(message: &Message, options: &EncodeOptions) -> String {
    match message {
        Message::Empty => String::new(),
        Message::Envelope(envelope) => encode_envelope(envelope, options),
    }
}

/// Encodes an envelope in `options.namespace`, whatever namespace it was decoded from.
pub fn encode_envelope(envelope: &Envelope, options: &EncodeOptions) -> String {
    let mut encoder = Encoder {
        out: String::with_capacity(1024),
    };
    if options.xml_declaration {
        encoder
            .out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let _ = write!(
        encoder.out,
        "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"{SOAP_ENV}\" xmlns:SOAP-ENC=\"{SOAP_ENC}\" \
         xmlns:xsd=\"{XSD}\" xmlns:xsi=\"{XSI}\" xmlns:cwmp=\"{}\">",
        options.namespace.uri()
    );
    if let Some(header) = &envelope.header {
        encoder.header(header);
    }
    encoder.out.push_str("<SOAP-ENV:Body>");
    match &envelope.body {
        Body::Rpc(rpc) => rpc.encode(&mut encoder),
        Body::Fault(fault) => encoder.fault(fault),
        Body::Empty => {}
    }
    encoder.out.push_str("</SOAP-ENV:Body></SOAP-ENV:Envelope>");
    encoder.out
}

/// Writes elements into the output. The model's `encode` methods drive it.
pub struct Encoder {
    out: String,
}

impl Encoder {
    pub(crate) fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    pub(crate) fn open_typed(&mut self, name: &str, xsi_type: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(" xsi:type=\"");
        push_attribute_value(&mut self.out, xsi_type);
        self.out.push_str("\">");
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    pub(crate) fn text_element(&mut self, name: &str, text: &str) {
        self.open(name);
        push_text(&mut self.out, text);
        self.close(name);
    }

    pub(crate) fn typed_element(&mut self, name: &str, xsi_type: Option<&str>, text: &str) {
        match xsi_type {
            Some(xsi_type) => self.open_typed(name, xsi_type),
            None => self.open(name),
        }
        push_text(&mut self.out, text);
        self.close(name);
    }

    pub(crate) fn array(
        &mut self,
        name: &str,
        item_type: &str,
        count: usize,
        items: impl FnOnce(&mut Self),
    ) {
        let _ = write!(
            self.out,
            "<{name} SOAP-ENC:arrayType=\"{item_type}[{count}]\">"
        );
        items(self);
        self.close(name);
    }

    fn header(&mut self, header: &Header) {
        self.out.push_str("<SOAP-ENV:Header>");
        self.header_field("cwmp:ID", header.id.as_ref());
        self.header_field("cwmp:HoldRequests", header.hold_requests.as_ref());
        self.header_field("cwmp:NoMoreRequests", header.no_more_requests.as_ref());
        self.header_field("cwmp:SessionTimeout", header.session_timeout.as_ref());
        self.header_field(
            "cwmp:SupportedCWMPVersions",
            header.supported_cwmp_versions.as_ref(),
        );
        self.header_field("cwmp:UseCWMPVersion", header.use_cwmp_version.as_ref());
        for element in &header.unknown {
            self.raw_element(element);
        }
        self.out.push_str("</SOAP-ENV:Header>");
    }

    fn header_field<T: ScalarValue>(&mut self, name: &str, field: Option<&HeaderField<T>>) {
        let Some(field) = field else {
            return;
        };
        self.out.push('<');
        self.out.push_str(name);
        if let Some(must_understand) = &field.must_understand {
            self.out.push_str(" SOAP-ENV:mustUnderstand=\"");
            push_attribute_value(&mut self.out, must_understand);
            self.out.push('"');
        }
        self.out.push('>');
        push_text(&mut self.out, &field.value.raw);
        self.close(name);
    }

    fn fault(&mut self, fault: &SoapFault) {
        self.open("SOAP-ENV:Fault");
        if let Some(code) = &fault.faultcode {
            code.encode(self, "faultcode");
        }
        if let Some(string) = &fault.faultstring {
            string.encode(self, "faultstring");
        }
        if let Some(detail) = &fault.detail {
            self.open("detail");
            detail.encode(self, "cwmp:Fault");
            self.close("detail");
        }
        self.close("SOAP-ENV:Fault");
    }

    /// Writes an element kept raw, with the prefixes it was written with, declaring each
    /// namespace on the element itself so that the output means what the input meant.
    pub(crate) fn raw_element(&mut self, element: &XmlElement) {
        self.raw_element_in(element, "");
    }

    fn raw_element_in(&mut self, element: &XmlElement, default_ns: &str) {
        let mut declarations: Vec<(String, String)> = Vec::new();
        let mut child_default = default_ns.to_owned();
        let (prefix, _) = split_name(&element.name);
        let name = match (uri_of(&element.ns), prefix) {
            (Some(uri), Some(prefix)) => {
                declarations.push((format!("xmlns:{prefix}"), uri.to_owned()));
                format!("{prefix}:{}", element.local)
            }
            (Some(uri), None) => {
                if uri != default_ns {
                    declarations.push(("xmlns".to_owned(), uri.to_owned()));
                }
                uri.clone_into(&mut child_default);
                element.local.clone()
            }
            (None, _) => {
                if !default_ns.is_empty() {
                    declarations.push(("xmlns".to_owned(), String::new()));
                }
                child_default.clear();
                element.local.clone()
            }
        };
        let mut attributes = Vec::with_capacity(element.attributes.len());
        for attribute in &element.attributes {
            let (prefix, local) = split_name(&attribute.name);
            match (uri_of(&attribute.ns), prefix) {
                (Some(uri), Some(prefix)) => {
                    let declaration = format!("xmlns:{prefix}");
                    if !declarations.iter().any(|(name, _)| *name == declaration) {
                        declarations.push((declaration, uri.to_owned()));
                    }
                    attributes.push((format!("{prefix}:{local}"), &attribute.value));
                }
                _ => attributes.push((local.to_owned(), &attribute.value)),
            }
        }
        self.out.push('<');
        self.out.push_str(&name);
        for (declaration, uri) in &declarations {
            let _ = write!(self.out, " {declaration}=\"");
            push_attribute_value(&mut self.out, uri);
            self.out.push('"');
        }
        for (attribute, value) in attributes {
            let _ = write!(self.out, " {attribute}=\"");
            push_attribute_value(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        push_text(&mut self.out, &element.text);
        for child in &element.children {
            self.raw_element_in(child, &child_default);
        }
        self.close(&name);
    }
}

/// The prefix (if any) and local part of a name as written.
fn split_name(name: &str) -> (Option<&str>, &str) {
    match name.split_once(':') {
        Some((prefix, local)) => (Some(prefix), local),
        None => (None, name),
    }
}

/// The URI a resolved namespace is written in. CWMP elements kept raw keep their own CWMP
/// version, declared on the element, so that they decode back to what was read (moving them
/// to the message's version changed their meaning). `None` for no namespace or an undeclared
/// prefix.
fn uri_of(ns: &Ns) -> Option<&str> {
    Some(match ns {
        Ns::SoapEnv => SOAP_ENV,
        Ns::Soap12Env => crate::SOAP12_ENV,
        Ns::SoapEnc => SOAP_ENC,
        Ns::Cwmp(version) => version.uri(),
        Ns::Xsi => XSI,
        Ns::Xsd => XSD,
        Ns::Other(uri) => uri,
        Ns::None | Ns::UndeclaredPrefix(_) => return None,
    })
}

use crate::xml::is_xml_char;

/// Appends element text. `\r` is written as a reference so that line-end normalisation keeps
/// it; characters XML 1.0 cannot carry, even as references, become U+FFFD so that the output
/// is always well-formed.
fn push_text(out: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            _ if is_xml_char(character) => out.push(character),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// Appends an attribute value for double quotes. Tab, line feed and carriage return are written
/// as references, which attribute-value normalisation leaves alone.
fn push_attribute_value(out: &mut String, value: &str) {
    for character in value.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ if is_xml_char(character) => out.push(character),
            _ => out.push('\u{FFFD}'),
        }
    }
}
