//! ReqIF XML into plain records ([`Document`]), with a line for each.
//!
//! A pull parser (quick-xml) walks the file once. The frame of a ReqIF document (header,
//! content sections) is checked element by element as it streams past; objects, relations and
//! specifications (nearly all of a large file) are read into their records as they stream
//! past, and the few definitions and types as one small element tree each, so memory follows
//! the records kept, not the XML. XHTML values are kept
//! twice: re-serialised under one `xhtml:` prefix (whichever of the three namespace styles the
//! tool wrote) and as plain text.
//!
//! Nothing here knows about regtrace nodes: [`super::resolve`] maps records to nodes and links.

use std::sync::Arc;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use regtrace_core::{Diagnostic, Location};

mod parts;
mod records;

use parts::*;
pub use records::*;

/// The ReqIF namespace (ReqIF 1.0, 1.1 and 1.2 all use it).
pub const REQIF_NS: &str = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";

/// The longest `THE-VALUE` attribute read, as written in the file (16 MiB).
const MAX_VALUE_BYTES: usize = 16 << 20;

/// Element trees deeper than this are refused: no tool nests a document that deep, and a
/// hostile file must not exhaust the stack.
const MAX_DEPTH: usize = 256;

/// What an element inside a streamed record means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// `…-REF`: a reference, its text an IDENTIFIER.
    Ref,
    Type,
    Source,
    Target,
    Definition,
    Values,
    Object,
    /// `SPEC-HIERARCHY`.
    Entry,
    /// `ATTRIBUTE-VALUE-…`.
    Value(DataKind),
    /// `THE-VALUE` as an element: XHTML.
    TheValue,
    Other,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "TYPE" => Tag::Type,
            "SOURCE" => Tag::Source,
            "TARGET" => Tag::Target,
            "DEFINITION" => Tag::Definition,
            "VALUES" => Tag::Values,
            "OBJECT" => Tag::Object,
            "SPEC-HIERARCHY" => Tag::Entry,
            "THE-VALUE" => Tag::TheValue,
            _ if name.ends_with("-REF") => Tag::Ref,
            _ => match name.strip_prefix("ATTRIBUTE-VALUE-") {
                Some(kind) => DataKind::of(kind).map_or(Tag::Other, Tag::Value),
                None => Tag::Other,
            },
        }
    }
}

/// A SPEC-OBJECT, SPEC-RELATION or SPECIFICATION read as it streamed past.
#[derive(Debug, Default)]
struct Streamed {
    children: Vec<Hierarchy>,
    id: Option<String>,
    long_name: Option<String>,
    type_ref: Option<Arc<str>>,
    source: Option<String>,
    target: Option<String>,
    values: Vec<Value>,
}

/// A small element tree: one definition, object, relation or specification.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
    xhtml: Option<Xhtml>,
    line: u32,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// The frame of a ReqIF document: which children each container element may hold.
fn allowed_children(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "REQ-IF" => &["THE-HEADER", "CORE-CONTENT", "TOOL-EXTENSIONS"],
        "THE-HEADER" => &["REQ-IF-HEADER"],
        "CORE-CONTENT" => &["REQ-IF-CONTENT"],
        "REQ-IF-CONTENT" => &[
            "DATATYPES",
            "SPEC-TYPES",
            "SPEC-OBJECTS",
            "SPEC-RELATIONS",
            "SPECIFICATIONS",
            "SPEC-RELATION-GROUPS",
        ],
        "DATATYPES" => &[
            "DATATYPE-DEFINITION-BOOLEAN",
            "DATATYPE-DEFINITION-INTEGER",
            "DATATYPE-DEFINITION-REAL",
            "DATATYPE-DEFINITION-STRING",
            "DATATYPE-DEFINITION-DATE",
            "DATATYPE-DEFINITION-ENUMERATION",
            "DATATYPE-DEFINITION-XHTML",
        ],
        "SPEC-TYPES" => &[
            "SPEC-OBJECT-TYPE",
            "SPEC-RELATION-TYPE",
            "SPECIFICATION-TYPE",
            "RELATION-GROUP-TYPE",
        ],
        "SPEC-OBJECTS" => &["SPEC-OBJECT"],
        "SPEC-RELATIONS" => &["SPEC-RELATION"],
        "SPECIFICATIONS" => &["SPECIFICATION"],
        "SPEC-RELATION-GROUPS" => &["RELATION-GROUP"],
        _ => return None,
    })
}

/// The elements read whole, as one record each.
fn is_record(name: &str) -> bool {
    matches!(
        name,
        "REQ-IF-HEADER"
            | "SPEC-OBJECT-TYPE"
            | "SPEC-RELATION-TYPE"
            | "SPECIFICATION-TYPE"
            | "RELATION-GROUP-TYPE"
            | "RELATION-GROUP"
    ) || name.starts_with("DATATYPE-DEFINITION-")
}

struct Parser<'a> {
    file: Arc<str>,
    text: &'a str,
    reader: Reader<&'a [u8]>,
    /// Lines counted up to `counted` (a byte offset).
    line: u32,
    counted: usize,
    /// References many records repeat (definitions, types), each kept once.
    shared: foldhash::HashMap<Box<str>, Arc<str>>,
    /// The empty text, shared.
    nothing: Arc<str>,
    /// What [`Parser::streamed`] works in, kept from one record to the next.
    scratch: (Vec<Tag>, String),
}

/// A problem that stops reading the file.
type Stop = Box<Diagnostic>;

impl<'a> Parser<'a> {
    /// A parser of `text`, whose first line is `line` of the file. A `continuation` starts
    /// inside elements opened before `text` (see [`parse_in_parts`]): their end tags are let
    /// through for [`read`] to check.
    fn new(file: Arc<str>, text: &'a str, line: u32, continuation: bool) -> Self {
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        reader.config_mut().allow_unmatched_ends = continuation;
        Parser {
            file,
            text,
            reader,
            line,
            counted: 0,
            shared: foldhash::HashMap::default(),
            nothing: Arc::from(""),
            scratch: (Vec::new(), String::new()),
        }
    }

    /// `text`, shared with every earlier use of the same text.
    fn share(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.shared.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.shared.insert(Box::from(text), shared.clone());
        shared
    }

    /// An attribute of a start tag, unescaped.
    fn attribute(&self, start: &BytesStart, name: &str, line: u32) -> Result<Option<String>, Stop> {
        let [value] = self.attributes(start, [name], line)?;
        Ok(value)
    }

