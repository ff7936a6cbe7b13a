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
