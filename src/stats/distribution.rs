//! Distributions of uncertain inputs (the `[uncertain]` table of a scenario), by their
//! quantile functions: a design point `u` in (0, 1) becomes a parameter value.
//!
//! The inverse normal CDF is Wichura's algorithm AS 241 (PPND16, relative accuracy about
//! 1e-16); the beta quantile inverts the regularised incomplete beta function of
//! `stats::special` by Newton steps kept inside a bisection bracket.

use super::special::{incomplete_beta, ln_gamma};

/// A distribution of an uncertain input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Distribution {
    /// Uniform on `[low, high]`.
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
    },
    /// Lognormal with the given mean and coefficient of variation (`cv = 0`: the mean).
    LogNormal {
        /// Mean, > 0.
        mean: f64,
        /// Coefficient of variation, >= 0.
        cv: f64,
    },
    /// Beta on `[0, 1]` with the given mean and standard deviation (`sd = 0`: the mean).
    Beta {
        /// Mean, in (0, 1).
        mean: f64,
        /// Standard deviation, below `sqrt(mean (1 - mean))`.
        sd: f64,
    },
}

/// Returns whether a number is NaN or above a bound (infinity included).
fn nan_or_above(x: f64, bound: f64) -> bool {
    x.is_nan() || x > bound
}

impl Distribution {
    /// Returns what is wrong with the parameters, if anything, in words for a message.
    pub fn problem(&self) -> Option<String> {
        let finite = |values: &[f64]| values.iter().all(|v| v.is_finite());
        match *self {
            Distribution::Uniform { low, high } if !finite(&[low, high]) || low > high => Some(format!(
                "uniform needs finite [low, high] with low <= high, not [{low}, {high}]"
            )),
            Distribution::Triangular { min, mode, max }
                if !(finite(&[min, mode, max]) && min <= mode && mode <= max) =>
            {
                Some(format!(
                    "triangular needs finite [min, mode, max] with min <= mode <= max, not [{min}, {mode}, {max}]"
                ))
            }
            Distribution::LogNormal { mean, cv }
                if !finite(&[mean, cv]) || mean <= 0.0 || !(0.0..=100.0).contains(&cv) =>
            {
                Some(format!(
                    "lognormal needs [mean, cv] with mean > 0 and cv from 0 to 100, not [{mean}, {cv}]"
                ))
            }
            Distribution::Beta { mean, sd } if !finite(&[mean, sd]) || mean <= 0.0 || mean >= 1.0 || sd < 0.0 => Some(
                format!("beta needs [mean, sd] with 0 < mean < 1 and sd >= 0, not [{mean}, {sd}]"),
            ),
            Distribution::Beta { mean, sd } if sd * sd >= mean * (1.0 - mean) => Some(format!(
                "beta [mean, sd] = [{mean}, {sd}] is impossible: a beta of mean {mean} has sd below {:.6}",
                (mean * (1.0 - mean)).sqrt()
            )),
            // Shape parameters mean k and (1 - mean) k, k = mean (1 - mean) / sd^2 - 1: beyond
            // about 1e12 the quantiles cannot be computed (1e-200 makes k infinite).
            Distribution::Beta { mean, sd } if sd > 0.0 && nan_or_above(mean * (1.0 - mean) / (sd * sd), 1e12) => {
                Some(format!(
                    "beta [mean, sd] = [{mean}, {sd:e}]: an sd this small cannot be computed; give sd = 0 for the fixed value {mean}, or an sd of at least {:.1e}",
                    (mean * (1.0 - mean) / 1e12).sqrt()
                ))
            }
            _ => None,
        }
    }

