//! The kept history: imports (which may record content changes), change events and the reviews
//! they open, and the decisions that close and correct reviews. All of it needs a database.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regtrace_core::audit::ReviewLedger;
use regtrace_core::{Direction, Graph, GraphView, NodeIx, NodeKind, ReachOptions};
use regtrace_store::{
    ChangeEvent, ImportSummary, NewDecision, NewEvent, NewReview, Outcome, RecordedChange, Review, Store,
    StoreError,
};

use crate::dataset::{Context, DataSet};
use crate::error::{AppError, Result};
use crate::parse::resolve;

/// How many times a write computed from data that another import replaced meanwhile is
/// computed again before giving up.
const RETRIES: usize = 5;

/// The kinds a request names, or (none named) the kinds the catalog says changes are reviewed
/// for (`[review] kinds`, by default every kind an organisation keeps a record for).
fn review_kinds(catalog_kinds: &[NodeKind], asked: &[NodeKind]) -> Vec<NodeKind> {
    if asked.is_empty() {
        catalog_kinds.to_vec()
    } else {
        asked.to_vec()
    }
}

/// A node that a change's impact met but opened no review for, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Why, in words (e.g. `no longer in force: withdrawn 2019-04-01`).
    pub reason: String,
}

/// The reviews a change to one node opens, and what its impact met without opening one.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// One review per node of the asked kinds that rests on the change.
    pub reviews: Vec<NewReview>,
    /// Nodes not entered because they were no longer in force on the change's date (what rests
    /// only on them is not reached either).
    pub skipped: Vec<LeftOut>,
    /// Nodes reached that are of other kinds than those asked, counted by kind.
    pub other_kinds: BTreeMap<&'static str, usize>,
}

/// The reviews a change to `changed` opens: one per node of `kinds` its impact reaches, each with
/// its reason chain (one that carries the change, see [`regtrace_core::editions::verdicts`])
/// and, where it applies, why it is probably unaffected. With a `day`, nodes no longer in force
/// then are skipped (and listed); nodes that come into force later are reviewed: one published
/// after the change that still rests on what changed is a stale reference.
pub fn plan<G: GraphView>(
    graph: &G,
    changed: NodeIx,
    day: Option<chrono::NaiveDate>,
    kinds: &[NodeKind],
) -> Plan {
    let options = ReachOptions {
        max_depth: None,
        as_of: day,
        later_too: true,
    };
    let mut reach = regtrace_core::query::reach(graph, &[changed], Direction::Impact, &options);
    let verdicts = regtrace_core::editions::verdicts(graph, &mut reach, &options);
    let mut plan = Plan::default();
    for hit in &reach.hits {
        let kind = graph.kind(hit.node);
        if !kinds.contains(&kind) {
            *plan.other_kinds.entry(kind.as_str()).or_default() += 1;
            continue;
        }
        let (path, edges) = reach.path(graph, hit.node);
        plan.reviews.push(NewReview {
            node: graph.id(hit.node).to_owned(),
            distance: hit.distance,
            path: path.iter().map(|n| graph.id(*n).to_owned()).collect(),
            relations: edges
                .iter()
                .map(|e| graph.relation_name(graph.ends(*e).relation).to_owned())
                .collect(),
            probably_unaffected: verdicts.unaffected(hit.node).map(|u| u.reason(graph)),
        });
    }
    plan.skipped = reach
        .skipped
        .iter()
        .map(|s| LeftOut {
            id: graph.id(s.node).to_owned(),
            kind: graph.kind(s.node),
            reason: s.why.describe(graph),
        })
        .collect();
    plan
}

/// The reviews of [`plan`] alone.
pub fn reviews_for(
    graph: &Graph,
    changed: NodeIx,
    day: Option<chrono::NaiveDate>,
    kinds: &[NodeKind],
) -> Vec<NewReview> {
    plan(graph, changed, day, kinds).reviews
}

/// What `import --record-changes` records.
#[derive(Debug, Clone)]
pub struct Recording {
    /// Open reviews for nodes of these kinds (none: the kinds the catalog names).
    pub kinds: Vec<NodeKind>,
    /// When the changes took effect.
    pub date: chrono::NaiveDate,
    /// Who records them.
    pub by: Option<String>,
}

/// How an import treats the data a database already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// The files become the whole data set; refused when that would remove nodes under open
    /// review.
    #[default]
    Replace,
    /// The files add and update nodes and links, and remove only the rows they mark deleted.
    Merge,
}

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Replace or merge.
    pub mode: ImportMode,
    /// Import even a data set with no node at all (emptying the database).
    pub allow_empty: bool,
    /// Remove nodes under open review if the import says so (their reviews stay, listed as
    /// orphaned); refused without it.
    pub allow_orphans: bool,
    /// A history directory (`export --history-dir`) to restore with the data.
    pub history_dir: Option<PathBuf>,
}

