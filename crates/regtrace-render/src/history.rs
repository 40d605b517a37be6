//! The kept history: what an import or a recorded change did, change events, and reviews (with
//! their reason chains), as tables, JSON and CSV.

use regtrace_app::history::{Corrected, Imported, LeftOut, Recorded, RecordedOn, Replaced, Reviews};
use regtrace_app::{ChangeEvent, NewReview};
use regtrace_core::{GraphView, Lang};
use serde::Serialize;

use crate::doc::terminal::{self, Options};
use crate::doc::{Block, Doc, Span, Table, one};
use crate::escape::csv_text;
use crate::words::{Phrase, Word};

/// How many of `reviews` are probably unaffected, as a summary clause (empty if none).
fn verdict_summary(reviews: &[NewReview]) -> Phrase {
    Phrase::VerdictSummary {
        total: reviews.len(),
        unaffected: reviews.iter().filter(|r| r.probably_unaffected.is_some()).count(),
    }
}

/// Sentences, one per line.
fn lines(phrases: impl IntoIterator<Item = Phrase>, lang: Lang) -> String {
    phrases.into_iter().map(|p| p.say(lang) + "\n").collect()
}

/// What an import did, and with `recording`, the changes it recorded.
pub fn imported(imported: &Imported, recording: bool, lang: Lang) -> String {
    let s = &imported.summary;
    let mut text = lines(
        [Phrase::Imported {
            nodes: s.nodes,
            edges: s.edges,
            relations: s.relations,
            db: imported.db.display().to_string(),
        }],
        lang,
    );
    if let Some(r) = &imported.replaced {
        text.push_str(&replaced(r, imported.merged));
    }
    if let Some((events, reviews, decisions)) = imported.restored {
        text.push_str(&lines(
            [Phrase::Restored {
                events,
                reviews,
                decisions,
            }],
            lang,
        ));
    }
    for (older, newer, status) in &imported.superseded {
        text.push_str(&lines(
            [Phrase::NoLongerCurrent {
                older: older.clone(),
                newer: newer.clone(),
                status: *status,
            }],
            lang,
        ));
    }
    for (event, reviews) in &imported.events {
        let opened = Phrase::RecordedChange {
            event: event.id,
            node: event.node.clone(),
            date: event.date.clone(),
            what: Some(event.what.clone()),
            reviews: reviews.len(),
        };
        text.push_str(&format!(
            "{}{}\n",
            opened.say(lang),
            verdict_summary(reviews).say(lang)
        ));
    }
    if recording && imported.events.is_empty() {
        text.push_str(&lines([Phrase::NoContentChanges], lang));
    }
    text
}

/// What an import did to the data the database held.
fn replaced(r: &Replaced, merged: bool) -> String {
    let mut text = replaced_line(r, merged);
    for (event, node) in &r.causes_removed {
        text.push_str(&format!(
            "warning: change #{event} was recorded on {node}, which this import removed, and has open reviews: they stay open and on the record, but the change's node is no longer in the data (its title is not shown); close them with `regtrace review close --event {event}`, or import {node} again\n"
        ));
    }
    text
}

fn replaced_line(r: &Replaced, merged: bool) -> String {
    const NAMED: usize = 5;
    let updated = r.updated.map(|n| format!(", {n} updated")).unwrap_or_default();
    let mut removed = format!("{} removed", r.removed.len());
    if !r.removed.is_empty() {
        let named: Vec<&str> = r.removed.iter().take(NAMED).map(String::as_str).collect();
        removed.push_str(&format!(": {}", named.join(", ")));
        if r.removed.len() > NAMED {
            removed.push_str(&format!(" and {} more", r.removed.len() - NAMED));
        }
    }
    if merged {
        let removed = if r.removed.is_empty() {
            "nothing removed".to_owned()
        } else {
            format!("{removed}, as marked deleted")
        };
        let mut line = format!(
            "merged: {} nodes → {} ({} added{updated}, {removed})",
            r.before, r.after, r.added
        );
        if !r.orphaned.is_empty() {
            line.push_str(&format!("; {} open review(s) now orphaned", r.orphaned.len()));
        }
        line.push('\n');
        return line;
    }
    let mut line = format!(
        "replaced the stored data set: {} nodes → {} ({} added{updated}, {removed})",
        r.before, r.after, r.added
    );
    if !r.orphaned.is_empty() {
        let named: Vec<String> = r
            .orphaned
            .iter()
            .take(NAMED)
            .map(|(review, node)| format!("#{review} of {node}"))
            .collect();
        line.push_str(&format!(
            "; {} open review(s) now orphaned: {}",
            r.orphaned.len(),
            named.join(", ")
        ));
    }
    line.push('\n');
    line
}

