//! `results.xlsx`, read back by an independent reader (calamine): its values are those of
//! summary.csv, comparisons.csv, best_n.csv, lead_parts.csv, facts.csv and regions.csv; it is
//! set out for reading (issue 27): the headline first with its interval after it, headers in
//! words with units, shares as percentages with their intervals clipped to 0-100%, each figure
//! formatted to the decimals its 95% interval supports, flags as booleans; and it holds two
//! native charts. Positions, types and number formats are checked, not only values.

use std::collections::HashMap;
use std::io::Read;

use calamine::{Data, Range, Reader, StyleRange, Xlsx, open_workbook};

use crate::util::{Dir, cheapest, csv_rows, run_baseline};

fn number(cell: Option<&Data>) -> Option<f64> {
    match cell {
        Some(Data::Float(x)) => Some(*x),
        Some(Data::Int(x)) => Some(*x as f64),
        _ => None,
    }
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(x)) => x.to_string(),
        Some(Data::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The decimals a figure carries when its 95% interval has half-width `half_width`: the
/// first d from 0 with 10^-d at most the half-width, at most 4; 2 without an interval.
/// Worked here from the rule, not taken from the code.
fn decimals_for(half_width: f64) -> usize {
    if !(half_width.is_finite() && half_width > 0.0) {
        return 2;
    }
    (0..4).find(|&d| half_width >= 10f64.powi(-(d as i32))).unwrap_or(4)
}

/// A number format's decimals and whether it shows a percentage: `#,##0.00` is (2, false),
/// `0.0%` is (1, true), `#,##0` is (0, false).
fn format_of(styles: &StyleRange, row: usize, col: usize) -> (usize, bool) {
    let code = styles
        .get((row as u32, col as u32))
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.clone())
        .unwrap_or_default();
    let decimals = code
        .split_once('.')
        .map_or(0, |(_, tail)| tail.chars().take_while(|&c| c == '0').count());
    (decimals, code.ends_with('%'))
}

/// Asserts a figure's format: a share as a percentage with the decimals the percentage's
/// interval supports, anything else with the decimals its own interval supports.
fn assert_format(styles: &StyleRange, at: (usize, usize), half_width: f64, share: bool, what: &str) {
    let scale = if share { 100.0 } else { 1.0 };
    assert_eq!(
        format_of(styles, at.0, at.1),
        (decimals_for(scale * half_width), share),
        "{what} at {at:?}, half-width {half_width}"
    );
}

/// A unit as the CSV files name it, in words, as the workbook's headers give it.
fn words(unit: &str) -> &str {
    match unit {
        "GBP m/year" => "GBP m a year",
        "GBP/head/year" => "GBP a head a year",
        "share of 1" => "%",
        other => other,
    }
}

/// The Dictionary: metric name -> (header in the Summary, unit as the CSVs name it).
fn dictionary(book: &mut Xlsx<std::io::BufReader<std::fs::File>>) -> HashMap<String, (String, String)> {
    let sheet = book.worksheet_range("Dictionary").unwrap();
    let headers: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| text(Some(c))).collect();
    assert_eq!(
        headers,
        ["metric", "in the Summary as", "meaning", "unit", "defined in"]
    );
    let names: Vec<String> = sheet.rows().skip(1).map(|r| text(r.first())).collect();
    let expected: Vec<String> = csu_sim::model::Metric::ALL
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    assert_eq!(names, expected, "every metric, by the name the CSV files use");
    sheet
        .rows()
        .skip(1)
        .map(|r| {
            assert!(!text(r.get(2)).is_empty(), "{}: a meaning", text(r.first()));
            (text(r.first()), (text(r.get(1)), text(r.get(3))))
        })
        .collect()
}

fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> (Range<Data>, StyleRange) {
    (book.worksheet_range(name).unwrap(), book.worksheet_style(name).unwrap())
}

fn cell(range: &Range<Data>, row: usize, col: usize) -> Option<&Data> {
    range.get_value((row as u32, col as u32))
}

fn baseline_workbook(dir: &Dir) -> std::path::PathBuf {
    let (out, _) = run_baseline(
        dir,
        &["--replications", "20", "--sweep", "risk.p_weak=0.1,0.3", "--quiet"],
    );
    out
}

