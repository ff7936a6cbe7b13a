//! Register loading must never panic, whatever the bytes.
#![no_main]

use csu_sim::model::Register;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Register::parse(data, "fuzz.csv");
});
