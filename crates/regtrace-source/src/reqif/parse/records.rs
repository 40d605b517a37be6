//! The plain records a ReqIF file is read into: its header, datatypes, specification types,
//! objects, relations and specifications, each with its line.

use super::*;

/// The datatype family of a definition or value, told by its element name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataKind {
    Boolean,
    Integer,
    Real,
    String,
    Date,
    Enumeration,
    Xhtml,
}

impl DataKind {
    /// The family of an element named `…-BOOLEAN`, `…-XHTML`, ….
    pub(super) fn of(name: &str) -> Option<DataKind> {
        Some(match name.rsplit('-').next()? {
            "BOOLEAN" => DataKind::Boolean,
            "INTEGER" => DataKind::Integer,
            "REAL" => DataKind::Real,
            "STRING" => DataKind::String,
            "DATE" => DataKind::Date,
            "ENUMERATION" => DataKind::Enumeration,
            "XHTML" => DataKind::Xhtml,
            _ => return None,
        })
    }

    /// The suffix of the element names of this family (`STRING` in `ATTRIBUTE-VALUE-STRING`).
    pub fn suffix(self) -> &'static str {
        match self {
            DataKind::Boolean => "BOOLEAN",
            DataKind::Integer => "INTEGER",
            DataKind::Real => "REAL",
            DataKind::String => "STRING",
            DataKind::Date => "DATE",
            DataKind::Enumeration => "ENUMERATION",
            DataKind::Xhtml => "XHTML",
        }
    }
}

/// An XHTML value: normalised markup and its plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Xhtml {
    /// The markup, every element under the `xhtml:` prefix, namespace declarations dropped.
    pub markup: String,
    /// The text a reader sees, blocks on their own lines, runs of spaces collapsed.
    pub plain: String,
    /// The `data` of every `object` element (attachments and embedded pictures).
    pub objects: Vec<String>,
}

/// The header of an exchange document.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub source_tool: Option<String>,
    pub reqif_tool: Option<String>,
}

/// One value of an enumeration datatype.
#[derive(Debug, Clone)]
pub struct EnumValue {
    pub id: String,
    pub long_name: Option<String>,
    /// `EMBEDDED-VALUE KEY`.
    pub key: Option<String>,
}

/// A datatype definition: what regtrace needs of it, an enumeration's values.
#[derive(Debug, Clone)]
pub struct Datatype {
    pub values: Vec<EnumValue>,
}

/// An attribute definition of a spec type.
#[derive(Debug, Clone)]
pub struct AttributeDef {
    pub id: String,
    pub long_name: Option<String>,
    pub kind: DataKind,
    pub default: Option<Value>,
}

/// What a spec type describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeRole {
    Object,
    Relation,
    Specification,
    RelationGroup,
}

/// A SPEC-OBJECT-TYPE, SPEC-RELATION-TYPE, SPECIFICATION-TYPE or RELATION-GROUP-TYPE.
#[derive(Debug, Clone)]
pub struct SpecType {
    pub id: String,
    pub long_name: Option<String>,
    pub role: TypeRole,
    pub attributes: Vec<AttributeDef>,
    /// The file that defines it (an archive may define types in one file, use them in another).
    pub file: Arc<str>,
    pub line: u32,
}

impl SpecType {
    /// The name people know the type by: its LONG-NAME, else its IDENTIFIER.
    pub fn name(&self) -> &str {
        self.long_name.as_deref().unwrap_or(&self.id)
    }
}

/// One attribute value as written.
#[derive(Debug, Clone)]
pub struct Value {
    /// The IDENTIFIER of its attribute definition (shared: thousands of values name one).
    pub definition: Arc<str>,
    pub kind: DataKind,
    /// `THE-VALUE` of simple types; the plain text of XHTML.
    pub text: String,
    pub xhtml: Option<Xhtml>,
    /// The IDENTIFIERs of the chosen enumeration values.
    pub enum_refs: Vec<String>,
    pub line: u32,
}

/// A SPEC-OBJECT.
#[derive(Debug, Clone)]
pub struct SpecObject {
    pub id: String,
    pub long_name: Option<String>,
    pub type_ref: Option<Arc<str>>,
    pub values: Vec<Value>,
    pub line: u32,
}

/// A SPEC-RELATION.
#[derive(Debug, Clone)]
pub struct SpecRelation {
    pub id: String,
    pub type_ref: Option<Arc<str>>,
    pub values: Vec<Value>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub line: u32,
}

/// One SPEC-HIERARCHY entry: an object's place in a specification.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    pub object: Option<String>,
    pub children: Vec<Hierarchy>,
    pub line: u32,
}

/// A SPECIFICATION: a document (module) and its structure.
#[derive(Debug, Clone)]
pub struct Specification {
    pub id: String,
    pub long_name: Option<String>,
    pub type_ref: Option<Arc<str>>,
    pub values: Vec<Value>,
    pub children: Vec<Hierarchy>,
    pub line: u32,
}

/// One `.reqif` file, read.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The file as diagnostics name it (`a.reqifz!inner.reqif` inside an archive).
    pub file: Arc<str>,
    pub header: Header,
    pub datatypes: Vec<Datatype>,
    pub types: Vec<SpecType>,
    pub objects: Vec<SpecObject>,
    pub relations: Vec<SpecRelation>,
    pub specifications: Vec<Specification>,
}
