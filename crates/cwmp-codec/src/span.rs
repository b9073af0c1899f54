//! Byte spans into the decoded input.

use std::hash::{Hash, Hasher};

use serde::Serialize;

/// A half-open byte range `start..end` into the input a node was decoded from.
///
/// Spans say where a node came from, not what it is: two nodes with equal content are equal
/// wherever they were read, so `PartialEq` and `Hash` ignore spans. That keeps
/// `decode(encode(x)) == x` meaningful.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The bytes this span covers in `input`, or `None` when it lies outside.
    pub fn slice<'a>(&self, input: &'a [u8]) -> Option<&'a [u8]> {
        input.get(self.start..self.end)
    }

    /// Number of bytes covered.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PartialEq for Span {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Eq for Span {}

impl Hash for Span {
    fn hash<H: Hasher>(&self, _state: &mut H) {}
}