    /// The named attributes of a start tag, unescaped, from one pass over its attributes: the
    /// first of each name, reading no further than the last one needed.
    fn attributes<const N: usize>(
        &self,
        start: &BytesStart,
        names: [&str; N],
        line: u32,
    ) -> Result<[Option<String>; N], Stop> {
        let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
        let mut missing = N;
        for attr in start.attributes().with_checks(false) {
            let attr = attr
                .map_err(|e| self.stop(line, format!("a broken attribute: {e}"), "export the file again"))?;
            let Some(i) = names.iter().position(|name| *name == attr.key.as_ref()) else {
                continue;
            };
            if found[i].is_some() {
                continue;
            }
            let value = attr.normalized_value(XmlVersion::Implicit1_0).map_err(|e| {
                self.stop(
                    line,
                    format!("a broken attribute value: {e}"),
                    "export the file again",
                )
            })?;
            found[i] = Some(value.into_owned());
            missing -= 1;
            if missing == 0 {
                break;
            }
        }
        Ok(found)
    }

    /// A record's IDENTIFIER and LONG-NAME, from one pass over its start tag.
    fn names(&self, start: &BytesStart, line: u32) -> Result<(Option<String>, Option<String>), Stop> {
        let [id, long_name] = self.attributes(start, ["IDENTIFIER", "LONG-NAME"], line)?;
        Ok((id, long_name))
    }

