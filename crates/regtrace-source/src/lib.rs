//! regtrace-source: reads source files into a validated [`Graph`].
//!
//! Inputs are TOML data directories (the native, human-edited format), CSV pairs (bulk:
//! `nodes.csv` + `edges.csv`) and JSON documents (lossless export). Every reader reports all
//! problems with file, line and (where the format allows) column, and nothing downstream ever
//! sees unvalidated data: [`load`] returns a [`Graph`] or the full list of [`Diagnostics`].
//!
//! The built-in data set (the METI/AIST 2013 seed) and the default relation catalog are compiled
//! into this crate ([`embedded`]).

mod csv_format;
mod draft;
pub mod embedded;
mod eu_standards;
mod fda;
mod format;
pub mod git;
pub mod history_dir;
pub mod json_format;
pub mod reqif;
mod toml_format;
mod xlsx_format;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Edge, EdgeList, Graph, Location, Node, RelationCatalog};

pub use csv_format::{EDGE_COLUMNS, NODE_COLUMNS};
pub use format::Format;

/// A validated data set and the audit rules that came with it.
#[derive(Debug)]
pub struct Loaded {
    /// The graph.
    pub graph: Graph,
    /// Audit rules files found among the inputs (`[[rule]]` tables, such as
    /// `data/meti-2013/audit.toml`, or carried by a JSON document): the data set's own rules,
    /// as (file, text) in file order.
    pub audit_rules: Vec<(String, String)>,
    /// The kept history a JSON document among the inputs carried (at most one may).
    pub history: Option<regtrace_core::record::History>,
    /// What a merge marked as no longer current: stored nodes a newer node of the files
    /// replaces (a `supersedes` or `revises` link whose newer end is published and in force),
    /// as (older id, newer id, the older one's status now).
    pub superseded: Vec<(String, String, regtrace_core::Status)>,
}

/// Rows the files mark as deleted (`deleted = true`, a `deleted` column or field): what an
/// `import --merge` removes from the stored data.
#[derive(Debug, Default)]
pub(crate) struct Deleted {
    /// Node ids, each where it was marked.
    pub nodes: Vec<(String, Location)>,
    /// Links (from, relation, to), each where it was marked.
    pub edges: Vec<Edge>,
}

/// The hint of a deletion mark outside `import --merge`.
const NOT_A_MERGE: &str = "deletion marks remove stored rows in `import --merge`; a replacing import (or `check`) takes the files as the whole data set, so leave the row out instead";

/// Whether a `deleted` cell or value says so: `true`, `yes`, `1`, `x` (any case) mark a row
/// deleted; empty, `false`, `no` and `0` do not; anything else is `Err`.
pub(crate) fn deleted_mark(value: &str) -> Result<bool, ()> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "x" => Ok(true),
        "" | "false" | "no" | "0" => Ok(false),
        _ => Err(()),
    }
}

/// Source text gathered from files before validation.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: EdgeList,
    /// Nodes several files may each define, the same each time: what a regulator's list refers
    /// to rather than lists (a 21 CFR section, an Annex I requirement). One is kept per id; two
    /// that differ are an error.
    pub(crate) shared: Vec<Node>,
    /// Links several files may each give (a GSPR `part_of` the MDR): one is kept of each.
    pub(crate) shared_edges: Vec<Edge>,
    /// Catalogs found among the inputs (catalog TOML files, JSON documents carrying relations).
    pub(crate) catalogs: Vec<(Arc<str>, RelationCatalog)>,
    /// Audit rules files found among the inputs, as (file, text).
    pub(crate) rules: Vec<(Arc<str>, String)>,
    /// Kept histories carried by JSON documents among the inputs.
    pub(crate) histories: Vec<(Arc<str>, regtrace_core::record::History)>,
    /// Rows marked deleted.
    pub(crate) deleted: Deleted,
    /// ReqIF files read, resolved together once all are in.
    pub(crate) reqif: Vec<reqif::Read>,
    /// ReqIF mapping files found among the inputs.
    pub(crate) mappings: Vec<(Arc<str>, String)>,
}

