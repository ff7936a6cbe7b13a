//! Contracting mechanics on a toy register, worked out by hand from docs/model.md section 7.

use csu_sim::delivery::build;
use csu_sim::engine::{Cell, ReplicationDraws, run_cell};
use csu_sim::model::OptionKind;
use csu_sim::model::{Layout, Params, Register};
use csu_sim::model::{Metric, Outcome};

use crate::hand_worked::{quiet, register};

/// Five CCGs of one million people, a few km apart.
fn toy_register() -> Register {
    register(&(0..5).map(|i| (1.0e6, 52.0 + 0.05 * i as f64)).collect::<Vec<_>>())
}

/// The hand-worked tests' quiet parameters on a 12-month horizon (go-live in month 2, every
/// CCG ready in month 1, hubs procuring in one month), with one onboarding slot a unit and
/// ten private ones a month.
fn toy_params() -> Params {
    let mut p = quiet(12);
    p.onboarding.per_unit_month = 1.0;
    p.onboarding.private_per_month = 10;
    p
}

/// Runs one replication of an option with `units` units on the toy register.
fn run_toy(kind: OptionKind, units: usize) -> Outcome {
    let register = toy_register();
    let params = toy_params();
    let option = build(kind);
    let scales = params.functions.map(|f| f.efficient_scale);
    let layout = Layout::new(&register, option.traits().layout, units, &scales);
    let cell = Cell::new(option.as_ref(), &layout, &params, &register);
    run_cell(&cell, &mut ReplicationDraws::new(1, 0, register.len(), 12))
}

#[test]
fn the_switch_rule_sends_the_fourth_ccg_in_a_queue_to_the_private_sector() {
    let outcome = run_toy(OptionKind::Hubs, 1);
    // All five decide in month 2 (ready in month 1, one month of procurement), in CCG order.
    // The hub takes one CCG a month: CCGs 0, 1, 2 face waits of 0, 1 and 2 months and join;
    // CCGs 3 and 4 would wait 3 and 4 > 2 months and go private.
    // In service: CCG 0 from month 3, CCG 1 from 4, CCG 2 from 5; CCGs 3 and 4 (private,
    // ten slots a month) from month 3. Operating months 2..11: ten months, 50 CCG-months.
    // Uncontracted CCG-months: 1 + 2 + 3 (hub) + 1 + 1 (private) = 8 of 50.
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(
        close(outcome.get(Metric::UnmetUncontracted), 8.0 / 50.0),
        "{}",
        outcome.get(Metric::UnmetUncontracted)
    );
    assert!(close(outcome.get(Metric::UnmetShare), 8.0 / 50.0));
    // Private work: CCGs 3 and 4 for nine months each, of 42 CCG-months served.
    assert!(
        close(outcome.get(Metric::PrivateShare), 18.0 / 42.0),
        "{}",
        outcome.get(Metric::PrivateShare)
    );
    assert_eq!(outcome.get(Metric::UncontractedAtGoLive), 5.0);
    // First month with all four functions in service, minus the ready month 1: 2, 3, 4, 2, 2.
    assert!(close(outcome.get(Metric::MonthsToContract), 13.0 / 5.0));
    // Five procurements of GBP 50 k in month 2, annualised over ten operating months.
    assert!(close(outcome.get(Metric::CostTransactions), 5.0 * 0.05 * 12.0 / 10.0));
    assert_eq!(outcome.get(Metric::ResidualShare), 0.0);
    let work = outcome.work;
    assert!((work.served + work.unmet + work.residual - work.demand).abs() < 1e-6);
}

#[test]
fn national_assigns_everyone_through_one_pooled_queue() {
    let outcome = run_toy(OptionKind::National, 2);
    // Two sites of one slot each pool into two slots a month. All five decide at R = 1:
    // CCGs 0, 1 onboarded in month 1 (in service from 2), 2, 3 in month 2 (from 3), 4 in
    // month 3 (from 4). Uncontracted CCG-months from month 2: 0 + 0 + 1 + 1 + 2 = 4 of 50.
    assert!(
        (outcome.get(Metric::UnmetUncontracted) - 4.0 / 50.0).abs() < 1e-12,
        "{}",
        outcome.get(Metric::UnmetUncontracted)
    );
    assert_eq!(outcome.get(Metric::UncontractedAtGoLive), 3.0);
    assert!((outcome.get(Metric::MonthsToContract) - (1.0 + 1.0 + 2.0 + 2.0 + 3.0) / 5.0).abs() < 1e-12);
    assert_eq!(outcome.get(Metric::PrivateShare), 0.0);
    assert_eq!(outcome.get(Metric::CostTransactions), 0.0);
}

/// A workspace refilled by cells of every option, two N and two horizons, in an order that
/// changes sizes each time, gives every cell exactly what a fresh one does.
#[test]
fn a_reused_workspace_gives_what_fresh_buffers_give() {
    use csu_sim::engine::{Workspace, run_cell_in};
    let register = Register::builtin();
    let mut short = Params::default();
    short.time.months = 18;
    short.service.max_wait_months = 1;
    let long = Params::default();
    let mut workspace = Workspace::new();
    for replication in 0..3 {
        let mut fresh_draws = ReplicationDraws::new(9, replication, register.len(), 30);
        let mut reused_draws = ReplicationDraws::new(9, replication, register.len(), 30);
        for (params, n) in [(&long, 23), (&short, 10), (&long, 35), (&short, 23)] {
            for kind in [
                OptionKind::Network,
                OptionKind::National,
                OptionKind::Hubs,
                OptionKind::Framework,
            ] {
                let option = build(kind);
                let scales = params.functions.map(|f| f.efficient_scale);
                let layout = Layout::new(&register, option.traits().layout, n, &scales);
                let cell = Cell::new(option.as_ref(), &layout, params, &register);
                let fresh = run_cell(&cell, &mut fresh_draws);
                let reused = run_cell_in(&cell, &mut reused_draws, &mut workspace);
                let bits = |o: &Outcome| o.values.map(f64::to_bits);
                assert_eq!(
                    bits(&fresh),
                    bits(&reused),
                    "{kind} at N = {n}, replication {replication}"
                );
                assert_eq!(fresh.contracted_by_month, reused.contracted_by_month);
            }
        }
    }
}
