//! Traceability matrices: which row nodes (e.g. guidelines) are linked to which column nodes
//! (e.g. standards), and through what.
//!
//! A row node is linked to a column node by its shortest chain of edges:
//! - with no `via` relations: a direct edge of any relation, either way; or a chain that only
//!   follows the catalog's impact directions, all one way: what the row node rests on
//!   (dependencies) or what rests on it (impact). A chain never passes through a node of the
//!   row or column kind, so hubs such as a law that governs everything do not link everything
//!   to everything.
//! - with `via` relations: chains of those relations only, either way, with the same rule for
//!   the nodes passed through.
//!
//! Columns are either the nodes of a kind, or the values of one attribute of the nodes of a
//! kind (e.g. the fiscal year of guidelines: fields × fiscal year, the deck's plan table).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::rc::Rc;

use rayon::prelude::*;

use crate::catalog::RelationId;
use crate::graph::{EdgeIx, Graph, NodeIx};
use crate::model::NodeKind;
use crate::query::{Direction, Steps};

/// What the columns of a matrix are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Columns {
    /// One column per node of the kind.
    Kind(NodeKind),
    /// One column per value of `attribute` among the nodes of `kind`; a row is linked to a
    /// column through the nodes of `kind` that carry that value.
    Attribute {
        /// The kind of the nodes carrying the attribute.
        kind: NodeKind,
        /// The attribute's name.
        attribute: String,
    },
}

impl Columns {
    /// The kind whose nodes a row is linked to.
    pub fn kind(&self) -> NodeKind {
        match self {
            Columns::Kind(kind) | Columns::Attribute { kind, .. } => *kind,
        }
    }
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct MatrixSpec {
    /// The kind of the row nodes.
    pub rows: NodeKind,
    /// The columns.
    pub columns: Columns,
    /// Follow only these relations (either way); empty: the default rule (see the module docs).
    pub via: Vec<RelationId>,
    /// Longest chain, in edges.
    pub max_hops: u32,
    /// Keep only the row nodes that meet every condition.
    pub rows_where: Vec<Condition>,
    /// Keep only the column-kind nodes that meet every condition (with attribute columns: the
    /// nodes whose values make the columns).
    pub columns_where: Vec<Condition>,
    /// At most this many rows, the first by id (after `rows_where`).
    pub row_limit: Option<usize>,
}

impl MatrixSpec {
    /// Rows of one kind against columns, every node, chains of any relation up to `max_hops`.
    pub fn new(rows: NodeKind, columns: Columns, max_hops: u32) -> MatrixSpec {
        MatrixSpec {
            rows,
            columns,
            via: Vec::new(),
            max_hops,
            rows_where: Vec::new(),
            columns_where: Vec::new(),
            row_limit: None,
        }
    }
}

/// A node's field (a name of [`Node::FIELDS`](crate::Node::FIELDS) or `attributes.NAME`) equal
/// to a text, e.g. `status` = `published`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The field.
    pub field: String,
    /// The text it must equal exactly.
    pub value: String,
}

impl Condition {
    /// Whether `node` meets it.
    pub fn holds(&self, node: &crate::Node) -> bool {
        node.field_text(&self.field).as_deref() == Some(self.value.as_str())
    }
}

/// Whether `node` meets every one of `conditions`.
fn meets(node: &crate::Node, conditions: &[Condition]) -> bool {
    conditions.iter().all(|c| c.holds(node))
}

/// The rows and columns a matrix will have, known before any chain is walked.
#[derive(Debug, Clone)]
pub struct MatrixHeads {
    /// Row nodes, by id.
    pub rows: Vec<NodeIx>,
    /// Column heads, by id or value.
    pub columns: Vec<ColumnHead>,
}

/// The head of a column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnHead {
    /// A node of the column kind.
    Node(NodeIx),
    /// A value of the column attribute.
    Value(String),
}

/// How a row node reaches a node of the column kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The node reached (the column node, or a node carrying the column's value).
    pub node: NodeIx,
    /// The nodes from the row node to `node`, both included.
    pub path: Vec<NodeIx>,
    /// The edge between each consecutive pair of `path`.
    pub edges: Vec<EdgeIx>,
}

