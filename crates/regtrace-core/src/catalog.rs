//! The relation catalog: which relations exist, between which kinds, and which way a change
//! propagates along each. It is data (`data/catalog.toml`, overridable), never code: the impact
//! direction of a relation is defined here and nowhere else.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::fingerprint::{FingerprintSpec, Fingerprints};
use crate::model::NodeKind;
use crate::suggest::did_you_mean;

/// Which way a change propagates along a relation `source --relation--> target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// A change to the target impacts the source (the source depends on the target), e.g. `cites`.
    ToSource,
    /// A change to the source impacts the target, e.g. `applies_to`.
    ToTarget,
    /// Changes do not propagate, e.g. `supersedes`.
    None,
}

impl Impact {
    /// The word used in the catalog file.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::ToSource => "to_source",
            Impact::ToTarget => "to_target",
            Impact::None => "none",
        }
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Impact {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "to_source" => Ok(Impact::ToSource),
            "to_target" => Ok(Impact::ToTarget),
            "none" => Ok(Impact::None),
            _ => Err(format!(
                "unknown impact direction {s:?}: use to_source, to_target or none"
            )),
        }
    }
}

/// A set of node kinds (a bit set over [`NodeKind::ALL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct KindSet(u32);

impl KindSet {
    /// Every kind.
    pub const ANY: KindSet = KindSet(u32::MAX);

    fn bit(kind: NodeKind) -> u32 {
        let position = NodeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        1 << position
    }

    /// Adds a kind.
    pub fn insert(&mut self, kind: NodeKind) {
        self.0 |= Self::bit(kind);
    }

    /// True if `kind` is in the set.
    pub fn contains(self, kind: NodeKind) -> bool {
        self.0 & Self::bit(kind) != 0
    }

    /// True if every kind is in the set.
    pub fn is_any(self) -> bool {
        NodeKind::ALL.iter().all(|k| self.contains(*k))
    }

    /// The kinds in the set, in [`NodeKind::ALL`] order.
    pub fn kinds(self) -> impl Iterator<Item = NodeKind> {
        NodeKind::ALL.iter().copied().filter(move |k| self.contains(*k))
    }

    /// The set as catalog words: `["*"]` for every kind.
    pub fn words(self) -> Vec<&'static str> {
        if self.is_any() {
            vec!["*"]
        } else {
            self.kinds().map(NodeKind::as_str).collect()
        }
    }
}

impl fmt::Display for KindSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_any() {
            f.write_str("any kind")
        } else {
            f.write_str(&self.words().join(", "))
        }
    }
}

/// One relation of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The name used in data files, e.g. `cites`.
    pub name: String,
    /// What the relation means, for people.
    pub description: String,
    /// Its name for people reading Japanese (e.g. 引用 for `cites`), if the catalog gives one.
    pub title_ja: Option<String>,
    /// Kinds a relation may start from.
    pub from: KindSet,
    /// Kinds a relation may point to.
    pub to: KindSet,
    /// Which way a change propagates.
    pub impact: Impact,
    /// True if chains of this relation must not loop (e.g. `supersedes`).
    pub acyclic: bool,
    /// True if both ends must be of the same kind (e.g. `revises`).
    pub same_kind: bool,
    /// True if the source replaces the target once the source is in force (e.g. `supersedes`):
    /// an `--as-of` query then no longer follows the target.
    pub replaces: bool,
}

/// Dense index of a relation in its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelationId(pub u16);

/// The relation catalog in force for a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationCatalog {
    relations: Vec<Relation>,
    by_name: HashMap<String, RelationId>,
    fingerprints: Fingerprints,
    review_kinds: Option<Vec<NodeKind>>,
}

/// The kinds a change opens reviews for when a catalog does not say: every kind an organisation
/// keeps a record for.
pub const DEFAULT_REVIEW_KINDS: [NodeKind; 6] = [
    NodeKind::Guideline,
    NodeKind::EvaluationIndex,
    NodeKind::EvaluationItem,
    NodeKind::TestMethod,
    NodeKind::Device,
    NodeKind::Requirement,
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default, rename = "relation")]
    relations: Vec<toml::Spanned<RelationSpec>>,
    #[serde(default, rename = "fingerprint")]
    fingerprints: Vec<toml::Spanned<FingerprintSpec>>,
    #[serde(default)]
    review: Option<toml::Spanned<ReviewSpec>>,
}

