//! Typed parameter values: `xsi:type`, the CWMP value types and the forms devices send them in.
//!
//! Parsing is strict about the lexical forms of XML Schema and tolerant only where devices
//! commonly deviate harmlessly (`xsi:type` spellings); every error says what was expected where.

use serde::Serialize;

use crate::DiagnosticCode;

/// The value types of CWMP parameter values (TR-069 Annex A.2.1, Table 12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ValueType {
    /// `xsd:string`
    String,
    /// `xsd:int`
    Int,
    /// `xsd:unsignedInt`
    UnsignedInt,
    /// `xsd:long`
    Long,
    /// `xsd:unsignedLong`
    UnsignedLong,
    /// `xsd:boolean`
    Boolean,
    /// `xsd:dateTime`
    DateTime,
    /// `xsd:base64Binary` (also written `SOAP-ENC:base64`)
    Base64,
    /// `xsd:hexBinary`
    HexBinary,
}

impl ValueType {
    /// Every type.
    pub const ALL: [Self; 9] = [
        Self::String,
        Self::Int,
        Self::UnsignedInt,
        Self::Long,
        Self::UnsignedLong,
        Self::Boolean,
        Self::DateTime,
        Self::Base64,
        Self::HexBinary,
    ];

    /// The canonical XML Schema local name, as written after `xsd:`.
    pub const fn xsd_name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Int => "int",
            Self::UnsignedInt => "unsignedInt",
            Self::Long => "long",
            Self::UnsignedLong => "unsignedLong",
            Self::Boolean => "boolean",
            Self::DateTime => "dateTime",
            Self::Base64 => "base64Binary",
            Self::HexBinary => "hexBinary",
        }
    }
}

/// An `xsi:type` as written, with the value type it names when it names one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct XsiType {
    /// The attribute value exactly as written, prefix included (`xsd:Int`).
    pub raw: String,
    /// The type it names, if any.
    pub known: Option<ValueType>,
}

impl XsiType {
    /// Reads an `xsi:type` attribute value. The prefix is ignored; vendor spellings such as
    /// `xsd:Int` or `xsd:unsignedint` are accepted and reported with
    /// [`DiagnosticCode::TypeSpelling`]; an unknown type gives [`DiagnosticCode::UnknownType`].
    pub fn parse(raw: &str) -> (Self, Option<DiagnosticCode>) {
        let local = raw.rsplit(':').next().unwrap_or(raw).trim();
        let exact = ValueType::ALL
            .into_iter()
            .find(|ty| ty.xsd_name() == local)
            .or_else(|| (local == "base64").then_some(ValueType::Base64));
        let (known, note) = match exact {
            Some(ty) => (Some(ty), None),
            None => match ValueType::ALL.into_iter().find(|ty| {
                ty.xsd_name().eq_ignore_ascii_case(local)
                    || (*ty == ValueType::Base64 && local.eq_ignore_ascii_case("base64"))
            }) {
                Some(ty) => (Some(ty), Some(DiagnosticCode::TypeSpelling)),
                None => (None, Some(DiagnosticCode::UnknownType)),
            },
        };
        (
            Self {
                raw: raw.to_owned(),
                known,
            },
            note,
        )
    }

    /// The canonical `xsd:` spelling of a value type.
    pub fn canonical(ty: ValueType) -> Self {
        Self {
            raw: format!("xsd:{}", ty.xsd_name()),
            known: Some(ty),
        }
    }
}

/// A parameter value read as its type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "camelCase")]
pub enum TypedValue {
    /// Text; the value is the raw text itself.
    Text,
    /// `xsd:int`
    Int(i32),
    /// `xsd:unsignedInt`
    UnsignedInt(u32),
    /// `xsd:long`
    Long(i64),
    /// `xsd:unsignedLong`
    UnsignedLong(u64),
    /// `xsd:boolean` (`true`, `false`, `1`, `0`)
    Boolean(bool),
    /// `xsd:dateTime`
    DateTime(DateTime),
    /// Decoded bytes of base64 or hexBinary.
    Binary(Vec<u8>),
}

/// Why a value did not parse as its type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

