//! Answers too large to hold: written by the use case's own writer (the CLI's, byte for byte)
//! into a bounded channel that the response body drains, so memory is bounded by the channel,
//! not by the answer; when the client goes away the body is dropped, the next write fails, and
//! the work stops.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use regtrace_app::DataSet;
use tokio::sync::{mpsc, oneshot};

use crate::state::{Failure, Shared};

/// Chunks in flight between the writer and the client, each up to [`CHUNK`] bytes.
const CHUNKS_IN_FLIGHT: usize = 8;
/// The size of one chunk of a streamed answer.
const CHUNK: usize = 64 * 1024;

/// Whoever waits for the status line: told once, Ok when the answer starts, or the failure.
type Ready = Arc<Mutex<Option<oneshot::Sender<Result<(), Failure>>>>>;

/// The go-ahead a streamed answer's work gets once it has checked the request: the writer to
/// write the answer to. Until it is taken, a failure is answered with its status; after, the
/// answer is under way and a failure cuts it short (the client sees an incomplete body).
pub struct Start {
    ready: Ready,
    chunks: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Start {
    /// The request is sound: the status line goes out, and the answer is written to the result.
    pub fn writer(self) -> ChannelWriter {
        if let Some(ready) = take(&self.ready) {
            let _ = ready.send(Ok(()));
        }
        ChannelWriter {
            buffer: Vec::with_capacity(CHUNK),
            chunks: self.chunks,
        }
    }
}

fn take(ready: &Ready) -> Option<oneshot::Sender<Result<(), Failure>>> {
    ready
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take()
}

/// A writer whose bytes go to the client in chunks, waiting while the client is behind.
pub struct ChannelWriter {
    buffer: Vec<u8>,
    chunks: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

fn gone() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.chunks.blocking_send(Ok(chunk)).map_err(|_| gone())
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.chunks.is_closed() {
            return Err(gone());
        }
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

/// Answers with what `work` writes: it checks the request, takes the writer from [`Start`],
/// and writes the answer (`large`: with the large answers, see [`crate::state::blocking_large`]). `headers` go out with a 200 once it has taken the writer; a failure
/// before that is answered by `failed`.
pub async fn streamed<W>(
    shared: &Arc<Shared>,
    large: bool,
    headers: Vec<(HeaderName, HeaderValue)>,
    failed: fn(&Failure) -> Response,
    work: W,
) -> Response
where
    W: FnOnce(&DataSet, Start) -> Result<(), Failure> + Send + 'static,
{
    // A large one (a whole matrix) runs in their pool, holding one of their places; an impact
    // streams its hits as they are written and walks the graph once, as a page does.
    let slot = if large {
        match crate::state::large_slot(shared) {
            Ok(slot) => Some(slot),
            Err(failure) => return failed(&failure),
        }
    } else {
        None
    };
    let (sender, checked) = oneshot::channel();
    let ready: Ready = Arc::new(Mutex::new(Some(sender)));
    let (chunks, mut received) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let shared = Arc::clone(shared);
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let start = Start {
            ready: Arc::clone(&ready),
            chunks: chunks.clone(),
        };
        let answered = if large {
            crate::state::in_large_pool(&shared, || shared.with_data(|data| work(data, start)))
        } else {
            shared.with_data(|data| work(data, start))
        };
        if let Err(failure) = answered {
            match take(&ready) {
                Some(waiting) => {
                    let _ = waiting.send(Err(failure));
                }
                None => {
                    let _ = chunks.blocking_send(Err(std::io::Error::other(failure.message().0)));
                }
            }
        }
    });
    match checked.await {
        Ok(Ok(())) => {
            let stream = futures_util::stream::poll_fn(move |cx| received.poll_recv(cx));
            let mut response = (StatusCode::OK, Body::from_stream(stream)).into_response();
            response.headers_mut().extend(headers);
            response
        }
        Ok(Err(failure)) => failed(&failure),
        Err(_) => failed(&Failure::Internal("the answer was abandoned".into())),
    }
}
