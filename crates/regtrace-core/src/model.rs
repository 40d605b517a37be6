//! The node model: kinds, statuses, ids, dates and the [`Node`] and [`Edge`] records.
//!
//! These are plain values. Whether a set of nodes and edges makes sense together (ids unique,
//! references resolved, relations allowed) is decided by [`crate::Graph::build`].

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Location;
use crate::suggest::did_you_mean;

/// Declares a closed vocabulary (an enum whose variants are spelled as snake_case words in data
/// files and on command lines) with its `as_str`, `ALL`, `Display` and `FromStr` (which
/// suggests the nearest word). Exported, so every crate spells its own words one way: a front
/// end parses a flag with the type's `FromStr`, never a mirror enum.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used for this value in data files and output.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownWord;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::UnknownWord::new($what, s, $name::ALL.iter().map(|v| v.as_str())))
            }
        }
    };
}

vocabulary! {
    /// The kinds of node regtrace knows. Relations in the catalog name these words.
    NodeKind, "kind" {
        /// A medical device (or a class of them) that must meet guidelines.
        Device => "device",
        /// A field (分野) used to plan guideline work.
        Field => "field",
        /// A development guideline (開発ガイドライン) written for device developers.
        Guideline => "guideline",
        /// An MHLW evaluation index (評価指標) written for reviewers.
        EvaluationIndex => "evaluation_index",
        /// An evaluation item (評価項目) a guideline asks for.
        EvaluationItem => "evaluation_item",
        /// An engineering test method that verifies an evaluation item.
        TestMethod => "test_method",
        /// One edition of a standard (ISO, IEC, JIS, ASTM, …), or a standards project.
        Standard => "standard",
        /// A standard across its editions (e.g. ISO 10993-1, any edition); editions are
        /// `edition_of` it, and an undated reference cites it.
        StandardFamily => "standard_family",
        /// One clause of one standard edition (e.g. ISO 10993-1:2018 §6.1), `part_of` it, so a
        /// test method or evaluation item can pin the exact clause it rests on.
        Clause => "clause",
        /// A law or one revision of it.
        Regulation => "regulation",
        /// A government policy document.
        Policy => "policy",
        /// A ministry, agency, institute, company or association.
        Organization => "organization",
        /// A working group or committee.
        WorkingGroup => "working_group",
        /// A funded programme or project that produces guidelines.
        Programme => "programme",
        /// A requirement kept in a requirements tool (DOORS, Polarion, …) and not (yet) sorted
        /// into the kinds above.
        Requirement => "requirement",
        /// A document or a heading in one, from a requirements tool's document structure
        /// (a ReqIF SPECIFICATION or heading object).
        Section => "section",
    }
}

vocabulary! {
    /// The lifecycle status of a node. Which statuses a kind may take is [`NodeKind::allowed_statuses`].
    Status, "status" {
        /// Planned but not started.
        Planned => "planned",
        /// Proposed (e.g. a standard proposal not yet accepted as a work item).
        Proposed => "proposed",
        /// Being written.
        InProgress => "in_progress",
        /// Written as a draft, not yet final.
        Draft => "draft",
        /// Final and published.
        Published => "published",
        /// A law or revision passed by the legislature.
        Enacted => "enacted",
        /// In force or in use (for kinds without a publication lifecycle).
        Active => "active",
        /// Replaced by a newer edition or revision, kept for the record.
        Superseded => "superseded",
        /// Withdrawn, no longer valid.
        Withdrawn => "withdrawn",
        /// Dissolved or finished (working groups, programmes).
        Closed => "closed",
    }
}

