//! The output folder, replaced as a whole: at every instant it holds one complete set of
//! outputs from exactly one run.
//!
//! A run writes into a staging folder beside the target (`.<name>.staging-<id>`), lists its
//! files in `manifest.json`, and then swaps the staging folder with the target in one
//! `renameat2(RENAME_EXCHANGE)` (or renames it into place when there is no target yet); the
//! previous run's folder, now at the staging path, is deleted. A lock file beside the target
//! (`.<name>.lock`, an exclusive `flock`) refuses a second run into the same folder while one
//! is writing, and the next run to take the lock deletes what killed runs left behind. The
//! target is replaced only if it is empty or was written by csu-sim (it holds `manifest.json`
//! or, from older versions, `run.json`), so `--out` can never delete someone's files.
//!
//! For tests, `CSU_SIM_FAULT` injects faults: `abort-after-staging:<k>` aborts the process
//! once `k` files are staged, `abort-before-swap` and `abort-after-swap` around the swap, and
//! `fail-swap` makes the swap fail as a failed rename would.

use std::fs::{self, File, OpenOptions};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::OutputError;

/// The file naming a run and listing its outputs.
pub const MANIFEST: &str = "manifest.json";

/// What `manifest.json` says.
#[derive(Clone, Debug, Serialize)]
struct Manifest<'a> {
    program: &'a str,
    version: &'a str,
    run: &'a str,
    files: &'a [String],
}

/// An output folder being written: files are staged beside the target, which is replaced as a
/// whole by [`OutputDir::commit`]. Dropping it uncommitted deletes the staging folder.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    files: Vec<String>,
    run: String,
    committed: bool,
    /// Held for the folder's life: the exclusive lock on `.<name>.lock`.
    _lock: File,
}

/// Returns the fault asked for by `CSU_SIM_FAULT`, if any.
fn fault() -> Option<String> {
    std::env::var("CSU_SIM_FAULT").ok().filter(|f| !f.is_empty())
}