impl Collected {
    /// Maps the ReqIF files read (if any) to nodes and links, with the mapping found among the
    /// inputs or the built-in one.
    fn resolve_reqif(&mut self, diagnostics: &mut Diagnostics) {
        let mappings = std::mem::take(&mut self.mappings);
        if self.reqif.is_empty() {
            // A mapping alone maps nothing: a forgotten export, or the wrong file named.
            for (file, _) in mappings {
                diagnostics.push(
                    Diagnostic::new(
                        Some(Location::new(file, Some(1), None)),
                        "a ReqIF mapping, but no .reqif or .reqifz file among the inputs",
                    )
                    .with_hint("name the ReqIF export to import with it, or leave the mapping out"),
                );
            }
            return;
        }
        if mappings.len() > 1 {
            let files: Vec<&str> = mappings.iter().map(|(f, _)| &**f).collect();
            diagnostics.push(
                Diagnostic::new(
                    None,
                    format!(
                        "{} ReqIF mappings among the inputs: {}",
                        files.len(),
                        files.join(", ")
                    ),
                )
                .with_hint("import with one mapping (--mapping FILE)"),
            );
            return;
        }
        let mapping = match mappings.first() {
            Some((file, text)) => match reqif::Mapping::from_toml(file, text) {
                Ok(mapping) => mapping,
                Err(problems) => {
                    diagnostics.extend(problems);
                    return;
                }
            },
            // Files regtrace wrote itself are read back as they were written.
            None if self.reqif.iter().all(|read| {
                read.documents
                    .iter()
                    .all(|d| d.header.source_tool.as_deref() == Some(reqif::write::SOURCE_TOOL))
            }) =>
            {
                reqif::Mapping::own()
            }
            None => reqif::Mapping::builtin(),
        };
        let reads = std::mem::take(&mut self.reqif);
        let mut documents = Vec::new();
        let mut attachments = Vec::new();
        for read in reads {
            documents.extend(read.documents);
            attachments.extend(read.attachments.into_iter().map(|a| match a.split_once('!') {
                Some((_, inner)) => inner.to_owned(),
                None => a,
            }));
        }
        reqif::resolve(
            &documents,
            &attachments,
            &mapping,
            &mut self.nodes,
            &mut self.edges,
            diagnostics,
        );
        // Millions of small records: freed while the nodes are validated.
        rayon::spawn(move || drop(documents));
    }

    /// What is done once every file is read: shared nodes settled, ReqIF files mapped.
    pub(crate) fn all_read(&mut self, diagnostics: &mut Diagnostics) {
        self.settle_shared(diagnostics);
        self.resolve_reqif(diagnostics);
    }

    /// Keeps one of each shared node (the first), and reports two that differ in what they say.
    fn settle_shared(&mut self, diagnostics: &mut Diagnostics) {
        let mut linked = std::collections::HashSet::new();
        for edge in std::mem::take(&mut self.shared_edges) {
            if linked.insert((edge.from.clone(), edge.relation.clone(), edge.to.clone())) {
                self.edges.push(edge);
            }
        }
        if self.shared.is_empty() {
            return;
        }
        // A file that defines a node outranks those that only refer to it.
        let defined: std::collections::HashSet<String> = self.nodes.iter().map(|n| n.id.clone()).collect();
        // What a node says, whichever file said it (its place and provenance aside: each file
        // names itself as the source).
        let content = |n: &Node| {
            let mut values = n.field_values();
            values.remove("source");
            values
        };
        // The kept node of each id, by its place in `self.nodes`.
        let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for node in std::mem::take(&mut self.shared) {
            if defined.contains(&node.id) {
                continue;
            }
            let Some(&at) = first.get(&node.id) else {
                first.insert(node.id.clone(), self.nodes.len());
                self.nodes.push(node);
                continue;
            };
            let kept = &self.nodes[at];
            if content(kept) != content(&node) {
                diagnostics.push(
                    Diagnostic::new(
                        node.location.clone(),
                        format!(
                            "{:?} is given two ways: here, and at {}",
                            node.id,
                            kept.location
                                .as_ref()
                                .map_or_else(|| "another file".to_owned(), ToString::to_string)
                        ),
                    )
                    .with_hint("the files disagree about it: import one edition of the list at a time"),
                );
            }
        }
    }

