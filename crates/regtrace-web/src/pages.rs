//! The HTML pages: each takes the app's typed answer that its `/api` twin writes as JSON (the
//! same use case, so page and API never disagree) and shows render's document of it, or, where
//! a page holds forms, typed spans of it in maud templates, which escape every text they are
//! given.

use std::sync::Arc;

use axum::extract::{Path, RawForm, RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};

use regtrace_core::{Direction, Lang};

use regtrace_render as render;
use regtrace_render::doc::Doc;
use regtrace_render::escape::url_segment as encode_segment;
use regtrace_render::words::Word;

use crate::params::{Params, Window};
use crate::state::{Failure, Shared, blocking, blocking_large};

const STYLE: &str = include_str!("style.css");

/// Rows a page of a long list shows unless `?limit=` says (at most [`crate::params::MAX_ROWS`]).
const PAGE_ROWS: usize = 200;

/// What every page needs to know: the title language and the query that made it.
#[derive(Clone)]
struct Page {
    lang: Lang,
    /// The path and query of this page, to switch its language.
    path: String,
    params: Params,
}

impl Page {
    fn new(shared: &Shared, path: &str, raw: Option<&str>) -> Page {
        let params = Params::parse(raw);
        let lang = page_lang(&params, shared.options.lang);
        Page {
            lang,
            path: path.to_owned(),
            params,
        }
    }

    /// A label of the page in its language.
    fn t(&self, en: &'static str, ja: &'static str) -> &'static str {
        match self.lang {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// A link to `path` with `pairs`, keeping the language.
    fn link(&self, path: &str, pairs: &[(&str, &str)]) -> String {
        let mut all: Vec<(&str, &str)> = pairs.to_vec();
        all.push(("lang", self.lang.code()));
        format!("{path}?{}", Params::query(&all))
    }

    /// This page in the other language.
    fn switched(&self, lang: &str) -> String {
        let mut pairs: Vec<(String, String)> = self
            .params
            .pairs()
            .iter()
            .filter(|(k, _)| k != "lang")
            .cloned()
            .collect();
        pairs.push(("lang".into(), lang.into()));
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        format!("{}?{}", self.path, Params::query(&borrowed))
    }

    /// A document of render's, in the page's language, each node id a link to its page.
    fn doc(&self, doc: &Doc) -> Markup {
        regtrace_render::doc::html::linked(doc, self.lang, &|id| Some(self.node_link(id)))
    }

    fn node_link(&self, id: &str) -> String {
        self.link(&format!("/nodes/{}", encode_segment(id)), &[])
    }

    fn layout(&self, heading: &str, body: Markup) -> Html<String> {
        let markup = html! {
            (DOCTYPE)
            html lang=(self.lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (heading) " — regtrace" }
                    link rel="stylesheet" href="/assets/style.css";
                }
                body {
                    header {
                        a.brand href=(self.link("/", &[])) { "regtrace" }
                        nav {
                            a href=(self.link("/search", &[])) { (self.t("Search", "検索")) }
                            a href=(self.link("/reviews", &[("state", "open")])) { (self.t("Reviews", "レビュー")) }
                            a href=(self.link("/changes", &[])) { (self.t("Changes", "変更")) }
                            a href=(self.link("/audit", &[])) { (self.t("Audit", "監査")) }
                            a href=(self.link("/matrix", &[])) { (self.t("Matrix", "マトリクス")) }
                            a href=(self.link("/path", &[])) { (self.t("Path", "経路")) }
                        }
                        span.lang {
                            a href=(self.switched("en")) { "EN" } " | " a href=(self.switched("ja")) { "日本語" }
                        }
                    }
                    main {
                        h1 { (heading) }
                        (body)
                    }
                }
            }
        };
        Html(markup.into_string())
    }

    fn search_form(&self, text: &str) -> Markup {
        html! {
            form.search action="/search" method="get" {
                input type="search" name="q" value=(text) placeholder=(self.t("id, English or Japanese title", "ID、英語または日本語の名称")) autofocus;
                (self.kind_choice())
                input type="hidden" name="lang" value=(self.lang.code());
                button type="submit" { (self.t("Search", "検索")) }
            }
        }
    }

    /// A choice of one kind (or all), keeping the one this page was asked for.
    fn kind_choice(&self) -> Markup {
        let chosen = self.params.one("kind").unwrap_or_default();
        html! {
            select name="kind" {
                option value="" { (self.t("any kind", "すべての種別")) }
                @for k in regtrace_core::NodeKind::ALL {
                    option value=(k.as_str()) selected[k.as_str() == chosen] { (regtrace_render::words::kind(*k, self.lang)) }
                }
            }
        }
    }

    /// Where a page of a long list stands (rows X–Y of N) and links to the pages around it,
    /// keeping the page's filters and language.
    fn pager(&self, total: usize, window: Window) -> Markup {
        let first = window.offset().min(total);
        let last = first.saturating_add(window.size).min(total);
        let pages = total.div_ceil(window.size).max(1);
        let at = |page: usize| {
            let params = self
                .params
                .with("page", &page.to_string())
                .with("lang", self.lang.code());
            let borrowed: Vec<(&str, &str)> = params
                .pairs()
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            format!("{}?{}", self.path, Params::query(&borrowed))
        };
        html! {
            @if pages > 1 || window.page > 1 {
                p.pager {
                    @if self.lang == Lang::Ja {
                        (total) " 件中 " (if last > first { first + 1 } else { first }) "–" (last) " 件目（" (window.page) " / " (pages) " ページ）"
                    } @else {
                        "rows " (if last > first { first + 1 } else { first }) "–" (last) " of " (total) " (page " (window.page) " of " (pages) ")"
                    }
                    @if window.page > 1 { " · " a href=(at(window.page - 1)) { (self.t("← previous", "← 前へ")) } }
                    @if window.page < pages { " · " a href=(at(window.page + 1)) { (self.t("next →", "次へ →")) } }
                }
            }
        }
    }
}

