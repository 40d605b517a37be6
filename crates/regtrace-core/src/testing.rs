//! Test helpers shared by the unit tests of several modules: every catalog a unit test
//! builds a graph with is declared here, once. (The parser's own tests in `catalog.rs` keep
//! the texts they parse.)

use crate::catalog::RelationCatalog;

fn parse(text: &str) -> RelationCatalog {
    RelationCatalog::from_toml("catalog.toml", text).expect("a test catalog is valid")
}

/// A small catalog for unit tests: cites, requires, governed_by, belongs_to.
pub fn catalog() -> RelationCatalog {
    RelationCatalog::from_toml(
        "catalog.toml",
        r#"
        [[relation]]
        name = "cites"
        from = ["*"]
        to = ["standard"]
        impact = "to_source"
        [[relation]]
        name = "requires"
        from = ["guideline"]
        to = ["evaluation_item"]
        impact = "to_source"
        [[relation]]
        name = "governed_by"
        from = ["*"]
        to = ["regulation"]
        impact = "to_source"
        [[relation]]
        name = "belongs_to"
        from = ["*"]
        to = ["field"]
        impact = "none"
        "#,
    )
    .unwrap()
}

/// Kind rules and cycles: `cites` only from guidelines and standards to standards; `supersedes`
/// between standards, acyclic.
pub fn cited_standards() -> RelationCatalog {
    parse(
        r#"
[[relation]]
name = "cites"
from = ["guideline", "standard"]
to = ["standard"]
impact = "to_source"

[[relation]]
name = "supersedes"
from = ["standard"]
to = ["standard"]
impact = "none"
acyclic = true
"#,
    )
}

/// Traversal in every direction between any kinds: `cites` (to_source), `applies_to`
/// (to_target), `supersedes` (none, replaces its target).
pub fn any_kind() -> RelationCatalog {
    parse(
        r#"
[[relation]]
name = "cites"
from = ["*"]
to = ["*"]
impact = "to_source"

[[relation]]
name = "applies_to"
from = ["*"]
to = ["*"]
impact = "to_target"

[[relation]]
name = "supersedes"
from = ["*"]
to = ["*"]
impact = "none"
replaces = true
"#,
    )
}

/// Standards as family → edition → clause, with supersedes and the clause crosswalk relations.
pub fn editions() -> RelationCatalog {
    parse(
        r#"
[[relation]]
name = "cites"
from = ["*"]
to = ["*"]
impact = "to_source"
[[relation]]
name = "part_of"
from = ["clause"]
to = ["standard"]
impact = "to_source"
[[relation]]
name = "edition_of"
from = ["standard"]
to = ["standard_family"]
impact = "to_target"
[[relation]]
name = "supersedes"
from = ["standard"]
to = ["standard"]
impact = "none"
acyclic = true
replaces = true
[[relation]]
name = "equivalent_to"
from = ["clause"]
to = ["clause"]
impact = "none"
[[relation]]
name = "intersects_with"
from = ["clause"]
to = ["clause"]
impact = "none"
[[relation]]
name = "no_counterpart"
from = ["clause"]
to = ["standard"]
impact = "none"
"#,
    )
}
