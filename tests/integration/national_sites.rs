//! National sites under docs/model.md version 5 (section 7), worked out by hand: a site can
//! fail the checkpoint, be weak and fail in operation, at `risk.national_site_factor` times
//! every other unit's probabilities; its CCGs go to the nearest open site through the one
//! national queue, whose slots come from the open sites only. Where a fate draw decides, the
//! test reads it from `ReplicationDraws` and applies the model's rule, as in `hand_worked`.

use csu_sim::delivery::build;
use csu_sim::engine::ReplicationDraws;
use csu_sim::engine::draws::ALL_FUNCTIONS_KEY;
use csu_sim::model::Metric;
use csu_sim::model::OptionKind;
use csu_sim::model::{Layout, Params, Register};

use crate::hand_worked::{close, quiet, register, run_replication};

/// Two clusters of five CCGs of 0.5 m, 222 km apart: CCGs 0-4 at latitudes 52.00-52.04 (west)
/// and 5-9 at 54.00-54.04 (east), all at longitude -1. Two sites take one cluster each, and
/// each CCG's nearest site is its own cluster's.
fn two_clusters() -> Register {
    let west = (0..5).map(|k| (0.5e6, 52.0 + 0.01 * f64::from(k)));
    let east = (0..5).map(|k| (0.5e6, 54.0 + 0.01 * f64::from(k)));
    register(&west.chain(east).collect::<Vec<_>>())
}

/// The national layout of two sites on [`two_clusters`]: (west unit, east unit) and the
/// layout.
fn sites(reg: &Register, p: &Params) -> ((usize, usize), Layout) {
    let layout = Layout::new(
        reg,
        build(OptionKind::National).traits().layout,
        2,
        &p.functions.map(|f| f.efficient_scale),
    );
    let west = usize::from(layout.units()[0].site >= 5);
    ((west, 1 - west), layout)
}

/// The first month `m >= 2` (go-live) below `months` whose failure uniform of `unit` is under
/// `threshold`, or `None`.
fn failure_month(
    draws: &mut ReplicationDraws,
    layout: &Layout,
    unit: usize,
    threshold: f64,
    months: usize,
) -> Option<usize> {
    let fate = draws.fate(layout.units()[unit].site, ALL_FUNCTIONS_KEY);
    let uniforms = draws.monthly_failure(fate.slot);
    (2..months).find(|&m| uniforms[m] < threshold)
}

/// One slot a site a month, ten CCGs ready in month 1 (decide then, in CCG order, each for its
/// nearest open site), a horizon of 12 with go-live 2: 100 CCG-months of demand, 1 each.
fn one_slot_each(months: u32) -> Params {
    let mut p = quiet(months);
    p.onboarding.per_unit_month = 1.0;
    p.onboarding.per_million_month = 0.0;
    p
}

/// A site that fails the checkpoint never opens; its CCGs go to the nearest open site, and
/// the national queue has only the open site's slot (section 4, version 5). With one slot a
/// month, CCG k is onboarded in month 1 + k and in service from 2 + k: uncontracted months
/// 0 + 1 + ... + 9 = 45 of 100. Were the failed site's slot counted, two a month would be
/// onboarded (CCG k in month 1 + k / 2): 0 + 0 + 1 + 1 + ... + 4 + 4 = 20 of 100.
#[test]
fn a_site_that_fails_the_checkpoint_adds_no_slots_and_its_ccgs_go_to_the_open_site() {
    let reg = two_clusters();
    let mut p = one_slot_each(12);
    p.risk.p_checkpoint = 0.5;
    let (_, layout) = sites(&reg, &p);
    let mut found = 0;
    for replication in 0..40 {
        let (o, mut draws) = run_replication(OptionKind::National, 2, &reg, &p, replication);
        let failed: Vec<bool> = (0..2)
            .map(|u| draws.fate(layout.units()[u].site, ALL_FUNCTIONS_KEY).checkpoint < 0.5)
            .collect();
        let n_failed = failed.iter().filter(|&&f| f).count();
        close(
            o.get(Metric::FailuresCheckpoint),
            n_failed as f64,
            "checkpoint failures",
        );
        if n_failed != 1 {
            continue;
        }
        found += 1;
        close(o.get(Metric::UnmetUncontracted), 45.0 / 100.0, "one slot a month");
        close(o.get(Metric::PrivateShare), 0.0, "the open site serves everyone");
        // One site serves from month 2 (CCG 0 in service) to 11: one unit serving each month.
        close(o.get(Metric::UnitsServingMean), 1.0, "one site serving");
    }
    assert!(found >= 5, "only {found} of 40 replications lose exactly one site");
}

