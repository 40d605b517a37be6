//! The kept history as a directory of text files, one per change event (`event-0001.json`, …):
//! the event and the reviews it opened, each with its decisions, indented one field per line so
//! that a team can keep the history in git and review each change in a pull request.
//! `export --history-dir DIR` writes it; `import --history-dir DIR` restores it.

use std::path::Path;
use std::sync::Arc;

use regtrace_core::record::{EventRecord, History, ReviewRecord};
use regtrace_core::{Diagnostic, Diagnostics, Location};
use serde::{Deserialize, Serialize};

/// The value of the `format` key of each file.
pub const FORMAT: &str = "regtrace-history";
/// The file version this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFile {
    format: String,
    version: u32,
    event: EventRecord,
    #[serde(default)]
    reviews: Vec<ReviewRecord>,
}

/// The files of `history`: (file name, text), one per event, in event order.
pub fn files(history: &History) -> Vec<(String, String)> {
    history
        .events
        .iter()
        .map(|event| {
            let file = EventFile {
                format: FORMAT.to_owned(),
                version: VERSION,
                event: event.clone(),
                reviews: history
                    .reviews
                    .iter()
                    .filter(|r| r.event == event.id)
                    .cloned()
                    .collect(),
            };
            let mut text = regtrace_core::text::json_string(&file, true);
            text.push('\n');
            (format!("event-{:04}.json", event.id), text)
        })
        .collect()
}

/// Reads the history files of `dir` (`event-*.json`, in name order), every problem with its
/// file and line.
pub fn read(dir: &Path) -> Result<History, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let listing = std::fs::read_dir(dir).map_err(|e| {
        Diagnostics(vec![
            Diagnostic::new(
                Some(Location::file(Arc::from(dir.display().to_string()))),
                format!("cannot read the history directory: {e}"),
            )
            .with_hint("name the directory `regtrace export --history-dir` wrote"),
        ])
    })?;
    let mut paths: Vec<_> = listing
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("event-") && n.ends_with(".json"))
        })
        .collect();
    paths.sort();
    let mut history = History::default();
    // Each event's file and text, to name where a broken chain link is.
    let mut read: std::collections::HashMap<i64, (Arc<str>, String)> = std::collections::HashMap::new();
    for path in paths {
        let file: Arc<str> = Arc::from(path.display().to_string());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    Some(Location::file(file)),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        match serde_json::from_str::<EventFile>(&text) {
            Ok(f) if f.format != FORMAT || f.version != VERSION => diagnostics.push(
                Diagnostic::new(
                    Some(Location::new(file, Some(1), None)),
                    format!("unsupported history file {:?} version {}", f.format, f.version),
                )
                .with_hint(format!("this regtrace reads \"{FORMAT}\" version {VERSION}")),
            ),
            Ok(f) => {
                if let Some(r) = f.reviews.iter().find(|r| r.event != f.event.id) {
                    diagnostics.push(Diagnostic::new(
                        Some(Location::new(file, None, None)),
                        format!(
                            "review #{} belongs to event #{}, not to this file's event #{}",
                            r.id, r.event, f.event.id
                        ),
                    ));
                    continue;
                }
                read.insert(f.event.id, (file.clone(), text.clone()));
                history.events.push(f.event);
                history.reviews.extend(f.reviews);
            }
            Err(e) => diagnostics.push(
                Diagnostic::new(
                    Some(Location::new(file, Some(e.line().max(1) as u32), Some(e.column() as u32))),
                    format!("invalid history file: {e}"),
                )
                .with_hint("each file holds {\"format\": \"regtrace-history\", \"version\": 1, \"event\": {…}, \"reviews\": [...]} as `regtrace export --history-dir` writes it"),
            ),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    history.events.sort_by_key(|e| e.id);
    history.reviews.sort_by_key(|r| r.id);
    let problems = check(&history, |place| {
        let (file, text) = place.event.and_then(|e| read.get(&e))?;
        Some(at_hash(file, text, place.hash.as_deref()))
    });
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(history)
}

/// Where in `text` (of `file`) the record carrying `hash` is: the line of its hash, else the
/// file's first line.
pub(crate) fn at_hash(file: &Arc<str>, text: &str, hash: Option<&str>) -> Location {
    let line = hash
        .and_then(|h| text.find(h))
        .map_or(1, |at| text[..at].matches('\n').count() + 1);
    Location::new(file.clone(), Some(u32::try_from(line).unwrap_or(u32::MAX)), None)
}

/// Checks a history read from a file as data ([`History::problems`]: numbers, references,
/// dates), then, when sealed, its hash chain (one from before the chain, with no seal at all,
/// is taken as it is and sealed when stored). Each problem is placed where `locate` finds its
/// record (the event it belongs to, the hash it carries).
pub(crate) fn check(
    history: &History,
    locate: impl Fn(&regtrace_core::record::Place) -> Option<Location>,
) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = history
        .problems_now()
        .into_iter()
        .map(|p| {
            Diagnostic::new(locate(&p.place), format!("{}: {}", p.record, p.problem))
                .with_hint("a history holds what regtrace recorded: import it as `regtrace export` wrote it")
        })
        .collect();
    if found.is_empty()
        && !history.is_unsealed()
        && let Err(problem) = history.check_chain()
    {
        found.push(
            Diagnostic::new(
                locate(&problem.place),
                format!("the history's hash chain does not hold: {problem}"),
            )
            .with_hint(
                "the history was edited after regtrace wrote it, or a record was added or removed; \
                 import it as `regtrace export` wrote it (a decision is corrected with `regtrace review \
                 correct`, which keeps the one it corrects)",
            ),
        );
    }
    found
}
