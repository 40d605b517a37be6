//! regtrace-web: the web explorer, a second front end over the use cases of `regtrace-app`.
//!
//! Every page has a stable URL and a JSON twin under `/api` whose body is exactly what the CLI
//! prints with `--format json` for the same question (both call the same use case and the same
//! renderer of `regtrace-render`); the HTML page renders that same answer. The data is loaded
//! once and kept in memory; a request first checks whether the database file changed (another
//! process imported or recorded a change) and reloads if so.
//!
//! Security ([`door`]): a request is answered only under the server's own names (no DNS
//! rebinding); state changes are POSTs from the server's own origin carrying its CSRF token;
//! `--read-only` refuses them; every text from the data is escaped by the templates (maud);
//! responses carry a Content-Security-Policy that allows no script at all; query strings,
//! bodies, the time to send a request and to answer it, and open connections are bounded
//! ([`listen`]).

mod api;
mod door;
mod listen;
mod pages;
mod params;
mod state;
mod stream;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};

pub use door::{Limits, Names};
pub use listen::serve;
pub use state::Options;
use state::Shared;

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
        .route("/api/matrix.csv", get(api::matrix_csv))
        .route("/api/matrix-links.csv", get(api::matrix_links))
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
        .layer(DefaultBodyLimit::max(door::MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            door::guard,
        ))
        .with_state(shared)
}
