//! Finding nodes by id or title, in English or Japanese.
//!
//! Matching is by substring after folding both sides with Unicode NFKC and lower-casing, so
//! full-width and half-width forms match each other (`ＤＮＡ` finds `DNA`, `３Ｄ` finds `3D`)
//! and Japanese needs no word segmentation (`人工心臓` finds `高機能人工心臓システム`).
//!
//! A node's other names count as its titles: the attributes [`ALIASES`] and [`ALIASES_JA`],
//! several separated by `; ` (a guideline the source names three ways is found by each).

use unicode_normalization::UnicodeNormalization;

use crate::graph::{Graph, NodeIx};
use crate::view::GraphView;

/// The attribute holding a node's other English names, separated by `; `.
pub const ALIASES: &str = "aliases";
/// The attribute holding a node's other Japanese names, separated by `; `.
pub const ALIASES_JA: &str = "aliases_ja";

/// A title with the node's other names of that language (`attribute`), one per line: what a
/// search matches as the title.
fn with_aliases<'n>(
    title: &'n str,
    node: &'n crate::model::Node,
    attribute: &str,
) -> std::borrow::Cow<'n, str> {
    match node.attributes.get(attribute) {
        None => std::borrow::Cow::Borrowed(title),
        Some(aliases) => {
            let mut all = title.to_owned();
            for alias in aliases.split("; ").map(str::trim).filter(|a| !a.is_empty()) {
                all.push('\n');
                all.push_str(alias);
            }
            std::borrow::Cow::Owned(all)
        }
    }
}

/// How a node matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// The id, exactly as written.
    ExactId,
    /// The id starts with the text.
    IdPrefix,
    /// The id contains the text.
    IdContains,
    /// A title (English or Japanese) contains the text.
    Title,
    /// The designation (e.g. `ISO 14971`) contains the text.
    Designation,
}

/// Folds text for matching: NFKC, then lower case.
pub fn fold(text: &str) -> String {
    folded(text).into_owned()
}

/// [`fold`] without copying what needs no change: ASCII text is its own NFKC form, and its
/// lower case is ASCII's, so most ids and English titles are folded in place (searching a
/// million nodes folds every id and title once per search).
fn folded(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(text.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    } else {
        std::borrow::Cow::Owned(text.nfkc().flat_map(char::to_lowercase).collect())
    }
}

/// Every node's id, titles and designation, folded for matching ([`fold`]) and laid end to end
/// in one buffer, so a search is one SIMD substring scan (memchr's `memmem`) instead of folding
/// a million strings per query. The snapshot keeps it (written at import, read in place); a
/// graph builds it when first searched.
///
/// Node `i`'s part is `text[offsets[i]..offsets[i + 1]]`: its folded id, title, Japanese title
/// and designation, each ended by a NUL byte (a NUL inside a text is kept as U+FFFD), so a match
/// never spans two texts or two nodes.
#[derive(Debug, Clone)]
pub struct SearchText<'a> {
    offsets: std::borrow::Cow<'a, [u32]>,
    text: std::borrow::Cow<'a, [u8]>,
}

/// The texts of one node a search ranks by, folded (the designation is the fourth, and last).
struct Fields<'t> {
    id: &'t [u8],
    titles: [&'t [u8]; 2],
}

