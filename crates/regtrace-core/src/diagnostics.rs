//! Diagnostics: what is wrong with the input, where, and how to fix it.
//!
//! Validation never stops at the first problem: every check appends to a [`Diagnostics`] list so a
//! user sees all problems of a data set at once.

use std::fmt;
use std::sync::Arc;

/// A place in a source file. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file as the user named it (or `<embedded>/…` for the built-in data set).
    pub file: Arc<str>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column (in characters), when known.
    pub column: Option<u32>,
    /// The worksheet, for a cell of a workbook: then `line` is the row and `column` the column,
    /// shown as Excel names a cell (`nodes!C17`).
    pub sheet: Option<Arc<str>>,
}

impl Location {
    /// A location at `line` (and optionally `column`) of `file`.
    pub fn new(file: Arc<str>, line: Option<u32>, column: Option<u32>) -> Self {
        Location {
            file,
            line,
            column,
            sheet: None,
        }
    }

    /// A cell of a workbook: `row` and `column` count from 1.
    pub fn cell(file: Arc<str>, sheet: Arc<str>, row: u32, column: u32) -> Self {
        Location {
            file,
            line: Some(row),
            column: Some(column),
            sheet: Some(sheet),
        }
    }

    /// A location naming only the file.
    pub fn file(file: Arc<str>) -> Self {
        Location {
            file,
            line: None,
            column: None,
            sheet: None,
        }
    }
}

/// A cell's name as Excel writes it: row 17 of column 3 is `C17` (both count from 1).
pub fn cell_name(row: u32, column: u32) -> String {
    format!("{}{row}", column_letters(column))
}

/// A column's letters as Excel names it: 1 is `A`, 27 is `AA`.
pub fn column_letters(mut column: u32) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        column -= 1;
        letters.push(b'A' + (column % 26) as u8);
        column /= 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ":{sheet}")?;
            if let (Some(row), Some(column)) = (self.line, self.column) {
                write!(f, "!{}", cell_name(row, column))?;
            }
            return Ok(());
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where, if the problem has a place.
    pub location: Option<Location>,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The id of a node this problem keeps out of the data although the files define it (a
    /// node with a bad kind or date): links to it are then not reported as links to an unknown
    /// node, which would send the reader to define what is defined.
    pub rejects: Option<String>,
}

impl Diagnostic {
    /// A problem at `location`.
    pub fn new(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            location,
            message: message.into(),
            hint: None,
            rejects: None,
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        write!(f, "error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in one validation run, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Moves the other list's problems to the end of this one.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sorts by file, line and column (problems without a place last), keeping the order of
    /// problems at the same place.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| match (&a.location, &b.location) {
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

/// Line and column of byte offsets in one text: the start of every line found once, so a file
/// with a hundred thousand nodes gets each node's location by a binary search instead of a
/// rescan from the top (which made reading such a file quadratic).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's first character.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The 1-based (line, column in characters) of a byte offset (clamped to the text, and to
    /// the start of the character it falls in).
    pub fn line_column(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line as u32, column as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\n人工心臓x\n\nlast";
        let lines = LineIndex::new(text);
        assert_eq!(lines.line_column(0), (1, 1));
        assert_eq!(lines.line_column(2), (1, 3));
        assert_eq!(lines.line_column(3), (2, 1));
        assert_eq!(lines.line_column(3 + 12), (2, 5));
        assert_eq!(lines.line_column(3 + 1), (2, 1), "inside a character: its start");
        assert_eq!(lines.line_column(17), (3, 1));
        assert_eq!(lines.line_column(text.len()), (4, 5));
        assert_eq!(lines.line_column(usize::MAX), (4, 5));
    }
}