/// Reads `raw` as a value of type `ty`. Surrounding whitespace is ignored for every type but
/// string; base64 also ignores whitespace inside, as XML Schema allows.
///
/// Integers take an optional sign (`+` included, as XML Schema allows); base64 must be padded
/// with `=` to groups of four characters; hexBinary takes an even number of hex digits in either
/// case.
///
/// # Errors
///
/// [`ValueError`] saying what was expected, and for dateTime, base64 and hexBinary at which
/// character offset, when `raw` is not of the type.
pub fn parse_value(ty: ValueType, raw: &str) -> Result<TypedValue, ValueError> {
    let text = raw.trim();
    Ok(match ty {
        ValueType::String => TypedValue::Text,
        ValueType::Int => TypedValue::Int(parse_integer(raw, text, "an int")?),
        ValueType::UnsignedInt => {
            TypedValue::UnsignedInt(parse_integer(raw, text, "an unsignedInt")?)
        }
        ValueType::Long => TypedValue::Long(parse_integer(raw, text, "a long")?),
        ValueType::UnsignedLong => {
            TypedValue::UnsignedLong(parse_integer(raw, text, "an unsignedLong")?)
        }
        ValueType::Boolean => TypedValue::Boolean(parse_boolean(text).ok_or_else(|| {
            ValueError(format!("{raw:?} is not a boolean (true, false, 1 or 0)"))
        })?),
        ValueType::DateTime => TypedValue::DateTime(DateTime::parse(text)?.0),
        ValueType::Base64 => TypedValue::Binary(decode_base64(raw)?),
        ValueType::HexBinary => TypedValue::Binary(decode_hex(raw)?),
    })
}

/// An integer type of CWMP, for [`parse_integer`]'s range message.
trait Integer: std::str::FromStr<Err = std::num::ParseIntError> + std::fmt::Display {
    const MIN: Self;
    const MAX: Self;
    /// What the lexical form allows in front of the digits.
    const SIGNS: &'static str;
}

macro_rules! integer {
    ($($ty:ty => $signs:literal),*) => {$(
        impl Integer for $ty {
            const MIN: Self = <$ty>::MIN;
            const MAX: Self = <$ty>::MAX;
            const SIGNS: &'static str = $signs;
        }
    )*};
}

integer!(
    i32 => "an optional '+' or '-'",
    i64 => "an optional '+' or '-'",
    u32 => "an optional '+'",
    u64 => "an optional '+'"
);

/// Parses trimmed `text` (from `raw`) as an integer. Rust's parser already takes the leading `+`
/// XML Schema allows, and rejects everything else XML Schema rejects.
fn parse_integer<T: Integer>(raw: &str, text: &str, what: &str) -> Result<T, ValueError> {
    use std::num::IntErrorKind;
    text.parse().map_err(|error: std::num::ParseIntError| {
        ValueError(match error.kind() {
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => format!(
                "{raw:?} is out of range for {what} ({} to {})",
                T::MIN,
                T::MAX
            ),
            IntErrorKind::Empty => format!("the value is empty; expected {what}"),
            _ => format!(
                "{raw:?} is not {what}: expected decimal digits after {}",
                T::SIGNS
            ),
        })
    })
}

/// `true`, `false`, `1` or `0`, as XML Schema allows.
pub fn parse_boolean(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// The base64 alphabet of RFC 4648 §4, which `xsd:base64Binary` uses.
const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The 6-bit value of a base64 character.
fn base64_value(c: char) -> Option<u32> {
    let code = u32::from(c);
    match c {
        'A'..='Z' => Some(code - u32::from('A')),
        'a'..='z' => Some(code - u32::from('a') + 26),
        '0'..='9' => Some(code - u32::from('0') + 52),
        '+' => Some(62),
        '/' => Some(63),
        _ => None,
    }
}

/// Decodes `xsd:base64Binary` text: groups of four characters, the last one padded with `=`.
/// ASCII whitespace anywhere is skipped, since XML allows line breaks in long values.
///
/// # Errors
///
/// [`ValueError`] naming the character offset (in `text`) of the first character that is not
/// base64, of misplaced padding, or of the end when the last group is incomplete.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, ValueError> {
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    // The group being read, 6 bits a character, and how many characters and `=` it has.
    let mut group = 0_u32;
    let mut filled = 0_u32;
    let mut padding = 0_u32;
    let mut end = 0;
    for (offset, c) in text.chars().enumerate() {
        end = offset + 1;
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == '=' {
            if filled < 2 || filled + padding >= 4 {
                return Err(ValueError(format!(
                    "unexpected '=' at character offset {offset} of the base64 value: padding \
                     only completes a group of 4 after 2 or 3 base64 characters"
                )));
            }
            padding += 1;
            continue;
        }
        if padding > 0 {
            return Err(ValueError(format!(
                "expected only '=' or whitespace after the padding at character offset {offset} \
                 of the base64 value, found {c:?}"
            )));
        }
        let value = base64_value(c).ok_or_else(|| {
            ValueError(format!(
                "expected a base64 character (A-Z, a-z, 0-9, '+', '/' or '=') at character \
                 offset {offset}, found {c:?}"
            ))
        })?;
        group = group << 6 | value;
        filled += 1;
        if filled == 4 {
            let [_, a, b, c] = group.to_be_bytes();
            bytes.extend_from_slice(&[a, b, c]);
            group = 0;
            filled = 0;
        }
    }
    match (filled, padding) {
        (0, 0) => {}
        (2, 2) => {
            let [_, a, _, _] = (group << 12).to_be_bytes();
            bytes.push(a);
        }
        (3, 1) => {
            let [_, a, b, _] = (group << 6).to_be_bytes();
            bytes.extend_from_slice(&[a, b]);
        }
        _ => {
            return Err(ValueError(format!(
                "the base64 value ends at character offset {end} inside a group of {filled} \
                 character(s) and {padding} '='; expected groups of 4, the last padded with '='"
            )));
        }
    }
    Ok(bytes)
}

