//! Every route, in process: status, type and content of each page and API answer; the review
//! form's token, read-only mode and limits; hostile titles shown as text; the database reloaded
//! when another process changes it.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use regtrace_app::Context;
use regtrace_app::history::{self, ChangeRequest, ImportMode, ImportOptions};
use regtrace_core::Lang;
use regtrace_web::{Limits, Names, Options, router};
use tower::ServiceExt as _;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(path)
}

/// A database of `data` with one change recorded on `changed` (its reviews open).
fn database(dir: &Path, data: &str, changed: &str) -> Context {
    let context = Context::new(Some(dir.join("x.db")));
    let options = ImportOptions {
        mode: ImportMode::Replace,
        allow_empty: false,
        allow_orphans: false,
        history_dir: None,
    };
    history::import(&context, &[repo(data)], None, options).unwrap();
    record(&context, changed);
    context
}

fn record(context: &Context, id: &str) {
    let request = ChangeRequest {
        id: id.into(),
        what: "revised".into(),
        date: chrono::NaiveDate::from_ymd_opt(2013, 11, 20).unwrap(),
        note: None,
        by: Some("QA".into()),
        kinds: Vec::new(),
    };
    history::record_change(context, &request).unwrap();
}

fn app(context: Context, read_only: bool) -> axum::Router {
    router(Options {
        context,
        read_only,
        lang: Lang::En,
        names: Names::default(),
        limits: Limits::default(),
    })
}

/// The name every request of these tests is sent to, as a browser on this machine sends it.
const HOST: &str = "127.0.0.1:8080";

/// A response's status, content type and body.
async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, String, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let csp = response.headers().get(header::CONTENT_SECURITY_POLICY).cloned();
    assert!(csp.is_some_and(|v| v.to_str().unwrap().contains("default-src 'none'")));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, kind, String::from_utf8(body.to_vec()).unwrap())
}

