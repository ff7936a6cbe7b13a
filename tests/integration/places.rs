//! Results by place (docs/model.md, "Results by place"): a hand-worked attribution of one
//! queue's losses to its CCGs, the books that must balance on the real register (each CCG's
//! work, the national metrics as sums of the CCGs' and units' parts), and the files.

use csu_sim::delivery::build;
use csu_sim::engine::{Cell, ReplicationDraws, run_cell};
use csu_sim::model::OptionKind;
use csu_sim::model::places::Places;
use csu_sim::model::{Layout, Params, Register};
use csu_sim::model::{Metric, Outcome};

use crate::hand_worked::{close, quiet, register};
use crate::util::{Dir, csv_rows, run_baseline, stderr};

fn run_with_places(kind: OptionKind, units: usize, reg: &Register, params: &Params, rep: u64) -> (Outcome, Places) {
    let option = build(kind);
    let scales = params.functions.map(|f| f.efficient_scale);
    let layout = Layout::new(reg, option.traits().layout, units, &scales);
    let cell = Cell::new(option.as_ref(), &layout, params, reg);
    let mut draws = ReplicationDraws::new(7, rep, reg.len(), params.time.months as usize);
    let plain = run_cell(&cell, &mut draws);
    let mut outcome = run_cell(&cell.with_places(), &mut draws);
    let places = *outcome.places.take().expect("places recorded");
    // Recording places changes no metric.
    assert_eq!(
        plain.values.map(f64::to_bits),
        outcome.values.map(f64::to_bits),
        "{kind} N={units}"
    );
    (outcome, places)
}

/// The weak hub of `hand_worked::a_weak_units_queue_serves_oldest_first_and_loses_work_after_w_months`,
/// its five CCGs now of 1, 1, 1, 1 and 2 million. All join in month 3 and send the same share of
/// every month's work, so the queue's dynamics are the same in units of the total monthly demand
/// D = 6 m / 12 per function: 1 month uncontracted, 4.95 served, 2.05 lost to capacity, 2 left
/// at the horizon, of 10. Each CCG's part of each is its population's share: for the CCG of
/// 2 m, a third. Month 2 (go-live) has nobody in service: all five have a gap. The hub: four
/// desks open 10 months (40), utilisation 0 in month 2 and 1 in months 3-11 (sum 36),
/// saturated (work lost) in months 7 to 11 (5), 6 m in service with each desk in months 3-11
/// (6 m x 9 x 4).
#[test]
fn a_queues_losses_fall_on_its_ccgs_in_proportion_to_their_work() {
    let reg = register(&[(1e6, 52.0), (1e6, 52.05), (1e6, 52.1), (1e6, 52.15), (2e6, 52.2)]);
    let mut p = quiet(12);
    p.risk.p_weak = 1.0;
    p.risk.weak_capacity_factor = 0.5;
    p.risk.weak_cost_factor = 1.5;
    let (outcome, places) = run_with_places(OptionKind::Hubs, 1, &reg, &p, 0);
    for (i, ccg) in places.ccgs.iter().enumerate() {
        // Per function and month, the CCG's demand is P_i / 12; four functions.
        let d = reg.ccgs()[i].population / 12.0 * 4.0;
        close(ccg.demand, 10.0 * d, "demand");
        close(ccg.unmet[0], d, "uncontracted");
        close(ccg.unmet[1], 2.05 * d, "capacity");
        close(ccg.unmet[2], 0.0, "failure");
        close(ccg.residual, 2.0 * d, "residual");
        close(ccg.served[0], 4.95 * d, "served by the hub");
        close(ccg.served[1] + ccg.served[2], 0.0, "private and in-house");
        assert!(ccg.gap_at_go_live);
    }
    let hub = places.units[0];
    assert!(hub.opened && !hub.failed_checkpoint && !hub.failed_operating);
    assert_eq!(
        (hub.desk_months, hub.utilisation_months, hub.saturated_months),
        (40, 40, 5)
    );
    close(hub.utilisation_sum, 36.0, "utilisation sum");
    close(hub.population_months, 6e6 * 9.0 * 4.0, "population months");
    // The CCGs' costs add up to the national cost including undone work.
    let cost: f64 = places.ccgs.iter().map(|c| c.cost).sum();
    close(cost, outcome.get(Metric::CostPerHeadInclUnmet) * 6e6, "cost");
}