/// What an import changed in the data a database held.
#[derive(Debug, Clone, Default)]
pub struct Replaced {
    /// Nodes before.
    pub before: usize,
    /// Nodes after.
    pub after: usize,
    /// Nodes added.
    pub added: usize,
    /// Nodes whose fields changed (counted when merging).
    pub updated: Option<usize>,
    /// Ids of the nodes removed.
    pub removed: Vec<String>,
    /// Open reviews whose node was removed: (review, node).
    pub orphaned: Vec<(i64, String)>,
    /// Change events with open reviews whose changed node was removed: (event, node). The
    /// event stays on the record; its node's title can no longer be shown.
    pub causes_removed: Vec<(i64, String)>,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    /// The database written.
    pub db: PathBuf,
    /// What it holds now.
    pub summary: ImportSummary,
    /// With a recording: the change events recorded, each with the reviews it opened.
    pub events: Vec<RecordedChange>,
    /// How it merged into or replaced the data the database held (`None`: a new database).
    pub replaced: Option<Replaced>,
    /// Whether it merged.
    pub merged: bool,
    /// The history it restored from a document: (events, reviews, decisions).
    pub restored: Option<(usize, usize, usize)>,
}

/// The change events an import records: one per node whose content changed from `old`, and one
/// per edition that a `supersedes` link new in this import supersedes (a new edition published:
/// a change to the edition it replaces, though no field of that edition changed).
fn content_changes(
    old: &Graph,
    new: &Graph,
    recording: &Recording,
    sources: &[String],
) -> Vec<(NewEvent, Vec<NewReview>)> {
    let prints = new.catalog().fingerprints();
    let diff = regtrace_core::diff::diff(old, new);
    let event = |node: NodeIx, what: String| {
        let event = NewEvent {
            node: new.node(node).id.clone(),
            what,
            date: recording.date.to_string(),
            note: Some(format!(
                "recorded by `import --record-changes` of {}",
                sources.join(", ")
            )),
            by: recording.by.clone(),
        };
        (
            event,
            reviews_for(
                new,
                node,
                Some(recording.date),
                &review_kinds(new.catalog().review_kinds(), &recording.kinds),
            ),
        )
    };
    let mut events: Vec<(NewEvent, Vec<NewReview>)> = diff
        .changed
        .iter()
        .filter(|c| c.content_changed)
        .map(|c| {
            let kind = new.node(c.node).kind;
            let fields: Vec<&str> = c
                .fields
                .iter()
                .filter(|f| !f.whitespace_only && prints.counts(kind, &f.field))
                .map(|f| f.field.as_str())
                .collect();
            event(
                c.node,
                format!("content changed on import: {}", fields.join(", ")),
            )
        })
        .collect();
    let supersedes = new.catalog().lookup(regtrace_core::editions::SUPERSEDES).ok();
    let mut superseded = std::collections::BTreeSet::new();
    for &edge in &diff.edges_added {
        let link = new.link(edge);
        if Some(link.relation) == supersedes
            && new.node(link.from).kind == NodeKind::Standard
            && old.find(&new.node(link.to).id).is_some()
            && superseded.insert(link.to)
        {
            events.push(event(
                link.to,
                format!(
                    "new edition {} published (supersedes it; added by import)",
                    new.node(link.from).id
                ),
            ));
        }
    }
    events
}

