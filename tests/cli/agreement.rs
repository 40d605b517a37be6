//! On a 46,000-node CSV pair of the bulk shape, `impact --format json` agrees with an
//! independent breadth-first search: same nodes, same distances, every path a real shortest chain.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::Write;

use crate::{Rng, import_into, json};

#[test]
fn impact_agrees_with_an_independent_bfs_on_46000_nodes() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = std::io::BufWriter::new(std::fs::File::create(dir.path().join("nodes.csv")).unwrap());
    let mut edges_file =
        std::io::BufWriter::new(std::fs::File::create(dir.path().join("edges.csv")).unwrap());
    writeln!(nodes, "id,kind,title").unwrap();
    writeln!(edges_file, "from,to,relation").unwrap();

    let plan = [
        ("REG", 50, "regulation"),
        ("STD", 5_000, "standard"),
        ("TM", 10_000, "test_method"),
        ("EI", 25_000, "evaluation_item"),
        ("GL", 1_000, "guideline"),
        ("DEV", 5_000, "device"),
    ];
    for (prefix, count, kind) in plan {
        for i in 0..count {
            writeln!(nodes, "{prefix}-{i},{kind},{kind} {i}").unwrap();
        }
    }
    assert_eq!(plan.iter().map(|p| p.1).sum::<usize>(), 46_050);

    let mut rng = Rng(46_000);
    let mut edges: Vec<(String, String)> = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |edges: &mut Vec<(String, String)>, from: String, to: String, relation: &str| {
        if from != to && seen.insert((from.clone(), to.clone(), relation.to_owned())) {
            writeln!(edges_file, "{from},{to},{relation}").unwrap();
            edges.push((from, to));
        }
    };
    for i in 0..5_000 {
        for _ in 0..rng.below(4) {
            let t = rng.skewed(5_000);
            add(&mut edges, format!("STD-{i}"), format!("STD-{t}"), "cites");
        }
    }
    for i in 0..10_000 {
        for _ in 0..1 + rng.below(3) {
            let t = rng.skewed(5_000);
            add(&mut edges, format!("TM-{i}"), format!("STD-{t}"), "specified_by");
        }
    }
    for i in 0..25_000 {
        for _ in 0..1 + rng.below(2) {
            let t = rng.below(10_000);
            add(&mut edges, format!("EI-{i}"), format!("TM-{t}"), "verified_by");
        }
    }
    for i in 0..1_000 {
        for _ in 0..25 {
            let t = rng.below(25_000);
            add(&mut edges, format!("GL-{i}"), format!("EI-{t}"), "requires");
        }
        for _ in 0..1 + rng.below(6) {
            let t = rng.skewed(5_000);
            add(&mut edges, format!("GL-{i}"), format!("STD-{t}"), "cites");
        }
    }
    for i in 0..5_000 {
        for _ in 0..1 + rng.below(3) {
            let t = rng.below(1_000);
            add(&mut edges, format!("DEV-{i}"), format!("GL-{t}"), "covered_by");
        }
    }
    for i in 0..50 {
        for _ in 0..1 + rng.below(5) {
            let s = rng.below(5_000);
            add(&mut edges, format!("STD-{s}"), format!("REG-{i}"), "governed_by");
        }
        for _ in 0..rng.below(4) {
            let g = rng.below(1_000);
            add(&mut edges, format!("GL-{g}"), format!("REG-{i}"), "governed_by");
        }
    }
    nodes.flush().unwrap();
    drop(nodes);
    edges_file.flush().unwrap();
    drop(edges_file);

    let db = dir.path().join("x.db");
    import_into(&db, &[dir.path().join("nodes.csv"), dir.path().join("edges.csv")]);
    let db = db.to_str().unwrap();

    // The oracle: all six relations mean "from depends on to", so a change to X impacts
    // every `from` of an edge into X, transitively.
    let mut dependents: HashMap<&str, Vec<&str>> = HashMap::new();
    let edge_set: HashSet<(&str, &str)> = edges.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
    for (from, to) in &edges {
        dependents.entry(to.as_str()).or_default().push(from.as_str());
    }
    let oracle = |root: &str| -> BTreeMap<String, u64> {
        let mut distance: HashMap<&str, u64> = HashMap::from([(root, 0)]);
        let mut queue = VecDeque::from([root]);
        while let Some(x) = queue.pop_front() {
            for &y in dependents.get(x).map(Vec::as_slice).unwrap_or_default() {
                if !distance.contains_key(y) {
                    distance.insert(y, distance[x] + 1);
                    queue.push_back(y);
                }
            }
        }
        distance
            .into_iter()
            .filter(|(id, _)| *id != root)
            .map(|(id, d)| (id.to_owned(), d))
            .collect()
    };

    let mut cited: HashMap<&str, usize> = HashMap::new();
    for (from, to) in &edges {
        if from.starts_with("STD-") && to.starts_with("STD-") {
            *cited.entry(to.as_str()).or_default() += 1;
        }
    }
    let most_cited = cited
        .iter()
        .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
        .map(|(id, _)| id.to_string())
        .unwrap();
    let mut roots = vec![
        most_cited,
        "REG-0".to_owned(),
        "REG-49".to_owned(),
        "TM-7".to_owned(),
        "EI-24999".to_owned(),
        "GL-3".to_owned(),
        "DEV-1".to_owned(),
    ];
    let mut pick = Rng(7);
    roots.extend((0..8).map(|_| format!("STD-{}", pick.below(5_000))));

    let mut largest = 0;
    for root in &roots {
        let answer = json(&["--db", db, "impact", root, "--format", "json"]);
        let expected = oracle(root);
        let mut got = BTreeMap::new();
        let mut previous = (0, String::new());
        for hit in answer["impacted"].as_array().unwrap() {
            let id = hit["id"].as_str().unwrap().to_owned();
            let distance = hit["distance"].as_u64().unwrap();
            let path: Vec<&str> = hit["path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(path.len() as u64 - 1, distance, "{root}: {hit}");
            assert_eq!((path[0], *path.last().unwrap()), (root.as_str(), id.as_str()));
            for pair in path.windows(2) {
                assert!(
                    edge_set.contains(&(pair[1], pair[0])),
                    "{root}: no edge {} -> {}",
                    pair[1],
                    pair[0]
                );
            }
            assert!((distance, id.clone()) > previous, "ordered by distance, then id");
            previous = (distance, id.clone());
            got.insert(id, distance);
        }
        assert_eq!(got, expected, "impact of {root}");
        assert_eq!(answer["total"].as_u64().unwrap() as usize, expected.len());
        largest = largest.max(expected.len());
    }
    // The skew makes the most-cited standard reach much of the graph.
    assert!(largest > 10_000, "largest impact {largest}");
}
