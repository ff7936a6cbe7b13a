//! What the CLI watches during a run: the replication log, and a progress bar on stderr.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::experiment::Observer;
use crate::model::Outcome;
use crate::output::ReplicationLog;

/// Streams outcomes to the replication log and shows progress.
pub struct RunObserver {
    /// The per-replication CSV being written.
    pub log: ReplicationLog,
    bar: ProgressBar,
    interrupted: Arc<AtomicBool>,
}

/// Returns the flag that turns true on SIGINT or SIGTERM (Ctrl-C, `kill`), installing the
/// handler on the first call.
///
/// The handler only sets the flag: the run stops at its next chunk boundary, staged files are
/// deleted, and the previous run's outputs stay as they were. If no handler can be installed
/// (one is already set in this process), the flag simply never turns true.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let setter = flag.clone();
        let _ = ctrlc::set_handler(move || setter.store(true, Ordering::SeqCst));
        flag
    })
    .clone()
}

impl RunObserver {
    /// Creates the observer; the bar is drawn only when stderr is a terminal and not `quiet`.
    pub fn new(log: ReplicationLog, total: u64, quiet: bool, interrupted: Arc<AtomicBool>) -> RunObserver {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            // indicatif hides itself when stderr is not a terminal.
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
        };
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {elapsed} elapsed, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        RunObserver { log, bar, interrupted }
    }

    /// Returns true once SIGINT or SIGTERM has arrived.
    pub fn interrupted(&self) -> bool {
        self.interrupted.load(Ordering::SeqCst)
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
        self.interrupted.load(Ordering::SeqCst) || self.log.cancelled()
    }
}
