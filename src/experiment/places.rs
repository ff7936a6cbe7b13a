//! Results by place accumulated over replications: by NHS region, by CCG (for the map) and by
//! unit (docs/model.md, "Results by place").
//!
//! Every total is an order-free integer sum ([`ExactMoments`], [`ExactSum`]), so shards can
//! carry their totals instead of every replication's places, and any split gives the same bits.

use crate::model::places::Places;
use crate::model::{Function, Layout, Register};
use crate::stats::{ExactMoments, ExactSum};

/// Name of the group of CCGs the register gives no region.
pub const NO_REGION: &str = "(no region)";

/// A per-replication quantity of a region: name, unit, meaning.
pub struct RegionMetric {
    /// Column name.
    pub name: &'static str,
    /// Unit, for headers.
    pub unit: &'static str,
    /// Meaning.
    pub description: &'static str,
}

/// The quantities reported per region, in output order.
pub const REGION_METRICS: [RegionMetric; 8] = [
    RegionMetric {
        name: "unmet_share",
        unit: "share",
        description: "Unmet work of the region's CCGs / their demand",
    },
    RegionMetric {
        name: "unmet_share_uncontracted",
        unit: "share",
        description: "Unmet for want of a contract / demand",
    },
    RegionMetric {
        name: "unmet_share_capacity",
        unit: "share",
        description: "Unmet for want of capacity / demand",
    },
    RegionMetric {
        name: "unmet_share_failure",
        unit: "share",
        description: "Unmet because a unit failed / demand",
    },
    RegionMetric {
        name: "uncontracted_at_go_live",
        unit: "CCGs",
        description: "The region's CCGs with a function not in service at go-live",
    },
    RegionMetric {
        name: "cost_per_head_incl_unmet",
        unit: "GBP/year",
        description: "The region's part of cost_per_head_incl_unmet, per head of its population",
    },
    RegionMetric {
        name: "private_share",
        unit: "share",
        description: "Share of the region's served work done by the private sector",
    },
    RegionMetric {
        name: "in_house_share",
        unit: "share",
        description: "Share of the region's served work done in-house",
    },
];

/// Number of region metrics.
pub const N_REGION_METRICS: usize = REGION_METRICS.len();

/// Index of `unmet_share` in [`REGION_METRICS`].
pub const REGION_UNMET: usize = 0;

/// The NHS regions of a register, sorted by name, and each CCG's.
#[derive(Clone, Debug, PartialEq)]
pub struct Regions {
    /// Region names; [`NO_REGION`] last, if any CCG has none.
    pub names: Vec<String>,
    /// Index into `names` per CCG.
    pub of_ccg: Vec<usize>,
    /// Population per region \[people\].
    pub populations: Vec<f64>,
}

impl Regions {
    /// Groups a register's CCGs by region.
    pub fn of(register: &Register) -> Regions {
        let mut names: Vec<String> = register.ccgs().iter().filter_map(|c| c.region.clone()).collect();
        names.sort();
        names.dedup();
        if register.ccgs().iter().any(|c| c.region.is_none()) {
            names.push(NO_REGION.to_string());
        }
        let of_ccg: Vec<usize> = register
            .ccgs()
            .iter()
            .map(|c| {
                let name = c.region.as_deref().unwrap_or(NO_REGION);
                names.iter().position(|n| n == name).unwrap_or(0)
            })
            .collect();
        let mut populations = vec![0.0; names.len()];
        for (c, &r) in register.ccgs().iter().zip(&of_ccg) {
            populations[r] += c.population;
        }
        Regions {
            names,
            of_ccg,
            populations,
        }
    }
}

/// One unit's totals over replications.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnitTotals {
    /// Replications seen.
    pub replications: u64,
    /// Replications in which it opened.
    pub opened: u64,
    /// Replications in which it failed the checkpoint.
    pub failed_checkpoint: u64,
    /// Replications in which it failed in operation.
    pub failed_operating: u64,
    /// Open unit-function-months.
    pub desk_months: u64,
    /// Sum of utilisation over open unit-function-months with capacity.
    pub utilisation: ExactSum,
    /// Open unit-function-months with capacity.
    pub utilisation_months: u64,
    /// Months with work lost to capacity.
    pub saturated_months: u64,
    /// Operating months with at least one CCG-function in service.
    pub serving_months: u64,
    /// Population in service summed over open unit-function-months \[people\].
    pub population_months: ExactSum,
}

impl UnitTotals {
    /// Mean utilisation over its open unit-function-months; NaN if never open.
    pub fn utilisation_mean(&self) -> f64 {
        self.utilisation.sum() / self.utilisation_months as f64
    }

