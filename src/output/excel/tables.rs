//! The sheets that hold a CSV file's rows (`Comparisons`, `Which N`, `Lead parts`, `Facts`,
//! `Regions`), set out for reading: headers in words, a metric by its label with its unit
//! beside it, figures to the decimals their row's 95% interval supports, shares as
//! percentages with the ends of their intervals clipped to 0-100% (and the headers saying
//! so), and flags as booleans. The CSV files keep the metric names and every digit.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::{metric_unit, put, supported_format, unit_in_words};
use crate::model::Metric;

/// How a CSV column shows in its sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Text, as it is.
    Text,
    /// A number in the general format: a count, N, a swept value.
    Number,
    /// `true`/`inside` or `false`/`outside`, as a boolean.
    Flag,
    /// A metric's name, shown as its label, with a column of the row's unit after it.
    Measure,
    /// A unit as the CSV files name it, shown in words.
    Unit,
    /// A figure in the row's unit, to the decimals its interval supports; a share as a
    /// percentage.
    Figure,
    /// An end of a level's 95% interval: a figure, a share clipped to [0, 1].
    LevelEnd,
    /// Left out: what another column already says.
    Hidden,
}

use Kind::*;

/// A CSV-backed sheet: its name, each CSV column's header in words and how it shows, and
/// the unit of every figure when the rows share one (else each row's metric, or its `unit`
/// column, gives it).
pub(super) struct TableSheet {
    /// The sheet's name.
    pub name: &'static str,
    /// `(CSV column, header in words, kind)`; `param_<key>` columns show as their key.
    pub columns: &'static [(&'static str, &'static str, Kind)],
    /// The unit of every figure, as the CSV files name units, when the rows share one.
    pub unit: Option<&'static str>,
}

/// The header of the low end of a level's interval.
const LOW_CLIPPED: &str = "95% CI low (a share's clipped at 0%)";
/// The header of the high end of a level's interval.
const HIGH_CLIPPED: &str = "95% CI high (a share's clipped at 100%)";

/// `comparisons.csv`: every paired difference.
pub(super) const COMPARISONS: TableSheet = TableSheet {
    name: "Comparisons",
    columns: &[
        ("seed", "seed", Number),
        ("units", "N", Number),
        ("option_a", "option A", Text),
        ("option_b", "option B", Text),
        ("metric", "measure", Measure),
        ("n", "replications", Number),
        ("mean_diff", "mean difference, A - B", Figure),
        ("sd", "sd of the difference", Figure),
        ("ci95_low", "95% CI low", Figure),
        ("ci95_high", "95% CI high", Figure),
        ("significant", "significant (interval excludes 0)", Flag),
    ],
    unit: None,
};

/// `best_n.csv`: each option's best N against its other N.
pub(super) const WHICH_N: TableSheet = TableSheet {
    name: "Which N",
    columns: &[
        ("seed", "seed", Number),
        ("option", "option", Text),
        ("metric", "measure", Measure),
        ("best_units", "best N", Number),
        ("best_mean", "mean at the best N", Figure),
        ("best_sure", "best N sure", Flag),
        ("shape", "shape against N", Text),
        ("units", "other N", Number),
        ("n", "replications", Number),
        ("mean_diff", "mean difference, other N - best N", Figure),
        ("sd", "sd of the difference", Figure),
        ("ci95_low", "95% CI low", Figure),
        ("ci95_high", "95% CI high", Figure),
        ("significant", "significant (interval above 0)", Flag),
    ],
    unit: None,
};

/// `lead_parts.csv`: why the leader leads, part by part, in GBP a head a year.
pub(super) const LEAD_PARTS: TableSheet = TableSheet {
    name: "Lead parts",
    columns: &[
        ("seed", "seed", Number),
        ("units", "N", Number),
        ("leader", "leader", Text),
        ("runner_up", "runner-up", Text),
        ("metric", "", Hidden),
        ("part", "part of the headline", Text),
        ("group", "group", Text),
        ("n", "replications", Number),
        ("mean", "lead from this part (GBP a head a year)", Figure),
        ("ci95_low", "95% CI low", Figure),
        ("ci95_high", "95% CI high", Figure),
    ],
    unit: Some("GBP/head/year"),
};

