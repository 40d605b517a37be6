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
    use crate::doc::{Block, Doc, Span, one};
    use crate::words::{Phrase, Word};
    use maud::{PreEscaped, html};
    let audit = crate::doc::html::body(&crate::audit::document(&report.audited), lang);
    let sections = report.sections.iter().enumerate().map(|(i, section)| {
        let heading = match &section.cause {
            Cause::Event(e) => Phrase::ReportChange {
                event: e.id,
                node: e.node.clone(),
                what: e.what.clone(),
                date: e.date.clone(),
                by: e.by.clone(),
            },
            Cause::Nodes(ids) => Phrase::ImpactOfNodes(ids.join(", ")),
        };
        let mut blocks = vec![Block::Heading(one(Span::Phrase(heading)))];
        if let Cause::Event(e) = &section.cause
            && let Some(note) = &e.note
        {
            blocks.push(Block::Para(one(Span::text(note))));
        }
        let (total, table) = match &section.reached {
            Reached::Snapshot(a) => (a.listed.len(), crate::reach::hits_table(a.as_ref())),
            Reached::Loaded(a) => (a.listed.len(), crate::reach::hits_table(a.as_ref())),
        };
        blocks.push(Block::Para(one(Span::Phrase(Phrase::NodesImpacted {
            total,
            as_of: match &section.cause {
                Cause::Event(e) => Some(e.date.clone()),
                Cause::Nodes(_) => None,
            },
        }))));
        let picture = match reach_svg(section.graph, &section.subgraph, lang, renderer, None) {
            Ok(svg) => PreEscaped(inline_svg(&String::from_utf8_lossy(&svg))),
            Err(e) => PreEscaped(
                html! { p { i { (Word::NoDiagram.say(lang)) ": " (e.to_string()) } } }.into_string(),
            ),
        };
        let table = crate::doc::html::body(&Doc::of(vec![Block::Table(table)]), lang);
        html! {
            div.section id=(format!("impact-{}", i + 1)) {
                (crate::doc::html::body(&Doc::of(blocks), lang))
                (picture)
                (table)
            }
        }
    });
    let body = html! {
        (audit)
        @if report.sections.is_empty() {
            h2 { (Word::ImpactOfChangesHeading.say(lang)) }
            p { (Word::NoChangeRecorded.say(lang)) }
        }
        @for section in sections { (section) }
    };
    crate::doc::html::page(Word::ReportTitle.say(lang), lang, REPORT_STYLE, body)
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
