//! Where answers go: standard output (text made harmless for a terminal, JSON indented only
//! for people, a closed pipe ending quietly) or a file written whole or not at all.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// Writes text to standard output. A closed pipe (`regtrace list | head`) ends quietly; any
/// other failure to write (a full disk) makes the command fail at its end.
///
/// Whatever the data holds, nothing reaches the terminal that would steer it: control
/// characters, bidi overrides and the like are shown ([`regtrace_core::text::visible`]). JSON
/// passes unchanged (it carries them as `\u` escapes).
pub fn print(text: &str) {
    crate::progress::clear();
    let text = regtrace_core::text::visible(text);
    let mut out = std::io::stdout().lock();
    note_write(out.write_all(text.as_bytes()).and_then(|()| out.flush()));
}

/// Writes a document the terminal writer made ([`regtrace_render::doc::terminal`]): already
/// harmless and already coloured as standard output takes it, so written as it is.
pub fn print_document(text: &str) {
    crate::progress::clear();
    let mut out = std::io::stdout().lock();
    note_write(out.write_all(text.as_bytes()).and_then(|()| out.flush()));
}

/// How the terminal writer should write for standard output, in `lang`.
pub fn terminal(lang: regtrace_core::Lang) -> regtrace_render::doc::terminal::Options {
    regtrace_render::doc::terminal::Options {
        lang,
        colour: crate::colour::stdout_on(),
    }
}

thread_local! {
    /// The first failure to write standard output in this run (a full disk, `> /dev/full`),
    /// other than a reader that went away.
    static WRITE_FAILED: std::cell::RefCell<Option<std::io::Error>> = const { std::cell::RefCell::new(None) };
}

/// Keeps a failed write to standard output for the end of the command (see
/// [`take_write_failure`]); a reader that went away (`regtrace list | head`) is not a failure.
fn note_write(written: std::io::Result<()>) {
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        WRITE_FAILED.with(|failed| {
            failed.borrow_mut().get_or_insert(e);
        });
    }
}

/// The first failure to write standard output since the last call: a command whose answer did
/// not reach its reader must not exit 0.
pub fn take_write_failure() -> Option<std::io::Error> {
    WRITE_FAILED.with(|failed| failed.borrow_mut().take())
}

/// Writes a warning to standard error (made harmless for a terminal, like everything printed).
pub fn warn(text: &str) {
    crate::progress::clear();
    let mut err = std::io::stderr().lock();
    let text = format!("warning: {}\n", regtrace_core::text::visible(text));
    let _ = err.write_all(crate::colour::stderr(&text).as_bytes());
}

/// JSON is indented for people (standard output is a terminal) and compact for programs and
/// files, where it is smaller and several times faster to write; `jq .` indents it again.
pub fn pretty_json() -> bool {
    std::io::stdout().is_terminal()
}

/// Streams a large answer to standard output through a buffer; a reader that goes away is
/// not an error, any other failure is kept for the end of the command.
pub fn stream(write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock>) -> std::io::Result<()>) {
    crate::progress::clear();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    note_write(write(&mut out).and_then(|()| out.flush()));
}

/// Where a command writes its document: a file (`-o FILE`) or standard output.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputFile {
    /// Output file (default: standard output). Written whole or not at all. A symbolic link
    /// at this path is refused (it may point anywhere) unless --force.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputFile {
    /// Writes `bytes` where the user said; see [`OutputFile::write_with`].
    pub fn write(&self, bytes: &[u8], binary: bool, force: bool) -> Result<(), CliError> {
        self.write_with(binary, force, |out| out.write_all(bytes))
    }

    /// Writes what `fill` writes where the user said, as it is written (a large answer need not
    /// be held whole): standard output (a closed pipe ending quietly, binary refused on a
    /// terminal), or a file as [`regtrace_app::output::write_file`] writes it (whole or not at
    /// all, never through a link unasked).
    pub fn write_with(
        &self,
        binary: bool,
        force: bool,
        fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        let Some(path) = self.output.as_deref() else {
            crate::progress::clear();
            if binary && std::io::stdout().is_terminal() {
                return Err(CliError::request(
                    "this format is binary and standard output is a terminal",
                    Some("write it to a file with -o FILE, or redirect standard output".into()),
                ));
            }
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
            return match fill(&mut out).and_then(|()| out.flush()) {
                // The reader may have gone away (`regtrace … | head`): nothing more to say.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                written => written.map_err(|e| CliError::io(Path::new("standard output"), e)),
            };
        };
        regtrace_app::output::write_file(path, binary, force, fill).map_err(CliError::App)
    }
}
