//! The full default audit on a synthetic graph of about a million nodes and two million edges
//! (the bulk shape: standards, test methods, evaluation items, guidelines, devices, laws), with
//! citations of standards skewed so a few editions are cited by much of the graph.
//!
//! `cargo bench -p regtrace-core --bench audit`; results and the machine are in docs/PERFORMANCE.md.

use criterion::{Criterion, criterion_group, criterion_main};
use regtrace_core::audit::Rules;
use regtrace_core::{Edge, Graph, Node, NodeKind, RelationCatalog, Status};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }

    /// Pareto-like skew (the bulk shape's "a few standards are cited by a large part of the
    /// graph"): index `n / (1 + k) - 1` for a uniform k, so low indices are hit far more often.
    fn skewed(&mut self, n: usize) -> usize {
        n / (1 + self.below(n)) - 1
    }
}

fn synthetic(scale: f64) -> Graph {
    let n = |count: f64| (count * scale) as usize;
    let plan = [
        ("REG", n(1_000.0), NodeKind::Regulation, Some(Status::Enacted)),
        ("STD", n(100_000.0), NodeKind::Standard, Some(Status::Published)),
        ("TM", n(200_000.0), NodeKind::TestMethod, None),
        ("EI", n(500_000.0), NodeKind::EvaluationItem, None),
        ("GL", n(20_000.0), NodeKind::Guideline, Some(Status::Published)),
        ("DEV", n(100_000.0), NodeKind::Device, None),
    ];
    let mut nodes = Vec::new();
    for (prefix, count, kind, status) in plan {
        for i in 0..count {
            let mut node = Node::new(format!("{prefix}-{i}"), kind, format!("{kind} {i}"));
            node.status = status;
            if kind == NodeKind::Regulation {
                node.dates.enacted = chrono_date(2013, 11, 20);
            }
            nodes.push(node);
        }
    }
    let (regs, stds, tms, eis, gls, devs) =
        (plan[0].1, plan[1].1, plan[2].1, plan[3].1, plan[4].1, plan[5].1);
    let mut rng = Rng(2026);
    let mut edges = Vec::new();
    let mut link = |from: String, relation: &str, targets: Vec<String>| {
        let mut targets = targets;
        targets.sort();
        targets.dedup();
        for to in targets.into_iter().filter(|t| *t != from) {
            edges.push(Edge::new(from.clone(), relation, to));
        }
    };
    for i in 0..stds {
        let t = (0..rng.below(4))
            .map(|_| format!("STD-{}", rng.skewed(stds)))
            .collect();
        link(format!("STD-{i}"), "cites", t);
    }
    for i in 0..tms {
        let t = (0..1 + rng.below(3))
            .map(|_| format!("STD-{}", rng.skewed(stds)))
            .collect();
        link(format!("TM-{i}"), "specified_by", t);
    }
    for i in 0..eis {
        let t = (0..1 + rng.below(2))
            .map(|_| format!("TM-{}", rng.below(tms)))
            .collect();
        link(format!("EI-{i}"), "verified_by", t);
    }
    for i in 0..gls {
        let t = (0..25).map(|_| format!("EI-{}", rng.below(eis))).collect();
        link(format!("GL-{i}"), "requires", t);
        let t = (0..1 + rng.below(6))
            .map(|_| format!("STD-{}", rng.skewed(stds)))
            .collect();
        link(format!("GL-{i}"), "cites", t);
    }
    for i in 0..devs {
        let t = (0..1 + rng.below(3))
            .map(|_| format!("GL-{}", rng.below(gls)))
            .collect();
        link(format!("DEV-{i}"), "covered_by", t);
    }
    for i in 0..regs {
        let mut governed: Vec<String> = (0..1 + rng.below(5))
            .map(|_| format!("STD-{}", rng.skewed(stds)))
            .collect();
        governed.extend((0..rng.below(4)).map(|_| format!("GL-{}", rng.below(gls))));
        governed.sort();
        governed.dedup();
        for from in governed {
            link(from, "governed_by", vec![format!("REG-{i}")]);
        }
    }
    let catalog =
        RelationCatalog::from_toml("catalog.toml", include_str!("../../../data/catalog.toml")).unwrap();
    Graph::build(catalog, nodes, edges).unwrap()
}

fn chrono_date(y: i32, m: u32, d: u32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
}

fn audit(c: &mut Criterion) {
    let graph = synthetic(1.0);
    eprintln!(
        "synthetic graph: {} nodes, {} edges",
        graph.node_count(),
        graph.edge_count()
    );
    let rules = Rules::from_toml("audit.toml", include_str!("../../../data/audit.toml"), &graph).unwrap();
    let mut group = c.benchmark_group("audit");
    group.sample_size(10);
    group.bench_function("default_rules_920k_nodes", |b| b.iter(|| rules.run(&graph)));
    group.finish();
}

criterion_group!(benches, audit);
criterion_main!(benches);
