//! `report`: what a QA lead attaches to a design-history file: the audit (with its provenance,
//! findings, coverage and the reviews as evidence) and, for each recorded change (or the nodes
//! asked about), what it impacts, with the subgraph to draw.

use regtrace_core::{Direction, Graph, ReachOptions, Subgraph};

use crate::audit::{AuditRequest, Audited};
use crate::dataset::DataSet;
use crate::error::{AppError, Result};
use crate::reach::{ReachRequest, Reached};
use crate::select::Selection;
use regtrace_store::ChangeEvent;

/// What the report covers.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The audit to run.
    pub audit: AuditRequest,
    /// Also the impact of a change to these nodes (one section for them together).
    pub impact_of: Vec<String>,
    /// Only this recorded change event (default: every one, oldest first).
    pub event: Option<i64>,
}

/// Why a section is in the report.
#[derive(Debug, Clone)]
pub enum Cause {
    /// A recorded change event: its impact as of the day it took effect.
    Event(ChangeEvent),
    /// Nodes named with `--impact-of`.
    Nodes(Vec<String>),
}

/// One impact section: its cause, the answer, and the subgraph to draw.
pub struct Section<'d> {
    /// Why it is there.
    pub cause: Cause,
    /// What it impacts, with reasons.
    pub reached: Reached<'d>,
    /// The graph the subgraph indexes.
    pub graph: &'d Graph,
    /// The changed nodes, everything impacted and the edges of the reason paths.
    pub subgraph: Subgraph,
}

/// The report's content.
pub struct Report<'d> {
    /// The audit.
    pub audited: Audited<'d>,
    /// The impact sections, events first.
    pub sections: Vec<Section<'d>>,
}

/// The most hits a picture of an impact draws (a report section, the explorer's diagram): a
/// bigger picture is unreadable (the report's table and the explorer's page list them all).
pub const MAX_DRAWN: usize = 300;

/// Builds the report of `data`.
pub fn report<'d>(data: &'d DataSet, request: &ReportRequest) -> Result<Report<'d>> {
    let audited = crate::audit::audit(data, &request.audit)?;
    let mut causes = Vec::new();
    if data.store().is_ok() {
        let events = crate::history::events(data)?;
        if let Some(wanted) = request.event
            && !events.iter().any(|e| e.id == wanted)
        {
            return Err(AppError::request(
                format!("no change event #{wanted}"),
                Some("`regtrace change list` lists the recorded events".into()),
            ));
        }
        // A scoped report: the changes its evidence shows (those of nodes within).
        let evidenced: Option<std::collections::HashSet<i64>> =
            (audited.evidence.as_ref()).map(|ev| ev.events.iter().map(|e| e.id).collect());
        let shown = |e: &ChangeEvent| evidenced.as_ref().is_none_or(|ids| ids.contains(&e.id));
        causes.extend(
            events
                .into_iter()
                .filter(|e| request.event.is_none_or(|wanted| e.id == wanted) && shown(e))
                .map(Cause::Event),
        );
    } else if request.event.is_some() {
        return Err(AppError::request(
            "--event needs a database with recorded changes",
            Some("name one with --db FILE".into()),
        ));
    }
    if !request.impact_of.is_empty() {
        causes.push(Cause::Nodes(request.impact_of.clone()));
    }
    let mut sections = Vec::with_capacity(causes.len());
    for cause in causes {
        let (ids, as_of) = match &cause {
            Cause::Event(e) => (
                vec![e.node.clone()],
                crate::parse::optional_date("event date", Some(&e.date))?,
            ),
            Cause::Nodes(ids) => (ids.clone(), None),
        };
        let options = ReachOptions {
            as_of,
            ..Default::default()
        };
        let mut reached = crate::reach::reach(
            data,
            &ReachRequest {
                ids: ids.clone(),
                direction: Direction::Impact,
                kinds: Vec::new(),
                options: options.clone(),
                limit: None,
                offset: 0,
            },
        )?;
        let selection = Selection::Reach {
            start: ids,
            direction: Direction::Impact,
            options,
            limit: Some(MAX_DRAWN),
        };
        let (graph, mut subgraph) = crate::select::select(data, &selection, &[])?;
        if let Some(scope) = &audited.scope {
            let within = |id: &str| scope.contains(audited.graph, id);
            reached.keep_only(within);
            subgraph.retain_nodes(graph, |n| within(&graph.node(n).id));
        }
        sections.push(Section {
            cause,
            reached,
            graph,
            subgraph,
        });
    }
    Ok(Report { audited, sections })
}