/// The fields every decision form has: the token, the language, the outcome and who decides.
fn decision_fields(token: &str, p: &Page) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(token);
        input type="hidden" name="lang" value=(p.lang.code());
        select name="outcome" {
            option value="unchanged" { (p.t("unchanged", "変更なし")) }
            option value="revised" { (p.t("revised", "改訂")) }
            option value="withdrawn" { (p.t("withdrawn", "廃止")) }
        }
        input name="by" placeholder=(p.t("who decides", "判断者")) required;
    }
}

/// The language a request asks for (`lang=ja|en`), else the server's.
fn page_lang(params: &Params, default: Lang) -> Lang {
    match params.one("lang").as_deref() {
        Some("ja") => Lang::Ja,
        Some("en") => Lang::En,
        _ => default,
    }
}

fn error_page(page: &Page, failure: &Failure) -> Response {
    let (message, hint) = failure.message();
    let body = html! {
        p.error { (message) }
        @if let Some(hint) = hint { p.hint { (hint) } }
        (page.search_form(""))
    };
    (
        failure.status(),
        page.layout(page.t("Not answered", "回答できません"), body),
    )
        .into_response()
}

/// Answers with a document that `make` builds from the app's typed answer (no JSON between),
/// under the heading it gives, inside what `around` adds (forms, links; told what else `make`
/// found out); or an error page.
async fn document_page<T: Send + 'static>(
    shared: Arc<Shared>,
    page: Page,
    make: impl FnOnce(&regtrace_app::DataSet, Lang) -> Result<(String, Doc, T), Failure> + Send + 'static,
    around: impl FnOnce(&Page, Markup, T) -> Markup + Send + 'static,
) -> Response {
    answered_page(shared, page, false, make, |page, (heading, doc, also)| {
        let body = page.doc(&doc);
        (heading, around(page, body, also))
    })
    .await
}

/// Answers with the page `show` makes (its heading and body) of the app's typed answer that
/// `answer` gives (on the pool for large answers when `large`), or an error page.
async fn answered_page<T: Send + 'static>(
    shared: Arc<Shared>,
    page: Page,
    large: bool,
    answer: impl FnOnce(&regtrace_app::DataSet, Lang) -> Result<T, Failure> + Send + 'static,
    show: impl FnOnce(&Page, T) -> (String, Markup),
) -> Response {
    let lang = page.lang;
    let answered = if large {
        blocking_large(&shared, move |s| s.with_data(|data| answer(data, lang))).await
    } else {
        blocking(&shared, move |s| s.with_data(|data| answer(data, lang))).await
    };
    match answered {
        Ok(answered) => {
            let (heading, body) = show(&page, answered);
            page.layout(&heading, body).into_response()
        }
        Err(failure) => error_page(&page, &failure),
    }
}

