#![no_main]
//! See `taawun_core::fuzz_checks::workbook` for the properties checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| taawun_core::fuzz_checks::workbook(data));
