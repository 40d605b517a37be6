//! The kept history (change events, the reviews they opened, the decisions that closed them) as
//! plain records: what a lossless JSON document carries, so a database's history can travel to
//! another database and be restored exactly (numbers, dates, who, causes).
//!
//! The records are sealed in one hash chain, in the order they were recorded: each carries its
//! place (`seq`) and a SHA-256 over the previous record's hash and its own content
//! ([`Entry::hash`]). A record edited afterwards no longer matches its hash, and every record
//! after it names the one before: [`History::check_chain`] finds the first record that does not
//! match. (Someone who can write the database can rebuild the whole chain; the head hash a
//! report prints is what catches that.)

use serde::{Deserialize, Serialize};

/// A recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    /// Event number.
    pub id: i64,
    /// The node that changed.
    pub node: String,
    /// What happened.
    pub what: String,
    /// When it took effect (YYYY-MM-DD).
    pub date: String,
    /// A free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When it was recorded (UTC).
    pub recorded_at: String,
    /// Its place in the history's hash chain (1, 2, … in order of recording), when sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// SHA-256 (hex) over the previous record's hash and this record's content ([`Entry::hash`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// A decision on a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// Decision number.
    pub id: i64,
    /// The earlier decision of the same review this one corrects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<i64>,
    /// `unchanged`, `revised` or `withdrawn`.
    pub outcome: String,
    /// With `revised`: the replacing node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// Who decided.
    pub by: String,
    /// A free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The day decided, when given (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<String>,
    /// A reference accepted on purpose: the (older) node the reviewed node keeps resting on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keeps: Option<String>,
    /// Why the reference is accepted (with `keeps`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub because: Option<String>,
    /// When it was recorded (UTC).
    pub decided_at: String,
    /// Its place in the history's hash chain (1, 2, … in order of recording), when sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// SHA-256 (hex) over the previous record's hash and this record's content ([`Entry::hash`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// A review a change opened, with every decision on it (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRecord {
    /// Review number.
    pub id: i64,
    /// The event that opened it.
    pub event: i64,
    /// The node under review.
    pub node: String,
    /// Hops from the changed node.
    pub distance: u32,
    /// Ids from the changed node to this one.
    pub path: Vec<String>,
    /// The relation of each hop.
    pub relations: Vec<String>,
    /// Why it is probably unaffected; absent: a full review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probably_unaffected: Option<String>,
    /// When it was opened (UTC).
    pub opened_at: String,
    /// Its place in the history's hash chain (1, 2, … in order of recording), when sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// SHA-256 (hex) over the previous record's hash and this record's content ([`Entry::hash`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// The decisions on it, oldest first (the last one is in force).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<DecisionRecord>,
}

/// A whole kept history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Every event, by number.
    pub events: Vec<EventRecord>,
    /// Every review, by number.
    pub reviews: Vec<ReviewRecord>,
}

impl History {
    /// True when there is nothing in it.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.reviews.is_empty()
    }
}

