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

/// The English words regtrace says of its own (headings, column heads, kind, status, severity and
/// state names, and the words its sentences are made of), from the message table itself, plus
/// the words of sentences the message table words whole.
fn english_labels() -> Vec<String> {
    use regtrace_render::words::{Word, kind, severity, status};
    let mut labels: Vec<String> = Word::ALL
        .iter()
        .map(|w| w.both())
        .filter(|(en, ja)| !en.eq_ignore_ascii_case(ja))
        .map(|(en, _)| en.to_lowercase())
        .collect();
    labels.extend(
        regtrace_core::NodeKind::ALL
            .iter()
            .map(|k| kind(*k, regtrace_core::Lang::En).to_owned()),
    );
    labels.extend(
        regtrace_core::Status::ALL
            .iter()
            .map(|s| status(*s, regtrace_core::Lang::En).to_owned()),
    );
    labels.extend(
        [
            regtrace_core::audit::Severity::Error,
            regtrace_core::audit::Severity::Warning,
            regtrace_core::audit::Severity::Info,
        ]
        .map(|s| severity(s, regtrace_core::Lang::En).to_owned()),
    );
    labels.extend(
        [
            "impacted",
            "nodes",
            "edges",
            "found",
            "errors",
            "warnings",
            "hops",
            "imported",
            "recorded",
            "opened",
            "closed",
            "corrected",
            "valid",
            "rows",
            "columns",
            "linked cells",
            "added",
            "removed",
            "relations",
            "shown",
            "more",
            // Words of the audit's findings.
            "links",
            "needs",
            "changed",
            "reviewed",
            "current",
        ]
        .map(str::to_owned),
    );
    labels.sort();
    labels.dedup();
    labels
}

/// Every string with a space in it anywhere in `value`: the data's titles, descriptions, notes,
/// rule texts and finding messages, which stay as the data (and the rules file) wrote them.
fn sentences(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.contains(' ') => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| sentences(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| sentences(v, out)),
        _ => {}
    }
}

/// What is left of a Japanese output once the data's own text is taken out: the sentences of
/// the data, ids and other tokens with `-`, `_`, `.`, `/` or digits, flags (`--limit`) and
/// commands quoted in backticks.
fn labels_left(text: &str, data: &[String]) -> String {
    let mut text = text.to_owned();
    for sentence in data {
        text = text.replace(sentence.as_str(), " ");
    }
    let mut out = String::new();
    let mut quoted = false;
    for piece in text.split('`') {
        if !quoted {
            out.push_str(piece);
        }
        quoted = !quoted;
        out.push(' ');
    }
    out.split(|c: char| c.is_whitespace() || "(),:;|[]{}\"'→←—…「」（）、。：".contains(c))
        .filter(|token| !token.is_empty() && token.bytes().all(|b| b.is_ascii_alphabetic()))
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[test]
fn in_japanese_no_english_label_is_left_in_any_command() {
    let (dir, db) = fresh_db(&[data("meti-2013"), fixture("editions")]);
    let db = db.as_str();
    let with_db = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--db", db, "--lang", "ja"];
        all.extend_from_slice(args);
        all.into_iter().map(str::to_owned).collect()
    };
    let run = |args: &[String]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = regtrace().args(&args).output().unwrap();
        assert!(!output.stdout.is_empty(), "{args:?} printed nothing");
        String::from_utf8(output.stdout).unwrap()
    };
    let labels = english_labels();
    let mut left = Vec::new();
    let mut check = |args: &[&str], text: &str, data_text: &[String]| {
        let words = format!(" {} ", labels_left(text, data_text));
        for label in &labels {
            if words.contains(&format!(" {label} ")) {
                left.push(format!("{args:?}: {label:?} in\n{text}"));
            }
        }
    };
    // What changes the history first (its answers hold no data text but ids and notes).
    for args in [
        vec![
            "change",
            "record",
            "jp-pal-revision-2013",
            "--what",
            "改正法の施行",
            "--date",
            "2013-11-20",
            "--by",
            "薬事担当",
        ],
        vec![
            "review",
            "close",
            "gl-custom-knee",
            "--outcome",
            "unchanged",
            "--by",
            "膝WG",
            "--note",
            "確認済み",
        ],
        vec![
            "review",
            "correct",
            "gl-custom-knee",
            "--outcome",
            "revised",
            "--by",
            "膝WG",
            "--note",
            "訂正",
        ],
    ] {
        check(&args, &run(&with_db(&args)), &[]);
    }
    // The data's own sentences: every text of the data set, and the reasons and gaps of an
    // impact. (Not the audit's: its findings and the shipped rules' texts are said in Japanese.)
    let mut data_text = Vec::new();
    for args in [
        vec!["export"],
        vec!["impact", "jp-pal-revision-2013", "--format", "json"],
        vec!["editions", "iso-10993-1", "--format", "json"],
    ] {
        let value: serde_json::Value = serde_json::from_str(&run(&with_db(&args))).unwrap();
        sentences(&value, &mut data_text);
    }
    data_text.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let source = data("meti-2013");
    let source = source.to_str().unwrap();
    let out_dir = dir.path().join("events");
    let commands: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--limit", "3"],
        vec!["show", "gl-custom-knee"],
        vec!["show", "iso-10993-1-2009"],
        vec!["search", "人工"],
        vec!["stats"],
        vec!["path", "gl-custom-knee", "jp-pal-revision-2013"],
        vec!["impact", "jp-pal-revision-2013"],
        vec!["impact", "jp-pal-revision-2013", "--summary"],
        vec!["deps", "gl-custom-knee"],
        vec!["editions", "iso-10993-1", "--as-of", "2020-01-01"],
        vec!["review", "list"],
        vec!["change", "list"],
        vec!["audit", "--fail-on", "never"],
        vec![
            "matrix",
            "--rows",
            "guideline",
            "--cols",
            "standard",
            "--hide-empty",
        ],
        vec!["verify"],
        vec!["version"],
        vec!["check", source],
        vec!["export", "--history-dir", out_dir.to_str().unwrap()],
    ];
    for args in commands {
        check(&args, &run(&with_db(&args)), &data_text);
    }
    assert!(left.is_empty(), "English labels left:\n{}", left.join("\n"));
}

