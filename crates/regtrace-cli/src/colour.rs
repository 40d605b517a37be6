//! Colour on terminals: whether to colour, and the words of diagnostics.
//!
//! Whether to colour is decided once per stream: `--color always|never` says so outright;
//! with `auto` (the default) `NO_COLOR` turns colour off, `CLICOLOR_FORCE` turns it on, and
//! otherwise a terminal that is not `TERM=dumb` gets colour and a pipe or file never does.
//!
//! Answers are coloured by the renderer's terminal writer, which knows what each cell is
//! ([`regtrace_render::doc::terminal`]); here only the `error:`/`warning:`/`hint:` of
//! diagnostics are, on text already made harmless. No escape sequence ever comes from the data.

use std::borrow::Cow;
use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::{AnsiColor, Style};
use regtrace_core::audit::Severity;
use regtrace_render::doc::terminal::severity_style;

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

/// True if standard output takes colour: a renderer that styles by what a cell is asks this.
pub fn stdout_on() -> bool {
    STDOUT.load(Ordering::Relaxed)
}

/// Standard error's text, coloured if standard error takes colour.
pub fn stderr(text: &str) -> Cow<'_, str> {
    if STDERR.load(Ordering::Relaxed) {
        Cow::Owned(paint_diagnostics(text))
    } else {
        Cow::Borrowed(text)
    }
}

fn fg(colour: AnsiColor) -> Style {
    Style::new().fg_color(Some(anstyle::Color::Ansi(colour)))
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
    fn diagnostics_are_coloured_and_only_gain_escapes() {
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
