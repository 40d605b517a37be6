//! What the server keeps between requests: the data set, loaded once and reloaded when the
//! database changes, and the token state-changing forms must carry.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::http::StatusCode;
use regtrace_app::{AppError, Context, DataSet};
use regtrace_core::Lang;

/// How the server was started.
#[derive(Debug, Clone)]
pub struct Options {
    /// The database (or the built-in seed) and catalog, as the CLI takes them.
    pub context: Context,
    /// Refuse every state change (closing reviews).
    pub read_only: bool,
    /// The title language of pages that do not say (`?lang=ja|en` does).
    pub lang: Lang,
    /// The names it answers under besides the loopback ones.
    pub names: crate::door::Names,
    /// Its timeouts and connection limit.
    pub limits: crate::door::Limits,
}

/// The state every request shares.
pub struct Shared {
    pub options: Options,
    /// The token each form carries back; made at start, never shown outside the pages.
    pub csrf: String,
    data: Mutex<Option<Loaded>>,
    /// Large answers (matrices, whole impacts, the audit) run here, one at a time per thread
    /// of this pool, so that their parallel work never queues ahead of a search or a node page
    /// in the global pool (measured: with four large answers sharing it, a search's 95th
    /// percentile went from 42 ms to 10.6 s).
    large: rayon::ThreadPool,
    /// How many large answers may run or wait at once; one more is answered 503 at once.
    large_slots: Arc<tokio::sync::Semaphore>,
}

/// Large answers running or waiting at once, at most.
const LARGE_AT_ONCE: usize = 2;

/// The data set as loaded, and what the database files looked like then. Requests share it:
/// each takes a reference and answers without holding the lock.
struct Loaded {
    data: Arc<DataSet>,
    stamp: Stamp,
}

/// The database file and its write-ahead log: size and time of last change of each.
type Stamp = Vec<Option<(u64, SystemTime)>>;

fn stamp(db: Option<&Path>) -> Stamp {
    let Some(db) = db else {
        return Vec::new();
    };
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    [db, Path::new(&wal)]
        .iter()
        .map(|p| {
            std::fs::metadata(p)
                .ok()
                .and_then(|m| Some((m.len(), m.modified().ok()?)))
        })
        .collect()
}

impl Shared {
    /// The state for `options`, with a fresh token.
    pub fn new(options: Options) -> Shared {
        let mut bytes = [0u8; 24];
        // Without the OS's randomness (never seen on the systems regtrace runs on), forms are
        // refused rather than protected by a guessable token.
        let csrf = match getrandom::fill(&mut bytes) {
            Ok(()) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
            Err(_) => String::new(),
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1));
        let large = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("regtrace-large-{i}"))
            .build()
            .or_else(|_| rayon::ThreadPoolBuilder::new().num_threads(1).build())
            .expect("a thread pool of one thread");
        Shared {
            options,
            csrf,
            data: Mutex::new(None),
            large,
            large_slots: Arc::new(tokio::sync::Semaphore::new(LARGE_AT_ONCE)),
        }
    }

    /// Runs `answer` over the data set, loading it first if this is the first request or the
    /// database changed since.
    pub fn with_data<R>(&self, answer: impl FnOnce(&DataSet) -> Result<R, Failure>) -> Result<R, Failure> {
        let data = {
            let mut guard = self.data.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let db = self.options.context.db.as_deref();
            match guard.as_ref() {
                Some(loaded) if loaded.stamp == stamp(db) => Arc::clone(&loaded.data),
                _ => {
                    *guard = None;
                    let data = Arc::new(self.options.context.open()?);
                    // Taken once the database is open: opening it in WAL mode creates its log,
                    // and closing the last connection removes it, which is no change of the data.
                    *guard = Some(Loaded {
                        data: Arc::clone(&data),
                        stamp: stamp(db),
                    });
                    data
                }
            }
        };
        answer(&data)
    }

    /// Whether a form's token is this server's.
    pub fn token_ok(&self, token: Option<&str>) -> bool {
        !self.csrf.is_empty()
            && token.is_some_and(|t| {
                t.len() == self.csrf.len()
                    && t.bytes()
                        .zip(self.csrf.bytes())
                        .fold(0, |acc, (a, b)| acc | (a ^ b))
                        == 0
            })
    }
}

/// Why a request was not answered.
#[derive(Debug)]
pub enum Failure {
    /// The use case refused or failed.
    App(AppError),
    /// No such page or node.
    NotFound(String),
    /// A malformed request.
    BadRequest(String),
    /// A state change the server does not allow (read-only, or no valid token).
    Forbidden(String),
    /// Too many large answers under way: try again in a moment.
    Busy,
    /// Something that should not happen.
    Internal(String),
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure::App(error)
    }
}

