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
    };
    let answer = regtrace_app::matrix::matrix(&data, &request)?;
    let lang = globals.lang;
    let view = MatrixView::new(answer.graph, &answer.matrix, answer.caption.clone(), lang);
    let text = match args.format {
        MatrixFormat::Table => matrix::table(&answer, &view),
        MatrixFormat::Csv => view.to_csv(),
        MatrixFormat::Markdown => view.to_markdown(),
        MatrixFormat::Html => view.to_html(lang),
        MatrixFormat::Json => matrix::json(&answer, pretty_json()),
        MatrixFormat::Xlsx => {
            let bytes = view
                .to_xlsx()
                .map_err(|e| CliError::Failed(format!("could not write the workbook: {e}")))?;
            return args.out.write(&bytes, true, args.force);
        }
    };
    args.out.write(text.as_bytes(), false, args.force)
}
