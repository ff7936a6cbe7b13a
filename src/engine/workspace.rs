//! Buffers a worker reuses from one cell to the next.
//!
//! A cell needs some forty vectors (its units, desks, queues, routes and the state of every
//! CCG), sized by the register and the layout. Allocating and freeing them for each of the
//! millions of cells of a large study costs more than some of the work they hold, so a
//! finished cell leaves them here and the next cell the worker runs refills them: after the
//! first cells a worker allocates only a few small vectors a cell (its outcome's monthly
//! series among them).

use super::routes::RouteBuffers;
use super::service::Desks;
use super::simulation::CcgBuffers;
use super::units::UnitBook;

/// The spare buffers of a worker's last cell; empty until a cell has run.
#[derive(Debug, Default)]
pub struct Workspace {
    pub(super) units: Option<UnitBook>,
    pub(super) desks: Option<Desks>,
    pub(super) routes: Option<RouteBuffers>,
    pub(super) ccgs: Option<CcgBuffers>,
    pub(super) utilisation: Vec<i64>,
}

impl Workspace {
    /// Creates an empty workspace.
    pub fn new() -> Workspace {
        Workspace::default()
    }
}

/// Returns `buffer` holding `n` copies of `value`, in the allocation it already has.
pub(super) fn refill<T: Clone>(mut buffer: Vec<T>, n: usize, value: T) -> Vec<T> {
    buffer.clear();
    buffer.resize(n, value);
    buffer
}

/// Returns `buffer` emptied, keeping its allocation.
pub(super) fn emptied<T>(mut buffer: Vec<T>) -> Vec<T> {
    buffer.clear();
    buffer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refilled_buffers_hold_only_the_new_values_and_keep_their_allocation() {
        let buffer = vec![7u32; 100];
        let capacity = buffer.capacity();
        let buffer = refill(buffer, 10, 0);
        assert_eq!(buffer, vec![0; 10]);
        assert_eq!(buffer.capacity(), capacity);
        let buffer = emptied(buffer);
        assert!(buffer.is_empty());
        assert_eq!(buffer.capacity(), capacity);
    }
}
