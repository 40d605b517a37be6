//! The accept loop: each connection served by hyper's HTTP/1 with a header-read timeout (which
//! also closes a kept-alive connection left idle), and at most [`Limits::max_connections`] open
//! at once; one more gets a plain 503 and is closed, so idle or half-sent sockets cannot starve
//! the server of descriptors.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use crate::state::Options;

/// Serves the data `options` names on `listener` until the process is stopped (a runtime of
/// its own: the caller is plain, blocking code).
pub fn serve(listener: std::net::TcpListener, options: Options) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let limits = options.limits.clone();
        let app = crate::router(options);
        let slots = Arc::new(Semaphore::new(limits.max_connections));
        loop {
            // Out of descriptors or a connection reset before it was taken: not the end of the
            // server. A pause lets open connections time out and free theirs.
            let Ok((stream, _)) = listener.accept().await else {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                tokio::spawn(turn_away(stream, limits.max_connections));
                continue;
            };
            let _ = stream.set_nodelay(true);
            let service = TowerToHyperService::new(app.clone());
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_headers(64);
            tokio::spawn(async move {
                // Errors here are the client's (gone, timed out, malformed): nothing to report.
                let _ = http.serve_connection(TokioIo::new(stream), service).await;
                drop(slot);
            });
        }
    })
}

/// Answers a connection over the limit with 503 and closes it, without reading its request.
async fn turn_away(mut stream: TcpStream, max: usize) {
    let body = format!(
        "the server has {max} connections open, its limit (--max-connections): try again in a moment\nサーバーの接続数が上限（{max}）に達しています。しばらくしてから再度お試しください\n"
    );
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}
