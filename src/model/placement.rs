//! Where units are and whom they plan to serve (docs/model.md section 4).
//!
//! Placement depends only on the register and N, so a [`Layout`] is computed once per
//! (register, layout kind, N) and shared by every replication and sweep point.

use super::{Function, N_FUNCTIONS, Register};

/// How an option organises its units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LayoutKind {
    /// N sites, each providing all four functions (national, hubs, framework).
    Sites,
    /// N specialist teams, each providing one function (network; N >= 4).
    Teams,
}

/// One unit: a site, and the one function it provides if it is a specialist team.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// CCG index of the location the unit sits at.
    pub site: usize,
    /// `None` for a unit providing all four functions.
    pub function: Option<Function>,
}

impl Unit {
    /// Returns true when the unit provides function `f`.
    #[inline]
    pub fn provides(&self, f: Function) -> bool {
        self.function.is_none_or(|g| g == f)
    }
}

/// Units of one option at one N, with their planned catchments.
#[derive(Clone, Debug)]
pub struct Layout {
    kind: LayoutKind,
    units: Vec<Unit>,
    planned: Vec<[u32; N_FUNCTIONS]>,
    qplan: Vec<[f64; N_FUNCTIONS]>,
    /// Every unit by distance from each CCG, a row of `units.len()` per CCG.
    by_distance: Vec<u32>,
    /// Teams only: each CCG's row of `by_distance` regrouped by function, the teams of
    /// function `f` at `function_span[f]..function_span[f + 1]` of the row.
    by_function: Vec<u32>,
    function_span: [usize; N_FUNCTIONS + 1],
    /// Distance of every CCG to every unit's site, CCG by CCG \[km\].
    km: Vec<f64>,
}

impl Layout {
    /// Places `n` units of the given kind on the register (section 4).
    ///
    /// The caller guarantees `1 <= n <= register.len()`, and `n >= 4` for teams.
    /// Teams are apportioned with the efficient scales `scales` (`Q*_f`); sites ignore them.
    pub fn new(register: &Register, kind: LayoutKind, n: usize, scales: &[f64; N_FUNCTIONS]) -> Layout {
        let units = match kind {
            LayoutKind::Sites => greedy_sites(register, n)
                .into_iter()
                .map(|site| Unit { site, function: None })
                .collect(),
            LayoutKind::Teams => place_teams(register, &apportion_teams(register, n, scales)),
        };
        Layout::from_units(register, kind, units)
    }

    fn from_units(register: &Register, kind: LayoutKind, units: Vec<Unit>) -> Layout {
        let distances = register.distances();
        let mut km = Vec::with_capacity(register.len() * units.len());
        let mut planned = Vec::with_capacity(register.len());
        let mut qplan = vec![[0.0; N_FUNCTIONS]; units.len()];
        let mut by_distance = Vec::with_capacity(register.len() * units.len());
        let mut by_function = Vec::with_capacity(if kind == LayoutKind::Teams {
            by_distance.capacity()
        } else {
            0
        });
        let mut function_span = [0; N_FUNCTIONS + 1];
        for f in Function::ALL {
            let teams = units.iter().filter(|u| u.function == Some(f)).count();
            function_span[f.index() + 1] = function_span[f.index()] + teams;
        }
        for (i, ccg) in register.ccgs().iter().enumerate() {
            let row = distances.row(i);
            km.extend(units.iter().map(|u| row[u.site]));
            let mut order: Vec<u32> = (0..units.len() as u32).collect();
            // A stable sort keeps unit number order among exact distance ties.
            order.sort_by(|&a, &b| row[units[a as usize].site].total_cmp(&row[units[b as usize].site]));
            let nearest = Function::ALL.map(|f| {
                order
                    .iter()
                    .copied()
                    .find(|&u| units[u as usize].provides(f))
                    .unwrap_or_else(|| unreachable!("every function has at least one unit"))
            });
            for f in Function::ALL {
                qplan[nearest[f.index()] as usize][f.index()] += ccg.population;
            }
            planned.push(nearest);
            if kind == LayoutKind::Teams {
                for f in Function::ALL {
                    by_function.extend(order.iter().filter(|&&u| units[u as usize].provides(f)));
                }
            }
            by_distance.extend(order);
        }
        Layout {
            kind,
            units,
            planned,
            qplan,
            by_distance,
            by_function,
            function_span,
            km,
        }
    }

    /// Returns the distance from CCG `ccg` to unit `unit`'s site \[km\].
    #[inline]
    pub fn km(&self, ccg: usize, unit: usize) -> f64 {
        self.km[ccg * self.units.len() + unit]
    }

    /// Returns the layout kind.
    pub fn kind(&self) -> LayoutKind {
        self.kind
    }

    /// Returns the units in numbering (placement) order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Returns the planned unit of CCG `ccg` for function `f` (its nearest).
    pub fn planned_unit(&self, ccg: usize, f: Function) -> usize {
        self.planned[ccg][f.index()] as usize
    }

