//! Keyed random streams (docs/model.md section 10).
//!
//! Every draw comes from its own stream keyed by `(seed, replication, purpose, entity)`: a
//! Xoshiro256++ generator whose state is SplitMix64's expansion of a 64-bit hash of the key.
//! No generator is shared, so: results do not depend on thread count or order; an option that
//! draws something the others do not cannot shift their draws; and month `m`'s draw is the
//! `m`-th value of its stream, whatever the horizon.
//!
//! Some 400 streams are opened per replication, most for a few dozen values (a unit's fate, a
//! site's costs), so opening one must be cheap: a unit's fate (open, 32 uniforms) takes 53 ns,
//! where a keyed ChaCha8 stream took 128 (benchmark `replication/fate_stream`).

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::kernels::{self, standard_normal};

/// The simulator's generator: Xoshiro256++ (256 bits of state, period 2^256 - 1), which
/// passes the BigCrush and PractRand batteries, named and portable.
pub type SimRng = Xoshiro256PlusPlus;

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
    /// Monthly demand noise (entity: month, function; the `i`-th value is CCG `i`'s).
    DemandMonth = 7,
    /// Fixed and variable cost multipliers of the units on a site (entity: site; the values
    /// are the normals `(z_F, z_v)` of each function in section 1 order).
    UnitCost = 8,
    /// Fate of a unit (entity: site, function key): the checkpoint uniform, the weakness
    /// uniform, then the operating failure uniform of every month.
    Fate = 9,
    /// National systemic disruption (the `m`-th value is month `m`).
    Systemic = 10,
    /// Designs of the uncertainty analysis (replication 0; entity: stage, dimension or
    /// trajectory), never a replication's draw.
    Design = 11,
}

/// Returns the stream keyed by `(seed, replication, purpose, entity)`.
///
/// `entity` is a pair so that, for example, a CCG-function or a site-function needs no packing.
pub fn stream(seed: u64, replication: u64, purpose: Purpose, entity: (u64, u64)) -> SimRng {
    SimRng::seed_from_u64(key_hash(seed, replication, purpose, entity))
}

/// Hashes a stream's key to 64 bits: each word in turn is mixed into the hash by SplitMix64's
/// finaliser, a bijection, so keys that differ in one word never collide.
fn key_hash(seed: u64, replication: u64, purpose: Purpose, entity: (u64, u64)) -> u64 {
    [replication, purpose as u64, entity.0, entity.1]
        .into_iter()
        .fold(mix(seed), |hash, word| mix(hash ^ word))
}