/// `facts.csv`: the model beside what was reported in 2012-13.
pub(super) const FACTS: TableSheet = TableSheet {
    name: "Facts",
    columns: &[
        ("seed", "seed", Number),
        ("option", "option", Text),
        ("units", "N", Number),
        ("fact", "reported fact", Text),
        ("source", "source", Text),
        ("model_figure", "model's figure", Text),
        ("unit", "unit", Unit),
        ("mean", "model's mean", Figure),
        ("ci95_low", LOW_CLIPPED, LevelEnd),
        ("ci95_high", HIGH_CLIPPED, LevelEnd),
        ("band_low", "band low", Figure),
        ("band_high", "band high", Figure),
        ("band", "band in words", Text),
        ("inside", "mean inside the band", Flag),
    ],
    unit: None,
};

/// `regions.csv`: each region's figures.
pub(super) const REGIONS: TableSheet = TableSheet {
    name: "Regions",
    columns: &[
        ("seed", "seed", Number),
        ("option", "option", Text),
        ("units", "N", Number),
        ("region", "region", Text),
        ("ccgs", "CCGs", Number),
        ("population", "population", Number),
        ("metric", "measure", Measure),
        ("unit", "", Hidden),
        ("n", "replications", Number),
        ("undefined", "replications where undefined", Number),
        ("mean", "mean", Figure),
        ("ci95_low", LOW_CLIPPED, LevelEnd),
        ("ci95_high", HIGH_CLIPPED, LevelEnd),
    ],
    unit: None,
};

impl TableSheet {
    /// Returns the header and kind of a CSV column (a swept key's column shows as its key).
    fn column(&self, name: &str) -> (String, Kind) {
        if let Some(key) = name.strip_prefix("param_") {
            return (key.to_string(), Number);
        }
        self.columns
            .iter()
            .find(|(csv, _, _)| *csv == name)
            .map_or((name.to_string(), Text), |(_, header, kind)| {
                (header.to_string(), *kind)
            })
    }
}

/// What a row's figures need: whether they are shares, and the half-width of its interval.
struct RowContext {
    metric: Option<Metric>,
    unit: String,
    share: bool,
    half_width: f64,
}

impl RowContext {
    fn of(table: &TableSheet, names: &[String], record: &::csv::StringRecord) -> RowContext {
        let field = |name: &str| names.iter().position(|n| n == name).and_then(|i| record.get(i));
        let number = |name: &str| field(name).and_then(|v| v.parse::<f64>().ok());
        let metric = field("metric").and_then(|name| Metric::ALL.iter().copied().find(|m| m.name() == name));
        let unit = table
            .unit
            .or_else(|| metric.map(metric_unit))
            .or_else(|| field("unit"))
            .unwrap_or("")
            .to_string();
        let half_width = match (number("ci95_low"), number("ci95_high")) {
            (Some(low), Some(high)) => (high - low) / 2.0,
            _ => f64::NAN,
        };
        RowContext {
            metric,
            share: unit == "share of 1",
            unit,
            half_width,
        }
    }
}

