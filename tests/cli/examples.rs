//! Every example in a `--help` text runs as written, in a directory holding what the examples
//! name: the built-in data as `data/`, the example CSV pair as `nodes.csv`/`edges.csv`, a
//! database `reg.db` with the seed and its law revision recorded, the repository's `tests/`
//! (for the fixtures an example names), and the like. Examples that start a server or need one
//! (`serve`, `curl`) or a shell's process substitution are not run here (tests/cli/serve.rs
//! drives the server).

use std::path::Path;
use std::process::Command;

use crate::{regtrace, repo};

/// The commands and subcommands `regtrace --help` lists, depth first, as argument paths.
fn commands() -> Vec<Vec<String>> {
    fn listed(help: &str) -> Vec<String> {
        help.split("Commands:\n")
            .nth(1)
            .map(|rest| rest.split("\n\n").next().unwrap_or_default())
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|name| *name != "help")
            .map(str::to_owned)
            .collect()
    }
    let mut all = Vec::new();
    let mut todo: Vec<Vec<String>> = listed(&help(&[])).into_iter().map(|c| vec![c]).collect();
    while let Some(path) = todo.pop() {
        for sub in listed(&help(&path)) {
            let mut deeper = path.clone();
            deeper.push(sub);
            todo.push(deeper);
        }
        all.push(path);
    }
    all.sort();
    all
}

fn help(path: &[String]) -> String {
    let output = regtrace().args(path).arg("--help").output().unwrap();
    assert!(output.status.success(), "{path:?} --help");
    String::from_utf8(output.stdout).unwrap()
}

/// The examples of a help text: the lines under "Examples:", two spaces in, a line ending in
/// ` \` continued on the next. A line that starts with anything but a command is a mistake
/// (clap wrapping a long example would make one): it is returned as it is, and fails.
fn examples(help: &str) -> Vec<String> {
    let block = help
        .split("Examples:\n")
        .nth(1)
        .map(|rest| rest.split("\n\n").next().unwrap_or_default())
        .unwrap_or_default();
    let mut all: Vec<String> = Vec::new();
    let mut continued = false;
    for line in block.lines() {
        let text = line.trim();
        let (text, continues) = match text.strip_suffix(" \\") {
            Some(start) => (start, true),
            None => (text, false),
        };
        match (continued, all.last_mut()) {
            (true, Some(last)) => {
                last.push(' ');
                last.push_str(text);
            }
            _ => all.push(text.to_owned()),
        }
        continued = continues;
    }
    all
}

/// The directory the examples run in; with `with_db`, `reg.db` holds the seed and its law
/// revision (for the examples of `import`, which make their own, without).
fn workspace(dir: &Path, with_db: bool) {
    let copy_dir = |from: &Path, to: &Path| {
        let status = Command::new("cp").arg("-r").arg(from).arg(to).status().unwrap();
        assert!(status.success());
    };
    copy_dir(&repo("data/meti-2013"), &dir.join("data"));
    copy_dir(&repo("data/meti-2013"), &dir.join("data-2012"));
    copy_dir(&repo("data/meti-2013"), &dir.join("data-2013"));
    copy_dir(&repo("tests/fixtures/eu-mdr"), &dir.join("eu_mdr"));
    std::os::unix::fs::symlink(repo("tests"), dir.join("tests")).unwrap();
    for name in ["nodes.csv", "edges.csv"] {
        std::fs::copy(repo(&format!("tests/fixtures/csv/{name}")), dir.join(name)).unwrap();
    }
    std::fs::copy(
        repo("tests/fixtures/fda/foiclass-2016.txt"),
        dir.join("foiclass.txt"),
    )
    .unwrap();
    for name in ["module.reqifz", "export.reqifz"] {
        std::fs::copy(
            repo("tests/fixtures/reqif/polarion-roundtrip.reqifz"),
            dir.join(name),
        )
        .unwrap();
    }
    let run = |args: &[&str]| {
        let output = regtrace().current_dir(dir).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    std::fs::write(dir.join("map.toml"), run(&["reqif", "mapping", "module.reqifz"])).unwrap();
    if with_db {
        crate::import_into(&dir.join("reg.db"), &[dir.join("data")]);
        crate::record_the_law_revision(&dir.join("reg.db"));
    }
    run(&["export", "--format", "xlsx", "-o", "data.xlsx"]);
    for name in ["old.db", "new.db"] {
        crate::import_into(&dir.join(name), &[dir.join("data")]);
    }
    // A history for `git:REV:PATH`: the data as committed, then one title changed.
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "data"]);
    git(&["commit", "-q", "-m", "data"]);
    let guideline = dir.join("data/guidelines.toml");
    let text = std::fs::read_to_string(&guideline).unwrap();
    std::fs::write(
        &guideline,
        text.replacen(
            "High-performance artificial heart systems",
            "Artificial heart systems",
            1,
        ),
    )
    .unwrap();
    git(&["commit", "-q", "-am", "a title changed"]);
}

