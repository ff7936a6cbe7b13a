//! Why the leader leads: the leader's margin over the runner-up, split into the parts of the
//! headline (docs/model.md section 8): each cost component, the undone work, negotiating
//! leverage and choice.
//!
//! The headline of a replication is the signed sum of its parts per head, so the paired
//! difference between two options is the sum of the paired differences of their parts, and
//! so are the means: the parts add up to the margin exactly, up to rounding. Each part carries
//! its own 95% interval (Student t on the per-replication differences).

use super::compare::Group;
use crate::model::Metric::{
    CostChoice, CostCoordination, CostDistance, CostInHouse, CostOverheads, CostPrivate, CostRemote,
    CostResidualAtPrivate, CostSharedFixed, CostTransactions, CostTransition, CostUnits, CostUnmetAtPrivate,
    CostUnmetPenalty, SavingsLeverage,
};
use crate::model::{HeadlinePart, N_HEADLINE_PARTS};
use crate::model::{Metric, Outcome};
use crate::stats::{Accumulator, MeanInterval, Moments};

/// The headline parts as a sentence groups them, each part in one group: what a reader
/// would call one reason.
pub const PART_GROUPS: [(&str, &[Metric]); 10] = [
    (
        "undone work",
        &[CostUnmetAtPrivate, CostUnmetPenalty, CostResidualAtPrivate],
    ),
    ("shared fixed costs and overheads", &[CostSharedFixed, CostOverheads]),
    ("units' running costs", &[CostUnits]),
    ("private payments", &[CostPrivate]),
    ("in-house provision", &[CostInHouse]),
    ("procurement and transition", &[CostTransactions, CostTransition]),
    ("network coordination", &[CostCoordination]),
    ("distance and remote delivery", &[CostDistance, CostRemote]),
    ("negotiating leverage", &[SavingsLeverage]),
    ("overridden choice", &[CostChoice]),
];

/// Per-replication differences of every headline part, and of every group of parts, between
/// two options of one group.
#[derive(Clone, Debug)]
struct PairParts {
    group: usize,
    /// Cells of the two options; differences are `a - b`.
    cell_a: usize,
    cell_b: usize,
    parts: [Moments; N_HEADLINE_PARTS],
    groups: [Moments; PART_GROUPS.len()],
}

/// The parts of the paired difference between every two options of every group (N and sweep
/// point), per head.
#[derive(Clone, Debug, Default)]
pub struct MarginParts {
    /// The headline parts, in [`Metric::headline_parts`] order.
    parts: Vec<HeadlinePart>,
    /// The group of each part, an index into [`PART_GROUPS`].
    group_of: Vec<usize>,
    pairs: Vec<PairParts>,
    /// Population the parts are per head of \[people\].
    population: f64,
}

/// One part of a margin: runner-up minus leader, per head, positive where the part favours
/// the leader.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarginPart {
    /// The part of the headline.
    pub part: HeadlinePart,
    /// Runner-up minus leader \[GBP per head per year\], with its interval.
    pub difference: MeanInterval,
}

impl MarginParts {
    /// Plans every pair of options within each group; parts are per head of `population`.
    pub fn new(groups: &[Group], population: f64) -> MarginParts {
        let mut pairs = Vec::new();
        for (group, (_, _, cells)) in groups.iter().enumerate() {
            for (idx, &(_, cell_a)) in cells.iter().enumerate() {
                for &(_, cell_b) in &cells[idx + 1..] {
                    pairs.push(PairParts {
                        group,
                        cell_a,
                        cell_b,
                        parts: [Moments::default(); N_HEADLINE_PARTS],
                        groups: [Moments::default(); PART_GROUPS.len()],
                    });
                }
            }
        }
        let parts: Vec<HeadlinePart> = Metric::headline_parts().collect();
        let group_of = parts
            .iter()
            .map(|part| {
                PART_GROUPS
                    .iter()
                    .position(|(_, members)| members.contains(&part.metric))
                    .unwrap_or(0)
            })
            .collect();
        MarginParts {
            parts,
            group_of,
            pairs,
            population,
        }
    }

    /// Adds one replication's outcomes (one per cell).
    pub fn add(&mut self, outcomes: &[Outcome]) {
        let per_head = 1e6 / self.population;
        for pair in &mut self.pairs {
            let (a, b) = (&outcomes[pair.cell_a], &outcomes[pair.cell_b]);
            let mut grouped = [0.0; PART_GROUPS.len()];
            for ((moments, part), &group) in pair.parts.iter_mut().zip(&self.parts).zip(&self.group_of) {
                let difference = part.sign * (a.get(part.metric) - b.get(part.metric)) * per_head;
                moments.add(difference);
                grouped[group] += difference;
            }
            for (moments, difference) in pair.groups.iter_mut().zip(grouped) {
                moments.add(difference);
            }
        }
    }

    /// Returns the pair of cells `leader` and `runner_up` in group `group`, and whether its
    /// differences must be negated to read runner-up minus leader.
    fn pair(&self, group: usize, leader: usize, runner_up: usize) -> Option<(&PairParts, bool)> {
        let pair = self.pairs.iter().find(|p| {
            p.group == group
                && ((p.cell_a, p.cell_b) == (leader, runner_up) || (p.cell_a, p.cell_b) == (runner_up, leader))
        })?;
        Some((pair, pair.cell_a == leader))
    }

