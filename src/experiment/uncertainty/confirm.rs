//! Confirmation of PSA sets: Monte Carlo noise is not uncertainty.
//!
//! A PSA set's means come from few replications (10 by default), so in a set where two
//! options are close the cheaper one can be cheaper by chance. Counting such sets as a win
//! for the other option would report noise as doubt about the verdict. So every set where, at
//! some N, the cheapest option is not the scenario's leader, or the leader's lead over its
//! best rival lies within its own 95% Monte Carlo interval, is run again at that N, and the
//! probabilities and the value of information use the confirmed means. The re-runs climb a
//! ladder of replications, 100, 300, then `confirm_replications`: a set leaves it as soon as
//! its leader's lead (or deficit) is clear of its interval, so that only the sets whose lead is
//! close to zero pay for the most replications.

use super::evaluate::{CellMeans, Evaluator, Progress};
use super::{DefaultVerdict, UncertaintyError, gap_half_width, gap_to_best_rival};
use crate::model::{OptionKind, Params};

/// Returns the N at which a set's means need confirming: the cheapest option is not the
/// scenario's leader, or the leader's lead is within its 95% interval (or has none).
pub fn needs_confirming(cells: &[(OptionKind, usize)], means: &[CellMeans], verdicts: &[DefaultVerdict]) -> Vec<usize> {
    verdicts
        .iter()
        .filter(|v| v.runner_up.is_some())
        .filter(|v| {
            let (gap, rival) = gap_to_best_rival(cells, means, v.leader, v.units);
            let half = gap_half_width(cells, means, v.leader, rival, v.units);
            let surely_ahead = gap + half < 0.0;
            gap >= 0.0 || !surely_ahead
        })
        .map(|v| v.units)
        .collect()
}

/// A set's confirmed means and the N confirmed, or `None` for a set that needed none.
pub type Confirmed = Option<(Vec<CellMeans>, Vec<usize>)>;

/// The rungs of the ladder of replications below the cap.
const LADDER: [u64; 2] = [100, 300];

/// Confirms the sets `params` whose means are `means`: returns, per set, the means with the
/// cells of every N that needed confirming replaced by their means on the ladder's last rung
/// they needed (at most `replications`), and those N; `None` for a set that needed none. The
/// sets on one rung at one N run in parallel.
pub fn confirm(
    evaluator: &Evaluator,
    cells: &[(OptionKind, usize)],
    verdicts: &[DefaultVerdict],
    params: &[Params],
    means: &[Vec<CellMeans>],
    replications: u64,
    progress: &dyn Progress,
) -> Result<Vec<Confirmed>, UncertaintyError> {
    let mut confirmed: Vec<Confirmed> = vec![None; means.len()];
    if replications == 0 {
        return Ok(confirmed);
    }
    let quick = means.first().map_or(0, |m| m.first().map_or(0, |c| c.replications));
    let rungs: Vec<u64> = LADDER
        .iter()
        .copied()
        .filter(|&r| r > quick && r < replications)
        .chain(std::iter::once(replications))
        .collect();
    for verdict in verdicts {
        let n = verdict.units;
        let only_n = std::slice::from_ref(verdict);
        let columns: Vec<usize> = (0..cells.len()).filter(|&c| cells[c].1 == n).collect();
        let mut open: Vec<usize> = (0..means.len())
            .filter(|&s| !needs_confirming(cells, &means[s], only_n).is_empty())
            .collect();
        for &rung in &rungs {
            if open.is_empty() {
                break;
            }
            let batch: Vec<Params> = open.iter().map(|&s| params[s].clone()).collect();
            let again = evaluator
                .evaluate_all(&batch, rung, Some(n), progress)
                .ok_or(UncertaintyError::Interrupted)?;
            for (&s, at_n) in open.iter().zip(again) {
                let (set, done) = confirmed[s].get_or_insert_with(|| (means[s].clone(), Vec::new()));
                for (&c, m) in columns.iter().zip(at_n) {
                    set[c] = m;
                }
                if !done.contains(&n) {
                    done.push(n);
                }
            }
            // A set whose lead is now clear of its interval, either way, leaves the ladder.
            open.retain(|&s| {
                confirmed[s]
                    .as_ref()
                    .is_some_and(|(m, _)| within_noise(cells, m, verdict))
            });
        }
    }
    Ok(confirmed)
}

/// Returns whether the leader's lead (or deficit) at the verdict's N lies within its 95%
/// interval.
fn within_noise(cells: &[(OptionKind, usize)], means: &[CellMeans], verdict: &DefaultVerdict) -> bool {
    let (gap, rival) = gap_to_best_rival(cells, means, verdict.leader, verdict.units);
    let half = gap_half_width(cells, means, verdict.leader, rival, verdict.units);
    let clear = gap + half < 0.0 || gap - half > 0.0;
    !clear
}

#[cfg(test)]
mod tests {
    use super::*;

    fn means(headlines: &[f64], pair_sd: f64, replications: u64) -> Vec<CellMeans> {
        headlines
            .iter()
            .map(|&headline| CellMeans {
                headline,
                unmet: 0.0,
                replications,
                pair_sd: [pair_sd; OptionKind::COUNT],
            })
            .collect()
    }

    /// National (the scenario's leader) and hubs at N = 10. A set where hubs is cheaper needs
    /// confirming; one where national leads by 0.5 with a paired sd of 0.2 over 10
    /// replications (half-width t(0.975, 9) 0.2 / sqrt 10 = 0.143) does not; one where it
    /// leads by 0.1 does (within 0.143).
    #[test]
    fn sets_that_flip_or_lead_within_noise_are_confirmed() {
        let cells = [(OptionKind::National, 10), (OptionKind::Hubs, 10)];
        let verdicts = [DefaultVerdict {
            units: 10,
            leader: OptionKind::National,
            runner_up: Some(OptionKind::Hubs),
            margin: 0.3,
        }];
        assert_eq!(needs_confirming(&cells, &means(&[9.5, 9.4], 0.2, 10), &verdicts), [10]);
        assert!(needs_confirming(&cells, &means(&[9.0, 9.5], 0.2, 10), &verdicts).is_empty());
        assert_eq!(needs_confirming(&cells, &means(&[9.4, 9.5], 0.2, 10), &verdicts), [10]);
        // One replication has no interval: confirmed.
        assert_eq!(
            needs_confirming(&cells, &means(&[9.0, 9.5], f64::NAN, 1), &verdicts),
            [10]
        );
    }
}
