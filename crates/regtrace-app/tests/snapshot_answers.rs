//! A database whose snapshot is current answers `show`, `search`, `list` and `stats` from the
//! snapshot, in place, without building the graph; these answers must be the ones the whole
//! graph gives. Checked on random graphs: random kinds, statuses, titles in both languages
//! (full-width forms, cases), designations, attributes and links.

use proptest::prelude::*;
use regtrace_app::nodes::{self, Related};
use regtrace_app::{DataSet, Origin, SnapshotState};
use regtrace_core::{Edge, Graph, Node, NodeKind, RelationCatalog, Status};

const CATALOG: &str = r#"
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
"#;

const KINDS: [NodeKind; 3] = [NodeKind::Standard, NodeKind::Guideline, NodeKind::Device];

/// Texts that fold in interesting ways: cases, full-width forms, kana and kanji, spaces.
fn text() -> impl Strategy<Value = String> {
    "[aAbBｂＡ1１ 人工心臓ーｰ]{1,6}"
}

/// One random node: (id stem, kind, status index, title, Japanese title, designation, attribute).
type RandomNode = (
    String,
    usize,
    usize,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn random_node() -> impl Strategy<Value = RandomNode> {
    (
        "[aAbB1]{0,3}",
        0..KINDS.len(),
        0..5usize,
        text(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
}

fn build(nodes: &[RandomNode], links: &[(usize, usize, bool)]) -> Graph {
    let catalog = RelationCatalog::from_toml("c.toml", CATALOG).unwrap();
    let ids: Vec<String> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{}-{i}", n.0))
        .collect();
    let records = nodes
        .iter()
        .zip(&ids)
        .map(|((_, kind, status, title, ja, designation, attribute), id)| {
            let kind = KINDS[*kind];
            let mut node = Node::new(id.clone(), kind, format!("T{title}"));
            node.status = kind.allowed_statuses().get(*status).copied();
            node.title_ja = ja.clone();
            node.designation = designation.clone();
            if let Some(value) = attribute {
                node.attributes.insert("note".into(), value.clone());
            }
            node
        })
        .collect();
    let mut pairs: Vec<(usize, usize, bool)> = links
        .iter()
        .map(|(a, b, c)| (a % nodes.len(), b % nodes.len(), *c))
        .filter(|(a, b, _)| a != b)
        .collect();
    pairs.sort();
    pairs.dedup();
    let edges: Vec<Edge> = pairs
        .iter()
        .map(|(a, b, cites)| {
            Edge::new(
                ids[*a].clone(),
                if *cites { "cites" } else { "applies_to" },
                ids[*b].clone(),
            )
        })
        .collect();
    Graph::build(catalog, records, edges).expect("a valid random graph")
}

/// A related node as comparable fields: relation, impact, id, kind, titles, status.
type RelatedFields<'a> = (
    &'a str,
    &'static str,
    &'a str,
    NodeKind,
    &'a str,
    Option<&'a str>,
    Option<Status>,
);

fn related(list: &[Related]) -> Vec<RelatedFields<'_>> {
    list.iter()
        .map(|r| {
            (
                r.relation.as_str(),
                r.impact,
                r.id.as_str(),
                r.kind,
                r.title.as_str(),
                r.title_ja.as_deref(),
                r.status,
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn the_snapshot_answers_as_the_graph_does(
        nodes in proptest::collection::vec(random_node(), 1..25),
        links in proptest::collection::vec((0..100usize, 0..100usize, any::<bool>()), 0..40),
        words in proptest::collection::vec(text(), 1..3),
        kind in proptest::option::of(0..KINDS.len()),
        statuses in proptest::collection::vec(0..Status::ALL.len(), 0..2),
        limit in 0..30usize,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("reg.db");
        let graph = build(&nodes, &links);
        regtrace_store::Store::create(&db, &graph, &[], &[], None).unwrap().expect("a new database");
        let stored = DataSet::database(&db).unwrap();
        prop_assert_eq!(stored.snapshot_state(), Some(SnapshotState::Current));
        let loaded = DataSet::of(Origin::Files(vec![]), build(&nodes, &links));

        let kinds: Vec<NodeKind> = kind.map(|k| KINDS[k]).into_iter().collect();
        let statuses: Vec<Status> = statuses.into_iter().map(|s| Status::ALL[s]).collect();
        let all = nodes::list(&stored, &kinds, &statuses, None).unwrap();
        prop_assert_eq!(&all, &nodes::list(&loaded, &kinds, &statuses, None).unwrap());
        prop_assert_eq!(all.total, all.nodes.len());
        let first = nodes::list(&stored, &kinds, &statuses, Some(limit)).unwrap();
        prop_assert_eq!(&first, &nodes::list(&loaded, &kinds, &statuses, Some(limit)).unwrap());
        // The limit keeps the first of the whole list and its total.
        prop_assert_eq!(first.total, all.total);
        prop_assert_eq!(&first.nodes[..], &all.nodes[..limit.min(all.total)]);

        let (a, b) = (
            nodes::search(&stored, &words, &kinds, limit).unwrap(),
            nodes::search(&loaded, &words, &kinds, limit).unwrap(),
        );
        prop_assert_eq!((a.total, &a.nodes, &a.query), (b.total, &b.nodes, &b.query));

        for node in graph.nodes() {
            let (a, b) = (nodes::show(&stored, &node.id).unwrap(), nodes::show(&loaded, &node.id).unwrap());
            prop_assert_eq!(&a.node, &b.node);
            prop_assert_eq!(related(&a.outgoing), related(&b.outgoing));
            prop_assert_eq!(related(&a.incoming), related(&b.incoming));
        }

        let (a, b) = (nodes::stats(&stored).unwrap(), nodes::stats(&loaded).unwrap());
        prop_assert_eq!((a.nodes, a.edges, &a.kinds, &a.relations), (b.nodes, b.edges, &b.kinds, &b.relations));

        // path, one shortest chain and all of them, between the first node and each other.
        let ids: Vec<&str> = graph.nodes().iter().map(|n| n.id.as_str()).collect();
        for to in &ids[1..] {
            for all in [false, true] {
                let request = nodes::PathRequest {
                    from: ids[0].to_owned(),
                    to: (*to).to_owned(),
                    all,
                    max: 5,
                    max_hops: 4,
                };
                let (a, b) = (
                    nodes::path(&stored, request.clone()).unwrap(),
                    nodes::path(&loaded, request).unwrap(),
                );
                let walks = |p: &nodes::Paths| {
                    p.walks.iter().map(|w| (w.ids.clone(), w.hops.clone(), w.chain.to_string())).collect::<Vec<_>>()
                };
                let passed = |p: &nodes::Paths| {
                    p.passed.iter().map(|n| (n.id.clone(), n.kind, n.title.clone(), n.title_ja.clone())).collect::<Vec<_>>()
                };
                prop_assert_eq!(walks(&a), walks(&b));
                prop_assert_eq!(passed(&a), passed(&b));
            }
        }
    }
}
