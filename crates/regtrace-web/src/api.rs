//! `/api/…`: each answer as the CLI's `--format json` prints it, from the same use case and the
//! same renderer. The HTML pages take the same use cases' typed answers, asked for with the same
//! parameters ([`reach_request`], [`review_filter`], [`path_request`], [`matrix_request`]).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use regtrace_app::DataSet;
use regtrace_app::history::ReviewFilter;
use regtrace_app::reach::{ReachAnswer, ReachRequest, Reached};
use regtrace_core::{Direction, ReachOptions};
use regtrace_render as render;
use std::io::Write as _;

use crate::params::{Params, Window};
use crate::state::{Failure, Shared, blocking, blocking_large};
use crate::stream::streamed;

const JSON: &str = "application/json; charset=utf-8";

/// A question the API answers: one per page.
#[derive(Debug, Clone)]
pub enum Question {
    /// `search --format json`.
    Search(Params),
    /// `show ID --format json`.
    Node(String),
    /// `audit --format json`.
    Audit,
    /// `review list --format json`.
    Reviews(Params),
    /// `change list --format json`.
    Changes,
    /// `path FROM TO --format json`.
    Path(Params),
    /// `matrix --rows KIND --cols KIND --format json`, refused above this many cells.
    Matrix(Params, usize),
    /// `editions ID --format json` (today, or `as_of`).
    Editions(String, Params),
}

/// The JSON text of the answer to `question`, exactly as the CLI prints it (compact).
fn answer(data: &DataSet, question: &Question) -> Result<String, Failure> {
    Ok(match question {
        Question::Search(p) => {
            let text = p.one("q").unwrap_or_default();
            let kinds = regtrace_app::parse::words(&p.all("kind"))?;
            let limit = Window::of(p, 50).map_err(Failure::BadRequest)?.size;
            let found = regtrace_app::nodes::search(data, &[text], &kinds, limit)?;
            render::nodes::search_json(&found, false)
        }
        Question::Node(id) => render::nodes::show_json(&regtrace_app::nodes::show(data, id)?, false),
        Question::Audit => {
            let request = regtrace_app::audit::AuditRequest::default();
            render::audit::json(&regtrace_app::audit::audit(data, &request)?, false)
        }
        Question::Reviews(p) => {
            render::history::reviews_json(&regtrace_app::history::reviews(data, &review_filter(p)?)?, false)
        }
        Question::Changes => render::history::events_json(&regtrace_app::history::events(data)?, false),
        Question::Path(p) => {
            render::nodes::path_json(&regtrace_app::nodes::path(data, path_request(p)?)?, false)
        }
        Question::Editions(id, p) => {
            let day = regtrace_app::parse::optional_date("as_of", p.one("as_of").as_deref())?
                .unwrap_or_else(|| chrono::Utc::now().date_naive());
            render::editions::json(&regtrace_app::editions::editions(data, id, day)?, false)
        }
        Question::Matrix(p, max_cells) => {
            let request = matrix_request(p)?;
            let plan = regtrace_app::matrix::plan(data, &request)?;
            let (rows, columns) = plan.size();
            if rows.saturating_mul(columns) > *max_cells {
                return Err(matrix_too_large(p, rows, columns, *max_cells));
            }
            let answer = plan.compute();
            let mut out = Vec::new();
            render::matrix::write_json(&mut out, &answer, false)
                .map_err(|e| Failure::Internal(e.to_string()))?;
            String::from_utf8(out).map_err(|e| Failure::Internal(e.to_string()))?
        }
    })
}

/// The paths a query string asks for: `from=ID&to=ID`, `all=1`, `max=N`, `max_hops=N`.
pub(crate) fn path_request(p: &Params) -> Result<regtrace_app::nodes::PathRequest, Failure> {
    let (Some(from), Some(to)) = (p.one("from"), p.one("to")) else {
        return Err(Failure::BadRequest("name both ends: ?from=ID&to=ID".into()));
    };
    Ok(regtrace_app::nodes::PathRequest {
        from,
        to,
        all: p.one("all").is_some_and(|v| v != "0" && v != "false"),
        max: at_most(p, "max", 20, MAX_PATHS)?,
        max_hops: at_most(p, "max_hops", 8, MAX_PATH_HOPS)?,
    })
}

/// The most paths `path … all=1` lists on the web, and the longest it follows (finding all
/// paths grows with the number of hops allowed, and the web answers many people at once).
pub const MAX_PATHS: usize = 200;
/// See [`MAX_PATHS`].
pub const MAX_PATH_HOPS: usize = 12;

/// `?key=N`, `default` unless given, refused above `max` with what to do instead.
fn at_most(p: &Params, key: &str, default: usize, max: usize) -> Result<usize, Failure> {
    match number(p, key)?.unwrap_or(default) {
        n if n > max => Err(Failure::App(regtrace_app::AppError::request(
            format!("{key}={n} is more than the web explorer follows (at most {max})"),
            Some(format!(
                "ask the CLI, which has no such limit: regtrace path FROM TO --{} {n}",
                key.replace('_', "-")
            )),
        ))),
        n => Ok(n),
    }
}

/// The matrix a query string asks for.
pub(crate) fn matrix_request(p: &Params) -> Result<regtrace_app::matrix::MatrixRequest, Failure> {
    let (Some(rows), Some(cols)) = (p.one("rows"), p.one("cols")) else {
        return Err(Failure::BadRequest("name the kinds: ?rows=KIND&cols=KIND".into()));
    };
    Ok(regtrace_app::matrix::MatrixRequest {
        rows,
        cols,
        via: p.all("via"),
        max_hops: number(p, "max_hops")?.map_or(4, |n| u32::try_from(n).unwrap_or(u32::MAX)),
        hide_empty: p.one("hide_empty").is_some_and(|v| v != "0" && v != "false"),
        rows_where: p.all("rows_where"),
        cols_where: p.all("cols_where"),
        limit: number(p, "limit")?,
    })
}

