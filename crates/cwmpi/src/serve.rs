//! `cwmpi serve`: serves the built app from `dist/` with a strict Content-Security-Policy.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use relay_api::{Health, HealthStatus};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::csp;

/// The address `cwmpi serve` listens on unless told otherwise: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8470";

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The app has not been built into the directory to serve.
    #[error(
        "{} not found: build the app first (`cargo xtask serve` builds and serves it)",
        .dist.join("index.html").display()
    )]
    AppNotBuilt {
        /// The directory that was to be served.
        dist: PathBuf,
    },
    /// The listening socket could not be opened.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// What the operating system said.
        source: io::Error,
    },
    /// The server stopped on an IO error after it had started.
    #[error("the server stopped: {0}")]
    Serve(#[source] io::Error),
}

struct AppFiles {
    dist: PathBuf,
}

/// Builds the HTTP routes that serve the app in `dist`.
///
/// # Errors
///
/// [`ServeError::AppNotBuilt`] when `dist/index.html` does not exist.
///
/// # Panics
///
/// Never: the policy header is built from ASCII constants only.
pub fn router(dist: &Path) -> Result<Router, ServeError> {
    if !dist.join("index.html").is_file() {
        return Err(ServeError::AppNotBuilt {
            dist: dist.to_owned(),
        });
    }
    let files = Arc::new(AppFiles {
        dist: dist.to_owned(),
    });
    let base_policy = HeaderValue::from_str(&csp::policy(&[], &csp::PageRequest::default()))
        .expect("the policy is built from ASCII constants");
    Ok(Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/healthz", get(healthz))
        .with_state(files)
        .fallback_service(ServeDir::new(dist).append_index_html_on_directories(false))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            base_policy,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // gzip for browsers that ask: the app's wasm is a third of its size compressed.
        .layer(CompressionLayer::new()))
}

/// Binds `address` and returns the listener with the address actually bound (port 0 picks one).
///
/// # Errors
///
/// [`ServeError::Bind`] when the socket cannot be opened.
pub async fn bind(address: SocketAddr) -> Result<(TcpListener, SocketAddr), ServeError> {
    let bind_error = |source| ServeError::Bind { address, source };
    let listener = TcpListener::bind(address).await.map_err(bind_error)?;
    let local = listener.local_addr().map_err(bind_error)?;
    Ok((listener, local))
}

/// Serves `app` on `listener` until Ctrl+C.
///
/// # Errors
///
/// [`ServeError::Serve`] when accepting connections fails.
pub async fn run(listener: TcpListener, app: Router) -> Result<(), ServeError> {
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // If the signal handler cannot be installed the server simply runs until killed.
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(ServeError::Serve)
}

/// `index.html`, read afresh on every request so that a rebuild of `dist/` is served at once,
/// with its inline boot script allowed by hash.
async fn index(State(files): State<Arc<AppFiles>>, RawQuery(query): RawQuery) -> Response {
    match tokio::fs::read_to_string(files.dist.join("index.html")).await {
        Ok(html) => {
            let page = csp::PageRequest::from_query(query.as_deref().unwrap_or_default());
            let policy = csp::policy(&csp::inline_script_hashes(&html), &page);
            let headers = [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                (header::CACHE_CONTROL, "no-cache".to_owned()),
                (header::CONTENT_SECURITY_POLICY, policy),
            ];
            (headers, html).into_response()
        }
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "cannot read {}: {error}",
                files.dist.join("index.html").display()
            ),
        )
            .into_response(),
    }
}

async fn healthz() -> axum::Json<Health> {
    axum::Json(Health {
        status: HealthStatus::Ok,
        name: "cwmpi".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}
