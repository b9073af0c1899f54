//! Every SOAP vector under `tests/vectors/soap`: decodes as `INDEX.csv` says (RPC, namespace,
//! `cwmp:ID`, well-formedness), matches its golden snapshot (model, spans and diagnostics), and
//! survives `encode` then `decode` unchanged.
//!
//! The directory is read at test time, so a vector added with an `INDEX.csv` row is covered
//! without touching this file. Snapshots live in `tests/snapshots/`; regenerate them with
//! `INSTA_UPDATE=always cargo test -p cwmp-codec --test vectors` and review the diff.
//!
//! `tests/vectors/regressions` holds inputs the fuzzer found; they must decode or be refused
//! without panicking, and (once their bugs are fixed) round-trip like the fuzz target demands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cwmp_codec::{
    Body, CwmpNamespace, DecodeError, Decoded, EncodeOptions, Message, Rpc, decode, encode,
};

/// The vectors' directory, inside this crate so that tests never read outside the project.
fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/soap")
}

/// One `INDEX.csv` row, reduced to the columns the test checks.
#[derive(Debug)]
struct IndexRow {
    rpc: String,
    cwmp_ns: String,
    cwmp_id: String,
    well_formed: String,
}

/// Splits CSV text into records (RFC 4180: quoted fields with `""` escapes, CRLF or LF).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (_, '"') => quoted = !quoted,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (_, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// `INDEX.csv`, keyed by file path relative to the vectors' directory.
fn read_index(dir: &Path) -> BTreeMap<String, IndexRow> {
    let text = std::fs::read_to_string(dir.join("INDEX.csv")).unwrap();
    let mut records = parse_csv(&text).into_iter();
    let header = records.next().unwrap();
    let column = |name: &str| {
        header
            .iter()
            .position(|column| column == name)
            .unwrap_or_else(|| panic!("INDEX.csv has no {name} column"))
    };
    let (file, rpc, cwmp_ns, cwmp_id, well_formed) = (
        column("file"),
        column("rpc"),
        column("cwmp_ns"),
        column("cwmp_ID"),
        column("well_formed"),
    );
    records
        .map(|record| {
            assert_eq!(record.len(), header.len(), "INDEX.csv row {record:?}");
            let row = IndexRow {
                rpc: record[rpc].clone(),
                cwmp_ns: record[cwmp_ns].clone(),
                cwmp_id: record[cwmp_id].clone(),
                well_formed: record[well_formed].clone(),
            };
            (record[file].clone(), row)
        })
        .collect()
}

/// Whether a path names an XML vector (the `INDEX.csv` rows for JSON originals do not).
fn is_xml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("xml"))
}

/// Every `.xml` file under `dir`, as paths relative to it with `/` separators, sorted.
fn vector_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if is_xml(&path) {
                let relative = path.strip_prefix(root).unwrap();
                let parts: Vec<_> = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

/// What `INDEX.csv`'s `rpc` column calls a decoded message.
fn rpc_label(message: &Message) -> &str {
    match message {
        Message::Empty => "(empty body)",
        Message::Envelope(envelope) => match &envelope.body {
            Body::Rpc(rpc) => rpc.name(),
            Body::Fault(_) => "Fault",
            // INDEX has no such row; a distinct label makes a mismatch obvious.
            Body::Empty => "(empty SOAP Body)",
        },
    }
}

/// The snapshot name for a vector: its relative path without `.xml`, `/` replaced.
fn snapshot_name(file: &str) -> String {
    file.trim_end_matches(".xml").replace('/', "__")
}

/// Checks a decoded vector against its `INDEX.csv` row; returns what differs.
fn check_against_index(file: &str, decoded: &Decoded, row: &IndexRow) -> Vec<String> {
    let mut problems = Vec::new();
    let label = rpc_label(&decoded.message);
    if label != row.rpc {
        problems.push(format!(
            "{file}: decoded as {label}, INDEX says {}",
            row.rpc
        ));
    }
    let Message::Envelope(envelope) = &decoded.message else {
        return problems;
    };
    if let Body::Rpc(Rpc::Unknown(element)) = &envelope.body {
        problems.push(format!(
            "{file}: <{}> was kept raw; every indexed RPC should be modelled",
            element.name
        ));
    }
    let namespace = envelope.namespace.map_or("", CwmpNamespace::uri);
    if namespace != row.cwmp_ns {
        problems.push(format!(
            "{file}: namespace {namespace:?}, INDEX says {:?}",
            row.cwmp_ns
        ));
    }
    let id = envelope
        .header
        .as_ref()
        .and_then(|header| header.id.as_ref())
        .map_or("MISSING", |id| id.value.raw.trim());
    if id != row.cwmp_id {
        problems.push(format!(
            "{file}: cwmp:ID {id:?}, INDEX says {:?}",
            row.cwmp_id
        ));
    }
    problems
}

/// Encodes in the vector's own namespace (cwmp-1-2 when it has none), decodes again and
/// compares; returns what differs.
fn check_round_trip(file: &str, decoded: &Decoded) -> Option<String> {
    let options = EncodeOptions::for_message(&decoded.message);
    let encoded = encode(&decoded.message, &options);
    let mut again = match decode(encoded.as_bytes()) {
        Ok(again) => again,
        Err(error) => return Some(format!("{file}: its encoding does not decode: {error}")),
    };
    // As in fuzz/fuzz_targets/decode.rs: a message read in no CWMP namespace is necessarily
    // written in one, so only the rest of it must survive.
    if let (Message::Envelope(before), Message::Envelope(after)) =
        (&decoded.message, &mut again.message)
        && before.namespace.is_none()
    {
        after.namespace = None;
    }
    if again.message != decoded.message {
        return Some(format!(
            "{file}: decode(encode(m)) != m\nfirst:  {:?}\nsecond: {:?}",
            decoded.message, again.message
        ));
    }
    // Canonical output is a fixed point: encoding the re-decoded message changes nothing.
    let encoded_again = encode(&again.message, &options);
    (encoded_again != encoded)
        .then(|| format!("{file}: encoding is not stable across a round trip"))
}

/// Checks a vector `INDEX.csv` marks as not well-formed: it must be refused, precisely.
fn check_refused(file: &str, input: &[u8], error: &DecodeError) -> Option<String> {
    let offset = error.offset();
    if offset > input.len() {
        return Some(format!("{file}: error offset {offset} is past the end"));
    }
    match error {
        DecodeError::Truncated { .. } if offset == input.len() => None,
        DecodeError::NotXml { .. } => None,
        _ => Some(format!("{file}: refused with an unexpected error: {error}")),
    }
}

/// Runs one snapshot assertion, turning a mismatch into a problem so that one changed
/// snapshot does not hide the others (insta has already printed the diff).
fn snapshot(file: &str, assertion: impl FnOnce()) -> Option<String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(assertion))
        .err()
        .map(|_| format!("{file}: snapshot differs (see the diff above)"))
}

