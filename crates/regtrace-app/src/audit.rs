//! `audit`: the rules run over the data set (with the database's review ledger), the findings
//! at or above a severity, and whether the audit fails.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regtrace_core::audit::{Finding, Report, ReportTable, Rules, Severity};
use regtrace_core::{Direction, Graph, ReachOptions};
use sha2::{Digest, Sha256};

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
    /// When the report is made, in seconds since 1970 (UTC); `None`: now.
    pub generated_at: Option<i64>,
    /// What the report says of itself, as a document a QA system files.
    pub document: TitleBlock,
    /// Audit the whole data set, whatever scope a `[report]` table names.
    pub whole: bool,
}

impl Default for AuditRequest {
    /// The generic and the data set's own rules, every finding shown, made now, the data set's
    /// own title block.
    fn default() -> Self {
        AuditRequest {
            rules: None,
            only: Vec::new(),
            shown_min: Severity::Info,
            generated_at: None,
            document: TitleBlock::default(),
            whole: false,
        }
    }
}

/// What a filed report says of itself (issue 36): its title, document number and revision, and
/// who prepared and who approves it (a printed page leaves a line for each to sign).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleBlock {
    /// The title (default: "regtrace audit").
    pub title: Option<String>,
    /// The document number in the QA system.
    pub doc_id: Option<String>,
    /// Its revision.
    pub revision: Option<String>,
    /// Who prepared it.
    pub prepared_by: Vec<Signer>,
    /// Who approves it.
    pub approved_by: Vec<Signer>,
    /// Only what these nodes (usually devices) rest on, and they themselves; everything when
    /// empty.
    pub scope: Vec<String>,
}

impl TitleBlock {
    /// A title block from a `[report]` table (or flags in its shape), each person
    /// `"NAME, ROLE"`.
    pub fn of(table: &ReportTable) -> TitleBlock {
        let signers = |all: &[String]| all.iter().map(|s| Signer::parse(s)).collect();
        TitleBlock {
            title: table.title.clone(),
            doc_id: table.doc_id.clone(),
            revision: table.revision.clone(),
            prepared_by: signers(&table.prepared_by),
            approved_by: signers(&table.approved_by),
            scope: table.scope.clone(),
        }
    }

    /// This block (from flags), each part it leaves unsaid taken from `defaults` (a data set's
    /// `[report]` table).
    pub fn or(self, defaults: TitleBlock) -> TitleBlock {
        fn list<T>(given: Vec<T>, default: Vec<T>) -> Vec<T> {
            if given.is_empty() { default } else { given }
        }
        TitleBlock {
            title: self.title.or(defaults.title),
            doc_id: self.doc_id.or(defaults.doc_id),
            revision: self.revision.or(defaults.revision),
            prepared_by: list(self.prepared_by, defaults.prepared_by),
            approved_by: list(self.approved_by, defaults.approved_by),
            scope: list(self.scope, defaults.scope),
        }
    }
}

/// What a scoped audit covers: the nodes named and everything they rest on.
#[derive(Debug, Clone)]
pub struct Scope {
    /// For every node of the graph, whether it is within.
    pub within: Vec<bool>,
    /// How many nodes are within, the named ones included.
    pub nodes: usize,
}

impl Scope {
    /// The nodes `ids` name and everything they rest on.
    pub fn of(graph: &Graph, ids: &[String]) -> Result<Scope> {
        let roots = crate::parse::resolve_all(&graph, ids)?;
        let reach = graph.reach(&roots, Direction::Dependencies, &ReachOptions::default());
        let mut within = vec![false; graph.node_count()];
        for n in roots.iter().copied().chain(reach.hits.iter().map(|h| h.node)) {
            within[n.index()] = true;
        }
        let nodes = within.iter().filter(|w| **w).count();
        Ok(Scope { within, nodes })
    }

    /// Whether the node `id` is within.
    pub fn contains(&self, graph: &Graph, id: &str) -> bool {
        graph.find(id).is_some_and(|n| self.within[n.index()])
    }
}

/// A person named in a title block: name and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The name.
    pub name: String,
    /// The role (may be empty).
    pub role: String,
}

impl Signer {
    /// `"NAME, ROLE"` (the role after the first comma; none without one).
    pub fn parse(text: &str) -> Signer {
        let (name, role) = text.split_once(',').unwrap_or((text, ""));
        Signer {
            name: name.trim().to_owned(),
            role: role.trim().to_owned(),
        }
    }
}

/// Where an audit report comes from: what was audited, with which rules, by which build, when.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// When the report was made (UTC, RFC 3339, seconds).
    pub generated_at: String,
    /// The regtrace build.
    pub build: crate::Build,
    /// The data audited, for people: a database path, the built-in seed, files.
    pub data: String,
    /// SHA-256 of the data set as the lossless JSON document `export --format json` writes
    /// (nodes, links, catalog): the same data gives the same fingerprint wherever it is stored.
    pub data_sha256: String,
    /// The rules files run, in order.
    pub rules: Vec<String>,
    /// SHA-256 over the rules files run (each name and text, in order).
    pub rules_sha256: String,
}