/// A computed matrix. Cells are sparse: only linked (row, column) pairs are present.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// Row nodes, by id.
    pub rows: Vec<NodeIx>,
    /// Column heads, by id or value.
    pub columns: Vec<ColumnHead>,
    /// `(row index, column index)` → the connections, ordered by the reached node's id.
    pub cells: BTreeMap<(usize, usize), Vec<Connection>>,
    /// Row–column pairs linked only by chains longer than `max_hops`, so left empty: a matrix
    /// never drops a link silently (issue 36).
    pub left_out: usize,
}

impl Matrix {
    /// The connections of one cell (empty if not linked).
    pub fn cell(&self, row: usize, column: usize) -> &[Connection] {
        self.cells.get(&(row, column)).map_or(&[], Vec::as_slice)
    }

    /// Drops rows and columns that have no linked cell.
    pub fn drop_empty(&mut self) {
        let mut row_used = vec![false; self.rows.len()];
        let mut column_used = vec![false; self.columns.len()];
        for &(r, c) in self.cells.keys() {
            row_used[r] = true;
            column_used[c] = true;
        }
        let renumber = |used: &[bool]| -> Vec<Option<usize>> {
            let mut next = 0;
            used.iter()
                .map(|u| {
                    u.then(|| {
                        next += 1;
                        next - 1
                    })
                })
                .collect()
        };
        let (new_row, new_column) = (renumber(&row_used), renumber(&column_used));
        self.rows = keep_used(std::mem::take(&mut self.rows), &row_used);
        self.columns = keep_used(std::mem::take(&mut self.columns), &column_used);
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .filter_map(|((r, c), v)| Some(((new_row[r]?, new_column[c]?), v)))
            .collect();
    }
}

/// The steps a walk may take from a node: the edge and the node it leads to.
type StepList = Rc<[(EdgeIx, NodeIx)]>;

/// The steps from each node met so far, per direction (with `via`, only the first is used).
#[derive(Default)]
struct StepMemo {
    by_direction: [HashMap<NodeIx, StepList>; 2],
}

fn keep_used<T>(items: Vec<T>, used: &[bool]) -> Vec<T> {
    items
        .into_iter()
        .zip(used)
        .filter(|(_, u)| **u)
        .map(|(t, _)| t)
        .collect()
}

impl Graph {
    /// Computes a traceability matrix.
    pub fn matrix(&self, spec: &MatrixSpec) -> Matrix {
        self.matrix_over(spec, self.matrix_heads(spec))
    }

    /// The rows and columns of the matrix `spec` asks for, without walking a chain: what a
    /// caller needs to say how large it will be before computing it.
    pub fn matrix_heads(&self, spec: &MatrixSpec) -> MatrixHeads {
        let mut rows: Vec<NodeIx> = self.nodes_of_kind(spec.rows);
        rows.retain(|&row| meets(self.node(row), &spec.rows_where));
        rows.sort_by(|a, b| self.node(*a).id.cmp(&self.node(*b).id));
        rows.truncate(spec.row_limit.unwrap_or(usize::MAX));
        let mut columns: Vec<ColumnHead> = self
            .nodes_of_kind(spec.columns.kind())
            .into_iter()
            .filter_map(|node| self.column_head(spec, node))
            .collect();
        columns.sort_by(|a, b| match (a, b) {
            (ColumnHead::Node(a), ColumnHead::Node(b)) => self.node(*a).id.cmp(&self.node(*b).id),
            _ => a.cmp(b),
        });
        columns.dedup();
        MatrixHeads { rows, columns }
    }

    /// The column a node of the column kind falls in, if any: none when it fails the spec's
    /// column conditions (or, with attribute columns, has no value).
    fn column_head(&self, spec: &MatrixSpec, node: NodeIx) -> Option<ColumnHead> {
        if !meets(self.node(node), &spec.columns_where) {
            return None;
        }
        match &spec.columns {
            Columns::Kind(_) => Some(ColumnHead::Node(node)),
            Columns::Attribute { attribute, .. } => self
                .node(node)
                .attributes
                .get(attribute)
                .map(|v| ColumnHead::Value(v.clone())),
        }
    }

