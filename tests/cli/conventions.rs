//! What people expect of a command line: completions, man pages, short flags, sorted lists,
//! several search words, suggestions that ignore case.

use crate::{json, regtrace, stderr_of, stdout};

#[test]
fn completion_scripts_are_written_for_each_shell_and_bash_parses_its_own() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains("regtrace"), "{shell}");
        assert!(script.contains("impact"), "{shell}: the subcommands are there");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regtrace.bash");
    std::fs::write(&path, stdout(&["completions", "bash"])).unwrap();
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn man_pages_are_written_one_per_command_and_render() {
    let page = stdout(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH"),
        "roff: {}",
        &page[..page.len().min(200)]
    );
    let dir = tempfile::tempdir().unwrap();
    regtrace().args(["man", "-o"]).arg(dir.path()).assert().success();
    for name in [
        "regtrace.1",
        "regtrace-impact.1",
        "regtrace-review-close.1",
        "regtrace-serve.1",
    ] {
        assert!(dir.path().join(name).is_file(), "{name}");
    }
    // `man -l` renders a page where man is installed (a minimal system may not have it).
    if let Ok(rendered) = std::process::Command::new("man")
        .arg("-l")
        .arg(dir.path().join("regtrace-impact.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
    {
        let text = String::from_utf8_lossy(&rendered.stdout);
        assert!(
            rendered.status.success(),
            "{}",
            String::from_utf8_lossy(&rendered.stderr)
        );
        assert!(
            text.contains("regtrace-impact") && text.contains("--as-of"),
            "{text}"
        );
    }
}

#[test]
fn short_flags_mean_their_long_ones() {
    let long = json(&[
        "search",
        "dna",
        "--kind",
        "guideline",
        "--format",
        "json",
        "--limit",
        "1",
    ]);
    let short = json(&["search", "dna", "-k", "guideline", "-f", "json", "-n", "1"]);
    assert_eq!(long, short);
    assert_eq!(short["nodes"].as_array().unwrap().len(), 1);
    let ja = stdout(&["-l", "ja", "show", "gl-artificial-heart"]);
    assert!(ja.contains("高機能人工心臓システム"));
}

#[test]
fn list_is_sorted_by_id_and_search_takes_several_words() {
    let listed = json(&["list", "-f", "json"]);
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    let both = json(&["search", "人工", "心臓", "-f", "json"]);
    let ids: Vec<&str> = both["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"gl-artificial-heart"), "{ids:?}");
    let none = json(&["search", "人工", "dna", "-f", "json"]);
    assert_eq!(
        none["nodes"].as_array().unwrap().len(),
        0,
        "every word must be found"
    );
}

#[test]
fn an_id_in_the_wrong_case_gets_the_right_one_suggested() {
    let stderr = stderr_of(regtrace().args(["show", "GL-ARTIFICIAL-HEART"]), 2);
    assert!(
        stderr.contains("did you mean \"gl-artificial-heart\"?"),
        "{stderr}"
    );
}

#[test]
fn the_build_is_named_exactly() {
    let build = json(&["version", "--format", "json"]);
    for key in ["version", "commit", "commit_date", "rustc", "target", "sqlite"] {
        assert!(
            build[key].as_str().is_some_and(|v| !v.is_empty()),
            "{key}: {build}"
        );
    }
    assert!(build["dirty"].is_boolean());
    assert_eq!(build["version"], env!("CARGO_PKG_VERSION"));
    assert!(build["rustc"].as_str().unwrap().starts_with("rustc "));
    let line = stdout(&["--version"]);
    assert!(line.contains(build["commit"].as_str().unwrap()), "{line}");
}

#[test]
fn csv_for_excel_starts_with_a_byte_order_mark_when_asked() {
    let plain = regtrace()
        .args(["list", "-k", "field", "-f", "csv"])
        .output()
        .unwrap()
        .stdout;
    assert!(plain.starts_with(b"id,"), "no mark by default");
    let marked = regtrace()
        .args(["list", "-k", "field", "-f", "csv", "--bom"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(&marked[..3], b"\xEF\xBB\xBF");
    assert_eq!(&marked[3..], &plain[..]);
    let matrix = regtrace()
        .args([
            "--bom",
            "matrix",
            "--rows",
            "device",
            "--cols",
            "guideline",
            "-f",
            "csv",
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(&matrix[..3], b"\xEF\xBB\xBF");
}

#[test]
fn all_paths_come_shortest_and_most_direct_first() {
    let paths = json(&[
        "path",
        "device-artificial-heart-18-cases",
        "jp-pal-revision-2013",
        "--all",
        "-f",
        "json",
    ]);
    let nodes: Vec<Vec<&str>> = paths["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect()
        })
        .collect();
    // Along the links first; the ones through the other device last.
    assert_eq!(
        nodes[0],
        [
            "device-artificial-heart-18-cases",
            "gl-artificial-heart",
            "jp-pal-revision-2013"
        ]
    );
    let lengths: Vec<usize> = nodes.iter().map(Vec::len).collect();
    assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{lengths:?}");
    let through_the_other: Vec<bool> = nodes
        .iter()
        .map(|n| n.contains(&"device-artificial-heart-39-cases"))
        .collect();
    assert_eq!(through_the_other.iter().position(|t| *t), Some(2), "{nodes:?}");
}

#[test]
fn list_writes_a_file_with_dash_o_as_it_prints() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fields.csv");
    regtrace()
        .args(["list", "-k", "field", "-f", "csv", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        stdout(&["list", "-k", "field", "-f", "csv"])
    );
}

/// The README's short tour runs as written, on the built-in data, and says what it promises.
#[test]
fn the_readme_tour_runs_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let said = crate::run_readme_lines(&crate::readme_block("tour"), dir.path());
    assert!(said[0].contains("高機能人工心臓システム"), "{}", said[0]);
    let json: serde_json::Value = serde_json::from_str(&said[1]).unwrap();
    assert!(json["impacted"].as_array().is_some_and(|h| !h.is_empty()));
    assert_eq!(
        crate::sheet(&dir.path().join("impact.xlsx"), "impact").len(),
        json["impacted"].as_array().unwrap().len() + 1
    );
    assert!(
        std::fs::read_to_string(dir.path().join("audit.md"))
            .unwrap()
            .contains('|')
    );
}

/// The README's block on one's own data runs as written from a checkout (its paths are the
/// repository's), and what it writes reads back.
#[test]
fn the_readme_own_data_block_runs_as_written() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["data", "tests"] {
        std::os::unix::fs::symlink(crate::repo(name), dir.path().join(name)).unwrap();
    }
    let said = crate::run_readme_lines(&crate::readme_block("own data"), dir.path());
    assert!(
        said[3].contains("高機能人工心臓システム") || said[3].contains("High-performance"),
        "{}",
        said[3]
    );
    let copy = dir.path().join("copy.db");
    let imported = regtrace()
        .arg("--db")
        .arg(&copy)
        .arg("import")
        .arg(dir.path().join("all.reqif"))
        .assert()
        .success();
    drop(imported);
    let stats =
        |db: &std::path::Path| json(&["--db", db.to_str().unwrap(), "stats", "-f", "json"])["nodes"].clone();
    assert!(stats(&copy).as_u64().is_some_and(|n| n > 50), "the seed's nodes");
    assert_eq!(
        stats(&copy),
        stats(&dir.path().join("reg.db")),
        "the ReqIF export reads back whole"
    );
}

/// A command that runs longer than a second says what it is doing on a terminal's standard
/// error (a spinner naming the phase), clears it before its answer, and draws nothing when
/// standard error is not a terminal. The terminal is a pseudo-terminal made by `script`
/// (util-linux).
#[test]
fn a_long_command_shows_its_phase_on_a_terminal_and_nothing_in_a_pipe() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Large enough to take well over the second the spinner waits (about 5 s in a debug build).
    let summary = regtrace_workload::write_csv(0.2, 7, dir.path()).unwrap();
    let (nodes, edges) = (dir.path().join("nodes.csv"), dir.path().join("edges.csv"));
    let bin = assert_cmd::cargo::cargo_bin("regtrace");
    let command = format!(
        "{} --db {} import {} {}",
        bin.display(),
        dir.path().join("tty.db").display(),
        nodes.display(),
        edges.display()
    );
    let transcript = dir.path().join("transcript");
    let status = std::process::Command::new("script")
        .args(["-qec", &command])
        .arg(&transcript)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let seen = std::fs::read_to_string(&transcript).unwrap();
    let phase = format!("writing {} nodes", summary.nodes);
    assert!(seen.contains(&phase), "the phase is shown on a terminal: {seen}");
    let answer = seen.rfind("imported ").expect("the answer is printed");
    assert!(
        seen.rfind(&phase).unwrap() < answer,
        "the spinner is cleared before the answer"
    );

    let piped = regtrace()
        .arg("--db")
        .arg(dir.path().join("pipe.db"))
        .arg("import")
        .arg(&nodes)
        .arg(&edges)
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(
        String::from_utf8_lossy(&piped.stderr),
        "",
        "nothing drawn in a pipe"
    );
}