    /// [`Collected::finish`], keeping the audit rules and the history.
    fn finish_all(
        mut self,
        explicit: Option<RelationCatalog>,
        mut diagnostics: Diagnostics,
    ) -> Result<Loaded, Diagnostics> {
        // The generic rules are built in: a copy of them among the inputs (`import data/`) is
        // not the data set's own.
        let audit_rules = std::mem::take(&mut self.rules)
            .into_iter()
            .filter(|(_, text)| text != embedded::AUDIT_RULES.1)
            .map(|(file, text)| (file.to_string(), text))
            .collect();
        let mut histories = std::mem::take(&mut self.histories);
        if histories.len() > 1 {
            let files: Vec<&str> = histories.iter().map(|(f, _)| &**f).collect();
            diagnostics.push(
                Diagnostic::new(
                    None,
                    format!(
                        "{} documents carry a history of changes and reviews: {}",
                        histories.len(),
                        files.join(", ")
                    ),
                )
                .with_hint("import one history at a time, into a new database"),
            );
        }
        let history = histories.pop().map(|(_, history)| history);
        for (id, at) in std::mem::take(&mut self.deleted.nodes) {
            diagnostics.push(
                Diagnostic::new(Some(at), format!("node {id:?} is marked deleted")).with_hint(NOT_A_MERGE),
            );
        }
        for edge in std::mem::take(&mut self.deleted.edges) {
            diagnostics.push(
                Diagnostic::new(
                    edge.location.clone(),
                    format!(
                        "the link {} {} {} is marked deleted",
                        edge.from, edge.relation, edge.to
                    ),
                )
                .with_hint(NOT_A_MERGE),
            );
        }
        self.finish(explicit, diagnostics).map(|graph| Loaded {
            superseded: Vec::new(),
            graph,
            audit_rules,
            history,
        })
    }

    /// Picks the catalog (an explicit one, else the one found among the inputs, else the
    /// built-in default) and validates everything into a graph.
    fn finish(
        self,
        explicit: Option<RelationCatalog>,
        diagnostics: Diagnostics,
    ) -> Result<Graph, Diagnostics> {
        self.validate(explicit, diagnostics).map_err(|mut problems| {
            problems.sort();
            problems
        })
    }

    fn validate(
        self,
        explicit: Option<RelationCatalog>,
        mut diagnostics: Diagnostics,
    ) -> Result<Graph, Diagnostics> {
        let catalog = match (explicit, self.catalogs.len()) {
            (Some(catalog), _) => Some(catalog),
            (None, 0) => Some(embedded::catalog()),
            (None, 1) => self.catalogs.into_iter().next().map(|(_, catalog)| catalog),
            (None, _) => {
                let files: Vec<&str> = self.catalogs.iter().map(|(f, _)| &**f).collect();
                diagnostics.push(
                    Diagnostic::new(
                        None,
                        format!(
                            "the inputs hold {} relation catalogs: {}",
                            files.len(),
                            files.join(", ")
                        ),
                    )
                    .with_hint("import with one catalog, or name the one to use with --catalog"),
                );
                None
            }
        };
        let Some(catalog) = catalog else {
            return Err(diagnostics);
        };
        // Links to a node the files define but that was rejected for its own problem are left
        // unchecked: that problem is the one to fix.
        let rejected: std::collections::HashSet<&str> =
            diagnostics.iter().filter_map(|d| d.rejects.as_deref()).collect();
        let edges = if rejected.is_empty() {
            self.edges
        } else {
            self.edges
                .filtered(|e| !rejected.contains(e.from()) && !rejected.contains(e.to()))
        };
        match Graph::build(catalog, self.nodes, edges) {
            Ok(graph) if diagnostics.is_empty() => Ok(graph),
            Ok(_) => Err(diagnostics),
            Err(problems) => {
                diagnostics.extend(problems);
                Err(diagnostics)
            }
        }
    }
}

/// Reads a catalog file given by the user (`--catalog FILE`).
pub fn load_catalog(path: &Path) -> Result<RelationCatalog, Diagnostics> {
    let file: Arc<str> = Arc::from(path.display().to_string());
    let text = read_text(&file, path).map_err(|d| Diagnostics(vec![d]))?;
    RelationCatalog::from_toml(&file, &text)
}

/// Reads every input path (files, or directories walked recursively for the files of every
/// [`Format`], in name order) and validates the whole set into one graph.
///
/// The catalog is `catalog` if given; else a catalog file found among the inputs (a TOML file
/// of `[[relation]]` tables, or a JSON document's `relations`); else the built-in default.
pub fn load(paths: &[PathBuf], catalog: Option<RelationCatalog>) -> Result<Graph, Diagnostics> {
    load_all(paths, catalog).map(|loaded| loaded.graph)
}

/// [`load`], keeping the audit rules files found among the inputs.
pub fn load_all(paths: &[PathBuf], catalog: Option<RelationCatalog>) -> Result<Loaded, Diagnostics> {
    load_all_from(paths, None, catalog)
}

/// [`load_all`], reading the files of `from`'s extensions (and named files of no known type)
/// as `from` (`import --from NAME`).
pub fn load_all_from(
    paths: &[PathBuf],
    from: Option<Format>,
    catalog: Option<RelationCatalog>,
) -> Result<Loaded, Diagnostics> {
    let (collected, diagnostics) = collect(paths, from);
    collected.finish_all(catalog, diagnostics)
}