    /// The matrix `spec` asks for, over `heads` (from [`Graph::matrix_heads`]).
    pub fn matrix_over(&self, spec: &MatrixSpec, heads: MatrixHeads) -> Matrix {
        let target_kind = spec.columns.kind();
        let MatrixHeads { rows, columns } = heads;
        let column_of: HashMap<&ColumnHead, usize> =
            columns.iter().enumerate().map(|(i, c)| (c, i)).collect();

        let steps = [
            Steps::new(self, Direction::Dependencies),
            Steps::new(self, Direction::Impact),
        ];
        // Rows are independent: each worker walks its rows with its own memory of the steps
        // from each node it met. A hub (a standard cited a hundred thousand times) is met from
        // most rows; filtering its links once per worker instead of once per row is what makes
        // a matrix over a hundred thousand rows take seconds instead of minutes.
        let found_per_row: Vec<(Vec<Connection>, Vec<NodeIx>)> = rows
            .par_iter()
            .map_init(StepMemo::default, |memo, &row| {
                let mut found: BTreeMap<&str, Connection> = BTreeMap::new();
                // Column-kind nodes reached only beyond `max_hops`.
                let mut beyond: Vec<NodeIx> = Vec::new();
                let mut far = |node: NodeIx| beyond.push(node);
                let mut keep = |connection: Connection| {
                    let id = self.node(connection.node).id.as_str();
                    match found.get(id) {
                        Some(old) if old.edges.len() <= connection.edges.len() => {}
                        _ => {
                            found.insert(id, connection);
                        }
                    }
                };
                if spec.via.is_empty() {
                    for (d, step) in steps.iter().enumerate() {
                        let known = &mut memo.by_direction[d];
                        self.chains(
                            row,
                            spec,
                            |node| {
                                known
                                    .entry(node)
                                    .or_insert_with(|| step.from(self, node).collect())
                                    .clone()
                            },
                            &mut keep,
                            &mut far,
                        );
                    }
                    // Direct edges of any relation, impact or not (`belongs_to` a field, say).
                    let direct = self
                        .outgoing(row)
                        .map(|(e, l)| (e, l.to))
                        .chain(self.incoming(row).map(|(e, l)| (e, l.from)));
                    for (edge, next) in direct {
                        if next != row && self.node(next).kind == target_kind {
                            keep(Connection {
                                node: next,
                                path: vec![row, next],
                                edges: vec![edge],
                            });
                        }
                    }
                } else {
                    let known = &mut memo.by_direction[0];
                    let via_steps = |node: NodeIx| -> StepList {
                        known
                            .entry(node)
                            .or_insert_with(|| {
                                self.outgoing(node)
                                    .map(|(e, l)| (e, l.relation, l.to))
                                    .chain(self.incoming(node).map(|(e, l)| (e, l.relation, l.from)))
                                    .filter(|(_, relation, _)| spec.via.contains(relation))
                                    .map(|(e, _, n)| (e, n))
                                    .collect()
                            })
                            .clone()
                    };
                    self.chains(row, spec, via_steps, &mut keep, &mut far);
                }
                (found.into_values().collect(), beyond)
            })
            .collect();
        let mut cells: BTreeMap<(usize, usize), Vec<Connection>> = BTreeMap::new();
        let mut far_pairs: HashSet<(usize, usize)> = HashSet::new();
        for (r, (found, beyond)) in found_per_row.into_iter().enumerate() {
            for connection in found {
                if let Some(head) = self.column_head(spec, connection.node)
                    && let Some(&c) = column_of.get(&head)
                {
                    cells.entry((r, c)).or_default().push(connection);
                }
            }
            for node in beyond {
                if let Some(head) = self.column_head(spec, node)
                    && let Some(&c) = column_of.get(&head)
                {
                    far_pairs.insert((r, c));
                }
            }
        }
        let left_out = far_pairs.iter().filter(|pair| !cells.contains_key(pair)).count();
        Matrix {
            rows,
            columns,
            cells,
            left_out,
        }
    }

    fn nodes_of_kind(&self, kind: NodeKind) -> Vec<NodeIx> {
        (0..self.node_count() as u32)
            .map(NodeIx)
            .filter(|n| self.node(*n).kind == kind)
            .collect()
    }

