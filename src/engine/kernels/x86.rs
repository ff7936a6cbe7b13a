//! Every kernel compiled for AVX2 or AVX-512F: the only `unsafe` and `target_feature` code of
//! the simulator. Each function here has a portable twin that gives the same bits, and is
//! called only through the dispatch in `mod.rs`, which checks the processor first.
//!
//! - The ziggurat's lanes: Xoshiro256++ several lanes wide (Blackman and Vigna's `next`, word
//!   by word) and the rectangle test on every lane's candidate at once. A lane whose
//!   candidate falls outside its rectangle finishes its draw alone, from its own state
//!   ([`Lane`]).
//! - The exponential: the portable kernel of `exp.rs`, compiled four and eight values wide.
//! - The demand rows' 4 x 4 transpositions.

use std::arch::x86_64::*;
use std::convert::Infallible;

use rand::{Rng, SeedableRng, TryRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::model::N_FUNCTIONS;

use super::ziggurat::{EDGE_PAIRS, LANES, beyond_rectangle, candidate_from_bits};

/// `N` generators' states: word `j` of lane `l` at `[j][l]`, the layout of the registers.
type Words<const N: usize> = [[u64; N]; 4];

/// Sets lane `l` of `words` to `lane`'s state.
fn put_lane<const N: usize>(words: &mut Words<N>, l: usize, lane: &Xoshiro256PlusPlus) {
    for (row, bytes) in words.iter_mut().zip(lane.state().chunks_exact(8)) {
        row[l] = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
    }
}

/// Returns the generator whose state is lane `l` of `words`.
fn take_lane<const N: usize>(words: &Words<N>, l: usize) -> Xoshiro256PlusPlus {
    let mut seed = [0u8; 32];
    for (bytes, row) in seed.chunks_exact_mut(8).zip(words) {
        bytes.copy_from_slice(&row[l].to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(seed)
}

/// The states of `lanes`, lane by lane.
fn words_of<const N: usize>(lanes: &[&[Xoshiro256PlusPlus; LANES]]) -> Words<N> {
    let mut words = [[0; N]; 4];
    for (l, lane) in lanes.iter().flat_map(|set| set.iter()).enumerate() {
        put_lane(&mut words, l, lane);
    }
    words
}

/// Sets `lanes` to the states in `words`.
fn set_lanes<const N: usize>(lanes: &mut [&mut [Xoshiro256PlusPlus; LANES]], words: &Words<N>) {
    for (l, lane) in lanes.iter_mut().flat_map(|set| set.iter_mut()).enumerate() {
        *lane = take_lane(words, l);
    }
}

/// Finishes the draws whose lanes fell outside their rectangles (bit `l` of `accepted`
/// clear), each alone from its state after the word `bits[l]`, as
/// [`super::standard_normal`] does; `out(l)` is where lane `l`'s draw goes.
#[inline(always)]
fn finish_outside<const N: usize>(
    words: &mut Words<N>,
    bits: &[u64; N],
    accepted: u32,
    mut out: impl FnMut(usize, f64),
) {
    for l in (0..N).filter(|l| accepted & (1 << l) == 0) {
        let (i, u, x) = candidate_from_bits(bits[l]);
        out(l, beyond_rectangle(&mut Lane { words, l }, i, u, x));
    }
}

/// Lane `l` of `N` Xoshiro256++ states, stepped in place.
struct Lane<'a, const N: usize> {
    words: &'a mut Words<N>,
    l: usize,
}

impl<const N: usize> TryRng for Lane<'_, N> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_u64() >> 32) as u32)
    }

    /// Xoshiro256++'s `next`, as the registers do it.
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let [s0, s1, s2, s3] = self.words.each_mut().map(|row| &mut row[self.l]);
        let result = s0.wrapping_add(*s3).rotate_left(23).wrapping_add(*s0);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        Ok(result)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes()[..chunk.len()]);
        }
        Ok(())
    }
}

/// Loads four rows of words into registers.
#[inline]
#[target_feature(enable = "avx2")]
fn load4(words: &Words<4>) -> [__m256i; 4] {
    // SAFETY: each row holds four words.
    words
        .each_ref()
        .map(|row| unsafe { _mm256_loadu_si256(row.as_ptr().cast()) })
}

/// Stores registers of four words.
#[inline]
#[target_feature(enable = "avx2")]
fn store4<const R: usize>(registers: [__m256i; R]) -> [[u64; 4]; R] {
    let mut words = [[0; 4]; R];
    for (row, register) in words.iter_mut().zip(registers) {
        // SAFETY: each row holds four words.
        unsafe { _mm256_storeu_si256(row.as_mut_ptr().cast(), register) };
    }
    words
}

/// Rotates each 64-bit lane left by `K` (`L` = 64 - `K`).
#[inline]
#[target_feature(enable = "avx2")]
fn rotl<const K: i32, const L: i32>(x: __m256i) -> __m256i {
    _mm256_or_si256(_mm256_slli_epi64::<K>(x), _mm256_srli_epi64::<L>(x))
}

