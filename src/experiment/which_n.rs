//! Which N is cheapest for each option (docs/model.md section 8, "Which N", version 5).
//!
//! The sites for a smaller N are the first of those for a larger one and keep their cost and
//! fate draws, and replication r gives every N the same CCG draws, so the difference between
//! two N of one option is paired, like the difference between two options: its interval is
//! that of the per-replication differences (Student t).

use crate::model::OptionKind;
use crate::model::{Metric, Outcome};
use crate::stats::{Accumulator, MetricAccumulator, Summary};

/// Metrics on which the N of one option are compared: the headline, then the unmet share.
pub const ACROSS_N: [Metric; 2] = [Metric::HEADLINE, Metric::UnmetShare];

/// The cells of one option at one sweep point, N ascending.
#[derive(Clone, Debug, PartialEq)]
pub struct Ladder {
    /// The option.
    pub option: OptionKind,
    /// Sweep point index.
    pub point: usize,
    /// `(N, cell index)`, N ascending.
    pub rungs: Vec<(usize, usize)>,
}

/// The paired difference between two N of one ladder on one metric: value at rung `i` minus
/// value at rung `j`, `i < j`.
#[derive(Clone, Debug)]
struct Pair {
    ladder: usize,
    i: usize,
    j: usize,
    metric: Metric,
    differences: MetricAccumulator,
}

/// Paired differences between every two N of every ladder with two or more N.
#[derive(Clone, Debug, Default)]
pub struct AcrossN {
    /// Every option and sweep point with two or more N, in the order of first appearance.
    pub ladders: Vec<Ladder>,
    pairs: Vec<Pair>,
}

impl AcrossN {
    /// Plans the pairs of every ladder of two or more rungs in `ladders`.
    pub fn new(ladders: Vec<Ladder>) -> AcrossN {
        let ladders: Vec<Ladder> = ladders.into_iter().filter(|l| l.rungs.len() >= 2).collect();
        let mut pairs = Vec::new();
        for (ladder, l) in ladders.iter().enumerate() {
            for i in 0..l.rungs.len() {
                for j in i + 1..l.rungs.len() {
                    for metric in ACROSS_N {
                        pairs.push(Pair {
                            ladder,
                            i,
                            j,
                            metric,
                            differences: MetricAccumulator::default(),
                        });
                    }
                }
            }
        }
        AcrossN { ladders, pairs }
    }

    /// Adds one replication's outcomes (one per cell).
    pub fn add(&mut self, outcomes: &[Outcome]) {
        for pair in &mut self.pairs {
            let rungs = &self.ladders[pair.ladder].rungs;
            let value = |rung: usize| outcomes[rungs[rung].1].get(pair.metric);
            pair.differences.add(value(pair.i) - value(pair.j));
        }
    }

    /// Returns the summary of value at rung `a` minus value at rung `b` of ladder `ladder`.
    fn difference(&self, ladder: usize, a: usize, b: usize, metric: Metric) -> Option<Summary> {
        let (i, j) = (a.min(b), a.max(b));
        let pair = self
            .pairs
            .iter()
            .find(|p| p.ladder == ladder && p.i == i && p.j == j && p.metric == metric)?;
        let s = pair.differences.summary();
        Some(if a < b { s } else { negated(s) })
    }

    /// Returns the best N of every ladder on `metric`, given each cell's mean.
    pub fn best(&self, metric: Metric, mean_of: impl Fn(usize) -> f64) -> Vec<BestN> {
        (0..self.ladders.len())
            .filter_map(|ladder| self.best_of(ladder, metric, &mean_of))
            .collect()
    }

    fn best_of(&self, ladder: usize, metric: Metric, mean_of: &impl Fn(usize) -> f64) -> Option<BestN> {
        let l = &self.ladders[ladder];
        let means: Vec<f64> = l.rungs.iter().map(|&(_, cell)| mean_of(cell)).collect();
        // The lowest mean; a tie goes to the smaller N.
        let best = (0..means.len())
            .filter(|&r| !means[r].is_nan())
            .min_by(|&a, &b| means[a].total_cmp(&means[b]))?;
        let others: Vec<(usize, Summary)> = (0..l.rungs.len())
            .filter(|&r| r != best)
            .filter_map(|r| Some((l.rungs[r].0, self.difference(ladder, r, best, metric)?)))
            .collect();
        let sure = others.iter().all(|(_, s)| s.ci_low > 0.0);
        Some(BestN {
            option: l.option,
            point: l.point,
            metric,
            units: l.rungs[best].0,
            mean: means[best],
            shape: Shape::of(&means, best, &others),
            others,
            sure,
        })
    }
}

