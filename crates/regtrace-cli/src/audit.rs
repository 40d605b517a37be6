//! `regtrace audit`: run the rules, report for people (table, Markdown), tools (JSON) and
//! spreadsheets (CSV), and exit 1 when something at or above `--fail-on` is found.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regtrace_core::audit::{Finding, Report, Rules, Severity};
use regtrace_core::{Graph, NodeIx};
use serde::Serialize;

use crate::commands::DataSource;
use crate::error::CliError;
use crate::output;

/// Report formats of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// Grouped by rule, with counts, for the terminal.
    Table,
    /// One JSON document, for tools.
    Json,
    /// A report an auditor can read: summary table, then findings per rule, titles in both languages.
    Markdown,
    /// One row per finding, for spreadsheets.
    Csv,
}

/// The lowest severity that fails the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Exit 1 if any error is found.
    Error,
    /// Exit 1 if any warning or error is found.
    Warning,
    /// Always exit 0 (unless the input is broken).
    Never,
}

/// Severities, as a command-line value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeverityArg {
    /// Everything.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
}

/// Options of `audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// Rules file to use instead of the built-in data/audit.toml.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Run only this rule (repeatable).
    #[arg(long, value_name = "NAME")]
    pub rule: Vec<String>,
    /// Show findings of at least this severity.
    #[arg(long, value_enum, default_value_t = SeverityArg::Info)]
    pub severity: SeverityArg,
    /// Report format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// Exit with status 1 when a finding of this severity or worse exists (whatever --severity shows).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

#[derive(Serialize)]
struct FindingJson<'g> {
    rule: &'g str,
    severity: &'static str,
    nodes: Vec<&'g str>,
    title: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
    message: &'g str,
    fix: &'g str,
}

#[derive(Serialize)]
struct RuleJson<'g> {
    name: &'g str,
    severity: &'static str,
    description: &'g str,
    findings: usize,
}

#[derive(Serialize)]
struct CoverageJson<'g> {
    rule: &'g str,
    kind: &'static str,
    covered: usize,
    checked: usize,
    percent: f64,
}

#[derive(Serialize)]
struct FieldJson<'g> {
    field: &'g str,
    title: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
    guidelines: usize,
    counted: usize,
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// `regtrace audit`.
pub fn audit(source: &DataSource, args: &AuditArgs) -> Result<(), CliError> {
    let graph = source.graph()?;
    let (file, text) = match &args.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| CliError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            (path.display().to_string(), text)
        }
        None => (
            regtrace_source::embedded::AUDIT_RULES.0.to_owned(),
            regtrace_source::embedded::AUDIT_RULES.1.to_owned(),
        ),
    };
    let mut rules = Rules::from_toml(&file, &text, &graph).map_err(CliError::Invalid)?;
    for name in &args.rule {
        if !rules.rules.iter().any(|r| &r.name == name) {
            let suggestion =
                regtrace_core::suggest::did_you_mean(name, rules.rules.iter().map(|r| r.name.as_str()));
            let names: Vec<&str> = rules.rules.iter().map(|r| r.name.as_str()).collect();
            return Err(CliError::request(
                format!("no rule is called {name:?}"),
                Some(match suggestion {
                    Some(s) => format!("did you mean {s:?}?"),
                    None => format!("the rules are: {}", names.join(", ")),
                }),
            ));
        }
    }
    if !args.rule.is_empty() {
        rules.rules.retain(|r| args.rule.contains(&r.name));
    }
    let report = rules.run_with(&graph, &crate::review::ledger(source, &graph)?);

    let shown_min: Severity = args.severity.into();
    let mut totals: BTreeMap<Severity, usize> = BTreeMap::new();
    let mut counts = vec![0; rules.rules.len()];
    for f in &report.findings {
        *totals.entry(f.severity).or_default() += 1;
        counts[f.rule] += 1;
    }
    let audited = Audited {
        graph: &graph,
        rules: &rules,
        report: &report,
        shown: report
            .findings
            .iter()
            .filter(|f| f.severity >= shown_min)
            .collect(),
        totals,
        counts,
    };
    let (shown, totals) = (&audited.shown, &audited.totals);
    let text = match args.format {
        AuditFormat::Json => json(&audited),
        AuditFormat::Csv => output::csv_text(
            &[
                "rule", "severity", "node", "title", "title_ja", "message", "fix", "related",
            ],
            shown.iter().map(|f| {
                let rule = &rules.rules[f.rule];
                let node = graph.node(f.nodes[0]);
                let related: Vec<&str> = f.nodes[1..].iter().map(|n| graph.node(*n).id.as_str()).collect();
                vec![
                    rule.name.clone(),
                    f.severity.to_string(),
                    node.id.clone(),
                    node.title.clone(),
                    node.title_ja.clone().unwrap_or_default(),
                    f.message.clone(),
                    rule.fix.clone(),
                    related.join(" "),
                ]
            }),
        ),
        AuditFormat::Markdown => markdown(&audited),
        AuditFormat::Table => table(&audited),
    };
    output::print(&text);

    let failing = match args.fail_on {
        FailOn::Never => 0,
        FailOn::Error => totals.get(&Severity::Error).copied().unwrap_or(0),
        FailOn::Warning => totals.range(Severity::Warning..).map(|(_, n)| n).sum(),
    };
    if failing > 0 {
        let level = if args.fail_on == FailOn::Error {
            "error"
        } else {
            "warning"
        };
        return Err(CliError::Failed(format!(
            "audit failed: {failing} finding(s) at or above {level} (--fail-on {level})"
        )));
    }
    Ok(())
}

