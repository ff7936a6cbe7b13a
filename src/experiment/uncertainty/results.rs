//! What the uncertainty analysis found, and the questions the output layer asks of it.

use super::evaluate::CellMeans;
use super::switching::SideSearch;
use super::{Plan, gap_to_best_rival};
use crate::model::OptionKind;
use crate::scenario::{DecisionRule, UncertainInput};
use crate::stats::percentile_sorted;
use crate::stats::sensitivity::{MorrisEffects, SobolIndices};

/// An uncertain input as the analysis reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct InputInfo {
    /// The input as the scenario gives it.
    pub source: UncertainInput,
    /// Dotted key.
    pub path: &'static str,
    /// Unit of the key's values.
    pub unit: &'static str,
    /// The scenario's value, used when the input is not varied.
    pub default: f64,
    /// The distribution in words, e.g. `uniform 5e6 to 2e7`.
    pub distribution: String,
    /// The tornado's low and high ends (5th and 95th percentiles).
    pub tornado: (f64, f64),
    /// The analysis's range: the 0.1st and 99.9th percentiles.
    pub range: (f64, f64),
    /// Whether it is a value of section 5a or the penalty on unmet work (a `value.` key):
    /// what the analyst thinks scale buys, not how the model runs.
    pub is_value: bool,
}

/// What an index or effect is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// An option's headline at N.
    Headline(OptionKind, usize),
    /// The default runner-up's headline minus the default leader's at N (positive: the leader
    /// is ahead).
    Margin(usize),
}

/// The verdict at one N and the scenario's values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DefaultVerdict {
    /// Number of units N.
    pub units: usize,
    /// Cheapest option.
    pub leader: OptionKind,
    /// Second cheapest, if there is one.
    pub runner_up: Option<OptionKind>,
    /// Runner-up minus leader \[GBP per head per year\].
    pub margin: f64,
}

/// One input's bar at one N: the default leader's lead over its best rival at that point,
/// with the input at each end of its tornado range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TornadoBar {
    /// Number of units N.
    pub units: usize,
    /// Index of the input.
    pub input: usize,
    /// The lead with the input at its 5th percentile (negative: the leader is behind).
    pub at_low: f64,
    /// The lead with the input at its 95th percentile.
    pub at_high: f64,
    /// The best rival at the low end.
    pub rival_low: OptionKind,
    /// The best rival at the high end.
    pub rival_high: OptionKind,
}

impl TornadoBar {
    /// Returns the bar's width, the larger of its two departures from the default lead.
    pub fn swing(&self, default: f64) -> f64 {
        (self.at_low - default).abs().max((self.at_high - default).abs())
    }
}

/// Where the cheapest option changes as one input moves, at one N, on each side of the
/// scenario's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Switch {
    /// Number of units N.
    pub units: usize,
    /// Index of the input.
    pub input: usize,
    /// The default leader.
    pub leader: OptionKind,
    /// The search below the scenario's value.
    pub below: SideSearch,
    /// The search above it.
    pub above: SideSearch,
}

/// The value of information for one decision.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueOfInformation {
    /// The decision: the option at this N, or `None` for option and N together.
    pub units: Option<usize>,
    /// EVPI \[GBP per head per year\].
    pub evpi: f64,
    /// EVPPI of each input \[GBP per head per year\].
    pub evppi: Vec<f64>,
}

/// One option's best N over the PSA.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BestUnits {
    /// The option.
    pub option: OptionKind,
    /// N with the lowest mean headline over the PSA.
    pub units: usize,
    /// That mean.
    pub mean: f64,
    /// 2.5th and 97.5th percentiles of the headline at that N over the PSA.
    pub interval: (f64, f64),
    /// Share of PSA sets in which this N is the option's cheapest.
    pub probability: f64,
}

/// The decision rule's answer at one N.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RuleAnswer {
    /// Number of units N.
    pub units: usize,
    /// The cheapest option (mean headline over the PSA) meeting the rule, if any does.
    pub choice: Option<OptionKind>,
}

/// A probability over parameter sets: a share of `sets`, with its 95% interval (Wilson's
/// score interval for a binomial share, the uncertainty of estimating it from this many sets).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Share {
    /// Sets counted.
    pub count: usize,
    /// Sets in all.
    pub sets: usize,
}

impl Share {
    /// Returns the share.
    pub fn value(&self) -> f64 {
        if self.sets == 0 {
            f64::NAN
        } else {
            self.count as f64 / self.sets as f64
        }
    }

