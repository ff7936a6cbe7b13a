//! Sums that do not depend on the order of their terms: each value is rounded once to a
//! multiple of 2^-32 and added as an integer. Integer addition is associative, so any split
//! of the replications (threads, shards, batches) gives the same bits; the price is an
//! absolute rounding of at most 2^-33 (1.2e-10) per value, far below anything reported.

use super::t_quantile;

/// Fixed-point scale: values are held as multiples of `1 / SCALE`.
const SCALE: f64 = 4_294_967_296.0;

/// Returns `x` in fixed point (values beyond about 4e28 would saturate; none comes near).
fn fixed(x: f64) -> i128 {
    (x * SCALE).round() as i128
}

/// An order-free sum of values, and their count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExactSum {
    count: u64,
    sum: i128,
}

impl ExactSum {
    /// Adds a value.
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        self.sum += fixed(x);
    }

    /// Absorbs another sum.
    pub fn merge(&mut self, other: &ExactSum) {
        self.count += other.count;
        self.sum += other.sum;
    }

    /// Absorbs another sum, or returns `None` (and changes nothing) where the count or the
    /// sum would overflow: sums read from outside (a shard) may be anything.
    pub fn checked_merge(&mut self, other: &ExactSum) -> Option<()> {
        let count = self.count.checked_add(other.count)?;
        let sum = self.sum.checked_add(other.sum)?;
        (self.count, self.sum) = (count, sum);
        Some(())
    }

    /// Returns the number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Returns the sum.
    pub fn sum(&self) -> f64 {
        self.sum as f64 / SCALE
    }

    /// Returns the mean, NaN for no values.
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum() / self.count as f64
        }
    }

    /// Returns the state as integers, to store it ([`ExactSum::from_parts`] reads it back).
    pub fn parts(&self) -> (u64, i128) {
        (self.count, self.sum)
    }

    /// Rebuilds a sum from [`ExactSum::parts`].
    pub fn from_parts(count: u64, sum: i128) -> ExactSum {
        ExactSum { count, sum }
    }
}

/// Order-free mean, standard deviation and 95% confidence interval of the defined values of a
/// per-replication quantity; undefined (NaN) values are counted apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExactMoments {
    sum: ExactSum,
    squares: i128,
    undefined: u64,
}

impl ExactMoments {
    /// Adds a value; NaN counts as undefined.
    pub fn add(&mut self, x: f64) {
        if x.is_nan() {
            self.undefined += 1;
        } else {
            let v = fixed(x);
            self.sum.count += 1;
            self.sum.sum += v;
            // Squares at scale 2^64; values up to about 10^6 fit 10^7 replications.
            self.squares = self.squares.saturating_add(v * v);
        }
    }

    /// Absorbs another accumulator.
    pub fn merge(&mut self, other: &ExactMoments) {
        self.sum.merge(&other.sum);
        self.squares = self.squares.saturating_add(other.squares);
        self.undefined += other.undefined;
    }

    /// Absorbs another accumulator, or returns `None` (and changes nothing) where a count, the
    /// sum or the sum of squares would overflow.
    pub fn checked_merge(&mut self, other: &ExactMoments) -> Option<()> {
        let mut sum = self.sum;
        sum.checked_merge(&other.sum)?;
        let squares = self.squares.checked_add(other.squares)?;
        let undefined = self.undefined.checked_add(other.undefined)?;
        (self.sum, self.squares, self.undefined) = (sum, squares, undefined);
        Some(())
    }

    /// Returns whether the state is one that values between `low` and `high` could give: a
    /// sum of squares not negative, a sum within `count` times the bounds (in fixed point), and
    /// sum and squares consistent (`sum^2 <= count x squares`, Cauchy-Schwarz).
    pub fn plausible(&self, low: f64, high: f64) -> bool {
        let n = self.sum.count as i128;
        let (lo, hi) = (fixed(low), fixed(high));
        let within = n.checked_mul(lo).is_some_and(|a| a <= self.sum.sum)
            && n.checked_mul(hi).is_some_and(|b| self.sum.sum <= b);
        let consistent = match (self.sum.sum.checked_mul(self.sum.sum), n.checked_mul(self.squares)) {
            (Some(s2), Some(nq)) => s2 <= nq,
            _ => false,
        };
        self.squares >= 0 && within && consistent
    }

