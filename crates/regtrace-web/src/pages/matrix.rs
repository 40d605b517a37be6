//! `GET /matrix`: the traceability matrix, kinds chosen on the page.

use super::*;

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