/// The review record an audit shows as evidence (with a database).
#[derive(Debug, Clone)]
pub struct Evidence {
    /// Every change event, oldest first.
    pub events: Vec<regtrace_store::ChangeEvent>,
    /// Every review, open and closed, with its decisions.
    pub reviews: Vec<regtrace_store::Review>,
    /// The history's hash chain: its head (length and last hash, which pins the history the
    /// report was made from), or what does not hold.
    pub chain: std::result::Result<regtrace_core::record::Head, Vec<String>>,
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
    /// Where the report comes from.
    pub provenance: Provenance,
    /// The review record (with a database): closed reviews are the evidence of what was
    /// checked, open ones of what is still to check.
    pub evidence: Option<Evidence>,
    /// What the report says of itself: the request's title block, what it left unsaid taken
    /// from the rules files' `[report]` tables.
    pub document: TitleBlock,
    /// With `document.scope`: the nodes audited.
    pub scope: Option<Scope>,
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

/// The built-in relation catalog's text (data/catalog.toml).
pub const BUILT_IN_CATALOG: &str = regtrace_source::embedded::CATALOG.1;

/// The rules `audit` runs on `data` without `--rules`, as one TOML document: the generic rules,
/// then each of the data set's own rules files under a comment naming it. (Tables of
/// `[[rule]]` may follow one another, so the whole is one valid rules file.)
pub fn rules_text(data: &DataSet) -> String {
    let (file, text) = regtrace_source::embedded::AUDIT_RULES;
    let mut out = format!("# ---- {file} (generic rules)\n{text}");
    for (file, text) in data.audit_rules() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("\n# ---- {file} (the data set's own rules)\n{text}"));
    }
    out
}

/// Checks a data set's own rules files as `audit` will read them, so that an import refuses
/// what would break every later audit: each rule, each `[report]` table and the nodes its
/// scope names.
pub fn check_rules_files(files: &[(String, String)], graph: &Graph) -> Result<()> {
    for (file, text) in files {
        if let (_, Some(table)) = Rules::read(file, text, graph)? {
            crate::parse::resolve_all(&graph, &table.scope).map_err(|e| match e {
                AppError::UnknownNode { message, hint } => AppError::UnknownNode {
                    message: format!("{file}: [report] scope: {message}"),
                    hint,
                },
                other => other,
            })?;
        }
    }
    Ok(())
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
    let files: Vec<(String, String)> = match &request.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| AppError::Io {
                path: path.clone(),
                source,
            })?;
            vec![(path.display().to_string(), text)]
        }
        None => {
            let (file, text) = regtrace_source::embedded::AUDIT_RULES;
            std::iter::once((file.to_owned(), text.to_owned()))
                .chain(data.audit_rules().iter().cloned())
                .collect()
        }
    };
    let mut rules = Rules { rules: Vec::new() };
    let mut defaults = TitleBlock::default();
    for (file, text) in &files {
        let (read, table) = Rules::read(file, text, graph)?;
        rules.extend(read);
        if let Some(table) = table {
            defaults = TitleBlock::of(&table).or(defaults);
        }
    }
    let mut document = request.document.clone().or(defaults);
    if request.whole {
        document.scope.clear();
    }
    let scope = match document.scope.is_empty() {
        true => None,
        false => Some(Scope::of(graph, &document.scope)?),
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
    // The data's fingerprint (its JSON document hashed, one stream) while the rules run.
    let within = scope.as_ref().map(|s| s.within.as_slice());
    let (report, data_sha256) = rayon::join(
        || rules.run_within(graph, &ledger, within),
        || data_fingerprint(graph),
    );
    let mut totals: BTreeMap<Severity, usize> = BTreeMap::new();
    let mut counts = vec![0; rules.rules.len()];
    for f in &report.findings {
        *totals.entry(f.severity).or_default() += 1;
        counts[f.rule] += 1;
    }
    let shown = (0..report.findings.len())
        .filter(|i| report.findings[*i].severity >= request.shown_min)
        .collect();
    let provenance = Provenance {
        generated_at: request
            .generated_at
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .unwrap_or_else(chrono::Utc::now)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        build: crate::BUILD,
        data: data.origin().describe(),
        data_sha256,
        rules: files.iter().map(|(file, _)| file.clone()).collect(),
        rules_sha256: {
            let mut hash = Sha256::new();
            for (file, text) in &files {
                hash.update(file.as_bytes());
                hash.update([0]);
                hash.update(text.as_bytes());
                hash.update([0]);
            }
            hex(&hash.finalize())
        },
    };
    let evidence = match data.store() {
        Ok(store) => {
            let mut reviews = store.reviews()?;
            let mut events = store.events()?;
            // A scoped report shows the reviews of nodes within, and the changes that opened
            // them or changed a node within.
            if let Some(scope) = &scope {
                reviews.retain(|r| scope.contains(graph, &r.node));
                let opened: std::collections::HashSet<i64> = reviews.iter().map(|r| r.event).collect();
                events.retain(|e| scope.contains(graph, &e.node) || opened.contains(&e.id));
            }
            Some(Evidence {
                events,
                reviews,
                chain: store.check_history()?,
            })
        }
        Err(_) => None,
    };
    Ok(Audited {
        graph,
        rules,
        report,
        shown,
        totals,
        counts,
        provenance,
        evidence,
        document,
        scope,
    })
}

/// SHA-256 of the data set's lossless JSON document.
fn data_fingerprint(graph: &Graph) -> String {
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // Buffered: the document is written in many small pieces, hashed best in large ones.
    let mut hashing = std::io::BufWriter::with_capacity(1 << 16, Hashing(Sha256::new()));
    let whole = regtrace_core::Subgraph::whole(graph);
    // Writing into a hash cannot fail.
    let _ = regtrace_source::json_format::write_part(graph, &whole, &mut hashing);
    match hashing.into_inner() {
        Ok(hashing) => hex(&hashing.0.finalize()),
        Err(_) => String::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
