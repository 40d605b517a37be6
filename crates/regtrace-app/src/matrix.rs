//! `matrix`: which nodes of one kind link to which nodes of another (or values of an
//! attribute), and through what.

use std::collections::BTreeSet;

use regtrace_core::{Columns, Condition, Graph, Matrix, MatrixHeads, MatrixSpec, Node, NodeKind};

use crate::dataset::DataSet;
use crate::error::{AppError, Result};
use crate::parse::word;

/// A matrix to compute.
#[derive(Debug, Clone)]
pub struct MatrixRequest {
    /// The row nodes' kind, e.g. `guideline`.
    pub rows: String,
    /// The column nodes' kind, or `KIND.ATTRIBUTE` for one column per value.
    pub cols: String,
    /// Link only through these relations (either way).
    pub via: Vec<String>,
    /// Longest chain, in edges.
    pub max_hops: u32,
    /// Leave out rows and columns with no link.
    pub hide_empty: bool,
    /// Keep only rows whose FIELD equals VALUE, each written `FIELD=VALUE`.
    pub rows_where: Vec<String>,
    /// Keep only columns (column-kind nodes) whose FIELD equals VALUE.
    pub cols_where: Vec<String>,
    /// At most this many rows, the first by id.
    pub limit: Option<usize>,
}

/// A matrix of at least this many cells is large enough to say so before computing it.
pub const LARGE_CELLS: usize = 10_000_000;

/// A matrix about to be computed: its rows and columns are known, no chain is walked yet.
pub struct MatrixPlan<'g> {
    graph: &'g Graph,
    spec: MatrixSpec,
    heads: MatrixHeads,
    caption: String,
    hide_empty: bool,
}

impl<'g> MatrixPlan<'g> {
    /// How many rows and columns it will have (before `hide_empty`).
    pub fn size(&self) -> (usize, usize) {
        (self.heads.rows.len(), self.heads.columns.len())
    }

    /// When the matrix is large ([`LARGE_CELLS`]), what to tell the person waiting for it.
    pub fn size_note(&self) -> Option<String> {
        let (rows, columns) = self.size();
        let cells = rows.saturating_mul(columns);
        (cells >= LARGE_CELLS).then(|| {
            format!(
                "the matrix {} has {rows} rows × {columns} columns ({cells} cells): linking every row takes a while; narrow it with --rows-where FIELD=VALUE, --cols-where FIELD=VALUE or --limit N",
                self.caption
            )
        })
    }

    /// Walks every row's chains.
    pub fn compute(self) -> MatrixAnswer<'g> {
        let (rows, columns) = self.size();
        crate::progress::phase(|| format!("linking {rows} rows to {columns} columns ({})", self.caption));
        let mut matrix = self.graph.matrix_over(&self.spec, self.heads);
        if self.hide_empty {
            matrix.drop_empty();
        }
        MatrixAnswer {
            graph: self.graph,
            spec: self.spec,
            matrix,
            caption: self.caption,
        }
    }
}

/// A computed matrix.
pub struct MatrixAnswer<'g> {
    /// The graph.
    pub graph: &'g Graph,
    /// What was computed.
    pub spec: MatrixSpec,
    /// The matrix.
    pub matrix: Matrix,
    /// What the rows and columns are, e.g. `guideline × standard`.
    pub caption: String,
}

/// Computes the matrix.
pub fn matrix<'g>(data: &'g DataSet, request: &MatrixRequest) -> Result<MatrixAnswer<'g>> {
    plan(data, request).map(MatrixPlan::compute)
}

/// Checks the request and finds the matrix's rows and columns, without walking a chain.
pub fn plan<'g>(data: &'g DataSet, request: &MatrixRequest) -> Result<MatrixPlan<'g>> {
    let rows: NodeKind = word(&request.rows)?;
    let (column_kind, attribute) = match request.cols.split_once('.') {
        Some((kind, attribute)) => (word::<NodeKind>(kind)?, Some(attribute.to_owned())),
        None => (word::<NodeKind>(&request.cols)?, None),
    };
    let rows_where = conditions("--rows-where", &request.rows_where)?;
    let columns_where = conditions("--cols-where", &request.cols_where)?;
    let graph = data.graph()?;
    let via = request
        .via
        .iter()
        .map(|name| {
            graph.catalog().lookup(name).map_err(|unknown| {
                AppError::request(
                    unknown.to_string(),
                    Some("`regtrace stats` lists the relations in use".into()),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let columns = match attribute {
        Some(attribute) => {
            check_attribute(graph, column_kind, &attribute)?;
            Columns::Attribute {
                kind: column_kind,
                attribute,
            }
        }
        None => Columns::Kind(column_kind),
    };
    let spec = MatrixSpec {
        via,
        rows_where,
        columns_where,
        row_limit: request.limit,
        ..MatrixSpec::new(rows, columns, request.max_hops)
    };
    let heads = graph.matrix_heads(&spec);
    Ok(MatrixPlan {
        graph,
        spec,
        heads,
        caption: format!("{} × {}", request.rows, request.cols),
        hide_empty: request.hide_empty,
    })
}

/// `FIELD=VALUE` conditions, each field a node field or `attributes.NAME`.
fn conditions(option: &str, written: &[String]) -> Result<Vec<Condition>> {
    written
        .iter()
        .map(|text| {
            let Some((field, value)) = text.split_once('=') else {
                return Err(AppError::request(
                    format!("{option} {text:?} names no value"),
                    Some(format!(
                        "write {option} FIELD=VALUE, e.g. {option} status=published"
                    )),
                ));
            };
            let field = field.trim();
            if !(Node::FIELDS.contains(&field)
                || field.strip_prefix("attributes.").is_some_and(|a| !a.is_empty()))
            {
                let hint = match regtrace_core::suggest::did_you_mean(field, Node::FIELDS.iter().copied()) {
                    Some(s) => format!("did you mean {s}? (an attribute is attributes.NAME)"),
                    None => format!("the fields are {}, and attributes.NAME", Node::FIELDS.join(", ")),
                };
                return Err(AppError::request(
                    format!("{option}: no node field {field:?}"),
                    Some(hint),
                ));
            }
            Ok(Condition {
                field: field.to_owned(),
                value: value.to_owned(),
            })
        })
        .collect()
}

/// A column attribute must exist on some node of the kind; otherwise say which ones do.
fn check_attribute(graph: &Graph, kind: NodeKind, attribute: &str) -> Result<()> {
    let known: BTreeSet<&str> = graph
        .nodes()
        .iter()
        .filter(|n| n.kind == kind)
        .flat_map(|n| n.attributes.keys().map(String::as_str))
        .collect();
    if known.contains(attribute) {
        return Ok(());
    }
    let hint = match regtrace_core::suggest::did_you_mean(attribute, known.iter().copied()) {
        Some(s) => format!("did you mean {kind}.{s}?"),
        None if known.is_empty() => format!("no {kind} node has any attribute"),
        None => format!(
            "{kind} nodes have: {}",
            known.into_iter().collect::<Vec<_>>().join(", ")
        ),
    };
    Err(AppError::request(
        format!("no {kind} node has the attribute {attribute:?}"),
        Some(hint),
    ))
}