impl Failure {
    /// The HTTP status: a mistake the person asking can fix (an unknown id, a bad value, data
    /// that does not validate, a review already closed) is theirs, a 4xx with the hint; only
    /// what they cannot fix is a 5xx.
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::App(AppError::UnknownNode { .. }) => StatusCode::NOT_FOUND,
            Failure::App(AppError::Request { .. }) | Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::App(AppError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::App(AppError::Busy(_)) | Failure::Busy => StatusCode::SERVICE_UNAVAILABLE,
            // The store's refusals a person can act on: the review is already closed (or not
            // yet), the history exists, the database is read-only, older or newer.
            Failure::App(error) if error.is_users_to_fix() => StatusCode::CONFLICT,
            Failure::App(_) | Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
        }
    }

    /// What went wrong, and how to fix it if that is known.
    pub fn message(&self) -> (String, Option<String>) {
        match self {
            Failure::App(AppError::Request { message, hint } | AppError::UnknownNode { message, hint }) => {
                (message.clone(), hint.clone())
            }
            // The use case's own hint (e.g. what to do while another process holds the lock),
            // as the CLI prints it.
            Failure::App(error) => (error.to_string(), error.hint()),
            Failure::NotFound(m) | Failure::BadRequest(m) | Failure::Forbidden(m) | Failure::Internal(m) => {
                (m.clone(), None)
            }
            Failure::Busy => (
                format!("the server is answering {LARGE_AT_ONCE} large questions (matrices, whole impacts, the audit) already / 大きな問い合わせを処理中です"),
                Some("try again in a moment, or ask the CLI, which answers on your own machine / しばらくしてから再度お試しください".into()),
            ),
        }
    }
}

/// Runs a large answer's blocking work in the pool of its own ([`Shared::large`]), if one of the
/// [`LARGE_AT_ONCE`] places is free; 503 at once otherwise.
pub async fn blocking_large<R: Send + 'static>(
    shared: &Arc<Shared>,
    work: impl FnOnce(&Shared) -> Result<R, Failure> + Send + 'static,
) -> Result<R, Failure> {
    let slot = large_slot(shared)?;
    let shared = Arc::clone(shared);
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        shared.large.install(|| work(&shared))
    })
    .await
    .unwrap_or_else(|e| Err(Failure::Internal(format!("the request failed: {e}"))))
}

/// The place a streamed large answer holds while it runs (see [`blocking_large`]).
pub fn large_slot(shared: &Shared) -> Result<tokio::sync::OwnedSemaphorePermit, Failure> {
    Arc::clone(&shared.large_slots)
        .try_acquire_owned()
        .map_err(|_| Failure::Busy)
}

/// Runs `work` in the large answers' pool.
pub fn in_large_pool<R: Send>(shared: &Shared, work: impl FnOnce() -> R + Send) -> R {
    shared.large.install(work)
}

/// Runs blocking work (SQLite, a traversal) off the async threads.
pub async fn blocking<R: Send + 'static>(
    shared: &Arc<Shared>,
    work: impl FnOnce(&Shared) -> Result<R, Failure> + Send + 'static,
) -> Result<R, Failure> {
    let shared = Arc::clone(shared);
    tokio::task::spawn_blocking(move || work(&shared))
        .await
        .unwrap_or_else(|e| Err(Failure::Internal(format!("the request failed: {e}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_large_answer_beyond_the_places_is_a_503_at_once_and_runs_again_after() {
        let shared = Arc::new(Shared::new(Options {
            context: regtrace_app::Context::new(None),
            read_only: true,
            lang: Lang::En,
            names: crate::door::Names::default(),
            limits: crate::door::Limits::default(),
        }));
        let held: Vec<_> = (0..LARGE_AT_ONCE).map(|_| large_slot(&shared).unwrap()).collect();
        let refused = blocking_large(&shared, |_| Ok(())).await.unwrap_err();
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(refused.message().0.contains("large questions") && refused.message().0.contains("処理中"));
        drop(held);
        // In the large answers' own pool, not the global one.
        let pool = blocking_large(&shared, |_| {
            Ok(rayon::current_thread_index().is_some()
                && std::thread::current()
                    .name()
                    .is_some_and(|n| n.starts_with("regtrace-large-")))
        })
        .await;
        assert_eq!(pool.ok(), Some(true));
    }

    #[test]
    fn a_locked_database_is_a_503_with_the_clis_hint() {
        let closed = Failure::App(AppError::Store(regtrace_app::StoreError::AlreadyClosed(3)));
        assert_eq!(
            closed.status(),
            StatusCode::CONFLICT,
            "a person's mistake is a 4xx"
        );
        let invalid = Failure::App(AppError::Invalid(regtrace_core::Diagnostics::default()));
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let busy = Failure::App(AppError::Busy(regtrace_app::StoreError::Missing("x.db".into())));
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        let (_, hint) = busy.message();
        assert!(hint.is_some_and(|h| h.contains("another process") && h.contains("nothing was written")));
    }
}