    /// Returns `Qplan(u, f)`, the population planned for unit `u` and function `f` \[people\].
    pub fn qplan(&self, unit: usize, f: Function) -> f64 {
        self.qplan[unit][f.index()]
    }

    /// Returns `Qplan(u)`, the unit's largest planned catchment over functions \[people\].
    pub fn qplan_max(&self, unit: usize) -> f64 {
        self.qplan[unit].iter().copied().fold(0.0, f64::max)
    }

    /// Returns every unit in order of distance from CCG `ccg`, ties by unit number.
    pub fn by_distance(&self, ccg: usize) -> &[u32] {
        let n = self.units.len();
        &self.by_distance[ccg * n..(ccg + 1) * n]
    }

    /// Returns the units providing function `f` in order of distance from CCG `ccg`.
    pub fn by_distance_of_function(&self, ccg: usize, f: Function) -> &[u32] {
        match self.kind {
            LayoutKind::Sites => self.by_distance(ccg),
            LayoutKind::Teams => {
                let row = ccg * self.units.len();
                let span = &self.function_span;
                &self.by_function[row + span[f.index()]..row + span[f.index() + 1]]
            }
        }
    }

    /// Returns the number of teams per function (0 for sites, whose units are not teams).
    pub fn teams_per_function(&self) -> [usize; N_FUNCTIONS] {
        Function::ALL.map(|f| self.function_span[f.index() + 1] - self.function_span[f.index()])
    }
}

/// Returns `sum_i P_i * min(best_i, d(i, site))`, the weighted distance with `site` added.
fn weighted_distance(register: &Register, best: &[f64], site: usize) -> f64 {
    let row = register.distances().row(site);
    register
        .ccgs()
        .iter()
        .zip(best.iter().zip(row))
        .map(|(ccg, (&b, &d))| ccg.population * b.min(d))
        .sum()
}

/// Picks the unused location minimising the weighted distance; ties go to the lowest index.
fn best_new_site(register: &Register, best: &[f64], used: &[bool]) -> usize {
    let mut choice = (usize::MAX, f64::INFINITY);
    for site in (0..register.len()).filter(|&s| !used[s]) {
        let total = weighted_distance(register, best, site);
        if total < choice.1 || choice.0 == usize::MAX {
            choice = (site, total);
        }
    }
    choice.0
}

/// Lowers each CCG's distance to its nearest chosen site after `site` is chosen.
fn add_site(register: &Register, best: &mut [f64], site: usize) {
    for (b, &d) in best.iter_mut().zip(register.distances().row(site)) {
        *b = b.min(d);
    }
}

/// Greedy p-median: the first `n` sites in pick order (section 4). Nested in `n`.
pub fn greedy_sites(register: &Register, n: usize) -> Vec<usize> {
    let mut best = vec![f64::INFINITY; register.len()];
    let mut used = vec![false; register.len()];
    let mut sites = Vec::with_capacity(n);
    for _ in 0..n.min(register.len()) {
        let site = best_new_site(register, &best, &used);
        used[site] = true;
        add_site(register, &mut best, site);
        sites.push(site);
    }
    sites
}

/// Apportions `n >= 4` network teams: one per function, the rest by largest remainder in
/// proportion to `w_f = total_population / Q*_f` (ties: the function listed first).
pub fn apportion_teams(register: &Register, n: usize, scales: &[f64; N_FUNCTIONS]) -> [usize; N_FUNCTIONS] {
    let mut teams = [1usize; N_FUNCTIONS];
    let extra = n.saturating_sub(N_FUNCTIONS);
    let weights = scales.map(|q| register.total_population() / q);
    let total: f64 = weights.iter().sum();
    let quotas = weights.map(|w| extra as f64 * w / total);
    let mut given = 0;
    for (t, q) in teams.iter_mut().zip(quotas) {
        *t += q.floor() as usize;
        given += q.floor() as usize;
    }
    let mut order: Vec<usize> = (0..N_FUNCTIONS).collect();
    // Stable sort: among equal remainders the function listed first comes first.
    order.sort_by(|&a, &b| (quotas[b] - quotas[b].floor()).total_cmp(&(quotas[a] - quotas[a].floor())));
    for &f in order.iter().take(extra.saturating_sub(given)) {
        teams[f] += 1;
    }
    teams
}

/// Places apportioned teams one at a time (section 4): the function furthest behind its
/// quota (exact fractions; ties listed first) takes its own best unused location.
pub fn place_teams(register: &Register, teams: &[usize; N_FUNCTIONS]) -> Vec<Unit> {
    let total: usize = teams.iter().sum();
    let mut placed = [0usize; N_FUNCTIONS];
    let mut best = vec![vec![f64::INFINITY; register.len()]; N_FUNCTIONS];
    let mut used = vec![false; register.len()];
    let mut units = Vec::with_capacity(total);
    for _ in 0..total.min(register.len()) {
        let f = next_function(&placed, teams);
        let site = best_new_site(register, &best[f], &used);
        used[site] = true;
        add_site(register, &mut best[f], site);
        placed[f] += 1;
        units.push(Unit {
            site,
            function: Some(Function::ALL[f]),
        });
    }
    units
}

