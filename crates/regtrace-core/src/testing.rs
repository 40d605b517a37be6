//! Test helpers shared by the unit tests of several modules.

use crate::catalog::RelationCatalog;

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
