//! What a long use case is doing, for the person waiting on it.
//!
//! The use cases name their phases ("validating 921,000 nodes", "writing the query snapshot");
//! a front end decides how to show them by installing a [`Progress`] once, as `log` does with
//! its logger: the CLI shows a spinner on a terminal's standard error once a command has run
//! for a second; the server and the tests install nothing, and nothing is shown.

use std::sync::OnceLock;

/// Where the phases of long use cases go.
pub trait Progress: Send + Sync {
    /// A phase begins; it lasts until the next one or the end of the command.
    fn phase(&self, what: &str);
}

static INSTALLED: OnceLock<Box<dyn Progress>> = OnceLock::new();

/// Installs where phases go, once per process; a second call is ignored (returns false).
pub fn install(progress: impl Progress + 'static) -> bool {
    INSTALLED.set(Box::new(progress)).is_ok()
}

/// Reports a phase; `what` is only formatted when something listens.
pub fn phase(what: impl FnOnce() -> String) {
    if let Some(progress) = INSTALLED.get() {
        progress.phase(&what());
    }
}
