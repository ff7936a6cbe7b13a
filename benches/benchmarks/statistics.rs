//! Accumulator add and merge.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use csu_sim::stats::{Accumulator, MetricAccumulator};

fn accumulators(c: &mut Criterion) {
    let mut group = c.benchmark_group("accumulator");
    for n in [1_000u64, 100_000] {
        let values: Vec<f64> = (0..n).map(|i| ((i * 7919) % n) as f64).collect();
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("add", n), &values, |b, values| {
            b.iter(|| {
                let mut acc = MetricAccumulator::default();
                values.iter().for_each(|&x| acc.add(x));
                acc
            })
        });
        let mut half = MetricAccumulator::default();
        values.iter().for_each(|&x| half.add(x));
        group.bench_with_input(BenchmarkId::new("merge", n), &half, |b, half| {
            b.iter(|| {
                let mut acc = half.clone();
                acc.merge(half);
                acc
            })
        });
    }
    group.finish();
}

criterion_group!(benches, accumulators);
