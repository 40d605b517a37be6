//! `audit`: the rules run over the data set (with the database's review ledger), the findings
//! at or above a severity, and whether the audit fails.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regtrace_core::Graph;
use regtrace_core::audit::{Finding, Report, Rules, Severity};

use crate::dataset::DataSet;
use crate::error::{AppError, Result};

/// An audit to run.
#[derive(Debug, Clone)]
pub struct AuditRequest {
    /// A rules file to run alone, instead of the built-in generic rules (data/audit.toml) and
    /// the data set's own.
    pub rules: Option<PathBuf>,
    /// Run only these rules (all when empty).
    pub only: Vec<String>,
    /// Show findings of at least this severity.
    pub shown_min: Severity,
}

/// An audit's answer: everything a report shows, computed once.
pub struct Audited<'g> {
    /// The graph audited.
    pub graph: &'g Graph,
    /// The rules run.
    pub rules: Rules,
    /// Their findings, coverage, field counts and target.
    pub report: Report,
    /// Indices into `report.findings` of the findings at or above the severity asked for.
    pub shown: Vec<usize>,
    /// All findings per severity.
    pub totals: BTreeMap<Severity, usize>,
    /// All findings per rule, in rule order.
    pub counts: Vec<usize>,
}

impl Audited<'_> {
    /// The findings to show.
    pub fn shown(&self) -> impl Iterator<Item = &Finding> + '_ {
        self.shown.iter().map(|i| &self.report.findings[*i])
    }

    /// How many findings (of all, not only those shown) are at `severity` or worse.
    pub fn at_least(&self, severity: Severity) -> usize {
        self.totals.range(severity..).map(|(_, n)| n).sum()
    }
}

/// `part` of `whole` in percent, one decimal; 100 when there is nothing to count.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Runs the audit.
pub fn audit<'g>(data: &'g DataSet, request: &AuditRequest) -> Result<Audited<'g>> {
    let graph = data.graph()?;
    let mut rules = match &request.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| AppError::Io {
                path: path.clone(),
                source,
            })?;
            Rules::from_toml(&path.display().to_string(), &text, graph)?
        }
        None => {
            let (file, text) = regtrace_source::embedded::AUDIT_RULES;
            let mut rules = Rules::from_toml(file, text, graph)?;
            for (file, text) in data.audit_rules() {
                rules.extend(Rules::from_toml(file, text, graph)?);
            }
            rules
        }
    };
    for name in &request.only {
        if !rules.rules.iter().any(|r| &r.name == name) {
            let names: Vec<&str> = rules.rules.iter().map(|r| r.name.as_str()).collect();
            let suggestion = regtrace_core::suggest::did_you_mean(name, names.iter().copied());
            return Err(AppError::request(
                format!("no rule is called {name:?}"),
                Some(match suggestion {
                    Some(s) => format!("did you mean {s:?}?"),
                    None => format!("the rules are: {}", names.join(", ")),
                }),
            ));
        }
    }
    if !request.only.is_empty() {
        rules.rules.retain(|r| request.only.contains(&r.name));
    }
    let ledger = crate::history::ledger(data, graph)?;
    let report = rules.run_with(graph, &ledger);
    let mut totals: BTreeMap<Severity, usize> = BTreeMap::new();
    let mut counts = vec![0; rules.rules.len()];
    for f in &report.findings {
        *totals.entry(f.severity).or_default() += 1;
        counts[f.rule] += 1;
    }
    let shown = (0..report.findings.len())
        .filter(|i| report.findings[*i].severity >= request.shown_min)
        .collect();
    Ok(Audited {
        graph,
        rules,
        report,
        shown,
        totals,
        counts,
    })
}
