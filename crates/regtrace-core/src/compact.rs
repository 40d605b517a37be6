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
//! After the section table comes a CRC-32 of every section, and the header holds a CRC-32 of
//! the header, the section table and those sums.
//!
//! Opening ([`CompactGraph::new`]) checks the header's CRC, the section table (bounds,
//! alignment, sizes against the counts) and that every offsets array ends at its data.
//! [`CompactGraph::verify`] checks every section against its CRC (in parallel; the store does it
//! once whenever it opens a snapshot for a query, so a damaged file is never used). The reads
//! stay checked as well: an edge is followed only if both its ends and its relation are in range
//! and it belongs to the row it was found in; a string, a row or a code out of range reads as
//! empty or a placeholder. A damaged file therefore never panics or loops, and is refused.
//! Staleness is ruled out by the snapshot id (see regtrace-store).

use chrono::{Datelike, NaiveDate};

use crate::catalog::{Impact, RelationId};
use crate::graph::{EdgeIx, Graph, NodeIx};
use crate::model::{Date, Dates, NodeKind, Precision, Status};
use crate::view::{Ends, GraphView};

const MAGIC: &[u8; 8] = b"RGTRSNAP";
const VERSION: u32 = 6;
const HEADER: usize = 64;
const NO_DATE: i32 = i32::MIN;

/// The sections, in file order.
#[derive(Debug, Clone, Copy)]
enum Section {
    RelationInfo,
    RelationNameOffsets,
    RelationNames,
    Kinds,
    Statuses,
    Flags,
    Dates,
    /// Where each node's rows of outgoing and incoming links start, as a pair per node, and
    /// where they end after the last: a traversal reads both from one place.
    RowStarts,
    /// The rows of outgoing links: (edge, other end, relation) triples, so a row is one
    /// stretch of memory.
    OutLinks,
    InLinks,
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
    // The rest of each record, so the whole `Graph` can be rebuilt without SQLite
    // (`CompactGraph::to_graph`): per node designation, edition, body and source; attributes;
    // each edge's provenance; the catalog.
    NodeTextOffsets,
    NodeTexts,
    AttributeRanges,
    AttributeTextOffsets,
    AttributeTexts,
    EdgeSourceFlags,
    EdgeSourceOffsets,
    EdgeSources,
    Catalog,
    // Every node's folded id, titles and designation, for search (`SearchText`).
    SearchOffsets,
    SearchTexts,
}

const SECTIONS: usize = 32;
/// Where the header keeps the CRC-32 of the header (before it), the section table and the sums.
const LAYOUT_SUM: usize = 40;
/// Where the table of (offset, length) pairs starts, and the CRC-32 of each section after it.
const TABLE: usize = HEADER;
const SUMS: usize = TABLE + SECTIONS * 16;
const LAYOUT_END: usize = SUMS + SECTIONS * 4;

/// Section names, in file order, for a report that names what is damaged.
const SECTION_NAMES: [&str; SECTIONS] = [
    "relation info",
    "relation name offsets",
    "relation names",
    "kinds",
    "statuses",
    "flags",
    "dates",
    "row starts",
    "outgoing links",
    "incoming links",
    "edge from",
    "edge to",
    "edge relation",
    "id offsets",
    "ids",
    "title offsets",
    "titles",
    "Japanese title offsets",
    "Japanese titles",
    "id order",
    "id rank",
    "node text offsets",
    "node texts",
    "attribute ranges",
    "attribute text offsets",
    "attribute texts",
    "edge source flags",
    "edge source offsets",
    "edge sources",
    "catalog",
    "search offsets",
    "search texts",
];

/// The CRC-32 of the layout: the header up to its sum, the section table and the sums.
fn layout_sum(bytes: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&bytes[..LAYOUT_SUM]);
    hasher.update(&bytes[TABLE..LAYOUT_END]);
    hasher.finalize()
}
const HAS_TITLE_JA: u8 = 1;
/// Flags of the optional texts in `NodeTexts`, in their order there.
const HAS_TEXT: [u8; 4] = [2, 4, 8, 16];

