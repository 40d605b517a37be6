//! Colour on terminals: kinds, statuses, severities, review states and the changed node.
//!
//! Whether to colour is decided once per stream: `--color always|never` says so outright;
//! with `auto` (the default) `NO_COLOR` turns colour off, `CLICOLOR_FORCE` turns it on, and
//! otherwise a terminal that is not `TERM=dumb` gets colour and a pipe or file never does.
//!
//! Colour is added to text already made harmless ([`regtrace_core::text::visible`]), by
//! recognising regtrace's own words where its outputs put them: a KIND, STATUS, SEVERITY or
//! STATE column of a table (found by its header), `kind` and `status` rows of `show`, the kind
//! headings and the changed node of `impact`, and the `error:`/`warning:`/`hint:` of
//! diagnostics. So no escape sequence ever comes from the data, and the renderers stay
//! unaware of terminals.

use std::borrow::Cow;
use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::{AnsiColor, Style};
use regtrace_core::audit::Severity;
use regtrace_core::{NodeKind, Status};
use unicode_width::UnicodeWidthChar as _;

/// `--color`: when to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set (or CLICOLOR_FORCE forces it).
    #[default]
    Auto,
    /// Always, even in a pipe or file.
    Always,
    /// Never.
    Never,
}

static STDOUT: AtomicBool = AtomicBool::new(false);
static STDERR: AtomicBool = AtomicBool::new(false);

/// Decides for standard output and standard error.
pub fn install(choice: ColorArg) {
    STDOUT.store(wanted(choice, std::io::stdout().is_terminal()), Ordering::Relaxed);
    STDERR.store(wanted(choice, std::io::stderr().is_terminal()), Ordering::Relaxed);
}

fn wanted(choice: ColorArg, terminal: bool) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            if anstyle_query::no_color() {
                false
            } else if anstyle_query::clicolor_force() {
                true
            } else {
                terminal && anstyle_query::clicolor() != Some(false) && anstyle_query::term_supports_color()
            }
        }
    }
}

/// Standard output's text, coloured if standard output takes colour.
pub fn stdout(text: &str) -> Cow<'_, str> {
    if STDOUT.load(Ordering::Relaxed) {
        Cow::Owned(paint(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// Standard error's text, coloured if standard error takes colour.
pub fn stderr(text: &str) -> Cow<'_, str> {
    if STDERR.load(Ordering::Relaxed) {
        Cow::Owned(paint_diagnostics(text))
    } else {
        Cow::Borrowed(text)
    }
}

const BOLD: Style = Style::new().bold();

fn fg(colour: AnsiColor) -> Style {
    Style::new().fg_color(Some(anstyle::Color::Ansi(colour)))
}

fn kind_style(kind: NodeKind) -> Option<Style> {
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

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => fg(AnsiColor::Red).bold(),
        Severity::Warning => fg(AnsiColor::Yellow),
        Severity::Info => fg(AnsiColor::Blue),
    }
}

/// What a column holds, and so which words in it are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Kind,
    Status,
    Severity,
    State,
}

impl Column {
    fn of_header(word: &str) -> Option<Column> {
        Some(match word {
            "KIND" => Column::Kind,
            "STATUS" => Column::Status,
            "SEVERITY" => Column::Severity,
            "STATE" => Column::State,
            _ => return None,
        })
    }

    /// The style of the word at the start of `cell`, and the word's length.
    fn style(self, cell: &str) -> Option<(Style, usize)> {
        let word = cell.split(' ').next().unwrap_or("");
        let style = match self {
            Column::Kind => word.parse().ok().and_then(kind_style),
            Column::Status => word.parse().ok().map(status_style),
            Column::Severity => word.parse().ok().map(severity_style),
            Column::State => match word {
                "open" => Some(fg(AnsiColor::Yellow)),
                "closed" => Some(fg(AnsiColor::Green)),
                _ => None,
            },
        }?;
        Some((style, word.len()))
    }
}