    /// Returns the name used in scenarios.
    pub fn name(&self) -> &'static str {
        match self {
            Distribution::Uniform { .. } => "uniform",
            Distribution::Triangular { .. } => "triangular",
            Distribution::LogNormal { .. } => "lognormal",
            Distribution::Beta { .. } => "beta",
        }
    }

    /// Returns the value at cumulative probability `p` in \[0, 1\] (valid parameters assumed).
    pub fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        match *self {
            Distribution::Uniform { low, high } => low + p * (high - low),
            Distribution::Triangular { min, mode, max } => triangular_quantile(min, mode, max, p),
            Distribution::LogNormal { mean, cv } => {
                if cv == 0.0 {
                    return mean;
                }
                let sigma2 = (1.0 + cv * cv).ln();
                let mu = mean.ln() - sigma2 / 2.0;
                (mu + sigma2.sqrt() * normal_quantile(p)).exp()
            }
            Distribution::Beta { mean, sd } => {
                if sd == 0.0 {
                    return mean;
                }
                let k = mean * (1.0 - mean) / (sd * sd) - 1.0;
                beta_quantile(mean * k, (1.0 - mean) * k, p)
            }
        }
    }

    /// Returns the smallest and largest values the distribution can take (lognormal: up to
    /// infinity).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Distribution::Uniform { low, high } => (low, high),
            Distribution::Triangular { min, max, .. } => (min, max),
            Distribution::LogNormal { mean, cv: 0.0 } => (mean, mean),
            Distribution::LogNormal { .. } => (0.0, f64::INFINITY),
            Distribution::Beta { mean, sd: 0.0 } => (mean, mean),
            Distribution::Beta { .. } => (0.0, 1.0),
        }
    }
}

/// Returns the triangular distribution's inverse CDF at `u` in \[0, 1\]: below
/// `F(mode) = (mode - min) / (max - min)` it is `min + sqrt(u (max - min)(mode - min))`,
/// above it `max - sqrt((1 - u)(max - min)(max - mode))`; a degenerate range returns `min`.
pub fn triangular_quantile(min: f64, mode: f64, max: f64, u: f64) -> f64 {
    let width = max - min;
    if width <= 0.0 {
        return min;
    }
    let split = (mode - min) / width;
    if u < split {
        min + (u * width * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * width * (max - mode)).sqrt()
    }
}

/// Returns the standard normal quantile `Phi^-1(p)` by Wichura's AS 241 (PPND16); infinite at
/// 0 and 1.
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&AS241_A, r) / poly(&AS241_B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let value = if r <= 5.0 {
        let r = r - 1.6;
        poly(&AS241_C, r) / poly(&AS241_D, r)
    } else {
        let r = r - 5.0;
        poly(&AS241_E, r) / poly(&AS241_F, r)
    };
    if q < 0.0 { -value } else { value }
}

