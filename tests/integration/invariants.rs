//! Model invariants on the stochastic defaults: conservation of work, costs that add up,
//! shares in range, and common random numbers across options and N.

use csu_sim::experiment::{Experiment, ExperimentResults, Observer, Silent};
use csu_sim::model::OptionKind;
use csu_sim::model::Register;
use csu_sim::model::{Metric, Outcome};
use csu_sim::scenario::Scenario;

/// Collects every outcome of a run.
#[derive(Default)]
pub struct Collect {
    pub outcomes: Vec<Vec<Outcome>>,
}

impl Observer for Collect {
    fn on_replication(&mut self, _replication: u64, outcomes: &[Outcome]) {
        self.outcomes.push(outcomes.to_vec());
    }
}

fn scenario(text: &str) -> Scenario {
    Scenario::parse(text, "test.toml", "test").unwrap()
}

fn collect(text: &str) -> (ExperimentResults, Vec<Vec<Outcome>>) {
    let scenario = scenario(text);
    let register = Register::builtin();
    let mut collect = Collect::default();
    let results = Experiment::new(&scenario, &register).run(&mut collect).unwrap();
    (results, collect.outcomes)
}

/// Checks conservation of work (flows booked in different places: desks, sinks, queues), the
/// national and network constants of docs/model.md section 5 worked out here, and shares and
/// counts in range.
pub fn check_invariants(outcome: &Outcome, option: OptionKind, what: &str) {
    let work = outcome.work;
    let balance = work.served + work.unmet + work.residual;
    assert!((balance - work.demand).abs() <= 1e-9 * work.demand, "{what}: {work:?}");
    // Section 5: national and network hold sum_f s_f F_f = 0.5 x 1.6 + 0.3 x 1.0 + 0.6 x 3.3
    // + 0.2 x 0.4 = GBP 3.16 m once a year, plus an overhead of 10 and 5 m; the others none.
    let (shared, overhead) = match option {
        OptionKind::National => (3.16, 10.0),
        OptionKind::Network => (3.16, 5.0),
        OptionKind::Hubs | OptionKind::Framework => (0.0, 0.0),
    };
    assert!((outcome.get(Metric::CostSharedFixed) - shared).abs() < 1e-9, "{what}");
    assert!((outcome.get(Metric::CostOverheads) - overhead).abs() < 1e-9, "{what}");
    let causes =
        outcome.get(Metric::UnmetUncontracted) + outcome.get(Metric::UnmetCapacity) + outcome.get(Metric::UnmetFailure);
    assert!((causes - outcome.get(Metric::UnmetShare)).abs() < 1e-12, "{what}");
    for metric in [
        Metric::UnmetShare,
        Metric::ResidualShare,
        Metric::PrivateShare,
        Metric::InHouseShare,
        Metric::OverBudgetShare,
        Metric::PreferenceOverridden,
        Metric::SaturatedUnitShare,
    ] {
        let v = outcome.get(metric);
        assert!(
            v.is_nan() || (0.0..=1.0).contains(&v),
            "{what}: {} = {v}",
            metric.name()
        );
    }
    for (metric, _) in Metric::COST_COMPONENTS {
        let v = outcome.get(metric);
        assert!(v.is_finite() && v >= 0.0, "{what}: {} = {v}", metric.name());
    }
    assert!(outcome.get(Metric::UncontractedAtGoLive) <= 211.0);
    assert!(outcome.contracted_by_month.iter().all(|&c| c <= 211.0));
}

#[test]
fn work_is_conserved_and_costs_add_up_in_every_replication_and_option() {
    let (results, outcomes) =
        collect("replications = 40\nunits = [10, 23, 35]\n[risk]\np_fail_annual = 0.3\np_systemic_annual = 0.5\n");
    assert_eq!(outcomes.len(), 40);
    for (replication, cells) in outcomes.iter().enumerate() {
        for (cell, outcome) in results.cells.iter().zip(cells) {
            check_invariants(
                outcome,
                cell.option,
                &format!("rep {replication} {} N={}", cell.option, cell.units),
            );
        }
    }
    // High failure risk must show up as failures and failure-caused unmet work somewhere.
    let failures: f64 = results
        .cells
        .iter()
        .map(|c| c.summary(Metric::FailuresOperating).mean)
        .sum();
    assert!(failures > 0.0);
    let systemic = results.cells.iter().find(|c| c.option.key() == "national").unwrap();
    assert!(systemic.summary(Metric::SystemicEvents).mean > 0.0);
}

#[test]
fn each_option_sees_the_same_draws_whatever_else_runs() {
    let alone = collect("replications = 5\noptions = [\"hubs\"]\nunits = [23]\n").1;
    let together = collect("replications = 5\noptions = [\"framework\", \"hubs\", \"network\"]\nunits = [10, 23]\n").1;
    for (a, b) in alone.iter().zip(&together) {
        // Cell order: framework 10, framework 23, hubs 10, hubs 23, ...
        assert_eq!(a[0].values.map(f64::to_bits), b[3].values.map(f64::to_bits));
        assert_eq!(a[0].work, b[3].work);
    }
}

