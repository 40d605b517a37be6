//! `change record|list` and `review list|close`: the kept history of changes and of the reviews
//! they open. Everything here needs a database (`--db`): the history lives in the store.

use regtrace_core::{Direction, Graph, NodeIx, NodeKind, ReachOptions};
use regtrace_store::{NewDecision, NewEvent, NewReview, Outcome, Review, Store};
use serde::Serialize;

use crate::commands::{DataSource, parse_as_of, parse_words, resolve};
use crate::error::CliError;
use crate::output::{self, Format};

/// `change` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ChangeCommand {
    /// Record a change on a node and open a review for every node its impact reaches.
    ///
    /// The impact is computed as of the change's date (`impact --as-of DATE`); each review keeps
    /// the reason chain of that moment. Events are append-only.
    #[command(
        after_help = "Example:\n  regtrace --db reg.db change record jp-pal-revision-2013 --what \"law revision enacted\" --date 2013-11-20 --by \"WG secretariat\""
    )]
    Record {
        /// The node that changed.
        id: String,
        /// What happened, in words (e.g. "new edition iso-10993-1-2018").
        #[arg(long, value_name = "TEXT")]
        what: String,
        /// When the change took effect (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        date: String,
        /// A free note.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Who records it.
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// Open reviews for nodes of these kinds (repeatable).
        #[arg(long, value_name = "KIND", default_values_t = ["guideline".to_owned(), "evaluation_index".to_owned()])]
        kind: Vec<String>,
    },
    /// List recorded change events, oldest first.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// `review` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ReviewCommand {
    /// List reviews (the suspects), each with its cause chain; direct ones are one hop from the
    /// change. A review whose node has left the data is shown as orphaned, never dropped.
    List {
        /// Only open reviews.
        #[arg(long, conflicts_with = "closed")]
        open: bool,
        /// Only closed reviews.
        #[arg(long)]
        closed: bool,
        /// Only reviews opened by this change event (its number).
        #[arg(long, value_name = "EVENT")]
        cause: Option<i64>,
        /// Only reviews with this verdict: `review` (a full review) or `probably-unaffected`
        /// (the node rests on the change only through a clause the newer edition carries over).
        #[arg(long, value_enum)]
        verdict: Option<VerdictArg>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Close the open reviews of a node with a decision. Decisions are append-only: a closed
    /// review cannot be closed again.
    #[command(
        after_help = "Example:\n  regtrace --db reg.db review close gl-custom-knee --outcome unchanged --by \"Knee WG\""
    )]
    Close {
        #[command(flatten)]
        decision: DecisionArgs,
        /// A free note.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Correct the decision of a closed review. The correction is a new decision that names the
    /// one it corrects; both stay on record, and the correction is the one in force.
    #[command(
        after_help = "Example:\n  regtrace --db reg.db review correct gl-custom-knee --outcome revised --replaced-by gl-custom-knee-2014 --by \"Knee WG\" --note \"closed as unchanged by mistake\""
    )]
    Correct {
        #[command(flatten)]
        decision: DecisionArgs,
        /// Why the decision is corrected (required: the record should say).
        #[arg(long, value_name = "TEXT")]
        note: String,
    },
}

/// A decision on the reviews of a node, as `review close` and `review correct` take it.
#[derive(Debug, Clone, clap::Args)]
pub struct DecisionArgs {
    /// The reviewed node.
    pub id: String,
    /// Only the review opened by this change event (close: default all open reviews of ID;
    /// correct: needed when ID has several closed reviews).
    #[arg(long, value_name = "EVENT")]
    pub event: Option<i64>,
    /// What the review found.
    #[arg(long, value_enum)]
    pub outcome: OutcomeArg,
    /// Who decides.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// With `revised`: the node that replaces the reviewed one.
    #[arg(long, value_name = "ID")]
    pub replaced_by: Option<String>,
}

/// Review verdicts, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VerdictArg {
    /// A full review.
    Review,
    /// Probably unaffected: confirm.
    ProbablyUnaffected,
}

/// Review outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutcomeArg {
    /// Checked; nothing to change.
    Unchanged,
    /// Revised (name the new node with --replaced-by).
    Revised,
    /// Withdrawn.
    Withdrawn,
}

fn store(source: &DataSource) -> Result<Store, CliError> {
    match &source.db {
        Some(path) => Ok(Store::open(path)?),
        None => Err(CliError::request(
            "change events and reviews are kept in a database, and none is named",
            Some(
                "give --db FILE (or set REGTRACE_DB); create one with `regtrace --db FILE import DATA_DIR`"
                    .into(),
            ),
        )),
    }
}

