//! A bounded, mergeable, deterministic quantile sketch.

use super::{Accumulator, percentile_sorted};

/// Values kept per level before a level is compacted.
const CAPACITY: usize = 4096;

/// Quantiles of a stream in bounded memory.
///
/// Up to [`CAPACITY`] values it keeps them all and its quantiles are exact (type 7). Beyond
/// that it works as a deterministic KLL-style compactor (Karnin, Lang and Liberty 2016): a full
/// level is sorted and every other value, alternating the starting offset, moves up a level
/// with twice the weight. The rank error stays within about `levels / CAPACITY` of n, and with
/// alternating offsets in practice far less. Merges are level-wise appends, so merging in a
/// fixed order gives the same sketch whatever the thread count.
#[derive(Clone, Debug, Default)]
pub struct QuantileSketch {
    levels: Vec<Vec<f64>>,
    offsets: Vec<bool>,
    count: u64,
}

impl Accumulator for QuantileSketch {
    fn add(&mut self, x: f64) {
        if self.levels.is_empty() {
            self.levels.push(Vec::new());
            self.offsets.push(false);
        }
        self.levels[0].push(x);
        self.count += 1;
        self.compact();
    }

    fn merge(&mut self, other: &Self) {
        while self.levels.len() < other.levels.len() {
            self.levels.push(Vec::new());
            self.offsets.push(false);
        }
        for (mine, theirs) in self.levels.iter_mut().zip(&other.levels) {
            mine.extend_from_slice(theirs);
        }
        self.count += other.count;
        self.compact();
    }
}

impl QuantileSketch {
    /// Returns true while every value is kept (quantiles are exact).
    pub fn is_exact(&self) -> bool {
        self.levels.len() <= 1
    }

    fn compact(&mut self) {
        let mut level = 0;
        while level < self.levels.len() {
            if self.levels[level].len() > CAPACITY {
                let mut values = std::mem::take(&mut self.levels[level]);
                values.sort_by(f64::total_cmp);
                let start = usize::from(self.offsets[level]);
                self.offsets[level] = !self.offsets[level];
                // An odd count leaves its last value at this level so no weight is lost.
                if values.len() % 2 == 1 {
                    self.levels[level].push(values.pop().unwrap_or_else(|| unreachable!("non-empty")));
                }
                let promoted: Vec<f64> = values.into_iter().skip(start).step_by(2).collect();
                if level + 1 == self.levels.len() {
                    self.levels.push(Vec::new());
                    self.offsets.push(false);
                }
                self.levels[level + 1].extend(promoted);
            }
            level += 1;
        }
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
    pub fn held(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
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
        let xs: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1000) as f64).collect();
        let s = of(&xs);
        assert!(s.is_exact());
        assert_eq!(s.quantile(0.5), 499.5);
        assert_eq!(s.quantile(0.05), 49.95);
    }

    #[test]
    fn large_streams_stay_bounded_and_accurate() {
        let n = 1_000_000u64;
        let xs: Vec<f64> = (0..n).map(|i| ((i * 7_919) % n) as f64).collect();
        let s = of(&xs);
        assert!(s.held() < 8 * CAPACITY, "{}", s.held());
        for p in [0.05, 0.5, 0.95] {
            let exact = p * (n - 1) as f64;
            let rank_error = (s.quantile(p) - exact).abs() / n as f64;
            assert!(rank_error < 0.002, "p {p}: {rank_error}");
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
