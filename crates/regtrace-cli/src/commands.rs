//! One function per command: gather input, call the libraries, hand the answer to `output`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regtrace_core::{Graph, NodeKind, Status};
use regtrace_store::{NewEvent, NewReview, Store};
use serde::Serialize;

use crate::error::CliError;
use crate::output::{self, Format, RelationView, View};

/// Where the data set comes from: a database, or the built-in seed.
pub struct DataSource {
    /// `--db` / `REGTRACE_DB`.
    pub db: Option<PathBuf>,
    /// `--catalog` / `REGTRACE_CATALOG`.
    pub catalog: Option<PathBuf>,
}

impl DataSource {
    /// The catalog named by `--catalog`, if any.
    pub(crate) fn catalog(&self) -> Result<Option<regtrace_core::RelationCatalog>, CliError> {
        self.catalog
            .as_deref()
            .map(regtrace_source::load_catalog)
            .transpose()
            .map_err(CliError::Invalid)
    }

    /// The graph to query: the database's if one is named (rebuilt from its snapshot when that
    /// is current, else loaded from the rows), else the embedded seed.
    pub(crate) fn graph(&self) -> Result<Graph, CliError> {
        match &self.db {
            Some(path) => {
                let store = Store::open(path)?;
                let from_snapshot = store
                    .snapshot()?
                    .and_then(|s| s.graph().and_then(|c| c.to_graph()).ok());
                match from_snapshot {
                    Some(graph) => Ok(graph),
                    None => Ok(store.load()?),
                }
            }
            None => {
                let catalog = self.catalog()?.unwrap_or_else(regtrace_source::embedded::catalog);
                regtrace_source::load_texts(regtrace_source::embedded::SEED, Some(catalog))
                    .map_err(CliError::Invalid)
            }
        }
    }

    /// The database's compact snapshot, when a database is named and its snapshot belongs to
    /// its current data; `None` otherwise (the caller then uses [`DataSource::graph`]).
    pub(crate) fn snapshot(&self) -> Result<Option<regtrace_store::snapshot::Snapshot>, CliError> {
        match &self.db {
            Some(path) => Ok(Store::open(path)?.snapshot()?),
            None => Ok(None),
        }
    }

    /// With a database, the state of its snapshot: `current`, `missing`, or `not current`
    /// (left by another import, or damaged).
    pub(crate) fn snapshot_state(&self) -> Result<Option<&'static str>, CliError> {
        let Some(db) = &self.db else {
            return Ok(None);
        };
        let state = match self.snapshot()? {
            Some(snapshot) if snapshot.graph().is_ok() => "current",
            _ if regtrace_store::snapshot::path_for(db).exists() => "not current",
            _ => "missing",
        };
        Ok(Some(state))
    }

    /// A human name for the source, for summaries.
    fn describe(&self) -> String {
        match &self.db {
            Some(path) => path.display().to_string(),
            None => "built-in seed data (METI/AIST 2013)".into(),
        }
    }

    fn validate(&self, paths: &[PathBuf]) -> Result<Graph, CliError> {
        regtrace_source::load(paths, self.catalog()?).map_err(CliError::Invalid)
    }
}

/// `regtrace check`.
pub fn check(source: &DataSource, paths: &[PathBuf]) -> Result<(), CliError> {
    let graph = source.validate(paths)?;
    output::print(&format!(
        "ok: {} nodes, {} edges, {} relations in the catalog; nothing written\n",
        graph.node_count(),
        graph.edge_count(),
        graph.catalog().relations().len()
    ));
    Ok(())
}

/// Options of `import` that turn content changes into change events.
#[derive(Debug, Clone, clap::Args)]
pub struct RecordArgs {
    /// Record a change event for every node whose content changed since the data in the
    /// database, opening reviews of what each change impacts (as `change record` does).
    #[arg(long)]
    pub record_changes: bool,
    /// With --record-changes: when the changes took effect (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", requires = "record_changes")]
    pub date: Option<String>,
    /// With --record-changes: who records them.
    #[arg(long, value_name = "NAME", requires = "record_changes")]
    pub by: Option<String>,
    /// With --record-changes: open reviews for nodes of these kinds (repeatable; default:
    /// guideline and evaluation_index).
    #[arg(long, value_name = "KIND", requires = "record_changes")]
    pub kind: Vec<String>,
}

/// What `import --record-changes` records, its arguments checked.
struct ChangeRecording<'a> {
    kinds: Vec<NodeKind>,
    day: chrono::NaiveDate,
    by: Option<String>,
    sources: &'a [String],
}