/// Losses are charged to the month the lost work arrived in. A weak hub (capacity factor 0.25)
/// planned for two CCGs of 1 m: capacity K = 1.1 x 2 m / 12 x 0.25 = 0.55 D, where D = 1 m / 12
/// is one CCG's monthly demand per function. CCG A is ready in month 1 (in service from 3),
/// CCG B in month 4 (from 6). In units of D, W = 2, oldest first, `[b0, b1, b2]` after ageing:
/// - m3: A's 1, serve 0.55 -> [0, 0.45 (m3), 0]
/// - m4: serve 0.45 + 0.10 -> [0, 0.9 (m4), 0]
/// - m5: serve 0.55 of m4 -> [0, 1 (m5), 0.35 (m4)]
/// - m6: A and B, 2: serve 0.35 + 0.2 -> [0, 2 (m6), 0.8 (m5)]
/// - m7: serve 0.55 of m5: 0.25 of month 5's work lost (A's alone) -> [0, 2 (m7), 2 (m6)]
/// - m8 to m11: serve 0.55 of the oldest, lose 1.45 of months 6, 7, 8, 9 (half each).
///
/// Left at the horizon: months 10 and 11, 2 each (half each). So A loses 0.25 + 4 x 0.725 =
/// 3.15 and B 2.9; each leaves 2; A is served 9 - 3.15 - 2 = 3.85 and B 6 - 2.9 - 2 = 1.1
/// (together 9 x 0.55 = 4.95). Uncontracted: A month 2 (1), B months 2 to 5 (4).
#[test]
fn a_loss_falls_on_the_ccgs_whose_work_arrived_in_the_month_it_was_lost_from() {
    let mut ccgs = register(&[(1e6, 52.0), (1e6, 52.05)]).ccgs().to_vec();
    ccgs[1].wave = Some(2);
    let reg = Register::from_ccgs("two waves", ccgs);
    let mut p = quiet(12);
    p.time.wave_months = [1, 4, 4, 4];
    p.risk.p_weak = 1.0;
    p.risk.weak_capacity_factor = 0.25;
    let (_, places) = run_with_places(OptionKind::Hubs, 1, &reg, &p, 0);
    let d = 1e6 / 12.0 * 4.0;
    let [a, b] = [places.ccgs[0], places.ccgs[1]];
    close(a.unmet[1], 3.15 * d, "A's capacity loss");
    close(b.unmet[1], 2.9 * d, "B's capacity loss");
    close(a.residual, 2.0 * d, "A's residual");
    close(b.residual, 2.0 * d, "B's residual");
    close(a.served[0], 3.85 * d, "A served");
    close(b.served[0], 1.1 * d, "B served");
    close(a.unmet[0], d, "A uncontracted");
    close(b.unmet[0], 4.0 * d, "B uncontracted");
    assert_eq!(places.units[0].saturated_months, 5, "months 7 to 11");
}

/// On the real register, with failures, systemic events, weak units, in-house and private
/// preferences all at their defaults, every book balances in every replication of every
/// option: each CCG's demand is served, unmet or left over; the CCGs' parts add up to the
/// national unmet work by cause, cost including undone work, private and in-house work and
/// go-live gaps; the units' parts add up to the utilisation and failure metrics.
#[test]
fn the_ccgs_and_units_parts_add_up_to_the_national_metrics() {
    let reg = Register::builtin();
    let mut params = Params::default();
    // More failures than the defaults, so that failure losses appear.
    params.risk.p_fail_annual = 0.3;
    let population = reg.total_population();
    for kind in OptionKind::ALL {
        for rep in 0..3 {
            let (o, places) = run_with_places(kind, 23, &reg, &params, rep);
            let what = |m: &str| format!("{kind} rep {rep}: {m}");
            let mut demand = 0.0;
            let mut unmet = [0.0; 3];
            let (mut served, mut private, mut in_house, mut cost, mut gaps) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for ccg in &places.ccgs {
                let accounted = ccg.served.iter().sum::<f64>() + ccg.unmet.iter().sum::<f64>() + ccg.residual;
                close(accounted, ccg.demand, &what("a CCG's demand"));
                demand += ccg.demand;
                for (total, part) in unmet.iter_mut().zip(ccg.unmet) {
                    *total += part;
                }
                served += ccg.served.iter().sum::<f64>();
                private += ccg.served[1];
                in_house += ccg.served[2];
                cost += ccg.cost;
                gaps += f64::from(u8::from(ccg.gap_at_go_live));
            }
            close(demand, o.work.demand, &what("demand"));
            let share = |x: f64| x / demand;
            close(share(unmet[0]), o.get(Metric::UnmetUncontracted), &what("uncontracted"));
            close(share(unmet[1]), o.get(Metric::UnmetCapacity), &what("capacity"));
            close(share(unmet[2]), o.get(Metric::UnmetFailure), &what("failure"));
            close(served, o.work.served, &what("served"));
            if served > 0.0 {
                close(private / served, o.get(Metric::PrivateShare), &what("private share"));
                close(in_house / served, o.get(Metric::InHouseShare), &what("in-house share"));
            }
            close(cost / population, o.get(Metric::CostPerHeadInclUnmet), &what("cost"));
            close(gaps, o.get(Metric::UncontractedAtGoLive), &what("gaps"));
            let units = &places.units;
            let sum = |f: fn(&csu_sim::model::places::UnitPlace) -> f64| units.iter().map(f).sum::<f64>();
            let months = sum(|u| f64::from(u.utilisation_months));
            if months > 0.0 {
                close(
                    sum(|u| u.utilisation_sum) / months,
                    o.get(Metric::UtilisationMean),
                    &what("utilisation"),
                );
            }
            close(
                sum(|u| f64::from(u8::from(u.failed_checkpoint))),
                o.get(Metric::FailuresCheckpoint),
                &what("checkpoint failures"),
            );
            close(
                sum(|u| f64::from(u8::from(u.failed_operating))),
                o.get(Metric::FailuresOperating),
                &what("operating failures"),
            );
        }
    }
}

