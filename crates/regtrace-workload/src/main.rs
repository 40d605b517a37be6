//! `regtrace-workload --scale S --seed N --out DIR`: writes the benchmark workload as
//! DIR/nodes.csv and DIR/edges.csv and prints a JSON summary (counts, the most-cited and a
//! typical standard).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Writes regtrace's benchmark workload (see the crate docs for its shape).
#[derive(Debug, Parser)]
#[command(name = "regtrace-workload", version)]
struct Args {
    /// Scale factor: 1.0 is about 0.92 M nodes and 2.1 M edges.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Seed of the generator; the same seed and scale give the same files.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Directory to write nodes.csv and edges.csv into (created if missing).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if !(args.scale > 0.0 && args.scale <= 100.0) {
        eprintln!("error: --scale must be above 0 and at most 100");
        return ExitCode::from(2);
    }
    let result = std::fs::create_dir_all(&args.out)
        .and_then(|()| regtrace_workload::write_csv(args.scale, args.seed, &args.out));
    match result {
        Ok(summary) => {
            let json = serde_json::json!({
                "scale": args.scale,
                "seed": args.seed,
                "nodes": summary.nodes,
                "edges": summary.edges,
                "most_cited": summary.most_cited,
                "typical": summary.typical,
            });
            #[allow(
                clippy::print_stdout,
                reason = "a benchmark tool's one-line summary, for scripts"
            )]
            {
                println!("{json}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}
