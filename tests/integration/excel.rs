//! `results.xlsx`, read back by an independent reader (calamine): its sheets and values are
//! those of summary.csv, comparisons.csv and facts.csv, and it holds two native charts.

use std::io::Read;

use calamine::{Data, Reader, Xlsx, open_workbook};

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

#[test]
fn r18_the_workbook_holds_the_summary_verdict_comparisons_facts_dictionary_and_charts() {
    let dir = Dir::new("excel");
    let (out, _) = run_baseline(
        &dir,
        &["--replications", "20", "--sweep", "risk.p_weak=0.1,0.3", "--quiet"],
    );
    let path = out.join("results.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
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

    // Summary: a row per cell; every metric's mean equals summary.csv's, units in headers.
    let summary = book.worksheet_range("Summary").unwrap();
    let headers: Vec<String> = summary.rows().next().unwrap().iter().map(|c| text(Some(c))).collect();
    let rows: Vec<_> = summary.rows().skip(1).collect();
    let csv = csv_rows(&out.join("summary.csv"));
    assert_eq!(rows.len() * csu_sim::engine::N_METRICS, csv.len());
    assert!(headers.contains(&"net_cost_per_head (GBP/head/year)".to_string()));
    assert!(headers.contains(&"cost_total_m (GBP m/year)".to_string()));
    assert!(headers.contains(&"unmet_share (share of 1)".to_string()));
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.starts_with(&format!("{name} (")) && h.ends_with(')'))
    };
    let mut compared = 0;
    for row in &rows {
        let (option, units, weak) = (
            text(row.first()),
            number(row.get(1)).unwrap(),
            number(row.get(2)).unwrap(),
        );
        for line in csv.iter().filter(|r| {
            r["option"] == option
                && r["units"].parse::<f64>().unwrap() == units
                && r["param_risk.p_weak"].parse::<f64>().unwrap() == weak
        }) {
            let col = column(&line["metric"]).unwrap_or_else(|| panic!("no column for {}", line["metric"]));
            match (line["mean"].parse::<f64>().ok(), number(row.get(col))) {
                (Some(want), Some(got)) => assert!(
                    (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                    "{option} {units} {}",
                    line["metric"]
                ),
                (None, None) => {}
                other => panic!("{option} {units} {}: {other:?}", line["metric"]),
            }
            compared += 1;
        }
    }
    assert_eq!(compared, csv.len());

    // Verdict: a row per N and sweep point, the cheapest option as in the report's rule.
    let verdict = book.worksheet_range("Verdict").unwrap();
    assert_eq!(verdict.rows().count(), 1 + 3 * 2);
    for row in verdict.rows().skip(1) {
        let (units, weak, named) = (
            number(row.first()).unwrap(),
            number(row.get(1)).unwrap(),
            text(row.get(2)),
        );
        let best = cheapest(&csv, |r| {
            r["units"].parse::<f64>().unwrap() == units && r["param_risk.p_weak"].parse::<f64>().unwrap() == weak
        });
        assert_eq!(best["option"], named);
    }

    // Comparisons and facts: the CSVs' rows, cell for cell.
    for (sheet, file) in [
        ("Comparisons", "comparisons.csv"),
        ("Which N", "best_n.csv"),
        ("Lead parts", "lead_parts.csv"),
        ("Facts", "facts.csv"),
        ("Regions", "regions.csv"),
    ] {
        let range = book.worksheet_range(sheet).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(out.join(file))
            .unwrap();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(range.rows().count(), records.len(), "{sheet}");
        for (row, record) in range.rows().zip(&records) {
            for (cell, field) in row.iter().zip(record.iter()) {
                match field.parse::<f64>() {
                    Ok(want) if want.is_finite() && !matches!(cell, Data::String(_)) => {
                        assert_eq!(number(Some(cell)), Some(want), "{sheet}: {field}")
                    }
                    _ => assert_eq!(text(Some(cell)), field, "{sheet}"),
                }
            }
        }
    }

    // Dictionary: every metric with its meaning and unit.
    let dictionary = book.worksheet_range("Dictionary").unwrap();
    let names: Vec<String> = dictionary.rows().skip(1).map(|r| text(r.first())).collect();
    let expected: Vec<String> = csu_sim::engine::Metric::ALL
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    assert_eq!(names, expected);
    assert!(
        dictionary
            .rows()
            .skip(1)
            .all(|r| !text(r.get(1)).is_empty() && !text(r.get(2)).is_empty())
    );

    // Two native charts: a line chart and a stacked column chart.
    let mut zip = Vec::new();
    std::fs::File::open(&path).unwrap().read_to_end(&mut zip).unwrap();
    let listing = String::from_utf8_lossy(&zip);
    assert!(listing.contains("xl/charts/chart1.xml") && listing.contains("xl/charts/chart2.xml"));
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
    let width = csu_sim::engine::Metric::COST_COMPONENTS.len() + 4;
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
}
