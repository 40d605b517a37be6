//! The compact snapshot kept beside the database (`DB-snapshot`), so a query reads the graph in
//! place instead of rebuilding it from rows ([`regtrace_core::compact`]).
//!
//! Never stale: every import draws a new random snapshot id, stores it in `meta` inside the
//! import's transaction, and writes the file under a temporary name first; only after the commit
//! is the file renamed into place. A reader trusts the file only if its header carries the id the
//! database holds, so a crash or a concurrent import between the commit and the rename leaves a
//! file that is simply not used (the query falls back to loading the rows), never one that
//! answers for other data.

use std::fs::File;
use std::path::{Path, PathBuf};

use regtrace_core::compact::{BadSnapshot, CompactGraph};

use crate::{Store, StoreError};

/// A snapshot file, memory-mapped.
pub struct Snapshot {
    map: memmap2::Mmap,
    /// The same file, read through a buffer to check it whole (see [`Snapshot::verify`]).
    file: File,
}

impl Snapshot {
    /// The graph it holds, checked in full (see [`CompactGraph::new`]).
    pub fn graph(&self) -> Result<CompactGraph<'_>, BadSnapshot> {
        CompactGraph::new(&self.map)
    }

    /// True if it is in the format this build writes.
    pub fn is_current_format(&self) -> bool {
        CompactGraph::is_current_format(&self.map)
    }

    /// Its whole content checked: the layout, then every section against its checksum. A
    /// snapshot that fails is damaged and must not answer.
    ///
    /// The sections are read through a small buffer, not the map: a query that then reads a
    /// handful of nodes keeps only the pages it touches mapped (a point lookup at a million
    /// nodes in a few MiB), instead of every page of the file the check went over.
    pub fn verify(&self) -> Result<(), BadSnapshot> {
        CompactGraph::new(&self.map)?;
        CompactGraph::verify_with(&self.map, |offset, len| crc_of(&self.file, offset, len))
    }

    /// The id in its header: the version of the data it was written for (see
    /// [`Store::data_version`]).
    pub fn id(&self) -> Option<String> {
        CompactGraph::snapshot_id(&self.map).map(|id| hex(&id))
    }
}

/// The CRC-32 of `len` bytes of `file` from `offset`, read through a buffer; `None` if the
/// file ends first or cannot be read.
fn crc_of(file: &File, offset: usize, len: usize) -> Option<u32> {
    let mut hasher = crc32fast::Hasher::new();
    let mut buffer = vec![0u8; len.min(1 << 20)];
    let mut done = 0;
    while done < len {
        let want = (len - done).min(buffer.len());
        read_at(file, &mut buffer[..want], (offset + done) as u64).ok()?;
        hasher.update(&buffer[..want]);
        done += want;
    }
    Some(hasher.finalize())
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, at)
}

