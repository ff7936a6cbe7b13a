//! The four delivery options of docs/model.md section 1, by name (a neutral module: the
//! delivery layer implements them, the scenario, experiment and output layers name them).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The four delivery options, in docs/model.md order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionKind {
    /// A single nationally managed service, delivered locally.
    National,
    /// A nationally coordinated network of specialist teams.
    Network,
    /// Regional hubs, each providing all functions to an area.
    Hubs,
    /// A national specification and price with approved suppliers.
    Framework,
}

impl OptionKind {
    /// All four options in docs/model.md order.
    pub const ALL: [OptionKind; 4] = [
        OptionKind::National,
        OptionKind::Network,
        OptionKind::Hubs,
        OptionKind::Framework,
    ];

    /// The number of options.
    pub const COUNT: usize = OptionKind::ALL.len();

    /// Returns the position of the option in [`OptionKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Returns the scenario key of the option.
    pub fn key(self) -> &'static str {
        match self {
            OptionKind::National => "national",
            OptionKind::Network => "network",
            OptionKind::Hubs => "hubs",
            OptionKind::Framework => "framework",
        }
    }

    /// Returns the option with the given scenario key.
    pub fn from_key(key: &str) -> Option<OptionKind> {
        OptionKind::ALL.into_iter().find(|o| o.key() == key)
    }

    /// Returns the smallest N the option accepts.
    pub fn min_units(self) -> usize {
        match self {
            OptionKind::Network => crate::model::N_FUNCTIONS,
            _ => 1,
        }
    }
}

impl fmt::Display for OptionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
