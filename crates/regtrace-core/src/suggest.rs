//! "Did you mean …?" suggestions for misspelt words and ids.

/// The candidate nearest to `word`, if one is close enough to be a likely typo.
///
/// A candidate qualifies when its Jaro-Winkler similarity is at least 0.85 (good for longer
/// ids sharing a prefix) or its edit distance is at most a quarter of the word's length, and
/// at least 1 (so `GL3` finds `GL1`). The qualifying candidate with the smallest edit distance
/// wins, then the most similar; ties go to the first. Case does not count against a candidate
/// (`GL-ARTIFICIAL-HEART` finds `gl-artificial-heart`, whatever its length).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    const THRESHOLD: f64 = 0.85;
    let max_edits = (word.chars().count() / 4).max(1);
    let word = word.to_lowercase();
    let mut best: Option<((usize, f64), &'a str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        let similarity = strsim::jaro_winkler(&word, &lower);
        let edits = strsim::levenshtein(&word, &lower);
        if (similarity >= THRESHOLD || edits <= max_edits)
            && best.is_none_or(|((e, s), _)| edits < e || (edits == e && similarity > s))
        {
            best = Some(((edits, similarity), candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let ids = ["jp-pal-revision-2013", "jp-pal", "gl-artificial-heart"];
        assert_eq!(
            did_you_mean("jp-pal-revison-2013", ids),
            Some("jp-pal-revision-2013")
        );
        assert_eq!(did_you_mean("completely-different", ids), None);
        assert_eq!(did_you_mean("GL3", ["GL1", "GL2", "STD-1"]), Some("GL1"));
        assert_eq!(did_you_mean("XYZ", ["GL1", "GL2"]), None);
        assert_eq!(
            did_you_mean("GL-ARTIFICIAL-HEART", ids),
            Some("gl-artificial-heart")
        );
        assert_eq!(
            did_you_mean("JP-PAL", ids),
            Some("jp-pal"),
            "case first, then the nearest"
        );
    }
}