/// The reviews a change to `changed` opens: one per node of `kinds` its impact reaches as of
/// `day`, each with its reason chain and, where it applies, why it is probably unaffected.
pub(crate) fn reviews_for(
    graph: &Graph,
    changed: NodeIx,
    day: Option<chrono::NaiveDate>,
    kinds: &[NodeKind],
) -> Vec<NewReview> {
    let options = ReachOptions {
        max_depth: None,
        as_of: day,
    };
    let reach = graph.reach(&[changed], Direction::Impact, &options);
    let verdicts = graph.verdicts(&reach, &options);
    reach
        .hits
        .iter()
        .filter(|h| kinds.contains(&graph.node(h.node).kind))
        .map(|h| {
            let (path, edges) = reach.path(graph, h.node);
            NewReview {
                node: graph.node(h.node).id.clone(),
                distance: h.distance,
                path: path.iter().map(|n| graph.node(*n).id.clone()).collect(),
                relations: edges
                    .iter()
                    .map(|e| graph.catalog().get(graph.link(*e).relation).name.clone())
                    .collect(),
                probably_unaffected: verdicts.unaffected(h.node).map(|u| u.reason(graph)),
            }
        })
        .collect()
}

/// How many of `reviews` are probably unaffected, as a summary clause (empty if none).
pub(crate) fn verdict_summary(reviews: &[NewReview]) -> String {
    let light = reviews.iter().filter(|r| r.probably_unaffected.is_some()).count();
    if light == 0 {
        return String::new();
    }
    format!(
        ": {} full, {light} probably unaffected (they rest on the change only through clauses the \
         newer edition carries over; confirm them with `review close`)",
        reviews.len() - light
    )
}

/// `regtrace change …`.
pub fn change(source: &DataSource, command: &ChangeCommand) -> Result<(), CliError> {
    match command {
        ChangeCommand::Record {
            id,
            what,
            date,
            note,
            by,
            kind,
        } => {
            let kinds: Vec<NodeKind> = parse_words(kind)?;
            let day = parse_as_of(Some(date))?;
            let mut store = store(source)?;
            // Computed from the data as read, written only if that is still the data: an
            // import by another process in between means reading again.
            let mut attempts = 0;
            let (event, reviews) = loop {
                let (graph, version) = store.load_versioned()?;
                let changed = resolve(&graph, id)?;
                let reviews = reviews_for(&graph, changed, day, &kinds);
                let event = NewEvent {
                    node: graph.node(changed).id.clone(),
                    what: what.clone(),
                    date: date.clone(),
                    note: note.clone(),
                    by: by.clone(),
                };
                match store.record_change(&event, &reviews, version.as_deref()) {
                    Err(regtrace_store::StoreError::DataChanged(_)) if attempts < 5 => attempts += 1,
                    recorded => break (recorded?, reviews),
                }
            };
            output::print(&format!(
                "recorded change #{} on {} ({}); opened {} review(s){}\n",
                event.id,
                event.node,
                event.date,
                reviews.len(),
                verdict_summary(&reviews)
            ));
            Ok(())
        }
        ChangeCommand::List { format } => {
            let events = store(source)?.events()?;
            let text = match format {
                Format::Json => output::json_text(&events.iter().map(EventJson::from).collect::<Vec<_>>()),
                Format::Csv => output::csv_text(
                    &["event", "node", "date", "what", "by", "note", "recorded_at"],
                    events.iter().map(|e| {
                        [
                            e.id.to_string(),
                            e.node.clone(),
                            e.date.clone(),
                            e.what.clone(),
                            e.by.clone().unwrap_or_default(),
                            e.note.clone().unwrap_or_default(),
                            e.recorded_at.clone(),
                        ]
                    }),
                ),
                Format::Table => {
                    let mut table = output::table(&["event", "node", "date", "what", "by", "recorded"]);
                    for e in &events {
                        table.add_row([
                            format!("#{}", e.id),
                            e.node.clone(),
                            e.date.clone(),
                            e.what.clone(),
                            e.by.clone().unwrap_or_default(),
                            e.recorded_at.clone(),
                        ]);
                    }
                    output::render_table(&table)
                }
            };
            output::print(&text);
            Ok(())
        }
    }
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

impl<'a> From<&'a regtrace_store::ChangeEvent> for EventJson<'a> {
    fn from(e: &'a regtrace_store::ChangeEvent) -> Self {
        EventJson {
            event: e.id,
            node: &e.node,
            date: &e.date,
            what: &e.what,
            by: e.by.as_deref(),
            note: e.note.as_deref(),
            recorded_at: &e.recorded_at,
        }
    }
}

