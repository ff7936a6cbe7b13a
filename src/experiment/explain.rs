//! Why the leader leads, and which N is best, in words (docs/model.md section 8): the findings
//! a director asks for first, derived from the paired comparisons and worded once here, so the
//! console, the report and the workbook say the same thing.
//!
//! Every number is printed with the decimals its 95% interval supports
//! ([`supported_decimals`]), and a part whose interval includes 0 is never named as a reason.

use super::ExperimentResults;
use super::margin::MarginPart;
use super::results::Verdict;
use super::which_n::{BestN, Shape};
use crate::model::OptionKind;
use crate::stats::{MeanInterval, supported_decimals};

/// Most decimals a sentence prints \[GBP per head\].
const MAX_DECIMALS: usize = 2;

/// The leader's margin over the runner-up at one N and sweep point, and its parts.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadExplanation {
    /// Number of units N.
    pub units: usize,
    /// Sweep point index.
    pub point: usize,
    /// The option with the lowest mean headline.
    pub leader: OptionKind,
    /// The option with the next lowest.
    pub runner_up: OptionKind,
    /// Runner-up minus leader \[GBP per head per year\], with its 95% interval.
    pub margin: MeanInterval,
    /// Runner-up minus leader for each group of parts ([`super::margin::PART_GROUPS`]).
    pub groups: Vec<(&'static str, MeanInterval)>,
    /// Runner-up minus leader for each part of the headline.
    pub parts: Vec<MarginPart>,
}

/// What a lead is made of, as a sentence and a waterfall chart show it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reasons {
    /// Groups of parts clear of Monte Carlo noise, largest first: runner-up minus leader.
    pub named: Vec<(&'static str, MeanInterval)>,
    /// What the other groups add together, when it shows at `rest_decimals`.
    pub rest: Option<f64>,
    /// The decimals the rest supports.
    pub rest_decimals: usize,
}

/// Returns the explanation of every verdict with two or more options, in run order.
pub fn explanations(results: &ExperimentResults) -> Vec<LeadExplanation> {
    results
        .verdicts()
        .iter()
        .filter_map(|verdict| explanation(results, verdict))
        .collect()
}

fn explanation(results: &ExperimentResults, verdict: &Verdict) -> Option<LeadExplanation> {
    let leader = verdict.cheapest.as_ref()?;
    let (runner_up, mean, low, high) = leader.margin(1.0)?;
    let group = results
        .groups
        .iter()
        .position(|g| g.0 == verdict.units && g.1 == verdict.point)?;
    let cell = |option| {
        results.groups[group]
            .2
            .iter()
            .find(|&&(o, _)| o == option)
            .map(|&(_, c)| c)
    };
    let (lead_cell, runner_cell) = (cell(leader.option)?, cell(runner_up)?);
    Some(LeadExplanation {
        units: verdict.units,
        point: verdict.point,
        leader: leader.option,
        runner_up,
        margin: MeanInterval {
            n: leader.lead.as_ref().map_or(0, |s| s.n),
            mean,
            low,
            high,
        },
        groups: results.margin_parts.grouped(group, lead_cell, runner_cell)?,
        parts: results.margin_parts.margin(group, lead_cell, runner_cell)?,
    })
}

