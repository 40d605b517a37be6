//! `regtrace`: the command-line tool. Thin glue: clap turns the command line into options,
//! each command (`commands/`) turns them into a call of `regtrace-app` and hands the answer to a
//! renderer of `regtrace-render`; `output` writes it, `error` turns failures into messages and
//! exit statuses. A library so that the fuzz targets (fuzz/) can run whole command lines in
//! process; the binary is src/main.rs.

mod colour;
mod commands;
mod error;
mod output;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{Format, LangArg, Words};
use crate::error::CliError;
use crate::output::OutputFile;
use regtrace_core::NodeKind;

/// regtrace: standards traceability for medical devices.
///
/// Links devices, guidelines, evaluation items, test methods, standards (one node per edition)
/// and regulations, and answers "what rests on this?" with the reason for every hit.
///
/// With no --db (and no REGTRACE_DB), commands read the built-in seed data set: the METI/AIST
/// 2013 medical device guideline programme. Try
/// `regtrace impact jp-pal-revision-2013 --kind guideline`.
#[derive(Debug, Parser)]
#[command(name = "regtrace", version = regtrace_app::VERSION_TEXT, max_term_width = 100)]
struct Cli {
    /// SQLite database to read (and, for `import`, to write).
    #[arg(long, global = true, env = "REGTRACE_DB", value_name = "FILE")]
    db: Option<PathBuf>,

    /// Relation catalog to validate with, instead of the built-in data/catalog.toml
    /// (or a catalog file found among the imported paths).
    #[arg(long, global = true, env = "REGTRACE_CATALOG", value_name = "FILE")]
    catalog: Option<PathBuf>,

    /// Language of what regtrace says (headings, column heads, kind, status and state names,
    /// sentences) and of titles, in tables, Markdown, HTML, reports and diagrams. Ids and the
    /// data's own text stay as written; CSV keeps its English column names (titles follow the
    /// language); JSON always carries both titles and English words.
    #[arg(short = 'l', long, global = true, value_enum, env = "REGTRACE_LANG")]
    lang: Option<LangArg>,

    /// Start CSV output with a UTF-8 byte-order mark, so that Excel shows Japanese titles
    /// instead of reading the file as Shift_JIS.
    #[arg(long, global = true)]
    bom: bool,

    /// When to colour kinds, statuses, severities and the changed node: auto (on a
    /// terminal, unless NO_COLOR is set or CLICOLOR_FORCE forces it), always, never.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    color: colour::ColorArg,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate source files and store them in the database (--db), replacing its data set.
    ///
    /// PATH may be data directories (walked for the files of every format below), TOML data
    /// files, a nodes.csv/edges.csv pair, an Excel workbook (sheets `nodes` and `edges`), a JSON
    /// document from `export`, ReqIF exports of DOORS, Polarion and the others (mapped by
    /// --mapping, or the built-in mapping; `regtrace reqif mapping FILE` writes one to start
    /// from), or a regulator's list read with --from. Everything is validated first; if
    /// anything is wrong, every problem is listed and the database is not touched. The import
    /// is one transaction: all or nothing.
    ///
    /// With --record-changes, every node whose content differs from the database's (the
    /// fields its kind's fingerprint counts, whitespace-insensitive; see `[[fingerprint]]` in
    /// the catalog) becomes a change event that opens reviews of what it impacts, in the same
    /// transaction: editing a standard's data file is enough.
    #[command(after_help = import_help())]
    Import {
        /// Files or directories to import.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// How ReqIF files among the paths become nodes and links (a TOML `[reqif]` table; see
        /// `regtrace reqif mapping`). Without it, the built-in mapping.
        #[arg(long, value_name = "MAP.toml")]
        mapping: Option<PathBuf>,
        /// Read the files of this format's extensions (and named files of no known type) as
        /// this format: a regulator's list (fda-product-classification,
        /// eu-harmonised-standards), which a file's extension cannot tell. The formats are
        /// listed below.
        #[arg(long, value_name = "NAME", value_parser = parse_format)]
        from: Option<regtrace_app::Format>,
        #[command(flatten)]
        record: commands::import::RecordArgs,
    },

