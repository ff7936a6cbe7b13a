//! What a reader must be told beside the numbers (docs/model.md sections 5a, 8 and 8b): where an
//! option stops being what its name says, how much the values of section 5a move the
//! headline, and how the 2013 configuration compares with what was reported in 2012-13.
//!
//! Everything here is derived from [`ExperimentResults`]; the output layer only words and
//! lays it out.

use super::ExperimentResults;
use super::results::CellResult;
use crate::model::Metric;
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
}

/// Share of replications below which "no NHS unit serves" is called rare.
pub const RARE_SHARE: f64 = 0.01;

/// The caveats of one option, over every cell that needs one: said once, however many N and
/// sweep points (a sweep used to repeat the same warning for every point).
#[derive(Clone, Debug, PartialEq)]
pub struct CaveatGroup {
    /// The option.
    pub option: OptionKind,
    /// Its cells' caveats, in run order.
    pub cells: Vec<CellCaveat>,
}

/// Returns the caveats grouped by option, in run order.
pub fn caveat_groups(results: &ExperimentResults) -> Vec<CaveatGroup> {
    let mut groups: Vec<CaveatGroup> = Vec::new();
    for caveat in caveats(results) {
        match groups.iter_mut().find(|g| g.option == caveat.option) {
            Some(group) => group.cells.push(caveat),
            None => groups.push(CaveatGroup {
                option: caveat.option,
                cells: vec![caveat],
            }),
        }
    }
    groups
}

/// Formats `low` to `high` with `decimals`, or one figure when they print alike.
fn span(low: f64, high: f64, decimals: usize) -> String {
    let (a, b) = (format!("{low:.decimals$}"), format!("{high:.decimals$}"));
    if a == b { a } else { format!("{a} to {b}") }
}

impl CaveatGroup {
    /// Returns whether the warning is strong: in some cell most units do not serve, or no
    /// unit serves in at least [`RARE_SHARE`] of the replications.
    pub fn strong(&self) -> bool {
        self.cells
            .iter()
            .any(|c| c.few_units() || c.none_serving as f64 >= RARE_SHARE * c.replications as f64)
    }

