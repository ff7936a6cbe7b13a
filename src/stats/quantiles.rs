//! A bounded, mergeable, deterministic quantile sketch.

use super::{Accumulator, percentile_sorted};

/// Values kept exactly before the sketch starts compacting.
pub const EXACT: usize = 1024;

/// Capacity of the top level once compacting (KLL's k).
const K: f64 = 340.0;

/// Ratio between the capacities of neighbouring levels (KLL's c).
const SHRINK: f64 = 2.0 / 3.0;

/// Quantiles of a stream in bounded memory.
///
/// Up to `EXACT` values it keeps them all and its quantiles are exact (type 7). Beyond that
/// it is a deterministic KLL sketch (Karnin, Lang and Liberty 2016): level h holds values of
/// weight 2^h, its capacity shrinks geometrically below the top (`K * SHRINK^depth`, at least
/// 2), and when the sketch holds more than the sum of capacities the lowest full level is
/// sorted and every other value, alternating the starting offset, moves up a level. It then
/// holds at most about `K / (1 - SHRINK)` values, so memory does not grow with the stream;
/// quantiles are within about 1% of rank (checked by the tests). Merging appends level by level
/// and compacts, so merging in a fixed order gives the same sketch whatever the thread count.
#[derive(Clone, Debug, Default)]
pub struct QuantileSketch {
    levels: Vec<Vec<f64>>,
    offsets: Vec<bool>,
    count: u64,
    held: usize,
    budget: usize,
}

impl Accumulator for QuantileSketch {
    fn add(&mut self, x: f64) {
        if self.levels.is_empty() {
            self.push_level();
        }
        self.levels[0].push(x);
        self.count += 1;
        self.held += 1;
        if self.held > self.budget {
            self.compress();
        }
    }

    fn merge(&mut self, other: &Self) {
        while self.levels.len() < other.levels.len() {
            self.push_level();
        }
        for (mine, theirs) in self.levels.iter_mut().zip(&other.levels) {
            mine.extend_from_slice(theirs);
        }
        self.count += other.count;
        self.held += other.held;
        self.compress();
    }
}

impl QuantileSketch {
    /// Returns true while every value is kept (quantiles are exact).
    pub fn is_exact(&self) -> bool {
        self.levels.len() <= 1
    }

    fn push_level(&mut self) {
        self.levels.push(Vec::new());
        self.offsets.push(false);
        // In exact mode (one level) the budget is the exact limit; after that, KLL's capacities.
        self.budget = if self.levels.len() == 1 {
            EXACT
        } else {
            (0..self.levels.len()).map(|h| self.capacity(h)).sum()
        };
    }

    /// Returns the capacity of level `h` in the current hierarchy.
    fn capacity(&self, h: usize) -> usize {
        let depth = (self.levels.len() - 1 - h) as i32;
        ((K * SHRINK.powi(depth)).ceil() as usize).max(2)
    }

    fn held(&self) -> usize {
        self.held
    }

    fn compress(&mut self) {
        if self.is_exact() && self.held <= EXACT {
            return;
        }
        loop {
            let budget: usize = (0..self.levels.len()).map(|h| self.capacity(h)).sum();
            self.budget = budget;
            if self.held <= budget {
                break;
            }
            // Held above the budget means some level is at or over its capacity (at least 2).
            let full = (0..self.levels.len())
                .find(|&h| self.levels[h].len() >= self.capacity(h))
                .unwrap_or(0);
            self.compact(full);
        }
    }

    /// Sorts level `h` and promotes every other value (alternating offsets) to level h + 1.
    fn compact(&mut self, h: usize) {
        let mut values = std::mem::take(&mut self.levels[h]);
        values.sort_unstable_by(f64::total_cmp);
        // An odd count leaves its largest value at this level so no weight is lost.
        if values.len() % 2 == 1
            && let Some(last) = values.pop()
        {
            self.levels[h].push(last);
        }
        let start = usize::from(self.offsets[h]);
        self.offsets[h] = !self.offsets[h];
        if h + 1 == self.levels.len() {
            self.push_level();
        }
        self.levels[h + 1].extend(values.into_iter().skip(start).step_by(2));
        self.held = self.levels.iter().map(Vec::len).sum();
    }

    /// Returns the `p`-quantile; exact (type 7) while every value is kept; NaN when empty.
    pub fn quantile(&self, p: f64) -> f64 {
        self.quantiles(&[p])[0]
    }

    /// Returns several quantiles with one sort of the values held.
    pub fn quantiles<const K: usize>(&self, ps: &[f64; K]) -> [f64; K] {
        if self.count == 0 {
            return [f64::NAN; K];
        }
        if self.is_exact() {
            let mut sorted = self.levels[0].clone();
            sorted.sort_unstable_by(f64::total_cmp);
            return ps.map(|p| percentile_sorted(&sorted, p));
        }
        ps.map(|p| self.weighted_quantile(p))
    }