    /// Validate source files without writing anything; lists every problem with file:line.
    Check {
        /// Files or directories to check.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// How ReqIF files among the paths become nodes and links (see `import --mapping`).
        #[arg(long, value_name = "MAP.toml")]
        mapping: Option<PathBuf>,
        /// Read files as this format where their extension does not say (see `import --from`).
        #[arg(long, value_name = "NAME", value_parser = parse_format)]
        from: Option<regtrace_app::Format>,
    },

    /// Write one self-contained HTML report (audit, reviews, each change's impact) for auditors.
    ///
    /// The audit with its provenance, findings, coverage and every review as evidence, then the
    /// impact of each recorded change (and of --impact-of nodes) with its diagram and reason
    /// chains. CSS and pictures are inline, nothing is fetched and nothing runs; it prints well
    /// (a PDF through a browser's print).
    #[command(
        after_help = "Examples:\n  regtrace --db reg.db report -o report.html\n  regtrace --db reg.db report --event 1 -o change-1.html\n  regtrace report --impact-of jp-pal-revision-2013 -o pal-2013.html"
    )]
    Report {
        #[command(flatten)]
        args: commands::report::ReportArgs,
    },

    /// Start a data set of your own: a device (and the standards it conforms to) to rename and
    /// edit, its report table and a copy of the relation catalog, written into a new directory.
    ///
    /// The files import as they are; their comments say what to change. `data.xlsx` beside them
    /// holds empty `nodes` and `edges` sheets with drop-downs for kind, status and relation, to
    /// fill in Excel instead of TOML (both are imported together).
    #[command(
        after_help = "Examples:\n  regtrace init my-pump --template pump\n  regtrace --db my.db import my-pump\n  regtrace --db my.db impact iso-14971-2019"
    )]
    Init {
        #[command(flatten)]
        args: commands::init::InitArgs,
    },

    /// Serve the web explorer and its JSON API on this machine (http://127.0.0.1:8080/).
    ///
    /// Search, nodes, impact with its reasons and diagram, paths, the matrix, reviews (closed
    /// through a form), changes and the audit, each at a stable URL, with a JSON API under /api
    /// that answers exactly as `--format json` does (docs/API.md).
    #[command(
        after_help = "Examples:\n  regtrace --db reg.db serve\n  regtrace --db reg.db serve --addr 127.0.0.1:9000 --read-only\n  curl 'http://127.0.0.1:8080/api/impact?id=jp-pal-revision-2013'"
    )]
    Serve {
        #[command(flatten)]
        args: commands::serve::ServeArgs,
    },

    /// Print the exact build: version, git commit and date, uncommitted changes, compiler,
    /// platform and SQLite (for a quality system's record of the tool it validated).
    Version {
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = Words::Table)]
        format: Words,
    },

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Examples:\n  source <(regtrace completions bash)\n  regtrace completions zsh > ~/.zfunc/_regtrace\n  regtrace completions fish > ~/.config/fish/completions/regtrace.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: commands::shell::Shell,
    },

    /// Print the man page, or write one page per command into a directory.
    #[command(after_help = "Examples:\n  regtrace man | man -l -\n  regtrace man -o ~/.local/share/man/man1")]
    Man {
        /// Write `regtrace.1` and one page per command (`regtrace-impact.1`, …) into DIR.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },

    /// ReqIF (DOORS, DOORS Next, Polarion, ProR, …): mappings for importing an export.
    #[command(subcommand)]
    Reqif(commands::reqif::ReqifCommand),

    /// What a change impacts: everything that rests on the given nodes, each with its reason.
    ///
    /// Follows each relation's impact direction from the catalog (relations with impact `none`
    /// are not followed). Each hit has its distance from the nearest changed node and one
    /// shortest reason path from it.
    #[command(
        after_help = "Examples:\n  regtrace impact jp-pal-revision-2013 --kind guideline\n  regtrace impact std-iso-artificial-heart --format json --max-depth 3\n  regtrace impact jp-pal-revision-2013 -f xlsx -o impact.xlsx\n  regtrace --db ed.db import tests/fixtures/editions      (ISO 10993-1, 2009 and 2018)\n  regtrace --db ed.db impact iso-10993-1-2009 --as-of 2019-01-01 --summary"
    )]
    Impact {
        #[command(flatten)]
        args: commands::reach::ReachArgs,
    },

    /// What nodes rest on: evaluation items, test methods, standards, laws, …, each with its chain.
    #[command(after_help = "Example:\n  regtrace deps gl-artificial-heart --format json")]
    Deps {
        #[command(flatten)]
        args: commands::reach::ReachArgs,
    },

    /// How two nodes are connected: one shortest chain, or all simple chains, with every hop's relation.
    ///
    /// Edges are followed either way, whatever their relation.
    #[command(
        after_help = "Example:\n  regtrace path device-artificial-heart-18-cases jp-pal-revision-2013 --all"
    )]
    Path {
        #[command(flatten)]
        args: commands::path::PathArgs,
    },

    /// Find nodes by id, title (English or Japanese) or designation, by substring.
    ///
    /// Matching ignores case and full-width/half-width differences (ＤＮＡ finds DNA).
    #[command(
        after_help = "Examples:\n  regtrace search 人工心臓\n  regtrace search 人工 心臓       (both words, anywhere)\n  regtrace search dna -k guideline"
    )]
    Search {
        /// The text to find; several words must each be found (`search 人工 心臓`), a quoted
        /// phrase as it is.
        #[arg(required = true, value_name = "TEXT")]
        text: Vec<String>,
        /// Only nodes of this kind (repeatable).
        #[arg(short = 'k', long, value_name = "KIND", value_parser = commands::word::<NodeKind>)]
        kind: Vec<NodeKind>,
        /// Show at most this many.
        #[arg(short = 'n', long, default_value_t = 50, value_name = "N")]
        limit: usize,
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },

    /// Audit the data set against rules: coverage gaps, stale references, reviews due, orphans.
    ///
    /// Rules are data (the built-in data/audit.toml, or --rules FILE). Exit status: 0 when
    /// nothing at or above --fail-on is found, 1 when something is, 2 on usage or data errors,
    /// so a working group can run it in CI.
    #[command(
        after_help = "Examples:\n  regtrace audit          (exits 1 while errors stand: --fail-on)\n  regtrace audit --format markdown -o audit.md\n  regtrace audit --rule needs-review --fail-on warning"
    )]
    Audit {
        #[command(flatten)]
        args: commands::audit::AuditArgs,
    },

    /// Print the audit rules `audit` runs on this data set, as TOML to copy and edit: the generic
    /// rules (data/audit.toml), then the data set's own, if it brought any (the seed: the METI
    /// programme's). `audit --rules FILE` runs an edited copy.
    #[command(
        after_help = "Example:\n  regtrace rules > my-rules.toml && regtrace audit --rules my-rules.toml"
    )]
    Rules,

    /// Print the built-in relation catalog (data/catalog.toml) as TOML to copy and edit: which
    /// relations join which kinds, and which way a change flows along each. `--catalog FILE`
    /// (or a catalog file among the imported paths) uses an edited copy.
    #[command(
        after_help = "Example:\n  regtrace catalog > catalog.toml && regtrace --catalog catalog.toml --db reg.db import data/"
    )]
    Catalog,

    /// Check a database: SQLite's integrity check, its identity and schema, the rows validated
    /// as a data set, and the query snapshot in full (every section against its checksum).
    ///
    /// Exit status 0 when all is sound, 1 when something is not. A damaged or stale snapshot is
    /// never used (queries read the rows, with a warning); --repair rebuilds it from the rows.
    #[command(
        after_help = "Examples:\n  regtrace --db reg.db verify\n  regtrace --db reg.db verify --repair"
    )]
    Verify {
        /// Rebuild a missing, stale or damaged snapshot from the rows (when they are sound).
        #[arg(long)]
        repair: bool,
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = commands::Words::Table)]
        format: commands::Words,
    },

    /// Show one node: its fields, attributes, and incoming and outgoing relations.
    #[command(after_help = "Example:\n  regtrace show jp-pal-revision-2013 --format json")]
    Show {
        /// The node id (case-sensitive).
        id: String,
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },

    /// List nodes, optionally of some kinds only.
    #[command(after_help = "Example:\n  regtrace list --kind guideline --status published --lang ja")]
    List {
        /// Only nodes of this kind (repeatable).
        #[arg(short = 'k', long, value_name = "KIND", value_parser = commands::word::<NodeKind>)]
        kind: Vec<NodeKind>,
        /// Only nodes with this status (repeatable).
        #[arg(long, value_name = "STATUS", value_parser = commands::word::<regtrace_core::Status>)]
        status: Vec<regtrace_core::Status>,
        /// Show the first N by id (0: all). The terminal table shows the first 1000 unless told;
        /// JSON and CSV list all.
        #[arg(short = 'n', long, value_name = "N")]
        limit: Option<usize>,
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        out: OutputFile,
        /// With -o naming a symbolic link: write to the file it points to instead of refusing.
        #[arg(long, requires = "output")]
        force: bool,
    },

    /// Count nodes per kind and status, and edges per relation.
    Stats {
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },

    /// Write the data set, or part of it, as a JSON document or as a diagram.
    ///
    /// JSON is the regtrace document (catalog, nodes, edges) that `import` reads back
    /// losslessly. DOT, SVG, PNG, Mermaid and GraphML draw the selection: one shape and colour
    /// per kind, drafts dashed, withdrawn and superseded nodes greyed, relation names on the
    /// edges, and a legend. SVG and PNG use Graphviz when it is installed; without it SVG is drawn
    /// by a built-in engine and PNG is an error.
    ///
    /// Selection: the whole graph (default); `--root ID --depth N` for a neighbourhood; or
    /// `--impact-of ID` for everything a change impacts and the reason paths (changed nodes in
    /// bold). `--kind` narrows any of them.
    #[command(
        after_help = "Examples:\n  regtrace --db reg.db export -o backup.json\n  regtrace export --impact-of jp-pal-revision-2013 --format svg -o impact.svg\n  regtrace export --root gl-custom-knee --depth 2 --format mermaid\n  regtrace export --format graphml --lang ja -o regtrace.graphml\n  regtrace export --format png --cluster field -o programme.png"
    )]
    Export {
        #[command(flatten)]
        args: commands::export::ExportArgs,
    },

    /// Show a standard's editions, oldest first: dates, status, which supersedes which, which
    /// one is current, their clauses and the clause crosswalks between them.
    ///
    /// ID may be a standard_family, any edition, or a clause. Editions are found through
    /// `edition_of` (to the family) and `supersedes` (between editions); clauses through
    /// `part_of`.
    #[command(
        after_help = "Examples:\n  regtrace --db ed.db import tests/fixtures/editions      (ISO 10993-1, 2009 and 2018)\n  regtrace --db ed.db editions iso-10993-1\n  regtrace --db ed.db editions iso-10993-1-2009 --as-of 2015-01-01 --format json"
    )]
    Editions {
        /// A standard family, edition or clause.
        id: String,
        /// Decide which edition is current on this date (YYYY-MM-DD; default: today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },

    /// Compare two versions of a data set: nodes added, removed and changed (field by field),
    /// links added and removed; with --impact, what the changes impact together.
    ///
    /// Each side is a data directory or file, a database, or `git:REV:PATH` (a data directory or
    /// file as it was at a git revision, read with `git` from the current repository; PATH is
    /// relative to the current directory).
    #[command(
        after_help = "Examples:\n  regtrace diff git:HEAD~1:data data --impact\n  regtrace diff old.db new.db --format json\n  regtrace diff data-2012/ data-2013/ --impact --kind guideline"
    )]
    Diff {
        #[command(flatten)]
        args: commands::diff::DiffArgs,
    },

    /// Change events: record a change (a new edition, a law revision, a withdrawal) and open a
    /// review for everything it impacts; list recorded changes. Needs --db.
    #[command(subcommand)]
    Change(commands::change::ChangeCommand),

    /// Reviews opened by changes (the suspects): list them with their cause chains, close them
    /// with a decision. Needs --db.
    #[command(
        subcommand,
        after_help = "Examples:\n  regtrace --db reg.db review list --open\n  regtrace --db reg.db review close gl-custom-knee --outcome unchanged --by \"Knee WG\""
    )]
    Review(commands::review::ReviewCommand),

    /// A traceability matrix: which rows link to which columns, and through what.
    ///
    /// Rows are the nodes of one kind; columns the nodes of another kind, or the values of an
    /// attribute (KIND.ATTRIBUTE). A cell names the chain that links them, e.g.
    /// `requires → verified_by → specified_by (via ev-x, tm-y)`; `←` marks an edge followed
    /// backwards. Chains never pass through nodes of the row or column kind. See docs/QUERIES.md.
    #[command(
        after_help = "Examples:\n  regtrace matrix --rows guideline --cols standard\n  regtrace matrix --rows device --cols guideline --format markdown\n  regtrace matrix --rows field --cols guideline.fiscal_year --lang ja\n  regtrace matrix --rows guideline --cols standard --format xlsx -o matrix.xlsx"
    )]
    Matrix {
        #[command(flatten)]
        args: commands::matrix::MatrixArgs,
    },
}

