//! The one integration test binary: known answers, model invariants, determinism, the CLI.

mod cli;
mod console;
mod corpus;
mod excel;
mod folder;
mod hand_worked;
mod hostile;
mod invariants;
mod known_answers;
mod mechanics;
mod national_sites;
mod places;
// The chart reader the unit tests use (it needs nothing of the crate).
#[allow(dead_code)]
#[path = "../../src/output/chart/probe.rs"]
mod probe;
mod properties;
mod reference;
mod report;
mod shards;
mod slips;
mod slurm;
mod uncertainty;
mod untrusted;
mod util;
mod which_n;
