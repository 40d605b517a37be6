//! The typed document every answer becomes before it is written: sections, tables and lists
//! whose cells say what they are (a node with both titles, a kind, a status, a severity, a
//! review state, a count, a date, a person, a reason chain, or plain text of the data's own).
//!
//! One builder per answer makes a [`Doc`]; one writer per medium turns any `Doc` into bytes:
//! [`terminal`] (aligned tables, colour chosen by what a cell is), [`markdown`] and [`html`].
//! A writer words regtrace's own labels from the message table ([`crate::words`]) in the
//! language asked for, and never sees an answer: so the audit's Markdown and HTML, or the
//! report and a web page, cannot say different things.

pub mod html;
pub mod markdown;
pub mod terminal;

use regtrace_core::audit::Severity;
use regtrace_core::{Lang, NodeKind, Status};

use crate::words::{Phrase, Word};

/// A document: a title and its blocks, in order.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// The title (a top-level heading in Markdown and HTML, the first line on a terminal).
    pub title: Line,
    /// The content.
    pub blocks: Vec<Block>,
}

impl Doc {
    /// A document without a title.
    pub fn of(blocks: Vec<Block>) -> Doc {
        Doc {
            title: Vec::new(),
            blocks,
        }
    }
}

/// A run of spans: one line of text, one table cell or one list item's line.
pub type Line = Vec<Span>;

/// One block of a document.
#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading.
    Heading(Line),
    /// A paragraph.
    Para(Line),
    /// Label and value pairs (provenance, a node's fields).
    Fields(Vec<(Word, Line)>),
    /// A table.
    Table(Table),
    /// A list; each item has a first line and, below it, further lines (a finding's message).
    List(Vec<Vec<Line>>),
}

/// A table: column heads and rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows; each as many cells as there are columns.
    pub rows: Vec<Vec<Line>>,
}

/// A column: its head, and whether it holds numbers (right-aligned where a medium can).
#[derive(Debug, Clone)]
pub struct Column {
    /// The head.
    pub head: Head,
    /// True if the column holds numbers.
    pub numeric: bool,
}

/// A column head: a word of regtrace's own, or the data's (an id, a fiscal year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// Said in the document's language (upper-cased on an English terminal).
    Word(Word),
    /// Shown as it is.
    Text(String),
}

impl Head {
    /// The head in `lang`.
    pub fn say(&self, lang: Lang) -> &str {
        match self {
            Head::Word(w) => w.say(lang),
            Head::Text(t) => t,
        }
    }
}

impl Table {
    /// A table with these column heads; the numeric ones are marked by [`Table::numbers`].
    pub fn new(heads: &[Word]) -> Table {
        Table::with_heads(heads.iter().map(|&w| Head::Word(w)))
    }

    /// A table with these heads.
    pub fn with_heads(heads: impl IntoIterator<Item = Head>) -> Table {
        Table {
            columns: heads
                .into_iter()
                .map(|head| Column { head, numeric: false })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Marks the columns whose heads are in `heads` as numeric.
    pub fn numbers(mut self, heads: &[Word]) -> Table {
        for c in &mut self.columns {
            c.numeric |= matches!(c.head, Head::Word(w) if heads.contains(&w));
        }
        self
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<Line>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows.push(cells);
    }
}

/// What one piece of text is; the writers word, escape and style it by that.
#[derive(Debug, Clone)]
pub enum Span {
    /// A word of regtrace's own, said in the document's language.
    Say(Word),
    /// A label of regtrace's own that introduces what follows ("Fix:"), emphasised.
    Label(Word),
    /// Text from the data or the user (a title, a note, a rule's description): never translated.
    Text(String),
    /// Text a data file gives in English and, optionally, Japanese (an audit rule's
    /// description): shown in the document's language, English where no Japanese is given.
    Translated {
        /// The English.
        en: String,
        /// The Japanese, if given.
        ja: Option<String>,
    },
    /// An id, a file name or a hash: shown as code.
    Code(String),
    /// The id of a node: shown as code, and as a link to the node where the medium has them
    /// (a web page).
    Node(String),
    /// Both titles of a node: a terminal shows the one in its language, a document both.
    Titles {
        /// The English title.
        title: String,
        /// The Japanese title, if there is one.
        title_ja: Option<String>,
    },
    /// A node kind.
    Kind(NodeKind),
    /// A relation: its name (as data files write it) and, if the catalog gives one, its
    /// Japanese name, shown beside the name in Japanese.
    Relation {
        /// The name.
        name: String,
        /// The Japanese name.
        title_ja: Option<String>,
    },
    /// A node's status.
    Status(Status),
    /// An audit severity.
    Severity(Severity),
    /// A review state or outcome (open, closed, unchanged, revised, withdrawn).
    State(Word),
    /// A sentence of regtrace's own with numbers or names in it.
    Phrase(Phrase),
    /// A count.
    Count(usize),
    /// A percentage, shown with one decimal.
    Percent(f64),
    /// A reason chain in the notation of [`regtrace_core::Chain`] (node first, each hop as
    /// stored); a medium with links links each node.
    Chain(regtrace_core::Chain),
}

impl Span {
    /// Text of the data's own.
    pub fn text(text: impl Into<String>) -> Span {
        Span::Text(text.into())
    }

    /// An id or other code.
    pub fn code(text: impl Into<String>) -> Span {
        Span::Code(text.into())
    }

    /// A node's id.
    pub fn node(id: impl Into<String>) -> Span {
        Span::Node(id.into())
    }

    /// A relation, with its Japanese name if the catalog gives one.
    pub fn relation(name: impl Into<String>, title_ja: Option<impl Into<String>>) -> Span {
        Span::Relation {
            name: name.into(),
            title_ja: title_ja.map(Into::into),
        }
    }

    /// A node's titles.
    pub fn titles(title: impl Into<String>, title_ja: Option<impl Into<String>>) -> Span {
        Span::Titles {
            title: title.into(),
            title_ja: title_ja.map(Into::into),
        }
    }

    /// Text of a data file's in both languages.
    pub fn translated(en: &str, ja: Option<&str>) -> Span {
        Span::Translated {
            en: en.to_owned(),
            ja: ja.map(str::to_owned),
        }
    }

    /// The span as plain words in `lang`, as a terminal shows it (titles: the one in `lang`).
    pub fn plain(&self, lang: Lang) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow::{Borrowed, Owned};
        match self {
            Span::Say(w) | Span::Label(w) | Span::State(w) => Borrowed(w.say(lang)),
            Span::Text(t) | Span::Code(t) | Span::Node(t) => Borrowed(t),
            Span::Chain(c) => Owned(c.to_string()),
            Span::Relation { name, title_ja } => match (lang, title_ja) {
                (Lang::Ja, Some(ja)) => Owned(format!("{ja}（{name}）")),
                _ => Borrowed(name),
            },
            Span::Titles { title, title_ja } => Borrowed(lang.pick(title, title_ja.as_deref())),
            Span::Translated { en, ja } => Borrowed(lang.pick(en, ja.as_deref())),
            Span::Kind(k) => Borrowed(crate::words::kind(*k, lang)),
            Span::Status(s) => Borrowed(crate::words::status(*s, lang)),
            Span::Severity(s) => Borrowed(crate::words::severity(*s, lang)),
            Span::Phrase(p) => Owned(p.say(lang)),
            Span::Count(n) => Owned(n.to_string()),
            Span::Percent(p) => Owned(format!("{p:.1}")),
        }
    }
}

/// A one-span line.
pub fn one(span: Span) -> Line {
    vec![span]
}
