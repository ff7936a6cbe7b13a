//! Hand-made results for the exporters' unit tests: a scenario on the built-in register fed
//! outcomes whose figures the tests choose, so that every expected cell can be worked by hand.

use crate::experiment::uncertainty::switching::{Crossing, SideSearch};
use crate::experiment::uncertainty::{
    BestUnits, CellMeans, Confirmation, DefaultVerdict, Design, InputInfo, Output, Plan, Psa, RuleAnswer, Switch,
    TornadoBar, UncertaintyResults, ValueOfInformation,
};
use crate::experiment::{Experiment, ExperimentResults};
use crate::model::OptionKind::{Hubs, National};
use crate::model::{Metric, N_METRICS, Outcome, Register, WorkLedger};
use crate::scenario::keys::find_key;
use crate::scenario::{DecisionRule, Scenario, UncertainInput};
use crate::stats::distribution::Distribution;
use crate::stats::sensitivity::{Estimate, MorrisEffects, SobolIndices};

/// The scenario `text` at seed 7, named `name`.
pub fn scenario(text: &str, name: &str) -> Scenario {
    Scenario::parse(&format!("seed = 7\n{text}"), "t.toml", name).unwrap_or_else(|e| panic!("{e}"))
}

/// The empty results of `scenario` on the built-in register.
pub fn started(scenario: &Scenario) -> ExperimentResults {
    Experiment::new(scenario, &Register::builtin()).start_results()
}

/// An outcome with the given metrics set and every other metric `rest`.
pub fn outcome(set: &[(Metric, f64)], rest: f64) -> Outcome {
    let mut values = [rest; N_METRICS];
    for &(metric, value) in set {
        values[metric as usize] = value;
    }
    Outcome {
        values,
        work: WorkLedger::default(),
        contracted_by_month: Vec::new(),
        places: None,
    }
}

/// Returns the rows of a CSV text, header first.
pub fn rows_of(text: &[u8]) -> Vec<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(text);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Hubs at N = 23 fed the same outcome twice: cost per head 9, total GBP 700 m a year, 12%
/// over budget, 32% in-house, 6% private, 10 CCGs of the register per unit serving, 3 units
/// failing the checkpoint; every other metric undefined.
pub fn facts_results() -> ExperimentResults {
    let mut results = started(&scenario("options = [\"hubs\"]\nunits = [23]\n", "t"));
    let n_ccgs = results.meta.n_ccgs as f64;
    let outcome = outcome(
        &[
            (Metric::CostPerHead, 9.0),
            (Metric::CostTotal, 700.0),
            (Metric::OverBudgetShare, 0.12),
            (Metric::InHouseShare, 0.32),
            (Metric::PrivateShare, 0.06),
            (Metric::UnitsServingMean, n_ccgs / 10.0),
            (Metric::FailuresCheckpoint, 3.0),
        ],
        f64::NAN,
    );
    for _ in 0..2 {
        results.add_replication(std::slice::from_ref(&outcome));
    }
    results
}

/// Cell means with headline `headline`, unmet share `unmet`, over `replications`.
pub fn cm(headline: f64, unmet: f64, replications: u64) -> CellMeans {
    CellMeans {
        headline,
        unmet,
        replications,
        ..CellMeans::default()
    }
}

/// An input ranged uniformly from `low` to `high` (so p = 0.25 gives low + (high - low) / 4).
pub fn input(path: &str, low: f64, high: f64, default: f64, tornado: (f64, f64)) -> InputInfo {
    let key = find_key(path).unwrap();
    InputInfo {
        source: UncertainInput {
            key,
            distribution: Distribution::Uniform { low, high },
        },
        path: key.path,
        unit: key.unit,
        default,
        distribution: String::new(),
        tornado,
        range: (low, high),
        is_value: path.starts_with("value."),
    }
}

