//! Criterion benchmarks: `cargo bench` (add `-- <filter>` to run one group).

use criterion::criterion_main;

mod benchmarks;

criterion_main! {
    benchmarks::kernels::benches,
    benchmarks::replication::benches,
    benchmarks::statistics::benches,
    benchmarks::experiment::benches,
    benchmarks::uncertainty::benches,
}
