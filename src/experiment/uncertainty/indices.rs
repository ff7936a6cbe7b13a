//! From the evaluated parameter sets to what the page reports: Sobol' indices, Morris
//! statistics, tornado bars, the value of information, each option's best N and the decision
//! rule. Every function here is pure arithmetic on cell means.

use super::evaluate::CellMeans;
use super::results::{BestUnits, DefaultVerdict, Design, Output, RuleAnswer, TornadoBar, ValueOfInformation};
use super::{UncertaintyError, gap_to_best_rival, output_value};
use crate::model::OptionKind;
use crate::scenario::DecisionRule;
use crate::stats::design::Trajectory;
use crate::stats::percentile_sorted;
use crate::stats::sensitivity::{MorrisEffects, SobolIndices, morris_effects, sobol_indices};
use crate::stats::voi::{evpi, evppi};

/// Returns every output the indices are computed for: each cell's headline, then each N's
/// margin (where there is a runner-up).
pub fn output_targets(cells: &[(OptionKind, usize)], verdicts: &[DefaultVerdict]) -> Vec<Output> {
    cells
        .iter()
        .map(|&(o, n)| Output::Headline(o, n))
        .chain(
            verdicts
                .iter()
                .filter(|v| v.runner_up.is_some())
                .map(|v| Output::Margin(v.units)),
        )
        .collect()
}

/// Returns the Sobol' indices of every target from the Saltelli design's means.
pub fn sobol(
    targets: &[Output],
    cells: &[(OptionKind, usize)],
    verdicts: &[DefaultVerdict],
    design: &Design,
    bootstrap: usize,
    mut uniform: impl FnMut() -> f64,
) -> Vec<(Output, Vec<SobolIndices>)> {
    let (f_a, f_b, f_ab) = (&design.f_a, &design.f_b, &design.f_ab);
    targets
        .iter()
        .map(|&target| {
            let value = |means: &Vec<CellMeans>| output_value(target, cells, means, verdicts);
            let a: Vec<f64> = f_a.iter().map(value).collect();
            let b: Vec<f64> = f_b.iter().map(value).collect();
            let ab: Vec<Vec<f64>> = f_ab.iter().map(|rows| rows.iter().map(value).collect()).collect();
            (target, sobol_indices(&a, &b, &ab, bootstrap, &mut uniform))
        })
        .collect()
}

/// Returns Morris's statistics of every target from the trajectories' means, in order.
pub fn morris(
    targets: &[Output],
    cells: &[(OptionKind, usize)],
    verdicts: &[DefaultVerdict],
    trajectories: &[Trajectory],
    outputs: &[Vec<CellMeans>],
    inputs: usize,
) -> Vec<(Output, Vec<MorrisEffects>)> {
    targets
        .iter()
        .map(|&target| {
            let mut effects = vec![Vec::new(); inputs];
            let mut offset = 0;
            for trajectory in trajectories {
                let values: Vec<f64> = outputs[offset..offset + trajectory.points.len()]
                    .iter()
                    .map(|means| output_value(target, cells, means, verdicts))
                    .collect();
                for (s, pair) in values.windows(2).enumerate() {
                    effects[trajectory.changed[s]].push((pair[1] - pair[0]) / trajectory.step[s]);
                }
                offset += trajectory.points.len();
            }
            (target, morris_effects(&effects))
        })
        .collect()
}

/// Returns the tornado bars: for each N and input, the default leader's lead over its best
/// rival at each end (`outputs` holds each input's low then high end, in input order).
pub fn tornado(
    cells: &[(OptionKind, usize)],
    verdicts: &[DefaultVerdict],
    outputs: &[Vec<CellMeans>],
    inputs: usize,
) -> Vec<TornadoBar> {
    let mut bars = Vec::new();
    for verdict in verdicts.iter().filter(|v| v.runner_up.is_some()) {
        let lead = |means: &Vec<CellMeans>| {
            let (gap, rival) = gap_to_best_rival(cells, means, verdict.leader, verdict.units);
            (-gap, rival)
        };
        for i in 0..inputs {
            let (at_low, rival_low) = lead(&outputs[2 * i]);
            let (at_high, rival_high) = lead(&outputs[2 * i + 1]);
            bars.push(TornadoBar {
                units: verdict.units,
                input: i,
                at_low,
                at_high,
                rival_low,
                rival_high,
            });
        }
    }
    bars
}