/// A hand-made analysis: national and hubs at N = 10, risk.p_weak uniform 0.1 to 0.3 and
/// value.choice_per_head uniform 0 to 2; one row each of A (p 0.25, 0.5) and B (p 0.75,
/// 0.25); the PSA's second set confirmed at 300 replications; a population of 50 million.
pub fn analysis() -> UncertaintyResults {
    let design = Design {
        a: vec![vec![0.25, 0.5]],
        b: vec![vec![0.75, 0.25]],
        f_a: vec![vec![cm(10.0, 0.1, 10), cm(12.0, 0.2, 10)]],
        f_b: vec![vec![cm(13.0, 0.3, 10), cm(11.0, 0.1, 10)]],
        f_ab: vec![
            vec![vec![cm(11.0, 0.1, 10), cm(12.0, 0.2, 10)]],
            vec![vec![cm(10.0, 0.1, 10), cm(10.5, 0.2, 10)]],
        ],
    };
    let confirmation = |rerun, half_width, spread| Confirmation {
        units: 10,
        rerun,
        changed: 0,
        unsettled: 0,
        half_width,
        spread,
    };
    let estimate = |value: f64| Estimate {
        value,
        low: value - 0.1,
        high: value + 0.1,
    };
    let index = |first, total| SobolIndices {
        first: estimate(first),
        total: estimate(total),
    };
    let crossing = Crossing {
        value: 0.26,
        interval: (0.25, 0.27),
        rival: Hubs,
        in_range: true,
        confirmed: false,
    };
    UncertaintyResults {
        inputs: vec![
            input("risk.p_weak", 0.1, 0.3, 0.2, (0.11, 0.29)),
            input("value.choice_per_head", 0.0, 2.0, 0.0, (0.1, 1.9)),
        ],
        cells: vec![(National, 10), (Hubs, 10)],
        units: vec![10],
        population: 50e6,
        plan: Plan {
            confirm_replications: 300,
            ..Plan::default()
        },
        defaults: vec![cm(10.0, 0.1, 100), cm(11.5, 0.2, 100)],
        verdicts: vec![DefaultVerdict {
            units: 10,
            leader: National,
            runner_up: Some(Hubs),
            margin: 1.5,
        }],
        psa: Psa {
            sets: vec![design.f_a[0].clone(), vec![cm(12.9, 0.3, 300), cm(11.2, 0.1, 300)]],
            confirmations: vec![confirmation(1, 0.05, 1.4)],
        },
        psa_held: Some(Psa {
            sets: vec![design.f_a[0].clone(), vec![cm(11.5, 0.3, 10), cm(12.0, 0.1, 10)]],
            confirmations: vec![confirmation(0, f64::NAN, 1.0)],
        }),
        design,
        sobol: vec![(Output::Margin(10), vec![index(0.6, 0.65), index(0.2, 0.3)])],
        morris: vec![(
            Output::Headline(National, 10),
            vec![
                MorrisEffects {
                    mu: -0.5,
                    mu_star: 0.8,
                    sigma: 0.3,
                },
                MorrisEffects {
                    mu: 0.1,
                    mu_star: 0.1,
                    sigma: 0.0,
                },
            ],
        )],
        tornado: vec![TornadoBar {
            units: 10,
            input: 0,
            at_low: 2.5,
            at_high: -0.5,
            rival_low: Hubs,
            rival_high: Hubs,
        }],
        switching: vec![Switch {
            units: 10,
            input: 0,
            leader: National,
            below: SideSearch {
                searched: (0.1, 0.2),
                crossing: None,
            },
            above: SideSearch {
                searched: (0.2, 0.3),
                crossing: Some(crossing),
            },
        }],
        value_of_information: vec![
            ValueOfInformation {
                units: Some(10),
                evpi: 0.4,
                evppi: vec![0.3, 0.05],
            },
            ValueOfInformation {
                units: None,
                evpi: 0.5,
                evppi: vec![0.35, 0.1],
            },
        ],
        best_units: vec![BestUnits {
            option: Hubs,
            units: 10,
            mean: 11.6,
            interval: (11.0, 12.0),
            probability: 1.0,
        }],
        rule: Some((
            DecisionRule {
                max_unmet_share: 0.05,
                confidence: 0.9,
            },
            vec![RuleAnswer {
                units: 10,
                choice: None,
            }],
        )),
    }
}
