//! Every reason chain regtrace writes, in every medium, states only relations that are stored:
//! `a —rel→ b` only where `a rel b` is an edge, `a ←rel— b` only where `b rel a` is. (The report
//! and the web once wrote chains cause first with the arrows as walked, which told an auditor
//! that an edition is part of its clause.)

use regtrace_app::DataSet;
use regtrace_app::Origin;
use regtrace_app::reach::{ReachRequest, answer};
use regtrace_core::{Direction, Graph, GraphView, Lang, ReachOptions};
use regtrace_render::doc::{self, Doc};

/// A relation a text states: `(from, relation, to)`, as stored.
type Claim = (String, String, String);

/// Every relation stated by a chain in `text` (Markdown escapes and HTML tags removed first).
fn claims(text: &str) -> Vec<Claim> {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                plain.push(' ');
            }
            '>' if in_tag => in_tag = false,
            // A terminal table's line break is `↵`.
            '\\' | '`' | '|' | '↵' if !in_tag => plain.push(' '),
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let tokens: Vec<&str> = plain.split_whitespace().collect();
    let id = |t: &str| {
        t.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '*'))
            .to_owned()
    };
    let mut found = Vec::new();
    for i in 1..tokens.len().saturating_sub(1) {
        let t = tokens[i];
        if let Some(relation) = t.strip_prefix('—').and_then(|r| r.strip_suffix('→')) {
            found.push((id(tokens[i - 1]), relation.to_owned(), id(tokens[i + 1])));
        } else if let Some(relation) = t.strip_prefix('←').and_then(|r| r.strip_suffix('—')) {
            found.push((id(tokens[i + 1]), relation.to_owned(), id(tokens[i - 1])));
        }
    }
    found
}

/// Whether `graph` stores the edge `claim` states.
fn stored(graph: &Graph, (from, relation, to): &Claim) -> bool {
    let (Some(from), Some(to)) = (graph.find(from), graph.find(to)) else {
        return false;
    };
    graph
        .outgoing(from)
        .any(|(_, link)| link.to == to && graph.relation_name(link.relation) == relation)
}

/// Checks every claim of `text`, written by `what`; returns how many there were.
fn check(graph: &Graph, what: &str, text: &str) -> usize {
    let found = claims(text);
    for claim in &found {
        assert!(
            stored(graph, claim),
            "{what} states {claim:?}, which is not stored:\n{text}"
        );
    }
    found.len()
}

/// Writes `doc` to every medium and checks each.
fn every_medium(graph: &Graph, what: &str, doc: &Doc) -> usize {
    let mut n = 0;
    for lang in [Lang::En, Lang::Ja] {
        let terminal = doc::terminal::write(doc, doc::terminal::Options { lang, colour: false });
        n += check(graph, &format!("{what} (terminal, {lang:?})"), &terminal);
        n += check(
            graph,
            &format!("{what} (Markdown, {lang:?})"),
            &doc::markdown::write(doc, lang),
        );
        let html = doc::html::body(doc, lang).into_string();
        n += check(graph, &format!("{what} (HTML, {lang:?})"), &html);
    }
    n
}

fn seed() -> Graph {
    regtrace_source::embedded::seed().expect("the seed is valid")
}

fn fixture(name: &str) -> Graph {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    regtrace_source::load(&[path], None).expect("the fixture is valid")
}

#[test]
fn every_chain_in_every_medium_states_only_stored_relations() {
    let mut stated = 0;
    for (name, graph) in [("seed", seed()), ("editions", fixture("editions"))] {
        for root in graph.nodes().iter().map(|n| n.id.clone()) {
            for direction in [Direction::Impact, Direction::Dependencies] {
                let request = ReachRequest {
                    ids: vec![root.clone()],
                    direction,
                    kinds: vec![],
                    options: ReachOptions::default(),
                    limit: None,
                    offset: 0,
                };
                let a = answer(&graph, &request).expect("the id exists");
                let what = format!("{name}: {direction:?} of {root}");
                stated += every_medium(
                    &graph,
                    &what,
                    &regtrace_render::reach::document(&a, false, Some(4)),
                );
                stated += every_medium(&graph, &what, &regtrace_render::reach::page_document(&a));
                let table = doc::Doc::of(vec![doc::Block::Table(regtrace_render::reach::hits_table(&a))]);
                stated += every_medium(&graph, &what, &table);
                let mut json = Vec::new();
                regtrace_render::reach::write_json(&mut json, &a, true, true, Some(4)).expect("written");
                stated += check(
                    &graph,
                    &format!("{what} (JSON)"),
                    &String::from_utf8(json).expect("UTF-8"),
                );
            }
        }
        // Paths read from their first node to their second, each hop as stored.
        let data = DataSet::of(Origin::Seed, graph.clone());
        let ids: Vec<String> = graph.nodes().iter().map(|n| n.id.clone()).collect();
        for (from, to) in ids.iter().zip(ids.iter().rev()).take(40) {
            let request = regtrace_app::nodes::PathRequest {
                from: from.clone(),
                to: to.clone(),
                all: true,
                max: 5,
                max_hops: 6,
            };
            let paths = regtrace_app::nodes::path(&data, request).expect("both ends exist");
            let what = format!("{name}: path {from} {to}");
            stated += every_medium(&graph, &what, &regtrace_render::nodes::path_document(&paths));
        }
    }
    assert!(
        stated > 1000,
        "only {stated} relations stated: the check saw too few chains"
    );
}

/// The checker itself: a chain written cause first (as the report once did) is caught.
#[test]
fn a_chain_written_cause_first_is_caught() {
    let graph = seed();
    let right = "device-artificial-heart-18-cases —covered_by→ gl-artificial-heart —governed_by→ jp-pal-revision-2013";
    assert_eq!(check(&graph, "right", right), 2);
    let html = "<span class=\"chain\"><a href=\"x\">gl-artificial-heart</a> <span class=\"rel\">—governed_by→</span> jp-pal-revision-2013</span>";
    assert_eq!(check(&graph, "html", html), 1);
    let backwards = "jp-pal-revision-2013 —governed_by→ gl-artificial-heart";
    assert!(!claims(backwards).iter().all(|c| stored(&graph, c)));
    let left = "jp-pal-revision-2013 ←governed_by— gl-artificial-heart";
    assert_eq!(check(&graph, "left", left), 1);
}
