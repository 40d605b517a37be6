//! `/api/…`: each answer as the CLI's `--format json` prints it, from the same use case and the
//! same renderer. The HTML pages render these very answers ([`answer`]).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use regtrace_app::DataSet;
use regtrace_app::history::ReviewFilter;
use regtrace_app::reach::{ReachAnswer, ReachRequest, Reached};
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
    /// `path FROM TO --format json`.
    Path(Params),
    /// `matrix --rows KIND --cols KIND --format json`.
    Matrix(Params),
    /// `editions ID --format json` (today, or `as_of`).
    Editions(String, Params),
}

/// The JSON text of the answer to `question`, exactly as the CLI prints it (compact).
pub fn answer(data: &DataSet, question: &Question) -> Result<String, Failure> {
    use regtrace_render as render;
    Ok(match question {
        Question::Search(p) => {
            let text = p.one("q").unwrap_or_default();
            let kinds = regtrace_app::parse::words(&p.all("kind"))?;
            let limit = number(p, "limit")?.unwrap_or(50);
            let found = regtrace_app::nodes::search(data, &[text], &kinds, limit)?;
            render::nodes::search_json(&found, false)
        }
        Question::Node(id) => render::nodes::show_json(&regtrace_app::nodes::show(data, id)?, false),
        Question::Reach(direction, p) => {
            let request = reach_request(*direction, p)?;
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
        Question::Path(p) => {
            let (Some(from), Some(to)) = (p.one("from"), p.one("to")) else {
                return Err(Failure::BadRequest("name both ends: ?from=ID&to=ID".into()));
            };
            let request = regtrace_app::nodes::PathRequest {
                from,
                to,
                all: p.one("all").is_some_and(|v| v != "0" && v != "false"),
                max: number(p, "max")?.unwrap_or(20),
                max_hops: number(p, "max_hops")?.unwrap_or(8),
            };
            render::nodes::path_json(&regtrace_app::nodes::path(data, request)?, false)
        }
        Question::Editions(id, p) => {
            let day = regtrace_app::parse::optional_date("as_of", p.one("as_of").as_deref())?
                .unwrap_or_else(|| chrono::Utc::now().date_naive());
            render::editions::json(&regtrace_app::editions::editions(data, id, day)?, false)
        }
        Question::Matrix(p) => {
            let (Some(rows), Some(cols)) = (p.one("rows"), p.one("cols")) else {
                return Err(Failure::BadRequest("name the kinds: ?rows=KIND&cols=KIND".into()));
            };
            let request = regtrace_app::matrix::MatrixRequest {
                rows,
                cols,
                via: p.all("via"),
                max_hops: number(p, "max_hops")?.map_or(4, |n| n as u32),
                hide_empty: p.one("hide_empty").is_some_and(|v| v != "0" && v != "false"),
                rows_where: p.all("rows_where"),
                cols_where: p.all("cols_where"),
                limit: number(p, "limit")?,
            };
            let answer = regtrace_app::matrix::matrix(data, &request)?;
            let mut out = Vec::new();
            render::matrix::write_json(&mut out, &answer, false)
                .map_err(|e| Failure::Internal(e.to_string()))?;
            String::from_utf8(out).map_err(|e| Failure::Internal(e.to_string()))?
        }
    })
}

/// A table of hits to download, as `impact --format csv|xlsx` writes it.
#[derive(Debug, Clone, Copy)]
pub enum Sheet {
    Csv,
    Xlsx,
}

/// The hits of an impact or dependency question as CSV or an Excel workbook.
pub fn reach_table(
    data: &DataSet,
    direction: Direction,
    p: &Params,
    sheet: Sheet,
) -> Result<Vec<u8>, Failure> {
    let request = reach_request(direction, p)?;
    fn table<G: regtrace_core::GraphView>(answer: &ReachAnswer<G>, sheet: Sheet) -> Result<Vec<u8>, Failure> {
        match sheet {
            Sheet::Csv => Ok(regtrace_render::reach::csv(answer).into_bytes()),
            Sheet::Xlsx => {
                let mut out = Vec::new();
                regtrace_render::reach::xlsx(answer, &mut out)
                    .map_err(|e| Failure::Internal(e.to_string()))?;
                Ok(out)
            }
        }
    }
    match regtrace_app::reach::reach(data, &request)? {
        Reached::Snapshot(a) => table(a.as_ref(), sheet),
        Reached::Loaded(a) => table(a.as_ref(), sheet),
    }
}

fn reach_request(direction: Direction, p: &Params) -> Result<ReachRequest, Failure> {
    let ids = p.all("id");
    if ids.is_empty() {
        return Err(Failure::BadRequest("name a node: ?id=ID (repeatable)".into()));
    }
    Ok(ReachRequest {
        ids,
        direction,
        kinds: regtrace_app::parse::words(&p.all("kind"))?,
        options: ReachOptions {
            max_depth: number(p, "max_depth")?.map(|n| n as u32),
            as_of: regtrace_app::parse::optional_date("as_of", p.one("as_of").as_deref())?,
            ..Default::default()
        },
        limit: number(p, "limit")?,
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

/// `GET /api/path?from=ID&to=ID[&all=1][&max=N][&max_hops=N]`.
pub async fn path(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    respond(s, Question::Path(Params::parse(q.as_deref()))).await
}

/// `GET /api/matrix?rows=KIND&cols=KIND[.ATTRIBUTE][&via=RELATION…][&max_hops=N][&hide_empty=1]`.
pub async fn matrix(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    respond(s, Question::Matrix(Params::parse(q.as_deref()))).await
}

/// `GET /api/impact.csv?…`: the hits as `impact --format csv` writes them.
pub async fn impact_csv(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, Direction::Impact, q, Sheet::Csv).await
}

/// `GET /api/deps.csv?…`.
pub async fn deps_csv(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, Direction::Dependencies, q, Sheet::Csv).await
}

/// `GET /api/impact.xlsx?…`: the hits as `impact --format xlsx` writes them.
pub async fn impact_xlsx(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, Direction::Impact, q, Sheet::Xlsx).await
}

/// `GET /api/deps.xlsx?…`.
pub async fn deps_xlsx(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    download(s, Direction::Dependencies, q, Sheet::Xlsx).await
}

async fn download(s: Arc<Shared>, direction: Direction, q: Option<String>, sheet: Sheet) -> Response {
    let params = Params::parse(q.as_deref());
    let name = if direction == Direction::Impact {
        "impact"
    } else {
        "deps"
    };
    let (content_type, extension) = match sheet {
        Sheet::Csv => ("text/csv; charset=utf-8", "csv"),
        Sheet::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    match blocking(&s, move |s| {
        s.with_data(|data| reach_table(data, direction, &params, sheet))
    })
    .await
    {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.{extension}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(failure) => failure_json(&failure),
    }
}

/// `GET /api/editions/{id}[?as_of=YYYY-MM-DD]`.
pub async fn editions(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    respond(s, Question::Editions(id, Params::parse(q.as_deref()))).await
}

/// `GET /api/changes`.
pub async fn changes(State(s): State<Arc<Shared>>) -> Response {
    respond(s, Question::Changes).await
}