    /// Returns the parts of `runner_up - leader` in group `group`, given by their cells, in
    /// [`Metric::headline_parts`] order; `None` if the two are not a planned pair.
    pub fn margin(&self, group: usize, leader: usize, runner_up: usize) -> Option<Vec<MarginPart>> {
        let (pair, flip) = self.pair(group, leader, runner_up)?;
        Some(
            self.parts
                .iter()
                .zip(&pair.parts)
                .map(|(&part, moments)| MarginPart {
                    part,
                    difference: oriented(moments, flip),
                })
                .collect(),
        )
    }

    /// Returns `runner_up - leader` for each group of [`PART_GROUPS`], in its order, with the
    /// interval of the group's per-replication sum.
    pub fn grouped(&self, group: usize, leader: usize, runner_up: usize) -> Option<Vec<(&'static str, MeanInterval)>> {
        let (pair, flip) = self.pair(group, leader, runner_up)?;
        Some(
            PART_GROUPS
                .iter()
                .zip(&pair.groups)
                .map(|(&(label, _), moments)| (label, oriented(moments, flip)))
                .collect(),
        )
    }
}

/// Returns the interval of `moments`, negated when `flip`.
fn oriented(moments: &Moments, flip: bool) -> MeanInterval {
    let interval = moments.interval();
    if flip { interval.negated() } else { interval }
}

#[cfg(test)]
mod group_tests {
    use super::*;

    /// Every headline part belongs to exactly one group.
    #[test]
    fn every_part_is_in_one_group() {
        for part in Metric::headline_parts() {
            let homes = PART_GROUPS.iter().filter(|(_, m)| m.contains(&part.metric)).count();
            assert_eq!(homes, 1, "{}", part.metric.name());
        }
        let members: usize = PART_GROUPS.iter().map(|(_, m)| m.len()).sum();
        assert_eq!(members, N_HEADLINE_PARTS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OptionKind;
    use crate::model::{N_METRICS, WorkLedger};

    /// An outcome whose parts are all 0 but units' cost, undone work (unmet at private price)
    /// and leverage savings, in GBP m a year; the headline is their signed sum per head of 2 m.
    fn outcome(units: f64, unmet: f64, savings: f64) -> Outcome {
        let mut values = [0.0; N_METRICS];
        values[Metric::CostUnits as usize] = units;
        values[Metric::CostUnmetAtPrivate as usize] = unmet;
        values[Metric::SavingsLeverage as usize] = savings;
        values[Metric::HEADLINE as usize] = (units + unmet - savings) / 2.0;
        Outcome {
            values,
            work: WorkLedger::default(),
            contracted_by_month: Vec::new(),
            places: None,
        }
    }

    /// Two options in one group (cells 0 and 1), population 2 m. Replications (units, unmet,
    /// savings) in GBP m: option 0 (20, 2, 1) and (22, 2, 1); option 1 (18, 8, 0) and
    /// (18, 10, 0). Headlines per head: option 0 10.5 and 11.5 (mean 11), option 1 13 and 14
    /// (mean 13.5): option 0 leads by 2.5. Per head, runner-up minus leader: units -1 and -2
    /// (mean -1.5), unmet 3 and 4 (3.5), leverage (a saving, sign -1) -(0 - 1) / 2 = 0.5 each:
    /// -1.5 + 3.5 + 0.5 = 2.5, the margin.
    #[test]
    fn the_parts_of_a_margin_add_up_to_it() {
        let group = (23, 0, vec![(OptionKind::National, 0), (OptionKind::Hubs, 1)]);
        let mut parts = MarginParts::new(&[group], 2e6);
        parts.add(&[outcome(20.0, 2.0, 1.0), outcome(18.0, 8.0, 0.0)]);
        parts.add(&[outcome(22.0, 2.0, 1.0), outcome(18.0, 10.0, 0.0)]);
        let margin = parts.margin(0, 0, 1).unwrap();
        let of = |metric: Metric| margin.iter().find(|p| p.part.metric == metric).unwrap().difference;
        assert!((of(Metric::CostUnits).mean + 1.5).abs() < 1e-12);
        assert!((of(Metric::CostUnmetAtPrivate).mean - 3.5).abs() < 1e-12);
        assert!((of(Metric::SavingsLeverage).mean - 0.5).abs() < 1e-12);
        let total: f64 = margin.iter().map(|p| p.difference.mean).sum();
        assert!((total - 2.5).abs() < 1e-12, "{total}");
        // Grouped: undone work 3.5, units' running costs -1.5, leverage 0.5, the rest 0.
        let grouped = parts.grouped(0, 0, 1).unwrap();
        let group = |label: &str| grouped.iter().find(|g| g.0 == label).unwrap().1.mean;
        assert!((group("undone work") - 3.5).abs() < 1e-12);
        assert!((group("units' running costs") + 1.5).abs() < 1e-12);
        assert!((group("negotiating leverage") - 0.5).abs() < 1e-12);
        assert_eq!(group("private payments"), 0.0);
        // Asked the other way round, every part changes sign.
        let reversed = parts.margin(0, 1, 0).unwrap();
        assert!((reversed.iter().map(|p| p.difference.mean).sum::<f64>() + 2.5).abs() < 1e-12);
        assert!(parts.margin(1, 0, 1).is_none());
    }
}
