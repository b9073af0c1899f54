//! Field kinds shared by every CWMP structure: text, typed scalars, arrays, and how each is
//! decoded from the element tree and encoded back.

use serde::Serialize;

use crate::encode::Encoder;
use crate::value::{DateTime, ValueType, XsiType};
use crate::xml::{Document, Node, Ns};
use crate::{Diagnostic, DiagnosticCode, Span};

/// Text content of an element, unescaped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Text {
    /// The text.
    pub value: String,
    /// Where the text (or the empty element) stands.
    pub span: Span,
}

impl Text {
    /// Text with no source span, for messages built in code.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            span: Span::default(),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// A typed scalar: the raw text as written, and the value when the text parses.
///
/// A value that does not parse keeps its raw text and gets an `invalid-value` diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Scalar<T> {
    /// The text as written (whitespace included).
    pub raw: String,
    /// The parsed value, `None` when `raw` is not of the type.
    pub value: Option<T>,
    /// Where the text stands.
    pub span: Span,
}

impl<T: ScalarValue> Scalar<T> {
    /// A scalar with its canonical text, for messages built in code.
    pub fn new(value: T) -> Self {
        Self {
            raw: value.canonical(),
            value: Some(value),
            span: Span::default(),
        }
    }
}

/// A type a [`Scalar`] can hold.
pub trait ScalarValue: Sized {
    /// The XML Schema type, for messages.
    const TYPE_NAME: &'static str;
    /// Parses the text of an element; whitespace around it is ignored.
    ///
    /// # Errors
    ///
    /// A sentence saying what was expected.
    fn parse(text: &str) -> Result<Self, String>;
    /// The canonical text of the value.
    fn canonical(&self) -> String;
    /// The value as a dateTime, so decoding can note unknown and zone-less times.
    fn as_date_time(&self) -> Option<&DateTime> {
        None
    }
}