/// Validates `paths` and stores them in the context's database: replacing its data set, or,
/// with [`ImportMode::Merge`], adding and updating nodes and links (validated together with what
/// is stored). With a recording, every content change against the data replaced becomes a
/// change event (in the same transaction). Nothing is written unless everything is valid. An
/// import with no node at all (a nodes CSV with only its header, a JSON document without
/// nodes), which would empty the database and orphan every review, is refused unless
/// `allow_empty`; a replacement that would remove nodes under open review is refused unless
/// `allow_orphans`. The data read to decide is the data replaced: if another
/// import comes in between, it is read again.
pub fn import(
    context: &Context,
    paths: &[PathBuf],
    recording: Option<&Recording>,
    options: ImportOptions,
) -> Result<Imported> {
    let Some(db) = &context.db else {
        return Err(AppError::request(
            "import needs a database to write",
            Some(
                "name one with --db FILE (or set REGTRACE_DB), e.g. `regtrace --db reg.db import data/`"
                    .into(),
            ),
        ));
    };
    crate::dataset::not_a_directory(db)?;
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
        return Err(AppError::request(
            format!(
                "cannot create the database {}: the directory {} does not exist",
                db.display(),
                parent.display()
            ),
            Some("create the directory first, or name a database in an existing one".into()),
        ));
    }
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let merge = options.mode == ImportMode::Merge;
    let from_dir = match &options.history_dir {
        Some(dir) => Some(regtrace_source::history_dir::read(dir)?),
        None => None,
    };
    // A replacement is the files alone: validated once, before the database is even opened.
    let alone = if merge {
        None
    } else {
        Some(context.validate_all(paths)?)
    };
    let mut attempts = 0;
    loop {
        let stored = stored_data(db, merge)?;
        let merged;
        let loaded = match (&alone, &stored) {
            (Some(loaded), _) => loaded,
            (None, Some(Stored { graph: Some(old), .. })) => {
                merged = regtrace_source::load_onto(paths, context.from, context.relation_catalog()?, old)?;
                &merged
            }
            (None, _) => {
                merged = context.validate_all(paths)?;
                &merged
            }
        };
        let graph = &loaded.graph;
        let history = match (&from_dir, &loaded.history) {
            (Some(_), Some(_)) => {
                return Err(AppError::request(
                    "both a history directory and a JSON document carry a history",
                    Some("restore one history at a time".into()),
                ));
            }
            (Some(h), None) | (None, Some(h)) => Some(h),
            (None, None) => None,
        };
        // The data set's own audit rules: those the files bring; a merge without any keeps the
        // stored ones.
        let rules = &loaded.audit_rules;
        let new_rules = (!merge || !rules.is_empty()).then_some(rules.as_slice());
        if graph.node_count() == 0 && !options.allow_empty {
            return Err(AppError::request(
                format!(
                    "{} hold no nodes; importing them would empty the database",
                    names.join(", ")
                ),
                Some(
                    "check that the files are the ones meant (a nodes.csv with only its header, a JSON \
                     document without \"nodes\"); add --allow-empty to empty the database on purpose"
                        .into(),
                ),
            ));
        }
        let replaced = stored.as_ref().map(|s| what_it_replaces(s, graph));
        if !options.allow_orphans
            && let Some(replaced) = &replaced
            && !replaced.orphaned.is_empty()
        {
            return Err(refused(replaced, merge));
        }
        // The comparison runs inside the import's write transaction, against the data it replaces.
        let since = recording.map(|r| {
            let names = &names;
            move |old: &Graph| content_changes(old, graph, r, names)
        });
        // A first import builds the file whole and links it into place (there is nothing to
        // compare against, so nothing to record either); otherwise one transaction replaces the
        // data, provided it is still the data read above.
        crate::progress::phase(|| {
            format!(
                "writing {} nodes and {} edges into {} (rows and query snapshot)",
                graph.node_count(),
                graph.edge_count(),
                db.display()
            )
        });
        let written = match &stored {
            None => match Store::create(db, graph, &names, rules, history)? {
                Some(summary) => Ok((summary, Vec::new())),
                // A database appeared meanwhile: read it.
                None => Err(StoreError::DataChanged(db.clone())),
            },
            Some(stored) => Store::open_for_writing(db)?.import_recording(
                graph,
                &names,
                regtrace_store::ImportWith {
                    changes: since.as_ref().map(|f| f as regtrace_store::ChangesSince<'_>),
                    basis: regtrace_store::Basis::Version(stored.version.as_deref()),
                    audit_rules: new_rules,
                    history,
                },
            ),
        };
        match written {
            Err(StoreError::DataChanged(_)) if attempts < RETRIES => attempts += 1,
            written => {
                let (summary, events) = written?;
                return Ok(Imported {
                    db: db.clone(),
                    summary,
                    events,
                    replaced,
                    merged: merge,
                    restored: history.map(|h| {
                        (
                            h.events.len(),
                            h.reviews.len(),
                            h.reviews.iter().map(|r| r.decisions.len()).sum(),
                        )
                    }),
                });
            }
        }
    }
}

/// The data a database holds, as an import finds it: the whole graph when merging, else only the
/// ids (enough to tell what a replacement removes).
struct Stored {
    graph: Option<Graph>,
    ids: Vec<String>,
    version: Option<String>,
    open_reviews: Vec<Review>,
    /// Change events that still have an open review: (event, changed node).
    open_events: Vec<(i64, String)>,
}