impl NodeKind {
    /// The statuses a node of this kind may have.
    pub fn allowed_statuses(self) -> &'static [Status] {
        use Status::*;
        match self {
            NodeKind::Standard => &[Proposed, InProgress, Published, Withdrawn],
            NodeKind::StandardFamily => &[Active, Withdrawn],
            NodeKind::Clause => &[Draft, Published, Withdrawn],
            NodeKind::Guideline | NodeKind::EvaluationIndex => {
                &[Planned, InProgress, Draft, Published, Superseded, Withdrawn]
            }
            NodeKind::EvaluationItem | NodeKind::TestMethod | NodeKind::Requirement => {
                &[Draft, Published, Active, Superseded, Withdrawn]
            }
            NodeKind::Section => &[Draft, Published, Active, Withdrawn],
            NodeKind::Regulation => &[Proposed, Enacted, Active, Superseded, Withdrawn],
            NodeKind::Policy => &[Published, Active, Superseded, Withdrawn],
            NodeKind::Device => &[Planned, InProgress, Active, Withdrawn],
            NodeKind::Field => &[Active, Closed],
            NodeKind::Organization | NodeKind::WorkingGroup | NodeKind::Programme => {
                &[Planned, Active, Closed]
            }
        }
    }
}

/// A word that is not in a closed vocabulary, with the nearest valid word if there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}")]
pub struct UnknownWord {
    /// What vocabulary was searched ("kind", "status", "relation", …).
    pub what: &'static str,
    /// The word as written.
    pub value: String,
    /// The nearest valid word, if one is close.
    pub suggestion: Option<String>,
    /// Every valid word.
    pub expected: Vec<&'static str>,
}

impl UnknownWord {
    /// `value`, not among `words` of the vocabulary `what`, with the nearest word if one is close.
    pub fn new(what: &'static str, value: &str, words: impl Iterator<Item = &'static str>) -> Self {
        let expected: Vec<&'static str> = words.collect();
        UnknownWord {
            what,
            value: value.to_owned(),
            suggestion: did_you_mean(value, expected.iter().copied()).map(str::to_owned),
            expected,
        }
    }

    /// A hint for people: the suggestion if there is one, else the list of valid words.
    pub fn hint(&self) -> String {
        match &self.suggestion {
            Some(s) => format!("did you mean {s:?}? (valid: {})", self.expected.join(", ")),
            None => format!("use one of: {}", self.expected.join(", ")),
        }
    }
}

/// Checks a node id: 1 to 200 characters from `[A-Za-z0-9._:-]`, and not `.` or `..`. Ids are
/// kept exactly as written (case-sensitive); this only rejects ids that would be ambiguous in
/// files, URLs or shells. `.` and `..` are path segments a browser removes from a link (even
/// written `%2E`), so the explorer's page of such a node could never be opened.
pub fn check_id(id: &str) -> Result<(), String> {
    const MAX: usize = 200;
    if id.is_empty() {
        return Err("the id is empty".into());
    }
    if id == "." || id == ".." {
        return Err(
            "an id of only `.` or `..` is a path step in a link (a browser drops it), not a name".into(),
        );
    }
    if id.len() > MAX {
        return Err(format!("the id is {} bytes long (at most {MAX})", id.len()));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-')))
    {
        let shown = if bad.is_whitespace() || bad.is_control() {
            format!("{:?}", bad)
        } else {
            format!("'{bad}'")
        };
        return Err(format!(
            "the id contains {shown}; ids may use only letters A-Z a-z, digits and . _ : -"
        ));
    }
    Ok(())
}

/// The diagnostic for an id that [`check_id`] rejects, at `at`; `None` for a good id.
pub fn bad_id(id: &str, at: Option<Location>) -> Option<crate::diagnostics::Diagnostic> {
    check_id(id).err().map(|problem| {
        crate::diagnostics::Diagnostic::new(at, format!("bad id {id:?}: {problem}"))
            .with_hint("use an id such as `iso-14971-2019` or `STD-12`")
    })
}

/// How exactly a [`Date`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// The day (`2013-11-20`).
    Day,
    /// Only the month (`2012-08`), as policies and programmes are often dated.
    Month,
    /// Only the year (`2013`).
    Year,
}

/// A date as a source gives it: a day, or only a month or a year. Ordered by its first day,
/// then the more exact first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    first: NaiveDate,
    precision: Precision,
}

impl Date {
    /// A day.
    pub fn day(day: NaiveDate) -> Date {
        Date {
            first: day,
            precision: Precision::Day,
        }
    }

