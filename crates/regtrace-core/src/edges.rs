//! Edges as read from source files, before they are checked into a [`crate::Graph`]: a packed
//! list.
//!
//! A million-node data set brings two million edges, each three short strings and a place. As
//! [`Edge`] records that is two allocations' worth of bookkeeping per string and a 144-byte
//! record per edge, about 240 bytes an edge, most of the peak memory of an import. An
//! [`EdgeList`] keeps every edge's text in one buffer and a fixed 40-byte row per edge (offsets,
//! lengths, and the place as a file number, line and column), about a quarter of that, and the
//! CSV reader fills it without allocating per edge. Readers that build [`Edge`] values push them
//! in; the graph reads each edge back as an [`EdgeAt`].

use std::sync::Arc;

use crate::diagnostics::Location;
use crate::model::Edge;

/// What an unset source, place, line or column is written as in a [`Row`].
const NONE: u32 = u32::MAX;

/// Edges in the order they were read: their text in one buffer, one fixed row each.
#[derive(Debug, Clone, Default)]
pub struct EdgeList {
    /// Every edge's `from`, `to`, `relation` and `source`, one after the other.
    text: String,
    rows: Vec<Row>,
    /// The files (and worksheets) edges were read from; a row holds its place's position.
    places: Vec<Place>,
}

/// A file (and worksheet) edges were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    file: Arc<str>,
    sheet: Option<Arc<str>>,
    /// In a worksheet with a header: the columns (1-based) of `from`, `to` and `relation`, so a
    /// problem with one part of an edge names that part's cell.
    columns: Option<[u32; 3]>,
}

/// A part of an edge a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgePart {
    /// The node it starts from.
    From = 0,
    /// The node it points to.
    To = 1,
    /// The relation.
    Relation = 2,
}

/// One edge: where its text starts in [`EdgeList::text`], the lengths of its four parts, and
/// its place.
#[derive(Debug, Clone, Copy)]
struct Row {
    start: u64,
    from: u32,
    to: u32,
    relation: u32,
    /// [`NONE`] when the edge has no source.
    source: u32,
    /// Position in [`EdgeList::places`], or [`NONE`].
    place: u32,
    line: u32,
    column: u32,
}

