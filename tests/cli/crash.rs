//! Crash safety: `regtrace import`, `change record` and `review close` killed with SIGKILL at
//! random moments leave a database that opens, passes `PRAGMA integrity_check`, and holds
//! exactly the data before or exactly the data after: never half an import, never an event
//! without its reviews, never some of a node's reviews closed. Queries on it (which read the
//! snapshot file when it belongs to the data) answer for that same data.
//!
//! The kill moments are drawn from a fixed seed over twice a measured uninterrupted run, so
//! some trials die before the write, some inside it, and some after it.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use rusqlite::types::ValueRef;

use crate::{Rng, import_into, regtrace};

const TRIALS: usize = 50;

/// Everything the database holds, as text: every row of every table, ordered, without the
/// columns that record wall-clock times (`*_at`) or the snapshot's random id. Two databases
/// with the same dump hold the same record.
fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .unwrap_or_else(|e| panic!("{}: does not open: {e}", db.display()));
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{}", db.display());
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut out = String::new();
    for table in tables {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        // Timestamps differ from run to run, and so do the history's hashes, which cover them.
        let keep: Vec<usize> = (0..statement.column_count())
            .filter(|&i| {
                let column = statement.column_name(i).unwrap();
                !column.ends_with("_at") && (table != "history_chain" || column != "hash")
            })
            .collect();
        let mut rows: Vec<String> = statement
            .query_map([], |r| {
                let cells: Vec<String> = keep
                    .iter()
                    .map(|&i| match r.get_ref(i).unwrap() {
                        ValueRef::Null => "NULL".to_owned(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(x) => x.to_string(),
                        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => format!("{b:02x?}"),
                    })
                    .collect();
                Ok(cells.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.retain(|row| !row.contains("\"snapshot_id\""));
        rows.sort();
        out.push_str(&format!("== {table} ({} rows)\n", rows.len()));
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
    }
    out
}

/// Copies the database and the files beside it (`x.db-wal`, `x.db-snapshot`) to `to`.
fn copy_db(from: &Path, to: &Path) {
    let dir = from.parent().unwrap();
    let name = from.file_name().unwrap().to_str().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let file = entry.file_name().into_string().unwrap();
        if let Some(rest) = file.strip_prefix(name) {
            let mut target = to.as_os_str().to_owned();
            target.push(rest);
            std::fs::copy(entry.path(), PathBuf::from(target)).unwrap();
        }
    }
}

/// What a JSON query on the database answers (through the snapshot when it is current),
/// without wall-clock times (`*_at` keys).
fn answer(db: &Path, args: &[&str]) -> serde_json::Value {
    fn without_times(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.retain(|key, _| !key.ends_with("_at"));
                map.values_mut().for_each(without_times);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(without_times),
            _ => {}
        }
    }
    let output = regtrace().arg("--db").arg(db).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut value = serde_json::from_slice(&output.stdout).unwrap();
    without_times(&mut value);
    value
}

/// How long `command` takes to run through, uninterrupted, on a copy of `base`.
fn measure(base: &Path, scratch: &Path, command: &dyn Fn(&Path) -> Process) -> Duration {
    let db = scratch.join("measure.db");
    copy_db(base, &db);
    let start = Instant::now();
    let status = command(&db).status().unwrap();
    assert!(status.success());
    start.elapsed()
}

/// Starts `command`, SIGKILLs it after `delay` (harmless if it has finished), and reaps it.
fn kill_after(mut command: Process, delay: Duration) {
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    child.wait().unwrap();
}

struct Outcomes {
    before: usize,
    after: usize,
}

/// Runs `command` on a fresh copy of `base` `TRIALS` times, killing it after a random delay
/// in [0, 2 × `full`); checks each result is exactly `before` or exactly `after` (dumps), that
/// `query` answers as on that side, and that both sides occurred.
#[allow(clippy::too_many_arguments)]
fn kill_trials(
    seed: u64,
    base: &Path,
    scratch: &Path,
    command: &dyn Fn(&Path) -> Process,
    before: &str,
    after: &str,
    query: &[&str],
    answers: (&serde_json::Value, &serde_json::Value),
    retry: bool,
) {
    let full = measure(base, scratch, command);
    let window = (full.as_micros() as usize * 2).max(1_000);
    let mut rng = Rng(seed);
    let mut outcomes = Outcomes { before: 0, after: 0 };
    for trial in 0..TRIALS {
        let db = scratch.join(format!("trial-{trial}.db"));
        copy_db(base, &db);
        let delay = Duration::from_micros(rng.below(window) as u64);
        kill_after(command(&db), delay);

        let state = dump(&db);
        let answer = answer(&db, query);
        if state == before {
            outcomes.before += 1;
            assert_eq!(
                &answer, answers.0,
                "trial {trial} ({delay:?}): answers from other data"
            );
        } else if state == after {
            outcomes.after += 1;
            assert_eq!(
                &answer, answers.1,
                "trial {trial} ({delay:?}): answers from other data"
            );
        } else {
            let differs = |other: &str| {
                state
                    .lines()
                    .zip(other.lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("{a}\n  instead of\n{b}"))
                    .unwrap_or_else(|| "(one is a prefix of the other)".into())
            };
            panic!(
                "trial {trial}, killed after {delay:?}: neither the old nor the new content\nvs old: {}\nvs new: {}",
                differs(before),
                differs(after)
            );
        }
        // Every fifth survivor takes the next write: a database left by a crash is usable.
        if retry && trial % 5 == 0 {
            let status = command(&db)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "trial {trial}: the next write fails");
        }
        for file in std::fs::read_dir(scratch).unwrap() {
            let path = file.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(&format!("trial-{trial}."))
            {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    assert!(
        outcomes.before > 0 && outcomes.after > 0,
        "the kills must land on both sides of the commit: {} before, {} after",
        outcomes.before,
        outcomes.after
    );
}

/// The workload at a small scale (about 4,600 nodes and 10,000 edges), as CSV files.
fn workload(dir: &Path, seed: u64) -> PathBuf {
    let out = dir.join(format!("workload-{seed}"));
    std::fs::create_dir_all(&out).unwrap();
    regtrace_workload::write_csv(0.005, seed, &out).unwrap();
    out
}

fn regtrace_process(db: &Path, args: &[&str]) -> Process {
    let mut command = Process::new(env!("CARGO_BIN_EXE_regtrace"));
    command.env_remove("REGTRACE_DB").arg("--db").arg(db).args(args);
    command
}

#[test]
fn a_killed_import_leaves_the_old_data_or_the_new_never_a_mix() {
    let scratch = tempfile::tempdir().unwrap();
    let (old, new) = (workload(scratch.path(), 1), workload(scratch.path(), 2));
    let base = scratch.path().join("base.db");
    import_into(&base, std::slice::from_ref(&old));
    let reference = scratch.path().join("reference.db");
    import_into(&reference, std::slice::from_ref(&new));
    let query = ["impact", "STD-0", "--summary", "--format", "json"];
    let (before, after) = (dump(&base), dump(&reference));
    assert_ne!(before, after);
    let answers = (answer(&base, &query), answer(&reference, &query));
    assert_ne!(
        answers.0, answers.1,
        "the query must tell the two data sets apart"
    );

    let new_path = new.to_str().unwrap().to_owned();
    let command = move |db: &Path| regtrace_process(db, &["import", &new_path]);
    kill_trials(
        7,
        &base,
        scratch.path(),
        &command,
        &before,
        &after,
        &query,
        (&answers.0, &answers.1),
        true,
    );
}

#[test]
fn a_killed_change_record_or_review_close_is_all_or_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let data = workload(scratch.path(), 3);
    let base = scratch.path().join("base.db");
    import_into(&base, &[data]);
    // Reviews of evaluation items and guidelines: a few thousand rows in one transaction.
    let record = |db: &Path| {
        regtrace_process(
            db,
            &[
                "change",
                "record",
                "STD-0",
                "--what",
                "new edition",
                "--date",
                "2026-01-01",
                "--kind",
                "guideline",
                "--kind",
                "evaluation_item",
            ],
        )
    };
    let recorded = scratch.path().join("recorded.db");
    copy_db(&base, &recorded);
    assert!(record(&recorded).status().unwrap().success());
    let query = ["review", "list", "--format", "json"];
    let (before, after) = (dump(&base), dump(&recorded));
    let answers = (answer(&base, &query), answer(&recorded, &query));
    kill_trials(
        11,
        &base,
        scratch.path(),
        &record,
        &before,
        &after,
        &query,
        (&answers.0, &answers.1),
        true,
    );

    // Closing: a guideline with reviews from two events, closed together.
    let second = |db: &Path| {
        regtrace_process(
            db,
            &[
                "change",
                "record",
                "STD-1",
                "--what",
                "corrigendum",
                "--date",
                "2026-02-01",
            ],
        )
    };
    assert!(second(&recorded).status().unwrap().success());
    let reviews = answer(&recorded, &["review", "list", "--format", "json"]);
    let twice = reviews
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["node"].as_str().unwrap())
        .fold(std::collections::BTreeMap::<&str, usize>::new(), |mut m, n| {
            *m.entry(n).or_default() += 1;
            m
        })
        .into_iter()
        .find(|(_, n)| *n >= 2)
        .map(|(node, _)| node.to_owned())
        .expect("a node reached by both changes");
    let close = move |db: &Path| {
        regtrace_process(
            db,
            &[
                "review",
                "close",
                &twice,
                "--all",
                "--outcome",
                "unchanged",
                "--by",
                "QA",
            ],
        )
    };
    let closed = scratch.path().join("closed.db");
    copy_db(&recorded, &closed);
    assert!(close(&closed).status().unwrap().success());
    let (before, after) = (dump(&recorded), dump(&closed));
    let answers = (answer(&recorded, &query), answer(&closed, &query));
    assert_ne!(answers.0, answers.1);
    kill_trials(
        13,
        &recorded,
        scratch.path(),
        &close,
        &before,
        &after,
        &query,
        (&answers.0, &answers.1),
        false,
    );
}

#[test]
fn a_killed_first_import_leaves_no_database_or_the_whole_one() {
    // A first import builds the file under another name and links it into place: killed at
    // any moment, the database either does not exist or holds everything.
    let scratch = tempfile::tempdir().unwrap();
    let data = workload(scratch.path(), 5);
    let reference = scratch.path().join("reference.db");
    import_into(&reference, std::slice::from_ref(&data));
    let whole = dump(&reference);
    let query = ["impact", "STD-0", "--summary", "--format", "json"];
    let answer_whole = answer(&reference, &query);
    let data = data.to_str().unwrap().to_owned();
    let command = |db: &Path| regtrace_process(db, &["import", &data]);
    let start = Instant::now();
    assert!(
        command(&scratch.path().join("measure.db"))
            .status()
            .unwrap()
            .success()
    );
    let full = start.elapsed();
    let window = (full.as_micros() as usize * 2).max(1_000);
    let mut rng = Rng(17);
    let (mut absent, mut present) = (0, 0);
    for trial in 0..20 {
        let db = scratch.path().join(format!("first-{trial}.db"));
        let delay = Duration::from_micros(rng.below(window) as u64);
        kill_after(command(&db), delay);
        if db.exists() {
            present += 1;
            assert_eq!(dump(&db), whole, "trial {trial} ({delay:?}): a partial database");
            assert_eq!(answer(&db, &query), answer_whole, "trial {trial}");
        } else {
            absent += 1;
            // The next import creates it whole.
            assert!(command(&db).status().unwrap().success());
            assert_eq!(dump(&db), whole);
        }
    }
    assert!(absent > 0 && present > 0, "{absent} absent / {present} present");
}

#[test]
fn temporary_snapshots_left_by_killed_imports_are_removed_by_the_next_write() {
    let (_dir, db) = crate::fresh_db(&[crate::data("meti-2013")]);
    // One of a process that is gone (no pid is this large), one of a running process (this
    // test's own: another import writing its snapshot now must keep it).
    let gone = format!("{db}-snapshot.tmp-999999999");
    let running = format!("{db}-snapshot.tmp-{}", std::process::id());
    for leftover in [&gone, &running] {
        std::fs::write(leftover, b"half a snapshot").unwrap();
    }
    crate::regtrace()
        .args(["--db", &db, "import"])
        .arg(crate::data("meti-2013"))
        .assert()
        .success();
    assert!(
        !std::path::Path::new(&gone).exists(),
        "the dead process's file is removed"
    );
    assert!(
        std::path::Path::new(&running).exists(),
        "a running process's file is kept"
    );
}
