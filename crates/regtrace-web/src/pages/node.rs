//! `GET /nodes/{id}`: one node, its relations both ways and its reviews.

use super::*;

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