/// Encodes bytes as canonical `xsd:base64Binary`: padded, without line breaks.
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let (a, b, c) = match *chunk {
            [a] => (a, 0, 0),
            [a, b] => (a, b, 0),
            [a, b, c, ..] => (a, b, c),
            [] => continue,
        };
        let group = u32::from_be_bytes([0, a, b, c]);
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                let sextet = usize::try_from(group >> shift & 0x3F).unwrap_or_default();
                text.push(char::from(
                    BASE64_ALPHABET.get(sextet).copied().unwrap_or(b'='),
                ));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// Decodes `xsd:hexBinary` text: an even number of hex digits, either case. Surrounding
/// whitespace is ignored.
///
/// # Errors
///
/// [`ValueError`] naming the character offset (in `text`) of the first character that is not a
/// hex digit, or saying the number of digits is odd.
pub fn decode_hex(text: &str) -> Result<Vec<u8>, ValueError> {
    // Offsets count characters of `text`, the trimmed whitespace included.
    let leading = text.chars().take_while(|c| c.is_whitespace()).count();
    let digits = text.trim();
    let mut bytes = Vec::with_capacity(digits.len() / 2);
    let mut high: Option<u32> = None;
    let mut count = 0;
    for (index, c) in digits.chars().enumerate() {
        let value = c.to_digit(16).ok_or_else(|| {
            let offset = leading + index;
            ValueError(format!(
                "expected a hex digit (0-9, a-f, A-F) at character offset {offset}, found {c:?}"
            ))
        })?;
        count += 1;
        match high.take() {
            None => high = Some(value),
            Some(first) => bytes.push(u8::try_from(first << 4 | value).unwrap_or_default()),
        }
    }
    if high.is_some() {
        return Err(ValueError(format!(
            "the hexBinary value has {count} hex digits; expected an even number (two per byte)"
        )));
    }
    Ok(bytes)
}

/// Encodes bytes as canonical `xsd:hexBinary` (upper case).
pub fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        for nibble in [byte >> 4, byte & 0x0F] {
            text.push(char::from(
                DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    text
}

/// An `xsd:dateTime` in the forms devices send. It serialises as its text, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// Year (0001 means "unknown" in CWMP when the whole value is 0001-01-01T00:00:00).
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–60 (leap second).
    pub second: u8,
    /// Fraction of a second in nanoseconds.
    pub nanosecond: u32,
    /// How many fraction digits were written (0–9), so that the text is written back the same:
    /// `.5` and `.500` are the same instant, but a device sent one of them.
    pub fraction_digits: u8,
    /// The time zone, when one was given.
    pub zone: Option<Zone>,
}

/// The time zone part of a dateTime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Zone {
    /// `Z`
    Utc,
    /// `+hh:mm` or `-hh:mm`, in minutes east of UTC.
    Offset(i16),
}

/// Something about a dateTime worth telling, though it parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateTimeNote {
    /// No time zone: local time of the sender, whatever that is.
    NoZone,
    /// `0001-01-01T00:00:00`: CWMP's "unknown time".
    Unknown,
}

/// The largest time zone offset XML Schema allows, ±14:00, in minutes.
const MAX_OFFSET_MINUTES: i16 = 14 * 60;

