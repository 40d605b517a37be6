//! Any bytes as a TOML file (data, catalog or audit rules, told apart by content): regtrace
//! either builds a graph or reports diagnostics; it never panics.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = regtrace_source::load_bytes(&[("data.toml", data)], None);
});