/// Returns the summary of the negated values.
fn negated(s: Summary) -> Summary {
    Summary {
        mean: -s.mean,
        ci_low: -s.ci_high,
        ci_high: -s.ci_low,
        p5: -s.p95,
        p50: -s.p50,
        p95: -s.p5,
        ..s
    }
}

/// How an option's mean headline runs across the N of a ladder (three or more N).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Falls, then rises: the lowest mean is at an N inside the range, the means fall to it
    /// and rise after it, and both the smallest and the largest N are surely dearer (their
    /// paired intervals lie above 0), the seeds' claim for each function's cost.
    U,
    /// Lowest inside the range, but the means do not fall then rise throughout, or an end of
    /// the range is not surely dearer.
    Unclear,
    /// Lowest at the largest N run: a larger N may be cheaper still.
    Falls,
    /// Lowest at the smallest N run: a smaller N may be cheaper still.
    Rises,
}

impl Shape {
    /// Returns the shape of `means` (N ascending) with the lowest at rung `best`, given the
    /// paired differences of the other rungs from the best (N, other - best); `None` with
    /// fewer than three N.
    fn of(means: &[f64], best: usize, others: &[(usize, Summary)]) -> Option<Shape> {
        let k = means.len();
        if k < 3 {
            return None;
        }
        if best == 0 {
            return Some(Shape::Rises);
        }
        if best == k - 1 {
            return Some(Shape::Falls);
        }
        let falls = means[..=best].windows(2).all(|w| w[1] <= w[0]);
        let rises = means[best..].windows(2).all(|w| w[1] >= w[0]);
        // `others` lists the rungs but the best in order, so the ends are its first and last.
        let ends_sure = [others.first(), others.last()]
            .iter()
            .all(|end| end.is_some_and(|(_, s)| s.ci_low > 0.0));
        Some(if falls && rises && ends_sure {
            Shape::U
        } else {
            Shape::Unclear
        })
    }

    /// Returns the shape in a few words, for tables.
    pub fn words(self) -> &'static str {
        match self {
            Shape::U => "yes",
            Shape::Unclear => "not sure",
            Shape::Falls => "no: falls",
            Shape::Rises => "no: rises",
        }
    }
}

/// The N with the lowest mean of one option at one sweep point, and how sure it is.
#[derive(Clone, Debug, PartialEq)]
pub struct BestN {
    /// The option.
    pub option: OptionKind,
    /// Sweep point index.
    pub point: usize,
    /// The metric (headline or unmet share).
    pub metric: Metric,
    /// The best N.
    pub units: usize,
    /// Its mean.
    pub mean: f64,
    /// Every other N with the paired difference of its value over the best's (other - best),
    /// N ascending.
    pub others: Vec<(usize, Summary)>,
    /// True when every other N's interval lies wholly above 0.
    pub sure: bool,
    /// How the means run across N (three or more N).
    pub shape: Option<Shape>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{N_METRICS, WorkLedger};

    fn outcome(headline: f64) -> Outcome {
        let mut values = [f64::NAN; N_METRICS];
        values[Metric::HEADLINE as usize] = headline;
        values[Metric::UnmetShare as usize] = 0.1 * headline;
        Outcome {
            values,
            work: WorkLedger::default(),
            contracted_by_month: Vec::new(),
            places: None,
        }
    }

    /// One ladder of hubs at N = 10, 23, 35 (cells 0, 1, 2) fed replications of headlines.
    fn hubs(replications: &[[f64; 3]]) -> (AcrossN, [f64; 3]) {
        let ladder = Ladder {
            option: OptionKind::Hubs,
            point: 0,
            rungs: vec![(10, 0), (23, 1), (35, 2)],
        };
        let mut across = AcrossN::new(vec![ladder]);
        let mut sums = [0.0; 3];
        for row in replications {
            across.add(&row.map(outcome));
            for (sum, x) in sums.iter_mut().zip(row) {
                *sum += x;
            }
        }
        (across, sums.map(|s| s / replications.len() as f64))
    }