/// The hash before the first record of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One record of a history, as the chain sees it.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    /// A change event.
    Event(&'a EventRecord),
    /// A review (without its decisions, which are records of their own).
    Review(&'a ReviewRecord),
    /// A decision on a review.
    Decision {
        /// The review's number.
        review: i64,
        /// The change event that opened the review.
        event: i64,
        /// The decision.
        decision: &'a DecisionRecord,
    },
}

impl Entry<'_> {
    /// The record for people: `event #1`, `review #3`, `decision #2 (review #3)`.
    pub fn name(&self) -> String {
        match self {
            Entry::Event(e) => format!("event #{}", e.id),
            Entry::Review(r) => format!("review #{}", r.id),
            Entry::Decision { review, decision, .. } => {
                format!("decision #{} (review #{review})", decision.id)
            }
        }
    }

    /// The change event the record belongs to (its own number for an event).
    pub fn event(&self) -> i64 {
        match self {
            Entry::Event(e) => e.id,
            Entry::Review(r) => r.event,
            Entry::Decision { event, .. } => *event,
        }
    }

    /// Where the record is (see [`Place`]).
    pub fn place(&self) -> Place {
        Place {
            event: Some(self.event()),
            review: match self {
                Entry::Event(_) => None,
                Entry::Review(r) => Some(r.id),
                Entry::Decision { review, .. } => Some(*review),
            },
            hash: self.seal().1.map(str::to_owned),
        }
    }

    /// The record's key in a store's chain table: `event:1`, `review:3`, `decision:2`.
    pub fn key(&self) -> String {
        match self {
            Entry::Event(e) => format!("event:{}", e.id),
            Entry::Review(r) => format!("review:{}", r.id),
            Entry::Decision { decision, .. } => format!("decision:{}", decision.id),
        }
    }

    /// Its place in the chain and hash, if sealed.
    pub fn seal(&self) -> (Option<u64>, Option<&str>) {
        match self {
            Entry::Event(e) => (e.seq, e.hash.as_deref()),
            Entry::Review(r) => (r.seq, r.hash.as_deref()),
            Entry::Decision { decision, .. } => (decision.seq, decision.hash.as_deref()),
        }
    }

    /// When it was recorded (UTC, RFC 3339), and its rank among records of the same second
    /// (an event before the reviews it opened, before their decisions): recording order.
    pub fn recorded(&self) -> (&str, u8, i64) {
        match self {
            Entry::Event(e) => (&e.recorded_at, 0, e.id),
            Entry::Review(r) => (&r.opened_at, 1, r.id),
            Entry::Decision { decision, .. } => (&decision.decided_at, 2, decision.id),
        }
    }

    /// The content the hash covers: the record's kind and its fields as JSON, in their declared
    /// order, without its seal (and a review without its decisions; a decision with its review).
    pub fn canonical(&self) -> String {
        match self {
            Entry::Event(e) => {
                let bare = EventRecord {
                    seq: None,
                    hash: None,
                    ..(*e).clone()
                };
                format!("event\n{}", crate::text::json_string(&bare, false))
            }
            Entry::Review(r) => {
                let bare = ReviewRecord {
                    seq: None,
                    hash: None,
                    decisions: Vec::new(),
                    ..(*r).clone()
                };
                format!("review\n{}", crate::text::json_string(&bare, false))
            }
            Entry::Decision { review, decision, .. } => {
                let bare = DecisionRecord {
                    seq: None,
                    hash: None,
                    ..(*decision).clone()
                };
                format!("decision\n{review}\n{}", crate::text::json_string(&bare, false))
            }
        }
    }

    /// The record's hash after `previous` (the hash of the record before it, or [`GENESIS`]).
    pub fn hash(&self, previous: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(previous.as_bytes());
        hash.update(b"\n");
        hash.update(self.canonical().as_bytes());
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The end of a sound chain: how many records it holds and the last one's hash (what a report
/// prints, so a printed page pins the history it was made from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Head {
    /// Records in the chain.
    pub length: u64,
    /// The last record's hash ([`GENESIS`] for an empty history).
    pub hash: String,
}

/// Why a history's chain does not hold, and where: the record, the event it belongs to (so a
/// history directory's file can be named) and the hash it carries (so its line can be found).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ChainProblem {
    /// What is wrong.
    pub fault: Fault,
    /// The record (`decision #2 (review #3)`), or the one before a gap.
    pub record: String,
    /// Where the record is.
    pub place: Place,
}

/// Where a record is, for finding it in a file: the change event it belongs to (a history
/// directory's file), its review (a JSON document's element), the hash it carries (its line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The change event the record belongs to (its own number for an event).
    pub event: Option<i64>,
    /// The review it is or belongs to.
    pub review: Option<i64>,
    /// The hash it carries, if sealed.
    pub hash: Option<String>,
}

/// What is wrong with a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The record does not match its hash: it (or the one before it) was changed after it was
    /// recorded.
    Altered,
    /// The record carries no seal while others do: it was added outside regtrace.
    Unsealed,
    /// No record holds this place (after the record named): one was removed (or the places
    /// were renumbered).
    Gap(u64),
}

impl ChainProblem {
    fn describe(&self) -> String {
        let record = &self.record;
        match self.fault {
            Fault::Altered => {
                format!("{record} does not match its hash: it was changed after it was recorded")
            }
            Fault::Unsealed => format!("{record} is not in the hash chain: it was added outside regtrace"),
            Fault::Gap(seq) => {
                format!("the hash chain has no record at place {seq} (after {record}): a record was removed")
            }
        }
    }

    fn at(fault: Fault, entry: &Entry<'_>) -> ChainProblem {
        ChainProblem {
            fault,
            record: entry.name(),
            place: entry.place(),
        }
    }
}

