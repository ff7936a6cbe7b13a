//! The uncertainty analysis end to end: degenerate inputs give back the plain run, a switching
//! value lands where the known answers put it, the Sobol' indices can be recomputed from
//! design.csv by an estimator written here, results do not depend on threads, and bad input
//! exits 2 having written nothing.

use csu_sim::experiment::uncertainty::{Plan, Quiet, analyse};
use csu_sim::experiment::{Experiment, Silent};
use csu_sim::model::Register;
use csu_sim::scenario::Scenario;

use crate::util::{Dir, csu_sim, csv_rows, fixture, root, stderr};

/// A small plan: enough to exercise every stage quickly.
fn small_plan(replications: u64) -> Plan {
    Plan {
        samples: 8,
        replications,
        trajectories: 2,
        oat_replications: replications,
        bootstrap: 20,
    }
}

fn scenario(text: &str) -> Scenario {
    Scenario::parse(text, "test.toml", "test").unwrap()
}

/// With every distribution collapsed to the scenario's value, every parameter set is the
/// scenario itself: the PSA's cheapest option is the plain run's at every N with probability
/// 1, its margin is the plain run's, and every tornado bar has zero width.
#[test]
fn collapsed_inputs_give_back_the_plain_verdict_and_flat_tornado_bars() {
    let base = std::fs::read_to_string(root().join("scenarios/baseline.toml")).unwrap();
    let text = format!(
        "{base}\n[uncertain]\n\"costs.national_overhead\" = {{ uniform = [10e6, 10e6] }}\n\"risk.p_fail_annual\" = {{ triangular = [0.03, 0.03, 0.03] }}\n\"value.unmet_penalty\" = {{ lognormal = [1.0, 0.0] }}\n\"risk.p_weak\" = {{ beta = [0.391304347826087, 0.0] }}\n"
    );
    let mut scenario = scenario(&text);
    scenario.params.risk.p_weak = 9.0 / 23.0;
    scenario.uncertain[3].distribution = csu_sim::stats::distribution::Distribution::Beta {
        mean: 9.0 / 23.0,
        sd: 0.0,
    };
    let replications = 30;
    let register = Register::builtin();
    let results = analyse(&scenario, &register, small_plan(replications), &Quiet).unwrap();
    let mut plain = scenario.clone();
    plain.replications = replications;
    let plain = Experiment::new(&plain, &register).run(&mut Silent).unwrap();
    for verdict in plain.verdicts() {
        let leader = verdict.cheapest.as_ref().unwrap();
        let (_, shares) = results
            .probability_best()
            .into_iter()
            .find(|(n, _)| *n == verdict.units)
            .unwrap();
        for (option, share) in shares {
            assert_eq!(
                share,
                if option == leader.option { 1.0 } else { 0.0 },
                "N = {} {option}",
                verdict.units
            );
        }
        let (runner_up, margin, _, _) = leader.margin(1.0).unwrap();
        let ours = results.verdicts.iter().find(|v| v.units == verdict.units).unwrap();
        assert_eq!((ours.leader, ours.runner_up), (leader.option, Some(runner_up)));
        assert!((ours.margin - margin).abs() < 1e-9, "{} vs {margin}", ours.margin);
        for bar in results.tornado.iter().filter(|b| b.units == verdict.units) {
            assert!((bar.at_low - ours.margin).abs() < 1e-12 && (bar.at_high - ours.margin).abs() < 1e-12);
        }
    }
    assert!(results.switching.iter().all(|s| s.below.is_none() && s.above.is_none()));
}

