//! The audit report: a table for the terminal, Markdown an auditor can read, JSON for tools and
//! CSV for spreadsheets.

use std::collections::BTreeMap;
use std::io::Write;

use regtrace_app::audit::{Audited, Provenance, percent};
use regtrace_app::history::review_chain;
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

/// The provenance as (label, value) rows, in the order every format shows them.
fn provenance_rows(p: &Provenance) -> Vec<(&'static str, String)> {
    vec![
        ("generated", p.generated_at.clone()),
        ("regtrace", p.build.to_string()),
        ("data", p.data.clone()),
        ("data sha256", p.data_sha256.clone()),
        ("rules", p.rules.join(", ")),
        ("rules sha256", p.rules_sha256.clone()),
    ]
}

/// One review of the evidence, put into words.
struct EvidenceRow {
    review: i64,
    event: i64,
    /// `#3 2020-08-20 iec-60601-1-ed3.1: edition 3.2 published`.
    cause: String,
    node: String,
    title: String,
    title_ja: String,
    /// `review` or `probably unaffected`.
    verdict: &'static str,
    /// `open`, or the outcome.
    state: String,
    by: String,
    decided_on: String,
    note: String,
    reason: String,
}

fn evidence_rows(audited: &Audited) -> Vec<EvidenceRow> {
    let Some(evidence) = &audited.evidence else {
        return Vec::new();
    };
    let graph = audited.graph;
    let events: BTreeMap<i64, &regtrace_app::ChangeEvent> =
        evidence.events.iter().map(|e| (e.id, e)).collect();
    evidence
        .reviews
        .iter()
        .map(|r| {
            let cause = events.get(&r.event).map_or_else(
                || format!("#{}", r.event),
                |e| format!("#{} {} {}: {}", e.id, e.date, e.node, e.what),
            );
            let node = graph.find(&r.node).map(|n| graph.node(n));
            let d = r.decision.as_ref();
            EvidenceRow {
                review: r.id,
                event: r.event,
                cause,
                node: r.node.clone(),
                title: node.map_or_else(|| "— (no longer in the data)".to_owned(), |n| n.title.clone()),
                title_ja: node.and_then(|n| n.title_ja.clone()).unwrap_or_default(),
                verdict: if r.probably_unaffected.is_some() {
                    "probably unaffected"
                } else {
                    "review"
                },
                state: d.map_or_else(|| "open".to_owned(), |d| d.outcome.as_str().to_owned()),
                by: d.map(|d| d.by.clone()).unwrap_or_default(),
                decided_on: d.map(|d| d.day().to_owned()).unwrap_or_default(),
                note: d.and_then(|d| d.note.clone()).unwrap_or_default(),
                reason: review_chain(graph, r).to_string(),
            }
        })
        .collect()
}

/// The findings shown, grouped by rule in rule order; rules without a finding shown are left out.
fn by_rule<'a>(
    audited: &'a Audited,
) -> impl Iterator<
    Item = (
        &'a regtrace_core::audit::Rule,
        Vec<&'a regtrace_core::audit::Finding>,
    ),
> + 'a {
    audited
        .rules
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule, audited.shown().filter(|f| f.rule == i).collect::<Vec<_>>()))
        .filter(|(_, of_rule)| !of_rule.is_empty())
}

/// What the reviews section of a report says it is.
const EVIDENCE: &str =
    "Closed reviews are the evidence of what was checked after each change; open ones are still to check.";

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
            "provenance": {
                "generated_at": audited.provenance.generated_at,
                "regtrace": {
                    "version": audited.provenance.build.version,
                    "commit": audited.provenance.build.commit,
                    "commit_date": audited.provenance.build.commit_date,
                    "dirty": audited.provenance.build.dirty,
                },
                "data": audited.provenance.data,
                "data_sha256": audited.provenance.data_sha256,
                "rules": audited.provenance.rules,
                "rules_sha256": audited.provenance.rules_sha256,
            },
            "summary": summary,
            "rules": rules_json,
            "findings": findings,
            "coverage": coverage,
            "fields": fields,
            "target": report.target.as_ref().map(|t| serde_json::json!({
                "count": t.count, "target": t.target, "percent": percent(t.count, t.target),
                "stated_at": format!("{}.{}", t.stated_at.0, t.stated_at.1),
            })),
            "reviews": audited.evidence.as_ref().map(|_| evidence_rows(audited).iter().map(|r| serde_json::json!({
                "review": r.review, "event": r.event, "cause": r.cause, "node": r.node,
                "title": r.title, "title_ja": r.title_ja, "verdict": r.verdict, "state": r.state,
                "decided_by": r.by, "decided_on": r.decided_on, "note": r.note, "reason": r.reason,
            })).collect::<Vec<_>>()),
        }),
        pretty,
    )
}

