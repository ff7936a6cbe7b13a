//! The demand rows of a replication: each CCG-function's mean monthly demand times the month's
//! noise factor, written row by row from noise stored month by month.

use crate::model::N_FUNCTIONS;

/// Writes each CCG-function's demand row: `base` (its mean monthly demand) times the month's
/// noise factor from month `go_live` on, 0 before, and its total, added month by month.
///
/// The noise is month by month (`noise[m * cells + cf]`) and the rows CCG-function by
/// CCG-function, so this is a transposition, made a CCG (four rows) at a time; `tiles` writes
/// the first months of a CCG four at a time where the processor allows, the same values in the
/// same order of addition, and returns the first month it left (its arguments are those of
/// `x86::tiles_avx2`).
pub(super) fn scale_rows(
    tiles: impl Fn(&mut [f64], usize, [f64; N_FUNCTIONS], &[f64], usize, usize, &mut [f64; N_FUNCTIONS]) -> usize,
    work: &mut [f64],
    totals: &mut [f64],
    base: &[f64],
    noise: &[f64],
    months: usize,
    go_live: usize,
) {
    let cells = base.len();
    let row_len = months.max(1);
    for (ccg, rows) in work.chunks_exact_mut(N_FUNCTIONS * row_len).enumerate() {
        let first = ccg * N_FUNCTIONS;
        let Some(&level) = base[first..].first_chunk::<N_FUNCTIONS>() else {
            continue;
        };
        let mut sums = [0.0; N_FUNCTIONS];
        for row in rows.chunks_exact_mut(row_len) {
            row[..go_live].fill(0.0);
        }
        let month = |m: usize| &noise[m * cells + first..m * cells + first + N_FUNCTIONS];
        let m = tiles(rows, months, level, &noise[first..], cells, go_live, &mut sums);
        for m in m..months {
            for (f, (&factor, sum)) in month(m).iter().zip(&mut sums).enumerate() {
                let work = level[f] * factor;
                rows[f * months + m] = work;
                *sum += work;
            }
        }
        totals[first..first + N_FUNCTIONS].copy_from_slice(&sums);
    }
}