/// Formats `x` to `decimals` places, never as a negative zero.
pub fn fixed(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

impl LeadExplanation {
    /// Returns true when the margin's interval lies wholly above 0.
    pub fn sure(&self) -> bool {
        self.margin.above_zero()
    }

    /// Returns the decimals the margin prints: those its interval supports.
    pub fn decimals(&self) -> usize {
        decimals_of(&self.margin)
    }

    /// Returns the groups whose interval excludes 0, largest first by size.
    fn named(&self) -> Vec<(&'static str, MeanInterval)> {
        let mut named: Vec<_> = self
            .groups
            .iter()
            .copied()
            .filter(|(_, i)| i.above_zero() || i.below_zero())
            .collect();
        named.sort_by(|a, b| b.1.mean.abs().total_cmp(&a.1.mean.abs()));
        named
    }

    /// Returns the reasons for the lead: the groups of parts whose interval excludes 0 and
    /// that show as at least one unit in the last place their interval supports, largest
    /// first; and what the other parts add, when it shows.
    pub fn reasons(&self) -> Reasons {
        let shows = |i: &MeanInterval| i.mean.abs() >= 0.5 * 10f64.powi(-(decimals_of(i) as i32));
        let named: Vec<_> = self.named().into_iter().filter(|(_, i)| shows(i)).collect();
        // The rest carries no more decimals than the coarsest figure it is worked out from.
        let rest_decimals = named
            .iter()
            .map(|(_, i)| decimals_of(i))
            .fold(self.decimals(), usize::min);
        let rest = self.margin.mean - named.iter().map(|(_, i)| i.mean).sum::<f64>();
        let shown = rest.abs() >= 0.5 * 10f64.powi(-(rest_decimals as i32));
        Reasons {
            named,
            rest: shown.then_some(rest),
            rest_decimals,
        }
    }

    /// Returns the explanation as a sentence: the margin, the parts that favour the leader,
    /// those that favour the runner-up, and what is left within Monte Carlo noise. `at` says
    /// where (`N = 23`, with the sweep point).
    pub fn sentence(&self, at: &str) -> String {
        let d = self.decimals();
        let show = |x: f64| fixed(x, d);
        let (leader, runner_up) = (self.leader, self.runner_up);
        let m = &self.margin;
        let mut text = if self.sure() {
            format!(
                "At {at}, {leader} leads {runner_up} by {} a head (95% CI {} to {})",
                show(m.mean),
                show(m.low),
                show(m.high)
            )
        } else if m.low.is_finite() {
            format!(
                "At {at}, {leader} and {runner_up} are level: {leader} is lower by {} a head, but the 95% interval ({} to {}) includes 0",
                show(m.mean),
                show(m.low),
                show(m.high)
            )
        } else {
            format!(
                "At {at}, {leader} is lower than {runner_up} by {} a head, with no interval (one replication)",
                show(m.mean)
            )
        };
        let Reasons {
            named,
            rest,
            rest_decimals,
        } = self.reasons();
        let favour: Vec<String> = named
            .iter()
            .filter(|(_, i)| i.mean > 0.0)
            .map(|(label, i)| format!("{label} ({})", fixed(i.mean, decimals_of(i))))
            .collect();
        let against: Vec<String> = named
            .iter()
            .filter(|(_, i)| i.mean < 0.0)
            .map(|(label, i)| format!("{label} ({})", fixed(-i.mean, decimals_of(i))))
            .collect();
        let mut clauses = Vec::new();
        if !favour.is_empty() {
            clauses.push(format!("{leader} costs less on {}", join(&favour)));
        }
        if !against.is_empty() {
            clauses.push(format!("{runner_up} costs less on {}", join(&against)));
        }
        if let Some(rest) = rest {
            clauses.push(format!(
                "the other parts, none clear of Monte Carlo noise on its own, add {}",
                fixed(rest, rest_decimals)
            ));
        }
        if !clauses.is_empty() {
            text.push_str(": ");
            text.push_str(&clauses.join("; "));
        }
        text.push('.');
        text
    }
}

/// Returns the decimals an interval supports, at most `MAX_DECIMALS`.
pub fn decimals_of(interval: &MeanInterval) -> usize {
    supported_decimals(interval.half_width(), MAX_DECIMALS, MAX_DECIMALS)
}

/// Joins phrases as `a, b and c`.
fn join(phrases: &[String]) -> String {
    match phrases {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl BestN {
    /// Returns the decimals its figures print: those the narrowest-supported interval allows.
    pub fn decimals(&self, scale: f64) -> usize {
        self.others
            .iter()
            .map(|(_, s)| supported_decimals(scale * (s.ci_high - s.ci_low) / 2.0, MAX_DECIMALS, MAX_DECIMALS))
            .min()
            .unwrap_or(MAX_DECIMALS)
    }

    /// Returns the best N as a sentence, with each other N's paired difference from it
    /// (`scale` 1 for GBP per head, 100 for percentage points, with `unit` after numbers).
    pub fn sentence(&self, scale: f64, unit: &str) -> String {
        let d = self.decimals(scale);
        let show = |x: f64| fixed(scale * x, d);
        let others: Vec<String> = self
            .others
            .iter()
            .map(|(n, s)| {
                format!(
                    "N = {n} by {}{unit} (95% CI {} to {})",
                    show(s.mean),
                    show(s.ci_low),
                    show(s.ci_high)
                )
            })
            .collect();
        let verdict = if self.sure {
            "every other N is surely worse"
        } else {
            "not sure: an interval includes 0"
        };
        let mut text = format!(
            "{} is best at N = {} of those run ({verdict}); worse: {}",
            self.option,
            self.units,
            join(&others)
        );
        match self.shape {
            Some(Shape::U) => text.push_str("; it falls, then rises with N (U-shaped)"),
            Some(Shape::Falls) => text.push_str("; it falls across the N run, so a larger N may be better still"),
            Some(Shape::Rises) => text.push_str("; it rises across the N run, so a smaller N may be better still"),
            Some(Shape::Unclear) | None => {}
        }
        text.push('.');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HeadlinePart, Metric};

    fn interval(mean: f64, half: f64) -> MeanInterval {
        MeanInterval {
            n: 1000,
            mean,
            low: mean - half,
            high: mean + half,
        }
    }

    fn explained(margin: MeanInterval, groups: Vec<(&'static str, MeanInterval)>) -> LeadExplanation {
        LeadExplanation {
            units: 23,
            point: 0,
            leader: OptionKind::National,
            runner_up: OptionKind::Network,
            margin,
            groups,
            parts: vec![MarginPart {
                part: HeadlinePart {
                    metric: Metric::CostUnits,
                    sign: 1.0,
                    label: "units",
                },
                difference: margin,
            }],
        }
    }

    /// A margin of 1.33 +- 0.05 (two decimals) made of undone work 1.20 +- 0.04, shared fixed
    /// costs 0.55 +- 0.01 and coordination -0.40 +- 0.02 (the runner-up's favour), with
    /// distance -0.02 +- 0.05 within noise: the sentence names the three, largest first, and
    /// leaves 1.33 - (1.20 + 0.55 - 0.40) = -0.02 to the noise.
    #[test]
    fn a_sure_lead_names_its_reasons_both_ways() {
        let e = explained(
            interval(1.33, 0.05),
            vec![
                ("undone work", interval(1.20, 0.04)),
                ("shared fixed costs and overheads", interval(0.55, 0.01)),
                ("network coordination", interval(-0.40, 0.02)),
                ("distance and remote delivery", interval(-0.02, 0.05)),
            ],
        );
        assert_eq!(
            e.sentence("N = 23"),
            "At N = 23, national leads network by 1.33 a head (95% CI 1.28 to 1.38): national costs less \
             on undone work (1.20) and shared fixed costs and overheads (0.55); network costs less on \
             network coordination (0.40); the other parts, none clear of Monte Carlo noise on its own, \
             add -0.02."
        );
    }

    /// A margin whose interval includes 0 is a tie, said as one; a wide interval (0.06 +- 0.3,
    /// so -0.24 to 0.36) supports one decimal only; the rest is 0.06 + 0.8 = 0.86.
    #[test]
    fn a_tie_is_called_level_with_the_digits_its_interval_supports() {
        let e = explained(interval(0.06, 0.3), vec![("undone work", interval(-0.8, 0.1))]);
        assert!(!e.sure());
        assert_eq!(
            e.sentence("N = 10"),
            "At N = 10, national and network are level: national is lower by 0.1 a head, but the 95% \
             interval (-0.2 to 0.4) includes 0: network costs less on undone work (0.8); the other \
             parts, none clear of Monte Carlo noise on its own, add 0.9."
        );
    }

    #[test]
    fn fixed_never_prints_a_negative_zero() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.02, 2), "-0.02");
        assert_eq!(fixed(1.005, 0), "1");
    }
}