/// Returns the edges `(x_i, x_(i+1))` of the layers of `bits` (their low bytes) as two
/// registers; a lane's two edges are one 16-byte load (with two gathers instead, the 20,000
/// normals of a replication took 32 us, against 29).
#[inline]
#[target_feature(enable = "avx2")]
fn edges4(bits: &[u64]) -> (__m256d, __m256d) {
    // SAFETY: a pair holds two doubles.
    let pair = |l: usize| unsafe { _mm_loadu_pd(EDGE_PAIRS.0[(bits[l] & 0xff) as usize].as_ptr().cast()) };
    let (a_c, b_d) = (
        _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(pair(0)), pair(2)),
        _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(pair(1)), pair(3)),
    );
    (_mm256_unpacklo_pd(a_c, b_d), _mm256_unpackhi_pd(a_c, b_d))
}

/// Fills `values` (whole groups of four) as [`super::ziggurat::fill_lanes_portable`] does:
/// the four generators step side by side, one register per word of their state, and a draw
/// inside its rectangle (99% of them) is four at once.
#[target_feature(enable = "avx2")]
pub(super) fn fill_lanes_avx2(lanes: &mut [Xoshiro256PlusPlus; LANES], values: &mut [f64]) {
    let [mut s0, mut s1, mut s2, mut s3] = load4(&words_of(&[&*lanes]));
    let two = _mm256_set1_epi64x(1024 << 52);
    let three = _mm256_set1_pd(3.0);
    let magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(i64::MAX));
    for group in values.chunks_exact_mut(LANES) {
        // Xoshiro256++: the output, then the state's step.
        let bits = _mm256_add_epi64(rotl::<23, 41>(_mm256_add_epi64(s0, s3)), s0);
        let t = _mm256_slli_epi64::<17>(s1);
        s2 = _mm256_xor_si256(s2, s0);
        s3 = _mm256_xor_si256(s3, s1);
        s1 = _mm256_xor_si256(s1, s2);
        s0 = _mm256_xor_si256(s0, s3);
        s2 = _mm256_xor_si256(s2, t);
        s3 = rotl::<45, 19>(s3);
        // The candidates, as `candidate_from_bits` makes them, and the rectangle test.
        let [all_bits] = store4([bits]);
        let (edge, next_edge) = edges4(&all_bits);
        let mantissa = _mm256_or_si256(_mm256_srli_epi64::<12>(bits), two);
        let u = _mm256_sub_pd(_mm256_castsi256_pd(mantissa), three);
        let x = _mm256_mul_pd(u, edge);
        let inside = _mm256_cmp_pd::<_CMP_LT_OQ>(_mm256_and_pd(x, magnitude), next_edge);
        let accepted = _mm256_movemask_pd(inside) as u32;
        // SAFETY: a group holds four doubles.
        unsafe { _mm256_storeu_pd(group.as_mut_ptr(), x) };
        if accepted != 0b1111 {
            let mut words = store4([s0, s1, s2, s3]);
            finish_outside(&mut words, &all_bits, accepted, |l, x| group[l] = x);
            [s0, s1, s2, s3] = load4(&words);
        }
    }
    set_lanes(&mut [lanes], &store4([s0, s1, s2, s3]));
}

/// Loads four rows of eight words into registers.
#[inline]
#[target_feature(enable = "avx512f")]
fn load8(words: &Words<8>) -> [__m512i; 4] {
    // SAFETY: each row holds eight words.
    words
        .each_ref()
        .map(|row| unsafe { _mm512_loadu_si512(row.as_ptr().cast()) })
}

/// Stores four registers of eight words.
#[inline]
#[target_feature(enable = "avx512f")]
fn store8(registers: [__m512i; 4]) -> Words<8> {
    let mut words = [[0; 8]; 4];
    for (row, register) in words.iter_mut().zip(registers) {
        // SAFETY: each row holds eight words.
        unsafe { _mm512_storeu_si512(row.as_mut_ptr().cast(), register) };
    }
    words
}

