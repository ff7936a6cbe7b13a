//! Statistics with no I/O: streaming accumulators across replications (docs/model.md
//! section 8), and the distributions, designs and estimators of the uncertainty analysis.
//!
//! Every accumulator has `add` and `merge`, and the experiment runner merges them in
//! replication order, so results do not depend on how work was split across threads.
//! Memory is bounded: [`QuantileSketch`] keeps at most a few thousand values however many
//! replications it sees.

pub mod design;
pub mod distribution;
mod exact;
mod moments;
mod quantiles;
pub mod sensitivity;
mod special;
mod student;
pub mod voi;

pub use exact::{ExactMoments, ExactSum};
pub use moments::Moments;
pub use quantiles::QuantileSketch;
pub use student::t_quantile;

use serde::Serialize;

/// A statistic that absorbs values one at a time and combines with another of its kind.
pub trait Accumulator {
    /// Adds one value.
    fn add(&mut self, x: f64);
    /// Absorbs everything `other` has seen, as if its values had been added after ours.
    fn merge(&mut self, other: &Self);
}

/// Returns the `p`-quantile of sorted values by linear interpolation between closest ranks
/// (`h = (n - 1) p`, Hyndman and Fan type 7); NaN for no values.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Returns `x`'s place in the order of [`f64::total_cmp`] as an integer: keys compare as
/// their floats do, with one integer comparison, and [`from_order_key`] gives the float back.
pub fn order_key(x: f64) -> i64 {
    flip_magnitude_if_negative(x.to_bits() as i64)
}

/// Returns the float whose [`order_key`] is `key`.
pub fn from_order_key(key: i64) -> f64 {
    // The sign bit is kept, so flipping the magnitude of a negative again undoes it.
    f64::from_bits(flip_magnitude_if_negative(key) as u64)
}

