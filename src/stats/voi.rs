//! Value of information from a probabilistic sensitivity analysis sample.
//!
//! `net_benefit[k][d]` is decision `d`'s net benefit in parameter set `k` (for csu-sim, minus
//! an option's headline cost). The expected value of perfect information is what knowing every
//! parameter before choosing would be worth:
//! `EVPI = mean_k max_d NB(k, d) - max_d mean_k NB(k, d)`.
//!
//! The expected value of partial perfect information about one parameter `theta` follows the
//! nonparametric regression method of Strong, Oakley and Brennan (2014, "Estimating
//! multiparameter partial expected value of perfect information from a probabilistic
//! sensitivity analysis sample: a nonparametric regression approach", Medical Decision Making
//! 34(3): 311-326), here for one parameter at a time: the conditional expectation
//! `E[NB(d) | theta]` is estimated by regressing each decision's net benefit on `theta` over
//! the same sample, and `EVPPI = mean_k max_d g_d(theta_k) - max_d mean_k g_d(theta_k)`.
//! The smoother here is a local linear regression with a Gaussian kernel on the ranks of
//! `theta` (so the bandwidth does not depend on its scale or skew), bandwidth 0.1 in rank
//! units (Silverman's rule for n = 300 to 2,000 gives 0.07 to 0.1; the wider end tolerates the
//! Monte Carlo noise each net benefit carries).

/// Bandwidth of the smoother, as a share of the sample's ranks.
pub const BANDWIDTH: f64 = 0.1;

/// Returns the EVPI of a sample; 0 for no samples.
pub fn evpi(net_benefit: &[Vec<f64>]) -> f64 {
    value_of_knowing(net_benefit)
}

/// Returns `mean_k max_d g(k, d) - max_d mean_k g(k, d)`, never below 0.
fn value_of_knowing(g: &[Vec<f64>]) -> f64 {
    let Some(first) = g.first() else {
        return 0.0;
    };
    let n = g.len() as f64;
    let best_each: f64 = g
        .iter()
        .map(|row| row.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        .sum::<f64>()
        / n;
    let best_on_average = (0..first.len())
        .map(|d| g.iter().map(|row| row[d]).sum::<f64>() / n)
        .fold(f64::NEG_INFINITY, f64::max);
    (best_each - best_on_average).max(0.0)
}

/// `theta` and the net benefits do not describe the same parameter sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("EVPPI needs one value of the input per parameter set: {theta} values for {sets} sets")]
pub struct LengthMismatch {
    /// Values of the input.
    pub theta: usize,
    /// Parameter sets (rows of net benefit).
    pub sets: usize,
}

/// Returns the EVPPI of `theta` (one value per parameter set) for the sample's decisions; 0
/// with fewer than three sets, too few to smooth; an error when the lengths differ.
pub fn evppi(theta: &[f64], net_benefit: &[Vec<f64>]) -> Result<f64, LengthMismatch> {
    let n = theta.len();
    if net_benefit.len() != n {
        return Err(LengthMismatch {
            theta: n,
            sets: net_benefit.len(),
        });
    }
    if n < 3 {
        return Ok(0.0);
    }
    let decisions = net_benefit[0].len();
    let ranks = ranks(theta);
    let fitted: Vec<Vec<f64>> = (0..decisions)
        .map(|d| {
            let y: Vec<f64> = net_benefit.iter().map(|row| row[d]).collect();
            local_linear(&ranks, &y, BANDWIDTH)
        })
        .collect();
    let rows: Vec<Vec<f64>> = (0..n).map(|k| fitted.iter().map(|g| g[k]).collect()).collect();
    Ok(value_of_knowing(&rows))
}

/// Returns each value's mid-rank scaled to (0, 1): `(rank + 1/2) / n`, ties sharing the mean
/// of their ranks.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; n];
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let mid = (start + end - 1) as f64 / 2.0;
        for &idx in &order[start..end] {
            out[idx] = (mid + 0.5) / n as f64;
        }
        start = end;
    }
    out
}

