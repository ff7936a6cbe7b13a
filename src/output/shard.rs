//! Shard files: one part of a study run on its own (`--shard K/N`), to be merged later
//! (`csu-sim merge`) into exactly the outputs one machine would have written.
//!
//! A shard file is, in order:
//! 1. the line `csu-sim shard 2` (format 2: units count their serving months);
//! 2. a header, one line of JSON ([`ShardHeader`]): the program's version, the command, the
//!    study's hash, which shard of how many, the items it holds, and the invocation (the
//!    command's arguments and the text of every file it read), from which merge rebuilds the
//!    study;
//! 3. the payload: the shard's results as little-endian binary, item by item in order;
//! 4. the SHA-256 of everything before it (32 bytes), so a truncated or corrupted file is
//!    refused.
//!
//! Payloads: a run's shard holds, for each of its replications and each cell, the cell's
//! metric values, then its months of contracted CCGs (a `u32` count, then the values); an
//! uncertainty shard holds, for each of its parameter sets, every cell's means
//! ([`ShardWriter::put_set`]), then each of its switching-value searches
//! ([`ShardWriter::put_search`]).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::OutputError;
use crate::experiment::Observer;
use crate::experiment::places::{PlaceTotals, UnitTotals};
use crate::experiment::uncertainty::switching::{Crossing, SideSearch};
use crate::experiment::uncertainty::{CellMeans, SetOutput};
use crate::model::OptionKind;
use crate::model::{N_METRICS, Outcome, WorkLedger};
use crate::stats::{ExactMoments, ExactSum};

/// The first line of every shard file.
const MAGIC: &[u8] = b"csu-sim shard 2\n";

/// The start of every format's first line.
const MAGIC_PREFIX: &[u8] = b"csu-sim shard ";

/// Length of the checksum at the end of a shard file \[bytes\].
const DIGEST_BYTES: u64 = 32;

/// Longest header line read \[bytes\]: the invocation holds the scenario and register texts,
/// which the loader caps at 1 MB and 64 MB.
const MAX_HEADER_BYTES: u64 = 80 << 20;

/// A file the sharded command read, as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedFile {
    /// The path as the command resolved it.
    pub path: String,
    /// Its contents: in shard 1 only; the other shards of a study carry its hash alone, so a
    /// large register is stored once per study.
    pub text: String,
    /// SHA-256 of the contents, in hex.
    #[serde(default)]
    pub sha256: String,
}

impl EmbeddedFile {
    /// A file read, with its contents and their hash.
    pub fn new(path: String, text: String) -> EmbeddedFile {
        let sha256 = hex(&Sha256::digest(text.as_bytes()));
        EmbeddedFile { path, text, sha256 }
    }
}

/// Returns the files shard `k` embeds: every file whole in shard 1, their paths and hashes
/// only in the others (merge rebuilds the study from shard 1).
pub fn embedded_for(k: u64, files: &[EmbeddedFile]) -> Vec<EmbeddedFile> {
    files
        .iter()
        .map(|f| EmbeddedFile {
            path: f.path.clone(),
            text: if k == 1 { f.text.clone() } else { String::new() },
            sha256: f.sha256.clone(),
        })
        .collect()
}

/// What a shard was made by: enough to rebuild its study without the original files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invocation {
    /// The command's arguments that shape the study (no `--shard`, `--out`, `--threads` or
    /// `--quiet`), the scenario file last, after `--`.
    pub args: Vec<String>,
    /// Every input file the command read.
    pub files: Vec<EmbeddedFile>,
}

/// A contiguous part of one list of a study's items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The list: `replications`, `sets` or `searches`.
    pub list: String,
    /// First item of the shard.
    pub start: u64,
    /// One past its last item.
    pub end: u64,
    /// Items in the whole list.
    pub total: u64,
}

