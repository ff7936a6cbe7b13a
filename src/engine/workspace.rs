//! Buffers a worker reuses from one cell to the next.
//!
//! A cell needs some forty vectors (its units, desks, queues, routes and the state of every
//! CCG), sized by the register and the layout. Allocating and freeing them for each of the
//! millions of cells of a large study costs more than some of the work they hold, so a
//! finished cell leaves them here and the next cell the worker runs refills them: after the
//! first cells a worker allocates only a few small vectors a cell (its outcome's monthly
//! series among them).

use super::ccgs::CcgBuffers;
use super::routes::RouteBuffers;
use super::service::Desks;
use super::units::UnitBook;

/// The spare buffers of a worker's last cell; empty until a cell has run.
#[derive(Debug, Default)]
pub struct Workspace {
    pub(super) units: Option<UnitBook>,
    pub(super) desks: Option<Desks>,
    pub(super) routes: Option<RouteBuffers>,
    pub(super) ccgs: Option<CcgBuffers>,
    pub(super) utilisation: Vec<i64>,
    /// The logs of results by place, for cells that record them.
    pub(super) places: Option<(super::places::RouteLog, super::places::DeskLog)>,
}

impl Workspace {
    /// Creates an empty workspace.
    pub fn new() -> Workspace {
        Workspace::default()
    }
}
