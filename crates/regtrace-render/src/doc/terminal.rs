//! A [`Doc`] for the terminal: aligned tables without borders (columns by display width, so
//! Japanese lines up), one line per row, and colour chosen by what a span is — a kind, a status,
//! a severity, a review state — never by reading the text back.
//!
//! Every span is made harmless first ([`regtrace_core::text::visible`]): no escape sequence
//! comes from the data, and with colour on, the only ones written are the styles here.

use anstyle::{AnsiColor, Style};
use regtrace_core::audit::Severity;
use regtrace_core::{Lang, NodeKind, Status};
use unicode_width::UnicodeWidthStr as _;

use super::{Block, Doc, Head, Line, Span, Table};
use crate::words::Word;

/// How to write: the language, and whether to colour.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The language of regtrace's own words and of titles.
    pub lang: Lang,
    /// True to colour (the front end decided the stream takes it).
    pub colour: bool,
}

impl From<Lang> for Options {
    /// Plain text in `lang` (for a file).
    fn from(lang: Lang) -> Options {
        Options { lang, colour: false }
    }
}

/// The document as terminal text.
pub fn write(doc: &Doc, options: Options) -> String {
    let mut out = String::new();
    if !doc.title.is_empty() {
        line(&mut out, &doc.title, options, Some(BOLD));
        out.push('\n');
    }
    let mut previous: Option<&Block> = None;
    for block in &doc.blocks {
        // A heading or a table stands apart; so does a paragraph after a list.
        let spaced = matches!(block, Block::Heading(_) | Block::Table(_))
            || matches!((block, previous), (Block::Para(_), Some(Block::List(_))));
        if spaced && (previous.is_some() || !doc.title.is_empty()) && !out.ends_with("\n\n") {
            out.push('\n');
        }
        match block {
            Block::Heading(text) => line(&mut out, text, options, Some(BOLD)),
            Block::Para(text) => line(&mut out, text, options, None),
            Block::Fields(fields) => {
                for (label, value) in fields {
                    out.push_str(label.say(options.lang));
                    out.push_str(": ");
                    line(&mut out, value, options, None);
                }
            }
            Block::Table(table) => write_table(&mut out, table, options),
            Block::List(items) => {
                for item in items {
                    for (i, text) in item.iter().enumerate() {
                        out.push_str(if i == 0 { "  " } else { "      " });
                        line(&mut out, text, options, None);
                    }
                }
            }
        }
        previous = Some(block);
    }
    out
}

const BOLD: Style = Style::new().bold();

fn fg(colour: AnsiColor) -> Style {
    Style::new().fg_color(Some(anstyle::Color::Ansi(colour)))
}

/// The colour of a kind, shared with the CLI's diagnostics.
pub fn kind_style(kind: NodeKind) -> Option<Style> {
    Some(match kind {
        NodeKind::Device => fg(AnsiColor::Cyan),
        NodeKind::Guideline | NodeKind::EvaluationIndex => fg(AnsiColor::Green),
        NodeKind::EvaluationItem => fg(AnsiColor::Blue),
        NodeKind::TestMethod => fg(AnsiColor::Magenta),
        NodeKind::Standard | NodeKind::StandardFamily | NodeKind::Clause => fg(AnsiColor::Yellow),
        NodeKind::Regulation | NodeKind::Policy => fg(AnsiColor::Red),
        _ => return None,
    })
}

fn status_style(status: Status) -> Style {
    match status {
        Status::Planned | Status::Proposed | Status::InProgress | Status::Draft => fg(AnsiColor::Yellow),
        Status::Published | Status::Enacted | Status::Active => fg(AnsiColor::Green),
        Status::Superseded | Status::Withdrawn | Status::Closed => fg(AnsiColor::Red),
    }
}

/// The colour of a severity, shared with the CLI's diagnostics.
pub fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => fg(AnsiColor::Red).bold(),
        Severity::Warning => fg(AnsiColor::Yellow),
        Severity::Info => fg(AnsiColor::Blue),
    }
}

/// The style of a span, if it has one.
fn style(span: &Span) -> Option<Style> {
    match span {
        Span::Kind(k) => kind_style(*k),
        Span::Status(s) => Some(status_style(*s)),
        Span::Severity(s) => Some(severity_style(*s)),
        Span::State(Word::Open) => Some(fg(AnsiColor::Yellow)),
        Span::State(_) => Some(fg(AnsiColor::Green)),
        Span::Label(_) => Some(BOLD),
        _ => None,
    }
}

