//! `GET /changes`: the recorded change events.

use super::*;

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