impl History {
    /// Every record, in recording order: by each record's seal where all are sealed, else by
    /// when each was recorded (an event, then the reviews it opened, then decisions).
    pub fn entries(&self) -> Vec<Entry<'_>> {
        let mut entries: Vec<Entry> = self.events.iter().map(Entry::Event).collect();
        for r in &self.reviews {
            entries.push(Entry::Review(r));
            entries.extend(r.decisions.iter().map(|decision| Entry::Decision {
                review: r.id,
                event: r.event,
                decision,
            }));
        }
        if entries.iter().all(|e| e.seal().0.is_some()) {
            entries.sort_by_key(|e| e.seal().0);
        } else {
            entries.sort_by(|a, b| a.recorded().cmp(&b.recorded()));
        }
        entries
    }

    /// True when no record carries a seal (a history from before the chain, or built by hand).
    pub fn is_unsealed(&self) -> bool {
        self.entries().iter().all(|e| e.seal() == (None, None))
    }

    /// Checks the chain: every record sealed, places 1, 2, … without a gap, each hash what its
    /// content and the one before give. Returns the head, or the first record that does not hold.
    pub fn check_chain(&self) -> Result<Head, ChainProblem> {
        let entries = self.entries();
        if let Some(unsealed) = entries
            .iter()
            .find(|e| e.seal().0.is_none() || e.seal().1.is_none())
        {
            return Err(ChainProblem::at(Fault::Unsealed, unsealed));
        }
        let mut previous = GENESIS.to_owned();
        for (place, entry) in (1u64..).zip(&entries) {
            let (seq, hash) = entry.seal();
            if seq != Some(place) {
                return Err(match place.checked_sub(2).and_then(|i| entries.get(i as usize)) {
                    Some(before) => ChainProblem::at(Fault::Gap(place), before),
                    None => ChainProblem {
                        fault: Fault::Gap(place),
                        record: "the start".into(),
                        place: Place::default(),
                    },
                });
            }
            let expected = entry.hash(&previous);
            if hash != Some(expected.as_str()) {
                return Err(ChainProblem::at(Fault::Altered, entry));
            }
            previous = expected;
        }
        Ok(Head {
            length: entries.len() as u64,
            hash: previous,
        })
    }

    /// Seals every record in recording order, from scratch (a history from before the chain).
    pub fn seal(&mut self) {
        let mut previous = GENESIS.to_owned();
        let seals: std::collections::HashMap<String, (u64, String)> = (1u64..)
            .zip(self.entries())
            .map(|(place, entry)| {
                previous = entry.hash(&previous);
                (entry.key(), (place, previous.clone()))
            })
            .collect();
        let seal = |key: String| {
            seals
                .get(&key)
                .map(|(seq, hash)| (Some(*seq), Some(hash.clone())))
        };
        for e in &mut self.events {
            if let Some(found) = seal(format!("event:{}", e.id)) {
                (e.seq, e.hash) = found;
            }
        }
        for r in &mut self.reviews {
            if let Some(found) = seal(format!("review:{}", r.id)) {
                (r.seq, r.hash) = found;
            }
            for d in &mut r.decisions {
                if let Some(found) = seal(format!("decision:{}", d.id)) {
                    (d.seq, d.hash) = found;
                }
            }
        }
    }
}

/// A problem of a history's content, about one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    /// The record (`review #3`).
    pub record: String,
    /// Where it is.
    pub place: Place,
    /// What is wrong.
    pub problem: String,
}

impl History {
    /// What does not hold in the history's content, every record checked as data: numbers
    /// positive and unique, every reference present and agreeing (a review's event, the decision
    /// a correction corrects: of the same review, earlier, corrected once; one first decision
    /// per review), dates that parse and are in order (nothing opened before its change was
    /// recorded, decided before it was opened or dated before its change took effect), and
    /// nothing after this machine's clock.
    pub fn problems_now(&self) -> Vec<RecordProblem> {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.problems(&now)
    }