/// A field's length as a row keeps it: a field is kept up to 4 GiB (an id longer than 200
/// characters is refused anyway).
fn length(text: &str) -> (u32, &str) {
    let mut end = text.len().min(NONE as usize - 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (end as u32, &text[..end])
}

impl EdgeList {
    /// An empty list.
    pub fn new() -> EdgeList {
        EdgeList::default()
    }

    /// Number of edges.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is no edge.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Makes room for `edges` more edges whose text takes `text` bytes.
    pub fn reserve(&mut self, edges: usize, text: usize) {
        self.rows.reserve(edges);
        self.text.reserve(text);
    }

    /// Bytes of text the edges hold (for sizing a list they will be appended to).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Appends the edge `from --relation--> to`, with its provenance and where it was read.
    pub fn push_parts(
        &mut self,
        from: &str,
        relation: &str,
        to: &str,
        source: Option<&str>,
        location: Option<&Location>,
    ) {
        let start = self.text.len() as u64;
        let mut put = |text: &str| {
            let (len, kept) = length(text);
            self.text.push_str(kept);
            len
        };
        let (from, to, relation) = (put(from), put(to), put(relation));
        let source = source.map_or(NONE, put);
        let (place, line, column) = match location {
            Some(at) => (
                self.place_of(&at.file, &at.sheet),
                at.line.unwrap_or(NONE),
                at.column.unwrap_or(NONE),
            ),
            None => (NONE, NONE, NONE),
        };
        self.rows.push(Row {
            start,
            from,
            to,
            relation,
            source,
            place,
            line,
            column,
        });
    }

    /// Appends `edge`.
    pub fn push(&mut self, edge: Edge) {
        self.push_edge(&edge);
    }

    /// Appends a copy of `edge`.
    pub fn push_edge(&mut self, edge: &Edge) {
        self.push_parts(
            &edge.from,
            &edge.relation,
            &edge.to,
            edge.source.as_deref(),
            edge.location.as_ref(),
        );
    }

    /// The position of a file and sheet among the places, added if new. Edges come file by
    /// file, so the search from the last place nearly always stops there.
    fn place_of(&mut self, file: &Arc<str>, sheet: &Option<Arc<str>>) -> u32 {
        if let Some(known) = self
            .places
            .iter()
            .rposition(|p| p.file == *file && p.sheet == *sheet)
        {
            return known as u32;
        }
        self.places.push(Place {
            file: file.clone(),
            sheet: sheet.clone(),
            columns: None,
        });
        (self.places.len() - 1) as u32
    }

    /// Says where the parts of the edges read from `sheet` of `file` sit: the columns (1-based)
    /// of `from`, `to` and `relation`, as its header gives them. A problem with one part then
    /// names that part's cell ([`EdgeAt::location_of`]).
    pub fn set_columns(&mut self, file: &Arc<str>, sheet: &Arc<str>, columns: [u32; 3]) {
        let place = self.place_of(file, &Some(sheet.clone())) as usize;
        self.places[place].columns = Some(columns);
    }

    /// The edge at position `i`.
    ///
    /// # Panics
    /// If `i` is not below [`EdgeList::len`].
    pub fn get(&self, i: usize) -> EdgeAt<'_> {
        EdgeAt {
            list: self,
            row: self.rows[i],
        }
    }

    /// Every edge, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = EdgeAt<'_>> + Clone + '_ {
        self.rows.iter().map(|&row| EdgeAt { list: self, row })
    }

    /// Appends every edge of `other`, taking it whole when this list is empty and has no room
    /// reserved.
    pub fn append(&mut self, other: EdgeList) {
        if self.is_empty() && self.places.is_empty() && self.rows.capacity() == 0 {
            *self = other;
            return;
        }
        self.text.reserve(other.text.len());
        self.rows.reserve(other.rows.len());
        let shift = self.text.len() as u64;
        self.text.push_str(&other.text);
        let places: Vec<u32> = other
            .places
            .iter()
            .map(|place| {
                let at = self.place_of(&place.file, &place.sheet);
                if place.columns.is_some() {
                    self.places[at as usize].columns = place.columns;
                }
                at
            })
            .collect();
        self.rows.extend(other.rows.iter().map(|row| Row {
            start: row.start + shift,
            place: places.get(row.place as usize).copied().unwrap_or(NONE),
            ..*row
        }));
    }

    /// The edges `keep` accepts, in order (their places as they are).
    pub fn filtered(&self, mut keep: impl FnMut(EdgeAt<'_>) -> bool) -> EdgeList {
        let mut kept = EdgeList {
            places: self.places.clone(),
            ..EdgeList::default()
        };
        for edge in self.iter().filter(|e| keep(*e)) {
            let start = kept.text.len() as u64;
            kept.text.push_str(edge.text());
            kept.rows.push(Row { start, ..edge.row });
        }
        kept
    }

    /// Every edge as an [`Edge`] record.
    pub fn to_edges(&self) -> Vec<Edge> {
        self.iter().map(|e| e.to_edge()).collect()
    }
}

impl From<Vec<Edge>> for EdgeList {
    fn from(edges: Vec<Edge>) -> EdgeList {
        edges.into_iter().collect()
    }
}

impl Extend<Edge> for EdgeList {
    fn extend<I: IntoIterator<Item = Edge>>(&mut self, edges: I) {
        for edge in edges {
            self.push(edge);
        }
    }
}

impl FromIterator<Edge> for EdgeList {
    fn from_iter<I: IntoIterator<Item = Edge>>(edges: I) -> EdgeList {
        let mut list = EdgeList::new();
        list.extend(edges);
        list
    }
}

/// One edge of an [`EdgeList`], read in place.
#[derive(Debug, Clone, Copy)]
pub struct EdgeAt<'a> {
    list: &'a EdgeList,
    row: Row,
}

impl<'a> EdgeAt<'a> {
    /// The lengths of the edge's four parts (an unset source is empty).
    fn lengths(&self) -> [usize; 4] {
        let Row {
            from,
            to,
            relation,
            source,
            ..
        } = self.row;
        [from, to, relation, if source == NONE { 0 } else { source }].map(|n| n as usize)
    }

