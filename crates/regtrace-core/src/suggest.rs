//! "Did you mean …?" suggestions for misspelt words and ids.

/// The candidate nearest to `word`, if one is close enough to be a likely typo.
///
/// Uses Jaro-Winkler similarity (good for short identifiers with a shared prefix) and accepts
/// a candidate at 0.85 or above; ties go to the first candidate.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    const THRESHOLD: f64 = 0.85;
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(word, candidate);
        if score >= THRESHOLD && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
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
    }
}