/// Evaluates a polynomial with coefficients from the constant term up (Horner).
fn poly(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

const AS241_A: [f64; 8] = [
    3.387_132_872_796_366_5,
    1.331_416_678_917_843_8e2,
    1.971_590_950_306_551_3e3,
    1.373_169_376_550_946e4,
    4.592_195_393_154_987e4,
    6.726_577_092_700_87e4,
    3.343_057_558_358_813e4,
    2.509_080_928_730_122_7e3,
];
const AS241_B: [f64; 8] = [
    1.0,
    4.231_333_070_160_091e1,
    6.871_870_074_920_579e2,
    5.394_196_021_424_751e3,
    2.121_379_430_158_659_7e4,
    3.930_789_580_009_271e4,
    2.872_908_573_572_194_3e4,
    5.226_495_278_852_545e3,
];
const AS241_C: [f64; 8] = [
    1.423_437_110_749_683_5,
    4.630_337_846_156_546,
    5.769_497_221_460_691,
    3.647_848_324_763_204_5,
    1.270_458_252_452_368_4,
    2.417_807_251_774_506e-1,
    2.272_384_498_926_918_4e-2,
    7.745_450_142_783_414e-4,
];
const AS241_D: [f64; 8] = [
    1.0,
    2.053_191_626_637_759,
    1.676_384_830_183_803_8,
    6.897_673_349_851e-1,
    1.481_039_764_274_800_8e-1,
    1.519_866_656_361_645_7e-2,
    5.475_938_084_995_345e-4,
    1.050_750_071_644_416_9e-9,
];
const AS241_E: [f64; 8] = [
    6.657_904_643_501_103,
    5.463_784_911_164_114,
    1.784_826_539_917_291_3,
    2.965_605_718_285_048_7e-1,
    2.653_218_952_657_612_4e-2,
    1.242_660_947_388_078_4e-3,
    2.711_555_568_743_487_6e-5,
    2.010_334_399_292_288_1e-7,
];
const AS241_F: [f64; 8] = [
    1.0,
    5.998_322_065_558_88e-1,
    1.369_298_809_227_358e-1,
    1.487_536_129_085_061_5e-2,
    7.868_691_311_456_133e-4,
    1.846_318_317_510_054_8e-5,
    1.421_511_758_316_446e-7,
    2.044_263_103_389_939_7e-15,
];

/// Returns the regularised incomplete beta function `I_x(a, b)`, the beta(a, b) CDF at `x`.
pub fn beta_cdf(a: f64, b: f64, x: f64) -> f64 {
    incomplete_beta(a, b, x)
}

/// Returns the beta(a, b) quantile at `p`: Newton steps on `I_x(a, b) - p`, each kept inside
/// a shrinking bisection bracket.
pub fn beta_quantile(a: f64, b: f64, p: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let ln_beta = ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b);
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    let mut x = a / (a + b);
    for _ in 0..200 {
        let f = beta_cdf(a, b, x) - p;
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            low = x;
        } else {
            high = x;
        }
        let density = ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta).exp();
        let newton = x - f / density;
        let next = if density > 0.0 && newton > low && newton < high {
            newton
        } else {
            0.5 * (low + high)
        };
        if (next - x).abs() <= 1e-15 * x.max(1e-300) || high - low <= 1e-15 * high {
            return next;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from scipy.stats (norm.ppf, beta.ppf, beta.cdf), an independent
    /// implementation.
    #[test]
    fn quantiles_match_an_independent_implementation() {
        let close = |got: f64, want: f64, tol: f64| {
            assert!((got - want).abs() <= tol * want.abs().max(1e-300), "{got} vs {want}")
        };
        close(normal_quantile(0.975), 1.959963984540054, 1e-15);
        close(normal_quantile(1e-10), -6.361340902404056, 1e-14);
        close(normal_quantile(0.3), -0.5244005127080409, 1e-15);
        close(normal_quantile(1e-15), -7.941345326170998, 1e-13);
        close(normal_quantile(1.0 - 1e-13), 7.3487545403000425, 1e-9);
        assert_eq!(normal_quantile(0.5), 0.0);
        close(beta_quantile(2.0, 3.0, 0.5), 0.3857275681323895, 1e-12);
        close(beta_quantile(0.5, 0.5, 0.05), 0.0061558297024311365, 1e-10);
        close(beta_quantile(30.0, 200.0, 0.95), 0.1686320447532253, 1e-12);
        close(beta_quantile(8.5, 1.2, 0.01), 0.5557007109886765, 1e-12);
        close(beta_cdf(2.0, 5.0, 0.3), 0.5798250000000003, 1e-13);
    }

    #[test]
    fn closed_forms_hold() {
        // Beta(2, 1) has CDF x^2; Gamma(5) = 24; lognormal median exp(mu).
        assert!((beta_quantile(2.0, 1.0, 0.49) - 0.7).abs() < 1e-13);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);
        let lognormal = Distribution::LogNormal { mean: 2.0, cv: 0.5 };
        let mu = 2f64.ln() - 1.25f64.ln() / 2.0;
        assert!((lognormal.quantile(0.5) - mu.exp()).abs() < 1e-12);
        let beta = Distribution::Beta { mean: 0.2, sd: 0.1 };
        // k = 0.2 * 0.8 / 0.01 - 1 = 15: Beta(3, 12).
        assert!((beta.quantile(0.3) - beta_quantile(3.0, 12.0, 0.3)).abs() < 1e-15);
        let tri = Distribution::Triangular {
            min: 2.0,
            mode: 3.0,
            max: 6.0,
        };
        assert!((tri.quantile(0.0625) - 2.5).abs() < 1e-12);
        assert_eq!(Distribution::Uniform { low: 1.0, high: 3.0 }.quantile(0.25), 1.5);
    }

    #[test]
    fn bad_parameters_are_named() {
        assert!(
            Distribution::Uniform { low: 2.0, high: 1.0 }
                .problem()
                .unwrap()
                .contains("low <= high")
        );
        assert!(Distribution::LogNormal { mean: 1.0, cv: -0.1 }.problem().is_some());
        assert!(
            Distribution::Beta { mean: 1.2, sd: 0.1 }
                .problem()
                .unwrap()
                .contains("0 < mean < 1")
        );
        assert!(
            Distribution::Beta { mean: 0.5, sd: 0.5 }
                .problem()
                .unwrap()
                .contains("impossible")
        );
        assert!(
            Distribution::Triangular {
                min: 0.0,
                mode: 5.0,
                max: 1.0
            }
            .problem()
            .is_some()
        );
        assert!(Distribution::Beta { mean: 0.5, sd: 0.49 }.problem().is_none());
    }
}
