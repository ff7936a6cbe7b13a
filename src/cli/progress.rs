//! What the CLI watches during a run: the replication log, and a progress bar on stderr.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::Outcome;
use crate::experiment::Observer;
use crate::output::ReplicationLog;

/// Streams outcomes to the replication log and shows progress.
pub struct RunObserver {
    /// The per-replication CSV being written.
    pub log: ReplicationLog,
    bar: ProgressBar,
}

impl RunObserver {
    /// Creates the observer; the bar is drawn only when stderr is a terminal and not `quiet`.
    pub fn new(log: ReplicationLog, total: u64, quiet: bool) -> RunObserver {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            // indicatif hides itself when stderr is not a terminal.
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
        };
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {elapsed} elapsed, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        RunObserver { log, bar }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Observer for RunObserver {
    fn on_replication(&mut self, replication: u64, outcomes: &[Outcome]) {
        self.log.on_replication(replication, outcomes);
    }

    fn on_progress(&mut self, done: u64, _total: u64) {
        self.bar.set_position(done);
    }

    fn cancelled(&self) -> bool {
        self.log.cancelled()
    }
}