    /// What does not hold in the history's content (see [`History::problems_now`]), with `now`
    /// the moment nothing may come after (UTC, RFC 3339).
    pub fn problems(&self, now: &str) -> Vec<RecordProblem> {
        use std::collections::{HashMap, HashSet};
        let mut found = Vec::new();
        let mut say = |entry: &Entry<'_>, problem: String| {
            found.push(RecordProblem {
                record: entry.name(),
                place: entry.place(),
                problem,
            });
        };
        let moment =
            |text: &str| chrono::DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&chrono::Utc));
        let now = moment(now).ok();
        let check_moment = |entry: &Entry<'_>,
                            field: &str,
                            text: &str,
                            say: &mut dyn FnMut(&Entry<'_>, String)| {
            match moment(text) {
                Err(_) => say(
                    entry,
                    format!("{field} {text:?} is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)"),
                ),
                Ok(t) if now.is_some_and(|now| t > now) => {
                    say(entry, format!("{field} {text} is in the future"));
                }
                Ok(_) => {}
            }
        };
        let events: HashMap<i64, &EventRecord> = self.events.iter().map(|e| (e.id, e)).collect();
        let mut seen = HashSet::new();
        for e in &self.events {
            let entry = Entry::Event(e);
            if e.id <= 0 || !seen.insert(e.id) {
                say(
                    &entry,
                    format!("event number {} is not a unique positive number", e.id),
                );
            }
            if crate::model::parse_day(&e.date).is_err() {
                say(&entry, format!("date {:?} is not a day (YYYY-MM-DD)", e.date));
            }
            check_moment(&entry, "recorded_at", &e.recorded_at, &mut say);
        }
        let (mut reviews, mut decisions) = (HashSet::new(), HashMap::new());
        for r in &self.reviews {
            for d in &r.decisions {
                decisions.insert(d.id, (r.id, d));
            }
        }
        let mut seen_decisions = HashSet::new();
        for r in &self.reviews {
            let entry = Entry::Review(r);
            if r.id <= 0 || !reviews.insert(r.id) {
                say(
                    &entry,
                    format!("review number {} is not a unique positive number", r.id),
                );
            }
            check_moment(&entry, "opened_at", &r.opened_at, &mut say);
            let event = events.get(&r.event);
            match event {
                None => say(
                    &entry,
                    format!("its change event #{} is not in the history", r.event),
                ),
                Some(e)
                    if moment(&r.opened_at).ok() < moment(&e.recorded_at).ok()
                        && moment(&r.opened_at).is_ok() =>
                {
                    say(
                        &entry,
                        format!(
                            "opened at {} before its change was recorded ({})",
                            r.opened_at, e.recorded_at
                        ),
                    );
                }
                Some(_) => {}
            }
            let mut firsts = 0;
            let mut corrected = HashSet::new();
            for d in &r.decisions {
                let entry = Entry::Decision {
                    review: r.id,
                    event: r.event,
                    decision: d,
                };
                if d.id <= 0 || !seen_decisions.insert(d.id) {
                    say(
                        &entry,
                        format!("decision number {} is not a unique positive number", d.id),
                    );
                }
                if !matches!(d.outcome.as_str(), "unchanged" | "revised" | "withdrawn") {
                    say(
                        &entry,
                        format!("outcome {:?} is not unchanged, revised or withdrawn", d.outcome),
                    );
                }
                check_moment(&entry, "decided_at", &d.decided_at, &mut say);
                if moment(&d.decided_at).is_ok() && moment(&d.decided_at).ok() < moment(&r.opened_at).ok() {
                    say(
                        &entry,
                        format!(
                            "decided at {} before the review was opened ({})",
                            d.decided_at, r.opened_at
                        ),
                    );
                }
                if let Some(day) = &d.decided_on {
                    match crate::model::parse_day(day) {
                        Err(_) => say(&entry, format!("decided_on {day:?} is not a day (YYYY-MM-DD)")),
                        Ok(day_) => {
                            if event.is_some_and(|e| day.as_str() < e.date.as_str()) {
                                say(&entry, format!("decided on {day}, before its change took effect"));
                            }
                            if now.is_some_and(|now| day_ > now.date_naive()) {
                                say(&entry, format!("decided_on {day} is in the future"));
                            }
                        }
                    }
                }
                match d.corrects {
                    None => firsts += 1,
                    Some(c) => match decisions.get(&c) {
                        None => say(
                            &entry,
                            format!("it corrects decision #{c}, which is not in the history"),
                        ),
                        Some((review, _)) if *review != r.id => say(
                            &entry,
                            format!("it corrects decision #{c}, which is a decision on review #{review}"),
                        ),
                        Some((_, earlier)) if earlier.id >= d.id => {
                            say(&entry, format!("it corrects decision #{c}, which comes after it"));
                        }
                        Some(_) if !corrected.insert(c) => {
                            say(&entry, format!("decision #{c} is corrected twice"));
                        }
                        Some(_) => {}
                    },
                }
            }
            if firsts > 1 {
                say(
                    &entry,
                    format!("it has {firsts} first decisions (corrections name the one they correct)"),
                );
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history() -> History {
        let event = EventRecord {
            id: 1,
            node: "law".into(),
            what: "revised".into(),
            date: "2013-11-20".into(),
            note: None,
            by: Some("RA".into()),
            recorded_at: "2014-01-01T00:00:00Z".into(),
            seq: None,
            hash: None,
        };
        let decision = |id, corrects, at: &str| DecisionRecord {
            id,
            corrects,
            outcome: "unchanged".into(),
            replaced_by: None,
            by: "WG".into(),
            note: None,
            decided_on: None,
            decided_at: at.into(),
            keeps: None,
            because: None,
            seq: None,
            hash: None,
        };
        let review = ReviewRecord {
            id: 1,
            event: 1,
            node: "gl".into(),
            distance: 1,
            path: vec!["law".into(), "gl".into()],
            relations: vec!["governed_by".into()],
            probably_unaffected: None,
            opened_at: "2014-01-01T00:00:00Z".into(),
            seq: None,
            hash: None,
            // Recorded in this order whatever their numbers: the correction a day later.
            decisions: vec![
                decision(1, None, "2014-02-01T00:00:00Z"),
                decision(2, Some(1), "2014-02-02T00:00:00Z"),
            ],
        };
        History {
            events: vec![event],
            reviews: vec![review],
        }
    }

    #[test]
    fn a_sealed_history_holds_and_any_edit_removal_or_insertion_is_named() {
        let mut sealed = history();
        assert!(sealed.is_unsealed());
        sealed.seal();
        let head = sealed.check_chain().expect("as sealed");
        assert_eq!(head.length, 4);
        let names: Vec<String> = sealed.entries().iter().map(Entry::name).collect();
        assert_eq!(
            names,
            [
                "event #1",
                "review #1",
                "decision #1 (review #1)",
                "decision #2 (review #1)"
            ]
        );
        // The chain depends on every field and on the order.
        let mut edited = sealed.clone();
        edited.reviews[0].decisions[0].by = "someone else".into();
        let problem = edited.check_chain().unwrap_err();
        assert_eq!((problem.fault, problem.place.event), (Fault::Altered, Some(1)));
        assert_eq!(problem.record, "decision #1 (review #1)");
        assert_eq!(problem.place.hash, sealed.reviews[0].decisions[0].hash);
        let mut removed = sealed.clone();
        removed.reviews[0].decisions.remove(0);
        assert_eq!(removed.check_chain().unwrap_err().fault, Fault::Gap(3));
        let mut added = sealed.clone();
        let mut extra = added.reviews[0].clone();
        (extra.id, extra.seq, extra.hash, extra.decisions) = (2, None, None, Vec::new());
        added.reviews.push(extra);
        let problem = added.check_chain().unwrap_err();
        assert_eq!(
            (problem.fault, problem.record.as_str()),
            (Fault::Unsealed, "review #2")
        );
        // Sealing again gives the same chain: the seal is a function of the records.
        let mut again = sealed.clone();
        again.seal();
        assert_eq!(again, sealed);
        // Another history has another head.
        let mut other = history();
        other.events[0].what = "amended".into();
        other.seal();
        assert_ne!(other.check_chain().unwrap().hash, head.hash);
    }

    #[test]
    fn a_history_is_checked_as_data() {
        let now = "2026-12-07T00:00:00Z";
        assert_eq!(history().problems(now), []);
        let said = |h: &History| -> Vec<String> {
            h.problems(now)
                .into_iter()
                .map(|p| format!("{}: {}", p.record, p.problem))
                .collect()
        };
        let mut h = history();
        let mut other = h.reviews[0].clone();
        other.id = 2;
        other.decisions = vec![DecisionRecord {
            id: 3,
            corrects: Some(1),
            ..h.reviews[0].decisions[0].clone()
        }];
        h.reviews.push(other);
        h.reviews[0].decisions[1].decided_at = "2013-01-01T00:00:00Z".into();
        h.reviews[0].decisions[0].decided_on = Some("2013-11-19".into());
        let mut negative = h.events[0].clone();
        negative.id = -1;
        negative.date = "2013-02-30".into();
        h.events.push(negative);
        assert_eq!(
            said(&h),
            [
                "event #-1: event number -1 is not a unique positive number",
                "event #-1: date \"2013-02-30\" is not a day (YYYY-MM-DD)",
                "decision #1 (review #1): decided on 2013-11-19, before its change took effect",
                "decision #2 (review #1): decided at 2013-01-01T00:00:00Z before the review was opened (2014-01-01T00:00:00Z)",
                "decision #3 (review #2): it corrects decision #1, which is a decision on review #1",
            ]
        );
        // In the future, against the clock given.
        assert_eq!(
            said(&history())
                .into_iter()
                .chain(
                    history()
                        .problems("2013-12-31T00:00:00Z")
                        .into_iter()
                        .map(|p| p.problem)
                )
                .collect::<Vec<_>>(),
            [
                "recorded_at 2014-01-01T00:00:00Z is in the future",
                "opened_at 2014-01-01T00:00:00Z is in the future",
                "decided_at 2014-02-01T00:00:00Z is in the future",
                "decided_at 2014-02-02T00:00:00Z is in the future",
            ]
        );
    }
}
