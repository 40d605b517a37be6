//! The door every request passes: the server answers only under its own names (no DNS
//! rebinding), takes a state change only from its own pages' origin, bounds the time a request
//! may take and the size of what it sends, and sets the headers every response carries.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::Shared;

/// The longest query string answered (a page's filters fit many times over).
pub const MAX_QUERY: usize = 8 * 1024;
/// The largest request body read (a review decision's form).
pub const MAX_BODY: usize = 16 * 1024;

/// The names a server answers under, besides the loopback ones.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// The address the server listens on: requests may name it (an address other machines
    /// reach, with `--allow-remote`). When it is the unspecified address (`0.0.0.0`, `::`),
    /// any address is accepted: a rebinding page always sends a name, never an address.
    pub bound: Option<IpAddr>,
    /// Host names given with `--host` (lower case), each alone (any port) or `NAME:PORT`.
    pub hosts: Vec<String>,
}

impl Names {
    /// Whether `host` (a `Host` header's value) is one of this server's names.
    pub fn accepts(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = split_host(&host);
        if name.is_empty() {
            return false;
        }
        if name == "localhost" {
            return true;
        }
        let literal = match name.strip_prefix('[') {
            Some(inner) => match inner.strip_suffix(']').map(str::parse::<Ipv6Addr>) {
                Some(Ok(v6)) => Some(IpAddr::V6(v6)),
                _ => return false,
            },
            None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        };
        if let Some(ip) = literal {
            return ip.is_loopback()
                || self
                    .bound
                    .is_some_and(|bound| bound.is_unspecified() || bound == ip);
        }
        self.hosts.iter().any(|allowed| match split_host(allowed) {
            (allowed_name, None) => allowed_name == name,
            (allowed_name, Some(allowed_port)) => allowed_name == name && Some(allowed_port) == port,
        })
    }
}

/// `name[:port]`, with an IPv6 address in brackets kept whole.
fn split_host(host: &str) -> (&str, Option<&str>) {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => {
                let port = host[end + 1..].strip_prefix(':');
                (&host[..=end], port)
            }
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => (name, Some(port)),
        _ => (host, None),
    }
}

/// The limits a server keeps: each has a command-line option and a stated default.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time a client has to send a request's headers, counted from the moment the server waits
    /// for them: a half-sent request and a kept-alive connection left idle are both closed then.
    pub header_timeout: Duration,
    /// Time a client has to send a request's body once its headers are in.
    pub body_timeout: Duration,
    /// Time the server spends answering one request; past it the answer is 503 and the work is
    /// abandoned.
    pub request_timeout: Duration,
    /// Connections open at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// The most cells a matrix page (or its JSON answer) holds; a larger matrix is refused
    /// before it is computed, with the download that streams it whole.
    pub max_matrix_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_connections: 64,
            max_matrix_cells: 250_000,
        }
    }
}

/// A refusal at the door: a status and a bilingual plain-text body (no page: the request may
/// not be this server's to answer at all).
pub fn refusal(status: StatusCode, en: &str, ja: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{en}\n{ja}\n"),
    )
        .into_response()
}

/// The checks of the door, then the request, then the headers every response carries.
pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let mut response = match admit(&shared, request).await {
        Ok(request) => {
            match tokio::time::timeout(shared.options.limits.request_timeout, next.run(request)).await {
                Ok(response) => response,
                Err(_) => refusal(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &format!(
                        "the answer took longer than {} s and was abandoned: narrow the question (a kind, a limit, fewer rows), or ask the CLI, which has no time limit",
                        shared.options.limits.request_timeout.as_secs()
                    ),
                    &format!(
                        "回答に {} 秒以上かかったため中止しました。種別や件数で絞り込むか、時間制限のない CLI をお使いください",
                        shared.options.limits.request_timeout.as_secs()
                    ),
                ),
            }
        }
        Err(refused) => refused,
    };
    let headers = response.headers_mut();
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; object-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Not `no-referrer`: under it a browser sends `Origin: null` with a form's POST, and
        // the server could not tell its own forms from another site's.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    // A response that set its own policy (the diagram, framed by its page) keeps it.
    for (name, value) in fixed {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}