/// Validates `paths` as an update of `base` (`import --merge`): every node the files define
/// replaces the node of `base` with the same id or is added; every link they give is added, or
/// replaces the one of `base` with the same ends and relation (its provenance); nothing of
/// `base` is removed. The result is validated whole, so a file may link to nodes that only
/// `base` holds. The catalog is `catalog` if given, else one found among the inputs, else the
/// catalog of `base`. Files are read as [`load_all_from`] reads them.
pub fn load_onto(
    paths: &[PathBuf],
    from: Option<Format>,
    catalog: Option<RelationCatalog>,
    base: &Graph,
) -> Result<Loaded, Diagnostics> {
    let (mut collected, mut diagnostics) = collect(paths, from);
    let deleted = std::mem::take(&mut collected.deleted);
    let gone: foldhash::HashSet<&str> = deleted.nodes.iter().map(|(id, _)| id.as_str()).collect();
    let unlinked: foldhash::HashSet<(&str, &str, &str)> = deleted
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.relation.as_str(), e.to.as_str()))
        .collect();
    for (id, at) in &deleted.nodes {
        if base.find(id).is_none() {
            diagnostics.push(
                Diagnostic::new(
                    Some(at.clone()),
                    format!("node {id:?} is marked deleted but is not stored"),
                )
                .with_hint("correct the id, or drop the row"),
            );
        }
        if collected.nodes.iter().any(|n| &n.id == id) {
            diagnostics.push(
                Diagnostic::new(
                    Some(at.clone()),
                    format!("node {id:?} is both defined and marked deleted"),
                )
                .with_hint("keep one of the two rows"),
            );
        }
    }
    // The stored links, read in place (two million at a million nodes): which deletion marks
    // name one, and which are kept.
    let stored = || (0..base.edge_count() as u32).map(|e| base.edge_ref(regtrace_core::EdgeIx(e)));
    let stored_keys: foldhash::HashSet<(&str, &str, &str)> = if unlinked.is_empty() {
        foldhash::HashSet::default()
    } else {
        stored()
            .map(|e| (e.from, e.relation, e.to))
            .filter(|key| unlinked.contains(key))
            .collect()
    };
    for edge in &deleted.edges {
        if !stored_keys.contains(&(edge.from.as_str(), edge.relation.as_str(), edge.to.as_str())) {
            diagnostics.push(
                Diagnostic::new(
                    edge.location.clone(),
                    format!(
                        "the link {} {} {} is marked deleted but is not stored",
                        edge.from, edge.relation, edge.to
                    ),
                )
                .with_hint("correct the link, or drop the row"),
            );
        }
    }
    let defined: foldhash::HashSet<&str> = collected.nodes.iter().map(|n| n.id.as_str()).collect();
    let linked: foldhash::HashSet<(&str, &str, &str)> = collected
        .edges
        .iter()
        .map(|e| (e.from(), e.relation(), e.to()))
        .collect();
    let kept_nodes: Vec<regtrace_core::Node> = base
        .nodes()
        .iter()
        .filter(|n| !defined.contains(n.id.as_str()) && !gone.contains(n.id.as_str()))
        .cloned()
        .collect();
    // A deleted node takes its stored links with it.
    let mut kept_edges = regtrace_core::EdgeList::new();
    for e in stored() {
        let key = (e.from, e.relation, e.to);
        if !linked.contains(&key)
            && !unlinked.contains(&key)
            && !gone.contains(e.from)
            && !gone.contains(e.to)
        {
            kept_edges.push_parts(e.from, e.relation, e.to, e.source, None);
        }
    }
    drop(linked);
    let mut kept_nodes = kept_nodes;
    let superseded = supersede(
        &mut kept_nodes,
        &collected,
        catalog.as_ref().unwrap_or(base.catalog()),
    );
    collected.nodes.extend(kept_nodes);
    collected.edges.append(kept_edges);
    let catalog = catalog.or_else(|| collected.catalogs.is_empty().then(|| base.catalog().clone()));
    collected
        .finish_all(catalog, diagnostics)
        .map(|loaded| Loaded { superseded, ..loaded })
}