/// The whole response to `GET uri`, for a body that is not text or headers `get` does not show.
async fn fetch(app: &axum::Router, uri: &str) -> axum::response::Response {
    app.clone()
        .oneshot(
            Request::get(uri)
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap()
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    send(
        app,
        Request::get(uri)
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(app: &axum::Router, uri: &str, form: &str) -> (StatusCode, String, String) {
    let request = Request::post(uri)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    send(app, request).await
}

#[tokio::test]
async fn every_page_and_its_api_twin_answer_on_the_seed() {
    let app = app(Context::new(None), false);
    let pages = [
        ("/", "Traceability explorer"),
        (
            "/search?q=%E4%BA%BA%E5%B7%A5%E5%BF%83%E8%87%93&lang=ja",
            "高機能人工心臓システム",
        ),
        (
            "/nodes/gl-artificial-heart",
            "High-performance artificial heart systems",
        ),
        ("/impact?id=jp-pal-revision-2013", "—governed_by→"),
        ("/deps?id=gl-artificial-heart", "jp-pal-revision-2013"),
        ("/audit", "findings"),
        (
            "/path?from=device-artificial-heart-18-cases&to=jp-pal-revision-2013",
            "—covered_by→",
        ),
        ("/path", "from id"),
        ("/matrix?rows=device&cols=guideline", "●"),
        ("/matrix", "rows"),
        ("/assets/style.css", "font"),
    ];
    for (uri, needle) in pages {
        let (status, kind, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert!(kind.starts_with("text/"), "{uri}: {kind}");
        assert!(body.contains(needle), "{uri} lacks {needle:?}");
    }
    let apis = [
        "/api/search?q=dna",
        "/api/nodes/gl-artificial-heart",
        "/api/impact?id=jp-pal-revision-2013&kind=guideline",
        "/api/deps?id=gl-artificial-heart",
        "/api/audit",
        "/api/path?from=device-artificial-heart-18-cases&to=jp-pal-revision-2013&all=1",
        "/api/matrix?rows=device&cols=guideline",
    ];
    for uri in apis {
        let (status, kind, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert!(kind.starts_with("application/json"), "{uri}: {kind}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap_or_else(|e| panic!("{uri}: {e}"));
    }
    let (_, _, impact) = get(&app, "/api/impact?id=jp-pal-revision-2013&kind=guideline").await;
    let impact: serde_json::Value = serde_json::from_str(&impact).unwrap();
    assert!(
        impact["impacted"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] == "guideline")
    );
    let (status, kind, csv) = get(&app, "/api/impact.csv?id=jp-pal-revision-2013").await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::OK, "text/csv; charset=utf-8")
    );
    assert!(csv.starts_with("id,kind,distance,title"), "{csv}");
    let (_, _, all) = get(&app, "/api/impact?id=jp-pal-revision-2013").await;
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    let hits = all["impacted"].as_array().unwrap().len();
    assert_eq!(csv.lines().count(), 1 + hits, "a header and one row per hit");
    // The seed has no history: the history pages say how to get one.
    let (status, _, body) = get(&app, "/api/reviews").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("\"hint\""), "{body}");
}

#[tokio::test]
async fn the_impact_downloads_as_a_workbook_and_its_diagram_links_every_node() {
    let app = app(Context::new(None), false);
    let (_, _, page) = get(&app, "/impact?id=jp-pal-revision-2013&lang=ja").await;
    assert!(
        page.contains("既知の欠落") && page.contains("4 are not named"),
        "the known gap is said: {page}"
    );
    assert!(
        page.contains("href=\"/api/impact.xlsx?id=jp-pal-revision-2013\""),
        "{page}"
    );
    assert!(
        page.contains("<object class=\"diagram\" type=\"image/svg+xml\""),
        "{page}"
    );

    let response = fetch(&app, "/api/impact.xlsx?id=jp-pal-revision-2013").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_DISPOSITION],
        "attachment; filename=\"impact.xlsx\""
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(body.starts_with(b"PK\x03\x04"), "a workbook is a zip");
    let (status, _, _) = get(&app, "/api/deps.xlsx?id=no-such-node").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let response = fetch(
        &app,
        "/diagram.svg?id=jp-pal-revision-2013&direction=impact&lang=ja",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'self'"),
        "{policy}"
    );
    let svg = response.into_body().collect().await.unwrap().to_bytes();
    let svg = String::from_utf8(svg.to_vec()).unwrap();
    for id in [
        "jp-pal-revision-2013",
        "gl-artificial-heart",
        "device-artificial-heart-18-cases",
    ] {
        assert!(
            svg.contains(&format!("xlink:href=\"/nodes/{id}?lang=ja\"")),
            "{id} is a link"
        );
    }
    assert!(!svg.contains("<script"), "the picture runs nothing");
}

/// With `lang=ja` the pages speak Japanese, not only the titles: every page's navigation,
/// headings, table heads and buttons; `lang=en` (the default here) speaks English.
#[tokio::test]
async fn the_pages_speak_the_language_asked_for() {
    let app = app(Context::new(None), false);
    let pages = [
        (
            "/",
            &["トレーサビリティ・エクスプローラ", "検索"][..],
            &["Traceability explorer"][..],
        ),
        (
            "/search?q=dna",
            &["件", "種別", "名称", ">ガイドライン</span>"],
            &["found", ">kind</th>", ">guideline</span>"],
        ),
        (
            "/nodes/gl-artificial-heart",
            &[
                "変更したときの影響",
                "このノードへの関係",
                "高機能人工心臓システム",
                ">医療機器</span>",
                ">発行済み</span>",
                "<th>項目</th>",
            ],
            &[
                "incoming relations",
                ">device</span>",
                ">published</span>",
                "<th>field</th>",
            ],
        ),
        (
            "/impact?id=jp-pal-revision-2013",
            &["変更の影響:", "ノード", "ダウンロード", "理由"],
            &["Impact of a change to", "download"],
        ),
        ("/audit", &["監査", "指摘", "重大度"], &["findings", "severity"]),
        (
            "/path?from=device-artificial-heart-18-cases&to=jp-pal-revision-2013",
            &["経路: ", "短い順", "始点の ID"],
            &["shortest first"],
        ),
        (
            "/matrix?rows=device&cols=guideline",
            &["マトリクス", "行 ×", "表示"],
            &["columns;"],
        ),
    ];
    for (uri, japanese, english) in pages {
        let sep = if uri.contains('?') { '&' } else { '?' };
        let (status, _, ja) = get(&app, &format!("{uri}{sep}lang=ja")).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(ja.contains("<html lang=\"ja\">"), "{uri}");
        for word in japanese {
            assert!(ja.contains(word), "{uri}?lang=ja lacks {word:?}");
        }
        for word in english {
            assert!(!ja.contains(word), "{uri}?lang=ja still says {word:?}");
        }
        let (_, _, en) = get(&app, uri).await;
        for word in english {
            assert!(en.contains(word), "{uri} lacks {word:?}");
        }
        assert!(
            !en.contains("監査"),
            "{uri}: the English page's navigation is English"
        );
    }
}

#[tokio::test]
async fn mistakes_are_pages_with_a_status_never_a_crash() {
    let app = app(Context::new(None), false);
    let (status, kind, body) = get(&app, "/api/nodes/GL-ARTIFICIAL-HEART").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(kind.starts_with("application/json"));
    assert!(body.contains("no node has the id"), "{body}");
    let (status, kind, body) = get(&app, "/nodes/nope").await;
    assert_eq!(
        (status, kind.starts_with("text/html")),
        (StatusCode::NOT_FOUND, true)
    );
    assert!(body.contains("no node has the id"), "{body}");
    for uri in [
        "/api/impact",
        "/api/impact?id=jp-pal-revision-2013&as_of=2013-02-30",
        "/api/search?q=x&kind=devise",
        "/api/search?q=x&limit=many",
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
    }
    for uri in [
        "/nope",
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/nodes/../../etc/passwd",
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
        assert!(!body.contains("[workspace]") && !body.contains("root:"), "{uri}");
    }
    let long = format!("/api/search?q={}", "x".repeat(10_000));
    assert_eq!(get(&app, &long).await.0, StatusCode::URI_TOO_LONG);
    let big = format!("csrf=x&note={}", "y".repeat(100_000));
    assert_eq!(
        post(&app, "/reviews/1/close", &big).await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        get(&app, "/reviews/1/close").await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn hostile_titles_are_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "tests/fixtures/hostile", "std-formula"),
        false,
    );
    for uri in [
        "/nodes/gl-hostile",
        "/nodes/gl-hostile?lang=ja",
        "/search?q=hostile",
        "/impact?id=std-formula",
        "/reviews?state=open",
        "/audit",
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert!(!body.contains("<script>"), "{uri} lets markup through");
        assert!(!body.contains("<b>太字"), "{uri} lets markup through");
    }
    let (_, _, body) = get(&app, "/nodes/gl-hostile").await;
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{body}");
}