/// `[review]`: which kinds a recorded change opens reviews for.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewSpec {
    kinds: Vec<String>,
}

/// A relation as written in a catalog file: words, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationSpec {
    /// The relation name.
    pub name: String,
    /// What it means, for people.
    #[serde(default)]
    pub description: String,
    /// Its name for people reading Japanese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_ja: Option<String>,
    /// Kinds it may start from (`"*"` for any).
    pub from: Vec<String>,
    /// Kinds it may point to (`"*"` for any).
    pub to: Vec<String>,
    /// `to_source`, `to_target` or `none`.
    pub impact: String,
    /// Chains must not loop.
    #[serde(default)]
    pub acyclic: bool,
    /// Both ends of the same kind.
    #[serde(default)]
    pub same_kind: bool,
    /// The source replaces the target once in force.
    #[serde(default)]
    pub replaces: bool,
}

impl Relation {
    /// The relation as catalog words, e.g. to store or export it.
    pub fn to_spec(&self) -> RelationSpec {
        RelationSpec {
            name: self.name.clone(),
            description: self.description.clone(),
            title_ja: self.title_ja.clone(),
            from: self.from.words().into_iter().map(str::to_owned).collect(),
            to: self.to.words().into_iter().map(str::to_owned).collect(),
            impact: self.impact.as_str().to_owned(),
            acyclic: self.acyclic,
            same_kind: self.same_kind,
            replaces: self.replaces,
        }
    }
}

impl RelationCatalog {
    /// Builds a catalog from relations, checking that names are unique.
    pub fn new(relations: Vec<Relation>) -> Result<Self, Diagnostics> {
        let mut by_name = HashMap::new();
        let mut diagnostics = Diagnostics::default();
        for (i, relation) in relations.iter().enumerate() {
            if by_name
                .insert(relation.name.clone(), RelationId(i as u16))
                .is_some()
            {
                diagnostics.push(Diagnostic::new(
                    None,
                    format!("relation {:?} is defined twice", relation.name),
                ));
            }
        }
        if relations.len() > u16::MAX as usize {
            diagnostics.push(Diagnostic::new(None, "more than 65535 relations in the catalog"));
        }
        if diagnostics.is_empty() {
            Ok(RelationCatalog {
                relations,
                by_name,
                fingerprints: Fingerprints::default(),
                review_kinds: None,
            })
        } else {
            Err(diagnostics)
        }
    }

