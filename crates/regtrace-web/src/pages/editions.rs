//! `GET /editions/{id}`: a standard's editions, their clauses and crosswalks.

use super::*;

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
