//! Finding nodes by id or title, in English or Japanese.
//!
//! Matching is by substring after folding both sides with Unicode NFKC and lower-casing, so
//! full-width and half-width forms match each other (`ＤＮＡ` finds `DNA`, `３Ｄ` finds `3D`)
//! and Japanese needs no word segmentation (`人工心臓` finds `高機能人工心臓システム`).

use unicode_normalization::UnicodeNormalization;

use crate::graph::{Graph, NodeIx};

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

impl Graph {
    /// Nodes whose id, titles or designation contain `text`, best matches first (then by id).
    pub fn search(&self, text: &str) -> Vec<(NodeIx, Match)> {
        let needle = fold(text.trim());
        if needle.is_empty() {
            return Vec::new();
        }
        use rayon::prelude::*;
        let mut found: Vec<(NodeIx, Match)> = self
            .nodes()
            .par_iter()
            .enumerate()
            .filter_map(|(i, node)| {
                let id = folded(&node.id);
                let found = if node.id == text.trim() {
                    Match::ExactId
                } else if id.starts_with(needle.as_str()) {
                    Match::IdPrefix
                } else if id.contains(needle.as_str()) {
                    Match::IdContains
                } else if folded(&node.title).contains(needle.as_str())
                    || node
                        .title_ja
                        .as_deref()
                        .is_some_and(|t| folded(t).contains(needle.as_str()))
                {
                    Match::Title
                } else if node
                    .designation
                    .as_deref()
                    .is_some_and(|d| folded(d).contains(needle.as_str()))
                {
                    Match::Designation
                } else {
                    return None;
                };
                Some((NodeIx(i as u32), found))
            })
            .collect();
        found.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then_with(|| self.node(a.0).id.cmp(&self.node(b.0).id))
        });
        found
    }
}

impl Graph {
    /// Nodes that contain every one of `words` (each in the id, a title or the designation),
    /// ranked by how the first word matched: `search 人工 心臓` as people type it.
    pub fn search_words(&self, words: &[&str]) -> Vec<(NodeIx, Match)> {
        let Some((first, rest)) = words.split_first() else {
            return Vec::new();
        };
        let rest: Vec<String> = rest
            .iter()
            .map(|w| fold(w.trim()))
            .filter(|w| !w.is_empty())
            .collect();
        self.search(first)
            .into_iter()
            .filter(|(n, _)| {
                let node = self.node(*n);
                let texts = [
                    Some(node.id.as_str()),
                    Some(node.title.as_str()),
                    node.title_ja.as_deref(),
                    node.designation.as_deref(),
                ];
                let folded: Vec<std::borrow::Cow<'_, str>> =
                    texts.into_iter().flatten().map(folded).collect();
                rest.iter()
                    .all(|word| folded.iter().any(|t| t.contains(word.as_str())))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RelationCatalog;
    use crate::model::{Node, NodeKind};

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

    proptest::proptest! {
        /// The shortcut for ASCII folds exactly as the full NFKC and lower-casing does.
        #[test]
        fn the_ascii_shortcut_folds_as_nfkc_does(text in "\\PC{0,40}") {
            let full: String = text.nfkc().flat_map(char::to_lowercase).collect();
            let fast = folded(&text);
            proptest::prop_assert_eq!(fast.as_ref(), full.as_str());
        }
    }
}