/// Fills two rows (whole groups of four, the same length) from two sets of four lanes,
/// eight lanes side by side: the same draws as [`fill_lanes_avx2`] on each row.
#[target_feature(enable = "avx512f")]
pub(super) fn fill_two_rows_avx512(lanes: [&mut [Xoshiro256PlusPlus; LANES]; 2], rows: [&mut [f64]; 2]) {
    let [mut s0, mut s1, mut s2, mut s3] = load8(&words_of(&[&*lanes[0], &*lanes[1]]));
    let two = _mm512_set1_epi64(1024 << 52);
    let three = _mm512_set1_pd(3.0);
    let [first, second] = rows;
    for (a, b) in first.chunks_exact_mut(LANES).zip(second.chunks_exact_mut(LANES)) {
        let bits = _mm512_add_epi64(_mm512_rol_epi64::<23>(_mm512_add_epi64(s0, s3)), s0);
        let t = _mm512_slli_epi64::<17>(s1);
        s2 = _mm512_xor_si512(s2, s0);
        s3 = _mm512_xor_si512(s3, s1);
        s1 = _mm512_xor_si512(s1, s2);
        s0 = _mm512_xor_si512(s0, s3);
        s2 = _mm512_xor_si512(s2, t);
        s3 = _mm512_rol_epi64::<45>(s3);
        let mut all_bits = [0u64; 8];
        // SAFETY: `all_bits` holds eight words.
        unsafe { _mm512_storeu_si512(all_bits.as_mut_ptr().cast(), bits) };
        let (low, low_next) = edges4(&all_bits[..4]);
        let (high, high_next) = edges4(&all_bits[4..]);
        let edge = _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(low), high);
        let next_edge = _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(low_next), high_next);
        let mantissa = _mm512_or_si512(_mm512_srli_epi64::<12>(bits), two);
        let u = _mm512_sub_pd(_mm512_castsi512_pd(mantissa), three);
        let x = _mm512_mul_pd(u, edge);
        let accepted = u32::from(_mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(x), next_edge));
        // SAFETY: each group holds four doubles.
        unsafe {
            _mm256_storeu_pd(a.as_mut_ptr(), _mm512_castpd512_pd256(x));
            _mm256_storeu_pd(b.as_mut_ptr(), _mm512_extractf64x4_pd::<1>(x));
        }
        if accepted != 0xff {
            let mut words = store8([s0, s1, s2, s3]);
            finish_outside(&mut words, &all_bits, accepted, |l, x| {
                if l < LANES {
                    a[l] = x;
                } else {
                    b[l - LANES] = x;
                }
            });
            [s0, s1, s2, s3] = load8(&words);
        }
    }
    let [a, b] = lanes;
    set_lanes(&mut [a, b], &store8([s0, s1, s2, s3]));
}

/// [`super::exp::exp_affine_portable`] compiled for AVX2: four values wide.
#[target_feature(enable = "avx2")]
pub(super) fn exp_affine_avx2(values: &mut [f64], mu: f64, sigma: f64) {
    super::exp::exp_affine_portable(values, mu, sigma);
}

/// [`super::exp::exp_affine_portable`] compiled for AVX-512F: eight values wide.
#[target_feature(enable = "avx512f")]
pub(super) fn exp_affine_avx512(values: &mut [f64], mu: f64, sigma: f64) {
    super::exp::exp_affine_portable(values, mu, sigma);
}

/// Writes the months from `from` on of one CCG's four rows (`rows`, `months` each) in whole
/// tiles of four (a 4 x 4 transposition in registers, each row getting four months a store), `level[f] * noise[m * cells + f]`, adding each to `sums` in month order;
/// returns the first month left. The bounds are checked once, before the tiles.
#[target_feature(enable = "avx2")]
pub(super) fn tiles_avx2(
    rows: &mut [f64],
    months: usize,
    level: [f64; N_FUNCTIONS],
    noise: &[f64],
    cells: usize,
    from: usize,
    sums: &mut [f64; N_FUNCTIONS],
) -> usize {
    let tiles = months.saturating_sub(from) / 4;
    let to = from + 4 * tiles;
    if tiles == 0 || rows.len() < N_FUNCTIONS * months || noise.len() < (to - 1) * cells + N_FUNCTIONS {
        return from;
    }
    // SAFETY: `level` holds four doubles.
    let level = unsafe { _mm256_loadu_pd(level.as_ptr()) };
    // SAFETY: `sums` holds four doubles.
    let mut sum = unsafe { _mm256_loadu_pd(sums.as_ptr()) };
    let (noise, rows) = (noise.as_ptr(), rows.as_mut_ptr());
    for m in (from..to).step_by(4) {
        let [r0, r1, r2, r3] = std::array::from_fn(|t| {
            // SAFETY: month `m + t < to` starts at `(m + t) * cells`, and its four values
            // end within `noise`, as checked above.
            let work = _mm256_mul_pd(level, unsafe { _mm256_loadu_pd(noise.add((m + t) * cells)) });
            sum = _mm256_add_pd(sum, work);
            work
        });
        // Row f of the tile is month m + f; column f becomes function f's four months.
        let (t0, t1) = (_mm256_unpacklo_pd(r0, r1), _mm256_unpackhi_pd(r0, r1));
        let (t2, t3) = (_mm256_unpacklo_pd(r2, r3), _mm256_unpackhi_pd(r2, r3));
        let columns = [
            _mm256_permute2f128_pd::<0x20>(t0, t2),
            _mm256_permute2f128_pd::<0x20>(t1, t3),
            _mm256_permute2f128_pd::<0x31>(t0, t2),
            _mm256_permute2f128_pd::<0x31>(t1, t3),
        ];
        for (f, column) in columns.into_iter().enumerate() {
            // SAFETY: row f's months `m..m + 4` end at `f * months + m + 4 <= 4 * months`,
            // within `rows`, as checked above.
            unsafe { _mm256_storeu_pd(rows.add(f * months + m), column) };
        }
    }
    // SAFETY: `sums` holds four doubles.
    unsafe { _mm256_storeu_pd(sums.as_mut_ptr(), sum) };
    to
}
