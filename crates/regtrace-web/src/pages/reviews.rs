//! `GET /reviews` and the decisions recorded from its forms (`POST /reviews/{review}/close`,
//! `…/correct`, `POST /events/{event}/close`).

use super::*;

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
