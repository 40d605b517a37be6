//! `regtrace report`: one self-contained HTML file with the audit, the reviews as evidence and
//! the impact of each recorded change, drawn inline; nothing in it fetches or runs anything.

use crate::{fixture, fresh_db, regtrace, stderr_of};

/// The report of `db` (with `args`), parsed as XML to prove it well-formed.
fn report(db: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    regtrace()
        .args(["--db", db, "report", "-o"])
        .arg(&out)
        .args(args)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(&html, options).expect("the report is well-formed");
    html
}

/// Nothing fetched or run: no script, no external stylesheet, font, image or frame.
fn self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for needle in [
        "<script",
        "<link",
        "<iframe",
        "<img",
        "@import",
        "url(",
        "javascript:",
        "src=",
    ] {
        assert!(!lower.contains(needle), "the report has {needle}");
    }
}

#[test]
fn the_report_holds_the_audit_the_decisions_and_each_changes_impact_drawn_inline() {
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
            "Cell WG",
            "--date",
            "2013-12-01",
            "--note",
            "no change needed",
        ])
        .assert()
        .success();
    let html = report(&db, &[]);
    self_contained(&html);
    for needle in [
        "regtrace audit",
        "data sha256",
        "Change #1 on jp-pal-revision-2013: law revised (2013-11-20, recorded by RA)",
        "<svg",
        "gl-cell-sheet",
        "Cell WG",
        "no change needed",
        "page-break-before",
        "高機能人工心臓システム",
    ] {
        assert!(html.contains(needle), "the report lacks {needle:?}");
    }
    assert_eq!(html.matches("<svg").count(), 1, "one diagram per change");
    // Reason chains in the one notation, from the hit back to the change, each hop as stored
    // (before: "jp-pal-revision-2013 —governed_by→ gl-artificial-heart", which is false).
    assert!(
        html.contains("<span class=\"chain\">device-artificial-heart-18-cases <span class=\"rel\">—covered_by→</span> gl-artificial-heart <span class=\"rel\">—governed_by→</span> jp-pal-revision-2013</span>"),
        "the chain reads node first"
    );
    assert!(
        !html.contains("jp-pal-revision-2013 —governed_by→")
            && !html.contains("jp-pal-revision-2013 <span class=\"rel\">—governed_by→"),
        "no chain reads cause first"
    );
    // In Japanese: the same chains, every heading and label in Japanese.
    let ja = report(&db, &["--lang", "ja"]);
    assert!(ja.contains("<html lang=\"ja\">"));
    for needle in [
        "<span class=\"chain\">device-artificial-heart-18-cases <span class=\"rel\">—covered_by→</span> gl-artificial-heart <span class=\"rel\">—governed_by→</span> jp-pal-revision-2013</span>",
        "変更 #1（jp-pal-revision-2013）: law revised（2013-11-20、記録者 RA）",
        "regtrace 監査",
        "影響を受けるノード",
        "<span class=\"kind device\">医療機器</span>",
    ] {
        assert!(ja.contains(needle), "the Japanese report lacks {needle:?}");
    }
    for english in ["Change #1", "nodes impacted", "Coverage", ">reason<", ">kind<"] {
        assert!(!ja.contains(english), "the Japanese report says {english:?}");
    }
    // One event and a node besides: two sections, each drawn.
    let html = report(&db, &["--event", "1", "--impact-of", "std-iso-artificial-heart"]);
    assert_eq!(html.matches("class=\"section\"").count(), 2);
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("Impact of a change to std-iso-artificial-heart"));
    let stderr = stderr_of(regtrace().args(["--db", &db, "report", "--event", "9"]), 2);
    assert!(stderr.contains("no change event #9"), "{stderr}");
}

#[test]
fn hostile_titles_stay_text_in_the_report() {
    let (_dir, db) = fresh_db(&[fixture("hostile")]);
    let html = report(&db, &["--impact-of", "std-formula"]);
    self_contained(&html);
    assert!(
        html.contains("&lt;script&gt;"),
        "the hostile title is shown, escaped"
    );
}

/// Issue 36, item 4: the report an auditor files says what it is (title, document number,
/// revision), who prepared and approves it (with lines to sign), and pins the history it was made
/// from (the hash chain's head); the audit says the same.
#[test]
fn a_filed_report_carries_its_title_block_and_the_historys_head() {
    let (dir, db) = crate::fresh_db(&[crate::data("meti-2013")]);
    regtrace()
        .args([
            "--db",
            &db,
            "change",
            "record",
            "jp-pal-revision-2013",
            "--what",
            "law revised",
            "--date",
            "2013-11-20",
        ])
        .assert()
        .success();
    let block = [
        "--title",
        "Guideline review after the 2013 PAL revision",
        "--doc-id",
        "QA-2014-003",
        "--revision",
        "B",
        "--prepared-by",
        "Hanako Sato, RA engineer",
        "--approved-by",
        "Taro Suzuki, QA manager",
    ];
    let path = dir.path().join("report.html");
    let mut args = vec!["--db", db.as_str(), "report", "-o", path.to_str().unwrap()];
    args.extend(block);
    regtrace().args(&args).assert().success();
    let html = std::fs::read_to_string(&path).unwrap();
    let head = crate::json(&["--db", &db, "verify", "--format", "json"])["history"]["head"]
        .as_str()
        .unwrap()
        .to_owned();
    for needle in [
        "<h1>Guideline review after the 2013 PAL revision</h1>",
        "<th>document</th><td>QA-2014-003</td>",
        "<th>revision</th><td>B</td>",
        "Sign-off",
        "<td>prepared by</td><td>Hanako Sato</td><td>RA engineer</td><td></td><td></td>",
        "<td>approved by</td><td>Taro Suzuki</td><td>QA manager</td>",
        &format!("hash chain head {head}"),
    ] {
        assert!(html.contains(needle), "the report lacks {needle:?}");
    }
    let mut args = vec![
        "--db",
        db.as_str(),
        "audit",
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    args.extend(block);
    let audited = crate::json(&args);
    assert_eq!(audited["document"]["doc_id"], "QA-2014-003");
    assert_eq!(audited["document"]["approved_by"][0]["role"], "QA manager");
}
