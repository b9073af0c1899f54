//! Deviations from the schemas that decoding tolerated, each with a stable code.

use serde::Serialize;

use crate::Span;

/// How much a deviation matters to someone reading the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, harmless (a vendor spelling of a type, say).
    Info,
    /// Not what the schema says; a strict peer may reject it.
    Warning,
    /// Part of the message could not be understood; the rest was decoded.
    Error,
}

/// Something decoding noticed and tolerated, and where.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    /// Stable kebab-case identifier, for filters and documentation.
    pub code: DiagnosticCode,
    /// How much it matters.
    pub severity: Severity,
    /// A sentence for a support engineer: what was found and what was expected.
    pub message: String,
    /// Where in the input.
    pub span: Span,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: DiagnosticCode, message: impl Into<String>, span: Span) -> Self {
        Self {
            code,
            severity: code.default_severity(),
            message: message.into(),
            span,
        }
    }
}

macro_rules! diagnostic_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $severity:ident;)*) => {
        /// The kinds of deviation decoding recognises. Their kebab-case names are stable.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum DiagnosticCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl DiagnosticCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [DiagnosticCode] = &[$(DiagnosticCode::$variant,)*];

            /// The stable kebab-case name, such as `missing-header`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(DiagnosticCode::$variant => $code,)*
                }
            }

            /// The severity this code is reported with.
            pub const fn default_severity(self) -> Severity {
                match self {
                    $(DiagnosticCode::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

diagnostic_codes! {
    /// The envelope has no SOAP Header, so no `cwmp:ID`.
    MissingHeader = "missing-header", Warning;
    /// The Header has no `cwmp:ID`.
    MissingId = "missing-id", Warning;
    /// The `cwmp:ID` is the literal text `null`.
    NullId = "null-id", Info;
    /// A header element has `mustUnderstand` other than `1`/`0` (for example `true`).
    MustUnderstandSpelling = "must-understand-spelling", Info;
    /// A header the CWMP schemas do not define.
    UnknownHeader = "unknown-header", Info;
    /// The cwmp-1-3 or cwmp-1-4 namespace, which the Broadband Forum never published.
    UnofficialNamespace = "unofficial-namespace", Warning;
    /// Elements of the same message use different CWMP namespaces.
    MixedNamespaces = "mixed-namespaces", Warning;
    /// A CWMP element in no namespace or a foreign one, accepted by its local name.
    UnqualifiedElement = "unqualified-element", Info;
    /// An argument element qualified with a namespace; the schemas want them unqualified.
    QualifiedChildElement = "qualified-child-element", Info;
    /// Text with characters XML 1.0 does not allow; they were replaced with U+FFFD.
    InvalidXmlCharacter = "invalid-xml-character", Warning;
    /// An element prefix that no `xmlns` declaration binds.
    UndeclaredPrefix = "undeclared-prefix", Warning;
    /// A child element the schema does not define at this place; it is kept raw.
    UnknownElement = "unknown-element", Warning;
    /// A layout the schema does not define but real peers use (an array where the schema
    /// repeats an element, say); decoded anyway.
    NonSchemaForm = "non-schema-form", Warning;
    /// A required child element is missing.
    MissingElement = "missing-element", Error;
    /// A child element appears more often than the schema allows.
    DuplicateElement = "duplicate-element", Warning;
    /// A value does not parse as its type; the raw text is kept.
    InvalidValue = "invalid-value", Error;
    /// A dateTime without a time zone.
    DateTimeWithoutZone = "date-time-without-zone", Info;
    /// The dateTime `0001-01-01T00:00:00`, which means "unknown".
    UnknownDateTime = "unknown-date-time", Info;
    /// An `xsi:type` spelled the vendor way (`xsd:Int`, `xsd:unsignedint`).
    TypeSpelling = "type-spelling", Info;
    /// An `xsi:type` outside the CWMP value types; the value is kept as text.
    UnknownType = "unknown-type", Warning;
    /// A parameter value without `xsi:type`.
    MissingType = "missing-type", Info;
    /// `SOAP-ENC:arrayType` is missing on an array.
    ArrayTypeMissing = "array-type-missing", Info;
    /// `SOAP-ENC:arrayType` has a zero-padded count such as `[0008]`.
    ArrayTypeZeroPadded = "array-type-zero-padded", Info;
    /// `SOAP-ENC:arrayType`'s count differs from the number of items.
    ArrayTypeCountMismatch = "array-type-count-mismatch", Warning;
    /// `SOAP-ENC:arrayType` is present but not of the form `type[n]`.
    ArrayTypeMalformed = "array-type-malformed", Warning;
    /// An OUI in lowercase hexadecimal; the schema wants `[0-9A-F]{6}`.
    LowercaseOui = "lowercase-oui", Info;
    /// An OUI that is not six hexadecimal digits.
    InvalidOui = "invalid-oui", Warning;
    /// `MaxEnvelopes` other than 1.
    MaxEnvelopesNotOne = "max-envelopes-not-one", Info;
    /// An event code that is neither standard, `M …` nor `X OUI …`.
    UnknownEventCode = "unknown-event-code", Warning;
    /// A fault code outside every defined and vendor range.
    UnknownFaultCode = "unknown-fault-code", Warning;
    /// The XML declaration names an encoding other than UTF-8 (such as ISO-8859-1).
    NonUtf8Declaration = "non-utf8-declaration", Info;
    /// The input starts with a byte-order mark.
    ByteOrderMark = "byte-order-mark", Info;
    /// Text or elements after the envelope's end.
    TrailingContent = "trailing-content", Warning;
    /// The SOAP Body has more than one child element; the first is decoded.
    MultipleBodyElements = "multiple-body-elements", Warning;
    /// The SOAP Body is empty.
    EmptyBody = "empty-body", Warning;
    /// The SOAP 1.2 envelope namespace; CWMP uses SOAP 1.1.
    Soap12Envelope = "soap12-envelope", Warning;
}

impl serde::Serialize for DiagnosticCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in DiagnosticCode::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name}"
            );
        }
    }
}