    /// Returns the number of defined values.
    pub fn count(&self) -> u64 {
        self.sum.count
    }

    /// Returns the number of undefined values.
    pub fn undefined(&self) -> u64 {
        self.undefined
    }

    /// Returns the mean of the defined values, NaN for none.
    pub fn mean(&self) -> f64 {
        self.sum.mean()
    }

    /// Returns the sample standard deviation (n - 1), NaN for fewer than two values.
    pub fn sd(&self) -> f64 {
        let n = self.sum.count;
        if n < 2 {
            return f64::NAN;
        }
        // n sum(x^2) - (sum x)^2 in integers where it fits, so equal values give exactly 0.
        let spread = (n as i128)
            .checked_mul(self.squares)
            .and_then(|a| self.sum.sum.checked_mul(self.sum.sum).and_then(|b| a.checked_sub(b)));
        let variance = match spread {
            Some(spread) => spread as f64 / (SCALE * SCALE) / (n as f64 * (n - 1) as f64),
            None => {
                let mean = self.mean();
                (self.squares as f64 / (SCALE * SCALE) - n as f64 * mean * mean) / (n - 1) as f64
            }
        };
        variance.max(0.0).sqrt()
    }

    /// Returns the half-width of the 95% confidence interval of the mean (Student t, n - 1
    /// degrees of freedom), NaN for fewer than two values.
    pub fn half_width(&self) -> f64 {
        let n = self.sum.count;
        if n < 2 {
            return f64::NAN;
        }
        t_quantile(0.975, (n - 1) as f64) * self.sd() / (n as f64).sqrt()
    }

    /// Returns the state as integers, to store it ([`ExactMoments::from_parts`] reads it back).
    pub fn parts(&self) -> (u64, i128, i128, u64) {
        (self.sum.count, self.sum.sum, self.squares, self.undefined)
    }

    /// Rebuilds an accumulator from [`ExactMoments::parts`].
    pub fn from_parts(count: u64, sum: i128, squares: i128, undefined: u64) -> ExactMoments {
        ExactMoments {
            sum: ExactSum { count, sum },
            squares,
            undefined,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_match_the_textbook_values() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32 / 7.
        let mut acc = ExactMoments::default();
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, f64::NAN] {
            acc.add(x);
        }
        assert_eq!(acc.mean(), 5.0);
        assert!((acc.sd() - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!((acc.count(), acc.undefined()), (8, 1));
        // t(0.975, 7) = 2.364624 (tables).
        let expected = 2.364624 * (32.0f64 / 7.0).sqrt() / 8f64.sqrt();
        assert!((acc.half_width() - expected).abs() < 1e-5);
    }

    #[test]
    fn any_split_gives_the_same_bits() {
        let values: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1000) as f64 / 997.0 + 0.1).collect();
        let mut whole = ExactMoments::default();
        values.iter().for_each(|&x| whole.add(x));
        for split in [1, 7, 333, 999] {
            let (mut a, mut b) = (ExactMoments::default(), ExactMoments::default());
            values[..split].iter().for_each(|&x| a.add(x));
            values[split..].iter().for_each(|&x| b.add(x));
            b.merge(&a);
            assert_eq!(b, whole);
        }
        let (count, sum, squares, undefined) = whole.parts();
        assert_eq!(ExactMoments::from_parts(count, sum, squares, undefined), whole);
    }

    #[test]
    fn equal_values_have_no_spread() {
        let mut acc = ExactMoments::default();
        (0..5).for_each(|_| acc.add(0.1));
        assert_eq!(acc.sd(), 0.0);
    }
}