/// A matrix too large for a page: what it is, and where to get it whole.
pub(crate) fn matrix_too_large(p: &Params, rows: usize, columns: usize, max_cells: usize) -> Failure {
    let query: Vec<(&str, &str)> = p
        .pairs()
        .iter()
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let query = Params::query(&query);
    let mut command = format!(
        "regtrace matrix --rows {} --cols {}",
        p.one("rows").unwrap_or_default(),
        p.one("cols").unwrap_or_default()
    );
    for (key, option) in [
        ("via", "--via"),
        ("rows_where", "--rows-where"),
        ("cols_where", "--cols-where"),
    ] {
        for value in p.all(key) {
            command.push_str(&format!(" {option} {value}"));
        }
    }
    if let Some(limit) = p.one("limit") {
        command.push_str(&format!(" --limit {limit}"));
    }
    Failure::App(regtrace_app::AppError::request(
        format!(
            "the matrix has {rows} rows × {columns} columns ({} cells), more than a page holds ({max_cells}) / この行列は {rows} 行 × {columns} 列で、1 ページに表示できる上限（{max_cells} セル）を超えています",
            rows.saturating_mul(columns)
        ),
        Some(format!(
            "narrow it (rows_where=FIELD=VALUE, cols_where=FIELD=VALUE, limit=N), download it whole as /api/matrix.csv?{query} (one column per node) or /api/matrix-links.csv?{query} (one line per link), or run `{command} --format links -o matrix.csv`"
        )),
    ))
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

pub(crate) fn reach_request(direction: Direction, p: &Params) -> Result<ReachRequest, Failure> {
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
        offset: number(p, "offset")?.unwrap_or(0),
    })
}

/// The reviews a query string asks for: `state=open|closed|all`, `event=N`, `node=ID`, `kind=K`.
pub(crate) fn review_filter(p: &Params) -> Result<ReviewFilter, Failure> {
    Ok(ReviewFilter {
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

/// Whether answering `question` may take long or much memory (it runs with the large answers).
pub fn is_large(question: &Question) -> bool {
    matches!(question, Question::Matrix(..) | Question::Audit)
}

async fn respond(shared: Arc<Shared>, question: Question) -> Response {
    let answered = if is_large(&question) {
        blocking_large(&shared, move |s| s.with_data(|data| answer(data, &question))).await
    } else {
        blocking(&shared, move |s| s.with_data(|data| answer(data, &question))).await
    };
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

/// `GET /api/impact?id=…[&id=…][&kind=…][&as_of=…][&max_depth=N][&limit=N][&offset=N]`:
/// streamed (a change that reaches a million nodes is as many hits with their reason paths).
pub async fn impact(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    reach_json(&s, Direction::Impact, Params::parse(q.as_deref())).await
}

/// `GET /api/deps?id=…` (the same parameters as impact).
pub async fn deps(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    reach_json(&s, Direction::Dependencies, Params::parse(q.as_deref())).await
}

async fn reach_json(s: &Arc<Shared>, direction: Direction, p: Params) -> Response {
    let headers = vec![(header::CONTENT_TYPE, HeaderValue::from_static(JSON))];
    streamed(s, false, headers, failure_json, move |data, start| {
        let request = reach_request(direction, &p)?;
        let reached = regtrace_app::reach::reach(data, &request)?;
        let mut out = start.writer();
        match reached {
            Reached::Snapshot(a) => render::reach::write_json(&mut out, a.as_ref(), false, false, None),
            Reached::Loaded(a) => render::reach::write_json(&mut out, a.as_ref(), false, false, None),
        }
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Internal(e.to_string()))
    })
    .await
}

/// `GET /api/matrix.csv?rows=KIND&cols=KIND[…]`: the whole matrix as `matrix --format csv`
/// writes it (one column per column node), streamed, whatever its size.
pub async fn matrix_csv(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    matrix_download(&s, Params::parse(q.as_deref()), false).await
}

/// `GET /api/matrix-links.csv?…`: the whole matrix as `matrix --format links` writes it (one
/// line per link), streamed.
pub async fn matrix_links(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    matrix_download(&s, Params::parse(q.as_deref()), true).await
}

async fn matrix_download(s: &Arc<Shared>, p: Params, links: bool) -> Response {
    let name = if links { "matrix-links.csv" } else { "matrix.csv" };
    let headers = vec![
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or(HeaderValue::from_static("attachment")),
        ),
    ];
    let lang = s.options.lang;
    streamed(s, true, headers, failure_json, move |data, start| {
        let request = matrix_request(&p)?;
        let lang = match p.one("lang").as_deref() {
            Some("ja") => regtrace_core::Lang::Ja,
            Some("en") => regtrace_core::Lang::En,
            _ => lang,
        };
        let plan = regtrace_app::matrix::plan(data, &request)?;
        let mut out = start.writer();
        let answer = plan.compute();
        let view = render::matrix::MatrixView::of(&answer, lang);
        if links {
            view.write_links(&mut out)
        } else {
            view.write_csv(&mut out)
        }
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Internal(e.to_string()))
    })
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
    let max_cells = s.options.limits.max_matrix_cells;
    respond(s, Question::Matrix(Params::parse(q.as_deref()), max_cells)).await
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
    match blocking_large(&s, move |s| {
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