    fn weighted_quantile(&self, p: f64) -> f64 {
        let mut weighted: Vec<(f64, u64)> = self
            .levels
            .iter()
            .enumerate()
            .flat_map(|(level, values)| values.iter().map(move |&v| (v, 1u64 << level)))
            .collect();
        weighted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: u64 = weighted.iter().map(|w| w.1).sum();
        let target = p * (total - 1) as f64;
        let mut cumulative = 0u64;
        for (idx, &(value, weight)) in weighted.iter().enumerate() {
            // The value stands for ranks cumulative .. cumulative + weight - 1.
            let last_rank = (cumulative + weight - 1) as f64;
            if target <= last_rank {
                return value;
            }
            cumulative += weight;
            if let Some(&(next, _)) = weighted.get(idx + 1)
                && target < cumulative as f64
            {
                return value + (target - last_rank) * (next - value);
            }
        }
        weighted[weighted.len() - 1].0
    }

    /// Returns the number of values seen.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Returns the number of values held in memory.
    pub fn held_values(&self) -> usize {
        self.held()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(xs: &[f64]) -> QuantileSketch {
        let mut s = QuantileSketch::default();
        xs.iter().for_each(|&x| s.add(x));
        s
    }

    #[test]
    fn small_streams_are_exact() {
        let xs: Vec<f64> = (0..EXACT as u64).map(|i| ((i * 7919) % EXACT as u64) as f64).collect();
        let s = of(&xs);
        assert!(s.is_exact());
        assert_eq!(s.quantile(0.5), 511.5);
        assert_eq!(s.quantile(0.05), 0.05 * 1023.0);
    }

    #[test]
    fn large_streams_stay_bounded_and_accurate() {
        for n in [5_000u64, 100_000, 1_000_000] {
            let xs: Vec<f64> = (0..n).map(|i| ((i * 7_919) % n) as f64).collect();
            let s = of(&xs);
            assert!(s.held_values() <= 1100, "n {n}: {} held", s.held_values());
            for p in [0.05, 0.5, 0.95] {
                let exact = p * (n - 1) as f64;
                let rank_error = (s.quantile(p) - exact).abs() / n as f64;
                assert!(rank_error < 0.01, "n {n} p {p}: {rank_error}");
            }
        }
    }

    /// The weight a sketch holds: each value at level h stands for 2^h values seen.
    fn weight(s: &QuantileSketch) -> u64 {
        s.levels
            .iter()
            .enumerate()
            .map(|(h, level)| (level.len() as u64) << h)
            .sum()
    }

    /// Two sketches each long past compacting, merged: no weight is lost, memory stays
    /// bounded, and the quantiles keep their 1% rank error against the closed form (the
    /// values 0 to n - 1 in a scrambled order, so the p-quantile is p (n - 1)). The halves
    /// are unlike (the even values in one, the odd in the other; then the low half and the
    /// high half), and a chain of twenty compacted chunks merged in order is checked too, as
    /// a run's chunks and a study's shards are merged.
    #[test]
    fn merged_compacted_sketches_keep_their_weight_and_accuracy() {
        let n = 200_000u64;
        let scrambled: Vec<f64> = (0..n).map(|i| ((i * 7_919) % n) as f64).collect();
        let evens: Vec<f64> = scrambled
            .iter()
            .copied()
            .filter(|x| (*x as u64).is_multiple_of(2))
            .collect();
        let odds: Vec<f64> = scrambled
            .iter()
            .copied()
            .filter(|x| !(*x as u64).is_multiple_of(2))
            .collect();
        let low: Vec<f64> = scrambled.iter().copied().filter(|x| (*x as u64) < n / 2).collect();
        let high: Vec<f64> = scrambled.iter().copied().filter(|x| (*x as u64) >= n / 2).collect();
        let chunks: Vec<QuantileSketch> = scrambled.chunks(10_000).map(of).collect();
        let mut chained = QuantileSketch::default();
        chunks.iter().for_each(|c| chained.merge(c));
        for (name, (a, b)) in [
            ("even and odd", (of(&evens), of(&odds))),
            ("low and high", (of(&low), of(&high))),
        ] {
            assert!(!a.is_exact() && !b.is_exact(), "{name}: both compacted");
            let mut merged = a.clone();
            merged.merge(&b);
            check(name, &merged, n);
        }
        check("twenty chunks", &chained, n);

        fn check(name: &str, s: &QuantileSketch, n: u64) {
            assert_eq!(s.count(), n, "{name}");
            assert_eq!(weight(s), n, "{name}: the weight held is the values seen");
            assert!(s.held_values() <= 1100, "{name}: {} held", s.held_values());
            for p in [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] {
                let rank_error = (s.quantile(p) - p * (n - 1) as f64).abs() / n as f64;
                assert!(rank_error < 0.01, "{name} p {p}: rank error {rank_error}");
            }
        }
    }

    proptest! {
        #[test]
        fn merged_small_sketches_equal_one_sketch(a in prop::collection::vec(-1e3f64..1e3, 0..100), b in prop::collection::vec(-1e3f64..1e3, 0..100)) {
            let mut merged = of(&a);
            merged.merge(&of(&b));
            let all = of(&[a.clone(), b.clone()].concat());
            for p in [0.05, 0.5, 0.95] {
                let (x, y) = (merged.quantile(p), all.quantile(p));
                prop_assert!(x == y || (x.is_nan() && y.is_nan()));
            }
        }
    }
}
