//! Replication-runs per second inside the uncertainty analysis against a plain run, on one
//! core: the baseline's 12 cells at 64 parameter sets of 10 replications each (every set
//! re-transforms the replication's draws for its own parameters), and the same 7,680
//! replication-runs as one plain run of 640 replications.

use criterion::{Criterion, Throughput, criterion_group};
use csu_sim::experiment::uncertainty::{Evaluator, Quiet};
use csu_sim::experiment::{Experiment, Silent};
use csu_sim::model::Register;
use csu_sim::scenario::Scenario;

const SETS: usize = 64;
const REPLICATIONS: u64 = 10;

fn psa_against_plain(c: &mut Criterion) {
    let register = Register::builtin();
    let text = "units = [10, 23, 35]\n[uncertain]\n\"costs.national_overhead\" = { uniform = [5e6, 20e6] }\n\"demand.cv_level\" = { uniform = [0.05, 0.3] }\n\"risk.p_fail_annual\" = { uniform = [0.01, 0.1] }\n";
    let scenario = Scenario::parse(text, "psa", "psa").unwrap();
    let sets: Vec<_> = (0..SETS)
        .map(|k| {
            let p = (k as f64 + 0.5) / SETS as f64;
            scenario.params_at(&[p, 1.0 - p, (p * 7.0) % 1.0])
        })
        .collect();
    let cells = (scenario.options.len() * scenario.units.len()) as u64;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let mut group = c.benchmark_group("uncertainty");
    group.sample_size(10);
    group.throughput(Throughput::Elements(SETS as u64 * REPLICATIONS * cells));
    let evaluator = Evaluator::new(&register, scenario.seed, &scenario.options, &scenario.units, 30);
    group.bench_function("psa_sets", |b| {
        b.iter(|| pool.install(|| evaluator.evaluate_all(&sets, REPLICATIONS, None, &Quiet).unwrap()))
    });
    let mut plain = scenario.clone();
    plain.replications = SETS as u64 * REPLICATIONS;
    group.bench_function("plain_run", |b| {
        b.iter(|| pool.install(|| Experiment::new(&plain, &register).run(&mut Silent).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, psa_against_plain);
