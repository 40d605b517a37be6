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
    serve_with(db, &[])
}

/// [`serve`] with more options of `serve`.
pub(crate) fn serve_with(db: &str, options: &[&str]) -> Server {
    let mut child = process()
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .args(options)
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
        self.get_as(path, &self.addr)
    }

    /// GET `path` with `host` as the Host header: the status and the body.
    fn get_as(&self, path: &str, host: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8(response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        // Answers of a known size are sent whole (Content-Length); the streamed ones (impact,
        // dependencies, the matrix downloads) in chunks.
        let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            assert!(
                path.starts_with("/api/impact")
                    || path.starts_with("/api/deps")
                    || path.starts_with("/api/matrix"),
                "{path}: {head}"
            );
            unchunk(body)
        } else {
            body.to_owned()
        };
        (status, body)
    }

    fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }
}

/// The body of a chunked answer: each chunk's size in hexadecimal, its bytes, and a last chunk
/// of size 0 (a body cut short, without it, fails).
fn unchunk(mut rest: &str) -> String {
    let mut body = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").expect("a chunk size");
        let size = usize::from_str_radix(size.trim(), 16).expect("a hexadecimal size");
        if size == 0 {
            return body;
        }
        body.push_str(&after[..size]);
        rest = after[size..].strip_prefix("\r\n").expect("CRLF after a chunk");
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

/// Reads until the server closes the connection (or `limit` passes): what it sent, and whether
/// it closed.
fn until_closed(stream: &mut TcpStream, limit: std::time::Duration) -> (String, bool) {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    let closed = match stream.read_to_end(&mut got) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    (String::from_utf8_lossy(&got).into_owned(), closed)
}

#[test]
fn idle_and_half_sent_connections_are_closed_and_the_connection_limit_answers_503() {
    let (_dir, db) = fresh_db(&[data("meti-2013")]);
    let server = serve_with(&db, &["--header-timeout", "1", "--max-connections", "3"]);
    let connect = || TcpStream::connect(&server.addr).unwrap();
    let mut idle = connect();
    let mut half = connect();
    write!(half, "GET /api/changes HTTP/1.1\r\nHost: {}\r\n", server.addr).unwrap();
    let mut kept = connect();
    // The limit is reached: one more is told so and closed, not left waiting.
    let mut extra = connect();
    let (said, closed) = until_closed(&mut extra, std::time::Duration::from_secs(20));
    assert!(closed && said.starts_with("HTTP/1.1 503"), "{said}");
    assert!(
        said.contains("--max-connections") && said.contains("上限"),
        "{said}"
    );
    // A kept-alive connection answers, then is closed when left idle past the header timeout.
    write!(kept, "GET /favicon.ico HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    let (said, closed) = until_closed(&mut kept, std::time::Duration::from_secs(20));
    assert!(closed && said.starts_with("HTTP/1.1 204"), "{said}");
    for stream in [&mut idle, &mut half] {
        let (said, closed) = until_closed(stream, std::time::Duration::from_secs(20));
        assert!(closed, "closed after the header timeout: {said:?}");
        assert!(!said.contains("200 OK"), "{said}");
    }
    // Their places are free again.
    assert_eq!(server.get("/api/search?q=heart").0, 200);
}

#[test]
fn it_answers_only_under_its_own_names() {
    let (_dir, db) = fresh_db(&[data("meti-2013")]);
    let server = serve_with(&db, &["--host", "Trace.Example.com"]);
    let port = server.addr.rsplit(':').next().unwrap().to_owned();
    for host in [
        server.addr.clone(),
        format!("localhost:{port}"),
        "trace.example.com".to_owned(),
    ] {
        assert_eq!(server.get_as("/api/search?q=heart", &host).0, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "trace.example.com.evil.example".to_owned(),
    ] {
        let (status, body) = server.get_as("/reviews?state=open", &host);
        assert_eq!(status, 421, "{host}: {body}");
        assert!(!body.contains("csrf"), "{body}");
    }
    let stderr = stderr_of(
        regtrace().args([
            "--db",
            &db,
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--host",
            "http://trace.example.com/",
        ]),
        2,
    );
    assert!(
        stderr.contains("is not a host name") && stderr.contains("no http://"),
        "{stderr}"
    );
}
