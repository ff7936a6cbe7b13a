//! Results by place: per CCG and per unit, for one cell-replication (docs/model.md, "Results
//! by place"). A neutral module: the engine writes them, the experiment and output read them.

/// One CCG's results in one replication, over the operating months \[population-years\].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CcgPlace {
    /// Demand.
    pub demand: f64,
    /// Unmet work by cause: uncontracted, capacity, failure.
    pub unmet: [f64; 3],
    /// Served work by provider: NHS units, private sector, in-house.
    pub served: [f64; 3],
    /// Work still queued at the horizon.
    pub residual: f64,
    /// The CCG's part of `cost_per_head_incl_unmet` times the population: its own costs, its
    /// share of the NHS units' costs and its undone work \[GBP/year\].
    pub cost: f64,
    /// Whether a function was not in service in month G.
    pub gap_at_go_live: bool,
}

/// One unit's results in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UnitPlace {
    /// Whether the unit opened at month 0 (passed the checkpoint, and took part).
    pub opened: bool,
    /// Whether it failed the checkpoint.
    pub failed_checkpoint: bool,
    /// Whether it failed in operation.
    pub failed_operating: bool,
    /// Open unit-function-months `m >= G`.
    pub desk_months: u32,
    /// Sum of served / effective capacity over them (those with capacity > 0).
    pub utilisation_sum: f64,
    /// Number of open unit-function-months with capacity > 0.
    pub utilisation_months: u32,
    /// Operating months in which at least one of its functions lost work to capacity.
    pub saturated_months: u32,
    /// Operating months in which at least one of its functions had a CCG in service.
    pub serving_months: u32,
    /// Sum over open unit-function-months of the population in service with it \[people\].
    pub population_months: f64,
}

/// Per-CCG and per-unit results of one cell-replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Places {
    /// One per CCG, in register order.
    pub ccgs: Vec<CcgPlace>,
    /// One per unit, in layout order.
    pub units: Vec<UnitPlace>,
}