/// regions.csv: each cell's regions hold all its CCGs and population, and their costs per head,
/// weighted by population, give the national cost per head including undone work in
/// summary.csv (both are means over the same replications of quantities that add up).
/// units.csv: one row per unit of every cell, the sites being CCGs of the register.
#[test]
fn regions_add_up_to_the_nation_and_units_csv_lists_every_unit() {
    let dir = Dir::new("places-files");
    let (out, _) = run_baseline(&dir, &["--replications", "30", "--quiet"]);
    let summary = csv_rows(&out.join("summary.csv"));
    let regions = csv_rows(&out.join("regions.csv"));
    let units = csv_rows(&out.join("units.csv"));
    let num = |r: &std::collections::HashMap<String, String>, k: &str| r[k].parse::<f64>().unwrap();
    let cells: Vec<_> = summary
        .iter()
        .filter(|r| r["metric"] == "cost_per_head_incl_unmet")
        .collect();
    assert_eq!(cells.len(), 12);
    for cell in cells {
        let same = |r: &&std::collections::HashMap<String, String>| {
            r["option"] == cell["option"] && r["units"] == cell["units"]
        };
        let rows: Vec<_> = regions
            .iter()
            .filter(same)
            .filter(|r| r["metric"] == "cost_per_head_incl_unmet")
            .collect();
        assert_eq!(rows.len(), 4, "the 2013 register's four regions");
        let ccgs: f64 = rows.iter().map(|r| num(r, "ccgs")).sum();
        let population: f64 = rows.iter().map(|r| num(r, "population")).sum();
        assert_eq!(ccgs, 211.0);
        let weighted: f64 = rows.iter().map(|r| num(r, "population") * num(r, "mean")).sum::<f64>() / population;
        let national = num(cell, "mean");
        assert!(
            (weighted - national).abs() < 1e-6 * national,
            "{weighted} vs {national}"
        );
        let n: usize = cell["units"].parse().unwrap();
        assert_eq!(units.iter().filter(same).count(), n, "{} N={n}", cell["option"]);
    }
    assert!(
        units
            .iter()
            .all(|u| u["site_name"].starts_with("NHS ") && u["site_name"].ends_with("CCG"))
    );
}

