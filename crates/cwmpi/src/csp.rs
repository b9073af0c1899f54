//! The Content-Security-Policy the app is served with.
//!
//! Trunk's `index.html` boots the wasm module from one inline `<script type="module">`. Rather
//! than allow `'unsafe-inline'`, the server allows exactly those inline scripts by their SHA-256
//! hashes, computed from the file it serves.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

/// The policy for every response, given the `'sha256-…'` sources of the inline scripts allowed.
///
/// Wasm compilation needs `'wasm-unsafe-eval'`; nothing else is loosened. Framing is limited to
/// the same origin until embed mode decides which sites may frame the app.
pub fn policy(inline_script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in inline_script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!(
        "default-src 'none'; script-src {script_src}; style-src 'self'; img-src 'self' data: blob:; \
         font-src 'self'; connect-src 'self'; worker-src 'self' blob:; manifest-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'self'; object-src 'none'"
    )
}

/// The CSP hash sources (`'sha256-…'`) of every inline `<script>` in an HTML document.
///
/// A script with a `src` attribute is not inline and gets no hash. The hash covers the exact
/// text between the opening tag's `>` and `</script>`, as browsers compute it.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = find_ascii_case_insensitive(rest, "<script") {
        let after_name = &rest[start + "<script".len()..];
        let Some(tag_end) = after_name.find('>') else {
            break;
        };
        let attributes = &after_name[..tag_end];
        let body_and_rest = &after_name[tag_end + 1..];
        let Some(body_end) = find_ascii_case_insensitive(body_and_rest, "</script") else {
            break;
        };
        if !has_src_attribute(attributes) {
            let digest = Sha256::digest(&body_and_rest.as_bytes()[..body_end]);
            hashes.push(format!("'sha256-{}'", BASE64.encode(digest)));
        }
        rest = &body_and_rest[body_end..];
    }
    hashes
}

fn has_src_attribute(attributes: &str) -> bool {
    attributes
        .split(|c: char| c.is_ascii_whitespace())
        .any(|attribute| {
            let name = attribute.split('=').next().unwrap_or_default();
            name.eq_ignore_ascii_case("src")
        })
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<html><head>
<script type="module">import init from '/app.js';await init();</script>
<script src="/other.js"></script>
<SCRIPT>alert(1)</SCRIPT>
</head></html>"#;
        let hashes = inline_script_hashes(html);
        let expected: Vec<String> = ["import init from '/app.js';await init();", "alert(1)"]
            .iter()
            .map(|body| format!("'sha256-{}'", BASE64.encode(Sha256::digest(body))))
            .collect();
        assert_eq!(hashes, expected);
    }

    #[test]
    fn unterminated_script_is_ignored() {
        assert!(inline_script_hashes("<script>never closed").is_empty());
        assert!(inline_script_hashes("<script").is_empty());
    }

    #[test]
    fn policy_lists_hashes_and_allows_no_inline_code_otherwise() {
        let csp = policy(&["'sha256-abc'".to_owned()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"));
        assert!(csp.starts_with("default-src 'none';"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
