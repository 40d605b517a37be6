//! Query strings and form bodies: `key=value` pairs, a key given any number of times
//! (`?id=a&id=b`), decoded once.

/// The decoded pairs of a query string or form body.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes `text` (`a=1&b=%E4%BA%BA`), or nothing.
    pub fn parse(text: Option<&str>) -> Params {
        Params(
            text.map(|t| form_urlencoded::parse(t.as_bytes()).into_owned().collect())
                .unwrap_or_default(),
        )
    }

    /// Every pair, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// Every non-empty value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    /// The first non-empty value of `key`.
    pub fn one(&self, key: &str) -> Option<String> {
        self.all(key).into_iter().next()
    }

    /// The pairs as a query string, each value encoded (for links that keep a page's filters).
    pub fn query(pairs: &[(&str, &str)]) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            out.append_pair(k, v);
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_and_utf8_are_decoded() {
        let p = Params::parse(Some("id=a&id=b&q=%E4%BA%BA%E5%B7%A5+x&empty="));
        assert_eq!(p.all("id"), ["a", "b"]);
        assert_eq!(p.one("q").as_deref(), Some("人工 x"));
        assert_eq!(p.one("empty"), None);
        assert_eq!(Params::query(&[("q", "人 &")]), "q=%E4%BA%BA+%26");
    }
}