/// Everything a report shows, computed once.
struct Audited<'a> {
    graph: &'a Graph,
    rules: &'a Rules,
    report: &'a Report,
    /// Findings at or above --severity.
    shown: Vec<&'a Finding>,
    /// All findings per severity.
    totals: BTreeMap<Severity, usize>,
    /// All findings per rule, in rule order.
    counts: Vec<usize>,
}

fn summary_line(totals: &BTreeMap<Severity, usize>) -> String {
    let n = |s| totals.get(&s).copied().unwrap_or(0);
    format!(
        "{} errors, {} warnings, {} info",
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Info)
    )
}

fn json(audited: &Audited) -> String {
    let Audited {
        graph,
        rules,
        report,
        shown,
        totals,
        counts,
    } = audited;
    let findings: Vec<FindingJson> = shown
        .iter()
        .map(|f| {
            let node = graph.node(f.nodes[0]);
            FindingJson {
                rule: &rules.rules[f.rule].name,
                severity: f.severity.as_str(),
                nodes: f.nodes.iter().map(|n| graph.node(*n).id.as_str()).collect(),
                title: &node.title,
                title_ja: node.title_ja.as_deref(),
                message: &f.message,
                fix: &rules.rules[f.rule].fix,
            }
        })
        .collect();
    let rules_json: Vec<RuleJson> = rules
        .rules
        .iter()
        .zip(counts.iter())
        .map(|(r, n)| RuleJson {
            name: &r.name,
            severity: r.severity.as_str(),
            description: &r.description,
            findings: *n,
        })
        .collect();
    let coverage: Vec<CoverageJson> = report
        .coverage
        .iter()
        .map(|c| CoverageJson {
            rule: &rules.rules[c.rule].name,
            kind: c.kind.as_str(),
            covered: c.covered,
            checked: c.checked,
            percent: percent(c.covered, c.checked),
        })
        .collect();
    let fields: Vec<FieldJson> = report
        .fields
        .iter()
        .map(|f| {
            let n = graph.node(f.field);
            FieldJson {
                field: &n.id,
                title: &n.title,
                title_ja: n.title_ja.as_deref(),
                guidelines: f.total,
                counted: f.counted,
            }
        })
        .collect();
    let summary: BTreeMap<&str, usize> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .map(|s| (s.as_str(), totals.get(&s).copied().unwrap_or(0)))
        .collect();
    output::json_text(&serde_json::json!({
        "summary": summary,
        "rules": rules_json,
        "findings": findings,
        "coverage": coverage,
        "fields": fields,
        "target": report.target.as_ref().map(|t| serde_json::json!({
            "count": t.count, "target": t.target, "percent": percent(t.count, t.target),
            "stated_at": format!("{}.{}", t.stated_at.0, t.stated_at.1),
        })),
    }))
}

fn node_line(graph: &Graph, node: NodeIx) -> String {
    let n = graph.node(node);
    match &n.title_ja {
        Some(ja) => format!("{} — {} / {}", n.id, n.title, ja),
        None => format!("{} — {}", n.id, n.title),
    }
}

