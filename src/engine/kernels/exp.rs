//! The exponential of many values at once, for the lognormal transforms of the demand noise.
//!
//! A replication needs about 20,000 exponentials, which `f64::exp` makes one at a time. The
//! kernel here (Cody-Waite reduction and a polynomial) has no branch or table, so over a slice
//! the compiler runs two values per instruction, four where the processor has AVX2 and eight
//! where it has AVX-512 (20,000 values: 29 us with AVX2, 19 with AVX-512; making the product
//! and sum in the range check's pass saved a replication's draws 2 us against a pass of their
//! own). Exponents outside `[-700, 700]` and NaN go to `f64::exp`. Every path does the same
//! IEEE operations in the same order (no fused multiply-add), so the results are the same bits
//! on every x86-64 processor; the AVX2 and AVX-512 forms (`x86.rs`) compile this same code.

/// Replaces every `x` in `values` by `exp(mu + sigma * x)`, to within 2 units in the last
/// place of the exponential of `mu + sigma * x` (a product, then a sum, each rounded). Inlined
/// into each instruction set's form.
#[inline(always)]
pub(super) fn exp_affine_portable(values: &mut [f64], mu: f64, sigma: f64) {
    // Chunks short enough to stay in the first-level cache between the check and the kernel.
    for chunk in values.chunks_mut(256) {
        // The exponents, and the largest magnitude as bits: ordered like the magnitudes, NaN
        // above infinity, and, unlike `all`, which stops at the first value out of range,
        // checked several at a time.
        let largest = chunk
            .iter_mut()
            .map(|x| {
                *x = mu + sigma * *x;
                x.to_bits() & !SIGN_BIT
            })
            .max()
            .unwrap_or(0);
        if largest <= EXP_LIMIT.to_bits() {
            for x in chunk.iter_mut() {
                *x = exp_in_range(*x);
            }
        } else {
            for x in chunk.iter_mut() {
                *x = if x.abs() <= EXP_LIMIT {
                    exp_in_range(*x)
                } else {
                    x.exp()
                };
            }
        }
    }
}

/// Largest `|x|` that [`exp_in_range`] takes: `2^k` stays a normal number.
const EXP_LIMIT: f64 = 700.0;

/// The sign bit of an `f64`.
const SIGN_BIT: u64 = 1 << 63;

/// Returns `exp(x)` for `|x| <= 700`: `exp(x) = 2^k exp(r)` with `k = round(x / ln 2)` and
/// `|r| <= ln 2 / 2` (Cody-Waite reduction: `ln 2` is split in two so that `k ln 2` is exact),
/// and `exp(r)` its Taylor polynomial of degree 13 (truncation error below 5e-18 relative),
/// evaluated by Estrin's scheme to keep the dependency chains short.
#[inline(always)]
fn exp_in_range(x: f64) -> f64 {
    // 1.5 * 2^52: adding it rounds to an integer, which then sits in the low mantissa bits.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    const LN2_HI: f64 = 0.693_147_182_464_599_6;
    const LN2_LO: f64 = -1.904_654_299_957_768e-9;
    // 1 / k! for k = 2..=13.
    const C: [f64; 12] = [
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];
    let shifted = x * std::f64::consts::LOG2_E + ROUND;
    let k = shifted - ROUND;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let low = (1.0 + r) + (C[0] + C[1] * r) * r2 + ((C[2] + C[3] * r) + (C[4] + C[5] * r) * r2) * r4;
    let high = (C[6] + C[7] * r) + (C[8] + C[9] * r) * r2 + (C[10] + C[11] * r) * r4;
    // The low bits of `shifted` hold k (two's complement); moved into the exponent field with
    // the bias they make 2^k.
    let scale = f64::from_bits(shifted.to_bits().wrapping_add(1023) << 52);
    (low + high * r8) * scale
}
