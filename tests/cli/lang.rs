//! `--lang en|ja` (and `REGTRACE_LANG`): every command that prints titles shows them in the
//! language asked, and in English never shows a Japanese title where an English one exists.

use crate::{data, fixture, fresh_db, regtrace, stdout};

const KNEE_EN: &str = "Highly biocompatible (custom-made) artificial knee joint";
const KNEE_JA: &str = "高生体適合性(カスタムメイド)人工膝関節";
const LAW_EN: &str = "Pharmaceutical Affairs Law revision (enacted 2013-11-20)";
const LAW_JA: &str = "薬事法改正（平成２５年１１月２０日成立）";
const EXTRA_EN: &str = "A guideline that later leaves the data";
const EXTRA_JA: &str = "後でデータから外れるガイドライン";
const ISO_EN: &str = "ISO 10993-1:2009 Biological evaluation of medical devices — Part 1";
const ISO_JA: &str = "ISO 10993-1:2009 医療機器の生物学的評価－第1部";

/// Runs `args` with `--lang ja`, with `--lang en` and with no `--lang`, and checks which of the
/// pair of titles each shows.
fn shows_in_both(args: &[&str], en: &str, ja: &str) {
    let with = |lang: Option<&str>| {
        let mut all: Vec<&str> = args.to_vec();
        if let Some(lang) = lang {
            all.extend(["--lang", lang]);
        }
        stdout(&all)
    };
    let japanese = with(Some("ja"));
    assert!(
        japanese.contains(ja),
        "{args:?} --lang ja lacks {ja}:\n{japanese}"
    );
    for english in [with(Some("en")), with(None)] {
        assert!(english.contains(en), "{args:?} in English lacks {en}:\n{english}");
        assert!(
            !english.contains(ja),
            "{args:?} in English shows {ja}:\n{english}"
        );
    }
}

#[test]
fn every_command_that_prints_titles_shows_them_in_the_language_asked() {
    let (_dir, db) = fresh_db(&[data("meti-2013"), fixture("review")]);
    stdout(&[
        "--db",
        &db,
        "change",
        "record",
        "jp-pal-revision-2013",
        "--what",
        "law revision enacted",
        "--date",
        "2013-11-20",
    ]);
    let db = db.as_str();
    let knee = |args: &[&str]| shows_in_both(args, KNEE_EN, KNEE_JA);
    knee(&["impact", "jp-pal-revision-2013"]);
    knee(&["deps", "gl-custom-knee"]);
    knee(&["path", "gl-custom-knee", "jp-pal-revision-2013"]);
    knee(&["search", "knee"]);
    knee(&["show", "jp-pal-revision-2013"]);
    knee(&["list", "--kind", "guideline"]);
    knee(&["matrix", "--rows", "guideline", "--cols", "regulation"]);
    // Diagrams wrap long titles; the field's is short.
    shows_in_both(
        &["export", "--root", "gl-custom-knee", "--format", "dot"],
        "Implantable materials",
        "体内埋め込み型材料",
    );
    knee(&[
        "--db",
        db,
        "audit",
        "--rule",
        "needs-review",
        "--fail-on",
        "never",
    ]);
    knee(&["--db", db, "review", "list"]);
    shows_in_both(&["--db", db, "change", "list"], LAW_EN, LAW_JA);
    shows_in_both(
        &["diff", data("meti-2013").to_str().unwrap(), db, "--impact"],
        EXTRA_EN,
        EXTRA_JA,
    );
    let (_editions_dir, editions_db) = fresh_db(&[fixture("editions")]);
    shows_in_both(
        &[
            "--db",
            &editions_db,
            "editions",
            "iso-10993-1",
            "--as-of",
            "2015-01-01",
        ],
        ISO_EN,
        ISO_JA,
    );
}

#[test]
fn the_environment_sets_the_language_and_the_option_overrides_it() {
    let run = |lang_env: &str, args: &[&str]| {
        let output = regtrace()
            .env("REGTRACE_LANG", lang_env)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(run("ja", &["list", "--kind", "guideline"]).contains(KNEE_JA));
    assert!(run("ja", &["list", "--kind", "guideline", "--lang", "en"]).contains(KNEE_EN));
    // JSON carries both, whatever the language.
    let json = run("en", &["show", "gl-custom-knee", "--format", "json"]);
    assert!(json.contains(KNEE_EN) && json.contains(KNEE_JA), "{json}");
}

/// A diagram's legend speaks the diagram's language, as its titles do.
#[test]
fn a_diagram_legend_is_in_the_language_asked() {
    let dot = |lang: &str| {
        stdout(&[
            "export",
            "--impact-of",
            "jp-pal-revision-2013",
            "--lang",
            lang,
            "--format",
            "dot",
        ])
    };
    let (en, ja) = (dot("en"), dot("ja"));
    for (english, japanese) in [
        ("label=\"Legend\"", "label=\"凡例\""),
        ("published / in force", "発行済み・施行中"),
        ("changed / start node", "変更・起点のノード"),
    ] {
        assert!(en.contains(english) && !en.contains(japanese), "{english}");
        assert!(ja.contains(japanese) && !ja.contains(english), "{japanese}");
    }
}