    /// Headlines by replication (N = 10, 23, 35): (10, 9, 11), (12, 10, 12), (11, 9.5, 11.5).
    /// Means 11, 9.5, 11.5: N = 23 is best. Paired differences from it: N = 10: 1, 2, 1.5
    /// (mean 1.5, sd 0.5, interval 1.5 +- t(0.975, 2) 0.5 / sqrt 3 = 1.5 +- 1.242: [0.258,
    /// 2.742]); N = 35: 2, 2, 2 (interval [2, 2]). Both above 0: sure, and a U.
    #[test]
    fn the_best_n_is_the_lowest_mean_with_paired_intervals_from_it() {
        let (across, means) = hubs(&[[10.0, 9.0, 11.0], [12.0, 10.0, 12.0], [11.0, 9.5, 11.5]]);
        let best = across.best(Metric::HEADLINE, |c| means[c]);
        assert_eq!(best.len(), 1);
        let best = &best[0];
        assert_eq!((best.units, best.mean), (23, 9.5));
        assert_eq!(best.others.iter().map(|o| o.0).collect::<Vec<_>>(), [10, 35]);
        let ten = best.others[0].1;
        assert!((ten.mean - 1.5).abs() < 1e-12);
        assert!(
            (ten.ci_low - 0.258).abs() < 1e-3 && (ten.ci_high - 2.742).abs() < 1e-3,
            "{ten:?}"
        );
        let thirty_five = best.others[1].1;
        assert_eq!(
            (thirty_five.mean, thirty_five.ci_low, thirty_five.ci_high),
            (2.0, 2.0, 2.0)
        );
        assert!(best.sure);
        assert_eq!(best.shape, Some(Shape::U));
        // The unmet share is compared the same way (0.1 x the headline here).
        let unmet = across.best(Metric::UnmetShare, |c| 0.1 * means[c]);
        assert_eq!(unmet[0].units, 23);
    }

    /// N = 10 against the best N = 23: differences 1, -1, 1.5 (mean 0.5): the interval
    /// crosses 0, so the best N is not sure, and neither is the U.
    #[test]
    fn an_interval_across_zero_is_not_sure() {
        let (across, means) = hubs(&[[10.0, 9.0, 11.0], [9.0, 10.0, 12.0], [11.0, 9.5, 11.5]]);
        let best = &across.best(Metric::HEADLINE, |c| means[c])[0];
        assert_eq!(best.units, 23);
        assert!(!best.sure);
        assert_eq!(best.shape, Some(Shape::Unclear));
    }

    /// A difference of exactly 0 in every replication is not "above 0": the interval [0, 0]
    /// touches it. The smaller N wins a tie of means.
    #[test]
    fn a_tie_is_not_sure_and_goes_to_the_smaller_n() {
        let (across, means) = hubs(&[[9.0, 9.0, 11.0], [10.0, 10.0, 12.0]]);
        let best = &across.best(Metric::HEADLINE, |c| means[c])[0];
        assert_eq!(best.units, 10);
        assert_eq!(best.others[0].1.ci_low, 0.0);
        assert!(!best.sure);
        assert_eq!(best.shape, Some(Shape::Rises));
    }

    /// Means falling with N put the best at the largest N; two N have no shape; a lone N has
    /// no ladder.
    #[test]
    fn shapes_at_the_ends_and_short_ladders() {
        let (across, means) = hubs(&[[12.0, 11.0, 10.0], [13.0, 11.5, 10.5]]);
        let best = &across.best(Metric::HEADLINE, |c| means[c])[0];
        assert_eq!((best.units, best.shape), (35, Some(Shape::Falls)));
        let two = AcrossN::new(vec![Ladder {
            option: OptionKind::National,
            point: 0,
            rungs: vec![(10, 0), (23, 1)],
        }]);
        let best = two.best(Metric::HEADLINE, |c| [2.0, 1.0][c]);
        assert_eq!(best[0].shape, None);
        let one = AcrossN::new(vec![Ladder {
            option: OptionKind::National,
            point: 0,
            rungs: vec![(10, 0)],
        }]);
        assert!(one.ladders.is_empty());
    }
}
