//! Switching values: the value of one input at which the cheapest option at N changes, the
//! others held at the scenario's values.
//!
//! The search runs on each side of the scenario's value, whatever the input's range: towards
//! the range's end on that side (or, when the range lies wholly on the other side, through it),
//! then beyond it towards the key's allowed bound, so that a switch outside the analysis's
//! range is found and reported as such. It probes outward until the default leader loses its
//! place, then bisects the bracket in a space where 12 steps are enough: the logarithm of the
//! value when the bracket spans a factor of 10 or more of positive values, the value itself
//! otherwise. Every probe is a plain run of the model at the one-at-a-time replications, with
//! the paired margin's 95% interval, from which the switching value gets an interval of its
//! own: from the last value surely on the leader's side to the first surely on the rival's.
//! The interval's ends are then run again at four times the replications; a switch whose ends
//! do not hold there (or whose far end no probe made sure) is reported as not settled.

use crate::model::OptionKind;

/// Bisection steps: the bracket is cut 2^12 = 4,096 times.
pub const BISECTION_STEPS: usize = 12;

/// Probes between the scenario's value and the end of the analysis's range on one side.
pub const RANGE_PROBES: usize = 4;

/// Probes beyond the range, each twice as far from the scenario's value as the last: up to
/// eight times as far as the range's end.
pub const BEYOND_PROBES: usize = 3;

/// How the replications of the confirming runs compare with the probes'.
pub const CONFIRM_FACTOR: u64 = 4;

/// The model at one value of the input: the default leader's headline minus its best rival's
/// (positive when the leader has lost its place), the 95% half-width of that paired
/// difference, and the best rival.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Probe {
    /// The input's value.
    pub value: f64,
    /// Leader minus best rival \[GBP per head per year\].
    pub gap: f64,
    /// Half-width of the gap's 95% interval; NaN without one.
    pub half_width: f64,
    /// The best rival.
    pub rival: OptionKind,
}

impl Probe {
    /// Returns true when the leader is surely still cheapest here.
    fn surely_leading(&self) -> bool {
        self.gap + self.half_width < 0.0
    }

    /// Returns true when the rival is surely cheaper here.
    fn surely_lost(&self) -> bool {
        self.gap - self.half_width > 0.0
    }
}

/// Where the cheapest option changes on one side of the scenario's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crossing {
    /// The switching value: the bisection's end on the rival's side.
    pub value: f64,
    /// From the last value surely on the leader's side to the first surely on the rival's
    /// (the searched end where none is sure), in the input's order: low, high.
    pub interval: (f64, f64),
    /// The option cheapest beyond the switch.
    pub rival: OptionKind,
    /// Whether the switch lies within the analysis's range of the input.
    pub in_range: bool,
    /// Whether the interval's ends held at [`CONFIRM_FACTOR`] times the replications: the
    /// leader still ahead at the near end, the rival surely and still ahead at the far end.
    pub confirmed: bool,
}

/// The answer of one side's search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SideSearch {
    /// The part of the input's values searched on this side, low to high (the scenario's value
    /// at one end).
    pub searched: (f64, f64),
    /// The switch, if the leader loses its place within the searched values.
    pub crossing: Option<Crossing>,
}

/// What a side's search may run: the input's scenario value, the analysis's range, the key's
/// allowed bounds, and whether the key takes integers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SearchSpace {
    /// The scenario's value.
    pub start: f64,
    /// The analysis's range of the input (the 0.1st and 99.9th percentiles).
    pub range: (f64, f64),
    /// The values the key allows.
    pub bounds: (f64, f64),
    /// Whether the key takes whole numbers only.
    pub integer: bool,
}

impl SearchSpace {
    /// Returns the probes on one side, outward from the scenario's value: first through the
    /// analysis's range on that side, then beyond it, each twice as far as the last, up to the
    /// key's bound. `upward` picks the side.
    pub fn probes(&self, upward: bool) -> Vec<f64> {
        let v0 = self.start;
        let (lo, hi) = self.range;
        // The far end of the range on this side; when the range lies on the other side only,
        // the search still covers a span as wide as the range.
        let far = if upward { hi.max(v0) } else { lo.min(v0) };
        let width = (hi - lo).abs().max(v0.abs() * 1e-3).max(1e-12);
        let far = if far == v0 {
            if upward { v0 + width } else { v0 - width }
        } else {
            far
        };
        let bound = if upward { self.bounds.1 } else { self.bounds.0 };
        let far = if upward { far.min(bound) } else { far.max(bound) };
        if far == v0 {
            return Vec::new();
        }
        let log = use_log(v0, far);
        let (t0, t_far) = if log { (v0.ln(), far.ln()) } else { (v0, far) };
        let back = |t: f64| if log { t.exp() } else { t };
        let mut probes: Vec<f64> = (1..=RANGE_PROBES)
            .map(|k| back(t0 + (t_far - t0) * k as f64 / RANGE_PROBES as f64))
            .collect();
        for k in 1..=BEYOND_PROBES {
            let t = t0 + (t_far - t0) * 2f64.powi(k as i32);
            let value = back(t);
            let clamped = if upward { value.min(bound) } else { value.max(bound) };
            probes.push(clamped);
            if clamped == bound {
                break;
            }
        }
        let mut probes: Vec<f64> = probes
            .into_iter()
            .map(|v| if self.integer { v.round() } else { v })
            .filter(|v| v.is_finite() && *v != v0)
            .collect();
        probes.dedup();
        probes
    }