/// Reads a dateTime left to right, remembering where it is for error messages.
struct Cursor<'t> {
    text: &'t str,
    bytes: &'t [u8],
    position: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            position: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    /// "expected `what` at character offset N of "…", found …". Everything before the position
    /// has matched ASCII, so the byte position is also the character offset.
    fn expected(&self, what: &str) -> ValueError {
        self.expected_at(self.position, what)
    }

    fn expected_at(&self, position: usize, what: &str) -> ValueError {
        let text = self.text;
        let found = match text.get(position..).and_then(|rest| rest.chars().next()) {
            Some(c) => format!("found {c:?}"),
            None => "found the end of the text".to_owned(),
        };
        ValueError(format!(
            "expected {what} at character offset {position} of the dateTime {text:?}, {found}"
        ))
    }

    fn out_of_range(&self, position: usize, what: &str, value: u32, range: &str) -> ValueError {
        let text = self.text;
        ValueError(format!(
            "{what} {value} at character offset {position} of the dateTime {text:?} is out of \
             range ({range})"
        ))
    }

    fn eat(&mut self, byte: u8) -> bool {
        let matched = self.peek() == Some(byte);
        if matched {
            self.position += 1;
        }
        matched
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), ValueError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    /// Up to `max` digits (at least one), with their value and count.
    fn digits(&mut self, max: usize) -> (u32, usize) {
        let mut value = 0_u32;
        let mut count = 0;
        while count < max {
            match self.peek() {
                Some(byte @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(byte - b'0');
                    count += 1;
                    self.position += 1;
                }
                _ => break,
            }
        }
        (value, count)
    }

    /// Exactly two digits, within `min..=max`.
    fn two_digits(&mut self, what: &str, min: u8, max: u8) -> Result<u8, ValueError> {
        let start = self.position;
        let (value, count) = self.digits(2);
        if count != 2 {
            return Err(self.expected(&format!("the two digits of the {what}")));
        }
        let range = format!("{min:02}–{max:02}");
        u8::try_from(value)
            .ok()
            .filter(|value| (min..=max).contains(value))
            .ok_or_else(|| self.out_of_range(start, what, value, &range))
    }

    /// The year: four digits, or more without a leading zero. Nine digits keep it in an `i32`.
    fn year(&mut self) -> Result<i32, ValueError> {
        let (year, digits) = self.digits(9);
        if digits < 4 {
            return Err(self.expected("a year of four digits"));
        }
        if digits > 4 && self.text.starts_with('0') {
            return Err(self.expected_at(
                0,
                "a year without leading zeros when longer than four digits",
            ));
        }
        if self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            return Err(self.expected("'-' after a year of at most nine digits"));
        }
        if year == 0 {
            return Err(self.out_of_range(0, "year", 0, "0001 or later"));
        }
        i32::try_from(year).map_err(|_| self.out_of_range(0, "year", year, "0001–999999999"))
    }

    /// An optional fraction of a second: nanoseconds and the number of digits written.
    fn fraction(&mut self) -> Result<(u32, u8), ValueError> {
        if !self.eat(b'.') {
            return Ok((0, 0));
        }
        let (fraction, count) = self.digits(9);
        if count == 0 {
            return Err(self.expected("the digits of the fraction of a second"));
        }
        if self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            return Err(self.expected("at most nine fraction digits (nanoseconds)"));
        }
        // `count` is 1–9, so the scale is 10^8 down to 1 and the product stays below 10^9.
        let count = u8::try_from(count).unwrap_or(9);
        Ok((fraction * 10_u32.pow(9 - u32::from(count)), count))
    }

    /// An optional zone, `Z` or `±hh:mm` within ±14:00, which must end the text.
    fn zone(&mut self, had_fraction: bool) -> Result<Option<Zone>, ValueError> {
        let zone = match self.peek() {
            None => return Ok(None),
            Some(b'Z') => {
                self.position += 1;
                Zone::Utc
            }
            Some(sign @ (b'+' | b'-')) => {
                self.position += 1;
                let at = self.position;
                let hours = self.two_digits("zone hour", 0, 14)?;
                self.expect(b':', "':' in the time zone offset")?;
                let minutes = self.two_digits("zone minute", 0, 59)?;
                let magnitude = i16::from(hours) * 60 + i16::from(minutes);
                if magnitude > MAX_OFFSET_MINUTES {
                    let text = self.text;
                    return Err(ValueError(format!(
                        "the time zone offset {hours:02}:{minutes:02} at character offset {at} \
                         of the dateTime {text:?} is out of range (at most 14:00)"
                    )));
                }
                Zone::Offset(if sign == b'-' { -magnitude } else { magnitude })
            }
            Some(_) if had_fraction => {
                return Err(self.expected("a time zone ('Z', '+hh:mm' or '-hh:mm') or the end"));
            }
            Some(_) => {
                return Err(self.expected(
                    "a fraction ('.'), a time zone ('Z', '+hh:mm' or '-hh:mm') or the end",
                ));
            }
        };
        if self.peek().is_some() {
            return Err(self.expected("the end after the time zone"));
        }
        Ok(Some(zone))
    }
}

