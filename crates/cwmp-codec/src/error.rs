//! Why an input could not be decoded at all. Each error names the byte offset and what was
//! expected there; anything less severe is a [`crate::Diagnostic`] on a decoded message.

/// An input that is not a CWMP SOAP message, or that breaks a decoding limit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input is larger than the limit.
    #[error("the message is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The input is not well-formed XML.
    #[error("not well-formed XML at byte {offset}: {reason}")]
    NotXml {
        /// Where the problem was found.
        offset: usize,
        /// What the XML reader expected or found.
        reason: String,
    },
    /// The input ends inside an element.
    #[error("the message is cut short at byte {offset}: <{open_element}> is never closed")]
    Truncated {
        /// The end of the input.
        offset: usize,
        /// The innermost element still open.
        open_element: String,
    },
    /// Elements nest deeper than the limit.
    #[error("elements nest deeper than {limit} levels at byte {offset}")]
    TooDeep {
        /// The element that went past the limit.
        offset: usize,
        /// The limit.
        limit: usize,
    },
    /// More elements than the limit.
    #[error("more than {limit} elements; the limit is reached at byte {offset}")]
    TooManyElements {
        /// The element that went past the limit.
        offset: usize,
        /// The limit.
        limit: usize,
    },
    /// An element with more attributes than the limit.
    #[error("an element at byte {offset} has more than {limit} attributes")]
    TooManyAttributes {
        /// The element.
        offset: usize,
        /// The limit.
        limit: usize,
    },
    /// A document type declaration: SOAP forbids them, and refusing them rules out entity
    /// expansion attacks.
    #[error("a DOCTYPE at byte {offset}: SOAP messages must not have one, and none is processed")]
    Doctype {
        /// Where the DOCTYPE starts.
        offset: usize,
    },
    /// An entity reference other than the five predefined ones or a character reference.
    #[error(
        "an undefined entity reference at byte {offset}: only &amp; &lt; &gt; &quot; &apos; and &#…; exist without a DTD"
    )]
    UnknownEntity {
        /// Where the reference starts.
        offset: usize,
    },
    /// Well-formed XML whose root is not a SOAP Envelope.
    #[error("not a SOAP message: expected a SOAP Envelope at byte {offset}, found <{found}>")]
    NotSoap {
        /// Where the root element starts.
        offset: usize,
        /// The root element's name and namespace, as written.
        found: String,
    },
    /// A SOAP Envelope without a Body.
    #[error("the SOAP Envelope at byte {offset} has no Body")]
    MissingBody {
        /// Where the Envelope starts.
        offset: usize,
    },
}

impl DecodeError {
    /// The byte offset in the input the error concerns.
    pub fn offset(&self) -> usize {
        match self {
            Self::TooLarge { .. } => 0,
            Self::NotXml { offset, .. }
            | Self::Truncated { offset, .. }
            | Self::TooDeep { offset, .. }
            | Self::TooManyElements { offset, .. }
            | Self::TooManyAttributes { offset, .. }
            | Self::Doctype { offset }
            | Self::UnknownEntity { offset }
            | Self::NotSoap { offset, .. }
            | Self::MissingBody { offset } => *offset,
        }
    }
}