    /// Parses a catalog file (see `data/catalog.toml`), reporting every problem with its place.
    pub fn from_toml(file: &str, text: &str) -> Result<Self, Diagnostics> {
        let file: Arc<str> = Arc::from(file);
        let lines = LineIndex::new(text);
        let at = |offset: usize| {
            let (line, column) = lines.line_column(offset);
            Some(Location::new(file.clone(), Some(line), Some(column)))
        };
        let parsed: CatalogFile = toml::from_str(text).map_err(|e| {
            let location = e.span().and_then(|s| at(s.start)).or(Some(Location::file(file.clone())));
            Diagnostics(vec![
                Diagnostic::new(location, format!("invalid catalog: {}", e.message().trim()))
                    .with_hint("a catalog holds [[relation]] tables with name, description, title_ja, from, to, impact, acyclic, same_kind and replaces, and [[fingerprint]] tables with kind and fields"),
            ])
        })?;

        let specs = parsed
            .relations
            .into_iter()
            .map(|spanned| (at(spanned.span().start), spanned.into_inner()))
            .collect();
        let fingerprints = parsed
            .fingerprints
            .into_iter()
            .map(|spanned| (at(spanned.span().start), spanned.into_inner()))
            .collect();
        let fingerprints = Fingerprints::from_specs(fingerprints);
        let review_kinds = match parsed.review {
            None => None,
            Some(spanned) => {
                let place = at(spanned.span().start);
                let kinds = spanned
                    .into_inner()
                    .kinds
                    .iter()
                    .map(|k| k.parse::<NodeKind>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|unknown| {
                        Diagnostics(vec![
                            Diagnostic::new(place, format!("[review] kinds: {unknown}"))
                                .with_hint("list node kinds, e.g. kinds = [\"guideline\", \"device\"]"),
                        ])
                    })?;
                Some(kinds)
            }
        };
        let catalog = match (RelationCatalog::from_specs(specs), fingerprints) {
            (Ok(catalog), Ok(fingerprints)) => catalog
                .with_fingerprints(fingerprints)
                .with_review_kinds(review_kinds),
            (Err(mut a), Err(b)) => {
                a.0.extend(b.0);
                return Err(a);
            }
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        if catalog.relations.is_empty() {
            return Err(Diagnostics(vec![
                Diagnostic::new(
                    Some(Location::file(file.clone())),
                    "the catalog defines no relation",
                )
                .with_hint("add [[relation]] tables"),
            ]));
        }
        Ok(catalog)
    }

    /// Checks relation specs (each with where it was written) and builds the catalog, reporting
    /// every problem.
    pub fn from_specs(specs: Vec<(Option<Location>, RelationSpec)>) -> Result<Self, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut relations = Vec::new();
        let mut seen: HashMap<String, Option<Location>> = HashMap::new();
        for (location, entry) in specs {
            if let Err(problem) = crate::model::check_id(&entry.name) {
                diagnostics.push(Diagnostic::new(
                    location.clone(),
                    format!("relation name {:?}: {problem}", entry.name),
                ));
            }
            if let Some(first) = seen.insert(entry.name.clone(), location.clone()) {
                let first = first
                    .map(|l| format!(" (first defined at {l})"))
                    .unwrap_or_default();
                diagnostics.push(
                    Diagnostic::new(
                        location.clone(),
                        format!("relation {:?} is defined twice{first}", entry.name),
                    )
                    .with_hint("keep one definition"),
                );
            }
            let impact = entry.impact.parse::<Impact>().unwrap_or_else(|problem| {
                diagnostics.push(Diagnostic::new(
                    location.clone(),
                    format!("relation {:?}: {problem}", entry.name),
                ));
                Impact::None
            });
            let mut kinds = |words: &[String], side: &str| {
                let mut set = KindSet::default();
                if words.is_empty() {
                    diagnostics.push(
                        Diagnostic::new(
                            location.clone(),
                            format!("relation {:?}: `{side}` lists no kind", entry.name),
                        )
                        .with_hint("list kinds, or \"*\" for any kind"),
                    );
                }
                for word in words {
                    if word == "*" {
                        set = KindSet::ANY;
                        continue;
                    }
                    match word.parse::<NodeKind>() {
                        Ok(kind) => set.insert(kind),
                        Err(unknown) => diagnostics.push(
                            Diagnostic::new(
                                location.clone(),
                                format!("relation {:?}: unknown kind {word:?} in `{side}`", entry.name),
                            )
                            .with_hint(unknown.hint()),
                        ),
                    }
                }
                set
            };
            let from = kinds(&entry.from, "from");
            let to = kinds(&entry.to, "to");
            relations.push(Relation {
                name: entry.name,
                description: entry.description,
                title_ja: entry.title_ja.filter(|t| !t.trim().is_empty()),
                from,
                to,
                impact,
                acyclic: entry.acyclic,
                same_kind: entry.same_kind,
                replaces: entry.replaces,
            });
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        RelationCatalog::new(relations)
    }

    /// The relation called `name`, or an error that suggests the nearest name.
    pub fn lookup(&self, name: &str) -> Result<RelationId, UnknownRelation> {
        self.by_name.get(name).copied().ok_or_else(|| UnknownRelation {
            name: name.to_owned(),
            suggestion: did_you_mean(name, self.relations.iter().map(|r| r.name.as_str())).map(str::to_owned),
        })
    }

    /// The relation called `name`, if the catalog has one ([`RelationCatalog::lookup`] without
    /// the suggestion, for callers that only ask).
    pub fn id_of(&self, name: &str) -> Option<RelationId> {
        self.by_name.get(name).copied()
    }

    /// The impact direction of the relation called `name`, if the catalog has one: how a
    /// reason kept as names (a review, a diff hit) learns which way each hop was stored.
    pub fn impact_of(&self, name: &str) -> Option<Impact> {
        self.by_name.get(name).map(|r| self.get(*r).impact)
    }

    /// The catalog with these review kinds (`None`: [`DEFAULT_REVIEW_KINDS`]).
    pub fn with_review_kinds(mut self, kinds: Option<Vec<NodeKind>>) -> Self {
        self.review_kinds = kinds;
        self
    }

    /// The kinds a recorded change opens reviews for: the catalog's `[review] kinds`, else
    /// [`DEFAULT_REVIEW_KINDS`].
    pub fn review_kinds(&self) -> &[NodeKind] {
        self.review_kinds.as_deref().unwrap_or(&DEFAULT_REVIEW_KINDS)
    }

    /// The review kinds the catalog states, if it states them (what is stored and exported).
    pub fn stated_review_kinds(&self) -> Option<&[NodeKind]> {
        self.review_kinds.as_deref()
    }

    /// The catalog with these fingerprint fields.
    pub fn with_fingerprints(mut self, fingerprints: Fingerprints) -> Self {
        self.fingerprints = fingerprints;
        self
    }

    /// What counts as a change of a node's content, per kind.
    pub fn fingerprints(&self) -> &Fingerprints {
        &self.fingerprints
    }

    /// The relation with this id.
    pub fn get(&self, id: RelationId) -> &Relation {
        &self.relations[id.0 as usize]
    }

    /// Every relation, in catalog order.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    /// Every relation with its id.
    pub fn iter(&self) -> impl Iterator<Item = (RelationId, &Relation)> {
        self.relations
            .iter()
            .enumerate()
            .map(|(i, r)| (RelationId(i as u16), r))
    }
}

/// A relation name that is not in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown relation {name:?}")]
pub struct UnknownRelation {
    /// The name as written.
    pub name: String,
    /// The nearest catalog name, if one is close.
    pub suggestion: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[[relation]]
name = "cites"
from = ["guideline", "standard"]
to = ["standard"]
impact = "to_source"

[[relation]]
name = "governed_by"
from = ["*"]
to = ["regulation"]
impact = "to_source"
"#;