/// Replaces Rust's panic report with a short one (see [`error::install_panic_hook`]), and the
/// bare "Bus error" of a snapshot truncated by another program with a report in words (see
/// [`error::install_bus_error_report`]). For the `regtrace` binary only: both are process-wide.
pub fn install_panic_hook() {
    error::install_panic_hook();
    error::install_bus_error_report();
}

/// Runs regtrace on a command line (`args`, the program name first), printing its answer or
/// its errors; returns the exit status: 0 done, 1 failed (or audit findings), 2 bad request
/// or bad input. Never exits the process, so it can run in process many times.
pub fn run_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let _ = output::take_write_failure();
    match Cli::try_parse_from(args) {
        Ok(cli) => match run_showing_progress(cli) {
            Ok(()) => match output::take_write_failure() {
                // The answer did not reach its reader: a script must not take it for done.
                None => ExitCode::SUCCESS,
                Some(e) => CliError::io(std::path::Path::new("standard output"), e).report(),
            },
            Err(error) => error.report(),
        },
        Err(usage) => {
            // --help and --version print to standard output and succeed; mistakes exit 2.
            let _ = usage.print();
            ExitCode::from(if usage.use_stderr() { 2 } else { 0 })
        }
    }
}

/// Runs a command with its colour decided and the spinner of [`progress`] (on a terminal),
/// cleared when it ends.
fn run_showing_progress(cli: Cli) -> Result<(), CliError> {
    colour::install(cli.color);
    // A server runs until stopped, and reloads without anyone waiting at the terminal.
    if !matches!(cli.command, Command::Serve { .. }) {
        progress::install();
    }
    let done = run(cli);
    progress::clear();
    done
}

