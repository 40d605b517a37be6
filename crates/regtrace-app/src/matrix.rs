//! `matrix`: which nodes of one kind link to which nodes of another (or values of an
//! attribute), and through what.

use std::collections::BTreeSet;

use regtrace_core::{Columns, Graph, Matrix, MatrixSpec, NodeKind};

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
    let rows: NodeKind = word(&request.rows)?;
    let (column_kind, attribute) = match request.cols.split_once('.') {
        Some((kind, attribute)) => (word::<NodeKind>(kind)?, Some(attribute.to_owned())),
        None => (word::<NodeKind>(&request.cols)?, None),
    };
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
        rows,
        columns,
        via,
        max_hops: request.max_hops,
    };
    crate::progress::phase(|| format!("linking each {rows} to each {}", request.cols));
    let mut matrix = graph.matrix(&spec);
    if request.hide_empty {
        matrix.drop_empty();
    }
    Ok(MatrixAnswer {
        graph,
        spec,
        matrix,
        caption: format!("{} × {}", request.rows, request.cols),
    })
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