/// A finding as the columns of a table (CSV, the workbook): rule, severity, node, title,
/// title_ja, message, fix.
fn finding_row(audited: &Audited, f: &regtrace_core::audit::Finding) -> Vec<String> {
    let rule = &audited.rules.rules[f.rule];
    let node = audited.graph.node(f.nodes[0]);
    vec![
        rule.name.clone(),
        f.severity.to_string(),
        node.id.clone(),
        node.title.clone(),
        node.title_ja.clone().unwrap_or_default(),
        f.message.clone(),
        rule.fix.clone(),
    ]
}

/// One row per finding shown.
pub fn csv(audited: &Audited) -> String {
    let graph = audited.graph;
    csv_text(
        &[
            "rule", "severity", "node", "title", "title_ja", "message", "fix", "related",
        ],
        audited.shown().map(|f| {
            let related: Vec<&str> = f.nodes[1..].iter().map(|n| graph.node(*n).id.as_str()).collect();
            let mut row = finding_row(audited, f);
            row.push(related.join(" "));
            row
        }),
    )
}

/// The report as an Excel workbook: sheets `provenance`, `rules`, `findings` (the findings shown)
/// and, with a database, `reviews` (every review as evidence). Header rows bold and frozen,
/// columns sized to the text; every cell written as text, never as a formula.
pub fn xlsx(audited: &Audited, out: impl Write + Send) -> std::io::Result<()> {
    use crate::workbook::text_sheet as sheet;
    use rust_xlsxwriter::{Workbook, XlsxError};
    let rules = &audited.rules;
    let mut workbook = Workbook::new();
    let provenance: Vec<Vec<String>> = provenance_rows(&audited.provenance)
        .into_iter()
        .map(|(label, value)| vec![label.to_owned(), value])
        .collect();
    let rule_rows: Vec<Vec<String>> = rules
        .rules
        .iter()
        .zip(audited.counts.iter())
        .map(|(r, n)| {
            vec![
                r.name.clone(),
                r.severity.to_string(),
                n.to_string(),
                r.description.clone(),
            ]
        })
        .collect();
    let findings: Vec<Vec<String>> = audited.shown().map(|f| finding_row(audited, f)).collect();
    let result = (|| -> Result<(), XlsxError> {
        sheet(&mut workbook, "provenance", &["", ""], &provenance)?;
        sheet(
            &mut workbook,
            "rules",
            &["rule", "severity", "findings", "checks"],
            &rule_rows,
        )?;
        sheet(
            &mut workbook,
            "findings",
            &["rule", "severity", "node", "title", "title_ja", "message", "fix"],
            &findings,
        )?;
        if audited.evidence.is_some() {
            let reviews: Vec<Vec<String>> = evidence_rows(audited)
                .into_iter()
                .map(|r| {
                    vec![
                        format!("#{}", r.review),
                        r.cause,
                        r.node,
                        r.title,
                        r.title_ja,
                        r.verdict.to_owned(),
                        r.state,
                        r.by,
                        r.decided_on,
                        r.note,
                        r.reason,
                    ]
                })
                .collect();
            sheet(
                &mut workbook,
                "reviews",
                &[
                    "review", "cause", "node", "title", "title_ja", "verdict", "state", "by", "decided",
                    "note", "reason",
                ],
                &reviews,
            )?;
        }
        workbook.save_to_writer(out)
    })();
    result.map_err(|error| match error {
        XlsxError::IoError(e) => e,
        other => std::io::Error::other(format!("could not write the workbook: {other}")),
    })
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
    let mut text = String::new();
    for (label, value) in provenance_rows(&audited.provenance) {
        text.push_str(&format!("{label}: {value}\n"));
    }
    text.push('\n');
    text.push_str(&terminal::render(&rules_table));
    for (rule, of_rule) in by_rule(audited) {
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
    let evidence = evidence_rows(audited);
    if !evidence.is_empty() {
        text.push_str("\nReviews (the evidence: closed ones were checked, open ones are still to check)\n");
        let mut table = terminal::table(&[
            "review", "cause", "node", "title", "state", "by", "decided", "note",
        ]);
        for r in &evidence {
            table.add_row(vec![
                format!("#{}", r.review),
                r.cause.clone(),
                r.node.clone(),
                match lang {
                    Lang::Ja if !r.title_ja.is_empty() => r.title_ja.clone(),
                    _ => r.title.clone(),
                },
                r.state.clone(),
                r.by.clone(),
                r.decided_on.clone(),
                r.note.clone(),
            ]);
        }
        text.push_str(&terminal::render(&table));
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
    let mut text = String::from("# regtrace audit\n\n| | |\n| --- | --- |\n");
    for (label, value) in provenance_rows(&audited.provenance) {
        text.push_str(&format!("| {label} | {} |\n", md(&value)));
    }
    text.push_str(&format!(
        "\n{}\n\n| rule | severity | findings | checks |\n| --- | --- | ---: | --- |\n",
        summary_line(totals)
    ));
    for (rule, n) in rules.rules.iter().zip(counts.iter()) {
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md(&rule.name),
            rule.severity,
            n,
            md(&rule.description)
        ));
    }
    for (rule, of_rule) in by_rule(audited) {
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
    let evidence = evidence_rows(audited);
    if audited.evidence.is_some() {
        text.push_str(&format!(
            "\n## Reviews ({}, {} open)\n\n{EVIDENCE}\n\n",
            evidence.len(),
            evidence.iter().filter(|r| r.state == "open").count()
        ));
        if !evidence.is_empty() {
            text.push_str("| review | cause | node | title | verdict | state | by | decided | note | reason |\n| ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        }
        for r in &evidence {
            text.push_str(&format!(
                "| #{} | {} | `{}` | {} / {} | {} | {} | {} | {} | {} | {} |\n",
                r.review,
                md(&r.cause),
                r.node,
                md(&r.title),
                md(if r.title_ja.is_empty() { "—" } else { &r.title_ja }),
                r.verdict,
                md(&r.state),
                md(&r.by),
                md(&r.decided_on),
                md(&r.note),
                md(&r.reason)
            ));
        }
    }
    text
}

/// The report as one self-contained HTML page (no scripts, no links out): provenance, summary,
/// rules, findings per rule, coverage, fields, target and the reviews, titles in both
/// languages. The markup is also well-formed XML.
pub fn html(audited: &Audited) -> String {
    html_page("regtrace audit", "", &html_body(audited))
}

/// The style of the HTML audit and report: readable on screen and on paper.
const HTML_STYLE: &str = "body { font-family: 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif; font-size: 14px; margin: 2em; }\n\
     table { border-collapse: collapse; margin: 0.5em 0 1.5em; }\n\
     th, td { border: 1px solid #adb5bd; padding: 3px 6px; vertical-align: top; text-align: left; }\n\
     th { background: #e9ecef; }\n\
     .error { color: #b02a37; font-weight: bold; } .warning { color: #997404; } .info { color: #495057; }\n\
     code { font-size: 13px; }\n";

/// A whole HTML document: `title`, the shared style plus `style`, and `body`; nothing fetched
/// from anywhere.
pub(crate) fn html_page(title: &str, style: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>\n{HTML_STYLE}{style}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        crate::escape::html(title)
    )
}

/// The audit as the inside of an HTML body: provenance, rules, findings, coverage, reviews.
pub(crate) fn html_body(audited: &Audited) -> String {
    let h = crate::escape::html;
    let Audited {
        graph,
        rules,
        report,
        totals,
        counts,
        ..
    } = audited;
    let mut out = String::from("<h1>regtrace audit</h1>\n<table>\n");
    for (label, value) in provenance_rows(&audited.provenance) {
        out.push_str(&format!(
            "<tr><th>{}</th><td><code>{}</code></td></tr>\n",
            h(label),
            h(&value)
        ));
    }
    out.push_str(&format!(
        "</table>\n<p>{}</p>\n<table>\n<tr><th>rule</th><th>severity</th><th>findings</th><th>checks</th></tr>\n",
        h(&summary_line(totals))
    ));
    for (rule, n) in rules.rules.iter().zip(counts.iter()) {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>\n",
            h(&rule.name),
            rule.severity.as_str(),
            rule.severity,
            n,
            h(&rule.description)
        ));
    }
    out.push_str("</table>\n");
    for (rule, of_rule) in by_rule(audited) {
        out.push_str(&format!(
            "<h2>{} ({})</h2>\n<p>{}</p>\n<p><b>Fix:</b> {}</p>\n<ul>\n",
            h(&rule.name),
            of_rule.len(),
            h(&rule.description),
            h(&rule.fix)
        ));
        for f in of_rule {
            let n = graph.node(f.nodes[0]);
            out.push_str(&format!(
                "<li><span class=\"{}\">{}</span> <code>{}</code> {} / {}: {}</li>\n",
                f.severity.as_str(),
                f.severity,
                h(&n.id),
                h(&n.title),
                h(n.title_ja.as_deref().unwrap_or("—")),
                h(&f.message)
            ));
        }
        out.push_str("</ul>\n");
    }
    if !report.coverage.is_empty() {
        out.push_str("<h2>Coverage</h2>\n<table>\n<tr><th>rule</th><th>kind</th><th>covered</th><th>of</th><th>%</th></tr>\n");
        for c in &report.coverage {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td></tr>\n",
                h(&rules.rules[c.rule].name),
                c.kind,
                c.covered,
                c.checked,
                percent(c.covered, c.checked)
            ));
        }
        out.push_str("</table>\n");
    }
    if !report.fields.is_empty() {
        out.push_str("<h2>Fields</h2>\n<table>\n<tr><th>field</th><th>title</th><th>分野</th><th>guidelines</th><th>published</th></tr>\n");
        for f in &report.fields {
            let n = graph.node(f.field);
            out.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                h(&n.id),
                h(&n.title),
                h(n.title_ja.as_deref().unwrap_or("")),
                f.total,
                f.counted
            ));
        }
        out.push_str("</table>\n");
    }
    if let Some(t) = &report.target {
        out.push_str(&format!(
            "<p><b>Target:</b> {} of {} ({:.1}%), as stated in <code>{}.{}</code>.</p>\n",
            t.count,
            t.target,
            percent(t.count, t.target),
            h(&t.stated_at.0),
            h(&t.stated_at.1)
        ));
    }
    if audited.evidence.is_some() {
        let evidence = evidence_rows(audited);
        out.push_str(&format!(
            "<h2>Reviews ({}, {} open)</h2>\n<p>{EVIDENCE}</p>\n",
            evidence.len(),
            evidence.iter().filter(|r| r.state == "open").count()
        ));
        if !evidence.is_empty() {
            out.push_str("<table>\n<tr><th>review</th><th>cause</th><th>node</th><th>title</th><th>verdict</th><th>state</th><th>by</th><th>decided</th><th>note</th><th>reason</th></tr>\n");
            for r in &evidence {
                out.push_str(&format!(
                    "<tr><td>#{}</td><td>{}</td><td><code>{}</code></td><td>{}<br/>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    r.review,
                    h(&r.cause),
                    h(&r.node),
                    h(&r.title),
                    h(&r.title_ja),
                    r.verdict,
                    h(&r.state),
                    h(&r.by),
                    h(&r.decided_on),
                    h(&r.note),
                    h(&r.reason)
                ));
            }
            out.push_str("</table>\n");
        }
    }
    out
}
