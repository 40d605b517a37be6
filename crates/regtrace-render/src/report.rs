//! `report`: one self-contained HTML file for a design-history file or a notified body: the
//! audit (provenance, findings, coverage, reviews as evidence) and the impact of each recorded
//! change with its diagram. CSS and SVG are inline; nothing is fetched and nothing runs; print
//! styles make a browser's "print to PDF" look right.

use regtrace_app::reach::Reached;
use regtrace_app::report::{Cause, Report};

use crate::{Diagram, DiagramOptions, Flow, ImageFormat, Renderer};

/// Print styles and the report's own: sections start on a new page, links print as text,
/// pictures fit the page.
const REPORT_STYLE: &str = "svg { max-width: 100%; height: auto; }\n\
     .section { page-break-before: always; }\n\
     .toc li { margin: 2px 0; }\n\
     @media print { body { margin: 0; font-size: 11px; } table { page-break-inside: auto; } tr { page-break-inside: avoid; } }\n";

/// The report as one HTML document. Each section's diagram is drawn with `renderer` (Graphviz,
/// or the built-in engine); a section whose picture cannot be drawn says why instead.
pub fn html(report: &Report, lang: regtrace_core::Lang, renderer: Renderer) -> String {
    let h = crate::escape::html;
    let mut body = crate::doc::html::body(&crate::audit::document(&report.audited), lang).into_string();
    if report.sections.is_empty() {
        body.push_str("<h2>Impact of changes</h2>\n<p>No change is recorded and none was asked about (--impact-of).</p>\n");
    }
    for (i, section) in report.sections.iter().enumerate() {
        let heading = match &section.cause {
            Cause::Event(e) => format!(
                "Change #{} on {}: {} ({}{})",
                e.id,
                e.node,
                e.what,
                e.date,
                e.by.as_deref()
                    .map(|by| format!(", recorded by {by}"))
                    .unwrap_or_default()
            ),
            Cause::Nodes(ids) => format!("Impact of a change to {}", ids.join(", ")),
        };
        body.push_str(&format!(
            "<div class=\"section\" id=\"impact-{}\">\n<h2>{}</h2>\n",
            i + 1,
            h(&heading)
        ));
        if let Cause::Event(e) = &section.cause
            && let Some(note) = &e.note
        {
            body.push_str(&format!("<p>{}</p>\n", h(note)));
        }
        let (total, table) = match &section.reached {
            Reached::Snapshot(a) => (a.listed.len(), crate::reach::html_table(a.as_ref())),
            Reached::Loaded(a) => (a.listed.len(), crate::reach::html_table(a.as_ref())),
        };
        body.push_str(&format!(
            "<p>{total} nodes impacted{}.</p>\n",
            match &section.cause {
                Cause::Event(e) => format!(", as of {}", h(&e.date)),
                Cause::Nodes(_) => String::new(),
            }
        ));
        match reach_svg(section.graph, &section.subgraph, lang, renderer, None) {
            Ok(svg) => body.push_str(&inline_svg(&String::from_utf8_lossy(&svg))),
            Err(e) => body.push_str(&format!("<p><i>No diagram: {}</i></p>\n", h(&e.to_string()))),
        }
        body.push_str(&table);
        body.push_str("</div>\n");
    }
    crate::doc::html::page("regtrace report", lang, REPORT_STYLE, maud::PreEscaped(body))
}

/// The picture of an impact (or dependency) selection as SVG: changes flow from right to left,
/// as `export --impact-of` draws them. The report and the web explorer draw with it; with
/// `link` (see [`DiagramOptions::link`]) each node is a link.
pub fn reach_svg(
    graph: &regtrace_core::Graph,
    subgraph: &regtrace_core::Subgraph,
    lang: regtrace_core::Lang,
    renderer: Renderer,
    link: Option<String>,
) -> Result<Vec<u8>, crate::image::ImageError> {
    let options = DiagramOptions {
        lang,
        link,
        flow: Flow::RightToLeft,
        ..DiagramOptions::default()
    };
    let dot = Diagram::new(graph, subgraph, options).to_dot();
    crate::image::render(&dot, ImageFormat::Svg, renderer).map(|(svg, _)| svg)
}

/// An SVG document as an element to put inside HTML: from `<svg` on (the XML declaration and
/// DOCTYPE dropped); with no `<svg` element, nothing.
fn inline_svg(svg: &str) -> String {
    match svg.find("<svg") {
        Some(at) => format!("{}\n", svg[at..].trim_end()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_document_is_inlined_as_its_element() {
        let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n<svg width=\"1\"><g/></svg>\n";
        assert_eq!(inline_svg(doc), "<svg width=\"1\"><g/></svg>\n");
        assert_eq!(inline_svg("not a picture"), "");
    }
}
