//! Any command line for the query commands, run in process on the built-in seed data: the
//! input's lines are the arguments after `regtrace`. Clap's parsing, every argument parser
//! (ids, kinds, dates, relation names, matrix axes, rule names) and the queries themselves
//! must answer or refuse, never panic.
//!
//! Only read-only commands run, and nothing that names a file to write or a database: the
//! fuzzer must not litter the disk.
#![no_main]

use std::sync::Once;

const COMMANDS: &[&str] = &[
    "impact", "deps", "path", "search", "show", "list", "stats", "matrix", "audit", "editions",
];
const REFUSED: &[&str] = &[
    "--db",
    "--catalog",
    "-o",
    "--output",
    "--rules",
    "--help",
    "-h",
    "--version",
    "-V",
];

fn clean_environment() {
    // Never a database or catalog from the environment: the built-in seed only.
    // SAFETY: called once, before any thread of the target reads the environment.
    unsafe {
        std::env::remove_var("REGTRACE_DB");
        std::env::remove_var("REGTRACE_CATALOG");
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // Run with -close_fd_mask=3: the answers and error messages are not the point and would
    // flood the log (libFuzzer keeps its own report channel).
    static CLEAN: Once = Once::new();
    CLEAN.call_once(clean_environment);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut words: Vec<&str> = text.lines().collect();
    let Some(first) = words.first_mut() else { return };
    let Some(command) = COMMANDS.iter().find(|c| first.starts_with(**c)) else {
        return;
    };
    *first = command;
    if words.len() > 12
        || words.iter().any(|w| {
            REFUSED.iter().any(|r| w.starts_with(r)) || w.starts_with("-o") || w.contains("REGTRACE")
        })
    {
        return;
    }
    // Big answers (a path search with a huge --max) only cost time, not coverage.
    if words
        .iter()
        .any(|w| w.len() > 6 && w.bytes().all(|b| b.is_ascii_digit()))
    {
        return;
    }
    let _ = regtrace_cli::run_with_args(std::iter::once("regtrace").chain(words));
});
