//! What a reader must be told beside the numbers (docs/model.md sections 5a, 8 and 8b): where an
//! option stops being what its name says, how much the values of section 5a move the
//! headline, and how the 2013 configuration compares with what was reported in 2012-13.
//!
//! Everything here is derived from [`ExperimentResults`]; the output layer only words and
//! lays it out.

use super::ExperimentResults;
use super::results::CellResult;
use crate::engine::Metric;
use crate::model::OptionKind;
use crate::stats::Summary;

/// An option serving through fewer than this share of its N units, on average, is flagged.
pub const LOW_SERVING_SHARE: f64 = 0.5;

/// A warning that an option, in one cell, is not what its name says: its units mostly do not
/// serve, or in some replications none does.
#[derive(Clone, Debug, PartialEq)]
pub struct CellCaveat {
    /// The option.
    pub option: OptionKind,
    /// Number of units N.
    pub units: usize,
    /// Sweep point index.
    pub point: usize,
    /// Mean units serving a month over the operating period.
    pub serving: f64,
    /// Mean private share of the work served.
    pub private_share: f64,
    /// Replications in which no NHS unit served any CCG in any month.
    pub none_serving: u64,
    /// Replications run.
    pub replications: u64,
}

impl CellCaveat {
    /// Returns true when on average fewer than [`LOW_SERVING_SHARE`] of the N units serve.
    pub fn few_units(&self) -> bool {
        self.serving < LOW_SERVING_SHARE * self.units as f64
    }

    /// Returns the caveat as a sentence for a briefing reader; `place` names the sweep point,
    /// if any.
    pub fn sentence(&self, place: &str) -> String {
        let at = if place.is_empty() {
            format!("{} at N = {}", self.option, self.units)
        } else {
            format!("{} at N = {} ({place})", self.option, self.units)
        };
        let mut parts = Vec::new();
        if self.few_units() {
            parts.push(format!(
                "on average only {:.1} of its {} units serve any CCG (the others failed, did not take part or were not chosen)",
                self.serving, self.units
            ));
        }
        if self.none_serving > 0 {
            parts.push(format!(
                "in {} of {} replications no NHS unit serves any CCG at all",
                thousands(self.none_serving),
                thousands(self.replications)
            ));
        }
        format!(
            "{at}: {}; the private sector does {:.0}% of the work, so this is not the option its name describes",
            parts.join(", and "),
            100.0 * self.private_share
        )
    }
}

/// Formats a count with thousands separators (`1,499`).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (idx, c) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Returns the caveats of every cell that needs one, in run order.
pub fn caveats(results: &ExperimentResults) -> Vec<CellCaveat> {
    results
        .cells
        .iter()
        .map(|cell| {
            let serving = cell.summary(Metric::UnitsServingMean);
            CellCaveat {
                option: cell.option,
                units: cell.units,
                point: cell.point,
                serving: serving.mean,
                private_share: cell.summary(Metric::PrivateShare).mean,
                none_serving: cell.no_unit_serving,
                replications: serving.n,
            }
        })
        .filter(|caveat| caveat.few_units() || caveat.none_serving > 0)
        .collect()
}

/// How the values beyond running cost move one cell's headline \[GBP per head per year\].
#[derive(Clone, Debug, PartialEq)]
pub struct ValueEffect {
    /// The option.
    pub option: OptionKind,
    /// Number of units N.
    pub units: usize,
    /// Sweep point index.
    pub point: usize,
    /// Undone work at its private price (residual and unmet), added.
    pub undone: f64,
    /// The penalty on unmet work beyond its private price, added.
    pub penalty: f64,
    /// Negotiating savings, subtracted.
    pub leverage: f64,
    /// Shadow cost of overridden preferences, added.
    pub choice: f64,
}

/// The leader at one N and sweep point with and without the values of section 5a.
#[derive(Clone, Debug, PartialEq)]
pub struct VerdictShift {
    /// Number of units N.
    pub units: usize,
    /// Sweep point index.
    pub point: usize,
    /// Cheapest on the headline, `net_cost_per_head`.
    pub with_values: OptionKind,
    /// Cheapest on `cost_per_head_incl_unmet`, without leverage and choice.
    pub without_values: OptionKind,
}

/// Returns each cell's value effects, in run order.
pub fn value_effects(results: &ExperimentResults) -> Vec<ValueEffect> {
    let per_head = |cell: &CellResult, metric: Metric| cell.summary(metric).mean * 1e6 / results.meta.population;
    results
        .cells
        .iter()
        .map(|cell| ValueEffect {
            option: cell.option,
            units: cell.units,
            point: cell.point,
            undone: per_head(cell, Metric::CostUnmetAtPrivate) + per_head(cell, Metric::CostResidualAtPrivate),
            penalty: per_head(cell, Metric::CostUnmetPenalty),
            leverage: per_head(cell, Metric::SavingsLeverage),
            choice: per_head(cell, Metric::CostChoice),
        })
        .collect()
}