impl<'a> ChangeRecording<'a> {
    fn new(record: &RecordArgs, sources: &'a [String]) -> Result<Self, CliError> {
        let kinds: Vec<NodeKind> = if record.kind.is_empty() {
            vec![NodeKind::Guideline, NodeKind::EvaluationIndex]
        } else {
            parse_words(&record.kind)?
        };
        let day = match parse_as_of(record.date.as_deref())? {
            Some(day) => day,
            None => chrono::Local::now().date_naive(),
        };
        Ok(ChangeRecording {
            kinds,
            day,
            by: record.by.clone(),
            sources,
        })
    }
}

/// The change events an import records: one per node whose content changed from `old`.
fn content_changes(old: &Graph, new: &Graph, recording: &ChangeRecording) -> Vec<(NewEvent, Vec<NewReview>)> {
    let ChangeRecording {
        kinds,
        day,
        by,
        sources,
    } = recording;
    let day = *day;
    let prints = new.catalog().fingerprints();
    regtrace_core::diff::diff(old, new)
        .changed
        .iter()
        .filter(|c| c.content_changed)
        .map(|c| {
            let node = new.node(c.node);
            let fields: Vec<&str> = c
                .fields
                .iter()
                .filter(|f| !f.whitespace_only && prints.counts(node.kind, &f.field))
                .map(|f| f.field.as_str())
                .collect();
            let event = NewEvent {
                node: node.id.clone(),
                what: format!("content changed on import: {}", fields.join(", ")),
                date: day.to_string(),
                note: Some(format!(
                    "recorded by `import --record-changes` of {}",
                    sources.join(", ")
                )),
                by: by.clone(),
            };
            (event, crate::review::reviews_for(new, c.node, Some(day), kinds))
        })
        .collect()
}

/// `regtrace import`.
pub fn import(source: &DataSource, paths: &[PathBuf], record: &RecordArgs) -> Result<(), CliError> {
    let Some(db) = &source.db else {
        return Err(CliError::request(
            "import needs a database to write",
            Some(
                "name one with --db FILE (or set REGTRACE_DB), e.g. `regtrace --db reg.db import data/`"
                    .into(),
            ),
        ));
    };
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
        return Err(CliError::request(
            format!(
                "cannot create the database {}: the directory {} does not exist",
                db.display(),
                parent.display()
            ),
            Some("create the directory first, or name a database in an existing one".into()),
        ));
    }
    // Validate everything before the database is even opened: a failed import leaves it untouched.
    let graph = source.validate(paths)?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let recording = record
        .record_changes
        .then(|| ChangeRecording::new(record, &names))
        .transpose()?;
    // The comparison runs inside the import's write transaction, against the data it replaces.
    let new = &graph;
    let since = recording
        .as_ref()
        .map(|r| move |old: &Graph| content_changes(old, new, r));
    // A first import builds the file whole and links it into place (there is nothing to
    // compare against, so nothing to record either); otherwise one transaction replaces the data.
    let (summary, events) = match Store::create(db, &graph, &names)? {
        Some(summary) => (summary, Vec::new()),
        None => Store::open_for_writing(db)?.import_recording(
            &graph,
            &names,
            since.as_ref().map(|f| f as regtrace_store::ChangesSince<'_>),
        )?,
    };
    let mut text = format!(
        "imported {} nodes, {} edges, {} relations into {}\n",
        summary.nodes,
        summary.edges,
        summary.relations,
        db.display()
    );
    for (event, reviews) in &events {
        text.push_str(&format!(
            "recorded change #{} on {} ({}): {}; opened {} review(s){}\n",
            event.id,
            event.node,
            event.date,
            event.what,
            reviews.len(),
            crate::review::verdict_summary(reviews)
        ));
    }
    if record.record_changes && events.is_empty() {
        text.push_str("no content changes to record\n");
    }
    output::print(&text);
    Ok(())
}