/// Returns the EVPI and each input's EVPPI for the choice of option at each N, then for the
/// choice of option and N together; net benefit is minus the headline.
pub fn value_of_information(
    cells: &[(OptionKind, usize)],
    units: &[usize],
    psa: &[Vec<CellMeans>],
    points: &[&Vec<f64>],
    inputs: usize,
) -> Result<Vec<ValueOfInformation>, UncertaintyError> {
    let decisions: Vec<(Option<usize>, Vec<usize>)> = units
        .iter()
        .map(|&n| (Some(n), (0..cells.len()).filter(|&c| cells[c].1 == n).collect()))
        .chain(std::iter::once((None, (0..cells.len()).collect())))
        .collect();
    decisions
        .into_iter()
        .map(|(units, columns)| {
            let nb: Vec<Vec<f64>> = psa
                .iter()
                .map(|means| columns.iter().map(|&c| -means[c].headline).collect())
                .collect();
            let evppi = (0..inputs)
                .map(|i| {
                    let theta: Vec<f64> = points.iter().map(|p| p[i]).collect();
                    evppi(&theta, &nb).map_err(|e| UncertaintyError::Inconsistent(e.to_string()))
                })
                .collect::<Result<Vec<f64>, _>>()?;
            Ok(ValueOfInformation {
                units,
                evpi: evpi(&nb),
                evppi,
            })
        })
        .collect()
}

/// Returns each option's N with the lowest mean headline over the PSA.
pub fn best_units(cells: &[(OptionKind, usize)], options: &[OptionKind], psa: &[Vec<CellMeans>]) -> Vec<BestUnits> {
    let mean = |c: usize| psa.iter().map(|m| m[c].headline).sum::<f64>() / psa.len() as f64;
    options
        .iter()
        .filter_map(|&option| {
            let columns: Vec<usize> = (0..cells.len()).filter(|&c| cells[c].0 == option).collect();
            let &best = columns.iter().min_by(|&&x, &&y| mean(x).total_cmp(&mean(y)))?;
            let wins = psa
                .iter()
                .filter(|m| columns.iter().all(|&c| m[best].headline <= m[c].headline))
                .count();
            let mut values: Vec<f64> = psa.iter().map(|m| m[best].headline).collect();
            values.sort_by(f64::total_cmp);
            Some(BestUnits {
                option,
                units: cells[best].1,
                mean: mean(best),
                interval: (percentile_sorted(&values, 0.025), percentile_sorted(&values, 0.975)),
                probability: wins as f64 / psa.len() as f64,
            })
        })
        .collect()
}

/// Returns, per N, the cheapest option (mean headline over the PSA) whose unmet share stays at
/// or below the rule's limit in at least the rule's share of PSA sets.
pub fn rule_answers(
    rule: DecisionRule,
    cells: &[(OptionKind, usize)],
    units: &[usize],
    psa: &[Vec<CellMeans>],
) -> Vec<RuleAnswer> {
    let k = psa.len() as f64;
    units
        .iter()
        .map(|&n| {
            let choice = (0..cells.len())
                .filter(|&c| cells[c].1 == n)
                .filter(|&c| {
                    psa.iter().filter(|m| m[c].unmet <= rule.max_unmet_share).count() as f64 / k >= rule.confidence
                })
                .min_by(|&x, &y| {
                    let mean = |c: usize| psa.iter().map(|m| m[c].headline).sum::<f64>();
                    mean(x).total_cmp(&mean(y))
                })
                .map(|c| cells[c].0);
            RuleAnswer { units: n, choice }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn means(headlines: [f64; 3]) -> Vec<CellMeans> {
        headlines
            .iter()
            .map(|&headline| CellMeans {
                headline,
                replications: 10,
                ..CellMeans::default()
            })
            .collect()
    }

    /// Issue 25's tornado: at the scenario's values national (9.0) leads network (9.5) and hubs
    /// (10.0). With the input at its low end network is still the best rival (lead 0.5); at its
    /// high end hubs (9.3) has overtaken network (9.6): the bar is national's lead over hubs,
    /// 0.3, not over network (0.6), and names hubs.
    #[test]
    fn the_tornado_measures_the_lead_over_the_best_rival_at_each_end() {
        let cells = [
            (OptionKind::National, 23),
            (OptionKind::Network, 23),
            (OptionKind::Hubs, 23),
        ];
        let verdicts = [DefaultVerdict {
            units: 23,
            leader: OptionKind::National,
            runner_up: Some(OptionKind::Network),
            margin: 0.5,
        }];
        let outputs = [means([9.0, 9.5, 10.0]), means([9.0, 9.6, 9.3])];
        let bars = tornado(&cells, &verdicts, &outputs, 1);
        assert_eq!(bars.len(), 1);
        let bar = bars[0];
        assert!(
            (bar.at_low - 0.5).abs() < 1e-12 && (bar.at_high - 0.3).abs() < 1e-12,
            "{bar:?}"
        );
        assert_eq!((bar.rival_low, bar.rival_high), (OptionKind::Network, OptionKind::Hubs));
    }
}
