//! Graph::reach agrees with a plain breadth-first search written independently, on random
//! graphs with cycles, diamonds, `none` and `to_target` relations and several roots.

use std::collections::{BTreeMap, VecDeque};

use proptest::prelude::*;
use regtrace_core::{Direction, Edge, Graph, Node, NodeKind, ReachOptions, RelationCatalog};

const CATALOG: &str = r#"
[[relation]]
name = "up"
from = ["*"]
to = ["*"]
impact = "to_source"

[[relation]]
name = "down"
from = ["*"]
to = ["*"]
impact = "to_target"

[[relation]]
name = "inert"
from = ["*"]
to = ["*"]
impact = "none"
"#;

const RELATIONS: [&str; 3] = ["up", "down", "inert"];

/// The oracle: distances from the roots, following the documented rule literally.
fn oracle(
    n: usize,
    edges: &[(usize, usize, usize)],
    roots: &[usize],
    direction: Direction,
) -> BTreeMap<usize, u32> {
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(from, to, relation) in edges {
        // A change to the target of `up` impacts its source; a change to the source of `down`
        // impacts its target. Dependencies are the reverse.
        let (a, b) = match (RELATIONS[relation], direction) {
            ("up", Direction::Impact) | ("down", Direction::Dependencies) => (to, from),
            ("down", Direction::Impact) | ("up", Direction::Dependencies) => (from, to),
            _ => continue,
        };
        next[a].push(b);
    }
    let mut distance: BTreeMap<usize, u32> = roots.iter().map(|&r| (r, 0)).collect();
    let mut queue: VecDeque<usize> = roots.iter().copied().collect();
    while let Some(x) = queue.pop_front() {
        for &y in &next[x] {
            if !distance.contains_key(&y) {
                distance.insert(y, distance[&x] + 1);
                queue.push_back(y);
            }
        }
    }
    for r in roots {
        distance.remove(r);
    }
    distance
}

fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize, usize)>, Vec<usize>)> {
    (2usize..40).prop_flat_map(|n| {
        let edges = prop::collection::vec((0..n, 0..n, 0..3usize), 0..(n * 3));
        let roots = prop::collection::vec(0..n, 1..4);
        (Just(n), edges, roots)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn reach_matches_a_plain_bfs((n, edges, roots) in graph_strategy(), dependencies in any::<bool>()) {
        // Self-loops and duplicate edges are rejected by validation; drop them here.
        let mut edges: Vec<(usize, usize, usize)> = edges.into_iter().filter(|(a, b, _)| a != b).collect();
        edges.sort();
        edges.dedup();
        let catalog = RelationCatalog::from_toml("c.toml", CATALOG).unwrap();
        let nodes = (0..n).map(|i| Node::new(format!("N{i:02}"), NodeKind::Standard, "t")).collect();
        let graph_edges: Vec<Edge> = edges.iter().map(|&(a, b, r)| Edge::new(format!("N{a:02}"), RELATIONS[r], format!("N{b:02}"))).collect();
        let graph = Graph::build(catalog, nodes, graph_edges).unwrap();
        let direction = if dependencies { Direction::Dependencies } else { Direction::Impact };

        let root_ix: Vec<_> = roots.iter().map(|&r| graph.find(&format!("N{r:02}")).unwrap()).collect();
        let reach = graph.reach(&root_ix, direction, &ReachOptions::default());
        let expected = oracle(n, &edges, &roots, direction);

        let got: BTreeMap<usize, u32> = reach.hits.iter().map(|h| (h.node.index(), h.distance)).collect();
        prop_assert_eq!(&got, &expected);

        // Ordered by distance, then id.
        let order: Vec<(u32, &str)> = reach.hits.iter().map(|h| (h.distance, graph.node(h.node).id.as_str())).collect();
        let mut sorted = order.clone();
        sorted.sort();
        prop_assert_eq!(order, sorted);

        // Every path is a real chain of the traversal's steps, from a root, of the hit's length.
        for hit in &reach.hits {
            let (path, steps) = reach.path(&graph, hit.node);
            prop_assert_eq!(path.len() as u32 - 1, hit.distance);
            prop_assert_eq!(steps.len(), path.len() - 1);
            prop_assert!(roots.contains(&path[0].index()));
            prop_assert_eq!(*path.last().unwrap(), hit.node);
            for (pair, step) in path.windows(2).zip(&steps) {
                let link = graph.link(*step);
                let relation = graph.catalog().get(link.relation).name.as_str();
                let (a, b) = (pair[0], pair[1]);
                let flows = match (relation, direction) {
                    ("up", Direction::Impact) | ("down", Direction::Dependencies) => link.to == a && link.from == b,
                    ("down", Direction::Impact) | ("up", Direction::Dependencies) => link.from == a && link.to == b,
                    _ => false,
                };
                prop_assert!(flows, "step {:?} does not flow {:?} -> {:?}", relation, a, b);
            }
        }
    }
}