/// A merge that adds a newer node replacing a stored one (a link of a relation that `replaces`,
/// such as `supersedes`, from a node of the files that is published and in force today, to a
/// stored node still current) makes the stored one no longer current: `superseded` where its
/// kind has that status, else `withdrawn` (a standard edition). A stored node the files give
/// again keeps what they say: that is the data speaking on purpose. Returns what it changed.
fn supersede(
    kept: &mut [regtrace_core::Node],
    collected: &Collected,
    catalog: &RelationCatalog,
) -> Vec<(String, String, regtrace_core::Status)> {
    use regtrace_core::Status;
    let today = chrono::Utc::now().date_naive();
    let newer: foldhash::HashMap<&str, &regtrace_core::Node> = collected
        .nodes
        .iter()
        .filter(|n| {
            matches!(
                n.status,
                Some(Status::Published | Status::Enacted | Status::Active)
            )
        })
        .filter(|n| {
            [n.dates.effective, n.dates.published, n.dates.enacted]
                .into_iter()
                .flatten()
                .all(|d| d.first_day() <= today)
        })
        .map(|n| (n.id.as_str(), n))
        .collect();
    let mut index: foldhash::HashMap<String, usize> =
        kept.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
    let mut changed = Vec::new();
    for e in collected.edges.iter() {
        let replaces = catalog
            .lookup(e.relation())
            .is_ok_and(|r| catalog.get(r).replaces);
        if !replaces || !newer.contains_key(e.from()) {
            continue;
        }
        let Some(&at) = index.get(e.to()) else {
            continue;
        };
        let old = &mut kept[at];
        if !matches!(
            old.status,
            Some(Status::Published | Status::Enacted | Status::Active)
        ) {
            continue;
        }
        let status = if old.kind.allowed_statuses().contains(&Status::Superseded) {
            Status::Superseded
        } else {
            Status::Withdrawn
        };
        old.status = Some(status);
        changed.push((old.id.clone(), e.from().to_owned(), status));
        index.remove(e.to());
    }
    changed
}

/// Reads and parses every file under `paths` (in parallel), without validating them as a whole.
fn collect(paths: &[PathBuf], from: Option<Format>) -> (Collected, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::new();
    if paths.is_empty() {
        diagnostics
            .push(Diagnostic::new(None, "no input path given").with_hint("name data directories or files"));
    }
    let mut seen = Seen::default();
    // Each file's name as the data set knows it: the path from the input that named it, with
    // that input's own name first (`import data/` reads `data/meti-2013/audit.toml`, as the
    // seed names it), so the same data imported from anywhere carries the same names.
    let mut known_as = Vec::new();
    for path in paths {
        let before = files.len();
        walk(path, true, from, &mut seen, &mut files, &mut diagnostics);
        let base = path.file_name().map(PathBuf::from).unwrap_or_default();
        for (file, _) in &files[before..] {
            let name = match file.strip_prefix(path) {
                Ok(inner) if !inner.as_os_str().is_empty() => base.join(inner),
                _ => base.clone(),
            };
            known_as.push(name.to_string_lossy().replace('\\', "/"));
        }
    }
    // Files are read and parsed in parallel (a nodes file and an edges file at once), then
    // joined in name order, so the result is the same as reading them one by one.
    use rayon::prelude::*;
    let parts: Vec<(Collected, Diagnostics)> = files
        .par_iter()
        .zip(known_as.par_iter())
        .map(|((path, format), name)| {
            let (mut part, mut problems) = (Collected::default(), Diagnostics::default());
            let file: Arc<str> = Arc::from(path.display().to_string());
            match read_bytes(&file, path) {
                Ok(bytes) => format.read(&file, bytes, &mut part, &mut problems),
                Err(problem) => problems.push(problem),
            }
            // A rules file read from disk is named as the data set knows it (rules a JSON
            // document carries keep the names it gives them).
            for (rules_file, _) in &mut part.rules {
                if **rules_file == *file {
                    *rules_file = Arc::from(name.as_str());
                }
            }
            (part, problems)
        })
        .collect();
    let mut collected = Collected::default();
    for (part, problems) in parts {
        // Most often one file holds the nodes and another the edges: each is taken as it is,
        // not copied (the edges of a million-node data set are a few hundred MB).
        join(&mut collected.nodes, part.nodes);
        collected.edges.append(part.edges);
        collected.shared.extend(part.shared);
        collected.shared_edges.extend(part.shared_edges);
        collected.catalogs.extend(part.catalogs);
        collected.rules.extend(part.rules);
        collected.histories.extend(part.histories);
        collected.deleted.nodes.extend(part.deleted.nodes);
        collected.deleted.edges.extend(part.deleted.edges);
        collected.reqif.extend(part.reqif);
        collected.mappings.extend(part.mappings);
        diagnostics.extend(problems);
    }
    collected.all_read(&mut diagnostics);
    (collected, diagnostics)
}

/// Appends `part` to `into`, taking `part` whole when `into` is empty.
fn join<T>(into: &mut Vec<T>, mut part: Vec<T>) {
    if into.is_empty() {
        std::mem::swap(into, &mut part);
    } else {
        into.append(&mut part);
    }
}

