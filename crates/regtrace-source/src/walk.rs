//! Walking the input paths: directories read in order, links followed once, special files
//! and loops refused, each file with the format its name says.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Location};

use crate::Format;
use crate::read::io_reason;

/// What a walk over the input paths has seen: every directory on the way down (a symbolic
/// link back to one of them is a loop) and every directory and file read, by device and inode,
/// so nothing is read twice however links point.
#[derive(Default)]
pub(crate) struct Seen {
    ancestors: Vec<(u64, u64)>,
    dirs: std::collections::HashSet<(u64, u64)>,
    files: std::collections::HashMap<(u64, u64), PathBuf>,
}

#[cfg(unix)]
fn identity(metadata: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// What a path is, when it is neither a regular file nor a directory.
fn special_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = metadata.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = metadata;
    "a special file"
}

pub(crate) fn walk(
    path: &Path,
    named: bool,
    from: Option<Format>,
    seen: &mut Seen,
    files: &mut Vec<(PathBuf, Format)>,
    diagnostics: &mut Diagnostics,
) {
    let location = || Some(Location::file(Arc::from(path.display().to_string())));
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                location(),
                format!("cannot read: {}", io_reason(&e)),
            ));
            return;
        }
    };
    let id = identity(&metadata);
    if metadata.is_dir() {
        if cfg!(unix) && seen.ancestors.contains(&id) {
            diagnostics.push(
                Diagnostic::new(
                    location(),
                    "a symbolic link that loops back to a directory above it",
                )
                .with_hint("remove the link, or move it out of the data directory"),
            );
            return;
        }
        if cfg!(unix) && !seen.dirs.insert(id) {
            // Reached again through another link: its files are read once already.
            return;
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(dir) => dir.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    location(),
                    format!("cannot list the directory: {}", io_reason(&e)),
                ));
                return;
            }
        };
        entries.sort();
        let before = files.len();
        seen.ancestors.push(id);
        for entry in entries {
            let hidden = entry
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if !hidden {
                walk(&entry, false, from, seen, files, diagnostics);
            }
        }
        seen.ancestors.pop();
        if named && files.len() == before {
            diagnostics.push(
                Diagnostic::new(
                    location(),
                    format!(
                        "the directory holds no {} file",
                        match from {
                            Some(from) => from
                                .extensions()
                                .iter()
                                .map(|e| format!(".{e}"))
                                .collect::<Vec<_>>()
                                .join(" or "),
                            None => Format::detected_extensions(),
                        }
                    ),
                )
                .with_hint("point at a data directory, or at the files themselves"),
            );
        }
        return;
    }
    let Some(format) = Format::for_path(path, from, named) else {
        // Inside a directory, other files (README.md, notes) are not data.
        if named {
            diagnostics.push(
                Diagnostic::new(location(), "unknown file type")
                    .with_hint(format!(
                        "regtrace reads {} files (see `regtrace import --help`); a regulator's list is read with --from NAME",
                        Format::detected_extensions()
                    )),
            );
        }
        return;
    };
    if !metadata.is_file() {
        // Reading a FIFO would wait for a writer forever; a device has no data set in it.
        diagnostics.push(
            Diagnostic::new(
                location(),
                format!("this is {}, not a regular file", special_kind(&metadata)),
            )
            .with_hint("regtrace reads regular files only; remove it or name the files themselves"),
        );
        return;
    }
    if cfg!(unix)
        && let Some(first) = seen.files.get(&id)
    {
        diagnostics.push(
            Diagnostic::new(
                location(),
                format!(
                    "the same file as {} (given twice, or reached again through a symbolic link)",
                    first.display()
                ),
            )
            .with_hint("name each file once; it was read the first time"),
        );
        return;
    }
    seen.files.insert(id, path.to_owned());
    files.push((path.to_owned(), format));
}