    /// Reads a SPEC-OBJECT, SPEC-RELATION or SPECIFICATION as it streams past, without an
    /// element tree (they are nearly all of a large file). `start` has been read; reads up to
    /// its end tag.
    fn streamed(
        &mut self,
        start: &BytesStart,
        line: u32,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<Streamed, Stop> {
        let (id, long_name) = self.names(start, line)?;
        let mut record = Streamed {
            id,
            long_name,
            ..Streamed::default()
        };
        // The open elements inside the record, as what they mean here, and the text of the
        // reference being read.
        let (mut open, mut reference) = std::mem::take(&mut self.scratch);
        open.clear();
        reference.clear();
        let mut value: Option<Value> = None;
        // The SPEC-HIERARCHY entries open, innermost last.
        let mut entries: Vec<Hierarchy> = Vec::new();
        loop {
            let (event, pos) = self.next_at()?;
            // The line, counted only for the events that may need it (most events are end
            // tags and the white space between tags).
            let at = match &event {
                Event::End(_) => 0,
                Event::Text(_) if open.last() != Some(&Tag::Ref) => 0,
                _ => self.line_at(pos),
            };
            match event {
                Event::Start(e) => {
                    if open.len() >= MAX_DEPTH {
                        return Err(self.stop(
                            at,
                            format!("elements nested more than {MAX_DEPTH} deep"),
                            "no requirements tool nests a document this deep; is the file damaged?",
                        ));
                    }
                    let tag = Tag::of(e.local_name().as_ref());
                    match tag {
                        Tag::Value(kind) => value = Some(self.value_start(&e, kind, at, problems)?),
                        Tag::TheValue => {
                            let xhtml = self.xhtml(at)?;
                            if let Some(value) = value.as_mut() {
                                value.text = xhtml.plain.clone();
                                value.xhtml = Some(xhtml);
                            }
                            continue;
                        }
                        Tag::Entry => {
                            self.check_entry_flags(&e, at, problems)?;
                            entries.push(Hierarchy {
                                object: None,
                                children: Vec::new(),
                                line: at,
                            });
                        }
                        _ => {}
                    }
                    reference.clear();
                    open.push(tag);
                }
                Event::Empty(e) => match Tag::of(e.local_name().as_ref()) {
                    // A value without DEFINITION: nothing to keep.
                    Tag::Value(kind) => drop(self.value_start(&e, kind, at, problems)?),
                    Tag::Entry => {
                        self.check_entry_flags(&e, at, problems)?;
                        let entry = Hierarchy {
                            object: None,
                            children: Vec::new(),
                            line: at,
                        };
                        match entries.last_mut() {
                            Some(parent) => parent.children.push(entry),
                            None => record.children.push(entry),
                        }
                    }
                    _ => {}
                },
                Event::Text(t) if open.last() == Some(&Tag::Ref) => {
                    let text = t.xml10_content();
                    reference.push_str(&text);
                }
                Event::CData(t) if open.last() == Some(&Tag::Ref) => {
                    let text = t.xml10_content();
                    reference.push_str(&text);
                }
                Event::GeneralRef(r) if open.last() == Some(&Tag::Ref) => {
                    let text = self.reference_text(&r, at)?;
                    reference.push_str(&text);
                }
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {}
                Event::End(_) => {
                    let Some(tag) = open.pop() else {
                        self.scratch = (open, reference);
                        return Ok(record);
                    };
                    match tag {
                        Tag::Ref => {
                            let id = reference.trim();
                            let parent = open.last().copied();
                            // Record-level TYPE, SOURCE and TARGET sit right inside the record.
                            let top = open.len() == 1;
                            match parent {
                                _ if id.is_empty() => {}
                                Some(Tag::Type) if top => record.type_ref = Some(self.share(id)),
                                Some(Tag::Source) if top => record.source = Some(id.to_owned()),
                                Some(Tag::Target) if top => record.target = Some(id.to_owned()),
                                Some(Tag::Object) => {
                                    if let Some(entry) = entries.last_mut() {
                                        entry.object = Some(id.to_owned());
                                    }
                                }
                                Some(Tag::Definition) => {
                                    let shared = self.share(id);
                                    if let Some(value) = value.as_mut() {
                                        value.definition = shared;
                                    }
                                }
                                Some(Tag::Values) if value.is_some() => {
                                    if let Some(value) = value.as_mut() {
                                        value.enum_refs.push(id.to_owned());
                                    }
                                }
                                _ => {}
                            }
                            reference.clear();
                        }
                        Tag::Value(_) => {
                            if let Some(value) = value.take().filter(|v| !v.definition.is_empty()) {
                                record.values.push(value);
                            }
                        }
                        Tag::Entry => {
                            if let Some(entry) = entries.pop() {
                                match entries.last_mut() {
                                    Some(parent) => parent.children.push(entry),
                                    None => record.children.push(entry),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::Eof => {
                    return Err(self.stop(
                        line,
                        "the file ends inside a SPEC-OBJECT, SPEC-RELATION or SPECIFICATION",
                        "the file is cut short; export it again",
                    ));
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
    }

    /// The boolean flags of a SPEC-HIERARCHY entry.
    fn check_entry_flags(
        &self,
        e: &BytesStart,
        line: u32,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<(), Stop> {
        for name in ["IS-EDITABLE", "IS-TABLE-INTERNAL"] {
            if let Some(value) = self.attribute(e, name, line)?
                && !matches!(value.trim(), "true" | "false" | "1" | "0")
            {
                problems.push(
                    Diagnostic::new(Some(self.at(line)), format!("{name}={value:?} in <SPEC-HIERARCHY> is not a boolean"))
                        .with_hint(format!("ReqIF writes {name}=\"true\" or {name}=\"false\"; correct it, or export the file again")),
                );
            }
        }
        Ok(())
    }

    /// An `ATTRIBUTE-VALUE-…` start tag: its THE-VALUE (simple types) and flags.
    fn value_start(
        &self,
        e: &BytesStart,
        kind: DataKind,
        line: u32,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<Value, Stop> {
        let broken = |e: String| self.stop(line, format!("a broken attribute: {e}"), "export the file again");
        let mut text = String::new();
        let mut flag = None;
        // One pass over the tag's attributes: values are most of a large file.
        for attr in e.attributes() {
            let attr = attr.map_err(|e| broken(e.to_string()))?;
            match attr.key.as_ref() {
                // A value past any tool's (regtrace keeps 64 KiB of text in a field) is said and
                // not copied: a file of one 400 MB value must not cost its size again in memory.
                "THE-VALUE" if attr.value.len() > MAX_VALUE_BYTES => {
                    problems.push(
                        Diagnostic::new(
                            Some(self.at(line)),
                            format!(
                                "a THE-VALUE of {} bytes (at most {MAX_VALUE_BYTES})",
                                attr.value.len()
                            ),
                        )
                        .with_hint("no requirements tool writes one value this long: export the module again, or check where the file came from"),
                    );
                }
                "THE-VALUE" => {
                    text = attr
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| broken(e.to_string()))?
                        .into_owned();
                }
                "IS-SIMPLIFIED" => {
                    flag = Some(
                        attr.normalized_value(XmlVersion::Implicit1_0)
                            .map_err(|e| broken(e.to_string()))?
                            .into_owned(),
                    );
                }
                _ => {}
            }
        }
        if let Some(flag) = flag
            && !matches!(flag.trim(), "true" | "false" | "1" | "0")
        {
            let name = e.local_name().as_ref().to_owned();
            problems.push(
                Diagnostic::new(Some(self.at(line)), format!("IS-SIMPLIFIED={flag:?} in <{name}> is not a boolean"))
                    .with_hint("ReqIF writes IS-SIMPLIFIED=\"true\" or IS-SIMPLIFIED=\"false\"; correct it, or export the file again"),
            );
        }
        Ok(Value {
            definition: self.nothing.clone(),
            kind,
            text,
            xhtml: None,
            enum_refs: Vec::new(),
            line,
        })
    }

    /// The line of byte offset `pos` (offsets only grow).
    fn line_at(&mut self, pos: usize) -> u32 {
        let pos = pos.min(self.text.len());
        if pos > self.counted {
            self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.counted..pos]).count() as u32;
            self.counted = pos;
        }
        self.line
    }

    fn at(&self, line: u32) -> Location {
        Location::new(self.file.clone(), Some(line), None)
    }

    fn stop(&self, line: u32, message: impl Into<String>, hint: impl Into<String>) -> Stop {
        Box::new(Diagnostic::new(Some(self.at(line)), message).with_hint(hint))
    }

    /// The next event and the line it starts on.
    fn next(&mut self) -> Result<(Event<'a>, u32), Stop> {
        let (event, pos) = self.next_at()?;
        let line = self.line_at(pos);
        Ok((event, line))
    }

    /// The next event and the byte offset it starts at (its line is [`Parser::line_at`]).
    fn next_at(&mut self) -> Result<(Event<'a>, usize), Stop> {
        let before = self.reader.buffer_position() as usize;
        match self.reader.read_event() {
            Ok(event) => Ok((event, before)),
            Err(e) => {
                let line = self.line_at(self.reader.error_position() as usize);
                Err(self.stop(
                    line,
                    format!("the file is not well-formed XML: {e}"),
                    "open it in an XML editor, or export it again from the requirements tool",
                ))
            }
        }
    }

    fn open(&self, start: &BytesStart, line: u32) -> Result<Element, Stop> {
        let name = start.local_name().as_ref().to_owned();
        let mut attrs = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| {
                self.stop(
                    line,
                    format!("a broken attribute in <{name}>: {e}"),
                    "export the file again",
                )
            })?;
            let key = attr.key.as_ref().to_owned();
            let value = attr.normalized_value(XmlVersion::Implicit1_0).map_err(|e| {
                self.stop(
                    line,
                    format!("a broken value of {key} in <{name}>: {e}"),
                    "export the file again",
                )
            })?;
            attrs.push((key, value.into_owned()));
        }
        Ok(Element {
            name,
            attrs,
            line,
            ..Element::default()
        })
    }

    fn reference_text(&self, r: &BytesRef, line: u32) -> Result<String, Stop> {
        let broken = |e: String| {
            self.stop(
                line,
                format!("a broken character reference: {e}"),
                "export the file again",
            )
        };
        if let Some(c) = r.resolve_char_ref().map_err(|e| broken(e.to_string()))? {
            return Ok(c.to_string());
        }
        let name: &str = r;
        match quick_xml::escape::resolve_predefined_entity(name) {
            Some(text) => Ok(text.to_owned()),
            None => Err(self.stop(
                line,
                format!("an unknown entity &{name};"),
                "XML knows only &amp; &lt; &gt; &quot; &apos; and numeric references; export the file again",
            )),
        }
    }

    /// Reads the rest of the element `start` opened, as a tree.
    fn element(&mut self, start: &BytesStart, line: u32) -> Result<Element, Stop> {
        let mut stack = vec![self.open(start, line)?];
        loop {
            let (event, line) = self.next()?;
            match event {
                Event::Start(e) => {
                    let element = self.open(&e, line)?;
                    if matches!(element.name.as_str(), "THE-VALUE" | "THE-ORIGINAL-VALUE") {
                        let mut element = element;
                        element.xhtml = Some(self.xhtml(line)?);
                        stack.last_mut().expect("open element").children.push(element);
                    } else if stack.len() >= MAX_DEPTH {
                        return Err(self.stop(
                            line,
                            format!("elements nested more than {MAX_DEPTH} deep"),
                            "no requirements tool nests a document this deep; is the file damaged?",
                        ));
                    } else {
                        stack.push(element);
                    }
                }
                Event::Empty(e) => {
                    let element = self.open(&e, line)?;
                    stack.last_mut().expect("open element").children.push(element);
                }
                Event::End(_) => {
                    let done = stack.pop().expect("open element");
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Event::Text(t) => {
                    let text = t.xml10_content();
                    stack.last_mut().expect("open element").text.push_str(&text);
                }
                Event::CData(t) => {
                    let text = t.xml10_content();
                    stack.last_mut().expect("open element").text.push_str(&text);
                }
                Event::GeneralRef(r) => {
                    let text = self.reference_text(&r, line)?;
                    stack.last_mut().expect("open element").text.push_str(&text);
                }
                Event::Eof => {
                    let open = stack.last().expect("open element");
                    return Err(self.stop(
                        line,
                        format!(
                            "the file ends inside <{}> opened at line {}",
                            open.name, open.line
                        ),
                        "the file is cut short; export it again",
                    ));
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Reads the XHTML content of a `THE-VALUE` element up to its end tag.
    fn xhtml(&mut self, line: u32) -> Result<Xhtml, Stop> {
        let mut out = Xhtml::default();
        let mut depth = 0usize;
        let mut plain = String::new();
        loop {
            let (event, at) = self.next()?;
            match event {
                Event::Start(_) | Event::Empty(_) => {
                    let (e, empty) = match event {
                        Event::Start(e) => (e, false),
                        Event::Empty(e) => (e, true),
                        _ => unreachable!("matched above"),
                    };
                    let local = e.local_name().as_ref().to_owned();
                    out.markup.push_str("<xhtml:");
                    out.markup.push_str(&local);
                    for attr in e.attributes().flatten() {
                        let key: &str = attr.key.as_ref();
                        if key == "xmlns" || key.starts_with("xmlns:") {
                            continue;
                        }
                        out.markup.push(' ');
                        out.markup.push_str(attr.key.local_name().as_ref());
                        out.markup.push_str("=\"");
                        let value = attr
                            .normalized_value(XmlVersion::Implicit1_0)
                            .map(|v| v.into_owned())
                            .unwrap_or_default();
                        out.markup.push_str(&quick_xml::escape::escape(value.as_str()));
                        out.markup.push('"');
                        if local == "object" && attr.key.local_name().as_ref() == "data" {
                            out.objects.push(value);
                        }
                    }
                    if empty {
                        out.markup.push_str("/>");
                    } else {
                        out.markup.push('>');
                        depth += 1;
                        if depth > MAX_DEPTH {
                            return Err(self.stop(
                                at,
                                format!("XHTML nested more than {MAX_DEPTH} deep"),
                                "is the file damaged?",
                            ));
                        }
                    }
                    if is_block(&local) {
                        plain.push('\n');
                    } else if matches!(local.as_str(), "td" | "th") {
                        plain.push(' ');
                    }
                }
                Event::End(e) => {
                    if depth == 0 {
                        out.plain = tidy(&plain);
                        return Ok(out);
                    }
                    depth -= 1;
                    let local = e.local_name().as_ref().to_owned();
                    out.markup.push_str("</xhtml:");
                    out.markup.push_str(&local);
                    out.markup.push('>');
                    if is_block(&local) {
                        plain.push('\n');
                    }
                }
                Event::Text(t) => {
                    out.markup.push_str(&t);
                    let text = t.xml10_content();
                    plain.push_str(&text);
                }
                Event::CData(t) => {
                    let text = t.xml10_content();
                    out.markup.push_str(&quick_xml::escape::escape(text.as_ref()));
                    plain.push_str(&text);
                }
                Event::GeneralRef(r) => {
                    let text = self.reference_text(&r, at)?;
                    out.markup.push_str(&quick_xml::escape::escape(text.as_str()));
                    plain.push_str(&text);
                }
                Event::Comment(c) => {
                    out.markup.push_str("<!--");
                    out.markup.push_str(&c);
                    out.markup.push_str("-->");
                }
                Event::Eof => {
                    return Err(self.stop(
                        line,
                        "the file ends inside an XHTML value",
                        "the file is cut short; export it again",
                    ));
                }
                Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "tr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "blockquote"
            | "table"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
    )
}

/// Plain text: each line's runs of white space collapsed to one space, empty lines dropped.
pub fn tidy(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    lines.join("\n")
}

/// Reads up to the root element and checks that it is ReqIF's; the root's frame.
fn read_root(parser: &mut Parser) -> Result<Frame, Stop> {
    // Up to the root element.
    let (root, written, declaration, line) = loop {
        let (event, line) = parser.next()?;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let declaration = match e.name().prefix() {
                    Some(prefix) => format!("xmlns:{}", prefix.as_ref()),
                    None => "xmlns".to_owned(),
                };
                let written = Box::<str>::from(e.name().as_ref());
                break (parser.open(&e, line)?, written, declaration, line);
            }
            Event::Text(t) if t.bytes().all(|b| b.is_ascii_whitespace()) => {}
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => {
                return Err(parser.stop(
                    line,
                    "the file holds no XML element",
                    "a ReqIF file starts with <REQ-IF xmlns=\"http://www.omg.org/spec/ReqIF/20110401/reqif.xsd\">; export it again",
                ));
            }
            _ => {
                return Err(parser.stop(
                    line,
                    "the file does not start with an XML element",
                    "is this a ReqIF file? It should start with <?xml …?> and <REQ-IF …>",
                ));
            }
        }
    };
    if root.name != "REQ-IF" {
        return Err(parser.stop(
            line,
            format!("the root element is <{}>, not <REQ-IF>", root.name),
            "is this a ReqIF file? Export it from the requirements tool as ReqIF",
        ));
    }
    // The root's namespace: `xmlns`, or `xmlns:p` for a `p:REQ-IF` root.
    match root.attr(&declaration) {
        Some(REQIF_NS) => {}
        Some(other) => {
            return Err(parser.stop(
                line,
                format!("<REQ-IF> is in the namespace {other:?}, not ReqIF's {REQIF_NS:?}"),
                "ReqIF 1.0–1.2 files declare xmlns=\"http://www.omg.org/spec/ReqIF/20110401/reqif.xsd\"; export the file again, or correct the declaration",
            ));
        }
        None => {
            return Err(parser.stop(
                line,
                "<REQ-IF> declares no namespace",
                "ReqIF files declare xmlns=\"http://www.omg.org/spec/ReqIF/20110401/reqif.xsd\" on <REQ-IF>",
            ));
        }
    }
    Ok(Frame {
        name: root.name,
        written: Some(written),
        line,
    })
}

/// Reads one `.reqif` text. Problems of the frame (misplaced elements, records without an
/// IDENTIFIER) are pushed to `problems` and reading goes on; a file that is not well-formed
/// XML, or not ReqIF at all, stops with `Err`.
///
/// A large text is read in parts at once ([`parse_in_parts`]), one per core.
pub fn parse(file: &Arc<str>, text: &str, problems: &mut Vec<Diagnostic>) -> Result<Document, Diagnostic> {
    let parts = if text.len() >= PARTS_FROM {
        rayon::current_num_threads()
    } else {
        1
    };
    parse_in_parts(file, text, problems, parts)
}

/// An element of the frame, open while reading.
#[derive(Debug, Clone)]
struct Frame {
    /// The local name.
    name: String,
    /// The name as the start tag wrote it; `None` for a frame a part assumes open.
    written: Option<Box<str>>,
    line: u32,
}

/// Where [`read`] stopped.
enum Ended {
    /// At the root's end tag.
    Root,
    /// At the end of the text, inside `path` (innermost last), on `line`.
    Eof { path: Vec<Frame>, line: u32 },
}

/// How [`read`] ended, with the end tags it met of frames assumed open (innermost first).
struct Reached {
    ended: Ended,
    closed: Vec<Box<str>>,
}

/// Reads the frame of a ReqIF text and every record in it, from the start (`assumed` is
/// `None`) or inside the `assumed` frame. Stops at the root's end tag or the text's end.
fn read(
    parser: &mut Parser,
    assumed: Option<Vec<Frame>>,
    document: &mut Document,
    problems: &mut Vec<Diagnostic>,
) -> Result<Reached, Stop> {
    let mut path = match assumed {
        Some(path) => path,
        None => vec![read_root(parser)?],
    };
    let mut closed = Vec::new();
    // The frame, streamed: containers are entered, records read whole, the rest refused.
    loop {
        let (event, line) = parser.next()?;
        match event {
            Event::Start(_) | Event::Empty(_) => {
                let (e, empty) = match event {
                    Event::Start(e) => (e, false),
                    Event::Empty(e) => (e, true),
                    _ => unreachable!("matched above"),
                };
                // Borrowed: a large file has hundreds of thousands of records.
                let local = e.local_name();
                let name: &str = local.as_ref();
                let parent = path.last().map_or("", |frame| frame.name.as_str());
                let allowed = allowed_children(parent).unwrap_or(&[]);
                if name == "TOOL-EXTENSIONS" && parent == "REQ-IF" {
                    if !empty {
                        parser.element(&e, line)?;
                    }
                } else if !allowed.contains(&name) {
                    problems.push(
                        Diagnostic::new(
                            Some(parser.at(line)),
                            format!("<{name}> does not belong inside <{parent}>"),
                        )
                        .with_hint(format!(
                            "ReqIF allows only {} there; the element and what it holds were not read",
                            if allowed.is_empty() {
                                "nothing".to_owned()
                            } else {
                                allowed
                                    .iter()
                                    .map(|a| format!("<{a}>"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            }
                        )),
                    );
                    if !empty {
                        parser.element(&e, line)?;
                    }
                } else if matches!(name, "SPEC-OBJECT" | "SPEC-RELATION" | "SPECIFICATION") {
                    let record = if empty {
                        let (id, long_name) = parser.names(&e, line)?;
                        Streamed {
                            id,
                            long_name,
                            ..Streamed::default()
                        }
                    } else {
                        parser.streamed(&e, line, problems)?
                    };
                    let Some(id) = record
                        .id
                        .map(|id| {
                            if id.trim().len() == id.len() {
                                id
                            } else {
                                id.trim().to_owned()
                            }
                        })
                        .filter(|id| !id.is_empty())
                    else {
                        problems.push(
                            Diagnostic::new(Some(parser.at(line)), format!("<{name}> has no IDENTIFIER"))
                                .with_hint("every ReqIF element that others refer to needs an IDENTIFIER; export the file again"),
                        );
                        continue;
                    };
                    if name == "SPECIFICATION" {
                        document.specifications.push(Specification {
                            id,
                            long_name: record.long_name,
                            type_ref: record.type_ref,
                            values: record.values,
                            children: record.children,
                            line,
                        });
                    } else if name == "SPEC-OBJECT" {
                        document.objects.push(SpecObject {
                            id,
                            long_name: record.long_name,
                            type_ref: record.type_ref,
                            values: record.values,
                            line,
                        });
                    } else {
                        document.relations.push(SpecRelation {
                            id,
                            type_ref: record.type_ref,
                            values: record.values,
                            source: record.source,
                            target: record.target,
                            line,
                        });
                    }
                } else if is_record(name) {
                    let element = if empty {
                        parser.open(&e, line)?
                    } else {
                        parser.element(&e, line)?
                    };
                    record(parser, element, document, problems);
                } else if !empty {
                    path.push(Frame {
                        name: name.to_owned(),
                        written: Some(Box::<str>::from(e.name().as_ref())),
                        line,
                    });
                }
            }
            Event::End(e) => {
                if let Some(frame) = path.pop()
                    && frame.written.is_none()
                {
                    closed.push(Box::<str>::from(e.name().as_ref()));
                }
                if path.is_empty() {
                    return Ok(Reached {
                        ended: Ended::Root,
                        closed,
                    });
                }
            }
            Event::Text(t) if t.bytes().all(|b| b.is_ascii_whitespace()) => {}
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                let parent = path.last().map(|frame| frame.name.clone()).unwrap_or_default();
                problems.push(
                    Diagnostic::new(Some(parser.at(line)), format!("text directly inside <{parent}>"))
                        .with_hint("ReqIF puts text only in attribute values; is the file damaged?"),
                );
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => {
                return Ok(Reached {
                    ended: Ended::Eof { path, line },
                    closed,
                });
            }
        }
    }
}

/// The boolean attributes of ReqIF elements, which must say `true` or `false`.
const FLAGS: &[&str] = &[
    "IS-SIMPLIFIED",
    "IS-EDITABLE",
    "MULTI-VALUED",
    "IS-TABLE-INTERNAL",
];

/// Reports every boolean attribute in `element`'s tree that is not `true`, `false`, `1` or `0`.
fn check_flags(parser: &Parser, element: &Element, problems: &mut Vec<Diagnostic>) {
    let mut stack = vec![element];
    while let Some(element) = stack.pop() {
        for (name, value) in &element.attrs {
            if FLAGS.contains(&name.as_str()) && !matches!(value.trim(), "true" | "false" | "1" | "0") {
                problems.push(
                    Diagnostic::new(
                        Some(parser.at(element.line)),
                        format!("{name}={value:?} in <{}> is not a boolean", element.name),
                    )
                    .with_hint(format!("ReqIF writes {name}=\"true\" or {name}=\"false\"; correct it, or export the file again")),
                );
            }
        }
        stack.extend(element.children.iter());
    }
}

/// Turns one record element into its record.
fn record(parser: &Parser, element: Element, document: &mut Document, problems: &mut Vec<Diagnostic>) {
    check_flags(parser, &element, problems);
    let at = parser.at(element.line);
    let id = element
        .attr("IDENTIFIER")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let long_name = element.attr("LONG-NAME").map(str::to_owned);
    if element.name == "REQ-IF-HEADER" {
        // Fields are elements in the schema; some writers put them in attributes.
        let field = |name: &str| {
            element
                .child(name)
                .map(|c| c.text.trim().to_owned())
                .or_else(|| element.attr(name).map(str::to_owned))
                .filter(|s| !s.is_empty())
        };
        document.header = Header {
            source_tool: field("SOURCE-TOOL-ID"),
            reqif_tool: field("REQ-IF-TOOL-ID"),
        };
        return;
    }
    let Some(id) = id else {
        problems.push(
            Diagnostic::new(Some(at), format!("<{}> has no IDENTIFIER", element.name)).with_hint(
                "every ReqIF element that others refer to needs an IDENTIFIER; export the file again",
            ),
        );
        return;
    };
    let line = element.line;
    match element.name.as_str() {
        name if name.starts_with("DATATYPE-DEFINITION-") => {
            let values = element
                .child("SPECIFIED-VALUES")
                .map(|v| {
                    v.children
                        .iter()
                        .filter(|c| c.name == "ENUM-VALUE")
                        .filter_map(|c| {
                            let embedded = c.child("PROPERTIES").and_then(|p| p.child("EMBEDDED-VALUE"));
                            Some(EnumValue {
                                id: c.attr("IDENTIFIER")?.trim().to_owned(),
                                long_name: c.attr("LONG-NAME").map(str::to_owned),
                                key: embedded.and_then(|e| e.attr("KEY")).map(str::to_owned),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            document.datatypes.push(Datatype { values });
        }
        "SPEC-OBJECT-TYPE" | "SPEC-RELATION-TYPE" | "SPECIFICATION-TYPE" | "RELATION-GROUP-TYPE" => {
            let role = match element.name.as_str() {
                "SPEC-OBJECT-TYPE" => TypeRole::Object,
                "SPEC-RELATION-TYPE" => TypeRole::Relation,
                "SPECIFICATION-TYPE" => TypeRole::Specification,
                _ => TypeRole::RelationGroup,
            };
            let attributes = element
                .child("SPEC-ATTRIBUTES")
                .map(|a| {
                    a.children
                        .iter()
                        .filter_map(|d| {
                            let kind = DataKind::of(&d.name)?;
                            let Some(id) = d.attr("IDENTIFIER") else {
                                problems.push(
                                    Diagnostic::new(
                                        Some(parser.at(d.line)),
                                        format!("<{}> has no IDENTIFIER", d.name),
                                    )
                                    .with_hint("export the file again"),
                                );
                                return None;
                            };
                            let default = d
                                .child("DEFAULT-VALUE")
                                .and_then(|v| v.children.first())
                                .and_then(|v| value(v, Some(id)));
                            Some(AttributeDef {
                                id: id.trim().to_owned(),
                                long_name: d.attr("LONG-NAME").map(str::to_owned),
                                kind,
                                default,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            document.types.push(SpecType {
                id,
                long_name,
                role,
                attributes,
                file: parser.file.clone(),
                line,
            });
        }
        // Relation groups only bundle relations that SPEC-RELATIONS already holds.
        _ => {}
    }
}

/// An `ATTRIBUTE-VALUE-…` element; `definition` names its definition when it is a default.
fn value(element: &Element, definition: Option<&str>) -> Option<Value> {
    let kind = DataKind::of(element.name.strip_prefix("ATTRIBUTE-VALUE-")?)?;
    let definition = element
        .child("DEFINITION")
        .and_then(|d| d.children.first())
        .map(|r| r.text.trim())
        .filter(|d| !d.is_empty())
        .or(definition)
        .map(Arc::from)?;
    let xhtml = element.child("THE-VALUE").and_then(|v| v.xhtml.clone());
    let text = match (&xhtml, element.attr("THE-VALUE")) {
        (Some(x), _) => x.plain.clone(),
        (None, Some(v)) => v.to_owned(),
        (None, None) => String::new(),
    };
    let enum_refs = element
        .child("VALUES")
        .map(|v| {
            v.children
                .iter()
                .map(|r| r.text.trim().to_owned())
                .filter(|r| !r.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Some(Value {
        definition,
        kind,
        text,
        xhtml,
        enum_refs,
        line: element.line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Result<Document, Diagnostic>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let document = parse(&Arc::from("t.reqif"), text, &mut problems);
        (document, problems)
    }

    const HEAD: &str = r#"<?xml version="1.0"?><REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml"><CORE-CONTENT><REQ-IF-CONTENT>"#;
    const TAIL: &str = "</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>";

    #[test]
    fn a_value_longer_than_any_tool_writes_is_said_not_copied() {
        let value = |n: usize| {
            format!(
                "{HEAD}<SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER=\"o\"><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE=\"{}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>d</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES></SPEC-OBJECT></SPEC-OBJECTS>{TAIL}",
                "x".repeat(n)
            )
        };
        let (document, problems) = read(&value(MAX_VALUE_BYTES + 1));
        assert!(document.is_ok());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .to_string()
                .contains(&format!("a THE-VALUE of {} bytes", MAX_VALUE_BYTES + 1))
        );
        let (document, problems) = read(&value(MAX_VALUE_BYTES));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(document.unwrap().objects[0].values[0].text.len(), MAX_VALUE_BYTES);
    }

    #[test]
    fn nesting_deeper_than_any_tool_writes_is_refused_not_a_stack_overflow() {
        let depth = 100_000;
        let hierarchy = format!(
            "{HEAD}<SPECIFICATIONS><SPECIFICATION IDENTIFIER=\"s\"><CHILDREN>{}{}</CHILDREN></SPECIFICATION></SPECIFICATIONS>{TAIL}",
            "<SPEC-HIERARCHY IDENTIFIER=\"h\"><CHILDREN>".repeat(depth),
            "</CHILDREN></SPEC-HIERARCHY>".repeat(depth)
        );
        let (document, _) = read(&hierarchy);
        let problem = document.unwrap_err().to_string();
        assert!(problem.contains("nested more than 256 deep"), "{problem}");
        let xhtml = format!(
            "{HEAD}<SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER=\"o\"><VALUES><ATTRIBUTE-VALUE-XHTML><THE-VALUE>{}{}</THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES></SPEC-OBJECT></SPEC-OBJECTS>{TAIL}",
            "<xhtml:div>".repeat(depth),
            "</xhtml:div>".repeat(depth)
        );
        let (document, _) = read(&xhtml);
        let problem = document.unwrap_err().to_string();
        assert!(problem.contains("XHTML nested more than 256 deep"), "{problem}");
    }

    #[test]
    fn xhtml_is_kept_under_one_prefix_and_as_plain_text() {
        let text = format!(
            "{HEAD}<SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER=\"o\"><VALUES><ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>d</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>a <b>b</b><br/>c &lt; d</p><!-- note --><p>e</p></div></THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT></SPEC-OBJECTS>{TAIL}"
        );
        let (document, problems) = read(&text);
        assert!(problems.is_empty(), "{problems:?}");
        let document = document.unwrap();
        let value = &document.objects[0].values[0];
        assert_eq!(&*value.definition, "d");
        assert_eq!(document.objects[0].type_ref.as_deref(), Some("t"));
        let xhtml = value.xhtml.as_ref().unwrap();
        assert_eq!(
            xhtml.markup,
            "<xhtml:div><xhtml:p>a <xhtml:b>b</xhtml:b><xhtml:br/>c &lt; d</xhtml:p><!-- note --><xhtml:p>e</xhtml:p></xhtml:div>"
        );
        assert_eq!(xhtml.plain, "a b\nc < d\ne");
    }

    /// Values read as any XML processor reads them (XML 1.0 §3.3.3, §2.11), so a file means
    /// here what it means in the tool that wrote it: in an attribute a literal line break or tab
    /// is a space and only a character reference keeps it; in text a CR LF is a line feed.
    #[test]
    fn attribute_values_and_line_ends_read_as_xml_says() {
        let string = |value: &str| {
            format!(
                "<ATTRIBUTE-VALUE-STRING THE-VALUE=\"{value}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>s</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>"
            )
        };
        let text = format!(
            "{HEAD}<SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER=\"o\"><VALUES>{}{}<ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>d</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><div xmlns=\"http://www.w3.org/1999/xhtml\">a\r\nb</div></THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT></SPEC-OBJECTS>{TAIL}",
            string("one\ntwo\tthree\r\nfour"),
            string("one&#10;two&#9;three&#13;&#10;&lt;four&gt;"),
        );
        let (document, problems) = read(&text);
        assert!(problems.is_empty(), "{problems:?}");
        let values = &document.unwrap().objects[0].values;
        assert_eq!(
            values[0].text, "one two three four",
            "CR LF is one line end, one space"
        );
        assert_eq!(values[1].text, "one\ntwo\tthree\r\n<four>");
        assert_eq!(values[2].xhtml.as_ref().unwrap().plain, "a\nb");
    }

    #[test]
    fn a_record_names_itself_in_either_order_and_a_broken_name_stops_the_read() {
        let objects = |tags: &[&str]| {
            let objects: String = tags
                .iter()
                .map(|tag| format!("\n<SPEC-OBJECT {tag}><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>"))
                .collect();
            read(&format!("{HEAD}<SPEC-OBJECTS>{objects}</SPEC-OBJECTS>{TAIL}"))
        };
        let (document, problems) = objects(&[
            r#"IDENTIFIER="a" LONG-NAME="A &amp; B""#,
            r#"LONG-NAME="second" LAST-CHANGE="2020-01-01" IDENTIFIER="b&#x2D;2""#,
            r#"IDENTIFIER="c" IDENTIFIER="again""#,
            r#"LAST-CHANGE="2020-01-01" IDENTIFIER="d""#,
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<(String, Option<String>)> = document
            .unwrap()
            .objects
            .into_iter()
            .map(|o| (o.id, o.long_name))
            .collect();
        let expected = [
            ("a", Some("A & B")),
            ("b-2", Some("second")),
            ("c", None),
            ("d", None),
        ]
        .map(|(id, name)| (id.to_owned(), name.map(str::to_owned)));
        assert_eq!(names, expected);
        for (tag, message) in [
            (
                r#"IDENTIFIER="a&nope;""#,
                "t.reqif:3: error: a broken attribute value",
            ),
            (
                r#"IDENTIFIER="a" LONG-NAME="&nope;""#,
                "t.reqif:3: error: a broken attribute value",
            ),
            (
                r#"LONG-NAME=unquoted IDENTIFIER="a""#,
                "t.reqif:3: error: a broken attribute",
            ),
        ] {
            let (document, _) = objects(&[r#"IDENTIFIER="fine""#, tag]);
            let problem = document.unwrap_err().to_string();
            assert!(problem.starts_with(message), "{tag}: {problem}");
        }
    }

    /// Every object, relation and problem of a read, as text to compare.
    fn shown(read: &(Result<Document, Diagnostic>, Vec<Diagnostic>)) -> String {
        format!("{read:?}")
    }

    /// The offsets where `<SPEC-OBJECT` or `<SPEC-RELATION` tags seem to start, as
    /// [`cuts`] would guess them (in comments, CDATA and XHTML too).
    fn candidates(text: &str) -> Vec<(usize, &'static str)> {
        let mut found = Vec::new();
        for (at, _) in text.match_indices("<SPEC-") {
            for (name, container) in [
                ("SPEC-OBJECT", "SPEC-OBJECTS"),
                ("SPEC-RELATION", "SPEC-RELATIONS"),
            ] {
                let tag = &text[at + 1..];
                if tag.starts_with(name)
                    && tag[name.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
                {
                    found.push((at, container));
                }
            }
        }
        found
    }

    /// Reading in parts gives what reading from start to end gives, wherever the cuts fall:
    /// at each single candidate, and at each pair of candidates. Returns how many ways of
    /// cutting held.
    fn parts_agree(text: &str) -> usize {
        let file: Arc<str> = Arc::from("t.reqif");
        let whole = read(text);
        let candidates = candidates(text);
        let mut tried: Vec<Vec<(usize, &'static str)>> = candidates.iter().map(|c| vec![*c]).collect();
        for (i, a) in candidates.iter().enumerate() {
            for b in &candidates[i + 1..] {
                tried.push(vec![*a, *b]);
            }
        }
        let mut held = 0;
        for cuts in tried {
            if let Some(document) = read_cut(&file, text, &cuts) {
                held += 1;
                let parts = (Ok(document), Vec::new());
                assert_eq!(shown(&parts), shown(&whole), "cut at {cuts:?} in\n{text}");
            }
        }
        for parts in 1..6 {
            let mut problems = Vec::new();
            let read = (parse_in_parts(&file, text, &mut problems, parts), problems);
            assert_eq!(shown(&read), shown(&whole), "{parts} parts of\n{text}");
        }
        held
    }

    fn object(id: &str) -> String {
        format!(
            "<SPEC-OBJECT IDENTIFIER=\"{id}\"><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE=\"v {id}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>d</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>\n"
        )
    }

    fn relation(id: &str, from: &str, to: &str) -> String {
        format!(
            "<SPEC-RELATION IDENTIFIER=\"{id}\"><SOURCE><SPEC-OBJECT-REF>{from}</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>{to}</SPEC-OBJECT-REF></TARGET><TYPE><SPEC-RELATION-TYPE-REF>r</SPEC-RELATION-TYPE-REF></TYPE></SPEC-RELATION>\n"
        )
    }

    #[test]
    fn a_text_read_in_parts_reads_as_it_does_whole() {
        let objects: String = ["a", "b", "c"].map(object).concat();
        let relations = relation("r1", "a", "b") + &relation("r2", "b", "c");
        let types = "<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER=\"t\" LONG-NAME=\"T\"/><SPEC-RELATION-TYPE IDENTIFIER=\"r\" LONG-NAME=\"R\"/></SPEC-TYPES>";
        let header = "<THE-HEADER><REQ-IF-HEADER IDENTIFIER=\"h\"><SOURCE-TOOL-ID>x</SOURCE-TOOL-ID></REQ-IF-HEADER></THE-HEADER>";
        let head = HEAD.replace("<CORE-CONTENT>", &format!("{header}<CORE-CONTENT>"));
        let clean = format!(
            "{head}{types}<SPEC-OBJECTS>\n{objects}</SPEC-OBJECTS><SPEC-RELATIONS>\n{relations}</SPEC-RELATIONS>{TAIL}\n"
        );
        let xhtml_object = "<SPEC-OBJECT IDENTIFIER=\"x\"><VALUES><ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>d</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><xhtml:div><SPEC-OBJECT IDENTIFIER=\"in-xhtml\">text</SPEC-OBJECT></xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES></SPEC-OBJECT>\n";
        let texts = [
            clean.clone(),
            // Look-alike tags where no record starts.
            clean.replace(
                "<SPEC-RELATIONS>",
                "<SPEC-RELATIONS><!-- <SPEC-RELATION IDENTIFIER=\"c\"> -->",
            ),
            clean.replace(
                "<SPEC-OBJECTS>",
                "<SPEC-OBJECTS><![CDATA[<SPEC-OBJECT IDENTIFIER=\"cd\">]]>",
            ),
            clean.replace("<SPEC-OBJECTS>\n", &format!("<SPEC-OBJECTS>\n{xhtml_object}")),
            clean.replace(
                "<CORE-CONTENT>",
                "<TOOL-EXTENSIONS><SPEC-OBJECT IDENTIFIER=\"ext\"/></TOOL-EXTENSIONS><CORE-CONTENT>",
            ),
            clean.replace(
                "<SPEC-RELATIONS>",
                &format!("{}<SPEC-RELATIONS>", relation("misplaced", "a", "b")),
            ),
            clean.replace("LONG-NAME=\"T\"", "LONG-NAME=\"&lt;SPEC-OBJECT IDENTIFIER\""),
            // Broken after a cut: a wrong end tag of the frame, a text cut short, the root
            // closed early, text in a container, a record without an IDENTIFIER.
            clean.replace("</SPEC-OBJECTS>", "</SPEC-OBJECTZ>"),
            clean.replace("</SPEC-RELATIONS>", "</SPEC-OBJECTS>"),
            clean[..clean.len() - 40].to_owned(),
            clean.replace(
                "</SPEC-OBJECTS><SPEC-RELATIONS>",
                "</SPEC-OBJECTS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF><SPEC-RELATIONS>",
            ),
            clean.replace("</SPEC-OBJECTS>", "stray text</SPEC-OBJECTS>"),
            clean.replace("IDENTIFIER=\"r2\"", ""),
            // A header after a cut, and a prefixed root.
            clean.replace(
                &format!("{TAIL}\n"),
                &format!(
                    "</REQ-IF-CONTENT></CORE-CONTENT>{}</REQ-IF>\n",
                    header.replace(">x<", ">y<")
                ),
            ),
            // An object among the relations: a cut there assumes the wrong container.
            clean.replace(
                "<SPEC-RELATIONS>\n",
                &format!("<SPEC-RELATIONS>\n{}", object("wrong-place")),
            ),
            clean
                .replace("<REQ-IF xmlns=", "<r:REQ-IF xmlns:r=")
                .replace("</REQ-IF>", "</r:REQ-IF>"),
        ];
        // Every real record start of a clean file is a cut that holds (5 single, 10 pairs).
        assert_eq!(parts_agree(&clean), 15);
        for text in &texts[1..] {
            parts_agree(text);
        }
    }

    #[test]
    fn the_tools_files_read_in_parts_read_as_they_do_whole() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/reqif");
        let file: Arc<str> = Arc::from("t.reqif");
        let mut held = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "reqif") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let whole = read(&text);
            for cut in candidates(&text) {
                if let Some(document) = read_cut(&file, &text, &[cut]) {
                    held += 1;
                    let parts = (Ok(document), Vec::new());
                    assert_eq!(shown(&parts), shown(&whole), "{} cut at {cut:?}", path.display());
                }
            }
        }
        assert!(held > 100, "only {held} cuts held");
    }
}
