//! Reading a rules file: TOML `[[rule]]` tables into typed [`Check`]s, names checked against
//! the catalog, every problem reported with its line.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use super::{Check, Rule, Rules, Severity, Via};
use crate::catalog::{KindSet, RelationId};
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::graph::Graph;
use crate::model::{NodeKind, Status};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<RawRule>>,
    /// The report's title block.
    report: Option<ReportTable>,
}

/// The `[report]` table of a rules file: what a report made with these rules says of itself,
/// unless flags say otherwise (issue 36).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportTable {
    /// The report's title.
    pub title: Option<String>,
    /// Its document number in the QA system.
    pub doc_id: Option<String>,
    /// Its revision.
    pub revision: Option<String>,
    /// Only what these nodes (usually devices) rest on.
    #[serde(default)]
    pub scope: Vec<String>,
    /// Who prepares it, each "NAME, ROLE".
    #[serde(default)]
    pub prepared_by: Vec<String>,
    /// Who approves it, each "NAME, ROLE".
    #[serde(default)]
    pub approved_by: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    severity: String,
    #[serde(default)]
    severity_by_status: BTreeMap<String, String>,
    description: String,
    description_ja: Option<String>,
    fix: String,
    fix_ja: Option<String>,
    check: RawCheck,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(rename = "type")]
    kind_of_check: String,
    kind: Option<String>,
    #[serde(default)]
    statuses: Vec<String>,
    #[serde(default)]
    via: Vec<String>,
    #[serde(default)]
    to: Vec<String>,
    min: Option<usize>,
    unless: Option<BTreeMap<String, String>>,
    #[serde(default)]
    relations: Vec<String>,
    #[serde(default)]
    replaced_by: Vec<String>,
    #[serde(default)]
    parts: Vec<String>,
    #[serde(default)]
    target_statuses: Vec<String>,
    relation: Option<String>,
    review_attribute: Option<String>,
    #[serde(default)]
    current: Vec<String>,
    target_node: Option<String>,
    target_attribute: Option<String>,
    attribute: Option<String>,
    value: Option<String>,
    explained_by: Option<String>,
}

/// The check types a rules file may name.
pub const CHECK_TYPES: &[&str] = &[
    "min_links",
    "stale_reference",
    "target_status",
    "needs_review",
    "unconnected",
    "both_current",
    "field_coverage",
    "marked",
];

impl Rules {
    /// Parses a rules file, checking names against the graph's catalog; reports every problem.
    pub fn from_toml(file: &str, text: &str, graph: &Graph) -> Result<Rules, Diagnostics> {
        Rules::read(file, text, graph).map(|(rules, _)| rules)
    }

    /// [`Rules::from_toml`], with the file's `[report]` table if it has one (a table with an
    /// unknown or mistyped key is an error at its line, like any other).
    pub fn read(file: &str, text: &str, graph: &Graph) -> Result<(Rules, Option<ReportTable>), Diagnostics> {
        let file: Arc<str> = Arc::from(file);
        let lines = LineIndex::new(text);
        let at = |offset: usize| {
            let (line, column) = lines.line_column(offset);
            Some(Location::new(file.clone(), Some(line), Some(column)))
        };
        let parsed: RulesFile = toml::from_str(text).map_err(|e| {
            let location = e.span().and_then(|s| at(s.start)).or(Some(Location::file(file.clone())));
            Diagnostics(vec![
                Diagnostic::new(location, format!("invalid rules file: {}", e.message().trim()))
                    .with_hint("a rules file holds [[rule]] tables (name, severity, description, fix, optionally description_ja and fix_ja, and a [rule.check] table) and a [report] table (title, doc_id, revision, scope, prepared_by and approved_by, \"NAME, ROLE\" each)"),
            ])
        })?;
        let mut problems = Diagnostics::default();
        let mut rules = Vec::new();
        for spanned in parsed.rule {
            let location = at(spanned.span().start);
            let raw = spanned.into_inner();
            let mut bad = |message: String| {
                problems.push(Diagnostic::new(
                    location.clone(),
                    format!("rule {:?}: {message}", raw.name),
                ));
            };
            match parse_rule(&raw, graph) {
                Ok(rule) => rules.push(rule),
                Err(messages) => messages.into_iter().for_each(&mut bad),
            }
        }
        if rules
            .iter()
            .enumerate()
            .any(|(i, r)| rules[..i].iter().any(|o| o.name == r.name))
        {
            problems.push(Diagnostic::new(
                Some(Location::file(file.clone())),
                "two rules have the same name",
            ));
        }
        if problems.is_empty() {
            Ok((Rules { rules }, parsed.report))
        } else {
            Err(problems)
        }
    }
}

