//! Hostile text made harmless for people: titles and notes come from files anyone may edit,
//! and a terminal, a spreadsheet or a browser must show them, never obey them.
//!
//! Two tools, one rule ("a character that steers the display is shown, not acted on"):
//! - [`visible`] for text people read (tables, CSV, diagrams, Markdown, HTML): control characters
//!   become their Unicode control pictures (`ESC` → `␛`), and bidirectional overrides, isolates
//!   and marks, C1 controls and line separators become `<U+202E>`-style tags, so a right-to-left
//!   override cannot reorder what a reviewer sees and an escape sequence cannot recolour or
//!   clear a terminal;
//! - [`SafeJson`] for JSON, which must keep every character: the same characters are written
//!   as `\uXXXX` escapes, so the document reads back exactly and is still safe to print.

use std::borrow::Cow;
use std::io;

/// Whether `c` steers how text is displayed (and so must not reach a display as itself), or
/// is a noncharacter that XML 1.0 forbids outright (U+FFFE, U+FFFF: one in a title would make
/// every SVG, GraphML, HTML and XLSX output unreadable). Tab and line feed are layout, left to
/// each format.
pub fn steers_display(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' // C0 controls but tab and line feed
        | '\u{7f}'..='\u{9f}'                  // DEL and C1 controls (0x9B is a terminal CSI)
        | '\u{61c}'                            // Arabic letter mark
        | '\u{200e}' | '\u{200f}'              // left-to-right and right-to-left marks
        | '\u{2028}' | '\u{2029}'              // line and paragraph separators
        | '\u{202a}'..='\u{202e}'              // bidi embeddings and overrides
        | '\u{2066}'..='\u{2069}'              // bidi isolates
        | '\u{fffe}' | '\u{ffff}'              // noncharacters XML forbids
    )
}

/// `text` with every character that [steers the display](steers_display) shown instead:
/// C0 controls and DEL as control pictures (`␛`, `␡`), the others as `<U+XXXX>`. Borrowed
/// when there is nothing to change (the common case).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(steers_display) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{0}'..='\u{1f}' if steers_display(c) => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'));
            }
            '\u{7f}' => out.push('\u{2421}'),
            c if steers_display(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A serde_json formatter (compact or pretty, as the wrapped one) that writes every character
/// which [steers the display](steers_display) as a `\uXXXX` escape: valid JSON that reads back
/// to exactly the same text, and that prints harmlessly on a terminal.
pub struct SafeJson<F>(pub F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeJson<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Every such character starting at U+007F begins with one of these bytes in UTF-8
        // (7F; C2 for C1; D8 for U+061C; E2 for the U+20xx marks; EF for U+FFFE/U+FFFF):
        // most text has none.
        if !fragment
            .bytes()
            .any(|b| matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2 | 0xef))
        {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            // serde_json already escapes C0 controls before they reach a fragment.
            if (c as u32) >= 0x7f && steers_display(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Writes `value` as JSON through [`SafeJson`]: indented if `pretty`, else compact.
pub fn write_json<W: io::Write, T: serde::Serialize + ?Sized>(
    writer: W,
    value: &T,
    pretty: bool,
) -> serde_json::Result<()> {
    if pretty {
        let mut serializer =
            serde_json::Serializer::with_formatter(writer, SafeJson(serde_json::ser::PrettyFormatter::new()));
        value.serialize(&mut serializer)
    } else {
        let mut serializer =
            serde_json::Serializer::with_formatter(writer, SafeJson(serde_json::ser::CompactFormatter));
        value.serialize(&mut serializer)
    }
}

/// `value` as JSON text through [`SafeJson`].
pub fn json_string<T: serde::Serialize + ?Sized>(value: &T, pretty: bool) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail, and serde_json only writes valid UTF-8.
    let _ = write_json(&mut bytes, value, pretty);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Appends `text` as a JSON string: exactly the bytes [`write_json`] writes for it, compact or
/// pretty alike. Text with nothing to escape (no quote, backslash, control character or
/// character that [steers the display](steers_display); Japanese included) is copied as it
/// is; anything else goes through [`write_json`]. For writers that build JSON by hand because
/// a million records through serde cost too much (`impact --format json`).
pub fn push_json_str(out: &mut Vec<u8>, text: &str) {
    // 0x7F, 0xC2, 0xD8, 0xE2 and 0xEF start every character that steers the display from
    // U+007F up (see `SafeJson`); below 0x20 are the controls JSON itself escapes.
    let plain = text
        .bytes()
        .all(|b| b >= 0x20 && !matches!(b, b'"' | b'\\' | 0x7f | 0xc2 | 0xd8 | 0xe2 | 0xef));
    if plain {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a Vec cannot fail.
        let _ = write_json(&mut *out, text, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}[2Jb\u{7}c\u{202e}dcba\u{2066}x\u{9b}y\rz\u{7f}\u{2028}\tq\n人工心臓";

    #[test]
    fn visible_shows_what_steers_the_display_and_keeps_the_rest() {
        assert_eq!(
            visible(HOSTILE),
            "a␛[2Jb␇c<U+202E>dcba<U+2066>x<U+009B>y␍z␡<U+2028>\tq\n人工心臓"
        );
        assert!(matches!(visible("人工心臓 \"<b>\" = | \\"), Cow::Borrowed(_)));
        assert!(!visible(HOSTILE).chars().any(steers_display));
        assert_eq!(visible("a\u{fffe}b\u{ffff}"), "a<U+FFFE>b<U+FFFF>");
    }

    #[test]
    fn safe_json_escapes_them_and_reads_back_exactly() {
        for pretty in [false, true] {
            let text = json_string(&serde_json::json!({ "title": HOSTILE, "n": [1, 2] }), pretty);
            assert!(!text.chars().any(steers_display), "{text}");
            assert!(text.contains("\\u202e") && text.contains("\\u001b"), "{text}");
            let back: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back["title"], HOSTILE);
        }
        let plain = serde_json::json!({ "title": "人工心臓", "n": [1, 2] });
        assert_eq!(json_string(&plain, false), serde_json::to_string(&plain).unwrap());
        assert_eq!(
            json_string(&plain, true),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }

    #[test]
    fn push_json_str_writes_what_serde_writes() {
        let samples = [
            "",
            "STD-0",
            "guideline 10",
            "人工心臓 評価指標",
            "ISO 10993-1:2018 — part 1…",
            "say \"hi\" \\ back",
            "tab\there\nline",
            "\u{0}\u{1f}\u{7f}\u{80}\u{9b}\u{a0}é",
            "\u{61c}\u{200e}\u{202e}\u{2066}\u{2028}\u{2029}\u{2069}",
            "→ ← ↵ ␛",
            HOSTILE,
            "ＤＮＡ（３Ｄ）\u{fffe}\u{ffff}",
        ];
        for text in samples {
            let mut pushed = b"[".to_vec();
            push_json_str(&mut pushed, text);
            assert_eq!(
                String::from_utf8(pushed).unwrap(),
                format!("[{}", json_string(text, false)),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn push_json_str_agrees_with_serde_on_any_text(text in "\\PC*|[\\x00-\\x7f\\u{80}-\\u{9f}\\u{200e}-\\u{202e}\\u{2066}-\\u{2069}\\u{61c}a人]*") {
            let mut pushed = Vec::new();
            push_json_str(&mut pushed, &text);
            proptest::prop_assert_eq!(String::from_utf8(pushed).unwrap(), json_string(&text, false));
        }
    }
}