    #[test]
    fn parses_relations_and_kind_sets() {
        let catalog = RelationCatalog::from_toml("c.toml", SMALL).unwrap();
        let cites = catalog.get(catalog.lookup("cites").unwrap());
        assert_eq!(cites.impact, Impact::ToSource);
        assert!(cites.from.contains(NodeKind::Guideline));
        assert!(!cites.from.contains(NodeKind::Device));
        let governed = catalog.get(catalog.lookup("governed_by").unwrap());
        assert!(governed.from.is_any());
        assert_eq!(governed.from.words(), vec!["*"]);
        assert_eq!(
            catalog.lookup("cite").unwrap_err().suggestion.as_deref(),
            Some("cites")
        );
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let text = r#"
[[relation]]
name = "a"
from = ["guidline"]
to = ["standard"]
impact = "sideways"

[[relation]]
name = "a"
from = ["device"]
to = []
impact = "none"
"#;
        let problems = RelationCatalog::from_toml("c.toml", text).unwrap_err();
        let text: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert_eq!(problems.len(), 4, "{text:#?}");
        assert!(text[0].starts_with("c.toml:2:1: error: relation \"a\": unknown impact"));
        assert!(
            text[1].contains("unknown kind \"guidline\"") && text[1].contains("did you mean \"guideline\"")
        );
        assert!(
            text[2].starts_with("c.toml:8:1:")
                && text[2].contains("defined twice (first defined at c.toml:2:1)")
        );
        assert!(text[3].contains("`to` lists no kind"));
    }

    #[test]
    fn syntax_errors_carry_a_place() {
        let problems = RelationCatalog::from_toml("c.toml", "[[relation]]\nname = \n").unwrap_err();
        let first = problems.iter().next().unwrap().to_string();
        assert!(first.starts_with("c.toml:2:"), "{first}");
    }
}
