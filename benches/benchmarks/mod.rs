pub mod experiment;
pub mod kernels;
pub mod replication;
pub mod statistics;
pub mod uncertainty;