/// A shard file's header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardHeader {
    /// `csu-sim`.
    pub program: String,
    /// The version of csu-sim that wrote it.
    pub version: String,
    /// `run` or `uncertainty`.
    pub command: String,
    /// SHA-256 of the study (see [`study_hash`]), in hex.
    pub study: String,
    /// Which shard, from 1.
    pub shard: u64,
    /// Of how many.
    pub of: u64,
    /// The items it holds, one part per list.
    pub parts: Vec<Part>,
    /// How to rebuild the study.
    pub invocation: Invocation,
}

impl ShardHeader {
    /// The file name of this shard: `shard-K-of-N.csu`.
    pub fn file_name(&self) -> String {
        shard_file_name(self.shard, self.of)
    }
}

/// The file name of shard `k` of `n`.
pub fn shard_file_name(k: u64, n: u64) -> String {
    format!("shard-{k}-of-{n}.csu")
}

/// SHA-256 in hex of a study's defining texts (version, command, resolved scenario, register,
/// plan), each preceded by its length so that no two lists hash alike.
pub fn study_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a shard file: to a temporary name in its folder, renamed into place only once whole.
pub struct ShardWriter {
    file: BufWriter<File>,
    hasher: Sha256,
    temp: PathBuf,
    path: PathBuf,
    error: Option<std::io::Error>,
}

impl ShardWriter {
    /// Creates `dir` if need be and starts the shard file with its header.
    pub fn create(dir: &Path, header: &ShardHeader) -> Result<ShardWriter, OutputError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| OutputError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join(header.file_name());
        // Replacing a file of that name is allowed only when it is a shard of this study (a
        // rerun); anything else, another study's shard or a user's file, stays.
        if path.symlink_metadata().is_ok() {
            let same = ShardFile::open(&path).is_ok_and(|old| old.header.study == header.study);
            if !same {
                return Err(OutputError::Refused(format!(
                    "{} exists and is not a shard of this study: move it, or give another --out",
                    path.display()
                )));
            }
        }
        let temp = dir.join(format!(".{}.tmp-{}", header.file_name(), std::process::id()));
        let file = File::create(&temp).map_err(io(&temp))?;
        let mut writer = ShardWriter {
            file: BufWriter::new(file),
            hasher: Sha256::new(),
            temp,
            path,
            error: None,
        };
        let mut line = serde_json::to_vec(header)?;
        line.push(b'\n');
        writer.put(MAGIC);
        writer.put(&line);
        Ok(writer)
    }

    /// Appends bytes to the payload; the first error is kept for [`ShardWriter::finish`].
    pub fn put(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            self.hasher.update(bytes);
            if let Err(err) = self.file.write_all(bytes) {
                self.error = Some(err);
            }
        }
    }

    /// Appends numbers, little-endian.
    pub fn put_f64s(&mut self, values: &[f64]) {
        for value in values {
            self.put(&value.to_le_bytes());
        }
    }

    /// Appends one replication's outcomes, one per cell.
    pub fn put_replication(&mut self, outcomes: &[Outcome]) {
        for outcome in outcomes {
            self.put_f64s(&outcome.values);
            self.put(&(outcome.contracted_by_month.len() as u32).to_le_bytes());
            self.put_f64s(&outcome.contracted_by_month);
        }
    }

    /// Appends a cell's totals by place.
    pub fn put_places(&mut self, totals: &PlaceTotals) {
        for moments in totals.regions.iter().flatten().chain(&totals.ccg_unmet) {
            let (count, sum, squares, undefined) = moments.parts();
            self.put(&count.to_le_bytes());
            self.put(&sum.to_le_bytes());
            self.put(&squares.to_le_bytes());
            self.put(&undefined.to_le_bytes());
        }
        for unit in &totals.units {
            for count in [
                unit.replications,
                unit.opened,
                unit.failed_checkpoint,
                unit.failed_operating,
                unit.desk_months,
                unit.utilisation_months,
                unit.saturated_months,
                unit.serving_months,
            ] {
                self.put(&count.to_le_bytes());
            }
            for sum in [unit.utilisation, unit.population_months] {
                let (count, sum) = sum.parts();
                self.put(&count.to_le_bytes());
                self.put(&sum.to_le_bytes());
            }
        }
    }

    /// Appends one parameter set's cell means: each cell's headline, unmet share,
    /// replications and four paired standard deviations.
    fn put_means(&mut self, means: &[CellMeans]) {
        for m in means {
            self.put_f64s(&[m.headline, m.unmet, m.replications as f64]);
            self.put_f64s(&m.pair_sd);
        }
    }

    /// Appends an uncertainty analysis's fixed set: its means, then a tag (0: not confirmed;
    /// 1: confirmed, followed by the confirmed means, the count of N confirmed and each N).
    pub fn put_set(&mut self, set: &SetOutput) {
        self.put_means(&set.means);
        match &set.confirmed {
            None => self.put(&[0]),
            Some((means, units)) => {
                self.put(&[1]);
                self.put_means(means);
                self.put_f64s(&[units.len() as f64]);
                self.put_f64s(&units.iter().map(|&n| n as f64).collect::<Vec<_>>());
            }
        }
    }

    /// Appends a switching-value search's answer: the searched values, then a tag (0: no
    /// crossing; 1: a crossing, followed by its value, interval, rival, and whether it is in
    /// range and confirmed).
    pub fn put_search(&mut self, side: &SideSearch) {
        self.put_f64s(&[side.searched.0, side.searched.1]);
        match side.crossing {
            None => self.put(&[0]),
            Some(c) => {
                self.put(&[1]);
                self.put_f64s(&[c.value, c.interval.0, c.interval.1]);
                self.put(&[c.rival.index() as u8, u8::from(c.in_range), u8::from(c.confirmed)]);
            }
        }
    }

    /// Writes the checksum and moves the file into place; returns its path.
    pub fn finish(mut self) -> Result<PathBuf, OutputError> {
        let digest = std::mem::take(&mut self.hasher).finalize();
        let written = match self.error.take() {
            Some(err) => Err(err),
            None => self
                .file
                .write_all(&digest)
                .and_then(|()| self.file.flush())
                .and_then(|()| self.file.get_ref().sync_all()),
        };
        let renamed = written.and_then(|()| std::fs::rename(&self.temp, &self.path));
        renamed.map_err(|source| OutputError::Io {
            path: self.path.clone(),
            source,
        })?;
        Ok(self.path.clone())
    }
}