/// Validates in-memory sources, named as if they were files (used for the embedded data set).
pub fn load_texts(texts: &[(&str, &str)], catalog: Option<RelationCatalog>) -> Result<Graph, Diagnostics> {
    load_texts_all(texts, catalog).map(|loaded| loaded.graph)
}

/// [`load_texts`], keeping the audit rules found among the texts.
pub fn load_texts_all(
    texts: &[(&str, &str)],
    catalog: Option<RelationCatalog>,
) -> Result<Loaded, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut collected = Collected::default();
    for (name, text) in texts {
        let file: Arc<str> = Arc::from(*name);
        match Format::for_path(Path::new(name), None, true) {
            Some(format) => format.read(
                &file,
                Bytes::Read(text.as_bytes().to_vec()),
                &mut collected,
                &mut diagnostics,
            ),
            None => diagnostics.push(Diagnostic::new(Some(Location::file(file)), "unknown file type")),
        }
    }
    collected.all_read(&mut diagnostics);
    collected.finish_all(catalog, diagnostics)
}

/// Validates in-memory files as read from disk (raw bytes: a UTF-8 byte-order mark is dropped,
/// other encodings are reported as [`load`] does), named as if they were files.
pub fn load_bytes(files: &[(&str, &[u8])], catalog: Option<RelationCatalog>) -> Result<Graph, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut collected = Collected::default();
    for (name, bytes) in files {
        let file: Arc<str> = Arc::from(*name);
        match Format::for_path(Path::new(name), None, true) {
            None => diagnostics.push(Diagnostic::new(Some(Location::file(file)), "unknown file type")),
            Some(format) => format.read(
                &file,
                Bytes::Read(bytes.to_vec()),
                &mut collected,
                &mut diagnostics,
            ),
        }
    }
    collected.all_read(&mut diagnostics);
    collected
        .finish_all(catalog, diagnostics)
        .map(|loaded| loaded.graph)
}

/// What a walk over the input paths has seen: every directory on the way down (a symbolic
/// link back to one of them is a loop) and every directory and file read, by device and inode,
/// so nothing is read twice however links point.
#[derive(Default)]
struct Seen {
    ancestors: Vec<(u64, u64)>,
    dirs: std::collections::HashSet<(u64, u64)>,
    files: std::collections::HashMap<(u64, u64), PathBuf>,
}

#[cfg(unix)]
fn identity(metadata: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// What a path is, when it is neither a regular file nor a directory.
fn special_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = metadata.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = metadata;
    "a special file"
}

fn walk(
    path: &Path,
    named: bool,
    from: Option<Format>,
    seen: &mut Seen,
    files: &mut Vec<(PathBuf, Format)>,
    diagnostics: &mut Diagnostics,
) {
    let location = || Some(Location::file(Arc::from(path.display().to_string())));
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                location(),
                format!("cannot read: {}", io_reason(&e)),
            ));
            return;
        }
    };
    let id = identity(&metadata);
    if metadata.is_dir() {
        if cfg!(unix) && seen.ancestors.contains(&id) {
            diagnostics.push(
                Diagnostic::new(
                    location(),
                    "a symbolic link that loops back to a directory above it",
                )
                .with_hint("remove the link, or move it out of the data directory"),
            );
            return;
        }
        if cfg!(unix) && !seen.dirs.insert(id) {
            // Reached again through another link: its files are read once already.
            return;
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(dir) => dir.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    location(),
                    format!("cannot list the directory: {}", io_reason(&e)),
                ));
                return;
            }
        };
        entries.sort();
        let before = files.len();
        seen.ancestors.push(id);
        for entry in entries {
            let hidden = entry
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if !hidden {
                walk(&entry, false, from, seen, files, diagnostics);
            }
        }
        seen.ancestors.pop();
        if named && files.len() == before {
            diagnostics.push(
                Diagnostic::new(
                    location(),
                    format!(
                        "the directory holds no {} file",
                        match from {
                            Some(from) => from
                                .extensions()
                                .iter()
                                .map(|e| format!(".{e}"))
                                .collect::<Vec<_>>()
                                .join(" or "),
                            None => Format::detected_extensions(),
                        }
                    ),
                )
                .with_hint("point at a data directory, or at the files themselves"),
            );
        }
        return;
    }
    let Some(format) = Format::for_path(path, from, named) else {
        // Inside a directory, other files (README.md, notes) are not data.
        if named {
            diagnostics.push(
                Diagnostic::new(location(), "unknown file type")
                    .with_hint(format!(
                        "regtrace reads {} files (see `regtrace import --help`); a regulator's list is read with --from NAME",
                        Format::detected_extensions()
                    )),
            );
        }
        return;
    };
    if !metadata.is_file() {
        // Reading a FIFO would wait for a writer forever; a device has no data set in it.
        diagnostics.push(
            Diagnostic::new(
                location(),
                format!("this is {}, not a regular file", special_kind(&metadata)),
            )
            .with_hint("regtrace reads regular files only; remove it or name the files themselves"),
        );
        return;
    }
    if cfg!(unix)
        && let Some(first) = seen.files.get(&id)
    {
        diagnostics.push(
            Diagnostic::new(
                location(),
                format!(
                    "the same file as {} (given twice, or reached again through a symbolic link)",
                    first.display()
                ),
            )
            .with_hint("name each file once; it was read the first time"),
        );
        return;
    }
    seen.files.insert(id, path.to_owned());
    files.push((path.to_owned(), format));
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads a file as UTF-8 text (a UTF-8 byte-order mark is accepted and dropped), with a clear
/// problem for other encodings.
pub(crate) fn read_text(file: &Arc<str>, path: &Path) -> Result<String, Diagnostic> {
    decode(file, read_bytes(file, path)?.into_vec())
}

