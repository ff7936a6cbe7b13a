//! The Monte Carlo engine: one replication of one cell (option, N, sweep point) at a time.
//!
//! [`run_cell`] is pure: it reads the cell's layout and parameters and the replication's
//! draws, and returns an [`Outcome`]. It never prints, reads files or looks at the clock.

mod buffers;
mod ccgs;
pub mod draws;
pub mod kernels;
mod places;
pub mod queue;
pub mod rng;
mod routes;
mod service;
mod simulation;
mod tally;
pub mod units;
mod workspace;

pub use draws::ReplicationDraws;
pub use workspace::Workspace;

use crate::delivery::DeliveryOption;
use crate::model::cost::MarketPrices;
use crate::model::{Layout, Outcome, Params, Register};

/// One cell of an experiment: an option at one N with one set of parameters.
pub struct Cell<'a> {
    /// The delivery option.
    pub option: &'a dyn DeliveryOption,
    /// Units placed for the option's layout kind and N.
    pub layout: &'a Layout,
    /// Parameters of the sweep point.
    pub params: &'a Params,
    /// The CCG register.
    pub register: &'a Register,
    /// Framework and private prices computed from `params`.
    pub prices: MarketPrices,
    /// CCG populations in register order \[people\].
    pub populations: Vec<f64>,
    /// Whether to record results by CCG and unit ([`Outcome::places`]); they cost time.
    pub places: bool,
}

impl<'a> Cell<'a> {
    /// Builds a cell, computing its market prices.
    pub fn new(
        option: &'a dyn DeliveryOption,
        layout: &'a Layout,
        params: &'a Params,
        register: &'a Register,
    ) -> Cell<'a> {
        Cell {
            option,
            layout,
            params,
            register,
            prices: MarketPrices::new(params),
            populations: register.populations(),
            places: false,
        }
    }

    /// Returns the cell recording results by CCG and unit.
    pub fn with_places(self) -> Cell<'a> {
        Cell { places: true, ..self }
    }
}

/// Transforms the replication's CCG draws into the demand, budgets and choices of the cell's
/// parameters; a later cell with the same parameters finds them made.
pub fn prepare_draws(cell: &Cell, draws: &mut ReplicationDraws) {
    let (params, demand) = (cell.params, &cell.params.demand);
    let go_live = params.time.go_live_month as usize;
    draws.prepare_demand(demand.cv_level, demand.cv_month, go_live, &cell.populations);
    draws.prepare_budgets(params.choice.budget_mean, params.choice.budget_cv);
    draws.prepare_choices(&params.time, &params.choice.preferences, cell.register.ccgs());
}

/// Runs one replication of one cell.
///
/// `draws` must cover the register's CCGs and at least `params.time.months` months; unit
/// draws are added to it on first use, so later cells of the same replication reuse them.
pub fn run_cell(cell: &Cell, draws: &mut ReplicationDraws) -> Outcome {
    run_cell_in(cell, draws, &mut Workspace::new())
}

/// Runs one replication of one cell as [`run_cell`] does, in the buffers `workspace` kept
/// from the cells run in it before (the same results, without allocating them again).
pub fn run_cell_in(cell: &Cell, draws: &mut ReplicationDraws, workspace: &mut Workspace) -> Outcome {
    prepare_draws(cell, draws);
    let units = units::UnitBook::new(
        cell.option,
        cell.layout,
        cell.params,
        &cell.prices,
        cell.register.total_population(),
        draws,
        workspace.units.take(),
    );
    simulation::Simulation::new(cell, units, draws, workspace).run(workspace)
}
