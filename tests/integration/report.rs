//! Charts, the HTML report, comparisons and sweeps from the command line.

use std::path::Path;

use csu_sim::delivery::OptionKind;
use csu_sim::engine::Metric;
use csu_sim::experiment::{Experiment, Silent};
use csu_sim::model::Register;
use csu_sim::output::chart::{HEIGHT, WIDTH};
use csu_sim::scenario::Scenario;
use csu_sim::stats::t_quantile;

use crate::util::{Dir, root, run_baseline};

/// Chart stems every run produces.
const CHARTS: [&str; 8] = [
    "cost_per_head",
    "unmet_by_cause",
    "uncontracted_at_go_live",
    "risk_frontier",
    "contracted_by_month",
    "map",
    "utilisation",
    "cost_breakdown",
];

/// Decodes a PNG; returns its size and the number of distinct colours.
fn png_facts(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let mut colours: Vec<&[u8]> = pixels[..info.buffer_size()].chunks(3).collect();
    colours.sort_unstable();
    colours.dedup();
    (info.width, info.height, colours.len())
}

fn run_sweep(dir: &Dir) -> std::path::PathBuf {
    let sweep = [
        "--replications",
        "12",
        "--sweep",
        "onboarding.per_unit_month=1,4",
        "--set",
        "units=[10, 23]",
    ];
    run_baseline(dir, &sweep).0
}

#[test]
fn every_chart_is_a_valid_non_blank_svg_and_png_and_the_report_holds_them() {
    let dir = Dir::new("charts");
    let out = run_sweep(&dir);
    let mut stems: Vec<&str> = CHARTS.to_vec();
    stems.push("sweep_onboarding_per_unit_month");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    for stem in stems {
        let svg = std::fs::read_to_string(out.join(format!("charts/{stem}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{stem}");
        assert!(
            svg.contains(&format!("width=\"{WIDTH}\"")) && svg.contains(&format!("height=\"{HEIGHT}\"")),
            "{stem}"
        );
        assert!(svg.matches('<').count() > 60, "{stem}: too few elements to be a chart");
        let (width, height, colours) = png_facts(&out.join(format!("charts/{stem}.png")));
        assert_eq!((width, height), (WIDTH, HEIGHT), "{stem}");
        assert!(colours > 20, "{stem}: {colours} colours, looks blank");
        assert!(
            report.contains(&format!("<figure id=\"{stem}\"")),
            "{stem} missing from the report"
        );
    }
    assert!(report.contains("<h2>Verdict</h2>") && report.contains("is cheapest including unmet work"));
    assert!(
        report.contains("onboarding.per_unit_month"),
        "scenario changes are listed"
    );
    assert!(
        !report.contains("src=\"http") && !report.contains("href=\"http"),
        "the report needs no network"
    );
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    let resolved = run["resolved_scenario"].as_str().unwrap();
    let again = Scenario::parse(resolved, "resolved", "resolved").unwrap();
    assert_eq!(again.units, vec![10, 23]);
    assert_eq!(again.point_count(), 2);
    let comparisons = std::fs::read_to_string(out.join("comparisons.csv")).unwrap();
    // 2 sweep points x 2 N x 6 option pairs x 4 metrics, plus the header.
    assert_eq!(comparisons.lines().count(), 1 + 2 * 2 * 6 * 4);
    assert!(
        comparisons
            .lines()
            .next()
            .unwrap()
            .contains("param_onboarding.per_unit_month")
    );
}

#[test]
fn more_onboarding_slots_never_leave_more_ccgs_uncontracted_at_go_live() {
    let dir = Dir::new("sweep");
    let out = run_sweep(&dir);
    let text = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (option, units, slots, rep, uncontracted) = (
        col("option"),
        col("units"),
        col("param_onboarding.per_unit_month"),
        col("replication"),
        col("uncontracted_at_go_live"),
    );
    let mut by_key = std::collections::HashMap::new();
    for row in rows.records().map(Result::unwrap) {
        by_key.insert(
            (
                row[option].to_string(),
                row[units].to_string(),
                row[slots].to_string(),
                row[rep].to_string(),
            ),
            row[uncontracted].parse::<f64>().unwrap(),
        );
    }
    let mut compared = 0;
    for ((opt, n, s, r), value) in &by_key {
        // National assigns every CCG, so more slots can only onboard sooner, replication by replication.
        if s == "1" && opt == "national" {
            let more = by_key[&(opt.clone(), n.clone(), "4".to_string(), r.clone())];
            assert!(more <= *value, "{opt} N={n} rep {r}: {more} > {value}");
            compared += 1;
        }
    }
    assert_eq!(compared, 2 * 12);
}

#[test]
fn paired_intervals_are_narrower_than_unpaired_ones() {
    let text = std::fs::read_to_string(root().join("scenarios/baseline.toml")).unwrap();
    let mut scenario = Scenario::parse(&text, "baseline.toml", "baseline").unwrap();
    scenario.replications = 60;
    let register = Register::builtin();
    let results = Experiment::new(&scenario, &register).run(&mut Silent).unwrap();
    let n = scenario.replications as f64;
    let t = t_quantile(0.975, n - 1.0);
    let mut ratios = Vec::new();
    for item in results
        .comparisons
        .items
        .iter()
        .filter(|c| c.metric == Metric::HEADLINE)
    {
        let a = results
            .cell(item.option_a, item.units, item.point)
            .unwrap()
            .summary(item.metric);
        let b = results
            .cell(item.option_b, item.units, item.point)
            .unwrap()
            .summary(item.metric);
        let unpaired = t * (a.sd.powi(2) / n + b.sd.powi(2) / n).sqrt();
        let s = item.summary();
        let paired = (s.ci_high - s.ci_low) / 2.0;
        // Network's spread comes mostly from its own teams' fates, keyed by (site, function),
        // which no other option shares; every other pair shares CCG and site draws.
        if item.option_a != OptionKind::Network && item.option_b != OptionKind::Network {
            assert!(
                paired < unpaired,
                "{} vs {} at N={}: paired {paired} >= unpaired {unpaired}",
                item.option_a,
                item.option_b,
                item.units
            );
        }
        ratios.push(paired / unpaired);
    }
    assert_eq!(ratios.len(), 3 * 6);
    let mean_ratio = ratios.iter().sum::<f64>() / ratios.len() as f64;
    assert!(
        mean_ratio < 0.95,
        "pairing should narrow intervals on average: {mean_ratio}"
    );
    let verdicts = results.verdicts();
    assert_eq!(verdicts.len(), 3);
    assert!(
        verdicts
            .iter()
            .all(|v| v.cheapest.as_ref().is_some_and(|l| OptionKind::ALL.contains(&l.option)))
    );
}

#[test]
fn the_report_renders_in_headless_chromium() {
    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        eprintln!("chromium is not installed: the headless rendering check is skipped");
        return;
    };
    let dir = Dir::new("chromium");
    let out = run_sweep(&dir);
    let shot = dir.join("shot.png");
    let profile = dir.join("profile");
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400",
            &format!("file://{}", out.join("report.html").display()),
        ])
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let (_, _, colours) = png_facts(&shot);
    assert!(colours > 50, "the rendered report looks blank ({colours} colours)");
}
