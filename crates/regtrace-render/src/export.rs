//! `export`: a selection of the data as a document another tool reads back (lossless JSON, an
//! Excel workbook, ReqIF) or as a diagram (DOT, Mermaid, GraphML, SVG, PNG).

use regtrace_app::AppError;
use regtrace_app::select::Carried;
use regtrace_core::{Graph, Subgraph};

use crate::{Diagram, DiagramOptions, ImageFormat, Renderer};

regtrace_core::vocabulary! {
    /// What to write.
    Target, "export format" {
        /// The lossless JSON document `import` reads back.
        Json => "json",
        /// Graphviz source.
        Dot => "dot",
        /// An SVG picture.
        Svg => "svg",
        /// A PNG picture.
        Png => "png",
        /// A Mermaid flowchart.
        Mermaid => "mermaid",
        /// GraphML.
        Graphml => "graphml",
        /// ReqIF 1.2 XML.
        Reqif => "reqif",
        /// ReqIF in a ZIP archive.
        Reqifz => "reqifz",
        /// An Excel workbook `import` reads back.
        Xlsx => "xlsx",
    }
}

impl Target {
    /// True for the documents `import` reads back whole, which carry the data set's audit rules
    /// and history besides the graph (JSON, XLSX).
    pub fn carries_history(self) -> bool {
        matches!(self, Target::Json | Target::Xlsx)
    }

    /// True for the formats drawn as a picture, which a node budget applies to.
    pub fn picture(self) -> bool {
        matches!(self, Target::Dot | Target::Svg | Target::Png | Target::Mermaid)
    }
}

/// How to write it.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The diagram's look (diagram formats).
    pub diagram: DiagramOptions,
    /// Who draws SVG and PNG.
    pub renderer: Renderer,
    /// The most nodes a picture (SVG, PNG) may have; `None`: no limit.
    pub max_nodes: Option<usize>,
    /// When the export is made, in seconds since 1970 (the ReqIF header's date).
    pub when: i64,
}

/// The bytes, whether they are binary, and for a picture what was drawn with what.
#[derive(Debug)]
pub struct Exported {
    /// The document.
    pub bytes: Vec<u8>,
    /// True for a binary format (not for a terminal).
    pub binary: bool,
    /// For SVG and PNG: "drew N nodes and N edges with …".
    pub drawn: Option<String>,
}

/// The selection `subgraph` of `graph` as `target`; `carried` is what a whole export carries
/// (read only for a target that [carries it](Target::carries_history))
/// besides the graph (the data set's audit rules, its history).
pub fn export(
    graph: &Graph,
    subgraph: &Subgraph,
    carried: &Carried,
    target: Target,
    options: ExportOptions,
) -> Result<Exported, AppError> {
    let text = |bytes: Vec<u8>| Exported {
        bytes,
        binary: false,
        drawn: None,
    };
    let binary = |bytes: Vec<u8>| Exported {
        bytes,
        binary: true,
        drawn: None,
    };
    let header = || {
        let tool = format!("regtrace {}", regtrace_app::VERSION_TEXT);
        crate::reqif::header(&tool, "regtrace export", options.when)
    };
    let diagram = || Diagram::new(graph, subgraph, options.diagram.clone());
    let image = match target {
        Target::Json => {
            let extras = crate::json::Extras {
                audit_rules: carried.audit_rules,
                history: carried.history.as_ref(),
            };
            return Ok(text(crate::json::document_with(graph, subgraph, extras)));
        }
        Target::Xlsx => {
            return crate::workbook::data_workbook(graph, subgraph, carried.history.as_ref())
                .map(binary)
                .map_err(|e| AppError::request(format!("cannot write the workbook: {e}"), None));
        }
        Target::Reqif => return Ok(text(crate::reqif::document(graph, subgraph, &header()))),
        // One file inside, under a fixed name: the same data gives the same archive.
        Target::Reqifz => {
            return crate::reqif::archive(graph, subgraph, &header(), "export.reqif")
                .map(binary)
                .map_err(|e| AppError::request(format!("cannot write the archive: {e}"), None));
        }
        Target::Dot => return Ok(text(diagram().to_dot().into_bytes())),
        Target::Mermaid => return Ok(text(diagram().to_mermaid().into_bytes())),
        Target::Graphml => return Ok(text(diagram().to_graphml().into_bytes())),
        Target::Svg => ImageFormat::Svg,
        Target::Png => ImageFormat::Png,
    };
    if let Some(max) = options.max_nodes
        && subgraph.nodes.len() > max
    {
        return Err(AppError::request(
            format!(
                "the selection has {} nodes, more than --max-nodes {max} for a picture",
                subgraph.nodes.len(),
            ),
            Some(
                "narrow it (--root ID --depth 1, --impact-of ID, --kind KIND), raise --max-nodes, \
                 add --force, or export --format dot|graphml to draw it elsewhere"
                    .into(),
            ),
        ));
    }
    let diagram = diagram();
    let (bytes, used) = crate::image::render(&diagram.to_dot(), image, options.renderer)
        .map_err(|e| AppError::request(e.to_string(), Some(e.hint().into())))?;
    Ok(Exported {
        bytes,
        binary: image == ImageFormat::Png,
        drawn: Some(format!(
            "drew {} nodes and {} edges with {}",
            diagram.nodes.len(),
            diagram.edges.len(),
            used.describe()
        )),
    })
}
