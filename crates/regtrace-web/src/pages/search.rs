//! `GET /search`: nodes found by id, title or designation.

use super::*;

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
