//! Helpers: a scratch folder per test and a way to run the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh scratch folder, deleted when dropped.
pub struct Dir {
    pub path: PathBuf,
}

impl Dir {
    pub fn new(name: &str) -> Dir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("csu-sim-test-{}-{name}-{unique}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir { path }
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Runs `csu-sim` with the given arguments.
pub fn csu_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csu-sim")).args(args).output().unwrap()
}

/// Returns the project root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Returns a fixture's path.
pub fn fixture(relative: &str) -> PathBuf {
    root().join("tests/integration/fixtures").join(relative)
}

/// Returns stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

/// Runs the baseline scenario into `dir/out` with extra arguments; asserts success and returns
/// the output folder and the process output.
pub fn run_baseline(dir: &Dir, extra: &[&str]) -> (PathBuf, Output) {
    let out = dir.join("out");
    let baseline = root().join("scenarios/baseline.toml");
    let mut args = vec!["run", baseline.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = csu_sim(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    (out, output)
}

/// Reads a CSV into rows of (header -> value).
pub fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Runs `csu-sim run SCENARIO --out OUT --quiet` with extra arguments.
pub fn run_into(scenario: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    csu_sim(&args)
}

/// The row of summary.csv with the lowest mean headline among the cells `at` selects.
pub fn cheapest(
    summary: &[std::collections::HashMap<String, String>],
    at: impl Fn(&std::collections::HashMap<String, String>) -> bool,
) -> &std::collections::HashMap<String, String> {
    let mean = |r: &std::collections::HashMap<String, String>| r["mean"].parse::<f64>().unwrap();
    summary
        .iter()
        .filter(|r| r["metric"] == "net_cost_per_head" && at(r))
        .min_by(|a, b| mean(a).total_cmp(&mean(b)))
        .unwrap()
}

/// Asserts that the files named are the same, byte for byte, in two folders; prints each
/// file's size.
pub fn assert_same_files(a: &Path, b: &Path, files: &[&str]) {
    for file in files {
        let (x, y) = (
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
        );
        assert!(x == y, "{file} differs between {} and {}", a.display(), b.display());
        println!("{file}: identical ({} bytes)", x.len());
    }
}
