//! `regtrace export`: selections, diagram formats, the renderers, and the lossless JSON document
//! of a selection.

use std::path::Path;
use std::process::Command as Process;

use crate::{fixture, fresh_db, import_into, json, regtrace, stderr_of, stdout};

/// Is the Graphviz `dot` program installed? CI installs it, so there a missing `dot` is a failure,
/// not a reason to skip.
fn graphviz() -> bool {
    let present = Process::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        present || std::env::var_os("CI").is_none(),
        "CI must have Graphviz installed (.ci/run installs it)"
    );
    present
}

/// An empty directory to put on PATH: regtrace run with it finds no Graphviz.
fn no_graphviz_path() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// All text content of an XML document.
fn xml_text(xml: &str) -> String {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, options).expect("well-formed XML");
    doc.descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn law_revision_impact_diagrams_match_snapshots() {
    let impact = ["export", "--impact-of", "jp-pal-revision-2013"];
    let with = |format: &str, lang: &str| {
        let mut args = impact.to_vec();
        args.extend(["--format", format, "--lang", lang]);
        stdout(&args)
    };
    insta::assert_snapshot!("impact_dot_ja", with("dot", "ja"));
    insta::assert_snapshot!("impact_mermaid_en", with("mermaid", "en"));
    insta::assert_snapshot!("impact_graphml_ja", with("graphml", "ja"));
    insta::assert_snapshot!(
        "knee_neighbourhood_dot_by_field",
        stdout(&[
            "export",
            "--root",
            "gl-custom-knee",
            "--depth",
            "2",
            // The whole neighbourhood: the node budget has its own test.
            "--budget",
            "0",
            "--cluster",
            "field",
            "--format",
            "dot"
        ])
    );
}

#[test]
fn impact_subgraph_holds_the_changed_node_every_hit_and_their_reasons() {
    let impact = json(&["impact", "jp-pal-revision-2013", "--format", "json"]);
    let hits: Vec<&str> = impact["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let graphml = stdout(&[
        "export",
        "--impact-of",
        "jp-pal-revision-2013",
        "--format",
        "graphml",
    ]);
    let doc = roxmltree::Document::parse(&graphml).unwrap();
    let nodes: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .map(|n| n.attribute("id").unwrap())
        .collect();
    assert_eq!(nodes.len(), hits.len() + 1);
    assert!(nodes.contains(&"jp-pal-revision-2013"));
    for hit in &hits {
        assert!(nodes.contains(hit), "{hit} missing from the diagram");
    }
    // Each hit has exactly one reason edge into the picture: a tree of hits + 1 nodes.
    let edges = doc.descendants().filter(|n| n.has_tag_name("edge")).count();
    assert_eq!(edges, hits.len());
    let highlighted: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .filter(|n| {
            n.children()
                .any(|d| d.attribute("key") == Some("highlighted") && d.text() == Some("true"))
        })
        .map(|n| n.attribute("id").unwrap())
        .collect();
    assert_eq!(highlighted, ["jp-pal-revision-2013"]);

    // --kind keeps the reasons: devices come with the guideline that leads to them.
    let devices = stdout(&[
        "export",
        "--impact-of",
        "jp-pal-revision-2013",
        "--kind",
        "device",
        "--format",
        "graphml",
    ]);
    let ids = xml_text(&devices);
    assert!(
        ids.contains("Artificial heart approved with 18 clinical cases"),
        "{ids}"
    );
    assert!(devices.contains("id=\"gl-artificial-heart\""));
    assert!(!devices.contains("id=\"gl-custom-knee\""));
}

