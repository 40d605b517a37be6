//! Concurrent use of one database: writers wait their turn (busy timeout) instead of failing
//! with "database is locked", and readers see whole data sets (WAL), never half of an import.

use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use crate::import_into;

/// The workload at a small scale, as CSV files.
fn workload(dir: &Path, seed: u64) -> PathBuf {
    let out = dir.join(format!("workload-{seed}"));
    std::fs::create_dir_all(&out).unwrap();
    regtrace_workload::write_csv(0.005, seed, &out).unwrap();
    out
}

/// A database holding just `data`, beside it: what an import of `data` must leave.
fn reference(data: &Path) -> PathBuf {
    let db = data.with_extension("db");
    if !db.exists() {
        import_into(&db, &[data.to_path_buf()]);
    }
    db
}

fn spawn(db: &Path, args: &[&str]) -> Child {
    Process::new(env!("CARGO_BIN_EXE_regtrace"))
        .env_remove("REGTRACE_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child`; asserts it succeeded; returns its standard output.
fn finished(child: Child) -> String {
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "failed: {stderr}");
    assert!(!stderr.contains("locked"), "{stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// Holds the database's write lock, as another writer mid-import would, until dropped.
struct WriteLock(rusqlite::Connection);

impl WriteLock {
    fn take(db: &Path) -> WriteLock {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        WriteLock(conn)
    }

    /// Runs `sql` inside the held transaction and commits it.
    fn commit_with(self, sql: &str) {
        self.0.execute_batch(sql).unwrap();
        self.0.execute_batch("COMMIT").unwrap();
    }
}

fn export(db: &Path) -> String {
    finished(spawn(db, &["export", "--format", "json"]))
}

#[test]
fn writers_queue_behind_a_held_lock_and_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        workload(dir.path(), 1),
        workload(dir.path(), 2),
        workload(dir.path(), 3),
    );
    let db = dir.path().join("x.db");
    import_into(&db, std::slice::from_ref(&a));

    // Two imports wait for the lock, then both go through, one after the other: the data is
    // the whole of one of them.
    let lock = WriteLock::take(&db);
    let imports = [&b, &c].map(|data| spawn(&db, &["import", data.to_str().unwrap()]));
    std::thread::sleep(Duration::from_millis(1500));
    drop(lock);
    for import in imports {
        finished(import);
    }
    let stored = export(&db);
    let expected: Vec<String> = [&b, &c].map(|data| export(&reference(data))).to_vec();
    assert!(
        stored == expected[0] || stored == expected[1],
        "a mix of two imports"
    );

    // Four change records queue up likewise; all four events are stored, each with its reviews.
    let lock = WriteLock::take(&db);
    let records: Vec<Child> = ["STD-0", "STD-1", "STD-2", "STD-3"]
        .iter()
        .map(|id| {
            spawn(
                &db,
                &[
                    "change",
                    "record",
                    id,
                    "--what",
                    "new edition",
                    "--date",
                    "2026-01-01",
                ],
            )
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    drop(lock);
    let said: Vec<String> = records.into_iter().map(finished).collect();
    let events: serde_json::Value =
        serde_json::from_str(&finished(spawn(&db, &["change", "list", "--format", "json"]))).unwrap();
    assert_eq!(events.as_array().unwrap().len(), 4, "{events}");
    let reviews: serde_json::Value =
        serde_json::from_str(&finished(spawn(&db, &["review", "list", "--format", "json"]))).unwrap();
    let opened: usize = said
        .iter()
        .map(|line| {
            // "recorded change #N on ID (DATE); opened K review(s)…"
            let after = line.split("opened ").nth(1).unwrap();
            after.split(' ').next().unwrap().parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(reviews.as_array().unwrap().len(), opened);
}

#[test]
fn a_change_recorded_while_an_import_replaces_the_data_is_computed_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    import_into(&db, &[workload(dir.path(), 4)]);
    // `change record` reads the data, then waits for the write lock; meanwhile "an import"
    // replaces the data set (here: its version changes) and commits. The record must notice,
    // read again, and still succeed.
    let lock = WriteLock::take(&db);
    let record = spawn(
        &db,
        &[
            "change",
            "record",
            "STD-0",
            "--what",
            "withdrawn",
            "--date",
            "2026-01-01",
        ],
    );
    std::thread::sleep(Duration::from_millis(1500));
    lock.commit_with("UPDATE meta SET value = 'replaced' WHERE key = 'snapshot_id'");
    let said = finished(record);
    assert!(said.starts_with("recorded change #1 on STD-0"), "{said}");
}

#[test]
fn readers_during_imports_see_one_whole_data_set_or_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (workload(dir.path(), 5), workload(dir.path(), 6));
    let db = dir.path().join("x.db");
    let queries: [&[&str]; 2] = [
        &["export", "--format", "json"],
        &["impact", "STD-0", "--summary", "--format", "json"],
    ];
    let answers = |db: &Path| -> Vec<String> { queries.iter().map(|q| finished(spawn(db, q))).collect() };
    let expected: Vec<Vec<String>> = [&a, &b].map(|data| answers(&reference(data))).to_vec();
    assert_ne!(expected[0], expected[1]);
    import_into(&db, std::slice::from_ref(&a));

    let writer = {
        let (db, a, b) = (db.clone(), a.clone(), b.clone());
        std::thread::spawn(move || {
            for round in 0..6 {
                let data = if round % 2 == 0 { &b } else { &a };
                finished(spawn(&db, &["import", data.to_str().unwrap()]));
            }
        })
    };
    let mut reads = 0;
    while !writer.is_finished() {
        for (i, query) in queries.iter().enumerate() {
            let answer = finished(spawn(&db, query));
            assert!(
                answer == expected[0][i] || answer == expected[1][i],
                "{query:?} answered for neither data set"
            );
            reads += 1;
        }
    }
    writer.join().unwrap();
    assert!(reads >= 4, "only {reads} reads overlapped the imports");
}

/// Three `review close` of one node at once: one closes it; the others answer exactly as a
/// close after it would (exit 2, naming who closed it), not "already closed" with exit 1.
#[test]
fn concurrent_closes_of_one_review_answer_as_sequential_ones() {
    let (_dir, db) = crate::fresh_db(&[crate::data("meti-2013")]);
    crate::regtrace()
        .args(["--db", &db, "change", "record", "jp-pal-revision-2013"])
        .args(["--what", "law revision enacted", "--date", "2013-11-20"])
        .assert()
        .success();
    for round in 0..3 {
        let node = ["gl-custom-knee", "gl-cell-sheet", "gl-artificial-heart"][round];
        let children: Vec<_> = ["A", "B", "C"]
            .iter()
            .map(|by| {
                std::process::Command::new(env!("CARGO_BIN_EXE_regtrace"))
                    .args([
                        "--db",
                        &db,
                        "review",
                        "close",
                        node,
                        "--outcome",
                        "unchanged",
                        "--by",
                        by,
                    ])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let results: Vec<(Option<i32>, String)> = children
            .into_iter()
            .map(|c| {
                let out = c.wait_with_output().unwrap();
                (out.status.code(), String::from_utf8(out.stderr).unwrap())
            })
            .collect();
        let winners = results.iter().filter(|(code, _)| *code == Some(0)).count();
        assert_eq!(winners, 1, "{results:?}");
        for (code, stderr) in results.iter().filter(|(code, _)| *code != Some(0)) {
            assert_eq!(*code, Some(2), "{stderr}");
            assert!(stderr.contains("has no open review"), "{stderr}");
            assert!(
                stderr.contains("was closed on") && stderr.contains(" by "),
                "{stderr}"
            );
        }
    }
}