/// The review form's token.
fn token(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a form with a token") + 19;
    page[at..at + 48].to_owned()
}

#[tokio::test]
async fn a_review_is_closed_through_the_form_and_only_with_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "data/meti-2013", "jp-pal-revision-2013"),
        false,
    );
    let (status, _, page) = get(&app, "/reviews?state=open").await;
    assert_eq!(status, StatusCode::OK);
    let token = token(&page);
    let (status, _, _) = post(&app, "/reviews/1/close", "outcome=unchanged&by=WG").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no token");
    let (status, _, _) = post(
        &app,
        "/reviews/1/close",
        &format!("csrf={}&outcome=unchanged&by=WG", "0".repeat(48)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a wrong token");
    let form = format!(
        "csrf={token}&outcome=unchanged&by=Heart+WG&date=2026-12-02&note=%E7%A2%BA%E8%AA%8D%E6%B8%88%E3%81%BF"
    );
    let (status, _, _) = post(&app, "/reviews/1/close", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, closed) = get(&app, "/api/reviews?state=closed").await;
    let closed: serde_json::Value = serde_json::from_str(&closed).unwrap();
    let closed = closed.as_array().unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["review"], 1);
    assert_eq!(closed[0]["decided_by"], "Heart WG");
    assert_eq!(closed[0]["decided_on"], "2026-12-02");
    assert_eq!(closed[0]["note"], "確認済み");
    let (_, _, audit) = get(&app, "/audit").await;
    assert!(audit.contains("Heart WG"), "the audit page shows the decision");
    // The queue filters by state, event and kind on the page.
    let (_, _, queue) = get(&app, "/reviews?state=closed&event=1&kind=guideline").await;
    assert!(queue.contains("<option value=\"closed\" selected>"), "{queue}");
    assert!(queue.contains("name=\"event\" min=\"1\" value=\"1\""), "{queue}");
    assert!(
        queue.contains("Heart WG") && queue.contains("1 reviews"),
        "{queue}"
    );
    let (_, _, devices) = get(&app, "/reviews?state=all&kind=device").await;
    assert!(
        !devices.contains("<td><a href=\"/nodes/gl-"),
        "only devices: {devices}"
    );
    assert!(
        devices.contains("device-artificial-heart-18-cases</a>"),
        "{devices}"
    );
    // Closing it again is refused with the reason.
    let (status, _, body) = post(&app, "/reviews/1/close", &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn a_read_only_server_shows_no_form_and_refuses_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "data/meti-2013", "jp-pal-revision-2013"),
        true,
    );
    let (_, _, page) = get(&app, "/reviews?state=open").await;
    assert!(!page.contains("<form class=\"close\""), "no form");
    let (status, _, body) = post(&app, "/reviews/1/close", "csrf=x&outcome=unchanged&by=WG").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("read-only"), "{body}");
}