/// `GET /`.
pub async fn home(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let page = Page::new(&s, "/", q.as_deref());
    let body = html! {
        p { (page.t(
            "Find a device, guideline, evaluation item, test method, standard or law, then follow what rests on it.",
            "機器、ガイドライン、評価項目、試験方法、規格または法令を探し、それに依拠するものをたどります。",
        )) }
        (page.search_form(""))
    };
    page.layout(
        page.t("Traceability explorer", "トレーサビリティ・エクスプローラ"),
        body,
    )
    .into_response()
}

/// `GET /search?q=…`.
pub async fn search(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Page::new(&s, "/search", q.as_deref());
    let wanted = p.params.one("q").unwrap_or_default();
    if wanted.is_empty() {
        let form = p.search_form("");
        return p.layout(p.t("Search", "検索"), form).into_response();
    }
    let params = p.params.clone();
    let make = move |data: &regtrace_app::DataSet, lang: Lang| {
        let kinds = regtrace_app::parse::words(&params.all("kind"))?;
        let limit = Window::of(&params, 50).map_err(Failure::BadRequest)?.size;
        let found = regtrace_app::nodes::search(data, std::slice::from_ref(&wanted), &kinds, limit)?;
        let heading = format!("{}: {wanted}", Word::Search.say(lang));
        Ok((heading, regtrace_render::nodes::search_document(&found), ()))
    };
    let text = p.params.one("q").unwrap_or_default();
    document_page(s, p, make, move |p, found, ()| {
        html! {
            (p.search_form(&text))
            (found)
        }
    })
    .await
}

/// `GET /nodes/{id}`.
pub async fn node(State(s): State<Arc<Shared>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let p = Page::new(&s, &format!("/nodes/{}", encode_segment(&id)), q.as_deref());
    let asked = id.clone();
    let make = move |data: &regtrace_app::DataSet, lang: Lang| {
        let shown = regtrace_app::nodes::show(data, &asked)?;
        let node = &shown.node;
        let heading = format!("{} — {}", node.id, node.title_in(lang));
        let standard = matches!(
            node.kind,
            regtrace_core::NodeKind::Standard | regtrace_core::NodeKind::StandardFamily
        );
        Ok((heading, regtrace_render::nodes::show_document(&shown), standard))
    };
    document_page(s, p, make, move |p, shown, standard| {
        html! {
            p.actions {
                a href=(p.link("/impact", &[("id", &id)])) { (p.t("Impact of a change to it", "変更したときの影響")) }
                " · "
                a href=(p.link("/deps", &[("id", &id)])) { (p.t("What it rests on", "依拠するもの")) }
                " · "
                a href=(p.link("/reviews", &[("node", &id), ("state", "all")])) { (p.t("Its reviews", "このレビュー")) }
                @if standard {
                    " · " a href=(p.link(&format!("/editions/{}", encode_segment(&id)), &[])) { (p.t("Editions", "版")) }
                }
            }
            (shown)
        }
    })
    .await
}

