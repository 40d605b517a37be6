//! `verify` reports: a line per check for people, one JSON document for scripts.

use regtrace_app::verify::{SnapshotCheck, Verified};

fn snapshot_words(check: &SnapshotCheck) -> String {
    match check {
        SnapshotCheck::Sound => "sound (every section passes its checksum)".into(),
        SnapshotCheck::Missing => "missing".into(),
        SnapshotCheck::NotCurrent => {
            "not current (left by an interrupted import, or by an older regtrace)".into()
        }
        SnapshotCheck::Damaged(why) => format!("damaged: {why}"),
        SnapshotCheck::Empty => "none needed (no data imported yet)".into(),
    }
}

/// For people: the file, the rows, the snapshot, and what to do.
pub fn table(v: &Verified) -> String {
    let mut text = format!("{}\n", v.db.display());
    if v.integrity.is_empty() {
        text.push_str("  file:     sound (SQLite integrity_check ok)\n");
    } else {
        text.push_str(&format!("  file:     {} problem(s):\n", v.integrity.len()));
        for p in &v.integrity {
            text.push_str(&format!("            {p}\n"));
        }
    }
    match &v.rows {
        Ok((nodes, edges)) => text.push_str(&format!("  data:     valid ({nodes} nodes, {edges} edges)\n")),
        Err(problems) => text.push_str(&format!("  data:     invalid:\n{problems}\n")),
    }
    text.push_str(&format!("  snapshot: {}\n", snapshot_words(&v.snapshot)));
    if v.repaired {
        text.push_str("  repaired: the snapshot was rebuilt from the rows and now passes every check\n");
    }
    let advice = if v.sound() {
        "sound"
    } else if !v.integrity.is_empty() || v.rows.is_err() {
        "not sound: restore the database from a backup, or re-import the source files"
    } else {
        "not sound: `verify --repair` rebuilds the snapshot from the rows (queries read the rows meanwhile)"
    };
    text.push_str(&format!("{advice}\n"));
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
            "snapshot": {"state": state, "problem": why},
            "repaired": v.repaired,
        }),
        pretty,
    )
}
