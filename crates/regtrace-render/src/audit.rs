//! The audit report: a table for the terminal, Markdown an auditor can read, JSON for tools and
//! CSV for spreadsheets.

use std::collections::BTreeMap;
use std::io::Write;

use regtrace_app::audit::{Audited, percent};
use regtrace_app::history::review_chain;
use regtrace_core::Lang;
use regtrace_core::audit::Severity;
use serde::Serialize;

use crate::doc::{self, Block, Doc, Span, Table, one};
use crate::escape::csv_text;
use crate::words::{Phrase, Word};

#[derive(Serialize)]
struct FindingJson<'g> {
    rule: &'g str,
    severity: &'static str,
    nodes: Vec<&'g str>,
    #[serde(flatten)]
    titles: crate::json::Titles<'g>,
    message: String,
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
    #[serde(flatten)]
    titles: crate::json::Titles<'g>,
    guidelines: usize,
    counted: usize,
}

/// A scoped report's scope, as it says it.
fn scope_phrase(audited: &Audited) -> Option<Phrase> {
    audited.scope.as_ref().map(|s| Phrase::Scope {
        named: audited.document.scope.clone(),
        nodes: s.nodes,
    })
}

/// The provenance as (label, value) rows, in the order every format shows them (with a
/// database, the history's hash chain last).
fn provenance_rows(audited: &Audited) -> Vec<(&'static str, String)> {
    let p = &audited.provenance;
    let d = &audited.document;
    let mut rows: Vec<(&'static str, String)> = [
        ("title", &d.title),
        ("document", &d.doc_id),
        ("revision", &d.revision),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.clone().map(|v| (label, v)))
    .collect();
    if let Some(phrase) = scope_phrase(audited) {
        rows.push(("covers", phrase.say(Lang::En)));
    }
    rows.extend([
        ("generated", p.generated_at.clone()),
        ("regtrace", p.build.to_string()),
        ("data", p.data.clone()),
        ("data sha256", p.data_sha256.clone()),
        ("rules", p.rules.join(", ")),
        ("rules sha256", p.rules_sha256.clone()),
    ]);
    if let Some(evidence) = &audited.evidence {
        rows.push(("history", chain_phrase(&evidence.chain).say(Lang::En)));
    }
    rows
}

/// The history's hash chain as a sentence: its length and head, or what does not hold.
fn chain_phrase(chain: &Result<regtrace_core::record::Head, Vec<String>>) -> Phrase {
    match chain {
        Ok(head) => Phrase::ChainHead {
            length: head.length,
            hash: head.hash.clone(),
        },
        Err(problems) => Phrase::ChainBroken(problems.clone()),
    }
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
    /// To review, or probably unaffected.
    verdict: Word,
    /// `open`, or the outcome.
    state: String,
    by: String,
    decided_on: String,
    note: String,
    /// A reference the decision accepts on purpose: the node kept, and why.
    keeps: Option<(String, String)>,
    reason: regtrace_core::Chain,
}

