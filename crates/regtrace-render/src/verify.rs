//! `verify` reports: a line per check for people, one JSON document for scripts.

use regtrace_app::verify::{SnapshotCheck, Verified};
use regtrace_core::Lang;
use unicode_width::UnicodeWidthStr as _;

use crate::words::{Phrase, Word};

fn snapshot_words(check: &SnapshotCheck, lang: Lang) -> String {
    match check {
        SnapshotCheck::Sound => Word::SnapshotSound.say(lang).into(),
        SnapshotCheck::Missing => Word::SnapshotMissing.say(lang).into(),
        SnapshotCheck::NotCurrent => Word::SnapshotNotCurrent.say(lang).into(),
        SnapshotCheck::Damaged(why) => format!("{}: {why}", Word::Damaged.say(lang)),
        SnapshotCheck::Empty => Word::SnapshotNotNeeded.say(lang).into(),
    }
}

/// For people: the file, the rows, the snapshot, and what to do.
pub fn table(v: &Verified, lang: Lang) -> String {
    // Labels padded to one width, so the values line up in either language.
    let labels = [
        Word::File,
        Word::Data,
        Word::Snapshot,
        Word::Repaired,
        Word::HistoryLabel,
    ]
    .map(|w| format!("{}:", w.say(lang)));
    let width = labels.iter().map(|l| l.width()).max().unwrap_or(0) + 1;
    let label = |i: usize| format!("  {}{}", labels[i], " ".repeat(width - labels[i].width()));
    let mut text = format!("{}\n", v.db.display());
    if v.integrity.is_empty() {
        text.push_str(&format!("{}{}\n", label(0), Word::FileSound.say(lang)));
    } else {
        text.push_str(&format!(
            "{}{}\n",
            label(0),
            Phrase::Problems(v.integrity.len()).say(lang)
        ));
        for p in &v.integrity {
            text.push_str(&format!("{}{p}\n", " ".repeat(width + 2)));
        }
    }
    match &v.rows {
        Ok((nodes, edges)) => text.push_str(&format!(
            "{}{}\n",
            label(1),
            Phrase::ValidData {
                nodes: *nodes,
                edges: *edges
            }
            .say(lang)
        )),
        Err(problems) => text.push_str(&format!("{}{}:\n{problems}\n", label(1), Word::Invalid.say(lang))),
    }
    match &v.history {
        Ok(head) => text.push_str(&format!(
            "{}{}\n",
            label(4),
            Phrase::ChainHead {
                length: head.length,
                hash: head.hash.clone()
            }
            .say(lang)
        )),
        Err(problems) => {
            text.push_str(&format!(
                "{}{}\n",
                label(4),
                Phrase::Problems(problems.len()).say(lang)
            ));
            for p in problems {
                text.push_str(&format!("{}{p}\n", " ".repeat(width + 2)));
            }
        }
    }
    text.push_str(&format!("{}{}\n", label(2), snapshot_words(&v.snapshot, lang)));
    if v.repaired {
        text.push_str(&format!("{}{}\n", label(3), Word::RepairedSnapshot.say(lang)));
    }
    let advice = if v.sound() {
        Word::Sound
    } else if v.integrity.is_empty() && v.rows.is_ok() && v.history.is_err() {
        Word::NotSoundHistory
    } else if !v.integrity.is_empty() || v.rows.is_err() {
        Word::NotSoundRestore
    } else {
        Word::NotSoundRepair
    };
    text.push_str(&format!("{}\n", advice.say(lang)));
    text
}

/// One JSON document.
pub fn json(v: &Verified, pretty: bool) -> String {
    let (state, why) = match &v.snapshot {
        SnapshotCheck::Sound => ("sound", None),
        SnapshotCheck::Missing => ("missing", None),
        SnapshotCheck::NotCurrent => ("not_current", None),
        SnapshotCheck::Damaged(why) => ("damaged", Some(why.as_str())),
        SnapshotCheck::Empty => ("empty", None),
    };
    crate::json::text(
        &serde_json::json!({
            "db": v.db.display().to_string(),
            "sound": v.sound(),
            "integrity": v.integrity,
            "rows": match &v.rows {
                Ok((nodes, edges)) => serde_json::json!({"valid": true, "nodes": nodes, "edges": edges}),
                Err(problems) => serde_json::json!({"valid": false, "problems": problems}),
            },
            "history": match &v.history {
                Ok(head) => serde_json::json!({"sound": true, "records": head.length, "head": head.hash}),
                Err(problems) => serde_json::json!({"sound": false, "problems": problems}),
            },
            "snapshot": {"state": state, "problem": why},
            "repaired": v.repaired,
        }),
        pretty,
    )
}