/// The catalog as the snapshot carries it.
#[derive(serde::Serialize, serde::Deserialize)]
struct CatalogRecord {
    relations: Vec<crate::catalog::RelationSpec>,
    fingerprints: Vec<crate::fingerprint::FingerprintSpec>,
    /// The catalog's `[review] kinds`, when it states them (absent in older snapshots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    review_kinds: Option<Vec<crate::NodeKind>>,
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
    row_starts: &'a [[u32; 2]],
    out: &'a [[u32; 3]],
    inc: &'a [[u32; 3]],
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
    node_text_offsets: &'a [u32],
    node_texts: &'a [u8],
    attribute_ranges: &'a [u32],
    attribute_text_offsets: &'a [u32],
    attribute_texts: &'a [u8],
    edge_source_flags: &'a [u8],
    edge_source_offsets: &'a [u32],
    edge_sources: &'a [u8],
    catalog: &'a [u8],
    search_offsets: &'a [u32],
    search_texts: &'a [u8],
}

fn impact_code(impact: Impact) -> u8 {
    match impact {
        Impact::ToSource => 0,
        Impact::ToTarget => 1,
        Impact::None => 2,
    }
}

/// A day as its day number from the common era (positive); a month or a year as a negative
/// code holding its first day and its precision.
fn date_code(date: Option<Date>) -> i32 {
    date.map_or(NO_DATE, |d| {
        let days = d.first_day().num_days_from_ce();
        match d.precision() {
            Precision::Day => days,
            Precision::Month => -(days * 2) - 1,
            Precision::Year => -(days * 2) - 2,
        }
    })
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
        let mut out = std::io::Cursor::new(Vec::new());
        // Writing to memory cannot fail; were it to, the empty buffer is no snapshot.
        match Self::encode_to(graph, id, &mut out) {
            Ok(()) => out.into_inner(),
            Err(_) => Vec::new(),
        }
    }

    /// Writes the snapshot [`CompactGraph::encode`] makes to `out`, one section at a time: a
    /// million-node snapshot is about 200 MB, and holding every section and then the whole
    /// file doubled an import's peak memory. The layout (the header, the section table and the
    /// sums) is written first as a placeholder and again at the end, where `out` started.
    pub fn encode_to<W: std::io::Write + std::io::Seek>(
        graph: &Graph,
        id: [u8; 16],
        out: &mut W,
    ) -> std::io::Result<()> {
        let n = graph.node_count();
        let m = graph.edge_count();
        let relations = graph.catalog().relations();
        let nodes = graph.nodes();
        let links = graph.links();

        let start = out.stream_position()?;
        let mut layout = Vec::with_capacity(LAYOUT_END);
        layout.extend_from_slice(MAGIC);
        layout.extend_from_slice(&VERSION.to_le_bytes());
        layout.extend_from_slice(&(n as u32).to_le_bytes());
        layout.extend_from_slice(&(m as u32).to_le_bytes());
        layout.extend_from_slice(&(relations.len() as u32).to_le_bytes());
        layout.extend_from_slice(&id);
        layout.resize(LAYOUT_END, 0);
        out.write_all(&layout)?;
        let mut written = LAYOUT_END;
        let mut sections = 0;
        // Each section in its order, aligned to 8 bytes, with its place and sum in the layout.
        let mut put = |section: &[u8]| -> std::io::Result<()> {
            let padding = written.next_multiple_of(8) - written;
            out.write_all(&[0u8; 8][..padding])?;
            written += padding;
            let entry = TABLE + sections * 16;
            layout[entry..entry + 8].copy_from_slice(&(written as u64).to_le_bytes());
            layout[entry + 8..entry + 16].copy_from_slice(&(section.len() as u64).to_le_bytes());
            let sum = SUMS + sections * 4;
            layout[sum..sum + 4].copy_from_slice(&crc32fast::hash(section).to_le_bytes());
            out.write_all(section)?;
            written += section.len();
            sections += 1;
            Ok(())
        };

        put(&relations
            .iter()
            .flat_map(|r| [impact_code(r.impact), r.replaces as u8])
            .collect::<Vec<u8>>())?;
        put_strings(&mut put, relations.iter().map(|r| r.name.as_str()))?;
        put(&nodes
            .iter()
            .map(|node| NodeKind::ALL.iter().position(|k| *k == node.kind).unwrap_or(0) as u8)
            .collect::<Vec<u8>>())?;
        put(&nodes
            .iter()
            .map(|node| {
                node.status
                    .and_then(|s| Status::ALL.iter().position(|x| *x == s))
                    .map_or(0, |p| p as u8 + 1)
            })
            .collect::<Vec<u8>>())?;
        put(&nodes
            .iter()
            .map(|node| {
                let texts = [&node.designation, &node.edition, &node.body, &node.source];
                let mut flags = if node.title_ja.is_some() { HAS_TITLE_JA } else { 0 };
                for (text, flag) in texts.iter().zip(HAS_TEXT) {
                    if text.is_some() {
                        flags |= flag;
                    }
                }
                flags
            })
            .collect::<Vec<u8>>())?;
        put(&nodes
            .iter()
            .flat_map(|node| {
                let d = node.dates;
                [d.published, d.enacted, d.effective, d.withdrawn].map(date_code)
            })
            .flat_map(i32::to_le_bytes)
            .collect::<Vec<u8>>())?;
        let mut starts = Vec::with_capacity(n + 1);
        let (mut outs, mut ins) = (0u32, 0u32);
        for i in 0..n as u32 {
            starts.push([outs, ins]);
            outs += graph.out_links(NodeIx(i)).count() as u32;
            ins += graph.in_links(NodeIx(i)).count() as u32;
        }
        starts.push([outs, ins]);
        put(&u32_bytes(bytemuck::cast_slice(&starts)))?;
        drop(starts);
        for outgoing in [true, false] {
            let mut rows = Vec::with_capacity(3 * m);
            for i in 0..n as u32 {
                let row: Box<dyn Iterator<Item = (EdgeIx, Ends)>> = if outgoing {
                    Box::new(graph.out_links(NodeIx(i)))
                } else {
                    Box::new(graph.in_links(NodeIx(i)))
                };
                for (e, ends) in row {
                    let other = if outgoing { ends.to } else { ends.from };
                    rows.extend([e.0, other.0, ends.relation.0 as u32]);
                }
            }
            put(&u32_bytes(&rows))?;
        }
        put(&u32_bytes(&links.iter().map(|l| l.from.0).collect::<Vec<_>>()))?;
        put(&u32_bytes(&links.iter().map(|l| l.to.0).collect::<Vec<_>>()))?;
        put(&u32_bytes(
            &links.iter().map(|l| l.relation.0 as u32).collect::<Vec<_>>(),
        ))?;
        put_strings(&mut put, nodes.iter().map(|n| n.id.as_str()))?;
        put_strings(&mut put, nodes.iter().map(|n| n.title.as_str()))?;
        put_strings(
            &mut put,
            nodes.iter().map(|n| n.title_ja.as_deref().unwrap_or("")),
        )?;
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by(|a, b| nodes[*a as usize].id.cmp(&nodes[*b as usize].id));
        let mut rank = vec![0u32; n];
        for (r, node) in order.iter().enumerate() {
            rank[*node as usize] = r as u32;
        }
        put(&u32_bytes(&order))?;
        drop(order);
        put(&u32_bytes(&rank))?;
        drop(rank);
        put_strings(
            &mut put,
            nodes.iter().flat_map(|n| {
                [&n.designation, &n.edition, &n.body, &n.source].map(|t| t.as_deref().unwrap_or(""))
            }),
        )?;
        let mut attribute_ranges = vec![0u32];
        let mut pairs: Vec<&str> = Vec::new();
        for node in nodes {
            for (key, value) in &node.attributes {
                pairs.extend([key.as_str(), value.as_str()]);
            }
            attribute_ranges.push((pairs.len() / 2) as u32);
        }
        put(&u32_bytes(&attribute_ranges))?;
        put_strings(&mut put, pairs.into_iter())?;
        put(&links
            .iter()
            .map(|l| l.source.is_some() as u8)
            .collect::<Vec<u8>>())?;
        put_strings(&mut put, links.iter().map(|l| l.source.as_deref().unwrap_or("")))?;
        put(&serde_json::to_vec(&CatalogRecord {
            relations: relations.iter().map(|r| r.to_spec()).collect(),
            fingerprints: graph.catalog().fingerprints().specs().to_vec(),
            review_kinds: graph.catalog().stated_review_kinds().map(<[_]>::to_vec),
        })
        .unwrap_or_default())?;
        let search = crate::search::SearchText::of(graph);
        let (search_offsets, search_texts) = search.parts();
        put(&u32_bytes(search_offsets))?;
        put(search_texts)?;
        debug_assert_eq!(sections, SECTIONS);

        let sum = layout_sum(&layout);
        layout[LAYOUT_SUM..LAYOUT_SUM + 4].copy_from_slice(&sum.to_le_bytes());
        out.seek(std::io::SeekFrom::Start(start))?;
        out.write_all(&layout)?;
        out.seek(std::io::SeekFrom::Start(start + written as u64))?;
        Ok(())
    }
}