/// `--outputs` writes only what is asked for (and run.json); the tables it writes are the
/// same bytes as in a full run; a name that is not an output is refused with exit 2, naming
/// the flag, the name and what is allowed, and nothing is written.
#[test]
fn outputs_writes_only_what_is_asked_for() {
    let dir = Dir::new("places-outputs");
    let (full, _) = run_baseline(&dir, &["--replications", "20", "--quiet"]);
    let light = dir.join("light");
    let baseline = crate::util::root().join("scenarios/baseline.toml");
    let output = crate::util::run_into(
        &baseline,
        &light,
        &["--replications", "20", "--outputs", "summary,report"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let mut files: Vec<String> = std::fs::read_dir(&light)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["manifest.json", "report.html", "run.json", "summary.csv"]);
    assert_eq!(
        std::fs::read(full.join("summary.csv")).unwrap(),
        std::fs::read(light.join("summary.csv")).unwrap()
    );
    // Without places the engine records none, and the numbers do not change.
    let bare = dir.join("bare");
    let output = crate::util::run_into(&baseline, &bare, &["--replications", "20", "--outputs", "summary"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(full.join("summary.csv")).unwrap(),
        std::fs::read(bare.join("summary.csv")).unwrap()
    );
    for bad in ["summary,tables", "", "summary,,report"] {
        let out = dir.join("refused");
        let output = crate::util::run_into(&baseline, &out, &["--outputs", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let message = stderr(&output);
        assert!(
            message.contains("--outputs") && message.contains("allowed"),
            "{message}"
        );
        assert!(!out.exists());
    }
}

/// The report's results by place come from the same numbers as the files: its sites table
/// names the leading cell (lowest headline in summary.csv) and ranks its units as units.csv's
/// saturated months do; its region tables show regions.csv's means.
#[test]
fn the_report_names_the_most_saturated_sites_of_the_leading_option() {
    let dir = Dir::new("places-report");
    let (out, _) = run_baseline(&dir, &["--replications", "60", "--quiet"]);
    let summary = csv_rows(&out.join("summary.csv"));
    let lead = crate::util::cheapest(&summary, |_| true);
    let (option, n) = (lead["option"].clone(), lead["units"].clone());
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    let heading = format!("Most saturated sites: {option} at N = {n}");
    let at = report.find(&heading).unwrap_or_else(|| panic!("no '{heading}'"));
    let mut units: Vec<_> = csv_rows(&out.join("units.csv"))
        .into_iter()
        .filter(|u| u["option"] == option && u["units"] == n)
        .collect();
    let saturated = |u: &std::collections::HashMap<String, String>| u["saturated_months_mean"].parse::<f64>().unwrap();
    units.sort_by(|a, b| saturated(b).total_cmp(&saturated(a)));
    assert!(saturated(&units[0]) > 0.0, "the baseline's leader saturates somewhere");
    let table = &report[at..at + report[at..].find("</table>").unwrap()];
    let named: Vec<&str> = table
        .split("<tr><td>")
        .skip(1)
        .map(|row| row.split("</td>").next().unwrap())
        .collect();
    assert!(!named.is_empty() && named.len() <= 5);
    for (row, unit) in named.iter().zip(&units) {
        // Ties in saturation may order differently; the saturation must be the same.
        let same = units
            .iter()
            .filter(|u| saturated(u) == saturated(unit))
            .any(|u| u["site_name"] == *row);
        assert!(same, "{row} is not a site with {} saturated months", saturated(unit));
    }
    let regions = csv_rows(&out.join("regions.csv"));
    let london = regions
        .iter()
        .find(|r| {
            r["option"] == option
                && r["units"] == n
                && r["region"] == "London"
                && r["metric"] == "cost_per_head_incl_unmet"
        })
        .unwrap();
    let shown = format!("<td>{:.2}</td>", london["mean"].parse::<f64>().unwrap());
    let by_region = &report[report.find("By NHS region").unwrap()..at];
    assert!(by_region.contains(&shown), "{shown} not in the region tables");
}

/// Shards carry `--outputs` and their totals by place: merged, they write what one run with
/// the same `--outputs` writes, byte for byte, and nothing else.
#[test]
fn shards_keep_the_outputs_asked_for_and_merge_units_csv_exactly() {
    let dir = Dir::new("places-shards");
    let baseline = crate::util::root().join("scenarios/baseline.toml");
    let flags = ["--replications", "30", "--outputs", "summary,units"];
    let shards = dir.join("shards");
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let mut args = vec![
            "run",
            baseline.to_str().unwrap(),
            "--shard",
            &shard,
            "--out",
            shards.to_str().unwrap(),
            "-q",
        ];
        args.extend(flags);
        let output = crate::util::csu_sim(&args);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let merged = dir.join("merged");
    let output = crate::util::csu_sim(&[
        "merge",
        shards.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "-q",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let whole = dir.join("whole");
    let output = crate::util::run_into(&baseline, &whole, &flags);
    assert!(output.status.success(), "{}", stderr(&output));
    crate::util::assert_same_files(&whole, &merged, &["summary.csv", "units.csv"]);
    assert!(!merged.join("regions.csv").exists() && !merged.join("replications.csv").exists());
}