/// At factor 0 national sites are immune, as in version 4, whatever the probabilities; a
/// factor that takes a probability past 1 is capped there: p_checkpoint 0.6 x 2 fails every
/// site, whose CCGs all go to the private sector (50 a month, so in service from month 2),
/// each as one entry, without a transaction cost (national CCGs never procure), paying the
/// planned tariff, which counts every site, failed or not.
#[test]
fn the_factor_scales_national_risks_from_immune_to_certain() {
    let reg = two_clusters();
    let mut p = one_slot_each(12);
    p.risk.p_checkpoint = 0.6;
    p.risk.p_weak = 0.6;
    p.risk.p_fail_annual = 1.0;
    p.risk.national_site_factor = 0.0;
    let (o, _) = run_replication(OptionKind::National, 2, &reg, &p, 0);
    close(o.get(Metric::FailuresCheckpoint), 0.0, "immune at the checkpoint");
    close(o.get(Metric::FailuresOperating), 0.0, "immune in operation");
    p.risk.national_site_factor = 2.0;
    let (o, _) = run_replication(OptionKind::National, 2, &reg, &p, 0);
    close(o.get(Metric::FailuresCheckpoint), 2.0, "capped at 1: every site fails");
    close(o.get(Metric::FailuresOperating), 0.0, "no site opened");
    close(o.get(Metric::PrivateShare), 1.0, "all private");
    close(o.get(Metric::UnmetUncontracted), 0.0, "in service from month 2");
    close(o.get(Metric::CostTransactions), 0.0, "no procurement");
    close(o.get(Metric::UnitsServingMean), 0.0, "no site serves");
    close(
        o.get(Metric::OverBudgetShare),
        0.0,
        "the tariff is within a budget of 1e6",
    );
}

/// An operating failure of a national site (section 7, version 5). Slots: one a site. Month 1:
/// all ten decide and queue in CCG order; CCGs 0 and 1 are onboarded (in service from 2).
/// The west site (CCGs 0-4) fails at the end of month 2, in a replication where the east site
/// never fails; in month 2 CCGs 2 and 3 were onboarded (by west and east's slots: the queue is
/// one, and its entries are taken in order whatever their site).
///
/// - TUPE for four functions in month 2: CCGs 0 and 1, 0.5 x 0.5 m each; CCGs 2 and 3,
///   onboarded in the failure month, pay none and stay onboarded: re-assigned to east, in
///   service from 3.
/// - The queue keeps its place and loses west's slot: months 3-8 onboard CCGs 4-9 (4 is
///   re-assigned to east), one a month, in service from 4-9. CCGs 0 and 1 re-decide in
///   month 3, joining at the back: onboarded in 9 and 10, in service from 10 and 11.
/// - Uncontracted CCG-months (from G = 2): 2 and 3 wait month 2; CCG k of 4-9 waits months
///   2 .. k - 1, k - 2 months: 1 + 1 + 2 + 3 + 4 + 5 + 6 + 7 = 29 of 100.
/// - Unmet (failure): CCG 0 months 3-9 (7), CCG 1 months 3-10 (8): 15 of 100.
/// - No transaction cost: national CCGs never procure.
#[test]
fn a_failed_sites_ccgs_pay_tupe_and_rejoin_the_queue_behind_those_waiting() {
    let reg = two_clusters();
    let mut p = one_slot_each(12);
    p.risk.p_fail_annual = 1.0;
    let ((west, east), layout) = sites(&reg, &p);
    let mut found = 0;
    for replication in 0..400 {
        let mut draws = ReplicationDraws::new(1, replication, reg.len(), 12);
        let fails_west = failure_month(&mut draws, &layout, west, 1.0 / 12.0, 12);
        let fails_east = failure_month(&mut draws, &layout, east, 1.0 / 12.0, 12);
        if fails_west != Some(2) || fails_east.is_some() {
            continue;
        }
        found += 1;
        let (o, _) = run_replication(OptionKind::National, 2, &reg, &p, replication);
        close(o.get(Metric::FailuresOperating), 1.0, "one failure");
        close(o.get(Metric::CostTransition), 0.5 * 1e6 * 12.0 / 10.0 / 1e6, "TUPE");
        close(
            o.get(Metric::UnmetUncontracted),
            29.0 / 100.0,
            "the queue keeps its place",
        );
        close(o.get(Metric::UnmetFailure), 15.0 / 100.0, "the failed site's CCGs");
        close(o.get(Metric::CostTransactions), 0.0, "no procurement");
        close(o.get(Metric::PrivateShare), 0.0, "east serves everyone");
        // Units serving: west in month 2 (CCGs 0 and 1), east alone from month 3.
        close(o.get(Metric::UnitsServingMean), 1.0, "one site a month");
        // Distance, over the 56 CCG-months in service (equal populations): CCG 0 at west in
        // month 2 and at east in 10-11; CCG 1 at west in 2 and east in 11; CCGs 2 and 3 at
        // east in 3-11; CCG k of 4-9 at east from month k.
        let d = |i: usize, unit: usize| reg.distances().get(i, layout.units()[unit].site);
        let km = d(0, west)
            + 2.0 * d(0, east)
            + d(1, west)
            + d(1, east)
            + 9.0 * (d(2, east) + d(3, east))
            + (4..10).map(|k| (12 - k) as f64 * d(k, east)).sum::<f64>();
        close(o.get(Metric::DistanceKmMean), km / 56.0, "re-assigned to east");
    }
    assert!(
        found >= 2,
        "only {found} of 400 replications fail west alone in month 2"
    );
}