    /// The parts `parts` of the edge's text (0: from, 1: to, 2: relation, 3: source), together.
    fn parts(&self, parts: std::ops::Range<usize>) -> &'a str {
        let lengths = self.lengths();
        let start = self.row.start as usize + lengths[..parts.start].iter().sum::<usize>();
        let len: usize = lengths[parts].iter().sum();
        &self.list.text[start..start + len]
    }

    /// The edge's four parts, one after the other.
    fn text(&self) -> &'a str {
        self.parts(0..4)
    }

    /// The id of the node the relation starts from.
    pub fn from(&self) -> &'a str {
        self.parts(0..1)
    }

    /// The id of the node it points to.
    pub fn to(&self) -> &'a str {
        self.parts(1..2)
    }

    /// The relation name, as written.
    pub fn relation(&self) -> &'a str {
        self.parts(2..3)
    }

    /// Provenance of the link.
    pub fn source(&self) -> Option<&'a str> {
        (self.row.source != NONE).then(|| self.parts(3..4))
    }

    /// Where the edge was read from.
    pub fn location(&self) -> Option<Location> {
        let place = self.list.places.get(self.row.place as usize)?;
        let known = |n: u32| (n != NONE).then_some(n);
        Some(Location {
            file: place.file.clone(),
            line: known(self.row.line),
            column: known(self.row.column),
            sheet: place.sheet.clone(),
        })
    }

    /// Where one part of the edge was read: its own cell in a worksheet whose columns are
    /// known, else where the edge was read.
    pub fn location_of(&self, part: EdgePart) -> Option<Location> {
        let mut at = self.location()?;
        if let Some(columns) = self.list.places.get(self.row.place as usize)?.columns {
            at.column = Some(columns[part as usize]);
        }
        Some(at)
    }

    /// The edge as an [`Edge`] record.
    pub fn to_edge(&self) -> Edge {
        Edge {
            from: self.from().to_owned(),
            to: self.to().to_owned(),
            relation: self.relation().to_owned(),
            source: self.source().map(str::to_owned),
            location: self.location(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: &str, relation: &str, to: &str, source: Option<&str>, at: Option<Location>) -> Edge {
        Edge {
            source: source.map(str::to_owned),
            location: at,
            ..Edge::new(from, relation, to)
        }
    }

    #[test]
    fn edges_read_back_as_pushed() {
        let file: Arc<str> = Arc::from("edges.csv");
        let book: Arc<str> = Arc::from("data.xlsx");
        let edges = vec![
            edge(
                "A",
                "cites",
                "B-2",
                Some("seed slide 15"),
                Some(Location::new(file.clone(), Some(2), None)),
            ),
            edge("", "", "", Some(""), None),
            edge(
                "規格",
                "requires",
                "x",
                None,
                Some(Location::cell(book.clone(), Arc::from("edges"), 7, 3)),
            ),
            edge(
                "C",
                "cites",
                "A",
                None,
                Some(Location::new(file.clone(), Some(9), Some(4))),
            ),
            edge("D", "cites", "A", None, Some(Location::file(book))),
        ];
        let list = EdgeList::from(edges.clone());
        assert_eq!(list.len(), edges.len());
        assert_eq!(list.to_edges(), edges);
        for (i, edge) in edges.iter().enumerate() {
            let at = list.get(i);
            assert_eq!(
                (at.from(), at.relation(), at.to(), at.source()),
                (
                    edge.from.as_str(),
                    edge.relation.as_str(),
                    edge.to.as_str(),
                    edge.source.as_deref()
                )
            );
            assert_eq!(at.location(), edge.location, "edge {i}");
        }
        assert_eq!(list.places.len(), 3, "a place is kept once");
    }

    #[test]
    fn appended_lists_keep_their_edges_and_places() {
        let a: Arc<str> = Arc::from("a.csv");
        let b: Arc<str> = Arc::from("b.csv");
        let first: Vec<Edge> = (1..4)
            .map(|i| {
                edge(
                    &format!("F{i}"),
                    "cites",
                    "T",
                    None,
                    Some(Location::new(a.clone(), Some(i), None)),
                )
            })
            .collect();
        let second: Vec<Edge> = (1..3)
            .map(|i| {
                let at = if i == 1 { &b } else { &a };
                edge(
                    "S",
                    "requires",
                    &format!("T{i}"),
                    Some("s"),
                    Some(Location::new(at.clone(), Some(i), None)),
                )
            })
            .collect();
        let mut list = EdgeList::new();
        list.append(EdgeList::from(first.clone()));
        list.append(EdgeList::from(second.clone()));
        list.append(EdgeList::new());
        let all: Vec<Edge> = first.into_iter().chain(second).collect();
        assert_eq!(list.to_edges(), all);
        assert_eq!(list.places.len(), 2, "a.csv is not kept twice");
        let kept = list.filtered(|e| e.from() != "S");
        assert_eq!(kept.to_edges(), all[..3]);
    }

    #[test]
    fn an_unset_line_is_not_line_zero() {
        let at = Location::new(Arc::from("f"), Some(0), None);
        let list = EdgeList::from(vec![edge("a", "r", "b", None, Some(at.clone()))]);
        assert_eq!(list.get(0).location(), Some(at));
    }
}
