//! A large file read in parts at once, cut at guessed record boundaries and checked after,
//! with the same answer as reading it from start to end.

use super::*;

/// Texts from this size on are read in parts.
pub(super) const PARTS_FROM: usize = 1 << 20;

/// [`parse`] in up to `parts` parts at once, with the same answer as reading the text from start
/// to end.
///
/// The text is cut before a `<SPEC-OBJECT` or `<SPEC-RELATION` tag near each `1/parts` of its
/// length, a guess: the same characters may sit in a comment, a CDATA section or an XHTML
/// value. Each part after the first is read as if the guess were right, inside the frame
/// `REQ-IF`, `CORE-CONTENT`, `REQ-IF-CONTENT` and `SPEC-OBJECTS` (or `SPEC-RELATIONS`), the end
/// tags of those assumed frames let through and kept. Then the guesses are checked, in order:
/// the part before a cut must end cleanly exactly inside the frame the next part assumed, and
/// the end tags the next part met must close the frames the part before opened. The parts are
/// kept only when every guess holds and no part found a problem; otherwise the text is read
/// again from start to end, so a broken file gets exactly the diagnostics it would get anyway.
pub(super) fn parse_in_parts(
    file: &Arc<str>,
    text: &str,
    problems: &mut Vec<Diagnostic>,
    parts: usize,
) -> Result<Document, Diagnostic> {
    if parts > 1
        && let Some(document) = read_parts(file, text, parts)
    {
        return Ok(document);
    }
    let mut parser = Parser::new(file.clone(), text, 1, false);
    let mut document = Document {
        file: file.clone(),
        ..Document::default()
    };
    match read(&mut parser, None, &mut document, problems)
        .map_err(|stop| *stop)?
        .ended
    {
        Ended::Root => Ok(document),
        Ended::Eof { path, line } => {
            let (open, opened) = path
                .last()
                .map(|frame| (frame.name.as_str(), frame.line))
                .unwrap_or_default();
            Err(*parser.stop(
                line,
                format!("the file ends inside <{open}> opened at line {opened}"),
                "the file is cut short; export it again",
            ))
        }
    }
}

/// The cuts [`parse_in_parts`] guesses: the offset of a record's start tag near each
/// `1/parts` of the text, with the container the record belongs in.
fn cuts(text: &[u8], parts: usize) -> Vec<(usize, &'static str)> {
    let finder = memchr::memmem::Finder::new(b"<SPEC-");
    let mut cuts: Vec<(usize, &'static str)> = Vec::new();
    for k in 1..parts {
        let from = (text.len() / parts * k).max(cuts.last().map_or(0, |(at, _)| at + 1));
        let Some(text_from) = text.get(from..) else {
            break;
        };
        let found = finder.find_iter(text_from).find_map(|i| {
            let tag = &text_from[i + 1..];
            [
                (b"SPEC-OBJECT".as_slice(), "SPEC-OBJECTS"),
                (b"SPEC-RELATION".as_slice(), "SPEC-RELATIONS"),
            ]
            .into_iter()
            .find(|(name, _)| {
                tag.starts_with(name)
                    && tag
                        .get(name.len())
                        .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
            })
            .map(|(_, container)| (from + i, container))
        });
        match found {
            Some(cut) => cuts.push(cut),
            None => break,
        }
    }
    cuts
}

/// One part of a text read by [`parse_in_parts`].
struct Part {
    document: Document,
    reached: Reached,
}

/// The parts of `text`, read at once and joined; `None` when a guessed cut does not hold or a
/// part has a problem (see [`parse_in_parts`]).
fn read_parts(file: &Arc<str>, text: &str, parts: usize) -> Option<Document> {
    read_cut(file, text, &cuts(text.as_bytes(), parts))
}

/// The parts of `text` between `cuts` (ascending offsets, each with the container it assumes),
/// read at once and joined; `None` when a cut does not hold or a part has a problem.
pub(super) fn read_cut(file: &Arc<str>, text: &str, cuts: &[(usize, &'static str)]) -> Option<Document> {
    use rayon::prelude::*;
    if cuts.is_empty() {
        return None;
    }
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().map(|(at, _)| *at));
    bounds.push(text.len());
    let read: Vec<Option<Part>> = (0..bounds.len() - 1)
        .into_par_iter()
        .map(|i| {
            let (start, end) = (bounds[i], bounds[i + 1]);
            let line = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..start]).count() as u32;
            let mut parser = Parser::new(file.clone(), &text[start..end], line, i > 0);
            let mut document = Document {
                file: file.clone(),
                ..Document::default()
            };
            let mut problems = Vec::new();
            let assumed = (i > 0).then(|| assumed_frame(cuts[i - 1].1));
            let reached = read(&mut parser, assumed, &mut document, &mut problems).ok()?;
            problems.is_empty().then_some(Part { document, reached })
        })
        .collect();
    let mut read = read.into_iter();
    let first = read.next()??;
    let mut document = first.document;
    // The frame open at the current cut, as the file opened it.
    let Ended::Eof { path: mut open, .. } = first.reached.ended else {
        return None;
    };
    let last = cuts.len() - 1;
    for (k, part) in read.enumerate() {
        let part = part?;
        let assumed = assumed_frame(cuts[k].1);
        let holds = open.len() == assumed.len()
            && open.iter().zip(&assumed).all(|(a, b)| a.name == b.name)
            && part.reached.closed.len() <= open.len()
            && part
                .reached
                .closed
                .iter()
                .zip(open.iter().rev())
                .all(|(closed, opened)| opened.written.as_deref() == Some(&**closed));
        // A header is read from the start of a file, never after a cut.
        if !holds || part.document.header.source_tool.is_some() || part.document.header.reqif_tool.is_some() {
            return None;
        }
        open.truncate(open.len() - part.reached.closed.len());
        match part.reached.ended {
            Ended::Root if k == last => open.clear(),
            Ended::Eof { path, .. } if k < last => {
                open.extend(path.into_iter().filter(|frame| frame.written.is_some()));
            }
            _ => return None,
        }
        let Document {
            datatypes,
            types,
            objects,
            relations,
            specifications,
            ..
        } = part.document;
        document.datatypes.extend(datatypes);
        document.types.extend(types);
        document.objects.extend(objects);
        document.relations.extend(relations);
        document.specifications.extend(specifications);
    }
    Some(document)
}

/// The frame a part starting at a cut assumes open: the container of its first record, and
/// what holds that.
fn assumed_frame(container: &str) -> Vec<Frame> {
    ["REQ-IF", "CORE-CONTENT", "REQ-IF-CONTENT", container]
        .into_iter()
        .map(|name| Frame {
            name: name.to_owned(),
            written: None,
            line: 0,
        })
        .collect()
}