/// Returns true when leverage or choice moves any cell's headline.
pub fn values_set(results: &ExperimentResults) -> bool {
    value_effects(results)
        .iter()
        .any(|e| e.leverage != 0.0 || e.choice != 0.0)
}

/// Returns, per N and sweep point, the leader with the values of section 5a and without them.
pub fn verdict_shifts(results: &ExperimentResults) -> Vec<VerdictShift> {
    let with = results.verdicts();
    let without = results.verdicts_on(Metric::CostPerHeadInclUnmet);
    with.iter()
        .zip(&without)
        .filter_map(|(a, b)| {
            Some(VerdictShift {
                units: a.units,
                point: a.point,
                with_values: a.cheapest.as_ref()?.option,
                without_values: b.cheapest.as_ref()?.option,
            })
        })
        .collect()
}

/// How a figure is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// GBP per head, two decimals.
    PerHead,
    /// GBP m, no decimals.
    Millions,
    /// A share, as a percentage with one decimal.
    Percent,
    /// A count or ratio, one decimal.
    Number,
}

impl Shown {
    /// Formats a value.
    pub fn format(self, x: f64) -> String {
        match self {
            Shown::PerHead => format!("GBP {x:.2}"),
            Shown::Millions => format!("GBP {x:.0} m"),
            Shown::Percent => format!("{:.1}%", 100.0 * x),
            Shown::Number => format!("{x:.1}"),
        }
    }

    /// Formats a round figure such as a band's end, without needless decimals.
    pub fn format_round(self, x: f64) -> String {
        let plain = |v: f64| {
            let text = format!("{v:.1}");
            text.strip_suffix(".0").map_or(text.clone(), str::to_string)
        };
        match self {
            Shown::PerHead => format!("GBP {}", plain(x)),
            Shown::Millions => format!("GBP {} m", plain(x)),
            Shown::Percent => format!("{}%", plain(100.0 * x)),
            Shown::Number => plain(x),
        }
    }
}

/// One fact of section 8b, with the model's figure beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct FactLine {
    /// What was reported.
    pub fact: &'static str,
    /// Where it was reported, in words.
    pub source: &'static str,
    /// The model's figure, in words.
    pub figure: &'static str,
    /// The model's mean.
    pub mean: f64,
    /// The 95% confidence interval of the mean.
    pub ci: (f64, f64),
    /// The band the fact allows, inclusive; an open end is infinite.
    pub band: (f64, f64),
    /// How the figures are shown.
    pub shown: Shown,
}

impl FactLine {
    /// Returns true when the model's mean falls inside the band.
    pub fn inside(&self) -> bool {
        self.band.0 <= self.mean && self.mean <= self.band.1
    }

    /// Returns the band in words: `GBP 5 to GBP 15`, `at most GBP 670 m`, `at least 5%`.
    pub fn band_text(&self) -> String {
        let (low, high) = self.band;
        match (low.is_finite(), high.is_finite()) {
            (true, true) => format!("{} to {}", self.shown.format_round(low), self.shown.format_round(high)),
            (false, true) => format!("at most {}", self.shown.format_round(high)),
            (true, false) => format!("at least {}", self.shown.format_round(low)),
            (false, false) => "any".to_string(),
        }
    }
}

/// The facts check of one sweep point (section 8b).
#[derive(Clone, Debug, PartialEq)]
pub struct FactCheck {
    /// Sweep point index.
    pub point: usize,
    /// The N of the hubs cell checked: always 23 ([`FACTS_UNITS`]).
    pub units: usize,
    /// One line per fact, in section 8b order.
    pub lines: Vec<FactLine>,
}

/// The N of the 2013 configuration: 23 approved CSUs.
pub const FACTS_UNITS: usize = 23;

/// Returns the facts check of every sweep point that has a hubs cell at N = 23, the
/// configuration the facts describe; empty when the run has none ([`facts_unavailable`] says
/// why). Another N is not compared: the bands describe 23 CSUs, and a figure of 6 hubs set
/// against them would be marked outside for the wrong reason.
pub fn facts_check(results: &ExperimentResults) -> Vec<FactCheck> {
    let points = results.cells.iter().map(|c| c.point).max().map_or(0, |p| p + 1);
    (0..points)
        .filter_map(|point| {
            let cell = results.cell(OptionKind::Hubs, FACTS_UNITS, point)?;
            Some(FactCheck {
                point,
                units: cell.units,
                lines: fact_lines(cell, results.meta.n_ccgs),
            })
        })
        .collect()
}

