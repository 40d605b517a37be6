//! Any bytes as a JSON document: a graph or diagnostics, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = regtrace_source::load_bytes(&[("export.json", data)], None);
});
