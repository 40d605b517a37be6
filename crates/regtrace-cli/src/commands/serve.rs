//! `serve`: the web explorer over the database (or the built-in data).

use std::net::SocketAddr;

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
    let options = regtrace_web::Options {
        context: globals.context.clone(),
        read_only: args.read_only,
        lang: globals.lang,
    };
    regtrace_web::serve(listener, options)
        .map_err(|e| CliError::request(format!("the server stopped: {e}"), None))
}
