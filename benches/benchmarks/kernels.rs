//! The speed kernels on every instruction set this processor has, on a replication's worth
//! of work: what each hand-written path buys over the portable one.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use csu_sim::engine::kernels::{self, Isa, LANES};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// CCGs of the register, and months of demand a replication draws.
const CCGS: usize = 211;
const MONTHS: usize = 24;

fn kernels_on_every_path(c: &mut Criterion) {
    let mut group = c.benchmark_group("kernels");
    let values = CCGS * MONTHS * LANES;
    group.throughput(Throughput::Elements(values as u64));
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let zs: Vec<f64> = (0..values).map(|_| kernels::standard_normal(&mut rng)).collect();
    let base: Vec<f64> = (0..CCGS * LANES).map(|_| 1.0 + rng.random::<f64>()).collect();
    for isa in Isa::available() {
        let name = format!("{isa:?}").to_lowercase();
        // A replication's monthly noise: a row of four streams per month.
        let mut lanes: Vec<[Xoshiro256PlusPlus; LANES]> = (0..MONTHS as u64)
            .map(|m| std::array::from_fn(|l| Xoshiro256PlusPlus::seed_from_u64(m * 4 + l as u64)))
            .collect();
        let mut out = vec![0.0; values];
        group.bench_function(BenchmarkId::new("normals", &name), |b| {
            b.iter(|| kernels::fill_lane_rows_on(isa, &mut lanes, black_box(&mut out)))
        });
        group.bench_function(BenchmarkId::new("exponentials", &name), |b| {
            b.iter(|| {
                out.copy_from_slice(&zs);
                kernels::exp_affine_into_on(isa, black_box(&mut out), -0.01, 0.1);
            })
        });
        let mut totals = vec![0.0; CCGS * LANES];
        group.bench_function(BenchmarkId::new("demand_rows", &name), |b| {
            b.iter(|| kernels::scale_rows_on(isa, black_box(&mut out), &mut totals, &base, &zs, MONTHS, 6))
        });
    }
    group.finish();
}

criterion_group!(benches, kernels_on_every_path);
