//! Output shapes and formats. The JSON shapes printed by commands are defined here and only
//! here: they are a contract scripts rely on.

use std::io::Write;

use comfy_table::{Table, presets};
use regtrace_core::{Graph, Lang, Link, Node, NodeIx};
use serde::Serialize;

use crate::error::CliError;

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
    table_as_is(header.iter().map(|h| h.to_uppercase()))
}

/// A table like [`table`] whose header cells are shown as given (e.g. ids), not upper-cased.
pub fn table_as_is(header: impl IntoIterator<Item = String>) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING).set_header(header);
    table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    table
}

/// Renders a table as text, with the left padding comfy-table adds removed. A line break
/// inside a cell is shown as `↵`, so no cell can fake a row of its own.
pub fn render_table(table: &Table) -> String {
    let mut flat = Table::new();
    flat.load_preset(presets::NOTHING);
    flat.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    let one_line = |row: &comfy_table::Row| -> Vec<String> {
        row.cell_iter()
            .map(|c| c.content().replace("\r\n", "↵").replace(['\n', '\r'], "↵"))
            .collect()
    };
    if let Some(header) = table.header() {
        flat.set_header(one_line(header));
    }
    for row in table.row_iter() {
        flat.add_row(one_line(row));
    }
    let mut out = String::new();
    for line in flat.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(&line).trim_end());
        out.push('\n');
    }
    out
}

pub use regtrace_render::csv_text;

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
/// Characters that steer a display (bidi overrides, C1 controls) are written as `\u` escapes
/// ([`regtrace_core::text::SafeJson`]): the same data, safe on a terminal.
pub fn json_text(value: &impl Serialize) -> String {
    let mut text = regtrace_core::text::json_string(value, pretty_json());
    text.push('\n');
    text
}

/// JSON is indented for people (standard output is a terminal) and compact for programs and
/// files, where it is smaller and several times faster to write; `jq .` indents it again.
pub fn pretty_json() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
}

/// Writes `value` as pretty JSON (and a newline) straight to standard output, without building
/// the text first: a large answer streams out in constant memory. A reader that goes away is not
/// an error.
pub fn write_json(value: &impl Serialize) {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = regtrace_core::text::write_json(&mut out, value, pretty_json());
    let written = written
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    if written.is_err() {
        // The reader went away; nothing more to say, and no reason to fail.
    }
}

/// Where a command writes its document: a file (`-o FILE`) or standard output.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputFile {
    /// Output file (default: standard output). Written whole or not at all. A symbolic link
    /// at this path is refused (it may point anywhere) unless --force.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

impl OutputFile {
    /// Writes `bytes` where the user said (see [`write_output`]); `force` (the command's
    /// --force) lets a symbolic link at the path be written through.
    pub fn write(&self, bytes: &[u8], binary: bool, force: bool) -> Result<(), CliError> {
        write_output(self.output.as_deref(), bytes, binary, force)
    }
}

/// Writes a command's output: to `path` if given, else to standard output.
///
/// A file is written whole or not at all: the bytes go to a temporary file in the same
/// directory, which then replaces `path`, so an existing file is never left half-written.
/// A symbolic link at `path` is refused unless `force`, which writes to the file it points to:
/// a link left in an output directory never sends the bytes elsewhere unasked.
/// Binary output (`binary`) is refused on a terminal, where it would only garble the screen.
pub fn write_output(
    path: Option<&std::path::Path>,
    bytes: &[u8],
    binary: bool,
    force: bool,
) -> Result<(), CliError> {
    use std::io::IsTerminal;
    let Some(path) = path else {
        if binary && std::io::stdout().is_terminal() {
            return Err(CliError::request(
                "this format is binary and standard output is a terminal",
                Some("write it to a file with -o FILE, or redirect standard output".into()),
            ));
        }
        let mut out = std::io::stdout().lock();
        // A closed pipe ends quietly, as in `print`.
        let _ = out.write_all(bytes).and_then(|()| out.flush());
        return Ok(());
    };
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target;
    let path = if link {
        let points_to = std::fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        if !force {
            return Err(CliError::request(
                format!(
                    "{} is a symbolic link (to {points_to}); not writing through it",
                    path.display()
                ),
                Some(
                    "remove the link, give another -o path, or add --force to write to the file it points to"
                        .into(),
                ),
            ));
        }
        // Where the link leads, resolved to the end of any chain of links.
        target = resolve_link(path).map_err(|source| CliError::Io {
            path: path.display().to_string(),
            source,
        })?;
        target.as_path()
    } else {
        path
    };
    let io_error = |source| CliError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    };
    if !dir.is_dir() {
        return Err(CliError::request(
            format!(
                "cannot write {}: the directory {} does not exist",
                path.display(),
                dir.display()
            ),
            Some("create the directory first, or give another -o path".into()),
        ));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".regtrace-");
    // Like any new file: readable as the umask allows, not tempfile's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir).map_err(io_error)?;
    file.write_all(bytes).map_err(io_error)?;
    file.persist(path).map_err(|e| io_error(e.error))?;
    Ok(())
}

/// The file a symbolic link leads to, following a chain of links (at most 40, like the kernel);
/// the final file need not exist yet.
fn resolve_link(path: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Ok(path);
        }
        let next = std::fs::read_link(&path)?;
        path = match path.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes text to standard output. A closed pipe (`regtrace list | head`) ends quietly.
///
/// Whatever the data holds, nothing reaches the terminal that would steer it: control
/// characters, bidi overrides and the like are shown ([`regtrace_core::text::visible`]). JSON
/// passes unchanged (it carries them as `\u` escapes).
pub fn print(text: &str) {
    let text = regtrace_core::text::visible(text);
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
