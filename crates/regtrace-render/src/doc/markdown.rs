//! A [`Doc`] as Markdown an auditor can read (GitHub-flavoured tables), titles in both
//! languages, every piece of the data's text escaped ([`crate::escape::markdown`]).

use regtrace_core::Lang;

use super::{Block, Doc, Line, Span};
use crate::escape::markdown as md;

/// The document as Markdown, regtrace's own words in `lang`.
pub fn write(doc: &Doc, lang: Lang) -> String {
    let mut out = String::new();
    if !doc.title.is_empty() {
        out.push_str(&format!("# {}\n\n", line(&doc.title, lang)));
    }
    for block in &doc.blocks {
        match block {
            Block::Heading(text) => out.push_str(&format!("## {}\n\n", line(text, lang))),
            Block::Para(text) => out.push_str(&format!("{}\n\n", line(text, lang))),
            Block::Fields(fields) => {
                out.push_str("| | |\n| --- | --- |\n");
                for (label, value) in fields {
                    out.push_str(&format!("| {} | {} |\n", md(label.say(lang)), line(value, lang)));
                }
                out.push('\n');
            }
            Block::Table(table) => {
                let heads: Vec<String> = table.columns.iter().map(|c| md(c.head.say(lang))).collect();
                let rules: Vec<&str> = table
                    .columns
                    .iter()
                    .map(|c| if c.numeric { "---:" } else { "---" })
                    .collect();
                out.push_str(&format!("| {} |\n| {} |\n", heads.join(" | "), rules.join(" | ")));
                for row in &table.rows {
                    let cells: Vec<String> = row.iter().map(|c| line(c, lang)).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                out.push('\n');
            }
            Block::List(items) => {
                for item in items {
                    let lines: Vec<String> = item.iter().map(|l| line(l, lang)).collect();
                    out.push_str(&format!("- {}\n", lines.join("<br>")));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// One line's spans as Markdown.
fn line(text: &Line, lang: Lang) -> String {
    text.iter().map(|s| span(s, lang)).collect()
}

fn span(span: &Span, lang: Lang) -> String {
    match span {
        Span::Label(w) => format!("**{}:** ", md(w.say(lang))),
        Span::Severity(_) => format!("**{}**", md(&span.plain(lang))),
        Span::Code(c) | Span::Node(c) if !c.contains('`') && !c.contains(['\n', '\r']) => {
            format!("`{}`", regtrace_core::text::visible(c))
        }
        Span::Titles { title, title_ja } => {
            format!("{} / {}", md(title), md(title_ja.as_deref().unwrap_or("—")))
        }
        _ => md(&span.plain(lang)),
    }
}