#[tokio::test]
async fn the_server_reloads_when_another_process_changes_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let context = database(dir.path(), "data/meti-2013", "jp-pal-revision-2013");
    let app = app(context.clone(), false);
    let count = |body: &str| {
        serde_json::from_str::<serde_json::Value>(body)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    let (_, _, before) = get(&app, "/api/changes").await;
    assert_eq!(count(&before), 1);
    record(&context, "gl-artificial-heart");
    let (_, _, after) = get(&app, "/api/changes").await;
    assert_eq!(count(&after), 2);
    let (_, _, page) = get(&app, "/changes").await;
    assert!(page.contains("gl-artificial-heart"));
}

#[tokio::test]
async fn a_whole_event_is_closed_at_once_and_a_decision_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "data/meti-2013", "jp-pal-revision-2013"),
        false,
    );
    let (_, _, page) = get(&app, "/reviews?state=open&event=1").await;
    assert!(
        page.contains("action=\"/events/1/close\""),
        "the event's form is offered"
    );
    let token = token(&page);
    let (status, _, _) = post(
        &app,
        "/events/1/close",
        &format!("csrf={token}&outcome=unchanged&by=WG&date=2013-12-01"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, open) = get(&app, "/api/reviews?state=open").await;
    assert_eq!(open.trim(), "[]", "every review of the event is closed");
    let (_, _, page) = get(&app, "/reviews?state=closed").await;
    assert!(
        page.contains("action=\"/reviews/2/correct\""),
        "a closed review can be corrected"
    );
    let form = format!("csrf={token}&outcome=revised&by=Hip+WG&note=closed+by+mistake");
    let (status, _, body) = post(&app, "/reviews/2/correct", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, _, closed) = get(&app, "/api/reviews?state=closed").await;
    let closed: serde_json::Value = serde_json::from_str(&closed).unwrap();
    let review = closed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["review"] == 2)
        .unwrap();
    assert_eq!(review["outcome"], "revised");
    assert_eq!(review["decided_by"], "Hip WG");
}

#[tokio::test]
async fn a_standards_editions_have_their_page() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "tests/fixtures/pump/v1", "iec-60601-1-ed3.1"),
        false,
    );
    let (_, _, node) = get(&app, "/nodes/iec-60601-1-ed3.1").await;
    assert!(
        node.contains("/editions/iec-60601-1-ed3.1"),
        "the node page links its editions"
    );
    let (status, _, page) = get(&app, "/editions/iec-60601-1-ed3.1?as_of=2020-01-01").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("iec-60601-1-ed3.1-c14"), "its clauses are listed");
    let (status, _, api) = get(&app, "/api/editions/iec-60601-1-ed3.1").await;
    assert_eq!(status, StatusCode::OK, "{api}");
}

