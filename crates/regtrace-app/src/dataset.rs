//! Opening a data set, under one rule for every use case and every front end.
//!
//! **The rule.** A data set is the built-in seed, a database, source files or a git revision.
//! Source files and the seed are validated when read (`Graph::build`). A database answers from
//! its snapshot when the snapshot belongs to its current data (its header carries the data
//! version the database holds, and its section table checks out): the snapshot was written
//! from a validated graph by the import that wrote that version. Otherwise the rows are loaded
//! and validated again, so a hand-edited or damaged database is reported, not trusted. No use
//! case reads a database any other way.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use regtrace_core::compact::CompactGraph;
use regtrace_core::search::SearchText;
use regtrace_core::{Graph, RelationCatalog};
use regtrace_source::git::GitSource;
use regtrace_store::Store;
use regtrace_store::snapshot::Snapshot;

use crate::error::{AppError, Result};

/// The options every use case shares: which database, which catalog.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The database to read and write; `None`: the built-in seed (and no history).
    pub db: Option<PathBuf>,
    /// A relation catalog to validate source files with, instead of the built-in one.
    pub catalog: Option<PathBuf>,
    /// The format to read source files as (`--from NAME`) where their extension does not say.
    pub from: Option<regtrace_source::Format>,
}

/// Where a data set comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The seed data set compiled into regtrace.
    Seed,
    /// A regtrace database.
    Database(PathBuf),
    /// Source files and directories.
    Files(Vec<PathBuf>),
    /// Source files as they were at a git revision (`git:REV:PATH`).
    Git(String),
}

impl Origin {
    /// A name for people.
    pub fn describe(&self) -> String {
        match self {
            Origin::Seed => "built-in seed data (METI/AIST 2013)".into(),
            Origin::Database(path) => path.display().to_string(),
            Origin::Files(paths) => paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            Origin::Git(spec) => spec.clone(),
        }
    }
}

/// Whether a database's snapshot can answer for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotState {
    /// It belongs to the current data: queries read it.
    Current,
    /// A file is there but belongs to other data: queries load the rows.
    NotCurrent,
    /// It belongs to the current data but fails its checksums: queries load the rows, and
    /// `verify --repair` rebuilds it.
    Damaged,
    /// No snapshot file: queries load the rows.
    Missing,
}

impl SnapshotState {
    /// `current`, `not current` or `missing`.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotState::Current => "current",
            SnapshotState::NotCurrent => "not current",
            SnapshotState::Damaged => "damaged",
            SnapshotState::Missing => "missing",
        }
    }
}

/// An open data set: the graph (loaded once, when first asked for), and for a database its
/// store and current snapshot.
pub struct DataSet {
    origin: Origin,
    /// Behind a mutex so a data set can be shared between threads (the web server answers
    /// several requests at once); SQLite connections are not shared.
    store: Option<Mutex<Store>>,
    snapshot: Option<Snapshot>,
    snapshot_state: Option<SnapshotState>,
    /// Something a person should know about how the data is read (a damaged snapshot ignored).
    warning: Option<String>,
    /// The graph and the version of the data it was read from.
    loaded: OnceLock<(Graph, Option<String>)>,
    /// The graph's search text, built when first searched (a current snapshot holds its own).
    search_text: OnceLock<SearchText<'static>>,
    /// The data set's own audit rules (files of `[[rule]]` tables that came with it), as
    /// (file, text); a database keeps those of its last import.
    audit_rules: Vec<(String, String)>,
}

impl Context {
    /// A context for a database (or the seed, with `None`) and the built-in catalog.
    pub fn new(db: Option<PathBuf>) -> Context {
        Context {
            db,
            catalog: None,
            from: None,
        }
    }

    /// The catalog named by [`Context::catalog`], if any.
    pub fn relation_catalog(&self) -> Result<Option<RelationCatalog>> {
        Ok(self
            .catalog
            .as_deref()
            .map(regtrace_source::load_catalog)
            .transpose()?)
    }

    /// The data set the commands read: the database, or the built-in seed without one.
    pub fn open(&self) -> Result<DataSet> {
        match &self.db {
            Some(path) => DataSet::database(path),
            None => {
                let catalog = self
                    .relation_catalog()?
                    .unwrap_or_else(regtrace_source::embedded::catalog);
                let loaded = regtrace_source::load_texts_all(regtrace_source::embedded::SEED, Some(catalog))?;
                Ok(DataSet::of(Origin::Seed, loaded.graph).with_audit_rules(loaded.audit_rules))
            }
        }
    }

    /// The database, for the use cases that keep history (changes and reviews): an error that
    /// says how to name one when none is.
    pub fn open_history(&self) -> Result<DataSet> {
        match &self.db {
            Some(path) => DataSet::database(path),
            None => Err(no_history()),
        }
    }