/// What `db` holds, or `None` when there is no database there yet.
fn stored_data(db: &std::path::Path, whole: bool) -> Result<Option<Stored>> {
    if std::fs::symlink_metadata(db).is_err() {
        return Ok(None);
    }
    let store = Store::open(db)?;
    let (graph, ids, version) = if whole {
        // From the snapshot when it is sound (a million nodes in a fraction of the rows' time),
        // else from the rows, validated.
        let sound = match crate::dataset::examine_snapshot(&store)? {
            crate::dataset::Examined::Sound(s) => Some(s),
            _ => None,
        };
        let (graph, version) = crate::dataset::whole_graph(&store, sound.as_ref())?;
        (Some(graph), Vec::new(), version)
    } else {
        let (ids, version) = store.node_ids()?;
        (None, ids, version)
    };
    let open_reviews: Vec<Review> = store
        .reviews()?
        .into_iter()
        .filter(|r| r.decision.is_none())
        .collect();
    let open: std::collections::HashSet<i64> = open_reviews.iter().map(|r| r.event).collect();
    let open_events = store
        .events()?
        .into_iter()
        .filter(|e| open.contains(&e.id))
        .map(|e| (e.id, e.node))
        .collect();
    Ok(Some(Stored {
        graph,
        ids,
        version,
        open_reviews,
        open_events,
    }))
}

/// What replacing `stored` by `new` adds, updates and removes, and which open reviews it orphans.
fn what_it_replaces(stored: &Stored, new: &Graph) -> Replaced {
    let (before, added, updated, removed) = match &stored.graph {
        Some(old) => {
            let diff = regtrace_core::diff::diff_nodes(old, new);
            let removed = diff.removed.iter().map(|n| old.node(*n).id.clone()).collect();
            (
                old.node_count(),
                diff.added.len(),
                Some(diff.changed.len()),
                removed,
            )
        }
        None => {
            let removed: Vec<String> = stored
                .ids
                .iter()
                .filter(|id| new.find(id).is_none())
                .cloned()
                .collect();
            let kept = stored.ids.len() - removed.len();
            (stored.ids.len(), new.node_count() - kept, None, removed)
        }
    };
    let gone: std::collections::HashSet<&str> = removed.iter().map(String::as_str).collect();
    Replaced {
        before,
        after: new.node_count(),
        added,
        updated,
        orphaned: stored
            .open_reviews
            .iter()
            .filter(|r| gone.contains(r.node.as_str()))
            .map(|r| (r.id, r.node.clone()))
            .collect(),
        causes_removed: stored
            .open_events
            .iter()
            .filter(|(_, node)| gone.contains(node.as_str()))
            .cloned()
            .collect(),
        removed,
    }
}

/// The refusal of a replacement that would orphan open reviews.
fn refused(replaced: &Replaced, merge: bool) -> AppError {
    const NAMED: usize = 5;
    let mut named: Vec<String> = replaced
        .orphaned
        .iter()
        .take(NAMED)
        .map(|(review, node)| format!("#{review} of {node}"))
        .collect();
    if replaced.orphaned.len() > NAMED {
        named.push(format!("{} more", replaced.orphaned.len() - NAMED));
    }
    if merge {
        return AppError::request(
            format!(
                "this merge would remove {} stored node(s) marked deleted and leave {} open review(s) without their node ({}); nothing was written",
                replaced.removed.len(),
                replaced.orphaned.len(),
                named.join(", ")
            ),
            Some(
                "close those reviews first, or add --replace to remove the nodes anyway (the open reviews stay, listed as orphaned)"
                    .into(),
            ),
        );
    }
    AppError::request(
        format!(
            "this import would replace {} stored nodes with {}, removing {}, and leave {} open review(s) without their node ({}); nothing was written",
            replaced.before,
            replaced.after,
            replaced.removed.len(),
            replaced.orphaned.len(),
            named.join(", ")
        ),
        Some(
            "a plain import replaces the whole data set with the files: add --merge to add and update \
             only, or --replace to replace it anyway (the open reviews stay, listed as orphaned)"
                .into(),
        ),
    )
}

/// A change to record.
#[derive(Debug, Clone)]
pub struct ChangeRequest {
    /// The node that changed.
    pub id: String,
    /// What happened, in words.
    pub what: String,
    /// When it took effect.
    pub date: chrono::NaiveDate,
    /// A free note.
    pub note: Option<String>,
    /// Who records it.
    pub by: Option<String>,
    /// Open reviews for nodes of these kinds.
    pub kinds: Vec<NodeKind>,
}

