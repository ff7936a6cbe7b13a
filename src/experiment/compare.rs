//! Paired comparisons of options (docs/model.md section 8): replication r gives every option the
//! same CCG draws, so the per-replication difference between two options has a much tighter
//! interval than the two options' own intervals suggest.

use crate::model::OptionKind;
use crate::model::{Metric, Outcome};
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
        excludes_zero(&self.summary())
    }
}

/// Returns true when an interval lies wholly above or wholly below zero; one touching zero
/// does not exclude it.
fn excludes_zero(summary: &Summary) -> bool {
    summary.ci_low > 0.0 || summary.ci_high < 0.0
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{N_METRICS, WorkLedger};

    /// An outcome with only the headline and unmet share set.
    fn outcome(headline: f64, unmet: f64) -> Outcome {
        let mut values = [f64::NAN; N_METRICS];
        values[Metric::HEADLINE as usize] = headline;
        values[Metric::UnmetShare as usize] = unmet;
        Outcome {
            values,
            work: WorkLedger::default(),
            contracted_by_month: Vec::new(),
            places: None,
        }
    }

    /// One group at N = 23 of national (cell 0), hubs (cell 1) and network (cell 2), fed four
    /// replications of headlines (national, hubs, network).
    fn three_options(replications: &[[f64; 3]]) -> (Group, Comparisons) {
        let group: Group = (
            23,
            0,
            vec![
                (OptionKind::National, 0),
                (OptionKind::Hubs, 1),
                (OptionKind::Network, 2),
            ],
        );
        let mut comparisons = Comparisons::new(std::slice::from_ref(&group));
        for row in replications {
            comparisons.add(&row.map(|h| outcome(h, 0.0)));
        }
        (group, comparisons)
    }

    /// Headlines: national 8, 9, 8.5, 8.5 (mean 8.5); hubs one more (9.5); network 0.6 more
    /// than national every time (9.1). National leads, network is the runner-up, the paired
    /// differences national - network are all -0.6 (sd 0), so the margin is exactly
    /// 0.6 [0.6, 0.6], and national is below both rivals with certainty.
    #[test]
    fn the_leader_is_the_lowest_mean_and_its_margin_is_the_paired_difference() {
        let rows = [[8.0, 9.0, 8.6], [9.0, 10.0, 9.6], [8.5, 9.5, 9.1], [8.5, 9.5, 9.1]];
        let (group, comparisons) = three_options(&rows);
        let means = [8.5, 9.5, 9.1];
        let leader = leader(&group, &comparisons, |c| means[c], Metric::HEADLINE).unwrap();
        assert_eq!(leader.option, OptionKind::National);
        assert_eq!(leader.mean, 8.5);
        assert_eq!(leader.runner_up, Some(OptionKind::Network));
        let (runner_up, margin, low, high) = leader.margin(1.0).unwrap();
        assert_eq!(runner_up, OptionKind::Network);
        for x in [margin, low, high] {
            assert!((x - 0.6).abs() < 1e-12, "{x}");
        }
        assert!(leader.significant);
        // The most expensive option never leads.
        let reversed = [9.5, 8.5, 9.1];
        let other = super::leader(&group, &comparisons, |c| reversed[c], Metric::HEADLINE).unwrap();
        assert_eq!(other.option, OptionKind::Hubs);
    }

    /// `find` stores hubs - network and gives network - hubs flipped: the mean, the interval and
    /// the median change sign, the interval's ends and the outer percentiles swap.
    #[test]
    fn a_comparison_asked_the_other_way_round_is_flipped() {
        // hubs - network: 0.4, 0.4, 0.2, 0.6 (mean 0.4).
        let rows = [[0.0, 9.0, 8.6], [0.0, 9.0, 8.6], [0.0, 9.0, 8.8], [0.0, 9.0, 8.4]];
        let (_, comparisons) = three_options(&rows);
        let (forward, _) = comparisons
            .find(23, 0, OptionKind::Hubs, OptionKind::Network, Metric::HEADLINE)
            .unwrap();
        let (backward, significant) = comparisons
            .find(23, 0, OptionKind::Network, OptionKind::Hubs, Metric::HEADLINE)
            .unwrap();
        assert!((forward.mean - 0.4).abs() < 1e-12);
        assert!((backward.mean + 0.4).abs() < 1e-12);
        assert_eq!((backward.ci_low, backward.ci_high), (-forward.ci_high, -forward.ci_low));
        assert_eq!((backward.p5, backward.p95), (-forward.p95, -forward.p5));
        // The median of the differences 0.2, 0.4, 0.4, 0.6 is 0.4; asked the other way, -0.4.
        assert!((forward.p50 - 0.4).abs() < 1e-12 && (backward.p50 + 0.4).abs() < 1e-12);
        assert!(significant);
        assert!(
            comparisons
                .find(10, 0, OptionKind::Hubs, OptionKind::Network, Metric::HEADLINE)
                .is_none()
        );
    }

    /// An interval excludes zero when it lies wholly above or below it, not when it crosses
    /// or touches it.
    #[test]
    fn an_interval_excludes_zero_only_when_it_lies_strictly_on_one_side() {
        let interval = |ci_low: f64, ci_high: f64| Summary {
            n: 10,
            mean: (ci_low + ci_high) / 2.0,
            sd: 1.0,
            ci_low,
            ci_high,
            p5: ci_low,
            p50: (ci_low + ci_high) / 2.0,
            p95: ci_high,
        };
        for (low, high, excludes) in [
            (0.1, 0.3, true),
            (-0.3, -0.1, true),
            (-0.1, 0.1, false),
            (0.0, 0.2, false),
            (-0.2, 0.0, false),
            (0.0, 0.0, false),
            (f64::NAN, f64::NAN, false),
        ] {
            assert_eq!(excludes_zero(&interval(low, high)), excludes, "[{low}, {high}]");
        }
    }

    /// A comparison's flag, from replications: differences of 0.5 each time lie above zero,
    /// of -0.5 below it, of +1 and -1 across it, of 0 on it.
    #[test]
    fn a_comparison_is_significant_when_its_paired_differences_keep_one_sign() {
        let flag = |national_minus_hubs: &[f64]| {
            let rows: Vec<[f64; 3]> = national_minus_hubs.iter().map(|d| [9.0 + d, 9.0, 9.0]).collect();
            let (_, comparisons) = three_options(&rows);
            let item = comparisons
                .items
                .iter()
                .find(|c| c.option_b == OptionKind::Hubs && c.metric == Metric::HEADLINE)
                .unwrap();
            item.significant()
        };
        assert!(flag(&[0.5, 0.5, 0.5]), "above zero");
        assert!(flag(&[-0.5, -0.5, -0.5]), "below zero");
        assert!(!flag(&[1.0, -1.0, 1.0, -1.0]), "across zero");
        assert!(!flag(&[0.0, 0.0, 0.0]), "on zero");
    }

    /// A lone option leads, but not surely: with no rival there is nothing to be sure against.
    #[test]
    fn a_lone_option_leads_without_being_sure() {
        let group: Group = (23, 0, vec![(OptionKind::Hubs, 0)]);
        let mut comparisons = Comparisons::new(std::slice::from_ref(&group));
        comparisons.add(&[outcome(9.0, 0.0)]);
        let lone = leader(&group, &comparisons, |_| 9.0, Metric::HEADLINE).unwrap();
        assert_eq!((lone.option, lone.runner_up, lone.lead), (OptionKind::Hubs, None, None));
        assert!(!lone.significant);
    }

    /// "Significant" needs the interval strictly below zero: a tie in every replication (an
    /// interval of exactly [0, 0]) is not a lead, the smallest positive gap is.
    #[test]
    fn significance_is_strict_at_the_boundary() {
        let tie = [[8.0, 8.0, 9.0], [8.5, 8.5, 9.5], [9.0, 9.0, 10.0]];
        let (group, comparisons) = three_options(&tie);
        let means = [8.5, 8.5 + f64::EPSILON * 8.0, 9.5];
        let leader = leader(&group, &comparisons, |c| means[c], Metric::HEADLINE).unwrap();
        assert_eq!(leader.option, OptionKind::National);
        assert!(!leader.significant, "an interval of [0, 0] is not a lead");
        // The smallest gap, two units in the last place at 8 (2^-48), the same in every
        // replication: an interval of [-gap, -gap], strictly below zero.
        let gap = 2f64.powi(-48);
        let apart = [[8.0, 8.0 + gap, 9.0], [8.5, 8.5 + gap, 9.5]];
        let (group, comparisons) = three_options(&apart);
        let leader = super::leader(&group, &comparisons, |c| [8.25, 8.25 + gap, 9.25][c], Metric::HEADLINE).unwrap();
        let (lead, _) = comparisons
            .find(23, 0, OptionKind::National, OptionKind::Hubs, Metric::HEADLINE)
            .unwrap();
        assert_eq!((lead.ci_low, lead.ci_high), (-gap, -gap));
        assert!(leader.significant, "a gap of 2^-48 in every replication is a lead");
        // With one rival inside the interval, the lead is not significant.
        let noisy = [[8.0, 9.0, 7.0], [8.0, 9.0, 9.5]];
        let (group, comparisons) = three_options(&noisy);
        let leader = super::leader(&group, &comparisons, |c| [8.0, 9.0, 8.25][c], Metric::HEADLINE).unwrap();
        assert_eq!(leader.option, OptionKind::National);
        assert!(!leader.significant);
    }
}
