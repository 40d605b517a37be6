//! regtrace-web: the web explorer, a second front end over the use cases of `regtrace-app`.
//!
//! Every page has a stable URL and a JSON twin under `/api` whose body is exactly what the CLI
//! prints with `--format json` for the same question (both call the same use case and the same
//! renderer of `regtrace-render`); the HTML page renders that same answer. The data is loaded
//! once and kept in memory; a request first checks whether the database file changed (another
//! process imported or recorded a change) and reloads if so.
//!
//! Security: state changes are POSTs carrying the server's CSRF token; `--read-only` refuses
//! them; every text from the data is escaped by the templates (maud); responses carry a
//! Content-Security-Policy that allows no script at all; query strings and bodies are bounded.

mod api;
mod pages;
mod params;
mod state;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use state::Options;
use state::Shared;

/// The longest query string answered (a page's filters fit many times over).
const MAX_QUERY: usize = 8 * 1024;
/// The largest request body read (a review decision's form).
const MAX_BODY: usize = 16 * 1024;

/// The server's routes over the data `options` names.
pub fn router(options: Options) -> Router {
    let shared = Arc::new(Shared::new(options));
    Router::new()
        .route("/api/search", get(api::search))
        .route("/api/nodes/{id}", get(api::node))
        .route("/api/impact", get(api::impact))
        .route("/api/deps", get(api::deps))
        .route("/api/audit", get(api::audit))
        .route("/api/reviews", get(api::reviews))
        .route("/api/changes", get(api::changes))
        .route("/api/path", get(api::path))
        .route("/api/editions/{id}", get(api::editions))
        .route("/api/matrix", get(api::matrix))
        .route("/api/impact.csv", get(api::impact_csv))
        .route("/api/deps.csv", get(api::deps_csv))
        .route("/api/impact.xlsx", get(api::impact_xlsx))
        .route("/api/deps.xlsx", get(api::deps_xlsx))
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/nodes/{id}", get(pages::node))
        .route("/impact", get(pages::impact))
        .route("/deps", get(pages::deps))
        .route("/diagram.svg", get(pages::diagram))
        .route("/audit", get(pages::audit))
        .route("/reviews", get(pages::reviews))
        .route("/reviews/{review}/close", post(pages::close))
        .route("/reviews/{review}/correct", post(pages::correct))
        .route("/events/{event}/close", post(pages::close_event))
        .route("/changes", get(pages::changes))
        .route("/path", get(pages::path))
        .route("/editions/{id}", get(pages::editions))
        .route("/matrix", get(pages::matrix))
        .route("/assets/style.css", get(pages::style))
        // Browsers ask for it on every first visit; there is none, which is not an error.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(guard))
        .with_state(shared)
}

/// Bounds the query string and sets the headers every response carries.
async fn guard(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut response = if request.uri().query().is_some_and(|q| q.len() > MAX_QUERY) {
        (StatusCode::URI_TOO_LONG, "the query string is too long").into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; object-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    // A response that set its own policy (the diagram, framed by its page) keeps it.
    for (name, value) in fixed {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}

/// Serves the data `options` names on `listener` until the process is stopped (a runtime of
/// its own: the caller is plain, blocking code).
pub fn serve(listener: std::net::TcpListener, options: Options) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(options)).await
    })
}