/// Whether `year` is a leap year in the proleptic Gregorian calendar XML Schema uses.
const fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in a month.
const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl DateTime {
    /// CWMP's "unknown time", `0001-01-01T00:00:00`.
    pub const UNKNOWN: Self = Self {
        year: 1,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        nanosecond: 0,
        fraction_digits: 0,
        zone: None,
    };

    /// Parses the forms devices send: `YYYY-MM-DDThh:mm:ss`, then optionally a fraction of 1 to
    /// 9 digits, then optionally `Z` or `+hh:mm`/`-hh:mm` (at most ±14:00). Years have four
    /// digits, or more without a leading zero; negative years are not accepted. Surrounding
    /// whitespace is not skipped (callers trim).
    ///
    /// Notes: [`DateTimeNote::Unknown`] for CWMP's unknown time `0001-01-01T00:00:00` (with any
    /// zone or none; no `NoZone` note then, since that is how CWMP writes it), otherwise
    /// [`DateTimeNote::NoZone`] when no zone was given. `-00:00` reads as `+00:00` (the same
    /// zone) and is written back as that.
    ///
    /// # Errors
    ///
    /// [`ValueError`] saying what was expected at which character offset, or which field is out
    /// of range (month 01–12, day valid for the month, hour 00–23, minute 00–59, second 00–60).
    pub fn parse(text: &str) -> Result<(Self, Vec<DateTimeNote>), ValueError> {
        let mut cursor = Cursor::new(text);

        let year = cursor.year()?;
        cursor.expect(b'-', "'-' after the year")?;
        let month = cursor.two_digits("month", 1, 12)?;
        cursor.expect(b'-', "'-' after the month")?;
        let day_at = cursor.position;
        let day = cursor.two_digits("day", 1, 31)?;
        let last_day = days_in_month(year, month);
        if day > last_day {
            return Err(cursor.out_of_range(
                day_at,
                "day",
                u32::from(day),
                &format!("01–{last_day} for month {month:02} of {year:04}"),
            ));
        }
        cursor.expect(b'T', "'T' between the date and the time")?;
        let hour = cursor.two_digits("hour", 0, 23)?;
        cursor.expect(b':', "':' after the hour")?;
        let minute = cursor.two_digits("minute", 0, 59)?;
        cursor.expect(b':', "':' after the minute")?;
        let second = cursor.two_digits("second", 0, 60)?;

        let (nanosecond, fraction_digits) = cursor.fraction()?;
        let zone = cursor.zone(fraction_digits > 0)?;
        let value = Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanosecond,
            fraction_digits,
            zone,
        };
        let notes = if value.is_unknown() {
            vec![DateTimeNote::Unknown]
        } else if zone.is_none() {
            vec![DateTimeNote::NoZone]
        } else {
            Vec::new()
        };
        Ok((value, notes))
    }

    /// Whether this is CWMP's "unknown time", 0001-01-01T00:00:00 (in any zone).
    pub fn is_unknown(&self) -> bool {
        self.year == 1
            && self.month == 1
            && self.day == 1
            && self.hour == 0
            && self.minute == 0
            && self.second == 0
            && self.nanosecond == 0
    }
}

impl Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::fmt::Display for DateTime {
    /// The `xsd:dateTime` text: with as many fraction digits as were parsed (or as the
    /// nanoseconds need, if more), and the zone as it was written (`Z` or `±hh:mm`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        // Never drop precision: a value built by hand may carry more digits than it claims.
        let mut needed = 9_u32;
        let mut rest = self.nanosecond;
        while needed > 0 && rest.is_multiple_of(10) {
            rest /= 10;
            needed -= 1;
        }
        let digits = needed.max(u32::from(self.fraction_digits)).min(9);
        if digits > 0 {
            let fraction = self.nanosecond / 10_u32.pow(9 - digits);
            let width = usize::try_from(digits).unwrap_or(9);
            write!(f, ".{fraction:0width$}")?;
        }
        match self.zone {
            None => Ok(()),
            Some(Zone::Utc) => f.write_str("Z"),
            Some(Zone::Offset(minutes)) => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let magnitude = minutes.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", magnitude / 60, magnitude % 60)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_time(text: &str) -> (DateTime, Vec<DateTimeNote>) {
        DateTime::parse(text).unwrap_or_else(|error| panic!("{text:?}: {error}"))
    }

    fn error(text: &str) -> String {
        DateTime::parse(text)
            .expect_err(&format!("{text:?} should not parse"))
            .0
    }

    #[test]
    fn date_time_forms_parse_and_round_trip_exactly() {
        for text in [
            "2019-03-05T11:54:14",
            "2019-03-05T11:54:14Z",
            "2019-03-05T11:54:14+02:00",
            "2019-03-05T11:54:14-06:00",
            "2019-03-05T11:54:14+00:00",
            "2019-03-05T11:54:14-00:30",
            "2019-03-05T11:54:14+14:00",
            "2019-03-05T11:54:14-14:00",
            "2019-03-05T11:54:14.5",
            "2019-03-05T11:54:14.50Z",
            "2019-03-05T11:54:14.123+02:00",
            "2019-03-05T11:54:14.000000Z",
            "2019-03-05T11:54:14.123456789-06:00",
            "2024-02-29T23:59:60Z",
            "0001-01-01T00:00:00",
            "0001-01-01T00:00:00Z",
            "12019-03-05T11:54:14Z",
        ] {
            let (value, _) = date_time(text);
            assert_eq!(value.to_string(), text);
            assert_eq!(date_time(&value.to_string()).0, value);
        }
    }