impl Drop for ShardWriter {
    fn drop(&mut self) {
        // Unfinished (an error, an interruption): nothing half-written stays behind.
        let _ = std::fs::remove_file(&self.temp);
    }
}

impl Observer for ShardWriter {
    fn on_replication(&mut self, _replication: u64, outcomes: &[Outcome]) {
        self.put_replication(outcomes);
    }

    fn cancelled(&self) -> bool {
        self.error.is_some()
    }
}

/// Why a shard file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// It could not be read.
    #[error("{}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// It is not a whole, unaltered shard file.
    #[error("{}: {reason}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// A shard file whose checksum has been verified, with its header read.
#[derive(Debug)]
pub struct ShardFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its header.
    pub header: ShardHeader,
    payload_start: u64,
    payload_len: u64,
}

impl ShardFile {
    /// Opens a shard file: checks its checksum (reading it once, in constant memory), then
    /// reads its header.
    pub fn open(path: &Path) -> Result<ShardFile, ShardError> {
        let io = |source| ShardError::Io {
            path: path.to_path_buf(),
            source,
        };
        let damaged = |reason: &str| ShardError::Damaged {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        // Checked before opening: opening a FIFO named like a shard would block until a
        // writer came, which may be never.
        let metadata = std::fs::metadata(path).map_err(io)?;
        if !metadata.is_file() {
            return Err(damaged(
                "not a regular file (a shard is a file written by csu-sim run --shard)",
            ));
        }
        let mut file = File::open(path).map_err(io)?;
        let metadata = file.metadata().map_err(io)?;
        if !metadata.is_file() {
            return Err(damaged("not a regular file"));
        }
        let size = metadata.len();
        if size < MAGIC.len() as u64 + DIGEST_BYTES {
            return Err(damaged("too short to be a shard file: it is truncated or not a shard"));
        }
        let mut head = vec![0; MAGIC.len()];
        file.read_exact(&mut head).map_err(io)?;
        if head.starts_with(MAGIC_PREFIX) && head != MAGIC {
            return Err(damaged(
                "a shard of another shard format (this build reads 'csu-sim shard 2'): run the shards again with this build",
            ));
        }
        if head != MAGIC {
            return Err(damaged(
                "not a csu-sim shard file (it does not start 'csu-sim shard 2')",
            ));
        }
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut hasher = Sha256::new();
        std::io::copy(&mut (&mut file).take(size - DIGEST_BYTES), &mut hasher).map_err(io)?;
        let mut stored = [0u8; DIGEST_BYTES as usize];
        file.read_exact(&mut stored).map_err(io)?;
        if hasher.finalize().as_slice() != stored {
            return Err(damaged(
                "its checksum does not match its contents: the file is truncated or corrupted",
            ));
        }
        file.seek(SeekFrom::Start(MAGIC.len() as u64)).map_err(io)?;
        let mut reader = BufReader::new(file).take(MAX_HEADER_BYTES);
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).map_err(io)?;
        let header: ShardHeader =
            serde_json::from_slice(&line).map_err(|e| damaged(&format!("its header is not readable: {e}")))?;
        let payload_start = MAGIC.len() as u64 + line.len() as u64;
        let payload_len = (size - DIGEST_BYTES)
            .checked_sub(payload_start)
            .ok_or_else(|| damaged("its header runs past its end"))?;
        Ok(ShardFile {
            path: path.to_path_buf(),
            header,
            payload_start,
            payload_len,
        })
    }