/// A span as harmless text, one line (breaks shown as `↵`, so no cell can fake a row).
fn plain(span: &Span, lang: Lang) -> String {
    let text = span.plain(lang);
    let text = regtrace_core::text::visible(&text);
    let text = text.replace("\r\n", "↵").replace(['\n', '\r'], "↵");
    match span {
        Span::Label(_) => format!("{text}: "),
        _ => text,
    }
}

/// Appends the spans of `text`, styled if colour is on; returns the display width written.
fn spans(out: &mut String, text: &Line, options: Options, whole: Option<Style>) -> usize {
    let mut width = 0;
    for span in text {
        let words = plain(span, options.lang);
        width += words.width();
        match style(span).or(whole).filter(|_| options.colour) {
            Some(style) => out.push_str(&format!("{style}{words}{style:#}")),
            None => out.push_str(&words),
        }
    }
    width
}

fn line(out: &mut String, text: &Line, options: Options, whole: Option<Style>) {
    spans(out, text, options, whole);
    out.push('\n');
}

fn write_table(out: &mut String, table: &Table, options: Options) {
    // Every cell written once, as (its text with any styles, its display width); then each
    // column padded to its widest cell and two spaces, trailing blanks cut.
    let head = table
        .columns
        .iter()
        .map(|c| {
            let text = match (&c.head, options.lang) {
                (Head::Word(w), Lang::En) => w.say(Lang::En).to_uppercase(),
                (head, lang) => regtrace_core::text::visible(head.say(lang)).into_owned(),
            };
            let width = text.width();
            (text, width)
        })
        .collect();
    let rows: Vec<Vec<(String, usize)>> = std::iter::once(head)
        .chain(table.rows.iter().map(|row| {
            row.iter()
                .map(|cell| {
                    let mut text = String::new();
                    let width = spans(&mut text, cell, options, None);
                    (text, width)
                })
                .collect()
        }))
        .collect();
    let mut widths = vec![0; table.columns.len()];
    for row in &rows {
        for (i, (_, width)) in row.iter().enumerate() {
            widths[i] = widths[i].max(*width);
        }
    }
    for row in &rows {
        let mut line = String::new();
        for ((text, width), column) in row.iter().zip(&widths) {
            line.push_str(text);
            line.push_str(&" ".repeat(column - width + 2));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::one;

    fn sample() -> Doc {
        let mut table = Table::new(&[Word::Id, Word::Kind, Word::Status, Word::Title]);
        table.row(vec![
            one(Span::code("a")),
            one(Span::Kind(NodeKind::Guideline)),
            one(Span::Status(Status::Published)),
            one(Span::titles("Artificial heart", Some("人工心臓"))),
        ]);
        table.row(vec![
            one(Span::code("日本")),
            one(Span::Kind(NodeKind::Device)),
            one(Span::Status(Status::Draft)),
            one(Span::text("x\ny\u{1b}[31m")),
        ]);
        Doc {
            title: Vec::new(),
            blocks: vec![Block::Table(table)],
        }
    }

    #[test]
    fn japanese_lines_up_breaks_stay_in_their_cell_and_the_data_cannot_steer() {
        let text = write(&sample(), Options::default());
        assert_eq!(
            text,
            "ID    KIND       STATUS     TITLE\n\
             a     guideline  published  Artificial heart\n\
             日本  device     draft      x↵y␛[31m\n"
        );
        let ja = write(
            &sample(),
            Options {
                lang: Lang::Ja,
                colour: false,
            },
        );
        assert!(ja.starts_with("ID    種別          状態      名称\n"), "{ja}");
        assert!(ja.contains("ガイドライン  発行済み  人工心臓"), "{ja}");
    }

    #[test]
    fn colour_comes_from_what_a_cell_is_and_only_adds_escapes() {
        let doc = sample();
        let plain = write(&doc, Options::default());
        let coloured = write(
            &doc,
            Options {
                lang: Lang::En,
                colour: true,
            },
        );
        let green = fg(AnsiColor::Green);
        assert!(coloured.contains(&format!("{green}guideline{green:#}  {green}published{green:#}")));
        let cyan = fg(AnsiColor::Cyan);
        assert!(coloured.contains(&format!("{cyan}device{cyan:#}")));
        let stripped = {
            let mut s = String::new();
            let mut rest = coloured.as_str();
            while let Some(at) = rest.find('\x1b') {
                s.push_str(&rest[..at]);
                rest = &rest[at + rest[at..].find('m').unwrap() + 1..];
            }
            s + rest
        };
        assert_eq!(stripped, plain);
    }
}
