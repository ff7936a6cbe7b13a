pub mod experiment;
pub mod replication;
pub mod statistics;
pub mod uncertainty;