fn flip_magnitude_if_negative(bits: i64) -> i64 {
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// Returns the same quantile as [`percentile_sorted`] of the floats whose [`order_key`]s are
/// `keys`, without sorting: two selections, O(n). The order of `keys` is changed.
pub fn percentile_of_keys(keys: &mut [i64], p: f64) -> f64 {
    let n = keys.len();
    if n < 2 {
        return keys.first().map_or(f64::NAN, |&key| from_order_key(key));
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let (_, &mut low, above) = keys.select_nth_unstable(lo);
    // The next order statistic is the smallest value above position `lo`.
    let high = above.iter().copied().min().unwrap_or(low);
    let (low, high) = (from_order_key(low), from_order_key(high));
    low + (h - lo as f64) * (high - low)
}

/// Mean, spread, confidence interval and percentiles of one metric over replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Replications where the metric was defined.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (n - 1); NaN for n < 2.
    pub sd: f64,
    /// Lower end of the 95% confidence interval of the mean (Student t, n - 1 df).
    pub ci_low: f64,
    /// Upper end of the 95% confidence interval of the mean.
    pub ci_high: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Everything kept about one metric: moments and quantiles; undefined (NaN) values are
/// counted apart and left out.
#[derive(Clone, Debug, Default)]
pub struct MetricAccumulator {
    moments: Moments,
    quantiles: QuantileSketch,
    undefined: u64,
}

impl Accumulator for MetricAccumulator {
    fn add(&mut self, x: f64) {
        if x.is_nan() {
            self.undefined += 1;
        } else {
            self.moments.add(x);
            self.quantiles.add(x);
        }
    }

    fn merge(&mut self, other: &Self) {
        self.moments.merge(&other.moments);
        self.quantiles.merge(&other.quantiles);
        self.undefined += other.undefined;
    }
}

/// A mean and its 95% confidence interval (Student t, n - 1 degrees of freedom).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MeanInterval {
    /// Values the mean is over.
    pub n: u64,
    /// Mean; NaN for n = 0.
    pub mean: f64,
    /// Lower end of the interval; NaN for n < 2.
    pub low: f64,
    /// Upper end of the interval; NaN for n < 2.
    pub high: f64,
}

impl MeanInterval {
    /// Returns the interval of the negated values: `-mean [-high, -low]` (a 0 stays 0, never
    /// a negative zero).
    pub fn negated(self) -> MeanInterval {
        MeanInterval {
            mean: 0.0 - self.mean,
            low: 0.0 - self.high,
            high: 0.0 - self.low,
            ..self
        }
    }

    /// Returns true when the whole interval lies strictly above 0.
    pub fn above_zero(&self) -> bool {
        self.low > 0.0
    }

    /// Returns true when the whole interval lies strictly below 0.
    pub fn below_zero(&self) -> bool {
        self.high < 0.0
    }

    /// Returns half the interval's width; NaN without an interval.
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
}

impl Moments {
    /// Returns the mean with its 95% confidence interval: `mean +- t(0.975, n - 1) sd / sqrt(n)`
    /// (Student t); the ends are NaN for n < 2.
    pub fn interval(&self) -> MeanInterval {
        let n = self.count();
        let mean = self.mean();
        let half_width = if n >= 2 {
            t_quantile(0.975, (n - 1) as f64) * self.sample_sd() / (n as f64).sqrt()
        } else {
            f64::NAN
        };
        MeanInterval {
            n,
            mean,
            low: mean - half_width,
            high: mean + half_width,
        }
    }
}

/// Returns the decimal places a figure carries when its 95% interval has half-width
/// `half_width`: the place of the half-width's first significant digit
/// (`ceil(-log10(half_width))`), from 0 to `max`; `fallback` when there is no interval (one
/// replication, or none) or it has no width. So 9.32 +- 0.05 prints as 9.32, 1.45 +- 0.4 as
/// 1.5, and 466 +- 3 as 466.
pub fn supported_decimals(half_width: f64, fallback: usize, max: usize) -> usize {
    if !(half_width.is_finite() && half_width > 0.0) {
        return fallback.min(max);
    }
    let places = (-half_width.log10()).ceil();
    if places <= 0.0 { 0 } else { (places as usize).min(max) }
}

impl MetricAccumulator {
    /// Returns the number of replications where the metric was undefined.
    pub fn undefined(&self) -> u64 {
        self.undefined
    }

    /// Returns the `p`-quantile of the defined values (NaN when there are none).
    pub fn quantile(&self, p: f64) -> f64 {
        self.quantiles.quantile(p)
    }

    /// Returns the summary; with n = 0 every figure is NaN, with n = 1 the spread is NaN.
    pub fn summary(&self) -> Summary {
        let interval = self.moments.interval();
        let [p5, p50, p95] = self.quantiles.quantiles(&[0.05, 0.50, 0.95]);
        Summary {
            n: interval.n,
            mean: interval.mean,
            sd: self.moments.sample_sd(),
            ci_low: interval.low,
            ci_high: interval.high,
            p5,
            p50,
            p95,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The interval of 1, 2, 3, 4 by hand: mean 2.5, sd sqrt(5/3), t(0.975, 3) = 3.182446
    /// (tables), half-width 3.182446 x 1.290994 / 2 = 2.054260.
    #[test]
    fn a_mean_interval_is_students_t() {
        let mut moments = Moments::default();
        for x in [1.0, 2.0, 3.0, 4.0] {
            moments.add(x);
        }
        let interval = moments.interval();
        assert_eq!((interval.n, interval.mean), (4, 2.5));
        assert!((interval.half_width() - 2.054260).abs() < 1e-5, "{interval:?}");
        let negated = interval.negated();
        assert_eq!(
            (negated.mean, negated.low, negated.high),
            (-2.5, -interval.high, -interval.low)
        );
        // [0.446, 4.554] lies above 0; its negation below.
        assert!(interval.above_zero() && !interval.below_zero());
        assert!(negated.below_zero() && !negated.above_zero());
        let mut one = Moments::default();
        one.add(3.0);
        assert!(one.interval().low.is_nan() && !one.interval().above_zero());
    }

    #[test]
    fn decimals_follow_the_first_digit_of_the_half_width() {
        assert_eq!(supported_decimals(0.05, 2, 4), 2);
        assert_eq!(supported_decimals(0.4, 2, 4), 1);
        assert_eq!(supported_decimals(0.1, 2, 4), 1);
        assert_eq!(supported_decimals(0.09, 2, 4), 2);
        assert_eq!(supported_decimals(3.0, 2, 4), 0);
        assert_eq!(supported_decimals(0.0004, 2, 3), 3);
        assert_eq!(supported_decimals(f64::NAN, 2, 4), 2);
        assert_eq!(supported_decimals(0.0, 1, 4), 1);
    }

    #[test]
    fn percentiles_interpolate_linearly() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile_sorted(&sorted, 0.5), 3.0);
        assert_eq!(percentile_sorted(&sorted, 0.95), 4.8);
        assert_eq!(percentile_sorted(&sorted, 0.05), 1.2);
        assert!(percentile_sorted(&[], 0.5).is_nan());
        assert_eq!(percentile_sorted(&[7.0], 0.95), 7.0);
    }

    #[test]
    fn order_keys_order_as_total_cmp_and_give_the_floats_back() {
        let floats = [
            f64::NEG_INFINITY,
            -2.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE / 2.0,
            1.0,
            1.0 + f64::EPSILON,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
        ];
        for a in floats {
            assert_eq!(from_order_key(order_key(a)).to_bits(), a.to_bits());
            for b in floats {
                assert_eq!(order_key(a).cmp(&order_key(b)), a.total_cmp(&b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn percentiles_of_keys_equal_sorted_ones() {
        let values: Vec<f64> = (0..101).map(|i| ((i * 37) % 101) as f64 / 7.0 - 3.0).collect();
        let keys: Vec<i64> = values.iter().map(|&x| order_key(x)).collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for p in [0.0, 0.05, 0.5, 0.95, 0.999, 1.0] {
            assert_eq!(percentile_of_keys(&mut keys.clone(), p), percentile_sorted(&sorted, p));
        }
        assert!(percentile_of_keys(&mut [], 0.5).is_nan());
        assert_eq!(percentile_of_keys(&mut [order_key(3.0)], 0.95), 3.0);
        // Two values interpolate (h = 0.5 between 1 and 3 gives 2), they are not one value.
        assert_eq!(percentile_of_keys(&mut [order_key(3.0), order_key(1.0)], 0.5), 2.0);
    }

    #[test]
    fn summary_matches_a_two_pass_computation() {
        let xs: Vec<f64> = (0..100).map(|i| ((i * 37) % 101) as f64 / 10.0).collect();
        let mut acc = MetricAccumulator::default();
        xs.iter().for_each(|&x| acc.add(x));
        acc.add(f64::NAN);
        let s = acc.summary();
        let mean = xs.iter().sum::<f64>() / 100.0;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 99.0).sqrt();
        assert_eq!(s.n, 100);
        assert_eq!(acc.undefined(), 1);
        assert!((s.mean - mean).abs() < 1e-12);
        assert!((s.sd - sd).abs() < 1e-12);
        // t(0.975, 99) = 1.984217.
        assert!((s.ci_high - mean - 1.984217 * sd / 10.0).abs() < 1e-5);
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(s.p95, percentile_sorted(&sorted, 0.95));
    }

    #[test]
    fn a_single_value_has_a_mean_but_no_spread() {
        let mut acc = MetricAccumulator::default();
        acc.add(4.0);
        let s = acc.summary();
        assert_eq!((s.n, s.mean, s.p50), (1, 4.0, 4.0));
        assert!(s.sd.is_nan() && s.ci_low.is_nan());
        assert!(MetricAccumulator::default().summary().mean.is_nan());
    }
}
