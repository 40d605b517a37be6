//! The `regtrace` binary: everything is in the library (src/lib.rs).

use std::process::ExitCode;

fn main() -> ExitCode {
    regtrace_cli::install_panic_hook();
    regtrace_cli::run_with_args(std::env::args_os())
}
