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
    read.push(EmbeddedFile::new(display.clone(), text.clone()));
    let stem = path
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().to_string());
    // Every mistake at once: the file's, the flags', and N against the register's size.
    let (mut scenario, file_error) = Scenario::parse_lenient(&text, &display, &stem);
    let ccgs_wrong = file_error
        .as_ref()
        .is_some_and(|e| e.problems.iter().any(|p| p.key == "ccgs" || p.key.is_empty()));
    let mut errors: Vec<CliError> = file_error.map(|e| CliError::Input(e.into())).into_iter().collect();
    errors.extend(adjust(&mut scenario).err());
    if ccgs_wrong {
        // The register the file meant is not known (or the file could not be read as TOML).
        return Err(CliError::inputs(errors).unwrap_or_else(|| CliError::Internal(anyhow!("no register"))));
    }
    let register = read_register(files, path, &display, &scenario, &mut read);
    let register = match register {
        Ok(register) => register,
        Err(e) => {
            errors.push(e);
            return Err(CliError::inputs(errors).unwrap_or_else(|| CliError::Internal(anyhow!("no register"))));
        }
    };
    if let Err(e) = scenario.check_register(register.len()) {
        errors.push(CliError::Input(e.into()));
    }
    if let Some(error) = CliError::inputs(errors) {
        return Err(error);
    }
    Ok(LoadedScenario {
        scenario,
        register,
        files: read,
    })
}

/// Reads the register a scenario names (the built-in one when it names none), recording the
/// file in `read`.
fn read_register(
    files: &Files,
    path: &Path,
    display: &str,
    scenario: &Scenario,
    read: &mut Vec<EmbeddedFile>,
) -> Result<Register, CliError> {
    Ok(match &scenario.ccgs {
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
            read.push(EmbeddedFile::new(shown, String::from_utf8_lossy(&bytes).into_owned()));
            register
        }
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