    /// A data set named on the command line: `git:REV:PATH`, a database (told by its file
    /// header), or source files.
    pub fn open_named(&self, spec: &str) -> Result<DataSet> {
        if let Some(git) = GitSource::parse(spec) {
            let git = git.map_err(|d| AppError::Invalid(regtrace_core::Diagnostics(vec![d])))?;
            let graph = regtrace_source::git::load_git(&git, self.relation_catalog()?)?;
            return Ok(DataSet::of(Origin::Git(spec.to_owned()), graph));
        }
        let path = Path::new(spec);
        if regtrace_store::is_database(path) {
            DataSet::database(path)
        } else {
            let paths = vec![path.to_path_buf()];
            let loaded = self.validate_all(&paths)?;
            Ok(DataSet::of(Origin::Files(paths), loaded.graph).with_audit_rules(loaded.audit_rules))
        }
    }

    /// Source files read and validated: every problem, or the graph.
    pub fn validate(&self, paths: &[PathBuf]) -> Result<Graph> {
        Ok(self.validate_all(paths)?.graph)
    }

    /// What `check` answers: the files validated as `import` validates them (the data set's own
    /// rules files and `[report]` table too, see [`crate::audit::check_rules_files`]), nothing
    /// written.
    pub fn check(&self, paths: &[PathBuf]) -> Result<Graph> {
        let loaded = self.validate_all(paths)?;
        crate::audit::check_rules_files(&loaded.audit_rules, &loaded.graph)?;
        Ok(loaded.graph)
    }

    /// [`Context::validate`], keeping the audit rules files found among the inputs.
    pub fn validate_all(&self, paths: &[PathBuf]) -> Result<regtrace_source::Loaded> {
        crate::progress::phase(|| match paths {
            [one] => format!("reading and validating {}", one.display()),
            many => format!("reading and validating {} files", many.len()),
        });
        Ok(regtrace_source::load_all_from(
            paths,
            self.from,
            self.relation_catalog()?,
        )?)
    }
}

/// A database path that names a directory is a mistake worth saying plainly (SQLite would say
/// "unable to open database file").
pub(crate) fn not_a_directory(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(AppError::request(
            format!("{} is a directory, not a database", path.display()),
            Some(format!(
                "name the database file, e.g. --db {}",
                path.join("reg.db").display()
            )),
        ));
    }
    Ok(())
}

/// What a database's snapshot file is, checked in full (the layout, then every section against
/// its checksum): the one place both the data-set rule and `verify` decide it.
pub(crate) enum Examined {
    /// Belongs to the current data and passes every check.
    Sound(Snapshot),
    /// Belongs to the current data and fails a check: why.
    Damaged(String),
    /// A file of other data (left by an interrupted import).
    NotCurrent,
    /// A file of the current data written by an older regtrace (in an older format).
    Older,
    /// No file, for data that has a version.
    Missing,
    /// No file, and no data imported yet.
    Empty,
}

/// The whole graph a database holds, with its data version: decoded from `snapshot` (one that
/// [`examine_snapshot`] found sound) when it decodes, else loaded from the rows (validated).
pub(crate) fn whole_graph(store: &Store, snapshot: Option<&Snapshot>) -> Result<(Graph, Option<String>)> {
    let from_snapshot = snapshot.and_then(|s| {
        let graph = s.graph().and_then(|c| c.to_graph()).ok()?;
        Some((graph, s.id()))
    });
    Ok(match from_snapshot {
        Some(loaded) => loaded,
        None => store.load_versioned()?,
    })
}

pub(crate) fn examine_snapshot(store: &Store) -> Result<Examined> {
    let version = store.data_version()?;
    if let Some(s) = store.snapshot()?
        && version.is_some()
        && s.id() == version
    {
        if !s.is_current_format() {
            return Ok(Examined::Older);
        }
        return Ok(match s.verify() {
            Ok(()) => Examined::Sound(s),
            Err(damage) => Examined::Damaged(damage.0),
        });
    }
    Ok(if regtrace_store::snapshot::path_for(store.path()).exists() {
        Examined::NotCurrent
    } else if version.is_none() {
        Examined::Empty
    } else {
        Examined::Missing
    })
}

/// The error of a history use case without a database.
pub(crate) fn no_history() -> AppError {
    AppError::request(
        "change events and reviews are kept in a database, and none is named",
        Some(
            "give --db FILE (or set REGTRACE_DB); create one with `regtrace --db FILE import DATA_DIR`"
                .into(),
        ),
    )
}

impl DataSet {
    /// A data set already read and validated.
    pub fn of(origin: Origin, graph: Graph) -> DataSet {
        DataSet {
            origin,
            store: None,
            snapshot: None,
            snapshot_state: None,
            warning: None,
            loaded: OnceLock::from((graph, None)),
            search_text: OnceLock::new(),
            audit_rules: Vec::new(),
        }
    }

