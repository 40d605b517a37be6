//! Property: whatever valid data set is imported, exporting it as JSON and importing that
//! gives the same store (the same export, byte for byte), and the export is what the data set
//! itself exports. Random data sets: every kind, every relation the built-in catalog allows
//! between the kinds drawn, arbitrary Unicode text (hostile characters included), dates,
//! statuses, attributes and link provenance.

use chrono::Datelike as _;
use proptest::prelude::*;
use regtrace_core::{Dates, Edge, Graph, Node, NodeKind};
use regtrace_store::Store;

/// Text as users might write it, and worse: any Unicode (NUL too), at most 40 characters.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<char>(),
            2 => prop::sample::select(vec!['人', '工', '心', '臓', '「', '」', '\u{202e}', '\u{1b}', '\0', '"', '\\', '\n', '<', '=', ' ']),
        ],
        1..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
    .prop_filter("a title needs some text", |s: &String| !s.trim().is_empty())
}

#[derive(Debug, Clone)]
struct DrawnNode {
    kind: NodeKind,
    title: String,
    title_ja: Option<String>,
    status: usize,
    day: Option<u32>,
    attributes: Vec<(String, String)>,
    source: Option<String>,
}

fn node() -> impl Strategy<Value = DrawnNode> {
    (
        prop::sample::select(NodeKind::ALL.to_vec()),
        text(),
        prop::option::of(text()),
        0usize..8,
        prop::option::of(0u32..20_000),
        prop::collection::vec(("[a-z_]{1,8}", text()), 0..3),
        prop::option::of(text()),
    )
        .prop_map(
            |(kind, title, title_ja, status, day, attributes, source)| DrawnNode {
                kind,
                title,
                title_ja,
                status,
                day,
                attributes,
                source,
            },
        )
}

/// A valid graph from the drawn parts: each drawn link gets the first catalog relation that
/// allows its ends' kinds (links no relation allows are dropped); acyclic relations only run
/// from a later node to an earlier one, so they cannot loop.
fn build(nodes: &[DrawnNode], links: &[(usize, usize, usize, bool)]) -> Graph {
    let catalog = regtrace_source::embedded::catalog();
    let nodes: Vec<Node> = nodes
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut node = Node::new(format!("N-{i}"), d.kind, d.title.clone());
            node.title_ja = d.title_ja.clone();
            let statuses = d.kind.allowed_statuses();
            node.status = (!statuses.is_empty() && d.status < statuses.len()).then(|| statuses[d.status]);
            node.source = d.source.clone();
            node.attributes = d.attributes.iter().cloned().collect();
            if let Some(day) = d.day {
                let date =
                    chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(day as u64);
                // Days, and months and years where a source gives no more.
                let date = match day % 3 {
                    0 => regtrace_core::Date::day(date),
                    1 => regtrace_core::Date::month(date.year(), date.month()).unwrap(),
                    _ => regtrace_core::Date::year(date.year()).unwrap(),
                };
                node.dates = Dates {
                    published: Some(date),
                    withdrawn: (day % 5 == 0).then_some(date),
                    ..Dates::default()
                };
            }
            node
        })
        .collect();
    let mut edges: Vec<Edge> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for &(from, to, pick, with_source) in links {
        let (from, to) = (from % nodes.len(), to % nodes.len());
        if from == to {
            continue;
        }
        let (a, b) = (nodes[from].kind, nodes[to].kind);
        let allowed: Vec<&str> = catalog
            .relations()
            .iter()
            .filter(|r| r.from.contains(a) && r.to.contains(b) && (!r.same_kind || a == b))
            .filter(|r| !r.acyclic || from > to)
            .map(|r| r.name.as_str())
            .collect();
        if allowed.is_empty() {
            continue;
        }
        let relation = allowed[pick % allowed.len()];
        if seen.insert((from, to, relation)) {
            let mut edge = Edge::new(nodes[from].id.clone(), relation, nodes[to].id.clone());
            edge.source = with_source.then(|| format!("slide {pick}"));
            edges.push(edge);
        }
    }
    Graph::build(catalog, nodes, edges).expect("the drawn data set is valid by construction")
}

fn export(graph: &Graph) -> String {
    let mut bytes = Vec::new();
    regtrace_source::json_format::write(graph, &mut bytes).unwrap();
    String::from_utf8(bytes).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn import_export_import_gives_the_same_store(
        nodes in prop::collection::vec(node(), 1..25),
        links in prop::collection::vec((0usize..25, 0usize..25, 0usize..8, any::<bool>()), 0..60),
    ) {
        let graph = build(&nodes, &links);
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first.db");
        Store::open_for_writing(&first).unwrap().import(&graph, &["drawn".into()]).unwrap();
        let exported = export(&Store::open(&first).unwrap().load().unwrap());
        prop_assert_eq!(&exported, &export(&graph), "the store holds what was imported");

        let again = regtrace_source::load_texts(&[("export.json", exported.as_str())], None)
            .map_err(|d| TestCaseError::fail(d.to_string()))?;
        let second = dir.path().join("second.db");
        Store::open_for_writing(&second).unwrap().import(&again, &["export.json".into()]).unwrap();
        let exported_again = export(&Store::open(&second).unwrap().load().unwrap());
        prop_assert_eq!(exported, exported_again);
    }
}
