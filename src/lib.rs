//! csu-sim (architecture document in progress).
#![warn(missing_docs)]
pub mod model;
