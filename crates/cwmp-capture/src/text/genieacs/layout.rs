//! A reader of the YAML that `GenieACS` writes (`lib/common/yaml.ts`), for the records a YAML
//! parser refuses.
//!
//! `GenieACS`'s writer leaves header values such as `accept: */*` unquoted, and YAML reads a
//! leading `*` as an alias (so a YAML parser fails with "unknown anchor"). Its layout is
//! narrow, and this reader reads exactly it: block mappings of `key: value` two spaces deeper
//! per level, `key: ` alone before a nested mapping or a `- ` sequence, `{}` and `[]`, scalars
//! plain or JSON-quoted (the writer quotes every string that would read as something else,
//! except for `*`), and `|`/`>` block scalars with an optional indentation digit and chomping
//! sign, content two spaces deeper than their key. Folded (`>`) scalars are unfolded as the
//! writer folded them: a blank line follows every original line that is not empty and does not
//! start with a space, and pieces of one long line follow each other directly. Anything outside
//! that layout is an error with its line, so that the caller can say where the record broke.

use super::super::json::Value;

/// Where and why a document is not in the layout.
#[derive(Debug)]
pub(crate) struct LayoutError {
    /// 0-based index of the offending line in the document.
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// Reads one document (the lines after its `---`) as a mapping.
pub(crate) fn read(lines: &[&str]) -> Result<Value, LayoutError> {
    let mut reader = Reader {
        lines,
        pos: 0,
        depth: 0,
    };
    let value = reader.mapping(0)?;
    reader.skip_blank();
    if reader.pos < lines.len() {
        return Err(reader.error("a line indented less than the record's keys"));
    }
    Ok(value)
}

struct Reader<'a> {
    lines: &'a [&'a str],
    pos: usize,
    /// Mappings and sequences open: a record nests two deep (`headers`, then a repeated
    /// header's list), so a deep nest is not GenieACS's and must not exhaust the stack.
    depth: usize,
}

/// Deeper nesting than this is not the layout.
const MAX_DEPTH: usize = 16;

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

