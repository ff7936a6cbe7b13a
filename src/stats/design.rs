//! Experimental designs on the unit hypercube for the uncertainty analysis: Latin hypercubes
//! (probabilistic sensitivity analysis and Saltelli's A and B matrices) and Morris
//! trajectories. A point's coordinates are cumulative probabilities, which the inputs'
//! quantile functions turn into values.
//!
//! Every function takes its uniforms from a caller's source, so the caller decides which
//! keyed stream a design comes from, and the design is deterministic given it.

/// Returns `n` points of a Latin hypercube in `[0, 1)^d`, row by row: in every dimension
/// each of the `n` strata `[k / n, (k + 1) / n)` holds exactly one point, at a uniform place
/// in it, and strata are paired across dimensions at random (a Fisher-Yates shuffle per
/// dimension). Dimension `j` draws from `uniform(j)`.
pub fn latin_hypercube(n: usize, d: usize, mut uniform: impl FnMut(usize) -> f64) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; d]; n];
    for j in 0..d {
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let pick = ((uniform(j) * (i + 1) as f64) as usize).min(i);
            strata.swap(i, pick);
        }
        for (point, stratum) in points.iter_mut().zip(strata) {
            point[j] = (stratum as f64 + uniform(j)) / n as f64;
        }
    }
    points
}

/// One Morris trajectory: `d + 1` points, each differing from the one before in one
/// coordinate by `+-delta`.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The points, as cumulative probabilities.
    pub points: Vec<Vec<f64>>,
    /// The dimension changed at each step (`points[s + 1]` differs from `points[s]` in
    /// `changed[s]`).
    pub changed: Vec<usize>,
    /// The change at each step (`+delta` or `-delta`).
    pub step: Vec<f64>,
}

/// Morris's design (Morris 1991; Campolongo, Cariboni and Saltelli 2007): `r` trajectories
/// on a grid of `levels` probabilities `(k + 1/2) / levels`, each moving every dimension
/// once, in a random order, by `delta = levels / 2` grid steps (a probability change of
/// 1/2) up or down. `levels` must be even and at least 2. Trajectory `t` draws from
/// `uniform(t)`.
pub fn morris_trajectories(
    r: usize,
    d: usize,
    levels: usize,
    mut uniform: impl FnMut(usize) -> f64,
) -> Vec<Trajectory> {
    let jump = levels / 2;
    let at = |k: usize| (k as f64 + 0.5) / levels as f64;
    (0..r)
        .map(|t| {
            let mut grid: Vec<usize> = (0..d)
                .map(|_| ((uniform(t) * levels as f64) as usize).min(levels - 1))
                .collect();
            let mut order: Vec<usize> = (0..d).collect();
            for i in (1..d).rev() {
                let pick = ((uniform(t) * (i + 1) as f64) as usize).min(i);
                order.swap(i, pick);
            }
            let mut points = vec![grid.iter().map(|&k| at(k)).collect::<Vec<f64>>()];
            let mut step = Vec::with_capacity(d);
            for &j in &order {
                let up = if grid[j] + jump >= levels {
                    false
                } else if grid[j] < jump {
                    true
                } else {
                    uniform(t) < 0.5
                };
                grid[j] = if up { grid[j] + jump } else { grid[j] - jump };
                step.push(if up { 0.5 } else { -0.5 });
                points.push(grid.iter().map(|&k| at(k)).collect());
            }
            Trajectory {
                points,
                changed: order,
                step,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic stand-in for a random stream (a Weyl sequence).
    fn weyl() -> impl FnMut(usize) -> f64 {
        let mut x = 0.0_f64;
        move |_| {
            x = (x + 0.618_033_988_749_894_9) % 1.0;
            x
        }
    }

    #[test]
    fn a_latin_hypercube_fills_every_stratum_once_in_every_dimension() {
        let points = latin_hypercube(50, 3, weyl());
        for j in 0..3 {
            let mut strata: Vec<usize> = points.iter().map(|p| (p[j] * 50.0) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..50).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_morris_trajectory_moves_each_dimension_once_by_half() {
        for trajectory in morris_trajectories(10, 5, 4, weyl()) {
            let mut changed = trajectory.changed.clone();
            changed.sort_unstable();
            assert_eq!(changed, vec![0, 1, 2, 3, 4]);
            for (s, pair) in trajectory.points.windows(2).enumerate() {
                let j = trajectory.changed[s];
                assert!((pair[1][j] - pair[0][j] - trajectory.step[s]).abs() < 1e-15);
                assert_eq!(trajectory.step[s].abs(), 0.5);
                for k in (0..5).filter(|&k| k != j) {
                    assert_eq!(pair[1][k], pair[0][k]);
                }
                assert!(pair[1].iter().all(|&p| [0.125, 0.375, 0.625, 0.875].contains(&p)));
            }
        }
    }
}
