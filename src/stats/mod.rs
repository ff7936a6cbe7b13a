//! Streaming statistics across replications (MODEL.md section 8).

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
