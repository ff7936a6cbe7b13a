//! A short seeded property-test pass: random valid scenarios keep the model's invariants,
//! and their results do not depend on the thread count.

use csu_sim::experiment::Experiment;
use csu_sim::model::Register;
use csu_sim::scenario::Scenario;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::invariants::{Collect, check_invariants};

/// Builds scenario text from drawn values.
#[allow(clippy::too_many_arguments)]
fn scenario_text(
    options: &[&str],
    units: &[usize],
    months: u32,
    go_live: u32,
    risk: (f64, f64, f64, f64),
    cvs: (f64, f64, f64),
    service: (u32, f64),
    onboarding: (f64, f64, u32),
    choice: (f64, f64, f64),
) -> String {
    let options: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
    let waves: Vec<String> = (0..4)
        .map(|w| ((w * go_live.max(1)) / 4).min(months - 1).to_string())
        .collect();
    format!(
        "replications = 3\nseed = 7\noptions = [{}]\nunits = {units:?}\n\
         [time]\nmonths = {months}\ngo_live_month = {go_live}\nwave_months = [{}]\n\
         [risk]\np_checkpoint = {}\np_weak = {}\np_fail_annual = {}\np_systemic_annual = {}\n\
         [costs]\ncost_cv = {}\n[demand]\ncv_level = {}\ncv_month = {}\n\
         [service]\nmax_wait_months = {}\npool_efficiency = {}\n\
         [onboarding]\nper_unit_month = {}\nper_million_month = {}\nprivate_per_month = {}\n\
         [choice]\nbudget_mean = {}\nmax_distance_km = {}\nswitch_wait_months = {}\n",
        options.join(", "),
        waves.join(", "),
        risk.0,
        risk.1,
        risk.2,
        risk.3,
        cvs.0,
        cvs.1,
        cvs.2,
        service.0,
        service.1,
        onboarding.0,
        onboarding.1,
        onboarding.2,
        choice.0,
        choice.1,
        choice.2,
    )
}

fn scenarios() -> impl Strategy<Value = String> {
    let options = proptest::sample::subsequence(vec!["national", "network", "hubs", "framework"], 1..=4);
    let units = proptest::collection::btree_set(4usize..=40, 1..=2).prop_map(|s| s.into_iter().collect::<Vec<_>>());
    let time = (8u32..=36).prop_flat_map(|months| (Just(months), 0..months));
    let risk = (0.0..0.6f64, 0.0..1.0f64, 0.0..1.0f64, 0.0..1.0f64);
    let cvs = (0.0..0.6f64, 0.0..0.6f64, 0.0..0.6f64);
    let service = (0u32..=4, 0.0..=1.0f64);
    let onboarding = (0.0..6.0f64, 0.0..2.0f64, 0u32..=20);
    let choice = (0.0..25.0f64, 0.0..400.0f64, 0.0..4.0f64);
    (options, units, time, risk, cvs, service, onboarding, choice)
        .prop_map(|(o, u, (m, g), r, c, s, b, ch)| scenario_text(&o, &u, m, g, r, c, s, b, ch))
}

#[test]
fn random_valid_scenarios_keep_every_invariant_on_one_and_two_threads() {
    let register = Register::builtin();
    let config = Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[42; 32]));
    runner
        .run(&scenarios(), |text| {
            let scenario = Scenario::parse(&text, "random.toml", "random")
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            let run_with = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let mut collect = Collect::default();
                let results = pool.install(|| Experiment::new(&scenario, &register).run(&mut collect).unwrap());
                (results, collect.outcomes)
            };
            let (results, one) = run_with(1);
            let (_, two) = run_with(2);
            for (cells_one, cells_two) in one.iter().zip(&two) {
                for ((cell, a), b) in results.cells.iter().zip(cells_one).zip(cells_two) {
                    check_invariants(a, cell.option, &format!("{} N={}\n{text}", cell.option, cell.units));
                    prop_assert_eq!(a.values.map(f64::to_bits), b.values.map(f64::to_bits));
                }
            }
            Ok(())
        })
        .unwrap();
}

/// Runs the default scenario (all options, N = 4 and 10, two replications) with one key at
/// `value`; `None` when the value breaks a rule between keys (the run would exit 2 naming it).
fn run_with_key(
    path: &str,
    value: f64,
) -> Option<(
    csu_sim::experiment::ExperimentResults,
    Vec<Vec<csu_sim::model::Outcome>>,
)> {
    let key = csu_sim::scenario::keys::find_key(path).unwrap();
    let mut scenario = Scenario::parse("replications = 2\nunits = [4, 10]\n", "extremes.toml", "extremes").unwrap();
    key.set(&mut scenario.params, value);
    if !csu_sim::scenario::check_params(&scenario.params).is_empty() {
        return None;
    }
    let register = Register::builtin();
    let mut collect = Collect::default();
    let results = Experiment::new(&scenario, &register).run(&mut collect).unwrap();
    Some((results, collect.outcomes))
}

/// Checks a run with one key at an extreme: every headline finite, work conserved.
fn check_extreme(path: &str, value: f64) -> Result<(), String> {
    let Some((results, outcomes)) = run_with_key(path, value) else {
        return Ok(());
    };
    for cells in &outcomes {
        for (cell, outcome) in results.cells.iter().zip(cells) {
            let what = format!("{path} = {value:e}: {} N = {}", cell.option, cell.units);
            let headline = outcome.get(csu_sim::model::Metric::HEADLINE);
            if !headline.is_finite() {
                return Err(format!("{what}: headline {headline}"));
            }
            let work = outcome.work;
            if (work.served + work.unmet + work.residual - work.demand).abs() > 1e-9 * work.demand.max(1.0) {
                return Err(format!("{what}: work not conserved {work:?}"));
            }
        }
    }
    Ok(())
}

/// Issue 17: every numeric key at both ends of its allowed range (and just inside an open
/// lower bound) gives finite headlines and conserved work, or breaks a rule between keys that
/// validation names. Before the ranges were bounded, 26 accepted values gave an infinite or
/// undefined headline.
#[test]
fn every_key_at_the_ends_of_its_range_gives_finite_conserved_results() {
    let mut failures = Vec::new();
    for key in csu_sim::scenario::keys::all_keys() {
        let (low, high) = key.rule.bounds();
        let low = match key.rule {
            csu_sim::scenario::Rule::Above(lo, _) => lo + (high - lo) * 1e-12,
            _ => low,
        };
        for value in [low, high] {
            if let Err(failure) = check_extreme(key.path, value) {
                failures.push(failure);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Random keys at random values across their whole range, extremes included by the strategy's
/// edges: finite and conserved.
#[test]
fn random_keys_across_their_ranges_give_finite_conserved_results() {
    let keys = csu_sim::scenario::keys::all_keys();
    let config = Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[17; 32]));
    runner
        .run(&(0..keys.len(), 0.0..=1.0f64, 0u32..4), |(k, u, shape)| {
            let key = &keys[k];
            let (low, high) = key.rule.bounds();
            // Spread draws over orders of magnitude as well as linearly: a cost of 1e12 and
            // one of 1e3 are both within the range.
            let value = match shape {
                0 => low + u * (high - low),
                1 => low + (high - low) * u.powi(8),
                2 => high,
                _ => low + (high - low) * 1e-9,
            };
            let value = if key.rule.is_integer() { value.round() } else { value };
            if !key.rule.admits(value) {
                return Ok(());
            }
            check_extreme(key.path, value).map_err(TestCaseError::fail)
        })
        .unwrap();
}
