//! `GET /impact`, `GET /deps` and `GET /diagram.svg`: what a change reaches, what a node
//! rests on, and the picture of either.

use super::*;

/// The impact or the dependencies page, as `direction` says.
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
