//! A person in a real browser (Debian's chromium, driven over WebDriver by chromedriver) against
//! `regtrace serve`: searches 人工心臓, opens the guideline, opens the impact of the 2013 law
//! revision, closes a review through the form and finds the decision on the audit page; then
//! opens a `regtrace report` file and the page fetches nothing.
//!
//! CI installs chromium and chromium-driver (.ci/run), so there a missing driver fails the
//! test; elsewhere it is skipped with a message. With `REGTRACE_SCREENSHOTS=DIR` set, it saves
//! the screenshots shown in the README into DIR:
//!
//! ```sh
//! REGTRACE_SCREENSHOTS=docs/screenshots cargo test -p regtrace-cli --test cli browser
//! ```

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};

use crate::regtrace;
use crate::serve::serve;

/// chromedriver and chromium, if installed (Debian: chromium-driver, chromium).
fn browser() -> Option<(PathBuf, PathBuf)> {
    let find = |names: &[&str]| {
        names.iter().find_map(|name| {
            std::env::var_os("PATH")
                .into_iter()
                .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        })
    };
    let found = find(&["chromedriver"]).zip(find(&["chromium", "chromium-browser", "google-chrome"]));
    assert!(
        found.is_some() || std::env::var_os("CI").is_none(),
        "CI must have chromium and chromium-driver installed (.ci/run installs them)"
    );
    found
}

/// A running chromedriver, stopped when dropped.
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn driver(path: &Path) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Driver(child, port)
}

/// Saves a screenshot into `REGTRACE_SCREENSHOTS` (relative to the repository) when it is set.
fn keep(png: &[u8], name: &str) {
    if let Some(dir) = std::env::var_os("REGTRACE_SCREENSHOTS") {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }
}

/// The text of every reason chain on the page, as a person reads it.
async fn chains(client: &fantoccini::Client) -> Vec<String> {
    let mut read = Vec::new();
    for chain in client.find_all(Locator::Css("span.chain")).await.unwrap() {
        read.push(chain.text().await.unwrap());
    }
    read
}

