//! The speed kernels, in quarantine: the loops that fill a replication's draws, each in a
//! portable form and, on x86-64, forms compiled for AVX2 and AVX-512F that give the same bits.
//!
//! - [`fill_lane_rows`]: standard normals from sets of four generators drawn side by side (the
//!   ziggurat of `rand_distr`, `ziggurat.rs`).
//! - [`exp_affine_into`]: `exp(mu + sigma x)` over a slice (`exp.rs`).
//! - [`scale_rows`]: the demand rows, a transposition of the noise (`rows.rs`).
//!
//! All `unsafe` and `target_feature` code is in `x86.rs`, and this file is the one dispatch
//! point: [`Isa::detected`] is the only place that asks the processor what it has, and each
//! kernel's `_on` form runs the requested instruction set, never one the processor lacks.
//! The tests run every form the machine has against the portable one, so the portable path
//! is tested on every machine.

mod exp;
mod rows;
#[cfg(target_arch = "x86_64")]
mod x86;
mod ziggurat;

use rand_xoshiro::Xoshiro256PlusPlus;

pub use ziggurat::{LANES, standard_normal};

use crate::model::N_FUNCTIONS;

/// An instruction set a kernel can be compiled for, from the narrowest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    /// Any processor: what the compiler makes of plain Rust.
    Portable,
    /// x86-64 with AVX2.
    Avx2,
    /// x86-64 with AVX-512F (and AVX2, which every such processor has and the kernels use for
    /// what is left over).
    Avx512,
}

impl Isa {
    /// The widest instruction set of this processor.
    pub fn detected() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            return if std::arch::is_x86_feature_detected!("avx512f") {
                Isa::Avx512
            } else {
                Isa::Avx2
            };
        }
        Isa::Portable
    }

    /// Every instruction set this processor can run, from the narrowest.
    pub fn available() -> Vec<Isa> {
        let widest = Isa::detected();
        [Isa::Portable, Isa::Avx2, Isa::Avx512]
            .into_iter()
            .filter(|isa| *isa <= widest)
            .collect()
    }

    /// `self`, or the widest this processor has if that is narrower.
    fn capped(self) -> Isa {
        self.min(Isa::detected())
    }
}

/// Fills `values`, rows of equal length, one row from each set of four generators: in row
/// `r`, `values[r * n + 4 * k + l]` is the `k`-th [`standard_normal`] draw of `lanes[r][l]`
/// (`n` the row length), whatever the processor. With AVX2 the four generators of a row step
/// side by side (a replication's 20,000 noise normals took 29 us so, against 35 us one stream
/// after another); with AVX-512 two rows are drawn at once, eight lanes wide.
pub fn fill_lane_rows(lanes: &mut [[Xoshiro256PlusPlus; LANES]], values: &mut [f64]) {
    fill_lane_rows_on(Isa::detected(), lanes, values);
}

/// [`fill_lane_rows`] on `isa`, or the widest this processor has if that is narrower.
pub fn fill_lane_rows_on(isa: Isa, lanes: &mut [[Xoshiro256PlusPlus; LANES]], values: &mut [f64]) {
    let isa = isa.capped();
    let Some(row_len) = values.len().checked_div(lanes.len()).filter(|&n| n > 0) else {
        return;
    };
    debug_assert_eq!(values.len(), row_len * lanes.len(), "rows of equal length");
    let full = row_len / LANES * LANES;
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if isa == Isa::Avx512 {
        for (pair, rows) in lanes.chunks_exact_mut(2).zip(values.chunks_exact_mut(2 * row_len)) {
            let ([a, b], (first, second)) = (pair, rows.split_at_mut(row_len)) else {
                continue;
            };
            // SAFETY: the processor has AVX-512F (`capped`).
            unsafe { x86::fill_two_rows_avx512([a, b], [&mut first[..full], &mut second[..full]]) };
            ziggurat::finish_row(a, &mut first[full..]);
            ziggurat::finish_row(b, &mut second[full..]);
            done += 2;
        }
    }
    let rows = values[done * row_len..].chunks_exact_mut(row_len);
    for (lane, row) in lanes[done..].iter_mut().zip(rows) {
        let (body, rest) = row.split_at_mut(full);
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the processor has AVX2 (`capped`; AVX-512 implies it, see `detected`).
            Isa::Avx2 | Isa::Avx512 => unsafe { x86::fill_lanes_avx2(lane, body) },
            _ => ziggurat::fill_lanes_portable(lane, body),
        }
        ziggurat::finish_row(lane, rest);
    }
}

