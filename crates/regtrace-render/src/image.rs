//! SVG and PNG pictures of a DOT diagram: drawn by the Graphviz `dot` program when it is
//! installed, else (SVG only) by layout-rs, a pure-Rust layout engine.

use std::io::ErrorKind;

use graphviz_rust::cmd::{CommandArg, Format};

use crate::style::CJK_FONT;

/// Picture formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Scalable vector graphics.
    Svg,
    /// Portable network graphics (needs Graphviz).
    Png,
}

regtrace_core::vocabulary! {
    /// Which layout engine to use.
    #[derive(Default)]
    Renderer, "renderer" {
        /// Graphviz if installed, else the built-in one (SVG only).
        #[default]
        Auto => "auto",
        /// The Graphviz `dot` program; an error if it is missing.
        Graphviz => "graphviz",
        /// The built-in layout-rs engine (SVG only; simpler layout, no clusters).
        Builtin => "builtin",
    }
}

/// The engine that drew a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Used {
    /// Graphviz `dot`.
    Graphviz,
    /// layout-rs.
    Builtin,
}

impl Used {
    /// For messages.
    pub fn describe(self) -> &'static str {
        match self {
            Used::Graphviz => "Graphviz dot",
            Used::Builtin => {
                "the built-in layout engine (layout-rs; install Graphviz for clusters and better layout)"
            }
        }
    }
}

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Graphviz was asked for (or is needed for PNG) and is not installed.
    #[error("the Graphviz `dot` program is not installed; it is needed for {what}")]
    GraphvizMissing {
        /// What needs Graphviz (a PNG, clusters, …).
        what: &'static str,
    },
    /// Graphviz ran and failed.
    #[error("Graphviz dot failed: {0}")]
    GraphvizFailed(String),
    /// The built-in engine could not read the DOT text.
    #[error("the built-in layout engine could not read the diagram: {0}")]
    Builtin(String),
}

impl ImageError {
    /// How to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            ImageError::GraphvizMissing { .. } => {
                "install Graphviz (Debian/Ubuntu: `apt-get install graphviz fonts-noto-cjk`; macOS: `brew install graphviz`), or write SVG with `--renderer builtin`, or write DOT and render it elsewhere"
            }
            ImageError::GraphvizFailed(_) => {
                "write `--format dot` and run `dot` on it to see the whole message"
            }
            ImageError::Builtin(_) => "install Graphviz, or write `--format dot`",
        }
    }
}

/// Draws `dot` as a picture.
pub fn render(dot: &str, format: ImageFormat, renderer: Renderer) -> Result<(Vec<u8>, Used), ImageError> {
    let what = match format {
        ImageFormat::Svg => "SVG with --renderer graphviz",
        ImageFormat::Png => "PNG pictures",
    };
    match (renderer, format) {
        (Renderer::Builtin, ImageFormat::Png) => Err(ImageError::GraphvizMissing { what }),
        (Renderer::Builtin, ImageFormat::Svg) => builtin_svg(dot).map(|svg| (svg, Used::Builtin)),
        (Renderer::Graphviz, _) => graphviz(dot, format)?.ok_or(ImageError::GraphvizMissing { what }),
        (Renderer::Auto, _) => match graphviz(dot, format)? {
            Some(done) => Ok(done),
            None if format == ImageFormat::Svg => builtin_svg(dot).map(|svg| (svg, Used::Builtin)),
            None => Err(ImageError::GraphvizMissing { what }),
        },
    }
}

/// Runs Graphviz; `None` if it is not installed.
fn graphviz(dot: &str, format: ImageFormat) -> Result<Option<(Vec<u8>, Used)>, ImageError> {
    let format = match format {
        ImageFormat::Svg => Format::Svg,
        ImageFormat::Png => Format::Png,
    };
    match graphviz_rust::exec_dot(dot.to_owned(), vec![CommandArg::Format(format)]) {
        Ok(bytes) => Ok(Some((bytes, Used::Graphviz))),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ImageError::GraphvizFailed(e.to_string().trim().to_owned())),
    }
}

thread_local! {
    static LAYING_OUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while this thread runs the built-in layout engine, whose panics are caught and become
/// an [`ImageError`]: a panic hook should say nothing of them.
pub fn laying_out() -> bool {
    LAYING_OUT.with(std::cell::Cell::get)
}

/// Lays out and draws with layout-rs. It ignores clusters and most styles, and sets text in
/// Times; the font is switched to a CJK-capable family so Japanese titles show.
pub fn builtin_svg(dot: &str) -> Result<Vec<u8>, ImageError> {
    use layout::backends::svg::SVGWriter;
    use layout::gv::{DotParser, GraphBuilder};

    let mut parser = DotParser::new(dot);
    let ast = parser.process().map_err(ImageError::Builtin)?;
    let mut builder = GraphBuilder::new();
    builder.visit_graph(&ast);
    let mut graph = builder.get();
    let mut svg = SVGWriter::new();
    // layout-rs may panic on inputs it does not handle; a picture is not worth a crash. The
    // panic is caught, and this thread says it is laying out (`laying_out`), so a front end's
    // panic hook can stay quiet about it; the process's hook is never swapped, which would race
    // with other threads (the web server draws on many).
    LAYING_OUT.with(|flag| flag.set(true));
    let laid_out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        graph.do_it(false, false, false, &mut svg);
    }));
    LAYING_OUT.with(|flag| flag.set(false));
    laid_out.map_err(|_| ImageError::Builtin("the layout engine failed on this diagram".into()))?;
    let text = svg.finalize().replace(
        "font-family: Times, serif;",
        &format!("font-family: '{CJK_FONT}', sans-serif;"),
    );
    Ok(text.into_bytes())
}
