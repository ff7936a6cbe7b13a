//! Scenario parsing and validation must never panic, whatever the bytes.
#![no_main]

use csu_sim::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(scenario) = Scenario::parse(text, "fuzz.toml", "fuzz")
    {
        let _ = scenario.check_register(211);
        let _ = scenario.to_toml();
        let _ = scenario.clone().apply_set("risk.p_weak=0.5");
    }
});