impl OutputDir {
    /// Takes the lock beside `target`, clears what killed runs left, checks that `target` may
    /// be replaced, and creates a fresh staging folder.
    pub fn create(target: &Path) -> Result<OutputDir, OutputError> {
        let (parent, name) = split(target)?;
        fs::create_dir_all(&parent).map_err(|source| OutputError::Io {
            path: parent.clone(),
            source,
        })?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| OutputError::Io {
                path: lock_path.clone(),
                source,
            })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(OutputError::Refused(format!(
                    "another csu-sim run is writing to '{}' (it holds {}); wait for it to finish or choose another --out",
                    target.display(),
                    lock_path.display()
                )));
            }
            Err(fs::TryLockError::Error(source)) => {
                return Err(OutputError::Io {
                    path: lock_path,
                    source,
                });
            }
        }
        remove_leftovers(&parent, &name);
        check_replaceable(target)?;
        let run = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        let staging = parent.join(format!(".{name}.staging-{run}"));
        fs::create_dir(&staging).map_err(|source| OutputError::Io {
            path: staging.clone(),
            source,
        })?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            staging,
            files: Vec::new(),
            run,
            committed: false,
            _lock: lock,
        })
    }

    /// Returns the target folder.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Returns the staged path of `name` (which may sit in a subfolder such as `charts/`),
    /// creating its folder; the file is part of the run from now on.
    pub fn stage_path(&mut self, name: &str) -> Result<PathBuf, OutputError> {
        let path = self.staging.join(name);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(|source| OutputError::Io {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        self.files.push(name.to_string());
        if let Some(k) = fault()
            .and_then(|f| f.strip_prefix("abort-after-staging:").map(str::to_string))
            .and_then(|k| k.parse::<usize>().ok())
            && self.files.len() > k
        {
            std::process::abort();
        }
        Ok(path)
    }

    /// Writes `bytes` to the staged file `name`.
    pub fn stage(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.stage_path(name)?;
        fs::write(&path, bytes).map_err(|source| OutputError::Io { path, source })
    }

    /// Writes the manifest and replaces the target with the staged folder in one step;
    /// returns the target's files.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, OutputError> {
        let mut files = self.files.clone();
        files.push(MANIFEST.to_string());
        files.sort();
        let manifest = Manifest {
            program: "csu-sim",
            version: env!("CARGO_PKG_VERSION"),
            run: &self.run,
            files: &files,
        };
        let bytes = serde_json::to_vec_pretty(&manifest)?;
        let manifest_path = self.staging.join(MANIFEST);
        fs::write(&manifest_path, bytes).map_err(|source| OutputError::Io {
            path: manifest_path,
            source,
        })?;
        let fault = fault();
        if fault.as_deref() == Some("abort-before-swap") {
            std::process::abort();
        }
        if fault.as_deref() == Some("fail-swap") {
            return Err(OutputError::Io {
                path: self.target.clone(),
                source: std::io::Error::other("rename failed (fault injected by CSU_SIM_FAULT)"),
            });
        }
        let replaced = if self.target.exists() {
            exchange(&self.staging, &self.target).map_err(|source| OutputError::Io {
                path: self.target.clone(),
                source,
            })?;
            true
        } else {
            fs::rename(&self.staging, &self.target).map_err(|source| OutputError::Io {
                path: self.target.clone(),
                source,
            })?;
            false
        };
        self.committed = true;
        if fault.as_deref() == Some("abort-after-swap") {
            std::process::abort();
        }
        if replaced {
            // The previous run's folder is now at the staging path; a failure to delete it
            // leaves a leftover the next run clears.
            let _ = fs::remove_dir_all(&self.staging);
        }
        Ok(files.iter().map(|f| self.target.join(f)).collect())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Splits the target into its parent folder and its name, refusing targets that are not a
/// folder of their own (the root, `..`).
fn split(target: &Path) -> Result<(PathBuf, String), OutputError> {
    let name = match target.components().next_back() {
        Some(Component::Normal(name)) => name.to_string_lossy().to_string(),
        _ => {
            return Err(OutputError::Refused(format!(
                "'{}' cannot be an output folder: give a folder of its own, such as output/study",
                target.display()
            )));
        }
    };
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok((parent, name))
}

/// Deletes the staging folders of killed runs beside `name` (the caller holds the lock, so no
/// other run is using them).
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Refuses a target that exists but is not a folder csu-sim wrote (or an empty one).
fn check_replaceable(target: &Path) -> Result<(), OutputError> {
    let Ok(metadata) = fs::symlink_metadata(target) else {
        return Ok(());
    };
    let refuse = |why: &str| {
        Err(OutputError::Refused(format!(
            "'{}' {why}: csu-sim replaces its output folder as a whole, so it writes only to a new or empty folder or to one it wrote before; choose another --out",
            target.display()
        )))
    };
    if !metadata.is_dir() {
        return refuse("exists and is not a folder");
    }
    let ours = target.join(MANIFEST).is_file() || target.join("run.json").is_file();
    let empty = fs::read_dir(target).map(|mut e| e.next().is_none()).unwrap_or(false);
    if ours || empty {
        Ok(())
    } else {
        refuse("holds files csu-sim did not write")
    }
}

/// Swaps two folders atomically (`renameat2` with `RENAME_EXCHANGE`); where the file system
/// cannot, renames the old one aside and the new one into place.
fn exchange(new: &Path, old: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
        let (a, b) = (c(new)?, c(old)?);
        // SAFETY: both are valid NUL-terminated paths that outlive the call.
        let result = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if result == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if !matches!(error.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(error);
        }
    }
    // No atomic exchange here: the old folder goes aside (to the staging path's twin) for an
    // instant before the new one takes its place.
    let aside = new.with_extension("old");
    fs::rename(old, &aside)?;
    fs::rename(new, old)?;
    fs::rename(&aside, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary folder, for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("csu-sim-folder-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// An exchange swaps the two folders' contents; one that cannot happen (the new folder
    /// is missing) fails and leaves the old folder where it was, with its file, and nothing
    /// set aside.
    #[test]
    fn an_exchange_swaps_or_fails_leaving_the_old_folder_in_place() {
        let dir = scratch("exchange");
        let (new, old) = (dir.join("staged"), dir.join("out"));
        for (folder, text) in [(&new, "new"), (&old, "old")] {
            fs::create_dir_all(folder).unwrap();
            fs::write(folder.join("a.csv"), text).unwrap();
        }
        exchange(&new, &old).unwrap();
        assert_eq!(fs::read_to_string(old.join("a.csv")).unwrap(), "new");
        assert_eq!(fs::read_to_string(new.join("a.csv")).unwrap(), "old");
        fs::remove_dir_all(&new).unwrap();
        assert!(exchange(&new, &old).is_err());
        assert_eq!(fs::read_to_string(old.join("a.csv")).unwrap(), "new");
        assert!(!new.with_extension("old").exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
