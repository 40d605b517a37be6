//! The benchmark workload: a domain-shaped traceability graph at a scale factor, the same on
//! every run for a given seed. At scale 1.0: 1,000 regulations, 100,000 standards (0–3 `cites`
//! to other standards, targets skewed so a few standards are cited by a large part of the graph;
//! cycles allowed), 200,000 test methods (1–3 `specified_by` standards, skewed), 500,000
//! evaluation items (1–2 `verified_by` test methods), 20,000 guidelines (25 `requires`
//! evaluation items, 1–6 `cites` standards, skewed), 100,000 devices (1–3 `covered_by`
//! guidelines); each regulation is `governed_by` from 1–5 standards and 0–3 guidelines.
//! About 0.92 M nodes and 2.1 M edges.
//!
//! It knows nothing of regtrace's types: it hands out plain rows, so the core's benches, the
//! CLI's tests and the bench script (through the `regtrace-workload` binary) share it.

use std::io::{self, Write};
use std::path::Path;

/// A node row, in the columns of regtrace's nodes.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRow {
    /// Id, e.g. `STD-12`.
    pub id: String,
    /// Kind word.
    pub kind: &'static str,
    /// English title.
    pub title: String,
    /// Japanese title (standards only, to keep Japanese text in the data).
    pub title_ja: Option<String>,
    /// Status word.
    pub status: Option<&'static str>,
    /// Publication date (standards) or enactment date (regulations), YYYY-MM-DD.
    pub date: Option<&'static str>,
}

/// An edge row: `from --relation--> to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeRow {
    /// Source id.
    pub from: String,
    /// Target id.
    pub to: String,
    /// Relation name.
    pub relation: &'static str,
}

/// What was generated: counts, and the standards a benchmark asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Nodes written.
    pub nodes: usize,
    /// Edges written.
    pub edges: usize,
    /// The standard with the most incoming edges (the worst case of an impact query).
    pub most_cited: String,
    /// A standard with the median number of incoming edges among the cited ones.
    pub typical: String,
}

/// A small deterministic generator (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A number in `0..n`, Pareto-skewed: `n / (1 + k) - 1` for a uniform `k`, so index `i` is
    /// drawn about `n / (i + 1)²` times as often as the last one, and a few targets collect
    /// much of the graph.
    pub fn skewed(&mut self, n: usize) -> usize {
        n / (1 + self.below(n)) - 1
    }
}

/// Generates the workload at `scale` from `seed`, handing every node to `node` (all nodes
/// first, by kind) and every edge to `edge`.
pub fn generate(
    scale: f64,
    seed: u64,
    mut node: impl FnMut(NodeRow),
    mut edge: impl FnMut(EdgeRow),
) -> Summary {
    let count = |n: f64| ((n * scale).round() as usize).max(1);
    let (regs, stds, tms, eis, gls, devs) = (
        count(1_000.0),
        count(100_000.0),
        count(200_000.0),
        count(500_000.0),
        count(20_000.0),
        count(100_000.0),
    );
    let plan: [(&str, usize, &str); 6] = [
        ("REG", regs, "regulation"),
        ("STD", stds, "standard"),
        ("TM", tms, "test_method"),
        ("EI", eis, "evaluation_item"),
        ("GL", gls, "guideline"),
        ("DEV", devs, "device"),
    ];
    let mut nodes = 0;
    for (prefix, n, kind) in plan {
        for i in 0..n {
            let (title_ja, status, date) = match kind {
                "standard" => (Some(format!("規格 {i}")), Some("published"), Some("2010-04-01")),
                "regulation" => (None, Some("enacted"), Some("2013-11-20")),
                "guideline" => (None, Some("published"), None),
                _ => (None, None, None),
            };
            node(NodeRow {
                id: format!("{prefix}-{i}"),
                kind,
                title: format!("{kind} {i}"),
                title_ja,
                status,
                date,
            });
            nodes += 1;
        }
    }

    let mut rng = Rng(seed);
    let mut cited = vec![0u32; stds];
    let mut edges = 0;
    let mut targets: Vec<usize> = Vec::new();
    let mut emit = |from: String,
                    relation: &'static str,
                    prefix: &str,
                    targets: &mut Vec<usize>,
                    self_ix: Option<usize>| {
        targets.sort_unstable();
        targets.dedup();
        for &t in targets.iter().filter(|t| Some(**t) != self_ix) {
            if prefix == "STD" {
                cited[t] += 1;
            }
            edge(EdgeRow {
                from: from.clone(),
                to: format!("{prefix}-{t}"),
                relation,
            });
            edges += 1;
        }
        targets.clear();
    };
    for i in 0..stds {
        for _ in 0..rng.between(0, 3) {
            targets.push(rng.skewed(stds));
        }
        emit(format!("STD-{i}"), "cites", "STD", &mut targets, Some(i));
    }
    for i in 0..tms {
        for _ in 0..rng.between(1, 3) {
            targets.push(rng.skewed(stds));
        }
        emit(format!("TM-{i}"), "specified_by", "STD", &mut targets, None);
    }
    for i in 0..eis {
        for _ in 0..rng.between(1, 2) {
            targets.push(rng.below(tms));
        }
        emit(format!("EI-{i}"), "verified_by", "TM", &mut targets, None);
    }
    for i in 0..gls {
        for _ in 0..25 {
            targets.push(rng.below(eis));
        }
        emit(format!("GL-{i}"), "requires", "EI", &mut targets, None);
        for _ in 0..rng.between(1, 6) {
            targets.push(rng.skewed(stds));
        }
        emit(format!("GL-{i}"), "cites", "STD", &mut targets, None);
    }
    for i in 0..devs {
        for _ in 0..rng.between(1, 3) {
            targets.push(rng.below(gls));
        }
        emit(format!("DEV-{i}"), "covered_by", "GL", &mut targets, None);
    }
    for r in 0..regs {
        let law = format!("REG-{r}");
        // Drawn with replacement, so a small scale can draw one twice: a link is listed once.
        let mut standards: Vec<usize> = (0..rng.between(1, 5)).map(|_| rng.below(stds)).collect();
        standards.sort_unstable();
        standards.dedup();
        for s in standards {
            emit_one(&mut edge, &mut edges, format!("STD-{s}"), "governed_by", &law);
        }
        let mut guidelines: Vec<usize> = (0..rng.between(0, 3)).map(|_| rng.below(gls)).collect();
        guidelines.sort_unstable();
        guidelines.dedup();
        for g in guidelines {
            emit_one(&mut edge, &mut edges, format!("GL-{g}"), "governed_by", &law);
        }
    }

    let most_cited = (0..stds)
        .max_by_key(|s| (cited[*s], std::cmp::Reverse(*s)))
        .unwrap_or(0);
    let mut by_citations: Vec<usize> = (0..stds).filter(|s| cited[*s] > 0).collect();
    by_citations.sort_by_key(|s| (cited[*s], *s));
    let typical = by_citations.get(by_citations.len() / 2).copied().unwrap_or(0);
    Summary {
        nodes,
        edges,
        most_cited: format!("STD-{most_cited}"),
        typical: format!("STD-{typical}"),
    }
}

