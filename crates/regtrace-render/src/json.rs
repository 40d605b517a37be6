//! JSON for scripts: every document regtrace prints goes through here, so characters that
//! steer a display are always `\u` escapes ([`regtrace_core::text::SafeJson`]).

use std::io::Write;

use serde::Serialize;

pub use regtrace_source::json_format::Extras;

/// A node's two titles as every JSON answer carries them: `title`, and `title_ja` when the node
/// has one. The one node-reference part of every answer's records (flattened into them).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Titles<'g> {
    /// The English title.
    pub title: &'g str,
    /// The Japanese title, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_ja: Option<&'g str>,
}

impl<'g> Titles<'g> {
    /// The titles of `node`.
    pub fn of(node: &'g regtrace_core::Node) -> Titles<'g> {
        Titles {
            title: &node.title,
            title_ja: node.title_ja.as_deref(),
        }
    }
}

/// JSON text of a value, ending in a newline; indented when `pretty`.
pub fn text(value: &impl Serialize, pretty: bool) -> String {
    let mut text = regtrace_core::text::json_string(value, pretty);
    text.push('\n');
    text
}

/// Writes `value` as JSON (and a newline) to `out` without building the text first: a large
/// answer streams out in constant memory.
pub fn write(out: &mut impl Write, value: &impl Serialize, pretty: bool) -> std::io::Result<()> {
    regtrace_core::text::write_json(&mut *out, value, pretty).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// The regtrace JSON document (catalog, nodes, edges) of a part of a graph: the lossless format
/// `import` reads back, written by the source crate that reads it.
pub fn document(graph: &regtrace_core::Graph, part: &regtrace_core::Subgraph) -> Vec<u8> {
    document_with(graph, part, regtrace_source::json_format::Extras::default())
}

/// [`document`] carrying the data set's own audit rules and kept history: a whole database,
/// which `import` restores into a new one.
pub fn document_with(
    graph: &regtrace_core::Graph,
    part: &regtrace_core::Subgraph,
    extras: regtrace_source::json_format::Extras<'_>,
) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = regtrace_source::json_format::write_with(graph, part, extras, &mut bytes);
    bytes
}
