//! The bad-input catalogue (tests/bad-input): every malformed input gets a diagnostic that
//! names its file and line, says what is wrong and how to fix it, exits 2 and writes nothing;
//! none makes regtrace panic. Each case's diagnostic is a snapshot beside its input
//! (`expected.snap`); cases named `accepted-*` are inputs that look odd but are fine.

use std::path::{Path, PathBuf};

use crate::regtrace;

fn catalogue() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/bad-input"))
}

/// Cases too large to commit, written by the test into `dir` (snapshots still live in the
/// catalogue, under the case's name).
fn generate(dir: &Path) -> Vec<String> {
    let ten_mb_title = "[[node]]\nid = \"ISO-14971:2019\"\nkind = \"standard\"\ntitle = \"".to_owned()
        + &"Risk management ".repeat(10 * 1024 * 1024 / 16)
        + "\"\n";
    let ten_mb_cell = "id,kind,title,title_ja\nISO-14971:2019,standard,Risk management,".to_owned()
        + &"リスク".repeat(10 * 1024 * 1024 / 9)
        + "\n";
    let deep_key = "[[node]]\nid = \"A\"\nkind = \"device\"\ntitle = \"Pump\"\nattributes.".to_owned()
        + &vec!["a"; 50_000].join(".")
        + " = \"v\"\n";
    let cases = [
        ("generated-toml-10mb-title", "data.toml", ten_mb_title),
        ("generated-csv-10mb-cell", "nodes.csv", ten_mb_cell),
        ("generated-toml-deep-dotted-key", "data.toml", deep_key),
    ];
    cases
        .into_iter()
        .map(|(name, file, text)| {
            std::fs::create_dir_all(dir.join(name)).unwrap();
            std::fs::write(dir.join(name).join(file), text).unwrap();
            name.to_owned()
        })
        .collect()
}

/// Runs `regtrace check CASE` from `cwd`; returns exit status and standard error.
fn check(cwd: &Path, case: &str) -> (Option<i32>, String) {
    let output = regtrace()
        .current_dir(cwd)
        .args(["check", case])
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).expect("diagnostics are UTF-8"),
    )
}

/// Every diagnostic names `case/FILE:LINE[:COLUMN]` (a workbook: `case/FILE:SHEET!CELL`) and carries a hint; the last line counts
/// them.
fn assert_well_formed(case: &str, stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    let (last, diagnostics) = lines.split_last().expect("some output");
    assert!(last.ends_with("found"), "{case}: {stderr}");
    let mut count = 0;
    for (i, line) in diagnostics.iter().enumerate() {
        if line.starts_with("  ") {
            continue;
        }
        count += 1;
        let (place, message) = line
            .split_once(": error: ")
            .unwrap_or_else(|| panic!("{case}: not a diagnostic: {line}"));
        let mut parts = place.rsplitn(3, ':').collect::<Vec<_>>();
        parts.reverse();
        // A line number, or a workbook's cell (`nodes!C17`).
        let is_cell = |p: &str| {
            p.split_once('!').is_some_and(|(sheet, cell)| {
                let row = cell.trim_start_matches(|c: char| c.is_ascii_uppercase());
                !sheet.is_empty() && row.len() < cell.len() && row.parse::<u32>().is_ok_and(|n| n > 0)
            })
        };
        let numbers = parts
            .iter()
            .filter(|p| p.parse::<u32>().is_ok_and(|n| n > 0) || is_cell(p))
            .count();
        assert!(
            place.starts_with(&format!("{case}/")) && numbers >= 1,
            "{case}: no file:line in {line}"
        );
        assert!(!message.trim().is_empty(), "{case}: {line}");
        assert!(
            diagnostics
                .get(i + 1)
                .is_some_and(|next| next.starts_with("  hint: ")),
            "{case}: no hint after {line}"
        );
    }
    assert!(count > 0, "{case}: {stderr}");
}

#[test]
fn every_bad_input_gets_its_diagnostic_and_writes_nothing() {
    let root = catalogue();
    let generated = tempfile::tempdir().unwrap();
    let mut cases: Vec<(PathBuf, String)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| (root.clone(), e.file_name().into_string().unwrap()))
        .filter(|(_, name)| !name.starts_with("generated-"))
        .chain(
            generate(generated.path())
                .into_iter()
                .map(|name| (generated.path().to_owned(), name)),
        )
        .collect();
    cases.sort_by(|a, b| a.1.cmp(&b.1));
    let bad = cases
        .iter()
        .filter(|(_, name)| !name.starts_with("accepted-"))
        .count();
    assert!(bad >= 30, "the catalogue holds {bad} bad inputs");

    let scratch = tempfile::tempdir().unwrap();
    for (cwd, case) in &cases {
        let (status, stderr) = check(cwd, case);
        for sign in ["panicked", "RUST_BACKTRACE", "stack backtrace", "overflow"] {
            assert!(!stderr.contains(sign), "{case}: {stderr}");
        }
        if case.starts_with("accepted-") {
            assert_eq!(status, Some(0), "{case} must be accepted: {stderr}");
            continue;
        }
        assert_eq!(status, Some(2), "{case}: {stderr}");
        assert_well_formed(case, &stderr);
        insta::with_settings!({
            snapshot_path => root.join(case),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!("expected", stderr);
        });

        // `import` says the same and leaves no database behind.
        let db = scratch.path().join(format!("{case}.db"));
        let output = regtrace()
            .current_dir(cwd)
            .arg("--db")
            .arg(&db)
            .args(["import", case])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{case}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), stderr, "{case}");
        assert!(!db.exists(), "{case}: a failed import created the database");
    }
}
