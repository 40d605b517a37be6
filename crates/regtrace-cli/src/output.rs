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
    /// be held whole). A regular file is written whole or not at all: the
    /// bytes go to a temporary file in the same directory, which then replaces the path. A
    /// device, FIFO or terminal (`/dev/null`, a named pipe, `/dev/stdout`) is written into as a
    /// stream, never replaced; a directory or a disk is refused. A symbolic link at the path is
    /// refused unless `force`, which writes to what it points to. Binary output is refused on a
    /// terminal, where it would only garble the screen.
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
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if link && !force {
            let points_to = std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(CliError::request(
                format!(
                    "{} is a symbolic link (to {points_to}); not writing through it",
                    path.display()
                ),
                Some(
                    "remove the link, give another -o path, or add --force to write to the file it points to"
                        .into(),
                ),
            ));
        }
        // What is there (through the link, if any): a device, a FIFO or a terminal is written
        // into as a stream; only a regular file (or nothing yet) is replaced whole.
        if let Ok(there) = std::fs::metadata(path)
            && !there.is_file()
        {
            return stream_into(path, &there, binary, fill);
        }
        let target;
        let path = if link {
            target = resolve_link(path).map_err(|e| CliError::io(path, e))?;
            target.as_path()
        } else {
            path
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(CliError::request(
                format!(
                    "cannot write {}: the directory {} does not exist",
                    path.display(),
                    dir.display()
                ),
                Some("create the directory first, or give another -o path".into()),
            ));
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".regtrace-");
        // Like any new file: readable as the umask allows, not tempfile's private 0600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let file = builder.tempfile_in(dir).map_err(|e| CliError::io(path, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        // On a failure the temporary file is removed and the path left as it was.
        fill(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| CliError::io(path, e))?;
        let file = out.into_inner().map_err(|e| CliError::io(path, e.into_error()))?;
        file.persist(path).map_err(|e| CliError::io(path, e.error))?;
        Ok(())
    }
}

/// Writes what `fill` writes into something that is not a regular file: a character device (`/dev/null`,
/// a terminal), a FIFO or a socket's stand-in (`/dev/stdout` on a pipe) is written as a stream,
/// never replaced; a directory or a block device (a disk) is refused.
fn stream_into(
    path: &Path,
    there: &std::fs::Metadata,
    binary: bool,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<(), CliError> {
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;
    if there.is_dir() {
        return Err(CliError::request(
            format!("{} is a directory", path.display()),
            Some("give a file name for -o, e.g. -o DIR/out.json".into()),
        ));
    }
    #[cfg(unix)]
    if there.file_type().is_block_device() {
        return Err(CliError::request(
            format!(
                "{} is a block device; regtrace does not write onto disks",
                path.display()
            ),
            Some("give a file name for -o".into()),
        ));
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| CliError::io(path, e))?;
    if binary && file.is_terminal() {
        return Err(CliError::request(
            format!("this format is binary and {} is a terminal", path.display()),
            Some("write it to a file with -o FILE".into()),
        ));
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    match fill(&mut out).and_then(|()| out.flush()) {
        // A reader that went away (a closed FIFO or pipe) ends quietly, as on standard output.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => written.map_err(|e| CliError::io(path, e)),
    }
}

/// The file a symbolic link leads to, following a chain of links (at most 40, like the kernel);
/// the final file need not exist yet.
fn resolve_link(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Ok(path);
        }
        let next = std::fs::read_link(&path)?;
        path = match path.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}
