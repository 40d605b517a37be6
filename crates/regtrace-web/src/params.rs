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

    /// These pairs with `key` set to `value` alone (every earlier value of it dropped).
    pub fn with(&self, key: &str, value: &str) -> Params {
        let mut pairs: Vec<(String, String)> = self.0.iter().filter(|(k, _)| k != key).cloned().collect();
        pairs.push((key.to_owned(), value.to_owned()));
        Params(pairs)
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

/// The most rows one page (or one limited API answer) holds: `?limit=` above it is refused.
pub const MAX_ROWS: usize = 1000;

/// A page of a long list: `?limit=N` rows from row `(K - 1) × N` for `?page=K` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The page, from 1.
    pub page: usize,
    /// Rows a page.
    pub size: usize,
}

impl Window {
    /// The window a request asks for: `size` rows unless `limit` says, never more than
    /// [`MAX_ROWS`].
    pub fn of(params: &Params, size: usize) -> Result<Window, String> {
        let whole = |key: &str| -> Result<Option<usize>, String> {
            params
                .one(key)
                .map(|v| {
                    v.parse::<usize>()
                        .map_err(|_| format!("{key}={v:?} is not a whole number"))
                })
                .transpose()
        };
        let size = match whole("limit")? {
            Some(0) => return Err("limit=0: a page has at least one row".into()),
            Some(n) if n > MAX_ROWS => {
                return Err(format!(
                    "limit={n} is more rows than a page holds (at most {MAX_ROWS}): take the next ones with page=2, 3, …, or the whole list from the CLI"
                ));
            }
            Some(n) => n,
            None => size,
        };
        let page = match whole("page")? {
            Some(0) => return Err("page=0: pages count from 1".into()),
            Some(k) => k,
            None => 1,
        };
        Ok(Window { page, size })
    }

    /// The first row of the page.
    pub fn offset(&self) -> usize {
        (self.page - 1).saturating_mul(self.size)
    }

    /// The page's rows of `all`.
    pub fn slice<'a, T>(&self, all: &'a [T]) -> &'a [T] {
        let first = self.offset().min(all.len());
        &all[first..first.saturating_add(self.size).min(all.len())]
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

    #[test]
    fn a_window_is_bounded_and_slices_its_page() {
        let window = |q: &str| Window::of(&Params::parse(Some(q)), 50);
        assert_eq!(window(""), Ok(Window { page: 1, size: 50 }));
        assert_eq!(window("limit=10&page=3").unwrap().offset(), 20);
        let rows: Vec<usize> = (0..25).collect();
        assert_eq!(
            window("limit=10&page=3").unwrap().slice(&rows),
            [20, 21, 22, 23, 24]
        );
        assert!(window("limit=10&page=9").unwrap().slice(&rows).is_empty());
        assert!(
            window(&format!("page={}", usize::MAX))
                .unwrap()
                .slice(&rows)
                .is_empty()
        );
        for refused in ["limit=1001", "limit=0", "page=0", "page=x", "limit=-1"] {
            assert!(window(refused).is_err(), "{refused}");
        }
        assert_eq!(window("limit=1000").unwrap().size, MAX_ROWS);
    }
}
