//! regtrace-source: reads source files into a validated [`Graph`].
//!
//! Inputs are TOML data directories (the native, human-edited format), CSV pairs (bulk:
//! `nodes.csv` + `edges.csv`) and JSON documents (lossless export). Every reader reports all
//! problems with file, line and (where the format allows) column, and nothing downstream ever
//! sees unvalidated data: [`load`] returns a [`Graph`] or the full list of [`Diagnostics`].
//!
//! The built-in data set (the METI/AIST 2013 seed) and the default relation catalog are compiled
//! into this crate ([`embedded`]).

mod collected;
mod csv_format;
mod draft;
pub mod embedded;
mod eu_standards;
mod fda;
mod format;
pub mod git;
pub mod history_dir;
pub mod json_format;
mod read;
pub mod reqif;
mod toml_format;
mod walk;
mod xlsx_format;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Graph, Location, RelationCatalog};

pub use csv_format::{EDGE_COLUMNS, NODE_COLUMNS};
pub use format::Format;

pub(crate) use collected::{Collected, Deleted, deleted_mark};
pub(crate) use read::{Bytes, decode, decode_str, read_bytes, read_text};
use walk::Seen;

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
        walk::walk(path, true, from, &mut seen, &mut files, &mut diagnostics);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
