//! ReqIF documents (`export --format reqif|reqifz`): the writer lives with the reader in
//! `regtrace_source::reqif`; this names the header and picks the container.

use regtrace_core::{Graph, Subgraph};
pub use regtrace_source::reqif::write::Header;

/// The header of an export made at `when` (seconds since 1970, UTC) by `tool`.
pub fn header(tool: &str, title: &str, when: i64) -> Header {
    let created = chrono::DateTime::from_timestamp(when, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    Header {
        tool: tool.to_owned(),
        title: title.to_owned(),
        created,
    }
}

/// `part` of `graph` as one `.reqif` document.
pub fn document(graph: &Graph, part: &Subgraph, header: &Header) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = regtrace_source::reqif::write::write(graph, part, header, &mut bytes);
    bytes
}

/// `part` of `graph` as a `.reqifz` archive holding `name`.
pub fn archive(graph: &Graph, part: &Subgraph, header: &Header, name: &str) -> std::io::Result<Vec<u8>> {
    regtrace_source::reqif::write::write_zipped(graph, part, header, name)
}