    /// A month of a year, if both exist.
    pub fn month(year: i32, month: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Date {
            first,
            precision: Precision::Month,
        })
    }

    /// A year, if it exists.
    pub fn year(year: i32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, 1, 1).map(|first| Date {
            first,
            precision: Precision::Year,
        })
    }

    /// How exactly it is known.
    pub fn precision(self) -> Precision {
        self.precision
    }

    /// The earliest day it may be.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// The latest day it may be.
    pub fn last_day(self) -> NaiveDate {
        use chrono::Months;
        let next = match self.precision {
            Precision::Day => return self.first,
            Precision::Month => self.first.checked_add_months(Months::new(1)),
            Precision::Year => self.first.checked_add_months(Months::new(12)),
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Day => write!(f, "{}", self.first.format("%Y-%m-%d")),
            Precision::Month => write!(f, "{}", self.first.format("%Y-%m")),
            Precision::Year => write!(f, "{}", self.first.format("%Y")),
        }
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_date(s)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        parse_date(&text).map_err(serde::de::Error::custom)
    }
}

/// Parses a date written as `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (a day, a month or a year) and
/// checks it exists (no 2013-02-30, no month 13).
pub fn parse_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    let number = |range: std::ops::Range<usize>| s[range].parse::<u32>().ok();
    let shape = match b.len() {
        10 if b[4] == b'-' && b[7] == b'-' && digits(0..4) && digits(5..7) && digits(8..10) => Precision::Day,
        7 if b[4] == b'-' && digits(0..4) && digits(5..7) => Precision::Month,
        4 if digits(0..4) => Precision::Year,
        _ => {
            return Err(format!(
                "{s:?} is not a date written as YYYY-MM-DD (or YYYY-MM, or YYYY when the source gives no more)"
            ));
        }
    };
    let year = number(0..4).map(|y| y as i32);
    let date = match shape {
        Precision::Day => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Date::day),
        Precision::Month => year.zip(number(5..7)).and_then(|(y, m)| Date::month(y, m)),
        Precision::Year => year.and_then(Date::year),
    };
    date.ok_or_else(|| format!("{s:?} is not a day of the calendar"))
}

/// Parses a day written exactly as `YYYY-MM-DD` (e.g. for `--as-of`).
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    match parse_date(s)? {
        date if date.precision == Precision::Day => Ok(date.first),
        _ => Err(format!("{s:?} is not a day: write it as YYYY-MM-DD")),
    }
}

/// The dated events of a node's life. All optional; only what a source states is recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dates {
    /// Publication date (guidelines, standards, policies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// Enactment date (laws and revisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enacted: Option<Date>,
    /// Date from which it is in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<Date>,
    /// Date it was withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Date>,
}

impl Dates {
    /// The names of the date fields, in the order they are stored and shown.
    pub const FIELDS: [&'static str; 4] = ["published", "enacted", "effective", "withdrawn"];

    /// The date field called `name`, mutably; `None` if `name` is not a date field.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<Date>> {
        match name {
            "published" => Some(&mut self.published),
            "enacted" => Some(&mut self.enacted),
            "effective" => Some(&mut self.effective),
            "withdrawn" => Some(&mut self.withdrawn),
            _ => None,
        }
    }

    /// The date fields that are set, as (name, date) pairs in [`Dates::FIELDS`] order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Date)> + '_ {
        [self.published, self.enacted, self.effective, self.withdrawn]
            .into_iter()
            .zip(Self::FIELDS)
            .filter_map(|(d, name)| d.map(|d| (name, d)))
    }
}

/// One node of the traceability graph: a device, guideline, standard edition, law, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Stable user-chosen id, kept exactly as written (see [`check_id`]).
    pub id: String,
    /// What the node is.
    pub kind: NodeKind,
    /// English title.
    pub title: String,
    /// Japanese title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_ja: Option<String>,
    /// Lifecycle status, when the source states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Standards: the designation, e.g. "ISO 14971". Recorded only where a source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designation: Option<String>,
    /// Standards: the edition or year, e.g. "2019" or "3rd".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Standards: the body that issues it (ISO, IEC, JIS, ASTM, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Dated events.
    #[serde(flatten)]
    pub dates: Dates,
    /// Provenance: where this node's facts come from (e.g. "seed slide 15").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free attributes, string to string.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Where the node was read from; not part of its content.
    #[serde(skip)]
    pub location: Option<Location>,
}

