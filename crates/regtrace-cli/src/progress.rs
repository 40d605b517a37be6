//! A spinner on standard error for commands that take a while (a million-node import, verify,
//! a large matrix): it names the phase the use case reported ([`regtrace_app::progress`]) and
//! the time spent. It appears only when standard error is a terminal and the command has run
//! for a second, and is cleared before anything is printed; in pipes and CI nothing is drawn.

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a command runs before the spinner shows.
const DELAY: Duration = Duration::from_secs(1);

static SPINNER: OnceLock<ProgressBar> = OnceLock::new();

struct Spinner;

impl regtrace_app::progress::Progress for Spinner {
    fn phase(&self, what: &str) {
        if let Some(bar) = SPINNER.get() {
            bar.set_message(format!("{what} …"));
        }
    }
}

/// Starts the spinner (hidden until [`DELAY`] has passed, and shown only once a phase is
/// reported) when standard error is a terminal.
pub fn install() {
    if !std::io::stderr().is_terminal() {
        return;
    }
    let style = ProgressStyle::with_template("{spinner} {msg} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_style(style);
    if SPINNER.set(bar.clone()).is_err() || !regtrace_app::progress::install(Spinner) {
        return;
    }
    std::thread::spawn(move || {
        std::thread::sleep(DELAY);
        // Only a command that said what it is doing gets a spinner, from when it says it.
        while !bar.is_finished() {
            if !bar.message().is_empty() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(120));
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
}

/// Clears the spinner for good: called before a command prints (its answer, a warning or an
/// error), so the two never share a line.
pub fn clear() {
    if let Some(bar) = SPINNER.get()
        && !bar.is_finished()
    {
        bar.finish_and_clear();
    }
}
