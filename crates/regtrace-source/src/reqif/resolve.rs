//! ReqIF records → regtrace nodes and links, through a [`Mapping`].
//!
//! All documents of one import are resolved together: an archive may hold objects in one file
//! and the relations between them in another. Every object becomes a node (or a diagnostic
//! saying why not); every relation a link; the SPEC-HIERARCHY of each specification becomes
//! `contained_in` links (the mapping's `hierarchy` relation) and each node's `reqif.position`,
//! never a trace link.

use std::collections::BTreeMap;
use std::hash::BuildHasher as _;

use foldhash::{HashMap, HashMapExt as _, HashSet};
use std::sync::Arc;

use regtrace_core::suggest::did_you_mean;
use regtrace_core::{Diagnostic, Diagnostics, Edge, EdgeAt, EdgeList, Location, Node, NodeKind};

use super::mapping::{Mapping, names};
use super::parse::{
    AttributeDef, DataKind, Document, EnumValue, Hierarchy, SpecObject, SpecType, TypeRole, Value,
};
use crate::draft::{Field, NodeDraft};

/// Attributes regtrace keeps about each imported node (foreign keys and structure).
pub const IDENTIFIER: &str = "reqif.identifier";
/// The SPEC-OBJECT-TYPE (or SPECIFICATION-TYPE) by name.
pub const TYPE: &str = "reqif.type";
/// The node's place in its document, as section numbers (`2.1.3`).
pub const POSITION: &str = "reqif.position";
/// Files of a `.reqifz` the node's XHTML shows (`object data=…`).
pub const ATTACHMENTS: &str = "reqif.attachments";
/// The suffix of an attribute keeping an XHTML value's markup (`ReqIF.Text.xhtml`).
pub const XHTML_SUFFIX: &str = ".xhtml";

/// Everything the files define, by IDENTIFIER, across documents.
struct Index<'a> {
    types: HashMap<&'a str, &'a SpecType>,
    definitions: HashMap<&'a str, &'a AttributeDef>,
    enum_values: HashMap<&'a str, &'a EnumValue>,
    documents: &'a [Document],
    /// Every object IDENTIFIER: asked only when a reference finds no node (to tell an object
    /// never defined from one that made no node), so made only then.
    objects: std::sync::OnceLock<HashSet<&'a str>>,
}

impl<'a> Index<'a> {
    /// The type a record's TYPE reference names, if any file of the import defines it.
    fn spec_type(&self, reference: Option<&str>) -> Option<&'a SpecType> {
        reference.and_then(|t| self.types.get(t)).copied()
    }

    fn new(documents: &'a [Document]) -> Self {
        let mut index = Index {
            types: HashMap::new(),
            definitions: HashMap::new(),
            enum_values: HashMap::new(),
            documents,
            objects: std::sync::OnceLock::new(),
        };
        for document in documents {
            for datatype in &document.datatypes {
                for value in &datatype.values {
                    index.enum_values.entry(&value.id).or_insert(value);
                }
            }
            for spec_type in &document.types {
                index.types.entry(&spec_type.id).or_insert(spec_type);
                for definition in &spec_type.attributes {
                    index.definitions.entry(&definition.id).or_insert(definition);
                }
            }
        }
        index
    }

    /// Whether a file of the import defines the object `id`.
    fn defines_object(&self, id: &str) -> bool {
        self.objects
            .get_or_init(|| {
                self.documents
                    .iter()
                    .flat_map(|d| &d.objects)
                    .map(|object| object.id.as_str())
                    .collect()
            })
            .contains(id)
    }
}

/// One attribute value as regtrace keeps it, borrowed from the records.
struct Kept<'a> {
    /// The definition's IDENTIFIER.
    definition: &'a str,
    name: &'a str,
    /// In regtrace's own export: the node field this value holds (`.field.NAME` definitions).
    field: Option<&'a str>,
    text: std::borrow::Cow<'a, str>,
    markup: Option<&'a str>,
    objects: &'a [String],
}

/// The values of an object or specification, by attribute name, defaults filled in.
fn attribute_values<'a>(
    values: &'a [Value],
    spec_type: Option<&'a SpecType>,
    index: &Index<'a>,
    at: &dyn Fn(u32) -> Location,
    problems: &mut Diagnostics,
) -> Vec<Kept<'a>> {
    let mut kept: Vec<Kept> = Vec::with_capacity(values.len());
    for value in values {
        let Some(definition) = index.definitions.get(&*value.definition) else {
            problems.push(
                Diagnostic::new(
                    Some(at(value.line)),
                    format!(
                        "a value refers to the attribute definition {:?}, which the file does not define",
                        value.definition
                    ),
                )
                .with_hint("the export is incomplete; export it again with its types"),
            );
            continue;
        };
        kept.push(keep(definition, value, index));
    }
    if let Some(spec_type) = spec_type {
        for definition in &spec_type.attributes {
            if let Some(default) = &definition.default
                && !kept.iter().any(|k| k.definition == definition.id)
            {
                kept.push(keep(definition, default, index));
            }
        }
    }
    kept
}

fn keep<'a>(definition: &'a AttributeDef, value: &'a Value, index: &Index<'a>) -> Kept<'a> {
    let text = match value.kind {
        DataKind::Enumeration => std::borrow::Cow::Owned(
            value
                .enum_refs
                .iter()
                .map(|r| {
                    index
                        .enum_values
                        .get(r.as_str())
                        .and_then(|v| v.long_name.as_deref().or(v.key.as_deref()))
                        .unwrap_or(r)
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => std::borrow::Cow::Borrowed(value.text.as_str()),
    };
    Kept {
        definition: &definition.id,
        name: definition.long_name.as_deref().unwrap_or(&definition.id),
        field: definition.id.split_once(".field.").map(|(_, field)| field),
        text,
        markup: value.xhtml.as_ref().map(|x| x.markup.as_str()),
        objects: value.xhtml.as_ref().map_or(&[], |x| x.objects.as_slice()),
    }
}

/// In regtrace's own export: the value of a node field.
fn field_of<'k>(kept: &'k [Kept], field: &str) -> Option<&'k str> {
    kept.iter()
        .find(|k| k.field == Some(field))
        .map(|k| k.text.as_ref())
        .filter(|t| !t.is_empty())
}

fn value_of<'k>(kept: &'k [Kept], name: &str) -> Option<&'k str> {
    kept.iter()
        .find(|k| k.name == name)
        .map(|k| k.text.trim())
        .filter(|t| !t.is_empty())
}

