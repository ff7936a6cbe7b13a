//! Count, mean and variance by Welford's update and Chan's merge.

use super::Accumulator;

/// Running count, mean and sum of squared deviations.
///
/// `add` is Welford (1962): `delta = x - mean; mean += delta / n; m2 += delta (x - mean)`.
/// `merge` is Chan, Golub and LeVeque (1979): `m2 = m2_a + m2_b + delta^2 n_a n_b / n`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Accumulator for Moments {
    fn add(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    fn merge(&mut self, other: &Self) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        self.mean += delta * other.n as f64 / n as f64;
        self.m2 += other.m2 + delta * delta * self.n as f64 * other.n as f64 / n as f64;
        self.n = n;
    }
}

impl Moments {
    /// Returns the number of values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Returns the mean; NaN for n = 0.
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// Returns the sample standard deviation (divisor n - 1); NaN for n < 2.
    pub fn sample_sd(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64).max(0.0).sqrt()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(xs: &[f64]) -> Moments {
        let mut m = Moments::default();
        xs.iter().for_each(|&x| m.add(x));
        m
    }

    proptest! {
        #[test]
        fn merging_equals_adding_everything(a in prop::collection::vec(-1e6f64..1e6, 0..50), b in prop::collection::vec(-1e6f64..1e6, 0..50)) {
            let mut merged = of(&a);
            merged.merge(&of(&b));
            let all = of(&[a.clone(), b.clone()].concat());
            prop_assert_eq!(merged.count(), all.count());
            if all.count() > 0 {
                prop_assert!((merged.mean() - all.mean()).abs() <= 1e-9 * (1.0 + all.mean().abs()));
            }
            if all.count() > 1 {
                prop_assert!((merged.sample_sd() - all.sample_sd()).abs() <= 1e-6 * (1.0 + all.sample_sd()));
            }
        }
    }

    #[test]
    fn large_offsets_do_not_lose_the_variance() {
        let m = of(&[1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0]);
        assert!((m.sample_sd() - 30.0f64.sqrt()).abs() < 1e-6);
    }
}
