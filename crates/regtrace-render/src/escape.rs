//! Making text safe for each format: one escaper per format, shared by every report.
//!
//! Every one first shows characters that would steer a display (controls, bidi overrides) as
//! visible marks ([`regtrace_core::text::visible`]), so no title can rewrite a report. The
//! diagram languages keep theirs beside their writers (`dot::quoted`-style strings in `dot.rs`,
//! `mermaid::label_text`), since no other format shares them.

use regtrace_core::text::visible;

/// CSV text from a header and rows. Every cell goes through [`neutralise`].
pub fn csv_text<I, R, C>(header: &[&str], rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(header.iter().map(|h| neutralise(h)));
    for row in rows {
        let _ = writer.write_record(row.into_iter().map(|c| neutralise(c.as_ref())));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A spreadsheet cell made inert: a cell starting with `= + - @` (or their full-width forms
/// `＝ ＋ － ＠`, which spreadsheets in Japanese locales also read as formulas), after any
/// spaces, or with a tab or carriage return, gets a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    let cell = visible(cell);
    if cell.starts_with(['\t', '\r', '␍']) {
        return format!("'{cell}");
    }
    match cell.trim_start().chars().next() {
        Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠') => format!("'{cell}"),
        _ => cell.into_owned(),
    }
}

/// Text for a Markdown table cell, list item or paragraph: shown as written, never read as
/// markup. `&`, `<` and `>` become HTML entities (no HTML gets in); every character Markdown
/// gives a meaning inside a line is backslash-escaped (`\\ ` * _ [ ] ! | ~ #`; not `_` inside a
/// word, which is never emphasis), so emphasis,
/// code, images and links (`[x](javascript:…)`) stay text and no cell splits; a `-`, `+` or
/// `N.` at the start is escaped too (no list); line breaks become `<br>`.
pub fn markdown(text: &str) -> String {
    let text = html_escape::encode_text(&visible(text)).replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split(['\n', '\r']).enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let list_number = digits > 0 && line[digits..].starts_with(['.', ')']);
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for (k, &(at, c)) in chars.iter().enumerate() {
            let leading = i == 0 && at == 0 && matches!(c, '-' | '+' | '=');
            // An underscore inside a word (`developed_into`) is never emphasis.
            let inside_word = |k: usize| chars.get(k).is_some_and(|(_, c)| c.is_alphanumeric());
            let word_underscore = c == '_' && k > 0 && inside_word(k - 1) && inside_word(k + 1);
            if (matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '#') && !word_underscore)
                || leading
                || (list_number && at == digits)
            {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Text for HTML (and XML) element content: `&`, `<` and `>` as entities, line breaks as `<br/>`.
pub fn html(text: &str) -> String {
    html_escape::encode_text(&visible(text))
        .replace("\r\n", "<br/>")
        .replace(['\n', '\r'], "<br/>")
}

/// Text for a double-quoted HTML attribute.
pub fn html_attribute(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(&visible(text)).into_owned()
}

/// A path segment of a URL: everything but unreserved characters (and `:`) percent-encoded, so
/// an id with `/`, `?`, `#`, spaces or Japanese stays one segment.
pub fn url_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_segment_stays_one_segment() {
        assert_eq!(url_segment("gl-dna-chip_2011.v2:a~b"), "gl-dna-chip_2011.v2:a~b");
        assert_eq!(url_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(url_segment("心"), "%E5%BF%83");
        assert_eq!(url_segment("\"><script>"), "%22%3E%3Cscript%3E");
    }

    #[test]
    fn formula_like_cells_are_neutralised() {
        let text = csv_text(&["a"], [["=1+2"], ["@SUM(A1)"], ["-3"], ["plain"]]);
        assert_eq!(text, "a\n'=1+2\n'@SUM(A1)\n'-3\nplain\n");
        for sneaky in [" =1+1", "\u{3000}=1+1", "＝1+1", "＋1", "＠SUM(A1)", "  -2"] {
            assert_eq!(neutralise(sneaky), format!("'{sneaky}"), "{sneaky:?}");
        }
        assert_eq!(neutralise("a = b"), "a = b");
        let text = csv_text(&["a", "b"], [["=HYPERLINK(\"x\")", "人工心臓, \"quoted\""]]);
        assert_eq!(
            text,
            "a,b\n\"'=HYPERLINK(\"\"x\"\")\",\"人工心臓, \"\"quoted\"\"\"\n"
        );
    }

    #[test]
    fn markdown_cells_cannot_split_or_carry_markup() {
        assert_eq!(
            markdown("a|b\\c<script>&\nd"),
            "a\\|b\\\\c&lt;script&gt;&amp;<br>d"
        );
    }

    #[test]
    fn html_text_and_attributes_are_escaped() {
        assert_eq!(html("<b>\"x\" & y\nz"), "&lt;b&gt;\"x\" &amp; y<br/>z");
        assert_eq!(
            html_attribute("say \"hi\" <&>"),
            "say &quot;hi&quot; &lt;&amp;&gt;"
        );
    }

    #[test]
    fn steering_characters_are_shown_in_every_format() {
        let rlo = "a\u{202E}b";
        for text in [markdown(rlo), html(rlo), html_attribute(rlo), neutralise(rlo)] {
            assert!(!text.contains('\u{202E}'), "{text:?}");
        }
    }
}
