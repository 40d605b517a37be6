//! `/api/…`: each answer as the CLI's `--format json` prints it, from the same use case and the
//! same renderer. The HTML pages render these very answers ([`answer`]).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use regtrace_app::DataSet;
use regtrace_app::history::ReviewFilter;
use regtrace_app::reach::{ReachRequest, Reached};
use regtrace_core::{Direction, ReachOptions};

use crate::params::Params;
use crate::state::{Failure, Shared, blocking};

/// A question the API answers: one per page.
#[derive(Debug, Clone)]
pub enum Question {
    /// `search --format json`.
    Search(Params),
    /// `show ID --format json`.
    Node(String),
    /// `impact`/`deps --format json`.
    Reach(Direction, Params),
    /// `audit --format json`.
    Audit,
    /// `review list --format json`.
    Reviews(Params),
    /// `change list --format json`.
    Changes,
}

/// The JSON text of the answer to `question`, exactly as the CLI prints it (compact).
pub fn answer(data: &DataSet, question: &Question) -> Result<String, Failure> {
    use regtrace_render as render;
    Ok(match question {
        Question::Search(p) => {
            let text = p.one("q").unwrap_or_default();
            let kinds = regtrace_app::parse::words(&p.all("kind"))?;
            let limit = number(p, "limit")?.unwrap_or(50);
            let found = regtrace_app::nodes::search(data, &text, &kinds, limit)?;
            render::nodes::search_json(&found, false)
        }
        Question::Node(id) => render::nodes::show_json(&regtrace_app::nodes::show(data, id)?, false),
        Question::Reach(direction, p) => {
            let ids = p.all("id");
            if ids.is_empty() {
                return Err(Failure::BadRequest("name a node: ?id=ID (repeatable)".into()));
            }
            let request = ReachRequest {
                ids,
                direction: *direction,
                kinds: regtrace_app::parse::words(&p.all("kind"))?,
                options: ReachOptions {
                    max_depth: number(p, "max_depth")?.map(|n| n as u32),
                    as_of: regtrace_app::parse::optional_date("as_of", p.one("as_of").as_deref())?,
                    ..Default::default()
                },
                limit: number(p, "limit")?,
            };
            let mut out = Vec::new();
            let written = match regtrace_app::reach::reach(data, &request)? {
                Reached::Snapshot(a) => render::reach::write_json(&mut out, a.as_ref(), false, false, None),
                Reached::Loaded(a) => render::reach::write_json(&mut out, a.as_ref(), false, false, None),
            };
            written.map_err(|e| Failure::Internal(e.to_string()))?;
            String::from_utf8(out).map_err(|e| Failure::Internal(e.to_string()))?
        }
        Question::Audit => {
            let request = regtrace_app::audit::AuditRequest {
                rules: None,
                only: Vec::new(),
                shown_min: regtrace_core::audit::Severity::Info,
                generated_at: None,
            };
            render::audit::json(&regtrace_app::audit::audit(data, &request)?, false)
        }
        Question::Reviews(p) => {
            let filter = ReviewFilter {
                open: match p.one("state").as_deref() {
                    Some("open") => Some(true),
                    Some("closed") => Some(false),
                    None | Some("all") => None,
                    Some(other) => {
                        return Err(Failure::BadRequest(format!(
                            "state={other:?}: use open, closed or all"
                        )));
                    }
                },
                cause: number(p, "event")?.map(|n| n as i64),
                probably_unaffected: None,
                node: p.one("node"),
                kinds: regtrace_app::parse::words(&p.all("kind"))?,
            };
            render::history::reviews_json(&regtrace_app::history::reviews(data, &filter)?, false)
        }
        Question::Changes => render::history::events_json(&regtrace_app::history::events(data)?, false),
    })
}

/// A whole number parameter, if given.
fn number(p: &Params, key: &str) -> Result<Option<usize>, Failure> {
    p.one(key)
        .map(|v| {
            v.parse::<usize>()
                .map_err(|_| Failure::BadRequest(format!("{key}={v:?} is not a whole number")))
        })
        .transpose()
}

/// A failure as the API says it: its status and `{"error": …, "hint": …}`.
pub fn failure_json(failure: &Failure) -> Response {
    let (message, hint) = failure.message();
    let body = serde_json::json!({ "error": message, "hint": hint });
    (
        failure.status(),
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn respond(shared: Arc<Shared>, question: Question) -> Response {
    let answered = blocking(&shared, move |s| s.with_data(|data| answer(data, &question))).await;
    match answered {
        Ok(json) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            json,
        )
            .into_response(),
        Err(failure) => failure_json(&failure),
    }
}

/// `GET /api/search?q=…[&kind=…][&limit=N]`.
pub async fn search(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    respond(s, Question::Search(Params::parse(q.as_deref()))).await
}

/// `GET /api/nodes/{id}`.
pub async fn node(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    respond(s, Question::Node(id)).await
}

/// `GET /api/impact?id=…[&id=…][&kind=…][&as_of=…][&max_depth=N][&limit=N]`.
pub async fn impact(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    respond(s, Question::Reach(Direction::Impact, Params::parse(q.as_deref()))).await
}

/// `GET /api/deps?id=…` (the same parameters as impact).
pub async fn deps(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    respond(
        s,
        Question::Reach(Direction::Dependencies, Params::parse(q.as_deref())),
    )
    .await
}

/// `GET /api/audit`.
pub async fn audit(State(s): State<Arc<Shared>>) -> Response {
    respond(s, Question::Audit).await
}

/// `GET /api/reviews[?state=open|closed][&event=N][&node=ID][&kind=…]`.
pub async fn reviews(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    respond(s, Question::Reviews(Params::parse(q.as_deref()))).await
}

/// `GET /api/changes`.
pub async fn changes(State(s): State<Arc<Shared>>) -> Response {
    respond(s, Question::Changes).await
}