/// With no site open, national CCGs go to the private sector (section 7, version 5). Both
/// sites fail at the end of month 2 (monthly threshold min(1, 1 / 12 x 12) = 1): CCGs 0 and
/// 1 (in service) pay TUPE and re-decide in month 3, CCGs 2 and 3 (onboarded in 2) and 4-9
/// (waiting) are re-assigned in month 3 and find no site: all ten enter the private queue in
/// month 3, in CCG order, each as one entry; with 50 private slots all are in service from
/// month 4. Unmet (failure): CCGs 0 and 1, month 3 (2 of 100); uncontracted: CCGs 2 and 3
/// months 2-3, CCGs 4-9 months 2-3 (16 of 100); private work: 8 months of 10 CCGs, of the
/// 100 - 18 served.
#[test]
fn with_no_site_open_national_ccgs_go_private() {
    let reg = two_clusters();
    let mut p = one_slot_each(12);
    p.risk.p_fail_annual = 1.0;
    p.risk.national_site_factor = 12.0;
    let (o, _) = run_replication(OptionKind::National, 2, &reg, &p, 0);
    close(o.get(Metric::FailuresOperating), 2.0, "both sites fail");
    close(o.get(Metric::UnmetFailure), 2.0 / 100.0, "in service, then failed");
    close(o.get(Metric::UnmetUncontracted), 16.0 / 100.0, "waiting, then private");
    close(o.get(Metric::PrivateShare), 80.0 / 82.0, "private from month 4");
    close(
        o.get(Metric::CostTransition),
        0.5 * 1e6 * 12.0 / 10.0 / 1e6,
        "TUPE of 0 and 1",
    );
    close(o.get(Metric::CostTransactions), 0.0, "no procurement");
}

/// A weak national site (section 7, version 5): capacity times `weak_capacity_factor` and its
/// drawn `F_f` times `weak_cost_factor` in its constant term `(1 - s_f) F_f` and its size term,
/// while the nationally held share keeps base `F_f`. Two sites of one CCG of 1 m each, far
/// apart, every site weak (p_weak 1), capacity factor 0.5, cost factor 1.5, W = 0: each site
/// has K = 1.1 x 1 m / 12 x 0.5 = 0.55 D, serves 0.55 D and loses 0.45 D every month; both are
/// short, so nothing is pooled. In service from month 2 (onboarded in 1): unmet (capacity)
/// 0.45 of demand. Units' cost a year: per site and function, (1 - s) 1.5 F + v x 0.55 x 1 m +
/// 1.5 F (1 m / Q*)^2; shared fixed cost sum s F (base) and the overhead GBP 10 m apart.
#[test]
fn a_weak_national_site_has_less_capacity_and_a_dearer_fixed_cost() {
    let reg = register(&[(1e6, 52.0), (1e6, 55.0)]);
    let mut p = quiet(12);
    p.service.max_wait_months = 0;
    p.risk.p_weak = 1.0;
    p.risk.weak_capacity_factor = 0.5;
    p.risk.weak_cost_factor = 1.5;
    let (o, _) = run_replication(OptionKind::National, 2, &reg, &p, 0);
    close(o.get(Metric::UnmetCapacity), 0.45, "weak capacity");
    let units: f64 = p
        .functions
        .iter()
        .map(|f| {
            let fixed = 1.5 * f.fixed_cost;
            2.0 * ((1.0 - f.shareable) * fixed + f.variable_cost * 0.55e6 + fixed * (1e6 / f.efficient_scale).powi(2))
        })
        .sum();
    close(o.get(Metric::CostUnits), units / 1e6, "weak sites' running cost");
    let shared: f64 = p.functions.iter().map(|f| f.shareable * f.fixed_cost).sum();
    close(o.get(Metric::CostSharedFixed), shared / 1e6, "shared at base F");
}

/// The factor multiplies the very uniforms the hub on the same site is compared with (section
/// 7, version 5): at factor 1 a national site fails the checkpoint exactly where the hub on its
/// site does, replication by replication, on the real register.
#[test]
fn at_factor_one_national_sites_fail_the_checkpoint_where_hubs_do() {
    let reg = Register::builtin();
    let p = Params::default();
    for replication in 0..30 {
        let (national, _) = run_replication(OptionKind::National, 23, &reg, &p, replication);
        let (hubs, _) = run_replication(OptionKind::Hubs, 23, &reg, &p, replication);
        assert_eq!(
            national.get(Metric::FailuresCheckpoint),
            hubs.get(Metric::FailuresCheckpoint),
            "replication {replication}"
        );
    }
}