impl Node {
    /// The names of a node's own fields, in the order files and tables show them (attributes
    /// aside). The CSV columns and [`Node::field_values`] use these names.
    pub const FIELDS: [&'static str; 13] = [
        "id",
        "kind",
        "title",
        "title_ja",
        "status",
        "designation",
        "edition",
        "body",
        "published",
        "enacted",
        "effective",
        "withdrawn",
        "source",
    ];

    /// A node with only its required fields set.
    pub fn new(id: impl Into<String>, kind: NodeKind, title: impl Into<String>) -> Self {
        Node {
            id: id.into(),
            kind,
            title: title.into(),
            title_ja: None,
            status: None,
            designation: None,
            edition: None,
            body: None,
            dates: Dates::default(),
            source: None,
            attributes: BTreeMap::new(),
            location: None,
        }
    }

    /// Every set field of the node's content as text, by name (the names of [`Node::FIELDS`]
    /// but the id, which is the key, not content; attributes as `attributes.NAME`).
    pub fn field_values(&self) -> BTreeMap<String, String> {
        let mut values: BTreeMap<String, String> = Node::FIELDS[1..]
            .iter()
            .filter_map(|name| Some((name.to_string(), self.field_text(name)?.into_owned())))
            .collect();
        for (name, value) in &self.attributes {
            values.insert(format!("attributes.{name}"), value.clone());
        }
        values
    }

    /// One field as text, by a name of [`Node::FIELDS`] or `attributes.NAME`; `None` when it is
    /// not set (or no field has that name). Dates as written (`2014-11`).
    pub fn field_text(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow::{Borrowed, Owned};
        if let Some(attribute) = name.strip_prefix("attributes.") {
            return self.attributes.get(attribute).map(|v| Borrowed(v.as_str()));
        }
        let text = match name {
            "id" => Some(self.id.as_str()),
            "kind" => Some(self.kind.as_str()),
            "title" => Some(self.title.as_str()),
            "title_ja" => self.title_ja.as_deref(),
            "status" => self.status.map(Status::as_str),
            "designation" => self.designation.as_deref(),
            "edition" => self.edition.as_deref(),
            "body" => self.body.as_deref(),
            "source" => self.source.as_deref(),
            date => {
                return self
                    .dates
                    .iter()
                    .find(|(field, _)| *field == date)
                    .map(|(_, day)| Owned(day.to_string()));
            }
        };
        text.map(Borrowed)
    }

    /// Whether `other` says the same as this node: every field but where it was read.
    pub fn same_content(&self, other: &Node) -> bool {
        // Destructured, so a field added to `Node` cannot be forgotten here.
        let Node {
            id,
            kind,
            title,
            title_ja,
            status,
            designation,
            edition,
            body,
            dates,
            source,
            attributes,
            location: _,
        } = self;
        *id == other.id
            && *kind == other.kind
            && *title == other.title
            && *title_ja == other.title_ja
            && *status == other.status
            && *designation == other.designation
            && *edition == other.edition
            && *body == other.body
            && *dates == other.dates
            && *source == other.source
            && *attributes == other.attributes
    }

    /// The title in the asked language, falling back to the other one.
    pub fn title_in(&self, lang: Lang) -> &str {
        lang.pick(&self.title, self.title_ja.as_deref())
    }
}

/// A language for titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English titles.
    #[default]
    En,
    /// Japanese titles.
    Ja,
}

impl Lang {
    /// The language's tag (BCP 47), as in `lang=ja` or `<html lang="ja">`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// Of a node's English and Japanese titles, the one in this language, falling back to the
    /// English one when there is no Japanese title.
    pub fn pick<'t>(self, title: &'t str, title_ja: Option<&'t str>) -> &'t str {
        match self {
            Lang::Ja => title_ja.unwrap_or(title),
            Lang::En => title,
        }
    }
}