/// One change event recorded, with what it opened and left out.
#[derive(Debug, Clone)]
pub struct RecordedOn {
    /// The event.
    pub event: ChangeEvent,
    /// The reviews it opened, and what it left out.
    pub plan: Plan,
}

/// What `record_change` did.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The node named in the request.
    pub asked: String,
    /// The events recorded: one on the node asked, or, for a new edition, one on each edition
    /// it supersedes.
    pub changes: Vec<RecordedOn>,
    /// The node asked is a new edition, and the change was recorded on what it supersedes.
    pub new_edition: bool,
    /// When no review was opened: why, and what to try.
    pub why_none: Option<String>,
}

/// Records a change and opens a review for every node of the asked kinds its impact reaches as
/// of the change's date (see [`plan`]).
///
/// A new edition is a change to the editions it supersedes: when nothing of the asked kinds rests
/// on the node named yet, and it `supersedes` editions that things do rest on, the change
/// ("new edition … published") is recorded on each of those, with the crosswalk's verdicts. A
/// change that opens no review says why.
///
/// Computed from the data as read and written only if that is still the data: when another
/// process imported in between, it reads again (a few times). All events are written in one
/// transaction.
pub fn record_change(context: &Context, request: &ChangeRequest) -> Result<Recorded> {
    let mut attempts = 0;
    loop {
        let mut data = context.open_history()?;
        // From the snapshot when it is current: planning a change to a million-node graph reads
        // only what the change reaches, instead of loading every record first.
        let (planned, version) = match data.compact() {
            Some(compact) => {
                let kinds = compact.review_kinds().map_err(|bad| {
                    AppError::request(
                        bad.to_string(),
                        Some("`regtrace verify --repair` rewrites it".into()),
                    )
                })?;
                (planned(&compact, &kinds, request)?, data.snapshot_version())
            }
            None => {
                let graph = data.graph()?;
                let planned = planned(graph, graph.catalog().review_kinds(), request)?;
                (planned, data.version()?.map(str::to_owned))
            }
        };
        crate::progress::phase(|| {
            let reviews: usize = planned.changes.iter().map(|(_, r)| r.len()).sum();
            format!("recording the change and {reviews} reviews")
        });
        match data
            .store_mut()?
            .record_changes(&planned.changes, version.as_deref())
        {
            Err(StoreError::DataChanged(_)) if attempts < RETRIES => attempts += 1,
            recorded => {
                return Ok(Recorded {
                    asked: planned.asked,
                    changes: recorded?
                        .into_iter()
                        .zip(planned.targets)
                        .map(|(event, (_, plan))| RecordedOn { event, plan })
                        .collect(),
                    new_edition: planned.new_edition,
                    why_none: planned.why_none,
                });
            }
        }
    }
}

/// What a change will write, computed from the data as read.
struct Planned {
    asked: String,
    changes: Vec<(NewEvent, Vec<NewReview>)>,
    targets: Vec<(NodeIx, Plan)>,
    new_edition: bool,
    why_none: Option<String>,
}

/// Plans `request` on any view of the data: the events and the reviews each opens (a new
/// edition's on what it supersedes, when nothing rests on it directly), or why none.
fn planned<G: GraphView>(graph: &G, catalog_kinds: &[NodeKind], request: &ChangeRequest) -> Result<Planned> {
    let asked = resolve(graph, &request.id)?;
    crate::progress::phase(|| format!("finding what rests on {}", request.id));
    let day = Some(request.date);
    let kinds = review_kinds(catalog_kinds, &request.kinds);
    let own = plan(graph, asked, day, &kinds);
    let superseded = superseded_by(graph, asked);
    let older: Vec<(NodeIx, Plan)> = if own.reviews.is_empty() {
        superseded
            .iter()
            .map(|&old| (old, plan(graph, old, day, &kinds)))
            .collect()
    } else {
        Vec::new()
    };
    let new_edition = older.iter().any(|(_, p)| !p.reviews.is_empty());
    let targets = if new_edition { older } else { vec![(asked, own)] };
    let asked_id = graph.id(asked).to_owned();
    let changes: Vec<(NewEvent, Vec<NewReview>)> = targets
        .iter()
        .map(|(node, plan)| {
            let event = NewEvent {
                node: graph.id(*node).to_owned(),
                what: if new_edition {
                    format!("{} (new edition {asked_id} supersedes it)", request.what)
                } else {
                    request.what.clone()
                },
                date: request.date.to_string(),
                note: request.note.clone(),
                by: request.by.clone(),
            };
            (event, plan.reviews.clone())
        })
        .collect();
    let why_none = targets
        .iter()
        .all(|(_, p)| p.reviews.is_empty())
        .then(|| why_no_review(graph, asked, &superseded, request, &kinds, &targets[0].1));
    Ok(Planned {
        asked: asked_id,
        changes,
        targets,
        new_edition,
        why_none,
    })
}