/// Whether an object's values meet a rule's condition.
fn meets(kept: &[Kept], when: &super::mapping::When) -> bool {
    let present = match value_of(kept, &when.attribute) {
        None => false,
        Some(v) => when
            .value
            .as_ref()
            .is_none_or(|want| want.trim().eq_ignore_ascii_case(v)),
    };
    present
        && when
            .absent
            .as_ref()
            .is_none_or(|absent| value_of(kept, absent).is_none())
}

/// A title from text: its lines joined with spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Types used but not mapped, each with how many records use it.
#[derive(Default)]
struct Unmapped<'a> {
    types: BTreeMap<&'a str, (usize, &'a SpecType)>,
}

impl<'a> Unmapped<'a> {
    fn note(&mut self, spec_type: &'a SpecType) {
        self.types.entry(&spec_type.id).or_insert((0, spec_type)).0 += 1;
    }
}

/// The nodes made so far, by id: a repeated object (the same file twice in an archive) is
/// made once, and placed in its document.
struct Made {
    nodes: Vec<Node>,
    /// Each node's position in `nodes` and its place once the nodes to drop are dropped,
    /// hashed and compared through the nodes' ids (no copy of each id).
    by_id: hashbrown::HashTable<(usize, usize)>,
    hasher: foldhash::fast::FixedState,
}

impl Made {
    fn with_capacity(capacity: usize) -> Made {
        Made {
            nodes: Vec::with_capacity(capacity),
            by_id: hashbrown::HashTable::with_capacity(capacity),
            hasher: foldhash::fast::FixedState::default(),
        }
    }

    /// Adds `node` (or reports it, if its id was made with other content); its place in
    /// `nodes`.
    fn add(&mut self, node: Node, problems: &mut Diagnostics) -> usize {
        let at = self.nodes.len();
        self.nodes.push(node);
        self.settle(at, at, problems).unwrap_or_else(|first| {
            self.nodes.pop();
            first
        })
    }

    /// Indexes the node at `nodes[at]`, whose place is `place` once the nodes to drop before
    /// it are dropped: `Ok(place)`, or, when a node already has its id, `Err` with that node's
    /// place (the node at `at` is to be dropped; it is reported if its content differs).
    fn settle(&mut self, at: usize, place: usize, problems: &mut Diagnostics) -> Result<usize, usize> {
        let Made { nodes, by_id, hasher } = self;
        let node = &nodes[at];
        let entry = by_id.entry(
            hasher.hash_one(node.id.as_str()),
            |&(i, _)| nodes[i].id == node.id,
            |&(i, _)| hasher.hash_one(nodes[i].id.as_str()),
        );
        let (first_at, first_place) = match entry {
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert((at, place));
                return Ok(place);
            }
            hashbrown::hash_table::Entry::Occupied(first) => *first.get(),
        };
        let first = &nodes[first_at];
        let bare = |n: &Node| Node {
            location: None,
            source: None,
            ..n.clone()
        };
        if bare(first) != bare(node) {
            let earlier = first
                .location
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            problems.push(
                Diagnostic::new(
                    node.location.clone(),
                    format!("the id {:?} is given twice, with different content (first at {earlier})", node.id),
                )
                .with_hint("two files of the import hold different versions of one object; import one of them, or set id_prefix in the mapping to keep both"),
            );
        }
        Err(first_place)
    }

    /// Drops the nodes at `positions` (ascending); every node is then at its place.
    /// Where the node `id` was read, if it was made.
    fn location_of(&self, id: &str) -> Option<&Location> {
        let &(at, _) = self
            .by_id
            .find(self.hasher.hash_one(id), |&(i, _)| self.nodes[i].id == id)?;
        self.nodes[at].location.as_ref()
    }

    fn drop_at(&mut self, positions: &[usize]) {
        if positions.is_empty() {
            return;
        }
        remove_at(&mut self.nodes, positions);
        for (at, place) in self.by_id.iter_mut() {
            *at = *place;
        }
    }
}

/// Object IDENTIFIER → the node made of it (its place and id). Both ids are copied into one
/// buffer: a large file's relations look up two objects each, and reading the ids there stays
/// in cache where chasing each object's and each node's own allocation does not.
struct Placed {
    ids: String,
    /// Per object: where its IDENTIFIER and its node's id start in `ids` and end, and the
    /// node's place (in the table itself: one lookup reads one slot).
    table: hashbrown::HashTable<PlacedObject>,
    hasher: foldhash::fast::FixedState,
}

#[derive(Clone, Copy)]
struct PlacedObject {
    start: usize,
    split: usize,
    end: usize,
    place: usize,
}

impl Placed {
    fn with_capacity(objects: usize) -> Placed {
        Placed {
            ids: String::new(),
            table: hashbrown::HashTable::with_capacity(objects),
            hasher: foldhash::fast::FixedState::default(),
        }
    }

    /// Records that `object` became the node `id` at `place`. A later record of the same object
    /// that became the same node (the same file twice in an archive) replaces the earlier one;
    /// one that became another node is not recorded: the id of the node it became first is
    /// returned, to be reported (one IDENTIFIER, two different objects).
    fn insert(&mut self, object: &str, id: &str, place: usize) -> Option<String> {
        if let Some((_, earlier)) = self.get(object)
            && earlier != id
        {
            return Some(earlier.to_owned());
        }
        let start = self.ids.len();
        self.ids.push_str(object);
        let split = self.ids.len();
        self.ids.push_str(id);
        let new = PlacedObject {
            start,
            split,
            end: self.ids.len(),
            place,
        };
        let Placed { ids, table, hasher } = self;
        let entry = table.entry(
            hasher.hash_one(object),
            |e| &ids[e.start..e.split] == object,
            |e| hasher.hash_one(&ids[e.start..e.split]),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(mut earlier) => *earlier.get_mut() = new,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(new);
            }
        }
        None
    }

    /// The place and id of the node `object` became, if it became one.
    fn get(&self, object: &str) -> Option<(usize, &str)> {
        let e = self.table.find(self.hasher.hash_one(object), |e| {
            &self.ids[e.start..e.split] == object
        })?;
        Some((e.place, &self.ids[e.split..e.end]))
    }
}