/// What `change record` did: the events recorded (on the editions a new edition supersedes, if
/// it is one), the reviews each opened, what was skipped as no longer in force, and, when no
/// review was opened, why.
pub fn recorded(recorded: &Recorded, lang: Lang) -> String {
    let mut text = String::new();
    if recorded.new_edition {
        let older: Vec<&str> = recorded.changes.iter().map(|c| c.event.node.as_str()).collect();
        text.push_str(&lines(
            [Phrase::NewEditionOf {
                asked: recorded.asked.clone(),
                older: older.join(", "),
            }],
            lang,
        ));
    }
    for RecordedOn { event, plan } in &recorded.changes {
        let opened = Phrase::RecordedChange {
            event: event.id,
            node: event.node.clone(),
            date: event.date.clone(),
            what: None,
            reviews: plan.reviews.len(),
        };
        text.push_str(&format!(
            "{}{}\n",
            opened.say(lang),
            verdict_summary(&plan.reviews).say(lang)
        ));
        let skipped: Vec<(String, String)> = plan
            .skipped
            .iter()
            .map(|s| (s.id.clone(), s.reason.clone()))
            .collect();
        text.push_str(&skipped_line(&skipped, &event.date, lang));
    }
    if let Some(why) = &recorded.why_none {
        text.push_str(&lines([Phrase::NoReviewOpened(why.clone())], lang));
    }
    text
}

/// `  skipped 2 not in force on DATE …: a (why), b (why)` for `(id, why)` pairs, at most ten
/// named; empty if none.
pub fn skipped_line(skipped: &[(String, String)], date: &str, lang: Lang) -> String {
    self::skipped(skipped, date).map_or_else(String::new, |said| format!("  {}", lines([said], lang)))
}

/// What was skipped for not being in force on `date`, `(id, why)` pairs, at most ten named;
/// `None` if nothing was.
pub fn skipped(skipped: &[(String, String)], date: &str) -> Option<Phrase> {
    const NAMED: usize = 10;
    if skipped.is_empty() {
        return None;
    }
    let named: Vec<String> = skipped
        .iter()
        .take(NAMED)
        .map(|(id, why)| format!("{id} ({why})"))
        .collect();
    Some(Phrase::Skipped {
        count: skipped.len(),
        date: date.to_owned(),
        named: named.join(", "),
        more: skipped.len().saturating_sub(NAMED),
    })
}

#[derive(Serialize)]
struct RecordedJson<'a> {
    asked: &'a str,
    new_edition: bool,
    events: Vec<RecordedEventJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why_none: Option<&'a str>,
}

#[derive(Serialize)]
struct RecordedEventJson<'a> {
    event: i64,
    node: &'a str,
    date: &'a str,
    what: &'a str,
    reviews: usize,
    probably_unaffected: usize,
    skipped: Vec<SkippedJson<'a>>,
}

/// A node skipped as not in force, in JSON.
#[derive(Serialize)]
pub struct SkippedJson<'a> {
    id: &'a str,
    kind: &'static str,
    reason: &'a str,
}

impl<'a> SkippedJson<'a> {
    /// The JSON form of `left_out`.
    pub fn of(left_out: &'a LeftOut) -> Self {
        SkippedJson {
            id: &left_out.id,
            kind: left_out.kind.as_str(),
            reason: &left_out.reason,
        }
    }
}