async fn reach(s: Arc<Shared>, q: Option<String>, direction: Direction) -> Response {
    let path = if direction == Direction::Impact {
        "/impact"
    } else {
        "/deps"
    };
    let p = Page::new(&s, path, q.as_deref());
    let window = match Window::of(&p.params, PAGE_ROWS) {
        Ok(window) => window,
        Err(why) => return error_page(&p, &Failure::BadRequest(why)),
    };
    let asked = p
        .params
        .with("limit", &window.size.to_string())
        .with("offset", &window.offset().to_string());
    let ids = p.params.all("id");
    let what = match direction {
        Direction::Impact => p.t("Impact of a change to", "変更の影響:"),
        Direction::Dependencies => p.t("What rests under", "依拠先:"),
    };
    let heading = format!("{what} {}", ids.join(", "));
    let make = move |data: &regtrace_app::DataSet, _: Lang| {
        let request = crate::api::reach_request(direction, &asked)?;
        let (doc, total, unaffected) = match regtrace_app::reach::reach(data, &request)? {
            regtrace_app::reach::Reached::Snapshot(a) => {
                (render::reach::page_document(&a), a.listed.len(), a.unaffected)
            }
            regtrace_app::reach::Reached::Loaded(a) => {
                (render::reach::page_document(&a), a.listed.len(), a.unaffected)
            }
        };
        Ok((heading, doc, (total, unaffected)))
    };
    document_page(s, p, make, move |p, hits, (total, unaffected)| {
        let mut query: Vec<(&str, &str)> = ids.iter().map(|i| ("id", i.as_str())).collect();
        let as_of = p.params.one("as_of");
        if let Some(day) = &as_of {
            query.push(("as_of", day));
        }
        let kind = p.params.one("kind");
        if let Some(kind) = &kind {
            query.push(("kind", kind));
        }
        let filters = html! {
            form.search action=(path) method="get" {
                @for id in &ids { input type="hidden" name="id" value=(id); }
                label { (p.t("as of ", "基準日 ")) input type="date" name="as_of" value=(as_of.clone().unwrap_or_default()); }
                " " (p.kind_choice())
                input type="hidden" name="lang" value=(p.lang.code());
                button type="submit" { (p.t("Show", "表示")) }
            }
        };
        let api = format!("/api{path}?{}", Params::query(&query));
        let csv = format!("/api{path}.csv?{}", Params::query(&query));
        let xlsx = format!("/api{path}.xlsx?{}", Params::query(&query));
        query.push(("direction", if direction == Direction::Impact { "impact" } else { "deps" }));
        query.push(("lang", p.lang.code()));
        let diagram = format!("/diagram.svg?{}", Params::query(&query));
        html! {
            (filters)
            p {
                (total) (p.t(" nodes", " ノード"))
                @if let Some(day) = &as_of { (p.t(", as of ", "、基準日 ")) (day) }
                @if unaffected > 0 {
                    @if p.lang == Lang::Ja { "（うち " (unaffected) " 件は影響なしの見込み）" } @else { " (" (unaffected) " of them probably unaffected)" }
                }
                (p.t(" · download ", " · ダウンロード ")) a href=(api) { "JSON" } " · " a href=(csv) { "CSV" } " · " a href=(xlsx) { "XLSX" }
            }
            object.diagram type="image/svg+xml" data=(diagram) { (p.t("diagram of these nodes", "これらのノードの図")) }
            (p.pager(total, window))
            (hits)
        }
    })
    .await
}

/// `GET /impact?id=…`.
pub async fn impact(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    reach(s, q, Direction::Impact).await
}

/// `GET /deps?id=…`.
pub async fn deps(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    reach(s, q, Direction::Dependencies).await
}

/// `GET /diagram.svg?id=…&direction=impact|deps`: the picture `export --format svg` draws of
/// the same selection, each node a link to its page (nothing in it runs: its policy allows no
/// script).
pub async fn diagram(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let params = Params::parse(q.as_deref());
    let lang = page_lang(&params, s.options.lang);
    let drawn = blocking(&s, move |s| {
        s.with_data(|data| {
            let direction = match params.one("direction").as_deref() {
                Some("deps") => Direction::Dependencies,
                _ => Direction::Impact,
            };
            let selection = regtrace_app::select::Selection::Reach {
                start: params.all("id"),
                direction,
                options: regtrace_core::ReachOptions {
                    as_of: regtrace_app::parse::optional_date("as_of", params.one("as_of").as_deref())?,
                    ..Default::default()
                },
                limit: Some(regtrace_app::report::MAX_DRAWN),
            };
            let kinds = regtrace_app::parse::words(&params.all("kind"))?;
            let (graph, subgraph) = regtrace_app::select::drawn(data, &selection, &kinds)?;
            let link = Some(format!("/nodes/{{id}}?lang={}", lang.code()));
            regtrace_render::report::reach_svg(&graph, &subgraph, lang, regtrace_render::Renderer::Auto, link)
                .map_err(|e| Failure::Internal(e.to_string()))
        })
    })
    .await;
    match drawn {
        // Shown in an <object> on its page, so that its nodes are links: it may be framed by this
        // server's pages only, and it runs nothing.
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'",
                ),
                (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
            ],
            svg,
        )
            .into_response(),
        Err(failure) => (failure.status(), failure.message().0).into_response(),
    }
}

