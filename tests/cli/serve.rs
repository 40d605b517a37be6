//! `regtrace serve`: the JSON API of a running server answers exactly as the CLI's `--format
//! json` does, question by question; it listens on loopback only unless told otherwise.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::{data, fresh_db, json, process, regtrace, stderr_of};

/// A running server, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `regtrace --db DB serve` on a free port and waits until it says where it listens.
pub(crate) fn serve(db: &str) -> Server {
    let mut child = process()
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    Server { child, addr }
}

impl Server {
    /// GET `path`: the status and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8(response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        // The answers are sent whole (Content-Length), never chunked.
        assert!(!head.to_ascii_lowercase().contains("chunked"), "{head}");
        (status, body.to_owned())
    }

    fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }
}

/// The report's time of making differs between two runs; everything else must not.
fn without_time(mut audit: Value) -> Value {
    audit["provenance"]["generated_at"] = Value::Null;
    audit
}

#[test]
fn the_api_answers_exactly_as_the_cli_prints_json() {
    let (_dir, db) = crate::seed_db_with_the_law_revision();
    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "close",
            "gl-cell-sheet",
            "--event",
            "1",
            "--outcome",
            "unchanged",
            "--by",
            "WG",
        ])
        .assert()
        .success();
    let server = serve(&db);
    let pairs: [(&str, Vec<&str>); 12] = [
        (
            "/api/search?q=%E4%BA%BA%E5%B7%A5%E5%BF%83%E8%87%93",
            vec!["search", "人工心臓"],
        ),
        (
            "/api/search?q=dna&kind=guideline&limit=2",
            vec!["search", "dna", "--kind", "guideline", "--limit", "2"],
        ),
        (
            "/api/nodes/gl-artificial-heart",
            vec!["show", "gl-artificial-heart"],
        ),
        (
            "/api/impact?id=jp-pal-revision-2013",
            vec!["impact", "jp-pal-revision-2013"],
        ),
        (
            "/api/impact?id=std-iso-artificial-heart&id=jp-pal-revision-2013&kind=guideline&as_of=2015-01-01",
            vec![
                "impact",
                "std-iso-artificial-heart",
                "jp-pal-revision-2013",
                "--kind",
                "guideline",
                "--as-of",
                "2015-01-01",
            ],
        ),
        (
            "/api/deps?id=gl-artificial-heart",
            vec!["deps", "gl-artificial-heart"],
        ),
        ("/api/reviews?state=open", vec!["review", "list", "--open"]),
        ("/api/reviews?state=closed", vec!["review", "list", "--closed"]),
        ("/api/changes", vec!["change", "list"]),
        (
            "/api/path?from=device-artificial-heart-18-cases&to=jp-pal-revision-2013&all=1",
            vec![
                "path",
                "device-artificial-heart-18-cases",
                "jp-pal-revision-2013",
                "--all",
            ],
        ),
        (
            "/api/matrix?rows=device&cols=guideline",
            vec!["matrix", "--rows", "device", "--cols", "guideline"],
        ),
        (
            "/api/editions/std-iso-artificial-heart?as_of=2026-01-01",
            vec!["editions", "std-iso-artificial-heart", "--as-of", "2026-01-01"],
        ),
    ];
    for (path, args) in pairs {
        let mut cli = vec!["--db", db.as_str()];
        cli.extend(args);
        cli.extend(["--format", "json"]);
        assert_eq!(server.json(path), json(&cli), "{path}");
    }
    let output = regtrace()
        .args(["--db", &db, "audit", "--format", "json"])
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(without_time(server.json("/api/audit")), without_time(cli));
    // The page of the same question shows the same hits.
    let (status, page) = server.get("/impact?id=jp-pal-revision-2013&lang=ja");
    assert_eq!(status, 200);
    assert!(
        page.contains("高機能人工心臓システム"),
        "Japanese titles on the page"
    );
}

#[test]
fn it_listens_on_loopback_unless_told_otherwise() {
    let (_dir, db) = fresh_db(&[data("meti-2013")]);
    let stderr = stderr_of(regtrace().args(["--db", &db, "serve", "--addr", "0.0.0.0:0"]), 2);
    assert!(stderr.contains("not a loopback address"), "{stderr}");
    assert!(stderr.contains("--allow-remote"), "{stderr}");
}