    #[test]
    fn date_time_fields() {
        let (value, notes) = date_time("2019-03-05T11:54:14.123456+02:00");
        assert_eq!(
            value,
            DateTime {
                year: 2019,
                month: 3,
                day: 5,
                hour: 11,
                minute: 54,
                second: 14,
                nanosecond: 123_456_000,
                fraction_digits: 6,
                zone: Some(Zone::Offset(120)),
            }
        );
        assert!(notes.is_empty());
        assert_eq!(
            date_time("2019-03-05T11:54:14-06:00").0.zone,
            Some(Zone::Offset(-360))
        );
        assert_eq!(date_time("2019-03-05T11:54:14Z").0.zone, Some(Zone::Utc));
        let (minus_zero, _) = date_time("2019-03-05T11:54:14-00:00");
        assert_eq!(minus_zero.zone, Some(Zone::Offset(0)));
        assert_eq!(minus_zero.to_string(), "2019-03-05T11:54:14+00:00");
        assert_eq!(date_time("2019-03-05T11:54:14.1").0.nanosecond, 100_000_000);
        assert_eq!(date_time("2019-03-05T11:54:14.000000001").0.nanosecond, 1);
    }

    #[test]
    fn date_time_notes() {
        assert_eq!(
            date_time("2019-03-05T11:54:14").1,
            vec![DateTimeNote::NoZone]
        );
        let (unknown, notes) = date_time("0001-01-01T00:00:00");
        assert_eq!(notes, vec![DateTimeNote::Unknown]);
        assert!(unknown.is_unknown());
        assert_eq!(unknown, DateTime::UNKNOWN);
        assert_eq!(
            date_time("0001-01-01T00:00:00Z").1,
            vec![DateTimeNote::Unknown]
        );
        assert!(!date_time("0001-01-01T00:00:01Z").0.is_unknown());
        assert_eq!(
            date_time("0001-01-01T00:00:01").1,
            vec![DateTimeNote::NoZone]
        );
    }

    #[test]
    fn date_time_malformed_says_what_and_where() {
        let message = error("2019-03-05T11:54::14");
        assert!(message.contains("second"), "{message}");
        assert!(message.contains("offset 17"), "{message}");
        assert!(message.contains("found ':'"), "{message}");

        let message = error("2019-03-05 11:54:14");
        assert!(
            message.contains("'T'") && message.contains("offset 10"),
            "{message}"
        );
        let message = error("2019-03-05T11:54:14.");
        assert!(
            message.contains("fraction") && message.contains("offset 20"),
            "{message}"
        );
        assert!(error("2019-03-05T11:54:14.1234567890").contains("nine fraction digits"));
        let message = error("2019-03-05T11:54:14+0200");
        assert!(
            message.contains("':'") && message.contains("offset 22"),
            "{message}"
        );
        assert!(error("2019-03-05T11:54:14Z ").contains("the end"));
        assert!(error("2019-03-05T11:54:14z").contains("time zone"));
        assert!(error("").contains("found the end"));
        assert!(error("19-03-05T11:54:14").contains("year"));
        assert!(error("02019-03-05T11:54:14").contains("leading zeros"));
        assert!(error("2019-03-05T11:54:14+02:00:00").contains("the end"));
        assert!(error("2019-03-05T11:54").contains("':' after the minute"));
        assert!(error("2019-03-05T11:54:14é").contains("found 'é'"));
        assert!(error("é").contains("offset 0"));
    }

    #[test]
    fn date_time_ranges() {
        for (text, what) in [
            ("2019-00-05T11:54:14", "month 0"),
            ("2019-13-05T11:54:14", "month 13"),
            ("2019-03-00T11:54:14", "day 0"),
            ("2019-03-32T11:54:14", "day 32"),
            ("2019-04-31T11:54:14", "day 31"),
            ("2019-02-29T11:54:14", "day 29"),
            ("1900-02-29T11:54:14", "day 29"),
            ("2019-03-05T24:00:00", "hour 24"),
            ("2019-03-05T11:60:14", "minute 60"),
            ("2019-03-05T11:54:61", "second 61"),
            ("2019-03-05T11:54:14+14:01", "14:01"),
            ("2019-03-05T11:54:14-15:00", "zone hour 15"),
            ("2019-03-05T11:54:14+02:60", "zone minute 60"),
            ("0000-01-01T00:00:00", "year 0"),
        ] {
            let message = error(text);
            assert!(message.contains(what), "{text}: {message}");
            assert!(message.contains("out of range"), "{text}: {message}");
        }
        assert_eq!(date_time("2000-02-29T00:00:00Z").0.day, 29);
        assert_eq!(date_time("2024-02-29T00:00:00Z").0.day, 29);
        assert_eq!(date_time("2019-12-31T23:59:59Z").0.day, 31);
    }

    #[test]
    fn date_time_display_keeps_precision_of_hand_built_values() {
        let value = DateTime {
            nanosecond: 120_000_000,
            fraction_digits: 0,
            ..DateTime::UNKNOWN
        };
        assert_eq!(value.to_string(), "0001-01-01T00:00:00.12");
        let value = DateTime {
            fraction_digits: 3,
            zone: Some(Zone::Offset(-90)),
            ..DateTime::UNKNOWN
        };
        assert_eq!(value.to_string(), "0001-01-01T00:00:00.000-01:30");
        assert_eq!(date_time(&value.to_string()).0, value);
    }