/// A file's bytes: read into memory, or (a large file) mapped, so that its pages come in as
/// the parser reaches them instead of being copied first.
pub(crate) enum Bytes {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Read(bytes) => bytes,
            Bytes::Mapped(map) => map,
        }
    }
}

impl Bytes {
    /// The bytes as a vector of their own (a mapped file is copied).
    pub(crate) fn into_vec(self) -> Vec<u8> {
        match self {
            Bytes::Read(bytes) => bytes,
            Bytes::Mapped(map) => map.to_vec(),
        }
    }
}

/// Files from this size on are mapped rather than read.
const MAP_FROM: u64 = 16 << 20;

fn read_bytes(file: &Arc<str>, path: &Path) -> Result<Bytes, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::new(
            Some(Location::file(file.clone())),
            format!("cannot read: {}", io_reason(&e)),
        )
    };
    let opened = std::fs::File::open(path).map_err(cannot)?;
    let large = opened
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() >= MAP_FROM);
    if large {
        #[allow(
            unsafe_code,
            reason = "mapping a file is unsafe in Rust's terms (another program may change it); \
                      regtrace only reads it, and a file cut short while mapped is reported \
                      by the bus error handler with nothing written"
        )]
        if let Ok(map) = unsafe { memmap2::Mmap::map(&opened) } {
            return Ok(Bytes::Mapped(map));
        }
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut &opened, &mut bytes).map_err(cannot)?;
    Ok(Bytes::Read(bytes))
}

const CONVERT: &str = "save the file as UTF-8 (e.g. `iconv -f SHIFT_JIS -t UTF-8 in.csv > out.csv`, or choose UTF-8 in your editor or spreadsheet)";

/// A file's bytes as UTF-8 text (a UTF-8 byte-order mark is dropped), with a clear problem for
/// UTF-16, UTF-32 and legacy encodings.
pub(crate) fn decode(file: &Arc<str>, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    check_wide(file, &bytes)?;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(file, e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// [`decode`] without a copy: the text borrowed from `bytes`.
pub(crate) fn decode_str<'b>(file: &Arc<str>, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    check_wide(file, bytes)?;
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| not_utf8(file, bytes, e.valid_up_to()))
}

/// A problem if `bytes` are UTF-16 or UTF-32: a byte-order mark says so, or zero bytes where
/// ASCII text would be give it away (UTF-8 text has no zero bytes).
fn check_wide(file: &Arc<str>, bytes: &[u8]) -> Result<(), Diagnostic> {
    let wide = if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some(("UTF-32", "UTF-32"))
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        Some(("UTF-16", "UTF-16"))
    } else if bytes.len() >= 4 && bytes[..4] == [0, 0, 0, bytes[3]] && bytes[3] != 0 {
        Some(("UTF-32 (big-endian, without a byte-order mark)", "UTF-32BE"))
    } else if bytes.len() >= 4 && bytes[1..4] == [0, 0, 0] && bytes[0] != 0 {
        Some(("UTF-32 (little-endian, without a byte-order mark)", "UTF-32LE"))
    } else if bytes.len() >= 2 && bytes[0] == 0 && bytes[1] != 0 {
        Some(("UTF-16 (big-endian, without a byte-order mark)", "UTF-16BE"))
    } else if bytes.len() >= 2 && bytes[1] == 0 && bytes[0] != 0 {
        Some(("UTF-16 (little-endian, without a byte-order mark)", "UTF-16LE"))
    } else {
        None
    };
    match wide {
        Some((encoding, iconv)) => Err(Diagnostic::new(
            Some(Location::new(file.clone(), Some(1), None)),
            format!("the file is {encoding} encoded; regtrace reads UTF-8"),
        )
        .with_hint(CONVERT.replace("SHIFT_JIS", iconv))),
        None => Ok(()),
    }
}