/// The editions `node` supersedes (none unless it is a standard edition).
fn superseded_by<G: GraphView>(graph: &G, node: NodeIx) -> Vec<NodeIx> {
    if graph.kind(node) != NodeKind::Standard {
        return Vec::new();
    }
    let Some(supersedes) = graph.relation_named(regtrace_core::editions::SUPERSEDES) else {
        return Vec::new();
    };
    graph
        .out_links(node)
        .filter(|(_, ends)| ends.relation == supersedes)
        .map(|(_, ends)| ends.to)
        .collect()
}

/// Why a change to `asked` opened no review, and what to try.
fn why_no_review<G: GraphView>(
    graph: &G,
    asked: NodeIx,
    superseded: &[NodeIx],
    request: &ChangeRequest,
    kinds: &[NodeKind],
    plan: &Plan,
) -> String {
    let id = graph.id(asked);
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let mut why = if !plan.other_kinds.is_empty() {
        let others: Vec<String> = plan
            .other_kinds
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        format!(
            "what rests on {id} is of other kinds than those reviewed ({}): {}; add --kind KIND to review them",
            kinds.join(", "),
            others.join(", ")
        )
    } else if !plan.skipped.is_empty() {
        format!(
            "everything that rests on {id} was no longer in force on {}",
            request.date
        )
    } else {
        format!("nothing rests on {id} (no relation that carries a change leads from it)")
    };
    if let Some(out) = regtrace_core::query::out_of_force(graph, asked, request.date) {
        why.push_str(&format!(
            "; {id} itself is {} on {}",
            out.describe(graph),
            request.date
        ));
    }
    if !superseded.is_empty() {
        let older: Vec<&str> = superseded.iter().map(|n| graph.id(*n)).collect();
        why.push_str(&format!(
            "; it supersedes {}, on which nothing of those kinds rests either",
            older.join(", ")
        ));
    } else if let Some(newer) = graph
        .in_links(asked)
        .find(|(_, ends)| graph.relation_name(ends.relation) == regtrace_core::editions::SUPERSEDES)
        .map(|(_, ends)| ends.from)
    {
        why.push_str(&format!(
            "; {} supersedes it: record a change to {id} itself (e.g. its withdrawal) only if that is what happened",
            graph.id(newer)
        ));
    }
    why
}

/// The database's kept history as files, one per change event (see
/// [`regtrace_source::history_dir`]): (file name, text).
pub fn history_files(data: &DataSet) -> Result<Vec<(String, String)>> {
    Ok(regtrace_source::history_dir::files(&data.store()?.history()?))
}

/// Every recorded change event, oldest first.
pub fn events(data: &DataSet) -> Result<Vec<ChangeEvent>> {
    Ok(data.store()?.events()?)
}

/// Which reviews to list.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    /// Only open (`Some(true)`) or only closed (`Some(false)`) ones.
    pub open: Option<bool>,
    /// Only those opened by this change event.
    pub cause: Option<i64>,
    /// Only full reviews (`Some(false)`) or only probably-unaffected ones (`Some(true)`).
    pub probably_unaffected: Option<bool>,
    /// Only those of this node.
    pub node: Option<String>,
    /// Only those of nodes of these kinds (empty: any; a node that has left the data has none).
    pub kinds: Vec<NodeKind>,
}

impl ReviewFilter {
    fn keeps<G: GraphView>(&self, graph: &G, r: &Review) -> bool {
        self.open.is_none_or(|open| open == r.decision.is_none())
            && self.cause.is_none_or(|c| r.event == c)
            && self
                .probably_unaffected
                .is_none_or(|light| light == r.probably_unaffected.is_some())
            && self.node.as_deref().is_none_or(|id| r.node == id)
            && of_kinds(graph, &r.node, &self.kinds)
    }
}

/// Whether node `id` is of one of `kinds` (any node when `kinds` is empty; a node that has left
/// the data is of none).
fn of_kinds<G: GraphView>(graph: &G, id: &str, kinds: &[NodeKind]) -> bool {
    kinds.is_empty() || graph.find(id).is_some_and(|n| kinds.contains(&graph.kind(n)))
}

/// Reviews, each with its node as the current data has it and its reason chain.
#[derive(Debug, Clone)]
pub struct Reviews {
    /// The reviews kept by the filter, oldest first.
    pub reviews: Vec<Review>,
    /// Each review's node (by position), `None` when it has left the data (orphaned).
    pub nodes: Vec<Option<crate::nodes::Titled>>,
    /// Each review's reason chain (by position), in the reason-chain notation.
    pub chains: Vec<regtrace_core::Chain>,
}