#[test]
fn graphviz_draws_every_diagram_with_japanese_text() {
    if !graphviz() {
        eprintln!("skipped: Graphviz is not installed");
        return;
    }
    let (_dir, hostile) = fresh_db(&[fixture("hostile")]);
    let cases: Vec<Vec<&str>> = vec![
        vec!["export", "--format", "dot", "--cluster", "kind", "--lang", "ja"],
        vec!["export", "--format", "dot", "--cluster", "field", "--lang", "ja"],
        vec![
            "export",
            "--format",
            "dot",
            "--impact-of",
            "jp-pal-revision-2013",
            "--lang",
            "ja",
        ],
        vec![
            "--db",
            &hostile,
            "export",
            "--format",
            "dot",
            "--cluster",
            "field",
        ],
        vec!["--db", &hostile, "export", "--format", "dot", "--lang", "ja"],
    ];
    for args in cases {
        let dot = stdout(&args);
        let output = Process::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(dot.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.trim().is_empty(),
            "{args:?}: {stderr}"
        );
        xml_text(&String::from_utf8(output.stdout).unwrap());
    }

    // Through regtrace itself: SVG with the Japanese title and hostile text as text, and PNG.
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("impact.svg");
    let err = stderr_of(
        regtrace()
            .args(["export", "--impact-of", "jp-pal-revision-2013", "--lang", "ja"])
            .args(["--format", "svg", "--renderer", "graphviz", "-o"])
            .arg(&svg),
        0,
    );
    assert!(err.contains("Graphviz dot"), "{err}");
    let text = xml_text(&std::fs::read_to_string(&svg).unwrap());
    assert!(text.contains("薬事法改正"), "{text}");

    let hostile_svg = dir.path().join("hostile.svg");
    regtrace()
        .args(["--db", &hostile, "export", "--format", "svg", "-o"])
        .arg(&hostile_svg)
        .assert()
        .success();
    let text = xml_text(&std::fs::read_to_string(&hostile_svg).unwrap());
    assert!(
        text.contains("<script>alert(1)</script>"),
        "markup stays text: {text}"
    );

    let png = dir.path().join("impact.png");
    regtrace()
        .args([
            "export",
            "--impact-of",
            "jp-pal-revision-2013",
            "--format",
            "png",
            "-o",
        ])
        .arg(&png)
        .assert()
        .success();
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[test]
fn without_graphviz_svg_falls_back_and_png_explains() {
    let (_dir, hostile) = fresh_db(&[fixture("hostile")]);
    let empty = no_graphviz_path();
    for args in [
        vec![
            "export",
            "--impact-of",
            "jp-pal-revision-2013",
            "--lang",
            "ja",
            "--format",
            "svg",
        ],
        vec!["export", "--format", "svg", "--cluster", "field"],
        vec!["--db", hostile.as_str(), "export", "--format", "svg"],
    ] {
        let output = regtrace().env("PATH", empty.path()).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(stderr.contains("built-in layout engine"), "{stderr}");
        let svg = String::from_utf8(output.stdout).unwrap();
        let text = xml_text(&svg);
        assert!(
            text.contains("jp-pal-revision-2013") || text.contains("gl-hostile"),
            "{text}"
        );
        assert!(svg.contains("Noto Sans CJK JP"), "asks for a CJK font");
    }
    let japanese = regtrace()
        .env("PATH", empty.path())
        .args([
            "export",
            "--impact-of",
            "jp-pal-revision-2013",
            "--lang",
            "ja",
            "--format",
            "svg",
        ])
        .output()
        .unwrap();
    assert!(xml_text(&String::from_utf8(japanese.stdout).unwrap()).contains("薬事法改正"));

    let err = stderr_of(
        regtrace()
            .env("PATH", empty.path())
            .args(["export", "--format", "png", "-o", "x.png"]),
        2,
    );
    assert!(
        err.contains("Graphviz") && err.contains("apt-get install graphviz"),
        "{err}"
    );
    let err = stderr_of(
        regtrace()
            .env("PATH", empty.path())
            .args(["export", "--format", "svg", "--renderer", "graphviz"]),
        2,
    );
    assert!(err.contains("not installed"), "{err}");
}

#[test]
fn big_pictures_need_force_but_text_formats_do_not() {
    let err = stderr_of(
        regtrace().args([
            "export",
            "--format",
            "svg",
            "--max-nodes",
            "10",
            "--renderer",
            "builtin",
        ]),
        2,
    );
    assert!(err.contains("--max-nodes 10") && err.contains("--force"), "{err}");
    regtrace()
        .args([
            "export",
            "--format",
            "svg",
            "--max-nodes",
            "10",
            "--renderer",
            "builtin",
            "--force",
        ])
        .assert()
        .success();
    for format in ["dot", "mermaid", "graphml", "json"] {
        regtrace()
            .args(["export", "--format", format, "--max-nodes", "10"])
            .assert()
            .success();
    }
}

#[test]
fn json_of_a_neighbourhood_imports_back() {
    let show = json(&["show", "gl-artificial-heart", "--format", "json"]);
    let mut expected: Vec<String> = ["outgoing", "incoming"]
        .iter()
        .flat_map(|side| show[side].as_array().unwrap().iter())
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .chain(["gl-artificial-heart".to_owned()])
        .collect();
    expected.sort();
    expected.dedup();

    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("part.json");
    regtrace()
        .args(["export", "--root", "gl-artificial-heart", "--depth", "1", "-o"])
        .arg(&part)
        .assert()
        .success();
    let db = dir.path().join("part.db");
    import_into(&db, &[part]);
    let listed = json(&["--db", db.to_str().unwrap(), "list", "--format", "json"]);
    let mut ids: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    assert_eq!(ids, expected);
}

#[test]
fn neighbourhood_direction_and_kind_filter() {
    let graphml_ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["export", "--format", "graphml"];
        all.extend(args);
        let text = stdout(&all);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let mut ids: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("node"))
            .map(|n| n.attribute("id").unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    // Devices point at the artificial-heart guideline: they come in, not out.
    let inward = graphml_ids(&["--root", "gl-artificial-heart", "--around", "in"]);
    assert!(inward.iter().any(|id| id.starts_with("device-")), "{inward:?}");
    assert!(!inward.contains(&"jp-pal-revision-2013".to_owned()), "{inward:?}");
    let outward = graphml_ids(&["--root", "gl-artificial-heart", "--around", "out"]);
    assert!(
        outward.contains(&"jp-pal-revision-2013".to_owned()),
        "{outward:?}"
    );
    assert!(!outward.iter().any(|id| id.starts_with("device-")), "{outward:?}");
    let devices = graphml_ids(&["--root", "gl-artificial-heart", "--kind", "device"]);
    assert!(
        devices
            .iter()
            .all(|id| id.starts_with("device-") || id == "gl-artificial-heart"),
        "{devices:?}"
    );
}

#[test]
fn mermaid_labels_cannot_break_out() {
    let (_dir, hostile) = fresh_db(&[fixture("hostile")]);
    let text = stdout(&[
        "--db",
        &hostile,
        "export",
        "--format",
        "mermaid",
        "--cluster",
        "field",
    ]);
    for line in text.lines().filter(|l| l.contains("\"")) {
        // Exactly one quoted label per line: the label's own quotes were encoded.
        assert_eq!(line.matches('"').count(), 2, "{line}");
        assert!(!line.contains('<') || !line.contains("<script"), "{line}");
    }
    assert!(text.contains("#lt;script#gt;"), "{text}");
}

#[test]
fn output_files_are_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.dot");
    std::fs::write(&target, "old").unwrap();
    regtrace()
        .args(["export", "--format", "dot", "-o"])
        .arg(&target)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&target).unwrap().starts_with("digraph"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files are left behind");

    let err = stderr_of(
        regtrace()
            .args(["export", "--format", "dot", "-o"])
            .arg(Path::new("/nonexistent-dir/x.dot")),
        2,
    );
    assert!(err.contains("does not exist"), "{err}");
    // An unknown root is a request error with a suggestion; nothing is written.
    let err = stderr_of(
        regtrace()
            .args(["export", "--format", "dot", "--root", "gl-custom-kne", "-o"])
            .arg(dir.path().join("never.dot")),
        2,
    );
    assert!(err.contains("did you mean \"gl-custom-knee\""), "{err}");
    assert!(!dir.path().join("never.dot").exists());
}

