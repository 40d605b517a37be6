//! The compact snapshot of a graph: everything a traversal and its output need (adjacency,
//! kinds, statuses, dates, ids, titles, relation properties) as flat little-endian arrays in one
//! byte buffer, read in place. A database writes it beside its tables at import; a query
//! memory-maps it and answers through [`GraphView`] without building a single node record, so a
//! million-node impact costs what the traversal touches, not a full load.
//!
//! Layout: a 64-byte header (magic, version, counts, the snapshot id that ties it to one import),
//! a table of `SECTIONS` (offset, length) pairs, then the sections, each 8-byte aligned. Node and
//! edge indices are those of the [`Graph`] it was encoded from.
//!
//! Opening costs no more than the header: [`CompactGraph::new`] checks the section table (bounds,
//! alignment, sizes against the counts) and that every offsets array ends at its data, and leaves
//! the rest to the reads, which are all checked: an edge is followed only if both its ends and its
//! relation are in range and it belongs to the row it was found in; a string, a row or a code
//! out of range reads as empty or a placeholder. A damaged file therefore never panics or loops,
//! and a query touches only the pages it needs (a small impact reads a few pages of a 100 MB
//! file). Like SQLite's own pages, the contents are not checksummed; staleness, the likely
//! failure, is ruled out by the snapshot id (see regtrace-store).

use chrono::{Datelike, NaiveDate};

use crate::catalog::{Impact, RelationId};
use crate::graph::{EdgeIx, Graph, NodeIx};
use crate::model::{Dates, NodeKind, Status};
use crate::view::{Ends, GraphView};

const MAGIC: &[u8; 8] = b"RGTRSNAP";
const VERSION: u32 = 1;
const HEADER: usize = 64;
const NO_DATE: i32 = i32::MIN;

/// The sections, in file order.
#[derive(Clone, Copy)]
enum Section {
    RelationInfo,
    RelationNameOffsets,
    RelationNames,
    Kinds,
    Statuses,
    Flags,
    Dates,
    OutOffsets,
    OutItems,
    OutNeighbours,
    OutRelations,
    InOffsets,
    InItems,
    InNeighbours,
    InRelations,
    EdgeFrom,
    EdgeTo,
    EdgeRelation,
    IdOffsets,
    Ids,
    TitleOffsets,
    Titles,
    TitleJaOffsets,
    TitlesJa,
    IdOrder,
    IdRank,
}

const SECTIONS: usize = 26;
const HAS_TITLE_JA: u8 = 1;

/// One CSR direction: per node a row of edges, each with the node at its other end and its
/// relation, side by side so a traversal reads a row contiguously.
#[derive(Debug, Clone, Copy)]
struct Rows<'a> {
    offsets: &'a [u32],
    edges: &'a [u32],
    neighbours: &'a [u32],
    relations: &'a [u32],
}

/// Why a snapshot cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("damaged snapshot: {0}")]
pub struct BadSnapshot(pub String);

/// A graph read in place from a snapshot buffer.
#[derive(Debug, Clone, Copy)]
pub struct CompactGraph<'a> {
    id: [u8; 16],
    nodes: usize,
    relation_info: &'a [u8],
    relation_name_offsets: &'a [u32],
    relation_names: &'a [u8],
    kinds: &'a [u8],
    statuses: &'a [u8],
    flags: &'a [u8],
    dates: &'a [i32],
    out: Rows<'a>,
    inc: Rows<'a>,
    edge_from: &'a [u32],
    edge_to: &'a [u32],
    edge_relation: &'a [u32],
    id_offsets: &'a [u32],
    ids: &'a [u8],
    title_offsets: &'a [u32],
    titles: &'a [u8],
    title_ja_offsets: &'a [u32],
    titles_ja: &'a [u8],
    id_order: &'a [u32],
    id_rank: &'a [u32],
}

fn impact_code(impact: Impact) -> u8 {
    match impact {
        Impact::ToSource => 0,
        Impact::ToTarget => 1,
        Impact::None => 2,
    }
}

fn date_code(date: Option<NaiveDate>) -> i32 {
    date.map_or(NO_DATE, |d| d.num_days_from_ce())
}