    /// Returns Wilson's 95% score interval: `(p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) /
    /// (1 + z^2/n)`, z = 1.959964 (Wilson 1927).
    pub fn interval(&self) -> (f64, f64) {
        if self.sets == 0 {
            return (f64::NAN, f64::NAN);
        }
        let (z, n, p) = (1.959964, self.sets as f64, self.value());
        let centre = p + z * z / (2.0 * n);
        let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
        let scale = 1.0 + z * z / n;
        // At a share of 0 or 1 the interval ends at it exactly (rounding would move it).
        let low = if self.count == 0 {
            0.0
        } else {
            ((centre - spread) / scale).max(0.0)
        };
        let high = if self.count == self.sets {
            1.0
        } else {
            ((centre + spread) / scale).min(1.0)
        };
        (low, high)
    }
}

/// The PSA sets confirmed at more replications, per N.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Confirmation {
    /// Number of units N.
    pub units: usize,
    /// Sets run again at this N: those where the cheapest option was not the scenario's
    /// leader, or where the leader's lead was within its own Monte Carlo interval.
    pub rerun: usize,
    /// Of those, the sets where the cheapest option changed on the re-run.
    pub changed: usize,
    /// Of those, the sets whose lead was still within its 95% interval at the most
    /// replications: near-ties, counted for whichever option was cheaper on average.
    pub unsettled: usize,
    /// Median half-width of the unsettled sets' 95% intervals \[GBP per head\].
    pub half_width: f64,
    /// Standard deviation of the lead over the PSA sets \[GBP per head\].
    pub spread: f64,
}

/// The Saltelli design and its outputs, kept so that anyone can recompute the indices.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// Rows of A, as cumulative probabilities.
    pub a: Vec<Vec<f64>>,
    /// Rows of B.
    pub b: Vec<Vec<f64>>,
    /// Cell means at the rows of A, in [`UncertaintyResults::cells`] order.
    pub f_a: Vec<Vec<CellMeans>>,
    /// Cell means at the rows of B.
    pub f_b: Vec<Vec<CellMeans>>,
    /// Cell means at the rows of AB_i, for each input i.
    pub f_ab: Vec<Vec<Vec<CellMeans>>>,
}

/// The PSA sample as the probabilities use it: every row of A then B, with the cells that
/// were confirmed at more replications replaced by their confirmed means.
#[derive(Clone, Debug, PartialEq)]
pub struct Psa {
    /// Cell means per set.
    pub sets: Vec<Vec<CellMeans>>,
    /// The confirmation counts, per N.
    pub confirmations: Vec<Confirmation>,
}

/// Everything the analysis found.
#[derive(Clone, Debug, PartialEq)]
pub struct UncertaintyResults {
    /// The uncertain inputs, in scenario order.
    pub inputs: Vec<InputInfo>,
    /// The cells, option then N.
    pub cells: Vec<(OptionKind, usize)>,
    /// The N values.
    pub units: Vec<usize>,
    /// Register population \[people\], to turn per-head values into GBP m for England.
    pub population: f64,
    /// What the analysis ran.
    pub plan: Plan,
    /// Cell means at the scenario's values, with the one-at-a-time replications.
    pub defaults: Vec<CellMeans>,
    /// The verdict at the scenario's values, per N.
    pub verdicts: Vec<DefaultVerdict>,
    /// The Saltelli design; A and B together are the PSA sample.
    pub design: Design,
    /// The PSA with every input ranged, confirmed sets replaced.
    pub psa: Psa,
    /// The PSA with the value inputs held at the scenario's values (the same rows of A and
    /// B otherwise), confirmed likewise; `None` when no value input is ranged.
    pub psa_held: Option<Psa>,
    /// Sobol' indices of every input, per output.
    pub sobol: Vec<(Output, Vec<SobolIndices>)>,
    /// Morris statistics of every input, per output.
    pub morris: Vec<(Output, Vec<MorrisEffects>)>,
    /// Tornado bars, per N and input.
    pub tornado: Vec<TornadoBar>,
    /// Switching values, per N and input.
    pub switching: Vec<Switch>,
    /// Value of information, per N and then for option and N together.
    pub value_of_information: Vec<ValueOfInformation>,
    /// Each option's best N.
    pub best_units: Vec<BestUnits>,
    /// The decision rule and its answer per N, if the scenario has one.
    pub rule: Option<(DecisionRule, Vec<RuleAnswer>)>,
}