/// The impact page filters by date and kind on the page itself, lists what it did not follow
/// on that date, and keeps its filters in its downloads and its diagram.
#[tokio::test]
async fn the_impact_page_filters_by_date_and_kind_and_shows_the_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "tests/fixtures/editions", "iso-10993-1-2009"),
        false,
    );
    let (status, _, page) = get(
        &app,
        "/impact?id=iso-10993-1-2009&as_of=2005-01-01&kind=guideline",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("<input type=\"date\" name=\"as_of\" value=\"2005-01-01\">"),
        "{page}"
    );
    assert!(page.contains("<option value=\"guideline\" selected>"), "{page}");
    assert!(page.contains("Not in force on that day"), "{page}");
    assert!(page.contains("not yet in force: published 2012-04-01"), "{page}");
    assert!(page.contains("href=\"/nodes/gl-whole?lang=en\""), "{page}");
    assert!(
        page.contains("/api/impact.xlsx?id=iso-10993-1-2009&amp;as_of=2005-01-01&amp;kind=guideline"),
        "{page}"
    );
    assert!(page.contains("/diagram.svg?id=iso-10993-1-2009&amp;as_of=2005-01-01&amp;kind=guideline"));
    let (_, _, today) = get(&app, "/impact?id=iso-10993-1-2009").await;
    assert!(
        !today.contains("Not in force on that day"),
        "nothing skipped without a date"
    );
    let (status, _, _) = get(&app, "/search?q=iso&kind=standard").await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, found) = get(&app, "/api/search?q=iso&kind=guideline").await;
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert!(
        found["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] == "guideline")
    );
}

/// `request` sent under `host`, from a page of `origin` (a rebinding attacker's page sends its
/// own name as both).
fn from(mut request: Request<Body>, host: &str, origin: Option<(header::HeaderName, &str)>) -> Request<Body> {
    let headers = request.headers_mut();
    headers.insert(header::HOST, host.parse().unwrap());
    headers.remove(header::ORIGIN);
    if let Some((name, value)) = origin {
        headers.insert(name, value.parse().unwrap());
    }
    request
}

fn form(uri: &str, body: String) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn a_page_under_another_name_reads_nothing_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "data/meti-2013", "jp-pal-revision-2013"),
        false,
    );
    let evil = "evil.example:18181";
    // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 reads nothing,
    // not even the form's token.
    for uri in [
        "/reviews?state=open",
        "/api/audit",
        "/api/reviews",
        "/",
        "/assets/style.css",
    ] {
        let get = Request::get(uri).body(Body::empty()).unwrap();
        let (status, kind, body) = send(&app, from(get, evil, None)).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{uri}: {body}");
        assert!(kind.starts_with("text/plain"), "{kind}");
        assert!(!body.contains("csrf") && !body.contains("gl-"), "{uri}: {body}");
        assert!(body.contains("--host") && body.contains("応答しません"), "{body}");
    }
    let no_host = Request::get("/api/reviews").body(Body::empty()).unwrap();
    assert_eq!(send(&app, no_host).await.0, StatusCode::MISDIRECTED_REQUEST);

    let (_, _, page) = get(&app, "/reviews?state=open").await;
    let token = token(&page);
    let decision = format!("csrf={token}&outcome=withdrawn&by=attacker");
    // Under the attacker's name, with its origin: refused at the door.
    let request = from(
        form("/reviews/1/close", decision.clone()),
        evil,
        Some((header::ORIGIN, "http://evil.example:18181")),
    );
    assert_eq!(send(&app, request).await.0, StatusCode::MISDIRECTED_REQUEST);
    // Under the server's own name, from another origin, without one, or `null`: refused too.
    for origin in [
        Some((header::ORIGIN, "http://evil.example:18181")),
        Some((header::ORIGIN, "null")),
        Some((header::REFERER, "http://evil.example/reviews")),
        None,
    ] {
        let request = from(form("/reviews/1/close", decision.clone()), HOST, origin.clone());
        let (status, _, body) = send(&app, request).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin:?}: {body}");
        assert!(
            body.contains("own pages") && body.contains("自身のページ"),
            "{body}"
        );
    }
    let (_, _, closed) = get(&app, "/api/reviews?state=closed").await;
    assert_eq!(closed.trim(), "[]", "nothing was recorded");

    // The server's own page (a browser that sends only a Referer counts too) is heard.
    let request = from(
        form("/reviews/1/close", decision.replace("attacker", "WG")),
        HOST,
        Some((header::REFERER, "http://127.0.0.1:8080/reviews?state=open")),
    );
    assert_eq!(send(&app, request).await.0, StatusCode::SEE_OTHER);

    // Names given with --host are the server's too, and only they.
    let proxied = router(Options {
        context: Context::new(None),
        read_only: true,
        lang: Lang::En,
        names: Names {
            bound: None,
            hosts: vec!["trace.example.com".into()],
        },
        limits: Limits::default(),
    });
    for (host, status) in [
        ("trace.example.com", StatusCode::OK),
        ("trace.example.com:443", StatusCode::OK),
        ("localhost:8080", StatusCode::OK),
        ("example.com", StatusCode::MISDIRECTED_REQUEST),
    ] {
        let get = Request::get("/api/search?q=heart").body(Body::empty()).unwrap();
        assert_eq!(send(&proxied, from(get, host, None)).await.0, status, "{host}");
    }
}