    /// Mean months a replication in which it lost work to capacity.
    pub fn saturated_months_mean(&self) -> f64 {
        self.saturated_months as f64 / self.replications as f64
    }

    /// Mean operating months a replication in which it served at least one CCG-function.
    pub fn serving_months_mean(&self) -> f64 {
        self.serving_months as f64 / self.replications as f64
    }

    /// Share of replications in which it failed (checkpoint or operation).
    pub fn failure_rate(&self) -> f64 {
        (self.failed_checkpoint + self.failed_operating) as f64 / self.replications as f64
    }

    /// Mean population in service with each of its functions while open \[people\].
    pub fn population_served_mean(&self) -> f64 {
        self.population_months.sum() / self.desk_months as f64
    }

    fn merge(&mut self, other: &UnitTotals) {
        self.replications += other.replications;
        self.opened += other.opened;
        self.failed_checkpoint += other.failed_checkpoint;
        self.failed_operating += other.failed_operating;
        self.desk_months += other.desk_months;
        self.utilisation.merge(&other.utilisation);
        self.utilisation_months += other.utilisation_months;
        self.saturated_months += other.saturated_months;
        self.serving_months += other.serving_months;
        self.population_months.merge(&other.population_months);
    }
}

/// One cell's results by place over replications.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceTotals {
    /// Per region, each of [`REGION_METRICS`].
    pub regions: Vec<[ExactMoments; N_REGION_METRICS]>,
    /// Per CCG, its unmet share.
    pub ccg_unmet: Vec<ExactMoments>,
    /// Per unit.
    pub units: Vec<UnitTotals>,
}

impl PlaceTotals {
    /// Empty totals for `regions` and `n_units` units.
    pub fn new(regions: &Regions, n_units: usize) -> PlaceTotals {
        PlaceTotals {
            regions: vec![[ExactMoments::default(); N_REGION_METRICS]; regions.names.len()],
            ccg_unmet: vec![ExactMoments::default(); regions.of_ccg.len()],
            units: vec![UnitTotals::default(); n_units],
        }
    }

    /// Adds one replication's places.
    pub fn add(&mut self, places: &Places, regions: &Regions) {
        // Per region: demand, unmet by cause, gaps, cost, served by provider, population.
        let mut sums = vec![[0.0; 10]; regions.names.len()];
        for ((ccg, &r), unmet) in places.ccgs.iter().zip(&regions.of_ccg).zip(&mut self.ccg_unmet) {
            let lost: f64 = ccg.unmet.iter().sum();
            unmet.add(if ccg.demand > 0.0 { lost / ccg.demand } else { f64::NAN });
            let s = &mut sums[r];
            s[0] += ccg.demand;
            s[1] += ccg.unmet[0];
            s[2] += ccg.unmet[1];
            s[3] += ccg.unmet[2];
            s[4] += f64::from(u8::from(ccg.gap_at_go_live));
            s[5] += ccg.cost;
            s[6] += ccg.served[0];
            s[7] += ccg.served[1];
            s[8] += ccg.served[2];
        }
        for ((acc, s), &population) in self.regions.iter_mut().zip(&sums).zip(&regions.populations) {
            let share = |x: f64, of: f64| if of > 0.0 { x / of } else { f64::NAN };
            let served = s[6] + s[7] + s[8];
            let values = [
                share(s[1] + s[2] + s[3], s[0]),
                share(s[1], s[0]),
                share(s[2], s[0]),
                share(s[3], s[0]),
                s[4],
                share(s[5], population),
                share(s[7], served),
                share(s[8], served),
            ];
            for (acc, value) in acc.iter_mut().zip(values) {
                acc.add(value);
            }
        }
        for (totals, unit) in self.units.iter_mut().zip(&places.units) {
            totals.replications += 1;
            totals.opened += u64::from(unit.opened);
            totals.failed_checkpoint += u64::from(unit.failed_checkpoint);
            totals.failed_operating += u64::from(unit.failed_operating);
            totals.desk_months += u64::from(unit.desk_months);
            totals.utilisation.add(unit.utilisation_sum);
            totals.utilisation_months += u64::from(unit.utilisation_months);
            totals.saturated_months += u64::from(unit.saturated_months);
            totals.serving_months += u64::from(unit.serving_months);
            totals.population_months.add(unit.population_months);
        }
    }

