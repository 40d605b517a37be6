//! Answers written to a file: whole or not at all, never through a link unasked, never onto a
//! directory or a disk (the `-o FILE` of every command that writes one).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::error::{AppError, Result};

fn io(path: &Path, source: std::io::Error) -> AppError {
    AppError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes what `fill` writes to `path`, as it is written (a large answer need not be held
/// whole). A regular file is written whole or not at all: the bytes go to a temporary file in
/// the same directory, which then replaces the path. A device, FIFO or terminal (`/dev/null`, a
/// named pipe, `/dev/stdout`) is written into as a stream, never replaced; a directory or a disk
/// is refused. A symbolic link at the path is refused unless `force`, which writes to what it
/// points to. Binary output is refused on a terminal, where it would only garble the screen.
pub fn write_file(
    path: &Path,
    binary: bool,
    force: bool,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<()> {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link && !force {
        let points_to = std::fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        return Err(AppError::request(
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
        target = resolve_link(path).map_err(|e| io(path, e))?;
        target.as_path()
    } else {
        path
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(AppError::request(
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
    let file = builder.tempfile_in(dir).map_err(|e| io(path, e))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    // On a failure the temporary file is removed and the path left as it was.
    fill(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| io(path, e))?;
    let file = out.into_inner().map_err(|e| io(path, e.into_error()))?;
    file.persist(path).map_err(|e| io(path, e.error))?;
    Ok(())
}

/// Writes what `fill` writes into something that is not a regular file: a character device (`/dev/null`,
/// a terminal), a FIFO or a socket's stand-in (`/dev/stdout` on a pipe) is written as a stream,
/// never replaced; a directory or a block device (a disk) is refused.
fn stream_into(
    path: &Path,
    there: &std::fs::Metadata,
    binary: bool,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<()> {
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;
    if there.is_dir() {
        return Err(AppError::request(
            format!("{} is a directory", path.display()),
            Some("give a file name for -o, e.g. -o DIR/out.json".into()),
        ));
    }
    #[cfg(unix)]
    if there.file_type().is_block_device() {
        return Err(AppError::request(
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
        .map_err(|e| io(path, e))?;
    if binary && file.is_terminal() {
        return Err(AppError::request(
            format!("this format is binary and {} is a terminal", path.display()),
            Some("write it to a file with -o FILE".into()),
        ));
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    match fill(&mut out).and_then(|()| out.flush()) {
        // A reader that went away (a closed FIFO or pipe) ends quietly, as on standard output.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => written.map_err(|e| io(path, e)),
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