#[tokio::test]
async fn a_matrix_too_large_for_a_page_is_refused_before_it_is_computed_and_streams_as_a_download() {
    let small = |max_matrix_cells| {
        router(Options {
            context: Context::new(None),
            read_only: true,
            lang: Lang::En,
            names: Names::default(),
            limits: Limits {
                max_matrix_cells,
                ..Limits::default()
            },
        })
    };
    let roomy = small(1_000_000);
    let (status, _, whole) = get(&roomy, "/api/matrix?rows=device&cols=guideline").await;
    assert_eq!(status, StatusCode::OK, "{whole}");
    let whole: serde_json::Value = serde_json::from_str(&whole).unwrap();
    let rows = whole["row_heads"].as_array().unwrap().len();
    let columns = whole["column_heads"].as_array().unwrap().len();
    assert!(rows * columns > 10, "the seed's matrix is {rows} × {columns}");

    let app = small(10);
    let (status, kind, page) = get(&app, "/matrix?rows=device&cols=guideline&lang=ja").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(
        page.contains(&format!("{rows} rows × {columns} columns")),
        "{page}"
    );
    assert!(page.contains("上限"), "{page}");
    assert!(
        page.contains("/api/matrix.csv?rows=device&amp;cols=guideline"),
        "{page}"
    );
    assert!(
        page.contains("regtrace matrix --rows device --cols guideline"),
        "{page}"
    );
    let (status, kind, body) = get(&app, "/api/matrix?rows=device&cols=guideline").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        kind.starts_with("application/json") && body.contains("/api/matrix-links.csv"),
        "{body}"
    );

    // The download gives it whole, as `matrix --format csv|links` writes it, sent as it is
    // written (no length known before).
    let response = fetch(&app, "/api/matrix.csv?rows=device&cols=guideline").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert!(response.headers().get(header::CONTENT_LENGTH).is_none());
    let csv = response.into_body().collect().await.unwrap().to_bytes();
    let csv = String::from_utf8(csv.to_vec()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap().split(',').count(), 2 + columns, "{csv}");
    assert_eq!(lines.count(), rows, "{csv}");
    let links: usize = whole["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["links"].as_array().unwrap().len())
        .sum();
    let response = fetch(&app, "/api/matrix-links.csv?rows=device&cols=guideline").await;
    let list = response.into_body().collect().await.unwrap().to_bytes();
    let list = String::from_utf8(list.to_vec()).unwrap();
    assert!(
        list.starts_with("row,row_title,column,column_title,through"),
        "{list}"
    );
    assert_eq!(list.lines().count(), 1 + links, "{list}");
    // A mistake is still an answer with its status, not a broken download.
    let (status, kind, body) = get(&app, "/api/matrix.csv?rows=devise&cols=guideline").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(kind.starts_with("application/json"), "{kind}");
}