impl<'t> Fields<'t> {
    fn of(part: &'t [u8]) -> Fields<'t> {
        let mut texts = part.split(|b| *b == 0);
        let mut next = || texts.next().unwrap_or_default();
        let (id, title, title_ja) = (next(), next(), next());
        Fields {
            id,
            titles: [title, title_ja],
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

impl SearchText<'static> {
    /// The search text of a graph's nodes, in its node order.
    pub fn of(graph: &Graph) -> SearchText<'static> {
        let mut offsets = Vec::with_capacity(graph.node_count() + 1);
        let mut text = Vec::new();
        offsets.push(0u32);
        for node in graph.nodes() {
            let title = with_aliases(&node.title, node, ALIASES);
            let title_ja = with_aliases(node.title_ja.as_deref().unwrap_or(""), node, ALIASES_JA);
            let texts = [
                node.id.as_str(),
                title.as_ref(),
                title_ja.as_ref(),
                node.designation.as_deref().unwrap_or(""),
            ];
            for t in texts {
                let folded = folded(t);
                if folded.contains('\0') {
                    text.extend_from_slice(folded.replace('\0', "\u{fffd}").as_bytes());
                } else {
                    text.extend_from_slice(folded.as_bytes());
                }
                text.push(0);
            }
            offsets.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        SearchText {
            offsets: offsets.into(),
            text: text.into(),
        }
    }
}

impl<'a> SearchText<'a> {
    /// A search text read in place (from a snapshot).
    pub fn borrowed(offsets: &'a [u32], text: &'a [u8]) -> SearchText<'a> {
        SearchText {
            offsets: offsets.into(),
            text: text.into(),
        }
    }

    /// The offsets (node count + 1 entries) and the bytes, to be written into a snapshot.
    pub fn parts(&self) -> (&[u32], &[u8]) {
        (&self.offsets, &self.text)
    }

    /// Node `i`'s part; empty if out of range or damaged.
    fn part(&self, i: usize) -> &[u8] {
        let span = self.offsets.get(i).zip(self.offsets.get(i + 1));
        span.and_then(|(a, b)| self.text.get(*a as usize..*b as usize))
            .unwrap_or_default()
    }

    /// Nodes that contain every one of `words` (each in the id, a title or the designation, after
    /// folding), ranked by how the first word matched, then by id: `search 人工 心臓` as people
    /// type it. `view` is the graph this text was made from (for the exact id and the order).
    pub fn find<G: GraphView>(&self, view: &G, words: &[&str]) -> Vec<(NodeIx, Match)> {
        use rayon::prelude::*;
        let Some((first, rest)) = words.split_first() else {
            return Vec::new();
        };
        let exact = first.trim();
        let needle = fold(exact);
        let rest: Vec<String> = rest
            .iter()
            .map(|w| fold(w.trim()))
            .filter(|w| !w.is_empty())
            .collect();
        // A NUL ends every text, so a word holding one matches nothing.
        if needle.is_empty() || needle.contains('\0') || rest.iter().any(|w| w.contains('\0')) {
            return Vec::new();
        }
        let nodes = self.offsets.len().saturating_sub(1).min(view.node_count());
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        // Blocks of nodes scanned in parallel; within one, each hit jumps to the next node.
        const BLOCK: usize = 8192;
        let mut found: Vec<(NodeIx, Match)> = (0..nodes.div_ceil(BLOCK))
            .into_par_iter()
            .flat_map_iter(|b| {
                let (first_node, end_node) = (b * BLOCK, ((b + 1) * BLOCK).min(nodes));
                let mut hits = Vec::new();
                let (Some(&start), Some(&end)) = (self.offsets.get(first_node), self.offsets.get(end_node))
                else {
                    return hits.into_iter();
                };
                let Some(block) = self.text.get(start as usize..end as usize) else {
                    return hits.into_iter();
                };
                let mut at = 0usize;
                let mut node = first_node;
                while let Some(h) = finder.find(&block[at..]) {
                    let pos = start as usize + at + h;
                    // The node holding the hit: the last whose part starts at or before it.
                    let span = &self.offsets[node..=end_node];
                    node += span.partition_point(|o| *o as usize <= pos).saturating_sub(1);
                    let part = self.part(node);
                    let fields = Fields::of(part);
                    let matched = if view.id(NodeIx(node as u32)) == exact {
                        Match::ExactId
                    } else if fields.id.starts_with(needle.as_bytes()) {
                        Match::IdPrefix
                    } else if contains(fields.id, needle.as_bytes()) {
                        Match::IdContains
                    } else if fields.titles.iter().any(|t| contains(t, needle.as_bytes())) {
                        Match::Title
                    } else {
                        Match::Designation
                    };
                    if rest.iter().all(|w| contains(part, w.as_bytes())) {
                        hits.push((NodeIx(node as u32), matched));
                    }
                    node += 1;
                    match self.offsets.get(node) {
                        Some(&next) if node < end_node => at = next as usize - start as usize,
                        _ => break,
                    }
                }
                hits.into_iter()
            })
            .collect();
        if found.iter().all(|(n, _)| view.id_rank(*n).is_some()) {
            found.par_sort_unstable_by_key(|(n, m)| (*m, view.id_rank(*n)));
        } else {
            found.par_sort_unstable_by(|a, b| a.1.cmp(&b.1).then_with(|| view.id(a.0).cmp(view.id(b.0))));
        }
        found
    }
}

impl Graph {
    /// Nodes whose id, titles or designation contain `text`, best matches first (then by id).
    pub fn search(&self, text: &str) -> Vec<(NodeIx, Match)> {
        self.search_words(&[text])
    }

    /// Nodes that contain every one of `words` (each in the id, a title or the designation),
    /// ranked by how the first word matched ([`SearchText::find`]); builds the search text
    /// for this one search.
    pub fn search_words(&self, words: &[&str]) -> Vec<(NodeIx, Match)> {
        SearchText::of(self).find(&self, words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RelationCatalog;
    use crate::model::{Node, NodeKind};

    #[test]
    fn other_names_are_found_as_titles() {
        let catalog = RelationCatalog::new(Vec::new()).unwrap();
        let mut implants = Node::new(
            "gl-additive-implants",
            NodeKind::Guideline,
            "Additively manufactured implants",
        );
        implants.title_ja = Some("積層製法インプラント（３Ｄプリンタで作成するインプラント）".into());
        implants.attributes.insert(
            ALIASES_JA.into(),
            "積層製法（３Ｄプリンタ）インプラント; 積層造形（３Ｄプリンタ）インプラント".into(),
        );
        implants
            .attributes
            .insert(ALIASES.into(), "3D-printed implants".into());
        let other = Node::new("gl-other", NodeKind::Guideline, "Other");
        let graph = Graph::build(catalog, vec![implants, other], Vec::new()).unwrap();
        for text in [
            "積層製法インプラント",
            "積層造形（3D",
            "積層製法（３Ｄプリンタ）インプラント",
            "3d-printed",
        ] {
            let found = graph.search(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].1, Match::Title, "{text}");
        }
        // A match never runs from one name into the next.
        assert!(graph.search("インプラント）積層").is_empty());
        assert!(graph.search("インプラント; 積層").is_empty());
    }

    #[test]
    fn finds_japanese_substrings_and_width_variants() {
        let catalog = RelationCatalog::new(Vec::new()).unwrap();
        let mut heart = Node::new(
            "gl-artificial-heart",
            NodeKind::Guideline,
            "High-performance artificial heart systems",
        );
        heart.title_ja = Some("高機能人工心臓システム".into());
        let mut chip = Node::new("gl-dna-chip", NodeKind::Guideline, "DNA chips");
        chip.title_ja = Some("遺伝子発現解析用ＤＮＡチップ".into());
        let mut iso = Node::new("STD-1", NodeKind::Standard, "Risk management");
        iso.designation = Some("ISO 14971".into());
        let graph = Graph::build(catalog, vec![heart, chip, iso], Vec::new()).unwrap();
        let ids = |text: &str| -> Vec<&str> {
            graph
                .search(text)
                .into_iter()
                .map(|(n, _)| graph.node(n).id.as_str())
                .collect()
        };
        assert_eq!(ids("人工心臓"), ["gl-artificial-heart"]);
        assert_eq!(ids("dna"), ["gl-dna-chip"]);
        assert_eq!(ids("ＤＮＡチップ"), ["gl-dna-chip"]);
        assert_eq!(ids("iso 14971"), ["STD-1"]);
        assert_eq!(ids("gl-"), ["gl-artificial-heart", "gl-dna-chip"]);
        assert_eq!(graph.search("STD-1")[0].1, Match::ExactId);
        assert!(ids("  ").is_empty());
        assert!(ids("心臓病").is_empty());
        let all = |words: &[&str]| -> Vec<&str> {
            graph
                .search_words(words)
                .into_iter()
                .map(|(n, _)| graph.node(n).id.as_str())
                .collect()
        };
        assert_eq!(all(&["人工", "心臓"]), ["gl-artificial-heart"]);
        assert_eq!(all(&["gl-", "ＤＮＡ"]), ["gl-dna-chip"]);
        assert!(all(&["人工", "dna"]).is_empty());
    }

    /// The rule, written plainly: fold every text, look for every word, rank by the first.
    fn naive(graph: &Graph, words: &[&str]) -> Vec<(NodeIx, Match)> {
        let fold = |t: &str| -> String { t.nfkc().flat_map(char::to_lowercase).collect() };
        let Some((first, rest)) = words.split_first() else {
            return Vec::new();
        };
        let needle = fold(first.trim());
        if needle.is_empty() {
            return Vec::new();
        }
        let rest: Vec<String> = rest
            .iter()
            .map(|w| fold(w.trim()))
            .filter(|w| !w.is_empty())
            .collect();
        let mut found = Vec::new();
        for (i, node) in graph.nodes().iter().enumerate() {
            let id = fold(&node.id);
            let titles = [Some(fold(&node.title)), node.title_ja.as_deref().map(fold)];
            let designation = node.designation.as_deref().map(fold);
            let all: Vec<&str> = [
                Some(id.as_str()),
                titles[0].as_deref(),
                titles[1].as_deref(),
                designation.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            let matched = if node.id == first.trim() {
                Match::ExactId
            } else if id.starts_with(&needle) {
                Match::IdPrefix
            } else if id.contains(&needle) {
                Match::IdContains
            } else if titles.iter().flatten().any(|t| t.contains(&needle)) {
                Match::Title
            } else if designation.as_deref().is_some_and(|d| d.contains(&needle)) {
                Match::Designation
            } else {
                continue;
            };
            if rest.iter().all(|w| all.iter().any(|t| t.contains(w.as_str()))) {
                found.push((NodeIx(i as u32), matched));
            }
        }
        found.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then_with(|| graph.node(a.0).id.cmp(&graph.node(b.0).id))
        });
        found
    }

    /// Texts from a small alphabet that folds in interesting ways: cases, full-width forms,
    /// kana and kanji, spaces.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("[aAbBｂＡ1１ 人工心臓ーｰ-]{0,6}").expect("a valid pattern")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// The search text finds exactly what the plain rule finds, in the same order, whether
        /// it is built from the graph or read back from a snapshot.
        #[test]
        fn the_search_text_finds_what_the_plain_rule_finds(
            nodes in proptest::collection::vec(("[aAbB1-]{0,4}", text(), proptest::option::of(text()), proptest::option::of(text())), 1..30),
            words in proptest::collection::vec(text(), 0..3),
        ) {
            let catalog = RelationCatalog::new(Vec::new()).unwrap();
            let nodes: Vec<Node> = nodes
                .into_iter()
                .enumerate()
                .map(|(i, (id, title, ja, designation))| {
                    let mut node = Node::new(format!("{id}x{i}"), NodeKind::Standard, format!("T{title}"));
                    node.title_ja = ja;
                    node.designation = designation;
                    node
                })
                .collect();
            let graph = Graph::build(catalog, nodes, Vec::new()).unwrap();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let expected = naive(&graph, &words);
            proptest::prop_assert_eq!(&graph.search_words(&words), &expected);
            let bytes = crate::compact::CompactGraph::encode(&graph, [7; 16]);
            let mut aligned = vec![0u64; bytes.len().div_ceil(8)];
            bytemuck::cast_slice_mut::<u64, u8>(&mut aligned)[..bytes.len()].copy_from_slice(&bytes);
            let compact = crate::compact::CompactGraph::new(&bytemuck::cast_slice::<u64, u8>(&aligned)[..bytes.len()]).unwrap();
            proptest::prop_assert_eq!(&compact.search_text().find(&compact, &words), &expected);
        }

        /// The shortcut for ASCII folds exactly as the full NFKC and lower-casing does.
        #[test]
        fn the_ascii_shortcut_folds_as_nfkc_does(text in "\\PC{0,40}") {
            let full: String = text.nfkc().flat_map(char::to_lowercase).collect();
            let fast = folded(&text);
            proptest::prop_assert_eq!(fast.as_ref(), full.as_str());
        }
    }
}
