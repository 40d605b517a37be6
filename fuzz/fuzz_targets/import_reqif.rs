//! Any bytes as a ReqIF file, and as a ReqIF archive: a graph or diagnostics, never a panic,
//! a hang or a stack overflow.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = regtrace_source::load_bytes(&[("module.reqif", data)], None);
    let _ = regtrace_source::load_bytes(&[("module.reqifz", data)], None);
});