#[derive(Serialize)]
struct ReviewJson<'a> {
    review: i64,
    event: i64,
    node: &'a str,
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
    decided_at: &'a str,
}

fn review_json<'a>(graph: &Graph, r: &'a Review) -> ReviewJson<'a> {
    let d = r.decision.as_ref();
    ReviewJson {
        review: r.id,
        event: r.event,
        node: &r.node,
        state: if d.is_some() { "closed" } else { "open" },
        direct: r.distance == 1,
        orphaned: graph.find(&r.node).is_none(),
        distance: r.distance,
        path: &r.path,
        relations: &r.relations,
        opened_at: &r.opened_at,
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
        decided_at: d.map(|d| d.decided_at.as_str()),
        corrected: r
            .corrected
            .iter()
            .map(|d| DecisionJson {
                outcome: d.outcome.as_str(),
                replaced_by: d.replaced_by.as_deref(),
                decided_by: &d.by,
                note: d.note.as_deref(),
                decided_at: &d.decided_at,
            })
            .collect(),
    }
}

/// A review's cause chain in words: `jp-pal-revision-2013 ← governed_by ← gl-x`.
pub fn cause_chain(review: &Review) -> String {
    let mut text = review.path.first().cloned().unwrap_or_default();
    for (relation, node) in review.relations.iter().zip(review.path.iter().skip(1)) {
        text.push_str(&format!(" → {relation} → {node}"));
    }
    text
}

