//! Records which build this is (the git commit, and whether the working tree had changes) so
//! that reports and `--version` can name the exact build a quality system validated.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn main() {
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
        .map(|s| !s.is_empty())
        .unwrap_or(false);
    let date = git(&["log", "-1", "--format=%cs"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=REGTRACE_COMMIT={commit}");
    println!("cargo:rustc-env=REGTRACE_COMMIT_DATE={date}");
    println!("cargo:rustc-env=REGTRACE_DIRTY={dirty}");
    // The compiler and the platform, for a quality system's record of the build.
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=REGTRACE_RUSTC={rustc_version}");
    println!(
        "cargo:rustc-env=REGTRACE_TARGET={}",
        std::env::var("TARGET").unwrap_or_else(|_| "unknown".into())
    );
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let note = if dirty { ", with uncommitted changes" } else { "" };
    println!("cargo:rustc-env=REGTRACE_VERSION_TEXT={version} (commit {commit}, {date}{note})");
    // Build again when HEAD moves or the index changes (a commit, a checkout).
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/index");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
