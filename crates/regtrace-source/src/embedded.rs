//! The data compiled into the binary: the default relation catalog and the METI/AIST 2013 seed
//! data set, so that `regtrace` answers on a fresh machine with no set-up.

use regtrace_core::{Diagnostics, Graph, RelationCatalog};

/// The default audit rules, `data/audit.toml`.
pub const AUDIT_RULES: (&str, &str) = ("data/audit.toml", include_str!("../../../data/audit.toml"));

/// The default relation catalog, `data/catalog.toml`.
pub const CATALOG: (&str, &str) = ("data/catalog.toml", include_str!("../../../data/catalog.toml"));

/// The seed data set, `data/meti-2013/*.toml`, as (name, text) pairs in file-name order: the
/// order `regtrace import data/meti-2013` reads them in, so both give the same graph.
pub const SEED: &[(&str, &str)] = &[
    (
        "data/meti-2013/audit.toml",
        include_str!("../../../data/meti-2013/audit.toml"),
    ),
    (
        "data/meti-2013/devices.toml",
        include_str!("../../../data/meti-2013/devices.toml"),
    ),
    (
        "data/meti-2013/evaluation.toml",
        include_str!("../../../data/meti-2013/evaluation.toml"),
    ),
    (
        "data/meti-2013/fields.toml",
        include_str!("../../../data/meti-2013/fields.toml"),
    ),
    (
        "data/meti-2013/guidelines.toml",
        include_str!("../../../data/meti-2013/guidelines.toml"),
    ),
    (
        "data/meti-2013/policies.toml",
        include_str!("../../../data/meti-2013/policies.toml"),
    ),
    (
        "data/meti-2013/programme.toml",
        include_str!("../../../data/meti-2013/programme.toml"),
    ),
    (
        "data/meti-2013/regulations.toml",
        include_str!("../../../data/meti-2013/regulations.toml"),
    ),
    (
        "data/meti-2013/standards.toml",
        include_str!("../../../data/meti-2013/standards.toml"),
    ),
];

/// The default relation catalog.
pub fn catalog() -> RelationCatalog {
    // Tests check the shipped catalog parses; should it ever not, fall back to an empty
    // catalog so that the problem surfaces as validation errors rather than a crash.
    RelationCatalog::from_toml(CATALOG.0, CATALOG.1)
        .or_else(|_| RelationCatalog::new(Vec::new()))
        .unwrap_or_else(|_| unreachable!("an empty catalog has no duplicate names"))
}

/// The seed data set validated into a graph with the default catalog.
pub fn seed() -> Result<Graph, Diagnostics> {
    crate::load_texts(SEED, Some(catalog()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalog_and_seed_are_valid() {
        RelationCatalog::from_toml(CATALOG.0, CATALOG.1).unwrap();
        if let Err(problems) = seed() {
            panic!("{problems}");
        }
    }

    #[test]
    fn the_default_audit_rules_are_valid() {
        let graph = seed().unwrap();
        let rules = regtrace_core::audit::Rules::from_toml(AUDIT_RULES.0, AUDIT_RULES.1, &graph).unwrap();
        assert_eq!(rules.rules.len(), 11);
    }

    #[test]
    fn every_seed_file_is_embedded_in_directory_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/meti-2013");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = SEED
            .iter()
            .map(|(n, _)| n.rsplit('/').next().unwrap().to_owned())
            .collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