    /// Returns why a cell's totals over `replications` replications (a shard's) are not ones
    /// the model could have produced: a count other than the replications', a sum beyond what
    /// values of the quantity allow (shares within 0 and 1, counts of CCGs within the
    /// register, costs not negative), or unit counts beyond the replications.
    pub fn check(&self, replications: u64) -> Result<(), String> {
        let ccgs = self.ccg_unmet.len() as f64;
        let bounds = |metric: &RegionMetric| match metric.unit {
            "share" => (0.0, 1.0),
            "CCGs" => (0.0, ccgs),
            _ => (0.0, crate::model::metrics::MAX_MONEY_METRIC),
        };
        let region_moments = self.regions.iter().flat_map(|r| {
            r.iter()
                .zip(&REGION_METRICS)
                .map(|(m, metric)| (m, bounds(metric), metric.name))
        });
        let ccg_moments = self.ccg_unmet.iter().map(|m| (m, (0.0, 1.0), "CCG unmet share"));
        for (moments, (low, high), name) in region_moments.chain(ccg_moments) {
            if moments.count().checked_add(moments.undefined()) != Some(replications) {
                return Err(format!(
                    "{name} counts {} values for {replications} replications",
                    moments.count() + moments.undefined()
                ));
            }
            if !moments.plausible(low, high) {
                return Err(format!("{name} sums to values beyond {low} to {high}"));
            }
        }
        for unit in &self.units {
            let per_replication = [unit.opened, unit.failed_checkpoint, unit.failed_operating];
            let sane = unit.replications == replications
                && per_replication.iter().all(|&c| c <= replications)
                && unit.utilisation_months <= unit.desk_months
                && unit.saturated_months <= unit.desk_months
                && unit.serving_months <= unit.desk_months
                && unit.utilisation.count() == unit.utilisation.count().min(replications)
                && unit.utilisation.sum() >= 0.0
                && unit.utilisation.sum() <= unit.utilisation_months as f64 * (1.0 + 1e-9) + 1e-6
                && unit.population_months.sum() >= 0.0;
            if !sane {
                return Err("a unit's totals cannot come from the model".to_string());
            }
        }
        Ok(())
    }

    /// Absorbs another cell's totals of other replications, as [`PlaceTotals::merge`], with
    /// checked arithmetic: an error, and nothing merged past it, where a sum would overflow.
    pub fn try_merge(&mut self, other: &PlaceTotals) -> Result<(), String> {
        let overflow = || "its totals by place overflow when added to the other shards'".to_string();
        for (mine, theirs) in self.regions.iter_mut().zip(&other.regions) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.checked_merge(b).ok_or_else(overflow)?;
            }
        }
        for (a, b) in self.ccg_unmet.iter_mut().zip(&other.ccg_unmet) {
            a.checked_merge(b).ok_or_else(overflow)?;
        }
        for (a, b) in self.units.iter_mut().zip(&other.units) {
            let mut merged = *a;
            merged.utilisation.checked_merge(&b.utilisation).ok_or_else(overflow)?;
            merged
                .population_months
                .checked_merge(&b.population_months)
                .ok_or_else(overflow)?;
            let counts = [
                (merged.replications, b.replications),
                (merged.opened, b.opened),
                (merged.failed_checkpoint, b.failed_checkpoint),
                (merged.failed_operating, b.failed_operating),
                (merged.desk_months, b.desk_months),
                (merged.utilisation_months, b.utilisation_months),
                (merged.saturated_months, b.saturated_months),
                (merged.serving_months, b.serving_months),
            ];
            if counts.iter().any(|(x, y)| x.checked_add(*y).is_none()) {
                return Err(overflow());
            }
            merged.replications += b.replications;
            merged.opened += b.opened;
            merged.failed_checkpoint += b.failed_checkpoint;
            merged.failed_operating += b.failed_operating;
            merged.desk_months += b.desk_months;
            merged.utilisation_months += b.utilisation_months;
            merged.saturated_months += b.saturated_months;
            merged.serving_months += b.serving_months;
            *a = merged;
        }
        Ok(())
    }

    /// Absorbs another cell's totals of other replications (a shard's).
    pub fn merge(&mut self, other: &PlaceTotals) {
        for (mine, theirs) in self.regions.iter_mut().zip(&other.regions) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(b);
            }
        }
        for (a, b) in self.ccg_unmet.iter_mut().zip(&other.ccg_unmet) {
            a.merge(b);
        }
        for (a, b) in self.units.iter_mut().zip(&other.units) {
            a.merge(b);
        }
    }
}

/// Returns the population of the CCGs planned to each unit of `layout`, `Qplan` (for network
/// teams, of the team's function; for sites, of business intelligence, the same for all
/// functions) \[people\].
pub fn catchments(layout: &Layout) -> Vec<f64> {
    layout
        .units()
        .iter()
        .enumerate()
        .map(|(u, unit)| layout.qplan(u, unit.function.unwrap_or(Function::BusinessIntelligence)))
        .collect()
}
