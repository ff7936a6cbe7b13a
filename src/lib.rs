//! csu-sim (architecture document in progress).
#![warn(missing_docs)]
pub mod delivery;
pub mod engine;
pub mod model;
pub mod scenario;
pub mod stats;
