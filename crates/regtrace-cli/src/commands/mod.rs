//! One module per command (or pair of commands), each holding its options and the glue that
//! turns them into a call of `regtrace-app` and a renderer of `regtrace-render`.

/// A clap parser for a closed vocabulary (`regtrace_core::vocabulary!`, or any type with `ALL`,
/// `as_str` and `FromStr`): its words listed in `--help`, read by the type's own `FromStr`, so a
/// flag is spelled as the data and the web spell it.
macro_rules! words {
    ($t:ty) => {{
        use clap::builder::TypedValueParser as _;
        clap::builder::PossibleValuesParser::new(<$t>::ALL.iter().map(|v| v.as_str()))
            .try_map(|w| w.parse::<$t>())
    }};
}

/// A word of a closed vocabulary (`--kind`, `--status`) read by the app's own parser, so a
/// misspelt one gets the app's error and "did you mean" hint, as clap's message.
pub fn word<T: std::str::FromStr<Err = regtrace_core::model::UnknownWord>>(text: &str) -> Result<T, String> {
    regtrace_app::parse::word(text).map_err(|e| match e.hint() {
        Some(hint) => format!("{e}\n  hint: {hint}"),
        None => e.to_string(),
    })
}

pub mod audit;
pub mod change;
pub mod defaults;
pub mod diff;
pub mod editions;
pub mod export;
pub mod import;
pub mod init;
pub mod matrix;
pub mod nodes;
pub mod path;
pub mod reach;
pub mod report;
pub mod reqif;
pub mod review;
pub mod serve;
pub mod shell;
pub mod verify;

use regtrace_app::{AppError, DataSet};
use regtrace_core::Lang;

/// How a command prints its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for the terminal (Japanese text aligned by display width).
    Table,
    /// One JSON document, for scripts.
    Json,
    /// Comma-separated values with a header row, for spreadsheets.
    Csv,
}

/// How a command that answers in words prints its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Words {
    /// For people: lines, sections and tables in the language asked.
    Table,
    /// One JSON document, for scripts.
    Json,
}

/// The language regtrace speaks in, and of titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Japanese (a node's English title where it has no Japanese one).
    Ja,
}

/// What every command is given besides its own options.
pub struct Globals {
    /// Which database and catalog.
    pub context: regtrace_app::Context,
    /// The language of titles.
    pub lang: Lang,
    /// Start CSV output with a UTF-8 byte-order mark (`--bom`).
    pub bom: bool,
}

/// The UTF-8 byte-order mark: Excel reads a CSV file as UTF-8 only when it starts with one.
pub const BOM: &str = "\u{FEFF}";

impl LangArg {
    /// The title language for an optional `--lang`: English unless Japanese is asked for.
    pub fn resolve(lang: Option<LangArg>) -> Lang {
        match lang {
            Some(LangArg::Ja) => Lang::Ja,
            Some(LangArg::En) | None => Lang::En,
        }
    }
}

impl Globals {
    /// CSV text as the user asked for it: with a byte-order mark under `--bom`.
    pub fn csv(&self, text: String) -> String {
        if self.bom { format!("{BOM}{text}") } else { text }
    }

    /// The data set the commands read: the database, or the built-in seed.
    pub fn open(&self) -> Result<DataSet, AppError> {
        self.context.open().map(warned)
    }

    /// The database, for the commands that read history.
    pub fn open_history(&self) -> Result<DataSet, AppError> {
        self.context.open_history().map(warned)
    }

    /// A data set named on the command line (a `diff` side).
    pub fn open_named(&self, spec: &str) -> Result<DataSet, AppError> {
        self.context.open_named(spec).map(warned)
    }
}

/// Shows the data set's warning (a damaged snapshot ignored), once, on standard error.
fn warned(data: DataSet) -> DataSet {
    if let Some(warning) = data.warning() {
        crate::output::warn(warning);
    }
    data
}

/// When a report or export is made: `SOURCE_DATE_EPOCH` (seconds since 1970) when set, so it
/// can be reproduced byte for byte; `None` for now.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
}
