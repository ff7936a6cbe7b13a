//! csu-sim: a Monte Carlo simulator of how England's commissioning support could be
//! organised, under the four delivery options of 2012 (national, network, hubs, framework).
//!
//! # Bird's-eye view
//!
//! An analyst writes a TOML scenario. The CLI reads it and the CCG register, the scenario
//! layer validates them into a [`scenario::Scenario`], and the experiment layer expands the
//! sweep into cells (sweep point x option x N). For every replication the engine draws the
//! CCGs' randomness once, runs each cell month by month, and returns an
//! [`model::Outcome`] per cell; the experiment merges outcomes into streaming statistics
//! in replication order; the output layer turns the results into CSV, JSON, a workbook, charts
//! and a report. A study too big for one machine runs as shards (`--shard K/N`), each a file
//! of its block's results, which `csu-sim merge` feeds through the same accumulators.
//! `docs/model.md` is the model, written for users; every formula here cites its section, and
//! `tests/integration/reference.rs` checks the code against an independent implementation.
//!
//! # Code map
//!
//! - `model`: entities and pure formulas: the CCG register ([`model::Register`], with the real
//!   2013 register embedded), haversine distances, greedy p-median placement and network
//!   apportionment ([`model::Layout`]), the U-shaped unit cost ([`model::UnitCost`]), every
//!   parameter with its default ([`model::Params`]), the four options by name
//!   ([`model::OptionKind`]) and the metrics of a replication ([`model::Metric`],
//!   [`model::Outcome`], with the one list of cost components), which the engine writes and
//!   the experiment and output read; `model::places` holds the results by place (per CCG and
//!   unit) the same way.
//! - `scenario`: TOML text to a validated scenario. [`scenario::keys`] is the one table of
//!   numeric keys (path, range, unit, source, accessors), used for parsing, ranges, sweeps,
//!   `csu-sim keys` and did-you-mean suggestions; `uncertain` reads `[uncertain]` and
//!   `[decision]`.
//! - `delivery`: the [`delivery::DeliveryOption`] trait and its four implementations, one
//!   file each; `delivery::build` is the only place that maps an option to its code.
//! - `engine`: one replication of one cell. `rng` (keyed streams), `kernels` (the
//!   speed kernels in quarantine: standard normals by `rand_distr`'s ziggurat inlined, the
//!   exponential and the demand rows, each portable and, in `kernels/x86.rs`, the only
//!   `unsafe` SIMD code, with one dispatch point), `draws` (what a
//!   replication shares across cells), `units` (drawn costs, fate, capacity, prices),
//!   `simulation` (the monthly loop: decisions, onboarding, failures), `ccgs` (each CCG's
//!   providers and links, and its per-cell buffers), `routes` (where each CCG-function's
//!   demand goes, changed only at events, which hand a desk the demand of the months ahead
//!   and a sink its total, with running totals of who is in service), `service` (a month at
//!   every open desk: service, pooling, loss, ageing, running cost), `queue` (work in age
//!   buckets, onboarding queues), `tally` (the totals behind the metrics of docs/model.md
//!   section 8), `workspace` (the buffers a worker's cells pass on to one another, so a cell
//!   allocates only its outcome), `places` (where a cell-replication's work and cost fell,
//!   per CCG and unit, recorded only when asked for) and `buffers` (the leaf helpers that
//!   reuse allocations).
//! - `stats`: accumulators with `add` and `merge`: moments (Welford, Chan), a bounded quantile
//!   sketch, Student t quantiles; and the uncertainty analysis's mathematics: input
//!   distributions, Latin hypercubes and Morris designs, Sobol' and Morris estimators, EVPI and
//!   EVPPI.
//! - `experiment`: plans cells, caches layouts, runs replications in parallel chunks and merges
//!   them in order (the merge of one chunk overlaps the computation of the next); `compare`
//!   holds the paired comparisons and verdicts, `which_n` each option's best N, `margin` and
//!   `explain` why the leader leads, `profile` how the options differ, `findings` the caveats,
//!   value effects and facts check, `places` the results by region, CCG and unit, and
//!   `uncertainty` the uncertainty analysis (`study` its stages, `evaluate` a parameter set,
//!   `confirm` the re-runs that clear Monte Carlo noise, `indices` Sobol' and Morris,
//!   `switching` the switching values, `results` what it returns).
//! - `output`: exporters (pure: results to bytes) and [`output::OutputDir`], the only file
//!   writer: `csv` and `places` (the tables), `json`, `excel` (the workbook), `chart` (`kit`
//!   the house style, `draw` the charts, `map` and `geography` the maps, `lead` the waterfall,
//!   `uncertainty` the analysis's charts), `report` (the HTML page), `uncertainty` (the
//!   analysis's tables and page), `table` (the console's tables and sentences) and `shard`
//!   (the shard file format: header, payload, checksum).
//! - `cli`: argument parsing (clap), file reading, printing, exit codes: `run`, `uncertainty`,
//!   `merge` (shards back into one study's outputs), `validate`, `keys`, `init`.
//!
//! # Adding a delivery option
//!
//! 1. `model/option.rs`: a variant of [`model::OptionKind`], in [`model::OptionKind::ALL`]
//!    and with its scenario key; the compiler then points to every `match` on the options
//!    (among them the chart colour in `output::chart` and the procurement defaults below).
//! 2. `delivery/<option>.rs`: a type implementing [`delivery::DeliveryOption`] (its
//!    [`delivery::Traits`], its choice rule, its own keys), returned by `delivery::build`.
//! 3. If its CCGs procure: its duration and transaction cost in
//!    `model::params::ProcurementParams::default` (the scenario keys `procurement.<option>`
//!    and `procurement.cost_<option>`, the key table's listing, `csu-sim init`, the resolved
//!    scenario and the checks between keys follow from it), and its cost key's row,
//!    `procurement_cost_key!`, in `scenario/keys.rs`, which a test asks for.
//! 4. docs/model.md: the option's mechanisms, and the independent implementation's
//!    reference results in `tests/integration/fixtures/reference/` for a scenario with it.
//!
//! Everything else (cells, comparisons, verdicts, tables, charts, the workbook, the report,
//! shards and the uncertainty analysis) runs over [`model::OptionKind::ALL`]. Followed on a
//! branch with a fifth option (a copy of hubs), the compiler pointed to the colour,
//! `delivery::build`, the procurement defaults, the key table's length and a test's `match`;
//! the tests then pointed to the rest: a key claimed by two options, the count of keys and of
//! default options they pin, and the reference results and known answers the new option's
//! cells lack.
//!
//! # Invariants
//!
//! - Nothing outside `cli` and `output` touches files, stdout, the clock, the environment or
//!   OS entropy. The engine never prints.
//! - Results are identical for any thread count: every draw comes from a stream keyed by seed,
//!   replication, purpose and entity (docs/model.md section 10; `engine::rng`, `engine::draws`),
//!   never from a shared generator, and accumulators are merged sequentially in replication
//!   order.
//! - The same replication index gives every option, N and sweep point the same CCG draws
//!   (common random numbers), and a unit on the same site the same cost and fate draws.
//! - Memory does not grow with the number of replications: outcomes are merged chunk by chunk,
//!   quantiles are sketched in bounded space, and per-replication rows are streamed to disk.
//! - The scenario schema (docs/model.md section 9) and the output columns are the user contract.
//!
//! # Errors
//!
//! Library errors are typed (`thiserror`): a [`scenario::ScenarioError`] lists every problem
//! with its file, line and key; a [`model::RegisterError`] names the row and column. The CLI
//! maps bad input to exit code 2 and writes nothing; other failures exit 1. A run stages its
//! outputs in a folder beside the output folder and swaps it in whole when it succeeds.
//!
//! # Testing
//!
//! Unit tests sit next to the code. `tests/integration/main.rs` is the one integration binary:
//! the known answers of the deterministic mode, model invariants (conservation of work, costs
//! that add up), determinism across thread counts, and the CLI end to end.

#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod delivery;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod output;
pub mod scenario;
pub mod stats;