#[cfg(windows)]
fn read_at(file: &File, buffer: &mut [u8], mut at: u64) -> std::io::Result<()> {
    let mut rest = buffer;
    while !rest.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, rest, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                rest = &mut rest[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// Where the snapshot of the database at `db` lives.
pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-snapshot");
    PathBuf::from(name)
}

/// Writes the snapshot of `graph` for the data version `id` to a temporary file beside the
/// final one, section by section as it is encoded, and syncs it; returns its path.
pub(crate) fn write_temporary(
    db: &Path,
    graph: &regtrace_core::Graph,
    id: [u8; 16],
) -> std::io::Result<PathBuf> {
    let mut name = path_for(db).into_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(name);
    // A leftover of a killed process with the same pid goes first; then the file must be new
    // (O_EXCL), so a symbolic link planted under this name is never written through.
    let _ = std::fs::remove_file(&temp);
    let result = File::options()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            CompactGraph::encode_to(graph, id, &mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    Ok(temp)
}

/// Runs `write` (the database's side of an import) on this thread while the snapshot of
/// `graph` is encoded and written to a temporary file beside `db` on another; returns both
/// outcomes (the temporary file is the caller's to install or remove).
pub(crate) fn beside<T>(
    db: &Path,
    graph: &regtrace_core::Graph,
    id: [u8; 16],
    write: impl FnOnce() -> rusqlite::Result<T>,
) -> (rusqlite::Result<T>, std::io::Result<PathBuf>) {
    std::thread::scope(|scope| {
        let snapshot = scope.spawn(|| write_temporary(db, graph, id));
        let written = write();
        let snapshot = snapshot
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the snapshot writer panicked")));
        (written, snapshot)
    })
}

/// Renames a written temporary snapshot into place, then removes the temporary snapshots that
/// killed processes left beside it ([`remove_leftovers`]).
pub(crate) fn install(temp: &Path, db: &Path) -> std::io::Result<()> {
    std::fs::rename(temp, path_for(db)).inspect_err(|_| {
        let _ = std::fs::remove_file(temp);
    })?;
    remove_leftovers(db);
    Ok(())
}

/// Removes `DB-snapshot.tmp-PID` files whose process is gone (killed between its commit and
/// its rename): never read, but clutter the size of a snapshot. Only where the system says
/// which processes run (`/proc`); a file of a running process (another import writing its
/// snapshot now) is left alone, and so is everything where that cannot be known.
pub(crate) fn remove_leftovers(db: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let snapshot = path_for(db);
    let (Some(dir), Some(name)) = (snapshot.parent(), snapshot.file_name().and_then(|n| n.to_str())) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !proc.join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

pub(crate) fn hex(id: &[u8]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// The 16 bytes of an id written by [`hex`].
fn unhex(text: &str) -> Option<[u8; 16]> {
    let mut id = [0u8; 16];
    if text.len() != 32 {
        return None;
    }
    for (i, byte) in id.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(id)
}

impl Store {
    /// The database's snapshot, if there is one that belongs to its current data; `None` when
    /// the file is missing, from another import, or damaged (the caller then loads the rows).
    pub fn snapshot(&self) -> Result<Option<Snapshot>, StoreError> {
        let Some(expected) = self.meta("snapshot_id")? else {
            return Ok(None);
        };
        // Only a regular file: opening a FIFO planted under the snapshot's name would wait for
        // a writer forever.
        let path = path_for(&self.path);
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            return Ok(None);
        }
        let Ok(file) = File::open(&path) else {
            return Ok(None);
        };
        // SAFETY: the file is never written in place: imports write a new file and rename it
        // over this one, so the mapped pages do not change under us. The bytes are checked by
        // `CompactGraph::new` before use, and only read.
        #[allow(
            unsafe_code,
            reason = "mapping a file is unsafe in Rust's terms; the file is never written in place"
        )]
        let Ok(map) = (unsafe { memmap2::Mmap::map(&file) }) else {
            return Ok(None);
        };
        // A query reads a few scattered pages of a small answer, or every page of a large one;
        // either way read-ahead and fault-around (which map up to megabytes per fault) only
        // cost time: measured, they made a 222-hit impact 3× slower at a million nodes.
        let _ = map.advise(memmap2::Advice::Random);
        let matches = CompactGraph::snapshot_id(&map).is_some_and(|id| hex(&id) == expected);
        Ok(matches.then_some(Snapshot { map, file }))
    }

    /// Writes the snapshot anew from the rows (validated), for the data version they hold, and
    /// renames it into place: the repair of a missing, stale or damaged snapshot. If an import
    /// comes in meanwhile, the file written belongs to the data it replaced and is simply not
    /// used. Returns whether a snapshot was written (not for an empty database).
    pub fn rebuild_snapshot(&self) -> Result<bool, StoreError> {
        let (graph, version) = self.load_versioned()?;
        let Some(id) = version.as_deref().and_then(unhex) else {
            return Ok(false);
        };
        let io = |source| StoreError::Io {
            path: path_for(&self.path),
            source,
        };
        let temp = write_temporary(&self.path, &graph, id).map_err(io)?;
        install(&temp, &self.path).map_err(io)?;
        Ok(true)
    }
}