fn table(audited: &Audited) -> String {
    let Audited {
        graph,
        rules,
        report,
        shown,
        totals,
        counts,
    } = audited;
    let mut rules_table = output::table(&["rule", "severity", "findings", "checks"]);
    for (rule, n) in rules.rules.iter().zip(counts.iter()) {
        rules_table.add_row(vec![
            rule.name.clone(),
            rule.severity.to_string(),
            n.to_string(),
            rule.description.clone(),
        ]);
    }
    let mut text = output::render_table(&rules_table);
    for (i, rule) in rules.rules.iter().enumerate() {
        let of_rule: Vec<_> = shown.iter().filter(|f| f.rule == i).collect();
        if of_rule.is_empty() {
            continue;
        }
        text.push_str(&format!(
            "\n{} ({}): {}\n  fix: {}\n",
            rule.name,
            of_rule.len(),
            rule.description,
            rule.fix
        ));
        for f in of_rule {
            text.push_str(&format!(
                "  [{}] {}\n      {}\n",
                f.severity,
                node_line(graph, f.nodes[0]),
                f.message
            ));
        }
    }
    if !report.coverage.is_empty() {
        text.push_str("\nCoverage\n");
        let mut coverage = output::table(&["rule", "kind", "covered", "of", "%"]);
        for c in &report.coverage {
            coverage.add_row(vec![
                rules.rules[c.rule].name.clone(),
                c.kind.to_string(),
                c.covered.to_string(),
                c.checked.to_string(),
                format!("{:.1}", percent(c.covered, c.checked)),
            ]);
        }
        text.push_str(&output::render_table(&coverage));
    }
    if !report.fields.is_empty() {
        text.push_str("\nFields\n");
        let mut fields = output::table(&["field", "title", "guidelines", "published"]);
        for f in &report.fields {
            let n = graph.node(f.field);
            fields.add_row(vec![
                n.id.clone(),
                n.title_ja.clone().unwrap_or_else(|| n.title.clone()),
                f.total.to_string(),
                f.counted.to_string(),
            ]);
        }
        text.push_str(&output::render_table(&fields));
    }
    if let Some(t) = &report.target {
        text.push_str(&format!(
            "\nTarget: {} of {} ({:.1}%), target stated in {}.{}\n",
            t.count,
            t.target,
            percent(t.count, t.target),
            t.stated_at.0,
            t.stated_at.1
        ));
    }
    text.push_str(&format!("\n{}\n", summary_line(totals)));
    text
}

fn md(text: &str) -> String {
    // Keep table cells and list items intact: escape pipes and markup, fold line breaks.
    regtrace_core::text::visible(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

fn markdown(audited: &Audited) -> String {
    let Audited {
        graph,
        rules,
        report,
        shown,
        totals,
        counts,
    } = audited;
    let mut text = format!(
        "# regtrace audit\n\n{}\n\n| rule | severity | findings | checks |\n| --- | --- | ---: | --- |\n",
        summary_line(totals)
    );
    for (rule, n) in rules.rules.iter().zip(counts.iter()) {
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md(&rule.name),
            rule.severity,
            n,
            md(&rule.description)
        ));
    }
    for (i, rule) in rules.rules.iter().enumerate() {
        let of_rule: Vec<_> = shown.iter().filter(|f| f.rule == i).collect();
        if of_rule.is_empty() {
            continue;
        }
        text.push_str(&format!(
            "\n## {} ({})\n\n{}\n\n**Fix:** {}\n\n",
            md(&rule.name),
            of_rule.len(),
            md(&rule.description),
            md(&rule.fix)
        ));
        for f in of_rule {
            let n = graph.node(f.nodes[0]);
            text.push_str(&format!(
                "- **{}** `{}` {} / {}: {}\n",
                f.severity,
                n.id,
                md(&n.title),
                md(n.title_ja.as_deref().unwrap_or("—")),
                md(&f.message)
            ));
        }
    }
    if !report.coverage.is_empty() {
        text.push_str(
            "\n## Coverage\n\n| rule | kind | covered | of | % |\n| --- | --- | ---: | ---: | ---: |\n",
        );
        for c in &report.coverage {
            text.push_str(&format!(
                "| {} | {} | {} | {} | {:.1} |\n",
                md(&rules.rules[c.rule].name),
                c.kind,
                c.covered,
                c.checked,
                percent(c.covered, c.checked)
            ));
        }
    }
    if !report.fields.is_empty() {
        text.push_str("\n## Fields\n\n| field | title | 分野 | guidelines | published |\n| --- | --- | --- | ---: | ---: |\n");
        for f in &report.fields {
            let n = graph.node(f.field);
            text.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                n.id,
                md(&n.title),
                md(n.title_ja.as_deref().unwrap_or("")),
                f.total,
                f.counted
            ));
        }
    }
    if let Some(t) = &report.target {
        text.push_str(&format!(
            "\n**Target:** {} of {} ({:.1}%), as stated in `{}.{}`.\n",
            t.count,
            t.target,
            percent(t.count, t.target),
            t.stated_at.0,
            t.stated_at.1
        ));
    }
    text
}
