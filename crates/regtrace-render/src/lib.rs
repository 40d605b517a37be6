//! Pictures and tables of a regtrace graph, for reports: dependency diagrams (DOT, SVG, PNG,
//! Mermaid, GraphML) of a [`regtrace_core::Subgraph`], and traceability matrices (CSV, Markdown,
//! HTML, XLSX) of a [`regtrace_core::Matrix`]. No reading of data and no files: callers pass
//! the graph and get text or bytes back.

pub mod diagram;
pub mod dot;
pub mod graphml;
pub mod image;
pub mod mermaid;
pub mod style;
pub mod table;

pub use diagram::{ClusterBy, Diagram, DiagramOptions, Flow};
pub use image::{ImageError, ImageFormat, Renderer, Used};
pub use table::{MatrixView, csv_text};