    /// The payload, to read in order.
    pub fn payload(&self) -> Result<Payload, ShardError> {
        let mut file = File::open(&self.path).map_err(|source| ShardError::Io {
            path: self.path.clone(),
            source,
        })?;
        file.seek(SeekFrom::Start(self.payload_start))
            .map_err(|source| ShardError::Io {
                path: self.path.clone(),
                source,
            })?;
        Ok(Payload {
            reader: BufReader::new(file).take(self.payload_len),
            path: self.path.clone(),
        })
    }
}

/// A shard's payload, read item by item.
pub struct Payload {
    reader: std::io::Take<BufReader<File>>,
    path: PathBuf,
}

impl Payload {
    fn short(&self) -> ShardError {
        ShardError::Damaged {
            path: self.path.clone(),
            reason: "its payload is shorter than its header says".to_string(),
        }
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], ShardError> {
        let mut bytes = [0; N];
        self.reader.read_exact(&mut bytes).map_err(|_| self.short())?;
        Ok(bytes)
    }

    /// Reads a byte.
    pub fn u8(&mut self) -> Result<u8, ShardError> {
        Ok(self.bytes::<1>()?[0])
    }

    /// Reads a number.
    pub fn f64(&mut self) -> Result<f64, ShardError> {
        Ok(f64::from_le_bytes(self.bytes()?))
    }

    /// Reads one replication's outcomes, `cells` of them.
    pub fn replication(&mut self, cells: usize) -> Result<Vec<Outcome>, ShardError> {
        (0..cells)
            .map(|_| {
                let mut values = [0.0; N_METRICS];
                for value in &mut values {
                    *value = self.f64()?;
                }
                let months = u32::from_le_bytes(self.bytes()?) as usize;
                if months > 100_000 {
                    return Err(self.short());
                }
                let contracted_by_month = (0..months).map(|_| self.f64()).collect::<Result<_, _>>()?;
                Ok(Outcome {
                    values,
                    work: WorkLedger::default(),
                    contracted_by_month,
                    places: None,
                })
            })
            .collect()
    }

