//! What counts as a change of a node's content: per kind, the fields whose values are compared,
//! whitespace-insensitively. Set in the catalog (`[[fingerprint]]` tables of
//! `data/catalog.toml`); used by `import --record-changes` and `diff --impact`.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::{Node, NodeKind};

/// The field names a fingerprint may list: a node's own fields but its id, and `attributes`
/// (every attribute) or `attributes.NAME` (one of them).
pub fn field_names() -> impl Iterator<Item = &'static str> {
    Node::FIELDS
        .into_iter()
        .filter(|f| *f != "id")
        .chain(["attributes"])
}

/// A `[[fingerprint]]` table as written: a kind (or `*` for every kind without its own table)
/// and its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FingerprintSpec {
    /// A kind word, or `*`.
    pub kind: String,
    /// Field names from [`FIELDS`], `attributes.NAME`, or `!attributes.NAME` (that attribute
    /// left out of `attributes`).
    pub fields: Vec<String>,
}

/// The fingerprint fields of every kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprints {
    specs: Vec<FingerprintSpec>,
    by_kind: HashMap<NodeKind, Vec<String>>,
    fallback: Vec<String>,
}

impl Default for Fingerprints {
    /// Every field but the provenance (`source`): a node's content, not where it was read.
    fn default() -> Self {
        Fingerprints {
            specs: Vec::new(),
            by_kind: HashMap::new(),
            fallback: field_names()
                .filter(|f| *f != "source")
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// A node's content as compared: field name → value with whitespace runs folded to one space.
pub type Fingerprint = BTreeMap<String, String>;

impl Fingerprints {
    /// Checks specs (each with where it was written), reporting every problem.
    pub fn from_specs(specs: Vec<(Option<Location>, FingerprintSpec)>) -> Result<Self, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut fingerprints = Fingerprints::default();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for (location, spec) in specs {
            if seen.insert(spec.kind.clone(), ()).is_some() {
                diagnostics.push(
                    Diagnostic::new(
                        location.clone(),
                        format!("fingerprint of {:?} is defined twice", spec.kind),
                    )
                    .with_hint("keep one [[fingerprint]] table per kind"),
                );
            }
            for field in &spec.fields {
                // `!attributes.NAME` leaves one attribute out of `attributes`.
                let named = |f: &str| f.strip_prefix("attributes.").is_some_and(|name| !name.is_empty());
                let known = field_names().any(|f| f == field)
                    || named(field)
                    || field.strip_prefix('!').is_some_and(named);
                if !known {
                    diagnostics.push(
                        Diagnostic::new(
                            location.clone(),
                            format!("fingerprint of {:?}: unknown field {field:?}", spec.kind),
                        )
                        .with_hint(format!(
                            "use {}, attributes.NAME, or !attributes.NAME to leave one out",
                            field_names().collect::<Vec<_>>().join(", ")
                        )),
                    );
                }
            }
            if spec.kind == "*" {
                fingerprints.fallback = spec.fields.clone();
            } else {
                match spec.kind.parse::<NodeKind>() {
                    Ok(kind) => {
                        fingerprints.by_kind.insert(kind, spec.fields.clone());
                    }
                    Err(unknown) => diagnostics.push(
                        Diagnostic::new(
                            location.clone(),
                            format!("fingerprint: unknown kind {:?}", spec.kind),
                        )
                        .with_hint(unknown.hint()),
                    ),
                }
            }
            fingerprints.specs.push(spec);
        }
        if diagnostics.is_empty() {
            Ok(fingerprints)
        } else {
            Err(diagnostics)
        }
    }

    /// The specs as written, e.g. to store them.
    pub fn specs(&self) -> &[FingerprintSpec] {
        &self.specs
    }

    /// The fields that count for `kind`.
    pub fn fields(&self, kind: NodeKind) -> &[String] {
        self.by_kind.get(&kind).unwrap_or(&self.fallback)
    }

    /// True if `field` (a name of [`Node::field_values`]) counts for `kind`.
    pub fn counts(&self, kind: NodeKind, field: &str) -> bool {
        let fields = self.fields(kind);
        let left_out = fields.iter().any(|f| f.strip_prefix('!') == Some(field));
        !left_out
            && fields
                .iter()
                .any(|f| f == field || (f == "attributes" && field.starts_with("attributes.")))
    }

    /// The fingerprint of `node`: its counted fields, whitespace-folded. Unset fields are absent.
    pub fn of(&self, node: &Node) -> Fingerprint {
        let values = node.field_values();
        let mut print = Fingerprint::new();
        let fields = self.fields(node.kind);
        let left_out = |name: &str| fields.iter().any(|f| f.strip_prefix('!') == Some(name));
        for field in fields {
            if field == "attributes" {
                for (name, value) in values.range("attributes.".to_owned()..) {
                    if !name.starts_with("attributes.") {
                        break;
                    }
                    if !left_out(name) {
                        print.insert(name.clone(), fold_whitespace(value));
                    }
                }
            } else if let Some(value) = values.get(field) {
                print.insert(field.clone(), fold_whitespace(value));
            }
        }
        print
    }
}

/// Trims and folds every run of whitespace (including ideographic spaces and line ends) into
/// one ASCII space, so re-wrapping or re-indenting a title is not a change.
pub fn fold_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_attribute_left_out_does_not_count() {
        let spec = FingerprintSpec {
            kind: "requirement".into(),
            fields: vec![
                "title".into(),
                "attributes".into(),
                "!attributes.ReqIF.ForeignModifiedOn".into(),
            ],
        };
        let prints = Fingerprints::from_specs(vec![(None, spec)]).unwrap();
        let mut a = Node::new("r", NodeKind::Requirement, "The pump shall stop");
        a.attributes
            .insert("ReqIF.ForeignModifiedOn".into(), "2026-11-02".into());
        a.attributes.insert("Safety class".into(), "B".into());
        let mut b = a.clone();
        b.attributes
            .insert("ReqIF.ForeignModifiedOn".into(), "2026-11-20".into());
        assert_eq!(prints.of(&a), prints.of(&b), "bookkeeping is not a change");
        assert!(!prints.counts(NodeKind::Requirement, "attributes.ReqIF.ForeignModifiedOn"));
        assert!(prints.counts(NodeKind::Requirement, "attributes.Safety class"));
        b.attributes.insert("Safety class".into(), "C".into());
        assert_ne!(prints.of(&a), prints.of(&b));
        let bad = FingerprintSpec {
            kind: "requirement".into(),
            fields: vec!["!title".into()],
        };
        assert!(
            Fingerprints::from_specs(vec![(None, bad)]).is_err(),
            "only attributes are left out"
        );
    }

    use super::*;

    #[test]
    fn whitespace_edits_do_not_change_a_fingerprint_but_words_do() {
        let prints = Fingerprints::default();
        let mut a = Node::new("s", NodeKind::Standard, "Biological evaluation  of devices");
        a.attributes.insert("scope".into(), "all\u{3000}devices".into());
        let mut b = a.clone();
        b.title = "  Biological evaluation\n of devices ".into();
        b.attributes.insert("scope".into(), "all devices".into());
        b.source = Some("another slide".into());
        assert_eq!(prints.of(&a), prints.of(&b));
        b.title = "Biological evaluation of implants".into();
        assert_ne!(prints.of(&a), prints.of(&b));
    }

    #[test]
    fn kinds_can_count_fewer_fields_and_bad_specs_are_reported() {
        let spec = |kind: &str, fields: &[&str]| {
            (
                None,
                FingerprintSpec {
                    kind: kind.into(),
                    fields: fields.iter().map(|f| (*f).to_owned()).collect(),
                },
            )
        };
        let prints =
            Fingerprints::from_specs(vec![spec("standard", &["edition", "attributes.scope"])]).unwrap();
        let mut a = Node::new("s", NodeKind::Standard, "one");
        let mut b = Node::new("s", NodeKind::Standard, "two");
        a.attributes.insert("note".into(), "x".into());
        assert_eq!(
            prints.of(&a),
            prints.of(&b),
            "title and other attributes do not count"
        );
        b.edition = Some("2018".into());
        assert_ne!(prints.of(&a), prints.of(&b));
        assert_eq!(
            prints.fields(NodeKind::Guideline).len(),
            field_names().count() - 1
        );

        let err = Fingerprints::from_specs(vec![spec("standrd", &["titel"]), spec("*", &[]), spec("*", &[])])
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("unknown field \"titel\""), "{text}");
        assert!(text.contains("did you mean \"standard\""), "{text}");
        assert!(text.contains("defined twice"), "{text}");
    }
}