    /// Returns whether a value lies within the analysis's range.
    fn in_range(&self, value: f64) -> bool {
        self.range.0 <= value && value <= self.range.1
    }
}

/// Returns whether to bisect between `a` and `b` on the logarithm of the value: both
/// positive and a factor of 10 or more apart.
fn use_log(a: f64, b: f64) -> bool {
    a > 0.0 && b > 0.0 && (a.max(b) / a.min(b)) >= 10.0
}

/// Searches one side of the scenario's value with `probe(value, replications)`, which runs the
/// model, or returns `None` where the value breaks a rule between keys (the search then ends
/// at the last value it could run); `replications` is the probes' count.
pub fn search_side<E>(
    space: &SearchSpace,
    upward: bool,
    replications: u64,
    probe: impl FnMut(f64, u64) -> Result<Option<Probe>, E>,
) -> Result<SideSearch, E> {
    let probes = space.probes(upward);
    let mut search = Search {
        space,
        upward,
        replications,
        probe,
        seen: Vec::new(),
    };
    let walk = search.walk_out(&probes)?;
    let searched = if upward {
        (space.start, walk.end)
    } else {
        (walk.end, space.start)
    };
    let Some(outside) = walk.outside else {
        return Ok(SideSearch {
            searched,
            crossing: None,
        });
    };
    let beyond = search.bisect(walk.inside, outside)?;
    let out_value = beyond.value;
    // The switching value's interval: from the last value surely on the leader's side to the
    // first surely on the rival's. The far end needs a probe that is sure: the probes beyond
    // the crossing, in turn, until one is.
    let (far_sure, end) = search.far_sure(&probes[walk.next..], walk.end)?;
    let searched = if upward {
        (space.start, end.max(searched.1))
    } else {
        (end.min(searched.0), space.start)
    };
    let near_sure = search
        .seen
        .iter()
        .filter(|p| p.surely_leading() && !beyond_of(upward, p.value, out_value))
        .map(|p| p.value)
        .reduce(|a, b| if beyond_of(upward, a, b) { a } else { b });
    // Each end moved as close to the crossing as the noise allows, by bisection.
    let near = search.tighten(near_sure, out_value, Probe::surely_leading)?;
    let far = search.tighten(far_sure, out_value, Probe::surely_lost)?;
    // The ends again, at more replications: the switch holds if the leader is still ahead at
    // the near end and the rival at the far end. An end no probe made sure is not settled.
    let confirmed = search.confirm(near, far)?;
    let near_end = near.unwrap_or(space.start);
    let far_end = far.unwrap_or(if upward { searched.1 } else { searched.0 });
    Ok(SideSearch {
        searched,
        crossing: Some(Crossing {
            value: out_value,
            interval: (near_end.min(far_end), near_end.max(far_end)),
            rival: beyond.rival,
            in_range: space.in_range(out_value),
            confirmed,
        }),
    })
}

/// One side's search in progress: the probe that runs the model, and every probe seen.
struct Search<'a, P> {
    space: &'a SearchSpace,
    upward: bool,
    replications: u64,
    probe: P,
    seen: Vec<Probe>,
}

/// How far the walk outward from the scenario's value went.
struct Walk {
    /// The last value at which the leader still led.
    inside: f64,
    /// The first probe at which it did not, if any.
    outside: Option<Probe>,
    /// The last value probed.
    end: f64,
    /// The index of the probe after the first one outside (all of them when none was).
    next: usize,
}