/// Maps the records of `documents` to nodes and links, appended to `nodes` and `edges`.
pub(crate) fn resolve(
    documents: &[Document],
    attachments: &[String],
    mapping: &Mapping,
    nodes: &mut Vec<Node>,
    edges: &mut EdgeList,
    problems: &mut Diagnostics,
) {
    let index = Index::new(documents);
    let attachments: HashSet<&str> = attachments.iter().map(String::as_str).collect();
    let objects: usize = documents.iter().map(|d| d.objects.len()).sum();
    let relations: usize = documents.iter().map(|d| d.relations.len()).sum();
    // The objects that became nodes.
    let mut node_ids = Placed::with_capacity(objects);
    let mut made = Made::with_capacity(objects);
    edges.reserve(relations, 0);
    let mut unmapped_objects = Unmapped::default();
    let mut unmapped_relations = Unmapped::default();
    // Links repeated (the same file twice in an archive, an object placed twice under one
    // parent) are dropped at the end, keeping the first.
    let first_edge = edges.len();
    for document in documents {
        let file = &document.file;
        let provenance = provenance(document);
        // Each object on its own, in parallel (objects are most of a large file), its node
        // written in its place; objects that make no node, or were reported, are set aside
        // with their place. Then, in file order: each object's diagnostics, and its node
        // indexed (or dropped, as a repeat or a gap).
        let start = made.nodes.len();
        let aside = in_place(
            &mut made.nodes,
            &document.objects,
            file,
            gap,
            |object, file, found| {
                object_node(object, file, &provenance, &index, mapping, &attachments, found)
            },
        );
        let mut aside = aside.into_iter().peekable();
        let mut dropped = Vec::new();
        for (at, object) in document.objects.iter().enumerate() {
            let position = start + at;
            if let Some(a) = aside.next_if(|a| a.at == at) {
                problems.extend(a.found);
                if let Some(spec_type) = a.unmapped {
                    unmapped_objects.note(spec_type);
                }
                if !a.made {
                    dropped.push(position);
                    continue;
                }
            }
            let place = made
                .settle(position, position - dropped.len(), problems)
                .unwrap_or_else(|first| {
                    dropped.push(position);
                    first
                });
            if let Some(earlier) = node_ids.insert(&object.id, &made.nodes[position].id, place) {
                let first = made
                    .location_of(&earlier)
                    .map(|l| format!(" (at {l})"))
                    .unwrap_or_default();
                problems.push(
                    Diagnostic::new(
                        made.nodes[position].location.clone(),
                        format!(
                            "the SPEC-OBJECT IDENTIFIER {:?} is given twice, to different objects: here it makes the node {:?}, before it made {earlier:?}{first}; links to it could not say which",
                            object.id, made.nodes[position].id
                        ),
                    )
                    .with_hint("an IDENTIFIER names one object in all files of an import: export the module again from the tool, or give one of the two objects a new IDENTIFIER"),
                );
            }
        }
        made.drop_at(&dropped);
    }
    // Specifications: a node each, and the structure under it.
    for document in documents {
        let file = &document.file;
        let at = |line: u32| Location::new(file.clone(), Some(line), None);
        let provenance = provenance(document);
        // Without a structure relation, documents are left out with their structure.
        if mapping.hierarchy.is_empty() {
            continue;
        }
        for specification in &document.specifications {
            let spec_type = index.spec_type(specification.type_ref.as_deref());
            let kept = attribute_values(&specification.values, spec_type, &index, &at, problems);
            let type_name = spec_type.map(SpecType::name).unwrap_or("SPECIFICATION");
            // regtrace's own export: the document is only a container; its top entries have no
            // parent.
            let root = if mapping.own {
                None
            } else {
                let Some(node) = draft(
                    format!("{}{}", mapping.id_prefix, specification.id),
                    mapping.document_kind,
                    &specification.id,
                    specification.long_name.as_deref(),
                    type_name,
                    &kept,
                    mapping,
                    &attachments,
                    file,
                    &provenance,
                    at(specification.line),
                    problems,
                ) else {
                    continue;
                };
                let root = node.id.clone();
                made.add(node, problems);
                Some(root)
            };
            // Depth-first, with an explicit stack: (entries, parent node id, position prefix).
            let mut stack: Vec<(&[Hierarchy], Option<String>, String)> =
                vec![(&specification.children, root, String::new())];
            while let Some((entries, parent, prefix)) = stack.pop() {
                for (i, entry) in entries.iter().enumerate() {
                    // regtrace's own export keeps no positions; only its parents need theirs.
                    let position = if mapping.own && entry.children.is_empty() {
                        String::new()
                    } else if prefix.is_empty() {
                        format!("{}", i + 1)
                    } else {
                        format!("{prefix}.{}", i + 1)
                    };
                    let Some(object) = entry.object.as_deref() else {
                        problems.push(
                            Diagnostic::new(Some(at(entry.line)), "a SPEC-HIERARCHY entry names no OBJECT")
                                .with_hint("every entry of a document's structure places one SPEC-OBJECT; export the file again"),
                        );
                        continue;
                    };
                    let Some((child_at, _)) = node_ids.get(object) else {
                        if !index.defines_object(object) {
                            problems.push(
                                Diagnostic::new(
                                    Some(at(entry.line)),
                                    format!("a SPEC-HIERARCHY entry places SPEC-OBJECT {object:?}, which no file of the import defines"),
                                )
                                .with_hint("the export is incomplete; export the whole module again"),
                            );
                        }
                        // Otherwise the object itself was reported.
                        continue;
                    };
                    let child = &made.nodes[child_at].id;
                    if let Some(parent) = parent.as_ref().filter(|p| *p != child) {
                        let mut edge = Edge::new(child.clone(), mapping.hierarchy.clone(), parent.clone());
                        edge.location = Some(at(entry.line));
                        edges.push(edge);
                    }
                    let child = (!entry.children.is_empty()).then(|| child.clone());
                    if !mapping.own {
                        made.nodes[child_at]
                            .attributes
                            .entry(POSITION.to_owned())
                            .or_insert_with(|| position.clone());
                    }
                    if let Some(child) = child {
                        stack.push((&entry.children, Some(child), position));
                    }
                }
            }
        }
    }
    // Relations: in file order, a part at a time, each part's links made in parallel in their
    // places; the few relations that are not links, or were reported, are set aside with their
    // place and dealt with after, in order; then the part's links are packed into `edges`, so
    // no more than a part's `Edge` records are held at once (a large file has millions).
    // (Smaller in tests, so a test's few thousand relations cross several parts.)
    const PART: usize = if cfg!(test) { 1000 } else { 1 << 16 };
    let mut part = Vec::new();
    for document in documents {
        let file = &document.file;
        for relations in document.relations.chunks(PART) {
            part.clear();
            let aside = in_place(
                &mut part,
                relations,
                file,
                || Edge::new("", "", ""),
                |relation, file, found| relation_edge(relation, file, &index, &node_ids, mapping, found),
            );
            let mut gaps = Vec::new();
            for a in aside {
                problems.extend(a.found);
                if let Some(spec_type) = a.unmapped {
                    unmapped_relations.note(spec_type);
                }
                if !a.made {
                    gaps.push(a.at);
                }
            }
            remove_at(&mut part, &gaps);
            for edge in &part {
                edges.push_edge(edge);
            }
        }
    }
    let mapped_objects: Vec<&str> = mapping.objects.iter().map(|r| r.type_name.as_str()).collect();
    let mapped_relations: Vec<&str> = mapping.relations.iter().map(|r| r.type_name.as_str()).collect();
    for (what, rules, unmapped, table, target) in [
        (
            "SPEC-OBJECT",
            &mapped_objects,
            unmapped_objects,
            "[[reqif.object]]",
            "kind = \"requirement\"",
        ),
        (
            "SPEC-RELATION",
            &mapped_relations,
            unmapped_relations,
            "[[reqif.relation]]",
            "relation = \"derived_from\"",
        ),
    ] {
        for (count, spec_type) in unmapped.types.into_values() {
            let name = spec_type.name();
            let mut hint = format!(
                "add to the mapping: {table} type = {name:?} {target}; `regtrace reqif mapping FILE` writes a mapping of every type to start from"
            );
            if let Some(near) = did_you_mean(name, rules.iter().copied()) {
                hint = format!("did you mean {near:?} (mapped)? Or {hint}");
            }
            problems.push(
                Diagnostic::new(
                    Some(Location::new(spec_type.file.clone(), Some(spec_type.line), None)),
                    format!(
                        "{count} {what}{} of the type {name:?}: the mapping ({}) does not say what {} become",
                        if count == 1 { "" } else { "s" },
                        mapping.file,
                        if count == 1 { "it should" } else { "they should" }
                    ),
                )
                .with_hint(hint),
            );
        }
    }
    if nodes.is_empty() {
        *nodes = made.nodes;
    } else {
        nodes.extend(made.nodes);
    }
    drop_repeated(edges, first_edge);
}