/// Writes a CSV file's rows as a sheet set out for reading.
pub(super) fn table_sheet(
    sheet: &mut Worksheet,
    table: &TableSheet,
    csv: &[u8],
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name(table.name)?;
    let mut reader = ::csv::ReaderBuilder::new().from_reader(csv);
    let names: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(String::from).collect())
        .unwrap_or_default();
    let columns: Vec<(String, Kind)> = names.iter().map(|name| table.column(name)).collect();
    let mut col = 0;
    for (header, kind) in &columns {
        let shown: &[&str] = match kind {
            Hidden => &[],
            Measure => &[header, "unit"],
            _ => &[header],
        };
        for text in shown {
            sheet.write_string_with_format(0, col, *text, bold)?;
            col += 1;
        }
    }
    for (idx, record) in reader.records().filter_map(Result::ok).enumerate() {
        let context = RowContext::of(table, &names, &record);
        let row = idx as u32 + 1;
        let mut col = 0;
        for ((_, kind), field) in columns.iter().zip(record.iter()) {
            col += write_field(sheet, row, col, *kind, field, &context)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes one CSV field as its kind shows it; returns the number of columns it took.
fn write_field(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    kind: Kind,
    field: &str,
    context: &RowContext,
) -> Result<u16, XlsxError> {
    let value = field.parse::<f64>().ok();
    match kind {
        Hidden => return Ok(0),
        Measure => {
            let label: &str = match context.metric {
                Some(metric) => metric.label(),
                None => field,
            };
            sheet.write_string(row, col, label)?;
            sheet.write_string(row, col + 1, unit_in_words(&context.unit).0)?;
            return Ok(2);
        }
        Unit => {
            sheet.write_string(row, col, unit_in_words(field).0)?;
        }
        Flag => match field {
            "true" | "inside" => {
                sheet.write_boolean(row, col, true)?;
            }
            "false" | "outside" => {
                sheet.write_boolean(row, col, false)?;
            }
            _ if !field.is_empty() => {
                sheet.write_string(row, col, field)?;
            }
            _ => {}
        },
        Number => match value {
            Some(value) => put(sheet, row, col, value, &Format::new())?,
            None if !field.is_empty() => {
                sheet.write_string(row, col, field)?;
            }
            None => {}
        },
        Figure | LevelEnd => {
            if let Some(mut value) = value {
                if kind == LevelEnd && context.share {
                    value = value.clamp(0.0, 1.0);
                }
                put(
                    sheet,
                    row,
                    col,
                    value,
                    &supported_format(context.half_width, context.share),
                )?;
            }
        }
        Text => {
            if !field.is_empty() {
                sheet.write_string(row, col, field)?;
            }
        }
    }
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(table: &TableSheet, names: &[&str], fields: &[&str]) -> RowContext {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        RowContext::of(table, &names, &::csv::StringRecord::from(fields.to_vec()))
    }

    /// A swept key's column shows as the key; a known column by its words; an unknown one
    /// as itself, as text.
    #[test]
    fn columns_show_in_words() {
        assert_eq!(REGIONS.column("param_risk.p_weak"), ("risk.p_weak".to_string(), Number));
        assert_eq!(REGIONS.column("ci95_low"), (LOW_CLIPPED.to_string(), LevelEnd));
        assert_eq!(COMPARISONS.column("significant").1, Flag);
        assert_eq!(FACTS.column("new_column"), ("new_column".to_string(), Text));
    }

    /// A row is a share when its metric is one (Regions), when its unit column says so
    /// (Facts), never in a sheet of one unit per head (Lead parts); its half-width is half its
    /// interval.
    #[test]
    fn a_row_knows_its_unit_and_interval() {
        let names = ["metric", "ci95_low", "ci95_high"];
        let unmet = context(&REGIONS, &names, &["unmet_share", "0.02", "0.06"]);
        assert!(unmet.share && (unmet.half_width - 0.02).abs() < 1e-15);
        let cost = context(&REGIONS, &names, &["cost_per_head_incl_unmet", "9", "10"]);
        assert!(!cost.share && cost.half_width == 0.5);
        let part = context(&LEAD_PARTS, &names, &["unmet_share", "0.1", "0.3"]);
        assert!(!part.share, "lead parts are GBP a head");
        let fact = context(
            &FACTS,
            &["unit", "ci95_low", "ci95_high"],
            &["share of 1", "0.1", "0.2"],
        );
        assert!(fact.share);
        let open = context(&FACTS, &["unit", "ci95_low", "ci95_high"], &["number", "", "3"]);
        assert!(!open.share && open.half_width.is_nan());
    }

    /// Flags read as booleans ("inside" as true, "outside" as false); a flag or number the
    /// sheet does not know stays as its text rather than vanishing; an empty field leaves
    /// the cell empty. Written to a workbook and read back with calamine.
    #[test]
    fn flags_are_booleans_and_unknown_text_stays_text() {
        use calamine::{Data, Reader, Xlsx};
        let fields = [
            (Flag, "true", Data::Bool(true)),
            (Flag, "inside", Data::Bool(true)),
            (Flag, "false", Data::Bool(false)),
            (Flag, "outside", Data::Bool(false)),
            (Flag, "unclear", Data::String("unclear".to_string())),
            (Flag, "", Data::Empty),
            (Number, "n/a", Data::String("n/a".to_string())),
            (Number, "2.5", Data::Float(2.5)),
        ];
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let row = context(&COMPARISONS, &["significant"], &["true"]);
        for (col, (kind, field, _)) in fields.iter().enumerate() {
            assert_eq!(write_field(sheet, 0, col as u16, *kind, field, &row).unwrap(), 1);
        }
        let bytes = book.save_to_buffer().unwrap();
        let mut read: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = read.worksheet_range("Sheet1").unwrap();
        for (col, (_, field, want)) in fields.into_iter().enumerate() {
            let got = range.get_value((0, col as u32)).cloned().unwrap_or(Data::Empty);
            assert_eq!(got, want, "'{field}'");
        }
    }
}
