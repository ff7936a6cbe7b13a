//! Scenario problems, each with the file, line and key it concerns.

use std::fmt;

use thiserror::Error;

/// One problem in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// 1-based line of the file, when the problem sits on one.
    pub line: Option<usize>,
    /// Dotted key path, or empty for the file as a whole.
    pub key: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// Every problem found in a scenario; nothing is run while there is one.
#[derive(Clone, Debug, Error, PartialEq)]
pub struct ScenarioError {
    /// The scenario file as the user named it.
    pub file: String,
    /// The problems, in file order where lines are known.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "{} has {count} problem{}",
            self.file,
            if count == 1 { "" } else { "s" }
        )?;
        for problem in self.problems.iter().take(SHOWN_PROBLEMS) {
            write!(f, "\n  {}", self.file)?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
            }
            if problem.key.is_empty() {
                write!(f, ": {}", problem.message)?;
            } else {
                write!(f, ": key '{}': {}", problem.key, problem.message)?;
            }
        }
        if count > SHOWN_PROBLEMS {
            write!(f, "\n  ... and {} more", count - SHOWN_PROBLEMS)?;
        }
        Ok(())
    }
}

/// Most problems listed: one screen; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 20;
