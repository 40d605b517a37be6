//! `serve`: the web explorer over the database (or the built-in data).

use std::net::SocketAddr;
use std::time::Duration;

use super::Globals;
use crate::error::CliError;

/// Options of `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on. Only the loopback interface (this machine) unless
    /// --allow-remote is given.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub addr: SocketAddr,
    /// Listen on an address other machines can reach (the explorer has no login: anyone who
    /// reaches it can read the data, and close reviews unless --read-only).
    #[arg(long)]
    pub allow_remote: bool,
    /// Refuse every change (closing reviews): a window on the data, nothing more.
    #[arg(long)]
    pub read_only: bool,
    /// Answer also under this host name (repeatable), e.g. the name a reverse proxy passes on
    /// or the machine's name on the network: `NAME` (any port) or `NAME:PORT`. Requests naming
    /// any other host get 421 (a page on another site whose name points here cannot read or
    /// change anything). localhost, loopback addresses and the --addr address always answer.
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
    /// Seconds a client has to send a request's headers; a half-sent request, or a kept-alive
    /// connection idle that long, is closed.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// Seconds a client has to send a request's body (a review decision's form).
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout: u64,
    /// Seconds the server spends on one answer before giving up with 503 (the CLI has no
    /// such limit, for the questions too large for a page).
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub request_timeout: u64,
    /// Connections open at once; more are answered 503 and closed. Keep it under the
    /// process's limit of open files (`ulimit -n`).
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_connections: u64,
    /// The largest matrix a page shows, in cells (rows × columns); a larger one is refused
    /// with the download that gives it whole (/api/matrix.csv, streamed).
    #[arg(long, default_value_t = 250_000, value_name = "CELLS", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_matrix_cells: u64,
}

/// `regtrace serve`.
pub fn run(globals: &Globals, args: &ServeArgs) -> Result<(), CliError> {
    if !args.addr.ip().is_loopback() && !args.allow_remote {
        return Err(CliError::request(
            format!("--addr {}: not a loopback address", args.addr),
            Some(
                "the explorer has no login; to let other machines reach it, add --allow-remote (and consider --read-only)"
                    .into(),
            ),
        ));
    }
    // Opened once here, so a missing or broken database is said before listening.
    globals.open()?;
    let listener = std::net::TcpListener::bind(args.addr).map_err(|e| {
        CliError::request(
            format!("cannot listen on {}: {e}", args.addr),
            Some("choose another port with --addr 127.0.0.1:PORT".into()),
        )
    })?;
    let local = listener.local_addr().unwrap_or(args.addr);
    eprintln!(
        "regtrace: serving http://{local}/{} (Ctrl-C to stop)",
        if args.read_only { " read-only" } else { "" }
    );
    let hosts = args
        .hosts
        .iter()
        .map(|h| host_name(h))
        .collect::<Result<Vec<_>, _>>()?;
    let options = regtrace_web::Options {
        context: globals.context.clone(),
        read_only: args.read_only,
        lang: globals.lang,
        names: regtrace_web::Names {
            bound: Some(local.ip()),
            hosts,
        },
        limits: regtrace_web::Limits {
            header_timeout: Duration::from_secs(args.header_timeout),
            body_timeout: Duration::from_secs(args.body_timeout),
            request_timeout: Duration::from_secs(args.request_timeout),
            max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
            max_matrix_cells: usize::try_from(args.max_matrix_cells).unwrap_or(usize::MAX),
        },
    };
    regtrace_web::serve(listener, options)
        .map_err(|e| CliError::request(format!("the server stopped: {e}"), None))
}

/// A `--host` value as the server compares it: lower case, a name with an optional port, no
/// scheme or path (those are a mistake worth saying, not a name that never matches).
fn host_name(given: &str) -> Result<String, CliError> {
    let name = given.trim().to_ascii_lowercase();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'));
    if valid {
        Ok(name)
    } else {
        Err(CliError::request(
            format!("--host {given:?} is not a host name"),
            Some(
                "give the name alone, or NAME:PORT, e.g. --host trace.example.com (no http:// and no path)"
                    .into(),
            ),
        ))
    }
}