impl EvidenceRow {
    /// The title, or a word saying the node is gone (in the English of JSON and CSV).
    fn shown_title(&self) -> &str {
        if self.title.is_empty() {
            Word::NoLongerInData.say(Lang::En)
        } else {
            &self.title
        }
    }
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
                title: node.map(|n| n.title.clone()).unwrap_or_default(),
                title_ja: node.and_then(|n| n.title_ja.clone()).unwrap_or_default(),
                verdict: if r.probably_unaffected.is_some() {
                    Word::ProbablyUnaffected
                } else {
                    Word::ToReview
                },
                state: d.map_or_else(|| "open".to_owned(), |d| d.outcome.as_str().to_owned()),
                by: d.map(|d| d.by.clone()).unwrap_or_default(),
                decided_on: d.map(|d| d.day().to_owned()).unwrap_or_default(),
                note: d.and_then(|d| d.note.clone()).unwrap_or_default(),
                // A reference kept on purpose is part of the decision's record.
                keeps: d.and_then(|d| d.keeps.clone()),
                reason: review_chain(graph, r),
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
                titles: crate::json::Titles {
                    title: &node.title,
                    title_ja: node.title_ja.as_deref(),
                },
                message: crate::words::finding(&f.says, Lang::En),
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
                titles: crate::json::Titles {
                    title: &n.title,
                    title_ja: n.title_ja.as_deref(),
                },
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
                "history": audited.evidence.as_ref().map(|e| match &e.chain {
                    Ok(head) => serde_json::json!({"sound": true, "records": head.length, "head": head.hash}),
                    Err(problems) => serde_json::json!({"sound": false, "problems": problems}),
                }),
            },
            "document": {
                "title": audited.document.title,
                "doc_id": audited.document.doc_id,
                "revision": audited.document.revision,
                "scope": audited.scope.as_ref().map(|s| serde_json::json!({
                    "nodes": audited.document.scope, "within": s.nodes,
                })),
                "prepared_by": audited.document.prepared_by.iter().map(|s| serde_json::json!({"name": s.name, "role": s.role})).collect::<Vec<_>>(),
                "approved_by": audited.document.approved_by.iter().map(|s| serde_json::json!({"name": s.name, "role": s.role})).collect::<Vec<_>>(),
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
                "title": r.shown_title(), "title_ja": r.title_ja, "verdict": r.verdict.say(Lang::En), "state": r.state,
                "decided_by": r.by, "decided_on": r.decided_on, "note": r.note, "reason": r.reason.to_string(),
                "keeps": r.keeps.as_ref().map(|(kept, because)| serde_json::json!({"node": kept, "because": because})),
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
        crate::words::finding(&f.says, Lang::En),
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
/// columns sized to the text; counts are numbers and days are dates, every other cell text,
/// never a formula.
pub fn xlsx(audited: &Audited, out: impl Write + Send) -> std::io::Result<()> {
    use crate::workbook::Cell::{Day, Number, Text};
    use crate::workbook::{text_sheet as sheet, typed_sheet};
    use rust_xlsxwriter::{Workbook, XlsxError};
    let rules = &audited.rules;
    let mut workbook = Workbook::new();
    let provenance: Vec<Vec<String>> = provenance_rows(audited)
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
        typed_sheet(
            &mut workbook,
            "rules",
            &["rule", "severity", "findings", "checks"],
            &[Text, Text, Number],
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
                    let title = r.shown_title().to_owned();
                    vec![
                        format!("#{}", r.review),
                        r.cause,
                        r.node,
                        title,
                        r.title_ja,
                        r.verdict.say(Lang::En).to_owned(),
                        r.state,
                        r.by,
                        r.decided_on,
                        r.note,
                        r.reason.to_string(),
                        r.keeps.as_ref().map(|(kept, _)| kept.clone()).unwrap_or_default(),
                        r.keeps.map(|(_, because)| because).unwrap_or_default(),
                    ]
                })
                .collect();
            typed_sheet(
                &mut workbook,
                "reviews",
                &[
                    "review", "cause", "node", "title", "title_ja", "verdict", "state", "by", "decided",
                    "note", "reason", "keeps", "because",
                ],
                &[Text, Text, Text, Text, Text, Text, Text, Text, Day],
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

/// The audit as a document: provenance, totals, rules, the findings of each rule, coverage,
/// fields, target and, with a database, the reviews as evidence. The terminal, Markdown, HTML
/// and the report all write this one document.
pub fn document(audited: &Audited) -> Doc {
    document_rows(audited, 0..usize::MAX)
}

/// [`document`] with only the findings numbered `rows` (counted across rules, in rule order)
/// and the reviews of the evidence numbered `rows`: one page of a long audit (the web's).
pub fn document_rows(audited: &Audited, rows: std::ops::Range<usize>) -> Doc {
    let Audited {
        graph,
        rules,
        report,
        totals,
        counts,
        ..
    } = audited;
    let p = &audited.provenance;
    let mut blocks = vec![Block::Fields(vec![
        (Word::Generated, one(Span::text(&p.generated_at))),
        (
            Word::Regtrace,
            one(Span::Phrase(Phrase::Build {
                version: p.build.version.to_owned(),
                commit: p.build.commit.to_owned(),
                date: p.build.commit_date.to_owned(),
                dirty: p.build.dirty,
            })),
        ),
        (Word::Data, one(Span::text(&p.data))),
        (Word::DataSha256, one(Span::code(&p.data_sha256))),
        (Word::Rules, one(Span::text(p.rules.join(", ")))),
        (Word::RulesSha256, one(Span::code(&p.rules_sha256))),
    ])];
    // The title block: the document's number and revision first, with the provenance.
    if let Some(Block::Fields(fields)) = blocks.first_mut() {
        let d = &audited.document;
        let given = [(Word::DocumentId, &d.doc_id), (Word::Revision, &d.revision)];
        for (word, value) in given.into_iter().rev() {
            if let Some(value) = value {
                fields.insert(0, (word, one(Span::text(value))));
            }
        }
        if let Some(phrase) = scope_phrase(audited) {
            let at = usize::from(d.doc_id.is_some()) + usize::from(d.revision.is_some());
            fields.insert(at, (Word::ScopeLabel, one(Span::Phrase(phrase))));
        }
    }
    if let (Some(evidence), Some(Block::Fields(fields))) = (&audited.evidence, blocks.first_mut()) {
        fields.push((
            Word::HistoryLabel,
            one(Span::Phrase(chain_phrase(&evidence.chain))),
        ));
    }
    let n = |s| totals.get(&s).copied().unwrap_or(0);
    blocks.push(Block::Para(one(Span::Phrase(Phrase::SeverityTotals {
        errors: n(Severity::Error),
        warnings: n(Severity::Warning),
        info: n(Severity::Info),
    }))));
    let mut rules_table =
        Table::new(&[Word::Rule, Word::Severity, Word::Findings, Word::Checks]).numbers(&[Word::Findings]);
    for (rule, n) in rules.rules.iter().zip(counts.iter()) {
        rules_table.row(vec![
            one(Span::text(&rule.name)),
            one(Span::Severity(rule.severity)),
            one(Span::Count(*n)),
            one(Span::translated(
                &rule.description,
                rule.description_ja.as_deref(),
            )),
        ]);
    }
    blocks.push(Block::Table(rules_table));
    let mut numbered = 0;
    for (rule, of_rule) in by_rule(audited) {
        let first = numbered;
        numbered += of_rule.len();
        let shown = rows.start.clamp(first, numbered) - first..rows.end.clamp(first, numbered) - first;
        if shown.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(vec![
            Span::text(&rule.name),
            Span::Phrase(Phrase::Counted(of_rule.len())),
        ]));
        blocks.push(Block::Para(one(Span::translated(
            &rule.description,
            rule.description_ja.as_deref(),
        ))));
        blocks.push(Block::Para(vec![
            Span::Label(Word::Fix),
            Span::translated(&rule.fix, rule.fix_ja.as_deref()),
        ]));
        blocks.push(Block::List(
            of_rule[shown]
                .iter()
                .map(|f| {
                    let node = graph.node(f.nodes[0]);
                    vec![
                        vec![
                            Span::Severity(f.severity),
                            Span::text(" "),
                            Span::node(&node.id),
                            Span::text(" "),
                            Span::titles(&node.title, node.title_ja.as_deref()),
                        ],
                        one(Span::Phrase(Phrase::Finding(f.says.clone()))),
                    ]
                })
                .collect(),
        ));
    }
    if !report.coverage.is_empty() {
        blocks.push(Block::Heading(one(Span::Say(Word::Coverage))));
        let mut table = Table::new(&[Word::Rule, Word::Kind, Word::Covered, Word::Of, Word::Percent])
            .numbers(&[Word::Covered, Word::Of, Word::Percent]);
        for c in &report.coverage {
            table.row(vec![
                one(Span::text(&rules.rules[c.rule].name)),
                one(Span::Kind(c.kind)),
                one(Span::Count(c.covered)),
                one(Span::Count(c.checked)),
                one(Span::Percent(percent(c.covered, c.checked))),
            ]);
        }
        blocks.push(Block::Table(table));
    }
    if !report.fields.is_empty() {
        blocks.push(Block::Heading(one(Span::Say(Word::Fields))));
        let mut table = Table::new(&[Word::Field, Word::Title, Word::Guidelines, Word::PublishedCount])
            .numbers(&[Word::Guidelines, Word::PublishedCount]);
        for f in &report.fields {
            let n = graph.node(f.field);
            table.row(vec![
                one(Span::node(&n.id)),
                one(Span::titles(&n.title, n.title_ja.as_deref())),
                one(Span::Count(f.total)),
                one(Span::Count(f.counted)),
            ]);
        }
        blocks.push(Block::Table(table));
    }
    if let Some(t) = &report.target {
        blocks.push(Block::Para(vec![
            Span::Label(Word::Target),
            Span::Phrase(Phrase::Target {
                count: t.count,
                target: t.target,
                percent: percent(t.count, t.target),
                stated_in: format!("{}.{}", t.stated_at.0, t.stated_at.1),
            }),
        ]));
    }
    if audited.evidence.is_some() {
        let evidence = evidence_rows(audited);
        blocks.push(Block::Heading(one(Span::Phrase(Phrase::ReviewsHeading {
            total: evidence.len(),
            open: evidence.iter().filter(|r| r.state == "open").count(),
        }))));
        blocks.push(Block::Para(one(Span::Say(Word::ReviewsEvidence))));
        if !evidence.is_empty() {
            let mut table = Table::new(&[
                Word::Review,
                Word::Cause,
                Word::Node,
                Word::Title,
                Word::Verdict,
                Word::State,
                Word::By,
                Word::Decided,
                Word::Note,
                Word::Reason,
            ]);
            let shown = rows.start.min(evidence.len())..rows.end.min(evidence.len());
            for r in evidence.into_iter().skip(shown.start).take(shown.len()) {
                let titles = if r.title.is_empty() {
                    Span::Say(Word::NoLongerInData)
                } else {
                    Span::titles(r.title, (!r.title_ja.is_empty()).then_some(r.title_ja))
                };
                let state = match crate::words::state_word(&r.state) {
                    Some(word) => Span::State(word),
                    None => Span::Text(r.state),
                };
                table.row(vec![
                    one(Span::text(format!("#{}", r.review))),
                    one(Span::text(r.cause)),
                    one(Span::node(r.node)),
                    one(titles),
                    one(Span::Say(r.verdict)),
                    one(state),
                    one(Span::text(r.by)),
                    one(Span::text(r.decided_on)),
                    {
                        let mut note = one(Span::text(r.note));
                        if let Some((kept, because)) = r.keeps {
                            note.extend([
                                Span::text("\n"),
                                Span::Label(Word::Keeps),
                                Span::node(kept),
                                Span::text(format!(": {because}")),
                            ]);
                        }
                        note
                    },
                    one(Span::Chain(r.reason)),
                ]);
            }
            blocks.push(Block::Table(table));
        }
    }
    // Who prepared and who approves it: a line for each to sign on the printed page.
    let d = &audited.document;
    if !d.prepared_by.is_empty() || !d.approved_by.is_empty() {
        blocks.push(Block::Heading(one(Span::Say(Word::SignOff))));
        let mut table = Table::new(&[
            Word::Responsibility,
            Word::Name,
            Word::Role,
            Word::Date,
            Word::Signature,
        ]);
        let signers = (d.prepared_by.iter().map(|s| (Word::PreparedBy, s)))
            .chain(d.approved_by.iter().map(|s| (Word::ApprovedBy, s)));
        for (duty, signer) in signers {
            table.row(vec![
                one(Span::Say(duty)),
                one(Span::text(&signer.name)),
                one(Span::text(&signer.role)),
                Vec::new(),
                Vec::new(),
            ]);
        }
        blocks.push(Block::Table(table));
    }
    Doc {
        title: one(d.title.as_ref().map_or(Span::Say(Word::AuditTitle), Span::text)),
        blocks,
    }
}

/// For the terminal, in the language and colour of `options`.
pub fn table(audited: &Audited, options: doc::terminal::Options) -> String {
    doc::terminal::write(&document(audited), options)
}

/// A report an auditor can read, titles in both languages.
pub fn markdown(audited: &Audited, lang: Lang) -> String {
    doc::markdown::write(&document(audited), lang)
}

/// The report as one self-contained HTML page (no scripts, no links out), titles in both
/// languages. The markup is also well-formed XML.
pub fn html(audited: &Audited, lang: Lang) -> String {
    doc::html::page(
        audited
            .document
            .title
            .as_deref()
            .unwrap_or(Word::AuditTitle.say(lang)),
        lang,
        "",
        doc::html::body(&document(audited), lang),
    )
}