/// Returns why the run has no facts check, in a sentence, or `None` when it has one.
pub fn facts_unavailable(results: &ExperimentResults) -> Option<String> {
    if !facts_check(results).is_empty() {
        return None;
    }
    let mut hubs: Vec<usize> = results
        .cells
        .iter()
        .filter(|c| c.option == OptionKind::Hubs)
        .map(|c| c.units)
        .collect();
    hubs.sort_unstable();
    hubs.dedup();
    let has = if hubs.is_empty() {
        "this run has no hubs cell".to_string()
    } else {
        let list: Vec<String> = hubs.iter().map(usize::to_string).collect();
        format!("this run's hubs cells have N = {}", list.join(", "))
    };
    Some(format!(
        "No facts check: the facts describe {FACTS_UNITS} CSUs chosen by CCGs, the hubs option with N = {FACTS_UNITS}, and {has}; add hubs and N = {FACTS_UNITS} to set the model beside 2012-13"
    ))
}

fn line(
    fact: &'static str,
    source: &'static str,
    figure: &'static str,
    summary: Summary,
    band: (f64, f64),
    shown: Shown,
) -> FactLine {
    FactLine {
        fact,
        source,
        figure,
        mean: summary.mean,
        ci: (summary.ci_low, summary.ci_high),
        band,
        shown,
    }
}

/// The seven lines of section 8b for one hubs cell.
fn fact_lines(cell: &CellResult, n_ccgs: usize) -> Vec<FactLine> {
    const SURVEY: &str =
        "survey of CCGs by the National Association of Primary Care and the NHS Alliance, reported in 2012";
    let s = |m: Metric| cell.summary(m);
    let serving = s(Metric::UnitsServingMean);
    let n = n_ccgs as f64;
    let per_unit = Summary {
        mean: n / serving.mean,
        ci_low: n / serving.ci_high,
        ci_high: n / serving.ci_low,
        ..serving
    };
    vec![
        line(
            "CCGs planned to spend about GBP 9 a head on their CSU in 2013/14 (range under 5 to over 15)",
            "HSJ survey of CCGs' planned spending on commissioning support, 2013/14",
            "cost per head",
            s(Metric::CostPerHead),
            (5.0, 15.0),
            Shown::PerHead,
        ),
        line(
            "CSUs were set to spend about GBP 670 m a year, including services beyond the four",
            "CSU budgets reported for 2013/14",
            "total cost a year",
            s(Metric::CostTotal),
            (f64::NEG_INFINITY, 670.0),
            Shown::Millions,
        ),
        line(
            "12% of CCGs disagreed that CSU costs were affordable",
            SURVEY,
            "share of CCGs paying more than their budget",
            s(Metric::OverBudgetShare),
            (0.06, 0.20),
            Shown::Percent,
        ),
        line(
            "32% of CCGs planned to use in-house expertise",
            SURVEY,
            "share of work done in-house",
            s(Metric::InHouseShare),
            (0.20, 0.40),
            Shown::Percent,
        ),
        line(
            "5% planned to go outside the NHS, and a lack of sellers could push more there",
            "the same survey; the NHS Alliance's chair on the shortage of CSUs, 2012",
            "share of work done privately",
            s(Metric::PrivateShare),
            (0.05, f64::INFINITY),
            Shown::Percent,
        ),
        line(
            "CSUs supported about 10 to 15 CCGs each",
            "the 2013 configuration: 23 CSUs for about 211 CCGs",
            "CCGs in the register per unit serving",
            per_unit,
            (8.0, 18.0),
            Shown::Number,
        ),
        line(
            "3 of 26 candidate CSUs were disbanded at the 2012 checkpoints",
            "NHS Commissioning Board Authority's CSU checkpoints, reported in 2012",
            "units failing the checkpoint (of 23)",
            s(Metric::FailuresCheckpoint),
            (1.0, 6.0),
            Shown::Number,
        ),
    ]
}

/// Returns the first cell whose mean headline is not a finite number, named, if any: a run
/// must never report a quiet NaN or infinity.
pub fn non_finite_headline(results: &ExperimentResults) -> Option<String> {
    results.cells.iter().find(|c| !c.summary(Metric::HEADLINE).mean.is_finite()).map(|c| {
        let point: Vec<String> = c.point_values.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        let at = if point.is_empty() { String::new() } else { format!(" ({})", point.join(", ")) };
        format!(
            "the headline of {} at N = {}{at} is not a finite number ({}): the scenario's values overflow the model's arithmetic",
            c.option,
            c.units,
            c.summary(Metric::HEADLINE).mean
        )
    })
}