/// Appends strings as an offsets array (n + 1 entries) and a byte array.
fn strings<'s>(values: impl Iterator<Item = &'s str>) -> (Vec<u32>, Vec<u8>) {
    let mut offsets = vec![0u32];
    let mut bytes = Vec::new();
    for v in values {
        bytes.extend_from_slice(v.as_bytes());
        offsets.push(bytes.len() as u32);
    }
    (offsets, bytes)
}

fn u32_bytes(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

impl CompactGraph<'_> {
    /// Encodes `graph` as a snapshot tagged with `id` (the import it belongs to).
    pub fn encode(graph: &Graph, id: [u8; 16]) -> Vec<u8> {
        let n = graph.node_count();
        let m = graph.edge_count();
        let relations = graph.catalog().relations();
        let nodes = graph.nodes();
        let csr = |outgoing: bool| {
            let mut offsets = vec![0u32];
            let (mut edges, mut neighbours, mut rels) = (
                Vec::with_capacity(m),
                Vec::with_capacity(m),
                Vec::with_capacity(m),
            );
            for i in 0..n as u32 {
                let row: Box<dyn Iterator<Item = (EdgeIx, Ends)>> = if outgoing {
                    Box::new(graph.out_links(NodeIx(i)))
                } else {
                    Box::new(graph.in_links(NodeIx(i)))
                };
                for (e, ends) in row {
                    edges.push(e.0);
                    neighbours.push(if outgoing { ends.to.0 } else { ends.from.0 });
                    rels.push(ends.relation.0 as u32);
                }
                offsets.push(edges.len() as u32);
            }
            [offsets, edges, neighbours, rels].map(|v| u32_bytes(&v))
        };
        let [out_offsets, out_items, out_neighbours, out_relations] = csr(true);
        let [in_offsets, in_items, in_neighbours, in_relations] = csr(false);
        let (rel_offsets, rel_names) = strings(relations.iter().map(|r| r.name.as_str()));
        let (id_offsets, ids) = strings(nodes.iter().map(|n| n.id.as_str()));
        let (title_offsets, titles) = strings(nodes.iter().map(|n| n.title.as_str()));
        let (ja_offsets, jas) = strings(nodes.iter().map(|n| n.title_ja.as_deref().unwrap_or("")));
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by(|a, b| nodes[*a as usize].id.cmp(&nodes[*b as usize].id));
        let mut rank = vec![0u32; n];
        for (r, node) in order.iter().enumerate() {
            rank[*node as usize] = r as u32;
        }
        let links = graph.links();

        let sections: [Vec<u8>; SECTIONS] = [
            relations
                .iter()
                .flat_map(|r| [impact_code(r.impact), r.replaces as u8])
                .collect(),
            u32_bytes(&rel_offsets),
            rel_names,
            nodes
                .iter()
                .map(|node| NodeKind::ALL.iter().position(|k| *k == node.kind).unwrap_or(0) as u8)
                .collect(),
            nodes
                .iter()
                .map(|node| {
                    node.status
                        .and_then(|s| Status::ALL.iter().position(|x| *x == s))
                        .map_or(0, |p| p as u8 + 1)
                })
                .collect(),
            nodes
                .iter()
                .map(|node| if node.title_ja.is_some() { HAS_TITLE_JA } else { 0 })
                .collect(),
            nodes
                .iter()
                .flat_map(|node| {
                    let d = node.dates;
                    [d.published, d.enacted, d.effective, d.withdrawn].map(date_code)
                })
                .flat_map(i32::to_le_bytes)
                .collect(),
            out_offsets,
            out_items,
            out_neighbours,
            out_relations,
            in_offsets,
            in_items,
            in_neighbours,
            in_relations,
            u32_bytes(&links.iter().map(|l| l.from.0).collect::<Vec<_>>()),
            u32_bytes(&links.iter().map(|l| l.to.0).collect::<Vec<_>>()),
            u32_bytes(&links.iter().map(|l| l.relation.0 as u32).collect::<Vec<_>>()),
            u32_bytes(&id_offsets),
            ids,
            u32_bytes(&title_offsets),
            titles,
            u32_bytes(&ja_offsets),
            jas,
            u32_bytes(&order),
            u32_bytes(&rank),
        ];

        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        out.extend_from_slice(&(m as u32).to_le_bytes());
        out.extend_from_slice(&(relations.len() as u32).to_le_bytes());
        out.extend_from_slice(&id);
        out.resize(HEADER, 0);
        let table_at = out.len();
        out.resize(table_at + SECTIONS * 16, 0);
        for (i, section) in sections.iter().enumerate() {
            while out.len() % 8 != 0 {
                out.push(0);
            }
            let offset = out.len() as u64;
            out.extend_from_slice(section);
            let entry = table_at + i * 16;
            out[entry..entry + 8].copy_from_slice(&offset.to_le_bytes());
            out[entry + 8..entry + 16].copy_from_slice(&(section.len() as u64).to_le_bytes());
        }
        out
    }
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

impl<'a> CompactGraph<'a> {
    /// The snapshot id in a buffer's header, without checking the rest: cheap, to compare with
    /// the database before trusting the file.
    pub fn snapshot_id(bytes: &[u8]) -> Option<[u8; 16]> {
        (bytes.len() >= HEADER && &bytes[..8] == MAGIC).then(|| bytes[24..40].try_into().expect("16 bytes"))
    }

    /// Reads a snapshot in place, checking its whole structure. `bytes` must be 8-byte aligned
    /// (a memory map is).
    pub fn new(bytes: &'a [u8]) -> Result<Self, BadSnapshot> {
        let bad = |what: &str| Err(BadSnapshot(what.to_owned()));
        if cfg!(target_endian = "big") {
            return bad("snapshots are little-endian; this machine is not");
        }
        if bytes.len() < HEADER + SECTIONS * 16 || &bytes[..8] != MAGIC {
            return bad("not a regtrace snapshot");
        }
        if read_u32(bytes, 8) != VERSION {
            return bad("written by another version of regtrace");
        }
        let (n, m, r) = (
            read_u32(bytes, 12) as usize,
            read_u32(bytes, 16) as usize,
            read_u32(bytes, 20) as usize,
        );
        let section = |s: Section| -> Result<&'a [u8], BadSnapshot> {
            let entry = HEADER + s as usize * 16;
            let (offset, len) = (read_u64(bytes, entry), read_u64(bytes, entry + 8));
            let end = offset.checked_add(len).filter(|end| *end <= bytes.len() as u64);
            match end {
                Some(end) if offset % 8 == 0 => Ok(&bytes[offset as usize..end as usize]),
                _ => Err(BadSnapshot("a section lies outside the file".into())),
            }
        };
        let words = |s: Section, count: usize| -> Result<&'a [u32], BadSnapshot> {
            let raw = section(s)?;
            match bytemuck::try_cast_slice::<u8, u32>(raw) {
                Ok(w) if w.len() == count => Ok(w),
                _ => Err(BadSnapshot("a section has the wrong size or alignment".into())),
            }
        };
        let sized = |s: Section, count: usize| -> Result<&'a [u8], BadSnapshot> {
            let raw = section(s)?;
            if raw.len() == count {
                Ok(raw)
            } else {
                Err(BadSnapshot("a section has the wrong size".into()))
            }
        };
        let dates = bytemuck::try_cast_slice::<u8, i32>(section(Section::Dates)?)
            .ok()
            .filter(|d| d.len() == 4 * n)
            .ok_or_else(|| BadSnapshot("the dates have the wrong size".into()))?;
        let graph = CompactGraph {
            id: bytes[24..40].try_into().expect("16 bytes"),
            nodes: n,
            relation_info: sized(Section::RelationInfo, 2 * r)?,
            relation_name_offsets: words(Section::RelationNameOffsets, r + 1)?,
            relation_names: section(Section::RelationNames)?,
            kinds: sized(Section::Kinds, n)?,
            statuses: sized(Section::Statuses, n)?,
            flags: sized(Section::Flags, n)?,
            dates,
            out: Rows {
                offsets: words(Section::OutOffsets, n + 1)?,
                edges: words(Section::OutItems, m)?,
                neighbours: words(Section::OutNeighbours, m)?,
                relations: words(Section::OutRelations, m)?,
            },
            inc: Rows {
                offsets: words(Section::InOffsets, n + 1)?,
                edges: words(Section::InItems, m)?,
                neighbours: words(Section::InNeighbours, m)?,
                relations: words(Section::InRelations, m)?,
            },
            edge_from: words(Section::EdgeFrom, m)?,
            edge_to: words(Section::EdgeTo, m)?,
            edge_relation: words(Section::EdgeRelation, m)?,
            id_offsets: words(Section::IdOffsets, n + 1)?,
            ids: section(Section::Ids)?,
            title_offsets: words(Section::TitleOffsets, n + 1)?,
            titles: section(Section::Titles)?,
            title_ja_offsets: words(Section::TitleJaOffsets, n + 1)?,
            titles_ja: section(Section::TitlesJa)?,
            id_order: words(Section::IdOrder, n)?,
            id_rank: words(Section::IdRank, n)?,
        };
        graph.check(m)?;
        Ok(graph)
    }

    /// The checks that cost nothing per node: every offsets array starts at 0 and ends at its
    /// data. Everything else is checked where it is read (see the module docs).
    fn check(&self, m: usize) -> Result<(), BadSnapshot> {
        let ends_at = |offsets: &[u32], end: usize| {
            offsets.first() == Some(&0) && offsets.last().is_some_and(|l| *l as usize == end)
        };
        let consistent = ends_at(self.out.offsets, m)
            && ends_at(self.inc.offsets, m)
            && ends_at(self.relation_name_offsets, self.relation_names.len())
            && ends_at(self.id_offsets, self.ids.len())
            && ends_at(self.title_offsets, self.titles.len())
            && ends_at(self.title_ja_offsets, self.titles_ja.len());
        if consistent {
            Ok(())
        } else {
            Err(BadSnapshot("offsets disagree with their data".into()))
        }
    }

    /// The id of the import this snapshot was written for.
    pub fn snapshot(&self) -> [u8; 16] {
        self.id
    }

    /// How many edges.
    pub fn edge_count(&self) -> usize {
        self.edge_from.len()
    }

    /// String `i` of a table; a damaged entry reads as U+FFFD.
    fn text(offsets: &[u32], bytes: &'a [u8], i: usize) -> &'a str {
        let span = offsets.get(i).zip(offsets.get(i + 1));
        span.and_then(|(a, b)| bytes.get(*a as usize..*b as usize))
            .and_then(|slice| std::str::from_utf8(slice).ok())
            .unwrap_or("\u{fffd}")
    }

    /// A node's row in one direction, as (edge, other end, relation); entries whose other end
    /// or relation is out of range are skipped, and a damaged row reads as empty, so a traversal
    /// only ever steps to nodes of the graph.
    fn links(
        &self,
        rows: Rows<'a>,
        node: NodeIx,
        outgoing: bool,
    ) -> impl Iterator<Item = (EdgeIx, Ends)> + 'a {
        let (nodes, relations) = (self.nodes as u32, self.relation_count() as u32);
        let span = rows
            .offsets
            .get(node.index())
            .zip(rows.offsets.get(node.index() + 1));
        let (a, b) = span
            .map(|(a, b)| (*a as usize, *b as usize))
            .filter(|(a, b)| {
                a <= b && *b <= rows.edges.len() && *b <= rows.neighbours.len() && *b <= rows.relations.len()
            })
            .unwrap_or((0, 0));
        (a..b).filter_map(move |i| {
            let (e, other, r) = (rows.edges[i], rows.neighbours[i], rows.relations[i]);
            if other >= nodes || r >= relations {
                return None;
            }
            let (from, to) = if outgoing {
                (node.0, other)
            } else {
                (other, node.0)
            };
            Some((
                EdgeIx(e),
                Ends {
                    from: NodeIx(from),
                    to: NodeIx(to),
                    relation: RelationId(r as u16),
                },
            ))
        })
    }
}

