//! The state of each CCG within a cell: who serves each of its functions, where each stands
//! in the contracting process, and the onboarding queues and per-CCG vectors a finished cell
//! leaves to the next (docs/model.md section 7).

use super::buffers::{emptied, refill};
use super::queue::{Entry, OnboardingQueue};
use crate::model::N_FUNCTIONS;

/// Who serves a CCG-function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Provider {
    Unit(u32),
    Private,
    InHouse,
}

/// Where a CCG-function stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Link {
    /// No provider and no decision to come within the horizon.
    Idle,
    /// A decision falls in month `at`.
    Deciding { at: u32 },
    /// Waiting in an onboarding queue.
    Waiting,
    /// Onboarded this month: in service from the next.
    Onboarded(Provider),
    /// In service.
    Serving(Provider),
}

/// Returns the slots of the national queue: the sum of `slots(u)` over the sites open
/// (docs/model.md section 4, version 5: a site that failed adds none).
pub(super) fn national_slots(slots: &[u64], open: &[bool]) -> u64 {
    slots
        .iter()
        .zip(open)
        .filter(|&(_, &open)| open)
        .fold(0u64, |total, (&s, _)| total.saturating_add(s))
}

/// The onboarding queues and per-CCG vectors of a cell, kept for the next cell
/// ([`super::Workspace`]).
#[derive(Debug, Default)]
pub(super) struct CcgBuffers {
    pub(super) onboarding: Vec<OnboardingQueue>,
    pub(super) private_queue: OnboardingQueue,
    pub(super) onboarded: Vec<Entry>,
    /// Decisions to come as (month, CCG).
    pub(super) decisions: Vec<(u32, u32)>,
    /// Scratch for ordering the first decisions.
    pub(super) sorted: Vec<(u32, u32)>,
    pub(super) links: Vec<[Link; N_FUNCTIONS]>,
    pub(super) reprocurements: Vec<u32>,
    pub(super) price_paid: Vec<Option<f64>>,
    pub(super) in_house: Vec<bool>,
    pub(super) first_full: Vec<Option<u32>>,
    /// CCG-functions in service with each unit.
    pub(super) unit_links: Vec<u32>,
    /// Scratch for the months to contract of the CCGs that contracted.
    pub(super) contract_months: Vec<f64>,
}

impl CcgBuffers {
    /// Empties the buffers for a cell of `n` CCGs, with an onboarding queue of each of
    /// `slots` (national: one of the sum over the units `open` at month 0) and one for the
    /// private sector.
    pub(super) fn reset(
        mut self,
        n: usize,
        (slots, open): (&[u64], &[bool]),
        national_queue: bool,
        private_slots: u64,
    ) -> CcgBuffers {
        let n_units = slots.len();
        let queues: Vec<u64> = if national_queue {
            vec![national_slots(slots, open)]
        } else {
            slots.to_vec()
        };
        // Room for twice a unit's share of the CCGs saves most of the growing.
        let room = 2 * n.div_ceil(queues.len().max(1));
        self.onboarding.truncate(queues.len());
        for (queue, &slots) in self.onboarding.iter_mut().zip(&queues) {
            queue.reset(slots);
        }
        let kept = self.onboarding.len();
        self.onboarding
            .extend(queues[kept..].iter().map(|&s| OnboardingQueue::with_capacity(s, room)));
        self.private_queue.reset(private_slots);
        CcgBuffers {
            onboarding: self.onboarding,
            private_queue: self.private_queue,
            onboarded: emptied(self.onboarded),
            decisions: emptied(self.decisions),
            sorted: self.sorted,
            links: refill(self.links, n, [Link::Idle; N_FUNCTIONS]),
            reprocurements: refill(self.reprocurements, n, 0),
            price_paid: refill(self.price_paid, n, None),
            in_house: refill(self.in_house, n, false),
            first_full: refill(self.first_full, n, None),
            unit_links: refill(self.unit_links, n_units, 0),
            contract_months: emptied(self.contract_months),
        }
    }
}
