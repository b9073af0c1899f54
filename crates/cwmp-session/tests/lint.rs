//! Every lint rule against its positive and negative vector in `tests/vectors/lint/`.

use std::path::{Path, PathBuf};

use cwmp_session::{Capture, RULES, analyse, rule_info};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/lint")
}

/// `<stem>.<which>.http`, or `.har` for rules that need capture times.
fn vector(stem: &str, which: &str) -> Option<(PathBuf, Vec<u8>)> {
    ["http", "har"].iter().find_map(|ext| {
        let path = dir().join(format!("{stem}.{which}.{ext}"));
        std::fs::read(&path).ok().map(|bytes| (path, bytes))
    })
}

fn matches(rule: &str, id: &str) -> bool {
    match rule.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => id == rule,
    }
}

fn describe(c: &Capture) -> String {
    c.findings
        .iter()
        .map(|f| format!("  {} [{}] {}", f.rule, f.severity.as_str(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_has_a_positive_and_a_negative_vector() {
    let mut failures = Vec::new();
    for rule in RULES {
        let stem = rule.id.trim_end_matches(".*");
        for (which, want) in [("pos", true), ("neg", false)] {
            let Some((path, bytes)) = vector(stem, which) else {
                failures.push(format!("{}: no {which} vector", rule.id));
                continue;
            };
            let capture = analyse(&bytes, path.file_name().and_then(|n| n.to_str()));
            let hit = capture.findings.iter().any(|f| matches(rule.id, &f.rule));
            if hit != want {
                failures.push(format!(
                    "{}: {which} vector {} findings:\n{}",
                    rule.id,
                    if want { "has no" } else { "has" },
                    describe(&capture)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn negative_vectors_of_session_rules_are_clean() {
    // The "done right" sessions must not trip any order rule, or they would hide regressions.
    for name in ["session.inform-first", "event.reboot-without-boot"] {
        let (_, bytes) = vector(name, "neg").expect("vector");
        let capture = analyse(&bytes, None);
        assert!(
            capture.findings.is_empty(),
            "{name}:\n{}",
            describe(&capture)
        );
    }
}

#[test]
fn findings_carry_rule_documentation() {
    for rule in RULES {
        assert!(rule.spec.starts_with("TR-069"), "{}", rule.id);
        assert!(!rule.title.is_empty());
        assert!(
            !rule.title.contains("(unverified)") || rule.severity != cwmp_session::Severity::Error
        );
    }
    let (_, bytes) = vector("session.empty-200", "pos").expect("vector");
    let capture = analyse(&bytes, None);
    for f in &capture.findings {
        let info = rule_info(&f.rule).expect("documented rule");
        assert_eq!(f.spec, info.spec);
        assert!(f.session.is_some());
        assert!(!f.messages.is_empty());
    }
}

#[test]
fn codec_diagnostics_are_grouped_per_session() {
    let (_, bytes) = vector("codec", "pos").expect("vector");
    let capture = analyse(&bytes, None);
    let codec: Vec<_> = capture
        .findings
        .iter()
        .filter(|f| f.rule == "codec.lowercase-oui")
        .collect();
    assert_eq!(codec.len(), 1, "{}", describe(&capture));
    assert_eq!(codec[0].severity, cwmp_session::Severity::Info);
}

#[test]
fn rule_ids_are_unique() {
    let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
}

#[test]
#[ignore = "prints every vector's findings, for review"]
fn dump() {
    let mut names: Vec<_> = std::fs::read_dir(dir())
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("http") || e.eq_ignore_ascii_case("har"))
        })
        .collect();
    names.sort();
    // LINT_DUMP=<file> dumps that input instead.
    if let Ok(path) = std::env::var("LINT_DUMP") {
        names = vec![path];
    }
    for n in names {
        let bytes = std::fs::read(dir().join(&n)).expect("read");
        let c = analyse(&bytes, None);
        println!("{n} ({} sessions)\n{}", c.sessions.len(), describe(&c));
    }
}
