#![no_main]
//! See `taawun_core::fuzz_checks::search_query` for the properties checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| taawun_core::fuzz_checks::search_query(data));
