//! A small sweep and the whole baseline, end to end in the library (no file output).

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

criterion_group!(benches, experiments);