/// `regtrace show`.
pub fn show(source: &DataSource, id: &str, view: &View) -> Result<(), CliError> {
    let graph = source.graph()?;
    let ix = resolve(&graph, id)?;
    let node = graph.node(ix);
    let outgoing: Vec<RelationView> = graph
        .outgoing(ix)
        .map(|(_, l)| RelationView::new(&graph, l, l.to))
        .collect();
    let incoming: Vec<RelationView> = graph
        .incoming(ix)
        .map(|(_, l)| RelationView::new(&graph, l, l.from))
        .collect();

    let text = match view.format {
        Format::Json => {
            #[derive(Serialize)]
            struct ShowJson<'g> {
                node: &'g regtrace_core::Node,
                outgoing: Vec<RelationView<'g>>,
                incoming: Vec<RelationView<'g>>,
            }
            output::json_text(&ShowJson {
                node,
                outgoing,
                incoming,
            })
        }
        Format::Csv => {
            let rows = outgoing
                .iter()
                .map(|r| ("outgoing", r))
                .chain(incoming.iter().map(|r| ("incoming", r)))
                .map(|(direction, r)| {
                    vec![
                        direction.to_owned(),
                        r.relation.to_owned(),
                        r.id.to_owned(),
                        r.kind.to_owned(),
                        r.title.to_owned(),
                        r.title_ja.unwrap_or_default().to_owned(),
                    ]
                });
            output::csv_text(
                &["direction", "relation", "id", "kind", "title", "title_ja"],
                rows,
            )
        }
        Format::Table => {
            let mut fields = output::table(&["field", "value"]);
            fields.add_row(vec!["id", &node.id]);
            fields.add_row(vec!["kind", node.kind.as_str()]);
            fields.add_row(vec!["title", &node.title]);
            fields.add_row(vec!["title_ja", node.title_ja.as_deref().unwrap_or("—")]);
            fields.add_row(vec!["status", node.status.map_or("—", |s| s.as_str())]);
            for (name, value) in [
                ("designation", &node.designation),
                ("edition", &node.edition),
                ("body", &node.body),
            ] {
                if let Some(value) = value {
                    fields.add_row(vec![name, value]);
                }
            }
            for (name, date) in node.dates.iter() {
                fields.add_row(vec![name.to_owned(), date.to_string()]);
            }
            if let Some(source) = &node.source {
                fields.add_row(vec!["source", source]);
            }
            for (key, value) in &node.attributes {
                fields.add_row(vec![format!("· {key}"), value.clone()]);
            }
            let mut text = output::render_table(&fields);
            let lang = view.lang();
            for (heading, arrow, relations) in [("outgoing", "→", &outgoing), ("incoming", "←", &incoming)]
            {
                text.push_str(&format!("\n{} relations ({}):\n", heading, relations.len()));
                if relations.is_empty() {
                    continue;
                }
                let mut table = output::table(&["relation", "", "id", "kind", "title"]);
                for r in relations.iter() {
                    let title = if lang == regtrace_core::Lang::Ja {
                        r.title_ja.unwrap_or(r.title)
                    } else {
                        r.title
                    };
                    table.add_row(vec![r.relation, arrow, r.id, r.kind, title]);
                }
                text.push_str(&output::render_table(&table));
            }
            text
        }
    };
    output::print(&text);
    Ok(())
}

/// The node with this id, or a request error naming it with a "did you mean".
pub(crate) fn resolve<G: regtrace_core::GraphView>(
    graph: &G,
    id: &str,
) -> Result<regtrace_core::NodeIx, CliError> {
    graph.resolve(id).map_err(|unknown| {
        CliError::request(
            format!("no node has the id {:?}", unknown.id),
            Some(match unknown.suggestion {
                Some(s) => format!("did you mean {s:?}?"),
                None => "ids are case-sensitive; `regtrace search TEXT` finds nodes by id or title".into(),
            }),
        )
    })
}

/// Resolves several ids, failing on the first unknown one.
pub(crate) fn resolve_all<G: regtrace_core::GraphView>(
    graph: &G,
    ids: &[String],
) -> Result<Vec<regtrace_core::NodeIx>, CliError> {
    ids.iter().map(|id| resolve(graph, id)).collect()
}

/// Parses an `--as-of` date.
pub(crate) fn parse_as_of(date: Option<&str>) -> Result<Option<chrono::NaiveDate>, CliError> {
    date.map(|d| {
        regtrace_core::model::parse_date(d).map_err(|problem| {
            CliError::request(
                format!("--as-of: {problem}"),
                Some("write the date as YYYY-MM-DD, e.g. 2014-03-31".into()),
            )
        })
    })
    .transpose()
}

/// Parses words of a closed vocabulary (kinds, statuses), with a hint for a misspelt one.
pub(crate) fn parse_words<T: std::str::FromStr<Err = regtrace_core::model::UnknownWord>>(
    words: &[String],
) -> Result<Vec<T>, CliError> {
    words
        .iter()
        .map(|w| {
            w.parse::<T>()
                .map_err(|unknown| CliError::request(unknown.to_string(), Some(unknown.hint())))
        })
        .collect()
}