/// In the deterministic mode of the known answers, national costs 8.148304993 a head at
/// N = 23 and network 8.799344941, and every replication is the same. National's overhead
/// (GBP 10 m) is a fixed cost over 56,002,534 people, so national stops being cheapest when its
/// overhead exceeds 10e6 + (8.799344941 - 8.148304993) x 56,002,534 = GBP 46.46 m, and network
/// takes over. Bisection over [0.1 m, 99.9 m] finds it to within 99.8 m / 4,096.
#[test]
fn a_switching_value_lands_where_the_known_answers_put_it() {
    let base = std::fs::read_to_string(fixture("valid/zero_noise.toml")).unwrap();
    let text = format!("{base}\n[uncertain]\n\"costs.national_overhead\" = {{ uniform = [0, 100e6] }}\n")
        .replace("units = [10, 23, 35]", "units = [23]");
    let results = analyse(&scenario(&text), &Register::builtin(), small_plan(2), &Quiet).unwrap();
    let expected = 10e6 + (8.799344941 - 8.148304993) * 56_002_534.0;
    let switch = results.switching[0];
    assert_eq!(switch.leader, csu_sim::delivery::OptionKind::National);
    assert!(switch.below.is_none());
    let (value, new_leader) = switch.above.unwrap();
    assert_eq!(new_leader, csu_sim::delivery::OptionKind::Network);
    assert!(
        (value - expected).abs() <= 99.8e6 / 4096.0 + 1.0,
        "{value} vs {expected}"
    );
    let sentence = csu_sim::output::uncertainty::switch_sentence(&results, &switch);
    assert!(
        sentence.starts_with("national stays cheapest at N = 23 unless costs.national_overhead exceeds GBP 46.4")
            || sentence
                .starts_with("national stays cheapest at N = 23 unless costs.national_overhead exceeds GBP 46.5"),
        "{sentence}"
    );
}

/// Writes a small uncertainty scenario and returns its path.
fn small_scenario(dir: &Dir) -> std::path::PathBuf {
    dir.write(
        "u.toml",
        "name = \"u\"\nseed = 7\nunits = [10, 23]\n[uncertain]\n\"costs.national_overhead\" = { uniform = [5e6, 60e6] }\n\"risk.p_fail_annual\" = { beta = [0.05, 0.03] }\n\"value.unmet_penalty\" = { triangular = [0, 1, 3] }\n\"onboarding.per_unit_month\" = { triangular = [1, 2, 4] }\n",
    )
}

