//! A small sweep and the whole baseline, end to end in the library (no file output), and the
//! throughput of one core at N = 23: every option, the shared draws and the statistics included.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use csu_sim::experiment::{Experiment, Silent};
use csu_sim::model::Register;
use csu_sim::scenario::Scenario;

fn experiments(c: &mut Criterion) {
    let register = Register::builtin();
    let mut group = c.benchmark_group("experiment");
    group.sample_size(10);
    let baseline = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/baseline.toml")).unwrap();
    let cases = [
        (
            "small_sweep",
            "replications = 50\nunits = [23]\n[sweep]\n\"risk.p_fail_annual\" = [0.03, 0.1]\n".to_string(),
        ),
        ("baseline", baseline),
    ];
    for (name, text) in cases {
        let scenario = Scenario::parse(&text, name, name).unwrap();
        let cells = scenario.options.len() * scenario.units.len() * scenario.point_count();
        group.throughput(Throughput::Elements(scenario.replications * cells as u64));
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| Experiment::new(&scenario, &register).run(&mut Silent).unwrap())
        });
    }
    group.finish();
}

/// Replication-runs per second on one core at N = 23: the four options of 500 replications on a
/// one-thread pool, so every replication's draws are shared by four cells only.
fn one_core(c: &mut Criterion) {
    let register = Register::builtin();
    let text = "replications = 500\nunits = [23]\n";
    let scenario = Scenario::parse(text, "n23", "n23").unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let mut group = c.benchmark_group("one_core");
    group.sample_size(10);
    group.throughput(Throughput::Elements(
        scenario.replications * scenario.options.len() as u64,
    ));
    group.bench_function("n23", |b| {
        b.iter(|| pool.install(|| Experiment::new(&scenario, &register).run(&mut Silent).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, experiments, one_core);
