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
pub fn table(build: &Build) -> String {
    let rows = [
        ("version", build.version.to_owned()),
        ("commit", build.commit.to_owned()),
        ("commit date", build.commit_date.to_owned()),
        (
            "uncommitted changes",
            if build.dirty { "yes" } else { "no" }.to_owned(),
        ),
        ("rustc", build.rustc.to_owned()),
        ("target", build.target.to_owned()),
        ("SQLite", build.sqlite().to_owned()),
    ];
    rows.iter().map(|(k, v)| format!("{k:<20} {v}\n")).collect()
}