/// Drops every link of `edges` from position `from` on that repeats an earlier one (same ends
/// and relation), keeping the order of the rest.
fn drop_repeated(edges: &mut EdgeList, from: usize) {
    fn key<'e>(e: &EdgeAt<'e>) -> (&'e str, &'e str, &'e str) {
        (e.from(), e.relation(), e.to())
    }
    // First by hash: when no two hashes meet (nearly always), no link repeats.
    use rayon::prelude::*;
    let hasher = foldhash::fast::FixedState::default();
    let mut hashes: Vec<u64> = (from..edges.len())
        .into_par_iter()
        .map(|i| hasher.hash_one(key(&edges.get(i))))
        .collect();
    hashes.par_sort_unstable();
    if hashes.windows(2).all(|pair| pair[0] != pair[1]) {
        return;
    }
    let mut order: Vec<usize> = (from..edges.len()).collect();
    order.sort_unstable_by(|&a, &b| key(&edges.get(a)).cmp(&key(&edges.get(b))).then(a.cmp(&b)));
    let mut repeated = vec![false; edges.len() - from];
    for pair in order.windows(2) {
        if key(&edges.get(pair[0])) == key(&edges.get(pair[1])) {
            repeated[pair[1] - from] = true;
        }
    }
    if !repeated.contains(&true) {
        return;
    }
    let mut i = 0;
    *edges = edges.filtered(|_| {
        let keep = i < from || !repeated[i - from];
        i += 1;
        keep
    });
}

/// What became of one SPEC-OBJECT or SPEC-RELATION.
enum Outcome<'a, T> {
    /// Its node or link.
    Made(T),
    /// Its type has no rule in the mapping.
    Unmapped(&'a SpecType),
    /// It was reported (or, for a relation, an end was).
    Skipped,
}

/// The node of one SPEC-OBJECT, through the mapping.
fn object_node<'a>(
    object: &'a SpecObject,
    file: &Arc<str>,
    provenance: &str,
    index: &Index<'a>,
    mapping: &Mapping,
    attachments: &HashSet<&str>,
    problems: &mut Diagnostics,
) -> Outcome<'a, Node> {
    let at = |line: u32| Location::new(file.clone(), Some(line), None);
    let spec_type = index.spec_type(object.type_ref.as_deref());
    let spec_type = match (object.type_ref.as_deref(), spec_type) {
        (_, Some(t)) if t.role == TypeRole::Object => t,
        (Some(t), _) => {
            problems.push(
                Diagnostic::new(
                    Some(at(object.line)),
                    format!("SPEC-OBJECT {:?} has the type {t:?}, which no file of the import defines as a SPEC-OBJECT-TYPE", object.id),
                )
                .with_hint("the export is incomplete; export it again with its types"),
            );
            return Outcome::Skipped;
        }
        (None, _) => {
            problems.push(
                Diagnostic::new(
                    Some(at(object.line)),
                    format!("SPEC-OBJECT {:?} has no TYPE", object.id),
                )
                .with_hint("every SPEC-OBJECT names its SPEC-OBJECT-TYPE; export the file again"),
            );
            return Outcome::Skipped;
        }
    };
    let kept = attribute_values(&object.values, Some(spec_type), index, &at, problems);
    let kind = if mapping.own {
        spec_type
            .id
            .strip_prefix("rt-kind-")
            .and_then(|k| k.parse::<NodeKind>().ok())
    } else {
        mapping
            .objects
            .iter()
            .find(|rule| {
                names(&rule.type_name, &spec_type.id, spec_type.long_name.as_deref())
                    && rule.when.as_ref().is_none_or(|when| meets(&kept, when))
            })
            .map(|rule| rule.kind)
    };
    let Some(kind) = kind else {
        return Outcome::Unmapped(spec_type);
    };
    let id = if mapping.own {
        field_of(&kept, "id").map(str::to_owned)
    } else if mapping.id == "identifier" {
        Some(object.id.clone())
    } else {
        value_of(&kept, &mapping.id).map(str::to_owned)
    };
    let Some(id) = id else {
        problems.push(
            Diagnostic::new(
                Some(at(object.line)),
                format!(
                    "SPEC-OBJECT {:?} has no value for {:?}, which the mapping takes the id from",
                    object.id, mapping.id
                ),
            )
            .with_hint(format!(
                "give it a value in the tool, or set id = \"identifier\" in {}",
                mapping.file
            )),
        );
        return Outcome::Skipped;
    };
    match draft(
        format!("{}{}", mapping.id_prefix, id),
        kind,
        &object.id,
        object.long_name.as_deref(),
        spec_type.name(),
        &kept,
        mapping,
        attachments,
        file,
        provenance,
        at(object.line),
        problems,
    ) {
        Some(node) => Outcome::Made(node),
        None => Outcome::Skipped,
    }
}

/// An object or relation set aside while nodes or links are made: reported, or not made.
struct Aside<'a> {
    /// Its place among its document's objects or relations.
    at: usize,
    found: Diagnostics,
    /// Its type, when that has no rule in the mapping.
    unmapped: Option<&'a SpecType>,
    /// Whether it became a node or link all the same.
    made: bool,
}