fn decode_date(code: i32) -> Option<NaiveDate> {
    (code != NO_DATE)
        .then(|| NaiveDate::from_num_days_from_ce_opt(code))
        .flatten()
}

impl GraphView for CompactGraph<'_> {
    fn node_count(&self) -> usize {
        self.nodes
    }
    fn find(&self, id: &str) -> Option<NodeIx> {
        let found = self
            .id_order
            .binary_search_by(|probe| Self::text(self.id_offsets, self.ids, *probe as usize).cmp(id));
        let node = self.id_order.get(found.ok()?).copied()?;
        (node < self.nodes as u32 && self.id(NodeIx(node)) == id).then_some(NodeIx(node))
    }
    fn id_rank(&self, node: NodeIx) -> Option<u32> {
        self.id_rank.get(node.index()).copied()
    }
    fn id(&self, node: NodeIx) -> &str {
        Self::text(self.id_offsets, self.ids, node.index())
    }
    fn kind(&self, node: NodeIx) -> NodeKind {
        // A damaged code reads as the last kind rather than failing mid-answer.
        let code = self.kinds.get(node.index()).copied().unwrap_or(u8::MAX) as usize;
        NodeKind::ALL
            .get(code)
            .copied()
            .unwrap_or(NodeKind::ALL[NodeKind::ALL.len() - 1])
    }
    fn status(&self, node: NodeIx) -> Option<Status> {
        match self.statuses.get(node.index()).copied().unwrap_or(0) {
            0 => None,
            code => Status::ALL.get(code as usize - 1).copied(),
        }
    }
    fn title(&self, node: NodeIx) -> &str {
        Self::text(self.title_offsets, self.titles, node.index())
    }
    fn title_ja(&self, node: NodeIx) -> Option<&str> {
        (self.flags.get(node.index()).copied().unwrap_or(0) & HAS_TITLE_JA != 0)
            .then(|| Self::text(self.title_ja_offsets, self.titles_ja, node.index()))
    }
    fn dates(&self, node: NodeIx) -> Dates {
        let d = self
            .dates
            .get(4 * node.index()..4 * node.index() + 4)
            .unwrap_or(&[NO_DATE; 4]);
        Dates {
            published: decode_date(d[0]),
            enacted: decode_date(d[1]),
            effective: decode_date(d[2]),
            withdrawn: decode_date(d[3]),
        }
    }
    fn ends(&self, edge: EdgeIx) -> Ends {
        // A damaged entry reads as node 0, which exists whenever there are edges to ask about.
        let e = edge.0 as usize;
        Ends {
            from: NodeIx(self.edge_from.get(e).copied().unwrap_or(0)),
            to: NodeIx(self.edge_to.get(e).copied().unwrap_or(0)),
            relation: RelationId(self.edge_relation.get(e).copied().unwrap_or(0) as u16),
        }
    }
    fn out_links(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, Ends)> + '_ {
        self.links(self.out, node, true)
    }
    fn in_links(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, Ends)> + '_ {
        self.links(self.inc, node, false)
    }
    fn relation_name(&self, relation: RelationId) -> &str {
        Self::text(
            self.relation_name_offsets,
            self.relation_names,
            relation.0 as usize,
        )
    }
    fn relation_impact(&self, relation: RelationId) -> Impact {
        match self
            .relation_info
            .get(2 * relation.0 as usize)
            .copied()
            .unwrap_or(2)
        {
            0 => Impact::ToSource,
            1 => Impact::ToTarget,
            _ => Impact::None,
        }
    }
    fn relation_replaces(&self, relation: RelationId) -> bool {
        self.relation_info.get(2 * relation.0 as usize + 1) == Some(&1)
    }
    fn relation_named(&self, name: &str) -> Option<RelationId> {
        (0..self.relation_count() as u16)
            .map(RelationId)
            .find(|r| self.relation_name(*r) == name)
    }
    fn relation_count(&self) -> usize {
        self.relation_info.len() / 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Node};
    use crate::query::{Direction, ReachOptions};

    /// An 8-byte aligned copy of a buffer, as a memory map would be.
    fn aligned(bytes: &[u8]) -> Vec<u64> {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..bytes.len()].copy_from_slice(bytes);
        words
    }

    fn view(words: &[u64], len: usize) -> Result<CompactGraph<'_>, BadSnapshot> {
        CompactGraph::new(&bytemuck::cast_slice::<u64, u8>(words)[..len])
    }

    fn sample() -> Graph {
        let mut nodes = vec![
            Node::new("S", NodeKind::Standard, "Standard"),
            Node::new("I", NodeKind::EvaluationItem, "Item"),
            Node::new("G", NodeKind::Guideline, "Guideline"),
            Node::new("L", NodeKind::Regulation, "Law"),
        ];
        nodes[0].title_ja = Some("規格".into());
        nodes[0].status = Some(Status::Published);
        nodes[3].dates.enacted = Some(crate::model::parse_date("2013-11-20").unwrap());
        let edges = vec![
            Edge::new("I", "cites", "S"),
            Edge::new("G", "requires", "I"),
            Edge::new("G", "governed_by", "L"),
        ];
        Graph::build(crate::testing::catalog(), nodes, edges).unwrap()
    }

    #[test]
    fn a_snapshot_answers_as_the_graph_does() {
        let graph = sample();
        let bytes = CompactGraph::encode(&graph, [7; 16]);
        let words = aligned(&bytes);
        let compact = view(&words, bytes.len()).unwrap();
        assert_eq!(compact.snapshot(), [7; 16]);
        assert_eq!(CompactGraph::snapshot_id(&bytes), Some([7; 16]));
        for i in 0..graph.node_count() as u32 {
            let n = NodeIx(i);
            assert_eq!(compact.id(n), GraphView::id(&graph, n));
            assert_eq!(compact.find(GraphView::id(&graph, n)), Some(n));
            assert_eq!(compact.kind(n), GraphView::kind(&graph, n));
            assert_eq!(compact.status(n), GraphView::status(&graph, n));
            assert_eq!(compact.title(n), GraphView::title(&graph, n));
            assert_eq!(compact.title_ja(n), GraphView::title_ja(&graph, n));
            assert_eq!(compact.dates(n), GraphView::dates(&graph, n));
            assert!(compact.out_links(n).eq(graph.out_links(n)));
            assert!(compact.in_links(n).eq(graph.in_links(n)));
        }
        assert_eq!(compact.find("nope"), None);
        for r in 0..graph.relation_count() as u16 {
            let r = RelationId(r);
            assert_eq!(compact.relation_name(r), graph.relation_name(r));
            assert_eq!(compact.relation_impact(r), graph.relation_impact(r));
        }
        let options = ReachOptions::default();
        let s = graph.find("S").unwrap();
        let a = crate::query::reach(&graph, &[s], Direction::Impact, &options);
        let b = crate::query::reach(&compact, &[s], Direction::Impact, &options);
        assert_eq!(a.hits, b.hits);
        assert_eq!(a.path(&graph, NodeIx(2)), b.path(&compact, NodeIx(2)));
    }

    #[test]
    fn damaged_snapshots_are_refused_not_trusted() {
        let bytes = CompactGraph::encode(&sample(), [1; 16]);
        let words = aligned(&bytes);
        assert!(view(&words, bytes.len() - 1).is_err(), "truncated");
        assert!(view(&words, 10).is_err(), "too short");
        // Flip each byte of the body in turn (beyond the header's id): either the result is
        // refused, or it still reads without panicking.
        for at in 40..bytes.len() {
            let mut broken = bytes.clone();
            broken[at] ^= 0xFF;
            let words = aligned(&broken);
            if let Ok(g) = view(&words, broken.len()) {
                for i in 0..g.node_count() as u32 {
                    let n = NodeIx(i);
                    let _ = (
                        g.id(n),
                        g.kind(n),
                        g.status(n),
                        g.title_in(n, crate::Lang::Ja),
                        g.dates(n),
                    );
                    for (e, ends) in g.out_links(n).chain(g.in_links(n)) {
                        let _ = (g.relation_name(ends.relation), g.ends(e));
                    }
                }
                let _ = crate::query::reach(&g, &[NodeIx(0)], Direction::Impact, &ReachOptions::default());
            }
        }
    }
}