/// A table header: upper-case words (ASCII) apart by two spaces or more.
fn header_columns(line: &str) -> Option<Vec<(usize, &str)>> {
    let plain = !line.is_empty()
        && line
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b' ' | b'_' | b'-'));
    if !plain || !line.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let mut columns = Vec::new();
    let mut start = None;
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match (start, *b == b' ') {
            (None, false) => start = Some(i),
            (Some(s), true) if bytes.get(i + 1) == Some(&b' ') || i + 1 == bytes.len() => {
                columns.push((s, &line[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        columns.push((s, &line[s..]));
    }
    Some(columns)
}

/// The byte offset in `line` at display column `column`, if a character starts there.
fn at_column(line: &str, column: usize) -> Option<usize> {
    let mut width = 0;
    for (i, c) in line.char_indices() {
        if width == column {
            return Some(i);
        }
        if width > column {
            return None;
        }
        width += c.width().unwrap_or(0);
    }
    (width == column).then_some(line.len())
}

/// Appends `line` to `out` with each span (start, length, style) of it wrapped in its style.
fn styled(out: &mut String, line: &str, spans: &mut [(usize, usize, Style)]) {
    spans.sort_by_key(|(start, _, _)| *start);
    let mut at = 0;
    for &(start, len, style) in spans.iter() {
        if start < at {
            continue;
        }
        out.push_str(&line[at..start]);
        out.push_str(&format!("{style}{}{style:#}", &line[start..start + len]));
        at = start + len;
    }
    out.push_str(&line[at..]);
}

/// Colours stdout text (see the module's description).
fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // The coloured columns of the table being read, by display column.
    let mut columns: Vec<(usize, Column)> = Vec::new();
    // In `show`'s FIELD/VALUE table: where the values start.
    let mut values: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let mut spans: Vec<(usize, usize, Style)> = Vec::new();
        if body.trim().is_empty() {
            columns.clear();
            values = None;
        } else if let Some(header) = header_columns(body) {
            columns = header
                .iter()
                .filter_map(|(at, word)| Column::of_header(word).map(|c| (*at, c)))
                .collect();
            values = match header.as_slice() {
                [(_, "FIELD"), (at, "VALUE")] => Some(*at),
                _ => None,
            };
        } else if let Some(at) = values {
            let column = match body.split(' ').next() {
                Some("kind") => Some(Column::Kind),
                Some("status") => Some(Column::Status),
                _ => None,
            };
            if let Some(column) = column
                && let Some(start) = at_column(body, at)
                && let Some((style, len)) = column.style(&body[start..])
            {
                spans.push((start, len, style));
            }
        } else if !columns.is_empty() {
            for &(at, column) in &columns {
                if let Some(start) = at_column(body, at)
                    && let Some((style, len)) = column.style(&body[start..])
                {
                    spans.push((start, len, style));
                }
            }
        } else if let Some(rest) = body
            .strip_prefix("Impacted by a change to ")
            .or_else(|| body.strip_prefix("Dependencies of "))
        {
            // The changed (or examined) node.
            let start = body.len() - rest.len();
            let len = rest.find(" (").unwrap_or(rest.len());
            spans.push((start, len, BOLD));
        } else if let Some((kind, count)) = body.split_once(" (")
            && count
                .strip_suffix(')')
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            && let Some(style) = kind.parse().ok().and_then(kind_style)
        {
            // An impact answer's kind heading: `guideline (17)`.
            spans.push((0, kind.len(), style.bold()));
        }
        styled(&mut out, body, &mut spans);
        out.push_str(end);
    }
    out
}

/// Colours the `error`, `warning` and `hint` of diagnostics.
fn paint_diagnostics(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let mut spans = Vec::new();
        for (word, style) in [
            ("error:", severity_style(Severity::Error)),
            ("warning:", severity_style(Severity::Warning)),
            ("hint:", fg(AnsiColor::Cyan)),
        ] {
            let found = if line.trim_start().starts_with(word) {
                Some(line.len() - line.trim_start().len())
            } else {
                line.find(&format!(": {word} ")).map(|i| i + 2)
            };
            if let Some(start) = found {
                spans.push((start, word.len() - 1, style));
                break;
            }
        }
        styled(&mut out, line, &mut spans);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('\x1b') {
            out.push_str(&rest[..at]);
            let end = rest[at..].find('m').expect("an SGR sequence");
            rest = &rest[at + end + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn table_columns_are_found_by_their_header_and_japanese_keeps_its_columns() {
        let text = "ID   KIND       STATUS     TITLE\n\
                    a    guideline  published  人工心臓 guideline\n\
                    日本 device     draft      x\n\
                    \n\
                    guideline  not a table row\n";
        let painted = paint(text);
        assert_eq!(plain(&painted), text, "colour only adds escape sequences");
        let green = fg(AnsiColor::Green);
        assert!(
            painted.contains(&format!("{green}guideline{green:#}  {green}published{green:#}")),
            "{painted:?}"
        );
        let cyan = fg(AnsiColor::Cyan);
        assert!(
            painted.contains(&format!("日本 {cyan}device{cyan:#}")),
            "{painted:?}"
        );
        assert!(
            painted.contains("人工心臓 guideline\n"),
            "a title is not a kind column: {painted:?}"
        );
        assert!(painted.ends_with("guideline  not a table row\n"), "{painted:?}");
    }

    #[test]
    fn impact_headings_show_and_diagnostics_are_coloured() {
        let text = "Impacted by a change to law-1 (A law):\n\nguideline (2)\n  g  t\n";
        let painted = paint(text);
        assert_eq!(plain(&painted), text);
        assert!(
            painted.contains(&format!("{BOLD}law-1{BOLD:#} (A law)")),
            "{painted:?}"
        );
        let heading = fg(AnsiColor::Green).bold();
        assert!(
            painted.contains(&format!("{heading}guideline{heading:#} (2)")),
            "{painted:?}"
        );

        let show = "FIELD   VALUE\nid      x\nkind    device\nstatus  withdrawn\ntitle   device\n";
        let painted = paint(show);
        assert_eq!(plain(&painted), show);
        assert_eq!(
            painted.matches('\x1b').count(),
            4,
            "kind and status values only: {painted:?}"
        );

        let diagnostics =
            "a.csv:2: error: unknown kind \"devic\"\n  hint: did you mean \"device\"?\nwarning: w\n";
        let painted = paint_diagnostics(diagnostics);
        assert_eq!(plain(&painted), diagnostics);
        assert_eq!(
            painted.matches("\x1b[0m").count(),
            3,
            "error, hint, warning: {painted:?}"
        );
    }

    #[test]
    fn always_and_never_are_obeyed_whatever_the_terminal() {
        assert!(wanted(ColorArg::Always, false));
        assert!(!wanted(ColorArg::Never, true));
    }
}