    /// Breadth-first from `start` along `steps`, reporting every node of the column kind reached
    /// within `spec.max_hops` with its chain. Nodes of the row or column kind end a chain. The
    /// walk then goes on past `max_hops` (only where it was cut) to tell `beyond` the column-kind
    /// nodes linked only by longer chains, which the matrix counts as left out.
    fn chains(
        &self,
        start: NodeIx,
        spec: &MatrixSpec,
        mut steps: impl FnMut(NodeIx) -> StepList,
        found: &mut impl FnMut(Connection),
        beyond: &mut impl FnMut(NodeIx),
    ) {
        let target_kind = spec.columns.kind();
        // Local maps: a chain search touches few nodes, so no per-row O(nodes) arrays.
        let mut parent: HashMap<NodeIx, Option<EdgeIx>> = HashMap::from([(start, None)]);
        let mut queue = VecDeque::from([(start, 0u32)]);
        let mut cut = Vec::new();
        while let Some((node, depth)) = queue.pop_front() {
            if depth >= spec.max_hops {
                cut.push(node);
                continue;
            }
            for &(edge, next) in steps(node).iter() {
                if parent.contains_key(&next) {
                    continue;
                }
                parent.insert(next, Some(edge));
                let kind = self.node(next).kind;
                if kind == target_kind {
                    found(self.chain_to(start, next, &parent));
                }
                if kind != target_kind && kind != spec.rows {
                    queue.push_back((next, depth + 1));
                }
            }
        }
        // Past the limit, where it cut a walk: only which column-kind nodes lie there.
        let mut seen: HashSet<NodeIx> = HashSet::new();
        while let Some(node) = cut.pop() {
            for &(_, next) in steps(node).iter() {
                if parent.contains_key(&next) || !seen.insert(next) {
                    continue;
                }
                let kind = self.node(next).kind;
                if kind == target_kind {
                    beyond(next);
                } else if kind != spec.rows {
                    cut.push(next);
                }
            }
        }
    }