#[tokio::test]
async fn long_lists_come_a_page_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "data/meti-2013", "jp-pal-revision-2013"),
        false,
    );
    let (_, _, all) = get(&app, "/api/reviews?state=open").await;
    let total = serde_json::from_str::<serde_json::Value>(&all)
        .unwrap()
        .as_array()
        .unwrap()
        .len();
    assert!(total > 10, "{total}");
    let (status, _, page) = get(&app, "/reviews?state=open&limit=5&page=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("rows 6–10 of {total}")), "{page}");
    assert_eq!(
        page.matches("action=\"/reviews/").count(),
        5,
        "five forms: {page}"
    );
    assert!(
        page.contains("page=1") && page.contains("page=3"),
        "links either way: {page}"
    );
    let (_, _, ja) = get(&app, "/reviews?state=open&limit=5&page=2&lang=ja").await;
    assert!(ja.contains(&format!("{total} 件中 6–10 件目")), "{ja}");

    let (_, _, impact) = get(&app, "/api/impact?id=jp-pal-revision-2013").await;
    let impact: serde_json::Value = serde_json::from_str(&impact).unwrap();
    let hits = impact["total"].as_u64().unwrap();
    let (status, _, page) = get(&app, "/impact?id=jp-pal-revision-2013&limit=3&page=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("rows 4–6 of {hits}")), "{page}");
    assert_eq!(page.matches("<span class=\"chain\">").count(), 3, "{page}");
    let (_, _, offset) = get(&app, "/api/impact?id=jp-pal-revision-2013&limit=3&offset=3").await;
    let offset: serde_json::Value = serde_json::from_str(&offset).unwrap();
    assert_eq!(
        offset["impacted"].as_array().unwrap()[..],
        impact["impacted"].as_array().unwrap()[3..6]
    );

    for uri in [
        "/reviews?limit=1001",
        "/impact?id=jp-pal-revision-2013&limit=5000",
        "/changes?page=0",
        "/audit?limit=x",
        "/api/search?q=a&limit=100000",
        "/api/path?from=jp-pal-revision-2013&to=gl-artificial-heart&all=1&max_hops=40",
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
    }
}

/// The text of every reason chain on a page (`<span class="chain">…</span>`), tags removed.
fn chains(page: &str) -> Vec<String> {
    page.split("<span class=\"chain\">")
        .skip(1)
        .map(|rest| {
            let chain = &rest[..rest.find("</span></td>").unwrap_or(rest.len())];
            let mut text = String::new();
            let mut in_tag = false;
            for c in chain.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

#[tokio::test]
async fn reason_chains_read_from_the_node_back_to_its_cause_each_hop_as_stored() {
    // Before, the pages wrote the cause first with every arrow pointing onwards:
    // "jp-pal-revision-2013 —governed_by→ gl-artificial-heart", a relation that does not exist.
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "data/meti-2013", "jp-pal-revision-2013"),
        false,
    );
    let (_, _, impact) = get(&app, "/impact?id=jp-pal-revision-2013").await;
    let found = chains(&impact);
    assert!(
        found.contains(&"device-artificial-heart-18-cases —covered_by→ gl-artificial-heart —governed_by→ jp-pal-revision-2013".to_owned()),
        "{found:?}"
    );
    assert!(
        found.iter().all(|c| c.ends_with("jp-pal-revision-2013")),
        "{found:?}"
    );
    let (_, _, deps) = get(&app, "/deps?id=device-artificial-heart-18-cases").await;
    assert_eq!(
        chains(&deps),
        [
            "gl-artificial-heart ←covered_by— device-artificial-heart-18-cases",
            "jp-pal ←governed_by— device-artificial-heart-18-cases",
            "jp-pal-revision-2013 ←governed_by— gl-artificial-heart ←covered_by— device-artificial-heart-18-cases",
        ]
    );
    let (_, _, reviews) = get(&app, "/reviews?state=open&node=device-artificial-heart-18-cases").await;
    assert_eq!(
        chains(&reviews),
        [
            "device-artificial-heart-18-cases —covered_by→ gl-artificial-heart —governed_by→ jp-pal-revision-2013"
        ]
    );
}

/// The impact page says what the CLI says of each hit: a hit reached only through a clause the
/// newer edition carries over is probably unaffected, with why, and the answer counts them.
#[tokio::test]
async fn the_impact_page_shows_probably_unaffected_hits_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(
        database(dir.path(), "tests/fixtures/editions", "iso-10993-1-2009"),
        false,
    );
    let (_, _, api) = get(&app, "/api/impact?id=iso-10993-1-2009&as_of=2019-01-01").await;
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    let unaffected = api["probably_unaffected"]
        .as_u64()
        .expect("some hits are probably unaffected");
    let why = api["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|h| h["probably_unaffected"].as_str())
        .unwrap()
        .to_owned();
    for (lang, count, label) in [
        (
            "en",
            format!("({unaffected} of them probably unaffected)"),
            "probably unaffected: ",
        ),
        (
            "ja",
            format!("（うち {unaffected} 件は影響なしの見込み）"),
            "影響なしの見込み: ",
        ),
    ] {
        let (status, _, page) = get(
            &app,
            &format!("/impact?id=iso-10993-1-2009&as_of=2019-01-01&lang={lang}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&count), "{lang}: {page}");
        let said = format!("{label}{}", regtrace_render::escape::html(&why));
        assert!(page.contains(&said), "{lang} lacks {said:?}");
    }
}
