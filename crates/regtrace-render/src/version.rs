//! `regtrace version`: the exact build, for a quality system's validation record.

use regtrace_app::Build;

#[derive(serde::Serialize)]
struct BuildJson<'a> {
    version: &'a str,
    commit: &'a str,
    commit_date: &'a str,
    dirty: bool,
    rustc: &'a str,
    target: &'a str,
    sqlite: &'a str,
}

/// The build as JSON.
pub fn json(build: &Build, pretty: bool) -> String {
    let shown = BuildJson {
        version: build.version,
        commit: build.commit,
        commit_date: build.commit_date,
        dirty: build.dirty,
        rustc: build.rustc,
        target: build.target,
        sqlite: build.sqlite(),
    };
    crate::json::text(&shown, pretty)
}

/// The build, one `name  value` line each.
pub fn table(build: &Build, lang: regtrace_core::Lang) -> String {
    use crate::words::Word;
    use unicode_width::UnicodeWidthStr as _;
    let say = |w: Word| w.say(lang).to_owned();
    let rows = [
        (say(Word::Version), build.version.to_owned()),
        (say(Word::Commit), build.commit.to_owned()),
        (say(Word::CommitDate), build.commit_date.to_owned()),
        (
            say(Word::Uncommitted),
            say(if build.dirty { Word::Yes } else { Word::No }),
        ),
        ("rustc".to_owned(), build.rustc.to_owned()),
        (say(Word::BuildTarget), build.target.to_owned()),
        ("SQLite".to_owned(), build.sqlite().to_owned()),
    ];
    rows.iter()
        .map(|(k, v)| format!("{k}{} {v}\n", " ".repeat(20usize.saturating_sub(k.width()))))
        .collect()
}
