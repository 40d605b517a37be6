//! `audit`: the rules run, the report printed, and exit status 1 when something at or above
//! `--fail-on` is found.

use std::path::PathBuf;

use regtrace_app::audit::{AuditRequest, TitleBlock};
use regtrace_core::audit::{ReportTable, Severity};
use regtrace_render::audit;

use super::Globals;
use crate::error::CliError;
use crate::output::{OutputFile, pretty_json, print, print_document, terminal};

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
    /// One self-contained HTML page for an auditor: provenance, findings and the reviews.
    Html,
    /// An Excel workbook: sheets provenance, rules, findings and (with a database) reviews.
    Xlsx,
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

/// Options of `audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// Rules file to run alone, instead of the built-in generic rules (data/audit.toml) and the
    /// data set's own (see `regtrace rules`).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Run only this rule (repeatable).
    #[arg(long, value_name = "NAME")]
    pub rule: Vec<String>,
    /// Show findings of at least this severity.
    #[arg(long, value_enum, default_value_t = SeverityArg::Info)]
    pub severity: SeverityArg,
    /// Report format.
    #[arg(short = 'f', long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// Exit with status 1 when a finding of this severity or worse exists (whatever --severity shows).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub out: OutputFile,
    #[command(flatten)]
    pub title: TitleArgs,
    /// With -o naming a symbolic link: write to the file it points to instead of refusing.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// What a filed report says of itself (`audit` and `report`): its title block.
#[derive(Debug, Clone, clap::Args)]
pub struct TitleArgs {
    /// The document's title (default: "regtrace audit").
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Its document number in your QA system.
    #[arg(long, value_name = "ID")]
    pub doc_id: Option<String>,
    /// Its revision.
    #[arg(long, value_name = "REV")]
    pub revision: Option<String>,
    /// Who prepared it, "NAME, ROLE" (repeatable; a line to sign each).
    #[arg(long, value_name = "NAME, ROLE")]
    pub prepared_by: Vec<String>,
    /// Who approves it, "NAME, ROLE" (repeatable; a line to sign each).
    #[arg(long, value_name = "NAME, ROLE")]
    pub approved_by: Vec<String>,
    /// Only what this device (or any node) rests on, and the device itself (repeatable). Each
    /// flag left out is taken from the `[report]` table of the data set's audit.toml.
    #[arg(long, value_name = "DEVICE", num_args = 1..)]
    pub scope: Vec<String>,
    /// Audit the whole data set, whatever scope the `[report]` table names.
    #[arg(long, conflicts_with = "scope")]
    pub whole: bool,
}

impl TitleArgs {
    /// The title block these flags give.
    pub fn block(&self) -> TitleBlock {
        TitleBlock::of(&ReportTable {
            title: self.title.clone(),
            doc_id: self.doc_id.clone(),
            revision: self.revision.clone(),
            scope: self.scope.clone(),
            prepared_by: self.prepared_by.clone(),
            approved_by: self.approved_by.clone(),
        })
    }
}

/// `regtrace audit`.
pub fn run(globals: &Globals, args: &AuditArgs) -> Result<(), CliError> {
    let data = globals.open()?;
    let request = AuditRequest {
        rules: args.rules.clone(),
        only: args.rule.clone(),
        shown_min: match args.severity {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        },
        generated_at: super::source_date_epoch(),
        document: args.title.block(),
        whole: args.title.whole,
    };
    let audited = regtrace_app::audit::audit(&data, &request)?;
    let report = match args.format {
        AuditFormat::Xlsx => {
            args.out
                .write_with(true, args.force, |w| audit::xlsx(&audited, w))?;
            return fail_on(args, &audited);
        }
        AuditFormat::Json => audit::json(&audited, args.out.output.is_none() && pretty_json()),
        AuditFormat::Csv => globals.csv(audit::csv(&audited)),
        AuditFormat::Markdown => audit::markdown(&audited, globals.lang),
        AuditFormat::Html => audit::html(&audited, globals.lang),
        AuditFormat::Table if args.out.output.is_none() => {
            print_document(&audit::table(&audited, terminal(globals.lang)));
            return fail_on(args, &audited);
        }
        AuditFormat::Table => audit::table(&audited, globals.lang.into()),
    };
    match &args.out.output {
        None => print(&report),
        Some(_) => args.out.write(report.as_bytes(), false, args.force)?,
    }
    fail_on(args, &audited)
}

/// Exit status 1 when a finding at or above `--fail-on` exists.
fn fail_on(args: &AuditArgs, audited: &regtrace_app::audit::Audited) -> Result<(), CliError> {
    let (failing, level) = match args.fail_on {
        FailOn::Never => return Ok(()),
        FailOn::Error => (audited.at_least(Severity::Error), "error"),
        FailOn::Warning => (audited.at_least(Severity::Warning), "warning"),
    };
    if failing > 0 {
        return Err(CliError::Failed(format!(
            "audit failed: {failing} finding(s) at or above {level} (--fail-on {level})"
        )));
    }
    Ok(())
}
