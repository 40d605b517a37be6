//! A [`Doc`] as HTML (maud markup, so every piece of text is escaped by construction): the
//! inside of a page, for a self-contained report ([`page`]) or a web explorer page alike.
//! Void elements are written self-closed, so a page is also well-formed XML. Titles in both
//! languages; severities, kinds, statuses and states carry a class to style.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use regtrace_core::Lang;

use super::{Block, Doc, Line, Span};

/// A line break written as XML too, so a page stays well-formed XML (maud writes `<br>`).
const BR: PreEscaped<&str> = PreEscaped("<br/>");

/// The blocks of the document (its title as `<h1>`), regtrace's own words in `lang`.
pub fn body(doc: &Doc, lang: Lang) -> Markup {
    linked(doc, lang, &|_| None)
}

/// Where a node's id links to (a web page's `/nodes/ID`); `None`: no link.
pub type Link<'a> = &'a dyn Fn(&str) -> Option<String>;

/// [`body`], each node id a link where `link` gives one.
pub fn linked(doc: &Doc, lang: Lang, link: Link) -> Markup {
    let w = Writer { lang, link };
    html! {
        @if !doc.title.is_empty() { h1 { (w.line(&doc.title)) } }
        @for block in &doc.blocks { (w.block(block)) }
    }
}

/// One line of spans (a cell of a page's own table), each node id a link where `link` gives one.
pub fn line(text: &Line, lang: Lang, link: Link) -> Markup {
    Writer { lang, link }.line(text)
}

/// A writer's settings.
struct Writer<'a> {
    lang: Lang,
    link: Link<'a>,
}

impl Writer<'_> {
    /// One line's spans.
    fn line(&self, text: &Line) -> Markup {
        html! { @for s in text { (self.span(s)) } }
    }

    fn block(&self, block: &Block) -> Markup {
        let lang = self.lang;
        html! {
            @match block {
                Block::Heading(text) => h2 { (self.line(text)) },
                Block::Para(text) => p { (self.line(text)) },
                Block::Fields(fields) => table {
                    @for (label, value) in fields {
                        tr { th { (label.say(lang)) } td { (self.line(value)) } }
                    }
                },
                Block::Table(t) => table {
                    tr { @for c in &t.columns { th { (c.head.say(lang)) } } }
                    @for row in &t.rows {
                        tr {
                            @for (c, cell) in t.columns.iter().zip(row) {
                                td class=[c.numeric.then_some("number")] { (self.line(cell)) }
                            }
                        }
                    }
                },
                Block::List(items) => ul {
                    @for item in items {
                        li {
                            @for (i, l) in item.iter().enumerate() {
                                @if i > 0 { (BR) }
                                (self.line(l))
                            }
                        }
                    }
                },
            }
        }
    }

    fn span(&self, span: &Span) -> Markup {
        let lang = self.lang;
        let words = span.plain(lang);
        html! {
            @match span {
                Span::Node(id) => @match (self.link)(id) {
                    Some(href) => a href=(href) { code { (text_with_breaks(id)) } },
                    None => code { (text_with_breaks(id)) },
                },
                Span::Label(_) => { b { (words) ":" } " " },
                Span::Code(c) => code { (text_with_breaks(c)) },
                Span::Titles { title, title_ja } => {
                    (text_with_breaks(title))
                    @if let Some(ja) = title_ja { (BR) span lang="ja" { (text_with_breaks(ja)) } }
                },
                Span::Severity(s) => span class=(s.as_str()) { (words) },
                Span::Kind(k) => span class={ "kind " (k.as_str()) } { (words) },
                Span::Relation { .. } => span.rel { (words) },
                Span::Status(s) => span class={ "status " (s.as_str()) } { (words) },
                Span::State(w) => span class={ "state " (w.say(Lang::En).replace(' ', "-")) } { (words) },
                Span::Chain(c) => (chain(c, self.link)),
                _ => (text_with_breaks(&words)),
            }
        }
    }
}

/// A reason chain in the one notation ([`regtrace_core::Chain`]), each node id a link where
/// `link` gives one and each hop's relation in a `span.rel`.
pub fn chain(chain: &regtrace_core::Chain, link: Link) -> Markup {
    let node = |id: &str| match link(id) {
        Some(href) => html! { a href=(href) { (text_with_breaks(id)) } },
        None => text_with_breaks(id),
    };
    html! {
        span.chain {
            (node(&chain.start))
            @for hop in &chain.hops {
                " " span.rel { (hop.arrow()) } " " (node(&hop.node))
            }
        }
    }
}

/// The data's text, harmless, a line break as `<br/>`.
fn text_with_breaks(text: &str) -> Markup {
    let text = regtrace_core::text::visible(text);
    html! {
        @for (i, part) in text.split('\n').enumerate() {
            @if i > 0 { (BR) }
            (part.trim_end_matches('\r'))
        }
    }
}

/// The style of a document page: readable on screen and on paper, fonts that cover Japanese.
pub const STYLE: &str = "body { font-family: 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif; font-size: 14px; margin: 2em; }\n\
     table { border-collapse: collapse; margin: 0.5em 0 1.5em; }\n\
     th, td { border: 1px solid #adb5bd; padding: 3px 6px; vertical-align: top; text-align: left; }\n\
     th { background: #e9ecef; }\n\
     td.number { text-align: right; }\n\
     .error { color: #b02a37; font-weight: bold; } .warning { color: #997404; } .info { color: #495057; }\n\
     code { font-size: 13px; }\n";

/// A whole self-contained page (nothing fetched from anywhere): `title`, [`STYLE`] plus
/// `style`, and `body`.
pub fn page(title: &str, lang: Lang, style: &str, body: impl maud::Render) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                (PreEscaped("<meta charset=\"utf-8\"/>"))
                title { (title) }
                style { (PreEscaped(STYLE)) (PreEscaped(style)) }
            }
            body { (body) }
        }
    }
    .into_string()
}