/// Replaces every `x` in `values` by `exp(mu + sigma * x)`, to within 2 units in the last
/// place of the exponential of `mu + sigma * x` (a product, then a sum, each rounded), the
/// same bits on every path: see `exp.rs`.
pub fn exp_affine_into(values: &mut [f64], mu: f64, sigma: f64) {
    exp_affine_into_on(Isa::detected(), values, mu, sigma);
}

/// [`exp_affine_into`] on `isa`, or the widest this processor has if that is narrower.
pub fn exp_affine_into_on(isa: Isa, values: &mut [f64], mu: f64, sigma: f64) {
    match isa.capped() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the processor has AVX-512F (`capped`).
        Isa::Avx512 => unsafe { x86::exp_affine_avx512(values, mu, sigma) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the processor has AVX2 (`capped`).
        Isa::Avx2 => unsafe { x86::exp_affine_avx2(values, mu, sigma) },
        _ => exp::exp_affine_portable(values, mu, sigma),
    }
}

/// Writes each CCG-function's demand row (`months` long, CCG-function by CCG-function in
/// `work`): `base` (its mean monthly demand) times the month's noise factor
/// (`noise[m * cells + cf]`, month by month) from month `go_live` on, 0 before; and each row's
/// total in `totals`, added month by month.
///
/// With AVX2 four months of a CCG are one 4 x 4 transposition in registers and each row gets
/// four months a store: a replication's draws 49.8 -> 46.5 us against a store a value.
pub fn scale_rows(work: &mut [f64], totals: &mut [f64], base: &[f64], noise: &[f64], months: usize, go_live: usize) {
    scale_rows_on(Isa::detected(), work, totals, base, noise, months, go_live);
}