    #[test]
    fn date_time_never_panics_on_prefixes_and_garbage() {
        let text = "2019-03-05T11:54:14.123456789+02:00";
        for end in 0..=text.len() {
            let prefix = text.get(..end).unwrap_or_default();
            let _ = DateTime::parse(prefix);
        }
        for garbage in [
            "-",
            "+",
            "T",
            "::",
            "9999999999-01-01T00:00:00",
            "\u{0}",
            "２０１９",
        ] {
            assert!(DateTime::parse(garbage).is_err());
        }
    }

    #[test]
    fn integers() {
        assert_eq!(
            parse_value(ValueType::Int, " -42 "),
            Ok(TypedValue::Int(-42))
        );
        assert_eq!(parse_value(ValueType::Int, "+42"), Ok(TypedValue::Int(42)));
        assert_eq!(
            parse_value(ValueType::UnsignedInt, "+7"),
            Ok(TypedValue::UnsignedInt(7))
        );
        assert_eq!(
            parse_value(ValueType::UnsignedInt, "4294967295"),
            Ok(TypedValue::UnsignedInt(u32::MAX))
        );
        let overflow = parse_value(ValueType::UnsignedInt, "4294967296").unwrap_err();
        assert!(overflow.0.contains("out of range"), "{overflow}");
        assert!(parse_value(ValueType::Int, "2147483648").is_err());
        assert!(parse_value(ValueType::UnsignedInt, "-1").is_err());
        assert!(parse_value(ValueType::Int, "1.0").is_err());
        assert!(parse_value(ValueType::Int, "+").is_err());
        assert!(
            parse_value(ValueType::Int, "")
                .unwrap_err()
                .0
                .contains("empty")
        );
        assert_eq!(
            parse_value(ValueType::Long, "-9223372036854775808"),
            Ok(TypedValue::Long(i64::MIN))
        );
        assert_eq!(
            parse_value(ValueType::UnsignedLong, "+18446744073709551615"),
            Ok(TypedValue::UnsignedLong(u64::MAX))
        );
        assert!(parse_value(ValueType::UnsignedLong, "18446744073709551616").is_err());
    }

    #[test]
    fn booleans() {
        for (text, value) in [
            ("true", true),
            ("1", true),
            (" false ", false),
            ("0", false),
        ] {
            assert_eq!(parse_boolean(text), Some(value));
            assert_eq!(
                parse_value(ValueType::Boolean, text),
                Ok(TypedValue::Boolean(value))
            );
        }
        for text in ["True", "TRUE", "yes", "2", ""] {
            assert_eq!(parse_boolean(text), None);
            assert!(parse_value(ValueType::Boolean, text).is_err());
        }
    }