    fn u64(&mut self) -> Result<u64, ShardError> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }

    fn i128(&mut self) -> Result<i128, ShardError> {
        Ok(i128::from_le_bytes(self.bytes()?))
    }

    /// Reads a cell's totals by place, of the same shape as `like`.
    pub fn places(&mut self, like: &PlaceTotals) -> Result<PlaceTotals, ShardError> {
        let mut totals = like.clone();
        for moments in totals.regions.iter_mut().flatten().chain(&mut totals.ccg_unmet) {
            *moments = ExactMoments::from_parts(self.u64()?, self.i128()?, self.i128()?, self.u64()?);
        }
        for unit in &mut totals.units {
            *unit = UnitTotals {
                replications: self.u64()?,
                opened: self.u64()?,
                failed_checkpoint: self.u64()?,
                failed_operating: self.u64()?,
                desk_months: self.u64()?,
                utilisation_months: self.u64()?,
                saturated_months: self.u64()?,
                serving_months: self.u64()?,
                utilisation: ExactSum::from_parts(self.u64()?, self.i128()?),
                population_months: ExactSum::from_parts(self.u64()?, self.i128()?),
            };
        }
        Ok(totals)
    }

    fn means(&mut self, cells: usize) -> Result<Vec<CellMeans>, ShardError> {
        (0..cells)
            .map(|_| {
                let (headline, unmet, replications) = (self.f64()?, self.f64()?, self.f64()? as u64);
                let mut pair_sd = [f64::NAN; OptionKind::COUNT];
                for sd in &mut pair_sd {
                    *sd = self.f64()?;
                }
                Ok(CellMeans {
                    headline,
                    unmet,
                    replications,
                    pair_sd,
                })
            })
            .collect()
    }

    fn flag(&mut self, what: &str) -> Result<bool, ShardError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(ShardError::Damaged {
                path: self.path.clone(),
                reason: format!("its payload holds a {what} that is neither 0 nor 1"),
            }),
        }
    }

    /// Reads an uncertainty analysis's fixed set of `cells` cells ([`ShardWriter::put_set`]).
    pub fn set(&mut self, cells: usize) -> Result<SetOutput, ShardError> {
        let means = self.means(cells)?;
        let confirmed = if self.flag("confirmation tag")? {
            let confirmed = self.means(cells)?;
            let count = self.f64()?;
            if !(0.0..=1e6).contains(&count) {
                return Err(self.short());
            }
            let units = (0..count as usize)
                .map(|_| self.f64().map(|n| n as usize))
                .collect::<Result<Vec<_>, _>>()?;
            Some((confirmed, units))
        } else {
            None
        };
        Ok(SetOutput { means, confirmed })
    }

    /// Reads a switching-value search's answer ([`ShardWriter::put_search`]).
    pub fn search(&mut self) -> Result<SideSearch, ShardError> {
        let searched = (self.f64()?, self.f64()?);
        let crossing = if self.flag("search tag")? {
            let (value, low, high) = (self.f64()?, self.f64()?, self.f64()?);
            let rival = OptionKind::ALL
                .get(usize::from(self.u8()?))
                .copied()
                .ok_or_else(|| ShardError::Damaged {
                    path: self.path.clone(),
                    reason: "its payload names an option that does not exist".to_string(),
                })?;
            Some(Crossing {
                value,
                interval: (low, high),
                rival,
                in_range: self.flag("range flag")?,
                confirmed: self.flag("confirmation flag")?,
            })
        } else {
            None
        };
        Ok(SideSearch { searched, crossing })
    }

    /// Checks that every byte was read.
    pub fn end(mut self) -> Result<(), ShardError> {
        let mut rest = [0u8; 1];
        match self.reader.read(&mut rest) {
            Ok(0) => Ok(()),
            _ => Err(ShardError::Damaged {
                path: self.path.clone(),
                reason: "its payload is longer than its header says".to_string(),
            }),
        }
    }
}
