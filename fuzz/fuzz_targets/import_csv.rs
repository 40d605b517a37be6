//! Any bytes as CSV files: the input up to the first 0xFF byte is one file, the rest another
//! (so a nodes file and an edges file can meet); a graph or diagnostics, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (first, second) = match data.iter().position(|b| *b == 0xFF) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let _ = regtrace_source::load_bytes(&[("nodes.csv", first), ("edges.csv", second)], None);
});
