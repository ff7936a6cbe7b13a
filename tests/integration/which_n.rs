//! Which N is best for each option, and why the leader leads (docs/model.md section 8, version
//! 5), checked against the per-replication rows of `replications.csv`: every mean, paired
//! difference and interval is recomputed here from the replications, with Student's t from a
//! published table, not from the code under test.

use std::collections::{BTreeMap, HashMap};

use csu_sim::model::Register;

use crate::util::{Dir, csv_rows};

/// Student's t at 0.975 with 199 degrees of freedom, from tables (200 replications).
const T_199: f64 = 1.971957;

type Row = HashMap<String, String>;

fn number(row: &Row, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column}: '{}'", row[column]))
}

/// Mean and 95% interval half-width of values, by hand: sd with divisor n - 1, t(0.975, 199).
fn mean_interval(values: &[f64]) -> (f64, f64) {
    assert_eq!(values.len(), 200, "the constant T_199 is for 200 values");
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, T_199 * var.sqrt() / n.sqrt())
}

/// Per (option, N): the values of `metric` by replication, from replications.csv.
fn by_cell(rows: &[Row], metric: &str) -> BTreeMap<(String, usize), Vec<f64>> {
    let mut cells: BTreeMap<(String, usize), Vec<f64>> = BTreeMap::new();
    for row in rows {
        let key = (row["option"].clone(), row["units"].parse().unwrap());
        cells.entry(key).or_default().push(number(row, metric));
    }
    cells
}

fn close(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!((got - want).abs() <= tolerance, "{what}: {got} vs {want}");
}

