//! The Content-Security-Policy the app is served with.
//!
//! Trunk's `index.html` boots the wasm module from one inline `<script type="module">`. Rather
//! than allow `'unsafe-inline'`, the server allows exactly those inline scripts by their SHA-256
//! hashes, computed from the file it serves.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

/// What a page load asks of the policy, from its query string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// `?embed=1`: the page is meant to be framed, by documentation sites on any origin.
    pub embed: bool,
    /// The origin of `?src=` when it names another site: the page may fetch from it (and only
    /// from it, the browser's CORS rules applying as usual).
    pub fetch_origin: Option<String>,
}

impl PageRequest {
    /// Reads `embed` and `src` from a query string (`a=1&b=2`, percent-encoded).
    pub fn from_query(query: &str) -> Self {
        let mut request = Self::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "embed" => request.embed = value == "1" || value == "true",
                "src" => request.fetch_origin = origin_of(&value),
                _ => {}
            }
        }
        request
    }
}

/// `scheme://host[:port]` of an absolute http(s) URL, when the host is plainly a host name or
/// address; anything else (relative URLs, other schemes, odd characters) gives `None`, and the
/// page may then fetch only from its own origin.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    plain.then(|| format!("{}://{host}", scheme.to_ascii_lowercase()))
}

/// The policy for a response, given the `'sha256-…'` sources of the inline scripts allowed and
/// what the page load asks for.
///
/// Wasm compilation needs `'wasm-unsafe-eval'`. Pages may frame the app itself (`embed.html`
/// shows it). The app may be framed by its own origin, or by any site in embed mode; it may
/// fetch from its own origin, and from the one origin a `?src=` names.
pub fn policy(inline_script_hashes: &[String], page: &PageRequest) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in inline_script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    let ancestors = if page.embed { "*" } else { "'self'" };
    let mut connect = String::from("'self'");
    if let Some(origin) = &page.fetch_origin {
        connect.push(' ');
        connect.push_str(origin);
    }
    format!(
        "default-src 'none'; script-src {script_src}; style-src 'self'; img-src 'self' data: blob:; \
         font-src 'self'; connect-src {connect}; worker-src 'self' blob:; manifest-src 'self'; \
         frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}; \
         object-src 'none'"
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
    fn embed_and_src_loosen_only_what_they_need() {
        let plain = policy(&[], &PageRequest::default());
        assert!(plain.contains("frame-ancestors 'self';"));
        assert!(plain.contains("connect-src 'self';"));
        assert!(plain.contains("frame-src 'self';"));
        let page = PageRequest::from_query(
            "embed=1&src=https%3A%2F%2Fdocs.example.org%3A8443%2Fcaps%2Fa.pcap%3Fx%3D1&step=3",
        );
        assert_eq!(
            page,
            PageRequest {
                embed: true,
                fetch_origin: Some("https://docs.example.org:8443".to_owned()),
            }
        );
        let framed = policy(&[], &page);
        assert!(framed.contains("frame-ancestors *;"));
        assert!(framed.contains("connect-src 'self' https://docs.example.org:8443;"));
        // Relative sources, other schemes and header tricks loosen nothing.
        for src in [
            "captures/a.pcap",
            "file:///etc/passwd",
            "https://evil.example;%20script-src%20*",
            "javascript:alert(1)",
        ] {
            let page = PageRequest::from_query(&format!("src={src}"));
            assert_eq!(page.fetch_origin, None, "{src}");
        }
        assert_eq!(
            origin_of("HTTPS://user:pw@Host.example/x").as_deref(),
            Some("https://Host.example")
        );
    }

    #[test]
    fn policy_lists_hashes_and_allows_no_inline_code_otherwise() {
        let csp = policy(&["'sha256-abc'".to_owned()], &PageRequest::default());
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"));
        assert!(csp.starts_with("default-src 'none';"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
