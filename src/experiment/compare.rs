//! Paired comparisons of options (docs/model.md section 8): replication r gives every option the
//! same CCG draws, so the per-replication difference between two options has a much tighter
//! interval than the two options' own intervals suggest.

use crate::delivery::OptionKind;
use crate::engine::{Metric, Outcome};
use crate::stats::{Accumulator, MetricAccumulator, Summary};

/// Metrics on which options are compared, headline first.
pub const COMPARED: [Metric; 4] = [
    Metric::HEADLINE,
    Metric::CostPerHeadInclUnmet,
    Metric::CostPerHead,
    Metric::UnmetShare,
];

/// The paired difference `option_a - option_b` of one metric at one N and sweep point.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Number of units N.
    pub units: usize,
    /// Sweep point index.
    pub point: usize,
    /// First option.
    pub option_a: OptionKind,
    /// Second option.
    pub option_b: OptionKind,
    /// The metric compared.
    pub metric: Metric,
    cell_a: usize,
    cell_b: usize,
    differences: MetricAccumulator,
}

impl Comparison {
    /// Returns the summary of the per-replication differences `a - b`.
    pub fn summary(&self) -> Summary {
        self.differences.summary()
    }

    /// Returns true when the 95% confidence interval of the mean difference excludes zero.
    pub fn significant(&self) -> bool {
        let s = self.summary();
        s.ci_low > 0.0 || s.ci_high < 0.0
    }
}

/// Every pairwise comparison of an experiment.
#[derive(Clone, Debug, Default)]
pub struct Comparisons {
    /// In order: sweep point, N, option pair (scenario order), metric.
    pub items: Vec<Comparison>,
}

/// A group of cells sharing N and sweep point: `(units, point, [(option, cell index)])`.
pub type Group = (usize, usize, Vec<(OptionKind, usize)>);

impl Comparisons {
    /// Plans every comparison within each group.
    pub fn new(groups: &[Group]) -> Comparisons {
        let mut items = Vec::new();
        for (units, point, cells) in groups {
            for (idx, &(option_a, cell_a)) in cells.iter().enumerate() {
                for &(option_b, cell_b) in &cells[idx + 1..] {
                    for metric in COMPARED {
                        items.push(Comparison {
                            units: *units,
                            point: *point,
                            option_a,
                            option_b,
                            metric,
                            cell_a,
                            cell_b,
                            differences: MetricAccumulator::default(),
                        });
                    }
                }
            }
        }
        Comparisons { items }
    }

    /// Adds one replication's outcomes (one per cell).
    pub fn add(&mut self, outcomes: &[Outcome]) {
        for item in &mut self.items {
            let difference = outcomes[item.cell_a].get(item.metric) - outcomes[item.cell_b].get(item.metric);
            item.differences.add(difference);
        }
    }

    /// Returns the comparison of `a - b` on `metric` at (units, point), in either order.
    pub fn find(
        &self,
        units: usize,
        point: usize,
        a: OptionKind,
        b: OptionKind,
        metric: Metric,
    ) -> Option<(Summary, bool)> {
        self.items.iter().find_map(|c| {
            let here = c.units == units && c.point == point && c.metric == metric;
            if here && c.option_a == a && c.option_b == b {
                Some((c.summary(), c.significant()))
            } else if here && c.option_a == b && c.option_b == a {
                let s = c.summary();
                let flipped = Summary {
                    mean: -s.mean,
                    ci_low: -s.ci_high,
                    ci_high: -s.ci_low,
                    p5: -s.p95,
                    p50: -s.p50,
                    p95: -s.p5,
                    ..s
                };
                Some((flipped, c.significant()))
            } else {
                None
            }
        })
    }
}

/// The best option on one metric at one N and sweep point, and how sure the lead is.
#[derive(Clone, Debug, PartialEq)]
pub struct Leader {
    /// The option with the lowest mean.
    pub option: OptionKind,
    /// Its mean.
    pub mean: f64,
    /// The runner-up, if there is one.
    pub runner_up: Option<OptionKind>,
    /// Paired difference leader - runner-up (negative: the leader is lower).
    pub lead: Option<Summary>,
    /// True when the leader is lower than every other option with 95% confidence.
    pub significant: bool,
}

impl Leader {
    /// Returns the margin over the runner-up, positive when the leader is lower:
    /// `(runner-up, mean, ci_low, ci_high)` of runner-up minus leader, times `scale`.
    pub fn margin(&self, scale: f64) -> Option<(OptionKind, f64, f64, f64)> {
        let lead = self.lead.as_ref()?;
        Some((
            self.runner_up?,
            -scale * lead.mean,
            -scale * lead.ci_high,
            -scale * lead.ci_low,
        ))
    }
}

/// Returns the option with the lowest mean of `metric` in a group, if any has one.
pub fn leader(
    group: &Group,
    comparisons: &Comparisons,
    mean_of: impl Fn(usize) -> f64,
    metric: Metric,
) -> Option<Leader> {
    let (units, point, cells) = group;
    let mut ranked: Vec<(OptionKind, f64)> = cells
        .iter()
        .map(|&(o, c)| (o, mean_of(c)))
        .filter(|(_, m)| !m.is_nan())
        .collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
    let &(option, mean) = ranked.first()?;
    let runner_up = ranked.get(1).map(|r| r.0);
    let lead = runner_up
        .and_then(|r| comparisons.find(*units, *point, option, r, metric))
        .map(|(s, _)| s);
    let significant = ranked.len() > 1
        && ranked[1..].iter().all(|&(other, _)| {
            comparisons
                .find(*units, *point, option, other, metric)
                .is_some_and(|(s, _)| s.ci_high < 0.0)
        });
    Some(Leader {
        option,
        mean,
        runner_up,
        lead,
        significant,
    })
}