/// Issue 24: hubs alone at eight N. The console's verdict is the table of which N is best
/// (no "only option"), and best_n.csv's best N, paired differences and intervals are those
/// of the replications.
#[test]
fn r24_hubs_alone_across_eight_n_names_its_best_n_with_paired_intervals() {
    let dir = Dir::new("which_n");
    let scenario = dir.write(
        "hubs.toml",
        "name = \"hubs-n\"\nseed = 24\nreplications = 200\noptions = [\"hubs\"]\nunits = [4, 6, 8, 10, 12, 15, 18, 23]\n",
    );
    let out = dir.join("out");
    let output = crate::util::csu_sim(&["run", scenario.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(output.status.success());
    let console = String::from_utf8_lossy(&output.stdout);
    assert!(console.contains("Which N is best for each option"), "{console}");
    assert!(!console.contains("only option"), "{console}");
    let replications = csv_rows(&out.join("replications.csv"));
    for (metric, scale) in [("net_cost_per_head", 1.0), ("unmet_share", 1.0)] {
        let cells = by_cell(&replications, metric);
        let means: Vec<(usize, f64)> = cells
            .iter()
            .map(|((_, n), v)| (*n, v.iter().sum::<f64>() / v.len() as f64))
            .collect();
        let &(best, _) = means.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        let rows: Vec<Row> = csv_rows(&out.join("best_n.csv"))
            .into_iter()
            .filter(|r| r["metric"] == metric)
            .collect();
        assert_eq!(rows.len(), 7, "{metric}: one row per other N");
        let best_values = &cells[&("hubs".to_string(), best)];
        let mut all_above = true;
        for row in &rows {
            assert_eq!(row["best_units"].parse::<usize>().unwrap(), best, "{metric}");
            let n: usize = row["units"].parse().unwrap();
            let other = &cells[&("hubs".to_string(), n)];
            let differences: Vec<f64> = other.iter().zip(best_values).map(|(o, b)| o - b).collect();
            let (mean, half) = mean_interval(&differences);
            close(number(row, "mean_diff"), mean * scale, 1e-9, "paired mean");
            close(number(row, "ci95_low"), mean - half, 1e-6, "interval low");
            close(number(row, "ci95_high"), mean + half, 1e-6, "interval high");
            assert_eq!(row["significant"] == "true", mean - half > 0.0);
            all_above &= mean - half > 0.0;
        }
        assert!(rows.iter().all(|r| r["best_sure"] == all_above.to_string()));
        if metric == "net_cost_per_head" {
            // The shape of the means: at an end, it rises or falls; inside, a U only if it
            // falls to the best and rises after it, and both ends are surely dearer.
            let k = means.iter().position(|&(n, _)| n == best).unwrap();
            let expected = if k == 0 {
                "rises"
            } else if k == means.len() - 1 {
                "falls"
            } else {
                let falls = means[..=k].windows(2).all(|w| w[1].1 <= w[0].1);
                let rises = means[k..].windows(2).all(|w| w[1].1 >= w[0].1);
                let end_sure = |n: usize| {
                    rows.iter()
                        .any(|r| r["units"] == n.to_string() && r["significant"] == "true")
                };
                if falls && rises && end_sure(means[0].0) && end_sure(means[means.len() - 1].0) {
                    "u"
                } else {
                    "unclear"
                }
            };
            assert!(rows.iter().all(|r| r["shape"] == expected), "shape {expected}");
            assert!(
                console.contains(&format!("hubs: cheapest at N = {best} (")),
                "the console names N = {best}:\n{console}"
            );
        }
    }
}

/// Issue 24: at every N of the baseline, the parts of the leader's margin in lead_parts.csv
/// are the per-replication differences of the parts, per head, recomputed here, and add up
/// to the margin within 1e-9; the margin is the runner-up's mean headline minus the leader's;
/// the console says why the leader leads at each N.
#[test]
fn r24_the_margin_parts_add_up_to_the_margin_at_every_n_of_the_baseline() {
    let dir = Dir::new("lead_parts");
    let out = dir.join("out");
    let baseline = crate::util::root().join("scenarios/baseline.toml");
    let output = crate::util::csu_sim(&[
        "run",
        baseline.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--replications",
        "200",
    ]);
    assert!(output.status.success());
    let console = String::from_utf8_lossy(&output.stdout);
    let population = Register::builtin().total_population();
    let replications = csv_rows(&out.join("replications.csv"));
    let headline = by_cell(&replications, "net_cost_per_head");
    let parts = csv_rows(&out.join("lead_parts.csv"));
    for units in [10, 23, 35] {
        // Leader and runner-up: the two lowest mean headlines at this N.
        let mut ranked: Vec<(String, f64)> = headline
            .iter()
            .filter(|((_, n), _)| *n == units)
            .map(|((o, _), v)| (o.clone(), v.iter().sum::<f64>() / v.len() as f64))
            .collect();
        ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (leader, runner_up) = (&ranked[0].0, &ranked[1].0);
        let rows: Vec<&Row> = parts.iter().filter(|r| r["units"] == units.to_string()).collect();
        assert_eq!(rows.len(), 16, "15 parts and the margin at N = {units}");
        assert!(
            rows.iter()
                .all(|r| &r["leader"] == leader && &r["runner_up"] == runner_up)
        );
        let margin = rows.iter().find(|r| r["part"] == "margin").unwrap();
        let sum: f64 = rows
            .iter()
            .filter(|r| r["part"] != "margin")
            .map(|r| number(r, "mean"))
            .sum();
        close(sum, number(margin, "mean"), 1e-9, "parts add up to the margin");
        close(number(margin, "mean"), ranked[1].1 - ranked[0].1, 1e-9, "the margin");
        for row in rows.iter().filter(|r| r["part"] != "margin") {
            let metric = row["metric"].as_str();
            let sign = if metric == "savings_leverage_m" { -1.0 } else { 1.0 };
            let values = by_cell(&replications, metric);
            let (l, r) = (&values[&(leader.clone(), units)], &values[&(runner_up.clone(), units)]);
            let differences: Vec<f64> = r
                .iter()
                .zip(l)
                .map(|(r, l)| sign * (r - l) * 1e6 / population)
                .collect();
            let (mean, half) = mean_interval(&differences);
            close(number(row, "mean"), mean, 1e-9, metric);
            if half > 1e-12 {
                close(number(row, "ci95_low"), mean - half, 1e-6, metric);
            }
        }
        assert!(
            console.contains(&format!("At N = {units}, {leader}")),
            "no explanation at N = {units}:\n{console}"
        );
    }
}