#[test]
fn a_sweep_point_gives_what_a_run_with_its_values_gives() {
    // The replication's draws cover the longest horizon and the earliest go-live of a sweep;
    // a cell must still see only its own months.
    let base = "replications = 4\noptions = [\"framework\", \"national\"]\nunits = [23]\n";
    let swept = collect(&format!(
        "{base}[sweep]\n\"time.months\" = [30, 24]\n\"time.go_live_month\" = [8, 6]\n"
    ))
    .1;
    // Cell order: sweep point, then option.
    let points = [(30, 8), (30, 6), (24, 8), (24, 6)];
    for (point, (months, go_live)) in points.into_iter().enumerate() {
        let alone = collect(&format!("{base}[time]\nmonths = {months}\ngo_live_month = {go_live}\n")).1;
        for (a, b) in alone.iter().zip(&swept) {
            for option in 0..2 {
                let (a, b) = (&a[option], &b[point * 2 + option]);
                assert_eq!(
                    a.values.map(f64::to_bits),
                    b.values.map(f64::to_bits),
                    "{months} {go_live}"
                );
                assert_eq!(a.work, b.work);
            }
        }
    }
}

#[test]
fn options_share_ccg_draws_within_a_replication() {
    // Preferences are drawn per CCG: the share overridden under national and network is the
    // same in every replication; hubs and framework honour the same in-house CCGs, who serve
    // themselves from their readiness, so both do the same in-house work (the same CCGs'
    // same demand) and national and network none.
    let (_, outcomes) = collect("replications = 10\nunits = [23]\n");
    for cells in &outcomes {
        let overridden = cells[0].get(Metric::PreferenceOverridden);
        assert_eq!(overridden, cells[1].get(Metric::PreferenceOverridden));
        assert!(overridden > 0.0);
        let in_house_work = |o: &Outcome| o.get(Metric::InHouseShare) * o.work.served;
        assert!(in_house_work(&cells[2]) > 0.0);
        assert!((in_house_work(&cells[2]) - in_house_work(&cells[3])).abs() < 1e-6 * in_house_work(&cells[2]));
        assert_eq!(cells[0].get(Metric::InHouseShare), 0.0);
        assert_eq!(cells[1].get(Metric::InHouseShare), 0.0);
    }
}

#[test]
fn raising_onboarding_slots_never_raises_uncontracted_at_go_live() {
    let (results, outcomes) = collect(
        "replications = 20\noptions = [\"national\", \"hubs\"]\nunits = [10]\n[sweep]\n\"onboarding.per_unit_month\" = [1, 4]\n",
    );
    assert_eq!(results.cells.len(), 4);
    for cells in &outcomes {
        // Cells: point 0 (national, hubs), point 1 (national, hubs); national has no choice
        // that slots could change, so more slots can only onboard sooner.
        assert!(cells[2].get(Metric::UncontractedAtGoLive) <= cells[0].get(Metric::UncontractedAtGoLive));
    }
    // The smallest network (one team per function) runs with every option.
    let smallest = Experiment::new(&scenario("replications = 2\nunits = [4]\n"), &Register::builtin())
        .run(&mut Silent)
        .unwrap();
    assert_eq!(smallest.cells.len(), 4);
    assert!(smallest.cells.iter().all(|c| c.summary(Metric::HEADLINE).n == 2));
}

/// Records what the runner tells its observer.
#[derive(Default)]
struct Watch {
    replications: Vec<u64>,
    progress: Vec<(u64, u64)>,
}

impl Observer for Watch {
    fn on_replication(&mut self, replication: u64, _outcomes: &[Outcome]) {
        self.replications.push(replication);
    }
    fn on_progress(&mut self, done: u64, total: u64) {
        self.progress.push((done, total));
    }
}

/// The observer sees every replication once, in order and by its own index (which
/// replications.csv writes), and progress that rises to the total; with more replications
/// than one chunk holds, several chunks are merged.
#[test]
fn the_observer_sees_each_replication_in_order_and_progress_to_the_total() {
    let scenario = scenario("replications = 700\noptions = [\"hubs\"]\nunits = [10]\n");
    let register = Register::builtin();
    let mut watch = Watch::default();
    Experiment::new(&scenario, &register).run(&mut watch).unwrap();
    assert_eq!(watch.replications, (0..700).collect::<Vec<u64>>());
    assert!(watch.progress.len() >= 2, "{:?}", watch.progress);
    assert!(watch.progress.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(watch.progress.last(), Some(&(700, 700)));
}
