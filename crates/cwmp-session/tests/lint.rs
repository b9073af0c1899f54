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

fn file(name: &str) -> Capture {
    let bytes = std::fs::read(dir().join(name)).expect("vector");
    analyse(&bytes, Some(name))
}

fn rules_of(capture: &Capture) -> Vec<&str> {
    capture.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn the_wrong_password_vector_is_honest_and_only_it_blames_the_password() {
    // The CPE hashed "cpe-s3cr3t"; the ACS expects "cpe-s3cret". The auth debugger, given the
    // CPE's password, finds every field right; given the ACS's, only the password differs.
    let capture = file("auth.credentials-refused.pos.http");
    let retry = capture.sessions[0].messages[2].exchange;
    let request = capture.exchanges[retry].request.as_ref().expect("request");
    let challenge = capture.exchanges[0]
        .response
        .as_ref()
        .and_then(|r| r.header("www-authenticate"))
        .and_then(cwmp_capture::AuthParams::parse);
    let cpe = cwmp_session::check_http_auth(request, challenge.as_ref(), "cpe-s3cr3t");
    assert!(cpe.ok, "{:?}", cpe.mismatches);
    let acs = cwmp_session::check_http_auth(request, challenge.as_ref(), "cpe-s3cret");
    assert!(!acs.ok);
    assert!(
        acs.mismatches.iter().all(|m| m.field != "realm"
            && m.field != "uri"
            && m.field != "nonce"
            && m.field != "qop"),
        "{:?}",
        acs.mismatches
    );
    let refused: Vec<_> = capture
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("auth."))
        .collect();
    assert_eq!(refused.len(), 1, "{}", describe(&capture));
    assert_eq!(refused[0].rule, "auth.credentials-refused");
    assert!(refused[0].message.contains("password"));
    assert!(refused[0].spec.contains("§3.4.4") && refused[0].spec.contains("RFC 7616"));
    // The old verdict, "the credentials are wrong", is gone from the loop rule.
    assert!(
        !capture
            .findings
            .iter()
            .any(|f| f.message.contains("credentials are wrong"))
    );
}

#[test]
fn each_auth_failure_is_told_as_its_cause_not_as_the_password() {
    for (name, rule, words) in [
        (
            "auth.scheme-mismatch.pos.http",
            "auth.scheme-mismatch",
            "answers with Basic (2 times)",
        ),
        (
            "auth.challenge-unanswered.pos.http",
            "auth.challenge-unanswered",
            "never answered",
        ),
        (
            "auth.realm-mismatch.pos.http",
            "auth.realm-mismatch",
            "realm \"cwmp\"",
        ),
        (
            "auth.stale-nonce.pos.http",
            "auth.stale-nonce",
            "never issued",
        ),
        (
            "auth.stale-nonce.stale-true.http",
            "auth.stale-nonce",
            "stale=true",
        ),
        (
            "auth.uri-mismatch.pos.http",
            "auth.uri-mismatch",
            "\"/cwmp\"",
        ),
        (
            "auth.qop-not-offered.pos.http",
            "auth.qop-not-offered",
            "auth-int",
        ),
        (
            "auth.algorithm-mismatch.pos.http",
            "auth.algorithm-mismatch",
            "SHA-256",
        ),
    ] {
        let capture = file(name);
        let hit = capture
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("{name}: no {rule}\n{}", describe(&capture)));
        assert!(hit.message.contains(words), "{name}: {}", hit.message);
        assert!(
            hit.spec.contains("§3.4.4") && hit.spec.contains("RFC"),
            "{}",
            hit.spec
        );
        assert!(
            !rules_of(&capture).contains(&"auth.credentials-refused"),
            "{name} blames the password:\n{}",
            describe(&capture)
        );
    }
}

#[test]
fn connection_request_authentication_is_diagnosed_too() {
    let capture = file("auth.credentials-refused.connection-request.http");
    let f = capture
        .findings
        .iter()
        .find(|f| f.rule == "auth.credentials-refused")
        .expect("finding");
    assert_eq!(f.connection_request, Some(0));
    assert!(
        f.message
            .contains("the CPE refused the ACS's Digest credentials for user \"acs\"")
    );

    let capture = file("auth.basic-over-http.connection-request.http");
    let f = capture
        .findings
        .iter()
        .find(|f| f.rule == "auth.basic-over-http")
        .expect("finding");
    assert_eq!(f.connection_request, Some(0));

    let capture = file("auth.connection-request-unauthenticated.pos.http");
    let f = capture
        .findings
        .iter()
        .find(|f| f.rule == "auth.connection-request-unauthenticated")
        .expect("finding");
    assert_eq!(f.severity, cwmp_session::Severity::Error);
    assert!(f.spec.starts_with("TR-069 §3.2.2"));
}

#[test]
fn basic_credentials_are_flagged_only_where_the_transport_is_known_plain() {
    // A transcript says nothing about TLS; an https:// HAR is encrypted; http:// is plain.
    let transcript = file("auth.scheme-mismatch.pos.http");
    assert!(!rules_of(&transcript).contains(&"auth.basic-over-http"));
    assert!(!rules_of(&file("auth.basic-over-http.neg.har")).contains(&"auth.basic-over-http"));
    assert!(rules_of(&file("auth.basic-over-http.pos.har")).contains(&"auth.basic-over-http"));
}

#[test]
fn a_401_page_is_an_http_answer_not_a_codec_error() {
    let html = "<html><body><h1>401 Unauthorized</h1><p>Sign in<br></body></html>";
    let inform = std::fs::read(dir().join("auth.credentials-refused.pos.http")).expect("vector");
    let text = String::from_utf8(inform).expect("utf-8");
    // The first 401 of the vector, given an HTML body.
    let with_page = text.replacen(
        "Content-Length: 0\r\n\r\n",
        &format!(
            "Content-Type: text/html\r\nContent-Length: {}\r\n\r\n{html}",
            html.len()
        ),
        1,
    );
    assert_ne!(with_page, text);
    let capture = analyse(with_page.as_bytes(), None);
    let page = &capture.sessions[0].messages[1];
    assert_eq!(page.http_status, Some(401));
    assert_eq!(page.decode_error, None);
    assert!(page.diagnostics.is_empty());
    let challenge = page.summary.challenge.as_deref().expect("challenge");
    assert_eq!(challenge, "Digest realm=\"acs\" qop=\"auth\"");
    assert_eq!(capture.import_summary.bodies_not_cwmp, 0);
    assert!(
        !capture
            .findings
            .iter()
            .any(|f| f.rule.starts_with("codec.")),
        "{}",
        describe(&capture)
    );
}
