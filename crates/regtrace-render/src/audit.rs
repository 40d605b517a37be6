//! The audit report: a table for the terminal, Markdown an auditor can read, JSON for tools and
//! CSV for spreadsheets.

use std::collections::BTreeMap;

use regtrace_app::audit::{Audited, percent};
use regtrace_core::audit::Severity;
use regtrace_core::{Graph, Lang, NodeIx};
use serde::Serialize;

use crate::escape::{csv_text, markdown as md};
use crate::terminal;

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

/// "N errors, N warnings, N info".
fn summary_line(totals: &BTreeMap<Severity, usize>) -> String {
    let n = |s| totals.get(&s).copied().unwrap_or(0);
    format!(
        "{} errors, {} warnings, {} info",
        n(Severity::Error),
        n(Severity::Warning),
        n(Severity::Info)
    )
}

/// The report as one JSON document: summary, rules, findings shown, coverage, fields, target.
pub fn json(audited: &Audited, pretty: bool) -> String {
    let Audited {
        graph,
        rules,
        report,
        totals,
        counts,
        ..
    } = audited;
    let findings: Vec<FindingJson> = audited
        .shown()
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
    crate::json::text(
        &serde_json::json!({
            "summary": summary,
            "rules": rules_json,
            "findings": findings,
            "coverage": coverage,
            "fields": fields,
            "target": report.target.as_ref().map(|t| serde_json::json!({
                "count": t.count, "target": t.target, "percent": percent(t.count, t.target),
                "stated_at": format!("{}.{}", t.stated_at.0, t.stated_at.1),
            })),
        }),
        pretty,
    )
}

/// One row per finding shown.
pub fn csv(audited: &Audited) -> String {
    let (graph, rules) = (audited.graph, &audited.rules);
    csv_text(
        &[
            "rule", "severity", "node", "title", "title_ja", "message", "fix", "related",
        ],
        audited.shown().map(|f| {
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
    )
}

fn node_line(graph: &Graph, node: NodeIx, lang: Lang) -> String {
    let n = graph.node(node);
    format!("{} — {}", n.id, n.title_in(lang))
}

/// For the terminal: the rules with their counts, the findings shown per rule, coverage,
/// fields, target and the totals.
pub fn table(audited: &Audited, lang: Lang) -> String {
    let Audited {
        graph,
        rules,
        report,
        totals,
        counts,
        ..
    } = audited;
    let mut rules_table = terminal::table(&["rule", "severity", "findings", "checks"]);
    for (rule, n) in rules.rules.iter().zip(counts.iter()) {
        rules_table.add_row(vec![
            rule.name.clone(),
            rule.severity.to_string(),
            n.to_string(),
            rule.description.clone(),
        ]);
    }
    let mut text = terminal::render(&rules_table);
    for (i, rule) in rules.rules.iter().enumerate() {
        let of_rule: Vec<_> = audited.shown().filter(|f| f.rule == i).collect();
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
                node_line(graph, f.nodes[0], lang),
                f.message
            ));
        }
    }
    if !report.coverage.is_empty() {
        text.push_str("\nCoverage\n");
        let mut coverage = terminal::table(&["rule", "kind", "covered", "of", "%"]);
        for c in &report.coverage {
            coverage.add_row(vec![
                rules.rules[c.rule].name.clone(),
                c.kind.to_string(),
                c.covered.to_string(),
                c.checked.to_string(),
                format!("{:.1}", percent(c.covered, c.checked)),
            ]);
        }
        text.push_str(&terminal::render(&coverage));
    }
    if !report.fields.is_empty() {
        text.push_str("\nFields\n");
        let mut fields = terminal::table(&["field", "title", "guidelines", "published"]);
        for f in &report.fields {
            let n = graph.node(f.field);
            fields.add_row(vec![
                n.id.clone(),
                n.title_in(lang).to_owned(),
                f.total.to_string(),
                f.counted.to_string(),
            ]);
        }
        text.push_str(&terminal::render(&fields));
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

/// A report an auditor can read: summary, rules, findings per rule, coverage, fields and target,
/// titles in both languages.
pub fn markdown(audited: &Audited) -> String {
    let Audited {
        graph,
        rules,
        report,
        totals,
        counts,
        ..
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
        let of_rule: Vec<_> = audited.shown().filter(|f| f.rule == i).collect();
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