fn emit_one(
    edge: &mut impl FnMut(EdgeRow),
    edges: &mut usize,
    from: String,
    relation: &'static str,
    to: &str,
) {
    edge(EdgeRow {
        from,
        to: to.to_owned(),
        relation,
    });
    *edges += 1;
}

/// Writes the workload as `nodes.csv` and `edges.csv` in `dir`.
pub fn write_csv(scale: f64, seed: u64, dir: &Path) -> io::Result<Summary> {
    let mut nodes = io::BufWriter::new(std::fs::File::create(dir.join("nodes.csv"))?);
    let mut edges = io::BufWriter::new(std::fs::File::create(dir.join("edges.csv"))?);
    writeln!(nodes, "id,kind,title,title_ja,status,published,enacted")?;
    writeln!(edges, "from,to,relation")?;
    let (mut node_failure, mut edge_failure): (Option<io::Error>, Option<io::Error>) = (None, None);
    let summary = generate(
        scale,
        seed,
        |n| {
            let (published, enacted) = match n.kind {
                "regulation" => ("", n.date.unwrap_or("")),
                _ => (n.date.unwrap_or(""), ""),
            };
            let result = writeln!(
                nodes,
                "{},{},{},{},{},{published},{enacted}",
                n.id,
                n.kind,
                n.title,
                n.title_ja.as_deref().unwrap_or(""),
                n.status.unwrap_or("")
            );
            if let Err(e) = result {
                node_failure.get_or_insert(e);
            }
        },
        |e| {
            if let Err(e) = writeln!(edges, "{},{},{}", e.from, e.to, e.relation) {
                edge_failure.get_or_insert(e);
            }
        },
    );
    if let Some(e) = node_failure.or(edge_failure) {
        return Err(e);
    }
    nodes.flush()?;
    edges.flush()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_graph_and_the_shape_is_as_specified() {
        let run = |seed| {
            let (mut nodes, mut edges) = (Vec::new(), Vec::new());
            let summary = generate(0.01, seed, |n| nodes.push(n), |e| edges.push(e));
            (nodes, edges, summary)
        };
        let (nodes, edges, summary) = run(7);
        assert_eq!(run(7), (nodes.clone(), edges.clone(), summary.clone()));
        assert_ne!(run(8).1, edges);
        assert_eq!(nodes.len(), 10 + 1_000 + 2_000 + 5_000 + 200 + 1_000);
        assert_eq!(summary.edges, edges.len());
        // Every guideline requires 25 distinct items (or fewer after dropping repeats).
        let requires = edges.iter().filter(|e| e.relation == "requires").count();
        assert!((200 * 20..=200 * 25).contains(&requires), "{requires}");
        // Skew: the most-cited standard collects far more than an average one.
        let cited = |id: &str| edges.iter().filter(|e| e.to == id).count();
        let standards_cited = edges.iter().filter(|e| e.to.starts_with("STD-")).count();
        assert!(cited(&summary.most_cited) * 20 > standards_cited, "skewed");
        assert!(cited(&summary.typical) >= 1);
        assert!(edges.iter().all(|e| e.from != e.to));
    }
}
