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

/// `--limit N` keeps the first N by id in every format and says so in the table; 0 is all.
#[test]
fn list_limit_keeps_the_first_by_id() {
    let all = json(&["list", "-f", "json"]);
    let all = all.as_array().unwrap();
    assert!(all.len() > 3, "the seed lists more than three nodes");
    let first = json(&["list", "-f", "json", "--limit", "3"]);
    assert_eq!(first.as_array().unwrap()[..], all[..3]);
    assert_eq!(json(&["list", "-f", "json", "-n", "0"]).as_array().unwrap(), all);
    let csv = stdout(&["list", "-f", "csv", "-n", "2"]);
    assert_eq!(csv.lines().count(), 3, "a header and two rows: {csv}");

    let table = stdout(&["list", "--limit", "2"]);
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 4, "a header, two rows and the count: {table}");
    let first_id = all[0]["id"].as_str().unwrap();
    assert!(rows[1].starts_with(first_id), "{table}");
    assert_eq!(
        rows[3],
        format!(
            "{} nodes (2 shown, the first by id; --limit N to see more, --limit 0 for all)",
            all.len()
        )
    );
    // Unlimited (the seed is under the table's 1000 rows): the count alone.
    let table = stdout(&["list"]);
    assert_eq!(table.lines().count(), all.len() + 2, "{table}");
    assert!(table.ends_with(&format!("\n{} nodes\n", all.len())), "{table}");
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

/// Whether `script` (util-linux), which makes the pseudo-terminals below, is installed; says
/// the test is skipped if not.
fn script_is_installed() -> bool {
    let installed = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok();
    if !installed {
        eprintln!("skipped: `script` (util-linux) is not installed");
    }
    installed
}

/// What a terminal shows while the shell command `command` runs in a pseudo-terminal made by
/// `script` (with TERM=xterm and no colour variables from the caller), asserting it succeeds.
fn in_a_terminal(command: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("transcript");
    let status = std::process::Command::new("script")
        .args(["-qec", command])
        .arg(&transcript)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read_to_string(&transcript).unwrap()
}

/// A command that runs longer than a second says what it is doing on a terminal's standard
/// error (a spinner naming the phase), clears it before its answer, and draws nothing when
/// standard error is not a terminal. The terminal is a pseudo-terminal made by `script`
/// (util-linux).
#[test]
fn a_long_command_shows_its_phase_on_a_terminal_and_nothing_in_a_pipe() {
    if !script_is_installed() {
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
    let seen = in_a_terminal(&command);
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

/// The text of `regtrace ARGS` with `env` set, as (stdout, stderr).
fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut command = regtrace();
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.args(args).output().unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// `text` without its SGR sequences (`ESC [ … m`).
fn without_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('m').expect("an SGR sequence ends with m");
        rest = &rest[at + end + 1..];
    }
    out + rest
}

/// Colour: never in a pipe by default; --color always and CLICOLOR_FORCE add it, NO_COLOR
/// wins over CLICOLOR_FORCE but not over --color always; colour only adds SGR sequences to
/// the same text; diagnostics on standard error are coloured too.
#[test]
fn colour_follows_the_flag_and_the_conventions_and_never_reaches_a_pipe_uninvited() {
    let list = ["list", "--kind", "regulation"];
    let (plain, _) = run_with_env(&list, &[]);
    assert!(!plain.contains('\x1b'), "a pipe gets no colour: {plain:?}");
    let (never, _) = run_with_env(
        &["--color", "never", "list", "--kind", "regulation"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert_eq!(never, plain);

    let (always, _) = run_with_env(
        &["--color", "always", "list", "--kind", "regulation"],
        &[("NO_COLOR", "1")],
    );
    let (forced, _) = run_with_env(&list, &[("CLICOLOR_FORCE", "1")]);
    assert_eq!(always, forced);
    assert!(
        always.contains("\x1b[32menacted\x1b[0m"),
        "statuses are coloured: {always:?}"
    );
    assert_eq!(without_sgr(&always), plain, "colour only adds escape sequences");

    let (no_color, _) = run_with_env(&list, &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
    assert_eq!(no_color, plain, "NO_COLOR wins over CLICOLOR_FORCE");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "id,kind,title\nx,devic,X\n").unwrap();
    let (_, err) = run_with_env(&["--color", "always", "check", bad.to_str().unwrap()], &[]);
    assert!(err.contains("\x1b[31merror\x1b[0m"), "{err:?}");
    let (_, err) = run_with_env(&["check", bad.to_str().unwrap()], &[]);
    assert!(!err.contains('\x1b'), "{err:?}");
}

/// Whatever the data holds, colour comes only from regtrace: an escape sequence in a title is
/// shown, not obeyed, with colour on.
#[test]
fn colour_never_lets_the_datas_escape_sequences_through() {
    let (_dir, db) = crate::db_of(&[(
        "nodes.csv",
        "id,kind,title,status\nlaw,regulation,\"A \x1b[2Jlaw\x1b]0;pwned\x07\",enacted\n",
    )]);
    let (out, _) = run_with_env(&["--db", &db, "--color", "always", "list"], &[]);
    assert!(out.contains("\x1b[32menacted\x1b[0m"), "{out:?}");
    assert!(!out.contains("\x1b[2J") && !out.contains("\x1b]0"), "{out:?}");
}

/// On a terminal colour is on by default and NO_COLOR turns it off. The terminal is a
/// pseudo-terminal made by `script` (util-linux).
#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    if !script_is_installed() {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("regtrace");
    let seen = |env: &str| in_a_terminal(&format!("{env} {} list --kind regulation", bin.display()));
    let coloured = seen("env");
    assert!(coloured.contains("\x1b[32menacted\x1b[0m"), "{coloured:?}");
    let plain = seen("env NO_COLOR=1");
    assert!(
        plain.contains("enacted") && !plain.contains("\x1b[32m"),
        "{plain:?}"
    );
}