/// `GET /audit`: the audit's document, a page of its findings and reviews at a time.
pub async fn audit(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Page::new(&s, "/audit", q.as_deref());
    // One window over both lists: page 2 shows the second page of findings and of reviews.
    let window = match Window::of(&p.params, PAGE_ROWS) {
        Ok(window) => window,
        Err(why) => return error_page(&p, &Failure::BadRequest(why)),
    };
    let make = move |data: &regtrace_app::DataSet, lang: Lang| {
        let request = regtrace_app::audit::AuditRequest {
            rules: None,
            only: Vec::new(),
            shown_min: regtrace_core::audit::Severity::Info,
            generated_at: None,
            document: Default::default(),
            whole: false,
        };
        let audited = regtrace_app::audit::audit(data, &request)?;
        let rows = window.offset()..window.offset().saturating_add(window.size);
        let longest = audited
            .shown
            .len()
            .max(audited.evidence.as_ref().map_or(0, |e| e.reviews.len()));
        let heading = Word::Audit.say(lang).to_owned();
        Ok((heading, render::audit::document_rows(&audited, rows), longest))
    };
    answered_page(s, p, true, make, move |p, (heading, mut doc, longest)| {
        // The page's heading is the document's title.
        doc.title.clear();
        (heading, html! { (p.pager(longest, window)) (p.doc(&doc)) })
    })
    .await
}

