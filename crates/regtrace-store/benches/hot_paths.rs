//! The hot paths of a query on the benchmark workload (crates/regtrace-workload): loading the
//! graph from a database's rows, opening its snapshot, impact (worst case: the most-cited
//! standard; typical: a standard of median citations) on the loaded graph and on the snapshot,
//! and the full default audit.
//!
//! `cargo bench -p regtrace-store --bench hot_paths` (scale 0.2 by default;
//! `REGTRACE_BENCH_SCALE=1.0` for the full size). The whole-process comparison with sqlite3 and
//! networkx is bench/run.py; figures in docs/PERFORMANCE.md.

use criterion::{Criterion, criterion_group, criterion_main};
use regtrace_core::audit::Rules;
use regtrace_core::query::{Direction, ReachOptions, reach};
use regtrace_core::{Edge, Graph, GraphView, Node};
use regtrace_store::Store;

fn workload(scale: f64) -> (Graph, regtrace_workload::Summary) {
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    let summary = regtrace_workload::generate(
        scale,
        2026,
        |row| {
            let mut node = Node::new(row.id, row.kind.parse().expect("a kind"), row.title);
            node.title_ja = row.title_ja;
            node.status = row.status.map(|s| s.parse().expect("a status"));
            let date = row
                .date
                .map(|d| regtrace_core::model::parse_date(d).expect("a date"));
            match node.kind {
                regtrace_core::NodeKind::Regulation => node.dates.enacted = date,
                _ => node.dates.published = date,
            }
            nodes.push(node);
        },
        |row| edges.push(Edge::new(row.from, row.relation, row.to)),
    );
    let graph = Graph::build(regtrace_source::embedded::catalog(), nodes, edges).expect("a valid workload");
    (graph, summary)
}

fn hot_paths(c: &mut Criterion) {
    let scale: f64 = std::env::var("REGTRACE_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.2);
    let (graph, summary) = workload(scale);
    eprintln!(
        "workload at scale {scale}: {} nodes, {} edges; worst {}, typical {}",
        graph.node_count(),
        graph.edge_count(),
        summary.most_cited,
        summary.typical
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bench.db");
    Store::open_for_writing(&path)
        .and_then(|mut s| s.import(&graph, &["workload".into()]))
        .expect("import");
    let store = Store::open(&path).expect("open");

    let mut group = c.benchmark_group(format!("scale_{scale}"));
    group.sample_size(10);
    group.bench_function("load_rows", |b| b.iter(|| store.load().expect("load")));
    group.bench_function("open_snapshot", |b| {
        b.iter(|| {
            let snapshot = store.snapshot().expect("read").expect("current");
            snapshot.graph().expect("valid").node_count()
        });
    });
    let snapshot = store.snapshot().expect("read").expect("current");
    let compact = snapshot.graph().expect("valid");
    // What every command but impact and deps does first: the whole graph, from the snapshot.
    group.bench_function("load_snapshot_full_graph", |b| {
        b.iter(|| compact.to_graph().expect("whole").node_count());
    });
    let options = ReachOptions::default();
    for (name, id) in [("worst", &summary.most_cited), ("typical", &summary.typical)] {
        let root = graph.find(id).expect("the standard");
        group.bench_function(format!("impact_{name}_graph"), |b| {
            b.iter(|| reach(&graph, &[root], Direction::Impact, &options).hits.len());
        });
        group.bench_function(format!("impact_{name}_snapshot"), |b| {
            b.iter(|| reach(&compact, &[root], Direction::Impact, &options).hits.len());
        });
    }
    let rules =
        Rules::from_toml("audit.toml", include_str!("../../../data/audit.toml"), &graph).expect("rules");
    group.bench_function("audit_default_rules", |b| b.iter(|| rules.run(&graph)));
    group.finish();
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