fn parse_rule(raw: &RawRule, graph: &Graph) -> Result<Rule, Vec<String>> {
    let mut errors = Vec::new();
    let catalog = graph.catalog();
    let severity = raw
        .severity
        .parse()
        .map_err(|e| errors.push(e))
        .unwrap_or(Severity::Info);
    let mut severity_by_status = BTreeMap::new();
    for (status, severity) in &raw.severity_by_status {
        match (status.parse::<Status>(), severity.parse::<Severity>()) {
            (Ok(s), Ok(v)) => {
                severity_by_status.insert(s, v);
            }
            (Err(e), _) => errors.push(format!("severity_by_status: {e}; {}", e.hint())),
            (_, Err(e)) => errors.push(e),
        }
    }
    let c = &raw.check;
    let mut kind = |required: bool| -> Option<NodeKind> {
        match c.kind.as_deref().map(str::parse::<NodeKind>) {
            Some(Ok(k)) => Some(k),
            Some(Err(e)) => {
                errors.push(format!("{e}; {}", e.hint()));
                None
            }
            None if required => {
                errors.push(format!("the {} check needs `kind`", c.kind_of_check));
                None
            }
            None => None,
        }
    };
    let kind = kind(matches!(
        c.kind_of_check.as_str(),
        "min_links" | "target_status" | "needs_review" | "field_coverage"
    ));
    let statuses = |words: &[String], errors: &mut Vec<String>| -> Vec<Status> {
        words
            .iter()
            .filter_map(|w| {
                w.parse::<Status>()
                    .map_err(|e| errors.push(format!("{e}; {}", e.hint())))
                    .ok()
            })
            .collect()
    };
    let relation = |name: &str, errors: &mut Vec<String>| -> Option<RelationId> {
        catalog
            .lookup(name)
            .map_err(|e| {
                errors.push(format!(
                    "{e}{}",
                    e.suggestion
                        .as_ref()
                        .map(|s| format!(" (did you mean {s:?}?)"))
                        .unwrap_or_default()
                ));
            })
            .ok()
    };
    let relations = |names: &[String], errors: &mut Vec<String>| -> Vec<RelationId> {
        names.iter().filter_map(|n| relation(n, errors)).collect()
    };
    let check = match c.kind_of_check.as_str() {
        "min_links" => {
            let via = c
                .via
                .iter()
                .filter_map(|v| {
                    let (incoming, name) = match v.strip_prefix('<') {
                        Some(name) => (true, name),
                        None => (false, v.as_str()),
                    };
                    relation(name, &mut errors).map(|relation| Via { relation, incoming })
                })
                .collect::<Vec<_>>();
            if c.via.is_empty() {
                errors.push("min_links needs `via`: relation names, `<name` for incoming".into());
            }
            let mut to = KindSet::default();
            for word in &c.to {
                match word.as_str() {
                    "*" => to = KindSet::ANY,
                    w => match w.parse::<NodeKind>() {
                        Ok(k) => to.insert(k),
                        Err(e) => errors.push(format!("{e}; {}", e.hint())),
                    },
                }
            }
            if c.to.is_empty() {
                to = KindSet::ANY;
            }
            let unless = match &c.unless {
                None => None,
                Some(map) => match (map.get("attribute"), map.get("value")) {
                    (Some(a), Some(v)) if map.len() == 2 => Some((a.clone(), v.clone())),
                    _ => {
                        errors.push("`unless` is { attribute = NAME, value = VALUE }".into());
                        None
                    }
                },
            };
            Check::MinLinks {
                kind: kind.unwrap_or(NodeKind::Device),
                statuses: statuses(&c.statuses, &mut errors),
                via,
                to,
                min: c.min.unwrap_or(1),
                unless,
            }
        }
        "stale_reference" => Check::StaleReference {
            relations: relations(&c.relations, &mut errors),
            replaced_by: relations(&c.replaced_by, &mut errors),
            parts: relations(&c.parts, &mut errors),
        },
        "target_status" => Check::TargetStatus {
            kind: kind.unwrap_or(NodeKind::Guideline),
            statuses: statuses(&c.statuses, &mut errors),
            relations: relations(&c.relations, &mut errors),
            target_statuses: statuses(&c.target_statuses, &mut errors),
        },
        "needs_review" => Check::NeedsReview {
            kind: kind.unwrap_or(NodeKind::Guideline),
            statuses: statuses(&c.statuses, &mut errors),
            relation: c
                .relation
                .as_deref()
                .and_then(|r| relation(r, &mut errors))
                .unwrap_or_else(|| {
                    errors.push("needs_review needs `relation`".into());
                    RelationId(0)
                }),
            review_attribute: c
                .review_attribute
                .clone()
                .unwrap_or_else(|| "last_reviewed".into()),
        },
        "unconnected" => Check::Unconnected,
        "both_current" => Check::BothCurrent {
            relations: relations(&c.relations, &mut errors),
            current: statuses(&c.current, &mut errors),
        },
        "field_coverage" => Check::FieldCoverage {
            relation: c
                .relation
                .as_deref()
                .and_then(|r| relation(r, &mut errors))
                .unwrap_or_else(|| {
                    errors.push("field_coverage needs `relation`".into());
                    RelationId(0)
                }),
            kind: kind.unwrap_or(NodeKind::Guideline),
            statuses: statuses(&c.statuses, &mut errors),
            target: match (&c.target_node, &c.target_attribute) {
                (Some(n), Some(a)) => Some((n.clone(), a.clone())),
                (None, None) => None,
                _ => {
                    errors.push("give both target_node and target_attribute, or neither".into());
                    None
                }
            },
        },
        "marked" => Check::Marked {
            attribute: c.attribute.clone().unwrap_or_else(|| {
                errors.push("marked needs `attribute`: the attribute that marks a node".into());
                String::new()
            }),
            value: c.value.clone(),
            explained_by: c.explained_by.clone(),
        },
        other => {
            errors.push(format!(
                "unknown check type {other:?}; use one of {}",
                CHECK_TYPES.join(", ")
            ));
            Check::Unconnected
        }
    };
    if errors.is_empty() {
        Ok(Rule {
            name: raw.name.clone(),
            severity,
            severity_by_status,
            description: raw.description.clone(),
            description_ja: raw.description_ja.clone(),
            fix: raw.fix.clone(),
            fix_ja: raw.fix_ja.clone(),
            check,
        })
    } else {
        Err(errors)
    }
}