fn run_small(dir: &Dir, out: &str, threads: &str) -> std::path::PathBuf {
    let scenario = small_scenario(dir);
    let out = dir.join(out);
    let output = csu_sim(&[
        "uncertainty",
        scenario.to_str().unwrap(),
        "--samples",
        "24",
        "--replications",
        "3",
        "--trajectories",
        "4",
        "--oat-replications",
        "10",
        "--bootstrap",
        "50",
        "--threads",
        threads,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

/// An estimator written here from Saltelli et al. (2010), table 2: first order (b)
/// `mean(f_B (f_ABi - f_A)) / V` and total (f) `mean((f_A - f_ABi)^2) / (2 V)`, `V` the
/// sample variance (n - 1) of f_A and f_B pooled, applied to design.csv's rows by role.
#[test]
fn the_sobol_indices_can_be_recomputed_from_the_design() {
    let dir = Dir::new("uncertainty-design");
    let out = run_small(&dir, "out", "2");
    let design = csv_rows(&out.join("design.csv"));
    let sobol = csv_rows(&out.join("sobol.csv"));
    let inputs = [
        "costs.national_overhead",
        "risk.p_fail_annual",
        "value.unmet_penalty",
        "onboarding.per_unit_month",
    ];
    for output in ["margin_10", "margin_23", "headline_hubs_23"] {
        let column = |role: &str| -> Vec<f64> {
            let mut picked: Vec<(usize, f64)> = design
                .iter()
                .filter(|r| r["role"] == role)
                .map(|r| (r["row"].parse().unwrap(), r[output].parse().unwrap()))
                .collect();
            picked.sort_by_key(|p| p.0);
            picked.into_iter().map(|p| p.1).collect()
        };
        let (f_a, f_b) = (column("A"), column("B"));
        assert_eq!(f_a.len(), 24);
        let pooled: Vec<f64> = f_a.iter().chain(&f_b).copied().collect();
        let mean = pooled.iter().sum::<f64>() / pooled.len() as f64;
        let variance = pooled.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (pooled.len() - 1) as f64;
        for input in inputs {
            let f_ab = column(&format!("AB_{input}"));
            let n = f_a.len() as f64;
            let first = (0..f_a.len()).map(|j| f_b[j] * (f_ab[j] - f_a[j])).sum::<f64>() / n / variance;
            let total = (0..f_a.len()).map(|j| (f_a[j] - f_ab[j]).powi(2)).sum::<f64>() / (2.0 * n) / variance;
            let row = sobol
                .iter()
                .find(|r| r["output"] == output && r["input"] == input)
                .unwrap();
            let reported = |k: &str| row[k].parse::<f64>().unwrap();
            assert!((reported("first_order") - first).abs() < 1e-9, "{output} {input} S1");
            assert!((reported("total") - total).abs() < 1e-9, "{output} {input} ST");
            assert!(reported("total_low") <= reported("total_high"));
        }
    }
    let report = std::fs::read_to_string(out.join("uncertainty.html")).unwrap();
    assert!(report.contains("<h2>What drives the verdict</h2>"));
    assert!(report.contains("id=\"tornado_23\""));
    assert_eq!(csv_rows(&out.join("psa.csv")).len(), 48);
}

/// Every table is byte-identical on one thread and on two.
#[test]
fn uncertainty_tables_are_identical_for_one_and_two_threads() {
    let dir = Dir::new("uncertainty-threads");
    let one = run_small(&dir, "one", "1");
    let two = run_small(&dir, "two", "2");
    for table in [
        "psa.csv",
        "design.csv",
        "sobol.csv",
        "morris.csv",
        "tornado.csv",
        "switching.csv",
        "voi.csv",
        "decisions.csv",
        "probability_best.csv",
    ] {
        let a = std::fs::read(one.join(table)).unwrap();
        let b = std::fs::read(two.join(table)).unwrap();
        assert!(a == b, "{table} differs between thread counts");
    }
}

/// Bad input exits 2, names the problem and writes nothing.
#[test]
fn bad_uncertainty_input_exits_2_and_writes_nothing() {
    let dir = Dir::new("uncertainty-bad");
    let scenario = small_scenario(&dir);
    let baseline = root().join("scenarios/baseline.toml");
    let swept = dir.write("swept.toml", "units = [10]\n[uncertain]\n\"risk.p_weak\" = { uniform = [0.2, 0.5] }\n[sweep]\n\"risk.p_fail_annual\" = [0.01, 0.1]\n");
    let horizon = dir.write(
        "horizon.toml",
        "units = [10]\n[uncertain]\n\"time.months\" = { uniform = [3, 40] }\n",
    );
    let cases: [(Vec<&str>, &str); 6] = [
        (vec![baseline.to_str().unwrap()], "no [uncertain] inputs"),
        (
            vec![scenario.to_str().unwrap(), "--samples", "2"],
            "--samples 2: allowed is an integer from 8",
        ),
        (
            vec![scenario.to_str().unwrap(), "--replications", "0"],
            "--replications 0",
        ),
        (vec![scenario.to_str().unwrap(), "--bootstrap", "1"], "--bootstrap 1"),
        (vec![swept.to_str().unwrap()], "does not take a [sweep]"),
        (vec![horizon.to_str().unwrap(), "--samples", "8"], "before the horizon"),
    ];
    for (args, expected) in cases {
        let out = dir.join("out");
        let mut full = vec!["uncertainty"];
        full.extend(args.iter().copied());
        full.extend(["--out", out.to_str().unwrap(), "--quiet"]);
        let output = csu_sim(&full);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
        assert!(!out.exists(), "{args:?} wrote something");
    }
}