/// The reviews the filter keeps: their nodes' kinds and titles read from the snapshot when it
/// is current, else from the graph.
pub fn reviews(data: &DataSet, filter: &ReviewFilter) -> Result<Reviews> {
    match data.compact() {
        Some(view) => reviews_listed(data, &view, filter),
        None => reviews_listed(data, data.graph()?, filter),
    }
}

fn reviews_listed<G: GraphView>(data: &DataSet, graph: &G, filter: &ReviewFilter) -> Result<Reviews> {
    let reviews: Vec<Review> = data
        .store()?
        .reviews()?
        .into_iter()
        .filter(|r| filter.keeps(graph, r))
        .collect();
    let nodes = reviews
        .iter()
        .map(|r| graph.find(&r.node).map(|n| crate::nodes::Titled::of(graph, n)))
        .collect();
    let chains = reviews.iter().map(|r| review_chain(graph, r)).collect();
    Ok(Reviews {
        reviews,
        nodes,
        chains,
    })
}

/// A decision on reviews: of a node, or (closing) of every open review a selection names.
#[derive(Debug, Clone)]
pub struct DecisionRequest {
    /// The reviewed node; `None` to close every open review the filters below select (which
    /// must include `event`).
    pub id: Option<String>,
    /// Only the reviews opened by this change event.
    pub event: Option<i64>,
    /// Only probably-unaffected reviews (`Some(true)`) or only full ones (`Some(false)`).
    pub probably_unaffected: Option<bool>,
    /// Only reviews of nodes of these kinds (empty: any).
    pub kinds: Vec<NodeKind>,
    /// What the review found.
    pub outcome: Outcome,
    /// The day it was decided (default: the day it is recorded).
    pub on: Option<chrono::NaiveDate>,
    /// Who decides.
    pub by: String,
    /// With `revised`: the node that replaces the reviewed one.
    pub replaced_by: Option<String>,
    /// A free note (required to correct).
    pub note: Option<String>,
}

impl DecisionRequest {
    /// The reviews this decision is about: of its node if it names one, of its event if it
    /// names one, with its verdict and of its kinds if it names them.
    fn reviews(&self, data: &DataSet) -> Result<Vec<Review>> {
        // The kinds of the reviewed nodes, from the snapshot read in place when it is current:
        // loading the whole graph to close an event's reviews cost half a gigabyte at a
        // million nodes. Without a current snapshot the rows are loaded (and so validated
        // again), as for every command.
        match data.compact() {
            Some(view) => self.reviews_in(data, &view),
            None => self.reviews_in(data, data.graph()?),
        }
    }

    /// [`DecisionRequest::reviews`], the reviewed nodes' kinds read from `view`.
    fn reviews_in<G: GraphView>(&self, data: &DataSet, view: &G) -> Result<Vec<Review>> {
        Ok(data
            .store()?
            .reviews()?
            .into_iter()
            .filter(|r| {
                self.id.as_deref().is_none_or(|id| r.node == id)
                    && self.event.is_none_or(|e| r.event == e)
                    && self
                        .probably_unaffected
                        .is_none_or(|light| light == r.probably_unaffected.is_some())
                    && of_kinds(view, &r.node, &self.kinds)
            })
            .collect())
    }

    /// What the decision is about, in words: `gl-x`, or `event #3`.
    pub fn subject(&self) -> String {
        match (&self.id, self.event) {
            (Some(id), _) => id.clone(),
            (None, Some(event)) => format!("event #{event}"),
            (None, None) => "every review".into(),
        }
    }
}

/// The decision, checked against the data.
fn new_decision(data: &DataSet, request: &DecisionRequest) -> Result<NewDecision> {
    if let Some(new) = &request.replaced_by {
        // Looked up in the snapshot when it is current, not in the whole graph loaded.
        match data.compact() {
            Some(view) => resolve(&view, new)?,
            None => resolve(data.graph()?, new)?,
        };
        if request.outcome != Outcome::Revised {
            return Err(AppError::request(
                "--replaced-by goes with --outcome revised",
                Some("a review that found nothing to change has no replacement".into()),
            ));
        }
    }
    if let Some(day) = request.on
        && day > crate::parse::today()
    {
        return Err(AppError::request(
            format!("--date {day} is in the future"),
            Some("give the day the decision was taken (YYYY-MM-DD)".into()),
        ));
    }
    Ok(NewDecision {
        outcome: request.outcome,
        on: request.on.map(|d| d.to_string()),
        replaced_by: request.replaced_by.clone(),
        by: request.by.clone(),
        note: request.note.clone(),
    })
}