/// `regtrace list`.
pub fn list(source: &DataSource, kinds: &[String], statuses: &[String], view: &View) -> Result<(), CliError> {
    let kinds: Vec<NodeKind> = parse_words(kinds)?;
    let statuses: Vec<Status> = parse_words(statuses)?;
    let graph = source.graph()?;
    let selected: Vec<&regtrace_core::Node> = graph
        .nodes()
        .iter()
        .filter(|n| kinds.is_empty() || kinds.contains(&n.kind))
        .filter(|n| statuses.is_empty() || n.status.is_some_and(|s| statuses.contains(&s)))
        .collect();
    let lang = view.lang();
    let text = match view.format {
        Format::Json => output::json_text(&selected),
        Format::Csv => output::nodes_csv(&selected),
        Format::Table => {
            let mut table = output::table(&["id", "kind", "status", "title"]);
            for n in &selected {
                table.add_row(vec![
                    n.id.as_str(),
                    n.kind.as_str(),
                    n.status.map_or("—", |s| s.as_str()),
                    n.title_in(lang),
                ]);
            }
            format!("{}{} nodes\n", output::render_table(&table), selected.len())
        }
    };
    output::print(&text);
    Ok(())
}

/// `regtrace stats`.
pub fn stats(source: &DataSource, format: Format) -> Result<(), CliError> {
    let graph = source.graph()?;

    #[derive(Serialize, Default)]
    struct KindCount {
        total: usize,
        by_status: BTreeMap<&'static str, usize>,
    }
    #[derive(Serialize)]
    struct Stats {
        source: String,
        nodes: usize,
        edges: usize,
        kinds: BTreeMap<&'static str, KindCount>,
        relations: BTreeMap<String, usize>,
        /// With a database: whether its query snapshot belongs to its current data.
        #[serde(skip_serializing_if = "Option::is_none")]
        snapshot: Option<&'static str>,
    }
    let mut kinds: BTreeMap<&'static str, KindCount> = BTreeMap::new();
    for node in graph.nodes() {
        let entry = kinds.entry(node.kind.as_str()).or_default();
        entry.total += 1;
        *entry
            .by_status
            .entry(node.status.map_or("none", |s| s.as_str()))
            .or_default() += 1;
    }
    let mut relations: BTreeMap<String, usize> = BTreeMap::new();
    for link in graph.links() {
        *relations
            .entry(graph.catalog().get(link.relation).name.clone())
            .or_default() += 1;
    }
    let stats = Stats {
        source: source.describe(),
        nodes: graph.node_count(),
        edges: graph.edge_count(),
        kinds,
        relations,
        snapshot: source.snapshot_state()?,
    };

    let text = match format {
        Format::Json => output::json_text(&stats),
        Format::Csv => {
            let kind_rows = stats.kinds.iter().flat_map(|(kind, count)| {
                count.by_status.iter().map(move |(status, n)| {
                    vec![
                        "node".to_owned(),
                        kind.to_string(),
                        status.to_string(),
                        n.to_string(),
                    ]
                })
            });
            let relation_rows = stats
                .relations
                .iter()
                .map(|(name, n)| vec!["edge".to_owned(), name.clone(), String::new(), n.to_string()]);
            output::csv_text(
                &["what", "kind_or_relation", "status", "count"],
                kind_rows.chain(relation_rows),
            )
        }
        Format::Table => {
            let mut text = format!("{}: {} nodes, {} edges\n", stats.source, stats.nodes, stats.edges);
            match stats.snapshot {
                Some("current") => text.push_str("query snapshot: current\n"),
                Some(state) => text.push_str(&format!(
                    "query snapshot: {state}; impact and deps load the rows instead (slower on large data); \
                     import again to rebuild it\n"
                )),
                None => {}
            }
            text.push('\n');
            let mut table = output::table(&["kind", "count", "by status"]);
            for (kind, count) in &stats.kinds {
                let by: Vec<String> = count.by_status.iter().map(|(s, n)| format!("{s} {n}")).collect();
                table.add_row(vec![kind.to_string(), count.total.to_string(), by.join(", ")]);
            }
            text.push_str(&output::render_table(&table));
            text.push('\n');
            let mut table = output::table(&["relation", "count", "impact"]);
            for (name, count) in &stats.relations {
                let impact = graph
                    .catalog()
                    .lookup(name)
                    .map(|r| graph.catalog().get(r).impact.as_str())
                    .unwrap_or("");
                table.add_row(vec![name.clone(), count.to_string(), impact.to_owned()]);
            }
            text.push_str(&output::render_table(&table));
            text
        }
    };
    output::print(&text);
    Ok(())
}
