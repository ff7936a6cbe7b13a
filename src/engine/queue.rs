//! The two kinds of queue of the monthly engine (docs/model.md sections 3, 6 and 7).

use super::buffers::refill;

/// Queued work of every unit-function ("desk") in age buckets `0..=W` \[population-years\].
///
/// Buckets are stored flat, desk by desk, so a month's pass touches contiguous memory.
#[derive(Clone, Debug, Default)]
pub struct WorkQueues {
    width: usize,
    buckets: Vec<f64>,
}

impl WorkQueues {
    /// Creates empty queues for `n_desks` desks with maximum wait `max_wait` months.
    pub fn new(n_desks: usize, max_wait: usize) -> WorkQueues {
        WorkQueues::new_in(WorkQueues::default(), n_desks, max_wait)
    }

    /// Creates empty queues as [`WorkQueues::new`] does, in the buffer of `spare`.
    pub fn new_in(spare: WorkQueues, n_desks: usize, max_wait: usize) -> WorkQueues {
        WorkQueues {
            width: max_wait + 1,
            buckets: refill(spare.buckets, n_desks * (max_wait + 1), 0.0),
        }
    }

    /// Returns the number of buckets of each desk, `W + 1`.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Returns every desk's buckets, desk after desk ([`WorkQueues::width`] each).
    pub fn buckets_mut(&mut self) -> &mut [f64] {
        &mut self.buckets
    }

    /// Returns the buckets of a desk, index = age in months.
    #[inline]
    pub fn desk(&self, desk: usize) -> &[f64] {
        &self.buckets[desk * self.width..(desk + 1) * self.width]
    }

    /// Returns all queued work of a desk.
    pub fn total(&self, desk: usize) -> f64 {
        self.desk(desk).iter().sum()
    }

    /// Empties a desk; returns the work it held.
    pub fn clear(&mut self, desk: usize) -> f64 {
        let lost = self.total(desk);
        self.buckets[desk * self.width..(desk + 1) * self.width].fill(0.0);
        lost
    }
}

/// Serves up to `capacity` from one desk's `queue` (index = age), oldest work first; returns
/// the work served, the sum of what was taken from each bucket. Branch-free: once the capacity
/// is used up, every later take is 0.
#[inline]
pub fn serve_oldest_first(queue: &mut [f64], capacity: f64) -> f64 {
    let mut left = capacity;
    let mut served = 0.0;
    for bucket in queue.iter_mut().rev() {
        let take = if left < *bucket { left } else { *bucket };
        *bucket -= take;
        left -= take;
        served += take;
    }
    served
}

/// Drops the oldest bucket of one desk's `queue` and ages the rest by one month; returns the
/// work lost.
#[inline]
pub fn age(queue: &mut [f64]) -> f64 {
    // Each bucket takes the one before it, carried in a register: a backward copy loop, like
    // `copy_within`, is turned into a call to memmove, which costs more than the copy on a
    // few values (6% of a national cell's time at W = 2, once its crowded sites carry backlog).
    let mut carried = 0.0;
    for bucket in queue.iter_mut() {
        carried = std::mem::replace(bucket, carried);
    }
    carried
}

/// A waiting CCG in an onboarding queue: the CCG, the functions it brings (bit `f` set for
/// function `f`), and the provider it will be in service with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// CCG index.
    pub ccg: u32,
    /// Function bit mask.
    pub mask: u8,
    /// Unit number, or `None` for the private sector.
    pub unit: Option<u32>,
}

/// A FIFO onboarding queue that takes up to `slots` entries a month (section 4).
///
/// Entries are only ever appended and taken from the head, a few hundred in a cell, so they
/// sit in one vector with a head position; the space is reused once the queue empties.
#[derive(Clone, Debug, Default)]
pub struct OnboardingQueue {
    /// Entries taken per month.
    pub slots: u64,
    entries: Vec<Entry>,
    head: usize,
}

impl OnboardingQueue {
    /// Creates an empty queue.
    pub fn new(slots: u64) -> OnboardingQueue {
        OnboardingQueue::with_capacity(slots, 0)
    }

