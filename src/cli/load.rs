//! Reading a scenario and its register from disk.

use std::path::{Path, PathBuf};

use anyhow::anyhow;

use super::CliError;
use crate::model::Register;
use crate::scenario::Scenario;

/// A scenario with its register, both validated.
pub struct LoadedScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// Its register.
    pub register: Register,
}

/// Reads and validates a scenario file and the register it names.
pub fn load(
    path: &Path,
    adjust: impl FnOnce(&mut Scenario) -> Result<(), CliError>,
) -> Result<LoadedScenario, CliError> {
    let display = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| CliError::Input(anyhow!("could not read scenario '{display}': {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Input(anyhow!("{display}: the scenario is not valid UTF-8 text")))?;
    let stem = path
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().to_string());
    let mut scenario = Scenario::parse(&text, &display, &stem).map_err(|e| CliError::Input(e.into()))?;
    adjust(&mut scenario)?;
    let register = match &scenario.ccgs {
        None => Register::builtin(),
        Some(relative) => {
            let register_path = resolve(path, relative);
            let shown = register_path.display().to_string();
            let bytes = std::fs::read(&register_path).map_err(|e| {
                let line = scenario.line_of("ccgs").map(|l| format!(":{l}")).unwrap_or_default();
                CliError::Input(anyhow!(
                    "{display}{line}: key 'ccgs': could not read register '{shown}': {e}"
                ))
            })?;
            Register::parse(&bytes, &shown).map_err(|e| CliError::Input(e.into()))?
        }
    };
    scenario
        .check_register(register.len())
        .map_err(|e| CliError::Input(e.into()))?;
    Ok(LoadedScenario { scenario, register })
}

/// Resolves a register path relative to the scenario file's folder.
fn resolve(scenario: &Path, relative: &str) -> PathBuf {
    let relative = Path::new(relative);
    if relative.is_absolute() {
        return relative.to_path_buf();
    }
    scenario
        .parent()
        .map_or_else(|| relative.to_path_buf(), |dir| dir.join(relative))
}