/// Returns the local linear fit of `y` on `x` at every `x`, Gaussian kernel of bandwidth `h`.
fn local_linear(x: &[f64], y: &[f64], h: f64) -> Vec<f64> {
    x.iter()
        .map(|&x0| {
            let (mut s0, mut s1, mut s2, mut t0, mut t1) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for (&xi, &yi) in x.iter().zip(y) {
                let dx = xi - x0;
                let w = (-0.5 * (dx / h).powi(2)).exp();
                s0 += w;
                s1 += w * dx;
                s2 += w * dx * dx;
                t0 += w * yi;
                t1 += w * dx * yi;
            }
            let det = s0 * s2 - s1 * s1;
            if det.abs() <= 1e-12 * s0 * s2 {
                t0 / s0
            } else {
                (s2 * t0 - s1 * t1) / det
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::distribution::normal_quantile;

    /// The unit normal loss integral: `E[max(0, X)]` for `X ~ N(mu, sigma^2)` is
    /// `mu Phi(mu / sigma) + sigma phi(mu / sigma)`.
    fn positive_part(mu: f64, sigma: f64) -> f64 {
        let z = mu / sigma;
        let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
        mu * normal_cdf(z) + sigma * phi
    }

    /// Phi by bisection on the quantile (exact enough for a test).
    fn normal_cdf(z: f64) -> f64 {
        let (mut low, mut high) = (0.0, 1.0);
        for _ in 0..100 {
            let mid = 0.5 * (low + high);
            if normal_quantile(mid) < z {
                low = mid
            } else {
                high = mid
            }
        }
        0.5 * (low + high)
    }

    /// Two options: NB1 = 0 and NB2 = a + b theta1 + c theta2, theta ~ N(0, 1) independent.
    /// EVPI = E[max(0, NB2)] - max(0, a) with NB2 ~ N(a, b^2 + c^2); EVPPI(theta1) =
    /// E[max(0, a + b theta1)] - max(0, a), and likewise for theta2.
    #[test]
    fn evpi_and_evppi_match_the_normal_loss_integral() {
        let (a, b, c) = (0.3, 1.0, 0.5);
        let n = 4000;
        // A stratified normal sample, paired across the two parameters by a fixed shuffle.
        let z = |k: usize| normal_quantile((k as f64 + 0.5) / n as f64);
        let theta1: Vec<f64> = (0..n).map(z).collect();
        let theta2: Vec<f64> = (0..n).map(|k| z((k * 1597 + 17) % n)).collect();
        let nb: Vec<Vec<f64>> = (0..n).map(|k| vec![0.0, a + b * theta1[k] + c * theta2[k]]).collect();
        let expected_evpi = positive_part(a, (b * b + c * c).sqrt()) - a;
        let expected_1 = positive_part(a, b) - a;
        let expected_2 = positive_part(a, c) - a;
        let got = evpi(&nb);
        assert!(
            (got - expected_evpi).abs() < 0.02 * expected_evpi,
            "EVPI {got} vs {expected_evpi}"
        );
        let got_1 = evppi(&theta1, &nb).unwrap();
        let got_2 = evppi(&theta2, &nb).unwrap();
        assert!(
            (got_1 - expected_1).abs() < 0.05 * expected_1,
            "EVPPI 1 {got_1} vs {expected_1}"
        );
        assert!(
            (got_2 - expected_2).abs() < 0.15 * expected_2,
            "EVPPI 2 {got_2} vs {expected_2}"
        );
        assert!(got_2 < got_1 && got_1 <= got + 1e-12);
    }

    #[test]
    fn a_parameter_that_changes_nothing_is_worth_nothing() {
        let theta: Vec<f64> = (0..500).map(|k| k as f64).collect();
        let nb: Vec<Vec<f64>> = (0..500).map(|k| vec![1.0, 2.0 + 0.0 * k as f64]).collect();
        assert_eq!(evppi(&theta, &nb), Ok(0.0));
        assert_eq!(evppi(&theta[..499], &nb), Err(LengthMismatch { theta: 499, sets: 500 }));
        assert_eq!(evpi(&nb), 0.0);
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![0.75, 0.125, 0.75, 0.375]);
    }
}