impl Reader<'_> {
    fn error(&self, message: &str) -> LayoutError {
        LayoutError {
            line: self.pos.min(self.lines.len().saturating_sub(1)),
            message: message.to_owned(),
        }
    }

    fn skip_blank(&mut self) {
        while self.lines.get(self.pos).is_some_and(|l| is_blank(l)) {
            self.pos += 1;
        }
    }

    /// The indentation of the next line with content, if any.
    fn next_indent(&mut self) -> Option<usize> {
        self.skip_blank();
        self.lines.get(self.pos).map(|l| indent_of(l))
    }

    /// A block mapping whose keys are at `indent`.
    fn mapping(&mut self, indent: usize) -> Result<Value, LayoutError> {
        self.enter()?;
        let mut members = Vec::new();
        self.mapping_entries(indent, &mut members)?;
        self.depth -= 1;
        Ok(Value::Object(members))
    }

    fn enter(&mut self) -> Result<(), LayoutError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested deeper than GenieACS's records"));
        }
        Ok(())
    }

    fn mapping_entries(
        &mut self,
        indent: usize,
        members: &mut Vec<(String, Value)>,
    ) -> Result<(), LayoutError> {
        while let Some(at) = self.next_indent() {
            if at < indent {
                break;
            }
            if at > indent {
                return Err(self.error("a line indented deeper than its mapping's keys"));
            }
            let line = self.lines[self.pos];
            let text = &line[indent..];
            if text.starts_with("- ") || text == "-" {
                return Err(self.error("a sequence item where a mapping key was expected"));
            }
            members.push(self.entry(text, indent)?);
        }
        Ok(())
    }

    /// One `key: value` whose key is at `indent`; `text` is the line from the key on. Moves
    /// past the line and whatever nests under it.
    fn entry(&mut self, text: &str, indent: usize) -> Result<(String, Value), LayoutError> {
        let (key, rest) = split_key(text).ok_or_else(|| self.error("not a `key: value` line"))?;
        self.pos += 1;
        let value = self.value(rest, indent)?;
        Ok((key, value))
    }

    /// The value written after `key: ` or `- ` on a line at `indent`, and what nests under it.
    fn value(&mut self, rest: &str, indent: usize) -> Result<Value, LayoutError> {
        let rest = rest.trim_end_matches(' ');
        match rest.as_bytes().first() {
            None => match self.next_indent() {
                Some(at) if at > indent => {
                    let line = &self.lines[self.pos][at..];
                    if line.starts_with("- ") || line == "-" {
                        self.sequence(at)
                    } else {
                        self.mapping(at)
                    }
                }
                _ => Ok(Value::Null),
            },
            Some(b'|' | b'>') => self.block_scalar(rest, indent + 2),
            Some(b'"') => serde_json::from_str::<String>(rest)
                .map(Value::String)
                .map_err(|e| {
                    let mut err = self.error(&format!("a quoted string that is not JSON: {e}"));
                    err.line = self.pos - 1;
                    err
                }),
            Some(_) => plain(rest).ok_or_else(|| {
                let mut err = self.error(&format!(
                    "{rest:?} is a plain value GenieACS would have quoted"
                ));
                err.line = self.pos - 1;
                err
            }),
        }
    }

    /// A block sequence whose `- ` marks are at `indent`.
    fn sequence(&mut self, indent: usize) -> Result<Value, LayoutError> {
        self.enter()?;
        let mut items = Vec::new();
        while let Some(at) = self.next_indent() {
            if at < indent {
                break;
            }
            let line = self.lines[self.pos];
            let text = &line[at..];
            let item = if at > indent {
                None
            } else {
                text.strip_prefix("- ").or((text == "-").then_some(""))
            };
            let Some(item) = item else {
                return Err(self.error("a line in a sequence that is not a `- ` item"));
            };
            let child = indent + 2;
            if !item.starts_with('"') && split_key(item).is_some() {
                // `- key: value`, then the item's other keys two spaces deeper.
                self.enter()?;
                let mut members = vec![self.entry(item, child)?];
                self.mapping_entries(child, &mut members)?;
                self.depth -= 1;
                items.push(Value::Object(members));
            } else if item.starts_with("- ") {
                return Err(self.error("a sequence nested on one line"));
            } else {
                self.pos += 1;
                items.push(self.value(item, indent)?);
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    /// A `|` or `>` scalar (header `head`) whose content lines are at `content`.
    fn block_scalar(&mut self, head: &str, content: usize) -> Result<Value, LayoutError> {
        let header_line = self.pos - 1;
        let bad = || LayoutError {
            line: header_line,
            message: format!("{head:?} is not a block scalar header GenieACS writes"),
        };
        let mut chars = head.chars();
        let folded = chars.next() == Some('>');
        let mut rest = chars.as_str();
        if let Some(r) = rest.strip_prefix(|c: char| c.is_ascii_digit()) {
            rest = r;
        }
        let chomp = match rest {
            "" => Chomp::Clip,
            "-" => Chomp::Strip,
            "+" => Chomp::Keep,
            _ => return Err(bad()),
        };
        let mut lines = Vec::new();
        let indent = " ".repeat(content);
        while let Some(line) = self.lines.get(self.pos) {
            if let Some(text) = line.strip_prefix(&indent) {
                lines.push(text);
            } else if is_blank(line) {
                lines.push("");
            } else {
                break;
            }
            self.pos += 1;
        }
        let trailing = lines.iter().rev().take_while(|l| l.is_empty()).count();
        lines.truncate(lines.len() - trailing);
        let mut text = if folded {
            unfold(&lines)
        } else {
            lines.join("\n")
        };
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => text.push('\n'),
            Chomp::Keep => {
                text.push('\n');
                // A folded scalar's trailing empty line follows its writer's blank separator.
                let kept = if folded {
                    trailing.saturating_sub(1)
                } else {
                    trailing
                };
                text.extend(std::iter::repeat_n('\n', kept));
            }
        }
        Ok(Value::String(text))
    }
}

enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// The original lines of a folded scalar, joined with `\n`: after a line that is not empty
/// and does not start with a space, a blank line separates original lines and a line with
/// content continues the same line (folded at a space).
fn unfold(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut first = true;
    // Whether the previous line was text that the writer follows with a separator.
    let mut after_plain = false;
    let mut after_separator = false;
    for line in lines {
        let plain = !line.is_empty() && !line.starts_with(' ');
        if after_plain && !after_separator && line.is_empty() {
            after_separator = true;
            continue;
        }
        if after_plain && !after_separator && plain {
            out.push(' ');
        } else if !first {
            out.push('\n');
        }
        out.push_str(line);
        first = false;
        after_plain = plain;
        after_separator = false;
    }
    out
}

/// `key` and what follows `: ` (or nothing after a final `:`), the key plain or JSON-quoted.
fn split_key(text: &str) -> Option<(String, &str)> {
    if text.starts_with('"') {
        // The closing quote is the first `"` not escaped by an odd run of backslashes.
        let bytes = text.as_bytes();
        let mut i = 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        let key: String = serde_json::from_str(text.get(..=i)?).ok()?;
        let after = text.get(i + 1..)?;
        return match after.strip_prefix(':')? {
            "" => Some((key, "")),
            rest => rest.strip_prefix(' ').map(|r| (key, r)),
        };
    }
    if let Some((key, rest)) = text.split_once(": ") {
        return Some((key.to_owned(), rest));
    }
    text.strip_suffix(':').map(|key| (key.to_owned(), ""))
}

/// A plain scalar as the writer means it: `null`, a boolean, a number (strings that read as
/// numbers are always quoted), else a string; `None` when the writer would have quoted it.
fn plain(text: &str) -> Option<Value> {
    match text {
        "null" => return Some(Value::Null),
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        "{}" => return Some(Value::Object(Vec::new())),
        "[]" => return Some(Value::Array(Vec::new())),
        _ => {}
    }
    if let Ok(n) = serde_json::from_str::<f64>(text) {
        return Some(Value::Number(n));
    }
    let reserved = text
        .chars()
        .next()
        .is_some_and(|c| c.is_whitespace() || "-?:,[]{}#&$!|>'\"%@`".contains(c));
    let quoted = reserved || text.contains(": ") || text.contains(" #") || text.ends_with(' ');
    (!quoted).then(|| Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Value, LayoutError> {
        let lines: Vec<&str> = text.lines().collect();
        read(&lines)
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn reads_unquoted_star_values_and_nesting() {
        let v = doc(
            "event: incoming HTTP request\nconnection: 2024-03-01T10:00:00.100Z\n\
                     localPort: 7547\ndeviceId: null\nheaders: \n  accept: */*\n  \
                     content-length: \"12\"\n  set-cookie: \n    - a=1\n    - b=2\nbody: \"\"\n",
        )
        .unwrap();
        assert_eq!(v.get("headers").unwrap().get("accept"), Some(&s("*/*")));
        assert_eq!(
            v.get("headers").unwrap().get("content-length"),
            Some(&s("12"))
        );
        assert_eq!(
            v.get("headers").unwrap().get("set-cookie"),
            Some(&Value::Array(vec![s("a=1"), s("b=2")]))
        );
        assert_eq!(v.get("localPort"), Some(&Value::Number(7547.0)));
        assert_eq!(v.get("deviceId"), Some(&Value::Null));
        assert_eq!(v.get("body"), Some(&s("")));
    }

    #[test]
    fn block_scalars_read_back_what_was_written() {
        let v = doc(
            "a: |-\n  x\n\n   y\nb: |+\n  x\n\nc: |\n  x\nd: >-\n  one two\n  three\n\n  \
                     next\n\n   indented\n  after\ne: |2-\n   lead\n  tail\n",
        )
        .unwrap();
        assert_eq!(v.get("a"), Some(&s("x\n\n y")));
        assert_eq!(v.get("b"), Some(&s("x\n\n")));
        assert_eq!(v.get("c"), Some(&s("x\n")));
        assert_eq!(
            v.get("d"),
            Some(&s("one two three\nnext\n indented\nafter"))
        );
        assert_eq!(v.get("e"), Some(&s(" lead\ntail")));
    }

    #[test]
    fn what_the_writer_would_have_quoted_is_an_error_with_its_line() {
        let e = doc("event: x\nurl: &anchor\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = doc("event: x\n  deeper: y\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = doc("event: [\n").unwrap_err();
        assert_eq!(e.line, 0);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let mut text = String::new();
        for depth in 0..2_000 {
            text.push_str(&" ".repeat(depth));
            text.push_str("k:\n");
        }
        let e = doc(&text).unwrap_err();
        assert_eq!(e.line, MAX_DEPTH);
    }
}
