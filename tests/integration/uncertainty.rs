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
        confirm_replications: 0,
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
                share.value(),
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
    assert!(
        results
            .switching
            .iter()
            .all(|s| s.below.crossing.is_none() && s.above.crossing.is_none())
    );
}

/// In the deterministic mode of the known answers, national costs 8.148304993 a head at
/// N = 23 and network 8.799344941, and every replication is the same. National's overhead
/// (GBP 10 m) is a fixed cost over 56,002,534 people, so national stops being cheapest when its
/// overhead exceeds 10e6 + (8.799344941 - 8.148304993) x 56,002,534 = GBP 46.46 m, and network
/// takes over. The search probes upward from 10 m on a log scale (17.8, 31.6, 56.2 m), brackets
/// the switch in [31.6 m, 56.2 m] and bisects it 12 times: to within 24.6 m / 4,096. With no
/// noise the interval is as narrow as the bisection, and the switch holds at four times the
/// replications; nothing switches below 10 m.
#[test]
fn a_switching_value_lands_where_the_known_answers_put_it() {
    let base = std::fs::read_to_string(fixture("valid/zero_noise.toml")).unwrap();
    let text = format!("{base}\n[uncertain]\n\"costs.national_overhead\" = {{ uniform = [0, 100e6] }}\n")
        .replace("units = [10, 23, 35]", "units = [23]");
    let results = analyse(&scenario(&text), &Register::builtin(), small_plan(2), &Quiet).unwrap();
    let expected = 10e6 + (8.799344941 - 8.148304993) * 56_002_534.0;
    let switch = results.switching[0];
    assert_eq!(switch.leader, csu_sim::model::OptionKind::National);
    assert!(switch.below.crossing.is_none());
    let crossing = switch.above.crossing.unwrap();
    assert_eq!(crossing.rival, csu_sim::model::OptionKind::Network);
    assert!(
        (crossing.value - expected).abs() <= 24.6e6 / 4096.0 + 1.0,
        "{} vs {expected}",
        crossing.value
    );
    assert!(crossing.interval.0 <= expected && expected <= crossing.interval.1 + 1.0);
    assert!(crossing.in_range && crossing.confirmed);
    let sentence = csu_sim::output::uncertainty::switch_sentence(&results, &switch);
    assert!(
        sentence.starts_with("national stays cheapest at N = 23 unless costs.national_overhead exceeds about GBP 46.4")
            || sentence
                .starts_with("national stays cheapest at N = 23 unless costs.national_overhead exceeds about GBP 46.5"),
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
        "200",
        "--threads",
        threads,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

/// An estimator written here from Saltelli et al. (2010), table 2: first order (b), centred on
/// the pooled mean `f0`, `mean((f_B - f0) (f_ABi - f_A)) / V`, and total (f)
/// `mean((f_A - f_ABi)^2) / (2 V)`, `V` the sample variance (n - 1) of f_A and f_B pooled,
/// applied to design.csv's rows by role.
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
            let first = (0..f_a.len())
                .map(|j| (f_b[j] - mean) * (f_ab[j] - f_a[j]))
                .sum::<f64>()
                / n
                / variance;
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
    assert!(report.contains("<h2>1. How sure is the verdict?</h2>"));
    let how_sure = report.find("How sure").unwrap();
    let change = report.find("2. What would change it?").unwrap();
    let moves = report.find("3. What moves the size of the lead").unwrap();
    assert!(how_sure < change && change < moves, "the page leads with how sure");
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
        "confirmation.csv",
        "psa_held.csv",
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
    let shipped = root().join("scenarios/uncertainty.toml");
    let cases: [(Vec<&str>, &str); 8] = [
        // Issue 26: the whole analysis is estimated before it runs.
        (vec![shipped.to_str().unwrap(), "--samples", "65536"], "would run up to"),
        (
            vec![
                shipped.to_str().unwrap(),
                "--trajectories",
                "65536",
                "--replications",
                "10000",
                "--oat-replications",
                "100000",
            ],
            "GiB; allowed are 1e9",
        ),
        (vec![baseline.to_str().unwrap()], "no [uncertain] inputs"),
        (
            vec![scenario.to_str().unwrap(), "--samples", "2"],
            "--samples 2: allowed is an integer from 8",
        ),
        (
            vec![scenario.to_str().unwrap(), "--replications", "0"],
            "--replications 0",
        ),
        (
            vec![scenario.to_str().unwrap(), "--bootstrap", "10"],
            "--bootstrap 10: allowed is an integer from 200",
        ),
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

/// Issue 25: every range of the shipped analysis contains the scenario's value, and the
/// national site factor is ranged from immune (0) to half again as risky as a hub (1.5).
#[test]
fn r25_every_shipped_range_contains_the_scenarios_value() {
    let text = std::fs::read_to_string(root().join("scenarios/uncertainty.toml")).unwrap();
    let scenario = Scenario::parse(&text, "uncertainty.toml", "uncertainty").unwrap();
    for input in &scenario.uncertain {
        let value = input.key.get(&scenario.params);
        let (low, high) = input.distribution.support();
        assert!(
            low <= value && value <= high,
            "{}: {value} outside {low} to {high}",
            input.key.path
        );
    }
    let factor = scenario
        .uncertain
        .iter()
        .find(|i| i.key.path == "risk.national_site_factor")
        .expect("the national site factor is ranged");
    assert_eq!(factor.distribution.support(), (0.0, 1.5));
    // Each line says where its range comes from.
    for line in text.lines().filter(|l| l.starts_with('"')) {
        assert!(
            line.contains("# fact") || line.contains("# assumption") || line.contains("# calibrated"),
            "no source: {line}"
        );
    }
}

/// Issue 25's false sentence: national against hubs at N = 10, with the national overhead a
/// triangular [0, 10 m, 200 bn] whose 0.1st percentile (about 105 m) lies above the scenario's
/// 10 m. The search from 10 m upward finds the switch between the scenario's value and the
/// range, reports it outside the range, and plain runs of the model agree: national is cheaper
/// below the switch's interval and at 50 m, hubs above it and at 130 m.
#[test]
fn r25_a_switch_below_a_range_that_starts_above_the_scenario_is_found_and_true() {
    let base = std::fs::read_to_string(root().join("scenarios/baseline.toml")).unwrap();
    // National sites immune (version 4), so that national leads at N = 10 by about GBP 1.45 a
    // head, GBP 81 m a year: it loses its place near an overhead of 10 m + 81 m = 91 m.
    let text = format!(
        "{base}\n[risk]\nnational_site_factor = 0.0\n[uncertain]\n\"costs.national_overhead\" = {{ triangular = [0.0, 10.0e6, 200.0e9] }}\n"
    )
    .replace("options = [\"national\", \"network\", \"hubs\", \"framework\"]", "options = [\"national\", \"hubs\"]")
    .replace("units = [10, 23, 35]", "units = [10]");
    let scenario = scenario(&text);
    assert_eq!(scenario.options.len(), 2, "the scenario's options were replaced");
    let mut plan = small_plan(20);
    plan.oat_replications = 200;
    let register = Register::builtin();
    let results = analyse(&scenario, &register, plan, &Quiet).unwrap();
    let switch = results.switching[0];
    assert!(switch.below.crossing.is_none());
    let crossing = switch.above.crossing.expect("a switch above 10 m");
    assert!(!crossing.in_range, "{crossing:?}");
    assert!(crossing.value < results.inputs[0].range.0, "{crossing:?}");
    assert!((80e6..100e6).contains(&crossing.value), "{crossing:?}");
    assert!(crossing.confirmed, "{crossing:?}");
    let sentence = csu_sim::output::uncertainty::switch_sentence(&results, &switch);
    assert!(
        sentence.contains("beyond this analysis's range of GBP 105"),
        "{sentence}"
    );
    // Plain runs at the interval's ends, 400 replications each.
    let headline = |overhead: f64| {
        let mut plain = scenario.clone();
        plain.uncertain.clear();
        plain.params.costs.national_overhead = overhead;
        plain.replications = 400;
        let run = Experiment::new(&plain, &register).run(&mut Silent).unwrap();
        let at = |o| {
            run.cell(o, 10, 0)
                .unwrap()
                .summary(csu_sim::model::Metric::HEADLINE)
                .mean
        };
        at(csu_sim::model::OptionKind::National) - at(csu_sim::model::OptionKind::Hubs)
    };
    // A plain run is noisy too: a width of the interval beyond each end, the answer is plain.
    let width = crossing.interval.1 - crossing.interval.0;
    assert!(
        headline(crossing.interval.0 - width) < 0.0,
        "national cheaper below the switch"
    );
    assert!(headline(crossing.interval.1 + width) > 0.0, "hubs cheaper above it");
    assert!(headline(50e6) < 0.0 && headline(130e6) > 0.0);
}

/// Issue 25: Monte Carlo noise is not uncertainty. With 3 replications a set, every PSA set
/// where the scenario's leader is not cheapest at some N must have been run again at that N
/// (psa.csv's replications column), so that in the sets left at 3 replications the leader is
/// cheapest; the probabilities are psa.csv's counts; the held PSA has every value input at the
/// scenario's value.
#[test]
fn r25_flipped_sets_are_confirmed_before_they_are_counted() {
    let dir = Dir::new("uncertainty-confirm");
    let scenario = dir.write(
        "c.toml",
        "name = \"c\"\nseed = 11\nunits = [10, 23]\noptions = [\"national\", \"hubs\", \"network\"]\n[uncertain]\n\"risk.p_checkpoint\" = { beta = [0.1154, 0.063] }\n\"risk.national_site_factor\" = { triangular = [0, 1, 1.5] }\n\"value.choice_per_head\" = { triangular = [0, 0, 5] }\n",
    );
    let out = dir.join("out");
    let output = csu_sim(&[
        "uncertainty",
        scenario.to_str().unwrap(),
        "--samples",
        "24",
        "--replications",
        "3",
        "--trajectories",
        "2",
        "--oat-replications",
        "20",
        "--confirm-replications",
        "200",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let probabilities = csv_rows(&out.join("probability_best.csv"));
    let leader = |n: usize| {
        probabilities
            .iter()
            .find(|r| r["units"] == n.to_string() && r["default_leader"] == "true")
            .unwrap()["option"]
            .clone()
    };
    for (file, values) in [("psa.csv", "ranged"), ("psa_held.csv", "held")] {
        let psa = csv_rows(&out.join(file));
        assert_eq!(psa.len(), 48);
        let mut rerun = 0;
        for n in [10, 23] {
            let mut wins: std::collections::HashMap<String, usize> = Default::default();
            for row in &psa {
                let cheapest = ["national", "hubs", "network"]
                    .into_iter()
                    .min_by(|a, b| {
                        let h = |o: &str| row[&format!("headline_{o}_{n}")].parse::<f64>().unwrap();
                        h(a).total_cmp(&h(b))
                    })
                    .unwrap();
                *wins.entry(cheapest.to_string()).or_default() += 1;
                if row[&format!("replications_{n}")] == "3" {
                    assert_eq!(
                        cheapest,
                        leader(n),
                        "{file}: a set left at 3 replications where the leader lost"
                    );
                } else {
                    rerun += 1;
                }
            }
            for r in probabilities
                .iter()
                .filter(|r| r["values"] == values && r["units"] == n.to_string())
            {
                let count = wins.get(&r["option"]).copied().unwrap_or(0);
                assert_eq!(r["sets_cheapest"], count.to_string(), "{file} N = {n} {}", r["option"]);
            }
        }
        assert!(rerun > 0, "{file}: no set needed confirming");
        if values == "held" {
            assert!(psa.iter().all(|r| r["value.choice_per_head"] == "0"));
        }
    }
    let console = String::from_utf8_lossy(&output.stdout);
    assert!(console.is_empty(), "quiet");
}