/// The problem of text that stops being UTF-8 at byte `valid`, with its line and column.
fn not_utf8(file: &Arc<str>, bytes: &[u8], valid: usize) -> Diagnostic {
    let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() as u32 + 1;
    let column = String::from_utf8_lossy(&bytes[..valid])
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count()) as u32
        + 1;
    Diagnostic::new(
        Some(Location::new(file.clone(), Some(line), Some(column))),
        format!(
            "the file is not valid UTF-8 (byte 0x{:02X}); is it Shift_JIS or another legacy encoding?",
            bytes[valid]
        ),
    )
    .with_hint(CONVERT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_mapped_and_a_small_one_read_with_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let file: Arc<str> = Arc::from("f");
        for (size, mapped) in [(100, false), (MAP_FROM as usize, true)] {
            let path = dir.path().join(format!("f{size}"));
            let content: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::write(&path, &content).unwrap();
            let bytes = read_bytes(&file, &path).unwrap();
            assert_eq!(matches!(bytes, Bytes::Mapped(_)), mapped, "{size} bytes");
            assert!(*bytes == content[..]);
            assert_eq!(decode_str(&file, &bytes).unwrap().len(), size);
            assert_eq!(bytes.into_vec(), content);
        }
    }

    #[test]
    fn shared_nodes_are_kept_once_and_two_that_disagree_are_reported() {
        let node = |source: &str, edition: &str| {
            let mut n = Node::new(
                "en-iso-1-2020-a1-2025",
                regtrace_core::NodeKind::Standard,
                "EN ISO 1:2020/A1:2025",
            );
            n.edition = Some(edition.into());
            n.source = Some(source.into());
            n
        };
        let mut collected = Collected {
            shared: vec![node("a.json", "2020/A1:2025"), node("b.json", "2020/A1:2025")],
            ..Collected::default()
        };
        let mut problems = Diagnostics::default();
        collected.settle_shared(&mut problems);
        assert!(problems.is_empty(), "only the provenance differs: {problems}");
        assert_eq!(collected.nodes.len(), 1);
        assert_eq!(
            collected.nodes[0].source.as_deref(),
            Some("a.json"),
            "the first is kept"
        );
        collected.nodes.clear();
        collected.shared = vec![node("a.json", "2020/A1:2025"), node("c.json", "2021")];
        collected.settle_shared(&mut problems);
        assert!(problems.to_string().contains("is given two ways"), "{problems}");
    }

    #[test]
    fn a_node_with_its_own_problem_is_not_reported_again_by_every_link_to_it() {
        let data = "[[node]]\nid = \"STD-1\"\nkind = \"standrd\"\ntitle = \"ISO 14971\"\n\n\
                    [[node]]\nid = \"GL-1\"\nkind = \"guideline\"\ntitle = \"Pumps\"\n\
                    [node.relations]\ncites = [\"STD-1\"]\n\n\
                    [[node]]\nid = \"GL-2\"\nkind = \"guideline\"\ntitle = \"Valves\"\n\
                    [node.relations]\ncites = [\"STD-9\"]\n";
        let problems = load_texts(&[("d.toml", data)], None).unwrap_err().to_string();
        assert!(problems.contains("unknown kind \"standrd\""), "{problems}");
        assert!(
            !problems.contains("unknown node \"STD-1\""),
            "no cascade: {problems}"
        );
        assert!(
            problems.contains("unknown node \"STD-9\""),
            "a real dangling link still is: {problems}"
        );
        assert_eq!(problems.matches("error:").count(), 2, "{problems}");
    }

    #[test]
    fn decoding_accepts_a_bom_and_names_other_encodings() {
        let file: Arc<str> = Arc::from("f.csv");
        assert_eq!(decode(&file, b"\xEF\xBB\xBFid".to_vec()).unwrap(), "id");
        let utf16 = decode(&file, b"\xFF\xFEi\0d\0".to_vec()).unwrap_err().to_string();
        assert!(utf16.contains("UTF-16"), "{utf16}");
        // 人工 in Shift_JIS, on line 2.
        let sjis = decode(&file, b"id\nab\x90\x6C\x8D\x48".to_vec())
            .unwrap_err()
            .to_string();
        assert!(
            sjis.starts_with("f.csv:2:3: error: the file is not valid UTF-8"),
            "{sjis}"
        );
    }
}