/// A relation from one node to another, as written in a source file: ids, not indices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// The id of the node the relation starts from.
    pub from: String,
    /// The id of the node it points to.
    pub to: String,
    /// The relation name, from the catalog.
    pub relation: String,
    /// Provenance of the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where the edge was read from; not part of its content.
    #[serde(skip)]
    pub location: Option<Location>,
}

/// An edge as [`Edge`] writes itself, borrowed from a graph ([`crate::Graph::edge_ref`]): the
/// same JSON, without copying the ids of a million edges to write them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct EdgeRef<'a> {
    /// The id of the node the relation starts from.
    pub from: &'a str,
    /// The id of the node it points to.
    pub to: &'a str,
    /// The relation name, from the catalog.
    pub relation: &'a str,
    /// Provenance of the link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
}

impl Edge {
    /// An edge `from --relation--> to`.
    pub fn new(from: impl Into<String>, relation: impl Into<String>, to: impl Into<String>) -> Self {
        Edge {
            from: from.into(),
            to: to.into(),
            relation: relation.into(),
            source: None,
            location: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_the_documented_alphabet_and_keep_case() {
        assert!(check_id("STD-12").is_ok());
        assert!(check_id("iso-14971:2019_a.1").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("has space").unwrap_err().contains("' '"));
        assert!(check_id("a/b").unwrap_err().contains("'/'"));
        assert!(check_id("人工心臓").is_err());
        assert!(check_id(".").unwrap_err().contains("path step"));
        assert!(check_id("..").unwrap_err().contains("path step"));
        assert!(check_id("...").is_ok() && check_id(".a").is_ok());
        assert!(check_id(&"x".repeat(201)).is_err());
    }

    #[test]
    fn dates_must_be_iso_and_exist() {
        assert_eq!(
            parse_date("2013-11-20").unwrap(),
            Date::day(NaiveDate::from_ymd_opt(2013, 11, 20).unwrap())
        );
        assert!(parse_date("2013-02-30").unwrap_err().contains("calendar"));
        assert!(parse_date("2013-13").unwrap_err().contains("calendar"));
        assert!(parse_date("2013-2-3").is_err());
        assert!(parse_date("2013-2").is_err());
        assert!(parse_date("平成25年").is_err());
        assert!(parse_date("2013/11/20").is_err());
        assert!(parse_day("2013-11").unwrap_err().contains("YYYY-MM-DD"));
    }

    #[test]
    fn a_month_or_a_year_keeps_its_precision_and_spans_its_days() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for (text, precision, first, last) in [
            ("2012-08", Precision::Month, "2012-08-01", "2012-08-31"),
            ("2012-02", Precision::Month, "2012-02-01", "2012-02-29"),
            ("2013", Precision::Year, "2013-01-01", "2013-12-31"),
            ("2013-11-20", Precision::Day, "2013-11-20", "2013-11-20"),
        ] {
            let date = parse_date(text).unwrap();
            assert_eq!(date.precision(), precision, "{text}");
            assert_eq!(
                (date.first_day(), date.last_day()),
                (day(first), day(last)),
                "{text}"
            );
            assert_eq!(date.to_string(), text, "written back as given");
            let json = serde_json::to_string(&date).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), date);
        }
        // Ordered by first day, the more exact first.
        let mut dates: Vec<Date> = ["2013", "2012-08", "2013-01-01", "2012-08-15"]
            .map(|t| parse_date(t).unwrap())
            .to_vec();
        dates.sort();
        let sorted: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(sorted, ["2012-08", "2012-08-15", "2013-01-01", "2013"]);
    }

    #[test]
    fn unknown_words_suggest_the_nearest() {
        let err = "guidline".parse::<NodeKind>().unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("guideline"));
        let err = "zzz".parse::<Status>().unwrap_err();
        assert_eq!(err.suggestion, None);
        assert!(err.hint().contains("published"));
    }

    #[test]
    fn every_kind_round_trips_through_its_word() {
        for kind in NodeKind::ALL {
            assert_eq!(kind.as_str().parse::<NodeKind>().unwrap(), *kind);
            assert!(!kind.allowed_statuses().is_empty());
        }
    }
}