#[test]
fn the_readme_diagram_is_current() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/diagrams/impact-jp-pal-revision-2013.dot"
    ))
    .unwrap();
    let now = stdout(&[
        "export",
        "--impact-of",
        "jp-pal-revision-2013",
        "--lang",
        "ja",
        "--format",
        "dot",
    ]);
    assert_eq!(
        committed, now,
        "regenerate docs/diagrams/ with the commands in the README"
    );
}

#[test]
fn a_symbolic_link_at_the_output_path_is_not_written_through_without_force() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("precious.txt");
    std::fs::write(&precious, "precious").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let link = out.join("diagram.dot");
    symlink("../precious.txt", &link).unwrap();

    for format in ["dot", "json"] {
        let err = stderr_of(
            regtrace().args(["export", "--format", format, "-o"]).arg(&link),
            2,
        );
        assert!(err.contains("is a symbolic link (to ../precious.txt)"), "{err}");
        assert!(err.contains("--force"), "{err}");
    }
    let err = stderr_of(
        regtrace()
            .args(["matrix", "--rows", "guideline", "--cols", "standard", "-o"])
            .arg(&link),
        2,
    );
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());

    // --force writes to the file the link points to, and the link stays a link.
    regtrace()
        .args(["export", "--format", "dot", "--force", "-o"])
        .arg(&link)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&precious).unwrap().starts_with("digraph"));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    // Also to a file that does not exist yet, through a chain of two links.
    symlink("diagram.dot", out.join("second.dot")).unwrap();
    std::fs::remove_file(&precious).unwrap();
    regtrace()
        .args(["export", "--format", "mermaid", "--force", "-o"])
        .arg(out.join("second.dot"))
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&precious)
            .unwrap()
            .starts_with("flowchart")
    );

    // matrix's --force is only about the output file.
    stderr_of(
        regtrace().args(["matrix", "--rows", "guideline", "--cols", "standard", "--force"]),
        2,
    );
}

#[test]
fn a_link_planted_as_the_snapshot_file_is_replaced_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("precious.txt");
    std::fs::write(&precious, "precious").unwrap();
    let db = dir.path().join("x.db");
    symlink(&precious, dir.path().join("x.db-snapshot")).unwrap();
    crate::import_into(&db, &[crate::fixture("small")]);
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "precious");
    let snapshot = std::fs::symlink_metadata(dir.path().join("x.db-snapshot")).unwrap();
    assert!(snapshot.file_type().is_file());
}

