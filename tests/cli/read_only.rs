//! A database this user cannot write (a read-only file, directory or mount) is still read: every
//! query answers, and a write fails saying it is read-only, leaving the file as it was.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Output;

use crate::{fixture, import_into, process};

/// regtrace run as a user that cannot write `db`: as root (who may write anything), as the user
/// `nobody`; otherwise as the caller, with write permissions taken away.
fn as_reader(args: &[&str]) -> Output {
    let mut command = process();
    if is_root() {
        command.uid(65534).gid(65534);
    }
    command.args(args).output().unwrap()
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Reads answer and writes are refused on a read-only database, both where SQLite can create its
/// `-wal` and `-shm` files beside it (a read-only file in a writable directory) and where it
/// cannot (a read-only directory, as on a read-only mount), where `stats` failed with "attempt
/// to write a readonly database".
#[test]
fn a_read_only_database_answers_queries_and_refuses_writes() {
    for writable_directory in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("data");
        std::fs::create_dir(&home).unwrap();
        let db = home.join("x.db");
        import_into(&db, &[fixture("small")]);
        let before = std::fs::read(&db).unwrap();
        // The directories are passable for anyone; the data directory writable for nobody but
        // its owner (or, in the second round, for everyone); the database for no one.
        chmod(dir.path(), 0o755);
        chmod(&home, if writable_directory { 0o777 } else { 0o555 });
        chmod(&db, 0o444);
        chmod(&home.join("x.db-snapshot"), 0o444);
        if !is_root() && writable_directory {
            // The caller owns the directory and may write it anyway: nothing new to learn.
            continue;
        }
        let db = db.to_str().unwrap();
        let round = if writable_directory {
            "writable directory"
        } else {
            "read-only directory"
        };

        let stats = as_reader(&["--db", db, "stats"]);
        assert!(stats.status.success(), "{round}: {}", text(&stats.stderr));
        assert!(
            text(&stats.stdout).contains("5 nodes, 4 edges"),
            "{round}: {}",
            text(&stats.stdout)
        );
        for query in [
            vec!["impact", "ISO-10993-1:2009"],
            vec!["show", "GL-knee"],
            vec!["list", "--format", "json"],
            vec!["audit"],
            vec!["review", "list"],
            vec!["verify"],
        ] {
            let mut args = vec!["--db", db];
            args.extend(&query);
            let answer = as_reader(&args);
            assert!(
                answer.status.success(),
                "{round}: {query:?}: {}",
                text(&answer.stderr)
            );
        }

        let record = as_reader(&[
            "--db",
            db,
            "change",
            "record",
            "ISO-10993-1:2009",
            "--what",
            "x",
            "--date",
            "2020-01-01",
        ]);
        assert_eq!(record.status.code(), Some(2), "{round}");
        let stderr = text(&record.stderr);
        assert!(
            stderr.contains("is read-only here") && stderr.contains("nothing was written"),
            "{round}: {stderr}"
        );
        let import = as_reader(&["--db", db, "import", fixture("small").to_str().unwrap()]);
        assert_ne!(import.status.code(), Some(0), "{round}");
        assert!(
            text(&import.stderr).contains("read-only"),
            "{round}: {}",
            text(&import.stderr)
        );
        assert_eq!(
            std::fs::read(db).unwrap(),
            before,
            "{round}: the database is unchanged"
        );

        // Give the directory back, so the temporary directory can be removed.
        chmod(&home, 0o755);
    }
}
