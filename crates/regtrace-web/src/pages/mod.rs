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

mod audit;
mod changes;
mod editions;
mod matrix;
mod node;
mod path;
mod reach;
mod reviews;
mod search;

pub use audit::audit;
pub use changes::changes;
pub use editions::editions;
pub use matrix::matrix;
pub use node::node;
pub use path::path;
pub use reach::{deps, diagram, impact};
pub use reviews::{close, close_event, correct, reviews};
pub use search::search;

const STYLE: &str = include_str!("../style.css");

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

/// `GET /assets/style.css`.
pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// Any other path.
pub async fn not_found(State(s): State<Arc<Shared>>) -> Response {
    let p = Page::new(&s, "/", None);
    error_page(&p, &Failure::NotFound("no such page".into()))
}
