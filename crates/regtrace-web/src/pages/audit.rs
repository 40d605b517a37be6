//! `GET /audit`: the audit's document, a page of its findings and reviews at a time.

use super::*;

/// `GET /audit`: the audit's document, a page of its findings and reviews at a time.
pub async fn audit(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = Page::new(&s, "/audit", q.as_deref());
    // One window over both lists: page 2 shows the second page of findings and of reviews.
    let window = match Window::of(&p.params, PAGE_ROWS) {
        Ok(window) => window,
        Err(why) => return error_page(&p, &Failure::BadRequest(why)),
    };
    let make = move |data: &regtrace_app::DataSet, lang: Lang| {
        let request = regtrace_app::audit::AuditRequest::default();
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