#[test]
fn r18_the_workbook_has_its_sheets_in_order_and_two_native_charts() {
    let dir = Dir::new("excel");
    let out = baseline_workbook(&dir);
    let path = out.join("results.xlsx");
    let book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Verdict",
            "Comparisons",
            "Which N",
            "Lead parts",
            "Facts",
            "Regions",
            "Dictionary",
            "Charts"
        ]
    );
    let mut zip = Vec::new();
    std::fs::File::open(&path).unwrap().read_to_end(&mut zip).unwrap();
    let listing = String::from_utf8_lossy(&zip);
    assert!(listing.contains("xl/charts/chart1.xml") && listing.contains("xl/charts/chart2.xml"));
}

#[test]
fn r27_the_summary_leads_with_the_headline_and_shows_each_mean_to_its_interval() {
    let dir = Dir::new("excel-summary");
    let out = baseline_workbook(&dir);
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    let dictionary = dictionary(&mut book);
    let by_header: HashMap<&str, (&str, &str)> = dictionary
        .iter()
        .map(|(name, (header, unit))| (header.as_str(), (name.as_str(), unit.as_str())))
        .collect();
    let (summary, styles) = sheet(&mut book, "Summary");
    let headers: Vec<String> = summary.rows().next().unwrap().iter().map(|c| text(Some(c))).collect();
    assert_eq!(
        headers[..7],
        [
            "option",
            "N",
            "risk.p_weak",
            "Net cost per head (headline), GBP a head a year",
            "95% CI low",
            "95% CI high",
            "replications"
        ]
    );
    // Every other header is a metric's, in words with its unit, found in the Dictionary.
    for header in &headers[7..] {
        let (name, unit) = by_header
            .get(header.as_str())
            .unwrap_or_else(|| panic!("{header}: not in the Dictionary"));
        assert!(header.ends_with(&format!(", {}", words(unit))), "{header}: its unit");
        assert!(!header.contains('_'), "{header}: in words, not {name}");
    }
    assert_eq!(headers.len(), 7 + dictionary.len() - 1, "each metric once");
    let csv = csv_rows(&out.join("summary.csv"));
    let mut checked = 0;
    for row in 1..summary.height() {
        let option = text(cell(&summary, row, 0));
        let units = number(cell(&summary, row, 1)).unwrap();
        let weak = number(cell(&summary, row, 2)).unwrap();
        assert!(matches!(cell(&summary, row, 0), Some(Data::String(_))));
        let of_cell = |metric: &str| {
            csv.iter()
                .find(|r| {
                    r["option"] == option
                        && r["units"].parse::<f64>().unwrap() == units
                        && r["param_risk.p_weak"].parse::<f64>().unwrap() == weak
                        && r["metric"] == metric
                })
                .unwrap_or_else(|| panic!("{option} {units} {weak} {metric}"))
        };
        let value = |r: &HashMap<String, String>, key: &str| r[key].parse::<f64>().unwrap_or(f64::NAN);
        let headline = of_cell("net_cost_per_head");
        let half_width = (value(headline, "ci95_high") - value(headline, "ci95_low")) / 2.0;
        for (col, key) in [(3, "mean"), (4, "ci95_low"), (5, "ci95_high")] {
            assert_eq!(
                number(cell(&summary, row, col)),
                Some(value(headline, key)),
                "{option} {units} {key}"
            );
            assert_format(&styles, (row, col), half_width, false, "headline");
        }
        assert_eq!(number(cell(&summary, row, 6)), Some(value(headline, "n")));
        for (col, header) in headers.iter().enumerate().skip(7) {
            let (name, unit) = by_header[header.as_str()];
            let line = of_cell(name);
            let want = value(line, "mean");
            match number(cell(&summary, row, col)) {
                Some(got) => assert!(
                    (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                    "{option} {units} {name}"
                ),
                None => assert!(want.is_nan(), "{option} {units} {name}: empty but {want}"),
            }
            if want.is_finite() {
                let half_width = (value(line, "ci95_high") - value(line, "ci95_low")) / 2.0;
                assert_format(&styles, (row, col), half_width, unit == "share of 1", name);
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        csv.len() - (summary.height() - 1),
        "every metric of every cell but the headline"
    );
}

#[test]
fn r27_the_verdict_gives_each_lead_with_its_interval_a_boolean_and_its_decimals() {
    let dir = Dir::new("excel-verdict");
    let out = baseline_workbook(&dir);
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    let (verdict, styles) = sheet(&mut book, "Verdict");
    let headers: Vec<String> = verdict.rows().next().unwrap().iter().map(|c| text(Some(c))).collect();
    let sure = "lead sure (interval excludes 0)";
    assert_eq!(
        headers,
        [
            "N",
            "risk.p_weak",
            "cheapest option",
            "its net cost (GBP a head a year)",
            "lead over the runner-up (GBP a head a year)",
            "95% CI low",
            "95% CI high",
            "runner-up",
            sure,
            "option leaving least demand unmet",
            "its unmet demand (% of demand)",
            "lead over the runner-up (% of demand)",
            "95% CI low",
            "95% CI high",
            "runner-up",
            sure,
        ]
    );
    assert_eq!(verdict.height(), 1 + 3 * 2, "a row per N and sweep point");
    let summary = csv_rows(&out.join("summary.csv"));
    let comparisons = csv_rows(&out.join("comparisons.csv"));
    for row in 1..verdict.height() {
        let units = number(cell(&verdict, row, 0)).unwrap();
        let weak = number(cell(&verdict, row, 1)).unwrap();
        let here = |r: &HashMap<String, String>| {
            r["units"].parse::<f64>().unwrap() == units && r["param_risk.p_weak"].parse::<f64>().unwrap() == weak
        };
        assert_eq!(text(cell(&verdict, row, 2)), cheapest(&summary, here)["option"]);
        for (first, metric, share) in [(2, "net_cost_per_head", false), (9, "unmet_share", true)] {
            let (leader, runner_up) = (text(cell(&verdict, row, first)), text(cell(&verdict, row, first + 5)));
            // The lead is the paired difference runner-up - leader of comparisons.csv.
            let pair = comparisons
                .iter()
                .find(|r| {
                    here(r)
                        && r["metric"] == metric
                        && ((r["option_a"] == leader && r["option_b"] == runner_up)
                            || (r["option_a"] == runner_up && r["option_b"] == leader))
                })
                .unwrap_or_else(|| panic!("{leader} against {runner_up} at {units}, {weak}"));
            let sign = if pair["option_a"] == leader { -1.0 } else { 1.0 };
            let f = |key: &str| pair[key].parse::<f64>().unwrap();
            let lead = number(cell(&verdict, row, first + 2)).unwrap();
            assert!((lead - sign * f("mean_diff")).abs() < 1e-12, "{metric} lead at {units}");
            let half_width = (f("ci95_high") - f("ci95_low")) / 2.0;
            for col in first + 1..first + 5 {
                assert_format(&styles, (row, col), half_width, share, metric);
            }
            assert_eq!(
                cell(&verdict, row, first + 6),
                Some(&Data::Bool(pair["significant"] == "true")),
                "{metric} at {units}: a boolean, comparisons.csv's flag"
            );
        }
    }
}

/// How a CSV column shows in its sheet, as issue 27 asks.
#[derive(Clone, Copy, PartialEq)]
enum Shows {
    /// A number or text as in the CSV.
    Same,
    /// A metric's name shown as its header in words, then a column of its unit in words.
    Label,
    /// A unit in words.
    Unit,
    /// A boolean.
    Flag,
    /// A figure to the decimals its row's interval supports, a share as a percentage.
    Figure,
    /// An end of a level's interval: a figure, a share clipped to [0, 1].
    Clipped,
    /// Not shown.
    Hidden,
}

use Shows::*;

const CLIPPED_LOW: &str = "95% CI low (a share's clipped at 0%)";
const CLIPPED_HIGH: &str = "95% CI high (a share's clipped at 100%)";

/// A CSV column's name, its header in words and how it shows.
type Column = (&'static str, &'static str, Shows);

/// Each CSV-backed sheet: its file, and each CSV column's header in words and how it shows.
const SHEETS: [(&str, &str, &[Column]); 5] = [
    (
        "Comparisons",
        "comparisons.csv",
        &[
            ("seed", "seed", Same),
            ("units", "N", Same),
            ("option_a", "option A", Same),
            ("option_b", "option B", Same),
            ("metric", "measure", Label),
            ("n", "replications", Same),
            ("mean_diff", "mean difference, A - B", Figure),
            ("sd", "sd of the difference", Figure),
            ("ci95_low", "95% CI low", Figure),
            ("ci95_high", "95% CI high", Figure),
            ("significant", "significant (interval excludes 0)", Flag),
        ],
    ),
    (
        "Which N",
        "best_n.csv",
        &[
            ("seed", "seed", Same),
            ("option", "option", Same),
            ("metric", "measure", Label),
            ("best_units", "best N", Same),
            ("best_mean", "mean at the best N", Figure),
            ("best_sure", "best N sure", Flag),
            ("shape", "shape against N", Same),
            ("units", "other N", Same),
            ("n", "replications", Same),
            ("mean_diff", "mean difference, other N - best N", Figure),
            ("sd", "sd of the difference", Figure),
            ("ci95_low", "95% CI low", Figure),
            ("ci95_high", "95% CI high", Figure),
            ("significant", "significant (interval above 0)", Flag),
        ],
    ),
    (
        "Lead parts",
        "lead_parts.csv",
        &[
            ("seed", "seed", Same),
            ("units", "N", Same),
            ("leader", "leader", Same),
            ("runner_up", "runner-up", Same),
            ("metric", "", Hidden),
            ("part", "part of the headline", Same),
            ("group", "group", Same),
            ("n", "replications", Same),
            ("mean", "lead from this part (GBP a head a year)", Figure),
            ("ci95_low", "95% CI low", Figure),
            ("ci95_high", "95% CI high", Figure),
        ],
    ),
    (
        "Facts",
        "facts.csv",
        &[
            ("seed", "seed", Same),
            ("option", "option", Same),
            ("units", "N", Same),
            ("fact", "reported fact", Same),
            ("source", "source", Same),
            ("model_figure", "model's figure", Same),
            ("unit", "unit", Unit),
            ("mean", "model's mean", Figure),
            ("ci95_low", CLIPPED_LOW, Clipped),
            ("ci95_high", CLIPPED_HIGH, Clipped),
            ("band_low", "band low", Figure),
            ("band_high", "band high", Figure),
            ("band", "band in words", Same),
            ("inside", "mean inside the band", Flag),
        ],
    ),
    (
        "Regions",
        "regions.csv",
        &[
            ("seed", "seed", Same),
            ("option", "option", Same),
            ("units", "N", Same),
            ("region", "region", Same),
            ("ccgs", "CCGs", Same),
            ("population", "population", Same),
            ("metric", "measure", Label),
            ("unit", "", Hidden),
            ("n", "replications", Same),
            ("undefined", "replications where undefined", Same),
            ("mean", "mean", Figure),
            ("ci95_low", CLIPPED_LOW, Clipped),
            ("ci95_high", CLIPPED_HIGH, Clipped),
        ],
    ),
];

#[test]
fn r27_the_csv_backed_sheets_read_in_words_with_booleans_percentages_and_clipped_shares() {
    let dir = Dir::new("excel-tables");
    let out = baseline_workbook(&dir);
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    let dictionary = dictionary(&mut book);
    let mut clipped = 0;
    for (name, file, columns) in SHEETS {
        let (range, styles) = sheet(&mut book, name);
        let rows = csv_rows(&out.join(file));
        let csv_headers: Vec<String> = csv::Reader::from_path(out.join(file))
            .unwrap()
            .headers()
            .unwrap()
            .iter()
            .map(String::from)
            .collect();
        // The sheet's columns: each CSV column as it shows, a swept key's as the key.
        let mut shown: Vec<(String, &str, Shows)> = Vec::new();
        for key in &csv_headers {
            match key.strip_prefix("param_") {
                Some(swept) => shown.push((swept.to_string(), key, Same)),
                None => {
                    let &(_, header, shows) = columns
                        .iter()
                        .find(|c| c.0 == key)
                        .unwrap_or_else(|| panic!("{file}: no column {key}"));
                    match shows {
                        Hidden => {}
                        Label => shown.extend([(header.to_string(), key.as_str(), Label), ("unit".into(), key, Unit)]),
                        _ => shown.push((header.to_string(), key, shows)),
                    }
                }
            }
        }
        let headers: Vec<String> = range.rows().next().unwrap().iter().map(|c| text(Some(c))).collect();
        let want: Vec<&str> = shown.iter().map(|(h, _, _)| h.as_str()).collect();
        assert_eq!(headers, want, "{name}: headers in words");
        assert_eq!(range.height(), 1 + rows.len(), "{name}: a row per CSV row");
        for (i, line) in rows.iter().enumerate() {
            let row = i + 1;
            // The row's unit: lead parts are per head; else the metric's; facts name theirs.
            let unit = if name == "Lead parts" {
                "GBP/head/year".to_string()
            } else if let Some(metric) = line.get("metric") {
                dictionary[metric].1.clone()
            } else {
                line["unit"].clone()
            };
            let share = unit == "share of 1";
            let f = |key: &str| line[key].parse::<f64>().unwrap_or(f64::NAN);
            let half_width = (f("ci95_high") - f("ci95_low")) / 2.0;
            for (col, (header, key, shows)) in shown.iter().enumerate() {
                let got = cell(&range, row, col);
                let field = line[*key].as_str();
                let what = format!("{name} row {row} {header}");
                match shows {
                    Same => match field.parse::<f64>() {
                        Ok(x) => assert_eq!(number(got), Some(x), "{what}"),
                        Err(_) => assert_eq!(text(got), field, "{what}"),
                    },
                    Label => {
                        assert_eq!(text(got), dictionary[field].0.rsplit_once(", ").unwrap().0, "{what}")
                    }
                    Unit if *key == "metric" => assert_eq!(text(got), words(&unit), "{what}"),
                    Unit => assert_eq!(text(got), words(field), "{what}"),
                    Flag => assert_eq!(
                        got,
                        Some(&Data::Bool(matches!(field, "true" | "inside"))),
                        "{what}: {field} as a boolean"
                    ),
                    Figure | Clipped => {
                        let x = f(key);
                        if !x.is_finite() {
                            assert!(matches!(got, None | Some(Data::Empty)), "{what}: empty");
                            continue;
                        }
                        let shown = if *shows == Clipped && share {
                            x.clamp(0.0, 1.0)
                        } else {
                            x
                        };
                        clipped += usize::from(shown != x);
                        assert_eq!(number(got), Some(shown), "{what}");
                        assert_format(&styles, (row, col), half_width, share, &what);
                    }
                    Hidden => unreachable!(),
                }
            }
        }
    }
    assert!(
        clipped > 0,
        "the run has share intervals reaching below 0%, shown clipped"
    );
}

#[test]
fn r27_the_workbook_breakdown_sums_to_the_headline_of_summary_csv() {
    // Each row of the Charts sheet's breakdown: the parts less the leverage are the headline,
    // and the headline is summary.csv's net_cost_per_head for that option and N.
    let dir = Dir::new("excel-breakdown");
    let (out, _) = run_baseline(
        &dir,
        &[
            "--replications",
            "12",
            "--set",
            "value.leverage_max=0.002",
            "--set",
            "value.choice_per_head=0.5",
            "--quiet",
        ],
    );
    let csv = csv_rows(&out.join("summary.csv"));
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    let charts = book.worksheet_range("Charts").unwrap();
    let rows: Vec<_> = charts.rows().collect();
    let start = rows
        .iter()
        .position(|r| text(r.first()) == "option and N")
        .expect("a breakdown block");
    let headers: Vec<String> = rows[start].iter().map(|c| text(Some(c))).collect();
    let width = csu_sim::model::Metric::COST_COMPONENTS.len() + 4;
    assert_eq!(
        headers[1 + width - 4..=width],
        ["undone work", "overridden choice", "less leverage", "headline"]
    );
    let mut checked = 0;
    for row in rows[start + 1..].iter().take_while(|r| !text(r.first()).is_empty()) {
        let label = text(row.first());
        let (option, units) = label.rsplit_once(' ').unwrap();
        let values: Vec<f64> = (1..=width).map(|k| number(row.get(k)).unwrap()).collect();
        let (headline, parts) = values.split_last().unwrap();
        assert!(parts[width - 2] < 0.0, "{label}: leverage is entered as a negative");
        let sum: f64 = parts.iter().sum();
        assert!(
            (sum - headline).abs() < 1e-9 * headline.abs(),
            "{label}: {sum} vs {headline}"
        );
        let want: f64 = csv
            .iter()
            .find(|r| r["option"] == option && r["units"] == units && r["metric"] == "net_cost_per_head")
            .unwrap()["mean"]
            .parse()
            .unwrap();
        assert!((headline - want).abs() <= 1e-12 * want, "{label}");
        checked += 1;
    }
    assert_eq!(checked, 12, "four options at three N");
    // The line chart's block, from the top: a header row, then per N each option's headline.
    let header: Vec<String> = rows[0].iter().take(5).map(|c| text(Some(c))).collect();
    assert_eq!(header, ["N", "national", "network", "hubs", "framework"]);
    let mut by_n = Vec::new();
    for row in &rows[1..4] {
        let units = number(row.first()).unwrap();
        by_n.push(units);
        for (k, option) in header.iter().enumerate().skip(1) {
            let want: f64 = csv
                .iter()
                .find(|r| {
                    r["option"] == *option && r["units"] == units.to_string() && r["metric"] == "net_cost_per_head"
                })
                .unwrap()["mean"]
                .parse()
                .unwrap();
            let got = number(row.get(k)).unwrap();
            assert!(
                (got - want).abs() <= 1e-12 * want,
                "{option} at N = {units}: {got} vs {want}"
            );
        }
    }
    assert_eq!(by_n, [10.0, 23.0, 35.0]);
}