/// `import --help`'s list of formats, then [`IMPORT_EXAMPLES`].
fn import_help() -> String {
    format!(
        "Formats (--from NAME; the others are also told by extension):\n{}\n\n{IMPORT_EXAMPLES}",
        regtrace_app::Format::help()
    )
}

/// `import --help`'s examples.
const IMPORT_EXAMPLES: &str = "Examples:
  regtrace --db reg.db import data/
  regtrace --db reg.db import nodes.csv edges.csv
  regtrace --db reg.db import data.xlsx --merge
  regtrace --db reg.db import data/ --record-changes --by \"QA\"
  regtrace --db req.db import module.reqifz --mapping map.toml
  regtrace --db fda.db import --from fda-product-classification foiclass.txt
  regtrace --db eu.db import --from eu-harmonised-standards eu_mdr/";

/// `--from NAME`.
pub(crate) fn parse_format(name: &str) -> Result<regtrace_app::Format, String> {
    regtrace_app::Format::named(name).map_err(|problem| match &problem.hint {
        Some(hint) => format!("{}; {hint}", problem.message),
        None => problem.message,
    })
}

fn run(cli: Cli) -> Result<(), CliError> {
    use commands::Globals;
    use commands::*;
    use regtrace_core::Direction;
    let globals = Globals {
        context: regtrace_app::Context {
            db: cli.db,
            catalog: cli.catalog,
            from: match &cli.command {
                Command::Import { from, .. } | Command::Check { from, .. } => *from,
                Command::Diff { args } => args.from,
                _ => None,
            },
        },
        lang: LangArg::resolve(cli.lang),
        bom: cli.bom,
    };
    let g = &globals;
    match cli.command {
        Command::Import {
            paths,
            mapping,
            record,
            ..
        } => import::import(g, &import::with_mapping(paths, mapping)?, &record),
        Command::Check { paths, mapping, .. } => import::check(g, &import::with_mapping(paths, mapping)?),
        Command::Reqif(command) => commands::reqif::run(&command),
        Command::Impact { args } => reach::run(g, &args, Direction::Impact),
        Command::Deps { args } => reach::run(g, &args, Direction::Dependencies),
        Command::Path { args } => path::run(g, &args),
        Command::Search {
            text,
            kind,
            limit,
            format,
        } => nodes::search(g, &text, &kind, limit, format),
        Command::Audit { args } => audit::run(g, &args),
        Command::Show { id, format } => nodes::show(g, &id, format),
        Command::Verify { repair, format } => verify::run(g, repair, format),
        Command::Rules => defaults::rules(g),
        Command::Catalog => defaults::catalog(),
        Command::List {
            kind,
            status,
            limit,
            format,
            out,
            force,
        } => nodes::list(g, &kind, &status, limit, format, &out, force),
        Command::Stats { format } => nodes::stats(g, format),
        Command::Export { args } => export::run(g, &args),
        Command::Matrix { args } => matrix::run(g, &args),
        Command::Editions { id, as_of, format } => editions::run(g, &id, as_of.as_deref(), format),
        Command::Diff { args } => diff::run(g, &args),
        Command::Serve { args } => serve::run(g, &args),
        Command::Report { args } => report::run(g, &args),
        Command::Init { args } => commands::init::run(g, &args),
        Command::Version { format } => {
            output::print(&match format {
                Words::Json => regtrace_render::version::json(&regtrace_app::BUILD, output::pretty_json()),
                Words::Table => regtrace_render::version::table(&regtrace_app::BUILD, g.lang),
            });
            Ok(())
        }
        Command::Completions { shell } => {
            shell::completions(<Cli as clap::CommandFactory>::command(), shell);
            Ok(())
        }
        Command::Man { output } => shell::man(<Cli as clap::CommandFactory>::command(), output.as_deref()),
        Command::Change(command) => change::run(g, &command),
        Command::Review(command) => review::run(g, &command),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn lang_parses() {
        let cli = Cli::try_parse_from(["regtrace", "list", "--lang", "ja"]).unwrap();
        assert_eq!(cli.lang, Some(LangArg::Ja));
        let cli = Cli::try_parse_from(["regtrace", "--lang", "en", "audit"]).unwrap();
        assert_eq!(cli.lang, Some(LangArg::En));
    }
}
