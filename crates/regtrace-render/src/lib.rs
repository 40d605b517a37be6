//! Every format a person or a script reads, for every answer of `regtrace-app`: terminal tables,
//! JSON, CSV, Markdown, HTML, XLSX, and diagrams (DOT, SVG, PNG, Mermaid, GraphML).
//!
//! Functions take an answer and return text or bytes; writing them anywhere is the front end's
//! job. Text is made safe for each format by one escaper per format ([`escape`]); JSON always
//! goes through [`json`], which writes steering characters as `\u` escapes. Reason chains are
//! written in the one notation of [`regtrace_core::Chain`].

pub mod audit;
pub mod compare;
pub mod diagram;
pub mod doc;
pub mod dot;
pub mod editions;
pub mod escape;
pub mod export;
pub mod graphml;
pub mod history;
pub mod image;
pub mod init;
pub mod json;
pub mod matrix;
pub mod mermaid;
pub mod nodes;
pub mod reach;
pub mod report;
pub mod reqif;
pub mod style;
pub mod verify;
pub mod version;
pub mod words;
pub mod workbook;

pub use diagram::{ClusterBy, Diagram, DiagramOptions, Flow};
pub use escape::csv_text;
pub use image::{ImageError, ImageFormat, Renderer, Used};
pub use matrix::MatrixView;