/// [`scale_rows`] on `isa`, or the widest this processor has if that is narrower.
pub fn scale_rows_on(
    isa: Isa,
    work: &mut [f64],
    totals: &mut [f64],
    base: &[f64],
    noise: &[f64],
    months: usize,
    go_live: usize,
) {
    #[cfg(target_arch = "x86_64")]
    if isa.capped() >= Isa::Avx2 {
        let tiles = |rows: &mut [f64],
                     months: usize,
                     level: [f64; N_FUNCTIONS],
                     noise: &[f64],
                     cells: usize,
                     from: usize,
                     sums: &mut [f64; N_FUNCTIONS]| {
            // SAFETY: the processor has AVX2 (`capped`).
            unsafe { x86::tiles_avx2(rows, months, level, noise, cells, from, sums) }
        };
        rows::scale_rows(tiles, work, totals, base, noise, months, go_live);
        return;
    }
    let _ = isa;
    let no_tiles = |_: &mut [f64], _, _: [f64; N_FUNCTIONS], _: &[f64], _, from, _: &mut [f64; N_FUNCTIONS]| from;
    rows::scale_rows(no_tiles, work, totals, base, noise, months, go_live);
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};

    use super::*;

    fn bits(values: &[f64]) -> Vec<u64> {
        values.iter().map(|x| x.to_bits()).collect()
    }

    /// Distance between two finite doubles of the same sign in units in the last place.
    fn ulps(a: f64, b: f64) -> u64 {
        a.to_bits().abs_diff(b.to_bits())
    }

    /// `count` values, uniform on `[-700, 700)`, then `count` standard normals.
    fn exponents(seed: u64, count: usize) -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut xs: Vec<f64> = (0..count).map(|_| (rng.random::<f64>() - 0.5) * 1400.0).collect();
        xs.extend((0..count).map(|_| standard_normal(&mut rng)));
        xs
    }

    #[test]
    fn the_portable_path_is_always_available_and_the_detected_one_is_the_widest() {
        let available = Isa::available();
        assert_eq!(available.first(), Some(&Isa::Portable));
        assert_eq!(available.last(), Some(&Isa::detected()));
        assert_eq!(Isa::Avx512.capped(), Isa::detected());
    }

    #[test]
    fn a_row_of_lanes_is_four_standard_normal_sequences_on_every_path() {
        // 400,003 draws: every layer and the tail in every lane, and three left over.
        let start: [Xoshiro256PlusPlus; LANES] =
            std::array::from_fn(|l| Xoshiro256PlusPlus::seed_from_u64(40 + l as u64));
        let mut reference = start.clone();
        let expected: Vec<u64> = (0..400_003)
            .map(|k| standard_normal(&mut reference[k % LANES]).to_bits())
            .collect();
        for isa in Isa::available() {
            let mut lanes = [start.clone()];
            let mut values = vec![0.0; expected.len()];
            fill_lane_rows_on(isa, &mut lanes, &mut values);
            assert_eq!(bits(&values), expected, "{isa:?}");
            assert_eq!(lanes[0], reference, "{isa:?}: the streams carry on where they stopped");
        }
    }

    #[test]
    fn rows_of_lanes_are_standard_normal_sequences_on_every_path() {
        // Three rows of 10,003: a pair drawn eight lanes wide on AVX-512 and a row on its own;
        // three values of each row left over. The reference is one draw at a time.
        let start: Vec<[Xoshiro256PlusPlus; LANES]> = (0..3)
            .map(|r| std::array::from_fn(|l| Xoshiro256PlusPlus::seed_from_u64(100 * r + l as u64)))
            .collect();
        let n = 10_003;
        let mut reference = start.clone();
        let mut expected = vec![0.0; 3 * n];
        for (lanes, row) in reference.iter_mut().zip(expected.chunks_exact_mut(n)) {
            for (k, x) in row.iter_mut().enumerate() {
                *x = standard_normal(&mut lanes[k % LANES]);
            }
        }
        for isa in Isa::available() {
            let mut lanes = start.clone();
            let mut values = vec![0.0; 3 * n];
            fill_lane_rows_on(isa, &mut lanes, &mut values);
            assert_eq!(bits(&values), bits(&expected), "{isa:?}");
            assert_eq!(lanes, reference, "{isa:?}");
        }
    }

    #[test]
    fn the_exponential_is_within_two_ulps_of_the_library_one_on_every_path() {
        let mut xs = exponents(3, 200_000);
        xs.extend([
            0.0,
            -0.0,
            1e-300,
            -1e-300,
            1.0,
            -1.0,
            700.0,
            -700.0,
            0.5 * std::f64::consts::LN_2,
        ]);
        for isa in Isa::available() {
            let mut fast = xs.clone();
            exp_affine_into_on(isa, &mut fast, 0.0, 1.0);
            for (&x, &e) in xs.iter().zip(&fast) {
                assert!(ulps(e, x.exp()) <= 2, "{isa:?}: exp({x}) = {e}, library {}", x.exp());
            }
            assert_eq!(fast[400_000], 1.0);
        }
    }

    #[test]
    fn every_form_of_the_exponential_gives_the_portable_bits() {
        let mut xs = exponents(4, 100_000);
        xs.extend([710.0, -745.0, f64::NAN, f64::INFINITY]);
        let mut portable = xs.clone();
        exp::exp_affine_portable(&mut portable, -0.3, 1.7);
        for isa in Isa::available() {
            let mut values = xs.clone();
            exp_affine_into_on(isa, &mut values, -0.3, 1.7);
            assert_eq!(bits(&values), bits(&portable), "{isa:?}");
        }
    }

    #[test]
    fn the_exponential_hands_extreme_values_to_the_library_on_every_path() {
        for isa in Isa::available() {
            let mut values = [0.5, 710.0, -745.0, -800.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
            exp_affine_into_on(isa, &mut values, 0.0, 1.0);
            assert!(ulps(values[0], 0.5f64.exp()) <= 2, "{isa:?}");
            assert_eq!(values[1], 710.0f64.exp(), "{isa:?}");
            assert_eq!(values[2], (-745.0f64).exp(), "{isa:?}");
            assert_eq!(values[3], 0.0, "{isa:?}");
            assert!(values[4].is_nan(), "{isa:?}");
            assert_eq!(values[5], f64::INFINITY, "{isa:?}");
            assert_eq!(values[6], 0.0, "{isa:?}");
        }
    }

    #[test]
    fn demand_rows_are_level_times_noise_on_every_path() {
        // Three CCGs: 11 months from go-live, two whole tiles of four and three months left
        // over; 12 months, whole tiles only; 3 months, too few for a tile.
        for (months, go_live) in [(13, 2), (14, 2), (13, 10)] {
            let cells = 3 * N_FUNCTIONS;
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
            let base: Vec<f64> = (0..cells).map(|_| 1.0 + rng.random::<f64>()).collect();
            let noise: Vec<f64> = (0..cells * months).map(|_| 0.5 + rng.random::<f64>()).collect();
            for isa in Isa::available() {
                let (mut work, mut totals) = (vec![f64::NAN; cells * months], vec![0.0; cells]);
                scale_rows_on(isa, &mut work, &mut totals, &base, &noise, months, go_live);
                for cf in 0..cells {
                    let row = &work[cf * months..(cf + 1) * months];
                    assert!(row[..go_live].iter().all(|&w| w == 0.0), "{isa:?}");
                    for m in go_live..months {
                        assert_eq!(
                            row[m].to_bits(),
                            (base[cf] * noise[m * cells + cf]).to_bits(),
                            "{isa:?}"
                        );
                    }
                    let total = row[go_live..].iter().fold(0.0, |sum, w| sum + w);
                    assert_eq!(totals[cf].to_bits(), total.to_bits(), "{isa:?}");
                }
            }
        }
    }
}
