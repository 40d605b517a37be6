//! `regtrace matrix`: traceability matrices (guidelines × standards, devices × guidelines,
//! fields × fiscal year, …) for reports and spreadsheets.

use std::collections::BTreeSet;

use regtrace_core::{ColumnHead, Columns, Graph, Matrix, MatrixSpec, NodeKind};
use regtrace_render::MatrixView;
use serde::Serialize;

use crate::commands::{DataSource, parse_words};
use crate::error::CliError;
use crate::output::{self, LangArg};

/// Formats of `matrix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixFormat {
    /// Aligned columns for the terminal.
    Table,
    /// Comma-separated values (formula-like cells neutralised).
    Csv,
    /// An Excel workbook: header frozen, columns sized to the text.
    Xlsx,
    /// A standalone HTML page.
    Html,
    /// A Markdown table.
    Markdown,
    /// One JSON document with every link's full chain.
    Json,
}

/// Options of `matrix`.
#[derive(Debug, Clone, clap::Args)]
pub struct MatrixArgs {
    /// Kind of the row nodes, e.g. `guideline`.
    #[arg(long, value_name = "KIND")]
    pub rows: String,
    /// Kind of the column nodes (`standard`), or KIND.ATTRIBUTE for one column per value of an
    /// attribute of that kind (`guideline.fiscal_year`).
    #[arg(long, value_name = "KIND[.ATTRIBUTE]")]
    pub cols: String,
    /// Link only through these relations, followed either way (repeatable). Without it, a link
    /// is a direct edge of any relation or a one-way chain along impact directions.
    #[arg(long, value_name = "RELATION")]
    pub via: Vec<String>,
    /// Longest chain that links a row to a column, in edges.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub max_hops: u32,
    /// Leave out rows and columns with no link.
    #[arg(long)]
    pub hide_empty: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
    pub format: MatrixFormat,
    /// Language of titles.
    #[arg(long, value_enum, env = "REGTRACE_LANG")]
    pub lang: Option<LangArg>,
    #[command(flatten)]
    pub out: output::OutputFile,
    /// With -o naming a symbolic link: write to the file it points to instead of refusing.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `regtrace matrix`.
pub fn matrix(source: &DataSource, args: &MatrixArgs) -> Result<(), CliError> {
    let rows = parse_kind(&args.rows)?;
    let (column_kind, attribute) = match args.cols.split_once('.') {
        Some((kind, attribute)) => (parse_kind(kind)?, Some(attribute.to_owned())),
        None => (parse_kind(&args.cols)?, None),
    };
    let graph = source.graph()?;
    let via = args
        .via
        .iter()
        .map(|name| {
            graph.catalog().lookup(name).map_err(|unknown| {
                CliError::request(
                    unknown.to_string(),
                    Some("`regtrace stats` lists the relations in use".into()),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let columns = match attribute {
        Some(attribute) => {
            check_attribute(&graph, column_kind, &attribute)?;
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
        max_hops: args.max_hops,
    };
    let mut matrix = graph.matrix(&spec);
    if args.hide_empty {
        matrix.drop_empty();
    }
    let lang = LangArg::resolve(args.lang);
    let caption = format!("{} × {}", args.rows, args.cols);
    let view = MatrixView::new(&graph, &matrix, caption, lang);
    let out = &args.out;
    match args.format {
        MatrixFormat::Table => {
            let header = ["ID", "TITLE"]
                .map(String::from)
                .into_iter()
                .chain(view.columns.iter().map(|c| c.key.clone()));
            let mut table = output::table_as_is(header);
            for row in &view.rows {
                let mut cells = vec![row.id.clone(), row.title.clone()];
                cells.extend(row.cells.iter().cloned());
                table.add_row(cells);
            }
            let text = format!(
                "{} ({} rows, {} columns, {} linked cells)\n{}",
                view.caption,
                view.rows.len(),
                view.columns.len(),
                matrix.cells.len(),
                output::render_table(&table)
            );
            out.write(text.as_bytes(), false, args.force)
        }
        MatrixFormat::Csv => out.write(view.to_csv().as_bytes(), false, args.force),
        MatrixFormat::Markdown => out.write(view.to_markdown().as_bytes(), false, args.force),
        MatrixFormat::Html => out.write(view.to_html(lang).as_bytes(), false, args.force),
        MatrixFormat::Xlsx => {
            let bytes = view
                .to_xlsx()
                .map_err(|e| CliError::Failed(format!("could not write the workbook: {e}")))?;
            out.write(&bytes, true, args.force)
        }
        MatrixFormat::Json => {
            let text = output::json_text(&json(&graph, &matrix, &spec));
            out.write(text.as_bytes(), false, args.force)
        }
    }
}

fn parse_kind(word: &str) -> Result<NodeKind, CliError> {
    Ok(parse_words::<NodeKind>(&[word.to_owned()])?.remove(0))
}

/// A column attribute must exist on some node of the kind; otherwise say which ones do.
fn check_attribute(graph: &Graph, kind: NodeKind, attribute: &str) -> Result<(), CliError> {
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
    Err(CliError::request(
        format!("no {kind} node has the attribute {attribute:?}"),
        Some(hint),
    ))
}

#[derive(Serialize)]
struct MatrixJson<'g> {
    rows: &'static str,
    columns: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute: Option<&'g str>,
    via: Vec<&'g str>,
    max_hops: u32,
    row_heads: Vec<HeadJson<'g>>,
    column_heads: Vec<HeadJson<'g>>,
    /// Only linked cells, by row then column.
    cells: Vec<CellJson<'g>>,
}

#[derive(Serialize)]
struct HeadJson<'g> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
}

#[derive(Serialize)]
struct CellJson<'g> {
    row: &'g str,
    column: &'g str,
    links: Vec<LinkJson<'g>>,
}

#[derive(Serialize)]
struct LinkJson<'g> {
    node: &'g str,
    path: Vec<&'g str>,
    relations: Vec<&'g str>,
}

fn json<'g>(graph: &'g Graph, matrix: &'g Matrix, spec: &'g MatrixSpec) -> MatrixJson<'g> {
    let node_head = |n: regtrace_core::NodeIx| {
        let node = graph.node(n);
        HeadJson {
            id: Some(&node.id),
            value: None,
            title: Some(&node.title),
            title_ja: node.title_ja.as_deref(),
        }
    };
    let column_key = |head: &'g ColumnHead| match head {
        ColumnHead::Node(n) => graph.node(*n).id.as_str(),
        ColumnHead::Value(v) => v.as_str(),
    };
    MatrixJson {
        rows: spec.rows.as_str(),
        columns: spec.columns.kind().as_str(),
        attribute: match &spec.columns {
            Columns::Attribute { attribute, .. } => Some(attribute),
            Columns::Kind(_) => None,
        },
        via: spec
            .via
            .iter()
            .map(|r| graph.catalog().get(*r).name.as_str())
            .collect(),
        max_hops: spec.max_hops,
        row_heads: matrix.rows.iter().map(|n| node_head(*n)).collect(),
        column_heads: matrix
            .columns
            .iter()
            .map(|head| match head {
                ColumnHead::Node(n) => node_head(*n),
                ColumnHead::Value(v) => HeadJson {
                    id: None,
                    value: Some(v),
                    title: None,
                    title_ja: None,
                },
            })
            .collect(),
        cells: matrix
            .cells
            .iter()
            .map(|((r, c), links)| CellJson {
                row: &graph.node(matrix.rows[*r]).id,
                column: column_key(&matrix.columns[*c]),
                links: links
                    .iter()
                    .map(|link| LinkJson {
                        node: &graph.node(link.node).id,
                        path: link.path.iter().map(|n| graph.node(*n).id.as_str()).collect(),
                        relations: link
                            .edges
                            .iter()
                            .map(|e| graph.catalog().get(graph.link(*e).relation).name.as_str())
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
