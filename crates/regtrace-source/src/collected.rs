//! What the files say before it is validated: nodes, links, catalogs, rules, histories and
//! deletion marks gathered from every input, then checked and built into one graph.

use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Edge, EdgeList, Graph, Location, Node, RelationCatalog};

use crate::{Loaded, embedded, reqif};

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
    pub(crate) fn resolve_reqif(&mut self, diagnostics: &mut Diagnostics) {
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
    pub(crate) fn settle_shared(&mut self, diagnostics: &mut Diagnostics) {
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
    pub(crate) fn finish_all(
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
    pub(crate) fn finish(
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
            // What such a link says of itself is still checked: its relation's name.
            let mut unchecked = Vec::new();
            let kept = self.edges.filtered(|e| {
                let keep = !rejected.contains(e.from()) && !rejected.contains(e.to());
                if !keep && let Err(problem) = regtrace_core::graph::unknown_relation(&catalog, e) {
                    unchecked.push(problem);
                }
                keep
            });
            unchecked.into_iter().for_each(|p| diagnostics.push(p));
            kept
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
