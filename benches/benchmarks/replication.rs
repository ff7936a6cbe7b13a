//! One replication of one cell per option, and the shared per-replication draws.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use csu_sim::delivery::build;
use csu_sim::engine::{Cell, ReplicationDraws, Workspace, prepare_draws, rng, run_cell_in};
use csu_sim::model::OptionKind;
use csu_sim::model::{Layout, Params, Register};

fn replication_per_option(c: &mut Criterion) {
    let register = Register::builtin();
    let params = Params::default();
    let scales = params.functions.map(|f| f.efficient_scale);
    let mut group = c.benchmark_group("replication");
    group.throughput(Throughput::Elements(1));
    for n in [10, 23, 35] {
        for kind in OptionKind::ALL {
            let option = build(kind);
            let layout = Layout::new(&register, option.traits().layout, n, &scales);
            let cell = Cell::new(option.as_ref(), &layout, &params, &register);
            let mut draws = ReplicationDraws::new(1, 0, register.len(), 30);
            let mut replication = 0;
            let mut workspace = Workspace::new();
            // A new replication every time, so neither the caches nor the branch predictor see
            // the same run twice; its CCG draws, which its other cells would share, are made
            // outside the timing, its units' draws inside.
            group.bench_function(BenchmarkId::new(kind.key(), n), |b| {
                b.iter_custom(|iters| {
                    let mut elapsed = Duration::ZERO;
                    for _ in 0..iters {
                        replication += 1;
                        draws.redraw(replication);
                        prepare_draws(&cell, &mut draws);
                        let start = Instant::now();
                        black_box(run_cell_in(&cell, &mut draws, &mut workspace));
                        elapsed += start.elapsed();
                    }
                    elapsed
                })
            });
        }
    }
    // A unit's fate: open its stream, draw the checkpoint, weakness and 30 monthly uniforms.
    let mut site = 0;
    group.bench_function("fate_stream", |b| {
        b.iter(|| {
            site += 1;
            let mut rng = rng::stream(1, 0, rng::Purpose::Fate, (site, 0));
            (0..32).map(|_| rng::uniform(&mut rng)).sum::<f64>()
        })
    });
    group.bench_function("draws", |b| b.iter(|| ReplicationDraws::new(1, 0, register.len(), 30)));
    let populations = register.populations();
    group.bench_function("draws_with_demand", |b| {
        b.iter(|| {
            let mut draws = ReplicationDraws::new(1, 0, register.len(), 30);
            draws.prepare_demand(0.15, 0.10, 6, &populations);
            draws
        })
    });
    group.finish();
}

fn placement(c: &mut Criterion) {
    let register = Register::builtin();
    let scales = Params::default().functions.map(|f| f.efficient_scale);
    let mut group = c.benchmark_group("placement");
    for n in [10, 23, 35] {
        group.bench_with_input(BenchmarkId::new("sites", n), &n, |b, &n| {
            b.iter(|| Layout::new(&register, csu_sim::model::LayoutKind::Sites, n, &scales))
        });
        group.bench_with_input(BenchmarkId::new("teams", n), &n, |b, &n| {
            b.iter(|| Layout::new(&register, csu_sim::model::LayoutKind::Teams, n, &scales))
        });
    }
    group.finish();
}

criterion_group!(benches, replication_per_option, placement);