/// `-o` naming something that is not a regular file writes into it as a stream and leaves it
/// what it was: a FIFO keeps its reader fed (it was replaced by a plain file, and its reader
/// blocked forever), a character device stays a device, `/dev/stdout` on a pipe works with
/// --force (it is a link); a directory is refused.
#[test]
fn special_files_at_the_output_path_are_written_into_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();

    let fifo = dir.path().join("pipe");
    if Process::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        regtrace()
            .args(["export", "--format", "mermaid", "-o"])
            .arg(&fifo)
            .assert()
            .success();
        let kept = std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo();
        assert!(kept, "the FIFO was replaced by a plain file");
        let read = reader.join().unwrap();
        assert!(String::from_utf8(read).unwrap().starts_with("flowchart"));
    }

    // A character device of our own (mknod needs root; skipped without it): /dev/null's twin.
    let null = dir.path().join("null");
    if Process::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success())
    {
        regtrace().args(["export", "-o"]).arg(&null).assert().success();
        let meta = std::fs::symlink_metadata(&null).unwrap();
        assert!(
            meta.file_type().is_char_device(),
            "the device was replaced by a plain file"
        );
    }

    let piped = regtrace()
        .args(["export", "--format", "mermaid", "-o", "/dev/stdout", "--force"])
        .output()
        .unwrap();
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    assert!(String::from_utf8(piped.stdout).unwrap().starts_with("flowchart"));

    let err = stderr_of(regtrace().args(["export", "-o"]).arg(dir.path()), 2);
    assert!(err.contains("is a directory"), "{err}");
}

/// An answer that cannot be written (standard output on a full disk: `> /dev/full`) fails the
/// command (exit 1, saying so), whichever way it is printed; a reader that goes away (`| head`)
/// does not. Before, `regtrace list > /dev/full` exited 0.
#[test]
fn a_full_disk_on_standard_output_fails_the_command() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for args in [
        vec!["list"],
        vec!["impact", "jp-pal-revision-2013", "--format", "json"],
        vec!["export", "--format", "json"],
        vec!["audit", "--fail-on", "never"],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let output = crate::process().args(&args).stdout(full).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("No space left on device"), "{args:?}: {stderr}");
    }
}

/// A neighbourhood picture is readable by default: at most 20 nodes (the root and the nearest,
/// those met through few links first), the root first in rank order and emphasised, and each
/// node with neighbours left out saying how many; --budget 0 draws all, and data formats
/// always carry the whole selection.
#[test]
fn a_neighbourhood_picture_keeps_a_node_budget_and_says_what_it_left_out() {
    let args = ["export", "--root", "gl-custom-knee", "--depth", "2", "-f"];
    let output = regtrace().args(args).arg("dot").output().unwrap();
    assert!(output.status.success());
    let dot = String::from_utf8(output.stdout).unwrap();
    // Node statements of regtrace nodes: a quoted id with attributes, not a legend entry.
    let drawn = |dot: &str| {
        dot.lines()
            .filter(|l| {
                l.trim_start().starts_with('"')
                    && l.contains("[label=")
                    && !l.contains("->")
                    && !l.contains("\"legend ")
            })
            .count()
    };
    let whole = json(&["export", "--root", "gl-custom-knee", "--depth", "2", "-f", "json"]);
    let selected = whole["nodes"].as_array().unwrap().len();
    assert!(
        selected > 40,
        "the seed's depth-2 neighbourhood is large: {selected}"
    );
    assert_eq!(drawn(&dot), 20, "{dot}");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(&format!(
            "{} more nodes within --depth 2 not drawn",
            selected - 20
        )),
        "{said}"
    );
    let marked: usize = dot
        .lines()
        .filter_map(|l| {
            l.split("(+")
                .nth(1)?
                .split(" more not drawn)")
                .next()?
                .parse::<usize>()
                .ok()
        })
        .sum();
    assert!(
        marked >= selected - 20,
        "every left-out node is counted on a neighbour: {marked}"
    );
    assert!(
        dot.contains("subgraph roots {\n    rank=\"source\"\n    \"gl-custom-knee\""),
        "the root comes first: {dot}"
    );
    // Met through the field (few links) before the programme's many other guidelines.
    assert!(dot.contains("\"gl-custom-spinal\"[label="), "{dot}");

    let all = stdout(&[
        "export",
        "--root",
        "gl-custom-knee",
        "--depth",
        "2",
        "--budget",
        "0",
        "-f",
        "dot",
    ]);
    assert_eq!(drawn(&all), selected);
    assert!(!all.contains("more not drawn"));
    let mermaid = stdout(&[
        "export",
        "--root",
        "gl-custom-knee",
        "--depth",
        "2",
        "-f",
        "mermaid",
    ]);
    assert!(mermaid.contains("more not drawn"), "{mermaid}");
}