/// What `change record` did, as JSON.
pub fn recorded_json(recorded: &Recorded, pretty: bool) -> String {
    let document = RecordedJson {
        asked: &recorded.asked,
        new_edition: recorded.new_edition,
        events: recorded
            .changes
            .iter()
            .map(|RecordedOn { event, plan }| RecordedEventJson {
                event: event.id,
                node: &event.node,
                date: &event.date,
                what: &event.what,
                reviews: plan.reviews.len(),
                probably_unaffected: plan
                    .reviews
                    .iter()
                    .filter(|r| r.probably_unaffected.is_some())
                    .count(),
                skipped: plan.skipped.iter().map(SkippedJson::of).collect(),
            })
            .collect(),
        why_none: recorded.why_none.as_deref(),
    };
    crate::json::text(&document, pretty)
}

/// What `review close` did.
pub fn closed(id: &str, reviews: &[i64], lang: Lang) -> String {
    lines(
        [Phrase::ClosedReviews {
            count: reviews.len(),
            of: id.to_owned(),
        }],
        lang,
    )
}

/// What `review correct` did.
pub fn corrected(id: &str, c: &Corrected, lang: Lang) -> String {
    lines(
        [Phrase::CorrectedReview {
            review: c.review,
            of: id.to_owned(),
            was: crate::words::outcome(c.was),
            now: crate::words::outcome(c.now),
        }],
        lang,
    )
}

/// What `check` found: the data is valid, and nothing was written.
pub fn checked(nodes: usize, edges: usize, relations: usize, lang: Lang) -> String {
    lines(
        [Phrase::Checked {
            nodes,
            edges,
            relations,
        }],
        lang,
    )
}

/// What `export --history-dir` wrote.
pub fn wrote_event_files(count: usize, dir: &std::path::Path, lang: Lang) -> String {
    lines(
        [Phrase::WroteEventFiles {
            count,
            dir: dir.display().to_string(),
        }],
        lang,
    )
}

/// A node's title in the language asked, or `—` when it has left the data.
fn title<'g, G: GraphView>(graph: &'g G, id: &str, lang: Lang) -> &'g str {
    graph.find(id).map_or("—", |n| graph.title_in(n, lang))
}

/// A node's titles, or `—` when it has left the data.
fn titles<G: GraphView>(graph: &G, id: &str) -> Span {
    graph.find(id).map_or_else(
        || Span::text("—"),
        |n| Span::titles(graph.title(n), graph.title_ja(n)),
    )
}

#[derive(Serialize)]
struct EventJson<'a> {
    event: i64,
    node: &'a str,
    date: &'a str,
    what: &'a str,
    by: Option<&'a str>,
    note: Option<&'a str>,
    recorded_at: &'a str,
}

/// Change events as JSON.
pub fn events_json(events: &[ChangeEvent], pretty: bool) -> String {
    let list: Vec<EventJson> = events
        .iter()
        .map(|e| EventJson {
            event: e.id,
            node: &e.node,
            date: &e.date,
            what: &e.what,
            by: e.by.as_deref(),
            note: e.note.as_deref(),
            recorded_at: &e.recorded_at,
        })
        .collect();
    crate::json::text(&list, pretty)
}

/// Change events as CSV (with the changed node's title).
pub fn events_csv<G: GraphView>(graph: &G, events: &[ChangeEvent], lang: Lang) -> String {
    csv_text(
        &[
            "event",
            "node",
            "title",
            "date",
            "what",
            "by",
            "note",
            "recorded_at",
        ],
        events.iter().map(|e| {
            [
                e.id.to_string(),
                e.node.clone(),
                title(graph, &e.node, lang).to_owned(),
                e.date.clone(),
                e.what.clone(),
                e.by.clone().unwrap_or_default(),
                e.note.clone().unwrap_or_default(),
                e.recorded_at.clone(),
            ]
        }),
    )
}

