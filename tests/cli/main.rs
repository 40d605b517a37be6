//! Integration tests: the real `regtrace` binary on real files.

mod agreement;
mod audit;
mod bad_input;
mod browser;
mod concurrency;
mod conventions;
mod crash;
mod diff;
mod editions;
mod examples;
mod export;
mod history;
mod hostile;
mod impact;
mod import;
mod lang;
mod matrix;
mod own_product;
mod read_only;
mod report;
mod reqif;
mod review;
mod scale;
mod seed;
mod serve;
mod snapshot;
mod sources;
mod validation;
mod workbooks;
mod workflow;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Variables from the caller's environment that would change what regtrace does.
const CALLER_VARIABLES: [&str; 7] = [
    "REGTRACE_DB",
    "REGTRACE_CATALOG",
    "REGTRACE_LANG",
    "RUST_BACKTRACE",
    // Colour (CLICOLOR_FORCE would colour every answer a test compares).
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
];

/// The regtrace binary with a clean environment (no REGTRACE_* variables from the caller).
pub fn regtrace() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_regtrace"));
    for var in CALLER_VARIABLES {
        command.env_remove(var);
    }
    command
}

/// The regtrace binary as a plain process with a clean environment (as [`regtrace`]), for tests
/// that need what assert_cmd does not give: a child to signal or time, another user, a chosen
/// stdout.
pub fn process() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_regtrace"));
    for var in CALLER_VARIABLES {
        command.env_remove(var);
    }
    command
}

/// A path in the repository.
pub fn repo(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(path)
}

/// A path under tests/fixtures.
pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures")).join(path)
}

/// The shell block of the README that follows `<!-- walkthrough: NAME -->`, which a test runs
/// line by line.
pub fn readme_block(name: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    readme
        .split(&format!("<!-- walkthrough: {name} -->\n```sh\n"))
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("the README has the walkthrough {name:?}"))
        .to_owned()
}

/// Runs each line of a README block (`regtrace …`, words split as a shell would, a trailing
/// `# comment` dropped, `> FILE` writing standard output to FILE) from `cwd`, asserting each
/// succeeds (or exits 1 where its comment says "exits 1"); returns what each printed.
pub fn run_readme_lines(block: &str, cwd: &Path) -> Vec<String> {
    let mut said = Vec::new();
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let (command, comment) = match line.find(" #") {
            Some(at) if line[..at].matches('"').count() % 2 == 0 => (&line[..at], &line[at..]),
            _ => (line, ""),
        };
        let expected = if comment.contains("exits 1") { 1 } else { 0 };
        let mut words = workflow::shell_words(command);
        let redirect = words.iter().position(|w| w == ">").map(|at| {
            let file = words.get(at + 1).cloned().expect("a file after >");
            words.truncate(at);
            file
        });
        assert_eq!(words[0], "regtrace", "{line}");
        let output = regtrace().current_dir(cwd).args(&words[1..]).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{line}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        if let Some(file) = redirect {
            std::fs::write(cwd.join(file), &output.stdout).unwrap();
        }
        said.push(String::from_utf8(output.stdout).unwrap());
    }
    said
}

/// A path under data/.
pub fn data(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data")).join(path)
}

/// Runs regtrace and parses its standard output as JSON, asserting success.
pub fn json(args: &[&str]) -> serde_json::Value {
    let output = regtrace().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "regtrace {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Runs regtrace and returns its standard output, asserting success.
pub fn stdout(args: &[&str]) -> String {
    let output = regtrace().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "regtrace {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Standard error of a run, asserting its exit status and that no panic or backtrace shows.
pub fn stderr_of(command: &mut Command, status: i32) -> String {
    let output = command.output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(status), "stderr: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    stderr
}

/// Imports `paths` into the database `db`, asserting success.
pub fn import_into(db: &Path, paths: &[PathBuf]) -> assert_cmd::assert::Assert {
    regtrace()
        .arg("--db")
        .arg(db)
        .arg("import")
        .args(paths)
        .assert()
        .success()
}

/// A new database in a temporary directory, holding `paths`: the directory guard (keep it
/// alive) and the database path.
pub fn fresh_db(paths: &[PathBuf]) -> (tempfile::TempDir, String) {
    db_in(tempfile::tempdir().unwrap(), paths)
}

/// A database `x.db` in `dir`, holding `paths`: the directory guard and the database path.
fn db_in(dir: tempfile::TempDir, paths: &[PathBuf]) -> (tempfile::TempDir, String) {
    let db = dir.path().join("x.db");
    import_into(&db, paths);
    let db = db.to_str().unwrap().to_owned();
    (dir, db)
}

/// A new database of source files written from text, as (file name, content): the directory
/// guard (keep it alive) and the database path.
pub fn db_of(files: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    db_in(dir, &paths)
}

/// A new database of the seed data (data/meti-2013) with the 2013 law revision recorded as a
/// change (by "RA", effective 2013-11-20): its reviews open. The directory guard and the path.
pub fn seed_db_with_the_law_revision() -> (tempfile::TempDir, String) {
    let (dir, db) = fresh_db(&[data("meti-2013")]);
    record_the_law_revision(Path::new(&db));
    (dir, db)
}

/// Records the 2013 law revision on the seed data in `db` (by "RA", 2013-11-20), asserting success.
pub fn record_the_law_revision(db: &Path) {
    regtrace()
        .arg("--db")
        .arg(db)
        .args(["change", "record", "jp-pal-revision-2013"])
        .args(["--what", "law revised", "--date", "2013-11-20", "--by", "RA"])
        .assert()
        .success();
}

/// The benchmark workload's deterministic generator, so generated test data is the same on every run.
pub use regtrace_workload::Rng;

/// Runs regtrace with `args` (clean environment, as [`regtrace`]) to its end and returns its
/// output, or kills it and fails the test if it runs past `limit`. A hang guard for inputs that once made regtrace hang or work quadratically,
/// not a speed target: the limit is many times what the linear work takes in a debug build
/// (speed is measured in benches, never asserted).
pub fn finishes_within<A: AsRef<std::ffi::OsStr>>(
    args: impl IntoIterator<Item = A>,
    limit: std::time::Duration,
) -> std::process::Output {
    let mut child = process()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes on threads, so a large output cannot block the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut buf).map(|_| buf)
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut buf).map(|_| buf)
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("regtrace did not finish within {limit:?}: a hang or a quadratic blow-up");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    std::process::Output {
        status,
        stdout: out.join().unwrap().unwrap(),
        stderr: err.join().unwrap().unwrap(),
    }
}

/// The rows of a workbook's sheet as text, read with calamine (not through regtrace).
pub fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<String>> {
    use calamine::Reader as _;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    calamine::Data::DateTime(d) => {
                        let (y, m, d, ..) = d.to_ymd_hms_milli();
                        format!("{y:04}-{m:02}-{d:02}")
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}