/// `regtrace review …`.
pub fn review(source: &DataSource, command: &ReviewCommand) -> Result<(), CliError> {
    match command {
        ReviewCommand::List {
            open,
            closed,
            cause,
            verdict,
            format,
        } => {
            let store = store(source)?;
            let graph = store.load()?;
            let reviews: Vec<Review> = store
                .reviews()?
                .into_iter()
                .filter(|r| !open || r.decision.is_none())
                .filter(|r| !closed || r.decision.is_some())
                .filter(|r| cause.is_none_or(|c| r.event == c))
                .filter(|r| match verdict {
                    None => true,
                    Some(VerdictArg::Review) => r.probably_unaffected.is_none(),
                    Some(VerdictArg::ProbablyUnaffected) => r.probably_unaffected.is_some(),
                })
                .collect();
            let text = match format {
                Format::Json => {
                    output::json_text(&reviews.iter().map(|r| review_json(&graph, r)).collect::<Vec<_>>())
                }
                Format::Csv => output::csv_text(
                    &[
                        "review",
                        "event",
                        "node",
                        "state",
                        "direct",
                        "orphaned",
                        "path",
                        "relations",
                        "verdict",
                        "because",
                        "outcome",
                        "decided_by",
                        "note",
                    ],
                    reviews.iter().map(|r| {
                        let j = review_json(&graph, r);
                        [
                            j.review.to_string(),
                            j.event.to_string(),
                            j.node.to_owned(),
                            j.state.to_owned(),
                            j.direct.to_string(),
                            j.orphaned.to_string(),
                            r.path.join(" > "),
                            r.relations.join(" > "),
                            j.verdict.to_owned(),
                            j.because.unwrap_or_default().to_owned(),
                            j.outcome.unwrap_or_default().to_owned(),
                            j.decided_by.unwrap_or_default().to_owned(),
                            j.note.unwrap_or_default().to_owned(),
                        ]
                    }),
                ),
                Format::Table => {
                    let mut table = output::table(&["review", "event", "node", "state", "cause"]);
                    for r in &reviews {
                        let j = review_json(&graph, r);
                        let mut state = match r.decision.as_ref() {
                            Some(d) => format!("closed: {} by {}", d.outcome.as_str(), d.by),
                            None => "open".to_owned(),
                        };
                        if !r.corrected.is_empty() {
                            state.push_str(&format!(" (corrected {}×)", r.corrected.len()));
                        }
                        if let Some(because) = &r.probably_unaffected {
                            state.push_str(&format!("\nprobably unaffected: {because}"));
                        }
                        if j.orphaned {
                            state.push_str(" (orphaned: node no longer in the data)");
                        }
                        let reach = if j.direct { "direct" } else { "transitive" };
                        table.add_row([
                            format!("#{}", r.id),
                            format!("#{}", r.event),
                            r.node.clone(),
                            state,
                            format!("{reach}: {}", cause_chain(r)),
                        ]);
                    }
                    let open_count = reviews.iter().filter(|r| r.decision.is_none()).count();
                    format!(
                        "{}{} review(s), {} open\n",
                        output::render_table(&table),
                        reviews.len(),
                        open_count
                    )
                }
            };
            output::print(&text);
            Ok(())
        }
        ReviewCommand::Close { decision, note } => {
            let DecisionArgs { id, event, .. } = decision;
            let mut store = store(source)?;
            let graph = store.load()?;
            let decision = new_decision(&graph, decision, note.clone())?;
            let mine: Vec<Review> = store
                .reviews()?
                .into_iter()
                .filter(|r| &r.node == id && event.is_none_or(|e| r.event == e))
                .collect();
            let open: Vec<i64> = mine
                .iter()
                .filter(|r| r.decision.is_none())
                .map(|r| r.id)
                .collect();
            if open.is_empty() {
                let hint = match mine
                    .iter()
                    .rev()
                    .find_map(|r| r.decision.as_ref().map(|d| (r, d)))
                {
                    Some((r, d)) => format!(
                        "review #{} was closed on {} by {} ({}); decisions are append-only and are not changed",
                        r.id,
                        d.decided_at,
                        d.by,
                        d.outcome.as_str()
                    ),
                    None => "`regtrace review list --open` lists the open reviews".into(),
                };
                return Err(CliError::request(format!("{id} has no open review"), Some(hint)));
            }
            store.close_reviews(&open, &decision)?;
            output::print(&format!("closed {} review(s) of {id}\n", open.len()));
            Ok(())
        }
        ReviewCommand::Correct { decision, note } => {
            let DecisionArgs { id, event, .. } = decision;
            let mut store = store(source)?;
            let graph = store.load()?;
            let decision = new_decision(&graph, decision, Some(note.clone()))?;
            let closed: Vec<Review> = store
                .reviews()?
                .into_iter()
                .filter(|r| &r.node == id && event.is_none_or(|e| r.event == e) && r.decision.is_some())
                .collect();
            let review = match closed.as_slice() {
                [one] => one,
                [] => {
                    return Err(CliError::request(
                        format!("{id} has no closed review to correct"),
                        Some("close an open review with `regtrace review close`; `regtrace review list` lists them".into()),
                    ));
                }
                several => {
                    let events: Vec<String> = several.iter().map(|r| format!("#{}", r.event)).collect();
                    return Err(CliError::request(
                        format!(
                            "{id} has {} closed reviews (from change events {})",
                            several.len(),
                            events.join(", ")
                        ),
                        Some("say which with --event EVENT".into()),
                    ));
                }
            };
            store.correct_decision(review.id, &decision)?;
            let old = review.decision.as_ref().map_or("", |d| d.outcome.as_str());
            output::print(&format!(
                "corrected review #{} of {id}: {old} → {} (the earlier decision stays on record)\n",
                review.id,
                decision.outcome.as_str()
            ));
            Ok(())
        }
    }
}

/// A decision from the command line, checked against the data.
fn new_decision(graph: &Graph, args: &DecisionArgs, note: Option<String>) -> Result<NewDecision, CliError> {
    if let Some(new) = &args.replaced_by {
        resolve(graph, new)?;
        if args.outcome != OutcomeArg::Revised {
            return Err(CliError::request(
                "--replaced-by goes with --outcome revised",
                Some("a review that found nothing to change has no replacement".into()),
            ));
        }
    }
    Ok(NewDecision {
        outcome: match args.outcome {
            OutcomeArg::Unchanged => Outcome::Unchanged,
            OutcomeArg::Revised => Outcome::Revised,
            OutcomeArg::Withdrawn => Outcome::Withdrawn,
        },
        replaced_by: args.replaced_by.clone(),
        by: args.by.clone(),
        note,
    })
}

/// The store's review records as an audit ledger (empty without a database).
pub fn ledger(source: &DataSource, graph: &Graph) -> Result<regtrace_core::audit::ReviewLedger, CliError> {
    let mut ledger = regtrace_core::audit::ReviewLedger::default();
    if source.db.is_some() {
        for review in store(source)?.reviews()? {
            if let Some(node) = graph.find(&review.node) {
                let cause = review.decision.is_none().then(|| {
                    format!(
                        "#{} from change #{}: {}",
                        review.id,
                        review.event,
                        cause_chain(&review)
                    )
                });
                ledger.add(node, cause);
            }
        }
    }
    Ok(ledger)
}
