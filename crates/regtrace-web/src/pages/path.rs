//! `GET /path`: how two nodes are connected.

use super::*;

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