/// Returns the function with the lowest `placed_f / n_f`, compared exactly; ties listed first.
fn next_function(placed: &[usize; N_FUNCTIONS], teams: &[usize; N_FUNCTIONS]) -> usize {
    let mut pick = 0;
    for f in 1..N_FUNCTIONS {
        // placed_f / n_f < placed_pick / n_pick  <=>  placed_f * n_pick < placed_pick * n_f.
        if placed[f] * teams[pick] < placed[pick] * teams[f] {
            pick = f;
        }
    }
    pick
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ccg, Params};

    fn default_scales() -> [f64; N_FUNCTIONS] {
        Params::default().functions.map(|p| p.efficient_scale)
    }

    fn toy_register() -> Register {
        // Three towns on a meridian, 1 degree apart: the middle one is the 1-median;
        // the heavy northern town is the second pick.
        let ccg = |code: &str, population: f64, lat: f64| Ccg {
            code: code.into(),
            name: code.into(),
            population,
            lat,
            lon: -1.0,
            region: None,
            wave: None,
        };
        Register::from_ccgs(
            "toy",
            vec![ccg("S", 100.0, 51.0), ccg("M", 100.0, 52.0), ccg("N", 150.0, 53.0)],
        )
    }

    #[test]
    fn greedy_p_median_on_a_toy_register_matches_hand_computation() {
        let register = toy_register();
        // Site costs (in degree units): S: 100*0+100*1+150*2=400, M: 100+0+150=250, N: 200+100+0=300.
        assert_eq!(greedy_sites(&register, 1), vec![1]);
        // With M chosen: adding S saves 100*1=100, adding N saves 150*1=150: N wins.
        assert_eq!(greedy_sites(&register, 2), vec![1, 2]);
        assert_eq!(greedy_sites(&register, 3), vec![1, 2, 0]);
    }

    #[test]
    fn greedy_ties_go_to_the_lowest_index() {
        let ccg = |code: &str, lat: f64| Ccg {
            code: code.into(),
            name: code.into(),
            population: 1.0,
            lat,
            lon: 0.0,
            region: None,
            wave: None,
        };
        let register = Register::from_ccgs("tie", vec![ccg("A", 51.0), ccg("B", 52.0)]);
        assert_eq!(greedy_sites(&register, 2), vec![0, 1]);
    }

    #[test]
    fn catchment_assigns_each_ccg_to_its_nearest_unit() {
        let register = toy_register();
        let layout = Layout::new(&register, LayoutKind::Sites, 2, &default_scales());
        assert_eq!(layout.planned_unit(0, Function::BusinessSupport), 0);
        assert_eq!(layout.planned_unit(2, Function::BusinessSupport), 1);
        assert_eq!(layout.qplan(0, Function::Communications), 200.0);
        assert_eq!(layout.qplan(1, Function::Communications), 150.0);
        assert_eq!(layout.qplan_max(1), 150.0);
    }

    #[test]
    fn apportionment_matches_the_known_answers() {
        let register = Register::builtin();
        let scales = default_scales();
        assert_eq!(apportion_teams(&register, 4, &scales), [1, 1, 1, 1]);
        assert_eq!(apportion_teams(&register, 10, &scales), [2, 2, 1, 5]);
        assert_eq!(apportion_teams(&register, 23, &scales), [5, 4, 2, 12]);
        assert_eq!(apportion_teams(&register, 35, &scales), [8, 5, 3, 19]);
    }

    #[test]
    fn teams_sit_on_distinct_sites_and_follow_their_quota() {
        let register = Register::builtin();
        let layout = Layout::new(&register, LayoutKind::Teams, 23, &default_scales());
        assert_eq!(layout.teams_per_function(), [5, 4, 2, 12]);
        let mut sites: Vec<usize> = layout.units().iter().map(|u| u.site).collect();
        sites.sort_unstable();
        sites.dedup();
        assert_eq!(sites.len(), 23);
        // The first four picks give each function its first team, in section 1 order.
        let first: Vec<_> = layout.units()[..4].iter().map(|u| u.function).collect();
        assert_eq!(first, Function::ALL.map(Some).to_vec());
    }

    #[test]
    fn greedy_sites_match_the_known_answers() {
        let register = Register::builtin();
        let codes: Vec<&str> = greedy_sites(&register, 23)
            .iter()
            .map(|&s| register.ccgs()[s].code.as_str())
            .collect();
        let expected = "04G 00Y 08X 11E 00J 05Y 99P 06L 02X 10V 01X 09W 04K 06H 10Q 08D 03C 11J 11N 03F 01H 11M 99K";
        assert_eq!(codes.join(" "), expected);
    }
}
