//! Output shapes and formats. The JSON shapes printed by commands are defined here and only
//! here: they are a contract scripts rely on.

use std::io::Write;

use comfy_table::{Table, presets};
use regtrace_core::{Graph, Lang, Link, Node, NodeIx};
use serde::Serialize;

/// How a command prints its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for the terminal (Japanese text aligned by display width).
    Table,
    /// One JSON document, for scripts.
    Json,
    /// Comma-separated values with a header row, for spreadsheets.
    Csv,
}

/// Title language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// English titles.
    En,
    /// Japanese titles (English where a node has none).
    Ja,
}

impl LangArg {
    /// The title language for an optional `--lang`: English unless Japanese is asked for.
    pub fn resolve(lang: Option<LangArg>) -> Lang {
        match lang {
            Some(LangArg::Ja) => Lang::Ja,
            Some(LangArg::En) | None => Lang::En,
        }
    }
}

/// Options shared by commands that show nodes.
#[derive(Debug, Clone, clap::Args)]
pub struct View {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Language of titles in table and CSV output (JSON always carries both).
    #[arg(long, value_enum, env = "REGTRACE_LANG")]
    pub lang: Option<LangArg>,
}

impl View {
    /// The language to show titles in.
    pub fn lang(&self) -> Lang {
        LangArg::resolve(self.lang)
    }
}

/// A table with no borders, aligned by display width (so Japanese lines up).
pub fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_header(header.iter().map(|h| h.to_uppercase()));
    table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    table
}

/// Renders a table as text, with the left padding comfy-table adds removed.
pub fn render_table(table: &Table) -> String {
    let mut out = String::new();
    for line in table.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(&line).trim_end());
        out.push('\n');
    }
    out
}

/// CSV text from a header and rows. Cells starting with `= + - @` (or a tab or carriage return)
/// get a leading apostrophe so spreadsheets do not run them as formulas.
pub fn csv_text<I, R, C>(header: &[&str], rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(header);
    for row in rows {
        let cells: Vec<String> = row.into_iter().map(|c| neutralise(c.as_ref())).collect();
        let _ = writer.write_record(&cells);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// A list of nodes as CSV: id, kind, status and both titles.
pub fn nodes_csv(nodes: &[&Node]) -> String {
    csv_text(
        &["id", "kind", "status", "title", "title_ja"],
        nodes.iter().map(|n| {
            [
                n.id.as_str(),
                n.kind.as_str(),
                n.status.map_or("", |s| s.as_str()),
                n.title.as_str(),
                n.title_ja.as_deref().unwrap_or(""),
            ]
        }),
    )
}

/// JSON text of a value, pretty-printed, ending in a newline.
pub fn json_text(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes text to standard output. A closed pipe (`regtrace list | head`) ends quietly.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() {
        // The reader went away; nothing more to say, and no reason to fail.
    }
}

/// One relation of a node, seen from that node, as printed by `show`.
#[derive(Debug, Serialize)]
pub struct RelationView<'g> {
    /// The relation name.
    pub relation: &'g str,
    /// Which way a change flows along it (from the catalog).
    pub impact: &'static str,
    /// The node at the other end.
    pub id: &'g str,
    /// Its kind.
    pub kind: &'static str,
    /// Its English title.
    pub title: &'g str,
    /// Its Japanese title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_ja: Option<&'g str>,
    /// Its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// Provenance of the link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'g str>,
}

impl<'g> RelationView<'g> {
    /// The relation `link` seen from one end; `other` is the node at the far end.
    pub fn new(graph: &'g Graph, link: &'g Link, other: NodeIx) -> Self {
        let relation = graph.catalog().get(link.relation);
        let node = graph.node(other);
        RelationView {
            relation: &relation.name,
            impact: relation.impact.as_str(),
            id: &node.id,
            kind: node.kind.as_str(),
            title: &node.title,
            title_ja: node.title_ja.as_deref(),
            status: node.status.map(|s| s.as_str()),
            source: link.source.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_look_like_formulas_are_neutralised() {
        let text = csv_text(
            &["a", "b"],
            [["=HYPERLINK(\"x\")", "-1"], ["@sum", "人工心臓, \"quoted\""]],
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[0], ["'=HYPERLINK(\"x\")", "'-1"]);
        assert_eq!(rows[1], ["'@sum", "人工心臓, \"quoted\""]);
    }
}
