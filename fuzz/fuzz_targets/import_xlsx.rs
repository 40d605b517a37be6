//! Any bytes as an Excel workbook: a graph or diagnostics, never a panic, a hang or a blow-up
//! (the bytes are a zip of XML parts, read by calamine).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = regtrace_source::load_bytes(&[("data.xlsx", data)], None);
});