    #[test]
    fn strings_and_date_time_values() {
        assert_eq!(parse_value(ValueType::String, " x "), Ok(TypedValue::Text));
        assert!(matches!(
            parse_value(ValueType::DateTime, " 2019-03-05T11:54:14Z\n"),
            Ok(TypedValue::DateTime(_))
        ));
        assert!(parse_value(ValueType::DateTime, "2019-03-05T11:54::14").is_err());
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64(""), Ok(Vec::new()));
        assert_eq!(decode_base64("TWFu"), Ok(b"Man".to_vec()));
        assert_eq!(decode_base64("TWE="), Ok(b"Ma".to_vec()));
        assert_eq!(decode_base64("TQ=="), Ok(b"M".to_vec()));
        assert_eq!(decode_base64(" TW\r\nFu\tTQ = = \n"), Ok(b"ManM".to_vec()));
        assert_eq!(
            parse_value(ValueType::Base64, "/+8="),
            Ok(TypedValue::Binary(vec![0xFF, 0xEF]))
        );
        let message = decode_base64("TW!u").unwrap_err().0;
        assert!(
            message.contains("offset 2") && message.contains("'!'"),
            "{message}"
        );
        let message = decode_base64("TWFuT").unwrap_err().0;
        assert!(message.contains("offset 5"), "{message}");
        assert!(decode_base64("TWE").is_err());
        assert!(decode_base64("TQ=").is_err());
        assert!(decode_base64("T===").is_err());
        assert!(decode_base64("=").is_err());
        assert!(
            decode_base64("TQ==TQ==")
                .unwrap_err()
                .0
                .contains("after the padding")
        );
        assert!(decode_base64("TWE==").is_err());
        assert!(decode_base64("TWFu-_").is_err());
    }

    #[test]
    fn base64_round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        for length in 0..bytes.len() {
            let slice = bytes.get(..length).unwrap_or_default();
            let text = encode_base64(slice);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(decode_base64(&text).as_deref(), Ok(slice));
        }
        assert_eq!(encode_base64(b"Man"), "TWFu");
        assert_eq!(encode_base64(b"Ma"), "TWE=");
        assert_eq!(encode_base64(b"M"), "TQ==");
    }

    #[test]
    fn hex_binary() {
        assert_eq!(decode_hex(""), Ok(Vec::new()));
        assert_eq!(
            parse_value(ValueType::HexBinary, " 0aFf10 "),
            Ok(TypedValue::Binary(vec![0x0A, 0xFF, 0x10]))
        );
        let message = decode_hex("0A F0").unwrap_err().0;
        assert!(message.contains("offset 2"), "{message}");
        let message = decode_hex("  0G").unwrap_err().0;
        assert!(
            message.contains("offset 3") && message.contains("'G'"),
            "{message}"
        );
        assert!(decode_hex("ABC").unwrap_err().0.contains("even"));
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(encode_hex(&[0x0A, 0xFF]), "0AFF");
        assert_eq!(decode_hex(&encode_hex(&bytes)), Ok(bytes.clone()));
        assert_eq!(decode_hex(&encode_hex(&bytes).to_lowercase()), Ok(bytes));
    }

    #[test]
    fn xsi_type_spellings() {
        for (raw, known, note) in [
            ("xsd:int", Some(ValueType::Int), None),
            (
                "xsd:Int",
                Some(ValueType::Int),
                Some(DiagnosticCode::TypeSpelling),
            ),
            (
                "xsd:unsignedint",
                Some(ValueType::UnsignedInt),
                Some(DiagnosticCode::TypeSpelling),
            ),
            (
                "xsd:UnsignedInt",
                Some(ValueType::UnsignedInt),
                Some(DiagnosticCode::TypeSpelling),
            ),
            ("SOAP-ENC:base64", Some(ValueType::Base64), None),
            ("xsd:base64", Some(ValueType::Base64), None),
            ("xsd:base64Binary", Some(ValueType::Base64), None),
            ("string", Some(ValueType::String), None),
            ("xsd:float", None, Some(DiagnosticCode::UnknownType)),
            ("", None, Some(DiagnosticCode::UnknownType)),
        ] {
            let (ty, found) = XsiType::parse(raw);
            assert_eq!(ty.raw, raw);
            assert_eq!((ty.known, found), (known, note), "{raw}");
        }
        for ty in ValueType::ALL {
            let canonical = XsiType::canonical(ty);
            assert_eq!(XsiType::parse(&canonical.raw), (canonical, None));
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        fn zone() -> impl Strategy<Value = Option<Zone>> {
            prop_oneof![
                Just(None),
                Just(Some(Zone::Utc)),
                (-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).prop_map(|m| Some(Zone::Offset(m))),
            ]
        }

        fn date_time() -> impl Strategy<Value = DateTime> {
            (
                1..=99_999_i32,
                1..=12_u8,
                0..=23_u8,
                0..=59_u8,
                0..=60_u8,
                0..=9_u8,
                zone(),
            )
                .prop_flat_map(|(year, month, hour, minute, second, digits, zone)| {
                    let days = days_in_month(year, month);
                    let scale = 10_u32.pow(9 - u32::from(digits));
                    (1..=days, 0..10_u32.pow(u32::from(digits))).prop_map(move |(day, fraction)| {
                        DateTime {
                            year,
                            month,
                            day,
                            hour,
                            minute,
                            second,
                            nanosecond: fraction * scale,
                            fraction_digits: digits,
                            zone,
                        }
                    })
                })
        }

        /// Text shaped like a dateTime, though not always a valid one.
        const CANONICAL_LOOKING: &str = concat!(
            "[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]",
            "(\\.[0-9]{1,9})?(Z|[+-]0[0-9]:[0-5][0-9])?"
        );

        proptest! {
            #[test]
            fn display_then_parse_gives_the_value_back(value in date_time()) {
                let text = value.to_string();
                let (parsed, _) = DateTime::parse(&text).map_err(|e| TestCaseError::fail(e.0))?;
                prop_assert_eq!(parsed, value);
                prop_assert_eq!(parsed.to_string(), text);
            }

            #[test]
            fn parse_then_display_is_exact(
                text in CANONICAL_LOOKING
            ) {
                // `-00:00` is the same zone as `+00:00` and is written back as that.
                prop_assume!(!text.ends_with("-00:00"));
                if let Ok((value, _)) = DateTime::parse(&text) {
                    prop_assert_eq!(value.to_string(), text);
                }
            }

            #[test]
            fn any_text_parses_or_errs_without_panicking(text in "\\PC{0,40}") {
                let _ = DateTime::parse(&text);
                let _ = decode_base64(&text);
                let _ = decode_hex(&text);
                for ty in ValueType::ALL {
                    let _ = parse_value(ty, &text);
                }
            }

            #[test]
            fn near_date_times_never_panic(text in "[0-9T:+.Z-]{0,40}") {
                let _ = DateTime::parse(&text);
            }

            #[test]
            fn binary_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
                prop_assert_eq!(decode_base64(&encode_base64(&bytes)), Ok(bytes.clone()));
                prop_assert_eq!(decode_hex(&encode_hex(&bytes)), Ok(bytes));
            }
        }
    }
}