/// Change events for people.
pub fn events_table<G: GraphView>(graph: &G, events: &[ChangeEvent], options: Options) -> String {
    let mut table = Table::new(&[
        Word::Event,
        Word::Node,
        Word::Title,
        Word::Date,
        Word::What,
        Word::By,
        Word::Recorded,
    ]);
    for e in events {
        table.row(vec![
            one(Span::text(format!("#{}", e.id))),
            one(Span::node(&e.node)),
            one(titles(graph, &e.node)),
            one(Span::text(&e.date)),
            one(Span::text(&e.what)),
            one(Span::text(e.by.as_deref().unwrap_or_default())),
            one(Span::text(&e.recorded_at)),
        ]);
    }
    terminal::write(&Doc::of(vec![Block::Table(table)]), options)
}

#[derive(Serialize)]
struct ReviewJson<'a> {
    review: i64,
    event: i64,
    node: &'a str,
    /// The node's titles; none when it has left the data.
    #[serde(flatten)]
    titles: Option<crate::json::Titles<'a>>,
    /// `open` or `closed`.
    state: &'static str,
    /// One hop from the change.
    direct: bool,
    /// The node is no longer in the data set.
    orphaned: bool,
    distance: u32,
    path: &'a [String],
    relations: &'a [String],
    opened_at: &'a str,
    /// The day the change took effect (its event's date): a review opened after it was
    /// recorded after the fact.
    change_date: &'a str,
    /// `review` or `probably_unaffected`.
    verdict: &'static str,
    /// Why it is probably unaffected.
    #[serde(skip_serializing_if = "Option::is_none")]
    because: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replaced_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// The day decided (given with `--date`, else the day recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_on: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_at: Option<&'a str>,
    /// Earlier decisions, since corrected, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    corrected: Vec<DecisionJson<'a>>,
}

#[derive(Serialize)]
struct DecisionJson<'a> {
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    replaced_by: Option<&'a str>,
    decided_by: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    decided_on: &'a str,
    decided_at: &'a str,
}

fn review_json<'a>(listing: &'a Reviews, i: usize) -> ReviewJson<'a> {
    let r = &listing.reviews[i];
    let d = r.decision.as_ref();
    let node = listing.nodes[i].as_ref();
    ReviewJson {
        review: r.id,
        event: r.event,
        node: &r.node,
        titles: node.map(|n| crate::json::Titles {
            title: &n.title,
            title_ja: n.title_ja.as_deref(),
        }),
        state: if d.is_some() { "closed" } else { "open" },
        direct: r.distance == 1,
        orphaned: node.is_none(),
        distance: r.distance,
        path: &r.path,
        relations: &r.relations,
        opened_at: &r.opened_at,
        change_date: &listing.changed[i],
        verdict: if r.probably_unaffected.is_some() {
            "probably_unaffected"
        } else {
            "review"
        },
        because: r.probably_unaffected.as_deref(),
        outcome: d.map(|d| d.outcome.as_str()),
        replaced_by: d.and_then(|d| d.replaced_by.as_deref()),
        decided_by: d.map(|d| d.by.as_str()),
        note: d.and_then(|d| d.note.as_deref()),
        decided_on: d.map(|d| d.day()),
        decided_at: d.map(|d| d.decided_at.as_str()),
        corrected: r
            .corrected
            .iter()
            .map(|d| DecisionJson {
                outcome: d.outcome.as_str(),
                replaced_by: d.replaced_by.as_deref(),
                decided_by: &d.by,
                note: d.note.as_deref(),
                decided_on: d.day(),
                decided_at: &d.decided_at,
            })
            .collect(),
    }
}

/// Reviews as JSON.
pub fn reviews_json(listing: &Reviews, pretty: bool) -> String {
    let list: Vec<ReviewJson> = (0..listing.reviews.len())
        .map(|i| review_json(listing, i))
        .collect();
    crate::json::text(&list, pretty)
}