/// A copy of the file name for each parallel task to put in its locations: every node and
/// link holds one, and counting the references of one name from every core at once costs
/// more than the copies.
fn own_name(file: &Arc<str>) -> impl Fn() -> Arc<str> + Sync + Send + '_ {
    || Arc::from(&**file)
}

/// Makes the node or link of each of `records` in parallel, written in record order at the end
/// of `out` (a large file's nodes and links are not moved again). A record that makes none, or
/// whose making was reported, is set aside with its place (its item replaced by `gap()` when it
/// made none): returned in record order, for the caller to report and to remove the gaps.
fn in_place<'a, R: Sync, T: Send>(
    out: &mut Vec<T>,
    records: &'a [R],
    file: &Arc<str>,
    gap: impl Fn() -> T + Sync,
    make: impl Fn(&'a R, &Arc<str>, &mut Diagnostics) -> Outcome<'a, T> + Sync,
) -> Vec<Aside<'a>> {
    use rayon::prelude::*;
    let aside = std::sync::Mutex::new(Vec::new());
    out.par_extend(
        records
            .par_iter()
            .enumerate()
            .map_init(own_name(file), |file, (at, record)| {
                let mut found = Diagnostics::default();
                let (item, unmapped, made) = match make(record, file, &mut found) {
                    Outcome::Made(item) if found.is_empty() => return item,
                    Outcome::Made(item) => (item, None, true),
                    Outcome::Unmapped(spec_type) => (gap(), Some(spec_type), false),
                    Outcome::Skipped => (gap(), None, false),
                };
                let set_aside = Aside {
                    at,
                    found,
                    unmapped,
                    made,
                };
                aside
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(set_aside);
                item
            }),
    );
    let mut aside = aside
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    aside.sort_unstable_by_key(|a| a.at);
    aside
}

/// Removes the items at `positions` (ascending) from `items`, keeping the order of the rest.
fn remove_at<T>(items: &mut Vec<T>, positions: &[usize]) {
    if positions.is_empty() {
        return;
    }
    let (mut i, mut positions) = (0, positions.iter().peekable());
    items.retain(|_| {
        let remove = positions.next_if_eq(&&i).is_some();
        i += 1;
        !remove
    });
}

/// What holds the place of an object that became no node: dropped after.
fn gap() -> Node {
    Node::new(String::new(), NodeKind::Requirement, String::new())
}

/// The link of one SPEC-RELATION, through the mapping.
fn relation_edge<'a>(
    relation: &'a super::parse::SpecRelation,
    file: &Arc<str>,
    index: &Index<'a>,
    node_ids: &Placed,
    mapping: &Mapping,
    problems: &mut Diagnostics,
) -> Outcome<'a, Edge> {
    let at = |line: u32| Location::new(file.clone(), Some(line), None);
    let spec_type = index.spec_type(relation.type_ref.as_deref());
    let Some(spec_type) = spec_type.filter(|t| t.role == TypeRole::Relation) else {
        let message = match &relation.type_ref {
            Some(t) => format!(
                "SPEC-RELATION {:?} has the type {t:?}, which no file of the import defines as a SPEC-RELATION-TYPE",
                relation.id
            ),
            None => format!("SPEC-RELATION {:?} has no TYPE", relation.id),
        };
        problems.push(
            Diagnostic::new(Some(at(relation.line)), message)
                .with_hint("the export is incomplete; export it again with its types"),
        );
        return Outcome::Skipped;
    };
    let mut resolved: [Option<&str>; 2] = [None, None];
    for (slot, (end, object)) in resolved
        .iter_mut()
        .zip([("SOURCE", &relation.source), ("TARGET", &relation.target)])
    {
        match object.as_deref() {
            None => problems.push(
                Diagnostic::new(Some(at(relation.line)), format!("SPEC-RELATION {:?} has no {end}", relation.id))
                    .with_hint("a trace link joins two SPEC-OBJECTs; export the file again"),
            ),
            Some(object) => match node_ids.get(object) {
                Some((_, id)) => *slot = Some(id),
                None if !index.defines_object(object) => problems.push(
                    Diagnostic::new(
                        Some(at(relation.line)),
                        format!("the {end} of SPEC-RELATION {:?} is SPEC-OBJECT {object:?}, which no file of the import defines", relation.id),
                    )
                    .with_hint("import the module the link points into together with this one (both files in one import)"),
                ),
                // The object itself was reported.
                None => {}
            },
        }
    }
    let [Some(source), Some(target)] = resolved else {
        return Outcome::Skipped;
    };
    // regtrace's own export names each relation type after its catalog relation.
    let rule = if mapping.own {
        spec_type.long_name.clone().map(|relation| (relation, false))
    } else {
        mapping
            .relations
            .iter()
            .find(|rule| names(&rule.type_name, &spec_type.id, spec_type.long_name.as_deref()))
            .map(|rule| (rule.relation.clone(), rule.reverse))
    };
    let Some((relation_name, reverse)) = rule else {
        return Outcome::Unmapped(spec_type);
    };
    let (from, to) = if reverse {
        (target, source)
    } else {
        (source, target)
    };
    let mut edge = Edge::new(from, relation_name, to);
    edge.location = Some(at(relation.line));
    if mapping.own {
        let kept = attribute_values(&relation.values, Some(spec_type), index, &at, problems);
        edge.source = field_of(&kept, "source").map(str::to_owned);
    }
    Outcome::Made(edge)
}

/// What a node read from `document` says of where it comes from: the file and the tool.
fn provenance(document: &Document) -> String {
    match &document.header.source_tool {
        Some(tool) => format!("ReqIF {} ({tool})", base_name(&document.file)),
        None => format!("ReqIF {}", base_name(&document.file)),
    }
}

/// The last part of a file name (`a/b.reqifz!x.reqif` → `b.reqifz!x.reqif`).
fn base_name(file: &str) -> &str {
    let (outer, inner) = match file.split_once('!') {
        Some((outer, _)) => (outer, &file[outer.len()..]),
        None => (file, ""),
    };
    let start = outer.rfind(['/', '\\']).map_or(0, |i| i + 1);
    &file[start..outer.len() + inner.len()]
}

