//! Imports: replacing or merging a data set, recording its content changes as change events.

use std::path::PathBuf;

use regtrace_core::{Graph, NodeIx, NodeKind};
use regtrace_store::{ImportSummary, NewEvent, NewReview, RecordedChange, Review, Store, StoreError};

use super::{RETRIES, review_kinds, reviews_for};
use crate::dataset::Context;
use crate::error::{AppError, Result};

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
    /// Stored nodes a merge marked as no longer current, a newer node of the files replacing
    /// them: (older id, newer id, the older one's status now).
    pub superseded: Vec<(String, String, regtrace_core::Status)>,
}

/// The change events an import records: one per node whose content changed from `old`, and one
/// per edition that a `supersedes` link new in this import supersedes (a new edition published:
/// a change to the edition it replaces, though no field of that edition changed).
fn content_changes(
    old: &Graph,
    new: &Graph,
    recording: &Recording,
    sources: &[String],
    superseded_now: &[(String, String, regtrace_core::Status)],
) -> Vec<(NewEvent, Vec<NewReview>)> {
    // A status the merge itself set (a newer edition replacing a stored one) is part of the new
    // edition's event, not a change of its own.
    let set_by_merge = |node: NodeIx| {
        superseded_now
            .iter()
            .find(|(old, _, _)| *old == new.node(node).id)
    };
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
        .filter(|c| {
            set_by_merge(c.node).is_none()
                || c.fields.iter().any(|f| !f.whitespace_only && f.field != "status")
        })
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
            let status = set_by_merge(link.to)
                .map(|(_, _, status)| format!("; its status set to {status}"))
                .unwrap_or_default();
            events.push(event(
                link.to,
                format!(
                    "new edition {} published (supersedes it; added by import{status})",
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
        crate::audit::check_rules_files(rules, graph)?;
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
            let superseded = &loaded.superseded;
            move |old: &Graph| content_changes(old, graph, r, names, superseded)
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
                    superseded: loaded.superseded.clone(),
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