    /// Creates an empty queue with room for `capacity` entries before it has to grow.
    pub fn with_capacity(slots: u64, capacity: usize) -> OnboardingQueue {
        OnboardingQueue {
            slots,
            entries: Vec::with_capacity(capacity),
            head: 0,
        }
    }

    /// Empties the queue for a new cell that takes `slots` entries a month, keeping its
    /// allocation.
    pub fn reset(&mut self, slots: u64) {
        self.slots = slots;
        self.entries.clear();
        self.head = 0;
    }

    /// Returns the number of entries waiting.
    pub fn len(&self) -> usize {
        self.entries.len() - self.head
    }

    /// Returns true when no entry waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends an entry at the tail.
    pub fn push(&mut self, entry: Entry) {
        if self.is_empty() {
            self.entries.clear();
            self.head = 0;
        }
        self.entries.push(entry);
    }

    /// Returns the waiting entries, head first, to change where they will be onboarded.
    pub fn waiting_mut(&mut self) -> &mut [Entry] {
        &mut self.entries[self.head..]
    }

    /// Removes and returns the entries onboarded this month, head first.
    pub fn take_month(&mut self) -> &[Entry] {
        let n = self.slots.min(self.len() as u64) as usize;
        self.take(n)
    }

    /// Removes and returns every waiting entry.
    pub fn drain_all(&mut self) -> &[Entry] {
        self.take(self.len())
    }

    /// Removes and returns the `n` entries at the head.
    fn take(&mut self, n: usize) -> &[Entry] {
        let start = self.head;
        self.head += n;
        &self.entries[start..self.head]
    }

    /// Returns the expected wait of a newcomer, `ceil(len / slots)` \[months\].
    pub fn expected_wait(&self) -> u64 {
        (self.len() as u64).div_ceil(self.slots.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_is_served_oldest_first_and_lost_after_w_months() {
        let mut queues = WorkQueues::new(1, 2);
        let queue = queues.buckets_mut();
        queue[0] += 10.0;
        assert_eq!(serve_oldest_first(queue, 4.0), 4.0);
        assert_eq!(age(queue), 0.0);
        queue[0] += 5.0;
        // Buckets [5, 6, 0]: serve 7 takes the 6 first, then 1 of the 5.
        assert_eq!(serve_oldest_first(queue, 7.0), 7.0);
        assert_eq!(queue, &[4.0, 0.0, 0.0]);
        assert_eq!(age(queue), 0.0);
        assert_eq!(age(queue), 0.0);
        // The 4 units that arrived two months ago are now in bucket W and are lost.
        assert_eq!(queue, &[0.0, 0.0, 4.0]);
        assert_eq!(age(queue), 4.0);
        assert_eq!(queues.total(0), 0.0);
    }

    #[test]
    fn serving_more_than_queued_serves_what_is_there() {
        let mut queues = WorkQueues::new(2, 1);
        queues.buckets_mut()[2] += 3.0;
        assert_eq!(serve_oldest_first(&mut queues.buckets_mut()[2..4], 10.0), 3.0);
        assert_eq!(queues.total(1), 0.0);
        queues.buckets_mut()[3] = 2.0;
        assert_eq!(queues.clear(1), 2.0);
        assert_eq!(queues.desk(1), &[0.0, 0.0]);
    }

    #[test]
    fn a_one_bucket_queue_loses_what_it_does_not_serve_this_month() {
        let mut single = [7.0];
        assert_eq!(serve_oldest_first(&mut single, 5.0), 5.0);
        assert_eq!(age(&mut single), 2.0);
        assert_eq!(single, [0.0]);
    }

    #[test]
    fn onboarding_takes_slots_per_month_in_fifo_order() {
        let mut queue = OnboardingQueue::new(2);
        for ccg in 0..5 {
            queue.push(Entry {
                ccg,
                mask: 0b1111,
                unit: Some(0),
            });
        }
        assert_eq!(queue.expected_wait(), 3);
        let first: Vec<u32> = queue.take_month().iter().map(|e| e.ccg).collect();
        assert_eq!(first, vec![0, 1]);
        assert_eq!(queue.len(), 3);
    }
}