    /// Returns the group's warning as one sentence: where (the N, and the sweep points out of
    /// `points`), how few units serve, how often none does, and how much work the private
    /// sector does; strong wording only where it is common.
    pub fn sentence(&self, points: usize) -> String {
        let mut units: Vec<usize> = self.cells.iter().map(|c| c.units).collect();
        units.sort_unstable();
        units.dedup();
        let list = match units.as_slice() {
            [one] => one.to_string(),
            [init @ .., last] => format!(
                "{} and {last}",
                init.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
            ),
            [] => String::new(),
        };
        let mut at = format!("{} at N = {list}", self.option);
        if points > 1 {
            let mut seen: Vec<usize> = self.cells.iter().map(|c| c.point).collect();
            seen.sort_unstable();
            seen.dedup();
            if seen.len() == points {
                at.push_str(", at every sweep point");
            } else {
                at.push_str(&format!(", at {} of {points} sweep points", seen.len()));
            }
        }
        let mut parts = Vec::new();
        let few: Vec<&CellCaveat> = self.cells.iter().filter(|c| c.few_units()).collect();
        if !few.is_empty() {
            let serving = few.iter().map(|c| c.serving);
            let (low, high) = (
                serving.clone().fold(f64::INFINITY, f64::min),
                serving.fold(0.0, f64::max),
            );
            let n_units: Vec<usize> = few.iter().map(|c| c.units).collect();
            let (n_low, n_high) = (
                n_units.iter().min().copied().unwrap_or(0),
                n_units.iter().max().copied().unwrap_or(0),
            );
            let of = if n_low == n_high {
                format!("of its {n_low}")
            } else {
                format!("of its {n_low} to {n_high}")
            };
            parts.push(format!(
                "on average only {} {of} units serve any CCG (the others failed, did not take part or were not chosen)",
                span(low, high, 1)
            ));
        }
        let (none, replications) = self
            .cells
            .iter()
            .fold((0, 0), |(n, r), c| (n + c.none_serving, r + c.replications));
        if none > 0 {
            let counted = format!("{} of {} replications", thousands(none), thousands(replications));
            if none as f64 >= RARE_SHARE * replications as f64 {
                parts.push(format!("in {counted} no NHS unit serves any CCG at all"));
            } else {
                parts.push(format!("rarely, in {counted}, no NHS unit serves any CCG"));
            }
        }
        let private = self.cells.iter().map(|c| c.private_share);
        let (p_low, p_high) = (
            private.clone().fold(f64::INFINITY, f64::min),
            private.fold(0.0, f64::max),
        );
        let tail = if self.strong() {
            "so this is not the option its name describes"
        } else {
            "a rare failure of the market, worth knowing, not the rule"
        };
        format!(
            "{at}: {}; the private sector does {}% of the work, {tail}",
            parts.join(", and "),
            span(100.0 * p_low, 100.0 * p_high, 0)
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

impl VerdictShift {
    /// Says whether the cheapest option rests on leverage and choice, as the console and the
    /// report give it (the place is the caller's).
    pub fn sentence(&self) -> String {
        if self.with_values == self.without_values {
            format!("{} is cheapest with or without leverage and choice", self.with_values)
        } else {
            format!(
                "{} is cheapest with leverage and choice; without them {} would be: the verdict rests on these values",
                self.with_values, self.without_values
            )
        }
    }
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
    /// Returns the unit of the figures, as the CSV files name units.
    pub fn unit(self) -> &'static str {
        match self {
            Shown::PerHead => "GBP/head/year",
            Shown::Millions => "GBP m/year",
            Shown::Percent => "share of 1",
            Shown::Number => "number",
        }
    }

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

#[cfg(test)]
mod caveat_tests {
    use super::*;

    fn cell(units: usize, point: usize, serving: f64, none: u64, replications: u64) -> CellCaveat {
        CellCaveat {
            option: OptionKind::Framework,
            units,
            point,
            serving,
            private_share: 0.3,
            none_serving: none,
            replications,
        }
    }

    /// Issue 27: one sentence for an option over its cells and sweep points; strong words
    /// when most units do not serve or no unit serves in 1% or more of replications, and a
    /// mild note for 1 in 5,400.
    #[test]
    fn caveats_are_grouped_and_their_wording_follows_how_common_they_are() {
        let group = CaveatGroup {
            option: OptionKind::Framework,
            cells: (0..5)
                .flat_map(|p| [cell(10, p, 3.1, 19, 1000), cell(35, p, 1.7, 110, 1000)])
                .collect(),
        };
        let sentence = group.sentence(5);
        assert!(
            sentence.starts_with(
                "framework at N = 10 and 35, at every sweep point: on average only 1.7 to 3.1 of its 10 to 35 units"
            ),
            "{sentence}"
        );
        assert!(
            sentence.contains("in 645 of 10,000 replications no NHS unit serves any CCG at all"),
            "{sentence}"
        );
        assert!(group.strong() && sentence.ends_with("not the option its name describes"));
        let rare = CaveatGroup {
            option: OptionKind::Framework,
            cells: vec![cell(23, 0, 20.0, 1, 5400)],
        };
        let sentence = rare.sentence(1);
        assert!(!rare.strong(), "1 in 5,400 is rare");
        assert!(
            sentence.contains("rarely, in 1 of 5,400 replications, no NHS unit serves"),
            "{sentence}"
        );
        assert!(!sentence.contains("not the option its name describes"), "{sentence}");
    }
}

#[cfg(test)]
mod shift_tests {
    use super::*;

    /// The two sentences, as the console and the report print them.
    #[test]
    fn a_verdict_shift_says_whether_the_verdict_rests_on_the_values() {
        let shift = |with_values, without_values| VerdictShift {
            units: 23,
            point: 0,
            with_values,
            without_values,
        };
        assert_eq!(
            shift(OptionKind::National, OptionKind::National).sentence(),
            "national is cheapest with or without leverage and choice"
        );
        assert_eq!(
            shift(OptionKind::National, OptionKind::Hubs).sentence(),
            "national is cheapest with leverage and choice; without them hubs would be: the verdict rests on these values"
        );
    }
}