#[test]
fn a_person_searches_follows_the_law_revision_and_closes_a_review_in_a_browser() {
    let Some((chromedriver, chromium)) = browser() else {
        eprintln!(
            "skipped: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let (dir, db) = crate::seed_db_with_the_law_revision();
    let report = dir.path().join("report.html");
    regtrace()
        .args(["--db", &db, "report", "-o"])
        .arg(&report)
        .assert()
        .success();
    let server = serve(&db);
    let base = format!("http://{}", server.addr);
    let driver = driver(&chromedriver);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=ja"],
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.1))
            .await
            .expect("chromedriver starts a chromium session");

        // Search, as a person types it.
        client.goto(&format!("{base}/?lang=ja")).await.unwrap();
        let field = client.find(Locator::Css("input[name=q]")).await.unwrap();
        field.send_keys("人工心臓").await.unwrap();
        client.find(Locator::Css("form.search button")).await.unwrap().click().await.unwrap();
        let found = client.wait().for_element(Locator::LinkText("gl-artificial-heart")).await.unwrap();
        let page = client.source().await.unwrap();
        assert!(page.contains("高機能人工心臓システム"), "the results show the Japanese title");
        keep(&client.screenshot().await.unwrap(), "search.png");

        // The guideline.
        found.click().await.unwrap();
        let heading = client.wait().for_element(Locator::Css("h1")).await.unwrap();
        assert!(heading.text().await.unwrap().contains("高機能人工心臓システム"));
        keep(&client.screenshot().await.unwrap(), "node.png");

        // The impact of the law revision, with its diagram drawn.
        client.find(Locator::LinkText("jp-pal-revision-2013")).await.unwrap().click().await.unwrap();
        client.wait().for_element(Locator::Css("h1")).await.unwrap();
        client
            .find(Locator::Css("p.actions a"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client.wait().for_element(Locator::Css("object.diagram")).await.unwrap();
        // The diagram is its own document (it runs nothing); its nodes are links to their pages.
        let drawn = r#"
            const o = document.querySelector('object.diagram');
            const d = o.contentDocument;
            if (!d || !d.querySelector('svg')) return null;
            return Array.from(d.querySelectorAll('a')).map(a => a.getAttribute('xlink:href') || a.getAttribute('href'));
        "#;
        let mut links = serde_json::Value::Null;
        for _ in 0..100 {
            links = client.execute(drawn, vec![]).await.unwrap();
            if !links.is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let links: Vec<String> = serde_json::from_value(links).expect("the diagram is drawn");
        assert!(
            links.contains(&"/nodes/gl-artificial-heart?lang=ja".to_owned()),
            "each node of the diagram links to its page: {links:?}"
        );
        assert!(client.source().await.unwrap().contains("gl-artificial-heart"));
        // Reason chains as a person reads them: the hit first, back to the change, each hop as
        // stored (before, the page wrote the change first, stating relations that do not exist).
        let read = chains(&client).await;
        assert!(
            read.contains(&"device-artificial-heart-18-cases —covered_by→ gl-artificial-heart —governed_by→ jp-pal-revision-2013".to_owned()),
            "{read:?}"
        );
        let mut headings = Vec::new();
        for h2 in client.find_all(Locator::Css("h2")).await.unwrap() {
            headings.push(h2.text().await.unwrap());
        }
        assert!(
            ["医療機器 (", "ガイドライン ("]
                .iter()
                .all(|kind| headings.iter().any(|h| h.starts_with(kind))),
            "kinds are named in Japanese: {headings:?}"
        );
        keep(&client.screenshot().await.unwrap(), "impact.png");
        // A click on a node in the picture opens its page.
        client
            .execute(
                r#"const d = document.querySelector('object.diagram').contentDocument;
                   const a = Array.from(d.querySelectorAll('a')).find(a => (a.getAttribute('xlink:href') || '').startsWith('/nodes/gl-artificial-heart'));
                   a.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: d.defaultView}));"#,
                vec![],
            )
            .await
            .unwrap();
        client
            .wait()
            .for_url(&format!("{base}/nodes/gl-artificial-heart?lang=ja").parse().unwrap())
            .await
            .unwrap();

        // Close the review of the guideline through the form.
        client.goto(&format!("{base}/reviews?state=open&lang=ja")).await.unwrap();
        let read = chains(&client).await;
        assert!(
            read.contains(&"gl-artificial-heart —governed_by→ jp-pal-revision-2013".to_owned()),
            "the review queue's chains read node first: {read:?}"
        );
        let form = client.find(Locator::Css("form[action='/reviews/1/close']")).await.unwrap();
        form.find(Locator::Css("input[name=by]")).await.unwrap().send_keys("Heart WG").await.unwrap();
        form.find(Locator::Css("input[name=note]")).await.unwrap().send_keys("確認済み").await.unwrap();
        keep(&client.screenshot().await.unwrap(), "reviews.png");
        form.find(Locator::Css("button")).await.unwrap().click().await.unwrap();
        client.wait().for_url(&format!("{base}/reviews?state=closed&event=1&lang=ja").parse().unwrap()).await.unwrap();
        assert!(client.source().await.unwrap().contains("Heart WG"));

        // The impact page in English: the same chain, kinds named in English.
        client.goto(&format!("{base}/impact?id=jp-pal-revision-2013&lang=en")).await.unwrap();
        let read = chains(&client).await;
        assert!(
            read.contains(&"device-artificial-heart-18-cases —covered_by→ gl-artificial-heart —governed_by→ jp-pal-revision-2013".to_owned()),
            "{read:?}"
        );
        assert!(client.find(Locator::XPath("//h2[starts-with(normalize-space(.), 'device (')]")).await.is_ok());
        client.goto(&format!("{base}/reviews?state=closed&event=1&lang=ja")).await.unwrap();

        // The audit page shows the decision.
        client.find(Locator::LinkText("監査")).await.unwrap().click().await.unwrap();
        client.wait().for_element(Locator::Css("h1")).await.unwrap();
        let audit = client.source().await.unwrap();
        assert!(audit.contains("Heart WG") && audit.contains("確認済み"), "the audit shows the decision");
        keep(&client.screenshot().await.unwrap(), "audit.png");

        // The report opens from a file and fetches nothing.
        client
            .goto(&format!("file://{}", report.display()))
            .await
            .unwrap();
        let fetched = client
            .execute("return performance.getEntriesByType('resource').map(e => e.name);", vec![])
            .await
            .unwrap();
        assert_eq!(fetched, serde_json::json!([]), "the report fetched {fetched}");
        let drawn = client
            .execute("return document.querySelectorAll('svg').length;", vec![])
            .await
            .unwrap();
        assert_eq!(drawn, serde_json::json!(1));
        keep(&client.screenshot().await.unwrap(), "report.png");
        client.close().await.unwrap();
    });
}