/// The request if the door lets it in (its body read, for a state change), else the refusal.
async fn admit(shared: &Shared, request: Request) -> Result<Request, Response> {
    let host = request_host(&request);
    if !host.as_deref().is_some_and(|h| shared.options.names.accepts(h)) {
        return Err(refusal(
            StatusCode::MISDIRECTED_REQUEST,
            &format!(
                "this server does not answer under the name {:?}: open it as http://localhost:PORT/ or http://127.0.0.1:PORT/, or start it with --host NAME to answer under another name (behind a reverse proxy, the name the proxy passes on)",
                host.unwrap_or_default()
            ),
            "このサーバーはその名前では応答しません。http://localhost:ポート/ または http://127.0.0.1:ポート/ で開くか、別の名前で応答させるには --host 名前 を付けて起動してください",
        ));
    }
    if request.uri().query().is_some_and(|q| q.len() > MAX_QUERY) {
        return Err(refusal(
            StatusCode::URI_TOO_LONG,
            "the query string is too long",
            "クエリ文字列が長すぎます",
        ));
    }
    if request.method() == Method::GET || request.method() == Method::HEAD {
        return Ok(request);
    }
    if !same_origin(request.headers(), host.as_deref().unwrap_or_default()) {
        return Err(refusal(
            StatusCode::FORBIDDEN,
            "a change is taken only from this server's own pages (the request's Origin or Referer is another site's, or missing): open the reviews page of this server and send the form from there",
            "変更はこのサーバー自身のページからのみ受け付けます（Origin または Referer が他のサイトのものか、ありません）。このサーバーのレビュー画面からフォームを送ってください",
        ));
    }
    read_body(shared, request).await
}

/// The name the request was sent to: its `Host` header, or the authority of an absolute URI.
fn request_host(request: &Request) -> Option<String> {
    match request.headers().get(header::HOST) {
        Some(value) => value.to_str().ok().map(str::to_owned),
        None => request.uri().authority().map(|a| a.as_str().to_owned()),
    }
}

/// Whether the page that sent a state change is one of this server's: its `Origin` (or, from
/// a browser that sends none, its `Referer`) is `http(s)://` followed by the very name the
/// request was sent to.
fn same_origin(headers: &HeaderMap, host: &str) -> bool {
    let origin = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(origin) = origin else {
        return false;
    };
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty() && authority.eq_ignore_ascii_case(host.trim())
}

/// Reads a state change's body within the body time limit and the size limit, so a slow or
/// endless sender holds no worker.
async fn read_body(shared: &Shared, request: Request) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    let limit = shared.options.limits.body_timeout;
    match tokio::time::timeout(limit, axum::body::to_bytes(body, MAX_BODY)).await {
        Ok(Ok(bytes)) => Ok(Request::from_parts(parts, Body::from(bytes))),
        Ok(Err(_)) => Err(refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the request body is larger than {} KiB", MAX_BODY / 1024),
            &format!("リクエストの本文が {} KiB を超えています", MAX_BODY / 1024),
        )),
        Err(_) => Err(refusal(
            StatusCode::REQUEST_TIMEOUT,
            &format!("the request body did not arrive within {} s", limit.as_secs()),
            &format!("リクエストの本文が {} 秒以内に届きませんでした", limit.as_secs()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_bound_address_and_given_hosts_only() {
        let names = Names {
            bound: Some("127.0.0.1".parse().unwrap()),
            hosts: vec!["trace.example.com".into(), "proxy.local:8443".into()],
        };
        for ok in [
            "localhost:8080",
            "LOCALHOST",
            "127.0.0.1:18181",
            "127.1.2.3",
            "[::1]:80",
            "trace.example.com",
            "Trace.Example.com:443",
            "proxy.local:8443",
        ] {
            assert!(names.accepts(ok), "{ok}");
        }
        for refused in [
            "evil.example:18181",
            "localhost.evil.example",
            "10.0.0.5:8080",
            "proxy.local:8080",
            "proxy.local",
            "",
            ":8080",
            "[::1",
        ] {
            assert!(!names.accepts(refused), "{refused}");
        }
        let anywhere = Names {
            bound: Some("0.0.0.0".parse().unwrap()),
            hosts: Vec::new(),
        };
        assert!(anywhere.accepts("192.0.2.7:8080"));
        assert!(!anywhere.accepts("evil.example"));
    }

    #[test]
    fn only_the_servers_own_origin_may_change_anything() {
        let headers = |pairs: &[(header::HeaderName, &str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(k.clone(), HeaderValue::from_str(v).unwrap());
            }
            map
        };
        let host = "127.0.0.1:8080";
        assert!(same_origin(
            &headers(&[(header::ORIGIN, "http://127.0.0.1:8080")]),
            host
        ));
        assert!(same_origin(
            &headers(&[(header::ORIGIN, "https://127.0.0.1:8080")]),
            host
        ));
        assert!(same_origin(
            &headers(&[(header::REFERER, "http://127.0.0.1:8080/reviews?state=open")]),
            host
        ));
        for refused in [
            headers(&[]),
            headers(&[(header::ORIGIN, "null")]),
            headers(&[(header::ORIGIN, "http://evil.example:8080")]),
            headers(&[(header::ORIGIN, "http://127.0.0.1:8081")]),
            headers(&[(header::ORIGIN, "http://127.0.0.1:8080.evil.example")]),
            headers(&[(header::REFERER, "http://evil.example/?http://127.0.0.1:8080")]),
            // An Origin decides; a Referer beside it does not overrule it.
            headers(&[
                (header::ORIGIN, "http://evil.example"),
                (header::REFERER, "http://127.0.0.1:8080/"),
            ]),
        ] {
            assert!(!same_origin(&refused, host), "{refused:?}");
        }
    }
}