/// SplitMix64's step: adds the golden-ratio increment and mixes (Steele, Lea and Flood 2014).
fn mix(z: u64) -> u64 {
    let z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Returns a uniform draw in [0, 1).
#[inline]
pub fn uniform(rng: &mut SimRng) -> f64 {
    rng.random::<f64>()
}

/// Replaces `values` with consecutive uniform draws in [0, 1).
pub fn fill_uniform(rng: &mut SimRng, values: &mut [f64]) {
    for x in values {
        *x = uniform(rng);
    }
}

/// Replaces `values` with consecutive standard normal draws (the ziggurat of `rand_distr`).
pub fn fill_normal(rng: &mut SimRng, values: &mut [f64]) {
    // A local copy of the generator stays in registers through the loop.
    let mut local = rng.clone();
    for x in values {
        *x = standard_normal(&mut local);
    }
    *rng = local;
}

/// Number of streams in a row of [`fill_normal_lane_rows`].
pub const LANES: usize = kernels::LANES;

/// Fills `values`, one row of equal length per set of four streams, with standard normal
/// draws: in row `r`, `values[r * n + 4 * k + l]` is the `k`-th draw [`fill_normal`] would make
/// from `lanes[r][l]` (`n` the row length), the streams drawn side by side where the processor
/// allows ([`kernels::fill_lane_rows`]).
pub fn fill_normal_lane_rows(lanes: &mut [[SimRng; LANES]], values: &mut [f64]) {
    kernels::fill_lane_rows(lanes, values);
}

/// Returns a standard normal draw, as [`fill_normal`] draws them.
#[cfg(test)]
fn normal(rng: &mut SimRng) -> f64 {
    let mut z = [0.0];
    fill_normal(rng, &mut z);
    z[0]
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

    /// Transforms standard normal draws `zs` into draws of this distribution in `out`: the same
    /// as [`MeanOneLogNormal::at`] for each, to within 2 units in the last place, several
    /// times as fast for long slices (see [`kernels::exp_affine_into`]).
    pub fn transform(&self, zs: &[f64], out: &mut [f64]) {
        out[..zs.len()].copy_from_slice(zs);
        self.transform_in_place(&mut out[..zs.len()]);
    }

    /// Replaces every standard normal draw in `values` by a draw of this distribution, as
    /// [`MeanOneLogNormal::transform`] does.
    pub fn transform_in_place(&self, values: &mut [f64]) {
        kernels::exp_affine_into(values, self.mu, self.sigma);
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
    fn streams_of_neighbouring_keys_are_uncorrelated() {
        // First draws of streams whose keys differ by one in one word: 20,000 pairs per word,
        // so a correlation's standard error is 1 / sqrt(2e4) = 0.0071; allow five of them.
        let n = 20_000u64;
        type Key = (u64, u64, Purpose, (u64, u64));
        let keys: [fn(u64) -> Key; 4] = [
            |k| (k, 0, Purpose::Fate, (0, 0)),
            |k| (1, k, Purpose::Fate, (0, 0)),
            |k| (1, 0, Purpose::Fate, (k, 0)),
            |k| (1, 0, Purpose::Fate, (7, k)),
        ];
        for key in keys {
            let first = |k: u64| {
                let (seed, replication, purpose, entity) = key(k);
                uniform(&mut stream(seed, replication, purpose, entity)) - 0.5
            };
            let pairs: Vec<(f64, f64)> = (0..n).map(|k| (first(k), first(k + 1))).collect();
            let covariance: f64 = pairs.iter().map(|(a, b)| a * b).sum::<f64>() / n as f64;
            // A uniform's variance is 1/12.
            let correlation = covariance * 12.0;
            assert!(correlation.abs() < 0.036, "{correlation}");
        }
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
    fn a_transformed_slice_matches_draw_by_draw_transforms() {
        let dist = MeanOneLogNormal::new(0.3);
        let mut rng = stream(9, 0, Purpose::DemandMonth, (0, 0));
        let zs: Vec<f64> = (0..1000).map(|_| normal(&mut rng)).collect();
        let mut out = vec![0.0; zs.len()];
        dist.transform(&zs, &mut out);
        for (&z, &x) in zs.iter().zip(&out) {
            assert!(x.to_bits().abs_diff(dist.at(z).to_bits()) <= 2, "{x} {}", dist.at(z));
        }
        let mut ones = vec![0.0; 3];
        MeanOneLogNormal::new(0.0).transform(&[1.7, -3.0, 0.0], &mut ones);
        assert_eq!(ones, vec![1.0; 3]);
    }

    #[test]
    fn streams_are_keyed_and_normal() {
        let a = normal(&mut stream(1, 0, Purpose::DemandMonth, (3, 0)));
        assert_eq!(a, normal(&mut stream(1, 0, Purpose::DemandMonth, (3, 0))));
        assert_ne!(a, normal(&mut stream(1, 1, Purpose::DemandMonth, (3, 0))));
        assert_ne!(a, normal(&mut stream(1, 0, Purpose::DemandMonth, (4, 0))));
        assert_ne!(a, normal(&mut stream(2, 0, Purpose::DemandMonth, (3, 0))));
        // Raw moments of 400,000 normals from 400 streams, against 0, 1, 0, 3: standard errors
        // sqrt(m_2k - m_k^2) / sqrt(n) = 0.0016, 0.0022, 0.0061, 0.0155; allow five of them.
        let xs: Vec<f64> = (0..400u64)
            .flat_map(|month| {
                let mut rng = stream(7, 5, Purpose::DemandMonth, (month, 0));
                (0..1000).map(move |_| normal(&mut rng))
            })
            .collect();
        let n = xs.len() as f64;
        let moment = |k: i32| xs.iter().map(|x| x.powi(k)).sum::<f64>() / n;
        assert!(moment(1).abs() < 0.008, "{}", moment(1));
        assert!((moment(2) - 1.0).abs() < 0.0112, "{}", moment(2));
        assert!(moment(3).abs() < 0.031, "{}", moment(3));
        assert!((moment(4) - 3.0).abs() < 0.078, "{}", moment(4));
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
