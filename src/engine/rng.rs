//! Keyed random streams (MODEL.md section 10).
//!
//! Every draw comes from its own ChaCha8 stream keyed by `(seed, purpose, entity)` in the
//! 256-bit key and by the replication in the 64-bit stream id. No generator is shared, so:
//! results do not depend on thread count or order; an option that draws something the others
//! do not cannot shift their draws; and month `m`'s draw is the `m`-th value of its stream,
//! whatever the horizon.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// The simulator's generator: portable, named, with 2^64 streams per key.
pub type SimRng = ChaCha8Rng;

/// What a stream is for; part of every stream's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Authorisation wave of a CCG.
    Wave = 1,
    /// Preference category of a CCG.
    Preference = 2,
    /// Budget of a CCG.
    Budget = 3,
    /// First procurement duration of a CCG.
    Procurement = 4,
    /// Re-procurement duration of a CCG after a failure (entity: CCG, count).
    Reprocurement = 5,
    /// Demand level of a CCG-function.
    DemandLevel = 6,
    /// Monthly demand noise of a CCG-function (the `m`-th value is month `m`).
    DemandMonth = 7,
    /// Fixed and variable cost multipliers of a unit (entity: site, function).
    UnitCost = 8,
    /// Checkpoint failure of a unit (entity: site, function key).
    Checkpoint = 9,
    /// Weakness of a unit (entity: site, function key).
    Weak = 10,
    /// Monthly operating failure of a unit (entity: site, function key).
    MonthlyFailure = 11,
    /// National systemic disruption (the `m`-th value is month `m`).
    Systemic = 12,
}

/// Returns the stream keyed by `(seed, replication, purpose, entity)`.
///
/// `entity` is a pair so that, for example, a CCG-function or a site-function needs no packing.
pub fn stream(seed: u64, replication: u64, purpose: Purpose, entity: (u64, u64)) -> SimRng {
    let mut key = [0u8; 32];
    key[0..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(purpose as u64).to_le_bytes());
    key[16..24].copy_from_slice(&entity.0.to_le_bytes());
    key[24..32].copy_from_slice(&entity.1.to_le_bytes());
    let mut rng = SimRng::from_seed(key);
    rng.set_stream(replication);
    rng
}

/// Returns a uniform draw in [0, 1).
#[inline]
pub fn uniform(rng: &mut SimRng) -> f64 {
    rng.random::<f64>()
}

/// Returns a standard normal draw (ziggurat).
#[inline]
pub fn normal(rng: &mut SimRng) -> f64 {
    rng.sample(StandardNormal)
}

/// A lognormal distribution with mean 1 and coefficient of variation `cv` (section 6):
/// `sigma^2 = ln(1 + cv^2)`, `mu = -sigma^2 / 2`, so `X = exp(mu + sigma Z)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanOneLogNormal {
    mu: f64,
    sigma: f64,
}

impl MeanOneLogNormal {
    /// Builds the distribution for `cv >= 0`; `cv = 0` always gives exactly 1.
    pub fn new(cv: f64) -> MeanOneLogNormal {
        let variance = (1.0 + cv * cv).ln();
        MeanOneLogNormal {
            mu: -variance / 2.0,
            sigma: variance.sqrt(),
        }
    }

    /// Transforms a standard normal draw `z` into a draw of this distribution.
    #[inline]
    pub fn at(&self, z: f64) -> f64 {
        (self.mu + self.sigma * z).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_with_different_keys_differ_and_equal_keys_repeat() {
        let a = uniform(&mut stream(1, 0, Purpose::Wave, (0, 0)));
        assert_eq!(a, uniform(&mut stream(1, 0, Purpose::Wave, (0, 0))));
        assert_ne!(a, uniform(&mut stream(1, 1, Purpose::Wave, (0, 0))));
        assert_ne!(a, uniform(&mut stream(1, 0, Purpose::Budget, (0, 0))));
        assert_ne!(a, uniform(&mut stream(1, 0, Purpose::Wave, (1, 0))));
        assert_ne!(a, uniform(&mut stream(1, 0, Purpose::Wave, (0, 1))));
        assert_ne!(a, uniform(&mut stream(2, 0, Purpose::Wave, (0, 0))));
    }

    #[test]
    fn lognormal_has_mean_one_and_the_requested_cv() {
        let dist = MeanOneLogNormal::new(0.3);
        let mut rng = stream(7, 0, Purpose::DemandMonth, (0, 0));
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| dist.at(normal(&mut rng))).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        // Standard error of the mean is 0.3 / sqrt(2e5) = 0.00067: allow five of them.
        assert!((mean - 1.0).abs() < 0.0034, "{mean}");
        assert!((var.sqrt() - 0.3).abs() < 0.006, "{}", var.sqrt());
        assert_eq!(MeanOneLogNormal::new(0.0).at(1.7), 1.0);
    }

    #[test]
    fn uniform_draws_pass_a_chi_squared_test() {
        let mut rng = stream(11, 3, Purpose::Preference, (5, 0));
        let bins = 20;
        let n = 100_000;
        let mut counts = vec![0u32; bins];
        for _ in 0..n {
            counts[(uniform(&mut rng) * bins as f64) as usize] += 1;
        }
        let expected = n as f64 / bins as f64;
        let chi2: f64 = counts
            .iter()
            .map(|&c| (f64::from(c) - expected).powi(2) / expected)
            .sum();
        // 19 degrees of freedom: the 0.999 quantile is 43.8.
        assert!(chi2 < 43.8, "{chi2}");
    }
}
