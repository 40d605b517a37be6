//! The kept history (change events, the reviews they opened, the decisions that closed them) as
//! plain records: what a lossless JSON document carries, so a database's history can travel to
//! another database and be restored exactly (numbers, dates, who, causes).

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
    /// When it was recorded (UTC).
    pub decided_at: String,
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
