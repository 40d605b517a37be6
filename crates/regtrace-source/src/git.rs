//! Reading a data set as it was at a git revision (`git:REV:PATH`), through the `git` program,
//! without touching the working tree.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Graph, Location, RelationCatalog};

use crate::{Collected, Format};

/// A `git:REV:PATH` source: a revision and a path relative to the current directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    /// Any revision git understands (`HEAD~1`, a tag, a commit).
    pub rev: String,
    /// A data directory or file, relative to the current directory.
    pub path: String,
}

impl GitSource {
    /// Parses `git:REV:PATH`; `None` if `spec` does not start with `git:`. A missing part is an
    /// error that says how to write it.
    pub fn parse(spec: &str) -> Option<Result<GitSource, Diagnostic>> {
        let rest = spec.strip_prefix("git:")?;
        Some(match rest.split_once(':') {
            Some((rev, path)) if !rev.is_empty() && !path.is_empty() => Ok(GitSource {
                rev: rev.to_owned(),
                path: path.to_owned(),
            }),
            _ => Err(Diagnostic::new(None, format!("{spec:?} is not a git source"))
                .with_hint("write git:REV:PATH, e.g. git:HEAD~1:data or git:v1.0:data/standards.toml")),
        })
    }

    fn name(&self, file: &str) -> String {
        format!("git:{}:{file}", self.rev)
    }
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// Reads every `.toml`, `.csv` and `.json` file under `source.path` at `source.rev` (in name
/// order, hidden files skipped, as for a directory) and validates them into one graph.
/// Diagnostics name files as `git:REV:FILE`.
pub fn load_git(source: &GitSource, catalog: Option<RelationCatalog>) -> Result<Graph, Diagnostics> {
    let whole = Some(Location::file(Arc::from(source.name(&source.path))));
    let fail = |message: String, hint: &str| {
        Diagnostics(vec![Diagnostic::new(whole.clone(), message).with_hint(hint)])
    };
    let listing = git(&[
        "ls-tree",
        "-r",
        "-z",
        "--name-only",
        &source.rev,
        "--",
        &source.path,
    ])
    .map_err(|e| {
        fail(
            format!("git cannot list it: {e}"),
            "check the revision (`git log --oneline`) and that you run regtrace inside the repository",
        )
    })?;
    let mut files: Vec<String> = listing
        .split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .filter(|name| {
            let path = Path::new(name);
            let hidden = path.components().any(|c| {
                c.as_os_str()
                    .to_str()
                    .is_some_and(|s| s.starts_with('.') && s != "." && s != "..")
            });
            !hidden && Format::for_path(path, None, false).is_some()
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(fail(
            format!("no {} file at {}", Format::detected_extensions(), source.path),
            "the path is relative to the current directory and must exist at that revision",
        ));
    }
    let mut diagnostics = Diagnostics::default();
    let mut collected = Collected::default();
    for file in files {
        let name: Arc<str> = Arc::from(source.name(&file));
        // `REV:./PATH` is relative to the current directory, as ls-tree printed it.
        let object = format!("{}:./{file}", source.rev);
        match git(&["show", &object]) {
            Ok(bytes) => {
                if let Some(format) = Format::for_path(Path::new(&file), None, false) {
                    format.read(&name, crate::Bytes::Read(bytes), &mut collected, &mut diagnostics);
                }
            }
            Err(e) => diagnostics.push(Diagnostic::new(
                Some(Location::file(name)),
                format!("git cannot read it: {e}"),
            )),
        }
    }
    collected.all_read(&mut diagnostics);
    collected.finish(catalog, diagnostics)
}
