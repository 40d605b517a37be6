//! How kinds and statuses look, shared by every diagram format so a DOT picture and a Mermaid
//! chart of the same selection agree.

use regtrace_core::{NodeKind, Status};

/// The look of one node kind.
#[derive(Debug, Clone, Copy)]
pub struct KindStyle {
    /// Graphviz shape name.
    pub dot_shape: &'static str,
    /// Mermaid node brackets: opening and closing around the quoted label.
    pub mermaid_brackets: (&'static str, &'static str),
    /// Fill colour.
    pub fill: &'static str,
}

/// The look of each kind.
pub fn kind_style(kind: NodeKind) -> KindStyle {
    let (dot_shape, mermaid_brackets, fill) = match kind {
        NodeKind::Guideline => ("box", ("[", "]"), "#cfe2ff"),
        NodeKind::EvaluationIndex => ("box", ("[", "]"), "#e2d9f3"),
        NodeKind::Device => ("component", ("[[", "]]"), "#d1e7dd"),
        NodeKind::EvaluationItem => ("note", ("[", "]"), "#fff3cd"),
        NodeKind::TestMethod => ("parallelogram", ("[/", "/]"), "#ffe5d0"),
        NodeKind::Standard => ("folder", ("[(", ")]"), "#f8d7da"),
        NodeKind::StandardFamily => ("box3d", ("[(", ")]"), "#f5c2c7"),
        NodeKind::Clause => ("rect", ("[", "]"), "#fbe9eb"),
        NodeKind::Regulation => ("octagon", ("{{", "}}"), "#f1aeb5"),
        NodeKind::Policy => ("hexagon", ("{{", "}}"), "#fde2e4"),
        NodeKind::Programme => ("ellipse", ("([", "])"), "#e9ecef"),
        NodeKind::Field => ("tab", ("([", "])"), "#d3f9d8"),
        NodeKind::Organization => ("house", ("(", ")"), "#e7f5ff"),
        NodeKind::WorkingGroup => ("ellipse", ("(", ")"), "#f3f0ff"),
        NodeKind::Requirement => ("note", ("[", "]"), "#fff9db"),
        NodeKind::Section => ("tab", ("[", "]"), "#f1f3f5"),
    };
    KindStyle {
        dot_shape,
        mermaid_brackets,
        fill,
    }
}

/// How a status changes a node's look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusLook {
    /// Final, in force or in use: solid.
    Normal,
    /// Not final yet (planned, proposed, in progress, draft): dashed outline.
    Unfinished,
    /// No longer valid (superseded, withdrawn, closed): greyed out.
    Retired,
}

impl StatusLook {
    /// The look of a status (no status: normal).
    pub fn of(status: Option<Status>) -> StatusLook {
        match status {
            Some(Status::Planned | Status::Proposed | Status::InProgress | Status::Draft) => {
                StatusLook::Unfinished
            }
            Some(Status::Superseded | Status::Withdrawn | Status::Closed) => StatusLook::Retired,
            _ => StatusLook::Normal,
        }
    }

    /// What the legend says of it, in `lang`.
    pub fn legend(self, lang: regtrace_core::Lang) -> &'static str {
        use regtrace_core::Lang::{En, Ja};
        match (self, lang) {
            (StatusLook::Normal, En) => "published / in force",
            (StatusLook::Normal, Ja) => "発行済み・施行中",
            (StatusLook::Unfinished, En) => "planned, in progress or draft",
            (StatusLook::Unfinished, Ja) => "計画中・作成中・案",
            (StatusLook::Retired, En) => "superseded, withdrawn or closed",
            (StatusLook::Retired, Ja) => "改訂済み・廃止・終了",
        }
    }
}

/// Grey used for retired nodes.
pub const RETIRED_FILL: &str = "#f1f3f5";
/// Text and outline colour of retired nodes.
pub const RETIRED_INK: &str = "#868e96";
/// A font family that covers Japanese; Graphviz falls back to another if it is missing.
pub const CJK_FONT: &str = "Noto Sans CJK JP";