macro_rules! integer_scalar {
    ($($ty:ty => $name:literal),*) => {$(
        impl ScalarValue for $ty {
            const TYPE_NAME: &'static str = $name;
            fn parse(text: &str) -> Result<Self, String> {
                let text = text.trim();
                text.strip_prefix('+').unwrap_or(text).parse().map_err(|_| {
                    format!("{text:?} is not a valid {}", Self::TYPE_NAME)
                })
            }
            fn canonical(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

integer_scalar!(u32 => "unsignedInt", i32 => "int");

impl ScalarValue for bool {
    const TYPE_NAME: &'static str = "boolean";
    fn parse(text: &str) -> Result<Self, String> {
        crate::value::parse_boolean(text)
            .ok_or_else(|| format!("{text:?} is not a boolean (true, false, 1 or 0)"))
    }
    fn canonical(&self) -> String {
        self.to_string()
    }
}

impl ScalarValue for DateTime {
    const TYPE_NAME: &'static str = "dateTime";
    fn parse(text: &str) -> Result<Self, String> {
        DateTime::parse(text.trim())
            .map(|(value, _)| value)
            .map_err(|error| error.to_string())
    }
    fn canonical(&self) -> String {
        self.to_string()
    }
    fn as_date_time(&self) -> Option<&DateTime> {
        Some(self)
    }
}

/// Decoding state: the tree and the diagnostics gathered so far.
pub(crate) struct Cx<'d> {
    pub doc: &'d Document<'d>,
    pub diagnostics: &'d mut Vec<Diagnostic>,
}

impl<'d> Cx<'d> {
    pub fn node(&self, index: usize) -> &'d Node<'d> {
        self.doc.node(index)
    }

    pub fn report(&mut self, code: DiagnosticCode, message: impl Into<String>, span: Span) {
        self.diagnostics.push(Diagnostic::new(code, message, span));
    }

    /// Children of `parent`.
    pub fn children(&self, parent: usize) -> crate::xml::Children<'d, 'd> {
        self.doc.children(parent)
    }

    /// Reports an argument element that is namespace-qualified, which the schemas do not want.
    pub fn check_unqualified(&mut self, child: usize) {
        let node = self.node(child);
        if !matches!(node.ns, Ns::None) {
            let message = format!(
                "<{}> is namespace-qualified; CWMP argument elements are unqualified",
                node.name
            );
            self.report(DiagnosticCode::QualifiedChildElement, message, node.span);
        }
    }
}

/// Something that is decoded from one element and encoded as one element.
pub(crate) trait Field: Sized {
    fn decode(cx: &mut Cx<'_>, node: usize) -> Self;
    fn encode(&self, encoder: &mut Encoder, name: &str);

    /// Decodes one occurrence of a repeated element. Usually one item; overridden where real
    /// peers wrap several items in one element.
    fn decode_many(cx: &mut Cx<'_>, node: usize) -> Vec<Self> {
        vec![Self::decode(cx, node)]
    }
}

impl Field for Text {
    fn decode(cx: &mut Cx<'_>, node: usize) -> Self {
        let node = cx.node(node);
        Self {
            value: node.text.to_string(),
            span: node.value_span(),
        }
    }
    fn encode(&self, encoder: &mut Encoder, name: &str) {
        encoder.text_element(name, &self.value);
    }
}

impl<T: ScalarValue> Field for Scalar<T> {
    fn decode(cx: &mut Cx<'_>, node: usize) -> Self {
        let element = cx.node(node);
        let raw = element.text.to_string();
        let span = element.value_span();
        let name = element.local;
        let value = match T::parse(&raw) {
            Ok(value) => {
                if let Some(date_time) = value.as_date_time() {
                    note_date_time(cx, date_time, span);
                }
                Some(value)
            }
            Err(reason) => {
                cx.report(
                    DiagnosticCode::InvalidValue,
                    format!("<{name}>: {reason}; the raw text is kept"),
                    span,
                );
                None
            }
        };
        Self { raw, value, span }
    }
    fn encode(&self, encoder: &mut Encoder, name: &str) {
        encoder.text_element(name, &self.raw);
    }
}

/// An element type that appears as the items of a SOAP-encoded array.
pub(crate) trait ArrayItem: Field {
    /// The element name of each item.
    const ITEM: &'static str;
    /// The `arrayType` item type, such as `cwmp:ParameterValueStruct` or `xsd:string`.
    const ARRAY_TYPE: &'static str;
}

impl ArrayItem for Text {
    const ITEM: &'static str = "string";
    const ARRAY_TYPE: &'static str = "xsd:string";
}

impl<T: ArrayItem> Field for Vec<T> {
    fn decode(cx: &mut Cx<'_>, node: usize) -> Self {
        // Sized up front: arrays of thousands of parameters would otherwise regrow and copy.
        let mut items = Vec::with_capacity(cx.children(node).count());
        for child in cx.children(node) {
            cx.check_unqualified(child);
            let element = cx.node(child);
            if element.local != T::ITEM {
                let message = format!(
                    "<{}> inside <{}>: expected <{}> items; it is ignored",
                    element.name,
                    cx.node(node).name,
                    T::ITEM
                );
                let span = element.span;
                cx.report(DiagnosticCode::UnknownElement, message, span);
                continue;
            }
            items.push(T::decode(cx, child));
        }
        check_array_type(cx, node, items.len());
        items
    }
    fn encode(&self, encoder: &mut Encoder, name: &str) {
        encoder.array(name, T::ARRAY_TYPE, self.len(), |encoder| {
            for item in self {
                item.encode(encoder, T::ITEM);
            }
        });
    }
}

/// Reports a missing, malformed, zero-padded or miscounted `SOAP-ENC:arrayType`.
fn check_array_type(cx: &mut Cx<'_>, node: usize, count: usize) {
    let element = cx.node(node);
    let span = element.span;
    let name = element.name;
    let Some(attribute) = element
        .attributes
        .iter()
        .find(|attribute| attribute.local() == "arrayType")
    else {
        cx.report(
            DiagnosticCode::ArrayTypeMissing,
            format!("<{name}> has no SOAP-ENC:arrayType"),
            span,
        );
        return;
    };
    let value = attribute.value.clone();
    let declared = value
        .strip_suffix(']')
        .and_then(|rest| rest.rsplit_once('['))
        .map(|(_, digits)| digits);
    match declared.map(|digits| (digits, digits.parse::<usize>())) {
        Some((digits, Ok(declared))) => {
            if digits.len() > 1 && digits.starts_with('0') {
                cx.report(
                    DiagnosticCode::ArrayTypeZeroPadded,
                    format!("<{name}> arrayType {value:?} has a zero-padded count"),
                    span,
                );
            }
            if declared != count {
                cx.report(
                    DiagnosticCode::ArrayTypeCountMismatch,
                    format!(
                        "<{name}> arrayType {value:?} declares {declared} items but has {count}"
                    ),
                    span,
                );
            }
        }
        _ => cx.report(
            DiagnosticCode::ArrayTypeMalformed,
            format!("<{name}> arrayType {value:?} is not of the form type[count]"),
            span,
        ),
    }
}

/// Generates a CWMP structure: the struct with one optional field per child element, its
/// decoder (children matched by local name, with diagnostics for unknown, duplicate and missing
/// ones) and its encoder (children in schema order).
///
/// `one` fields are `Option<T>`; `many` fields are `Vec<T>` of repeated children with the same
/// name (not a SOAP array); `optional` marks children the schema lets be absent.
macro_rules! cwmp_struct {
    (
        $(#[doc = $doc:literal])*
        $name:ident $(wrapped_as $item:literal)? {
            $(
                $(#[doc = $field_doc:literal])*
                $kind:ident $(($optional:ident))? $field:ident : $ty:ty = $element:literal,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
        pub struct $name {
            $(
                $(#[doc = $field_doc])*
                pub $field: cwmp_struct!(@type $kind $ty),
            )*
            /// Where the element stands in the input.
            pub span: $crate::Span,
        }

        impl $crate::fields::Field for $name {
            #[allow(unused_mut, unused_variables, clippy::needless_update)]
            fn decode(cx: &mut $crate::fields::Cx<'_>, node: usize) -> Self {
                let mut value = Self {
                    span: cx.node(node).span,
                    ..Self::default()
                };
                for child in cx.children(node) {
                    cx.check_unqualified(child);
                    let local = cx.node(child).local;
                    match local {
                        $($element => cwmp_struct!(@decode $kind cx child value.$field),)*
                        _ => {
                            let element = cx.node(child);
                            let message = format!(
                                "<{}> is not part of <{}>; it is kept only in the raw message",
                                element.name,
                                stringify!($name)
                            );
                            let span = element.span;
                            cx.report($crate::DiagnosticCode::UnknownElement, message, span);
                        }
                    }
                }
                $(cwmp_struct!(@check $kind [$($optional)?] cx value.$field, $element, value.span);)*
                value
            }

            fn encode(&self, encoder: &mut $crate::encode::Encoder, name: &str) {
                encoder.open(name);
                self.encode_children(encoder);
                encoder.close(name);
            }

            $(
                // Real peers also send a SOAP array of items where the schema repeats the element.
                fn decode_many(cx: &mut $crate::fields::Cx<'_>, node: usize) -> Vec<Self> {
                    let element = cx.node(node);
                    let items: Vec<usize> = cx
                        .children(node)
                        .filter(|&child| cx.node(child).local == $item)
                        .collect();
                    if items.is_empty() {
                        return vec![Self::decode(cx, node)];
                    }
                    let message = format!(
                        "<{}> holds an array of <{}>; the schema repeats <{}> itself, one per item",
                        element.name, $item, element.name
                    );
                    let span = element.span;
                    cx.report($crate::DiagnosticCode::NonSchemaForm, message, span);
                    items.into_iter().map(|child| Self::decode(cx, child)).collect()
                }
            )?
        }

        impl $name {
            /// Writes the child elements, in schema order.
            #[allow(unused_variables)]
            pub(crate) fn encode_children(&self, encoder: &mut $crate::encode::Encoder) {
                $(cwmp_struct!(@encode $kind encoder self.$field, $element);)*
            }
        }
    };
    (@type one $ty:ty) => { Option<$ty> };
    (@type many $ty:ty) => { Vec<$ty> };
    (@decode one $cx:ident $child:ident $slot:expr) => {{
        if $slot.is_some() {
            let element = $cx.node($child);
            let message = format!("<{}> appears more than once; the first is used", element.name);
            let span = element.span;
            $cx.report($crate::DiagnosticCode::DuplicateElement, message, span);
        } else {
            $slot = Some($crate::fields::Field::decode($cx, $child));
        }
    }};
    (@decode many $cx:ident $child:ident $slot:expr) => {
        $slot.extend($crate::fields::Field::decode_many($cx, $child))
    };
    (@check one [optional] $cx:ident $slot:expr, $element:literal, $span:expr) => {};
    (@check one [] $cx:ident $slot:expr, $element:literal, $span:expr) => {
        if $slot.is_none() {
            $cx.report(
                $crate::DiagnosticCode::MissingElement,
                concat!("<", $element, "> is missing"),
                $span,
            );
        }
    };
    (@check many [$($optional:ident)?] $cx:ident $slot:expr, $element:literal, $span:expr) => {};
    (@encode one $encoder:ident $slot:expr, $element:literal) => {
        if let Some(value) = &$slot {
            $crate::fields::Field::encode(value, $encoder, $element);
        }
    };
    (@encode many $encoder:ident $slot:expr, $element:literal) => {
        for value in &$slot {
            $crate::fields::Field::encode(value, $encoder, $element);
        }
    };
}

pub(crate) use cwmp_struct;

/// A parameter value: its `xsi:type`, its text, and the typed value when the type is known and
/// the text parses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ParameterValue {
    /// The `xsi:type` attribute, when present.
    pub xsi_type: Option<XsiType>,
    /// The text as written.
    pub raw: String,
    /// The value read as its type; `None` when untyped, of unknown type, or malformed.
    pub typed: Option<crate::value::TypedValue>,
    /// Where the text stands.
    pub span: Span,
}

impl ParameterValue {
    /// A value of a known type, for messages built in code. `raw` is written as given.
    pub fn new(ty: ValueType, raw: impl Into<String>) -> Self {
        let raw = raw.into();
        Self {
            typed: crate::value::parse_value(ty, &raw).ok(),
            xsi_type: Some(XsiType::canonical(ty)),
            raw,
            span: Span::default(),
        }
    }

    /// A string value, for messages built in code.
    pub fn string(raw: impl Into<String>) -> Self {
        Self::new(ValueType::String, raw)
    }
}

impl Field for ParameterValue {
    fn decode(cx: &mut Cx<'_>, node: usize) -> Self {
        let element = cx.node(node);
        let raw = element.text.to_string();
        let span = element.value_span();
        let type_attribute = element
            .attribute(&Ns::Xsi, "type")
            .map(|attribute| attribute.value.to_string());
        let Some(type_attribute) = type_attribute else {
            cx.report(
                DiagnosticCode::MissingType,
                "the value has no xsi:type; it is read as text",
                span,
            );
            return Self {
                xsi_type: None,
                raw,
                typed: None,
                span,
            };
        };
        let (xsi_type, spelling) = XsiType::parse(&type_attribute);
        match spelling {
            Some(DiagnosticCode::TypeSpelling) => cx.report(
                DiagnosticCode::TypeSpelling,
                format!(
                    "xsi:type {type_attribute:?} is a vendor spelling of xsd:{}",
                    xsi_type.known.map_or("?", ValueType::xsd_name)
                ),
                span,
            ),
            Some(code) => cx.report(
                code,
                format!("xsi:type {type_attribute:?} is not a CWMP value type; the value is kept as text"),
                span,
            ),
            None => {}
        }
        let typed = match xsi_type.known {
            Some(ty) => match crate::value::parse_value(ty, &raw) {
                Ok(typed) => {
                    if let crate::value::TypedValue::DateTime(value) = &typed {
                        note_date_time(cx, value, span);
                    }
                    Some(typed)
                }
                Err(error) => {
                    cx.report(
                        DiagnosticCode::InvalidValue,
                        format!(
                            "xsi:type says {}, but {error}; the raw text is kept",
                            ty.xsd_name()
                        ),
                        span,
                    );
                    None
                }
            },
            None => None,
        };
        Self {
            xsi_type: Some(xsi_type),
            raw,
            typed,
            span,
        }
    }

    fn encode(&self, encoder: &mut Encoder, name: &str) {
        encoder.typed_element(
            name,
            self.xsi_type.as_ref().map(|ty| ty.raw.as_str()),
            &self.raw,
        );
    }
}

/// Diagnostics for dateTime values that parsed but deserve a note.
pub(crate) fn note_date_time(cx: &mut Cx<'_>, value: &DateTime, span: Span) {
    if value.is_unknown() {
        cx.report(
            DiagnosticCode::UnknownDateTime,
            "0001-01-01T00:00:00 means the time is unknown",
            span,
        );
    } else if value.zone.is_none() {
        cx.report(
            DiagnosticCode::DateTimeWithoutZone,
            "the dateTime has no time zone; it is the sender's local time",
            span,
        );
    }
}