/// Closes the open reviews the request selects (of a node, of an event, …); returns their
/// numbers. Closing without naming a node needs an event, so no slip closes every review.
pub fn close(context: &Context, request: &DecisionRequest) -> Result<Vec<i64>> {
    if request.id.is_none() && request.event.is_none() {
        return Err(AppError::request(
            "name the node whose reviews to close, or the change event (--event N) whose open reviews to close",
            Some("`regtrace review list --open` lists the open reviews with their events".into()),
        ));
    }
    let mut data = context.open_history()?;
    let decision = new_decision(&data, request)?;
    let mine = request.reviews(&data)?;
    let mut mine = mine;
    for _ in 0..RETRIES {
        let open: Vec<i64> = mine
            .iter()
            .filter(|r| r.decision.is_none())
            .map(|r| r.id)
            .collect();
        if open.is_empty() {
            return Err(nothing_open(&request.subject(), &mine));
        }
        match data.store_mut()?.close_reviews(&open, &decision) {
            Ok(()) => return Ok(open),
            // Another process closed one of them between the read and the write: read again,
            // and close what is still open (or answer as if it had been closed before).
            Err(StoreError::AlreadyClosed(_)) => {
                mine = request.reviews(&data)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(nothing_open(&request.subject(), &mine))
}

/// The error of closing a node whose reviews are all closed: who closed the last one, when.
fn nothing_open(id: &str, mine: &[Review]) -> AppError {
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
    AppError::request(format!("{id} has no open review"), Some(hint))
}

/// A corrected decision: the review, and its outcome before.
#[derive(Debug, Clone)]
pub struct Corrected {
    /// The review corrected.
    pub review: i64,
    /// The outcome it had.
    pub was: Outcome,
    /// The outcome it has now.
    pub now: Outcome,
}

/// Corrects the decision of the node's one closed review (of one event, if given).
pub fn correct(context: &Context, request: &DecisionRequest) -> Result<Corrected> {
    let Some(id) = &request.id else {
        return Err(AppError::request(
            "name the node whose decision to correct",
            Some("corrections are made one review at a time".into()),
        ));
    };
    let mut data = context.open_history()?;
    let decision = new_decision(&data, request)?;
    let closed: Vec<Review> = request
        .reviews(&data)?
        .into_iter()
        .filter(|r| r.decision.is_some())
        .collect();
    let review = match closed.as_slice() {
        [one] => one,
        [] => {
            return Err(AppError::request(
                format!("{id} has no closed review to correct"),
                Some(
                    "close an open review with `regtrace review close`; `regtrace review list` lists them"
                        .into(),
                ),
            ));
        }
        several => {
            let events: Vec<String> = several.iter().map(|r| format!("#{}", r.event)).collect();
            return Err(AppError::request(
                format!(
                    "{id} has {} closed reviews (from change events {})",
                    several.len(),
                    events.join(", ")
                ),
                Some("say which with --event EVENT".into()),
            ));
        }
    };
    data.store_mut()?.correct_decision(review.id, &decision)?;
    Ok(Corrected {
        review: review.id,
        was: review.decision.as_ref().map_or(Outcome::Unchanged, |d| d.outcome),
        now: decision.outcome,
    })
}

/// A review's reason, from the reviewed node back to the change, in the chain notation; the
/// stored direction of each hop comes from the catalog in force.
pub fn review_chain<G: GraphView>(graph: &G, review: &Review) -> regtrace_core::Chain {
    regtrace_core::Chain::of_ids(
        &review.path,
        &review.relations,
        regtrace_core::Direction::Impact,
        |name| graph.relation_named(name).map(|r| graph.relation_impact(r)),
    )
}

/// The store's reviews as an audit ledger (empty for a data set without history): each open
/// review's cause in words, in the reason-chain notation.
pub fn ledger(data: &DataSet, graph: &Graph) -> Result<ReviewLedger> {
    let mut ledger = ReviewLedger::default();
    let Ok(store) = data.store() else {
        return Ok(ledger);
    };
    for review in store.reviews()? {
        if let Some(node) = graph.find(&review.node) {
            let cause = review.decision.is_none().then(|| {
                format!(
                    "#{} from change #{}: {}",
                    review.id,
                    review.event,
                    review_chain(graph, &review)
                )
            });
            ledger.add(node, cause);
        }
    }
    Ok(ledger)
}
