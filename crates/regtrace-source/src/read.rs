//! Reading a file: bytes (mapped when large), UTF-8 checked, other encodings named with how
//! to convert them.

use std::path::Path;
use std::sync::Arc;

use regtrace_core::{Diagnostic, Location};

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads a file as UTF-8 text (a UTF-8 byte-order mark is accepted and dropped), with a clear
/// problem for other encodings.
pub(crate) fn read_text(file: &Arc<str>, path: &Path) -> Result<String, Diagnostic> {
    decode(file, read_bytes(file, path)?.into_vec())
}

/// A file's bytes: read into memory, or (a large file) mapped, so that its pages come in as
/// the parser reaches them instead of being copied first.
pub(crate) enum Bytes {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Read(bytes) => bytes,
            Bytes::Mapped(map) => map,
        }
    }
}

impl Bytes {
    /// The bytes as a vector of their own (a mapped file is copied).
    pub(crate) fn into_vec(self) -> Vec<u8> {
        match self {
            Bytes::Read(bytes) => bytes,
            Bytes::Mapped(map) => map.to_vec(),
        }
    }
}

/// Files from this size on are mapped rather than read.
const MAP_FROM: u64 = 16 << 20;

pub(crate) fn read_bytes(file: &Arc<str>, path: &Path) -> Result<Bytes, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::new(
            Some(Location::file(file.clone())),
            format!("cannot read: {}", io_reason(&e)),
        )
    };
    let opened = std::fs::File::open(path).map_err(cannot)?;
    let large = opened
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() >= MAP_FROM);
    if large {
        #[allow(
            unsafe_code,
            reason = "mapping a file is unsafe in Rust's terms (another program may change it); \
                      regtrace only reads it, and a file cut short while mapped is reported \
                      by the bus error handler with nothing written"
        )]
        if let Ok(map) = unsafe { memmap2::Mmap::map(&opened) } {
            return Ok(Bytes::Mapped(map));
        }
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut &opened, &mut bytes).map_err(cannot)?;
    Ok(Bytes::Read(bytes))
}

const CONVERT: &str = "save the file as UTF-8 (e.g. `iconv -f SHIFT_JIS -t UTF-8 in.csv > out.csv`, or choose UTF-8 in your editor or spreadsheet)";

/// A file's bytes as UTF-8 text (a UTF-8 byte-order mark is dropped), with a clear problem for
/// UTF-16, UTF-32 and legacy encodings.
pub(crate) fn decode(file: &Arc<str>, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    check_wide(file, &bytes)?;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(file, e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// [`decode`] without a copy: the text borrowed from `bytes`.
pub(crate) fn decode_str<'b>(file: &Arc<str>, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    check_wide(file, bytes)?;
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| not_utf8(file, bytes, e.valid_up_to()))
}

/// A problem if `bytes` are UTF-16 or UTF-32: a byte-order mark says so, or zero bytes where
/// ASCII text would be give it away (UTF-8 text has no zero bytes).
fn check_wide(file: &Arc<str>, bytes: &[u8]) -> Result<(), Diagnostic> {
    let wide = if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some(("UTF-32", "UTF-32"))
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        Some(("UTF-16", "UTF-16"))
    } else if bytes.len() >= 4 && bytes[..4] == [0, 0, 0, bytes[3]] && bytes[3] != 0 {
        Some(("UTF-32 (big-endian, without a byte-order mark)", "UTF-32BE"))
    } else if bytes.len() >= 4 && bytes[1..4] == [0, 0, 0] && bytes[0] != 0 {
        Some(("UTF-32 (little-endian, without a byte-order mark)", "UTF-32LE"))
    } else if bytes.len() >= 2 && bytes[0] == 0 && bytes[1] != 0 {
        Some(("UTF-16 (big-endian, without a byte-order mark)", "UTF-16BE"))
    } else if bytes.len() >= 2 && bytes[1] == 0 && bytes[0] != 0 {
        Some(("UTF-16 (little-endian, without a byte-order mark)", "UTF-16LE"))
    } else {
        None
    };
    match wide {
        Some((encoding, iconv)) => Err(Diagnostic::new(
            Some(Location::new(file.clone(), Some(1), None)),
            format!("the file is {encoding} encoded; regtrace reads UTF-8"),
        )
        .with_hint(CONVERT.replace("SHIFT_JIS", iconv))),
        None => Ok(()),
    }
}

/// The problem of text that stops being UTF-8 at byte `valid`, with its line and column.
fn not_utf8(file: &Arc<str>, bytes: &[u8], valid: usize) -> Diagnostic {
    let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() as u32 + 1;
    let column = String::from_utf8_lossy(&bytes[..valid])
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count()) as u32
        + 1;
    Diagnostic::new(
        Some(Location::new(file.clone(), Some(line), Some(column))),
        format!(
            "the file is not valid UTF-8 (byte 0x{:02X}); is it Shift_JIS or another legacy encoding?",
            bytes[valid]
        ),
    )
    .with_hint(CONVERT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_mapped_and_a_small_one_read_with_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let file: Arc<str> = Arc::from("f");
        for (size, mapped) in [(100, false), (MAP_FROM as usize, true)] {
            let path = dir.path().join(format!("f{size}"));
            let content: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::write(&path, &content).unwrap();
            let bytes = read_bytes(&file, &path).unwrap();
            assert_eq!(matches!(bytes, Bytes::Mapped(_)), mapped, "{size} bytes");
            assert!(*bytes == content[..]);
            assert_eq!(decode_str(&file, &bytes).unwrap().len(), size);
            assert_eq!(bytes.into_vec(), content);
        }
    }

    #[test]
    fn decoding_accepts_a_bom_and_names_other_encodings() {
        let file: Arc<str> = Arc::from("f.csv");
        assert_eq!(decode(&file, b"\xEF\xBB\xBFid".to_vec()).unwrap(), "id");
        let utf16 = decode(&file, b"\xFF\xFEi\0d\0".to_vec()).unwrap_err().to_string();
        assert!(utf16.contains("UTF-16"), "{utf16}");
        // 人工 in Shift_JIS, on line 2.
        let sjis = decode(&file, b"id\nab\x90\x6C\x8D\x48".to_vec())
            .unwrap_err()
            .to_string();
        assert!(
            sjis.starts_with("f.csv:2:3: error: the file is not valid UTF-8"),
            "{sjis}"
        );
    }
}