    fn chain_to(&self, start: NodeIx, end: NodeIx, parent: &HashMap<NodeIx, Option<EdgeIx>>) -> Connection {
        let (mut path, mut edges) = (vec![end], Vec::new());
        let mut current = end;
        while current != start {
            let Some(Some(edge)) = parent.get(&current) else {
                break;
            };
            let link = self.link(*edge);
            current = if link.to == current { link.from } else { link.to };
            edges.push(*edge);
            path.push(current);
        }
        path.reverse();
        edges.reverse();
        Connection {
            node: end,
            path,
            edges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Node};
    use crate::testing::catalog;

    fn with_year(mut node: Node, year: &str) -> Node {
        node.attributes.insert("fiscal_year".into(), year.into());
        node
    }

    /// g1 requires e, e cites s1; g2 cites s2 directly; both are governed by one law (a hub);
    /// g1 and g2 belong to field f.
    fn graph() -> Graph {
        let nodes = vec![
            Node::new("f", NodeKind::Field, "F"),
            with_year(Node::new("g1", NodeKind::Guideline, "G1"), "FY2011"),
            with_year(Node::new("g2", NodeKind::Guideline, "G2"), "FY2012"),
            Node::new("e", NodeKind::EvaluationItem, "E"),
            Node::new("s1", NodeKind::Standard, "S1"),
            Node::new("s2", NodeKind::Standard, "S2"),
            Node::new("s3", NodeKind::Standard, "S3 (unused)"),
            Node::new("law", NodeKind::Regulation, "Law"),
        ];
        let edges = vec![
            Edge::new("g1", "requires", "e"),
            Edge::new("e", "cites", "s1"),
            Edge::new("g2", "cites", "s2"),
            Edge::new("g1", "governed_by", "law"),
            Edge::new("g2", "governed_by", "law"),
            Edge::new("s2", "governed_by", "law"),
            Edge::new("g1", "belongs_to", "f"),
            Edge::new("g2", "belongs_to", "f"),
        ];
        Graph::build(catalog(), nodes, edges).unwrap()
    }

    fn linked(g: &Graph, m: &Matrix) -> Vec<(String, String, usize)> {
        m.cells
            .iter()
            .flat_map(|((r, c), conns)| {
                conns.iter().map(move |conn| {
                    let column = match &m.columns[*c] {
                        ColumnHead::Node(n) => g.node(*n).id.clone(),
                        ColumnHead::Value(v) => v.clone(),
                    };
                    (g.node(m.rows[*r]).id.clone(), column, conn.edges.len())
                })
            })
            .collect()
    }

    #[test]
    fn guidelines_by_standards_direct_and_through_items_but_not_through_hubs() {
        let g = graph();
        let spec = MatrixSpec::new(NodeKind::Guideline, Columns::Kind(NodeKind::Standard), 4);
        let m = g.matrix(&spec);
        assert_eq!(m.rows.len(), 2);
        assert_eq!(m.columns.len(), 3, "unlinked standards still get a column");
        assert_eq!(
            linked(&g, &m),
            [("g1".into(), "s1".into(), 2), ("g2".into(), "s2".into(), 1)],
            "g1 must not reach s2 through the law both are governed by"
        );
        let conn = &m.cell(0, 0)[0];
        assert_eq!(
            conn.path
                .iter()
                .map(|n| g.node(*n).id.as_str())
                .collect::<Vec<_>>(),
            ["g1", "e", "s1"]
        );
    }

    #[test]
    fn max_hops_and_via_restrict_chains() {
        let g = graph();
        let mut spec = MatrixSpec::new(NodeKind::Guideline, Columns::Kind(NodeKind::Standard), 1);
        assert_eq!(linked(&g, &g.matrix(&spec)), [("g2".into(), "s2".into(), 1)]);
        spec.max_hops = 4;
        spec.via = vec![
            g.catalog().lookup("requires").unwrap(),
            g.catalog().lookup("cites").unwrap(),
        ];
        assert_eq!(linked(&g, &g.matrix(&spec)).len(), 2);
        spec.via = vec![g.catalog().lookup("requires").unwrap()];
        assert!(g.matrix(&spec).cells.is_empty());
    }

    #[test]
    fn attribute_columns_group_linked_nodes_by_value() {
        let g = graph();
        let spec = MatrixSpec::new(
            NodeKind::Field,
            Columns::Attribute {
                kind: NodeKind::Guideline,
                attribute: "fiscal_year".into(),
            },
            4,
        );
        let m = g.matrix(&spec);
        assert_eq!(
            m.columns,
            [
                ColumnHead::Value("FY2011".into()),
                ColumnHead::Value("FY2012".into())
            ]
        );
        assert_eq!(
            linked(&g, &m),
            [("f".into(), "FY2011".into(), 1), ("f".into(), "FY2012".into(), 1)]
        );
    }

    #[test]
    fn drop_empty_renumbers_cells() {
        let g = graph();
        let mut m = g.matrix(&MatrixSpec::new(
            NodeKind::Guideline,
            Columns::Kind(NodeKind::Standard),
            4,
        ));
        m.drop_empty();
        assert_eq!(m.columns.len(), 2);
        assert_eq!(
            linked(&g, &m),
            [("g1".into(), "s1".into(), 2), ("g2".into(), "s2".into(), 1)]
        );
    }

    #[test]
    fn conditions_and_a_limit_narrow_rows_and_columns_before_any_walk() {
        let g = graph();
        let when = |field: &str, value: &str| Condition {
            field: field.into(),
            value: value.into(),
        };
        let mut spec = MatrixSpec::new(NodeKind::Guideline, Columns::Kind(NodeKind::Standard), 4);
        spec.rows_where = vec![when("attributes.fiscal_year", "FY2012")];
        let heads = g.matrix_heads(&spec);
        assert_eq!(heads.rows, [g.find("g2").unwrap()]);
        assert_eq!(heads.columns.len(), 3);
        assert_eq!(linked(&g, &g.matrix(&spec)), [("g2".into(), "s2".into(), 1)]);

        spec.rows_where.clear();
        spec.columns_where = vec![when("title", "S1")];
        let m = g.matrix(&spec);
        assert_eq!((m.rows.len(), m.columns.len()), (2, 1));
        assert_eq!(linked(&g, &m), [("g1".into(), "s1".into(), 2)]);

        spec.columns_where.clear();
        spec.row_limit = Some(1);
        assert_eq!(
            linked(&g, &g.matrix(&spec)),
            [("g1".into(), "s1".into(), 2)],
            "the first row by id"
        );

        // Attribute columns: only the nodes that meet the conditions give values and links.
        let mut by_year = MatrixSpec::new(
            NodeKind::Field,
            Columns::Attribute {
                kind: NodeKind::Guideline,
                attribute: "fiscal_year".into(),
            },
            4,
        );
        by_year.columns_where = vec![when("id", "g1")];
        let m = g.matrix(&by_year);
        assert_eq!(m.columns, [ColumnHead::Value("FY2011".into())]);
        assert_eq!(linked(&g, &m), [("f".into(), "FY2011".into(), 1)]);
        assert!(
            !when("published", "2014").holds(g.node(g.find("g1").unwrap())),
            "unset fields meet nothing"
        );
    }
}
