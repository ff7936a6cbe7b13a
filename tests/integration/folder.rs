//! The output folder is replaced as a whole (issue 17): at every instant it holds one complete
//! set of outputs from exactly one run, whatever point a run is killed at or fails, a second
//! run into the same folder is refused while one writes, leftovers of killed runs are cleared,
//! stale files do not survive, and a folder csu-sim did not write is never replaced.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Dir, csu_sim, stderr};

/// Every file under `dir`, relative, with `/` separators.
fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(relative);
            }
        }
    }
    out
}

/// Checks that `out` holds exactly the files its manifest lists, all from one run, and
/// returns that run's seed.
fn whole_run(out: &Path) -> u64 {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let listed: BTreeSet<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        files_under(out),
        listed,
        "the folder holds exactly its manifest's files"
    );
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    let seed = run["seed"].as_u64().unwrap();
    for table in ["summary.csv", "comparisons.csv", "facts.csv", "replications.csv"] {
        let text = std::fs::read_to_string(out.join(table)).unwrap();
        for line in text.lines().skip(1) {
            assert_eq!(line.split(',').next().unwrap(), seed.to_string(), "{table} mixes runs");
        }
    }
    seed
}

/// Writes a small scenario: two options, one N, few replications.
fn scenario(dir: &Dir, sweep: bool) -> PathBuf {
    let sweep = if sweep {
        "[sweep]\n\"risk.p_fail_annual\" = [0.03, 0.1]\n"
    } else {
        ""
    };
    dir.write(
        "s.toml",
        format!("name = \"s\"\nreplications = 5\noptions = [\"hubs\", \"national\"]\nunits = [10]\n{sweep}"),
    )
}

/// Runs the scenario into `out` with `seed`, and a fault if given; returns the exit code.
fn run(scenario: &Path, out: &Path, seed: u64, fault: Option<&str>) -> Option<i32> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_csu-sim"));
    command.args([
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--seed",
        &seed.to_string(),
        "--quiet",
    ]);
    if let Some(fault) = fault {
        command.env("CSU_SIM_FAULT", fault);
    }
    command.output().unwrap().status.code()
}

/// Returns the staging folders left beside `out`.
fn leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".staging-"))
        .collect()
}

/// Counts the files in the staging folders left beside `out`, at any depth.
fn staged_files(out: &Path) -> usize {
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| if p.is_dir() { count(&p) } else { 1 })
            .sum()
    }
    leftovers(out)
        .iter()
        .map(|name| count(&out.parent().unwrap().join(name)))
        .sum()
}

#[test]
fn a_run_killed_or_failing_at_any_point_leaves_one_whole_run() {
    let dir = Dir::new("folder-faults");
    let scenario = scenario(&dir, false);
    let out = dir.join("out");
    assert_eq!(run(&scenario, &out, 1, None), Some(0));
    assert_eq!(whole_run(&out), 1);
    // Killed while staging (after 0, 3 and 20 files), just before the swap, or with the swap
    // failing: the first run's folder stands. Killed just after the swap: the second run's.
    let faults = [
        ("abort-after-staging:0", 1),
        ("abort-after-staging:3", 1),
        ("abort-after-staging:20", 1),
        ("abort-before-swap", 1),
        ("fail-swap", 1),
        ("abort-after-swap", 2),
    ];
    for (fault, expected) in faults {
        let code = run(&scenario, &out, 2, Some(fault));
        assert_ne!(code, Some(0), "{fault}");
        assert_eq!(whole_run(&out), expected, "{fault}");
        // Killed after staging k files: exactly k files were staged, none more, none fewer.
        if let Some(k) = fault.strip_prefix("abort-after-staging:") {
            assert_eq!(staged_files(&out).to_string(), k, "{fault}");
        }
        // The next run clears what the killed one left and writes a whole run of its own.
        assert_eq!(run(&scenario, &out, 1, None), Some(0), "{fault}");
        assert_eq!(whole_run(&out), 1);
        assert!(leftovers(&out).is_empty(), "{fault}: {:?}", leftovers(&out));
    }
}

#[test]
fn files_of_an_earlier_run_do_not_survive_a_later_one() {
    let dir = Dir::new("folder-stale");
    let out = dir.join("out");
    assert_eq!(run(&scenario(&dir, true), &out, 1, None), Some(0));
    assert!(out.join("charts/sweep_risk_p_fail_annual.svg").exists());
    assert_eq!(run(&scenario(&dir, false), &out, 1, None), Some(0));
    assert!(!out.join("charts/sweep_risk_p_fail_annual.svg").exists());
    whole_run(&out);
}

#[test]
fn a_second_run_into_a_folder_being_written_is_refused() {
    let dir = Dir::new("folder-lock");
    let scenario = scenario(&dir, false);
    let out = dir.join("out");
    let mut first = Command::new(env!("CARGO_BIN_EXE_csu-sim"))
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
            "--replications",
            "1000000",
        ])
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while leftovers(&out).is_empty() {
        assert!(started.elapsed().as_secs() < 30, "the first run never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = csu_sim(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let _ = first.kill();
    let _ = first.wait();
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("another csu-sim run is writing to"),
        "{}",
        stderr(&second)
    );
    assert!(!out.exists(), "nothing was committed");
}

#[test]
fn folders_csu_sim_did_not_write_are_never_replaced() {
    let dir = Dir::new("folder-foreign");
    let scenario = scenario(&dir, false);
    let foreign = dir.join("documents");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("letter.txt"), "keep me").unwrap();
    let output = csu_sim(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        foreign.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("holds files csu-sim did not write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(foreign.join("letter.txt")).unwrap(), "keep me");
    let root = csu_sim(&["run", scenario.to_str().unwrap(), "--out", "/", "--quiet"]);
    assert_eq!(root.status.code(), Some(2));
    assert!(
        stderr(&root).contains("cannot be an output folder"),
        "{}",
        stderr(&root)
    );
    let file = dir.write("plain.txt", "x");
    let onto_file = csu_sim(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(onto_file.status.code(), Some(2));
    assert!(stderr(&onto_file).contains("is not a folder"));
}
