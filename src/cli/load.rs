//! Reading a scenario and its register from disk.

use std::path::{Path, PathBuf};

use anyhow::anyhow;

use super::CliError;
use crate::model::Register;
use crate::output::shard::EmbeddedFile;
use crate::scenario::Scenario;

/// A scenario with its register, both validated.
pub struct LoadedScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// Its register.
    pub register: Register,
    /// Every file read, with its path as resolved: what a shard embeds to rebuild the study.
    pub files: Vec<EmbeddedFile>,
}

impl LoadedScenario {
    /// The register's text, or `built-in` for the embedded register.
    pub fn register_text(&self) -> &str {
        match &self.scenario.ccgs {
            None => "built-in",
            Some(_) => self.files.get(1).map_or("", |f| f.text.as_str()),
        }
    }
}

/// Where input files come from: the disk, or the files a shard embeds.
pub enum Files<'a> {
    /// Read from disk.
    Disk,
    /// Taken from a shard, by path.
    Embedded(&'a [EmbeddedFile]),
}

impl Files<'_> {
    fn read(&self, path: &Path, what: &str, max: u64) -> Result<Vec<u8>, String> {
        match self {
            Files::Disk => read_input(path, what, max),
            Files::Embedded(files) => files
                .iter()
                .find(|f| Path::new(&f.path) == path)
                .map(|f| f.text.as_bytes().to_vec())
                .ok_or_else(|| format!("the shard holds no {what} file '{}'", path.display())),
        }
    }
}

/// Reads and validates a scenario file and the register it names.
pub fn load(
    path: &Path,
    adjust: impl FnOnce(&mut Scenario) -> Result<(), CliError>,
) -> Result<LoadedScenario, CliError> {
    load_from(&Files::Disk, path, adjust)
}

/// [`load`], reading from `files`.
pub fn load_from(
    files: &Files,
    path: &Path,
    adjust: impl FnOnce(&mut Scenario) -> Result<(), CliError>,
) -> Result<LoadedScenario, CliError> {
    let display = path.display().to_string();
    let mut read = Vec::new();
    let bytes = files
        .read(path, "scenario", MAX_SCENARIO_BYTES)
        .map_err(|e| CliError::Input(anyhow!("could not read scenario '{display}': {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Input(anyhow!("{display}: the scenario is not valid UTF-8 text")))?;
    read.push(EmbeddedFile {
        path: display.clone(),
        text: text.clone(),
    });
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
            let bytes = files
                .read(&register_path, "register", MAX_REGISTER_BYTES)
                .map_err(|e| {
                    let line = scenario.line_of("ccgs").map(|l| format!(":{l}")).unwrap_or_default();
                    CliError::Input(anyhow!(
                        "{display}{line}: key 'ccgs': could not read register '{shown}': {e}"
                    ))
                })?;
            let register = Register::parse(&bytes, &shown).map_err(|e| CliError::Input(e.into()))?;
            read.push(EmbeddedFile {
                path: shown,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
            register
        }
    };
    scenario
        .check_register(register.len())
        .map_err(|e| CliError::Input(e.into()))?;
    Ok(LoadedScenario {
        scenario,
        register,
        files: read,
    })
}

/// Largest scenario file read \[bytes\]: a scenario states a few dozen keys.
const MAX_SCENARIO_BYTES: u64 = 1 << 20;

/// Largest register file read \[bytes\]: 5,000 rows of a few hundred bytes fit many times.
const MAX_REGISTER_BYTES: u64 = 64 << 20;

/// Reads an input file: a regular file (not a FIFO, device or folder, which could block or
/// never end) of at most `max` bytes; the message says which rule it breaks.
fn read_input(path: &Path, what: &str, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !metadata.is_file() {
        return Err(format!(
            "it is not a regular file (a {what} must be a file, not a folder, pipe or device)"
        ));
    }
    if metadata.len() > max {
        return Err(format!(
            "it has {} bytes, more than the {max} a {what} may have",
            metadata.len()
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(max + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "it grew past the {max} bytes a {what} may have while it was read"
        ));
    }
    Ok(bytes)
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
