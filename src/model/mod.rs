//! Entities of the model: the CCG register, geography, unit placement, costs, parameters, the
//! four delivery options by name, and the metrics a replication reports.
//!
//! Everything here is plain data with its invariants checked in constructors; nothing reads
//! files, the clock or the environment (docs/model.md sections 2, 4 and 5).

pub mod cost;
pub mod geo;
pub mod metrics;
pub mod option;
pub mod params;
pub mod placement;
pub mod places;
pub mod register;

pub use cost::UnitCost;
pub use geo::DistanceMatrix;
pub use metrics::{HeadlinePart, Metric, N_HEADLINE_PARTS, N_METRICS, Outcome, WorkLedger};
pub use option::OptionKind;
pub use params::{Params, calendar_month};
pub use placement::{Layout, LayoutKind, Unit};
pub use register::{Ccg, Register, RegisterError, RegisterErrors};

/// Number of scale services (docs/model.md section 1).
pub const N_FUNCTIONS: usize = 4;

/// One of the four scale services, in the order docs/model.md section 1 lists them.
///
/// The order matters: it breaks ties in network apportionment and placement, and orders
/// private-sector onboarding entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Function {
    /// Data management, integration, validation, storage and analysis.
    BusinessIntelligence,
    /// Market management, procurement strategy and compliance.
    ClinicalProcurement,
    /// HR, payroll, finance, IT, estates and legal (the "back office").
    BusinessSupport,
    /// Communications and engagement.
    Communications,
}

impl Function {
    /// All four functions in section 1 order.
    pub const ALL: [Function; N_FUNCTIONS] = [
        Function::BusinessIntelligence,
        Function::ClinicalProcurement,
        Function::BusinessSupport,
        Function::Communications,
    ];

    /// Returns the scenario key of the function (`business_intelligence`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Function::BusinessIntelligence => "business_intelligence",
            Function::ClinicalProcurement => "clinical_procurement",
            Function::BusinessSupport => "business_support",
            Function::Communications => "communications",
        }
    }

    /// Returns the position of the function in section 1 order.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Returns the function with the given scenario key.
    pub fn from_key(key: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.key() == key)
    }
}