/// An example as words: a trailing `(comment)` (after two spaces) dropped, `> FILE` kept apart, a pipe's reader
/// dropped (the example's own command is what is tested), `~` the test's home.
fn words(example: &str, home: &Path) -> (Vec<String>, Option<String>) {
    let line = match example.find("  (") {
        Some(at) => &example[..at],
        None => example,
    };
    let line = line.split(" | ").next().unwrap_or(line);
    let mut words = crate::workflow::shell_words(line);
    for w in &mut words {
        if let Some(rest) = w.strip_prefix("~/") {
            *w = home.join(rest).display().to_string();
        }
    }
    let redirect = words.iter().position(|w| w == ">").map(|at| {
        let file = words[at + 1].clone();
        words.truncate(at);
        file
    });
    (words, redirect)
}

#[test]
fn every_help_example_runs_as_written() {
    let mut ran = 0;
    let mut failures = Vec::new();
    for path in commands() {
        let text = help(&path);
        let lines = examples(&text);
        if lines.is_empty() {
            continue;
        }
        // Each command's examples in a fresh directory, in the order the help gives them.
        let dir = tempfile::tempdir().unwrap();
        workspace(dir.path(), !matches!(path[0].as_str(), "import" | "reqif"));
        let home = dir.path().join("home");
        for example in &lines {
            let (words, redirect) = words(example, &home);
            match words.first().map(String::as_str) {
                Some("regtrace") if !words.iter().any(|w| w == "serve") => {}
                Some("regtrace" | "curl" | "source") => continue,
                _ => {
                    failures.push(format!(
                        "{} --help: `{example}` is not a command (a wrapped line?)",
                        path.join(" ")
                    ));
                    continue;
                }
            }
            if let Some(parent) = redirect.as_deref().and_then(|file| Path::new(file).parent()) {
                std::fs::create_dir_all(dir.path().join(parent)).unwrap();
            }
            for w in &words {
                if w.starts_with(home.to_str().unwrap()) {
                    std::fs::create_dir_all(Path::new(w).parent().unwrap()).unwrap();
                }
            }
            let output = regtrace()
                .current_dir(dir.path())
                .env("HOME", &home)
                .args(&words[1..])
                .output()
                .unwrap();
            // An audit's findings exit 1 by design (`--fail-on`); nothing else may fail.
            let fine = output.status.success()
                || (words[1..].contains(&"audit".to_owned()) && output.status.code() == Some(1));
            if !fine {
                failures.push(format!(
                    "{} --help: `{example}` exited {:?}: {}",
                    path.join(" "),
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
            }
            if let Some(file) = redirect {
                std::fs::write(dir.path().join(file), &output.stdout).unwrap();
            }
            ran += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        ran >= 40,
        "only {ran} examples found: is the Examples: layout still parsed?"
    );
}
