//! The known answers of `shared/checks/known_answers.md` (copied to fixtures/), and the
//! deterministic-mode costs computed here independently from the register and placement.

use csu_sim::experiment::{Experiment, ExperimentResults, Silent};
use csu_sim::model::Metric;
use csu_sim::model::OptionKind;
use csu_sim::model::{Function, Layout, LayoutKind, Register};
use csu_sim::scenario::Scenario;

use crate::util::fixture;

fn zero_noise() -> Scenario {
    let text = std::fs::read_to_string(fixture("valid/zero_noise.toml")).unwrap();
    Scenario::parse(&text, "zero_noise.toml", "zero_noise").unwrap()
}

fn run(scenario: &Scenario, register: &Register) -> ExperimentResults {
    Experiment::new(scenario, register).run(&mut Silent).unwrap()
}

/// One row of the known answers: option, N, and (metric, value) pairs.
type KnownRow = (String, usize, Vec<(String, f64)>);

/// Parses the deterministic-mode table of the known answers.
fn known_table() -> Vec<KnownRow> {
    let text = std::fs::read_to_string(fixture("known_answers.md")).unwrap();
    let mut header: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect();
        if cells[0] == "option" {
            header = cells;
        } else if OptionKind::from_key(&cells[0]).is_some() {
            let values = header[2..]
                .iter()
                .cloned()
                .zip(cells[2..].iter().map(|c| c.parse::<f64>().unwrap()))
                .collect();
            rows.push((cells[0].clone(), cells[1].parse().unwrap(), values));
        }
    }
    rows
}

#[test]
fn deterministic_mode_reproduces_every_known_answer() {
    let register = Register::builtin();
    let results = run(&zero_noise(), &register);
    let table = known_table();
    assert_eq!(table.len(), 12);
    for (option, units, values) in table {
        let cell = results
            .cells
            .iter()
            .find(|c| c.option.key() == option && c.units == units)
            .unwrap();
        for (name, expected) in values {
            let metric = *Metric::ALL.iter().find(|m| m.name() == name).unwrap();
            let s = cell.summary(metric);
            let tolerance = 1e-9 * expected.abs().max(1.0);
            assert!(
                (s.mean - expected).abs() < tolerance,
                "{option} N={units} {name}: {} vs {expected}",
                s.mean
            );
            assert_eq!(s.sd, 0.0, "{option} N={units} {name}: every replication is identical");
        }
    }
}

/// Annual cost of the hubs option in deterministic mode, from first principles: every CCG
/// is in service with its nearest hub for all 24 operating months, pays its distance, and
/// procures once; units run at `C_f(Qplan)` with demand equal to population.
fn hubs_cost_by_hand(register: &Register, n: usize) -> f64 {
    let params = csu_sim::model::Params::default();
    let scales = params.functions.map(|f| f.efficient_scale);
    let layout = Layout::new(register, LayoutKind::Sites, n, &scales);
    let mut annual = 0.0;
    for unit in 0..n {
        for f in Function::ALL {
            let fp = params.function(f);
            let q = layout.qplan(unit, f);
            annual += fp.fixed_cost + fp.variable_cost * q + fp.fixed_cost * (q / fp.efficient_scale).powi(2);
        }
    }
    for (i, _) in register.ccgs().iter().enumerate() {
        let site = layout.units()[layout.planned_unit(i, Function::BusinessIntelligence)].site;
        annual += 4.0 * 200.0 * register.distances().get(i, site);
    }
    // 211 procurements of GBP 50k over the 24-month operating period, annualised.
    annual + register.len() as f64 * 50e3 * 12.0 / 24.0
}

#[test]
fn deterministic_hubs_cost_matches_a_hand_computation() {
    let register = Register::builtin();
    let results = run(&zero_noise(), &register);
    for n in [10, 23, 35] {
        let cell = results
            .cells
            .iter()
            .find(|c| c.option == OptionKind::Hubs && c.units == n)
            .unwrap();
        let expected = hubs_cost_by_hand(&register, n) / 1e6;
        let got = cell.summary(Metric::CostTotal).mean;
        assert!((got - expected).abs() < 1e-9 * expected, "N={n}: {got} vs {expected}");
    }
}

#[test]
fn deterministic_national_cost_is_hubs_less_sharing_plus_overhead() {
    let register = Register::builtin();
    let results = run(&zero_noise(), &register);
    let shared: f64 = csu_sim::model::Params::default()
        .functions
        .iter()
        .map(|f| f.shareable * f.fixed_cost)
        .sum();
    for n in [10, 23, 35] {
        let get = |option| {
            results
                .cells
                .iter()
                .find(|c| c.option == option && c.units == n)
                .unwrap()
                .summary(Metric::CostTotal)
                .mean
        };
        // National: no transactions, each site's constant term is (1 - s_f) F_f, the nation
        // pays s_f F_f once plus GBP 10 m overhead.
        let expected = get(OptionKind::Hubs) - 5.275 - (n as f64 - 1.0) * shared / 1e6 + 10.0;
        assert!((get(OptionKind::National) - expected).abs() < 1e-9 * expected, "N={n}");
    }
}

/// docs/model.md (version 4) in the deterministic mode (known answers, "docs/model.md (version 4)"): every CCG is in
/// service before G under national, network and hubs, so N units serve in each of the 24
/// operating months; under framework no supplier serves in month 6, so N x 23/24.
#[test]
fn deterministic_units_serving_follow_the_known_answers() {
    let register = Register::builtin();
    let results = run(&zero_noise(), &register);
    for cell in &results.cells {
        let n = cell.units as f64;
        let expected = if cell.option == OptionKind::Framework {
            n * 23.0 / 24.0
        } else {
            n
        };
        let got = cell.summary(Metric::UnitsServingMean).mean;
        assert!(
            (got - expected).abs() < 1e-12,
            "{} N={}: {got} vs {expected}",
            cell.option,
            cell.units
        );
    }
}

/// Leverage under national in the deterministic mode: every CCG is in service for all 24
/// operating months and one organisation speaks for the whole population T, so the saving is
/// `spend * leverage_max * T^2 / (T + half)` a year: 1150 x 0.002 x T^2 / (T + 1e7) / 1e6 =
/// 109.2905 GBP m (the known answers), 1.951529 a head off the headline.
#[test]
fn deterministic_national_leverage_matches_the_closed_form() {
    let register = Register::builtin();
    let mut scenario = zero_noise();
    scenario.params.value.leverage_max = 0.002;
    let results = run(&scenario, &register);
    let total = register.total_population();
    assert_eq!(total, 56_002_534.0);
    let expected = 1150.0 * 0.002 * total * total / (total + 1e7) / 1e6;
    assert!((expected - 109.2905).abs() < 5e-5);
    for cell in results.cells.iter().filter(|c| c.option == OptionKind::National) {
        let savings = cell.summary(Metric::SavingsLeverage).mean;
        assert!(
            (savings - expected).abs() < 1e-9 * expected,
            "N={}: {savings}",
            cell.units
        );
        let gap = cell.summary(Metric::CostPerHeadInclUnmet).mean - cell.summary(Metric::NetCostPerHead).mean;
        assert!((gap - 1.951529).abs() < 1e-6, "N={}: {gap}", cell.units);
    }
}