impl<E, P: FnMut(f64, u64) -> Result<Option<Probe>, E>> Search<'_, P> {
    /// Runs the probe at `value`, keeping what it saw.
    fn run(&mut self, value: f64) -> Result<Option<Probe>, E> {
        let seen = (self.probe)(value, self.replications)?;
        self.seen.extend(seen);
        Ok(seen)
    }

    /// Probes outward in turn until the leader no longer leads or a value cannot be run.
    fn walk_out(&mut self, probes: &[f64]) -> Result<Walk, E> {
        let mut walk = Walk {
            inside: self.space.start,
            outside: None,
            end: self.space.start,
            next: probes.len(),
        };
        for (k, &value) in probes.iter().enumerate() {
            let Some(p) = self.run(value)? else {
                break;
            };
            walk.end = value;
            if p.gap > 0.0 {
                walk.outside = Some(p);
                walk.next = k + 1;
                break;
            }
            walk.inside = value;
        }
        Ok(walk)
    }

    /// Bisects between the last value inside and the first outside; returns the probe at the
    /// crossing's outer side.
    fn bisect(&mut self, mut inside: f64, mut beyond: Probe) -> Result<Probe, E> {
        for _ in 0..BISECTION_STEPS {
            let Some(middle) = between(self.space, inside, beyond.value) else {
                break;
            };
            let Some(p) = self.run(middle)? else {
                break;
            };
            if p.gap > 0.0 {
                beyond = p;
            } else {
                inside = middle;
            }
        }
        Ok(beyond)
    }

    /// The probe nearest the scenario's value at which the rival surely leads: among those
    /// seen, else the walk's later probes in turn until one is; with the last value probed.
    fn far_sure(&mut self, later: &[f64], mut end: f64) -> Result<(Option<f64>, f64), E> {
        let (space, upward) = (self.space, self.upward);
        let mut far_sure = self
            .seen
            .iter()
            .filter(|p| p.surely_lost())
            .map(|p| p.value)
            .reduce(|a, b| nearer(space, upward, a, b));
        for &value in later {
            if far_sure.is_some() {
                break;
            }
            let Some(p) = self.run(value)? else {
                break;
            };
            if p.surely_lost() {
                far_sure = Some(value);
            }
            end = value;
        }
        Ok((far_sure, end))
    }

    /// Moves a sure end towards the crossing by bisection, as long as `sure` still holds.
    fn tighten(&mut self, end: Option<f64>, crossing: f64, sure: fn(&Probe) -> bool) -> Result<Option<f64>, E> {
        let Some(mut end) = end else {
            return Ok(None);
        };
        let mut unsure = crossing;
        for _ in 0..INTERVAL_STEPS {
            let Some(middle) = between(self.space, end, unsure) else {
                break;
            };
            match (self.probe)(middle, self.replications)? {
                Some(p) if sure(&p) => end = middle,
                _ => unsure = middle,
            }
        }
        Ok(Some(end))
    }

    /// Runs both ends again at [`CONFIRM_FACTOR`] times the replications: true when the
    /// leader still leads at the near end and the rival at the far end.
    fn confirm(&mut self, near: Option<f64>, far: Option<f64>) -> Result<bool, E> {
        let confirm = self.replications.saturating_mul(CONFIRM_FACTOR);
        let leader_kept = match near {
            Some(v) => (self.probe)(v, confirm)?.is_some_and(|p| p.gap < 0.0),
            None => false,
        };
        let rival_kept = match far {
            Some(v) => (self.probe)(v, confirm)?.is_some_and(|p| p.gap > 0.0),
            None => false,
        };
        Ok(leader_kept && rival_kept)
    }
}

/// Bisection steps that move each end of a switching value's interval towards the crossing.
pub const INTERVAL_STEPS: usize = 6;

/// Returns whether `a` lies beyond `b`, outward from the scenario's value on this side.
fn beyond_of(upward: bool, a: f64, b: f64) -> bool {
    if upward { a > b } else { a < b }
}

/// Returns whichever of `a` and `b` is nearer the scenario's value on this side.
fn nearer(_space: &SearchSpace, upward: bool, a: f64, b: f64) -> f64 {
    if beyond_of(upward, a, b) { b } else { a }
}