    /// The data set with its own audit rules.
    pub fn with_audit_rules(mut self, rules: Vec<(String, String)>) -> DataSet {
        self.audit_rules = rules;
        self
    }

    /// The data set's own audit rules, as (file, text): used by `audit` with the generic ones.
    pub fn audit_rules(&self) -> &[(String, String)] {
        &self.audit_rules
    }

    /// Opens the database at `path` (never creating one); see the module's rule. A snapshot of
    /// the current data is checked in full (every section against its checksum) before it is
    /// used; one that fails is ignored with a warning ([`DataSet::warning`]), and the rows answer.
    pub fn database(path: &Path) -> Result<DataSet> {
        not_a_directory(path)?;
        let store = Store::open(path)?;
        let (snapshot, state, warning) = match examine_snapshot(&store)? {
            Examined::Sound(s) => (Some(s), SnapshotState::Current, None),
            Examined::Damaged(damage) => {
                let warning = format!(
                    "the query snapshot of {} is damaged ({damage}); answering from the rows instead (slower); \
                     `regtrace --db {} verify --repair` rebuilds it",
                    path.display(),
                    path.display()
                );
                (None, SnapshotState::Damaged, Some(warning))
            }
            Examined::NotCurrent => (None, SnapshotState::NotCurrent, None),
            Examined::Older => {
                let warning = format!(
                    "the query snapshot of {} was written by an older regtrace; answering from the rows \
                     instead (slower); `regtrace --db {} verify --repair` rewrites it",
                    path.display(),
                    path.display()
                );
                (None, SnapshotState::NotCurrent, Some(warning))
            }
            Examined::Missing | Examined::Empty => (None, SnapshotState::Missing, None),
        };
        let audit_rules = store.audit_rules()?;
        Ok(DataSet {
            origin: Origin::Database(path.to_path_buf()),
            store: Some(Mutex::new(store)),
            snapshot,
            snapshot_state: Some(state),
            warning,
            loaded: OnceLock::new(),
            search_text: OnceLock::new(),
            audit_rules,
        })
    }

    /// What a person should be told about how this data set is read, if anything: a damaged
    /// snapshot that was ignored. Front ends show it once, apart from the answer.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Where the data comes from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The whole graph: from the snapshot when it is current, else the rows (validated).
    pub fn graph(&self) -> Result<&Graph> {
        self.loaded().map(|(graph, _)| graph)
    }

    /// The version of the data [`DataSet::graph`] holds (a database's data version; `None` for
    /// other data sets and empty databases). A write computed from this data passes it back to
    /// the store, which refuses it if another import came in between.
    pub fn version(&self) -> Result<Option<&str>> {
        self.loaded().map(|(_, version)| version.as_deref())
    }

    fn loaded(&self) -> Result<&(Graph, Option<String>)> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded);
        }
        let store = self.store()?;
        crate::progress::phase(|| "loading the data".into());
        let loaded = whole_graph(&store, self.snapshot.as_ref())?;
        Ok(self.loaded.get_or_init(|| loaded))
    }

    /// The database's snapshot as a graph view, read in place, when it is current (see the
    /// module's rule); `None` for other data sets. Answers that need only adjacency, kinds and
    /// titles (impact, deps) read it instead of building the whole graph.
    pub fn compact(&self) -> Option<CompactGraph<'_>> {
        self.snapshot.as_ref().and_then(|s| s.graph().ok())
    }

    /// The data version the current snapshot was written for (with [`DataSet::compact`]): what
    /// a write computed from the snapshot passes back to the store, as [`DataSet::version`].
    pub fn snapshot_version(&self) -> Option<String> {
        self.snapshot.as_ref().and_then(|s| s.id())
    }

    /// The search text of [`DataSet::graph`], built once (a server searches it many times).
    pub fn search_text(&self) -> Result<&SearchText<'static>> {
        if let Some(text) = self.search_text.get() {
            return Ok(text);
        }
        let text = SearchText::of(self.graph()?);
        Ok(self.search_text.get_or_init(|| text))
    }

    /// For a database, the state of its snapshot.
    pub fn snapshot_state(&self) -> Option<SnapshotState> {
        self.snapshot_state
    }

    /// The database, for reading history; an error if the data set is not one.
    pub fn store(&self) -> Result<MutexGuard<'_, Store>> {
        let store = self.store.as_ref().ok_or_else(no_history)?;
        // A panic while the connection was held leaves it usable: SQLite rolled back.
        Ok(store.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// The database, for writing history.
    pub(crate) fn store_mut(&mut self) -> Result<&mut Store> {
        let store = self.store.as_mut().ok_or_else(no_history)?;
        Ok(store.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}