#[test]
fn every_vector_decodes_as_indexed_matches_its_snapshot_and_round_trips() {
    let dir = vectors_dir();
    let index = read_index(&dir);
    let files = vector_files(&dir);
    assert!(files.len() > 150, "only {} vectors found", files.len());
    let mut problems = Vec::new();
    for row in index.keys().filter(|file| is_xml(Path::new(file))) {
        if !dir.join(row).is_file() {
            problems.push(format!("INDEX.csv lists {row}, which is missing"));
        }
    }
    for file in &files {
        let Some(row) = index.get(file) else {
            problems.push(format!("{file} has no INDEX.csv row"));
            continue;
        };
        let input = std::fs::read(dir.join(file)).unwrap();
        let name = snapshot_name(file);
        let well_formed = row.well_formed == "yes" || row.well_formed.starts_with("n/a");
        match decode(&input) {
            Ok(decoded) if well_formed => {
                problems.extend(check_against_index(file, &decoded, row));
                problems.extend(check_round_trip(file, &decoded));
                problems.extend(snapshot(file, || {
                    insta::assert_yaml_snapshot!(name.as_str(), decoded);
                }));
            }
            Ok(decoded) => problems.push(format!(
                "{file}: INDEX says {:?} but it decoded as {}",
                row.well_formed,
                rpc_label(&decoded.message)
            )),
            Err(error) if !well_formed => {
                problems.extend(check_refused(file, &input, &error));
                let text = error.to_string();
                problems.extend(snapshot(file, || {
                    insta::assert_yaml_snapshot!(name.as_str(), text);
                }));
            }
            Err(error) => problems.push(format!("{file}: does not decode: {error}")),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Inputs that once broke the codec (see `tests/vectors/regressions/PROVENANCE.md`).
fn regression_files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/regressions");
    vector_files(&dir)
        .into_iter()
        .map(|file| {
            let input = std::fs::read(dir.join(&file)).unwrap();
            (file, input)
        })
        .collect()
}

#[test]
fn regression_vectors_decode_or_are_refused_without_panicking() {
    for (file, input) in regression_files() {
        if let Err(error) = decode(&input) {
            assert!(error.offset() <= input.len(), "{file}: {error:?}");
        }
    }
}

/// The fuzz target's property on the inputs it found. Ignored while the decoder bugs these
/// inputs expose are open; run it with `cargo test -p cwmp-codec --test vectors -- --ignored`.
#[test]
fn regression_vectors_round_trip() {
    let mut problems = Vec::new();
    for (file, input) in regression_files() {
        let Ok(decoded) = decode(&input) else {
            continue;
        };
        problems.extend(check_round_trip(&file, &decoded));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The one truncated vector is refused as cut short at its end, inside <EventStruct>.
#[test]
fn truncated_vector_is_refused_at_the_end_of_input() {
    let input = std::fs::read(vectors_dir().join("jdalberg_bogus_inform_1.xml")).unwrap();
    // The file ends in the middle of a tag: `<EventCod`.
    assert!(input.ends_with(b"<EventCod"));
    let error = decode(&input).unwrap_err();
    assert_eq!(
        error,
        DecodeError::Truncated {
            offset: input.len(),
            open_element: "EventStruct".to_owned(),
        }
    );
    assert_eq!(
        error.to_string(),
        format!(
            "the message is cut short at byte {}: <EventStruct> is never closed",
            input.len()
        )
    );
}

#[test]
fn csv_reader_handles_quotes_and_crlf() {
    let records = parse_csv("a,b,c\r\nx,\"y, \"\"z\"\"\",\r\n");
    assert_eq!(
        records,
        vec![
            vec!["a".to_owned(), "b".to_owned(), "c".to_owned()],
            vec!["x".to_owned(), "y, \"z\"".to_owned(), String::new()],
        ]
    );
}