/// Returns the value halfway between `a` and `b` in the bisection's space (logarithmic for
/// positive values a factor of 10 or more apart), rounded for an integer key; `None` when no
/// value lies strictly between them.
fn between(space: &SearchSpace, a: f64, b: f64) -> Option<f64> {
    let mut middle = if use_log(a, b) {
        (0.5 * (a.ln() + b.ln())).exp()
    } else {
        0.5 * (a + b)
    };
    if space.integer {
        middle = middle.round();
    }
    (middle != a && middle != b && middle.is_finite()).then_some(middle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model where the leader's lead falls linearly with the input: gap = v - switch, with a
    /// known half-width, and hubs the rival.
    fn linear(switch: f64, half_width: f64) -> impl FnMut(f64, u64) -> Result<Option<Probe>, ()> {
        move |value, _| {
            Ok(Some(Probe {
                value,
                gap: value - switch,
                half_width,
                rival: OptionKind::Hubs,
            }))
        }
    }

    /// Issue 25: choice worth 0 in the scenario, ranged 0 to 2, with national losing its place
    /// at 3.9: the search goes beyond the range (probes 0.5, 1, 1.5, 2, then 4, 8, ...), finds
    /// the bracket [2, 4], and bisects it (linear: 2 to 4 is a factor of 2) to within 2/4,096
    /// of 3.9, reported outside the range. With a half-width of 0.3 the interval is the last
    /// probe surely leading (gap < -0.3) to the first surely lost (gap > 0.3): about 3.6 to
    /// 4.2.
    #[test]
    fn a_switch_beyond_the_range_is_found_and_reported_outside_it() {
        let space = SearchSpace {
            start: 0.0,
            range: (0.0, 2.0),
            bounds: (0.0, 1e6),
            integer: false,
        };
        let side = search_side(&space, true, 100, linear(3.9, 0.3)).unwrap();
        let crossing = side.crossing.unwrap();
        assert!((crossing.value - 3.9).abs() <= 2.0 / 4096.0 + 1e-12, "{crossing:?}");
        assert!(!crossing.in_range && crossing.confirmed);
        assert_eq!(crossing.rival, OptionKind::Hubs);
        let (low, high) = crossing.interval;
        assert!(
            (3.55..3.65).contains(&low) && (4.15..4.25).contains(&high),
            "{low} {high}"
        );
        // Nothing below 0: the key's bound is the scenario's value.
        let below = search_side(&space, false, 100, linear(3.9, 0.3)).unwrap();
        assert_eq!(below.crossing, None);
    }

    /// Issue 25's false sentence: overhead ranged by a triangular [0, 10 m, 200 bn], whose
    /// 0.1st percentile (105 m) lies above the scenario's 10 m. National (the leader at 10 m)
    /// loses above 90 m. The upward search runs from 10 m through the range, in log space (10 m
    /// to 200 bn spans four orders of magnitude), finds the switch at 90 m within 0.1%, and
    /// reports it outside the analysis's range [105 m, 200 bn]; the downward search finds none.
    #[test]
    fn a_switch_between_the_scenario_and_a_range_above_it_is_found() {
        let space = SearchSpace {
            start: 10e6,
            range: (105e6, 199.8e9),
            bounds: (0.0, 1e12),
            integer: false,
        };
        let up = search_side(&space, true, 100, linear(90e6, 1e3)).unwrap();
        let crossing = up.crossing.unwrap();
        assert!((crossing.value / 90e6 - 1.0).abs() < 1e-3, "{crossing:?}");
        assert!(!crossing.in_range);
        assert!(
            search_side(&space, false, 100, linear(90e6, 1e3))
                .unwrap()
                .crossing
                .is_none()
        );
    }

    /// An interval whose far end does not hold at four times the replications (the gap there
    /// is noise that turns negative) is reported as not settled.
    #[test]
    fn a_bracket_that_does_not_hold_is_not_confirmed() {
        let space = SearchSpace {
            start: 0.0,
            range: (0.0, 1.0),
            bounds: (0.0, 1.0),
            integer: false,
        };
        let noisy = |value: f64, replications: u64| -> Result<Option<Probe>, ()> {
            let gap = if replications > 100 { -0.01 } else { value - 0.5 };
            Ok(Some(Probe {
                value,
                gap,
                half_width: 0.2,
                rival: OptionKind::Network,
            }))
        };
        let crossing = search_side(&space, true, 100, noisy).unwrap().crossing.unwrap();
        assert!(!crossing.confirmed);
        assert!(crossing.in_range);
    }

    /// A value that breaks a rule between keys ends the search there: above 3 nothing runs,
    /// so a switch at 5 is not found, and the searched values stop at 3.
    #[test]
    fn an_invalid_value_ends_the_search() {
        let space = SearchSpace {
            start: 1.0,
            range: (0.0, 2.0),
            bounds: (0.0, 100.0),
            integer: false,
        };
        let mut inner = linear(5.0, 0.1);
        let side = search_side(&space, true, 10, |v, r| if v > 3.0 { Ok(None) } else { inner(v, r) }).unwrap();
        assert_eq!(side.crossing, None);
        assert_eq!(side.searched, (1.0, 3.0));
    }

    /// Integer keys probe whole numbers: months 1 to 4 from 2 upward are 3 and 4 in range.
    #[test]
    fn integer_keys_probe_whole_numbers() {
        let space = SearchSpace {
            start: 2.0,
            range: (1.0, 4.0),
            bounds: (0.0, 600.0),
            integer: true,
        };
        let probes = space.probes(true);
        assert!(probes.iter().all(|p| p.fract() == 0.0), "{probes:?}");
        assert_eq!(&probes[..2], &[3.0, 4.0]);
        let side = search_side(&space, true, 100, linear(5.5, 0.0)).unwrap();
        assert_eq!(side.crossing.unwrap().value, 6.0);
    }
}