/// A node from an object's or specification's values, checked as every format's nodes are.
#[allow(clippy::too_many_arguments)]
fn draft(
    id: String,
    kind: NodeKind,
    identifier: &str,
    long_name: Option<&str>,
    type_name: &str,
    kept: &[Kept],
    mapping: &Mapping,
    attachments: &HashSet<&str>,
    file: &Arc<str>,
    provenance: &str,
    at: Location,
    problems: &mut Diagnostics,
) -> Option<Node> {
    let field = |value: &str| Field::new(value, at.clone());
    let mut draft = NodeDraft::new(at.clone());
    draft.id = Some(field(&id));
    draft.kind = Some(field(kind.as_str()));
    if mapping.own {
        // regtrace's own export: every field as it was written, the attributes by name.
        for (name, _) in super::write::FIELDS {
            if let Some(value) = field_of(kept, name) {
                if *name == "title" {
                    draft.title = Some(field(value));
                } else {
                    draft.set_known(name, field(value));
                }
            }
        }
        for value in kept.iter().filter(|k| k.field.is_none()) {
            draft
                .attributes
                .insert(value.name.to_owned(), value.text.to_string());
            if let Some(markup) = &value.markup {
                draft
                    .attributes
                    .insert(format!("{}{XHTML_SUFFIX}", value.name), (*markup).to_owned());
            }
        }
        return draft.finish(problems);
    }
    let title = mapping
        .title
        .iter()
        .find_map(|name| value_of(kept, name))
        .map(one_line)
        .or_else(|| long_name.map(one_line).filter(|t| !t.is_empty()))
        .unwrap_or_else(|| identifier.to_owned());
    draft.title = Some(field(&title));
    if let Some(title_ja) = mapping.title_ja.iter().find_map(|name| value_of(kept, name)) {
        draft.title_ja = Some(field(&one_line(title_ja)));
    }
    for (name, attribute) in &mapping.fields {
        if let Some(value) = value_of(kept, attribute) {
            let value = if regtrace_core::Dates::FIELDS.contains(&name.as_str()) {
                // xsd:dateTime: the day is what regtrace keeps.
                value.get(..10).unwrap_or(value)
            } else {
                value
            };
            draft.set_known(name, field(value));
        }
    }
    draft.source = Some(field(provenance));
    let mut attributes = BTreeMap::new();
    attributes.insert(IDENTIFIER.to_owned(), identifier.to_owned());
    attributes.insert(TYPE.to_owned(), type_name.to_owned());
    let mut shown = Vec::new();
    for value in kept {
        if mapping.keep_attributes {
            attributes.insert(value.name.to_owned(), value.text.to_string());
            if let Some(markup) = &value.markup {
                attributes.insert(format!("{}{XHTML_SUFFIX}", value.name), (*markup).to_owned());
            }
        }
        shown.extend(value.objects.iter().cloned());
    }
    if !shown.is_empty() {
        // Inside an archive, name each picture or attachment as the archive holds it.
        let archive = file
            .split_once('!')
            .map(|(outer, inner)| (outer, inner.rsplit_once('/').map_or("", |(dir, _)| dir)));
        let listed: Vec<String> = shown
            .iter()
            .map(|data| match archive {
                Some((_, dir))
                    if !dir.is_empty() && attachments.contains(format!("{dir}/{data}").as_str()) =>
                {
                    format!("{dir}/{data}")
                }
                _ => data.clone(),
            })
            .collect();
        attributes.insert(ATTACHMENTS.to_owned(), listed.join("\n"));
    }
    draft.attributes = attributes;
    draft.finish(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, title: &str) -> Node {
        Node::new(id, NodeKind::Requirement, title)
    }

    #[test]
    fn a_node_made_twice_is_kept_once_and_a_different_one_under_its_id_is_reported() {
        let mut made = Made::with_capacity(0);
        let mut problems = Diagnostics::default();
        let a = made.add(node("A", "first"), &mut problems);
        let b = made.add(node("B", "second"), &mut problems);
        assert_eq!((a, b), (0, 1));
        // The same object again (the same file twice in an archive): its first place, quietly.
        assert_eq!(made.add(node("A", "first"), &mut problems), 0);
        assert!(problems.is_empty(), "{problems:?}");
        // Other content under a made id: the first kept, the second reported.
        assert_eq!(made.add(node("B", "changed"), &mut problems), 1);
        assert_eq!(made.nodes.len(), 2);
        assert_eq!(made.nodes[1].title, "second");
        assert_eq!(problems.len(), 1);
        assert!(
            problems
                .iter()
                .next()
                .unwrap()
                .message
                .contains("\"B\" is given twice")
        );
        // Many more: the table grows and still finds every one.
        for i in 0..1000 {
            made.add(node(&format!("N-{i}"), "n"), &mut problems);
        }
        for i in 0..1000 {
            assert_eq!(made.add(node(&format!("N-{i}"), "n"), &mut problems), i + 2);
        }
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn placed_objects_give_their_node_and_another_node_for_one_object_is_told() {
        let mut placed = Placed::with_capacity(0);
        for i in 0..1000 {
            placed.insert(&format!("obj-{i}"), &format!("NODE-{i}"), i);
        }
        for i in 0..1000 {
            let id = format!("NODE-{i}");
            assert_eq!(placed.get(&format!("obj-{i}")), Some((i, id.as_str())));
        }
        assert_eq!(placed.get("obj-1000"), None);
        assert_eq!(placed.get("obj-"), None);
        assert_eq!(placed.get(""), None);
        // The same object made the same node again (a file twice): the later place is kept.
        assert_eq!(placed.insert("obj-7", "NODE-7", 5000), None);
        assert_eq!(placed.get("obj-7"), Some((5000, "NODE-7")));
        // Another node for the same object: told, and the first kept.
        assert_eq!(placed.insert("obj-7", "OTHER", 6000).as_deref(), Some("NODE-7"));
        assert_eq!(placed.get("obj-7"), Some((5000, "NODE-7")));
        assert_eq!(placed.get("obj-8"), Some((8, "NODE-8")));
        // An object and a node id that run together are still told apart.
        placed.insert("ab", "c", 1);
        placed.insert("a", "bc", 2);
        assert_eq!(placed.get("ab"), Some((1, "c")));
        assert_eq!(placed.get("a"), Some((2, "bc")));
    }

    /// A module of objects A, B, C and the given relations (`(identifier, type, source,
    /// target)`), with a relation type "derived from" (mapped) and "mystery" (not).
    fn module(relations: &[(&str, &str, &str, &str)]) -> String {
        let objects: String = ["A", "B", "C"]
            .iter()
            .map(|id| {
                format!(
                    "<SPEC-OBJECT IDENTIFIER=\"{id}\"><TYPE><SPEC-OBJECT-TYPE-REF>req</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>\n"
                )
            })
            .collect();
        let relations: String = relations
            .iter()
            .map(|(id, spec_type, from, to)| {
                format!(
                    "<SPEC-RELATION IDENTIFIER=\"{id}\"><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE=\"x\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{}</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES>\
                     <SOURCE><SPEC-OBJECT-REF>{from}</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>{to}</SPEC-OBJECT-REF></TARGET>\
                     <TYPE><SPEC-RELATION-TYPE-REF>{spec_type}</SPEC-RELATION-TYPE-REF></TYPE></SPEC-RELATION>\n",
                    // A value of an undefined attribute: reported, the link made all the same.
                    if *id == "odd" { "undefined" } else { "note" }
                )
            })
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><CORE-CONTENT><REQ-IF-CONTENT>
<SPEC-TYPES>
<SPEC-OBJECT-TYPE IDENTIFIER="req" LONG-NAME="Requirement"/>
<SPEC-RELATION-TYPE IDENTIFIER="derived" LONG-NAME="derived from"><SPEC-ATTRIBUTES><ATTRIBUTE-DEFINITION-STRING IDENTIFIER="note" LONG-NAME="note"/></SPEC-ATTRIBUTES></SPEC-RELATION-TYPE>
<SPEC-RELATION-TYPE IDENTIFIER="mystery" LONG-NAME="mystery"/>
</SPEC-TYPES>
<SPEC-OBJECTS>
{objects}</SPEC-OBJECTS>
<SPEC-RELATIONS>
{relations}</SPEC-RELATIONS>
</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>
"#
        )
    }

    /// The nodes, links and problems of `text` (one file, read without problems) through
    /// `mapping`.
    fn resolved_with(text: &str, mapping: &Mapping) -> (Vec<Node>, Vec<Edge>, Vec<String>) {
        let file: Arc<str> = Arc::from("m.reqif");
        let mut problems = Vec::new();
        let document = super::super::parse::parse(&file, text, &mut problems).expect("parses");
        assert!(problems.is_empty(), "{problems:?}");
        let (mut nodes, mut edges, mut found) = (Vec::new(), EdgeList::new(), Diagnostics::default());
        resolve(&[document], &[], mapping, &mut nodes, &mut edges, &mut found);
        (
            nodes,
            edges.to_edges(),
            found.iter().map(ToString::to_string).collect(),
        )
    }

    /// Each link as `from relation to`.
    fn shown(edges: &[Edge]) -> Vec<String> {
        edges
            .iter()
            .map(|e| format!("{} {} {}", e.from, e.relation, e.to))
            .collect()
    }

    /// The links and problems of a [`module`] through the built-in mapping.
    fn resolved(text: &str) -> (Vec<Edge>, Vec<String>) {
        let (nodes, edges, problems) = resolved_with(text, &Mapping::builtin());
        assert_eq!(nodes.len(), 3);
        (edges, problems)
    }

    #[test]
    fn relations_that_are_not_links_leave_no_gap_and_are_reported_in_file_order() {
        let (edges, problems) = resolved(&module(&[
            ("r1", "derived", "A", "B"),
            ("r2", "derived", "A", "NOWHERE"),
            ("r3", "mystery", "B", "C"),
            ("r4", "derived", "C", "A"),
            ("r5", "derived", "B", "C"),
            ("r6", "derived", "NOWHERE", "C"),
        ]));
        let links = shown(&edges);
        assert_eq!(
            links,
            ["A derived_from B", "C derived_from A", "B derived_from C"]
        );
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(
            problems[0].contains("TARGET of SPEC-RELATION \"r2\""),
            "{problems:#?}"
        );
        assert!(
            problems[1].contains("SOURCE of SPEC-RELATION \"r6\""),
            "{problems:#?}"
        );
        assert!(
            problems[2].contains("1 SPEC-RELATION of the type \"mystery\""),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_link_with_a_reported_value_is_made_in_its_place() {
        // regtrace's own export reads a link's values: one of an undefined attribute is
        // reported, and the link is made all the same.
        let object = |id: &str| {
            format!(
                "<SPEC-OBJECT IDENTIFIER=\"rt-{id}\"><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE=\"{id}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>rt-requirement.field.id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>\
                 <ATTRIBUTE-VALUE-STRING THE-VALUE=\"{id}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>rt-requirement.field.title</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES>\
                 <TYPE><SPEC-OBJECT-TYPE-REF>rt-kind-requirement</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>"
            )
        };
        let relation = |id: &str, from: &str, to: &str, definition: &str| {
            format!(
                "<SPEC-RELATION IDENTIFIER=\"{id}\"><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE=\"deck\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{definition}</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES>\
                 <SOURCE><SPEC-OBJECT-REF>rt-{from}</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>rt-{to}</SPEC-OBJECT-REF></TARGET>\
                 <TYPE><SPEC-RELATION-TYPE-REF>rt-relation-derived_from</SPEC-RELATION-TYPE-REF></TYPE></SPEC-RELATION>"
            )
        };
        let text = format!(
            r#"<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><CORE-CONTENT><REQ-IF-CONTENT>
<SPEC-TYPES>
<SPEC-OBJECT-TYPE IDENTIFIER="rt-kind-requirement" LONG-NAME="requirement"><SPEC-ATTRIBUTES>
<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="rt-requirement.field.id" LONG-NAME="id"/>
<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="rt-requirement.field.title" LONG-NAME="title"/>
</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>
<SPEC-RELATION-TYPE IDENTIFIER="rt-relation-derived_from" LONG-NAME="derived_from"><SPEC-ATTRIBUTES>
<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="rt-link.field.source" LONG-NAME="source"/>
</SPEC-ATTRIBUTES></SPEC-RELATION-TYPE>
</SPEC-TYPES>
<SPEC-OBJECTS>{}{}{}</SPEC-OBJECTS>
<SPEC-RELATIONS>
{}
{}
{}
</SPEC-RELATIONS>
</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>
"#,
            object("A"),
            object("B"),
            object("C"),
            relation("r1", "A", "B", "rt-link.field.source"),
            relation("odd", "B", "C", "undefined"),
            relation("r3", "C", "A", "rt-link.field.source"),
        );
        let (_, edges, found) = resolved_with(&text, &Mapping::own());
        let links: Vec<String> = edges
            .iter()
            .map(|e| format!("{}>{} {:?}", e.from, e.to, e.source))
            .collect();
        assert_eq!(links, ["A>B Some(\"deck\")", "B>C None", "C>A Some(\"deck\")"]);
        assert_eq!(found.len(), 1, "{found:?}");
        let problem = &found[0];
        assert!(
            problem.contains("m.reqif:14") && problem.contains("\"undefined\""),
            "{problem}"
        );
    }

    #[test]
    fn objects_that_make_no_node_or_repeat_one_leave_every_other_in_its_place() {
        // Untyped objects are reported and make no node; a repeated object makes none; the
        // links, the structure and the positions still find the right nodes.
        // A link to an object that made no node is not reported again (the object was).
        let text = module(&[
            ("r1", "derived", "A", "C"),
            ("r2", "derived", "C", "B"),
            ("r3", "derived", "A", "X"),
        ])
            .replace(
                "<SPEC-OBJECT IDENTIFIER=\"B\">",
                "<SPEC-OBJECT IDENTIFIER=\"X\"/>\n<SPEC-OBJECT IDENTIFIER=\"A\"><TYPE><SPEC-OBJECT-TYPE-REF>req</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>\n<SPEC-OBJECT IDENTIFIER=\"B\">",
            )
            .replace(
                "<SPEC-OBJECT IDENTIFIER=\"C\">",
                "<SPEC-OBJECT IDENTIFIER=\"Y\"><TYPE><SPEC-OBJECT-TYPE-REF>nowhere</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>\n<SPEC-OBJECT IDENTIFIER=\"C\">",
            )
            .replace(
                "</REQ-IF-CONTENT>",
                "<SPECIFICATIONS><SPECIFICATION IDENTIFIER=\"doc\"><CHILDREN>\
                 <SPEC-HIERARCHY IDENTIFIER=\"h1\"><OBJECT><SPEC-OBJECT-REF>C</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>\
                 <SPEC-HIERARCHY IDENTIFIER=\"h2\"><OBJECT><SPEC-OBJECT-REF>B</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>\
                 </CHILDREN></SPECIFICATION>\
                 <SPECIFICATION IDENTIFIER=\"C\"/></SPECIFICATIONS></REQ-IF-CONTENT>",
            );
        let (nodes, edges, found) = resolved_with(&text, &Mapping::builtin());
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("SPEC-OBJECT \"X\" has no TYPE"), "{found:#?}");
        assert!(
            found[1].contains("SPEC-OBJECT \"Y\" has the type \"nowhere\""),
            "{found:#?}"
        );
        // A document with a node's id, made after the gaps closed: found, and reported.
        assert!(found[2].contains("the id \"C\" is given twice"), "{found:#?}");
        let made: Vec<(&str, Option<&str>)> = nodes
            .iter()
            .map(|n| (n.id.as_str(), n.attributes.get(POSITION).map(String::as_str)))
            .collect();
        assert_eq!(
            made,
            [("A", None), ("B", Some("2")), ("C", Some("1")), ("doc", None)]
        );
        let links = shown(&edges);
        assert_eq!(
            links,
            [
                "C contained_in doc",
                "B contained_in doc",
                "A derived_from C",
                "C derived_from B"
            ]
        );
    }

    #[test]
    fn a_repeated_link_is_dropped_after_its_first() {
        let file: Arc<str> = Arc::from("m.reqif");
        let at = |line| Some(Location::new(file.clone(), Some(line), None));
        let edge = |from: &str, to: &str, line| Edge {
            location: at(line),
            ..Edge::new(from, "derived_from", to)
        };
        // The first link is before `from`: its repeat after is not compared with it.
        let mut edges: EdgeList = vec![
            edge("X", "Y", 1),
            edge("A", "B", 2),
            edge("B", "C", 3),
            edge("A", "B", 4),
            edge("X", "Y", 5),
            edge("C", "D", 6),
            edge("B", "C", 7),
        ]
        .into();
        drop_repeated(&mut edges, 1);
        let kept: Vec<(String, u32)> = edges
            .iter()
            .map(|e| {
                (
                    format!("{}>{}", e.from(), e.to()),
                    e.location().unwrap().line.unwrap(),
                )
            })
            .collect();
        let expected = [("X>Y", 1), ("A>B", 2), ("B>C", 3), ("X>Y", 5), ("C>D", 6)];
        assert_eq!(kept, expected.map(|(k, l)| (k.to_owned(), l)));
    }

    #[test]
    fn one_identifier_for_two_different_objects_is_an_error_naming_both() {
        // Ids from an attribute: the two objects become two nodes, and links to "A" could go
        // to either (before, the later took them and the first was left without its links).
        let mapping = Mapping::from_toml(
            &Arc::from("map.toml"),
            "[reqif]\nid = \"ForeignID\"\n[[reqif.object]]\ntype = \"*\"\nkind = \"requirement\"\n",
        )
        .unwrap();
        let object = |id: &str, foreign: &str| {
            format!(
                "<SPEC-OBJECT IDENTIFIER=\"{id}\"><TYPE><SPEC-OBJECT-TYPE-REF>req</SPEC-OBJECT-TYPE-REF></TYPE><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE=\"{foreign}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>fid</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES></SPEC-OBJECT>"
            )
        };
        let text = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><CORE-CONTENT><REQ-IF-CONTENT>
<SPEC-TYPES>
<SPEC-OBJECT-TYPE IDENTIFIER="req" LONG-NAME="Requirement"><SPEC-ATTRIBUTES><ATTRIBUTE-DEFINITION-STRING IDENTIFIER="fid" LONG-NAME="ForeignID"/></SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>
</SPEC-TYPES>
<SPEC-OBJECTS>
{}
{}
{}
</SPEC-OBJECTS>
</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>
"#,
            object("A", "REQ-1"),
            object("B", "REQ-B"),
            object("A", "REQ-2"),
        );
        let (_, _, problems) = resolved_with(&text, &mapping);
        let told: Vec<&String> = problems.iter().filter(|p| p.contains("given twice")).collect();
        assert_eq!(told.len(), 1, "{problems:?}");
        let line = |foreign: &str| text.lines().position(|l| l.contains(foreign)).unwrap() + 1;
        assert!(
            told[0].starts_with(&format!("m.reqif:{}", line("REQ-2")))
                && told[0].contains(&format!("m.reqif:{}", line("REQ-1")))
                && told[0].contains("\"REQ-2\"")
                && told[0].contains("\"REQ-1\""),
            "both places and both nodes: {}",
            told[0]
        );
    }

    #[test]
    fn many_relations_keep_their_order() {
        let relations: Vec<(String, &str, &str, &str)> = (0..5000)
            .map(|i| {
                let (from, to) = [("A", "B"), ("B", "C"), ("C", "A")][i % 3];
                let from = if i % 1000 == 999 { "NOWHERE" } else { from };
                (format!("r{i}"), "derived", from, to)
            })
            .collect();
        let borrowed: Vec<(&str, &str, &str, &str)> = relations
            .iter()
            .map(|(id, t, f, to)| (id.as_str(), *t, *f, *to))
            .collect();
        let (edges, problems) = resolved(&module(&borrowed));
        assert_eq!(problems.len(), 5);
        // Repeated links are kept once: the three, in the order first made.
        let links: Vec<String> = edges.iter().map(|e| format!("{}>{}", e.from, e.to)).collect();
        assert_eq!(links, ["A>B", "B>C", "C>A"]);
        for (k, problem) in problems.iter().enumerate() {
            assert!(problem.contains(&format!("\"r{}\"", 1000 * k + 999)), "{problem}");
        }
    }
}
