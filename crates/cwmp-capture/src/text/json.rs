//! An order-preserving JSON tree (header order matters; `serde_json::Map` sorts keys unless a
//! workspace-wide feature is switched on), and the detection of JSON-shaped formats.

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, SeqAccess, Visitor};

use super::TextFormat;

/// A JSON (or YAML) value with object members in document order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A scalar as header-value text (numbers without a fraction print as integers).
    pub(crate) fn to_text(&self) -> Option<String> {
        match self {
            Self::String(s) => Some(s.clone()),
            Self::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{n:.0}")),
            Self::Number(n) => Some(n.to_string()),
            Self::Bool(b) => Some(b.to_string()),
            Self::Null | Self::Array(_) | Self::Object(_) => None,
        }
    }

    /// The port or status code in this value, if it is an integer that fits.
    pub(crate) fn as_u16(&self) -> Option<u16> {
        let n = self.as_f64()?;
        (n.fract() == 0.0 && (0.0..=65535.0).contains(&n)).then(|| {
            // Checked above: an integer in range.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let v = n as u16;
            v
        })
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "a boolean",
            Self::Number(_) => "a number",
            Self::String(_) => "a string",
            Self::Array(_) => "an array",
            Self::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    #[allow(clippy::cast_precision_loss)] // Ports, status codes and sizes are far below 2^53.
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            out.push((k, v));
        }
        Ok(Value::Object(out))
    }
}

/// Parses one JSON document.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Which JSON-shaped format `text` (starting with `{` or `[`) is. Truncated inputs are
/// recognised from their beginning, so that their first entries can still be imported.
pub(crate) fn detect(text: &[u8]) -> TextFormat {
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or(text);
    if parse(first_line).is_ok_and(|v| v.get("event").is_some()) {
        return TextFormat::GenieAcsJson;
    }
    match parse(text) {
        Ok(v) if v.get("log").is_some() => TextFormat::Har,
        Ok(Value::Array(items))
            if matches!(items.as_slice(), [Value::Object(_), Value::String(_)]) =>
        {
            TextFormat::GenieAcs2012
        }
        Ok(_) => TextFormat::Unknown,
        Err(_) => {
            let head = &text[..text.len().min(4096)];
            let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
            if has(b"\"log\"") {
                TextFormat::Har
            } else if has(b"\"event\"") {
                TextFormat::GenieAcsJson
            } else if text.first() == Some(&b'[') {
                TextFormat::GenieAcs2012
            } else {
                TextFormat::Unknown
            }
        }
    }
}
