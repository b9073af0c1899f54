//! `cwmpi serve` against a real dist directory: routes in-process, and the binary on a real socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

const BOOT_SCRIPT: &str = "import init from '/app.js';await init('/app_bg.wasm');";

fn built_app() -> tempfile::TempDir {
    let dist = tempfile::tempdir().unwrap();
    let index = format!(
        "<!doctype html><html><head><script type=\"module\">{BOOT_SCRIPT}</script>\
         <script src=\"/app.js\" type=\"module\"></script></head><body></body></html>"
    );
    std::fs::write(dist.path().join("index.html"), index).unwrap();
    std::fs::write(
        dist.path().join("app.js"),
        "export default async function init() {}",
    )
    .unwrap();
    std::fs::write(dist.path().join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    dist
}

async fn get(dist: &Path, uri: &str) -> axum::http::Response<Body> {
    cwmpi::serve::router(dist)
        .unwrap()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap()
}

fn header_of<'a>(response: &'a axum::http::Response<Body>, name: &header::HeaderName) -> &'a str {
    response.headers()[name].to_str().unwrap()
}

#[tokio::test]
async fn index_is_served_with_its_boot_script_allowed_by_hash() {
    let dist = built_app();
    for uri in ["/", "/index.html"] {
        let response = get(dist.path(), uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            header_of(&response, &header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        let policy = header_of(&response, &header::CONTENT_SECURITY_POLICY).to_owned();
        let hashes = cwmpi::csp::inline_script_hashes(&format!("<script>{BOOT_SCRIPT}</script>"));
        assert_eq!(hashes.len(), 1);
        assert!(policy.contains(&hashes[0]), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(body.starts_with(b"<!doctype html>"));
    }
}

#[tokio::test]
async fn assets_have_correct_mime_types_and_security_headers() {
    let dist = built_app();
    let wasm = get(dist.path(), "/app_bg.wasm").await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(header_of(&wasm, &header::CONTENT_TYPE), "application/wasm");
    assert_eq!(header_of(&wasm, &header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(header_of(&wasm, &header::CONTENT_SECURITY_POLICY).starts_with("default-src 'none'"));
    let js = get(dist.path(), "/app.js").await;
    assert_eq!(header_of(&js, &header::CONTENT_TYPE), "text/javascript");
}

#[tokio::test]
async fn healthz_reports_name_and_version() {
    let dist = built_app();
    let response = get(dist.path(), "/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let health: relay_api::Health = serde_json::from_slice(&body).unwrap();
    assert_eq!(health.status, relay_api::HealthStatus::Ok);
    assert_eq!(health.name, "cwmpi");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn unknown_paths_and_traversal_are_not_found() {
    let dist = built_app();
    std::fs::write(dist.path().parent().unwrap().join("secret.txt"), "no").ok();
    for uri in ["/nope.js", "/../secret.txt", "/%2e%2e/secret.txt"] {
        let status = get(dist.path(), uri).await.status();
        assert!(status.is_client_error(), "{uri}: {status}");
    }
}

#[test]
fn router_refuses_a_directory_without_the_app() {
    let empty = tempfile::tempdir().unwrap();
    let error = cwmpi::serve::router(empty.path()).unwrap_err();
    assert!(
        error.to_string().contains("index.html not found"),
        "{error}"
    );
}

/// The real binary, on a real socket, as `cargo xtask serve` runs it.
struct RunningServer {
    child: Child,
    address: String,
}

impl RunningServer {
    fn start(dist: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cwmpi"))
            .args(["serve", "--listen", "127.0.0.1:0", "--dist"])
            .arg(dist)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_owned();
        Self { child, address }
    }

    fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn binary_serves_on_a_real_socket_and_prints_its_url() {
    let dist = built_app();
    let server = RunningServer::start(dist.path());
    assert!(
        server.address.starts_with("127.0.0.1:"),
        "{}",
        server.address
    );
    let health = server.get("/healthz");
    assert!(health.starts_with("HTTP/1.1 200 OK\r\n"), "{health}");
    assert!(health.contains(r#""status":"ok""#), "{health}");
    let wasm = server.get("/app_bg.wasm");
    assert!(
        wasm.to_ascii_lowercase()
            .contains("content-type: application/wasm\r\n"),
        "{wasm}"
    );
}

#[test]
fn binary_explains_a_missing_build() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cwmpi"))
        .args(["serve", "--listen", "127.0.0.1:0", "--dist"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("index.html not found"), "{stderr}");
    assert!(stderr.contains("cargo xtask serve"), "{stderr}");
}

#[tokio::test]
async fn files_are_gzipped_for_browsers_that_accept_it_and_sent_as_they_are_otherwise() {
    let dist = built_app();
    // Compressible like a real wasm: repeated instruction sequences.
    let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain((0..64 * 1024).map(|i| u8::try_from(i % 61).unwrap()))
        .collect();
    std::fs::write(dist.path().join("big_bg.wasm"), &wasm).unwrap();
    let request = |gzip: bool| {
        let mut request = Request::get("/big_bg.wasm");
        if gzip {
            request = request.header(header::ACCEPT_ENCODING, "gzip, deflate, br");
        }
        cwmpi::serve::router(dist.path())
            .unwrap()
            .oneshot(request.body(Body::empty()).unwrap())
    };

    let gzipped = request(true).await.unwrap();
    assert_eq!(gzipped.status(), StatusCode::OK);
    assert_eq!(header_of(&gzipped, &header::CONTENT_ENCODING), "gzip");
    assert_eq!(
        header_of(&gzipped, &header::CONTENT_TYPE),
        "application/wasm"
    );
    let body = gzipped.into_body().collect().await.unwrap().to_bytes();
    assert!(
        body.len() < wasm.len() / 4,
        "{} of {} bytes",
        body.len(),
        wasm.len()
    );
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, wasm);

    let plain = request(false).await.unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    let body = plain.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], &wasm[..]);
}