/// `GET /reviews?state=open|closed|all[&event=N][&node=ID]`.
pub async fn reviews(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Page::new(&s, "/reviews", q.as_deref());
    let (token, read_only) = (s.csrf.clone(), s.options.read_only);
    let window = match Window::of(&p.params, PAGE_ROWS) {
        Ok(window) => window,
        Err(why) => return error_page(&p, &Failure::BadRequest(why)),
    };
    let filter = crate::api::review_filter(&p.params);
    let answer =
        move |data: &regtrace_app::DataSet, _: Lang| Ok(regtrace_app::history::reviews(data, &filter?)?);
    answered_page(s, p, false, answer, move |p, listed| {
        let total = listed.reviews.len();
        let any_open = listed.reviews.iter().any(|r| r.decision.is_none());
        let shown = window.offset().min(total)..window.offset().saturating_add(window.size).min(total);
        let link = |id: &str| Some(p.node_link(id));
        let body = html! {
            form.search action="/reviews" method="get" {
                select name="state" {
                    @for (value, en, ja) in [("open", "open", "未完了"), ("closed", "closed", "完了"), ("all", "all", "すべて")] {
                        option value=(value) selected[p.params.one("state").as_deref().unwrap_or("all") == value] { (p.t(en, ja)) }
                    }
                }
                " " label { (p.t("change #", "変更 #")) input type="number" name="event" min="1" value=(p.params.one("event").unwrap_or_default()); }
                " " (p.kind_choice())
                @if let Some(node) = p.params.one("node") { input type="hidden" name="node" value=(node); }
                input type="hidden" name="lang" value=(p.lang.code());
                button type="submit" { (p.t("Show", "表示")) }
            }
            p { (total) (p.t(" reviews", " 件のレビュー")) }
            @if let (Some(event), false) = (p.params.one("event"), read_only) {
                @if any_open {
                    form.close method="post" action=(format!("/events/{event}/close")) {
                        @if p.lang == Lang::Ja { "変更 #" (event) " の未完了レビューをすべて閉じる: " }
                        @else { "Close every open review of change #" (event) ": " }
                        (decision_fields(&token, p))
                        input type="date" name="date";
                        input name="note" placeholder=(p.t("note", "メモ"));
                        label { input type="checkbox" name="only_probably_unaffected" value="1"; (p.t(" only the probably unaffected", " 影響なしの見込みのものだけ")) }
                        button type="submit" { (p.t("Close all", "すべて閉じる")) }
                    }
                }
            }
            (p.pager(total, window))
            table {
                thead { tr { th { (p.t("review", "レビュー")) } th { (p.t("event", "変更")) } th { (p.t("node", "ノード")) } th { (p.t("state", "状態")) } th { (p.t("reason", "理由")) } th { (p.t("decision", "判断")) } } }
                tbody {
                    @for i in shown {
                        @let r = &listed.reviews[i];
                        tr {
                            td { (r.id) }
                            td { (r.event) }
                            td {
                                a href=(p.node_link(&r.node)) { (r.node) }
                                @if let Some(node) = &listed.nodes[i] { br; (p.lang.pick(&node.title, node.title_ja.as_deref())) }
                            }
                            td {
                                @if r.decision.is_none() { (Word::Open.say(p.lang)) } @else { (Word::Closed.say(p.lang)) }
                                @if r.probably_unaffected.is_some() { br; small { (Word::ProbablyUnaffected.say(p.lang)) } }
                            }
                            td { (render::doc::html::chain(&listed.chains[i], &link)) }
                            td {
                                @if let Some(d) = &r.decision {
                                    (render::words::outcome(d.outcome).say(p.lang)) " " (d.by) " " (d.day()) " " (d.note.as_deref().unwrap_or_default())
                                    @if !read_only {
                                        details {
                                            summary { (p.t("correct", "訂正")) }
                                            form.close method="post" action=(format!("/reviews/{}/correct", r.id)) {
                                                (decision_fields(&token, p))
                                                input name="replaced_by" placeholder=(p.t("replaced by (revised)", "後継（改訂のとき）"));
                                                input name="note" placeholder=(p.t("why it is corrected", "訂正の理由")) required;
                                                button type="submit" { (p.t("Correct", "訂正する")) }
                                            }
                                        }
                                    }
                                } @else if !read_only {
                                    form.close method="post" action=(format!("/reviews/{}/close", r.id)) {
                                        (decision_fields(&token, p))
                                        input type="date" name="date";
                                        input name="note" placeholder=(p.t("note", "メモ"));
                                        button type="submit" { (p.t("Close", "閉じる")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        };
        (p.t("Reviews", "レビュー").to_owned(), body)
    })
    .await
}

/// What a decision form asks for.
enum Decide {
    /// Close one open review.
    Close(i64),
    /// Correct the decision of one closed review.
    Correct(i64),
    /// Close every open review of a change event (optionally only the probably-unaffected).
    CloseEvent(i64),
}

/// `POST /reviews/{review}/close`: a decision on one open review, from the reviews page's form.
pub async fn close(
    State(s): State<Arc<Shared>>,
    Path(review): Path<i64>,
    RawForm(form): RawForm,
) -> Response {
    decide(s, Decide::Close(review), &form).await
}

/// `POST /reviews/{review}/correct`: a corrected decision on a closed review (a note is needed).
pub async fn correct(
    State(s): State<Arc<Shared>>,
    Path(review): Path<i64>,
    RawForm(form): RawForm,
) -> Response {
    decide(s, Decide::Correct(review), &form).await
}

/// `POST /events/{event}/close`: one decision on every open review a change event opened.
pub async fn close_event(
    State(s): State<Arc<Shared>>,
    Path(event): Path<i64>,
    RawForm(form): RawForm,
) -> Response {
    decide(s, Decide::CloseEvent(event), &form).await
}

/// Records a decision from a form, as `review close` / `review correct` would, and shows the
/// reviews it touched; refused without this server's token or on a read-only server.
async fn decide(s: Arc<Shared>, what: Decide, form: &[u8]) -> Response {
    let form = Params::parse(std::str::from_utf8(form).ok());
    // Its refusals are shown in the language of the form.
    let language = form.one("lang").map(|l| Params::query(&[("lang", &l)]));
    let p = Page::new(&s, "/reviews", language.as_deref());
    if s.options.read_only {
        return error_page(
            &p,
            &Failure::Forbidden(
                "the server is read-only (--read-only): decisions are not recorded here".into(),
            ),
        );
    }
    if !s.token_ok(form.one("csrf").as_deref()) {
        return error_page(&p, &Failure::Forbidden("the form is not this server's (missing or wrong token): reload the reviews page and try again".into()));
    }
    let lang = form.one("lang").unwrap_or_else(|| "en".into());
    let done = blocking(&s, move |s| {
        let outcome = form
            .one("outcome")
            .unwrap_or_default()
            .parse::<regtrace_app::Outcome>()
            .map_err(|e| Failure::BadRequest(e.to_string()))?;
        let Some(by) = form.one("by") else {
            return Err(Failure::BadRequest("say who decides (by)".into()));
        };
        // The change the decision is about: the form's, or the review's (whose page follows).
        let (review, event) = match what {
            Decide::Close(review) | Decide::Correct(review) => {
                let found = s.with_data(|data| {
                    let listed = regtrace_app::history::reviews(
                        data,
                        &regtrace_app::history::ReviewFilter::default(),
                    )?;
                    Ok(listed.reviews.iter().find(|r| r.id == review).map(|r| r.event))
                })?;
                let Some(event) = found else {
                    return Err(Failure::NotFound(format!("no review #{review}")));
                };
                (Some(review), event)
            }
            Decide::CloseEvent(event) => (None, event),
        };
        let request = regtrace_app::history::DecisionRequest {
            id: None,
            review,
            all: false,
            event: Some(event),
            probably_unaffected: form.one("only_probably_unaffected").map(|_| true),
            kinds: Vec::new(),
            outcome,
            on: regtrace_app::parse::optional_date("date", form.one("date").as_deref())?,
            by,
            replaced_by: form.one("replaced_by"),
            keeps: None,
            because: None,
            note: form.one("note"),
        };
        match what {
            Decide::Correct(_) => regtrace_app::history::correct(&s.options.context, &request).map(|_| event),
            Decide::Close(_) | Decide::CloseEvent(_) => {
                regtrace_app::history::close(&s.options.context, &request).map(|_| event)
            }
        }
        .map_err(Failure::from)
    })
    .await;
    match done {
        Ok(event) => Redirect::to(&format!(
            "/reviews?{}",
            Params::query(&[
                ("state", "closed"),
                ("event", &event.to_string()),
                ("lang", &lang)
            ])
        ))
        .into_response(),
        Err(failure) => error_page(&p, &failure),
    }
}

/// `GET /editions/{id}`: a standard's editions, which is current, their clauses and crosswalks.
pub async fn editions(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let p = Page::new(&s, &format!("/editions/{}", encode_segment(&id)), q.as_deref());
    let params = p.params.clone();
    let make = move |data: &regtrace_app::DataSet, lang: Lang| {
        let day = regtrace_app::parse::optional_date("as_of", params.one("as_of").as_deref())?
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        let answer = regtrace_app::editions::editions(data, &id, day)?;
        let heading = match lang {
            Lang::Ja => format!("{id} の版"),
            Lang::En => format!("Editions of {id}"),
        };
        Ok((heading, regtrace_render::editions::document(&answer), ()))
    };
    document_page(s, p, make, |_, editions, ()| editions).await
}

/// `GET /changes`.
pub async fn changes(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Page::new(&s, "/changes", q.as_deref());
    let window = match Window::of(&p.params, PAGE_ROWS) {
        Ok(window) => window,
        Err(why) => return error_page(&p, &Failure::BadRequest(why)),
    };
    let answer = |data: &regtrace_app::DataSet, _: Lang| Ok(regtrace_app::history::events(data)?);
    answered_page(s, p, false, answer, move |p, all| {
        let events = window.slice(&all);
        let body = html! {
            (p.pager(all.len(), window))
            table {
                thead { tr { th { (p.t("event", "変更")) } th { (p.t("node", "ノード")) } th { (p.t("what", "内容")) } th { (p.t("date", "日付")) } th { (p.t("by", "記録者")) } th { (p.t("note", "メモ")) } th { (p.t("reviews", "レビュー")) } } }
                tbody {
                    @for e in events {
                        tr {
                            td { (e.id) }
                            td { a href=(p.node_link(&e.node)) { (e.node) } }
                            td { (e.what) }
                            td { (e.date) }
                            td { (e.by.as_deref().unwrap_or_default()) }
                            td { (e.note.as_deref().unwrap_or_default()) }
                            td { a href=(p.link("/reviews", &[("event", &e.id.to_string()), ("state", "all")])) { (p.t("what it opened", "開いたレビュー")) } }
                        }
                    }
                }
            }
        };
        (p.t("Changes", "変更").to_owned(), body)
    })
    .await
}

/// `GET /path?from=ID&to=ID[&all=1]`: how two nodes are connected.
pub async fn path(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Page::new(&s, "/path", q.as_deref());
    let (from, to) = (
        p.params.one("from").unwrap_or_default(),
        p.params.one("to").unwrap_or_default(),
    );
    let form = html! {
        form.search action="/path" method="get" {
            input name="from" value=(from) placeholder=(p.t("from id", "始点の ID")) required;
            input name="to" value=(to) placeholder=(p.t("to id", "終点の ID")) required;
            label { input type="checkbox" name="all" value="1" checked[p.params.one("all").is_some()]; (p.t(" all paths", " すべての経路")) }
            input type="hidden" name="lang" value=(p.lang.code());
            button type="submit" { (p.t("Find", "探す")) }
        }
    };
    if from.is_empty() || to.is_empty() {
        return p.layout(p.t("Path", "経路"), form).into_response();
    }
    let request = crate::api::path_request(&p.params);
    let make = move |data: &regtrace_app::DataSet, lang: Lang| {
        let found = regtrace_app::nodes::path(data, request?)?;
        let heading = match lang {
            Lang::Ja => format!("経路: {from} → {to}"),
            Lang::En => format!("Path from {from} to {to}"),
        };
        Ok((heading, render::nodes::path_document(&found), found.walks.len()))
    };
    document_page(s, p, make, move |p, found, count| {
        html! {
            (form)
            p { (count) (p.t(" path(s), shortest first", " 経路（短い順）")) }
            (found)
        }
    })
    .await
}

/// `GET /matrix?rows=KIND&cols=KIND`: the traceability matrix, kinds chosen on the page.
pub async fn matrix(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Page::new(&s, "/matrix", q.as_deref());
    let (rows, cols) = (
        p.params.one("rows").unwrap_or_default(),
        p.params.one("cols").unwrap_or_default(),
    );
    let kinds = regtrace_core::NodeKind::ALL;
    let choose = |name: &str, chosen: &str| {
        html! {
            select name=(name) {
                @for k in kinds {
                    option value=(k.as_str()) selected[k.as_str() == chosen] { (regtrace_render::words::kind(*k, p.lang)) }
                }
            }
        }
    };
    let form = html! {
        form.search action="/matrix" method="get" {
            (p.t("rows ", "行 ")) (choose("rows", if rows.is_empty() { "device" } else { &rows }))
            (p.t(" columns ", " 列 ")) (choose("cols", if cols.is_empty() { "guideline" } else { &cols }))
            input type="hidden" name="lang" value=(p.lang.code());
            button type="submit" { (p.t("Show", "表示")) }
        }
    };
    if rows.is_empty() || cols.is_empty() {
        return p
            .layout(p.t("Traceability matrix", "トレーサビリティ・マトリクス"), form)
            .into_response();
    }
    let request = crate::api::matrix_request(&p.params);
    let max_cells = s.options.limits.max_matrix_cells;
    let params = p.params.clone();
    let answer = move |data: &regtrace_app::DataSet, lang: Lang| {
        let plan = regtrace_app::matrix::plan(data, &request?)?;
        let (rows, columns) = plan.size();
        if rows.saturating_mul(columns) > max_cells {
            return Err(crate::api::matrix_too_large(&params, rows, columns, max_cells));
        }
        let answer = plan.compute();
        let view = render::matrix::MatrixView::of(&answer, lang);
        let rows: Vec<render::matrix::RowView> = view.rows().collect();
        let left_out = view.left_out().map(|said| said.say(lang));
        Ok((view.caption, view.columns, rows, left_out))
    };
    answered_page(s, p, true, answer, move |p, (caption, columns, rows, left_out)| {
        let body = html! {
            (form)
            p {
                (rows.len()) (p.t(" rows × ", " 行 × ")) (columns.len())
                (p.t(" columns; ● a link (hover for the reason)", " 列。● はつながり（理由はポインタを重ねると表示）"))
            }
            // A link is never dropped silently.
            @if let Some(left_out) = &left_out { p.gap { (left_out) } }
            div.matrix {
                table {
                    thead {
                        tr {
                            th { (caption) }
                            @for c in &columns { th { a href=(p.node_link(&c.key)) title=(c.title) { (c.key) } } }
                        }
                    }
                    tbody {
                        @for r in &rows {
                            tr {
                                th { a href=(p.node_link(&r.id)) { (r.id) } br; small { (r.title) } }
                                @for cell in r.dense(columns.len()) {
                                    @if cell.is_empty() { td {} } @else { td.linked title=(cell) { "●" } }
                                }
                            }
                        }
                    }
                }
            }
        };
        (format!("{}: {caption}", p.t("Matrix", "マトリクス")), body)
    })
    .await
}

/// `GET /assets/style.css`.
pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// Any other path.
pub async fn not_found(State(s): State<Arc<Shared>>) -> Response {
    let p = Page::new(&s, "/", None);
    error_page(&p, &Failure::NotFound("no such page".into()))
}