impl Psa {
    /// Returns, per N, each option's share of sets in which it is cheapest.
    pub fn probability_best(
        &self,
        cells: &[(OptionKind, usize)],
        units: &[usize],
    ) -> Vec<(usize, Vec<(OptionKind, Share)>)> {
        units
            .iter()
            .map(|&n| {
                let columns: Vec<usize> = (0..cells.len()).filter(|&c| cells[c].1 == n).collect();
                let mut wins = vec![0usize; columns.len()];
                for means in &self.sets {
                    if let Some(best) = (0..columns.len())
                        .min_by(|&x, &y| means[columns[x]].headline.total_cmp(&means[columns[y]].headline))
                    {
                        wins[best] += 1;
                    }
                }
                let shares = columns
                    .iter()
                    .zip(wins)
                    .map(|(&c, count)| {
                        (
                            cells[c].0,
                            Share {
                                count,
                                sets: self.sets.len(),
                            },
                        )
                    })
                    .collect();
                (n, shares)
            })
            .collect()
    }

    /// Returns the mean headline of a cell over the sets.
    pub fn mean(&self, cell: usize) -> f64 {
        self.sets.iter().map(|m| m[cell].headline).sum::<f64>() / self.sets.len() as f64
    }
}

impl UncertaintyResults {
    /// Returns the PSA sample's cell means as the Sobol' indices use them: the rows of A, then
    /// of B, at the PSA's replications (not confirmed).
    pub fn design_psa(&self) -> Vec<&Vec<CellMeans>> {
        self.design.f_a.iter().chain(&self.design.f_b).collect()
    }

    /// Returns, per N, each option's share of (confirmed) PSA sets in which it is cheapest.
    pub fn probability_best(&self) -> Vec<(usize, Vec<(OptionKind, Share)>)> {
        self.psa.probability_best(&self.cells, &self.units)
    }

    /// Returns, per N, the default leader's lead over its best rival in every (confirmed) PSA
    /// set (negative where it is not cheapest).
    pub fn margins(&self) -> Vec<(usize, Vec<f64>)> {
        self.verdicts
            .iter()
            .map(|v| {
                let margins = self
                    .psa
                    .sets
                    .iter()
                    .map(|means| -gap_to_best_rival(&self.cells, means, v.leader, v.units).0)
                    .collect();
                (v.units, margins)
            })
            .collect()
    }

    /// Returns the input values at a design point of cumulative probabilities.
    pub fn values_at(&self, point: &[f64]) -> Vec<f64> {
        self.inputs
            .iter()
            .zip(point)
            .map(|(input, &p)| input.source.value_at(p))
            .collect()
    }

    /// Returns the cell with the lowest mean headline over the (confirmed) PSA, every option
    /// and N together, with its interval over the PSA and the share of sets it is cheapest in.
    pub fn best_overall(&self) -> Option<BestUnits> {
        let sets = &self.psa.sets;
        let best = (0..self.cells.len()).min_by(|&x, &y| self.psa.mean(x).total_cmp(&self.psa.mean(y)))?;
        let wins = sets
            .iter()
            .filter(|m| (0..self.cells.len()).all(|c| m[best].headline <= m[c].headline))
            .count();
        let mut values: Vec<f64> = sets.iter().map(|m| m[best].headline).collect();
        values.sort_by(f64::total_cmp);
        Some(BestUnits {
            option: self.cells[best].0,
            units: self.cells[best].1,
            mean: self.psa.mean(best),
            interval: (percentile_sorted(&values, 0.025), percentile_sorted(&values, 0.975)),
            probability: wins as f64 / sets.len() as f64,
        })
    }

    /// Returns the default margin at N.
    pub fn default_margin(&self, units: usize) -> f64 {
        self.verdicts
            .iter()
            .find(|v| v.units == units)
            .map_or(f64::NAN, |v| v.margin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wilson's interval by hand: 88 of 100, z = 1.96: centre (0.88 + 3.8416 / 200) / 1.038416
    /// = 0.865941, spread 1.96 sqrt(0.88 x 0.12 / 100 + 3.8416 / 40,000) / 1.038416 =
    /// 0.064065: 0.8019 to 0.9300.
    #[test]
    fn wilson_intervals_by_hand() {
        let share = Share { count: 88, sets: 100 };
        let (low, high) = share.interval();
        assert!(
            (low - 0.8019).abs() < 2e-4 && (high - 0.9300).abs() < 2e-4,
            "{low} {high}"
        );
        let all = Share { count: 512, sets: 512 };
        assert_eq!(all.interval().1, 1.0);
        assert!(all.interval().0 > 0.99 && all.interval().0 < 1.0);
        let none = Share { count: 0, sets: 512 };
        assert_eq!(none.interval().0, 0.0);
    }
}