/// Reviews as CSV, one row each, with the reason chain.
pub fn reviews_csv(listing: &Reviews, lang: Lang) -> String {
    csv_text(
        &[
            "review",
            "event",
            "node",
            "title",
            "state",
            "direct",
            "orphaned",
            "path",
            "relations",
            "reason",
            "verdict",
            "because",
            "opened",
            "outcome",
            "decided_by",
            "decided_on",
            "note",
        ],
        listing.reviews.iter().enumerate().map(|(i, r)| {
            let j = review_json(listing, i);
            let node = listing.nodes[i].as_ref();
            [
                j.review.to_string(),
                j.event.to_string(),
                j.node.to_owned(),
                node.map_or("—", |n| n.title_in(lang)).to_owned(),
                j.state.to_owned(),
                j.direct.to_string(),
                j.orphaned.to_string(),
                r.path.join(" > "),
                r.relations.join(" > "),
                listing.chains[i].to_string(),
                j.verdict.to_owned(),
                j.because.unwrap_or_default().to_owned(),
                j.opened_at.get(..10).unwrap_or(j.opened_at).to_owned(),
                j.outcome.unwrap_or_default().to_owned(),
                j.decided_by.unwrap_or_default().to_owned(),
                j.decided_on.unwrap_or_default().to_owned(),
                j.note.unwrap_or_default().to_owned(),
            ]
        }),
    )
}

/// A review's state: open, or the decision in force ("closed DAY: OUTCOME by WHO").
pub(crate) fn review_state(review: &regtrace_app::Review) -> Span {
    match &review.decision {
        Some(d) => Span::Phrase(Phrase::DecidedBy {
            day: d.day().to_owned(),
            outcome: crate::words::outcome(d.outcome),
            by: d.by.clone(),
        }),
        None => Span::State(Word::Open),
    }
}

/// Reviews for people: state, title and reason chain of each, then the counts.
pub fn reviews_table(listing: &Reviews, options: Options) -> String {
    let mut table = Table::new(&[
        Word::Review,
        Word::Event,
        Word::Node,
        Word::Title,
        Word::Opened,
        Word::State,
        Word::Reason,
    ]);
    for (i, r) in listing.reviews.iter().enumerate() {
        let node = listing.nodes[i].as_ref();
        let mut state = vec![review_state(r)];
        if !r.corrected.is_empty() {
            state.push(Span::Phrase(Phrase::Corrected(r.corrected.len())));
        }
        if r.probably_unaffected.is_some() {
            state.extend([Span::text(", "), Span::Say(Word::ProbablyUnaffected)]);
        }
        if node.is_none() {
            state.extend([Span::text(" ("), Span::Say(Word::Orphaned), Span::text(")")]);
        }
        let reach = if r.distance == 1 {
            Word::Direct
        } else {
            Word::Transitive
        };
        // The why comes last on the row, so a long one widens no other column.
        let mut reason = vec![
            Span::Say(reach),
            Span::text(": "),
            Span::Chain(listing.chains[i].clone()),
        ];
        if let Some(because) = &r.probably_unaffected {
            reason.extend([
                Span::text("; "),
                Span::Say(Word::ProbablyUnaffected),
                Span::text(format!(": {because}")),
            ]);
        }
        table.row(vec![
            one(Span::text(format!("#{}", r.id))),
            one(Span::text(format!("#{}", r.event))),
            one(Span::node(&r.node)),
            one(node.map_or_else(
                || Span::text("—"),
                |n| Span::titles(&n.title, n.title_ja.as_deref()),
            )),
            one(match listing.opened(i) {
                (opened, Some(changed)) => Span::Phrase(Phrase::RecordedFor {
                    recorded: opened.to_owned(),
                    changed: changed.to_owned(),
                }),
                (opened, None) => Span::text(opened),
            }),
            state,
            reason,
        ]);
    }
    let open = listing.reviews.iter().filter(|r| r.decision.is_none()).count();
    let doc = Doc::of(vec![
        Block::Table(table),
        Block::Para(one(Span::Phrase(Phrase::ReviewCount {
            total: listing.reviews.len(),
            open,
        }))),
    ]);
    terminal::write(&doc, options)
}