/// Puts two sections: the offsets of `values` in their concatenation, then the concatenation.
fn put_strings<'s>(
    put: &mut impl FnMut(&[u8]) -> std::io::Result<()>,
    values: impl Iterator<Item = &'s str>,
) -> std::io::Result<()> {
    let (offsets, bytes) = strings(values);
    put(&u32_bytes(&offsets))?;
    put(&bytes)
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

    /// True if the buffer is a snapshot in the format this build writes (an older regtrace's
    /// is not damaged, only to be rewritten).
    pub fn is_current_format(bytes: &[u8]) -> bool {
        bytes.len() >= 12 && &bytes[..8] == MAGIC && read_u32(bytes, 8) == VERSION
    }

    /// Reads a snapshot in place, checking its whole structure. `bytes` must be 8-byte aligned
    /// (a memory map is).
    pub fn new(bytes: &'a [u8]) -> Result<Self, BadSnapshot> {
        let bad = |what: &str| Err(BadSnapshot(what.to_owned()));
        if cfg!(target_endian = "big") {
            return bad("snapshots are little-endian; this machine is not");
        }
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return bad("not a regtrace snapshot");
        }
        if read_u32(bytes, 8) != VERSION {
            return bad("written by another version of regtrace");
        }
        if bytes.len() < LAYOUT_END {
            return bad("not a regtrace snapshot");
        }
        if read_u32(bytes, LAYOUT_SUM) != layout_sum(bytes) {
            return bad("its header or section table fails its checksum");
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
            row_starts: bytemuck::cast_slice(words(Section::RowStarts, 2 * (n + 1))?),
            out: bytemuck::cast_slice(words(Section::OutLinks, 3 * m)?),
            inc: bytemuck::cast_slice(words(Section::InLinks, 3 * m)?),
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
            node_text_offsets: words(Section::NodeTextOffsets, 4 * n + 1)?,
            node_texts: section(Section::NodeTexts)?,
            attribute_ranges: words(Section::AttributeRanges, n + 1)?,
            attribute_text_offsets: {
                let raw = section(Section::AttributeTextOffsets)?;
                bytemuck::try_cast_slice::<u8, u32>(raw)
                    .map_err(|_| BadSnapshot("a section has the wrong size or alignment".into()))?
            },
            attribute_texts: section(Section::AttributeTexts)?,
            edge_source_flags: sized(Section::EdgeSourceFlags, m)?,
            edge_source_offsets: words(Section::EdgeSourceOffsets, m + 1)?,
            edge_sources: section(Section::EdgeSources)?,
            catalog: section(Section::Catalog)?,
            search_offsets: words(Section::SearchOffsets, n + 1)?,
            search_texts: section(Section::SearchTexts)?,
        };
        graph.check(m)?;
        Ok(graph)
    }

    /// Checks every section of `bytes` (a snapshot [`CompactGraph::new`] accepted) against its
    /// CRC-32, in parallel; the error names the first damaged section. Reads every page once.
    pub fn verify(bytes: &[u8]) -> Result<(), BadSnapshot> {
        CompactGraph::verify_with(bytes, |offset, len| {
            offset
                .checked_add(len)
                .and_then(|end| bytes.get(offset..end))
                .map(crc32fast::hash)
        })
    }

    /// [`CompactGraph::verify`], with each section's CRC-32 computed by `crc(offset, len)`
    /// (`None`: the range cannot be read). `bytes` need only hold the header and the section
    /// table: a caller that reads the file through small buffers checks it whole without
    /// mapping every page into the process.
    pub fn verify_with(
        bytes: &[u8],
        crc: impl Fn(usize, usize) -> Option<u32> + Sync,
    ) -> Result<(), BadSnapshot> {
        use rayon::prelude::*;
        if bytes.len() < LAYOUT_END {
            return Err(BadSnapshot("not a regtrace snapshot".into()));
        }
        let damaged = (0..SECTIONS).into_par_iter().find_first(|&i| {
            let entry = TABLE + i * 16;
            let (offset, len) = (
                read_u64(bytes, entry) as usize,
                read_u64(bytes, entry + 8) as usize,
            );
            crc(offset, len) != Some(read_u32(bytes, SUMS + i * 4))
        });
        match damaged {
            None => Ok(()),
            Some(i) => Err(BadSnapshot(format!(
                "its {} section fails its checksum",
                SECTION_NAMES[i]
            ))),
        }
    }

    /// The checks that cost nothing per node: every offsets array starts at 0 and ends at its
    /// data. Everything else is checked where it is read (see the module docs).
    fn check(&self, m: usize) -> Result<(), BadSnapshot> {
        let ends_at = |offsets: &[u32], end: usize| {
            offsets.first() == Some(&0) && offsets.last().is_some_and(|l| *l as usize == end)
        };
        let rows_end = |side: usize| {
            self.row_starts.first().is_some_and(|s| s[side] == 0)
                && self.row_starts.last().is_some_and(|s| s[side] as usize == m)
        };
        let consistent = rows_end(0)
            && rows_end(1)
            && ends_at(self.relation_name_offsets, self.relation_names.len())
            && ends_at(self.id_offsets, self.ids.len())
            && ends_at(self.title_offsets, self.titles.len())
            && ends_at(self.title_ja_offsets, self.titles_ja.len())
            && ends_at(self.node_text_offsets, self.node_texts.len())
            && ends_at(self.attribute_text_offsets, self.attribute_texts.len())
            && ends_at(self.edge_source_offsets, self.edge_sources.len())
            && ends_at(self.search_offsets, self.search_texts.len())
            && ends_at(
                self.attribute_ranges,
                self.attribute_text_offsets.len().saturating_sub(1) / 2,
            );
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

    /// The kinds a recorded change opens reviews for: the catalog's `[review] kinds`, else
    /// [`crate::catalog::DEFAULT_REVIEW_KINDS`] (as [`crate::RelationCatalog::review_kinds`]).
    pub fn review_kinds(&self) -> Result<Vec<crate::NodeKind>, BadSnapshot> {
        let record: CatalogRecord = serde_json::from_slice(self.catalog)
            .map_err(|_| BadSnapshot("the catalog is unreadable".to_owned()))?;
        Ok(record
            .review_kinds
            .unwrap_or_else(|| crate::catalog::DEFAULT_REVIEW_KINDS.to_vec()))
    }

    /// The whole graph, every record in full, as it was encoded: for the commands that need
    /// more than a traversal (show, list, audit, export, matrix, …). Much faster than loading
    /// the rows: the data was validated when it was imported, and the links arrive resolved,
    /// so only the id index and the adjacency are rebuilt. A damaged catalog or an edge out of
    /// range is an error; a damaged string reads as U+FFFD, as everywhere in a snapshot.
    pub fn to_graph(&self) -> Result<Graph, BadSnapshot> {
        use rayon::prelude::*;
        let catalog = self.relation_catalog()?;
        let nodes: Vec<crate::Node> = (0..self.nodes as u32)
            .into_par_iter()
            .map(|i| self.node_record(NodeIx(i)))
            .collect();
        let links = (0..self.edge_count() as u32)
            .map(|e| self.link(EdgeIx(e), Some))
            .collect::<Result<Vec<_>, _>>()?;
        Graph::assemble(catalog, nodes, links)
            .map_err(|second| BadSnapshot(format!("the id of node {} is repeated", second.0)))
    }

    /// The part of the graph made of `nodes` and the `edges` among them, as a graph of its own
    /// (with the catalog): the nodes numbered in the order given, the edges likewise. What a
    /// drawing of a few hundred nodes needs, without building the million others. An edge with
    /// an end outside `nodes` is an error, as is a repeated node.
    pub fn part(&self, nodes: &[NodeIx], edges: &[EdgeIx]) -> Result<Graph, BadSnapshot> {
        let catalog = self.relation_catalog()?;
        let numbered: std::collections::HashMap<NodeIx, NodeIx> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, NodeIx(i as u32)))
            .collect();
        let links = edges
            .iter()
            .map(|e| self.link(*e, |n| numbered.get(&n).copied()))
            .collect::<Result<Vec<_>, _>>()?;
        let records = nodes.iter().map(|n| self.node_record(*n)).collect();
        Graph::assemble(catalog, records, links)
            .map_err(|second| BadSnapshot(format!("the id of node {} is repeated", second.0)))
    }

    /// Each relation's Japanese name (the catalog's `title_ja`), by relation id; none from a
    /// catalog without them.
    pub fn relation_titles_ja(&self) -> Vec<Option<String>> {
        match serde_json::from_slice::<CatalogRecord>(self.catalog) {
            Ok(record) => record.relations.into_iter().map(|r| r.title_ja).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The relation catalog the snapshot carries, with its fingerprints and review kinds.
    fn relation_catalog(&self) -> Result<crate::RelationCatalog, BadSnapshot> {
        let bad = |what: &str| BadSnapshot(what.to_owned());
        let record: CatalogRecord =
            serde_json::from_slice(self.catalog).map_err(|_| bad("the catalog is unreadable"))?;
        let catalog =
            crate::RelationCatalog::from_specs(record.relations.into_iter().map(|s| (None, s)).collect())
                .map_err(|_| bad("the catalog is invalid"))?;
        let fingerprints = crate::fingerprint::Fingerprints::from_specs(
            record.fingerprints.into_iter().map(|s| (None, s)).collect(),
        )
        .map_err(|_| bad("the fingerprints are invalid"))?;
        let catalog = catalog
            .with_fingerprints(fingerprints)
            .with_review_kinds(record.review_kinds);
        if catalog.relations().len() != self.relation_count() {
            return Err(bad("the catalog disagrees with the relations"));
        }
        Ok(catalog)
    }

    /// Edge `e` as a link, its ends numbered by `number` (`None`: not in the graph built).
    fn link(
        &self,
        e: EdgeIx,
        number: impl Fn(NodeIx) -> Option<NodeIx>,
    ) -> Result<crate::graph::Link, BadSnapshot> {
        let i = e.0 as usize;
        let (n, r) = (self.nodes as u32, self.relation_count() as u32);
        let ends = self
            .edge_from
            .get(i)
            .zip(self.edge_to.get(i))
            .zip(self.edge_relation.get(i))
            .filter(|((from, to), relation)| **from < n && **to < n && **relation < r);
        let Some(((&from, &to), &relation)) = ends else {
            return Err(BadSnapshot("an edge lies outside the graph".into()));
        };
        let (Some(from), Some(to)) = (number(NodeIx(from)), number(NodeIx(to))) else {
            return Err(BadSnapshot("an edge lies outside the part asked for".into()));
        };
        Ok(crate::graph::Link {
            from,
            to,
            relation: RelationId(relation as u16),
            source: self.edge_source(e).map(str::to_owned),
        })
    }

    /// A link's provenance (`source`), if it has one.
    pub fn edge_source(&self, edge: crate::EdgeIx) -> Option<&'a str> {
        let e = edge.0 as usize;
        (self.edge_source_flags.get(e) == Some(&1))
            .then(|| Self::text(self.edge_source_offsets, self.edge_sources, e))
    }

    /// A node's whole record, read from the snapshot alone (for a point lookup such as
    /// `show`, without building the graph).
    pub fn node_record(&self, ix: NodeIx) -> crate::Node {
        let i = ix.index();
        let mut node = crate::Node::new(self.id(ix), self.kind(ix), self.title(ix));
        node.title_ja = self.title_ja(ix).map(str::to_owned);
        node.status = self.status(ix);
        node.dates = self.dates(ix);
        let flags = self.flags.get(i).copied().unwrap_or(0);
        let [designation, edition, body, source] = [0, 1, 2, 3].map(|k| {
            (flags & HAS_TEXT[k] != 0)
                .then(|| Self::text(self.node_text_offsets, self.node_texts, 4 * i + k).to_owned())
        });
        (node.designation, node.edition, node.body, node.source) = (designation, edition, body, source);
        let pairs = self.attribute_ranges.get(i).zip(self.attribute_ranges.get(i + 1));
        if let Some((&a, &b)) = pairs {
            for p in a as usize..b as usize {
                let text = |k| Self::text(self.attribute_text_offsets, self.attribute_texts, k).to_owned();
                node.attributes.insert(text(2 * p), text(2 * p + 1));
            }
        }
        node
    }

    /// The folded texts a search scans, read in place.
    pub fn search_text(&self) -> crate::search::SearchText<'a> {
        crate::search::SearchText::borrowed(self.search_offsets, self.search_texts)
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
        rows: &'a [[u32; 3]],
        node: NodeIx,
        outgoing: bool,
    ) -> impl Iterator<Item = (EdgeIx, Ends)> + 'a {
        let (nodes, relations) = (self.nodes as u32, self.relation_count() as u32);
        let side = if outgoing { 0 } else { 1 };
        let span = self
            .row_starts
            .get(node.index())
            .zip(self.row_starts.get(node.index() + 1));
        let (a, b) = span
            .map(|(this, next)| (this[side] as usize, next[side] as usize))
            .filter(|(a, b)| a <= b && *b <= rows.len())
            .unwrap_or((0, 0));
        rows[a..b].iter().filter_map(move |&[e, other, r]| {
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

fn decode_date(code: i32) -> Option<Date> {
    if code == NO_DATE {
        return None;
    }
    if code > 0 {
        return NaiveDate::from_num_days_from_ce_opt(code).map(Date::day);
    }
    let partial = -(code + 1);
    let first = NaiveDate::from_num_days_from_ce_opt(partial / 2)?;
    if partial % 2 == 0 {
        Date::month(first.year(), first.month())
    } else {
        Date::year(first.year())
    }
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
    fn a_snapshot_written_section_by_section_after_other_bytes_is_the_same_snapshot() {
        let graph = sample();
        let whole = CompactGraph::encode(&graph, [3; 16]);
        let mut out = std::io::Cursor::new(b"lead".to_vec());
        out.set_position(4);
        CompactGraph::encode_to(&graph, [3; 16], &mut out).expect("written");
        assert_eq!(out.position() as usize, 4 + whole.len(), "left at its end");
        let bytes = out.into_inner();
        assert_eq!(&bytes[..4], b"lead");
        assert_eq!(&bytes[4..], &whole[..]);
        CompactGraph::new(&whole).expect("valid");
        CompactGraph::verify(&whole).expect("every section's sum holds");
    }

    #[test]
    fn the_whole_graph_comes_back_from_a_snapshot() {
        let mut graph = sample();
        // Every optional field, attributes, link provenance, an empty attribute value and
        // hostile text, on top of the sample.
        let mut nodes = graph.nodes().to_vec();
        nodes[0].designation = Some("ISO 14971".into());
        nodes[0].edition = Some("2019".into());
        nodes[0].body = Some("ISO".into());
        nodes[0].source = Some("seed slide 15 \u{202e}".into());
        nodes[1].attributes.insert("owner".into(), "QA 品質".into());
        nodes[1].attributes.insert("empty".into(), String::new());
        nodes[2].edition = Some(String::new());
        let mut edges = graph.to_edges();
        edges[1].source = Some("slide 9".into());
        edges[2].source = Some(String::new());
        graph = Graph::build(graph.catalog().clone(), nodes, edges).unwrap();

        let bytes = CompactGraph::encode(&graph, [7; 16]);
        let words = aligned(&bytes);
        let back = view(&words, bytes.len()).unwrap().to_graph().unwrap();
        let strip = |nodes: &[Node]| -> Vec<Node> {
            nodes
                .iter()
                .cloned()
                .map(|mut n| {
                    n.location = None;
                    n
                })
                .collect()
        };
        assert_eq!(strip(back.nodes()), strip(graph.nodes()));
        assert_eq!(back.links(), graph.links());
        assert_eq!(back.catalog().relations(), graph.catalog().relations());
        assert_eq!(
            back.catalog().fingerprints().specs(),
            graph.catalog().fingerprints().specs()
        );
        assert_eq!(back.find("G"), graph.find("G"));
        let row = |g: &Graph, id| {
            g.incoming(g.find(id).unwrap())
                .map(|(e, _)| e)
                .collect::<Vec<_>>()
        };
        assert_eq!(row(&back, "I"), row(&graph, "I"));
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
    fn a_snapshot_whose_ids_repeat_is_not_rebuilt_into_a_graph() {
        let bytes = CompactGraph::encode(&sample(), [1; 16]);
        // The ids are stored as text, one after another: "S", "I", "G", "L". Make "I" an "S".
        let at = bytes
            .windows(4)
            .position(|w| w == b"SIGL")
            .expect("the ids are stored together");
        let mut broken = bytes.clone();
        broken[at + 1] = b'S';
        let words = aligned(&broken);
        let compact = view(&words, broken.len()).expect("the layout is intact");
        let error = compact
            .to_graph()
            .expect_err("a repeated id must be refused, not dropped");
        assert!(error.to_string().contains("repeated"), "{error}");
    }

    #[test]
    fn every_flipped_byte_of_the_layout_or_a_section_is_caught() {
        let bytes = CompactGraph::encode(&sample(), [1; 16]);
        let words = aligned(&bytes);
        assert!(view(&words, bytes.len()).is_ok());
        assert!(CompactGraph::verify(&bytes).is_ok());
        let mut checked = vec![false; bytes.len()];
        checked[..LAYOUT_SUM + 4].iter_mut().for_each(|c| *c = true);
        checked[TABLE..LAYOUT_END].iter_mut().for_each(|c| *c = true);
        for i in 0..SECTIONS {
            let entry = TABLE + i * 16;
            let (offset, len) = (
                read_u64(&bytes, entry) as usize,
                read_u64(&bytes, entry + 8) as usize,
            );
            checked[offset..offset + len].iter_mut().for_each(|c| *c = true);
        }
        let mut caught = 0;
        for at in (0..bytes.len()).filter(|at| checked[*at]) {
            let mut broken = bytes.clone();
            broken[at] ^= 0x01;
            let words = aligned(&broken);
            let refused = view(&words, broken.len()).is_err() || CompactGraph::verify(&broken).is_err();
            assert!(refused, "a flip at byte {at} went unnoticed");
            caught += 1;
        }
        assert!(caught > 500, "{caught}");
        // The error names the section.
        let kinds = read_u64(&bytes, TABLE + Section::Kinds as usize * 16) as usize;
        let mut broken = bytes.clone();
        broken[kinds] ^= 0x01;
        let error = CompactGraph::verify(&broken).unwrap_err();
        assert_eq!(
            error.to_string(),
            "damaged snapshot: its kinds section fails its checksum"
        );
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
