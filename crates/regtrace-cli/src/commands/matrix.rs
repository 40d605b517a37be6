//! `matrix`: traceability matrices (guidelines × standards, devices × guidelines, fields ×
//! fiscal year, …) for reports and spreadsheets.

use regtrace_app::matrix::MatrixRequest;
use regtrace_render::{MatrixView, matrix};

use super::Globals;
use crate::error::CliError;
use crate::output::{OutputFile, pretty_json};

/// Formats of `matrix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixFormat {
    /// Aligned columns for the terminal (at most 500 columns).
    Table,
    /// Comma-separated values, one line per row, one column per column (formula-like cells
    /// neutralised).
    Csv,
    /// Comma-separated values, one line per link: row, column and the chain between them. Its
    /// size is in the links, not in rows × columns: the form for large, sparse matrices.
    Links,
    /// An Excel workbook: header frozen, columns sized to the text (at most 16,382 columns and
    /// 1,048,575 rows, Excel's limits).
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
    /// Keep only the rows whose FIELD is exactly VALUE (repeatable: all must hold). FIELD is a
    /// node field (id, title, status, body, published, …) or attributes.NAME, e.g.
    /// `--rows-where status=published`, `--rows-where attributes.fiscal_year=FY2012`.
    #[arg(long, value_name = "FIELD=VALUE")]
    pub rows_where: Vec<String>,
    /// Keep only the columns whose node's FIELD is exactly VALUE (repeatable), e.g.
    /// `--cols-where body=ISO`. With KIND.ATTRIBUTE columns, only the nodes that meet it give
    /// values and links.
    #[arg(long, value_name = "FIELD=VALUE")]
    pub cols_where: Vec<String>,
    /// At most N rows: the first N by id (after --rows-where).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = MatrixFormat::Table)]
    pub format: MatrixFormat,
    #[command(flatten)]
    pub out: OutputFile,
    /// With -o naming a symbolic link: write to the file it points to instead of refusing.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `regtrace matrix`.
pub fn run(globals: &Globals, args: &MatrixArgs) -> Result<(), CliError> {
    let data = globals.open()?;
    let request = MatrixRequest {
        rows: args.rows.clone(),
        cols: args.cols.clone(),
        via: args.via.clone(),
        max_hops: args.max_hops,
        hide_empty: args.hide_empty,
        rows_where: args.rows_where.clone(),
        cols_where: args.cols_where.clone(),
        limit: args.limit,
    };
    let plan = regtrace_app::matrix::plan(&data, &request)?;
    // Said before the walk, not after it: a terminal table has room for few columns.
    let columns = plan.size().1;
    if args.format == MatrixFormat::Table && !args.hide_empty && columns > matrix::TABLE_COLUMNS {
        return Err(matrix::too_many_columns(columns).into());
    }
    if let Some(note) = plan.size_note() {
        crate::output::warn(&note);
    }
    let answer = plan.compute();
    let view = MatrixView::of(&answer, globals.lang);
    // A link is never dropped silently: what --max-hops left empty is said (the table says it too).
    if let Some(left_out) = view
        .left_out()
        .filter(|_| args.format != MatrixFormat::Table || args.out.output.is_some())
    {
        crate::output::warn(&left_out.say(globals.lang));
    }
    let (out, force) = (&args.out, args.force);
    match args.format {
        MatrixFormat::Table => {
            let options = match out.output {
                None => crate::output::terminal(globals.lang),
                Some(_) => globals.lang.into(),
            };
            out.write(matrix::table(&view, options)?.as_bytes(), false, force)
        }
        MatrixFormat::Csv => out.write_with(false, force, |w| {
            if globals.bom {
                w.write_all(super::BOM.as_bytes())?;
            }
            view.write_csv(w)
        }),
        MatrixFormat::Links => out.write_with(false, force, |w| view.write_links(w)),
        MatrixFormat::Markdown => out.write_with(false, force, |w| view.write_markdown(w)),
        MatrixFormat::Html => out.write_with(false, force, |w| view.write_html(w)),
        MatrixFormat::Json => out.write_with(false, force, |w| matrix::write_json(w, &answer, pretty_json())),
        MatrixFormat::Xlsx => {
            view.xlsx_fits()?;
            out.write_with(true, force, |w| view.write_xlsx(w))
        }
    }
}