/// Why a hit is probably unaffected is regtrace's sentence, not the data's: in Japanese it is
/// said in Japanese (the JSON keeps the English of the API).
#[test]
fn the_reason_a_hit_is_probably_unaffected_is_said_in_the_language_asked() {
    let (_dir, db) = fresh_db(&[fixture("pump/v1"), fixture("pump/v2")]);
    let ja = stdout(&["--db", &db, "--lang", "ja", "impact", "iec-60601-1-ed3.1"]);
    assert!(
        ja.contains("変更には箇条 iec-60601-1-ed3.1-c8 を通じてのみ依拠し、iec-60601-1-ed3.2 はこれを iec-60601-1-ed3.2-c8 として引き継いでいる"),
        "{ja}"
    );
    assert!(!ja.contains("rests on the change"), "{ja}");
    let en = stdout(&["--db", &db, "impact", "iec-60601-1-ed3.1"]);
    assert!(
        en.contains("probably unaffected: rests on the change only through clause iec-60601-1-ed3.1-c8"),
        "{en}"
    );
}

/// A relation is shown by its name as data files write it and, in Japanese, by the catalog's
/// Japanese name beside it; a JSON document carries the names, so a restored database shows
/// them too.
#[test]
fn relations_are_named_in_japanese_from_the_catalog() {
    let (dir, db) = fresh_db(&[fixture("pump/v1")]);
    let ja = stdout(&["--db", &db, "--lang", "ja", "show", "gl-infusion-pump"]);
    assert!(
        ja.contains("要求（requires） →") && ja.contains("適用（covered_by） ←"),
        "{ja}"
    );
    let en = stdout(&["--db", &db, "show", "gl-infusion-pump"]);
    assert!(en.contains("requires →") && !en.contains("要求"), "{en}");
    let document = dir.path().join("all.json");
    regtrace()
        .args(["--db", &db, "export", "--format", "json", "-o"])
        .arg(&document)
        .assert()
        .success();
    let restored = dir.path().join("restored.db");
    crate::import_into(&restored, &[document]);
    let stats = stdout(&["--db", restored.to_str().unwrap(), "--lang", "ja", "stats"]);
    assert!(stats.contains("検証方法（verified_by）"), "{stats}");
    // Without a database: the built-in catalog's names.
    let seed = stdout(&["--lang", "ja", "stats"]);
    assert!(seed.contains("準拠法規（governed_by）"), "{seed}");
}
