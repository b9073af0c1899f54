//! A share link shows the recipient what the sender saw: for every vector in the repository,
//! the analysis of the link's HAR equals the analysis of the original, field by field, except
//! the fields that describe the input itself (its format, size and import counts) and the values
//! the sender chose to redact.
//!
//! The comparison is of the whole JSON contract, so fields added later are compared too.

use std::path::{Path, PathBuf};

use cwmp_session::share::{self, REDACTED};
use cwmp_session::{Capture, analyse};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every single-file input the repository keeps as a vector.
fn vectors() -> Vec<PathBuf> {
    let dirs = [
        "tests/e2e/vectors",
        "static/examples",
        "crates/cwmp-capture/tests/vectors",
        "crates/cwmp-capture/tests/vectors/text",
        "crates/cwmp-session/tests/vectors/lint",
        "crates/cwmp-session/tests/vectors/log_vs_capture",
        "crates/cwmp-session/tests/vectors/traffic",
        "crates/cwmp-session/tests/vectors/golden/genieacs_2012_huawei",
        "crates/cwmp-codec/tests/vectors/soap",
    ];
    let mut out = Vec::new();
    for dir in dirs {
        let path = repo().join(dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| {
                !matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("md" | "py" | "rs" | "csv")
                )
            })
            .collect();
        files.sort();
        out.extend(files);
    }
    assert!(out.len() > 100, "{} vectors", out.len());
    out
}

/// The analysis as JSON, without what describes the input rather than the traffic.
fn traffic(capture: &Capture) -> Value {
    let mut json: Value = serde_json::from_str(&capture.to_json()).expect("the JSON contract");
    if let Some(source) = json.get_mut("source").and_then(Value::as_object_mut) {
        source.remove("format");
        source.remove("bytes");
    }
    if let Some(top) = json.as_object_mut() {
        top.remove("import_summary");
        top.remove("import_problems");
    }
    json
}

/// Paths where `original` and `shared` differ; a string of `shared` that carries a redaction
/// mark is not a difference when `redacted` is set.
fn differences(
    original: &Value,
    shared: &Value,
    path: &str,
    redacted: bool,
    out: &mut Vec<String>,
) {
    match (original, shared) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let inner = format!("{path}.{key}");
                match b.get(key) {
                    Some(other) => differences(value, other, &inner, redacted, out),
                    None => out.push(format!("{inner}: missing from the link's analysis")),
                }
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("{path}.{key}: only in the link's analysis"));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(x, y, &format!("{path}[{i}]"), redacted, out);
            }
        }
        (Value::String(_), Value::String(b)) if redacted && b.contains(REDACTED) => {}
        (a, b) if a == b => {}
        (a, b) => {
            let show = |v: &Value| v.to_string().chars().take(160).collect::<String>();
            out.push(format!("{path}: {} ≠ {}", show(a), show(b)));
        }
    }
}

/// The analysis of the link made with the redactions at `enabled`, as the recipient's page makes
/// it (the name the link carries, if any).
fn through_link(original: &Capture, enabled: &[usize]) -> Capture {
    let har = share::export_enabled(original, enabled, None);
    let name = share::shared_file_name(har.as_bytes());
    analyse(har.as_bytes(), name.as_deref())
}

fn check_all(redacted: bool) {
    let mut failures = Vec::new();
    let (mut compared, mut skipped) = (0, Vec::<String>::new());
    for path in vectors() {
        let name = path.file_name().and_then(|n| n.to_str()).map(str::to_owned);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let original = analyse(&bytes, name.as_deref());
        let enabled: Vec<usize> = if redacted {
            share::find_redactions(&original)
                .iter()
                .enumerate()
                .filter(|(_, r)| r.on_by_default)
                .map(|(i, _)| i)
                .collect()
        } else {
            Vec::new()
        };
        if share::unshareable_messages(&original, None) > 0 {
            skipped.push(path.display().to_string());
            continue;
        }
        compared += 1;
        let shared = through_link(&original, &enabled);
        let mut found = Vec::new();
        differences(
            &traffic(&original),
            &traffic(&shared),
            "",
            redacted,
            &mut found,
        );
        if !found.is_empty() {
            let shown: Vec<&String> = found.iter().take(8).collect();
            failures.push(format!(
                "{} ({} differences):\n  {}",
                path.display(),
                found.len(),
                shown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    eprintln!("{compared} vectors compared");
    assert!(
        skipped.is_empty(),
        "messages that cannot travel: {skipped:#?}"
    );
    assert!(compared > 100, "{compared} vectors compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_vector_reads_back_the_same_through_its_link() {
    check_all(false);
}

#[test]
fn every_vector_reads_back_the_same_through_its_redacted_link_but_what_is_redacted() {
    check_all(true);
}
